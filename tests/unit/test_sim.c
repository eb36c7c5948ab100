/* test_sim.c - analysis/sim and analysis/scenario: the cascade simulator on
 * small models whose outcome is worked out by hand (buffers delay failures by
 * exactly their length, redundancy groups, layers with and without sources,
 * recovery unwinding in order, the causes and depths of the propagation
 * tree), the incremental layer update against computing layers whole,
 * workspaces reused across trials, the timeline, and scenario parsing and
 * templates with their errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/model.h"
#include "analysis/rng.h"
#include "analysis/scenario.h"
#include "analysis/sim.h"
#include "analysis/sim_int.h"
#include "base/alloc.h"
#include "base/err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building models ---------------------------------------------------- */

static uint32_t node(struct an_builder *b, const char *id, const char *sector,
		     const char *layer, int source, double repair)
{
	struct an_node_spec n = { .id = id, .sector = sector, .layer = layer, .source = source,
				  .weight = 1, .repair_hours = repair };
	uint32_t i;

	assert_int_equal(an_builder_add_node(b, &n, &i, NULL), 0);
	return i;
}

static uint32_t ix(const struct an_builder *b, const char *id)
{
	uint32_t i;

	assert_int_equal(an_builder_find(b, id, &i), 0);
	return i;
}

static void dep(struct an_builder *b, const char *s, const char *d, double buffer,
		const char *group, uint32_t need)
{
	assert_int_equal(an_builder_add_dep(b, ix(b, s), ix(b, d), "power", buffer, group, need,
					    NULL), 0);
}

static void link2(struct an_builder *b, const char *a, const char *c)
{
	assert_int_equal(an_builder_add_link(b, ix(b, a), ix(b, c), NULL), 0);
}

static struct an_model *finish(struct an_builder *b)
{
	struct an_model *m = NULL;
	struct cep_error err;

	cep_error_init(&err);
	if (an_builder_finish(b, &m, &err))
		fail_msg("finish: %s", err.message);
	return m;
}

/* ---- running ------------------------------------------------------------ */

struct run {
	struct an_model *m;
	struct an_sim *s;
	struct an_ws *w;
	struct an_scenario *sc;
	struct an_trial t;
};

static void run_open(struct run *r, struct an_model *m, const char *scenario, uint32_t points)
{
	struct an_timeline_opts o = { .exact = 1, .max_points = points, .layers = 1 };
	struct cep_error err;

	memset(r, 0, sizeof(*r));
	r->m = m;
	cep_error_init(&err);
	if (an_scenario_parse(m, scenario, strlen(scenario), &r->sc, &err))
		fail_msg("scenario: %s (%s)", err.message, err.field);
	assert_int_equal(an_sim_new(m, &r->s, NULL), 0);
	assert_int_equal(an_ws_new(r->s, &o, &r->w, NULL), 0);
}

static void run_trial(struct run *r, uint64_t seed, uint64_t trial)
{
	assert_int_equal(an_sim_trial(r->w, r->sc, seed, trial, NULL), 0);
	an_ws_trial(r->w, &r->t);
}

static void run_once(struct run *r, struct an_model *m, const char *scenario)
{
	run_open(r, m, scenario, AN_TIMELINE_MAX_POINTS);
	run_trial(r, 1, 0);
}

static void run_close(struct run *r)
{
	an_ws_free(r->w);
	an_sim_free(r->s);
	an_scenario_free(r->sc);
	an_model_free(r->m);
}

static uint32_t id_of(const struct run *r, const char *id)
{
	uint32_t i;

	assert_int_equal(an_model_find(r->m, id, &i), 0);
	return i;
}

static int failed(const struct run *r, const char *id)
{
	uint32_t v = id_of(r, id);

	for (uint32_t i = 0; i < r->t.n_failed; i++)
		if (r->t.failed[i] == v)
			return 1;
	return 0;
}

/* Node id failed first at `first` and was last back at `last` (INFINITY:
 * still down at the end). */
static void expect_times(const struct run *r, const char *id, double first, double last)
{
	uint32_t v = id_of(r, id);

	if (!failed(r, id))
		fail_msg("%s did not fail", id);
	if (fabs(r->t.first_failure[v] - first) > 1e-9 ||
	    (isinf(last) ? !isinf(r->t.last_recovery[v])
			 : fabs(r->t.last_recovery[v] - last) > 1e-9))
		fail_msg("%s: failed at %g, back at %g; expected %g and %g", id,
			 r->t.first_failure[v], r->t.last_recovery[v], first, last);
}

static void expect_cause(const struct run *r, const char *id, int kind, const char *by,
			 uint32_t depth)
{
	uint32_t v = id_of(r, id), c = r->t.cause[v];

	assert_int_equal(r->t.cause_kind[v], kind);
	assert_int_equal(r->t.depth[v], depth);
	if (kind == AN_CAUSE_SUPPLIER)
		assert_string_equal(r->m->id[r->m->dep_supplier[c]], by);
	else if (kind == AN_CAUSE_LAYER && by)
		assert_string_equal(r->m->id[c], by);
	else if (kind == AN_CAUSE_LAYER)
		assert_int_equal(c, UINT32_MAX);
}

/* ---- buffers ------------------------------------------------------------ */

static struct an_model *pair(double buffer)
{
	struct an_builder *b = an_builder_new();

	node(b, "S", "electricity", NULL, 0, 0);
	node(b, "D", "medical", NULL, 0, 2);
	dep(b, "S", "D", buffer, NULL, 1);
	return finish(b);
}

static void test_buffer_delays(void **state)
{
	struct run r;

	(void)state;
	/* S down 1..11; D keeps working 3 h, fails at 4; S serves again at 11,
	 * D is back after its 2 h repair */
	run_once(&r, pair(3),
		 "{\"horizon_hours\": 48, \"events\": [{\"node\": \"S\", \"start_hours\": 1,"
		 " \"duration_hours\": 10}]}");
	expect_times(&r, "S", 1, 11);
	expect_times(&r, "D", 4, 13);
	expect_cause(&r, "S", AN_CAUSE_EVENT, NULL, 0);
	assert_int_equal(r.t.cause[id_of(&r, "S")], 0);
	expect_cause(&r, "D", AN_CAUSE_SUPPLIER, "S", 1);
	assert_true(fabs(r.t.down_hours[id_of(&r, "D")] - 9) < 1e-9);
	run_close(&r);

	/* a fractional buffer: exactly its length */
	run_once(&r, pair(2.5),
		 "{\"events\": [{\"node\": \"S\", \"start_hours\": 1, \"duration_hours\": 10}]}");
	expect_times(&r, "D", 3.5, 13);
	run_close(&r);

	/* S back before the buffer runs out: D never fails */
	run_once(&r, pair(3),
		 "{\"events\": [{\"node\": \"S\", \"start_hours\": 1, \"duration_hours\": 2.9}]}");
	assert_int_equal(r.t.n_failed, 1);
	assert_false(failed(&r, "D"));
	run_close(&r);

	/* no buffer: at once */
	run_once(&r, pair(0),
		 "{\"events\": [{\"node\": \"S\", \"start_hours\": 1, \"duration_hours\": 10}]}");
	expect_times(&r, "D", 1, 13);
	run_close(&r);

	/* down twice: the second outage (20..21) is shorter than the buffer; the
	 * stale timer of the first outage must not take D down */
	run_once(&r, pair(3),
		 "{\"events\": [{\"node\": \"S\", \"start_hours\": 1, \"duration_hours\": 1},"
		 " {\"node\": \"S\", \"start_hours\": 3.5, \"duration_hours\": 1}]}");
	assert_false(failed(&r, "D"));
	run_close(&r);
}

/* A dependent that is down when its buffer would run out keeps it, whole,
 * for its return; a buffer that runs out while its dependent works stops it,
 * however long the dependent was down before. */
static void test_kept_buffers(void **state)
{
	struct an_builder *b;
	struct run r;
	const char *mutual = "{\"horizon_hours\": 100, \"events\": [{\"node\": \"A\", "
			     "\"duration_hours\": 10}]}";

	(void)state;
	/* S down 0..50; D (buffer 20, repair 2) is hit itself 0..30: its buffer
	 * falls due at 20 while it is down and is kept; D comes back at 32 on
	 * it, due at 52, and S is back at 50: D stays up */
	run_once(&r, pair(20),
		 "{\"horizon_hours\": 100, \"events\": [{\"node\": \"S\", \"duration_hours\": 50},"
		 " {\"node\": \"D\", \"duration_hours\": 30}]}");
	expect_times(&r, "D", 0, 32);
	assert_true(fabs(r.t.down_hours[id_of(&r, "D")] - 32) < 1e-9);
	run_close(&r);
	/* D hit 0..10 only: back at 12 while its buffer (due at 20) still runs;
	 * it runs out at 20 and D is back at 50 + 2 */
	run_once(&r, pair(20),
		 "{\"horizon_hours\": 100, \"events\": [{\"node\": \"S\", \"duration_hours\": 50},"
		 " {\"node\": \"D\", \"duration_hours\": 10}]}");
	expect_times(&r, "D", 0, 52);
	assert_true(fabs(r.t.down_hours[id_of(&r, "D")] - 44) < 1e-9);
	run_close(&r);

	/* A and B depend on each other (A -> B buffer 5, B -> A buffer 3). A is
	 * hit 0..10; B runs out at 5; B's timer on A falls due at 8 while A is
	 * down: kept. A is repaired at 12 and runs on its 3 h; B is fed again at
	 * 12 and back at 13, before A's buffer runs out. (Were the buffer spent
	 * while A was down, neither would ever come back.) */
	b = an_builder_new();
	node(b, "A", "electricity", NULL, 0, 2);
	node(b, "B", "info-comm", NULL, 0, 1);
	dep(b, "A", "B", 5, NULL, 1);
	dep(b, "B", "A", 3, NULL, 1);
	run_once(&r, finish(b), mutual);
	expect_times(&r, "A", 0, 12);
	expect_times(&r, "B", 5, 13);
	expect_cause(&r, "B", AN_CAUSE_SUPPLIER, "A", 1);
	assert_true(fabs(r.t.down_hours[id_of(&r, "A")] - 12) < 1e-9);
	run_close(&r);

	/* B slower to repair (4 h): A's 3 h run out at 15, A fails again until B
	 * is back at 16 (+ 2 h of repair); A's new timer on B (due at 20) is void
	 * by then */
	b = an_builder_new();
	node(b, "A", "electricity", NULL, 0, 2);
	node(b, "B", "info-comm", NULL, 0, 4);
	dep(b, "A", "B", 5, NULL, 1);
	dep(b, "B", "A", 3, NULL, 1);
	run_once(&r, finish(b), mutual);
	expect_times(&r, "A", 0, 18);
	expect_times(&r, "B", 5, 16);
	assert_true(fabs(r.t.down_hours[id_of(&r, "A")] - 15) < 1e-9);
	assert_true(fabs(r.t.down_hours[id_of(&r, "B")] - 11) < 1e-9);
	run_close(&r);

	/* One buffer kept twice while D is down: S down 0..5 and 8..60, D hit
	 * 0..40. Due at 3 (kept), called off at 5, due again at 11 (kept again:
	 * once in D's list). D is back at 42, its buffer runs out at 45, and D
	 * is down until S is back at 60 + 2. */
	run_once(&r, pair(3),
		 "{\"horizon_hours\": 100, \"events\": [{\"node\": \"S\", \"duration_hours\": 5},"
		 " {\"node\": \"S\", \"start_hours\": 8, \"duration_hours\": 52},"
		 " {\"node\": \"D\", \"duration_hours\": 40}]}");
	expect_times(&r, "D", 0, 62);
	assert_true(fabs(r.t.down_hours[id_of(&r, "D")] - 59) < 1e-9);
	expect_cause(&r, "D", AN_CAUSE_EVENT, NULL, 0);
	run_close(&r);
}

/* ---- redundancy groups -------------------------------------------------- */

static struct an_model *two_of_three(void)
{
	struct an_builder *b = an_builder_new();

	node(b, "A", "electricity", NULL, 0, 0);
	node(b, "B", "electricity", NULL, 0, 0);
	node(b, "C", "electricity", NULL, 0, 0);
	node(b, "D", "water", NULL, 0, 1);
	dep(b, "A", "D", 0, "feeds", 2);
	dep(b, "B", "D", 0, "feeds", 2);
	dep(b, "C", "D", 0, "feeds", 2);
	return finish(b);
}

static void test_redundancy(void **state)
{
	struct run r;

	(void)state;
	run_once(&r, two_of_three(),
		 "{\"events\": [{\"node\": \"A\", \"duration_hours\": 5}]}");
	assert_false(failed(&r, "D")); /* two of three still serve */
	run_close(&r);

	run_once(&r, two_of_three(),
		 "{\"events\": [{\"node\": \"A\", \"duration_hours\": 5},"
		 " {\"node\": \"B\", \"start_hours\": 2, \"duration_hours\": 1}]}");
	/* the second loss at 2 takes D down; B is back at 3, D at 3 + 1 */
	expect_times(&r, "D", 2, 4);
	expect_cause(&r, "D", AN_CAUSE_SUPPLIER, "B", 1);
	run_close(&r);
}

/* ---- layers ------------------------------------------------------------- */

/*   src - a - b - c      (power/13; d hangs off b)
 *             |
 *             d                                              */
static struct an_model *grid(int ring)
{
	struct an_builder *b = an_builder_new();

	node(b, "src", "electricity", "power/13", 1, 1);
	node(b, "a", "electricity", "power/13", 0, 2);
	node(b, "b", "electricity", "power/13", 0, 1);
	node(b, "c", "electricity", "power/13", 0, 1);
	node(b, "d", "electricity", "power/13", 0, 0.5);
	link2(b, "src", "a");
	link2(b, "a", "b");
	link2(b, "b", "c");
	link2(b, "b", "d");
	if (ring)
		link2(b, "src", "c");
	return finish(b);
}

static void test_layer_sources(void **state)
{
	struct run r;

	(void)state;
	/* a is hit 1..5: b, c, d lose the source at 1. a is repaired at 7; then
	 * b, c, d are fed again and come back after their own repair times. */
	run_once(&r, grid(0), "{\"events\": [{\"node\": \"a\", \"start_hours\": 1, "
			      "\"duration_hours\": 4}]}");
	expect_times(&r, "a", 1, 7);
	expect_times(&r, "b", 1, 8);
	expect_times(&r, "c", 1, 8);
	expect_times(&r, "d", 1, 7.5);
	expect_cause(&r, "b", AN_CAUSE_LAYER, "a", 1);
	expect_cause(&r, "c", AN_CAUSE_LAYER, "a", 1);
	assert_false(failed(&r, "src"));
	run_close(&r);

	/* with the ring src - c, losing a cuts nothing off */
	run_once(&r, grid(1), "{\"events\": [{\"node\": \"a\", \"start_hours\": 1, "
			      "\"duration_hours\": 4}]}");
	assert_int_equal(r.t.n_failed, 1);
	run_close(&r);

	/* the bridge b (the ring keeps c): only d is cut off */
	run_once(&r, grid(1), "{\"events\": [{\"node\": \"b\", \"duration_hours\": 3}]}");
	assert_int_equal(r.t.n_failed, 2);
	expect_times(&r, "b", 0, 4);
	expect_times(&r, "d", 0, 4.5);
	expect_cause(&r, "d", AN_CAUSE_LAYER, "b", 1);
	run_close(&r);

	/* the source itself: everything; the source comes back first */
	run_once(&r, grid(0), "{\"events\": [{\"node\": \"src\", \"duration_hours\": 2}]}");
	expect_times(&r, "src", 0, 3);
	expect_times(&r, "a", 0, 5);
	expect_times(&r, "b", 0, 4);
	expect_times(&r, "d", 0, 3.5);
	run_close(&r);
}

/* x1-x2-x3-x4 - m - y1-y2, no source: the largest component decides. */
static struct an_model *nosource(void)
{
	struct an_builder *b = an_builder_new();
	const char *ids[] = { "x1", "x2", "x3", "x4", "m", "y1", "y2" };

	for (int i = 0; i < 7; i++)
		node(b, ids[i], "info-comm", "telecom/27", 0, 1);
	for (int i = 0; i < 6; i++)
		link2(b, ids[i], ids[i + 1]);
	return finish(b);
}

static void test_layer_no_source(void **state)
{
	struct run r;

	(void)state;
	run_once(&r, nosource(), "{\"events\": [{\"node\": \"m\", \"start_hours\": 2, "
				 "\"duration_hours\": 3}]}");
	/* without m, {x1..x4} is the largest: y1, y2 are down from 2. When m's
	 * event ends at 5, m (under repair) joins the component again, so the
	 * y nodes are back at 5 + 1, as m is */
	expect_times(&r, "m", 2, 6);
	expect_times(&r, "y1", 2, 6);
	expect_times(&r, "y2", 2, 6);
	expect_cause(&r, "y1", AN_CAUSE_LAYER, "m", 1);
	assert_false(failed(&r, "x1"));
	run_close(&r);

	/* x3 instead: {x4, m, y1, y2} (4) beats {x1, x2} (2) */
	run_once(&r, nosource(), "{\"events\": [{\"node\": \"x3\", \"duration_hours\": 1}]}");
	expect_times(&r, "x1", 0, 2);
	expect_times(&r, "x2", 0, 2);
	assert_false(failed(&r, "y2"));
	run_close(&r);
}

/* A node cut off from the start is down from time 0. */
static void test_layer_baseline(void **state)
{
	struct an_builder *b = an_builder_new();
	struct run r;

	(void)state;
	node(b, "src", "electricity", "power/01", 1, 0);
	node(b, "lone", "electricity", "power/01", 0, 0);
	node(b, "x", "electricity", NULL, 0, 0);
	run_once(&r, finish(b), "{\"events\": [{\"node\": \"x\", \"duration_hours\": 1}]}");
	expect_times(&r, "lone", 0, INFINITY);
	expect_cause(&r, "lone", AN_CAUSE_LAYER, NULL, 0);
	run_close(&r);
}

/* ---- recovery and the propagation tree ----------------------------------- */

static void test_recovery_unwinds(void **state)
{
	struct an_builder *b = an_builder_new();
	struct run r;

	(void)state;
	/* power layer src - sub; sub feeds H (buffer 2) which feeds L (buffer 0) */
	node(b, "src", "electricity", "power/13", 1, 0);
	node(b, "sub", "electricity", "power/13", 0, 3);
	node(b, "H", "medical", NULL, 0, 1);
	node(b, "L", "logistics", NULL, 0, 2);
	link2(b, "src", "sub");
	dep(b, "sub", "H", 2, NULL, 1);
	dep(b, "H", "L", 0, NULL, 1);
	run_once(&r, finish(b),
		 "{\"horizon_hours\": 100, \"events\": [{\"name\": \"outage\", \"node\": \"src\","
		 " \"start_hours\": 10, \"duration_hours\": 10}]}");
	/* src 10..20 (repair 0); sub cut off 10, back 23; H fails 12, back 24; L 12..26 */
	expect_times(&r, "src", 10, 20);
	expect_times(&r, "sub", 10, 23);
	expect_times(&r, "H", 12, 24);
	expect_times(&r, "L", 12, 26);
	expect_cause(&r, "src", AN_CAUSE_EVENT, NULL, 0);
	expect_cause(&r, "sub", AN_CAUSE_LAYER, "src", 1);
	expect_cause(&r, "H", AN_CAUSE_SUPPLIER, "sub", 2);
	expect_cause(&r, "L", AN_CAUSE_SUPPLIER, "H", 3);
	/* failures in order of first failure */
	assert_int_equal(r.t.n_failed, 4);
	assert_int_equal(r.t.failed[0], id_of(&r, "src"));
	assert_int_equal(r.t.failed[3], id_of(&r, "L"));
	/* first impact per sector */
	{
		uint32_t med = r.m->sector[id_of(&r, "H")], el = r.m->sector[id_of(&r, "src")];

		assert_true(r.t.sector_first_impact[med] == 12);
		assert_true(r.t.sector_first_impact[el] == 10);
	}
	/* the timeline: all back at the end */
	assert_true(r.t.value[(r.t.n_samples - 1) * r.t.n_series] == 1.0);
	assert_true(r.t.t[r.t.n_samples - 1] == 100);
	run_close(&r);
}

/* A repair beyond the horizon: still down at the end. */
static void test_horizon(void **state)
{
	struct run r;

	(void)state;
	run_once(&r, pair(0), "{\"horizon_hours\": 12, \"events\": [{\"node\": \"S\", "
			      "\"start_hours\": 1, \"duration_hours\": 10.5}]}");
	expect_times(&r, "S", 1, 11.5);
	expect_times(&r, "D", 1, INFINITY); /* back at 13.5: after the end */
	assert_true(fabs(r.t.down_hours[id_of(&r, "D")] - 11) < 1e-9);
	run_close(&r);

	run_once(&r, pair(0), "{\"horizon_hours\": 12, \"events\": [{\"node\": \"S\", "
			      "\"start_hours\": 1}]}"); /* until the end */
	expect_times(&r, "S", 1, INFINITY);
	run_close(&r);
}

/* ---- the timeline ------------------------------------------------------- */

static void test_timeline(void **state)
{
	struct an_builder *b = an_builder_new();
	struct an_node_spec n = { .id = "big", .sector = "water", .weight = 3, .repair_hours = 0 };
	struct run r;
	uint32_t i;

	(void)state;
	node(b, "S", "electricity", NULL, 0, 0);
	assert_int_equal(an_builder_add_node(b, &n, &i, NULL), 0);
	dep(b, "S", "big", 4, NULL, 1);
	run_once(&r, finish(b), "{\"horizon_hours\": 10, \"events\": [{\"node\": \"S\", "
				"\"start_hours\": 1, \"duration_hours\": 5}]}");
	/* samples: 0 (all up), 1 (S down: 3/4 of the weight up), 5 (big down: 0),
	 * 6 (both back), 10 (the end) */
	{
		const double t[] = { 0, 1, 5, 6, 10 }, v[] = { 1, 0.75, 0, 1, 1 };
		uint32_t water = r.m->sector[id_of(&r, "big")];

		assert_int_equal(r.t.n_samples, 5);
		for (int k = 0; k < 5; k++) {
			assert_true(r.t.t[k] == t[k]);
			assert_true(fabs(r.t.value[k * r.t.n_series] - v[k]) < 1e-12);
		}
		/* series 1 + sector: water is down at 5 only */
		assert_true(r.t.value[2 * r.t.n_series + 1 + water] == 0);
		assert_true(r.t.value[1 * r.t.n_series + 1 + water] == 1);
	}
	run_close(&r);

	/* at most 3 points: the grid 0, 5, 10 with the state at those times */
	b = an_builder_new();
	node(b, "S", "electricity", NULL, 0, 0);
	assert_int_equal(an_builder_add_node(b, &n, &i, NULL), 0);
	dep(b, "S", "big", 4, NULL, 1);
	run_open(&r, finish(b), "{\"horizon_hours\": 10, \"events\": [{\"node\": \"S\", "
				"\"start_hours\": 1, \"duration_hours\": 5}]}", 3);
	run_trial(&r, 1, 0);
	assert_int_equal(r.t.n_samples, 3);
	assert_true(r.t.t[1] == 5 && r.t.t[2] == 10);
	assert_true(r.t.value[0] == 1);
	assert_true(r.t.value[r.t.n_series] == 0);
	assert_true(r.t.value[2 * r.t.n_series] == 1);
	run_close(&r);
}

/* ---- incremental layers against whole recomputation ----------------------- */

/* 3 layers of 60 nodes, power/01 and power/02 with 2 sources each,
 * telecom/03 without (or with, if third_sourced), 90 random links each. */
static void random_layers(struct an_builder *b, struct an_rng *r, int third_sourced)
{
	char id[32], id2[32], layer[32];

	for (int l = 0; l < 3; l++) {
		snprintf(layer, sizeof(layer), "%s/%02d", l == 2 ? "telecom" : "power", l + 1);
		for (int i = 0; i < 60; i++) {
			snprintf(id, sizeof(id), "L%d-%d", l, i);
			node(b, id, "electricity", layer, (l < 2 || third_sourced) && i < 2,
			     an_rng_below(r, 4));
		}
		for (int k = 0; k < 90; k++) {
			uint32_t i = an_rng_below(r, 60), j = an_rng_below(r, 60);

			if (i == j)
				continue;
			snprintf(id, sizeof(id), "L%d-%u", l, i);
			snprintf(id2, sizeof(id2), "L%d-%u", l, j);
			link2(b, id, id2);
		}
	}
}

/* A random model: random_layers, 40 facilities depending on layer nodes and
 * on each other. */
static struct an_model *random_model(uint64_t seed)
{
	struct an_builder *b = an_builder_new();
	struct an_rng r;
	char id[32], id2[32];

	an_rng_init(&r, seed, 0);
	random_layers(b, &r, 0);
	for (int i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "F%d", i);
		node(b, id, i % 2 ? "medical" : "finance", NULL, 0, an_rng_below(&r, 3));
	}
	for (int i = 0; i < 40; i++) {
		snprintf(id2, sizeof(id2), "F%d", i);
		uint32_t l0 = an_rng_below(&r, 3), at = an_rng_below(&r, 60);

		for (uint32_t k = 0; k < 3; k++) { /* three distinct suppliers, 2 needed */
			snprintf(id, sizeof(id), "L%u-%u", (l0 + k) % 3, at);
			dep(b, id, id2, an_rng_below(&r, 3), "grid", 2);
		}
		/* facilities feed layer nodes too (mutual dependence) */
		snprintf(id, sizeof(id), "L%u-%u", an_rng_below(&r, 3), 2 + an_rng_below(&r, 58));
		dep(b, id2, id, an_rng_below(&r, 2), NULL, 1);
	}
	return finish(b);
}

static const char *random_scenario =
	"{\"horizon_hours\": 60, \"events\": ["
	" {\"layer\": \"power/01\", \"fraction\": 0.2, \"start_hours\": 1, \"duration_hours\": 5},"
	" {\"layer\": \"power/02\", \"fraction\": 0.15, \"start_hours\": 3, \"duration_hours\": 2},"
	" {\"layer\": \"telecom/03\", \"fraction\": 0.25, \"start_hours\": 2, \"duration_hours\": 7},"
	" {\"sector\": \"medical\", \"fraction\": 0.2, \"start_hours\": 4, \"duration_hours\": 1}],"
	" \"random\": {\"buffer\": {\"dist\": \"uniform\", \"lo\": 0.5, \"hi\": 1.5},"
	"  \"repair\": {\"dist\": \"lognormal\", \"sigma\": 0.4}}}";

static void expect_same(const struct an_trial *a, const struct an_trial *b, uint32_t n)
{
	assert_int_equal(a->n_failed, b->n_failed);
	assert_int_equal(a->n_samples, b->n_samples);
	for (uint32_t v = 0; v < n; v++) {
		int fa = 0, fb = 0;

		for (uint32_t i = 0; i < a->n_failed; i++) {
			fa |= a->failed[i] == v;
			fb |= b->failed[i] == v;
		}
		assert_int_equal(fa, fb);
		if (!fa)
			continue;
		assert_true(a->first_failure[v] == b->first_failure[v]);
		assert_true(a->last_recovery[v] == b->last_recovery[v]);
		assert_true(a->down_hours[v] == b->down_hours[v]);
	}
	assert_memory_equal(a->t, b->t, a->n_samples * sizeof(double));
	assert_memory_equal(a->value, b->value, a->n_samples * a->n_series * sizeof(double));
}

/* The copies a layer reads of each node (lok: its connected state and
 * class) agree with the node's state, and every node in a layer's tree hangs
 * from a linked node in the tree (or is a source). */
static void expect_copies(const struct an_ws *w, const struct an_model *m)
{
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		assert_int_equal(w->lok[v] & 3, w->ns[v].ok);
		if (m->layer[v] < 0)
			continue;
		assert_int_equal(w->lok[v] >> 2, sim_class(w, v));
		if (w->ns[v].ok == OK_TREE && w->s->layer_has_source[m->layer[v]] &&
		    !m->source[v]) {
			uint32_t p = w->parent[v];
			int linked = 0;

			for (uint64_t k = m->link_start[v]; k < m->link_start[v + 1]; k++)
				linked |= m->link_to[k] == p;
			assert_true(linked);
			assert_int_equal(w->ns[p].ok, OK_TREE);
		}
	}
}

static void test_incremental_vs_whole(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 12; seed++) {
		struct run inc, full;

		run_open(&inc, random_model(seed), random_scenario, AN_TIMELINE_MAX_POINTS);
		run_open(&full, random_model(seed), random_scenario, AN_TIMELINE_MAX_POINTS);
		full.w->full_always = 1;
		for (uint64_t t = 0; t < 4; t++) {
			run_trial(&inc, seed, t);
			run_trial(&full, seed, t);
			assert_true(inc.t.n_failed > 0);
			expect_same(&inc.t, &full.t, inc.m->n_nodes);
			expect_copies(inc.w, inc.m);
			expect_copies(full.w, full.m);
		}
		run_close(&inc);
		run_close(&full);
	}
}

/* A workspace reused: a trial gives the same result whatever ran before. */
static void test_reuse(void **state)
{
	struct run a, fresh;
	struct an_trial keep;
	double first[400], value[8192];
	uint32_t n_failed;
	size_t n_samples;

	(void)state;
	run_open(&a, random_model(7), random_scenario, AN_TIMELINE_MAX_POINTS);
	run_open(&fresh, random_model(7), random_scenario, AN_TIMELINE_MAX_POINTS);
	run_trial(&a, 3, 5);
	n_failed = a.t.n_failed;
	n_samples = a.t.n_samples;
	assert_true(a.m->n_nodes <= 400 && n_samples * a.t.n_series <= 8192);
	memcpy(first, a.t.first_failure, a.m->n_nodes * sizeof(double));
	memcpy(value, a.t.value, n_samples * a.t.n_series * sizeof(double));
	for (uint64_t t = 0; t < 6; t++)
		run_trial(&a, 3, t); /* others in between, 5 last again */
	assert_int_equal(a.t.n_failed, n_failed);
	assert_int_equal(a.t.n_samples, n_samples);
	assert_memory_equal(a.t.value, value, n_samples * a.t.n_series * sizeof(double));
	for (uint32_t i = 0; i < n_failed; i++)
		assert_true(a.t.first_failure[a.t.failed[i]] == first[a.t.failed[i]]);
	run_trial(&fresh, 3, 5);
	keep = a.t;
	expect_same(&keep, &fresh.t, a.m->n_nodes);
	/* another trial differs (random shares and factors) */
	run_trial(&fresh, 3, 4);
	assert_true(fresh.t.n_failed != n_failed || fresh.t.n_samples != n_samples ||
		    memcmp(fresh.t.value, value, n_samples * fresh.t.n_series * sizeof(double)));
	run_close(&a);
	run_close(&fresh);
}

/* A summary workspace (Monte Carlo's) gives the same failures and timeline
 * as a detailed one, without the per-node arrays. */
static void test_summary(void **state)
{
	struct run d;
	struct an_timeline_opts o = { .exact = 0, .max_points = 50, .layers = 1, .summary = 1 };
	struct an_timeline_opts od = { .exact = 0, .max_points = 50, .layers = 1 };
	struct an_ws *ws, *wd;
	struct an_trial ts, td;

	(void)state;
	run_open(&d, random_model(11), random_scenario, AN_TIMELINE_MAX_POINTS);
	assert_int_equal(an_ws_new(d.s, &o, &ws, NULL), 0);
	assert_int_equal(an_ws_new(d.s, &od, &wd, NULL), 0);
	for (uint64_t t = 0; t < 20; t++) {
		assert_int_equal(an_sim_trial(ws, d.sc, 9, t, NULL), 0);
		assert_int_equal(an_sim_trial(wd, d.sc, 9, t, NULL), 0);
		an_ws_trial(ws, &ts);
		an_ws_trial(wd, &td);
		assert_null(ts.first_failure);
		assert_null(ts.cause);
		assert_non_null(td.first_failure);
		assert_int_equal(ts.n_failed, td.n_failed);
		assert_memory_equal(ts.failed, td.failed, ts.n_failed * sizeof(uint32_t));
		assert_int_equal(ts.n_samples, td.n_samples);
		assert_memory_equal(ts.value, td.value, ts.n_samples * ts.n_series * sizeof(double));
		assert_memory_equal(ts.sector_first_impact, td.sector_first_impact,
				    d.m->sectors.n * sizeof(double));
	}
	an_ws_free(ws);
	an_ws_free(wd);
	run_close(&d);
}

/* ---- leaves worked out after the trial ----------------------------------- */

/* random_layers (the third without sources unless `sourced`), 40
 * facilities, and 80 leaves of random weights (not whole numbers) in
 * three sectors, each depending on layer nodes and facilities in groups of k
 * of n with buffers of 0 to 4.5 hours (or, with `tiny`, some too short to
 * move a time) and repairs of 0 to 3 hours, and on one of 20 services (T)
 * that depend on layer nodes and on one of 6 systems (U): nodes of levels 1
 * and 2, which feed only leaves. */
static struct an_model *leaf_model(uint64_t seed, int sourced, int tiny)
{
	static const char *const sectors[] = { "finance", "medical", "water" };
	static const double buffers[] = { 0, 0.5, 2, 4.5 }, repairs[] = { 0, 0.5, 1.7, 3 };
	struct an_builder *b = an_builder_new();
	struct an_rng r;
	char id[32], id2[32];

	an_rng_init(&r, seed, 1);
	random_layers(b, &r, sourced);
	for (int i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "F%d", i);
		node(b, id, "telecom", NULL, 0, an_rng_below(&r, 3));
	}
	for (int i = 0; i < 40; i++) {
		snprintf(id2, sizeof(id2), "F%d", i);
		snprintf(id, sizeof(id), "L%u-%u", an_rng_below(&r, 3), an_rng_below(&r, 60));
		dep(b, id, id2, an_rng_below(&r, 3), NULL, 1);
		snprintf(id, sizeof(id), "L%u-%u", an_rng_below(&r, 3), 2 + an_rng_below(&r, 58));
		dep(b, id2, id, an_rng_below(&r, 2), NULL, 1);
	}
	for (int i = 0; i < 6; i++) {
		snprintf(id2, sizeof(id2), "U%d", i);
		node(b, id2, sectors[an_rng_below(&r, 3)], NULL, 0, repairs[an_rng_below(&r, 4)]);
		snprintf(id, sizeof(id), "L%u-%u", an_rng_below(&r, 2), an_rng_below(&r, 60));
		dep(b, id, id2, buffers[an_rng_below(&r, 4)], NULL, 1);
	}
	for (int i = 0; i < 20; i++) {
		snprintf(id2, sizeof(id2), "T%d", i);
		node(b, id2, sectors[an_rng_below(&r, 3)], NULL, 0, repairs[an_rng_below(&r, 4)]);
		for (uint32_t j = 0, at = an_rng_below(&r, 59); j < 2; j++) {
			snprintf(id, sizeof(id), "L%u-%u", j, at + j);
			dep(b, id, id2, buffers[an_rng_below(&r, 4)], "power", 1);
		}
		snprintf(id, sizeof(id), "U%u", an_rng_below(&r, 6));
		dep(b, id, id2, buffers[an_rng_below(&r, 4)], NULL, 1);
	}
	for (int i = 0; i < 80; i++) {
		struct an_node_spec n = { .id = id2, .sector = sectors[an_rng_below(&r, 3)],
					  .weight = 0.1 + 100 * an_rng_unit(&r),
					  .repair_hours = repairs[an_rng_below(&r, 4)] };
		uint32_t at = an_rng_below(&r, 60), k = 2 + an_rng_below(&r, 2);

		snprintf(id2, sizeof(id2), "P%d", i);
		assert_int_equal(an_builder_add_node(b, &n, &at, NULL), 0);
		at = an_rng_below(&r, 58);
		for (uint32_t j = 0; j < k; j++) { /* power: 1 of k */
			snprintf(id, sizeof(id), "L%u-%u", j % 2, at + j);
			dep(b, id, id2, buffers[an_rng_below(&r, 4)], "power", 1);
		}
		at = an_rng_below(&r, 59);
		for (uint32_t j = 0; j < 3; j++) { /* telecom: 2 of 3 */
			if (j == 2)
				snprintf(id, sizeof(id), "F%u", an_rng_below(&r, 40));
			else
				snprintf(id, sizeof(id), "L2-%u", at + j);
			dep(b, id, id2, tiny && j == 0 ? 1e-300 : buffers[an_rng_below(&r, 4)],
			    "telecom", 2);
		}
		snprintf(id, sizeof(id), "F%u", an_rng_below(&r, 40));
		dep(b, id, id2, buffers[an_rng_below(&r, 4)], NULL, 1);
		snprintf(id, sizeof(id), "T%u", an_rng_below(&r, 20));
		dep(b, id, id2, buffers[an_rng_below(&r, 4)], NULL, 1);
	}
	return finish(b);
}

static const char *leaf_scenarios[] = {
	"{\"horizon_hours\": 40, \"events\": ["
	" {\"layer\": \"power/01\", \"fraction\": 0.3, \"start_hours\": 1, \"duration_hours\": 5},"
	" {\"layer\": \"power/02\", \"fraction\": 0.2, \"start_hours\": 1, \"duration_hours\": 5},"
	" {\"layer\": \"telecom/03\", \"fraction\": 0.25, \"start_hours\": 2, \"duration_hours\": 7},"
	" {\"sector\": \"medical\", \"fraction\": 0.3, \"start_hours\": 4, \"duration_hours\": 1}],"
	" \"random\": {\"buffer\": {\"dist\": \"uniform\", \"lo\": 0.5, \"hi\": 1.5},"
	"  \"repair\": {\"dist\": \"lognormal\", \"sigma\": 0.4}}}",
	/* no random factors: many things happen at one time */
	"{\"horizon_hours\": 30, \"events\": ["
	" {\"layer\": \"power/01\", \"fraction\": 0.4, \"start_hours\": 0, \"duration_hours\": 6},"
	" {\"layer\": \"power/02\", \"fraction\": 0.4, \"start_hours\": 0, \"duration_hours\": 6},"
	" {\"layer\": \"telecom/03\", \"fraction\": 0.3, \"start_hours\": 3, \"duration_hours\": 3}]}",
	/* a short run: many returns fall after its end */
	"{\"horizon_hours\": 7, \"events\": ["
	" {\"layer\": \"power/01\", \"fraction\": 0.5, \"start_hours\": 1, \"duration_hours\": 5},"
	" {\"layer\": \"telecom/03\", \"fraction\": 0.3, \"start_hours\": 2, \"duration_hours\": 4}],"
	" \"random\": {\"buffer\": {\"dist\": \"uniform\", \"lo\": 0.5, \"hi\": 1.5},"
	"  \"repair\": {\"dist\": \"exponential\"}}}",
};

/* The same summary, whatever the order of the failed nodes. */
static void expect_same_summary(const struct an_trial *a, const struct an_trial *b,
				uint32_t n_nodes, uint32_t n_sectors)
{
	uint8_t *in = calloc(n_nodes, 1);

	assert_non_null(in);
	assert_int_equal(a->n_failed, b->n_failed);
	for (uint32_t i = 0; i < a->n_failed; i++)
		in[a->failed[i]] = 1;
	for (uint32_t i = 0; i < b->n_failed; i++)
		assert_true(in[b->failed[i]]);
	free(in);
	assert_memory_equal(a->sector_first_impact, b->sector_first_impact,
			    n_sectors * sizeof(double));
	assert_int_equal(a->n_samples, b->n_samples);
	assert_memory_equal(a->t, b->t, a->n_samples * sizeof(double));
	assert_memory_equal(a->value, b->value, a->n_samples * a->n_series * sizeof(double));
}

/* Runs scenario k on leaf_model(seed, sourced, tiny) with the leaves worked
 * out after each trial and the ordinary way: the same outcome, trial by
 * trial. Returns the trials run again the ordinary way; *ret_leaves: the
 * leaves worked out. */
static uint64_t leaf_quick_total; /* leaves worked out at once, without their events */

static uint64_t leaves_against_ordinary(uint64_t seed, int sourced, int tiny, int k,
					uint64_t *ret_leaves)
{
	struct an_timeline_opts o = { .max_points = 61, .layers = 1, .summary = 1 };
	struct an_timeline_opts fo = o;
	struct run r;
	struct an_ws *fast, *plain, *evented;
	struct an_trial a, b, c;
	uint64_t redone;

	fo.leaves = 1;
	run_open(&r, leaf_model(seed, sourced, tiny), leaf_scenarios[k], 100);
	assert_int_equal(an_ws_new(r.s, &fo, &fast, NULL), 0);
	assert_int_equal(an_ws_new(r.s, &o, &plain, NULL), 0);
	assert_int_equal(an_ws_new(r.s, &fo, &evented, NULL), 0);
	evented->leaf_events_only = 1;
	assert_int_equal(r.s->max_level, 2);
	for (uint64_t t = 0; t < 25; t++) {
		assert_int_equal(an_sim_trial(fast, r.sc, seed, t, NULL), 0);
		assert_int_equal(an_sim_trial(plain, r.sc, seed, t, NULL), 0);
		assert_int_equal(an_sim_trial(evented, r.sc, seed, t, NULL), 0);
		an_ws_trial(fast, &a);
		an_ws_trial(plain, &b);
		an_ws_trial(evented, &c);
		assert_true(b.n_failed > 0);
		expect_same_summary(&a, &b, r.m->n_nodes, r.m->sectors.n);
		/* leaves worked out at once: the same as by their events, to the
		 * events counted */
		expect_same_summary(&a, &c, r.m->n_nodes, r.m->sectors.n);
		assert_int_equal(a.n_events, c.n_events);
		/* the events handled: the same, but for buffers that the
		 * ordinary way restarts and calls off at one instant (a leaf
		 * without repair time back before its supplier, at one time) */
		assert_true(a.n_events <= b.n_events && a.n_events * 50 >= b.n_events * 49);
	}
	/* nodes of levels 1 and 2 were worked out too (scenario 0 hits the
	 * medical sector: those it hits, and what feeds them, were not) */
	for (uint32_t v = 0, above[3] = { 0 }; v < r.m->n_nodes; v++) {
		if (r.s->level[v] != SIM_NO_LEVEL && (fast->fast[v >> 6] >> (v & 63) & 1))
			above[r.s->level[v]]++;
		if (v + 1 == r.m->n_nodes)
			assert_true(above[0] > 40 && (k == 0 || (above[1] >= 15 && above[2] >= 4)));
	}
	assert_int_equal(plain->n_leaf_done, 0);
	assert_int_equal(evented->n_leaf_quick, 0);
	assert_int_equal(evented->n_leaf_done, fast->n_leaf_done);
	*ret_leaves = fast->n_leaf_done;
	assert_true(fast->n_leaf_quick <= fast->n_leaf_done);
	leaf_quick_total += fast->n_leaf_quick;
	redone = fast->n_redone;
	an_ws_free(fast);
	an_ws_free(plain);
	an_ws_free(evented);
	run_close(&r);
	return redone;
}

static void test_leaves(void **state)
{
	uint64_t leaves, all = 0;

	(void)state;
	/* layers with sources: nothing fails in the returns, nothing runs again */
	for (uint64_t seed = 1; seed <= 8; seed++)
		for (int k = 0; k < 3; k++) {
			assert_int_equal(leaves_against_ordinary(seed, 1, 0, k, &leaves), 0);
			assert_true(leaves > 0);
			all += leaves;
		}
	/* both ways of working out a leaf were taken, each many times: at once,
	 * and by its events (a supplier down twice, a group of 2 of 3 that
	 * loses all three, a buffer kept past the leaf's return) */
	assert_true(all > 1000);
	assert_true(leaf_quick_total > all / 4 && leaf_quick_total < all - all / 10);
	/* a layer without sources: a supplier may fail in the returns, and a
	 * buffer too short to move a time makes a second batch at one time: such
	 * trials run again the ordinary way, and the outcome is the same */
	/* a layer without sources */
	for (uint64_t seed = 1; seed <= 4; seed++)
		leaves_against_ordinary(seed, 0, 0, (int)(seed % 2), &leaves);
	/* a buffer too short to move a time makes a second batch at one time:
	 * such trials run again the ordinary way, with the same outcome */
	for (uint64_t seed = 1; seed <= 4; seed++)
		assert_int_equal(leaves_against_ordinary(seed, 1, 1, (int)(seed % 2), &leaves), 25);
}

/* Out of memory anywhere on the way (making the shared part, the workspace,
 * the leaves' sets and scratch, the log, the queue): CEP_ENOMEM, and a
 * workspace that failed half-way through a trial gives the right outcome in
 * the next ones, with leaves worked out after the trial (leaves = 1) or not. */
static void nomem(int leaves)
{
	struct an_timeline_opts fo = { .max_points = 61, .layers = 1, .summary = 1, .leaves = leaves };
	struct run r;
	struct an_ws *ref;
	struct an_trial want, got;
	int done = 0;

	run_open(&r, leaf_model(3, 1, 0), leaf_scenarios[0], 100);
	assert_int_equal(an_ws_new(r.s, &fo, &ref, NULL), 0);
	assert_int_equal(an_sim_trial(ref, r.sc, 3, 5, NULL), 0);
	an_ws_trial(ref, &want);
	for (long n = 0; !done; n++) {
		struct an_sim *s = NULL;
		struct an_ws *w = NULL;
		int rc;

		cep_alloc_fail_after(n);
		rc = an_sim_new(r.m, &s, NULL);
		if (!rc)
			rc = an_ws_new(s, &fo, &w, NULL);
		if (!rc)
			rc = an_sim_trial(w, r.sc, 3, 5, NULL);
		cep_alloc_fail_after(-1);
		if (rc) {
			assert_int_equal(rc, CEP_ENOMEM);
		} else {
			done = 1;
		}
		if (w) {
			assert_int_equal(an_sim_trial(w, r.sc, 3, 4, NULL), 0);
			assert_int_equal(an_sim_trial(w, r.sc, 3, 5, NULL), 0);
			an_ws_trial(w, &got);
			expect_same_summary(&got, &want, r.m->n_nodes, r.m->sectors.n);
			assert_int_equal(got.n_events, want.n_events);
		}
		an_ws_free(w);
		an_sim_free(s);
	}
	an_ws_free(ref);
	run_close(&r);
}

static void test_leaves_nomem(void **state)
{
	(void)state;
	nomem(1);
	nomem(0);
}

/* A supplier of a leaf cut off during the returns of a batch: the trial runs
 * again the ordinary way. A layer without sources: c1 (3 nodes) is cut off
 * from the start by the chain c2-y-c3 (5); y depends on s. s down at 1: y
 * splits the chain, c1 is the largest, back at 1.5; s back at 4 (in the
 * returns): y (under repair) joins the chain again, and c1 is cut off then. */
static void test_leaves_returns(void **state)
{
	struct an_builder *b = an_builder_new();
	struct an_timeline_opts o = { .max_points = 41, .summary = 1 }, fo = o;
	static const char *const mesh[] = { "c1a", "c1b", "c1c", "c2a", "c2b", "y", "c3a", "c3b" };
	struct an_trial a, t;
	struct an_ws *fast, *plain;
	struct run r;

	(void)state;
	for (int i = 0; i < 8; i++)
		node(b, mesh[i], "telecom", "mesh", 0, 0.5);
	link2(b, "c1a", "c1b");
	link2(b, "c1b", "c1c");
	link2(b, "c2a", "c2b");
	link2(b, "c2b", "y");
	link2(b, "y", "c3a");
	link2(b, "c3a", "c3b");
	node(b, "s", "electricity", NULL, 0, 1);
	node(b, "p", "medical", NULL, 0, 0.25);
	dep(b, "s", "y", 0, NULL, 1);
	dep(b, "c1a", "p", 0, NULL, 1);
	run_open(&r, finish(b), "{\"horizon_hours\": 10, \"events\": [{\"node\": \"s\", "
				 "\"start_hours\": 1, \"duration_hours\": 2}]}", 100);
	fo.leaves = 1;
	assert_int_equal(an_ws_new(r.s, &fo, &fast, NULL), 0);
	assert_int_equal(an_ws_new(r.s, &o, &plain, NULL), 0);
	assert_int_equal(an_sim_trial(fast, r.sc, 1, 0, NULL), 0);
	assert_int_equal(an_sim_trial(plain, r.sc, 1, 0, NULL), 0);
	an_ws_trial(fast, &a);
	an_ws_trial(plain, &t);
	assert_int_equal(fast->n_redone, 1);
	expect_same_summary(&a, &t, r.m->n_nodes, r.m->sectors.n);
	/* the ordinary way: p down from 0 to 1.75 and from 4 on (grid step 0.25) */
	run_trial(&r, 1, 0);
	expect_times(&r, "p", 0, INFINITY);
	assert_true(r.t.down_hours[id_of(&r, "p")] == 1.75 + 6);
	an_ws_free(fast);
	an_ws_free(plain);
	run_close(&r);
}

/* ---- the event queue ---------------------------------------------------- */

/* Events come out in time order, all those of one time together, with
 * sq_peek showing what comes next; pushes go to later slots, to the current
 * slot (the heap beside the sorted run) and to the very end of the run. */
static void test_queue(void **state)
{
	struct sim_queue q;
	struct an_rng r;
	double last = -1;
	uint64_t pushed = 0, taken = 0;

	(void)state;
	assert_int_equal(sq_init(&q), 0);
	for (int round = 0; round < 3; round++) {
		double horizon = round == 2 ? 1e-3 : 100;

		sq_clear(&q, horizon);
		an_rng_init(&r, 42, (uint64_t)round);
		last = -1;
		for (uint32_t i = 0; i < 2000; i++) {
			/* a few equal times, many close ones, some at the horizon */
			double t = i % 7 == 0 ? 5.0 : i % 11 == 0 ? horizon : an_rng_unit(&r) * horizon;
			struct ev e = { t, (uint32_t)EV_RECOVER << 30 | i, i, 0, 0 };

			assert_int_equal(sq_push(&q, &e), 0);
			pushed++;
		}
		while (q.n) {
			double t;
			struct ev *batch;
			uint32_t n;
			const struct ev *next;

			assert_int_equal(sq_front(&q, &t), 0);
			assert_true(t >= last);
			last = t;
			next = sq_peek(&q, 0);
			if (next)
				assert_true(next->t >= t);
			assert_int_equal(sq_take(&q, t, &batch, &n), 0);
			assert_true(n >= 1);
			taken += n;
			for (uint32_t k = 0; k < n; k++)
				assert_true(batch[k].t == t);
			/* nothing left at t */
			if (q.n) {
				double u;

				assert_int_equal(sq_front(&q, &u), 0);
				assert_true(u > t);
			}
			/* new events, no earlier than now: some at now exactly */
			if (an_rng_unit(&r) < 0.3 && t < horizon) {
				double u = an_rng_unit(&r) < 0.2 ? t : t + (horizon - t) * an_rng_unit(&r);
				struct ev e = { u, (uint32_t)EV_RECOVER << 30, 0, 0, 0 };

				assert_int_equal(sq_push(&q, &e), 0);
				pushed++;
			}
		}
		assert_true(taken == pushed);
	}
	sq_free(&q);
}

/* ---- fraction events ---------------------------------------------------- */

static void test_fraction(void **state)
{
	struct an_builder *b = an_builder_new();
	char id[16];
	struct run r;
	int differs = 0;
	uint32_t prev[4] = { 0 };

	(void)state;
	for (int i = 0; i < 10; i++) {
		snprintf(id, sizeof(id), "n%d", i);
		node(b, id, "gas", NULL, 0, 0);
	}
	run_open(&r, finish(b), "{\"events\": [{\"sector\": \"gas\", \"fraction\": 0.5}]}",
		 AN_TIMELINE_MAX_POINTS);
	for (uint64_t t = 0; t < 4; t++) {
		run_trial(&r, 9, t);
		assert_int_equal(r.t.n_failed, 5); /* exactly half */
		prev[t] = 0;
		for (uint32_t i = 0; i < 5; i++)
			prev[t] |= 1u << r.t.failed[i];
		if (t && prev[t] != prev[0])
			differs = 1;
	}
	assert_true(differs);
	run_trial(&r, 9, 2);
	{
		uint32_t again = 0;

		for (uint32_t i = 0; i < 5; i++)
			again |= 1u << r.t.failed[i];
		assert_int_equal(again, prev[2]);
	}
	run_close(&r);
}

/* ---- cancellation ------------------------------------------------------- */

static void test_cancel(void **state)
{
	struct an_builder *b = an_builder_new();
	char id[16], prev[16];
	atomic_int stop = 1;
	struct an_progress p = { .cancel = &stop };
	struct run r;

	(void)state;
	/* a chain of 3000 with 1 h buffers: 3000 distinct event times */
	for (int i = 0; i < 3000; i++) {
		snprintf(id, sizeof(id), "n%d", i);
		node(b, id, "gas", NULL, 0, 0);
		if (i)
			dep(b, prev, id, 1, NULL, 1);
		memcpy(prev, id, sizeof(id));
	}
	run_open(&r, finish(b), "{\"horizon_hours\": 5000, \"events\": [{\"node\": \"n0\"}]}",
		 AN_TIMELINE_MAX_POINTS);
	assert_int_equal(an_sim_trial(r.w, r.sc, 1, 0, &p), CEP_EBUSY);
	stop = 0;
	assert_int_equal(an_sim_trial(r.w, r.sc, 1, 0, &p), 0);
	an_ws_trial(r.w, &r.t);
	assert_int_equal(r.t.n_failed, 3000);
	expect_times(&r, "n2999", 2999, INFINITY);
	assert_int_equal(r.t.n_samples, 3001); /* 0, each of 2999 later failures, the end */
	run_close(&r);
}

/* ---- scenarios ---------------------------------------------------------- */

static struct an_model *layered(void)
{
	struct an_builder *b = an_builder_new();

	node(b, "p1", "electricity", "power/13", 1, 0);
	{
		struct an_node_spec n = { .id = "p2", .sector = "electricity", .region = "14",
					  .layer = "power/14", .source = 1, .weight = 1 };
		uint32_t i;

		assert_int_equal(an_builder_add_node(b, &n, &i, NULL), 0);
	}
	node(b, "t1", "info-comm", "comms/13", 1, 0);
	{
		struct an_node_spec n = { .id = "bank", .sector = "finance", .region = "13",
					  .weight = 1 };
		uint32_t i;

		assert_int_equal(an_builder_add_node(b, &n, &i, NULL), 0);
	}
	return finish(b);
}

static void expect_bad_scenario(const struct an_model *m, const char *text, int code,
				const char *field, const char *words)
{
	struct an_scenario *s = NULL;
	struct cep_error err;

	cep_error_init(&err);
	assert_int_equal(an_scenario_parse(m, text, strlen(text), &s, &err), code);
	assert_null(s);
	if (strcmp(err.field, field) != 0 || !strstr(err.message, words))
		fail_msg("%s: got field '%s', message '%s'", text, err.field, err.message);
}

static void test_scenario_errors(void **state)
{
	struct an_model *m = layered();

	(void)state;
	expect_bad_scenario(m, "{\"events\": [{\"node\": \"p1\"}], \"extra\": 1}", CEP_EINVAL,
			    "extra", "unknown");
	expect_bad_scenario(m, "{\"events\": []}", CEP_EINVAL, "events", "non-empty");
	expect_bad_scenario(m, "{\"events\": [{\"node\": \"nope\"}]}", CEP_EINVAL,
			    "events[0].node", "no node nope");
	expect_bad_scenario(m, "{\"events\": [{\"node\": \"p1\"}, {\"layer\": \"power/99\"}]}",
			    CEP_EINVAL, "events[1].layer", "no layer power/99");
	expect_bad_scenario(m, "{\"events\": [{\"sector\": \"finance\", \"region\": \"14\"}]}",
			    CEP_EINVAL, "events[0]", "selects no node");
	expect_bad_scenario(m, "{\"events\": [{\"node\": \"p1\", \"fraction\": 1.5}]}",
			    CEP_EINVAL, "events[0].fraction", "from 0 to 1");
	expect_bad_scenario(m, "{\"events\": [{\"node\": \"p1\", \"fraction\": 0}]}",
			    CEP_EINVAL, "events[0].fraction", "more than 0");
	expect_bad_scenario(m, "{\"events\": [{\"node\": \"p1\", \"layer\": \"power/13\"}]}",
			    CEP_EINVAL, "events[0].node", "stands alone");
	expect_bad_scenario(m, "{\"events\": [{\"fraction\": 1}]}", CEP_EINVAL, "events[0]",
			    "selects nothing");
	expect_bad_scenario(m, "{\"events\": [{\"node\": \"p1\", \"duration_hours\": 0}]}",
			    CEP_EINVAL, "events[0].duration_hours", "more than 0");
	expect_bad_scenario(m, "{\"events\": [{\"node\": \"p1\", \"start_hours\": -1}]}",
			    CEP_EINVAL, "events[0].start_hours", "from 0");
	expect_bad_scenario(m, "{\"events\": [{\"node\": \"p1\", \"start_hours\": \"1\"}]}",
			    CEP_EINVAL, "events[0].start_hours", "must be a number");
	expect_bad_scenario(m, "{\"horizon_hours\": 0, \"events\": [{\"node\": \"p1\"}]}",
			    CEP_EINVAL, "horizon_hours", "more than 0");
	expect_bad_scenario(m, "{\"horizon_hours\": 1e9, \"events\": [{\"node\": \"p1\"}]}",
			    CEP_EINVAL, "horizon_hours", "from 0 to 87600");
	expect_bad_scenario(m, "{\"events\": [{\"node\": \"p1\"}], \"random\": {\"buffer\": "
			       "{\"dist\": \"gamma\"}}}",
			    CEP_EINVAL, "random.buffer", "uniform, lognormal");
	expect_bad_scenario(m, "{\"events\": [{\"node\": \"p1\"}], \"random\": {\"repair\": "
			       "{\"dist\": \"uniform\", \"lo\": 2, \"hi\": 1}}}",
			    CEP_EINVAL, "random.repair", "lo must not exceed hi");
	expect_bad_scenario(m, "{\"events\": [{\"node\": \"p1\"}], \"random\": {\"repair\": "
			       "{\"dist\": \"lognormal\", \"mean\": 1}}}",
			    CEP_EINVAL, "random.repair.mean", "unknown");
	expect_bad_scenario(m, "{\"events\": [{\"node\": \"p1\"}],\n \"name\": }", CEP_EPARSE, "",
			    "line 2");
	an_model_free(m);
}

static void expect_bad_template(const struct an_model *m, const char *spec, const char *words)
{
	struct an_scenario *s = NULL;
	struct cep_error err;

	cep_error_init(&err);
	assert_int_equal(an_scenario_template(m, spec, &s, &err), CEP_EINVAL);
	assert_null(s);
	if (!strstr(err.message, words))
		fail_msg("%s: %s", spec, err.message);
}

static void test_templates(void **state)
{
	struct an_model *m = layered();
	struct an_scenario *s = NULL;

	(void)state;
	/* default regions (Kanto): the model has power/13 and power/14 */
	assert_int_equal(an_scenario_template(m, "blackout", &s, NULL), 0);
	assert_int_equal(s->n_events, 2);
	assert_true(s->events[0].duration == 24 && s->events[0].start == 0);
	assert_non_null(strstr(s->events[0].label, "広域停電"));
	assert_non_null(strstr(s->events[0].label, "power/13"));
	assert_int_equal(s->buffer.kind, AN_DIST_UNIFORM);
	an_scenario_free(s);

	assert_int_equal(an_scenario_template(m, "compound:13", &s, NULL), 0);
	assert_int_equal(s->n_events, 2);
	assert_non_null(strstr(s->events[1].label, "comms/13"));
	assert_true(s->events[1].start == 6);
	an_scenario_free(s);

	assert_int_equal(an_scenario_template(m, "comms:13", &s, NULL), 0);
	assert_int_equal(s->n_events, 1);
	assert_int_equal(s->events[0].n_nodes, 1);
	an_scenario_free(s);

	expect_bad_template(m, "flood", "unknown scenario template");
	expect_bad_template(m, "blackout:48", "01..47");
	expect_bad_template(m, "blackout:1", "01..47");
	expect_bad_template(m, "blackout:13,", "01..47");
	expect_bad_template(m, "blackout:13,27", "no layer power/27");
	expect_bad_template(m, "blackout:13,13", "region 13 is named twice");
	expect_bad_template(m, "comms:14", "no layer comms/14");
	an_model_free(m);

	/* a model without any of the layers */
	{
		struct an_builder *b = an_builder_new();

		node(b, "x", "gas", NULL, 0, 0);
		m = finish(b);
		expect_bad_template(m, "blackout", "none of the layers");
		an_model_free(m);
	}
}

static void test_dist(void **state)
{
	struct an_dist u = { AN_DIST_UNIFORM, 0.5, 1.5 }, l = { AN_DIST_LOGNORMAL, 0.5, 0 },
		       e = { AN_DIST_EXPONENTIAL, 2, 0 }, n = { AN_DIST_NONE, 0, 0 };
	double su = 0, sl = 0, se = 0;
	struct an_rng r;
	int below = 0;

	(void)state;
	an_rng_init(&r, 1, 0);
	for (int i = 0; i < 200000; i++) {
		double a = an_rng_unit(&r), b = an_rng_unit(&r), x = an_dist_factor(&u, a, b);

		assert_true(x >= 0.5 && x < 1.5);
		su += x;
		x = an_dist_factor(&l, a, b);
		assert_true(x > 0);
		sl += log(x);
		below += x < 1;
		se += an_dist_factor(&e, a, b);
	}
	assert_true(fabs(su / 200000 - 1.0) < 0.01);
	assert_true(fabs(sl / 200000) < 0.01);          /* median 1: mean of log 0 */
	assert_true(abs(below - 100000) < 1500);
	assert_true(fabs(se / 200000 - 2.0) < 0.03);    /* mean 2 */
	assert_true(an_dist_factor(&n, 0.3, 0.7) == 1.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buffer_delays),
		cmocka_unit_test(test_kept_buffers),
		cmocka_unit_test(test_redundancy),
		cmocka_unit_test(test_layer_sources),
		cmocka_unit_test(test_layer_no_source),
		cmocka_unit_test(test_layer_baseline),
		cmocka_unit_test(test_recovery_unwinds),
		cmocka_unit_test(test_horizon),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_incremental_vs_whole),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_leaves),
		cmocka_unit_test(test_leaves_returns),
		cmocka_unit_test(test_leaves_nomem),
		cmocka_unit_test(test_queue),
		cmocka_unit_test(test_fraction),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_scenario_errors),
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_dist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
