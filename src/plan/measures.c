/* measures.c - the measures of a plan, their owners' half-yearly progress
 * reports, NISC's year-end evaluation with the grades of seed 003, the
 * summary ("116 of 133 measures, 87.2%, as planned") and the evaluation as
 * CSV. */
#include "plan/internal.h"

#include "audit/audit.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/csv.h"
#include "base/json.h"

#include <stdio.h>
#include <string.h>

/* The grades of the evaluation (seed 003, 評価2006), in the seed's order. */
static const struct {
	const char *code, *ja, *en;
	int as_planned;
} grades[] = {
	{ "A", "A: 当初の予定どおり推進できた", "A: carried out as planned", 1 },
	{ "A-staffing", "「A」: 予定どおり推進できたが、継続には体制・人員の課題の解決が必要",
	  "A (staffing caveat): carried out as planned, but its organisation or staffing must be "
	  "resolved for it to continue",
	  1 },
	{ "B+", "B+: 年度内に完了していないが、数ヶ月以内に完了する",
	  "B+: not finished within the year, but will be within months", 0 },
	{ "B", "B: 予定どおり推進できなかったが、取組みの継続により最終的には推進できる",
	  "B: not as planned, but can still be achieved by continuing", 0 },
	{ "C", "C: 予定どおり推進できず、今後の見通しも立たない",
	  "C: not as planned, with no prospect of achieving it", 0 },
	{ "-", "-: 予定どおり推進できなかったが、政府機関以外の事情による",
	  "-: not as planned, for reasons outside government", 0 },
};
#define NGRADES (sizeof(grades) / sizeof(grades[0]))

int plan_grade_check(const char *grade)
{
	return plan_grade_label(grade, 0) ? 0 : CEP_EINVAL;
}

const char *plan_grade_label(const char *grade, int en)
{
	for (size_t i = 0; grade && i < NGRADES; i++)
		if (!strcmp(grades[i].code, grade))
			return en ? grades[i].en : grades[i].ja;
	return NULL;
}

/* Add the owners, labels, "mine" and (for those who track) the progress
 * reports to each measure of items. */
static int decorate(struct store *s, const struct cep_principal *p, json_t *items)
{
	int track = policy_check(p, CEP_ACT_PLAN_TRACK, NULL) == 0;
	json_t *m;
	size_t i;
	int rc = 0;

	json_array_foreach(items, i, m) {
		const char *mid = json_string_value(json_object_get(m, "id"));
		const char *g = json_string_value(json_object_get(m, "grade"));
		json_t *owners = NULL, *progress = NULL;

		rc = store_query_all(s,
				     "SELECT o.id, o.code, o.name_ja, o.name_en FROM plan_measure_owners mo"
				     " JOIN orgs o ON o.id = mo.org_id WHERE mo.measure_id = ?"
				     " ORDER BY o.kind DESC, o.code",
				     (struct store_arg[]){ STORE_TEXT(mid) }, 1, &owners);
		if (rc == 0 && track)
			rc = store_query_all(s,
					     "SELECT pr.id, pr.org_id AS org, o.code AS org_code, pr.year,"
					     " pr.half, pr.status, pr.note, pr.created_by, pr.created_at"
					     " FROM plan_progress pr JOIN orgs o ON o.id = pr.org_id"
					     " WHERE pr.measure_id = ? ORDER BY pr.year DESC, pr.half DESC,"
					     " o.code",
					     (struct store_arg[]){ STORE_TEXT(mid) }, 1, &progress);
		if (rc < 0) {
			json_decref(owners);
			return rc;
		}
		json_object_set_new(m, "owners", owners);
		if (progress)
			json_object_set_new(m, "progress", progress);
		json_object_set_new(m, "mine", json_boolean(plan_owns(s, p, mid)));
		json_object_set_new(m, "grade_label_ja",
				    g ? json_string(plan_grade_label(g, 0)) : json_null());
		json_object_set_new(m, "grade_label_en",
				    g ? json_string(plan_grade_label(g, 1)) : json_null());
	}
	return rc;
}

#define MEASURE_COLS                                                                          \
	"m.id, m.code, pl.code AS pillar, pl.title_ja AS pillar_title_ja,"                     \
	" pl.title_en AS pillar_title_en, m.title_ja, m.title_en, m.target_ja, m.target_en,"  \
	" m.deadline, m.grade, m.grade_comment, m.evaluated_by, m.evaluated_at"

int plan_measures(struct store *s, const struct cep_principal *p, const char *id,
		  const char *owner, const char *grade, json_t **ret, struct cep_error *err)
{
	json_t *items = NULL;
	int rc = plan_require(s, p, id, CEP_ACT_PLAN_READ, NULL, err);

	if (rc < 0)
		return rc;
	if (grade && strcmp(grade, "none") && plan_grade_check(grade) < 0)
		return cep_error_set(err, CEP_EINVAL, "grade",
				     "grade must be A, A-staffing, B+, B, C, - or none");
	rc = store_query_all(s,
			     "SELECT " MEASURE_COLS " FROM plan_measures m"
			     " JOIN plan_pillars pl ON pl.id = m.pillar_id WHERE m.plan_id = ?"
			     " AND (? IS NULL OR EXISTS (SELECT 1 FROM plan_measure_owners mo JOIN orgs o"
			     " ON o.id = mo.org_id WHERE mo.measure_id = m.id AND (o.id = ? OR o.code = ?)))"
			     " AND (? IS NULL OR (? = 'none' AND m.grade IS NULL) OR m.grade = ?)"
			     " ORDER BY pl.position, m.position",
			     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(owner), STORE_TEXT(owner),
						   STORE_TEXT(owner), STORE_TEXT(grade), STORE_TEXT(grade),
						   STORE_TEXT(grade) },
			     7, &items);
	if (rc == 0)
		rc = decorate(s, p, items);
	if (rc < 0) {
		json_decref(items);
		return cep_error_set(err, rc, NULL, "cannot read the measures");
	}
	*ret = json_pack("{s:I,s:o}", "total", (json_int_t)json_array_size(items), "items", items);
	return *ret ? 0 : CEP_ENOMEM;
}

int plan_measure_get(struct store *s, const struct cep_principal *p, const char *mid,
		     json_t **ret, struct cep_error *err)
{
	json_t *row = NULL, *items;
	int rc = store_query_one(s,
				 "SELECT " MEASURE_COLS " FROM plan_measures m"
				 " JOIN plan_pillars pl ON pl.id = m.pillar_id WHERE m.id = ?",
				 (struct store_arg[]){ STORE_TEXT(mid) }, 1, &row);

	items = rc == 0 ? json_pack("[O]", row) : NULL;
	if (rc == 0 && !items)
		rc = CEP_ENOMEM;
	if (rc == 0)
		rc = decorate(s, p, items);
	json_decref(row);
	if (rc < 0) {
		json_decref(items);
		return cep_error_set(err, rc, NULL, "cannot read the measure");
	}
	*ret = json_incref(json_array_get(items, 0));
	json_decref(items);
	return 0;
}

int plan_progress_add(struct store *s, const struct cep_principal *p, const char *id,
		      const char *mid, const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "year", "half", "status", "note", "org", NULL };
	const char *half = NULL, *status = NULL, *note = NULL, *org = NULL;
	struct cep_principal as = *p;
	struct cep_object o = { 0 };
	json_t *orgrow = NULL;
	char pid[CEP_UUID_LEN + 1];
	int year = 0, rc;

	rc = plan_require(s, p, id, CEP_ACT_PLAN_PROGRESS, NULL, err);
	if (rc == 0)
		rc = plan_measure_row(s, p, id, mid, NULL, err);
	if (rc < 0)
		return rc;
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "org", 64, 0, 0, &org, err);
	/* the console files for an owner it names; a user for its own org */
	if (rc == 0 && org && p->role != CEP_ROLE_SYSTEM)
		rc = cep_error_set(err, CEP_EINVAL, "org", "org is given only by the console");
	if (rc == 0 && !org && p->role == CEP_ROLE_SYSTEM)
		rc = cep_error_set(err, CEP_EINVAL, "org", "the console names the owner it files for (org)");
	if (rc == 0 && org) {
		rc = store_query_one(s, "SELECT id FROM orgs WHERE id = ? OR code = ?",
				     (struct store_arg[]){ STORE_TEXT(org), STORE_TEXT(org) }, 2, &orgrow);
		if (rc == CEP_ENOTFOUND)
			rc = cep_error_set(err, CEP_ESEMANTIC, "org", "no such organisation");
		if (rc == 0)
			snprintf(as.org_id, sizeof(as.org_id), "%s",
				 json_string_value(json_object_get(orgrow, "id")));
		json_decref(orgrow);
	}
	if (rc < 0)
		return rc;
	/* the policy's object: the measure belongs to the caller's org when the
	 * org is among its owners */
	if (plan_owns(s, &as, mid))
		snprintf(o.org_id, sizeof(o.org_id), "%s", as.org_id);
	if (policy_check(p, CEP_ACT_PLAN_PROGRESS, &o) < 0 || (org && !o.org_id[0]))
		return cep_error_set(err, CEP_EPERM, NULL,
				     org ? "that organisation does not own this measure" :
					   "progress is filed by the owners of the measure");
	rc = plan_year_check(json_object_get(in, "year"), "year", 1, &year, err);
	if (rc == 0)
		rc = cep_json_text(in, "half", 2, 1, 0, &half, err);
	if (rc == 0 && strcmp(half, "H1") && strcmp(half, "H2"))
		rc = cep_error_set(err, CEP_EINVAL, "half",
				   "half must be H1 (April-September) or H2 (October-March)");
	if (rc == 0)
		rc = cep_json_text(in, "status", 16, 1, 0, &status, err);
	if (rc == 0 && strcmp(status, "not-started") && strcmp(status, "on-track") &&
	    strcmp(status, "delayed") && strcmp(status, "completed"))
		rc = cep_error_set(err, CEP_EINVAL, "status",
				   "status must be not-started, on-track, delayed or completed");
	if (rc == 0)
		rc = cep_json_text(in, "note", PLAN_TEXT_MAX, 0, 1, &note, err);
	if (rc < 0)
		return rc;
	cep_uuid(pid);
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = store_run(s,
		       "DELETE FROM plan_progress WHERE measure_id = ? AND org_id = ? AND year = ?"
		       " AND half = ?",
		       (struct store_arg[]){ STORE_TEXT(mid), STORE_TEXT(as.org_id), STORE_INT(year),
					     STORE_TEXT(half) },
		       4);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO plan_progress (id, measure_id, org_id, year, half, status, note,"
			       " created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(pid), STORE_TEXT(mid), STORE_TEXT(as.org_id),
						     STORE_INT(year), STORE_TEXT(half), STORE_TEXT(status),
						     STORE_TEXT(note ? note : ""),
						     STORE_TEXT(p->user_id[0] ? p->user_id : "console"),
						     STORE_INT(cep_now()) },
			       9);
	rc = audit_commit(s, rc, p, "plan.progress", "plan_measure", mid, NULL, "the progress report",
			  err);
	if (rc < 0)
		return rc;
	rc = store_query_one(s,
			     "SELECT pr.id, pr.measure_id AS measure, pr.org_id AS org, o.code AS org_code,"
			     " pr.year, pr.half, pr.status, pr.note, pr.created_by, pr.created_at"
			     " FROM plan_progress pr JOIN orgs o ON o.id = pr.org_id WHERE pr.id = ?",
			     (struct store_arg[]){ STORE_TEXT(pid) }, 1, ret);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the progress report") : 0;
}

int plan_progress_list(struct store *s, const struct cep_principal *p, const char *id,
		       const char *mid, json_t **ret, struct cep_error *err)
{
	json_t *items = NULL;
	int rc = plan_require(s, p, id, CEP_ACT_PLAN_TRACK, NULL, err);

	if (rc == 0)
		rc = plan_measure_row(s, p, id, mid, NULL, err);
	if (rc < 0)
		return rc;
	rc = store_query_all(s,
			     "SELECT pr.id, pr.measure_id AS measure, pr.org_id AS org, o.code AS org_code,"
			     " pr.year, pr.half, pr.status, pr.note, pr.created_by, pr.created_at"
			     " FROM plan_progress pr JOIN orgs o ON o.id = pr.org_id"
			     " WHERE pr.measure_id = ? ORDER BY pr.year DESC, pr.half DESC, o.code",
			     (struct store_arg[]){ STORE_TEXT(mid) }, 1, &items);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the progress reports");
	*ret = json_pack("{s:o}", "items", items);
	if (*ret)
		json_object_set_new(*ret, "total", json_integer((json_int_t)json_array_size(items)));
	return *ret ? 0 : CEP_ENOMEM;
}

int plan_evaluate(struct store *s, const struct cep_principal *p, const char *id,
		  const char *mid, const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "grade", "comment", NULL };
	const char *grade = NULL, *comment = NULL;
	int rc = plan_require(s, p, id, CEP_ACT_PLAN_EVALUATE, NULL, err);

	if (rc == 0)
		rc = plan_measure_row(s, p, id, mid, NULL, err);
	if (rc == 0)
		rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "grade", 16, 1, 0, &grade, err);
	if (rc == 0 && plan_grade_check(grade) < 0)
		rc = cep_error_set(err, CEP_EINVAL, "grade",
				   "grade must be A, A-staffing (A with a staffing caveat), B+, B, C or -");
	if (rc == 0)
		rc = cep_json_text(in, "comment", PLAN_TEXT_MAX, 0, 1, &comment, err);
	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = store_run(s,
		       "UPDATE plan_measures SET grade = ?, grade_comment = ?, evaluated_by = ?,"
		       " evaluated_at = ? WHERE id = ?",
		       (struct store_arg[]){ STORE_TEXT(grade), STORE_TEXT(comment ? comment : ""),
					     STORE_TEXT(p->user_id[0] ? p->user_id : "console"),
					     STORE_INT(cep_now()), STORE_TEXT(mid) },
		       5);
	{
		json_t *detail = json_pack("{s:s}", "grade", grade);

		rc = audit_commit(s, rc, p, "plan.evaluate", "plan_measure", mid, detail,
				  "the evaluation", err);
		json_decref(detail);
	}
	return rc < 0 ? rc : plan_measure_get(s, p, mid, ret, err);
}

int plan_summary(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		 struct cep_error *err)
{
	json_t *rows = NULL, *by = json_object(), *labels = json_array(), *r, *res;
	int64_t total = 0, evaluated = 0, planned = 0;
	char ja[256], en[256];
	double percent;
	size_t i;
	int rc = plan_require(s, p, id, CEP_ACT_PLAN_READ, NULL, err);

	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT coalesce(grade, '') AS grade, count(*) AS n FROM plan_measures"
				     " WHERE plan_id = ? GROUP BY coalesce(grade, '')",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &rows);
	if (rc < 0 || !by || !labels) {
		json_decref(by);
		json_decref(labels);
		return rc < 0 ? rc : CEP_ENOMEM;
	}
	for (i = 0; i < NGRADES; i++) {
		json_object_set_new(by, grades[i].code, json_integer(0));
		json_array_append_new(labels, json_pack("{s:s,s:s,s:s,s:b}", "grade", grades[i].code,
							"label_ja", grades[i].ja, "label_en",
							grades[i].en, "as_planned",
							grades[i].as_planned));
	}
	json_array_foreach(rows, i, r) {
		const char *g = json_string_value(json_object_get(r, "grade"));
		int64_t n = json_integer_value(json_object_get(r, "n"));

		total += n;
		if (!*g)
			continue;
		evaluated += n;
		json_object_set_new(by, g, json_integer(n));
		for (size_t k = 0; k < NGRADES; k++)
			if (!strcmp(grades[k].code, g) && grades[k].as_planned)
				planned += n;
	}
	json_decref(rows);
	/* the seed's arithmetic: as planned (A and 「A」) of every measure, one decimal */
	percent = total ? (double)(planned * 1000 / total + (planned * 1000 % total * 2 >= total)) / 10
			: 0;
	snprintf(ja, sizeof(ja), "%lld の具体的施策のうち %lld (約%.1f%%) を予定どおり推進",
		 (long long)total, (long long)planned, percent);
	snprintf(en, sizeof(en), "%lld of %lld measures, %.1f%%, as planned", (long long)planned,
		 (long long)total, percent);
	res = json_pack("{s:s,s:I,s:I,s:o,s:I,s:f,s:s,s:s,s:o}", "plan", id, "measures",
			(json_int_t)total,
			"evaluated", (json_int_t)evaluated, "by_grade", by, "as_planned",
			(json_int_t)planned, "percent", percent, "text_ja", ja, "text_en", en,
			"grades", labels);
	if (!res)
		return CEP_ENOMEM;
	*ret = res;
	return 0;
}

int plan_evaluation_csv(struct store *s, const struct cep_principal *p, const char *id,
			char **ret_csv, size_t *ret_len, struct cep_error *err)
{
	json_t *res = NULL, *m, *o;
	struct cep_buf b;
	size_t i, k;
	int rc = plan_measures(s, p, id, NULL, NULL, &res, err);

	if (rc < 0)
		return rc;
	cep_buf_init(&b, 64u << 20);
	rc = cep_buf_puts(&b, "pillar,code,title_ja,title_en,owners,deadline,grade,grade_label_ja,"
			      "grade_label_en,comment\r\n");
	json_array_foreach(json_object_get(res, "items"), i, m) {
		struct cep_buf ow;
		const char *cols[] = { "pillar", "code", "title_ja", "title_en" };
		const char *cols2[] = { "deadline", "grade", "grade_label_ja", "grade_label_en",
					"grade_comment" };

		for (k = 0; k < 4 && rc == 0; k++) {
			rc = cep_csv_put_field(&b, json_string_value(json_object_get(m, cols[k])) ?
							   json_string_value(json_object_get(m, cols[k])) : "");
			if (rc == 0)
				rc = cep_buf_puts(&b, ",");
		}
		cep_buf_init(&ow, 4096);
		json_array_foreach(json_object_get(m, "owners"), k, o)
			if (rc == 0)
				rc = cep_buf_printf(&ow, "%s%s", k ? ";" : "",
						    json_string_value(json_object_get(o, "code")) ?
							    json_string_value(json_object_get(o, "code")) :
							    json_string_value(json_object_get(o, "id")));
		if (rc == 0)
			rc = cep_csv_put_field(&b, ow.data ? ow.data : "");
		cep_buf_free(&ow);
		for (k = 0; k < 5 && rc == 0; k++) {
			const char *v = json_string_value(json_object_get(m, cols2[k]));

			rc = cep_buf_puts(&b, ",");
			if (rc == 0)
				rc = cep_csv_put_field(&b, v ? v : "");
		}
		if (rc == 0)
			rc = cep_buf_puts(&b, "\r\n");
	}
	json_decref(res);
	if (rc < 0) {
		cep_buf_free(&b);
		return cep_error_set(err, rc, NULL, "cannot write the evaluation");
	}
	*ret_len = b.len;
	*ret_csv = cep_buf_steal(&b);
	return *ret_csv ? 0 : CEP_ENOMEM;
}
