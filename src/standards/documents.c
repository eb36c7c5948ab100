/* documents.c - the sectors' safety-standards documents (安全基準等, seed 004
 * §I.3: 強制基準, 推奨基準・ガイドライン, 業界標準・ガイドライン, 内規), their
 * mapping to the Guideline's items, and the coverage of each sector's
 * documents against an edition. */
#include "standards/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *id, *ja, *en;
} doc_kinds[] = {
	{ "mandatory", "強制基準", "mandatory standard (by law)" },
	{ "recommended", "推奨基準・ガイドライン", "recommended standard or guideline (by the state)" },
	{ "industry", "業界標準・ガイドライン", "industry standard or guideline" },
	{ "internal", "内規", "internal rules" },
};
#define NKINDS (sizeof(doc_kinds) / sizeof(doc_kinds[0]))

/* Who may read the non-public documents of which sectors: every sector (all),
 * or those its ministry oversees (ministry); the policy's answers. */
static void readers(const struct cep_principal *p, int *ret_all, int *ret_ministry)
{
	struct cep_object any = { 0 }, own = { 0 };

	snprintf(own.ministry_id, sizeof(own.ministry_id), "%s", p->ministry_id);
	*ret_all = policy_check(p, CEP_ACT_STANDARDS_WRITE, &any) == 0;
	*ret_ministry = p->ministry_id[0] && policy_check(p, CEP_ACT_STANDARDS_WRITE, &own) == 0;
}

#define VISIBLE "(d.public = 1 OR ? = 1 OR (? = 1 AND s.ministry_id = ?))"
#define DOC_COLS                                                                                 \
	"d.id, d.sector_id AS sector, d.kind, d.title_ja, d.title_en, d.owner, d.public,"          \
	" d.nonpublic_reason AS reason, d.version, d.url, d.created_by, d.created_at, d.updated_at"

static void shape(json_t *d)
{
	const char *kind = json_string_value(json_object_get(d, "kind"));

	for (size_t k = 0; kind && k < NKINDS; k++)
		if (!strcmp(doc_kinds[k].id, kind)) {
			json_object_set_new(d, "kind_ja", json_string(doc_kinds[k].ja));
			json_object_set_new(d, "kind_en", json_string(doc_kinds[k].en));
		}
	json_object_set_new(d, "public", json_boolean(json_integer_value(json_object_get(d, "public"))));
}

static int mappings(struct store *s, json_t *d)
{
	json_t *rows = NULL, *it;
	size_t i;
	int rc = store_query_all(s,
				 "SELECT item_id AS item, public, nonpublic_reason AS reason"
				 " FROM standard_mappings WHERE document_id = ? ORDER BY item_id",
				 (struct store_arg[]){ STORE_TEXT(json_string_value(
					 json_object_get(d, "id"))) },
				 1, &rows);

	if (rc < 0)
		return rc;
	json_array_foreach(rows, i, it)
		json_object_set_new(it, "public",
				    json_boolean(json_integer_value(json_object_get(it, "public"))));
	json_object_set_new(d, "items", rows);
	return 0;
}

int std_documents(struct store *s, const struct cep_principal *p, const char *sector,
		  const char *kind, const struct cep_page *page, json_t **ret,
		  struct cep_error *err)
{
	json_t *res = NULL, *it;
	int all, ministry;
	size_t i;
	int rc;

	if (policy_check(p, CEP_ACT_GUIDELINE_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "this account may not read the standards");
	readers(p, &all, &ministry);
	rc = store_query_page(s, DOC_COLS,
			      "FROM standard_documents d JOIN sectors s ON s.id = d.sector_id WHERE " VISIBLE
			      " AND (? IS NULL OR d.sector_id = ?) AND (? IS NULL OR d.kind = ?)",
			      "s.position, d.kind, d.title_ja, d.id",
			      (struct store_arg[]){ STORE_INT(all), STORE_INT(ministry),
						    STORE_TEXT(p->ministry_id), STORE_TEXT(sector),
						    STORE_TEXT(sector), STORE_TEXT(kind), STORE_TEXT(kind) },
			      7, page, &res);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the documents");
	json_array_foreach(json_object_get(res, "items"), i, it) {
		shape(it);
		if (mappings(s, it) < 0) {
			json_decref(res);
			return cep_error_set(err, CEP_EIO, NULL, "cannot read the documents");
		}
	}
	*ret = res;
	return 0;
}

int std_document_get(struct store *s, const struct cep_principal *p, const char *id,
		     json_t **ret, struct cep_error *err)
{
	json_t *d = NULL;
	int all, ministry, rc;

	if (policy_check(p, CEP_ACT_GUIDELINE_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "this account may not read the standards");
	readers(p, &all, &ministry);
	rc = store_query_one(s,
			     "SELECT " DOC_COLS " FROM standard_documents d JOIN sectors s"
			     " ON s.id = d.sector_id WHERE d.id = ? AND " VISIBLE,
			     (struct store_arg[]){ STORE_TEXT(id), STORE_INT(all), STORE_INT(ministry),
						   STORE_TEXT(p->ministry_id) },
			     4, &d);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such document");
	if (rc == 0)
		rc = mappings(s, d);
	if (rc < 0) {
		json_decref(d);
		return cep_error_set(err, rc, NULL, "cannot read the document");
	}
	shape(d);
	*ret = d;
	return 0;
}

/* May p keep the documents of sector? CEP_EINVAL (field sector) for an unknown
 * sector, CEP_EPERM when p may not. */
static int may_write(struct store *s, const struct cep_principal *p, const char *sector,
		     struct cep_error *err)
{
	struct cep_object o = { 0 };
	json_t *row = NULL;
	int rc = store_query_one(s, "SELECT ministry_id FROM sectors WHERE id = ?",
				 (struct store_arg[]){ STORE_TEXT(sector) }, 1, &row);

	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, CEP_EINVAL, "sector", "no such sector: %s", sector);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the sector");
	snprintf(o.ministry_id, sizeof(o.ministry_id), "%s",
		 json_string_value(json_object_get(row, "ministry_id")));
	json_decref(row);
	if (policy_check(p, CEP_ACT_STANDARDS_WRITE, &o) < 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "a sector's standards are kept by its ministry and NISC");
	return 0;
}

static const char *const doc_keys[] = { "sector", "kind", "title_ja", "title_en", "owner",
					"public", "reason", "version", "url", "items", NULL };

/* Validate in (create: all required members) over cur (update: the stored
 * document) and write document id; inside the caller's transaction. */
static int write_doc(struct store *s, const struct cep_principal *p, const char *id,
		     const json_t *in, const json_t *cur, struct cep_error *err)
{
	const char *sector = NULL, *kind = NULL, *title_ja = NULL, *title_en = NULL, *owner = NULL,
		   *reason = NULL, *version = NULL, *url = NULL;
	const json_t *pub = json_object_get(in, "public"), *items = json_object_get(in, "items"), *it;
	int create = cur == NULL, is_public, known = 0;
	size_t i;
	int rc = cep_json_only(in, doc_keys, err);

	if (rc == 0)
		rc = cep_json_text(in, "sector", 64, create, 0, &sector, err);
	if (rc == 0 && !create && sector &&
	    strcmp(sector, json_string_value(json_object_get(cur, "sector"))))
		rc = cep_error_set(err, CEP_EINVAL, "sector", "a document stays in its sector");
	if (rc == 0)
		rc = cep_json_text(in, "kind", 16, create, 0, &kind, err);
	for (size_t k = 0; rc == 0 && kind && k < NKINDS; k++)
		known |= !strcmp(doc_kinds[k].id, kind);
	if (rc == 0 && kind && !known)
		rc = cep_error_set(err, CEP_EINVAL, "kind",
				   "kind must be mandatory (強制基準), recommended (推奨基準・ガイドライン), "
				   "industry (業界標準・ガイドライン) or internal (内規)");
	if (rc == 0)
		rc = cep_json_text(in, "title_ja", STD_TITLE_MAX, create, 0, &title_ja, err);
	if (rc == 0)
		rc = cep_json_text(in, "title_en", STD_TITLE_MAX, 0, 0, &title_en, err);
	if (rc == 0)
		rc = cep_json_text(in, "owner", STD_TITLE_MAX, create, 0, &owner, err);
	if (rc == 0)
		rc = cep_json_text(in, "reason", STD_REASON_MAX, 0, 1, &reason, err);
	if (rc == 0)
		rc = cep_json_text(in, "version", 64, 0, 0, &version, err);
	if (rc == 0)
		rc = cep_json_text(in, "url", 2048, 0, 0, &url, err);
	if (rc == 0 && url && *url && strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
		rc = cep_error_set(err, CEP_EINVAL, "url", "url must be an http:// or https:// address");
	if (rc == 0 && (create ? !json_is_boolean(pub) : pub && !json_is_boolean(pub)))
		rc = cep_error_set(err, CEP_EINVAL, "public", "public must be true or false");
	is_public = pub ? json_is_true(pub) : json_is_true(json_object_get(cur, "public"));
	if (rc == 0 && !reason && !create && !pub)
		reason = json_string_value(json_object_get(cur, "reason"));
	/* 「安全基準等」の公開 (seed 004 II.5): what is not public says why */
	if (rc == 0 && !is_public && (!reason || !*reason))
		rc = cep_error_set(err, CEP_EINVAL, "reason",
				   "a document that is not public must say why (reason)");
	if (rc == 0 && is_public)
		reason = "";
	if (rc == 0 && items &&
	    (!json_is_array(items) || json_array_size(items) > STD_DOC_ITEMS_MAX))
		rc = cep_error_set(err, CEP_EINVAL, "items",
				   "items must be a list of at most %d Guideline item ids",
				   STD_DOC_ITEMS_MAX);
	if (rc == 0)
		rc = may_write(s, p, sector ? sector : json_string_value(json_object_get(cur, "sector")),
			       err);
	if (rc < 0)
		return rc;
	if (create)
		rc = store_run(s,
			       "INSERT INTO standard_documents (id, sector_id, kind, title_ja, owner,"
			       " public, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(sector), STORE_TEXT(kind),
						     STORE_TEXT(title_ja), STORE_TEXT(owner),
						     STORE_INT(is_public),
						     STORE_TEXT(p->user_id[0] ? p->user_id : "console"),
						     STORE_INT(cep_now()), STORE_INT(cep_now()) },
			       9);
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE standard_documents SET kind = coalesce(?, kind),"
			       " title_ja = coalesce(?, title_ja), title_en = coalesce(?, title_en),"
			       " owner = coalesce(?, owner), public = ?, nonpublic_reason = ?,"
			       " version = coalesce(?, version), url = coalesce(?, url), updated_at = ?"
			       " WHERE id = ?",
			       (struct store_arg[]){ STORE_TEXT(kind), STORE_TEXT(title_ja),
						     STORE_TEXT(title_en), STORE_TEXT(owner),
						     STORE_INT(is_public), STORE_TEXT(reason),
						     STORE_TEXT(version), STORE_TEXT(url),
						     STORE_INT(cep_now()), STORE_TEXT(id) },
			       10);
	if (rc == 0 && items)
		rc = store_run(s, "DELETE FROM standard_mappings WHERE document_id = ?",
			       (struct store_arg[]){ STORE_TEXT(id) }, 1);
	json_array_foreach(rc == 0 ? items : NULL, i, it) {
		const char *item = json_is_string(it) ? json_string_value(it) :
					json_string_value(json_object_get(it, "item"));
		const json_t *ipub = json_is_object(it) ? json_object_get(it, "public") : NULL;
		const char *ireason = json_is_object(it) ?
					      json_string_value(json_object_get(it, "reason")) : NULL;
		char field[32];
		int64_t n = 0;

		snprintf(field, sizeof(field), "items[%zu]", i);
		if (!item || (ipub && !json_is_boolean(ipub)) ||
		    (json_is_object(it) && json_object_size(it) !=
						   1u + (ipub != NULL) +
							   (json_object_get(it, "reason") != NULL)))
			rc = cep_error_set(err, CEP_EINVAL, field,
					   "%s: an item id, or {\"item\", \"public\", \"reason\"}", field);
		if (rc == 0 && ireason && cep_text_check_multiline(ireason, STD_REASON_MAX, false) < 0)
			rc = cep_error_set(err, CEP_EINVAL, field, "%s.reason: at most %d characters",
					   field, STD_REASON_MAX);
		if (rc == 0 && ipub && !json_is_true(ipub) && (!ireason || !*ireason))
			rc = cep_error_set(err, CEP_EINVAL, "reason",
					   "%s: an item kept out of the public version must say why "
					   "(reason)", field);
		if (rc == 0)
			rc = store_query_int(s, "SELECT count(*) FROM guideline_items WHERE id = ?",
					     (struct store_arg[]){ STORE_TEXT(item) }, 1, &n);
		if (rc == 0 && n == 0)
			rc = cep_error_set(err, CEP_EINVAL, field,
					   "%s: no Guideline item has the id %.64s", field, item);
		if (rc == 0)
			rc = store_run(s,
				       "INSERT INTO standard_mappings (document_id, item_id, public,"
				       " nonpublic_reason) VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
				       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(item),
							     STORE_INT(!ipub || json_is_true(ipub)),
							     STORE_TEXT(ipub && !json_is_true(ipub) ?
										ireason : "") },
				       4);
		if (rc < 0)
			break;
	}
	return rc;
}

int std_document_create(struct store *s, const struct cep_principal *p, const json_t *in,
			json_t **ret, struct cep_error *err)
{
	char id[CEP_UUID_LEN + 1];
	int rc;

	if (policy_check(p, CEP_ACT_GUIDELINE_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "this account may not keep standards");
	cep_uuid(id);
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = write_doc(s, p, id, in, NULL, err);
	rc = audit_commit(s, rc, p, "standards.document.create", "standard_document", id, NULL,
			  "the document", err);
	return rc < 0 ? rc : std_document_get(s, p, id, ret, err);
}

int std_document_update(struct store *s, const struct cep_principal *p, const char *id,
			const json_t *in, json_t **ret, struct cep_error *err)
{
	json_t *cur = NULL;
	int rc = std_document_get(s, p, id, &cur, err);

	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc < 0) {
		json_decref(cur);
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	}
	rc = write_doc(s, p, id, in, cur, err);
	json_decref(cur);
	rc = audit_commit(s, rc, p, "standards.document.update", "standard_document", id, NULL,
			  "the document", err);
	return rc < 0 ? rc : std_document_get(s, p, id, ret, err);
}

int std_document_delete(struct store *s, const struct cep_principal *p, const char *id,
			struct cep_error *err)
{
	json_t *cur = NULL;
	int rc = std_document_get(s, p, id, &cur, err);

	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc < 0) {
		json_decref(cur);
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	}
	rc = may_write(s, p, json_string_value(json_object_get(cur, "sector")), err);
	json_decref(cur);
	if (rc == 0)
		rc = store_run(s, "DELETE FROM standard_documents WHERE id = ?",
			       (struct store_arg[]){ STORE_TEXT(id) }, 1);
	return audit_commit(s, rc, p, "standards.document.delete", "standard_document", id, NULL,
			    "the document", err);
}

/* ---- coverage ---- */

/* The matrix of one sector against marked (the edition's marked items). */
static int coverage_one(struct store *s, const struct cep_principal *p, const char *sector,
			const char *edition, const json_t *marked, json_t **ret)
{
	json_t *docs = NULL, *maps = NULL, *rows, *uncovered, *it, *m;
	int all, ministry, must_total = 0, must_cov = 0, ref_total = 0, ref_cov = 0;
	size_t i, k;
	int rc;

	readers(p, &all, &ministry);
	rc = store_query_all(s,
			     "SELECT d.id, d.kind, d.title_ja, d.title_en, d.public FROM standard_documents d"
			     " JOIN sectors s ON s.id = d.sector_id WHERE d.sector_id = ? AND " VISIBLE
			     " ORDER BY d.kind, d.title_ja, d.id",
			     (struct store_arg[]){ STORE_TEXT(sector), STORE_INT(all), STORE_INT(ministry),
						   STORE_TEXT(p->ministry_id) },
			     4, &docs);
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT m.item_id, m.document_id FROM standard_mappings m"
				     " JOIN standard_documents d ON d.id = m.document_id"
				     " JOIN sectors s ON s.id = d.sector_id WHERE d.sector_id = ? AND " VISIBLE
				     " ORDER BY d.kind, d.title_ja, d.id",
				     (struct store_arg[]){ STORE_TEXT(sector), STORE_INT(all),
							   STORE_INT(ministry), STORE_TEXT(p->ministry_id) },
				     4, &maps);
	if (rc < 0) {
		json_decref(docs);
		return rc;
	}
	json_array_foreach(docs, i, it)
		shape(it);
	rows = json_array();
	uncovered = json_array();
	json_array_foreach(marked, i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		const char *mark = json_string_value(json_object_get(it, "mark"));
		json_t *by = json_array(), *row;

		json_array_foreach(maps, k, m)
			if (!strcmp(json_string_value(json_object_get(m, "item_id")), id))
				json_array_append(by, json_object_get(m, "document_id"));
		if (!strcmp(mark, "must")) {
			must_total++;
			if (json_array_size(by))
				must_cov++;
			else
				json_array_append_new(uncovered, json_string(id));
		} else {
			ref_total++;
			ref_cov += json_array_size(by) > 0;
		}
		row = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:o}", "id", json_object_get(it, "id"),
				"label", json_object_get(it, "label"), "title_ja",
				json_object_get(it, "title_ja"), "title_en",
				json_object_get(it, "title_en"), "mark", json_object_get(it, "mark"),
				"pillar", json_object_get(it, "pillar"), "documents", by);
		json_array_append_new(rows, row);
	}
	json_decref(maps);
	*ret = json_pack("{s:s, s:s, s:o, s:o, s:i, s:i, s:i, s:i, s:o}", "sector", sector, "edition",
			 edition, "documents", docs, "items", rows, "must_total", must_total,
			 "must_covered", must_cov, "reference_total", ref_total, "reference_covered",
			 ref_cov, "uncovered_must", uncovered);
	return *ret ? 0 : CEP_ENOMEM;
}

int std_coverage(struct store *s, const struct cep_principal *p, const char *sector,
		 const char *edition, json_t **ret, struct cep_error *err)
{
	json_t *marked = NULL, *sectors = NULL, *out = NULL, *it, *one;
	size_t i;
	int rc;

	if (!edition)
		edition = "3";
	{
		struct cep_error e;

		cep_error_init(&e);
		rc = std_marked_items(s, p, edition, &marked, &e);
		if (rc == CEP_ENOTFOUND)
			return cep_error_set(err, CEP_EINVAL, "edition", "no such edition: %s", edition);
		if (rc < 0)
			return cep_error_set(err, rc, NULL, "%s", e.message);
	}
	if (sector) {
		int64_t n = 0;

		rc = store_query_int(s, "SELECT count(*) FROM sectors WHERE id = ?",
				     (struct store_arg[]){ STORE_TEXT(sector) }, 1, &n);
		if (rc == 0 && n == 0)
			rc = cep_error_set(err, CEP_EINVAL, "sector", "no such sector: %s", sector);
		if (rc == 0)
			rc = coverage_one(s, p, sector, edition, marked, &out);
		json_decref(marked);
		if (rc < 0)
			return err && err->code ? rc : cep_error_set(err, rc, NULL, "cannot read coverage");
		*ret = out;
		return 0;
	}
	rc = store_query_all(s, "SELECT id, name_ja, name_en FROM sectors ORDER BY position, id", NULL,
			     0, &sectors);
	out = json_array();
	json_array_foreach(rc == 0 ? sectors : NULL, i, it) {
		one = NULL;
		rc = coverage_one(s, p, json_string_value(json_object_get(it, "id")), edition, marked,
				  &one);
		if (rc < 0)
			break;
		json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:I, s:O, s:O, s:O}", "sector",
						     json_object_get(it, "id"), "name_ja",
						     json_object_get(it, "name_ja"), "name_en",
						     json_object_get(it, "name_en"), "documents",
						     (json_int_t)json_array_size(
							     json_object_get(one, "documents")),
						     "must_total", json_object_get(one, "must_total"),
						     "must_covered", json_object_get(one, "must_covered"),
						     "uncovered_must",
						     json_object_get(one, "uncovered_must")));
		json_decref(one);
	}
	json_decref(sectors);
	json_decref(marked);
	if (rc < 0) {
		json_decref(out);
		return cep_error_set(err, rc, NULL, "cannot read coverage");
	}
	*ret = json_pack("{s:s, s:o}", "edition", edition, "sectors", out);
	return *ret ? 0 : CEP_ENOMEM;
}
