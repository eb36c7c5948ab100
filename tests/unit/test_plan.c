/* test_plan.c - plan/: the sample of seed 000, the summary's arithmetic (seed
 * 003's 116 of 133 and its rounding), progress by the owners only, the
 * IT-failure count (exercise reports never count; a ministry its sectors),
 * corrections of a plan (NISC only, all or nothing), and clean failures when
 * memory runs out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "identity/identity.h"
#include "plan/plan.h"
#include "registry/registry.h"
#include "share/share.h"
#include "store/sql.h"

#include "fixture.h"

#include <stdio.h>
#include <string.h>

static struct cep_principal console;

static struct store *fresh(void)
{
	static const char csv[] = "code,name_ja,name_en,sector\r\n"
				  "BANK-A,A銀行,Bank A,finance\r\n"
				  "POWER-C,C電力,Power C,electricity\r\n";
	struct store *s;

	cep_principal_system(&console);
	s = fx_store(csv);
	fx_user(s, "opa", "BANK-A", "operator");
	fx_user(s, "opc", "POWER-C", "operator");
	fx_user(s, "fsa1", "fsa", "ministry");
	fx_user(s, "meti1", "meti", "ministry");
	fx_user(s, "nisc1", "nisc", "nisc");
	return s;
}

/* The id of the measure with code in plan pid. */
static void measure_id(struct store *s, const char *pid, const char *code, char out[64])
{
	json_t *res = NULL, *m;
	size_t i;

	out[0] = '\0';
	assert_int_equal(plan_measures(s, &console, pid, NULL, NULL, &res, NULL), 0);
	json_array_foreach(json_object_get(res, "items"), i, m)
		if (!strcmp(json_string_value(json_object_get(m, "code")), code))
			snprintf(out, 64, "%s", json_string_value(json_object_get(m, "id")));
	json_decref(res);
	assert_true(out[0] != '\0');
}

static void test_sample(void **state)
{
	struct store *s = fresh();
	struct cep_error err;
	json_t *plan = NULL, *again = NULL, *pillars;
	int counts[] = { 4, 6, 1, 1, 1 };

	(void)state;
	assert_int_equal(plan_load_sample(s, &console, "plan-2008", &plan, NULL), 0);
	pillars = json_object_get(plan, "pillars");
	assert_int_equal(json_array_size(pillars), 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(json_integer_value(json_object_get(json_array_get(pillars, i), "measures")),
				 counts[i]);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(plan, "summary"), "measures")),
			 13);
	cep_error_init(&err);
	assert_int_equal(plan_load_sample(s, &console, "plan-2008", &again, &err), CEP_EEXIST);
	assert_null(again);
	assert_int_equal(plan_load_sample(s, &console, "plan-1999", &again, NULL), CEP_ENOTFOUND);
	json_decref(plan);
	store_close(s);
}

/* A plan of n measures owned by NISC, graded by grades[0..n). */
static void graded(struct store *s, int n, const char *const *grades, json_t **ret_summary)
{
	json_t *ms = json_array(), *in, *plan = NULL, *res = NULL, *m, *g;
	char code[16];
	size_t i;

	for (int k = 0; k < n; k++) {
		snprintf(code, sizeof(code), "m%d", k);
		json_array_append_new(ms, json_pack("{s:s,s:s,s:[s]}", "code", code, "title_ja", "施策",
						    "owners", "nisc"));
	}
	in = json_pack("{s:s,s:i,s:s,s:[{s:s,s:s,s:o}]}", "kind", "yearly", "year", 2006, "title_ja",
		       "SJ2006", "pillars", "code", "1", "title_ja", "柱", "measures", ms);
	assert_int_equal(plan_create(s, &console, in, &plan, NULL), 0);
	assert_int_equal(plan_measures(s, &console, json_string_value(json_object_get(plan, "id")),
				       NULL, NULL, &res, NULL),
			 0);
	json_array_foreach(json_object_get(res, "items"), i, m) {
		json_t *out = NULL;

		if (!grades[i])
			continue;
		g = json_pack("{s:s}", "grade", grades[i]);
		assert_int_equal(plan_evaluate(s, &console, json_string_value(json_object_get(plan, "id")),
					       json_string_value(json_object_get(m, "id")), g, &out, NULL),
				 0);
		json_decref(out);
		json_decref(g);
	}
	assert_int_equal(plan_summary(s, &console, json_string_value(json_object_get(plan, "id")),
				      ret_summary, NULL),
			 0);
	json_decref(res);
	json_decref(plan);
	json_decref(in);
}

static void test_summary_of_seed_003(void **state)
{
	static const char *grades[133];
	struct store *s = fresh();
	json_t *sum = NULL, *by;
	int k = 0;

	(void)state;
	for (int i = 0; i < 110; i++)
		grades[k++] = "A";
	for (int i = 0; i < 6; i++)
		grades[k++] = "A-staffing";
	for (int i = 0; i < 4; i++)
		grades[k++] = "B+";
	for (int i = 0; i < 12; i++)
		grades[k++] = "B";
	grades[k++] = "-";
	assert_int_equal(k, 133);
	graded(s, 133, grades, &sum);
	by = json_object_get(sum, "by_grade");
	assert_int_equal(json_integer_value(json_object_get(by, "A")), 110);
	assert_int_equal(json_integer_value(json_object_get(by, "A-staffing")), 6);
	assert_int_equal(json_integer_value(json_object_get(by, "C")), 0);
	assert_int_equal(json_integer_value(json_object_get(sum, "as_planned")), 116);
	assert_int_equal(json_integer_value(json_object_get(sum, "measures")), 133);
	assert_true(json_real_value(json_object_get(sum, "percent")) == 87.2);
	assert_string_equal(json_string_value(json_object_get(sum, "text_en")),
			    "116 of 133 measures, 87.2%, as planned");
	json_decref(sum);
	store_close(s);
}

/* One decimal, rounded half up, over every measure (graded or not). */
static void test_summary_rounding(void **state)
{
	static const char *one_of_eight[8] = { "A" };
	static const char *two_of_three[3] = { "A", "A-staffing", "C" };
	static const char *one_of_six[6] = { "A-staffing" };
	struct store *s = fresh();
	json_t *sum = NULL;

	(void)state;
	graded(s, 8, one_of_eight, &sum);
	assert_true(json_real_value(json_object_get(sum, "percent")) == 12.5);
	assert_int_equal(json_integer_value(json_object_get(sum, "evaluated")), 1);
	json_decref(sum);
	graded(s, 3, two_of_three, &sum);
	assert_true(json_real_value(json_object_get(sum, "percent")) == 66.7);
	json_decref(sum);
	graded(s, 6, one_of_six, &sum);
	assert_true(json_real_value(json_object_get(sum, "percent")) == 16.7);
	json_decref(sum);
	store_close(s);
}

static void test_progress_by_owners(void **state)
{
	struct store *s = fresh();
	struct cep_principal fsa, nisc, op;
	struct cep_error err;
	json_t *plan = NULL, *in = json_pack("{s:i,s:s,s:s}", "year", 2008, "half", "H1", "status",
					     "on-track"),
	       *res = NULL;
	const char *pid;
	char ministries[64], nisc_only[64];

	(void)state;
	fsa = fx_as(s, "fsa1");
	nisc = fx_as(s, "nisc1");
	op = fx_as(s, "opa");
	assert_int_equal(plan_load_sample(s, &console, "plan-2008", &plan, NULL), 0);
	pid = json_string_value(json_object_get(plan, "id"));
	measure_id(s, pid, "①ア)a", ministries);
	measure_id(s, pid, "①ア)b", nisc_only);
	assert_int_equal(plan_progress_add(s, &fsa, pid, ministries, in, &res, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(res, "org")), "fsa");
	json_decref(res);
	res = NULL;
	assert_int_equal(plan_progress_add(s, &fsa, pid, nisc_only, in, &res, NULL), CEP_EPERM);
	assert_int_equal(plan_progress_add(s, &nisc, pid, ministries, in, &res, NULL), CEP_EPERM);
	assert_int_equal(plan_progress_add(s, &op, pid, ministries, in, &res, NULL), CEP_EPERM);
	assert_int_equal(plan_progress_add(s, &nisc, pid, nisc_only, in, &res, NULL), 0);
	json_decref(res);
	res = NULL;
	/* the console names the owner it files for */
	cep_error_init(&err);
	assert_int_equal(plan_progress_add(s, &console, pid, ministries, in, &res, &err), CEP_EINVAL);
	assert_string_equal(err.field, "org");
	assert_null(res);
	/* the operator may read the plan but not the progress */
	assert_int_equal(plan_progress_list(s, &op, pid, ministries, &res, NULL), CEP_EPERM);
	assert_int_equal(plan_progress_list(s, &fsa, pid, ministries, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 1);
	json_decref(res);
	json_decref(in);
	json_decref(plan);
	store_close(s);
}

static void breach(struct store *s, const char *user, const char *occurred, const char *world)
{
	struct cep_principal p = fx_as(s, user);
	json_t *in = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "title", "停止", "tlp", "AMBER", "scope",
			       "ministry", "cause_category", "unintentional", "occurred_at", occurred,
			       "verification_breached", 1),
	       *res = NULL;

	assert_int_equal(share_report_create(s, &p, in, &res, NULL), 0);
	if (world)
		assert_int_equal(store_run(s, "UPDATE reports SET exercise_id = ? WHERE id = ?",
					   (struct store_arg[]){ STORE_TEXT(world),
								 STORE_TEXT(json_string_value(
									 json_object_get(res, "id"))) },
					   2),
				 0);
	json_decref(res);
	json_decref(in);
}

static int64_t total(struct store *s, const struct cep_principal *p, int fiscal)
{
	struct plan_stats_query q = { .fiscal = fiscal };
	json_t *res = NULL;
	int64_t n;

	assert_int_equal(plan_stats_it_failures(s, p, &q, &res, NULL), 0);
	n = json_integer_value(json_object_get(res, "total"));
	json_decref(res);
	return n;
}

static void test_statistics(void **state)
{
	struct store *s = fresh();
	struct cep_principal nisc, fsa, meti, op;
	struct plan_stats_query q = { .fiscal = 1, .year = 2024 };
	json_t *res = NULL;

	(void)state;
	nisc = fx_as(s, "nisc1");
	fsa = fx_as(s, "fsa1");
	meti = fx_as(s, "meti1");
	op = fx_as(s, "opa");
	breach(s, "opa", "2025-03-31T23:00:00+09:00", NULL); /* fiscal 2024 */
	breach(s, "opa", "2025-04-01T00:00:00+09:00", NULL); /* fiscal 2025 */
	breach(s, "opc", "2025-06-01T00:00:00+09:00", NULL);
	breach(s, "opa", "2025-06-01T00:00:00+09:00", "an-exercise"); /* never counted */
	assert_int_equal(total(s, &nisc, 1), 3);
	assert_int_equal(total(s, &fsa, 1), 2);
	assert_int_equal(total(s, &meti, 1), 1);
	assert_int_equal(plan_stats_it_failures(s, &nisc, &q, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 1);
	json_decref(res);
	res = NULL;
	q.fiscal = 0;
	q.year = 2025;
	assert_int_equal(plan_stats_it_failures(s, &nisc, &q, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 3);
	json_decref(res);
	res = NULL;
	assert_int_equal(plan_stats_it_failures(s, &op, &q, &res, NULL), CEP_EPERM);
	snprintf(nisc.exercise_id, sizeof(nisc.exercise_id), "an-exercise");
	assert_int_equal(plan_stats_it_failures(s, &nisc, &q, &res, NULL), CEP_EPERM);
	assert_null(res);
	store_close(s);
}

/* Every allocation of a read failing in turn: the call fails cleanly (no
 * result, a negative code) until it succeeds; LeakSanitizer checks the rest. */
static void test_out_of_memory(void **state)
{
	struct store *s = fresh();
	struct cep_principal nisc = fx_as(s, "nisc1");
	struct plan_stats_query q = { .fiscal = 1 };
	json_t *plan = NULL, *res = NULL;
	const char *pid;
	char *csv = NULL;
	size_t len = 0;
	int rc, n;

	(void)state;
	breach(s, "opa", "2025-06-01T00:00:00+09:00", NULL);
	assert_int_equal(plan_load_sample(s, &console, "plan-2008", &plan, NULL), 0);
	pid = json_string_value(json_object_get(plan, "id"));
	for (int which = 0; which < 4; which++) {
		for (n = 0; n < 100000; n++) {
			cep_alloc_fail_after(n);
			rc = which == 0 ? plan_summary(s, &nisc, pid, &res, NULL) :
			     which == 1 ? plan_measures(s, &nisc, pid, NULL, NULL, &res, NULL) :
			     which == 2 ? plan_stats_it_failures(s, &nisc, &q, &res, NULL) :
					  plan_evaluation_csv(s, &nisc, pid, &csv, &len, NULL);
			cep_alloc_fail_after(-1);
			if (rc == 0)
				break;
			assert_true(rc < 0);
			assert_null(res);
			assert_null(csv);
		}
		assert_int_equal(rc, 0);
		json_decref(res);
		res = NULL;
		cep_free(csv);
		csv = NULL;
	}
	json_decref(plan);
	store_close(s);
}

/* The measure's title_en and owner codes, ";"-joined, in out. */
static void measure_state(struct store *s, const char *pid, const char *mid, char out[256])
{
	json_t *res = NULL, *m, *o;
	size_t i, k;
	int n = 0;

	out[0] = '\0';
	assert_int_equal(plan_measures(s, &console, pid, NULL, NULL, &res, NULL), 0);
	json_array_foreach(json_object_get(res, "items"), i, m) {
		if (strcmp(json_string_value(json_object_get(m, "id")), mid))
			continue;
		n = snprintf(out, 256, "%s|", json_string_value(json_object_get(m, "title_en")));
		json_array_foreach(json_object_get(m, "owners"), k, o)
			n += snprintf(out + n, (size_t)(256 - n), "%s;",
				      json_string_value(json_object_get(o, "code")));
	}
	json_decref(res);
}

/* The codes of plan pid's pillars in their order, into out (256 bytes). */
static void pillar_order(struct store *s, const char *pid, char *out)
{
	json_t *rows = NULL, *r;
	size_t i;
	int n = 0;

	assert_int_equal(store_query_all(s, "SELECT code FROM plan_pillars WHERE plan_id = ?"
					 " ORDER BY position, rowid",
					 (struct store_arg[]){ STORE_TEXT(pid) }, 1, &rows), 0);
	out[0] = '\0';
	json_array_foreach(rows, i, r)
		n += snprintf(out + n, (size_t)(256 - n), "%s;", json_string_value(json_object_get(r, "code")));
	json_decref(rows);
}

static void test_edit(void **state)
{
	struct store *s = fresh();
	struct cep_principal nisc = fx_as(s, "nisc1"), fsa = fx_as(s, "fsa1");
	json_t *plan = NULL, *res = NULL, *in;
	char mid[64], before[256], after[256];
	const char *pid;
	struct cep_error err;
	int rc, n;

	(void)state;
	assert_int_equal(plan_load_sample(s, &console, "plan-2008", &plan, NULL), 0);
	pid = json_string_value(json_object_get(plan, "id"));
	measure_id(s, pid, "①ア)a", mid);
	measure_state(s, pid, mid, before);
	/* a ministry owning the measure may not; an owner that is no ministry changes nothing */
	in = json_pack("{s:s, s:[s]}", "title_en", "Corrected", "owners", "meti");
	assert_int_equal(plan_measure_update(s, &fsa, pid, mid, in, &res, NULL), CEP_EPERM);
	json_decref(in);
	in = json_pack("{s:s, s:[s,s]}", "title_en", "Corrected", "owners", "meti", "BANK-A");
	cep_error_init(&err);
	assert_int_equal(plan_measure_update(s, &nisc, pid, mid, in, &res, &err), CEP_ESEMANTIC);
	assert_string_equal(err.field, "owners");
	json_decref(in);
	assert_null(res);
	measure_state(s, pid, mid, after);
	assert_string_equal(before, after);
	/* every allocation failing in turn: a clean failure, until it succeeds, and
	 * never half a change (the measure as it was, or, when only reading it back
	 * after the commit failed, as it is meant to be) */
	in = json_pack("{s:s, s:[s]}", "title_en", "Corrected", "owners", "meti");
	for (n = 0; n < 100000; n++) {
		cep_alloc_fail_after(n);
		rc = plan_measure_update(s, &nisc, pid, mid, in, &res, NULL);
		cep_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_true(rc < 0);
		assert_null(res);
		measure_state(s, pid, mid, after);
		if (strcmp(before, after))
			assert_string_equal(after, "Corrected|meti;");
	}
	assert_int_equal(rc, 0);
	json_decref(in);
	assert_string_equal(json_string_value(json_object_get(res, "title_en")), "Corrected");
	json_decref(res);
	measure_state(s, pid, mid, after);
	assert_string_equal(after, "Corrected|meti;");
	/* a pillar moved first, every allocation failing in turn: the order as it
	 * was or as it is meant to be, never a half-numbered one */
	pillar_order(s, pid, before);
	in = json_pack("{s:i}", "position", 0);
	res = NULL;
	for (n = 0; n < 100000; n++) {
		cep_alloc_fail_after(n);
		rc = plan_pillar_update(s, &nisc, pid, "③", in, &res, NULL);
		cep_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_null(res);
		pillar_order(s, pid, after);
		if (strcmp(before, after))
			assert_string_equal(after, "③;①;②;④;⑤;");
	}
	assert_int_equal(rc, 0);
	json_decref(in);
	json_decref(res);
	res = NULL;
	assert_string_equal(before, "①;②;③;④;⑤;");
	pillar_order(s, pid, after);
	assert_string_equal(after, "③;①;②;④;⑤;");
	/* a pillar with measures stays; an empty one goes */
	assert_int_equal(plan_pillar_delete(s, &nisc, pid, "①", NULL), CEP_EEXIST);
	in = json_pack("{s:s, s:s}", "code", "⑥", "title_ja", "新しい柱");
	assert_int_equal(plan_pillar_add(s, &nisc, pid, in, &res, NULL), 0);
	json_decref(in);
	json_decref(res);
	assert_int_equal(plan_pillar_delete(s, &nisc, pid, "⑥", NULL), 0);
	assert_int_equal(plan_pillar_delete(s, &nisc, pid, "⑥", NULL), CEP_ENOTFOUND);
	json_decref(plan);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_summary_of_seed_003),
		cmocka_unit_test(test_summary_rounding),
		cmocka_unit_test(test_progress_by_owners),
		cmocka_unit_test(test_statistics),
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
