/* result.c - one run's summary, failed nodes and timeline as JSON, CSV and
 * SVG; the helpers shared with result_chain.c and result_mc.c. */
#include "analysis/result.h"

#include "analysis/result_int.h"
#include "analysis/svg.h"
#include "base/alloc.h"
#include "base/csv.h"
#include "base/err.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------------- */

int res_fail(struct cep_error *err, int rc, const char *what)
{
	if (rc == CEP_ETOOBIG)
		return cep_error_set(err, rc, NULL, "%s is larger than the output's cap", what);
	return cep_error_set(err, rc, NULL, "out of memory writing %s", what);
}

struct dump {
	struct cep_buf *out;
	int rc;
};

static int dump_cb(const char *buffer, size_t size, void *data)
{
	struct dump *d = data;

	d->rc = cep_buf_append(d->out, buffer, size);
	return d->rc ? -1 : 0;
}

int res_json(struct cep_buf *out, json_t *v, struct cep_error *err)
{
	struct dump d = { out, 0 };
	size_t before = out->len;
	int rc = 0;

	if (!v)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	if (json_dump_callback(v, dump_cb, &d, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
						       JSON_REAL_PRECISION(10)) ||
	    (d.rc = cep_buf_puts(out, "\n"))) {
		rc = res_fail(err, d.rc ? d.rc : CEP_ENOMEM, "JSON");
		out->len = before;
		if (out->data)
			out->data[before] = '\0';
	}
	json_decref(v);
	return rc;
}

json_t *res_num(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

const char *res_label(const char *s)
{
	return s && *s ? s : "(none)";
}

int res_csv_num(struct cep_buf *out, double x)
{
	return isfinite(x) ? cep_buf_printf(out, "%.10g", x) : 0;
}

int res_csv_field(struct cep_buf *out, const char *s, char sep)
{
	int rc = cep_csv_put_field(out, s);

	return rc ? rc : cep_buf_append(out, &sep, 1);
}

size_t res_steps(const double *x, const double *y, size_t stride, size_t n, double *xs,
		 double *ys)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (i && y[i * stride] != y[(i - 1) * stride]) {
			xs[k] = x[i];
			ys[k++] = y[(i - 1) * stride];
		}
		xs[k] = x[i];
		ys[k++] = y[i * stride];
	}
	return k;
}

/* ---- result.json ---------------------------------------------------------- */

/* The lowest value of series k of t, and when. */
static void lowest(const struct an_trial *t, uint32_t k, double *ret_v, double *ret_t)
{
	double v = INFINITY, at = 0;

	for (size_t i = 0; i < t->n_samples; i++)
		if (t->value[i * t->n_series + k] < v) {
			v = t->value[i * t->n_series + k];
			at = t->t[i];
		}
	*ret_v = v;
	*ret_t = at;
}

static json_t *events_json(const struct an_scenario *sc)
{
	json_t *a = json_array();

	for (uint32_t k = 0; a && k < sc->n_events; k++) {
		const struct an_initial_event *e = &sc->events[k];

		if (json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:o, s:I}", "label",
						       e->label, "start_hours", res_num(e->start),
						       "duration_hours", res_num(e->duration),
						       "fraction", res_num(e->fraction), "nodes",
						       (json_int_t)e->n_nodes))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* Per sector (or layer: by_layer) counts of nodes and failed nodes. */
static int count_sets(const struct an_model *m, const struct an_trial *t, int by_layer,
		      uint32_t **ret_n, uint32_t **ret_failed)
{
	uint32_t sets = by_layer ? m->layers.n : m->sectors.n;
	uint32_t *n = cep_calloc((size_t)sets + 1, sizeof(uint32_t));
	uint32_t *f = cep_calloc((size_t)sets + 1, sizeof(uint32_t));

	if (!n || !f) {
		cep_free(n);
		cep_free(f);
		return CEP_ENOMEM;
	}
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		int32_t k = by_layer ? m->layer[v] : m->sector[v];

		if (k >= 0)
			n[k]++;
	}
	for (uint32_t i = 0; i < t->n_failed; i++) {
		uint32_t v = t->failed[i];
		int32_t k = by_layer ? m->layer[v] : m->sector[v];

		if (k >= 0)
			f[k]++;
	}
	*ret_n = n;
	*ret_failed = f;
	return 0;
}

static json_t *sectors_json(const struct an_model *m, const struct an_trial *t,
			    const uint32_t *n, const uint32_t *f)
{
	json_t *a = json_array();

	for (uint32_t k = 0; a && k < m->sectors.n; k++) {
		double low, at;

		lowest(t, 1 + k, &low, &at);
		if (json_array_append_new(
			    a, json_pack("{s:s, s:I, s:I, s:o, s:o, s:o}", "sector",
					 m->sectors.name[k], "nodes", (json_int_t)n[k], "failed",
					 (json_int_t)f[k], "first_impact_hours",
					 res_num(t->sector_first_impact[k]),
					 "lowest_working_fraction", res_num(low), "lowest_at_hours",
					 res_num(at)))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* The layers with failures (the first AN_RESULT_MAX_LAYERS of them). */
static json_t *layers_json(const struct an_model *m, const struct an_trial *t,
			   const uint32_t *n, const uint32_t *f)
{
	int with_layers = t->n_series > 1 + m->sectors.n;
	json_t *a = json_array();
	uint32_t listed = 0;

	for (uint32_t k = 0; a && k < m->layers.n && listed < AN_RESULT_MAX_LAYERS; k++) {
		double low = NAN, at = NAN;
		json_t *o;

		if (!f[k])
			continue;
		if (with_layers)
			lowest(t, 1 + m->sectors.n + k, &low, &at);
		o = json_pack("{s:s, s:I, s:I, s:o, s:o}", "layer", m->layers.name[k], "nodes",
			      (json_int_t)n[k], "failed", (json_int_t)f[k],
			      "lowest_working_fraction", res_num(low), "lowest_at_hours",
			      res_num(at));
		if (json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
		listed++;
	}
	return a;
}

int an_result_json(struct cep_buf *out, const struct an_model *m, const struct an_scenario *sc,
		   const struct an_trial *t, uint64_t seed, struct cep_error *err)
{
	uint32_t *sn = NULL, *sf = NULL, *ln = NULL, *lf = NULL, still = 0, depth = 0;
	double low, at, weight = 0, total = 0;
	json_t *v;
	int rc;

	if (count_sets(m, t, 0, &sn, &sf) || count_sets(m, t, 1, &ln, &lf)) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < m->n_nodes; i++)
		total += m->weight[i];
	for (uint32_t i = 0; i < t->n_failed; i++) {
		uint32_t x = t->failed[i];

		weight += m->weight[x];
		still += isinf(t->last_recovery[x]);
		if (t->depth[x] > depth)
			depth = t->depth[x];
	}
	lowest(t, 0, &low, &at);
	v = json_pack("{s:s, s:s, s:o, s:I, s:{s:I, s:I, s:I, s:I, s:I}, s:o, s:I, s:o, s:I, s:o, "
		      "s:o, s:o, s:I, s:o, s:o, s:I, s:I}",
		      "kind", "run", "scenario", sc->name, "horizon_hours", res_num(sc->horizon),
		      "seed", (json_int_t)seed, "model", "nodes", (json_int_t)m->n_nodes,
		      "dependencies", (json_int_t)m->n_deps, "links", (json_int_t)m->n_links,
		      "sectors", (json_int_t)m->sectors.n, "layers", (json_int_t)m->layers.n,
		      "events", events_json(sc), "failed_nodes", (json_int_t)t->n_failed,
		      "failed_weight_share", res_num(total > 0 ? weight / total : 0),
		      "still_down_at_end", (json_int_t)still, "lowest_working_fraction",
		      res_num(low), "lowest_at_hours", res_num(at), "working_fraction_at_end",
		      res_num(t->n_samples ? t->value[(t->n_samples - 1) * t->n_series] : 1),
		      "max_depth", (json_int_t)depth, "sectors", sectors_json(m, t, sn, sf),
		      "layers", layers_json(m, t, ln, lf), "events_handled",
		      (json_int_t)t->n_events, "event_times", (json_int_t)t->n_batches);
	rc = res_json(out, v, err);
out:
	cep_free(sn);
	cep_free(sf);
	cep_free(ln);
	cep_free(lf);
	return rc;
}

/* ---- nodes.csv ------------------------------------------------------------ */

/* What took v down, in words for the columns cause, cause_by, via. */
static void cause_words(const struct an_model *m, const struct an_scenario *sc,
			const struct an_trial *t, uint32_t v, const char **cause,
			const char **by, const char **via)
{
	uint32_t c = t->cause[v];

	*by = *via = "";
	switch (t->cause_kind[v]) {
	case AN_CAUSE_EVENT:
		*cause = "event";
		*by = sc->events[c].label;
		break;
	case AN_CAUSE_SUPPLIER:
		*cause = "dependency";
		*by = m->id[m->dep_supplier[c]];
		*via = m->dep_kinds.name[m->dep_kind[c]];
		break;
	default:
		*cause = c == UINT32_MAX ? "start" : "layer";
		*by = c == UINT32_MAX ? "" : m->id[c];
		*via = m->layers.name[m->layer[v]];
		break;
	}
}

int an_result_nodes_csv(struct cep_buf *out, const struct an_model *m,
			const struct an_scenario *sc, const struct an_trial *t,
			struct cep_error *err)
{
	int rc = cep_buf_puts(out, "id,name,sector,region,layer,first_failure_hours,"
				   "last_recovery_hours,down_hours,cause,cause_by,via,depth\n");

	for (uint32_t i = 0; !rc && i < t->n_failed; i++) {
		uint32_t v = t->failed[i];
		const char *cause, *by, *via;

		cause_words(m, sc, t, v, &cause, &by, &via);
		if ((rc = res_csv_field(out, m->id[v], ',')) ||
		    (rc = res_csv_field(out, m->name[v], ',')) ||
		    (rc = res_csv_field(out, m->sectors.name[m->sector[v]], ',')) ||
		    (rc = res_csv_field(out, m->regions.name[m->region[v]], ',')) ||
		    (rc = res_csv_field(out, m->layer[v] < 0 ? "" : m->layers.name[m->layer[v]],
					',')) ||
		    (rc = res_csv_num(out, t->first_failure[v])) || (rc = cep_buf_puts(out, ",")) ||
		    (rc = res_csv_num(out, t->last_recovery[v])) || (rc = cep_buf_puts(out, ",")) ||
		    (rc = res_csv_num(out, t->down_hours[v])) || (rc = cep_buf_puts(out, ",")) ||
		    (rc = res_csv_field(out, cause, ',')) || (rc = res_csv_field(out, by, ',')) ||
		    (rc = res_csv_field(out, via, ',')))
			break;
		rc = cep_buf_printf(out, "%u\n", t->depth[v]);
	}
	return rc ? res_fail(err, rc, "nodes.csv") : 0;
}

/* ---- timeline ------------------------------------------------------------- */

/* The name of series k of a timeline. */
static const char *series_name(const struct an_model *m, uint32_t k)
{
	if (k == 0)
		return "all";
	if (k <= m->sectors.n)
		return res_label(m->sectors.name[k - 1]);
	return m->layers.name[k - 1 - m->sectors.n];
}

int an_result_timeline_csv(struct cep_buf *out, const struct an_model *m,
			   const struct an_trial *t, struct cep_error *err)
{
	int rc = cep_buf_puts(out, "hours");

	for (uint32_t k = 0; !rc && k < t->n_series; k++)
		if (!(rc = cep_buf_puts(out, ",")))
			rc = cep_csv_put_field(out, series_name(m, k));
	if (!rc)
		rc = cep_buf_puts(out, "\n");
	for (size_t i = 0; !rc && i < t->n_samples; i++) {
		rc = cep_buf_printf(out, "%.10g", t->t[i]);
		for (uint32_t k = 0; !rc && k < t->n_series; k++)
			rc = cep_buf_printf(out, ",%.6f", t->value[i * t->n_series + k]);
		if (!rc)
			rc = cep_buf_puts(out, "\n");
	}
	return rc ? res_fail(err, rc, "timeline.csv") : 0;
}

int an_result_timeline_svg(struct cep_buf *out, const struct an_model *m,
			   const struct an_scenario *sc, const struct an_trial *t,
			   struct cep_error *err)
{
	uint32_t ns = 1 + m->sectors.n;
	size_t per = 2 * t->n_samples;
	struct an_series *s;
	double *x, *y;
	char title[320];
	struct an_chart c = { .title = title, .x_label = "hours", .y_label = "working fraction",
			      .y_min = 0, .y_max = 1 };
	int rc;

	if (ns > 64)
		ns = 64; /* the chart's limit: the whole and the first sectors */
	s = cep_calloc(ns, sizeof(*s));
	x = cep_malloc(ns * per * sizeof(double) + 1);
	y = cep_malloc(ns * per * sizeof(double) + 1);
	if (!s || !x || !y) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (uint32_t k = 0; k < ns; k++) {
		s[k].label = series_name(m, k);
		s[k].x = x + k * per;
		s[k].y = y + k * per;
		s[k].n = res_steps(t->t, t->value + k, t->n_series, t->n_samples, x + k * per,
				   y + k * per);
	}
	snprintf(title, sizeof(title), "Working fraction: %.200s", sc->name);
	rc = an_svg_lines(out, &c, s, ns, err);
out:
	cep_free(s);
	cep_free(x);
	cep_free(y);
	return rc;
}
