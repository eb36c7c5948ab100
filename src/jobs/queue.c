/* queue.c - analysis jobs in the store: queued by analysts, read with their
 * progress and results, cancelled; and what the worker needs to take a job,
 * report its progress and finish it. */
#include "jobs/internal.h"

#include "analysis/action.h"
#include "audit/audit.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"

#include <stdio.h>
#include <string.h>

#define JOB_COLS                                                                              \
	"j.id, j.kind, j.model_id AS model, m.name AS model_name, j.org_id AS org, j.options,"  \
	" j.state, j.cancel, j.done, j.total, j.error, j.result AS summary, j.created_by,"      \
	" j.created_at, j.started_at, j.finished_at"
#define JOB_FROM "FROM sim_jobs j LEFT JOIN sim_models m ON m.id = j.model_id"

static const char *const states[] = { "queued", "running", "done", "failed", "cancelled", NULL };

static int known_state(const char *state)
{
	for (const char *const *k = states; *k; k++)
		if (!strcmp(state, *k))
			return 1;
	return 0;
}

/* Decode the stored JSON texts of a job row and group its progress. */
static void shape(json_t *job)
{
	static const char *const texts[] = { "options", "summary", NULL };

	for (const char *const *k = texts; *k; k++) {
		const char *t = json_string_value(json_object_get(job, *k));
		json_t *v = t ? json_loads(t, 0, NULL) : NULL;

		json_object_set_new(job, *k, v ? v : json_null());
	}
	json_object_set_new(job, "progress",
			    json_pack("{s:O, s:O}", "done", json_object_get(job, "done"), "total",
				      json_object_get(job, "total")));
	json_object_set_new(job, "cancel_requested",
			    json_boolean(json_integer_value(json_object_get(job, "cancel"))));
	json_object_del(job, "done");
	json_object_del(job, "total");
	json_object_del(job, "cancel");
}

/* The job's row for p, shaped, with its files. CEP_ENOTFOUND when p may not read it. */
static int job_row(struct store *s, const struct cep_principal *p, const char *id, json_t **ret)
{
	json_t *row = NULL, *files = NULL;
	int rc = CEP_ENOTFOUND;

	if (id && strlen(id) <= CEP_UUID_LEN)
		rc = store_query_one(s, "SELECT " JOB_COLS " " JOB_FROM " WHERE j.id = ?",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &row);
	if (rc == 0 && jobs_allowed(p, CEP_ACT_ANALYSIS_READ,
				    json_string_value(json_object_get(row, "org"))) < 0)
		rc = CEP_ENOTFOUND;
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT name, content_type AS type, length(data) AS size"
				     " FROM sim_files WHERE job_id = ? ORDER BY name",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &files);
	if (rc < 0) {
		json_decref(row);
		return rc;
	}
	shape(row);
	json_object_set_new(row, "files", files);
	*ret = row;
	return 0;
}

int jobs_submit(struct store *s, const struct cep_principal *p, const json_t *in, json_t **ret,
		struct cep_error *err)
{
	static const char *const allowed[] = { "kind", "model", "options", NULL };
	const char *kind = NULL, *model = NULL;
	const json_t *options = json_object_get(in, "options");
	char id[CEP_UUID_LEN + 1], *opts = NULL;
	json_t *m = NULL, *detail = NULL, *empty = NULL;
	int64_t active = 0, mine = 0;
	int rc;

	if (!p->org_id[0] || jobs_allowed(p, CEP_ACT_ANALYSIS_RUN, p->org_id) < 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "analysis is for the analysts of NISC, ministries, agencies and "
				     "CEPTOAR secretariats");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_req_string(in, "kind", &kind, err);
	if (rc == 0 && !an_action_known(kind))
		rc = cep_error_set(err, CEP_EINVAL, "kind",
				   "kind must be iim, diim, run, sweep or rank");
	if (rc == 0)
		rc = cep_json_opt_string(in, "model", &model, err);
	if (rc == 0 && an_action_needs_model(kind) && !model)
		rc = cep_error_set(err, CEP_EINVAL, "model", "a %s job needs a model", kind);
	if (rc == 0 && !an_action_needs_model(kind) && model)
		rc = cep_error_set(err, CEP_EINVAL, "model", "a %s job takes no model", kind);
	if (rc == 0 && options && !json_is_object(options))
		rc = cep_error_set(err, CEP_EINVAL, "options", "options must be an object");
	if (rc == 0 && !options)
		options = empty = json_object();
	if (rc == 0)
		rc = an_action_check(kind, options, err);
	if (rc == 0 && model && jobs_model_row(s, p, model, &m) < 0)
		rc = cep_error_set(err, CEP_ESEMANTIC, "model", "no such model");
	json_decref(m);
	m = NULL;
	if (rc == 0 && !(opts = json_dumps(options, JSON_COMPACT | JSON_SORT_KEYS)))
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	if (rc < 0)
		goto out;
	cep_uuid(id);
	rc = store_begin(s);
	/* the caps are counted inside the transaction that queues */
	if (rc == 0)
		rc = store_query_int(s, "SELECT count(*) FROM sim_jobs WHERE state IN ('queued','running')",
				     NULL, 0, &active);
	if (rc == 0)
		rc = store_query_int(s,
				     "SELECT count(*) FROM sim_jobs WHERE state IN ('queued','running')"
				     " AND org_id = ?",
				     (struct store_arg[]){ STORE_TEXT(p->org_id) }, 1, &mine);
	if (rc == 0 && (active >= JOBS_ACTIVE_MAX || mine >= JOBS_ORG_ACTIVE_MAX))
		rc = cep_error_set(err, CEP_EBUSY, NULL,
				   "%lld analysis jobs are queued or running (%lld of them yours; at "
				   "most %d, %d per organisation): wait for one to finish",
				   (long long)active, (long long)mine, JOBS_ACTIVE_MAX,
				   JOBS_ORG_ACTIVE_MAX);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO sim_jobs (id, org_id, kind, model_id, options, created_by,"
			       " created_at) VALUES (?,?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(p->org_id),
						     STORE_TEXT(kind), STORE_TEXT(model), STORE_TEXT(opts),
						     STORE_TEXT(p->name), STORE_INT(cep_now()) },
			       7);
	detail = json_pack("{s:s, s:s*}", "kind", kind, "model", model);
	rc = audit_commit(s, rc, p, "analysis.job.submit", "sim_job", id, detail, "the job", err);
	if (rc == 0)
		rc = job_row(s, p, id, &m);
	if (rc < 0) {
		rc = cep_error_set(err, rc, NULL, "cannot queue the job");
		goto out;
	}
	*ret = m;
out:
	json_decref(detail);
	json_decref(empty);
	cep_free(opts);
	return rc;
}

int jobs_list(struct store *s, const struct cep_principal *p, const char *state,
	      const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	char where[128], from[512];
	struct store_arg args[2];
	json_t *res = NULL, *it;
	size_t i;
	int rc = jobs_where(p, "j.org_id", where, sizeof(where), &args[0]);

	if (rc < 0)
		return cep_error_set(err, rc, NULL, "analysis jobs are not for this account");
	if (state && !known_state(state))
		return cep_error_set(err, CEP_EINVAL, "state",
				     "state must be queued, running, done, failed or cancelled");
	args[1] = STORE_TEXT(state);
	snprintf(from, sizeof(from), JOB_FROM " WHERE %s AND (? IS NULL OR j.state = ?)", where);
	{
		struct store_arg all[3] = { args[0], args[1], args[1] };

		rc = store_query_page(s, JOB_COLS, from, "j.created_at DESC, j.rowid DESC", all, 3,
				      page, &res);
	}
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the jobs");
	json_array_foreach(json_object_get(res, "items"), i, it)
		shape(it);
	*ret = res;
	return 0;
}

int jobs_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
	     struct cep_error *err)
{
	int rc = job_row(s, p, id, ret);

	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such job");
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the job") : 0;
}

int jobs_cancel(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		struct cep_error *err)
{
	json_t *job = NULL;
	const char *state;
	int rc = jobs_get(s, p, id, &job, err);

	if (rc < 0)
		return rc;
	state = json_string_value(json_object_get(job, "state"));
	if (jobs_allowed(p, CEP_ACT_ANALYSIS_RUN, json_string_value(json_object_get(job, "org"))) < 0)
		rc = cep_error_set(err, CEP_EPERM, NULL, "only its organisation cancels a job");
	else if (strcmp(state, "queued") && strcmp(state, "running"))
		rc = cep_error_set(err, CEP_ESEMANTIC, "state", "the job has already ended (%s)", state);
	json_decref(job);
	if (rc < 0)
		return rc;
	rc = store_begin(s);
	/* a queued job ends here; a running one is stopped by its worker */
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE sim_jobs SET cancel = 1, state = CASE state WHEN 'queued' THEN"
			       " 'cancelled' ELSE state END, finished_at = CASE state WHEN 'queued'"
			       " THEN ? ELSE finished_at END WHERE id = ? AND state IN"
			       " ('queued','running')",
			       (struct store_arg[]){ STORE_INT(cep_now()), STORE_TEXT(id) }, 2);
	rc = audit_commit(s, rc, p, "analysis.job.cancel", "sim_job", id, NULL, "the job", err);
	return rc < 0 ? rc : jobs_get(s, p, id, ret, err);
}

int jobs_file(struct store *s, const struct cep_principal *p, const char *id, const char *name,
	      char **ret_data, size_t *ret_len, const char **ret_type, struct cep_error *err)
{
	static const char *const types[] = { "application/json", "text/csv", "image/svg+xml",
					     "text/plain", NULL };
	struct store_stmt *st = NULL;
	json_t *job = NULL;
	int rc = jobs_get(s, p, id, &job, err);

	json_decref(job);
	if (rc < 0)
		return rc;
	rc = store_prepare(s, "SELECT content_type, data FROM sim_files WHERE job_id = ? AND name = ?",
			   &st);
	if (rc == 0)
		rc = store_bind_args(st, (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(name) }, 2);
	if (rc == 0)
		rc = store_step(st);
	if (rc == 1) {
		size_t len = store_col_bytes(st, 1);
		const char *type = store_col_text(st, 0);
		char *data = cep_malloc(len + 1);

		rc = data ? 0 : CEP_ENOMEM;
		if (data) {
			memcpy(data, store_col_blob(st, 1), len);
			data[len] = '\0';
			*ret_data = data;
			*ret_len = len;
			*ret_type = "application/octet-stream";
			for (const char *const *t = types; *t; t++)
				if (type && !strcmp(type, *t))
					*ret_type = *t;
		}
	} else if (rc == 0) {
		rc = CEP_ENOTFOUND;
	}
	store_finalize(st);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such file");
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the file") : 0;
}

/* ---- the worker's side ---- */

int jobs_claim(struct store *s, json_t **ret, char **ret_model, size_t *ret_model_len)
{
	struct store_stmt *st = NULL;
	json_t *job = NULL;
	char *model = NULL;
	size_t len = 0;
	int rc = store_begin(s);

	if (rc == 0)
		rc = store_query_one(s,
				     "SELECT id, kind, model_id AS model, options FROM sim_jobs"
				     " WHERE state = 'queued' ORDER BY created_at, rowid LIMIT 1",
				     NULL, 0, &job);
	if (rc == 0 && json_is_string(json_object_get(job, "model"))) {
		rc = store_prepare(s, "SELECT data FROM sim_models WHERE id = ?", &st);
		if (rc == 0)
			rc = store_bind_text(st, 1, json_string_value(json_object_get(job, "model")));
		if (rc == 0 && (rc = store_step(st)) == 1) {
			len = store_col_bytes(st, 0);
			model = cep_malloc(len + 1);
			rc = model ? 0 : CEP_ENOMEM;
			if (model) {
				memcpy(model, store_col_blob(st, 0), len);
				model[len] = '\0';
			}
		} else if (rc == 0) {
			rc = CEP_ENOTFOUND; /* deleted since it was queued: handled below */
		}
		store_finalize(st);
	}
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE sim_jobs SET state = 'running', started_at = ?, done = 0,"
			       " total = 0 WHERE id = ?",
			       (struct store_arg[]){ STORE_INT(cep_now()),
						     STORE_TEXT(json_string_value(json_object_get(job, "id"))) },
			       2);
	else if (rc == CEP_ENOTFOUND && job) { /* its model was deleted: it fails */
		rc = store_run(s,
			       "UPDATE sim_jobs SET state = 'failed', finished_at = ?,"
			       " error = 'the model was deleted' WHERE id = ?",
			       (struct store_arg[]){ STORE_INT(cep_now()),
						     STORE_TEXT(json_string_value(json_object_get(job, "id"))) },
			       2);
		if (rc == 0)
			rc = CEP_EBUSY; /* no job this time: the caller asks again */
	}
	if (rc == 0 || rc == CEP_EBUSY) {
		int c = store_commit(s);

		rc = c < 0 ? c : rc;
	} else {
		store_rollback(s);
	}
	if (rc < 0) {
		json_decref(job);
		cep_free(model);
		return rc;
	}
	*ret = job;
	*ret_model = model;
	*ret_model_len = len;
	return 0;
}

int jobs_progress(struct store *s, const char *id, unsigned long done, unsigned long total,
		  int *ret_cancel)
{
	int64_t cancel = 0;
	int rc = store_begin(s);

	if (rc == 0)
		rc = store_run(s, "UPDATE sim_jobs SET done = ?, total = ? WHERE id = ?",
			       (struct store_arg[]){ STORE_INT((int64_t)done), STORE_INT((int64_t)total),
						     STORE_TEXT(id) },
			       3);
	if (rc == 0)
		rc = store_query_int(s, "SELECT cancel FROM sim_jobs WHERE id = ?",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &cancel);
	if (rc == 0)
		rc = store_commit(s);
	else
		store_rollback(s);
	if (rc == 0)
		*ret_cancel = cancel != 0;
	return rc;
}

int jobs_finish(struct store *s, const char *id, const char *state, const char *error,
		const json_t *summary, const struct an_files *files)
{
	char *text = summary ? json_dumps(summary, JSON_COMPACT) : NULL;
	int rc;

	if (summary && !text)
		return CEP_ENOMEM;
	rc = store_begin(s);
	if (rc < 0) {
		cep_free(text);
		return rc;
	}

	for (size_t i = 0; rc == 0 && files && i < files->n; i++) {
		struct store_stmt *st = NULL;
		const struct an_file *f = &files->items[i];

		rc = store_prepare(s,
				   "INSERT INTO sim_files (job_id, name, content_type, data)"
				   " VALUES (?,?,?,?)",
				   &st);
		if (rc == 0)
			rc = store_bind_args(st, (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(f->name),
									STORE_TEXT(f->type) },
					     3);
		if (rc == 0)
			rc = store_bind_blob(st, 4, f->data, f->len);
		if (rc == 0) {
			int step = store_step(st);

			rc = step < 0 ? step : 0;
		}
		store_finalize(st);
	}
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE sim_jobs SET state = ?1, error = ?2, result = ?3, finished_at = ?4,"
			       " total = CASE ?1 WHEN 'done' THEN max(total, 1) ELSE total END,"
			       " done = CASE ?1 WHEN 'done' THEN max(total, 1) ELSE done END"
			       " WHERE id = ?5",
			       (struct store_arg[]){ STORE_TEXT(state), STORE_TEXT(error ? error : ""),
						     STORE_TEXT(text), STORE_INT(cep_now()), STORE_TEXT(id) },
			       5);
	if (rc == 0)
		rc = store_commit(s);
	else
		store_rollback(s);
	cep_free(text);
	return rc;
}

int jobs_requeue(struct store *s)
{
	int rc = store_begin(s);

	if (rc == 0)
		rc = store_run(s,
			       "UPDATE sim_jobs SET state = CASE cancel WHEN 0 THEN 'queued' ELSE"
			       " 'cancelled' END, started_at = NULL, done = 0, total = 0 WHERE state ="
			       " 'running'",
			       NULL, 0);
	if (rc == 0)
		return store_commit(s);
	store_rollback(s);
	return rc;
}
