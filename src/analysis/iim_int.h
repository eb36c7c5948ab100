/* iim_int.h - shared by the files of the IIM (iim*.c); not for other modules. */
#ifndef CEP_ANALYSIS_IIM_INT_H
#define CEP_ANALYSIS_IIM_INT_H

#include "analysis/iim.h"

#include <stddef.h>

/* Factor the n x n row-major matrix a in place into P a = L U (partial
 * pivoting; L unit lower, both stored in a); piv (n) records the row taken at
 * each step. Returns 0, or CEP_ESEMANTIC when a pivot is exactly zero. */
int an_lu_factor(double *a, size_t n, size_t *piv);
/* Solve (P^T L U) x = b in place (b becomes x), with a and piv from
 * an_lu_factor. */
void an_lu_solve(const double *lu, size_t n, const size_t *piv, double *b);

/* Parse a decimal number: optional blanks around it, the whole text used,
 * finite. Returns 0 or CEP_EINVAL. */
int an_iim_number(const char *s, double *ret);

/* Check a perturbation against m: sizes, ascending starts, c* in [0, 1]
 * (err names the sector). p may be NULL. Returns 0 or CEP_EINVAL/CEP_ETOOBIG. */
int an_iim_pert_check(const struct an_iim *m, const struct an_iim_pert *p, struct cep_error *err);

/* The CSV reader's caps for the importers: fields per record, bytes per field. */
#define AN_IIM_CSV_MAX_FIELDS (AN_IIM_MAX_SECTORS + 2u)
#define AN_IIM_CSV_MAX_FIELD 256u

struct cep_csv;
/* The next record of c that is not blank, its fields trimmed of blanks (owned
 * by the reader until the next call). Returns 1, 0 at the end, or the
 * reader's CEP_EPARSE/CEP_ETOOBIG with err naming the line. */
int an_iim_csv_next(struct cep_csv *c, char ***ret_f, size_t *ret_n, size_t *ret_line,
		    struct cep_error *err);

/* Check a sector id read from a file: 1..AN_IIM_MAX_ID_CHARS characters of
 * valid UTF-8, no control characters. Returns 0 or CEP_EINVAL/CEP_ETOOBIG. */
int an_iim_id_check(const char *id);

#endif
