/* alloc.c - allocation wrappers with failure injection. */
#include "base/alloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static long fail_after = -1;
static _Thread_local unsigned long failures; /* failed allocations of this thread */

static int injected_failure(void)
{
	if (fail_after < 0)
		return 0;
	if (fail_after == 0) {
		failures++;
		return 1;
	}
	fail_after--;
	return 0;
}

/* p, counting a real allocation failure. */
static void *counted(void *p)
{
	if (!p)
		failures++;
	return p;
}

unsigned long cep_alloc_failures(void)
{
	return failures;
}

void cep_alloc_fail_after(long n)
{
	fail_after = n;
}

void *cep_malloc(size_t n)
{
	if (injected_failure())
		return NULL;
	return counted(malloc(n ? n : 1));
}

void *cep_calloc(size_t count, size_t size)
{
	if (injected_failure())
		return NULL;
	return counted(calloc(count ? count : 1, size ? size : 1));
}

void *cep_realloc(void *p, size_t n)
{
	if (injected_failure())
		return NULL;
	return counted(realloc(p, n ? n : 1));
}

char *cep_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = cep_malloc(len + 1);

	if (!d)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *cep_strdup(const char *s)
{
	return cep_strndup(s, strlen(s));
}

void cep_free(void *p)
{
	free(p);
}

void cep_alloc_install(void)
{
	json_set_alloc_funcs(cep_malloc, cep_free);
}
