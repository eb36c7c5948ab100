/* gen.c - the generators' specs: defaults, the compact text form, checks
 * against the caps, size estimates; dispatch to gen_random.c and gen_japan.c. */
#include "analysis/gen.h"
#include "analysis/gen_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = { "japan", "er", "sf", "coupled" };

void an_gen_defaults(enum an_gen_kind k, struct an_gen_spec *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->kind = k;
	ret->nodes = 100000;
	ret->degree = 4;
	ret->exponent = 2.5;
	ret->layers = 2;
	ret->scale = 1;
	ret->seed = 1;
}

int an_gen_kind_parse(const char *name, enum an_gen_kind *ret)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++) {
		if (strcmp(name, kind_names[i]) == 0) {
			*ret = (enum an_gen_kind)i;
			return 0;
		}
	}
	return CEP_EINVAL;
}

const char *an_gen_kind_name(enum an_gen_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : "?";
}

/* A number filling all of text. */
static int number(const char *text, const char *what, double *ret, struct cep_error *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (!*text || *end || errno || !isfinite(v))
		return cep_error_set(err, CEP_EINVAL, what, "%s must be a number, not \"%s\"", what,
				     text);
	*ret = v;
	return 0;
}

static int whole(const char *text, const char *what, uint32_t *ret, struct cep_error *err)
{
	double v = 0; /* written by number() when it succeeds; set for compilers that cannot tell */
	int rc = number(text, what, &v, err);

	if (rc)
		return rc;
	if (v != floor(v) || v < 0 || v > 4294967295.0)
		return cep_error_set(err, CEP_EINVAL, what, "%s must be a whole number, not \"%s\"",
				     what, text);
	*ret = (uint32_t)v;
	return 0;
}

int an_gen_parse(const char *text, struct an_gen_spec *ret, struct cep_error *err)
{
	char buf[256], *part[6], *save = NULL;
	size_t np = 0;
	enum an_gen_kind k;
	struct an_gen_spec s;
	int rc = 0;

	if (strlen(text) >= sizeof(buf))
		return cep_error_set(err, CEP_EINVAL, "generate", "generator spec too long");
	memcpy(buf, text, strlen(text) + 1);
	for (char *t = strtok_r(buf, ":", &save); t; t = strtok_r(NULL, ":", &save)) {
		if (np == sizeof(part) / sizeof(part[0]))
			return cep_error_set(err, CEP_EINVAL, "generate",
					     "too many parts in generator spec \"%s\"", text);
		part[np++] = t;
	}
	if (!np || an_gen_kind_parse(part[0], &k))
		return cep_error_set(err, CEP_EINVAL, "generate",
				     "unknown generator \"%s\" (japan, er, sf or coupled)",
				     np ? part[0] : text);
	an_gen_defaults(k, &s);
	s.seed = ret->seed;
	if (k == AN_GEN_JAPAN) {
		if (np > 2)
			return cep_error_set(err, CEP_EINVAL, "generate", "japan[:SCALE] takes one number");
		if (np == 2)
			rc = number(part[1], "scale", &s.scale, err);
	} else {
		size_t max = k == AN_GEN_ER ? 3 : k == AN_GEN_SF ? 4 : 5;

		if (np > max)
			return cep_error_set(err, CEP_EINVAL, "generate",
					     "too many parts in generator spec \"%s\"", text);
		if (np > 1)
			rc = whole(part[1], "nodes", &s.nodes, err);
		if (!rc && np > 2)
			rc = number(part[2], "degree", &s.degree, err);
		if (!rc && np > 3 && k == AN_GEN_SF)
			rc = number(part[3], "exponent", &s.exponent, err);
		if (!rc && np > 3 && k == AN_GEN_COUPLED)
			rc = whole(part[3], "layers", &s.layers, err);
		if (!rc && np > 4) {
			if (strcmp(part[4], "sf") == 0)
				s.scale_free = 1;
			else if (strcmp(part[4], "er") != 0)
				rc = cep_error_set(err, CEP_EINVAL, "generate",
						   "coupled layers are er or sf, not \"%s\"", part[4]);
		}
	}
	if (rc)
		return rc;
	*ret = s;
	return 0;
}

double an_gen_estimate_nodes(const struct an_gen_spec *s)
{
	switch (s->kind) {
	case AN_GEN_JAPAN:
		return an_gen_japan_nodes(s->scale);
	case AN_GEN_COUPLED:
		return (double)s->nodes * s->layers;
	default:
		return s->nodes;
	}
}

double an_gen_estimate_edges(const struct an_gen_spec *s)
{
	switch (s->kind) {
	case AN_GEN_JAPAN:
		return an_gen_japan_edges(s->scale);
	case AN_GEN_COUPLED:
		return (double)s->nodes * s->layers * s->degree / 2 +
		       2.0 * s->nodes * (s->layers - 1);
	default:
		return (double)s->nodes * s->degree / 2;
	}
}

int an_gen_check(const struct an_gen_spec *s, struct cep_error *err)
{
	if ((unsigned)s->kind > AN_GEN_COUPLED)
		return cep_error_set(err, CEP_EINVAL, "generate", "unknown generator");
	if (s->kind == AN_GEN_JAPAN) {
		if (!isfinite(s->scale) || s->scale <= 0 || s->scale > AN_GEN_MAX_SCALE)
			return cep_error_set(err, CEP_EINVAL, "scale",
					     "scale must be above 0 and at most %g", AN_GEN_MAX_SCALE);
	} else {
		if (s->nodes < 2)
			return cep_error_set(err, CEP_EINVAL, "nodes", "a layer needs at least 2 nodes");
		if (!isfinite(s->degree) || s->degree <= 0 || s->degree > AN_GEN_MAX_DEGREE ||
		    s->degree >= (double)s->nodes - 1)
			return cep_error_set(err, CEP_EINVAL, "degree",
					     "degree must be above 0, below nodes - 1 and at most %g",
					     AN_GEN_MAX_DEGREE);
		if ((s->kind == AN_GEN_SF || (s->kind == AN_GEN_COUPLED && s->scale_free)) &&
		    (!isfinite(s->exponent) || s->exponent <= 2 || s->exponent > 10))
			return cep_error_set(err, CEP_EINVAL, "exponent",
					     "exponent must be above 2 and at most 10");
		if (s->kind == AN_GEN_COUPLED && (s->layers < 2 || s->layers > AN_GEN_MAX_LAYERS))
			return cep_error_set(err, CEP_EINVAL, "layers",
					     "coupled layers must be 2 to %u", AN_GEN_MAX_LAYERS);
	}
	if (an_gen_estimate_nodes(s) > AN_MAX_NODES)
		return cep_error_set(err, CEP_ETOOBIG, s->kind == AN_GEN_JAPAN ? "scale" : "nodes",
				     "the model would have about %.0f nodes; the cap is %u",
				     an_gen_estimate_nodes(s), AN_MAX_NODES);
	if (an_gen_estimate_edges(s) > AN_MAX_EDGES * 0.9)
		return cep_error_set(err, CEP_ETOOBIG, s->kind == AN_GEN_JAPAN ? "scale" : "degree",
				     "the model would have about %.0f edges; the cap is %u",
				     an_gen_estimate_edges(s), AN_MAX_EDGES);
	return 0;
}

int an_generate(const struct an_gen_spec *s, const struct an_progress *progress,
		struct an_model **ret, struct cep_error *err)
{
	int rc = an_gen_check(s, err);

	if (rc)
		return rc;
	if (s->kind == AN_GEN_JAPAN)
		return an_gen_japan(s, progress, ret, err);
	return an_gen_random(s, progress, ret, err);
}

void gen_tick_init(struct gen_tick *t, const struct an_progress *p, unsigned long total)
{
	t->p = p;
	t->done = 0;
	t->total = total ? total : 1;
	t->step = t->total / 200 ? t->total / 200 : 1;
	t->next = t->step;
}

int gen_tick_add(struct gen_tick *t, unsigned long n, struct cep_error *err)
{
	t->done += n;
	if (t->done < t->next)
		return 0;
	t->next = t->done + t->step;
	if (t->p && t->p->report)
		t->p->report(t->p->ctx, t->done < t->total ? t->done : t->total, t->total);
	if (an_cancelled(t->p))
		return cep_error_set(err, CEP_EBUSY, NULL, "cancelled");
	return 0;
}
