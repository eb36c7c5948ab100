/* handlers_exercise.c - cross-sector exercises (分野横断的演習): the plan,
 * members, the Master Scenario Events List (CSV and JSON), generation from an
 * analysis job, the scenario clock, the reveal, players' and controllers'
 * views, notes and the after-action report. Each handler decodes, calls one
 * exercise service with the caller's principal (the service checks the
 * policy and validates), and encodes. r->params[0] is the exercise id,
 * r->params[1] an inject id. Acting inside an exercise's world is not here:
 * any request may carry X-Ceptoar-Exercise (http_enter_world). */
#include "http/internal.h"

#include "base/alloc.h"
#include "base/json.h"
#include "deliver/deliver.h"
#include "exercise/exercise.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* GET /api/v1/exercises?limit=&offset= */
int http_h_exercises(struct http_req *r, struct store *s)
{
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = exercise_list(s, &r->principal, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/exercises/templates: the built-in scenarios (any signed-in user) */
int http_h_exercise_templates(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_templates(&v);

	(void)s;
	if (rc < 0)
		cep_error_set(&r->err, rc, NULL, "cannot read the templates");
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/exercises; 201 */
int http_h_exercise_create(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_create(s, &r->principal, r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/exercises/{id} */
int http_h_exercise_get(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_get(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* PATCH /api/v1/exercises/{id} */
int http_h_exercise_update(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_update(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* DELETE /api/v1/exercises/{id}: the exercise and everything of its world; 204 */
int http_h_exercise_delete(struct http_req *r, struct store *s)
{
	int rc = exercise_delete(s, &r->principal, r->params[0], &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* GET /api/v1/exercises/{id}/members */
int http_h_exercise_members(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_members(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/exercises/{id}/members {"role", "org"|"user", "team"}; 201 with the list */
int http_h_exercise_member_add(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_member_add(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* POST /api/v1/exercises/{id}/members/remove {"role", "org"|"user"}; 204 */
int http_h_exercise_member_remove(struct http_req *r, struct store *s)
{
	int rc = exercise_member_remove(s, &r->principal, r->params[0], r->json, &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* GET /api/v1/exercises/{id}/injects */
int http_h_exercise_injects(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_injects(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/exercises/{id}/injects; 201 */
int http_h_exercise_inject_add(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_inject_add(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* PATCH /api/v1/exercises/{id}/injects/{iid} */
int http_h_exercise_inject_update(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_inject_update(s, &r->principal, r->params[0], r->params[1], r->json, &v,
					&r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* DELETE /api/v1/exercises/{id}/injects/{iid}; 204 */
int http_h_exercise_inject_delete(struct http_req *r, struct store *s)
{
	int rc = exercise_inject_delete(s, &r->principal, r->params[0], r->params[1], &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* GET /api/v1/exercises/{id}/msel?format=csv|json */
int http_h_exercise_msel(struct http_req *r, struct store *s)
{
	const char *format = NULL;
	char *csv = NULL, name[96];
	size_t len = 0;
	json_t *v = NULL;
	int rc = http_query_str(r, "format", &format);

	if (rc == 0 && format && strcmp(format, "csv") && strcmp(format, "json"))
		rc = cep_error_set(&r->err, CEP_EINVAL, "format", "format must be csv or json");
	if (rc == 0 && format && !strcmp(format, "csv")) {
		rc = exercise_msel_csv(s, &r->principal, r->params[0], &csv, &len, &r->err);
		if (rc < 0)
			return rc;
		snprintf(name, sizeof(name), "msel-%.40s.csv", r->params[0]);
		return http_reply_csv(r, MHD_HTTP_OK, csv, len, name);
	}
	if (rc == 0)
		rc = exercise_injects(s, &r->principal, r->params[0], &v, &r->err);
	if (rc == 0) { /* the import's shape */
		json_t *out = json_pack("{s:O}", "injects", json_object_get(v, "items"));

		json_decref(v);
		v = out;
	}
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/exercises/{id}/msel?replace=1: the body an MSEL as text/csv or
 * application/json ({"injects": [...]}); all or nothing, bad rows listed in
 * "errors" next to the error */
int http_h_exercise_msel_import(struct http_req *r, struct store *s)
{
	const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_TYPE);
	json_t *v = NULL, *errors = NULL;
	bool replace = false;
	int csv = ct && !strncasecmp(ct, "text/csv", 8);
	int rc = http_query_bool(r, "replace", &replace);

	if (rc == 0 && !csv && !(ct && !strncasecmp(ct, "application/json", 16)))
		rc = cep_error_set(&r->err, CEP_EINVAL, "Content-Type",
				   "an MSEL is text/csv or application/json");
	if (rc == 0)
		rc = exercise_msel_import(s, &r->principal, r->params[0],
					  r->body.data ? r->body.data : "", r->body.len, csv, replace,
					  &v, &errors, &r->err);
	if (rc < 0 && errors) {
		json_t *extra = json_pack("{s:o}", "errors", errors);

		http_reply_error(r, rc, &r->err, extra);
		json_decref(extra);
		return 0;
	}
	json_decref(errors);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/exercises/{id}/generate {"job", "max_injects", "per_sector"} */
int http_h_exercise_generate(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_generate(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/exercises/{id}/clock {"action", "to"|"by", "speed"} */
int http_h_exercise_clock(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_clock(s, &r->principal, r->params[0], r->json, &v, &r->err);

	if (rc == 0) /* alerts of delivered injects wait for their fan-out */
		deliver_kick(r->srv->deliver);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/exercises/{id}/reveal: no body, or {} */
int http_h_exercise_reveal(struct http_req *r, struct store *s)
{
	static const char *const allowed[] = { NULL };
	json_t *v = NULL;
	int rc = r->json ? cep_json_only(r->json, allowed, &r->err) : 0;

	if (rc == 0)
		rc = exercise_reveal(s, &r->principal, r->params[0], &v, &r->err);
	if (rc == 0)
		deliver_kick(r->srv->deliver);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/exercises/{id}/status: live player status (controllers, evaluators) */
int http_h_exercise_status(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_status(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/exercises/{id}/player: a player's own view */
int http_h_exercise_player(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_player_view(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/exercises/{id}/notes */
int http_h_exercise_notes(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_notes(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/exercises/{id}/notes; 201 */
int http_h_exercise_note_add(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = exercise_note_add(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/exercises/{id}/report?format=json|csv|html: the after-action report */
int http_h_exercise_report(struct http_req *r, struct store *s)
{
	const char *format = NULL;
	char *out = NULL, name[96];
	size_t len = 0;
	json_t *v = NULL;
	int rc = http_query_str(r, "format", &format);

	if (rc == 0 && format && strcmp(format, "json") && strcmp(format, "csv") &&
	    strcmp(format, "html"))
		rc = cep_error_set(&r->err, CEP_EINVAL, "format", "format must be json, csv or html");
	if (rc == 0)
		rc = exercise_report(s, &r->principal, r->params[0], &v, &r->err);
	if (rc < 0 || !format || !strcmp(format, "json"))
		return http_reply_result(r, MHD_HTTP_OK, rc, v);
	rc = !strcmp(format, "csv") ? exercise_report_csv(v, &out, &len) :
				      exercise_report_html(v, &out, &len);
	json_decref(v);
	if (rc < 0)
		return cep_error_set(&r->err, rc, NULL, "cannot write the report");
	snprintf(name, sizeof(name), "after-action-%.40s.%s", r->params[0], format);
	return !strcmp(format, "csv") ?
		       http_reply_csv(r, MHD_HTTP_OK, out, len, name) :
		       http_reply_file(r, MHD_HTTP_OK, out, len, "text/html; charset=utf-8", name);
}
