#include "domain/tracker_rules.h"

enum tracker_deadline_error tracker_deadline(const struct calendar *cal, int32_t start,
                                             int workdays, int32_t *deadline)
{
    if (workdays < 1 || workdays > TRACKER_MAX_WORKDAYS)
        return TRACKER_DEADLINE_BAD_COUNT;
    int32_t d = calendar_add_workdays(cal, start, workdays, NULL);
    if (d == CALENDAR_DAY_INVALID)
        return TRACKER_DEADLINE_OUT_OF_RANGE;
    *deadline = d;
    return TRACKER_DEADLINE_OK;
}

enum tracker_deadline_error tracker_check_deadline(const struct calendar *cal, int32_t start,
                                                   int32_t deadline)
{
    if (start < CALENDAR_DAY_MIN || start > CALENDAR_DAY_MAX || deadline < CALENDAR_DAY_MIN ||
        deadline > CALENDAR_DAY_MAX)
        return TRACKER_DEADLINE_OUT_OF_RANGE;
    if (!calendar_is_workday(cal, deadline, NULL))
        return TRACKER_DEADLINE_NOT_WORKDAY;
    if (deadline < start)
        return TRACKER_DEADLINE_BEFORE_START;
    /* Bound the span in days first so the count below stays cheap and small. */
    if (deadline - start > 2 * 366 ||
        calendar_workdays_between(cal, start, deadline, NULL) > TRACKER_MAX_WORKDAYS)
        return TRACKER_DEADLINE_TOO_FAR;
    return TRACKER_DEADLINE_OK;
}

const char *tracker_deadline_message(enum tracker_deadline_error e)
{
    switch (e) {
    case TRACKER_DEADLINE_OK:
        return "期限有效";
    case TRACKER_DEADLINE_BAD_COUNT:
        return "办理时限须为 1 至 250 个工作日";
    case TRACKER_DEADLINE_NOT_WORKDAY:
        return "办理期限不能是周末或法定节假日，请选择工作日";
    case TRACKER_DEADLINE_BEFORE_START:
        return "办理期限不能早于交办日期";
    case TRACKER_DEADLINE_TOO_FAR:
        return "办理期限不能超过交办日期后 250 个工作日";
    case TRACKER_DEADLINE_OUT_OF_RANGE:
        break;
    }
    return "日期超出日历范围";
}

int32_t tracker_warn_day(const struct calendar *cal, int32_t start, int32_t deadline)
{
    if (deadline <= start)
        return start;
    int total = calendar_workdays_between(cal, start, deadline, NULL);
    int need = (total * TRACKER_WARN_PERCENT + 99) / 100;
    if (need <= 0)
        return start;
    int32_t d = calendar_add_workdays(cal, start, need, NULL);
    return d == CALENDAR_DAY_INVALID || d > deadline ? deadline : d;
}

enum tracker_state tracker_state(const struct calendar *cal, int32_t start, int32_t deadline,
                                 int32_t today, bool closed)
{
    if (closed)
        return TRACKER_DONE;
    if (today > deadline)
        return TRACKER_OVERDUE;
    return today >= tracker_warn_day(cal, start, deadline) ? TRACKER_WARNING : TRACKER_ON_TIME;
}

const char *tracker_state_name(enum tracker_state s)
{
    static const char *const names[] = {"on_time", "warning", "overdue", "done"};
    return (unsigned)s < 4 ? names[s] : "on_time";
}

int tracker_days_left(const struct calendar *cal, int32_t deadline, int32_t today)
{
    return calendar_workdays_between(cal, today, deadline, NULL);
}

bool tracker_closed_on_time(int32_t deadline, int32_t closed_day)
{
    return closed_day <= deadline;
}

int tracker_quarter_range(int year, int q, int32_t *first, int32_t *last)
{
    if (q < 1 || q > 4 || year < 1900 || year > 9999)
        return -1;
    static const int last_day[] = {31, 30, 30, 31};
    *first = calendar_day_from_ymd(year, 3 * q - 2, 1);
    *last = calendar_day_from_ymd(year, 3 * q, last_day[q - 1]);
    return 0;
}
