#include "modules/monitor/readings_val.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int readings_val_put_str(struct buf *b, const char *s)
{
    /* The bytes JSON escapes, by hand: strcspn with a set of 33 bytes is glibc's generic
     * byte loop behind a call, and every factor code and flag of every record passes here. */
    size_t n = 0;
    for (unsigned char c; (c = (unsigned char)s[n]) >= 0x20 && c != '"' && c != '\\';)
        n++;
    if (!s[n]) /* nothing to escape: factor codes and flags */
        return buf_putc(b, '"') || buf_append(b, s, n) || buf_putc(b, '"') ? -1 : 0;
    if (buf_putc(b, '"'))
        return -1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int rc = *p == '"' || *p == '\\' ? buf_printf(b, "\\%c", *p)
                 : *p < 0x20             ? buf_printf(b, "\\u%04x", *p)
                                         : buf_putc(b, (char)*p);
        if (rc)
            return -1;
    }
    return buf_putc(b, '"');
}

/* Room readings_num_text needs: "%.17g" of a double, or "null", and its NUL. */
#define READINGS_NUM_MAX 40

/* Writes v with d decimals when v is exactly the double nearest to such a decimal (the
 * common case: a device sends "14.2", "0.035", "1025"): integer arithmetic, no printf.
 * Returns the length written to out (READINGS_NUM_MAX bytes), 0 when v is not such a value. */
static size_t readings_num_fixed(char *out, double v)
{
    static const double scale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    double a = fabs(v);
    /* k below 2^53 is exact as a double, so k / 10^d is correctly rounded: the same double
     * strtod makes of the decimal text. */
    for (int d = 0; d < 7 && a * scale[d] < 9e15; d++) {
        long long k = llround(a * scale[d]);
        if ((double)k / scale[d] != a)
            continue;
        char tmp[READINGS_NUM_MAX], *p = tmp + sizeof tmp;
        for (int i = 0; i < d; i++, k /= 10)
            *--p = (char)('0' + k % 10);
        if (d)
            *--p = '.';
        do {
            *--p = (char)('0' + k % 10);
            k /= 10;
        } while (k);
        if (signbit(v) && (p[0] != '0' || p + 1 < tmp + sizeof tmp))
            *--p = '-';
        size_t n = (size_t)(tmp + sizeof tmp - p);
        memcpy(out, p, n);
        return n;
    }
    return 0;
}

/* The shortest of fixed decimals / %.15g / %.17g that reads back as the same double: values
 * keep the digits the device sent (14.2, not 14.199999999999999). Not a number cannot be
 * JSON: null. Returns the length written to out (READINGS_NUM_MAX bytes, no NUL). */
static size_t readings_num_text(char *out, double v)
{
    if (!isfinite(v)) {
        memcpy(out, "null", 4);
        return 4;
    }
    size_t n = readings_num_fixed(out, v);
    if (n)
        return n;
    char tmp[READINGS_NUM_MAX];
    snprintf(tmp, sizeof tmp, "%.15g", v);
    if (strtod(tmp, NULL) != v)
        snprintf(tmp, sizeof tmp, "%.17g", v);
    n = strlen(tmp);
    memcpy(out, tmp, n);
    return n;
}

static int readings_num(struct buf *b, double v)
{
    char t[READINGS_NUM_MAX];
    return buf_append(b, t, readings_num_text(t, v)) ? -1 : 0;
}

/* Copies s quoted when nothing in it needs escaping (factor codes and flags always); 0 when
 * something does or it is longer than max. */
static size_t readings_plain_str(char *out, const char *s, size_t max)
{
    size_t n = 0;
    for (unsigned char c; (c = (unsigned char)s[n]) >= 0x20 && c != '"' && c != '\\';)
        if (++n > max)
            return 0;
    if (s[n])
        return 0;
    out[0] = '"';
    memcpy(out + 1, s, n);
    out[n + 1] = '"';
    return n + 2;
}

int readings_val_put_any(struct buf *b, const char *factor, const struct monitor_row *r)
{
    if (readings_val_put_str(b, factor) || buf_puts(b, ":["))
        return -1;
    int rc = r->has & MONITOR_HAS_VALUE ? readings_num(b, r->value) : buf_puts(b, "null");
    char q[16], *p = q + sizeof q;
    uint32_t qual = r->qual;
    *--p = '\0';
    do {
        *--p = (char)('0' + qual % 10);
        qual /= 10;
    } while (qual);
    *--p = ',';
    rc |= buf_putc(b, ',') | readings_val_put_str(b, r->flag) | buf_puts(b, p);
    /* min, max, cou: absent ones as null, trailing absent ones left out */
    static const unsigned bits[] = {MONITOR_HAS_MIN, MONITOR_HAS_MAX, MONITOR_HAS_COU};
    const double vals[] = {r->vmin, r->vmax, r->cou};
    int last = -1;
    for (int i = 0; i < 3; i++)
        if (r->has & bits[i])
            last = i;
    for (int i = 0; i <= last; i++) {
        rc |= buf_putc(b, ',');
        rc |= r->has & bits[i] ? readings_num(b, vals[i]) : buf_puts(b, "null");
    }
    return rc || buf_putc(b, ']') ? -1 : 0;
}

int readings_val_put(struct buf *b, const char *factor, const struct monitor_row *r)
{
    /* The usual record (a plain factor code and flag) is written into t and appended once;
     * the same bytes as readings_val_put_any, which takes the rest. Room: the factor (at
     * most 64 bytes here) and flag quoted, four numbers, the qual and the punctuation. */
    char t[64 + 8 + 8 + 4 * (READINGS_NUM_MAX + 1) + 16], flag[12];
    size_t n = readings_plain_str(t, factor, 64), f = readings_plain_str(flag, r->flag, 8);
    if (!n || !f)
        return readings_val_put_any(b, factor, r);
    t[n++] = ':';
    t[n++] = '[';
    if (r->has & MONITOR_HAS_VALUE) {
        n += readings_num_text(t + n, r->value);
    } else {
        memcpy(t + n, "null", 4);
        n += 4;
    }
    t[n++] = ',';
    memcpy(t + n, flag, f);
    n += f;
    char q[12], *p = q + sizeof q;
    uint32_t qual = r->qual;
    do {
        *--p = (char)('0' + qual % 10);
        qual /= 10;
    } while (qual);
    *--p = ',';
    memcpy(t + n, p, (size_t)(q + sizeof q - p));
    n += (size_t)(q + sizeof q - p);
    /* min, max, cou: absent ones as null, trailing absent ones left out */
    static const unsigned bits[] = {MONITOR_HAS_MIN, MONITOR_HAS_MAX, MONITOR_HAS_COU};
    const double vals[] = {r->vmin, r->vmax, r->cou};
    int last = -1;
    for (int i = 0; i < 3; i++)
        if (r->has & bits[i])
            last = i;
    for (int i = 0; i <= last; i++) {
        t[n++] = ',';
        if (r->has & bits[i]) {
            n += readings_num_text(t + n, vals[i]);
        } else {
            memcpy(t + n, "null", 4);
            n += 4;
        }
    }
    t[n++] = ']';
    return buf_append(b, t, n) ? -1 : 0;
}

int readings_val_get(const json_t *arr, struct readings_val *v)
{
    memset(v, 0, sizeof *v);
    if (!json_is_array(arr) || json_array_size(arr) < 3)
        return -1;
    const json_t *flag = json_array_get(arr, 1), *qual = json_array_get(arr, 2);
    if (!json_is_string(flag) || !json_is_integer(qual))
        return -1;
    snprintf(v->flag, sizeof v->flag, "%s", json_string_value(flag));
    v->qual = (uint32_t)json_integer_value(qual);
    static const unsigned bits[] = {MONITOR_HAS_VALUE, MONITOR_HAS_MIN, MONITOR_HAS_MAX,
                                    MONITOR_HAS_COU};
    double *dst[] = {&v->value, &v->vmin, &v->vmax, &v->cou};
    static const size_t at[] = {0, 3, 4, 5};
    for (int i = 0; i < 4; i++) {
        const json_t *x = json_array_get(arr, at[i]);
        if (json_is_number(x)) {
            *dst[i] = json_number_value(x);
            v->has |= bits[i];
        }
    }
    return 0;
}

int readings_val_valid(const struct readings_val *v)
{
    return (v->has & MONITOR_HAS_VALUE) && monitor_row_valid(v->flag, v->qual);
}

int readings_agg_put(struct buf *b, const struct readings_agg *a)
{
    if (readings_val_put_str(b, a->factor) || buf_printf(b, ":[%d,%d,", a->n, a->n_valid))
        return -1;
    int rc = 0;
    if (a->n_valid)
        rc = readings_num(b, a->sum / a->n_valid) | buf_putc(b, ',') | readings_num(b, a->vmin) |
             buf_putc(b, ',') | readings_num(b, a->vmax);
    else
        rc = buf_puts(b, "null,null,null");
    return rc || buf_putc(b, ']') ? -1 : 0;
}

int readings_agg_get(const json_t *arr, struct readings_agg *a)
{
    if (!json_is_array(arr) || json_array_size(arr) < 5)
        return -1;
    const json_t *n = json_array_get(arr, 0), *nv = json_array_get(arr, 1);
    if (!json_is_integer(n) || !json_is_integer(nv))
        return -1;
    a->n = (int)json_integer_value(n);
    a->n_valid = (int)json_integer_value(nv);
    a->sum = a->vmin = a->vmax = 0;
    if (a->n_valid > 0) {
        const json_t *avg = json_array_get(arr, 2), *lo = json_array_get(arr, 3),
                     *hi = json_array_get(arr, 4);
        if (!json_is_number(avg) || !json_is_number(lo) || !json_is_number(hi))
            return -1;
        a->sum = json_number_value(avg) * a->n_valid;
        a->vmin = json_number_value(lo);
        a->vmax = json_number_value(hi);
    }
    return 0;
}

void readings_agg_add(struct readings_agg *a, const struct readings_val *v)
{
    a->n++;
    if (!readings_val_valid(v))
        return;
    a->vmin = a->n_valid && a->vmin < v->value ? a->vmin : v->value;
    a->vmax = a->n_valid && a->vmax > v->value ? a->vmax : v->value;
    a->sum += v->value;
    a->n_valid++;
}

json_t *readings_val_object(const void *bytes, int len)
{
    if (!bytes || len <= 0)
        return NULL;
    json_t *o = json_loadb(bytes, (size_t)len, 0, NULL);
    if (o && !json_is_object(o)) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

static json_t *readings_num_or_null(unsigned has, unsigned bit, double v)
{
    return has & bit ? json_real(v) : json_null();
}

json_t *readings_val_json(int64_t ts, const struct readings_val *v, const char *factor, int kind)
{
    char iso[32];
    timeutil_format_iso(ts, iso, sizeof iso);
    json_t *o = json_pack("{s:I,s:s,s:o,s:s,s:I,s:b}", "ts", (json_int_t)ts, "time", iso, "value",
                          readings_num_or_null(v->has, MONITOR_HAS_VALUE, v->value), "flag",
                          v->flag, "qual", (json_int_t)v->qual, "valid", readings_val_valid(v));
    if (factor)
        json_object_set_new(o, "factor", json_string(factor));
    if (kind)
        json_object_set_new(o, "kind", json_integer(kind));
    static const char *const names[] = {"min", "max", "cou"};
    static const unsigned bits[] = {MONITOR_HAS_MIN, MONITOR_HAS_MAX, MONITOR_HAS_COU};
    const double vals[] = {v->vmin, v->vmax, v->cou};
    for (int i = 0; i < 3; i++)
        if (v->has & bits[i])
            json_object_set_new(o, names[i], json_real(vals[i]));
    return o;
}

json_t *readings_agg_json(int64_t ts, const struct readings_agg *a)
{
    char iso[32];
    timeutil_format_iso(ts, iso, sizeof iso);
    json_t *r = json_pack("{s:I,s:s,s:i,s:i}", "ts", (json_int_t)ts, "time", iso, "n", a->n,
                          "n_valid", a->n_valid);
    json_object_set_new(r, "avg", a->n_valid ? json_real(a->sum / a->n_valid) : json_null());
    json_object_set_new(r, "min", a->n_valid ? json_real(a->vmin) : json_null());
    json_object_set_new(r, "max", a->n_valid ? json_real(a->vmax) : json_null());
    return r;
}

/* Frames are bytes: invalid UTF-8 (GBK devices) and NULs are shown escaped, line ends
 * dropped. Returns a new string (free()). */
char *readings_frame_text(const char *bytes, int len)
{
    char *shown = xmalloc((size_t)len * 4 + 1);
    int utf8 = text_utf8_valid(bytes, (size_t)len);
    size_t k = 0;
    for (int i = 0; i < len; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c == '\r' || c == '\n')
            continue;
        if (c < 32 || c == 127 || (c >= 128 && !utf8))
            k += (size_t)snprintf(shown + k, 5, "\\x%02X", c);
        else
            shown[k++] = (char)c;
    }
    shown[k] = '\0';
    return shown;
}
