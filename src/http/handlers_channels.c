/* handlers_channels.c - how deliveries reach organisations besides the web inbox:
 * an organisation's contacts (e-mail, webhook, phone, FAX), the channel record of a
 * delivery (every send and attempt), phone/FAX deliveries logged by hand by a CEPTOAR
 * secretariat, and the notices (escalation flags) of the caller's organisation.
 * Each handler decodes, calls one share service with the caller's principal (the
 * service checks the policy and validates), and encodes. r->params[0] is an
 * organisation (id or code) or a delivery id, r->params[1] a contact id. */
#include "http/internal.h"

#include "share/share.h"

/* GET /api/v1/orgs/{id}/contacts: the active contacts; secrets are never shown */
int http_h_contacts(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = share_contacts(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/orgs/{id}/contacts {"channel","address","label","secret"}; 201 with the
 * contact (with "secret" the one time the service generated it) */
int http_h_contact_add(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = share_contact_add(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* DELETE /api/v1/orgs/{id}/contacts/{cid}; 204. The contact is kept, inactive, for
 * the history of its sends; its pending sends fail. */
int http_h_contact_delete(struct http_req *r, struct store *s)
{
	int rc = share_contact_delete(s, &r->principal, r->params[0], r->params[1], &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* GET /api/v1/deliveries/{id}/channels: every send, attempt and manual entry */
int http_h_delivery_channels(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int64_t id = 0;
	int rc = http_path_delivery(r, r->params[0], &id);

	if (rc == 0)
		rc = share_delivery_channels(s, &r->principal, id, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/deliveries/{id}/manual {"channel": "phone"|"fax", "contact", "note"};
 * 201 with the entry */
int http_h_delivery_manual(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int64_t id = 0;
	int rc = http_path_delivery(r, r->params[0], &id);

	if (rc == 0)
		rc = share_manual_delivery_log(s, &r->principal, id, r->json, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/notices?limit=&offset=: the escalation notices of the caller's org */
int http_h_notices(struct http_req *r, struct store *s)
{
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = share_notices(s, &r->principal, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}
