/* test_gen.c - analysis/gen and analysis/save: the random generators' sizes
 * and degrees (Erdős–Rényi, scale-free, coupled one-to-one), determinism from
 * the seed, the japan preset's operators per sector (seed 001's counts),
 * prefectures, layers, sources, dependency kinds and buffers; specs parsed
 * and bad ones refused; models written as CSV and JSON and read back (load.h)
 * to the same text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/gen.h"
#include "analysis/load.h"
#include "analysis/save.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct an_model *gen(const char *spec, uint64_t seed)
{
	struct an_gen_spec s;
	struct an_model *m = NULL;
	struct cep_error err;

	cep_error_init(&err);
	s.seed = seed;
	if (an_gen_parse(spec, &s, &err) || an_generate(&s, NULL, &m, &err))
		fail_msg("%s: %s", spec, err.message);
	return m;
}

/* The model as nodes.csv + edges.csv text (caller frees). */
static char *csv_text(const struct an_model *m)
{
	struct cep_buf b;

	cep_buf_init(&b, (size_t)1 << 30);
	assert_int_equal(an_save_nodes_csv(m, an_save_to_buf, &b, NULL), 0);
	assert_int_equal(an_save_edges_csv(m, an_save_to_buf, &b, NULL), 0);
	return cep_buf_steal(&b);
}

static uint32_t degree(const struct an_model *m, uint32_t v)
{
	return (uint32_t)(m->link_start[v + 1] - m->link_start[v]);
}

static void test_er_sizes(void **state)
{
	struct an_model *m = gen("er:100000:4", 3);
	double mean;

	(void)state;
	assert_int_equal(m->n_nodes, 100000);
	assert_int_equal(m->layers.n, 1);
	assert_string_equal(m->layers.name[0], "er");
	assert_int_equal(m->n_deps, 0);
	mean = 2.0 * (double)m->n_links / m->n_nodes;
	assert_true(fabs(mean - 4) < 0.05); /* 200,000 links +- 0.5 % (sd 0.22 %) */
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		assert_int_equal(m->layer[v], 0);
		assert_false(m->source[v]);
		for (uint64_t e = m->link_start[v]; e < m->link_start[v + 1]; e++)
			assert_int_not_equal(m->link_to[e], v); /* no self-loop */
	}
	an_model_free(m);
}

static void test_sf_heavy_tail(void **state)
{
	struct an_model *m = gen("sf:100000:4:2.5", 3), *er = gen("er:100000:4", 3);
	uint32_t max_sf = 0, max_er = 0;
	double mean = 2.0 * (double)m->n_links / m->n_nodes;

	(void)state;
	assert_true(fabs(mean - 4) < 0.4);
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		if (degree(m, v) > max_sf)
			max_sf = degree(m, v);
		if (degree(er, v) > max_er)
			max_er = degree(er, v);
		assert_true(degree(m, v) >= 1 || m->link_start[v + 1] == m->link_start[v]);
	}
	/* a power law's hubs; an ER layer of the same mean has none */
	assert_true(max_er < 20);
	assert_true(max_sf > 100);
	/* no repeated link: the neighbours of each node are distinct */
	for (uint32_t v = 0; v < 2000; v++)
		for (uint64_t a = m->link_start[v]; a < m->link_start[v + 1]; a++)
			for (uint64_t b = a + 1; b < m->link_start[v + 1]; b++)
				assert_int_not_equal(m->link_to[a], m->link_to[b]);
	an_model_free(m);
	an_model_free(er);
}

static void test_coupled_one_to_one(void **state)
{
	struct an_model *m = gen("coupled:5000:3:3", 9);

	(void)state;
	assert_int_equal(m->n_nodes, 15000);
	assert_int_equal(m->layers.n, 3);
	assert_int_equal(m->n_deps, 2 * 5000 * 2); /* A<->B and B<->C */
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		const char *id = m->id[v];
		uint32_t i = v % 5000, layer = v / 5000;

		assert_int_equal(m->layer[v], (int32_t)layer);
		assert_int_equal(id[0], 'A' + (int)layer);
		assert_int_equal(strtoul(id + 1, NULL, 10), i);
		/* its suppliers: node i of the neighbouring layers, one group each */
		assert_int_equal(m->in_start[v + 1] - m->in_start[v], layer == 1 ? 2 : 1);
		for (uint64_t k = m->in_start[v]; k < m->in_start[v + 1]; k++) {
			uint32_t s = m->dep_supplier[m->in_edge[k]];

			assert_int_equal(s % 5000, i);
			assert_int_equal(abs((int)(s / 5000) - (int)layer), 1);
		}
		for (uint64_t e = m->link_start[v]; e < m->link_start[v + 1]; e++)
			assert_int_equal(m->layer[m->link_to[e]], m->layer[v]);
	}
	an_model_free(m);
	m = gen("coupled:1000:4:2:sf", 9);
	assert_int_equal(m->n_nodes, 2000);
	an_model_free(m);
}

static void test_deterministic(void **state)
{
	const char *specs[] = { "er:20000:3", "sf:20000:4:2.7", "coupled:10000:4", "japan:0.1" };

	(void)state;
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		struct an_model *a = gen(specs[i], 5), *b = gen(specs[i], 5), *c = gen(specs[i], 6);
		char *ta = csv_text(a), *tb = csv_text(b), *tc = csv_text(c);

		assert_string_equal(ta, tb);
		assert_true(strcmp(ta, tc) != 0); /* another seed, another model */
		cep_free(ta);
		cep_free(tb);
		cep_free(tc);
		an_model_free(a);
		an_model_free(b);
		an_model_free(c);
	}
}

/* Distinct operators whose id starts with prefix. */
static uint32_t operators(const struct an_model *m, const char *prefix)
{
	uint32_t n = 0;
	size_t len = strlen(prefix);
	char **seen = cep_calloc(m->n_nodes + 1, sizeof(*seen));

	assert_non_null(seen);
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		const char *op = m->operator_id[v];
		uint32_t k = 0;

		if (strncmp(op, prefix, len) != 0)
			continue;
		while (k < n && strcmp(seen[k], op) != 0)
			k++;
		if (k == n)
			seen[n++] = (char *)op;
	}
	cep_free(seen);
	return n;
}

static int32_t layer_index(const struct an_model *m, const char *name)
{
	for (uint32_t l = 0; l < m->layers.n; l++)
		if (strcmp(m->layers.name[l], name) == 0)
			return (int32_t)l;
	return -1;
}

static void test_japan_preset(void **state)
{
	struct an_model *m = gen("japan", 1);
	static const char *const allowed_kinds[] = { "power", "communications", "water", "fuel",
						     "it-service", "payment", "logistics", "gas",
						     "transport" };
	static const char *const sectors[] = { "info-comm", "finance", "aviation", "railway",
					       "electricity", "gas", "government", "medical",
					       "water", "logistics" };
	uint32_t sources[3] = { 0 }, hospital_power = 0;
	char name[16];

	(void)state;
	/* the operator counts of seed 001's CEPTOAR characteristic map */
	assert_int_equal(operators(m, "finance-bank-"), 1561);
	assert_int_equal(operators(m, "finance-securities-"), 253);
	assert_int_equal(operators(m, "finance-life-"), 43);
	assert_int_equal(operators(m, "finance-nonlife-"), 29);
	assert_int_equal(operators(m, "government-muni-"), 1742);
	assert_int_equal(operators(m, "government-pref-"), 47);
	assert_int_equal(operators(m, "water-utility-"), 1350);
	assert_int_equal(operators(m, "info-comm-telecom-"), 27);
	assert_int_equal(operators(m, "info-comm-cable-"), 246);
	assert_int_equal(operators(m, "info-comm-broadcast-"), 194);
	assert_int_equal(operators(m, "electricity-"), 12);
	assert_int_equal(operators(m, "gas-"), 10);
	assert_int_equal(operators(m, "railway-"), 22);
	assert_int_equal(operators(m, "aviation-airline-"), 2);
	assert_int_equal(operators(m, "logistics-"), 22); /* 16 companies, 6 organisations */
	/* the ten sectors, the 47 prefectures, three layers each */
	assert_int_equal(m->sectors.n, 10);
	for (size_t i = 0; i < 10; i++) {
		uint32_t k = 0;

		while (k < m->sectors.n && strcmp(m->sectors.name[k], sectors[i]) != 0)
			k++;
		assert_true(k < m->sectors.n);
	}
	assert_int_equal(m->regions.n, 47);
	assert_int_equal(m->layers.n, 141);
	for (int p = 1; p <= 47; p++) {
		snprintf(name, sizeof(name), "power/%02d", p);
		assert_true(layer_index(m, name) >= 0);
		snprintf(name, sizeof(name), "comms/%02d", p);
		assert_true(layer_index(m, name) >= 0);
		snprintf(name, sizeof(name), "water/%02d", p);
		assert_true(layer_index(m, name) >= 0);
	}
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		if (m->source[v]) {
			const char *l = m->layers.name[m->layer[v]];

			sources[l[0] == 'p' ? 0 : l[0] == 'c' ? 1 : 2]++;
		}
		/* a layer node's region is its layer's prefecture */
		if (m->layer[v] >= 0)
			assert_string_equal(m->regions.name[m->region[v]],
					    strchr(m->layers.name[m->layer[v]], '/') + 1);
	}
	assert_true(sources[0] >= 94 && sources[1] >= 94 && sources[2] >= 94);
	for (uint32_t k = 0; k < m->dep_kinds.n; k++) {
		size_t i = 0;

		while (i < 9 && strcmp(m->dep_kinds.name[k], allowed_kinds[i]) != 0)
			i++;
		if (i == 9)
			fail_msg("dependency kind %s", m->dep_kinds.name[k]);
	}
	/* buffers: hospitals on generators for 72 h, base stations on batteries 3-6 h,
	 * railways on power at once */
	for (uint32_t s = 0; s < m->n_nodes; s++) {
		for (uint64_t e = m->dep_start[s]; e < m->dep_start[s + 1]; e++) {
			uint32_t d = m->dep_dependent[e];
			const char *kind = m->kinds.name[m->kind[d]];

			if (strcmp(m->dep_kinds.name[m->dep_kind[e]], "power") != 0)
				continue;
			if (strcmp(kind, "hospital") == 0) {
				assert_true(m->dep_buffer[e] == 72);
				hospital_power++;
			} else if (strcmp(kind, "base-station") == 0) {
				assert_true(m->dep_buffer[e] >= 3 && m->dep_buffer[e] <= 6);
			} else if (strcmp(kind, "railway-line") == 0) {
				assert_true(m->dep_buffer[e] == 0);
			}
		}
	}
	assert_true(hospital_power > 8000);
	/* redundancy: a hospital needs 1 of 3 substations */
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		if (strcmp(m->kinds.name[m->kind[v]], "hospital") != 0)
			continue;
		assert_int_equal(m->node_group_start[v + 1] - m->node_group_start[v], 6);
		assert_int_equal(m->group_size[m->node_group_start[v]], 3);
		assert_int_equal(m->group_need[m->node_group_start[v]], 1);
		break;
	}
	/* about 44,600 nodes and 8 edges per node at scale 1 */
	assert_true(m->n_nodes > 40000 && m->n_nodes < 50000);
	assert_true(m->n_deps + m->n_links > 7.5 * m->n_nodes);
	an_model_free(m);
}

static void test_japan_scale(void **state)
{
	struct an_model *a = gen("japan:0.5", 1), *b = gen("japan:2", 1);
	struct an_gen_spec s;

	(void)state;
	/* facilities scale, the national systems (about 1,900) do not */
	assert_true(b->n_nodes > 3.5 * a->n_nodes && b->n_nodes < 4.1 * a->n_nodes);
	an_gen_defaults(AN_GEN_JAPAN, &s);
	s.scale = 2;
	assert_true(fabs(an_gen_estimate_nodes(&s) - b->n_nodes) < 1);
	assert_true(fabs(an_gen_estimate_edges(&s) - (b->n_deps + (double)b->n_links)) <
		    0.1 * an_gen_estimate_edges(&s));
	an_model_free(a);
	an_model_free(b);
}

static void test_parse_and_check(void **state)
{
	struct an_gen_spec s;
	struct cep_error err;
	static const char *const bad[] = { "", "lattice", "er:abc", "er:10:4:5", "er:-5",
					   "er:1.5", "coupled:10:4:2:ba", "japan:1:2", "sf:1:2:3:4",
					   "er:10:x" };

	(void)state;
	s.seed = 77;
	assert_int_equal(an_gen_parse("coupled:1000:3.5:3:sf", &s, NULL), 0);
	assert_int_equal(s.kind, AN_GEN_COUPLED);
	assert_int_equal(s.nodes, 1000);
	assert_true(s.degree == 3.5);
	assert_int_equal(s.layers, 3);
	assert_true(s.scale_free);
	assert_int_equal(s.seed, 77);
	assert_int_equal(an_gen_parse("japan:0.25", &s, NULL), 0);
	assert_true(s.scale == 0.25);
	assert_int_equal(an_gen_parse("er", &s, NULL), 0);
	assert_int_equal(s.nodes, 100000);
	assert_true(s.degree == 4);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct an_gen_spec before = s;

		cep_error_init(&err);
		if (an_gen_parse(bad[i], &s, &err) != CEP_EINVAL)
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_true(err.message[0]);
		assert_memory_equal(&s, &before, sizeof(s)); /* untouched */
	}
#define REFUSE(spec_text, code, fieldname)                                        \
	do {                                                                      \
		assert_int_equal(an_gen_parse(spec_text, &s, NULL), 0);           \
		cep_error_init(&err);                                             \
		assert_int_equal(an_gen_check(&s, &err), code);                   \
		assert_string_equal(err.field, fieldname);                        \
	} while (0)
	REFUSE("er:1", CEP_EINVAL, "nodes");
	REFUSE("er:100:0", CEP_EINVAL, "degree");
	REFUSE("er:10:9", CEP_EINVAL, "degree");
	REFUSE("er:100:1001", CEP_EINVAL, "degree");
	REFUSE("sf:100:4:2", CEP_EINVAL, "exponent");
	REFUSE("coupled:100:4:1", CEP_EINVAL, "layers");
	REFUSE("coupled:100:4:27", CEP_EINVAL, "layers");
	REFUSE("japan:0", CEP_EINVAL, "scale");
	REFUSE("japan:501", CEP_EINVAL, "scale");
	REFUSE("japan:480", CEP_ETOOBIG, "scale");
	REFUSE("coupled:10000000:4:3", CEP_ETOOBIG, "nodes");
	REFUSE("er:10000000:40", CEP_ETOOBIG, "degree");
	assert_int_equal(an_gen_kind_parse("sf", &s.kind), 0);
	assert_string_equal(an_gen_kind_name(AN_GEN_COUPLED), "coupled");
}

/* Written as CSV or JSON and read back, a model writes the same text again. */
static void test_save_round_trip(void **state)
{
	struct an_model *m = gen("japan:0.05", 2), *back = NULL;
	struct cep_buf nodes, edges, json;
	struct cep_error err;
	char *again;

	(void)state;
	cep_buf_init(&nodes, (size_t)1 << 28);
	cep_buf_init(&edges, (size_t)1 << 28);
	cep_buf_init(&json, (size_t)1 << 28);
	assert_int_equal(an_save_nodes_csv(m, an_save_to_buf, &nodes, NULL), 0);
	assert_int_equal(an_save_edges_csv(m, an_save_to_buf, &edges, NULL), 0);
	cep_error_init(&err);
	if (an_load_csv(nodes.data, nodes.len, "nodes.csv", edges.data, edges.len, "edges.csv",
			&back, &err))
		fail_msg("reading back: %s", err.message);
	assert_int_equal(back->n_nodes, m->n_nodes);
	assert_int_equal(back->n_deps, m->n_deps);
	assert_int_equal(back->n_groups, m->n_groups);
	assert_int_equal(back->n_links, m->n_links);
	again = csv_text(back);
	assert_int_equal(strncmp(again, nodes.data, nodes.len), 0);
	assert_string_equal(again + nodes.len, edges.data);
	cep_free(again);
	an_model_free(back);
	back = NULL;

	assert_int_equal(an_save_json(m, "japan \"test\"", an_save_to_buf, &json, NULL), 0);
	if (an_load_json(json.data, json.len, "model.json", &back, &err))
		fail_msg("reading back JSON: %s", err.message);
	again = csv_text(back);
	assert_int_equal(strncmp(again, nodes.data, nodes.len), 0);
	assert_string_equal(again + nodes.len, edges.data);
	cep_free(again);
	an_model_free(back);
	cep_buf_free(&nodes);
	cep_buf_free(&edges);
	cep_buf_free(&json);
	an_model_free(m);
}

static int failing_sink(void *ctx, const char *data, size_t len)
{
	(void)data;
	(void)len;
	return ++*(int *)ctx > 1 ? CEP_EIO : 0;
}

static void test_save_errors_and_numbers(void **state)
{
	struct an_model *m = gen("coupled:100000:4", 1);
	struct cep_buf b;
	struct cep_error err;
	int calls = 0;

	(void)state;
	/* a sink's failure stops the writer and is returned; chunks of about 1 MiB */
	cep_error_init(&err);
	assert_int_equal(an_save_edges_csv(m, failing_sink, &calls, &err), CEP_EIO);
	assert_int_equal(calls, 2);
	assert_non_null(strstr(err.message, "edges"));
	cep_buf_init(&b, 100);
	assert_int_equal(an_save_json(m, NULL, an_save_to_buf, &b, NULL), CEP_ETOOBIG);
	cep_buf_free(&b);
	/* numbers in the shortest form that reads back */
	cep_buf_init(&b, 1024);
	assert_int_equal(an_put_number(&b, 72), 0);
	assert_int_equal(cep_buf_puts(&b, " "), 0);
	assert_int_equal(an_put_number(&b, 0.1), 0);
	assert_int_equal(cep_buf_puts(&b, " "), 0);
	assert_int_equal(an_put_number(&b, 1.0 / 3), 0);
	assert_int_equal(cep_buf_puts(&b, " "), 0);
	assert_int_equal(an_json_string(&b, "a\"b\\c\n東京"), 0);
	assert_string_equal(b.data, "72 0.1 0.33333333333333331 \"a\\\"b\\\\c\\u000a東京\"");
	cep_buf_free(&b);
	an_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_er_sizes),
		cmocka_unit_test(test_sf_heavy_tail),
		cmocka_unit_test(test_coupled_one_to_one),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_japan_preset),
		cmocka_unit_test(test_japan_scale),
		cmocka_unit_test(test_parse_and_check),
		cmocka_unit_test(test_save_round_trip),
		cmocka_unit_test(test_save_errors_and_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
