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
    size_t n = strcspn(s, "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11"
                          "\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f");
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

/* Writes v with d decimals when v is exactly the double nearest to such a decimal (the
 * common case: a device sends "14.2", "0.035", "1025"): integer arithmetic, no printf. */
static int readings_num_fixed(struct buf *b, double v)
{
    static const double scale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    double a = fabs(v);
    /* k below 2^53 is exact as a double, so k / 10^d is correctly rounded: the same double
     * strtod makes of the decimal text. */
    for (int d = 0; d < 7 && a * scale[d] < 9e15; d++) {
        long long k = llround(a * scale[d]);
        if ((double)k / scale[d] != a)
            continue;
        char tmp[40], *p = tmp + sizeof tmp;
        *--p = '\0';
        for (int i = 0; i < d; i++, k /= 10)
            *--p = (char)('0' + k % 10);
        if (d)
            *--p = '.';
        do {
            *--p = (char)('0' + k % 10);
            k /= 10;
        } while (k);
        if (signbit(v) && (p[0] != '0' || p[1]))
            *--p = '-';
        return buf_puts(b, p) ? -1 : 0;
    }
    return 1;
}

/* The shortest of fixed decimals / %.15g / %.17g that reads back as the same double: values
 * keep the digits the device sent (14.2, not 14.199999999999999). Not a number cannot be
 * JSON: null. */
static int readings_num(struct buf *b, double v)
{
    if (!isfinite(v))
        return buf_puts(b, "null");
    int rc = readings_num_fixed(b, v);
    if (rc <= 0)
        return rc;
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.15g", v);
    if (strtod(tmp, NULL) != v)
        snprintf(tmp, sizeof tmp, "%.17g", v);
    return buf_puts(b, tmp);
}

int readings_val_put(struct buf *b, const char *factor, const struct monitor_row *r)
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
