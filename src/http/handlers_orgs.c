/* handlers_orgs.c - organisations, their critical services and systems, and the
 * operator CSV import. Each handler decodes, calls one registry service with the
 * caller's principal (policy and validation are the service's), and encodes.
 * r->params[0] is the org's id or code, r->params[1] a service or system id. */
#include "http/internal.h"

#include "registry/registry.h"

/* GET /api/v1/orgs */
int http_h_orgs(struct http_req *r, struct store *s)
{
	struct reg_org_filter f = { NULL, NULL, NULL, NULL };
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "kind", &f.kind);
	if (rc == 0)
		rc = http_query_str(r, "sector", &f.sector);
	if (rc == 0)
		rc = http_query_str(r, "ceptoar", &f.ceptoar);
	if (rc == 0)
		rc = http_query_str(r, "q", &f.q);
	if (rc == 0)
		rc = reg_orgs(s, &r->principal, &f, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/orgs/{id} */
int http_h_org_get(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = reg_org_get(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/orgs; 201 */
int http_h_org_create(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = reg_org_create(s, &r->principal, r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* PATCH /api/v1/orgs/{id} */
int http_h_org_update(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = reg_org_update(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* DELETE /api/v1/orgs/{id}; 204, or 409 while it has users */
int http_h_org_delete(struct http_req *r, struct store *s)
{
	int rc = reg_org_delete(s, &r->principal, r->params[0], &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* POST /api/v1/orgs/{id}/services; 201 */
int http_h_service_add(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = reg_service_add(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* DELETE /api/v1/orgs/{id}/services/{sid}; 204 */
int http_h_service_delete(struct http_req *r, struct store *s)
{
	int rc = reg_service_delete(s, &r->principal, r->params[0], r->params[1], &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* GET /api/v1/orgs/{id}/systems */
int http_h_systems(struct http_req *r, struct store *s)
{
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = reg_systems(s, &r->principal, r->params[0], &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/orgs/{id}/systems; 201 */
int http_h_system_add(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = reg_system_add(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* DELETE /api/v1/orgs/{id}/systems/{sid}; 204 */
int http_h_system_delete(struct http_req *r, struct store *s)
{
	int rc = reg_system_delete(s, &r->principal, r->params[0], r->params[1], &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* text/csv body (already capped at REG_IMPORT_MAX_BYTES); all or nothing. Answers 201:
 * the import creates organisations, services and systems. */
int http_h_org_import(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = reg_import_operators(s, &r->principal, r->body.data ? r->body.data : "",
				      r->body.len, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}
