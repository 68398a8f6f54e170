/* admin demo — the demo city's sections and one account for every role
 * (admin, leader, three staff — one the 环评科 chief —, one enterprise user
 * bound to enterprise 1),
 * created with users_create/sections_create and audited like an admin's. */
#include "app/module.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/users.h"
#include "modules/admin/admin.h"

#include <jansson.h>

static const char *const demo_sections[] = {"办公室",     "环评科",       "执法支队",    "监测站",
                                            "大气环境科", "水生态环境科", "法规与标准科"};

static const struct demo_account {
    const char *username, *display_name, *password, *role, *section;
} demo_accounts[] = {
    {"admin", "系统管理员", "Admin@2026", "admin", NULL},
    {"leader", "李局长", "Leader@2026", "leader", NULL},
    {"staff", "王环评", "Staff@2026", "staff", "环评科"},
    {"eiachief", "张科长", "Chief@2026", "staff", "环评科"},
    {"staff2", "赵执法", "Staff@2026", "staff", "执法支队"},
    {"ent", "企业环保专员", "Ent@2026", "enterprise", NULL},
};

/* Sections, then accounts (the enterprise account is bound to enterprise 1),
 * each with its audit entry, in one transaction. */
static int demo_people(struct db *db, const struct audit_actor *actor)
{
    if (db_begin(db))
        return -1;
    for (size_t i = 0; i < sizeof demo_sections / sizeof demo_sections[0]; i++) {
        int64_t sid;
        json_t *d = json_pack("{ss}", "name", demo_sections[i]);
        int bad = sections_create(db, demo_sections[i], &sid) != ERR_OK;
        bad = bad || audit_append_id(db, actor, "section.create", "section", sid, d);
        json_decref(d);
        if (bad)
            goto fail;
    }
    for (size_t i = 0; i < sizeof demo_accounts / sizeof demo_accounts[0]; i++) {
        const struct demo_account *a = &demo_accounts[i];
        struct user_input in = {a->username, a->display_name, a->password, ROLE_PUBLIC, 0, 0, 0};
        role_parse(a->role, &in.role);
        in.section_id = a->section ? sections_find(db, a->section) : 0;
        in.enterprise_id = in.role == ROLE_ENTERPRISE ? 1 : 0;
        int64_t uid;
        const char *field;
        json_t *d = json_pack("{ss ss}", "username", a->username, "role", a->role);
        int bad = users_create(db, &in, &uid, &field) != ERR_OK;
        bad = bad || audit_append_id(db, actor, "user.create", "user", uid, d);
        json_decref(d);
        if (bad)
            goto fail;
    }
    return db_commit(db);
fail:
    db_rollback(db);
    return -1;
}

int admin_demo(const struct module_demo *d)
{
    return demo_people(d->db, d->actor);
}
