/* correlate.c - common threats (共通脅威): identical indicators seen in
 * reports of different sectors. Nothing is stored: correlations are computed
 * from the indicator index over the reports the principal may read, and a
 * value seen in more than max_records reports stops correlating (it is noise
 * by then, and an unbounded table is how MISP's grew to hundreds of GB). */
#include "share/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>

int share_correlations(struct store *s, const struct cep_principal *p, int max_records,
		       const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	struct share_where w;
	json_t *res = NULL;
	char from[12288];
	size_t i;
	json_t *it;
	int rc, full;

	if (policy_check(p, CEP_ACT_CORRELATION_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "correlations are for NISC and the CEPTOAR Council");
	if (max_records < 2 || max_records > SHARE_CORRELATION_MAX)
		return cep_error_set(err, CEP_EINVAL, "max_records",
				     "max_records must be 2 to %d", SHARE_CORRELATION_MAX);
	full = p->role == CEP_ROLE_NISC || p->role == CEP_ROLE_SYSTEM;
	rc = share_where_build(&w, p, CEP_ACT_REPORT_READ, &share_reports_table);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "out of memory");
	snprintf(from, sizeof(from),
		 "FROM (SELECT i.type, i.norm, count(DISTINCT r.id) AS reports,"
		 " count(DISTINCT r.sector_id) AS sector_count,"
		 " group_concat(DISTINCT r.sector_id) AS sectors,"
		 " CASE WHEN %d THEN group_concat(DISTINCT r.id) END AS report_ids,"
		 " min(r.created_at) AS first_seen_at, max(r.created_at) AS last_seen_at"
		 " FROM indicators i JOIN reports r ON i.owner_type = 'report' AND r.id = i.owner_id"
		 " WHERE %s AND NOT EXISTS (SELECT 1 FROM correlation_exclusions e"
		 "  WHERE e.type = i.type AND e.norm = i.norm)"
		 " GROUP BY i.type, i.norm"
		 " HAVING count(DISTINCT r.sector_id) >= 2 AND count(DISTINCT r.id) <= %d) c",
		 full, w.sql.data, max_records);
	rc = store_query_page(s, "c.type, c.norm AS value, c.reports, c.sector_count, c.sectors,"
				 " c.report_ids, c.first_seen_at, c.last_seen_at",
			      from, "c.sector_count DESC, c.reports DESC, c.type, c.norm", w.args,
			      w.nargs, page, &res);
	share_where_free(&w);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot compute correlations");
	json_array_foreach(json_object_get(res, "items"), i, it) {
		cep_json_split(it, "sectors");
		if (full)
			cep_json_split(it, "report_ids");
		else
			json_object_del(it, "report_ids");
	}
	json_object_set_new(res, "max_records", json_integer(max_records));
	*ret = res;
	return 0;
}

int share_correlation_exclude(struct store *s, const struct cep_principal *p, const json_t *in,
			      struct cep_error *err)
{
	static const char *const types[] = { "ip", "domain", "url", "hash", "cve", "text", NULL };
	const char *type = NULL, *value = NULL, *reason = NULL;
	json_t *one = NULL, *list = NULL, *detail;
	int rc, ok = 0;

	static const char *const allowed[] = { "type", "value", "reason", NULL };

	if (policy_check(p, CEP_ACT_CORRELATION_ADMIN, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "NISC keeps the exclusion list");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "type", 16, 1, 0, &type, err);
	for (int i = 0; rc == 0 && types[i]; i++)
		ok |= !strcmp(types[i], type);
	if (rc == 0 && !ok)
		rc = cep_error_set(err, CEP_EINVAL, "type",
				   "type must be ip, domain, url, hash, cve or text");
	if (rc == 0)
		rc = cep_json_text(in, "value", SHARE_INDICATOR_MAX, 1, 0, &value, err);
	if (rc == 0)
		rc = cep_json_text(in, "reason", 500, 0, 0, &reason, err);
	if (rc < 0)
		return rc;
	/* normalise the value as an indicator would be */
	one = json_pack("{s:[{s:s, s:s}]}", "indicators", "type", type, "value", value);
	rc = one ? share_indicators(one, &list, err) : CEP_ENOMEM;
	json_decref(one);
	if (rc < 0) {
		if (err && !strcmp(err->field, "indicators"))
			snprintf(err->field, sizeof(err->field), "value");
		return rc;
	}
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO correlation_exclusions (type, norm, reason, created_by,"
			       " created_at) VALUES (?,?,?,?,?) ON CONFLICT (type, norm)"
			       " DO UPDATE SET reason = excluded.reason",
			       (struct store_arg[]){
				       STORE_TEXT(type),
				       STORE_TEXT(json_string_value(json_object_get(json_array_get(list, 0), "norm"))),
				       STORE_TEXT(reason ? reason : ""), STORE_TEXT(p->name),
				       STORE_INT(cep_now()) },
			       5);
	detail = json_pack("{s:s, s:O}", "type", type, "value",
			   json_object_get(json_array_get(list, 0), "norm"));
	rc = audit_commit(s, rc, p, "correlation.exclude", "indicator", type, detail,
			  "the exclusion", err);
	json_decref(detail);
	json_decref(list);
	return rc;
}

int share_correlation_exclusions(struct store *s, const struct cep_principal *p,
				 const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	int rc;

	if (policy_check(p, CEP_ACT_CORRELATION_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "correlations are for NISC and the CEPTOAR Council");
	rc = store_query_page(s, "type, norm AS value, reason, created_by, created_at",
			      "FROM correlation_exclusions", "type, norm", NULL, 0, page, ret);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the exclusion list") : 0;
}
