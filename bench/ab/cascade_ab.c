/* cascade_ab.c - two builds of the static cascade (a_ and b_, see run.sh)
 * take the sweep benchmark's points in turn in one process, so that both
 * meet the same moments of a shared machine: a comparison several times
 * finer than whole runs of `sim sweep` one after the other.
 *
 * Usage: cascade_ab MODEL_DIR REPS FIRST
 *   MODEL_DIR  nodes.csv, edges.csv and order.txt (`sim generate --order A`)
 *   REPS       passes over the 50 points (p = 0, 1/49, ..., 1; the first
 *              floor(p n + 1/2) nodes of the order kept, as `sim sweep
 *              --order` does)
 *   FIRST      a or b: whose workspace is made first (the order in memory
 *              matters by a few per cent; run.sh runs both)
 * Prints each build's cascade seconds per pass and b's time over a's; exits
 * 1 when the two differ in a point's rounds, failures or damage. */
#include "ab_util.h"

#include "analysis/cascade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KERNEL(p)                                                                              \
	int p##an_cascade_base_new(const struct an_model *m, struct an_cascade_base **ret,       \
				   struct cep_error *err);                                        \
	int p##an_cascade_new(const struct an_cascade_base *base, struct an_cascade **ret);      \
	int p##an_cascade_run(struct an_cascade *c, const uint32_t *nodes, size_t n,             \
			      struct an_cascade_result *ret);                                     \
	void p##an_cascade_reset(struct an_cascade *c);
KERNEL(a_)
KERNEL(b_)

int main(int argc, char **argv)
{
	struct an_model *m;
	struct an_cascade_base *base[2];
	struct an_cascade *c[2];
	struct cep_error err;
	uint32_t *order, n;
	double sec[2] = { 0, 0 };
	int reps = argc > 2 ? atoi(argv[2]) : 0, first_b = argc > 3 && strcmp(argv[3], "b") == 0;

	if (argc != 4 || reps < 1)
		return ab_usage("cascade_ab MODEL_DIR REPS a|b");
	if (!(m = ab_model(argv[1])) || !(order = ab_order(m, argv[1], &n)))
		return 2;
	for (int k = 0; k < 2; k++) { /* FIRST's workspace first */
		int b = k ^ first_b;

		if ((b ? b_an_cascade_base_new : a_an_cascade_base_new)(m, &base[b], &err) ||
		    (b ? b_an_cascade_new : a_an_cascade_new)(base[b], &c[b]))
			return ab_fail("cascade_ab: out of memory");
	}
	for (int r = 0; r < reps; r++) {
		for (uint32_t k = 0; k < 50; k++) {
			uint32_t kept = (uint32_t)((double)k / 49 * n + 0.5);
			struct an_cascade_result x[2];

			for (int turn = 0; turn < 2; turn++) { /* who goes first alternates */
				int b = turn ^ (int)(k & 1) ^ (r & 1);

				(b ? b_an_cascade_run : a_an_cascade_run)(c[b], order + kept, n - kept,
									  &x[b]);
				sec[b] += x[b].seconds;
				(b ? b_an_cascade_reset : a_an_cascade_reset)(c[b]);
			}
			if (x[0].rounds != x[1].rounds || x[0].failed != x[1].failed ||
			    x[0].damage != x[1].damage) {
				fprintf(stderr, "cascade_ab: the builds differ at point %u: rounds %u/%u, "
					"failed %u/%u\n", k, x[0].rounds, x[1].rounds, x[0].failed,
					x[1].failed);
				return 1;
			}
		}
	}
	printf("a %.3f s  b %.3f s  b/a %.3f  (%s first)\n", sec[0] / reps, sec[1] / reps,
	       sec[1] / sec[0], first_b ? "b" : "a");
	return 0;
}
