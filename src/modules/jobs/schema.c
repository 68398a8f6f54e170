/* jobs schema — the long work of every module (jobs.h): kind, owner, state,
 * progress, the submitted parameters and data (cleared when the job ends),
 * and the result as JSON and/or a file under var_dir/jobs. */
#include "db/schema.h"

static const char *const schema_jobs_steps[] = {
    /* 1 */
    "CREATE TABLE jobs ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  owner_id INTEGER NOT NULL,"
    "  owner_name TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'queued'"
    "    CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),"
    "  cancel_requested INTEGER NOT NULL DEFAULT 0,"
    "  done INTEGER NOT NULL DEFAULT 0,"
    "  total INTEGER NOT NULL DEFAULT 0,"
    "  message TEXT NOT NULL DEFAULT '',"
    "  eta_seconds INTEGER,"
    "  params_json TEXT NOT NULL DEFAULT '{}',"
    "  payload BLOB,"
    "  error TEXT NOT NULL DEFAULT '',"
    "  result_json TEXT,"
    "  file_path TEXT,"
    "  file_name TEXT,"
    "  file_mime TEXT,"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    "  started_at TEXT,"
    "  finished_at TEXT);"
    "CREATE INDEX jobs_state ON jobs (state, kind, id);"
    "CREATE INDEX jobs_owner ON jobs (owner_id, id);",
};

const struct schema_module schema_jobs = {
    "jobs", schema_jobs_steps, sizeof schema_jobs_steps / sizeof schema_jobs_steps[0], NULL};
