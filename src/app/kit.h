/* kit — the one handler kit: what every module's HTTP handler uses to read
 * its input and give its answer, so every handler is
 *     read input -> call a rule function -> answer
 * with the same rules everywhere.
 *
 * Readers that can fail answer the request themselves (404 for a bad path id,
 * 400/415 for a bad body, 422 with the parameter's name for a bad query
 * value) and return a value saying so; the handler then just returns.
 * Field readers for the body are in app/field.h (no HTTP there: rule
 * functions use them). */
#ifndef ECOGOV_KIT_H
#define ECOGOV_KIT_H

#include "core/problem.h"
#include "db/audit.h"
#include "net/http.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* r->params[i] as a positive id; 0 (answered 404) when it is not one. */
int64_t kit_path_id(struct http_req *r, int i);
/* The body as a JSON object (new reference); NULL when answered 400/415. */
json_t *kit_body(struct http_req *r);
/* Who is acting, for audit entries: the session's user, or "public". The
 * name borrows from r. */
void kit_actor(struct http_req *r, struct audit_actor *actor);

/* Query parameters. Absent or empty takes the default. -1 when present but
 * malformed or out of range (answered 422, field = key), else 0. */
int kit_query_int(struct http_req *r, const char *key, int64_t lo, int64_t hi, int64_t def,
                  int64_t *out);
/* A positive id: 0 when absent, -1 when malformed (answered 422). */
int64_t kit_query_id(struct http_req *r, const char *key);
/* limit clamped to [1, max]; def when absent or not a positive integer. */
int kit_limit(struct http_req *r, int def, int max);
/* Text of at most max bytes, valid UTF-8, no control characters; NULL when
 * absent or empty; *bad (answered 422) when present but refused. */
const char *kit_query_text(struct http_req *r, const char *key, size_t max, bool *bad);
/* A date YYYY-MM-DD normalised into out; "" when absent; -1 when malformed
 * (answered 422). */
int kit_query_date(struct http_req *r, const char *key, char out[11]);

/* kit_query_date as a day number (days since 1970-01-01, domain/calendar.h):
 * def when absent (e.g. timeutil_today()); -1 when malformed (answered 422). */
int kit_query_day(struct http_req *r, const char *key, int32_t def, int32_t *day);
/* One choice out of choices (NULL-terminated); def when absent; NULL when
 * present but not one of them (answered 422). *bad says which NULL it is. */
const char *kit_query_choice(struct http_req *r, const char *key, const char *const *choices,
                             const char *def, bool *bad);

/* A write request's input, read once: the path id (when the route has one),
 * the body, the actor, and a problem for the rule function to fill. */
struct kit_write {
    int64_t id;
    json_t *body;
    struct audit_actor actor;
    struct problem p;
};
enum kit_write_path { KIT_NO_ID, KIT_PATH_ID };
/* Reads r's path id (KIT_PATH_ID: r->params[0]) and body, and the actor into
 * w. false when the request was answered (404, 400, 415): return then. */
bool kit_write_begin(struct http_req *r, enum kit_write_path path, struct kit_write *w);
/* Frees w's body and answers as kit_answer (created false) or kit_created. */
void kit_write_end(struct http_req *r, struct kit_write *w, bool created, enum err e,
                   json_t *result);
/* Frees w's body and answers as kit_created_at: a record created elsewhere. */
void kit_write_end_at(struct http_req *r, struct kit_write *w, const char *location, enum err e,
                      json_t *result);

/* The answer to a request a rule function decided. result is stolen.
 *   e != ERR_OK: the stable problem JSON for e with p's message and field
 *                (p may be NULL: the table's default message);
 *   result NULL: 404 (the record does not exist);
 *   otherwise:   200 with result. */
void kit_answer(struct http_req *r, enum err e, const struct problem *p, json_t *result);
/* A list's answer: 200 {"items": items} (stolen), 500 when items is NULL
 * (the read failed). */
void kit_items(struct http_req *r, json_t *items);
/* The same for a request that created a record: 201 with result, and a
 * Location header naming the record when it has an address of its own: the
 * request path + "/" + result's "id", when some route (any method) has that
 * address. */
void kit_created(struct http_req *r, enum err e, const struct problem *p, json_t *result);
/* kit_created for a record whose address is not below the request path
 * (e.g. POST .../unregistered/{mn}/register creates /devices/{id}): location
 * names it. */
void kit_created_at(struct http_req *r, const char *location, enum err e, const struct problem *p,
                    json_t *result);
/* A refusal that carries more than the problem (e.g. an import's list of
 * errors by line): the problem JSON with extra's members (stolen) added. */
void kit_refuse_with(struct http_req *r, const struct problem *p, json_t *extra);
/* A generated text document (CSV, Atom, ...) of len bytes, copied: 200 with
 * content_type; download names a file to save it as (Content-Disposition
 * attachment; NULL = shown inline). */
void kit_text(struct http_req *r, const char *content_type, const char *download, const char *text,
              size_t len);
/* A generated file (an export a library could only write to a path, made with
 * http_temp_file): 200 with its bytes as content_type (static) and
 * disposition as Content-Disposition (NULL = none); 500 when it cannot be
 * read. path is removed in every case (the open descriptor keeps the bytes
 * until the answer is sent). */
void kit_file(struct http_req *r, const char *path, const char *content_type,
              const char *disposition);
#define KIT_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#endif
