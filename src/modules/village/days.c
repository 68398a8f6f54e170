/* village days — a facility's days read from its evidence (manual samples,
 * operator inspections, the daily values of its HJ 212 station through the
 * readings interface), and what is built on them: the map state, the month's
 * running and compliance rates. Declared in village.h and internal.h. */
#include "core/timeutil.h"
#include "domain/monitor_norm.h"
#include "modules/monitor/readings.h"
#include "modules/village/internal.h"
#include "modules/village/store.h"

#include <math.h>
#include <string.h>

/* The UTC second a Beijing day starts (the readings' day period start). */
static int64_t village_day_ts(int32_t day)
{
    return (int64_t)day * 86400 - TIMEUTIL_BEIJING_OFFSET;
}

static long village_day_index(const struct village_days *d, const char *text)
{
    int32_t day;
    if (calendar_parse_date(text, &day) || day < d->first || day > d->last)
        return -1;
    return day - d->first;
}

/* Daily means of one factor into vals[i] (objects per day) and, for the
 * flow, ev[i].flow. -1 on a database error. */
static int village_online_factor(struct village_ctx *c, int64_t station, const char *factor,
                                 struct village_days *d, json_t **vals,
                                 struct village_day_evidence *ev)
{
    json_t *rows =
        readings_rollups(c->db, station, factor, MONITOR_KIND_DAY, village_day_ts(d->first),
                         village_day_ts(d->last + 1), (int)d->n + 1);
    if (!rows)
        return -1;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        json_t *avg = json_object_get(r, "avg");
        int64_t ts = json_integer_value(json_object_get(r, "ts"));
        long k = (long)((ts + TIMEUTIL_BEIJING_OFFSET) / 86400 - d->first);
        if (!json_is_number(avg) || k < 0 || k >= (long)d->n)
            continue;
        ev[k].online = true;
        if (!strcmp(factor, VILLAGE_FLOW)) {
            ev[k].flow = json_number_value(avg);
            continue;
        }
        if (!vals[k])
            vals[k] = json_object();
        json_object_set_new(vals[k], factor,
                            json_real(round(json_number_value(avg) * 1000) / 1000));
    }
    json_decref(rows);
    return 0;
}

/* The station's daily values: flow, temperature and every limited factor. */
static int village_online_read(struct village_ctx *c, json_t *fac, const struct village_limit *l,
                               size_t nl, struct village_days *d, json_t **vals,
                               struct village_day_evidence *ev)
{
    int64_t station = json_integer_value(json_object_get(fac, "station_id"));
    if (!station)
        return 0;
    int bad = village_online_factor(c, station, VILLAGE_FLOW, d, vals, ev) ||
              village_online_factor(c, station, VILLAGE_TEMP, d, vals, ev);
    for (size_t i = 0; i < nl && !bad; i++)
        bad = village_online_factor(c, station, l[i].factor, d, vals, ev);
    return bad ? -1 : 0;
}

/* Manual samples and inspections of the span into ev, samples per day into
 * manual[i]. */
static int village_manual_read(struct village_ctx *c, int64_t id, struct village_days *d,
                               json_t **manual, struct village_day_evidence *ev)
{
    char from[11], to[11];
    calendar_format_date(d->first, from);
    calendar_format_date(d->last, to);
    json_t *samples = village_store_samples(c->db, id, from, to);
    json_t *insp = village_store_inspections(c->db, id, from, to);
    int rc = samples && insp ? 0 : -1;
    size_t i;
    json_t *r;
    json_array_foreach(samples, i, r)
    {
        long k = village_day_index(d, json_string_value(json_object_get(r, "day")));
        if (k < 0)
            continue;
        ev[k].samples++;
        if (!manual[k])
            manual[k] = json_array();
        json_object_set(r, "compliant",
                        json_boolean(json_integer_value(json_object_get(r, "compliant"))));
        json_array_append(manual[k], r);
    }
    json_array_foreach(insp, i, r)
    {
        long k = village_day_index(d, json_string_value(json_object_get(r, "day")));
        if (k < 0)
            continue;
        if (json_integer_value(json_object_get(r, "running")))
            ev[k].seen_running++;
        else
            ev[k].seen_stopped++;
    }
    json_decref(samples);
    json_decref(insp);
    return rc;
}

int village_days_read(struct village_ctx *c, json_t *fac, int32_t first, int32_t last,
                      struct village_days *d)
{
    memset(d, 0, sizeof *d);
    if (last - first + 1 > VILLAGE_SPAN_MAX)
        d->first = first = last - VILLAGE_SPAN_MAX + 1;
    d->first = first;
    d->last = last;
    d->n = last >= first ? (size_t)(last - first + 1) : 0;
    struct village_limit l[VILLAGE_LIMITS_MAX];
    size_t nl;
    if (village_facility_limits(fac, l, &nl))
        return -1;
    static const struct village_day_evidence none = {.flow = NAN};
    struct village_day_evidence ev[VILLAGE_SPAN_MAX];
    json_t *vals[VILLAGE_SPAN_MAX], *manual[VILLAGE_SPAN_MAX];
    for (size_t i = 0; i < d->n; i++)
        ev[i] = none, vals[i] = manual[i] = NULL;
    int64_t id = json_integer_value(json_object_get(fac, "id"));
    int rc = village_manual_read(c, id, d, manual, ev) ||
             village_online_read(c, fac, l, nl, d, vals, ev);
    json_t *out = rc ? NULL : json_array();
    for (size_t i = 0; i < d->n; i++) {
        d->state[i] = village_day_state(&ev[i]);
        json_array_extend(out, manual[i]);
        json_decref(manual[i]);
        struct village_judgement j;
        village_judge(l, nl, vals[i], &j);
        if (out && j.measured) {
            char day[11];
            calendar_format_date(d->first + (int32_t)i, day);
            json_array_append_new(out, json_pack("{ss ss sO so sb}", "day", day, "source", "online",
                                                 "values", vals[i], "exceed", j.exceed, "compliant",
                                                 !json_array_size(j.exceed)));
        } else {
            json_decref(j.exceed);
        }
        json_decref(vals[i]);
    }
    d->samples = out;
    return out ? 0 : -1;
}

void village_days_free(struct village_days *d)
{
    json_decref(d->samples);
    d->samples = NULL;
}

/* Adds state (and last_sample) on c->today to a facility row. -1 on error. */
static int village_decorate(struct village_ctx *c, json_t *fac, bool with_samples)
{
    struct village_days d;
    if (village_days_read(c, fac, c->today - VILLAGE_SAMPLE_DAYS + 1, c->today, &d))
        return village_days_free(&d), -1;
    size_t ns = json_array_size(d.samples);
    json_t *last = ns ? json_array_get(d.samples, ns - 1) : NULL;
    int latest = last ? !json_is_true(json_object_get(last, "compliant")) : -1;
    enum village_state s = village_state_of(d.state, d.n, latest);
    json_object_set_new(fac, "state", json_string(village_state_name(s)));
    json_object_set(fac, "last_sample", last ? last : json_null());
    if (with_samples) {
        json_t *rev = json_array();
        for (size_t i = ns; i-- > 0;)
            json_array_append(rev, json_array_get(d.samples, i));
        json_object_set_new(fac, "samples", rev);
    }
    village_days_free(&d);
    return 0;
}

json_t *village_facility_get(struct village_ctx *c, int64_t id)
{
    json_t *fac = village_store_facility(c->db, id);
    if (!fac)
        return NULL;
    json_t *insp = village_store_inspections_recent(c->db, id, 30);
    json_t *alarms = village_store_alarms(c->db, id, 30);
    if (!insp || !alarms || village_decorate(c, fac, true)) {
        json_decref(insp);
        json_decref(alarms);
        json_decref(fac);
        return NULL;
    }
    size_t i;
    json_t *row;
    json_array_foreach(insp, i, row) json_object_set_new(
        row, "photos",
        village_inspection_photos(c, json_integer_value(json_object_get(row, "id"))));
    json_object_set_new(fac, "inspections", insp);
    json_object_set_new(fac, "alarms", alarms);
    return fac;
}

json_t *village_facility_list(struct village_ctx *c, const char *county)
{
    json_t *rows = village_store_facilities(c->db, county);
    size_t i;
    json_t *f;
    json_array_foreach(rows, i, f) if (village_decorate(c, f, false))
    {
        json_decref(rows);
        return NULL;
    }
    return rows;
}

/* The month's figures of one facility row, added to it. -1 on error. */
static int village_month_fill(struct village_ctx *c, json_t *fac, int year, int month,
                              bool with_days)
{
    int32_t first = (int32_t)timeutil_days_from_civil(year, month, 1);
    int32_t last = (int32_t)(month == 12 ? timeutil_days_from_civil(year + 1, 1, 1)
                                         : timeutil_days_from_civil(year, month + 1, 1)) -
                   1;
    int32_t commissioned = 0;
    calendar_parse_date(json_string_value(json_object_get(fac, "commissioned")), &commissioned);
    struct village_days d;
    if (village_days_read(c, fac, first, last < c->today ? last : c->today, &d))
        return village_days_free(&d), -1;
    bool today_seen = d.n && d.last == c->today && d.state[d.n - 1] != VILLAGE_DAY_NONE;
    int32_t pf, pl;
    int days = village_period(first, last, commissioned, c->today, today_seen, &pf, &pl);
    int running = 0, stopped = 0, compliant = 0;
    json_t *list = with_days ? json_array() : NULL, *by = json_object();
    static const char *const day_names[] = {"none", "run", "stop"};
    for (int32_t day = pf; day <= pl; day++) {
        enum village_day s = d.state[day - d.first];
        running += s == VILLAGE_DAY_RUN;
        stopped += s == VILLAGE_DAY_STOP;
        char t[11];
        calendar_format_date(day, t);
        if (list)
            json_array_append_new(list, json_pack("{ss ss}", "day", t, "state", day_names[s]));
    }
    size_t i, k;
    json_t *smp, *e;
    json_array_foreach(d.samples, i, smp)
    {
        compliant += json_is_true(json_object_get(smp, "compliant"));
        json_array_foreach(json_object_get(smp, "exceed"), k, e)
        {
            const char *f = json_string_value(json_object_get(e, "factor"));
            json_object_set_new(by, f,
                                json_integer(json_integer_value(json_object_get(by, f)) + 1));
        }
    }
    size_t ns = json_array_size(d.samples);
    char ym[8];
    snprintf(ym, sizeof ym, "%04d-%02d", year, month);
    json_object_set_new(fac, "month", json_string(ym));
    json_object_set_new(fac, "days", json_integer(days));
    json_object_set_new(fac, "running_days", json_integer(running));
    json_object_set_new(fac, "stopped_days", json_integer(stopped));
    double rr = village_rate(running, days), cr = village_rate(compliant, (long)ns);
    json_object_set_new(fac, "running_rate", rr < 0 ? json_null() : json_real(rr));
    json_object_set_new(fac, "sample_count", json_integer((json_int_t)ns));
    json_object_set_new(fac, "compliant_count", json_integer(compliant));
    json_object_set_new(fac, "compliance_rate", cr < 0 ? json_null() : json_real(cr));
    json_object_set_new(fac, "month_compliant",
                        ns ? json_boolean(compliant == (int)ns) : json_null());
    json_object_set_new(fac, "exceed_by_factor", by);
    if (with_days) {
        json_object_set_new(fac, "day_states", list);
        json_object_set(fac, "samples", d.samples);
    }
    village_days_free(&d);
    return 0;
}

json_t *village_month(struct village_ctx *c, int64_t facility_id, int year, int month)
{
    json_t *fac = village_store_facility(c->db, facility_id);
    if (fac && village_month_fill(c, fac, year, month, true)) {
        json_decref(fac);
        return NULL;
    }
    return fac;
}

json_t *village_months(struct village_ctx *c, int year, int month, const char *county)
{
    json_t *rows = village_store_facilities(c->db, county);
    size_t i;
    json_t *f;
    json_array_foreach(rows, i, f)
    {
        if (village_month_fill(c, f, year, month, false)) {
            json_decref(rows);
            return NULL;
        }
        json_object_del(f, "limits");
    }
    return rows;
}
