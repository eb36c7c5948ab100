/* scenario.c - scenarios: JSON text or a template, resolved against a model
 * into initial events that list their nodes. */
#include "analysis/scenario.h"

#include "analysis/jfield.h"
#include "base/alloc.h"
#include "base/err.h"
#include "base/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NAME_MAX_BYTES 256u

/* The template regions when none are given: Kanto (Ibaraki .. Kanagawa). */
static const char *const kanto[] = { "08", "09", "10", "11", "12", "13", "14", NULL };

#define TEMPLATE_HOURS 24.0       /* how long a template's failure lasts */
#define COMPOUND_COMMS_START 6.0  /* hours into the blackout */

void an_scenario_free(struct an_scenario *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < s->n_events; i++) {
		cep_free(s->events[i].label);
		cep_free(s->events[i].nodes);
	}
	cep_free(s->events);
	cep_free(s->name);
	cep_free(s);
}

double an_dist_factor(const struct an_dist *d, double u1, double u2)
{
	switch (d->kind) {
	case AN_DIST_UNIFORM:
		return an_dist_uniform(d, u1);
	case AN_DIST_LOGNORMAL:
		/* Box-Muller: a standard normal from two uniforms */
		return exp(d->a * sqrt(-2.0 * log1p(-u1)) * cos(2.0 * M_PI * u2));
	case AN_DIST_EXPONENTIAL:
		return -d->a * log1p(-u1);
	case AN_DIST_NONE:
		break;
	}
	return 1.0;
}

/* A new scenario with room for n events. */
static struct an_scenario *scenario_new(const char *name, uint32_t n)
{
	struct an_scenario *s = cep_calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->name = cep_strdup(name);
	s->events = cep_calloc(n ? n : 1, sizeof(*s->events));
	s->horizon = AN_DEFAULT_HORIZON;
	if (!s->name || !s->events) {
		an_scenario_free(s);
		return NULL;
	}
	return s;
}

static int label_index(const struct an_names *names, const char *s, uint32_t *ret)
{
	for (uint32_t i = 0; i < names->n; i++)
		if (strcmp(names->name[i], s) == 0) {
			*ret = i;
			return 0;
		}
	return CEP_ENOTFOUND;
}

/* What an event selects. */
struct selector {
	const char *node, *sector, *region, *layer;
};

/* Fill e->nodes with the nodes sel names in m. path: for errors. */
static int resolve(const struct an_model *m, const struct selector *sel,
		   struct an_initial_event *e, const char *path, struct cep_error *err)
{
	uint32_t sector = UINT32_MAX, region = UINT32_MAX, layer = UINT32_MAX, cnt = 0, v;
	char p[CEP_ERR_FIELD_MAX];

	if (sel->node) {
		an_jpath(p, sizeof(p), path, "node");
		if (an_model_find(m, sel->node, &v))
			return cep_error_set(err, CEP_EINVAL, p, "%s: no node %s in the model", p,
					     sel->node);
		e->nodes = cep_malloc(sizeof(uint32_t));
		if (!e->nodes)
			return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
		e->nodes[0] = v;
		e->n_nodes = 1;
		return 0;
	}
	if (sel->sector && label_index(&m->sectors, sel->sector, &sector)) {
		an_jpath(p, sizeof(p), path, "sector");
		return cep_error_set(err, CEP_EINVAL, p, "%s: no node of sector %s in the model", p,
				     sel->sector);
	}
	if (sel->region && label_index(&m->regions, sel->region, &region)) {
		an_jpath(p, sizeof(p), path, "region");
		return cep_error_set(err, CEP_EINVAL, p, "%s: no node in region %s in the model", p,
				     sel->region);
	}
	if (sel->layer && label_index(&m->layers, sel->layer, &layer)) {
		an_jpath(p, sizeof(p), path, "layer");
		return cep_error_set(err, CEP_EINVAL, p, "%s: no layer %s in the model", p,
				     sel->layer);
	}
	for (int pass = 0; pass < 2; pass++) {
		cnt = 0;
		for (v = 0; v < m->n_nodes; v++) {
			if ((sector != UINT32_MAX && m->sector[v] != sector) ||
			    (region != UINT32_MAX && m->region[v] != region) ||
			    (layer != UINT32_MAX && (uint32_t)m->layer[v] != layer))
				continue;
			if (pass)
				e->nodes[cnt] = v;
			cnt++;
		}
		if (!cnt)
			return cep_error_set(err, CEP_EINVAL, path, "%s selects no node of the model",
					     path);
		if (!pass && !(e->nodes = cep_malloc((size_t)cnt * sizeof(uint32_t))))
			return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	}
	e->n_nodes = cnt;
	return 0;
}

/* A label for outputs: the event's name, or what it selects. */
static char *event_label(const char *name, const struct selector *sel)
{
	char buf[4 * NAME_MAX_BYTES + 64];
	size_t n = 0;

	if (name)
		return cep_strdup(name);
	buf[0] = '\0';
	if (sel->node)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "node %s", sel->node);
	if (sel->sector)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%ssector %s", n ? ", " : "",
				      sel->sector);
	if (sel->region)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%sregion %s", n ? ", " : "",
				      sel->region);
	if (sel->layer)
		snprintf(buf + n, sizeof(buf) - n, "%slayer %s", n ? ", " : "", sel->layer);
	return cep_strdup(buf);
}

/* ---- JSON ----------------------------------------------------------------- */

static int parse_dist(const json_t *obj, const char *path, const char *key, struct an_dist *ret,
		      struct cep_error *err)
{
	static const char *const uni[] = { "dist", "lo", "hi", NULL };
	static const char *const logn[] = { "dist", "sigma", NULL };
	static const char *const expo[] = { "dist", "mean", NULL };
	static const char *const none[] = { "dist", NULL };
	const json_t *d = json_object_get(obj, key);
	char p[CEP_ERR_FIELD_MAX];
	const char *kind;
	struct an_dist r = { AN_DIST_NONE, 0, 0 };
	int rc;

	an_jpath(p, sizeof(p), path, key);
	if (!d || json_is_null(d)) {
		*ret = r;
		return 0;
	}
	if (!json_is_object(d))
		return cep_error_set(err, CEP_EINVAL, p, "%s must be an object", p);
	if ((rc = an_jtext(d, p, "dist", 32, 1, &kind, err)))
		return rc;
	if (strcmp(kind, "uniform") == 0) {
		r.kind = AN_DIST_UNIFORM;
		if ((rc = an_jonly(d, p, uni, err)) ||
		    (rc = an_jnum(d, p, "lo", 0, 100, 1, &r.a, err)) ||
		    (rc = an_jnum(d, p, "hi", 0, 100, 1, &r.b, err)))
			return rc;
		if (r.a > r.b)
			return cep_error_set(err, CEP_EINVAL, p, "%s: lo must not exceed hi", p);
	} else if (strcmp(kind, "lognormal") == 0) {
		r.kind = AN_DIST_LOGNORMAL;
		if ((rc = an_jonly(d, p, logn, err)) ||
		    (rc = an_jnum(d, p, "sigma", 0, 3, 0.5, &r.a, err)))
			return rc;
	} else if (strcmp(kind, "exponential") == 0) {
		r.kind = AN_DIST_EXPONENTIAL;
		if ((rc = an_jonly(d, p, expo, err)) ||
		    (rc = an_jnum(d, p, "mean", 0.001, 100, 1, &r.a, err)))
			return rc;
	} else if (strcmp(kind, "none") == 0) {
		if ((rc = an_jonly(d, p, none, err)))
			return rc;
	} else {
		return cep_error_set(err, CEP_EINVAL, p,
				     "%s.dist must be uniform, lognormal, exponential or none", p);
	}
	*ret = r;
	return 0;
}

static int parse_event(const struct an_model *m, const json_t *ev, const char *path,
		       struct an_initial_event *e, struct cep_error *err)
{
	static const char *const allowed[] = { "name", "node", "sector", "region", "layer",
					       "fraction", "start_hours", "duration_hours",
					       NULL };
	struct selector sel = { 0 };
	const json_t *dur;
	const char *name;
	char p[CEP_ERR_FIELD_MAX];
	int rc;

	if (!json_is_object(ev))
		return cep_error_set(err, CEP_EINVAL, path, "%s must be an object", path);
	if ((rc = an_jonly(ev, path, allowed, err)) ||
	    (rc = an_jtext(ev, path, "name", NAME_MAX_BYTES, 0, &name, err)) ||
	    (rc = an_jtext(ev, path, "node", AN_MAX_ID_BYTES, 0, &sel.node, err)) ||
	    (rc = an_jtext(ev, path, "sector", AN_MAX_ID_BYTES, 0, &sel.sector, err)) ||
	    (rc = an_jtext(ev, path, "region", AN_MAX_ID_BYTES, 0, &sel.region, err)) ||
	    (rc = an_jtext(ev, path, "layer", AN_MAX_ID_BYTES, 0, &sel.layer, err)) ||
	    (rc = an_jnum(ev, path, "fraction", 0, 1, 1, &e->fraction, err)) ||
	    (rc = an_jnum(ev, path, "start_hours", 0, AN_MAX_HORIZON, 0, &e->start, err)))
		return rc;
	if (!sel.node && !sel.sector && !sel.region && !sel.layer)
		return cep_error_set(err, CEP_EINVAL, path,
				     "%s selects nothing: give node, sector, region or layer", path);
	if (sel.node && (sel.sector || sel.region || sel.layer)) {
		an_jpath(p, sizeof(p), path, "node");
		return cep_error_set(err, CEP_EINVAL, p,
				     "%s stands alone (not with sector, region or layer)", p);
	}
	dur = json_object_get(ev, "duration_hours");
	if (!dur || json_is_null(dur)) {
		e->duration = INFINITY;
	} else if ((rc = an_jnum(ev, path, "duration_hours", 0, AN_MAX_HORIZON, 0, &e->duration,
				 err))) {
		return rc;
	} else if (e->duration <= 0) {
		an_jpath(p, sizeof(p), path, "duration_hours");
		return cep_error_set(err, CEP_EINVAL, p, "%s must be more than 0 (or null: until the end)",
				     p);
	}
	if (e->fraction <= 0) {
		an_jpath(p, sizeof(p), path, "fraction");
		return cep_error_set(err, CEP_EINVAL, p, "%s must be more than 0 and at most 1", p);
	}
	if ((rc = resolve(m, &sel, e, path, err)))
		return rc;
	if (!(e->label = event_label(name, &sel)))
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	return 0;
}

static int parse_scenario(const struct an_model *m, const json_t *root, struct an_scenario **ret,
			  struct cep_error *err)
{
	static const char *const allowed[] = { "name", "horizon_hours", "events", "random", NULL };
	static const char *const rnd[] = { "buffer", "repair", NULL };
	const json_t *events, *random;
	struct an_scenario *s = NULL;
	const char *name;
	size_t n;
	int rc;

	if (!json_is_object(root))
		return cep_error_set(err, CEP_EINVAL, NULL, "a scenario is a JSON object");
	if ((rc = an_jonly(root, "", allowed, err)) ||
	    (rc = an_jtext(root, "", "name", NAME_MAX_BYTES, 0, &name, err)))
		return rc;
	events = json_object_get(root, "events");
	if (!json_is_array(events) || !(n = json_array_size(events)))
		return cep_error_set(err, CEP_EINVAL, "events",
				     "events must be a non-empty array of initial events");
	if (n > AN_SCENARIO_MAX_EVENTS)
		return cep_error_set(err, CEP_ETOOBIG, "events", "more than %u events",
				     AN_SCENARIO_MAX_EVENTS);
	if (!(s = scenario_new(name ? name : "scenario", (uint32_t)n)))
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	if ((rc = an_jnum(root, "", "horizon_hours", 0, AN_MAX_HORIZON, AN_DEFAULT_HORIZON,
			  &s->horizon, err)))
		goto out;
	if (s->horizon <= 0) {
		rc = cep_error_set(err, CEP_EINVAL, "horizon_hours", "horizon_hours must be more than 0");
		goto out;
	}
	random = json_object_get(root, "random");
	if (random && !json_is_null(random)) {
		if (!json_is_object(random)) {
			rc = cep_error_set(err, CEP_EINVAL, "random", "random must be an object");
			goto out;
		}
		if ((rc = an_jonly(random, "random", rnd, err)) ||
		    (rc = parse_dist(random, "random", "buffer", &s->buffer, err)) ||
		    (rc = parse_dist(random, "random", "repair", &s->repair, err)))
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char path[CEP_ERR_FIELD_MAX];

		snprintf(path, sizeof(path), "events[%zu]", i);
		rc = parse_event(m, json_array_get(events, i), path, &s->events[i], err);
		s->n_events = (uint32_t)i + 1;
		if (rc)
			goto out;
	}
	*ret = s;
	s = NULL;
out:
	an_scenario_free(s);
	return rc;
}

int an_scenario_parse(const struct an_model *m, const char *text, size_t len,
		      struct an_scenario **ret, struct cep_error *err)
{
	json_t *root = NULL;
	int rc;

	if (len > AN_SCENARIO_MAX_BYTES)
		return cep_error_set(err, CEP_ETOOBIG, NULL, "a scenario is at most %u bytes",
				     AN_SCENARIO_MAX_BYTES);
	if ((rc = cep_json_parse(text, len, CEP_JSON_MAX_DEPTH, &root, err)))
		return rc;
	rc = parse_scenario(m, root, ret, err);
	json_decref(root);
	return rc;
}

/* ---- templates ------------------------------------------------------------ */

/* Split "13,14" into up to 47 region codes "01".."47" (two digits each, each
 * once) in out (3 bytes each). Returns the count, or -1 with err set
 * (field "scenario"). */
static int parse_regions(const char *s, char out[][3], int max, struct cep_error *err)
{
	int n = 0;

	for (;;) {
		if (n == max || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
		    (s[2] != ',' && s[2] != '\0') ||
		    (s[0] - '0') * 10 + (s[1] - '0') < 1 || (s[0] - '0') * 10 + (s[1] - '0') > 47) {
			cep_error_set(err, CEP_EINVAL, "scenario",
				      "regions are two-digit prefecture codes 01..47 separated by commas");
			return -1;
		}
		out[n][0] = s[0];
		out[n][1] = s[1];
		out[n][2] = '\0';
		for (int j = 0; j < n; j++)
			if (!strcmp(out[n], out[j])) {
				cep_error_set(err, CEP_EINVAL, "scenario", "region %s is named twice",
					      out[n]);
				return -1;
			}
		n++;
		if (s[2] == '\0')
			return n;
		s += 3;
	}
}

/* Add to s an event on layer "prefix/region" from start for TEMPLATE_HOURS.
 * Returns 0, CEP_ENOTFOUND (no such layer) or CEP_ENOMEM. */
static int template_event(const struct an_model *m, struct an_scenario *s, const char *theme,
			  const char *prefix, const char *region, double start)
{
	struct an_initial_event *e = &s->events[s->n_events];
	char layer[64], label[256];
	struct selector sel = { .layer = layer };
	uint32_t l;

	snprintf(layer, sizeof(layer), "%s/%.2s", prefix, region);
	if (label_index(&m->layers, layer, &l))
		return CEP_ENOTFOUND;
	if (resolve(m, &sel, e, "", NULL))
		return CEP_ENOMEM; /* the layer exists, so it has nodes */
	snprintf(label, sizeof(label), "%s: layer %s", theme, layer);
	e->start = start;
	e->duration = TEMPLATE_HOURS;
	e->fraction = 1;
	s->n_events++;
	if (!(e->label = cep_strdup(label)))
		return CEP_ENOMEM;
	return 0;
}

int an_scenario_template(const struct an_model *m, const char *spec, struct an_scenario **ret,
			 struct cep_error *err)
{
	static const struct {
		const char *name, *theme;
		int power, comms;
	} themes[] = {
		{ "blackout", "広域停電", 1, 0 },
		{ "comms", "大規模通信障害", 0, 1 },
		{ "compound", "複合障害", 1, 1 },
	};
	char regions[47][3], name[32];
	const char *colon = strchr(spec, ':');
	size_t name_len = colon ? (size_t)(colon - spec) : strlen(spec);
	struct an_scenario *s = NULL;
	int nr = 0, t, rc = 0, explicit = colon != NULL;

	for (t = 0; t < 3; t++)
		if (strlen(themes[t].name) == name_len && strncmp(spec, themes[t].name, name_len) == 0)
			break;
	if (t == 3)
		return cep_error_set(err, CEP_EINVAL, "scenario",
				     "unknown scenario template; use blackout, comms or compound "
				     "(optionally :REGION,...) or a .json file");
	if (explicit && (nr = parse_regions(colon + 1, regions, 47, err)) < 0)
		return CEP_EINVAL;
	for (; !explicit && kanto[nr]; nr++)
		memcpy(regions[nr], kanto[nr], 3);
	snprintf(name, sizeof(name), "%.*s", (int)name_len, spec);
	if (!(s = scenario_new(name, 2 * (uint32_t)nr)))
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	s->buffer = (struct an_dist){ AN_DIST_UNIFORM, 0.5, 1.5 };
	s->repair = (struct an_dist){ AN_DIST_UNIFORM, 0.5, 1.5 };
	for (int pass = 0; pass < 2; pass++) {
		const char *prefix = pass ? "comms" : "power";
		double start = pass && themes[t].power ? COMPOUND_COMMS_START : 0;

		if (!(pass ? themes[t].comms : themes[t].power))
			continue;
		for (int i = 0; i < nr; i++) {
			rc = template_event(m, s, themes[t].theme, prefix, regions[i], start);
			if (rc == CEP_ENOMEM) {
				rc = cep_error_set(err, rc, NULL, "out of memory");
				goto out;
			}
			if (rc && explicit) {
				rc = cep_error_set(err, CEP_EINVAL, "scenario",
						   "the model has no layer %s/%s", prefix,
						   regions[i]);
				goto out;
			}
			rc = 0;
		}
	}
	if (!s->n_events) {
		rc = cep_error_set(err, CEP_EINVAL, "scenario",
				   "the model has none of the layers power/R or comms/R that the "
				   "template %s fails for R = 08..14 (Kanto); name regions with "
				   "%s:R,... or use a .json scenario", name, name);
		goto out;
	}
	*ret = s;
	s = NULL;
out:
	an_scenario_free(s);
	return rc;
}
