/* principal.c - roles. */
#include "core/principal.h"

#include "base/err.h"

#include <string.h>

static const char *const role_names[CEP_ROLE__COUNT] = {
	[CEP_ROLE_NONE] = "none",         [CEP_ROLE_ADMIN] = "admin",
	[CEP_ROLE_NISC] = "nisc",         [CEP_ROLE_MINISTRY] = "ministry",
	[CEP_ROLE_CEPTOAR] = "ceptoar",   [CEP_ROLE_OPERATOR] = "operator",
	[CEP_ROLE_AGENCY] = "agency",     [CEP_ROLE_AUDITOR] = "auditor",
	[CEP_ROLE_SYSTEM] = "system",
};

const char *cep_role_name(enum cep_role role)
{
	if ((int)role < 0 || role >= CEP_ROLE__COUNT)
		return "none";
	return role_names[role];
}

int cep_role_parse(const char *s, enum cep_role *ret_role)
{
	for (int r = CEP_ROLE_ADMIN; r < CEP_ROLE_SYSTEM; r++) {
		if (strcmp(s, role_names[r]) == 0) {
			*ret_role = (enum cep_role)r;
			return 0;
		}
	}
	return CEP_EINVAL;
}

void cep_principal_system(struct cep_principal *p)
{
	memset(p, 0, sizeof(*p));
	p->role = CEP_ROLE_SYSTEM;
	strcpy(p->name, "console");
}
