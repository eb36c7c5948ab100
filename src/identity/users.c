/* users.c - user accounts. */
#include "identity/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>

#define USER_COLS                                                                        \
	"u.id, u.name, u.org_id AS org, o.code AS org_code, o.name_ja AS org_name_ja,"   \
	" o.name_en AS org_name_en, u.role, u.display_name, u.email,"                     \
	" CASE WHEN u.disabled <> 0 THEN 1 ELSE 0 END AS disabled,"                       \
	" CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS has_password,"           \
	" u.created_at, u.updated_at"

static int to_bools(json_t *items)
{
	size_t i;
	json_t *u;

	json_array_foreach(items, i, u) {
		json_object_set_new(u, "disabled",
				    json_boolean(json_integer_value(json_object_get(u, "disabled"))));
		json_object_set_new(u, "has_password", json_boolean(json_integer_value(
								 json_object_get(u, "has_password"))));
	}
	return 0;
}

int idn_user_resolve(struct store *s, const char *id_or_name, const char *field,
		     char ret_id[CEP_ID_MAX], struct cep_error *err)
{
	json_t *row = NULL;
	int rc;

	if (!id_or_name || strlen(id_or_name) > 200)
		return cep_error_set(err, CEP_ENOTFOUND, field, "no such user");
	rc = store_query_one(s, "SELECT id FROM users WHERE id = ? OR name = ? LIMIT 1",
			     (struct store_arg[]){ STORE_TEXT(id_or_name), STORE_TEXT(id_or_name) },
			     2, &row);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, field, "no user with id or name %s", id_or_name);
	if (rc < 0)
		return cep_error_set(err, rc, field, "cannot read users");
	snprintf(ret_id, CEP_ID_MAX, "%s", json_string_value(json_object_get(row, "id")));
	json_decref(row);
	return 0;
}

/* The facts of p's org that the sharing rules need: its CEPTOAR memberships
 * and whether it is the secretariat of a council-member CEPTOAR. */
static int load_memberships(struct store *s, struct cep_principal *p)
{
	struct store_stmt *st = NULL;
	int rc = store_prepare(s,
			       "SELECT ceptoar_id FROM org_ceptoars WHERE org_id = ?"
			       " ORDER BY ceptoar_id LIMIT " CEP_STR(CEP_MEMBERSHIPS_MAX),
			       &st);

	if (rc < 0)
		return rc;
	store_bind_text(st, 1, p->org_id);
	p->nceptoars = 0;
	while ((rc = store_step(st)) == 1 && p->nceptoars < CEP_MEMBERSHIPS_MAX)
		snprintf(p->ceptoars[p->nceptoars++], CEP_ID_MAX, "%s", store_col_text(st, 0));
	store_finalize(st);
	if (rc < 0)
		return rc;
	p->council = false;
	if (p->ceptoar_id[0]) {
		int64_t member = 0;

		rc = store_query_int(s, "SELECT council_member FROM ceptoars WHERE id = ?",
				     (struct store_arg[]){ STORE_TEXT(p->ceptoar_id) }, 1, &member);
		if (rc == CEP_ENOTFOUND)
			rc = 0;
		p->council = member != 0;
	}
	return rc;
}

int idn_principal_by_name(struct store *s, const char *name, struct cep_principal *ret,
			  struct cep_error *err)
{
	char id[CEP_ID_MAX];
	int rc = idn_user_resolve(s, name, "as", id, err);

	if (rc == 0 && idn_principal_load(s, id, ret) < 0)
		rc = cep_error_set(err, CEP_ENOTFOUND, "as", "user %s is disabled", name);
	return rc;
}

int idn_principal_load(struct store *s, const char *user_id, struct cep_principal *ret)
{
	struct store_stmt *st = NULL;
	struct cep_principal p;
	int rc = store_prepare(s,
			       "SELECT u.id, u.name, u.role, u.org_id, coalesce(o.ministry_id, ''),"
			       " coalesce(o.ceptoar_id, ''), coalesce(o.sector_id, ''), u.disabled"
			       " FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?",
			       &st);

	if (rc < 0)
		return rc;
	store_bind_text(st, 1, user_id);
	rc = store_step(st);
	if (rc == 1 && store_col_int(st, 7) == 0) {
		memset(&p, 0, sizeof(p));
		snprintf(p.user_id, sizeof(p.user_id), "%s", store_col_text(st, 0));
		snprintf(p.name, sizeof(p.name), "%s", store_col_text(st, 1));
		if (cep_role_parse(store_col_text(st, 2), &p.role) < 0)
			p.role = CEP_ROLE_NONE;
		snprintf(p.org_id, sizeof(p.org_id), "%s", store_col_text(st, 3));
		snprintf(p.ministry_id, sizeof(p.ministry_id), "%s", store_col_text(st, 4));
		snprintf(p.ceptoar_id, sizeof(p.ceptoar_id), "%s", store_col_text(st, 5));
		snprintf(p.sector_id, sizeof(p.sector_id), "%s", store_col_text(st, 6));
		rc = p.role == CEP_ROLE_NONE ? CEP_EAUTH : 0;
		if (rc == 0)
			rc = load_memberships(s, &p);
		if (rc == 0)
			*ret = p;
	} else if (rc >= 0) {
		rc = CEP_EAUTH;
	}
	store_finalize(st);
	return rc;
}

int idn_password_check(const char *pw, struct cep_error *err)
{
	size_t len = strlen(pw);

	if (len > IDN_PASSWORD_MAX)
		return cep_error_set(err, CEP_ETOOBIG, "password", "password is longer than %d bytes",
				     IDN_PASSWORD_MAX);
	if (!cep_utf8_valid(pw, len) || cep_text_has_control(pw, len, false))
		return cep_error_set(err, CEP_EINVAL, "password",
				     "password must be text without control characters");
	if (cep_utf8_count(pw, len) < IDN_PASSWORD_MIN)
		return cep_error_set(err, CEP_EINVAL, "password",
				     "password must have at least %d characters", IDN_PASSWORD_MIN);
	return 0;
}

static int name_check(const char *name, struct cep_error *err)
{
	size_t len = strlen(name);

	if (len == 0)
		return cep_error_set(err, CEP_EINVAL, "name", "name is required");
	if (len > IDN_USER_NAME_MAX)
		return cep_error_set(err, CEP_ETOOBIG, "name", "name is longer than %d bytes",
				     IDN_USER_NAME_MAX);
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-' || *c == '@'))
			return cep_error_set(err, CEP_EINVAL, "name",
					     "name may hold only letters, digits, '.', '_', '-', '@'");
	return 0;
}

/* The optional role member: CEP_EINVAL naming "role" when not a known role. */
static int role_member(const json_t *in, int required, const char **ret, struct cep_error *err)
{
	const char *role = NULL;
	enum cep_role r;
	int rc = required ? cep_json_req_string(in, "role", &role, err) :
			    cep_json_opt_string(in, "role", &role, err);

	if (rc == 0 && role && cep_role_parse(role, &r) < 0)
		rc = cep_error_set(err, CEP_EINVAL, "role",
				   "role must be one of admin, nisc, ministry, ceptoar, operator, "
				   "agency, auditor");
	if (rc == 0)
		*ret = role;
	return rc;
}

/* The optional password member, checked and hashed into hash (argon2id).
 * *ret is NULL when absent. */
static int password_member(const json_t *in, const char **ret, char hash[CEP_PWHASH_MAX],
			   struct cep_error *err)
{
	const char *password = NULL;
	int rc = cep_json_opt_string(in, "password", &password, err);

	if (rc == 0 && password)
		rc = idn_password_check(password, err);
	if (rc == 0 && password && cep_password_hash(password, hash) < 0)
		rc = cep_error_set(err, CEP_ENOMEM, "password", "cannot hash the password");
	if (rc == 0)
		*ret = password;
	return rc;
}

/* Text members of user input: display_name and email. */
static int user_texts(const json_t *in, const char **ret_display, const char **ret_email,
		      struct cep_error *err)
{
	const char *d = NULL, *e = NULL;
	int rc = cep_json_opt_string(in, "display_name", &d, err);

	if (rc == 0 && d && (rc = cep_text_check(d, 200, false)) < 0)
		rc = cep_error_set(err, rc, "display_name",
				   rc == CEP_ETOOBIG ? "display_name is longer than 200 characters" :
						       "display_name must be single-line text");
	if (rc == 0)
		rc = cep_json_opt_string(in, "email", &e, err);
	if (rc == 0 && e && *e &&
	    (strlen(e) > 254 || !strchr(e, '@') || cep_text_check(e, 254, false) < 0 || strchr(e, ' ')))
		rc = cep_error_set(err, CEP_EINVAL, "email", "email must be an e-mail address");
	if (rc < 0)
		return rc;
	*ret_display = d;
	*ret_email = e;
	return 0;
}

int idn_user_add(struct store *s, const struct cep_principal *p, const json_t *in, json_t **ret,
		 struct cep_error *err)
{
	static const char *const allowed[] = { "name", "org", "role", "display_name", "email",
					       "password", NULL };
	const char *name = NULL, *org = NULL, *role = NULL, *display = NULL, *email = NULL,
		   *password = NULL;
	char id[CEP_UUID_LEN + 1], hash[CEP_PWHASH_MAX];
	json_t *org_row = NULL, *detail = NULL;
	int rc;

	if (policy_check(p, CEP_ACT_USER_WRITE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "managing users is not allowed");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_req_string(in, "name", &name, err);
	if (rc == 0)
		rc = name_check(name, err);
	if (rc == 0)
		rc = cep_json_req_string(in, "org", &org, err);
	if (rc == 0)
		rc = role_member(in, 1, &role, err);
	if (rc == 0)
		rc = user_texts(in, &display, &email, err);
	if (rc == 0)
		rc = password_member(in, &password, hash, err);
	if (rc < 0)
		return rc;
	cep_uuid(id);
	rc = store_begin(s);
	if (rc == 0) {
		rc = store_query_one(s, "SELECT id FROM orgs WHERE id = ? OR code = ? LIMIT 1",
				     (struct store_arg[]){ STORE_TEXT(org), STORE_TEXT(org) }, 2,
				     &org_row);
		if (rc == CEP_ENOTFOUND)
			rc = cep_error_set(err, CEP_ESEMANTIC, "org",
					   "no organisation with id or code %s", org);
	}
	if (rc == 0) {
		rc = store_run(s,
			       "INSERT INTO users (id, name, org_id, role, display_name, email,"
			       " password_hash, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
			       (struct store_arg[]){
				       STORE_TEXT(id), STORE_TEXT(name),
				       STORE_TEXT(json_string_value(json_object_get(org_row, "id"))),
				       STORE_TEXT(role), STORE_TEXT(display ? display : ""),
				       STORE_TEXT(email ? email : ""),
				       STORE_TEXT(password ? hash : NULL), STORE_INT(cep_now()),
				       STORE_INT(cep_now()) },
			       9);
		if (rc == CEP_EEXIST)
			rc = cep_error_set(err, rc, "name", "a user named %s exists", name);
	}
	detail = json_pack("{s:s, s:s, s:s}", "name", name, "org", org, "role", role);
	rc = audit_commit(s, rc, p, "user.create", "user", id, detail, "the user", err);
	json_decref(detail);
	json_decref(org_row);
	if (rc < 0)
		return rc;
	return idn_user_get(s, p, id, ret, err);
}

int idn_users(struct store *s, const struct cep_principal *p, const char *org, const char *role,
	      const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	json_t *res = NULL;
	int rc;

	if (!(policy_scope(p, CEP_ACT_USER_READ) & CEP_SCOPE_ALL))
		return cep_error_set(err, CEP_EPERM, NULL, "listing users is not allowed");
	rc = store_query_page(s, USER_COLS,
			      "FROM users u JOIN orgs o ON o.id = u.org_id"
			      " WHERE (? IS NULL OR o.id = ? OR o.code = ?) AND (? IS NULL OR u.role = ?)",
			      "u.name",
			      (struct store_arg[]){ STORE_TEXT(org), STORE_TEXT(org), STORE_TEXT(org),
						    STORE_TEXT(role), STORE_TEXT(role) },
			      5, page, &res);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read users");
	to_bools(json_object_get(res, "items"));
	*ret = res;
	return 0;
}

int idn_user_get(struct store *s, const struct cep_principal *p, const char *id_or_name,
		 json_t **ret, struct cep_error *err)
{
	json_t *one = NULL, *arr;
	int rc;

	if (policy_check(p, CEP_ACT_USER_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "reading users is not allowed");
	if (!id_or_name || strlen(id_or_name) > 200)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such user");
	rc = store_query_one(s,
			     "SELECT " USER_COLS " FROM users u JOIN orgs o ON o.id = u.org_id"
			     " WHERE u.id = ? OR u.name = ? LIMIT 1",
			     (struct store_arg[]){ STORE_TEXT(id_or_name), STORE_TEXT(id_or_name) },
			     2, &one);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no user with id or name %s", id_or_name);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read users");
	arr = json_pack("[O]", one);
	to_bools(arr);
	json_decref(arr);
	*ret = one;
	return 0;
}

/* Would the change leave no enabled admin? */
static int last_admin(struct store *s, const char *user_id, int *ret)
{
	int64_t others = 0;
	int rc = store_query_int(s,
				 "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0"
				 " AND id <> ?",
				 (struct store_arg[]){ STORE_TEXT(user_id) }, 1, &others);

	if (rc == 0)
		*ret = others == 0;
	return rc;
}

int idn_user_update(struct store *s, const struct cep_principal *p, const char *id_or_name,
		    const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "role", "display_name", "email", "disabled",
					       "password", NULL };
	const char *role = NULL, *display = NULL, *email = NULL, *password = NULL;
	char id[CEP_ID_MAX], hash[CEP_PWHASH_MAX];
	const json_t *dis = json_object_get(in, "disabled");
	json_t *detail = NULL, *cur = NULL;
	int rc, is_last = 0;

	if (policy_check(p, CEP_ACT_USER_WRITE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "managing users is not allowed");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = role_member(in, 0, &role, err);
	if (rc == 0 && dis && !json_is_boolean(dis))
		rc = cep_error_set(err, CEP_EINVAL, "disabled", "disabled must be true or false");
	if (rc == 0)
		rc = user_texts(in, &display, &email, err);
	if (rc == 0)
		rc = password_member(in, &password, hash, err);
	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc == 0)
		rc = idn_user_resolve(s, id_or_name, NULL, id, err);
	if (rc == 0)
		rc = store_query_one(s, "SELECT role, disabled FROM users WHERE id = ?",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &cur);
	if (rc == 0 && !strcmp(json_string_value(json_object_get(cur, "role")), "admin") &&
	    ((role && strcmp(role, "admin") != 0) || json_is_true(dis))) {
		rc = last_admin(s, id, &is_last);
		if (rc == 0 && is_last)
			rc = cep_error_set(err, CEP_ESEMANTIC, role ? "role" : "disabled",
					   "this is the last enabled administrator");
	}
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE users SET role = coalesce(?, role),"
			       " display_name = coalesce(?, display_name), email = coalesce(?, email),"
			       " disabled = CASE WHEN ? < 0 THEN disabled ELSE ? END,"
			       " password_hash = coalesce(?, password_hash), updated_at = ?"
			       " WHERE id = ?",
			       (struct store_arg[]){ STORE_TEXT(role), STORE_TEXT(display),
						     STORE_TEXT(email),
						     STORE_INT(dis ? json_is_true(dis) : -1),
						     STORE_INT(dis ? json_is_true(dis) : 0),
						     STORE_TEXT(password ? hash : NULL),
						     STORE_INT(cep_now()), STORE_TEXT(id) },
			       8);
	/* disabling or a new password ends the user's sessions */
	if (rc == 0 && (json_is_true(dis) || password))
		rc = store_run(s,
			       "UPDATE sessions SET revoked_at = ? WHERE user_id = ?"
			       " AND revoked_at IS NULL",
			       (struct store_arg[]){ STORE_INT(cep_now()), STORE_TEXT(id) }, 2);
	detail = json_deep_copy(in);
	if (detail && password)
		json_object_set_new(detail, "password", json_string("(changed)"));
	rc = audit_commit(s, rc, p, "user.update", "user", id, detail, "the user", err);
	json_decref(detail);
	json_decref(cur);
	if (rc < 0)
		return rc;
	return idn_user_get(s, p, id, ret, err);
}

int idn_me(struct store *s, const struct cep_principal *p, json_t **ret, struct cep_error *err)
{
	json_t *one = NULL, *arr;
	int rc;

	if (policy_check(p, CEP_ACT_SELF_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "not signed in");
	rc = store_query_one(s,
			     "SELECT " USER_COLS " FROM users u JOIN orgs o ON o.id = u.org_id"
			     " WHERE u.id = ?",
			     (struct store_arg[]){ STORE_TEXT(p->user_id) }, 1, &one);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the account");
	arr = json_pack("[O]", one);
	to_bools(arr);
	json_decref(arr);
	*ret = one;
	return 0;
}
