/* clock.c - the scenario clock (start, pause, resume, advance, speed, end),
 * the delivery of injects at their scenario times as alerts of the
 * exercise's world, and the reveal of a hidden cause. */
#include "exercise/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/log.h"
#include "share/share.h"

#include <stdio.h>
#include <string.h>

int ex_send(struct store *s, const json_t *row, int64_t at_s, const json_t *orgs,
	    const char *severity, const char *title, const char *body, char ret_alert[64])
{
	struct cep_principal ctl;
	struct cep_error err = { 0 };
	char t[32], title_ja[EX_TITLE_MAX * 4 + 64], title_en[EX_TITLE_MAX * 4 + 64];
	json_t *in, *res = NULL;
	int rc;

	/* the exercise's controlling org speaks, inside the exercise's world */
	cep_principal_system(&ctl);
	snprintf(ctl.org_id, sizeof(ctl.org_id), "%s", json_string_value(json_object_get(row, "org")));
	snprintf(ctl.exercise_id, sizeof(ctl.exercise_id), "%s",
		 json_string_value(json_object_get(row, "id")));
	ctl.exercise_at = at_s;
	ex_format_t(at_s, t);
	snprintf(title_ja, sizeof(title_ja), "【訓練】%s %s", t, title);
	snprintf(title_en, sizeof(title_en), "[EXERCISE] %s %s", t, title);
	in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:O}, s:s}", "severity", severity, "title_ja",
		       title_ja, "title_en", title_en, "body_ja", *body ? body : title, "body_en",
		       "(訓練 / EXERCISE: see the Japanese text.)", "audience", "orgs", orgs, "tlp",
		       "AMBER");
	if (!in)
		return CEP_ENOMEM;
	rc = share_alert_create(s, &ctl, in, &res, &err);
	if (rc == 0)
		snprintf(ret_alert, 64, "%s", json_string_value(json_object_get(res, "id")));
	else
		cep_log(CEP_LOG_ERROR, "exercise %s: cannot send an inject: %s",
			json_string_value(json_object_get(row, "id")), err.message);
	json_decref(in);
	json_decref(res);
	return rc;
}

/* The player orgs of exercise id that an inject's "to" (JSON text) names:
 * "all", "sector:<id>" (the team or the org's sector), an org id or code. */
static int targets(struct store *s, const char *id, const char *to, json_t **ret)
{
	json_t *players = NULL, *list = json_loads(to, 0, NULL), *out = json_array(), *pl, *t;
	size_t i, k;
	int rc = store_query_all(s,
				 "SELECT m.org_id AS id, o.code, coalesce(o.sector_id, '') AS sector,"
				 " m.team FROM exercise_player_orgs m JOIN orgs o ON o.id = m.org_id"
				 " WHERE m.exercise_id = ? ORDER BY o.code",
				 (struct store_arg[]){ STORE_TEXT(id) }, 1, &players);

	if (rc == 0 && (!list || !out))
		rc = CEP_ENOMEM;
	json_array_foreach(rc == 0 ? players : NULL, i, pl) {
		const char *oid = json_string_value(json_object_get(pl, "id"));

		json_array_foreach(list, k, t) {
			const char *v = json_string_value(t);

			if (!v)
				continue;
			if (!strcmp(v, "all") || !strcmp(v, oid) ||
			    !strcmp(v, json_string_value(json_object_get(pl, "code"))) ||
			    (!strncmp(v, "sector:", 7) &&
			     (!strcmp(v + 7, json_string_value(json_object_get(pl, "sector"))) ||
			      !strcmp(v + 7, json_string_value(json_object_get(pl, "team")))))) {
				json_array_append_new(out, json_string(oid));
				break;
			}
		}
	}
	json_decref(players);
	json_decref(list);
	if (rc < 0) {
		json_decref(out);
		return rc;
	}
	*ret = out;
	return 0;
}

int ex_deliver_upto(struct store *s, const json_t *row, int64_t upto, int *ret_done)
{
	const char *id = json_string_value(json_object_get(row, "id"));
	json_t *due = NULL, *it;
	size_t i;
	int rc, done = 0;

	rc = store_query_all(s,
			     "SELECT id, at_s, targets, title, description, severity FROM exercise_injects"
			     " WHERE state = 'pending' AND exercise_id = ? AND at_s <= ?"
			     " ORDER BY at_s, seq LIMIT 200",
			     (struct store_arg[]){ STORE_TEXT(id), STORE_INT(upto) }, 2, &due);
	json_array_foreach(rc == 0 ? due : NULL, i, it) {
		const char *iid = json_string_value(json_object_get(it, "id"));
		json_t *orgs = NULL;
		char alert[64] = "";

		/* taken first (one statement): a concurrent pass skips it */
		rc = store_run(s,
			       "UPDATE exercise_injects SET state = 'delivered', delivered_at = ?"
			       " WHERE id = ? AND state = 'pending'",
			       (struct store_arg[]){ STORE_INT(cep_now()), STORE_TEXT(iid) }, 2);
		if (rc < 0)
			break;
		if (store_changes(s) == 0)
			continue;
		rc = targets(s, id, json_string_value(json_object_get(it, "targets")), &orgs);
		if (rc == 0 && json_array_size(orgs) > 0)
			rc = ex_send(s, row, json_integer_value(json_object_get(it, "at_s")), orgs,
				     json_string_value(json_object_get(it, "severity")),
				     json_string_value(json_object_get(it, "title")),
				     json_string_value(json_object_get(it, "description")), alert);
		json_decref(orgs);
		if (rc == 0 && alert[0])
			rc = store_run(s, "UPDATE exercise_injects SET alert_id = ? WHERE id = ?",
				       (struct store_arg[]){ STORE_TEXT(alert), STORE_TEXT(iid) }, 2);
		if (rc < 0) { /* given back, to be tried again */
			store_run(s, "UPDATE exercise_injects SET state = 'pending' WHERE id = ?",
				  (struct store_arg[]){ STORE_TEXT(iid) }, 1);
			break;
		}
		done++;
	}
	json_decref(due);
	if (ret_done)
		*ret_done = done;
	return rc;
}

int exercise_deliver_due(struct store *s, int64_t now_ms, int *ret_done, int64_t *ret_next_ms,
			 struct cep_error *err)
{
	json_t *running = NULL, *row;
	int64_t next = 0;
	size_t i;
	int rc, done = 0, n;

	rc = store_query_all(s,
			     "SELECT e.id, e.org_id AS org, e.state, e.speed, e.clock_s, e.clock_ms,"
			     " (SELECT min(at_s) FROM exercise_injects x WHERE x.exercise_id = e.id"
			     "  AND x.state = 'pending') AS next_s"
			     " FROM exercises e WHERE e.state = 'running'",
			     NULL, 0, &running);
	json_array_foreach(rc == 0 ? running : NULL, i, row) {
		const json_t *ns = json_object_get(row, "next_s");
		int64_t now_s = ex_scenario_now(row, now_ms);

		if (!json_is_integer(ns))
			continue;
		if (json_integer_value(ns) <= now_s) {
			n = 0;
			rc = ex_deliver_upto(s, row, now_s, &n);
			done += n;
			if (rc < 0)
				break;
		} else {
			int64_t at = json_integer_value(json_object_get(row, "clock_ms")) +
				     (json_integer_value(ns) -
				      json_integer_value(json_object_get(row, "clock_s"))) *
					     1000 / json_integer_value(json_object_get(row, "speed"));

			if (!next || at < next)
				next = at;
		}
	}
	json_decref(running);
	if (ret_done)
		*ret_done = done;
	if (ret_next_ms)
		*ret_next_ms = next;
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot deliver injects") : 0;
}

int exercise_clock(struct store *s, const struct cep_principal *p, const char *id,
		   const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "action", "to", "by", "speed", NULL };
	const char *action = NULL, *state;
	const json_t *to = json_object_get(in, "to"), *by = json_object_get(in, "by"),
		     *speed = json_object_get(in, "speed");
	json_t *row = NULL, *detail;
	int64_t now_ms = cep_now_ms(), now_s, target = 0, v = 0, new_speed;
	int rc = cep_json_only(in, allowed, err), ended;

	if (rc == 0)
		rc = cep_json_text(in, "action", 16, 1, 0, &action, err);
	if (rc < 0)
		return rc;
	rc = ex_begin(s, p, id, CEP_ACT_EXERCISE_CONTROL, 0, &row, err);
	if (rc < 0)
		return rc;
	state = json_string_value(json_object_get(row, "state"));
	now_s = ex_scenario_now(row, now_ms);
	new_speed = json_integer_value(json_object_get(row, "speed"));
	if (!strcmp(action, "start")) {
		if (strcmp(state, "planned"))
			rc = cep_error_set(err, CEP_ESEMANTIC, "action", "the exercise has already started");
		now_s = 0;
		state = "running";
	} else if (!strcmp(action, "pause")) {
		if (strcmp(state, "running"))
			rc = cep_error_set(err, CEP_ESEMANTIC, "action", "only a running exercise pauses");
		state = "paused";
	} else if (!strcmp(action, "resume")) {
		if (strcmp(state, "paused"))
			rc = cep_error_set(err, CEP_ESEMANTIC, "action", "only a paused exercise resumes");
		state = "running";
	} else if (!strcmp(action, "advance")) {
		if (strcmp(state, "running") && strcmp(state, "paused"))
			rc = cep_error_set(err, CEP_ESEMANTIC, "action",
					   "only a running or paused exercise advances");
		if (rc == 0 && !to == !by)
			rc = cep_error_set(err, CEP_EINVAL, "to",
					   "give one of to (a scenario time) or by (a duration)");
		if (rc == 0)
			rc = ex_duration(to ? to : by, to ? "to" : "by", &v, err);
		target = to ? v : now_s + v;
		if (rc == 0 && target < now_s)
			rc = cep_error_set(err, CEP_ESEMANTIC, "to",
					   "the clock only moves forward (it is at %lld s)",
					   (long long)now_s);
		if (rc == 0 && target > EX_SCENARIO_MAX)
			rc = cep_error_set(err, CEP_ETOOBIG, "by", "beyond the longest scenario");
		now_s = target;
	} else if (!strcmp(action, "speed")) {
		if (!strcmp(state, "ended"))
			rc = cep_error_set(err, CEP_ESEMANTIC, "action", "the exercise has ended");
		if (rc == 0 && (!json_is_integer(speed) || json_integer_value(speed) < 1 ||
				json_integer_value(speed) > EX_SPEED_MAX))
			rc = cep_error_set(err, CEP_EINVAL, "speed",
					   "speed must be 1 to %d scenario seconds per second",
					   EX_SPEED_MAX);
		new_speed = json_integer_value(speed);
	} else if (!strcmp(action, "end")) {
		if (strcmp(state, "running") && strcmp(state, "paused"))
			rc = cep_error_set(err, CEP_ESEMANTIC, "action",
					   "only a running or paused exercise ends");
		state = "ended";
	} else {
		rc = cep_error_set(err, CEP_EINVAL, "action",
				   "action must be start, pause, resume, advance, speed or end");
	}
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE exercises SET state = ?, clock_s = ?, clock_ms = ?, speed = ?,"
			       " started_at = CASE WHEN ? THEN ? ELSE started_at END,"
			       " ended_at = CASE WHEN ? THEN ? ELSE ended_at END WHERE id = ?",
			       (struct store_arg[]){ STORE_TEXT(state), STORE_INT(now_s), STORE_INT(now_ms),
						     STORE_INT(new_speed), STORE_INT(!strcmp(action, "start")),
						     STORE_INT(cep_now()), STORE_INT(!strcmp(action, "end")),
						     STORE_INT(cep_now()), STORE_TEXT(id) },
			       9);
	ended = !strcmp(state, "ended"); /* state may point into row */
	detail = json_pack("{s:s, s:I}", "action", action, "scenario_s", (json_int_t)now_s);
	rc = audit_commit(s, rc, p, "exercise.clock", "exercise", id, detail, "the clock", err);
	json_decref(detail);
	json_decref(row);
	if (rc < 0)
		return rc;
	/* what is due by the new time goes out now, at its scenario time */
	if (!ended && ex_require(s, p, id, CEP_ACT_EXERCISE_CONTROL, &row, NULL) == 0) {
		ex_deliver_upto(s, row, ex_scenario_now(row, cep_now_ms()), NULL);
		json_decref(row);
	}
	return exercise_get(s, p, id, ret, err);
}

int exercise_reveal(struct store *s, const struct cep_principal *p, const char *id,
		    json_t **ret, struct cep_error *err)
{
	json_t *row = NULL, *orgs = NULL;
	char alert[64] = "", body[EX_TEXT_MAX * 4 + 200];
	int64_t now_s;
	int rc = ex_require(s, p, id, CEP_ACT_EXERCISE_CONTROL, &row, err);

	if (rc < 0)
		return rc;
	now_s = ex_scenario_now(row, cep_now_ms());
	if (strcmp(json_string_value(json_object_get(row, "state")), "running") &&
	    strcmp(json_string_value(json_object_get(row, "state")), "paused"))
		rc = cep_error_set(err, CEP_ESEMANTIC, NULL, "the cause is revealed during the exercise");
	else if (!*json_string_value(json_object_get(row, "cause")))
		rc = cep_error_set(err, CEP_ESEMANTIC, "cause", "the exercise has no cause to reveal");
	else if (!json_is_null(json_object_get(row, "revealed_s")))
		rc = cep_error_set(err, CEP_EEXIST, NULL, "the cause was revealed already");
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT org_id FROM exercise_player_orgs WHERE exercise_id = ?",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &orgs);
	if (rc == 0) {
		json_t *ids = json_array(), *it;
		size_t i;

		json_array_foreach(orgs, i, it)
			json_array_append(ids, json_object_get(it, "org_id"));
		snprintf(body, sizeof(body), "原因 / Cause: %s",
			 json_string_value(json_object_get(row, "cause")));
		if (json_array_size(ids))
			rc = ex_send(s, row, now_s, ids, "high", "原因の判明 / Cause identified", body,
				     alert);
		json_decref(ids);
	}
	json_decref(orgs);
	json_decref(row);
	if (rc < 0)
		return err && err->code ? rc : cep_error_set(err, rc, NULL, "cannot reveal the cause");
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s, "UPDATE exercises SET revealed_s = ? WHERE id = ?",
			       (struct store_arg[]){ STORE_INT(now_s), STORE_TEXT(id) }, 2);
	rc = audit_commit(s, rc, p, "exercise.reveal", "exercise", id, NULL, "the reveal", err);
	return rc < 0 ? rc : exercise_get(s, p, id, ret, err);
}
