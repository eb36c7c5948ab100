/* simrun.h - `sim run` as one call, for the command line and the server's
 * jobs alike: a model and a scenario in, the files of the run out (handed
 * one by one to the caller, who writes or stores them).
 *
 *   trials 1   one run in detail (trial 0 of the seed): result.json,
 *              nodes.csv, timeline.csv, timeline.svg, chain.json, chain.txt
 *   trials N   Monte Carlo: result.json, nodes.csv, timeline.csv, timeline.svg
 *
 * See result.h for what each file holds. Pure computation. */
#ifndef CEP_ANALYSIS_SIMRUN_H
#define CEP_ANALYSIS_SIMRUN_H

#include "analysis/model.h"
#include "analysis/progress.h"
#include "analysis/scenario.h"
#include "base/buf.h"
#include "base/err.h"

#include <stdint.h>

#define AN_SIMRUN_MAX_FILE ((size_t)1 << 30) /* bytes of one output file */
#define AN_SIMRUN_POINTS 241u                /* Monte Carlo time grid, by default */

struct an_simrun_opts {
	uint32_t trials;  /* 1 .. AN_MC_MAX_TRIALS */
	uint64_t seed;
	int threads;      /* Monte Carlo: 0 = OpenMP's default */
	uint32_t points;  /* Monte Carlo time grid; 0: AN_SIMRUN_POINTS (fewer when the
			   * sectors are many) */
};

/* Receives each file: name ("result.json", ...), its media type (static) and
 * its text, which the callee may take (cep_buf_steal) or leave to be freed.
 * Returns 0 or a CEP_E* code that stops the run (with err filled). */
typedef int (*an_simrun_emit)(void *ctx, const char *name, const char *type,
			      struct cep_buf *data, struct cep_error *err);

/* Run scenario sc on m (sc resolved against m) and emit the files. progress:
 * for a single run, the simulated time (in thousandths of the horizon); for
 * Monte Carlo, the trials; cancel honoured (CEP_EBUSY). */
int an_simrun(const struct an_model *m, const struct an_scenario *sc,
	      const struct an_simrun_opts *o, const struct an_progress *progress,
	      an_simrun_emit emit, void *ctx, struct cep_error *err);

#endif
