/* iim_out.c - the IIM's results as JSON, CSV and SVG. A model marked
 * illustrative says so in every document. */
#include "iim_int.h"

#include "analysis/svg.h"
#include "base/alloc.h"
#include "base/csv.h"

#include <stdio.h>
#include <string.h>

#define ILLUSTRATIVE_MARK " — ILLUSTRATIVE default matrix, not statistics"
#define MAX_LINES 20 /* sectors drawn in a timeline: beyond, those of largest impact */
#define MAX_BARS 50  /* sectors drawn as bars: beyond, those of largest q */

/* ---- JSON ---- */

static int set(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v) < 0 ? CEP_ENOMEM : 0;
}

static int push(json_t *a, json_t *v)
{
	return json_array_append_new(a, v) < 0 ? CEP_ENOMEM : 0;
}

/* An array of n values v[0], v[stride], ...; NULL on allocation failure. */
static json_t *reals(const double *v, size_t n, size_t stride)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (push(a, json_real(v[i * stride])) < 0) {
			json_decref(a);
			a = NULL;
		}
	return a;
}

/* The members every document starts with: the model and its provenance. */
static int head(json_t *o, const struct an_iim *m, const struct an_iim_rho *rho)
{
	json_t *model = json_object(), *r = json_object();
	int rc = set(o, "illustrative", json_boolean(m->illustrative));

	if (rc == 0)
		rc = set(o, "model", model);
	else
		json_decref(model);
	if (rc == 0)
		rc = set(model, "sectors", json_integer((json_int_t)m->n));
	if (rc == 0 && m->source)
		rc = set(model, "source", json_string(m->source));
	if (rc == 0 && m->x)
		rc = set(model, "loss_unit", json_string(m->x_unit ? m->x_unit :
							 "the unit of the table's outputs"));
	if (rc == 0)
		rc = set(o, "spectral_radius", r);
	else
		json_decref(r);
	if (rc == 0)
		rc = set(r, "lower", json_real(rho->lower));
	if (rc == 0)
		rc = set(r, "upper", json_real(rho->upper));
	return rc;
}

/* A sector's entry with id and name. */
static json_t *sector(const struct an_iim *m, size_t i)
{
	json_t *s = json_object();

	if (s && (set(s, "id", json_string(m->id[i])) < 0 ||
		  set(s, "name", json_string(m->name[i] ? m->name[i] : m->id[i])) < 0)) {
		json_decref(s);
		s = NULL;
	}
	return s;
}

int an_iim_solution_json(const struct an_iim *m, const struct an_iim_solution *s, json_t **ret)
{
	json_t *o = json_object(), *list = json_array();
	double total = 0;
	int rc = o && list ? head(o, m, &s->rho) : CEP_ENOMEM;

	if (rc == 0)
		rc = set(o, "sectors", json_incref(list));
	for (size_t i = 0; rc == 0 && i < m->n; i++) {
		json_t *e = sector(m, i);

		rc = push(list, e);
		if (rc == 0)
			rc = set(e, "c", json_real(s->c[i]));
		if (rc == 0)
			rc = set(e, "q", json_real(s->q[i]));
		if (rc == 0)
			rc = set(e, "saturated", json_boolean(s->saturated[i]));
		if (rc == 0 && s->loss) {
			rc = set(e, "loss", json_real(s->loss[i]));
			total += s->loss[i];
		}
	}
	if (rc == 0 && s->loss)
		rc = set(o, "total_loss", json_real(total));
	json_decref(list);
	if (rc < 0) {
		json_decref(o);
		return CEP_ENOMEM;
	}
	*ret = o;
	return 0;
}

/* Per sector: k, q0, the peak and when, the end value, impact and loss. */
static int diim_sectors(const struct an_iim *m, const struct an_diim_result *r, json_t *list)
{
	size_t n = m->n;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n; i++) {
		json_t *e = sector(m, i);
		size_t peak = 0;

		for (size_t t = 1; t <= r->steps; t++)
			if (r->q[t * n + i] > r->q[peak * n + i])
				peak = t;
		rc = push(list, e);
		if (rc == 0)
			rc = set(e, "k", json_real(r->k[i]));
		if (rc == 0)
			rc = set(e, "q0", json_real(r->q[i]));
		if (rc == 0)
			rc = set(e, "q_peak", json_real(r->q[peak * n + i]));
		if (rc == 0)
			rc = set(e, "peak_hour", json_real((double)peak * r->dt));
		if (rc == 0)
			rc = set(e, "q_end", json_real(r->q[r->steps * n + i]));
		if (rc == 0)
			rc = set(e, "impact_hours", json_real(r->impact[i]));
		if (rc == 0 && r->loss_total)
			rc = set(e, "loss", json_real(r->loss_total[i]));
	}
	return rc;
}

/* The timeline: hours, and q (steps + 1 values) and loss (steps values) by sector id. */
static int diim_timeline(const struct an_iim *m, const struct an_diim_result *r, json_t *tl)
{
	json_t *hours = json_array(), *q = json_object(), *loss = r->loss ? json_object() : NULL;
	size_t n = m->n;
	int rc = set(tl, "hour", hours);

	if (rc == 0)
		rc = set(tl, "q", q);
	else
		json_decref(q);
	if (rc == 0 && r->loss)
		rc = set(tl, "loss", loss);
	else
		json_decref(loss);
	for (size_t t = 0; rc == 0 && t <= r->steps; t++)
		rc = push(hours, json_real((double)t * r->dt));
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = set(q, m->id[i], reals(r->q + i, r->steps + 1, n));
		if (rc == 0 && r->loss)
			rc = set(loss, m->id[i], reals(r->loss + i, r->steps, n));
	}
	return rc;
}

int an_diim_json(const struct an_iim *m, const struct an_diim_result *r, json_t **ret)
{
	json_t *o = json_object(), *list = json_array(), *tl = json_object();
	double total = 0;
	int rc = o && list && tl ? head(o, m, &r->rho) : CEP_ENOMEM;

	if (rc == 0)
		rc = set(o, "steps", json_integer((json_int_t)r->steps));
	if (rc == 0)
		rc = set(o, "step_hours", json_real(r->dt));
	if (rc == 0)
		rc = set(o, "hours", json_real((double)r->steps * r->dt));
	if (rc == 0)
		rc = set(o, "sectors", json_incref(list));
	if (rc == 0)
		rc = diim_sectors(m, r, list);
	for (size_t i = 0; rc == 0 && r->loss_total && i < m->n; i++)
		total += r->loss_total[i];
	if (rc == 0 && r->loss_total)
		rc = set(o, "total_loss", json_real(total));
	if (rc == 0)
		rc = set(o, "timeline", json_incref(tl));
	if (rc == 0)
		rc = diim_timeline(m, r, tl);
	json_decref(list);
	json_decref(tl);
	if (rc < 0) {
		json_decref(o);
		return CEP_ENOMEM;
	}
	*ret = o;
	return 0;
}

/* ---- CSV ---- */

/* Append ",v" (or "v" when first) with 9 significant digits, a point whatever the locale. */
static int put_num(struct cep_buf *out, double v, bool first)
{
	char s[40];

	snprintf(s, sizeof(s), "%s%.9g", first ? "" : ",", v);
	for (char *p = s + 1; *p; p++)
		if (*p == ',')
			*p = '.';
	return cep_buf_puts(out, s);
}

int an_iim_solution_csv(const struct an_iim *m, const struct an_iim_solution *s,
			struct cep_buf *out)
{
	int rc = cep_buf_puts(out, "sector,name,c,q,saturated,loss\n");

	for (size_t i = 0; rc == 0 && i < m->n; i++) {
		rc = cep_csv_put_field(out, m->id[i]);
		if (rc == 0)
			rc = cep_buf_puts(out, ",");
		if (rc == 0)
			rc = cep_csv_put_field(out, m->name[i] ? m->name[i] : m->id[i]);
		if (rc == 0)
			rc = put_num(out, s->c[i], false);
		if (rc == 0)
			rc = put_num(out, s->q[i], false);
		if (rc == 0)
			rc = cep_buf_puts(out, s->saturated[i] ? ",1," : ",0,");
		if (rc == 0 && s->loss)
			rc = put_num(out, s->loss[i], true);
		if (rc == 0)
			rc = cep_buf_puts(out, "\n");
	}
	return rc;
}

int an_diim_csv(const struct an_iim *m, const struct an_diim_result *r, struct cep_buf *out)
{
	size_t n = m->n;
	int rc = cep_buf_puts(out, "step,hour");

	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = cep_buf_puts(out, ",");
		if (rc == 0)
			rc = cep_csv_put_field(out, m->id[i]);
	}
	if (rc == 0)
		rc = cep_buf_puts(out, "\n");
	for (size_t t = 0; rc == 0 && t <= r->steps; t++) {
		rc = cep_buf_printf(out, "%zu", t);
		if (rc == 0)
			rc = put_num(out, (double)t * r->dt, false);
		for (size_t i = 0; rc == 0 && i < n; i++)
			rc = put_num(out, r->q[t * n + i], false);
		if (rc == 0)
			rc = cep_buf_puts(out, "\n");
	}
	return rc;
}

/* ---- SVG ---- */

/* The indices of the k largest of v[0..n), largest first (ties: lower index
 * first). idx has room for k. */
static void top(const double *v, size_t n, size_t k, size_t *idx)
{
	size_t got = 0;

	for (size_t i = 0; i < n; i++) {
		size_t p = got < k ? got++ : k;

		if (p == k && !(v[i] > v[idx[k - 1]]))
			continue;
		if (p == k)
			p = k - 1;
		while (p > 0 && v[i] > v[idx[p - 1]]) {
			idx[p] = idx[p - 1];
			p--;
		}
		idx[p] = i;
	}
}

/* Chart labels "name (id)", or the id when the name is the id, of the
 * sectors idx[0..k). *ret: k strings, caller frees with free_labels. */
static int labels(const struct an_iim *m, const size_t *idx, size_t k, char ***ret)
{
	char **l = cep_calloc(k, sizeof(*l));

	if (!l)
		return CEP_ENOMEM;
	for (size_t j = 0; j < k; j++) {
		size_t i = idx[j];
		const char *name = m->name[i] ? m->name[i] : m->id[i];
		size_t len = strlen(name) + strlen(m->id[i]) + 4;

		l[j] = cep_malloc(len);
		if (!l[j]) {
			for (size_t h = 0; h < j; h++)
				cep_free(l[h]);
			cep_free(l);
			return CEP_ENOMEM;
		}
		if (strcmp(name, m->id[i]) == 0)
			snprintf(l[j], len, "%s", name);
		else
			snprintf(l[j], len, "%s (%s)", name, m->id[i]);
	}
	*ret = l;
	return 0;
}

static void free_labels(char **l, size_t n)
{
	for (size_t i = 0; l && i < n; i++)
		cep_free(l[i]);
	cep_free(l);
}

/* The chart's title: what, a note when only the top k of n are drawn, and the
 * mark of the illustrative model. */
static void title(char *buf, size_t size, const struct an_iim *m, const char *what, size_t k,
		  const char *by)
{
	char part[96] = "";

	if (k < m->n)
		snprintf(part, sizeof(part), " — the %zu of %zu sectors with the largest %s", k,
			 m->n, by);
	snprintf(buf, size, "%s%s%s", what, part, m->illustrative ? ILLUSTRATIVE_MARK : "");
}

int an_iim_solution_svg(const struct an_iim *m, const struct an_iim_solution *s,
			struct cep_buf *out, struct cep_error *err)
{
	size_t k = m->n < MAX_BARS ? m->n : MAX_BARS;
	size_t *idx = cep_malloc(k * sizeof(*idx));
	double *q = cep_malloc(k * sizeof(*q));
	char t[256], **l = NULL;
	struct an_chart c = {
		.title = t,
		.x_label = "inoperability q (0: working, 1: stopped)",
		.y_min = 0,
		.y_max = 1,
	};
	int rc;

	if (!idx || !q) {
		rc = CEP_ENOMEM;
		goto out;
	}
	if (k < m->n) {
		top(s->q, m->n, k, idx);
	} else {
		for (size_t i = 0; i < k; i++)
			idx[i] = i;
	}
	for (size_t i = 0; i < k; i++)
		q[i] = s->q[idx[i]];
	title(t, sizeof(t), m, "Inoperability q per sector (static IIM)", k, "q");
	rc = labels(m, idx, k, &l);
	if (rc == 0)
		rc = an_svg_bars(out, &c, (const char *const *)l, q, k, err);
out:
	free_labels(l, k);
	cep_free(idx);
	cep_free(q);
	return rc;
}

int an_diim_svg(const struct an_iim *m, const struct an_diim_result *r, struct cep_buf *out,
		struct cep_error *err)
{
	size_t n = m->n, np = r->steps + 1, k = n < MAX_LINES ? n : MAX_LINES;
	struct an_series *s = cep_calloc(k, sizeof(*s));
	size_t *idx = cep_malloc(k * sizeof(*idx));
	double *hours = cep_malloc(np * sizeof(*hours)), *y = cep_malloc(k * np * sizeof(*y));
	char t[256], **l = NULL;
	struct an_chart c = {
		.title = t,
		.x_label = "hours",
		.y_label = "inoperability q",
	};
	int rc = s && idx && hours && y ? 0 : CEP_ENOMEM;

	if (rc < 0)
		goto out;
	if (k < n) {
		top(r->impact, n, k, idx);
	} else {
		for (size_t i = 0; i < k; i++)
			idx[i] = i;
	}
	title(t, sizeof(t), m, "Inoperability q(t) per sector (DIIM)", k, "impact");
	rc = labels(m, idx, k, &l);
	if (rc < 0)
		goto out;
	for (size_t tt = 0; tt < np; tt++) {
		hours[tt] = (double)tt * r->dt;
		for (size_t j = 0; j < k; j++)
			y[j * np + tt] = r->q[tt * n + idx[j]];
	}
	for (size_t j = 0; j < k; j++)
		s[j] = (struct an_series){ .label = l[j], .x = hours, .y = y + j * np, .n = np };
	rc = an_svg_lines(out, &c, s, k, err);
out:
	free_labels(l, k);
	cep_free(s);
	cep_free(idx);
	cep_free(hours);
	cep_free(y);
	return rc;
}
