/* notify.c - a survey reaches its respondents through the sharing system:
 * the alert 【浸透状況調査】 that opens it and the reminders (on request and by
 * the delivery worker before the deadline) to those that have not submitted. */
#include "survey/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/log.h"
#include "share/share.h"

#include <stdio.h>
#include <string.h>

/* The principal that speaks for a survey's org (the console and the worker:
 * the survey's org). A survey is the real world's: its alerts are too, even
 * when the request came from inside an exercise. */
static void speaker(const struct cep_principal *p, const json_t *row, struct cep_principal *out)
{
	if (p && p->role != CEP_ROLE_SYSTEM) {
		*out = *p;
	} else {
		cep_principal_system(out);
		snprintf(out->org_id, sizeof(out->org_id), "%s",
			 json_string_value(json_object_get(row, "org")));
	}
	out->exercise_id[0] = '\0';
	out->exercise_at = 0;
}

/* An alert from the survey's org to orgs (at most SHARE_AUDIENCE_MAX per alert). */
int sv_send(struct store *s, const struct cep_principal *p, const json_t *row,
		const json_t *orgs, int reminder, char ret_alert[64])
{
	struct cep_principal who;
	struct cep_error e;
	char title_ja[2048], title_en[2048], body_ja[4096], body_en[4096], dl[CEP_TS_MAX];
	const char *id = json_string_value(json_object_get(row, "id"));
	size_t n = json_array_size(orgs);
	int rc = 0;

	speaker(p, row, &who);
	cep_ts_jst(json_integer_value(json_object_get(row, "deadline_s")), dl);
	snprintf(title_ja, sizeof(title_ja), "【浸透状況調査%s】%s", reminder ? "・督促" : "",
		 json_string_value(json_object_get(row, "title_ja")));
	snprintf(title_en, sizeof(title_en), "[%s] %s",
		 reminder ? "Reminder: penetration survey" : "Penetration survey",
		 json_string_value(json_object_get(row, "title_en")));
	snprintf(body_ja, sizeof(body_ja),
		 "「安全基準等」の浸透状況等に関する調査への回答をお願いします%s。\n"
		 "回答期限: %s\n調査票: ceptoar の「浸透状況調査」(#/surveys/%s)、または\n"
		 "GET /api/v1/surveys/%s と POST /api/v1/surveys/%s/answers。\n"
		 "回答は貴組織だけが閲覧でき、集計は回答数が一定数に達した場合に限り所管省庁と内閣官房に示されます。",
		 reminder ? "(未提出のため再度ご連絡しています)" : "", dl, id, id, id);
	snprintf(body_en, sizeof(body_en),
		 "Please answer the survey of the penetration of safety standards%s.\n"
		 "Deadline: %s\nQuestionnaire: the Survey page of ceptoar (#/surveys/%s), or\n"
		 "GET /api/v1/surveys/%s and POST /api/v1/surveys/%s/answers.\n"
		 "Only your organisation reads your answers; the ministry and NISC see aggregates only,\n"
		 "and only once enough operators have answered.",
		 reminder ? " (a reminder: yours is not submitted yet)" : "", dl, id, id, id);
	for (size_t from = 0; rc == 0 && from < n; from += SHARE_AUDIENCE_MAX) {
		json_t *part = json_array(), *in, *res = NULL;

		for (size_t k = from; k < n && k < from + SHARE_AUDIENCE_MAX; k++)
			json_array_append(part, json_array_get(orgs, k));
		in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:o}, s:s}", "severity", "info",
			       "title_ja", title_ja, "title_en", title_en, "body_ja", body_ja, "body_en",
			       body_en, "audience", "orgs", part, "tlp", "GREEN");
		cep_error_init(&e);
		rc = in ? share_alert_create(s, &who, in, &res, &e) : CEP_ENOMEM;
		if (rc == 0 && ret_alert && from == 0)
			snprintf(ret_alert, 64, "%s", json_string_value(json_object_get(res, "id")));
		if (rc < 0)
			cep_log(CEP_LOG_ERROR, "survey %s: cannot send to its respondents: %s", id,
				e.message);
		json_decref(in);
		json_decref(res);
	}
	return rc;
}

/* Remind the pending respondents of survey row as p (NULL: its org). */
static int remind_row(struct store *s, const struct cep_principal *p, const json_t *row,
		      int *ret_n, struct cep_error *err)
{
	const char *id = json_string_value(json_object_get(row, "id"));
	json_t *orgs = NULL, *ids = json_array(), *it;
	struct cep_principal console;
	size_t i;
	int rc = store_query_all(s,
				 "SELECT org_id FROM survey_respondents WHERE survey_id = ?"
				 " AND submitted_at IS NULL ORDER BY org_id",
				 (struct store_arg[]){ STORE_TEXT(id) }, 1, &orgs);

	json_array_foreach(rc == 0 ? orgs : NULL, i, it)
		json_array_append(ids, json_object_get(it, "org_id"));
	json_decref(orgs);
	if (rc == 0 && json_array_size(ids))
		rc = sv_send(s, p, row, ids, 1, NULL);
	if (rc == 0) {
		cep_principal_system(&console);
		rc = store_begin(s);
		if (rc == 0)
			rc = store_run(s,
				       "UPDATE survey_respondents SET reminded_at = ? WHERE survey_id = ?"
				       " AND submitted_at IS NULL",
				       (struct store_arg[]){ STORE_INT(cep_now()), STORE_TEXT(id) }, 2);
		if (rc == 0)
			rc = store_run(s,
				       "UPDATE surveys SET reminded_at = ?, reminders = reminders + 1"
				       " WHERE id = ?",
				       (struct store_arg[]){ STORE_INT(cep_now()), STORE_TEXT(id) }, 2);
		rc = audit_commit(s, rc, p ? p : &console, "survey.remind", "survey", id, NULL,
				  "the reminder", err);
	}
	if (rc == 0 && ret_n)
		*ret_n = (int)json_array_size(ids);
	json_decref(ids);
	return rc;
}

int survey_remind(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		  struct cep_error *err)
{
	json_t *row = NULL;
	int n = 0;
	int rc = sv_require(s, p, id, CEP_ACT_SURVEY_MANAGE, &row, err);

	if (rc == 0 && strcmp(json_string_value(json_object_get(row, "state")), "open"))
		rc = cep_error_set(err, CEP_ESEMANTIC, "state", "only an open survey is reminded");
	if (rc == 0)
		rc = remind_row(s, p, row, &n, err);
	json_decref(row);
	if (rc < 0)
		return err && err->code ? rc : cep_error_set(err, rc, NULL, "cannot send the reminder");
	*ret = json_pack("{s:s, s:i}", "survey", id, "reminded", n);
	return *ret ? 0 : CEP_ENOMEM;
}

int survey_remind_due(struct store *s, int64_t now, int *ret_done, struct cep_error *err)
{
	json_t *rows = NULL, *row;
	size_t i;
	int done = 0;
	int rc = store_query_all(s,
				 "SELECT " SV_COLS " FROM surveys v JOIN sectors s ON s.id = v.sector_id"
				 " WHERE v.state = 'open' AND v.reminded_at IS NULL AND v.remind_days > 0"
				 " AND v.deadline_at > ? AND v.deadline_at - v.remind_days * 86400 <= ?"
				 " ORDER BY v.deadline_at LIMIT 20",
				 (struct store_arg[]){ STORE_INT(now), STORE_INT(now) }, 2, &rows);

	json_array_foreach(rc == 0 ? rows : NULL, i, row) {
		if (remind_row(s, NULL, row, NULL, err) == 0)
			done++;
	}
	json_decref(rows);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the surveys due for a reminder");
	if (ret_done)
		*ret_done = done;
	return 0;
}
