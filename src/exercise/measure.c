/* measure.c - what the players did, measured against the scenario: the live
 * status for controllers, a player's own view, the notes of evaluators and
 * advisers, and the after-action report. Every time is in scenario seconds
 * (share/world.c logs each action at the scenario clock of its request). */
#include "exercise/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int exercise_status(struct store *s, const struct cep_principal *p, const char *id,
		    json_t **ret, struct cep_error *err)
{
	json_t *row = NULL, *players = NULL;
	int rc = ex_require(s, p, id, CEP_ACT_EXERCISE_EVALUATE, &row, err);

	if (rc < 0)
		return rc;
	rc = store_query_all(
		s,
		"SELECT m.org_id AS org, o.code AS org_code, o.name_ja, o.name_en, m.team,"
		" (SELECT count(*) FROM deliveries d JOIN exercise_injects i ON i.alert_id = d.alert_id"
		"  WHERE i.exercise_id = m.exercise_id AND d.org_id = m.org_id) AS delivered,"
		" (SELECT count(*) FROM deliveries d JOIN exercise_injects i ON i.alert_id = d.alert_id"
		"  WHERE i.exercise_id = m.exercise_id AND d.org_id = m.org_id"
		"  AND d.acked_at IS NOT NULL) AS acked,"
		" (SELECT count(*) FROM exercise_actions a WHERE a.exercise_id = m.exercise_id"
		"  AND a.org_id = m.org_id AND a.kind = 'report') AS reports,"
		" (SELECT count(*) FROM exercise_actions a WHERE a.exercise_id = m.exercise_id"
		"  AND a.org_id = m.org_id AND a.kind = 'share') AS shares,"
		" (SELECT max(at_s) FROM exercise_actions a WHERE a.exercise_id = m.exercise_id"
		"  AND a.org_id = m.org_id) AS last_action_s"
		" FROM exercise_player_orgs m JOIN orgs o ON o.id = m.org_id"
		" WHERE m.exercise_id = ? ORDER BY m.team, o.code",
		(struct store_arg[]){ STORE_TEXT(id) }, 1, &players);
	if (rc == 0)
		*ret = json_pack("{s:s, s:O, s:I, s:o}", "exercise", id, "state",
				 json_object_get(row, "state"), "scenario_s",
				 (json_int_t)ex_scenario_now(row, cep_now_ms()), "players", players);
	json_decref(row);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the players' status");
	return *ret ? 0 : CEP_ENOMEM;
}

int exercise_player_view(struct store *s, const struct cep_principal *p, const char *id,
			 json_t **ret, struct cep_error *err)
{
	json_t *ex = NULL, *injects = NULL, *actions = NULL;
	int rc = ex_require(s, p, id, CEP_ACT_EXERCISE_PLAY, NULL, err);

	if (rc == 0)
		rc = exercise_get(s, p, id, &ex, err);
	if (rc < 0)
		return rc;
	/* what reached p's org, never what is still to come */
	rc = store_query_all(s,
			     "SELECT i.seq, i.at_s, i.title, i.alert_id AS alert, d.id AS delivery,"
			     " d.acked_at FROM exercise_injects i JOIN deliveries d"
			     " ON d.alert_id = i.alert_id AND d.org_id = ? WHERE i.exercise_id = ?"
			     " ORDER BY i.at_s, i.seq",
			     (struct store_arg[]){ STORE_TEXT(p->org_id), STORE_TEXT(id) }, 2, &injects);
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT kind, at_s, ref, cause FROM exercise_actions"
				     " WHERE exercise_id = ? AND org_id = ? ORDER BY at_s, id",
				     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(p->org_id) }, 2,
				     &actions);
	if (rc < 0) {
		json_decref(ex);
		json_decref(injects);
		return cep_error_set(err, rc, NULL, "cannot read the exercise");
	}
	*ret = json_pack("{s:o, s:o, s:o}", "exercise", ex, "injects", injects, "actions", actions);
	return *ret ? 0 : CEP_ENOMEM;
}

/* ---- notes ---- */

int exercise_note_add(struct store *s, const struct cep_principal *p, const char *id,
		      const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "kind", "body", "org", "inject", "owner", "due", NULL };
	const char *kind = NULL, *body = NULL, *org = NULL, *inject = NULL, *owner = NULL,
		   *due = NULL;
	char nid[CEP_UUID_LEN + 1], org_id[CEP_ID_MAX] = "";
	json_t *row = NULL;
	unsigned parts;
	int rc = cep_json_only(in, allowed, err);

	if (rc == 0)
		rc = cep_json_text(in, "kind", 16, 1, 0, &kind, err);
	if (rc == 0 && strcmp(kind, "observation") && strcmp(kind, "advice") && strcmp(kind, "lesson"))
		rc = cep_error_set(err, CEP_EINVAL, "kind", "kind must be observation, advice or lesson");
	if (rc == 0)
		rc = cep_json_text(in, "body", EX_TEXT_MAX, 1, 1, &body, err);
	if (rc == 0)
		rc = cep_json_text(in, "org", 64, 0, 0, &org, err);
	if (rc == 0)
		rc = cep_json_text(in, "inject", 64, 0, 0, &inject, err);
	if (rc == 0)
		rc = cep_json_text(in, "owner", EX_TITLE_MAX, !strcmp(kind, "lesson"), 0, &owner, err);
	if (rc == 0)
		rc = cep_json_text(in, "due", 32, !strcmp(kind, "lesson"), 0, &due, err);
	if (rc < 0)
		return rc;
	rc = ex_begin(s, p, id, CEP_ACT_EXERCISE_EVALUATE, 0, &row, err);
	if (rc < 0)
		return rc;
	parts = (unsigned)json_integer_value(json_object_get(row, "parts_bits"));
	/* advisers advise; evaluators and controllers observe and draw lessons */
	if (rc == 0 && !strcmp(kind, "advice") && !(parts & CEP_PART_ADVISER))
		rc = cep_error_set(err, CEP_EPERM, "kind", "advice is written by third-party advisers");
	if (rc == 0 && strcmp(kind, "advice") && parts == CEP_PART_ADVISER)
		rc = cep_error_set(err, CEP_EPERM, "kind",
				   "an adviser writes advice; observations and lessons are the "
				   "evaluators'");
	if (rc == 0 && org) { /* about one of the players */
		json_t *o = NULL;

		rc = store_query_one(s,
				     "SELECT m.org_id FROM exercise_player_orgs m JOIN orgs x ON x.id = m.org_id"
				     " WHERE m.exercise_id = ? AND (x.id = ? OR x.code = ?)",
				     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(org), STORE_TEXT(org) },
				     3, &o);
		if (rc == CEP_ENOTFOUND)
			rc = cep_error_set(err, CEP_EINVAL, "org", "no such player in this exercise");
		if (rc == 0)
			snprintf(org_id, sizeof(org_id), "%s",
				 json_string_value(json_object_get(o, "org_id")));
		json_decref(o);
	}
	cep_uuid(nid);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO exercise_notes (id, exercise_id, kind, author, org_id,"
			       " inject_id, body, owner, due, at_s, created_at)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(nid), STORE_TEXT(id), STORE_TEXT(kind),
						     STORE_TEXT(p->name), STORE_TEXT(org_id),
						     STORE_TEXT(inject ? inject : ""), STORE_TEXT(body),
						     STORE_TEXT(owner ? owner : ""),
						     STORE_TEXT(due ? due : ""),
						     STORE_INT(ex_scenario_now(row, cep_now_ms())),
						     STORE_INT(cep_now()) },
			       11);
	json_decref(row);
	rc = audit_commit(s, rc, p, "exercise.note", "exercise", id, NULL, "the note", err);
	if (rc < 0)
		return rc;
	return store_query_one(s,
			       "SELECT id, kind, author, nullif(org_id, '') AS org,"
			       " nullif(inject_id, '') AS inject, body, owner, due, at_s, created_at"
			       " FROM exercise_notes WHERE id = ?",
			       (struct store_arg[]){ STORE_TEXT(nid) }, 1, ret);
}

static int read_notes(struct store *s, const char *id, json_t **ret)
{
	return store_query_all(s,
			       "SELECT n.id, n.kind, n.author, nullif(n.org_id, '') AS org,"
			       " o.code AS org_code, nullif(n.inject_id, '') AS inject, n.body,"
			       " n.owner, n.due, n.at_s, n.created_at FROM exercise_notes n"
			       " LEFT JOIN orgs o ON o.id = n.org_id WHERE n.exercise_id = ?"
			       " ORDER BY n.created_at, n.rowid",
			       (struct store_arg[]){ STORE_TEXT(id) }, 1, ret);
}

int exercise_notes(struct store *s, const struct cep_principal *p, const char *id,
		   json_t **ret, struct cep_error *err)
{
	json_t *rows = NULL;
	int rc = ex_require(s, p, id, CEP_ACT_EXERCISE_EVALUATE, NULL, err);

	if (rc == 0)
		rc = read_notes(s, id, &rows);
	if (rc < 0)
		return err && err->code ? rc : cep_error_set(err, rc, NULL, "cannot read the notes");
	*ret = json_pack("{s:o, s:I}", "items", rows, "total", (json_int_t)json_array_size(rows));
	return *ret ? 0 : CEP_ENOMEM;
}

/* ---- the after-action report ---- */

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* {"n", "mean", "median", "max"} (seconds) of the integer member key over rows
 * (those with it set); n 0 gives nulls. */
static json_t *stats(const json_t *rows, const char *key)
{
	int64_t v[4096], sum = 0;
	size_t n = 0, i;
	json_t *r;

	json_array_foreach(rows, i, r) {
		const json_t *x = json_object_get(r, key);

		if (json_is_integer(x) && n < sizeof(v) / sizeof(v[0])) {
			v[n++] = json_integer_value(x);
			sum += json_integer_value(x);
		}
	}
	if (n == 0)
		return json_pack("{s:i, s:n, s:n, s:n}", "n", 0, "mean", "median", "max");
	qsort(v, n, sizeof(v[0]), cmp_int64);
	return json_pack("{s:I, s:I, s:I, s:I}", "n", (json_int_t)n, "mean", (json_int_t)(sum / (int64_t)n),
			 "median", (json_int_t)(n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2),
			 "max", (json_int_t)v[n - 1]);
}

/* The summary of rows whose member key equals value (NULL: all rows). */
static json_t *summary(const json_t *rows, const char *key, const char *value)
{
	json_t *sel = json_array(), *r, *out;
	size_t i;
	int64_t met = 0, missed = 0;

	json_array_foreach(rows, i, r) {
		const json_t *exp;
		size_t k;
		json_t *e;

		if (value && strcmp(json_string_value(json_object_get(r, key)), value))
			continue;
		json_array_append(sel, r);
		exp = json_object_get(r, "expected");
		json_array_foreach(exp, k, e) {
			if (json_is_true(json_object_get(e, "met")))
				met++;
			else
				missed++;
		}
	}
	out = json_pack("{s:I, s:o, s:o, s:o, s:o, s:I, s:I}", "injects", (json_int_t)json_array_size(sel),
			"report", stats(sel, "report_s"), "ack", stats(sel, "ack_s"), "share",
			stats(sel, "share_s"), "cause", stats(sel, "cause_s"), "met", (json_int_t)met,
			"missed", (json_int_t)missed);
	json_decref(sel);
	return out;
}

/* The first action of kind by org at or after t (cause: naming it), or -1. */
static int64_t first_after(const json_t *actions, const char *org, const char *kind, int64_t t,
			   const char *ref, const char *cause)
{
	size_t i;
	json_t *a;

	json_array_foreach(actions, i, a) {
		int64_t at = json_integer_value(json_object_get(a, "at_s"));
		const char *c = json_string_value(json_object_get(a, "cause"));

		if (at < t || strcmp(json_string_value(json_object_get(a, "org_id")), org) ||
		    strcmp(json_string_value(json_object_get(a, "kind")), kind))
			continue;
		if (ref && strcmp(json_string_value(json_object_get(a, "ref")), ref))
			continue;
		if (cause && (!c || strcmp(c, cause)))
			continue;
		return at - t;
	}
	return -1;
}

/* One row per delivered inject and player who got it. */
static int rows_of(struct store *s, const json_t *ex, json_t **ret)
{
	const char *id = json_string_value(json_object_get(ex, "id"));
	const char *cause = json_string_value(json_object_get(ex, "cause_category"));
	json_t *pairs = NULL, *actions = NULL, *rows = json_array(), *pr;
	size_t i;
	int rc = store_query_all(
		s,
		"SELECT i.alert_id AS alert, i.seq AS inject_seq, i.title AS inject_title, i.at_s,"
		" i.expected, i.respond_within_s, i.sub_scenario, d.org_id AS org, o.code AS org_code,"
		" o.name_ja, o.name_en, coalesce(m.team, o.sector_id, '') AS team"
		" FROM exercise_injects i JOIN deliveries d ON d.alert_id = i.alert_id"
		" JOIN orgs o ON o.id = d.org_id LEFT JOIN exercise_player_orgs m ON m.exercise_id ="
		" i.exercise_id AND m.org_id = d.org_id"
		" WHERE i.exercise_id = ? ORDER BY i.at_s, i.seq, o.code",
		(struct store_arg[]){ STORE_TEXT(id) }, 1, &pairs);

	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT org_id, kind, at_s, ref, cause FROM exercise_actions"
				     " WHERE exercise_id = ? ORDER BY at_s, id",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &actions);
	json_array_foreach(rc == 0 ? pairs : NULL, i, pr) {
		const char *org = json_string_value(json_object_get(pr, "org"));
		const char *alert_of = json_string_value(json_object_get(pr, "alert"));
		int64_t t = json_integer_value(json_object_get(pr, "at_s")), v[4];
		const json_t *within = json_object_get(pr, "respond_within_s");
		json_t *exp = json_loads(json_string_value(json_object_get(pr, "expected")), 0, NULL);
		json_t *met = json_array(), *e;
		static const char *const keys[] = { "report_s", "ack_s", "share_s", "cause_s" };
		static const char *const codes[] = { "report", "ack", "share", "cause" };
		size_t k;

		v[0] = first_after(actions, org, "report", t, NULL, NULL);
		v[1] = alert_of ? first_after(actions, org, "ack", t, alert_of, NULL) : -1;
		v[2] = first_after(actions, org, "share", t, NULL, NULL);
		v[3] = cause ? first_after(actions, org, "report", t, NULL, cause) : -1;
		for (int j = 0; j < 4; j++)
			json_object_set_new(pr, keys[j], v[j] >= 0 ? json_integer(v[j]) : json_null());
		json_array_foreach(exp, k, e) {
			for (int j = 0; j < 4; j++) {
				if (strcmp(json_string_value(e), codes[j]))
					continue;
				json_array_append_new(
					met, json_pack("{s:s, s:b}", "action", codes[j], "met",
						       v[j] >= 0 && (!json_is_integer(within) ||
								     v[j] <= json_integer_value(within))));
			}
		}
		json_decref(exp);
		json_object_set_new(pr, "expected", met);
		json_array_append(rows, pr);
	}
	json_decref(pairs);
	json_decref(actions);
	if (rc < 0) {
		json_decref(rows);
		return rc;
	}
	*ret = rows;
	return 0;
}

int exercise_report(struct store *s, const struct cep_principal *p, const char *id,
		    json_t **ret, struct cep_error *err)
{
	json_t *ex = NULL, *rows = NULL, *notes = NULL, *parts = json_array(), *secs = json_array(),
	       *seen = json_object(), *r, *timeline = NULL;
	size_t i;
	int rc = ex_require(s, p, id, CEP_ACT_EXERCISE_EVALUATE, NULL, err);

	if (rc == 0)
		rc = exercise_get(s, p, id, &ex, err);
	if (rc < 0)
		goto out;
	json_object_del(ex, "members");
	rc = rows_of(s, ex, &rows);
	if (rc == 0)
		rc = read_notes(s, id, &notes);
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT 'inject' AS kind, at_s, seq, title, NULL AS org_code"
				     " FROM exercise_injects WHERE exercise_id = ? AND state = 'delivered'"
				     " UNION ALL SELECT a.kind, a.at_s, NULL, NULL, o.code"
				     " FROM exercise_actions a JOIN orgs o ON o.id = a.org_id"
				     " WHERE a.exercise_id = ? AND a.kind <> 'alert'"
				     " ORDER BY at_s, kind",
				     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(id) }, 2, &timeline);
	json_array_foreach(rc == 0 ? rows : NULL, i, r) {
		const char *org = json_string_value(json_object_get(r, "org"));
		const char *team = json_string_value(json_object_get(r, "team"));
		char key[CEP_ID_MAX + 8];
		json_t *sum;

		snprintf(key, sizeof(key), "o:%s", org);
		if (!json_object_get(seen, key)) {
			json_object_set_new(seen, key, json_true());
			sum = summary(rows, "org", org);
			json_object_set(sum, "org", json_object_get(r, "org"));
			json_object_set(sum, "org_code", json_object_get(r, "org_code"));
			json_object_set(sum, "name_ja", json_object_get(r, "name_ja"));
			json_object_set(sum, "name_en", json_object_get(r, "name_en"));
			json_object_set(sum, "team", json_object_get(r, "team"));
			json_array_append_new(parts, sum);
		}
		snprintf(key, sizeof(key), "t:%s", team);
		if (!json_object_get(seen, key)) {
			json_object_set_new(seen, key, json_true());
			sum = summary(rows, "team", team);
			json_object_set_new(sum, "team", json_string(team));
			json_array_append_new(secs, sum);
		}
	}
	if (rc < 0) {
		cep_error_set(err, rc, NULL, "cannot measure the exercise");
		goto out;
	}
	*ret = json_pack("{s:O, s:I, s:O, s:O, s:O, s:o, s:O, s:O}", "exercise", ex, "generated_at",
			 (json_int_t)cep_now(), "rows", rows, "participants", parts, "sectors", secs,
			 "overall", summary(rows, NULL, NULL), "notes", notes, "timeline", timeline);
	rc = *ret ? 0 : CEP_ENOMEM;
out:
	json_decref(ex);
	json_decref(rows);
	json_decref(notes);
	json_decref(parts);
	json_decref(secs);
	json_decref(seen);
	json_decref(timeline);
	return rc;
}
