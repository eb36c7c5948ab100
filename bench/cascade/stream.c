/* stream.c - the memory-bandwidth yardstick of the cascade benchmark: one
 * pass summing a uint32 array of N entries (N = 2 |E|, the size of a model's
 * edge list as the cascade reads it), best of 7, on one thread like one
 * cascade. Prints the seconds of the best pass on stdout; on stderr, the
 * same sum over an array that stays in the core's cache, per entry, against
 * the pass's: a pass several times slower per entry than from the cache is
 * bound by memory, not by the adds.
 *
 * Built with -O3 (bench.py) so that the sum is vectorised: a scalar sum,
 * one add after the other, is bound by its adds at about the speed memory
 * delivers, and measured the core's speed rather than memory's (1.2 to 2.7
 * times the vectorised pass on the machine of bench/RESULTS.md).
 * Usage: stream N */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CACHED 8192u /* entries of the in-cache array: 32 KiB */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The sum of a[0..n) modulo 2^32 (a checksum: no widening, so that four
 * entries take one vector add); kept out of line so that both arrays run the
 * same code. */
__attribute__((noinline)) static uint32_t sum_of(const uint32_t *a, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += a[i];
	return sum;
}

/* The best of `reps` timed runs of `inner` sums of a[0..n), per run. */
static double best_pass(const uint32_t *a, size_t n, int reps, int inner, uint32_t *sum)
{
	double best = 1e30;

	for (int r = 0; r < reps; r++) {
		double t = now();

		for (int k = 0; k < inner; k++)
			*sum += sum_of(a, n);
		t = (now() - t) / inner;
		if (t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 0;
	uint32_t *a;
	uint32_t sum = 0;
	double best, cached;

	if (n < CACHED || !(a = malloc(n * sizeof(*a)))) {
		fprintf(stderr, "usage: stream N (%u <= N entries that fit in memory)\n", CACHED);
		return 2;
	}
	for (size_t i = 0; i < n; i++)
		a[i] = (uint32_t)(i * 2654435761u);
	best = best_pass(a, n, 7, 1, &sum);
	cached = best_pass(a, CACHED, 7, 1000, &sum);
	printf("%.9f\n", best);
	fprintf(stderr, "stream: %zu entries, %.3f ns an entry; from the cache %.3f ns (%.1fx); "
		"checksum %u\n", n, best / (double)n * 1e9, cached / CACHED * 1e9,
		best / (double)n / (cached / CACHED), sum);
	free(a);
	return 0;
}
