/* timeutil — wall-clock time in UTC seconds, shown in Beijing time (UTC+8, no DST).
 *
 * Owns: the one place that knows the +08:00 offset. Storage is UTC integer
 * seconds; every edge where people or devices see time uses these helpers. */
#ifndef ECOGOV_TIMEUTIL_H
#define ECOGOV_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#define TIMEUTIL_BEIJING_OFFSET (8 * 3600)

int64_t timeutil_now(void);    /* UTC seconds */
int64_t timeutil_now_ms(void); /* monotonic milliseconds, for durations */
/* "2026-11-29T14:03:00+08:00"; out must hold 26 bytes. */
void timeutil_format_iso(int64_t utc, char *out, size_t size);
/* "2026-11-29" in Beijing time. */
void timeutil_format_date(int64_t utc, char *out, size_t size);
/* The Beijing day of utc as days since 1970-01-01 (the calendar's day numbers),
 * and today's. */
int32_t timeutil_day_of(int64_t utc);
int32_t timeutil_today(void);
/* Parses "YYYY-MM-DD" as Beijing midnight; returns 0 or -1. */
int timeutil_parse_date(const char *s, int64_t *utc);
/* Days since 1970-01-01 for a civil date, and back (Howard Hinnant's algorithms). */
int64_t timeutil_days_from_civil(int y, int m, int d);
void timeutil_civil_from_days(int64_t z, int *y, int *m, int *d);

#endif
