/* handlers_plan.c - the PDCA of the action plan and each year's plan
 * (/api/v1/plans/...) and the IT-failure statistics
 * (/api/v1/statistics/it-failures). Each handler decodes, calls one plan
 * service with the caller's principal (the service checks the policy and
 * validates), and encodes. r->params[0] is the plan id, r->params[1] a
 * pillar, measure or indicator id. */
#include "http/internal.h"

#include "base/alloc.h"
#include "plan/plan.h"

#include <stdio.h>
#include <string.h>

/* GET /api/v1/plans */
int http_h_plans(struct http_req *r, struct store *s)
{
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = plan_list(s, &r->principal, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/plans: a plan whole, with pillars and measures; 201 */
int http_h_plan_create(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_create(s, &r->principal, r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/plans/samples */
int http_h_plan_samples(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_samples(&v);

	(void)s;
	if (rc < 0)
		cep_error_set(&r->err, rc, NULL, "cannot read the samples");
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/plans/samples/{name}: load a sample plan; 201 */
int http_h_plan_sample_load(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_load_sample(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/plans/{id} */
int http_h_plan_get(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_get(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* DELETE /api/v1/plans/{id}; 204 */
int http_h_plan_delete(struct http_req *r, struct store *s)
{
	int rc = plan_delete(s, &r->principal, r->params[0], &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* PATCH /api/v1/plans/{id}: its titles, period, source, parent */
int http_h_plan_update(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_update(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/plans/{id}/pillars; 201 */
int http_h_plan_pillar_add(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_pillar_add(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* PATCH /api/v1/plans/{id}/pillars/{pid} */
int http_h_plan_pillar_update(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_pillar_update(s, &r->principal, r->params[0], r->params[1], r->json, &v,
				    &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* DELETE /api/v1/plans/{id}/pillars/{pid}; 204 */
int http_h_plan_pillar_delete(struct http_req *r, struct store *s)
{
	int rc = plan_pillar_delete(s, &r->principal, r->params[0], r->params[1], &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* POST /api/v1/plans/{id}/pillars/{pid}/measures; 201 */
int http_h_plan_measure_add(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_measure_add(s, &r->principal, r->params[0], r->params[1], r->json, &v,
				  &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* PATCH /api/v1/plans/{id}/measures/{mid} */
int http_h_plan_measure_update(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_measure_update(s, &r->principal, r->params[0], r->params[1], r->json, &v,
				     &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* DELETE /api/v1/plans/{id}/measures/{mid}?force=1; 204 */
int http_h_plan_measure_delete(struct http_req *r, struct store *s)
{
	bool force = false;
	int rc = http_query_bool(r, "force", &force);

	if (rc == 0)
		rc = plan_measure_delete(s, &r->principal, r->params[0], r->params[1], force,
					 &r->err);
	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* GET /api/v1/plans/{id}/measures?owner=&grade= */
int http_h_plan_measures(struct http_req *r, struct store *s)
{
	const char *owner = NULL, *grade = NULL;
	json_t *v = NULL;
	int rc = http_query_str(r, "owner", &owner);

	if (rc == 0)
		rc = http_query_str(r, "grade", &grade);
	if (rc == 0)
		rc = plan_measures(s, &r->principal, r->params[0], owner, grade, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/plans/{id}/measures/{mid}/progress */
int http_h_plan_progress(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_progress_list(s, &r->principal, r->params[0], r->params[1], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/plans/{id}/measures/{mid}/progress; 201 */
int http_h_plan_progress_add(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_progress_add(s, &r->principal, r->params[0], r->params[1], r->json, &v,
				   &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* POST /api/v1/plans/{id}/measures/{mid}/evaluation */
int http_h_plan_evaluate(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_evaluate(s, &r->principal, r->params[0], r->params[1], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/plans/{id}/summary */
int http_h_plan_summary(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_summary(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/plans/{id}/evaluation?format=json|csv */
int http_h_plan_evaluation(struct http_req *r, struct store *s)
{
	const char *format = NULL;
	char *out = NULL, name[96];
	size_t len = 0;
	json_t *v = NULL;
	int rc = http_query_str(r, "format", &format);

	if (rc == 0 && format && strcmp(format, "json") && strcmp(format, "csv"))
		rc = cep_error_set(&r->err, CEP_EINVAL, "format", "format must be json or csv");
	if (rc < 0)
		return rc;
	if (!format || !strcmp(format, "json")) {
		rc = plan_measures(s, &r->principal, r->params[0], NULL, NULL, &v, &r->err);
		return http_reply_result(r, MHD_HTTP_OK, rc, v);
	}
	rc = plan_evaluation_csv(s, &r->principal, r->params[0], &out, &len, &r->err);
	if (rc < 0)
		return rc;
	snprintf(name, sizeof(name), "evaluation-%.40s.csv", r->params[0]);
	return http_reply_csv(r, MHD_HTTP_OK, out, len, name);
}

/* GET /api/v1/plans/{id}/indicators */
int http_h_plan_indicators(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_indicators(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/plans/{id}/indicators; 201 */
int http_h_plan_indicator_add(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_indicator_add(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* POST /api/v1/plans/{id}/indicators/{iid}/values */
int http_h_plan_indicator_value(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = plan_indicator_value(s, &r->principal, r->params[0], r->params[1], r->json, &v,
				      &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/statistics/it-failures?year=&sector=&cause=&basis=&format= */
int http_h_stats_it_failures(struct http_req *r, struct store *s)
{
	struct plan_stats_query q = { 0 };
	const char *basis = NULL, *format = NULL;
	char *out = NULL;
	size_t len = 0;
	json_t *v = NULL;
	int rc = http_query_int(r, "year", PLAN_YEAR_MIN, PLAN_YEAR_MAX, 0, &q.year);

	if (rc == 0)
		rc = http_query_str(r, "sector", &q.sector);
	if (rc == 0)
		rc = http_query_str(r, "cause", &q.cause);
	if (rc == 0)
		rc = http_query_str(r, "basis", &basis);
	if (rc == 0 && basis && strcmp(basis, "fiscal") && strcmp(basis, "calendar"))
		rc = cep_error_set(&r->err, CEP_EINVAL, "basis", "basis must be fiscal or calendar");
	if (rc == 0)
		rc = http_query_str(r, "format", &format);
	if (rc == 0 && format && strcmp(format, "json") && strcmp(format, "csv"))
		rc = cep_error_set(&r->err, CEP_EINVAL, "format", "format must be json or csv");
	q.fiscal = !basis || !strcmp(basis, "fiscal");
	if (rc == 0)
		rc = plan_stats_it_failures(s, &r->principal, &q, &v, &r->err);
	if (rc < 0 || !format || !strcmp(format, "json"))
		return http_reply_result(r, MHD_HTTP_OK, rc, v);
	rc = plan_stats_csv(v, &out, &len);
	json_decref(v);
	if (rc < 0)
		return cep_error_set(&r->err, rc, NULL, "cannot write the statistics");
	return http_reply_csv(r, MHD_HTTP_OK, out, len, "it-failures.csv");
}
