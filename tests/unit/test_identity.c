/* test_identity.c - users, argon2id passwords, hashed tokens with expiry and
 * revocation, sessions, the last-admin rule, the first administrator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/crypto.h"
#include "identity/identity.h"
#include "registry/registry.h"
#include "store/sql.h"

#include "fixture.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct cep_principal console;

static struct store *fresh(void)
{
	return fx_store(NULL);
}

static void add_user(struct store *s, const char *name, const char *org, const char *role,
		     const char *password)
{
	json_t *in = json_pack("{s:s, s:s, s:s}", "name", name, "org", org, "role", role);
	json_t *res = NULL;

	if (password)
		json_object_set_new(in, "password", json_string(password));
	assert_int_equal(idn_user_add(s, &console, in, &res, NULL), 0);
	json_decref(res);
	json_decref(in);
}

static char *issue(struct store *s, const char *user)
{
	json_t *res = NULL;
	char *secret = NULL;

	assert_int_equal(idn_token_issue(s, &console, user, "t", 0, &secret, &res, NULL), 0);
	json_decref(res);
	return secret;
}

static void test_token_lifecycle(void **state)
{
	struct store *s = fresh();
	struct cep_principal p;
	char *secret;
	json_t *row = NULL;

	(void)state;
	add_user(s, "ops1", "fsa", "ministry", NULL);
	secret = issue(s, "ops1");
	assert_int_equal(strncmp(secret, "cep_", 4), 0);
	assert_int_equal(idn_auth_token(s, secret, &p), 0);
	assert_int_equal(p.role, CEP_ROLE_MINISTRY);
	assert_string_equal(p.ministry_id, "fsa");
	/* stored hashed: the secret itself is nowhere in the table */
	assert_int_equal(store_query_one(s, "SELECT hash FROM tokens", NULL, 0, &row), 0);
	assert_string_not_equal(json_string_value(json_object_get(row, "hash")), secret);
	assert_int_equal(strlen(json_string_value(json_object_get(row, "hash"))), 64);
	json_decref(row);
	/* a wrong or malformed token */
	assert_int_equal(idn_auth_token(s, "cep_nope", &p), CEP_EAUTH);
	assert_int_equal(idn_auth_token(s, "", &p), CEP_EAUTH);
	/* expiry */
	assert_int_equal(store_exec(s, "UPDATE tokens SET expires_at = 1"), 0);
	assert_int_equal(idn_auth_token(s, secret, &p), CEP_EAUTH);
	assert_int_equal(store_exec(s, "UPDATE tokens SET expires_at = 4102444800"), 0);
	assert_int_equal(idn_auth_token(s, secret, &p), 0);
	/* disabled user */
	{
		json_t *in = json_pack("{s:b}", "disabled", 1), *res = NULL;

		assert_int_equal(idn_user_update(s, &console, "ops1", in, &res, NULL), 0);
		assert_int_equal(idn_auth_token(s, secret, &p), CEP_EAUTH);
		json_decref(res);
		json_object_set_new(in, "disabled", json_false());
		assert_int_equal(idn_user_update(s, &console, "ops1", in, &res, NULL), 0);
		json_decref(res);
		json_decref(in);
	}
	assert_int_equal(idn_auth_token(s, secret, &p), 0);
	/* revocation */
	assert_int_equal(store_query_one(s, "SELECT id FROM tokens", NULL, 0, &row), 0);
	assert_int_equal(idn_token_revoke(s, &console, json_string_value(json_object_get(row, "id")),
					  NULL),
			 0);
	json_decref(row);
	assert_int_equal(idn_auth_token(s, secret, &p), CEP_EAUTH);
	assert_int_equal(idn_token_revoke(s, &console, "no-such-token", NULL), CEP_ENOTFOUND);
	cep_free(secret);
	store_close(s);
}

static void test_user_validation(void **state)
{
	static const struct {
		const char *json;
		int code;
		const char *field;
	} cases[] = {
		{ "{\"name\":\"a b\",\"org\":\"fsa\",\"role\":\"nisc\"}", CEP_EINVAL, "name" },
		{ "{\"org\":\"fsa\",\"role\":\"nisc\"}", CEP_EINVAL, "name" },
		{ "{\"name\":\"x\",\"org\":\"nosuch\",\"role\":\"nisc\"}", CEP_ESEMANTIC, "org" },
		{ "{\"name\":\"x\",\"org\":\"fsa\",\"role\":\"king\"}", CEP_EINVAL, "role" },
		{ "{\"name\":\"x\",\"org\":\"fsa\",\"role\":\"system\"}", CEP_EINVAL, "role" },
		{ "{\"name\":\"x\",\"org\":\"fsa\",\"role\":\"nisc\",\"password\":\"short\"}", CEP_EINVAL, "password" },
		{ "{\"name\":\"x\",\"org\":\"fsa\",\"role\":\"nisc\",\"colour\":1}", CEP_EINVAL, "colour" },
		{ "{\"name\":\"x\",\"org\":\"fsa\",\"role\":1}", CEP_EINVAL, "role" },
		{ "{\"name\":\"dup\",\"org\":\"fsa\",\"role\":\"nisc\"}", CEP_EEXIST, "name" },
	};
	struct store *s = fresh();

	(void)state;
	add_user(s, "dup", "nisc", "nisc", NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *in = json_loads(cases[i].json, 0, NULL), *res = NULL;
		struct cep_error err;

		cep_error_init(&err);
		assert_int_equal(idn_user_add(s, &console, in, &res, &err), cases[i].code);
		assert_string_equal(err.field, cases[i].field);
		assert_null(res);
		json_decref(in);
	}
	{
		int64_t n = 0;

		assert_int_equal(store_query_int(s, "SELECT count(*) FROM users", NULL, 0, &n), 0);
		assert_int_equal(n, 1);
	}
	store_close(s);
}

static void test_sessions_and_passwords(void **state)
{
	struct store *s = fresh();
	struct cep_principal p;
	struct cep_error e1, e2;
	char *secret = NULL, *csrf = NULL, *csrf2 = NULL;
	json_t *row = NULL;

	(void)state;
	add_user(s, "kanri", "nisc", "nisc", "correct horse battery");
	assert_int_equal(store_query_one(s, "SELECT password_hash FROM users", NULL, 0, &row), 0);
	assert_int_equal(strncmp(json_string_value(json_object_get(row, "password_hash")),
				 "$argon2id$", 10),
			 0);
	json_decref(row);
	cep_error_init(&e1);
	cep_error_init(&e2);
	assert_int_equal(idn_login(s, "kanri", "wrong password!!", &secret, &csrf, &e1), CEP_EAUTH);
	assert_int_equal(idn_login(s, "nobody", "wrong password!!", &secret, &csrf, &e2), CEP_EAUTH);
	assert_string_equal(e1.message, e2.message); /* no hint which one was wrong */
	assert_int_equal(idn_login(s, "kanri", "correct horse battery", &secret, &csrf, NULL), 0);
	assert_int_equal(idn_auth_session(s, secret, &p, &csrf2), 0);
	assert_string_equal(csrf, csrf2);
	assert_string_equal(p.name, "kanri");
	/* a token is not a session and a session is not a token */
	assert_int_equal(idn_auth_token(s, secret, &p), CEP_EAUTH);
	assert_int_equal(idn_logout(s, &p, secret, false, NULL), 0);
	assert_int_equal(idn_auth_session(s, secret, &p, NULL), CEP_EAUTH);
	cep_free(secret);
	cep_free(csrf);
	cep_free(csrf2);
	store_close(s);
}

static void test_last_admin_kept(void **state)
{
	struct store *s = fresh();
	json_t *in = json_pack("{s:b}", "disabled", 1), *res = NULL;
	struct cep_error err;

	(void)state;
	add_user(s, "root1", "nisc", "admin", NULL);
	cep_error_init(&err);
	assert_int_equal(idn_user_update(s, &console, "root1", in, &res, &err), CEP_ESEMANTIC);
	json_decref(in);
	in = json_pack("{s:s}", "role", "auditor");
	assert_int_equal(idn_user_update(s, &console, "root1", in, &res, NULL), CEP_ESEMANTIC);
	add_user(s, "root2", "nisc", "admin", NULL);
	assert_int_equal(idn_user_update(s, &console, "root1", in, &res, NULL), 0);
	json_decref(res);
	json_decref(in);
	store_close(s);
}

static void test_bootstrap_admin_once(void **state)
{
	struct store *s = fresh();
	char path[] = "/tmp/ceptoar-test-credsXXXXXX";
	struct stat st;
	bool created = false;
	char buf[512] = "";
	FILE *f;
	int fd = mkstemp(path);

	(void)state;
	close(fd);
	unlink(path);
	assert_int_equal(idn_bootstrap_admin(s, "admin", path, &created, NULL), 0);
	assert_true(created);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_true(fread(buf, 1, sizeof(buf) - 1, f) > 0);
	fclose(f);
	assert_non_null(strstr(buf, "token=cep_"));
	assert_non_null(strstr(buf, "password="));
	/* an admin exists now: nothing is created and the file is left alone */
	assert_int_equal(idn_bootstrap_admin(s, "admin", path, &created, NULL), 0);
	assert_false(created);
	{
		char *line = strstr(buf, "token="), token[128];
		struct cep_principal p;

		sscanf(line, "token=%127s", token);
		assert_int_equal(idn_auth_token(s, token, &p), 0);
		assert_int_equal(p.role, CEP_ROLE_ADMIN);
	}
	unlink(path);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_lifecycle),
		cmocka_unit_test(test_user_validation),
		cmocka_unit_test(test_sessions_and_passwords),
		cmocka_unit_test(test_last_admin_kept),
		cmocka_unit_test(test_bootstrap_admin_once),
	};

	cep_alloc_install();
	cep_crypto_init();
	cep_principal_system(&console);
	return cmocka_run_group_tests_name("identity", tests, NULL, NULL);
}
