/* auth — login, logout, the current user, and the session check every
 * API request goes through. */
#include "app/app.h"
#include "core/log.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "db/audit.h"
#include "db/db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define AUTH_COOKIE "ecogov_session"
#define AUTH_TOUCH_EVERY 60 /* seconds between last_seen writes: reads stay read-only */

enum err app_auth_resolve(struct http_req *r)
{
    const char *token = http_cookie(r, AUTH_COOKIE);
    if (!token)
        return ERR_UNAUTHENTICATED;
    int found = sessions_lookup(r->db, token, &r->session);
    if (found < 0)
        return ERR_UNAVAILABLE;
    if (found)
        return ERR_SESSION_EXPIRED;
    const struct config *cfg = r->app->cfg;
    int64_t now = timeutil_now();
    if (r->session.user.disabled || now - r->session.last_seen > cfg->session_idle ||
        now - r->session.created_at > cfg->session_absolute) {
        sessions_delete(r->db, r->session.token_hash);
        return ERR_SESSION_EXPIRED;
    }
    if (now - r->session.last_seen >= AUTH_TOUCH_EVERY)
        sessions_touch(r->db, r->session.token_hash, now);
    r->has_session = true;
    return ERR_OK;
}

bool app_auth_csrf_ok(struct http_req *r)
{
    if (!r->has_session)
        return true; /* public writes carry no session to forge */
    const char *sent = http_header(r, "X-CSRF-Token");
    return sent && strlen(sent) == strlen(r->session.csrf) &&
           sodium_memcmp(sent, r->session.csrf, strlen(sent)) == 0;
}

static void auth_set_cookie(struct http_req *r, const char *token, long max_age)
{
    char cookie[256];
    snprintf(cookie, sizeof cookie,
             AUTH_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; "
                         "Max-Age=%ld%s",
             token, max_age, r->app->cfg->secure_cookies ? "; Secure" : "");
    http_add_header(r, "Set-Cookie", cookie);
}

static void auth_reply_user(struct http_req *r, int status, const struct user *u, const char *csrf)
{
    http_json(r, status, json_pack("{so ss}", "user", users_to_json(u), "csrf_token", csrf));
}

static int auth_throttled(struct http_req *r, const char *ukey, const char *akey, int64_t now)
{
    const struct config *cfg = r->app->cfg;
    int64_t wait = throttle_wait(r->app->throttle, ukey, (int)cfg->login_max_failures, now);
    int64_t wait_addr =
        throttle_wait(r->app->throttle, akey, (int)cfg->login_max_failures_address, now);
    if (wait_addr > wait)
        wait = wait_addr;
    if (!wait)
        return 0;
    char secs[24];
    snprintf(secs, sizeof secs, "%lld", (long long)wait);
    http_add_header(r, "Retry-After", secs);
    http_error(r, ERR_TOO_MANY_ATTEMPTS, NULL, NULL);
    return 1;
}

static void auth_audit(struct http_req *r, const struct user *u, const char *action)
{
    struct audit_actor actor = {u->id, u->username};
    json_t *detail = json_pack("{ss}", "address", r->remote_addr);
    if (db_begin(r->db) == 0) {
        if (audit_append_id(r->db, &actor, action, "user", u->id, detail) || db_commit(r->db))
            db_rollback(r->db);
    }
    json_decref(detail);
}

void app_auth_login(struct http_req *r)
{
    json_t *body = http_body_json(r);
    if (!body)
        return;
    const char *username = json_string_value(json_object_get(body, "username"));
    const char *password = json_string_value(json_object_get(body, "password"));
    if (!username || !password || text_check_field(username, 64, 0) || strlen(password) > 256) {
        http_error(r, ERR_INVALID_FIELD, "请输入用户名和密码", "username");
        json_decref(body);
        return;
    }
    char ukey[96], akey[96], name[72];
    users_name_key(username, name, sizeof name);
    snprintf(ukey, sizeof ukey, "u:%s", name);
    snprintf(akey, sizeof akey, "a:%s", r->remote_addr);
    int64_t now = timeutil_now();
    if (auth_throttled(r, ukey, akey, now)) {
        json_decref(body);
        return;
    }
    struct user u;
    char hash[128];
    int found = users_find_by_name(r->db, username, &u, hash);
    bool ok = users_password_ok(found == 0 ? hash : NULL, password) && !u.disabled;
    if (found < 0 || !ok) {
        if (found < 0) {
            http_error(r, ERR_UNAVAILABLE, NULL, NULL);
        } else {
            throttle_fail(r->app->throttle, ukey, now);
            throttle_fail(r->app->throttle, akey, now);
            log_warn("auth: failed login for '%s' from %s", username, r->remote_addr);
            http_error(r, ERR_BAD_CREDENTIALS, NULL, NULL);
        }
        json_decref(body);
        return;
    }
    json_decref(body);
    throttle_reset(r->app->throttle, ukey);
    char token[USERS_TOKEN_LEN + 1], csrf[USERS_TOKEN_LEN + 1];
    if (sessions_create(r->db, u.id, r->remote_addr, token, csrf)) {
        http_error(r, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    auth_audit(r, &u, "auth.login");
    auth_set_cookie(r, token, r->app->cfg->session_absolute);
    auth_reply_user(r, 200, &u, csrf);
}

void app_auth_logout(struct http_req *r)
{
    sessions_delete(r->db, r->session.token_hash);
    auth_audit(r, &r->session.user, "auth.logout");
    auth_set_cookie(r, "", 0);
    http_json(r, 200, json_pack("{sb}", "ok", 1));
}

void app_auth_me(struct http_req *r)
{
    auth_reply_user(r, 200, &r->session.user, r->session.csrf);
}
