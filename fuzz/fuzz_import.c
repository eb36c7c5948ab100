/* fuzz_import.c - the operator CSV import on arbitrary bytes. Besides not
 * crashing, it checks the import's promise: a rejected file leaves nothing
 * behind, an accepted one adds exactly the organisations it reports. */
#include "base/alloc.h"
#include "base/crypto.h"
#include "registry/registry.h"
#include "store/sql.h"

#include <stdint.h>
#include <stdlib.h>

static struct store *db;
static struct cep_principal console;

static int64_t operators(void)
{
	int64_t n = -1;

	if (store_query_int(db, "SELECT count(*) FROM orgs WHERE kind = 'operator'", NULL, 0, &n) < 0)
		abort();
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *res = NULL;
	int rc;

	if (!db) {
		cep_alloc_install();
		cep_crypto_init();
		cep_principal_system(&console);
		if (store_open(":memory:", &db, NULL) < 0 || store_migrate(db, NULL, NULL, NULL) < 0 ||
		    reg_load_reference(db, &console, NULL, NULL) < 0)
			abort();
	}
	rc = reg_import_operators(db, &console, (const char *)data, size, &res, NULL);
	if (rc < 0) {
		if (res || operators() != 0)
			abort(); /* a rejected file must leave nothing behind */
		return 0;
	}
	if (operators() != json_integer_value(json_object_get(res, "orgs")))
		abort();
	json_decref(res);
	if (store_exec(db, "DELETE FROM systems; DELETE FROM services; DELETE FROM org_ceptoars;"
			   " DELETE FROM orgs WHERE kind = 'operator'") < 0)
		abort();
	return 0;
}
