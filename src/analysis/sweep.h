/* sweep.h - random removal sweeps over the static cascade (cascade.h).
 *
 * For each of `points` kept fractions p from p_min to p_max (evenly spaced),
 * and each of `trials` trials, a fraction 1 - p of the target nodes (those of
 * one layer, or of every layer) is removed and the cascade run to its fixed
 * point; the final working fraction of the whole model, of each layer and of
 * the weight is recorded. The target nodes kept at p are the first
 * floor(p * n + 0.5) of an order: trial t's random order (a shuffle drawn from
 * the stream (seed, t), so the removals of one trial are nested from point to
 * point), or an order given by the caller (one trial), so that another
 * implementation given the same order removes exactly the same nodes.
 *
 * Points x trials run in parallel with OpenMP, each on its own workspace; the
 * result is the same for any number of threads. Outputs: JSON, CSV and an SVG
 * curve (svg.h). Pure computation: no I/O. */
#ifndef CEP_ANALYSIS_SWEEP_H
#define CEP_ANALYSIS_SWEEP_H

#include "analysis/cascade.h"
#include "analysis/progress.h"
#include "base/buf.h"
#include "base/err.h"

#include <stdint.h>

#define AN_SWEEP_MAX_POINTS 1000u
#define AN_SWEEP_MAX_TRIALS 100000u
#define AN_SWEEP_MAX_RUNS 1000000u /* points x trials */
#define AN_SWEEP_ALL (-1)          /* target: the nodes of every layer (all nodes without layers) */

struct an_sweep_opts {
	int32_t layer;         /* the target layer's index, or AN_SWEEP_ALL */
	uint32_t points;       /* 1..AN_SWEEP_MAX_POINTS (1: p_max alone) */
	uint32_t trials;       /* 1..AN_SWEEP_MAX_TRIALS */
	double p_min, p_max;   /* 0 <= p_min <= p_max <= 1 */
	uint64_t seed;
	const uint32_t *order; /* NULL, or the target nodes in keep order, each once (borrowed) */
	uint32_t n_order;
	int threads;           /* 0: OpenMP's default */
};

/* What a sweep found. Per run (point i, trial t; index i * trials + t). */
struct an_sweep {
	uint32_t points, trials, n_layers, n_targets, n_nodes;
	int32_t layer;
	uint64_t seed;
	int given_order;
	double *p;               /* per point */
	uint32_t *kept;          /* per point: target nodes kept */
	uint32_t *working;       /* per run: nodes working */
	double *weight;          /* per run: weight of the nodes working */
	uint32_t *layer_working; /* per run and layer: [run * n_layers + l] */
	uint32_t *layer_size;    /* per layer */
	uint32_t *rounds;        /* per run */
	double *seconds;         /* per run: the cascade's time */
	double *first_seconds;   /* per run: its first round */
	uint32_t *full_passes;   /* per run: layers relabelled whole */
	double total_weight;     /* of all nodes */
	double wall_seconds;     /* of the whole sweep */
	int threads;             /* used */
};

/* Run the sweep over base (borrowed). *ret owned by the caller
 * (an_sweep_free). CEP_EINVAL (options, with err naming the field; an order
 * that is not the target nodes each once), CEP_EBUSY (cancelled), CEP_ENOMEM. */
int an_sweep_run(const struct an_cascade_base *base, const struct an_sweep_opts *o,
		 const struct an_progress *progress, struct an_sweep **ret, struct cep_error *err);
void an_sweep_free(struct an_sweep *s);

/* The target nodes of layer (or AN_SWEEP_ALL) in m, ascending, into *ret
 * (caller frees with cep_free) and *ret_n. CEP_EINVAL (no such layer, no
 * nodes), CEP_ENOMEM. */
int an_sweep_targets(const struct an_model *m, int32_t layer, uint32_t **ret, uint32_t *ret_n,
		     struct cep_error *err);

/* Outputs, appended to out; m is the model swept (borrowed).
 *   JSON: {"targets", "layer", "points": [{"p", "kept", "working": {mean, sd,
 *         min, max}, "weighted": {...}, "layers": {name: {mean, sd}}, "rounds"}],
 *         "timing": {...}}
 *   CSV:  one row per point: point,p,kept,working_mean,working_sd,working_min,
 *         working_max,weighted_mean,rounds_mean, then LAYER_mean,LAYER_sd.
 *   SVG:  the working fraction against p: the whole model and each layer (or,
 *         beyond 8 layers, each family of layers: the name before '/'). */
int an_sweep_json(const struct an_sweep *s, const struct an_model *m, struct cep_buf *out,
		  struct cep_error *err);
int an_sweep_csv(const struct an_sweep *s, const struct an_model *m, struct cep_buf *out,
		 struct cep_error *err);
int an_sweep_svg(const struct an_sweep *s, const struct an_model *m, struct cep_buf *out,
		 struct cep_error *err);

#endif
