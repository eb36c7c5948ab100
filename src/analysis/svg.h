/* svg.h - charts drawn by the engine itself, as standalone SVG documents, so
 * that the command line is useful without the web UI: a line chart (a timeline
 * per sector, a sweep curve), and a horizontal bar chart (a criticality
 * ranking). Labels may be Japanese; text is escaped for XML. No scripts, no
 * external references: the SVG is safe to serve with a strict CSP.
 *
 * Pure: the document is appended to a caller's buffer. */
#ifndef CEP_ANALYSIS_SVG_H
#define CEP_ANALYSIS_SVG_H

#include "base/buf.h"
#include "base/err.h"

#include <stddef.h>

/* One line of a line chart: n points (x[i], y[i]), x ascending. Borrowed. */
struct an_series {
	const char *label;
	const double *x;
	const double *y;
	size_t n;
};

/* Axis titles and the chart's title; borrowed. y_min/y_max fix the y range
 * (e.g. 0..1 for working fractions); when y_min == y_max the range is taken
 * from the data. */
struct an_chart {
	const char *title;
	const char *x_label;
	const char *y_label;
	double y_min, y_max;
};

/* Append a line chart of ns series to out. Series with many points are thinned
 * for drawing without losing their extremes. Returns 0, CEP_EINVAL (no series,
 * a non-finite value, x not ascending), CEP_ETOOBIG (out's cap) or CEP_ENOMEM. */
int an_svg_lines(struct cep_buf *out, const struct an_chart *c, const struct an_series *s,
		 size_t ns, struct cep_error *err);

/* Append a horizontal bar chart of n bars (labels[i], values[i] >= 0), in the
 * order given, to out. Same returns as an_svg_lines. */
int an_svg_bars(struct cep_buf *out, const struct an_chart *c, const char *const *labels,
		const double *values, size_t n, struct cep_error *err);

#endif
