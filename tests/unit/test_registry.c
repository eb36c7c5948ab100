/* test_registry.c - reference data, the CSV import (all or nothing, errors
 * by line), who sees critical systems, the CEPTOAR map, the threat taxonomy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "registry/registry.h"
#include "store/sql.h"

#include "fixture.h"

#include <stdio.h>
#include <string.h>

static struct cep_principal console;

static struct store *fresh(void)
{
	return fx_store(NULL);
}

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(store_query_int(s, sql, NULL, 0, &n), 0);
	return n;
}

static void test_reference_counts_and_idempotence(void **state)
{
	struct store *s = fresh();
	int inserted = -1;

	(void)state;
	assert_int_equal(count(s, "SELECT count(*) FROM sectors"), 10);
	assert_int_equal(count(s, "SELECT count(*) FROM ministries"), 5);
	assert_int_equal(count(s, "SELECT count(*) FROM ceptoars"), 15);
	assert_int_equal(count(s, "SELECT count(*) FROM orgs WHERE kind = 'nisc'"), 1);
	assert_int_equal(count(s, "SELECT count(*) FROM orgs WHERE kind = 'ministry'"), 5);
	assert_int_equal(count(s, "SELECT count(*) FROM orgs WHERE kind = 'ceptoar'"), 15);
	/* every sector overseen by exactly one existing ministry */
	assert_int_equal(count(s, "SELECT count(*) FROM sectors s JOIN ministries m"
				  " ON m.id = s.ministry_id"), 10);
	assert_int_equal(reg_load_reference(s, &console, &inserted, NULL), 0);
	assert_int_equal(inserted, 0);
	store_close(s);
}

/* n operator rows; row bad_row (1-based data row) gets sector "nosuch". */
static char *operators_csv(int n, int bad_row)
{
	struct cep_buf b;

	cep_buf_init(&b, 1u << 24);
	cep_buf_puts(&b, "code,name_ja,name_en,sector,ceptoars,service_ja,service_level,"
			 "verification_level,system_ja\r\n");
	for (int i = 1; i <= n; i++)
		cep_buf_printf(&b, "OP%05d,事業者%d,Operator %d,%s,%s,決済,\"99.9%%, 24h\",停止1時間,勘定系\r\n",
			       i, i, i, i == bad_row ? "nosuch" : (i % 2 ? "finance" : "electricity"),
			       i % 2 ? "bank-ceptoar;securities-ceptoar" : "electricity-ceptoar");
	return cep_buf_steal(&b);
}

static void test_import_all_or_nothing(void **state)
{
	struct store *s = fresh();
	struct cep_error err;
	json_t *res = NULL;
	char *csv = operators_csv(2000, 1500);
	int64_t before = count(s, "SELECT count(*) FROM orgs");

	(void)state;
	cep_error_init(&err);
	assert_int_equal(reg_import_operators(s, &console, csv, strlen(csv), &res, &err),
			 CEP_ESEMANTIC);
	assert_non_null(strstr(err.message, "line 1501"));
	assert_string_equal(err.field, "sector");
	assert_int_equal(count(s, "SELECT count(*) FROM orgs"), before);
	assert_int_equal(count(s, "SELECT count(*) FROM services"), 0);
	assert_int_equal(count(s, "SELECT count(*) FROM org_ceptoars"), 0);
	cep_free(csv);

	csv = operators_csv(2000, 0);
	assert_int_equal(reg_import_operators(s, &console, csv, strlen(csv), &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "orgs")), 2000);
	assert_int_equal(json_integer_value(json_object_get(res, "systems")), 2000);
	assert_int_equal(count(s, "SELECT count(*) FROM org_ceptoars WHERE ceptoar_id = 'bank-ceptoar'"),
			 1000);
	json_decref(res);

	/* importing the same codes again conflicts, naming the first line */
	cep_error_init(&err);
	assert_int_equal(reg_import_operators(s, &console, csv, strlen(csv), &res, &err), CEP_EEXIST);
	assert_non_null(strstr(err.message, "line 2:"));
	assert_int_equal(count(s, "SELECT count(*) FROM orgs WHERE kind = 'operator'"), 2000);
	cep_free(csv);
	store_close(s);
}

static void test_import_rejects_malformed(void **state)
{
	static const struct {
		const char *csv;
		int code;
		const char *line;
		const char *field;
	} cases[] = {
		{ "", CEP_EINVAL, "", "" },
		{ "code,name_ja\r\nA,x\r\n", CEP_EINVAL, "line 1", "sector" },
		{ "code,name_ja,sector,colour\r\n", CEP_EINVAL, "line 1", "colour" },
		{ "code,name_ja,sector\r\nA,\"unterminated,finance\r\n", CEP_EPARSE, "line 2", "" },
		{ "code,name_ja,sector\r\nA,x,finance\r\nA,y,finance\r\n", CEP_EINVAL, "line 3", "name_ja" },
		{ "code,name_ja,sector\r\nA B,x,finance\r\n", CEP_EINVAL, "line 2", "code" },
		{ "code,name_ja,sector,ceptoars\r\nA,x,finance,nosuch-ceptoar\r\n", CEP_ESEMANTIC, "line 2", "ceptoars" },
		{ "code,name_ja,sector\r\n,x,finance\r\n", CEP_EINVAL, "line 2", "code" },
		{ "code,name_ja,sector\r\nA,x\xff,finance\r\n", CEP_EPARSE, "line 2", "" },
	};
	struct store *s = fresh();

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cep_error err;
		json_t *res = NULL;

		cep_error_init(&err);
		assert_int_equal(reg_import_operators(s, &console, cases[i].csv, strlen(cases[i].csv),
						      &res, &err),
				 cases[i].code);
		assert_null(res);
		assert_non_null(strstr(err.message, cases[i].line));
		assert_string_equal(err.field, cases[i].field);
		assert_int_equal(count(s, "SELECT count(*) FROM orgs WHERE kind = 'operator'"), 0);
	}
	store_close(s);
}

static void principal(struct cep_principal *p, enum cep_role role, const char *org,
		      const char *ministry)
{
	memset(p, 0, sizeof(*p));
	p->role = role;
	strcpy(p->user_id, "u");
	strcpy(p->name, "u");
	strcpy(p->org_id, org);
	strcpy(p->ministry_id, ministry);
}

static void test_systems_visible_only_to_operator_ministry_nisc(void **state)
{
	struct store *s = fresh();
	const char *csv = "code,name_ja,sector,service_ja,system_ja\r\nBANK1,銀行,finance,決済,勘定系\r\n"
			  "BANK2,銀行2,finance,決済,勘定系\r\n";
	json_t *res = NULL, *org = NULL;
	char bank1[64], bank2[64];
	struct {
		enum cep_role role;
		const char *org, *ministry;
		int sees;
	} cases[] = {
		{ CEP_ROLE_OPERATOR, bank1, "", 1 }, { CEP_ROLE_OPERATOR, bank2, "", 0 },
		{ CEP_ROLE_MINISTRY, "fsa", "fsa", 1 }, { CEP_ROLE_MINISTRY, "meti", "meti", 0 },
		{ CEP_ROLE_NISC, "nisc", "", 1 },       { CEP_ROLE_ADMIN, "nisc", "", 0 },
		{ CEP_ROLE_AUDITOR, "nisc", "", 0 },    { CEP_ROLE_CEPTOAR, "bank-ceptoar", "", 0 },
		{ CEP_ROLE_AGENCY, "jpcert-cc", "", 0 },
	};
	struct cep_page page = cep_page_default();

	(void)state;
	assert_int_equal(reg_import_operators(s, &console, csv, strlen(csv), &res, NULL), 0);
	json_decref(res);
	assert_int_equal(reg_org_get(s, &console, "BANK1", &org, NULL), 0);
	snprintf(bank1, sizeof(bank1), "%s", json_string_value(json_object_get(org, "id")));
	json_decref(org);
	assert_int_equal(reg_org_get(s, &console, "BANK2", &org, NULL), 0);
	snprintf(bank2, sizeof(bank2), "%s", json_string_value(json_object_get(org, "id")));
	json_decref(org);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cep_principal p;

		principal(&p, cases[i].role, cases[i].org, cases[i].ministry);
		org = NULL;
		assert_int_equal(reg_org_get(s, &p, "BANK1", &org, NULL), 0);
		assert_int_equal(json_object_get(org, "systems") != NULL, cases[i].sees);
		assert_int_equal(json_array_size(json_object_get(org, "services")), 1);
		json_decref(org);
		res = NULL;
		assert_int_equal(reg_systems(s, &p, "BANK1", &page, &res, NULL),
				 cases[i].sees ? 0 : CEP_EPERM);
		if (cases[i].sees)
			assert_int_equal(json_integer_value(json_object_get(res, "total")), 1);
		json_decref(res);
	}
	store_close(s);
}

static void test_ceptoar_map_csv(void **state)
{
	struct store *s = fresh();
	char *csv = NULL;
	size_t len = 0, lines = 0;

	(void)state;
	assert_int_equal(reg_ceptoar_map_csv(s, &console, &csv, &len, NULL), 0);
	assert_int_equal(memcmp(csv, "\xEF\xBB\xBF", 3), 0);
	for (size_t i = 0; i < len; i++)
		lines += csv[i] == '\n';
	assert_int_equal(lines, 16); /* header + 15 CEPTOARs */
	assert_non_null(strstr(csv, "T-CEPTOAR"));
	assert_non_null(strstr(csv, "物流"));
	cep_free(csv);
	store_close(s);
}

static void test_sector_can_be_added_as_data(void **state)
{
	struct store *s = fresh();
	struct cep_page page = cep_page_default();
	json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "id", "chemical", "name_ja", "化学",
			       "name_en", "Chemicals", "ministry", "meti");
	json_t *res = NULL;
	struct cep_error err;

	(void)state;
	assert_int_equal(reg_sector_add(s, &console, in, &res, NULL), 0);
	json_decref(res);
	assert_int_equal(reg_sectors(s, &console, &page, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 11);
	json_decref(res);
	cep_error_init(&err);
	assert_int_equal(reg_sector_add(s, &console, in, &res, &err), CEP_EEXIST);
	json_object_set_new(in, "id", json_string("x2"));
	json_object_set_new(in, "ministry", json_string("nosuch"));
	cep_error_init(&err);
	assert_int_equal(reg_sector_add(s, &console, in, &res, &err), CEP_ESEMANTIC);
	assert_string_equal(err.field, "ministry");
	json_decref(in);
	store_close(s);
}

/* The seed-004 taxonomy: four categories in seed order, each with its types; every
 * user reads it, role none nothing; out of memory at any point fails cleanly. */
static void test_threat_taxonomy(void **state)
{
	static const char *const ids[] = { "intentional", "unintentional", "disaster-illness",
					   "spillover" };
	struct cep_principal nobody = { .role = CEP_ROLE_NONE };
	struct cep_page page = cep_page_default();
	struct store *s = fresh();
	json_t *res = NULL, *spill;
	int found = 0, done = 0;
	size_t i;
	json_t *t;

	(void)state;
	assert_int_equal(reg_threats(s, &console, &page, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 4);
	for (size_t k = 0; k < 4; k++) {
		json_t *cat = json_array_get(json_object_get(res, "items"), k);

		assert_string_equal(json_string_value(json_object_get(cat, "id")), ids[k]);
		assert_true(json_array_size(json_object_get(cat, "types")) > 0);
	}
	assert_int_equal(json_array_size(json_object_get(json_array_get(json_object_get(res, "items"), 0),
							 "types")),
			 count(s, "SELECT count(*) FROM threat_types WHERE category_id = 'intentional'"));
	spill = json_object_get(json_array_get(json_object_get(res, "items"), 3), "types");
	json_array_foreach(spill, i, t)
		found |= !strcmp(json_string_value(json_object_get(t, "name_ja")), "電力供給の途絶");
	assert_true(found);
	json_decref(res);
	res = NULL;
	assert_int_equal(reg_threats(s, &nobody, &page, &res, NULL), CEP_EPERM);
	assert_null(res);
	for (long n = 0; n < 100000 && !done; n++) {
		int rc;

		cep_alloc_fail_after(n);
		rc = reg_threats(s, &console, &page, &res, NULL);
		cep_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CEP_ENOMEM);
		if (rc == 0) {
			assert_int_equal(json_integer_value(json_object_get(res, "total")), 4);
			json_decref(res);
			res = NULL;
			done = 1;
		} else {
			assert_null(res);
		}
	}
	assert_true(done);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_counts_and_idempotence),
		cmocka_unit_test(test_import_all_or_nothing),
		cmocka_unit_test(test_import_rejects_malformed),
		cmocka_unit_test(test_systems_visible_only_to_operator_ministry_nisc),
		cmocka_unit_test(test_ceptoar_map_csv),
		cmocka_unit_test(test_sector_can_be_added_as_data),
		cmocka_unit_test(test_threat_taxonomy),
	};

	cep_alloc_install();
	cep_crypto_init();
	cep_principal_system(&console);
	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
