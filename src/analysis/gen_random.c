/* gen_random.c - random layers: Erdős–Rényi G(n, p) by geometric skips
 * (Batagelj and Brandes 2005: O(n + m), no pair drawn twice), scale-free by
 * the configuration model (power-law degrees, stubs shuffled and paired,
 * self-loops and repeated pairs dropped), and layers coupled one-to-one by
 * mutual dependencies. Layer k draws from the random stream (seed, k). */
#include "analysis/gen_int.h"
#include "analysis/rng.h"

#include "base/alloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A growable list of links (pairs of node numbers within a layer). */
struct pairs {
	uint32_t *a, *b;
	size_t n, cap;
};

static int pairs_push(struct pairs *p, uint32_t a, uint32_t b)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 1024;
		uint32_t *na = cep_realloc(p->a, cap * sizeof(*na)), *nb;

		if (!na)
			return CEP_ENOMEM;
		p->a = na;
		nb = cep_realloc(p->b, cap * sizeof(*nb));
		if (!nb)
			return CEP_ENOMEM;
		p->b = nb;
		p->cap = cap;
	}
	p->a[p->n] = a;
	p->b[p->n] = b;
	p->n++;
	return 0;
}

static void pairs_free(struct pairs *p)
{
	cep_free(p->a);
	cep_free(p->b);
	memset(p, 0, sizeof(*p));
}

/* G(n, p), p = degree / (n - 1): pairs (v, w), w < v, in ascending order. */
static int er_links(struct an_rng *r, uint32_t n, double degree, struct pairs *out)
{
	double p = degree / ((double)n - 1), lp = log1p(-p);
	int64_t v = 1, w = -1;

	while (v < n) {
		w += 1 + (int64_t)floor(log1p(-an_rng_unit(r)) / lp);
		while (w >= v && v < n) {
			w -= v;
			v++;
		}
		if (v < n && pairs_push(out, (uint32_t)v, (uint32_t)w))
			return CEP_ENOMEM;
	}
	return 0;
}

/* Least-significant-digit radix sort of keys[0..n) (tmp: n more; count:
 * 65536). */
static void radix_sort(uint64_t *keys, uint64_t *tmp, size_t *count, size_t n)
{
	for (int shift = 0; shift < 64; shift += 16) {
		memset(count, 0, 65536 * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[(keys[i] >> shift) & 0xffff]++;
		for (size_t i = 0, sum = 0; i < 65536; i++) {
			size_t c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(keys[i] >> shift) & 0xffff]++] = keys[i];
		memcpy(keys, tmp, n * sizeof(*keys));
	}
}

/* The configuration model: degree k = round(x), x Pareto with exponent
 * gamma and mean `degree`, k in [1, sqrt(n * degree)] (the structural cutoff);
 * stubs shuffled and paired; self-loops and repeats dropped; pairs (v, w),
 * w < v, in ascending order. */
static int sf_links(struct an_rng *r, uint32_t n, double degree, double gamma, struct pairs *out)
{
	double xmin = degree * (gamma - 2) / (gamma - 1), kmax = floor(sqrt((double)n * degree));
	uint32_t *deg = cep_malloc((size_t)n * sizeof(*deg)), *stub = NULL;
	uint64_t *key = NULL, *tmp = NULL, total = 0;
	size_t *count = cep_malloc(65536 * sizeof(*count));
	size_t nk = 0;
	int rc = CEP_ENOMEM;

	if (kmax > n - 1)
		kmax = n - 1;
	if (!deg || !count)
		goto out;
	for (uint32_t i = 0; i < n; i++) {
		double x = xmin * pow(1 - an_rng_unit(r), -1 / (gamma - 1)) + 0.5;

		deg[i] = x < 1 ? 1 : x > kmax ? (uint32_t)kmax : (uint32_t)x;
		total += deg[i];
	}
	if (total & 1) { /* an even number of stubs */
		if (deg[n - 1] > 1) {
			deg[n - 1]--;
			total--;
		} else {
			deg[n - 1]++;
			total++;
		}
	}
	stub = cep_malloc(total * sizeof(*stub));
	key = cep_malloc((total / 2 + 1) * sizeof(*key));
	tmp = cep_malloc((total / 2 + 1) * sizeof(*tmp));
	if (!stub || !key || !tmp)
		goto out;
	for (uint32_t i = 0, k = 0; i < n; i++)
		for (uint32_t j = 0; j < deg[i]; j++)
			stub[k++] = i;
	for (uint64_t i = total - 1; i > 0; i--) {
		uint64_t j = an_rng_u64(r) % (i + 1), t = stub[i];

		stub[i] = stub[j];
		stub[j] = (uint32_t)t;
	}
	for (uint64_t i = 0; i + 1 < total; i += 2) {
		uint32_t a = stub[i], b = stub[i + 1];

		if (a != b)
			key[nk++] = a > b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
	}
	radix_sort(key, tmp, count, nk);
	for (size_t i = 0; i < nk; i++)
		if ((i == 0 || key[i] != key[i - 1]) &&
		    pairs_push(out, (uint32_t)(key[i] >> 32), (uint32_t)key[i]))
			goto out;
	rc = 0;
out:
	cep_free(deg);
	cep_free(stub);
	cep_free(key);
	cep_free(tmp);
	cep_free(count);
	return rc;
}

/* Layer k's name: "er", "sf", or A, B, C... for coupled layers. */
static void layer_name(const struct an_gen_spec *s, uint32_t k, char *buf, size_t size)
{
	if (s->kind == AN_GEN_COUPLED)
		snprintf(buf, size, "%c", 'A' + (int)k);
	else
		snprintf(buf, size, "%s", s->kind == AN_GEN_ER ? "er" : "sf");
}

int an_gen_random(const struct an_gen_spec *s, const struct an_progress *progress,
		  struct an_model **ret, struct cep_error *err)
{
	uint32_t layers = s->kind == AN_GEN_COUPLED ? s->layers : 1, n = s->nodes;
	int sf = s->kind == AN_GEN_SF || (s->kind == AN_GEN_COUPLED && s->scale_free);
	struct an_builder *b = an_builder_new();
	struct pairs links = { 0 };
	struct gen_tick tick;
	struct an_rng r;
	char id[32], layer[8];
	int rc = 0;

	if (!b)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	gen_tick_init(&tick, progress, (unsigned long)an_gen_estimate_nodes(s) +
					       (unsigned long)an_gen_estimate_edges(s));
	for (uint32_t k = 0; k < layers && !rc; k++) {
		struct an_node_spec ns = { .kind = "node", .layer = layer, .weight = 1,
					   .repair_hours = 24 };
		uint32_t idx;

		layer_name(s, k, layer, sizeof(layer));
		ns.id = id;
		for (uint32_t i = 0; i < n && !rc; i++) {
			snprintf(id, sizeof(id), "%s%u", s->kind == AN_GEN_COUPLED ? layer : "n", i);
			rc = an_builder_add_node(b, &ns, &idx, err);
			if (!rc && (i & 4095) == 4095)
				rc = gen_tick_add(&tick, 4096, err);
		}
	}
	for (uint32_t k = 0; k < layers && !rc; k++) {
		uint32_t base = k * n;

		an_rng_init(&r, s->seed, k);
		links.n = 0;
		rc = sf ? sf_links(&r, n, s->degree, s->exponent, &links)
			: er_links(&r, n, s->degree, &links);
		if (rc) {
			cep_error_set(err, rc, NULL, "out of memory");
			break;
		}
		for (size_t i = 0; i < links.n && !rc; i++) {
			rc = an_builder_add_link(b, base + links.a[i], base + links.b[i], err);
			if (!rc && (i & 4095) == 4095)
				rc = gen_tick_add(&tick, 4096, err);
		}
	}
	/* node i of layer k and node i of layer k + 1 depend on each other */
	for (uint32_t k = 0; k + 1 < layers && !rc; k++) {
		const char *down = k % 2 ? "communications" : "power";
		const char *up = k % 2 ? "power" : "communications";

		for (uint32_t i = 0; i < n && !rc; i++) {
			uint32_t a = k * n + i, c = (k + 1) * n + i;

			rc = an_builder_add_dep(b, a, c, down, 0, NULL, 1, err);
			if (!rc)
				rc = an_builder_add_dep(b, c, a, up, 0, NULL, 1, err);
			if (!rc && (i & 2047) == 2047)
				rc = gen_tick_add(&tick, 4096, err);
		}
	}
	pairs_free(&links);
	if (rc) {
		an_builder_free(b);
		return rc;
	}
	return an_builder_finish(b, ret, err);
}
