/* jfield.h - reading the members of a JSON object of a model or a scenario,
 * each error naming the member by its path ("events[2].start_hours") in
 * err.field and in the message. Shared by load.c and scenario.c. */
#ifndef CEP_ANALYSIS_JFIELD_H
#define CEP_ANALYSIS_JFIELD_H

#include "base/err.h"

#include <jansson.h>
#include <stddef.h>

/* The path of member key of the object at path ("" for the top) into out. */
void an_jpath(char *out, size_t size, const char *path, const char *key);

/* Fail with CEP_EINVAL naming the first member of obj (at path) that is not
 * in the NULL-terminated list allowed. */
int an_jonly(const json_t *obj, const char *path, const char *const *allowed,
	     struct cep_error *err);

/* Optional text member: absent or null gives *ret = NULL (CEP_EINVAL when
 * required); otherwise a string of valid UTF-8 without control characters,
 * at most max_bytes bytes. *ret is borrowed from obj. */
int an_jtext(const json_t *obj, const char *path, const char *key, size_t max_bytes,
	     int required, const char **ret, struct cep_error *err);

/* Optional number member in [min, max]: absent or null gives def. */
int an_jnum(const json_t *obj, const char *path, const char *key, double min, double max,
	    double def, double *ret, struct cep_error *err);

/* Optional boolean member: absent or null gives def. */
int an_jbool(const json_t *obj, const char *path, const char *key, int def, int *ret,
	     struct cep_error *err);

#endif
