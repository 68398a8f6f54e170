/* pmf schema — PM2.5 source apportionment analyses (docs/pmf.md): the input
 * as uploaded, the settings, the background job's progress, the result and
 * the analyst's names, and whether (and by whom) it was published. */
#include "db/schema.h"

static const char *const schema_pmf_steps[] = {
    /* 1 */
    "CREATE TABLE pmf_analyses ("
    "  id INTEGER PRIMARY KEY,"
    "  title TEXT NOT NULL,"
    "  period_from TEXT NOT NULL DEFAULT '',"
    "  period_to TEXT NOT NULL DEFAULT '',"
    "  conc TEXT NOT NULL,"
    "  unc TEXT NOT NULL,"
    "  settings_json TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'queued'"
    "    CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),"
    "  cancel_requested INTEGER NOT NULL DEFAULT 0,"
    "  runs_done INTEGER NOT NULL DEFAULT 0,"
    "  runs_total INTEGER NOT NULL DEFAULT 0,"
    "  current_q REAL,"
    "  eta_seconds INTEGER,"
    "  error TEXT NOT NULL DEFAULT '',"
    "  result_json TEXT,"
    "  names_json TEXT,"
    "  published INTEGER NOT NULL DEFAULT 0,"
    "  published_at TEXT,"
    "  published_by TEXT,"
    "  created_by TEXT NOT NULL,"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    "  finished_at TEXT);"
    "CREATE INDEX pmf_analyses_status ON pmf_analyses (status);",
    /* 2: the analysis runs as a job of the shared job facility (modules/jobs),
     * which then holds its state and progress. */
    "ALTER TABLE pmf_analyses ADD COLUMN job_id INTEGER;",
};

const struct schema_module schema_pmf = {
    "pmf", schema_pmf_steps, sizeof schema_pmf_steps / sizeof schema_pmf_steps[0], NULL};
