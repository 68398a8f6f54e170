/* approval feed — the public notices (受理公示, 拟批复公示, 审批决定公告) as
 * a list, a JSON Feed 1.1 and an Atom feed, for portals and readers. */
#include "modules/approval/procedure.h"
#include "core/buf.h"

#include <stdio.h>
#include <string.h>

json_t *approval_notices(struct db *db, int limit)
{
    json_t *items = approval_store_notices(db, limit);
    approval_iso_column(items, "published_at");
    return items;
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
        json_array_append_new(feed, json_pack("{ss sO sO sO}", "id", id, "title",
                                              json_object_get(n, "title"), "content_text",
                                              json_object_get(n, "body"), "date_published",
                                              json_object_get(n, "published_at")));
    }
    json_decref(items);
    *out = json_pack("{ss ss ss so}", "version", "https://jsonfeed.org/version/1.1", "title",
                     "环评审批公示公告", "home_page_url", "/notices", "items", feed);
    return ERR_OK;
}

static void approval_xml(struct buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '<')
            buf_puts(b, "&lt;");
        else if (*s == '>')
            buf_puts(b, "&gt;");
        else if (*s == '&')
            buf_puts(b, "&amp;");
        else if (*s == '"')
            buf_puts(b, "&quot;");
        else
            buf_append(b, s, 1);
    }
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
        approval_xml(&b, json_string_value(json_object_get(n, "title")));
        buf_printf(&b, "</title><updated>%s</updated><content type=\"text\">",
                   json_string_value(json_object_get(n, "published_at")));
        approval_xml(&b, json_string_value(json_object_get(n, "body")));
        buf_puts(&b, "</content></entry>\n");
    }
    buf_puts(&b, "</feed>\n");
    json_decref(items);
    *out = buf_detach(&b, len);
    return ERR_OK;
}
