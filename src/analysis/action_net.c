/* action_net.c - the facility-level analysis actions (run, sweep, rank) as one
 * call each, on a model given as JSON text: the same engine calls as
 * `ceptoar sim run|sweep|rank`, with the options as JSON members. */
#include "analysis/action_int.h"

#include "analysis/cascade.h"
#include "analysis/load.h"
#include "analysis/mc.h"
#include "analysis/model.h"
#include "analysis/rank.h"
#include "analysis/scenario.h"
#include "analysis/simrun.h"
#include "analysis/sweep.h"
#include "base/alloc.h"
#include "base/json.h"

#include <math.h>
#include <string.h>

#define FILE_MAX ((size_t)256 << 20) /* bytes of one file of a result */
#define SCENARIO_MAX (1u << 20)      /* bytes of a scenario given inline */

static const char *const run_keys[] = { "scenario", "trials", "seed", "points", NULL };
static const char *const sweep_keys[] = { "layer", "points", "trials", "p_min", "p_max", "seed",
					  NULL };
static const char *const rank_keys[] = { "candidates", "top", NULL };

int an_action_model_info(const char *model, size_t len, json_t **ret, struct cep_error *err)
{
	struct an_model *m = NULL;
	json_t *v;
	int rc = an_load_json(model, len, "model", &m, err);

	if (rc < 0)
		return rc;
	v = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "nodes", (json_int_t)m->n_nodes,
		      "dependencies", (json_int_t)m->n_deps, "links", (json_int_t)m->n_links,
		      "groups", (json_int_t)m->n_groups, "sectors", (json_int_t)m->sectors.n,
		      "layers", (json_int_t)m->layers.n);
	an_model_free(m);
	if (!v)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	*ret = v;
	return 0;
}

/* An optional whole number member in [lo, hi] into *ret (untouched when absent). */
static int opt_count(const json_t *o, const char *key, double lo, double hi, double *ret,
		     struct cep_error *err)
{
	double v = *ret;
	int rc = an_opt_number(o, key, lo, hi, &v, err);

	if (rc == 0 && v != floor(v))
		rc = cep_error_set(err, CEP_EINVAL, key, "%s must be a whole number", key);
	if (rc == 0)
		*ret = v;
	return rc;
}

int an_action_net_check(const char *kind, const json_t *options, struct cep_error *err)
{
	const json_t *sc = json_object_get(options, "scenario");
	double x = 0;
	int rc;

	if (!strcmp(kind, "run")) {
		rc = cep_json_only(options, run_keys, err);
		if (rc == 0 && !sc)
			rc = cep_error_set(err, CEP_EINVAL, "scenario",
					   "a run needs a scenario: a template (\"blackout\", "
					   "\"comms:13,27\", \"compound\") or a scenario object");
		if (rc == 0 && !json_is_string(sc) && !json_is_object(sc))
			rc = cep_error_set(err, CEP_EINVAL, "scenario",
					   "scenario must be a template name or an object");
		if (rc == 0)
			rc = opt_count(options, "trials", 1, AN_MC_MAX_TRIALS, &x, err);
		if (rc == 0)
			rc = opt_count(options, "seed", 0, 9007199254740991.0, &x, err);
		if (rc == 0)
			rc = opt_count(options, "points", 2, AN_MC_MAX_CELLS, &x, err);
		return rc;
	}
	if (!strcmp(kind, "sweep")) {
		double lo = 0, hi = 1;

		rc = cep_json_only(options, sweep_keys, err);
		if (rc == 0 && json_object_get(options, "layer") &&
		    !json_is_string(json_object_get(options, "layer")))
			rc = cep_error_set(err, CEP_EINVAL, "layer", "layer must be a layer's name");
		if (rc == 0)
			rc = opt_count(options, "points", 1, AN_SWEEP_MAX_POINTS, &x, err);
		if (rc == 0)
			rc = opt_count(options, "trials", 1, AN_SWEEP_MAX_TRIALS, &x, err);
		if (rc == 0)
			rc = opt_count(options, "seed", 0, 9007199254740991.0, &x, err);
		if (rc == 0)
			rc = an_opt_number(options, "p_min", 0, 1, &lo, err);
		if (rc == 0)
			rc = an_opt_number(options, "p_max", 0, 1, &hi, err);
		if (rc == 0 && lo > hi)
			rc = cep_error_set(err, CEP_EINVAL, "p_min", "p_min must not be above p_max");
		return rc;
	}
	rc = cep_json_only(options, rank_keys, err);
	if (rc == 0)
		rc = opt_count(options, "candidates", 1, 10000000, &x, err);
	if (rc == 0)
		rc = opt_count(options, "top", 1, AN_RANK_MAX_TOP, &x, err);
	return rc;
}

/* ---- run: one detailed run, or Monte Carlo ---- */

static int emit(void *ctx, const char *name, const char *type, struct cep_buf *data,
		struct cep_error *err)
{
	if (an_files_add_buf(ctx, name, type, data) < 0)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	return 0;
}

static int scenario(const struct an_model *m, const json_t *spec, struct an_scenario **ret,
		    struct cep_error *err)
{
	char *text;
	int rc;

	if (json_is_string(spec))
		return an_scenario_template(m, json_string_value(spec), ret, err);
	text = json_dumps(spec, JSON_COMPACT);
	if (!text)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	rc = strlen(text) > SCENARIO_MAX
		     ? cep_error_set(err, CEP_ETOOBIG, "scenario", "a scenario is at most %u bytes",
				     SCENARIO_MAX)
		     : an_scenario_parse(m, text, strlen(text), ret, err);
	cep_free(text);
	return rc;
}

static int run(const struct an_model *m, const json_t *o, const struct an_progress *pr,
	       json_t **ret_summary, struct an_files *files, struct cep_error *err)
{
	struct an_scenario *sc = NULL;
	double trials = 1, seed = 1, points = 0;
	int rc = opt_count(o, "trials", 1, AN_MC_MAX_TRIALS, &trials, err);

	if (rc == 0)
		rc = opt_count(o, "seed", 0, 9007199254740991.0, &seed, err);
	if (rc == 0)
		rc = opt_count(o, "points", 2, AN_MC_MAX_CELLS, &points, err);
	if (rc == 0)
		rc = scenario(m, json_object_get(o, "scenario"), &sc, err);
	if (rc == 0) {
		struct an_simrun_opts so = { .trials = (uint32_t)trials, .seed = (uint64_t)seed,
					     .points = (uint32_t)points };

		rc = an_simrun(m, sc, &so, pr, emit, files, err);
	}
	if (rc == 0) {
		*ret_summary = json_pack("{s:s, s:I, s:I, s:I, s:I}", "kind", "run", "trials",
					 (json_int_t)trials, "seed", (json_int_t)seed, "nodes",
					 (json_int_t)m->n_nodes, "files", (json_int_t)files->n);
		rc = *ret_summary ? 0 : cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	}
	an_scenario_free(sc);
	return rc;
}

/* ---- sweep and rank: the static cascade ---- */

/* Add json, csv and svg under stem.json, stem.csv, stem.svg. */
static int three(struct an_files *files, const char *stem, struct cep_buf *json,
		 struct cep_buf *csv, struct cep_buf *svg, struct cep_error *err)
{
	char name[AN_FILE_NAME_MAX];
	int rc;

	snprintf(name, sizeof(name), "%s.json", stem);
	rc = an_files_add_buf(files, name, AN_TYPE_JSON, json);
	snprintf(name, sizeof(name), "%s.csv", stem);
	if (rc == 0)
		rc = an_files_add_buf(files, name, AN_TYPE_CSV, csv);
	snprintf(name, sizeof(name), "%s.svg", stem);
	if (rc == 0)
		rc = an_files_add_buf(files, name, AN_TYPE_SVG, svg);
	return rc < 0 ? cep_error_set(err, rc, NULL, "out of memory") : 0;
}

static int sweep(const struct an_model *m, const struct an_cascade_base *base, const json_t *o,
		 const struct an_progress *pr, json_t **ret_summary, struct an_files *files,
		 struct cep_error *err)
{
	struct an_sweep_opts so = { .layer = AN_SWEEP_ALL };
	const char *layer = json_string_value(json_object_get(o, "layer"));
	double points = 50, trials = 1, seed = 1, lo = 0, hi = 1;
	struct an_sweep *s = NULL;
	struct cep_buf json, csv, svg;
	int rc = opt_count(o, "points", 1, AN_SWEEP_MAX_POINTS, &points, err);

	cep_buf_init(&json, FILE_MAX);
	cep_buf_init(&csv, FILE_MAX);
	cep_buf_init(&svg, FILE_MAX);
	if (rc == 0)
		rc = opt_count(o, "trials", 1, AN_SWEEP_MAX_TRIALS, &trials, err);
	if (rc == 0)
		rc = opt_count(o, "seed", 0, 9007199254740991.0, &seed, err);
	if (rc == 0)
		rc = an_opt_number(o, "p_min", 0, 1, &lo, err);
	if (rc == 0)
		rc = an_opt_number(o, "p_max", 0, 1, &hi, err);
	if (rc == 0 && layer) {
		so.layer = -2;
		for (uint32_t l = 0; l < m->layers.n; l++)
			if (!strcmp(m->layers.name[l], layer))
				so.layer = (int32_t)l;
		if (so.layer == -2)
			rc = cep_error_set(err, CEP_EINVAL, "layer", "the model has no layer %s", layer);
	}
	so.points = (uint32_t)points;
	so.trials = (uint32_t)trials;
	so.seed = (uint64_t)seed;
	so.p_min = lo;
	so.p_max = hi;
	if (rc == 0)
		rc = an_sweep_run(base, &so, pr, &s, err);
	if (rc == 0)
		rc = an_sweep_json(s, m, &json, err);
	if (rc == 0)
		rc = an_sweep_csv(s, m, &csv, err);
	if (rc == 0)
		rc = an_sweep_svg(s, m, &svg, err);
	if (rc == 0)
		rc = three(files, "sweep", &json, &csv, &svg, err);
	if (rc == 0) {
		*ret_summary = json_pack("{s:s, s:s?, s:I, s:I, s:f}", "kind", "sweep", "layer", layer,
					 "points", (json_int_t)s->points, "trials", (json_int_t)s->trials,
					 "seconds", s->wall_seconds);
		rc = *ret_summary ? 0 : cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	}
	cep_buf_free(&json);
	cep_buf_free(&csv);
	cep_buf_free(&svg);
	an_sweep_free(s);
	return rc;
}

static int rank(const struct an_model *m, const struct an_cascade_base *base, const json_t *o,
		const struct an_progress *pr, json_t **ret_summary, struct an_files *files,
		struct cep_error *err)
{
	double candidates = 0, top = 20;
	struct an_rank_opts ro = { 0 };
	struct an_rank *r = NULL;
	struct cep_buf json, csv, svg;
	int rc = opt_count(o, "candidates", 1, 10000000, &candidates, err);

	cep_buf_init(&json, FILE_MAX);
	cep_buf_init(&csv, FILE_MAX);
	cep_buf_init(&svg, FILE_MAX);
	if (rc == 0)
		rc = opt_count(o, "top", 1, AN_RANK_MAX_TOP, &top, err);
	ro.candidates = (uint32_t)candidates;
	if (rc == 0)
		rc = an_rank_run(base, &ro, pr, &r, err);
	if (rc == 0)
		rc = an_rank_json(r, m, (uint32_t)top, &json, err);
	if (rc == 0)
		rc = an_rank_csv(r, m, &csv, err);
	if (rc == 0)
		rc = an_rank_svg(r, m, (uint32_t)top, &svg, err);
	if (rc == 0)
		rc = three(files, "rank", &json, &csv, &svg, err);
	if (rc == 0) {
		json_t *first = json_null();

		if (r->n)
			first = json_pack("{s:s, s:f, s:I}", "id", m->id[r->items[0].node], "damage",
					  r->items[0].damage, "failed", (json_int_t)r->items[0].failed);
		*ret_summary = json_pack("{s:s, s:I, s:o}", "kind", "rank", "candidates",
					 (json_int_t)r->n, "most_critical", first);
		rc = *ret_summary ? 0 : cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	}
	cep_buf_free(&json);
	cep_buf_free(&csv);
	cep_buf_free(&svg);
	an_rank_free(r);
	return rc;
}

int an_action_net_run(const char *kind, const json_t *options, const char *model, size_t model_len,
		      const struct an_progress *progress, json_t **ret_summary,
		      struct an_files *files, struct cep_error *err)
{
	struct an_cascade_base *base = NULL;
	struct an_model *m = NULL;
	int rc;

	if (!model)
		return cep_error_set(err, CEP_EINVAL, "model", "a %s job needs a model", kind);
	rc = an_load_json(model, model_len, "model", &m, err);
	if (rc == 0 && !strcmp(kind, "run"))
		rc = run(m, options, progress, ret_summary, files, err);
	else if (rc == 0 && (rc = an_cascade_base_new(m, &base, err)) == 0)
		rc = !strcmp(kind, "sweep") ? sweep(m, base, options, progress, ret_summary, files, err)
					    : rank(m, base, options, progress, ret_summary, files, err);
	an_cascade_base_free(base);
	an_model_free(m);
	return rc;
}
