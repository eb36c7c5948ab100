/* test_svg.c - analysis/svg: charts are well-formed XML, text is escaped,
 * thinning keeps every extreme, bad values are refused with the buffer left as
 * it was, the output is the same bytes for the same input, ticks are round
 * numbers, and nothing refers outside the document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/svg.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"

#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small well-formedness check ---- */

static const char *xml_name(const char *p, char *out, size_t size)
{
	size_t n = 0;

	if (!isalpha((unsigned char)*p))
		return NULL;
	while (isalnum((unsigned char)*p) || *p == '-' || *p == ':' || *p == '_') {
		if (n + 1 < size)
			out[n++] = *p;
		p++;
	}
	out[n] = '\0';
	return p;
}

/* An entity at p ("&...;"): one of XML's five or a numeric one. */
static const char *xml_entity(const char *p)
{
	static const char *const known[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };

	for (size_t i = 0; i < 5; i++)
		if (strncmp(p, known[i], strlen(known[i])) == 0)
			return p + strlen(known[i]);
	if (p[1] == '#') {
		const char *q = p + 2;

		while (isdigit((unsigned char)*q))
			q++;
		if (q > p + 2 && *q == ';')
			return q + 1;
	}
	return NULL;
}

/* NULL when s is a well-formed document with one root element, else why not. */
static const char *xml_check(const char *s)
{
	char stack[32][32], name[32];
	int depth = 0, roots = 0;
	const char *p = s;

	if (strncmp(p, "<?xml ", 6) == 0) {
		p = strstr(p, "?>");
		if (!p)
			return "unterminated declaration";
		p += 2;
	}
	while (*p) {
		if (*p == '&') {
			p = xml_entity(p);
			if (!p)
				return "bare &";
		} else if (*p == '>') {
			return "bare >"; /* allowed by XML, but never written by the charts */
		} else if (*p != '<') {
			if (depth == 0 && !isspace((unsigned char)*p))
				return "text outside the root";
			p++;
		} else if (p[1] == '/') {
			p = xml_name(p + 2, name, sizeof(name));
			if (!p || *p != '>' || depth == 0 || strcmp(stack[depth - 1], name) != 0)
				return "mismatched end tag";
			depth--;
			p++;
		} else {
			p = xml_name(p + 1, name, sizeof(name));
			if (!p)
				return "bad tag name";
			for (;;) {
				char attr[32];

				while (*p == ' ' || *p == '\n')
					p++;
				if (*p == '/' && p[1] == '>') {
					p += 2;
					roots += depth == 0;
					break;
				}
				if (*p == '>') {
					if (depth == 32)
						return "too deep";
					roots += depth == 0;
					snprintf(stack[depth++], sizeof(stack[0]), "%s", name);
					p++;
					break;
				}
				p = xml_name(p, attr, sizeof(attr));
				if (!p || *p != '=' || p[1] != '"')
					return "bad attribute";
				for (p += 2; *p != '"'; ) {
					if (!*p || *p == '<')
						return "bad attribute value";
					if (*p == '&') {
						p = xml_entity(p);
						if (!p)
							return "bare & in an attribute";
					} else {
						p++;
					}
				}
				p++;
			}
		}
	}
	if (depth)
		return "unclosed element";
	return roots == 1 ? NULL : "not one root element";
}

static void assert_well_formed(const char *svg)
{
	const char *why = xml_check(svg);

	if (why)
		fail_msg("not well-formed: %s", why);
	assert_non_null(strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\""));
	assert_non_null(strstr(svg, "viewBox=\"0 0 "));
}

/* ---- helpers ---- */

/* The y coordinates of the points of the polyline number k (0-based) in svg;
 * *ret_n of them (at most max). */
static void polyline_ys(const char *svg, int k, double *ys, size_t max, size_t *ret_n)
{
	const char *p = svg;
	size_t n = 0;

	for (int i = 0; i <= k; i++) {
		p = strstr(p, "<polyline");
		assert_non_null(p);
		p++;
	}
	p = strstr(p, "points=\"");
	assert_non_null(p);
	p += 8;
	while (*p != '"') {
		double x, y;
		int used;

		assert_int_equal(sscanf(p, "%lf,%lf%n", &x, &y, &used), 2);
		assert_true(n < max);
		ys[n++] = y;
		p += used;
		if (*p == ' ')
			p++;
	}
	*ret_n = n;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

static const double x3[] = { 0, 1, 2 }, y3[] = { 0.1, 0.5, 0.2 };

/* ---- line charts ---- */

static void test_lines_well_formed(void **state)
{
	const double y3b[] = { 0.3, 0.3, 0.9 };
	const struct an_series s[] = {
		{ "電力 (electricity)", x3, y3, 3 },
		{ "情報通信", x3, y3b, 3 },
	};
	const struct an_chart c = { "停電の影響", "hours", "inoperability q", 0, 0 };
	struct cep_buf b;

	(void)state;
	cep_buf_init(&b, 1 << 20);
	assert_int_equal(an_svg_lines(&b, &c, s, 2, NULL), 0);
	assert_well_formed(b.data);
	assert_non_null(strstr(b.data, ">電力 (electricity)</text>"));
	assert_non_null(strstr(b.data, "<title>停電の影響</title>"));
	assert_non_null(strstr(b.data, "Noto Sans CJK JP"));
	assert_int_equal(count(b.data, "<polyline"), 2);
	/* a second chart appended to the same buffer is a document of its own */
	size_t len = b.len;
	assert_int_equal(an_svg_lines(&b, &c, s, 1, NULL), 0);
	assert_well_formed(b.data + len);
	cep_buf_free(&b);
}

static void test_text_escaped(void **state)
{
	const struct an_series s[] = { { "a<b & \"c\" 'd' >", x3, y3, 3 } };
	const struct an_chart c = { "<script>alert(1)</script>", "x & y", "\"q\"", 0, 0 };
	struct cep_buf b;

	(void)state;
	cep_buf_init(&b, 1 << 20);
	assert_int_equal(an_svg_lines(&b, &c, s, 1, NULL), 0);
	assert_well_formed(b.data);
	assert_non_null(strstr(b.data, ">a&lt;b &amp; &quot;c&quot; &#39;d&#39; &gt;</text>"));
	assert_non_null(strstr(b.data, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(b.data, "<script"));
	assert_non_null(strstr(b.data, ">x &amp; y</text>"));
	cep_buf_free(&b);
}

static void test_nothing_external(void **state)
{
	const struct an_series s[] = { { "a", x3, y3, 3 } };
	const struct an_chart c = { "t", "x", "y", 0, 1 };
	const char *bad[] = { "<script", "href", "url(", "<image", "<foreignObject", "<style",
			      "@import", "onload" };
	const char *labels[] = { "a" };
	const double v[] = { 1 };
	struct cep_buf b;

	(void)state;
	cep_buf_init(&b, 1 << 20);
	assert_int_equal(an_svg_lines(&b, &c, s, 1, NULL), 0);
	assert_int_equal(an_svg_bars(&b, &c, labels, v, 1, NULL), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strstr(b.data, bad[i]))
			fail_msg("the chart holds %s", bad[i]);
	assert_int_equal(count(b.data, "http://"), 2); /* the two xmlns */
	cep_buf_free(&b);
}

/* 100,000 points with one spike and one dip; the thinned line keeps both. */
static void test_thinning_keeps_extremes(void **state)
{
	enum { N = 100000 };
	double *x = malloc(N * sizeof(double)), *y = malloc(N * sizeof(double)), ys[8000];
	const double xs[] = { 0, 50000, N - 1 }, ye[] = { -5, 10, 0 };
	const struct an_chart c = { "t", "x", "y", 0, 0 };
	struct cep_buf big, ref;
	size_t n, nref;
	double top = INFINITY, bottom = -INFINITY, rtop = INFINITY, rbottom = -INFINITY;

	(void)state;
	assert_non_null(x);
	assert_non_null(y);
	for (size_t i = 0; i < N; i++) {
		x[i] = (double)i;
		y[i] = sin((double)i / 100.0);
	}
	y[54321] = 10;  /* one point in the middle of a pixel column */
	y[77777] = -5;
	const struct an_series s[] = { { "noisy", x, y, N } };
	/* the reference: the same x and y ranges drawn from three points */
	const struct an_series r[] = { { "noisy", xs, ye, 3 } };
	cep_buf_init(&big, 1 << 22);
	cep_buf_init(&ref, 1 << 20);
	assert_int_equal(an_svg_lines(&big, &c, s, 1, NULL), 0);
	assert_int_equal(an_svg_lines(&ref, &c, r, 1, NULL), 0);
	assert_well_formed(big.data);
	polyline_ys(big.data, 0, ys, 8000, &n);
	assert_true(n <= 4 * 960); /* at most four points per pixel column */
	assert_true(n > 100);
	for (size_t i = 0; i < n; i++) {
		top = fmin(top, ys[i]);
		bottom = fmax(bottom, ys[i]);
	}
	polyline_ys(ref.data, 0, ys, 8000, &nref);
	for (size_t i = 0; i < nref; i++) {
		rtop = fmin(rtop, ys[i]);
		rbottom = fmax(rbottom, ys[i]);
	}
	assert_true(top == rtop);       /* the spike to 10 */
	assert_true(bottom == rbottom); /* the dip to -5 */
	cep_buf_free(&big);
	cep_buf_free(&ref);
	free(x);
	free(y);
}

static void test_bad_values_refused(void **state)
{
	const double ynan[] = { 0.1, NAN, 0.2 }, yinf[] = { 0.1, INFINITY, 0.2 };
	const double xback[] = { 0, 2, 1 };
	const struct an_chart c = { "t", "x", "y", 0, 0 }, inverted = { "t", "x", "y", 1, 0 };
	struct an_series s[] = { { "a", x3, ynan, 3 } };
	struct an_series many[65];
	struct cep_buf b;
	struct cep_error err;

	(void)state;
	cep_buf_init(&b, 1 << 20);
	assert_int_equal(cep_buf_puts(&b, "before"), 0);
	cep_error_init(&err);
	assert_int_equal(an_svg_lines(&b, &c, s, 1, &err), CEP_EINVAL);
	assert_non_null(strstr(err.message, "series 1, point 2: not a finite number"));
	s[0].y = yinf;
	assert_int_equal(an_svg_lines(&b, &c, s, 1, NULL), CEP_EINVAL);
	s[0].y = y3;
	s[0].x = xback;
	cep_error_init(&err);
	assert_int_equal(an_svg_lines(&b, &c, s, 1, &err), CEP_EINVAL);
	assert_non_null(strstr(err.message, "point 3: x goes back"));
	s[0].x = x3;
	s[0].n = 0;
	assert_int_equal(an_svg_lines(&b, &c, s, 1, NULL), CEP_EINVAL);
	s[0].n = 3;
	assert_int_equal(an_svg_lines(&b, &c, s, 0, NULL), CEP_EINVAL);
	assert_int_equal(an_svg_lines(&b, &inverted, s, 1, NULL), CEP_EINVAL);
	s[0].label = "bad\x01label";
	assert_int_equal(an_svg_lines(&b, &c, s, 1, NULL), CEP_EINVAL);
	s[0].label = "bad \xff utf-8";
	assert_int_equal(an_svg_lines(&b, &c, s, 1, NULL), CEP_EINVAL);
	for (size_t i = 0; i < 65; i++)
		many[i] = (struct an_series){ "a", x3, y3, 3 };
	assert_int_equal(an_svg_lines(&b, &c, many, 65, NULL), CEP_ETOOBIG);
	assert_string_equal(b.data, "before"); /* nothing appended by a refusal */
	cep_buf_free(&b);
}

static void test_buffer_cap(void **state)
{
	const struct an_series s[] = { { "a", x3, y3, 3 } };
	const struct an_chart c = { "t", "x", "y", 0, 0 };
	struct cep_buf b;

	(void)state;
	cep_buf_init(&b, 600);
	assert_int_equal(cep_buf_puts(&b, "kept"), 0);
	assert_int_equal(an_svg_lines(&b, &c, s, 1, NULL), CEP_ETOOBIG);
	assert_int_equal(b.len, 4); /* all or nothing */
	assert_string_equal(b.data, "kept");
	cep_buf_free(&b);
}

/* The bytes of a chart of 1000 points, for comparison. Caller frees. */
static char *chart_bytes(void)
{
	static double x[1000], y[1000];
	const struct an_chart c = { "t", "x", "y", 0, 0 };
	struct cep_buf b;

	for (size_t i = 0; i < 1000; i++) {
		x[i] = (double)i * 0.1;
		y[i] = cos((double)i / 37.0) * 1234.5;
	}
	const struct an_series s[] = { { "a", x, y, 1000 } };
	cep_buf_init(&b, 1 << 20);
	assert_int_equal(an_svg_lines(&b, &c, s, 1, NULL), 0);
	return cep_buf_steal(&b);
}

static void test_deterministic(void **state)
{
	char *a = chart_bytes(), *b = chart_bytes();

	(void)state;
	assert_string_equal(a, b);
	/* a locale with a decimal comma changes nothing (where one is installed) */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
		char *c = chart_bytes();

		setlocale(LC_NUMERIC, "C");
		assert_string_equal(a, c);
		cep_free(c);
	}
	cep_free(a);
	cep_free(b);
}

static void test_nice_ticks(void **state)
{
	const double y37[] = { 0, 0.37, 0.2 }, ybig[] = { 0, 1234, 7 };
	const struct an_series s[] = { { "a", x3, y37, 3 } }, t[] = { { "a", x3, ybig, 3 } };
	const struct an_chart c = { "t", "x", "y", 0, 0 };
	struct cep_buf b;

	(void)state;
	cep_buf_init(&b, 1 << 20);
	assert_int_equal(an_svg_lines(&b, &c, s, 1, NULL), 0);
	assert_non_null(strstr(b.data, ">0</text>"));
	assert_non_null(strstr(b.data, ">0.1</text>"));
	assert_non_null(strstr(b.data, ">0.3</text>"));
	assert_non_null(strstr(b.data, ">0.4</text>"));
	assert_null(strstr(b.data, "0000000"));
	b.len = 0;
	assert_int_equal(an_svg_lines(&b, &c, t, 1, NULL), 0);
	assert_non_null(strstr(b.data, ">500</text>"));
	assert_non_null(strstr(b.data, ">1500</text>"));
	cep_buf_free(&b);
}

static void test_fixed_range_clips(void **state)
{
	const double y[] = { -1, 0.5, 2 };
	const struct an_series s[] = { { "a", x3, y, 3 } };
	const struct an_chart c = { "t", "x", "y", 0, 1 };
	double ys[8];
	size_t n;
	struct cep_buf b;

	(void)state;
	cep_buf_init(&b, 1 << 20);
	assert_int_equal(an_svg_lines(&b, &c, s, 1, NULL), 0);
	polyline_ys(b.data, 0, ys, 8, &n);
	assert_int_equal(n, 3);
	assert_true(ys[0] == 430 && ys[2] == 50); /* the plot box: 50 to 480 - 50 */
	/* the y ticks stay in the range: 0 to 1 */
	assert_non_null(strstr(b.data, "text-anchor=\"end\">1</text>"));
	assert_null(strstr(b.data, "text-anchor=\"end\">1.2</text>"));
	assert_null(strstr(b.data, "text-anchor=\"end\">-0.2</text>"));
	cep_buf_free(&b);
}

static void test_colours_distinct(void **state)
{
	struct an_series s[10];
	const struct an_chart c = { "t", "x", "y", 0, 0 };
	struct cep_buf b;
	char colours[10][8];

	(void)state;
	for (int i = 0; i < 10; i++)
		s[i] = (struct an_series){ "a", x3, y3, 3 };
	cep_buf_init(&b, 1 << 20);
	assert_int_equal(an_svg_lines(&b, &c, s, 10, NULL), 0);
	for (int i = 0; i < 10; i++) {
		const char *p = b.data;

		for (int k = 0; k <= i; k++)
			p = strstr(p, "<polyline") + 1;
		p = strstr(p, "stroke=\"#");
		assert_non_null(p);
		memcpy(colours[i], p + 8, 7);
		colours[i][7] = '\0';
		for (int j = 0; j < i && j < 9 && i < 9; j++)
			assert_string_not_equal(colours[i], colours[j]);
	}
	/* the tenth repeats the first colour with a dash pattern */
	assert_string_equal(colours[9], colours[0]);
	assert_int_equal(count(b.data, "<polyline fill=\"none\" stroke=\"#332288\" stroke-width=\"2\" "
				       "stroke-dasharray"), 1);
	cep_buf_free(&b);
}

/* ---- bar charts ---- */

static void test_bars(void **state)
{
	const char *labels[] = { "電力 (electricity)", "a&b", "gas" };
	const double v[] = { 0.5, 0.25, 0 };
	const struct an_chart c = { "ranking", "damage", NULL, 0, 0 };
	struct cep_buf b;

	(void)state;
	cep_buf_init(&b, 1 << 20);
	assert_int_equal(an_svg_bars(&b, &c, labels, v, 3, NULL), 0);
	assert_well_formed(b.data);
	assert_int_equal(count(b.data, "<rect"), 3 + 2); /* the bars, the background, the frame */
	assert_non_null(strstr(b.data, ">電力 (electricity)</text>"));
	assert_non_null(strstr(b.data, ">a&amp;b</text>"));
	assert_non_null(strstr(b.data, ">0.25</text>"));
	/* bar lengths are in proportion */
	{
		const char *p = strstr(b.data, "height=\"18\"");
		double w1, w2;

		assert_non_null(p);
		p = strstr(b.data, "<rect x=\""); /* the frame */
		p = strstr(p + 1, "<rect x=\""); /* the first bar */
		assert_int_equal(sscanf(strstr(p, "width=\""), "width=\"%lf", &w1), 1);
		p = strstr(p + 1, "<rect x=\"");
		assert_int_equal(sscanf(strstr(p, "width=\""), "width=\"%lf", &w2), 1);
		assert_true(fabs(w1 - 2 * w2) < 0.02);
	}
	cep_buf_free(&b);
}

static void test_bars_refused(void **state)
{
	const char *labels[] = { "a", "b" }, *bad_labels[] = { "a", "\x02" };
	const double neg[] = { 1, -1 }, nan[] = { 1, NAN }, ok[] = { 1, 2 };
	const struct an_chart c = { "t", "x", NULL, 0, 0 };
	struct cep_buf b;

	(void)state;
	cep_buf_init(&b, 1 << 20);
	assert_int_equal(an_svg_bars(&b, &c, labels, neg, 2, NULL), CEP_EINVAL);
	assert_int_equal(an_svg_bars(&b, &c, labels, nan, 2, NULL), CEP_EINVAL);
	assert_int_equal(an_svg_bars(&b, &c, bad_labels, ok, 2, NULL), CEP_EINVAL);
	assert_int_equal(an_svg_bars(&b, &c, labels, ok, 0, NULL), CEP_EINVAL);
	assert_int_equal(b.len, 0);
	cep_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_well_formed),
		cmocka_unit_test(test_text_escaped),
		cmocka_unit_test(test_nothing_external),
		cmocka_unit_test(test_thinning_keeps_extremes),
		cmocka_unit_test(test_bad_values_refused),
		cmocka_unit_test(test_buffer_cap),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_nice_ticks),
		cmocka_unit_test(test_fixed_range_clips),
		cmocka_unit_test(test_colours_distinct),
		cmocka_unit_test(test_bars),
		cmocka_unit_test(test_bars_refused),
	};

	cep_alloc_install();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
