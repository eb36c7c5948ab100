/* test_policy_share.c - the sharing rules of core/policy: who may read an
 * IT-failure report, by role x relationship x the report's TLP x the
 * reporter's sharing scope; who sees the reporter's name; who may read and
 * follow an alert and acknowledge a delivery. Also checks that
 * policy_clauses (what list queries are built from) agrees with
 * policy_check on every case, and core/handling's TLP x scope rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/err.h"
#include "core/handling.h"
#include "core/policy.h"

#include <stdio.h>
#include <string.h>

/* The report under test: reported by org "org-rep" of the finance sector
 * (overseen by "fsa"), shared through "bank-ceptoar". */
static void report(struct cep_object *o, int tlp, int scope)
{
	memset(o, 0, sizeof(*o));
	strcpy(o->org_id, "org-rep");
	strcpy(o->ministry_id, "fsa");
	strcpy(o->ceptoars[0], "bank-ceptoar");
	o->nceptoars = 1;
	o->tlp = tlp;
	o->scope = scope;
}

enum rel { OWN, MINISTRY, SECRETARIAT, MEMBER, COUNCIL, STRANGER, REL__COUNT };
static const char *const rel_names[] = { "own org", "overseeing ministry", "its CEPTOAR's secretariat",
					 "member of its CEPTOAR", "council secretariat", "stranger" };

/* A principal of role in relationship rel to the report. */
static void principal(struct cep_principal *p, enum cep_role role, enum rel rel)
{
	memset(p, 0, sizeof(*p));
	p->role = role;
	strcpy(p->user_id, "u1");
	strcpy(p->name, "u1");
	strcpy(p->org_id, rel == OWN ? "org-rep" : "org-other");
	strcpy(p->ministry_id, rel == MINISTRY ? "fsa" : "meti");
	if (rel == SECRETARIAT)
		strcpy(p->ceptoar_id, "bank-ceptoar");
	if (rel == COUNCIL) {
		strcpy(p->ceptoar_id, "gas-ceptoar");
		p->council = true;
	}
	strcpy(p->ceptoars[0], rel == MEMBER || rel == OWN ? "bank-ceptoar" : "gas-ceptoar");
	p->nceptoars = 1;
}

/* Expected reach: NEVER; ALWAYS; or readable when the scope is at least
 * `scope` and the TLP at most `tlp`. */
struct reach {
	int never;
	int scope;
	int tlp;
};
#define NEVER { 1, 0, 0 }
#define ALWAYS { 0, CEP_SCOPE_TO_MINISTRY, CEP_TLP_RED }
#define CEPTOAR_AMBER { 0, CEP_SCOPE_TO_CEPTOAR, CEP_TLP_AMBER }
#define COUNCIL_AMBER { 0, CEP_SCOPE_TO_COUNCIL, CEP_TLP_AMBER }
#define ALL_GREEN { 0, CEP_SCOPE_TO_ALL, CEP_TLP_GREEN }

/* clang-format off */
static const struct {
	enum cep_role role;
	struct reach read[REL__COUNT];     /* own, ministry, secretariat, member, council, stranger */
	int identity[REL__COUNT];          /* sees the reporter's name without its consent */
} table[] = {
	{ CEP_ROLE_OPERATOR, { ALWAYS, ALL_GREEN, ALL_GREEN, CEPTOAR_AMBER, ALL_GREEN, ALL_GREEN },
	                     { 1, 0, 0, 0, 0, 0 } },
	{ CEP_ROLE_NISC,     { ALWAYS, ALWAYS, ALWAYS, ALWAYS, ALWAYS, ALWAYS },
	                     { 1, 1, 1, 1, 1, 1 } },
	{ CEP_ROLE_MINISTRY, { ALL_GREEN, ALWAYS, ALL_GREEN, ALL_GREEN, ALL_GREEN, ALL_GREEN },
	                     { 0, 1, 0, 0, 0, 0 } },
	{ CEP_ROLE_CEPTOAR,  { ALL_GREEN, ALL_GREEN, CEPTOAR_AMBER, ALL_GREEN, COUNCIL_AMBER, ALL_GREEN },
	                     { 0, 0, 0, 0, 0, 0 } },
	{ CEP_ROLE_AGENCY,   { ALL_GREEN, ALL_GREEN, ALL_GREEN, ALL_GREEN, ALL_GREEN, ALL_GREEN },
	                     { 0, 0, 0, 0, 0, 0 } },
	{ CEP_ROLE_ADMIN,    { NEVER, NEVER, NEVER, NEVER, NEVER, NEVER }, { 0, 0, 0, 0, 0, 0 } },
	{ CEP_ROLE_AUDITOR,  { NEVER, NEVER, NEVER, NEVER, NEVER, NEVER }, { 0, 0, 0, 0, 0, 0 } },
	{ CEP_ROLE_NONE,     { NEVER, NEVER, NEVER, NEVER, NEVER, NEVER }, { 0, 0, 0, 0, 0, 0 } },
};
/* clang-format on */

static int reach_admits(const struct reach *r, int tlp, int scope)
{
	return !r->never && scope >= r->scope && tlp <= r->tlp;
}

/* Evaluate clauses the way a list query does. */
static int clause_admits(const struct policy_clause *c, const struct cep_principal *p,
			 const struct cep_object *o)
{
	int rel_ok = 0;

	switch (c->rel) {
	case CEP_REL_ANY:
	case CEP_REL_COUNCIL:
		rel_ok = 1;
		break;
	case CEP_REL_OWN_ORG:
		rel_ok = !strcmp(p->org_id, o->org_id);
		break;
	case CEP_REL_MINISTRY:
		rel_ok = !strcmp(p->ministry_id, o->ministry_id);
		break;
	case CEP_REL_SECRETARIAT:
		rel_ok = !strcmp(p->ceptoar_id, o->ceptoars[0]);
		break;
	case CEP_REL_SHARED_CEPTOAR:
		rel_ok = !strcmp(p->ceptoars[0], o->ceptoars[0]);
		break;
	default:
		rel_ok = 0;
	}
	return rel_ok && o->scope >= c->min_scope && o->tlp <= c->max_tlp;
}

static void test_report_read_table(void **state)
{
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		for (int rel = 0; rel < REL__COUNT; rel++) {
			struct cep_principal p;
			struct policy_clause c[POLICY_CLAUSES_MAX];
			int n;

			principal(&p, table[i].role, (enum rel)rel);
			n = policy_clauses(&p, CEP_ACT_REPORT_READ, c);
			for (int tlp = 0; tlp < CEP_TLP__COUNT; tlp++) {
				for (int scope = 0; scope < CEP_SCOPE_TO__COUNT; scope++) {
					struct cep_object o;
					int want, got, listed = 0;

					report(&o, tlp, scope);
					want = reach_admits(&table[i].read[rel], tlp, scope);
					got = policy_check(&p, CEP_ACT_REPORT_READ, &o) == 0;
					for (int k = 0; k < n; k++)
						listed |= clause_admits(&c[k], &p, &o);
					if (want != got || got != listed) {
						printf("report.read %s (%s) TLP:%s scope %s: want %d check %d list %d\n",
						       cep_role_name(table[i].role), rel_names[rel],
						       cep_tlp_name(tlp), cep_scope_name(scope), want, got,
						       listed);
						failures++;
					}
				}
			}
			{
				struct cep_object o;

				report(&o, CEP_TLP_GREEN, CEP_SCOPE_TO_ALL);
				if ((policy_check(&p, CEP_ACT_REPORT_IDENTITY, &o) == 0) !=
				    table[i].identity[rel]) {
					printf("report.identity %s (%s): want %d\n",
					       cep_role_name(table[i].role), rel_names[rel],
					       table[i].identity[rel]);
					failures++;
				}
			}
		}
	}
	assert_int_equal(failures, 0);
}

/* Spot cases written out in words, as a reader of the rules would ask them. */
static void test_report_spot_cases(void **state)
{
	struct cep_principal p;
	struct cep_object o;

	(void)state;
	/* another operator cannot read an AMBER report of a CEPTOAR it is not in,
	 * even when the reporter shared it with the council */
	principal(&p, CEP_ROLE_OPERATOR, STRANGER);
	report(&o, CEP_TLP_AMBER, CEP_SCOPE_TO_COUNCIL);
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_READ, &o), CEP_EPERM);
	/* a fellow member reads it */
	principal(&p, CEP_ROLE_OPERATOR, MEMBER);
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_READ, &o), 0);
	/* but not a RED report, whatever the scope says */
	report(&o, CEP_TLP_RED, CEP_SCOPE_TO_ALL);
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_READ, &o), CEP_EPERM);
	/* the overseeing ministry reads RED; another ministry does not */
	principal(&p, CEP_ROLE_MINISTRY, MINISTRY);
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_READ, &o), 0);
	principal(&p, CEP_ROLE_MINISTRY, STRANGER);
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_READ, &o), CEP_EPERM);
	/* only the reporter's own operators may create and update for it */
	principal(&p, CEP_ROLE_OPERATOR, OWN);
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_UPDATE, &o), 0);
	principal(&p, CEP_ROLE_OPERATOR, MEMBER);
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_UPDATE, &o), CEP_EPERM);
	principal(&p, CEP_ROLE_NISC, STRANGER);
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_UPDATE, &o), CEP_EPERM);
	assert_int_equal(policy_check(&p, CEP_ACT_REPORT_CREATE, NULL), CEP_EPERM);
}

static void test_alerts(void **state)
{
	static const struct {
		enum cep_role role;
		int create, read_sender, read_recipient, read_other, track_sender, track_other,
			ack_own, ack_other;
	} cases[] = {
		{ CEP_ROLE_NISC, 1, 1, 1, 1, 1, 1, 1, 0 },
		{ CEP_ROLE_MINISTRY, 1, 1, 1, 0, 1, 0, 1, 0 },
		{ CEP_ROLE_AGENCY, 1, 1, 1, 0, 1, 0, 1, 0 },
		{ CEP_ROLE_CEPTOAR, 1, 1, 1, 0, 1, 0, 1, 0 },
		{ CEP_ROLE_OPERATOR, 0, 0, 1, 0, 0, 0, 1, 0 },
		{ CEP_ROLE_ADMIN, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CEP_ROLE_AUDITOR, 0, 0, 0, 0, 0, 0, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cep_principal p;
		struct cep_object sent, received, other;

		principal(&p, cases[i].role, STRANGER);
		memset(&sent, 0, sizeof(sent));
		strcpy(sent.org_id, "org-other"); /* the principal's org sent it */
		memset(&received, 0, sizeof(received));
		strcpy(received.org_id, "org-sender");
		received.recipient = true;
		memset(&other, 0, sizeof(other));
		strcpy(other.org_id, "org-sender");
		assert_int_equal(policy_check(&p, CEP_ACT_ALERT_CREATE, NULL) == 0, cases[i].create);
		assert_int_equal(policy_check(&p, CEP_ACT_ALERT_READ, &sent) == 0, cases[i].read_sender);
		assert_int_equal(policy_check(&p, CEP_ACT_ALERT_READ, &received) == 0,
				 cases[i].read_recipient);
		assert_int_equal(policy_check(&p, CEP_ACT_ALERT_READ, &other) == 0, cases[i].read_other);
		assert_int_equal(policy_check(&p, CEP_ACT_ALERT_TRACK, &sent) == 0, cases[i].track_sender);
		assert_int_equal(policy_check(&p, CEP_ACT_ALERT_TRACK, &other) == 0, cases[i].track_other);
		/* a delivery object carries the receiving org */
		assert_int_equal(policy_check(&p, CEP_ACT_DELIVERY_ACK, &sent) == 0, cases[i].ack_own);
		assert_int_equal(policy_check(&p, CEP_ACT_DELIVERY_ACK, &other) == 0, cases[i].ack_other);
	}
}

/* Correlations, the council space and incident mode, per role. The council
 * principal is a secretariat of a council-member CEPTOAR; "shared" objects
 * are council items shared with government (scope all). */
static void test_council_correlation_incident(void **state)
{
	static const struct {
		enum cep_role role;
		enum rel rel;
		int corr, corr_admin, post, read_council, read_shared, incident_manage, incident_read;
	} cases[] = {
		{ CEP_ROLE_NISC, STRANGER, 1, 1, 0, 0, 1, 1, 1 },
		{ CEP_ROLE_CEPTOAR, COUNCIL, 1, 0, 1, 1, 1, 0, 1 },
		{ CEP_ROLE_CEPTOAR, SECRETARIAT, 0, 0, 0, 0, 0, 0, 1 }, /* not a council member */
		{ CEP_ROLE_MINISTRY, MINISTRY, 0, 0, 0, 0, 1, 0, 1 },
		{ CEP_ROLE_OPERATOR, OWN, 0, 0, 0, 0, 0, 0, 1 },
		{ CEP_ROLE_AGENCY, STRANGER, 0, 0, 0, 0, 0, 0, 1 },
		{ CEP_ROLE_ADMIN, STRANGER, 0, 0, 0, 0, 0, 0, 1 },
		{ CEP_ROLE_AUDITOR, STRANGER, 0, 0, 0, 0, 0, 0, 1 },
		{ CEP_ROLE_NONE, STRANGER, 0, 0, 0, 0, 0, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cep_principal p;
		struct cep_object council_only = { .scope = CEP_SCOPE_TO_COUNCIL, .tlp = CEP_TLP_AMBER };
		struct cep_object shared = { .scope = CEP_SCOPE_TO_ALL, .tlp = CEP_TLP_AMBER };

		principal(&p, cases[i].role, cases[i].rel);
		assert_int_equal(policy_check(&p, CEP_ACT_CORRELATION_READ, NULL) == 0, cases[i].corr);
		assert_int_equal(policy_check(&p, CEP_ACT_CORRELATION_ADMIN, NULL) == 0,
				 cases[i].corr_admin);
		assert_int_equal(policy_check(&p, CEP_ACT_COUNCIL_POST, NULL) == 0, cases[i].post);
		assert_int_equal(policy_check(&p, CEP_ACT_COUNCIL_READ, &council_only) == 0,
				 cases[i].read_council);
		assert_int_equal(policy_check(&p, CEP_ACT_COUNCIL_READ, &shared) == 0,
				 cases[i].read_shared);
		assert_int_equal(policy_check(&p, CEP_ACT_INCIDENT_MANAGE, NULL) == 0,
				 cases[i].incident_manage);
		assert_int_equal(policy_check(&p, CEP_ACT_INCIDENT_READ, NULL) == 0,
				 cases[i].incident_read);
	}
}

static void test_tlp_scope_rule(void **state)
{
	/* rows: CLEAR GREEN AMBER AMBER+STRICT RED; columns: ministry ceptoar council all */
	static const int allowed[CEP_TLP__COUNT][CEP_SCOPE_TO__COUNT] = {
		{ 1, 1, 1, 1 }, { 1, 1, 1, 1 }, { 1, 1, 1, 0 }, { 1, 0, 0, 0 }, { 1, 0, 0, 0 },
	};
	enum cep_tlp t;
	enum cep_scope s;

	(void)state;
	for (int i = 0; i < CEP_TLP__COUNT; i++)
		for (int j = 0; j < CEP_SCOPE_TO__COUNT; j++)
			assert_int_equal(cep_tlp_allows_scope(i, j), allowed[i][j]);
	assert_int_equal(cep_tlp_parse("AMBER+STRICT", &t), 0);
	assert_int_equal(t, CEP_TLP_AMBER_STRICT);
	assert_int_equal(cep_tlp_parse("TLP:RED", &t), 0);
	assert_int_equal(t, CEP_TLP_RED);
	assert_int_equal(cep_tlp_parse("WHITE", &t), 0);
	assert_int_equal(t, CEP_TLP_CLEAR);
	assert_int_equal(cep_tlp_parse("amber", &t), CEP_EINVAL);
	assert_int_equal(cep_scope_parse("council", &s), 0);
	assert_int_equal(s, CEP_SCOPE_TO_COUNCIL);
	assert_int_equal(cep_scope_parse("world", &s), CEP_EINVAL);
	assert_false(cep_tlp_may_email(CEP_TLP_RED));
	assert_false(cep_tlp_may_email(CEP_TLP_AMBER_STRICT));
	assert_true(cep_tlp_may_email(CEP_TLP_AMBER));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_read_table),
		cmocka_unit_test(test_report_spot_cases),
		cmocka_unit_test(test_alerts),
		cmocka_unit_test(test_council_correlation_incident),
		cmocka_unit_test(test_tlp_scope_rule),
	};

	return cmocka_run_group_tests_name("policy_share", tests, NULL, NULL);
}
