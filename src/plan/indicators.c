/* indicators.c - evaluation indicators (評価指標) of a plan: defined per
 * area by NISC, filled once a year, read by everyone with their trend. */
#include "plan/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int plan_indicator_add(struct store *s, const struct cep_principal *p, const char *id,
		       const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "area", "name_ja", "name_en", "unit", "better", NULL };
	const char *area = NULL, *nja = NULL, *nen = NULL, *unit = NULL, *better = NULL;
	char iid[CEP_UUID_LEN + 1];
	int64_t n = 0;
	int rc = plan_require(s, p, id, CEP_ACT_PLAN_WRITE, NULL, err);

	if (rc == 0)
		rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "area", PLAN_TITLE_MAX, 1, 0, &area, err);
	if (rc == 0)
		rc = cep_json_text(in, "name_ja", PLAN_TITLE_MAX, 1, 0, &nja, err);
	if (rc == 0)
		rc = cep_json_text(in, "name_en", PLAN_TITLE_MAX, 0, 0, &nen, err);
	if (rc == 0)
		rc = cep_json_text(in, "unit", 32, 0, 0, &unit, err);
	if (rc == 0)
		rc = cep_json_text(in, "better", 8, 0, 0, &better, err);
	if (rc == 0 && better && strcmp(better, "higher") && strcmp(better, "lower"))
		rc = cep_error_set(err, CEP_EINVAL, "better", "better must be higher or lower");
	if (rc == 0)
		rc = store_query_int(s, "SELECT count(*) FROM plan_indicators WHERE plan_id = ?",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &n);
	if (rc == 0 && n >= PLAN_INDICATORS_MAX)
		rc = cep_error_set(err, CEP_ETOOBIG, NULL, "a plan has at most %d indicators",
				   PLAN_INDICATORS_MAX);
	if (rc < 0)
		return rc;
	cep_uuid(iid);
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = store_run(s,
		       "INSERT INTO plan_indicators (id, plan_id, area, name_ja, name_en, unit, better,"
		       " position, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
		       (struct store_arg[]){ STORE_TEXT(iid), STORE_TEXT(id), STORE_TEXT(area),
					     STORE_TEXT(nja), STORE_TEXT(nen ? nen : ""),
					     STORE_TEXT(unit ? unit : ""),
					     STORE_TEXT(better ? better : "higher"), STORE_INT(n),
					     STORE_INT(cep_now()) },
		       9);
	rc = audit_commit(s, rc, p, "plan.indicator", "plan_indicator", iid, NULL, "the indicator",
			  err);
	if (rc < 0)
		return rc;
	rc = store_query_one(s,
			     "SELECT id, area, name_ja, name_en, unit, better FROM plan_indicators"
			     " WHERE id = ?",
			     (struct store_arg[]){ STORE_TEXT(iid) }, 1, ret);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the indicator") : 0;
}

/* The trend of an indicator's values (by year): the last against the one before. */
static void trend(json_t *ind)
{
	json_t *values = json_object_get(ind, "values");
	size_t n = json_array_size(values);
	const char *better = json_string_value(json_object_get(ind, "better"));
	double a, b, d;

	if (n < 2) {
		json_object_set_new(ind, "trend", json_null());
		json_object_set_new(ind, "change", json_null());
		json_object_set_new(ind, "assessment", json_null());
		return;
	}
	a = json_number_value(json_object_get(json_array_get(values, n - 2), "value"));
	b = json_number_value(json_object_get(json_array_get(values, n - 1), "value"));
	d = b - a;
	if (fabs(d) < 1e-9)
		d = 0;
	json_object_set_new(ind, "trend", json_string(d > 0 ? "up" : d < 0 ? "down" : "flat"));
	json_object_set_new(ind, "change", json_real(d));
	json_object_set_new(ind, "assessment",
			    json_string(d == 0 ? "unchanged" :
					(d > 0) == (better && !strcmp(better, "higher")) ? "improving" :
											   "worsening"));
}

/* One indicator with its values and trend (*ret, caller owns). */
static int indicator_get(struct store *s, const char *iid, json_t **ret)
{
	json_t *row = NULL, *values = NULL;
	int rc = store_query_one(s,
				 "SELECT id, area, name_ja, name_en, unit, better FROM plan_indicators"
				 " WHERE id = ?",
				 (struct store_arg[]){ STORE_TEXT(iid) }, 1, &row);

	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT year, value, note FROM plan_indicator_values"
				     " WHERE indicator_id = ? ORDER BY year",
				     (struct store_arg[]){ STORE_TEXT(iid) }, 1, &values);
	if (rc < 0) {
		json_decref(row);
		return rc;
	}
	json_object_set_new(row, "values", values);
	trend(row);
	*ret = row;
	return 0;
}

int plan_indicator_value(struct store *s, const struct cep_principal *p, const char *id,
			 const char *iid, const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "year", "value", "note", NULL };
	const json_t *value = json_object_get(in, "value");
	const char *note = NULL;
	int64_t n = 0;
	int year = 0;
	int rc = plan_require(s, p, id, CEP_ACT_PLAN_WRITE, NULL, err);

	if (rc == 0 && (!iid || strlen(iid) > 64))
		rc = cep_error_set(err, CEP_ENOTFOUND, NULL, "no such indicator");
	if (rc == 0)
		rc = store_query_int(s, "SELECT count(*) FROM plan_indicators WHERE id = ? AND plan_id = ?",
				     (struct store_arg[]){ STORE_TEXT(iid), STORE_TEXT(id) }, 2, &n);
	if (rc == 0 && n == 0)
		rc = cep_error_set(err, CEP_ENOTFOUND, NULL, "no such indicator in this plan");
	if (rc == 0)
		rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = plan_year_check(json_object_get(in, "year"), "year", 1, &year, err);
	if (rc == 0 && (!json_is_number(value) || !isfinite(json_number_value(value)) ||
			fabs(json_number_value(value)) > 1e15))
		rc = cep_error_set(err, CEP_EINVAL, "value", "value must be a number");
	if (rc == 0)
		rc = cep_json_text(in, "note", PLAN_TEXT_MAX, 0, 1, &note, err);
	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = store_run(s, "DELETE FROM plan_indicator_values WHERE indicator_id = ? AND year = ?",
		       (struct store_arg[]){ STORE_TEXT(iid), STORE_INT(year) }, 2);
	if (rc == 0) {
		char num[64];

		/* bound as text, stored as REAL by the column's affinity */
		snprintf(num, sizeof(num), "%.17g", json_number_value(value));
		rc = store_run(s,
			       "INSERT INTO plan_indicator_values (indicator_id, year, value, note,"
			       " created_by, created_at) VALUES (?,?,CAST(? AS REAL),?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(iid), STORE_INT(year), STORE_TEXT(num),
						     STORE_TEXT(note ? note : ""),
						     STORE_TEXT(p->user_id[0] ? p->user_id : "console"),
						     STORE_INT(cep_now()) },
			       6);
	}
	rc = audit_commit(s, rc, p, "plan.indicator_value", "plan_indicator", iid, NULL,
			  "the indicator's value", err);
	if (rc < 0)
		return rc;
	rc = indicator_get(s, iid, ret);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the indicator") : 0;
}

int plan_indicators(struct store *s, const struct cep_principal *p, const char *id,
		    json_t **ret, struct cep_error *err)
{
	json_t *ids = NULL, *items = json_array(), *it, *one;
	size_t i;
	int rc = plan_require(s, p, id, CEP_ACT_PLAN_READ, NULL, err);

	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT id FROM plan_indicators WHERE plan_id = ? ORDER BY area,"
				     " position",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &ids);
	json_array_foreach(ids, i, it) {
		if (rc < 0 || !items)
			break;
		one = NULL;
		rc = indicator_get(s, json_string_value(json_object_get(it, "id")), &one);
		if (rc == 0)
			json_array_append_new(items, one);
	}
	json_decref(ids);
	if (rc < 0 || !items) {
		json_decref(items);
		return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the indicators") : CEP_ENOMEM;
	}
	*ret = json_pack("{s:I,s:o}", "total", (json_int_t)json_array_size(items), "items", items);
	return *ret ? 0 : CEP_ENOMEM;
}
