/* test_model.c - analysis/model: the builder's checks (each naming the field
 * at fault), the CSR arrays of a finished model (by supplier, by dependent,
 * groups numbered by dependent, links both ways), labels, lookup by id, and
 * failure of every allocation without leaks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/model.h"
#include "base/alloc.h"
#include "base/err.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static uint32_t add(struct an_builder *b, const char *id, const char *layer, int source)
{
	struct an_node_spec n = { .id = id, .sector = "electricity", .region = "13",
				  .layer = layer, .source = source, .weight = 1.0,
				  .repair_hours = 2.0 };
	uint32_t i = 99;

	assert_int_equal(an_builder_add_node(b, &n, &i, NULL), 0);
	return i;
}

/* Expect a call's result to be code with err.field == field. */
#define EXPECT_ERR(call, code, fieldname)                                \
	do {                                                             \
		cep_error_init(&err);                                    \
		assert_int_equal((call), (code));                       \
		assert_string_equal(err.field, (fieldname));            \
	} while (0)

static void test_node_errors(void **state)
{
	struct an_builder *b = an_builder_new();
	struct cep_error err;
	struct an_node_spec n = { .id = "a", .weight = 1 };
	uint32_t i = 77;
	char longid[AN_MAX_ID_BYTES + 2];

	(void)state;
	assert_non_null(b);
	add(b, "a", NULL, 0);
	EXPECT_ERR(an_builder_add_node(b, &n, &i, &err), CEP_EEXIST, "id");
	assert_non_null(strstr(err.message, "duplicate"));
	n.id = "";
	EXPECT_ERR(an_builder_add_node(b, &n, &i, &err), CEP_EINVAL, "id");
	n.id = NULL;
	EXPECT_ERR(an_builder_add_node(b, &n, &i, &err), CEP_EINVAL, "id");
	memset(longid, 'x', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	n.id = longid;
	EXPECT_ERR(an_builder_add_node(b, &n, &i, &err), CEP_EINVAL, "id");
	n.id = "bad\xff";
	EXPECT_ERR(an_builder_add_node(b, &n, &i, &err), CEP_EINVAL, "id");
	n.id = "b";
	n.name = "line\nbreak";
	EXPECT_ERR(an_builder_add_node(b, &n, &i, &err), CEP_EINVAL, "name");
	n.name = NULL;
	n.weight = -1;
	EXPECT_ERR(an_builder_add_node(b, &n, &i, &err), CEP_EINVAL, "weight");
	n.weight = NAN;
	EXPECT_ERR(an_builder_add_node(b, &n, &i, &err), CEP_EINVAL, "weight");
	n.weight = 1;
	n.repair_hours = -0.5;
	EXPECT_ERR(an_builder_add_node(b, &n, &i, &err), CEP_EINVAL, "repair_hours");
	n.repair_hours = AN_MAX_HOURS + 1;
	EXPECT_ERR(an_builder_add_node(b, &n, &i, &err), CEP_EINVAL, "repair_hours");
	n.repair_hours = 0;
	n.source = 1;
	EXPECT_ERR(an_builder_add_node(b, &n, &i, &err), CEP_EINVAL, "source");
	assert_int_equal(i, 77); /* untouched on failure */
	n.layer = "power/13";
	assert_int_equal(an_builder_add_node(b, &n, &i, &err), 0);
	assert_int_equal(i, 1);
	assert_int_equal(an_builder_find(b, "b", &i), 0);
	assert_int_equal(i, 1);
	assert_int_equal(an_builder_find(b, "zz", &i), CEP_ENOTFOUND);
	an_builder_free(b);
}

static void test_edge_errors(void **state)
{
	struct an_builder *b = an_builder_new();
	struct cep_error err;
	uint32_t a, c, d, x;

	(void)state;
	a = add(b, "a", "power/13", 1);
	c = add(b, "c", "power/13", 0);
	d = add(b, "d", "telecom/13", 0);
	x = add(b, "x", NULL, 0);
	EXPECT_ERR(an_builder_add_dep(b, a, 9, "power", 0, NULL, 1, &err), CEP_EINVAL, "dependent");
	EXPECT_ERR(an_builder_add_dep(b, 9, a, "power", 0, NULL, 1, &err), CEP_EINVAL, "supplier");
	EXPECT_ERR(an_builder_add_dep(b, a, a, "power", 0, NULL, 1, &err), CEP_EINVAL, "dependent");
	EXPECT_ERR(an_builder_add_dep(b, a, x, "power", -1, NULL, 1, &err), CEP_EINVAL,
		   "buffer_hours");
	EXPECT_ERR(an_builder_add_dep(b, a, x, "power", INFINITY, NULL, 1, &err), CEP_EINVAL,
		   "buffer_hours");
	EXPECT_ERR(an_builder_add_dep(b, a, x, "power", 1, "g", 0, &err), CEP_EINVAL, "need");
	EXPECT_ERR(an_builder_add_dep(b, a, x, "power", 1, NULL, 2, &err), CEP_EINVAL, "need");
	assert_int_equal(an_builder_add_dep(b, a, x, "power", 1, "g", 2, &err), 0);
	EXPECT_ERR(an_builder_add_dep(b, c, x, "power", 1, "g", 1, &err), CEP_EINVAL, "need");
	EXPECT_ERR(an_builder_add_link(b, a, d, &err), CEP_EINVAL, "layer");
	assert_non_null(strstr(err.message, "one layer"));
	EXPECT_ERR(an_builder_add_link(b, x, a, &err), CEP_EINVAL, "layer");
	EXPECT_ERR(an_builder_add_link(b, a, a, &err), CEP_EINVAL, "b");
	EXPECT_ERR(an_builder_add_link(b, a, 42, &err), CEP_EINVAL, "b");
	assert_int_equal(an_builder_add_link(b, a, c, &err), 0);
	an_builder_free(b);
}

static void test_need_exceeds_group(void **state)
{
	struct an_builder *b = an_builder_new();
	struct an_model *m = NULL;
	struct cep_error err;
	uint32_t s1, s2, d;

	(void)state;
	s1 = add(b, "s1", NULL, 0);
	s2 = add(b, "s2", NULL, 0);
	d = add(b, "hospital", NULL, 0);
	assert_int_equal(an_builder_add_dep(b, s1, d, "power", 0, "grid", 3, NULL), 0);
	assert_int_equal(an_builder_add_dep(b, s2, d, "power", 0, "grid", 3, NULL), 0);
	cep_error_init(&err);
	assert_int_equal(an_builder_finish(b, &m, &err), CEP_EINVAL); /* consumes b */
	assert_null(m);
	assert_string_equal(err.field, "need");
	assert_non_null(strstr(err.message, "hospital"));
	assert_non_null(strstr(err.message, "needs 3"));
}

static void test_duplicate_in_group(void **state)
{
	struct an_builder *b = an_builder_new();
	struct an_model *m = NULL;
	struct cep_error err;
	uint32_t s, d;

	(void)state;
	s = add(b, "s", NULL, 0);
	d = add(b, "d", NULL, 0);
	assert_int_equal(an_builder_add_dep(b, s, d, "power", 0, "g", 1, NULL), 0);
	assert_int_equal(an_builder_add_dep(b, s, d, "power", 0, "g", 1, NULL), 0);
	cep_error_init(&err);
	assert_int_equal(an_builder_finish(b, &m, &err), CEP_EINVAL);
	assert_string_equal(err.field, "supplier");
	assert_non_null(strstr(err.message, "twice"));
}

/* A model with two dependents in groups, links, labels: check every array. */
static void test_csr(void **state)
{
	struct an_builder *b = an_builder_new();
	struct an_model *m = NULL;
	uint32_t p0, p1, p2, t, h, i;

	(void)state;
	p0 = add(b, "p0", "power/13", 1);
	p1 = add(b, "p1", "power/13", 0);
	p2 = add(b, "p2", "power/13", 0);
	{
		struct an_node_spec n = { .id = "t", .name = "交換局", .sector = "info-comm",
					  .region = "14", .kind = "exchange", .weight = 5,
					  .repair_hours = 1 };
		assert_int_equal(an_builder_add_node(b, &n, &t, NULL), 0);
	}
	h = add(b, "h", NULL, 0);
	/* h: group "power" 1-of-2 {p1, p2}, and communications from t alone */
	assert_int_equal(an_builder_add_dep(b, p1, h, "power", 3, "power", 1, NULL), 0);
	assert_int_equal(an_builder_add_dep(b, t, h, "communications", 0.5, NULL, 1, NULL), 0);
	assert_int_equal(an_builder_add_dep(b, p2, h, "power", 4, "power", 1, NULL), 0);
	/* t: power from p1 */
	assert_int_equal(an_builder_add_dep(b, p1, t, "power", 6, "", 1, NULL), 0);
	assert_int_equal(an_builder_add_link(b, p0, p1, NULL), 0);
	assert_int_equal(an_builder_add_link(b, p1, p2, NULL), 0);
	assert_int_equal(an_builder_finish(b, &m, NULL), 0);

	assert_int_equal(m->n_nodes, 5);
	assert_int_equal(m->n_deps, 4);
	assert_int_equal(m->n_groups, 3);
	assert_int_equal(m->n_links, 2);
	assert_string_equal(m->id[t], "t");
	assert_string_equal(m->name[t], "交換局");
	assert_string_equal(m->name[h], "");
	assert_string_equal(m->sectors.name[m->sector[t]], "info-comm");
	assert_string_equal(m->regions.name[m->region[t]], "14");
	assert_string_equal(m->kinds.name[m->kind[t]], "exchange");
	assert_string_equal(m->kinds.name[m->kind[h]], "");
	assert_int_equal(m->layer[t], -1);
	assert_string_equal(m->layers.name[m->layer[p0]], "power/13");
	assert_int_equal(m->source[p0], 1);
	assert_int_equal(m->source[p1], 0);
	assert_true(m->weight[t] == 5.0);

	/* by supplier: p1 supplies h then t, in the order given */
	assert_int_equal(m->dep_start[p1 + 1] - m->dep_start[p1], 2);
	{
		uint64_t e = m->dep_start[p1];

		assert_int_equal(m->dep_dependent[e], h);
		assert_true(m->dep_buffer[e] == 3.0);
		assert_string_equal(m->dep_kinds.name[m->dep_kind[e]], "power");
		assert_int_equal(m->dep_supplier[e], p1);
		assert_int_equal(m->dep_dependent[e + 1], t);
	}
	assert_int_equal(m->dep_start[p0 + 1] - m->dep_start[p0], 0);
	/* groups by dependent: h has two, t one */
	assert_int_equal(m->node_group_start[h + 1] - m->node_group_start[h], 2);
	assert_int_equal(m->node_group_start[t + 1] - m->node_group_start[t], 1);
	/* within a dependent, groups keep the order in which they were first named */
	assert_int_equal(m->group_size[m->node_group_start[h]], 2);
	assert_int_equal(m->group_need[m->node_group_start[h]], 1);
	assert_int_equal(m->group_size[m->node_group_start[h] + 1], 1);
	/* by dependent: every in-edge of h has h as dependent; suppliers p1, p2, t */
	assert_int_equal(m->in_start[h + 1] - m->in_start[h], 3);
	{
		int seen = 0;

		for (uint64_t k = m->in_start[h]; k < m->in_start[h + 1]; k++) {
			uint32_t e = m->in_edge[k];

			assert_int_equal(m->dep_dependent[e], h);
			seen |= 1 << m->dep_supplier[e];
			assert_true(m->dep_group[e] >= m->node_group_start[h] &&
				    m->dep_group[e] < m->node_group_start[h + 1]);
		}
		assert_int_equal(seen, (1 << p1) | (1 << p2) | (1 << t));
	}
	/* links both ways */
	assert_int_equal(m->link_start[p1 + 1] - m->link_start[p1], 2);
	assert_int_equal(m->link_start[p0 + 1] - m->link_start[p0], 1);
	assert_int_equal(m->link_to[m->link_start[p0]], p1);
	assert_int_equal(m->link_start[h + 1] - m->link_start[h], 0);

	assert_int_equal(an_model_find(m, "h", &i), 0);
	assert_int_equal(i, h);
	assert_int_equal(an_model_find(m, "nope", &i), CEP_ENOTFOUND);
	an_model_free(m);
}

/* Many nodes: ids hash and grow correctly. */
static void test_many(void **state)
{
	struct an_builder *b = an_builder_new();
	struct an_model *m = NULL;
	char id[32];
	uint32_t i;

	(void)state;
	for (uint32_t k = 0; k < 20000; k++) {
		snprintf(id, sizeof(id), "n%u", k);
		assert_int_equal(add(b, id, "power/01", k == 0), k);
		if (k)
			assert_int_equal(an_builder_add_link(b, k - 1, k, NULL), 0);
		if (k >= 2)
			assert_int_equal(an_builder_add_dep(b, k - 2, k, "power", 0, NULL, 1, NULL), 0);
	}
	assert_int_equal(an_builder_finish(b, &m, NULL), 0);
	assert_int_equal(m->n_links, 19999);
	assert_int_equal(m->n_deps, 19998);
	for (uint32_t k = 0; k < 20000; k += 997) {
		snprintf(id, sizeof(id), "n%u", k);
		assert_int_equal(an_model_find(m, id, &i), 0);
		assert_int_equal(i, k);
	}
	an_model_free(m);
}

/* Build a small model with the n-th allocation failing, for every n: always
 * a clean CEP_ENOMEM, never a crash or leak (run under ASan). */
static void test_alloc_failures(void **state)
{
	(void)state;
	for (long n = 0; n < 200; n++) {
		struct an_builder *b;
		struct an_model *m = NULL;
		struct an_node_spec s = { .id = "a", .layer = "L", .source = 1, .weight = 1 };
		uint32_t x, y;
		int rc = 0;

		cep_alloc_fail_after(n);
		b = an_builder_new();
		if (!b) {
			cep_alloc_fail_after(-1);
			continue;
		}
		rc = an_builder_add_node(b, &s, &x, NULL);
		s.id = "b";
		s.source = 0;
		if (!rc)
			rc = an_builder_add_node(b, &s, &y, NULL);
		if (!rc)
			rc = an_builder_add_dep(b, x, y, "power", 1, "g", 1, NULL);
		if (!rc)
			rc = an_builder_add_link(b, x, y, NULL);
		if (rc) {
			assert_int_equal(rc, CEP_ENOMEM);
			an_builder_free(b);
		} else {
			rc = an_builder_finish(b, &m, NULL);
			if (rc)
				assert_int_equal(rc, CEP_ENOMEM);
			else
				assert_int_equal(m->n_nodes, 2);
			an_model_free(m);
		}
		cep_alloc_fail_after(-1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_node_errors),
		cmocka_unit_test(test_edge_errors),
		cmocka_unit_test(test_need_exceeds_group),
		cmocka_unit_test(test_duplicate_in_group),
		cmocka_unit_test(test_csr),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
