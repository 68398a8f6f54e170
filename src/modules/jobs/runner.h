/* jobs runner — internal to src/modules/jobs: the running jobs' progress and
 * cancel flags, kept in memory by the pool (runner.c) and read by the rules
 * (jobs.c). */
#ifndef ECOGOV_JOBS_RUNNER_H
#define ECOGOV_JOBS_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

struct jobs_live {
    int64_t id;
    int64_t done, total, eta; /* eta -1 = unknown */
    char message[128];
    bool cancel;
    int64_t by_id; /* who asked to cancel */
    char by_name[65];
};

/* The live state of job id when this process runs it: true with *out. */
bool jobs_live_get(int64_t id, struct jobs_live *out);
/* Asks job id to stop when this process runs it (true), recording who asked
 * (audited when the job ends); false when it does not run here. */
bool jobs_live_cancel(int64_t id, int64_t by_id, const char *by_name);

#endif
