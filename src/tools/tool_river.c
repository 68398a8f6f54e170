/* tool_river — `ecogov river import FILE`: rivers and reaches from a GeoJSON
 * FeatureCollection or an ESRI Shapefile (.shp with its .shx and .dbf), with
 * the same checks as the HTTP import (docs/river.md), all or nothing. */
#include "db/audit.h"
#include "db/db.h"
#include "modules/river/river.h"
#include "tools/tool_common.h"
#include "tools/tools.h"

#include <stdio.h>
#include <string.h>

int tool_river_main(int argc, char **argv)
{
    struct tool_args a;
    tool_args_split(argc, argv, NULL, &a);
    if (a.argc != 3 || strcmp(a.argv[1], "import")) {
        fprintf(stderr, "usage: ecogov river import [--db=FILE] FILE.geojson|FILE.shp\n");
        tool_args_free(&a);
        return 2;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s", a.argv[2]);
    struct config cfg;
    struct db *db = tool_open_db(&a, &cfg, 1);
    tool_args_free(&a);
    if (!db)
        return 1;
    struct audit_actor actor = {0, "cli"};
    json_t *out = NULL, *errors = NULL;
    char err[512] = "";
    int rc = river_import_path(db, &actor, path, &out, &errors, err, sizeof err);
    if (rc) {
        fprintf(stderr, "ecogov river: %s\n", err);
        size_t i;
        json_t *e;
        json_array_foreach(errors, i, e)
            fprintf(stderr, "  feature %lld %s: %s\n",
                    (long long)json_integer_value(json_object_get(e, "feature")),
                    json_string_value(json_object_get(e, "field")),
                    json_string_value(json_object_get(e, "message")));
    } else {
        printf("imported %s: %lld new, %lld updated reaches of %lld rivers and lakes\n", path,
               (long long)json_integer_value(json_object_get(out, "created")),
               (long long)json_integer_value(json_object_get(out, "updated")),
               (long long)json_integer_value(json_object_get(out, "waters")));
    }
    json_decref(out);
    json_decref(errors);
    db_close(db);
    config_free(&cfg);
    return rc ? 1 : 0;
}
