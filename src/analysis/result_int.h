/* result_int.h - helpers shared by result.c, result_chain.c and
 * result_mc.c. Not for other files. */
#ifndef CEP_ANALYSIS_RESULT_INT_H
#define CEP_ANALYSIS_RESULT_INT_H

#include "analysis/model.h"
#include "base/buf.h"
#include "base/err.h"

#include <jansson.h>
#include <stddef.h>

/* Map a buffer failure to an error ("out of memory", "larger than the cap"). */
int res_fail(struct cep_error *err, int rc, const char *what);

/* Append v as JSON (and free it: the reference is taken, also when v is NULL
 * because building it ran out of memory). */
int res_json(struct cep_buf *out, json_t *v, struct cep_error *err);

/* A JSON number, or null when x is not finite. */
json_t *res_num(double x);

/* A label for outputs: s, or "(none)" when s is empty. */
const char *res_label(const char *s);

/* Append x as a CSV field: up to 10 significant digits; empty when not finite. */
int res_csv_num(struct cep_buf *out, double x);

/* Append a CSV field (quoted as needed) and a separator (',' or '\n'). */
int res_csv_field(struct cep_buf *out, const char *s, char sep);

/* Points of a step function for drawing: (x[i], y[i-1]) then (x[i], y[i]).
 * From n samples to at most 2n - 1 points into xs/ys (caller-sized). */
size_t res_steps(const double *x, const double *y, size_t stride, size_t n, double *xs,
		 double *ys);

#endif
