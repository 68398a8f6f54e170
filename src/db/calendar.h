/* calendar (db) — the working-day calendar's tables (calendar_years,
 * calendar_days; the foundation's schema): load them into a domain calendar,
 * and replace one year's schedule.
 *
 * Must not: validate (the caller checks dates and kinds) or own a transaction
 * (the caller's rule does). */
#ifndef ECOGOV_DB_CALENDAR_H
#define ECOGOV_DB_CALENDAR_H

#include "domain/calendar.h"

struct db;

/* A calendar built from the tables (new; calendar_free), or NULL on a
 * database error (logged). Rows with an unreadable date are skipped. Years
 * with no notice in the tables get their computed statutory holidays
 * (domain/holidays.h) and stay unknown. */
struct calendar *db_calendar_load(struct db *db);

/* Starts replacing year: deletes its days and records the year as known
 * (source 'admin'). 0 or -1. */
int db_calendar_clear_year(struct db *db, int year);
/* Stores one day: date YYYY-MM-DD, kind "holiday" or "workday", note (NULL
 * is stored as ""). Replaces a stored day. 0 or -1. */
int db_calendar_put_day(struct db *db, const char *date, const char *kind, const char *note);

#endif
