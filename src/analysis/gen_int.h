/* gen_int.h - shared by the generator files (gen.c, gen_random.c,
 * gen_japan.c); not for other modules. */
#ifndef CEP_ANALYSIS_GEN_INT_H
#define CEP_ANALYSIS_GEN_INT_H

#include "analysis/gen.h"

/* The generators proper; the spec is already checked. Same contract as
 * an_generate. */
int an_gen_random(const struct an_gen_spec *s, const struct an_progress *progress,
		  struct an_model **ret, struct cep_error *err);
int an_gen_japan(const struct an_gen_spec *s, const struct an_progress *progress,
		 struct an_model **ret, struct cep_error *err);

/* The japan preset's size at scale x (nodes, edges), about. */
double an_gen_japan_nodes(double scale);
double an_gen_japan_edges(double scale);

/* Progress of a generator: stage counts, reported at most ~200 times, and the
 * cancel flag, polled every 4096 items. */
struct gen_tick {
	const struct an_progress *p;
	unsigned long done, total, step, next;
};

void gen_tick_init(struct gen_tick *t, const struct an_progress *p, unsigned long total);
/* Count n more items. 0, or CEP_EBUSY (cancelled) with err set. */
int gen_tick_add(struct gen_tick *t, unsigned long n, struct cep_error *err);

#endif
