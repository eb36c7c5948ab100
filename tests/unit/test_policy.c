/* test_policy.c - core/policy: the access policy, table-driven.
 *
 * Every role x every action x every relationship between principal and
 * object, with the expected answer written out below, plus the list scope
 * (policy_scope) for each role and action, and checks that the two readings
 * of the policy agree. */
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

/* The relationships of an object to the principal. Every principal below
 * is user "u-self" of org "org-self" and (whatever its role) has ministry
 * "meti": so a role that is not allowed cannot get in through the fields. */
enum rel {
	OWN_ORG,       /* object of the principal's own org (overseen by another ministry) */
	OTHER_ORG,     /* object of another org, overseen by another ministry */
	MIN_SECTOR,    /* object of another org in a sector that meti oversees */
	OTHER_SECTOR,  /* object of another org in a sector meti does not oversee */
	OWN_USER,      /* object owned by the principal's user (other org, other ministry) */
	OTHER_USER,    /* object owned by another user */
	NO_OBJECT,     /* obj == NULL: actions with no object, list-level checks */
	REL__COUNT
};

static const char *const rel_names[REL__COUNT] = {
	"own org", "other org", "ministry's sector", "other sector", "own user", "other user",
	"no object",
};

static const struct cep_object objects[REL__COUNT - 1] = {
	[OWN_ORG] = { .org_id = "org-self", .ministry_id = "mlit", .user_id = "u-other" },
	[OTHER_ORG] = { .org_id = "org-other", .ministry_id = "mlit", .user_id = "u-other" },
	[MIN_SECTOR] = { .org_id = "org-other", .ministry_id = "meti", .user_id = "u-other" },
	[OTHER_SECTOR] = { .org_id = "org-other", .ministry_id = "fsa", .user_id = "u-other" },
	[OWN_USER] = { .org_id = "org-other", .ministry_id = "mlit", .user_id = "u-self" },
	[OTHER_USER] = { .org_id = "org-other", .ministry_id = "mlit", .user_id = "u-other" },
};

#define Y 1 /* allowed */
#define N 0 /* denied */

/* Scope expectations. */
#define ALL CEP_SCOPE_ALL
#define ORG CEP_SCOPE_OWN_ORG
#define MIN CEP_SCOPE_MINISTRY
#define NONE 0u

struct expect {
	enum cep_role role;
	enum cep_action action;
	unsigned scope;
	/* own org, other org, ministry's sector, other sector, own user, other user, no object */
	int allow[REL__COUNT];
};

#define R_NONE CEP_ROLE_NONE
#define R_ADM CEP_ROLE_ADMIN
#define R_NISC CEP_ROLE_NISC
#define R_MIN CEP_ROLE_MINISTRY
#define R_CEP CEP_ROLE_CEPTOAR
#define R_OP CEP_ROLE_OPERATOR
#define R_AG CEP_ROLE_AGENCY
#define R_AUD CEP_ROLE_AUDITOR
#define R_SYS CEP_ROLE_SYSTEM

#define A_REG_R CEP_ACT_REGISTRY_READ
#define A_REG_W CEP_ACT_REGISTRY_WRITE
#define A_SYS_R CEP_ACT_SYSTEMS_READ
#define A_USR_R CEP_ACT_USER_READ
#define A_USR_W CEP_ACT_USER_WRITE
#define A_TOK_R CEP_ACT_TOKEN_READ
#define A_TOK_I CEP_ACT_TOKEN_ISSUE
#define A_TOK_X CEP_ACT_TOKEN_REVOKE
#define A_AUD_R CEP_ACT_AUDIT_READ
#define A_AUD_V CEP_ACT_AUDIT_VERIFY
#define A_SELF CEP_ACT_SELF_READ

/* clang-format off */
static const struct expect table[] = {
	/*  role    action   scope    own  other min  other own  other no   */
	/*                            org  org   sect sect  user user  obj  */
	/* none: unauthenticated, never anything */
	{ R_NONE, A_REG_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NONE, A_REG_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NONE, A_SYS_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NONE, A_USR_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NONE, A_USR_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NONE, A_TOK_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NONE, A_TOK_I, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NONE, A_TOK_X, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NONE, A_AUD_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NONE, A_AUD_V, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NONE, A_SELF,  NONE, { N,   N,   N,   N,   N,   N,   N } },

	/* admin: runs the installation; does not see operators' critical systems */
	{ R_ADM,  A_REG_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_ADM,  A_REG_W, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_ADM,  A_SYS_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_ADM,  A_USR_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_ADM,  A_USR_W, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_ADM,  A_TOK_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_ADM,  A_TOK_I, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_ADM,  A_TOK_X, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_ADM,  A_AUD_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_ADM,  A_AUD_V, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_ADM,  A_SELF,  ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },

	/* nisc: reads the registry and every critical system */
	{ R_NISC, A_REG_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_NISC, A_REG_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NISC, A_SYS_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_NISC, A_USR_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NISC, A_USR_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NISC, A_TOK_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NISC, A_TOK_I, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NISC, A_TOK_X, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NISC, A_AUD_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NISC, A_AUD_V, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_NISC, A_SELF,  ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },

	/* ministry: critical systems only in the sectors it oversees */
	{ R_MIN,  A_REG_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_MIN,  A_REG_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_MIN,  A_SYS_R, MIN,  { N,   N,   Y,   N,   N,   N,   N } },
	{ R_MIN,  A_USR_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_MIN,  A_USR_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_MIN,  A_TOK_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_MIN,  A_TOK_I, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_MIN,  A_TOK_X, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_MIN,  A_AUD_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_MIN,  A_AUD_V, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_MIN,  A_SELF,  ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },

	/* ceptoar secretariat */
	{ R_CEP,  A_REG_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_CEP,  A_REG_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_CEP,  A_SYS_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_CEP,  A_USR_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_CEP,  A_USR_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_CEP,  A_TOK_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_CEP,  A_TOK_I, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_CEP,  A_TOK_X, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_CEP,  A_AUD_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_CEP,  A_AUD_V, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_CEP,  A_SELF,  ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },

	/* operator: its own org's critical systems */
	{ R_OP,   A_REG_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_OP,   A_REG_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_OP,   A_SYS_R, ORG,  { Y,   N,   N,   N,   N,   N,   N } },
	{ R_OP,   A_USR_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_OP,   A_USR_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_OP,   A_TOK_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_OP,   A_TOK_I, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_OP,   A_TOK_X, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_OP,   A_AUD_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_OP,   A_AUD_V, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_OP,   A_SELF,  ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },

	/* related agency */
	{ R_AG,   A_REG_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_AG,   A_REG_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AG,   A_SYS_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AG,   A_USR_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AG,   A_USR_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AG,   A_TOK_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AG,   A_TOK_I, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AG,   A_TOK_X, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AG,   A_AUD_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AG,   A_AUD_V, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AG,   A_SELF,  ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },

	/* auditor: the audit trail, and nothing of the operators */
	{ R_AUD,  A_REG_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_AUD,  A_REG_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AUD,  A_SYS_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AUD,  A_USR_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AUD,  A_USR_W, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AUD,  A_TOK_R, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AUD,  A_TOK_I, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AUD,  A_TOK_X, NONE, { N,   N,   N,   N,   N,   N,   N } },
	{ R_AUD,  A_AUD_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_AUD,  A_AUD_V, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_AUD,  A_SELF,  ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },

	/* system: the local console, everything */
	{ R_SYS,  A_REG_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_SYS,  A_REG_W, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_SYS,  A_SYS_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_SYS,  A_USR_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_SYS,  A_USR_W, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_SYS,  A_TOK_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_SYS,  A_TOK_I, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_SYS,  A_TOK_X, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_SYS,  A_AUD_R, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_SYS,  A_AUD_V, ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_SYS,  A_SELF,  ALL,  { Y,   Y,   Y,   Y,   Y,   Y,   Y } },
};
/* clang-format on */

#define NTABLE (sizeof(table) / sizeof(table[0]))
/* This table covers the registry and identity actions; the sharing actions
 * (reports, alerts, deliveries), bounded by scope and TLP, have their own
 * table in test_policy_share.c. */
#define NACTIONS ((int)CEP_ACT_REPORT_CREATE)

static void principal(enum cep_role role, struct cep_principal *p)
{
	memset(p, 0, sizeof(*p));
	p->role = role;
	strcpy(p->user_id, "u-self");
	strcpy(p->name, "tester");
	strcpy(p->org_id, "org-self");
	strcpy(p->ministry_id, "meti");
	strcpy(p->ceptoar_id, "electricity");
	strcpy(p->sector_id, "electricity");
}

static const struct cep_object *object(enum rel r)
{
	return r == NO_OBJECT ? NULL : &objects[r];
}

/* The table covers every role and every action exactly once. */
static void test_table_is_complete(void **state)
{
	int seen[CEP_ROLE__COUNT][NACTIONS] = { { 0 } };

	(void)state;
	assert_int_equal(NTABLE, (size_t)CEP_ROLE__COUNT * NACTIONS);
	for (size_t i = 0; i < NTABLE; i++)
		seen[table[i].role][table[i].action]++;
	for (int r = 0; r < CEP_ROLE__COUNT; r++)
		for (int a = 0; a < NACTIONS; a++)
			if (seen[r][a] != 1)
				fail_msg("role %s action %s appears %d times in the table",
					 cep_role_name((enum cep_role)r),
					 policy_action_name((enum cep_action)a), seen[r][a]);
}

static void test_check_matches_table(void **state)
{
	struct cep_principal p;
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < NTABLE; i++) {
		const struct expect *e = &table[i];

		principal(e->role, &p);
		for (int r = 0; r < REL__COUNT; r++) {
			int rc = policy_check(&p, e->action, object((enum rel)r));
			int want = e->allow[r] ? 0 : CEP_EPERM;

			if (rc != want) {
				print_error("policy_check(%s, %s, %s) = %d, expected %s\n",
					    cep_role_name(e->role), policy_action_name(e->action),
					    rel_names[r], rc, e->allow[r] ? "allow" : "deny");
				failures++;
			}
		}
	}
	assert_int_equal(failures, 0);
}

static void test_scope_matches_table(void **state)
{
	struct cep_principal p;
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < NTABLE; i++) {
		const struct expect *e = &table[i];
		unsigned got;

		principal(e->role, &p);
		got = policy_scope(&p, e->action);
		if (got != e->scope) {
			print_error("policy_scope(%s, %s) = %u, expected %u\n", cep_role_name(e->role),
				    policy_action_name(e->action), got, e->scope);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

/* A list query under a scope must return exactly the objects that
 * policy_check allows one by one: the two readings agree. */
static int scope_admits(unsigned scope, const struct cep_principal *p, const struct cep_object *o)
{
	if (scope & CEP_SCOPE_ALL)
		return 1;
	if ((scope & CEP_SCOPE_OWN_ORG) && p->org_id[0] && strcmp(o->org_id, p->org_id) == 0)
		return 1;
	if ((scope & CEP_SCOPE_MINISTRY) && p->ministry_id[0] &&
	    strcmp(o->ministry_id, p->ministry_id) == 0)
		return 1;
	if ((scope & CEP_SCOPE_SELF) && p->user_id[0] && strcmp(o->user_id, p->user_id) == 0)
		return 1;
	return 0;
}

static void test_scope_agrees_with_check(void **state)
{
	struct cep_principal p;

	(void)state;
	for (int role = 0; role < CEP_ROLE__COUNT; role++) {
		for (int a = 0; a < NACTIONS; a++) {
			unsigned scope;

			principal((enum cep_role)role, &p);
			scope = policy_scope(&p, (enum cep_action)a);
			for (int r = 0; r < NO_OBJECT; r++) {
				int allowed = policy_check(&p, (enum cep_action)a, object((enum rel)r)) == 0;

				if (allowed != scope_admits(scope, &p, object((enum rel)r)))
					fail_msg("%s %s on %s: check says %s, scope %u says %s",
						 cep_role_name((enum cep_role)role),
						 policy_action_name((enum cep_action)a), rel_names[r],
						 allowed ? "allow" : "deny", scope,
						 allowed ? "deny" : "allow");
			}
		}
	}
}

/* A principal without an org or ministry gets nothing through those
 * relationships, not even on objects that lack them too ("" == ""). */
static void test_empty_ids_grant_nothing(void **state)
{
	static const struct cep_object blank = { .org_id = "" };
	struct cep_principal p;

	(void)state;
	principal(CEP_ROLE_OPERATOR, &p);
	p.org_id[0] = '\0';
	assert_int_equal(policy_scope(&p, CEP_ACT_SYSTEMS_READ), 0);
	assert_int_equal(policy_check(&p, CEP_ACT_SYSTEMS_READ, &blank), CEP_EPERM);
	assert_int_equal(policy_check(&p, CEP_ACT_SYSTEMS_READ, &objects[OWN_ORG]), CEP_EPERM);
	/* ... while the rest of its rights are unchanged. */
	assert_int_equal(policy_check(&p, CEP_ACT_REGISTRY_READ, NULL), 0);

	principal(CEP_ROLE_MINISTRY, &p);
	p.ministry_id[0] = '\0';
	assert_int_equal(policy_scope(&p, CEP_ACT_SYSTEMS_READ), 0);
	assert_int_equal(policy_check(&p, CEP_ACT_SYSTEMS_READ, &blank), CEP_EPERM);
	assert_int_equal(policy_check(&p, CEP_ACT_SYSTEMS_READ, &objects[MIN_SECTOR]), CEP_EPERM);

	/* With the id set, an object lacking one is still not "its own". */
	principal(CEP_ROLE_OPERATOR, &p);
	assert_int_equal(policy_check(&p, CEP_ACT_SYSTEMS_READ, &blank), CEP_EPERM);
	principal(CEP_ROLE_MINISTRY, &p);
	assert_int_equal(policy_check(&p, CEP_ACT_SYSTEMS_READ, &blank), CEP_EPERM);
}

static void test_unknown_is_denied(void **state)
{
	struct cep_principal p;

	(void)state;
	/* Unknown actions: denied even to the console. */
	for (int role = 0; role < CEP_ROLE__COUNT; role++) {
		principal((enum cep_role)role, &p);
		assert_int_equal(policy_check(&p, CEP_ACT__COUNT, NULL), CEP_EPERM);
		assert_int_equal(policy_check(&p, (enum cep_action)-1, NULL), CEP_EPERM);
		assert_int_equal(policy_scope(&p, CEP_ACT__COUNT), 0);
		assert_int_equal(policy_scope(&p, (enum cep_action)-1), 0);
	}
	/* Unknown roles, and no principal at all. */
	principal(CEP_ROLE__COUNT, &p);
	assert_int_equal(policy_check(&p, CEP_ACT_REGISTRY_READ, NULL), CEP_EPERM);
	assert_int_equal(policy_scope(&p, CEP_ACT_REGISTRY_READ), 0);
	principal((enum cep_role)-1, &p);
	assert_int_equal(policy_check(&p, CEP_ACT_SELF_READ, NULL), CEP_EPERM);
	assert_int_equal(policy_scope(&p, CEP_ACT_SELF_READ), 0);
	assert_int_equal(policy_check(NULL, CEP_ACT_REGISTRY_READ, NULL), CEP_EPERM);
	assert_int_equal(policy_scope(NULL, CEP_ACT_REGISTRY_READ), 0);
}

static void test_action_names(void **state)
{
	static const char *const want[CEP_ACT__COUNT] = {
		[CEP_ACT_REGISTRY_READ] = "registry.read", [CEP_ACT_REGISTRY_WRITE] = "registry.write",
		[CEP_ACT_SYSTEMS_READ] = "systems.read",   [CEP_ACT_USER_READ] = "user.read",
		[CEP_ACT_USER_WRITE] = "user.write",       [CEP_ACT_TOKEN_READ] = "token.read",
		[CEP_ACT_TOKEN_ISSUE] = "token.issue",     [CEP_ACT_TOKEN_REVOKE] = "token.revoke",
		[CEP_ACT_AUDIT_READ] = "audit.read",       [CEP_ACT_AUDIT_VERIFY] = "audit.verify",
		[CEP_ACT_SELF_READ] = "self.read",
	};

	(void)state;
	for (int a = 0; a < NACTIONS; a++) {
		assert_non_null(want[a]); /* a new action needs its name here and a table row */
		assert_string_equal(policy_action_name((enum cep_action)a), want[a]);
	}
	assert_string_equal(policy_action_name(CEP_ACT__COUNT), "unknown");
	assert_string_equal(policy_action_name((enum cep_action)-1), "unknown");
}

/* CEPTOAR drills (セプター訓練): every role against a drill's relationships to
 * the principal (whose org is org-self, ministry meti, secretariat of
 * "electricity"): of its own org (another CEPTOAR), of its CEPTOAR, of a CEPTOAR
 * in meti's sector, of another CEPTOAR and ministry, of every CEPTOAR (none
 * named), and no object. */
enum drel { D_OWN, D_SEC, D_MIN, D_OTHER, D_ALL, D_NONE, DREL__COUNT };

static const struct cep_object drill_objects[D_NONE] = {
	[D_OWN] = { .org_id = "org-self", .ministry_id = "mlit", .ceptoars = { "gas" }, .nceptoars = 1 },
	[D_SEC] = { .org_id = "org-other", .ministry_id = "mlit", .ceptoars = { "electricity" },
		    .nceptoars = 1 },
	[D_MIN] = { .org_id = "org-other", .ministry_id = "meti", .ceptoars = { "gas" }, .nceptoars = 1 },
	[D_OTHER] = { .org_id = "org-other", .ministry_id = "fsa", .ceptoars = { "bank" }, .nceptoars = 1 },
	[D_ALL] = { .org_id = "org-other" },
};

struct drill_expect {
	enum cep_role role;
	enum cep_action action;
	unsigned scope;
	int allow[DREL__COUNT]; /* own, secretariat, ministry, other, all, no object */
};

/* clang-format off */
static const struct drill_expect drill_table[] = {
	/*  role    action              scope  own  sec  min  oth  all  none */
	{ R_NONE, CEP_ACT_DRILL_RUN,  NONE, { N,   N,   N,   N,   N,   N } },
	{ R_ADM,  CEP_ACT_DRILL_RUN,  NONE, { N,   N,   N,   N,   N,   N } },
	{ R_NISC, CEP_ACT_DRILL_RUN,  ALL,  { Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_MIN,  CEP_ACT_DRILL_RUN,  NONE, { N,   N,   N,   N,   N,   N } },
	{ R_CEP,  CEP_ACT_DRILL_RUN,  NONE, { N,   Y,   N,   N,   N,   N } },
	{ R_OP,   CEP_ACT_DRILL_RUN,  NONE, { N,   N,   N,   N,   N,   N } },
	{ R_AG,   CEP_ACT_DRILL_RUN,  NONE, { N,   N,   N,   N,   N,   N } },
	{ R_AUD,  CEP_ACT_DRILL_RUN,  NONE, { N,   N,   N,   N,   N,   N } },
	{ R_SYS,  CEP_ACT_DRILL_RUN,  ALL,  { Y,   Y,   Y,   Y,   Y,   Y } },

	{ R_NONE, CEP_ACT_DRILL_READ, NONE, { N,   N,   N,   N,   N,   N } },
	{ R_ADM,  CEP_ACT_DRILL_READ, NONE, { N,   N,   N,   N,   N,   N } },
	{ R_NISC, CEP_ACT_DRILL_READ, ALL,  { Y,   Y,   Y,   Y,   Y,   Y } },
	{ R_MIN,  CEP_ACT_DRILL_READ, MIN,  { N,   N,   Y,   N,   N,   N } },
	{ R_CEP,  CEP_ACT_DRILL_READ, ORG,  { Y,   Y,   N,   N,   N,   N } },
	{ R_OP,   CEP_ACT_DRILL_READ, NONE, { N,   N,   N,   N,   N,   N } },
	{ R_AG,   CEP_ACT_DRILL_READ, NONE, { N,   N,   N,   N,   N,   N } },
	{ R_AUD,  CEP_ACT_DRILL_READ, NONE, { N,   N,   N,   N,   N,   N } },
	{ R_SYS,  CEP_ACT_DRILL_READ, ALL,  { Y,   Y,   Y,   Y,   Y,   Y } },

	{ R_NONE, CEP_ACT_DRILL_ACK,  NONE, { N,   N,   N,   N,   N,   N } },
	{ R_ADM,  CEP_ACT_DRILL_ACK,  NONE, { N,   N,   N,   N,   N,   N } },
	{ R_NISC, CEP_ACT_DRILL_ACK,  ORG,  { Y,   N,   N,   N,   N,   N } },
	{ R_MIN,  CEP_ACT_DRILL_ACK,  ORG,  { Y,   N,   N,   N,   N,   N } },
	{ R_CEP,  CEP_ACT_DRILL_ACK,  ORG,  { Y,   N,   N,   N,   N,   N } },
	{ R_OP,   CEP_ACT_DRILL_ACK,  ORG,  { Y,   N,   N,   N,   N,   N } },
	{ R_AG,   CEP_ACT_DRILL_ACK,  ORG,  { Y,   N,   N,   N,   N,   N } },
	{ R_AUD,  CEP_ACT_DRILL_ACK,  NONE, { N,   N,   N,   N,   N,   N } },
	{ R_SYS,  CEP_ACT_DRILL_ACK,  ALL,  { Y,   Y,   Y,   Y,   Y,   Y } },
};
/* clang-format on */

static void test_drill_table(void **state)
{
	struct cep_principal p;
	int failures = 0;

	(void)state;
	assert_int_equal(sizeof(drill_table) / sizeof(drill_table[0]), (size_t)(CEP_ROLE__COUNT * 3));
	for (size_t i = 0; i < sizeof(drill_table) / sizeof(drill_table[0]); i++) {
		const struct drill_expect *e = &drill_table[i];
		unsigned scope;

		principal(e->role, &p);
		for (int r = 0; r < DREL__COUNT; r++) {
			int rc = policy_check(&p, e->action, r == D_NONE ? NULL : &drill_objects[r]);

			if (rc != (e->allow[r] ? 0 : CEP_EPERM)) {
				print_error("policy_check(%s, %s, relation %d) = %d, expected %s\n",
					    cep_role_name(e->role), policy_action_name(e->action), r, rc,
					    e->allow[r] ? "allow" : "deny");
				failures++;
			}
		}
		scope = policy_scope(&p, e->action);
		if (scope != e->scope) {
			print_error("policy_scope(%s, %s) = %u, expected %u\n", cep_role_name(e->role),
				    policy_action_name(e->action), scope, e->scope);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
	assert_string_equal(policy_action_name(CEP_ACT_DRILL_RUN), "drill.run");
	assert_string_equal(policy_action_name(CEP_ACT_DRILL_READ), "drill.read");
	assert_string_equal(policy_action_name(CEP_ACT_DRILL_ACK), "drill.ack");
	/* a secretariat without its CEPTOAR, a ministry without its id: nothing */
	principal(CEP_ROLE_CEPTOAR, &p);
	p.ceptoar_id[0] = '\0';
	assert_int_equal(policy_check(&p, CEP_ACT_DRILL_RUN, &drill_objects[D_SEC]), CEP_EPERM);
	principal(CEP_ROLE_MINISTRY, &p);
	p.ministry_id[0] = '\0';
	assert_int_equal(policy_check(&p, CEP_ACT_DRILL_READ, &drill_objects[D_MIN]), CEP_EPERM);
}

static void test_roles(void **state)
{
	static const char *const names[CEP_ROLE__COUNT] = {
		"none", "admin", "nisc", "ministry", "ceptoar", "operator", "agency", "auditor", "system",
	};
	struct cep_principal p;
	enum cep_role r;

	(void)state;
	for (int i = 0; i < CEP_ROLE__COUNT; i++)
		assert_string_equal(cep_role_name((enum cep_role)i), names[i]);
	assert_string_equal(cep_role_name(CEP_ROLE__COUNT), "none");
	/* Users may be given the real roles, never none or system. */
	for (int i = CEP_ROLE_ADMIN; i < CEP_ROLE_SYSTEM; i++) {
		r = CEP_ROLE_NONE;
		assert_int_equal(cep_role_parse(names[i], &r), 0);
		assert_int_equal(r, i);
	}
	r = CEP_ROLE_AUDITOR;
	assert_int_equal(cep_role_parse("none", &r), CEP_EINVAL);
	assert_int_equal(cep_role_parse("system", &r), CEP_EINVAL);
	assert_int_equal(cep_role_parse("Admin", &r), CEP_EINVAL);
	assert_int_equal(cep_role_parse("", &r), CEP_EINVAL);
	assert_int_equal(cep_role_parse("admin ", &r), CEP_EINVAL);
	assert_int_equal(r, CEP_ROLE_AUDITOR); /* untouched on failure */
	/* The console principal may do everything. */
	cep_principal_system(&p);
	assert_int_equal(p.role, CEP_ROLE_SYSTEM);
	assert_int_equal(policy_check(&p, CEP_ACT_AUDIT_VERIFY, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_complete),
		cmocka_unit_test(test_check_matches_table),
		cmocka_unit_test(test_scope_matches_table),
		cmocka_unit_test(test_scope_agrees_with_check),
		cmocka_unit_test(test_empty_ids_grant_nothing),
		cmocka_unit_test(test_unknown_is_denied),
		cmocka_unit_test(test_action_names),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_drill_table),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
