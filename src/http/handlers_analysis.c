/* handlers_analysis.c - interdependency analysis (相互依存性解析): the facility
 * models analysts upload and the jobs run on them by the analysis worker, never
 * on these threads: a job is answered 202 at once, then followed by its progress
 * and read with its files. Each handler decodes, calls one jobs service with the
 * caller's principal (the service checks the policy and validates), and encodes.
 * r->params[0] is a model or job id, r->params[1] a file name. */
#include "http/internal.h"

#include "base/json.h"
#include "jobs/jobs.h"

/* GET /api/v1/analysis/models?limit=&offset= */
int http_h_models(struct http_req *r, struct store *s)
{
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = jobs_models(s, &r->principal, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/analysis/models?name=NAME: the body is the model (JSON); 201 */
int http_h_model_add(struct http_req *r, struct store *s)
{
	const char *name = NULL;
	json_t *v = NULL;
	int rc = http_query_str(r, "name", &name);

	if (rc == 0 && !name)
		rc = cep_error_set(&r->err, CEP_EINVAL, "name", "name is required (?name=...)");
	if (rc == 0)
		rc = jobs_model_add(s, &r->principal, name, r->body.data ? r->body.data : "",
				    r->body.len, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/analysis/models/{id} */
int http_h_model_get(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = jobs_model_get(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* DELETE /api/v1/analysis/models/{id}; 204 */
int http_h_model_delete(struct http_req *r, struct store *s)
{
	int rc = jobs_model_delete(s, &r->principal, r->params[0], &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* GET /api/v1/analysis/jobs?state=&limit=&offset= */
int http_h_jobs(struct http_req *r, struct store *s)
{
	struct cep_page page;
	const char *state = NULL;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "state", &state);
	if (rc == 0)
		rc = jobs_list(s, &r->principal, state, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/analysis/jobs {"kind","model","options"}; 202 with the queued job */
int http_h_job_submit(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = jobs_submit(s, &r->principal, r->json, &v, &r->err);

	if (rc == 0)
		jobs_kick(r->srv->jobs);
	return http_reply_result(r, MHD_HTTP_ACCEPTED, rc, v);
}

/* GET /api/v1/analysis/jobs/{id}: state, progress, summary, files */
int http_h_job_get(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = jobs_get(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/analysis/jobs/{id}/cancel: no body, or {} */
int http_h_job_cancel(struct http_req *r, struct store *s)
{
	static const char *const allowed[] = { NULL };
	json_t *v = NULL;
	int rc = r->json ? cep_json_only(r->json, allowed, &r->err) : 0;

	if (rc == 0)
		rc = jobs_cancel(s, &r->principal, r->params[0], &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/analysis/jobs/{id}/files/{name}: a file the job wrote, as a download */
int http_h_job_file(struct http_req *r, struct store *s)
{
	const char *type = NULL;
	char *data = NULL;
	size_t len = 0;
	int rc = jobs_file(s, &r->principal, r->params[0], r->params[1], &data, &len, &type,
			   &r->err);

	if (rc < 0)
		return rc;
	/* names come from the engine (result.json, timeline.svg): safe in the header */
	return http_reply_file(r, MHD_HTTP_OK, data, len, type, r->params[1]);
}
