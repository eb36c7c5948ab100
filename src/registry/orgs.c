/* orgs.c - organisations with their CEPTOAR memberships, critical services
 * (重要インフラサービス) and critical systems (重要システム). */
#include "registry/internal.h"

#include "audit/audit.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/text.h"

#include <string.h>

static const char *const org_kinds[] = { "nisc", "ministry", "ceptoar", "operator", "agency",
					 "other", NULL };

#define ORG_COLS                                                                          \
	"o.id, o.code, o.kind, o.name_ja, o.name_en, o.sector_id AS sector,"              \
	" o.ministry_id AS ministry, o.ceptoar_id AS ceptoar, o.agency_id AS agency,"     \
	" o.region, o.created_at, o.updated_at,"                                          \
	" (SELECT group_concat(x.ceptoar_id, ',') FROM (SELECT ceptoar_id FROM"          \
	"   org_ceptoars WHERE org_id = o.id ORDER BY ceptoar_id) x) AS ceptoars"

static int may_read(const struct cep_principal *p, struct cep_error *err)
{
	if (!(policy_scope(p, CEP_ACT_REGISTRY_READ) & CEP_SCOPE_ALL))
		return cep_error_set(err, CEP_EPERM, NULL, "reading the registry is not allowed");
	return 0;
}

static int may_write(const struct cep_principal *p, struct cep_error *err)
{
	if (policy_check(p, CEP_ACT_REGISTRY_WRITE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "changing the registry is not allowed");
	return 0;
}

int reg_orgs(struct store *s, const struct cep_principal *p, const struct reg_org_filter *f,
	     const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	struct reg_org_filter none = { 0 };
	json_t *res = NULL;
	int rc = may_read(p, err);

	if (rc < 0)
		return rc;
	if (!f)
		f = &none;
	if (f->q && strlen(f->q) > 200)
		return cep_error_set(err, CEP_ETOOBIG, "q", "q is longer than 200 bytes");
	rc = store_query_page(
		s, ORG_COLS,
		"FROM orgs o WHERE (? IS NULL OR o.kind = ?) AND (? IS NULL OR o.sector_id = ?)"
		" AND (? IS NULL OR EXISTS (SELECT 1 FROM org_ceptoars oc WHERE oc.org_id = o.id"
		"  AND oc.ceptoar_id = ?))"
		" AND (? IS NULL OR instr(o.name_ja, ?) > 0 OR instr(lower(o.name_en), lower(?)) > 0"
		"  OR instr(coalesce(o.code, ''), ?) > 0)",
		"o.kind, o.name_ja, o.id",
		(struct store_arg[]){ STORE_TEXT(f->kind), STORE_TEXT(f->kind), STORE_TEXT(f->sector),
				      STORE_TEXT(f->sector), STORE_TEXT(f->ceptoar),
				      STORE_TEXT(f->ceptoar), STORE_TEXT(f->q), STORE_TEXT(f->q),
				      STORE_TEXT(f->q), STORE_TEXT(f->q) },
		10, page, &res);
	if (rc == 0)
		rc = reg_split_member(json_object_get(res, "items"), "ceptoars");
	if (rc < 0) {
		json_decref(res);
		return cep_error_set(err, rc, NULL, "cannot read organisations");
	}
	*ret = res;
	return 0;
}

int reg_org_get(struct store *s, const struct cep_principal *p, const char *id_or_code,
		json_t **ret, struct cep_error *err)
{
	struct reg_org_ref ref;
	struct cep_object obj;
	json_t *org = NULL, *one = NULL, *services = NULL, *systems = NULL;
	int rc = may_read(p, err);

	if (rc == 0)
		rc = reg_org_resolve(s, id_or_code, NULL, &ref, err);
	if (rc < 0)
		return rc;
	rc = store_query_one(s, "SELECT " ORG_COLS " FROM orgs o WHERE o.id = ?",
			     (struct store_arg[]){ STORE_TEXT(ref.id) }, 1, &org);
	if (rc < 0)
		goto out;
	one = json_pack("[O]", org);
	rc = one ? reg_split_member(one, "ceptoars") : CEP_ENOMEM;
	if (rc < 0)
		goto out;
	rc = store_query_all(s,
			     "SELECT id, name_ja, name_en, service_level, verification_level,"
			     " created_at FROM services WHERE org_id = ? ORDER BY created_at, id",
			     (struct store_arg[]){ STORE_TEXT(ref.id) }, 1, &services);
	if (rc < 0)
		goto out;
	json_object_set_new(org, "services", services);
	reg_org_object(&ref, &obj);
	if (policy_check(p, CEP_ACT_SYSTEMS_READ, &obj) == 0) {
		rc = store_query_all(s,
				     "SELECT id, service_id, name_ja, name_en, description, created_at"
				     " FROM systems WHERE org_id = ? ORDER BY created_at, id",
				     (struct store_arg[]){ STORE_TEXT(ref.id) }, 1, &systems);
		if (rc < 0)
			goto out;
		json_object_set_new(org, "systems", systems);
	}
	*ret = org;
	org = NULL;
out:
	json_decref(one);
	json_decref(org);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the organisation");
	return 0;
}

/* Validated fields of an org create/update. Strings are borrowed from the input. */
struct org_in {
	const char *kind, *code, *name_ja, *name_en, *sector, *ministry, *ceptoar, *agency,
		*region;
	const json_t *ceptoars; /* array of ids, or NULL */
};

static int org_fields(const json_t *in, int create, struct org_in *o, struct cep_error *err)
{
	static const char *const allowed_create[] = { "kind", "code", "name_ja", "name_en",
						      "sector", "ministry", "ceptoar", "agency",
						      "region", "ceptoars", NULL };
	static const char *const allowed_update[] = { "code", "name_ja", "name_en", "sector",
						      "region", "ceptoars", NULL };
	int rc = cep_json_only(in, create ? allowed_create : allowed_update, err);

	memset(o, 0, sizeof(*o));
	if (rc == 0 && create) {
		rc = cep_json_text(in, "kind", 16, 1, 0, &o->kind, err);
		if (rc == 0) {
			int ok = 0;

			for (const char *const *k = org_kinds; *k; k++)
				ok |= !strcmp(*k, o->kind);
			if (!ok)
				rc = cep_error_set(err, CEP_EINVAL, "kind",
						   "kind must be one of nisc, ministry, ceptoar, "
						   "operator, agency, other");
		}
	}
	if (rc == 0)
		rc = cep_json_text(in, "code", 64, 0, 0, &o->code, err);
	if (rc == 0 && o->code && !*o->code)
		rc = cep_error_set(err, CEP_EINVAL, "code", "code must not be empty");
	if (rc == 0 && o->code && !cep_slug_valid(o->code, 64)) {
		/* codes may also carry upper case, as spreadsheets do */
		for (const char *c = o->code; *c && rc == 0; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			      (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.'))
				rc = cep_error_set(err, CEP_EINVAL, "code",
						   "code may hold only letters, digits, '-', '_', '.'");
	}
	if (rc == 0)
		rc = cep_json_text(in, "name_ja", REG_NAME_MAX, create || json_object_get(in, "name_ja"),
			      0, &o->name_ja, err);
	if (rc == 0)
		rc = cep_json_text(in, "name_en", REG_NAME_MAX, 0, 0, &o->name_en, err);
	if (rc == 0)
		rc = cep_json_text(in, "sector", 32, 0, 0, &o->sector, err);
	if (rc == 0)
		rc = cep_json_text(in, "ministry", 32, 0, 0, &o->ministry, err);
	if (rc == 0)
		rc = cep_json_text(in, "ceptoar", 32, 0, 0, &o->ceptoar, err);
	if (rc == 0)
		rc = cep_json_text(in, "agency", 32, 0, 0, &o->agency, err);
	if (rc == 0)
		rc = cep_json_text(in, "region", REG_NAME_MAX, 0, 0, &o->region, err);
	if (rc == 0 && (o->ceptoars = json_object_get(in, "ceptoars")) != NULL) {
		size_t i;
		json_t *c;

		if (!json_is_array(o->ceptoars) || json_array_size(o->ceptoars) > 32)
			rc = cep_error_set(err, CEP_EINVAL, "ceptoars",
					   "ceptoars must be an array of at most 32 CEPTOAR ids");
		json_array_foreach(o->ceptoars, i, c)
			if (rc == 0 && (!json_is_string(c) || json_string_length(c) > 64))
				rc = cep_error_set(err, CEP_EINVAL, "ceptoars",
						   "ceptoars must hold CEPTOAR ids");
	}
	if (rc == 0 && create && !strcmp(o->kind, "operator") && !o->sector)
		rc = cep_error_set(err, CEP_EINVAL, "sector", "an operator needs its sector");
	if (rc == 0 && create && !strcmp(o->kind, "ministry") && !o->ministry)
		rc = cep_error_set(err, CEP_EINVAL, "ministry", "a ministry org needs its ministry");
	if (rc == 0 && create && !strcmp(o->kind, "ceptoar") && !o->ceptoar)
		rc = cep_error_set(err, CEP_EINVAL, "ceptoar",
				   "a CEPTOAR secretariat needs its CEPTOAR");
	return rc;
}

/* Check references exist, inside the transaction. */
static int org_refs(struct store *s, const struct org_in *o, struct cep_error *err)
{
	size_t i;
	json_t *c;
	int rc = reg_ref_exists(s, "sectors", o->sector, "sector", err);

	if (rc == 0)
		rc = reg_ref_exists(s, "ministries", o->ministry, "ministry", err);
	if (rc == 0)
		rc = reg_ref_exists(s, "ceptoars", o->ceptoar, "ceptoar", err);
	if (rc == 0)
		rc = reg_ref_exists(s, "agencies", o->agency, "agency", err);
	json_array_foreach(o->ceptoars, i, c)
		if (rc == 0)
			rc = reg_ref_exists(s, "ceptoars", json_string_value(c), "ceptoars", err);
	return rc;
}

static int set_ceptoars(struct store *s, const char *org_id, const json_t *ceptoars)
{
	size_t i;
	json_t *c;
	int rc = store_run(s, "DELETE FROM org_ceptoars WHERE org_id = ?",
			   (struct store_arg[]){ STORE_TEXT(org_id) }, 1);

	json_array_foreach(ceptoars, i, c)
		if (rc == 0)
			rc = store_run(s,
				       "INSERT INTO org_ceptoars (org_id, ceptoar_id) VALUES (?,?)"
				       " ON CONFLICT DO NOTHING",
				       (struct store_arg[]){ STORE_TEXT(org_id),
							     STORE_TEXT(json_string_value(c)) },
				       2);
	return rc;
}

int reg_org_create(struct store *s, const struct cep_principal *p, const json_t *in, json_t **ret,
		   struct cep_error *err)
{
	char id[CEP_UUID_LEN + 1];
	struct org_in o;
	int rc = may_write(p, err);

	if (rc == 0)
		rc = org_fields(in, 1, &o, err);
	if (rc < 0)
		return rc;
	cep_uuid(id);
	rc = store_begin(s);
	if (rc == 0)
		rc = org_refs(s, &o, err);
	if (rc == 0) {
		rc = store_run(s,
			       "INSERT INTO orgs (id, code, kind, name_ja, name_en, sector_id,"
			       " ministry_id, ceptoar_id, agency_id, region, created_at, updated_at)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(o.code),
						     STORE_TEXT(o.kind), STORE_TEXT(o.name_ja),
						     STORE_TEXT(o.name_en ? o.name_en : ""),
						     STORE_TEXT(o.sector), STORE_TEXT(o.ministry),
						     STORE_TEXT(o.ceptoar), STORE_TEXT(o.agency),
						     STORE_TEXT(o.region ? o.region : ""),
						     STORE_INT(cep_now()), STORE_INT(cep_now()) },
			       12);
		if (rc == CEP_EEXIST)
			rc = cep_error_set(err, rc, "code", "an organisation with code %s exists",
					   o.code ? o.code : "");
	}
	if (rc == 0)
		rc = set_ceptoars(s, id, o.ceptoars);
	rc = audit_commit(s, rc, p, "org.create", "org", id, in, "the organisation", err);
	if (rc < 0)
		return rc;
	return reg_org_get(s, p, id, ret, err);
}

int reg_org_update(struct store *s, const struct cep_principal *p, const char *id_or_code,
		   const json_t *in, json_t **ret, struct cep_error *err)
{
	struct reg_org_ref ref;
	struct org_in o;
	int rc = may_write(p, err);

	if (rc == 0)
		rc = org_fields(in, 0, &o, err);
	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc == 0)
		rc = reg_org_resolve(s, id_or_code, NULL, &ref, err);
	if (rc == 0)
		rc = org_refs(s, &o, err);
	if (rc == 0 && !strcmp(ref.kind, "operator") && json_object_get(in, "sector") && !o.sector)
		rc = cep_error_set(err, CEP_EINVAL, "sector", "an operator needs its sector");
	if (rc == 0) {
		rc = store_run(s,
			       "UPDATE orgs SET code = CASE WHEN ? THEN ? ELSE code END,"
			       " name_ja = coalesce(?, name_ja), name_en = coalesce(?, name_en),"
			       " sector_id = coalesce(?, sector_id), region = coalesce(?, region),"
			       " updated_at = ? WHERE id = ?",
			       (struct store_arg[]){ STORE_INT(json_object_get(in, "code") != NULL),
						     STORE_TEXT(o.code), STORE_TEXT(o.name_ja),
						     STORE_TEXT(o.name_en), STORE_TEXT(o.sector),
						     STORE_TEXT(o.region), STORE_INT(cep_now()),
						     STORE_TEXT(ref.id) },
			       8);
		if (rc == CEP_EEXIST)
			rc = cep_error_set(err, rc, "code", "an organisation with code %s exists",
					   o.code ? o.code : "");
	}
	if (rc == 0 && o.ceptoars)
		rc = set_ceptoars(s, ref.id, o.ceptoars);
	rc = audit_commit(s, rc, p, "org.update", "org", ref.id, in, "the organisation", err);
	if (rc < 0)
		return rc;
	return reg_org_get(s, p, ref.id, ret, err);
}

int reg_org_delete(struct store *s, const struct cep_principal *p, const char *id_or_code,
		   struct cep_error *err)
{
	struct reg_org_ref ref;
	int64_t users = 0;
	int rc = may_write(p, err);

	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc == 0)
		rc = reg_org_resolve(s, id_or_code, NULL, &ref, err);
	if (rc == 0)
		rc = store_query_int(s, "SELECT count(*) FROM users WHERE org_id = ?",
				     (struct store_arg[]){ STORE_TEXT(ref.id) }, 1, &users);
	if (rc == 0 && users > 0)
		rc = cep_error_set(err, CEP_EEXIST, NULL,
				   "the organisation still has %lld user(s); move or remove them first",
				   (long long)users);
	if (rc == 0)
		rc = store_run(s, "DELETE FROM orgs WHERE id = ?",
			       (struct store_arg[]){ STORE_TEXT(ref.id) }, 1);
	return audit_commit(s, rc, p, "org.delete", "org", ref.id, NULL, "the organisation", err);
}

int reg_service_add(struct store *s, const struct cep_principal *p, const char *org,
		    const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "name_ja", "name_en", "service_level",
					       "verification_level", NULL };
	const char *name_ja = NULL, *name_en = NULL, *sl = NULL, *vl = NULL;
	char id[CEP_UUID_LEN + 1];
	struct reg_org_ref ref;
	int rc = may_write(p, err);

	if (rc == 0)
		rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "name_ja", REG_NAME_MAX, 1, 0, &name_ja, err);
	if (rc == 0)
		rc = cep_json_text(in, "name_en", REG_NAME_MAX, 0, 0, &name_en, err);
	if (rc == 0)
		rc = cep_json_text(in, "service_level", REG_TEXT_MAX, 0, 1, &sl, err);
	if (rc == 0)
		rc = cep_json_text(in, "verification_level", REG_TEXT_MAX, 0, 1, &vl, err);
	if (rc < 0)
		return rc;
	cep_uuid(id);
	rc = store_begin(s);
	if (rc == 0)
		rc = reg_org_resolve(s, org, NULL, &ref, err);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO services (id, org_id, name_ja, name_en, service_level,"
			       " verification_level, created_at) VALUES (?,?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(ref.id),
						     STORE_TEXT(name_ja),
						     STORE_TEXT(name_en ? name_en : ""),
						     STORE_TEXT(sl ? sl : ""), STORE_TEXT(vl ? vl : ""),
						     STORE_INT(cep_now()) },
			       7);
	rc = audit_commit(s, rc, p, "service.create", "service", id, in, "the service", err);
	if (rc < 0)
		return rc;
	rc = store_query_one(s,
			     "SELECT id, org_id AS org, name_ja, name_en, service_level,"
			     " verification_level, created_at FROM services WHERE id = ?",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, ret);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the service") : 0;
}

/* Delete a child row (service or system) of an org. */
static int child_delete(struct store *s, const struct cep_principal *p, const char *org,
			const char *table, const char *otype, const char *child_id,
			struct cep_error *err)
{
	struct reg_org_ref ref;
	char sql[96];
	int rc = may_write(p, err);

	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc == 0)
		rc = reg_org_resolve(s, org, NULL, &ref, err);
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = ? AND org_id = ?", table);
	if (rc == 0)
		rc = store_run(s, sql,
			       (struct store_arg[]){ STORE_TEXT(child_id), STORE_TEXT(ref.id) }, 2);
	if (rc == 0 && store_changes(s) == 0)
		rc = cep_error_set(err, CEP_ENOTFOUND, NULL, "no such %s in this organisation", otype);
	{
		char action[32];

		snprintf(action, sizeof(action), "%s.delete", otype);
		return audit_commit(s, rc, p, action, otype, child_id, NULL, otype, err);
	}
}

int reg_service_delete(struct store *s, const struct cep_principal *p, const char *org,
		       const char *service_id, struct cep_error *err)
{
	return child_delete(s, p, org, "services", "service", service_id, err);
}

int reg_systems(struct store *s, const struct cep_principal *p, const char *org,
		const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	struct reg_org_ref ref;
	struct cep_object obj;
	int rc = reg_org_resolve(s, org, NULL, &ref, err);

	if (rc < 0)
		return rc;
	reg_org_object(&ref, &obj);
	if (policy_check(p, CEP_ACT_SYSTEMS_READ, &obj) < 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "critical systems are readable only by the operator, its "
				     "ministry and NISC");
	rc = store_query_page(s, "id, service_id, name_ja, name_en, description, created_at",
			      "FROM systems WHERE org_id = ?", "created_at, id",
			      (struct store_arg[]){ STORE_TEXT(ref.id) }, 1, page, ret);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read critical systems") : 0;
}

int reg_system_add(struct store *s, const struct cep_principal *p, const char *org,
		   const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "name_ja", "name_en", "service_id", "description",
					       NULL };
	const char *name_ja = NULL, *name_en = NULL, *service_id = NULL, *desc = NULL;
	char id[CEP_UUID_LEN + 1];
	struct reg_org_ref ref;
	int64_t n = 0;
	int rc = may_write(p, err);

	if (rc == 0)
		rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "name_ja", REG_NAME_MAX, 1, 0, &name_ja, err);
	if (rc == 0)
		rc = cep_json_text(in, "name_en", REG_NAME_MAX, 0, 0, &name_en, err);
	if (rc == 0)
		rc = cep_json_text(in, "service_id", 64, 0, 0, &service_id, err);
	if (rc == 0)
		rc = cep_json_text(in, "description", REG_TEXT_MAX, 0, 1, &desc, err);
	if (rc < 0)
		return rc;
	cep_uuid(id);
	rc = store_begin(s);
	if (rc == 0)
		rc = reg_org_resolve(s, org, NULL, &ref, err);
	if (rc == 0 && service_id) {
		rc = store_query_int(s, "SELECT count(*) FROM services WHERE id = ? AND org_id = ?",
				     (struct store_arg[]){ STORE_TEXT(service_id), STORE_TEXT(ref.id) },
				     2, &n);
		if (rc == 0 && n == 0)
			rc = cep_error_set(err, CEP_ESEMANTIC, "service_id",
					   "the organisation has no service %s", service_id);
	}
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO systems (id, org_id, service_id, name_ja, name_en,"
			       " description, created_at) VALUES (?,?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(ref.id),
						     STORE_TEXT(service_id), STORE_TEXT(name_ja),
						     STORE_TEXT(name_en ? name_en : ""),
						     STORE_TEXT(desc ? desc : ""), STORE_INT(cep_now()) },
			       7);
	rc = audit_commit(s, rc, p, "system.create", "system", id, NULL, "the system", err);
	if (rc < 0)
		return rc;
	rc = store_query_one(s,
			     "SELECT id, org_id AS org, service_id, name_ja, name_en, description,"
			     " created_at FROM systems WHERE id = ?",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, ret);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the system") : 0;
}

int reg_system_delete(struct store *s, const struct cep_principal *p, const char *org,
		      const char *system_id, struct cep_error *err)
{
	return child_delete(s, p, org, "systems", "system", system_id, err);
}
