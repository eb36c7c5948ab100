/* alloc.h - every allocation of ceptoar goes through these wrappers, so that
 * tests can make the n-th allocation fail (cep_alloc_fail_after) and check
 * that nothing leaks or crashes on the failure path. jansson is pointed at
 * them too (cep_alloc_install). */
#ifndef CEP_BASE_ALLOC_H
#define CEP_BASE_ALLOC_H

#include <stddef.h>

/* Like malloc/calloc/realloc/free/strdup. Return NULL on failure (or on an
 * injected failure). The caller owns the result and frees it with cep_free. */
void *cep_malloc(size_t n);
void *cep_calloc(size_t count, size_t size);
void *cep_realloc(void *p, size_t n);
char *cep_strdup(const char *s);
char *cep_strndup(const char *s, size_t n);
/* Accepts NULL. */
void cep_free(void *p);

/* Test hook: after n more successful allocations, every allocation fails.
 * n < 0 disables injection (the default). Not thread-safe; tests only. */
void cep_alloc_fail_after(long n);

/* Number of allocations that have failed in the calling thread (injected or
 * real). Lets a caller tell "out of memory" from other failures of a library
 * that allocates through these wrappers but does not say why it failed (jansson). */
unsigned long cep_alloc_failures(void);

/* Call once at start: routes jansson's allocations through these wrappers,
 * and has blocks of 2 MiB or more mapped afresh, so that they take the huge
 * pages they ask for (large blocks ask the kernel for transparent huge
 * pages: the analysis reads its large arrays at random places). */
void cep_alloc_install(void);

#endif
