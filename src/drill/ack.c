/* ack.c - a member's side of a drill: the drill messages of its org's inbox,
 * acknowledged signed in, and the acknowledgement with a message's token (no
 * account: the token is the credential; looked up by its SHA-256, so the
 * comparison is the index's and no clear token is stored). A second
 * acknowledgement changes nothing. Acknowledgements are audited (drill.ack). */
#include "drill/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"

#include <stdio.h>
#include <string.h>

#define INBOX_COLS                                                                          \
	"d.id AS drill, d.title, d.message_ja, d.message_en, d.deadline_at,"                  \
	" d.org_id AS sender, so.name_ja AS sender_name_ja, so.name_en AS sender_name_en,"    \
	" d.ceptoar_id AS ceptoar, t.reached_at, t.acked_at, t.acked_by, d.created_at, "       \
	DRILL_ON_TIME_SQL
#define INBOX_FROM                                                                          \
	"FROM drill_targets t JOIN drills d ON d.id = t.drill_id"                            \
	" JOIN orgs so ON so.id = d.org_id WHERE t.org_id = ? AND t.channel = 'inbox'"

/* Only principals whose org may acknowledge have a drill inbox. */
static int may_ack(const struct cep_principal *p, struct cep_error *err)
{
	struct cep_object o = { .nceptoars = 0 };

	snprintf(o.org_id, sizeof(o.org_id), "%s", p->org_id);
	if (!p->org_id[0] || policy_check(p, CEP_ACT_DRILL_ACK, &o) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "this account receives no drill messages");
	return 0;
}

int drill_inbox(struct store *s, const struct cep_principal *p, const char *state,
		const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	const char *state_sql = "";
	char from[1024];
	json_t *res = NULL, *it;
	size_t i;
	int rc = may_ack(p, err);

	if (rc < 0)
		return rc;
	if (state && !strcmp(state, "pending"))
		state_sql = " AND t.acked_at IS NULL";
	else if (state && !strcmp(state, "acked"))
		state_sql = " AND t.acked_at IS NOT NULL";
	else if (state)
		return cep_error_set(err, CEP_EINVAL, "state", "state must be pending or acked");
	snprintf(from, sizeof(from), "%s%s", INBOX_FROM, state_sql);
	rc = store_query_page(s, INBOX_COLS, from, "d.created_at DESC, t.id DESC",
			      (struct store_arg[]){ STORE_TEXT(p->org_id) }, 1, page, &res);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the drill messages");
	json_array_foreach(json_object_get(res, "items"), i, it)
		if (rc == 0)
			rc = drill_on_time(it);
	if (rc < 0) {
		json_decref(res);
		return cep_error_set(err, rc, NULL, "out of memory");
	}
	*ret = res;
	return 0;
}

int drill_ack_inbox(struct store *s, const struct cep_principal *p, const char *id,
		    json_t **ret, struct cep_error *err)
{
	char from[1024], oid[32];
	json_t *row = NULL, *detail = NULL;
	int64_t target = 0, now = cep_now();
	int rc = may_ack(p, err);

	if (rc < 0)
		return rc;
	if (!id || strlen(id) > 64)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no drill message to your organisation");
	rc = store_query_int(s,
			     "SELECT id FROM drill_targets WHERE drill_id = ? AND org_id = ?"
			     " AND channel = 'inbox'",
			     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(p->org_id) }, 2, &target);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no drill message to your organisation");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the drill message");
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE drill_targets SET acked_at = ?, acked_via = 'inbox', acked_by = ?"
			       " WHERE id = ? AND acked_at IS NULL",
			       (struct store_arg[]){ STORE_INT(now), STORE_TEXT(p->name),
						     STORE_INT(target) },
			       3);
	if (rc == 0 && store_changes(s) == 0) { /* acknowledged before: nothing changes */
		store_rollback(s);
	} else {
		snprintf(oid, sizeof(oid), "%lld", (long long)target);
		detail = json_pack("{s:s, s:s}", "drill", id, "via", "inbox");
		rc = audit_commit(s, detail ? rc : CEP_ENOMEM, p, "drill.ack", "drill_target", oid,
				  detail, "the acknowledgement", err);
		json_decref(detail);
		if (rc < 0)
			return rc;
	}
	snprintf(from, sizeof(from), "SELECT %s %s AND t.id = ?", INBOX_COLS, INBOX_FROM);
	rc = store_query_one(s, from,
			     (struct store_arg[]){ STORE_TEXT(p->org_id), STORE_INT(target) }, 2, &row);
	if (rc == 0)
		rc = drill_on_time(row);
	if (rc < 0) {
		json_decref(row);
		return cep_error_set(err, rc, NULL, "cannot read the drill message");
	}
	*ret = row;
	return 0;
}

/* A token as sent: 1..DRILL_TOKEN_MAX bytes of URL-safe base64. */
static bool token_ok(const char *t)
{
	size_t n = strlen(t);

	if (n == 0 || n > DRILL_TOKEN_MAX)
		return false;
	for (const char *c = t; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return false;
	return true;
}

int drill_ack_token(struct store *s, const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "token", NULL };
	char hash[CEP_SHA256_HEX + 1], oid[32];
	struct cep_principal holder;
	const char *token = NULL;
	json_t *row = NULL, *detail = NULL;
	int64_t now = cep_now(), target;
	int rc, already;

	if (!json_is_object(in))
		return cep_error_set(err, CEP_EINVAL, NULL, "the body must be a JSON object");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_req_string(in, "token", &token, err);
	if (rc < 0)
		return rc;
	if (!token_ok(token))
		return cep_error_set(err, CEP_EINVAL, "token",
				     "token must be the acknowledgement token of a drill message "
				     "(letters, digits, - and _; at most %d)",
				     DRILL_TOKEN_MAX);
	cep_sha256_hex(token, strlen(token), hash);
	rc = store_query_one(s,
			     "SELECT t.id AS target, t.channel, t.acked_at IS NOT NULL AS already,"
			     " d.id AS drill, d.title, o.name_ja AS org_name_ja, o.name_en AS org_name_en"
			     " FROM drill_tokens k JOIN drill_targets t ON t.id = k.target_id"
			     " JOIN drills d ON d.id = t.drill_id JOIN orgs o ON o.id = t.org_id"
			     " WHERE k.hash = ?",
			     (struct store_arg[]){ STORE_TEXT(hash) }, 1, &row);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, "token",
				     "no drill message has this token: check that the whole link "
				     "or token was copied");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the drill message");
	target = json_integer_value(json_object_get(row, "target"));
	already = json_integer_value(json_object_get(row, "already")) != 0;
	if (!already) {
		rc = store_begin(s);
		if (rc == 0)
			rc = store_run(s,
				       "UPDATE drill_targets SET acked_at = ?, acked_via = channel,"
				       " acked_by = 'token', reached_at = coalesce(reached_at, ?)"
				       " WHERE id = ? AND acked_at IS NULL",
				       (struct store_arg[]){ STORE_INT(now), STORE_INT(now),
							     STORE_INT(target) },
				       3);
		if (rc == 0 && store_changes(s) == 0) { /* acknowledged meanwhile */
			store_rollback(s);
			already = 1;
		} else {
			drill_token_principal(&holder);
			snprintf(oid, sizeof(oid), "%lld", (long long)target);
			detail = json_pack("{s:s, s:s}", "drill",
					   json_string_value(json_object_get(row, "drill")), "via",
					   json_string_value(json_object_get(row, "channel")));
			rc = audit_commit(s, detail ? rc : CEP_ENOMEM, &holder, "drill.ack",
					  "drill_target", oid, detail, "the acknowledgement", err);
			json_decref(detail);
		}
	}
	json_decref(row);
	row = NULL;
	if (rc == 0)
		rc = store_query_one(s,
				     "SELECT d.id AS drill, d.title, o.name_ja AS org_name_ja,"
				     " o.name_en AS org_name_en, t.channel, t.acked_at, d.deadline_at,"
				     " t.acked_at <= d.deadline_at AS on_time FROM drill_targets t"
				     " JOIN drills d ON d.id = t.drill_id JOIN orgs o ON o.id = t.org_id"
				     " WHERE t.id = ?",
				     (struct store_arg[]){ STORE_INT(target) }, 1, &row);
	if (rc == 0)
		rc = drill_on_time(row);
	if (rc == 0 && json_object_set_new(row, "already", json_boolean(already)) < 0)
		rc = CEP_ENOMEM;
	if (rc < 0) {
		json_decref(row);
		return cep_error_set(err, rc, NULL, "cannot answer the acknowledgement");
	}
	*ret = row;
	return 0;
}
