/* iim.h - the sector-level Inoperability Input-Output Model (IIM) and its
 * dynamic form (DIIM).
 *
 * Inoperability q_i in [0, 1] is the fraction of its normal output that sector
 * i cannot deliver. With A* the interdependency matrix and c* a perturbation
 * (the inoperability caused directly, e.g. by an attack or a blackout):
 *
 *   static   q = A* q + c*,  solved as q = (I - A*)^-1 c*, q clipped to [0, 1];
 *   dynamic  q(t+1) = q(t) + K [A* q(t) + c*(t) - q(t)], clipped every step,
 *            K diagonal (the sectors' resilience), one step = dt hours.
 *
 * The static model needs spectral radius rho(A*) < 1. A* is nonnegative, so
 * rho(A*) < 1 exactly when I - A* is nonsingular with a nonnegative inverse;
 * an_iim_check tests this by solving (I - A*) y = 1 and requiring y > 0 (and
 * refuses matrices so close to rho = 1 that the solve is meaningless).
 *
 * Which index is which: the equation reads "q_i grows by a*_ij for each unit of
 * q_j". An A* given directly (and the default matrix) is read that way: row i
 * is the sector affected, column j the sector it depends on. An A* derived from
 * an input-output table uses the demand-side form a*_ij = z_ij / x_i (z_ij: the
 * sales of sector i to sector j; x_i: the total output of i), the share of i's
 * output bought by j: when j's demand falls by q_j, its supplier i loses
 * z_ij q_j, a fraction a*_ij q_j of its output.
 *
 * Pure computation: text in, structures and buffers out. Every size has a cap. */
#ifndef CEP_ANALYSIS_IIM_H
#define CEP_ANALYSIS_IIM_H

#include "analysis/progress.h"
#include "base/buf.h"
#include "base/err.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define AN_IIM_MAX_SECTORS 1000u        /* sectors of one model */
#define AN_IIM_MAX_ID_CHARS 64u         /* characters of a sector id */
#define AN_IIM_MAX_CSV_BYTES (32u << 20) /* a CSV text given to the importers */
#define AN_IIM_MAX_PIECES 1000u         /* pieces of a time-varying perturbation */
#define AN_DIIM_MAX_STEPS 100000u       /* steps of one DIIM run */
#define AN_DIIM_MAX_CELLS 2000000u      /* sectors x (steps + 1) of one DIIM run */
#define AN_IIM_MAX_HOURS 87600.0        /* hours: recovery times, piece starts (ten years) */
#define AN_IIM_RHO_GUARD 1e12           /* max of (I - A*)^-1 1 beyond which rho counts as 1 */

/* A model of n sectors. Owned by whoever made it; free with an_iim_free. */
struct an_iim {
	size_t n;
	char **id;        /* n unique sector ids */
	char **name;      /* n display names (the ids for imported models) */
	double *a;        /* n * n, row-major: a[i * n + j] = a*_ij >= 0 */
	double *x;        /* n outputs x_i > 0 over a period (a year in the national
			   * tables), for losses; NULL when unknown */
	double *recovery; /* n recovery times in hours, or NULL when unknown */
	bool illustrative;   /* true for the default matrix: not real statistics */
	const char *x_unit;  /* static text naming x's money unit, or NULL (the table's) */
	const char *source;  /* static text on where the numbers come from, or NULL */
};

/* A new model of n (1..AN_IIM_MAX_SECTORS) sectors, with a all zero, ids and
 * names NULL, x and recovery NULL. *ret (caller owns) set on success; returns
 * 0, CEP_ETOOBIG/CEP_EINVAL (n) or CEP_ENOMEM. */
int an_iim_new(size_t n, struct an_iim **ret, struct cep_error *err);
/* Free a model and everything it owns. Accepts NULL. */
void an_iim_free(struct an_iim *m);

/* The default 10-sector model of the ten critical-infrastructure sectors
 * (info-comm, finance, aviation, railway, electricity, gas, government,
 * medical, water, logistics), with outputs and recovery times. ILLUSTRATIVE:
 * the numbers are judgements chosen to show the method, not statistics; the
 * model says so (illustrative = true, source). *ret caller owns. */
int an_iim_default(struct an_iim **ret, struct cep_error *err);

/* Import A* from CSV text: a header row whose first cell is free (e.g.
 * "sector") followed by the n sector ids, then one row per sector: its id (the
 * same ids in the same order) and its n entries a*_i1..a*_in. An optional last
 * column named "output" (or 国内生産額) gives x_i. Errors name the line and the
 * column. *ret caller owns. Returns 0, CEP_EPARSE/CEP_EINVAL/CEP_ETOOBIG or
 * CEP_ENOMEM. The matrix is not yet checked for rho < 1 (an_iim_check). */
int an_iim_from_matrix_csv(const char *text, size_t len, struct an_iim **ret,
			   struct cep_error *err);
/* Import an input-output table from CSV text and derive A* in the demand-side
 * form a*_ij = z_ij / x_i. Layout: rows = supplying sector, columns = using
 * sector, as in the intermediate block of the national tables; a header row
 * (free first cell, the n sector ids, then "output" or 国内生産額), then one row
 * per sector: its id, the flows z_i1..z_in (>= 0) and its total output x_i
 * (> 0). x is kept for losses. Same returns as an_iim_from_matrix_csv. */
int an_iim_from_table_csv(const char *text, size_t len, struct an_iim **ret,
			  struct cep_error *err);

/* The index of sector id in m, or CEP_ENOTFOUND (err says which ids exist). */
int an_iim_sector(const struct an_iim *m, const char *id, size_t *ret, struct cep_error *err);

/* Bounds on the spectral radius of A*, from power iteration with Collatz-
 * Wielandt bounds (and the solve of an_iim_check when it succeeded). */
struct an_iim_rho {
	double lower, upper;
};

/* Check m: ids, entries finite and >= 0 (err names the row and column), x > 0
 * where given, and rho(A*) < 1 (CEP_ESEMANTIC with the estimate otherwise).
 * *ret_rho set on success and on CEP_ESEMANTIC (may be NULL). */
int an_iim_check(const struct an_iim *m, struct an_iim_rho *ret_rho, struct cep_error *err);

/* A perturbation c*(t), piecewise constant in time: piece p applies from hour
 * from[p] (strictly ascending, from[0] >= 0; c* = 0 before the first piece)
 * until the next piece starts. The static model takes one piece from hour 0.
 * Owned by its maker; free with an_iim_pert_free. */
struct an_iim_pert {
	size_t n;       /* sectors */
	size_t npieces; /* 0..AN_IIM_MAX_PIECES */
	double *from;   /* npieces hours */
	double *c;      /* npieces * n, row p: c* of piece p, each in [0, 1] */
};

/* One entry of a perturbation given on the command line: c*_sector = value
 * during hours [from, to) (to = INFINITY: to the end). */
struct an_iim_window {
	size_t sector;
	double value, from, to;
};

void an_iim_pert_free(struct an_iim_pert *p);
/* Build a perturbation for m from nw windows (values in [0, 1], 0 <= from <
 * to; windows of one sector must not overlap). *ret caller owns. Returns 0,
 * CEP_EINVAL (err names the window) or CEP_ENOMEM. */
int an_iim_pert_from_windows(const struct an_iim *m, const struct an_iim_window *w, size_t nw,
			     struct an_iim_pert **ret, struct cep_error *err);
/* Read a perturbation for m from CSV text: a header row of sector ids (a
 * subset of m's; the others stay 0), optionally preceded by a column "hour";
 * then one row per piece (without "hour": exactly one row, from hour 0).
 * Values in [0, 1]. Errors name the line and column. *ret caller owns. */
int an_iim_pert_from_csv(const struct an_iim *m, const char *text, size_t len,
			 struct an_iim_pert **ret, struct cep_error *err);
/* Read one value per sector of m from CSV text: a header row naming every
 * sector once (any order), one row of values in [lo, hi]. what names the
 * values in messages ("k"). *ret (n doubles, m's order) caller owns, cep_free. */
int an_iim_vector_from_csv(const struct an_iim *m, const char *text, size_t len, const char *what,
			   double lo, double hi, double **ret, struct cep_error *err);

/* The static solution. Owned by the caller; free with an_iim_solution_free. */
struct an_iim_solution {
	size_t n;
	double *c;        /* n: the perturbation solved for (a copy) */
	double *q;        /* n: inoperability, clipped to [0, 1] */
	bool *saturated;  /* n: q_i was above 1 before clipping */
	double *loss;     /* n: x_i q_i, the loss over x's period were q to last that
			   * long; NULL when m has no outputs */
	struct an_iim_rho rho;
};

void an_iim_solution_free(struct an_iim_solution *s);
/* Solve q = A* q + c* for the perturbation p (one piece from hour 0; NULL or
 * no pieces: c* = 0). Checks m first (an_iim_check). *ret caller owns.
 * Returns 0, CEP_EINVAL, CEP_ESEMANTIC (rho >= 1) or CEP_ENOMEM. */
int an_iim_solve(const struct an_iim *m, const struct an_iim_pert *p,
		 struct an_iim_solution **ret, struct cep_error *err);

/* What a DIIM run needs besides the model. Everything borrowed. */
struct an_diim_params {
	size_t steps;          /* 1..AN_DIIM_MAX_STEPS; sectors x (steps + 1) <= AN_DIIM_MAX_CELLS */
	double dt;             /* hours per step, > 0 */
	const double *q0;      /* n initial inoperabilities in [0, 1], or NULL: all 0 */
	const struct an_iim_pert *pert; /* c*(t), or NULL: c* = 0 */
	const double *k;       /* n resilience coefficients per hour, or NULL: derived */
	const double *recovery; /* n recovery hours T_i (used when k is NULL), or NULL: m's */
	double output_hours;   /* hours that x covers (8760: x is per year); > 0 */
	const struct an_progress *progress; /* may be NULL */
};

/* k_i for recovery time T hours and self-dependence a_ii: the coefficient that
 * brings a decoupled sector from q_i(0) to 0.01 q_i(0) in T hours in continuous
 * time: k = ln(q(0) / q(T)) / (T (1 - a_ii)) = ln(100) / (T (1 - a_ii)). */
double an_diim_k_from_recovery(double hours, double a_ii);

/* The result of a DIIM run. Owned by the caller; free with an_diim_result_free. */
struct an_diim_result {
	size_t n, steps;
	double dt;
	double *q;          /* (steps + 1) * n, row t: q(t), at hour t * dt */
	double *k;          /* n: the coefficients used (per hour) */
	double *impact;     /* n: cumulative impact, trapezoid integral of q_i dt (hours) */
	double *loss;       /* steps * n, row t: loss over step t (x_i / output_hours * the
			     * step's trapezoid of q_i), or NULL when m has no outputs */
	double *loss_total; /* n: sum of loss over the steps, or NULL */
	struct an_iim_rho rho;
};

void an_diim_result_free(struct an_diim_result *r);
/* Run the DIIM on m (checked first, as for the static model). K is p->k when
 * given (each k_i >= 0 with k_i (1 - a_ii) dt <= 1, so that a step never
 * overshoots), else derived from the recovery times (each at least
 * ln(100) dt hours). *ret caller owns. Returns 0, CEP_EINVAL (err names the
 * sector), CEP_ESEMANTIC, CEP_ETOOBIG (steps), CEP_EBUSY (cancelled) or
 * CEP_ENOMEM. */
int an_diim_run(const struct an_iim *m, const struct an_diim_params *p,
		struct an_diim_result **ret, struct cep_error *err);

/* Results as documents. The JSON says "illustrative": true for the default
 * model. *ret caller owns (json_decref). Return 0 or CEP_ENOMEM. */
int an_iim_solution_json(const struct an_iim *m, const struct an_iim_solution *s, json_t **ret);
int an_diim_json(const struct an_iim *m, const struct an_diim_result *r, json_t **ret);
/* Append a CSV of the static solution (sector,name,c,q,saturated,loss) or of a
 * DIIM run (one row per step: step,hour, then q of each sector) to out.
 * Returns 0, CEP_ETOOBIG (out's cap) or CEP_ENOMEM. */
int an_iim_solution_csv(const struct an_iim *m, const struct an_iim_solution *s,
			struct cep_buf *out);
int an_diim_csv(const struct an_iim *m, const struct an_diim_result *r, struct cep_buf *out);
/* Append SVG charts: the static q per sector as bars; q(t) of every sector as
 * lines. Same returns as an_svg_bars / an_svg_lines. */
int an_iim_solution_svg(const struct an_iim *m, const struct an_iim_solution *s,
			struct cep_buf *out, struct cep_error *err);
int an_diim_svg(const struct an_iim *m, const struct an_diim_result *r, struct cep_buf *out,
		struct cep_error *err);

#endif
