/* calendar_data — the shipped holiday schedules, as data.
 *
 * One row per date of each State Council notice: every day off (including those
 * that fall on a weekend, so the notice can be shown as published) and every
 * make-up working day (调休上班). Sources:
 *   2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12)
 *   2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)
 * Later years are not code: an administrator loads them into the database. */
#include "domain/calendar.h"

/* Days since 1970-01-01 of y-m-d (y >= 1) as a constant expression, so the table
 * below is plain static data (Hinnant's days_from_civil, unrolled). */
#define CAL_Y(y, m) ((y) - ((m) <= 2))
#define CAL_DOE(y, m, d)                                                                           \
    ((CAL_Y(y, m) % 400) * 365 + (CAL_Y(y, m) % 400) / 4 - (CAL_Y(y, m) % 400) / 100 +             \
     (153 * (((m) + 9) % 12) + 2) / 5 + (d)-1)
#define CAL_D(y, m, d) ((int32_t)(CAL_Y(y, m) / 400 * 146097 + CAL_DOE(y, m, d) - 719468))

#define H(y, m, d, note)                                                                           \
    {                                                                                              \
        CAL_D(y, m, d), CALENDAR_HOLIDAY, note                                                     \
    }
#define W(y, m, d, note)                                                                           \
    {                                                                                              \
        CAL_D(y, m, d), CALENDAR_WORKDAY, note                                                     \
    }

static const struct calendar_entry CALENDAR_BUILTIN[] = {
    /* 2025 */
    H(2025, 1, 1, "元旦"),
    W(2025, 1, 26, "春节调休上班"),
    H(2025, 1, 28, "春节"),
    H(2025, 1, 29, "春节"),
    H(2025, 1, 30, "春节"),
    H(2025, 1, 31, "春节"),
    H(2025, 2, 1, "春节"),
    H(2025, 2, 2, "春节"),
    H(2025, 2, 3, "春节"),
    H(2025, 2, 4, "春节"),
    W(2025, 2, 8, "春节调休上班"),
    H(2025, 4, 4, "清明节"),
    H(2025, 4, 5, "清明节"),
    H(2025, 4, 6, "清明节"),
    W(2025, 4, 27, "劳动节调休上班"),
    H(2025, 5, 1, "劳动节"),
    H(2025, 5, 2, "劳动节"),
    H(2025, 5, 3, "劳动节"),
    H(2025, 5, 4, "劳动节"),
    H(2025, 5, 5, "劳动节"),
    H(2025, 5, 31, "端午节"),
    H(2025, 6, 1, "端午节"),
    H(2025, 6, 2, "端午节"),
    W(2025, 9, 28, "国庆节调休上班"),
    H(2025, 10, 1, "国庆节、中秋节"),
    H(2025, 10, 2, "国庆节、中秋节"),
    H(2025, 10, 3, "国庆节、中秋节"),
    H(2025, 10, 4, "国庆节、中秋节"),
    H(2025, 10, 5, "国庆节、中秋节"),
    H(2025, 10, 6, "国庆节、中秋节"),
    H(2025, 10, 7, "国庆节、中秋节"),
    H(2025, 10, 8, "国庆节、中秋节"),
    W(2025, 10, 11, "国庆节调休上班"),
    /* 2026 */
    H(2026, 1, 1, "元旦"),
    H(2026, 1, 2, "元旦"),
    H(2026, 1, 3, "元旦"),
    W(2026, 1, 4, "元旦调休上班"),
    W(2026, 2, 14, "春节调休上班"),
    H(2026, 2, 15, "春节"),
    H(2026, 2, 16, "春节"),
    H(2026, 2, 17, "春节"),
    H(2026, 2, 18, "春节"),
    H(2026, 2, 19, "春节"),
    H(2026, 2, 20, "春节"),
    H(2026, 2, 21, "春节"),
    H(2026, 2, 22, "春节"),
    H(2026, 2, 23, "春节"),
    W(2026, 2, 28, "春节调休上班"),
    H(2026, 4, 4, "清明节"),
    H(2026, 4, 5, "清明节"),
    H(2026, 4, 6, "清明节"),
    H(2026, 5, 1, "劳动节"),
    H(2026, 5, 2, "劳动节"),
    H(2026, 5, 3, "劳动节"),
    H(2026, 5, 4, "劳动节"),
    H(2026, 5, 5, "劳动节"),
    W(2026, 5, 9, "劳动节调休上班"),
    H(2026, 6, 19, "端午节"),
    H(2026, 6, 20, "端午节"),
    H(2026, 6, 21, "端午节"),
    W(2026, 9, 20, "国庆节调休上班"),
    H(2026, 9, 25, "中秋节"),
    H(2026, 9, 26, "中秋节"),
    H(2026, 9, 27, "中秋节"),
    H(2026, 10, 1, "国庆节"),
    H(2026, 10, 2, "国庆节"),
    H(2026, 10, 3, "国庆节"),
    H(2026, 10, 4, "国庆节"),
    H(2026, 10, 5, "国庆节"),
    H(2026, 10, 6, "国庆节"),
    H(2026, 10, 7, "国庆节"),
    W(2026, 10, 10, "国庆节调休上班"),
};

static const int CALENDAR_BUILTIN_YEARS[] = {2025, 2026};

const struct calendar_entry *calendar_builtin(size_t *count)
{
    *count = sizeof CALENDAR_BUILTIN / sizeof CALENDAR_BUILTIN[0];
    return CALENDAR_BUILTIN;
}

const int *calendar_builtin_years(size_t *count)
{
    *count = sizeof CALENDAR_BUILTIN_YEARS / sizeof CALENDAR_BUILTIN_YEARS[0];
    return CALENDAR_BUILTIN_YEARS;
}
