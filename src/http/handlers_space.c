/* handlers_space.c - the shared spaces around reports and alerts: the signing keys
 * and the verification of exported alerts, common-threat correlations and their
 * exclusion list (共通脅威), the CEPTOAR Council space (セプターカウンシル), and
 * large-scale incidents (平時と異なる体制) with their situation reports. Each handler
 * decodes, calls one share service with the caller's principal (the service checks
 * the policy and validates), and encodes. r->params[0] is a council item or an
 * incident id. JSON results are owned here until replied. */
#include "http/internal.h"

#include "base/json.h"
#include "share/share.h"


/* ---- signatures ---- */

/* GET /api/v1/keys: the installation's public signing keys */
int http_h_keys(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = share_keys(s, &r->principal, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/alerts/verify: the body is an exported alert (as GET /api/v1/alerts/{id}
 * answers it). 200 {"valid": true, "key_id"} when its signature is that of the
 * installation's key it names over its canonical form; 200 {"valid": false, "reason",
 * "key_id"} when it does not match (the request is fine, the alert is not); 400 when
 * it carries no signature. Any authenticated user may ask: the keys are public. */
int http_h_alert_verify(struct http_req *r, struct store *s)
{
	const json_t *kid = json_object_get(json_object_get(r->json, "signature"), "key_id");
	json_t *v = NULL;
	int rc = share_alert_verify_stored(s, r->json, &r->err);

	if (rc == CEP_ETAMPER) {
		v = json_pack("{s:b, s:s, s:O?}", "valid", 0, "reason", r->err.message, "key_id",
			      json_is_string(kid) ? kid : NULL);
		cep_error_init(&r->err); /* not an error of the request */
		rc = v ? 0 : cep_error_set(&r->err, CEP_ENOMEM, NULL, "out of memory");
	} else if (rc == 0) {
		v = json_pack("{s:b, s:O}", "valid", 1, "key_id", kid);
		rc = v ? 0 : cep_error_set(&r->err, CEP_ENOMEM, NULL, "out of memory");
	}
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* ---- common threats ---- */

/* GET /api/v1/correlations?max_records=N&limit=&offset= (N: 2..SHARE_CORRELATION_MAX,
 * default SHARE_CORRELATION_DEFAULT) */
int http_h_correlations(struct http_req *r, struct store *s)
{
	struct cep_page page;
	json_t *v = NULL;
	int max = SHARE_CORRELATION_DEFAULT;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_int(r, "max_records", 2, SHARE_CORRELATION_MAX,
				    SHARE_CORRELATION_DEFAULT, &max);
	if (rc == 0)
		rc = share_correlations(s, &r->principal, max, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/correlations/exclusions?limit=&offset= */
int http_h_correlation_exclusions(struct http_req *r, struct store *s)
{
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = share_correlation_exclusions(s, &r->principal, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/correlations/exclusions {"type","value","reason"}; 201 with the
 * exclusion as given (the service keeps the value's normal form). */
int http_h_correlation_exclude(struct http_req *r, struct store *s)
{
	const char *reason = json_string_value(json_object_get(r->json, "reason"));
	json_t *v = NULL;
	int rc = share_correlation_exclude(s, &r->principal, r->json, &r->err);

	if (rc == 0) {
		v = json_pack("{s:O, s:O, s:s}", "type", json_object_get(r->json, "type"), "value",
			      json_object_get(r->json, "value"), "reason", reason ? reason : "");
		rc = v ? 0 : cep_error_set(&r->err, CEP_ENOMEM, NULL, "out of memory");
	}
	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* ---- the CEPTOAR Council space ---- */

/* GET /api/v1/council?limit=&offset=: the items the caller may read, newest first */
int http_h_council_items(struct http_req *r, struct store *s)
{
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = share_council_items(s, &r->principal, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/council {"title","body","tlp","shared_with_government"}; 201 */
int http_h_council_post(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = share_council_post(s, &r->principal, NULL, r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/council/{id}: one item with its replies (404 when hidden) */
int http_h_council_item(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = share_council_item(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/council/{id}/replies {"body","tlp","shared_with_government"}; 201 with
 * the item and its replies */
int http_h_council_reply(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = share_council_post(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* ---- large-scale incidents ---- */

/* GET /api/v1/incidents?state=open|closed&limit=&offset= */
int http_h_incidents(struct http_req *r, struct store *s)
{
	const char *state = NULL;
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "state", &state);
	if (rc == 0)
		rc = share_incidents(s, &r->principal, state, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/incidents {"title","description","ack_hours","sitrep_minutes"}; 201 */
int http_h_incident_declare(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = share_incident_declare(s, &r->principal, r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/incidents/{id} */
int http_h_incident_get(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = share_incident_get(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/incidents/{id}/close: no body (or {}); 200 with the closed incident */
int http_h_incident_close(struct http_req *r, struct store *s)
{
	static const char *const allowed[] = { NULL };
	json_t *v = NULL;
	int rc = r->json ? cep_json_only(r->json, allowed, &r->err) : 0;

	if (rc == 0)
		rc = share_incident_close(s, &r->principal, r->params[0], &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/incidents/{id}/links {"report": id} or {"alert": id}; 204 */
int http_h_incident_link(struct http_req *r, struct store *s)
{
	int rc = share_incident_link(s, &r->principal, r->params[0], r->json, &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* GET /api/v1/incidents/{id}/sitrep[?keep=1]: the situation report as the caller may
 * see it; keep=1 also stores it (NISC only; ignored for others). */
int http_h_incident_sitrep(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	bool keep = false;
	int rc = http_query_bool(r, "keep", &keep);

	if (rc == 0)
		rc = share_incident_sitrep(s, &r->principal, r->params[0], keep, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}
