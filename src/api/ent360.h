/* ent360 — the enterprise 360° page: GET /api/v1/enterprises/{id}/360 gathers
 * one section per provider from a small table, so each module that knows
 * something about an enterprise (service, approvals, alarms, inspections,
 * credit …) adds one provider line in ent360.c and nothing else.
 *
 * Owns: the provider table and the route handler. The caller's access to the
 * enterprise (enterprise users: only their own) is checked before any
 * provider runs; a provider that returns NULL is left out. */
#ifndef ECOGOV_ENT360_H
#define ECOGOV_ENT360_H

#include "net/http.h"

#include <jansson.h>
#include <stdint.h>

struct ent360_provider {
    const char *key;   /* JSON key of the section */
    const char *title; /* zh heading */
    /* Builds the section (new reference) or NULL to leave it out. */
    json_t *(*build)(struct http_req *r, int64_t enterprise_id);
};

/* The enterprise-service section (api_service.c). */
json_t *svc_ent360(struct http_req *r, int64_t enterprise_id);
/* The other modules' sections (ent360_providers.c), read-only: EIA
 * applications and investment projects; inspections, rectifications,
 * penalties and cases; the positive list; source and supervision alarms;
 * outlet stations and their devices. */
json_t *ent360_approvals(struct http_req *r, int64_t enterprise_id);
json_t *ent360_supervision(struct http_req *r, int64_t enterprise_id);
json_t *ent360_credit(struct http_req *r, int64_t enterprise_id);
json_t *ent360_alarms(struct http_req *r, int64_t enterprise_id);
json_t *ent360_monitoring(struct http_req *r, int64_t enterprise_id);

void api_ent360_get(struct http_req *r);

#endif
