/* identity.h - users, passwords (argon2id), API tokens and sessions.
 *
 * Secrets are shown once and stored only as SHA-256 hashes (they are 256-bit
 * random values, so a fast hash is enough); passwords only as argon2id.
 * Every change is audited in the same transaction. JSON results belong to
 * the caller. */
#ifndef CEP_IDENTITY_IDENTITY_H
#define CEP_IDENTITY_IDENTITY_H

#include "base/err.h"
#include "core/page.h"
#include "core/principal.h"
#include "store/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define IDN_USER_NAME_MAX 64      /* bytes: [A-Za-z0-9._@-] */
#define IDN_PASSWORD_MIN 12       /* characters */
#define IDN_PASSWORD_MAX 256      /* bytes */
#define IDN_TOKEN_DAYS_DEFAULT 90
#define IDN_TOKEN_DAYS_MAX 3650
#define IDN_SESSION_SECONDS (8 * 3600)
#define IDN_SECRET_MAX 128        /* bytes of a token or session secret incl. NUL */

/* Users. in: {"name","org" (id or code),"role","display_name"?,"email"?,"password"?}. */
int idn_user_add(struct store *s, const struct cep_principal *p, const json_t *in, json_t **ret,
		 struct cep_error *err);
/* Filters may be NULL: org (id or code), role. */
int idn_users(struct store *s, const struct cep_principal *p, const char *org, const char *role,
	      const struct cep_page *page, json_t **ret, struct cep_error *err);
int idn_user_get(struct store *s, const struct cep_principal *p, const char *id_or_name,
		 json_t **ret, struct cep_error *err);
/* in: any of {"role","display_name","email","disabled","password"}. Disabling a
 * user revokes its sessions. The last enabled admin cannot be disabled or demoted. */
int idn_user_update(struct store *s, const struct cep_principal *p, const char *id_or_name,
		    const json_t *in, json_t **ret, struct cep_error *err);

/* Tokens. Issue for user (id or name), valid for days (0 = default; max
 * IDN_TOKEN_DAYS_MAX). *ret_secret (caller frees with cep_free) is the only
 * copy of the token; *ret describes it (id, user, label, expires_at). */
int idn_token_issue(struct store *s, const struct cep_principal *p, const char *user,
		    const char *label, int days, char **ret_secret, json_t **ret,
		    struct cep_error *err);
/* Filter user may be NULL. Never returns secrets or hashes. */
int idn_tokens(struct store *s, const struct cep_principal *p, const char *user,
	       const struct cep_page *page, json_t **ret, struct cep_error *err);
int idn_token_revoke(struct store *s, const struct cep_principal *p, const char *token_id,
		     struct cep_error *err);

/* Resolve a bearer token to its principal: CEP_EAUTH when unknown, expired,
 * revoked, or its user is disabled. */
int idn_auth_token(struct store *s, const char *secret, struct cep_principal *ret);

/* Sessions for the web UI: check name+password, create a session.
 * *ret_secret and *ret_csrf are caller-owned (cep_free). CEP_EAUTH on bad
 * credentials (the same answer for unknown names). */
int idn_login(struct store *s, const char *name, const char *password, char **ret_secret,
	      char **ret_csrf, struct cep_error *err);
/* Resolve a session cookie; *ret_csrf (may be NULL, caller frees) receives its CSRF token. */
int idn_auth_session(struct store *s, const char *secret, struct cep_principal *ret,
		     char **ret_csrf);
/* End the session with this secret, or every session of p when everywhere. */
int idn_logout(struct store *s, const struct cep_principal *p, const char *secret,
	       bool everywhere, struct cep_error *err);

/* The principal of the enabled user with this name, for the console acting
 * on a user's behalf (`ceptoar report ... --as NAME`). CEP_ENOTFOUND when
 * there is no such enabled user. */
int idn_principal_by_name(struct store *s, const char *name, struct cep_principal *ret,
			  struct cep_error *err);

/* The principal's own account ("me"). */
int idn_me(struct store *s, const struct cep_principal *p, json_t **ret, struct cep_error *err);

/* First administrator: when no admin exists, create user `name` in org
 * "nisc" with a random password and a token, and write both to cred_path
 * (mode 0600, refusing to overwrite). *ret_created tells whether it did. */
int idn_bootstrap_admin(struct store *s, const char *name, const char *cred_path,
			bool *ret_created, struct cep_error *err);

#endif
