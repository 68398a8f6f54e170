/* river shpzip — a Shapefile uploaded as one .zip (the .shp, .shx, .dbf and
 * optional .prj of one layer), unpacked into a private directory and read by
 * river_shapefile_geojson (shapelib reads files by name).
 *
 * The archive is hostile: its member names are never used as paths (the
 * members are written as layer.shp, layer.shx, ... in a fresh mkdtemp
 * directory), each member is bounded while it is inflated (a declared size
 * can lie: zip bombs), encrypted members, several layers and projected
 * coordinates (.prj with PROJCS) are refused; every refusal is a message for
 * the user and nothing is imported. The directory is removed before
 * returning. */
#include "modules/river/rules.h"

#include "domain/river_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <unzip.h>

#define SHPZIP_MAX_ENTRIES 64
#define SHPZIP_NAME_MAX 512

/* The members taken from the archive, by extension, with their size caps:
 * a .shp of 16 MiB holds a million vertices (river_geometry_check allows
 * 20,000 per reach, 2,000 reaches); the index 8 bytes per record. */
static const struct shpzip_part {
    const char *ext;
    long long max;
    bool required;
} shpzip_parts[] = {
    {".shp", 16LL << 20, true},
    {".shx", 1LL << 20, true},
    {".dbf", 16LL << 20, true},
    {".prj", 64LL << 10, false},
};
#define SHPZIP_NPARTS (sizeof shpzip_parts / sizeof shpzip_parts[0])

struct shpzip {
    char dir[512];
    bool have[SHPZIP_NPARTS];
    char stem[SHPZIP_NAME_MAX]; /* the archive name of the layer, to refuse a second one */
    char *err;
    size_t errlen;
    enum err code; /* ERR_INVALID_FIELD, or ERR_BODY_TOO_LARGE for a member over its cap */
};

static int shpzip_fail(struct shpzip *z, enum err code, const char *msg)
{
    snprintf(z->err, z->errlen, "%s", msg);
    z->code = code;
    return -1;
}

static void shpzip_path(const struct shpzip *z, const char *ext, char *out, size_t size)
{
    snprintf(out, size, "%s/layer%s", z->dir, ext);
}

/* The part the member name is (its index), -1 for a member to skip (other
 * files of the layer such as .cpg, folders, macOS resource forks). */
static int shpzip_part_of(const char *name, size_t *stem_len)
{
    const char *base = name;
    for (const char *s = name; *s; s++)
        if (*s == '/' || *s == '\\')
            base = s + 1;
    size_t n = strlen(base);
    if (n < 5 || base[0] == '.' || !strncmp(name, "__MACOSX", 8))
        return -1;
    for (size_t i = 0; i < SHPZIP_NPARTS; i++)
        if (!strcasecmp(base + n - 4, shpzip_parts[i].ext)) {
            *stem_len = strlen(name) - 4;
            return (int)i;
        }
    return -1;
}

/* Inflates the current member into its file, at most max bytes. */
static int shpzip_extract(struct shpzip *z, unzFile zip, size_t part)
{
    char path[600];
    shpzip_path(z, shpzip_parts[part].ext, path, sizeof path);
    if (unzOpenCurrentFile(zip) != UNZ_OK)
        return shpzip_fail(z, ERR_INVALID_FIELD, "zip 文件损坏，无法读取");
    FILE *f = fopen(path, "wbx");
    int rc = f ? 0 : shpzip_fail(z, ERR_INTERNAL, "无法写入临时文件");
    long long total = 0;
    char chunk[16384];
    int n = 0;
    while (!rc && (n = unzReadCurrentFile(zip, chunk, sizeof chunk)) > 0) {
        total += n;
        if (total > shpzip_parts[part].max)
            rc = shpzip_fail(z, ERR_BODY_TOO_LARGE, "zip 中的 Shapefile 文件过大");
        else if (fwrite(chunk, 1, (size_t)n, f) != (size_t)n)
            rc = shpzip_fail(z, ERR_INTERNAL, "无法写入临时文件");
    }
    if (!rc && n < 0)
        rc = shpzip_fail(z, ERR_INVALID_FIELD, "zip 文件损坏，无法解压");
    /* closing checks the CRC of a member read to its end */
    if (unzCloseCurrentFile(zip) != UNZ_OK && !rc)
        rc = shpzip_fail(z, ERR_INVALID_FIELD, "zip 文件校验失败");
    if (f && fclose(f) && !rc)
        rc = shpzip_fail(z, ERR_INTERNAL, "无法写入临时文件");
    z->have[part] = rc == 0;
    return rc;
}

/* One member: skipped, or checked and written. */
static int shpzip_member(struct shpzip *z, unzFile zip)
{
    unz_file_info64 info;
    char name[SHPZIP_NAME_MAX];
    if (unzGetCurrentFileInfo64(zip, &info, name, sizeof name, NULL, 0, NULL, 0) != UNZ_OK)
        return shpzip_fail(z, ERR_INVALID_FIELD, "zip 文件损坏，无法读取目录");
    if (info.size_filename >= sizeof name)
        return shpzip_fail(z, ERR_INVALID_FIELD, "zip 中的文件名过长");
    size_t stem_len = 0;
    int part = shpzip_part_of(name, &stem_len);
    if (part < 0)
        return 0;
    if (info.flag & 1)
        return shpzip_fail(z, ERR_INVALID_FIELD, "不支持加密的 zip 文件");
    if (info.uncompressed_size > (ZPOS64_T)shpzip_parts[part].max)
        return shpzip_fail(z, ERR_BODY_TOO_LARGE, "zip 中的 Shapefile 文件过大");
    bool first = !z->stem[0];
    if (first)
        snprintf(z->stem, sizeof z->stem, "%.*s", (int)stem_len, name);
    if (z->have[part] || strlen(z->stem) != stem_len || strncasecmp(z->stem, name, stem_len))
        return shpzip_fail(z, ERR_INVALID_FIELD,
                           "zip 中只能有一个图层（一组同名的 .shp、.shx、.dbf）");
    return shpzip_extract(z, zip, (size_t)part);
}

/* Coordinates must be degrees: a projected layer (PROJCS) is refused. */
static int shpzip_check_prj(struct shpzip *z)
{
    char path[600], text[65537];
    shpzip_path(z, ".prj", path, sizeof path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return shpzip_fail(z, ERR_INTERNAL, "无法读取临时文件");
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    if (strstr(text, "PROJCS"))
        return shpzip_fail(z, ERR_INVALID_FIELD,
                           "坐标须为经纬度（WGS84 或 CGCS2000 地理坐标系），该图层为投影坐标系");
    return 0;
}

static int shpzip_unpack(struct shpzip *z, const char *zip_path)
{
    unzFile zip = unzOpen64(zip_path);
    if (!zip)
        return shpzip_fail(z, ERR_INVALID_FIELD, "不是 zip 文件，或 zip 文件损坏");
    unz_global_info64 g;
    int rc = 0;
    if (unzGetGlobalInfo64(zip, &g) != UNZ_OK || g.number_entry > SHPZIP_MAX_ENTRIES)
        rc = shpzip_fail(z, ERR_INVALID_FIELD, "zip 中的文件过多（至多 64 个）");
    int step = rc ? UNZ_END_OF_LIST_OF_FILE : unzGoToFirstFile(zip);
    while (!rc && step == UNZ_OK) {
        rc = shpzip_member(z, zip);
        step = rc ? UNZ_OK : unzGoToNextFile(zip);
    }
    if (!rc && step != UNZ_END_OF_LIST_OF_FILE)
        rc = shpzip_fail(z, ERR_INVALID_FIELD, "zip 文件损坏，无法读取目录");
    unzClose(zip);
    for (size_t i = 0; !rc && i < SHPZIP_NPARTS; i++)
        if (shpzip_parts[i].required && !z->have[i])
            rc = shpzip_fail(z, ERR_INVALID_FIELD, "zip 中须有同名的 .shp、.shx 和 .dbf 文件");
    if (!rc && z->have[SHPZIP_NPARTS - 1])
        rc = shpzip_check_prj(z);
    return rc;
}

static int shpzip_write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wbx");
    if (!f)
        return -1;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

bool river_is_zip(const char *data, size_t len)
{
    return len >= 4 && !memcmp(data, "PK\x03\x04", 4);
}

json_t *river_shpzip_geojson(const char *tmp_root, const char *data, size_t len, enum err *code,
                             char *err, size_t errlen)
{
    struct shpzip z = {.err = err, .errlen = errlen, .code = ERR_INVALID_FIELD};
    int n = snprintf(z.dir, sizeof z.dir - 7, "%s/ecogov-shp-",
                     tmp_root && *tmp_root ? tmp_root : "/tmp");
    bool fits = n > 0 && (size_t)n < sizeof z.dir - 7;
    if (fits) {
        memset(z.dir + n, 'X', 6); /* mkdtemp's template, as http_temp_file's */
        z.dir[n + 6] = '\0';
    }
    if (!fits || !mkdtemp(z.dir)) {
        shpzip_fail(&z, ERR_INTERNAL, "无法创建临时目录");
        *code = z.code;
        return NULL;
    }
    json_t *fc = NULL;
    char zip_path[600], path[600];
    snprintf(zip_path, sizeof zip_path, "%s/upload.zip", z.dir);
    if (shpzip_write_file(zip_path, data, len)) {
        shpzip_fail(&z, ERR_INTERNAL, "无法写入临时文件");
    } else if (!shpzip_unpack(&z, zip_path)) {
        shpzip_path(&z, ".shp", path, sizeof path);
        fc = river_shapefile_geojson(path, err, errlen);
    }
    unlink(zip_path);
    for (size_t i = 0; i < SHPZIP_NPARTS; i++) {
        shpzip_path(&z, shpzip_parts[i].ext, path, sizeof path);
        unlink(path);
    }
    rmdir(z.dir);
    *code = z.code;
    return fc;
}
