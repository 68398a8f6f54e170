/* api_users — accounts and sections, for administrators. */
#include "app/app.h"
#include "app/kit.h"
#include "modules/admin/http.h"
#include "core/text.h"
#include "db/audit.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

/* Reads the user fields of body into in; answers 422 itself and returns -1
 * when a field is wrong. creating: username and password are required. */
static int users_input(struct http_req *r, json_t *body, struct user_input *in, bool creating)
{
    memset(in, 0, sizeof *in);
    in->username = json_string_value(json_object_get(body, "username"));
    in->display_name = json_string_value(json_object_get(body, "display_name"));
    in->password = json_string_value(json_object_get(body, "password"));
    const char *role = json_string_value(json_object_get(body, "role"));
    json_t *disabled = json_object_get(body, "disabled");
    in->disabled = json_is_boolean(disabled) ? json_is_true(disabled) : -1;
    in->section_id = json_integer_value(json_object_get(body, "section_id"));
    in->enterprise_id = json_integer_value(json_object_get(body, "enterprise_id"));
    const char *bad = NULL, *msg = NULL;
    if (creating && (!in->username || text_check_field(in->username, 64, 0) ||
                     strlen(in->username) < 2 || strchr(in->username, ' ')))
        bad = "username", msg = "用户名须为 2–64 个字符且不含空格";
    else if (!in->display_name || !*in->display_name || text_check_field(in->display_name, 128, 0))
        bad = "display_name", msg = "姓名不能为空且不超过 128 字节";
    else if (!role || role_parse(role, &in->role))
        bad = "role", msg = "角色须为 admin、leader、staff 或 enterprise";
    else if (creating && !in->password)
        bad = "password", msg = "请设置初始密码";
    else if (in->password && *in->password && (msg = users_password_weak(in->password)))
        bad = "password";
    if (in->password && !*in->password && !creating)
        in->password = NULL;
    if (bad) {
        http_error(r, ERR_INVALID_FIELD, msg, bad);
        return -1;
    }
    return 0;
}

static void users_audit_and_reply(struct http_req *r, const char *action, int64_t id, json_t *body,
                                  int status)
{
    struct audit_actor actor;
    kit_actor(r, &actor);
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    json_t *detail = json_deep_copy(body);
    if (json_object_get(detail, "password"))
        json_object_set_new(detail, "password", json_string("(changed)"));
    int rc = audit_append(r->db, &actor, action, "user", idtext, detail);
    json_decref(detail);
    struct user u;
    if (rc || db_commit(r->db) || users_get(r->db, id, &u)) {
        db_rollback(r->db);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(r, status, users_to_json(&u));
}

static void users_write(struct http_req *r, int64_t id)
{
    json_t *body = http_body_json(r);
    if (!body)
        return;
    bool creating = id == 0;
    struct user_input in;
    if (users_input(r, body, &in, creating)) {
        json_decref(body);
        return;
    }
    const char *field = NULL;
    if (db_begin(r->db)) {
        json_decref(body);
        http_error(r, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    enum err e =
        creating ? users_create(r->db, &in, &id, &field) : users_update(r->db, id, &in, &field);
    /* A disabled account or a new password ends its sessions at once. */
    if (!e && !creating && (in.disabled > 0 || in.password) && sessions_delete_user(r->db, id))
        e = ERR_INTERNAL;
    if (e) {
        db_rollback(r->db);
        http_error(r, e, e == ERR_CONFLICT ? "用户名已存在" : NULL, field);
    } else {
        users_audit_and_reply(r, creating ? "user.create" : "user.update", id, body,
                              creating ? 201 : 200);
    }
    json_decref(body);
}

void api_users_list(struct http_req *r)
{
    json_t *items = users_list(r->db);
    if (!items) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(r, 200, json_pack("{so}", "items", items));
}

void api_users_create(struct http_req *r)
{
    users_write(r, 0);
}

void api_users_update(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        users_write(r, id);
}

void api_sections_list(struct http_req *r)
{
    json_t *items = sections_list(r->db);
    if (!items) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(r, 200, json_pack("{so}", "items", items));
}

static void sections_write(struct http_req *r, int64_t id)
{
    json_t *body = http_body_json(r);
    if (!body)
        return;
    const char *name = json_string_value(json_object_get(body, "name"));
    if (!name || !*name || text_check_field(name, 128, 0)) {
        json_decref(body);
        http_error(r, ERR_INVALID_FIELD, "科室名称不能为空且不超过 128 字节", "name");
        return;
    }
    enum err e = db_begin(r->db) ? ERR_UNAVAILABLE : ERR_OK;
    int creating = id == 0;
    if (!e)
        e = creating ? sections_create(r->db, name, &id) : sections_rename(r->db, id, name);
    struct audit_actor actor;
    kit_actor(r, &actor);
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    if (!e && (audit_append(r->db, &actor, creating ? "section.create" : "section.update",
                            "section", idtext, body) ||
               db_commit(r->db)))
        e = ERR_INTERNAL;
    if (e) {
        db_rollback(r->db);
        http_error(r, e, e == ERR_CONFLICT ? "科室名称已存在" : NULL, "name");
    } else {
        http_json(r, creating ? 201 : 200,
                  json_pack("{sI ss}", "id", (json_int_t)id, "name", name));
    }
    json_decref(body);
}

void api_sections_create(struct http_req *r)
{
    sections_write(r, 0);
}

void api_sections_update(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        sections_write(r, id);
}
