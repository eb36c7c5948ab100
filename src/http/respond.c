/* respond.c - every response of the API is built here: THE mapping from error codes
 * to statuses (http_status_for), the JSON, CSV, empty and error bodies, and the
 * headers that every response carries. */
#include "http/internal.h"

#include "base/alloc.h"
#include "base/log.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>

#define RESPONSE_MAX ((size_t)256 << 20) /* a JSON response larger than this is a bug */
#define CT_JSON "application/json; charset=utf-8"
#define CT_CSV "text/csv; charset=utf-8"

unsigned http_status_for(int cep_err_code)
{
	switch (cep_err_code) {
	case CEP_OK:
		return MHD_HTTP_OK;
	case CEP_EINVAL:
	case CEP_EPARSE:
		return MHD_HTTP_BAD_REQUEST;
	case CEP_EAUTH:
		return MHD_HTTP_UNAUTHORIZED;
	case CEP_EPERM:
		return MHD_HTTP_FORBIDDEN;
	case CEP_ENOTFOUND:
		return MHD_HTTP_NOT_FOUND;
	case CEP_EMETHOD:
		return MHD_HTTP_METHOD_NOT_ALLOWED;
	case CEP_EEXIST:
	case CEP_ETAMPER:
		return MHD_HTTP_CONFLICT;
	case CEP_ETOOBIG:
		return 413; /* Content Too Large (MHD's constant name differs between versions) */
	case CEP_ETYPE:
		return MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
	case CEP_ESEMANTIC:
		return 422; /* Unprocessable Content */
	case CEP_EBUSY:
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	case CEP_ELIMIT:
		return MHD_HTTP_TOO_MANY_REQUESTS;
	case CEP_EVERSION:
	default:
		return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
}

/* The "code" of an error body: cep_err_name(), narrowed to the codes docs/api.md lists
 * for each status. Every 500 says "internal" (out of memory, a newer database, ...; the
 * log has the detail), and a broken audit chain is a 409 "conflict" (its body also
 * carries the verification report). */
static const char *api_code_name(int code)
{
	if (http_status_for(code) == MHD_HTTP_INTERNAL_SERVER_ERROR)
		return cep_err_name(CEP_EIO);
	if (code == CEP_ETAMPER)
		return cep_err_name(CEP_EEXIST);
	return cep_err_name(code);
}

/* Add the security headers of every response (csp, normally HTTP_CSP; nosniff, no
 * framing, no referrer) to resp (borrowed). Returns 0 or CEP_ENOMEM. */
static int http_security_headers(struct MHD_Response *resp, const char *csp)
{
	if (MHD_add_response_header(resp, "Content-Security-Policy", csp) != MHD_YES ||
	    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") != MHD_YES ||
	    MHD_add_response_header(resp, "X-Frame-Options", "DENY") != MHD_YES ||
	    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer") != MHD_YES ||
	    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin") != MHD_YES ||
	    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin") != MHD_YES)
		return CEP_ENOMEM;
	return 0;
}

/* Add the headers every response carries with csp, and content_type when not
 * NULL. resp is borrowed. Returns 0 or CEP_ENOMEM. */
static int std_headers(struct MHD_Response *resp, const char *content_type, const char *csp)
{
	if (MHD_add_response_header(resp, "Cache-Control", "no-store") != MHD_YES ||
	    http_security_headers(resp, csp) < 0)
		return CEP_ENOMEM;
	if (content_type && MHD_add_response_header(resp, "Content-Type", content_type) != MHD_YES)
		return CEP_ENOMEM;
	return 0;
}

/* Make resp (ownership passes to r) r's response with status, replacing one not yet
 * queued. */
static void set_response(struct http_req *r, struct MHD_Response *resp, unsigned status)
{
	if (r->resp)
		MHD_destroy_response(r->resp);
	r->resp = resp;
	r->status = status;
}

/* Wrap data (ownership passes in; freed with cep_free in every case) in a response with
 * the standard headers, csp and content_type. Returns 0 with *ret set, or CEP_ENOMEM. */
static int make_response(char *data, size_t len, const char *content_type, const char *csp,
			 struct MHD_Response **ret)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer_with_free_callback(len, data, &cep_free);

	if (!resp) {
		cep_free(data);
		return CEP_ENOMEM;
	}
	if (std_headers(resp, content_type, csp) < 0) {
		MHD_destroy_response(resp); /* frees data through the callback */
		return CEP_ENOMEM;
	}
	*ret = resp;
	return 0;
}

/* json_dump_callback sink appending to a struct cep_buf. */
static int dump_to_buf(const char *buffer, size_t size, void *data)
{
	return cep_buf_append(data, buffer, size) < 0 ? -1 : 0;
}

int http_reply_json(struct http_req *r, unsigned status, const json_t *v)
{
	struct MHD_Response *resp = NULL;
	struct cep_buf b;
	size_t len;
	char *text;
	int rc = CEP_ENOMEM;

	cep_buf_init(&b, RESPONSE_MAX);
	if (json_dump_callback(v, dump_to_buf, &b, JSON_COMPACT | JSON_ENCODE_ANY) != 0 ||
	    cep_buf_append(&b, "\n", 1) < 0)
		goto out;
	len = b.len;
	text = cep_buf_steal(&b);
	if (!text)
		goto out;
	rc = make_response(text, len, CT_JSON, HTTP_CSP, &resp); /* takes text */
	if (rc == 0)
		set_response(r, resp, status);
out:
	cep_buf_free(&b);
	return rc;
}

int http_reply_result(struct http_req *r, unsigned status, int rc, json_t *v)
{
	if (rc == 0 && !v)
		rc = cep_error_set(&r->err, CEP_EIO, NULL, "the service returned no result");
	if (rc == 0)
		rc = http_reply_json(r, status, v);
	json_decref(v);
	return rc;
}

int http_reply_file(struct http_req *r, unsigned status, char *data, size_t len,
		    const char *content_type, const char *filename)
{
	struct MHD_Response *resp = NULL;
	char disp[256];
	/* nothing in a file runs, even if a browser is asked to render it */
	int rc = make_response(data, len, content_type, "default-src 'none'; sandbox",
			       &resp); /* takes data */

	if (rc < 0)
		goto out;
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
	if (MHD_add_response_header(resp, "Content-Disposition", disp) != MHD_YES) {
		rc = CEP_ENOMEM;
		goto out;
	}
	set_response(r, resp, status);
	resp = NULL;
out:
	if (resp)
		MHD_destroy_response(resp);
	return rc;
}

int http_reply_csv(struct http_req *r, unsigned status, char *data, size_t len,
		   const char *filename)
{
	return http_reply_file(r, status, data, len, CT_CSV, filename);
}

int http_reply_static(struct http_req *r, unsigned status, const void *data, size_t len,
		      const char *content_type)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);

	if (!resp)
		return CEP_ENOMEM;
	if (http_security_headers(resp, HTTP_CSP) < 0 ||
	    (content_type &&
	     MHD_add_response_header(resp, "Content-Type", content_type) != MHD_YES)) {
		MHD_destroy_response(resp);
		return CEP_ENOMEM;
	}
	set_response(r, resp, status);
	return 0;
}

int http_reply_empty(struct http_req *r, unsigned status)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"",
								    MHD_RESPMEM_PERSISTENT);

	if (!resp)
		return CEP_ENOMEM;
	if (std_headers(resp, NULL, HTTP_CSP) < 0) {
		MHD_destroy_response(resp);
		return CEP_ENOMEM;
	}
	set_response(r, resp, status);
	return 0;
}

int http_reply_header(struct http_req *r, const char *name, const char *value)
{
	if (!r->resp || MHD_add_response_header(r->resp, name, value) != MHD_YES)
		return CEP_ENOMEM;
	return 0;
}

/* Copy s (borrowed) into out (size bytes) so that the error body can always be encoded:
 * a message cut inside a UTF-8 sequence (by a size cap) loses the partial character;
 * any other invalid byte (a message may quote what the client sent) becomes '?'. */
static void safe_text(const char *s, char *out, size_t size)
{
	size_t n;

	snprintf(out, size, "%s", s);
	n = strlen(out);
	for (size_t cut = 0; cut < 4 && n > cut; cut++) {
		if (cep_utf8_valid(out, n - cut)) {
			out[n - cut] = '\0';
			return;
		}
	}
	for (char *p = out; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
}

/* The last resort when even the error body cannot be built. */
static void reply_fallback(struct http_req *r)
{
	static const char body[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}\n";
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);

	if (resp && std_headers(resp, CT_JSON, HTTP_CSP) < 0) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	if (resp) {
		set_response(r, resp, MHD_HTTP_INTERNAL_SERVER_ERROR);
	} else if (r->resp) {
		MHD_destroy_response(r->resp);
		r->resp = NULL;
	}
}

void http_reply_error(struct http_req *r, int code, const struct cep_error *err,
		      const json_t *extra)
{
	char msg[CEP_ERR_MSG_MAX], field[CEP_ERR_FIELD_MAX];
	json_t *body = NULL, *e = NULL;
	unsigned status;
	int c = err && err->code < 0 ? err->code : code;

	if (c >= 0)
		c = CEP_EIO; /* a handler failed without saying why */
	status = http_status_for(c);
	safe_text(err && err->message[0] ? err->message : cep_err_text(c), msg, sizeof(msg));
	safe_text(err ? err->field : "", field, sizeof(field));
	if (status >= 500)
		cep_log(CEP_LOG_ERROR, "http: %s %s: %s: %s", r->method, r->log_path,
			cep_err_name(c), msg);

	body = extra ? json_deep_copy(extra) : json_object();
	e = json_pack("{s:s, s:s}", "code", api_code_name(c), "message", msg);
	if (!body || !json_is_object(body) || !e ||
	    (field[0] && json_object_set_new(e, "field", json_string(field)) != 0) ||
	    json_object_set(body, "error", e) != 0 || http_reply_json(r, status, body) < 0) {
		reply_fallback(r);
		goto out;
	}
	if (status == MHD_HTTP_UNAUTHORIZED)
		http_reply_header(r, "WWW-Authenticate", "Bearer");
	else if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
		http_reply_header(r, "Retry-After", "1");
out:
	json_decref(e);
	json_decref(body);
}
