/* load.h - facility models from text: one JSON document, or two CSV files
 * (nodes and edges) for large models. Every error names the file and where
 * in it: "model.json: nodes[3].weight: ...", "edges.csv:7:3: ..." (line and
 * column, the column being the field's position in the record; err.field is
 * the member or the column's name).
 *
 * JSON: {"name": "...",
 *        "nodes": [{"id", "name", "sector", "operator", "region", "kind",
 *                   "layer", "source": bool, "weight": number (default 1),
 *                   "repair_hours": number (default 0)}],
 *        "dependencies": [{"supplier", "dependent", "kind", "buffer_hours"
 *                          (default 0), "group", "need" (default 1)}],
 *        "links": [["a", "b"], ...]}
 * Only "id" is required in a node, "supplier" and "dependent" in a
 * dependency; unknown members are refused.
 *
 * CSV: nodes.csv with a header naming columns from id, name, sector,
 * operator, region, kind, layer, source (0/1), weight, repair_hours (id
 * required; any order); edges.csv with a header naming columns from type,
 * from, to, kind, buffer_hours, group, need (type, from and to required), each
 * row either `dep` (from = supplier, to = dependent) or `link` (kind,
 * buffer_hours, group and need empty). An empty field takes the default.
 *
 * Pure computation: text in, model out. */
#ifndef CEP_ANALYSIS_LOAD_H
#define CEP_ANALYSIS_LOAD_H

#include "analysis/model.h"
#include "base/err.h"

#include <stddef.h>

/* Caps on the text of a model. */
#define AN_LOAD_MAX_JSON_BYTES ((size_t)256 << 20) /* 256 MiB */
#define AN_LOAD_MAX_CSV_BYTES ((size_t)2 << 30)    /* 2 GiB per file */

/* Load a model from JSON text[0..len); name is the file's name for messages.
 * *ret caller-owned (an_model_free). CEP_EPARSE (syntax: line and column),
 * CEP_EINVAL (a member: its path), CEP_EEXIST (a duplicate id),
 * CEP_ETOOBIG (caps), CEP_ENOMEM. */
int an_load_json(const char *text, size_t len, const char *name, struct an_model **ret,
		 struct cep_error *err);

/* Load a model from the CSV texts of its nodes and edges (edges may be NULL:
 * no edges); the names are for messages. Same returns as an_load_json, with
 * file:line:column in messages. */
int an_load_csv(const char *nodes, size_t nodes_len, const char *nodes_name, const char *edges,
		size_t edges_len, const char *edges_name, struct an_model **ret,
		struct cep_error *err);

#endif
