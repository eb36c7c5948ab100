/* action_net.c - the facility-level analysis actions (run, sweep, rank) as one
 * call each, on a model given as JSON text. */
#include "analysis/action_int.h"

#include "analysis/load.h"
#include "analysis/model.h"

#include <string.h>

int an_action_model_info(const char *model, size_t len, json_t **ret, struct cep_error *err)
{
	struct an_model *m = NULL;
	json_t *v;
	int rc = an_load_json(model, len, "model", &m, err);

	if (rc < 0)
		return rc;
	v = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "nodes", (json_int_t)m->n_nodes,
		      "dependencies", (json_int_t)m->n_deps, "links", (json_int_t)m->n_links,
		      "groups", (json_int_t)m->n_groups, "sectors", (json_int_t)m->sectors.n,
		      "layers", (json_int_t)m->layers.n);
	an_model_free(m);
	if (!v)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	*ret = v;
	return 0;
}

int an_action_net_check(const char *kind, const json_t *options, struct cep_error *err)
{
	(void)options;
	return cep_error_set(err, CEP_EINVAL, "kind", "%s jobs are not available yet", kind);
}

int an_action_net_run(const char *kind, const json_t *options, const char *model, size_t model_len,
		      const struct an_progress *progress, json_t **ret_summary,
		      struct an_files *files, struct cep_error *err)
{
	(void)options, (void)model, (void)model_len, (void)progress, (void)ret_summary, (void)files;
	return cep_error_set(err, CEP_EINVAL, "kind", "%s jobs are not available yet", kind);
}
