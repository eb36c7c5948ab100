/* svg.c - line and bar charts as standalone SVG 1.1 documents.
 *
 * Deterministic: the same input gives the same bytes (numbers are written with
 * fixed formats, and a decimal comma from a locale is turned back into a
 * point). Colours come from Paul Tol's "muted" scheme, which readers with the
 * common colour-vision deficiencies can tell apart; after nine series the
 * colours repeat with a dash pattern. Text is escaped for XML; labels must be
 * valid UTF-8 without control characters. No scripts, no external references. */
#include "analysis/svg.h"

#include "base/text.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define AN_SVG_MAX_SERIES 64
#define AN_SVG_MAX_BARS 500
#define AN_SVG_MAX_LABEL 200 /* characters of a title, axis title or label */

#define WIDTH 960
#define FONT_SIZE 12
#define FONTS "'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Hiragino Kaku Gothic ProN'," \
	      "'Yu Gothic','Meiryo','IPAexGothic',sans-serif"

static const char *const palette[] = {
	"#332288", "#CC6677", "#44AA99", "#882255", "#999933",
	"#88CCEE", "#117733", "#AA4499", "#DDCC77",
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))
static const char *const dashes[] = { NULL, "6 3", "2 2", "8 3 2 3" };
#define NDASHES (sizeof(dashes) / sizeof(dashes[0]))

/* A drawing in progress: the first failure sticks, later writes do nothing. */
struct draw {
	struct cep_buf *out;
	size_t len0;
	int rc;
};

static void put(struct draw *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct draw *d, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;

	if (d->rc)
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(small))
		d->rc = CEP_EINVAL; /* formats here are short: a bug, not input */
	else
		d->rc = cep_buf_append(d->out, small, (size_t)n);
}

/* A number as text: "%.*f" with digits decimals, or when digits < 0 "%.*g"
 * with -digits significant ones; a point whatever the locale, and no "-0". */
static const char *num(char *buf, size_t size, double v, int digits)
{
	if (digits < 0)
		snprintf(buf, size, "%.*g", -digits, v);
	else
		snprintf(buf, size, "%.*f", digits, v);
	for (char *p = buf; *p; p++)
		if (*p == ',')
			*p = '.';
	if (digits > 0 && strchr(buf, '.')) { /* coordinates: drop trailing zeros */
		char *e = buf + strlen(buf);

		while (e[-1] == '0')
			*--e = '\0';
		if (e[-1] == '.')
			e[-1] = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	return buf;
}

/* A coordinate, to 1/100 of a pixel. */
#define C(buf, v) num((buf), sizeof(buf), (v), 2)

static void put_text(struct draw *d, const char *s)
{
	for (const char *p = s ? s : ""; *p && !d->rc; p++) {
		switch (*p) {
		case '&': d->rc = cep_buf_puts(d->out, "&amp;"); break;
		case '<': d->rc = cep_buf_puts(d->out, "&lt;"); break;
		case '>': d->rc = cep_buf_puts(d->out, "&gt;"); break;
		case '"': d->rc = cep_buf_puts(d->out, "&quot;"); break;
		case '\'': d->rc = cep_buf_puts(d->out, "&#39;"); break;
		default: d->rc = cep_buf_append(d->out, p, 1);
		}
	}
}

/* A text element: anchor "start", "middle" or "end"; extra attributes. */
static void text_at(struct draw *d, double x, double y, const char *anchor, const char *extra,
		    const char *s)
{
	char a[32], b[32];

	put(d, "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\"%s>", C(a, x), C(b, y), anchor,
	    extra ? extra : "");
	put_text(d, s);
	put(d, "</text>\n");
}

/* Width of s in pixels at the chart's font size, estimated: wide (CJK)
 * characters take a full em, others about 0.6 em. */
static double text_width(const char *s)
{
	double w = 0;

	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		w += *p >= 0xE0 ? FONT_SIZE : 0.6 * FONT_SIZE;
	}
	return w;
}

static int check_label(const char *s, const char *what, size_t i, struct cep_error *err)
{
	if (s && cep_text_check(s, AN_SVG_MAX_LABEL, false) < 0)
		return cep_error_set(err, CEP_EINVAL, "chart",
				     "%s %zu is not valid text (UTF-8, at most %d characters, no "
				     "control characters)", what, i, AN_SVG_MAX_LABEL);
	return 0;
}

static int check_chart(const struct an_chart *c, struct cep_error *err)
{
	int rc = check_label(c->title, "the title", 0, err);

	if (rc == 0)
		rc = check_label(c->x_label, "the x axis title", 0, err);
	if (rc == 0)
		rc = check_label(c->y_label, "the y axis title", 0, err);
	if (rc == 0 && (!isfinite(c->y_min) || !isfinite(c->y_max) || c->y_min > c->y_max))
		rc = cep_error_set(err, CEP_EINVAL, "chart", "the y range [%g, %g] is not a range",
				   c->y_min, c->y_max);
	return rc;
}

/* ---- axes ---- */

/* A "nice" number near x (1, 2 or 5 times a power of ten): rounded, or the
 * next at or above. */
static double nice(double x, bool round)
{
	double e = floor(log10(x)), f = x / pow(10, e), nf;

	if (round)
		nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
	else
		nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
	return nf * pow(10, e);
}

struct axis {
	double lo, hi;   /* the range drawn */
	double step;     /* between ticks */
	int digits;      /* of the tick labels (see num) */
};

/* An axis over [lo, hi] with about `want` ticks; expand: widen the range to
 * whole ticks (a range taken from the data), else keep it (a fixed range). */
static int make_axis(double lo, double hi, int want, bool expand, struct axis *a)
{
	double range;

	if (hi == lo) {
		double pad = lo == 0 ? 1 : fabs(lo) * 0.1;

		lo -= lo == 0 ? 0 : pad;
		hi += pad;
	}
	range = hi - lo;
	if (!isfinite(range) || range <= 0)
		return CEP_EINVAL;
	a->step = nice(nice(range, false) / (want - 1), true);
	a->lo = expand ? floor(lo / a->step) * a->step : lo;
	a->hi = expand ? ceil(hi / a->step) * a->step : hi;
	if (a->hi <= a->lo || !isfinite(a->hi - a->lo))
		return CEP_EINVAL;
	a->digits = a->step >= 1 ? 0 : (int)-floor(log10(a->step) + 1e-9);
	if (fmax(fabs(a->lo), fabs(a->hi)) >= 1e7 || a->digits > 6)
		a->digits = -6;
	return 0;
}

/* The ticks of a: k0..k1 with tick value k * step. */
static void tick_range(const struct axis *a, double *k0, double *k1)
{
	*k0 = ceil(a->lo / a->step - 1e-9);
	*k1 = floor(a->hi / a->step + 1e-9);
	if (*k1 - *k0 > 100)
		*k1 = *k0 + 100;
}

/* A plot box in pixels. */
struct box {
	double left, right, top, bottom;
};

static double px_x(const struct box *b, const struct axis *x, double v)
{
	return b->left + (v - x->lo) / (x->hi - x->lo) * (b->right - b->left);
}

static double px_y(const struct box *b, const struct axis *y, double v)
{
	double p = b->bottom - (v - y->lo) / (y->hi - y->lo) * (b->bottom - b->top);

	return fmin(b->bottom, fmax(b->top, p)); /* a fixed range clips the data */
}

/* Grid lines and tick labels: vertical ones for the horizontal axis x, and
 * horizontal ones for the vertical axis y (either may be NULL). */
static void grid(struct draw *d, const struct box *b, const struct axis *x, const struct axis *y)
{
	char s1[32], s2[32], s3[32], s4[32], lab[32];
	double k0, k1;

	if (x) {
		tick_range(x, &k0, &k1);
		for (double k = k0; k <= k1; k++) {
			double v = k * x->step, p = px_x(b, x, v);

			put(d, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#dddddd\"/>\n",
			    C(s1, p), C(s2, b->top), C(s3, p), C(s4, b->bottom));
			text_at(d, p, b->bottom + 16, "middle", NULL,
				num(lab, sizeof(lab), v, x->digits));
		}
	}
	if (y) {
		tick_range(y, &k0, &k1);
		for (double k = k0; k <= k1; k++) {
			double v = k * y->step, p = px_y(b, y, v);

			put(d, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#dddddd\"/>\n",
			    C(s1, b->left), C(s2, p), C(s3, b->right), C(s4, p));
			text_at(d, b->left - 6, p + 4, "end", NULL, num(lab, sizeof(lab), v, y->digits));
		}
	}
	put(d, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"none\" "
	       "stroke=\"#333333\"/>\n",
	    C(s1, b->left), C(s2, b->top), C(s3, b->right - b->left), C(s4, b->bottom - b->top));
}

static void begin(struct draw *d, int height, const struct an_chart *c)
{
	put(d, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
	       "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"%s\" font-size=\"%d\">\n",
	    WIDTH, height, WIDTH, height, FONTS, FONT_SIZE);
	put(d, "<title>");
	put_text(d, c->title);
	put(d, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", WIDTH, height);
	if (c->title && *c->title)
		text_at(d, WIDTH / 2.0, 28, "middle", " font-size=\"16\" font-weight=\"bold\"",
			c->title);
}

static void axis_titles(struct draw *d, const struct box *b, int height,
			const struct an_chart *c)
{
	char s1[32], s2[32];

	if (c->x_label && *c->x_label)
		text_at(d, (b->left + b->right) / 2, height - 12, "middle", NULL, c->x_label);
	if (c->y_label && *c->y_label) {
		double cx = 18, cy = (b->top + b->bottom) / 2;

		put(d, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" ", C(s1, cx), C(s2, cy));
		put(d, "transform=\"rotate(-90 %s %s)\">", C(s1, cx), C(s2, cy));
		put_text(d, c->y_label);
		put(d, "</text>\n");
	}
}

/* Close the document; on failure give the buffer back as it was. */
static int finish(struct draw *d, struct cep_error *err)
{
	put(d, "</svg>\n");
	if (d->rc) {
		d->out->len = d->len0;
		if (d->out->data)
			d->out->data[d->len0] = '\0';
		return cep_error_set(err, d->rc, "chart",
				     d->rc == CEP_ETOOBIG ? "the chart is larger than the output's "
							    "limit" : "cannot draw the chart");
	}
	return 0;
}

/* ---- line charts ---- */

static int check_series(const struct an_series *s, size_t ns, struct cep_error *err)
{
	if (ns == 0)
		return cep_error_set(err, CEP_EINVAL, "chart", "a line chart needs a series");
	if (ns > AN_SVG_MAX_SERIES)
		return cep_error_set(err, CEP_ETOOBIG, "chart", "%zu series: at most %d", ns,
				     AN_SVG_MAX_SERIES);
	for (size_t k = 0; k < ns; k++) {
		int rc = check_label(s[k].label, "the label of series", k + 1, err);

		if (rc < 0)
			return rc;
		if (s[k].n == 0 || !s[k].x || !s[k].y)
			return cep_error_set(err, CEP_EINVAL, "chart", "series %zu has no points",
					     k + 1);
		for (size_t i = 0; i < s[k].n; i++) {
			if (!isfinite(s[k].x[i]) || !isfinite(s[k].y[i]))
				return cep_error_set(err, CEP_EINVAL, "chart",
						     "series %zu, point %zu: not a finite number",
						     k + 1, i + 1);
			if (i > 0 && s[k].x[i] < s[k].x[i - 1])
				return cep_error_set(err, CEP_EINVAL, "chart",
						     "series %zu, point %zu: x goes back", k + 1,
						     i + 1);
		}
	}
	return 0;
}

/* Append point i of s to the polyline. */
static void point(struct draw *d, const struct box *b, const struct axis *ax,
		  const struct axis *ay, const struct an_series *s, size_t i, bool first)
{
	char s1[32], s2[32];

	put(d, "%s%s,%s", first ? "" : " ", C(s1, px_x(b, ax, s->x[i])),
	    C(s2, px_y(b, ay, s->y[i])));
}

/* The polyline of s. Beyond four points per pixel column the points are
 * thinned: each column keeps its first, lowest, highest and last point, in
 * order, so no extreme is lost. */
static void polyline(struct draw *d, const struct box *b, const struct axis *ax,
		     const struct axis *ay, const struct an_series *s, size_t k)
{
	size_t cols = (size_t)(b->right - b->left);
	bool first = true;

	put(d, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"", palette[k % NPALETTE]);
	if (dashes[(k / NPALETTE) % NDASHES])
		put(d, " stroke-dasharray=\"%s\"", dashes[(k / NPALETTE) % NDASHES]);
	put(d, " points=\"");
	if (s->n <= 4 * cols) {
		for (size_t i = 0; i < s->n; i++, first = false)
			point(d, b, ax, ay, s, i, first);
	} else {
		size_t i = 0;

		while (i < s->n) {
			double col = floor((s->x[i] - ax->lo) / (ax->hi - ax->lo) * (double)cols);
			size_t keep[4] = { i, i, i, i }; /* first, min, max, last */

			for (; i < s->n; i++) {
				if (floor((s->x[i] - ax->lo) / (ax->hi - ax->lo) * (double)cols) != col)
					break;
				if (s->y[i] < s->y[keep[1]])
					keep[1] = i;
				if (s->y[i] > s->y[keep[2]])
					keep[2] = i;
				keep[3] = i;
			}
			if (keep[1] > keep[2]) { /* in the order they come */
				size_t t = keep[1];

				keep[1] = keep[2];
				keep[2] = t;
			}
			for (int j = 0; j < 4; j++, first = false)
				if (j == 0 || keep[j] != keep[j - 1])
					point(d, b, ax, ay, s, keep[j], first);
		}
	}
	put(d, "\"/>\n");
}

int an_svg_lines(struct cep_buf *out, const struct an_chart *c, const struct an_series *s,
		 size_t ns, struct cep_error *err)
{
	struct draw d = { out, out->len, 0 };
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY, legend = 0;
	struct axis ax, ay;
	struct box b;
	int height, rc;

	rc = check_chart(c, err);
	if (rc == 0)
		rc = check_series(s, ns, err);
	if (rc < 0)
		return rc;
	for (size_t k = 0; k < ns; k++) {
		xlo = fmin(xlo, s[k].x[0]);
		xhi = fmax(xhi, s[k].x[s[k].n - 1]);
		for (size_t i = 0; i < s[k].n; i++) {
			ylo = fmin(ylo, s[k].y[i]);
			yhi = fmax(yhi, s[k].y[i]);
		}
		legend = fmax(legend, text_width(s[k].label));
	}
	legend = fmin(300, fmax(100, legend + 40));
	if (make_axis(xlo, xhi, 9, false, &ax) < 0 ||
	    make_axis(c->y_min == c->y_max ? ylo : c->y_min, c->y_min == c->y_max ? yhi : c->y_max,
		      6, c->y_min == c->y_max, &ay) < 0)
		return cep_error_set(err, CEP_EINVAL, "chart", "the values are too large to draw");
	height = (int)fmax(480, 110 + 20.0 * (double)ns);
	b = (struct box){ 80, WIDTH - legend - 20, 50, height - 50 };

	begin(&d, height, c);
	grid(&d, &b, &ax, &ay);
	axis_titles(&d, &b, height, c);
	for (size_t k = 0; k < ns; k++)
		polyline(&d, &b, &ax, &ay, &s[k], k);
	for (size_t k = 0; k < ns; k++) {
		double lx = b.right + 16, ly = b.top + 10 + 20.0 * (double)k;
		char s1[32], s2[32], s3[32];

		put(&d, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" "
			"stroke-width=\"2\"", C(s1, lx), C(s2, ly), C(s3, lx + 24), s2,
		    palette[k % NPALETTE]);
		if (dashes[(k / NPALETTE) % NDASHES])
			put(&d, " stroke-dasharray=\"%s\"", dashes[(k / NPALETTE) % NDASHES]);
		put(&d, "/>\n");
		text_at(&d, lx + 30, ly + 4, "start", NULL, s[k].label);
	}
	return finish(&d, err);
}

/* ---- bar charts ---- */

int an_svg_bars(struct cep_buf *out, const struct an_chart *c, const char *const *labels,
		const double *values, size_t n, struct cep_error *err)
{
	struct draw d = { out, out->len, 0 };
	double vmax = 0, lw = 0;
	struct axis ax;
	struct box b;
	int height, rc = check_chart(c, err);

	if (rc < 0)
		return rc;
	if (n == 0 || !labels || !values)
		return cep_error_set(err, CEP_EINVAL, "chart", "a bar chart needs a bar");
	if (n > AN_SVG_MAX_BARS)
		return cep_error_set(err, CEP_ETOOBIG, "chart", "%zu bars: at most %d", n,
				     AN_SVG_MAX_BARS);
	for (size_t i = 0; i < n; i++) {
		rc = check_label(labels[i], "the label of bar", i + 1, err);
		if (rc < 0)
			return rc;
		if (!isfinite(values[i]) || values[i] < 0)
			return cep_error_set(err, CEP_EINVAL, "chart",
					     "bar %zu: %g is not a finite value >= 0", i + 1,
					     values[i]);
		vmax = fmax(vmax, values[i]);
		lw = fmax(lw, text_width(labels[i]));
	}
	lw = fmin(320, fmax(60, lw + 12));
	if (make_axis(c->y_min == c->y_max ? 0 : c->y_min,
		      c->y_min == c->y_max ? vmax : c->y_max, 6, c->y_min == c->y_max, &ax) < 0)
		return cep_error_set(err, CEP_EINVAL, "chart", "the values are too large to draw");
	height = (int)(50 + 24.0 * (double)n + 50);
	b = (struct box){ lw + 10, WIDTH - 90, 50, height - 50 };

	begin(&d, height, c);
	grid(&d, &b, &ax, NULL);
	axis_titles(&d, &b, height, c);
	for (size_t i = 0; i < n; i++) {
		double y = b.top + 3 + 24.0 * (double)i, w = px_x(&b, &ax, fmin(values[i], ax.hi));
		char s1[32], s2[32], s3[32], v[32];

		w = fmax(0, w - b.left);
		text_at(&d, b.left - 6, y + 13, "end", NULL, labels[i]);
		put(&d, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"18\" fill=\"%s\"/>\n",
		    C(s1, b.left), C(s2, y), C(s3, w), palette[0]);
		text_at(&d, b.left + w + 4, y + 13, "start", NULL,
			num(v, sizeof(v), values[i], -4));
	}
	return finish(&d, err);
}
