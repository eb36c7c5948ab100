/* standards.h - the Guideline for safety standards (「安全基準等」策定にあたっての
 * 指針, seed 004) as versioned editions of items, the sectors' safety-standards
 * documents (安全基準等) mapped to its items, the coverage of each sector's
 * documents against an edition, and the Guideline as an OSCAL catalog.
 *
 * An edition is a tree of items: sections (I, II.1 ...), the four pillars and
 * five priority items of II.6 and their sub-items, each with a stable id
 * ("II.6.1.a.i"), a label as printed ("(ア)"), titles in Japanese and
 * English, the seed's text, and a mark: "must" (要検討事項), "reference"
 * (参考事項) or none. Edition "3" is compiled in (data/reference/
 * guideline-3.json) and loaded by `ceptoar init`; later editions are imported.
 *
 * Every function takes the acting principal and asks core/policy: every user
 * reads the Guideline and the public documents (GUIDELINE_READ); NISC loads
 * editions (GUIDELINE_WRITE); a sector's documents are kept, and its
 * non-public ones read, by the sector's ministry and NISC (STANDARDS_WRITE).
 * JSON results belong to the caller (json_decref); inputs are borrowed. */
#ifndef CEP_STANDARDS_STANDARDS_H
#define CEP_STANDARDS_STANDARDS_H

#include "base/err.h"
#include "core/page.h"
#include "core/principal.h"
#include "store/store.h"

#include <jansson.h>

/* Caps on what a client controls. */
#define STD_EDITION_MAX 32     /* characters of an edition name: [A-Za-z0-9._-] */
#define STD_ID_MAX 64          /* characters of an item id: a letter, then [A-Za-z0-9._-] */
#define STD_TITLE_MAX 400      /* characters */
#define STD_TEXT_MAX 20000     /* characters of an item's text */
#define STD_ITEMS_MAX 2000     /* items of an edition */
#define STD_DOC_ITEMS_MAX 500  /* items one document maps */
#define STD_REASON_MAX 2000    /* characters of a reason for not publishing */

/* The namespace of ceptoar's own OSCAL properties (mark, item id, kind, English title). */
#define STD_OSCAL_NS "urn:ceptoar:guideline"
#define STD_OSCAL_VERSION "1.1.2"

/* ---- the Guideline ---- */

/* Load the compiled-in edition "3" if missing (the console, at init).
 * *ret_inserted (may be NULL) counts the items added (0 when present). */
int std_load_builtin(struct store *s, const struct cep_principal *p, int *ret_inserted,
		     struct cep_error *err);
/* The editions, oldest first: {"items": [{"edition", "uuid", "title_ja",
 * "title_en", "published", "last_modified", "builtin", "items", "must",
 * "reference"}], "total"}. */
int std_editions(struct store *s, const struct cep_principal *p, json_t **ret,
		 struct cep_error *err);
/* One edition with its items in document order (flat; each names its
 * parent): {"edition", ..., "counts": {"items","must","reference","pillars",
 * "priorities"}, "items": [{"id", "parent", "kind", "label", "title_ja",
 * "title_en", "text_ja", "mark", "position"}]}. mark and kind (may be NULL)
 * filter the items. CEP_ENOTFOUND for an unknown edition. */
int std_edition_get(struct store *s, const struct cep_principal *p, const char *edition,
		    const char *mark, const char *kind, json_t **ret, struct cep_error *err);
/* One item of an edition, with "children" (their ids). */
int std_item_get(struct store *s, const struct cep_principal *p, const char *edition,
		 const char *id, json_t **ret, struct cep_error *err);
/* Load a new edition (NISC) from in: the catalog form {"edition", "title_ja",
 * "title_en", "published", "uuid", "last_modified", "items": [{"id",
 * "parent", "kind": "section"|"pillar"|"priority"|"item", "label",
 * "title_ja", "title_en", "text_ja", "mark": "must"|"reference"|null}]}
 * (parents before their children), or an OSCAL catalog {"catalog": {...}}
 * (std_oscal_parse). Validation names the member at fault as a path
 * ("items[3].mark", "catalog.groups[1].controls[0].id"); all or nothing.
 * CEP_EEXIST when the edition exists. *ret as std_edition_get, without items. */
int std_edition_import(struct store *s, const struct cep_principal *p, const json_t *in,
		       json_t **ret, struct cep_error *err);
/* Delete an imported edition (NISC); the built-in one is CEP_ESEMANTIC. */
int std_edition_delete(struct store *s, const struct cep_principal *p, const char *edition,
		       struct cep_error *err);
/* What changed from edition from to edition to: {"from", "to", "added":
 * [item], "removed": [item], "changed": [{"id", "fields": ["title_ja",
 * "text_ja", "mark", ...], "from": item, "to": item}], "counts": {"added",
 * "removed", "changed", "unchanged"}}. Items are matched by id. */
int std_diff(struct store *s, const struct cep_principal *p, const char *from, const char *to,
	     json_t **ret, struct cep_error *err);

/* ---- OSCAL ---- */

/* The edition as an OSCAL catalog (JSON): {"catalog": {"uuid", "metadata":
 * {"title", "version", "last-modified", "oscal-version", "props"}, "groups":
 * [...]}}. Items with a mark, or of kind "item", are controls (their text the
 * "statement" part); the others are groups (their text an "overview" part).
 * Ids are OSCAL tokens (lower case, '.' as '-'); the item id, kind, mark and
 * English title travel as props in STD_OSCAL_NS, the label as "label". */
int std_oscal_export(struct store *s, const struct cep_principal *p, const char *edition,
		     json_t **ret, struct cep_error *err);
/* Turn an OSCAL catalog into the catalog form of std_edition_import (*ret,
 * caller owns). Pure. CEP_EINVAL naming the JSON path at fault. */
int std_oscal_parse(const json_t *in, json_t **ret, struct cep_error *err);

/* ---- the sectors' safety-standards documents (安全基準等) ---- */

/* A document: {"sector", "kind": "mandatory" (強制基準) | "recommended"
 * (推奨基準・ガイドライン) | "industry" (業界標準・ガイドライン) | "internal" (内規),
 * "title_ja", "title_en", "owner" (who issues it), "public": bool,
 * "reason" (why not public: required when public is false), "version",
 * "url", "items": [item id | {"item", "public": bool, "reason"}]} (the
 * Guideline items it provides for; an item kept out of the public version
 * needs its reason too). Created and changed by the sector's ministry and
 * NISC. Everyone reads public documents with their public items; the
 * sector's ministry and NISC read all. */
int std_documents(struct store *s, const struct cep_principal *p, const char *sector,
		  const char *kind, const struct cep_page *page, json_t **ret,
		  struct cep_error *err);
int std_document_get(struct store *s, const struct cep_principal *p, const char *id,
		     json_t **ret, struct cep_error *err);
int std_document_create(struct store *s, const struct cep_principal *p, const json_t *in,
			json_t **ret, struct cep_error *err);
/* Members given replace the stored ones ("items" replaces the mapping). */
int std_document_update(struct store *s, const struct cep_principal *p, const char *id,
			const json_t *in, json_t **ret, struct cep_error *err);
int std_document_delete(struct store *s, const struct cep_principal *p, const char *id,
			struct cep_error *err);
/* The coverage matrix of a sector's documents (those p may read) against
 * edition's marked items (default "3"): {"sector", "edition", "documents":
 * [{"id","kind","title_ja","title_en","public"}], "items": [{"id", "label",
 * "title_ja", "title_en", "mark", "pillar", "documents": [ids]}],
 * "must_total", "must_covered", "reference_total", "reference_covered",
 * "uncovered_must": [item ids]}. Without sector: one row per sector with
 * its counts, {"edition", "sectors": [{"sector", "name_ja", "name_en",
 * "documents", "must_total", "must_covered", "uncovered_must"}]}. */
int std_coverage(struct store *s, const struct cep_principal *p, const char *sector,
		 const char *edition, json_t **ret, struct cep_error *err);

/* The marked items of an edition, for questionnaires: [{"id", "label",
 * "title_ja", "title_en", "text_ja", "mark", "pillar" (the id of the pillar
 * or priority item above, or its own)}] in document order (*ret). */
int std_marked_items(struct store *s, const struct cep_principal *p, const char *edition,
		     json_t **ret, struct cep_error *err);

#endif
