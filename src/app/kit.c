#include "app/kit.h"
#include "app/app.h"
#include "core/text.h"
#include "domain/calendar.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A positive decimal integer of at most 18 digits, or 0. */
static int64_t kit_parse_id(const char *s)
{
    if (!s || !*s || strlen(s) > 18)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return (*end || errno || v <= 0) ? 0 : (int64_t)v;
}

int64_t kit_path_id(struct http_req *r, int i)
{
    int64_t id = kit_parse_id(r->params[i]);
    if (!id)
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
    return id;
}

json_t *kit_body(struct http_req *r)
{
    return http_body_json(r);
}

void kit_actor(struct http_req *r, struct audit_actor *actor)
{
    actor->id = r->has_session ? r->session.user.id : 0;
    actor->name = r->has_session ? r->session.user.username : "public";
}

int kit_query_int(struct http_req *r, const char *key, int64_t lo, int64_t hi, int64_t def,
                  int64_t *out)
{
    const char *s = http_query(r, key);
    *out = def;
    if (!s || !*s)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno || v < lo || v > hi) {
        char msg[128];
        snprintf(msg, sizeof msg, "查询参数须为 %lld 至 %lld 之间的整数", (long long)lo,
                 (long long)hi);
        http_error(r, ERR_INVALID_FIELD, msg, key);
        return -1;
    }
    *out = (int64_t)v;
    return 0;
}

int64_t kit_query_id(struct http_req *r, const char *key)
{
    const char *s = http_query(r, key);
    if (!s || !*s)
        return 0;
    int64_t id = kit_parse_id(s);
    if (!id) {
        http_error(r, ERR_INVALID_FIELD, "参数须为正整数", key);
        return -1;
    }
    return id;
}

int kit_limit(struct http_req *r, int def, int max)
{
    int64_t v = kit_parse_id(http_query(r, "limit"));
    if (!v)
        return def;
    return v > max ? max : (int)v;
}

const char *kit_query_text(struct http_req *r, const char *key, size_t max, bool *bad)
{
    const char *s = http_query(r, key);
    *bad = false;
    if (!s || !*s)
        return NULL;
    enum text_check tc = text_check_field(s, max, false);
    if (tc != TEXT_OK) {
        *bad = true;
        http_error(r, ERR_INVALID_FIELD, text_check_message(tc), key);
        return NULL;
    }
    return s;
}

int kit_query_date(struct http_req *r, const char *key, char out[11])
{
    const char *s = http_query(r, key);
    int32_t day;
    out[0] = '\0';
    if (!s || !*s)
        return 0;
    if (calendar_parse_date(s, &day)) {
        http_error(r, ERR_INVALID_FIELD, "日期须为 YYYY-MM-DD 格式", key);
        return -1;
    }
    calendar_format_date(day, out);
    return 0;
}

int kit_query_day(struct http_req *r, const char *key, int32_t def, int32_t *day)
{
    char date[11];
    *day = def;
    if (kit_query_date(r, key, date))
        return -1;
    if (*date && calendar_parse_date(date, day)) /* normalised above: it parses */
        return -1;
    return 0;
}

/* created: 201, with Location naming location, or (location NULL) the request path + "/" +
 * result's id when that is the address of some route (the record can be read, changed or
 * deleted there). */
static void kit_reply(struct http_req *r, bool created, const char *location, enum err e,
                      const struct problem *p, json_t *result)
{
    if (e != ERR_OK) {
        json_decref(result);
        http_error(r, e, p && p->message[0] ? p->message : NULL, p ? p->field : NULL);
        return;
    }
    if (!result) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    json_t *id = created && !location ? json_object_get(result, "id") : NULL;
    char loc[512];
    if (json_is_integer(id) && json_integer_value(id) > 0 &&
        snprintf(loc, sizeof loc, "%s/%lld", r->path, (long long)json_integer_value(id)) <
            (int)sizeof loc &&
        app_route_addresses(loc))
        location = loc;
    if (created && location)
        http_add_header(r, "Location", location);
    http_json(r, created ? 201 : 200, result);
}

void kit_answer(struct http_req *r, enum err e, const struct problem *p, json_t *result)
{
    kit_reply(r, false, NULL, e, p, result);
}

void kit_items(struct http_req *r, json_t *items)
{
    kit_answer(r, items ? ERR_OK : ERR_INTERNAL, NULL,
               items ? json_pack("{so}", "items", items) : NULL);
}

void kit_created(struct http_req *r, enum err e, const struct problem *p, json_t *result)
{
    kit_reply(r, true, NULL, e, p, result);
}

void kit_created_at(struct http_req *r, const char *location, enum err e, const struct problem *p,
                    json_t *result)
{
    kit_reply(r, true, location, e, p, result);
}

const char *kit_query_choice(struct http_req *r, const char *key, const char *const *choices,
                             const char *def, bool *bad)
{
    const char *s = http_query(r, key);
    *bad = false;
    if (!s || !*s)
        return def;
    for (size_t i = 0; choices[i]; i++)
        if (!strcmp(s, choices[i]))
            return choices[i];
    *bad = true;
    http_error(r, ERR_INVALID_FIELD, "查询参数的取值无效", key);
    return NULL;
}

bool kit_write_begin(struct http_req *r, enum kit_write_path path, struct kit_write *w)
{
    memset(w, 0, sizeof *w);
    if (path == KIT_PATH_ID && !(w->id = kit_path_id(r, 0)))
        return false;
    if (!(w->body = kit_body(r)))
        return false;
    kit_actor(r, &w->actor);
    return true;
}

void kit_write_end(struct http_req *r, struct kit_write *w, bool created, enum err e,
                   json_t *result)
{
    json_decref(w->body);
    w->body = NULL;
    kit_reply(r, created, NULL, e, &w->p, result);
}

void kit_write_end_at(struct http_req *r, struct kit_write *w, const char *location, enum err e,
                      json_t *result)
{
    json_decref(w->body);
    w->body = NULL;
    kit_reply(r, true, location, e, &w->p, result);
}

void kit_refuse_with(struct http_req *r, const struct problem *p, json_t *extra)
{
    if (!extra)
        extra = json_object();
    if (p->field)
        json_object_set_new(extra, "field", json_string(p->field));
    http_error_json(r, p->err, p->message[0] ? p->message : NULL, extra);
}

void kit_text(struct http_req *r, const char *content_type, const char *download, const char *text,
              size_t len)
{
    if (download) {
        char disp[256];
        snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", download);
        http_add_header(r, "Content-Disposition", disp);
    }
    http_text(r, 200, content_type, text, len);
}

void kit_file(struct http_req *r, const char *path, const char *content_type,
              const char *disposition)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        if (fd >= 0)
            close(fd);
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    if (disposition)
        http_add_header(r, "Content-Disposition", disposition);
    http_fd(r, 200, fd, (uint64_t)st.st_size, content_type);
}
