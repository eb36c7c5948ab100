/* iim_lu.c - dense LU factorisation with partial pivoting, for the IIM's
 * (I - A*) of at most AN_IIM_MAX_SECTORS rows: n^3 / 3 multiply-adds, under a
 * second at the cap. Row-major, in place. */
#include "iim_int.h"

#include <math.h>

int an_lu_factor(double *a, size_t n, size_t *piv)
{
	for (size_t k = 0; k < n; k++) {
		size_t p = k;
		double best = fabs(a[k * n + k]);

		for (size_t i = k + 1; i < n; i++)
			if (fabs(a[i * n + k]) > best) {
				best = fabs(a[i * n + k]);
				p = i;
			}
		piv[k] = p;
		if (best == 0.0 || !isfinite(best))
			return CEP_ESEMANTIC;
		if (p != k)
			for (size_t j = 0; j < n; j++) {
				double t = a[k * n + j];

				a[k * n + j] = a[p * n + j];
				a[p * n + j] = t;
			}
		double *rk = a + k * n;
		for (size_t i = k + 1; i < n; i++) {
			double *ri = a + i * n;
			double f = ri[k] / rk[k];

			ri[k] = f;
			if (f != 0.0)
				for (size_t j = k + 1; j < n; j++)
					ri[j] -= f * rk[j];
		}
	}
	return 0;
}

void an_lu_solve(const double *lu, size_t n, const size_t *piv, double *b)
{
	for (size_t k = 0; k < n; k++)
		if (piv[k] != k) {
			double t = b[k];

			b[k] = b[piv[k]];
			b[piv[k]] = t;
		}
	for (size_t i = 1; i < n; i++) {
		double s = b[i];

		for (size_t j = 0; j < i; j++)
			s -= lu[i * n + j] * b[j];
		b[i] = s;
	}
	for (size_t i = n; i-- > 0;) {
		double s = b[i];

		for (size_t j = i + 1; j < n; j++)
			s -= lu[i * n + j] * b[j];
		b[i] = s / lu[i * n + i];
	}
}
