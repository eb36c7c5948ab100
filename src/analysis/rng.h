/* rng.h - the random numbers of the analysis engine: xoshiro256** seeded by
 * splitmix64. A stream is derived from (seed, stream number), so that trial t
 * of a Monte Carlo run draws the same numbers whichever thread runs it and
 * however many threads there are. Header-only: the generator is on the hot
 * path of every trial. Not cryptographic. */
#ifndef CEP_ANALYSIS_RNG_H
#define CEP_ANALYSIS_RNG_H

#include <math.h>
#include <stdint.h>

struct an_rng {
	uint64_t s[4];
};

static inline uint64_t an_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The stream `stream` of seed `seed` (e.g. stream = trial number). */
static inline void an_rng_init(struct an_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL) ^ 0x6a09e667f3bcc909ULL;

	for (int i = 0; i < 4; i++)
		r->s[i] = an_splitmix64(&x);
}

static inline uint64_t an_rng_u64(struct an_rng *r)
{
	uint64_t *s = r->s;
	uint64_t t = s[1] << 17, x = s[1] * 5;
	uint64_t result = ((x << 7) | (x >> 57)) * 9;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return result;
}

/* Uniform in [0, 1). */
static inline double an_rng_unit(struct an_rng *r)
{
	return (double)(an_rng_u64(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0 (Lemire's multiply-shift, bias < 2^-32 for n < 2^32). */
static inline uint32_t an_rng_below(struct an_rng *r, uint32_t n)
{
	return (uint32_t)(((an_rng_u64(r) >> 32) * (uint64_t)n) >> 32);
}

/* Exponential with the given mean (> 0). */
static inline double an_rng_exp(struct an_rng *r, double mean)
{
	return -mean * log1p(-an_rng_unit(r));
}

#endif
