/* read.c - a drill's figures for those who may read it: one drill, the list,
 * and the history of a CEPTOAR's drills (its reachability over time). The
 * results per member are in members.c. */
#include "drill/internal.h"

#include "base/json.h"

#include "base/clock.h"

#include <stdio.h>
#include <string.h>


int drill_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
	      struct cep_error *err)
{
	int64_t deadline = 0;
	int rc = drill_readable(s, p, id, &deadline, err);

	if (rc == 0)
		rc = drill_describe(s, id, cep_now(), ret);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the drill") : 0;
}

/* Whether p may read some drill (else lists are refused, not empty). */
static int may_read_some(const struct cep_principal *p, struct cep_error *err)
{
	struct policy_clause c[POLICY_CLAUSES_MAX];

	if (policy_clauses(p, CEP_ACT_DRILL_READ, c) == 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "drills are read by NISC, the CEPTOAR secretariats and the "
				     "ministries");
	return 0;
}

/* The policy's condition and a CEPTOAR filter (NULL, an id or "all") into sql
 * and args (at most 5). */
static void list_where(const struct cep_principal *p, const char *ceptoar, char *sql, size_t size,
		       struct store_arg args[5], int *ret_n)
{
	char pol[512];
	int n = 0;

	drill_read_where(p, pol, sizeof(pol), args, &n);
	if (ceptoar && !strcmp(ceptoar, "all")) {
		snprintf(sql, size, "(%s) AND d.ceptoar_id IS NULL", pol);
	} else if (ceptoar) {
		snprintf(sql, size, "(%s) AND d.ceptoar_id = ?", pol);
		args[n++] = STORE_TEXT(ceptoar);
	} else {
		snprintf(sql, size, "(%s)", pol);
	}
	*ret_n = n;
}

/* Replace each item's deadline_s (seconds) by its state and figures at now. */
static int add_figures(struct store *s, json_t *items, int64_t now, bool members_only)
{
	json_t *it;
	size_t i;

	json_array_foreach(items, i, it) {
		json_t *fig = NULL;
		int64_t deadline = json_integer_value(json_object_get(it, "deadline_s"));
		int rc = drill_figures(s, json_string_value(json_object_get(it, "id")), deadline, now,
				       &fig);

		if (rc == 0 && json_object_get(it, "manual")) /* a drill, not a history row */
			rc = cep_json_split(it, "manual");
		if (rc < 0) {
			json_decref(fig);
			return rc;
		}
		json_object_del(it, "deadline_s");
		if (json_object_set_new(it, "state",
					json_string(now <= deadline ? "running" : "finished")) < 0)
			rc = CEP_ENOMEM;
		if (members_only) {
			if (rc == 0 && json_object_set(it, "members", json_object_get(fig, "members")) < 0)
				rc = CEP_ENOMEM;
			json_decref(fig);
		} else if (rc < 0) {
			json_decref(fig);
		} else if (json_object_set_new(it, "figures", fig) < 0) {
			rc = CEP_ENOMEM;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

int drill_list(struct store *s, const struct cep_principal *p, const char *ceptoar,
	       const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	struct store_arg args[5];
	char where[700], from[1024];
	json_t *res = NULL;
	int n = 0, rc;

	if (may_read_some(p, err) < 0)
		return CEP_EPERM;
	if (ceptoar && strlen(ceptoar) > 64)
		return cep_error_set(err, CEP_EINVAL, "ceptoar", "ceptoar must be a CEPTOAR id or all");
	list_where(p, ceptoar, where, sizeof(where), args, &n);
	snprintf(from, sizeof(from), "%s WHERE %s", DRILL_FROM, where);
	rc = store_query_page(s, DRILL_COLS ", d.deadline_at + 0 AS deadline_s", from,
			      "d.created_at DESC, d.rowid DESC", args, n, page, &res);
	if (rc == 0)
		rc = add_figures(s, json_object_get(res, "items"), cep_now(), false);
	if (rc < 0) {
		json_decref(res);
		return cep_error_set(err, rc, NULL, "cannot read the drills");
	}
	*ret = res;
	return 0;
}

int drill_history(struct store *s, const struct cep_principal *p, const char *ceptoar,
		  json_t **ret, struct cep_error *err)
{
	struct store_arg args[6];
	char where[700], sql[2048];
	json_t *items = NULL, *res = NULL;
	int n = 0, rc;

	if (may_read_some(p, err) < 0)
		return CEP_EPERM;
	if (!ceptoar)
		return cep_error_set(err, CEP_EINVAL, "ceptoar",
				     "ceptoar is required: a CEPTOAR id, or all for the drills of "
				     "every CEPTOAR");
	if (strlen(ceptoar) > 64)
		return cep_error_set(err, CEP_EINVAL, "ceptoar", "ceptoar must be a CEPTOAR id or all");
	list_where(p, ceptoar, where, sizeof(where), args, &n);
	args[n++] = STORE_INT(DRILL_HISTORY_MAX);
	/* the newest DRILL_HISTORY_MAX, oldest first */
	snprintf(sql, sizeof(sql),
		 "SELECT * FROM (SELECT d.id, d.title, d.created_at, d.deadline_at,"
		 " d.deadline_at + 0 AS deadline_s, d.created_at + 0 AS created_s, d.rowid AS seq,"
		 " d.org_id AS org, d.fanout_state AS fanout %s WHERE %s"
		 " ORDER BY d.created_at DESC, d.rowid DESC LIMIT ?) ORDER BY created_s, seq",
		 DRILL_FROM, where);
	rc = store_query_all(s, sql, args, n, &items);
	if (rc == 0)
		rc = add_figures(s, items, cep_now(), true);
	if (rc < 0) {
		json_decref(items);
		return cep_error_set(err, rc, NULL, "cannot read the drills");
	}
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_object_del(json_array_get(items, i), "created_s");
		json_object_del(json_array_get(items, i), "seq");
	}
	res = json_object();
	if (!res || json_object_set_new(res, "ceptoar", json_string(ceptoar)) < 0 ||
	    json_object_set(res, "items", items) < 0) {
		json_decref(res);
		json_decref(items);
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	}
	json_decref(items);
	*ret = res;
	return 0;
}
