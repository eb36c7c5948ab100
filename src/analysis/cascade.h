/* cascade.h - the static cascade: the final state of an outage that lasts
 * forever. Buffers and repair times play no part.
 *
 * Starting from the model's baseline (below), a set of nodes fails; then
 * rounds are repeated until a round fails nothing:
 *
 *   1. the dependency closure: a working node fails when one of its
 *      redundancy groups has fewer working suppliers than it needs, repeated
 *      until no node fails;
 *   2. one connectivity pass over every layer: among the working nodes of a
 *      layer, a connected component without a working source fails (a layer
 *      that has sources), or every component but the largest fails (a layer
 *      without sources; between components of one size, the one holding the
 *      lowest node index is kept).
 *
 * The rounds are counted by connectivity passes. The baseline is the state
 * those rounds reach from the intact model: a layer node that reaches no
 * source even when nothing has failed never works. Failed nodes stay failed.
 *
 * With sources in every layer the final state is the unique largest set of
 * working nodes consistent with both rules, whatever the order of the rounds;
 * a layer without sources follows Buldyrev et al. (2010) and keeps, round by
 * round, the largest piece of what it had.
 *
 * Speed: a round touches only what changed. Every working node of a layer
 * keeps a level (a chain of lower levels leads from it to a source, or to the
 * root of the piece kept); after few failures a connectivity pass repairs the
 * levels around them, finding what lost its support, what still reaches the
 * rest and what is cut off: the large remainder of a network is not walked
 * again. When many nodes of a layer failed at once, the layer is relabelled
 * whole instead. A base keeps its own copy of the model's links and
 * dependencies with the nodes renumbered for locality (about as much memory
 * again as they take in the model); it is invisible in the results. Undoing a
 * cascade back to the baseline costs what the cascade changed.
 *
 * Threads: a base (struct an_cascade_base) is read-only once made and shared;
 * each thread uses its own workspace (struct an_cascade). A cascade is
 * sequential and deterministic. Pure computation: no I/O. */
#ifndef CEP_ANALYSIS_CASCADE_H
#define CEP_ANALYSIS_CASCADE_H

#include "analysis/model.h"
#include "base/err.h"

#include <stddef.h>
#include <stdint.h>

/* What is computed once per model: the nodes of each layer, which layers have
 * sources, and the baseline state. Borrows the model, which must outlive it. */
struct an_cascade_base;

/* Make the base of model m (borrowed). *ret is owned by the caller
 * (an_cascade_base_free). CEP_ENOMEM. */
int an_cascade_base_new(const struct an_model *m, struct an_cascade_base **ret,
			struct cep_error *err);
/* Accepts NULL. */
void an_cascade_base_free(struct an_cascade_base *b);

/* The model the base was made from (borrowed). */
const struct an_model *an_cascade_base_model(const struct an_cascade_base *b);
/* Nodes working in the baseline: overall, and in layer l (l < layers.n). */
uint32_t an_cascade_base_working(const struct an_cascade_base *b);
uint32_t an_cascade_base_layer_working(const struct an_cascade_base *b, uint32_t l);
/* Whether node v works in the baseline. */
int an_cascade_base_works(const struct an_cascade_base *b, uint32_t v);

/* A workspace: the state of one cascade. */
struct an_cascade;

/* A workspace in the baseline state; borrows base, which must outlive it.
 * *ret owned by the caller (an_cascade_free). CEP_ENOMEM. */
int an_cascade_new(const struct an_cascade_base *base, struct an_cascade **ret);
/* Accepts NULL. */
void an_cascade_free(struct an_cascade *c);

struct an_cascade_result {
	uint32_t failed;       /* nodes that failed beyond the baseline (the given ones included) */
	double damage;         /* their total weight */
	uint32_t rounds;       /* connectivity passes */
	uint32_t full_passes;  /* layers relabelled whole */
	double seconds;        /* wall time of the cascade */
	double first_seconds;  /* of which the first round (removal, closure, first pass) */
};

/* Fail nodes[0..n) (node indices; duplicates and nodes already failed are
 * ignored) and run the rounds to the fixed point. The workspace must be in the
 * baseline state (new, or reset). The final state stays in the workspace until
 * an_cascade_reset. Returns 0 with *ret filled, CEP_EINVAL (an index out of
 * range: nothing done) or CEP_ENOMEM (the workspace must then be reset). */
int an_cascade_run(struct an_cascade *c, const uint32_t *nodes, size_t n,
		   struct an_cascade_result *ret);

/* Back to the baseline state, in time proportional to what the last run changed. */
void an_cascade_reset(struct an_cascade *c);

/* The state after a run: whether node v works; working nodes overall and in
 * layer l; the nodes that failed beyond the baseline, in the order they failed
 * (borrowed from the workspace until the next run or reset). */
int an_cascade_works(const struct an_cascade *c, uint32_t v);
uint32_t an_cascade_working(const struct an_cascade *c);
uint32_t an_cascade_layer_working(const struct an_cascade *c, uint32_t l);
const uint32_t *an_cascade_failed(struct an_cascade *c, size_t *ret_n);

#endif
