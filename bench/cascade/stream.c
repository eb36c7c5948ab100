/* stream.c - the memory-bandwidth yardstick of the cascade benchmark: one
 * pass summing a uint32 array of N entries (N = 2 |E|, the size of a model's
 * edge list as the cascade reads it), best of 7, on one thread like one
 * cascade. Prints the seconds of the best pass.
 * Usage: stream N */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 0;
	uint32_t *a;
	uint64_t sum = 0;
	double best = 1e30;

	if (n == 0 || !(a = malloc(n * sizeof(*a)))) {
		fprintf(stderr, "usage: stream N (N > 0 entries that fit in memory)\n");
		return 2;
	}
	for (size_t i = 0; i < n; i++)
		a[i] = (uint32_t)(i * 2654435761u);
	for (int r = 0; r < 7; r++) {
		double t = now();

		for (size_t i = 0; i < n; i++)
			sum += a[i];
		t = now() - t;
		if (t < best)
			best = t;
	}
	printf("%.9f\n", best);
	fprintf(stderr, "stream: %zu entries, checksum %llu\n", n, (unsigned long long)sum);
	free(a);
	return 0;
}
