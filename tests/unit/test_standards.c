/* test_standards.c - the Guideline's compiled-in 3rd edition (structure and
 * marks of seed 004, loading twice changes nothing), its OSCAL form read
 * back into the same items, OSCAL parsing under allocation failures, and the
 * survey threshold's setting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/crypto.h"
#include "registry/registry.h"
#include "standards/standards.h"
#include "store/sql.h"
#include "survey/survey.h"

#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct cep_principal console;

static struct store *fresh(void)
{
	struct store *s = fx_store(NULL);
	int n = -1;

	assert_int_equal(std_load_builtin(s, &console, &n, NULL), 0);
	assert_int_equal(n, 53);
	return s;
}

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(store_query_int(s, sql, NULL, 0, &n), 0);
	return n;
}

static void test_third_edition(void **state)
{
	struct store *s = fresh();
	json_t *ed = NULL, *it;
	int n = -1;
	size_t i;

	(void)state;
	assert_int_equal(count(s, "SELECT count(*) FROM guideline_items WHERE mark = 'must'"), 22);
	assert_int_equal(count(s, "SELECT count(*) FROM guideline_items WHERE mark = 'reference'"), 2);
	assert_int_equal(count(s, "SELECT count(*) FROM guideline_items WHERE kind = 'pillar'"), 4);
	assert_int_equal(count(s, "SELECT count(*) FROM guideline_items WHERE kind = 'priority'"), 5);
	/* every item but the three parts has a parent that exists */
	assert_int_equal(count(s, "SELECT count(*) FROM guideline_items i WHERE parent IS NOT NULL AND"
				  " NOT EXISTS (SELECT 1 FROM guideline_items p WHERE p.id = i.parent)"), 0);
	assert_int_equal(count(s, "SELECT count(*) FROM guideline_items WHERE parent IS NULL"), 3);
	/* a second load changes nothing */
	assert_int_equal(std_load_builtin(s, &console, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(std_edition_get(s, &console, "3", "any", NULL, &ed, NULL), 0);
	json_array_foreach(json_object_get(ed, "items"), i, it)
		assert_true(strncmp(json_string_value(json_object_get(it, "id")), "II.6.", 5) == 0);
	assert_int_equal(json_array_size(json_object_get(ed, "items")), 24);
	json_decref(ed);
	store_close(s);
}

/* OSCAL export, read back: the same items (id, parent, kind, label, titles, text, mark). */
static void test_oscal_reads_back(void **state)
{
	static const char *const keys[] = { "id", "parent", "kind", "label", "title_ja", "title_en",
					    "text_ja", "mark", NULL };
	struct store *s = fresh();
	json_t *doc = NULL, *cat = NULL, *ed = NULL, *a, *b;
	size_t i;

	(void)state;
	assert_int_equal(std_oscal_export(s, &console, "3", &doc, NULL), 0);
	assert_int_equal(std_oscal_parse(doc, &cat, NULL), 0);
	assert_int_equal(std_edition_get(s, &console, "3", NULL, NULL, &ed, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(cat, "edition")), "3");
	assert_int_equal(json_array_size(json_object_get(cat, "items")),
			 json_array_size(json_object_get(ed, "items")));
	json_array_foreach(json_object_get(ed, "items"), i, a) {
		b = json_array_get(json_object_get(cat, "items"), i);
		for (const char *const *k = keys; *k; k++)
			if (!json_equal(json_object_get(a, *k), json_object_get(b, *k)))
				fail_msg("item %zu (%s): %s differs", i,
					 json_string_value(json_object_get(a, "id")), *k);
	}
	json_decref(doc);
	json_decref(cat);
	json_decref(ed);
	store_close(s);
}

/* Every allocation of the parse failing in turn: CEP_ENOMEM and nothing
 * leaked (LeakSanitizer in make san), until it succeeds whole. */
static void test_oscal_parse_allocation_failures(void **state)
{
	struct store *s = fresh();
	json_t *doc = NULL, *full = NULL;
	int rc = -1;

	(void)state;
	assert_int_equal(std_oscal_export(s, &console, "3", &doc, NULL), 0);
	assert_int_equal(std_oscal_parse(doc, &full, NULL), 0);
	for (long n = 0; rc != 0; n++) {
		json_t *cat = NULL;

		cep_alloc_fail_after(n);
		rc = std_oscal_parse(doc, &cat, NULL);
		cep_alloc_fail_after(-1);
		if (rc == 0) {
			assert_true(json_equal(cat, full));
			json_decref(cat);
		} else {
			assert_int_equal(rc, CEP_ENOMEM);
		}
		assert_true(n < 100000);
	}
	json_decref(full);
	json_decref(doc);
	store_close(s);
}

static void test_bad_oscal_names_the_path(void **state)
{
	json_t *doc = json_loads("{\"catalog\": {\"uuid\": \"u\", \"metadata\": {\"title\": \"t\","
				 " \"version\": \"x\", \"last-modified\": \"2020-01-01T00:00:00Z\","
				 " \"oscal-version\": \"1.1.2\"}, \"groups\": [{\"id\": \"g\","
				 " \"title\": \"G\", \"controls\": [{\"title\": \"no id\"}]}]}}",
				 0, NULL);
	struct cep_error err;
	json_t *cat = NULL;

	(void)state;
	cep_error_init(&err);
	assert_int_equal(std_oscal_parse(doc, &cat, &err), CEP_EINVAL);
	assert_string_equal(err.field, "catalog.groups[0].controls[0].id");
	assert_null(cat);
	json_decref(doc);
}

static void test_survey_threshold_setting(void **state)
{
	(void)state;
	unsetenv(SURVEY_MIN_ENV);
	assert_int_equal(survey_min_default(), 3);
	setenv(SURVEY_MIN_ENV, "5", 1);
	assert_int_equal(survey_min_default(), 5);
	setenv(SURVEY_MIN_ENV, "1", 1); /* one respondent is always exposed */
	assert_int_equal(survey_min_default(), 3);
	setenv(SURVEY_MIN_ENV, "many", 1);
	assert_int_equal(survey_min_default(), 3);
	unsetenv(SURVEY_MIN_ENV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_third_edition),
		cmocka_unit_test(test_oscal_reads_back),
		cmocka_unit_test(test_oscal_parse_allocation_failures),
		cmocka_unit_test(test_bad_oscal_names_the_path),
		cmocka_unit_test(test_survey_threshold_setting),
	};

	cep_alloc_install();
	cep_crypto_init();
	cep_principal_system(&console);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
