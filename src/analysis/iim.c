/* iim.c - the IIM's model (lifecycle, lookup, checks), the test of rho(A*) < 1
 * and the static solution q = (I - A*)^-1 c*. */
#include "iim_int.h"

#include "base/alloc.h"
#include "base/text.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Power iteration: at most this many multiply-adds in all. */
#define RHO_WORK 200000000.0

int an_iim_new(size_t n, struct an_iim **ret, struct cep_error *err)
{
	struct an_iim *m = NULL;
	int rc = 0;

	if (n == 0)
		return cep_error_set(err, CEP_EINVAL, "sectors", "a model needs at least one sector");
	if (n > AN_IIM_MAX_SECTORS)
		return cep_error_set(err, CEP_ETOOBIG, "sectors",
				     "%zu sectors: at most %u are supported", n, AN_IIM_MAX_SECTORS);
	m = cep_calloc(1, sizeof(*m));
	if (!m)
		return CEP_ENOMEM;
	m->n = n;
	m->id = cep_calloc(n, sizeof(*m->id));
	m->name = cep_calloc(n, sizeof(*m->name));
	m->a = cep_calloc(n * n, sizeof(*m->a));
	if (!m->id || !m->name || !m->a) {
		rc = CEP_ENOMEM;
		goto out;
	}
	*ret = m;
	m = NULL;
out:
	an_iim_free(m);
	return rc;
}

void an_iim_free(struct an_iim *m)
{
	if (!m)
		return;
	for (size_t i = 0; m->id && i < m->n; i++)
		cep_free(m->id[i]);
	for (size_t i = 0; m->name && i < m->n; i++)
		cep_free(m->name[i]);
	cep_free(m->id);
	cep_free(m->name);
	cep_free(m->a);
	cep_free(m->x);
	cep_free(m->recovery);
	cep_free(m);
}

int an_iim_number(const char *s, double *ret)
{
	char *end;
	double v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return CEP_EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno == ERANGE || !isfinite(v))
		return CEP_EINVAL;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end)
		return CEP_EINVAL;
	*ret = v;
	return 0;
}

int an_iim_id_check(const char *id)
{
	return cep_text_check(id, AN_IIM_MAX_ID_CHARS, true);
}

int an_iim_sector(const struct an_iim *m, const char *id, size_t *ret, struct cep_error *err)
{
	char list[256];
	size_t len = 0, i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->id[i], id) == 0) {
			*ret = i;
			return 0;
		}
	list[0] = '\0';
	for (i = 0; i < m->n && len + strlen(m->id[i]) + 8 < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
					m->id[i]);
	return cep_error_set(err, CEP_ENOTFOUND, "sector", "unknown sector \"%.64s\" (the model's "
			     "sectors: %s%s)", id, list, i < m->n ? ", ..." : "");
}

/* Ids, entries, outputs and recovery times of m, before any arithmetic. */
static int check_entries(const struct an_iim *m, struct cep_error *err)
{
	size_t n = m->n;

	if (n == 0 || n > AN_IIM_MAX_SECTORS || !m->id || !m->a)
		return cep_error_set(err, CEP_EINVAL, "sectors", "the model has no sectors");
	for (size_t i = 0; i < n; i++) {
		if (!m->id[i] || an_iim_id_check(m->id[i]) < 0)
			return cep_error_set(err, CEP_EINVAL, "sector",
					     "sector %zu has no id or a malformed one (1-%u "
					     "characters of UTF-8 text)", i + 1, AN_IIM_MAX_ID_CHARS);
		for (size_t j = 0; j < i; j++)
			if (strcmp(m->id[i], m->id[j]) == 0)
				return cep_error_set(err, CEP_EINVAL, "sector",
						     "sector \"%s\" is given twice (%zu and %zu)",
						     m->id[i], j + 1, i + 1);
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			double v = m->a[i * n + j];

			if (!isfinite(v) || v < 0)
				return cep_error_set(err, CEP_EINVAL, "a",
						     "A*[%s][%s] (row %zu, column %zu) is %g: "
						     "entries must be finite and >= 0",
						     m->id[i], m->id[j], i + 1, j + 1, v);
		}
	for (size_t i = 0; m->x && i < n; i++)
		if (!isfinite(m->x[i]) || m->x[i] <= 0)
			return cep_error_set(err, CEP_EINVAL, "output",
					     "the output of %s is %g: it must be finite and > 0",
					     m->id[i], m->x[i]);
	for (size_t i = 0; m->recovery && i < n; i++)
		if (!isfinite(m->recovery[i]) || m->recovery[i] <= 0 ||
		    m->recovery[i] > AN_IIM_MAX_HOURS)
			return cep_error_set(err, CEP_EINVAL, "recovery",
					     "the recovery time of %s is %g hours: it must be "
					     "> 0 and at most %g", m->id[i], m->recovery[i],
					     AN_IIM_MAX_HOURS);
	return 0;
}

/* Bounds on rho(A) for nonnegative A: power iteration on A + I (which has the
 * same Perron vector and no periodicity) from a positive vector, with the
 * Collatz-Wielandt bounds min/max (A v)_i / v_i, valid for any v > 0. */
static int rho_bounds(const struct an_iim *m, struct an_iim_rho *ret)
{
	size_t n = m->n, iters = (size_t)fmin(1000.0, fmax(30.0, RHO_WORK / ((double)n * n)));
	double *v = cep_malloc(n * sizeof(*v)), *w = cep_malloc(n * sizeof(*w));
	struct an_iim_rho r = { 0, INFINITY };
	int rc = 0;

	if (!v || !w) {
		rc = CEP_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = 1.0;
	for (size_t it = 0; it < iters; it++) {
		double lo = INFINITY, hi = 0, top = 0;

		for (size_t i = 0; i < n; i++) {
			const double *row = m->a + i * n;
			double s = 0;

			for (size_t j = 0; j < n; j++)
				s += row[j] * v[j];
			w[i] = s;
			lo = fmin(lo, s / v[i]);
			hi = fmax(hi, s / v[i]);
		}
		r.lower = fmax(r.lower, lo);
		r.upper = fmin(r.upper, hi);
		if (r.upper - r.lower <= 1e-12 + 1e-10 * r.upper)
			break;
		for (size_t i = 0; i < n; i++) {
			v[i] += w[i];
			top = fmax(top, v[i]);
		}
		for (size_t i = 0; i < n; i++)
			v[i] = fmax(v[i] / top, 1e-300); /* stays > 0: v >= v_prev / top */
	}
	*ret = r;
out:
	cep_free(v);
	cep_free(w);
	return rc;
}

/* The largest row sum of A*, and its row, for messages. */
static double max_row_sum(const struct an_iim *m, size_t *ret_row)
{
	double best = -1;

	for (size_t i = 0; i < m->n; i++) {
		double s = 0;

		for (size_t j = 0; j < m->n; j++)
			s += m->a[i * m->n + j];
		if (s > best) {
			best = s;
			*ret_row = i;
		}
	}
	return best;
}

/* Test rho(A*) < 1 exactly as "I - A* is nonsingular with a nonnegative
 * inverse": for the Z-matrix B = I - A*, B y = 1 with y > 0 holds if and only
 * if B is a nonsingular M-matrix. Since B^-1 >= 0, max y = ||B^-1||_inf >=
 * 1 / (1 - rho); beyond AN_IIM_RHO_GUARD the solve has lost its digits (rho is
 * 1 within rounding, or the matrix is that ill-conditioned) and the matrix is
 * refused. On success,
 * *ret_lu and *ret_piv (caller owns, cep_free; may be NULL) hold the LU of B
 * for solving. *ret_rho is set on success and on CEP_ESEMANTIC. */
static int stability(const struct an_iim *m, double **ret_lu, size_t **ret_piv,
		     struct an_iim_rho *ret_rho, struct cep_error *err)
{
	size_t n = m->n, worst_row = 0;
	double *b = cep_malloc(n * n * sizeof(*b)), *y = cep_malloc(n * sizeof(*y));
	size_t *piv = cep_malloc(n * sizeof(*piv));
	double ymin = INFINITY, ymax = 0;
	struct an_iim_rho rho;
	const char *why = NULL;
	int rc;

	if (!b || !y || !piv) {
		rc = CEP_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n * n; i++)
		b[i] = -m->a[i];
	for (size_t i = 0; i < n; i++) {
		b[i * n + i] += 1.0;
		y[i] = 1.0;
	}
	if (an_lu_factor(b, n, piv) < 0) {
		why = "I - A* is singular";
	} else {
		an_lu_solve(b, n, piv, y);
		for (size_t i = 0; i < n && !why; i++) {
			if (!isfinite(y[i]) || y[i] <= 0)
				why = "I - A* has no nonnegative inverse";
			ymin = fmin(ymin, y[i]);
			ymax = fmax(ymax, y[i]);
		}
		if (!why && ymax > AN_IIM_RHO_GUARD)
			why = "I - A* is singular within rounding: its inverse has a norm "
			      "above 1e12";
	}
	rc = rho_bounds(m, &rho);
	if (rc < 0)
		goto out;
	if (why) {
		double rs = max_row_sum(m, &worst_row);

		if (ret_rho)
			*ret_rho = rho;
		rc = cep_error_set(err, CEP_ESEMANTIC, "a",
				   "the spectral radius of A* is >= 1 (%s; estimate %.6g): "
				   "q = A* q + c* has no bounded solution. The largest row sum "
				   "is %.6g (%s); rows summing to 1 or more are the usual cause",
				   why, rho.upper, rs, m->id[worst_row]);
		goto out;
	}
	/* Collatz-Wielandt with y itself: (A* y)_i / y_i = 1 - 1/y_i. */
	rho.lower = fmax(rho.lower, 1.0 - 1.0 / ymin);
	rho.upper = fmax(rho.lower, fmin(rho.upper, 1.0 - 1.0 / ymax));
	if (ret_rho)
		*ret_rho = rho;
	if (ret_lu) {
		*ret_lu = b;
		*ret_piv = piv;
		b = NULL;
		piv = NULL;
	}
out:
	cep_free(b);
	cep_free(y);
	cep_free(piv);
	return rc;
}

int an_iim_check(const struct an_iim *m, struct an_iim_rho *ret_rho, struct cep_error *err)
{
	int rc = check_entries(m, err);

	if (rc == 0)
		rc = stability(m, NULL, NULL, ret_rho, err);
	return rc;
}

void an_iim_pert_free(struct an_iim_pert *p)
{
	if (!p)
		return;
	cep_free(p->from);
	cep_free(p->c);
	cep_free(p);
}

int an_iim_pert_check(const struct an_iim *m, const struct an_iim_pert *p, struct cep_error *err)
{
	if (!p)
		return 0;
	if (p->n != m->n)
		return cep_error_set(err, CEP_EINVAL, "perturbation",
				     "the perturbation has %zu sectors, the model %zu", p->n, m->n);
	if (p->npieces > AN_IIM_MAX_PIECES)
		return cep_error_set(err, CEP_ETOOBIG, "perturbation",
				     "%zu pieces: at most %u", p->npieces, AN_IIM_MAX_PIECES);
	for (size_t k = 0; k < p->npieces; k++) {
		if (!isfinite(p->from[k]) || p->from[k] < 0 || p->from[k] > AN_IIM_MAX_HOURS ||
		    (k > 0 && p->from[k] <= p->from[k - 1]))
			return cep_error_set(err, CEP_EINVAL, "perturbation",
					     "piece %zu starts at hour %g: starts must be "
					     "ascending, from 0 to %g", k + 1, p->from[k],
					     AN_IIM_MAX_HOURS);
		for (size_t i = 0; i < m->n; i++) {
			double c = p->c[k * m->n + i];

			if (!isfinite(c) || c < 0 || c > 1)
				return cep_error_set(err, CEP_EINVAL, "perturbation",
						     "c* of %s is %g (from hour %g): it must be "
						     "in [0, 1]", m->id[i], c, p->from[k]);
		}
	}
	return 0;
}

void an_iim_solution_free(struct an_iim_solution *s)
{
	if (!s)
		return;
	cep_free(s->c);
	cep_free(s->q);
	cep_free(s->saturated);
	cep_free(s->loss);
	cep_free(s);
}

int an_iim_solve(const struct an_iim *m, const struct an_iim_pert *p,
		 struct an_iim_solution **ret, struct cep_error *err)
{
	struct an_iim_solution *s = NULL;
	double *lu = NULL;
	size_t *piv = NULL, n = m->n;
	int rc;

	rc = check_entries(m, err);
	if (rc == 0)
		rc = an_iim_pert_check(m, p, err);
	if (rc == 0 && p && (p->npieces > 1 || (p->npieces == 1 && p->from[0] != 0)))
		rc = cep_error_set(err, CEP_EINVAL, "perturbation",
				   "the static model takes one perturbation from hour 0; this one "
				   "starts at hour %g and changes %zu times: use the dynamic model",
				   p->from[0], p->npieces - 1);
	if (rc < 0)
		return rc;
	s = cep_calloc(1, sizeof(*s));
	if (!s)
		return CEP_ENOMEM;
	s->n = n;
	s->c = cep_calloc(n, sizeof(*s->c));
	s->q = cep_calloc(n, sizeof(*s->q));
	s->saturated = cep_calloc(n, sizeof(*s->saturated));
	if (m->x)
		s->loss = cep_calloc(n, sizeof(*s->loss));
	if (!s->c || !s->q || !s->saturated || (m->x && !s->loss)) {
		rc = CEP_ENOMEM;
		goto out;
	}
	rc = stability(m, &lu, &piv, &s->rho, err);
	if (rc < 0)
		goto out;
	if (p && p->npieces)
		memcpy(s->c, p->c, n * sizeof(*s->c));
	memcpy(s->q, s->c, n * sizeof(*s->q));
	an_lu_solve(lu, n, piv, s->q);
	for (size_t i = 0; i < n; i++) {
		s->saturated[i] = s->q[i] > 1.0;
		s->q[i] = fmin(1.0, fmax(0.0, s->q[i]));
		if (s->loss)
			s->loss[i] = m->x[i] * s->q[i];
	}
	*ret = s;
	s = NULL;
out:
	cep_free(lu);
	cep_free(piv);
	an_iim_solution_free(s);
	return rc;
}
