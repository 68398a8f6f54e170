#include "domain/service_rules.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct service_aspect service_aspect_table[] = {
    {"overall", "整体满意度"},  {"attitude", "服务态度"},   {"professional", "专业水平"},
    {"efficiency", "服务效率"}, {"solved", "问题解决情况"},
};

const struct service_aspect *service_aspects(size_t *count)
{
    *count = sizeof service_aspect_table / sizeof service_aspect_table[0];
    return service_aspect_table;
}

const char *service_rating_name(int level)
{
    static const char *const names[] = {"非常不满意", "不满意", "基本满意", "满意", "非常满意"};
    return service_rating_valid(level) ? names[level - 1] : NULL;
}

bool service_rating_valid(long long level)
{
    return level >= SERVICE_RATING_MIN && level <= SERVICE_RATING_MAX;
}

bool service_is_bad_review(const int *ratings, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ratings[i] <= SERVICE_RATING_BAD_MAX)
            return true;
    return false;
}

const char *const service_purposes[] = {"调研", "执法", "检查", "督导", "服务", NULL};
const char *const service_categories[] = {"环评审批", "排污许可", "监测", "执法",
                                          "技术帮扶", "政策咨询", "其他", NULL};

bool service_in_list(const char *const *list, const char *s)
{
    if (!s)
        return false;
    for (; *list; list++)
        if (!strcmp(*list, s))
            return true;
    return false;
}

int service_min_staff(const char *purpose)
{
    /* 行政执法 needs two officers (行政处罚法 第四十二条). */
    return purpose && !strcmp(purpose, "执法") ? 2 : 1;
}

static bool service_has(const unsigned char *d, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m > n)
        return false;
    for (size_t i = 0; i + m <= n; i++)
        if (d[i] == (unsigned char)needle[0] && !memcmp(d + i, needle, m))
            return true;
    return false;
}

enum service_file_type service_sniff(const unsigned char *d, size_t n)
{
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (n >= 5 && !memcmp(d, "%PDF-", 5))
        return SERVICE_FILE_PDF;
    if (n >= sizeof png && !memcmp(d, png, sizeof png))
        return SERVICE_FILE_PNG;
    if (n >= 4 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
        return SERVICE_FILE_JPEG;
    if (n >= 30 && !memcmp(d, "PK\x03\x04", 4) && service_has(d, n, "[Content_Types].xml")) {
        /* Entry names are stored uncompressed in the local and central headers. */
        if (service_has(d, n, "word/document.xml"))
            return SERVICE_FILE_DOCX;
        if (service_has(d, n, "xl/workbook.xml"))
            return SERVICE_FILE_XLSX;
        if (service_has(d, n, "ppt/presentation.xml"))
            return SERVICE_FILE_PPTX;
    }
    return SERVICE_FILE_UNKNOWN;
}

static const struct {
    const char *mime;
    const char *ext[3];
} service_files[] = {
    [SERVICE_FILE_UNKNOWN] = {"application/octet-stream", {NULL}},
    [SERVICE_FILE_PDF] = {"application/pdf", {".pdf", NULL}},
    [SERVICE_FILE_PNG] = {"image/png", {".png", NULL}},
    [SERVICE_FILE_JPEG] = {"image/jpeg", {".jpg", ".jpeg", NULL}},
    [SERVICE_FILE_DOCX] =
        {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         {".docx", NULL}},
    [SERVICE_FILE_XLSX] = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           {".xlsx", NULL}},
    [SERVICE_FILE_PPTX] = {"application/"
                           "vnd.openxmlformats-officedocument.presentationml.presentation",
                           {".pptx", NULL}},
};

const char *service_file_mime(enum service_file_type t)
{
    return (unsigned)t <= SERVICE_FILE_PPTX ? service_files[t].mime : service_files[0].mime;
}

const char *service_file_ext(enum service_file_type t)
{
    return (unsigned)t <= SERVICE_FILE_PPTX && service_files[t].ext[0] ? service_files[t].ext[0]
                                                                       : "";
}

bool service_file_ext_ok(enum service_file_type t, const char *filename)
{
    if ((unsigned)t > SERVICE_FILE_PPTX || t == SERVICE_FILE_UNKNOWN)
        return false;
    const char *dot = strrchr(filename, '.');
    if (!dot)
        return true; /* no extension: the sniffed one is added on download */
    for (int i = 0; i < 3 && service_files[t].ext[i]; i++)
        if (!strcasecmp(dot, service_files[t].ext[i]))
            return true;
    return false;
}

char *service_clean_filename(const char *name, char *out, size_t size)
{
    const char *base = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)base; *p;) {
        size_t clen = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
        if (*p < 0x20 || *p == 0x7F || *p == '"' || *p == ';') {
            p++;
            continue;
        }
        if (o + clen >= size)
            break;
        memcpy(out + o, p, clen);
        o += clen;
        p += clen;
    }
    out[o] = '\0';
    while (o && (out[o - 1] == ' ' || out[o - 1] == '.'))
        out[--o] = '\0';
    if (!o || out[0] == '.')
        snprintf(out, size, "附件%s", o ? out : "");
    return out;
}

int service_content_disposition(const char *filename, char *out, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    int n = snprintf(out, size, "attachment; filename=\"");
    if (n < 0 || (size_t)n >= size)
        return -1;
    o = (size_t)n;
    /* The plain filename= is ASCII only; everything else becomes '_'. */
    for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
        if (o + 2 >= size)
            return -1;
        out[o++] =
            (*p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\' && *p != '%') ? (char)*p : '_';
    }
    n = snprintf(out + o, size - o, "\"; filename*=UTF-8''");
    if (n < 0 || (size_t)n >= size - o)
        return -1;
    o += (size_t)n;
    for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
        bool plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                     (*p >= '0' && *p <= '9') || strchr("-._~", *p);
        if (o + (plain ? 1 : 3) >= size)
            return -1;
        if (plain) {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = '\0';
    return 0;
}
