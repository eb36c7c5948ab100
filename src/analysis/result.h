/* result.h - the outputs of a cascade run as text, written by the engine
 * itself so that the command line is useful without the UI:
 *
 *   one run          result.json    summary: damage, lowest working fraction,
 *                                   first impact per sector, per layer
 *                    nodes.csv      every node that failed: first failure, last
 *                                   return, hours down, cause, depth
 *                    timeline.csv   working fraction over time: the whole, each
 *                                   sector, each layer
 *                    timeline.svg   the whole and each sector over time
 *                    chain.json     the propagation tree, most damaging branches
 *                    chain.txt      first, capped (AN_CHAIN_MAX_NODES)
 *   Monte Carlo      result.json    summary: trials, mean failures, per sector
 *                                   the probability of impact and its mean time
 *                    nodes.csv      each node's probability of failing
 *                    timeline.csv   mean, p5, p50, p95 over the time grid
 *                    timeline.svg   the whole's mean and 5-95% band, sector means
 *
 * Each function appends to a caller's buffer (whose cap bounds the output)
 * and returns 0, CEP_ETOOBIG (the buffer's cap) or CEP_ENOMEM. Pure. */
#ifndef CEP_ANALYSIS_RESULT_H
#define CEP_ANALYSIS_RESULT_H

#include "analysis/mc.h"
#include "analysis/model.h"
#include "analysis/scenario.h"
#include "analysis/sim.h"
#include "base/buf.h"
#include "base/err.h"

#include <stdint.h>

#define AN_CHAIN_MAX_NODES 2000u  /* nodes shown in a chain, all branches together */
#define AN_CHAIN_MAX_CHILDREN 25u /* children shown under one node (the rest summed up) */
#define AN_CHAIN_MAX_DEPTH 60u    /* levels shown */
#define AN_RESULT_MAX_LAYERS 2000u /* layers with failures listed in result.json */

/* ---- one run (trial t of scenario sc on model m, drawn with seed) ---- */
int an_result_json(struct cep_buf *out, const struct an_model *m, const struct an_scenario *sc,
		   const struct an_trial *t, uint64_t seed, struct cep_error *err);
int an_result_nodes_csv(struct cep_buf *out, const struct an_model *m,
			const struct an_scenario *sc, const struct an_trial *t,
			struct cep_error *err);
int an_result_timeline_csv(struct cep_buf *out, const struct an_model *m,
			   const struct an_trial *t, struct cep_error *err);
int an_result_timeline_svg(struct cep_buf *out, const struct an_model *m,
			   const struct an_scenario *sc, const struct an_trial *t,
			   struct cep_error *err);
/* The propagation tree into json and txt (both written). */
int an_result_chain(struct cep_buf *json, struct cep_buf *txt, const struct an_model *m,
		    const struct an_scenario *sc, const struct an_trial *t, struct cep_error *err);

/* ---- Monte Carlo ---- */
int an_mc_json(struct cep_buf *out, const struct an_model *m, const struct an_scenario *sc,
	       const struct an_mc *r, uint64_t seed, struct cep_error *err);
int an_mc_nodes_csv(struct cep_buf *out, const struct an_model *m, const struct an_mc *r,
		    struct cep_error *err);
int an_mc_timeline_csv(struct cep_buf *out, const struct an_model *m, const struct an_mc *r,
		       struct cep_error *err);
int an_mc_timeline_svg(struct cep_buf *out, const struct an_model *m,
		       const struct an_scenario *sc, const struct an_mc *r, struct cep_error *err);

#endif
