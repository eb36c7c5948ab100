/* rank_out.c - a criticality ranking as JSON, CSV and an SVG bar chart. */
#include "analysis/rank.h"
#include "analysis/save.h"
#include "analysis/svg.h"

#include "base/alloc.h"
#include "base/csv.h"

#include <stdio.h>

static const char *label(const struct an_names *n, uint32_t i)
{
	return i < n->n ? n->name[i] : "";
}

static const char *layer_of(const struct an_model *m, uint32_t v)
{
	return m->layer[v] < 0 ? "" : label(&m->layers, (uint32_t)m->layer[v]);
}

static double share(const struct an_rank *r, uint32_t i)
{
	return r->total_weight > 0 ? r->items[i].damage / r->total_weight : 0;
}

int an_rank_json(const struct an_rank *r, const struct an_model *m, uint32_t top,
		 struct cep_buf *out, struct cep_error *err)
{
	uint32_t n = top < r->n ? top : r->n;
	int rc = cep_buf_printf(out,
				"{\"nodes\":%u,\"eligible\":%u,\"candidates\":%u,\"exhaustive\":%s,"
				"\"total_weight\":%.9g,\"ranked\":[",
				m->n_nodes, r->eligible, r->n, r->n == r->eligible ? "true" : "false",
				r->total_weight);

	for (uint32_t i = 0; !rc && i < n; i++) {
		uint32_t v = r->items[i].node;
		const char *keys[] = { "id", "name", "sector", "operator", "region", "kind", "layer" };
		const char *vals[] = { m->id[v], m->name[v], label(&m->sectors, m->sector[v]),
				       m->operator_id[v], label(&m->regions, m->region[v]),
				       label(&m->kinds, m->kind[v]), layer_of(m, v) };

		rc = cep_buf_printf(out, "%s\n{\"rank\":%u", i ? "," : "", i + 1);
		for (size_t k = 0; !rc && k < sizeof(keys) / sizeof(keys[0]); k++) {
			rc = cep_buf_printf(out, ",\"%s\":", keys[k]);
			if (!rc)
				rc = an_json_string(out, vals[k]);
		}
		if (!rc)
			rc = cep_buf_printf(out, ",\"damage\":%.9g,\"share\":%.9g,\"failed\":%u}",
					    r->items[i].damage, share(r, i), r->items[i].failed);
	}
	if (!rc)
		rc = cep_buf_printf(out,
				    "],\n\"timing\":{\"wall_seconds\":%.6f,\"threads\":%d,"
				    "\"cascade_seconds\":%.6f}}\n",
				    r->wall_seconds, r->threads, r->cascade_seconds);
	if (rc)
		return cep_error_set(err, rc, NULL, "cannot write the ranking's JSON");
	return 0;
}

int an_rank_csv(const struct an_rank *r, const struct an_model *m, struct cep_buf *out,
		struct cep_error *err)
{
	int rc = cep_buf_puts(out, "rank,id,name,sector,operator,region,kind,layer,damage,share,"
				   "failed,bound\n");

	for (uint32_t i = 0; !rc && i < r->n; i++) {
		uint32_t v = r->items[i].node;
		const char *f[] = { m->id[v], m->name[v], label(&m->sectors, m->sector[v]),
				    m->operator_id[v], label(&m->regions, m->region[v]),
				    label(&m->kinds, m->kind[v]), layer_of(m, v) };

		rc = cep_buf_printf(out, "%u", i + 1);
		for (size_t k = 0; !rc && k < sizeof(f) / sizeof(f[0]); k++) {
			rc = cep_buf_puts(out, ",");
			if (!rc)
				rc = cep_csv_put_field(out, f[k]);
		}
		if (!rc)
			rc = cep_buf_printf(out, ",%.9g,%.9g,%u,%.9g\n", r->items[i].damage,
					    share(r, i), r->items[i].failed, r->items[i].bound);
	}
	if (rc)
		return cep_error_set(err, rc, NULL, "cannot write the ranking's CSV");
	return 0;
}

int an_rank_svg(const struct an_rank *r, const struct an_model *m, uint32_t top,
		struct cep_buf *out, struct cep_error *err)
{
	uint32_t n = top < r->n ? top : r->n;
	const char **labels = cep_calloc((size_t)n + 1, sizeof(*labels));
	double *values = cep_calloc((size_t)n + 1, sizeof(*values));
	struct an_chart chart = { .title = "Criticality: weighted damage of losing one facility",
				  .x_label = "weighted damage (weight of what stops working)",
				  .y_label = "facility" };
	int rc;

	if (!labels || !values) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v = r->items[i].node;

		labels[i] = *m->name[v] ? m->name[v] : m->id[v];
		values[i] = r->items[i].damage;
	}
	rc = an_svg_bars(out, &chart, labels, values, n, err);
out:
	cep_free(labels);
	cep_free(values);
	return rc;
}
