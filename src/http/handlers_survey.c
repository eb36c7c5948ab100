/* handlers_survey.c - the yearly penetration survey (浸透状況調査): campaigns,
 * their questionnaire, opening, reminders and closing, an operator's own
 * answers, and the aggregates (JSON or CSV). Each handler decodes, calls one
 * survey service with the caller's principal (the service checks the policy
 * and validates), and encodes. r->params[0] is the survey id, r->params[1]
 * an organisation id. */
#include "http/internal.h"

#include "base/json.h"
#include "deliver/deliver.h"
#include "survey/survey.h"

#include <stdio.h>
#include <string.h>

/* GET /api/v1/surveys?sector=&year=&state= */
int http_h_surveys(struct http_req *r, struct store *s)
{
	const char *sector = NULL, *state = NULL;
	struct cep_page page;
	json_t *v = NULL;
	int year = 0;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "sector", &sector);
	if (rc == 0)
		rc = http_query_str(r, "state", &state);
	if (rc == 0)
		rc = http_query_int(r, "year", 2000, 2100, 0, &year);
	if (rc == 0)
		rc = survey_list(s, &r->principal, sector, year, state, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/surveys; 201 */
int http_h_survey_create(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = survey_create(s, &r->principal, r->json, &v, &r->err);

	if (rc == 0)
		deliver_kick(r->srv->deliver);
	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/surveys/{id} */
int http_h_survey_get(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = survey_get(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* PATCH /api/v1/surveys/{id} */
int http_h_survey_update(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = survey_update(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/surveys/{id}/questions; 201 */
int http_h_survey_question_add(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = survey_question_add(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* No body, or {}. */
static int empty_body(struct http_req *r)
{
	static const char *const allowed[] = { NULL };

	return r->json ? cep_json_only(r->json, allowed, &r->err) : 0;
}

/* POST /api/v1/surveys/{id}/open|close|remind: fn on the survey, then the
 * alerts to its respondents wait for their fan-out */
static int act(struct http_req *r, struct store *s,
	       int (*fn)(struct store *, const struct cep_principal *, const char *, json_t **,
			 struct cep_error *))
{
	json_t *v = NULL;
	int rc = empty_body(r);

	if (rc == 0)
		rc = fn(s, &r->principal, r->params[0], &v, &r->err);
	if (rc == 0)
		deliver_kick(r->srv->deliver);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

int http_h_survey_open(struct http_req *r, struct store *s)
{
	return act(r, s, survey_open);
}

int http_h_survey_close(struct http_req *r, struct store *s)
{
	return act(r, s, survey_close);
}

int http_h_survey_remind(struct http_req *r, struct store *s)
{
	return act(r, s, survey_remind);
}

/* GET /api/v1/surveys/{id}/answers[/{org}]: the caller's own org only */
int http_h_survey_answers(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = survey_answers(s, &r->principal, r->params[0], r->params[1], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/surveys/{id}/answers {"answers": [...], "submit"} */
int http_h_survey_answer(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = survey_answer(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* ?format=json|csv */
static int format_of(struct http_req *r, int *ret_csv)
{
	const char *format = NULL;
	int rc = http_query_str(r, "format", &format);

	if (rc == 0 && format && strcmp(format, "json") && strcmp(format, "csv"))
		rc = cep_error_set(&r->err, CEP_EINVAL, "format", "format must be json or csv");
	*ret_csv = format && !strcmp(format, "csv");
	return rc;
}

/* GET /api/v1/surveys/{id}/results?format=json|csv */
int http_h_survey_results(struct http_req *r, struct store *s)
{
	char *csv = NULL, name[96];
	size_t len = 0;
	json_t *v = NULL;
	int is_csv = 0;
	int rc = format_of(r, &is_csv);

	if (rc == 0)
		rc = survey_results(s, &r->principal, r->params[0], &v, &r->err);
	if (rc < 0 || !is_csv)
		return http_reply_result(r, MHD_HTTP_OK, rc, v);
	rc = survey_results_csv(v, &csv, &len);
	json_decref(v);
	if (rc < 0)
		return cep_error_set(&r->err, rc, NULL, "cannot write the results");
	snprintf(name, sizeof(name), "survey-%.40s-results.csv", r->params[0]);
	return http_reply_csv(r, MHD_HTTP_OK, csv, len, name);
}

/* GET /api/v1/surveys/trends?sector=&format=json|csv */
int http_h_survey_trends(struct http_req *r, struct store *s)
{
	const char *sector = NULL;
	char *csv = NULL;
	size_t len = 0;
	json_t *v = NULL;
	int is_csv = 0;
	int rc = format_of(r, &is_csv);

	if (rc == 0)
		rc = http_query_str(r, "sector", &sector);
	if (rc == 0)
		rc = survey_trends(s, &r->principal, sector, &v, &r->err);
	if (rc < 0 || !is_csv)
		return http_reply_result(r, MHD_HTTP_OK, rc, v);
	rc = survey_trends_csv(v, &csv, &len);
	json_decref(v);
	if (rc < 0)
		return cep_error_set(&r->err, rc, NULL, "cannot write the trends");
	return http_reply_csv(r, MHD_HTTP_OK, csv, len, "survey-trends.csv");
}
