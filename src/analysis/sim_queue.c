/* sim_queue.c - the event queue of the simulator: a calendar over the run.
 *
 * The run [0, horizon] is cut into SQ_SLOTS slots of equal length. An event
 * is appended to its slot's array, unsorted: O(1). The slot being taken (the
 * current one) is sorted by time once, when the queue reaches it, and taken
 * in order; an event added to the current slot meanwhile goes into a small
 * binary heap beside it. So events come out in time order, and the next ones
 * are known in advance: sq_peek lets the simulator fetch their nodes and
 * edges from memory before it needs them, which is where a large trial spends
 * its time.
 *
 * Events at one time come out together (sq_take): first those of the sorted
 * slot, in the order they were added, then those of the heap. The order
 * depends only on the order of the pushes, so a trial gives the same result
 * on any thread. Time runs forward: an event is never added before the front
 * time. A bitmap of the slots that hold events lets sq_front skip empty ones
 * 64 at a time, and sq_clear empty only those. */
#include "analysis/sim_int.h"

#include "base/alloc.h"
#include "base/err.h"

#include <string.h>

#define SQ_WORDS (SQ_SLOTS / 64)
#define SQ_INSERTION 24 /* sort runs up to this long by insertion */
#define SQ_PER_PART 4   /* events of a part of a slot being sorted, on average */

static uint32_t slot_of(const struct sim_queue *q, double t)
{
	double x = t * q->scale;

	if (!(x > 0))
		return 0;
	return x >= SQ_SLOTS ? SQ_SLOTS - 1 : (uint32_t)x;
}

int sim_reserve_more(void **p, uint32_t *cap, uint32_t n, size_t size)
{
	uint32_t c = *cap ? *cap : 8;
	void *b;

	while (c < n) {
		if (c > UINT32_MAX / 2)
			return CEP_ENOMEM;
		c *= 2;
	}
	if (!(b = cep_realloc(*p, (size_t)c * size)))
		return CEP_ENOMEM;
	*p = b;
	*cap = c;
	return 0;
}

/* ---- the heap of events added to the current slot --------------------------- */

static int before(const struct ev *x, const struct ev *y)
{
	return x->t < y->t;
}

static int heap_push(struct sim_queue *q, const struct ev *e)
{
	uint32_t i;

	if (SIM_RESERVE(q->heap, &q->heap_cap, q->heap_n + 1))
		return CEP_ENOMEM;
	i = q->heap_n++;
	q->heap[i] = *e;
	while (i && before(&q->heap[i], &q->heap[(i - 1) / 2])) {
		struct ev tmp = q->heap[i];

		q->heap[i] = q->heap[(i - 1) / 2];
		q->heap[(i - 1) / 2] = tmp;
		i = (i - 1) / 2;
	}
	return 0;
}

static void heap_pop(struct sim_queue *q)
{
	uint32_t i = 0, n = --q->heap_n;

	q->heap[0] = q->heap[n];
	for (;;) {
		uint32_t l = 2 * i + 1, m = i;
		struct ev tmp;

		if (l < n && before(&q->heap[l], &q->heap[m]))
			m = l;
		if (l + 1 < n && before(&q->heap[l + 1], &q->heap[m]))
			m = l + 1;
		if (m == i)
			return;
		tmp = q->heap[i];
		q->heap[i] = q->heap[m];
		q->heap[m] = tmp;
		i = m;
	}
}

/* ---- sorting a slot (stable: events at one time keep the order of adding) --- */

static void insertion_sort(struct ev *a, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		struct ev x = a[i];
		uint32_t j = i;

		for (; j && x.t < a[j - 1].t; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

/* Bottom-up merge sort of a[0..n) using tmp (n events). */
static void merge_sort(struct ev *a, struct ev *tmp, uint32_t n)
{
	struct ev *src = a, *dst = tmp;
	uint32_t w = SQ_INSERTION;

	for (uint32_t i = 0; i < n; i += w)
		insertion_sort(a + i, n - i < w ? n - i : w);
	for (; w < n; w *= 2) {
		for (uint32_t lo = 0; lo < n; lo += 2 * w) {
			uint32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			uint32_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				dst[k++] = src[j].t < src[i].t ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		struct ev *x = src;
		src = dst;
		dst = x;
	}
	if (src != a)
		memcpy(a, src, (size_t)n * sizeof(*a));
}

/* Which of nb equal parts of the current slot's span time t falls in:
 * nondecreasing in t, so the parts in order, each sorted, are sorted. */
static uint32_t part_of(const struct sim_queue *q, double t, uint32_t nb)
{
	double y = (t * q->scale - q->cur) * nb;

	if (!(y > 0))
		return 0;
	return y >= nb ? nb - 1 : (uint32_t)y;
}

/* Sort the current slot (run) by time, stably. A large slot is first cut
 * into parts of its span by a counting sort (one pass over the events, a
 * small working set), then each part, a few events, is sorted by insertion:
 * the order of a stable sort of the whole, at a fraction of a merge sort's
 * passes. 0 or CEP_ENOMEM. */
static int sort_run(struct sim_queue *q)
{
	uint32_t n = q->run_n, nb = 1, lo = 0, *end = q->part;
	struct ev *a = q->run, *b, *x;

	if (n <= SQ_INSERTION) {
		insertion_sort(a, n);
		return 0;
	}
	if (SIM_RESERVE(q->tmp, &q->tmp_cap, n))
		return CEP_ENOMEM;
	b = q->tmp;
	while (nb < SQ_PARTS && nb * SQ_PER_PART < n)
		nb *= 2;
	memset(end, 0, (nb + 1) * sizeof(*end));
	for (uint32_t i = 0; i < n; i++)
		end[part_of(q, a[i].t, nb) + 1]++;
	for (uint32_t k = 0; k < nb; k++)
		end[k + 1] += end[k];
	/* end[k] is where part k starts; after the scatter, where it ends */
	for (uint32_t i = 0; i < n; i++)
		b[end[part_of(q, a[i].t, nb)]++] = a[i];
	for (uint32_t k = 0; k < nb; k++) {
		uint32_t hi = end[k];

		if (hi - lo > SQ_INSERTION)
			merge_sort(b + lo, a + lo, hi - lo);
		else
			insertion_sort(b + lo, hi - lo);
		lo = hi;
	}
	/* the sorted copy becomes the run; the run, the scratch */
	x = q->run;
	q->run = q->tmp;
	q->tmp = x;
	n = q->run_cap;
	q->run_cap = q->tmp_cap;
	q->tmp_cap = n;
	return 0;
}

/* ---- the queue -------------------------------------------------------------- */

int sq_add(struct sim_queue *q, double t, uint32_t a, uint32_t b, uint32_t group,
	   uint32_t dependent)
{
	uint32_t s = slot_of(q, t);
	struct sq_slot *sl;
	struct ev *x;

	if (s <= q->cur) {
		struct ev e = { t, a, b, group, dependent };

		if (heap_push(q, &e))
			return CEP_ENOMEM;
		q->n++;
		return 0;
	}
	sl = &q->slot[s];
	if (SIM_RESERVE(sl->e, &sl->cap, sl->n + 1))
		return CEP_ENOMEM;
	x = &sl->e[sl->n++];
	x->t = t;
	x->a = a;
	x->b = b;
	x->group = group;
	x->dependent = dependent;
	SIM_SET(q->used, s);
	q->n++;
	return 0;
}

/* The first slot after the current one that holds events (q->n > 0 and the
 * current slot is taken). */
static uint32_t next_slot(const struct sim_queue *q)
{
	uint32_t s = q->cur + 1, wd = s >> 6;
	uint64_t bits = wd < SQ_WORDS ? q->used[wd] & (~0ULL << (s & 63)) : 0;

	while (!bits && ++wd < SQ_WORDS)
		bits = q->used[wd];
	return wd * 64 + (uint32_t)__builtin_ctzll(bits);
}

int sq_front(struct sim_queue *q, double *ret_t)
{
	if (q->run_pos == q->run_n && !q->heap_n) {
		uint32_t s = next_slot(q);
		struct sq_slot *sl = &q->slot[s];
		struct ev *a = q->run;
		uint32_t cap = q->run_cap;

		/* the slot's array becomes the run; the run's, emptied, the slot's */
		q->run = sl->e;
		q->run_cap = sl->cap;
		q->run_n = sl->n;
		q->run_pos = 0;
		sl->e = a;
		sl->cap = cap;
		sl->n = 0;
		q->used[s >> 6] &= ~(1ULL << (s & 63));
		q->cur = s;
		if (sort_run(q))
			return CEP_ENOMEM;
	}
	if (q->run_pos < q->run_n && (!q->heap_n || q->run[q->run_pos].t <= q->heap[0].t))
		*ret_t = q->run[q->run_pos].t;
	else
		*ret_t = q->heap[0].t;
	return 0;
}

int sq_take(struct sim_queue *q, double t, struct ev **ret, uint32_t *ret_n)
{
	uint32_t k, i = q->run_pos;

	while (i < q->run_n && q->run[i].t == t)
		i++;
	k = i - q->run_pos;
	if (SIM_RESERVE(q->batch, &q->batch_cap, k))
		return CEP_ENOMEM;
	if (k)
		memcpy(q->batch, q->run + q->run_pos, (size_t)k * sizeof(*q->batch));
	q->run_pos = i;
	while (q->heap_n && q->heap[0].t == t) {
		if (SIM_RESERVE(q->batch, &q->batch_cap, k + 1))
			return CEP_ENOMEM;
		q->batch[k++] = q->heap[0];
		heap_pop(q);
	}
	q->n -= k;
	*ret = q->batch;
	*ret_n = k;
	return 0;
}

const struct ev *sq_peek(const struct sim_queue *q, uint32_t k)
{
	return q->run_pos + k < q->run_n ? &q->run[q->run_pos + k] : NULL;
}

int sq_init(struct sim_queue *q)
{
	memset(q, 0, sizeof(*q));
	q->slot = cep_calloc(SQ_SLOTS, sizeof(*q->slot));
	q->used = cep_calloc(SQ_WORDS, sizeof(*q->used));
	q->part = cep_calloc(SQ_PARTS + 1, sizeof(*q->part));
	return q->slot && q->used && q->part ? 0 : CEP_ENOMEM;
}

void sq_clear(struct sim_queue *q, double horizon)
{
	for (uint32_t wd = 0; wd < SQ_WORDS; wd++) {
		for (uint64_t bits = q->used[wd]; bits; bits &= bits - 1)
			q->slot[wd * 64 + (uint32_t)__builtin_ctzll(bits)].n = 0;
		q->used[wd] = 0;
	}
	q->scale = horizon > 0 ? SQ_SLOTS / horizon : 0;
	q->cur = 0;
	q->n = 0;
	q->run_n = q->run_pos = q->heap_n = 0;
}

void sq_free(struct sim_queue *q)
{
	if (q->slot)
		for (uint32_t s = 0; s < SQ_SLOTS; s++)
			cep_free(q->slot[s].e);
	cep_free(q->slot);
	cep_free(q->used);
	cep_free(q->run);
	cep_free(q->heap);
	cep_free(q->batch);
	cep_free(q->tmp);
	cep_free(q->part);
	memset(q, 0, sizeof(*q));
}
