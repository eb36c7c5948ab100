/* lists.c - reading the reference registry: sectors, ministries, CEPTOARs,
 * agencies, channels. Readable by every authenticated principal. */
#include "registry/internal.h"

#include "audit/audit.h"
#include "base/json.h"
#include "base/text.h"

#include <string.h>

static int may_read(const struct cep_principal *p, struct cep_error *err)
{
	if (!(policy_scope(p, CEP_ACT_REGISTRY_READ) & CEP_SCOPE_ALL))
		return cep_error_set(err, CEP_EPERM, NULL, "reading the registry is not allowed");
	return 0;
}

static int read_failed(int rc, const char *what, struct cep_error *err)
{
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such %s", what);
	return cep_error_set(err, rc, NULL, "cannot read %s", what);
}

/* Post-process every item of a page or a single object with fn. */
static int each_item(json_t *res, int (*fn)(json_t *items))
{
	json_t *items = json_object_get(res, "items");
	json_t *one;
	int rc;

	if (items)
		return fn(items);
	one = json_array();
	if (!one || json_array_append(one, res) < 0) {
		json_decref(one);
		return CEP_ENOMEM;
	}
	rc = fn(one);
	json_decref(one);
	return rc;
}

static int split_ceptoars(json_t *items)
{
	return reg_split_member(items, "ceptoars");
}

static int split_sectors(json_t *items)
{
	return reg_split_member(items, "sectors");
}

static int split_channels(json_t *items)
{
	size_t i;
	json_t *it;

	json_array_foreach(items, i, it) {
		json_t *cm = json_object_get(it, "council_member");

		if (cm && json_is_integer(cm))
			json_object_set_new(it, "council_member", json_boolean(json_integer_value(cm)));
	}
	return reg_split_member(items, "channels");
}

static int split_categories(json_t *items)
{
	return reg_split_member(items, "categories");
}

/* Run a page or single-object query and post-process it. */
static int finish(struct store *s, int rc, json_t *res, int (*fn)(json_t *), const char *what,
		  json_t **ret, struct cep_error *err)
{
	(void)s;
	if (rc == 0 && fn)
		rc = each_item(res, fn);
	if (rc < 0) {
		json_decref(res);
		return read_failed(rc, what, err);
	}
	*ret = res;
	return 0;
}

#define SECTOR_COLS                                                                     \
	"s.id, s.name_ja, s.name_en, s.ministry_id AS ministry, s.position,"            \
	" (SELECT group_concat(c.id, ',') FROM (SELECT id FROM ceptoars"              \
	"   WHERE sector_id = s.id ORDER BY position) c) AS ceptoars"

int reg_sectors(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		json_t **ret, struct cep_error *err)
{
	json_t *res = NULL;
	int rc = may_read(p, err);

	if (rc < 0)
		return rc;
	rc = store_query_page(s, SECTOR_COLS, "FROM sectors s", "s.position, s.id", NULL, 0, page,
			      &res);
	return finish(s, rc, res, split_ceptoars, "sectors", ret, err);
}

int reg_sector_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		   struct cep_error *err)
{
	json_t *res = NULL;
	int rc = may_read(p, err);

	if (rc < 0)
		return rc;
	rc = store_query_one(s, "SELECT " SECTOR_COLS " FROM sectors s WHERE s.id = ?",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &res);
	return finish(s, rc, res, split_ceptoars, "sector", ret, err);
}

int reg_sector_add(struct store *s, const struct cep_principal *p, const json_t *in, json_t **ret,
		   struct cep_error *err)
{
	static const char *const allowed[] = { "id", "name_ja", "name_en", "ministry", NULL };
	const char *id = NULL, *name_ja = NULL, *name_en = NULL, *ministry = NULL;
	int rc;

	if (policy_check(p, CEP_ACT_REGISTRY_WRITE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "adding sectors is not allowed");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "id", 32, 1, 0, &id, err);
	if (rc == 0 && !cep_slug_valid(id, 32))
		rc = cep_error_set(err, CEP_EINVAL, "id",
				   "id must be lower-case letters, digits, '-' or '_'");
	if (rc == 0)
		rc = cep_json_text(in, "name_ja", REG_NAME_MAX, 1, 0, &name_ja, err);
	if (rc == 0)
		rc = cep_json_text(in, "name_en", REG_NAME_MAX, 1, 0, &name_en, err);
	if (rc == 0)
		rc = cep_json_text(in, "ministry", 32, 1, 0, &ministry, err);
	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc == 0)
		rc = reg_ref_exists(s, "ministries", ministry, "ministry", err);
	if (rc == 0) {
		rc = store_run(s,
			       "INSERT INTO sectors (id, name_ja, name_en, ministry_id, position)"
			       " VALUES (?,?,?,?, (SELECT coalesce(max(position), 0) + 1 FROM sectors))",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(name_ja),
						     STORE_TEXT(name_en), STORE_TEXT(ministry) },
			       4);
		if (rc < 0)
			rc = reg_store_error(rc, "a sector with this id", err);
	}
	rc = audit_commit(s, rc, p, "sector.create", "sector", id, in, "the sector", err);
	if (rc < 0)
		return rc;
	return reg_sector_get(s, p, id, ret, err);
}

#define MINISTRY_COLS                                                                   \
	"m.id, m.name_ja, m.name_en, m.abbrev_en, m.position,"                          \
	" (SELECT group_concat(x.id, ',') FROM (SELECT id FROM sectors"               \
	"   WHERE ministry_id = m.id ORDER BY position) x) AS sectors"

int reg_ministries(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		   json_t **ret, struct cep_error *err)
{
	json_t *res = NULL;
	int rc = may_read(p, err);

	if (rc < 0)
		return rc;
	rc = store_query_page(s, MINISTRY_COLS, "FROM ministries m", "m.position, m.id", NULL, 0,
			      page, &res);
	return finish(s, rc, res, split_sectors, "ministries", ret, err);
}

int reg_ministry_get(struct store *s, const struct cep_principal *p, const char *id,
		     json_t **ret, struct cep_error *err)
{
	json_t *res = NULL;
	int rc = may_read(p, err);

	if (rc < 0)
		return rc;
	rc = store_query_one(s, "SELECT " MINISTRY_COLS " FROM ministries m WHERE m.id = ?",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &res);
	return finish(s, rc, res, split_sectors, "ministry", ret, err);
}

#define CEPTOAR_COLS                                                                     \
	"c.id, c.name_ja, c.name_en, c.sector_id AS sector, c.scope_ja, c.scope_en,"     \
	" c.group_ja, c.secretariat_ja, c.secretariat_en, c.members_ja, c.members_en,"   \
	" c.member_count_text, c.emergency_contact_start, c.handling_rules_date,"         \
	" c.information_ja, c.information_en, c.council_member, c.council_unit,"          \
	" c.position,"                                                                   \
	" (SELECT group_concat(x.channel_id, ',') FROM (SELECT channel_id FROM"         \
	"   ceptoar_channels WHERE ceptoar_id = c.id ORDER BY position) x) AS channels," \
	" (SELECT count(*) FROM org_ceptoars oc WHERE oc.ceptoar_id = c.id) AS member_orgs"

int reg_ceptoars(struct store *s, const struct cep_principal *p, const char *sector,
		 const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	json_t *res = NULL;
	int rc = may_read(p, err);

	if (rc < 0)
		return rc;
	rc = store_query_page(s, CEPTOAR_COLS, "FROM ceptoars c WHERE (? IS NULL OR c.sector_id = ?)",
			      "c.position, c.id",
			      (struct store_arg[]){ STORE_TEXT(sector), STORE_TEXT(sector) }, 2, page,
			      &res);
	return finish(s, rc, res, split_channels, "CEPTOARs", ret, err);
}

int reg_ceptoar_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		    struct cep_error *err)
{
	json_t *res = NULL;
	int rc = may_read(p, err);

	if (rc < 0)
		return rc;
	rc = store_query_one(s, "SELECT " CEPTOAR_COLS " FROM ceptoars c WHERE c.id = ?",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &res);
	return finish(s, rc, res, split_channels, "CEPTOAR", ret, err);
}

int reg_agencies(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		 json_t **ret, struct cep_error *err)
{
	json_t *res = NULL;
	int rc = may_read(p, err);

	if (rc < 0)
		return rc;
	rc = store_query_page(s, "id, name_ja, name_en, abbrev_en, categories, position",
			      "FROM agencies", "position, id", NULL, 0, page, &res);
	return finish(s, rc, res, split_categories, "agencies", ret, err);
}

int reg_channels(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		 json_t **ret, struct cep_error *err)
{
	json_t *res = NULL;
	int rc = may_read(p, err);

	if (rc < 0)
		return rc;
	rc = store_query_page(s, "id, name_ja, name_en, position", "FROM channels", "position, id",
			      NULL, 0, page, &res);
	return finish(s, rc, res, NULL, "channels", ret, err);
}
