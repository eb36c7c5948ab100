/* tokens.c - API tokens and web sessions: secrets shown once, stored hashed. */
#include "identity/internal.h"

#include "audit/audit.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/log.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define TOKEN_PREFIX "cep_"
#define SESSION_PREFIX "ces_"

/* A new random secret with prefix, and its hash. */
static void new_secret(const char *prefix, char secret[IDN_SECRET_MAX],
		       char hash[CEP_SHA256_HEX + 1])
{
	size_t n = strlen(prefix);

	memcpy(secret, prefix, n);
	cep_random_b64(secret + n, IDN_SECRET_MAX - n, 32);
	cep_sha256_hex(secret, strlen(secret), hash);
}

static int secret_shape(const char *secret, const char *prefix)
{
	size_t len = secret ? strlen(secret) : 0;

	return len > strlen(prefix) && len < IDN_SECRET_MAX &&
	       strncmp(secret, prefix, strlen(prefix)) == 0;
}

int idn_token_issue(struct store *s, const struct cep_principal *p, const char *user,
		    const char *label, int days, char **ret_secret, json_t **ret,
		    struct cep_error *err)
{
	char uid[CEP_ID_MAX] = "", id[CEP_UUID_LEN + 1], secret[IDN_SECRET_MAX];
	char hash[CEP_SHA256_HEX + 1], ts[CEP_TS_MAX];
	int64_t expires;
	json_t *detail = NULL, *res = NULL;
	char *copy = NULL;
	int rc;

	if (policy_check(p, CEP_ACT_TOKEN_ISSUE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "issuing tokens is not allowed");
	if (days == 0)
		days = IDN_TOKEN_DAYS_DEFAULT;
	if (days < 1 || days > IDN_TOKEN_DAYS_MAX)
		return cep_error_set(err, CEP_EINVAL, "days", "days must be between 1 and %d",
				     IDN_TOKEN_DAYS_MAX);
	if (!label)
		label = "";
	if (strlen(label) > 200)
		return cep_error_set(err, CEP_ETOOBIG, "label", "label is longer than 200 bytes");
	if (!user || !*user)
		return cep_error_set(err, CEP_EINVAL, "user", "user is required");
	cep_uuid(id);
	new_secret(TOKEN_PREFIX, secret, hash);
	expires = cep_now() + (int64_t)days * 86400;
	rc = store_begin(s);
	if (rc == 0) {
		rc = idn_user_resolve(s, user, "user", uid, err);
		if (rc == CEP_ENOTFOUND) {
			if (err)
				err->code = CEP_ESEMANTIC; /* a reference, not the path, is unknown */
			rc = CEP_ESEMANTIC;
		}
	}
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO tokens (id, user_id, label, hash, created_at, expires_at)"
			       " VALUES (?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(uid), STORE_TEXT(label),
						     STORE_TEXT(hash), STORE_INT(cep_now()),
						     STORE_INT(expires) },
			       6);
	cep_ts_utc(expires, ts);
	detail = json_pack("{s:s, s:s, s:s}", "user", uid, "label", label, "expires_at", ts);
	rc = audit_commit(s, rc, p, "token.issue", "token", id, detail, "the token", err);
	json_decref(detail);
	if (rc < 0)
		return rc;
	res = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "user", uid, "label", label, "expires_at",
			ts);
	copy = cep_strdup(secret);
	if (!res || !copy) {
		json_decref(res);
		cep_free(copy);
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	}
	*ret_secret = copy;
	*ret = res;
	return 0;
}

int idn_tokens(struct store *s, const struct cep_principal *p, const char *user,
	       const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	char now[CEP_TS_MAX];
	json_t *res = NULL;
	size_t i;
	json_t *it;
	int rc;

	if (!(policy_scope(p, CEP_ACT_TOKEN_READ) & CEP_SCOPE_ALL))
		return cep_error_set(err, CEP_EPERM, NULL, "listing tokens is not allowed");
	cep_ts_utc(cep_now(), now);
	rc = store_query_page(s,
			      "t.id, t.user_id AS user, u.name AS user_name, t.label, t.created_at,"
			      " t.expires_at, t.revoked_at",
			      "FROM tokens t JOIN users u ON u.id = t.user_id"
			      " WHERE (? IS NULL OR u.id = ? OR u.name = ?)",
			      "t.created_at DESC, t.id",
			      (struct store_arg[]){ STORE_TEXT(user), STORE_TEXT(user), STORE_TEXT(user) },
			      3, page, &res);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read tokens");
	json_array_foreach(json_object_get(res, "items"), i, it) {
		/* times are RFC 3339 UTC strings, which order as they compare */
		const char *exp = json_string_value(json_object_get(it, "expires_at"));
		const char *state = !json_is_null(json_object_get(it, "revoked_at")) ? "revoked" :
				    (exp && strcmp(exp, now) <= 0)                  ? "expired" :
										      "active";

		json_object_set_new(it, "state", json_string(state));
	}
	*ret = res;
	return 0;
}

int idn_token_revoke(struct store *s, const struct cep_principal *p, const char *token_id,
		     struct cep_error *err)
{
	int rc;

	if (policy_check(p, CEP_ACT_TOKEN_REVOKE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "revoking tokens is not allowed");
	if (!token_id || strlen(token_id) > 64)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such token");
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
			       (struct store_arg[]){ STORE_INT(cep_now()), STORE_TEXT(token_id) }, 2);
	if (rc == 0 && store_changes(s) == 0)
		rc = cep_error_set(err, CEP_ENOTFOUND, NULL, "no token with id %s", token_id);
	return audit_commit(s, rc, p, "token.revoke", "token", token_id, NULL, "the token", err);
}

int idn_auth_token(struct store *s, const char *secret, struct cep_principal *ret)
{
	char hash[CEP_SHA256_HEX + 1];
	json_t *row = NULL;
	int rc;

	if (!secret_shape(secret, TOKEN_PREFIX))
		return CEP_EAUTH;
	cep_sha256_hex(secret, strlen(secret), hash);
	rc = store_query_one(s,
			     "SELECT user_id FROM tokens WHERE hash = ? AND revoked_at IS NULL"
			     " AND (expires_at IS NULL OR expires_at > ?)",
			     (struct store_arg[]){ STORE_TEXT(hash), STORE_INT(cep_now()) }, 2, &row);
	if (rc < 0)
		return rc == CEP_ENOTFOUND ? CEP_EAUTH : rc;
	rc = idn_principal_load(s, json_string_value(json_object_get(row, "user_id")), ret);
	json_decref(row);
	return rc;
}

/* Verified against when the user is unknown, so both answers take as long. */
static char dummy_hash[CEP_PWHASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	if (cep_password_hash("ceptoar-timing-equaliser", dummy_hash) < 0)
		dummy_hash[0] = '\0';
}

int idn_login(struct store *s, const char *name, const char *password, char **ret_secret,
	      char **ret_csrf, struct cep_error *err)
{
	char id[CEP_UUID_LEN + 1], secret[IDN_SECRET_MAX], hash[CEP_SHA256_HEX + 1], csrf[64];
	struct cep_principal p;
	json_t *row = NULL;
	char *s1 = NULL, *s2 = NULL;
	int rc, ok = 0;

	if (!name || !password || strlen(name) > IDN_USER_NAME_MAX ||
	    strlen(password) > IDN_PASSWORD_MAX)
		return cep_error_set(err, CEP_EAUTH, NULL, "wrong user name or password");
	rc = store_query_one(s,
			     "SELECT id, password_hash FROM users WHERE name = ? AND disabled = 0"
			     " AND password_hash IS NOT NULL",
			     (struct store_arg[]){ STORE_TEXT(name) }, 1, &row);
	if (rc == 0) {
		ok = cep_password_verify(json_string_value(json_object_get(row, "password_hash")),
					 password);
	} else if (rc == CEP_ENOTFOUND) {
		pthread_once(&dummy_once, make_dummy);
		cep_password_verify(dummy_hash, password);
	} else {
		return cep_error_set(err, rc, NULL, "cannot read users");
	}
	if (!ok) {
		json_decref(row);
		cep_log(CEP_LOG_WARN, "identity: failed sign-in for %.64s", name);
		return cep_error_set(err, CEP_EAUTH, NULL, "wrong user name or password");
	}
	rc = idn_principal_load(s, json_string_value(json_object_get(row, "id")), &p);
	json_decref(row);
	if (rc < 0)
		return cep_error_set(err, CEP_EAUTH, NULL, "wrong user name or password");
	cep_uuid(id);
	new_secret(SESSION_PREFIX, secret, hash);
	cep_random_b64(csrf, sizeof(csrf), 24);
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO sessions (id, user_id, hash, csrf, created_at, expires_at)"
			       " VALUES (?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(p.user_id),
						     STORE_TEXT(hash), STORE_TEXT(csrf),
						     STORE_INT(cep_now()),
						     STORE_INT(cep_now() + IDN_SESSION_SECONDS) },
			       6);
	rc = audit_commit(s, rc, &p, "session.create", "session", id, NULL, "the session", err);
	if (rc < 0)
		return rc;
	s1 = cep_strdup(secret);
	s2 = cep_strdup(csrf);
	if (!s1 || !s2) {
		cep_free(s1);
		cep_free(s2);
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	}
	*ret_secret = s1;
	*ret_csrf = s2;
	return 0;
}

int idn_auth_session(struct store *s, const char *secret, struct cep_principal *ret,
		     char **ret_csrf)
{
	char hash[CEP_SHA256_HEX + 1];
	json_t *row = NULL;
	char *csrf = NULL;
	int rc;

	if (!secret_shape(secret, SESSION_PREFIX))
		return CEP_EAUTH;
	cep_sha256_hex(secret, strlen(secret), hash);
	rc = store_query_one(s,
			     "SELECT user_id, csrf FROM sessions WHERE hash = ? AND revoked_at IS NULL"
			     " AND expires_at > ?",
			     (struct store_arg[]){ STORE_TEXT(hash), STORE_INT(cep_now()) }, 2, &row);
	if (rc < 0)
		return rc == CEP_ENOTFOUND ? CEP_EAUTH : rc;
	rc = idn_principal_load(s, json_string_value(json_object_get(row, "user_id")), ret);
	if (rc == 0 && ret_csrf) {
		csrf = cep_strdup(json_string_value(json_object_get(row, "csrf")));
		if (!csrf)
			rc = CEP_ENOMEM;
		else
			*ret_csrf = csrf;
	}
	json_decref(row);
	return rc;
}

int idn_logout(struct store *s, const struct cep_principal *p, const char *secret,
	       bool everywhere, struct cep_error *err)
{
	char hash[CEP_SHA256_HEX + 1] = "";
	int rc;

	if (policy_check(p, CEP_ACT_SELF_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "not signed in");
	if (secret)
		cep_sha256_hex(secret, strlen(secret), hash);
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE sessions SET revoked_at = ? WHERE user_id = ?"
			       " AND revoked_at IS NULL AND (? <> 0 OR hash = ?)",
			       (struct store_arg[]){ STORE_INT(cep_now()), STORE_TEXT(p->user_id),
						     STORE_INT(everywhere), STORE_TEXT(hash) },
			       4);
	return audit_commit(s, rc, p, everywhere ? "session.revoke_all" : "session.revoke",
			  "user", p->user_id, NULL, "the session", err);
}
