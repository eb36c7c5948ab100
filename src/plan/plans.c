/* plans.c - plans with their pillars and measures: creating one whole (from
 * the API, the command line or a sample compiled into the binary), listing,
 * reading and deleting, and who may touch a plan. */
#include "plan/internal.h"
#include "plan/samples.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>

#define PLAN_COLS                                                                            \
	"p.id, p.kind, p.year, p.period, p.title_ja, p.title_en, p.parent_id AS parent,"     \
	" p.source, p.created_by, p.created_at"

int plan_year_check(const json_t *v, const char *field, int required, int *ret,
		    struct cep_error *err)
{
	if (!v || json_is_null(v)) {
		if (required)
			return cep_error_set(err, CEP_EINVAL, field, "%s is required", field);
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < PLAN_YEAR_MIN ||
	    json_integer_value(v) > PLAN_YEAR_MAX)
		return cep_error_set(err, CEP_EINVAL, field, "%s must be a year from %d to %d",
				     field, PLAN_YEAR_MIN, PLAN_YEAR_MAX);
	*ret = (int)json_integer_value(v);
	return 0;
}

int plan_require(struct store *s, const struct cep_principal *p, const char *id,
		 enum cep_action action, json_t **ret_row, struct cep_error *err)
{
	json_t *row = NULL;
	int rc;

	if (policy_check(p, CEP_ACT_PLAN_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "this account may not read plans");
	if (!id || strlen(id) > 64)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such plan");
	rc = store_query_one(s, "SELECT " PLAN_COLS " FROM plans p WHERE p.id = ?",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &row);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such plan");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the plan");
	if (action != CEP_ACT_PLAN_READ && action != CEP_ACT_PLAN_PROGRESS &&
	    policy_check(p, action, NULL) < 0) {
		json_decref(row);
		return cep_error_set(err, CEP_EPERM, NULL,
				     action == CEP_ACT_PLAN_TRACK ?
					     "progress reports are read by NISC and the ministries" :
				     action == CEP_ACT_PLAN_EVALUATE ?
					     "measures are evaluated by NISC" :
					     "plans are made by NISC");
	}
	if (ret_row)
		*ret_row = row;
	else
		json_decref(row);
	return 0;
}

int plan_measure_row(struct store *s, const struct cep_principal *p, const char *id,
		     const char *mid, json_t **ret_row, struct cep_error *err)
{
	json_t *row = NULL;
	int rc;

	(void)p;
	if (!mid || strlen(mid) > 64)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such measure");
	rc = store_query_one(s,
			     "SELECT m.id, m.plan_id, m.code, m.title_ja, m.title_en, m.grade"
			     " FROM plan_measures m WHERE m.id = ? AND m.plan_id = ?",
			     (struct store_arg[]){ STORE_TEXT(mid), STORE_TEXT(id) }, 2, &row);
	if (rc == 0 && ret_row)
		*ret_row = row;
	else
		json_decref(row);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such measure in this plan");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the measure");
	return 0;
}

int plan_owns(struct store *s, const struct cep_principal *p, const char *mid)
{
	int64_t n = 0;

	if (!p->org_id[0])
		return 0;
	if (store_query_int(s,
			    "SELECT count(*) FROM plan_measure_owners WHERE measure_id = ? AND org_id = ?",
			    (struct store_arg[]){ STORE_TEXT(mid), STORE_TEXT(p->org_id) }, 2, &n) < 0)
		return 0;
	return n > 0;
}

/* "" or a real date YYYY-MM-DD. */
static int date_ok(const char *d)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, dd;
	char tail;

	if (!*d)
		return 1;
	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-' ||
	    sscanf(d, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3)
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			return 0;
	if (y < PLAN_YEAR_MIN || y > PLAN_YEAR_MAX + 1 || m < 1 || m > 12 || dd < 1 ||
	    dd > days[m - 1])
		return 0;
	return !(m == 2 && dd == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

int plan_measure_write(struct store *s, const char *pid, const char *plid, int pos,
		       const json_t *in, const char *at, const char *id, int update,
		       struct cep_error *err)
{
	static const char *const allowed[] = { "code",	    "title_ja", "title_en", "owners",
					       "target_ja", "target_en", "deadline", NULL };
	const char *code = NULL, *tja = NULL, *ten = NULL, *gja = NULL, *gen = NULL,
		   *deadline = NULL;
	const json_t *owners = json_object_get(in, "owners"), *o;
	size_t i;
	int rc;

	if (!json_is_object(in))
		return cep_error_set(err, CEP_EINVAL, "measures", "%s must be an object", at);
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "code", PLAN_CODE_MAX, 1, 0, &code, err);
	if (rc == 0)
		rc = cep_json_text(in, "title_ja", PLAN_TITLE_MAX, 1, 0, &tja, err);
	if (rc == 0)
		rc = cep_json_text(in, "title_en", PLAN_TITLE_MAX, 0, 0, &ten, err);
	if (rc == 0)
		rc = cep_json_text(in, "target_ja", PLAN_TEXT_MAX, 0, 1, &gja, err);
	if (rc == 0)
		rc = cep_json_text(in, "target_en", PLAN_TEXT_MAX, 0, 1, &gen, err);
	if (rc == 0)
		rc = cep_json_text(in, "deadline", 10, 0, 0, &deadline, err);
	if (rc == 0 && deadline && !date_ok(deadline))
		rc = cep_error_set(err, CEP_EINVAL, "deadline",
				   "%s: deadline must be a date YYYY-MM-DD (or empty)", at);
	if (rc == 0 && (!json_is_array(owners) || json_array_size(owners) < 1 ||
			json_array_size(owners) > PLAN_OWNERS_MAX))
		rc = cep_error_set(err, CEP_EINVAL, "owners",
				   "%s: owners must list 1 to %d organisations (NISC, ministries)",
				   at, PLAN_OWNERS_MAX);
	if (rc < 0) {
		/* the field is named by the helpers; say where it is */
		if (err && !strstr(err->message, at)) {
			char msg[CEP_ERR_MSG_MAX];
			size_t n = strlen(at);

			/* "pillar P, measure M: <the helper's message>", cut to fit */
			memcpy(msg, at, n);
			memcpy(msg + n, ": ", 2);
			snprintf(msg + n + 2, sizeof(msg) - n - 2, "%.*s", (int)(sizeof(msg) - n - 3),
				 err->message);
			memcpy(err->message, msg, sizeof(msg));
		}
		return rc;
	}
	if (update) {
		/* an edit: the row keeps its id; its owners are written anew */
		rc = store_run(s,
			       "UPDATE plan_measures SET pillar_id = ?, code = ?, title_ja = ?, title_en = ?,"
			       " target_ja = ?, target_en = ?, deadline = ?, position = ?"
			       " WHERE id = ? AND plan_id = ?",
			       (struct store_arg[]){ STORE_TEXT(plid), STORE_TEXT(code), STORE_TEXT(tja),
						     STORE_TEXT(ten ? ten : ""), STORE_TEXT(gja ? gja : ""),
						     STORE_TEXT(gen ? gen : ""),
						     STORE_TEXT(deadline ? deadline : ""), STORE_INT(pos),
						     STORE_TEXT(id), STORE_TEXT(pid) },
			       10);
		if (rc == 0)
			rc = store_run(s, "DELETE FROM plan_measure_owners WHERE measure_id = ?",
				       (struct store_arg[]){ STORE_TEXT(id) }, 1);
	} else {
		rc = store_run(s,
			       "INSERT INTO plan_measures (id, plan_id, pillar_id, code, title_ja, title_en,"
			       " target_ja, target_en, deadline, position) VALUES (?,?,?,?,?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(pid), STORE_TEXT(plid),
						     STORE_TEXT(code), STORE_TEXT(tja),
						     STORE_TEXT(ten ? ten : ""), STORE_TEXT(gja ? gja : ""),
						     STORE_TEXT(gen ? gen : ""),
						     STORE_TEXT(deadline ? deadline : ""), STORE_INT(pos) },
			       10);
	}
	if (rc == CEP_EEXIST)
		return cep_error_set(err, CEP_EEXIST, "code", "%s: code %s is used twice", at, code);
	json_array_foreach(owners, i, o) {
		json_t *org = NULL;

		if (rc < 0)
			break;
		if (!json_is_string(o) || strlen(json_string_value(o)) > 64) {
			rc = cep_error_set(err, CEP_EINVAL, "owners", "%s: an owner must be an org id or code", at);
			break;
		}
		rc = store_query_one(s,
				     "SELECT id FROM orgs WHERE (id = ? OR code = ?)"
				     " AND kind IN ('nisc','ministry')",
				     (struct store_arg[]){ STORE_TEXT(json_string_value(o)),
							   STORE_TEXT(json_string_value(o)) },
				     2, &org);
		if (rc == CEP_ENOTFOUND) {
			rc = cep_error_set(err, CEP_ESEMANTIC, "owners",
					   "%s: owner %s is not NISC or a ministry", at,
					   json_string_value(o));
			break;
		}
		if (rc == 0)
			rc = store_run(s,
				       "INSERT INTO plan_measure_owners (measure_id, org_id) VALUES (?,?)"
				       " ON CONFLICT DO NOTHING",
				       (struct store_arg[]){ STORE_TEXT(id),
							     STORE_TEXT(json_string_value(
								     json_object_get(org, "id"))) },
				       2);
		json_decref(org);
	}
	return rc;
}

/* Write the pillars and measures of in under plan pid (caller's transaction). */
static int write_pillars(struct store *s, const char *pid, const json_t *pillars,
			 struct cep_error *err)
{
	static const char *const allowed[] = { "code", "title_ja", "title_en", "measures", NULL };
	const json_t *pl, *m;
	size_t i, j, total = 0;
	int rc = 0, pos = 0;

	if (!pillars)
		return 0;
	if (!json_is_array(pillars) || json_array_size(pillars) > PLAN_PILLARS_MAX)
		return cep_error_set(err, CEP_EINVAL, "pillars", "pillars must be a list of at most %d",
				     PLAN_PILLARS_MAX);
	json_array_foreach(pillars, i, pl) {
		const json_t *ms = json_object_get(pl, "measures");
		const char *code = NULL, *tja = NULL, *ten = NULL;
		char plid[CEP_UUID_LEN + 1], at[64];

		if (!json_is_object(pl))
			return cep_error_set(err, CEP_EINVAL, "pillars", "pillar %zu must be an object",
					     i + 1);
		snprintf(at, sizeof(at), "pillar %zu", i + 1);
		rc = cep_json_only(pl, allowed, err);
		if (rc == 0)
			rc = cep_json_text(pl, "code", PLAN_CODE_MAX, 1, 0, &code, err);
		if (rc == 0)
			rc = cep_json_text(pl, "title_ja", PLAN_TITLE_MAX, 1, 0, &tja, err);
		if (rc == 0)
			rc = cep_json_text(pl, "title_en", PLAN_TITLE_MAX, 0, 0, &ten, err);
		if (rc == 0 && ms && !json_is_array(ms))
			rc = cep_error_set(err, CEP_EINVAL, "measures", "%s: measures must be a list", at);
		total += json_array_size(ms);
		if (rc == 0 && total > PLAN_MEASURES_MAX)
			rc = cep_error_set(err, CEP_ETOOBIG, "measures",
					   "a plan has at most %d measures", PLAN_MEASURES_MAX);
		if (rc < 0)
			return rc;
		cep_uuid(plid);
		rc = store_run(s,
			       "INSERT INTO plan_pillars (id, plan_id, code, title_ja, title_en, position)"
			       " VALUES (?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(plid), STORE_TEXT(pid), STORE_TEXT(code),
						     STORE_TEXT(tja), STORE_TEXT(ten ? ten : ""),
						     STORE_INT((int64_t)i) },
			       6);
		if (rc == CEP_EEXIST)
			return cep_error_set(err, rc, "code", "%s: code %s is used twice", at, code);
		json_array_foreach(ms, j, m) {
			char mat[64], mid[CEP_UUID_LEN + 1];

			if (rc < 0)
				break;
			snprintf(mat, sizeof(mat), "pillar %zu, measure %zu", i + 1, j + 1);
			cep_uuid(mid);
			rc = plan_measure_write(s, pid, plid, pos++, m, mat, mid, 0, err);
		}
		if (rc < 0)
			return rc;
	}
	return rc;
}

int plan_create(struct store *s, const struct cep_principal *p, const json_t *in, json_t **ret,
		struct cep_error *err)
{
	static const char *const allowed[] = { "kind",	   "year",   "period", "title_ja", "title_en",
					       "parent",   "source", "pillars", NULL };
	const char *kind = NULL, *period = NULL, *tja = NULL, *ten = NULL, *parent = NULL,
		   *source = NULL;
	char id[CEP_UUID_LEN + 1];
	int year = 0, rc;

	if (policy_check(p, CEP_ACT_PLAN_WRITE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "plans are made by NISC");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "kind", 16, 1, 0, &kind, err);
	if (rc == 0 && strcmp(kind, "action-plan") && strcmp(kind, "yearly"))
		rc = cep_error_set(err, CEP_EINVAL, "kind", "kind must be action-plan or yearly");
	if (rc == 0)
		rc = plan_year_check(json_object_get(in, "year"), "year", !strcmp(kind, "yearly"),
				     &year, err);
	if (rc == 0)
		rc = cep_json_text(in, "period", 64, !strcmp(kind, "action-plan"), 0, &period, err);
	if (rc == 0)
		rc = cep_json_text(in, "title_ja", PLAN_TITLE_MAX, 1, 0, &tja, err);
	if (rc == 0)
		rc = cep_json_text(in, "title_en", PLAN_TITLE_MAX, 0, 0, &ten, err);
	if (rc == 0)
		rc = cep_json_text(in, "parent", 64, 0, 0, &parent, err);
	if (rc == 0)
		rc = cep_json_text(in, "source", PLAN_TEXT_MAX, 0, 1, &source, err);
	if (rc < 0)
		return rc;
	if (parent) {
		int64_t n = 0;

		rc = store_query_int(s, "SELECT count(*) FROM plans WHERE id = ? AND kind = 'action-plan'",
				     (struct store_arg[]){ STORE_TEXT(parent) }, 1, &n);
		if (rc == 0 && n == 0)
			return cep_error_set(err, CEP_ESEMANTIC, "parent", "parent must be an action plan");
		if (rc < 0)
			return cep_error_set(err, rc, NULL, "cannot read plans");
	}
	cep_uuid(id);
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = store_run(s,
		       "INSERT INTO plans (id, kind, year, period, title_ja, title_en, parent_id, source,"
		       " created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
		       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(kind),
					     year ? STORE_INT(year) : STORE_TEXT(NULL),
					     STORE_TEXT(period ? period : ""), STORE_TEXT(tja),
					     STORE_TEXT(ten ? ten : ""), STORE_TEXT(parent),
					     STORE_TEXT(source ? source : ""),
					     STORE_TEXT(p->user_id[0] ? p->user_id : "console"),
					     STORE_INT(cep_now()) },
		       10);
	if (rc == 0)
		rc = write_pillars(s, id, json_object_get(in, "pillars"), err);
	rc = audit_commit(s, rc, p, "plan.create", "plan", id, NULL, "the plan", err);
	if (rc < 0)
		return rc;
	return plan_get(s, p, id, ret, err);
}

int plan_samples(json_t **ret)
{
	json_t *items = json_array();

	for (const struct plan_sample_file *f = plan_sample_files; items && f->name; f++) {
		json_t *v = json_loads(f->data, 0, NULL);
		char name[64];

		snprintf(name, sizeof(name), "%.*s", (int)(strcspn(f->name, ".")), f->name);
		if (v)
			json_array_append_new(items, json_pack("{s:s,s:O?,s:O?,s:O?}", "name", name,
							       "title_ja", json_object_get(v, "title_ja"),
							       "title_en", json_object_get(v, "title_en"),
							       "source", json_object_get(v, "source")));
		json_decref(v);
	}
	if (!items)
		return CEP_ENOMEM;
	*ret = json_pack("{s:o}", "items", items);
	return *ret ? 0 : CEP_ENOMEM;
}

int plan_load_sample(struct store *s, const struct cep_principal *p, const char *name,
		     json_t **ret, struct cep_error *err)
{
	const struct plan_sample_file *f;
	json_t *v;
	int64_t n = 0;
	int rc;

	if (policy_check(p, CEP_ACT_PLAN_WRITE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "plans are made by NISC");
	for (f = plan_sample_files; f->name; f++)
		if (name && strlen(name) + 5 == strlen(f->name) && !strncmp(f->name, name, strlen(name)) &&
		    !strcmp(f->name + strlen(name), ".json"))
			break;
	if (!f->name)
		return cep_error_set(err, CEP_ENOTFOUND, "name", "no such sample plan");
	v = json_loads(f->data, 0, NULL);
	if (!v)
		return cep_error_set(err, CEP_ENOMEM, NULL, "cannot read the sample");
	json_object_del(v, "note"); /* how the seed was read: for people, not stored */
	rc = store_query_int(s, "SELECT count(*) FROM plans WHERE source = ?",
			     (struct store_arg[]){ STORE_TEXT(json_string_value(json_object_get(v, "source"))) },
			     1, &n);
	if (rc == 0 && n > 0)
		rc = cep_error_set(err, CEP_EEXIST, "name", "the sample %s is loaded already", name);
	if (rc == 0)
		rc = plan_create(s, p, v, ret, err);
	json_decref(v);
	return rc;
}

int plan_list(struct store *s, const struct cep_principal *p, const struct cep_page *page,
	      json_t **ret, struct cep_error *err)
{
	int rc;

	if (policy_check(p, CEP_ACT_PLAN_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "this account may not read plans");
	rc = store_query_page(s,
			      PLAN_COLS ", (SELECT count(*) FROM plan_measures m WHERE m.plan_id = p.id)"
			      " AS measures, (SELECT count(*) FROM plan_measures m WHERE m.plan_id = p.id"
			      " AND m.grade IS NOT NULL) AS evaluated",
			      "FROM plans p", "coalesce(p.year, 0) DESC, p.created_at DESC, p.id", NULL, 0,
			      page, ret);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read plans");
	return 0;
}

int plan_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
	     struct cep_error *err)
{
	json_t *row = NULL, *pillars = NULL, *summary = NULL;
	int rc = plan_require(s, p, id, CEP_ACT_PLAN_READ, &row, err);

	if (rc < 0)
		return rc;
	rc = store_query_all(s,
			     "SELECT pl.id, pl.code, pl.title_ja, pl.title_en, (SELECT count(*) FROM"
			     " plan_measures m WHERE m.pillar_id = pl.id) AS measures FROM plan_pillars pl"
			     " WHERE pl.plan_id = ? ORDER BY pl.position",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &pillars);
	if (rc == 0)
		rc = plan_summary(s, p, id, &summary, err);
	if (rc < 0) {
		json_decref(row);
		json_decref(pillars);
		return cep_error_set(err, rc, NULL, "cannot read the plan");
	}
	json_object_set_new(row, "pillars", pillars);
	json_object_set_new(row, "summary", summary);
	*ret = row;
	return 0;
}

int plan_delete(struct store *s, const struct cep_principal *p, const char *id,
		struct cep_error *err)
{
	int rc = store_begin(s);

	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = plan_require(s, p, id, CEP_ACT_PLAN_WRITE, NULL, err);
	if (rc == 0)
		rc = store_run(s, "UPDATE plans SET parent_id = NULL WHERE parent_id = ?",
			       (struct store_arg[]){ STORE_TEXT(id) }, 1);
	if (rc == 0)
		rc = store_run(s, "DELETE FROM plans WHERE id = ?", (struct store_arg[]){ STORE_TEXT(id) },
			       1);
	return audit_commit(s, rc, p, "plan.delete", "plan", id, NULL, "the plan", err);
}
