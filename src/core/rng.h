/* rng — a small deterministic generator (SplitMix64, Steele, Lea and Flood 2014) for demo data
 * and simulations: one seed gives one sequence on every platform. Not for secrets or tokens
 * (those come from libsodium's randombytes). */
#ifndef ECOGOV_RNG_H
#define ECOGOV_RNG_H

#include <stdint.h>

/* The next 64 bits; *state advances. Any state value is a valid seed. */
uint64_t rng_next(uint64_t *state);
/* A number in [0, 1) from the next output's top 53 bits. */
double rng_unit(uint64_t *state);

#endif
