/* chttp — the ClickHouse HTTP interface with libcurl, for the ClickHouse readings engine
 * (store_readings_ch*.c): one statement per POST, its data (TabSeparated) as the body or the
 * statement itself as the body, the reply read back bounded; and the text forms ClickHouse
 * reads and writes (string literals, TabSeparated fields).
 *
 * Works with ClickHouse 18.16 (Debian 12's clickhouse-server) and current releases: no query
 * parameters (18.16 has none: every value is formatted here — numbers by printf, strings by
 * chttp_put_literal), settings in the URL, HTTP basic authentication.
 *
 * Owns: the endpoints' order (a failed endpoint is tried after the others next time) and the
 * limits of every request (connect and total timeouts, reply size). Must not: know the
 * tables. */
#ifndef ECOGOV_CHTTP_H
#define ECOGOV_CHTTP_H

#include "core/buf.h"

#include <stddef.h>

#define CHTTP_MAX_URLS 16

/* Where the cluster is and who we are there. Names are checked by chttp_conf_parse. */
struct chttp_conf {
    char *urls[CHTTP_MAX_URLS]; /* http://host:port of every server of the cluster */
    int nurls;
    char *user, *password;
    char database[64]; /* [A-Za-z0-9_] only: written into SQL as is */
    char cluster[64];  /* likewise */
    long timeout;      /* seconds for one request (connect at most 2) */
};

/* Fills c from the configuration's strings (urls comma separated). 0, or -1 with a
 * message. */
int chttp_conf_parse(struct chttp_conf *c, const char *urls, const char *user, const char *password,
                     const char *database, const char *cluster, char *err, size_t errlen);
void chttp_conf_free(struct chttp_conf *c);

/* Runs sql on endpoint `at` (0..nurls-1), or on the first that answers when at < 0. data
 * (len bytes, may be NULL) is sent as the body after the statement (an INSERT's rows);
 * settings ("name=value&...", may be NULL) go into the URL. The reply body is appended to
 * out (NULL = dropped; at most 64 MB). 0 on HTTP 200; -1 with ClickHouse's message or the
 * transport's in err. */
int chttp_run(const struct chttp_conf *c, int at, const char *settings, const char *sql,
              const char *data, size_t len, struct buf *out, char *err, size_t errlen);

/* Appends s as a ClickHouse string literal: quoted, with \ and ' escaped (and control
 * bytes as \xHH) so nothing in s can end the literal. 0 or -1. */
int chttp_put_literal(struct buf *b, const char *s);
/* Appends len bytes as one TabSeparated field (\\ \t \n \r \0 \b \f escaped). 0 or -1. */
int chttp_put_field(struct buf *b, const char *s, size_t len);

/* Splits a TabSeparated reply: the next line from *pos into at most max fields, each
 * unescaped in place (fields[i] NUL-terminated, lens[i] its length). Returns the number of
 * fields, 0 at the end of the text. */
int chttp_next_row(char *text, size_t len, size_t *pos, char **fields, size_t *lens, int max);

#endif
