/* test_audit.c - the audit chain detects edits, deletions in the middle and
 * at the end, and records every change made through the services. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "audit/audit.h"
#include "base/alloc.h"
#include "base/crypto.h"
#include "core/policy.h"
#include "registry/registry.h"
#include "store/sql.h"

#include "fixture.h"

#include <string.h>

static struct store *fresh(void)
{
	return fx_store(NULL);
}

static void append_n(struct store *s, int n)
{
	struct cep_principal console;

	cep_principal_system(&console);
	for (int i = 0; i < n; i++) {
		json_t *d = json_pack("{s:i}", "i", i);

		assert_int_equal(store_begin(s), 0);
		assert_int_equal(audit_append(s, &console, "test.event", "thing", "x", d), 0);
		assert_int_equal(store_commit(s), 0);
		json_decref(d);
	}
}

static int verify(struct store *s, json_t **ret)
{
	struct cep_principal console;

	cep_principal_system(&console);
	return audit_verify(s, &console, ret, NULL);
}

static int64_t first_problem_seq(json_t *res)
{
	return json_integer_value(
		json_object_get(json_array_get(json_object_get(res, "problems"), 0), "seq"));
}

static void test_intact_chain_verifies(void **state)
{
	struct store *s = fresh();
	json_t *res = NULL;

	(void)state;
	append_n(s, 5);
	assert_int_equal(verify(s, &res), 0);
	assert_true(json_is_true(json_object_get(res, "ok")));
	/* reference load + 5 */
	assert_int_equal(json_integer_value(json_object_get(res, "entries")), 6);
	assert_int_equal(strlen(json_string_value(json_object_get(res, "head_hash"))), 64);
	json_decref(res);
	store_close(s);
}

static void test_edited_entry_detected(void **state)
{
	struct store *s = fresh();
	json_t *res = NULL;

	(void)state;
	append_n(s, 5);
	assert_int_equal(store_exec(s, "UPDATE audit SET actor = 'user:mallory' WHERE seq = 3"), 0);
	assert_int_equal(verify(s, &res), CEP_ETAMPER);
	assert_false(json_is_true(json_object_get(res, "ok")));
	assert_int_equal(first_problem_seq(res), 3);
	json_decref(res);
	store_close(s);
}

static void test_rehashed_edit_detected_by_link(void **state)
{
	struct store *s = fresh();
	json_t *res = NULL;

	(void)state;
	append_n(s, 5);
	/* an attacker who recomputes the edited entry's hash still breaks the next
	 * link (the first byte changed always: a hash that began with ff stayed
	 * as it was, and the test failed once in 256 runs) */
	assert_int_equal(store_exec(s, "UPDATE audit SET hash = CASE WHEN substr(hash, 1, 2) = 'ff'"
				       " THEN '00' ELSE 'ff' END || substr(hash, 3) WHERE seq = 2"),
			 0);
	assert_int_equal(verify(s, &res), CEP_ETAMPER);
	assert_int_equal(first_problem_seq(res), 2);
	json_decref(res);
	store_close(s);
}

static void test_deleted_middle_entry_detected(void **state)
{
	struct store *s = fresh();
	json_t *res = NULL;

	(void)state;
	append_n(s, 5);
	assert_int_equal(store_exec(s, "DELETE FROM audit WHERE seq = 4"), 0);
	assert_int_equal(verify(s, &res), CEP_ETAMPER);
	assert_int_equal(first_problem_seq(res), 4);
	json_decref(res);
	store_close(s);
}

static void test_deleted_newest_entry_detected(void **state)
{
	struct store *s = fresh();
	json_t *res = NULL;

	(void)state;
	append_n(s, 5);
	assert_int_equal(store_exec(s, "DELETE FROM audit WHERE seq = 6"), 0);
	assert_int_equal(verify(s, &res), CEP_ETAMPER);
	assert_int_equal(first_problem_seq(res), 6);
	json_decref(res);
	store_close(s);
}

static void test_only_admin_and_auditor_read(void **state)
{
	struct store *s = fresh();
	struct cep_page page = cep_page_default();
	struct cep_principal p;
	json_t *res = NULL;

	(void)state;
	memset(&p, 0, sizeof(p));
	strcpy(p.user_id, "u1");
	strcpy(p.org_id, "nisc");
	for (int r = CEP_ROLE_NONE; r < CEP_ROLE_SYSTEM; r++) {
		int allowed = r == CEP_ROLE_ADMIN || r == CEP_ROLE_AUDITOR;

		p.role = (enum cep_role)r;
		res = NULL;
		assert_int_equal(audit_list(s, &p, NULL, NULL, NULL, &page, &res, NULL),
				 allowed ? 0 : CEP_EPERM);
		assert_int_equal(res != NULL, allowed);
		json_decref(res);
		res = NULL;
		assert_int_equal(audit_verify(s, &p, &res, NULL), allowed ? 0 : CEP_EPERM);
		json_decref(res);
	}
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intact_chain_verifies),
		cmocka_unit_test(test_edited_entry_detected),
		cmocka_unit_test(test_rehashed_edit_detected_by_link),
		cmocka_unit_test(test_deleted_middle_entry_detected),
		cmocka_unit_test(test_deleted_newest_entry_detected),
		cmocka_unit_test(test_only_admin_and_auditor_read),
	};

	cep_alloc_install();
	cep_crypto_init();
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
