/* save.h - writing a model out in the shared model formats, the ones the
 * loader reads (load.h):
 *
 *   JSON   {"name", "nodes": [{"id", "name", "sector", "operator", "region",
 *          "kind", "layer", "source", "weight", "repair_hours"}],
 *          "dependencies": [{"supplier", "dependent", "kind", "buffer_hours",
 *          "group", "need"}], "links": [["a", "b"], ...]}
 *   CSV    nodes.csv (id,name,sector,operator,region,kind,layer,source,weight,
 *          repair_hours) and edges.csv (type,from,to,kind,buffer_hours,group,
 *          need; type dep or link).
 *
 * A redundancy group is named by the kind of its dependencies ("power", and
 * "power-2" for a dependent's second group of that kind); a group of one
 * supplier with need 1 is written without a group. Numbers are written in the
 * shortest form that reads back exactly. A model read back from what is
 * written has the same nodes, edges and groups, and is written the same.
 *
 * The text goes to a sink in chunks of about 1 MiB, so that a model of 10^7
 * edges needs no buffer of its size; an_save_to_buf collects it in a buffer.
 * Pure computation: the caller's sink does the I/O. */
#ifndef CEP_ANALYSIS_SAVE_H
#define CEP_ANALYSIS_SAVE_H

#include "analysis/model.h"
#include "base/buf.h"
#include "base/err.h"

#include <stddef.h>

/* Called with consecutive chunks of the text; returns 0, or a negative
 * CEP_E* code, which stops the writer and is returned by it. */
typedef int (*an_sink_fn)(void *ctx, const char *data, size_t len);

/* A sink appending to the struct cep_buf ctx (its cap applies: CEP_ETOOBIG). */
int an_save_to_buf(void *ctx, const char *data, size_t len);

/* Write m (borrowed) as one JSON document named name (may be NULL), as
 * nodes.csv, or as edges.csv. Returns 0, the sink's code, or CEP_ENOMEM;
 * err says which. */
int an_save_json(const struct an_model *m, const char *name, an_sink_fn sink, void *ctx,
		 struct cep_error *err);
int an_save_nodes_csv(const struct an_model *m, an_sink_fn sink, void *ctx,
		      struct cep_error *err);
int an_save_edges_csv(const struct an_model *m, an_sink_fn sink, void *ctx,
		      struct cep_error *err);

/* Append s as a JSON string (quoted, escaped) to out. 0, CEP_ETOOBIG or CEP_ENOMEM. */
int an_json_string(struct cep_buf *out, const char *s);
/* Append x in the shortest form that reads back exactly (finite x). */
int an_put_number(struct cep_buf *out, double x);

#endif
