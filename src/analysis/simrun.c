/* simrun.c - one detailed run or a Monte Carlo run, rendered into files. */
#include "analysis/simrun.h"

#include "analysis/mc.h"
#include "analysis/result.h"
#include "analysis/sim.h"
#include "base/alloc.h"
#include "base/err.h"

#define CELLS_MAX ((size_t)1 << 22) /* timeline values of one detailed run */

static const char *const JSON_TYPE = "application/json";
static const char *const CSV_TYPE = "text/csv; charset=utf-8";
static const char *const SVG_TYPE = "image/svg+xml";
static const char *const TEXT_TYPE = "text/plain; charset=utf-8";

/* Hand b to emit as name, then free what is left of it. */
static int give(an_simrun_emit emit, void *ctx, const char *name, const char *type,
		struct cep_buf *b, struct cep_error *err)
{
	int rc = emit(ctx, name, type, b, err);

	cep_buf_free(b);
	return rc;
}

static int single(const struct an_model *m, const struct an_sim *s,
		  const struct an_scenario *sc, const struct an_simrun_opts *o,
		  const struct an_progress *p, an_simrun_emit emit, void *ctx,
		  struct cep_error *err)
{
	size_t series = 1 + (size_t)m->sectors.n + m->layers.n;
	struct an_timeline_opts topt = { .exact = 1, .layers = 1 };
	struct cep_buf a, b;
	struct an_ws *w = NULL;
	struct an_trial t;
	int rc;

	/* every batch while there are few; the grid when the series are many */
	topt.max_points = (uint32_t)(CELLS_MAX / series < AN_TIMELINE_MAX_POINTS
					     ? CELLS_MAX / series : AN_TIMELINE_MAX_POINTS);
	if (topt.max_points < 2)
		topt.max_points = 2;
	if ((rc = an_ws_new(s, &topt, &w, err)))
		return rc;
	if ((rc = an_sim_trial(w, sc, o->seed, 0, p))) {
		rc = rc == CEP_EBUSY ? cep_error_set(err, rc, NULL, "cancelled")
				     : cep_error_set(err, rc, NULL, "out of memory");
		goto out;
	}
	if (p && p->report)
		p->report(p->ctx, 1000, 1000);
	an_ws_trial(w, &t);
	cep_buf_init(&a, AN_SIMRUN_MAX_FILE);
	cep_buf_init(&b, AN_SIMRUN_MAX_FILE);
	rc = an_result_json(&a, m, sc, &t, o->seed, err);
	rc = rc ? rc : give(emit, ctx, "result.json", JSON_TYPE, &a, err);
	rc = rc ? rc : an_result_nodes_csv(&a, m, sc, &t, err);
	rc = rc ? rc : give(emit, ctx, "nodes.csv", CSV_TYPE, &a, err);
	rc = rc ? rc : an_result_timeline_csv(&a, m, &t, err);
	rc = rc ? rc : give(emit, ctx, "timeline.csv", CSV_TYPE, &a, err);
	rc = rc ? rc : an_result_timeline_svg(&a, m, sc, &t, err);
	rc = rc ? rc : give(emit, ctx, "timeline.svg", SVG_TYPE, &a, err);
	rc = rc ? rc : an_result_chain(&a, &b, m, sc, &t, err);
	rc = rc ? rc : give(emit, ctx, "chain.json", JSON_TYPE, &a, err);
	rc = rc ? rc : give(emit, ctx, "chain.txt", TEXT_TYPE, &b, err);
	cep_buf_free(&a);
	cep_buf_free(&b);
out:
	an_ws_free(w);
	return rc;
}

static int monte_carlo(const struct an_model *m, const struct an_sim *s,
		       const struct an_scenario *sc, const struct an_simrun_opts *o,
		       const struct an_progress *p, an_simrun_emit emit, void *ctx,
		       struct cep_error *err)
{
	struct an_mc_opts mo = { .trials = o->trials, .seed = o->seed, .threads = o->threads,
				 .points = o->points };
	uint32_t series = 1 + m->sectors.n;
	struct an_mc *r = NULL;
	struct cep_buf a;
	int rc;

	if (!mo.points) {
		mo.points = AN_SIMRUN_POINTS;
		if ((size_t)mo.points * series > AN_MC_MAX_CELLS)
			mo.points = AN_MC_MAX_CELLS / series;
		if (mo.points < 2)
			return cep_error_set(err, CEP_ETOOBIG, "sectors",
					     "%u sectors are too many for a Monte Carlo timeline",
					     series - 1);
	}
	if ((rc = an_mc_run(s, sc, &mo, p, &r, err)))
		return rc;
	cep_buf_init(&a, AN_SIMRUN_MAX_FILE);
	rc = an_mc_json(&a, m, sc, r, o->seed, err);
	rc = rc ? rc : give(emit, ctx, "result.json", JSON_TYPE, &a, err);
	rc = rc ? rc : an_mc_nodes_csv(&a, m, r, err);
	rc = rc ? rc : give(emit, ctx, "nodes.csv", CSV_TYPE, &a, err);
	rc = rc ? rc : an_mc_timeline_csv(&a, m, r, err);
	rc = rc ? rc : give(emit, ctx, "timeline.csv", CSV_TYPE, &a, err);
	rc = rc ? rc : an_mc_timeline_svg(&a, m, sc, r, err);
	rc = rc ? rc : give(emit, ctx, "timeline.svg", SVG_TYPE, &a, err);
	cep_buf_free(&a);
	an_mc_free(r);
	return rc;
}

int an_simrun(const struct an_model *m, const struct an_scenario *sc,
	      const struct an_simrun_opts *o, const struct an_progress *progress,
	      an_simrun_emit emit, void *ctx, struct cep_error *err)
{
	struct an_sim *s = NULL;
	int rc;

	if (o->trials < 1 || o->trials > AN_MC_MAX_TRIALS)
		return cep_error_set(err, CEP_EINVAL, "trials", "trials must be from 1 to %u",
				     AN_MC_MAX_TRIALS);
	if ((rc = an_sim_new(m, &s, err)))
		return rc;
	if (o->trials == 1)
		rc = single(m, s, sc, o, progress, emit, ctx, err);
	else
		rc = monte_carlo(m, s, sc, o, progress, emit, ctx, err);
	an_sim_free(s);
	return rc;
}
