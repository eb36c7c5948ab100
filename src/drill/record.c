/* record.c - phone and FAX targets of a drill, called or faxed by the
 * secretariat, who records each outcome by hand: the member acknowledged,
 * was reached (the call got through, the FAX went out) or could not be
 * reached; at the time it happened (given, or now) with a note. Recorded by
 * those who run the drill; audited (drill.record). */
#include "drill/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/json.h"

#include <stdio.h>
#include <string.h>

#define TARGET_COLS                                                                         \
	"t.id, t.org_id AS org, t.channel, t.address, t.state, t.reached_at, t.acked_at,"     \
	" t.acked_via, t.acked_by, t.attempts, t.note, t.last_error, " DRILL_ON_TIME_SQL

enum outcome { O_ACKED, O_REACHED, O_UNREACHABLE };

static const char *const outcome_names[] = { "acked", "reached", "unreachable" };

/* The row of outcome o (see write_outcome). */
static int write_row(struct store *s, const struct cep_principal *p, int64_t target,
		     enum outcome o, int64_t at, const char *note)
{
	if (o == O_ACKED)
		return store_run(s,
				 "UPDATE drill_targets SET state = 'sent', attempts = attempts + 1,"
				 " reached_at = min(coalesce(reached_at, ?1), ?1), acked_at = ?1,"
				 " acked_via = channel, acked_by = ?2, note = ?3, last_error = ''"
				 " WHERE id = ?4 AND acked_at IS NULL",
				 (struct store_arg[]){ STORE_INT(at),
						       STORE_TEXT(p->name[0] ? p->name : "console"),
						       STORE_TEXT(note), STORE_INT(target) },
				 4);
	if (o == O_REACHED)
		return store_run(s,
				 "UPDATE drill_targets SET state = 'sent', attempts = attempts + 1,"
				 " reached_at = min(coalesce(reached_at, ?1), ?1), note = ?2,"
				 " last_error = '' WHERE id = ?3 AND acked_at IS NULL",
				 (struct store_arg[]){ STORE_INT(at), STORE_TEXT(note),
						       STORE_INT(target) },
				 3);
	return store_run(s,
			 "UPDATE drill_targets SET state = 'failed', attempts = attempts + 1,"
			 " note = ?1, last_error = 'not reached' WHERE id = ?2 AND acked_at IS NULL",
			 (struct store_arg[]){ STORE_TEXT(note), STORE_INT(target) }, 2);
}

/* Write outcome o of target at `at`, in the caller's transaction, unless
 * the target was acknowledged meanwhile (then 1, nothing written). An
 * acknowledgement reaches the member too (at the latest then); a member
 * reached stays reached. */
static int write_outcome(struct store *s, const struct cep_principal *p, int64_t target,
			 enum outcome o, int64_t at, const char *note)
{
	int rc = write_row(s, p, target, o, at, note);

	return rc == 0 && store_changes(s) == 0 ? 1 : rc;
}

/* The recorded target as the API shows it, "already" added. */
static int target_out(struct store *s, int64_t target, int already, json_t **ret)
{
	json_t *t = NULL;
	int rc = store_query_one(s,
				 "SELECT " TARGET_COLS " FROM drill_targets t"
				 " JOIN drills d ON d.id = t.drill_id WHERE t.id = ?",
				 (struct store_arg[]){ STORE_INT(target) }, 1, &t);

	if (rc < 0)
		return rc;
	if (drill_on_time(t) < 0 || json_object_set_new(t, "already", json_boolean(already)) < 0) {
		json_decref(t);
		return CEP_ENOMEM;
	}
	*ret = t;
	return 0;
}

/* The input: outcome, when (default now; from the drill's start to now) and
 * the note. */
static int record_input(const json_t *in, int64_t start, int64_t now, enum outcome *ret_o,
			int64_t *ret_at, const char **ret_note, struct cep_error *err)
{
	static const char *const allowed[] = { "outcome", "at", "note", NULL };
	const json_t *at = json_object_get(in, "at");
	const char *o = NULL;
	int rc;

	if (!json_is_object(in))
		return cep_error_set(err, CEP_EINVAL, NULL, "the body must be a JSON object");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_req_string(in, "outcome", &o, err);
	if (rc == 0)
		rc = cep_json_text(in, "note", DRILL_NOTE_MAX, 0, 1, ret_note, err);
	if (rc < 0)
		return rc;
	if (!strcmp(o, "acked"))
		*ret_o = O_ACKED;
	else if (!strcmp(o, "reached"))
		*ret_o = O_REACHED;
	else if (!strcmp(o, "unreachable"))
		*ret_o = O_UNREACHABLE;
	else
		return cep_error_set(err, CEP_EINVAL, "outcome",
				     "outcome must be acked, reached or unreachable");
	*ret_at = now;
	if (at && !json_is_null(at) &&
	    (!json_is_string(at) || cep_ts_parse(json_string_value(at), ret_at) < 0))
		return cep_error_set(err, CEP_EINVAL, "at",
				     "at must be an RFC 3339 time such as 2026-04-01T09:30:00+09:00");
	if (*ret_at < start || *ret_at > now)
		return cep_error_set(err, CEP_EINVAL, "at",
				     "at must lie between the drill's start and now");
	return 0;
}

int drill_record(struct store *s, const struct cep_principal *p, const char *id,
		 const char *target_id, const json_t *in, json_t **ret, struct cep_error *err)
{
	json_t *row = NULL, *drill = NULL, *detail = NULL;
	const char *note = NULL, *channel;
	int64_t target = 0, now = cep_now(), at = 0, deadline = 0;
	char *end = NULL, oid[32];
	enum outcome o = O_ACKED;
	int rc, acked;

	rc = drill_readable(s, p, id, &deadline, err);
	if (rc < 0)
		return rc;
	rc = drill_load_checked(s, p, CEP_ACT_DRILL_RUN, id, &drill);
	json_decref(drill);
	if (rc == CEP_EPERM)
		return cep_error_set(err, rc, NULL,
				     "outcomes are recorded by those who run the drill: its "
				     "CEPTOAR's secretariat and NISC");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the drill");
	if (target_id)
		target = strtoll(target_id, &end, 10);
	if (!target_id || !*target_id || *end || target <= 0)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such target in this drill");
	rc = store_query_one(s,
			     "SELECT t.channel, t.acked_at IS NOT NULL AS acked, d.created_at + 0 AS start"
			     " FROM drill_targets t JOIN drills d ON d.id = t.drill_id"
			     " WHERE t.id = ? AND t.drill_id = ?",
			     (struct store_arg[]){ STORE_INT(target), STORE_TEXT(id) }, 2, &row);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such target in this drill");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the target");
	channel = json_string_value(json_object_get(row, "channel"));
	acked = json_integer_value(json_object_get(row, "acked")) != 0;
	rc = record_input(in, json_integer_value(json_object_get(row, "start")), now, &o, &at,
			  &note, err);
	if (rc == 0 && strcmp(channel, "phone") && strcmp(channel, "fax"))
		rc = cep_error_set(err, CEP_ESEMANTIC, "target",
				   "only phone and FAX targets are recorded by hand; the others "
				   "acknowledge themselves");
	if (rc == 0 && acked && o == O_UNREACHABLE)
		rc = cep_error_set(err, CEP_EEXIST, "outcome",
				   "the member has already acknowledged this target");
	if (rc < 0)
		goto out;
	if (!acked) { /* once acknowledged, a second record changes nothing */
		rc = store_begin(s);
		if (rc == 0)
			rc = write_outcome(s, p, target, o, at, note ? note : "");
		if (rc == 1) { /* acknowledged meanwhile, by another record */
			store_rollback(s);
			acked = 1;
			rc = o == O_UNREACHABLE ? cep_error_set(err, CEP_EEXIST, "outcome",
							       "the member has already acknowledged "
							       "this target")
						: target_out(s, target, 1, ret);
			if (rc < 0 && o != O_UNREACHABLE)
				cep_error_set(err, rc, NULL, "cannot read the target");
			goto out;
		}
		snprintf(oid, sizeof(oid), "%lld", (long long)target);
		detail = json_pack("{s:s, s:s, s:s, s:I, s:s}", "drill", id, "channel", channel,
				   "outcome", outcome_names[o], "at", (json_int_t)at, "note",
				   note ? note : "");
		rc = audit_commit(s, detail ? rc : CEP_ENOMEM, p, "drill.record", "drill_target",
				  oid, detail, "the outcome", err);
		json_decref(detail);
		if (rc < 0)
			goto out;
	}
	rc = target_out(s, target, acked, ret);
	if (rc < 0)
		cep_error_set(err, rc, NULL, "cannot read the target");
out:
	json_decref(row);
	return rc;
}
