/* pmf demo — the demo city's published source apportionment ("where our
 * PM2.5 comes from" on the public air page), made the way the bureau makes
 * one (docs/pmf.md, "Demo data"):
 *
 *   1. a speciated PM2.5 campaign — 60 winter and 60 summer daily filters,
 *      PM2.5 mass and 17 species — generated from the demo seed out of six
 *      source profiles typical of a Chinese city, with measurement noise at
 *      each species' MDL and error fraction;
 *   2. uploaded by staff as a concentration table with per-species MDL and
 *      EF (pmf_analysis_create, as POST /pmf/analyses does);
 *   3. run by the module's own background worker (started here, waited for,
 *      stopped: `ecogov demo` is a command of its own, no server is running);
 *   4. the suggested names confirmed by staff (pmf_analysis_names) and the
 *      result published by the leader (pmf_analysis_publish).
 *
 * Few runs and no bootstrap: the demo builds every test database. */
#include "modules/pmf/analysis.h"

#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/users.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The campaign: two seasons of daily samples. */
#define DEMO_PMF_DAYS 60
/* The model: as many factors as sources made the data, few runs. */
#define DEMO_PMF_RUNS 4
/* How often the worker's progress is looked at, and for how long at most. */
#define DEMO_PMF_POLL_MS 20
#define DEMO_PMF_WAIT_MS (10 * 60 * 1000)

/* The six sources, in the order of the profile columns below, with their
 * mean contribution (µg/m³) in each season: coal (heating, power) and
 * biomass burning (straw, wood) far higher in winter, nitrate too (cold air
 * keeps ammonium nitrate in the particle phase); sulfate, vehicles and dust
 * about the same all year. */
static const struct {
    const char *name;
    double winter, summer;
} demo_pmf_sources[] = {
    {"secondary sulfate", 13, 12},
    {"secondary nitrate", 17, 4},
    {"vehicles", 10, 8},
    {"coal combustion", 14, 3.5},
    {"dust", 6, 5},
    {"biomass burning", 9, 2},
};
#define DEMO_PMF_NSRC (sizeof demo_pmf_sources / sizeof demo_pmf_sources[0])

/* Each column of the campaign: the name a lab reports it under (the marker
 * table of pmf_names.c knows these spellings), its method detection limit
 * (µg/m³) and error fraction, and its mass fraction in each source's PM2.5
 * (the rest is water, the oxygen and hydrogen of organics and other
 * unmeasured matter). Illustrative values with the shapes source profiles
 * of Chinese cities usually have: sulfate and nitrate with their ammonium;
 * vehicles OC and EC with Zn from tyre and brake wear; coal with sulfate,
 * Cl, As, Se and Pb; dust the crustal Si, Al, Ca and Fe; biomass OC with K⁺
 * and Cl. Ni and V, oil markers in port cities, come here with coal and
 * dust and name no factor of their own. The first column is the total
 * variable: the filter's mass, the sum of the sources' masses. */
static const struct {
    const char *name;
    double mdl, ef;
    double profile[DEMO_PMF_NSRC];
} demo_pmf_species[] = {
    /* name, MDL, EF, {sulfate, nitrate, vehicles, coal, dust, biomass} */
    {"PM2.5", 1.0, 0.05, {0}},
    {"SO42-", 0.05, 0.05, {0.60, 0.04, 0.02, 0.14, 0.025, 0.025}},
    {"NO3-", 0.05, 0.05, {0.02, 0.58, 0.04, 0.01, 0.01, 0.02}},
    {"NH4+", 0.05, 0.07, {0.21, 0.20, 0.01, 0.02, 0.002, 0.015}},
    {"OC", 0.2, 0.08, {0.04, 0.03, 0.36, 0.18, 0.04, 0.42}},
    {"EC", 0.1, 0.1, {0.004, 0.003, 0.24, 0.07, 0.006, 0.075}},
    {"K+", 0.02, 0.08, {0.002, 0.002, 0.002, 0.006, 0.006, 0.095}},
    {"Cl-", 0.03, 0.1, {0.001, 0.004, 0.003, 0.075, 0.003, 0.035}},
    {"Ca", 0.01, 0.1, {0, 0, 0.006, 0.008, 0.095, 0.002}},
    {"Fe", 0.008, 0.08, {0, 0, 0.012, 0.010, 0.045, 0.001}},
    {"Al", 0.02, 0.1, {0, 0, 0.002, 0.015, 0.07, 0.001}},
    {"Si", 0.02, 0.1, {0, 0, 0.005, 0.025, 0.18, 0.002}},
    {"Zn", 0.002, 0.1, {0.0003, 0.0002, 0.0025, 0.0035, 0.0008, 0.0012}},
    {"Pb", 0.001, 0.1, {0.0002, 0, 0.0006, 0.0028, 0.0003, 0.0002}},
    {"As", 0.0005, 0.15, {0.00005, 0, 0, 0.0016, 0.00008, 0}},
    {"Se", 0.0003, 0.15, {0.0001, 0, 0, 0.0009, 0, 0}},
    {"Ni", 0.0005, 0.15, {0, 0, 0.0001, 0.0003, 0.0004, 0}},
    {"V", 0.0005, 0.15, {0, 0, 0.0001, 0.0004, 0.0006, 0}},
};
#define DEMO_PMF_NSPECIES (sizeof demo_pmf_species / sizeof demo_pmf_species[0])

/* Day-to-day spread (log-normal sigma): weather shared by all sources, and
 * each source's own (emissions, wind direction, chemistry). */
#define DEMO_PMF_WEATHER_SIGMA 0.25
#define DEMO_PMF_SOURCE_SIGMA 0.7

static uint64_t demo_pmf_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform on (0, 1]. */
static double demo_pmf_u(uint64_t *s)
{
    return (double)((demo_pmf_next(s) >> 11) + 1) / 9007199254740992.0;
}

static double demo_pmf_normal(uint64_t *s)
{
    double u1 = demo_pmf_u(s), u2 = demo_pmf_u(s);
    return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* Log-normal with mean 1. */
static double demo_pmf_spread(uint64_t *s, double sigma)
{
    return exp(sigma * demo_pmf_normal(s) - sigma * sigma / 2);
}

/* One measured value: the true concentration plus noise of the size the
 * equation-based uncertainty will assume for it. */
static double demo_pmf_measure(uint64_t *s, size_t j, double c)
{
    double ef = demo_pmf_species[j].ef, mdl = demo_pmf_species[j].mdl;
    return c + sqrt(ef * c * ef * c + 0.25 * mdl * mdl) * demo_pmf_normal(s);
}

/* One daily sample of `day` (days since 1970), a winter or a summer day. */
static int demo_pmf_sample(struct buf *csv, uint64_t *s, int64_t day, bool winter)
{
    double c[DEMO_PMF_NSPECIES] = {0};
    double weather = demo_pmf_spread(s, DEMO_PMF_WEATHER_SIGMA);
    int y, m, d;

    for (size_t k = 0; k < DEMO_PMF_NSRC; k++) {
        double mass = (winter ? demo_pmf_sources[k].winter : demo_pmf_sources[k].summer) * weather *
                      demo_pmf_spread(s, DEMO_PMF_SOURCE_SIGMA);
        c[0] += mass;
        for (size_t j = 1; j < DEMO_PMF_NSPECIES; j++)
            c[j] += mass * demo_pmf_species[j].profile[k];
    }
    timeutil_civil_from_days(day, &y, &m, &d);
    int bad = buf_printf(csv, "%04d-%02d-%02d", y, m, d);
    for (size_t j = 0; j < DEMO_PMF_NSPECIES; j++)
        bad |= buf_printf(csv, ",%.4g", demo_pmf_measure(s, j, c[j]));
    return bad | buf_putc(csv, '\n');
}

/* The campaign as a concentration table (CSV): 60 days from 2025-12-01
 * (winter heating season) and 60 from 2026-06-01 (summer). */
static int demo_pmf_campaign(uint64_t seed, struct buf *csv)
{
    uint64_t s = seed ^ 0x504D46ull; /* "PMF": its own stream of the demo seed */
    int bad = buf_puts(csv, "date");
    for (size_t j = 0; j < DEMO_PMF_NSPECIES; j++)
        bad |= buf_printf(csv, ",%s", demo_pmf_species[j].name);
    bad |= buf_putc(csv, '\n');
    int64_t winter = timeutil_days_from_civil(2025, 12, 1);
    int64_t summer = timeutil_days_from_civil(2026, 6, 1);
    for (int i = 0; i < DEMO_PMF_DAYS; i++)
        bad |= demo_pmf_sample(csv, &s, winter + i, true);
    for (int i = 0; i < DEMO_PMF_DAYS; i++)
        bad |= demo_pmf_sample(csv, &s, summer + i, false);
    return bad ? -1 : 0;
}

/* The upload: the table, each species' MDL and EF, the model settings. */
static json_t *demo_pmf_body(uint64_t seed, const char *csv)
{
    json_t *mdl = json_array();
    for (size_t j = 0; j < DEMO_PMF_NSPECIES; j++)
        json_array_append_new(mdl, json_pack("{s:s, s:f, s:f}", "species", demo_pmf_species[j].name,
                                             "mdl", demo_pmf_species[j].mdl, "ef",
                                             demo_pmf_species[j].ef));
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:i, s:i, s:I, s:i, s:s}", "title",
                     "景瓷市 PM2.5 来源解析（2025 年冬季、2026 年夏季膜采样）", "period_from",
                     "2025-12-01", "period_to", "2026-07-30", "conc", csv, "mdl", mdl, "factors",
                     (int)DEMO_PMF_NSRC, "runs", DEMO_PMF_RUNS, "seed",
                     (json_int_t)(seed & 0x7FFFFFFF), "bootstrap", 0, "total", "PM2.5");
}

static void demo_pmf_sleep(void)
{
    struct timespec t = {0, DEMO_PMF_POLL_MS * 1000000L};
    nanosleep(&t, NULL);
}

/* Waits for the worker to finish analysis id; the analysis (new reference)
 * when done, NULL when it failed, was cancelled or took too long. */
static json_t *demo_pmf_wait(struct db *db, int64_t id)
{
    int64_t t0 = timeutil_now_ms();
    while (timeutil_now_ms() - t0 < DEMO_PMF_WAIT_MS) {
        json_t *a = NULL;
        if (pmf_analysis_get(db, id, &a) != ERR_OK || !a)
            return NULL;
        const char *status = json_string_value(json_object_get(a, "status"));
        if (status && !strcmp(status, "done"))
            return a;
        bool pending = status && (!strcmp(status, "queued") || !strcmp(status, "running"));
        const char *why = json_string_value(json_object_get(a, "error"));
        if (!pending)
            log_error("pmf demo: analysis %s: %s", status ? status : "?", why ? why : "");
        json_decref(a);
        if (!pending)
            return NULL;
        demo_pmf_sleep();
    }
    log_error("pmf demo: the analysis did not finish in time");
    return NULL;
}

/* The suggested name of every factor, as the analyst confirms them. */
static json_t *demo_pmf_names(json_t *analysis)
{
    json_t *factors = json_object_get(json_object_get(analysis, "result"), "factors"), *f;
    json_t *names = json_array();
    size_t i;
    json_array_foreach(factors, i, f)
    {
        json_array_append(names, json_object_get(json_object_get(f, "suggested"), "zh"));
    }
    return json_pack("{s:o}", "names", names);
}

static int demo_pmf_refused(const char *what, const struct problem *p)
{
    log_error("pmf demo: %s: %s (%s)", what, p->message, p->field ? p->field : "");
    return -1;
}

/* Runs the uploaded analysis through the worker, names and publishes it. */
static int demo_pmf_finish(const struct module_demo *d, int64_t id, const struct audit_actor *staff,
                           const struct audit_actor *leader)
{
    json_t *a = demo_pmf_wait(d->db, id), *out = NULL;
    if (!a)
        return -1;
    json_t *names = demo_pmf_names(a);
    json_decref(a);
    struct problem p = {0};
    enum err e = pmf_analysis_names(d->db, staff, id, names, &p, &out);
    json_decref(names);
    json_decref(out);
    if (e != ERR_OK)
        return demo_pmf_refused("names", &p);
    out = NULL;
    e = pmf_analysis_publish(d->db, leader, id, &p, &out);
    json_decref(out);
    return e != ERR_OK ? demo_pmf_refused("publish", &p) : 0;
}

int pmf_demo(const struct module_demo *d)
{
    struct user staff_user, leader_user;
    if (users_find_by_name(d->db, "staff", &staff_user, NULL) ||
        users_find_by_name(d->db, "leader", &leader_user, NULL)) {
        log_error("pmf demo: the demo accounts staff and leader are missing");
        return -1;
    }
    struct audit_actor staff = {staff_user.id, staff_user.username};
    struct audit_actor leader = {leader_user.id, leader_user.username};
    struct buf csv;
    buf_init(&csv, 0);
    if (demo_pmf_campaign(d->seed, &csv)) {
        buf_free(&csv);
        return -1;
    }
    json_t *body = demo_pmf_body(d->seed, csv.data), *created = NULL;
    buf_free(&csv);
    struct problem p = {0};
    enum err e = pmf_analysis_create(d->db, &staff, body, &p, &created);
    json_decref(body);
    if (e != ERR_OK)
        return demo_pmf_refused("upload", &p);
    int64_t id = json_integer_value(json_object_get(created, "id"));
    json_decref(created);
    /* No server runs while demo data is made: a pool of its own. */
    if (jobs_register(d->db, &pmf_job_kind) || jobs_pool_start(d->cfg->db, d->cfg->var_dir, 1))
        return -1;
    int rc = demo_pmf_finish(d, id, &staff, &leader);
    jobs_pool_stop();
    return rc;
}
