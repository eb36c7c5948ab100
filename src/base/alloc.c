/* alloc.c - allocation wrappers with failure injection. */
#include "base/alloc.h"

#include <jansson.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* A huge page of the kernel's transparent huge pages (x86-64, arm64 with 4 KiB
 * pages). */
#define HUGE_PAGE ((uintptr_t)2 << 20)

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

/* Ask for huge pages under the block p of n bytes, where it spans whole ones:
 * the analysis reads its large arrays (a model's edges, a simulation's
 * states) at random places, and with small pages nearly every such read
 * also misses the address translation cache, whose refill under a virtual
 * machine costs several more reads. Only a hint: without transparent huge
 * pages (or with them off) nothing changes. Small blocks are left alone. */
static void *hinted(void *p, size_t n)
{
	uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t z = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);

	if (p && z > a)
		madvise((void *)a, z - a, MADV_HUGEPAGE);
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
	return hinted(counted(malloc(n ? n : 1)), n);
}

void *cep_calloc(size_t count, size_t size)
{
	void *p;

	if (injected_failure())
		return NULL;
	p = counted(calloc(count ? count : 1, size ? size : 1));
	/* count * size did not overflow: calloc checked it */
	return hinted(p, p ? count * size : 0);
}

void *cep_realloc(void *p, size_t n)
{
	if (injected_failure())
		return NULL;
	return hinted(counted(realloc(p, n ? n : 1)), n);
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
	/* blocks of a huge page or more are mapped afresh, never carved from
	 * memory used before (whose small pages would stay small) */
	mallopt(M_MMAP_THRESHOLD, (int)HUGE_PAGE);
	json_set_alloc_funcs(cep_malloc, cep_free);
}
