/* handlers_share.c - the information-sharing system: IT-failure reports (情報連絡) and
 * their attachments, alerts (情報提供) and their deliveries, the inbox and
 * acknowledgements. Each handler decodes, calls one share service with the caller's
 * principal (the service checks the policy, applies TLP and scope, anonymises the
 * reporter and validates), and encodes. r->params[0] is a report, alert or delivery
 * id, r->params[1] an attachment id. */
#include "http/internal.h"

#include "base/alloc.h"
#include "base/json.h"
#include "deliver/deliver.h"
#include "share/share.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define CT_OCTETS "application/octet-stream"

/* ---- reports ---- */

/* GET /api/v1/reports?status=&sector=&cause=&tlp=&org=&q=&incident=&limit=&offset= */
int http_h_reports(struct http_req *r, struct store *s)
{
	struct share_report_filter f = { 0 };
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "status", &f.status);
	if (rc == 0)
		rc = http_query_str(r, "sector", &f.sector);
	if (rc == 0)
		rc = http_query_str(r, "cause", &f.cause);
	if (rc == 0)
		rc = http_query_str(r, "tlp", &f.tlp);
	if (rc == 0)
		rc = http_query_str(r, "org", &f.org);
	if (rc == 0)
		rc = http_query_str(r, "q", &f.q);
	if (rc == 0)
		rc = http_query_str(r, "incident", &f.incident);
	if (rc == 0)
		rc = share_reports(s, &r->principal, &f, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/reports; 201 */
int http_h_report_create(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = share_report_create(s, &r->principal, r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/reports/{id}[?version=N]: the current version, or version N (>= 1). */
int http_h_report_get(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int version = 0;
	int rc = http_query_int(r, "version", 1, INT_MAX, 0, &version);

	if (rc == 0)
		rc = share_report_get(s, &r->principal, r->params[0], version, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* PATCH /api/v1/reports/{id}: a new version ("version" = the one the client read;
 * a stale one is 409). */
int http_h_report_update(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = share_report_update(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/reports/{id}/attachments?name=FILE: the raw body is the file (capped
 * at SHARE_ATTACHMENT_MAX by the route), stored with the request's Content-Type
 * (default application/octet-stream); 201 with its description. */
int http_h_attachment_add(struct http_req *r, struct store *s)
{
	const char *name = NULL, *ct;
	json_t *v = NULL;
	int rc = http_query_str(r, "name", &name);

	if (rc == 0 && !name)
		rc = cep_error_set(&r->err, CEP_EINVAL, "name",
				   "the file name is required: ?name=FILE");
	if (rc == 0) {
		ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_CONTENT_TYPE);
		rc = share_attachment_add(s, &r->principal, r->params[0], name,
					  ct && *ct ? ct : CT_OCTETS,
					  r->body.data ? r->body.data : "", r->body.len, &v,
					  &r->err);
	}
	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* True for the characters RFC 8187 lets stand unencoded in an ext-value (attr-char). */
static bool attr_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$&+-.^_`|~", c) != NULL);
}

/* The Content-Disposition value for a download named name (borrowed; UTF-8):
 * `attachment; filename*=UTF-8''<percent-encoded name>`. Returns a new string
 * (caller frees with cep_free), or NULL when out of memory. */
static char *disposition(const char *name)
{
	static const char prefix[] = "attachment; filename*=UTF-8''";
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(name), k = sizeof(prefix) - 1;
	char *out = cep_malloc(sizeof(prefix) + 3 * n);

	if (!out)
		return NULL;
	memcpy(out, prefix, k);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (attr_char(c)) {
			out[k++] = (char)c;
		} else {
			out[k++] = '%';
			out[k++] = hex[c >> 4];
			out[k++] = hex[c & 15];
		}
	}
	out[k] = '\0';
	return out;
}

/* GET /api/v1/reports/{id}/attachments/{aid}: the file's bytes. Always sent as
 * application/octet-stream with nosniff and as an attachment, never with the type the
 * uploader claimed, so that no browser renders (or runs) what was uploaded. */
int http_h_attachment_get(struct http_req *r, struct store *s)
{
	struct MHD_Response *resp = NULL;
	const char *name;
	char *disp = NULL;
	void *data = NULL;
	size_t len = 0;
	json_t *meta = NULL;
	int rc = share_attachment_get(s, &r->principal, r->params[0], r->params[1], &data, &len,
				      &meta, &r->err);

	if (rc < 0)
		goto out;
	name = json_string_value(json_object_get(meta, "name"));
	disp = disposition(name && *name ? name : "attachment");
	/* the response takes data, freed by MHD with cep_free when it is destroyed */
	resp = MHD_create_response_from_buffer_with_free_callback(len, data, &cep_free);
	if (!resp) {
		rc = cep_error_set(&r->err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	data = NULL;
	if (!disp || MHD_add_response_header(resp, "Content-Type", CT_OCTETS) != MHD_YES ||
	    MHD_add_response_header(resp, "Content-Disposition", disp) != MHD_YES ||
	    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") != MHD_YES ||
	    MHD_add_response_header(resp, "Cache-Control", "no-store") != MHD_YES) {
		rc = cep_error_set(&r->err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (r->resp)
		MHD_destroy_response(r->resp);
	r->resp = resp;
	r->status = MHD_HTTP_OK;
	resp = NULL;
out:
	if (resp)
		MHD_destroy_response(resp);
	cep_free(data);
	cep_free(disp);
	json_decref(meta);
	return rc;
}

/* ---- alerts ---- */

/* GET /api/v1/alerts?severity=&q=&limit=&offset= */
int http_h_alerts(struct http_req *r, struct store *s)
{
	const char *severity = NULL, *q = NULL;
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "severity", &severity);
	if (rc == 0)
		rc = http_query_str(r, "q", &q);
	if (rc == 0)
		rc = share_alerts(s, &r->principal, severity, q, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/alerts; 201 with "fanout": "pending". The fan-out to the audience is
 * the delivery worker's: it is woken at once rather than at its next poll. */
int http_h_alert_create(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = share_alert_create(s, &r->principal, r->json, &v, &r->err);

	if (rc == 0)
		deliver_kick(r->srv->deliver);
	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* POST /api/v1/alerts/preview: who a draft's audience reaches */
int http_h_alert_preview(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = share_alert_preview(s, &r->principal, r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/alerts/{id} */
int http_h_alert_get(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = share_alert_get(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/alerts/{id}/deliveries?state=unacked|acked|escalated&limit=&offset= */
int http_h_alert_deliveries(struct http_req *r, struct store *s)
{
	const char *state = NULL;
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "state", &state);
	if (rc == 0)
		rc = share_alert_deliveries(s, &r->principal, r->params[0], state, &page, &v,
					    &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* ---- inbox and deliveries ---- */

/* GET /api/v1/inbox?state=unacked|acked&q=&limit=&offset= */
int http_h_inbox(struct http_req *r, struct store *s)
{
	const char *state = NULL, *q = NULL;
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "state", &state);
	if (rc == 0)
		rc = http_query_str(r, "q", &q);
	if (rc == 0)
		rc = share_inbox(s, &r->principal, state, q, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/deliveries/{id}: one delivery to the caller's org with its alert;
 * the first read marks it opened. */
int http_h_delivery_open(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int64_t id = 0;
	int rc = http_path_delivery(r, r->params[0], &id);

	if (rc == 0)
		rc = share_delivery_open(s, &r->principal, id, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/deliveries/{id}/ack: no body, or an empty JSON object. A second
 * acknowledgement answers the first one. */
int http_h_delivery_ack(struct http_req *r, struct store *s)
{
	static const char *const allowed[] = { NULL };
	json_t *v = NULL;
	int64_t id = 0;
	int rc = r->json ? cep_json_only(r->json, allowed, &r->err) : 0;

	if (rc == 0)
		rc = http_path_delivery(r, r->params[0], &id);
	if (rc == 0)
		rc = share_delivery_ack(s, &r->principal, id, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}
