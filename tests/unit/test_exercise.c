/* test_exercise.c - the exercises' pure parts: the policy's world rule (a
 * sharing object of one world is invisible from every other, for every role
 * and the console), the parts of an exercise as relationships (table: role x
 * part x action), and scenario times as an MSEL writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/err.h"
#include "core/handling.h"
#include "core/policy.h"
#include "core/principal.h"
#include "exercise/internal.h"

#include <stdio.h>
#include <string.h>

static void principal(struct cep_principal *p, enum cep_role role, const char *world)
{
	memset(p, 0, sizeof(*p));
	p->role = role;
	strcpy(p->user_id, "u1");
	strcpy(p->name, "user1");
	strcpy(p->org_id, "org1");
	strcpy(p->ministry_id, "fsa");
	strcpy(p->ceptoar_id, "bank-ceptoar");
	strcpy(p->ceptoars[0], "bank-ceptoar");
	p->nceptoars = 1;
	p->council = true;
	snprintf(p->exercise_id, sizeof(p->exercise_id), "%s", world);
}

/* A report of org1 shared with everyone: every role may read it in its world. */
static void report(struct cep_object *o, const char *world)
{
	memset(o, 0, sizeof(*o));
	strcpy(o->org_id, "org1");
	strcpy(o->ministry_id, "fsa");
	strcpy(o->ceptoars[0], "bank-ceptoar");
	o->nceptoars = 1;
	o->scope = CEP_SCOPE_TO_ALL;
	o->tlp = CEP_TLP_CLEAR;
	o->recipient = true;
	snprintf(o->exercise_id, sizeof(o->exercise_id), "%s", world);
}

static void test_worlds_never_meet(void **state)
{
	static const char *const worlds[] = { "", "ex-1", "ex-2" };
	static const enum cep_action worldly[] = {
		CEP_ACT_REPORT_READ, CEP_ACT_REPORT_UPDATE, CEP_ACT_REPORT_IDENTITY,
		CEP_ACT_ALERT_READ,  CEP_ACT_ALERT_TRACK,   CEP_ACT_DELIVERY_ACK,
		CEP_ACT_COUNCIL_READ,
	};
	int failures = 0;

	(void)state;
	for (int role = CEP_ROLE_ADMIN; role < CEP_ROLE__COUNT; role++)
		for (int pw = 0; pw < 3; pw++)
			for (int ow = 0; ow < 3; ow++)
				for (size_t a = 0; a < sizeof(worldly) / sizeof(worldly[0]); a++) {
					struct cep_principal p;
					struct cep_object o, same;
					int got, in_own;

					principal(&p, (enum cep_role)role, worlds[pw]);
					report(&o, worlds[ow]);
					report(&same, worlds[pw]);
					got = policy_check(&p, worldly[a], &o) == 0;
					in_own = policy_check(&p, worldly[a], &same) == 0;
					/* across worlds: never; in the same world: as in the real one */
					if ((pw != ow && got) || (pw == ow && got != in_own)) {
						printf("%s in world '%s' %s an object of world '%s'\n",
						       cep_role_name((enum cep_role)role), worlds[pw],
						       policy_action_name(worldly[a]), worlds[ow]);
						failures++;
					}
				}
	assert_int_equal(failures, 0);
}

static void test_same_world_keeps_the_real_rules(void **state)
{
	struct cep_principal p;
	struct cep_object o;

	(void)state;
	/* an operator reads its own org's report in the exercise, as in the real world */
	principal(&p, CEP_ROLE_OPERATOR, "ex-1");
	report(&o, "ex-1");
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_READ, &o), 0);
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_UPDATE, &o), 0);
	/* and a real operator reads the same real report */
	principal(&p, CEP_ROLE_OPERATOR, "");
	report(&o, "");
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_READ, &o), 0);
	/* the console too stays in its world */
	principal(&p, CEP_ROLE_SYSTEM, "");
	report(&o, "ex-1");
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_READ, &o), CEP_EPERM);
	/* objects that live in no world (users, registry) are the same from every world */
	principal(&p, CEP_ROLE_OPERATOR, "ex-1");
	report(&o, "");
	assert_int_equal(policy_check(&p, CEP_ACT_REGISTRY_READ, NULL), 0);
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_CREATE, &o), 0);
}

static void test_incidents_are_the_real_worlds(void **state)
{
	struct cep_principal p;

	(void)state;
	principal(&p, CEP_ROLE_NISC, "");
	assert_int_equal(policy_check(&p, CEP_ACT_INCIDENT_MANAGE, NULL), 0);
	assert_int_equal(policy_check(&p, CEP_ACT_INCIDENT_READ, NULL), 0);
	principal(&p, CEP_ROLE_NISC, "ex-1");
	assert_int_equal(policy_check(&p, CEP_ACT_INCIDENT_MANAGE, NULL), CEP_EPERM);
	assert_int_equal(policy_check(&p, CEP_ACT_INCIDENT_READ, NULL), CEP_EPERM);
}

/* What each part (or the planning org) allows: create, control, evaluate,
 * play, read. Roles with an org may take any part; admin and auditor none. */
enum { PLAN = 0, PARTS = 5 };
static const struct {
	const char *what;
	unsigned parts; /* CEP_PART_* */
	int own_org;    /* the object's org is the principal's */
	int want[4];    /* control, evaluate, play, read (for a ministry) */
} cases[] = {
	{ "nothing", 0, 0, { 0, 0, 0, 0 } },
	{ "player", CEP_PART_PLAYER, 0, { 0, 0, 1, 1 } },
	{ "controller", CEP_PART_CONTROLLER, 0, { 1, 1, 1, 1 } },
	{ "evaluator", CEP_PART_EVALUATOR, 0, { 0, 1, 0, 1 } },
	{ "adviser", CEP_PART_ADVISER, 0, { 0, 1, 0, 1 } },
	{ "planning org", 0, 1, { 1, 1, 1, 1 } },
};

static void test_parts_table(void **state)
{
	static const enum cep_action acts[4] = { CEP_ACT_EXERCISE_CONTROL, CEP_ACT_EXERCISE_EVALUATE,
						 CEP_ACT_EXERCISE_PLAY, CEP_ACT_EXERCISE_READ };
	int failures = 0;

	(void)state;
	for (int role = CEP_ROLE_ADMIN; role < CEP_ROLE__COUNT; role++) {
		if (role == CEP_ROLE_SYSTEM)
			continue;
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			struct cep_principal p;
			struct cep_object o = { 0 };

			principal(&p, (enum cep_role)role, "");
			strcpy(o.org_id, cases[c].own_org ? "org1" : "org2");
			o.exercise_parts = cases[c].parts;
			for (int a = 0; a < 4; a++) {
				int want = cases[c].want[a], got;

				if (role == CEP_ROLE_ADMIN || role == CEP_ROLE_AUDITOR)
					want = 0; /* no part in exercises */
				if (role == CEP_ROLE_NISC)
					want = 1; /* oversees every exercise */
				if (cases[c].own_org && (role == CEP_ROLE_OPERATOR || role == CEP_ROLE_AGENCY))
					want = 0; /* they do not plan exercises */
				got = policy_check(&p, acts[a], &o) == 0;
				if (got != want) {
					printf("%s as %s: %s %s, want %s\n", cep_role_name((enum cep_role)role),
					       cases[c].what, policy_action_name(acts[a]),
					       got ? "allowed" : "denied", want ? "allowed" : "denied");
					failures++;
				}
			}
		}
	}
	assert_int_equal(failures, 0);
}

static void test_who_plans(void **state)
{
	static const struct {
		enum cep_role role;
		int may;
	} want[] = {
		{ CEP_ROLE_ADMIN, 0 },	  { CEP_ROLE_NISC, 1 },	    { CEP_ROLE_MINISTRY, 1 },
		{ CEP_ROLE_CEPTOAR, 1 },  { CEP_ROLE_OPERATOR, 0 }, { CEP_ROLE_AGENCY, 0 },
		{ CEP_ROLE_AUDITOR, 0 },  { CEP_ROLE_SYSTEM, 1 },   { CEP_ROLE_NONE, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct cep_principal p;

		principal(&p, want[i].role, "");
		assert_int_equal(policy_check(&p, CEP_ACT_EXERCISE_CREATE, NULL) == 0, want[i].may);
	}
}

static void test_scenario_times(void **state)
{
	static const struct {
		const char *text;
		int64_t want; /* -1: CEP_EINVAL, -2: CEP_ETOOBIG */
	} times[] = {
		{ "T+3h", 3 * 3600 },	   { "T+1h30m", 5400 },   { "90m", 5400 },
		{ "45s", 45 },		   { "2d", 2 * 86400 },	  { "T+0m", 0 },
		{ "03:00", 3 * 3600 },	   { "T+26:30", 26 * 3600 + 1800 }, { "01:02:03", 3723 },
		{ "3600", 3600 },	   { "t+5m", 300 },	  { "T+1d2h", 93600 },
		{ "", -1 },		   { "T+", -1 },	  { "3x", -1 },
		{ "1h30", -1 },		   { "h", -1 },		  { "-5m", -1 },
		{ "12:75", -1 },	   { "T+3h ", -1 },	  { "91d", -2 },
		{ "99999999999999999", -2 }, { "x1h", -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		struct cep_error err = { 0 };
		int64_t v = -7;
		int rc = ex_duration_text(times[i].text, "at", &v, &err);

		if (times[i].want >= 0) {
			if (rc != 0 || v != times[i].want)
				printf("\"%s\": rc %d, %lld (want %lld)\n", times[i].text, rc, (long long)v,
				       (long long)times[i].want);
			assert_int_equal(rc, 0);
			assert_int_equal(v, times[i].want);
		} else {
			if (rc != (times[i].want == -1 ? CEP_EINVAL : CEP_ETOOBIG))
				printf("\"%s\": rc %d\n", times[i].text, rc);
			assert_int_equal(rc, times[i].want == -1 ? CEP_EINVAL : CEP_ETOOBIG);
			assert_string_equal(err.field, "at");
			assert_int_equal(v, -7); /* untouched */
		}
	}
}

static void test_scenario_times_read_back(void **state)
{
	(void)state;
	/* what the CSV export writes reads back as the same time */
	for (int64_t s = 0; s < 3 * 86400; s += 977) {
		struct cep_error err = { 0 };
		char t[32];
		int64_t back = -1;

		ex_format_t(s, t);
		assert_int_equal(ex_duration_text(t, "at", &back, &err), 0);
		assert_int_equal(back, s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worlds_never_meet),
		cmocka_unit_test(test_same_world_keeps_the_real_rules),
		cmocka_unit_test(test_incidents_are_the_real_worlds),
		cmocka_unit_test(test_parts_table),
		cmocka_unit_test(test_who_plans),
		cmocka_unit_test(test_scenario_times),
		cmocka_unit_test(test_scenario_times_read_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
