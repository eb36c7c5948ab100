/* test_result.c - analysis/result: the propagation chain (most damaging
 * branches first, children capped and summed up, the tree's depths), the
 * files of one run and of Monte Carlo (columns, JSON that parses, SVG), and
 * an output cap refused cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/mc.h"
#include "analysis/model.h"
#include "analysis/result.h"
#include "analysis/scenario.h"
#include "analysis/sim.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* hub feeds 30 leaves at once (leaf i weighs i + 1) and, through "mid"
 * (weight 100), one more leaf "far". */
static struct an_model *star(void)
{
	struct an_builder *b = an_builder_new();
	struct an_node_spec n = { .sector = "electricity", .weight = 1 };
	uint32_t hub, mid, far, x;
	char id[16];

	n.id = "hub";
	assert_int_equal(an_builder_add_node(b, &n, &hub, NULL), 0);
	n.id = "mid";
	n.weight = 100;
	n.sector = "water";
	assert_int_equal(an_builder_add_node(b, &n, &mid, NULL), 0);
	n.id = "far";
	n.weight = 1;
	assert_int_equal(an_builder_add_node(b, &n, &far, NULL), 0);
	assert_int_equal(an_builder_add_dep(b, hub, mid, "power", 0, NULL, 1, NULL), 0);
	assert_int_equal(an_builder_add_dep(b, mid, far, "water", 2, NULL, 1, NULL), 0);
	n.sector = "medical";
	for (int i = 0; i < 30; i++) {
		snprintf(id, sizeof(id), "leaf%02d", i);
		n.id = id;
		n.weight = i + 1;
		assert_int_equal(an_builder_add_node(b, &n, &x, NULL), 0);
		assert_int_equal(an_builder_add_dep(b, hub, x, "power", 0, NULL, 1, NULL), 0);
	}
	{
		struct an_model *m = NULL;

		assert_int_equal(an_builder_finish(b, &m, NULL), 0);
		return m;
	}
}

struct fix {
	struct an_model *m;
	struct an_sim *s;
	struct an_ws *w;
	struct an_scenario *sc;
	struct an_trial t;
};

static void run(struct fix *f)
{
	const char *text = "{\"name\": \"hub\", \"horizon_hours\": 10, \"events\": [{\"node\": \"hub\", "
			   "\"start_hours\": 1, \"duration_hours\": 4}]}";
	struct an_timeline_opts o = { .exact = 1, .max_points = 100, .layers = 1 };

	f->m = star();
	assert_int_equal(an_scenario_parse(f->m, text, strlen(text), &f->sc, NULL), 0);
	assert_int_equal(an_sim_new(f->m, &f->s, NULL), 0);
	assert_int_equal(an_ws_new(f->s, &o, &f->w, NULL), 0);
	assert_int_equal(an_sim_trial(f->w, f->sc, 1, 0, NULL), 0);
	an_ws_trial(f->w, &f->t);
}

static void done(struct fix *f)
{
	an_ws_free(f->w);
	an_sim_free(f->s);
	an_scenario_free(f->sc);
	an_model_free(f->m);
}

static void test_chain(void **state)
{
	struct fix f;
	struct cep_buf js, tx;
	json_t *doc, *nodes;
	const char *p, *q;

	(void)state;
	run(&f);
	cep_buf_init(&js, 1 << 20);
	cep_buf_init(&tx, 1 << 20);
	assert_int_equal(an_result_chain(&js, &tx, f.m, f.sc, &f.t, NULL), 0);
	/* mid's branch (100 + 1) outweighs every leaf: first under hub, with far
	 * under it; then the leaves from the heaviest; 25 children shown, the
	 * other 6 summed up */
	p = strstr(tx.data, "  hub [electricity] down at 1 h, hit by the event (damage 567 in 33 nodes)");
	assert_non_null(p);
	q = strstr(p, "    mid [water] down at 1 h, lost power from hub (damage 101 in 2 nodes)");
	assert_non_null(q);
	assert_non_null(strstr(q, "      far [water] down at 3 h, lost water from mid (damage 1 in 1 node)"));
	assert_true(strstr(tx.data, "leaf29") < strstr(tx.data, "leaf28"));
	assert_null(strstr(tx.data, "leaf05 ")); /* the 6 lightest are not shown */
	assert_non_null(strstr(tx.data, "... 6 more branches: 6 nodes, damage 21"));
	doc = json_loads(js.data, 0, NULL);
	assert_non_null(doc);
	nodes = json_object_get(doc, "nodes");
	assert_int_equal(json_array_size(nodes), 1 + 1 + 1 + 24);
	assert_string_equal(json_string_value(json_object_get(json_array_get(nodes, 0), "id")), "hub");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(nodes, 0),
							    "hidden_children")), 6);
	assert_string_equal(json_string_value(json_object_get(json_array_get(nodes, 2), "id")), "far");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(nodes, 2), "depth")), 3);
	assert_true(json_is_true(json_object_get(doc, "truncated")));
	json_decref(doc);
	cep_buf_free(&js);
	cep_buf_free(&tx);
	done(&f);
}

static void test_run_files(void **state)
{
	struct fix f;
	struct cep_buf b;
	json_t *doc;

	(void)state;
	run(&f);
	cep_buf_init(&b, 1 << 20);
	assert_int_equal(an_result_json(&b, f.m, f.sc, &f.t, 5, NULL), 0);
	doc = json_loads(b.data, 0, NULL);
	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(doc, "failed_nodes")), 33);
	assert_int_equal(json_integer_value(json_object_get(doc, "seed")), 5);
	assert_int_equal(json_integer_value(json_object_get(doc, "max_depth")), 2);
	json_decref(doc);
	cep_buf_free(&b);

	assert_int_equal(an_result_nodes_csv(&b, f.m, f.sc, &f.t, NULL), 0);
	assert_non_null(strstr(b.data, "\nfar,,water,,,3,5,2,dependency,mid,water,2\n"));
	cep_buf_free(&b);
	assert_int_equal(an_result_timeline_csv(&b, f.m, &f.t, NULL), 0);
	assert_int_equal(strncmp(b.data, "hours,all,electricity,water,medical\n0,1.0", 40), 0);
	cep_buf_free(&b);
	assert_int_equal(an_result_timeline_svg(&b, f.m, f.sc, &f.t, NULL), 0);
	assert_non_null(strstr(b.data, "<svg"));
	assert_non_null(strstr(b.data, "</svg>"));
	cep_buf_free(&b);

	/* a cap too small: refused, naming what */
	{
		struct cep_error err;

		cep_buf_init(&b, 64);
		cep_error_init(&err);
		assert_int_equal(an_result_nodes_csv(&b, f.m, f.sc, &f.t, &err), CEP_ETOOBIG);
		assert_non_null(strstr(err.message, "nodes.csv"));
		cep_buf_free(&b);
	}
	done(&f);
}

static void test_mc_files(void **state)
{
	struct fix f;
	struct an_mc_opts o = { .trials = 20, .seed = 1, .threads = 1, .points = 11 };
	struct an_mc *r = NULL;
	struct cep_buf b;
	json_t *doc;

	(void)state;
	run(&f);
	assert_int_equal(an_mc_run(f.s, f.sc, &o, NULL, &r, NULL), 0);
	cep_buf_init(&b, 1 << 20);
	assert_int_equal(an_mc_json(&b, f.m, f.sc, r, 1, NULL), 0);
	doc = json_loads(b.data, 0, NULL);
	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(doc, "trials")), 20);
	assert_int_equal(json_integer_value(json_object_get(doc, "nodes_ever_failed")), 33);
	assert_int_equal(json_array_size(json_object_get(doc, "most_likely_to_fail")), 20);
	json_decref(doc);
	cep_buf_free(&b);
	assert_int_equal(an_mc_nodes_csv(&b, f.m, r, NULL), 0);
	assert_non_null(strstr(b.data, "\nhub,,electricity,,,1.000000,20\n"));
	cep_buf_free(&b);
	assert_int_equal(an_mc_timeline_csv(&b, f.m, r, NULL), 0);
	assert_int_equal(strncmp(b.data, "hours,all mean,all p5,all p50,all p95,electricity mean", 54), 0);
	cep_buf_free(&b);
	assert_int_equal(an_mc_timeline_svg(&b, f.m, f.sc, r, NULL), 0);
	assert_non_null(strstr(b.data, "all: 95%"));
	cep_buf_free(&b);
	an_mc_free(r);
	done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_run_files),
		cmocka_unit_test(test_mc_files),
	};

	cep_alloc_install();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
