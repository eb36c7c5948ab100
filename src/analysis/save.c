/* save.c - a model as JSON or as nodes.csv/edges.csv text, written to a sink
 * in chunks (see save.h). */
#include "analysis/save.h"

#include "base/alloc.h"
#include "base/csv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1u << 20)

/* Text collected up to CHUNK bytes, then handed to the sink. */
struct writer {
	struct cep_buf buf;
	an_sink_fn sink;
	void *ctx;
	int rc;
};

static void writer_init(struct writer *w, an_sink_fn sink, void *ctx)
{
	cep_buf_init(&w->buf, 4 * CHUNK); /* a chunk plus the longest record */
	w->sink = sink;
	w->ctx = ctx;
	w->rc = 0;
}

static int flush(struct writer *w)
{
	if (!w->rc && w->buf.len) {
		w->rc = w->sink(w->ctx, w->buf.data, w->buf.len);
		w->buf.len = 0;
	}
	return w->rc;
}

/* After each record: hand a full chunk over. */
static int record_end(struct writer *w)
{
	return w->buf.len >= CHUNK ? flush(w) : w->rc;
}

/* Finish: the last chunk, the buffer freed, err set on failure. */
static int writer_end(struct writer *w, int rc, const char *what, struct cep_error *err)
{
	if (!rc)
		rc = flush(w);
	cep_buf_free(&w->buf);
	if (rc)
		cep_error_set(err, rc, NULL, "cannot write the model's %s: %s", what,
			      cep_err_text(rc));
	return rc;
}

int an_save_to_buf(void *ctx, const char *data, size_t len)
{
	return cep_buf_append(ctx, data, len);
}

int an_put_number(struct cep_buf *out, double x)
{
	char s[40];

	if (x > -1e15 && x < 1e15 && x == (double)(int64_t)x)
		return cep_buf_printf(out, "%" PRId64, (int64_t)x);
	snprintf(s, sizeof(s), "%.15g", x);
	if (strtod(s, NULL) != x)
		snprintf(s, sizeof(s), "%.17g", x);
	return cep_buf_puts(out, s);
}

int an_json_string(struct cep_buf *out, const char *s)
{
	const char *run = s;
	int rc = cep_buf_puts(out, "\"");

	for (; !rc && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		rc = cep_buf_append(out, run, (size_t)(s - run));
		if (!rc) {
			if (ch == '"' || ch == '\\')
				rc = cep_buf_printf(out, "\\%c", ch);
			else
				rc = cep_buf_printf(out, "\\u%04x", ch);
		}
		run = s + 1;
	}
	if (!rc)
		rc = cep_buf_append(out, run, (size_t)(s - run));
	return rc ? rc : cep_buf_puts(out, "\"");
}

static const char *label(const struct an_names *n, uint32_t i)
{
	return i < n->n ? n->name[i] : "";
}

/* The number of each redundancy group's name: 0 for a group of one
 * supplier with need 1 (written without a group), else k for the k-th group of
 * its dependent with that kind (named "kind", then "kind-2", ...), counted in
 * the order the groups first appear in the written edges, which is the order
 * a reader creates them in: so a model read back is written the same.
 * *ret (n_groups) owned by the caller (cep_free). CEP_ENOMEM. */
static int group_numbers(const struct an_model *m, uint32_t **ret)
{
	uint32_t *num = cep_malloc(((size_t)m->n_groups + 1) * sizeof(*num));
	uint16_t *kind = cep_malloc(((size_t)m->n_groups + 1) * sizeof(*kind));

	if (!num || !kind) {
		cep_free(num);
		cep_free(kind);
		return CEP_ENOMEM;
	}
	for (uint32_t g = 0; g < m->n_groups; g++)
		num[g] = UINT32_MAX;
	for (uint32_t s = 0; s < m->n_nodes; s++) {
		for (uint64_t e = m->dep_start[s]; e < m->dep_start[s + 1]; e++) {
			uint32_t g = m->dep_group[e], d = m->dep_dependent[e], k = 1;

			if (num[g] != UINT32_MAX)
				continue;
			kind[g] = m->dep_kind[e];
			if (m->group_size[g] == 1 && m->group_need[g] == 1) {
				num[g] = 0;
				continue;
			}
			for (uint32_t h = m->node_group_start[d]; h < m->node_group_start[d + 1]; h++)
				k += h != g && num[h] != UINT32_MAX && num[h] && kind[h] == kind[g];
			num[g] = k;
		}
	}
	cep_free(kind);
	*ret = num;
	return 0;
}

/* The group name of dependency edge e into buf ("" for none). */
static void group_name(const struct an_model *m, const uint32_t *num, uint64_t e, char *buf,
		       size_t size)
{
	uint32_t k = num[m->dep_group[e]];
	const char *kind = label(&m->dep_kinds, m->dep_kind[e]);

	if (!k)
		buf[0] = '\0';
	else if (k == 1)
		snprintf(buf, size, "%s", *kind ? kind : "group");
	else
		snprintf(buf, size, "%s-%" PRIu32, *kind ? kind : "group", k);
}

static const char *layer_of(const struct an_model *m, uint32_t v)
{
	return m->layer[v] < 0 ? "" : label(&m->layers, (uint32_t)m->layer[v]);
}

/* ---- CSV ------------------------------------------------------------------ */

/* Fields joined by commas, each quoted as CSV needs. */
static int csv_fields(struct cep_buf *b, const char *const *f, size_t n)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < n; i++) {
		if (i)
			rc = cep_buf_puts(b, ",");
		if (!rc)
			rc = cep_csv_put_data(b, f[i]);
	}
	return rc;
}

int an_save_nodes_csv(const struct an_model *m, an_sink_fn sink, void *ctx,
		      struct cep_error *err)
{
	struct writer w;
	int rc;

	writer_init(&w, sink, ctx);
	rc = cep_buf_puts(&w.buf, "id,name,sector,operator,region,kind,layer,source,weight,"
				  "repair_hours\n");
	for (uint32_t v = 0; !rc && v < m->n_nodes; v++) {
		const char *f[] = { m->id[v], m->name[v], label(&m->sectors, m->sector[v]),
				    m->operator_id[v], label(&m->regions, m->region[v]),
				    label(&m->kinds, m->kind[v]), layer_of(m, v) };

		rc = csv_fields(&w.buf, f, sizeof(f) / sizeof(f[0]));
		if (!rc)
			rc = cep_buf_puts(&w.buf, m->source[v] ? ",1," : ",0,");
		if (!rc)
			rc = an_put_number(&w.buf, m->weight[v]);
		if (!rc)
			rc = cep_buf_puts(&w.buf, ",");
		if (!rc)
			rc = an_put_number(&w.buf, m->repair[v]);
		if (!rc)
			rc = cep_buf_puts(&w.buf, "\n");
		if (!rc)
			rc = record_end(&w);
	}
	return writer_end(&w, rc, "nodes", err);
}

int an_save_edges_csv(const struct an_model *m, an_sink_fn sink, void *ctx,
		      struct cep_error *err)
{
	struct writer w;
	char group[AN_MAX_ID_BYTES + 16], need[16];
	uint32_t *num = NULL;
	int rc;

	writer_init(&w, sink, ctx);
	rc = group_numbers(m, &num);
	if (!rc)
		rc = cep_buf_puts(&w.buf, "type,from,to,kind,buffer_hours,group,need\n");
	for (uint32_t s = 0; !rc && s < m->n_nodes; s++) {
		for (uint64_t e = m->dep_start[s]; !rc && e < m->dep_start[s + 1]; e++) {
			const char *f[] = { "dep", m->id[s], m->id[m->dep_dependent[e]],
					    label(&m->dep_kinds, m->dep_kind[e]) };

			group_name(m, num, e, group, sizeof(group));
			need[0] = '\0';
			if (group[0])
				snprintf(need, sizeof(need), "%" PRIu32,
					 m->group_need[m->dep_group[e]]);
			rc = csv_fields(&w.buf, f, sizeof(f) / sizeof(f[0]));
			if (!rc)
				rc = cep_buf_puts(&w.buf, ",");
			if (!rc)
				rc = an_put_number(&w.buf, m->dep_buffer[e]);
			if (!rc)
				rc = cep_buf_puts(&w.buf, ",");
			if (!rc)
				rc = cep_csv_put_data(&w.buf, group);
			if (!rc)
				rc = cep_buf_printf(&w.buf, ",%s\n", need);
			if (!rc)
				rc = record_end(&w);
		}
	}
	for (uint32_t a = 0; !rc && a < m->n_nodes; a++) {
		for (uint64_t e = m->link_start[a]; !rc && e < m->link_start[a + 1]; e++) {
			uint32_t b = m->link_to[e];
			const char *f[] = { "link", m->id[a], m->id[b] };

			if (b < a)
				continue; /* each link once */
			rc = csv_fields(&w.buf, f, 3);
			if (!rc)
				rc = cep_buf_puts(&w.buf, ",,,,\n");
			if (!rc)
				rc = record_end(&w);
		}
	}
	cep_free(num);
	return writer_end(&w, rc, "edges", err);
}

/* ---- JSON ----------------------------------------------------------------- */

/* ,"key":"value" unless value is empty. */
static int json_member(struct cep_buf *b, const char *key, const char *value)
{
	int rc;

	if (!*value)
		return 0;
	rc = cep_buf_printf(b, ",\"%s\":", key);
	return rc ? rc : an_json_string(b, value);
}

static int json_node(struct cep_buf *b, const struct an_model *m, uint32_t v)
{
	int rc = cep_buf_puts(b, v ? ",\n{\"id\":" : "\n{\"id\":");

	if (!rc)
		rc = an_json_string(b, m->id[v]);
	if (!rc)
		rc = json_member(b, "name", m->name[v]);
	if (!rc)
		rc = json_member(b, "sector", label(&m->sectors, m->sector[v]));
	if (!rc)
		rc = json_member(b, "operator", m->operator_id[v]);
	if (!rc)
		rc = json_member(b, "region", label(&m->regions, m->region[v]));
	if (!rc)
		rc = json_member(b, "kind", label(&m->kinds, m->kind[v]));
	if (!rc)
		rc = json_member(b, "layer", layer_of(m, v));
	if (!rc && m->source[v])
		rc = cep_buf_puts(b, ",\"source\":true");
	if (!rc)
		rc = cep_buf_puts(b, ",\"weight\":");
	if (!rc)
		rc = an_put_number(b, m->weight[v]);
	if (!rc)
		rc = cep_buf_puts(b, ",\"repair_hours\":");
	if (!rc)
		rc = an_put_number(b, m->repair[v]);
	return rc ? rc : cep_buf_puts(b, "}");
}

static int json_dep(struct cep_buf *b, const struct an_model *m, const uint32_t *num, uint32_t s,
		    uint64_t e, int first)
{
	char group[AN_MAX_ID_BYTES + 16];
	int rc = cep_buf_puts(b, first ? "\n{\"supplier\":" : ",\n{\"supplier\":");

	if (!rc)
		rc = an_json_string(b, m->id[s]);
	if (!rc)
		rc = cep_buf_puts(b, ",\"dependent\":");
	if (!rc)
		rc = an_json_string(b, m->id[m->dep_dependent[e]]);
	if (!rc)
		rc = json_member(b, "kind", label(&m->dep_kinds, m->dep_kind[e]));
	if (!rc)
		rc = cep_buf_puts(b, ",\"buffer_hours\":");
	if (!rc)
		rc = an_put_number(b, m->dep_buffer[e]);
	group_name(m, num, e, group, sizeof(group));
	if (!rc && group[0])
		rc = cep_buf_puts(b, ",\"group\":");
	if (!rc && group[0])
		rc = an_json_string(b, group);
	if (!rc && group[0])
		rc = cep_buf_printf(b, ",\"need\":%" PRIu32, m->group_need[m->dep_group[e]]);
	return rc ? rc : cep_buf_puts(b, "}");
}

int an_save_json(const struct an_model *m, const char *name, an_sink_fn sink, void *ctx,
		 struct cep_error *err)
{
	struct writer w;
	uint32_t *num = NULL;
	int first = 1, rc;

	writer_init(&w, sink, ctx);
	rc = group_numbers(m, &num);
	if (!rc)
		rc = cep_buf_puts(&w.buf, "{\"name\":");
	if (!rc)
		rc = an_json_string(&w.buf, name ? name : "");
	if (!rc)
		rc = cep_buf_puts(&w.buf, ",\n\"nodes\":[");
	for (uint32_t v = 0; !rc && v < m->n_nodes; v++) {
		rc = json_node(&w.buf, m, v);
		if (!rc)
			rc = record_end(&w);
	}
	if (!rc)
		rc = cep_buf_puts(&w.buf, "],\n\"dependencies\":[");
	for (uint32_t s = 0; !rc && s < m->n_nodes; s++) {
		for (uint64_t e = m->dep_start[s]; !rc && e < m->dep_start[s + 1]; e++) {
			rc = json_dep(&w.buf, m, num, s, e, first);
			first = 0;
			if (!rc)
				rc = record_end(&w);
		}
	}
	if (!rc)
		rc = cep_buf_puts(&w.buf, "],\n\"links\":[");
	first = 1;
	for (uint32_t a = 0; !rc && a < m->n_nodes; a++) {
		for (uint64_t e = m->link_start[a]; !rc && e < m->link_start[a + 1]; e++) {
			if (m->link_to[e] < a)
				continue;
			rc = cep_buf_puts(&w.buf, first ? "\n[" : ",\n[");
			first = 0;
			if (!rc)
				rc = an_json_string(&w.buf, m->id[a]);
			if (!rc)
				rc = cep_buf_puts(&w.buf, ",");
			if (!rc)
				rc = an_json_string(&w.buf, m->id[m->link_to[e]]);
			if (!rc)
				rc = cep_buf_puts(&w.buf, "]");
			if (!rc)
				rc = record_end(&w);
		}
	}
	if (!rc)
		rc = cep_buf_puts(&w.buf, "]}\n");
	cep_free(num);
	return writer_end(&w, rc, "JSON", err);
}
