/* result_mc.c - a Monte Carlo run's summary, failure probabilities and
 * timeline statistics as JSON, CSV and SVG. */
#include "analysis/result.h"

#include "analysis/result_int.h"
#include "analysis/svg.h"
#include "base/alloc.h"
#include "base/csv.h"
#include "base/err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP_NODES 20 /* the nodes most likely to fail, in result.json */

/* Most likely to fail first, then by index (qsort_r, ctx: the counts). */
static int by_count(const void *a, const void *b, void *ctx)
{
	const uint32_t *count = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (count[x] != count[y])
		return count[x] > count[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* The nodes that failed in some trial, most likely first. *ret caller-owned. */
static int ranked_nodes(const struct an_model *m, const struct an_mc *r, uint32_t **ret,
			uint32_t *ret_n)
{
	uint32_t n = 0, *v = cep_malloc(((size_t)m->n_nodes + 1) * sizeof(uint32_t));

	if (!v)
		return CEP_ENOMEM;
	for (uint32_t i = 0; i < m->n_nodes; i++)
		if (r->fail_count[i])
			v[n++] = i;
	qsort_r(v, n, sizeof(uint32_t), by_count, r->fail_count);
	*ret = v;
	*ret_n = n;
	return 0;
}

/* The lowest mean of series k, and when. */
static void lowest_mean(const struct an_mc *r, uint32_t k, double *ret_v, double *ret_t)
{
	double v = INFINITY, at = 0;

	for (uint32_t i = 0; i < r->points; i++)
		if (r->mean[i * r->n_series + k] < v) {
			v = r->mean[i * r->n_series + k];
			at = r->t[i];
		}
	*ret_v = v;
	*ret_t = at;
}

int an_mc_json(struct cep_buf *out, const struct an_model *m, const struct an_scenario *sc,
	       const struct an_mc *r, uint64_t seed, struct cep_error *err)
{
	json_t *sectors = json_array(), *top = json_array(), *v;
	uint32_t *order = NULL, n = 0;
	double low, at;
	size_t last = (size_t)(r->points - 1) * r->n_series;

	if (!sectors || !top || ranked_nodes(m, r, &order, &n))
		goto nomem;
	for (uint32_t k = 0; k < m->sectors.n; k++) {
		double sl, sa;

		lowest_mean(r, 1 + k, &sl, &sa);
		if (json_array_append_new(
			    sectors, json_pack("{s:s, s:o, s:o, s:o, s:o}", "sector",
					       m->sectors.name[k], "impact_probability",
					       res_num((double)r->sector_hit[k] / r->trials),
					       "mean_first_impact_hours",
					       res_num(r->sector_first_mean[k]),
					       "lowest_mean_working_fraction", res_num(sl),
					       "lowest_at_hours", res_num(sa))))
			goto nomem;
	}
	for (uint32_t i = 0; i < n && i < TOP_NODES; i++)
		if (json_array_append_new(top, json_pack("{s:s, s:s, s:o}", "id", m->id[order[i]],
							 "sector",
							 m->sectors.name[m->sector[order[i]]],
							 "failure_probability",
							 res_num((double)r->fail_count[order[i]] /
								 r->trials))))
			goto nomem;
	cep_free(order);
	lowest_mean(r, 0, &low, &at);
	v = json_pack("{s:s, s:s, s:o, s:I, s:I, s:I, s:{s:I, s:I, s:I}, s:o, s:I, s:o, s:o, s:o, "
		      "s:o, s:o, s:o, s:I}",
		      "kind", "monte-carlo", "scenario", sc->name, "horizon_hours",
		      res_num(r->horizon), "seed", (json_int_t)seed, "trials",
		      (json_int_t)r->trials, "points", (json_int_t)r->points, "model", "nodes",
		      (json_int_t)m->n_nodes, "dependencies", (json_int_t)m->n_deps, "links",
		      (json_int_t)m->n_links, "mean_failed_nodes", res_num(r->mean_failed),
		      "nodes_ever_failed", (json_int_t)n, "lowest_mean_working_fraction",
		      res_num(low), "lowest_at_hours", res_num(at), "mean_working_fraction_at_end",
		      res_num(r->mean[last]), "p5_working_fraction_at_end", res_num(r->p5[last]),
		      "sectors", sectors, "most_likely_to_fail", top, "events_handled",
		      (json_int_t)r->events);
	return res_json(out, v, err);
nomem:
	json_decref(sectors);
	json_decref(top);
	cep_free(order);
	return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
}

int an_mc_nodes_csv(struct cep_buf *out, const struct an_model *m, const struct an_mc *r,
		    struct cep_error *err)
{
	uint32_t *order = NULL, n = 0;
	int rc;

	if (ranked_nodes(m, r, &order, &n))
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	rc = cep_buf_puts(out, "id,name,sector,region,layer,failure_probability,trials_failed\n");
	for (uint32_t i = 0; !rc && i < n; i++) {
		uint32_t v = order[i];

		if ((rc = res_csv_field(out, m->id[v], ',')) ||
		    (rc = res_csv_field(out, m->name[v], ',')) ||
		    (rc = res_csv_field(out, m->sectors.name[m->sector[v]], ',')) ||
		    (rc = res_csv_field(out, m->regions.name[m->region[v]], ',')) ||
		    (rc = res_csv_field(out, m->layer[v] < 0 ? "" : m->layers.name[m->layer[v]],
					',')))
			break;
		rc = cep_buf_printf(out, "%.6f,%u\n", (double)r->fail_count[v] / r->trials,
				    r->fail_count[v]);
	}
	cep_free(order);
	return rc ? res_fail(err, rc, "nodes.csv") : 0;
}

static const char *mc_series(const struct an_model *m, uint32_t k)
{
	return k ? res_label(m->sectors.name[k - 1]) : "all";
}

int an_mc_timeline_csv(struct cep_buf *out, const struct an_model *m, const struct an_mc *r,
		       struct cep_error *err)
{
	static const char *const stat[] = { "mean", "p5", "p50", "p95" };
	int rc = cep_buf_puts(out, "hours");
	char name[320];

	for (uint32_t k = 0; !rc && k < r->n_series; k++)
		for (int s = 0; !rc && s < 4; s++) {
			snprintf(name, sizeof(name), "%.256s %s", mc_series(m, k), stat[s]);
			if (!(rc = cep_buf_puts(out, ",")))
				rc = cep_csv_put_field(out, name);
		}
	if (!rc)
		rc = cep_buf_puts(out, "\n");
	for (uint32_t i = 0; !rc && i < r->points; i++) {
		rc = cep_buf_printf(out, "%.10g", r->t[i]);
		for (uint32_t k = 0; !rc && k < r->n_series; k++) {
			size_t c = (size_t)i * r->n_series + k;

			rc = cep_buf_printf(out, ",%.6f,%.3f,%.3f,%.3f", r->mean[c], r->p5[c],
					    r->p50[c], r->p95[c]);
		}
		if (!rc)
			rc = cep_buf_puts(out, "\n");
	}
	return rc ? res_fail(err, rc, "timeline.csv") : 0;
}

int an_mc_timeline_svg(struct cep_buf *out, const struct an_model *m,
		       const struct an_scenario *sc, const struct an_mc *r, struct cep_error *err)
{
	uint32_t ns = r->n_series + 2; /* mean, 5% and 95% of the whole, each sector's mean */
	struct an_series *s;
	double *y;
	char title[320], mean[64] = "all: mean", lo[64] = "all: 5%", hi[64] = "all: 95%";
	struct an_chart c = { .title = title, .x_label = "hours", .y_label = "working fraction",
			      .y_min = 0, .y_max = 1 };
	int rc;

	if (ns > 64)
		ns = 64; /* the chart's limit: the first sectors */
	s = cep_calloc(ns, sizeof(*s));
	y = cep_malloc((size_t)ns * r->points * sizeof(double));
	if (!s || !y) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (uint32_t k = 0; k < ns; k++) {
		const double *src = k == 0 ? r->mean : k == 1 ? r->p5 : k == 2 ? r->p95 : r->mean;
		uint32_t col = k < 3 ? 0 : k - 2;

		for (uint32_t i = 0; i < r->points; i++)
			y[(size_t)k * r->points + i] = src[(size_t)i * r->n_series + col];
		s[k].label = k == 0 ? mean : k == 1 ? lo : k == 2 ? hi : mc_series(m, col);
		s[k].x = r->t;
		s[k].y = y + (size_t)k * r->points;
		s[k].n = r->points;
	}
	snprintf(title, sizeof(title), "Working fraction over %u trials: %.200s", r->trials,
		 sc->name);
	rc = an_svg_lines(out, &c, s, ns, err);
out:
	cep_free(s);
	cep_free(y);
	return rc;
}
