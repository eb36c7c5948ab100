/* handlers_drill.c - CEPTOAR drills (セプター訓練): start, read the figures (one
 * drill, the list, per member as JSON or CSV, the history of a CEPTOAR), the
 * drill messages of the caller's org's inbox and their acknowledgement, and the
 * public acknowledgement with a message's token. Each handler decodes, calls
 * one drill service with the caller's principal (the service checks the policy
 * and validates) and encodes. r->params[0] is a drill id. */
#include "http/internal.h"

#include "base/json.h"
#include "deliver/deliver.h"
#include "drill/drill.h"

#include <string.h>

/* GET /api/v1/drills?ceptoar=ID|all&limit=&offset= */
int http_h_drills(struct http_req *r, struct store *s)
{
	struct cep_page page;
	const char *ceptoar = NULL;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "ceptoar", &ceptoar);
	if (rc == 0)
		rc = drill_list(s, &r->principal, ceptoar, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/drills; 201 with "fanout": "pending". The fan-out is the
 * delivery worker's: it is woken at once rather than at its next poll. */
int http_h_drill_start(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = drill_start(s, &r->principal, r->json, &v, &r->err);

	if (rc == 0)
		deliver_kick(r->srv->deliver);
	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/drills/{id} */
int http_h_drill_get(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = drill_get(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/drills/{id}/members?result=&limit=&offset=, or ?format=csv (every member) */
int http_h_drill_members(struct http_req *r, struct store *s)
{
	struct cep_page page;
	const char *result = NULL, *format = NULL;
	char *csv = NULL;
	size_t len = 0;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "result", &result);
	if (rc == 0)
		rc = http_query_str(r, "format", &format);
	if (rc == 0 && format && strcmp(format, "json") && strcmp(format, "csv"))
		rc = cep_error_set(&r->err, CEP_EINVAL, "format", "format must be json or csv");
	if (rc == 0 && format && !strcmp(format, "csv")) {
		if (result)
			return cep_error_set(&r->err, CEP_EINVAL, "result",
					     "the CSV export has every member: leave result out");
		rc = drill_members_csv(s, &r->principal, r->params[0], &csv, &len, &r->err);
		if (rc < 0)
			return rc;
		return http_reply_csv(r, MHD_HTTP_OK, csv, len, "drill-members.csv"); /* takes csv */
	}
	if (rc == 0)
		rc = drill_members(s, &r->principal, r->params[0], result, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/drills/{id}/calls?limit&offset */
int http_h_drill_calls(struct http_req *r, struct store *s)
{
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = drill_calls(s, &r->principal, r->params[0], &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/drills/history?ceptoar=ID|all */
int http_h_drill_history(struct http_req *r, struct store *s)
{
	const char *ceptoar = NULL;
	json_t *v = NULL;
	int rc = http_query_str(r, "ceptoar", &ceptoar);

	if (rc == 0)
		rc = drill_history(s, &r->principal, ceptoar, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/drills/inbox?state=pending|acked&limit=&offset= */
int http_h_drill_inbox(struct http_req *r, struct store *s)
{
	struct cep_page page;
	const char *state = NULL;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "state", &state);
	if (rc == 0)
		rc = drill_inbox(s, &r->principal, state, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/drills/{id}/ack: no body (or {}); the caller's org's inbox target */
int http_h_drill_ack(struct http_req *r, struct store *s)
{
	static const char *const allowed[] = { NULL };
	json_t *v = NULL;
	int rc = r->json ? cep_json_only(r->json, allowed, &r->err) : 0;

	if (rc == 0)
		rc = drill_ack_inbox(s, &r->principal, r->params[0], &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/drills/{id}/targets/{target}/record {"outcome","at","note"}:
 * the outcome of a phone or FAX target, recorded by the secretariat */
int http_h_drill_record(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = drill_record(s, &r->principal, r->params[0], r->params[1], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/drills/ack {"token"}: public, the token is the credential;
 * an address that sent too many unknown tokens is refused for a while (429). */
int http_h_drill_ack_token(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	long wait = 0;
	int rc = http_token_allowed(r, &wait);

	if (rc == CEP_ELIMIT)
		return http_reply_limited(r, wait);
	rc = drill_ack_token(s, r->json, &v, &r->err);
	if (rc == CEP_ENOTFOUND)
		http_token_failed(r);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}
