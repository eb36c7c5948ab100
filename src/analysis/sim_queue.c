/* sim_queue.c - the event queue of the simulator: a radix heap. Events are
 * only ever added at or after the time last taken out (time runs forward),
 * which lets the queue sort them by the highest bit in which their time
 * differs from that time: 65 buckets, adding is O(1), and each event moves
 * down a few buckets at most before it is taken. Times are non-negative
 * doubles, whose bit patterns order like the numbers.
 *
 * Bucket 0 holds the events at the front time; sq_front fills it. Each
 * bucket keeps its smallest time and a bitmap says which are not empty, so
 * finding the next time looks at one bucket only. */
#include "analysis/sim_int.h"

#include "base/alloc.h"
#include "base/err.h"

#include <string.h>

static uint64_t key_of(double t)
{
	uint64_t k;

	memcpy(&k, &t, sizeof(k));
	return k;
}

static unsigned bucket_of(uint64_t k, uint64_t last)
{
	return k == last ? 0 : 64 - (unsigned)__builtin_clzll(k ^ last);
}

static int append(struct sim_queue *q, unsigned i, struct ev e, uint64_t key)
{
	if (q->n_in[i] == q->cap[i]) {
		uint32_t cap = q->cap[i] ? q->cap[i] * 2 : 256;
		struct ev *b = cep_realloc(q->b[i], (size_t)cap * sizeof(*b));

		if (!b || cap < q->cap[i])
			return CEP_ENOMEM;
		q->b[i] = b;
		q->cap[i] = cap;
	}
	if (!q->n_in[i] || key < q->min[i])
		q->min[i] = key;
	q->b[i][q->n_in[i]++] = e;
	if (i)
		q->used |= 1ULL << (i - 1);
	return 0;
}

int sq_push(struct sim_queue *q, const struct ev *e)
{
	uint64_t key = key_of(e->t);
	int rc = append(q, bucket_of(key, q->last), *e, key);

	q->n += !rc;
	return rc;
}

int sq_front(struct sim_queue *q, double *ret_t)
{
	if (!q->n_in[0]) {
		unsigned i = 1 + (unsigned)__builtin_ctzll(q->used);
		uint64_t min = q->min[i];
		uint32_t n = q->n_in[i];

		q->last = min;
		q->n_in[i] = 0;
		q->used &= ~(1ULL << (i - 1));
		for (uint32_t k = 0; k < n; k++) {
			struct ev e = q->b[i][k];
			uint64_t key = key_of(e.t);

			/* lands in a lower bucket: never the one being emptied */
			if (append(q, bucket_of(key, min), e, key))
				return CEP_ENOMEM;
		}
	}
	memcpy(ret_t, &q->last, sizeof(*ret_t));
	return 0;
}

void sq_take(struct sim_queue *q, struct ev **ret, uint32_t *ret_n)
{
	struct ev *b = q->b[0];
	uint32_t cap = q->cap[0];

	*ret = b;
	*ret_n = q->n_in[0];
	q->n -= q->n_in[0];
	/* bucket 0 gets the spare array: the batch stays valid while events are added */
	q->b[0] = q->spare;
	q->cap[0] = q->spare_cap;
	q->n_in[0] = 0;
	q->spare = b;
	q->spare_cap = cap;
}

void sq_clear(struct sim_queue *q)
{
	memset(q->n_in, 0, sizeof(q->n_in));
	q->used = 0;
	q->n = 0;
	q->last = 0;
}

void sq_free(struct sim_queue *q)
{
	for (unsigned i = 0; i < SQ_BUCKETS; i++)
		cep_free(q->b[i]);
	cep_free(q->spare);
	memset(q, 0, sizeof(*q));
}
