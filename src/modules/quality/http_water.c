/* http_water — the surface-water routes: sections with their GB 3838
 * evaluation (public, CORS), new sections and samples (rules in water.c). */
#include "app/app.h"
#include "app/kit.h"
#include "modules/quality/http.h"
#include "modules/quality/rules.h"

#include <string.h>

static void api_water_sections(struct http_req *r)
{
    static const char *const periods[] = {"month", "year", NULL};
    quality_http_cors(r);
    int64_t year, month;
    bool bad;
    const char *period = kit_query_choice(r, "period", periods, "month", &bad);
    if (bad || kit_query_int(r, "year", 2000, 2100, 0, &year) ||
        kit_query_int(r, "month", 1, 12, 0, &month))
        return;
    const char *section = kit_query_text(r, "section", 32, &bad);
    if (bad)
        return;
    struct problem p = {0};
    json_t *out = NULL;
    enum err e = water_sections_report(r->db, section, !strcmp(period, "year"), (int)year,
                                       (int)month, &p, &out);
    kit_answer(r, e, &p, out);
}

static void api_water_section_create(struct http_req *r)
{
    quality_http_write(r, water_section_create, true);
}

/* A sampling is stored (or replaced) under its section: 200, no new record. */
static void api_water_sample(struct http_req *r)
{
    quality_http_write(r, water_sample_store, false);
}

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define STAFF ROLE_BIT(ROLE_STAFF)

static const struct route water_table[] = {
    {HTTP_GET, "/api/v1/quality/water/sections", api_water_sections, ROLES_ANY, 0},
    {HTTP_POST, "/api/v1/quality/water/sections", api_water_section_create, ADMIN | STAFF, 0},
    {HTTP_POST, "/api/v1/quality/water/samples", api_water_sample, ADMIN | STAFF, 0},
};

const struct route_group app_quality_water_routes = ROUTE_GROUP("quality-water", water_table);
