/* cmd_sim_iim.c - `ceptoar sim iim` and `ceptoar sim diim`: the sector-level
 * inoperability input-output model, static and dynamic, on the default
 * (illustrative) matrix or on an imported matrix or input-output table. This
 * file reads and writes the files; analysis/iim.h computes. */
#include "cli/sim.h"

#include "analysis/iim.h"
#include "base/alloc.h"
#include "base/buf.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_REPEAT AN_IIM_MAX_PIECES /* --perturbation, --q0, --recovery given at most */
#define MAX_OUTPUT (512u << 20)      /* bytes of one result file */

static const struct option iim_opts[] = {
	{ "matrix", required_argument, NULL, 'm' },
	{ "table", required_argument, NULL, 't' },
	{ "perturbation", required_argument, NULL, 'p' },
	{ "c", required_argument, NULL, 'c' },
	{ "q0", required_argument, NULL, 'q' },
	{ "steps", required_argument, NULL, 'n' },
	{ "step-hours", required_argument, NULL, 'd' },
	{ "k", required_argument, NULL, 'k' },
	{ "recovery", required_argument, NULL, 'r' },
	{ "output-hours", required_argument, NULL, 'H' },
	{ "out", required_argument, NULL, 'o' },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct iim_opts {
	const char *action; /* "sim iim" or "sim diim", for messages */
	const char *matrix, *table, *c_file, *k_file, *out;
	const char *pert[MAX_REPEAT], *q0[MAX_REPEAT], *rec[MAX_REPEAT];
	size_t npert, nq0, nrec;
	long steps;
	double dt, output_hours;
	bool json;
	char seen[32];
};

static void iim_help(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar sim iim [--matrix FILE | --table FILE]\n"
		"                       [--perturbation SECTOR=VALUE ... | --c FILE]\n"
		"                       [--out DIR] [--json]\n"
		"\n"
		"The static inoperability input-output model (IIM): q = A* q + c*, solved as\n"
		"q = (I - A*)^-1 c*. q_i is the fraction of sector i's output lost (0 working,\n"
		"1 stopped); c* is the inoperability caused directly (by an attack, a\n"
		"blackout); A* says how inoperability spreads between sectors. A* must have a\n"
		"spectral radius below 1, or the model has no bounded solution (refused).\n"
		"\n"
		"Without --matrix or --table the default matrix of the ten critical-\n"
		"infrastructure sectors is used. It is ILLUSTRATIVE (judgements, not\n"
		"statistics), and every output says so.\n"
		"\n"
		"Options:\n"
		"  --matrix FILE           A* as CSV: a header row (a free first cell, then the\n"
		"                          sector ids), one row per sector in the same order\n"
		"                          (its id, then a*_i1..a*_in). Row i is the sector\n"
		"                          affected, column j the one it depends on. An optional\n"
		"                          last column \"output\" gives each sector's output x_i.\n"
		"  --table FILE            an input-output table as CSV, same layout with flows\n"
		"                          z_ij (rows: supplying sector, columns: using sector)\n"
		"                          and a required last column \"output\" (or 国内生産額)\n"
		"                          with the total output x_i. A* is derived in the\n"
		"                          demand-side form a*_ij = z_ij / x_i.\n"
		"  --perturbation S=V      c* of sector S is V (0..1); repeat for more sectors\n"
		"  --c FILE                c* as CSV: a header row of sector ids, one row of\n"
		"                          values (sectors not named stay 0)\n"
		"  --out DIR               write result.json, result.csv and result.svg (a bar\n"
		"                          chart of q) into DIR (made if missing)\n"
		"  --json                  print the JSON result instead of a table\n"
		"  -h, --help              show this help\n"
		"\n"
		"Sectors of the default matrix: info-comm finance aviation railway electricity\n"
		"gas government medical water logistics.\n"
		"\n"
		"Example: ceptoar sim iim --perturbation electricity=0.3\n"
		"Exit status: 0 done, 1 a file or the model was refused, 2 usage.\n");
}

static void diim_help(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar sim diim [--matrix FILE | --table FILE]\n"
		"                        [--perturbation S=V[@FROM[-TO]] ... | --c FILE]\n"
		"                        [--q0 S=V ...] [--steps N] [--step-hours H]\n"
		"                        [--k FILE | --recovery S=HOURS ...]\n"
		"                        [--output-hours H] [--out DIR] [--json]\n"
		"\n"
		"The dynamic inoperability input-output model (DIIM):\n"
		"  q(t+1) = q(t) + K [A* q(t) + c*(t) - q(t)],  q clipped to [0, 1],\n"
		"one step = H hours (K per hour, times H). K is each sector's resilience:\n"
		"given, or derived from recovery times T_i (the hours to bring q_i down to 1%%\n"
		"of its initial value) as k_i = ln(100) / (T_i (1 - a*_ii)). Reports q(t) per\n"
		"sector, its peak, the cumulative impact (the integral of q_i over time, in\n"
		"hours of full stoppage) and, with outputs x_i, the economic loss.\n"
		"\n"
		"Without --matrix or --table the default ILLUSTRATIVE matrix of the ten\n"
		"critical-infrastructure sectors is used (with illustrative recovery times).\n"
		"\n"
		"Options:\n"
		"  --matrix FILE, --table FILE   as for `ceptoar sim iim` (see its --help)\n"
		"  --perturbation S=V[@FROM[-TO]]\n"
		"                          c* of sector S is V (0..1) from hour FROM (default\n"
		"                          0) until hour TO (default: the end); repeat for more\n"
		"  --c FILE                c*(t) as CSV: a header \"hour\" then sector ids; each\n"
		"                          row holds c* from its hour until the next row's\n"
		"  --q0 S=V                the initial inoperability of sector S (default 0)\n"
		"  --steps N               number of steps (default 720; at most %u)\n"
		"  --step-hours H          hours per step (default 1)\n"
		"  --k FILE                K as CSV: a header naming every sector, one row of\n"
		"                          values >= 0 (per hour)\n"
		"  --recovery S=HOURS      recovery time of sector S; S=* sets every sector not\n"
		"                          named (the default matrix has its own)\n"
		"  --output-hours H        hours that the outputs x_i cover (default 8760: a\n"
		"                          year, as in the national tables)\n"
		"  --out DIR               write result.json, timeline.csv (one row per step)\n"
		"                          and timeline.svg (q(t) per sector) into DIR\n"
		"  --json                  print the JSON result instead of a table\n"
		"  -h, --help              show this help\n"
		"\n"
		"Example: ceptoar sim diim --perturbation electricity=0.5@0-24 --steps 336 \\\n"
		"             --out blackout\n"
		"Exit status: 0 done, 1 a file or the model was refused, 2 usage.\n",
		AN_DIIM_MAX_STEPS);
}

/* A number for option c. */
static int opt_number(const struct iim_opts *o, int c, const char *s, double lo, double hi,
		      double *ret)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi)
		return cli_usage(o->action, "--%s must be a number from %g to %g, not \"%s\"",
				 cli_opt_name(iim_opts, c), lo, hi, s);
	*ret = v;
	return 0;
}

static int add(const struct iim_opts *o, const char **list, size_t *n, int c, const char *arg)
{
	if (*n == MAX_REPEAT)
		return cli_usage(o->action, "--%s is given more than %d times",
				 cli_opt_name(iim_opts, c), MAX_REPEAT);
	list[(*n)++] = arg;
	return 0;
}

/* Parse argv[2..] into o. Returns 0 (*ret_helped set when --help was shown)
 * or CLI_USAGE. */
static int parse(int argc, char **argv, void (*help)(FILE *), struct iim_opts *o,
		 bool *ret_helped)
{
	double steps = 0;
	int c, rc = 0;

	o->steps = 720;
	o->dt = 1;
	o->output_hours = 8760;
	*ret_helped = false;
	optind = 0;
	while (rc == 0 && (c = getopt_long(argc - 1, argv + 1, "h", iim_opts, NULL)) != -1) {
		cli_seen(o->seen, sizeof(o->seen), c);
		switch (c) {
		case 'm': o->matrix = optarg; break;
		case 't': o->table = optarg; break;
		case 'c': o->c_file = optarg; break;
		case 'k': o->k_file = optarg; break;
		case 'o': o->out = optarg; break;
		case 'j': o->json = true; break;
		case 'p': rc = add(o, o->pert, &o->npert, c, optarg); break;
		case 'q': rc = add(o, o->q0, &o->nq0, c, optarg); break;
		case 'r': rc = add(o, o->rec, &o->nrec, c, optarg); break;
		case 'd': rc = opt_number(o, c, optarg, 1e-3, 8760, &o->dt); break;
		case 'H': rc = opt_number(o, c, optarg, 1, 1e7, &o->output_hours); break;
		case 'n':
			rc = opt_number(o, c, optarg, 1, AN_DIIM_MAX_STEPS, &steps);
			if (rc == 0 && steps != floor(steps))
				rc = cli_usage(o->action, "--steps must be a whole number");
			if (rc == 0)
				o->steps = (long)steps; /* not read when the number was refused */
			break;
		case 'h':
			help(stdout);
			*ret_helped = true;
			return 0;
		default:
			return cli_usage(o->action, "unknown option");
		}
	}
	if (rc)
		return rc;
	if (optind + 1 < argc)
		return cli_usage(o->action, "unexpected argument \"%s\"", argv[optind + 1]);
	if (o->matrix && o->table)
		return cli_usage(o->action, "give --matrix or --table, not both");
	if (o->c_file && o->npert)
		return cli_usage(o->action, "give --perturbation or --c, not both");
	if (o->k_file && o->nrec)
		return cli_usage(o->action, "give --k or --recovery, not both");
	return 0;
}

/* Print a failure of file path (NULL: none) and return CLI_FAIL. */
static int fail(const char *path, const struct cep_error *err, int rc)
{
	const char *msg = err->message[0] ? err->message : cep_err_text(rc);

	if (path)
		fprintf(stderr, "ceptoar: %s: %s\n", path, msg);
	else
		fprintf(stderr, "ceptoar: %s\n", msg);
	return CLI_FAIL;
}

/* The file that err is about, for the message: the model's for its entries,
 * ids and outputs, the --k or --c file for K or c*; NULL when none. */
static const char *blame(const struct iim_opts *o, const struct cep_error *err)
{
	static const char *const fields[] = { "a", "sector", "sectors", "output", NULL };

	for (size_t i = 0; fields[i]; i++)
		if (strcmp(err->field, fields[i]) == 0)
			return o->matrix ? o->matrix : o->table;
	if (strcmp(err->field, "k") == 0)
		return o->k_file;
	if (strcmp(err->field, "perturbation") == 0)
		return o->c_file;
	return NULL;
}

static int load_model(const struct iim_opts *o, struct an_iim **ret)
{
	const char *path = o->matrix ? o->matrix : o->table;
	struct cep_error err;
	char *text = NULL;
	size_t len = 0;
	int rc;

	cep_error_init(&err);
	if (!path)
		rc = an_iim_default(ret, &err);
	else if ((rc = cli_read_file(path, AN_IIM_MAX_CSV_BYTES, &text, &len, &err)) == 0)
		rc = o->matrix ? an_iim_from_matrix_csv(text, len, ret, &err) :
				 an_iim_from_table_csv(text, len, ret, &err);
	cep_free(text);
	if (rc < 0) {
		if (err.code == CEP_EIO || err.code == CEP_ETOOBIG)
			return fail(NULL, &err, rc); /* the reader named the file */
		return fail(path, &err, rc);
	}
	return 0;
}

/* "S=V" of option c: the sector of m and the text after '='. */
static int sector_arg(const struct iim_opts *o, const struct an_iim *m, int c, const char *arg,
		      size_t *ret_sector, const char **ret_value)
{
	const char *eq = strchr(arg, '=');
	char id[4 * AN_IIM_MAX_ID_CHARS + 1];
	struct cep_error err;

	cep_error_init(&err);
	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(id))
		return cli_usage(o->action, "--%s takes SECTOR=VALUE, not \"%s\"",
				 cli_opt_name(iim_opts, c), arg);
	memcpy(id, arg, (size_t)(eq - arg));
	id[eq - arg] = '\0';
	*ret_value = eq + 1;
	if (c == 'r' && strcmp(id, "*") == 0) {
		*ret_sector = m->n; /* every sector not named */
		return 0;
	}
	if (an_iim_sector(m, id, ret_sector, &err) < 0)
		return cli_usage(o->action, "--%s %s: %s", cli_opt_name(iim_opts, c), arg,
				 err.message);
	return 0;
}

/* A number in text s (all of it). */
static bool number(const char *s, double *ret)
{
	char *end;

	errno = 0;
	*ret = strtod(s, &end);
	return end != s && !*end && !errno && isfinite(*ret);
}

/* --perturbation S=V[@FROM[-TO]] into windows. */
static int windows(const struct iim_opts *o, const struct an_iim *m, bool timed,
		   struct an_iim_window *w)
{
	for (size_t k = 0; k < o->npert; k++) {
		const char *v, *at;
		char num[64];
		int rc = sector_arg(o, m, 'p', o->pert[k], &w[k].sector, &v);

		if (rc)
			return rc;
		at = strchr(v, '@');
		if (at && !timed)
			return cli_usage(o->action, "--perturbation %s: the static model has no "
				         "time (use `sim diim` for windows)", o->pert[k]);
		snprintf(num, sizeof(num), "%.*s", at ? (int)(at - v) : (int)strlen(v), v);
		w[k].from = 0;
		w[k].to = INFINITY;
		if (!number(num, &w[k].value) || w[k].value < 0 || w[k].value > 1)
			return cli_usage(o->action, "--perturbation %s: the value must be a number "
				         "from 0 to 1", o->pert[k]);
		if (at) {
			char *end;

			errno = 0;
			w[k].from = strtod(at + 1, &end);
			if (end != at + 1 && *end == '-')
				w[k].to = strtod(end + 1, &end);
			if (end == at + 1 || *end || errno || !isfinite(w[k].from) ||
			    w[k].from < 0 || !(w[k].to > w[k].from))
				return cli_usage(o->action, "--perturbation %s: after @ give FROM or "
					         "FROM-TO in hours, FROM < TO", o->pert[k]);
		}
	}
	return 0;
}

static int load_pert(const struct iim_opts *o, const struct an_iim *m, bool timed,
		     struct an_iim_pert **ret)
{
	struct an_iim_window w[MAX_REPEAT];
	struct cep_error err;
	char *text = NULL;
	size_t len = 0;
	int rc;

	cep_error_init(&err);
	if (o->c_file) {
		rc = cli_read_file(o->c_file, AN_IIM_MAX_CSV_BYTES, &text, &len, &err);
		if (rc == 0)
			rc = an_iim_pert_from_csv(m, text, len, ret, &err);
		cep_free(text);
		if (rc < 0)
			return err.code == CEP_EIO ? fail(NULL, &err, rc) : fail(o->c_file, &err, rc);
		return 0;
	}
	rc = windows(o, m, timed, w);
	if (rc)
		return rc;
	rc = an_iim_pert_from_windows(m, w, o->npert, ret, &err);
	return rc < 0 ? fail(NULL, &err, rc) : 0;
}

/* The three documents of a result: JSON (given), CSV and SVG (by the callers'
 * writers), into o->out and/or the JSON on stdout. */
struct docs {
	json_t *json;
	size_t json_flags; /* jansson's: indented for small documents */
	struct cep_buf csv, svg;
	const char *json_name, *csv_name, *svg_name;
};

static int emit(const struct iim_opts *o, struct docs *d)
{
	char *text = json_dumps(d->json, d->json_flags | JSON_REAL_PRECISION(15));
	int rc = 0;

	if (!text) {
		fprintf(stderr, "ceptoar: out of memory\n");
		return CLI_FAIL;
	}
	if (o->json)
		puts(text);
	if (o->out) {
		struct cep_error err;

		cep_error_init(&err);
		rc = cli_make_dir(o->out, &err);
		if (rc == 0)
			rc = cli_write_out(o->out, d->json_name, text, strlen(text), &err);
		if (rc == 0)
			rc = cli_write_out(o->out, d->csv_name, d->csv.data, d->csv.len, &err);
		if (rc == 0)
			rc = cli_write_out(o->out, d->svg_name, d->svg.data, d->svg.len, &err);
		if (rc < 0)
			rc = cli_fail(&err, rc);
	}
	cep_free(text);
	return rc;
}

static void print_head(const struct an_iim *m, const struct an_iim_rho *rho)
{
	if (m->illustrative)
		printf("ILLUSTRATIVE default matrix of the ten sectors: judgements, not statistics.\n");
	printf("spectral radius of A*: %.4g (bounds %.4g to %.4g)\n", rho->upper, rho->lower,
	       rho->upper);
}

int cli_sim_iim(struct cli_config *cfg, int argc, char **argv)
{
	struct iim_opts o = { .action = "sim iim" };
	struct an_iim_solution *s = NULL;
	struct an_iim_pert *p = NULL;
	struct an_iim *m = NULL;
	struct docs d = { .json_flags = JSON_INDENT(2), .json_name = "result.json",
			  .csv_name = "result.csv", .svg_name = "result.svg" };
	struct cep_error err;
	bool helped;
	int rc;

	(void)cfg;
	cep_error_init(&err);
	cep_buf_init(&d.csv, MAX_OUTPUT);
	cep_buf_init(&d.svg, MAX_OUTPUT);
	rc = parse(argc, argv, iim_help, &o, &helped);
	if (rc || helped)
		return rc;
	rc = cli_check_action("sim", "iim", iim_opts, o.seen, 0, "mtpcoj", 0, "");
	if (rc == 0)
		rc = load_model(&o, &m);
	if (rc == 0)
		rc = load_pert(&o, m, false, &p);
	if (rc == 0 && (rc = an_iim_solve(m, p, &s, &err)) < 0)
		rc = fail(blame(&o, &err), &err, rc);
	if (rc)
		goto out;
	if (((o.json || o.out) && an_iim_solution_json(m, s, &d.json) < 0) ||
	    (o.out && (an_iim_solution_csv(m, s, &d.csv) < 0 ||
		       an_iim_solution_svg(m, s, &d.svg, &err) < 0))) {
		rc = fail(NULL, &err, CEP_ENOMEM);
		goto out;
	}
	if (!o.json && !o.out) {
		print_head(m, &s->rho);
		printf("%-16s %8s %8s %12s  %s\n", "sector", "c*", "q", s->loss ? "loss" : "", "name");
		for (size_t i = 0; i < m->n; i++) {
			char loss[32] = "";

			if (s->loss)
				snprintf(loss, sizeof(loss), "%.6g", s->loss[i]);
			printf("%-16s %8.4f %8.4f%s %12s  %s\n", m->id[i], s->c[i], s->q[i],
			       s->saturated[i] ? "*" : " ", loss, m->name[i]);
		}
		if (s->loss)
			printf("loss: x_i q_i, in %s, over the period the outputs x_i cover (were q to "
			       "last that long)\n", m->x_unit ? m->x_unit : "the table's unit");
	} else {
		rc = emit(&o, &d);
	}
out:
	json_decref(d.json);
	cep_buf_free(&d.csv);
	cep_buf_free(&d.svg);
	an_iim_solution_free(s);
	an_iim_pert_free(p);
	an_iim_free(m);
	return rc;
}

/* K from --k FILE, or recovery times from --recovery into rec (n, filled
 * only when given; *ret_rec set then). */
static int resilience(const struct iim_opts *o, const struct an_iim *m, double **ret_k,
		      double *rec, bool *ret_rec)
{
	struct cep_error err;
	double all = NAN;
	char *text = NULL;
	size_t len = 0;
	int rc;

	cep_error_init(&err);
	*ret_rec = false;
	if (o->k_file) {
		rc = cli_read_file(o->k_file, AN_IIM_MAX_CSV_BYTES, &text, &len, &err);
		if (rc == 0)
			rc = an_iim_vector_from_csv(m, text, len, "k", 0, 1e6, ret_k, &err);
		cep_free(text);
		if (rc < 0)
			return err.code == CEP_EIO ? fail(NULL, &err, rc) : fail(o->k_file, &err, rc);
		return 0;
	}
	if (!o->nrec && !m->recovery)
		return cli_usage(o->action, "the model has no recovery times: give --k FILE, or "
				 "--recovery SECTOR=HOURS for every sector (*=HOURS for all)");
	if (!o->nrec)
		return 0;
	for (size_t i = 0; i < m->n; i++)
		rec[i] = NAN;
	for (size_t k = 0; k < o->nrec; k++) {
		const char *v;
		size_t s;
		double h;

		rc = sector_arg(o, m, 'r', o->rec[k], &s, &v);
		if (rc)
			return rc;
		if (!number(v, &h) || h <= 0 || h > AN_IIM_MAX_HOURS)
			return cli_usage(o->action, "--recovery %s: hours must be a number above 0, "
				         "at most %g", o->rec[k], AN_IIM_MAX_HOURS);
		if (s == m->n)
			all = h;
		else
			rec[s] = h;
	}
	for (size_t i = 0; i < m->n; i++) {
		if (isnan(rec[i]))
			rec[i] = !isnan(all) ? all : m->recovery ? m->recovery[i] : NAN;
		if (isnan(rec[i]))
			return cli_usage(o->action, "--recovery: sector %s has no recovery time (give "
				         "one for every sector, or *=HOURS)", m->id[i]);
	}
	*ret_rec = true;
	return 0;
}

/* q0 from --q0 S=V. */
static int initial(const struct iim_opts *o, const struct an_iim *m, double *q0)
{
	for (size_t k = 0; k < o->nq0; k++) {
		const char *v;
		size_t s;
		int rc = sector_arg(o, m, 'q', o->q0[k], &s, &v);

		if (rc)
			return rc;
		if (!number(v, &q0[s]) || q0[s] < 0 || q0[s] > 1)
			return cli_usage(o->action, "--q0 %s: the value must be a number from 0 to 1",
					 o->q0[k]);
	}
	return 0;
}

static void print_diim(const struct an_iim *m, const struct an_diim_result *r)
{
	size_t n = m->n;

	print_head(m, &r->rho);
	printf("%zu steps of %g hour%s\n", r->steps, r->dt, r->dt == 1 ? "" : "s");
	printf("%-16s %9s %7s %7s %9s %7s %12s %12s  %s\n", "sector", "k (1/h)", "q0", "q peak",
	       "peak hour", "q end", "impact (h)", r->loss_total ? "loss" : "", "name");
	for (size_t i = 0; i < n; i++) {
		size_t peak = 0;
		char loss[32] = "";

		for (size_t t = 1; t <= r->steps; t++)
			if (r->q[t * n + i] > r->q[peak * n + i])
				peak = t;
		if (r->loss_total)
			snprintf(loss, sizeof(loss), "%.6g", r->loss_total[i]);
		printf("%-16s %9.4g %7.4f %7.4f %9g %7.4f %12.6g %12s  %s\n", m->id[i], r->k[i],
		       r->q[i], r->q[peak * n + i], (double)peak * r->dt, r->q[r->steps * n + i],
		       r->impact[i], loss, m->name[i]);
	}
	if (r->loss_total)
		printf("loss: x_i / output hours x the integral of q_i over time, in %s\n",
		       m->x_unit ? m->x_unit : "the table's unit");
}

int cli_sim_diim(struct cli_config *cfg, int argc, char **argv)
{
	struct iim_opts o = { .action = "sim diim" };
	struct an_diim_result *r = NULL;
	struct an_iim_pert *p = NULL;
	struct an_iim *m = NULL;
	/* compact: indented, each of up to AN_DIIM_MAX_CELLS values would take a line */
	struct docs d = { .json_flags = JSON_COMPACT, .json_name = "result.json",
			  .csv_name = "timeline.csv", .svg_name = "timeline.svg" };
	double *k = NULL, *rec = NULL, *q0 = NULL;
	struct an_diim_params par;
	struct cep_error err;
	bool helped, has_rec = false;
	int rc;

	(void)cfg;
	cep_error_init(&err);
	cep_buf_init(&d.csv, MAX_OUTPUT);
	cep_buf_init(&d.svg, MAX_OUTPUT);
	rc = parse(argc, argv, diim_help, &o, &helped);
	if (rc || helped)
		return rc;
	rc = cli_check_action("sim", "diim", iim_opts, o.seen, 0, "mtpcqndkrHoj", 0, "");
	if (rc == 0)
		rc = load_model(&o, &m);
	if (rc == 0) {
		rec = cep_calloc(m->n, sizeof(*rec));
		q0 = cep_calloc(m->n, sizeof(*q0));
		if (!rec || !q0) {
			fprintf(stderr, "ceptoar: out of memory\n");
			rc = CLI_FAIL;
		}
	}
	if (rc == 0)
		rc = load_pert(&o, m, true, &p);
	if (rc == 0)
		rc = initial(&o, m, q0);
	if (rc == 0)
		rc = resilience(&o, m, &k, rec, &has_rec);
	if (rc)
		goto out;
	par = (struct an_diim_params){
		.steps = (size_t)o.steps,
		.dt = o.dt,
		.q0 = q0,
		.pert = p,
		.k = k,
		.recovery = has_rec ? rec : NULL,
		.output_hours = o.output_hours,
	};
	rc = an_diim_run(m, &par, &r, &err);
	if (rc < 0) {
		rc = fail(blame(&o, &err), &err, rc);
		goto out;
	}
	if (((o.json || o.out) && an_diim_json(m, r, &d.json) < 0) ||
	    (o.out && (an_diim_csv(m, r, &d.csv) < 0 || an_diim_svg(m, r, &d.svg, &err) < 0))) {
		rc = fail(NULL, &err, CEP_ENOMEM);
		goto out;
	}
	if (!o.json && !o.out)
		print_diim(m, r);
	else
		rc = emit(&o, &d);
out:
	json_decref(d.json);
	cep_buf_free(&d.csv);
	cep_buf_free(&d.svg);
	an_diim_result_free(r);
	an_iim_pert_free(p);
	an_iim_free(m);
	cep_free(k);
	cep_free(rec);
	cep_free(q0);
	return rc;
}
