#include "modules/supervision/rules.h"
#include "modules/supervision/supervision.h"
#include "app/field.h"
#include "core/buf.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/row.h"
#include "domain/calendar.h"
#include "domain/credit.h"
#include "domain/draw.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *sup_alarm_row(struct db *db, int64_t id)
{
    return db_query_one(db,
                        "SELECT a.*, a.verification AS verification_json FROM sup_alarms a WHERE "
                        "id = ?",
                        "i", id);
}

json_t *sup_case_row(struct db *db, int64_t id)
{
    return db_query_one(db,
                        "SELECT k.*, e.name AS enterprise FROM sup_cases k JOIN enterprises e ON "
                        "e.id = k.enterprise_id WHERE k.id = ?",
                        "i", id);
}
