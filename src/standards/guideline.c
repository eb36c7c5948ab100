/* guideline.c - the Guideline's editions: the compiled-in 3rd edition,
 * imported editions (catalog form or OSCAL), reading them, and the
 * differences between two editions. */
#include "standards/internal.h"

#include "audit/audit.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/text.h"
#include "registry/refdata.h"

#include <stdio.h>
#include <string.h>
#include <stdarg.h>

/* snprintf into a path buffer: a longer path is cut (it only names a place). */
static void __attribute__((format(printf, 3, 4))) pathf(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, n, fmt, ap);
	va_end(ap);
}

static const char *const kinds[] = { "section", "pillar", "priority", "item", NULL };

bool std_id_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > STD_ID_MAX || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

bool std_edition_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > STD_EDITION_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

int std_edition_exists(struct store *s, const char *edition, struct cep_error *err)
{
	int64_t n = 0;
	int rc;

	if (!std_edition_valid(edition))
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such edition of the Guideline");
	rc = store_query_int(s, "SELECT count(*) FROM guideline_editions WHERE edition = ?",
			     (struct store_arg[]){ STORE_TEXT(edition) }, 1, &n);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the Guideline");
	return n ? 0 : cep_error_set(err, CEP_ENOTFOUND, NULL, "no such edition of the Guideline");
}

const char *std_pillar_of(const json_t *items, const json_t *it)
{
	const json_t *cur = it;

	/* walk up (at most the depth of the tree) to a pillar or priority item */
	for (int depth = 0; cur && depth < 64; depth++) {
		const char *kind = json_string_value(json_object_get(cur, "kind"));
		const char *parent = json_string_value(json_object_get(cur, "parent"));
		const json_t *up = NULL, *x;
		size_t i;

		if (kind && (!strcmp(kind, "pillar") || !strcmp(kind, "priority")))
			return json_string_value(json_object_get(cur, "id"));
		if (!parent)
			break;
		json_array_foreach(items, i, x)
			if (!strcmp(json_string_value(json_object_get(x, "id")), parent)) {
				up = x;
				break;
			}
		cur = up;
	}
	return json_string_value(json_object_get(it, "id"));
}

/* ---- validation of the catalog form ---- */

static const char *const edition_keys[] = { "edition", "title_ja", "title_en", "published",
					    "uuid", "last_modified", "items", "source", "note",
					    NULL };
static const char *const item_keys[] = { "id", "parent", "kind", "label", "title_ja",
					 "title_en", "text_ja", "text_en", "mark", "position",
					 NULL };

/* A text member of o checked as cep_json_text, the error naming path.key. */
static int text_at(const json_t *o, const char *path, const char *key, size_t max, int required,
		   int multiline, const char **ret, struct cep_error *err)
{
	struct cep_error e;
	char field[CEP_ERR_FIELD_MAX];
	int rc;

	cep_error_init(&e);
	rc = cep_json_text(o, key, max, required, multiline, ret, &e);
	if (rc < 0) {
		pathf(field, sizeof(field), "%s%s%s", path, *path ? "." : "", key);
		return cep_error_set(err, rc, field, "%s: %s", field, e.message);
	}
	return 0;
}

/* Check in (the catalog form) whole; nothing is written. */
static int check_catalog(const json_t *in, struct cep_error *err)
{
	const char *edition = NULL, *v = NULL;
	const json_t *items = json_object_get(in, "items"), *it;
	json_t *seen = json_object();
	char path[48];
	size_t i;
	int rc = json_is_object(in) ? 0 : cep_error_set(err, CEP_EINVAL, NULL,
							  "a catalog is a JSON object");

	if (!seen)
		return CEP_ENOMEM;
	if (rc == 0)
		rc = cep_json_only(in, edition_keys, err);
	if (rc == 0)
		rc = text_at(in, "", "edition", STD_EDITION_MAX, 1, 0, &edition, err);
	if (rc == 0 && !std_edition_valid(edition))
		rc = cep_error_set(err, CEP_EINVAL, "edition",
				   "edition: 1 to %d letters, digits, '.', '_' or '-'", STD_EDITION_MAX);
	if (rc == 0)
		rc = text_at(in, "", "title_ja", STD_TITLE_MAX, 1, 0, &v, err);
	if (rc == 0)
		rc = text_at(in, "", "title_en", STD_TITLE_MAX, 0, 0, &v, err);
	if (rc == 0)
		rc = text_at(in, "", "published", 64, 0, 0, &v, err);
	if (rc == 0)
		rc = text_at(in, "", "uuid", 64, 0, 0, &v, err);
	if (rc == 0)
		rc = text_at(in, "", "last_modified", 64, 0, 0, &v, err);
	if (rc == 0 && (!json_is_array(items) || json_array_size(items) == 0))
		rc = cep_error_set(err, CEP_EINVAL, "items", "items: a non-empty list of items");
	if (rc == 0 && json_array_size(items) > STD_ITEMS_MAX)
		rc = cep_error_set(err, CEP_ETOOBIG, "items", "items: at most %d", STD_ITEMS_MAX);
	json_array_foreach(rc == 0 ? items : NULL, i, it) {
		const char *id = NULL, *parent = NULL, *kind = NULL, *mark = NULL;
		int known = 0;

		pathf(path, sizeof(path), "items[%zu]", i);
		if (!json_is_object(it)) {
			rc = cep_error_set(err, CEP_EINVAL, path, "%s: an item is an object", path);
			break;
		}
		rc = cep_json_only(it, item_keys, NULL) < 0 ?
			     cep_error_set(err, CEP_EINVAL, path, "%s: unknown member", path) :
			     0;
		if (rc == 0)
			rc = text_at(it, path, "id", STD_ID_MAX, 1, 0, &id, err);
		if (rc == 0 && !std_id_valid(id))
			rc = cep_error_set(err, CEP_EINVAL, path,
					   "%s.id: a letter, then letters, digits, '.', '_' or '-'",
					   path);
		if (rc == 0 && json_object_get(seen, id))
			rc = cep_error_set(err, CEP_EINVAL, path, "%s.id: %s appears twice", path, id);
		if (rc == 0)
			rc = text_at(it, path, "parent", STD_ID_MAX, 0, 0, &parent, err);
		if (rc == 0 && parent && !json_object_get(seen, parent))
			rc = cep_error_set(err, CEP_EINVAL, path,
					   "%s.parent: %s is not an item listed before this one", path,
					   parent);
		if (rc == 0)
			rc = text_at(it, path, "kind", 16, 1, 0, &kind, err);
		for (const char *const *k = kinds; rc == 0 && *k; k++)
			known |= !strcmp(*k, kind);
		if (rc == 0 && !known)
			rc = cep_error_set(err, CEP_EINVAL, path,
					   "%s.kind: section, pillar, priority or item", path);
		if (rc == 0)
			rc = text_at(it, path, "label", 32, 0, 0, &v, err);
		if (rc == 0)
			rc = text_at(it, path, "title_ja", STD_TITLE_MAX, 1, 0, &v, err);
		if (rc == 0)
			rc = text_at(it, path, "title_en", STD_TITLE_MAX, 0, 0, &v, err);
		if (rc == 0)
			rc = text_at(it, path, "text_ja", STD_TEXT_MAX, 0, 1, &v, err);
		if (rc == 0)
			rc = text_at(it, path, "text_en", STD_TEXT_MAX, 0, 1, &v, err);
		if (rc == 0)
			rc = text_at(it, path, "mark", 16, 0, 0, &mark, err);
		if (rc == 0 && mark && strcmp(mark, "must") && strcmp(mark, "reference"))
			rc = cep_error_set(err, CEP_EINVAL, path,
					   "%s.mark: must (要検討事項), reference (参考事項) or null", path);
		if (rc == 0 && json_object_set_new(seen, id, json_true()) < 0)
			rc = CEP_ENOMEM;
		if (rc < 0)
			break;
	}
	json_decref(seen);
	return rc;
}

static const char *str_or(const json_t *o, const char *key, const char *dflt)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : dflt;
}

static int edition_read(struct store *s, const char *edition, const char *mark, const char *kind,
			int with_items, json_t **ret, struct cep_error *err);

/* Write the catalog in (checked) as a new edition; inside the caller's transaction. */
static int write_catalog(struct store *s, const struct cep_principal *p, const json_t *in,
			 int builtin, int *ret_count)
{
	const char *edition = str_or(in, "edition", "");
	const json_t *items = json_object_get(in, "items"), *it;
	char uuid[CEP_UUID_LEN + 1], now[CEP_TS_MAX];
	size_t i;
	int rc;

	cep_uuid(uuid);
	cep_ts_utc(cep_now(), now);
	rc = store_run(s,
		       "INSERT INTO guideline_editions (edition, uuid, title_ja, title_en, published,"
		       " last_modified, builtin, loaded_by, loaded_at) VALUES (?,?,?,?,?,?,?,?,?)",
		       (struct store_arg[]){ STORE_TEXT(edition), STORE_TEXT(str_or(in, "uuid", uuid)),
					     STORE_TEXT(str_or(in, "title_ja", "")),
					     STORE_TEXT(str_or(in, "title_en", "")),
					     STORE_TEXT(str_or(in, "published", "")),
					     STORE_TEXT(str_or(in, "last_modified", now)),
					     STORE_INT(builtin),
					     STORE_TEXT(p->user_id[0] ? p->user_id : "console"),
					     STORE_INT(cep_now()) },
		       9);
	json_array_foreach(rc == 0 ? items : NULL, i, it) {
		rc = store_run(s,
			       "INSERT INTO guideline_items (edition, id, parent, kind, label, title_ja,"
			       " title_en, text_ja, text_en, mark, position) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(edition),
						     STORE_TEXT(str_or(it, "id", "")),
						     STORE_TEXT(str_or(it, "parent", NULL)),
						     STORE_TEXT(str_or(it, "kind", "")),
						     STORE_TEXT(str_or(it, "label", "")),
						     STORE_TEXT(str_or(it, "title_ja", "")),
						     STORE_TEXT(str_or(it, "title_en", "")),
						     STORE_TEXT(str_or(it, "text_ja", "")),
						     STORE_TEXT(str_or(it, "text_en", "")),
						     STORE_TEXT(str_or(it, "mark", NULL)),
						     STORE_INT((int64_t)i + 1) },
			       11);
		if (rc < 0)
			break;
	}
	if (rc == 0 && ret_count)
		*ret_count = (int)json_array_size(items);
	return rc;
}

int std_load_builtin(struct store *s, const struct cep_principal *p, int *ret_inserted,
		     struct cep_error *err)
{
	const struct cep_refdata_file *f;
	json_t *root = NULL;
	json_error_t je;
	int64_t n = 0;
	int rc, count = 0;

	if (policy_check(p, CEP_ACT_GUIDELINE_WRITE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "only NISC loads the Guideline");
	for (f = cep_refdata_files; f->name && strcmp(f->name, "guideline-3.json"); f++)
		;
	if (!f->name)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "guideline-3.json is not compiled in");
	root = json_loadb(f->data, f->size, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return cep_error_set(err, CEP_EPARSE, NULL, "guideline-3.json: line %d: %s", je.line,
				     je.text);
	rc = check_catalog(root, err);
	if (rc == 0)
		rc = store_begin(s);
	if (rc == 0)
		rc = store_query_int(s, "SELECT count(*) FROM guideline_editions WHERE edition = ?",
				     (struct store_arg[]){ STORE_TEXT(str_or(root, "edition", "")) }, 1,
				     &n);
	if (rc == 0 && n == 0) {
		/* the published date is the edition's last modification */
		char lm[40];

		snprintf(lm, sizeof(lm), "%sT00:00:00Z", str_or(root, "published", "2010-05-11"));
		json_object_set_new(root, "last_modified", json_string(lm));
		rc = write_catalog(s, p, root, 1, &count);
		rc = audit_commit(s, rc, p, "guideline.load", "guideline", str_or(root, "edition", ""),
				  NULL, "the Guideline", err);
	} else if (rc == 0) {
		store_rollback(s);
	}
	json_decref(root);
	if (rc == 0 && ret_inserted)
		*ret_inserted = count;
	return rc;
}

int std_edition_import(struct store *s, const struct cep_principal *p, const json_t *in,
		       json_t **ret, struct cep_error *err)
{
	json_t *cat = NULL;
	const char *edition;
	int rc, count = 0;

	if (policy_check(p, CEP_ACT_GUIDELINE_WRITE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "only NISC loads editions of the Guideline");
	if (json_object_get(in, "catalog")) {
		rc = std_oscal_parse(in, &cat, err);
	} else {
		cat = json_incref((json_t *)in);
		rc = 0;
	}
	if (rc == 0)
		rc = check_catalog(cat, err);
	if (rc < 0) {
		json_decref(cat);
		return rc;
	}
	edition = str_or(cat, "edition", "");
	rc = store_begin(s);
	if (rc < 0) {
		json_decref(cat);
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	}
	rc = write_catalog(s, p, cat, 0, &count);
	if (rc == CEP_EEXIST)
		cep_error_set(err, rc, "edition", "edition %s exists already", edition);
	rc = audit_commit(s, rc, p, "guideline.import", "guideline", edition, NULL, "the edition",
			  err);
	if (rc == 0)
		rc = edition_read(s, edition, NULL, NULL, 0, ret, err);
	json_decref(cat);
	return rc;
}

int std_edition_delete(struct store *s, const struct cep_principal *p, const char *edition,
		       struct cep_error *err)
{
	int64_t builtin = 0;
	int rc;

	if (policy_check(p, CEP_ACT_GUIDELINE_WRITE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "only NISC removes editions of the Guideline");
	rc = std_edition_exists(s, edition, err);
	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = store_query_int(s, "SELECT builtin FROM guideline_editions WHERE edition = ?",
			     (struct store_arg[]){ STORE_TEXT(edition) }, 1, &builtin);
	if (rc == 0 && builtin)
		rc = cep_error_set(err, CEP_ESEMANTIC, "edition",
				   "the compiled-in edition is kept");
	if (rc == 0) {
		int64_t used = 0;

		rc = store_query_int(s, "SELECT count(*) FROM surveys WHERE edition = ?",
				     (struct store_arg[]){ STORE_TEXT(edition) }, 1, &used);
		if (rc == 0 && used)
			rc = cep_error_set(err, CEP_ESEMANTIC, "edition",
					   "surveys were made from this edition");
	}
	if (rc == 0)
		rc = store_run(s, "DELETE FROM guideline_editions WHERE edition = ?",
			       (struct store_arg[]){ STORE_TEXT(edition) }, 1);
	return audit_commit(s, rc, p, "guideline.delete", "guideline", edition, NULL, "the edition",
			    err);
}

/* ---- reading ---- */

int std_editions(struct store *s, const struct cep_principal *p, json_t **ret,
		 struct cep_error *err)
{
	json_t *rows = NULL, *it;
	size_t i;
	int rc;

	if (policy_check(p, CEP_ACT_GUIDELINE_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "this account may not read the Guideline");
	rc = store_query_all(s,
			     "SELECT e.edition, e.uuid, e.title_ja, e.title_en, e.published,"
			     " e.last_modified, e.builtin, e.loaded_at,"
			     " (SELECT count(*) FROM guideline_items i WHERE i.edition = e.edition) AS items,"
			     " (SELECT count(*) FROM guideline_items i WHERE i.edition = e.edition"
			     "  AND i.mark = 'must') AS must,"
			     " (SELECT count(*) FROM guideline_items i WHERE i.edition = e.edition"
			     "  AND i.mark = 'reference') AS reference"
			     " FROM guideline_editions e ORDER BY e.loaded_at, e.edition",
			     NULL, 0, &rows);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the Guideline");
	json_array_foreach(rows, i, it)
		json_object_set_new(it, "builtin",
				    json_boolean(json_integer_value(json_object_get(it, "builtin"))));
	*ret = json_pack("{s:o, s:I}", "items", rows, "total", (json_int_t)json_array_size(rows));
	return *ret ? 0 : CEP_ENOMEM;
}

/* The edition with its counts, and its items (filtered) when with_items. */
static int edition_read(struct store *s, const char *edition, const char *mark, const char *kind,
			int with_items, json_t **ret, struct cep_error *err)
{
	json_t *ed = NULL, *items = NULL, *counts = NULL;
	int no_items = !with_items;
	int rc;

	if (mark && strcmp(mark, "must") && strcmp(mark, "reference") &&
	    strcmp(mark, "any"))
		return cep_error_set(err, CEP_EINVAL, "mark", "mark must be must, reference or any");
	if (kind && strcmp(kind, "section") && strcmp(kind, "pillar") && strcmp(kind, "priority") &&
	    strcmp(kind, "item"))
		return cep_error_set(err, CEP_EINVAL, "kind",
				     "kind must be section, pillar, priority or item");
	rc = std_edition_exists(s, edition, err);
	if (rc == 0)
		rc = store_query_one(s,
				     "SELECT edition, uuid, title_ja, title_en, published, last_modified,"
				     " builtin, loaded_at FROM guideline_editions WHERE edition = ?",
				     (struct store_arg[]){ STORE_TEXT(edition) }, 1, &ed);
	if (rc == 0)
		rc = store_query_one(s,
				     "SELECT count(*) AS items,"
				     " coalesce(sum(mark = 'must'), 0) AS must,"
				     " coalesce(sum(mark = 'reference'), 0) AS reference,"
				     " coalesce(sum(kind = 'pillar'), 0) AS pillars,"
				     " coalesce(sum(kind = 'priority'), 0) AS priorities"
				     " FROM guideline_items WHERE edition = ?",
				     (struct store_arg[]){ STORE_TEXT(edition) }, 1, &counts);
	if (rc == 0)
		json_object_set_new(ed, "counts", counts);
	if (rc == 0 && !no_items)
		rc = store_query_all(s,
				     "SELECT " STD_ITEM_COLS " FROM guideline_items WHERE edition = ?"
				     " AND (? IS NULL OR (? = 'any' AND mark IS NOT NULL) OR mark = ?)"
				     " AND (? IS NULL OR kind = ?) ORDER BY position",
				     (struct store_arg[]){ STORE_TEXT(edition), STORE_TEXT(mark),
							   STORE_TEXT(mark), STORE_TEXT(mark),
							   STORE_TEXT(kind), STORE_TEXT(kind) },
				     6, &items);
	if (rc == 0 && !no_items)
		json_object_set_new(ed, "items", items);
	if (rc < 0) {
		json_decref(ed);
		return err && err->code ? rc : cep_error_set(err, rc, NULL, "cannot read the Guideline");
	}
	json_object_set_new(ed, "builtin",
			    json_boolean(json_integer_value(json_object_get(ed, "builtin"))));
	*ret = ed;
	return 0;
}

int std_edition_get(struct store *s, const struct cep_principal *p, const char *edition,
		    const char *mark, const char *kind, json_t **ret, struct cep_error *err)
{
	if (policy_check(p, CEP_ACT_GUIDELINE_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "this account may not read the Guideline");
	return edition_read(s, edition, mark, kind, 1, ret, err);
}

int std_item_get(struct store *s, const struct cep_principal *p, const char *edition,
		 const char *id, json_t **ret, struct cep_error *err)
{
	json_t *row = NULL, *kids = NULL, *it, *ids;
	size_t i;
	int rc;

	if (policy_check(p, CEP_ACT_GUIDELINE_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "this account may not read the Guideline");
	rc = std_edition_exists(s, edition, err);
	if (rc < 0)
		return rc;
	rc = store_query_one(s,
			     "SELECT " STD_ITEM_COLS " FROM guideline_items WHERE edition = ? AND id = ?",
			     (struct store_arg[]){ STORE_TEXT(edition), STORE_TEXT(id) }, 2, &row);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such item in edition %s", edition);
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT id FROM guideline_items WHERE edition = ? AND parent = ?"
				     " ORDER BY position",
				     (struct store_arg[]){ STORE_TEXT(edition), STORE_TEXT(id) }, 2, &kids);
	if (rc < 0) {
		json_decref(row);
		return cep_error_set(err, rc, NULL, "cannot read the Guideline");
	}
	ids = json_array();
	json_array_foreach(kids, i, it)
		json_array_append(ids, json_object_get(it, "id"));
	json_decref(kids);
	json_object_set_new(row, "edition", json_string(edition));
	json_object_set_new(row, "children", ids);
	*ret = row;
	return 0;
}

int std_marked_items(struct store *s, const struct cep_principal *p, const char *edition,
		     json_t **ret, struct cep_error *err)
{
	json_t *ed = NULL, *out, *it, *all;
	size_t i;
	int rc = std_edition_get(s, p, edition, NULL, NULL, &ed, err);

	if (rc < 0)
		return rc;
	all = json_object_get(ed, "items");
	out = json_array();
	json_array_foreach(all, i, it) {
		if (json_is_null(json_object_get(it, "mark")))
			continue;
		json_t *q = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:s}", "id",
				      json_object_get(it, "id"), "label", json_object_get(it, "label"),
				      "title_ja", json_object_get(it, "title_ja"), "title_en",
				      json_object_get(it, "title_en"), "text_ja",
				      json_object_get(it, "text_ja"), "mark", json_object_get(it, "mark"),
				      "pillar", std_pillar_of(all, it));
		if (!q || json_array_append_new(out, q) < 0) {
			json_decref(out);
			json_decref(ed);
			return CEP_ENOMEM;
		}
	}
	json_decref(ed);
	*ret = out;
	return 0;
}

/* ---- the differences between two editions ---- */

static const char *const compared[] = { "parent", "kind", "label", "title_ja", "title_en",
					"text_ja", "mark", NULL };

static int same(const json_t *a, const json_t *b)
{
	if (json_is_null(a) || !a)
		return json_is_null(b) || !b;
	return json_equal((json_t *)a, (json_t *)b);
}

/* Edition name with its items for a comparison; an unknown one is the
 * caller's bad input (CEP_EINVAL naming field). */
static int edition_of(struct store *s, const struct cep_principal *p, const char *name,
		      const char *field, json_t **ret, struct cep_error *err)
{
	struct cep_error e;
	int rc;

	cep_error_init(&e);
	rc = std_edition_get(s, p, name, NULL, NULL, ret, &e);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, CEP_EINVAL, field, "no such edition: %s", name);
	if (rc < 0)
		return cep_error_set(err, rc, e.field[0] ? e.field : NULL, "%s", e.message);
	return 0;
}

int std_diff(struct store *s, const struct cep_principal *p, const char *from, const char *to,
	     json_t **ret, struct cep_error *err)
{
	json_t *a = NULL, *b = NULL, *byid, *added, *removed, *changed, *it;
	size_t i, unchanged = 0;
	int rc;

	if (!from || !to)
		return cep_error_set(err, CEP_EINVAL, from ? "to" : "from",
				     "give two editions: from and to");
	rc = edition_of(s, p, from, "from", &a, err);
	if (rc == 0)
		rc = edition_of(s, p, to, "to", &b, err);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	byid = json_object();
	added = json_array();
	removed = json_array();
	changed = json_array();
	json_array_foreach(json_object_get(a, "items"), i, it)
		json_object_set(byid, json_string_value(json_object_get(it, "id")), it);
	json_array_foreach(json_object_get(b, "items"), i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		json_t *old = json_object_get(byid, id), *fields;

		if (!old) {
			json_array_append(added, it);
			continue;
		}
		fields = json_array();
		for (const char *const *k = compared; *k; k++)
			if (!same(json_object_get(old, *k), json_object_get(it, *k)))
				json_array_append_new(fields, json_string(*k));
		if (json_array_size(fields))
			json_array_append_new(changed, json_pack("{s:s, s:o, s:O, s:O}", "id", id,
								 "fields", fields, "from", old,
								 "to", it));
		else
			json_decref(fields), unchanged++;
		json_object_del(byid, id);
	}
	json_array_foreach(json_object_get(a, "items"), i, it)
		if (json_object_get(byid, json_string_value(json_object_get(it, "id"))))
			json_array_append(removed, it);
	*ret = json_pack("{s:s, s:s, s:{s:I, s:I, s:I, s:I}, s:o, s:o, s:o}", "from", from, "to", to,
			 "counts", "added", (json_int_t)json_array_size(added), "removed",
			 (json_int_t)json_array_size(removed), "changed",
			 (json_int_t)json_array_size(changed), "unchanged", (json_int_t)unchanged,
			 "added", added, "removed", removed, "changed", changed);
	json_decref(byid);
	json_decref(a);
	json_decref(b);
	return *ret ? 0 : CEP_ENOMEM;
}
