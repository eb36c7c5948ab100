/* scenario.h - what happens to a model in a simulation: initial events (a set
 * of nodes fails from a start time for a duration) and the random spread of
 * buffers and repair times. Read from JSON text, or made from a template of
 * the exercise themes:
 *
 *   blackout[:R,...]   広域停電: the power layers "power/R" of the regions fail
 *                      for 24 h (default regions: Kanto, 08..14)
 *   comms[:R,...]      大規模通信障害: the communications layers "comms/R" fail
 *                      for 24 h
 *   compound[:R,...]   複合障害: the blackout, and the communications failure
 *                      from hour 6 for 24 h
 *
 * A scenario is resolved against one model when it is made: every selector is
 * turned into the list of node indices it names, so a run does no lookups.
 *
 * JSON form:
 *   {"name": "...", "horizon_hours": 168,
 *    "events": [{"name": "...", "node" | "sector" | "region" | "layer": "...",
 *                "fraction": 0..1, "start_hours": 0, "duration_hours": 24 | null}],
 *    "random": {"buffer": DIST, "repair": DIST}}
 *   DIST: {"dist": "uniform", "lo": a, "hi": b}      factor uniform in [a, b]
 *         {"dist": "lognormal", "sigma": s}          factor exp(s Z), median 1
 *         {"dist": "exponential", "mean": m}         factor exponential, mean m (default 1)
 * sector, region and layer may be combined (nodes that match all); node stands
 * alone. duration_hours null or absent: until the end of the run.
 *
 * Pure computation: text in, struct out. */
#ifndef CEP_ANALYSIS_SCENARIO_H
#define CEP_ANALYSIS_SCENARIO_H

#include "analysis/model.h"
#include "base/err.h"

#include <stddef.h>
#include <stdint.h>

/* Caps. */
#define AN_SCENARIO_MAX_BYTES (1u << 20) /* scenario JSON text */
#define AN_SCENARIO_MAX_EVENTS 1000u
#define AN_MAX_HORIZON 87600.0           /* hours: ten years */
#define AN_DEFAULT_HORIZON 168.0         /* hours: one week */

enum an_dist_kind {
	AN_DIST_NONE = 0,   /* the model's value as it is */
	AN_DIST_UNIFORM,    /* a = lo, b = hi */
	AN_DIST_LOGNORMAL,  /* a = sigma */
	AN_DIST_EXPONENTIAL /* a = mean */
};

/* A random factor applied to a model's value (a buffer, a repair time). */
struct an_dist {
	enum an_dist_kind kind;
	double a, b;
};

/* One initial event, resolved: n_nodes node indices (ascending), of which a
 * random share `fraction` fails (1: all) from start for duration hours
 * (INFINITY: until the end). */
struct an_initial_event {
	char *label; /* a name for outputs, e.g. "layer power/13" */
	double start, duration, fraction;
	uint32_t n_nodes;
	uint32_t *nodes;
};

struct an_scenario {
	char *name;
	double horizon; /* hours, > 0 */
	uint32_t n_events;
	struct an_initial_event *events;
	struct an_dist buffer, repair;
};

/* Parse a scenario from JSON text and resolve it against m. *ret (caller owns,
 * an_scenario_free) on success; CEP_EPARSE (syntax, with line and column),
 * CEP_EINVAL (a member missing, of the wrong type, out of range or unknown; a
 * selector that names nothing in the model; err.field is a path like
 * "events[2].layer"), CEP_ETOOBIG or CEP_ENOMEM otherwise. */
int an_scenario_parse(const struct an_model *m, const char *text, size_t len,
		      struct an_scenario **ret, struct cep_error *err);

/* Make a scenario from a template spec ("blackout", "comms:13,27",
 * "compound:08,13") resolved against m. CEP_EINVAL for an unknown template,
 * a malformed region list, or regions that the model has no such layer for. */
int an_scenario_template(const struct an_model *m, const char *spec, struct an_scenario **ret,
			 struct cep_error *err);

/* Free a scenario. Accepts NULL. */
void an_scenario_free(struct an_scenario *s);

/* Draw a factor of d from u1, u2, two independent uniforms in [0, 1). The
 * model's value times this factor is the value a trial uses. */
double an_dist_factor(const struct an_dist *d, double u1, double u2);
/* The factor of a uniform d from u1 (an_dist_factor's, inline for the
 * simulator's millions of draws a trial). */
static inline double an_dist_uniform(const struct an_dist *d, double u1)
{
	return d->a + (d->b - d->a) * u1;
}

#endif
