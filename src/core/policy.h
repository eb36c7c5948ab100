/* policy.h - THE access policy of ceptoar. Deny by default.
 *
 * One rule table answers "may this principal do this action on this object?"
 * Every read and write path asks it: single objects through policy_check(),
 * lists, counts and exports through policy_scope(), whose answer the store
 * turns into the WHERE clause of the query, so that nothing the principal may
 * not see is ever read, counted or timed. Pure: no I/O, no allocation. */
#ifndef CEP_CORE_POLICY_H
#define CEP_CORE_POLICY_H

#include "core/principal.h"

enum cep_action {
	CEP_ACT_REGISTRY_READ,   /* sectors, ministries, CEPTOARs, agencies, orgs, services, map */
	CEP_ACT_REGISTRY_WRITE,  /* create/update/delete registry entries, CSV import */
	CEP_ACT_SYSTEMS_READ,    /* an operator's critical systems (重要システム) */
	CEP_ACT_USER_READ,       /* list and read user accounts */
	CEP_ACT_USER_WRITE,      /* create, change, disable users; set passwords */
	CEP_ACT_TOKEN_READ,      /* list API tokens (never their secret) */
	CEP_ACT_TOKEN_ISSUE,     /* issue a token for a user */
	CEP_ACT_TOKEN_REVOKE,    /* revoke a token */
	CEP_ACT_AUDIT_READ,      /* read the audit trail */
	CEP_ACT_AUDIT_VERIFY,    /* verify the audit chain */
	CEP_ACT_SELF_READ,       /* one's own account ("me") */
	CEP_ACT__COUNT
};

/* Facts about the object that relationship rules need. Unset fields are "". */
struct cep_object {
	char org_id[CEP_ID_MAX];        /* the owning organisation */
	char ministry_id[CEP_ID_MAX];   /* the ministry overseeing the owner's sector */
	char user_id[CEP_ID_MAX];       /* the owning user (tokens, sessions) */
};

/* Scope bits for list queries. 0 means the principal sees nothing. */
enum {
	CEP_SCOPE_ALL = 1,       /* every object */
	CEP_SCOPE_OWN_ORG = 2,   /* objects whose org_id is the principal's org */
	CEP_SCOPE_MINISTRY = 4,  /* objects whose sector the principal's ministry oversees */
	CEP_SCOPE_SELF = 8,      /* objects owned by the principal's user */
};

/* 0 when p may do action on obj (obj may be NULL for actions with no object),
 * CEP_EPERM otherwise (and for unknown actions or roles). */
int policy_check(const struct cep_principal *p, enum cep_action action, const struct cep_object *obj);
/* The CEP_SCOPE_* bits under which p may do action on objects in a list. */
unsigned policy_scope(const struct cep_principal *p, enum cep_action action);
/* Action name for logs and tests ("registry.read", ...). */
const char *policy_action_name(enum cep_action action);

#endif
