/* council.c - the CEPTOAR Council space: cross-sector items and replies
 * among council-member secretariats, independent of government. */
#include "share/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"
#include "core/handling.h"

#include <stdio.h>
#include <string.h>

/* Council posts: "shared with government" counts as scope all, otherwise the
 * council; so the policy's bounds decide who beyond the council reads. */
static const struct share_table council_table = {
	.org = "cp.org_id",
	.ministry = NULL,
	.scope = "(CASE WHEN cp.shared_with_government <> 0 THEN 3 ELSE 2 END)",
	.tlp = "cp.tlp",
	.ceptoars = NULL,
	.recipient = NULL,
	.exercise = "cp.exercise_id",
};

static void labels(json_t *items)
{
	size_t i;
	json_t *it;

	json_array_foreach(items, i, it) {
		json_object_set_new(it, "tlp", json_string(cep_tlp_name((enum cep_tlp)json_integer_value(
						       json_object_get(it, "tlp")))));
		json_object_set_new(it, "shared_with_government",
				    json_boolean(json_integer_value(
					    json_object_get(it, "shared_with_government"))));
	}
}

#define POST_COLS                                                                             \
	"cp.id, cp.parent_id, cp.org_id AS org, o.name_ja AS org_name_ja,"                    \
	" o.name_en AS org_name_en, cp.created_by, cp.title, cp.body, cp.tlp,"                \
	" cp.shared_with_government, cp.created_at"

int share_council_post(struct store *s, const struct cep_principal *p, const char *parent_id,
		       const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "title", "body", "tlp", "shared_with_government",
					       NULL };
	const json_t *shared = json_object_get(in, "shared_with_government");
	const char *title = NULL, *body = NULL;
	char id[CEP_UUID_LEN + 1];
	json_t *parent = NULL, *detail;
	int tlp = CEP_TLP_AMBER, rc;

	if (policy_check(p, CEP_ACT_COUNCIL_POST, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "the council space is for secretariats of council members");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "title", SHARE_TITLE_MAX, parent_id == NULL, 0, &title, err);
	if (rc == 0 && parent_id && title)
		rc = cep_error_set(err, CEP_EINVAL, "title", "a reply has no title");
	if (rc == 0)
		rc = cep_json_text(in, "body", SHARE_TEXT_MAX, 1, 1, &body, err);
	if (rc == 0)
		rc = share_tlp(in, CEP_TLP_AMBER, &tlp, err);
	if (rc == 0 && tlp == CEP_TLP_RED)
		rc = cep_error_set(err, CEP_ESEMANTIC, "tlp",
				   "TLP:RED is for named recipients, not a council space");
	if (rc == 0 && shared && !json_is_boolean(shared))
		rc = cep_error_set(err, CEP_EINVAL, "shared_with_government",
				   "shared_with_government must be true or false");
	if (rc < 0)
		return rc;
	cep_uuid(id);
	rc = store_begin(s);
	if (rc == 0 && parent_id) {
		rc = store_query_one(s,
				     "SELECT id FROM council_posts WHERE id = ? AND parent_id IS NULL"
				     " AND exercise_id IS ?",
				     (struct store_arg[]){ STORE_TEXT(parent_id), share_world(p) }, 2,
				     &parent);
		if (rc == CEP_ENOTFOUND)
			rc = cep_error_set(err, rc, NULL, "no such council item");
		json_decref(parent);
	}
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO council_posts (id, parent_id, org_id, created_by, title, body,"
			       " tlp, shared_with_government, created_at, exercise_id)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(parent_id),
						     STORE_TEXT(p->org_id), STORE_TEXT(p->name),
						     STORE_TEXT(title ? title : ""), STORE_TEXT(body),
						     STORE_INT(tlp), STORE_INT(json_is_true(shared)),
						     STORE_INT(cep_now()), share_world(p) },
			       10);
	if (rc == 0) /* in an exercise: shared across the sectors */
		rc = share_world_log(s, p, "share", id, NULL);
	detail = json_pack("{s:s?, s:s}", "parent", parent_id, "tlp", cep_tlp_name((enum cep_tlp)tlp));
	rc = audit_commit(s, rc, p, "council.post", "council_post", id, detail, "the post", err);
	json_decref(detail);
	if (rc < 0)
		return rc;
	return share_council_item(s, p, parent_id ? parent_id : id, ret, err);
}

int share_council_items(struct store *s, const struct cep_principal *p,
			const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	struct share_where w;
	char from[8192];
	json_t *res = NULL;
	int rc = share_where_build(&w, p, CEP_ACT_COUNCIL_READ, &council_table);

	if (rc < 0)
		return cep_error_set(err, rc, NULL, "out of memory");
	snprintf(from, sizeof(from),
		 "FROM council_posts cp JOIN orgs o ON o.id = cp.org_id WHERE cp.parent_id IS NULL"
		 " AND %s",
		 w.sql.data);
	rc = store_query_page(s,
			      POST_COLS ", (SELECT count(*) FROM council_posts x WHERE x.parent_id = cp.id)"
					" AS replies",
			      from, "cp.created_at DESC, cp.id", w.args, w.nargs, page, &res);
	share_where_free(&w);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the council space");
	labels(json_object_get(res, "items"));
	*ret = res;
	return 0;
}

int share_council_item(struct store *s, const struct cep_principal *p, const char *id,
		       json_t **ret, struct cep_error *err)
{
	struct share_where w;
	struct store_arg args[SHARE_WHERE_ARGS];
	char sql[8192];
	json_t *item = NULL, *replies = NULL;
	int rc = share_where_build(&w, p, CEP_ACT_COUNCIL_READ, &council_table);

	if (rc < 0)
		return cep_error_set(err, rc, NULL, "out of memory");
	if (!id || strlen(id) > 64 || w.nargs + 1 > SHARE_WHERE_ARGS) {
		share_where_free(&w);
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such council item");
	}
	args[0] = STORE_TEXT(id);
	for (int i = 0; i < w.nargs; i++)
		args[i + 1] = w.args[i];
	/* replies travel with their item: who may read the item reads them */
	snprintf(sql, sizeof(sql),
		 "SELECT " POST_COLS " FROM council_posts cp JOIN orgs o ON o.id = cp.org_id"
		 " WHERE cp.id = ? AND cp.parent_id IS NULL AND %s",
		 w.sql.data);
	rc = store_query_one(s, sql, args, w.nargs + 1, &item);
	share_where_free(&w);
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT " POST_COLS " FROM council_posts cp JOIN orgs o"
				     " ON o.id = cp.org_id WHERE cp.parent_id = ? ORDER BY cp.created_at, cp.id",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &replies);
	if (rc < 0) {
		json_decref(item);
		return cep_error_set(err, rc,
				     NULL, rc == CEP_ENOTFOUND ? "no such council item" :
								 "cannot read the council space");
	}
	{
		json_t *one = json_pack("[O]", item);

		labels(one);
		json_decref(one);
	}
	labels(replies);
	json_object_set_new(item, "replies", replies);
	*ret = item;
	return 0;
}
