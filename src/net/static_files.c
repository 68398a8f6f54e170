#include "net/static_files.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    const char *ext;
    const char *type;
} static_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".geojson", "application/geo+json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".ttf", "font/ttf"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *static_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof static_types / sizeof static_types[0]; i++)
        if (!strcmp(dot, static_types[i].ext))
            return static_types[i].type;
    return "application/octet-stream";
}

/* Only plain relative paths: no "..", no dot-files, no backslashes or NULs. */
static int static_path_ok(const char *p)
{
    if (*p != '/' || strlen(p) > 512)
        return 0;
    for (const char *s = p; *s; s++) {
        if (*s == '\\' || (unsigned char)*s < 0x20)
            return 0;
        if (*s == '/' && s[1] == '.')
            return 0;
    }
    return 1;
}

static int static_open(const char *root, const char *path, struct stat *st)
{
    char full[1024];
    if (snprintf(full, sizeof full, "%s%s", root, path) >= (int)sizeof full)
        return -1;
    int fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
        close(fd);
        return -1;
    }
    return fd;
}

static int static_accepts_gzip(struct http_req *r)
{
    const char *ae = http_header(r, "Accept-Encoding");
    return ae && strstr(ae, "gzip");
}

void static_serve(struct http_req *r, const char *root)
{
    if (r->method != HTTP_GET && r->method != HTTP_HEAD) {
        http_error(r, ERR_METHOD_NOT_ALLOWED, NULL, NULL);
        return;
    }
    const char *path = r->path;
    if (!static_path_ok(path)) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    const char *last = strrchr(path, '/');
    if (!strchr(last, '.'))
        path = "/index.html"; /* a UI route: the single-page app decides */
    char gz[600];
    snprintf(gz, sizeof gz, "%s.gz", path);
    struct stat st;
    int gzip = static_accepts_gzip(r);
    int fd = gzip ? static_open(root, gz, &st) : -1;
    if (fd < 0) {
        gzip = 0;
        fd = static_open(root, path, &st);
    }
    if (fd < 0) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    char etag[64];
    snprintf(etag, sizeof etag, "\"%llx-%llx%s\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtime, gzip ? "-gz" : "");
    int immutable = !strncmp(path, "/assets/", 8);
    http_add_header(r, "Cache-Control",
                    immutable ? "public, max-age=31536000, immutable" : "no-cache");
    http_add_header(r, "ETag", etag);
    http_add_header(r, "Vary", "Accept-Encoding");
    if (gzip)
        http_add_header(r, "Content-Encoding", "gzip");
    const char *inm = http_header(r, "If-None-Match");
    if (inm && !strcmp(inm, etag)) {
        close(fd);
        r->status = 304; /* empty body */
        return;
    }
    http_fd(r, 200, fd, (uint64_t)st.st_size, static_type(path));
}
