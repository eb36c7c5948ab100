/* sim_leaf.c - leaves worked out after a trial. A leaf is a node in no layer
 * that feeds nothing (a hospital, a bank branch): its state changes nothing
 * else, so it need not go through the event queue; nor need a node in no
 * layer that feeds only leaves (a bank system), and so on up (levels, see
 * struct an_sim). During the trial the outages of the nodes that feed them
 * are logged; afterwards each one reached by an outage is run on its own, the
 * highest level first, from its suppliers' outages, with the simulator's
 * rules (buffers, kept buffers, groups, repair); its outages are added to the
 * failures and the grid, and logged in turn for what it feeds. Most leaves
 * are worked out at once from their groups' spans (leaf_quick); the rest by a
 * short sorted list of their own events (leaf_run).
 *
 * The order of things at one time is the simulator's: a batch's failures
 * (buffers running out, which see the leaf as it was before the batch;
 * suppliers going down) come before its returns. Two things would make the
 * leaf's outcome depend on the order within a batch: a supplier failing
 * during the returns of a batch (only a layer without sources does that), or
 * two batches at one time; the trial is then flagged (leaf_unsafe) and run
 * again the ordinary way. The outcome is the same either way, bit for bit:
 * sums of weights are exact (sim_sum). Monte Carlo only (summary, grid). */
#include "analysis/ahead.h"
#include "analysis/rng.h"
#include "analysis/sim_int.h"
#include "base/alloc.h"
#include "base/err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One of the leaf's dependencies whose supplier had an outage. */
struct sim_lf {
	uint32_t group;
	uint32_t arm; /* its buffer's restarts: a timer carries the one it belongs to */
	double buffer;
	uint8_t st; /* LF_* */
};
enum { LF_SERVING, LF_RUNNING, LF_STOPPED, LF_PAUSED };

/* An event of the leaf: at time t, in the failures (phase 0) or the returns
 * (phase 1) of its batch. Its key orders events by both as one integer: the
 * bits of a time >= 0 order as the times do. */
struct sim_lev {
	uint64_t key; /* the bits of t << 1 | phase */
	uint32_t a;   /* LEV_* | dependency */
	uint32_t b;   /* LEV_TIMER: the restart it belongs to; LEV_BACK: the return's number */
};
#define LEV_RETURNS 0x80000000u /* in a: the phase, for make_key */
/* failures: */
#define LEV_STOP 0u           /* a supplier without buffer goes down */
#define LEV_FIRST 0x20000000u /* a buffer runs out while its supplier is down */
#define LEV_TIMER 0x40000000u /* a buffer restarted at the leaf's return runs out */
/* returns: */
#define LEV_UP 0u             /* a supplier comes back */
#define LEV_BACK 0x20000000u  /* the leaf comes back */
#define LEV_KIND(a) ((a) & 0x60000000u)
#define LEV_INDEX(a) ((a) & 0x1fffffffu)

/* ---- the model's leaves ----------------------------------------------------- */

/* Each node's level (see struct an_sim): leaves first, then a node once all
 * its dependents have theirs. */
static int levels(struct an_sim *s)
{
	const struct an_model *m = s->m;
	uint32_t *left = cep_malloc(((size_t)m->n_nodes + 1) * sizeof(uint32_t));
	uint32_t *queue = cep_malloc(((size_t)m->n_nodes + 1) * sizeof(uint32_t));
	uint32_t head = 0, tail = 0;

	if (!left || !queue) {
		cep_free(left);
		cep_free(queue);
		return CEP_ENOMEM;
	}
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		left[v] = (uint32_t)(m->dep_start[v + 1] - m->dep_start[v]);
		s->level[v] = SIM_NO_LEVEL;
		if (m->layer[v] < 0 && !left[v] && m->in_start[v + 1] > m->in_start[v]) {
			s->level[v] = 0;
			queue[tail++] = v;
		}
	}
	while (head < tail) {
		uint32_t v = queue[head++];

		for (uint64_t k = m->in_start[v]; k < m->in_start[v + 1]; k++) {
			uint32_t u = m->dep_supplier[m->in_edge[k]];
			uint8_t lv = (uint8_t)(s->level[v] + 1);

			if (m->layer[u] >= 0)
				continue;
			if (s->level[u] == SIM_NO_LEVEL || s->level[u] < lv)
				s->level[u] = lv; /* the highest of its dependents', plus one */
			if (--left[u] == 0) {
				if (s->level[u] >= SIM_LEVELS)
					s->level[u] = SIM_NO_LEVEL; /* too deep: the ordinary way */
				else
					queue[tail++] = u;
			}
		}
	}
	/* those that never had all their dependents placed are not leaves */
	for (uint32_t v = 0; v < m->n_nodes; v++)
		if (left[v])
			s->level[v] = SIM_NO_LEVEL;
		else if (s->level[v] != SIM_NO_LEVEL && s->level[v] > s->max_level)
			s->max_level = s->level[v];
	cep_free(left);
	cep_free(queue);
	return 0;
}

int sim_leaves_init(struct an_sim *s)
{
	s->level = cep_malloc((size_t)s->m->n_nodes + 1);
	s->lins = cep_calloc(1, sizeof(*s->lins));
	if (!s->level || !s->lins)
		return CEP_ENOMEM;
	return levels(s);
}

int sim_leaves_lins(const struct an_sim *s)
{
	const struct an_model *m = s->m;
	struct sim_lins *L = s->lins;
	uint64_t n = 0;

	if (L->lin)
		return 0;
	if (!L->start && !(L->start = cep_malloc(((size_t)m->n_nodes + 1) * sizeof(uint32_t))))
		return CEP_ENOMEM;
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		L->start[v] = (uint32_t)n;
		if (s->level[v] != SIM_NO_LEVEL)
			n += m->in_start[v + 1] - m->in_start[v];
	}
	L->start[m->n_nodes] = (uint32_t)n;
	if (!(L->lin = cep_malloc((size_t)(n + 1) * sizeof(*L->lin))))
		return CEP_ENOMEM;
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		struct sim_lin *x = L->lin + L->start[v];

		if (s->level[v] == SIM_NO_LEVEL)
			continue;
		for (uint64_t k = m->in_start[v]; k < m->in_start[v + 1]; k++, x++) {
			uint32_t e = m->in_edge[k], g = m->dep_group[e];

			*x = (struct sim_lin){ .e = e, .supplier = m->dep_supplier[e],
					       .group = g - m->node_group_start[v],
					       .slack = m->group_size[g] - m->group_need[g],
					       .buffer = m->dep_buffer[e] };
		}
	}
	return 0;
}

/* ---- sets for a scenario ------------------------------------------------- */

void sim_leaves_free(struct an_ws *w)
{
	cep_free(w->fast);
	cep_free(w->feeds);
	cep_free(w->log);
	cep_free(w->hist);
	cep_free(w->lmark);
	cep_free(w->lq);
	cep_free(w->lorder);
	cep_free(w->lf);
	cep_free(w->lst);
	cep_free(w->lslack);
	cep_free(w->qd);
	cep_free(w->qg);
	cep_free(w->qo);
	cep_free(w->dq);
	cep_free(w->dc);
}

int sim_leaves_prepare(struct an_ws *w, const struct an_scenario *sc)
{
	const struct an_model *m = w->m;
	size_t words = (size_t)m->n_nodes / 64 + 1;
	size_t cells = ((size_t)w->topt.max_points + 1) * (1 + m->sectors.n);

#define ALLOC_ONCE(p, n) ((p) || ((p) = cep_calloc((n), sizeof(*(p)))) != NULL)
	if (!ALLOC_ONCE(w->fast, words) || !ALLOC_ONCE(w->feeds, words) ||
	    !ALLOC_ONCE(w->lmark, words) || !ALLOC_ONCE(w->lq, (size_t)m->n_nodes + 1) ||
	    !ALLOC_ONCE(w->lorder, (size_t)m->n_nodes + 1) || !ALLOC_ONCE(w->dq, cells) ||
	    !ALLOC_ONCE(w->hist, (size_t)m->n_nodes + 1) ||
	    !ALLOC_ONCE(w->dc, cells))
		return CEP_ENOMEM;
#undef ALLOC_ONCE
	w->leaf_sc = NULL;
	/* the nodes events hit (in feeds for now) go the ordinary way, and so
	 * does what feeds them */
	memset(w->feeds, 0, words * sizeof(uint64_t));
	for (uint32_t k = 0; k < sc->n_events; k++)
		for (uint32_t i = 0; i < sc->events[k].n_nodes; i++)
			SIM_SET(w->feeds, sc->events[k].nodes[i]);
	memset(w->fast, 0, words * sizeof(uint64_t));
	for (uint32_t l = 0; l <= w->s->max_level; l++)
		for (uint32_t v = 0; v < m->n_nodes; v++) {
			int ok = w->s->level[v] == l && !SIM_BIT(w->feeds, v);

			for (uint64_t e = m->dep_start[v]; ok && e < m->dep_start[v + 1]; e++)
				ok = SIM_BIT(w->fast, m->dep_dependent[e]);
			if (ok)
				SIM_SET(w->fast, v);
		}
	/* the others that supply them log their outages */
	memset(w->feeds, 0, words * sizeof(uint64_t));
	for (uint32_t v = 0; v < m->n_nodes; v++)
		if (SIM_BIT(w->fast, v))
			for (uint64_t k = m->in_start[v]; k < m->in_start[v + 1]; k++) {
				uint32_t u = m->dep_supplier[m->in_edge[k]];

				if (!SIM_BIT(w->fast, u))
					SIM_SET(w->feeds, u);
			}
	w->leaf_sc = sc;
	return 0;
}

/* ---- during the trial ---------------------------------------------------- */

int sim_leaves_log(struct an_ws *w, uint32_t v, uint32_t up)
{
	if (up) {
		w->log[w->hist[v] - 1].up = w->now;
		return 0;
	}
	if (w->returning)
		w->leaf_unsafe = 1; /* failed in the returns: the order within the batch matters */
	if (SIM_RESERVE(w->log, &w->log_cap, w->n_log + 1))
		return CEP_ENOMEM;
	w->log[w->n_log] = (struct sim_tr){ w->now, INFINITY, w->hist[v], 0 };
	w->hist[v] = ++w->n_log;
	return 0;
}

void sim_leaves_reset(struct an_ws *w)
{
	for (uint32_t i = 0; i < w->n_lq; i++)
		w->lmark[w->lq[i] >> 6] = 0;
	w->n_lq = 0;
	w->n_log = 0;
	w->returning = 0;
	w->leaf_unsafe = 0;
	w->last_batch = 0;
}

/* ---- one leaf -------------------------------------------------------------- */

/* The event at time t >= 0 of a (its phase in LEV_RETURNS). */
static struct sim_lev make_lev(double t, uint32_t a, uint32_t b)
{
	uint64_t bits;

	t += 0.0; /* -0 is +0 */
	memcpy(&bits, &t, sizeof(bits));
	return (struct sim_lev){ bits << 1 | a >> 31, a, b };
}

static double lev_time(const struct sim_lev *e)
{
	uint64_t bits = e->key >> 1;
	double t;

	memcpy(&t, &bits, sizeof(t));
	return t;
}

/* Earlier: by time, then failures before returns. */
static int lev_before(const struct sim_lev *x, const struct sim_lev *y)
{
	return x->key < y->key;
}

static int cmp_lev(const void *x, const void *y)
{
	return lev_before(x, y) ? -1 : lev_before(y, x) ? 1 : 0;
}

/* Sort the n events of e (order among equals does not matter). */
static void sort_lev(struct sim_lev *e, uint32_t n)
{
	if (n > 32) {
		qsort(e, n, sizeof(*e), cmp_lev);
		return;
	}
	for (uint32_t i = 1; i < n; i++) {
		struct sim_lev x = e[i];
		uint32_t j = i;

		for (; j && lev_before(&x, &e[j - 1]); j--)
			e[j] = e[j - 1];
		e[j] = x;
	}
}

/* The first grid point at or after time t (max_points: none); 0 <= t <=
 * horizon. Estimated, then checked against the grid's own times. */
static uint32_t grid_at(const struct an_ws *w, double t)
{
	uint32_t p = w->topt.max_points;
	double at = ceil(t * w->grid_k);
	uint32_t i = at < 0 ? 0 : at > p ? p : (uint32_t)at;

	while (i > 0 && sim_grid_time(w, i - 1) >= t)
		i--;
	while (i < p && sim_grid_time(w, i) < t)
		i++;
	return i;
}

struct leaf {
	struct an_ws *w;
	uint32_t v;
	uint32_t n;       /* its dependencies with outages: w->lf[0 .. n) */
	uint32_t n_ev;    /* its events: w->lst[0 .. n_ev), in order (those it adds
			   * while it runs are put in their place) */
	uint32_t pos;     /* the next to take */
	uint32_t bad;     /* its groups without enough suppliers */
	uint32_t version; /* of its return */
	int down, pending, failed;
	int was_down; /* down before the batch being taken */
	double since;
	int rc;
};

/* A node of a level above 0 was down from `from` to `to`: its dependents
 * read it like the log of a node of the trial, and are to be worked out. */
static int log_outage(struct leaf *L, double from, double to)
{
	struct an_ws *w = L->w;
	const struct an_model *m = w->m;
	uint32_t v = L->v;

	if (SIM_RESERVE(w->log, &w->log_cap, w->n_log + 1))
		return CEP_ENOMEM;
	sim_touch(w, v); /* the trial's reset clears its log */
	w->log[w->n_log] = (struct sim_tr){ from, to, w->hist[v], 0 };
	w->hist[v] = ++w->n_log;
	for (uint64_t e = m->dep_start[v]; e < m->dep_start[v + 1]; e++)
		sim_leaves_mark(w, m->dep_dependent[e]);
	return 0;
}

/* The leaf was down from `from` to `to` (INFINITY: to the end): the grid
 * points in between count it down. */
static void outage(struct leaf *L, double from, double to)
{
	struct an_ws *w = L->w;
	const struct sim_node *info = &w->s->node[L->v];
	uint32_t i = grid_at(w, from), j = isinf(to) ? w->topt.max_points : grid_at(w, to);
	size_t cols = 1 + w->m->sectors.n, sec = 1 + info->sector;

	if (!L->failed) {
		L->failed = 1;
		w->failed[w->n_failed++] = L->v;
		if (!(w->sector_first[info->sector] <= from))
			w->sector_first[info->sector] = from;
	}
	if (w->s->level[L->v] > 0 && log_outage(L, from, to))
		L->rc = CEP_ENOMEM;
	if (i == j)
		return;
	w->dq[i * cols] += info->wq;
	w->dq[j * cols] -= info->wq;
	w->dq[i * cols + sec] += info->wq;
	w->dq[j * cols + sec] -= info->wq;
	w->dc[i * cols]++;
	w->dc[j * cols]--;
	w->dc[i * cols + sec]++;
	w->dc[j * cols + sec]--;
}

/* An event made while the leaf runs (a buffer restarted at its return, its
 * return), put in its place among those not taken yet, after those at its
 * time (its time is later than the event being taken); it counts as the
 * simulator's queued event would. */
static void push(struct leaf *L, double t, uint32_t a, uint32_t b)
{
	struct an_ws *w = L->w;
	struct sim_lev x;
	uint32_t i = L->n_ev;

	if (t > w->horizon)
		return; /* never happens within the run */
	if (SIM_RESERVE(w->lst, &w->lst_cap, L->n_ev + 1)) {
		L->rc = CEP_ENOMEM;
		return;
	}
	x = make_lev(t, a, b);
	for (; i > L->pos && lev_before(&x, &w->lst[i - 1]); i--)
		w->lst[i] = w->lst[i - 1];
	w->lst[i] = x;
	L->n_ev++;
	w->n_events++;
}

static void stop(struct leaf *L, struct sim_lf *f)
{
	f->st = LF_STOPPED;
	if (L->w->lslack[f->group]-- == 0)
		L->bad++;
}

/* The leaf comes back at t: the buffers it kept start again, whole. */
static void come_back(struct leaf *L, double t)
{
	L->down = 0;
	L->pending = 0;
	outage(L, L->since, t);
	for (uint32_t i = 0; i < L->n; i++) {
		struct sim_lf *f = &L->w->lf[i];

		if (f->st != LF_PAUSED)
			continue;
		f->st = LF_RUNNING;
		f->arm++;
		if (t + f->buffer == t)
			L->w->leaf_unsafe = 1; /* too short to count: a second batch at t */
		push(L, t + f->buffer, LEV_TIMER | i, f->arm);
	}
}

/* One event of a batch's failures. */
static void failure(struct leaf *L, const struct sim_lev *e)
{
	struct sim_lf *f = &L->w->lf[LEV_INDEX(e->a)];

	if (LEV_KIND(e->a) == LEV_STOP)
		stop(L, f);
	else if (LEV_KIND(e->a) == LEV_FIRST || (f->st == LF_RUNNING && f->arm == e->b)) {
		if (L->was_down)
			f->st = LF_PAUSED; /* kept for the leaf's return */
		else
			stop(L, f);
	}
}

/* A batch's failures are over: the leaf goes down, or its return is off. */
static void failures_done(struct leaf *L, double t)
{
	if (!L->bad)
		return;
	if (!L->down) {
		L->down = 1;
		L->since = t;
	} else if (L->pending) {
		L->pending = 0;
		L->version++;
	}
}

/* One event of a batch's returns. */
static void ret(struct leaf *L, const struct sim_lev *e, double t)
{
	struct sim_lf *f = &L->w->lf[LEV_INDEX(e->a)];

	if (LEV_KIND(e->a) == LEV_BACK) {
		if (L->pending && e->b == L->version)
			come_back(L, t);
		return;
	}
	if (f->st == LF_STOPPED && ++L->w->lslack[f->group] == 0)
		L->bad--;
	f->st = LF_SERVING; /* a running buffer is void, a kept one too */
}

/* A batch's returns are over: the leaf's return is set, if it is free to. */
static void returns_done(struct leaf *L, double t)
{
	double r;

	if (!L->down || L->bad || L->pending)
		return;
	L->pending = 1;
	L->version++;
	r = sim_repair(L->w, L->v);
	if (r > 0)
		push(L, t + r, LEV_RETURNS | LEV_BACK, L->version);
	else
		come_back(L, t);
}

/* Add to the fixed events an outage [down, up) (up INFINITY: to the end) of
 * the supplier of dependency i: a supplier without buffer stops serving at
 * once; with one, only if it is still down when the buffer runs out (and a
 * buffer that is called off changes nothing for the leaf). */
static int fixed(struct leaf *L, uint32_t i, double down, double up)
{
	struct an_ws *w = L->w;
	double b = w->lf[i].buffer, at = down + b;

	if (SIM_RESERVE(w->lst, &w->lst_cap, L->n_ev + 2))
		return CEP_ENOMEM;
	if (b > 0) {
		if (at == down)
			w->leaf_unsafe = 1; /* too short to count: a second batch at once */
		if (at > w->horizon)
			return 0;
		w->n_events++; /* the simulator queues its timer */
		if (at > up)
			return 0; /* called off */
	}
	w->lst[L->n_ev++] = b > 0 ? make_lev(at, LEV_FIRST | i, 0) : make_lev(down, LEV_STOP | i, 0);
	if (!isinf(up))
		w->lst[L->n_ev++] = make_lev(up, LEV_RETURNS | LEV_UP | i, 0);
	return 0;
}

/* ---- one leaf at once ------------------------------------------------------- */

/* A dependency of a leaf worked out at once: its supplier's one outage as the
 * leaf sees it. */
struct sim_qd {
	double lost, up; /* lost from `lost` (at once, or its buffer run out) to `up` */
	double buffer;   /* 0: lost at once; else kept if it runs out while the leaf is down */
	uint32_t group;  /* among the leaf's groups */
	uint32_t live;   /* 0: served again for good */
};

/* One of the leaf's groups: how many of its dependencies are still to be
 * lost or are, and when they all are. */
struct sim_qg {
	double all, until; /* all lost from the last loss to the first return */
	uint32_t lost, slack;
	int kept; /* one of them is a buffer that runs out while the leaf is down */
};

#define LEAF_SLOW 1 /* leaf_quick: the leaf needs its events run */

/* Each group's span from its dependencies still live. */
static void group_spans(struct an_ws *w, uint32_t n, uint32_t n_groups)
{
	for (uint32_t i = 0; i < n_groups; i++) {
		w->qg[i].all = -INFINITY;
		w->qg[i].until = INFINITY;
		w->qg[i].lost = 0;
		w->qg[i].kept = 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct sim_qd *d = &w->qd[i];
		struct sim_qg *g = &w->qg[d->group];

		if (!d->live)
			continue;
		g->lost++;
		g->all = g->all < d->lost ? d->lost : g->all;
		g->until = g->until > d->up ? d->up : g->until;
	}
}

/* Does group g fail, with all its dependencies that can be lost lost at once? */
static int group_fails(const struct sim_qg *g)
{
	return g->lost == g->slack + 1 && g->all <= g->until;
}

/* The groups that can fail while the leaf is down (none of their losses is a
 * buffer it keeps), in order of that time (insertion: a leaf has a few). */
static uint32_t failing_groups(const struct an_ws *w, uint32_t n_groups, uint32_t *order)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < n_groups; i++) {
		const struct sim_qg *g = &w->qg[i];
		uint32_t j = n;

		if (!group_fails(g) || g->kept)
			continue;
		for (; j && w->qg[order[j - 1]].all > g->all; j--)
			order[j] = order[j - 1];
		order[j] = i;
		n++;
	}
	return n;
}

/* The leaf went down at `first`, repair r: when it is back (INFINITY: not
 * within the run). The groups that fail while it is down keep it down; one
 * failing before its return is due (at that time, its failures come before
 * the returns) puts the return off. *timers: the returns queued. */
static double down_until(const struct an_ws *w, uint32_t n_groups, double r, uint32_t *timers)
{
	uint32_t *order = w->qo, n_fail = failing_groups(w, n_groups, order);
	double clear = w->qg[order[0]].until;

	for (uint32_t i = 1; i <= n_fail && !isinf(clear); i++) {
		const struct sim_qg *g = i < n_fail ? &w->qg[order[i]] : NULL;
		double due = r > 0 ? clear + r : clear;

		if (g && g->all <= clear) { /* fails before the others are up */
			clear = clear < g->until ? g->until : clear;
			continue;
		}
		if (due > w->horizon)
			break; /* not back within the run */
		if (r > 0)
			(*timers)++; /* its return is queued */
		if (!g || g->all > due)
			return due;
		clear = g->until; /* put off (it fails after clear: its until is later) */
	}
	return INFINITY;
}

/* A buffer of b > 0 hours started at `from`, its supplier down until `up`:
 * when the dependency is lost, or INFINITY when never (after the run's end,
 * or called off by the supplier's return). Counts the timer the simulator
 * queues, and flags a buffer too short to move a time, as the events' way. */
static double buffer_end(struct an_ws *w, double from, double b, double up, uint32_t *timers)
{
	double at = from + b;

	if (at == from)
		w->leaf_unsafe = 1; /* a second batch at one time */
	if (at > w->horizon)
		return INFINITY;
	(*timers)++;
	return at > up ? INFINITY : at;
}

/* Works out leaf v at once, when its outcome follows from its suppliers'
 * outages without running its events: each supplier was down once, so each
 * dependency is lost at most once, from when its supplier went down (or its
 * buffer ran out) to when it came back; and a group fails only when all its
 * dependencies that are ever lost are lost (as many as its slack and one),
 * from the last of their losses to the first of their returns. The leaf goes
 * down at the first such time. While it is down a buffer that runs out is
 * kept (its group does not fail for it), and a group failing before its
 * return (its repair after the last group is up) puts that return off; at
 * its return the kept buffers start again, whole, and so on. Each step is
 * the events' way's, in the same order at one time (a batch's failures
 * before its returns; a supplier's return before the leaf's own at that
 * time, which is queued after it). A supplier down twice, or a group failing
 * with some of its losses only: LEAF_SLOW, with nothing changed but
 * leaf_unsafe, which the events' way sets alike. The outcome and the events
 * counted are the events' way's, bit for bit. 0, LEAF_SLOW or CEP_ENOMEM. */
static int leaf_quick(struct an_ws *w, uint32_t v)
{
	const struct sim_lins *lins = w->s->lins;
	const struct sim_lin *x = lins->lin + lins->start[v], *end = lins->lin + lins->start[v + 1];
	uint32_t n = 0, n_groups = 0, timers = 0;
	struct leaf L = { .w = w, .v = v };
	double r = NAN;

	if (SIM_RESERVE(w->qd, &w->qd_cap, (uint32_t)(end - x)) ||
	    SIM_RESERVE(w->qg, &w->qg_cap, (uint32_t)(end - x)) ||
	    SIM_RESERVE(w->qo, &w->qo_cap, (uint32_t)(end - x)))
		return CEP_ENOMEM;
	for (; x < end; x++) {
		uint32_t h = w->hist[x->supplier];
		const struct sim_tr *o;
		double b, lost;

		for (; n_groups <= x->group; n_groups++)
			w->qg[n_groups].slack = 0;
		w->qg[x->group].slack = x->slack;
		if (!h)
			continue; /* serves throughout */
		o = &w->log[h - 1];
		if (o->next)
			return LEAF_SLOW; /* down more than once */
		b = sim_buffer_from(w, x->e, x->buffer);
		lost = b > 0 ? buffer_end(w, o->down, b, o->up, &timers) : o->down;
		if (isinf(lost))
			continue;
		w->qd[n++] = (struct sim_qd){ lost, o->up, b, x->group, 1 };
	}
	group_spans(w, n, n_groups);
	for (uint32_t i = 0; i < n_groups; i++)
		if (w->qg[i].lost > w->qg[i].slack + 1)
			return LEAF_SLOW; /* fails with some of its losses only */
	for (;;) {
		double first = INFINITY, back;

		for (uint32_t i = 0; i < n_groups; i++)
			if (group_fails(&w->qg[i]) && w->qg[i].all < first)
				first = w->qg[i].all;
		if (isinf(first))
			break; /* not down (again) */
		for (uint32_t i = 0; i < n; i++)
			if (w->qd[i].live && w->qd[i].buffer > 0 && w->qd[i].lost > first)
				w->qg[w->qd[i].group].kept = 1;
		if (isnan(r))
			r = sim_repair(w, v);
		back = down_until(w, n_groups, r, &timers);
		outage(&L, first + 0.0, back);
		if (L.rc)
			return L.rc;
		if (isinf(back))
			break;
		/* back: what was lost is still, until its supplier's return (one
		 * at the leaf's return comes first); a kept buffer starts again */
		for (uint32_t i = 0; i < n; i++) {
			struct sim_qd *d = &w->qd[i];

			if (!d->live)
				continue;
			if (d->up <= back) {
				d->live = 0;
				continue;
			}
			if (d->buffer > 0 && d->lost > first && d->lost <= back) {
				d->lost = buffer_end(w, back, d->buffer, d->up, &timers);
				d->live = !isinf(d->lost);
			}
		}
		group_spans(w, n, n_groups);
	}
	w->n_events += timers;
	w->n_leaf_done++;
	w->n_leaf_quick++;
	return 0;
}

/* Work out leaf v. */
static int leaf_run(struct an_ws *w, uint32_t v)
{
	const struct sim_lins *lins = w->s->lins;
	const struct sim_lin *x = lins->lin + lins->start[v], *end = lins->lin + lins->start[v + 1];
	struct leaf L = { .w = w, .v = v };
	int rc;

	if (SIM_RESERVE(w->lslack, &w->lslack_cap, (uint32_t)(end - x)))
		return CEP_ENOMEM;
	for (; x < end; x++) {
		uint32_t h = w->hist[x->supplier];

		if (!h)
			continue; /* serves throughout */
		if (SIM_RESERVE(w->lf, &w->lf_cap, L.n + 1))
			return CEP_ENOMEM;
		w->lf[L.n] = (struct sim_lf){ .group = x->group,
					      .buffer = sim_buffer_from(w, x->e, x->buffer) };
		w->lslack[x->group] = (int32_t)x->slack;
		for (; h; h = w->log[h - 1].next)
			if ((rc = fixed(&L, L.n, w->log[h - 1].down, w->log[h - 1].up)))
				return rc;
		L.n++;
	}
	sort_lev(w->lst, L.n_ev);
	/* a batch at a time: its failures, then its returns */
	while (!L.rc && L.pos < L.n_ev) {
		uint64_t key = w->lst[L.pos].key;
		double t = lev_time(&w->lst[L.pos]);
		uint32_t phase = w->lst[L.pos].a & LEV_RETURNS;

		L.was_down = L.down;
		while (L.pos < L.n_ev && w->lst[L.pos].key == key) {
			struct sim_lev e = w->lst[L.pos++];

			if (phase)
				ret(&L, &e, t);
			else
				failure(&L, &e);
		}
		if (phase)
			returns_done(&L, t);
		else
			failures_done(&L, t);
	}
	if (L.down)
		outage(&L, L.since, INFINITY);
	w->n_leaf_done++;
	return L.rc;
}

/* ---- after the trial --------------------------------------------------------- */

/* How many leaves ahead their memory is asked for, in three steps, each for
 * what the step before brought: a leaf's dependencies; where its suppliers'
 * outages are in the log (hist) and its repair time; its suppliers' last
 * outages. The suppliers are at random places, and this way the waits
 * overlap. */
#define LEAF_AHEAD 12

static void fetch_ahead(const struct an_ws *w, uint32_t i)
{
	const struct an_sim *s = w->s;
	const uint32_t *start = s->lins->start;
	const struct sim_lin *lin = s->lins->lin;

	AN_AHEAD_KEEP();
	if (i + LEAF_AHEAD < w->n_lorder) {
		uint32_t v = w->lorder[i + LEAF_AHEAD];
		const char *x = (const char *)(lin + start[v]);
		const char *end = (const char *)(lin + start[v + 1]);

		for (int k = 0; k < 8 && x < end; k++, x += 64)
			__builtin_prefetch(x);
	}
	if (i + LEAF_AHEAD / 2 < w->n_lorder) {
		uint32_t v = w->lorder[i + LEAF_AHEAD / 2];

		__builtin_prefetch(&s->node[v]);
		for (uint32_t k = start[v]; k < start[v + 1]; k++)
			__builtin_prefetch(&w->hist[lin[k].supplier]);
	}
	if (i + LEAF_AHEAD / 4 < w->n_lorder) {
		uint32_t v = w->lorder[i + LEAF_AHEAD / 4];

		for (uint32_t k = start[v]; k < start[v + 1]; k++) {
			uint32_t h = w->hist[lin[k].supplier];

			if (h)
				__builtin_prefetch(&w->log[h - 1]);
		}
	}
}

int sim_leaves_run(struct an_ws *w)
{
	const struct an_model *m = w->m;
	size_t cols = 1 + m->sectors.n, P = w->topt.max_points;
	int rc;

	memset(w->dq, 0, (P + 1) * cols * sizeof(sim_sum));
	memset(w->dc, 0, (P + 1) * cols * sizeof(int32_t));
	/* the highest level first: each node's suppliers are done before it; in
	 * the model's order within a level, so that a node's dependencies follow
	 * the last one's */
	for (uint32_t l = w->s->max_level + 1; l-- > 0;) {
		w->n_lorder = 0;
		for (uint32_t word = 0; word <= m->n_nodes / 64; word++)
			for (uint64_t bits = w->lmark[word]; bits; bits &= bits - 1) {
				uint32_t v = word << 6 | (uint32_t)__builtin_ctzll(bits);

				if (w->s->level[v] == l) {
					w->lorder[w->n_lorder++] = v;
					w->lmark[word] &= ~(1ULL << (v & 63));
				}
			}
		for (uint32_t i = 0; i < w->n_lorder; i++) {
			fetch_ahead(w, i);
			rc = w->leaf_events_only ? LEAF_SLOW : leaf_quick(w, w->lorder[i]);
			if (rc == LEAF_SLOW)
				rc = leaf_run(w, w->lorder[i]);
			if (rc)
				return rc;
			if (w->leaf_unsafe)
				return 0; /* the trial runs again the ordinary way */
		}
	}
	/* the grid's sums take the leaves' changes, point by point */
	for (size_t k = 0; k < cols; k++) {
		sim_sum q = 0;
		int32_t c = 0;

		for (size_t p = 0; p < P; p++) {
			q += w->dq[p * cols + k];
			c += w->dc[p * cols + k];
			w->tl_q[p * w->n_series + k] += q;
			w->tl_c[p * w->n_series + k] += (uint32_t)c;
		}
	}
	return 0;
}
