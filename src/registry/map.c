/* map.c - the CEPTOAR characteristic map (セプター特性把握マップ), generated
 * from the registry: one row per CEPTOAR, as in the セプター一覧表 of seed 001. */
#include "registry/internal.h"

#include "base/alloc.h"
#include "base/buf.h"
#include "base/csv.h"

#include <stdio.h>
#include <string.h>

/* The map's columns: JSON key, CSV header (Japanese / English). */
static const struct {
	const char *key;
	const char *header;
} map_cols[] = {
	{ "sector", "sector" },
	{ "sector_name_ja", "重要インフラ分野" },
	{ "sector_name_en", "Sector" },
	{ "scope_ja", "事業の範囲" },
	{ "id", "ceptoar" },
	{ "name_ja", "名称" },
	{ "name_en", "Name" },
	{ "group_ja", "グループ" },
	{ "secretariat_ja", "事務局" },
	{ "secretariat_en", "Secretariat" },
	{ "members_ja", "構成員" },
	{ "member_count_text", "構成員数" },
	{ "member_orgs", "登録構成員数 / registered member orgs" },
	{ "emergency_contact_start", "緊急窓口運用開始 / emergency contact since" },
	{ "handling_rules_date", "情報の取扱いルール制定 / handling rules since" },
	{ "information_ja", "情報" },
	{ "channels_ja", "連絡手段" },
	{ "channels", "channels" },
	{ "council_member", "セプターカウンシル / council member" },
	{ "council_unit", "council unit" },
};

int reg_ceptoar_map(struct store *s, const struct cep_principal *p, json_t **ret,
		    struct cep_error *err)
{
	json_t *rows = NULL, *res;
	int rc;

	if (!(policy_scope(p, CEP_ACT_REGISTRY_READ) & CEP_SCOPE_ALL))
		return cep_error_set(err, CEP_EPERM, NULL, "reading the registry is not allowed");
	rc = store_query_all(
		s,
		"SELECT c.sector_id AS sector, x.name_ja AS sector_name_ja,"
		" x.name_en AS sector_name_en, c.scope_ja, c.scope_en, c.id, c.name_ja, c.name_en,"
		" c.group_ja, c.secretariat_ja, c.secretariat_en, c.members_ja, c.members_en,"
		" c.member_count_text,"
		" (SELECT count(*) FROM org_ceptoars oc WHERE oc.ceptoar_id = c.id) AS member_orgs,"
		" c.emergency_contact_start, c.handling_rules_date, c.information_ja,"
		" c.information_en,"
		" (SELECT group_concat(y.name_ja, '、') FROM (SELECT h.name_ja FROM ceptoar_channels cc"
		"   JOIN channels h ON h.id = cc.channel_id WHERE cc.ceptoar_id = c.id"
		"   ORDER BY cc.position) y) AS channels_ja,"
		" (SELECT group_concat(y.channel_id, ',') FROM (SELECT channel_id FROM"
		"   ceptoar_channels WHERE ceptoar_id = c.id ORDER BY position) y) AS channels,"
		" CASE WHEN c.council_member <> 0 THEN 'true' ELSE 'false' END AS council_member,"
		" c.council_unit"
		" FROM ceptoars c JOIN sectors x ON x.id = c.sector_id"
		" ORDER BY x.position, c.position, c.id",
		NULL, 0, &rows);
	if (rc == 0)
		rc = reg_split_member(rows, "channels");
	if (rc < 0) {
		json_decref(rows);
		return cep_error_set(err, rc, NULL, "cannot build the CEPTOAR map");
	}
	{
		size_t i;
		json_t *r;

		json_array_foreach(rows, i, r)
			json_object_set_new(r, "council_member",
					    json_boolean(!strcmp(json_string_value(json_object_get(
									 r, "council_member")),
								 "true")));
	}
	res = json_pack("{s:o, s:I}", "items", rows, "total", (json_int_t)json_array_size(rows));
	if (!res)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	*ret = res;
	return 0;
}

/* One CSV cell from a JSON value: strings as they are, arrays joined by ';'. */
static int put_cell(struct cep_buf *b, const json_t *v)
{
	char num[32];

	if (json_is_string(v))
		return cep_csv_put_field(b, json_string_value(v));
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		return cep_buf_puts(b, num);
	}
	if (json_is_boolean(v))
		return cep_buf_puts(b, json_is_true(v) ? "true" : "false");
	if (json_is_array(v)) {
		struct cep_buf joined;
		size_t i;
		json_t *e;
		int rc = 0;

		cep_buf_init(&joined, 4096);
		json_array_foreach(v, i, e)
			if (rc == 0)
				rc = cep_buf_printf(&joined, "%s%s", i ? ";" : "",
						    json_string_value(e) ? json_string_value(e) : "");
		if (rc == 0)
			rc = cep_csv_put_field(b, joined.data ? joined.data : "");
		cep_buf_free(&joined);
		return rc;
	}
	return 0; /* null: empty cell */
}

int reg_ceptoar_map_csv(struct store *s, const struct cep_principal *p, char **ret_csv,
			size_t *ret_len, struct cep_error *err)
{
	const size_t ncols = sizeof(map_cols) / sizeof(map_cols[0]);
	struct cep_buf b;
	json_t *map = NULL, *row;
	size_t i;
	int rc = reg_ceptoar_map(s, p, &map, err);

	if (rc < 0)
		return rc;
	cep_buf_init(&b, 16u << 20);
	rc = cep_buf_puts(&b, "\xEF\xBB\xBF"); /* BOM: spreadsheet programs read UTF-8 */
	for (size_t c = 0; c < ncols && rc == 0; c++) {
		rc = cep_csv_put_field(&b, map_cols[c].header);
		if (rc == 0)
			rc = cep_buf_puts(&b, c + 1 < ncols ? "," : "\r\n");
	}
	json_array_foreach(json_object_get(map, "items"), i, row) {
		for (size_t c = 0; c < ncols && rc == 0; c++) {
			rc = put_cell(&b, json_object_get(row, map_cols[c].key));
			if (rc == 0)
				rc = cep_buf_puts(&b, c + 1 < ncols ? "," : "\r\n");
		}
	}
	json_decref(map);
	if (rc < 0) {
		cep_buf_free(&b);
		return cep_error_set(err, rc, NULL, "cannot build the CEPTOAR map CSV");
	}
	*ret_len = b.len;
	*ret_csv = cep_buf_steal(&b);
	if (!*ret_csv)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	return 0;
}
