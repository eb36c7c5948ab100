/* test_mc.c - analysis/mc: Monte Carlo results identical bit for bit for 1,
 * 2 and 3 threads; means and percentiles against what the trials give one by
 * one and against a case worked out by hand; failure probabilities;
 * progress reports; cancellation; bad options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/load.h"
#include "analysis/mc.h"
#include "analysis/model.h"
#include "analysis/scenario.h"
#include "analysis/sim.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A power layer of 200 nodes (a ring with chords, 2 sources) feeding 300
 * facilities of three sectors through 2-of-3 groups, with buffers. */
static struct an_model *model(void)
{
	struct cep_buf nb, eb;
	struct an_model *m = NULL;
	struct cep_error err;
	static const char *const sectors[] = { "medical", "finance", "water" };

	cep_buf_init(&nb, 1u << 22);
	cep_buf_init(&eb, 1u << 22);
	assert_int_equal(cep_buf_puts(&nb, "id,sector,layer,source,weight,repair_hours\n"), 0);
	assert_int_equal(cep_buf_puts(&eb, "type,from,to,kind,buffer_hours,group,need\n"), 0);
	for (int i = 0; i < 200; i++) {
		assert_int_equal(cep_buf_printf(&nb, "p%d,electricity,power/13,%d,1,%d\n", i,
						i % 100 == 0, 1 + i % 3), 0);
		assert_int_equal(cep_buf_printf(&eb, "link,p%d,p%d,,,,\n", i, (i + 1) % 200), 0);
		if (i % 10 == 0)
			assert_int_equal(cep_buf_printf(&eb, "link,p%d,p%d,,,,\n", i, (i + 37) % 200),
					 0);
	}
	for (int f = 0; f < 300; f++) {
		assert_int_equal(cep_buf_printf(&nb, "f%d,%s,,0,%d,%d\n", f, sectors[f % 3],
						1 + f % 4, f % 5), 0);
		for (int k = 0; k < 3; k++)
			assert_int_equal(cep_buf_printf(&eb, "dep,p%d,f%d,power,%d,grid,2\n",
							(f * 7 + k * 61) % 200, f, (f + k) % 4),
					 0);
	}
	cep_error_init(&err);
	if (an_load_csv(nb.data, nb.len, "nodes.csv", eb.data, eb.len, "edges.csv", &m, &err))
		fail_msg("%s", err.message);
	cep_buf_free(&nb);
	cep_buf_free(&eb);
	return m;
}

static const char *scenario =
	"{\"horizon_hours\": 48, \"events\": ["
	" {\"layer\": \"power/13\", \"fraction\": 0.1, \"start_hours\": 1, \"duration_hours\": 6},"
	" {\"sector\": \"finance\", \"fraction\": 0.05, \"start_hours\": 2, \"duration_hours\": 3}],"
	" \"random\": {\"buffer\": {\"dist\": \"uniform\", \"lo\": 0.5, \"hi\": 1.5},"
	"  \"repair\": {\"dist\": \"exponential\"}}}";

struct fix {
	struct an_model *m;
	struct an_sim *s;
	struct an_scenario *sc;
};

static void open_fix(struct fix *f, struct an_model *m, const char *text)
{
	struct cep_error err;

	f->m = m;
	cep_error_init(&err);
	if (an_scenario_parse(m, text, strlen(text), &f->sc, &err))
		fail_msg("%s", err.message);
	assert_int_equal(an_sim_new(m, &f->s, NULL), 0);
}

static void close_fix(struct fix *f)
{
	an_scenario_free(f->sc);
	an_sim_free(f->s);
	an_model_free(f->m);
}

static struct an_mc *run(struct fix *f, uint32_t trials, int threads, uint32_t points)
{
	struct an_mc_opts o = { .trials = trials, .seed = 42, .threads = threads,
				.points = points };
	struct an_mc *r = NULL;
	struct cep_error err;

	cep_error_init(&err);
	if (an_mc_run(f->s, f->sc, &o, NULL, &r, &err))
		fail_msg("%s", err.message);
	return r;
}

static void expect_identical(const struct an_mc *a, const struct an_mc *b, uint32_t n_nodes,
			     uint32_t n_sectors)
{
	size_t cells = (size_t)a->points * a->n_series;

	assert_int_equal(a->points, b->points);
	assert_int_equal(a->n_series, b->n_series);
	assert_memory_equal(a->t, b->t, a->points * sizeof(double));
	assert_memory_equal(a->mean, b->mean, cells * sizeof(double));
	assert_memory_equal(a->p5, b->p5, cells * sizeof(double));
	assert_memory_equal(a->p50, b->p50, cells * sizeof(double));
	assert_memory_equal(a->p95, b->p95, cells * sizeof(double));
	assert_memory_equal(a->fail_count, b->fail_count, n_nodes * sizeof(uint32_t));
	assert_memory_equal(a->sector_hit, b->sector_hit, n_sectors * sizeof(uint32_t));
	for (uint32_t k = 0; k < n_sectors; k++)
		assert_true(memcmp(&a->sector_first_mean[k], &b->sector_first_mean[k],
				   sizeof(double)) == 0);
	assert_true(memcmp(&a->mean_failed, &b->mean_failed, sizeof(double)) == 0);
	assert_true(a->events == b->events);
}

static void test_threads_identical(void **state)
{
	struct fix f;
	struct an_mc *one, *two, *three;

	(void)state;
	open_fix(&f, model(), scenario);
	one = run(&f, 300, 1, 97);
	two = run(&f, 300, 2, 97);
	three = run(&f, 300, 3, 97);
	expect_identical(one, two, f.m->n_nodes, f.m->sectors.n);
	expect_identical(one, three, f.m->n_nodes, f.m->sectors.n);
	/* the trials do differ: a spread between the percentiles somewhere */
	{
		int spread = 0;

		for (size_t c = 0; c < (size_t)one->points * one->n_series; c++)
			spread |= one->p95[c] > one->p5[c];
		assert_true(spread);
		assert_true(one->mean_failed > 0);
	}
	an_mc_free(one);
	an_mc_free(two);
	an_mc_free(three);
	close_fix(&f);
}

/* The mean and the failure counts equal what the trials give one by one. */
static void test_against_trials(void **state)
{
	struct an_timeline_opts topt = { .exact = 0, .max_points = 25, .layers = 0 };
	struct fix f;
	struct an_mc *r;
	struct an_ws *w;
	double sum[25] = { 0 };
	uint32_t count[600] = { 0 };

	(void)state;
	open_fix(&f, model(), scenario);
	r = run(&f, 40, 2, 25);
	assert_int_equal(an_ws_new(f.s, &topt, &w, NULL), 0);
	for (uint32_t i = 0; i < 40; i++) {
		struct an_trial t;

		assert_int_equal(an_sim_trial(w, f.sc, 42, i, NULL), 0);
		an_ws_trial(w, &t);
		assert_int_equal(t.n_samples, 25);
		for (int p = 0; p < 25; p++)
			sum[p] += t.value[p * t.n_series];
		for (uint32_t k = 0; k < t.n_failed; k++)
			count[t.failed[k]]++;
	}
	for (int p = 0; p < 25; p++)
		assert_true(fabs(r->mean[p * r->n_series] - sum[p] / 40) < 1e-9);
	assert_memory_equal(r->fail_count, count, f.m->n_nodes * sizeof(uint32_t));
	assert_true(r->t[24] == 48 && r->t[12] == 24);
	an_ws_free(w);
	an_mc_free(r);
	close_fix(&f);
}

/* Ten equal gas nodes, 3 of them down (at random) for the whole run: the
 * working fraction is 0.7 in every trial after 0; each node fails with
 * probability 0.3, so the counts add up to 3 per trial. */
static void test_by_hand(void **state)
{
	struct fix f;
	struct an_mc *r;
	struct an_model *m = NULL;
	const char *nodes = "id,sector\na,gas\nb,gas\nc,gas\nd,gas\ne,gas\nf,gas\ng,gas\nh,gas\n"
			    "i,gas\nj,gas\n";
	uint64_t total = 0;

	(void)state;
	assert_int_equal(an_load_csv(nodes, strlen(nodes), "nodes.csv", NULL, 0, NULL, &m, NULL),
			 0);
	open_fix(&f, m, "{\"horizon_hours\": 10, \"events\": [{\"sector\": \"gas\", "
			"\"fraction\": 0.3, \"start_hours\": 1}]}");
	r = run(&f, 1000, 2, 11);
	assert_int_equal(r->n_series, 2);
	assert_true(r->mean[0] == 1 && r->p5[0] == 1); /* at 0, before the event */
	for (uint32_t p = 1; p < 11; p++)
		for (uint32_t k = 0; k < 2; k++) {
			size_t c = p * 2 + k;

			assert_true(fabs(r->mean[c] - 0.7) < 1e-9);
			assert_true(r->p5[c] == 0.7 && r->p50[c] == 0.7 && r->p95[c] == 0.7);
		}
	for (uint32_t v = 0; v < 10; v++) {
		total += r->fail_count[v];
		assert_true(r->fail_count[v] > 200 && r->fail_count[v] < 400);
	}
	assert_true(total == 3000);
	assert_int_equal(r->sector_hit[0], 1000);
	assert_true(r->sector_first_mean[0] == 1);
	assert_true(r->mean_failed == 3);
	an_mc_free(r);
	close_fix(&f);
}

struct counter {
	unsigned long calls, last, total;
	int monotone;
	atomic_int *cancel;
	unsigned long cancel_at;
};

static void report(void *ctx, unsigned long done, unsigned long total)
{
	struct counter *c = ctx;

	c->calls++;
	if (done < c->last || done > total)
		c->monotone = 0;
	c->last = done;
	c->total = total;
	if (c->cancel && done >= c->cancel_at)
		atomic_store(c->cancel, 1);
}

static void test_progress_cancel(void **state)
{
	struct fix f;
	struct an_mc *r = NULL;
	atomic_int stop = 0;
	struct counter c = { .monotone = 1 };
	struct an_progress p = { .report = report, .ctx = &c, .cancel = &stop };
	struct an_mc_opts o = { .trials = 500, .seed = 1, .threads = 2, .points = 10 };
	struct cep_error err;

	(void)state;
	open_fix(&f, model(), scenario);
	assert_int_equal(an_mc_run(f.s, f.sc, &o, &p, &r, NULL), 0);
	assert_true(c.monotone);
	assert_int_equal(c.last, 500);
	assert_int_equal(c.total, 500);
	assert_true(c.calls >= 2 && c.calls <= 300);
	an_mc_free(r);
	r = NULL;

	/* cancelled before it starts */
	stop = 1;
	cep_error_init(&err);
	assert_int_equal(an_mc_run(f.s, f.sc, &o, &p, &r, &err), CEP_EBUSY);
	assert_null(r);
	assert_non_null(strstr(err.message, "cancelled"));

	/* cancelled on the way, by the progress callback */
	stop = 0;
	c = (struct counter){ .monotone = 1, .cancel = &stop, .cancel_at = 50 };
	o.trials = 20000;
	assert_int_equal(an_mc_run(f.s, f.sc, &o, &p, &r, NULL), CEP_EBUSY);
	assert_null(r);
	assert_true(c.last < 20000);
	close_fix(&f);
}

static void test_bad_options(void **state)
{
	struct fix f;
	struct an_mc *r = NULL;
	struct cep_error err;
	struct an_mc_opts o = { .trials = 0, .seed = 1, .threads = 1, .points = 10 };

	(void)state;
	open_fix(&f, model(), scenario);
	cep_error_init(&err);
	assert_int_equal(an_mc_run(f.s, f.sc, &o, NULL, &r, &err), CEP_EINVAL);
	assert_string_equal(err.field, "trials");
	o.trials = AN_MC_MAX_TRIALS + 1;
	assert_int_equal(an_mc_run(f.s, f.sc, &o, NULL, &r, NULL), CEP_EINVAL);
	o.trials = 10;
	o.points = 1;
	cep_error_init(&err);
	assert_int_equal(an_mc_run(f.s, f.sc, &o, NULL, &r, &err), CEP_EINVAL);
	assert_string_equal(err.field, "points");
	o.points = 10;
	o.threads = -1;
	assert_int_equal(an_mc_run(f.s, f.sc, &o, NULL, &r, NULL), CEP_EINVAL);
	o.threads = 1;
	o.points = AN_TIMELINE_MAX_POINTS; /* x 5 series: more cells than allowed */
	assert_int_equal(an_mc_run(f.s, f.sc, &o, NULL, &r, NULL), CEP_ETOOBIG);
	assert_null(r);
	close_fix(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_identical),
		cmocka_unit_test(test_against_trials),
		cmocka_unit_test(test_by_hand),
		cmocka_unit_test(test_progress_cancel),
		cmocka_unit_test(test_bad_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
