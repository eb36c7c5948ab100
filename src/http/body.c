/* body.c - request bodies: the media type a route accepts, the cap on their size
 * (checked against Content-Length before reading, and again while reading, for chunked
 * uploads), and decoding JSON bodies. Raw bodies (file uploads) take any media type
 * and have their own cap. */
#include "http/internal.h"

#include "base/json.h"
#include "jobs/jobs.h"
#include "registry/registry.h"
#include "share/share.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* True when the Content-Type value ct (borrowed) is the media type want, ignoring
 * case, surrounding blanks and parameters ("application/json; charset=utf-8"). */
static bool media_type_is(const char *ct, const char *want)
{
	size_t n, m = strlen(want);

	while (*ct == ' ' || *ct == '\t')
		ct++;
	n = strcspn(ct, ";");
	while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	return n == m && strncasecmp(ct, want, m) == 0;
}

/* True when the request announces a body: a non-zero Content-Length, or chunks. */
static bool body_announced(struct http_req *r)
{
	const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);

	if (MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return true;
	return cl && strspn(cl, "0 \t") != strlen(cl);
}

int http_body_check_headers(struct http_req *r)
{
	const char *want = NULL, *ct, *cl;
	unsigned long long declared;

	switch (r->route->body) {
	case HTTP_BODY_JSON:
		want = "application/json";
		r->cap = r->srv->max_body;
		break;
	case HTTP_BODY_OPT_JSON:
		/* no body at all is fine; a body must be JSON */
		want = body_announced(r) ? "application/json" : NULL;
		r->cap = r->srv->max_body;
		break;
	case HTTP_BODY_CSV:
		want = "text/csv";
		r->cap = REG_IMPORT_MAX_BYTES;
		break;
	case HTTP_BODY_MODEL:
		want = "application/json";
		r->cap = JOBS_MODEL_MAX;
		break;
	case HTTP_BODY_RAW:
		/* any media type: the body is the file; the handler reads Content-Type */
		r->cap = SHARE_ATTACHMENT_MAX;
		break;
	case HTTP_BODY_NONE:
	default:
		r->cap = r->srv->max_body;
		break;
	}
	if (want) {
		ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_CONTENT_TYPE);
		if (!ct || !media_type_is(ct, want))
			return cep_error_set(&r->err, CEP_ETYPE, NULL,
					     "the request body must be sent as Content-Type: %s", want);
	}
	cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl) {
		/* MHD has already refused a malformed length; this only compares. */
		errno = 0;
		declared = strtoull(cl, NULL, 10);
		if (errno == ERANGE || declared > r->cap)
			return cep_error_set(&r->err, CEP_ETOOBIG, NULL,
					     "the request body is larger than %zu bytes", r->cap);
	}
	return 0;
}

void http_body_take(struct http_req *r, const char *data, size_t len)
{
	int rc;

	if (r->too_big || r->route->body == HTTP_BODY_NONE) {
		/* Read and dropped: past the cap, or a body the route does not use. */
		r->discarded += len;
		if (!r->too_big && r->discarded > r->cap) {
			r->too_big = true;
			cep_error_set(&r->err, CEP_ETOOBIG, NULL,
				      "the request body is larger than %zu bytes", r->cap);
		}
		return;
	}
	rc = cep_buf_append(&r->body, data, len);
	if (rc == 0)
		return;
	/* Stop keeping the body; the request is answered with the error. */
	r->too_big = true;
	r->discarded += len;
	cep_buf_free(&r->body);
	if (rc == CEP_ETOOBIG)
		cep_error_set(&r->err, rc, NULL, "the request body is larger than %zu bytes", r->cap);
	else
		cep_error_set(&r->err, rc, NULL, "out of memory");
}

int http_body_json(struct http_req *r)
{
	json_t *v = NULL;
	int rc;

	rc = cep_json_parse(r->body.data ? r->body.data : "", r->body.len, CEP_JSON_MAX_DEPTH, &v,
			    &r->err);
	if (rc < 0)
		return rc;
	if (!json_is_object(v)) {
		json_decref(v);
		return cep_error_set(&r->err, CEP_EINVAL, NULL,
				     "the request body must be a JSON object");
	}
	r->json = v;
	return 0;
}
