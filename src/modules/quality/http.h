/* quality http — what the quality module's route files (http*.c) share
 * beyond app/kit.h. Must not be used by other modules. */
#ifndef ECOGOV_QUALITY_HTTP_H
#define ECOGOV_QUALITY_HTTP_H

#include "net/http.h"

#include <stdbool.h>
#include <stdint.h>

/* Access-Control-Allow-Origin: * (the public GET routes; no cookies are
 * read there). */
void quality_http_cors(struct http_req *r);
/* A query parameter that must be one of choices (NULL-terminated): *out
 * gets def when it is absent or empty, else the matching choice (static).
 * -1 (answered 422 with message, field = key) when it is something else. */
int quality_query_choice(struct http_req *r, const char *key, const char *const *choices,
                         const char *def, const char *message, const char **out);

/* A query date YYYY-MM-DD as a day number (days since 1970-01-01): def
 * when absent; -1 (answered 422) when malformed. */
int quality_query_day(struct http_req *r, const char *key, int32_t def, int32_t *day);
/* Today's Beijing day number. */
int32_t quality_today(void);

#endif
