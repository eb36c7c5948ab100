/* handling.c - TLP, scope, restrictions, classification. */
#include "core/handling.h"

#include "base/err.h"

#include <string.h>

static const char *const tlp_names[CEP_TLP__COUNT] = { "CLEAR", "GREEN", "AMBER", "AMBER+STRICT",
						       "RED" };
static const char *const scope_names[CEP_SCOPE_TO__COUNT] = { "ministry", "ceptoar", "council",
							      "all" };

const char *cep_tlp_name(enum cep_tlp t)
{
	return (int)t >= 0 && t < CEP_TLP__COUNT ? tlp_names[t] : "RED";
}

int cep_tlp_parse(const char *s, enum cep_tlp *ret)
{
	if (!s)
		return CEP_EINVAL;
	if (strncmp(s, "TLP:", 4) == 0)
		s += 4;
	if (strcmp(s, "WHITE") == 0) { /* TLP 1.0 name of CLEAR */
		*ret = CEP_TLP_CLEAR;
		return 0;
	}
	for (int i = 0; i < CEP_TLP__COUNT; i++) {
		if (strcmp(s, tlp_names[i]) == 0) {
			*ret = (enum cep_tlp)i;
			return 0;
		}
	}
	return CEP_EINVAL;
}

const char *cep_scope_name(enum cep_scope s)
{
	return (int)s >= 0 && s < CEP_SCOPE_TO__COUNT ? scope_names[s] : "ministry";
}

int cep_scope_parse(const char *s, enum cep_scope *ret)
{
	for (int i = 0; s && i < CEP_SCOPE_TO__COUNT; i++) {
		if (strcmp(s, scope_names[i]) == 0) {
			*ret = (enum cep_scope)i;
			return 0;
		}
	}
	return CEP_EINVAL;
}

bool cep_tlp_allows_scope(enum cep_tlp t, enum cep_scope s)
{
	switch (t) {
	case CEP_TLP_CLEAR:
	case CEP_TLP_GREEN:
		return true;
	case CEP_TLP_AMBER:
		return s <= CEP_SCOPE_TO_COUNCIL;
	default:
		return s == CEP_SCOPE_TO_MINISTRY;
	}
}

bool cep_tlp_may_email(enum cep_tlp t)
{
	return t <= CEP_TLP_AMBER;
}

static const struct {
	unsigned bit;
	const char *name;
} handling[] = {
	{ CEP_HANDLING_NO_COPY, "no-copy" },
	{ CEP_HANDLING_NO_REDISTRIBUTION, "no-redistribution" },
	{ CEP_HANDLING_NO_EXPORT, "no-export" },
};

int cep_handling_parse(const char *s, unsigned *ret_bit)
{
	for (size_t i = 0; s && i < sizeof(handling) / sizeof(handling[0]); i++) {
		if (strcmp(s, handling[i].name) == 0) {
			*ret_bit = handling[i].bit;
			return 0;
		}
	}
	return CEP_EINVAL;
}

const char *cep_handling_name(unsigned bit)
{
	for (size_t i = 0; i < sizeof(handling) / sizeof(handling[0]); i++)
		if (handling[i].bit == bit)
			return handling[i].name;
	return "";
}

int cep_classification_valid(const char *s)
{
	static const char *const names[] = { "none", "confidential-1", "confidential-2",
					     "confidential-3", NULL };

	for (const char *const *n = names; s && *n; n++)
		if (strcmp(*n, s) == 0)
			return 1;
	return 0;
}
