/* sweep.c - running a removal sweep: the runs (point x trial) shared among
 * OpenMP threads, each thread with its own cascade workspace and shuffle
 * buffer; every run writes only its own slots of the result, so the result
 * does not depend on the threads. */
#include "analysis/sweep.h"
#include "analysis/rng.h"

#include "base/alloc.h"

#include <math.h>
#include <omp.h>
#include <string.h>

void an_sweep_free(struct an_sweep *s)
{
	if (!s)
		return;
	cep_free(s->p);
	cep_free(s->kept);
	cep_free(s->working);
	cep_free(s->weight);
	cep_free(s->layer_working);
	cep_free(s->layer_size);
	cep_free(s->rounds);
	cep_free(s->seconds);
	cep_free(s->first_seconds);
	cep_free(s->full_passes);
	cep_free(s);
}

int an_sweep_targets(const struct an_model *m, int32_t layer, uint32_t **ret, uint32_t *ret_n,
		     struct cep_error *err)
{
	uint32_t n = 0, *t;
	int any = 0;

	if (layer != AN_SWEEP_ALL && (layer < 0 || (uint32_t)layer >= m->layers.n))
		return cep_error_set(err, CEP_EINVAL, "layer", "no such layer");
	for (uint32_t v = 0; v < m->n_nodes && !any; v++)
		any = m->layer[v] >= 0;
	t = cep_malloc(((size_t)m->n_nodes + 1) * sizeof(*t));
	if (!t)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	for (uint32_t v = 0; v < m->n_nodes; v++)
		if (layer == AN_SWEEP_ALL ? !any || m->layer[v] >= 0 : m->layer[v] == layer)
			t[n++] = v;
	if (!n) {
		cep_free(t);
		return cep_error_set(err, CEP_EINVAL, "layer", "the sweep has no nodes to remove");
	}
	*ret = t;
	*ret_n = n;
	return 0;
}

static int check_opts(const struct an_sweep_opts *o, struct cep_error *err)
{
	if (o->points < 1 || o->points > AN_SWEEP_MAX_POINTS)
		return cep_error_set(err, CEP_EINVAL, "points", "points must be 1 to %u",
				     AN_SWEEP_MAX_POINTS);
	if (o->trials < 1 || o->trials > AN_SWEEP_MAX_TRIALS)
		return cep_error_set(err, CEP_EINVAL, "trials", "trials must be 1 to %u",
				     AN_SWEEP_MAX_TRIALS);
	if ((uint64_t)o->points * o->trials > AN_SWEEP_MAX_RUNS)
		return cep_error_set(err, CEP_EINVAL, "trials",
				     "points x trials must be at most %u", AN_SWEEP_MAX_RUNS);
	if (!(o->p_min >= 0 && o->p_min <= o->p_max && o->p_max <= 1))
		return cep_error_set(err, CEP_EINVAL, "p_min",
				     "kept fractions must satisfy 0 <= p_min <= p_max <= 1");
	if (o->order && o->trials != 1)
		return cep_error_set(err, CEP_EINVAL, "trials",
				     "a given removal order is one trial");
	if (o->threads < 0 || o->threads > 1024)
		return cep_error_set(err, CEP_EINVAL, "threads", "threads must be 0 to 1024");
	return 0;
}

/* The given order must be the targets, each once. mark: n_nodes zeroes. */
static int check_order(const struct an_sweep_opts *o, const uint32_t *targets, uint32_t nt,
		       uint8_t *mark, uint32_t n_nodes, struct cep_error *err)
{
	if (o->n_order != nt)
		return cep_error_set(err, CEP_EINVAL, "order",
				     "the removal order has %u nodes; the sweep removes from %u",
				     o->n_order, nt);
	for (uint32_t i = 0; i < nt; i++)
		mark[targets[i]] = 1;
	for (uint32_t i = 0; i < nt; i++) {
		uint32_t v = o->order[i];

		if (v >= n_nodes || mark[v] != 1)
			return cep_error_set(err, CEP_EINVAL, "order",
					     "entry %u of the removal order is %s", i + 1,
					     v < n_nodes && mark[v] == 2 ? "given twice"
									 : "not a node the sweep removes from");
		mark[v] = 2;
	}
	return 0;
}

static struct an_sweep *sweep_alloc(const struct an_model *m, uint32_t points, uint32_t trials)
{
	struct an_sweep *s = cep_calloc(1, sizeof(*s));
	size_t runs = (size_t)points * trials, nl = (size_t)m->layers.n + 1;

	if (!s)
		return NULL;
	s->p = cep_malloc(points * sizeof(*s->p));
	s->kept = cep_malloc(points * sizeof(*s->kept));
	s->working = cep_malloc(runs * sizeof(*s->working));
	s->weight = cep_malloc(runs * sizeof(*s->weight));
	s->layer_working = cep_malloc(runs * nl * sizeof(*s->layer_working));
	s->layer_size = cep_calloc(nl, sizeof(*s->layer_size));
	s->rounds = cep_malloc(runs * sizeof(*s->rounds));
	s->seconds = cep_malloc(runs * sizeof(*s->seconds));
	s->first_seconds = cep_malloc(runs * sizeof(*s->first_seconds));
	s->full_passes = cep_malloc(runs * sizeof(*s->full_passes));
	if (!s->p || !s->kept || !s->working || !s->weight || !s->layer_working ||
	    !s->layer_size || !s->rounds || !s->seconds || !s->first_seconds || !s->full_passes) {
		an_sweep_free(s);
		return NULL;
	}
	return s;
}

/* One run: remove what point i of trial t removes, cascade, record, reset. */
static void one_run(struct an_sweep *s, const struct an_sweep_opts *o, struct an_cascade *c,
		    const uint32_t *targets, uint32_t *shuffle, double base_weight, uint32_t i,
		    uint32_t t)
{
	size_t run = (size_t)i * s->trials + t, nl = s->n_layers;
	uint32_t n = s->n_targets, kept = s->kept[i], gone = n - kept;
	struct an_cascade_result r;
	const uint32_t *removed;

	if (o->order) {
		removed = o->order + kept;
	} else { /* the first `gone` steps of trial t's shuffle: nested across points */
		struct an_rng rng;

		an_rng_init(&rng, o->seed, t);
		memcpy(shuffle, targets, (size_t)n * sizeof(*shuffle));
		for (uint32_t k = 0; k < gone; k++) {
			uint32_t j = k + an_rng_below(&rng, n - k), x = shuffle[k];

			shuffle[k] = shuffle[j];
			shuffle[j] = x;
		}
		removed = shuffle;
	}
	an_cascade_run(c, removed, gone, &r);
	s->working[run] = an_cascade_working(c);
	s->weight[run] = base_weight - r.damage;
	for (size_t l = 0; l < nl; l++)
		s->layer_working[run * nl + l] = an_cascade_layer_working(c, (uint32_t)l);
	s->rounds[run] = r.rounds;
	s->seconds[run] = r.seconds;
	s->first_seconds[run] = r.first_seconds;
	s->full_passes[run] = r.full_passes;
	an_cascade_reset(c);
}

int an_sweep_run(const struct an_cascade_base *base, const struct an_sweep_opts *o,
		 const struct an_progress *progress, struct an_sweep **ret, struct cep_error *err)
{
	const struct an_model *m = an_cascade_base_model(base);
	struct an_sweep *s = NULL;
	uint32_t *targets = NULL, nt = 0;
	uint8_t *mark = NULL;
	double base_weight = 0, t0 = omp_get_wtime();
	size_t runs;
	int rc, threads, nomem = 0, stopped = 0;
	unsigned long done = 0, step, next;

	if ((rc = check_opts(o, err)) || (rc = an_sweep_targets(m, o->layer, &targets, &nt, err)))
		goto out;
	if (o->order) {
		mark = cep_calloc((size_t)m->n_nodes + 1, 1);
		if (!mark) {
			rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
			goto out;
		}
		if ((rc = check_order(o, targets, nt, mark, m->n_nodes, err)))
			goto out;
	}
	s = sweep_alloc(m, o->points, o->trials);
	if (!s) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	s->points = o->points;
	s->trials = o->trials;
	s->n_layers = m->layers.n;
	s->n_targets = nt;
	s->n_nodes = m->n_nodes;
	s->layer = o->layer;
	s->seed = o->seed;
	s->given_order = o->order != NULL;
	for (uint32_t i = 0; i < o->points; i++) {
		double p = o->points == 1 ? o->p_max
					  : o->p_min + (o->p_max - o->p_min) * i / (o->points - 1);
		double k = floor(p * nt + 0.5);

		s->p[i] = p;
		s->kept[i] = k > nt ? nt : (uint32_t)k;
	}
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		s->total_weight += m->weight[v];
		if (m->layer[v] >= 0)
			s->layer_size[m->layer[v]]++;
		if (an_cascade_base_works(base, v))
			base_weight += m->weight[v];
	}
	runs = (size_t)o->points * o->trials;
	threads = o->threads ? o->threads : omp_get_max_threads();
	if ((size_t)threads > runs)
		threads = (int)runs;
	s->threads = threads;
	step = runs / 200 ? runs / 200 : 1;
	next = step;

#pragma omp parallel num_threads(threads)
	{
		struct an_cascade *c = NULL;
		uint32_t *shuffle = NULL;
		int ok = an_cascade_new(base, &c) == 0;

		if (ok && !o->order) {
			shuffle = cep_malloc(((size_t)nt + 1) * sizeof(*shuffle));
			ok = shuffle != NULL;
		}
		if (!ok) {
#pragma omp atomic write
			nomem = 1;
		}
#pragma omp barrier
#pragma omp for schedule(dynamic, 1)
		for (size_t run = 0; run < runs; run++) {
			int skip;

#pragma omp atomic read
			skip = stopped;
			if (nomem || skip)
				continue;
			if (an_cancelled(progress)) {
#pragma omp atomic write
				stopped = 1;
				continue;
			}
			one_run(s, o, c, targets, shuffle, base_weight, (uint32_t)(run / o->trials),
				(uint32_t)(run % o->trials));
			if (progress && progress->report) {
#pragma omp critical(an_sweep_progress)
				{
					if (++done >= next || done == runs) {
						next = done + step;
						progress->report(progress->ctx, done, runs);
					}
				}
			}
		}
		an_cascade_free(c);
		cep_free(shuffle);
	}
	if (nomem) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory for %d workspaces", threads);
		goto out;
	}
	if (stopped) {
		rc = cep_error_set(err, CEP_EBUSY, NULL, "cancelled");
		goto out;
	}
	s->wall_seconds = omp_get_wtime() - t0;
	*ret = s;
	s = NULL;
out:
	an_sweep_free(s);
	cep_free(targets);
	cep_free(mark);
	return rc;
}
