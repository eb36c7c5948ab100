/* signing.c - alerts signed with the installation's Ed25519 key (seed 003:
 * protection against impersonation of government), over a canonical form:
 * the alert's content members, compact JSON with sorted keys. */
#include "share/internal.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* What the signature covers: everything an alert says, nothing that
 * changes after it is sent (fan-out state, counts, display names). */
static const char *const signed_keys[] = {
	"id", "org", "severity", "title_ja", "title_en", "body_ja", "body_en", "actions",
	"references", "indicators", "audience", "tlp", "handling", "classification",
	"ack_deadline", "created_at", NULL,
};
/* Signed too, when present: an exercise's alert carries its exercise, so that
 * the 訓練 marking cannot be stripped from a copy without breaking the
 * signature (real alerts have no such member and sign as they always did). */
#define SIGNED_IF_PRESENT "exercise"

json_t *share_alert_signed_part(const json_t *alert)
{
	json_t *c = json_object();
	const json_t *sig = json_object_get(alert, "signature");

	if (!c)
		return NULL;
	for (const char *const *k = signed_keys; *k; k++) {
		json_t *v = json_object_get(alert, *k);

		if (json_object_set(c, *k, v ? v : json_null()) < 0)
			goto fail;
	}
	if (json_object_get(alert, SIGNED_IF_PRESENT) &&
	    json_object_set(c, SIGNED_IF_PRESENT, json_object_get(alert, SIGNED_IF_PRESENT)) < 0)
		goto fail;
	if (sig && json_object_set(c, "signature", (json_t *)sig) < 0)
		goto fail;
	return c;
fail:
	json_decref(c);
	return NULL;
}

char *share_alert_canonical(const json_t *alert)
{
	json_t *c = json_object();
	char *out;

	if (!c)
		return NULL;
	for (const char *const *k = signed_keys; *k; k++) {
		json_t *v = json_object_get(alert, *k);

		json_object_set(c, *k, v ? v : json_null());
	}
	if (json_object_get(alert, SIGNED_IF_PRESENT))
		json_object_set(c, SIGNED_IF_PRESENT, json_object_get(alert, SIGNED_IF_PRESENT));
	out = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(c);
	return out;
}

/* The active key, created on first use (inside the caller's transaction). */
static int active_key(struct store *s, char id[CEP_ID_MAX], char sk[CEP_SIGN_SK_HEX + 1])
{
	char pk[CEP_SIGN_PK_HEX + 1], kid[CEP_UUID_LEN + 1];
	json_t *row = NULL;
	int rc = store_query_one(s,
				 "SELECT id, secret_key FROM sign_keys WHERE retired_at IS NULL"
				 " ORDER BY created_at DESC LIMIT 1",
				 NULL, 0, &row);

	if (rc == CEP_ENOTFOUND) {
		cep_sign_keypair(pk, sk);
		cep_uuid(kid);
		rc = store_run(s,
			       "INSERT INTO sign_keys (id, public_key, secret_key, created_at)"
			       " VALUES (?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(kid), STORE_TEXT(pk), STORE_TEXT(sk),
						     STORE_INT(cep_now()) },
			       4);
		if (rc == 0)
			snprintf(id, CEP_ID_MAX, "%s", kid);
		return rc;
	}
	if (rc < 0)
		return rc;
	snprintf(id, CEP_ID_MAX, "%s", json_string_value(json_object_get(row, "id")));
	snprintf(sk, CEP_SIGN_SK_HEX + 1, "%s", json_string_value(json_object_get(row, "secret_key")));
	json_decref(row);
	return 0;
}

int share_sign_alert(struct store *s, const json_t *alert)
{
	char kid[CEP_ID_MAX], sk[CEP_SIGN_SK_HEX + 1], sig[CEP_SIGN_SIG_HEX + 1];
	char *canon = share_alert_canonical(alert);
	int rc;

	if (!canon)
		return CEP_ENOMEM;
	rc = active_key(s, kid, sk);
	if (rc == 0)
		rc = cep_sign(sk, canon, strlen(canon), sig);
	if (rc == 0)
		rc = store_run(s, "UPDATE alerts SET key_id = ?, signature = ? WHERE id = ?",
			       (struct store_arg[]){ STORE_TEXT(kid), STORE_TEXT(sig),
						     STORE_TEXT(json_string_value(json_object_get(alert, "id"))) },
			       3);
	memset(sk, 0, sizeof(sk));
	cep_free(canon);
	return rc;
}

int share_keys(struct store *s, const struct cep_principal *p, json_t **ret, struct cep_error *err)
{
	json_t *items = NULL, *res;
	size_t i;
	json_t *it;
	int rc;

	if (!(policy_scope(p, CEP_ACT_REGISTRY_READ) & CEP_SCOPE_ALL))
		return cep_error_set(err, CEP_EPERM, NULL, "reading the keys is not allowed");
	rc = store_query_all(s,
			     "SELECT id, public_key, created_at, retired_at FROM sign_keys"
			     " ORDER BY created_at",
			     NULL, 0, &items);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the keys");
	json_array_foreach(items, i, it)
		json_object_set_new(it, "alg", json_string("Ed25519"));
	res = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	if (!res)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	*ret = res;
	return 0;
}

int share_alert_verify(const json_t *alert, const char *public_key, struct cep_error *err)
{
	const json_t *sig = json_object_get(alert, "signature");
	const char *value = json_string_value(json_object_get(sig, "value"));
	char *canon;
	bool ok;

	if (!json_is_object(alert) || !value)
		return cep_error_set(err, CEP_EINVAL, "signature", "the alert carries no signature");
	canon = share_alert_canonical(alert);
	if (!canon)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	ok = cep_sign_verify(public_key, canon, strlen(canon), value);
	cep_free(canon);
	if (!ok)
		return cep_error_set(err, CEP_ETAMPER, "signature",
				     "the signature does not match: the alert was altered or not "
				     "signed by this key");
	return 0;
}

int share_alert_verify_stored(struct store *s, const json_t *alert, struct cep_error *err)
{
	const char *kid = json_string_value(
		json_object_get(json_object_get(alert, "signature"), "key_id"));
	json_t *row = NULL;
	int rc;

	if (!kid || strlen(kid) > 64)
		return cep_error_set(err, CEP_EINVAL, "signature", "the alert names no signing key");
	rc = store_query_one(s, "SELECT public_key FROM sign_keys WHERE id = ?",
			     (struct store_arg[]){ STORE_TEXT(kid) }, 1, &row);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, CEP_ETAMPER, "signature",
				     "the signing key %s is not this installation's", kid);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the keys");
	rc = share_alert_verify(alert, json_string_value(json_object_get(row, "public_key")), err);
	json_decref(row);
	return rc;
}

/* ---- the signature block of an e-mail ---- */

/* The first occurrence of needle in hay[0..len), or NULL. */
static const char *find(const char *hay, size_t len, const char *needle)
{
	return memmem(hay, len, needle, strlen(needle));
}

/* Whether the header head[0..len) says its body is base64. */
static bool header_base64(const char *head, size_t len)
{
	static const char name[] = "content-transfer-encoding:";
	const char *line = head, *end = head + len;

	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = (size_t)((nl ? nl : end) - line);

		if (n > sizeof(name) - 1 && !strncasecmp(line, name, sizeof(name) - 1)) {
			const char *v = line + sizeof(name) - 1;

			while (v < line + n && (*v == ' ' || *v == '\t'))
				v++;
			return line + n - v >= 6 && !strncasecmp(v, "base64", 6);
		}
		line = nl ? nl + 1 : end;
	}
	return false;
}

/* The body of a saved message whose text is base64 (as ceptoar sends it), decoded
 * into *ret (caller owns). CEP_EINVAL when mail is not such a message, CEP_EPARSE
 * when its body is not base64. */
static int mail_body_base64(const char *mail, size_t len, char **ret, size_t *ret_len)
{
	const char *body = find(mail, len, "\r\n\r\n");
	size_t skip = 4;

	if (!body) {
		body = find(mail, len, "\n\n");
		skip = 2;
	}
	if (!body || !header_base64(mail, (size_t)(body - mail)))
		return CEP_EINVAL;
	body += skip;
	return cep_base64_decode(body, len - (size_t)(body - mail), ret, ret_len);
}

int share_alert_from_mail(const char *mail, size_t len, json_t **ret, struct cep_error *err)
{
	const char *text = mail, *b, *e, *title;
	size_t tlen = len, dlen = 0, blen = 0;
	char *decoded = NULL, *block = NULL;
	json_t *alert = NULL;
	int rc = 0;

	b = find(text, tlen, SHARE_MAIL_SIG_BEGIN);
	if (!b && mail_body_base64(mail, len, &decoded, &dlen) == 0) {
		text = decoded;
		tlen = dlen;
		b = find(text, tlen, SHARE_MAIL_SIG_BEGIN);
	}
	if (!b) {
		rc = cep_error_set(err, CEP_EINVAL, "signature",
				   "the mail carries no signature block (an alert whose body is "
				   "withheld is not e-mailed: sign in to read and verify it)");
		goto out;
	}
	b += strlen(SHARE_MAIL_SIG_BEGIN);
	e = find(b, tlen - (size_t)(b - text), SHARE_MAIL_SIG_END);
	if (!e)
		rc = cep_error_set(err, CEP_EPARSE, "signature", "the signature block has no end line");
	else if ((rc = cep_base64_decode(b, (size_t)(e - b), &block, &blen)) < 0)
		rc = cep_error_set(err, rc, "signature", rc == CEP_ENOMEM ? "out of memory"
					  : "the signature block is not base64");
	else if ((rc = cep_json_parse(block, blen, CEP_JSON_MAX_DEPTH, &alert, err)) < 0)
		rc = cep_error_set(err, rc, "signature", "the signature block is not JSON");
	else if (!json_is_object(alert))
		rc = cep_error_set(err, CEP_EPARSE, "signature",
				   "the signature block is not a JSON object");
	if (rc < 0)
		goto out;
	title = json_string_value(json_object_get(alert, "title_ja"));
	if (!title || !*title ||
	    !find(text, (size_t)(b - strlen(SHARE_MAIL_SIG_BEGIN) - text), title)) {
		rc = cep_error_set(err, CEP_ETAMPER, "signature",
				   "the mail's text does not show the signed alert's title: the "
				   "signature block was put under other words");
		goto out;
	}
	*ret = alert;
	alert = NULL;
out:
	json_decref(alert);
	cep_free(block);
	cep_free(decoded);
	return rc;
}
