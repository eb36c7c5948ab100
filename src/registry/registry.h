/* registry.h - the framework registry: sectors, ministries, CEPTOARs,
 * channels, related agencies, the threat taxonomy (seed 004), organisations
 * with their critical services (重要インフラサービス) and critical systems
 * (重要システム), the CSV import of operators, and the CEPTOAR characteristic
 * map (特性把握マップ).
 *
 * Every function takes the acting principal and asks core/policy; lists are
 * filtered in the query. Lists return {"items": [...], "total": n, "limit": l,
 * "offset": o}. Every change is audited in the same transaction.
 * JSON results belong to the caller (json_decref). */
#ifndef CEP_REGISTRY_REGISTRY_H
#define CEP_REGISTRY_REGISTRY_H

#include "base/err.h"
#include "core/page.h"
#include "core/principal.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>

/* Caps on what a client controls. */
#define REG_NAME_MAX 200          /* characters */
#define REG_TEXT_MAX 4000         /* characters, descriptions and levels */
#define REG_IMPORT_MAX_BYTES (32u << 20)
#define REG_IMPORT_MAX_ROWS 100000

/* Load the reference data compiled into the binary (the JSON files of data/reference)
 * plus the organisations it implies (NISC, each ministry, each CEPTOAR
 * secretariat, each agency). Only what is missing is inserted, so a second
 * run changes nothing. *ret_inserted (may be NULL) counts inserted rows. */
int reg_load_reference(struct store *s, const struct cep_principal *p, int *ret_inserted,
		       struct cep_error *err);

/* Reference lists. Filters may be NULL. */
int reg_sectors(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		json_t **ret, struct cep_error *err);
int reg_sector_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		   struct cep_error *err);
int reg_ministries(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		   json_t **ret, struct cep_error *err);
int reg_ministry_get(struct store *s, const struct cep_principal *p, const char *id,
		     json_t **ret, struct cep_error *err);
/* sector filters by sector id. */
int reg_ceptoars(struct store *s, const struct cep_principal *p, const char *sector,
		 const struct cep_page *page, json_t **ret, struct cep_error *err);
int reg_ceptoar_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		    struct cep_error *err);
int reg_agencies(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		 json_t **ret, struct cep_error *err);
int reg_channels(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		 json_t **ret, struct cep_error *err);
/* The threat taxonomy of seed 004 (II.3, 「安全基準等」の対象とする脅威): the cause
 * categories in seed order (intentional, unintentional, disaster-illness,
 * spillover), each {"id", "name_ja", "name_en", "position", "types": [{"id",
 * "name_ja", "name_en", "position"}]} — the ids a report's cause_category and
 * threat_types take. A page of categories (each with all its types). Every
 * authenticated principal may read it (CEP_ACT_REGISTRY_READ); *ret is the
 * caller's. */
int reg_threats(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		json_t **ret, struct cep_error *err);

/* Add a sector as data: {"id","name_ja","name_en","ministry"}. */
int reg_sector_add(struct store *s, const struct cep_principal *p, const json_t *in, json_t **ret,
		   struct cep_error *err);

/* Organisations. Filters (may be NULL): kind, sector, ceptoar, q (substring
 * of either name or code). */
struct reg_org_filter {
	const char *kind, *sector, *ceptoar, *q;
};
int reg_orgs(struct store *s, const struct cep_principal *p, const struct reg_org_filter *f,
	     const struct cep_page *page, json_t **ret, struct cep_error *err);
/* One org by id or code, with its CEPTOARs and services; its systems are
 * included only when policy allows CEP_ACT_SYSTEMS_READ. */
int reg_org_get(struct store *s, const struct cep_principal *p, const char *id_or_code,
		json_t **ret, struct cep_error *err);
/* Create: {"kind","name_ja","name_en"?,"code"?,"sector"?,"ministry"?,"ceptoar"?,
 * "agency"?,"region"?,"ceptoars"?:[ids]}. Operators need a sector. */
int reg_org_create(struct store *s, const struct cep_principal *p, const json_t *in, json_t **ret,
		   struct cep_error *err);
/* Update name_ja, name_en, code, region, sector, ceptoars. */
int reg_org_update(struct store *s, const struct cep_principal *p, const char *id_or_code,
		   const json_t *in, json_t **ret, struct cep_error *err);
/* Delete an org with no users (CEP_EEXIST otherwise). */
int reg_org_delete(struct store *s, const struct cep_principal *p, const char *id_or_code,
		   struct cep_error *err);

/* Critical services and systems of an org. */
int reg_service_add(struct store *s, const struct cep_principal *p, const char *org,
		    const json_t *in, json_t **ret, struct cep_error *err);
int reg_service_delete(struct store *s, const struct cep_principal *p, const char *org,
		       const char *service_id, struct cep_error *err);
int reg_systems(struct store *s, const struct cep_principal *p, const char *org,
		const struct cep_page *page, json_t **ret, struct cep_error *err);
int reg_system_add(struct store *s, const struct cep_principal *p, const char *org,
		   const json_t *in, json_t **ret, struct cep_error *err);
int reg_system_delete(struct store *s, const struct cep_principal *p, const char *org,
		      const char *system_id, struct cep_error *err);

/* Import operators from CSV (see docs/api.md for the columns). All or
 * nothing: on any bad row nothing is imported and err names the line
 * ("line N: ...") and the column in err->field. *ret = {"orgs": n,
 * "services": n, "systems": n, "rows": n}. */
int reg_import_operators(struct store *s, const struct cep_principal *p, const char *csv,
			 size_t len, json_t **ret, struct cep_error *err);

/* The CEPTOAR characteristic map: one row per CEPTOAR with its sector,
 * scope, secretariat, members, registered member orgs, contact start,
 * rules date, information and channels, council membership. */
int reg_ceptoar_map(struct store *s, const struct cep_principal *p, json_t **ret,
		    struct cep_error *err);
/* The same as CSV (UTF-8 with BOM, CRLF, header row). *ret_csv owned by caller (cep_free). */
int reg_ceptoar_map_csv(struct store *s, const struct cep_principal *p, char **ret_csv,
			size_t *ret_len, struct cep_error *err);

#endif
