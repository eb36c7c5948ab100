/* sim_record.c - the working fraction over time, as a trial goes: a sample
 * after every batch of events (exact mode) until there are max_points of
 * them, or the state at max_points times evenly spread over the run (grid
 * mode). An exact timeline that grows too long is turned into the grid. */
#include "analysis/sim_int.h"

#include "base/alloc.h"
#include "base/err.h"

#include <math.h>
#include <string.h>

int sim_record_alloc(struct an_ws *w)
{
	size_t rows = w->topt.max_points, cols = w->n_series;

	w->tl_t = cep_malloc(rows * sizeof(double));
	w->tl_t2 = cep_malloc(rows * sizeof(double));
	w->tl_v = cep_malloc(rows * cols * sizeof(double));
	w->tl_v2 = cep_malloc(rows * cols * sizeof(double));
	w->grid_t = cep_malloc((rows + 1) * sizeof(double));
	w->grid_h = NAN; /* made by the first reset */
	if (!w->topt.exact) {
		w->tl_q = cep_malloc(rows * cols * sizeof(sim_sum));
		w->tl_c = cep_malloc(rows * cols * sizeof(uint32_t));
		if (!w->tl_q || !w->tl_c)
			return CEP_ENOMEM;
	}
	return w->tl_t && w->tl_t2 && w->tl_v && w->tl_v2 && w->grid_t ? 0 : CEP_ENOMEM;
}

void sim_record_free(struct an_ws *w)
{
	cep_free(w->tl_t);
	cep_free(w->tl_t2);
	cep_free(w->tl_v);
	cep_free(w->tl_v2);
	cep_free(w->tl_q);
	cep_free(w->tl_c);
	cep_free(w->grid_t);
}

void sim_record_reset(struct an_ws *w, double horizon)
{
	uint32_t p = w->topt.max_points;

	if (!(w->grid_h == horizon)) {
		for (uint32_t i = 0; i < p; i++)
			w->grid_t[i] = horizon * i / (p - 1);
		w->grid_t[p] = INFINITY;
		w->grid_h = horizon;
		w->grid_k = horizon > 0 ? (p - 1) / horizon : 0;
	}
	w->tl_n = 0;
	w->grid = !w->topt.exact;
	w->grid_next = 0;
}

/* The working share of what has total weight total_q (n nodes), of which
 * down_q (down_n nodes) is down: by weight, or by number when it weighs
 * nothing. */
static double fraction(sim_sum down_q, uint32_t down_n, sim_sum total_q, uint32_t total_n)
{
	if (total_q > 0)
		return 1.0 - (double)down_q / (double)total_q;
	return total_n ? 1.0 - (double)down_n / total_n : 1.0;
}

/* Series k: the whole, then each sector, then each layer. */
static void series_total(const struct an_ws *w, uint32_t k, sim_sum *ret_q, uint32_t *ret_n)
{
	const struct an_sim *s = w->s;
	uint32_t ns = w->m->sectors.n;

	if (k == 0) {
		*ret_q = s->total_q;
		*ret_n = w->m->n_nodes;
	} else if (k <= ns) {
		*ret_q = s->sector_q[k - 1];
		*ret_n = s->sector_n[k - 1];
	} else {
		*ret_q = s->layer_q[k - 1 - ns];
		*ret_n = s->layer_n[k - 1 - ns];
	}
}

static void series_down(const struct an_ws *w, uint32_t k, sim_sum *ret_q, uint32_t *ret_n)
{
	uint32_t ns = w->m->sectors.n;

	if (k == 0) {
		*ret_q = w->down_q;
		*ret_n = w->down_n;
	} else if (k <= ns) {
		*ret_q = w->sec_down_q[k - 1];
		*ret_n = w->sec_down_n[k - 1];
	} else {
		*ret_q = w->lay_down_q[k - 1 - ns];
		*ret_n = w->lay_down_n[k - 1 - ns];
	}
}

/* The current state into row r: fractions (exact samples), or the sums down
 * (the grid, made fractions by sim_record_finish). */
static void values(const struct an_ws *w, size_t r)
{
	for (uint32_t k = 0; k < w->n_series; k++) {
		size_t c = r * w->n_series + k;
		sim_sum dq, tq;
		uint32_t dn, tn;

		series_down(w, k, &dq, &dn);
		if (w->tl_q) {
			w->tl_q[c] = dq;
			w->tl_c[c] = dn;
			continue;
		}
		series_total(w, k, &tq, &tn);
		w->tl_v[c] = fraction(dq, dn, tq, tn);
	}
}

void sim_record_grid(struct an_ws *w, double t)
{
	while (sim_grid_time(w, w->grid_next) < t) { /* grid_t[max_points]: INFINITY */
		w->tl_t[w->grid_next] = sim_grid_time(w, w->grid_next);
		values(w, w->grid_next);
		w->grid_next++;
	}
	w->tl_n = w->grid_next;
}

/* The exact samples (all before w->now) become the grid points before now. */
static void to_grid(struct an_ws *w)
{
	size_t cols = w->n_series, j = 0;
	uint32_t i = 0;
	double *t, *v;

	for (; i < w->topt.max_points && sim_grid_time(w, i) < w->now; i++) {
		double g = sim_grid_time(w, i);

		while (j + 1 < w->tl_n && w->tl_t[j + 1] <= g)
			j++;
		w->tl_t2[i] = g;
		memcpy(w->tl_v2 + i * cols, w->tl_v + j * cols, cols * sizeof(double));
	}
	t = w->tl_t;
	v = w->tl_v;
	w->tl_t = w->tl_t2;
	w->tl_v = w->tl_v2;
	w->tl_t2 = t;
	w->tl_v2 = v;
	w->grid = 1;
	w->grid_next = i;
	w->tl_n = i;
}

void sim_record_sample(struct an_ws *w)
{
	if (w->grid)
		return;
	if (w->tl_n && w->tl_t[w->tl_n - 1] == w->now) {
		values(w, w->tl_n - 1);
		return;
	}
	if (w->tl_n == w->topt.max_points) {
		to_grid(w);
		return;
	}
	w->tl_t[w->tl_n] = w->now;
	values(w, w->tl_n);
	w->tl_n++;
}

void sim_record_end(struct an_ws *w)
{
	if (!w->grid) {
		sim_record_sample(w); /* the state at the horizon closes the timeline */
		if (!w->grid)
			return;
	}
	sim_record_before(w, INFINITY);
}

void sim_record_finish(struct an_ws *w)
{
	if (!w->tl_q)
		return;
	for (uint32_t k = 0; k < w->n_series; k++) {
		sim_sum tq;
		uint32_t tn;

		series_total(w, k, &tq, &tn);
		for (size_t r = 0; r < w->tl_n; r++) {
			size_t c = r * w->n_series + k;

			w->tl_v[c] = fraction(w->tl_q[c], w->tl_c[c], tq, tn);
		}
	}
}
