/* test_sweep.c - analysis/sweep: percolation of one Erdős–Rényi layer vanishing
 * at p<k> = 1, the abrupt collapse of two coupled layers near p_c = 2.4554/<k>
 * (Buldyrev et al. 2010) at the analytic giant fraction, the same results on 1
 * and 2 threads, nested removals, a given removal order and its checks, bad
 * options, and the JSON, CSV and SVG outputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/gen.h"
#include "analysis/sweep.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct fixture {
	struct an_model *m;
	struct an_cascade_base *b;
};

static void setup(struct fixture *f, const char *spec, uint64_t seed)
{
	struct an_gen_spec s;
	struct cep_error err;

	cep_error_init(&err);
	s.seed = seed;
	f->m = NULL;
	f->b = NULL;
	if (an_gen_parse(spec, &s, &err) || an_generate(&s, NULL, &f->m, &err) ||
	    an_cascade_base_new(f->m, &f->b, &err))
		fail_msg("%s: %s", spec, err.message);
}

static void teardown(struct fixture *f)
{
	an_cascade_base_free(f->b);
	an_model_free(f->m);
}

static struct an_sweep *sweep(const struct fixture *f, struct an_sweep_opts o)
{
	struct an_sweep *s = NULL;
	struct cep_error err;

	cep_error_init(&err);
	if (an_sweep_run(f->b, &o, NULL, &s, &err))
		fail_msg("sweep: %s", err.message);
	return s;
}

/* The mean working fraction of layer l at point i. */
static double layer_mean(const struct an_sweep *s, uint32_t i, uint32_t l)
{
	double sum = 0;

	for (uint32_t t = 0; t < s->trials; t++)
		sum += s->layer_working[((size_t)i * s->trials + t) * s->n_layers + l];
	return sum / s->trials / s->layer_size[l];
}

/* S = 1 - exp(-c S): the giant component of G(n, c/n). */
static double giant(double c)
{
	double x = 1;

	for (int i = 0; i < 1000; i++)
		x = 1 - exp(-c * x);
	return x;
}

static void test_er_percolation_threshold(void **state)
{
	struct fixture f;
	struct an_sweep *s;

	(void)state;
	setup(&f, "er:200000:4", 11);
	/* p<k> = 0.9, 1.2, 1.5 */
	s = sweep(&f, (struct an_sweep_opts){ .layer = 0, .points = 3, .trials = 3,
					      .p_min = 0.225, .p_max = 0.375, .seed = 5 });
	assert_int_equal(s->kept[0], 45000);
	assert_int_equal(s->kept[2], 75000);
	/* below the threshold the largest component is a vanishing fraction */
	assert_true(layer_mean(s, 0, 0) < 0.01);
	/* above it, p times the giant fraction of G(pn, 4p/pn) */
	assert_true(fabs(layer_mean(s, 1, 0) - 0.3 * giant(1.2)) < 0.012);
	assert_true(fabs(layer_mean(s, 2, 0) - 0.375 * giant(1.5)) < 0.006);
	assert_true(layer_mean(s, 1, 0) > 0.07);
	an_sweep_free(s);
	teardown(&f);
}

/* P = p (1 - exp(-<k> P))^2 for two coupled ER layers of mean degree <k>. */
static double mutual(double p, double k)
{
	double x = 1;

	for (int i = 0; i < 5000; i++)
		x = p * pow(1 - exp(-k * x), 2);
	return x;
}

static void test_coupled_abrupt_collapse(void **state)
{
	struct fixture f;
	struct an_sweep *s;

	(void)state;
	setup(&f, "coupled:100000:4", 3);
	/* p = 0.56 .. 0.68 by 0.02; p_c = 2.4554 / 4 = 0.614 */
	s = sweep(&f, (struct an_sweep_opts){ .layer = 0, .points = 7, .trials = 2,
					      .p_min = 0.56, .p_max = 0.68, .seed = 9 });
	for (uint32_t i = 0; i <= 2; i++) /* p <= 0.60: nothing left */
		assert_true(layer_mean(s, i, 0) < 0.01 && layer_mean(s, i, 1) < 0.01);
	for (uint32_t i = 4; i < 7; i++) { /* p >= 0.64: the analytic fraction, already ~0.43 */
		assert_true(fabs(layer_mean(s, i, 0) - mutual(s->p[i], 4)) < 0.015);
		assert_true(fabs(layer_mean(s, i, 1) - layer_mean(s, i, 0)) < 1e-9); /* one-to-one */
	}
	assert_true(mutual(0.64, 4) > 0.4);
	/* the collapse takes more rounds near p_c than far above it */
	assert_true(s->rounds[2 * 2] + s->rounds[2 * 2 + 1] > s->rounds[6 * 2] + s->rounds[6 * 2 + 1] + 8);
	an_sweep_free(s);
	teardown(&f);
}

static void test_threads_give_the_same(void **state)
{
	struct fixture f;
	struct an_sweep *a, *b;
	struct an_sweep_opts o = { .layer = AN_SWEEP_ALL, .points = 20, .trials = 3, .p_min = 0.3,
				   .p_max = 1, .seed = 4 };
	struct cep_buf ja, jb, ca, cb;

	(void)state;
	setup(&f, "coupled:20000:4", 8);
	o.threads = 1;
	a = sweep(&f, o);
	o.threads = 2;
	b = sweep(&f, o);
	assert_int_equal(b->threads, 2);
	assert_memory_equal(a->working, b->working, 60 * sizeof(*a->working));
	assert_memory_equal(a->weight, b->weight, 60 * sizeof(*a->weight));
	assert_memory_equal(a->layer_working, b->layer_working, 60 * 2 * sizeof(uint32_t));
	assert_memory_equal(a->rounds, b->rounds, 60 * sizeof(*a->rounds));
	cep_buf_init(&ja, 1 << 20);
	cep_buf_init(&jb, 1 << 20);
	cep_buf_init(&ca, 1 << 20);
	cep_buf_init(&cb, 1 << 20);
	assert_int_equal(an_sweep_json(a, f.m, &ja, NULL), 0);
	assert_int_equal(an_sweep_json(b, f.m, &jb, NULL), 0);
	/* identical but for the timing at the end */
	assert_int_equal(strncmp(ja.data, jb.data, (size_t)(strstr(ja.data, "\"timing\"") - ja.data)), 0);
	assert_int_equal(an_sweep_csv(a, f.m, &ca, NULL), 0);
	assert_int_equal(an_sweep_csv(b, f.m, &cb, NULL), 0);
	assert_string_equal(ca.data, cb.data);
	cep_buf_free(&ja);
	cep_buf_free(&jb);
	cep_buf_free(&ca);
	cep_buf_free(&cb);
	an_sweep_free(a);
	an_sweep_free(b);
	teardown(&f);
}

/* Removals of one trial are nested, and with a given order exactly the last
 * n - kept of the order are removed. */
static void test_nested_and_given_order(void **state)
{
	struct fixture f;
	struct an_sweep *s;
	uint32_t *order, n = 3000;

	(void)state;
	setup(&f, "er:3000:0.5", 2); /* sparse: removing a node fails only itself */
	s = sweep(&f, (struct an_sweep_opts){ .layer = 0, .points = 11, .trials = 4, .p_max = 1, .seed = 1 });
	for (uint32_t t = 0; t < 4; t++)
		for (uint32_t i = 1; i < 11; i++)
			assert_true(s->working[i * 4 + t] >= s->working[(i - 1) * 4 + t]);
	an_sweep_free(s);
	order = cep_malloc(n * sizeof(*order));
	for (uint32_t i = 0; i < n; i++)
		order[i] = n - 1 - i;
	s = sweep(&f, (struct an_sweep_opts){ .layer = 0, .points = 3, .trials = 1, .p_max = 1,
					      .order = order, .n_order = n });
	assert_int_equal(s->kept[1], 1500);
	assert_true(s->given_order);
	an_sweep_free(s);
	teardown(&f);
	cep_free(order);
}

static void test_bad_options(void **state)
{
	struct fixture f;
	struct an_sweep *s = (struct an_sweep *)0x1;
	struct cep_error err;
	uint32_t order[4] = { 0, 1, 2, 2 };
	const struct an_sweep_opts good = { .layer = 0, .points = 5, .trials = 1, .p_max = 1 };
	struct an_sweep_opts o;

	(void)state;
	setup(&f, "coupled:4:1", 1);
#define REFUSE(change, fieldname)                                                  \
	do {                                                                       \
		o = good;                                                          \
		change;                                                            \
		cep_error_init(&err);                                              \
		assert_int_equal(an_sweep_run(f.b, &o, NULL, &s, &err), CEP_EINVAL); \
		assert_string_equal(err.field, fieldname);                         \
		assert_ptr_equal(s, (struct an_sweep *)0x1);                      \
	} while (0)
	REFUSE(o.points = 0, "points");
	REFUSE(o.points = AN_SWEEP_MAX_POINTS + 1, "points");
	REFUSE(o.trials = 0, "trials");
	REFUSE((o.points = 1000, o.trials = 1001), "trials");
	REFUSE((o.p_min = 0.6, o.p_max = 0.5), "p_min");
	REFUSE(o.p_max = 1.5, "p_min");
	REFUSE(o.p_min = NAN, "p_min");
	REFUSE(o.layer = 2, "layer");
	REFUSE(o.threads = -1, "threads");
	REFUSE((o.order = order, o.n_order = 4, o.trials = 2), "trials");
	REFUSE((o.order = order, o.n_order = 3), "order");           /* layer A has 4 */
	REFUSE((o.order = order, o.n_order = 4), "order");           /* 2 twice */
	order[3] = 4;                                                 /* B0: not in layer A */
	REFUSE((o.order = order, o.n_order = 4), "order");
	assert_non_null(strstr(err.message, "entry 4"));
	teardown(&f);
}

static void test_outputs(void **state)
{
	struct fixture f;
	struct an_sweep *s;
	struct cep_buf b;
	json_t *j, *pt;
	json_error_t je;

	(void)state;
	setup(&f, "japan:0.05", 1);
	s = sweep(&f, (struct an_sweep_opts){ .layer = AN_SWEEP_ALL, .points = 5, .trials = 2,
					      .p_min = 0.5, .p_max = 1, .seed = 3 });
	cep_buf_init(&b, 1 << 24);
	assert_int_equal(an_sweep_json(s, f.m, &b, NULL), 0);
	j = json_loads(b.data, 0, &je);
	assert_non_null(j);
	assert_true(json_is_null(json_object_get(j, "layer")));
	assert_int_equal(json_array_size(json_object_get(j, "points")), 5);
	pt = json_array_get(json_object_get(j, "points"), 4); /* p = 1: the baseline */
	assert_true(json_real_value(json_object_get(pt, "p")) == 1 ||
		    json_integer_value(json_object_get(pt, "p")) == 1);
	assert_true(json_number_value(json_object_get(json_object_get(pt, "working"), "mean")) == 1);
	assert_non_null(json_object_get(json_object_get(pt, "layers"), "power/13"));
	assert_non_null(json_object_get(json_object_get(j, "timing"), "seconds_per_round"));
	{
		/* every figure in seconds: the first rounds are part of the cascades,
		 * which are part of the wall time of the threads */
		json_t *tm = json_object_get(j, "timing");
		double wall = json_number_value(json_object_get(tm, "wall_seconds"));
		double casc = json_number_value(json_object_get(tm, "cascade_seconds"));
		double first = json_number_value(json_object_get(tm, "first_round_seconds"));
		double rounds = json_number_value(json_object_get(tm, "rounds"));
		double per = json_number_value(json_object_get(tm, "seconds_per_round"));
		double threads = json_number_value(json_object_get(tm, "threads"));

		assert_true(first > 0 && first <= casc);
		assert_true(casc <= wall * threads + 1e-3);
		assert_true(rounds >= 10 && fabs(per * rounds - casc) <= 1e-5 + 1e-6 * casc);
	}
	json_decref(j);
	b.len = 0;
	assert_int_equal(an_sweep_csv(s, f.m, &b, NULL), 0);
	assert_int_equal(strncmp(b.data, "point,p,kept,working_mean,working_sd", 36), 0);
	assert_non_null(strstr(b.data, ",power/01_mean,power/01_sd,"));
	b.len = 0;
	/* 141 layers: drawn as three families */
	assert_int_equal(an_sweep_svg(s, f.m, &b, NULL), 0);
	assert_non_null(strstr(b.data, "<svg"));
	assert_non_null(strstr(b.data, "comms"));
	assert_null(strstr(b.data, "comms/13"));
	cep_buf_free(&b);
	an_sweep_free(s);
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_er_percolation_threshold),
		cmocka_unit_test(test_coupled_abrupt_collapse),
		cmocka_unit_test(test_threads_give_the_same),
		cmocka_unit_test(test_nested_and_given_order),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_outputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
