/* mc.h - Monte Carlo runs of the cascade simulator: N trials of a scenario,
 * each with its own random shares of the fraction events and its own buffer
 * and repair factors, in parallel with OpenMP. Trial t draws from the stream
 * (seed, t) and the trials' outcomes are combined with sums of integers
 * (fixed point), so the result is the same, bit for bit, for any number of
 * threads.
 *
 * Outputs over a fixed time grid (points evenly spread over [0, horizon]):
 * the mean and the 5th, 50th and 95th percentiles of the working fraction of
 * the whole model and of each sector (percentiles to 1/1000: the fractions
 * are counted in 1001 bins); each node's probability of failing; each
 * sector's probability of being hit and its mean first-impact time.
 *
 * Pure computation. */
#ifndef CEP_ANALYSIS_MC_H
#define CEP_ANALYSIS_MC_H

#include "analysis/progress.h"
#include "analysis/scenario.h"
#include "analysis/sim.h"
#include "base/err.h"

#include <stdint.h>

#define AN_MC_MAX_TRIALS 100000u
#define AN_MC_MAX_THREADS 256
#define AN_MC_BINS 1000u /* percentiles are multiples of 1/AN_MC_BINS */
/* points x series (1 + sectors) at most: the bins take 4 KB each, per thread */
#define AN_MC_MAX_CELLS 8192u

struct an_mc_opts {
	uint32_t trials;  /* 1 .. AN_MC_MAX_TRIALS */
	uint64_t seed;
	int threads;      /* 1 .. AN_MC_MAX_THREADS; 0: OpenMP's default */
	uint32_t points;  /* 2 .. AN_TIMELINE_MAX_POINTS */
};

struct an_mc {
	uint32_t trials, points, n_series; /* series 0: the whole model; 1..: sectors */
	double horizon;
	double *t;                   /* points */
	double *mean, *p5, *p50, *p95; /* points x n_series, row-major by point */
	uint32_t *fail_count;        /* per node: trials in which it went down */
	uint32_t *sector_hit;        /* per sector: trials in which it was hit */
	double *sector_first_mean;   /* per sector: mean first impact of those trials (hours) */
	double mean_failed;          /* nodes that went down, per trial */
	uint64_t events;             /* events handled, all trials */
};

/* Run o->trials trials of sc on s. *ret caller-owned (an_mc_free).
 * CEP_EINVAL (options), CEP_ETOOBIG (points x sectors), CEP_EBUSY
 * (cancelled), CEP_ENOMEM. progress->report is called from one thread with
 * (trials done, trials). */
int an_mc_run(const struct an_sim *s, const struct an_scenario *sc, const struct an_mc_opts *o,
	      const struct an_progress *progress, struct an_mc **ret, struct cep_error *err);

void an_mc_free(struct an_mc *r);

#endif
