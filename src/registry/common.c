/* common.c - helpers shared by the registry's files. */
#include "registry/internal.h"

#include "base/json.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>

int reg_org_resolve(struct store *s, const char *id_or_code, const char *field,
		    struct reg_org_ref *ret, struct cep_error *err)
{
	struct store_stmt *st = NULL;
	int rc;

	if (!id_or_code || !*id_or_code || strlen(id_or_code) >= 200)
		return cep_error_set(err, CEP_ENOTFOUND, field, "no such organisation");
	rc = store_prepare(s,
			   "SELECT o.id, o.kind, coalesce(o.sector_id, ''), coalesce(x.ministry_id, '')"
			   " FROM orgs o LEFT JOIN sectors x ON x.id = o.sector_id"
			   " WHERE o.id = ? OR o.code = ? LIMIT 1",
			   &st);
	if (rc < 0)
		return cep_error_set(err, rc, field, "cannot read organisations");
	store_bind_text(st, 1, id_or_code);
	store_bind_text(st, 2, id_or_code);
	rc = store_step(st);
	if (rc == 1) {
		snprintf(ret->id, sizeof(ret->id), "%s", store_col_text(st, 0));
		snprintf(ret->kind, sizeof(ret->kind), "%s", store_col_text(st, 1));
		snprintf(ret->sector_id, sizeof(ret->sector_id), "%s", store_col_text(st, 2));
		snprintf(ret->ministry_id, sizeof(ret->ministry_id), "%s", store_col_text(st, 3));
		rc = 0;
	} else if (rc == 0) {
		rc = cep_error_set(err, CEP_ENOTFOUND, field, "no organisation with id or code %s",
				   id_or_code);
	} else {
		rc = cep_error_set(err, rc, field, "cannot read organisations");
	}
	store_finalize(st);
	return rc;
}

void reg_org_object(const struct reg_org_ref *o, struct cep_object *ret)
{
	memset(ret, 0, sizeof(*ret));
	snprintf(ret->org_id, sizeof(ret->org_id), "%s", o->id);
	snprintf(ret->ministry_id, sizeof(ret->ministry_id), "%s", o->ministry_id);
}

int reg_ref_exists(struct store *s, const char *table, const char *id, const char *field,
		   struct cep_error *err)
{
	char sql[128];
	int64_t n = 0;
	int rc;

	if (!id)
		return 0;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE id = ?", table);
	rc = store_query_int(s, sql, (struct store_arg[]){ STORE_TEXT(id) }, 1, &n);
	if (rc < 0)
		return cep_error_set(err, rc, field, "cannot read %s", table);
	if (n == 0)
		return cep_error_set(err, CEP_ESEMANTIC, field, "unknown %s: %s", field, id);
	return 0;
}


int reg_store_error(int rc, const char *what, struct cep_error *err)
{
	if (rc == CEP_EEXIST)
		return cep_error_set(err, rc, NULL, "%s already exists", what);
	return cep_error_set(err, rc, NULL, "cannot store %s", what);
}

int reg_split_member(json_t *items, const char *key)
{
	size_t i;
	json_t *it;

	json_array_foreach(items, i, it)
		if (cep_json_split(it, key) < 0)
			return CEP_ENOMEM;
	return 0;
}
