/* eiaclock — see eiaclock.h. Day-by-day walk: limits are at most a few hundred
 * days and pauses a handful, so a bounded loop is clearer than interval algebra
 * and obviously right across holidays and make-up days. */
#include "domain/eiaclock.h"

#define EIACLOCK_MAX_SPAN (366 * 30) /* days walked at most: limit plus pauses */

static bool eiaclock_paused(const struct eiaclock_pause *p, size_t n, int32_t day, int32_t today)
{
    for (size_t i = 0; i < n; i++) {
        int32_t end = p[i].end == EIACLOCK_OPEN ? today + 1 : p[i].end;
        if (day >= p[i].start && day < end)
            return true;
    }
    return false;
}

static bool eiaclock_counts(const struct calendar *cal, enum eiaclock_unit unit, int32_t day,
                            bool *provisional)
{
    if (unit == EIACLOCK_DAYS)
        return true;
    bool prov = false;
    bool w = calendar_is_workday(cal, day, &prov);
    *provisional |= prov;
    return w;
}

int eiaclock_compute(const struct calendar *cal, int32_t start, int limit, enum eiaclock_unit unit,
                     const struct eiaclock_pause *pauses, size_t n, int32_t today, int32_t stop,
                     int warn, struct eiaclock_state *out)
{
    if (limit < 1 || limit > EIACLOCK_MAX_LIMIT || n > EIACLOCK_MAX_PAUSES ||
        (unit != EIACLOCK_DAYS && unit != EIACLOCK_WORKDAYS) || start < CALENDAR_DAY_MIN ||
        start > CALENDAR_DAY_MAX - EIACLOCK_MAX_SPAN || today < CALENDAR_DAY_MIN ||
        today > CALENDAR_DAY_MAX - EIACLOCK_MAX_SPAN)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (pauses[i].start < CALENDAR_DAY_MIN || pauses[i].start > CALENDAR_DAY_MAX ||
            (pauses[i].end != EIACLOCK_OPEN && pauses[i].end < pauses[i].start))
            return -1;
    *out = (struct eiaclock_state){0};
    int32_t upto = stop < today ? stop : today;
    out->paused = stop == EIACLOCK_OPEN && eiaclock_paused(pauses, n, today, today);
    int counted = 0;
    out->deadline = CALENDAR_DAY_INVALID;
    for (int32_t d = start + 1; d <= start + EIACLOCK_MAX_SPAN; d++) {
        bool paused = eiaclock_paused(pauses, n, d, today);
        if (d <= upto && paused)
            out->paused_days++;
        if (!paused && eiaclock_counts(cal, unit, d, &out->provisional)) {
            counted++;
            if (d <= upto)
                out->used++;
            if (counted == limit && out->deadline == CALENDAR_DAY_INVALID)
                out->deadline = d;
        }
        if (d >= upto && out->deadline != CALENDAR_DAY_INVALID)
            break;
    }
    out->remaining = limit - out->used;
    if (stop != EIACLOCK_OPEN)
        out->status = EIACLOCK_STOPPED;
    else if (out->deadline != CALENDAR_DAY_INVALID && today > out->deadline)
        out->status = EIACLOCK_OVERDUE;
    else if (out->remaining <= warn)
        out->status = EIACLOCK_WARNING;
    return 0;
}

int32_t eiaclock_add_workdays(const struct calendar *cal, int32_t day, int n)
{
    return calendar_add_workdays(cal, day, n, NULL);
}

const char *eiaclock_status_name(enum eiaclock_status s)
{
    static const char *const names[] = {"running", "warning", "overdue", "stopped"};
    return s <= EIACLOCK_STOPPED ? names[s] : "";
}
