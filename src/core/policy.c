/* policy.c - the rule table and its two readings. */
#include "core/policy.h"

#include "base/err.h"

#include <string.h>

enum rel {
	REL_ANY,      /* no relationship needed */
	REL_OWN_ORG,  /* object's org is the principal's org */
	REL_MINISTRY, /* the principal's ministry oversees the object's sector */
	REL_SELF,     /* the object belongs to the principal's user */
};

struct rule {
	enum cep_action action;
	enum cep_role role;
	enum rel rel;
};

#define ALL_USERS(act)                                                                      \
	{ act, CEP_ROLE_ADMIN, REL_ANY }, { act, CEP_ROLE_NISC, REL_ANY },                  \
		{ act, CEP_ROLE_MINISTRY, REL_ANY }, { act, CEP_ROLE_CEPTOAR, REL_ANY },    \
		{ act, CEP_ROLE_OPERATOR, REL_ANY }, { act, CEP_ROLE_AGENCY, REL_ANY },     \
		{ act, CEP_ROLE_AUDITOR, REL_ANY }

/* Everything not listed here is denied. The console (CEP_ROLE_SYSTEM) is the
 * holder of the database file and may do everything. */
static const struct rule rules[] = {
	ALL_USERS(CEP_ACT_REGISTRY_READ),
	{ CEP_ACT_REGISTRY_WRITE, CEP_ROLE_ADMIN, REL_ANY },

	/* 重要システム: the operator itself, its sector's ministry, NISC. */
	{ CEP_ACT_SYSTEMS_READ, CEP_ROLE_OPERATOR, REL_OWN_ORG },
	{ CEP_ACT_SYSTEMS_READ, CEP_ROLE_MINISTRY, REL_MINISTRY },
	{ CEP_ACT_SYSTEMS_READ, CEP_ROLE_NISC, REL_ANY },

	{ CEP_ACT_USER_READ, CEP_ROLE_ADMIN, REL_ANY },
	{ CEP_ACT_USER_WRITE, CEP_ROLE_ADMIN, REL_ANY },
	{ CEP_ACT_TOKEN_READ, CEP_ROLE_ADMIN, REL_ANY },
	{ CEP_ACT_TOKEN_ISSUE, CEP_ROLE_ADMIN, REL_ANY },
	{ CEP_ACT_TOKEN_REVOKE, CEP_ROLE_ADMIN, REL_ANY },

	{ CEP_ACT_AUDIT_READ, CEP_ROLE_ADMIN, REL_ANY },
	{ CEP_ACT_AUDIT_READ, CEP_ROLE_AUDITOR, REL_ANY },
	{ CEP_ACT_AUDIT_VERIFY, CEP_ROLE_ADMIN, REL_ANY },
	{ CEP_ACT_AUDIT_VERIFY, CEP_ROLE_AUDITOR, REL_ANY },

	ALL_USERS(CEP_ACT_SELF_READ),
};

static const char *const action_names[CEP_ACT__COUNT] = {
	[CEP_ACT_REGISTRY_READ] = "registry.read", [CEP_ACT_REGISTRY_WRITE] = "registry.write",
	[CEP_ACT_SYSTEMS_READ] = "systems.read",   [CEP_ACT_USER_READ] = "user.read",
	[CEP_ACT_USER_WRITE] = "user.write",       [CEP_ACT_TOKEN_READ] = "token.read",
	[CEP_ACT_TOKEN_ISSUE] = "token.issue",     [CEP_ACT_TOKEN_REVOKE] = "token.revoke",
	[CEP_ACT_AUDIT_READ] = "audit.read",       [CEP_ACT_AUDIT_VERIFY] = "audit.verify",
	[CEP_ACT_SELF_READ] = "self.read",
};

const char *policy_action_name(enum cep_action action)
{
	if ((int)action < 0 || action >= CEP_ACT__COUNT)
		return "unknown";
	return action_names[action];
}

static int known(const struct cep_principal *p, enum cep_action action)
{
	return p && (int)action >= 0 && action < CEP_ACT__COUNT && p->role > CEP_ROLE_NONE &&
	       p->role < CEP_ROLE__COUNT;
}

static int rel_holds(const struct cep_principal *p, enum rel rel, const struct cep_object *o)
{
	switch (rel) {
	case REL_ANY:
		return 1;
	case REL_OWN_ORG:
		return o && p->org_id[0] && strcmp(p->org_id, o->org_id) == 0;
	case REL_MINISTRY:
		return o && p->ministry_id[0] && strcmp(p->ministry_id, o->ministry_id) == 0;
	case REL_SELF:
		return o && p->user_id[0] && strcmp(p->user_id, o->user_id) == 0;
	}
	return 0;
}

int policy_check(const struct cep_principal *p, enum cep_action action, const struct cep_object *obj)
{
	if (!known(p, action))
		return CEP_EPERM;
	if (p->role == CEP_ROLE_SYSTEM)
		return 0;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].action == action && rules[i].role == p->role &&
		    rel_holds(p, rules[i].rel, obj))
			return 0;
	return CEP_EPERM;
}

unsigned policy_scope(const struct cep_principal *p, enum cep_action action)
{
	unsigned scope = 0;

	if (!known(p, action))
		return 0;
	if (p->role == CEP_ROLE_SYSTEM)
		return CEP_SCOPE_ALL;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (rules[i].action != action || rules[i].role != p->role)
			continue;
		switch (rules[i].rel) {
		case REL_ANY:
			return CEP_SCOPE_ALL;
		case REL_OWN_ORG:
			if (p->org_id[0])
				scope |= CEP_SCOPE_OWN_ORG;
			break;
		case REL_MINISTRY:
			if (p->ministry_id[0])
				scope |= CEP_SCOPE_MINISTRY;
			break;
		case REL_SELF:
			if (p->user_id[0])
				scope |= CEP_SCOPE_SELF;
			break;
		}
	}
	return scope;
}
