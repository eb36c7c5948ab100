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
	return w->tl_t && w->tl_t2 && w->tl_v && w->tl_v2 ? 0 : CEP_ENOMEM;
}

void sim_record_free(struct an_ws *w)
{
	cep_free(w->tl_t);
	cep_free(w->tl_t2);
	cep_free(w->tl_v);
	cep_free(w->tl_v2);
}

void sim_record_reset(struct an_ws *w)
{
	w->tl_n = 0;
	w->grid = !w->topt.exact;
	w->grid_next = 0;
}

static double fraction(double down_w, uint32_t down_n, double total_w, uint32_t total_n)
{
	if (total_w > 0)
		return 1.0 - down_w / total_w;
	return total_n ? 1.0 - (double)down_n / total_n : 1.0;
}

/* The current working fractions into row. */
static void values(const struct an_ws *w, double *row)
{
	const struct an_sim *s = w->s;
	const struct an_model *m = w->m;
	uint32_t k = 0;

	row[k++] = fraction(w->down_w, w->down_n, s->total_w, m->n_nodes);
	for (uint32_t i = 0; i < m->sectors.n; i++)
		row[k++] = fraction(w->sec_down_w[i], w->sec_down_n[i], s->sector_w[i],
				    s->sector_n[i]);
	if (w->topt.layers)
		for (uint32_t i = 0; i < m->layers.n; i++)
			row[k++] = fraction(w->lay_down_w[i], w->lay_down_n[i], s->layer_w[i],
					    s->layer_n[i]);
}

static double grid_time(const struct an_ws *w, uint32_t i)
{
	return w->horizon * i / (w->topt.max_points - 1);
}

void sim_record_before(struct an_ws *w, double t)
{
	if (!w->grid)
		return;
	while (w->grid_next < w->topt.max_points && grid_time(w, w->grid_next) < t) {
		w->tl_t[w->grid_next] = grid_time(w, w->grid_next);
		values(w, w->tl_v + (size_t)w->grid_next * w->n_series);
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

	for (; i < w->topt.max_points && grid_time(w, i) < w->now; i++) {
		double g = grid_time(w, i);

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
		values(w, w->tl_v + (w->tl_n - 1) * w->n_series);
		return;
	}
	if (w->tl_n == w->topt.max_points) {
		to_grid(w);
		return;
	}
	w->tl_t[w->tl_n] = w->now;
	values(w, w->tl_v + w->tl_n * w->n_series);
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
