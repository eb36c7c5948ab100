/* sends.c - the delivery worker's side of a drill: its e-mail and webhook
 * targets taken under a lease (a fresh acknowledgement token for each attempt,
 * kept only as its SHA-256) and their outcome: sent (reached), pending again
 * for a retry, failed after the attempts, or bounced (refused for good by the
 * mail server). Outcomes are audited (drill.send.sent, .failed, .bounced). */
#include "drill/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/text.h"
#include "base/crypto.h"

#include <stdio.h>
#include <string.h>

#define ERROR_MAX 500   /* bytes of a send error kept */
#define SKIP_MAX 64     /* targets of removed contacts ended in one claim */

/* The due target into *ret_row ({"id","state","attempts","active"}). */
static int due_target(struct store *s, int64_t now, int email_ready, json_t **ret_row)
{
	return store_query_one(s,
			       "SELECT t.id, t.state, t.attempts, coalesce(c.active, 0) AS active"
			       " FROM drill_targets t LEFT JOIN contacts c ON c.id = t.contact_id"
			       " WHERE ((t.state = 'pending' AND t.next_at <= ?)"
			       " OR (t.state = 'sending' AND t.lease_until <= ?))"
			       " AND t.channel IN ('email','webhook') AND (? = 1 OR t.channel <> 'email')"
			       " ORDER BY t.next_at, t.id LIMIT 1",
			       (struct store_arg[]){ STORE_INT(now), STORE_INT(now),
						     STORE_INT(email_ready ? 1 : 0) },
			       3, ret_row);
}

int drill_send_claim(struct store *s, int64_t now, int lease_s, int email_ready, json_t **ret)
{
	char token[DRILL_TOKEN_BYTES * 2], hash[CEP_SHA256_HEX + 1];
	json_t *row = NULL, *job = NULL;
	int64_t id = 0;
	int rc = store_begin(s);

	for (int skip = 0; rc == 0; skip++) {
		rc = due_target(s, now, email_ready, &row);
		if (rc < 0)
			break;
		id = json_integer_value(json_object_get(row, "id"));
		if (json_integer_value(json_object_get(row, "active")))
			break;
		if (skip >= SKIP_MAX) { /* enough for one claim: the next pass ends the rest */
			json_decref(row);
			row = NULL;
			rc = CEP_ENOTFOUND;
			break;
		}
		/* its contact was removed since the fan-out: nothing to send to */
		json_decref(row);
		row = NULL;
		rc = store_run(s,
			       "UPDATE drill_targets SET state = 'failed', lease_until = NULL,"
			       " last_error = 'the contact was removed' WHERE id = ?",
			       (struct store_arg[]){ STORE_INT(id) }, 1);
	}
	if (rc == CEP_ENOTFOUND) /* nothing due; keep what was ended above */
		return store_commit(s) < 0 ? CEP_EIO : CEP_ENOTFOUND;
	json_decref(row);
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE drill_targets SET state = 'sending', attempts = attempts + 1,"
			       " lease_until = ? WHERE id = ?",
			       (struct store_arg[]){ STORE_INT(now + lease_s), STORE_INT(id) }, 2);
	cep_random_b64(token, sizeof(token), DRILL_TOKEN_BYTES);
	cep_sha256_hex(token, strlen(token), hash);
	if (rc == 0)
		rc = store_run(s, "INSERT INTO drill_tokens (hash, target_id, created_at) VALUES (?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(hash), STORE_INT(id), STORE_INT(now) },
			       3);
	if (rc == 0)
		rc = store_query_one(
			s,
			"SELECT t.id AS target_id, t.attempts AS attempt, t.channel, t.address,"
			" coalesce(c.secret, '') AS secret, d.id AS drill, d.title, d.message_ja,"
			" d.message_en, d.deadline_at + 0 AS deadline, o.name_ja AS org_name_ja,"
			" o.name_en AS org_name_en, so.name_ja AS sender_name_ja,"
			" so.name_en AS sender_name_en, d.ceptoar_id AS ceptoar,"
			" cp.name_ja AS ceptoar_name_ja, cp.name_en AS ceptoar_name_en"
			" FROM drill_targets t JOIN drills d ON d.id = t.drill_id"
			" JOIN orgs o ON o.id = t.org_id JOIN orgs so ON so.id = d.org_id"
			" LEFT JOIN contacts c ON c.id = t.contact_id"
			" LEFT JOIN ceptoars cp ON cp.id = d.ceptoar_id WHERE t.id = ?",
			(struct store_arg[]){ STORE_INT(id) }, 1, &job);
	if (rc == 0 && json_object_set_new(job, "token", json_string(token)) < 0)
		rc = CEP_ENOMEM;
	if (rc == 0)
		rc = store_commit(s);
	memset(token, 0, sizeof(token));
	if (rc < 0) {
		store_rollback(s);
		json_decref(job);
		return rc == CEP_ENOTFOUND ? CEP_EIO : rc;
	}
	*ret = job;
	return 0;
}

int drill_send_finish(struct store *s, int64_t target_id, int attempt, const char *error,
		      int bounced, int64_t retry_at)
{
	struct cep_principal worker;
	char e[ERROR_MAX + 1], oid[32];
	const char *state = !error ? "sent" : bounced ? "bounced" : retry_at ? "pending" : "failed";
	json_t *detail = NULL;
	int64_t now = cep_now();
	int rc;

	cep_principal_system(&worker);
	cep_text_line_copy(e, sizeof(e), error, ' '); /* a server's answer, as one line */
	snprintf(oid, sizeof(oid), "%lld", (long long)target_id);
	rc = store_begin(s);
	if (rc == 0 && !error) /* sent is sent, even if its lease had run out meanwhile */
		rc = store_run(s,
			       "UPDATE drill_targets SET state = 'sent', reached_at = coalesce(reached_at, ?),"
			       " lease_until = NULL, last_error = '' WHERE id = ? AND state <> 'sent'",
			       (struct store_arg[]){ STORE_INT(now), STORE_INT(target_id) }, 2);
	else if (rc == 0) /* unless another worker took it over meanwhile */
		rc = store_run(s,
			       "UPDATE drill_targets SET state = ?, next_at = ?, lease_until = NULL,"
			       " last_error = ? WHERE id = ? AND state = 'sending' AND attempts = ?",
			       (struct store_arg[]){ STORE_TEXT(state),
						     STORE_INT(retry_at && !bounced ? retry_at : now),
						     STORE_TEXT(e), STORE_INT(target_id),
						     STORE_INT(attempt) },
			       5);
	if (rc < 0 || !strcmp(state, "pending") || store_changes(s) == 0) {
		if (rc == 0)
			rc = store_commit(s);
		if (rc < 0)
			store_rollback(s);
		return rc;
	}
	detail = json_pack("{s:i, s:s}", "attempts", attempt, "error", e);
	rc = audit_commit(s, detail ? rc : CEP_ENOMEM, &worker,
			  !strcmp(state, "sent")      ? "drill.send.sent"
			  : !strcmp(state, "bounced") ? "drill.send.bounced"
						      : "drill.send.failed",
			  "drill_target", oid, detail, "the drill send", NULL);
	json_decref(detail);
	return rc;
}
