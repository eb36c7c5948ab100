/* sweep_out.c - a sweep's results as JSON, CSV and an SVG curve: per point,
 * the mean, spread (sample standard deviation over the trials), minimum and
 * maximum of the working fractions. */
#include "analysis/save.h"
#include "analysis/svg.h"
#include "analysis/sweep.h"

#include "base/alloc.h"
#include "base/csv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_DRAWN_LAYERS 8

struct stats {
	double mean, sd, min, max;
};

/* Statistics of value(s, run) over the trials of point i. */
static struct stats point_stats(const struct an_sweep *s, uint32_t i,
				double (*value)(const struct an_sweep *, size_t, uint32_t),
				uint32_t arg)
{
	struct stats st = { 0, 0, INFINITY, -INFINITY };
	double sum = 0, sq = 0;

	for (uint32_t t = 0; t < s->trials; t++) {
		double x = value(s, (size_t)i * s->trials + t, arg);

		sum += x;
		if (x < st.min)
			st.min = x;
		if (x > st.max)
			st.max = x;
	}
	st.mean = sum / s->trials;
	for (uint32_t t = 0; t < s->trials; t++) {
		double d = value(s, (size_t)i * s->trials + t, arg) - st.mean;

		sq += d * d;
	}
	st.sd = s->trials > 1 ? sqrt(sq / (s->trials - 1)) : 0;
	return st;
}

static double v_working(const struct an_sweep *s, size_t run, uint32_t arg)
{
	(void)arg;
	return s->n_nodes ? (double)s->working[run] / s->n_nodes : 0;
}

static double v_weight(const struct an_sweep *s, size_t run, uint32_t arg)
{
	(void)arg;
	return s->total_weight > 0 ? s->weight[run] / s->total_weight : 0;
}

static double v_layer(const struct an_sweep *s, size_t run, uint32_t l)
{
	return s->layer_size[l] ? (double)s->layer_working[run * s->n_layers + l] / s->layer_size[l]
				: 0;
}

static double v_rounds(const struct an_sweep *s, size_t run, uint32_t arg)
{
	(void)arg;
	return s->rounds[run];
}

static const char *layer_label(const struct an_sweep *s, const struct an_model *m)
{
	return s->layer == AN_SWEEP_ALL ? NULL : m->layers.name[s->layer];
}

/* Totals over every run, for the timing object. */
struct totals {
	double seconds, first, rounds, full;
};

static struct totals totals(const struct an_sweep *s)
{
	struct totals t = { 0, 0, 0, 0 };

	for (size_t r = 0; r < (size_t)s->points * s->trials; r++) {
		t.seconds += s->seconds[r];
		t.first += s->first_seconds[r];
		t.rounds += s->rounds[r];
		t.full += s->full_passes[r];
	}
	return t;
}

int an_sweep_json(const struct an_sweep *s, const struct an_model *m, struct cep_buf *out,
		  struct cep_error *err)
{
	const char *layer = layer_label(s, m);
	struct totals t = totals(s);
	int rc = cep_buf_printf(out, "{\"nodes\":%u,\"targets\":%u,\"layer\":", s->n_nodes,
				s->n_targets);

	if (!rc)
		rc = layer ? an_json_string(out, layer) : cep_buf_puts(out, "null");
	if (!rc)
		rc = cep_buf_printf(out, ",\"trials\":%u,\"seed\":%llu,\"order\":\"%s\",\"points\":[",
				    s->trials, (unsigned long long)s->seed,
				    s->given_order ? "given" : "random");
	for (uint32_t i = 0; !rc && i < s->points; i++) {
		struct stats w = point_stats(s, i, v_working, 0), g = point_stats(s, i, v_weight, 0);
		struct stats r = point_stats(s, i, v_rounds, 0);

		rc = cep_buf_printf(out,
				    "%s\n{\"p\":%.9g,\"kept\":%u,\"working\":{\"mean\":%.9g,\"sd\":%.9g,"
				    "\"min\":%.9g,\"max\":%.9g},\"weighted\":{\"mean\":%.9g,\"sd\":%.9g},"
				    "\"rounds\":%.9g,\"layers\":{",
				    i ? "," : "", s->p[i], s->kept[i], w.mean, w.sd, w.min, w.max,
				    g.mean, g.sd, r.mean);
		for (uint32_t l = 0; !rc && l < s->n_layers; l++) {
			struct stats x = point_stats(s, i, v_layer, l);

			rc = cep_buf_puts(out, l ? "," : "");
			if (!rc)
				rc = an_json_string(out, m->layers.name[l]);
			if (!rc)
				rc = cep_buf_printf(out, ":{\"mean\":%.9g,\"sd\":%.9g}", x.mean, x.sd);
		}
		if (!rc)
			rc = cep_buf_puts(out, "}}");
	}
	if (!rc)
		rc = cep_buf_printf(out,
				    "],\n\"timing\":{\"wall_seconds\":%.6f,\"threads\":%d,"
				    "\"cascade_seconds\":%.6f,\"first_round_seconds\":%.6f,"
				    "\"rounds\":%.0f,\"seconds_per_round\":%.9f,\"whole_relabels\":%.0f}}\n",
				    s->wall_seconds, s->threads, t.seconds, t.first, t.rounds,
				    t.rounds > 0 ? t.seconds / t.rounds : 0, t.full);
	if (rc)
		return cep_error_set(err, rc, NULL, "cannot write the sweep's JSON");
	return 0;
}

int an_sweep_csv(const struct an_sweep *s, const struct an_model *m, struct cep_buf *out,
		 struct cep_error *err)
{
	int rc = cep_buf_puts(out, "point,p,kept,working_mean,working_sd,working_min,working_max,"
				   "weighted_mean,weighted_sd,rounds_mean");
	struct cep_buf name;

	cep_buf_init(&name, 4 * AN_MAX_ID_BYTES);
	for (uint32_t l = 0; !rc && l < s->n_layers; l++) {
		for (int k = 0; !rc && k < 2; k++) {
			name.len = 0;
			rc = cep_buf_printf(&name, "%s_%s", m->layers.name[l], k ? "sd" : "mean");
			if (!rc)
				rc = cep_buf_puts(out, ",");
			if (!rc)
				rc = cep_csv_put_field(out, name.data);
		}
	}
	if (!rc)
		rc = cep_buf_puts(out, "\n");
	for (uint32_t i = 0; !rc && i < s->points; i++) {
		struct stats w = point_stats(s, i, v_working, 0), g = point_stats(s, i, v_weight, 0);
		struct stats r = point_stats(s, i, v_rounds, 0);

		rc = cep_buf_printf(out, "%u,%.9g,%u,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g", i, s->p[i],
				    s->kept[i], w.mean, w.sd, w.min, w.max, g.mean, g.sd, r.mean);
		for (uint32_t l = 0; !rc && l < s->n_layers; l++) {
			struct stats x = point_stats(s, i, v_layer, l);

			rc = cep_buf_printf(out, ",%.9g,%.9g", x.mean, x.sd);
		}
		if (!rc)
			rc = cep_buf_puts(out, "\n");
	}
	cep_buf_free(&name);
	if (rc)
		return cep_error_set(err, rc, NULL, "cannot write the sweep's CSV");
	return 0;
}

/* The family of a layer name: what comes before its first '/'. */
static size_t family_len(const char *name)
{
	const char *slash = strchr(name, '/');

	return slash ? (size_t)(slash - name) : strlen(name);
}

int an_sweep_svg(const struct an_sweep *s, const struct an_model *m, struct cep_buf *out,
		 struct cep_error *err)
{
	uint32_t nl = s->n_layers, ns = 1, *series_of = NULL;
	int by_family = nl > MAX_DRAWN_LAYERS;
	struct an_series *ser = NULL;
	double *y = NULL, *size = NULL;
	char **label = NULL;
	const char *layer = layer_label(s, m);
	char x_label[256];
	int rc = CEP_ENOMEM;

	/* series 0 is the whole model; then layers, or families of layers */
	series_of = cep_malloc(((size_t)nl + 1) * sizeof(*series_of));
	label = cep_calloc((size_t)nl + 2, sizeof(*label));
	if (!series_of || !label)
		goto out;
	label[0] = cep_strdup("all nodes");
	if (!label[0])
		goto out;
	for (uint32_t l = 0; l < nl; l++) {
		const char *name = m->layers.name[l];
		size_t len = by_family ? family_len(name) : strlen(name);
		uint32_t k = 1;

		while (k < ns && !(strlen(label[k]) == len && memcmp(label[k], name, len) == 0))
			k++;
		if (k == ns) {
			label[ns] = cep_strndup(name, len);
			if (!label[ns++])
				goto out;
		}
		series_of[l] = k;
	}
	ser = cep_calloc(ns, sizeof(*ser));
	y = cep_calloc((size_t)ns * s->points, sizeof(*y));
	size = cep_calloc(ns, sizeof(*size));
	if (!ser || !y || !size)
		goto out;
	for (uint32_t l = 0; l < nl; l++)
		size[series_of[l]] += s->layer_size[l];
	for (uint32_t i = 0; i < s->points; i++) {
		y[i] = point_stats(s, i, v_working, 0).mean;
		for (uint32_t l = 0; l < nl; l++)
			y[(size_t)series_of[l] * s->points + i] +=
				point_stats(s, i, v_layer, l).mean * s->layer_size[l];
	}
	for (uint32_t k = 0; k < ns; k++) {
		if (k)
			for (uint32_t i = 0; i < s->points; i++)
				y[(size_t)k * s->points + i] /= size[k] > 0 ? size[k] : 1;
		ser[k].label = label[k];
		ser[k].x = s->p;
		ser[k].y = y + (size_t)k * s->points;
		ser[k].n = s->points;
	}
	snprintf(x_label, sizeof(x_label), "kept fraction p of %s%s", layer ? "layer " : "all layers",
		 layer ? layer : "");
	{
		struct an_chart chart = { .title = "Working fraction after random removal",
					  .x_label = x_label, .y_label = "working fraction",
					  .y_min = 0, .y_max = 1 };

		rc = an_svg_lines(out, &chart, ser, ns, err);
	}
out:
	if (rc == CEP_ENOMEM)
		cep_error_set(err, rc, NULL, "out of memory");
	for (uint32_t k = 0; label && k < ns; k++)
		cep_free(label[k]);
	cep_free(label);
	cep_free(series_of);
	cep_free(ser);
	cep_free(y);
	cep_free(size);
	return rc;
}
