/* exercises.c - an exercise's plan, its members, who may do what with it,
 * and entering its world. */
#include "exercise/internal.h"

#include "audit/audit.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/text.h"
#include "share/share.h"

#include <stdio.h>
#include <string.h>

#define EX_COLS                                                                               \
	"e.id, e.org_id AS org, e.title, e.description, e.theme, e.format, e.objectives,"       \
	" e.cause, e.cause_category, e.cause_hidden, e.revealed_s, e.state, e.speed, e.clock_s," \
	" e.clock_ms, e.source, e.created_by, e.created_at, e.started_at, e.ended_at"

unsigned ex_parts(struct store *s, const struct cep_principal *p, const json_t *row)
{
	json_t *rows = NULL, *it;
	unsigned parts = 0;
	size_t i;

	if (store_query_all(s,
			    "SELECT role FROM exercise_members WHERE exercise_id = ?"
			    " AND ((org_id <> '' AND org_id = ?) OR (user_id <> '' AND user_id = ?))",
			    (struct store_arg[]){ STORE_TEXT(json_string_value(json_object_get(row, "id"))),
						  STORE_TEXT(p->org_id), STORE_TEXT(p->user_id) },
			    3, &rows) < 0)
		return 0;
	json_array_foreach(rows, i, it) {
		const char *r = json_string_value(json_object_get(it, "role"));

		parts |= !strcmp(r, "player")	    ? CEP_PART_PLAYER :
			 !strcmp(r, "controller") ? CEP_PART_CONTROLLER :
			 !strcmp(r, "evaluator")  ? CEP_PART_EVALUATOR :
						    CEP_PART_ADVISER;
	}
	json_decref(rows);
	return parts;
}

void ex_object(const json_t *row, unsigned parts, struct cep_object *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->org_id, sizeof(o->org_id), "%s", json_string_value(json_object_get(row, "org")));
	o->exercise_parts = parts;
}

json_t *ex_parts_json(const struct cep_principal *p, const json_t *row, unsigned parts)
{
	json_t *a = json_array();

	if (!strcmp(p->org_id, json_string_value(json_object_get(row, "org"))))
		json_array_append_new(a, json_string("owner"));
	if (parts & CEP_PART_CONTROLLER)
		json_array_append_new(a, json_string("controller"));
	if (parts & CEP_PART_EVALUATOR)
		json_array_append_new(a, json_string("evaluator"));
	if (parts & CEP_PART_ADVISER)
		json_array_append_new(a, json_string("adviser"));
	if (parts & CEP_PART_PLAYER)
		json_array_append_new(a, json_string("player"));
	return a;
}

int64_t ex_scenario_now(const json_t *row, int64_t now_ms)
{
	int64_t clock_s = json_integer_value(json_object_get(row, "clock_s"));
	int64_t clock_ms = json_integer_value(json_object_get(row, "clock_ms"));
	int64_t speed = json_integer_value(json_object_get(row, "speed"));
	const char *state = json_string_value(json_object_get(row, "state"));

	if (!state || strcmp(state, "running") || now_ms < clock_ms)
		return clock_s;
	return clock_s + (now_ms - clock_ms) * speed / 1000;
}

int ex_require(struct store *s, const struct cep_principal *p, const char *id,
	       enum cep_action action, json_t **ret_row, struct cep_error *err)
{
	struct cep_object o;
	json_t *row = NULL;
	unsigned parts;
	int rc;

	if (!id || strlen(id) > 64)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such exercise");
	rc = store_query_one(s, "SELECT " EX_COLS " FROM exercises e WHERE e.id = ?",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &row);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such exercise");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the exercise");
	parts = ex_parts(s, p, row);
	ex_object(row, parts, &o);
	if (policy_check(p, CEP_ACT_EXERCISE_READ, &o) < 0) {
		json_decref(row);
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such exercise");
	}
	if (policy_check(p, action, &o) < 0) {
		json_decref(row);
		return cep_error_set(err, CEP_EPERM, NULL,
				     action == CEP_ACT_EXERCISE_CONTROL ?
					     "only the exercise's controllers may do this" :
				     action == CEP_ACT_EXERCISE_EVALUATE ?
					     "only the exercise's controllers, evaluators and advisers "
					     "may do this" :
					     "only the exercise's players may do this");
	}
	json_object_set_new(row, "parts_bits", json_integer(parts));
	if (ret_row)
		*ret_row = row;
	else
		json_decref(row);
	return 0;
}

int ex_begin(struct store *s, const struct cep_principal *p, const char *id,
	     enum cep_action action, int open_only, json_t **ret_row, struct cep_error *err)
{
	json_t *row = NULL;
	int rc = store_begin(s);

	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = ex_require(s, p, id, action, &row, err);
	if (rc == 0 && open_only && !strcmp(json_string_value(json_object_get(row, "state")), "ended"))
		rc = cep_error_set(err, CEP_ESEMANTIC, "state", "the exercise has ended");
	if (rc < 0) {
		store_rollback(s);
		json_decref(row);
		return rc;
	}
	if (ret_row)
		*ret_row = row;
	else
		json_decref(row);
	return 0;
}

/* The exercise row shaped for p: the clock now, p's parts, objectives as an
 * array, the cause only for those who may see it. */
static json_t *shape(const struct cep_principal *p, json_t *row)
{
	unsigned parts = (unsigned)json_integer_value(json_object_get(row, "parts_bits"));
	struct cep_object o;
	json_t *obj = json_loads(json_string_value(json_object_get(row, "objectives")), 0, NULL);
	int staff;

	ex_object(row, parts, &o);
	staff = policy_check(p, CEP_ACT_EXERCISE_EVALUATE, &o) == 0;
	json_object_set_new(row, "scenario_s", json_integer(ex_scenario_now(row, cep_now_ms())));
	json_object_set_new(row, "parts", ex_parts_json(p, row, parts));
	json_object_set_new(row, "objectives", obj ? obj : json_array());
	json_object_set_new(row, "cause_hidden",
			    json_boolean(json_integer_value(json_object_get(row, "cause_hidden"))));
	json_object_set_new(row, "marking", json_string("訓練 / EXERCISE"));
	if (!staff && json_is_true(json_object_get(row, "cause_hidden")) &&
	    json_is_null(json_object_get(row, "revealed_s"))) {
		json_object_del(row, "cause");
		json_object_del(row, "cause_category");
	}
	json_object_del(row, "parts_bits");
	json_object_del(row, "clock_ms");
	return row;
}

/* ---- the plan ---- */

static const char *const plan_keys[] = {
	"title", "description", "theme", "format", "objectives", "cause", "cause_category",
	"cause_hidden", NULL,
};

/* Validate the plan members of in (required: title when create) and write
 * them to exercise id (insert when create). Inside the caller's transaction. */
static int write_plan(struct store *s, const struct cep_principal *p, const char *id,
		      const json_t *in, int create, struct cep_error *err)
{
	const char *title = NULL, *description = NULL, *theme = NULL, *format = NULL,
		   *cause = NULL, *category = NULL;
	const json_t *objectives = json_object_get(in, "objectives"), *hidden, *o;
	char *obj_text = NULL;
	size_t i;
	int rc = cep_json_text(in, "title", EX_TITLE_MAX, create, 0, &title, err);

	if (rc == 0)
		rc = cep_json_text(in, "description", EX_TEXT_MAX, 0, 1, &description, err);
	if (rc == 0)
		rc = cep_json_text(in, "theme", EX_TITLE_MAX, 0, 0, &theme, err);
	if (rc == 0)
		rc = cep_json_text(in, "format", 16, 0, 0, &format, err);
	if (rc == 0 && format && strcmp(format, "tabletop") && strcmp(format, "functional"))
		rc = cep_error_set(err, CEP_EINVAL, "format", "format must be tabletop or functional");
	if (rc == 0)
		rc = cep_json_text(in, "cause", EX_TEXT_MAX, 0, 1, &cause, err);
	if (rc == 0)
		rc = cep_json_text(in, "cause_category", 64, 0, 0, &category, err);
	if (rc == 0 && category) {
		int64_t n = 0;

		rc = store_query_int(s, "SELECT count(*) FROM threat_categories WHERE id = ?",
				     (struct store_arg[]){ STORE_TEXT(category) }, 1, &n);
		if (rc == 0 && n == 0)
			rc = cep_error_set(err, CEP_EINVAL, "cause_category",
					   "cause_category must be a threat category id (GET "
					   "/api/v1/threats)");
	}
	hidden = json_object_get(in, "cause_hidden");
	if (rc == 0 && hidden && !json_is_boolean(hidden))
		rc = cep_error_set(err, CEP_EINVAL, "cause_hidden", "cause_hidden must be true or false");
	if (rc == 0 && objectives) {
		if (!json_is_array(objectives) || json_array_size(objectives) > EX_OBJECTIVES_MAX)
			rc = cep_error_set(err, CEP_EINVAL, "objectives",
					   "objectives must be a list of at most %d texts",
					   EX_OBJECTIVES_MAX);
		json_array_foreach(objectives, i, o)
			if (rc == 0 && (!json_is_string(o) ||
					cep_text_check(json_string_value(o), EX_FIELD_MAX, true) < 0))
				rc = cep_error_set(err, CEP_EINVAL, "objectives",
						   "objective %zu must be a text of 1 to %d characters",
						   i + 1, EX_FIELD_MAX);
		if (rc == 0 && !(obj_text = json_dumps(objectives, JSON_COMPACT)))
			rc = CEP_ENOMEM;
	}
	if (rc < 0)
		return rc;
	if (create)
		rc = store_run(s,
			       "INSERT INTO exercises (id, org_id, title, created_by, created_at, source)"
			       " VALUES (?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(id),
						     /* the console plans as NISC */
						     STORE_TEXT(p->org_id[0] ? p->org_id : "nisc"),
						     STORE_TEXT(title),
						     STORE_TEXT(p->user_id[0] ? p->user_id : "console"),
						     STORE_INT(cep_now()), STORE_TEXT("") },
			       6);
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE exercises SET title = coalesce(?, title),"
			       " description = coalesce(?, description), theme = coalesce(?, theme),"
			       " format = coalesce(?, format), objectives = coalesce(?, objectives),"
			       " cause = coalesce(?, cause),"
			       " cause_category = CASE WHEN ? THEN ? ELSE cause_category END,"
			       " cause_hidden = coalesce(?, cause_hidden) WHERE id = ?",
			       (struct store_arg[]){ STORE_TEXT(title), STORE_TEXT(description),
						     STORE_TEXT(theme), STORE_TEXT(format),
						     STORE_TEXT(obj_text), STORE_TEXT(cause),
						     STORE_INT(json_object_get(in, "cause_category") != NULL),
						     STORE_TEXT(category),
						     hidden ? STORE_INT(json_is_true(hidden)) : STORE_TEXT(NULL),
						     STORE_TEXT(id) },
			       10);
	cep_free(obj_text);
	return rc;
}

int exercise_create(struct store *s, const struct cep_principal *p, const json_t *in,
		    json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = {
		"title", "description", "theme", "format", "objectives", "cause", "cause_category",
		"cause_hidden", "speed", "template", NULL,
	};
	const json_t *speed = json_object_get(in, "speed"), *tpl = NULL, *inj;
	const char *template_id = NULL;
	char id[CEP_UUID_LEN + 1], iid[CEP_UUID_LEN + 1];
	json_t *plan = NULL;
	size_t i;
	int rc;

	if (policy_check(p, CEP_ACT_EXERCISE_CREATE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "exercises are planned by NISC, ministries and CEPTOAR secretariats");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "template", 64, 0, 0, &template_id, err);
	if (rc == 0 && template_id && !(tpl = ex_template(template_id)))
		rc = cep_error_set(err, CEP_EINVAL, "template",
				   "no such template (GET /api/v1/exercises/templates)");
	if (rc == 0 && speed &&
	    (!json_is_integer(speed) || json_integer_value(speed) < 1 ||
	     json_integer_value(speed) > EX_SPEED_MAX))
		rc = cep_error_set(err, CEP_EINVAL, "speed",
				   "speed must be 1 to %d scenario seconds per second", EX_SPEED_MAX);
	if (rc < 0)
		return rc;
	/* a template gives the plan; the input overrides it member by member */
	plan = json_object();
	if (!plan)
		return CEP_ENOMEM;
	if (tpl) {
		json_object_set_new(plan, "title", json_string(json_string_value(
							    json_object_get(tpl, "title_ja"))));
		for (const char *const *k = plan_keys; *k; k++)
			if (json_object_get(tpl, *k))
				json_object_set(plan, *k, json_object_get(tpl, *k));
	}
	json_object_update(plan, (json_t *)in);
	json_object_del(plan, "template");
	json_object_del(plan, "speed");
	cep_uuid(id);
	rc = store_begin(s);
	if (rc < 0) {
		json_decref(plan);
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	}
	rc = write_plan(s, p, id, plan, 1, err);
	if (rc == 0)
		rc = store_run(s, "UPDATE exercises SET speed = ?, source = ? WHERE id = ?",
			       (struct store_arg[]){ STORE_INT(speed ? json_integer_value(speed) : 1),
						     STORE_TEXT(template_id ? template_id : ""),
						     STORE_TEXT(id) },
			       3);
	json_array_foreach(tpl ? json_object_get(tpl, "injects") : NULL, i, inj) {
		if (rc < 0)
			break;
		cep_uuid(iid);
		rc = ex_inject_write(s, id, iid, inj, NULL, err);
	}
	rc = audit_commit(s, rc, p, "exercise.create", "exercise", id, NULL, "the exercise", err);
	json_decref(plan);
	if (rc < 0)
		return rc;
	return exercise_get(s, p, id, ret, err);
}

int exercise_update(struct store *s, const struct cep_principal *p, const char *id,
		    const json_t *in, json_t **ret, struct cep_error *err)
{
	int rc = cep_json_only(in, plan_keys, err);

	if (rc == 0)
		rc = ex_begin(s, p, id, CEP_ACT_EXERCISE_CONTROL, 1, NULL, err);
	if (rc < 0)
		return rc;
	rc = write_plan(s, p, id, in, 0, err);
	rc = audit_commit(s, rc, p, "exercise.update", "exercise", id, NULL, "the exercise", err);
	return rc < 0 ? rc : exercise_get(s, p, id, ret, err);
}

int exercise_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		 struct cep_error *err)
{
	json_t *row = NULL, *members = NULL;
	int rc = ex_require(s, p, id, CEP_ACT_EXERCISE_READ, &row, err);
	struct cep_object o;

	if (rc < 0)
		return rc;
	ex_object(row, (unsigned)json_integer_value(json_object_get(row, "parts_bits")), &o);
	if (policy_check(p, CEP_ACT_EXERCISE_EVALUATE, &o) == 0 &&
	    exercise_members(s, p, id, &members, err) == 0)
		json_object_set_new(row, "members", json_object_get(members, "items") ?
						     json_incref(json_object_get(members, "items")) :
						     json_array());
	json_decref(members);
	*ret = shape(p, row);
	return 0;
}

int exercise_list(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		  json_t **ret, struct cep_error *err)
{
	struct cep_object any = { 0 }, own = { 0 }, part = { .exercise_parts = ~0u };
	json_t *res = NULL, *it, *full, *items;
	int all, owner, member;
	size_t i;
	int rc;

	/* the policy's answers for this principal, turned into the query's
	 * condition: every exercise, its org's, or those it has a part in */
	snprintf(own.org_id, sizeof(own.org_id), "%s", p->org_id);
	all = policy_check(p, CEP_ACT_EXERCISE_READ, &any) == 0;
	owner = p->org_id[0] && policy_check(p, CEP_ACT_EXERCISE_READ, &own) == 0;
	member = policy_check(p, CEP_ACT_EXERCISE_READ, &part) == 0;
	if (!all && !owner && !member)
		return cep_error_set(err, CEP_EPERM, NULL, "this account takes part in no exercise");
	rc = store_query_page(s, "e.id",
			      "FROM exercises e WHERE ? = 1 OR (? = 1 AND e.org_id = ?) OR (? = 1 AND"
			      " EXISTS (SELECT 1 FROM exercise_members m WHERE m.exercise_id = e.id AND"
			      " ((m.org_id <> '' AND m.org_id = ?) OR (m.user_id <> '' AND m.user_id = ?))))",
			      "e.created_at DESC, e.id",
			      (struct store_arg[]){ STORE_INT(all), STORE_INT(owner), STORE_TEXT(p->org_id),
						    STORE_INT(member), STORE_TEXT(p->org_id),
						    STORE_TEXT(p->user_id) },
			      6, page, &res);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read exercises");
	items = json_object_get(res, "items");
	json_array_foreach(items, i, it) {
		full = NULL;
		/* each shaped as a single read shapes it */
		if (ex_require(s, p, json_string_value(json_object_get(it, "id")),
			       CEP_ACT_EXERCISE_READ, &full, NULL) == 0) {
			shape(p, full);
			json_object_del(full, "cause");
			json_object_del(full, "cause_category");
			json_object_del(full, "description");
			json_object_del(full, "objectives");
			json_object_update(it, full);
		}
		json_decref(full);
	}
	*ret = res;
	return 0;
}

int exercise_delete(struct store *s, const struct cep_principal *p, const char *id,
		    struct cep_error *err)
{
	int rc = ex_begin(s, p, id, CEP_ACT_EXERCISE_CONTROL, 0, NULL, err);

	if (rc < 0)
		return rc;
	rc = share_world_delete(s, id); /* its world first, then the exercise and the rest */
	if (rc == 0)
		rc = store_run(s, "DELETE FROM exercises WHERE id = ?",
			       (struct store_arg[]){ STORE_TEXT(id) }, 1);
	return audit_commit(s, rc, p, "exercise.delete", "exercise", id, NULL, "the deletion", err);
}

/* ---- members ---- */

static const char *const roles[] = { "player", "controller", "evaluator", "adviser", NULL };

/* The member in in: role, and the org (players) or user it names, resolved
 * to ids; *ret_team the player's team (default: the org's sector). */
static int member_of(struct store *s, const json_t *in, const char **ret_role,
		     char org[CEP_ID_MAX], char user[CEP_ID_MAX], char team[CEP_ID_MAX],
		     struct cep_error *err)
{
	const char *role = NULL, *org_ref = NULL, *user_ref = NULL, *team_in = NULL;
	json_t *row = NULL;
	int rc = cep_json_text(in, "role", 16, 1, 0, &role, err), known = 0;

	for (const char *const *r = roles; rc == 0 && *r; r++)
		known |= !strcmp(*r, role);
	if (rc == 0 && !known)
		rc = cep_error_set(err, CEP_EINVAL, "role",
				   "role must be player, controller, evaluator or adviser");
	if (rc == 0)
		rc = cep_json_text(in, "org", 64, 0, 0, &org_ref, err);
	if (rc == 0)
		rc = cep_json_text(in, "user", 64, 0, 0, &user_ref, err);
	if (rc == 0)
		rc = cep_json_text(in, "team", 64, 0, 0, &team_in, err);
	if (rc == 0 && !org_ref == !user_ref)
		rc = cep_error_set(err, CEP_EINVAL, org_ref ? "user" : "org",
				   "give one of org (a player organisation) or user");
	if (rc == 0 && org_ref && strcmp(role, "player"))
		rc = cep_error_set(err, CEP_EINVAL, "org",
				   "organisations take part as players; controllers, evaluators and "
				   "advisers are users");
	org[0] = user[0] = team[0] = '\0';
	if (rc == 0 && org_ref) {
		rc = store_query_one(s,
				     "SELECT id, coalesce(sector_id, kind) AS team FROM orgs"
				     " WHERE id = ? OR code = ? LIMIT 1",
				     (struct store_arg[]){ STORE_TEXT(org_ref), STORE_TEXT(org_ref) }, 2,
				     &row);
		if (rc == CEP_ENOTFOUND)
			rc = cep_error_set(err, CEP_EINVAL, "org", "no such organisation: %s", org_ref);
		if (rc == 0) {
			snprintf(org, CEP_ID_MAX, "%s", json_string_value(json_object_get(row, "id")));
			snprintf(team, CEP_ID_MAX, "%s",
				 team_in ? team_in : json_string_value(json_object_get(row, "team")));
		}
	} else if (rc == 0) {
		rc = store_query_one(s, "SELECT id FROM users WHERE id = ? OR name = ? LIMIT 1",
				     (struct store_arg[]){ STORE_TEXT(user_ref), STORE_TEXT(user_ref) },
				     2, &row);
		if (rc == CEP_ENOTFOUND)
			rc = cep_error_set(err, CEP_EINVAL, "user", "no such user: %s", user_ref);
		if (rc == 0) {
			snprintf(user, CEP_ID_MAX, "%s", json_string_value(json_object_get(row, "id")));
			snprintf(team, CEP_ID_MAX, "%s", team_in ? team_in : "");
		}
	}
	json_decref(row);
	*ret_role = role;
	return rc;
}

int exercise_member_add(struct store *s, const struct cep_principal *p, const char *id,
			const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "role", "org", "user", "team", NULL };
	char org[CEP_ID_MAX], user[CEP_ID_MAX], team[CEP_ID_MAX];
	const char *role = NULL;
	int64_t n = 0;
	int rc = cep_json_only(in, allowed, err);

	if (rc == 0)
		rc = ex_begin(s, p, id, CEP_ACT_EXERCISE_CONTROL, 0, NULL, err);
	if (rc < 0)
		return rc;
	rc = member_of(s, in, &role, org, user, team, err);
	if (rc == 0)
		rc = store_query_int(s, "SELECT count(*) FROM exercise_members WHERE exercise_id = ?",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &n);
	if (rc == 0 && n >= EX_MEMBERS_MAX)
		rc = cep_error_set(err, CEP_ETOOBIG, NULL, "an exercise has at most %d members",
				   EX_MEMBERS_MAX);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO exercise_members (exercise_id, role, org_id, user_id, team)"
			       " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(role), STORE_TEXT(org),
						     STORE_TEXT(user), STORE_TEXT(team) },
			       5);
	rc = audit_commit(s, rc, p, "exercise.member.add", "exercise", id, in, "the member", err);
	return rc < 0 ? rc : exercise_members(s, p, id, ret, err);
}

int exercise_member_remove(struct store *s, const struct cep_principal *p, const char *id,
			   const json_t *in, struct cep_error *err)
{
	static const char *const allowed[] = { "role", "org", "user", NULL };
	char org[CEP_ID_MAX], user[CEP_ID_MAX], team[CEP_ID_MAX];
	const char *role = NULL;
	int rc = cep_json_only(in, allowed, err);

	if (rc == 0)
		rc = ex_begin(s, p, id, CEP_ACT_EXERCISE_CONTROL, 0, NULL, err);
	if (rc < 0)
		return rc;
	rc = member_of(s, in, &role, org, user, team, err);
	if (rc == 0)
		rc = store_run(s,
			       "DELETE FROM exercise_members WHERE exercise_id = ? AND role = ?"
			       " AND org_id = ? AND user_id = ?",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(role), STORE_TEXT(org),
						     STORE_TEXT(user) },
			       4);
	if (rc == 0 && store_changes(s) == 0)
		rc = cep_error_set(err, CEP_ENOTFOUND, NULL, "no such member");
	return audit_commit(s, rc, p, "exercise.member.remove", "exercise", id, in, "the member",
			    err);
}

int exercise_members(struct store *s, const struct cep_principal *p, const char *id,
		     json_t **ret, struct cep_error *err)
{
	json_t *rows = NULL;
	int rc = ex_require(s, p, id, CEP_ACT_EXERCISE_EVALUATE, NULL, err);

	if (rc < 0)
		return rc;
	rc = store_query_all(s,
			     "SELECT m.role, nullif(m.org_id, '') AS org, o.code AS org_code,"
			     " o.name_ja AS org_name_ja, o.name_en AS org_name_en,"
			     " nullif(m.user_id, '') AS user, u.name AS user_name, m.team"
			     " FROM exercise_members m LEFT JOIN orgs o ON o.id = m.org_id"
			     " LEFT JOIN users u ON u.id = m.user_id WHERE m.exercise_id = ?"
			     " ORDER BY m.role, m.team, o.code, u.name",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &rows);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the members");
	*ret = json_pack("{s:o, s:I}", "items", rows, "total", (json_int_t)json_array_size(rows));
	return *ret ? 0 : CEP_ENOMEM;
}

/* ---- the world ---- */

int exercise_enter(struct store *s, struct cep_principal *p, const char *id, int changes,
		   struct cep_error *err)
{
	json_t *row = NULL;
	const char *state;
	int rc = ex_require(s, p, id, CEP_ACT_EXERCISE_PLAY, &row, err);

	if (rc < 0)
		return rc;
	state = json_string_value(json_object_get(row, "state"));
	if (!strcmp(state, "planned") || (changes && !strcmp(state, "ended"))) {
		rc = cep_error_set(err, CEP_ESEMANTIC, NULL,
				   !strcmp(state, "planned") ?
					   "the exercise has not started" :
					   "the exercise has ended: its world is kept to read, not to change");
		json_decref(row);
		return rc;
	}
	snprintf(p->exercise_id, sizeof(p->exercise_id), "%s", id);
	p->exercise_at = ex_scenario_now(row, cep_now_ms());
	json_decref(row);
	return 0;
}
