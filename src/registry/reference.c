/* reference.c - load the compiled-in reference data (seeds 001, 002, 004)
 * and the organisations it implies. Inserts only what is missing. */
#include "registry/internal.h"

#include "audit/audit.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/log.h"
#include "registry/refdata.h"

#include <string.h>

/* The items of a reference file, parsed (caller owns). */
static int ref_items(const char *name, json_t **ret, struct cep_error *err)
{
	json_error_t je;

	for (const struct cep_refdata_file *f = cep_refdata_files; f->name; f++) {
		json_t *root, *items;

		if (strcmp(f->name, name) != 0)
			continue;
		root = json_loadb(f->data, f->size, JSON_REJECT_DUPLICATES, &je);
		if (!root)
			return cep_error_set(err, CEP_EPARSE, name, "reference file %s: line %d: %s",
					     name, je.line, je.text);
		items = json_object_get(root, "items");
		if (!json_is_array(items)) {
			json_decref(root);
			return cep_error_set(err, CEP_EPARSE, name, "reference file %s has no items",
					     name);
		}
		*ret = json_incref(items);
		json_decref(root);
		return 0;
	}
	return cep_error_set(err, CEP_ENOTFOUND, name, "reference file %s is not compiled in", name);
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Insert one row if missing; adds the number of inserted rows to *count. */
static int insert(struct store *s, const char *sql, const struct store_arg *args, int n, int *count)
{
	int rc = store_run(s, sql, args, n);

	if (rc == 0)
		*count += (int)store_changes(s);
	return rc;
}

static int load_ministries(struct store *s, int *count, struct cep_error *err)
{
	json_t *items = NULL, *it;
	size_t i;
	int rc = ref_items("ministries.json", &items, err);

	json_array_foreach(items, i, it) {
		if (rc < 0)
			break;
		rc = insert(s,
			    "INSERT INTO ministries (id, name_ja, name_en, abbrev_en, position)"
			    " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
			    (struct store_arg[]){ STORE_TEXT(str(it, "id")), STORE_TEXT(str(it, "name_ja")),
						  STORE_TEXT(str(it, "name_en")),
						  STORE_TEXT(str(it, "abbrev_en") ? str(it, "abbrev_en") : ""),
						  STORE_INT((int64_t)i + 1) },
			    5, count);
		if (rc == 0) /* the ministry's own organisation */
			rc = insert(s,
				    "INSERT INTO orgs (id, code, kind, name_ja, name_en, ministry_id,"
				    " created_at, updated_at) VALUES (?,?,'ministry',?,?,?,?,?)"
				    " ON CONFLICT DO NOTHING",
				    (struct store_arg[]){ STORE_TEXT(str(it, "id")), STORE_TEXT(str(it, "id")),
							  STORE_TEXT(str(it, "name_ja")),
							  STORE_TEXT(str(it, "name_en")),
							  STORE_TEXT(str(it, "id")), STORE_INT(cep_now()),
							  STORE_INT(cep_now()) },
				    7, count);
	}
	json_decref(items);
	return rc;
}

static int load_sectors(struct store *s, int *count, struct cep_error *err)
{
	json_t *items = NULL, *it;
	size_t i;
	int rc = ref_items("sectors.json", &items, err);

	json_array_foreach(items, i, it) {
		if (rc < 0)
			break;
		rc = insert(s,
			    "INSERT INTO sectors (id, name_ja, name_en, ministry_id, position)"
			    " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
			    (struct store_arg[]){ STORE_TEXT(str(it, "id")), STORE_TEXT(str(it, "name_ja")),
						  STORE_TEXT(str(it, "name_en")),
						  STORE_TEXT(str(it, "ministry")),
						  STORE_INT((int64_t)i + 1) },
			    5, count);
	}
	json_decref(items);
	return rc;
}

static int load_channels(struct store *s, int *count, struct cep_error *err)
{
	json_t *items = NULL, *it;
	size_t i;
	int rc = ref_items("channels.json", &items, err);

	json_array_foreach(items, i, it) {
		if (rc < 0)
			break;
		rc = insert(s,
			    "INSERT INTO channels (id, name_ja, name_en, position) VALUES (?,?,?,?)"
			    " ON CONFLICT DO NOTHING",
			    (struct store_arg[]){ STORE_TEXT(str(it, "id")), STORE_TEXT(str(it, "name_ja")),
						  STORE_TEXT(str(it, "name_en")),
						  STORE_INT((int64_t)i + 1) },
			    4, count);
	}
	json_decref(items);
	return rc;
}

static int load_ceptoars(struct store *s, int *count, struct cep_error *err)
{
	static const char *const text_cols[] = {
		"name_ja", "name_en", "sector", "scope_ja", "scope_en", "group_ja",
		"secretariat_ja", "secretariat_en", "members_ja", "members_en",
		"member_count_text", "emergency_contact_start", "handling_rules_date",
		"information_ja", "information_en", "council_unit",
	};
	json_t *items = NULL, *it;
	size_t i;
	int rc = ref_items("ceptoars.json", &items, err);

	json_array_foreach(items, i, it) {
		struct store_arg a[20];
		json_t *ch;
		size_t k;
		int n = 0;

		if (rc < 0)
			break;
		a[n++] = STORE_TEXT(str(it, "id"));
		for (k = 0; k < sizeof(text_cols) / sizeof(text_cols[0]); k++) {
			const char *v = str(it, text_cols[k]);
			/* NOT NULL text columns get "" for a missing value */
			int nullable = !strcmp(text_cols[k], "group_ja") ||
				       !strcmp(text_cols[k], "emergency_contact_start") ||
				       !strcmp(text_cols[k], "handling_rules_date") ||
				       !strcmp(text_cols[k], "council_unit");
			a[n++] = STORE_TEXT(v ? v : nullable ? NULL : "");
		}
		a[n++] = STORE_INT(json_is_true(json_object_get(it, "council_member")));
		a[n++] = STORE_INT((int64_t)i + 1);
		rc = insert(s,
			    "INSERT INTO ceptoars (id, name_ja, name_en, sector_id, scope_ja, scope_en,"
			    " group_ja, secretariat_ja, secretariat_en, members_ja, members_en,"
			    " member_count_text, emergency_contact_start, handling_rules_date,"
			    " information_ja, information_en, council_unit, council_member, position)"
			    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
			    a, n, count);
		json_array_foreach(json_object_get(it, "channels"), k, ch) {
			if (rc < 0)
				break;
			rc = insert(s,
				    "INSERT INTO ceptoar_channels (ceptoar_id, channel_id, position)"
				    " VALUES (?,?,?) ON CONFLICT DO NOTHING",
				    (struct store_arg[]){ STORE_TEXT(str(it, "id")),
							  STORE_TEXT(json_string_value(ch)),
							  STORE_INT((int64_t)k + 1) },
				    3, count);
		}
		if (rc == 0) /* the CEPTOAR secretariat's organisation */
			rc = insert(s,
				    "INSERT INTO orgs (id, code, kind, name_ja, name_en, sector_id,"
				    " ceptoar_id, created_at, updated_at)"
				    " VALUES (?,?,'ceptoar',?,?,?,?,?,?) ON CONFLICT DO NOTHING",
				    (struct store_arg[]){ STORE_TEXT(str(it, "id")), STORE_TEXT(str(it, "id")),
							  STORE_TEXT(str(it, "name_ja")),
							  STORE_TEXT(str(it, "name_en")),
							  STORE_TEXT(str(it, "sector")),
							  STORE_TEXT(str(it, "id")), STORE_INT(cep_now()),
							  STORE_INT(cep_now()) },
				    8, count);
	}
	json_decref(items);
	return rc;
}

static int load_agencies(struct store *s, int *count, struct cep_error *err)
{
	json_t *items = NULL, *it, *c;
	size_t i, k;
	int rc = ref_items("agencies.json", &items, err);

	json_array_foreach(items, i, it) {
		char cats[256] = "";
		int ministry = 0, nisc = 0;

		if (rc < 0)
			break;
		json_array_foreach(json_object_get(it, "categories"), k, c) {
			const char *v = json_string_value(c);

			if (!v)
				continue;
			if (cats[0])
				strncat(cats, ",", sizeof(cats) - strlen(cats) - 1);
			strncat(cats, v, sizeof(cats) - strlen(cats) - 1);
			ministry |= !strcmp(v, "sector-ministry");
			nisc |= !strcmp(v, "cabinet-secretariat");
		}
		rc = insert(s,
			    "INSERT INTO agencies (id, name_ja, name_en, abbrev_en, categories, position)"
			    " VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
			    (struct store_arg[]){ STORE_TEXT(str(it, "id")), STORE_TEXT(str(it, "name_ja")),
						  STORE_TEXT(str(it, "name_en")),
						  STORE_TEXT(str(it, "abbrev_en") ? str(it, "abbrev_en") : ""),
						  STORE_TEXT(cats), STORE_INT((int64_t)i + 1) },
			    6, count);
		/* One organisation per body: a sector ministry already has its org
		 * (from ministries.json), NISC gets kind "nisc" and code "nisc". */
		if (rc == 0 && !ministry)
			rc = insert(s,
				    "INSERT INTO orgs (id, code, kind, name_ja, name_en, agency_id,"
				    " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)"
				    " ON CONFLICT DO NOTHING",
				    (struct store_arg[]){ STORE_TEXT(str(it, "id")), STORE_TEXT(str(it, "id")),
							  STORE_TEXT(nisc ? "nisc" : "agency"),
							  STORE_TEXT(str(it, "name_ja")),
							  STORE_TEXT(str(it, "name_en")),
							  STORE_TEXT(str(it, "id")), STORE_INT(cep_now()),
							  STORE_INT(cep_now()) },
				    8, count);
	}
	json_decref(items);
	return rc;
}

static int load_threats(struct store *s, int *count, struct cep_error *err)
{
	json_t *items = NULL, *it, *t;
	size_t i, k;
	int rc = ref_items("threats.json", &items, err);

	json_array_foreach(items, i, it) {
		if (rc < 0)
			break;
		rc = insert(s,
			    "INSERT INTO threat_categories (id, name_ja, name_en, position)"
			    " VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
			    (struct store_arg[]){ STORE_TEXT(str(it, "id")), STORE_TEXT(str(it, "name_ja")),
						  STORE_TEXT(str(it, "name_en")),
						  STORE_INT((int64_t)i + 1) },
			    4, count);
		json_array_foreach(json_object_get(it, "types"), k, t) {
			if (rc < 0)
				break;
			rc = insert(s,
				    "INSERT INTO threat_types (id, category_id, name_ja, name_en, position)"
				    " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
				    (struct store_arg[]){ STORE_TEXT(str(t, "id")), STORE_TEXT(str(it, "id")),
							  STORE_TEXT(str(t, "name_ja")),
							  STORE_TEXT(str(t, "name_en")),
							  STORE_INT((int64_t)k + 1) },
				    5, count);
		}
	}
	json_decref(items);
	return rc;
}

int reg_load_reference(struct store *s, const struct cep_principal *p, int *ret_inserted,
		       struct cep_error *err)
{
	int count = 0, rc;

	if (policy_check(p, CEP_ACT_REGISTRY_WRITE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "loading reference data is not allowed");
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, "db", "cannot start a transaction: %s", store_errmsg(s));
	rc = load_ministries(s, &count, err);
	if (rc == 0)
		rc = load_sectors(s, &count, err);
	if (rc == 0)
		rc = load_channels(s, &count, err);
	if (rc == 0)
		rc = load_ceptoars(s, &count, err);
	if (rc == 0)
		rc = load_agencies(s, &count, err);
	if (rc == 0)
		rc = load_threats(s, &count, err);
	if (rc == 0 && count > 0) {
		json_t *d = json_pack("{s:i}", "rows", count);

		rc = audit_append(s, p, "reference.load", "registry", "reference", d);
		json_decref(d);
	}
	if (rc == 0)
		rc = store_commit(s);
	if (rc < 0) {
		store_rollback(s);
		return cep_error_set(err, rc, "db", "loading reference data failed: %s",
				     store_errmsg(s));
	}
	if (ret_inserted)
		*ret_inserted = count;
	return 0;
}
