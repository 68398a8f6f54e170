/* admin users — the rules for accounts and sections: read the fields (the one
 * text rule), check the password policy and references (db/users.c), write
 * and audit in one transaction. */
#include "app/field.h"
#include "db/db.h"
#include "db/users.h"
#include "modules/admin/admin.h"

#include <stdio.h>
#include <string.h>

/* Reads input into in; 0, or -1 with p filled. creating: username and
 * password are required. */
static int admin_users_input(json_t *input, struct user_input *in, bool creating, struct problem *p)
{
    const char *role;
    memset(in, 0, sizeof *in);
    in->disabled = -1;
    if (creating) {
        if (field_text(input, "username", "用户名", 64, FIELD_REQUIRED, &in->username, p))
            return -1;
        if (strlen(in->username) < 2 || strchr(in->username, ' '))
            return problem_set(p, ERR_INVALID_FIELD, "username",
                               "用户名须为 2–64 个字符且不含空格"),
                   -1;
    }
    if (field_text(input, "display_name", "姓名", 128, FIELD_REQUIRED, &in->display_name, p))
        return -1;
    if (field_text(input, "role", "角色", 16, FIELD_REQUIRED, &role, p) ||
        role_parse(role, &in->role))
        return problem_set(p, ERR_INVALID_FIELD, "role",
                           "角色须为 admin、leader、staff 或 enterprise"),
               -1;
    json_t *password = json_object_get(input, "password");
    if (password && !json_is_null(password) && !json_is_string(password))
        return problem_set(p, ERR_INVALID_FIELD, "password", "密码必须是文本"), -1;
    in->password = json_string_value(password);
    if (creating && !in->password)
        return problem_set(p, ERR_INVALID_FIELD, "password", "请设置初始密码"), -1;
    if (in->password && !*in->password && !creating)
        in->password = NULL; /* an empty password on an update keeps the old one */
    const char *weak = creating ? users_password_weak(in->username, in->password) : NULL;
    if (weak)
        return problem_set(p, ERR_INVALID_FIELD, "password", "%s", weak), -1;
    if (field_id(input, "section_id", "科室", FIELD_OPTIONAL, &in->section_id, p) ||
        field_id(input, "enterprise_id", "企业", FIELD_OPTIONAL, &in->enterprise_id, p))
        return -1;
    json_t *disabled = json_object_get(input, "disabled");
    if (disabled && !json_is_null(disabled)) {
        bool off;
        if (field_bool(input, "disabled", "停用", FIELD_OPTIONAL, false, &off, p))
            return -1;
        in->disabled = off;
    }
    return 0;
}

/* The audit entry of an account change: the input, the password masked. */
static int admin_users_audit(struct db *db, const struct audit_actor *actor, const char *action,
                             int64_t id, json_t *input)
{
    json_t *detail = json_deep_copy(input);
    if (json_object_get(detail, "password"))
        json_object_set_new(detail, "password", json_string("(changed)"));
    int rc = audit_append_id(db, actor, action, "user", id, detail);
    json_decref(detail);
    return rc;
}

enum err admin_users_write(struct db *db, const struct audit_actor *actor, int64_t id,
                           json_t *input, json_t **out, struct problem *p)
{
    bool creating = id == 0;
    struct user_input in;
    memset(p, 0, sizeof *p);
    *out = NULL;
    if (admin_users_input(input, &in, creating, p))
        return p->err;
    struct user cur;
    const char *weak = NULL;
    if (!creating && in.password && users_get(db, id, &cur) == 0 &&
        (weak = users_password_weak(cur.username, in.password)))
        return problem_set(p, ERR_INVALID_FIELD, "password", "%s", weak);
    if (db_begin(db))
        return p->err = ERR_UNAVAILABLE;
    const char *field = NULL;
    enum err e = creating ? users_create(db, &in, &id, &field) : users_update(db, id, &in, &field);
    /* A disabled account or a new password ends its sessions at once. */
    if (!e && !creating && (in.disabled > 0 || in.password) && sessions_delete_user(db, id))
        e = ERR_INTERNAL;
    if (!e && admin_users_audit(db, actor, creating ? "user.create" : "user.update", id, input))
        e = ERR_INTERNAL;
    struct user u;
    if (!e && (db_commit(db) || users_get(db, id, &u)))
        e = ERR_INTERNAL;
    if (e) {
        db_rollback(db);
        p->err = e;
        p->field = field;
        if (e == ERR_CONFLICT)
            snprintf(p->message, sizeof p->message, "用户名已存在");
        return e;
    }
    *out = users_to_json(&u);
    return ERR_OK;
}

enum err admin_sections_write(struct db *db, const struct audit_actor *actor, int64_t id,
                              json_t *input, json_t **out, struct problem *p)
{
    bool creating = id == 0;
    const char *name;
    memset(p, 0, sizeof *p);
    *out = NULL;
    if (field_text(input, "name", "科室名称", 128, FIELD_REQUIRED, &name, p))
        return p->err;
    if (db_begin(db))
        return p->err = ERR_UNAVAILABLE;
    enum err e = creating ? sections_create(db, name, &id) : sections_rename(db, id, name);
    if (!e && (audit_append_id(db, actor, creating ? "section.create" : "section.update", "section",
                               id, input) ||
               db_commit(db)))
        e = ERR_INTERNAL;
    if (e) {
        db_rollback(db);
        p->err = e;
        p->field = "name";
        if (e == ERR_CONFLICT)
            snprintf(p->message, sizeof p->message, "科室名称已存在");
        return e;
    }
    *out = json_pack("{sI ss}", "id", (json_int_t)id, "name", name);
    return ERR_OK;
}
