/* models.c - the facility models of the analysis jobs: uploaded as JSON, checked
 * whole by the engine's loader before they are stored, kept as given. */
#include "jobs/internal.h"

#include "analysis/action.h"
#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>

#define MODEL_COLS                                                                             \
	"id, name, org_id AS org, size, sha256, nodes, dependencies, links, created_by,"       \
	" created_at"

int jobs_allowed(const struct cep_principal *p, enum cep_action action, const char *org_id)
{
	struct cep_object o;

	memset(&o, 0, sizeof(o));
	snprintf(o.org_id, sizeof(o.org_id), "%s", org_id ? org_id : "");
	return policy_check(p, action, &o);
}

int jobs_where(const struct cep_principal *p, const char *column, char *out, size_t size,
	       struct store_arg *ret_arg)
{
	unsigned scope = policy_scope(p, CEP_ACT_ANALYSIS_READ);

	if (scope & CEP_SCOPE_ALL) {
		snprintf(out, size, "? = 1"); /* one argument either way */
		*ret_arg = STORE_INT(1);
		return 0;
	}
	if ((scope & CEP_SCOPE_OWN_ORG) && p->org_id[0]) {
		snprintf(out, size, "%s = ?", column);
		*ret_arg = STORE_TEXT(p->org_id);
		return 0;
	}
	return CEP_EPERM;
}

int jobs_model_row(struct store *s, const struct cep_principal *p, const char *id, json_t **ret)
{
	json_t *row = NULL;
	int rc = CEP_ENOTFOUND;

	if (id && strlen(id) <= CEP_UUID_LEN)
		rc = store_query_one(s, "SELECT " MODEL_COLS " FROM sim_models WHERE id = ?",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &row);
	if (rc == 0 && jobs_allowed(p, CEP_ACT_ANALYSIS_READ,
				    json_string_value(json_object_get(row, "org"))) < 0) {
		json_decref(row);
		rc = CEP_ENOTFOUND;
	}
	if (rc == 0)
		*ret = row;
	return rc;
}

int jobs_model_add(struct store *s, const struct cep_principal *p, const char *name,
		   const char *data, size_t len, json_t **ret, struct cep_error *err)
{
	char id[CEP_UUID_LEN + 1], sha[CEP_SHA256_HEX + 1];
	json_t *info = NULL, *detail = NULL, *res = NULL;
	int rc;

	if (!p->org_id[0] || jobs_allowed(p, CEP_ACT_ANALYSIS_RUN, p->org_id) < 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "analysis is for the analysts of NISC, ministries, agencies and "
				     "CEPTOAR secretariats");
	if (!name || cep_text_check(name, JOBS_NAME_MAX, true) < 0)
		return cep_error_set(err, CEP_EINVAL, "name",
				     "name must be 1 to %d characters on one line", JOBS_NAME_MAX);
	if (len > JOBS_MODEL_MAX)
		return cep_error_set(err, CEP_ETOOBIG, "model", "a model is at most %u bytes",
				     JOBS_MODEL_MAX);
	rc = an_action_model_info(data, len, &info, err);
	if (rc < 0)
		return rc;
	cep_uuid(id);
	cep_sha256_hex(data, len, sha);
	rc = store_begin(s);
	if (rc == 0) {
		struct store_stmt *st = NULL;

		rc = store_prepare(s,
				   "INSERT INTO sim_models (id, org_id, name, size, sha256, nodes,"
				   " dependencies, links, data, created_by, created_at)"
				   " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
				   &st);
		if (rc == 0)
			rc = store_bind_args(
				st,
				(struct store_arg[]){
					STORE_TEXT(id), STORE_TEXT(p->org_id), STORE_TEXT(name),
					STORE_INT((int64_t)len), STORE_TEXT(sha),
					STORE_INT(json_integer_value(json_object_get(info, "nodes"))),
					STORE_INT(json_integer_value(json_object_get(info, "dependencies"))),
					STORE_INT(json_integer_value(json_object_get(info, "links"))) },
				8);
		if (rc == 0)
			rc = store_bind_blob(st, 9, data, len);
		if (rc == 0)
			rc = store_bind_text(st, 10, p->name);
		if (rc == 0)
			rc = store_bind_int(st, 11, cep_now());
		if (rc == 0) {
			int step = store_step(st);

			rc = step < 0 ? step : 0;
		}
		store_finalize(st);
	}
	detail = json_pack("{s:s, s:I, s:O}", "name", name, "size", (json_int_t)len, "info", info);
	rc = audit_commit(s, rc, p, "analysis.model.add", "sim_model", id, detail, "the model", err);
	json_decref(detail);
	json_decref(info);
	if (rc == 0)
		rc = jobs_model_row(s, p, id, &res);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot store the model");
	*ret = res;
	return 0;
}

int jobs_models(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		json_t **ret, struct cep_error *err)
{
	char where[128], from[256];
	struct store_arg arg;
	int rc = jobs_where(p, "org_id", where, sizeof(where), &arg);

	if (rc < 0)
		return cep_error_set(err, rc, NULL, "analysis models are not for this account");
	snprintf(from, sizeof(from), "FROM sim_models WHERE %s", where);
	rc = store_query_page(s, MODEL_COLS, from, "created_at DESC, rowid DESC", &arg, 1, page, ret);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the models") : 0;
}

int jobs_model_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		   struct cep_error *err)
{
	int rc = jobs_model_row(s, p, id, ret);

	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such model");
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the model") : 0;
}

int jobs_model_delete(struct store *s, const struct cep_principal *p, const char *id,
		      struct cep_error *err)
{
	json_t *row = NULL;
	int rc = jobs_model_row(s, p, id, &row);

	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such model");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the model");
	if (jobs_allowed(p, CEP_ACT_ANALYSIS_RUN, json_string_value(json_object_get(row, "org"))) < 0) {
		json_decref(row);
		return cep_error_set(err, CEP_EPERM, NULL, "only its organisation deletes a model");
	}
	json_decref(row);
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s, "DELETE FROM sim_models WHERE id = ?",
			       (struct store_arg[]){ STORE_TEXT(id) }, 1);
	return audit_commit(s, rc, p, "analysis.model.delete", "sim_model", id, NULL, "the model",
			    err);
}
