/* village link — the links people without an account act through (a
 * village's waste collector, a facility's operator): a token of 32 random
 * bytes sent in the link and kept only as its SHA-256, and the link's full
 * address with its QR code for printing. Declared in internal.h. */
#include "modules/service/service.h"
#include "db/db.h"
#include "modules/village/internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void village_token_hash(const char *token, unsigned char h[32])
{
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
}

void village_token_new(char token[VILLAGE_TOKEN_LEN + 1], unsigned char h[32])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, VILLAGE_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    village_token_hash(token, h);
}

bool village_token_shape_ok(const char *token)
{
    return token && strlen(token) == VILLAGE_TOKEN_LEN;
}

void village_add_qr(json_t *out, const char *base, const char *path)
{
    char url[400];
    snprintf(url, sizeof url, "%s%s", base, path);
    char *svg = svc_qr_svg(url);
    json_object_set_new(out, "url", json_string(url));
    json_object_set_new(out, "qr_svg", json_string(svg ? svg : ""));
    free(svg);
}

enum err village_base_check(const char *base, bool required, struct problem *p)
{
    if ((!base || !*base) && !required)
        return ERR_OK;
    if (!base || !svc_base_ok(base))
        return problem_set(p, ERR_INVALID_FIELD, "base", "链接地址须为 http(s)://主机[:端口]");
    return ERR_OK;
}

enum err village_link_issue(struct village_ctx *c, const struct village_link_kind *k, int64_t id,
                            const char *base, json_t **out, struct problem *p)
{
    memset(p, 0, sizeof *p);
    if (village_base_check(base, false, p))
        return p->err;
    unsigned char h[32];
    char token[VILLAGE_TOKEN_LEN + 1];
    village_token_new(token, h);
    if (db_begin(c->db))
        return village_db_fail(p);
    int rc = k->set(c->db, id, h);
    if (!rc)
        rc = audit_append_id(c->db, &c->actor, k->action, k->entity, id, NULL);
    if (rc || db_commit(c->db)) {
        db_rollback(c->db);
        return rc == 1 ? problem_set(p, ERR_NOT_FOUND, NULL, "%s不存在", k->owner)
                       : village_db_fail(p);
    }
    char path[80];
    snprintf(path, sizeof path, "%s%s", k->path, token);
    *out = json_pack("{ss ss}", "token", token, "path", path);
    if (base && *base)
        village_add_qr(*out, base, path);
    return ERR_OK;
}

int64_t village_link_resolve(struct village_ctx *c, const struct village_link_kind *k,
                             const char *token, struct problem *p)
{
    if (!village_token_shape_ok(token))
        return problem_set(p, ERR_TOKEN_INVALID, NULL, "%s无效", k->name), 0;
    unsigned char h[32];
    village_token_hash(token, h);
    int64_t id = k->find(c->db, h);
    if (id < 0)
        return village_db_fail(p), 0;
    if (!id)
        problem_set(p, ERR_TOKEN_INVALID, NULL, "%s无效或已重新生成", k->name);
    return id;
}
