/* fixture.h - what the unit tests of the services share: a store in memory
 * with the schema, the reference data and a few operators, users added by
 * name, a user's principal. Header only (each test program is one file) and
 * static inline (a test takes what it needs); every call asserts with cmocka,
 * so it comes after <cmocka.h>. */
#ifndef CEP_TESTS_FIXTURE_H
#define CEP_TESTS_FIXTURE_H

#include "core/principal.h"
#include "identity/identity.h"
#include "registry/registry.h"
#include "store/sql.h"

#include <string.h>

/* The local console: the principal that sets a store up, as the CLI does. */
static inline struct cep_principal fx_console(void)
{
	struct cep_principal p;

	cep_principal_system(&p);
	return p;
}

/* A store in memory (the caller closes it) with the schema and the reference
 * data, and the operators of operators_csv (the registry's import format;
 * NULL: none). */
static inline struct store *fx_store(const char *operators_csv)
{
	struct cep_principal console = fx_console();
	struct store *s = NULL;
	json_t *res = NULL;

	assert_int_equal(store_open(":memory:", &s, NULL), 0);
	assert_int_equal(store_migrate(s, NULL, NULL, NULL), 0);
	assert_int_equal(reg_load_reference(s, &console, NULL, NULL), 0);
	if (operators_csv) {
		assert_int_equal(reg_import_operators(s, &console, operators_csv,
						      strlen(operators_csv), &res, NULL),
				 0);
		json_decref(res);
	}
	return s;
}

/* Add user `name` of org (its code or id) with role, as the console. */
static inline void fx_user(struct store *s, const char *name, const char *org, const char *role)
{
	struct cep_principal console = fx_console();
	json_t *in = json_pack("{s:s, s:s, s:s}", "name", name, "org", org, "role", role);
	json_t *res = NULL;

	assert_int_equal(idn_user_add(s, &console, in, &res, NULL), 0);
	json_decref(res);
	json_decref(in);
}

/* The principal of user `name`. */
static inline struct cep_principal fx_as(struct store *s, const char *name)
{
	struct cep_principal p;

	assert_int_equal(idn_principal_by_name(s, name, &p, NULL), 0);
	return p;
}

#endif
