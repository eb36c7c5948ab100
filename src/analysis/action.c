/* action.c - the analysis actions as one call each (action.h): the sector-level
 * IIM and DIIM here; the facility-level actions (run, sweep, rank) in
 * action_net.c. Options are JSON members; every one is checked and named when
 * wrong. */
#include "analysis/action.h"

#include "analysis/action_int.h"
#include "analysis/iim.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FILE_MAX (64u << 20) /* bytes of one file of a result */

void an_files_free(struct an_files *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		cep_free(f->items[i].data);
	cep_free(f->items);
	f->items = NULL;
	f->n = 0;
}

int an_files_add(struct an_files *f, const char *name, const char *type, char *data, size_t len)
{
	struct an_file *items = cep_realloc(f->items, (f->n + 1) * sizeof(*items));

	if (!items) {
		cep_free(data);
		return CEP_ENOMEM;
	}
	f->items = items;
	snprintf(items[f->n].name, sizeof(items[f->n].name), "%s", name);
	items[f->n].type = type;
	items[f->n].data = data;
	items[f->n].len = len;
	f->n++;
	return 0;
}

int an_files_add_buf(struct an_files *f, const char *name, const char *type, struct cep_buf *b)
{
	size_t len = b->len;
	char *data = cep_buf_steal(b);

	return data ? an_files_add(f, name, type, data, len) : CEP_ENOMEM;
}

int an_files_add_json(struct an_files *f, const char *name, const json_t *v)
{
	char *text = json_dumps(v, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));

	return text ? an_files_add(f, name, AN_TYPE_JSON, text, strlen(text)) : CEP_ENOMEM;
}

static const struct {
	const char *kind;
	int needs_model;
} kinds[] = {
	{ "iim", 0 }, { "diim", 0 }, { "run", 1 }, { "sweep", 1 }, { "rank", 1 },
};

int an_action_known(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i].kind))
			return 1;
	return 0;
}

int an_action_needs_model(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i].kind))
			return kinds[i].needs_model;
	return 0;
}

int an_opt_number(const json_t *o, const char *key, double lo, double hi, double *ret,
		  struct cep_error *err)
{
	const json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < lo ||
	    json_number_value(v) > hi)
		return cep_error_set(err, CEP_EINVAL, key, "%s must be a number from %g to %g", key, lo,
				     hi);
	*ret = json_number_value(v);
	return 0;
}

/* ---- the sector level ---- */

static const char *const iim_keys[] = { "matrix", "table", "perturbation", NULL };
static const char *const diim_keys[] = { "matrix", "table", "perturbation", "steps", "dt",
					 "recovery", "output_hours", NULL };

/* The model: "matrix" (A* as CSV text), "table" (an input-output table as CSV
 * text) or the illustrative default. */
static int iim_model(const json_t *o, struct an_iim **ret, struct cep_error *err)
{
	const json_t *matrix = json_object_get(o, "matrix"), *table = json_object_get(o, "table");
	const json_t *v = matrix ? matrix : table;

	if (matrix && table)
		return cep_error_set(err, CEP_EINVAL, "table", "give matrix or table, not both");
	if (!v)
		return an_iim_default(ret, err);
	if (!json_is_string(v))
		return cep_error_set(err, CEP_EINVAL, matrix ? "matrix" : "table",
				     "%s must be CSV text", matrix ? "matrix" : "table");
	return matrix ? an_iim_from_matrix_csv(json_string_value(v), json_string_length(v), ret, err)
		      : an_iim_from_table_csv(json_string_value(v), json_string_length(v), ret, err);
}

/* The perturbation: {"SECTOR": value} (constant), or a list of windows
 * [{"sector","value","from","to"}] in hours (to absent: to the end). */
static int iim_pert(const struct an_iim *m, const json_t *o, struct an_iim_pert **ret,
		    struct cep_error *err)
{
	const json_t *p = json_object_get(o, "perturbation"), *v;
	struct an_iim_window *w = NULL;
	size_t n = 0, i;
	const char *key;
	int rc = 0;

	if (!p || (json_is_object(p) && !json_object_size(p)) || (json_is_array(p) && !json_array_size(p)))
		return cep_error_set(err, CEP_EINVAL, "perturbation",
				     "perturbation must name at least one sector and its value");
	if (!json_is_object(p) && !json_is_array(p))
		return cep_error_set(err, CEP_EINVAL, "perturbation",
				     "perturbation must be {\"SECTOR\": value} or a list of windows");
	n = json_is_object(p) ? json_object_size(p) : json_array_size(p);
	if (n > AN_IIM_MAX_PIECES)
		return cep_error_set(err, CEP_ETOOBIG, "perturbation", "at most %u windows",
				     AN_IIM_MAX_PIECES);
	w = cep_calloc(n, sizeof(*w));
	if (!w)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	i = 0;
	if (json_is_object(p)) {
		json_object_foreach((json_t *)p, key, v) {
			if (rc == 0)
				rc = an_iim_sector(m, key, &w[i].sector, err);
			if (rc == 0 && (!json_is_number(v) || json_number_value(v) < 0 ||
					json_number_value(v) > 1))
				rc = cep_error_set(err, CEP_EINVAL, "perturbation",
						   "the perturbation of %s must be from 0 to 1", key);
			if (rc == 0) {
				w[i].value = json_number_value(v);
				w[i].from = 0;
				w[i].to = INFINITY;
			}
			i++;
		}
	} else {
		static const char *const allowed[] = { "sector", "value", "from", "to", NULL };

		json_array_foreach(p, i, v) {
			const char *sector = json_string_value(json_object_get(v, "sector"));

			w[i].from = 0;
			w[i].to = INFINITY;
			w[i].value = -1;
			if (rc == 0 && (!json_is_object(v) || cep_json_only(v, allowed, err) < 0))
				rc = cep_error_set(err, CEP_EINVAL, "perturbation",
						   "window %zu must be {\"sector\",\"value\",\"from\",\"to\"}",
						   i + 1);
			if (rc == 0)
				rc = sector ? an_iim_sector(m, sector, &w[i].sector, err)
					    : cep_error_set(err, CEP_EINVAL, "perturbation",
							    "window %zu names no sector", i + 1);
			if (rc == 0)
				rc = an_opt_number(v, "value", 0, 1, &w[i].value, err);
			if (rc == 0 && w[i].value < 0)
				rc = cep_error_set(err, CEP_EINVAL, "value", "window %zu needs a value",
						   i + 1);
			if (rc == 0)
				rc = an_opt_number(v, "from", 0, AN_IIM_MAX_HOURS, &w[i].from, err);
			if (rc == 0)
				rc = an_opt_number(v, "to", 0, AN_IIM_MAX_HOURS, &w[i].to, err);
		}
	}
	if (rc == 0)
		rc = an_iim_pert_from_windows(m, w, n, ret, err);
	cep_free(w);
	return rc;
}

/* {"SECTOR": hours} into a new array of m->n recovery times (m's, or 72 h). */
static int iim_recovery(const struct an_iim *m, const json_t *o, double **ret,
			struct cep_error *err)
{
	const json_t *r = json_object_get(o, "recovery"), *v;
	const char *key;
	double *t;
	size_t i;
	int rc = 0;

	if (!r)
		return 0;
	if (!json_is_object(r))
		return cep_error_set(err, CEP_EINVAL, "recovery", "recovery must be {\"SECTOR\": hours}");
	t = cep_calloc(m->n, sizeof(*t));
	if (!t)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	for (i = 0; i < m->n; i++)
		t[i] = m->recovery ? m->recovery[i] : 72;
	json_object_foreach((json_t *)r, key, v) {
		if (rc == 0)
			rc = an_iim_sector(m, key, &i, err);
		if (rc == 0 && (!json_is_number(v) || json_number_value(v) <= 0 ||
				json_number_value(v) > AN_IIM_MAX_HOURS))
			rc = cep_error_set(err, CEP_EINVAL, "recovery",
					   "the recovery time of %s must be a number of hours above 0",
					   key);
		if (rc == 0)
			t[i] = json_number_value(v);
	}
	if (rc < 0) {
		cep_free(t);
		return rc;
	}
	*ret = t;
	return 0;
}

static int run_iim(const json_t *o, const struct an_progress *pr, json_t **ret_summary,
		   struct an_files *files, struct cep_error *err)
{
	struct an_iim *m = NULL;
	struct an_iim_pert *p = NULL;
	struct an_iim_solution *s = NULL;
	struct cep_buf csv, svg;
	json_t *result = NULL;
	int rc;

	(void)pr;
	cep_buf_init(&csv, FILE_MAX);
	cep_buf_init(&svg, FILE_MAX);
	rc = iim_model(o, &m, err);
	if (rc == 0)
		rc = iim_pert(m, o, &p, err);
	if (rc == 0)
		rc = an_iim_solve(m, p, &s, err);
	if (rc == 0 && (an_iim_solution_json(m, s, &result) < 0 || an_iim_solution_csv(m, s, &csv) < 0))
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	if (rc == 0)
		rc = an_iim_solution_svg(m, s, &svg, err);
	if (rc == 0)
		rc = an_files_add_json(files, "result.json", result);
	if (rc == 0)
		rc = an_files_add_buf(files, "result.csv", AN_TYPE_CSV, &csv);
	if (rc == 0)
		rc = an_files_add_buf(files, "result.svg", AN_TYPE_SVG, &svg);
	if (rc == 0) {
		*ret_summary = json_pack("{s:s, s:b, s:O?}", "kind", "iim", "illustrative",
					 m->illustrative, "spectral_radius", json_object_get(result, "spectral_radius"));
		rc = *ret_summary ? 0 : cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	}
	json_decref(result);
	cep_buf_free(&csv);
	cep_buf_free(&svg);
	an_iim_solution_free(s);
	an_iim_pert_free(p);
	an_iim_free(m);
	return rc;
}

static int run_diim(const json_t *o, const struct an_progress *pr, json_t **ret_summary,
		    struct an_files *files, struct cep_error *err)
{
	struct an_diim_params par = { .steps = 168, .dt = 1, .output_hours = 8760, .progress = pr };
	struct an_iim *m = NULL;
	struct an_iim_pert *p = NULL;
	struct an_diim_result *r = NULL;
	double steps = 168, *recovery = NULL;
	struct cep_buf csv, svg;
	json_t *result = NULL;
	int rc;

	cep_buf_init(&csv, FILE_MAX);
	cep_buf_init(&svg, FILE_MAX);
	rc = an_opt_number(o, "steps", 1, AN_DIIM_MAX_STEPS, &steps, err);
	if (rc == 0)
		rc = an_opt_number(o, "dt", 1e-3, 24 * 365, &par.dt, err);
	if (rc == 0)
		rc = an_opt_number(o, "output_hours", 1, AN_IIM_MAX_HOURS, &par.output_hours, err);
	if (rc == 0 && steps != floor(steps))
		rc = cep_error_set(err, CEP_EINVAL, "steps", "steps must be a whole number");
	par.steps = (size_t)steps;
	if (rc == 0)
		rc = iim_model(o, &m, err);
	if (rc == 0)
		rc = iim_pert(m, o, &p, err);
	if (rc == 0)
		rc = iim_recovery(m, o, &recovery, err);
	par.pert = p;
	par.recovery = recovery;
	if (rc == 0)
		rc = an_diim_run(m, &par, &r, err);
	if (rc == 0 && (an_diim_json(m, r, &result) < 0 || an_diim_csv(m, r, &csv) < 0))
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	if (rc == 0)
		rc = an_diim_svg(m, r, &svg, err);
	if (rc == 0)
		rc = an_files_add_json(files, "result.json", result);
	if (rc == 0)
		rc = an_files_add_buf(files, "timeline.csv", AN_TYPE_CSV, &csv);
	if (rc == 0)
		rc = an_files_add_buf(files, "timeline.svg", AN_TYPE_SVG, &svg);
	if (rc == 0) {
		*ret_summary = json_pack("{s:s, s:b, s:I, s:f}", "kind", "diim", "illustrative",
					 m->illustrative, "steps", (json_int_t)par.steps, "dt", par.dt);
		rc = *ret_summary ? 0 : cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	}
	json_decref(result);
	cep_buf_free(&csv);
	cep_buf_free(&svg);
	cep_free(recovery);
	an_diim_result_free(r);
	an_iim_pert_free(p);
	an_iim_free(m);
	return rc;
}

/* ---- dispatch ---- */

int an_action_check(const char *kind, const json_t *options, struct cep_error *err)
{
	if (!an_action_known(kind))
		return cep_error_set(err, CEP_EINVAL, "kind", "kind must be iim, diim, run, sweep or rank");
	if (!json_is_object(options))
		return cep_error_set(err, CEP_EINVAL, "options", "options must be an object");
	if (!strcmp(kind, "iim"))
		return cep_json_only(options, iim_keys, err);
	if (!strcmp(kind, "diim"))
		return cep_json_only(options, diim_keys, err);
	return an_action_net_check(kind, options, err);
}

int an_action_run(const char *kind, const json_t *options, const char *model, size_t model_len,
		  const struct an_progress *progress, json_t **ret_summary, struct an_files *ret_files,
		  struct cep_error *err)
{
	struct an_files files = { 0 };
	json_t *summary = NULL;
	int rc = an_action_check(kind, options, err);

	if (rc == 0 && !strcmp(kind, "iim"))
		rc = run_iim(options, progress, &summary, &files, err);
	else if (rc == 0 && !strcmp(kind, "diim"))
		rc = run_diim(options, progress, &summary, &files, err);
	else if (rc == 0)
		rc = an_action_net_run(kind, options, model, model_len, progress, &summary, &files,
				       err);
	if (rc < 0) {
		an_files_free(&files);
		json_decref(summary);
		return rc;
	}
	*ret_summary = summary;
	*ret_files = files;
	return 0;
}
