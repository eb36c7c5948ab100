/* sim_int.h - the simulator's internals, shared by sim.c (events, batches,
 * node states), sim_layer.c (layer connectivity) and sim_record.c (the
 * timeline). Not for other files. */
#ifndef CEP_ANALYSIS_SIM_INT_H
#define CEP_ANALYSIS_SIM_INT_H

#include "analysis/model.h"
#include "analysis/rng.h"
#include "analysis/scenario.h"
#include "analysis/sim.h"

#include <stddef.h>
#include <stdint.h>

#define NONE UINT32_MAX

/* Per-node flags of a workspace. */
enum {
	F_TOUCHED = 1, /* in touched[]: reset before the next trial */
	F_DIRTY = 2,   /* in the work queue */
	F_LCHG = 4,    /* in lchg[]: its layer must take its own-cause change into account */
	F_UPQ = 8,     /* in upq[]: comes back (repair 0) once the failures of this time settle */
	F_FAILED = 16, /* in failed[] */
	F_BROKEN = 32, /* down with a cause of its own: does not carry its layer until it is back */
};

/* The state of a dependency edge (estate): 0 serving (its supplier is up);
 * a token below E_PAUSED: the buffer runs, a timer carrying the token is
 * queued; E_PAUSED: the buffer is kept for the dependent's return (it was
 * down when the buffer would have run out); E_STOPPED: no longer served. */
#define E_PAUSED 0x80000000u
#define E_STOPPED UINT32_MAX
#define E_LAST UINT32_MAX

/* What a node is to its layer (see sim_layer.c). */
enum { C_ACTIVE = 0, C_REPAIRING = 1, C_CONDUCTING = 2 };

/* Connected state (ok[]) of a node. */
enum { OK_NO = 0, OK_TREE = 1, OK_LEAF = 2 };

/* Sums of weights are exact: each node's weight is held as an integer (its
 * weight times 2^shift, shift chosen so that the largest is below 2^62) and
 * sums of them in 128 bits, so that a sum does not depend on the order of its
 * additions (the leaves' outages are added after the trial, the rest as it
 * goes). */
typedef __int128 sim_sum;

#define SIM_LEVELS 8
#define SIM_NO_LEVEL 0xff

/* What a trial reads of a node, in one place (a copy of the model's arrays). */
struct sim_node {
	int64_t wq; /* its weight, as an integer (see sim_sum) */
	double repair;
	uint32_t dep_lo, dep_n; /* its dependencies as supplier: dep_lo .. dep_lo + dep_n - 1 */
	uint16_t sector;
	uint8_t source, spare;
	int32_t layer;
};

struct an_sim {
	const struct an_model *m;
	struct sim_node *node;
	uint64_t *in_layer; /* bit v: node v is in a layer (a small array: stays in cache) */
	uint32_t n_layers;
	uint32_t *layer_start; /* n_layers + 1: members of layer l are layer_nodes[start[l]..start[l+1]) */
	uint32_t *layer_nodes; /* ascending within a layer */
	uint8_t *layer_has_source;
	uint8_t *ok0;      /* per node: connected before any event (1 for nodes in no layer) */
	uint32_t *parent0; /* per node: its parent in the layer's tree before any event */
	uint32_t n_base_down;
	uint32_t *base_down; /* layer nodes not connected before any event */
	/* totals for the working fractions */
	sim_sum total_q;
	sim_sum *sector_q, *layer_q;
	uint32_t *sector_n, *layer_n;
	/* per node: 0 a leaf (in no layer, feeds nothing, has suppliers), k a
	 * node in no layer whose dependents are all of levels below k and one of
	 * k - 1 (up to SIM_LEVELS - 1), SIM_NO_LEVEL any other */
	uint8_t *level;
	uint32_t max_level;
	/* the dependencies of those nodes, node by node (read in order by
	 * sim_leaf.c): those of v are lin[start[v] .. start[v + 1]). Made by the
	 * first workspace that works out leaves (see an_ws_new), not before: a
	 * single run needs none of it. */
	struct sim_lins {
		uint32_t *start;
		struct sim_lin {
			uint32_t e, supplier;
			uint32_t group; /* among the node's groups (0 its first) */
			uint32_t slack; /* of that group: its size less its need */
			double buffer;  /* before the trial's random factor */
		} *lin;
	} *lins;
};

/* A timed event: a = kind << 30 | index, b = epoch or version; a buffer's
 * timer (EV_STOP) carries the edge's group and dependent too, so that it
 * needs no look-up in the model. */
struct ev {
	double t;
	uint32_t a, b, group, dependent;
};

enum { EV_START = 0, EV_END = 1, EV_STOP = 2, EV_RECOVER = 3 };
#define EV_KIND(a) ((a) >> 30)
#define EV_INDEX(a) ((a) & 0x3fffffffu)

/* Room for n elements in the array p of capacity *cap, doubled as needed
 * (sim_queue.c). 0 or CEP_ENOMEM, p unchanged then. */
int sim_reserve_more(void **p, uint32_t *cap, uint32_t n, size_t size);
#define SIM_RESERVE(p, cap, n)                                                                 \
	((n) <= *(cap) ? 0 : sim_reserve_more((void **)&(p), (cap), (n), sizeof(*(p))))

/* Bit v of a set of words. */
#define SIM_BIT(set, v) ((set)[(v) >> 6] >> ((v) & 63) & 1)
#define SIM_SET(set, v) ((set)[(v) >> 6] |= 1ULL << ((v) & 63))

/* The event queue (sim_queue.c): a calendar of SQ_SLOTS slots over the run,
 * the current slot sorted. */
#define SQ_SLOTS 4096u
#define SQ_PARTS 4096u /* most parts a slot is cut into to be sorted */
struct sq_slot {
	struct ev *e;
	uint32_t n, cap;
};
struct sim_queue {
	double scale;         /* slots per hour */
	uint32_t cur;         /* the slot being taken: its events are in run and heap */
	size_t n;             /* events queued */
	struct sq_slot *slot; /* SQ_SLOTS: events of later slots, unsorted */
	uint64_t *used;       /* bit s: slot s holds events */
	struct ev *run, *heap, *batch, *tmp;
	uint32_t run_n, run_pos, run_cap; /* the current slot, sorted, taken up to run_pos */
	uint32_t heap_n, heap_cap;        /* added to the current slot after it was sorted */
	uint32_t batch_cap, tmp_cap;      /* the last batch taken; scratch of the sort */
	uint32_t *part;                   /* SQ_PARTS + 1: the parts of a slot being sorted */
};

/* An empty queue (sq_free). 0 or CEP_ENOMEM. */
int sq_init(struct sim_queue *q);
/* Empty q for a run of `horizon` hours. */
void sq_clear(struct sim_queue *q, double horizon);
/* Queue an event at t, no earlier than the front time. 0 or CEP_ENOMEM.
 * Its fields come in registers: an event just built in memory, field by
 * field, and read back whole would wait for those writes to reach the
 * cache, behind every write before them. */
int sq_add(struct sim_queue *q, double t, uint32_t a, uint32_t b, uint32_t group,
	   uint32_t dependent);
static inline int sq_push(struct sim_queue *q, const struct ev *e)
{
	return sq_add(q, e->t, e->a, e->b, e->group, e->dependent);
}
/* The earliest time queued into *ret_t (q->n > 0). 0 or CEP_ENOMEM. */
int sq_front(struct sim_queue *q, double *ret_t);
/* Take every event at the front time t (after sq_front): *ret stays valid
 * until the next sq_take, events added meanwhile are kept apart. 0 or
 * CEP_ENOMEM. */
int sq_take(struct sim_queue *q, double t, struct ev **ret, uint32_t *ret_n);
/* The event k places after the front, if it is known yet (NULL otherwise):
 * a hint for fetching what it will need. */
const struct ev *sq_peek(const struct sim_queue *q, uint32_t k);
void sq_free(struct sim_queue *q);

struct an_ws {
	const struct an_sim *s;
	const struct an_model *m;
	const struct an_scenario *sc;
	double now, horizon;
	uint64_t key_buffer, key_repair, key_events;
	uint32_t token; /* the last buffer timer's (see E_PAUSED) */

	/* the event queue and the current batch (borrowed from the queue) */
	struct sim_queue q;
	struct ev *batch;
	uint32_t batch_n;

	/* per node: what a trial changes most, in one place */
	struct nstate {
		uint8_t flags, down, pending, ok; /* F_*, down, return scheduled, OK_* */
		uint16_t hit;                     /* active events on it */
		uint16_t layer;                   /* its layer, if it is in one (< AN_MAX_NAMES) */
		uint32_t bad;                     /* failed groups */
		uint32_t recver;                  /* return schedules (returns carry it) */
		uint32_t kept;                    /* 1 + the first edge of its kept-buffer list; 0: empty */
		double since;                     /* down since */
	} *ns;
	uint32_t *parent, *mark;          /* layer trees */
	/* per node, what its layer's neighbours read of it, in a byte: its
	 * connected state (OK_*) | its class (C_*) << 2, copies of ns[].ok and
	 * sim_class() (see sim_put_ok, class_changed). A scan of a node's
	 * neighbours then reads a small array that stays in the cache, not a
	 * line of ns[] each, at random places. */
	uint8_t *lok;
	uint32_t *hit_event, *bad_edge, *layer_cause;
	double *first, *last, *down_h;
	uint8_t *cause_kind;
	uint32_t *cause, *depth;
	uint32_t stamp;

	/* per group, per edge */
	int32_t *slack;   /* per group: suppliers serving it beyond its need (-1: failed) */
	/* per edge: st, see E_PAUSED; next: 0 when not in a dependent's list of
	 * kept buffers, else 1 + the next edge in it, or E_LAST */
	struct estate {
		uint32_t st, next;
	} *es;

	/* lists of nodes (each at most n_nodes long, kept unique by the flags) */
	uint32_t *touched, *failed, *work, *upq, *lchg, *stack, *det;
	uint32_t n_touched, n_failed, work_head, work_n, n_upq, n_lchg;

	/* layers touched in this round */
	uint32_t *layer_chg;   /* per layer: changes in this round */
	uint32_t *layer_first; /* per layer: its first change in this round */
	int full_always;       /* tests: compute every changed layer whole */
	uint32_t *tlayers, n_tlayers;

	/* damage, for the working fractions */
	sim_sum down_q, *sec_down_q, *lay_down_q;
	uint32_t down_n, *sec_down_n, *lay_down_n;
	double *sector_first;

	/* the timeline: exact samples or grid points as fractions (tl_v); the
	 * grid without exact samples holds sums (tl_q, tl_c) until the trial
	 * ends, so that the leaves' outages can be added */
	struct an_timeline_opts topt;
	uint32_t n_series;
	double *tl_t, *tl_v, *tl_t2, *tl_v2;
	sim_sum *tl_q;
	uint32_t *tl_c;
	size_t tl_n;
	int grid;         /* recording on the grid */
	uint32_t grid_next; /* next grid point to write */
	/* the grid's times for horizon grid_h (sim_record_reset), and
	 * grid_t[max_points] = INFINITY: a batch and a leaf's outage look them
	 * up instead of dividing */
	double *grid_t, grid_h;
	double grid_k; /* (max_points - 1) / horizon (0: horizon 0), for estimates */

	uint64_t n_events, n_batches;
	int broken; /* the last trial stopped half-way (see state_init) */

	/* leaves (sim_leaf.c): used for this trial; for which scenario the sets
	 * below are made. "Leaves" here are the nodes of s->level: leaves and the
	 * nodes that feed only them, level by level. */
	int leaves;
	const struct an_scenario *leaf_sc;
	uint64_t *fast;  /* bit v: worked out after the trial (no event hits it or what it feeds) */
	uint64_t *feeds; /* bit v: v is not, and supplies one that is */
	/* the outages of nodes that feed leaves */
	struct sim_tr {
		double down, up; /* up INFINITY: not back (yet) */
		uint32_t next;   /* 1 + the node's outage before this one; 0: none */
		uint32_t spare;
	} *log;
	uint32_t n_log, log_cap;
	/* per node: 1 + its last outage in the log; 0: none. Apart from ns[], so
	 * that working out a leaf, which looks at each of its suppliers, reads
	 * a small array (those nodes are near one another in it) */
	uint32_t *hist;
	int returning;   /* the batch is in its returns (failures then are not phased for leaves) */
	int leaf_unsafe; /* the leaves cannot be worked out exactly: run the trial again */
	double last_batch;
	uint64_t *lmark;            /* bit v: leaf v is to be worked out */
	uint32_t *lq, n_lq;         /* those leaves */
	uint32_t *lorder, n_lorder; /* those of one level, in the model's order */
	struct sim_lf *lf;          /* scratch of one leaf: its suppliers' edges with outages */
	uint32_t lf_cap;
	struct sim_lev *lst;        /* scratch of one leaf: its events */
	uint32_t lst_cap;
	int32_t *lslack;            /* scratch of one leaf: its groups' slack */
	uint32_t lslack_cap;
	struct sim_qd *qd;          /* scratch of one leaf worked out at once (sim_leaf.c) */
	uint32_t qd_cap;
	struct sim_qg *qg;
	uint32_t qg_cap;
	uint32_t *qo;
	uint32_t qo_cap;
	sim_sum *dq;                /* per grid point and series (whole, sectors): leaves' changes */
	int32_t *dc;
	uint64_t n_redone;          /* trials run again the ordinary way (tests) */
	uint64_t n_leaf_done;       /* leaves worked out (tests) */
	uint64_t n_leaf_quick;      /* of which at once, without their events (tests) */
	int leaf_events_only;       /* tests: every leaf by its events, none at once */
};

/* Per-trial random draws (sim.c and sim_leaf.c). */

/* Uniform in [0, 1) from (key, index, j): a counter-based draw, so a value
 * does not depend on the order in which a trial asks for it. */
static inline double sim_unit_at(uint64_t key, uint64_t index, uint64_t j)
{
	uint64_t x = key ^ (index * 0x9e3779b97f4a7c15ULL) ^ (j * 0xc2b2ae3d27d4eb4fULL);

	return (double)(an_splitmix64(&x) >> 11) * 0x1.0p-53;
}

/* The random factor of d for (key, index). The second uniform is drawn only
 * for the one distribution that uses it (two million draws a large trial). */
static inline double sim_factor_at(const struct an_dist *d, uint64_t key, uint64_t index)
{
	double u2;

	if (d->kind == AN_DIST_UNIFORM) /* the templates' draw: no call */
		return an_dist_uniform(d, sim_unit_at(key, index, 0));
	u2 = d->kind == AN_DIST_LOGNORMAL ? sim_unit_at(key, index, 1) : 0;

	return an_dist_factor(d, sim_unit_at(key, index, 0), u2);
}

/* Edge e's buffer in this trial, from its model value base. */
static inline double sim_buffer_from(const struct an_ws *w, uint64_t e, double base)
{
	if (base == 0 || w->sc->buffer.kind == AN_DIST_NONE)
		return base;
	return base * sim_factor_at(&w->sc->buffer, w->key_buffer, e);
}

static inline double sim_buffer(const struct an_ws *w, uint64_t e)
{
	return sim_buffer_from(w, e, w->m->dep_buffer[e]);
}

static inline double sim_repair(const struct an_ws *w, uint32_t v)
{
	double base = w->s->node[v].repair;

	if (base == 0 || w->sc->repair.kind == AN_DIST_NONE)
		return base;
	return base * sim_factor_at(&w->sc->repair, w->key_repair, v);
}

/* The node's bookkeeping, inline: the layers' updates (sim_layer.c) call it
 * per node as the simulator's own loop does (out of line, these calls took
 * about 2% of a trial at scale 25, bench/ab). */

/* v's class: C_ACTIVE (an active event or a failed group), C_REPAIRING (down
 * after such a cause, not back yet), C_CONDUCTING (up, or down only because
 * its layer cut it off). */
static inline int sim_class(const struct an_ws *w, uint32_t v)
{
	if (w->ns[v].hit || w->ns[v].bad)
		return C_ACTIVE;
	return (w->ns[v].flags & F_BROKEN) ? C_REPAIRING : C_CONDUCTING;
}

/* v is changed in this trial: the next trial's reset restores it. */
static inline void sim_touch(struct an_ws *w, uint32_t v)
{
	if (!(w->ns[v].flags & F_TOUCHED)) {
		w->ns[v].flags |= F_TOUCHED;
		w->touched[w->n_touched++] = v;
	}
}

/* v is to be evaluated (settle): into the work queue, once. */
static inline void sim_dirty(struct an_ws *w, uint32_t v)
{
	if (!(w->ns[v].flags & F_DIRTY)) {
		uint32_t n = w->m->n_nodes, tail = w->work_head + w->work_n;

		w->ns[v].flags |= F_DIRTY;
		w->work[tail >= n ? tail - n : tail] = v;
		w->work_n++;
		/* its evaluation reads it (to go down, or for its repair time) */
		__builtin_prefetch(&w->s->node[v]);
	}
}

/* Set v's connected state: ns[v].ok and its copy in lok. */
static inline void sim_put_ok(struct an_ws *w, uint32_t v, uint8_t ok)
{
	w->ns[v].ok = ok;
	w->lok[v] = (uint8_t)((w->lok[v] & ~3u) | ok);
}

/* sim_layer.c */
/* Connected state of every layer before any event into s->ok0/parent0/base_down.
 * scratch: n_nodes marks and queue. */
int sim_layers_init(struct an_sim *s);
/* Bring the layers changed in this round (w->lchg) up to date: nodes whose
 * connected state changes are made dirty, with layer_cause set for those cut
 * off; every node of lchg is made dirty too. */
void sim_layers_update(struct an_ws *w);

/* sim_leaf.c */
/* s's levels. 0 or CEP_ENOMEM. */
int sim_leaves_init(struct an_sim *s);
/* s->lins, unless made before. Workspaces of one an_sim are made one at a
 * time. 0 or CEP_ENOMEM. */
int sim_leaves_lins(const struct an_sim *s);
/* Make w's sets of leaves for scenario sc. 0 or CEP_ENOMEM. */
int sim_leaves_prepare(struct an_ws *w, const struct an_scenario *sc);
/* Node v, which feeds leaves, went down (up = 0) or came back (1) now. 0 or
 * CEP_ENOMEM (only when it goes down). */
int sim_leaves_log(struct an_ws *w, uint32_t v, uint32_t up);
/* Leaf d is to be worked out after the trial (a supplier of it went down). */
static inline void sim_leaves_mark(struct an_ws *w, uint32_t d)
{
	if (!SIM_BIT(w->lmark, d)) {
		SIM_SET(w->lmark, d);
		w->lq[w->n_lq++] = d;
	}
}
/* The trial is over (its grid filled): work out the leaves its outages
 * reached, adding them to the failures, the sectors' first impacts and the
 * grid. 0 or CEP_ENOMEM. */
int sim_leaves_run(struct an_ws *w);
/* Undo what an interrupted sim_leaves_run left. */
void sim_leaves_reset(struct an_ws *w);
void sim_leaves_free(struct an_ws *w);

/* sim_record.c */
/* The time of grid point i (0 .. max_points; max_points: INFINITY). */
static inline double sim_grid_time(const struct an_ws *w, uint32_t i)
{
	return w->grid_t[i];
}
int sim_record_alloc(struct an_ws *w);
void sim_record_free(struct an_ws *w);
/* A trial over [0, horizon] starts. */
void sim_record_reset(struct an_ws *w, double horizon);
/* Grid points before time t get the current state: inline, since a trial's
 * batches nearly all fall between two grid points. */
void sim_record_grid(struct an_ws *w, double t);
static inline void sim_record_before(struct an_ws *w, double t)
{
	if (w->grid && sim_grid_time(w, w->grid_next) < t)
		sim_record_grid(w, t);
}
/* A sample of the current state at w->now (exact mode). */
void sim_record_sample(struct an_ws *w);
/* The run ended: grid points up to the horizon get the final state. */
void sim_record_end(struct an_ws *w);
/* The grid's sums become fractions (after sim_record_end and the leaves). */
void sim_record_finish(struct an_ws *w);

#endif
