/* result_chain.c - the propagation tree of a run (what failed because of
 * what), the "chain" of dynamic dependency analysis: each failed node under
 * the node that took it down (its supplier, or the node whose loss cut it off
 * its layer), under the initial event that started it. Branches are ordered
 * by their damage (the weight of the nodes in them) and capped, so that the
 * chains that matter come first and the output stays readable. */
#include "analysis/result.h"

#include "analysis/result_int.h"
#include "base/alloc.h"
#include "base/err.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

/* Ids: 0..n-1 the failed nodes (by position in t->failed), n..n+groups-1 the
 * roots (one per initial event, then "not connected at the start"). */
struct tree {
	const struct an_model *m;
	const struct an_scenario *sc;
	const struct an_trial *t;
	uint32_t n, groups;
	uint32_t *pos;    /* per model node: its position in failed, or NONE */
	uint32_t *up;     /* per failed node: the id above it */
	double *damage;   /* per id: weight of the subtree */
	uint32_t *size;   /* per id: nodes in the subtree */
	uint32_t *cstart; /* per id + 1: children of id are child[cstart[id]..cstart[id+1]) */
	uint32_t *child;
	uint32_t *order;  /* the roots, most damage first */
};

static void tree_free(struct tree *tr)
{
	cep_free(tr->pos);
	cep_free(tr->up);
	cep_free(tr->damage);
	cep_free(tr->size);
	cep_free(tr->cstart);
	cep_free(tr->child);
	cep_free(tr->order);
}

/* Most damage first, then the earlier failure, then the lower index. */
static int by_damage(const void *a, const void *b, void *ctx)
{
	const struct tree *tr = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	double tx, ty;

	if (tr->damage[x] != tr->damage[y])
		return tr->damage[x] > tr->damage[y] ? -1 : 1;
	tx = x < tr->n ? tr->t->first_failure[tr->t->failed[x]] : 0;
	ty = y < tr->n ? tr->t->first_failure[tr->t->failed[y]] : 0;
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* The id above failed node i. */
static uint32_t parent_of(const struct tree *tr, uint32_t i)
{
	const struct an_trial *t = tr->t;
	uint32_t v = t->failed[i], c = t->cause[v], p = NONE;

	if (t->cause_kind[v] == AN_CAUSE_EVENT)
		return tr->n + c;
	if (t->cause_kind[v] == AN_CAUSE_SUPPLIER)
		p = tr->pos[tr->m->dep_supplier[c]];
	else if (c != NONE)
		p = tr->pos[c];
	/* a parent always failed first; anything else goes under "start" */
	return p != NONE && p < i ? p : tr->n + tr->groups - 1;
}

static int tree_build(struct tree *tr)
{
	const struct an_trial *t = tr->t;
	uint32_t n = t->n_failed, ids;

	tr->n = n;
	tr->groups = tr->sc->n_events + 1;
	ids = n + tr->groups;
	tr->pos = cep_malloc(((size_t)tr->m->n_nodes + 1) * sizeof(uint32_t));
	tr->up = cep_malloc(((size_t)n + 1) * sizeof(uint32_t));
	tr->damage = cep_calloc(ids, sizeof(double));
	tr->size = cep_calloc(ids, sizeof(uint32_t));
	tr->cstart = cep_calloc((size_t)ids + 1, sizeof(uint32_t));
	tr->child = cep_malloc(((size_t)n + 1) * sizeof(uint32_t));
	tr->order = cep_malloc(tr->groups * sizeof(uint32_t));
	if (!tr->pos || !tr->up || !tr->damage || !tr->size || !tr->cstart || !tr->child ||
	    !tr->order)
		return CEP_ENOMEM;
	memset(tr->pos, 0xff, (size_t)tr->m->n_nodes * sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++)
		tr->pos[t->failed[i]] = i;
	for (uint32_t i = 0; i < n; i++) {
		tr->up[i] = parent_of(tr, i);
		tr->damage[i] = tr->m->weight[t->failed[i]];
		tr->size[i] = 1;
		tr->cstart[tr->up[i] + 1]++;
	}
	for (uint32_t i = n; i-- > 0;) {
		tr->damage[tr->up[i]] += tr->damage[i];
		tr->size[tr->up[i]] += tr->size[i];
	}
	for (uint32_t id = 0; id < ids; id++)
		tr->cstart[id + 1] += tr->cstart[id];
	{
		uint32_t *fill = cep_malloc(((size_t)ids + 1) * sizeof(uint32_t));

		if (!fill)
			return CEP_ENOMEM;
		memcpy(fill, tr->cstart, ids * sizeof(uint32_t));
		for (uint32_t i = 0; i < n; i++)
			tr->child[fill[tr->up[i]]++] = i;
		cep_free(fill);
	}
	for (uint32_t id = 0; id < ids; id++)
		qsort_r(tr->child + tr->cstart[id], tr->cstart[id + 1] - tr->cstart[id],
			sizeof(uint32_t), by_damage, tr);
	for (uint32_t g = 0; g < tr->groups; g++)
		tr->order[g] = n + g;
	qsort_r(tr->order, tr->groups, sizeof(uint32_t), by_damage, tr);
	return 0;
}

/* ---- writing ------------------------------------------------------------- */

struct writer {
	struct tree *tr;
	struct cep_buf *txt;
	json_t *nodes;
	int rc;
};

static void txt(struct writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void txt(struct writer *w, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (w->rc)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	w->rc = cep_buf_puts(w->txt, line);
}

/* The cause of failed node i in words: "cut off from L by X", ... */
static void because(const struct tree *tr, uint32_t i, char *out, size_t size)
{
	const struct an_model *m = tr->m;
	const struct an_trial *t = tr->t;
	uint32_t v = t->failed[i], c = t->cause[v];

	switch (t->cause_kind[v]) {
	case AN_CAUSE_EVENT:
		snprintf(out, size, "hit by the event");
		break;
	case AN_CAUSE_SUPPLIER:
		snprintf(out, size, "lost %s from %s", res_label(m->dep_kinds.name[m->dep_kind[c]]),
			 m->id[m->dep_supplier[c]]);
		break;
	default:
		if (c == NONE)
			snprintf(out, size, "not connected in %s from the start",
				 m->layers.name[m->layer[v]]);
		else
			snprintf(out, size, "cut off from %s by %s", m->layers.name[m->layer[v]],
				 m->id[c]);
	}
}

static void write_root(struct writer *w, uint32_t g)
{
	const struct tree *tr = w->tr;
	const struct an_initial_event *e = g < tr->sc->n_events ? &tr->sc->events[g] : NULL;
	uint32_t id = tr->n + g;

	if (e && isfinite(e->duration))
		txt(w, "%s: from %.6g h for %.6g h", e->label, e->start, e->duration);
	else if (e)
		txt(w, "%s: from %.6g h to the end", e->label, e->start);
	else
		txt(w, "not connected to their layer from the start");
	txt(w, "; %u nodes down in this chain, damage %.6g\n", tr->size[id], tr->damage[id]);
}

/* Failed node i at depth d (1 = directly under its root). */
static void write_node(struct writer *w, uint32_t i, uint32_t d, uint32_t root)
{
	const struct tree *tr = w->tr;
	const struct an_model *m = tr->m;
	const struct an_trial *t = tr->t;
	uint32_t v = t->failed[i], kids = tr->cstart[i + 1] - tr->cstart[i];
	const char *cause, *by = "", *via = "";
	char why[512];
	json_t *o;

	because(tr, i, why, sizeof(why));
	txt(w, "%*s%s%s%s [%s] down at %.6g h, %s (damage %.6g in %u node%s)\n", (int)(2 * d),
	    "", m->id[v], *m->name[v] ? " " : "", m->name[v],
	    res_label(m->sectors.name[m->sector[v]]), t->first_failure[v], why, tr->damage[i],
	    tr->size[i], tr->size[i] == 1 ? "" : "s");
	if (kids && d >= AN_CHAIN_MAX_DEPTH)
		txt(w, "%*s... %u more below\n", (int)(2 * d + 2), "", tr->size[i] - 1);
	switch (t->cause_kind[v]) {
	case AN_CAUSE_EVENT:
		cause = "event";
		by = tr->sc->events[t->cause[v]].label;
		break;
	case AN_CAUSE_SUPPLIER:
		cause = "dependency";
		by = m->id[m->dep_supplier[t->cause[v]]];
		via = m->dep_kinds.name[m->dep_kind[t->cause[v]]];
		break;
	default:
		cause = t->cause[v] == NONE ? "start" : "layer";
		by = t->cause[v] == NONE ? "" : m->id[t->cause[v]];
		via = m->layers.name[m->layer[v]];
	}
	o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:I, s:I, s:o, s:I, s:I}", "id",
		      m->id[v], "name", m->name[v], "sector", m->sectors.name[m->sector[v]],
		      "down_at_hours", res_num(t->first_failure[v]), "back_at_hours",
		      res_num(t->last_recovery[v]), "cause", cause, "by", by, "via", via, "depth",
		      (json_int_t)d, "root", (json_int_t)root, "damage", res_num(tr->damage[i]),
		      "nodes", (json_int_t)tr->size[i], "hidden_children",
		      (json_int_t)(kids > AN_CHAIN_MAX_CHILDREN && d < AN_CHAIN_MAX_DEPTH
					   ? kids - AN_CHAIN_MAX_CHILDREN
					   : d >= AN_CHAIN_MAX_DEPTH ? kids : 0));
	if (!w->rc && json_array_append_new(w->nodes, o))
		w->rc = CEP_ENOMEM;
}

/* The subtree of root g, depth first, most damaging branch first. Returns
 * how many nodes may still be shown. */
static uint32_t write_tree(struct writer *w, uint32_t g, uint32_t budget, uint32_t *stack_id,
			   uint32_t *stack_next)
{
	const struct tree *tr = w->tr;
	uint32_t sp = 0;

	stack_id[sp] = tr->n + g;
	stack_next[sp++] = 0;
	while (sp && !w->rc) {
		uint32_t id = stack_id[sp - 1], k = stack_next[sp - 1];
		uint32_t kids = tr->cstart[id + 1] - tr->cstart[id], c;

		if (k >= kids || k >= AN_CHAIN_MAX_CHILDREN || !budget) {
			if (k < kids) {
				double dmg = 0;
				uint32_t cnt = 0;

				for (uint32_t j = k; j < kids; j++) {
					dmg += tr->damage[tr->child[tr->cstart[id] + j]];
					cnt += tr->size[tr->child[tr->cstart[id] + j]];
				}
				txt(w, "%*s... %u more branches: %u nodes, damage %.6g\n",
				    (int)(2 * sp), "", kids - k, cnt, dmg);
			}
			sp--;
			continue;
		}
		c = tr->child[tr->cstart[id] + k];
		stack_next[sp - 1] = k + 1;
		write_node(w, c, sp, g);
		budget--;
		if (sp < AN_CHAIN_MAX_DEPTH && tr->cstart[c + 1] > tr->cstart[c]) {
			stack_id[sp] = c;
			stack_next[sp++] = 0;
		}
	}
	return budget;
}

int an_result_chain(struct cep_buf *json, struct cep_buf *text, const struct an_model *m,
		    const struct an_scenario *sc, const struct an_trial *t, struct cep_error *err)
{
	struct tree tr = { .m = m, .sc = sc, .t = t };
	struct writer w = { .tr = &tr, .txt = text };
	uint32_t stack_id[AN_CHAIN_MAX_DEPTH + 1], stack_next[AN_CHAIN_MAX_DEPTH + 1];
	uint32_t budget = AN_CHAIN_MAX_NODES;
	json_t *roots = NULL, *doc;
	int rc;

	if ((rc = tree_build(&tr)) || !(w.nodes = json_array()) || !(roots = json_array())) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	txt(&w, "Propagation chain of %s: %u nodes went down; most damaging branches first\n",
	    sc->name, t->n_failed);
	for (uint32_t r = 0; r < tr.groups && !w.rc; r++) {
		uint32_t g = tr.order[r] - tr.n, id = tr.order[r];
		const struct an_initial_event *e = g < sc->n_events ? &sc->events[g] : NULL;

		if (!e && !tr.size[id])
			continue; /* no node was cut off from the start */
		txt(&w, "\n");
		write_root(&w, g);
		if (json_array_append_new(roots,
					  json_pack("{s:I, s:o, s:o, s:o, s:o, s:I}", "root",
						    (json_int_t)g, "event",
						    e ? json_string(e->label) : json_null(),
						    "start_hours", res_num(e ? e->start : 0),
						    "duration_hours", res_num(e ? e->duration : NAN),
						    "damage", res_num(tr.damage[id]), "nodes",
						    (json_int_t)tr.size[id])))
			w.rc = CEP_ENOMEM;
		budget = write_tree(&w, g, budget, stack_id, stack_next);
	}
	if (!budget)
		txt(&w, "\n(the chain is cut at %u nodes)\n", AN_CHAIN_MAX_NODES);
	if (w.rc) {
		rc = res_fail(err, w.rc, "the chain");
		goto out;
	}
	doc = json_pack("{s:s, s:I, s:I, s:b, s:o, s:O}", "scenario", sc->name, "failed_nodes",
			(json_int_t)t->n_failed, "shown", (json_int_t)json_array_size(w.nodes),
			"truncated", json_array_size(w.nodes) < t->n_failed, "roots", roots, "nodes",
			w.nodes);
	roots = NULL;
	rc = res_json(json, doc, err);
out:
	json_decref(roots);
	json_decref(w.nodes);
	tree_free(&tr);
	return rc;
}
