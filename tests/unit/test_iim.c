/* test_iim.c - analysis/iim: the static IIM against an independent solve
 * (Jacobi iteration of q = A* q + c* to convergence), the refusal of rho >= 1,
 * bad entries, the DIIM (convergence to the static solution, the recovery-time
 * calibration of K, the trapezoid integral, losses, time-varying c*), the CSV
 * importers with the line and column of each error, the documents, and every
 * allocation failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/iim.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A deterministic uniform number in [0, 1) (a 64-bit LCG's top bits). */
static double uniform(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*s >> 11) / 9007199254740992.0;
}

/* A model of n sectors "s1".."sn" with entries a (row-major), no outputs. */
static struct an_iim *model(size_t n, const double *a)
{
	struct an_iim *m = NULL;

	assert_int_equal(an_iim_new(n, &m, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		char id[16];

		snprintf(id, sizeof(id), "s%zu", i + 1);
		m->id[i] = cep_strdup(id);
		m->name[i] = cep_strdup(id);
		assert_non_null(m->id[i]);
	}
	memcpy(m->a, a, n * n * sizeof(*a));
	return m;
}

/* A random nonnegative matrix, about half its entries zero, each row scaled
 * to sum to rowsum. Caller frees. */
static double *random_matrix(size_t n, double rowsum, uint64_t seed)
{
	double *a = calloc(n * n, sizeof(*a));

	assert_non_null(a);
	for (size_t i = 0; i < n; i++) {
		double s = 0;

		for (size_t j = 0; j < n; j++) {
			double u = uniform(&seed);

			a[i * n + j] = u < 0.5 ? 0 : u;
			s += a[i * n + j];
		}
		for (size_t j = 0; j < n && s > 0; j++)
			a[i * n + j] *= rowsum / s;
	}
	return a;
}

/* A one-piece perturbation from hour 0. */
static struct an_iim_pert *pert(const struct an_iim *m, const double *c)
{
	struct an_iim_window w[64];
	struct an_iim_pert *p = NULL;
	size_t nw = 0;

	for (size_t i = 0; i < m->n; i++)
		if (c[i] > 0)
			w[nw++] = (struct an_iim_window){ i, c[i], 0, INFINITY };
	assert_int_equal(an_iim_pert_from_windows(m, w, nw, &p, NULL), 0);
	return p;
}

/* q = A q + c by Jacobi iteration (the Neumann series) to a fixed point. */
static void jacobi(size_t n, const double *a, const double *c, double *q)
{
	double *next = calloc(n, sizeof(*next));

	assert_non_null(next);
	memcpy(q, c, n * sizeof(*q));
	for (int it = 0; it < 100000; it++) {
		double change = 0;

		for (size_t i = 0; i < n; i++) {
			next[i] = c[i];
			for (size_t j = 0; j < n; j++)
				next[i] += a[i * n + j] * q[j];
			change = fmax(change, fabs(next[i] - q[i]));
		}
		memcpy(q, next, n * sizeof(*q));
		if (change < 1e-16)
			break;
	}
	free(next);
}

static void test_static_matches_independent_solve(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 5; seed++) {
		size_t n = 10 + 15 * (size_t)seed;
		double *a = random_matrix(n, 0.9, seed), c[100], q[100];
		struct an_iim *m = model(n, a);
		struct an_iim_solution *s = NULL;
		struct an_iim_pert *p;
		uint64_t r = seed * 77;

		for (size_t i = 0; i < n; i++)
			c[i] = uniform(&r) < 0.3 ? 0.05 * uniform(&r) : 0;
		p = pert(m, c);
		assert_int_equal(an_iim_solve(m, p, &s, NULL), 0);
		jacobi(n, a, c, q);
		for (size_t i = 0; i < n; i++) {
			if (fabs(s->q[i] - q[i]) > 1e-12)
				fail_msg("seed %d, sector %zu: LU %.17g, Jacobi %.17g", (int)seed, i,
					 s->q[i], q[i]);
			assert_false(s->saturated[i]);
			assert_true(s->c[i] == c[i]);
		}
		/* rows sum to 0.9: rho = 0.9 exactly, and the bounds hold it */
		assert_true(s->rho.lower <= 0.9 + 1e-12 && s->rho.upper >= 0.9 - 1e-12);
		assert_true(s->rho.upper - s->rho.lower < 1e-6);
		assert_null(s->loss);
		an_iim_solution_free(s);
		an_iim_pert_free(p);
		an_iim_free(m);
		free(a);
	}
}

/* Rows may sum above 1 while rho < 1: [[0, 2], [0.2, 0]] has rho = sqrt(0.4). */
static void test_static_by_hand_with_row_sum_above_one(void **state)
{
	const double a[] = { 0, 2, 0.2, 0 }, c[] = { 0.1, 0.05 };
	struct an_iim *m = model(2, a);
	struct an_iim_solution *s = NULL;
	struct an_iim_pert *p = pert(m, c);

	(void)state;
	assert_int_equal(an_iim_solve(m, p, &s, NULL), 0);
	/* q1 = 2 q2 + 0.1, q2 = 0.2 q1 + 0.05: q1 = 0.2 / 0.6, q2 = 0.2 q1 + 0.05 */
	assert_true(fabs(s->q[0] - 1.0 / 3.0) < 1e-15);
	assert_true(fabs(s->q[1] - (0.2 / 3.0 + 0.05)) < 1e-15);
	assert_true(s->rho.lower <= sqrt(0.4) + 1e-9 && s->rho.upper >= sqrt(0.4) - 1e-9);
	assert_true(s->rho.upper - s->rho.lower < 1e-6);
	an_iim_solution_free(s);
	an_iim_pert_free(p);
	an_iim_free(m);
}

/* q above 1 is clipped to 1 and marked saturated. */
static void test_static_saturates(void **state)
{
	const double a[] = { 0, 0.5, 0.5, 0 }, c[] = { 0.9, 0.9 };
	struct an_iim *m = model(2, a);
	struct an_iim_solution *s = NULL;
	struct an_iim_pert *p = pert(m, c);

	(void)state;
	assert_int_equal(an_iim_solve(m, p, &s, NULL), 0); /* unclipped: 1.8 each */
	assert_true(s->q[0] == 1.0 && s->q[1] == 1.0);
	assert_true(s->saturated[0] && s->saturated[1]);
	an_iim_solution_free(s);
	an_iim_pert_free(p);
	an_iim_free(m);
}

/* an_iim_check on a; the code it returns, and the message. */
static int check(size_t n, const double *a, struct an_iim_rho *rho, char *msg, size_t size)
{
	struct an_iim *m = model(n, a);
	struct cep_error err;
	int rc;

	cep_error_init(&err);
	rc = an_iim_check(m, rho, &err);
	snprintf(msg, size, "%s", err.message);
	an_iim_free(m);
	return rc;
}

static void test_rho_at_or_above_one_refused(void **state)
{
	const double above[] = { 0.6, 0.6, 0.6, 0.6 };     /* irreducible, rho = 1.2 */
	const double one[] = { 0.5, 0.5, 0.5, 0.5 };       /* rho = 1 exactly */
	const double cycle[] = { 0, 1, 0, 0, 0, 1, 1, 0, 0 }; /* periodic, rho = 1 */
	const double block[] = { 1, 0, 0.3, 0.5 };         /* reducible: a_11 = 1 */
	struct an_iim_rho rho;
	char msg[CEP_ERR_MSG_MAX];

	(void)state;
	assert_int_equal(check(2, above, &rho, msg, sizeof(msg)), CEP_ESEMANTIC);
	assert_non_null(strstr(msg, "spectral radius of A* is >= 1"));
	assert_non_null(strstr(msg, "1.2"));
	assert_true(fabs(rho.upper - 1.2) < 1e-9);
	assert_int_equal(check(2, one, &rho, msg, sizeof(msg)), CEP_ESEMANTIC);
	assert_true(fabs(rho.upper - 1.0) < 1e-9);
	assert_int_equal(check(3, cycle, &rho, msg, sizeof(msg)), CEP_ESEMANTIC);
	assert_int_equal(check(2, block, &rho, msg, sizeof(msg)), CEP_ESEMANTIC);
	assert_non_null(strstr(msg, "s1")); /* the largest row sum is named */
	/* row-stochastic random matrices: rho = 1 up to rounding */
	for (uint64_t seed = 1; seed <= 20; seed++) {
		double *a = random_matrix(20, 1.0, seed);

		if (check(20, a, &rho, msg, sizeof(msg)) != CEP_ESEMANTIC)
			fail_msg("seed %d: a stochastic matrix was accepted", (int)seed);
		free(a);
	}
}

static void test_rho_just_below_one_accepted(void **state)
{
	double a[25];
	struct an_iim_rho rho;
	char msg[CEP_ERR_MSG_MAX];

	(void)state;
	for (size_t i = 0; i < 25; i++)
		a[i] = 0.999999 / 5; /* rho = 0.999999 exactly */
	assert_int_equal(check(5, a, &rho, msg, sizeof(msg)), 0);
	assert_true(fabs(rho.upper - 0.999999) < 1e-9 && fabs(rho.lower - 0.999999) < 1e-9);
	memset(a, 0, sizeof(a)); /* the zero matrix: rho = 0 */
	assert_int_equal(check(5, a, &rho, msg, sizeof(msg)), 0);
	assert_true(rho.lower == 0 && rho.upper == 0);
}

static void test_bad_entries_refused(void **state)
{
	double a[] = { 0.1, 0.2, 0.3, 0.4 };
	struct an_iim_rho rho;
	char msg[CEP_ERR_MSG_MAX];

	(void)state;
	a[2] = -0.1;
	assert_int_equal(check(2, a, &rho, msg, sizeof(msg)), CEP_EINVAL);
	assert_non_null(strstr(msg, "A*[s2][s1] (row 2, column 1)"));
	a[2] = NAN;
	assert_int_equal(check(2, a, &rho, msg, sizeof(msg)), CEP_EINVAL);
	a[2] = INFINITY;
	assert_int_equal(check(2, a, &rho, msg, sizeof(msg)), CEP_EINVAL);
}

static void test_bad_perturbation_refused(void **state)
{
	const double a[] = { 0.1, 0.2, 0.3, 0.4 };
	struct an_iim *m = model(2, a), *m3;
	struct an_iim_solution *s = NULL;
	struct an_iim_pert *p = NULL;
	struct an_iim_window w[2] = { { 0, 1.5, 0, INFINITY } };
	struct cep_error err;
	double three[9] = { 0 };

	(void)state;
	cep_error_init(&err);
	assert_int_equal(an_iim_pert_from_windows(m, w, 1, &p, &err), CEP_EINVAL);
	assert_non_null(strstr(err.message, "c* of s1 is 1.5"));
	w[0] = (struct an_iim_window){ 1, 0.5, 0, 10 };
	w[1] = (struct an_iim_window){ 1, 0.2, 5, INFINITY };
	cep_error_init(&err);
	assert_int_equal(an_iim_pert_from_windows(m, w, 2, &p, &err), CEP_EINVAL);
	assert_non_null(strstr(err.message, "overlap"));
	w[1].from = 10; /* back to back is fine */
	assert_int_equal(an_iim_pert_from_windows(m, w, 2, &p, NULL), 0);
	/* the static model refuses a perturbation that changes over time */
	cep_error_init(&err);
	assert_int_equal(an_iim_solve(m, p, &s, &err), CEP_EINVAL);
	assert_non_null(strstr(err.message, "one perturbation from hour 0; this one starts at "
					    "hour 0 and changes 1 times"));
	an_iim_pert_free(p);
	/* sizes must match */
	m3 = model(3, three);
	w[0] = (struct an_iim_window){ 2, 0.5, 0, INFINITY };
	assert_int_equal(an_iim_pert_from_windows(m3, w, 1, &p, NULL), 0);
	assert_int_equal(an_iim_solve(m, p, &s, NULL), CEP_EINVAL);
	p->c[2] = NAN; /* a value changed behind the builder's back */
	assert_int_equal(an_iim_solve(m3, p, &s, NULL), CEP_EINVAL);
	an_iim_pert_free(p);
	an_iim_free(m3);
	an_iim_free(m);
}

static void test_windows_make_pieces(void **state)
{
	const double a[] = { 0, 0, 0, 0 };
	struct an_iim *m = model(2, a);
	struct an_iim_pert *p = NULL;
	/* s1 = 0.5 over [0, 24), s2 = 0.2 over [12, 48), s2 = 0.2 again over [48, inf) */
	const struct an_iim_window w[] = {
		{ 0, 0.5, 0, 24 }, { 1, 0.2, 12, 48 }, { 1, 0.2, 48, INFINITY },
	};

	(void)state;
	assert_int_equal(an_iim_pert_from_windows(m, w, 3, &p, NULL), 0);
	/* pieces: [0,12) (0.5, 0), [12,24) (0.5, 0.2), [24, ...) (0, 0.2): 48 merges */
	assert_int_equal(p->npieces, 3);
	assert_true(p->from[0] == 0 && p->from[1] == 12 && p->from[2] == 24);
	assert_true(p->c[0] == 0.5 && p->c[1] == 0);
	assert_true(p->c[2] == 0.5 && p->c[3] == 0.2);
	assert_true(p->c[4] == 0 && p->c[5] == 0.2);
	an_iim_pert_free(p);
	an_iim_free(m);
}

/* ---- DIIM ---- */

static void test_diim_converges_to_static(void **state)
{
	struct an_iim *m = NULL;
	struct an_iim_solution *s = NULL;
	struct an_diim_result *r = NULL;
	struct an_iim_pert *p;
	double c[10] = { 0 };
	size_t e, w;

	(void)state;
	assert_int_equal(an_iim_default(&m, NULL), 0);
	assert_int_equal(an_iim_sector(m, "electricity", &e, NULL), 0);
	assert_int_equal(an_iim_sector(m, "water", &w, NULL), 0);
	c[e] = 0.3;
	c[w] = 0.1;
	p = pert(m, c);
	assert_int_equal(an_iim_solve(m, p, &s, NULL), 0);
	struct an_diim_params par = { .steps = 5000, .dt = 1, .pert = p, .output_hours = 8760 };
	assert_int_equal(an_diim_run(m, &par, &r, NULL), 0);
	for (size_t i = 0; i < m->n; i++) {
		double end = r->q[r->steps * m->n + i];

		if (fabs(end - s->q[i]) > 1e-12)
			fail_msg("%s: DIIM ends at %.17g, static %.17g", m->id[i], end, s->q[i]);
		assert_true(s->q[i] > 0); /* every sector is reached */
	}
	an_diim_result_free(r);
	an_iim_solution_free(s);
	an_iim_pert_free(p);
	an_iim_free(m);
}

static void test_diim_random_matrix_converges(void **state)
{
	size_t n = 40;
	double *a = random_matrix(n, 0.7, 99), c[40], q[40], k[40];
	struct an_iim *m = model(n, a);
	struct an_diim_result *r = NULL;
	struct an_iim_pert *p;
	uint64_t seed = 5;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		c[i] = uniform(&seed) < 0.2 ? 0.1 * uniform(&seed) : 0;
		k[i] = 0.05 + 0.9 * uniform(&seed); /* k (1 - a_ii) dt <= 1 */
	}
	p = pert(m, c);
	jacobi(n, a, c, q);
	struct an_diim_params par = { .steps = 4000, .dt = 1, .pert = p, .k = k };
	assert_int_equal(an_diim_run(m, &par, &r, NULL), 0);
	for (size_t i = 0; i < n; i++)
		assert_true(fabs(r->q[r->steps * n + i] - q[i]) < 1e-12);
	for (size_t i = 0; i < n; i++)
		assert_true(r->k[i] == k[i]);
	an_diim_result_free(r);
	an_iim_pert_free(p);
	an_iim_free(m);
	free(a);
}

static void test_k_from_recovery_time(void **state)
{
	const double a[] = { 0.2 };
	struct an_iim *m = model(1, a);
	struct an_diim_result *r = NULL;
	const double T = 48, q0 = 0.8, rec[] = { T };
	double k = an_diim_k_from_recovery(T, 0.2), ratio;

	(void)state;
	/* the calibration: a decoupled sector falls to 1% in T hours (continuous time) */
	assert_true(fabs(k - log(100.0) / (T * 0.8)) < 1e-15);
	assert_true(fabs(q0 * exp(-k * (1 - 0.2) * T) - 0.01 * q0) < 1e-15);
	/* the DIIM's steps follow q(t) = q0 (1 - k (1 - a) dt)^t exactly */
	struct an_diim_params par = { .steps = 48, .dt = 1, .q0 = &q0, .recovery = rec };
	assert_int_equal(an_diim_run(m, &par, &r, NULL), 0);
	assert_true(fabs(r->k[0] - k) < 1e-15);
	for (size_t t = 0; t <= 48; t++)
		assert_true(fabs(r->q[t] - q0 * pow(1 - k * 0.8, (double)t)) < 1e-14);
	an_diim_result_free(r);
	/* with short steps q(T) approaches 0.01 q(0): within 0.5% at dt = 0.01 h */
	par.steps = 4800;
	par.dt = 0.01;
	assert_int_equal(an_diim_run(m, &par, &r, NULL), 0);
	ratio = r->q[4800] / (0.01 * q0);
	assert_true(fabs(ratio - 1) < 0.005);
	an_diim_result_free(r);
	an_iim_free(m);
}

static void test_trapezoid_by_hand(void **state)
{
	const double a[] = { 0 }, half = 0.5, one = 1.0, frozen = 0, q04 = 0.4;
	struct an_iim *m = model(1, a);
	struct an_diim_result *r = NULL;

	(void)state;
	m->x = cep_malloc(sizeof(double));
	m->x[0] = 8760;
	/* q = 1, 0.5, 0.25: (1 + 0.5)/2 + (0.5 + 0.25)/2 = 1.125 hours */
	struct an_diim_params par = { .steps = 2, .dt = 1, .q0 = &one, .k = &half,
				      .output_hours = 8760 };
	assert_int_equal(an_diim_run(m, &par, &r, NULL), 0);
	assert_true(r->q[0] == 1 && r->q[1] == 0.5 && r->q[2] == 0.25);
	assert_true(r->impact[0] == 1.125);
	/* x = 8760 per 8760 hours: the loss is 1 per hour of full stoppage */
	assert_true(r->loss[0] == 0.75 && r->loss[1] == 0.375 && r->loss_total[0] == 1.125);
	an_diim_result_free(r);
	/* k = 0 freezes q: 0.4 for 10 steps of half an hour = 2 hours */
	par = (struct an_diim_params){ .steps = 10, .dt = 0.5, .q0 = &q04, .k = &frozen,
				       .output_hours = 4380 };
	assert_int_equal(an_diim_run(m, &par, &r, NULL), 0);
	assert_true(fabs(r->impact[0] - 2.0) < 1e-15);
	assert_true(fabs(r->loss_total[0] - 4.0) < 1e-12); /* 8760 / 4380 x 2 */
	an_diim_result_free(r);
	an_iim_free(m);
}

/* With k (1 - a) dt = 1, q(t+1) = c*(t): the timeline shows the pieces. */
static void test_time_varying_perturbation(void **state)
{
	const double a[] = { 0 }, k = 1, want[] = { 0, 0, 0, 0.5, 0.5, 0.5, 0, 0 };
	struct an_iim *m = model(1, a);
	struct an_diim_result *r = NULL;
	struct an_iim_pert *p = NULL;
	const struct an_iim_window w[] = { { 0, 0.5, 2, 5 } };

	(void)state;
	assert_int_equal(an_iim_pert_from_windows(m, w, 1, &p, NULL), 0);
	struct an_diim_params par = { .steps = 7, .dt = 1, .pert = p, .k = &k };
	assert_int_equal(an_diim_run(m, &par, &r, NULL), 0);
	for (size_t t = 0; t <= 7; t++)
		assert_true(r->q[t] == want[t]);
	assert_true(r->impact[0] == 1.5); /* 0.25 + 0.5 + 0.5 + 0.25 */
	assert_null(r->loss);
	an_diim_result_free(r);
	an_iim_pert_free(p);
	an_iim_free(m);
}

static void test_diim_bad_parameters(void **state)
{
	const double a[] = { 0.5 }, big_k = 2.1, rec_short[] = { 4 }, bad_q0 = 1.5;
	struct an_iim *m = model(1, a);
	struct an_diim_result *r = NULL;
	struct cep_error err;

	(void)state;
	struct an_diim_params par = { .steps = 10, .dt = 1, .k = &big_k };
	cep_error_init(&err);
	/* k (1 - a) dt = 1.05 > 1 */
	assert_int_equal(an_diim_run(m, &par, &r, &err), CEP_EINVAL);
	assert_non_null(strstr(err.message, "k of s1"));
	/* recovery shorter than ln(100) steps */
	par.k = NULL;
	par.recovery = rec_short;
	cep_error_init(&err);
	assert_int_equal(an_diim_run(m, &par, &r, &err), CEP_EINVAL);
	assert_non_null(strstr(err.message, "overshoot"));
	/* no K and no recovery times */
	par.recovery = NULL;
	assert_int_equal(an_diim_run(m, &par, &r, NULL), CEP_EINVAL);
	par.k = &big_k;
	par.dt = 0.5; /* now k (1 - a) dt = 0.525 */
	assert_int_equal(an_diim_run(m, &par, &r, NULL), 0);
	an_diim_result_free(r);
	par.q0 = &bad_q0;
	assert_int_equal(an_diim_run(m, &par, &r, NULL), CEP_EINVAL);
	par.q0 = NULL;
	par.steps = 0;
	assert_int_equal(an_diim_run(m, &par, &r, NULL), CEP_EINVAL);
	par.steps = AN_DIIM_MAX_STEPS + 1;
	assert_int_equal(an_diim_run(m, &par, &r, NULL), CEP_ETOOBIG);
	par.steps = 10;
	par.dt = 0;
	assert_int_equal(an_diim_run(m, &par, &r, NULL), CEP_EINVAL);
	an_iim_free(m);
}

static void test_diim_cells_capped(void **state)
{
	double *a = calloc(1000 * 1000, sizeof(double)), k[1000];
	struct an_iim *m = model(1000, a);
	struct an_diim_result *r = NULL;
	struct cep_error err;

	(void)state;
	for (size_t i = 0; i < 1000; i++)
		k[i] = 0.5;
	struct an_diim_params par = { .steps = AN_DIIM_MAX_CELLS / 1000, .dt = 1, .k = k };
	cep_error_init(&err);
	assert_int_equal(an_diim_run(m, &par, &r, &err), CEP_ETOOBIG);
	assert_non_null(strstr(err.message, "1000 sectors"));
	an_iim_free(m);
	free(a);
}

static void cancel_after_first(void *ctx, unsigned long done, unsigned long total)
{
	atomic_int *cancel = ctx;

	(void)total;
	if (done > 0)
		atomic_store(cancel, 1);
}

static void test_diim_cancel(void **state)
{
	struct an_iim *m = NULL;
	struct an_diim_result *r = NULL;
	atomic_int cancel = 0;
	struct an_progress pg = { cancel_after_first, &cancel, &cancel };

	(void)state;
	assert_int_equal(an_iim_default(&m, NULL), 0);
	struct an_diim_params par = { .steps = 10000, .dt = 1, .output_hours = 8760,
				      .progress = &pg };
	assert_int_equal(an_diim_run(m, &par, &r, NULL), CEP_EBUSY);
	assert_null(r);
	an_iim_free(m);
}

/* ---- the default model and documents ---- */

static void test_default_model_is_labelled(void **state)
{
	struct an_iim *m = NULL;
	struct an_iim_solution *s = NULL;
	struct an_iim_pert *p;
	double c[10] = { 0 };
	json_t *j = NULL;
	struct cep_buf csv, svg;
	size_t e;

	(void)state;
	cep_buf_init(&csv, 1 << 20);
	cep_buf_init(&svg, 1 << 20);
	assert_int_equal(an_iim_default(&m, NULL), 0);
	assert_int_equal(m->n, 10);
	assert_true(m->illustrative);
	assert_non_null(strstr(m->source, "ILLUSTRATIVE"));
	assert_int_equal(an_iim_check(m, NULL, NULL), 0);
	assert_int_equal(an_iim_sector(m, "electricity", &e, NULL), 0);
	assert_string_equal(m->name[e], "電力");
	assert_int_equal(an_iim_sector(m, "nuclear", &e, NULL), CEP_ENOTFOUND);
	assert_int_equal(an_iim_sector(m, "electricity", &e, NULL), 0);
	c[e] = 0.3;
	p = pert(m, c);
	assert_int_equal(an_iim_solve(m, p, &s, NULL), 0);
	assert_non_null(s->loss);
	assert_true(s->loss[e] == m->x[e] * s->q[e]);
	assert_int_equal(an_iim_solution_json(m, s, &j), 0);
	assert_true(json_is_true(json_object_get(j, "illustrative")));
	assert_int_equal(json_array_size(json_object_get(j, "sectors")), 10);
	assert_true(json_real_value(json_object_get(json_array_get(json_object_get(j, "sectors"), e),
						    "q")) == s->q[e]);
	assert_int_equal(an_iim_solution_csv(m, s, &csv), 0);
	assert_non_null(strstr(csv.data, "sector,name,c,q,saturated,loss\n"));
	assert_non_null(strstr(csv.data, "\nelectricity,電力,0.3,"));
	assert_int_equal(an_iim_solution_svg(m, s, &svg, NULL), 0);
	assert_non_null(strstr(svg.data, "ILLUSTRATIVE"));
	json_decref(j);
	cep_buf_free(&csv);
	cep_buf_free(&svg);
	an_iim_solution_free(s);
	an_iim_pert_free(p);
	an_iim_free(m);
}

/* The documents of a DIIM run; twice the same run gives the same bytes. */
static void diim_documents(char **ret_csv, char **ret_svg, json_t **ret_json)
{
	struct an_iim *m = NULL;
	struct an_diim_result *r = NULL;
	struct an_iim_pert *p = NULL;
	struct an_iim_window w[] = { { 4, 0.5, 0, 24 } };
	struct cep_buf csv, svg;

	cep_buf_init(&csv, 1 << 22);
	cep_buf_init(&svg, 1 << 22);
	assert_int_equal(an_iim_default(&m, NULL), 0);
	assert_int_equal(an_iim_pert_from_windows(m, w, 1, &p, NULL), 0);
	struct an_diim_params par = { .steps = 100, .dt = 1, .pert = p, .output_hours = 8760 };
	assert_int_equal(an_diim_run(m, &par, &r, NULL), 0);
	assert_int_equal(an_diim_csv(m, r, &csv), 0);
	assert_int_equal(an_diim_svg(m, r, &svg, NULL), 0);
	assert_int_equal(an_diim_json(m, r, ret_json), 0);
	*ret_csv = cep_buf_steal(&csv);
	*ret_svg = cep_buf_steal(&svg);
	an_diim_result_free(r);
	an_iim_pert_free(p);
	an_iim_free(m);
}

static void test_diim_documents(void **state)
{
	char *csv1, *svg1, *csv2, *svg2, *line;
	json_t *j1, *j2, *q;
	size_t rows = 0;

	(void)state;
	diim_documents(&csv1, &svg1, &j1);
	diim_documents(&csv2, &svg2, &j2);
	assert_string_equal(csv1, csv2);
	assert_string_equal(svg1, svg2);
	assert_true(json_equal(j1, j2));
	assert_non_null(strstr(csv1, "step,hour,info-comm,finance,"));
	for (line = csv1; (line = strchr(line, '\n')); line++)
		rows++;
	assert_int_equal(rows, 102); /* the header and steps 0..100 */
	assert_true(json_is_true(json_object_get(j1, "illustrative")));
	q = json_object_get(json_object_get(json_object_get(j1, "timeline"), "q"), "electricity");
	assert_int_equal(json_array_size(q), 101);
	assert_true(json_real_value(json_array_get(q, 0)) == 0);
	assert_true(json_real_value(json_array_get(q, 24)) > 0.4);
	assert_int_equal(json_array_size(json_object_get(json_object_get(json_object_get(j1,
		"timeline"), "loss"), "electricity")), 100);
	assert_non_null(json_object_get(j1, "total_loss"));
	assert_non_null(strstr(svg1, "電力 (electricity)"));
	cep_free(csv1);
	cep_free(csv2);
	cep_free(svg1);
	cep_free(svg2);
	json_decref(j1);
	json_decref(j2);
}

/* ---- CSV import ---- */

/* Import text (as a matrix, or a table when table); expect rc and, when
 * given, a message containing want. */
static void expect_import(const char *text, bool table, int rc, const char *want)
{
	struct an_iim *m = NULL;
	struct cep_error err;
	int got;

	cep_error_init(&err);
	got = table ? an_iim_from_table_csv(text, strlen(text), &m, &err) :
		      an_iim_from_matrix_csv(text, strlen(text), &m, &err);
	if (got != rc)
		fail_msg("expected %d, got %d (%s) for:\n%s", rc, got, err.message, text);
	if (want && !strstr(err.message, want))
		fail_msg("expected \"%s\" in \"%s\"", want, err.message);
	an_iim_free(m);
}

static void test_import_matrix(void **state)
{
	const char *text = "\xEF\xBB\xBF" "sector,a,b,output\r\n"
			   "a, 0.1 ,0.2,100\r\n"
			   "\r\n"
			   "b,0,0.3,50\r\n";
	struct an_iim *m = NULL;

	(void)state;
	assert_int_equal(an_iim_from_matrix_csv(text, strlen(text), &m, NULL), 0);
	assert_int_equal(m->n, 2);
	assert_string_equal(m->id[1], "b");
	assert_true(m->a[0] == 0.1 && m->a[1] == 0.2 && m->a[2] == 0 && m->a[3] == 0.3);
	assert_true(m->x[0] == 100 && m->x[1] == 50);
	assert_false(m->illustrative);
	an_iim_free(m);
	expect_import(",a,b\na,0.1,0.2\nb,0,0.3\n", false, 0, NULL); /* no outputs */
}

static void test_import_table_demand_side(void **state)
{
	/* rows supply, columns use: a sells 20 to a and 30 to b of its 200 */
	const char *text = "供給\\需要,a,b,国内生産額\n"
			   "a,20,30,200\n"
			   "b,10,0,400\n";
	struct an_iim *m = NULL;

	(void)state;
	assert_int_equal(an_iim_from_table_csv(text, strlen(text), &m, NULL), 0);
	assert_true(m->a[0] == 20.0 / 200 && m->a[1] == 30.0 / 200);
	assert_true(m->a[2] == 10.0 / 400 && m->a[3] == 0);
	assert_true(m->x[0] == 200 && m->x[1] == 400);
	an_iim_free(m);
}

static void test_import_errors_name_line_and_column(void **state)
{
	(void)state;
	expect_import("", false, CEP_EINVAL, "empty");
	expect_import("sector\n", false, CEP_EINVAL, "line 1: the header names no sectors");
	expect_import(",a,b\na,0.1,x\nb,0,0\n", false, CEP_EINVAL,
		      "line 2, column 3 (b): \"x\" is not a number");
	expect_import(",a,b\na,0.1,0\n\nb,0,-1\n", false, CEP_EINVAL,
		      "line 4, column 3 (b): -1 is negative");
	expect_import(",a,b\nb,0,0\na,0,0\n", false, CEP_EINVAL,
		      "line 2, column 1: row \"b\" where \"a\" was expected");
	expect_import(",a,b\na,0,0\n", false, CEP_EINVAL, "line 2: the file ends after 1 of 2");
	expect_import(",a,b\na,0,0,0\nb,0,0\n", false, CEP_EINVAL,
		      "line 2: 4 fields, but the header has 3");
	expect_import(",a,b\na,0,0\nb,0,0\nc,0,0\n", false, CEP_EINVAL,
		      "line 4: more rows than the 2 sectors");
	expect_import(",a,a\na,0,0\na,0,0\n", false, CEP_EINVAL, "line 1, column 3: sector \"a\"");
	expect_import(",a,b\na,0,\"0\nb,0,0\n", false, CEP_EPARSE, "line 2: unterminated");
	expect_import(",a,b\na,0,1e999\nb,0,0\n", false, CEP_EINVAL, "line 2, column 3");
	expect_import(",a,b\na,0,nan\nb,0,0\n", false, CEP_EINVAL, "line 2, column 3");
	expect_import(",a,b,output\na,0,0,0\nb,0,0,1\n", false, CEP_EINVAL,
		      "line 2, column 4 (output): the output of a must be > 0");
	expect_import(",a,b\na,1,2\nb,3,4\n", true, CEP_EINVAL,
		      "line 1, column 3: the last column must be \"output\"");
	expect_import(",a,b,output\na,1,2,10\n\n\nb,3,4,0\n", true, CEP_EINVAL,
		      "line 5, column 4 (output)");
	expect_import(",a,\x01,output\n", true, CEP_EINVAL, "line 1, column 3: a sector id");
}

static void test_import_caps(void **state)
{
	struct cep_buf b;
	struct an_iim *m = NULL;
	struct cep_error err;

	(void)state;
	cep_buf_init(&b, 1 << 20);
	assert_int_equal(cep_buf_puts(&b, "x"), 0);
	for (unsigned i = 0; i <= AN_IIM_MAX_SECTORS; i++)
		assert_int_equal(cep_buf_printf(&b, ",s%u", i), 0);
	assert_int_equal(cep_buf_puts(&b, "\n"), 0);
	cep_error_init(&err);
	assert_int_equal(an_iim_from_matrix_csv(b.data, b.len, &m, &err), CEP_ETOOBIG);
	cep_buf_free(&b);
	cep_error_init(&err);
	assert_int_equal(an_iim_from_matrix_csv("", AN_IIM_MAX_CSV_BYTES + 1, &m, &err),
			 CEP_ETOOBIG);
}

static void test_perturbation_csv(void **state)
{
	const double a[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct an_iim *m = model(3, a);
	struct an_iim_pert *p = NULL;
	struct cep_error err;
	const char *timed = "hour,s3,s1\n0,0.5,0\n24,0,0.25\n";

	(void)state;
	assert_int_equal(an_iim_pert_from_csv(m, timed, strlen(timed), &p, NULL), 0);
	assert_int_equal(p->npieces, 2);
	assert_true(p->from[0] == 0 && p->from[1] == 24);
	assert_true(p->c[0] == 0 && p->c[1] == 0 && p->c[2] == 0.5);
	assert_true(p->c[3] == 0.25 && p->c[4] == 0 && p->c[5] == 0);
	an_iim_pert_free(p);
	assert_int_equal(an_iim_pert_from_csv(m, "s2\n0.4\n", 7, &p, NULL), 0);
	assert_true(p->npieces == 1 && p->from[0] == 0 && p->c[1] == 0.4);
	an_iim_pert_free(p);
#define PERT_ERR(text, want)                                                              \
	do {                                                                              \
		cep_error_init(&err);                                                     \
		assert_int_equal(an_iim_pert_from_csv(m, text, strlen(text), &p, &err),   \
				 CEP_EINVAL);                                             \
		if (!strstr(err.message, want))                                           \
			fail_msg("expected \"%s\" in \"%s\"", want, err.message);         \
	} while (0)
	PERT_ERR("s2\n0.4\n0.5\n", "line 3: without an \"hour\" column");
	PERT_ERR("hour,s1\n5,0.1\n5,0.2\n", "line 3, column 1 (hour): hour 5 is repeated");
	PERT_ERR("hour,s1\n5,0.1\n4,0.2\n", "line 3, column 1 (hour): hour 4 is outside");
	PERT_ERR("s1,s9\n0,0\n", "line 1, column 2: \"s9\" is not a sector");
	PERT_ERR("s1,s1\n0,0\n", "line 1, column 2: sector s1 is given twice");
	PERT_ERR("s1,s2\n0,1.5\n", "line 2, column 2 (s2): c* 1.5 is outside [0, 1]");
	PERT_ERR("s1\n", "line 1: no row of values");
	PERT_ERR("s1,s2\n0\n", "line 2: 1 fields, but the header has 2");
#undef PERT_ERR
	an_iim_free(m);
}

static void test_vector_csv(void **state)
{
	const double a[] = { 0, 0, 0, 0 };
	struct an_iim *m = model(2, a);
	double *v = NULL;
	struct cep_error err;

	(void)state;
	assert_int_equal(an_iim_vector_from_csv(m, "s2,s1\n0.5,0.25\n", 15, "k", 0, 1, &v, NULL),
			 0);
	assert_true(v[0] == 0.25 && v[1] == 0.5);
	cep_free(v);
	cep_error_init(&err);
	assert_int_equal(an_iim_vector_from_csv(m, "s2\n0.5\n", 7, "k", 0, 1, &v, &err),
			 CEP_EINVAL);
	assert_non_null(strstr(err.message, "line 1: sector s1 has no column"));
	cep_error_init(&err);
	assert_int_equal(an_iim_vector_from_csv(m, "s2,s1\n0.5,2\n", 12, "k", 0, 1, &v, &err),
			 CEP_EINVAL);
	assert_non_null(strstr(err.message, "line 2, column 2 (s1): k 2 is outside [0, 1]"));
	cep_error_init(&err);
	assert_int_equal(an_iim_vector_from_csv(m, "s2,s1\n0,0\n1,1\n", 14, "k", 0, 1, &v, &err),
			 CEP_EINVAL);
	assert_non_null(strstr(err.message, "line 3: one row"));
	an_iim_free(m);
}

/* ---- allocation failures ---- */

/* Everything a `sim iim` and a `sim diim` do, once. Returns 0 or the first failure. */
static int everything(void)
{
	const char *text = ",a,b,output\na,0.1,0.2,10\nb,0.3,0,20\n";
	const char *ctext = "hour,a\n0,0.5\n10,0\n";
	struct an_iim *d = NULL, *m = NULL;
	struct an_iim_pert *p = NULL;
	struct an_iim_solution *s = NULL;
	struct an_diim_result *r = NULL;
	struct an_iim_window w[] = { { 0, 0.3, 0, INFINITY } };
	const double k[] = { 0.5, 0.5 };
	struct cep_buf b;
	json_t *j = NULL;
	int rc;

	cep_buf_init(&b, 1 << 22);
	rc = an_iim_default(&d, NULL);
	if (rc == 0)
		rc = an_iim_from_table_csv(text, strlen(text), &m, NULL);
	if (rc == 0)
		rc = an_iim_pert_from_windows(m, w, 1, &p, NULL);
	if (rc == 0)
		rc = an_iim_solve(m, p, &s, NULL);
	if (rc == 0)
		rc = an_iim_solution_json(m, s, &j);
	if (rc == 0)
		rc = an_iim_solution_csv(m, s, &b);
	if (rc == 0)
		rc = an_iim_solution_svg(m, s, &b, NULL);
	an_iim_pert_free(p);
	p = NULL;
	json_decref(j);
	j = NULL;
	if (rc == 0)
		rc = an_iim_pert_from_csv(m, ctext, strlen(ctext), &p, NULL);
	struct an_diim_params par = { .steps = 20, .dt = 1, .pert = p, .k = k, .output_hours = 1 };
	if (rc == 0)
		rc = an_diim_run(m, &par, &r, NULL);
	if (rc == 0)
		rc = an_diim_json(m, r, &j);
	if (rc == 0)
		rc = an_diim_csv(m, r, &b);
	if (rc == 0)
		rc = an_diim_svg(m, r, &b, NULL);
	json_decref(j);
	an_diim_result_free(r);
	an_iim_solution_free(s);
	an_iim_pert_free(p);
	an_iim_free(m);
	an_iim_free(d);
	cep_buf_free(&b);
	return rc;
}

static void test_allocation_failures(void **state)
{
	long n;

	(void)state;
	for (n = 0;; n++) {
		int rc;

		cep_alloc_fail_after(n);
		rc = everything();
		cep_alloc_fail_after(-1);
		if (rc == 0)
			break;
		if (rc != CEP_ENOMEM)
			fail_msg("with %ld allocations allowed: %d, not CEP_ENOMEM", n, rc);
	}
	assert_true(n > 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_matches_independent_solve),
		cmocka_unit_test(test_static_by_hand_with_row_sum_above_one),
		cmocka_unit_test(test_static_saturates),
		cmocka_unit_test(test_rho_at_or_above_one_refused),
		cmocka_unit_test(test_rho_just_below_one_accepted),
		cmocka_unit_test(test_bad_entries_refused),
		cmocka_unit_test(test_bad_perturbation_refused),
		cmocka_unit_test(test_windows_make_pieces),
		cmocka_unit_test(test_diim_converges_to_static),
		cmocka_unit_test(test_diim_random_matrix_converges),
		cmocka_unit_test(test_k_from_recovery_time),
		cmocka_unit_test(test_trapezoid_by_hand),
		cmocka_unit_test(test_time_varying_perturbation),
		cmocka_unit_test(test_diim_bad_parameters),
		cmocka_unit_test(test_diim_cells_capped),
		cmocka_unit_test(test_diim_cancel),
		cmocka_unit_test(test_default_model_is_labelled),
		cmocka_unit_test(test_diim_documents),
		cmocka_unit_test(test_import_matrix),
		cmocka_unit_test(test_import_table_demand_side),
		cmocka_unit_test(test_import_errors_name_line_and_column),
		cmocka_unit_test(test_import_caps),
		cmocka_unit_test(test_perturbation_csv),
		cmocka_unit_test(test_vector_csv),
		cmocka_unit_test(test_allocation_failures),
	};

	cep_alloc_install();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
