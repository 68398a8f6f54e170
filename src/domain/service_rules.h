/* service_rules — the vocabulary and checks of enterprise service: visit
 * purposes, issue categories, the five 好差评 levels, what counts as a bad
 * review, attachment types recognised from their bytes, safe download names.
 *
 * Owns: these tables and pure checks. Must not: read files, the database or
 * the clock. */
#ifndef ECOGOV_SERVICE_RULES_H
#define ECOGOV_SERVICE_RULES_H

#include <stdbool.h>
#include <stddef.h>

/* 好差评 (国办发〔2019〕51号): 5 非常满意 … 1 非常不满意. */
#define SERVICE_RATING_MIN 1
#define SERVICE_RATING_MAX 5
#define SERVICE_RATING_BAD_MAX 2       /* 不满意 and 非常不满意 are bad reviews */
#define SERVICE_RATING_SATISFIED_MIN 3 /* 基本满意 and better count as satisfied */

/* The rated aspects of a service form, in display order. */
struct service_aspect {
    const char *key;   /* JSON key under "ratings" */
    const char *label; /* zh */
};
const struct service_aspect *service_aspects(size_t *count);

/* The level's name ("非常满意" …); NULL outside 1..5. */
const char *service_rating_name(int level);
bool service_rating_valid(long long level);
/* True when any of the n ratings is 不满意 or 非常不满意. */
bool service_is_bad_review(const int *ratings, size_t n);

/* Visit purposes (调研, 执法, 检查, 督导, 服务) and issue categories. NULL-ended. */
extern const char *const service_purposes[];
extern const char *const service_categories[];
bool service_in_list(const char *const *list, const char *s);
/* The number of staff a purpose needs (2 for 执法, else 1). */
int service_min_staff(const char *purpose);

/* Attachment types recognised from content (magic numbers), never the name. */
enum service_file_type {
    SERVICE_FILE_UNKNOWN = 0,
    SERVICE_FILE_PDF,
    SERVICE_FILE_PNG,
    SERVICE_FILE_JPEG,
    SERVICE_FILE_DOCX,
    SERVICE_FILE_XLSX,
    SERVICE_FILE_PPTX,
};
/* Looks at the bytes: %PDF-, the PNG signature, FF D8 FF, or a ZIP whose
 * entries name an OOXML document ([Content_Types].xml plus word/, xl/ or ppt/). */
enum service_file_type service_sniff(const unsigned char *data, size_t len);
const char *service_file_mime(enum service_file_type t);
/* The extensions a type may carry, e.g. ".jpg" and ".jpeg" for JPEG. */
bool service_file_ext_ok(enum service_file_type t, const char *filename);
const char *service_file_ext(enum service_file_type t); /* ".pdf" … */

/* Cleans an uploaded file name into out (at most size-1 bytes, whole UTF-8
 * characters): drops any directory part, control characters, quotes,
 * backslashes and slashes; "" becomes "附件". Returns out. The input must be
 * valid UTF-8 (checked by the caller). */
char *service_clean_filename(const char *name, char *out, size_t size);

/* Writes a Content-Disposition value: attachment; filename="ascii fallback";
 * filename*=UTF-8''percent-encoded. Returns 0, or -1 when out is too small. */
int service_content_disposition(const char *filename, char *out, size_t size);

#endif
