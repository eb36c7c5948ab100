/* iim_diim.c - the dynamic IIM: q(t+1) = q(t) + dt K [A* q(t) + c*(t) - q(t)],
 * clipped to [0, 1] every step, with the cumulative impact and the losses. */
#include "iim_int.h"

#include "base/alloc.h"

#include <math.h>
#include <string.h>

double an_diim_k_from_recovery(double hours, double a_ii)
{
	/* q(T) = q(0) e^{-k (1 - a_ii) T} = 0.01 q(0) */
	return log(100.0) / (hours * (1.0 - a_ii));
}

void an_diim_result_free(struct an_diim_result *r)
{
	if (!r)
		return;
	cep_free(r->q);
	cep_free(r->k);
	cep_free(r->impact);
	cep_free(r->loss);
	cep_free(r->loss_total);
	cep_free(r);
}

/* The run's size, before any work. */
static int check_size(const struct an_iim *m, const struct an_diim_params *p,
		      struct cep_error *err)
{
	if (p->steps == 0 || p->steps > AN_DIIM_MAX_STEPS)
		return cep_error_set(err, p->steps ? CEP_ETOOBIG : CEP_EINVAL, "steps",
				     "%zu steps: give 1 to %u", p->steps, AN_DIIM_MAX_STEPS);
	if ((double)m->n * ((double)p->steps + 1) > AN_DIIM_MAX_CELLS)
		return cep_error_set(err, CEP_ETOOBIG, "steps",
				     "%zu sectors x %zu steps is more than %u values: use fewer "
				     "steps or longer ones", m->n, p->steps + 1, AN_DIIM_MAX_CELLS);
	if (!isfinite(p->dt) || p->dt <= 0 || p->dt > AN_IIM_MAX_HOURS)
		return cep_error_set(err, CEP_EINVAL, "step_hours",
				     "a step of %g hours: it must be > 0 and at most %g", p->dt,
				     AN_IIM_MAX_HOURS);
	return 0;
}

/* The values of p, for a checked model m. */
static int check_params(const struct an_iim *m, const struct an_diim_params *p,
			struct cep_error *err)
{
	if (m->x && (!isfinite(p->output_hours) || p->output_hours <= 0))
		return cep_error_set(err, CEP_EINVAL, "output_hours",
				     "outputs covering %g hours: it must be > 0", p->output_hours);
	for (size_t i = 0; p->q0 && i < m->n; i++)
		if (!isfinite(p->q0[i]) || p->q0[i] < 0 || p->q0[i] > 1)
			return cep_error_set(err, CEP_EINVAL, "q0",
					     "the initial inoperability of %s is %g: it must be in "
					     "[0, 1]", m->id[i], p->q0[i]);
	return an_iim_pert_check(m, p->pert, err);
}

/* K, per hour: given (each k_i (1 - a_ii) dt <= 1, so that a step cannot
 * overshoot the equilibrium) or derived from the recovery times. */
static int resilience(const struct an_iim *m, const struct an_diim_params *p, double *k,
		      struct cep_error *err)
{
	const double *rec = p->recovery ? p->recovery : m->recovery;
	size_t n = m->n;

	if (!p->k && !rec)
		return cep_error_set(err, CEP_EINVAL, "recovery",
				     "the model has no recovery times: give K or a recovery time "
				     "for every sector");
	for (size_t i = 0; i < n; i++) {
		double self = 1.0 - m->a[i * n + i]; /* > 0: rho < 1 bounds a_ii */

		if (p->k) {
			k[i] = p->k[i];
			if (!isfinite(k[i]) || k[i] < 0 || k[i] * self * p->dt > 1.0 + 1e-12)
				return cep_error_set(err, CEP_EINVAL, "k",
						     "k of %s is %g: it must be >= 0 and at most "
						     "1 / ((1 - a*_ii) x step) = %g", m->id[i], k[i],
						     1.0 / (self * p->dt));
			continue;
		}
		if (!isfinite(rec[i]) || rec[i] <= 0 || rec[i] > AN_IIM_MAX_HOURS)
			return cep_error_set(err, CEP_EINVAL, "recovery",
					     "the recovery time of %s is %g hours: it must be > 0 "
					     "and at most %g", m->id[i], rec[i], AN_IIM_MAX_HOURS);
		if (rec[i] < log(100.0) * p->dt * (1 - 1e-12))
			return cep_error_set(err, CEP_EINVAL, "recovery",
					     "the recovery time of %s (%g hours) is shorter than "
					     "ln(100) steps (%g hours): one step would overshoot; "
					     "use shorter steps", m->id[i], rec[i], log(100.0) * p->dt);
		k[i] = an_diim_k_from_recovery(rec[i], m->a[i * n + i]);
	}
	return 0;
}

/* The piece of pert in force at hour h, from the piece *at on (pieces are
 * ascending); NULL before the first. A start within rounding of h counts. */
static const double *piece_at(const struct an_iim_pert *pert, double h, size_t *at)
{
	if (!pert)
		return NULL;
	while (*at < pert->npieces && pert->from[*at] <= h + 1e-9 * fmax(1.0, h))
		(*at)++;
	return *at ? pert->c + (*at - 1) * pert->n : NULL;
}

/* q(t+1) from q(t) = cur. One thread: a step is at most a million
 * multiply-adds (half a millisecond), too short to share, and a barrier per
 * step costs a time slice whenever another process holds a core. */
static void step(const struct an_iim *m, const double *k, double dt, const double *c,
		 const double *cur, double *nxt)
{
	size_t n = m->n;

	for (size_t i = 0; i < n; i++) {
		const double *row = m->a + i * n;
		double s = c ? c[i] : 0.0, v;

		for (size_t j = 0; j < n; j++)
			s += row[j] * cur[j];
		v = cur[i] + dt * k[i] * (s - cur[i]);
		nxt[i] = fmin(1.0, fmax(0.0, v));
	}
}

static int alloc_result(size_t n, size_t steps, bool losses, struct an_diim_result **ret)
{
	struct an_diim_result *r = cep_calloc(1, sizeof(*r));

	if (!r)
		return CEP_ENOMEM;
	r->n = n;
	r->steps = steps;
	r->q = cep_calloc((steps + 1) * n, sizeof(*r->q));
	r->k = cep_calloc(n, sizeof(*r->k));
	r->impact = cep_calloc(n, sizeof(*r->impact));
	if (losses) {
		r->loss = cep_calloc(steps * n, sizeof(*r->loss));
		r->loss_total = cep_calloc(n, sizeof(*r->loss_total));
	}
	if (!r->q || !r->k || !r->impact || (losses && (!r->loss || !r->loss_total))) {
		an_diim_result_free(r);
		return CEP_ENOMEM;
	}
	*ret = r;
	return 0;
}

int an_diim_run(const struct an_iim *m, const struct an_diim_params *p,
		struct an_diim_result **ret, struct cep_error *err)
{
	const struct an_progress *pg = p->progress;
	struct an_diim_result *r = NULL;
	struct an_iim_rho rho;
	size_t n = m->n, at = 0, every;
	int rc;

	rc = check_size(m, p, err);
	if (rc == 0)
		rc = an_iim_check(m, &rho, err);
	if (rc == 0)
		rc = check_params(m, p, err);
	if (rc < 0)
		return rc;
	rc = alloc_result(n, p->steps, m->x != NULL, &r);
	if (rc < 0)
		return rc;
	r->dt = p->dt;
	r->rho = rho;
	rc = resilience(m, p, r->k, err);
	if (rc < 0)
		goto out;
	if (p->q0)
		memcpy(r->q, p->q0, n * sizeof(*r->q));
	every = p->steps / 200 + 1;
	for (size_t t = 0; t < p->steps; t++) {
		const double *c = piece_at(p->pert, (double)t * p->dt, &at);

		if (t % every == 0) {
			if (an_cancelled(pg)) {
				rc = cep_error_set(err, CEP_EBUSY, NULL, "cancelled");
				goto out;
			}
			if (pg && pg->report)
				pg->report(pg->ctx, t, p->steps);
		}
		step(m, r->k, p->dt, c, r->q + t * n, r->q + (t + 1) * n);
	}
	if (pg && pg->report)
		pg->report(pg->ctx, p->steps, p->steps);
	for (size_t t = 0; t < p->steps; t++)
		for (size_t i = 0; i < n; i++) {
			double area = p->dt * 0.5 * (r->q[t * n + i] + r->q[(t + 1) * n + i]);

			r->impact[i] += area;
			if (r->loss) {
				r->loss[t * n + i] = m->x[i] / p->output_hours * area;
				r->loss_total[i] += r->loss[t * n + i];
			}
		}
	*ret = r;
	r = NULL;
out:
	an_diim_result_free(r);
	return rc;
}
