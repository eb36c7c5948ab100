/* sim.c - the discrete-event cascade simulator: the event queue, batches of
 * events at one time, node states, dependencies with buffers and redundancy
 * groups, returns after repair, and the per-trial reset. Layer connectivity
 * is in sim_layer.c, the timeline in sim_record.c. */
#include "analysis/sim.h"

#include "analysis/ahead.h"
#include "analysis/rng.h"
#include "analysis/sim_int.h"
#include "base/alloc.h"
#include "base/err.h"

#include <math.h>
#include <string.h>

/* ---- the shared part -------------------------------------------------------- */

/* The power of two that makes the largest weight an integer below 2^62. */
static int weight_shift(const struct an_model *m)
{
	double max = 0;
	int ex = 0;

	for (uint32_t v = 0; v < m->n_nodes; v++)
		max = m->weight[v] > max ? m->weight[v] : max;
	if (max == 0)
		return 0;
	(void)frexp(max, &ex); /* max < 2^ex */
	return 62 - ex;
}

static int sim_totals(struct an_sim *s)
{
	const struct an_model *m = s->m;
	int shift = weight_shift(m);

	s->sector_q = cep_calloc(m->sectors.n + 1, sizeof(sim_sum));
	s->sector_n = cep_calloc(m->sectors.n + 1, sizeof(uint32_t));
	s->layer_q = cep_calloc(m->layers.n + 1, sizeof(sim_sum));
	s->layer_n = cep_calloc(m->layers.n + 1, sizeof(uint32_t));
	s->node = cep_malloc(((size_t)m->n_nodes + 1) * sizeof(*s->node));
	s->in_layer = cep_calloc((size_t)m->n_nodes / 64 + 1, sizeof(uint64_t));
	if (!s->sector_q || !s->sector_n || !s->layer_q || !s->layer_n || !s->node ||
	    !s->in_layer)
		return CEP_ENOMEM;
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		int64_t wq = llround(ldexp(m->weight[v], shift));

		s->node[v] = (struct sim_node){ .wq = wq, .repair = m->repair[v],
						.dep_lo = (uint32_t)m->dep_start[v],
						.dep_n = (uint32_t)(m->dep_start[v + 1] -
								    m->dep_start[v]),
						.sector = m->sector[v], .source = m->source[v],
						.layer = m->layer[v] };
		s->total_q += wq;
		s->sector_q[m->sector[v]] += wq;
		s->sector_n[m->sector[v]]++;
		if (m->layer[v] >= 0) {
			SIM_SET(s->in_layer, v);
			s->layer_q[m->layer[v]] += wq;
			s->layer_n[m->layer[v]]++;
		}
	}
	return 0;
}

int an_sim_new(const struct an_model *m, struct an_sim **ret, struct cep_error *err)
{
	struct an_sim *s = cep_calloc(1, sizeof(*s));
	int rc = CEP_ENOMEM;

	if (!s)
		goto out;
	s->m = m;
	s->n_layers = m->layers.n;
	if ((rc = sim_totals(s)) || (rc = sim_layers_init(s)) || (rc = sim_leaves_init(s)))
		goto out;
	*ret = s;
	s = NULL;
out:
	an_sim_free(s);
	if (rc)
		cep_error_set(err, rc, NULL, "out of memory");
	return rc;
}

void an_sim_free(struct an_sim *s)
{
	if (!s)
		return;
	cep_free(s->layer_start);
	cep_free(s->layer_nodes);
	cep_free(s->layer_has_source);
	cep_free(s->ok0);
	cep_free(s->parent0);
	cep_free(s->base_down);
	cep_free(s->sector_q);
	cep_free(s->layer_q);
	cep_free(s->level);
	if (s->lins) {
		cep_free(s->lins->start);
		cep_free(s->lins->lin);
	}
	cep_free(s->lins);
	cep_free(s->sector_n);
	cep_free(s->layer_n);
	cep_free(s->node);
	cep_free(s->in_layer);
	cep_free(s);
}

const struct an_model *an_sim_model(const struct an_sim *s)
{
	return s->m;
}

/* ---- workspaces ------------------------------------------------------------- */

void an_ws_free(struct an_ws *w)
{
	if (!w)
		return;
	sq_free(&w->q);
	cep_free(w->ns);
	cep_free(w->parent);
	cep_free(w->lok);
	cep_free(w->mark);
	cep_free(w->hit_event);
	cep_free(w->bad_edge);
	cep_free(w->layer_cause);
	cep_free(w->first);
	cep_free(w->last);
	cep_free(w->down_h);
	cep_free(w->cause_kind);
	cep_free(w->cause);
	cep_free(w->depth);
	cep_free(w->slack);
	cep_free(w->es);
	cep_free(w->touched);
	cep_free(w->failed);
	cep_free(w->work);
	cep_free(w->upq);
	cep_free(w->lchg);
	cep_free(w->stack);
	cep_free(w->det);
	cep_free(w->layer_chg);
	cep_free(w->layer_first);
	cep_free(w->tlayers);
	cep_free(w->sec_down_q);
	cep_free(w->lay_down_q);
	cep_free(w->sec_down_n);
	cep_free(w->lay_down_n);
	cep_free(w->sector_first);
	sim_record_free(w);
	sim_leaves_free(w);
	cep_free(w);
}

#define ALLOC_N(p, n) (((p) = cep_malloc(((size_t)(n) + 1) * sizeof(*(p)))) != NULL)
#define CALLOC_N(p, n) (((p) = cep_calloc((size_t)(n) + 1, sizeof(*(p)))) != NULL)

/* v's connected state (with its copy in lok) and parent as before any
 * event: the state a trial's reset and state_init return a node to. */
static void layer_state_init(struct an_ws *w, uint32_t v)
{
	w->ns[v].ok = w->s->ok0[v];
	w->lok[v] = (uint8_t)(w->s->ok0[v] | C_CONDUCTING << 2);
	w->parent[v] = w->s->parent0[v];
}

/* Every node, edge, group and layer of w as before any event: at the start,
 * and after a trial that stopped half-way (out of memory), whose changes the
 * next trial's reset cannot know. */
static void state_init(struct an_ws *w)
{
	const struct an_model *m = w->m;
	uint32_t n = m->n_nodes;

	memset(w->layer_cause, 0xff, n * sizeof(uint32_t)); /* NONE */
	memset(w->ns, 0, n * sizeof(*w->ns));
	for (uint32_t v = 0; v < n; v++) {
		layer_state_init(w, v);
		w->ns[v].layer = (uint16_t)(m->layer[v] >= 0 ? m->layer[v] : 0);
	}
	memset(w->es, 0, (size_t)m->n_deps * sizeof(*w->es));
	for (uint32_t g = 0; g < m->n_groups; g++)
		w->slack[g] = (int32_t)(m->group_size[g] - m->group_need[g]);
	memset(w->layer_chg, 0, (size_t)m->layers.n * sizeof(uint32_t));
	w->n_tlayers = 0;
	w->n_touched = 0;
	if (w->lmark)
		memset(w->lmark, 0, ((size_t)n / 64 + 1) * sizeof(uint64_t));
	if (w->hist)
		memset(w->hist, 0, (size_t)n * sizeof(uint32_t));
	w->n_lq = 0;
}

int an_ws_new(const struct an_sim *s, const struct an_timeline_opts *o, struct an_ws **ret,
	      struct cep_error *err)
{
	const struct an_model *m = s->m;
	size_t n = m->n_nodes, nl = m->layers.n, ns = m->sectors.n;
	struct an_ws *w;

	if (o->max_points < 2 || o->max_points > AN_TIMELINE_MAX_POINTS)
		return cep_error_set(err, CEP_EINVAL, "points",
				     "a timeline has 2 to %u points", AN_TIMELINE_MAX_POINTS);
	w = cep_calloc(1, sizeof(*w));
	if (!w)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	w->s = s;
	w->m = m;
	w->topt = *o;
	w->topt.leaves = o->leaves && o->summary && !o->exact;
	w->n_series = 1 + (uint32_t)ns + (o->layers ? (uint32_t)nl : 0);
	if (!CALLOC_N(w->ns, n) || !ALLOC_N(w->parent, n) || !ALLOC_N(w->lok, n) ||
	    !CALLOC_N(w->mark, n) || !ALLOC_N(w->hit_event, n) || !ALLOC_N(w->bad_edge, n) ||
	    !ALLOC_N(w->layer_cause, n) || !ALLOC_N(w->first, n) || !ALLOC_N(w->last, n) ||
	    !ALLOC_N(w->down_h, n) || !ALLOC_N(w->cause_kind, n) ||
	    !ALLOC_N(w->cause, n) || !ALLOC_N(w->depth, n) || !ALLOC_N(w->slack, m->n_groups) ||
	    !CALLOC_N(w->es, m->n_deps) || !ALLOC_N(w->touched, n) ||
	    !ALLOC_N(w->failed, n) || !ALLOC_N(w->work, n) || !ALLOC_N(w->upq, n) ||
	    !ALLOC_N(w->lchg, n) || !ALLOC_N(w->stack, n) || !ALLOC_N(w->det, n) ||
	    !CALLOC_N(w->layer_chg, nl) || !ALLOC_N(w->layer_first, nl) ||
	    !ALLOC_N(w->tlayers, nl) ||
	    !CALLOC_N(w->sec_down_q, ns) || !CALLOC_N(w->lay_down_q, nl) ||
	    !CALLOC_N(w->sec_down_n, ns) || !CALLOC_N(w->lay_down_n, nl) ||
	    !ALLOC_N(w->sector_first, ns) || sim_record_alloc(w) || sq_init(&w->q)) {
		an_ws_free(w);
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	}
	if (w->topt.leaves && sim_leaves_lins(s)) {
		an_ws_free(w);
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	}
	w->stamp = 1;
	state_init(w);
	*ret = w;
	return 0;
}

/* ---- the event queue -------------------------------------------------------- */

static int queue(struct an_ws *w, double t, uint32_t kind, uint32_t index, uint32_t b)
{
	struct ev e = { t, kind << 30 | index, b, 0, 0 };

	if (t > w->horizon)
		return 0; /* never happens within the run */
	return sq_push(&w->q, &e);
}

/* ---- node bookkeeping ------------------------------------------------------- */

/* v's class changed from was to sim_class(v): its layer must take it into
 * account. */
static void class_changed(struct an_ws *w, uint32_t v, int was)
{
	int c = sim_class(w, v);
	int32_t l;

	if (was == c || !SIM_BIT(w->s->in_layer, v))
		return;
	w->lok[v] = (uint8_t)((w->lok[v] & 3) | c << 2);
	if (w->ns[v].flags & F_LCHG)
		return;
	l = w->ns[v].layer; /* beside its state: not another line to read */
	w->ns[v].flags |= F_LCHG;
	w->lchg[w->n_lchg++] = v;
	if (w->layer_chg[l]++ == 0) {
		w->tlayers[w->n_tlayers++] = (uint32_t)l;
		w->layer_first[l] = v;
	}
}

static void count_down(struct an_ws *w, uint32_t v, int sign)
{
	const struct sim_node *info = &w->s->node[v];
	sim_sum wt = sign * (sim_sum)info->wq;
	uint16_t sec = info->sector;
	int32_t l = info->layer;

	w->down_n += sign;
	w->down_q += wt;
	w->sec_down_n[sec] += sign;
	w->sec_down_q[sec] += wt;
	if (l >= 0) {
		w->lay_down_n[l] += sign;
		w->lay_down_q[l] += wt;
	}
}

/* Edge e (of group g of dependent d) stops serving. The supplier is touched
 * (it is down): the trial's reset undoes its stopped edges; the dependent is
 * touched when its group fails. */
static void stop_edge(struct an_ws *w, uint64_t e, uint32_t d, uint32_t g)
{
	w->es[e].st = E_STOPPED;
	if (w->slack[g]-- == 0) {
		int was = sim_class(w, d);

		sim_touch(w, d);
		w->ns[d].bad++;
		if (!w->topt.summary)
			w->bad_edge[d] = (uint32_t)e; /* a cause, for the chains */
		class_changed(w, d, was);
		sim_dirty(w, d);
	}
}

static void record_first_failure(struct an_ws *w, uint32_t v)
{
	const struct an_model *m = w->m;
	uint16_t sec = w->s->node[v].sector;
	uint8_t kind;
	uint32_t cause, depth = 0;

	w->ns[v].flags |= F_FAILED;
	w->failed[w->n_failed++] = v;
	if (isinf(w->sector_first[sec]))
		w->sector_first[sec] = w->now;
	if (w->topt.summary)
		return;
	if (w->ns[v].hit) {
		kind = AN_CAUSE_EVENT;
		cause = w->hit_event[v];
	} else if (w->ns[v].bad) {
		kind = AN_CAUSE_SUPPLIER;
		cause = w->bad_edge[v];
		depth = w->depth[m->dep_supplier[cause]] + 1;
	} else {
		kind = AN_CAUSE_LAYER;
		cause = w->layer_cause[v];
		if (cause != NONE)
			depth = w->depth[cause] + 1;
	}
	w->first[v] = w->now;
	w->cause_kind[v] = kind;
	w->cause[v] = cause;
	w->depth[v] = depth;
	w->down_h[v] = 0;
}

/* Edge e's buffer starts to run, whole: it stops serving dependent d (group
 * g) b hours from now, unless it is called off. Each start has its own token,
 * so that a timer started before is void. */
static int arm(struct an_ws *w, uint64_t e, double b, uint32_t d, uint32_t g)
{
	struct ev t;

	if (++w->token >= E_PAUSED)
		w->token = 1; /* 0 and the E_PAUSED bit mean something else to an edge */
	t = (struct ev){ w->now + b, (uint32_t)EV_STOP << 30 | (uint32_t)e, w->token, g, d };
	w->es[e].st = w->token;
	return t.t <= w->horizon ? sq_push(&w->q, &t) : 0;
}

/* The timer of edge e (of group g of dependent d) with token tok is due. A
 * dependent that is down then does not run out: it keeps its buffer, whole,
 * for its return (the edge joins d's list of kept buffers, unless it is in
 * it from before). */
static void timer_due(struct an_ws *w, uint64_t e, uint32_t tok, uint32_t d, uint32_t g)
{
	struct estate *x = &w->es[e];

	if (x->st != tok)
		return; /* called off: the supplier came back (or came back and failed again) */
	if (!w->ns[d].down) {
		stop_edge(w, e, d, g);
		return;
	}
	sim_touch(w, d);
	x->st = E_PAUSED;
	if (!x->next) {
		x->next = w->ns[d].kept ? w->ns[d].kept : E_LAST;
		w->ns[d].kept = (uint32_t)e + 1;
	}
}

/* v is back: the buffers it kept start again, whole. The list may hold edges
 * that no longer keep one (their supplier came back meanwhile). */
static int resume(struct an_ws *w, uint32_t v)
{
	const struct an_model *m = w->m;
	uint32_t k = w->ns[v].kept;
	int rc;

	w->ns[v].kept = 0;
	while (k && k != E_LAST) {
		uint32_t e = k - 1;

		k = w->es[e].next;
		w->es[e].next = 0;
		if (w->es[e].st == E_PAUSED && (rc = arm(w, e, sim_buffer(w, e), v, m->dep_group[e])))
			return rc;
	}
	return 0;
}

static int go_down(struct an_ws *w, uint32_t v)
{
	const struct an_model *m = w->m;
	const struct sim_node *info = &w->s->node[v];
	int rc;

	sim_touch(w, v);
	if (!(w->ns[v].flags & F_FAILED))
		record_first_failure(w, v);
	w->ns[v].down = 1;
	w->ns[v].since = w->now;
	if (!w->topt.summary)
		w->last[v] = INFINITY;
	count_down(w, v, 1);
	if (w->leaves && SIM_BIT(w->feeds, v) && (rc = sim_leaves_log(w, v, 0)))
		return rc;
	for (uint64_t e = info->dep_lo; e < info->dep_lo + info->dep_n; e++) {
		uint32_t d = m->dep_dependent[e];
		double b;

		if (w->leaves && SIM_BIT(w->fast, d)) {
			sim_leaves_mark(w, d); /* worked out after the trial */
			continue;
		}
		b = sim_buffer(w, e);
		if (b == 0)
			stop_edge(w, e, d, m->dep_group[e]);
		else if ((rc = arm(w, e, b, d, m->dep_group[e])))
			return rc;
	}
	return 0;
}

static int go_up(struct an_ws *w, uint32_t v)
{
	const struct an_model *m = w->m;
	const struct sim_node *info = &w->s->node[v];
	int cls = sim_class(w, v);
	int rc;

	w->ns[v].flags &= (uint8_t)~F_BROKEN;
	class_changed(w, v, cls);
	w->ns[v].down = 0;
	w->ns[v].pending = 0;
	if (!w->topt.summary) {
		w->last[v] = w->now;
		w->down_h[v] += w->now - w->ns[v].since;
	}
	count_down(w, v, -1);
	if (w->leaves && SIM_BIT(w->feeds, v) && (rc = sim_leaves_log(w, v, 1)))
		return rc;
	for (uint64_t e = info->dep_lo; e < info->dep_lo + info->dep_n; e++) {
		uint32_t st = w->es[e].st, d, g;

		if (st == 0)
			continue; /* serving: nothing to write (an edge to a leaf always is) */
		w->es[e].st = 0; /* a running timer is void */
		if (st != E_STOPPED)
			continue; /* a kept buffer stays in its dependent's list, which skips it */
		d = m->dep_dependent[e];
		g = m->dep_group[e];
		if (++w->slack[g] == 0) {
			int was = sim_class(w, d);

			w->ns[d].bad--;
			class_changed(w, d, was);
			sim_dirty(w, d);
		}
	}
	return resume(w, v);
}

/* Does v have a cause to be down? A down node whose layer has yet to take a
 * change of its class into account is not cleared to come back either. */
static int has_cause(const struct an_ws *w, uint32_t v)
{
	return w->ns[v].hit || w->ns[v].bad || w->ns[v].ok == OK_NO ||
	       (w->ns[v].down && (w->ns[v].flags & F_LCHG));
}

/* Bring v's state in line with its causes. */
static int evaluate(struct an_ws *w, uint32_t v)
{
	double r;

	if (w->ns[v].hit || w->ns[v].bad)
		w->ns[v].flags |= F_BROKEN; /* down (now, or already) for a cause of its own */
	if (!w->ns[v].down)
		return has_cause(w, v) ? go_down(w, v) : 0;
	if (has_cause(w, v)) {
		if (w->ns[v].pending) {
			w->ns[v].pending = 0;
			w->ns[v].recver++;
		}
		return 0;
	}
	if (w->ns[v].pending)
		return 0;
	w->ns[v].pending = 1;
	w->ns[v].recver++;
	r = sim_repair(w, v);
	if (r > 0)
		return queue(w, w->now + r, EV_RECOVER, v, w->ns[v].recver);
	if (!(w->ns[v].flags & F_UPQ)) {
		w->ns[v].flags |= F_UPQ;
		w->upq[w->n_upq++] = v;
	}
	return 0;
}

/* Spread failures at the current time until nothing changes. */
static int settle(struct an_ws *w)
{
	uint32_t n = w->m->n_nodes;
	int rc;

	for (;;) {
		while (w->work_n) {
			uint32_t v = w->work[w->work_head];

			w->work_head = w->work_head + 1 == n ? 0 : w->work_head + 1;
			w->work_n--;
			w->ns[v].flags &= (uint8_t)~F_DIRTY;
			if ((rc = evaluate(w, v)))
				return rc;
		}
		if (!w->n_lchg)
			return 0;
		sim_layers_update(w);
	}
}

/* The returns due now: pending nodes without a cause come back. */
static int returns(struct an_ws *w)
{
	for (;;) {
		int rc = settle(w);
		uint32_t k;

		if (rc)
			return rc;
		if (!w->n_upq)
			return 0;
		/* go_up adds nothing to upq: it may be drained in place */
		k = w->n_upq;
		w->n_upq = 0;
		w->returning = 1; /* a node that fails from now on fails in the returns */
		for (uint32_t i = 0; i < k; i++) {
			uint32_t v = w->upq[i];

			w->ns[v].flags &= (uint8_t)~F_UPQ;
			if (w->ns[v].pending && w->ns[v].down && !has_cause(w, v) &&
			    (rc = go_up(w, v)))
				return rc;
		}
	}
}

/* ---- initial events --------------------------------------------------------- */

/* Apply event k's start (delta +1) or end (-1) to its nodes: all of them, or
 * the random share drawn for this trial (the same share at start and end). */
static void apply_event(struct an_ws *w, uint32_t k, int delta)
{
	const struct an_initial_event *e = &w->sc->events[k];
	uint32_t n = e->n_nodes, want = n, chosen = 0;
	struct an_rng r;

	an_rng_init(&r, w->key_events, k);
	if (e->fraction < 1)
		want = (uint32_t)floor(e->fraction * n + 0.5);
	for (uint32_t i = 0; i < n && chosen < want; i++) {
		uint32_t v = e->nodes[i];
		int was;

		/* selection sampling (Knuth's algorithm S): exactly `want` of n */
		if (want < n && (double)(n - i) * an_rng_unit(&r) >= (double)(want - chosen))
			continue;
		chosen++;
		sim_touch(w, v);
		was = sim_class(w, v);
		if (delta > 0) {
			w->ns[v].hit++;
			w->hit_event[v] = k;
		} else {
			w->ns[v].hit--;
		}
		class_changed(w, v, was);
		sim_dirty(w, v);
	}
}

/* ---- a trial ---------------------------------------------------------------- */

static void reset(struct an_ws *w, double horizon)
{
	const struct an_model *m = w->m;
	const struct an_sim *s = w->s;

	for (uint32_t i = 0; i < w->n_touched; i++) {
		uint32_t v = w->touched[i];

		w->ns[v].flags = 0;
		w->ns[v].down = 0;
		w->ns[v].pending = 0;
		w->ns[v].hit = 0;
		w->ns[v].bad = 0;
		w->ns[v].kept = 0;
		if (w->hist)
			w->hist[v] = 0;
		/* recver only ever grows; only a node of a layer has its
		 * connected state and parent changed, and its layer cause kept
		 * unless the workspace keeps a summary */
		if SIM_BIT(s->in_layer, v) {
			layer_state_init(w, v);
			if (!w->topt.summary)
				w->layer_cause[v] = NONE;
		}
		/* every stopped edge is an edge of a touched (down) supplier;
		 * an edge left as it was (to a leaf, say) is not written, so
		 * that its line is not written back to memory */
		for (uint64_t e = m->dep_start[v]; e < m->dep_start[v + 1]; e++) {
			if (!(w->es[e].st | w->es[e].next))
				continue;
			if (w->es[e].st == E_STOPPED)
				w->slack[m->dep_group[e]]++;
			w->es[e].st = 0;
			w->es[e].next = 0;
		}
	}
	w->n_touched = w->n_failed = 0;
	w->work_head = w->work_n = w->n_upq = w->n_lchg = 0;
	sq_clear(&w->q, horizon);
	sim_leaves_reset(w);
	w->batch_n = 0;
	w->down_q = 0;
	w->down_n = 0;
	for (uint32_t i = 0; i < m->sectors.n; i++) {
		w->sec_down_q[i] = 0;
		w->sec_down_n[i] = 0;
		w->sector_first[i] = INFINITY;
	}
	for (uint32_t i = 0; i < m->layers.n; i++) {
		w->lay_down_q[i] = 0;
		w->lay_down_n[i] = 0;
	}
	w->n_events = w->n_batches = 0;
	sim_record_reset(w, horizon);
}

/* How many events ahead the memory of an event is asked for: far enough
 * that it has arrived when the event's turn comes. A large trial spends its
 * time waiting on memory; this way it waits for several lines at once. */
#define AHEAD 8

/* The node an event will change, if it is known from the event: a return's
 * node, or the dependent of a buffer's timer that is still due (the edge
 * state says so: a third of them are called off, their supplier came back).
 * NONE otherwise. */
static uint32_t event_node(const struct an_ws *w, const struct ev *e)
{
	if (EV_KIND(e->a) == EV_RECOVER)
		return EV_INDEX(e->a);
	if (EV_KIND(e->a) == EV_STOP && w->es[EV_INDEX(e->a)].st == e->b)
		return e->dependent;
	return NONE;
}

/* An event's memory is asked for in three steps, each for what the step
 * before has brought:
 *   AHEAD events before its turn: a buffer's edge state, a return's node
 *     (and where its last outage is in the leaves' log: 1.6% of a trial);
 *   AHEAD / 2: what the node's change reads first: a return's edges (and
 *     the outage it closes, for the leaves it feeds); a due timer's group
 *     and dependent, with the dependent's place in its layer (its parent,
 *     where its links start) should it change class;
 *   AHEAD / 4: what comes next: the groups and states of the dependents a
 *     return serves again (of its first edges that stopped), the edges of a
 *     timer's dependent, should it go down, and a layer node's links and
 *     its parent's byte in lok (read first by a layer's update).
 * Measured on the japan preset at scale 25 (1 thread, both ways alternating
 * trial by trial in one process): the last two steps' layer and dependent
 * reads take 10% and 5% off a trial. */
static void fetch_ahead(const struct an_ws *w)
{
	const struct an_sim *s = w->s;
	const struct an_model *m = w->m;
	const struct ev *e = sq_peek(&w->q, AHEAD), *r = sq_peek(&w->q, AHEAD / 2);
	uint32_t x;

	AN_AHEAD_KEEP();
	if (r && (x = event_node(w, r)) != NONE) {
		if (EV_KIND(r->a) == EV_STOP) {
			__builtin_prefetch(&w->ns[x]);
			__builtin_prefetch(&w->slack[r->group]);
			__builtin_prefetch(&s->node[x]);
		} else {
			uint32_t lo = s->node[x].dep_lo;

			__builtin_prefetch(&w->es[lo]);
			__builtin_prefetch(&m->dep_group[lo]);
			__builtin_prefetch(&m->dep_dependent[lo]);
			if (w->leaves && w->hist[x])
				__builtin_prefetch(&w->log[w->hist[x] - 1]);
		}
		if (SIM_BIT(s->in_layer, x)) {
			__builtin_prefetch(&w->parent[x]);
			__builtin_prefetch(&m->link_start[x]);
		}
	}
	if ((r = sq_peek(&w->q, AHEAD / 4)) && (x = event_node(w, r)) != NONE) {
		uint32_t lo = s->node[x].dep_lo;

		if (EV_KIND(r->a) == EV_STOP) {
			__builtin_prefetch(&m->dep_dependent[lo]);
			__builtin_prefetch(&w->es[lo]);
		} else {
			for (uint32_t k = lo; k < lo + s->node[x].dep_n && k < lo + 8; k++)
				if (w->es[k].st == E_STOPPED) {
					__builtin_prefetch(&w->slack[m->dep_group[k]]);
					__builtin_prefetch(&w->ns[m->dep_dependent[k]]);
				}
		}
		if (SIM_BIT(s->in_layer, x)) {
			uint32_t p = w->parent[x];

			__builtin_prefetch(&m->link_to[m->link_start[x]]);
			if (p != NONE)
				__builtin_prefetch(&w->lok[p]);
		}
	}
	if (e && EV_KIND(e->a) == EV_STOP) {
		__builtin_prefetch(&w->es[EV_INDEX(e->a)]);
	} else if (e && EV_KIND(e->a) == EV_RECOVER) {
		__builtin_prefetch(&w->ns[EV_INDEX(e->a)]);
		__builtin_prefetch(&s->node[EV_INDEX(e->a)]);
		if (w->leaves)
			__builtin_prefetch(&w->hist[EV_INDEX(e->a)]);
	}
}

/* Handle every event at the earliest time in the queue. */
static int run_batch(struct an_ws *w)
{
	double t;
	int rc;

	if ((rc = sq_front(&w->q, &t)))
		return rc;
	/* a second batch at one time (an event queued at the time being taken)
	 * has no place in the leaves' order of things */
	if (w->n_batches && t == w->last_batch)
		w->leaf_unsafe = 1;
	w->last_batch = t;
	w->returning = 0;
	sim_record_before(w, t);
	w->now = t;
	if ((rc = sq_take(&w->q, t, &w->batch, &w->batch_n)))
		return rc;
	w->n_events += w->batch_n;
	w->n_batches++;
	fetch_ahead(w);
	/* failures first: events start and end, suppliers stop serving */
	for (uint32_t i = 0; i < w->batch_n; i++) {
		uint32_t kind = EV_KIND(w->batch[i].a), x = EV_INDEX(w->batch[i].a);

		if (kind == EV_STOP) {
			/* the supplier is still down in the episode that started the timer */
			timer_due(w, x, w->batch[i].b, w->batch[i].dependent, w->batch[i].group);
		} else if (kind == EV_START) {
			apply_event(w, x, 1);
		} else if (kind == EV_END) {
			apply_event(w, x, -1);
		}
	}
	if ((rc = settle(w)))
		return rc;
	/* then the returns due now */
	for (uint32_t i = 0; i < w->batch_n; i++) {
		uint32_t v = EV_INDEX(w->batch[i].a);

		if (EV_KIND(w->batch[i].a) == EV_RECOVER && w->ns[v].recver == w->batch[i].b &&
		    w->ns[v].pending && !(w->ns[v].flags & F_UPQ)) {
			w->ns[v].flags |= F_UPQ;
			w->upq[w->n_upq++] = v;
		}
	}
	if ((rc = returns(w)))
		return rc;
	sim_record_sample(w);
	return 0;
}

static int trial_run(struct an_ws *w, const struct an_scenario *sc, uint64_t seed,
		     uint64_t trial, const struct an_progress *p)
{
	const struct an_sim *s = w->s;
	struct an_rng r;
	unsigned long reported = 0;
	int rc;

	reset(w, sc->horizon);
	w->sc = sc;
	w->horizon = sc->horizon;
	w->now = 0;
	an_rng_init(&r, seed, trial);
	w->key_buffer = an_rng_u64(&r);
	w->key_repair = an_rng_u64(&r);
	w->key_events = an_rng_u64(&r);
	for (uint32_t k = 0; k < sc->n_events; k++) {
		const struct an_initial_event *e = &sc->events[k];

		if ((rc = queue(w, e->start, EV_START, k, 0)))
			return rc;
		if (isfinite(e->duration) && (rc = queue(w, e->start + e->duration, EV_END, k, 0)))
			return rc;
	}
	/* the state before any event: nodes cut off their layer from the start */
	for (uint32_t i = 0; i < s->n_base_down; i++)
		sim_dirty(w, s->base_down[i]);
	if ((rc = returns(w)))
		return rc;
	sim_record_sample(w);
	while (w->q.n) {
		if ((w->n_batches & 1023) == 1023) {
			if (an_cancelled(p))
				return CEP_EBUSY;
			if (p && p->report) {
				unsigned long done = (unsigned long)(1000 * (w->now / w->horizon));

				if (done >= reported + 5) {
					p->report(p->ctx, done, 1000);
					reported = done;
				}
			}
		}
		if ((rc = run_batch(w)))
			return rc;
	}
	w->now = w->horizon;
	for (uint32_t i = 0; !w->topt.summary && i < w->n_failed; i++) {
		uint32_t v = w->failed[i];

		if (w->ns[v].down)
			w->down_h[v] += w->horizon - w->ns[v].since;
	}
	sim_record_end(w);
	if (w->leaves && !w->leaf_unsafe && (rc = sim_leaves_run(w)))
		return rc;
	sim_record_finish(w);
	return 0;
}

int an_sim_trial(struct an_ws *w, const struct an_scenario *sc, uint64_t seed, uint64_t trial,
		 const struct an_progress *p)
{
	int rc;

	w->leaves = 0;
	if (w->topt.leaves) {
		if (w->leaf_sc != sc && (rc = sim_leaves_prepare(w, sc)))
			return rc;
		w->leaves = 1;
	}
	if (w->broken) {
		state_init(w);
		w->broken = 0;
	}
	rc = trial_run(w, sc, seed, trial, p);
	if (rc == CEP_ENOMEM)
		w->broken = 1; /* stopped half-way: the next trial starts from scratch */
	if (rc || !w->leaves || !w->leaf_unsafe)
		return rc;
	/* the order of things at one time mattered to a leaf: the ordinary way */
	w->n_redone++;
	w->leaves = 0;
	if ((rc = trial_run(w, sc, seed, trial, p)) == CEP_ENOMEM)
		w->broken = 1;
	return rc;
}

void an_ws_trial(const struct an_ws *w, struct an_trial *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->horizon = w->horizon;
	ret->n_failed = w->n_failed;
	ret->failed = w->failed;
	if (!w->topt.summary) {
		ret->first_failure = w->first;
		ret->last_recovery = w->last;
		ret->down_hours = w->down_h;
		ret->cause_kind = w->cause_kind;
		ret->cause = w->cause;
		ret->depth = w->depth;
	}
	ret->sector_first_impact = w->sector_first;
	ret->n_samples = w->tl_n;
	ret->n_series = w->n_series;
	ret->t = w->tl_t;
	ret->value = w->tl_v;
	ret->n_events = w->n_events;
	ret->n_batches = w->n_batches;
}
