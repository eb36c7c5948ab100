/* sim_ab.c - two builds of the simulator (a_ and b_, see run.sh) run the
 * trials of one scenario in turn in one process, Monte Carlo's way (summary,
 * leaves worked out after the trial, a grid of 200 points), so that both
 * meet the same moments of a shared machine.
 *
 * Usage: sim_ab MODEL_DIR SCENARIO TRIALS FIRST
 *   SCENARIO   a template (blackout, comms, compound[:REGIONS])
 *   FIRST      a or b: whose workspace is made first
 * Prints each build's seconds of trials and b's time over a's; exits 1 when
 * the two differ in a trial's failures, events or grid. */
#include "ab_util.h"

#include "analysis/scenario.h"
#include "analysis/sim.h"
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KERNEL(p)                                                                              \
	int p##an_sim_new(const struct an_model *m, struct an_sim **ret, struct cep_error *err);  \
	int p##an_ws_new(const struct an_sim *s, const struct an_timeline_opts *o,               \
			 struct an_ws **ret, struct cep_error *err);                              \
	int p##an_sim_trial(struct an_ws *w, const struct an_scenario *sc, uint64_t seed,        \
			    uint64_t trial, const struct an_progress *pr);                        \
	void p##an_ws_trial(const struct an_ws *w, struct an_trial *ret);
KERNEL(a_)
KERNEL(b_)

int main(int argc, char **argv)
{
	struct an_timeline_opts topt = { .max_points = 200, .summary = 1, .leaves = 1 };
	struct an_model *m;
	struct an_scenario *sc;
	struct an_sim *s[2];
	struct an_ws *w[2];
	struct cep_error err;
	double sec[2] = { 0, 0 };
	int trials = argc > 3 ? atoi(argv[3]) : 0, first_b = argc > 4 && strcmp(argv[4], "b") == 0;

	if (argc != 5 || trials < 1)
		return ab_usage("sim_ab MODEL_DIR SCENARIO TRIALS a|b");
	if (!(m = ab_model(argv[1])))
		return 2;
	if (an_scenario_template(m, argv[2], &sc, &err))
		return ab_fail(err.message);
	for (int k = 0; k < 2; k++) {
		int b = k ^ first_b;

		if ((b ? b_an_sim_new : a_an_sim_new)(m, &s[b], &err) ||
		    (b ? b_an_ws_new : a_an_ws_new)(s[b], &topt, &w[b], &err))
			return ab_fail("sim_ab: out of memory");
	}
	for (int i = 0; i < trials; i++) {
		struct an_trial x[2];

		for (int turn = 0; turn < 2; turn++) {
			int b = turn ^ (i & 1);
			double t = cep_mono_ms();

			if ((b ? b_an_sim_trial : a_an_sim_trial)(w[b], sc, 1, (uint64_t)i, NULL))
				return ab_fail("sim_ab: a trial failed");
			sec[b] += (cep_mono_ms() - t) / 1e3;
			(b ? b_an_ws_trial : a_an_ws_trial)(w[b], &x[b]);
		}
		if (x[0].n_failed != x[1].n_failed || x[0].n_events != x[1].n_events ||
		    x[0].n_samples != x[1].n_samples ||
		    memcmp(x[0].value, x[1].value,
			   x[0].n_samples * x[0].n_series * sizeof(*x[0].value)) != 0) {
			fprintf(stderr, "sim_ab: the builds differ at trial %d\n", i);
			return 1;
		}
	}
	printf("a %.3f s  b %.3f s  b/a %.3f  (%d trials each, %s first)\n", sec[0], sec[1],
	       sec[1] / sec[0], trials, first_b ? "b" : "a");
	return 0;
}
