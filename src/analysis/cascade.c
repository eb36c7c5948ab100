/* cascade.c - the static cascade to a fixed point (see cascade.h for the
 * rules). The state is a word per node (failed or not, and scratch bits of
 * the connectivity pass) and, per redundancy group, the number of its
 * suppliers that still work. Every failure is appended to a list, which
 * drives the dependency closure, gives the seeds of the next connectivity
 * pass and lets the workspace be reset by undoing it.
 *
 * A connectivity pass takes the layers touched by the failures since the last
 * pass one at a time. When few of a layer's nodes failed, it searches from the
 * seeds (the working neighbours of those failures): each seed starts a group
 * that claims nodes (the claim bits of the node's word hold the group + 1)
 * and queues them for exploring; groups that meet are united (union by size,
 * queues joined). The groups advance in turn, one node each, so the pieces cut
 * off, which are small, are explored while the large remainder is barely
 * entered. A group is resolved once it holds a working source (a layer with
 * sources) or has nothing left to explore. When many nodes of a layer failed,
 * the layer is relabelled instead: a breadth-first search finds what survives
 * (from the sources, or the first component over half the layer) and a scan
 * of the layer's bits, 64 nodes a word, fails the rest (a bit per node keeps
 * which failed, beside the word). The search of a relabelling reads and marks
 * a bit per node (failed, or reached), not the node's word: the bits of two
 * million nodes fit in a core's cache, their words do not; it is written
 * without a branch on that bit. Edges are fetched from memory ahead of use.
 *
 * The kernel works on its own copy of the model's layers, links and
 * dependencies (struct net), renumbered once per base so that a layer's
 * nodes are consecutive in search order and its edge lists are read more in
 * order by a relabelling; its large arrays ask for huge pages. Node indices
 * are translated at the edges of the API, and ties are broken by model index,
 * so the results do not depend on the renumbering.
 * Every array a pass needs is allocated with the workspace, so a run cannot
 * fail half-way. */
#include "analysis/cascade.h"

#include "base/alloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define NONE UINT32_MAX

/* A layer is relabelled whole when more than 1/FULL_SHARE of its working
 * nodes failed since the last pass. A relabelling reads the edge lists nearly
 * in order (struct net) while a search jumps between its groups, so the
 * relabelling pays off early: measured on two coupled random layers of 10^6
 * nodes, 256 beat 16. */
#define FULL_SHARE 256u

/* How far ahead in a list of nodes their edges are fetched from memory. */
#define PREFETCH 16u

/* The bits of a node's word. */
#define DEAD 0x80000000u  /* failed */
#define SEEN 0x40000000u  /* already a seed of this pass */
#define CLAIM 0x3fffffffu /* claiming group + 1 (0: none), during a pass */

/* Words of the busy bitset of m (a model or a struct net). */
#define BUSY_WORDS(m) ((size_t)(m)->n_nodes / 64 + 1)

/* The model's layers, links and dependencies with the nodes renumbered so
 * that a layer's nodes are consecutive, in the order a breadth-first search
 * of the layer reaches them (components by their lowest model index), and
 * the redundancy groups in the order of their dependents. A relabelling then
 * reads the edge lists more in order (wholly so while its search follows the
 * numbering) instead of one random place per node.
 * Node u here is node id[u] of the model; what the cascade reports (the
 * failed nodes, the tie between pieces of one size) is in model indices. */
struct net {
	uint32_t n_nodes, n_groups;
	uint32_t *id;            /* node here -> model node */
	uint32_t *pos;           /* model node -> node here */
	int32_t *layer;
	uint8_t *source;
	uint64_t *link_start;    /* n_nodes + 1 */
	uint32_t *link_to;
	uint64_t *dep_start;     /* n_nodes + 1 */
	uint32_t *dep_dependent;
	uint32_t *dep_group;
};

struct an_cascade_base {
	const struct an_model *model;
	struct net net;
	uint32_t n_layers;
	uint32_t *layer_start; /* n_layers + 1: the nodes of layer l are
				* layer_start[l] .. layer_start[l+1]-1 (struct net) */
	uint8_t *sourced;      /* per layer: has at least one source */
	uint32_t max_layer;    /* nodes of the largest layer */
	/* the baseline state */
	uint32_t *st;
	uint64_t *busy;
	int32_t *slack;
	uint32_t *layer_alive;
	uint32_t working;
};

struct an_cascade {
	const struct an_cascade_base *b;
	const struct net *m;
	uint32_t *st;          /* per node: DEAD, SEEN, CLAIM */
	uint64_t *busy;        /* bit per node: DEAD, or reached by a relabelling */
	uint64_t *dead;        /* bit per node: DEAD */
	int32_t *slack;        /* per redundancy group: working suppliers beyond its need */
	uint32_t *layer_alive; /* per layer: nodes still working */
	uint32_t working;
	uint32_t *fail;        /* failures beyond the baseline, in order */
	uint32_t *fail_id;     /* the same in model indices, once the run ends */
	int32_t *fail_layer;   /* the layer of each (-1: none) */
	uint32_t n_fail, n_done; /* n_done: failures whose dependents were visited */

	/* connectivity passes */
	uint32_t *since;       /* per layer: failures since the last pass */
	uint32_t *touched;     /* layers with failures since the last pass */
	uint32_t n_touched;
	uint32_t *pass_layer;  /* the layers of this pass (touched, taken at its start) */
	uint32_t *count;       /* per layer: seeds this pass, then their offsets */
	uint8_t *whole;        /* per layer: relabel it whole in this pass */
	uint32_t *seed;        /* seeds in the order found */
	uint32_t *sorted;      /* the same, by layer */
	uint32_t *next;        /* per node: the next in its group's queue */
	/* per search group (lockstep) or component (relabelling); max_layer of each */
	uint32_t *g_parent, *g_size, *g_min, *g_head, *g_tail, *g_pend, *active;
	uint8_t *g_src;
	uint32_t *claimed;     /* nodes claimed in a layer's pass; the queue of a relabelling */
	uint32_t n_claimed;
	uint32_t unresolved;   /* groups not yet resolved */
	uint32_t full_passes;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the base ------------------------------------------------------------- */

#define HUGE_PAGE ((uintptr_t)2 << 20)

/* Ask for huge pages under the array p of n bytes: the cascade reads its
 * large arrays at random places, and with small pages nearly every such read
 * also misses the address translation cache. Only a hint. */
static void *huge(void *p, size_t n)
{
	uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t z = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);

	if (p && z > a)
		madvise((void *)a, z - a, MADV_HUGEPAGE);
	return p;
}

/* A large array the cascade reads at random places (see huge). */
static void *big(size_t n)
{
	return huge(cep_malloc(n), n);
}

static void net_free(struct net *g)
{
	cep_free(g->id);
	cep_free(g->pos);
	cep_free(g->layer);
	cep_free(g->source);
	cep_free(g->link_start);
	cep_free(g->link_to);
	cep_free(g->dep_start);
	cep_free(g->dep_dependent);
	cep_free(g->dep_group);
}

/* Number the nodes of m: layer by layer from slot[l] (the first index of
 * layer l; advanced), each layer by breadth-first search from its lowest
 * unnumbered node, then the nodes in no layer from `rest`. Links stay within
 * a layer, so a search fills its own layer's range. */
static void net_number(struct net *g, const struct an_model *m, uint32_t *slot, uint32_t rest)
{
	for (uint32_t v = 0; v < m->n_nodes; v++)
		g->pos[v] = NONE;
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		int32_t l = m->layer[v];
		uint32_t head;

		if (g->pos[v] != NONE)
			continue;
		if (l < 0) {
			g->id[rest] = v;
			g->pos[v] = rest++;
			continue;
		}
		head = slot[l];
		g->id[slot[l]] = v;
		g->pos[v] = slot[l]++;
		while (head < slot[l]) { /* id[head .. slot[l]) is the queue */
			uint32_t x = g->id[head++];

			for (uint64_t e = m->link_start[x]; e < m->link_start[x + 1]; e++) {
				uint32_t w = m->link_to[e];

				if (g->pos[w] == NONE) {
					g->id[slot[l]] = w;
					g->pos[w] = slot[l]++;
				}
			}
		}
	}
}

/* Copy m's links and dependencies into g's numbering; group_at[k] is the
 * model's group k's index here. */
static void net_copy(struct net *g, const struct an_model *m, const uint32_t *group_at)
{
	g->link_start[0] = g->dep_start[0] = 0;
	for (uint32_t u = 0; u < g->n_nodes; u++) {
		uint32_t v = g->id[u];
		uint64_t at = g->link_start[u], dat = g->dep_start[u];

		g->layer[u] = m->layer[v];
		g->source[u] = m->source[v];
		for (uint64_t e = m->link_start[v]; e < m->link_start[v + 1]; e++)
			g->link_to[at++] = g->pos[m->link_to[e]];
		g->link_start[u + 1] = at;
		for (uint64_t e = m->dep_start[v]; e < m->dep_start[v + 1]; e++, dat++) {
			g->dep_dependent[dat] = g->pos[m->dep_dependent[e]];
			g->dep_group[dat] = group_at[m->dep_group[e]];
		}
		g->dep_start[u + 1] = dat;
	}
}

/* Make b->net from the model and the layers' first indices (b->layer_start),
 * and the baseline's group counters in its numbering. */
static int net_new(struct an_cascade_base *b)
{
	const struct an_model *m = b->model;
	struct net *g = &b->net;
	size_t n = (size_t)m->n_nodes + 1, links = m->link_start[m->n_nodes];
	uint32_t *slot = cep_malloc(((size_t)b->n_layers + 1) * sizeof(*slot));
	uint32_t *group_at = cep_malloc(((size_t)m->n_groups + 1) * sizeof(*group_at)), k = 0;
	int rc = CEP_ENOMEM;

	g->n_nodes = m->n_nodes;
	g->n_groups = m->n_groups;
	g->id = big(n * sizeof(*g->id));
	g->pos = big(n * sizeof(*g->pos));
	g->layer = big(n * sizeof(*g->layer));
	g->source = cep_malloc(n);
	g->link_start = big(n * sizeof(*g->link_start));
	g->link_to = big((links + 1) * sizeof(*g->link_to));
	g->dep_start = big(n * sizeof(*g->dep_start));
	g->dep_dependent = big(((size_t)m->n_deps + 1) * sizeof(*g->dep_dependent));
	g->dep_group = big(((size_t)m->n_deps + 1) * sizeof(*g->dep_group));
	if (!slot || !group_at || !g->id || !g->pos || !g->layer || !g->source || !g->link_start ||
	    !g->link_to || !g->dep_start || !g->dep_dependent || !g->dep_group)
		goto out;
	memcpy(slot, b->layer_start, (size_t)b->n_layers * sizeof(*slot));
	net_number(g, m, slot, b->layer_start[b->n_layers]);
	for (uint32_t u = 0; u < g->n_nodes; u++) {
		uint32_t v = g->id[u];

		for (uint32_t x = m->node_group_start[v]; x < m->node_group_start[v + 1]; x++) {
			group_at[x] = k;
			b->slack[k++] = (int32_t)(m->group_size[x] - m->group_need[x]);
		}
	}
	net_copy(g, m, group_at);
	rc = 0;
out:
	cep_free(slot);
	cep_free(group_at);
	return rc;
}

void an_cascade_base_free(struct an_cascade_base *b)
{
	if (!b)
		return;
	net_free(&b->net);
	cep_free(b->layer_start);
	cep_free(b->sourced);
	cep_free(b->st);
	cep_free(b->busy);
	cep_free(b->slack);
	cep_free(b->layer_alive);
	cep_free(b);
}

static void run_rounds(struct an_cascade *c, int whole_first, struct an_cascade_result *ret);

int an_cascade_base_new(const struct an_model *m, struct an_cascade_base **ret,
			struct cep_error *err)
{
	struct an_cascade_base *b = cep_calloc(1, sizeof(*b));
	struct an_cascade *c = NULL;
	struct an_cascade_result r;
	uint32_t nl = m->layers.n;
	size_t n = m->n_nodes;
	int rc = CEP_ENOMEM;

	if (!b)
		goto out;
	b->model = m;
	b->n_layers = nl;
	b->layer_start = cep_calloc((size_t)nl + 1, sizeof(*b->layer_start));
	b->sourced = cep_calloc((size_t)nl + 1, 1);
	b->st = cep_calloc(n + 1, sizeof(*b->st));
	b->busy = cep_calloc(BUSY_WORDS(m), sizeof(*b->busy));
	b->slack = cep_malloc(((size_t)m->n_groups + 1) * sizeof(*b->slack));
	b->layer_alive = cep_calloc((size_t)nl + 1, sizeof(*b->layer_alive));
	if (!b->layer_start || !b->sourced || !b->st || !b->busy || !b->slack ||
	    !b->layer_alive)
		goto out;
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		if (m->layer[v] < 0)
			continue;
		b->layer_start[m->layer[v] + 1]++;
		if (m->source[v])
			b->sourced[m->layer[v]] = 1;
	}
	for (uint32_t l = 0; l < nl; l++) {
		b->layer_alive[l] = b->layer_start[l + 1];
		if (b->layer_start[l + 1] > b->max_layer)
			b->max_layer = b->layer_start[l + 1];
		b->layer_start[l + 1] += b->layer_start[l];
	}
	if (net_new(b))
		goto out;
	b->working = m->n_nodes;

	/* The baseline: the rounds from the intact model, the first pass whole. */
	if (an_cascade_new(b, &c))
		goto out;
	run_rounds(c, 1, &r);
	memcpy(b->st, c->st, n * sizeof(*b->st));
	memcpy(b->busy, c->busy, BUSY_WORDS(m) * sizeof(*b->busy));
	memcpy(b->slack, c->slack, (size_t)m->n_groups * sizeof(*b->slack));
	memcpy(b->layer_alive, c->layer_alive, (size_t)nl * sizeof(*b->layer_alive));
	b->working = c->working;
	*ret = b;
	b = NULL;
	rc = 0;
out:
	if (rc)
		cep_error_set(err, rc, NULL, "out of memory for the cascade of %u nodes",
			      m->n_nodes);
	an_cascade_free(c);
	an_cascade_base_free(b);
	return rc;
}

const struct an_model *an_cascade_base_model(const struct an_cascade_base *b)
{
	return b->model;
}

uint32_t an_cascade_base_working(const struct an_cascade_base *b)
{
	return b->working;
}

uint32_t an_cascade_base_layer_working(const struct an_cascade_base *b, uint32_t l)
{
	return l < b->n_layers ? b->layer_alive[l] : 0;
}

int an_cascade_base_works(const struct an_cascade_base *b, uint32_t v)
{
	return v < b->net.n_nodes && !(b->st[b->net.pos[v]] & DEAD);
}

/* ---- the workspace -------------------------------------------------------- */

void an_cascade_free(struct an_cascade *c)
{
	if (!c)
		return;
	cep_free(c->st);
	cep_free(c->busy);
	cep_free(c->dead);
	cep_free(c->slack);
	cep_free(c->layer_alive);
	cep_free(c->fail);
	cep_free(c->fail_id);
	cep_free(c->fail_layer);
	cep_free(c->since);
	cep_free(c->pass_layer);
	cep_free(c->count);
	cep_free(c->whole);
	cep_free(c->touched);
	cep_free(c->seed);
	cep_free(c->sorted);
	cep_free(c->next);
	cep_free(c->g_parent);
	cep_free(c->g_size);
	cep_free(c->g_min);
	cep_free(c->g_head);
	cep_free(c->g_tail);
	cep_free(c->g_pend);
	cep_free(c->active);
	cep_free(c->g_src);
	cep_free(c->claimed);
	cep_free(c);
}

int an_cascade_new(const struct an_cascade_base *b, struct an_cascade **ret)
{
	const struct net *m = &b->net;
	struct an_cascade *c = cep_calloc(1, sizeof(*c));
	size_t n = (size_t)m->n_nodes + 1, nl = (size_t)b->n_layers + 1;
	size_t ms = ((size_t)b->max_layer + 1) * sizeof(uint32_t);

	if (!c)
		return CEP_ENOMEM;
	c->b = b;
	c->m = m;
	c->st = big(n * sizeof(*c->st));
	c->busy = big(BUSY_WORDS(m) * sizeof(*c->busy));
	c->dead = cep_malloc(BUSY_WORDS(m) * sizeof(*c->dead));
	c->slack = cep_malloc(((size_t)m->n_groups + 1) * sizeof(*c->slack));
	c->layer_alive = cep_malloc(nl * sizeof(*c->layer_alive));
	c->fail = big(n * sizeof(*c->fail));
	c->fail_id = big(n * sizeof(*c->fail_id));
	c->fail_layer = big(n * sizeof(*c->fail_layer));
	c->since = cep_calloc(nl, sizeof(*c->since));
	c->pass_layer = cep_malloc(nl * sizeof(*c->pass_layer));
	c->count = cep_calloc(nl, sizeof(*c->count));
	c->whole = cep_calloc(nl, 1);
	c->touched = cep_malloc(nl * sizeof(*c->touched));
	c->seed = big(n * sizeof(*c->seed));
	c->sorted = big(n * sizeof(*c->sorted));
	c->next = big(n * sizeof(*c->next));
	c->g_parent = big(ms);
	c->g_size = big(ms);
	c->g_min = big(ms);
	c->g_head = big(ms);
	c->g_tail = big(ms);
	c->g_pend = big(ms);
	c->active = big(ms);
	c->g_src = cep_malloc((size_t)b->max_layer + 1);
	c->claimed = big(ms);
	if (!c->st || !c->busy || !c->dead || !c->slack || !c->layer_alive || !c->fail || !c->fail_id ||
	    !c->fail_layer || !c->since || !c->pass_layer || !c->count || !c->whole ||
	    !c->touched || !c->seed || !c->sorted || !c->next || !c->g_parent || !c->g_size ||
	    !c->g_min || !c->g_head || !c->g_tail || !c->g_pend || !c->active || !c->g_src ||
	    !c->claimed) {
		an_cascade_free(c);
		return CEP_ENOMEM;
	}
	memcpy(c->st, b->st, (size_t)m->n_nodes * sizeof(*c->st));
	memcpy(c->busy, b->busy, BUSY_WORDS(m) * sizeof(*c->busy));
	memcpy(c->dead, b->busy, BUSY_WORDS(m) * sizeof(*c->dead)); /* busy is DEAD between passes */
	memcpy(c->slack, b->slack, (size_t)m->n_groups * sizeof(*c->slack));
	memcpy(c->layer_alive, b->layer_alive, (size_t)b->n_layers * sizeof(*c->layer_alive));
	c->working = b->working;
	*ret = c;
	return 0;
}

static int busy(const struct an_cascade *c, uint32_t v)
{
	return c->busy[v >> 6] >> (v & 63) & 1;
}

static void set_busy(struct an_cascade *c, uint32_t v)
{
	c->busy[v >> 6] |= 1ULL << (v & 63);
}

static void clear_busy(struct an_cascade *c, uint32_t v)
{
	c->busy[v >> 6] &= ~(1ULL << (v & 63));
}

static void fail_node(struct an_cascade *c, uint32_t v)
{
	int32_t l = c->m->layer[v];

	c->st[v] |= DEAD;
	set_busy(c, v);
	c->dead[v >> 6] |= 1ULL << (v & 63);
	c->fail_layer[c->n_fail] = l;
	c->fail[c->n_fail++] = v;
	c->working--;
	if (l >= 0) {
		c->layer_alive[l]--;
		if (c->since[l]++ == 0)
			c->touched[c->n_touched++] = (uint32_t)l;
	}
}

/* The dependency closure: visit the dependents of every failure not yet
 * visited; a group that drops below its need fails its dependent. */
static void closure(struct an_cascade *c)
{
	const struct net *m = c->m;

	while (c->n_done < c->n_fail) {
		uint32_t v = c->fail[c->n_done++];

		/* the failures ahead: their edges, their edges' groups, then the
		 * groups' counters (memory is the cost) */
		if (c->n_done + PREFETCH < c->n_fail)
			__builtin_prefetch(&m->dep_start[c->fail[c->n_done + PREFETCH]]);
		if (c->n_done + PREFETCH / 2 < c->n_fail) {
			uint64_t ahead = m->dep_start[c->fail[c->n_done + PREFETCH / 2]];

			__builtin_prefetch(&m->dep_group[ahead]);
			__builtin_prefetch(&m->dep_dependent[ahead]);
		}
		if (c->n_done + PREFETCH / 4 < c->n_fail) {
			uint32_t a = c->fail[c->n_done + PREFETCH / 4];

			for (uint64_t e = m->dep_start[a]; e < m->dep_start[a + 1] && e < m->dep_start[a] + 4; e++)
				__builtin_prefetch(&c->slack[m->dep_group[e]]);
		}
		for (uint64_t e = m->dep_start[v]; e < m->dep_start[v + 1]; e++) {
			uint32_t g = m->dep_group[e], d = m->dep_dependent[e];

			if (c->slack[g]-- == 0 && !busy(c, d))
				fail_node(c, d);
		}
	}
}

void an_cascade_reset(struct an_cascade *c)
{
	const struct net *m = c->m;

	if (c->n_fail > m->n_nodes / 8) { /* copying in order beats undoing at random */
		memcpy(c->st, c->b->st, (size_t)m->n_nodes * sizeof(*c->st));
		memcpy(c->busy, c->b->busy, BUSY_WORDS(m) * sizeof(*c->busy));
		memcpy(c->dead, c->b->busy, BUSY_WORDS(m) * sizeof(*c->dead));
		memcpy(c->slack, c->b->slack, (size_t)m->n_groups * sizeof(*c->slack));
		memcpy(c->layer_alive, c->b->layer_alive,
		       (size_t)c->b->n_layers * sizeof(*c->layer_alive));
		c->working = c->b->working;
		c->n_fail = c->n_done = 0;
		return;
	}
	for (uint32_t i = 0; i < c->n_done; i++) {
		uint32_t v = c->fail[i];

		for (uint64_t e = m->dep_start[v]; e < m->dep_start[v + 1]; e++)
			c->slack[m->dep_group[e]]++;
	}
	for (uint32_t i = 0; i < c->n_fail; i++) {
		uint32_t v = c->fail[i];

		c->st[v] &= ~DEAD;
		clear_busy(c, v);
		c->dead[v >> 6] &= ~(1ULL << (v & 63));
		c->working++;
		if (m->layer[v] >= 0)
			c->layer_alive[m->layer[v]]++;
	}
	c->n_fail = c->n_done = 0;
}

/* ---- searches in lockstep ------------------------------------------------- */

static uint32_t find(struct an_cascade *c, uint32_t g)
{
	uint32_t *p = c->g_parent;

	while (p[g] != g) {
		p[g] = p[p[g]];
		g = p[g];
	}
	return g;
}

/* A group (a root) is resolved when it has nothing left to explore (g_pend
 * counts its queue and the node being explored), or, in a layer with sources,
 * holds a working source. */
static int resolved(const struct an_cascade *c, uint32_t r, int sourced)
{
	return c->g_pend[r] == 0 || (sourced && c->g_src[r]);
}

static void unite(struct an_cascade *c, uint32_t a, uint32_t b, int sourced)
{
	uint32_t was = !resolved(c, a, sourced) + !resolved(c, b, sourced), t;

	if (c->g_size[a] < c->g_size[b] || (c->g_size[a] == c->g_size[b] && a > b)) {
		t = a;
		a = b;
		b = t;
	}
	c->g_parent[b] = a;
	c->g_size[a] += c->g_size[b];
	c->g_pend[a] += c->g_pend[b];
	c->g_src[a] |= c->g_src[b];
	if (c->g_min[b] < c->g_min[a])
		c->g_min[a] = c->g_min[b];
	if (c->g_head[b] != NONE) { /* join the queues */
		if (c->g_head[a] == NONE)
			c->g_head[a] = c->g_head[b];
		else
			c->next[c->g_tail[a]] = c->g_head[b];
		c->g_tail[a] = c->g_tail[b];
	}
	c->unresolved = c->unresolved - was + !resolved(c, a, sourced);
}

/* Group r (a root, open) claims node w. */
static void claim(struct an_cascade *c, uint32_t r, uint32_t w, int sourced)
{
	c->st[w] |= r + 1;
	c->claimed[c->n_claimed++] = w;
	c->next[w] = NONE;
	if (c->g_head[r] == NONE)
		c->g_head[r] = w;
	else
		c->next[c->g_tail[r]] = w;
	c->g_tail[r] = w;
	c->g_size[r]++;
	c->g_pend[r]++;
	if (c->m->id[w] < c->g_min[r])
		c->g_min[r] = c->m->id[w];
	if (c->m->source[w] && !c->g_src[r]) {
		c->g_src[r] = 1;
		if (sourced)
			c->unresolved--; /* it was open, so unresolved */
	}
}

/* Explore the next queued node of group g (a root, unresolved). */
static void expand(struct an_cascade *c, uint32_t g, int sourced)
{
	const struct net *m = c->m;
	uint32_t v = c->g_head[g], r;
	int was;

	c->g_head[g] = c->next[v]; /* still counted in g_pend until explored */
	for (uint64_t e = m->link_start[v]; e < m->link_start[v + 1]; e++) {
		uint32_t w = m->link_to[e], o = c->st[w];

		if (o & DEAD)
			continue;
		r = find(c, g);
		if (!(o & CLAIM))
			claim(c, r, w, sourced);
		else if ((o = find(c, (o & CLAIM) - 1)) != r)
			unite(c, r, o, sourced);
	}
	r = find(c, g);
	was = !resolved(c, r, sourced);
	c->g_pend[r]--;
	if (was && resolved(c, r, sourced))
		c->unresolved--;
}

/* Should the lockstep stop? Without `until` (NONE): once at most `stop`
 * groups are unresolved; with it: once group `until` is resolved or larger
 * than `size`. */
static int done(const struct an_cascade *c, int sourced, uint32_t stop, uint32_t until,
		uint32_t size)
{
	if (until == NONE)
		return c->unresolved <= stop;
	return resolved(c, until, sourced) || c->g_size[until] > size;
}

/* Advance the unresolved groups of the active list in turn, one node each,
 * until done(). Groups that are resolved or united into others leave the list
 * (every unresolved root stays in it). */
static void advance(struct an_cascade *c, uint32_t *nact, int sourced, uint32_t stop,
		    uint32_t until, uint32_t size)
{
	uint32_t n = *nact;

	while (n && !done(c, sourced, stop, until, size)) {
		uint32_t k = 0, i;

		for (i = 0; i < n; i++) {
			uint32_t g = c->active[i];

			if (i + PREFETCH / 4 < n) {
				uint32_t ahead = c->g_head[c->active[i + PREFETCH / 4]];

				if (ahead != NONE)
					__builtin_prefetch(&c->m->link_start[ahead]);
			}
			if (c->g_parent[g] != g || resolved(c, g, sourced))
				continue;
			expand(c, g, sourced);
			if (c->g_parent[g] == g && !resolved(c, g, sourced))
				c->active[k++] = g;
			if (done(c, sourced, stop, until, size)) {
				i++;
				break;
			}
		}
		for (; i < n; i++)
			c->active[k++] = c->active[i];
		n = k;
	}
	*nact = n;
}

/* Is group a preferred to group b by a layer without sources? */
static int larger(const struct an_cascade *c, uint32_t a, uint32_t b)
{
	return c->g_size[a] > c->g_size[b] ||
	       (c->g_size[a] == c->g_size[b] && c->g_min[a] < c->g_min[b]);
}

/* The pass over one layer by searches from seeds[0..ns). Returns the nodes failed. */
static uint32_t pass_search(struct an_cascade *c, uint32_t l, const uint32_t *seeds, uint32_t ns)
{
	const struct net *m = c->m;
	int sourced = c->b->sourced[l];
	uint32_t nact = 0, keep = NONE, failed = 0;

	c->unresolved = 0;
	c->n_claimed = 0;
	for (uint32_t g = 0; g < ns; g++) {
		uint32_t w = seeds[g];

		c->st[w] |= g + 1;
		c->claimed[c->n_claimed++] = w;
		c->next[w] = NONE;
		c->g_head[g] = c->g_tail[g] = w;
		c->g_parent[g] = g;
		c->g_size[g] = 1;
		c->g_pend[g] = 1;
		c->g_min[g] = m->id[w];
		c->g_src[g] = m->source[w];
		if (!resolved(c, g, sourced)) {
			c->unresolved++;
			c->active[nact++] = g;
		}
	}
	advance(c, &nact, sourced, sourced ? 0 : 1, NONE, 0);
	if (!sourced) {
		uint32_t open = NONE, best = NONE;

		for (uint32_t g = 0; g < ns; g++) {
			if (c->g_parent[g] != g)
				continue;
			if (!resolved(c, g, 0))
				open = g;
			else if (best == NONE || larger(c, g, best))
				best = g;
		}
		if (open != NONE) /* explore it until it is known to be the largest */
			advance(c, &nact, 0, 0, open, best == NONE ? 0 : c->g_size[best]);
		if (open == NONE || (best != NONE && resolved(c, open, 0) && larger(c, best, open)))
			keep = best;
		else
			keep = open;
	}
	for (uint32_t i = 0; i < c->n_claimed; i++) {
		uint32_t w = c->claimed[i], r = find(c, (c->st[w] & CLAIM) - 1);

		c->st[w] &= ~CLAIM;
		if (sourced ? !c->g_src[r] : r != keep) {
			fail_node(c, w);
			failed++;
		}
	}
	return failed;
}

/* ---- relabelling ---------------------------------------------------------- */

/* Breadth-first search from the nodes q[head..qn) (marked busy already) over
 * nodes not busy, marking them; returns the new end of the queue. */
static uint32_t bfs(struct an_cascade *c, uint32_t head, uint32_t qn)
{
	const struct net *m = c->m;
	const uint64_t *start = m->link_start;
	const uint32_t *to = m->link_to;
	uint64_t *bits = c->busy;
	uint32_t *q = c->claimed;

	while (head < qn) {
		uint32_t v = q[head++];
		uint64_t end = start[v + 1];

		if (head + PREFETCH < qn)
			__builtin_prefetch(&start[q[head + PREFETCH]]);
		if (head + PREFETCH / 2 < qn)
			__builtin_prefetch(&to[start[q[head + PREFETCH / 2]]]);
		/* without a branch on the bit, which is as good as random: the
		 * neighbour is always written and counted only when new */
		for (uint64_t e = start[v]; e < end; e++) {
			uint32_t w = to[e];
			uint64_t word = bits[w >> 6], bit = 1ULL << (w & 63);

			q[qn] = w;
			qn += !(word & bit);
			bits[w >> 6] = word | bit;
		}
	}
	return qn;
}

/* Scan layer l in node order: a working node reached (busy) is kept and no
 * longer busy, a working node not reached fails. Word by word, without a
 * branch per node. Returns the nodes failed. */
static uint32_t fail_unclaimed(struct an_cascade *c, uint32_t l)
{
	uint32_t first = c->b->layer_start[l], end = c->b->layer_start[l + 1], failed = 0;

	if (first == end)
		return 0;
	/* by words of the bitsets: working and not reached is not busy */
	for (uint32_t k = first >> 6; k <= (end - 1) >> 6; k++) {
		uint64_t in = ~0ULL, lose;

		if (k == first >> 6)
			in &= ~0ULL << (first & 63);
		if (k == (end - 1) >> 6 && (end & 63))
			in &= ~0ULL >> (64 - (end & 63));
		lose = ~c->busy[k] & in;
		c->busy[k] = (c->busy[k] & ~in) | (c->dead[k] & in);
		for (; lose; lose &= lose - 1) {
			fail_node(c, k * 64 + (uint32_t)__builtin_ctzll(lose));
			failed++;
		}
	}
	return failed;
}

/* The lowest model index of the nodes q[0..n). */
static uint32_t lowest_id(const struct an_cascade *c, const uint32_t *q, uint32_t n)
{
	uint32_t low = NONE;

	for (uint32_t i = 0; i < n; i++)
		if (c->m->id[q[i]] < low)
			low = c->m->id[q[i]];
	return low;
}

/* The pass over one layer by relabelling its working nodes. What survives is
 * found by breadth-first search: in a layer with sources, from all its working
 * sources at once; without sources, component by component until one holds
 * more than half of the working nodes, or all are known (component k is
 * claimed[g_head[k] .. g_head[k] + g_size[k] - 1]). Every working node not
 * kept then fails. Returns the nodes failed. */
static uint32_t pass_whole(struct an_cascade *c, uint32_t l)
{
	const struct net *m = c->m;
	const struct an_cascade_base *b = c->b;
	uint32_t *q = c->claimed, first = b->layer_start[l], end = b->layer_start[l + 1];
	uint32_t nc = 0, qn = 0, keep = NONE, failed = 0;

	c->full_passes++;
	if (b->sourced[l]) {
		for (uint32_t v = first; v < end; v++) {
			if (m->source[v] && !busy(c, v)) {
				set_busy(c, v);
				q[qn++] = v;
			}
		}
		bfs(c, 0, qn);
		return fail_unclaimed(c, l);
	}
	for (uint32_t root = first; root < end; root++) {
		uint32_t start = qn;

		if (busy(c, root))
			continue;
		set_busy(c, root);
		q[qn++] = root;
		qn = bfs(c, start, qn);
		c->g_head[nc] = start;
		c->g_size[nc] = qn - start;
		if ((uint64_t)(qn - start) * 2 > c->layer_alive[l]) {
			/* the largest, whatever is left: keep it, fail the rest */
			for (uint32_t k = 0; k < start; k++)
				clear_busy(c, q[k]);
			return fail_unclaimed(c, l);
		}
		/* the tie between pieces of one size is by model index */
		c->g_min[nc] = lowest_id(c, q + start, qn - start);
		if (keep == NONE || larger(c, nc, keep))
			keep = nc;
		nc++;
	}
	for (uint32_t i = 0; i < qn; i++)
		clear_busy(c, q[i]);
	for (uint32_t k = 0; k < nc; k++) {
		if (k == keep)
			continue;
		for (uint32_t i = c->g_head[k]; i < c->g_head[k] + c->g_size[k]; i++) {
			fail_node(c, q[i]);
			failed++;
		}
	}
	return failed;
}

/* ---- rounds --------------------------------------------------------------- */

/* One connectivity pass over the layers touched by the failures
 * fail[from..to) (the failures since the last pass), or over every layer
 * (all). Returns the nodes failed. */
static uint32_t pass(struct an_cascade *c, uint32_t from, uint32_t to, int all)
{
	const struct net *m = c->m;
	uint32_t ns = 0, failed = 0, at = 0, nl = c->n_touched, searched = 0;

	/* this pass's layers; what fails from now on is the next pass's */
	for (uint32_t t = 0; t < nl; t++) {
		uint32_t l = c->touched[t];

		c->pass_layer[t] = l;
		c->whole[l] = all || (uint64_t)c->since[l] * FULL_SHARE > c->layer_alive[l];
		searched += !c->whole[l];
		c->since[l] = 0;
	}
	c->n_touched = 0;
	if (all) {
		for (uint32_t l = 0; l < c->b->n_layers; l++) {
			failed += pass_whole(c, l);
			c->whole[l] = 0;
		}
		return failed;
	}
	/* the seeds of the layers searched: working neighbours of the failures, once each */
	for (uint32_t i = from; i < to && searched; i++) {
		uint32_t v = c->fail[i];

		if (i + PREFETCH < to)
			__builtin_prefetch(&m->link_start[c->fail[i + PREFETCH]]);
		if (c->fail_layer[i] < 0 || c->whole[c->fail_layer[i]])
			continue;
		for (uint64_t e = m->link_start[v]; e < m->link_start[v + 1]; e++) {
			uint32_t w = m->link_to[e];

			if (c->st[w])
				continue;
			c->st[w] = SEEN;
			c->seed[ns++] = w;
			c->count[c->fail_layer[i]]++; /* links stay within a layer */
		}
	}
	/* seeds by layer, in the order the layers were touched */
	for (uint32_t t = 0; t < nl; t++) {
		uint32_t l = c->pass_layer[t], k = c->count[l];

		c->count[l] = at;
		at += k;
	}
	for (uint32_t i = 0; i < ns; i++) {
		uint32_t w = c->seed[i];

		c->st[w] = 0;
		c->sorted[c->count[m->layer[w]]++] = w;
	}
	at = 0;
	for (uint32_t t = 0; t < nl; t++) {
		uint32_t l = c->pass_layer[t], end = c->count[l];

		c->count[l] = 0;
		if (c->whole[l])
			failed += pass_whole(c, l);
		else if (end > at)
			failed += pass_search(c, l, c->sorted + at, end - at);
		c->whole[l] = 0;
		at = end;
	}
	return failed;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* The total weight of the failures, added in the order of the numbering
 * whatever the order they failed in, so that two cascades that fail the same
 * nodes get the same bits (ties of a ranking stay ties): many by a scan of
 * the bits (failed now, not in the baseline), few sorted. */
static double damage(struct an_cascade *c)
{
	const double *weight = c->b->model->weight;
	const uint32_t *id = c->m->id;
	double sum = 0;

	if ((uint64_t)c->n_fail * 64 > c->m->n_nodes) {
		for (size_t k = 0; k < BUSY_WORDS(c->m); k++)
			for (uint64_t x = c->dead[k] & ~c->b->busy[k]; x; x &= x - 1)
				sum += weight[id[k * 64 + (uint32_t)__builtin_ctzll(x)]];
		return sum;
	}
	memcpy(c->sorted, c->fail, (size_t)c->n_fail * sizeof(*c->sorted));
	qsort(c->sorted, c->n_fail, sizeof(*c->sorted), cmp_u32);
	for (uint32_t i = 0; i < c->n_fail; i++)
		sum += weight[id[c->sorted[i]]];
	return sum;
}

/* Rounds until a pass fails nothing, from the failures already listed; the
 * first pass relabels every layer when whole_first is set. */
static void run_rounds(struct an_cascade *c, int whole_first, struct an_cascade_result *ret)
{
	double t0 = now_seconds(), t1 = t0;
	uint32_t conn = 0, rounds = 0, failed;

	c->full_passes = 0;
	do {
		uint32_t from = conn;

		closure(c);
		conn = c->n_fail;
		failed = pass(c, from, conn, whole_first && rounds == 0);
		if (rounds++ == 0)
			t1 = now_seconds();
	} while (failed);
	for (uint32_t i = 0; i < c->n_fail; i++) { /* back to model indices */
		if (i + PREFETCH < c->n_fail)
			__builtin_prefetch(&c->m->id[c->fail[i + PREFETCH]]);
		c->fail_id[i] = c->m->id[c->fail[i]];
	}
	ret->failed = c->n_fail;
	ret->damage = damage(c);
	ret->rounds = rounds;
	ret->full_passes = c->full_passes;
	ret->seconds = now_seconds() - t0;
	ret->first_seconds = t1 - t0;
}

/* Fail the model's nodes[0..n) one by one, in the order given. */
static void fail_given(struct an_cascade *c, const uint32_t *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t v;

		if (i + PREFETCH < n)
			__builtin_prefetch(&c->m->pos[nodes[i + PREFETCH]]);
		if (i + PREFETCH / 2 < n) {
			uint32_t ahead = c->m->pos[nodes[i + PREFETCH / 2]];

			__builtin_prefetch(&c->st[ahead]);
			__builtin_prefetch(&c->m->layer[ahead]);
		}
		v = c->m->pos[nodes[i]];
		if (!(c->st[v] & DEAD))
			fail_node(c, v);
	}
}

/* Fail the model's nodes[0..n) in the order of the numbering: marked in the
 * busy bits first (which are the dead bits between passes), then failed in
 * one scan of the bits, so that their words and then, in the closure, their
 * edges are read in order rather than at random. Worth it when the scan of
 * n_nodes / 64 words is short beside the nodes. */
static void fail_given_sorted(struct an_cascade *c, const uint32_t *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i + PREFETCH < n)
			__builtin_prefetch(&c->m->pos[nodes[i + PREFETCH]]);
		set_busy(c, c->m->pos[nodes[i]]);
	}
	for (size_t k = 0; k < BUSY_WORDS(c->m); k++)
		for (uint64_t x = c->busy[k] & ~c->dead[k]; x; x &= x - 1)
			fail_node(c, (uint32_t)(k * 64 + (uint32_t)__builtin_ctzll(x)));
}

int an_cascade_run(struct an_cascade *c, const uint32_t *nodes, size_t n,
		   struct an_cascade_result *ret)
{
	for (size_t i = 0; i < n; i++)
		if (nodes[i] >= c->m->n_nodes)
			return CEP_EINVAL;
	if ((uint64_t)n * 64 > c->m->n_nodes)
		fail_given_sorted(c, nodes, n);
	else
		fail_given(c, nodes, n);
	run_rounds(c, 0, ret);
	return 0;
}

int an_cascade_works(const struct an_cascade *c, uint32_t v)
{
	return v < c->m->n_nodes && !(c->st[c->m->pos[v]] & DEAD);
}

uint32_t an_cascade_working(const struct an_cascade *c)
{
	return c->working;
}

uint32_t an_cascade_layer_working(const struct an_cascade *c, uint32_t l)
{
	return l < c->b->n_layers ? c->layer_alive[l] : 0;
}

const uint32_t *an_cascade_failed(const struct an_cascade *c, size_t *ret_n)
{
	*ret_n = c->n_fail;
	return c->fail_id;
}
