/* latency.c - the other half of the machine, beside stream.c's bandwidth:
 * how long one read at a random place takes when the next read depends on
 * it (a chain of loads through a random cycle, one load a cache line), over
 * arrays of several sizes: one that stays in a core's cache, and larger ones
 * that do not. The cascade's searches and a Monte Carlo trial read their
 * arrays at random places, so where this figure rises, and how far, says
 * how a machine treats them; the ratios of bench/RESULTS.md move with it.
 * The arrays ask for huge pages, as the engine's large arrays do
 * (base/alloc).
 *
 * Prints one line: "SIZE_KIB:NS ..." for each size, the best of 3 runs of
 * 2 million loads each. Usage: latency */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define LINE 64u
#define LOADS 2000000L
#define HUGE_PAGE (2u << 20)

static volatile uint64_t sink; /* the chain's end: its loads are not optimised away */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A step of xorshift64: the cycle's shuffle needs no better. */
static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Nanoseconds a load over `bytes`: each line holds the index of the next
 * line of one random cycle through all of them (Sattolo's shuffle). -1 when
 * out of memory. */
static double chase(size_t bytes)
{
	size_t n = bytes / LINE, size = (n * LINE + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	uint64_t *a = aligned_alloc(HUGE_PAGE, size), *perm = malloc(n * sizeof(*perm));
	uint64_t x = 0x9e3779b97f4a7c15ULL, p = 0;
	double best = 1e30;

	if (!a || !perm) {
		free(a);
		free(perm);
		return -1;
	}
	(void)madvise(a, size, MADV_HUGEPAGE);
	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	for (size_t i = n - 1; i > 0; i--) { /* one cycle through every line */
		size_t j = (size_t)(next(&x) % i);
		uint64_t t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		a[perm[i] * (LINE / 8)] = perm[(i + 1) % n] * (LINE / 8);
	for (size_t i = 0; i < n; i++) /* once round, to bring it in */
		p = a[p];
	for (int r = 0; r < 3; r++) {
		double t = now();

		for (long i = 0; i < LOADS; i++)
			p = a[p];
		t = (now() - t) / LOADS;
		best = t < best ? t : best;
	}
	sink = p;
	free(a);
	free(perm);
	return best * 1e9;
}

int main(void)
{
	static const size_t kib[] = { 256, 4096, 65536 };

	for (size_t i = 0; i < sizeof(kib) / sizeof(kib[0]); i++) {
		double ns = chase(kib[i] << 10);

		if (ns < 0) {
			fprintf(stderr, "latency: out of memory\n");
			return 1;
		}
		printf("%s%zu:%.1f", i ? " " : "", kib[i], ns);
	}
	printf("\n");
	return 0;
}
