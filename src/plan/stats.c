/* stats.c - IT-failure statistics for the evaluation of the action plan:
 * the reports that breached their service's verification level (検証レベル,
 * seed 004 note 9), counted per year, sector and cause category in the
 * query, under the access policy's clauses for CEP_ACT_STATS_READ, and
 * never counting an exercise's reports. */
#include "plan/internal.h"

#include "base/alloc.h"
#include "base/buf.h"
#include "base/csv.h"

#include <stdio.h>
#include <string.h>

#define STATS_ARGS 16

/* The policy's clauses as the WHERE condition over reports r: a clause
 * without a relationship admits every report, the ministry relationship
 * the reports of the sectors the principal's ministry oversees; any other
 * relationship admits nothing here. */
static int where_policy(const struct cep_principal *p, struct cep_buf *sql,
			struct store_arg *args, int *nargs)
{
	struct policy_clause c[POLICY_CLAUSES_MAX];
	int n = policy_clauses(p, CEP_ACT_STATS_READ, c), rc = cep_buf_puts(sql, "(0");

	for (int i = 0; i < n && rc == 0; i++) {
		if (c[i].rel == CEP_REL_ANY) {
			rc = cep_buf_puts(sql, " OR 1");
		} else if (c[i].rel == CEP_REL_MINISTRY && *nargs < STATS_ARGS) {
			rc = cep_buf_puts(sql, " OR r.ministry_id = ?");
			args[(*nargs)++] = STORE_TEXT(p->ministry_id);
		}
	}
	if (rc == 0)
		rc = cep_buf_puts(sql, ")");
	return rc;
}

int plan_stats_it_failures(struct store *s, const struct cep_principal *p,
			   const struct plan_stats_query *q, json_t **ret, struct cep_error *err)
{
	struct policy_clause c[POLICY_CLAUSES_MAX];
	struct store_arg args[STATS_ARGS];
	struct cep_buf sql;
	json_t *items = NULL;
	json_int_t total = 0;
	int nargs = 0, rc;
	size_t i;
	/* the year of the failure in JST (UTC+9): of its occurrence, else of
	 * the report; a fiscal year (年度) runs from April to March */
	const char *t = "(coalesce(r.occurred_at, r.created_at) + 32400)";
	char year_expr[256];

	if (p->exercise_id[0] || policy_clauses(p, CEP_ACT_STATS_READ, c) == 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     p->exercise_id[0] ?
					     "statistics are of real IT failures: not inside an exercise" :
					     "IT-failure statistics are read by NISC and the ministries");
	if (q->year && (q->year < PLAN_YEAR_MIN || q->year > PLAN_YEAR_MAX))
		return cep_error_set(err, CEP_EINVAL, "year", "year must be from %d to %d",
				     PLAN_YEAR_MIN, PLAN_YEAR_MAX);
	if (q->fiscal)
		snprintf(year_expr, sizeof(year_expr),
			 "(CAST(strftime('%%Y', %s, 'unixepoch') AS INTEGER) -"
			 " (CAST(strftime('%%m', %s, 'unixepoch') AS INTEGER) < 4))",
			 t, t);
	else
		snprintf(year_expr, sizeof(year_expr),
			 "CAST(strftime('%%Y', %s, 'unixepoch') AS INTEGER)", t);
	cep_buf_init(&sql, 16384);
	rc = cep_buf_printf(&sql,
			    "SELECT y.year, y.sector, sc.name_ja AS sector_name_ja,"
			    " sc.name_en AS sector_name_en, y.cause_category, y.count FROM ("
			    "SELECT %s AS year, r.sector_id AS sector, r.cause_category,"
			    " count(*) AS count FROM reports r"
			    " WHERE r.exercise_id IS NULL AND r.verification_breached = 1 AND ",
			    year_expr);
	if (rc == 0)
		rc = where_policy(p, &sql, args, &nargs);
	if (rc == 0 && q->sector) {
		rc = cep_buf_puts(&sql, " AND r.sector_id = ?");
		args[nargs++] = STORE_TEXT(q->sector);
	}
	if (rc == 0 && q->cause && !strcmp(q->cause, "none")) {
		rc = cep_buf_puts(&sql, " AND r.cause_category IS NULL");
	} else if (rc == 0 && q->cause) {
		rc = cep_buf_puts(&sql, " AND r.cause_category = ?");
		args[nargs++] = STORE_TEXT(q->cause);
	}
	if (rc == 0)
		rc = cep_buf_puts(&sql, " GROUP BY 1, 2, 3) y JOIN sectors sc ON sc.id = y.sector"
					" LEFT JOIN threat_categories tc ON tc.id = y.cause_category");
	if (rc == 0 && q->year) {
		rc = cep_buf_puts(&sql, " WHERE y.year = ?");
		args[nargs++] = STORE_INT(q->year);
	}
	if (rc == 0)
		rc = cep_buf_puts(&sql, " ORDER BY y.year, sc.position, sc.id,"
					" coalesce(tc.position, 99), y.cause_category");
	if (rc == 0)
		rc = store_query_all(s, sql.data, args, nargs, &items);
	cep_buf_free(&sql);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot count the IT failures");
	for (i = 0; i < json_array_size(items); i++)
		total += json_integer_value(json_object_get(json_array_get(items, i), "count"));
	*ret = json_pack("{s:s,s:I,s:o}", "basis", q->fiscal ? "fiscal" : "calendar", "total", total,
			 "items", items);
	return *ret ? 0 : CEP_ENOMEM;
}

int plan_stats_csv(const json_t *stats, char **ret_csv, size_t *ret_len)
{
	struct cep_buf b;
	json_t *it;
	size_t i;
	int rc;

	cep_buf_init(&b, 16u << 20);
	rc = cep_buf_puts(&b, "year,sector,sector_name_ja,sector_name_en,cause_category,count\r\n");
	json_array_foreach(json_object_get(stats, "items"), i, it) {
		const char *cause = json_string_value(json_object_get(it, "cause_category"));

		if (rc == 0)
			rc = cep_buf_printf(&b, "%lld,",
					    (long long)json_integer_value(json_object_get(it, "year")));
		for (const char *const *k = (const char *const[]){ "sector", "sector_name_ja",
								   "sector_name_en", NULL };
		     rc == 0 && *k; k++) {
			const char *v = json_string_value(json_object_get(it, *k));

			rc = cep_csv_put_field(&b, v ? v : "");
			if (rc == 0)
				rc = cep_buf_puts(&b, ",");
		}
		if (rc == 0)
			rc = cep_csv_put_field(&b, cause ? cause : "");
		if (rc == 0)
			rc = cep_buf_printf(&b, ",%lld\r\n",
					    (long long)json_integer_value(json_object_get(it, "count")));
	}
	if (rc < 0) {
		cep_buf_free(&b);
		return rc;
	}
	*ret_len = b.len;
	*ret_csv = cep_buf_steal(&b);
	return *ret_csv ? 0 : CEP_ENOMEM;
}
