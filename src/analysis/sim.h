/* sim.h - the discrete-event cascade simulator of the facility-level model.
 *
 * Time is continuous, in hours from 0 to the scenario's horizon. A node is
 * DOWN while it has a cause:
 *   - an initial event that hits it is active;
 *   - one of its redundancy groups has fewer than `need` suppliers serving it
 *     (a supplier that goes down stops serving a dependent `buffer` hours
 *     later if it is still down then; a supplier coming back serves at once);
 *   - it is a layer node not connected, through the layer's nodes that have
 *     no cause of their own (no active event, no failed group), to a source
 *     of its layer (a layer without sources: not in the largest connected
 *     component of those nodes).
 * A node whose causes are all gone comes back `repair` hours later, unless a
 * new cause appears meanwhile. Events at one time are handled as one batch:
 * failures first, spreading until nothing changes, then the returns due at
 * that time.
 *
 * An an_sim holds what every trial of one model shares (read-only once made,
 * so any number of threads may use it); an an_ws is one thread's workspace,
 * reused trial after trial: a trial resets only what the previous one
 * touched, and allocates nothing.
 *
 * Pure computation. */
#ifndef CEP_ANALYSIS_SIM_H
#define CEP_ANALYSIS_SIM_H

#include "analysis/model.h"
#include "analysis/progress.h"
#include "analysis/scenario.h"
#include "base/err.h"

#include <stddef.h>
#include <stdint.h>

/* What took a node down the first time. */
enum an_cause {
	AN_CAUSE_NONE = 0,
	AN_CAUSE_EVENT,    /* cause = index of the initial event */
	AN_CAUSE_SUPPLIER, /* cause = dependency edge whose supplier stopped serving it */
	AN_CAUSE_LAYER,    /* cause = node whose loss cut it off its layer's sources,
			    * or UINT32_MAX: not connected from the start */
};

#define AN_TIMELINE_MAX_POINTS 4096u

/* How a workspace records the working fraction over time. */
struct an_timeline_opts {
	/* exact: a sample after every batch while there are at most max_points
	 * of them, then the grid; otherwise always the grid: max_points times
	 * evenly spread over [0, horizon], each with the state at that time. */
	int exact;
	uint32_t max_points; /* 2 .. AN_TIMELINE_MAX_POINTS */
	int layers;          /* record the layers too (not only overall and sectors) */
	/* 1: keep only which nodes failed, not each one's times, cause and
	 * depth (Monte Carlo needs no more; the trial's per-node arrays are
	 * then NULL) */
	int summary;
	/* 1 (with summary, without exact): nodes that feed nothing and are in no
	 * layer ("leaves": a hospital, a bank branch) are worked out after the
	 * trial, each from its suppliers' outages, instead of through the event
	 * queue. The outcome is the same, bit for bit; a trial where it might
	 * not be (see docs/analysis.md) runs again the ordinary way. The first
	 * such workspace of an an_sim makes the leaves' data in it: workspaces of
	 * one an_sim are made one at a time. */
	int leaves;
};

/* The outcome of the last trial of a workspace; every pointer is borrowed
 * from the workspace and valid until its next trial. Arrays indexed by node
 * hold meaningful values only for the nodes in failed[]. */
struct an_trial {
	double horizon;
	uint32_t n_failed;
	const uint32_t *failed;        /* nodes that went down, in order of first failure */
	const double *first_failure;   /* hours */
	const double *last_recovery;   /* hours; INFINITY when still down at the horizon */
	const double *down_hours;      /* total time down within the horizon */
	const uint8_t *cause_kind;     /* enum an_cause */
	const uint32_t *cause;         /* see enum an_cause */
	const uint32_t *depth;         /* 0 for an initial event, parent's depth + 1 */
	const double *sector_first_impact; /* per sector: hours, INFINITY when never hit */

	/* Working fractions (weighted by node weight; by count where a set's
	 * weights are all 0): n_samples rows of n_series values, series 0 the
	 * whole model, then the sectors, then (if recorded) the layers. */
	size_t n_samples;
	uint32_t n_series;
	const double *t;
	const double *value; /* row-major: value[i * n_series + k] */

	uint64_t n_events;  /* events taken from the queue */
	uint64_t n_batches; /* distinct event times */
};

struct an_sim;
struct an_ws;

/* What trials of m share: the layers' members and their connected state
 * before any event. *ret caller-owned (an_sim_free); borrows m, which must
 * outlive it. CEP_ENOMEM. */
int an_sim_new(const struct an_model *m, struct an_sim **ret, struct cep_error *err);
void an_sim_free(struct an_sim *s);
/* The model of s (borrowed). */
const struct an_model *an_sim_model(const struct an_sim *s);

/* A workspace for trials of s (caller owns, an_ws_free). CEP_EINVAL for bad
 * timeline options, CEP_ENOMEM. */
int an_ws_new(const struct an_sim *s, const struct an_timeline_opts *o, struct an_ws **ret,
	      struct cep_error *err);
void an_ws_free(struct an_ws *w);

/* Run trial number `trial` of scenario sc with random stream (seed, trial):
 * the random share of each fraction event and the buffer and repair factors
 * are drawn from it, so a trial gives the same result wherever it runs.
 * p may be NULL; a cancelled run returns CEP_EBUSY. The result stays in w
 * (an_ws_trial). sc must be resolved against the model of w. */
int an_sim_trial(struct an_ws *w, const struct an_scenario *sc, uint64_t seed, uint64_t trial,
		 const struct an_progress *p);

/* The outcome of w's last trial. */
void an_ws_trial(const struct an_ws *w, struct an_trial *ret);

#endif
