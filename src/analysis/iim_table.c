/* iim_table.c - models from CSV text: an A* matrix, or an input-output table
 * of flows and outputs turned into A* by the demand-side form a*_ij = z_ij / x_i.
 *
 * Both are square tables with the sector ids along the top and down the left,
 * in the same order; rows are the supplying (or affected) sector i, columns
 * the using (or depended-on) sector j. A last column "output" (国内生産額, as
 * the national tables name the total domestic output) gives x_i. */
#include "iim_int.h"

#include "base/alloc.h"
#include "base/csv.h"

#include <string.h>

/* Blanks around a field are not part of it (fields are the reader's, writable). */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	return s;
}

int an_iim_csv_next(struct cep_csv *c, char ***ret_f, size_t *ret_n, size_t *ret_line,
		    struct cep_error *err)
{
	char **f;
	size_t n, line;
	int rc;

	do {
		rc = cep_csv_next(c, &f, &n, &line);
		if (rc < 0)
			return cep_error_set(err, rc, "file", "line %zu: %s", line, cep_csv_error(c));
	} while (rc == 1 && n == 1 && !*trim(f[0]));
	if (rc == 1) {
		for (size_t i = 0; i < n; i++)
			f[i] = trim(f[i]);
		*ret_f = f;
		*ret_n = n;
		*ret_line = line;
	}
	return rc;
}

static bool is_output_column(const char *s)
{
	return strcmp(s, "output") == 0 || strcmp(s, "国内生産額") == 0;
}

/* A value at line/column of a row whose header names `col`: a number >= 0. */
static int cell(const char *s, size_t line, size_t column, const char *col, double *ret,
		struct cep_error *err)
{
	double v;

	if (an_iim_number(s, &v) < 0)
		return cep_error_set(err, CEP_EINVAL, "file",
				     "line %zu, column %zu (%s): \"%.40s\" is not a number", line,
				     column, col, s);
	if (v < 0)
		return cep_error_set(err, CEP_EINVAL, "file",
				     "line %zu, column %zu (%s): %g is negative", line, column, col, v);
	*ret = v;
	return 0;
}

/* The header: ids of the n sectors and whether an output column ends it. */
static int read_header(struct cep_csv *c, bool need_output, struct an_iim **ret_m,
		       bool *ret_output, struct cep_error *err)
{
	struct an_iim *m = NULL;
	char **f;
	size_t nf, line, n;
	bool output;
	int rc = an_iim_csv_next(c, &f, &nf, &line, err);

	if (rc == 0)
		return cep_error_set(err, CEP_EINVAL, "file", "the file is empty: it needs a "
				     "header row of sector ids");
	if (rc < 0)
		return rc;
	output = nf >= 2 && is_output_column(f[nf - 1]);
	if (need_output && !output)
		return cep_error_set(err, CEP_EINVAL, "file",
				     "line %zu, column %zu: the last column must be \"output\" (or "
				     "国内生産額): the total output x_i of each row's sector",
				     line, nf);
	n = nf - 1 - (output ? 1 : 0);
	if (n == 0)
		return cep_error_set(err, CEP_EINVAL, "file", "line %zu: the header names no "
				     "sectors (a first cell, then one column per sector)", line);
	rc = an_iim_new(n, &m, err);
	if (rc < 0)
		goto out;
	for (size_t j = 0; j < n; j++) {
		const char *id = f[j + 1];

		if (an_iim_id_check(id) < 0) {
			rc = cep_error_set(err, CEP_EINVAL, "file",
					   "line %zu, column %zu: a sector id must be 1-%u characters "
					   "of text", line, j + 2, AN_IIM_MAX_ID_CHARS);
			goto out;
		}
		for (size_t k = 0; k < j; k++)
			if (strcmp(m->id[k], id) == 0) {
				rc = cep_error_set(err, CEP_EINVAL, "file",
						   "line %zu, column %zu: sector \"%s\" is already "
						   "column %zu", line, j + 2, id, k + 2);
				goto out;
			}
		m->id[j] = cep_strdup(id);
		m->name[j] = cep_strdup(id);
		if (!m->id[j] || !m->name[j]) {
			rc = CEP_ENOMEM;
			goto out;
		}
	}
	if (output) {
		m->x = cep_calloc(n, sizeof(*m->x));
		if (!m->x) {
			rc = CEP_ENOMEM;
			goto out;
		}
	}
	*ret_m = m;
	*ret_output = output;
	m = NULL;
out:
	an_iim_free(m);
	return rc;
}

/* Read a square table; when table, the entries are flows z_ij, turned into
 * a*_ij = z_ij / x_i. */
static int read_square(const char *text, size_t len, bool table, struct an_iim **ret,
		       struct cep_error *err)
{
	struct an_iim *m = NULL;
	struct cep_csv *c = NULL;
	char **f;
	size_t nf, line = 1, n;
	bool output = false;
	int rc;

	if (len > AN_IIM_MAX_CSV_BYTES)
		return cep_error_set(err, CEP_ETOOBIG, "file", "the file is larger than %u bytes",
				     AN_IIM_MAX_CSV_BYTES);
	c = cep_csv_new(text, len, AN_IIM_CSV_MAX_FIELDS, AN_IIM_CSV_MAX_FIELD);
	if (!c)
		return CEP_ENOMEM;
	rc = read_header(c, table, &m, &output, err);
	if (rc < 0)
		goto out;
	n = m->n;
	for (size_t i = 0; i < n; i++) {
		rc = an_iim_csv_next(c, &f, &nf, &line, err);
		if (rc == 0) {
			rc = cep_error_set(err, CEP_EINVAL, "file",
					   "line %zu: the file ends after %zu of %zu sector rows", line,
					   i, n);
			goto out;
		}
		if (rc < 0)
			goto out;
		rc = 0;
		if (nf != n + 1 + (output ? 1 : 0)) {
			rc = cep_error_set(err, CEP_EINVAL, "file",
					   "line %zu: %zu fields, but the header has %zu", line, nf,
					   n + 1 + (output ? 1 : 0));
			goto out;
		}
		if (strcmp(f[0], m->id[i]) != 0) {
			rc = cep_error_set(err, CEP_EINVAL, "file",
					   "line %zu, column 1: row \"%.64s\" where \"%s\" was expected: "
					   "rows must list the sectors in the header's order",
					   line, f[0], m->id[i]);
			goto out;
		}
		for (size_t j = 0; j < n && rc == 0; j++)
			rc = cell(f[j + 1], line, j + 2, m->id[j], &m->a[i * n + j], err);
		if (rc == 0 && output) {
			rc = cell(f[n + 1], line, n + 2, "output", &m->x[i], err);
			if (rc == 0 && m->x[i] <= 0)
				rc = cep_error_set(err, CEP_EINVAL, "file",
						   "line %zu, column %zu (output): the output of %s "
						   "must be > 0", line, n + 2, m->id[i]);
		}
		if (rc < 0)
			goto out;
		if (table)
			for (size_t j = 0; j < n; j++)
				m->a[i * n + j] /= m->x[i];
	}
	rc = an_iim_csv_next(c, &f, &nf, &line, err);
	if (rc == 1)
		rc = cep_error_set(err, CEP_EINVAL, "file",
				   "line %zu: more rows than the %zu sectors of the header", line, n);
	if (rc < 0)
		goto out;
	*ret = m;
	m = NULL;
out:
	cep_csv_free(c);
	an_iim_free(m);
	return rc;
}

int an_iim_from_matrix_csv(const char *text, size_t len, struct an_iim **ret,
			   struct cep_error *err)
{
	return read_square(text, len, false, ret, err);
}

int an_iim_from_table_csv(const char *text, size_t len, struct an_iim **ret,
			  struct cep_error *err)
{
	return read_square(text, len, true, ret, err);
}
