/* dbf_text — .dbf text as UTF-8 (dbf_text.h), converted with iconv. */
#include "domain/dbf_text.h"
#include "core/text.h"
#include "core/xalloc.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *dbf_text(const char *s)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    if (text_utf8_valid(s, n))
        return xstrndup(s, n);
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = n * 2 + 1, left = cap - 1;
    char *out = xmalloc(cap), *o = out, *in = (char *)s;
    size_t inleft = n;
    size_t rc = iconv(cd, &in, &inleft, &o, &left);
    iconv_close(cd);
    if (rc == (size_t)-1 || inleft) {
        free(out);
        return NULL;
    }
    *o = '\0';
    return out;
}

json_t *dbf_text_fields(DBFHandle dbf, int rec, const char *const *fields, size_t n,
                        const char **bad)
{
    json_t *props = json_object();
    for (size_t f = 0; f < n; f++) {
        int idx = DBFGetFieldIndex(dbf, fields[f]);
        if (idx < 0 || DBFIsAttributeNULL(dbf, rec, idx))
            continue;
        const char *raw = DBFReadStringAttribute(dbf, rec, idx);
        char *s = raw ? dbf_text(raw) : NULL;
        if (!s) {
            *bad = fields[f];
            json_decref(props);
            return NULL;
        }
        if (*s)
            json_object_set_new(props, fields[f], json_string(s));
        free(s);
    }
    return props;
}

bool shp_open_pair(const char *path, SHPHandle *shp, DBFHandle *dbf, int *count, int *type,
                   char *err, size_t errlen)
{
    *shp = SHPOpen(path, "rb");
    *dbf = *shp ? DBFOpen(path, "rb") : NULL;
    *count = *type = 0;
    if (*shp && *dbf) {
        SHPGetInfo(*shp, count, type, NULL, NULL);
        return true;
    }
    snprintf(err, errlen, "无法打开 Shapefile（需要 .shp、.shx、.dbf）：%s", path);
    if (*shp)
        SHPClose(*shp);
    *shp = NULL;
    return false;
}
