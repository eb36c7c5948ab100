/* rank.c - the criticality ranking: candidates chosen by a cheap bound, then
 * the exact damage of each by the static cascade, in parallel. */
#include "analysis/rank.h"

#include "base/alloc.h"

#include <omp.h>
#include <stdlib.h>

void an_rank_free(struct an_rank *r)
{
	if (!r)
		return;
	cep_free(r->items);
	cep_free(r);
}

/* The weight of the working dependents of u. */
static double held(const struct an_model *m, const struct an_cascade_base *b, uint32_t u)
{
	double w = 0;

	for (uint64_t e = m->dep_start[u]; e < m->dep_start[u + 1]; e++)
		if (an_cascade_base_works(b, m->dep_dependent[e]))
			w += m->weight[m->dep_dependent[e]];
	return w;
}

/* The bound of every working node (see rank.h); per_source[l]: layer l's
 * working weight over its working sources. */
static double bound(const struct an_model *m, const struct an_cascade_base *b, uint32_t v,
		    const double *per_source)
{
	double w = m->weight[v];

	for (uint64_t e = m->dep_start[v]; e < m->dep_start[v + 1]; e++) {
		uint32_t u = m->dep_dependent[e];

		if (an_cascade_base_works(b, u))
			w += m->weight[u] + held(m, b, u);
	}
	for (uint64_t e = m->link_start[v]; e < m->link_start[v + 1]; e++) {
		uint32_t u = m->link_to[e];

		if (an_cascade_base_works(b, u))
			w += m->weight[u] + held(m, b, u);
	}
	if (m->source[v] && m->layer[v] >= 0)
		w += per_source[m->layer[v]];
	return w;
}

static int by_bound(const void *a, const void *b)
{
	const struct an_rank_item *x = a, *y = b;

	if (x->bound != y->bound)
		return x->bound > y->bound ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

static int by_damage(const void *a, const void *b)
{
	const struct an_rank_item *x = a, *y = b;

	if (x->damage != y->damage)
		return x->damage > y->damage ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

/* The eligible nodes with their bounds, into r->items (r->eligible of them). */
static int candidates(const struct an_model *m, const struct an_cascade_base *b,
		      struct an_rank *r)
{
	uint32_t nl = m->layers.n;
	double *per_source = cep_calloc((size_t)nl + 1, sizeof(*per_source));
	uint32_t *sources = cep_calloc((size_t)nl + 1, sizeof(*sources));
	int rc = CEP_ENOMEM;

	r->items = cep_malloc(((size_t)m->n_nodes + 1) * sizeof(*r->items));
	if (!per_source || !sources || !r->items)
		goto out;
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		r->total_weight += m->weight[v];
		if (!an_cascade_base_works(b, v) || m->layer[v] < 0)
			continue;
		per_source[m->layer[v]] += m->weight[v];
		sources[m->layer[v]] += m->source[v];
	}
	for (uint32_t l = 0; l < nl; l++)
		per_source[l] = sources[l] ? per_source[l] / sources[l] : 0;
	r->eligible = 0;
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		if (!an_cascade_base_works(b, v))
			continue;
		r->items[r->eligible].node = v;
		r->items[r->eligible].bound = bound(m, b, v, per_source);
		r->items[r->eligible].damage = 0;
		r->items[r->eligible].failed = 0;
		r->eligible++;
	}
	rc = 0;
out:
	cep_free(per_source);
	cep_free(sources);
	return rc;
}

int an_rank_run(const struct an_cascade_base *base, const struct an_rank_opts *o,
		const struct an_progress *progress, struct an_rank **ret, struct cep_error *err)
{
	const struct an_model *m = an_cascade_base_model(base);
	struct an_rank *r = NULL;
	double t0 = omp_get_wtime(), seconds = 0;
	uint32_t want = o->candidates;
	int rc, threads, nomem = 0, stopped = 0;
	unsigned long done = 0, step, next;

	if (o->threads < 0 || o->threads > 1024)
		return cep_error_set(err, CEP_EINVAL, "threads", "threads must be 0 to 1024");
	r = cep_calloc(1, sizeof(*r));
	if (!r || candidates(m, base, r)) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (!want)
		want = m->n_nodes <= AN_RANK_ALL_MAX ? r->eligible : AN_RANK_DEFAULT_CANDIDATES;
	r->n = want < r->eligible ? want : r->eligible;
	if (r->n < r->eligible)
		qsort(r->items, r->eligible, sizeof(*r->items), by_bound);
	threads = o->threads ? o->threads : omp_get_max_threads();
	if (threads > (int)r->n)
		threads = r->n ? (int)r->n : 1;
	r->threads = threads;
	step = r->n / 200 ? r->n / 200 : 1;
	next = step;

#pragma omp parallel num_threads(threads) reduction(+ : seconds)
	{
		struct an_cascade *c = NULL;

		if (an_cascade_new(base, &c)) {
#pragma omp atomic write
			nomem = 1;
		}
#pragma omp barrier
#pragma omp for schedule(dynamic, 16)
		for (uint32_t i = 0; i < r->n; i++) {
			struct an_cascade_result res;
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
			an_cascade_run(c, &r->items[i].node, 1, &res);
			r->items[i].damage = res.damage;
			r->items[i].failed = res.failed;
			seconds += res.seconds;
			an_cascade_reset(c);
			if (progress && progress->report) {
#pragma omp critical(an_rank_progress)
				{
					if (++done >= next || done == r->n) {
						next = done + step;
						progress->report(progress->ctx, done, r->n);
					}
				}
			}
		}
		an_cascade_free(c);
	}
	if (nomem) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory for %d workspaces", threads);
		goto out;
	}
	if (stopped) {
		rc = cep_error_set(err, CEP_EBUSY, NULL, "cancelled");
		goto out;
	}
	qsort(r->items, r->n, sizeof(*r->items), by_damage);
	r->cascade_seconds = seconds;
	r->wall_seconds = omp_get_wtime() - t0;
	*ret = r;
	r = NULL;
	rc = 0;
out:
	an_rank_free(r);
	return rc;
}
