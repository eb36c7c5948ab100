/* model.h - the facility-level model of the cascade simulator: a graph of
 * facilities, systems and services (nodes) with two kinds of edges.
 *
 *   dependency  supplier -> dependent, with a kind (power, communications, ...)
 *               and a buffer in hours: the dependent keeps working for `buffer`
 *               hours after the supplier fails (0 = at once). Every dependency
 *               belongs to a redundancy group of its dependent: the dependent
 *               works only while, in each of its groups, at least `need` of the
 *               group's suppliers still serve it. A dependency given without a
 *               group is a group of its own with need 1.
 *   link        undirected, inside one network layer (a power grid, a telecom
 *               backbone). A layer node works only while it is connected through
 *               working nodes of its layer to one of the layer's source nodes; a
 *               layer without sources uses its largest connected component.
 *
 * A model is built once (struct an_builder) and then read-only: every array is
 * in compressed (CSR) form so that a simulation touches memory in order, and
 * any number of threads may read one model at the same time.
 *
 * Pure computation: no I/O. Loading from JSON/CSV text is in load.h. */
#ifndef CEP_ANALYSIS_MODEL_H
#define CEP_ANALYSIS_MODEL_H

#include "base/err.h"

#include <stddef.h>
#include <stdint.h>

/* Caps, checked by the builder (CEP_ETOOBIG). */
#define AN_MAX_NODES 20000000u  /* nodes of one model */
#define AN_MAX_EDGES 200000000u /* dependencies + links of one model */
#define AN_MAX_NAMES 65535u     /* distinct sectors, regions, kinds, layers, dependency kinds */
#define AN_MAX_ID_BYTES 128u    /* a node id, a name or a label, in bytes */
#define AN_MAX_HOURS 87600.0    /* buffers and repair times: at most ten years */

/* An interned table of labels (sectors, regions, ...). Index = position. */
struct an_names {
	uint32_t n;
	char **name; /* owned by the model */
};

struct an_model {
	uint32_t n_nodes;
	uint32_t n_deps;   /* dependency edges */
	uint32_t n_groups; /* redundancy groups (>= 1 per dependent that has suppliers) */
	uint64_t n_links;  /* undirected links; each appears twice in link_to */

	/* Nodes, one entry per node index 0..n_nodes-1. */
	char **id;         /* unique, non-empty */
	char **name;       /* may be "" */
	char **operator_id; /* may be "" */
	uint16_t *sector;  /* index into sectors */
	uint16_t *region;  /* index into regions */
	uint16_t *kind;    /* index into kinds */
	int32_t *layer;    /* index into layers, or -1 when the node is in no layer */
	uint8_t *source;   /* 1: a source of its layer (a power plant, a core exchange) */
	double *weight;    /* >= 0, e.g. population served; damage is weighted by it */
	double *repair;    /* hours to come back once its causes are gone; >= 0 */

	/* Dependencies, CSR by supplier: the edges of supplier s are
	 * dep_start[s] .. dep_start[s+1]-1. */
	uint64_t *dep_start;   /* n_nodes + 1 */
	uint32_t *dep_dependent; /* the node served */
	uint32_t *dep_group;   /* the redundancy group the edge belongs to */
	uint16_t *dep_kind;    /* index into dep_kinds */
	double *dep_buffer;    /* hours, >= 0 */

	/* Redundancy groups. The groups of dependent d are
	 * node_group_start[d] .. node_group_start[d+1]-1 (groups are numbered by
	 * dependent). group_need <= group_size. */
	uint32_t *node_group_start; /* n_nodes + 1 */
	uint32_t *group_need;
	uint32_t *group_size;

	/* Dependencies again, CSR by dependent (edge indices into the arrays above):
	 * the suppliers of d are dep_supplier[in_edge[in_start[d] .. in_start[d+1]-1]]. */
	uint32_t *dep_supplier; /* supplier of each edge */
	uint64_t *in_start;     /* n_nodes + 1 */
	uint32_t *in_edge;

	/* Layer links, CSR adjacency (both directions). */
	uint64_t *link_start; /* n_nodes + 1 */
	uint32_t *link_to;

	struct an_names sectors, regions, kinds, layers, dep_kinds;

	void *index; /* private: id -> node index, for an_model_find */
};

/* What the builder is told about a node. Strings are borrowed (copied by the
 * builder). NULL or "" for sector/region/kind means "unknown" (interned as
 * ""); layer NULL or "" means the node is in no layer. */
struct an_node_spec {
	const char *id, *name, *sector, *operator_id, *region, *kind, *layer;
	double weight;       /* >= 0 */
	double repair_hours; /* >= 0 */
	int source;          /* 1 = a source of its layer (needs a layer) */
};

struct an_builder;

/* A new, empty builder. Caller owns it: an_builder_finish or an_builder_free.
 * NULL when out of memory. */
struct an_builder *an_builder_new(void);
/* Free a builder that was not finished. Accepts NULL. */
void an_builder_free(struct an_builder *b);

/* Add a node. Fails with CEP_EEXIST (duplicate id), CEP_EINVAL (empty id,
 * negative weight/repair, source without layer, text not UTF-8 or over
 * AN_MAX_ID_BYTES), CEP_ETOOBIG (caps) or CEP_ENOMEM; err names the field.
 * On success *ret_index is the node's index. */
int an_builder_add_node(struct an_builder *b, const struct an_node_spec *n,
			uint32_t *ret_index, struct cep_error *err);
/* The index of node id, or CEP_ENOTFOUND. */
int an_builder_find(const struct an_builder *b, const char *id, uint32_t *ret_index);

/* Hints for a reader about to find many ids at random places (the dependents
 * of an edge file, which comes by supplier): asking for an id's memory a few
 * rows before it is looked up lets the waits of several rows overlap. In three
 * steps, each for what the one before brought: the id's slot in the table
 * (an_builder_hint_id, which fills *h), the slot read, and with it where the
 * id's text is and the slot of its named group, if any
 * (an_builder_hint_slot), then the text and the group's record
 * (an_builder_hint_text). A hint changes nothing but time, and may be wrong
 * (an unknown id or group, a row misread): only the builder's own look-ups
 * decide. */
struct an_hint {
	uint32_t hash;
	uint32_t index; /* UINT32_MAX: not known (yet) */
	uint32_t name;  /* the group's name among the names seen; UINT32_MAX: none */
	uint32_t gslot; /* the group's slot, once the index is known */
};
/* group: the dependency's group, or NULL. */
void an_builder_hint_id(const struct an_builder *b, const char *id, const char *group,
			struct an_hint *h);
void an_builder_hint_slot(const struct an_builder *b, struct an_hint *h);
void an_builder_hint_text(const struct an_builder *b, const struct an_hint *h);

/* Add a dependency supplier -> dependent (node indices). group NULL or "": a
 * group of its own with need 1; otherwise the named group of the dependent,
 * whose need must be the same on each of its edges (need >= 1). Fails with
 * CEP_EINVAL (self-dependency, unknown index, negative or too long buffer,
 * need 0 or disagreeing), CEP_ETOOBIG or CEP_ENOMEM. */
int an_builder_add_dep(struct an_builder *b, uint32_t supplier, uint32_t dependent,
		       const char *kind, double buffer_hours, const char *group,
		       uint32_t need, struct cep_error *err);

/* Add an undirected link between two nodes of the same layer. CEP_EINVAL when
 * a == c, an index is unknown or the two are not in one layer. */
int an_builder_add_link(struct an_builder *b, uint32_t a, uint32_t c, struct cep_error *err);

/* Check what can only be checked whole (a group whose need exceeds its size),
 * build the CSR arrays and hand the model to *ret (caller owns, an_model_free).
 * The builder is consumed on success and on failure. */
int an_builder_finish(struct an_builder *b, struct an_model **ret, struct cep_error *err);

/* Free a model. Accepts NULL. */
void an_model_free(struct an_model *m);

/* The index of node id in a finished model, or CEP_ENOTFOUND. */
int an_model_find(const struct an_model *m, const char *id, uint32_t *ret_index);

#endif
