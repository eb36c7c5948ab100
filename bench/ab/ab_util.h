/* ab_util.h - what the A/B harnesses (cascade_ab.c, sim_ab.c) share:
 * reading a model directory and its removal order with the CLI's readers
 * (cli/sim_model.c), messages. */
#ifndef CEP_BENCH_AB_UTIL_H
#define CEP_BENCH_AB_UTIL_H

#include "analysis/model.h"
#include "base/err.h"
#include "cli/cli.h"
#include "cli/sim.h"

#include <stdint.h>
#include <stdio.h>

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
	int rc;

	cep_error_init(&err);
	if ((rc = cli_sim_model(dir, &m, &err)))
		cli_fail(&err, rc);
	return m;
}

/* The nodes of dir/order.txt as indices of m, read as `sim sweep --order`
 * reads them (cli_sim_order; caller frees), their number in *ret_n; NULL
 * when unreadable or naming an unknown node (said on stderr). */
static inline uint32_t *ab_order(const struct an_model *m, const char *dir, uint32_t *ret_n)
{
	char path[4096];
	uint32_t *order = NULL;

	snprintf(path, sizeof(path), "%s/order.txt", dir);
	return cli_sim_order(path, m, &order, ret_n) ? NULL : order;
}

#endif
