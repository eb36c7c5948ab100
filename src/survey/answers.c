/* answers.c - an operator's answers to a survey: given, changed until the
 * deadline, submitted, and read by the operator itself only. */
#include "survey/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>

static const char *const statuses[] = { "implemented", "partly", "planned", "not", "na", NULL };

/* The org's own standing from its own answers (no one else's): the shares
 * of must-consider and reference items implemented and its stage, into res
 * (borrowed on success; freed on failure). */
static int own_stage(struct store *s, const char *id, const char *org, json_t *res)
{
	json_t *row = NULL;
	double mi, ma, ri, ra;
	int stage;
	int rc = store_query_one(s,
				 "SELECT coalesce(sum(q.mark = 'must' AND a.status = 'implemented'), 0) AS mi,"
				 " coalesce(sum(q.mark = 'must' AND a.status <> 'na'), 0) AS ma,"
				 " coalesce(sum(q.mark = 'reference' AND a.status = 'implemented'), 0) AS ri,"
				 " coalesce(sum(q.mark = 'reference' AND a.status <> 'na'), 0) AS ra"
				 " FROM survey_answers a JOIN survey_questions q ON q.survey_id = a.survey_id"
				 " AND q.qid = a.qid WHERE a.survey_id = ? AND a.org_id = ?",
				 (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(org) }, 2, &row);

	if (rc < 0) {
		json_decref(res);
		return rc;
	}
	mi = (double)json_integer_value(json_object_get(row, "mi"));
	ma = (double)json_integer_value(json_object_get(row, "ma"));
	ri = (double)json_integer_value(json_object_get(row, "ri"));
	ra = (double)json_integer_value(json_object_get(row, "ra"));
	json_decref(row);
	stage = sv_stage(ma > 0 ? mi / ma : 0, ra > 0 ? ri / ra : 1);
	json_object_set_new(res, "own",
			    json_pack("{s:o, s:o, s:i, s:s, s:s}", "rate_must",
				      ma > 0 ? json_real(mi / ma) : json_null(), "rate_reference",
				      ra > 0 ? json_real(ri / ra) : json_null(), "stage", stage, "name_ja",
				      sv_stage_name(stage, 0), "name_en", sv_stage_name(stage, 1)));
	return 0;
}

int survey_answers(struct store *s, const struct cep_principal *p, const char *id,
		   const char *org, json_t **ret, struct cep_error *err)
{
	struct cep_object o = { 0 };
	json_t *answers = NULL, *sub = NULL, *res;
	int rc;

	if (!org)
		org = p->org_id;
	/* another org's answers do not exist for p: the same answer as no survey */
	snprintf(o.org_id, sizeof(o.org_id), "%s", org);
	if (!*org || policy_check(p, CEP_ACT_SURVEY_ANSWER, &o) < 0)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such answers");
	rc = sv_require(s, p, id, CEP_ACT_SURVEY_READ, NULL, err);
	if (rc == CEP_EPERM || rc == CEP_ENOTFOUND)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such answers");
	if (rc == 0) {
		rc = store_query_one(s,
				     "SELECT submitted_at, submitted_by FROM survey_respondents"
				     " WHERE survey_id = ? AND org_id = ?",
				     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(org) }, 2, &sub);
		if (rc == CEP_ENOTFOUND)
			return cep_error_set(err, rc, NULL, "no such answers");
	}
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT a.qid AS question, a.status, a.evidence, a.answered_at"
				     " FROM survey_answers a JOIN survey_questions q ON q.survey_id ="
				     " a.survey_id AND q.qid = a.qid WHERE a.survey_id = ? AND a.org_id = ?"
				     " ORDER BY q.position",
				     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(org) }, 2, &answers);
	if (rc < 0) {
		json_decref(sub);
		return err && err->code ? rc : cep_error_set(err, rc, NULL, "cannot read the answers");
	}
	res = json_pack("{s:s, s:s, s:O, s:o}", "survey", id, "org", org, "submitted_at",
			json_object_get(sub, "submitted_at"), "answers", answers);
	json_decref(sub);
	if (!res)
		return CEP_ENOMEM;
	rc = own_stage(s, id, org, res); /* res is freed on failure */
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the answers");
	*ret = res;
	return 0;
}

int survey_answer(struct store *s, const struct cep_principal *p, const char *id,
		  const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const keys[] = { "answers", "submit", NULL };
	static const char *const akeys[] = { "question", "status", "evidence", NULL };
	const json_t *answers = json_object_get(in, "answers"), *a, *submit = json_object_get(in, "submit");
	struct cep_object o = { 0 };
	json_t *row = NULL;
	char field[CEP_ERR_FIELD_MAX + 32];
	size_t i;
	int rc = cep_json_only(in, keys, err);

	if (rc == 0 && answers && (!json_is_array(answers) || json_array_size(answers) > 500))
		rc = cep_error_set(err, CEP_EINVAL, "answers",
				   "answers must be a list of at most 500 answers");
	if (rc == 0 && submit && !json_is_boolean(submit))
		rc = cep_error_set(err, CEP_EINVAL, "submit", "submit must be true or false");
	if (rc == 0 && !answers && !json_is_true(submit))
		rc = cep_error_set(err, CEP_EINVAL, "answers", "give answers, or submit: true");
	if (rc < 0)
		return rc;
	snprintf(o.org_id, sizeof(o.org_id), "%s", p->org_id);
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = sv_require(s, p, id, CEP_ACT_SURVEY_READ, &row, err);
	if (rc == 0 && (!p->org_id[0] || policy_check(p, CEP_ACT_SURVEY_ANSWER, &o) < 0))
		rc = cep_error_set(err, CEP_EPERM, NULL,
				   "only the operators asked answer the survey, each for itself");
	if (rc == 0) {
		int64_t n = 0;

		rc = store_query_int(s,
				     "SELECT count(*) FROM survey_respondents WHERE survey_id = ? AND org_id = ?",
				     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(p->org_id) }, 2, &n);
		if (rc == 0 && n == 0)
			rc = cep_error_set(err, CEP_EPERM, NULL, "this organisation was not asked");
	}
	if (rc == 0 && strcmp(json_string_value(json_object_get(row, "state")), "open"))
		rc = cep_error_set(err, CEP_ESEMANTIC, "state", "the survey is not open");
	if (rc == 0 && json_integer_value(json_object_get(row, "deadline_s")) <= cep_now())
		rc = cep_error_set(err, CEP_ESEMANTIC, "deadline", "the deadline has passed");
	json_array_foreach(rc == 0 ? answers : NULL, i, a) {
		const char *q = NULL, *st = NULL, *ev = NULL;
		struct cep_error e;
		int64_t n = 0, known = 0;

		snprintf(field, sizeof(field), "answers[%zu]", i);
		cep_error_init(&e);
		if (!json_is_object(a) || cep_json_only(a, akeys, &e) < 0) {
			rc = cep_error_set(err, CEP_EINVAL, field,
					   "%s: {\"question\", \"status\", \"evidence\"}", field);
			break;
		}
		rc = cep_json_text(a, "question", 64, 1, 0, &q, &e);
		if (rc == 0)
			rc = cep_json_text(a, "status", 16, 1, 0, &st, &e);
		if (rc == 0)
			rc = cep_json_text(a, "evidence", SURVEY_TEXT_MAX, 0, 1, &ev, &e);
		if (rc < 0) {
			snprintf(field, sizeof(field), "answers[%zu].%s", i, e.field);
			rc = cep_error_set(err, rc, field, "%s: %s", field, e.message);
			break;
		}
		for (const char *const *k = statuses; *k; k++)
			known |= !strcmp(*k, st);
		if (!known) {
			snprintf(field, sizeof(field), "answers[%zu].status", i);
			rc = cep_error_set(err, CEP_EINVAL, field,
					   "%s: implemented, partly, planned, not or na", field);
			break;
		}
		rc = store_query_int(s,
				     "SELECT count(*) FROM survey_questions WHERE survey_id = ? AND qid = ?",
				     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(q) }, 2, &n);
		if (rc == 0 && n == 0) {
			snprintf(field, sizeof(field), "answers[%zu].question", i);
			rc = cep_error_set(err, CEP_EINVAL, field, "%s: no such question: %.64s",
					   field, q);
		}
		if (rc == 0)
			rc = store_run(s,
				       "INSERT INTO survey_answers (survey_id, org_id, qid, status, evidence,"
				       " answered_by, answered_at) VALUES (?,?,?,?,?,?,?)"
				       " ON CONFLICT (survey_id, org_id, qid) DO UPDATE SET"
				       " status = excluded.status, evidence = excluded.evidence,"
				       " answered_by = excluded.answered_by, answered_at = excluded.answered_at",
				       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(p->org_id),
							     STORE_TEXT(q), STORE_TEXT(st),
							     STORE_TEXT(ev ? ev : ""),
							     STORE_TEXT(p->user_id[0] ? p->user_id : "console"),
							     STORE_INT(cep_now()) },
				       7);
		if (rc < 0)
			break;
	}
	if (rc == 0 && json_is_true(submit)) {
		int64_t missing = 0;

		rc = store_query_int(s,
				     "SELECT count(*) FROM survey_questions q WHERE q.survey_id = ? AND NOT"
				     " EXISTS (SELECT 1 FROM survey_answers a WHERE a.survey_id = q.survey_id"
				     " AND a.qid = q.qid AND a.org_id = ?)",
				     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(p->org_id) }, 2,
				     &missing);
		if (rc == 0 && missing)
			rc = cep_error_set(err, CEP_ESEMANTIC, "answers",
					   "%lld question(s) have no answer yet: answer every question "
					   "before submitting",
					   (long long)missing);
		if (rc == 0)
			rc = store_run(s,
				       "UPDATE survey_respondents SET submitted_at = ?, submitted_by = ?"
				       " WHERE survey_id = ? AND org_id = ?",
				       (struct store_arg[]){ STORE_INT(cep_now()),
							     STORE_TEXT(p->user_id[0] ? p->user_id : "console"),
							     STORE_TEXT(id), STORE_TEXT(p->org_id) },
				       4);
	}
	json_decref(row);
	/* the audit trail names the survey and the org, never the answers */
	rc = audit_commit(s, rc, p, json_is_true(submit) ? "survey.submit" : "survey.answer", "survey",
			  id, NULL, "the answers", err);
	return rc < 0 ? rc : survey_answers(s, p, id, NULL, ret, err);
}
