/* threats.c - the threat taxonomy of seed 004 (指針 第3版 II.3): the four cause
 * categories (意図的要因, 非意図的要因, 災害や疾病, 他分野の障害からの波及), each
 * with its threat types, as loaded from data/reference/threats.json into the
 * tables threat_categories and threat_types. Readable by every authenticated
 * principal, like the rest of the reference registry. */
#include "registry/internal.h"

#include <string.h>

/* Attach to each category of items (borrowed; changed in place) its "types", taken
 * from types (borrowed: rows with "category" ordered by position). Returns 0 or
 * CEP_ENOMEM (items then partly changed; the caller drops them). */
static int attach_types(json_t *items, const json_t *types)
{
	size_t i, k;
	json_t *cat, *t;

	json_array_foreach(items, i, cat) {
		const char *id = json_string_value(json_object_get(cat, "id"));
		json_t *mine = json_array();

		if (!mine || json_object_set_new(cat, "types", mine) < 0)
			return CEP_ENOMEM;
		json_array_foreach(types, k, t) {
			const char *of = json_string_value(json_object_get(t, "category"));
			json_t *one;

			if (!id || !of || strcmp(id, of) != 0)
				continue;
			one = json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(t, "id"),
					"name_ja", json_object_get(t, "name_ja"), "name_en",
					json_object_get(t, "name_en"), "position",
					json_object_get(t, "position"));
			if (!one || json_array_append_new(mine, one) < 0)
				return CEP_ENOMEM;
		}
	}
	return 0;
}

int reg_threats(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		json_t **ret, struct cep_error *err)
{
	json_t *res = NULL, *types = NULL;
	int rc;

	if (!(policy_scope(p, CEP_ACT_REGISTRY_READ) & CEP_SCOPE_ALL))
		return cep_error_set(err, CEP_EPERM, NULL, "reading the registry is not allowed");
	rc = store_query_page(s, "id, name_ja, name_en, position", "FROM threat_categories",
			      "position, id", NULL, 0, page, &res);
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT id, category_id AS category, name_ja, name_en, position"
				     " FROM threat_types ORDER BY category_id, position, id",
				     NULL, 0, &types);
	if (rc == 0)
		rc = attach_types(json_object_get(res, "items"), types);
	json_decref(types);
	if (rc < 0) {
		json_decref(res);
		return cep_error_set(err, rc, NULL, "cannot read the threat taxonomy");
	}
	*ret = res;
	return 0;
}
