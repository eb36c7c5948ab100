/* rank.h - criticality ranking (共通脅威分析): which single facilities, when
 * lost, cause the most weighted damage.
 *
 * For each candidate node, the static cascade (cascade.h) of losing it alone;
 * its damage is the weight of every node that stops working beyond the
 * baseline, itself included. Losing one node changes little, so its cascade
 * costs microseconds (cascade.h: a round touches only what changed) and every
 * node working in the baseline is ranked, for models up to AN_RANK_ALL_MAX
 * nodes; beyond that, or when fewer `candidates` are asked for, the nodes with
 * the highest cheap bound:
 *
 *   bound(v) = w(v) + sum over u in N(v) of (w(u) + sum of w(x), x a dependent of u)
 *
 * where N(v) is v's dependents and layer neighbours (two steps of what v
 * holds up), plus, for a source, its layer's weight shared among the layer's
 * sources. The ranking is exact among the candidates; a node outside them is
 * not ranked. Candidates run in parallel with OpenMP, each thread on its own
 * workspace; the result is the same for any number of threads. Ties are
 * ranked by node index. Pure computation: no I/O. */
#ifndef CEP_ANALYSIS_RANK_H
#define CEP_ANALYSIS_RANK_H

#include "analysis/cascade.h"
#include "analysis/progress.h"
#include "base/buf.h"
#include "base/err.h"

#include <stdint.h>

#define AN_RANK_ALL_MAX 5000000u     /* models up to this size rank every node by default */
#define AN_RANK_DEFAULT_CANDIDATES 500000u
#define AN_RANK_MAX_TOP 1000u        /* entries of the JSON and the chart */

struct an_rank_opts {
	uint32_t candidates; /* 0: the default above; else at most this many (all when larger) */
	int threads;         /* 0: OpenMP's default */
};

struct an_rank_item {
	uint32_t node;
	double damage;   /* weight lost */
	uint32_t failed; /* nodes lost */
	double bound;    /* the cheap bound that chose it */
};

struct an_rank {
	uint32_t n;                 /* candidates ranked */
	struct an_rank_item *items; /* by damage, highest first */
	uint32_t eligible;          /* nodes working in the baseline */
	double total_weight;        /* of all nodes */
	double wall_seconds, cascade_seconds;
	int threads;
};

/* Rank the candidates of base (borrowed). *ret owned by the caller
 * (an_rank_free). CEP_EINVAL (options), CEP_EBUSY (cancelled), CEP_ENOMEM. */
int an_rank_run(const struct an_cascade_base *base, const struct an_rank_opts *o,
		const struct an_progress *progress, struct an_rank **ret, struct cep_error *err);
void an_rank_free(struct an_rank *r);

/* Outputs, appended to out; m is the model ranked (borrowed).
 *   JSON: {"nodes", "eligible", "candidates", "exhaustive", "total_weight",
 *         "ranked": [{"rank", "id", "name", "sector", "operator", "region",
 *         "kind", "layer", "damage", "share", "failed"}] (the first top),
 *         "timing"}
 *   CSV:  every candidate: rank,id,name,sector,operator,region,kind,layer,
 *         damage,share,failed,bound
 *   SVG:  a bar chart of the first top (labels: name, else id). */
int an_rank_json(const struct an_rank *r, const struct an_model *m, uint32_t top,
		 struct cep_buf *out, struct cep_error *err);
int an_rank_csv(const struct an_rank *r, const struct an_model *m, struct cep_buf *out,
		struct cep_error *err);
int an_rank_svg(const struct an_rank *r, const struct an_model *m, uint32_t top,
		struct cep_buf *out, struct cep_error *err);

#endif
