/* auth.c - who is calling: a bearer token (Authorization: Bearer ...) or the web
 * session cookie, and the CSRF check that every change made with a cookie needs.
 * The identity service resolves the secrets; this file only finds them in the request. */
#include "http/internal.h"

#include "base/alloc.h"
#include "base/crypto.h"
#include "exercise/exercise.h"
#include "identity/identity.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Methods that change nothing, and so need no CSRF token. */
static bool safe_method(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* Authenticate with the bearer token in the Authorization header value hdr (borrowed).
 * Returns 0 with r->principal set, or an error with r->err filled. */
static int auth_bearer(struct http_req *r, struct store *s, const char *hdr)
{
	char token[IDN_SECRET_MAX];
	size_t n;
	int rc;

	if (strncasecmp(hdr, "Bearer ", 7) != 0)
		return cep_error_set(&r->err, CEP_EAUTH, NULL,
				     "the Authorization header must be \"Bearer <token>\"");
	hdr += 7;
	while (*hdr == ' ')
		hdr++;
	n = strlen(hdr);
	while (n > 0 && (hdr[n - 1] == ' ' || hdr[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof(token))
		return cep_error_set(&r->err, CEP_EAUTH, NULL, "invalid, expired or revoked token");
	memcpy(token, hdr, n);
	token[n] = '\0';
	rc = idn_auth_token(s, token, &r->principal);
	explicit_bzero(token, sizeof(token));
	if (rc == CEP_EAUTH)
		return cep_error_set(&r->err, rc, NULL, "invalid, expired or revoked token");
	if (rc < 0)
		return cep_error_set(&r->err, rc, NULL, "cannot check the token");
	return 0;
}

/* Authenticate with the session cookie value cookie (borrowed); for changes, the
 * X-CSRF-Token header must equal the session's token. Returns 0 with r->principal,
 * r->session and r->csrf (owned by r) set, or an error with r->err filled. */
static int auth_session(struct http_req *r, struct store *s, const char *cookie)
{
	struct cep_principal p;
	const char *hdr;
	char *csrf = NULL, *copy = NULL;
	int rc;

	if (strlen(cookie) >= IDN_SECRET_MAX) {
		rc = cep_error_set(&r->err, CEP_EAUTH, NULL,
				   "the session has ended or is invalid; sign in again");
		goto out;
	}
	rc = idn_auth_session(s, cookie, &p, &csrf);
	if (rc == CEP_EAUTH) {
		cep_error_set(&r->err, rc, NULL, "the session has ended or is invalid; sign in again");
		goto out;
	}
	if (rc < 0) {
		cep_error_set(&r->err, rc, NULL, "cannot check the session");
		goto out;
	}
	if (!safe_method(r->method)) {
		hdr = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, HTTP_CSRF_HEADER);
		if (!hdr || !csrf || !*csrf || !cep_streq_ct(hdr, csrf)) {
			rc = cep_error_set(&r->err, CEP_EPERM, NULL,
					   "missing or wrong " HTTP_CSRF_HEADER " header");
			goto out;
		}
	}
	copy = cep_strdup(cookie);
	if (!copy) {
		rc = cep_error_set(&r->err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	r->principal = p;
	r->session = copy;
	r->csrf = csrf; /* kept for GET /me */
	csrf = NULL;
out:
	if (csrf) {
		explicit_bzero(csrf, strlen(csrf));
		cep_free(csrf);
	}
	return rc;
}

int http_authenticate(struct http_req *r, struct store *s)
{
	const char *hdr = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						      MHD_HTTP_HEADER_AUTHORIZATION);
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
							 HTTP_SESSION_COOKIE);
	int rc;

	if (hdr && *hdr)
		rc = auth_bearer(r, s, hdr);
	else if (cookie && *cookie)
		rc = auth_session(r, s, cookie);
	else
		rc = cep_error_set(&r->err, CEP_EAUTH, NULL,
				   "authentication required: send \"Authorization: Bearer <token>\""
				   " or sign in");
	if (rc == 0)
		r->authed = true;
	return rc;
}

int http_session_cookie(const struct http_req *r, const char *secret, char *out, size_t size)
{
	/* "; Secure" is added once the server speaks TLS (struct http_server.tls). */
	const char *secure = r->srv->tls ? "; Secure" : "";
	int n;

	if (secret)
		n = snprintf(out, size, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s",
			     HTTP_SESSION_COOKIE, secret, secure);
	else
		n = snprintf(out, size, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
			     HTTP_SESSION_COOKIE, secure);
	return n < 0 || (size_t)n >= size ? CEP_ETOOBIG : 0;
}

int http_enter_world(struct http_req *r, struct store *s)
{
	const char *id = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, HTTP_EXERCISE_HEADER);

	if (!id || !*id || !r->authed)
		return 0;
	if (strlen(id) > 64)
		return cep_error_set(&r->err, CEP_ENOTFOUND, HTTP_EXERCISE_HEADER, "no such exercise");
	return exercise_enter(s, &r->principal, id, !safe_method(r->method), &r->err);
}
