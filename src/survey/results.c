/* results.c - the aggregates of the penetration survey: rates per item,
 * pillar, sector and year, the items furthest behind, maturity stages of the
 * growth model, trends, and CSV. Withheld under the respondent threshold. */
#include "survey/internal.h"

#include "base/alloc.h"
#include "base/buf.h"
#include "base/csv.h"
#include "standards/standards.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const statuses[] = { "implemented", "partly", "planned", "not", "na" };
#define NSTATUS 5

/* 段階的導入・成長モデル (seed 001): four stages by the share of must-consider
 * items implemented (and, for the last, of reference items). */
static const struct {
	const char *ja, *en;
} stages[] = {
	{ "着手", "getting started" },
	{ "整備", "establishing" },
	{ "定着", "established" },
	{ "高度化", "advanced" },
};

int sv_stage(double must, double ref)
{
	if (must < 0.4)
		return 1;
	if (must < 0.7)
		return 2;
	if (must < 0.9 || ref < 0.5)
		return 3;
	return 4;
}

const char *sv_stage_name(int stage, int english)
{
	if (stage < 1 || stage > 4)
		return "";
	return english ? stages[stage - 1].en : stages[stage - 1].ja;
}

static json_t *rate(double num, double den)
{
	return den > 0 ? json_real(round(num / den * 1000.0) / 1000.0) : json_null();
}

/* The aggregate of survey row into res (not withheld). */
static int aggregate(struct store *s, const struct cep_principal *p, const json_t *row,
		     json_t *res)
{
	const char *id = json_string_value(json_object_get(row, "id"));
	json_t *qs = NULL, *counts = NULL, *ed = NULL, *orgs = NULL, *items, *pillars, *it, *c, *behind;
	json_t *pmap = json_object(), *titles = json_object();
	double all_i = 0, all_p = 0, all_a = 0, must_i = 0, must_a = 0, ref_i = 0, ref_a = 0;
	int dist[4] = { 0 };
	size_t i, k;
	int rc = store_query_all(s,
				 "SELECT qid, item_id, title_ja, title_en, mark, pillar FROM survey_questions"
				 " WHERE survey_id = ? ORDER BY position",
				 (struct store_arg[]){ STORE_TEXT(id) }, 1, &qs);

	if (rc == 0) /* only submitted answers count */
		rc = store_query_all(s,
				     "SELECT a.qid, a.status, count(*) AS n FROM survey_answers a"
				     " JOIN survey_respondents r ON r.survey_id = a.survey_id AND"
				     " r.org_id = a.org_id AND r.submitted_at IS NOT NULL"
				     " WHERE a.survey_id = ? GROUP BY a.qid, a.status",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &counts);
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT a.org_id,"
				     " sum(q.mark = 'must' AND a.status = 'implemented') AS mi,"
				     " sum(q.mark = 'must' AND a.status <> 'na') AS ma,"
				     " sum(q.mark = 'reference' AND a.status = 'implemented') AS ri,"
				     " sum(q.mark = 'reference' AND a.status <> 'na') AS ra"
				     " FROM survey_answers a JOIN survey_questions q ON q.survey_id ="
				     " a.survey_id AND q.qid = a.qid JOIN survey_respondents r ON"
				     " r.survey_id = a.survey_id AND r.org_id = a.org_id AND"
				     " r.submitted_at IS NOT NULL WHERE a.survey_id = ? GROUP BY a.org_id",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &orgs);
	if (rc == 0 && std_edition_get(s, p, json_string_value(json_object_get(row, "edition")), NULL,
				       NULL, &ed, NULL) == 0)
		json_array_foreach(json_object_get(ed, "items"), i, it)
			json_object_set(titles, json_string_value(json_object_get(it, "id")), it);
	if (rc < 0)
		goto out;
	items = json_array();
	json_array_foreach(qs, i, it) {
		const char *qid = json_string_value(json_object_get(it, "qid"));
		const char *mark = json_string_value(json_object_get(it, "mark"));
		const char *pillar = json_string_value(json_object_get(it, "pillar"));
		int64_t n[NSTATUS] = { 0 };
		double app;
		json_t *cj = json_object(), *acc;

		json_array_foreach(counts, k, c)
			if (!strcmp(json_string_value(json_object_get(c, "qid")), qid))
				for (int st = 0; st < NSTATUS; st++)
					if (!strcmp(statuses[st], json_string_value(json_object_get(c, "status"))))
						n[st] = json_integer_value(json_object_get(c, "n"));
		for (int st = 0; st < NSTATUS; st++)
			json_object_set_new(cj, statuses[st], json_integer(n[st]));
		app = (double)(n[0] + n[1] + n[2] + n[3]);
		json_array_append_new(items,
				      json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:O, s:o, s:I, s:o, s:o}",
						"question", qid, "item", json_object_get(it, "item_id"),
						"label",
						json_object_get(json_object_get(titles, qid) ?
									json_object_get(titles, qid) :
									it,
								"label") ?
							json_object_get(json_object_get(titles, qid), "label") :
							json_null(),
						"title_ja", json_object_get(it, "title_ja"), "title_en",
						json_object_get(it, "title_en"), "mark",
						json_object_get(it, "mark"), "pillar",
						json_object_get(it, "pillar"), "counts", cj, "applicable",
						(json_int_t)app, "rate", rate((double)n[0], app),
						"rate_with_partly", rate((double)(n[0] + n[1]), app)));
		all_i += (double)n[0];
		all_p += (double)(n[0] + n[1]);
		all_a += app;
		if (mark && !strcmp(mark, "must"))
			must_i += (double)n[0], must_a += app;
		else if (mark && !strcmp(mark, "reference"))
			ref_i += (double)n[0], ref_a += app;
		acc = json_object_get(pmap, pillar);
		if (!acc) {
			acc = json_pack("{s:i, s:f, s:f, s:f}", "questions", 0, "i", 0.0, "p", 0.0, "a", 0.0);
			json_object_set_new(pmap, pillar, acc);
		}
		json_object_set_new(acc, "questions",
				    json_integer(json_integer_value(json_object_get(acc, "questions")) + 1));
		json_object_set_new(acc, "i", json_real(json_real_value(json_object_get(acc, "i")) + (double)n[0]));
		json_object_set_new(acc, "p", json_real(json_real_value(json_object_get(acc, "p")) +
							 (double)(n[0] + n[1])));
		json_object_set_new(acc, "a", json_real(json_real_value(json_object_get(acc, "a")) + app));
	}
	json_object_set_new(res, "items", items);
	pillars = json_array();
	{
		const char *key;
		json_t *acc;

		json_object_foreach(pmap, key, acc) {
			const json_t *t = json_object_get(titles, key);
			double a = json_real_value(json_object_get(acc, "a"));

			json_array_append_new(
				pillars,
				json_pack("{s:s, s:O, s:s, s:s, s:O, s:o, s:o}", "pillar", key, "label",
					  t ? json_object_get(t, "label") : json_null(), "title_ja",
					  t ? json_string_value(json_object_get(t, "title_ja")) :
					      "追加設問",
					  "title_en",
					  t ? json_string_value(json_object_get(t, "title_en")) :
					      "extra questions",
					  "questions", json_object_get(acc, "questions"), "rate",
					  rate(json_real_value(json_object_get(acc, "i")), a),
					  "rate_with_partly",
					  rate(json_real_value(json_object_get(acc, "p")), a)));
		}
	}
	json_object_set_new(res, "pillars", pillars);
	json_object_set_new(res, "overall",
			    json_pack("{s:o, s:o, s:o, s:o}", "rate", rate(all_i, all_a), "rate_must",
				      rate(must_i, must_a), "rate_reference", rate(ref_i, ref_a),
				      "rate_with_partly", rate(all_p, all_a)));
	/* the items furthest behind: lowest rate first (unanswered ones last) */
	behind = json_array();
	for (int pick = 0; pick < 5; pick++) {
		json_t *best = NULL;
		double br = 2.0;

		json_array_foreach(items, i, it) {
			double r = json_is_real(json_object_get(it, "rate")) ?
					   json_real_value(json_object_get(it, "rate")) :
					   3.0;
			int taken = 0;

			json_array_foreach(behind, k, c)
				taken |= c == it;
			if (!taken && r < br)
				br = r, best = it;
		}
		if (!best)
			break;
		json_array_append(behind, best);
	}
	json_object_set_new(res, "behind", behind);
	json_array_foreach(orgs, i, it) {
		double ma = (double)json_integer_value(json_object_get(it, "ma"));
		double ra = (double)json_integer_value(json_object_get(it, "ra"));
		double m = ma > 0 ? (double)json_integer_value(json_object_get(it, "mi")) / ma : 0;
		double r = ra > 0 ? (double)json_integer_value(json_object_get(it, "ri")) / ra : 1;

		dist[sv_stage(m, r) - 1]++;
	}
	{
		int st = sv_stage(must_a > 0 ? must_i / must_a : 0, ref_a > 0 ? ref_i / ref_a : 1);
		json_t *d = json_array();

		for (int j = 0; j < 4; j++)
			json_array_append_new(d, json_pack("{s:i, s:s, s:s, s:i}", "stage", j + 1,
							   "name_ja", stages[j].ja, "name_en",
							   stages[j].en, "operators", dist[j]));
		json_object_set_new(res, "maturity",
				    json_pack("{s:i, s:s, s:s, s:o}", "stage", st, "name_ja",
					      stages[st - 1].ja, "name_en", stages[st - 1].en,
					      "distribution", d));
	}
out:
	json_decref(qs);
	json_decref(counts);
	json_decref(orgs);
	json_decref(ed);
	json_decref(pmap);
	json_decref(titles);
	return rc;
}

int survey_results(struct store *s, const struct cep_principal *p, const char *id,
		   json_t **ret, struct cep_error *err)
{
	json_t *row = NULL, *res;
	int64_t invited = 0, submitted = 0, minr;
	int rc = sv_require(s, p, id, CEP_ACT_SURVEY_RESULTS, &row, err);

	if (rc < 0)
		return rc;
	rc = store_query_int(s, "SELECT count(*) FROM survey_respondents WHERE survey_id = ?",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &invited);
	if (rc == 0)
		rc = store_query_int(s,
				     "SELECT count(*) FROM survey_respondents WHERE survey_id = ?"
				     " AND submitted_at IS NOT NULL",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &submitted);
	minr = json_integer_value(json_object_get(row, "min_respondents"));
	if (minr < SURVEY_MIN_FLOOR)
		minr = SURVEY_MIN_FLOOR;
	res = json_pack("{s:{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O}, s:I, s:I, s:I, s:b}", "survey",
			"id", json_object_get(row, "id"), "sector", json_object_get(row, "sector"),
			"year", json_object_get(row, "year"), "edition",
			json_object_get(row, "edition"), "state", json_object_get(row, "state"),
			"title_ja", json_object_get(row, "title_ja"), "title_en",
			json_object_get(row, "title_en"), "deadline_at",
			json_object_get(row, "deadline_at"), "invited", (json_int_t)invited,
			"respondents", (json_int_t)submitted, "min_respondents", (json_int_t)minr,
			"withheld", submitted < minr);
	if (rc == 0 && !res)
		rc = CEP_ENOMEM;
	if (rc == 0 && submitted < minr)
		json_object_set_new(res, "withheld_reason",
				    json_string("集計は回答数が最小回答数に達するまで示されません / "
						"aggregates are withheld until enough operators have "
						"submitted, so that no single operator is exposed"));
	else if (rc == 0)
		rc = aggregate(s, p, row, res);
	json_decref(row);
	if (rc < 0) {
		json_decref(res);
		return cep_error_set(err, rc, NULL, "cannot aggregate the survey");
	}
	*ret = res;
	return 0;
}

int survey_trends(struct store *s, const struct cep_principal *p, const char *sector,
		  json_t **ret, struct cep_error *err)
{
	struct cep_object any = { 0 }, own = { 0 };
	json_t *rows = NULL, *out, *it;
	int all, ministry;
	size_t i;
	int rc;

	snprintf(own.ministry_id, sizeof(own.ministry_id), "%s", p->ministry_id);
	all = policy_check(p, CEP_ACT_SURVEY_RESULTS, &any) == 0;
	ministry = p->ministry_id[0] && policy_check(p, CEP_ACT_SURVEY_RESULTS, &own) == 0;
	if (!all && !ministry)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "the aggregates are for NISC and the sectors' ministries");
	rc = store_query_all(s,
			     "SELECT v.id FROM surveys v JOIN sectors s ON s.id = v.sector_id"
			     " WHERE v.state <> 'draft' AND (? = 1 OR (? = 1 AND s.ministry_id = ?))"
			     " AND (? IS NULL OR v.sector_id = ?) ORDER BY s.position, v.year LIMIT 500",
			     (struct store_arg[]){ STORE_INT(all), STORE_INT(ministry),
						   STORE_TEXT(p->ministry_id), STORE_TEXT(sector),
						   STORE_TEXT(sector) },
			     5, &rows);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read surveys");
	out = json_array();
	json_array_foreach(rows, i, it) {
		json_t *r = NULL, *pill = json_object(), *x, *row;
		size_t k;

		if (survey_results(s, p, json_string_value(json_object_get(it, "id")), &r, NULL) < 0) {
			json_decref(pill);
			continue;
		}
		json_array_foreach(json_object_get(r, "pillars"), k, x)
			json_object_set(pill, json_string_value(json_object_get(x, "pillar")),
					json_object_get(x, "rate"));
		row = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "survey",
				json_object_get(json_object_get(r, "survey"), "id"), "sector",
				json_object_get(json_object_get(r, "survey"), "sector"), "year",
				json_object_get(json_object_get(r, "survey"), "year"), "state",
				json_object_get(json_object_get(r, "survey"), "state"), "respondents",
				json_object_get(r, "respondents"), "withheld",
				json_object_get(r, "withheld"));
		json_object_set(row, "rate",
				json_object_get(json_object_get(r, "overall"), "rate") ?
					json_object_get(json_object_get(r, "overall"), "rate") :
					json_null());
		json_object_set(row, "rate_must",
				json_object_get(json_object_get(r, "overall"), "rate_must") ?
					json_object_get(json_object_get(r, "overall"), "rate_must") :
					json_null());
		json_object_set(row, "stage",
				json_object_get(json_object_get(r, "maturity"), "stage") ?
					json_object_get(json_object_get(r, "maturity"), "stage") :
					json_null());
		json_object_set_new(row, "pillars", pill);
		json_array_append_new(out, row);
		json_decref(r);
	}
	json_decref(rows);
	*ret = json_pack("{s:o, s:I}", "items", out, "total", (json_int_t)json_array_size(out));
	return *ret ? 0 : CEP_ENOMEM;
}

/* ---- CSV ---- */

static int field(struct cep_buf *b, const json_t *v, int last)
{
	char num[64];
	int rc;

	if (json_is_string(v))
		rc = cep_csv_put_field(b, json_string_value(v));
	else if (json_is_integer(v))
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v)),
			rc = cep_buf_puts(b, num);
	else if (json_is_real(v))
		snprintf(num, sizeof(num), "%.3f", json_real_value(v)), rc = cep_buf_puts(b, num);
	else if (json_is_boolean(v))
		rc = cep_buf_puts(b, json_is_true(v) ? "true" : "false");
	else
		rc = 0;
	return rc < 0 ? rc : cep_buf_puts(b, last ? "\r\n" : ",");
}

int survey_results_csv(const json_t *results, char **ret, size_t *ret_len)
{
	static const char *const cols[] = { "question", "item", "label", "mark", "pillar", "title_ja",
					    "title_en", NULL };
	struct cep_buf b;
	json_t *it;
	size_t i;
	int rc;

	cep_buf_init(&b, 16u << 20);
	rc = cep_buf_puts(&b, "question,item,label,mark,pillar,title_ja,title_en,implemented,partly,"
			      "planned,not,na,applicable,rate,rate_with_partly\r\n");
	json_array_foreach(json_object_get(results, "items"), i, it) {
		for (const char *const *c = cols; rc == 0 && *c; c++)
			rc = field(&b, json_object_get(it, *c), 0);
		for (int st = 0; rc == 0 && st < NSTATUS; st++)
			rc = field(&b, json_object_get(json_object_get(it, "counts"), statuses[st]), 0);
		if (rc == 0)
			rc = field(&b, json_object_get(it, "applicable"), 0);
		if (rc == 0)
			rc = field(&b, json_object_get(it, "rate"), 0);
		if (rc == 0)
			rc = field(&b, json_object_get(it, "rate_with_partly"), 1);
		if (rc < 0)
			break;
	}
	if (rc == 0 && !(*ret = cep_buf_steal(&b)))
		rc = CEP_ENOMEM;
	if (rc < 0) {
		cep_buf_free(&b);
		return rc;
	}
	*ret_len = strlen(*ret);
	return 0;
}

int survey_trends_csv(const json_t *trends, char **ret, size_t *ret_len)
{
	static const char *const cols[] = { "sector", "year", "state", "respondents", "withheld",
					    "rate", "rate_must", "stage", NULL };
	struct cep_buf b;
	json_t *it;
	size_t i;
	int rc;

	cep_buf_init(&b, 16u << 20);
	rc = cep_buf_puts(&b, "sector,year,state,respondents,withheld,rate,rate_must,stage\r\n");
	json_array_foreach(json_object_get(trends, "items"), i, it)
		for (const char *const *c = cols; rc == 0 && *c; c++)
			rc = field(&b, json_object_get(it, *c), c[1] == NULL);
	if (rc == 0 && !(*ret = cep_buf_steal(&b)))
		rc = CEP_ENOMEM;
	if (rc < 0) {
		cep_buf_free(&b);
		return rc;
	}
	*ret_len = strlen(*ret);
	return 0;
}
