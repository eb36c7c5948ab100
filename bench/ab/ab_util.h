/* ab_util.h - what the A/B harnesses (cascade_ab.c, sim_ab.c) share:
 * reading a model directory (the CLI's reader, cli/sim_model.c) and its
 * removal order, a clock, messages. */
#ifndef CEP_BENCH_AB_UTIL_H
#define CEP_BENCH_AB_UTIL_H

#include "analysis/load.h"
#include "analysis/model.h"
#include "base/alloc.h"
#include "base/err.h"
#include "cli/cli.h"
#include "cli/sim.h"

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

/* The model in dir, read as `sim run` reads MODEL (cli_sim_model), or NULL
 * (said on stderr). */
static inline struct an_model *ab_model(const char *dir)
{
	struct an_model *m = NULL;
	struct cep_error err;

	cep_error_init(&err);
	if (cli_sim_model(dir, &m, &err))
		fprintf(stderr, "%s\n", err.message);
	return m;
}

/* The nodes of dir/order.txt (ids, one a line) as indices of m (caller
 * frees), their number in *ret_n; NULL when unreadable or naming an unknown
 * node. */
static inline uint32_t *ab_order(const struct an_model *m, const char *dir, uint32_t *ret_n)
{
	struct cep_error err;
	char path[4096], *text = NULL, *save = NULL;
	size_t len;
	uint32_t *order = NULL, n = 0;

	cep_error_init(&err);
	snprintf(path, sizeof(path), "%s/order.txt", dir);
	if (cli_read_file(path, AN_LOAD_MAX_CSV_BYTES, &text, &len, &err))
		fprintf(stderr, "%s\n", err.message); /* it names the file */
	else if (!(order = malloc(((size_t)m->n_nodes + 1) * sizeof(*order))))
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
	cep_free(text);
	*ret_n = n;
	return order;
}

#endif
