/* sends.c - the delivery worker's side of the channels: the queue of
 * e-mail/webhook sends (taken under a lease, every attempt recorded, each
 * send ending once as "sent" or "failed") and escalation at the
 * acknowledgement deadline (flag, resend, notices). Called by deliver/ as
 * the system principal; changes are audited where they conclude something
 * (send.sent, send.failed, delivery.escalate). */
#include "share/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>

#define ERROR_MAX 500   /* bytes of a send error kept */

/* Add "signed" to a claimed job: the signed part of its alert. */
static int signed_part(struct store *s, json_t *job)
{
	json_t *alert = NULL, *part;
	int rc = share_alert_load(s, json_string_value(json_object_get(job, "alert")), &alert);

	if (rc < 0)
		return rc;
	part = share_alert_signed_part(alert);
	json_decref(alert);
	if (!part || json_object_set_new(job, "signed", part) < 0)
		return CEP_ENOMEM;
	return 0;
}

int share_send_claim(struct store *s, int64_t now, int lease_s, int email_ready, json_t **ret)
{
	json_t *row = NULL, *job = NULL;
	int64_t id;
	int rc = store_begin(s);

	/* a send left "sending" by a worker that died: its contact was removed since */
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE sends SET state = 'failed', lease_until = NULL,"
			       " last_error = 'the contact was removed' WHERE state = 'sending'"
			       " AND lease_until <= ? AND contact_id IN"
			       " (SELECT id FROM contacts WHERE active = 0)",
			       (struct store_arg[]){ STORE_INT(now) }, 1);
	if (rc == 0)
		rc = store_query_one(s,
				     "SELECT s.id, s.state, s.attempts FROM sends s"
				     " JOIN contacts c ON c.id = s.contact_id"
				     " WHERE c.active = 1 AND ((s.state = 'pending' AND s.next_at <= ?)"
				     " OR (s.state = 'sending' AND s.lease_until <= ?))"
				     " AND (? = 1 OR s.channel <> 'email') ORDER BY s.next_at, s.id LIMIT 1",
				     (struct store_arg[]){ STORE_INT(now), STORE_INT(now),
							   STORE_INT(email_ready ? 1 : 0) },
				     3, &row);
	if (rc == CEP_ENOTFOUND) /* nothing due; keep the clean-up above */
		return store_commit(s) < 0 ? CEP_EIO : CEP_ENOTFOUND;
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	id = json_integer_value(json_object_get(row, "id"));
	/* the interrupted attempt is kept too, its outcome unknown */
	if (!strcmp(json_string_value(json_object_get(row, "state")), "sending"))
		rc = store_run(s,
			       "INSERT INTO send_attempts (send_id, attempt, attempted_at, ok, error)"
			       " VALUES (?, ?, ?, 0, 'interrupted: the lease ran out, outcome unknown')"
			       " ON CONFLICT DO NOTHING",
			       (struct store_arg[]){ STORE_INT(id),
						     STORE_INT(json_integer_value(
							     json_object_get(row, "attempts"))),
						     STORE_INT(now) },
			       3);
	json_decref(row);
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE sends SET state = 'sending', attempts = attempts + 1, lease_until = ?"
			       " WHERE id = ?",
			       (struct store_arg[]){ STORE_INT(now + lease_s), STORE_INT(id) }, 2);
	if (rc == 0)
		rc = store_query_one(
			s,
			"SELECT s.id AS send_id, s.delivery_id, s.attempts AS attempt, s.channel,"
			" s.reason, c.address, c.secret, a.id AS alert, a.severity, a.tlp, a.title_ja,"
			" a.title_en, a.body_ja, a.body_en, a.actions, a.refs, a.handling,"
			" a.ack_deadline, a.org_id AS sender, so.name_ja AS sender_name_ja,"
			" so.name_en AS sender_name_en, o.name_ja AS org_name_ja,"
			" a.exercise_id AS exercise FROM sends s"
			" JOIN contacts c ON c.id = s.contact_id JOIN deliveries d ON d.id = s.delivery_id"
			" JOIN alerts a ON a.id = d.alert_id JOIN orgs so ON so.id = a.org_id"
			" JOIN orgs o ON o.id = d.org_id WHERE s.id = ?",
			(struct store_arg[]){ STORE_INT(id) }, 1, &job);
	if (rc == 0) /* what the mail's signature block and the webhook carry */
		rc = signed_part(s, job);
	if (rc == 0)
		rc = store_commit(s);
	if (rc < 0) {
		store_rollback(s);
		json_decref(job);
		return rc == CEP_ENOTFOUND ? CEP_EIO : rc;
	}
	*ret = job;
	return 0;
}

int share_send_finish(struct store *s, int64_t send_id, int attempt, const char *error,
		      int64_t retry_at)
{
	struct cep_principal worker;
	char e[ERROR_MAX + 1], oid[32];
	json_t *detail = NULL;
	int64_t now = cep_now();
	int rc;

	cep_principal_system(&worker);
	cep_text_line_copy(e, sizeof(e), error, ' '); /* a server's answer, as one line */
	snprintf(oid, sizeof(oid), "%lld", (long long)send_id);
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO send_attempts (send_id, attempt, attempted_at, ok, error)"
			       " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
			       (struct store_arg[]){ STORE_INT(send_id), STORE_INT(attempt),
						     STORE_INT(now), STORE_INT(error ? 0 : 1),
						     STORE_TEXT(e) },
			       5);
	if (rc == 0 && !error) /* sent is sent, even if its lease had run out meanwhile */
		rc = store_run(s,
			       "UPDATE sends SET state = 'sent', sent_at = ?, lease_until = NULL,"
			       " last_error = '' WHERE id = ? AND state <> 'sent'",
			       (struct store_arg[]){ STORE_INT(now), STORE_INT(send_id) }, 2);
	else if (rc == 0) /* unless another worker took the send over meanwhile */
		rc = store_run(s,
			       "UPDATE sends SET state = ?, next_at = ?, lease_until = NULL,"
			       " last_error = ? WHERE id = ? AND state = 'sending' AND attempts = ?",
			       (struct store_arg[]){ STORE_TEXT(retry_at ? "pending" : "failed"),
						     STORE_INT(retry_at ? retry_at : now),
						     STORE_TEXT(e), STORE_INT(send_id),
						     STORE_INT(attempt) },
			       5);
	if (rc < 0 || (error && retry_at) || store_changes(s) == 0) {
		if (rc == 0)
			rc = store_commit(s);
		if (rc < 0)
			store_rollback(s);
		return rc;
	}
	detail = json_pack("{s:i, s:s}", "attempts", attempt, "error", e);
	rc = audit_commit(s, rc, &worker, error ? "send.failed" : "send.sent", "send", oid, detail,
			  "the send", NULL);
	json_decref(detail);
	return rc;
}

/* Escalate one delivery (in the caller's transaction): set escalated_at,
 * queue its sends again, notify the sender and its CEPTOAR's secretariat.
 * CEP_EBUSY when it was acknowledged or escalated meanwhile. */
static int escalate_one(struct store *s, int64_t id, int64_t now)
{
	struct cep_principal worker;
	char oid[32];
	int rc = store_run(s,
			   "UPDATE deliveries SET escalated_at = ? WHERE id = ? AND acked_at IS NULL"
			   " AND escalated_at IS NULL",
			   (struct store_arg[]){ STORE_INT(now), STORE_INT(id) }, 2);

	if (rc == 0 && store_changes(s) == 0)
		return CEP_EBUSY;
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO sends (delivery_id, contact_id, channel, reason, next_at,"
			       " created_at) SELECT d.id, c.id, c.channel, 'escalation', ?, ?"
			       " FROM deliveries d JOIN contacts c ON c.org_id = d.org_id"
			       " AND c.active = 1 AND c.channel IN ('email','webhook') WHERE d.id = ?"
			       " ON CONFLICT DO NOTHING",
			       (struct store_arg[]){ STORE_INT(now), STORE_INT(now), STORE_INT(id) }, 3);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO notices (org_id, kind, alert_id, delivery_id, created_at)"
			       " SELECT a.org_id, 'escalation', a.id, d.id, ? FROM deliveries d"
			       " JOIN alerts a ON a.id = d.alert_id WHERE d.id = ?"
			       " UNION SELECT o.id, 'escalation', d.alert_id, d.id, ? FROM deliveries d"
			       " JOIN orgs o ON o.kind = 'ceptoar' AND o.ceptoar_id = d.ceptoar_id"
			       " WHERE d.id = ? ON CONFLICT DO NOTHING",
			       (struct store_arg[]){ STORE_INT(now), STORE_INT(id), STORE_INT(now),
						     STORE_INT(id) },
			       4);
	cep_principal_system(&worker);
	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	if (rc == 0)
		rc = audit_append(s, &worker, "delivery.escalate", "delivery", oid, NULL);
	return rc;
}

int share_escalate_due(struct store *s, int64_t now, int max, int *ret_done,
		       struct cep_error *err)
{
	json_t *due = NULL, *it;
	size_t i;
	int done = 0, rc;

	rc = store_query_all(s,
			     "SELECT d.id FROM deliveries d JOIN alerts a ON a.id = d.alert_id"
			     " WHERE d.escalated_at IS NULL AND d.acked_at IS NULL"
			     " AND a.ack_deadline IS NOT NULL AND a.ack_deadline <= ? ORDER BY d.id LIMIT ?",
			     (struct store_arg[]){ STORE_INT(now), STORE_INT(max) }, 2, &due);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the deliveries due");
	json_array_foreach(due, i, it) {
		rc = store_begin(s);
		if (rc == 0)
			rc = escalate_one(s, json_integer_value(json_object_get(it, "id")), now);
		if (rc == 0)
			rc = store_commit(s);
		if (rc == 0) {
			done++;
			continue;
		}
		store_rollback(s);
		if (rc == CEP_EBUSY) {
			rc = 0;
			continue;
		}
		cep_error_set(err, rc, NULL, "escalation failed: %s", store_errmsg(s));
		break;
	}
	json_decref(due);
	if (rc == 0 && ret_done)
		*ret_done = done;
	return rc;
}
