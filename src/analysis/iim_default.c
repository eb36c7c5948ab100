/* iim_default.c - the default model of the ten critical-infrastructure
 * sectors. ILLUSTRATIVE: every number below is a judgement made to show how
 * the method works (electricity and communications are what most sectors lean
 * on; water matters to medical care; ...), NOT a statistic. For real analysis
 * import a matrix or an input-output table (an_iim_from_*_csv). */
#include "iim_int.h"

#include "base/alloc.h"

#include <string.h>

#define NSECT 10

static const char *const ids[NSECT] = {
	"info-comm", "finance", "aviation", "railway", "electricity",
	"gas", "government", "medical", "water", "logistics",
};

static const char *const names[NSECT] = {
	"情報通信", "金融", "航空", "鉄道", "電力", "ガス", "政府・行政サービス", "医療", "水道", "物流",
};

/* a*_ij: the inoperability of row sector i per unit inoperability of column
 * sector j (row i depends on column j). Row sums 0.32-0.74, so rho < 1. */
static const double a_star[NSECT][NSECT] = {
	/*          info   fin    avia   rail   elec   gas    gov    med    water  logi */
	/* info */ { 0,    0.02,  0,     0,     0.30,  0,     0.01,  0,     0.01,  0.02 },
	/* fin  */ { 0.35, 0,     0,     0,     0.25,  0,     0.03,  0,     0,     0.02 },
	/* avia */ { 0.20, 0.05,  0,     0.03,  0.20,  0.01,  0.03,  0,     0.02,  0.05 },
	/* rail */ { 0.15, 0.02,  0,     0,     0.40,  0,     0.02,  0,     0.01,  0.02 },
	/* elec */ { 0.10, 0.02,  0,     0,     0,     0.15,  0.01,  0,     0.03,  0.05 },
	/* gas  */ { 0.10, 0.02,  0,     0,     0.15,  0,     0,     0,     0.02,  0.03 },
	/* gov  */ { 0.25, 0.05,  0,     0.02,  0.20,  0,     0,     0,     0.02,  0.03 },
	/* med  */ { 0.15, 0.03,  0,     0,     0.25,  0.05,  0.03,  0,     0.15,  0.08 },
	/* water*/ { 0.08, 0,     0,     0,     0.35,  0.01,  0.03,  0,     0,     0.04 },
	/* logi */ { 0.15, 0.05,  0.05,  0.10,  0.10,  0.02,  0.02,  0,     0,     0 },
};

/* Outputs x_i, billion yen per year, rounded illustrative magnitudes. */
static const double outputs[NSECT] = {
	50000, 40000, 5000, 7000, 20000, 4000, 40000, 50000, 3000, 40000,
};

/* Hours to bring a sector's inoperability down to 1% of its initial value. */
static const double recovery[NSECT] = {
	24, 48, 72, 48, 48, 168, 72, 96, 120, 72,
};

int an_iim_default(struct an_iim **ret, struct cep_error *err)
{
	struct an_iim *m = NULL;
	int rc = an_iim_new(NSECT, &m, err);

	if (rc < 0)
		return rc;
	m->x = cep_malloc(NSECT * sizeof(*m->x));
	m->recovery = cep_malloc(NSECT * sizeof(*m->recovery));
	if (!m->x || !m->recovery) {
		rc = CEP_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < NSECT; i++) {
		m->id[i] = cep_strdup(ids[i]);
		m->name[i] = cep_strdup(names[i]);
		if (!m->id[i] || !m->name[i]) {
			rc = CEP_ENOMEM;
			goto out;
		}
		memcpy(m->a + i * NSECT, a_star[i], sizeof(a_star[i]));
	}
	memcpy(m->x, outputs, sizeof(outputs));
	memcpy(m->recovery, recovery, sizeof(recovery));
	m->illustrative = true;
	m->x_unit = "billion yen (illustrative)";
	m->source = "ILLUSTRATIVE default matrix of the ten critical-infrastructure sectors: "
		    "dependencies, outputs and recovery times are judgements chosen to show the "
		    "method, not statistics. Import a matrix or an input-output table for analysis.";
	*ret = m;
	m = NULL;
out:
	an_iim_free(m);
	return rc;
}
