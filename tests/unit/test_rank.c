/* test_rank.c - analysis/rank: the damage of losing each facility alone on a
 * model worked by hand, ties by index, nodes down in the baseline left out,
 * candidates chosen by the bound, the same ranking on 1 and 2 threads, and
 * the JSON, CSV and SVG outputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/gen.h"
#include "analysis/rank.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"

#include <jansson.h>
#include <string.h>

static uint32_t node(struct an_builder *b, const char *id, const char *name, const char *layer,
		     int source, double weight)
{
	struct an_node_spec n = { .id = id, .name = name, .layer = layer, .source = source,
				  .weight = weight };
	uint32_t i;

	assert_int_equal(an_builder_add_node(b, &n, &i, NULL), 0);
	return i;
}

/* A grid: plant P (source) - substation S1 - substation S2, and S3 on P too.
 * Hospital H (weight 100) needs 1 of {S1, S3}; clinic C (10) needs S2;
 * bank B (50) needs data centre D (0) which needs S2. island I (7) in the grid
 * but linked to nothing: down in the baseline. */
static struct an_model *grid(void)
{
	struct an_builder *b = an_builder_new();
	struct an_model *m = NULL;

	uint32_t p = node(b, "P", "発電所", "power", 1, 0), s1 = node(b, "S1", "", "power", 0, 1);
	uint32_t s2 = node(b, "S2", "", "power", 0, 1), s3 = node(b, "S3", "", "power", 0, 1);
	uint32_t h = node(b, "H", "病院", NULL, 0, 100), c = node(b, "C", "", NULL, 0, 10);
	uint32_t bank = node(b, "B", "", NULL, 0, 50), d = node(b, "D", "", NULL, 0, 0);

	node(b, "I", "", "power", 0, 7);
	assert_int_equal(an_builder_add_link(b, p, s1, NULL), 0);
	assert_int_equal(an_builder_add_link(b, s1, s2, NULL), 0);
	assert_int_equal(an_builder_add_link(b, p, s3, NULL), 0);
	assert_int_equal(an_builder_add_dep(b, s1, h, "power", 72, "power", 1, NULL), 0);
	assert_int_equal(an_builder_add_dep(b, s3, h, "power", 72, "power", 1, NULL), 0);
	assert_int_equal(an_builder_add_dep(b, s2, c, "power", 0, NULL, 1, NULL), 0);
	assert_int_equal(an_builder_add_dep(b, s2, d, "power", 24, NULL, 1, NULL), 0);
	assert_int_equal(an_builder_add_dep(b, d, bank, "it-service", 0, NULL, 1, NULL), 0);
	assert_int_equal(an_builder_finish(b, &m, NULL), 0);
	return m;
}

static struct an_rank *rank(const struct an_cascade_base *b, uint32_t candidates, int threads)
{
	struct an_rank_opts o = { .candidates = candidates, .threads = threads };
	struct an_rank *r = NULL;
	struct cep_error err;

	cep_error_init(&err);
	if (an_rank_run(b, &o, NULL, &r, &err))
		fail_msg("rank: %s", err.message);
	return r;
}

static void test_damages_by_hand(void **state)
{
	struct an_model *m = grid();
	struct an_cascade_base *b = NULL;
	struct an_rank *r;
	/* P: everything (S1 S2 S3 H C B D) = 1+1+1+100+10+50+0 = 163
	 * S1: S1, S2, C, D, B = 1+1+10+0+50 = 62 (H keeps S3)
	 * S2: S2, C, D, B = 61;  B: 50;  C: 10;  S3: 1;  H: 100;  D: B = 50 */
	static const char *const ids[] = { "P", "H", "S1", "S2", "B", "D", "C", "S3" };
	static const double damage[] = { 163, 100, 62, 61, 50, 50, 10, 1 };

	(void)state;
	assert_int_equal(an_cascade_base_new(m, &b, NULL), 0);
	r = rank(b, 0, 1);
	assert_int_equal(r->eligible, 8); /* I is down from the start */
	assert_int_equal(r->n, 8);
	for (uint32_t i = 0; i < 8; i++) {
		assert_string_equal(m->id[r->items[i].node], ids[i]); /* B before D: index */
		assert_true(r->items[i].damage == damage[i]);
	}
	assert_int_equal(r->items[0].failed, 8); /* P and the seven it holds up */
	assert_true(r->total_weight == 170);
	an_rank_free(r);
	/* two candidates, by bound: P (its neighbours S1, S3 and what they hold
	 * up, 202, and the grid's weight, 3: 205) and S2 (C, D and what D holds
	 * up, its neighbour S1 and H: 162; S1 has 112); then ranked exactly */
	r = rank(b, 2, 1);
	assert_int_equal(r->n, 2);
	assert_string_equal(m->id[r->items[0].node], "P");
	assert_true(r->items[0].bound == 205);
	assert_string_equal(m->id[r->items[1].node], "S2");
	assert_true(r->items[1].bound == 162);
	assert_true(r->items[1].damage == 61);
	an_rank_free(r);
	an_cascade_base_free(b);
	an_model_free(m);
}

static void test_threads_give_the_same(void **state)
{
	struct an_gen_spec s;
	struct an_model *m = NULL;
	struct an_cascade_base *b = NULL;
	struct an_rank *r1, *r2;

	(void)state;
	s.seed = 3;
	assert_int_equal(an_gen_parse("japan:0.05", &s, NULL), 0);
	assert_int_equal(an_generate(&s, NULL, &m, NULL), 0);
	assert_int_equal(an_cascade_base_new(m, &b, NULL), 0);
	r1 = rank(b, 3000, 1);
	r2 = rank(b, 3000, 2);
	assert_int_equal(r1->n, 3000);
	assert_int_equal(r2->threads, 2);
	for (uint32_t i = 0; i < r1->n; i++) {
		assert_int_equal(r1->items[i].node, r2->items[i].node);
		assert_true(r1->items[i].damage == r2->items[i].damage);
		if (i)
			assert_true(r1->items[i].damage <= r1->items[i - 1].damage);
	}
	/* a power plant or a grid node of a dense prefecture leads, not a leaf */
	assert_true(r1->items[0].failed > 100);
	an_rank_free(r1);
	an_rank_free(r2);
	an_cascade_base_free(b);
	an_model_free(m);
}

static void test_outputs(void **state)
{
	struct an_model *m = grid();
	struct an_cascade_base *b = NULL;
	struct an_rank *r;
	struct cep_buf buf;
	json_t *j, *first;
	json_error_t je;

	(void)state;
	assert_int_equal(an_cascade_base_new(m, &b, NULL), 0);
	r = rank(b, 0, 2);
	cep_buf_init(&buf, 1 << 20);
	assert_int_equal(an_rank_json(r, m, 3, &buf, NULL), 0);
	j = json_loads(buf.data, 0, &je);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "ranked")), 3);
	assert_true(json_is_true(json_object_get(j, "exhaustive")));
	first = json_array_get(json_object_get(j, "ranked"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "id")), "P");
	assert_string_equal(json_string_value(json_object_get(first, "name")), "発電所");
	assert_int_equal(json_integer_value(json_object_get(first, "rank")), 1);
	json_decref(j);
	buf.len = 0;
	assert_int_equal(an_rank_csv(r, m, &buf, NULL), 0);
	assert_int_equal(strncmp(buf.data, "rank,id,name,sector,operator,region,kind,layer,damage,", 54), 0);
	assert_non_null(strstr(buf.data, "\n1,P,発電所,"));
	assert_non_null(strstr(buf.data, "\n8,S3,"));
	buf.len = 0;
	assert_int_equal(an_rank_svg(r, m, 20, &buf, NULL), 0);
	assert_non_null(strstr(buf.data, "<svg"));
	assert_non_null(strstr(buf.data, "病院")); /* labels: names, else ids */
	assert_non_null(strstr(buf.data, "S1"));
	cep_buf_free(&buf);
	an_rank_free(r);
	an_cascade_base_free(b);
	an_model_free(m);
}

static void test_bad_options(void **state)
{
	struct an_model *m = grid();
	struct an_cascade_base *b = NULL;
	struct an_rank_opts o = { .threads = -2 };
	struct an_rank *r = NULL;
	struct cep_error err;

	(void)state;
	assert_int_equal(an_cascade_base_new(m, &b, NULL), 0);
	cep_error_init(&err);
	assert_int_equal(an_rank_run(b, &o, NULL, &r, &err), CEP_EINVAL);
	assert_string_equal(err.field, "threads");
	assert_null(r);
	an_cascade_base_free(b);
	an_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_damages_by_hand),
		cmocka_unit_test(test_threads_give_the_same),
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_bad_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
