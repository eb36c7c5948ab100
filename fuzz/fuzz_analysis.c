/* fuzz_analysis.c - libFuzzer target for the analysis engine's text readers:
 * facility models in JSON (an_load_json) and CSV (an_load_csv, nodes and edges
 * split at the first NUL), scenarios (an_scenario_parse, against a small fixed
 * model), and the sector-level CSV importers (an A* matrix, an input-output
 * table). The first byte picks the reader.
 *
 * Checks: every failure is a known code with a message; a model that loads has
 * consistent CSR arrays (starts non-decreasing and ending at the counts, every
 * index in range, every group's need within its size). */
#include "analysis/iim.h"
#include "analysis/load.h"
#include "analysis/model.h"
#include "analysis/scenario.h"
#include "base/alloc.h"
#include "base/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "fuzz_analysis: check failed at line %d: %s\n",  \
				__LINE__, #cond);                                        \
			abort();                                                         \
		}                                                                        \
	} while (0)

static void check_failure(int rc, const struct cep_error *err)
{
	CHECK(rc == CEP_EINVAL || rc == CEP_EPARSE || rc == CEP_ETOOBIG || rc == CEP_EEXIST ||
	      rc == CEP_ESEMANTIC || rc == CEP_ENOTFOUND);
	CHECK(err->message[0]);
}

static void check_model(const struct an_model *m)
{
	CHECK(m->dep_start[0] == 0 && m->dep_start[m->n_nodes] == m->n_deps);
	CHECK(m->link_start[0] == 0 && m->link_start[m->n_nodes] == 2 * m->n_links);
	CHECK(m->node_group_start[0] == 0 && m->node_group_start[m->n_nodes] == m->n_groups);
	for (uint32_t v = 0; v < m->n_nodes; v++) {
		CHECK(m->dep_start[v] <= m->dep_start[v + 1]);
		CHECK(m->link_start[v] <= m->link_start[v + 1]);
		CHECK(m->sector[v] < m->sectors.n && m->region[v] < m->regions.n);
		CHECK(m->layer[v] < 0 || (uint32_t)m->layer[v] < m->layers.n);
	}
	for (uint32_t e = 0; e < m->n_deps; e++) {
		CHECK(m->dep_dependent[e] < m->n_nodes && m->dep_group[e] < m->n_groups);
		CHECK(m->dep_buffer[e] >= 0);
	}
	for (uint32_t g = 0; g < m->n_groups; g++)
		CHECK(m->group_need[g] >= 1 && m->group_need[g] <= m->group_size[g]);
	for (uint64_t i = 0; i < 2 * m->n_links; i++)
		CHECK(m->link_to[i] < m->n_nodes);
}

static const char fixed_model[] =
	"{\"nodes\":[{\"id\":\"p\",\"sector\":\"electricity\",\"region\":\"13\",\"layer\":\"power/13\","
	"\"source\":true},{\"id\":\"s\",\"layer\":\"power/13\",\"region\":\"13\"},"
	"{\"id\":\"h\",\"sector\":\"medical\",\"region\":\"13\"}],"
	"\"dependencies\":[{\"supplier\":\"s\",\"dependent\":\"h\",\"kind\":\"power\","
	"\"buffer_hours\":72}],\"links\":[[\"p\",\"s\"]]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int installed;
	static struct an_model *fixed;
	const char *text = (const char *)data + 1;
	struct an_model *m = NULL;
	struct an_scenario *sc = NULL;
	struct an_iim *iim = NULL;
	struct cep_error err;
	size_t len = size ? size - 1 : 0;
	int rc;

	if (!installed) {
		cep_alloc_install();
		cep_error_init(&err);
		CHECK(an_load_json(fixed_model, strlen(fixed_model), "fixed", &fixed, &err) == 0);
		installed = 1;
	}
	if (size == 0)
		return 0;
	cep_error_init(&err);
	switch (data[0] % 5) {
	case 0:
		rc = an_load_json(text, len, "model.json", &m, &err);
		break;
	case 1: {
		const char *nul = memchr(text, '\0', len);
		size_t nl = nul ? (size_t)(nul - text) : len;

		rc = an_load_csv(text, nl, "nodes.csv", nul ? nul + 1 : "", nul ? len - nl - 1 : 0,
				 "edges.csv", &m, &err);
		break;
	}
	case 2:
		rc = an_scenario_parse(fixed, text, len, &sc, &err);
		break;
	case 3:
		rc = an_iim_from_matrix_csv(text, len, &iim, &err);
		break;
	default:
		rc = an_iim_from_table_csv(text, len, &iim, &err);
		break;
	}
	if (rc < 0)
		check_failure(rc, &err);
	else if (m)
		check_model(m);
	an_model_free(m);
	an_scenario_free(sc);
	an_iim_free(iim);
	return 0;
}
