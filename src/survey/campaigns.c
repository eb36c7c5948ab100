/* campaigns.c - a survey campaign: its questionnaire, who may run and see
 * it, opening it (respondents and the alert to their inbox), reminders and
 * closing (notify.c sends its alerts). */
#include "survey/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/log.h"
#include "base/text.h"
#include "standards/standards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int survey_min_default(void)
{
	const char *v = getenv(SURVEY_MIN_ENV);
	char *end = NULL;
	long n;

	if (!v || !*v)
		return SURVEY_MIN_DEFAULT;
	n = strtol(v, &end, 10);
	if (*end || n < SURVEY_MIN_FLOOR || n > SURVEY_MIN_MAX)
		return SURVEY_MIN_DEFAULT;
	return (int)n;
}

void sv_object(struct store *s, const struct cep_principal *p, const json_t *row,
	       struct cep_object *o)
{
	int64_t n = 0;

	memset(o, 0, sizeof(*o));
	snprintf(o->ministry_id, sizeof(o->ministry_id), "%s",
		 json_string_value(json_object_get(row, "ministry")));
	snprintf(o->org_id, sizeof(o->org_id), "%s", p->org_id);
	if (p->org_id[0] &&
	    store_query_int(s,
			    "SELECT count(*) FROM survey_respondents WHERE survey_id = ? AND org_id = ?",
			    (struct store_arg[]){ STORE_TEXT(json_string_value(json_object_get(row, "id"))),
						  STORE_TEXT(p->org_id) },
			    2, &n) == 0)
		o->recipient = n > 0;
}

int sv_require(struct store *s, const struct cep_principal *p, const char *id,
	       enum cep_action action, json_t **ret_row, struct cep_error *err)
{
	struct cep_object o;
	json_t *row = NULL;
	int rc;

	if (!id || strlen(id) > 64)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such survey");
	rc = store_query_one(s,
			     "SELECT " SV_COLS " FROM surveys v JOIN sectors s ON s.id = v.sector_id"
			     " WHERE v.id = ?",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &row);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such survey");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the survey");
	sv_object(s, p, row, &o);
	if (policy_check(p, CEP_ACT_SURVEY_READ, &o) < 0 &&
	    policy_check(p, CEP_ACT_SURVEY_MANAGE, &o) < 0) {
		json_decref(row);
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such survey");
	}
	if (policy_check(p, action, &o) < 0) {
		json_decref(row);
		return cep_error_set(err, CEP_EPERM, NULL,
				     action == CEP_ACT_SURVEY_ANSWER ?
					     "only the operators asked answer the survey, each for itself" :
				     action == CEP_ACT_SURVEY_RESULTS ?
					     "the aggregates are for NISC and the sector's ministry" :
					     "a sector's survey is run by NISC and the sector's ministry");
	}
	if (ret_row)
		*ret_row = row;
	else
		json_decref(row);
	return 0;
}

/* ---- questions ---- */

static int question_add(struct store *s, const struct cep_principal *p, const char *id,
			const json_t *q, int index, struct cep_error *err)
{
	static const char *const keys[] = { "title_ja", "title_en", "text_ja", NULL };
	const char *title_ja = NULL, *title_en = NULL, *text_ja = NULL;
	char qid[16], field[32];
	int64_t n = 0;
	int rc;

	snprintf(field, sizeof(field), index >= 0 ? "questions[%d]" : "question", index);
	if (!json_is_object(q))
		return cep_error_set(err, CEP_EINVAL, field, "%s: a question is an object", field);
	rc = cep_json_only(q, keys, err);
	if (rc == 0)
		rc = cep_json_text(q, "title_ja", SURVEY_TITLE_MAX, 1, 0, &title_ja, err);
	if (rc == 0)
		rc = cep_json_text(q, "title_en", SURVEY_TITLE_MAX, 0, 0, &title_en, err);
	if (rc == 0)
		rc = cep_json_text(q, "text_ja", SURVEY_TEXT_MAX, 0, 1, &text_ja, err);
	if (rc == 0)
		rc = store_query_int(s, "SELECT count(*) FROM survey_questions WHERE survey_id = ?"
				     " AND extra = 1",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &n);
	if (rc == 0 && n >= SURVEY_EXTRA_MAX)
		rc = cep_error_set(err, CEP_ETOOBIG, field, "a survey has at most %d extra questions",
				   SURVEY_EXTRA_MAX);
	if (rc < 0)
		return rc;
	snprintf(qid, sizeof(qid), "X%d", (int)n + 1);
	return store_run(s,
			 "INSERT INTO survey_questions (survey_id, qid, item_id, pillar, mark, title_ja,"
			 " title_en, text_ja, extra, added_by, position) VALUES (?,?,NULL,'extra',NULL,"
			 "?,?,?,1,?,(SELECT coalesce(max(position), 0) + 1 FROM survey_questions"
			 " WHERE survey_id = ?))",
			 (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(qid), STORE_TEXT(title_ja),
					       STORE_TEXT(title_en ? title_en : ""),
					       STORE_TEXT(text_ja ? text_ja : ""),
					       STORE_TEXT(p->org_id[0] ? p->org_id : "console"),
					       STORE_TEXT(id) },
			 7);
}

/* The questions from the edition's marked items; inside the caller's transaction. */
static int questions_from(struct store *s, const struct cep_principal *p, const char *id,
			  const char *edition, struct cep_error *err)
{
	json_t *items = NULL, *it;
	size_t i;
	struct cep_error e;
	int rc;

	cep_error_init(&e);
	rc = std_marked_items(s, p, edition, &items, &e);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, CEP_ESEMANTIC, "edition", "no such edition of the Guideline");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "%s", e.message);
	json_array_foreach(rc == 0 ? items : NULL, i, it) {
		rc = store_run(s,
			       "INSERT INTO survey_questions (survey_id, qid, item_id, pillar, mark,"
			       " title_ja, title_en, text_ja, extra, position) VALUES (?,?,?,?,?,?,?,?,0,?)",
			       (struct store_arg[]){
				       STORE_TEXT(id), STORE_TEXT(json_string_value(json_object_get(it, "id"))),
				       STORE_TEXT(json_string_value(json_object_get(it, "id"))),
				       STORE_TEXT(json_string_value(json_object_get(it, "pillar"))),
				       STORE_TEXT(json_string_value(json_object_get(it, "mark"))),
				       STORE_TEXT(json_string_value(json_object_get(it, "title_ja"))),
				       STORE_TEXT(json_string_value(json_object_get(it, "title_en"))),
				       STORE_TEXT(json_string_value(json_object_get(it, "text_ja"))),
				       STORE_INT((int64_t)i + 1) },
			       9);
		if (rc < 0)
			break;
	}
	json_decref(items);
	return rc;
}

/* ---- create, change ---- */

/* An integer member in [min, max] into *ret (unchanged when absent). */
static int int_member(const json_t *in, const char *key, int64_t min, int64_t max, int64_t *ret,
		      struct cep_error *err)
{
	const json_t *v = json_object_get(in, key);

	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return cep_error_set(err, CEP_EINVAL, key, "%s must be a whole number from %lld to %lld",
				     key, (long long)min, (long long)max);
	*ret = json_integer_value(v);
	return 0;
}

static int deadline_member(const json_t *in, int required, int64_t *ret, struct cep_error *err)
{
	const char *v = NULL;
	int64_t t;
	int rc = cep_json_text(in, "deadline", 64, required, 0, &v, err);

	if (rc < 0 || !v)
		return rc;
	if (cep_ts_parse(v, &t) < 0)
		return cep_error_set(err, CEP_EINVAL, "deadline",
				     "deadline must be an RFC 3339 time (2026-10-31T17:00:00+09:00)");
	if (t <= cep_now())
		return cep_error_set(err, CEP_EINVAL, "deadline", "deadline must be in the future");
	*ret = t;
	return 0;
}

int survey_create(struct store *s, const struct cep_principal *p, const json_t *in,
		  json_t **ret, struct cep_error *err)
{
	static const char *const keys[] = { "sector", "year", "deadline", "edition", "title_ja",
					    "title_en", "remind_days", "min_respondents",
					    "questions", "open", NULL };
	const char *sector = NULL, *edition = NULL, *title_ja = NULL, *title_en = NULL;
	const json_t *questions = json_object_get(in, "questions"), *q, *open = json_object_get(in, "open");
	int64_t year = 0, deadline = 0, remind = 7, minr = survey_min_default();
	char id[CEP_UUID_LEN + 1], tja[SURVEY_TITLE_MAX * 4], ten[SURVEY_TITLE_MAX * 4];
	struct cep_object o = { 0 };
	json_t *sec = NULL;
	size_t i;
	int rc = cep_json_only(in, keys, err);

	if (rc == 0)
		rc = cep_json_text(in, "sector", 64, 1, 0, &sector, err);
	if (rc == 0 && !json_object_get(in, "year"))
		rc = cep_error_set(err, CEP_EINVAL, "year", "year is required (the fiscal year surveyed)");
	if (rc == 0)
		rc = int_member(in, "year", 2000, 2100, &year, err);
	if (rc == 0)
		rc = deadline_member(in, 1, &deadline, err);
	if (rc == 0)
		rc = cep_json_text(in, "edition", STD_EDITION_MAX, 0, 0, &edition, err);
	if (rc == 0)
		rc = cep_json_text(in, "title_ja", SURVEY_TITLE_MAX, 0, 0, &title_ja, err);
	if (rc == 0)
		rc = cep_json_text(in, "title_en", SURVEY_TITLE_MAX, 0, 0, &title_en, err);
	if (rc == 0)
		rc = int_member(in, "remind_days", 0, SURVEY_REMIND_DAYS_MAX, &remind, err);
	if (rc == 0)
		rc = int_member(in, "min_respondents", SURVEY_MIN_FLOOR, SURVEY_MIN_MAX, &minr, err);
	if (rc == 0 && open && !json_is_boolean(open))
		rc = cep_error_set(err, CEP_EINVAL, "open", "open must be true or false");
	if (rc == 0 && questions &&
	    (!json_is_array(questions) || json_array_size(questions) > SURVEY_EXTRA_MAX))
		rc = cep_error_set(err, CEP_EINVAL, "questions",
				   "questions must be a list of at most %d extra questions",
				   SURVEY_EXTRA_MAX);
	if (rc == 0) {
		rc = store_query_one(s, "SELECT id, name_ja, name_en, ministry_id FROM sectors WHERE id = ?",
				     (struct store_arg[]){ STORE_TEXT(sector) }, 1, &sec);
		if (rc == CEP_ENOTFOUND)
			rc = cep_error_set(err, CEP_ESEMANTIC, "sector", "no such sector: %s", sector);
	}
	if (rc < 0)
		return err && err->code ? rc : cep_error_set(err, rc, NULL, "cannot read the sector");
	snprintf(o.ministry_id, sizeof(o.ministry_id), "%s",
		 json_string_value(json_object_get(sec, "ministry_id")));
	if (policy_check(p, CEP_ACT_SURVEY_MANAGE, &o) < 0) {
		json_decref(sec);
		return cep_error_set(err, CEP_EPERM, NULL,
				     "a sector's survey is run by NISC and the sector's ministry");
	}
	if (json_is_true(open)) { /* opened at once: refused whole, not left a draft */
		int64_t ops = 0;

		rc = store_query_int(s, "SELECT count(*) FROM orgs WHERE kind = 'operator' AND sector_id = ?",
				     (struct store_arg[]){ STORE_TEXT(sector) }, 1, &ops);
		if (rc == 0 && ops == 0)
			rc = cep_error_set(err, CEP_ESEMANTIC, "sector", "the sector has no operators to ask");
		if (rc < 0) {
			json_decref(sec);
			return err && err->code ? rc : cep_error_set(err, rc, NULL, "cannot read the sector");
		}
	}
	snprintf(tja, sizeof(tja), "%lld年度 「安全基準等」の浸透状況等に関する調査(%s)",
		 (long long)year, json_string_value(json_object_get(sec, "name_ja")));
	snprintf(ten, sizeof(ten), "FY%lld survey of the penetration of safety standards (%s)",
		 (long long)year, json_string_value(json_object_get(sec, "name_en")));
	json_decref(sec);
	cep_uuid(id);
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = store_run(s,
		       "INSERT INTO surveys (id, sector_id, year, edition, title_ja, title_en, org_id,"
		       " deadline_at, remind_days, min_respondents, created_by, created_at)"
		       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
		       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(sector), STORE_INT(year),
					     STORE_TEXT(edition ? edition : "3"),
					     STORE_TEXT(title_ja ? title_ja : tja),
					     STORE_TEXT(title_en ? title_en : ten),
					     STORE_TEXT(p->org_id[0] ? p->org_id : "nisc"),
					     STORE_INT(deadline), STORE_INT(remind), STORE_INT(minr),
					     STORE_TEXT(p->user_id[0] ? p->user_id : "console"),
					     STORE_INT(cep_now()) },
		       12);
	if (rc == CEP_EEXIST)
		cep_error_set(err, rc, "year", "the sector's survey of %lld exists already",
			      (long long)year);
	if (rc == 0)
		rc = questions_from(s, p, id, edition ? edition : "3", err);
	json_array_foreach(rc == 0 ? questions : NULL, i, q) {
		rc = question_add(s, p, id, q, (int)i, err);
		if (rc < 0)
			break;
	}
	rc = audit_commit(s, rc, p, "survey.create", "survey", id, NULL, "the survey", err);
	if (rc < 0)
		return rc;
	if (json_is_true(open))
		return survey_open(s, p, id, ret, err);
	return survey_get(s, p, id, ret, err);
}

int survey_update(struct store *s, const struct cep_principal *p, const char *id,
		  const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const keys[] = { "deadline", "remind_days", "min_respondents",
					    "title_ja", "title_en", NULL };
	const char *title_ja = NULL, *title_en = NULL;
	int64_t deadline = -1, remind = -1, minr = -1;
	json_t *row = NULL;
	int rc = cep_json_only(in, keys, err);

	if (rc == 0)
		rc = deadline_member(in, 0, &deadline, err);
	if (rc == 0)
		rc = int_member(in, "remind_days", 0, SURVEY_REMIND_DAYS_MAX, &remind, err);
	if (rc == 0)
		rc = int_member(in, "min_respondents", SURVEY_MIN_FLOOR, SURVEY_MIN_MAX, &minr, err);
	if (rc == 0)
		rc = cep_json_text(in, "title_ja", SURVEY_TITLE_MAX, 0, 0, &title_ja, err);
	if (rc == 0)
		rc = cep_json_text(in, "title_en", SURVEY_TITLE_MAX, 0, 0, &title_en, err);
	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = sv_require(s, p, id, CEP_ACT_SURVEY_MANAGE, &row, err);
	if (rc == 0 && deadline >= 0 &&
	    !strcmp(json_string_value(json_object_get(row, "state")), "closed"))
		rc = cep_error_set(err, CEP_ESEMANTIC, "deadline", "the survey is closed");
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE surveys SET deadline_at = CASE WHEN ? >= 0 THEN ? ELSE deadline_at END,"
			       " remind_days = CASE WHEN ? >= 0 THEN ? ELSE remind_days END,"
			       " reminded_at = CASE WHEN ? >= 0 OR ? >= 0 THEN NULL ELSE reminded_at END,"
			       " min_respondents = CASE WHEN ? >= 0 THEN ? ELSE min_respondents END,"
			       " title_ja = coalesce(?, title_ja), title_en = coalesce(?, title_en)"
			       " WHERE id = ?",
			       (struct store_arg[]){ STORE_INT(deadline), STORE_INT(deadline),
						     STORE_INT(remind), STORE_INT(remind),
						     STORE_INT(deadline), STORE_INT(remind),
						     STORE_INT(minr), STORE_INT(minr), STORE_TEXT(title_ja),
						     STORE_TEXT(title_en), STORE_TEXT(id) },
			       11);
	json_decref(row);
	rc = audit_commit(s, rc, p, "survey.update", "survey", id, in, "the survey", err);
	return rc < 0 ? rc : survey_get(s, p, id, ret, err);
}

int survey_question_add(struct store *s, const struct cep_principal *p, const char *id,
			const json_t *in, json_t **ret, struct cep_error *err)
{
	json_t *row = NULL;
	int rc = store_begin(s);

	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = sv_require(s, p, id, CEP_ACT_SURVEY_MANAGE, &row, err);
	if (rc == 0 && strcmp(json_string_value(json_object_get(row, "state")), "draft"))
		rc = cep_error_set(err, CEP_ESEMANTIC, "state",
				   "questions are added before the survey opens");
	if (rc == 0)
		rc = question_add(s, p, id, in, -1, err);
	json_decref(row);
	rc = audit_commit(s, rc, p, "survey.question.add", "survey", id, in, "the question", err);
	return rc < 0 ? rc : survey_get(s, p, id, ret, err);
}

/* ---- reading ---- */

int survey_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
	       struct cep_error *err)
{
	json_t *row = NULL, *qs = NULL, *extra = NULL, *it;
	struct cep_object o;
	size_t i;
	int rc = sv_require(s, p, id, CEP_ACT_SURVEY_READ, &row, err);

	if (rc < 0)
		return rc;
	rc = store_query_all(s,
			     "SELECT qid AS id, item_id AS item, title_ja, title_en, text_ja, mark, pillar,"
			     " extra FROM survey_questions WHERE survey_id = ? ORDER BY position",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &qs);
	json_array_foreach(rc == 0 ? qs : NULL, i, it)
		json_object_set_new(it, "extra",
				    json_boolean(json_integer_value(json_object_get(it, "extra"))));
	if (rc == 0)
		json_object_set_new(row, "questions", qs);
	sv_object(s, p, row, &o);
	if (rc == 0 && policy_check(p, CEP_ACT_SURVEY_MANAGE, &o) == 0) {
		rc = store_query_all(s,
				     "SELECT r.org_id AS org, o.code, o.name_ja, o.name_en, r.submitted_at,"
				     " r.reminded_at FROM survey_respondents r JOIN orgs o ON o.id = r.org_id"
				     " WHERE r.survey_id = ? ORDER BY o.code, o.id",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &extra);
		if (rc == 0) {
			size_t sub = 0;

			json_array_foreach(extra, i, it)
				sub += !json_is_null(json_object_get(it, "submitted_at"));
			json_object_set_new(row, "invited", json_integer((json_int_t)json_array_size(extra)));
			json_object_set_new(row, "submitted", json_integer((json_int_t)sub));
			json_object_set_new(row, "respondents", extra);
		}
	} else if (rc == 0 && o.recipient) {
		rc = store_query_one(s,
				     "SELECT submitted_at FROM survey_respondents WHERE survey_id = ?"
				     " AND org_id = ?",
				     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(p->org_id) }, 2,
				     &extra);
		if (rc == 0) {
			json_object_update(row, extra);
			json_object_set_new(row, "my_state",
					    json_string(json_is_null(json_object_get(extra, "submitted_at")) ?
								"pending" : "submitted"));
			json_decref(extra);
		}
	}
	if (rc < 0) {
		json_decref(row);
		return err && err->code ? rc : cep_error_set(err, rc, NULL, "cannot read the survey");
	}
	json_object_del(row, "deadline_s");
	*ret = row;
	return 0;
}

int survey_list(struct store *s, const struct cep_principal *p, const char *sector, int year,
		const char *state, const struct cep_page *page, json_t **ret,
		struct cep_error *err)
{
	struct cep_object any = { 0 }, own = { 0 }, rcpt = { .recipient = true };
	json_t *res = NULL, *it, *full;
	int all, ministry, respondent;
	size_t i;
	int rc;

	if (state && strcmp(state, "draft") && strcmp(state, "open") && strcmp(state, "closed"))
		return cep_error_set(err, CEP_EINVAL, "state", "state must be draft, open or closed");
	/* the policy's answers, turned into the query's condition */
	snprintf(own.ministry_id, sizeof(own.ministry_id), "%s", p->ministry_id);
	snprintf(rcpt.org_id, sizeof(rcpt.org_id), "%s", p->org_id);
	all = policy_check(p, CEP_ACT_SURVEY_READ, &any) == 0;
	ministry = p->ministry_id[0] && policy_check(p, CEP_ACT_SURVEY_READ, &own) == 0;
	respondent = p->org_id[0] && policy_check(p, CEP_ACT_SURVEY_READ, &rcpt) == 0;
	if (!all && !ministry && !respondent)
		return cep_error_set(err, CEP_EPERM, NULL, "this account takes part in no survey");
	rc = store_query_page(s, "v.id",
			      "FROM surveys v JOIN sectors s ON s.id = v.sector_id WHERE"
			      " (? = 1 OR (? = 1 AND s.ministry_id = ?) OR (? = 1 AND EXISTS (SELECT 1"
			      " FROM survey_respondents r WHERE r.survey_id = v.id AND r.org_id = ?)))"
			      " AND (? IS NULL OR v.sector_id = ?) AND (? = 0 OR v.year = ?)"
			      " AND (? IS NULL OR v.state = ?)",
			      "v.year DESC, s.position, v.id",
			      (struct store_arg[]){ STORE_INT(all), STORE_INT(ministry),
						    STORE_TEXT(p->ministry_id), STORE_INT(respondent),
						    STORE_TEXT(p->org_id), STORE_TEXT(sector),
						    STORE_TEXT(sector), STORE_INT(year), STORE_INT(year),
						    STORE_TEXT(state), STORE_TEXT(state) },
			      11, page, &res);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read surveys");
	json_array_foreach(json_object_get(res, "items"), i, it) {
		full = NULL;
		if (survey_get(s, p, json_string_value(json_object_get(it, "id")), &full, NULL) == 0) {
			json_object_del(full, "questions");
			json_object_del(full, "respondents");
			json_object_update(it, full);
		}
		json_decref(full);
	}
	*ret = res;
	return 0;
}
/* ---- open, close ---- */

int survey_open(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		struct cep_error *err)
{
	json_t *row = NULL, *orgs = NULL, *ids = NULL, *it;
	char alert[64] = "";
	size_t i;
	int rc = store_begin(s);

	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = sv_require(s, p, id, CEP_ACT_SURVEY_MANAGE, &row, err);
	if (rc == 0 && strcmp(json_string_value(json_object_get(row, "state")), "draft"))
		rc = cep_error_set(err, CEP_ESEMANTIC, "state", "the survey is %s already",
				   json_string_value(json_object_get(row, "state")));
	if (rc == 0 && json_integer_value(json_object_get(row, "deadline_s")) <= cep_now())
		rc = cep_error_set(err, CEP_ESEMANTIC, "deadline", "the deadline has passed");
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT id FROM orgs WHERE kind = 'operator' AND sector_id = ?"
				     " ORDER BY code, id LIMIT ?",
				     (struct store_arg[]){ STORE_TEXT(json_string_value(
								   json_object_get(row, "sector"))),
							   STORE_INT(SURVEY_RESPONDENTS_MAX + 1) },
				     2, &orgs);
	if (rc == 0 && json_array_size(orgs) == 0)
		rc = cep_error_set(err, CEP_ESEMANTIC, "sector", "the sector has no operators to ask");
	if (rc == 0 && json_array_size(orgs) > SURVEY_RESPONDENTS_MAX)
		rc = cep_error_set(err, CEP_ETOOBIG, "sector", "a survey asks at most %d operators",
				   SURVEY_RESPONDENTS_MAX);
	ids = json_array();
	json_array_foreach(rc == 0 ? orgs : NULL, i, it) {
		json_array_append(ids, json_object_get(it, "id"));
		rc = store_run(s, "INSERT INTO survey_respondents (survey_id, org_id) VALUES (?,?)",
			       (struct store_arg[]){ STORE_TEXT(id),
						     STORE_TEXT(json_string_value(json_object_get(it, "id"))) },
			       2);
		if (rc < 0)
			break;
	}
	if (rc == 0)
		rc = store_run(s, "UPDATE surveys SET state = 'open', opened_at = ? WHERE id = ?",
			       (struct store_arg[]){ STORE_INT(cep_now()), STORE_TEXT(id) }, 2);
	rc = audit_commit(s, rc, p, "survey.open", "survey", id, NULL, "the survey", err);
	/* to the inbox of every respondent (the sharing service's own transaction) */
	if (rc == 0 && sv_send(s, p, row, ids, 0, alert) == 0)
		store_run(s, "UPDATE surveys SET alert_id = ? WHERE id = ?",
			  (struct store_arg[]){ STORE_TEXT(alert), STORE_TEXT(id) }, 2);
	json_decref(orgs);
	json_decref(ids);
	json_decref(row);
	return rc < 0 ? rc : survey_get(s, p, id, ret, err);
}

int survey_close(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		 struct cep_error *err)
{
	json_t *row = NULL;
	int rc = store_begin(s);

	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = sv_require(s, p, id, CEP_ACT_SURVEY_MANAGE, &row, err);
	if (rc == 0 && strcmp(json_string_value(json_object_get(row, "state")), "open"))
		rc = cep_error_set(err, CEP_ESEMANTIC, "state", "only an open survey is closed");
	if (rc == 0)
		rc = store_run(s, "UPDATE surveys SET state = 'closed', closed_at = ? WHERE id = ?",
			       (struct store_arg[]){ STORE_INT(cep_now()), STORE_TEXT(id) }, 2);
	json_decref(row);
	rc = audit_commit(s, rc, p, "survey.close", "survey", id, NULL, "the survey", err);
	return rc < 0 ? rc : survey_get(s, p, id, ret, err);
}
