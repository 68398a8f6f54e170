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
/* Parses a time as people, files and ISO 8601 / RFC 3339 write it, exactly
 * len bytes of s (not NUL-terminated; nothing may follow):
 *   YYYY-MM-DD                       Beijing midnight (*has_clock false)
 *   YYYY-MM-DD[ T]HH:MM[:SS[.fff]]   Beijing time ...
 *   ... followed by Z or ±HH:MM, ±HHMM, ±HH   ... or at that offset from UTC
 * Years 1900..9999, a real calendar day, hours 0..23, minutes and seconds
 * 0..59, at most 9 fraction digits (dropped: the result is whole seconds,
 * truncated), offsets up to ±14:00. *has_clock (may be NULL) says whether a
 * time of day was given. Returns 0 and *utc (UTC seconds), or -1. */
int timeutil_parse_time(const char *s, size_t len, int64_t *utc, int *has_clock);
/* Days since 1970-01-01 for a civil date, and back (Howard Hinnant's algorithms). */
int64_t timeutil_days_from_civil(int y, int m, int d);
void timeutil_civil_from_days(int64_t z, int *y, int *m, int *d);

#endif
