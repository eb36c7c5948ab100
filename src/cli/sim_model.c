/* sim_model.c - the facility model a `sim` action works on (MODEL of `sim
 * run`, `sim sweep`, `sim rank`), read from its files: one reader, so that
 * every action takes the same models and says the same about bad ones. */
#include "cli/sim.h"

#include "analysis/load.h"
#include "base/alloc.h"
#include "base/err.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_sim_ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

int cli_sim_read(const char *path, size_t max, char **ret, size_t *ret_len,
		     struct cep_error *err)
{
	struct cep_error e;
	int rc;

	cep_error_init(&e);
	rc = cli_read_file(path, max + 1, ret, ret_len, &e);
	if (rc == CEP_ETOOBIG || (!rc && *ret_len > max)) {
		if (!rc)
			cep_free(*ret);
		return cep_error_set(err, CEP_ETOOBIG, "file", "%s is larger than %zu MiB", path,
				     max >> 20);
	}
	if (rc)
		return cep_error_set(err, rc, "file", "%s", e.message[0] ? e.message
								: cep_err_text(rc));
	return 0;
}

int cli_sim_model(const char *path, struct an_model **ret, struct cep_error *err)
{
	char nodes[4096], edges[4096], *nt = NULL, *et = NULL;
	const char *sep;
	struct stat st;
	size_t nl = 0, el = 0;
	int rc;

	if (cli_sim_ends_with(path, ".json")) {
		if (!(rc = cli_sim_read(path, AN_LOAD_MAX_JSON_BYTES, &nt, &nl, err)))
			rc = an_load_json(nt, nl, path, ret, err);
		cep_free(nt);
		return rc;
	}
	sep = stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? "/" : "";
	if ((size_t)snprintf(nodes, sizeof(nodes), "%s%snodes.csv", path, sep) >= sizeof(nodes) ||
	    (size_t)snprintf(edges, sizeof(edges), "%s%sedges.csv", path, sep) >= sizeof(edges))
		return cep_error_set(err, CEP_EINVAL, "model", "the model path is too long");
	if (access(nodes, R_OK) != 0)
		return cep_error_set(err, CEP_EINVAL, "model",
				     "%s is not a .json model, nor a directory or prefix of "
				     "nodes.csv and edges.csv (no %s)", path, nodes);
	rc = cli_sim_read(nodes, AN_LOAD_MAX_CSV_BYTES, &nt, &nl, err);
	if (!rc && access(edges, F_OK) == 0) /* no edges.csv: a model without edges */
		rc = cli_sim_read(edges, AN_LOAD_MAX_CSV_BYTES, &et, &el, err);
	if (!rc)
		rc = an_load_csv(nt, nl, nodes, et, el, edges, ret, err);
	cep_free(nt);
	cep_free(et);
	return rc;
}

int cli_sim_order(const char *path, const struct an_model *m, uint32_t **ret, uint32_t *ret_n)
{
	struct cep_error err;
	char *text = NULL, *line, *next;
	uint32_t *order = NULL, n = 0;
	size_t len, lineno = 0;
	int rc;

	cep_error_init(&err);
	rc = cli_read_file(path, (size_t)m->n_nodes * (AN_MAX_ID_BYTES + 2) + 4, &text, &len, &err);
	if (rc)
		return cli_fail(&err, rc);
	order = cep_malloc(((size_t)m->n_nodes + 1) * sizeof(*order));
	if (!order) {
		cep_free(text);
		return cli_fail(NULL, CEP_ENOMEM);
	}
	for (line = text; !rc && line < text + len; line = next) {
		char *end = memchr(line, '\n', (size_t)(text + len - line));
		uint32_t v;

		next = end ? end + 1 : text + len;
		if (end)
			*end = '\0';
		else
			text[len] = '\0';
		lineno++;
		if (end && end > line && end[-1] == '\r')
			end[-1] = '\0';
		if (!*line)
			continue;
		if (an_model_find(m, line, &v)) {
			fprintf(stderr, "ceptoar: %s:%zu: no node %s in the model\n", path, lineno,
				line);
			rc = CLI_FAIL;
		} else if (n == m->n_nodes) {
			fprintf(stderr, "ceptoar: %s:%zu: more lines than nodes\n", path, lineno);
			rc = CLI_FAIL;
		} else {
			order[n++] = v;
		}
	}
	cep_free(text);
	if (rc) {
		cep_free(order);
		return rc;
	}
	*ret = order;
	*ret_n = n;
	return 0;
}
