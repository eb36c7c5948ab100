/* fuzz_oscal.c - libFuzzer target for the Guideline's OSCAL reader
 * (standards/oscal.c, what POST /api/v1/guideline runs on an OSCAL catalog).
 *
 * Feeds the input to cep_json_parse with the server's depth cap, then to
 * std_oscal_parse, and checks what the importer relies on: a failure is
 * CEP_EINVAL, CEP_ETOOBIG or CEP_ENOMEM naming the member at fault (a JSON
 * path starting with "catalog") and gives no catalog; a catalog has an
 * edition, at least one item, every item an id, a kind among the four, a
 * parent that comes before it (or none) and a mark that is must, reference
 * or null. Allocation goes through base/alloc, so leaks show up under ASan. */
#include "base/alloc.h"
#include "base/err.h"
#include "base/json.h"
#include "standards/standards.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "fuzz_oscal: check failed at line %d: %s\n", \
				__LINE__, #cond);                                     \
			abort();                                                      \
		}                                                                     \
	} while (0)

static int known_kind(const char *k)
{
	return k && (!strcmp(k, "section") || !strcmp(k, "pillar") || !strcmp(k, "priority") ||
		     !strcmp(k, "item"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int installed;
	struct cep_error err;
	json_t *in = NULL, *cat = NULL, *seen, *it;
	size_t i;
	int rc;

	if (!installed) {
		cep_alloc_install();
		installed = 1;
	}
	if (cep_json_parse((const char *)data, size, CEP_JSON_MAX_DEPTH, &in, NULL) < 0)
		return 0;
	cep_error_init(&err);
	rc = std_oscal_parse(in, &cat, &err);
	if (rc < 0) {
		CHECK(rc == CEP_EINVAL || rc == CEP_ETOOBIG || rc == CEP_ENOMEM);
		CHECK(cat == NULL);
		CHECK(rc == CEP_ENOMEM || !strncmp(err.field, "catalog", 7));
		json_decref(in);
		return 0;
	}
	CHECK(json_is_string(json_object_get(cat, "edition")));
	CHECK(json_array_size(json_object_get(cat, "items")) > 0);
	seen = json_object();
	json_array_foreach(json_object_get(cat, "items"), i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		const json_t *parent = json_object_get(it, "parent");
		const json_t *mark = json_object_get(it, "mark");

		CHECK(id && *id);
		CHECK(known_kind(json_string_value(json_object_get(it, "kind"))));
		CHECK(json_is_null(parent) || json_object_get(seen, json_string_value(parent)));
		CHECK(json_is_null(mark) || !strcmp(json_string_value(mark), "must") ||
		      !strcmp(json_string_value(mark), "reference"));
		json_object_set_new(seen, id, json_true());
	}
	json_decref(seen);
	json_decref(cat);
	json_decref(in);
	return 0;
}
