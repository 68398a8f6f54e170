/* holidays — China's statutory public holidays (全国年节及纪念日放假办法),
 * computed for any year, for the years whose State Council notice is not
 * loaded yet.
 *
 * The law fixes the holidays themselves: 元旦 (1 January), 春节 (by the
 * lunar calendar), 清明节 (the day of the 清明 solar term), 劳动节 (1 May),
 * 端午节 (lunar 5-5), 中秋节 (lunar 8-15), 国庆节 (1–3 October), and says a
 * holiday falling on a Saturday or Sunday is made up on a working day (补假).
 * What the law does not fix is the yearly 调休 — which weekends become
 * working days to join holidays into long breaks — and the exact 补假 days;
 * the State Council's notice, published around November, does. So a year
 * without its notice gets the statutory days and 补假 on the following
 * working days, and every answer that depends on it stays provisional
 * (calendar.h) until an administrator loads the notice.
 *
 * The rules in force by year: 2008–2013 (国务院令第513号) 春节 = 除夕 and
 * 正月初一、初二; 2014–2024 (第644号) 春节 = 正月初一至初三; from 2025 (第795号)
 * 春节 = 除夕 and 正月初一至初三, 劳动节 = 1–2 May. Lunar dates and the solar
 * term come from liblunar-date (covers 1900–2100); years outside
 * HOLIDAYS_FIRST_YEAR..HOLIDAYS_LAST_YEAR get no computed holidays. */
#ifndef ECOGOV_HOLIDAYS_H
#define ECOGOV_HOLIDAYS_H

#include "domain/calendar.h"

#include <stddef.h>
#include <stdint.h>

#define HOLIDAYS_FIRST_YEAR 2008
#define HOLIDAYS_LAST_YEAR 2100
#define HOLIDAYS_MAX 24 /* statutory days plus 补假 in one year, with room */

struct holiday_day {
    int32_t day;      /* days since 1970-01-01 */
    const char *name; /* static: "春节", "国庆节补假", … */
};

/* The statutory days off of year, with 补假 for those on a weekend or on
 * another holiday's date, sorted by day. Returns how many (0 for a year
 * outside the supported range). */
size_t holidays_of_year(int year, struct holiday_day out[HOLIDAYS_MAX]);

/* For every year first..last the calendar does not know (no notice
 * loaded), sets its computed holidays as HOLIDAY overrides, leaving days
 * that already have an override alone. The years stay unknown. */
void holidays_fill(struct calendar *cal, int first, int last);

/* Whether the holidays can be computed (liblunar-date loads, at its first
 * use: core/dynlib.h). 0 and *why set when not: a calendar without them
 * would count statutory holidays as working days. */
int holidays_ready(const char **why);

#endif
