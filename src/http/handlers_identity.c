/* handlers_identity.c - users, API tokens, "me", and web sessions (sign in, sign out).
 * Each handler decodes, calls one identity service with the caller's principal (the
 * service checks the policy and validates), and encodes. Secrets pass through here once
 * and are wiped from memory after use. */
#include "http/internal.h"

#include "base/alloc.h"
#include "base/json.h"
#include "identity/identity.h"

#include <stdio.h>
#include <string.h>

/* Wipe and free a secret (owned; may be NULL). */
static void secret_free(char *secret)
{
	if (secret) {
		explicit_bzero(secret, strlen(secret));
		cep_free(secret);
	}
}

/* GET /api/v1/users */
int http_h_users(struct http_req *r, struct store *s)
{
	const char *org = NULL, *role = NULL;
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "org", &org);
	if (rc == 0)
		rc = http_query_str(r, "role", &role);
	if (rc == 0)
		rc = idn_users(s, &r->principal, org, role, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/users; 201 */
int http_h_user_add(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = idn_user_add(s, &r->principal, r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_CREATED, rc, v);
}

/* GET /api/v1/users/{id} */
int http_h_user_get(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = idn_user_get(s, &r->principal, r->params[0], &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* PATCH /api/v1/users/{id} */
int http_h_user_update(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = idn_user_update(s, &r->principal, r->params[0], r->json, &v, &r->err);

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* GET /api/v1/tokens */
int http_h_tokens(struct http_req *r, struct store *s)
{
	const char *user = NULL;
	struct cep_page page;
	json_t *v = NULL;
	int rc = http_query_page(r, &page);

	if (rc == 0)
		rc = http_query_str(r, "user", &user);
	if (rc == 0)
		rc = idn_tokens(s, &r->principal, user, &page, &v, &r->err);
	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* The optional integer member "days" of in into *ret (0, the service's default, when
 * absent or null). CEP_EINVAL naming "days" when of another type or not in
 * 1..IDN_TOKEN_DAYS_MAX (an explicit 0 is refused: it is no validity at all). */
static int days_member(const json_t *in, int *ret, struct cep_error *err)
{
	const json_t *d = json_object_get(in, "days");
	json_int_t x;

	if (!d || json_is_null(d)) {
		*ret = 0;
		return 0;
	}
	if (!json_is_integer(d))
		return cep_error_set(err, CEP_EINVAL, "days", "days must be an integer");
	x = json_integer_value(d);
	if (x < 1 || x > IDN_TOKEN_DAYS_MAX)
		return cep_error_set(err, CEP_EINVAL, "days", "days must be between 1 and %d",
				     IDN_TOKEN_DAYS_MAX);
	*ret = (int)x;
	return 0;
}

/* {"user","label","days"} -> 201 {"token": "<secret, shown once>", "id", ...}. */
int http_h_token_issue(struct http_req *r, struct store *s)
{
	static const char *const allowed[] = { "user", "label", "days", NULL };
	const char *user = NULL, *label = NULL;
	char *secret = NULL;
	json_t *v = NULL;
	int days = 0;
	int rc = cep_json_only(r->json, allowed, &r->err);

	if (rc == 0)
		rc = cep_json_opt_string(r->json, "user", &user, &r->err);
	if (rc == 0)
		rc = cep_json_opt_string(r->json, "label", &label, &r->err);
	if (rc == 0)
		rc = days_member(r->json, &days, &r->err);
	if (rc == 0)
		rc = idn_token_issue(s, &r->principal, user, label, days, &secret, &v, &r->err);
	if (rc == 0 && json_object_set_new(v, "token", json_string(secret)) != 0)
		rc = cep_error_set(&r->err, CEP_ENOMEM, NULL, "out of memory");
	secret_free(secret);
	rc = http_reply_result(r, MHD_HTTP_CREATED, rc, v);
	return rc;
}

/* DELETE /api/v1/tokens/{id}; 204 */
int http_h_token_revoke(struct http_req *r, struct store *s)
{
	int rc = idn_token_revoke(s, &r->principal, r->params[0], &r->err);

	return rc < 0 ? rc : http_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

/* GET /api/v1/me */
int http_h_me(struct http_req *r, struct store *s)
{
	json_t *v = NULL;
	int rc = idn_me(s, &r->principal, &v, &r->err);

	/* signed in with the cookie: the session's CSRF token, so that the web UI
	 * can make changes again after a reload (no other site can read it) */
	if (rc == 0 && r->csrf && json_object_set_new(v, "csrf", json_string(r->csrf)) < 0)
		rc = cep_error_set(&r->err, CEP_ENOMEM, NULL, "out of memory");

	return http_reply_result(r, MHD_HTTP_OK, rc, v);
}

/* POST /api/v1/sessions {"name","password"} (no authentication): sets the session
 * cookie and answers {"csrf": "..."}, the token every change made with the cookie
 * must send in X-CSRF-Token. */
int http_h_login(struct http_req *r, struct store *s)
{
	static const char *const allowed[] = { "name", "password", NULL };
	const char *name = NULL, *password = NULL;
	char *secret = NULL, *csrf = NULL;
	char cookie[IDN_SECRET_MAX + 128];
	json_t *v = NULL;
	long wait = 0;
	int rc = cep_json_only(r->json, allowed, &r->err);

	if (rc == 0)
		rc = cep_json_req_string(r->json, "name", &name, &r->err);
	if (rc == 0)
		rc = cep_json_req_string(r->json, "password", &password, &r->err);
	if (rc == 0)
		rc = http_login_allowed(r, name, &wait);
	if (rc == 0) {
		rc = idn_login(s, name, password, &secret, &csrf, &r->err);
		if (rc == 0 || rc == CEP_EAUTH)
			http_login_result(r, name, rc == 0);
	}
	if (rc == 0 && http_session_cookie(r, secret, cookie, sizeof(cookie)) < 0)
		rc = cep_error_set(&r->err, CEP_EIO, NULL, "session secret too long");
	if (rc == 0) {
		v = json_pack("{s:s}", "csrf", csrf);
		if (!v)
			rc = cep_error_set(&r->err, CEP_ENOMEM, NULL, "out of memory");
	}
	rc = http_reply_result(r, MHD_HTTP_OK, rc, v);
	if (rc == 0 && http_reply_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie) < 0)
		rc = cep_error_set(&r->err, CEP_ENOMEM, NULL, "out of memory");
	if (rc == CEP_ELIMIT) /* the error body, with when to come back */
		rc = http_reply_limited(r, wait);
	if (secret)
		explicit_bzero(cookie, sizeof(cookie));
	secret_free(secret);
	secret_free(csrf);
	return rc;
}

/* DELETE /api/v1/sessions[?everywhere=1]: ends the caller's session (or all of them)
 * and clears the cookie. */
int http_h_logout(struct http_req *r, struct store *s)
{
	char cookie[128];
	bool everywhere = false;
	int rc = http_query_bool(r, "everywhere", &everywhere);

	if (rc == 0)
		rc = idn_logout(s, &r->principal, r->session, everywhere, &r->err);
	if (rc == 0 && http_session_cookie(r, NULL, cookie, sizeof(cookie)) < 0)
		rc = cep_error_set(&r->err, CEP_EIO, NULL, "cookie too long");
	if (rc == 0)
		rc = http_reply_empty(r, MHD_HTTP_NO_CONTENT);
	if (rc == 0 && http_reply_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie) < 0)
		rc = cep_error_set(&r->err, CEP_ENOMEM, NULL, "out of memory");
	return rc;
}
