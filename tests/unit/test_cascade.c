/* test_cascade.c - analysis/cascade: the static cascade on hand-made models
 * (dependency chains, k-of-n redundancy groups, layers with and without
 * sources, ties, rounds), the incremental kernel against a plain reference
 * (whole relabelling every round) on thousands of random models, reset, and
 * agreement with the discrete-event simulator's final state (sim.h) when an
 * outage lasts forever. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/cascade.h"
#include "analysis/cascade_int.h"
#include "analysis/model.h"
#include "analysis/rng.h"
#include "analysis/scenario.h"
#include "analysis/sim.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- hand-made models ------------------------------------------------------- */

static uint32_t node(struct an_builder *b, const char *id, const char *layer, int source,
		     double weight)
{
	struct an_node_spec n = { .id = id, .layer = layer, .source = source, .weight = weight,
				  .repair_hours = 1 };
	uint32_t i;

	assert_int_equal(an_builder_add_node(b, &n, &i, NULL), 0);
	return i;
}

static void dep(struct an_builder *b, uint32_t s, uint32_t d, const char *group, uint32_t need)
{
	assert_int_equal(an_builder_add_dep(b, s, d, "power", 1, group, need, NULL), 0);
}

static void link2(struct an_builder *b, uint32_t x, uint32_t y)
{
	assert_int_equal(an_builder_add_link(b, x, y, NULL), 0);
}

static struct an_model *finish(struct an_builder *b)
{
	struct an_model *m = NULL;

	assert_int_equal(an_builder_finish(b, &m, NULL), 0);
	return m;
}

/* Fail the nodes named in ids (NULL-ended) on a fresh workspace of m; the
 * nodes still working are written as a string of 0/1 per node into out. */
static struct an_cascade_result run_ids(const struct an_model *m, const char *const *ids, char *out)
{
	struct an_cascade_base *b = NULL;
	struct an_cascade *c = NULL;
	struct an_cascade_result r;
	uint32_t v[16], n = 0;

	for (; ids[n]; n++)
		assert_int_equal(an_model_find(m, ids[n], &v[n]), 0);
	assert_int_equal(an_cascade_base_new(m, &b, NULL), 0);
	assert_int_equal(an_cascade_new(b, &c), 0);
	assert_int_equal(an_cascade_run(c, v, n, &r), 0);
	for (uint32_t i = 0; i < m->n_nodes; i++)
		out[i] = an_cascade_works(c, i) ? '1' : '0';
	out[m->n_nodes] = '\0';
	an_cascade_free(c);
	an_cascade_base_free(b);
	return r;
}

#define RUN(m, out, ...) run_ids((m), (const char *const[]){ __VA_ARGS__, NULL }, (out))

static void test_dependency_chain(void **state)
{
	struct an_builder *b = an_builder_new();
	struct an_model *m;
	struct an_cascade_result r;
	char s[16];

	(void)state;
	/* a -> b -> c, d alone */
	uint32_t a = node(b, "a", NULL, 0, 1), x = node(b, "b", NULL, 0, 2);
	uint32_t y = node(b, "c", NULL, 0, 4);

	node(b, "d", NULL, 0, 8);
	dep(b, a, x, NULL, 1);
	dep(b, x, y, NULL, 1);
	m = finish(b);
	r = RUN(m, s, "a");
	assert_string_equal(s, "0001");
	assert_int_equal(r.failed, 3);
	assert_true(r.damage == 7);
	assert_int_equal(r.rounds, 1); /* no layer: one pass finds nothing */
	r = RUN(m, s, "b");
	assert_string_equal(s, "1001");
	assert_true(r.damage == 6);
	r = RUN(m, s, "d", "d");
	assert_string_equal(s, "1110");
	assert_int_equal(r.failed, 1);
	an_model_free(m);
}

/* d needs 2 of its group {s1, s2, s3}, and also e (a group of its own) */
static void test_redundancy_groups(void **state)
{
	struct an_builder *b = an_builder_new();
	struct an_model *m;
	char s[16];

	(void)state;
	uint32_t s1 = node(b, "s1", NULL, 0, 1), s2 = node(b, "s2", NULL, 0, 1);
	uint32_t s3 = node(b, "s3", NULL, 0, 1), e = node(b, "e", NULL, 0, 1);
	uint32_t d = node(b, "d", NULL, 0, 1);

	dep(b, s1, d, "power", 2);
	dep(b, s2, d, "power", 2);
	dep(b, s3, d, "power", 2);
	dep(b, e, d, NULL, 1);
	m = finish(b);
	RUN(m, s, "s1");
	assert_string_equal(s, "01111");
	RUN(m, s, "s3");
	assert_string_equal(s, "11011");
	RUN(m, s, "s1", "s3");
	assert_string_equal(s, "01010");
	RUN(m, s, "e");
	assert_string_equal(s, "11100");
	an_model_free(m);
}

/* A line in a layer with a source: P - x - y - z; w hangs on y. */
static void test_layer_with_source(void **state)
{
	struct an_builder *b = an_builder_new();
	struct an_model *m;
	struct an_cascade_result r;
	char s[16];

	(void)state;
	uint32_t p = node(b, "P", "g", 1, 0), x = node(b, "x", "g", 0, 1);
	uint32_t y = node(b, "y", "g", 0, 1), z = node(b, "z", "g", 0, 1);
	uint32_t w = node(b, "w", "g", 0, 1);

	link2(b, p, x);
	link2(b, x, y);
	link2(b, y, z);
	link2(b, y, w);
	m = finish(b);
	r = RUN(m, s, "x");
	assert_string_equal(s, "10000");
	assert_int_equal(r.failed, 4);
	assert_int_equal(r.rounds, 2);
	RUN(m, s, "z");
	assert_string_equal(s, "11101");
	RUN(m, s, "P");
	assert_string_equal(s, "00000");
	an_model_free(m);

	/* a second source at z keeps y, z and w when x fails */
	b = an_builder_new();
	p = node(b, "P", "g", 1, 0);
	x = node(b, "x", "g", 0, 1);
	y = node(b, "y", "g", 0, 1);
	z = node(b, "z", "g", 1, 1);
	w = node(b, "w", "g", 0, 1);
	link2(b, p, x);
	link2(b, x, y);
	link2(b, y, z);
	link2(b, y, w);
	m = finish(b);
	RUN(m, s, "x");
	assert_string_equal(s, "10111");
	RUN(m, s, "x", "z");
	assert_string_equal(s, "10000");
	an_model_free(m);
}

/* Without sources a layer keeps its largest piece; between pieces of one size,
 * the one holding the lowest node index; what is cut off at the start never
 * works. */
static void test_layer_without_source(void **state)
{
	struct an_builder *b = an_builder_new();
	struct an_cascade_base *base = NULL;
	struct an_model *m;
	char s[16];

	(void)state;
	/* a0 - a1 - a2 - a3 - a4 (a path), and c0 - c1 apart */
	uint32_t a[5], c0, c1;
	char id[8];

	for (int i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "a%d", i);
		a[i] = node(b, id, "L", 0, 1);
	}
	c0 = node(b, "c0", "L", 0, 1);
	c1 = node(b, "c1", "L", 0, 1);
	for (int i = 0; i < 4; i++)
		link2(b, a[i], a[i + 1]);
	link2(b, c0, c1);
	m = finish(b);
	assert_int_equal(an_cascade_base_new(m, &base, NULL), 0);
	assert_int_equal(an_cascade_base_working(base), 5);
	assert_false(an_cascade_base_works(base, c0));
	an_cascade_base_free(base);
	RUN(m, s, "a2"); /* pieces {a0,a1} and {a3,a4}: a tie, a0 wins */
	assert_string_equal(s, "1100000");
	RUN(m, s, "a1"); /* {a0} and {a2,a3,a4} */
	assert_string_equal(s, "0011100");
	RUN(m, s, "a0", "a1", "a2", "a3", "a4"); /* c stays down: it never worked */
	assert_string_equal(s, "0000000");
	an_model_free(m);
}

/* Across layers and dependencies: losing power node p2 fails its dependent
 * c2, which cuts c3 off the comms source, whose dependent p3 fails: two
 * rounds. */
static void test_rounds_alternate(void **state)
{
	struct an_builder *b = an_builder_new();
	struct an_model *m;
	struct an_cascade_result r;
	char s[16];

	(void)state;
	uint32_t p0 = node(b, "p0", "power", 1, 1), p1 = node(b, "p1", "power", 0, 1);
	uint32_t p2 = node(b, "p2", "power", 0, 1), c0 = node(b, "c0", "comms", 1, 1);
	uint32_t c1 = node(b, "c1", "comms", 0, 1), c2 = node(b, "c2", "comms", 0, 1);
	uint32_t c3 = node(b, "c3", "comms", 0, 1), p3 = node(b, "p3", "power", 0, 1);

	link2(b, p0, p1);
	link2(b, p1, p3);
	link2(b, p0, p2); /* p2 hangs on p0 */
	link2(b, c0, c1);
	link2(b, c1, c2);
	link2(b, c2, c3);
	dep(b, p2, c2, NULL, 1); /* c2 needs p2 */
	dep(b, c3, p3, NULL, 1); /* p3 needs c3 */
	(void)c1;
	m = finish(b);
	/* p2 fails -> c2 (dependency) -> pass 1 cuts c3 -> p3 (dependency) -> pass 2 finds nothing */
	r = RUN(m, s, "p2");
	assert_string_equal(s, "11011000");
	assert_int_equal(r.rounds, 2);
	assert_int_equal(r.failed, 4);
	an_model_free(m);
}

static void test_bad_index_and_reset(void **state)
{
	struct an_builder *b = an_builder_new();
	struct an_cascade_base *base = NULL;
	struct an_cascade *c = NULL;
	struct an_cascade_result r1, r2;
	struct an_model *m;
	uint32_t bad = 7, v;
	const uint32_t *f;
	size_t nf;

	(void)state;
	uint32_t a = node(b, "a", NULL, 0, 1), x = node(b, "b", NULL, 0, 1);

	dep(b, a, x, NULL, 1);
	m = finish(b);
	assert_int_equal(an_cascade_base_new(m, &base, NULL), 0);
	assert_int_equal(an_cascade_new(base, &c), 0);
	assert_int_equal(an_cascade_run(c, &bad, 1, &r1), CEP_EINVAL);
	assert_int_equal(an_cascade_working(c), 2);
	v = a;
	assert_int_equal(an_cascade_run(c, &v, 1, &r1), 0);
	f = an_cascade_failed(c, &nf);
	assert_int_equal(nf, 2);
	assert_int_equal(f[0], a);
	assert_int_equal(f[1], x);
	an_cascade_reset(c);
	assert_int_equal(an_cascade_working(c), 2);
	assert_true(an_cascade_works(c, x));
	assert_int_equal(an_cascade_run(c, &v, 1, &r2), 0);
	assert_int_equal(r2.failed, r1.failed);
	an_cascade_free(c);
	an_cascade_base_free(base);
	an_model_free(m);
}

/* ---- random models against a reference ------------------------------------ */

/* A random model: n nodes in up to 3 layers (some with sources, some
 * without), links within layers, dependencies in random k-of-n groups. */
static struct an_model *random_model(struct an_rng *r, uint32_t n, int all_sourced)
{
	struct an_builder *b = an_builder_new();
	uint32_t layers = 1 + an_rng_below(r, 3), layer_of[256];
	int has_source[3] = { 0, 0, 0 };
	char id[16], layer[8], group[8];

	assert_true(n <= 256);
	for (uint32_t v = 0; v < n; v++) {
		int in = an_rng_unit(r) < 0.8, source = 0;
		uint32_t l = an_rng_below(r, layers);

		snprintf(id, sizeof(id), "n%u", v);
		snprintf(layer, sizeof(layer), "L%u", l);
		if (in && all_sourced)
			source = !has_source[l] || an_rng_unit(r) < 0.12;
		else if (in)
			source = l % 2 == 1 ? 0 : an_rng_unit(r) < 0.12; /* layer L1: no sources */
		if (in)
			has_source[l] |= source;
		layer_of[v] = in ? l : UINT32_MAX;
		node(b, id, in ? layer : NULL, source, 1 + an_rng_below(r, 5));
	}
	for (uint32_t v = 0; v < n; v++) {
		uint32_t k = an_rng_below(r, 4); /* links to random earlier nodes of its layer */

		for (uint32_t i = 0; i < k && v > 0 && layer_of[v] != UINT32_MAX; i++) {
			uint32_t w = an_rng_below(r, v);

			if (layer_of[w] == layer_of[v])
				link2(b, v, w);
		}
	}
	for (uint32_t d = 0; d < n; d++) {
		uint32_t groups = an_rng_unit(r) < 0.5 ? 0 : 1 + an_rng_below(r, 2);

		for (uint32_t g = 0; g < groups; g++) {
			uint32_t size = 1 + an_rng_below(r, 3), need = 1 + an_rng_below(r, size);
			uint32_t sup[3];

			snprintf(group, sizeof(group), "g%u", g);
			for (uint32_t i = 0; i < size; i++) {
				int dup;

				do {
					sup[i] = an_rng_below(r, n);
					dup = sup[i] == d;
					for (uint32_t j = 0; j < i; j++)
						dup |= sup[j] == sup[i];
				} while (dup);
				assert_int_equal(an_builder_add_dep(b, sup[i], d, "power",
								    an_rng_below(r, 100), group,
								    need, NULL),
						 0);
			}
		}
	}
	return finish(b);
}

/* The rules of cascade.h done plainly: every round counts every group's
 * working suppliers and relabels every layer. dead is updated; returns the
 * rounds. */
static uint32_t reference(const struct an_model *m, uint8_t *dead)
{
	uint32_t rounds = 0, n = m->n_nodes, *comp = malloc(n * sizeof(*comp)), *queue = malloc(n * 4);
	uint32_t *size = malloc(n * 4);
	uint8_t *src = malloc(n);
	int failed;

	do {
		int changed;

		do { /* dependency closure */
			changed = 0;
			for (uint32_t d = 0; d < n; d++) {
				if (dead[d])
					continue;
				for (uint32_t g = m->node_group_start[d]; g < m->node_group_start[d + 1]; g++) {
					uint32_t alive = 0;

					for (uint64_t k = m->in_start[d]; k < m->in_start[d + 1]; k++) {
						uint32_t e = m->in_edge[k];

						alive += m->dep_group[e] == g && !dead[m->dep_supplier[e]];
					}
					if (alive < m->group_need[g]) {
						dead[d] = 1;
						changed = 1;
						break;
					}
				}
			}
		} while (changed);
		rounds++;
		failed = 0;
		for (uint32_t l = 0; l < m->layers.n; l++) {
			uint32_t nc = 0, best = UINT32_MAX;
			int sourced = 0;

			for (uint32_t v = 0; v < n; v++) {
				comp[v] = UINT32_MAX;
				sourced |= m->layer[v] == (int32_t)l && m->source[v];
			}
			for (uint32_t v = 0; v < n; v++) {
				uint32_t qn = 0, head = 0;

				if (m->layer[v] != (int32_t)l || dead[v] || comp[v] != UINT32_MAX)
					continue;
				comp[v] = nc;
				queue[qn++] = v;
				size[nc] = 0;
				src[nc] = 0;
				while (head < qn) {
					uint32_t u = queue[head++];

					size[nc]++;
					src[nc] |= m->source[u];
					for (uint64_t e = m->link_start[u]; e < m->link_start[u + 1]; e++) {
						uint32_t w = m->link_to[e];

						if (!dead[w] && comp[w] == UINT32_MAX) {
							comp[w] = nc;
							queue[qn++] = w;
						}
					}
				}
				if (best == UINT32_MAX || size[nc] > size[best])
					best = nc; /* components come by lowest index: ties keep the first */
				nc++;
			}
			for (uint32_t v = 0; v < n; v++) {
				if (comp[v] == UINT32_MAX)
					continue;
				if (sourced ? !src[comp[v]] : comp[v] != best) {
					dead[v] = 1;
					failed = 1;
				}
			}
		}
	} while (failed);
	free(comp);
	free(queue);
	free(size);
	free(src);
	return rounds;
}

/* One trial: k random nodes of m lost (rm, in dead over base_dead), the
 * kernel c run on them against the reference: the same nodes working, the
 * same rounds (the reference counts the pass that only confirms baseline
 * failures, as the kernel does). *res: the kernel's result. */
static void trial(struct an_rng *r, const struct an_model *m, struct an_cascade *c,
		  const uint8_t *base_dead, uint8_t *dead, uint32_t *rm, uint32_t k, int model,
		  int t, struct an_cascade_result *res)
{
	uint32_t n = m->n_nodes, rounds;

	memcpy(dead, base_dead, n);
	for (uint32_t i = 0; i < k; i++) {
		rm[i] = an_rng_below(r, n);
		dead[rm[i]] = 1;
	}
	rounds = reference(m, dead);
	assert_int_equal(an_cascade_run(c, rm, k, res), 0);
	for (uint32_t v = 0; v < n; v++)
		if (an_cascade_works(c, v) != !dead[v])
			fail_msg("model %d trial %d node %u: kernel %d, reference %d", model, t, v,
				 an_cascade_works(c, v), !dead[v]);
	assert_int_equal(res->rounds, rounds);
}

/* 6,000 random cascades (300 models, 20 each on one workspace, reset in
 * between) against the reference; the passes in the given mode
 * (cascade_int.h). */
static void against_reference(int mode)
{
	struct an_rng r;
	uint8_t base_dead[256], dead[256];
	uint32_t cases = 0, multi_round = 0;

	an_rng_init(&r, 42, (uint64_t)mode);
	for (int model = 0; model < 300; model++) {
		uint32_t n = 20 + an_rng_below(&r, 200);
		struct an_model *m = random_model(&r, n, 0);
		struct an_cascade_base *b = NULL;
		struct an_cascade *c = NULL;

		assert_int_equal(an_cascade_base_new(m, &b, NULL), 0);
		assert_int_equal(an_cascade_new(b, &c), 0);
		an_cascade_force(c, mode);
		memset(base_dead, 0, n);
		reference(m, base_dead);
		for (uint32_t v = 0; v < n; v++)
			assert_int_equal(an_cascade_base_works(b, v), !base_dead[v]);
		/* the same workspace, run and reset, again and again */
		for (int t = 0; t < 20; t++) {
			uint32_t k = t < 10 ? 1 + an_rng_below(&r, 3) : an_rng_below(&r, n / 2 + 1);
			uint32_t rm[256];
			struct an_cascade_result res;
			uint32_t working = 0;

			trial(&r, m, c, base_dead, dead, rm, k, model, t, &res);
			for (uint32_t v = 0; v < n; v++)
				working += !dead[v];
			assert_int_equal(an_cascade_working(c), working);
			multi_round += res.rounds > 2;
			cases++;
			an_cascade_reset(c);
		}
		an_cascade_free(c);
		an_cascade_base_free(b);
		an_model_free(m);
	}
	assert_int_equal(cases, 6000);
	assert_true(multi_round > 100); /* the cases do exercise long cascades */
}

static void test_random_models_against_reference(void **state)
{
	(void)state;
	against_reference(0);
}

/* Every layer repaired after its failures (the repair giving up only where it
 * must), then every layer relabelled whole: the same results. */
static void test_random_models_repaired(void **state)
{
	(void)state;
	against_reference(CASCADE_REPAIR);
}

static void test_random_models_relabelled(void **state)
{
	(void)state;
	against_reference(CASCADE_WHOLE);
}

/* A larger random model: n nodes in two layers (L0 with a few sources, L1
 * without), each linked to 1..3 random earlier nodes of its layer (a sparse,
 * tree-like network where a loss often cuts off a piece), a share of them
 * depending on a node of the other layer. */
static struct an_model *large_model(struct an_rng *r, uint32_t n)
{
	struct an_builder *b = an_builder_new();
	char id[16];

	for (uint32_t v = 0; v < n; v++) {
		snprintf(id, sizeof(id), "n%u", v);
		node(b, id, v % 2 ? "L1" : "L0", v % 2 == 0 && an_rng_unit(r) < 0.01,
		     1 + an_rng_below(r, 5));
	}
	for (uint32_t v = 2; v < n; v++) {
		uint32_t k = 1 + an_rng_below(r, 3);

		for (uint32_t i = 0; i < k; i++)
			link2(b, v, (v % 2) + 2 * an_rng_below(r, v / 2));
	}
	for (uint32_t v = 0; v < n; v++)
		if (an_rng_unit(r) < 0.3)
			dep(b, (v ^ 1) < n ? v ^ 1 : v - 1, v, NULL, 1);
	return finish(b);
}

/* Models of a few thousand nodes, where layers are repaired rather than
 * relabelled and repairs give up for their size (the default passes), against
 * the reference: small losses (one to three nodes), then larger ones. */
static void test_large_models_against_reference(void **state)
{
	struct an_rng r;
	uint32_t cases = 0, repaired = 0;

	(void)state;
	an_rng_init(&r, 99, 0);
	for (int model = 0; model < 12; model++) {
		uint32_t n = 1000 + an_rng_below(&r, 3000);
		struct an_model *m = large_model(&r, n);
		struct an_cascade_base *b = NULL;
		struct an_cascade *c = NULL;
		uint8_t *base_dead = calloc(n, 1), *dead = malloc(n);
		uint32_t *rm = malloc(n * sizeof(*rm));

		assert_int_equal(an_cascade_base_new(m, &b, NULL), 0);
		assert_int_equal(an_cascade_new(b, &c), 0);
		reference(m, base_dead);
		for (int t = 0; t < 25; t++) {
			uint32_t k = t < 20 ? 1 + an_rng_below(&r, 3) : 1 + an_rng_below(&r, n / 20);
			struct an_cascade_result res;

			trial(&r, m, c, base_dead, dead, rm, k, model, t, &res);
			repaired += res.rounds > res.full_passes;
			cases++;
			an_cascade_reset(c);
		}
		free(base_dead);
		free(dead);
		free(rm);
		an_cascade_free(c);
		an_cascade_base_free(b);
		an_model_free(m);
	}
	assert_int_equal(cases, 300);
	assert_true(repaired > 100); /* most small losses are repaired */
}

/* ---- the simulator's final state ------------------------------------------ */

/* With every layer sourced, an outage that never ends and a horizon beyond
 * every buffer, the simulator ends where the static cascade does. */
static void test_agrees_with_simulator(void **state)
{
	struct an_rng r;
	int compared = 0;

	(void)state;
	an_rng_init(&r, 7, 1);
	for (int model = 0; model < 40; model++) {
		uint32_t n = 20 + an_rng_below(&r, 60);
		struct an_model *m = random_model(&r, n, 1);
		struct an_cascade_base *b = NULL;
		struct an_cascade *c = NULL;
		struct an_sim *sim = NULL;
		struct an_ws *ws = NULL;
		struct an_timeline_opts to = { .exact = 0, .max_points = 2, .layers = 0 };

		assert_int_equal(an_cascade_base_new(m, &b, NULL), 0);
		assert_int_equal(an_cascade_new(b, &c), 0);
		assert_int_equal(an_sim_new(m, &sim, NULL), 0);
		assert_int_equal(an_ws_new(sim, &to, &ws, NULL), 0);
		for (int t = 0; t < 5; t++) {
			struct an_scenario *sc = NULL;
			struct an_cascade_result res;
			struct an_trial tr;
			struct cep_buf json;
			struct cep_error err;
			uint32_t rm[4], k = 1 + an_rng_below(&r, 4);
			uint8_t down[256] = { 0 };

			cep_buf_init(&json, 1 << 16);
			assert_int_equal(cep_buf_puts(&json, "{\"horizon_hours\": 80000, \"events\": ["), 0);
			for (uint32_t i = 0; i < k; i++) {
				rm[i] = an_rng_below(&r, n);
				assert_int_equal(cep_buf_printf(&json, "%s{\"node\": \"%s\"}", i ? "," : "",
								m->id[rm[i]]),
						 0);
			}
			assert_int_equal(cep_buf_puts(&json, "]}"), 0);
			cep_error_init(&err);
			if (an_scenario_parse(m, json.data, json.len, &sc, &err))
				fail_msg("scenario: %s", err.message);
			assert_int_equal(an_sim_trial(ws, sc, 1, (uint64_t)t, NULL), 0);
			an_ws_trial(ws, &tr);
			for (uint32_t i = 0; i < tr.n_failed; i++)
				down[tr.failed[i]] = isinf(tr.last_recovery[tr.failed[i]]);
			assert_int_equal(an_cascade_run(c, rm, k, &res), 0);
			for (uint32_t v = 0; v < n; v++) {
				/* the simulator lists what is cut off from the start too */
				int static_down = !an_cascade_works(c, v);

				if (static_down != down[v])
					fail_msg("model %d trial %d node %s: static %d, simulator %d",
						 model, t, m->id[v], static_down, down[v]);
			}
			compared++;
			an_cascade_reset(c);
			an_scenario_free(sc);
			cep_buf_free(&json);
		}
		an_ws_free(ws);
		an_sim_free(sim);
		an_cascade_free(c);
		an_cascade_base_free(b);
		an_model_free(m);
	}
	assert_int_equal(compared, 200);
}

static void test_out_of_memory(void **state)
{
	struct an_builder *b = an_builder_new();
	struct an_model *m;
	struct an_cascade_base *base = NULL;
	struct an_cascade *c = NULL;
	int ok = 0;

	(void)state;
	uint32_t p = node(b, "P", "g", 1, 1), x = node(b, "x", "g", 0, 1);

	link2(b, p, x);
	dep(b, x, p, NULL, 1);
	m = finish(b);
	for (long k = 0; k < 128 && !ok; k++) {
		cep_alloc_fail_after(k);
		if (an_cascade_base_new(m, &base, NULL) == 0) {
			if (an_cascade_new(base, &c) == 0)
				ok = 1;
			else
				assert_null(c);
		} else {
			assert_null(base);
		}
		cep_alloc_fail_after(-1);
		an_cascade_free(c);
		an_cascade_base_free(base);
		c = NULL;
		base = NULL;
	}
	assert_true(ok);
	an_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dependency_chain),
		cmocka_unit_test(test_redundancy_groups),
		cmocka_unit_test(test_layer_with_source),
		cmocka_unit_test(test_layer_without_source),
		cmocka_unit_test(test_rounds_alternate),
		cmocka_unit_test(test_bad_index_and_reset),
		cmocka_unit_test(test_random_models_against_reference),
		cmocka_unit_test(test_random_models_repaired),
		cmocka_unit_test(test_random_models_relabelled),
		cmocka_unit_test(test_large_models_against_reference),
		cmocka_unit_test(test_agrees_with_simulator),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
