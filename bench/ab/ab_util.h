/* ab_util.h - what the A/B harnesses (cascade_ab.c, sim_ab.c) share:
 * reading a model directory and its removal order, a clock, messages. */
#ifndef CEP_BENCH_AB_UTIL_H
#define CEP_BENCH_AB_UTIL_H

#include "analysis/load.h"
#include "analysis/model.h"
#include "base/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double ab_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static inline int ab_fail(const char *what)
{
	fprintf(stderr, "%s\n", what);
	return 2;
}

static inline int ab_usage(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	return 2;
}

/* The whole of file dir/name, NUL-terminated (caller frees), or NULL. */
static inline char *ab_read(const char *dir, const char *name, size_t *ret_len)
{
	char path[4096];
	FILE *f;
	char *text = NULL;
	long len;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "rb"))) {
		fprintf(stderr, "cannot open %s\n", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (text = malloc((size_t)len + 1)) && fread(text, 1, (size_t)len, f) == (size_t)len) {
		text[len] = '\0';
		*ret_len = (size_t)len;
	} else {
		fprintf(stderr, "cannot read %s\n", path);
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

/* The model in dir (nodes.csv, edges.csv), or NULL (said on stderr). */
static inline struct an_model *ab_model(const char *dir)
{
	struct an_model *m = NULL;
	struct cep_error err;
	size_t nl = 0, el = 0;
	char *nodes = ab_read(dir, "nodes.csv", &nl);
	char *edges = nodes ? ab_read(dir, "edges.csv", &el) : NULL;

	cep_error_init(&err);
	if (edges && an_load_csv(nodes, nl, "nodes.csv", edges, el, "edges.csv", &m, &err))
		fprintf(stderr, "%s\n", err.message);
	free(nodes);
	free(edges);
	return m;
}

/* The nodes of dir/order.txt (ids, one a line) as indices of m (caller
 * frees), their number in *ret_n; NULL when unreadable or naming an unknown
 * node. */
static inline uint32_t *ab_order(const struct an_model *m, const char *dir, uint32_t *ret_n)
{
	size_t len;
	char *text = ab_read(dir, "order.txt", &len), *save = NULL;
	uint32_t *order = text ? malloc(((size_t)m->n_nodes + 1) * sizeof(*order)) : NULL, n = 0;

	if (text && !order)
		fprintf(stderr, "out of memory\n");

	for (char *id = order ? strtok_r(text, "\r\n", &save) : NULL; id;
	     id = strtok_r(NULL, "\r\n", &save)) {
		if (n == m->n_nodes || an_model_find(m, id, &order[n++])) {
			fprintf(stderr, "order.txt: %s is not a node of the model (or repeats)\n", id);
			free(order);
			order = NULL;
			break;
		}
	}
	free(text);
	*ret_n = n;
	return order;
}

#endif
