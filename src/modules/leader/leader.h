/* leader — the leader's home (issue 17 item 7): what is late or at risk,
 * gathered on read from each module's public header: the tracker's overdue
 * and escalated 督办 items (service.h svc_at_risk), open alarms and cases
 * (supervision.h supervision_at_risk), approvals near or past a deadline
 * (approval.h approval_at_risk), today's AQI and the year's PM2.5 against its
 * target (quality.h quality_glance).
 *
 * Owns: GET /api/v1/leader/home; no tables, no SQL. Must not: read another
 * module's tables. */
#ifndef ECOGOV_LEADER_H
#define ECOGOV_LEADER_H

/* Rows listed per section (the counts cover all). */
#define LEADER_HOME_ROWS 8

struct module;
extern const struct module leader_module;

#endif
