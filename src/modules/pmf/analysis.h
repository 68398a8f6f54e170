/* pmf analysis — the module's rules (analysis.c), the analysis as a job
 * (job.c) and the export (export.c); internal to src/modules/pmf. */
#ifndef ECOGOV_PMF_ANALYSIS_H
#define ECOGOV_PMF_ANALYSIS_H

#include "app/module.h"
#include "core/problem.h"
#include "db/audit.h"
#include "db/db.h"
#include "domain/pmf.h"
#include "modules/jobs/jobs.h"

#include <jansson.h>
#include <stdint.h>

/* Largest uploaded table, in bytes (each of conc and unc). */
#define PMF_TEXT_MAX (8u << 20)

/* Everything a solve needs, built from the stored input and settings. */
struct pmf_job_input {
    struct pmf_data data;
    struct pmf_problem problem;
    struct pmf_config config;
    struct pmf_boot_config boot;
    int sweep_to; /* > config.factors: a factor-count sweep factors..sweep_to */
};
/* Parses conc and unc (or, when unc is empty, settings.mdl [{species, mdl,
 * ef}] for the equation-based uncertainty) and applies settings {factors,
 * sweep_to, runs, seed, robust, total, categories, bootstrap}. ERR_OK, or the refusal in
 * p (field conc/unc/mdl/total/categories/factors). */
enum err pmf_job_input_build(const char *conc, const char *unc, json_t *settings,
                             struct pmf_job_input *in, struct problem *p);
void pmf_job_input_free(struct pmf_job_input *in);

/* Rules. Each validates, decides, writes in one transaction with its audit
 * entry, and fills *result (new reference) on ERR_OK. */
enum err pmf_analysis_create(struct db *db, const struct audit_actor *actor, json_t *body,
                             struct problem *p, json_t **result);
enum err pmf_analysis_cancel(struct db *db, const struct audit_actor *actor, int64_t id,
                             struct problem *p, json_t **result);
enum err pmf_analysis_names(struct db *db, const struct audit_actor *actor, int64_t id,
                            json_t *body, struct problem *p, json_t **result);
enum err pmf_analysis_publish(struct db *db, const struct audit_actor *actor, int64_t id,
                              struct problem *p, json_t **result);
/* Reads: an analysis (NULL when absent: 404), the public view (JSON null when
 * nothing is published). */
enum err pmf_analysis_get(struct db *db, int64_t id, json_t **result);
/* Every analysis, newest first, without input and result; NULL on an error. */
json_t *pmf_analysis_list(struct db *db);
json_t *pmf_public_view(struct db *db, enum err *e);

/* A station's stored speciated factors as a concentration table (CSV, new
 * string in *csv): body {station_id, period_from, period_to, resolution
 * hour|day, species [{factor, mdl, ef}]}. */
enum err pmf_station_table(struct db *db, json_t *body, char **csv, struct problem *p);

/* The job kind that solves an analysis (job.c, on modules/jobs). */
extern const struct job_kind pmf_job_kind;
/* Queues analysis id as a job owned by owner and records the job on it,
 * inside the caller's transaction (jobs_wake() after the commit). */
enum err pmf_job_queue_tx(struct db *db, const struct jobs_viewer *owner, int64_t id,
                          const char *title, struct problem *p);
/* Analyses queued or running before they had a job (stored by an older
 * version) get one. 0 or -1 (logged). */
int pmf_job_adopt(struct db *db);

/* The demo city's published apportionment (demo.c; the module's demo step). */
int pmf_demo(const struct module_demo *d);

/* Writes the analysis' result as an xlsx workbook to path. 0 or -1. */
int pmf_export_xlsx(json_t *analysis, const char *path);

#endif
