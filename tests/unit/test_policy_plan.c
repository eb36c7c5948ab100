/* test_policy_plan.c - core/policy: the actions of the action plan's PDCA and
 * of the IT-failure statistics, every role against every relationship, with
 * the expected answer written out; their names; the list clauses of the
 * statistics; and the statistics refused inside an exercise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/err.h"
#include "core/policy.h"
#include "core/principal.h"

#include <stdio.h>
#include <string.h>

/* The object's relationship to the principal (user u-self of org org-self,
 * ministry meti whatever its role). For PLAN_PROGRESS the object's org is the
 * principal's org exactly when the org owns the measure. */
enum rel { OWN, OTHER, MIN_SECTOR, NO_OBJECT, REL__COUNT };

static const struct cep_object objects[NO_OBJECT] = {
	[OWN] = { .org_id = "org-self", .ministry_id = "mlit" },
	[OTHER] = { .org_id = "org-other", .ministry_id = "mlit" },
	[MIN_SECTOR] = { .org_id = "org-other", .ministry_id = "meti" },
};

#define Y 1
#define N 0
/* The actions of this table, in its columns' order (named one by one, so
 * that actions appended to the enum by other services change nothing here). */
static const enum cep_action actions[] = {
	CEP_ACT_PLAN_READ,     CEP_ACT_PLAN_WRITE,    CEP_ACT_PLAN_PROGRESS,
	CEP_ACT_PLAN_TRACK,    CEP_ACT_PLAN_EVALUATE, CEP_ACT_STATS_READ,
};
#define NPLAN ((int)(sizeof(actions) / sizeof(actions[0])))

/* For each role: per action (read, write, progress, track, evaluate, stats),
 * the answer for an object that is the principal's own, another org's, of a
 * sector its ministry oversees, and no object. */
/* clang-format off */
static const struct {
	enum cep_role role;
	int allow[NPLAN][REL__COUNT];
} table[] = {
	/*                   read          write         progress      track         evaluate      stats      */
	{ CEP_ROLE_NONE,     { {N,N,N,N}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N} } },
	{ CEP_ROLE_ADMIN,    { {Y,Y,Y,Y}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N} } },
	{ CEP_ROLE_NISC,     { {Y,Y,Y,Y}, {Y,Y,Y,Y}, {Y,N,N,N}, {Y,Y,Y,Y}, {Y,Y,Y,Y}, {Y,Y,Y,Y} } },
	{ CEP_ROLE_MINISTRY, { {Y,Y,Y,Y}, {N,N,N,N}, {Y,N,N,N}, {Y,Y,Y,Y}, {N,N,N,N}, {N,N,Y,N} } },
	{ CEP_ROLE_CEPTOAR,  { {Y,Y,Y,Y}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N} } },
	{ CEP_ROLE_OPERATOR, { {Y,Y,Y,Y}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N} } },
	{ CEP_ROLE_AGENCY,   { {Y,Y,Y,Y}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N} } },
	{ CEP_ROLE_AUDITOR,  { {Y,Y,Y,Y}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N}, {N,N,N,N} } },
	{ CEP_ROLE_SYSTEM,   { {Y,Y,Y,Y}, {Y,Y,Y,Y}, {Y,Y,Y,Y}, {Y,Y,Y,Y}, {Y,Y,Y,Y}, {Y,Y,Y,Y} } },
};
/* clang-format on */

static void principal(enum cep_role role, struct cep_principal *p)
{
	memset(p, 0, sizeof(*p));
	p->role = role;
	strcpy(p->user_id, "u-self");
	strcpy(p->org_id, "org-self");
	strcpy(p->ministry_id, "meti");
}

static void test_table(void **state)
{
	struct cep_principal p;
	int failures = 0;

	(void)state;
	assert_int_equal(sizeof(table) / sizeof(table[0]), CEP_ROLE__COUNT);
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		principal(table[i].role, &p);
		for (int a = 0; a < NPLAN; a++)
			for (int r = 0; r < REL__COUNT; r++) {
				int got = policy_check(&p, actions[a],
						       r == NO_OBJECT ? NULL : &objects[r]) == 0;

				if (got != table[i].allow[a][r]) {
					print_error("%s %s rel %d: got %d\n", cep_role_name(table[i].role),
						    policy_action_name(actions[a]), r,
						    got);
					failures++;
				}
			}
	}
	assert_int_equal(failures, 0);
}

static void test_names(void **state)
{
	static const char *const want[NPLAN] = { "plan.read",     "plan.write",    "plan.progress",
						 "plan.track",    "plan.evaluate", "stats.read" };

	(void)state;
	for (int a = 0; a < NPLAN; a++)
		assert_string_equal(policy_action_name(actions[a]), want[a]);
	/* every action of the enum has a name */
	for (int a = 0; a < CEP_ACT__COUNT; a++)
		assert_string_not_equal(policy_action_name((enum cep_action)a), "unknown");
}

/* The statistics are counted in the query from the clauses: NISC one
 * unbounded clause, a ministry its ministry, everyone else nothing; a
 * ministry without a ministry gets nothing either. */
static void test_stats_clauses(void **state)
{
	struct policy_clause c[POLICY_CLAUSES_MAX];
	struct cep_principal p;

	(void)state;
	principal(CEP_ROLE_NISC, &p);
	assert_int_equal(policy_clauses(&p, CEP_ACT_STATS_READ, c), 1);
	assert_int_equal(c[0].rel, CEP_REL_ANY);
	assert_int_equal(policy_scope(&p, CEP_ACT_STATS_READ), CEP_SCOPE_ALL);
	principal(CEP_ROLE_MINISTRY, &p);
	assert_int_equal(policy_clauses(&p, CEP_ACT_STATS_READ, c), 1);
	assert_int_equal(c[0].rel, CEP_REL_MINISTRY);
	assert_int_equal(policy_scope(&p, CEP_ACT_STATS_READ), CEP_SCOPE_MINISTRY);
	p.ministry_id[0] = '\0';
	assert_int_equal(policy_clauses(&p, CEP_ACT_STATS_READ, c), 0);
	for (int r = CEP_ROLE_CEPTOAR; r <= CEP_ROLE_AUDITOR; r++) {
		principal((enum cep_role)r, &p);
		assert_int_equal(policy_clauses(&p, CEP_ACT_STATS_READ, c), 0);
	}
	principal(CEP_ROLE_ADMIN, &p);
	assert_int_equal(policy_clauses(&p, CEP_ACT_STATS_READ, c), 0);
}

/* Statistics are of the real world: inside an exercise even NISC and the
 * console are refused; plans are not of any world. */
static void test_stats_not_in_exercise(void **state)
{
	struct cep_principal p;

	(void)state;
	principal(CEP_ROLE_NISC, &p);
	strcpy(p.exercise_id, "ex-1");
	assert_int_equal(policy_check(&p, CEP_ACT_STATS_READ, NULL), CEP_EPERM);
	assert_int_equal(policy_check(&p, CEP_ACT_PLAN_READ, NULL), 0);
	p.role = CEP_ROLE_SYSTEM;
	assert_int_equal(policy_check(&p, CEP_ACT_STATS_READ, NULL), CEP_EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_stats_clauses),
		cmocka_unit_test(test_stats_not_in_exercise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
