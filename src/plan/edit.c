/* edit.c - correcting a plan after it was made (NISC): its titles, period,
 * source and parent; adding, changing, reordering and removing pillars and
 * measures.
 * Each change validates as plan_create does (the merged result is checked
 * whole), runs in one transaction and ends in its audit entry. */
#include "plan/internal.h"

#include "audit/audit.h"
#include "base/crypto.h"
#include "base/json.h"

#include <stdio.h>
#include <string.h>

/* The body of an edit: an object giving at least one field. */
static int edit_body(const json_t *in, const char *const *allowed, struct cep_error *err)
{
	int rc;

	if (!json_is_object(in))
		return cep_error_set(err, CEP_EINVAL, NULL, "the body must be a JSON object");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0 && json_object_size(in) == 0)
		rc = cep_error_set(err, CEP_EINVAL, NULL, "give at least one field to change");
	return rc;
}

/* The names of the fields in (for the audit entry): {"plan": id, "fields": [...]}. */
static json_t *edit_detail(const char *id, const json_t *in)
{
	json_t *fields = json_array(), *v;
	const char *k;

	json_object_foreach((json_t *)in, k, v)
		json_array_append_new(fields, json_string(k));
	return json_pack("{s:s,s:o}", "plan", id, "fields", fields ? fields : json_array());
}

/* Start a write on plan id: the transaction, then the policy (NISC). */
static int edit_begin(struct store *s, const struct cep_principal *p, const char *id,
		      json_t **ret_row, struct cep_error *err)
{
	int rc = store_begin(s);

	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	return plan_require(s, p, id, CEP_ACT_PLAN_WRITE, ret_row, err);
}

/* End an edit: its audit entry (detail, taken; NULL after a success means
 * it could not be built) and the commit, or the rollback. */
static int edit_commit(struct store *s, int rc, const struct cep_principal *p, const char *action,
		       const char *type, const char *oid, json_t *detail, const char *what,
		       struct cep_error *err)
{
	rc = audit_commit(s, rc == 0 && !detail ? CEP_ENOMEM : rc, p, action, type, oid, detail,
			  what, err);
	json_decref(detail);
	return rc;
}

/* The position after the plan's last measure, in the caller's transaction. */
static int next_measure_position(struct store *s, const char *id, int64_t *ret)
{
	return store_query_int(s,
			       "SELECT coalesce(max(position) + 1, 0) FROM plan_measures WHERE plan_id = ?",
			       (struct store_arg[]){ STORE_TEXT(id) }, 1, ret);
}

/* CEP_ETOOBIG (field `what`) when the plan already holds max of what sql
 * counts, in the caller's transaction. */
static int room_for_one(struct store *s, const char *sql, const char *id, int max,
			const char *what, struct cep_error *err)
{
	int64_t n = 0;
	int rc = store_query_int(s, sql, (struct store_arg[]){ STORE_TEXT(id) }, 1, &n);

	if (rc == 0 && n >= max)
		rc = cep_error_set(err, CEP_ETOOBIG, what, "a plan has at most %d %s", max, what);
	return rc;
}

/* ---- the plan itself ---- */

int plan_update(struct store *s, const struct cep_principal *p, const char *id, const json_t *in,
		json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "title_ja", "title_en", "period", "source", "parent",
					       NULL };
	static const char *const fixed[] = { "kind", "year", "pillars", NULL };
	const char *tja = NULL, *ten = NULL, *period = NULL, *source = NULL, *parent = NULL;
	json_t *row = NULL, *merged = NULL, *detail = NULL;
	int rc;

	for (int i = 0; fixed[i] && json_is_object(in); i++)
		if (json_object_get(in, fixed[i]))
			return cep_error_set(err, CEP_EINVAL, fixed[i],
					     !strcmp(fixed[i], "pillars") ?
						     "pillars are changed one by one (/pillars)" :
						     "%s cannot be changed: make a new plan", fixed[i]);
	rc = edit_body(in, allowed, err);
	if (rc < 0)
		return rc;
	rc = edit_begin(s, p, id, &row, err);
	if (rc == 0) {
		merged = json_pack("{s:O?,s:O?,s:O?,s:O?,s:O?}", "title_ja", json_object_get(row, "title_ja"),
				   "title_en", json_object_get(row, "title_en"), "period",
				   json_object_get(row, "period"), "source",
				   json_object_get(row, "source"), "parent",
				   json_object_get(row, "parent"));
		rc = merged && json_object_update(merged, (json_t *)in) == 0 ? 0 : CEP_ENOMEM;
	}
	if (rc == 0)
		rc = cep_json_text(merged, "title_ja", PLAN_TITLE_MAX, 1, 0, &tja, err);
	if (rc == 0)
		rc = cep_json_text(merged, "title_en", PLAN_TITLE_MAX, 0, 0, &ten, err);
	if (rc == 0)
		rc = cep_json_text(merged, "period", 64,
				   !strcmp(json_string_value(json_object_get(row, "kind")), "action-plan"),
				   0, &period, err);
	if (rc == 0)
		rc = cep_json_text(merged, "source", PLAN_TEXT_MAX, 0, 1, &source, err);
	if (rc == 0)
		rc = cep_json_text(merged, "parent", 64, 0, 0, &parent, err);
	if (rc == 0 && parent) {
		int64_t n = 0;

		rc = store_query_int(s,
				     "SELECT count(*) FROM plans WHERE id = ? AND id <> ? AND kind = 'action-plan'",
				     (struct store_arg[]){ STORE_TEXT(parent), STORE_TEXT(id) }, 2, &n);
		if (rc == 0 && n == 0)
			rc = cep_error_set(err, CEP_ESEMANTIC, "parent",
					   "parent must be another plan, an action plan");
	}
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE plans SET title_ja = ?, title_en = ?, period = ?, source = ?,"
			       " parent_id = ? WHERE id = ?",
			       (struct store_arg[]){ STORE_TEXT(tja), STORE_TEXT(ten ? ten : ""),
						     STORE_TEXT(period ? period : ""),
						     STORE_TEXT(source ? source : ""), STORE_TEXT(parent),
						     STORE_TEXT(id) },
			       6);
	if (rc == 0)
		detail = edit_detail(id, in);
	rc = edit_commit(s, rc, p, "plan.update", "plan", id, detail, "the plan", err);
	json_decref(merged);
	json_decref(row);
	return rc < 0 ? rc : plan_get(s, p, id, ret, err);
}

/* ---- order ---- */

/* The place asked for by in's "position" into *ret (-1: none asked): a whole
 * number from 0 (first) to max; past the last, the thing goes last. */
static int want_position(const json_t *in, int max, int64_t *ret, struct cep_error *err)
{
	const json_t *v = json_object_get(in, "position");

	*ret = -1;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
		return cep_error_set(err, CEP_EINVAL, "position",
				     "position must be a whole number from 0 (first) to %d", max);
	*ret = json_integer_value(v);
	return 0;
}

/* Put row `moved` of table at place `at` (0 first; past the end: last; -1:
 * nothing asked, nothing done) among the rows whose scope_col is scope, and
 * number them all again from 0, in the caller's transaction. table and
 * scope_col are the caller's constants; what names the row in an error. */
static int place(struct store *s, const char *table, const char *scope_col, const char *scope,
		 const char *moved, int64_t at, const char *what, struct cep_error *err)
{
	char sql[160];
	json_t *rows = NULL;
	size_t j = 0, n;
	int rc;

	if (at < 0)
		return 0;
	snprintf(sql, sizeof(sql),
		 "SELECT id FROM %s WHERE %s = ? AND id != ? ORDER BY position, rowid", table,
		 scope_col);
	rc = store_query_all(s, sql, (struct store_arg[]){ STORE_TEXT(scope), STORE_TEXT(moved) }, 2,
			     &rows);
	n = json_array_size(rows);
	if (at > (int64_t)n)
		at = (int64_t)n;
	snprintf(sql, sizeof(sql), "UPDATE %s SET position = ? WHERE id = ?", table);
	for (int64_t pos = 0; rc == 0 && pos <= (int64_t)n; pos++) {
		const char *x = pos == at ? moved
					  : json_string_value(json_object_get(
						    json_array_get(rows, j++), "id"));

		rc = store_run(s, sql, (struct store_arg[]){ STORE_INT(pos), STORE_TEXT(x) }, 2);
	}
	json_decref(rows);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot store %s", what) : 0;
}

/* ---- pillars ---- */

/* The pillar plid (its id or code) of plan id, in the caller's transaction. */
static int pillar_row(struct store *s, const char *id, const char *plid, json_t **ret_row,
		      struct cep_error *err)
{
	int rc;

	if (!plid || strlen(plid) > 64)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such pillar in this plan");
	rc = store_query_one(s,
			     "SELECT pl.id, pl.code, pl.title_ja, pl.title_en, (SELECT count(*) FROM"
			     " plan_measures m WHERE m.pillar_id = pl.id) AS measures FROM plan_pillars pl"
			     " WHERE pl.plan_id = ? AND (pl.id = ? OR pl.code = ?)",
			     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(plid), STORE_TEXT(plid) },
			     3, ret_row);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such pillar in this plan");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the pillar");
	return 0;
}

/* Check a pillar's fields (the merged result) and write them. */
static int pillar_write(struct store *s, const char *id, const char *plid, const json_t *in,
			int update, struct cep_error *err)
{
	const char *code = NULL, *tja = NULL, *ten = NULL;
	int rc = cep_json_text(in, "code", PLAN_CODE_MAX, 1, 0, &code, err);

	if (rc == 0)
		rc = cep_json_text(in, "title_ja", PLAN_TITLE_MAX, 1, 0, &tja, err);
	if (rc == 0)
		rc = cep_json_text(in, "title_en", PLAN_TITLE_MAX, 0, 0, &ten, err);
	if (rc < 0)
		return rc;
	if (update)
		rc = store_run(s,
			       "UPDATE plan_pillars SET code = ?, title_ja = ?, title_en = ?"
			       " WHERE id = ? AND plan_id = ?",
			       (struct store_arg[]){ STORE_TEXT(code), STORE_TEXT(tja),
						     STORE_TEXT(ten ? ten : ""), STORE_TEXT(plid),
						     STORE_TEXT(id) },
			       5);
	else
		rc = store_run(s,
			       "INSERT INTO plan_pillars (id, plan_id, code, title_ja, title_en, position)"
			       " VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(position) + 1, 0)"
			       " FROM plan_pillars WHERE plan_id = ?))",
			       (struct store_arg[]){ STORE_TEXT(plid), STORE_TEXT(id), STORE_TEXT(code),
						     STORE_TEXT(tja), STORE_TEXT(ten ? ten : ""),
						     STORE_TEXT(id) },
			       6);
	if (rc == CEP_EEXIST)
		return cep_error_set(err, rc, "code", "the plan has a pillar with code %s already",
				     code);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot store the pillar") : 0;
}

static const char *const pillar_fields[] = { "code", "title_ja", "title_en", "position", NULL };

int plan_pillar_add(struct store *s, const struct cep_principal *p, const char *id,
		    const json_t *in, json_t **ret, struct cep_error *err)
{
	char plid[CEP_UUID_LEN + 1];
	json_t *detail = NULL;
	int64_t at = -1;
	int rc = edit_body(in, pillar_fields, err);

	if (rc == 0)
		rc = want_position(in, PLAN_PILLARS_MAX, &at, err);
	if (rc < 0)
		return rc;
	cep_uuid(plid);
	rc = edit_begin(s, p, id, NULL, err);
	if (rc == 0)
		rc = room_for_one(s, "SELECT count(*) FROM plan_pillars WHERE plan_id = ?", id,
				  PLAN_PILLARS_MAX, "pillars", err);
	if (rc == 0)
		rc = pillar_write(s, id, plid, in, 0, err);
	if (rc == 0)
		rc = place(s, "plan_pillars", "plan_id", id, plid, at, "the pillar", err);
	if (rc == 0)
		detail = json_pack("{s:s,s:O?}", "plan", id, "code", json_object_get(in, "code"));
	rc = edit_commit(s, rc, p, "plan.pillar_add", "plan_pillar", plid, detail, "the pillar",
			 err);
	return rc < 0 ? rc : pillar_row(s, id, plid, ret, err);
}

int plan_pillar_update(struct store *s, const struct cep_principal *p, const char *id,
		       const char *plid, const json_t *in, json_t **ret, struct cep_error *err)
{
	json_t *row = NULL, *merged = NULL, *detail = NULL;
	char pl[CEP_UUID_LEN + 1] = "";
	int64_t at = -1;
	int rc = edit_body(in, pillar_fields, err);

	if (rc == 0)
		rc = want_position(in, PLAN_PILLARS_MAX, &at, err);
	if (rc < 0)
		return rc;
	rc = edit_begin(s, p, id, NULL, err);
	if (rc == 0)
		rc = pillar_row(s, id, plid, &row, err);
	if (rc == 0) {
		snprintf(pl, sizeof(pl), "%s", json_string_value(json_object_get(row, "id")));
		merged = json_pack("{s:O?,s:O?,s:O?}", "code", json_object_get(row, "code"), "title_ja",
				   json_object_get(row, "title_ja"), "title_en",
				   json_object_get(row, "title_en"));
		rc = merged && json_object_update(merged, (json_t *)in) == 0 ? 0 : CEP_ENOMEM;
	}
	if (rc == 0)
		rc = pillar_write(s, id, pl, merged, 1, err);
	if (rc == 0)
		rc = place(s, "plan_pillars", "plan_id", id, pl, at, "the pillar", err);
	if (rc == 0)
		detail = edit_detail(id, in);
	rc = edit_commit(s, rc, p, "plan.pillar_update", "plan_pillar", pl, detail, "the pillar",
			 err);
	json_decref(merged);
	json_decref(row);
	return rc < 0 ? rc : pillar_row(s, id, pl, ret, err);
}

int plan_pillar_delete(struct store *s, const struct cep_principal *p, const char *id,
		       const char *plid, struct cep_error *err)
{
	json_t *row = NULL, *detail = NULL;
	char pl[CEP_UUID_LEN + 1] = "";
	int rc = edit_begin(s, p, id, NULL, err);

	if (rc == 0)
		rc = pillar_row(s, id, plid, &row, err);
	if (rc == 0) {
		json_int_t n = json_integer_value(json_object_get(row, "measures"));

		snprintf(pl, sizeof(pl), "%s", json_string_value(json_object_get(row, "id")));
		if (n > 0)
			rc = cep_error_set(err, CEP_EEXIST, "measures",
					   "the pillar has %lld measures: move or delete them first",
					   (long long)n);
	}
	if (rc == 0)
		rc = store_run(s, "DELETE FROM plan_pillars WHERE id = ? AND plan_id = ?",
			       (struct store_arg[]){ STORE_TEXT(pl), STORE_TEXT(id) }, 2);
	if (rc == 0)
		detail = json_pack("{s:s,s:O?}", "plan", id, "code", json_object_get(row, "code"));
	rc = edit_commit(s, rc, p, "plan.pillar_delete", "plan_pillar", pl, detail, "the pillar",
			 err);
	json_decref(row);
	return rc;
}

/* ---- measures ---- */

int plan_measure_add(struct store *s, const struct cep_principal *p, const char *id,
		     const char *plid, const json_t *in, json_t **ret, struct cep_error *err)
{
	json_t *row = NULL, *detail = NULL;
	char mid[CEP_UUID_LEN + 1];
	int64_t pos = 0;
	int rc;

	if (!json_is_object(in))
		return cep_error_set(err, CEP_EINVAL, NULL, "the body must be a JSON object");
	cep_uuid(mid);
	rc = edit_begin(s, p, id, NULL, err);
	if (rc == 0)
		rc = pillar_row(s, id, plid, &row, err);
	if (rc == 0)
		rc = room_for_one(s, "SELECT count(*) FROM plan_measures WHERE plan_id = ?", id,
				  PLAN_MEASURES_MAX, "measures", err);
	if (rc == 0)
		rc = next_measure_position(s, id, &pos);
	if (rc == 0)
		rc = plan_measure_write(s, id, json_string_value(json_object_get(row, "id")), (int)pos,
					in, "the new measure", mid, 0, err);
	if (rc == 0)
		detail = json_pack("{s:s,s:O?,s:O?}", "plan", id, "pillar", json_object_get(row, "code"),
				   "code", json_object_get(in, "code"));
	rc = edit_commit(s, rc, p, "plan.measure_add", "plan_measure", mid, detail, "the measure",
			 err);
	json_decref(row);
	return rc < 0 ? rc : plan_measure_get(s, p, mid, ret, err);
}

/* The measure mid of plan id with everything an edit keeps (*ret_row, caller owns). */
static int measure_full(struct store *s, const char *id, const char *mid, json_t **ret_row,
			struct cep_error *err)
{
	json_t *row = NULL, *owners = NULL, *ids = json_array(), *o;
	size_t i;
	int rc = CEP_ENOTFOUND;

	if (mid && strlen(mid) <= 64)
		rc = store_query_one(s,
				     "SELECT id, pillar_id, code, title_ja, title_en, target_ja, target_en,"
				     " deadline, position, grade, (SELECT count(*) FROM plan_progress pr"
				     " WHERE pr.measure_id = m.id) AS progress FROM plan_measures m"
				     " WHERE id = ? AND plan_id = ?",
				     (struct store_arg[]){ STORE_TEXT(mid), STORE_TEXT(id) }, 2, &row);
	if (rc == 0)
		rc = store_query_all(s, "SELECT org_id FROM plan_measure_owners WHERE measure_id = ?",
				     (struct store_arg[]){ STORE_TEXT(mid) }, 1, &owners);
	json_array_foreach(owners, i, o)
		json_array_append(ids, json_object_get(o, "org_id"));
	json_decref(owners);
	if (rc == 0 && ids)
		json_object_set_new(row, "owners", ids);
	else
		json_decref(ids);
	if (rc == 0 && !ids)
		rc = CEP_ENOMEM;
	if (rc < 0) {
		json_decref(row);
		return rc == CEP_ENOTFOUND ? cep_error_set(err, rc, NULL, "no such measure in this plan")
					   : cep_error_set(err, rc, NULL, "cannot read the measure");
	}
	*ret_row = row;
	return 0;
}

int plan_measure_update(struct store *s, const struct cep_principal *p, const char *id,
			const char *mid, const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "code",	    "title_ja",	 "title_en", "owners",
					       "target_ja", "target_en", "deadline", "pillar",
					       "position",  NULL };
	static const char *const kept[] = { "code",	 "title_ja",  "title_en", "owners",
					    "target_ja", "target_en", "deadline", NULL };
	json_t *row = NULL, *merged = json_object(), *pillar = NULL, *detail = NULL;
	const char *plid = NULL;
	char at[64];
	int64_t pos = 0, place_at = -1;
	int rc = edit_body(in, allowed, err);

	if (rc == 0)
		rc = want_position(in, PLAN_MEASURES_MAX, &place_at, err);
	if (rc < 0) {
		json_decref(merged);
		return rc;
	}
	rc = edit_begin(s, p, id, NULL, err);
	if (rc == 0)
		rc = measure_full(s, id, mid, &row, err);
	for (int i = 0; rc == 0 && kept[i]; i++)
		rc = json_object_set(merged, kept[i], json_object_get(row, kept[i])) == 0 ? 0
											      : CEP_ENOMEM;
	if (rc == 0) {
		rc = json_object_update(merged, (json_t *)in) == 0 ? 0 : CEP_ENOMEM;
		json_object_del(merged, "pillar");
		json_object_del(merged, "position");
		plid = json_string_value(json_object_get(row, "pillar_id"));
		pos = json_integer_value(json_object_get(row, "position"));
	}
	if (rc == 0 && json_object_get(in, "pillar")) {
		const json_t *want = json_object_get(in, "pillar");

		/* a move: to the end of the pillar named (id or code) */
		if (!json_is_string(want) || pillar_row(s, id, json_string_value(want), &pillar, NULL) < 0)
			rc = cep_error_set(err, CEP_ESEMANTIC, "pillar",
					   "pillar must be the id or code of a pillar of this plan");
		if (rc == 0 && strcmp(plid, json_string_value(json_object_get(pillar, "id")))) {
			plid = json_string_value(json_object_get(pillar, "id"));
			rc = next_measure_position(s, id, &pos);
		}
	}
	if (rc == 0) {
		snprintf(at, sizeof(at), "measure %.40s", json_string_value(json_object_get(row, "code")));
		rc = plan_measure_write(s, id, plid, (int)pos, merged, at, mid, 1, err);
	}
	/* its place among its pillar's measures (the pillar moved to, if any) */
	if (rc == 0)
		rc = place(s, "plan_measures", "pillar_id", plid, mid, place_at, "the measure", err);
	if (rc == 0)
		detail = edit_detail(id, in);
	rc = edit_commit(s, rc, p, "plan.measure_update", "plan_measure", mid, detail, "the measure",
			 err);
	json_decref(pillar);
	json_decref(merged);
	json_decref(row);
	return rc < 0 ? rc : plan_measure_get(s, p, mid, ret, err);
}

int plan_measure_delete(struct store *s, const struct cep_principal *p, const char *id,
			const char *mid, int force, struct cep_error *err)
{
	json_t *row = NULL, *detail = NULL;
	int rc = edit_begin(s, p, id, NULL, err);

	if (rc == 0)
		rc = measure_full(s, id, mid, &row, err);
	if (rc == 0 && !force) {
		json_int_t n = json_integer_value(json_object_get(row, "progress"));
		int graded = json_is_string(json_object_get(row, "grade"));

		if (n > 0 || graded)
			rc = cep_error_set(err, CEP_EEXIST, "force",
					   "the measure has %lld progress reports%s: ?force=1 deletes "
					   "them with it",
					   (long long)n, graded ? " and a grade" : "");
	}
	if (rc == 0)
		rc = store_run(s, "DELETE FROM plan_measures WHERE id = ? AND plan_id = ?",
			       (struct store_arg[]){ STORE_TEXT(mid), STORE_TEXT(id) }, 2);
	if (rc == 0)
		detail = json_pack("{s:s,s:O?,s:O?,s:O?}", "plan", id, "code", json_object_get(row, "code"),
				   "progress", json_object_get(row, "progress"), "grade",
				   json_object_get(row, "grade"));
	rc = edit_commit(s, rc, p, "plan.measure_delete", "plan_measure", mid, detail, "the measure",
			 err);
	json_decref(row);
	return rc;
}
