/* mc.c - Monte Carlo over trials with OpenMP. Each thread has its own
 * workspace and its own accumulator of integer sums; the sums are added up
 * at the end, so the order in which trials finish does not matter. */
#include "analysis/mc.h"

#include "base/alloc.h"
#include "base/err.h"

#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <string.h>

#define FIX_ONE 4294967296.0  /* fractions in fixed point: 2^32 */
#define FIX_HOUR 1048576.0    /* hours in fixed point: 2^20 */

/* One thread's sums. */
struct acc {
	uint32_t *bins;      /* cells x (AN_MC_BINS + 1) */
	uint64_t *sum;       /* cells: sum of the fraction in FIX_ONE units */
	uint32_t *fail;      /* per node */
	uint32_t *hit;       /* per sector */
	uint64_t *first_sum; /* per sector: first impact in FIX_HOUR units */
	uint64_t failed, events;
};

static void acc_free(struct acc *a)
{
	cep_free(a->bins);
	cep_free(a->sum);
	cep_free(a->fail);
	cep_free(a->hit);
	cep_free(a->first_sum);
}

static int acc_init(struct acc *a, size_t cells, uint32_t n_nodes, uint32_t n_sectors)
{
	memset(a, 0, sizeof(*a));
	a->bins = cep_calloc(cells * (AN_MC_BINS + 1), sizeof(uint32_t));
	a->sum = cep_calloc(cells, sizeof(uint64_t));
	a->fail = cep_calloc((size_t)n_nodes + 1, sizeof(uint32_t));
	a->hit = cep_calloc((size_t)n_sectors + 1, sizeof(uint32_t));
	a->first_sum = cep_calloc((size_t)n_sectors + 1, sizeof(uint64_t));
	return a->bins && a->sum && a->fail && a->hit && a->first_sum ? 0 : CEP_ENOMEM;
}

/* Add one trial's outcome. */
static void acc_add(struct acc *a, const struct an_trial *t, size_t cells, uint32_t n_sectors)
{
	for (size_t c = 0; c < cells; c++) {
		double v = t->value[c];
		long b;

		v = v < 0 ? 0 : v > 1 ? 1 : v;
		b = lround(v * AN_MC_BINS);
		a->bins[c * (AN_MC_BINS + 1) + (size_t)b]++;
		a->sum[c] += (uint64_t)llround(v * FIX_ONE);
	}
	for (uint32_t i = 0; i < t->n_failed; i++)
		a->fail[t->failed[i]]++;
	for (uint32_t k = 0; k < n_sectors; k++)
		if (isfinite(t->sector_first_impact[k])) {
			a->hit[k]++;
			a->first_sum[k] += (uint64_t)llround(t->sector_first_impact[k] * FIX_HOUR);
		}
	a->failed += t->n_failed;
	a->events += t->n_events;
}

/* a += b */
static void acc_merge(struct acc *a, const struct acc *b, size_t cells, uint32_t n_nodes,
		      uint32_t n_sectors)
{
	for (size_t i = 0; i < cells * (AN_MC_BINS + 1); i++)
		a->bins[i] += b->bins[i];
	for (size_t c = 0; c < cells; c++)
		a->sum[c] += b->sum[c];
	for (uint32_t v = 0; v < n_nodes; v++)
		a->fail[v] += b->fail[v];
	for (uint32_t k = 0; k < n_sectors; k++) {
		a->hit[k] += b->hit[k];
		a->first_sum[k] += b->first_sum[k];
	}
	a->failed += b->failed;
	a->events += b->events;
}

/* The value below which a share p of the n counts lies (nearest rank). */
static double percentile(const uint32_t *bins, uint32_t n, double p)
{
	uint64_t rank = (uint64_t)ceil(p * n), cum = 0;

	if (rank < 1)
		rank = 1;
	for (uint32_t b = 0; b <= AN_MC_BINS; b++) {
		cum += bins[b];
		if (cum >= rank)
			return (double)b / AN_MC_BINS;
	}
	return 1.0;
}

void an_mc_free(struct an_mc *r)
{
	if (!r)
		return;
	cep_free(r->t);
	cep_free(r->mean);
	cep_free(r->p5);
	cep_free(r->p50);
	cep_free(r->p95);
	cep_free(r->fail_count);
	cep_free(r->sector_hit);
	cep_free(r->sector_first_mean);
	cep_free(r);
}

/* The result from the merged sums. */
static int summarise(const struct acc *a, const struct an_mc_opts *o, double horizon,
		     uint32_t n_series, uint32_t n_nodes, uint32_t n_sectors, struct an_mc **ret)
{
	size_t cells = (size_t)o->points * n_series;
	struct an_mc *r = cep_calloc(1, sizeof(*r));

	if (!r)
		return CEP_ENOMEM;
	r->trials = o->trials;
	r->points = o->points;
	r->n_series = n_series;
	r->horizon = horizon;
	r->t = cep_malloc(o->points * sizeof(double));
	r->mean = cep_malloc(cells * sizeof(double));
	r->p5 = cep_malloc(cells * sizeof(double));
	r->p50 = cep_malloc(cells * sizeof(double));
	r->p95 = cep_malloc(cells * sizeof(double));
	r->fail_count = cep_malloc(((size_t)n_nodes + 1) * sizeof(uint32_t));
	r->sector_hit = cep_malloc(((size_t)n_sectors + 1) * sizeof(uint32_t));
	r->sector_first_mean = cep_malloc(((size_t)n_sectors + 1) * sizeof(double));
	if (!r->t || !r->mean || !r->p5 || !r->p50 || !r->p95 || !r->fail_count ||
	    !r->sector_hit || !r->sector_first_mean) {
		an_mc_free(r);
		return CEP_ENOMEM;
	}
	for (uint32_t i = 0; i < o->points; i++)
		r->t[i] = horizon * i / (o->points - 1);
	for (size_t c = 0; c < cells; c++) {
		const uint32_t *bins = a->bins + c * (AN_MC_BINS + 1);

		r->mean[c] = (double)a->sum[c] / FIX_ONE / o->trials;
		r->p5[c] = percentile(bins, o->trials, 0.05);
		r->p50[c] = percentile(bins, o->trials, 0.50);
		r->p95[c] = percentile(bins, o->trials, 0.95);
	}
	memcpy(r->fail_count, a->fail, (size_t)n_nodes * sizeof(uint32_t));
	for (uint32_t k = 0; k < n_sectors; k++) {
		r->sector_hit[k] = a->hit[k];
		r->sector_first_mean[k] =
			a->hit[k] ? (double)a->first_sum[k] / FIX_HOUR / a->hit[k] : NAN;
	}
	r->mean_failed = (double)a->failed / o->trials;
	r->events = a->events;
	*ret = r;
	return 0;
}

int an_mc_run(const struct an_sim *s, const struct an_scenario *sc, const struct an_mc_opts *o,
	      const struct an_progress *progress, struct an_mc **ret, struct cep_error *err)
{
	const struct an_model *m = an_sim_model(s);
	uint32_t n_sectors = m->sectors.n, n_series = 1 + n_sectors;
	struct an_timeline_opts topt = { .exact = 0, .max_points = o->points, .layers = 0,
					 .summary = 1, .leaves = 1 };
	struct an_progress inner = { .cancel = progress ? progress->cancel : NULL };
	struct an_ws **ws = NULL;
	struct acc *acc = NULL;
	size_t cells = (size_t)o->points * n_series;
	int threads = o->threads, rc = 0, made = 0;
	atomic_int failed_rc = 0;
	atomic_ulong done = 0;
	unsigned long reported = 0;

	if (o->trials < 1 || o->trials > AN_MC_MAX_TRIALS)
		return cep_error_set(err, CEP_EINVAL, "trials", "trials must be from 1 to %u",
				     AN_MC_MAX_TRIALS);
	if (threads < 0 || threads > AN_MC_MAX_THREADS)
		return cep_error_set(err, CEP_EINVAL, "threads", "threads must be from 1 to %d",
				     AN_MC_MAX_THREADS);
	if (o->points < 2 || o->points > AN_TIMELINE_MAX_POINTS)
		return cep_error_set(err, CEP_EINVAL, "points", "points must be from 2 to %u",
				     AN_TIMELINE_MAX_POINTS);
	if (cells > AN_MC_MAX_CELLS)
		return cep_error_set(err, CEP_ETOOBIG, "points",
				     "%u points x %u series (the whole and each sector) is more "
				     "than %u; use fewer points", o->points, n_series,
				     AN_MC_MAX_CELLS);
	if (!threads)
		threads = omp_get_max_threads();
	if ((uint32_t)threads > o->trials)
		threads = (int)o->trials;
	ws = cep_calloc((size_t)threads, sizeof(*ws));
	acc = cep_calloc((size_t)threads, sizeof(*acc));
	if (!ws || !acc) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (made = 0; made < threads; made++)
		if ((rc = an_ws_new(s, &topt, &ws[made], err)) ||
		    (rc = acc_init(&acc[made], cells, m->n_nodes, n_sectors))) {
			made++;
			rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
			goto out;
		}

#pragma omp parallel num_threads(threads)
	{
		int tid = omp_get_thread_num();

#pragma omp for schedule(dynamic, 1)
		for (uint32_t i = 0; i < o->trials; i++) {
			struct an_trial t;
			unsigned long d;
			int r;

			if (atomic_load(&failed_rc) || an_cancelled(progress))
				continue;
			r = an_sim_trial(ws[tid], sc, o->seed, i, &inner);
			if (r) {
				int zero = 0;

				atomic_compare_exchange_strong(&failed_rc, &zero, r);
				continue;
			}
			an_ws_trial(ws[tid], &t);
			acc_add(&acc[tid], &t, cells, n_sectors);
			d = atomic_fetch_add(&done, 1) + 1;
			if (tid == 0 && progress && progress->report &&
			    (d - reported) * 200 >= o->trials) {
				progress->report(progress->ctx, d, o->trials);
				reported = d;
			}
		}
	}

	if (an_cancelled(progress) || atomic_load(&failed_rc) == CEP_EBUSY) {
		rc = cep_error_set(err, CEP_EBUSY, NULL, "cancelled");
		goto out;
	}
	if ((rc = atomic_load(&failed_rc))) {
		rc = cep_error_set(err, rc, NULL, "a trial failed: %s", cep_err_text(rc));
		goto out;
	}
	if (progress && progress->report)
		progress->report(progress->ctx, o->trials, o->trials);
	for (int k = 1; k < threads; k++)
		acc_merge(&acc[0], &acc[k], cells, m->n_nodes, n_sectors);
	if (summarise(&acc[0], o, sc->horizon, n_series, m->n_nodes, n_sectors, ret))
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
out:
	for (int k = 0; k < made; k++) {
		an_ws_free(ws[k]);
		acc_free(&acc[k]);
	}
	cep_free(ws);
	cep_free(acc);
	return rc;
}
