/* handlers_standards.c - the Guideline for safety standards (指針): its
 * editions, items, differences and OSCAL form; the sectors' safety-standards
 * documents (安全基準等) and their coverage. Each handler decodes, calls one
 * standards service with the caller's principal (the service checks the
 * policy and validates), and encodes. r->params[0] is an edition or a
 * document id, r->params[1] an item id. */
#include "http/internal.h"

#include "standards/standards.h"

#include <stdio.h>
#include <string.h>

/* GET /api/v1/guideline: the editions */
int http_h_guideline_editions(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = std_editions(s, &r->principal, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/guideline: load an edition (catalog form or OSCAL); 201 */
int http_h_guideline_import(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = std_edition_import(s, &r->principal, r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/guideline/{edition}?mark=must|reference|any&kind= */
int http_h_guideline_edition(struct http_req *r, struct store *s)
{
	const char *mark = NULL, *kind = NULL;
	json_t *v = NULL;
	int rc = http_query_str(r, "mark", &mark);

	if (rc == 0)
		rc = http_query_str(r, "kind", &kind);
	if (rc == 0)
		rc = std_edition_get(s, &r->principal, r->params[0], mark, kind, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* DELETE /api/v1/guideline/{edition}; 204 */
int http_h_guideline_delete(struct http_req *r, struct store *s)
{
	int rc = std_edition_delete(s, &r->principal, r->params[0], &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* GET /api/v1/guideline/{edition}/items/{id} */
int http_h_guideline_item(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = std_item_get(s, &r->principal, r->params[0], r->params[1], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/guideline/{edition}/oscal: the OSCAL catalog, as a download */
int http_h_guideline_oscal(struct http_req *r, struct store *s)
{
	char name[96];
	json_t *v = NULL;
	int rc = std_oscal_export(s, &r->principal, r->params[0], &v, &r->err);

	if (rc == 0) {
		snprintf(name, sizeof(name), "attachment; filename=\"guideline-%.40s-oscal.json\"",
			 r->params[0]);
		rc = http_reply_json(r, MHD_HTTP_OK, v);
		if (rc == 0)
			rc = http_reply_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, name);
		json_decref(v);
		return rc;
	}
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/guideline/diff?from=&to= */
int http_h_guideline_diff(struct http_req *r, struct store *s)
{
	const char *from = NULL, *to = NULL;
	json_t *v = NULL;
	int rc = http_query_str(r, "from", &from);

	if (rc == 0)
		rc = http_query_str(r, "to", &to);
	if (rc == 0)
		rc = std_diff(s, &r->principal, from, to, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/guideline/coverage?sector=&edition= */
int http_h_guideline_coverage(struct http_req *r, struct store *s)
{
	const char *sector = NULL, *edition = NULL;
	json_t *v = NULL;
	int rc = http_query_str(r, "sector", &sector);

	if (rc == 0)
		rc = http_query_str(r, "edition", &edition);
	if (rc == 0)
		rc = std_coverage(s, &r->principal, sector, edition, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/guideline/documents?sector=&kind= */
int http_h_std_documents(struct http_req *r, struct store *s)
{
	const char *sector = NULL, *kind = NULL;
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "sector", &sector);
	if (rc == 0)
		rc = http_query_str(r, "kind", &kind);
	if (rc == 0)
		rc = std_documents(s, &r->principal, sector, kind, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/guideline/documents; 201 */
int http_h_std_document_create(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = std_document_create(s, &r->principal, r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/guideline/documents/{id} */
int http_h_std_document(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = std_document_get(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* PATCH /api/v1/guideline/documents/{id} */
int http_h_std_document_update(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = std_document_update(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* DELETE /api/v1/guideline/documents/{id}; 204 */
int http_h_std_document_delete(struct http_req *r, struct store *s)
{
	int rc = std_document_delete(s, &r->principal, r->params[0], &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}
