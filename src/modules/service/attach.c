/* service attach — attachments of the service module: stored once under
 * var_dir/attachments/<first two hex>/<sha256> (content addressing makes a
 * re-upload free and a file immutable), recorded per owner with the type
 * recognised from the bytes. Declared in service.h. */
#include "modules/service/service.h"
#include "core/log.h"
#include "core/text.h"
#include "domain/service_rules.h"
#include "modules/service/store.h"
#include "db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int svc_mkdir(const char *path)
{
    return mkdir(path, 0750) && errno != EEXIST ? -1 : 0;
}

/* Writes data to its content path unless it is already there. 0 or -1. */
static int svc_attach_write(const char *var_dir, const char *hex, const void *data, size_t len)
{
    char dir[1024], path[1200], tmp[1300];
    snprintf(dir, sizeof dir, "%s/attachments", var_dir);
    if (svc_mkdir(var_dir) || svc_mkdir(dir))
        return -1;
    snprintf(dir, sizeof dir, "%s/attachments/%.2s", var_dir, hex);
    if (svc_mkdir(dir))
        return -1;
    snprintf(path, sizeof path, "%s/%s", dir, hex);
    struct stat st;
    if (!stat(path, &st) && (size_t)st.st_size == len)
        return 0;
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return -1;
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            unlink(tmp);
            return -1;
        }
        p += n;
        left -= (size_t)n;
    }
    if (fsync(fd) || close(fd) || rename(tmp, path)) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* A river chief's own tracker item (he uploads its evidence). */
static bool svc_attach_chief_item(struct svc_ctx *c, int64_t item_id)
{
    if (!svc_is_chief(c))
        return false;
    json_t *item = svc_store_item_row(c->db, item_id);
    bool mine = item && svc_item_is_mine(c, item);
    json_decref(item);
    return mine;
}

/* The enterprise an owner belongs to (0 none) and whether it accepts files. */
static int svc_attach_owner(struct svc_ctx *c, const char *kind, int64_t id, int64_t *ent,
                            struct problem *p)
{
    if (strcmp(kind, "visit") && strcmp(kind, "tracker"))
        return svc_fail(p, ERR_INVALID_FIELD, "owner",
                        "附件须属于上门服务（visit）或督办事项（tracker）");
    char status[16];
    bool has_form = false;
    int found = svc_store_attach_owner(c->db, kind, id, ent, status, &has_form);
    if (found < 0)
        return svc_fail(p, ERR_INTERNAL, NULL, "数据库错误");
    if (!found)
        return svc_fail(p, ERR_NOT_FOUND, NULL, "未找到附件所属的记录");
    int64_t own = svc_user_enterprise(c);
    if (!strcmp(kind, "tracker") && !svc_is_bureau(c) && !svc_attach_chief_item(c, id))
        return svc_fail(p, ERR_NOT_FOUND, NULL, "未找到附件所属的记录");
    if (own && own != *ent)
        return svc_fail(p, ERR_NOT_FOUND, NULL, "未找到附件所属的记录");
    if (!strcmp(status, "closed") || !strcmp(status, "cancelled"))
        return svc_fail(p, ERR_INVALID_STATE, NULL, "记录已办结或已取消，不能再上传附件");
    if (!svc_is_bureau(c) && has_form)
        return svc_fail(p, ERR_INVALID_STATE, NULL, "服务单已提交，不能再上传附件");
    return 0;
}

static enum err svc_attach_store(struct svc_ctx *c, const char *owner_kind, int64_t owner_id,
                                 int64_t ent, const char *filename, const void *data, size_t len,
                                 int64_t *id, struct problem *p);

enum err svc_attach_add(struct svc_ctx *c, const char *owner_kind, int64_t owner_id,
                        const char *filename, const void *data, size_t len, int64_t *id,
                        struct problem *p)
{
    memset(p, 0, sizeof *p);
    int64_t ent = 0;
    if (svc_attach_owner(c, owner_kind, owner_id, &ent, p))
        return p->err;
    return svc_attach_store(c, owner_kind, owner_id, ent, filename, data, len, id, p);
}

/* Owners whose module checked the caller's right to the record before it
 * calls svc_attach_add_checked (the caller named beside each). */
static const char *const svc_attach_checked_kinds[] = {
    "rectification",      /* supervision: answer.c */
    "case",               /* supervision: evidence.c */
    "inspection",         /* supervision: evidence.c */
    "river_problem",      /* river: problem.c */
    "village_inspection", /* village: facility.c */
};

static bool svc_attach_checked_kind(const char *kind)
{
    for (size_t i = 0; i < sizeof svc_attach_checked_kinds / sizeof *svc_attach_checked_kinds; i++)
        if (!strcmp(kind, svc_attach_checked_kinds[i]))
            return true;
    return false;
}

enum err svc_attach_add_checked(struct svc_ctx *c, const char *owner_kind, int64_t owner_id,
                                int64_t enterprise_id, const char *filename, const void *data,
                                size_t len, int64_t *id, struct problem *p)
{
    memset(p, 0, sizeof *p);
    if (!svc_attach_checked_kind(owner_kind))
        return svc_fail(p, ERR_INVALID_FIELD, "owner", "附件所属记录类型无效"), p->err;
    return svc_attach_store(c, owner_kind, owner_id, enterprise_id, filename, data, len, id, p);
}

/* Checks the file (name, size, type by content, count) and stores it for an
 * owner already found and allowed, in its own transaction. */
static enum err svc_attach_store(struct svc_ctx *c, const char *owner_kind, int64_t owner_id,
                                 int64_t ent, const char *filename, const void *data, size_t len,
                                 int64_t *id, struct problem *p)
{
    if (db_begin(c->db))
        return svc_db_fail(c, p);
    enum err e = svc_attach_put(c, owner_kind, owner_id, ent, SERVICE_ATTACH_PER_OWNER, filename,
                                data, len, id, p);
    if (e) {
        db_rollback(c->db);
        return e;
    }
    return db_commit(c->db) ? svc_db_fail(c, p) : ERR_OK;
}

enum err svc_attach_put(struct svc_ctx *c, const char *owner_kind, int64_t owner_id, int64_t ent,
                        int max_per_owner, const char *filename, const void *data, size_t len,
                        int64_t *id, struct problem *p)
{
    memset(p, 0, sizeof *p);
    if (!filename || !*filename || strlen(filename) > 255 ||
        !text_utf8_valid(filename, strlen(filename)))
        return svc_fail(p, ERR_INVALID_FIELD, "name", "请给出文件名（name，不超过 255 字节）"),
               p->err;
    if (len == 0)
        return svc_fail(p, ERR_INVALID_FIELD, NULL, "文件为空"), p->err;
    if (len > SERVICE_ATTACH_MAX)
        return svc_fail(p, ERR_ATTACHMENT_TOO_LARGE, NULL, "附件不能超过 %ld MB",
                        SERVICE_ATTACH_MAX >> 20),
               p->err;
    enum service_file_type type = service_sniff(data, len);
    if (type == SERVICE_FILE_UNKNOWN)
        return svc_fail(
                   p, ERR_ATTACHMENT_TYPE, NULL,
                   "只能上传 PDF、PNG、JPEG 图片或 Word/Excel/PowerPoint 文档（按文件内容识别）"),
               p->err;
    char name[200];
    service_clean_filename(filename, name, sizeof name);
    if (!service_file_ext_ok(type, name))
        return svc_fail(p, ERR_ATTACHMENT_TYPE, "name", "文件内容（%s）与扩展名不符",
                        service_file_ext(type) + 1),
               p->err;
    if (!strrchr(name, '.') && strlen(name) + 6 < sizeof name)
        snprintf(name + strlen(name), sizeof name - strlen(name), "%s", service_file_ext(type));
    if (max_per_owner > 0 && svc_store_attach_count(c->db, owner_kind, owner_id) >= max_per_owner)
        return svc_fail(p, ERR_INVALID_FIELD, NULL, "每条记录最多 %d 个附件", max_per_owner),
               p->err;
    unsigned char hash[crypto_hash_sha256_BYTES];
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    crypto_hash_sha256(hash, data, len);
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    if (svc_attach_write(c->cfg->var_dir, hex, data, len)) {
        log_error("service: cannot store attachment under %s: %s", c->cfg->var_dir,
                  strerror(errno));
        return svc_fail(p, ERR_INTERNAL, NULL, "附件保存失败"), p->err;
    }
    struct svc_attach_row row = {owner_kind, hex,           service_file_mime(type),
                                 name,       c->actor.name, owner_id,
                                 ent,        (int64_t)len,  c->actor.id,
                                 c->now};
    if (svc_store_attach_insert(c->db, &row, id))
        return svc_fail(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL)), p->err;
    json_t *d =
        json_pack("{ss sI ss ss sI}", "owner_kind", owner_kind, "owner_id", (json_int_t)owner_id,
                  "sha256", hex, "filename", name, "size", (json_int_t)len);
    int bad = audit_append_id(c->db, &c->actor, "attachment.add", "svc_attachment", *id, d);
    json_decref(d);
    if (bad)
        return svc_fail(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL)), p->err;
    return ERR_OK;
}

/* Opens the stored file of attachment row a when allowed; ERR_NOT_FOUND when
 * not. Frees a. */
static enum err svc_attach_fd(struct svc_ctx *c, json_t *a, int64_t id, bool allowed, int *fd,
                              uint64_t *size, char *mime, size_t mime_size, char *disposition,
                              size_t disp_size)
{
    const char *sha = json_string_value(json_object_get(a, "sha256"));
    const char *type = json_string_value(json_object_get(a, "mime"));
    const char *filename = json_string_value(json_object_get(a, "filename"));
    enum err e = ERR_NOT_FOUND;
    char path[1200];
    snprintf(path, sizeof path, "%s/attachments/%.2s/%s", c->cfg->var_dir, sha ? sha : "",
             sha ? sha : "");
    snprintf(mime, mime_size, "%s", type ? type : "");
    struct stat sb;
    if (allowed && filename && service_content_disposition(filename, disposition, disp_size) == 0) {
        *fd = open(path, O_RDONLY | O_CLOEXEC);
        if (*fd >= 0 && !fstat(*fd, &sb)) {
            *size = (uint64_t)sb.st_size;
            e = ERR_OK;
        } else {
            if (*fd >= 0)
                close(*fd);
            log_error("service: attachment %lld missing at %s", (long long)id, path);
            e = ERR_INTERNAL;
        }
    }
    json_decref(a);
    return e;
}

enum err svc_attach_open(struct svc_ctx *c, int64_t id, int *fd, uint64_t *size, char *mime,
                         size_t mime_size, char *disposition, size_t disp_size)
{
    json_t *a;
    int found = svc_store_attach_get(c->db, id, &a);
    if (found != 1)
        return found < 0 ? ERR_INTERNAL : ERR_NOT_FOUND;
    int64_t ent = json_integer_value(json_object_get(a, "enterprise_id"));
    int64_t own = svc_user_enterprise(c);
    const char *kind = json_string_value(json_object_get(a, "owner_kind"));
    bool allowed = svc_is_bureau(c) || (own && own == ent) ||
                   (kind && !strcmp(kind, "tracker") &&
                    svc_attach_chief_item(c, json_integer_value(json_object_get(a, "owner_id"))));
    return svc_attach_fd(c, a, id, allowed, fd, size, mime, mime_size, disposition, disp_size);
}

enum err svc_attach_open_owned(struct svc_ctx *c, const char *owner_kind, int64_t owner_id,
                               int64_t id, int *fd, uint64_t *size, char *mime, size_t mime_size,
                               char *disposition, size_t disp_size)
{
    json_t *a;
    int found = svc_store_attach_get(c->db, id, &a);
    if (found != 1)
        return found < 0 ? ERR_INTERNAL : ERR_NOT_FOUND;
    const char *kind = json_string_value(json_object_get(a, "owner_kind"));
    bool mine = kind && !strcmp(kind, owner_kind) &&
                json_integer_value(json_object_get(a, "owner_id")) == owner_id;
    return svc_attach_fd(c, a, id, mine, fd, size, mime, mime_size, disposition, disp_size);
}

json_t *svc_attach_list(struct svc_ctx *c, const char *owner_kind, int64_t owner_id)
{
    json_t *rows = svc_store_attach_list(c->db, owner_kind, owner_id);
    return rows ? rows : json_array();
}

json_t *svc_attach_get(struct svc_ctx *c, const char *owner_kind, int64_t owner_id, int64_t id)
{
    json_t *all = svc_attach_list(c, owner_kind, owner_id), *a, *out = NULL;
    size_t i;
    json_array_foreach(all, i, a) if (json_integer_value(json_object_get(a, "id")) == id) out =
        json_incref(a);
    json_decref(all);
    return out;
}
