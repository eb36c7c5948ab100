/* gen.h - model generators: the `japan` preset and random layers.
 *
 *   japan    the 47 prefectures and the ten sectors of the framework, with
 *            operators in the numbers of the CEPTOAR characteristic map (e.g.
 *            1,561 financial institutions, 1,742 municipalities); per
 *            prefecture a power grid, a telecom network and a water network
 *            (layers "power/13", "comms/13", "water/13"; power plants, core
 *            exchanges and water plants are their sources); facilities of
 *            every sector depending on them and on each other with kinds and
 *            buffers (hospitals on generators for about 72 h, base stations on
 *            batteries for 3-6 h, railways on power at once, banks on payment
 *            and IT services), suppliers in redundancy groups (k of n),
 *            weights (population served) and repair times. `scale` multiplies
 *            the facilities (not the operators): scale 1 is 44,651 nodes,
 *            scale 25 about 1.07 million; about 8 edges per node at any scale.
 *   er       one Erdős–Rényi layer G(n, p) with p = degree / (n - 1).
 *   sf       one scale-free layer: the configuration model with degrees drawn
 *            from a power law of the given exponent (mean about `degree`),
 *            self-loops and repeated links dropped.
 *   coupled  `layers` random layers (A, B, C, ...) of `nodes` nodes each,
 *            Erdős–Rényi or scale-free, node i of each layer depending on node
 *            i of the next and the next on it (one-to-one mutual dependencies,
 *            Buldyrev et al. 2010; a chain of layers beyond two).
 *
 * Random layers have no sources, so each keeps its largest component. Every
 * generator is deterministic: the same spec and seed give the same model,
 * node for node and edge for edge. Pure computation: the model is built in
 * memory (save.h writes it out). */
#ifndef CEP_ANALYSIS_GEN_H
#define CEP_ANALYSIS_GEN_H

#include "analysis/model.h"
#include "analysis/progress.h"
#include "base/err.h"

#include <stdint.h>

enum an_gen_kind { AN_GEN_JAPAN, AN_GEN_ER, AN_GEN_SF, AN_GEN_COUPLED };

/* Caps. */
#define AN_GEN_MAX_DEGREE 1000.0 /* mean degree of a random layer */
#define AN_GEN_MAX_LAYERS 26u    /* coupled layers, named A..Z */
#define AN_GEN_MAX_SCALE 500.0   /* japan: about 21 million nodes */

struct an_gen_spec {
	enum an_gen_kind kind;
	uint32_t nodes;  /* er, sf, coupled: nodes of each layer (>= 2) */
	double degree;   /* er, sf, coupled: mean degree (> 0) */
	double exponent; /* sf, coupled with sf: the power law's exponent (2 < x <= 10) */
	uint32_t layers; /* coupled: 2..AN_GEN_MAX_LAYERS */
	int scale_free;  /* coupled: the layers are scale-free (else Erdős–Rényi) */
	double scale;    /* japan: > 0 */
	uint64_t seed;
};

/* The defaults of kind k (nodes 100,000, degree 4, exponent 2.5, 2 layers,
 * scale 1, seed 1). */
void an_gen_defaults(enum an_gen_kind k, struct an_gen_spec *ret);

/* The kind named name ("japan", "er", "sf", "coupled"). 0 or CEP_EINVAL. */
int an_gen_kind_parse(const char *name, enum an_gen_kind *ret);
const char *an_gen_kind_name(enum an_gen_kind k);

/* Parse a compact spec, KIND[:A[:B[:C]]]:
 *   japan[:SCALE]   er[:NODES[:DEGREE]]   sf[:NODES[:DEGREE[:EXPONENT]]]
 *   coupled[:NODES[:DEGREE[:LAYERS[:er|sf]]]]
 * (e.g. "coupled:1000000:4"); what is left out takes its default. The seed
 * is not part of the text: ret->seed is kept (set it before). CEP_EINVAL with
 * err naming what is wrong; *ret untouched then. */
int an_gen_parse(const char *text, struct an_gen_spec *ret, struct cep_error *err);

/* Check a spec against the caps (and the model's: nodes and edges). */
int an_gen_check(const struct an_gen_spec *s, struct cep_error *err);

/* The nodes and edges the spec will give, about (for messages and caps). */
double an_gen_estimate_nodes(const struct an_gen_spec *s);
double an_gen_estimate_edges(const struct an_gen_spec *s);

/* Generate the model of spec s. *ret owned by the caller (an_model_free).
 * progress (may be NULL) is told the stages and may cancel (CEP_EBUSY).
 * CEP_EINVAL (the spec), CEP_ETOOBIG, CEP_ENOMEM. */
int an_generate(const struct an_gen_spec *s, const struct an_progress *progress,
		struct an_model **ret, struct cep_error *err);

#endif
