/* pmf module — PM2.5 source apportionment in the platform (docs/pmf.md):
 * analyses uploaded by staff run as a background job with progress and
 * cancel; analysts name the factors; leaders publish; the public reads the
 * published apportionment ("where our PM2.5 comes from").
 *
 * What other code may call: the module descriptor only. */
#ifndef ECOGOV_MODULES_PMF_H
#define ECOGOV_MODULES_PMF_H

#include "app/module.h"

extern const struct module pmf_module;

#endif
