/* iim_pert.c - per-sector inputs of the IIM: the perturbation c*(t), from
 * windows (the command line's SECTOR=VALUE@FROM-TO) or from CSV text, and one
 * value per sector (K) from CSV text. */
#include "iim_int.h"

#include "base/alloc.h"
#include "base/csv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int pert_new(size_t n, size_t npieces, struct an_iim_pert **ret)
{
	struct an_iim_pert *p = cep_calloc(1, sizeof(*p));

	if (!p)
		return CEP_ENOMEM;
	p->n = n;
	p->npieces = npieces;
	p->from = cep_calloc(npieces ? npieces : 1, sizeof(*p->from));
	p->c = cep_calloc(npieces ? npieces * n : 1, sizeof(*p->c));
	if (!p->from || !p->c) {
		an_iim_pert_free(p);
		return CEP_ENOMEM;
	}
	*ret = p;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int check_windows(const struct an_iim *m, const struct an_iim_window *w, size_t nw,
			 struct cep_error *err)
{
	if (nw > AN_IIM_MAX_PIECES)
		return cep_error_set(err, CEP_ETOOBIG, "perturbation",
				     "%zu perturbations: at most %u", nw, AN_IIM_MAX_PIECES);
	for (size_t k = 0; k < nw; k++) {
		if (w[k].sector >= m->n)
			return cep_error_set(err, CEP_EINVAL, "perturbation",
					     "perturbation %zu names no sector of the model", k + 1);
		if (!isfinite(w[k].value) || w[k].value < 0 || w[k].value > 1)
			return cep_error_set(err, CEP_EINVAL, "perturbation",
					     "perturbation %zu: c* of %s is %g; it must be in [0, 1]",
					     k + 1, m->id[w[k].sector], w[k].value);
		if (!(w[k].from >= 0 && w[k].from <= AN_IIM_MAX_HOURS && w[k].to > w[k].from))
			return cep_error_set(err, CEP_EINVAL, "perturbation",
					     "perturbation %zu of %s: hours %g to %g; it needs 0 <= "
					     "from < to, from at most %g", k + 1, m->id[w[k].sector],
					     w[k].from, w[k].to, AN_IIM_MAX_HOURS);
		for (size_t l = 0; l < k; l++)
			if (w[l].sector == w[k].sector && w[l].from < w[k].to &&
			    w[k].from < w[l].to)
				return cep_error_set(err, CEP_EINVAL, "perturbation",
						     "perturbations %zu and %zu of %s overlap in time",
						     l + 1, k + 1, m->id[w[k].sector]);
	}
	return 0;
}

int an_iim_pert_from_windows(const struct an_iim *m, const struct an_iim_window *w, size_t nw,
			     struct an_iim_pert **ret, struct cep_error *err)
{
	struct an_iim_pert *p = NULL;
	double *at = NULL;
	size_t nat = 0, np = 0, n = m->n;
	int rc = check_windows(m, w, nw, err);

	if (rc < 0)
		return rc;
	/* c* changes only where a window starts or ends. */
	at = cep_malloc((2 * nw + 1) * sizeof(*at));
	if (!at)
		return CEP_ENOMEM;
	at[nat++] = 0;
	for (size_t k = 0; k < nw; k++) {
		at[nat++] = w[k].from;
		if (w[k].to <= AN_IIM_MAX_HOURS)
			at[nat++] = w[k].to;
	}
	qsort(at, nat, sizeof(*at), cmp_double);
	rc = pert_new(n, nat, &p);
	if (rc < 0)
		goto out;
	for (size_t b = 0; b < nat; b++) {
		double *row = p->c + np * n;

		if (b > 0 && at[b] == at[b - 1])
			continue;
		for (size_t k = 0; k < nw; k++)
			if (w[k].from <= at[b] && at[b] < w[k].to)
				row[w[k].sector] = w[k].value;
		if (np > 0 && memcmp(row, row - n, n * sizeof(*row)) == 0) {
			memset(row, 0, n * sizeof(*row));
			continue; /* the same c* as the piece before */
		}
		p->from[np++] = at[b];
	}
	p->npieces = np;
	if (np > AN_IIM_MAX_PIECES) {
		rc = cep_error_set(err, CEP_ETOOBIG, "perturbation",
				   "the perturbation changes %zu times: at most %u", np,
				   AN_IIM_MAX_PIECES);
		goto out;
	}
	*ret = p;
	p = NULL;
out:
	cep_free(at);
	an_iim_pert_free(p);
	return rc;
}

/* Map the header's sector columns (from column `first`, 0-based) to m's
 * sectors: col[j] = sector of field first + j. Every column names a sector
 * once; when all, every sector must have a column. */
static int header_columns(const struct an_iim *m, char **f, size_t nf, size_t first,
			  size_t line, bool all, size_t *col, struct cep_error *err)
{
	bool *seen = cep_calloc(m->n, sizeof(*seen));
	int rc = 0;

	if (!seen)
		return CEP_ENOMEM;
	for (size_t j = first; j < nf && rc == 0; j++) {
		size_t s;

		if (an_iim_sector(m, f[j], &s, NULL) < 0)
			rc = cep_error_set(err, CEP_EINVAL, "file",
					   "line %zu, column %zu: \"%.64s\" is not a sector of the "
					   "model", line, j + 1, f[j]);
		else if (seen[s])
			rc = cep_error_set(err, CEP_EINVAL, "file",
					   "line %zu, column %zu: sector %s is given twice", line,
					   j + 1, f[j]);
		else
			seen[s] = true;
		col[j - first] = s;
	}
	for (size_t s = 0; all && rc == 0 && s < m->n; s++)
		if (!seen[s])
			rc = cep_error_set(err, CEP_EINVAL, "file",
					   "line %zu: sector %s has no column (every sector needs a "
					   "value)", line, m->id[s]);
	cep_free(seen);
	return rc;
}

/* A value at line/column (of sector id) in [lo, hi]. */
static int value(const char *s, size_t line, size_t column, const char *id, const char *what,
		 double lo, double hi, double *ret, struct cep_error *err)
{
	double v;

	if (an_iim_number(s, &v) < 0)
		return cep_error_set(err, CEP_EINVAL, "file",
				     "line %zu, column %zu (%s): \"%.40s\" is not a number", line,
				     column, id, s);
	if (v < lo || v > hi)
		return cep_error_set(err, CEP_EINVAL, "file",
				     "line %zu, column %zu (%s): %s %g is outside [%g, %g]", line,
				     column, id, what, v, lo, hi);
	*ret = v;
	return 0;
}

int an_iim_pert_from_csv(const struct an_iim *m, const char *text, size_t len,
			 struct an_iim_pert **ret, struct cep_error *err)
{
	struct an_iim_pert *p = NULL;
	struct cep_csv *c = NULL;
	size_t *col = NULL, nf, hf, line = 1, n = m->n;
	bool timed;
	char **f;
	int rc;

	if (len > AN_IIM_MAX_CSV_BYTES)
		return cep_error_set(err, CEP_ETOOBIG, "file", "the file is larger than %u bytes",
				     AN_IIM_MAX_CSV_BYTES);
	c = cep_csv_new(text, len, AN_IIM_CSV_MAX_FIELDS, AN_IIM_CSV_MAX_FIELD);
	col = cep_calloc(AN_IIM_CSV_MAX_FIELDS, sizeof(*col));
	rc = c && col ? pert_new(n, AN_IIM_MAX_PIECES, &p) : CEP_ENOMEM;
	if (rc < 0)
		goto out;
	p->npieces = 0;
	rc = an_iim_csv_next(c, &f, &hf, &line, err);
	if (rc == 0)
		rc = cep_error_set(err, CEP_EINVAL, "file", "the file is empty: it needs a header "
				   "row of sector ids");
	if (rc < 0)
		goto out;
	timed = strcmp(f[0], "hour") == 0;
	rc = header_columns(m, f, hf, timed ? 1 : 0, line, false, col, err);
	if (rc < 0)
		goto out;
	while ((rc = an_iim_csv_next(c, &f, &nf, &line, err)) == 1) {
		size_t k = p->npieces, first = timed ? 1 : 0;
		double *row = p->c + k * n;

		rc = 0;
		if (k == (timed ? AN_IIM_MAX_PIECES : 1)) {
			rc = cep_error_set(err, CEP_EINVAL, "file",
					   timed ? "line %zu: more than %u rows" :
						   "line %zu: without an \"hour\" column the file "
						   "holds one row of c* (%u)", line,
					   timed ? AN_IIM_MAX_PIECES : 1u);
			goto out;
		}
		if (nf != hf) {
			rc = cep_error_set(err, CEP_EINVAL, "file",
					   "line %zu: %zu fields, but the header has %zu", line, nf, hf);
			goto out;
		}
		if (timed) {
			rc = value(f[0], line, 1, "hour", "hour", k ? p->from[k - 1] : 0,
				   AN_IIM_MAX_HOURS, &p->from[k], err);
			if (rc == 0 && k > 0 && p->from[k] == p->from[k - 1])
				rc = cep_error_set(err, CEP_EINVAL, "file",
						   "line %zu, column 1 (hour): hour %g is repeated: "
						   "hours must be ascending", line, p->from[k]);
			if (rc < 0)
				goto out;
		}
		for (size_t j = first; j < nf && rc == 0; j++)
			rc = value(f[j], line, j + 1, m->id[col[j - first]], "c*", 0, 1,
				   &row[col[j - first]], err);
		if (rc < 0)
			goto out;
		p->npieces++;
	}
	if (rc < 0)
		goto out;
	if (p->npieces == 0) {
		rc = cep_error_set(err, CEP_EINVAL, "file", "line %zu: no row of values after the "
				   "header", line);
		goto out;
	}
	*ret = p;
	p = NULL;
out:
	cep_csv_free(c);
	cep_free(col);
	an_iim_pert_free(p);
	return rc;
}

int an_iim_vector_from_csv(const struct an_iim *m, const char *text, size_t len, const char *what,
			   double lo, double hi, double **ret, struct cep_error *err)
{
	struct cep_csv *c = NULL;
	size_t *col = NULL, nf, hf, line = 1;
	double *v = NULL;
	char **f;
	int rc;

	if (len > AN_IIM_MAX_CSV_BYTES)
		return cep_error_set(err, CEP_ETOOBIG, "file", "the file is larger than %u bytes",
				     AN_IIM_MAX_CSV_BYTES);
	c = cep_csv_new(text, len, AN_IIM_CSV_MAX_FIELDS, AN_IIM_CSV_MAX_FIELD);
	col = cep_calloc(AN_IIM_CSV_MAX_FIELDS, sizeof(*col));
	v = cep_calloc(m->n, sizeof(*v));
	if (!c || !col || !v) {
		rc = CEP_ENOMEM;
		goto out;
	}
	rc = an_iim_csv_next(c, &f, &hf, &line, err);
	if (rc == 0)
		rc = cep_error_set(err, CEP_EINVAL, "file", "the file is empty: it needs a header "
				   "row of sector ids");
	if (rc < 0)
		goto out;
	rc = header_columns(m, f, hf, 0, line, true, col, err);
	if (rc < 0)
		goto out;
	rc = an_iim_csv_next(c, &f, &nf, &line, err);
	if (rc == 0)
		rc = cep_error_set(err, CEP_EINVAL, "file", "line %zu: no row of values after the "
				   "header", line);
	if (rc == 1 && nf != hf)
		rc = cep_error_set(err, CEP_EINVAL, "file",
				   "line %zu: %zu fields, but the header has %zu", line, nf, hf);
	for (size_t j = 0; rc == 1 && j < nf; j++)
		if (value(f[j], line, j + 1, m->id[col[j]], what, lo, hi, &v[col[j]], err) < 0)
			rc = CEP_EINVAL;
	if (rc == 1) {
		rc = an_iim_csv_next(c, &f, &nf, &line, err);
		if (rc == 1)
			rc = cep_error_set(err, CEP_EINVAL, "file",
					   "line %zu: one row of values is expected", line);
	}
	if (rc < 0)
		goto out;
	*ret = v;
	v = NULL;
out:
	cep_csv_free(c);
	cep_free(col);
	cep_free(v);
	return rc;
}
