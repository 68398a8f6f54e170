/* service store — reception days and their entries (store.h). */
#include "modules/service/store.h"
#include "db/row.h"

#include <stdio.h>
#include <string.h>

int svc_store_day_insert(struct db *db, const struct svc_day_row *d, int64_t *id)
{
    if (db_run(db,
               "INSERT INTO svc_reception_days (kind, day, start_time, end_time, leaders, place, "
               "capacity, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
               "nullif(?, 0), ?)",
               "ttttttitii", d->kind, d->day, d->start_time, d->end_time, d->leaders, d->place,
               d->capacity, d->note, d->created_by, d->now))
        return -1;
    *id = db_last_id(db);
    return 0;
}

json_t *svc_store_day_row(struct db *db, int64_t id)
{
    return db_query_one(db,
                        "SELECT d.*, (SELECT count(*) FROM svc_reception_entries e WHERE e.day_id "
                        "= d.id AND e.kind = 'booking' AND e.status <> 'cancelled') AS booked "
                        "FROM svc_reception_days d WHERE d.id = ?",
                        "i", id);
}

int svc_store_day_mark_held(struct db *db, int64_t day)
{
    return db_run(db,
                  "UPDATE svc_reception_days SET status = 'held' WHERE id = ? AND status = "
                  "'scheduled'",
                  "i", day)
               ? -1
               : 0;
}

json_t *svc_store_day_entries(struct db *db, int64_t day, int64_t enterprise)
{
    return db_query_rows(db,
                         "SELECT r.id, r.kind, r.enterprise_id, e.name AS enterprise_name, "
                         "r.org_name, r.person_name, r.phone, r.people, r.topic, r.status, "
                         "r.created_at, r.received_at FROM svc_reception_entries r LEFT JOIN "
                         "enterprises e ON e.id = r.enterprise_id WHERE r.day_id = ?1 AND (?2 = 0 "
                         "OR r.enterprise_id = ?2) ORDER BY r.id",
                         "ii", day, enterprise);
}

json_t *svc_store_day_issues(struct db *db, int64_t day, int64_t enterprise)
{
    return db_query_rows(db,
                         "SELECT i.id, i.entry_id, i.enterprise_id, i.category, i.description, "
                         "i.answer, i.resolution, i.tracker_id, t.status AS tracker_status, "
                         "t.deadline, t.start_day, t.closed_day, s.name AS owner_section FROM "
                         "svc_issues i LEFT JOIN svc_tracker t ON t.id = i.tracker_id LEFT JOIN "
                         "sections s ON s.id = t.owner_section_id WHERE i.day_id = ?1 AND (?2 = 0 "
                         "OR i.enterprise_id = ?2) ORDER BY i.id",
                         "ii", day, enterprise);
}

json_t *svc_store_day_list(struct db *db, const char *from, const char *to, bool scheduled_only)
{
    return db_query_rows(
        db,
        "SELECT d.id, d.kind, d.day, d.start_time, d.end_time, d.leaders, d.place, "
        "d.capacity, d.status, (SELECT count(*) FROM svc_reception_entries e WHERE "
        "e.day_id = d.id AND e.kind = 'booking' AND e.status <> 'cancelled') AS booked, "
        "(SELECT count(*) FROM svc_reception_entries e WHERE e.day_id = d.id AND e.status = "
        "'received') AS received, (SELECT count(*) FROM svc_issues i WHERE i.day_id = d.id) "
        "AS issues FROM svc_reception_days d WHERE d.day >= ?1 AND d.day <= ?2 AND (?3 = 0 "
        "OR d.status = 'scheduled') ORDER BY d.day DESC, d.id DESC LIMIT 500",
        "tti", from, to, (int64_t)scheduled_only);
}

int svc_store_entry_insert(struct db *db, const struct svc_entry_row *e, int64_t *id)
{
    int rc = db_run(
        db,
        "INSERT INTO svc_reception_entries (day_id, kind, enterprise_id, org_name, "
        "person_name, phone, people, topic, status, created_by, created_at, received_at) "
        "VALUES (?, ?, nullif(?, 0), ?, ?, ?, ?, ?, ?, nullif(?, 0), ?, nullif(?, 0))",
        "ititttittiii", e->day_id, e->walkin ? "walkin" : "booking", e->enterprise_id, e->org_name,
        e->person_name, e->phone, e->people, e->topic, e->walkin ? "received" : "booked",
        e->created_by, e->now, e->walkin ? e->now : (int64_t)0);
    if (rc == SQLITE_CONSTRAINT_TRIGGER) /* svc_reception_capacity: the day is full */
        return 1;
    if (rc)
        return -1;
    *id = db_last_id(db);
    return 0;
}

int svc_store_entry_status(struct db *db, int64_t entry, int64_t *day, char status[16])
{
    json_t *r;
    int found = db_query_row(
        db, &r, "SELECT day_id, status FROM svc_reception_entries WHERE id = ?", "i", entry);
    if (found != 1)
        return found;
    *day = json_integer_value(json_object_get(r, "day_id"));
    svc_store_text(r, "status", status, 16);
    json_decref(r);
    return 1;
}

int svc_store_entry_for_issue(struct db *db, int64_t entry, int64_t *day, int64_t *enterprise,
                              bool *cancelled)
{
    json_t *r;
    int found = db_query_row(db, &r,
                             "SELECT e.day_id, coalesce(e.enterprise_id, 0) AS enterprise_id, "
                             "e.status = 'cancelled' OR d.status = 'cancelled' AS cancelled FROM "
                             "svc_reception_entries e JOIN svc_reception_days d ON d.id = "
                             "e.day_id WHERE e.id = ?",
                             "i", entry);
    if (found != 1)
        return found;
    *day = json_integer_value(json_object_get(r, "day_id"));
    *enterprise = json_integer_value(json_object_get(r, "enterprise_id"));
    *cancelled = json_integer_value(json_object_get(r, "cancelled")) != 0;
    json_decref(r);
    return 1;
}

int svc_store_entry_receive(struct db *db, int64_t entry, int64_t now, bool keep_first)
{
    int rc = keep_first ? db_run(db,
                                 "UPDATE svc_reception_entries SET status = 'received', "
                                 "received_at = coalesce(received_at, ?) WHERE id = ?",
                                 "ii", now, entry)
                        : db_run(db,
                                 "UPDATE svc_reception_entries SET status = 'received', "
                                 "received_at = ? WHERE id = ?",
                                 "ii", now, entry);
    return rc ? -1 : 0;
}
