/* backend — which device-data store this process uses (readings_backend), set up once at
 * start-up before the ingest writer opens (monitor.h, readings.h). */
#include "core/config.h"
#include "core/timeutil.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/nodes.h"
#include "modules/monitor/readings.h"
#include "modules/monitor/readings_ch.h"

#include <stdio.h>
#include <string.h>

int monitor_store_setup(const struct config *cfg, int migrate, char *err, size_t errlen)
{
    if (nodes_setup(cfg, err, errlen))
        return -1;
    if (!strcmp(cfg->readings_backend, "sqlite")) {
        readings_store_use(NULL);
        return 0;
    }
    if (strcmp(cfg->readings_backend, "clickhouse")) {
        snprintf(err, errlen, "readings_backend must be sqlite or clickhouse, not '%.40s'",
                 cfg->readings_backend);
        return -1;
    }
    char why[400];
    if (rch_configure(cfg->clickhouse_urls, cfg->clickhouse_user, cfg->clickhouse_password,
                      cfg->clickhouse_database, cfg->clickhouse_cluster, why, sizeof why) ||
        (migrate && rch_migrate(why, sizeof why)) || rch_check(why, sizeof why)) {
        snprintf(err, errlen, "readings_backend=clickhouse: %s", why);
        rch_unconfigure();
        return -1;
    }
    readings_store_use(&readings_clickhouse);
    return 0;
}

json_t *monitor_store_status(void)
{
    const struct readings_store *s = readings_store_current();
    json_t *o = json_pack("{s:s}", "backend", s->name);
    const struct chttp_conf *c = rch_conf();
    if (s != &readings_clickhouse || !c)
        return o;
    struct rch_stats st;
    rch_get_stats(&st);
    int64_t now = timeutil_now();
    json_object_set_new(o, "cluster", json_string(c->cluster));
    json_object_set_new(o, "servers", json_integer(c->nurls));
    json_object_set_new(
        o, "spool",
        json_pack("{s:I,s:I,s:I,s:I,s:b,s:I,s:I,s:I,s:f}", "batches", (json_int_t)st.spool_batches,
                  "values", (json_int_t)st.spool_values, "oldest_age_s",
                  (json_int_t)(st.spool_oldest ? now - st.spool_oldest : 0), "refused_batches",
                  (json_int_t)st.spool_refused, "spooling", st.spooling, "values_sent",
                  (json_int_t)st.sent_values, "values_spooled", (json_int_t)st.spooled_values,
                  "values_drained", (json_int_t)st.drained_values, "drain_values_per_s",
                  st.drain_rate));
    json_object_set_new(o, "node", nodes_status());
    return o;
}
