/* api_approval_invest — the investment and financing project library (招商 /
 * 融资项目库): projects with their amount (万元), sector and stage (签约 →
 * 开工 → 投产, each stage dated), totals by stage and sector, and the link to
 * the project's EIA application, so a project can be followed from signing
 * through approval to construction.
 *
 * Owns the rows of invest_projects (tables in approval_schema.c). Stages only
 * move forward, one at a time; every write is audited in its transaction. */
#include "app/app.h"
#include "app/kit.h"
#include "modules/approval/approval.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/calendar.h"
#include "db/audit.h"
#include "db/db.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define INVEST_WRITERS (ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ADMIN))

static const char *const invest_stages[] = {"签约", "开工", "投产"};
/* db_stmt caches by the address of the SQL, so one literal per stage. */
static const char *const invest_stage_sql[] = {
    "UPDATE invest_projects SET status = ?, updated_on = ?, signed_on = ? WHERE id = ?",
    "UPDATE invest_projects SET status = ?, updated_on = ?, started_on = ? WHERE id = ?",
    "UPDATE invest_projects SET status = ?, updated_on = ?, operating_on = ? WHERE id = ?"};
#define INVEST_NSTAGES (sizeof invest_stages / sizeof invest_stages[0])

static enum err invest_internal(struct db *db, struct problem *p)
{
    db_rollback(db);
    return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
}

static int invest_stage(const char *s)
{
    for (size_t i = 0; s && i < INVEST_NSTAGES; i++)
        if (!strcmp(s, invest_stages[i]))
            return (int)i;
    return -1;
}

/* "on" given or today in Beijing; -1 when malformed. */
static int invest_day(const char *s, char out[11])
{
    int32_t d;
    if (!s || !*s) {
        timeutil_format_date(timeutil_now(), out, 11);
        return 0;
    }
    if (strlen(s) != 10 || calendar_parse_date(s, &d))
        return -1;
    memcpy(out, s, 11);
    return 0;
}

static int invest_app_exists(struct db *db, const char *number)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM eia_applications WHERE number = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}

enum err invest_create(struct db *db, const struct audit_actor *actor, json_t *in, int64_t *id,
                       struct problem *p)
{
    const char *name = json_string_value(json_object_get(in, "name"));
    const char *kind = json_string_value(json_object_get(in, "kind"));
    const char *sector = json_string_value(json_object_get(in, "sector"));
    const char *number = json_string_value(json_object_get(in, "app_number"));
    const char *note = json_string_value(json_object_get(in, "note"));
    json_t *amount = json_object_get(in, "amount");
    json_t *ent = json_object_get(in, "enterprise_id");
    char on[11];
    if (!name || !*name || text_check_field(name, 200, false))
        return problem_set(p, ERR_INVALID_FIELD, "name", "须填写项目名称");
    if (!kind || (strcmp(kind, "招商") && strcmp(kind, "融资")))
        return problem_set(p, ERR_INVALID_FIELD, "kind", "类型须为 招商 或 融资");
    if (!sector || !*sector || text_check_field(sector, 64, false))
        return problem_set(p, ERR_INVALID_FIELD, "sector", "须填写所属行业");
    if (!json_is_number(amount) || json_number_value(amount) < 0 || json_number_value(amount) > 1e9)
        return problem_set(p, ERR_INVALID_FIELD, "amount", "金额须为非负数（万元）");
    if (note && text_check_field(note, 1000, true))
        return problem_set(p, ERR_INVALID_FIELD, "note", "备注无效");
    if (ent && !json_is_null(ent) && (!json_is_integer(ent) || json_integer_value(ent) <= 0))
        return problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "企业无效");
    if (invest_day(json_string_value(json_object_get(in, "on")), on))
        return problem_set(p, ERR_INVALID_FIELD, "on", "签约日期须为 YYYY-MM-DD");
    if (number && *number && invest_app_exists(db, number) != 1)
        return problem_set(p, ERR_INVALID_FIELD, "app_number", "未找到该环评受理编号");
    if (db_begin(db))
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    sqlite3_stmt *st = db_stmt(
        db, "INSERT INTO invest_projects (name, kind, sector, amount, status, enterprise_id, "
            "app_number, updated_on, signed_on, note, created_at) "
            "VALUES (?, ?, ?, ?, '签约', nullif(?, 0), ?, ?, ?, ?, ?)");
    if (!st)
        return invest_internal(db, p);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, sector, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(st, 4, json_number_value(amount));
    sqlite3_bind_int64(st, 5, json_is_integer(ent) ? json_integer_value(ent) : 0);
    sqlite3_bind_text(st, 6, number ? number : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, on, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, on, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 9, note ? note : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 10, timeutil_now());
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        db_rollback(db);
        return problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "企业不存在");
    }
    if (rc != SQLITE_DONE)
        return invest_internal(db, p);
    *id = sqlite3_last_insert_rowid(db_handle(db));
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)*id);
    if (audit_append(db, actor, "invest.create", "invest_project", sid, in) || db_commit(db))
        return invest_internal(db, p);
    return ERR_OK;
}

enum err invest_advance(struct db *db, const struct audit_actor *actor, int64_t id,
                        const char *on_in, struct problem *p)
{
    char on[11];
    if (invest_day(on_in, on))
        return problem_set(p, ERR_INVALID_FIELD, "on", "日期须为 YYYY-MM-DD");
    if (db_begin(db))
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    sqlite3_stmt *st = db_stmt(db, "SELECT status, updated_on FROM invest_projects WHERE id = ?");
    if (!st)
        return invest_internal(db, p);
    sqlite3_bind_int64(st, 1, id);
    int stage = -2;
    char last[11] = "";
    if (sqlite3_step(st) == SQLITE_ROW) {
        stage = invest_stage((const char *)sqlite3_column_text(st, 0));
        snprintf(last, sizeof last, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (stage == -2) {
        db_rollback(db);
        return problem_set(p, ERR_NOT_FOUND, NULL, "%s", err_message(ERR_NOT_FOUND));
    }
    if (stage < 0 || stage + 1 >= (int)INVEST_NSTAGES) {
        db_rollback(db);
        return problem_set(p, ERR_CONFLICT, "status", "项目已投产，没有下一阶段");
    }
    if (strcmp(on, last) < 0) {
        db_rollback(db);
        return problem_set(p, ERR_INVALID_FIELD, "on", "日期不得早于上一阶段（%s）", last);
    }
    st = db_stmt(db, invest_stage_sql[stage + 1]);
    if (!st)
        return invest_internal(db, p);
    sqlite3_bind_text(st, 1, invest_stages[stage + 1], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, on, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, on, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, id);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)id);
    json_t *d = json_pack("{ss ss}", "status", invest_stages[stage + 1], "on", on);
    rc = rc || audit_append(db, actor, "invest.advance", "invest_project", sid, d);
    json_decref(d);
    if (rc || db_commit(db))
        return invest_internal(db, p);
    return ERR_OK;
}

static json_t *invest_row(sqlite3_stmt *st)
{
    json_t *o = json_pack(
        "{sI ss ss ss sf ss ss}", "id", (json_int_t)sqlite3_column_int64(st, 0), "name",
        (const char *)sqlite3_column_text(st, 1), "kind", (const char *)sqlite3_column_text(st, 2),
        "sector", (const char *)sqlite3_column_text(st, 3), "amount", sqlite3_column_double(st, 4),
        "status", (const char *)sqlite3_column_text(st, 5), "updated_on",
        (const char *)sqlite3_column_text(st, 6));
    static const char *const keys[] = {"signed_on", "started_on", "operating_on"};
    for (int i = 0; i < 3; i++)
        json_object_set_new(o, keys[i],
                            sqlite3_column_type(st, 7 + i) == SQLITE_NULL
                                ? json_null()
                                : json_string((const char *)sqlite3_column_text(st, 7 + i)));
    json_object_set_new(o, "enterprise_id",
                        sqlite3_column_type(st, 10) == SQLITE_NULL
                            ? json_null()
                            : json_integer(sqlite3_column_int64(st, 10)));
    json_object_set_new(o, "enterprise_name",
                        json_string(sqlite3_column_type(st, 11) == SQLITE_NULL
                                        ? ""
                                        : (const char *)sqlite3_column_text(st, 11)));
    json_object_set_new(o, "note", json_string((const char *)sqlite3_column_text(st, 12)));
    const char *number = (const char *)sqlite3_column_text(st, 13);
    json_object_set_new(o, "application",
                        *number ? json_pack("{ss ss sI}", "number", number, "status",
                                            sqlite3_column_type(st, 14) == SQLITE_NULL
                                                ? "unknown"
                                                : (const char *)sqlite3_column_text(st, 14),
                                            "id", (json_int_t)sqlite3_column_int64(st, 15))
                                : json_null());
    return o;
}

static const char INVEST_BY_STATUS[] =
    "SELECT status, count(*), total(amount) FROM "
    "invest_projects GROUP BY status ORDER BY total(amount) DESC";
static const char INVEST_BY_SECTOR[] =
    "SELECT sector, count(*), total(amount) FROM "
    "invest_projects GROUP BY sector ORDER BY total(amount) DESC";
static const char INVEST_BY_KIND[] = "SELECT kind, count(*), total(amount) FROM "
                                     "invest_projects GROUP BY kind ORDER BY total(amount) DESC";

/* Count and amount per key; `sql` is one of the INVEST_BY_* literals. */
static json_t *invest_totals(struct db *db, const char *sql)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    json_t *out = json_array();
    while (st && sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            out, json_pack("{ss si sf}", "key", (const char *)sqlite3_column_text(st, 0), "count",
                           sqlite3_column_int(st, 1), "amount", sqlite3_column_double(st, 2)));
    if (st)
        sqlite3_reset(st);
    return out;
}

static void api_invest_list(struct http_req *r)
{
    const char *status = http_query(r, "status");
    const char *sector = http_query(r, "sector");
    const char *kind = http_query(r, "kind");
    sqlite3_stmt *st = db_stmt(
        r->db, "SELECT p.id, p.name, p.kind, p.sector, p.amount, p.status, p.updated_on, "
               "p.signed_on, p.started_on, p.operating_on, p.enterprise_id, e.name, p.note, "
               "p.app_number, a.status, coalesce(a.id, 0) FROM invest_projects p "
               "LEFT JOIN enterprises e ON e.id = p.enterprise_id "
               "LEFT JOIN eia_applications a ON a.number = p.app_number AND p.app_number <> '' "
               "WHERE (?1 IS NULL OR p.status = ?1) AND (?2 IS NULL OR p.sector = ?2) "
               "AND (?3 IS NULL OR p.kind = ?3) ORDER BY p.id DESC LIMIT ?4");
    if (!st) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    if (status && *status)
        sqlite3_bind_text(st, 1, status, -1, SQLITE_TRANSIENT);
    if (sector && *sector)
        sqlite3_bind_text(st, 2, sector, -1, SQLITE_TRANSIENT);
    if (kind && *kind)
        sqlite3_bind_text(st, 3, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, kit_limit(r, 200, 1000));
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, invest_row(st));
    sqlite3_reset(st);
    json_t *all = json_object();
    sqlite3_stmt *t = db_stmt(r->db, "SELECT count(*), total(amount) FROM invest_projects");
    if (t && sqlite3_step(t) == SQLITE_ROW) {
        json_object_set_new(all, "count", json_integer(sqlite3_column_int(t, 0)));
        json_object_set_new(all, "amount", json_real(sqlite3_column_double(t, 1)));
    }
    if (t)
        sqlite3_reset(t);
    http_json(r, 200,
              json_pack("{so s{so so so so}}", "items", items, "totals", "by_status",
                        invest_totals(r->db, INVEST_BY_STATUS), "by_sector",
                        invest_totals(r->db, INVEST_BY_SECTOR), "by_kind",
                        invest_totals(r->db, INVEST_BY_KIND), "all", all));
}

static void api_invest_create(struct http_req *r)
{
    json_t *in = http_body_json(r);
    if (!in)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    int64_t id = 0;
    enum err e = invest_create(r->db, &actor, in, &id, &p);
    json_decref(in);
    if (e)
        http_problem(r, &p);
    else
        http_json(r, 201, json_pack("{sI}", "id", (json_int_t)id));
}

static void api_invest_advance(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *in = http_body_json(r);
    if (!in)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    enum err e =
        invest_advance(r->db, &actor, id, json_string_value(json_object_get(in, "on")), &p);
    json_decref(in);
    if (e)
        http_problem(r, &p);
    else
        http_json(r, 200, json_pack("{sI}", "id", (json_int_t)id));
}

/* Links (or unlinks with "") the project to its EIA application by number. */
static void api_invest_link(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *in = http_body_json(r);
    if (!in)
        return;
    const char *number = json_string_value(json_object_get(in, "app_number"));
    struct audit_actor actor;
    kit_actor(r, &actor);
    enum err e = ERR_OK;
    if (!number || strlen(number) > 31 || (*number && invest_app_exists(r->db, number) != 1))
        e = ERR_INVALID_FIELD;
    else if (db_begin(r->db))
        e = ERR_INTERNAL;
    if (!e) {
        sqlite3_stmt *st = db_stmt(r->db, "UPDATE invest_projects SET app_number = ? WHERE id = ?");
        char sid[24];
        snprintf(sid, sizeof sid, "%lld", (long long)id);
        int rc = -1;
        if (st) {
            sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 2, id);
            rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
            sqlite3_reset(st);
        }
        if (!rc && sqlite3_changes(db_handle(r->db)) != 1)
            e = ERR_NOT_FOUND;
        else if (rc || audit_append(r->db, &actor, "invest.link", "invest_project", sid, in) ||
                 db_commit(r->db))
            e = ERR_INTERNAL;
        if (e)
            db_rollback(r->db);
    }
    json_decref(in);
    if (e == ERR_INVALID_FIELD)
        http_error(r, e, "未找到该环评受理编号", "app_number");
    else if (e)
        http_error(r, e, NULL, NULL);
    else
        http_json(r, 200, json_pack("{sI}", "id", (json_int_t)id));
}

static const struct route invest_table[] = {
    {HTTP_GET, "/api/v1/approval/invest-projects", api_invest_list, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/approval/invest-projects", api_invest_create, INVEST_WRITERS, 0},
    {HTTP_POST, "/api/v1/approval/invest-projects/{id}/advance", api_invest_advance, INVEST_WRITERS,
     0},
    {HTTP_POST, "/api/v1/approval/invest-projects/{id}/link", api_invest_link, INVEST_WRITERS, 0},
};

const struct route_group app_invest_routes = ROUTE_GROUP("invest", invest_table);
