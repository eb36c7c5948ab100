/* sim_int.h - the simulator's internals, shared by sim.c (events, batches,
 * node states), sim_layer.c (layer connectivity) and sim_record.c (the
 * timeline). Not for other files. */
#ifndef CEP_ANALYSIS_SIM_INT_H
#define CEP_ANALYSIS_SIM_INT_H

#include "analysis/model.h"
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

/* What a trial reads of a node, in one place (a copy of the model's arrays). */
struct sim_node {
	double weight, repair;
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
	double total_w;
	double *sector_w, *layer_w;
	uint32_t *sector_n, *layer_n;
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
		uint16_t hit, spare;              /* active events on it */
		uint32_t bad;                     /* failed groups */
		uint32_t recver;                  /* return schedules (returns carry it) */
		uint32_t kept;                    /* 1 + the first edge of its kept-buffer list; 0: empty */
		uint32_t spare2;
		double since;                     /* down since */
	} *ns;
	uint32_t *parent, *mark;          /* layer trees */
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
	double down_w, *sec_down_w, *lay_down_w;
	uint32_t down_n, *sec_down_n, *lay_down_n;
	double *sector_first;

	/* the timeline */
	struct an_timeline_opts topt;
	uint32_t n_series;
	double *tl_t, *tl_v, *tl_t2, *tl_v2;
	size_t tl_n;
	int grid;         /* recording on the grid */
	uint32_t grid_next; /* next grid point to write */

	uint64_t n_events, n_batches;
};

/* sim.c */
/* v's class: C_ACTIVE (an active event or a failed group), C_REPAIRING (down
 * after such a cause, not back yet), C_CONDUCTING (up, or down only because
 * its layer cut it off). w NULL: C_CONDUCTING. */
int sim_class(const struct an_ws *w, uint32_t v);
void sim_touch(struct an_ws *w, uint32_t v);
void sim_dirty(struct an_ws *w, uint32_t v);

/* sim_layer.c */
/* Connected state of every layer before any event into s->ok0/parent0/base_down.
 * scratch: n_nodes marks and queue. */
int sim_layers_init(struct an_sim *s);
/* Bring the layers changed in this round (w->lchg) up to date: nodes whose
 * connected state changes are made dirty, with layer_cause set for those cut
 * off; every node of lchg is made dirty too. */
void sim_layers_update(struct an_ws *w);

/* sim_record.c */
int sim_record_alloc(struct an_ws *w);
void sim_record_free(struct an_ws *w);
void sim_record_reset(struct an_ws *w);
/* Grid points before time t get the current state. */
void sim_record_before(struct an_ws *w, double t);
/* A sample of the current state at w->now (exact mode). */
void sim_record_sample(struct an_ws *w);
/* The run ended: grid points up to the horizon get the final state. */
void sim_record_end(struct an_ws *w);

#endif
