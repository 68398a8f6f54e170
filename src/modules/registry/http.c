/* registry http — the enterprise registry's handlers (rules in registry.c
 * and io.c). Enterprise users only ever see and touch their own record. */
#include "app/kit.h"
#include "db/page_cache.h"
#include "modules/jobs/jobs.h"
#include "modules/registry/http.h"
#include "modules/registry/registry.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ENT_IMPORT_MAX_ROWS 100000

static bool registry_http_is_enterprise(struct http_req *r)
{
    return r->session.user.role == ROLE_ENTERPRISE;
}

/* Filters shared by the list and the export; -1 after answering 422. */
static int registry_http_filter(struct http_req *r, struct enterprise_filter *f)
{
    static const char *const keys[] = {"q", "district", "town", "industry", "tag"};
    const char **texts[] = {&f->q, &f->district, &f->town, &f->industry, &f->tag};
    bool bad = false;
    memset(f, 0, sizeof *f);
    for (size_t i = 0; !bad && i < sizeof keys / sizeof keys[0]; i++)
        *texts[i] = kit_query_text(r, keys[i], 200, &bad);
    if (bad)
        return -1;
    f->after = kit_query_id(r, "after");
    if (f->after < 0)
        return -1;
    if (registry_http_is_enterprise(r))
        f->only_id = r->session.user.enterprise_id;
    return 0;
}

/* The cache key names every input of a list reply (the caller's scope too). */
static void registry_http_list_key(const struct enterprise_filter *f, int count, char *key,
                                   size_t size)
{
    snprintf(key, size, "ent|%s|%s|%s|%s|%s|%lld|%lld|%d|%d", f->q ? f->q : "",
             f->district ? f->district : "", f->town ? f->town : "", f->industry ? f->industry : "",
             f->tag ? f->tag : "", (long long)f->only_id, (long long)f->after, f->limit, count);
}

static int registry_http_list_build(struct http_req *r, struct enterprise_filter *f, int count,
                                    struct buf *out)
{
    int64_t last;
    int more;
    buf_puts(out, "{\"items\":");
    if (enterprises_page_json(r->db, f, out, &last, &more))
        return -1;
    if (more)
        buf_printf(out, ",\"next\":\"%lld\"", (long long)last);
    else
        buf_puts(out, ",\"next\":null");
    if (count) {
        struct enterprise_filter all = *f;
        all.after = 0;
        buf_printf(out, ",\"total\":%lld", (long long)enterprises_count(r->db, &all));
    }
    return buf_putc(out, '}');
}

void registry_http_list(struct http_req *r)
{
    struct enterprise_filter f;
    if (registry_http_filter(r, &f))
        return;
    f.limit = kit_limit(r, 50, 500);
    const char *count_arg = http_query(r, "count");
    int count = count_arg && !strcmp(count_arg, "1");
    char key[1200];
    registry_http_list_key(&f, count, key, sizeof key);
    struct buf out;
    buf_init(&out, 0);
    /* Read the version first: a write after it only makes the entry unused. */
    int64_t version = page_cache_version(r->db, "enterprises");
    if (!page_cache_get(key, version, &out)) {
        if (registry_http_list_build(r, &f, count, &out)) {
            buf_free(&out);
            kit_answer(r, ERR_INTERNAL, NULL, NULL);
            return;
        }
        page_cache_put(key, version, out.data, out.len);
    }
    http_raw_json(r, 200, &out);
}

/* Whether the caller may see record id: an enterprise user sees only their
 * own (any other answers 404, as if it did not exist). */
static bool registry_http_theirs(struct http_req *r, int64_t id)
{
    return !registry_http_is_enterprise(r) || id == r->session.user.enterprise_id;
}

void registry_http_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        kit_answer(r, ERR_OK, NULL,
                   registry_http_theirs(r, id) ? enterprises_get(r->db, id) : NULL);
}

void registry_http_create(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    int64_t id;
    enum err e = registry_create(r->db, &w.actor, w.body, &id, &w.p);
    kit_write_end(r, &w, true, e, e ? NULL : enterprises_get(r->db, id));
}

/* An enterprise user edits only the contacts of their own record. */
void registry_http_update(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    enum err e = !registry_http_theirs(r, w.id) ? ERR_NOT_FOUND
                 : registry_http_is_enterprise(r)
                     ? registry_update_contacts(r->db, &w.actor, w.id, w.body, &w.p)
                     : registry_update(r->db, &w.actor, w.id, w.body, &w.p);
    kit_write_end(r, &w, false, e, e ? NULL : enterprises_get(r->db, w.id));
}

/* The import's body is the CSV file itself; a refused file answers the
 * problem with its errors by line. */
void registry_http_import(struct http_req *r)
{
    const char *type = http_header(r, "Content-Type");
    if (!type || (strncmp(type, "text/csv", 8) && strncmp(type, "text/plain", 10))) {
        http_error(r, ERR_UNSUPPORTED_MEDIA, "请上传 text/csv 文件", NULL);
        return;
    }
    const char *skip = http_query(r, "skip_errors");
    struct audit_actor actor;
    kit_actor(r, &actor);
    json_t *report = NULL;
    enum err e = registry_import_csv(r->db, &actor, r->body.data ? r->body.data : "", r->body.len,
                                     skip && !strcmp(skip, "1"), ENT_IMPORT_MAX_ROWS, &report);
    if (e == ERR_IMPORT_ERRORS) {
        struct problem p = {.err = e};
        kit_refuse_with(r, &p, json_pack("{sO}", "errors", json_object_get(report, "errors")));
        json_decref(report);
        return;
    }
    kit_answer(r, e, NULL, report); /* freed when refused */
}

void registry_http_import_job(struct http_req *r)
{
    const char *type = http_header(r, "Content-Type");
    if (!type || (strncmp(type, "text/csv", 8) && strncmp(type, "text/plain", 10))) {
        http_error(r, ERR_UNSUPPORTED_MEDIA, "请上传 text/csv 文件", NULL);
        return;
    }
    const char *skip = http_query(r, "skip_errors");
    struct jobs_viewer owner = {r->session.user.id, r->session.user.username,
                                r->session.user.role == ROLE_ADMIN};
    struct problem p = {0};
    int64_t id = 0;
    enum err e = registry_import_submit(r->db, &owner, r->body.data ? r->body.data : "",
                                        r->body.len, skip && !strcmp(skip, "1"), &id, &p);
    char location[64];
    snprintf(location, sizeof location, "/api/v1/jobs/%lld", (long long)id);
    json_t *job = e == ERR_OK ? jobs_get(r->db, id, NULL, &e) : NULL;
    kit_created_at(r, location, e, &p, job);
}

void registry_http_export(struct http_req *r)
{
    struct enterprise_filter f;
    if (registry_http_filter(r, &f))
        return;
    char path[HTTP_TEMP_PATH];
    int fd = http_temp_file(path, "export");
    if (fd < 0) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    close(fd);
    if (registry_export_xlsx(r->db, &f, path)) {
        unlink(path);
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_file(r, path, KIT_XLSX,
             "attachment; filename=\"enterprises.xlsx\"; "
             "filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%BD%95.xlsx");
}
