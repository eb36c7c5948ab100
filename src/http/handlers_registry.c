/* handlers_registry.c - the reference registry: sectors, ministries, CEPTOARs,
 * agencies, channels, the threat taxonomy and the CEPTOAR characteristic map.
 * Each handler decodes the request, calls one registry service with the caller's
 * principal (the service checks the policy and validates), and encodes the answer.
 * JSON results are owned here until replied. */
#include "http/internal.h"

#include "registry/registry.h"

#include <string.h>

/* The shape of every "list with a page" reference endpoint. */
typedef int (*list_fn)(struct store *s, const struct cep_principal *p,
		       const struct cep_page *page, json_t **ret, struct cep_error *err);
/* The shape of every "one by id" reference endpoint. */
typedef int (*get_fn)(struct store *s, const struct cep_principal *p, const char *id,
		      json_t **ret, struct cep_error *err);

/* A paged list: ?limit=&offset= -> fn -> 200. */
static int list(struct http_req *r, struct store *s, list_fn fn)
{
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = fn(s, &r->principal, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* One object by the path's {id} -> fn -> 200 (404 from the service when absent). */
static int get(struct http_req *r, struct store *s, get_fn fn)
{
	json_t *v = NULL;
	int rc = fn(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/sectors */
int http_h_sectors(struct http_req *r, struct store *s)
{
	return list(r, s, reg_sectors);
}

/* GET /api/v1/sectors/{id} */
int http_h_sector_get(struct http_req *r, struct store *s)
{
	return get(r, s, reg_sector_get);
}

/* POST /api/v1/sectors; 201 */
int http_h_sector_add(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = reg_sector_add(s, &r->principal, r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/ministries */
int http_h_ministries(struct http_req *r, struct store *s)
{
	return list(r, s, reg_ministries);
}

/* GET /api/v1/ministries/{id} */
int http_h_ministry_get(struct http_req *r, struct store *s)
{
	return get(r, s, reg_ministry_get);
}

/* GET /api/v1/ceptoars */
int http_h_ceptoars(struct http_req *r, struct store *s)
{
	struct cep_page page;
	const char *sector = NULL;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "sector", &sector);
	if (rc == 0)
		rc = reg_ceptoars(s, &r->principal, sector, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/ceptoars/{id} */
int http_h_ceptoar_get(struct http_req *r, struct store *s)
{
	return get(r, s, reg_ceptoar_get);
}

/* GET /api/v1/agencies */
int http_h_agencies(struct http_req *r, struct store *s)
{
	return list(r, s, reg_agencies);
}

/* GET /api/v1/channels */
int http_h_channels(struct http_req *r, struct store *s)
{
	return list(r, s, reg_channels);
}

/* GET /api/v1/threats: the seed-004 threat taxonomy, categories with their types */
int http_h_threats(struct http_req *r, struct store *s)
{
	return list(r, s, reg_threats);
}

/* ?format= absent or json: the map as JSON; csv: a CSV download. */
int http_h_ceptoar_map(struct http_req *r, struct store *s)
{
	const char *format = NULL;
	char *csv = NULL;
	size_t len = 0;
	json_t *v = NULL;
	int rc = http_query_str(r, "format", &format);

	if (rc < 0)
		return rc;
	if (!format || strcmp(format, "json") == 0) {
		rc = reg_ceptoar_map(s, &r->principal, &v, &r->err);
		return http_reply_result(r, MHD_HTTP_OK, rc, v);
	}
	if (strcmp(format, "csv") != 0)
		return cep_error_set(&r->err, CEP_EINVAL, "format", "format must be json or csv");
	rc = reg_ceptoar_map_csv(s, &r->principal, &csv, &len, &r->err);
	if (rc < 0)
		return rc;
	return http_reply_csv(r, MHD_HTTP_OK, csv, len, "ceptoar-map.csv"); /* takes csv */
}
