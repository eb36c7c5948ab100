/* start.c - starting a drill (checked input, one row) and its fan-out to one
 * target per member organisation and channel, done by the delivery worker. */
#include "drill/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/log.h"

#include <stdio.h>
#include <string.h>

#define ANYONE_MSG "drills are started by NISC and CEPTOAR secretariats"

/* May p start some drill at all (before its input is looked at)? */
static bool may_drill(const struct cep_principal *p)
{
	struct cep_object own = { .nceptoars = 1 };

	if (policy_check(p, CEP_ACT_DRILL_RUN, NULL) == 0)
		return true;
	snprintf(own.ceptoars[0], CEP_ID_MAX, "%s", p->ceptoar_id);
	return p->ceptoar_id[0] && policy_check(p, CEP_ACT_DRILL_RUN, &own) == 0;
}

/* The deadline from "deadline" or "deadline_minutes" into *ret. */
static int deadline_of(const json_t *in, int64_t now, int64_t *ret, struct cep_error *err)
{
	const json_t *d = json_object_get(in, "deadline"), *m = json_object_get(in, "deadline_minutes");
	int has_d = d && !json_is_null(d), has_m = m && !json_is_null(m);
	int64_t t = 0;

	if (has_d && has_m)
		return cep_error_set(err, CEP_EINVAL, "deadline_minutes",
				     "give deadline or deadline_minutes, not both");
	if (!has_d && !has_m)
		return cep_error_set(err, CEP_EINVAL, "deadline",
				     "deadline (RFC 3339) or deadline_minutes is required");
	if (has_m) {
		if (!json_is_integer(m) || json_integer_value(m) < 1 ||
		    json_integer_value(m) > DRILL_DEADLINE_MAX_MINUTES)
			return cep_error_set(err, CEP_EINVAL, "deadline_minutes",
					     "deadline_minutes must be an integer from 1 to %d",
					     DRILL_DEADLINE_MAX_MINUTES);
		*ret = now + json_integer_value(m) * 60;
		return 0;
	}
	if (!json_is_string(d) || cep_ts_parse(json_string_value(d), &t) < 0)
		return cep_error_set(err, CEP_EINVAL, "deadline",
				     "deadline must be an RFC 3339 time such as "
				     "2026-04-01T09:30:00+09:00");
	if (t <= now)
		return cep_error_set(err, CEP_ESEMANTIC, "deadline", "deadline is in the past");
	if (t > now + (int64_t)DRILL_DEADLINE_MAX_MINUTES * 60)
		return cep_error_set(err, CEP_EINVAL, "deadline",
				     "deadline must be at most 30 days ahead");
	*ret = t;
	return 0;
}

/* The channels called by hand (input "manual": an array of "phone" and
 * "fax", each at most once) as stored: "", "phone", "fax" or "phone,fax". */
static int manual_of(const json_t *in, char ret[16], struct cep_error *err)
{
	const json_t *v = json_object_get(in, "manual"), *it;
	int phone = 0, fax = 0;
	size_t i;

	ret[0] = '\0';
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return cep_error_set(err, CEP_EINVAL, "manual",
				     "manual must be an array of the channels called by hand: "
				     "\"phone\", \"fax\"");
	json_array_foreach(v, i, it) {
		const char *c = json_string_value(it);
		int *seen = c && !strcmp(c, "phone") ? &phone : c && !strcmp(c, "fax") ? &fax : NULL;

		if (!seen || (*seen)++)
			return cep_error_set(err, CEP_EINVAL, "manual",
					     "manual lists \"phone\" and \"fax\", each at most once");
	}
	snprintf(ret, 16, "%s%s%s", phone ? "phone" : "", phone && fax ? "," : "",
		 fax ? "fax" : "");
	return 0;
}

/* The CEPTOAR of the input (NULL: all) and the ministry overseeing its sector
 * into ministry (CEP_ID_MAX). */
static int ceptoar_of(struct store *s, const json_t *in, const char **ret, char *ministry,
		      struct cep_error *err)
{
	const json_t *v = json_object_get(in, "ceptoar");
	json_t *row = NULL;
	int rc;

	ministry[0] = '\0';
	if (!v || json_is_null(v)) {
		*ret = NULL;
		return 0;
	}
	if (!json_is_string(v) || !*json_string_value(v) || strlen(json_string_value(v)) > 64)
		return cep_error_set(err, CEP_EINVAL, "ceptoar",
				     "ceptoar must be the id of a CEPTOAR (or left out: every "
				     "CEPTOAR's members)");
	rc = store_query_one(s,
			     "SELECT s.ministry_id FROM ceptoars c JOIN sectors s ON s.id = c.sector_id"
			     " WHERE c.id = ?",
			     (struct store_arg[]){ STORE_TEXT(json_string_value(v)) }, 1, &row);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, CEP_ESEMANTIC, "ceptoar", "no CEPTOAR has the id %s",
				     json_string_value(v));
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the CEPTOAR");
	snprintf(ministry, CEP_ID_MAX, "%s", json_string_value(json_object_get(row, "ministry_id")));
	json_decref(row);
	*ret = json_string_value(v);
	return 0;
}

int drill_start(struct store *s, const struct cep_principal *p, const json_t *in, json_t **ret,
		struct cep_error *err)
{
	static const char *const allowed[] = { "ceptoar",    "title",    "message_ja",
					       "message_en", "deadline", "deadline_minutes",
					       "manual",     NULL };
	const char *ceptoar = NULL, *title = NULL, *msg_ja = NULL, *msg_en = NULL;
	char id[CEP_UUID_LEN + 1], ministry[CEP_ID_MAX], manual[16];
	struct cep_object o = { .nceptoars = 0 };
	json_t *detail = NULL, *res = NULL;
	int64_t now = cep_now(), deadline = 0;
	int rc;

	if (!may_drill(p))
		return cep_error_set(err, CEP_EPERM, NULL, ANYONE_MSG);
	if (!json_is_object(in))
		return cep_error_set(err, CEP_EINVAL, NULL, "the body must be a JSON object");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "title", DRILL_TITLE_MAX, 1, 0, &title, err);
	if (rc == 0)
		rc = cep_json_text(in, "message_ja", DRILL_MESSAGE_MAX, 1, 1, &msg_ja, err);
	if (rc == 0)
		rc = cep_json_text(in, "message_en", DRILL_MESSAGE_MAX, 0, 1, &msg_en, err);
	if (rc == 0 && (!*title || !*msg_ja))
		rc = cep_error_set(err, CEP_EINVAL, !*title ? "title" : "message_ja",
				   "%s must not be empty", !*title ? "title" : "message_ja");
	if (rc == 0)
		rc = deadline_of(in, now, &deadline, err);
	if (rc == 0)
		rc = manual_of(in, manual, err);
	if (rc == 0)
		rc = ceptoar_of(s, in, &ceptoar, ministry, err);
	if (rc < 0)
		return rc;
	if (ceptoar) {
		snprintf(o.ceptoars[0], CEP_ID_MAX, "%s", ceptoar);
		o.nceptoars = 1;
	}
	if (policy_check(p, CEP_ACT_DRILL_RUN, &o) < 0)
		return cep_error_set(err, CEP_EPERM, "ceptoar",
				     ceptoar ? "a secretariat drills only its own CEPTOAR's members"
					     : "only NISC drills the members of every CEPTOAR");
	cep_uuid(id);
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO drills (id, ceptoar_id, ministry_id, org_id, started_by,"
			       " title, message_ja, message_en, deadline_at, created_at, manual)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(ceptoar),
						     STORE_TEXT(ministry[0] ? ministry : NULL),
						     STORE_TEXT(p->org_id[0] ? p->org_id : "nisc"),
						     STORE_TEXT(p->name[0] ? p->name : "console"),
						     STORE_TEXT(title), STORE_TEXT(msg_ja),
						     STORE_TEXT(msg_en ? msg_en : ""),
						     STORE_INT(deadline), STORE_INT(now),
						     STORE_TEXT(manual) },
			       11);
	detail = json_pack("{s:s?, s:s, s:I, s:s}", "ceptoar", ceptoar, "title", title,
			   "deadline", (json_int_t)deadline, "manual", manual);
	rc = audit_commit(s, detail ? rc : CEP_ENOMEM, p, "drill.start", "drill", id, detail,
			  "the drill", err);
	json_decref(detail);
	if (rc == 0) {
		rc = drill_describe(s, id, now, &res);
		if (rc < 0)
			cep_error_set(err, rc, NULL, "cannot read the drill");
	}
	if (rc == 0)
		*ret = res;
	return rc;
}

/* The member organisations of drill ?1's CEPTOAR (every CEPTOAR's when it has none). */
#define MEMBERS_SQL                                                                        \
	"SELECT DISTINCT oc.org_id FROM org_ceptoars oc JOIN drills d ON d.id = ?"          \
	" WHERE d.ceptoar_id IS NULL OR oc.ceptoar_id = d.ceptoar_id"

/* One drill's targets, in the caller's transaction. CEP_EBUSY when another
 * worker did it meanwhile. */
static int fanout_one(struct store *s, const char *id, int64_t now)
{
	struct cep_principal worker;
	json_t *detail = NULL;
	int64_t members = 0, targets = 0;
	int rc;

	rc = store_run(s,
		       "INSERT INTO drill_targets (drill_id, org_id, channel, state, next_at,"
		       " reached_at, created_at) SELECT ?, m.org_id, 'inbox', 'sent', ?, ?, ?"
		       " FROM (" MEMBERS_SQL ") m WHERE 1 ON CONFLICT DO NOTHING",
		       (struct store_arg[]){ STORE_TEXT(id), STORE_INT(now), STORE_INT(now),
					     STORE_INT(now), STORE_TEXT(id) },
		       5);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO drill_targets (drill_id, org_id, channel, contact_id,"
			       " address, state, next_at, created_at)"
			       " SELECT ?, c.org_id, c.channel, c.id, c.address, 'pending', ?, ?"
			       " FROM contacts c WHERE c.active = 1 AND c.channel IN ('email','webhook')"
			       " AND c.org_id IN (" MEMBERS_SQL ") ON CONFLICT DO NOTHING",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_INT(now), STORE_INT(now),
						     STORE_TEXT(id) },
			       4);
	/* the phone and FAX contacts, when the drill calls them: the secretariat
	 * records each by hand (the worker never takes them) */
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO drill_targets (drill_id, org_id, channel, contact_id,"
			       " address, state, next_at, created_at)"
			       " SELECT d.id, c.org_id, c.channel, c.id, c.address, 'pending', ?, ?"
			       " FROM contacts c JOIN drills d ON d.id = ?"
			       " WHERE c.active = 1 AND c.channel IN ('phone','fax')"
			       " AND instr(',' || d.manual || ',', ',' || c.channel || ',') > 0"
			       " AND c.org_id IN (" MEMBERS_SQL ") ON CONFLICT DO NOTHING",
			       (struct store_arg[]){ STORE_INT(now), STORE_INT(now), STORE_TEXT(id),
						     STORE_TEXT(id) },
			       4);
	if (rc == 0)
		rc = store_query_int(s, "SELECT count(DISTINCT org_id) FROM drill_targets WHERE drill_id = ?",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &members);
	if (rc == 0)
		rc = store_query_int(s, "SELECT count(*) FROM drill_targets WHERE drill_id = ?",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &targets);
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE drills SET fanout_state = 'done', members = ?, targets = ?,"
			       " fanout_at = ? WHERE id = ? AND fanout_state = 'pending'",
			       (struct store_arg[]){ STORE_INT(members), STORE_INT(targets),
						     STORE_INT(now), STORE_TEXT(id) },
			       4);
	if (rc == 0 && store_changes(s) == 0)
		return CEP_EBUSY;
	if (rc == 0) {
		cep_principal_system(&worker);
		detail = json_pack("{s:I, s:I}", "members", (json_int_t)members, "targets",
				   (json_int_t)targets);
		rc = detail ? audit_append(s, &worker, "drill.fanout", "drill", id, detail) : CEP_ENOMEM;
		json_decref(detail);
	}
	return rc;
}

int drill_fanout_pending(struct store *s, int max, int *ret_done, struct cep_error *err)
{
	json_t *due = NULL, *it;
	int done = 0, rc;
	size_t i;

	rc = store_query_all(s,
			     "SELECT id FROM drills WHERE fanout_state = 'pending' ORDER BY created_at"
			     " LIMIT ?",
			     (struct store_arg[]){ STORE_INT(max) }, 1, &due);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the drills to fan out");
	json_array_foreach(due, i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		double t0 = cep_mono_ms();

		rc = store_begin(s);
		if (rc == 0)
			rc = fanout_one(s, id, cep_now());
		if (rc == 0)
			rc = store_commit(s);
		if (rc == 0) {
			cep_log(CEP_LOG_INFO, "drill: fan-out of drill %s committed in %.1f ms", id,
				cep_mono_ms() - t0);
			done++;
			continue;
		}
		store_rollback(s);
		if (rc == CEP_EBUSY) {
			rc = 0;
			continue;
		}
		cep_error_set(err, rc, NULL, "fan-out of drill %s failed: %s", id, store_errmsg(s));
		break;
	}
	json_decref(due);
	if (rc == 0 && ret_done)
		*ret_done = done;
	return rc;
}
