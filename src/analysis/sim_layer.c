/* sim_layer.c - connectivity of the network layers.
 *
 * To its layer a node is (sim_class; read here from its copy in lok):
 *   conducting  up, or down only because the layer cut it off: it carries
 *               the layer (a de-energised substation passes power on as soon
 *               as it is fed again);
 *   repairing   down after a cause of its own (an event, a failed group) that
 *               is gone: it does not carry the layer until it is back up;
 *   active      a cause of its own is active: down whatever the layer does.
 * In a layer with sources, a conducting node is connected (OK_TREE) when a
 * path of conducting nodes leads from a conducting source to it; a repairing
 * node is connected (OK_LEAF: it may come back) when it is a source or has a
 * connected conducting neighbour. So a cut-off part of a grid comes back only
 * after the node that cut it off is repaired, and the cascade unwinds in
 * order. In a layer without sources, the nodes without an active cause
 * (conducting or repairing) in the largest connected component of such nodes
 * are connected (ties: the component holding the lowest node index).
 *
 * Layers with sources are kept up to date incrementally. The connected
 * conducting nodes form a forest rooted at the sources (parent[]). When a
 * node stops conducting, only its subtree can be cut off: the subtree is
 * detached and each of its nodes reattached through a link to a connected
 * node outside it, if it has one, and from there to the rest of the subtree.
 * When a node starts conducting, it joins if it is a source or has a
 * connected conducting neighbour, and brings with it every unconnected
 * conducting node it reaches. A layer with many changes at one time, and a
 * layer without sources, is computed again whole (once per round). */
#include "analysis/sim_int.h"

#include "base/alloc.h"
#include "base/err.h"

#include <string.h>

/* v's class and connected state, from their copies in w->lok. w NULL (the
 * state before any event): conducting. */
static int class_of(const struct an_ws *w, uint32_t v)
{
	return w ? w->lok[v] >> 2 : C_CONDUCTING;
}

static int ok_of(const struct an_ws *w, uint32_t v)
{
	return w->lok[v] & 3;
}

/* A fresh stamp value, clearing the marks when the counter would wrap. */
static uint32_t next_stamp(uint32_t *mark, uint32_t n_nodes, uint32_t *stamp, uint32_t need)
{
	if (*stamp >= UINT32_MAX - need - 1) {
		memset(mark, 0, (size_t)n_nodes * sizeof(*mark));
		*stamp = 0;
	}
	return ++*stamp;
}

/* Breadth-first from queue[0..qn) (already marked st) through unmarked nodes
 * of class >= min_class, marking them st and, when parent is not NULL,
 * recording the tree. Returns the number of nodes reached in all. */
static uint32_t bfs(const struct an_model *m, const struct an_ws *w, int min_class,
		    uint32_t *mark, uint32_t st, uint32_t *queue, uint32_t qn, uint32_t *parent)
{
	for (uint32_t head = 0; head < qn; head++) {
		uint32_t x = queue[head];

		for (uint64_t k = m->link_start[x]; k < m->link_start[x + 1]; k++) {
			uint32_t y = m->link_to[k];

			if (mark[y] == st || class_of(w, y) < min_class)
				continue;
			mark[y] = st;
			if (parent)
				parent[y] = x;
			queue[qn++] = y;
		}
	}
	return qn;
}

/* Mark what carries layer l: mark[x] == the returned stamp (0: nothing). With
 * sources: the conducting nodes reached from conducting sources (with their
 * tree in parent). Without: the largest component of nodes not active. w
 * NULL: every node conducts. */
static uint32_t layer_connect(const struct an_sim *s, uint32_t l, const struct an_ws *w,
			      uint32_t *mark, uint32_t *stamp, uint32_t *queue, uint32_t *parent)
{
	const struct an_model *m = s->m;
	const uint32_t *mem = s->layer_nodes + s->layer_start[l];
	uint32_t cnt = s->layer_start[l + 1] - s->layer_start[l], st, qn = 0, best = 0, size = 0;

	if (s->layer_has_source[l]) {
		st = next_stamp(mark, m->n_nodes, stamp, 1);
		for (uint32_t i = 0; i < cnt; i++) {
			uint32_t x = mem[i];

			if (m->source[x] && class_of(w, x) == C_CONDUCTING) {
				mark[x] = st;
				parent[x] = NONE;
				queue[qn++] = x;
			}
		}
		bfs(m, w, C_CONDUCTING, mark, st, queue, qn, parent);
		return st;
	}
	/* no source: one stamp per component, keep the largest */
	next_stamp(mark, m->n_nodes, stamp, cnt + 1);
	for (uint32_t i = 0, first = *stamp; i < cnt; i++) {
		uint32_t x = mem[i], got;

		if (class_of(w, x) == C_ACTIVE || mark[x] >= first)
			continue;
		st = ++*stamp;
		mark[x] = st;
		queue[0] = x;
		got = bfs(m, w, C_REPAIRING, mark, st, queue, 1, NULL);
		if (got > size) {
			size = got;
			best = st;
		}
	}
	return best;
}

int sim_layers_init(struct an_sim *s)
{
	const struct an_model *m = s->m;
	uint32_t n = m->n_nodes, nl = s->n_layers, stamp = 0, *mark = NULL, *queue = NULL;
	uint32_t *fill = NULL;
	int rc = CEP_ENOMEM;

	s->layer_start = cep_calloc((size_t)nl + 2, sizeof(uint32_t));
	s->layer_nodes = cep_malloc(((size_t)n + 1) * sizeof(uint32_t));
	s->layer_has_source = cep_calloc((size_t)nl + 1, 1);
	s->ok0 = cep_malloc((size_t)n + 1);
	s->parent0 = cep_malloc(((size_t)n + 1) * sizeof(uint32_t));
	s->base_down = cep_malloc(((size_t)n + 1) * sizeof(uint32_t));
	mark = cep_calloc((size_t)n + 1, sizeof(uint32_t));
	queue = cep_malloc(((size_t)n + 1) * sizeof(uint32_t));
	fill = cep_calloc((size_t)nl + 1, sizeof(uint32_t));
	if (!s->layer_start || !s->layer_nodes || !s->layer_has_source || !s->ok0 ||
	    !s->parent0 || !s->base_down || !mark || !queue || !fill)
		goto out;
	/* members of each layer, ascending (counting sort) */
	for (uint32_t v = 0; v < n; v++)
		if (m->layer[v] >= 0)
			s->layer_start[m->layer[v] + 1]++;
	for (uint32_t l = 0; l < nl; l++)
		s->layer_start[l + 1] += s->layer_start[l];
	for (uint32_t v = 0; v < n; v++) {
		int32_t l = m->layer[v];

		s->ok0[v] = l < 0 ? OK_TREE : OK_NO;
		s->parent0[v] = NONE;
		if (l < 0)
			continue;
		s->layer_nodes[s->layer_start[l] + fill[l]++] = v;
		if (m->source[v])
			s->layer_has_source[l] = 1;
	}
	for (uint32_t l = 0; l < nl; l++) {
		uint32_t st = layer_connect(s, l, NULL, mark, &stamp, queue, s->parent0);

		for (uint32_t i = s->layer_start[l]; i < s->layer_start[l + 1]; i++) {
			uint32_t x = s->layer_nodes[i];

			s->ok0[x] = st && mark[x] == st ? OK_TREE : OK_NO;
			if (!s->ok0[x])
				s->base_down[s->n_base_down++] = x;
		}
	}
	rc = 0;
out:
	cep_free(mark);
	cep_free(queue);
	cep_free(fill);
	return rc;
}

/* ---- a workspace's layers --------------------------------------------------- */

/* x's connected state becomes c; when that changes whether x is cut off, x
 * is dirty (and cause is recorded for a cut). */
static void set_ok(struct an_ws *w, uint32_t x, uint8_t c, uint32_t cause)
{
	uint8_t was = ok_of(w, x);

	if (was == c)
		return;
	sim_touch(w, x);
	sim_put_ok(w, x, c);
	if (!c && !w->topt.summary)
		w->layer_cause[x] = cause; /* a cause, for the chains */
	if (!c || !was)
		sim_dirty(w, x);
}

static void set_parent(struct an_ws *w, uint32_t x, uint32_t p)
{
	if (w->parent[x] != p) {
		sim_touch(w, x);
		w->parent[x] = p;
	}
}

/* A connected conducting neighbour of x, or NONE. Its parent first: a node
 * that lost its place in the tree keeps the parent it had there (parent[] is
 * read only for nodes in the tree), and that neighbour is often the one that
 * feeds it again; this saves reading x's links, at random places. */
static uint32_t live_neighbour(const struct an_ws *w, uint32_t x)
{
	const struct an_model *m = w->m;
	uint32_t p = w->parent[x];

	if (p != NONE && ok_of(w, p) == OK_TREE && class_of(w, p) == C_CONDUCTING)
		return p;
	for (uint64_t k = m->link_start[x]; k < m->link_start[x + 1]; k++) {
		uint32_t y = m->link_to[k];

		if (ok_of(w, y) == OK_TREE && class_of(w, y) == C_CONDUCTING)
			return y;
	}
	return NONE;
}

/* A repairing node x: may it come back (a source, or fed by a neighbour)? */
static void leaf_check(struct an_ws *w, uint32_t x, uint32_t cause)
{
	int fed = w->s->node[x].source || live_neighbour(w, x) != NONE;

	set_ok(w, x, fed ? OK_LEAF : OK_NO, cause);
}

/* From x (just connected, conducting), connect every unconnected conducting
 * node it reaches (only those marked st, when st is not 0), and feed the
 * repairing nodes next to them. */
static void spread(struct an_ws *w, uint32_t x, uint32_t st)
{
	const struct an_model *m = w->m;
	uint32_t *q = w->stack, qn = 0;

	q[qn++] = x;
	for (uint32_t head = 0; head < qn; head++) {
		uint32_t a = q[head];

		for (uint64_t k = m->link_start[a]; k < m->link_start[a + 1]; k++) {
			uint32_t b = m->link_to[k];
			int c;

			if (ok_of(w, b) != OK_NO)
				continue;
			c = class_of(w, b);
			if (c == C_REPAIRING) {
				set_ok(w, b, OK_LEAF, NONE);
			} else if (c == C_CONDUCTING && (!st || w->mark[b] == st)) {
				set_parent(w, b, a);
				set_ok(w, b, OK_TREE, NONE);
				q[qn++] = b;
			}
		}
	}
}

/* The repairing nodes next to x, which lost its connection, may lose theirs. */
static void starve_leaves(struct an_ws *w, uint32_t x, uint32_t cause)
{
	const struct an_model *m = w->m;

	for (uint64_t k = m->link_start[x]; k < m->link_start[x + 1]; k++) {
		uint32_t y = m->link_to[k];

		if (ok_of(w, y) == OK_LEAF)
			leaf_check(w, y, cause);
	}
}

/* v, in the tree, no longer conducts: its subtree may be cut off. */
static void detach(struct an_ws *w, uint32_t v)
{
	const struct an_model *m = w->m;
	uint32_t st = next_stamp(w->mark, m->n_nodes, &w->stamp, 1), top = 0, nd = 0;

	/* the subtree below v */
	w->mark[v] = st;
	w->stack[top++] = v;
	while (top) {
		uint32_t x = w->stack[--top];

		for (uint64_t k = m->link_start[x]; k < m->link_start[x + 1]; k++) {
			uint32_t y = m->link_to[k];

			if (ok_of(w, y) == OK_TREE && w->parent[y] == x && w->mark[y] != st) {
				w->mark[y] = st;
				w->stack[top++] = y;
				w->det[nd++] = y;
			}
		}
	}
	sim_touch(w, v);
	sim_put_ok(w, v, OK_NO); /* v decides for itself once its class is final */
	for (uint32_t i = 0; i < nd; i++) {
		sim_touch(w, w->det[i]);
		sim_put_ok(w, w->det[i], OK_NO);
	}
	/* reattach what can be reached from outside */
	for (uint32_t i = 0; i < nd; i++) {
		uint32_t x = w->det[i], y;

		if (ok_of(w, x) != OK_NO || class_of(w, x) != C_CONDUCTING ||
		    (y = live_neighbour(w, x)) == NONE)
			continue;
		sim_put_ok(w, x, OK_TREE);
		w->parent[x] = y;
		spread(w, x, st);
	}
	/* the rest is cut off by v, and so may be the repairing nodes it fed */
	for (uint32_t i = 0; i < nd; i++) {
		uint32_t x = w->det[i];

		if (ok_of(w, x) == OK_NO) {
			if (!w->topt.summary)
				w->layer_cause[x] = v;
			sim_dirty(w, x);
			starve_leaves(w, x, v);
		}
	}
	starve_leaves(w, v, v);
}

/* v, not in the tree, conducts now: it joins if it can, with what it reaches. */
static void attach(struct an_ws *w, uint32_t v)
{
	uint32_t p = NONE;

	if (!w->s->node[v].source && (p = live_neighbour(w, v)) == NONE) {
		set_ok(w, v, OK_NO, NONE);
		return;
	}
	set_parent(w, v, p);
	set_ok(w, v, OK_TREE, NONE);
	spread(w, v, 0);
}

/* Bring v, whose class changed, into its layer (with sources). */
static void update_node(struct an_ws *w, uint32_t v)
{
	int c = class_of(w, v);

	if (c != C_CONDUCTING && ok_of(w, v) == OK_TREE)
		detach(w, v);
	if (c == C_ACTIVE)
		set_ok(w, v, OK_NO, NONE);
	else if (c == C_REPAIRING)
		leaf_check(w, v, NONE);
	else if (ok_of(w, v) != OK_TREE)
		attach(w, v);
}

/* Layer l again, whole; cause: the node to blame for what is cut off. */
static void recompute(struct an_ws *w, uint32_t l, uint32_t cause)
{
	const struct an_sim *s = w->s;
	const struct an_model *m = w->m;
	uint32_t st = layer_connect(s, l, w, w->mark, &w->stamp, w->stack, w->parent);
	int sourced = s->layer_has_source[l];

	for (uint32_t i = s->layer_start[l]; i < s->layer_start[l + 1]; i++) {
		uint32_t x = s->layer_nodes[i];
		int c = class_of(w, x);
		uint8_t ok = OK_NO;

		if (!sourced) {
			if (st && w->mark[x] == st)
				ok = c == C_CONDUCTING ? OK_TREE : OK_LEAF;
		} else if (c == C_CONDUCTING) {
			ok = st && w->mark[x] == st ? OK_TREE : OK_NO;
			if (ok && w->parent[x] != s->parent0[x])
				sim_touch(w, x); /* its parent must be reset */
		} else if (c == C_REPAIRING) {
			ok = m->source[x] ? OK_LEAF : OK_NO;
			for (uint64_t k = m->link_start[x]; !ok && k < m->link_start[x + 1]; k++) {
				uint32_t y = m->link_to[k];

				if (w->mark[y] == st && class_of(w, y) == C_CONDUCTING)
					ok = OK_LEAF;
			}
		}
		set_ok(w, x, ok, cause);
	}
}

/* Is layer l to be computed again whole this round? */
static int whole(const struct an_ws *w, uint32_t l)
{
	const struct an_sim *s = w->s;
	uint32_t cnt = s->layer_start[l + 1] - s->layer_start[l];

	return w->full_always || !s->layer_has_source[l] ||
	       (w->layer_chg[l] > 16 && (uint64_t)w->layer_chg[l] * 8 > cnt);
}

void sim_layers_update(struct an_ws *w)
{
	for (uint32_t i = 0; i < w->n_lchg; i++) {
		uint32_t v = w->lchg[i];

		if (!whole(w, w->ns[v].layer))
			update_node(w, v);
	}
	for (uint32_t i = 0; i < w->n_tlayers; i++) {
		uint32_t l = w->tlayers[i];

		if (whole(w, l))
			recompute(w, l, w->layer_first[l]);
	}
	for (uint32_t i = 0; i < w->n_tlayers; i++)
		w->layer_chg[w->tlayers[i]] = 0;
	for (uint32_t i = 0; i < w->n_lchg; i++) {
		w->ns[w->lchg[i]].flags &= (uint8_t)~F_LCHG;
		sim_dirty(w, w->lchg[i]);
	}
	w->n_tlayers = 0;
	w->n_lchg = 0;
}
