/* cascade.c - the static cascade to a fixed point (see cascade.h for the
 * rules). The state is a bit per node (failed or not), a word per node (its
 * level in its layer and the marks of a repair) and, per redundancy group,
 * the number of its suppliers that still work. Every failure is appended to a
 * list, which drives the dependency closure, gives the next connectivity pass
 * the failures of each layer and lets the workspace be reset by undoing it.
 *
 * Between passes every working node of a layer has a level: 0 at the working
 * sources (in a layer without sources, at the root of the piece it keeps),
 * and any other working node has a working neighbour of a lower level. A
 * connectivity pass takes the layers touched by the failures since the last
 * pass one at a time. When few of a layer's nodes failed, it repairs the
 * levels (see pass_repair): only the neighbourhoods of the failures and what
 * hangs by them are read, and the large remainder of the network keeps its
 * levels. When many failed, the layer is relabelled instead: a breadth-first
 * search finds what survives (from the sources, or the first component over
 * half the layer) and gives it its distances as levels, and a scan of the
 * layer's bits, 64 nodes a word, fails the rest. The search reads and marks a
 * bit per node (failed, or reached), not the node's word: the bits of two
 * million nodes fit in a core's cache, their words do not; it is written
 * without a branch on that bit. Edges are fetched from memory ahead of use.
 *
 * The kernel works on its own copy of the model's layers, links and
 * dependencies (struct net), renumbered once per base so that a layer's
 * nodes are consecutive in search order and its edge lists are read more in
 * order by a relabelling; its large arrays take huge pages (base/alloc).
 * Node indices are translated at the edges of the API, and ties are broken
 * by model index, so the results do not depend on the renumbering.
 * Every array a pass needs is allocated with the workspace, so a run cannot
 * fail half-way. */
#include "analysis/cascade.h"
#include "analysis/cascade_int.h"

#include "base/alloc.h"
#include "base/clock.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

/* A layer is relabelled whole when more than 1/FULL_SHARE of its working
 * nodes failed since the last pass; otherwise its levels are repaired. A
 * relabelling reads the edge lists nearly in order (struct net), a repair
 * reads a few places at random per node it touches: measured on two coupled
 * random layers of 10^6 nodes (bench/ab, both orders), 128 took 0.98 of
 * the time of 64 (eight runs: 0.96-1.01); 192 0.98, 256 1.02, 32 1.05,
 * 512 1.11. */
#define FULL_SHARE 128u

/* A repair gives up (and the layer is relabelled whole) once more than
 * 1/REPAIR_SHARE of the layer's working nodes have lost their support, or
 * once it has queued more than half of them (where a repair would cost
 * several relabellings: it reads a few places at random per node queued). */
#define REPAIR_SHARE 8u

/* How far ahead in a list of nodes their edges are fetched from memory. */
#define PREFETCH 16u

/* A node's word holds its level in its layer (LEV) and the marks of a
 * repair. Between passes every working node of a layer has a level: 0 for a
 * working source (in a layer without sources, for the root of the piece it
 * keeps), and every other working node has a working neighbour of a lower
 * level, so that a chain of lower levels leads from it to a source (or the
 * root). Whether a node failed is kept in a bitset (dead). */
#define ORPH 0x80000000u   /* lost its support, during a repair */
#define QUEUED 0x40000000u /* queued by a repair */
#define LOGGED 0x20000000u /* its level changed: listed to be undone */
#define DONE 0x10000000u   /* its support settled, during a repair */
#define LEV 0x0fffffffu    /* its level */

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
/* A dependency of struct net: the dependent and its redundancy group. */
#define MORE 0x80000000u /* in dep1: more dependencies follow */
struct dep {
	uint32_t dependent, group;
};

/* A model's links (each held both ways) and dependencies count in 32 bits. */
_Static_assert(2ull * AN_MAX_EDGES < UINT32_MAX, "struct net's starts are 32-bit");

struct net {
	uint32_t n_nodes, n_groups;
	uint32_t *id;            /* node here -> model node */
	uint32_t *pos;           /* model node -> node here */
	uint8_t *source;
	double *weight;
	uint32_t *link_start;    /* n_nodes + 1 (32 bits: a line holds 16) */
	uint32_t *link_to;
	uint32_t *dep_start;     /* n_nodes + 1 */
	struct dep *dep;         /* a failure's dependencies: one place to read */
	struct dep *dep1;        /* per node: its first dependency (dependent NONE: none;
				  * group | MORE: the others follow it in dep) */
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
	uint32_t *st;          /* per node: ORPH, QUEUED, LOGGED, DONE, LEV */
	uint64_t *busy;        /* bit per node: failed, or reached by a relabelling */
	uint64_t *dead;        /* bit per node: failed */
	uint64_t *order;       /* bit per node: scratch of sort_level (clear between uses) */
	int32_t *slack;        /* per redundancy group: working suppliers beyond its need */
	uint32_t *layer_alive; /* per layer: nodes still working */
	uint32_t working;
	uint32_t *fail;        /* failures beyond the baseline, in order */
	uint32_t *fail_id;     /* the same in model indices, made when asked */
	int32_t *fail_layer;   /* the layer of each whose layer must be passed again
				* (-1: in no layer, or failed by a pass) */
	uint32_t n_fail, n_done; /* n_done: failures whose dependents were visited */
	uint32_t n_fail_id;    /* failures translated into fail_id */
	uint32_t *relog;       /* nodes whose level changed (LOGGED), to be undone */
	uint32_t n_relog;
	uint8_t *dirty;        /* per layer: relabelled whole, its words copied back on reset */
	uint32_t *dirty_list;
	uint32_t n_dirty;
	int mode;              /* 0, or forced: CASCADE_REPAIR, CASCADE_WHOLE (cascade_int.h) */

	/* connectivity passes */
	uint32_t *since;       /* per layer: failures since the last pass */
	uint32_t *touched;     /* layers with failures since the last pass */
	uint32_t n_touched;
	uint32_t *pass_layer;  /* the layers of this pass (touched, taken at its start) */
	uint32_t *count;       /* per layer: failures this pass, then their offsets */
	uint8_t *whole;        /* per layer: relabel it whole in this pass */
	uint32_t *sorted;      /* the failures of this pass by layer */
	/* per component of a relabelling; max_layer of each */
	uint32_t *g_size, *g_min, *g_head;
	uint32_t *claimed;     /* the queue of a relabelling; the nodes queued by a repair */
	uint32_t *orph;        /* the nodes that lost their support in a repair */
	uint32_t *rq;          /* the queue of a repair's reattachment */
	uint32_t *bucket;      /* per level: a repair's queue of that level (NONE: empty) */
	uint32_t *link;        /* per node: the next in its bucket */
	uint32_t full_passes;
};

/* ---- the base ------------------------------------------------------------- */

static void net_free(struct net *g)
{
	cep_free(g->id);
	cep_free(g->pos);
	cep_free(g->source);
	cep_free(g->weight);
	cep_free(g->link_start);
	cep_free(g->link_to);
	cep_free(g->dep_start);
	cep_free(g->dep);
	cep_free(g->dep1);
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
		uint32_t at = g->link_start[u], dat = g->dep_start[u];

		g->source[u] = m->source[v];
		g->weight[u] = m->weight[v];
		for (uint64_t e = m->link_start[v]; e < m->link_start[v + 1]; e++)
			g->link_to[at++] = g->pos[m->link_to[e]];
		g->link_start[u + 1] = at;
		for (uint64_t e = m->dep_start[v]; e < m->dep_start[v + 1]; e++, dat++) {
			g->dep[dat].dependent = g->pos[m->dep_dependent[e]];
			g->dep[dat].group = group_at[m->dep_group[e]];
		}
		g->dep_start[u + 1] = dat;
		g->dep1[u].dependent = dat > g->dep_start[u] ? g->dep[g->dep_start[u]].dependent : NONE;
		g->dep1[u].group = dat > g->dep_start[u] ? g->dep[g->dep_start[u]].group : 0;
		if (dat > g->dep_start[u] + 1)
			g->dep1[u].group |= MORE;
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
	g->id = cep_malloc(n * sizeof(*g->id));
	g->pos = cep_malloc(n * sizeof(*g->pos));
	g->source = cep_malloc(n);
	g->weight = cep_malloc(n * sizeof(*g->weight));
	g->link_start = cep_malloc(n * sizeof(*g->link_start));
	g->link_to = cep_malloc((links + 1) * sizeof(*g->link_to));
	g->dep_start = cep_malloc(n * sizeof(*g->dep_start));
	g->dep1 = cep_malloc(n * sizeof(*g->dep1));
	g->dep = cep_malloc(((size_t)m->n_deps + 1) * sizeof(*g->dep));
	if (!slot || !group_at || !g->id || !g->pos || !g->source || !g->weight ||
	    !g->link_start ||
	    !g->link_to || !g->dep_start || !g->dep || !g->dep1)
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
	for (size_t v = 0; v < n; v++)
		b->st[v] = c->st[v] & ~LOGGED;
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
	uint32_t u;

	if (v >= b->net.n_nodes)
		return 0;
	u = b->net.pos[v];
	return !(b->busy[u >> 6] >> (u & 63) & 1);
}

/* ---- the workspace -------------------------------------------------------- */

void an_cascade_free(struct an_cascade *c)
{
	if (!c)
		return;
	cep_free(c->st);
	cep_free(c->busy);
	cep_free(c->dead);
	cep_free(c->order);
	cep_free(c->slack);
	cep_free(c->layer_alive);
	cep_free(c->fail);
	cep_free(c->fail_id);
	cep_free(c->fail_layer);
	cep_free(c->relog);
	cep_free(c->dirty);
	cep_free(c->dirty_list);
	cep_free(c->since);
	cep_free(c->pass_layer);
	cep_free(c->count);
	cep_free(c->whole);
	cep_free(c->touched);
	cep_free(c->sorted);
	cep_free(c->g_size);
	cep_free(c->g_min);
	cep_free(c->g_head);
	cep_free(c->claimed);
	cep_free(c->orph);
	cep_free(c->rq);
	cep_free(c->bucket);
	cep_free(c->link);
	cep_free(c);
}

/* Copy the baseline's state into c. */
static void copy_baseline(struct an_cascade *c)
{
	const struct an_cascade_base *b = c->b;
	const struct net *m = c->m;

	memcpy(c->st, b->st, (size_t)m->n_nodes * sizeof(*c->st));
	memcpy(c->busy, b->busy, BUSY_WORDS(m) * sizeof(*c->busy));
	memcpy(c->dead, b->busy, BUSY_WORDS(m) * sizeof(*c->dead)); /* busy is dead between passes */
	memcpy(c->slack, b->slack, (size_t)m->n_groups * sizeof(*c->slack));
	memcpy(c->layer_alive, b->layer_alive, (size_t)b->n_layers * sizeof(*c->layer_alive));
	c->working = b->working;
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
	c->st = cep_malloc(n * sizeof(*c->st));
	c->busy = cep_malloc(BUSY_WORDS(m) * sizeof(*c->busy));
	c->dead = cep_malloc(BUSY_WORDS(m) * sizeof(*c->dead));
	c->slack = cep_malloc(((size_t)m->n_groups + 1) * sizeof(*c->slack));
	c->layer_alive = cep_malloc(nl * sizeof(*c->layer_alive));
	c->fail = cep_malloc(n * sizeof(*c->fail));
	c->fail_id = cep_malloc(n * sizeof(*c->fail_id));
	c->fail_layer = cep_malloc(n * sizeof(*c->fail_layer));
	c->relog = cep_malloc(n * sizeof(*c->relog));
	c->dirty = cep_calloc(nl, 1);
	c->dirty_list = cep_malloc(nl * sizeof(*c->dirty_list));
	c->since = cep_calloc(nl, sizeof(*c->since));
	c->pass_layer = cep_malloc(nl * sizeof(*c->pass_layer));
	c->count = cep_calloc(nl, sizeof(*c->count));
	c->whole = cep_calloc(nl, 1);
	c->touched = cep_malloc(nl * sizeof(*c->touched));
	c->sorted = cep_malloc(n * sizeof(*c->sorted));
	c->g_size = cep_malloc(ms);
	c->g_min = cep_malloc(ms);
	c->g_head = cep_malloc(ms);
	c->claimed = cep_malloc(ms);
	c->orph = cep_malloc(ms);
	c->rq = cep_malloc(ms);
	c->bucket = cep_malloc(ms);
	c->link = cep_malloc(n * sizeof(*c->link));
	c->order = cep_calloc(BUSY_WORDS(b->model), sizeof(uint64_t));
	if (!c->st || !c->busy || !c->dead || !c->slack || !c->layer_alive || !c->fail ||
	    !c->fail_id || !c->fail_layer || !c->relog || !c->dirty || !c->dirty_list ||
	    !c->since || !c->pass_layer || !c->count || !c->whole || !c->touched || !c->sorted ||
	    !c->g_size || !c->g_min || !c->g_head || !c->claimed || !c->orph || !c->rq ||
	    !c->bucket || !c->link || !c->order) {
		an_cascade_free(c);
		return CEP_ENOMEM;
	}
	for (uint32_t k = 0; k <= b->max_layer; k++)
		c->bucket[k] = NONE;
	copy_baseline(c);
	*ret = c;
	return 0;
}

static int busy(const struct an_cascade *c, uint32_t v)
{
	return c->busy[v >> 6] >> (v & 63) & 1;
}

static int is_dead(const struct an_cascade *c, uint32_t v)
{
	return c->dead[v >> 6] >> (v & 63) & 1;
}

static void set_busy(struct an_cascade *c, uint32_t v)
{
	c->busy[v >> 6] |= 1ULL << (v & 63);
}

static void clear_busy(struct an_cascade *c, uint32_t v)
{
	c->busy[v >> 6] &= ~(1ULL << (v & 63));
}

/* The layer of node v, or -1: the layers' nodes are consecutive (struct
 * net), so a search of the layers' first indices, which stay in cache, rather
 * than a read of the node's layer at a random place. */
static int32_t layer_of(const struct an_cascade_base *b, uint32_t v)
{
	uint32_t lo = 0, n = b->n_layers;

	if (v >= b->layer_start[n])
		return -1;
	while (n > 1) { /* the last layer that starts at v or before */
		uint32_t half = n / 2;

		lo = b->layer_start[lo + half] <= v ? lo + half : lo;
		n -= half;
	}
	return (int32_t)lo;
}

/* Fail node v (working). A failure given or by the closure (`counted`)
 * marks its layer for the next pass; one by a pass does not: what a pass
 * fails is cut off already, the rest of its layer stays as the pass left it. */
static void fail_node(struct an_cascade *c, uint32_t v, int counted)
{
	int32_t l = layer_of(c->b, v);

	set_busy(c, v);
	c->dead[v >> 6] |= 1ULL << (v & 63);
	c->fail_layer[c->n_fail] = counted ? l : -1;
	c->fail[c->n_fail++] = v;
	c->working--;
	if (l >= 0) {
		c->layer_alive[l]--;
		if (counted && c->since[l]++ == 0)
			c->touched[c->n_touched++] = (uint32_t)l;
	}
}

/* Set the level of node v (working) to lev, listing v to be undone. */
static void set_level(struct an_cascade *c, uint32_t v, uint32_t lev)
{
	uint32_t s = c->st[v];

	if (!(s & LOGGED)) {
		s |= LOGGED;
		c->relog[c->n_relog++] = v;
	}
	c->st[v] = (s & ~LEV) | lev;
}

/* Layer l is relabelled whole: its words are copied back on reset. */
static void set_dirty(struct an_cascade *c, uint32_t l)
{
	if (!c->dirty[l]) {
		c->dirty[l] = 1;
		c->dirty_list[c->n_dirty++] = l;
	}
}

/* A failure's dependency: group g lost a supplier; fail its dependent d
 * when the group drops below its need. */
static void lose_supplier(struct an_cascade *c, uint32_t g, uint32_t d)
{
	if (c->slack[g]-- == 0 && !busy(c, d))
		fail_node(c, d, 1);
}

/* The dependency closure: visit the dependents of every failure not yet
 * visited; a group that drops below its need fails its dependent. A
 * failure's first dependency is read in one place per node (dep1), the
 * others after it. */
static void closure(struct an_cascade *c)
{
	const struct net *m = c->m;

	while (c->n_done < c->n_fail) {
		uint32_t v = c->fail[c->n_done++];
		struct dep d0;

		/* the failures ahead: their first dependencies 32 ahead, then the
		 * groups' counters 8 ahead (memory is the cost; with 16 and 8 the
		 * read of the first dependency 8 ahead still waited) */
		if (c->n_done + 2 * PREFETCH < c->n_fail)
			__builtin_prefetch(&m->dep1[c->fail[c->n_done + 2 * PREFETCH]]);
		if (c->n_done + PREFETCH / 2 < c->n_fail) {
			struct dep a = m->dep1[c->fail[c->n_done + PREFETCH / 2]];

			if (a.dependent != NONE)
				__builtin_prefetch(&c->slack[a.group & ~MORE]);
		}
		d0 = m->dep1[v];
		if (d0.dependent == NONE)
			continue;
		lose_supplier(c, d0.group & ~MORE, d0.dependent);
		if (d0.group & MORE)
			for (uint32_t e = m->dep_start[v] + 1; e < m->dep_start[v + 1]; e++)
				lose_supplier(c, m->dep[e].group, m->dep[e].dependent);
	}
}

/* Give back to the groups that node v supplies the supplier it was. */
static void regain_supplier(struct an_cascade *c, uint32_t v)
{
	const struct net *m = c->m;
	struct dep d0 = m->dep1[v];

	if (d0.dependent == NONE)
		return;
	c->slack[d0.group & ~MORE]++;
	if (d0.group & MORE)
		for (uint32_t e = m->dep_start[v] + 1; e < m->dep_start[v + 1]; e++)
			c->slack[m->dep[e].group]++;
}

void an_cascade_reset(struct an_cascade *c)
{
	const struct net *m = c->m;
	const uint32_t *base = c->b->st;

	if (c->n_fail > m->n_nodes / 8) { /* copying in order beats undoing at random */
		copy_baseline(c);
	} else {
		for (uint32_t i = 0; i < c->n_done; i++)
			regain_supplier(c, c->fail[i]);
		for (uint32_t i = 0; i < c->n_fail; i++) {
			uint32_t v = c->fail[i];

			clear_busy(c, v);
			c->dead[v >> 6] &= ~(1ULL << (v & 63));
			c->working++;
			if (layer_of(c->b, v) >= 0)
				c->layer_alive[layer_of(c->b, v)]++;
		}
		for (uint32_t i = 0; i < c->n_relog; i++)
			c->st[c->relog[i]] = base[c->relog[i]];
		for (uint32_t i = 0; i < c->n_dirty; i++) {
			uint32_t l = c->dirty_list[i], first = c->b->layer_start[l];

			memcpy(c->st + first, base + first,
			       (size_t)(c->b->layer_start[l + 1] - first) * sizeof(*c->st));
		}
	}
	for (uint32_t i = 0; i < c->n_dirty; i++)
		c->dirty[c->dirty_list[i]] = 0;
	c->n_fail = c->n_done = c->n_fail_id = c->n_relog = c->n_dirty = 0;
}

/* ---- repair --------------------------------------------------------------- */

/* A repair of a layer after some of its working nodes failed, in three steps
 * (levels: see LEV):
 *   1. which nodes lost their support, taken by increasing level (a node's
 *      lower neighbours are then settled), from the higher neighbours of the
 *      failures: a node keeps it with a working neighbour of a lower level
 *      that keeps its own; else it rises by one beside a settled neighbour of
 *      its level (those of its new level are then looked at again); else it
 *      loses it (those above it are looked at);
 *   2. which of those still reach the rest: each takes a level above its
 *      lowest neighbour that kept its support, and a breadth-first search
 *      from them gives the others a level above the one that reached them;
 *   3. the rest fail (cut off from every source, or from the root and, in a
 *      layer without sources, smaller than what keeps the root).
 * It touches only the neighbourhoods of the failures and what hangs by them.
 * It gives up (the layer is then relabelled whole) when the root of a layer
 * without sources failed, when too many nodes lost their support, or when
 * what is cut off may be the largest piece. */

/* The state of one repair: its queue (c->bucket, by level: the levels
 * lo..hi hold `pending` nodes), the nodes queued (c->claimed) and those that
 * lost their support (c->orph). */
struct repair {
	uint32_t lo, hi, pending, nq, no;
};

/* Queue node w (working, not queued yet; word s) at its level lw. */
static void queue_node(struct an_cascade *c, struct repair *r, uint32_t w, uint32_t s, uint32_t lw)
{
	__builtin_prefetch(&c->m->link_start[w]);
	c->st[w] = s | QUEUED;
	c->claimed[r->nq++] = w;
	c->link[w] = c->bucket[lw];
	c->bucket[lw] = w;
	r->pending++;
	if (lw < r->lo)
		r->lo = lw;
	if (lw > r->hi)
		r->hi = lw;
}

/* Queue the working neighbours of x (failed, or without support) of a
 * higher level than x's that are not queued yet. */
static void queue_higher(struct an_cascade *c, struct repair *r, uint32_t x)
{
	const struct net *m = c->m;
	uint32_t lx = c->st[x] & LEV;

	for (uint32_t e = m->link_start[x]; e < m->link_start[x + 1]; e++) {
		uint32_t w = m->link_to[e], s = c->st[w], lw = s & LEV;

		if (!(s & QUEUED) && lw > lx && !is_dead(c, w))
			queue_node(c, r, w, s, lw);
	}
}

/* Queue the working neighbours of x of level lev that are not queued yet
 * (x has just risen to lev: it no longer supports them). */
static void queue_level(struct an_cascade *c, struct repair *r, uint32_t x, uint32_t lev)
{
	const struct net *m = c->m;

	for (uint32_t e = m->link_start[x]; e < m->link_start[x + 1]; e++) {
		uint32_t w = m->link_to[e], s = c->st[w];

		if (!(s & QUEUED) && (s & LEV) == lev && !is_dead(c, w))
			queue_node(c, r, w, s, lev);
	}
}

/* The support of w (queued, of the level being settled): 2 when it has a
 * working neighbour of a lower level that keeps its support (all lower
 * levels are settled), 1 when not but one of the same level whose support
 * is settled (w can rise by one), 0 when neither. */
static int support(const struct an_cascade *c, uint32_t w)
{
	const struct net *m = c->m;
	uint32_t lw = c->st[w] & LEV;
	int same = 0;

	for (uint32_t e = m->link_start[w]; e < m->link_start[w + 1]; e++) {
		uint32_t u = m->link_to[e], s = c->st[u];

		if ((s & ORPH) || is_dead(c, u))
			continue;
		if ((s & LEV) < lw)
			return 2;
		same |= (s & LEV) == lw && (!(s & QUEUED) || (s & DONE));
	}
	return same;
}

/* How far ahead in a level's bucket a repair asks for what support() reads:
 * a node's links twice as far, its neighbours' words this far. The bucket of
 * the level being settled does not change while it is taken (what is queued
 * then is of a higher level), so the nodes ahead are known. Measured on two
 * coupled random layers of 10^6 nodes, each point of a sweep run both ways in
 * turn: about 8% less time for the cascade (support() read its neighbours'
 * words, at random places, one node after another). */
#define BUCKET_AHEAD 4

/* The node k places after v in its bucket (NONE past the end). */
static uint32_t ahead(const struct an_cascade *c, uint32_t v, int k)
{
	for (; k > 0 && v != NONE; k--)
		v = c->link[v];
	return v;
}

/* Step 1 from the failures xs[0..nx) of layer l, a level at a time: what is
 * queued while a level is settled is of a higher one, and a node of that
 * level not queued when it starts keeps its support. A node queued keeps it
 * (a lower neighbour), rises by one (a neighbour of its level: those of its
 * new level are queued, it no longer supports them) or loses it (those above
 * are queued). Returns 0, or -1 when the repair gives up (its queue emptied). */
static int find_orphans(struct an_cascade *c, struct repair *r, uint32_t l, const uint32_t *xs,
			uint32_t nx)
{
	int forced = c->mode == CASCADE_REPAIR;
	uint64_t budget = forced ? UINT64_MAX : c->layer_alive[l] / REPAIR_SHARE + 16;
	uint64_t queued = forced ? UINT64_MAX : c->layer_alive[l] / 2 + 16;
	uint32_t lev;

	for (uint32_t i = 0; i < nx && !c->b->sourced[l]; i++)
		if (!(c->st[xs[i]] & LEV))
			return -1; /* the root */
	for (uint32_t i = 0; i < nx; i++) {
		if (i + PREFETCH < nx)
			__builtin_prefetch(&c->m->link_start[xs[i + PREFETCH]]);
		queue_higher(c, r, xs[i]);
	}
	for (lev = r->lo; r->pending; lev++) {
		uint32_t w, a = ahead(c, c->bucket[lev], BUCKET_AHEAD), b = ahead(c, a, BUCKET_AHEAD);

		while ((w = c->bucket[lev]) != NONE) {
			int k;

			/* b, twice as far ahead: its links; a: its neighbours' words */
			if (b != NONE) {
				__builtin_prefetch(&c->m->link_to[c->m->link_start[b]]);
				b = c->link[b];
			}
			if (a != NONE) {
				for (uint32_t e = c->m->link_start[a]; e < c->m->link_start[a + 1]; e++)
					__builtin_prefetch(&c->st[c->m->link_to[e]]);
				a = c->link[a];
			}
			k = support(c, w);
			c->bucket[lev] = c->link[w];
			r->pending--;
			if (k == 2 || (k == 1 && lev < c->b->max_layer)) {
				if (k == 1) {
					set_level(c, w, lev + 1);
					queue_level(c, r, w, lev + 1);
				}
				c->st[w] |= DONE;
			} else {
				c->st[w] |= ORPH;
				c->orph[r->no++] = w;
				queue_higher(c, r, w);
			}
			if (r->no > budget || r->nq > queued) { /* give up: empty the queue */
				for (; lev <= r->hi; lev++)
					c->bucket[lev] = NONE;
				return -1;
			}
		}
	}
	return 0;
}

/* Give node o (without support) level lev and its support back; queue it.
 * A level stays within the largest layer's size (the queue's levels). */
static int reattach(struct an_cascade *c, uint32_t o, uint32_t lev, uint32_t *nr)
{
	if (lev > c->b->max_layer)
		return -1;
	set_level(c, o, lev);
	c->st[o] &= ~ORPH;
	c->rq[(*nr)++] = o;
	return 0;
}

/* Step 2: reattach what still reaches the nodes that kept their support.
 * Returns the nodes reattached, or NONE when the repair gives up. */
static uint32_t reattach_all(struct an_cascade *c, const struct repair *r)
{
	const struct net *m = c->m;
	uint32_t nr = 0;

	for (uint32_t i = 0; i < r->no; i++) {
		uint32_t o = c->orph[i], low = NONE;

		for (uint32_t e = m->link_start[o]; e < m->link_start[o + 1]; e++) {
			uint32_t u = m->link_to[e], s = c->st[u];

			if (!(s & ORPH) && (s & LEV) < low && !is_dead(c, u))
				low = s & LEV;
		}
		if (low != NONE && reattach(c, o, low + 1, &nr))
			return NONE;
	}
	for (uint32_t h = 0; h < nr; h++) {
		uint32_t v = c->rq[h], lev = (c->st[v] & LEV) + 1;

		for (uint32_t e = m->link_start[v]; e < m->link_start[v + 1]; e++) {
			uint32_t u = m->link_to[e];

			if ((c->st[u] & ORPH) && reattach(c, u, lev, &nr))
				return NONE;
		}
	}
	return nr;
}

/* Clear the marks of a repair; fail what lost its support for good when
 * `fail` is set. */
static void repair_end(struct an_cascade *c, const struct repair *r, int fail)
{
	for (uint32_t i = 0; i < r->nq; i++) {
		uint32_t w = c->claimed[i], s = c->st[w];

		c->st[w] = s & ~(QUEUED | ORPH | DONE);
		if (fail && (s & ORPH))
			fail_node(c, w, 0);
	}
}

/* The pass over layer l by a repair after the failures xs[0..nx) of its
 * nodes. Returns the nodes failed, or NONE when it gives up (nothing failed;
 * levels may have changed: the layer must be relabelled whole). */
static uint32_t pass_repair(struct an_cascade *c, uint32_t l, const uint32_t *xs, uint32_t nx)
{
	struct repair r = { NONE, 0, 0, 0, 0 };
	uint32_t nr, cut;

	if (find_orphans(c, &r, l, xs, nx) || (nr = reattach_all(c, &r)) == NONE) {
		repair_end(c, &r, 0);
		return NONE;
	}
	cut = r.no - nr;
	/* without sources, the root's piece is kept only when it is the largest
	 * for sure (ties and the rest: a relabelling) */
	if (cut && !c->b->sourced[l] && c->layer_alive[l] - cut <= cut) {
		repair_end(c, &r, 0);
		return NONE;
	}
	repair_end(c, &r, 1);
	return cut;
}

/* ---- relabelling ---------------------------------------------------------- */

/* A level of a breadth-first search of at least LEVEL_SORT nodes, no sparser
 * in its span of indices than one in 64, is taken in node order: its nodes'
 * edges are then read in the order they lie in memory, not at random places
 * (the nodes found from a level come in the order of their edges). Measured
 * on two coupled random layers of 10^6 nodes (a sweep of 50 points, both
 * ways in one process): 10-14% less time for the cascade. */
#define LEVEL_SORT 64u
#define LEVEL_SPAN 64u

/* Put the distinct nodes q[from..to) in increasing order when they are many
 * and close enough together: through the order bits, a word a 64 indices. */
static void sort_level(struct an_cascade *c, uint32_t *q, uint32_t from, uint32_t to)
{
	uint64_t *bits = c->order;
	uint32_t lo = UINT32_MAX, hi = 0, k = from;

	if (to - from < LEVEL_SORT)
		return;
	for (uint32_t i = from; i < to; i++) {
		lo = q[i] < lo ? q[i] : lo;
		hi = q[i] > hi ? q[i] : hi;
	}
	if ((uint64_t)(hi - lo) > (uint64_t)(to - from) * LEVEL_SPAN)
		return;
	for (uint32_t i = from; i < to; i++)
		bits[q[i] >> 6] |= 1ULL << (q[i] & 63);
	for (uint32_t wd = lo >> 6; wd <= hi >> 6; wd++) {
		for (uint64_t x = bits[wd]; x; x &= x - 1)
			q[k++] = wd << 6 | (uint32_t)__builtin_ctzll(x);
		bits[wd] = 0;
	}
}

/* Breadth-first search from the nodes q[head..qn) (marked busy already) over
 * nodes not busy, marking them; the distance of q[i] from those goes to
 * c->rq[i]. Large levels are taken in node order (sort_level): the distances
 * and the nodes reached are the same in any order. Returns the new end of
 * the queue. */
static uint32_t bfs(struct an_cascade *c, uint32_t head, uint32_t qn)
{
	const struct net *m = c->m;
	const uint32_t *start = m->link_start;
	const uint32_t *to = m->link_to;
	uint64_t *bits = c->busy;
	uint32_t *q = c->claimed, *dist = c->rq, lev = 0, level_end = qn;

	sort_level(c, q, head, qn);
	while (head < qn) {
		uint32_t v;
		uint32_t end;

		if (head == level_end) {
			lev++;
			level_end = qn;
			sort_level(c, q, head, qn);
		}
		dist[head] = lev;
		v = q[head++];
		end = start[v + 1];
		if (head + PREFETCH < qn)
			__builtin_prefetch(&start[q[head + PREFETCH]]);
		if (head + PREFETCH / 2 < qn)
			__builtin_prefetch(&to[start[q[head + PREFETCH / 2]]]);
		/* without a branch on the bit, which is as good as random: the
		 * neighbour is always written and counted only when new */
		for (uint32_t e = start[v]; e < end; e++) {
			uint32_t w = to[e];
			uint64_t word = bits[w >> 6], bit = 1ULL << (w & 63);

			q[qn] = w;
			qn += !(word & bit);
			bits[w >> 6] = word | bit;
		}
	}
	return qn;
}

/* The nodes q[from..to) of a relabelling are kept: their distances become
 * their levels. */
static void keep_levels(struct an_cascade *c, uint32_t from, uint32_t to)
{
	const uint32_t *q = c->claimed, *dist = c->rq;
	uint32_t *st = c->st;

	for (uint32_t i = from; i < to; i++)
		st[q[i]] = (st[q[i]] & ~LEV) | dist[i];
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
			fail_node(c, k * 64 + (uint32_t)__builtin_ctzll(lose), 0);
			failed++;
		}
	}
	return failed;
}

/* The lowest model index of component k of a relabelling (claimed[g_head[k]
 * .. g_head[k] + g_size[k] - 1]), found when first asked. */
static uint32_t lowest_id(struct an_cascade *c, uint32_t k)
{
	if (c->g_min[k] == NONE)
		for (uint32_t i = c->g_head[k]; i < c->g_head[k] + c->g_size[k]; i++)
			if (c->m->id[c->claimed[i]] < c->g_min[k])
				c->g_min[k] = c->m->id[c->claimed[i]];
	return c->g_min[k];
}

/* Is component a preferred to component b by a layer without sources? */
static int larger(struct an_cascade *c, uint32_t a, uint32_t b)
{
	return c->g_size[a] > c->g_size[b] ||
	       (c->g_size[a] == c->g_size[b] && lowest_id(c, a) < lowest_id(c, b));
}

/* The next node of layer l from `from` on that is neither failed nor reached
 * (busy), or `end` (the layer's end): by words of the bits. */
static uint32_t next_unreached(const struct an_cascade *c, uint32_t from, uint32_t end)
{
	while (from < end) {
		uint64_t x = ~c->busy[from >> 6] & (~0ULL << (from & 63));

		if (x) {
			uint32_t v = (from & ~63u) + (uint32_t)__builtin_ctzll(x);

			return v < end ? v : end;
		}
		from = (from & ~63u) + 64;
	}
	return end;
}

/* The pass over one layer by relabelling its working nodes. What survives is
 * found by breadth-first search: in a layer with sources, from all its working
 * sources at once; without sources, component by component (component k is
 * claimed[g_head[k] .. g_head[k] + g_size[k] - 1]) until the working nodes
 * not yet reached are fewer than the largest found (more than half of the
 * working nodes, or all of them known). Every working node not kept then
 * fails; what is kept takes its distance from the sources (the component's
 * first node) as its level. Returns the nodes failed. */
static uint32_t pass_whole(struct an_cascade *c, uint32_t l)
{
	const struct net *m = c->m;
	const struct an_cascade_base *b = c->b;
	uint32_t *q = c->claimed, first = b->layer_start[l], end = b->layer_start[l + 1];
	uint32_t nc = 0, qn = 0, keep = NONE;

	c->full_passes++;
	set_dirty(c, l);
	if (b->sourced[l]) {
		for (uint32_t v = first; v < end; v++) {
			if (m->source[v] && !busy(c, v)) {
				set_busy(c, v);
				q[qn++] = v;
			}
		}
		qn = bfs(c, 0, qn);
		keep_levels(c, 0, qn);
		return fail_unclaimed(c, l);
	}
	for (uint32_t root = next_unreached(c, first, end); root < end;
	     root = next_unreached(c, root + 1, end)) {
		uint32_t start = qn, from, to;

		set_busy(c, root);
		q[qn++] = root;
		qn = bfs(c, start, qn);
		c->g_head[nc] = start;
		c->g_size[nc] = qn - start;
		c->g_min[nc] = NONE;
		/* the tie between pieces of one size is by model index */
		if (keep == NONE || larger(c, nc, keep))
			keep = nc;
		nc++;
		if (c->layer_alive[l] - qn >= c->g_size[keep])
			continue;
		/* what is left to explore cannot match it: keep it, fail the rest */
		from = c->g_head[keep];
		to = from + c->g_size[keep];
		for (uint32_t i = 0; i < qn; i++)
			if (i < from || i >= to)
				clear_busy(c, q[i]);
		keep_levels(c, from, to);
		return fail_unclaimed(c, l);
	}
	return 0; /* nothing works */
}

/* ---- rounds --------------------------------------------------------------- */

/* Is layer l relabelled whole in this pass? */
static int relabel_whole(const struct an_cascade *c, uint32_t l, int all)
{
	if (all || c->mode == CASCADE_WHOLE)
		return 1;
	return c->mode != CASCADE_REPAIR &&
	       (uint64_t)c->since[l] * FULL_SHARE > c->layer_alive[l];
}

/* One connectivity pass over the layers touched by the failures
 * fail[from..to) (the failures since the last pass), or over every layer
 * (all). Returns the nodes failed. */
static uint32_t pass(struct an_cascade *c, uint32_t from, uint32_t to, int all)
{
	uint32_t failed = 0, at = 0, nl = c->n_touched, repaired = 0;

	/* this pass's layers; what fails from now on is the next pass's */
	for (uint32_t t = 0; t < nl; t++) {
		uint32_t l = c->touched[t];

		c->pass_layer[t] = l;
		c->whole[l] = (uint8_t)relabel_whole(c, l, all);
		repaired += !c->whole[l];
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
	/* the failures of the layers repaired, by layer, in the order the layers
	 * were touched */
	for (uint32_t i = from; i < to && repaired; i++)
		if (c->fail_layer[i] >= 0 && !c->whole[c->fail_layer[i]])
			c->count[c->fail_layer[i]]++;
	for (uint32_t t = 0; t < nl; t++) {
		uint32_t l = c->pass_layer[t], k = c->count[l];

		c->count[l] = at;
		at += k;
	}
	for (uint32_t i = from; i < to && repaired; i++)
		if (c->fail_layer[i] >= 0 && !c->whole[c->fail_layer[i]])
			c->sorted[c->count[c->fail_layer[i]]++] = c->fail[i];
	at = 0;
	for (uint32_t t = 0; t < nl; t++) {
		uint32_t l = c->pass_layer[t], end = c->count[l], k = NONE;

		c->count[l] = 0;
		if (!c->whole[l] && end > at)
			k = pass_repair(c, l, c->sorted + at, end - at);
		else if (!c->whole[l])
			k = 0;
		failed += k != NONE ? k : pass_whole(c, l);
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
	const double *weight = c->m->weight;
	double sum = 0;

	if ((uint64_t)c->n_fail * 64 > c->m->n_nodes) {
		for (size_t k = 0; k < BUSY_WORDS(c->m); k++)
			for (uint64_t x = c->dead[k] & ~c->b->busy[k]; x; x &= x - 1)
				sum += weight[k * 64 + (uint32_t)__builtin_ctzll(x)];
		return sum;
	}
	memcpy(c->sorted, c->fail, (size_t)c->n_fail * sizeof(*c->sorted));
	qsort(c->sorted, c->n_fail, sizeof(*c->sorted), cmp_u32);
	for (uint32_t i = 0; i < c->n_fail; i++)
		sum += weight[c->sorted[i]];
	return sum;
}

/* Rounds until a pass fails nothing, from the failures already listed; the
 * first pass relabels every layer when whole_first is set. */
static void run_rounds(struct an_cascade *c, int whole_first, struct an_cascade_result *ret)
{
	double t0 = cep_mono_ms(), t1 = t0;
	uint32_t conn = 0, rounds = 0, failed;

	c->full_passes = 0;
	do {
		uint32_t from = conn;

		closure(c);
		conn = c->n_fail;
		failed = pass(c, from, conn, whole_first && rounds == 0);
		if (rounds++ == 0)
			t1 = cep_mono_ms();
	} while (failed);
	ret->failed = c->n_fail;
	ret->damage = damage(c);
	ret->rounds = rounds;
	ret->full_passes = c->full_passes;
	ret->seconds = (cep_mono_ms() - t0) / 1e3;
	ret->first_seconds = (t1 - t0) / 1e3;
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

			__builtin_prefetch(&c->dead[ahead >> 6]);
		}
		v = c->m->pos[nodes[i]];
		if (!is_dead(c, v))
			fail_node(c, v, 1);
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
			fail_node(c, (uint32_t)(k * 64 + (uint32_t)__builtin_ctzll(x)), 1);
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
	return v < c->m->n_nodes && !is_dead(c, c->m->pos[v]);
}

uint32_t an_cascade_working(const struct an_cascade *c)
{
	return c->working;
}

uint32_t an_cascade_layer_working(const struct an_cascade *c, uint32_t l)
{
	return l < c->b->n_layers ? c->layer_alive[l] : 0;
}

const uint32_t *an_cascade_failed(struct an_cascade *c, size_t *ret_n)
{
	for (; c->n_fail_id < c->n_fail; c->n_fail_id++) /* back to model indices */
		c->fail_id[c->n_fail_id] = c->m->id[c->fail[c->n_fail_id]];
	*ret_n = c->n_fail;
	return c->fail_id;
}

void an_cascade_force(struct an_cascade *c, int mode)
{
	c->mode = mode;
}
