/* approval feed — the public notices (受理公示, 拟批复公示, 审批决定公告) as
 * a list, a JSON Feed 1.1 and an Atom feed, for portals and readers. */
#include "modules/approval/procedure.h"
#include "core/buf.h"
#include "core/timeutil.h"

#include <stdio.h>
#include <string.h>

/* The mark a superseding notice puts on the one it names. */
static const char *approval_notice_mark(const char *kind)
{
    static const char *const marks[][2] = {
        {"revocation", "已撤销"}, {"withdrawal", "已撤回"}, {"correction", "已更正"}};
    for (size_t i = 0; kind && i < sizeof marks / sizeof *marks; i++)
        if (!strcmp(kind, marks[i][0]))
            return marks[i][1];
    return NULL;
}

json_t *approval_notices(struct db *db, int limit)
{
    json_t *items = approval_store_notices(db, limit);
    approval_iso_column(items, "published_at");
    size_t i;
    json_t *n;
    json_array_foreach(items, i, n)
    {
        json_t *by = json_object_get(n, "superseded_by");
        const char *mark =
            json_is_object(by)
                ? approval_notice_mark(json_string_value(json_object_get(by, "kind")))
                : NULL;
        json_object_set_new(n, "mark", mark ? json_string(mark) : json_null());
        if (json_is_object(by)) {
            char when[32];
            timeutil_format_iso(json_integer_value(json_object_get(by, "published_at")), when,
                                sizeof when);
            json_object_set_new(by, "published_at", json_string(when));
        }
    }
    return items;
}

/* A notice's title as a feed shows it: marked 【已撤销】 etc. once a later
 * notice revoked, withdrew or corrected it. */
static void approval_feed_title(struct buf *b, json_t *n)
{
    const char *mark = json_string_value(json_object_get(n, "mark"));
    if (mark)
        buf_printf(b, "【%s】", mark);
    buf_puts(b, json_string_value(json_object_get(n, "title")));
}

/* When a feed entry last changed: its publication, or the notice that
 * marked it. */
static const char *approval_feed_updated(json_t *n)
{
    json_t *by = json_object_get(n, "superseded_by");
    return json_string_value(json_is_object(by) ? json_object_get(by, "published_at")
                                                : json_object_get(n, "published_at"));
}

enum err approval_notices_jsonfeed(struct db *db, json_t **out, struct problem *p)
{
    json_t *items = approval_notices(db, 50);
    *out = NULL;
    if (!items)
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    json_t *feed = json_array();
    size_t i;
    json_t *n;
    json_array_foreach(items, i, n)
    {
        char id[48];
        snprintf(id, sizeof id, "eia-notice-%lld",
                 (long long)json_integer_value(json_object_get(n, "id")));
        struct buf title;
        buf_init(&title, 0);
        approval_feed_title(&title, n);
        json_array_append_new(feed, json_pack("{ss ss sO sO ss}", "id", id, "title",
                                              title.data ? title.data : "", "content_text",
                                              json_object_get(n, "body"), "date_published",
                                              json_object_get(n, "published_at"), "date_modified",
                                              approval_feed_updated(n)));
        buf_free(&title);
    }
    json_decref(items);
    *out = json_pack("{ss ss ss so}", "version", "https://jsonfeed.org/version/1.1", "title",
                     "环评审批公示公告", "home_page_url", "/notices", "items", feed);
    return ERR_OK;
}

enum err approval_notices_atom(struct db *db, char **out, size_t *len, struct problem *p)
{
    json_t *items = approval_notices(db, 50);
    *out = NULL;
    if (!items)
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    struct buf b;
    buf_init(&b, 0);
    const char *updated =
        json_array_size(items)
            ? json_string_value(json_object_get(json_array_get(items, 0), "published_at"))
            : "2026-01-01T00:00:00+08:00";
    buf_printf(&b,
               "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
               "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
               "<title>环评审批公示公告</title><id>urn:ecogov:eia-notices</id>"
               "<updated>%s</updated>\n",
               updated);
    size_t i;
    json_t *n;
    json_array_foreach(items, i, n)
    {
        buf_printf(&b, "<entry><id>urn:ecogov:eia-notice:%lld</id><title>",
                   (long long)json_integer_value(json_object_get(n, "id")));
        struct buf title;
        buf_init(&title, 0);
        approval_feed_title(&title, n);
        buf_put_xml(&b, title.data ? title.data : "");
        buf_free(&title);
        buf_printf(&b,
                   "</title><published>%s</published><updated>%s</updated>"
                   "<content type=\"text\">",
                   json_string_value(json_object_get(n, "published_at")), approval_feed_updated(n));
        buf_put_xml(&b, json_string_value(json_object_get(n, "body")));
        buf_puts(&b, "</content></entry>\n");
    }
    buf_puts(&b, "</feed>\n");
    json_decref(items);
    *out = buf_detach(&b, len);
    return ERR_OK;
}
