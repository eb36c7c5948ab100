/* test_policy_standards.c - the rules of core/policy for the Guideline, the
 * sectors' safety standards and the penetration survey, as a table: every
 * role against each action, with the object in each relationship (the
 * principal's own org, its ministry's sector, a respondent of the survey,
 * none of these). Also the names of the actions, and that the list readings
 * (policy_scope) agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/err.h"
#include "core/policy.h"

#include <stdio.h>
#include <string.h>

enum rel { OWN, MINISTRY, RESPONDENT, STRANGER, REL__COUNT };
static const char *const rel_names[] = { "own org", "its ministry's sector", "respondent",
					 "stranger" };

/* The object: a survey or document of the finance sector (overseen by fsa),
 * or the answers of an org. */
static void object(struct cep_object *o, enum rel rel)
{
	memset(o, 0, sizeof(*o));
	strcpy(o->org_id, rel == OWN ? "org-self" : "org-other");
	strcpy(o->ministry_id, rel == MINISTRY ? "fsa" : "meti");
	o->recipient = rel == RESPONDENT;
}

static void principal(struct cep_principal *p, enum cep_role role)
{
	memset(p, 0, sizeof(*p));
	p->role = role;
	strcpy(p->user_id, "u-self");
	strcpy(p->org_id, "org-self");
	if (role == CEP_ROLE_MINISTRY)
		strcpy(p->ministry_id, "fsa");
}

#define Y 1
#define N 0
struct expect {
	enum cep_action action;
	enum cep_role role;
	int allow[REL__COUNT]; /* own, ministry, respondent, stranger */
};

/* clang-format off */
static const struct expect table[] = {
	{ CEP_ACT_GUIDELINE_READ, CEP_ROLE_ADMIN,    { Y, Y, Y, Y } },
	{ CEP_ACT_GUIDELINE_READ, CEP_ROLE_NISC,     { Y, Y, Y, Y } },
	{ CEP_ACT_GUIDELINE_READ, CEP_ROLE_MINISTRY, { Y, Y, Y, Y } },
	{ CEP_ACT_GUIDELINE_READ, CEP_ROLE_CEPTOAR,  { Y, Y, Y, Y } },
	{ CEP_ACT_GUIDELINE_READ, CEP_ROLE_OPERATOR, { Y, Y, Y, Y } },
	{ CEP_ACT_GUIDELINE_READ, CEP_ROLE_AGENCY,   { Y, Y, Y, Y } },
	{ CEP_ACT_GUIDELINE_READ, CEP_ROLE_AUDITOR,  { Y, Y, Y, Y } },
	{ CEP_ACT_GUIDELINE_READ, CEP_ROLE_NONE,     { N, N, N, N } },
	{ CEP_ACT_GUIDELINE_WRITE, CEP_ROLE_NISC,    { Y, Y, Y, Y } },
	{ CEP_ACT_GUIDELINE_WRITE, CEP_ROLE_ADMIN,   { N, N, N, N } },
	{ CEP_ACT_GUIDELINE_WRITE, CEP_ROLE_MINISTRY, { N, N, N, N } },
	{ CEP_ACT_GUIDELINE_WRITE, CEP_ROLE_OPERATOR, { N, N, N, N } },
	{ CEP_ACT_STANDARDS_WRITE, CEP_ROLE_NISC,    { Y, Y, Y, Y } },
	{ CEP_ACT_STANDARDS_WRITE, CEP_ROLE_MINISTRY, { N, Y, N, N } },
	{ CEP_ACT_STANDARDS_WRITE, CEP_ROLE_CEPTOAR, { N, N, N, N } },
	{ CEP_ACT_STANDARDS_WRITE, CEP_ROLE_OPERATOR, { N, N, N, N } },
	{ CEP_ACT_STANDARDS_WRITE, CEP_ROLE_ADMIN,   { N, N, N, N } },
	{ CEP_ACT_SURVEY_MANAGE, CEP_ROLE_NISC,      { Y, Y, Y, Y } },
	{ CEP_ACT_SURVEY_MANAGE, CEP_ROLE_MINISTRY,  { N, Y, N, N } },
	{ CEP_ACT_SURVEY_MANAGE, CEP_ROLE_OPERATOR,  { N, N, N, N } },
	{ CEP_ACT_SURVEY_MANAGE, CEP_ROLE_CEPTOAR,   { N, N, N, N } },
	{ CEP_ACT_SURVEY_MANAGE, CEP_ROLE_ADMIN,     { N, N, N, N } },
	/* answers: the operator's own org only; nobody else, not NISC */
	{ CEP_ACT_SURVEY_ANSWER, CEP_ROLE_OPERATOR,  { Y, N, N, N } },
	{ CEP_ACT_SURVEY_ANSWER, CEP_ROLE_NISC,      { N, N, N, N } },
	{ CEP_ACT_SURVEY_ANSWER, CEP_ROLE_MINISTRY,  { N, N, N, N } },
	{ CEP_ACT_SURVEY_ANSWER, CEP_ROLE_CEPTOAR,   { N, N, N, N } },
	{ CEP_ACT_SURVEY_ANSWER, CEP_ROLE_ADMIN,     { N, N, N, N } },
	{ CEP_ACT_SURVEY_ANSWER, CEP_ROLE_AUDITOR,   { N, N, N, N } },
	{ CEP_ACT_SURVEY_READ, CEP_ROLE_NISC,        { Y, Y, Y, Y } },
	{ CEP_ACT_SURVEY_READ, CEP_ROLE_MINISTRY,    { N, Y, N, N } },
	{ CEP_ACT_SURVEY_READ, CEP_ROLE_OPERATOR,    { N, N, Y, N } },
	{ CEP_ACT_SURVEY_READ, CEP_ROLE_CEPTOAR,     { N, N, N, N } },
	{ CEP_ACT_SURVEY_READ, CEP_ROLE_AGENCY,      { N, N, N, N } },
	{ CEP_ACT_SURVEY_READ, CEP_ROLE_ADMIN,       { N, N, N, N } },
	{ CEP_ACT_SURVEY_RESULTS, CEP_ROLE_NISC,     { Y, Y, Y, Y } },
	{ CEP_ACT_SURVEY_RESULTS, CEP_ROLE_MINISTRY, { N, Y, N, N } },
	{ CEP_ACT_SURVEY_RESULTS, CEP_ROLE_OPERATOR, { N, N, N, N } },
	{ CEP_ACT_SURVEY_RESULTS, CEP_ROLE_CEPTOAR,  { N, N, N, N } },
	{ CEP_ACT_SURVEY_RESULTS, CEP_ROLE_AUDITOR,  { N, N, N, N } },
	{ CEP_ACT_SURVEY_RESULTS, CEP_ROLE_SYSTEM,   { Y, Y, Y, Y } },
};
/* clang-format on */

static void test_table(void **state)
{
	struct cep_principal p;
	struct cep_object o;
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		principal(&p, table[i].role);
		for (int r = 0; r < REL__COUNT; r++) {
			int want = table[i].allow[r] ? 0 : CEP_EPERM;

			object(&o, (enum rel)r);
			if (policy_check(&p, table[i].action, &o) != want) {
				print_error("policy_check(%s, %s, %s) expected %s\n",
					    cep_role_name(table[i].role),
					    policy_action_name(table[i].action), rel_names[r],
					    want ? "deny" : "allow");
				failures++;
			}
		}
	}
	assert_int_equal(failures, 0);
}

/* A ministry without a ministry id, an operator without an org: nothing. */
static void test_missing_facts_deny(void **state)
{
	struct cep_principal p;
	struct cep_object o;

	(void)state;
	principal(&p, CEP_ROLE_MINISTRY);
	p.ministry_id[0] = '\0';
	object(&o, MINISTRY);
	strcpy(o.ministry_id, "");
	assert_int_equal(policy_check(&p, CEP_ACT_SURVEY_MANAGE, &o), CEP_EPERM);
	assert_int_equal(policy_check(&p, CEP_ACT_STANDARDS_WRITE, &o), CEP_EPERM);
	principal(&p, CEP_ROLE_OPERATOR);
	p.org_id[0] = '\0';
	object(&o, OWN);
	strcpy(o.org_id, "");
	assert_int_equal(policy_check(&p, CEP_ACT_SURVEY_ANSWER, &o), CEP_EPERM);
	assert_int_equal(policy_check(&p, CEP_ACT_SURVEY_ANSWER, NULL), CEP_EPERM);
}

/* The list readings: NISC everything, a ministry its sectors, an operator its own. */
static void test_scopes(void **state)
{
	struct cep_principal p;

	(void)state;
	principal(&p, CEP_ROLE_NISC);
	assert_int_equal(policy_scope(&p, CEP_ACT_SURVEY_RESULTS), CEP_SCOPE_ALL);
	principal(&p, CEP_ROLE_MINISTRY);
	assert_int_equal(policy_scope(&p, CEP_ACT_SURVEY_RESULTS), CEP_SCOPE_MINISTRY);
	assert_int_equal(policy_scope(&p, CEP_ACT_STANDARDS_WRITE), CEP_SCOPE_MINISTRY);
	principal(&p, CEP_ROLE_OPERATOR);
	assert_int_equal(policy_scope(&p, CEP_ACT_SURVEY_ANSWER), CEP_SCOPE_OWN_ORG);
	assert_int_equal(policy_scope(&p, CEP_ACT_SURVEY_RESULTS), 0);
	assert_int_equal(policy_scope(&p, CEP_ACT_GUIDELINE_READ), CEP_SCOPE_ALL);
}

static void test_action_names(void **state)
{
	(void)state;
	assert_string_equal(policy_action_name(CEP_ACT_GUIDELINE_READ), "guideline.read");
	assert_string_equal(policy_action_name(CEP_ACT_GUIDELINE_WRITE), "guideline.write");
	assert_string_equal(policy_action_name(CEP_ACT_STANDARDS_WRITE), "standards.write");
	assert_string_equal(policy_action_name(CEP_ACT_SURVEY_MANAGE), "survey.manage");
	assert_string_equal(policy_action_name(CEP_ACT_SURVEY_ANSWER), "survey.answer");
	assert_string_equal(policy_action_name(CEP_ACT_SURVEY_READ), "survey.read");
	assert_string_equal(policy_action_name(CEP_ACT_SURVEY_RESULTS), "survey.results");
	/* every action has a name */
	for (int a = 0; a < CEP_ACT__COUNT; a++)
		assert_string_not_equal(policy_action_name((enum cep_action)a), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_missing_facts_deny),
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_action_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
