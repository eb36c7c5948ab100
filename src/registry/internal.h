/* internal.h - shared by the registry's files; not for other modules. */
#ifndef CEP_REGISTRY_INTERNAL_H
#define CEP_REGISTRY_INTERNAL_H

#include "registry/registry.h"

#include "core/policy.h"
#include "store/sql.h"

/* The facts of one org that policy and handlers need. */
struct reg_org_ref {
	char id[CEP_ID_MAX];
	char kind[16];
	char sector_id[CEP_ID_MAX];
	char ministry_id[CEP_ID_MAX]; /* the ministry overseeing sector_id */
};

/* Find an org by id or code. CEP_ENOTFOUND (err names field) when absent. */
int reg_org_resolve(struct store *s, const char *id_or_code, const char *field,
		    struct reg_org_ref *ret, struct cep_error *err);
/* The policy object for an org. */
void reg_org_object(const struct reg_org_ref *o, struct cep_object *ret);
/* Check that a referenced row exists in table (sectors, ministries, ceptoars,
 * agencies): CEP_ESEMANTIC naming field otherwise. id NULL passes. */
int reg_ref_exists(struct store *s, const char *table, const char *id, const char *field,
		   struct cep_error *err);
/* Report a store failure of a write: EEXIST -> conflict, others as they are. */
int reg_store_error(int rc, const char *what, struct cep_error *err);
/* Wrap the rows of a list query in JSON post-processing: for each item, split
 * the comma-separated string member key into an array (NULL/"" -> []). */
int reg_split_member(json_t *items, const char *key);

#endif
