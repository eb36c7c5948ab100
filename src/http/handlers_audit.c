/* handlers_audit.c - reading and verifying the audit trail (admin, auditor; the audit
 * service checks the policy). */
#include "http/internal.h"

#include "audit/audit.h"

/* GET /api/v1/audit */
int http_h_audit(struct http_req *r, struct store *s)
{
	const char *actor = NULL, *action = NULL, *object_type = NULL;
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "actor", &actor);
	if (rc == 0)
		rc = http_query_str(r, "action", &action);
	if (rc == 0)
		rc = http_query_str(r, "object_type", &object_type);
	if (rc == 0)
		rc = audit_list(s, &r->principal, actor, action, object_type, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* 200 with the report when the chain is intact; 409 when tampered, with the report
 * ("ok": false, "problems") and the usual "error" member in one body. */
int http_h_audit_verify(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = audit_verify(s, &r->principal, &v, &r->err);

	if (rc == CEP_ETAMPER && v) {
		http_reply_error(r, rc, &r->err, v);
		json_decref(v);
		return 0;
	}
	if (rc < 0) {
		json_decref(v);
		return rc;
	}
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}
