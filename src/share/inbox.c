/* inbox.c - every user's inbox: the deliveries to its organisation, opened
 * and acknowledged with who and when. */
#include "share/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "core/handling.h"

#include <stdio.h>
#include <string.h>

#define INBOX_COLS                                                                             \
	"d.id, d.alert_id AS alert, a.severity, a.title_ja, a.title_en, a.body_ja, a.body_en,"  \
	" a.actions, a.tlp, a.ack_deadline, a.org_id AS sender,"                                \
	" (SELECT name_ja FROM orgs WHERE id = a.org_id) AS sender_name_ja,"                     \
	" (SELECT name_en FROM orgs WHERE id = a.org_id) AS sender_name_en, d.sent_at,"          \
	" d.opened_at, d.opened_by, d.acked_at, d.acked_by, d.escalated_at, a.created_at,"      \
	" d.exercise_id AS exercise"

static void labels(json_t *items)
{
	size_t i;
	json_t *it;

	json_array_foreach(items, i, it)
		json_object_set_new(it, "tlp", json_string(cep_tlp_name((enum cep_tlp)json_integer_value(
						       json_object_get(it, "tlp")))));
}

/* Only principals who may read what their org receives have an inbox. */
static int may_receive(const struct cep_principal *p, struct cep_error *err)
{
	struct cep_object o;

	share_object_of_world(p, &o);
	o.recipient = true;
	if (policy_check(p, CEP_ACT_ALERT_READ, &o) < 0 || !p->org_id[0])
		return cep_error_set(err, CEP_EPERM, NULL, "this account receives no alerts");
	return 0;
}

int share_inbox(struct store *s, const struct cep_principal *p, const char *state, const char *q,
		const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	const char *state_sql = "1";
	char from[1024];
	json_t *res = NULL;
	int rc = may_receive(p, err);

	if (rc < 0)
		return rc;
	if (state && !strcmp(state, "unacked"))
		state_sql = "d.acked_at IS NULL";
	else if (state && !strcmp(state, "acked"))
		state_sql = "d.acked_at IS NOT NULL";
	else if (state)
		return cep_error_set(err, CEP_EINVAL, "state", "state must be unacked or acked");
	if (q && share_query_text(q, err) < 0)
		return err ? err->code : CEP_EINVAL;
	/* every delivery has its alert: a LEFT JOIN lists the same rows, and
	 * lets SQLite leave the alerts out of the count when no text is asked */
	snprintf(from, sizeof(from),
		 "FROM deliveries d LEFT JOIN alerts a ON a.id = d.alert_id WHERE d.org_id = ?"
		 " AND d.exercise_id IS ? AND %s%s",
		 state_sql,
		 q ? " AND instr(lower(a.title_ja || ' ' || a.title_en || ' ' || a.body_ja || ' ' ||"
		     " a.body_en), lower(?)) > 0"
		   : "");
	rc = store_query_page_capped(s, INBOX_COLS, from, "d.sent_at DESC, d.id DESC",
				     (struct store_arg[]){ STORE_TEXT(p->org_id), share_world(p),
							   STORE_TEXT(q) },
				     q ? 3 : 2, page, SHARE_COUNT_CAP, &res);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the inbox");
	labels(json_object_get(res, "items"));
	*ret = res;
	return 0;
}

/* One delivery to p's org, with its alert; CEP_ENOTFOUND for others'. */
static int own_delivery(struct store *s, const struct cep_principal *p, int64_t id, json_t **ret)
{
	json_t *row = NULL, *one;
	int rc = store_query_one(s,
				 "SELECT " INBOX_COLS " FROM deliveries d JOIN alerts a ON a.id = d.alert_id"
				 " WHERE d.id = ? AND d.org_id = ? AND d.exercise_id IS ?",
				 (struct store_arg[]){ STORE_INT(id), STORE_TEXT(p->org_id),
						       share_world(p) },
				 3, &row);

	if (rc < 0)
		return rc;
	one = json_pack("[O]", row);
	labels(one);
	json_decref(one);
	*ret = row;
	return 0;
}

/* Set a delivery's opened or acknowledged mark (first time only), audited. */
static int mark(struct store *s, const struct cep_principal *p, int64_t id, const char *column,
		const char *action, json_t **ret, struct cep_error *err)
{
	struct cep_object o;
	char sql[256], oid[32];
	int rc = may_receive(p, err);
	int64_t changed;

	if (rc < 0)
		return rc;
	share_object_of_world(p, &o);
	o.recipient = true;
	snprintf(o.org_id, sizeof(o.org_id), "%s", p->org_id);
	if (policy_check(p, CEP_ACT_DELIVERY_ACK, &o) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "this account does not acknowledge alerts");
	snprintf(sql, sizeof(sql),
		 "UPDATE deliveries SET %s_at = ?, %s_by = ? WHERE id = ? AND org_id = ?"
		 " AND exercise_id IS ? AND %s_at IS NULL",
		 column, column, column);
	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s, sql,
			       (struct store_arg[]){ STORE_INT(cep_now()), STORE_TEXT(p->name),
						     STORE_INT(id), STORE_TEXT(p->org_id),
						     share_world(p) },
			       5);
	changed = rc == 0 ? store_changes(s) : 0;
	if (rc == 0 && !strcmp(column, "acked") && changed) /* acknowledging implies opening */
		rc = store_run(s,
			       "UPDATE deliveries SET opened_at = acked_at, opened_by = acked_by"
			       " WHERE id = ? AND opened_at IS NULL",
			       (struct store_arg[]){ STORE_INT(id) }, 1);
	if (rc == 0 && !strcmp(column, "acked") && changed && p->exercise_id[0]) {
		json_t *row = NULL;

		rc = store_query_one(s, "SELECT alert_id FROM deliveries WHERE id = ?",
				     (struct store_arg[]){ STORE_INT(id) }, 1, &row);
		if (rc == 0)
			rc = share_world_log(s, p, "ack",
					     json_string_value(json_object_get(row, "alert_id")), NULL);
		json_decref(row);
	}
	if (rc == 0 && !changed) { /* already marked, or not p's: nothing to audit */
		store_rollback(s);
	} else {
		rc = audit_commit(s, rc, p, action, "delivery", oid, NULL, "the delivery", err);
		if (rc < 0)
			return rc;
	}
	rc = own_delivery(s, p, id, ret);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such delivery in your inbox");
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the delivery") : 0;
}

int share_delivery_open(struct store *s, const struct cep_principal *p, int64_t delivery_id,
			json_t **ret, struct cep_error *err)
{
	return mark(s, p, delivery_id, "opened", "delivery.open", ret, err);
}

int share_delivery_ack(struct store *s, const struct cep_principal *p, int64_t delivery_id,
		       json_t **ret, struct cep_error *err)
{
	return mark(s, p, delivery_id, "acked", "delivery.ack", ret, err);
}
