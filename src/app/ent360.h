/* ent360 — the enterprise 360° page: GET /api/v1/enterprises/{id}/360 gathers
 * one section per provider; each module that knows something about an
 * enterprise (service, approvals, alarms, inspections, credit …) lists its
 * providers in its descriptor (app/module.h) and nothing else.
 *
 * Owns: the route handler. The caller's access to the
 * enterprise (enterprise users: only their own) is checked before any
 * provider runs; a provider that returns NULL is left out. */
#ifndef ECOGOV_ENT360_H
#define ECOGOV_ENT360_H

#include "net/http.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct ent360_provider {
    const char *key;   /* JSON key of the section */
    const char *title; /* zh heading */
    /* Builds the section (new reference) or NULL to leave it out. */
    json_t *(*build)(struct http_req *r, int64_t enterprise_id);
    /* The page exists only when this section does (the registry's profile):
     * NULL from it answers 404. */
    bool required;
    /* Place on the page, smallest first (the page reads as an officer walks
     * an enterprise's file: who it is, service, approvals, supervision,
     * credit, alarms, monitoring), whatever the module table's order. */
    int rank;
};

/* {key: rows, ...} for pairs of (key, sql): each statement (a string
 * literal) bound with ?1 = the enterprise id, ?2 = the row limit (the newest
 * 100); NULL when any list cannot be read. For modules' providers. */
json_t *ent360_lists(struct http_req *r, int64_t enterprise_id, const char *const *pairs, size_t n);

/* GET /api/v1/enterprises/{id}/360: every module's sections (app/module.h),
 * in module-table order. */
void api_ent360_get(struct http_req *r);

#endif
