/* cmd_sim_run.c - `ceptoar sim run`: a scenario on a facility model with the
 * discrete-event cascade simulator, once in detail or as a Monte Carlo run.
 * This file reads the model and the scenario, draws the progress bar, and
 * writes the files; analysis/ computes and renders. */
#include "cli/sim.h"

#include "analysis/load.h"
#include "analysis/mc.h"
#include "analysis/scenario.h"
#include "analysis/simrun.h"
#include "base/alloc.h"
#include "base/buf.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct option run_opts[] = {
	{ "scenario", required_argument, NULL, 's' },
	{ "trials", required_argument, NULL, 'n' },
	{ "seed", required_argument, NULL, 'S' },
	{ "threads", required_argument, NULL, 't' },
	{ "hours", required_argument, NULL, 'H' },
	{ "points", required_argument, NULL, 'p' },
	{ "out", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void run_help(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar sim run MODEL --scenario S --out DIR [--trials N] [--seed N]\n"
		"                       [--threads N] [--hours H] [--points N]\n"
		"\n"
		"Simulate a scenario on a facility model with the dynamic cascade simulator\n"
		"(動的依存性解析): facilities fail when an initial event hits them, when their\n"
		"suppliers stop serving them (after the buffer of each dependency: backup\n"
		"generators, batteries), or when their network layer cuts them off its sources;\n"
		"they come back after their repair time once every cause is gone.\n"
		"\n"
		"MODEL is a .json model, or a directory holding nodes.csv and edges.csv (no\n"
		"edges.csv: a model without edges), or a prefix P of the files Pnodes.csv and\n"
		"Pedges.csv (`ceptoar sim generate` writes both forms; docs/analysis.md\n"
		"describes them).\n"
		"\n"
		"Scenarios (--scenario):\n"
		"  blackout[:R,...]   広域停電: the power layers power/R of the regions R fail for\n"
		"                     24 h; R are prefecture codes 01..47; default Kanto 08..14\n"
		"  comms[:R,...]      大規模通信障害: the communications layers comms/R fail 24 h\n"
		"  compound[:R,...]   複合障害: the blackout, and the communications failure from\n"
		"                     hour 6 for 24 h\n"
		"  FILE.json          a scenario of your own:\n"
		"      {\"name\": \"...\", \"horizon_hours\": 168,\n"
		"       \"events\": [{\"layer\": \"power/13\", \"start_hours\": 0, \"duration_hours\": 24},\n"
		"                  {\"sector\": \"water\", \"region\": \"27\", \"fraction\": 0.2,\n"
		"                   \"start_hours\": 6}],\n"
		"       \"random\": {\"buffer\": {\"dist\": \"uniform\", \"lo\": 0.5, \"hi\": 1.5},\n"
		"                  \"repair\": {\"dist\": \"lognormal\", \"sigma\": 0.5}}}\n"
		"    An event selects by \"node\" (an id), or by any of \"sector\", \"region\" and\n"
		"    \"layer\" together; \"fraction\" fails a random share of what it selects;\n"
		"    a missing duration_hours lasts to the end. Random factors multiply each\n"
		"    buffer and repair time: uniform(lo, hi), lognormal(sigma, median 1) or\n"
		"    exponential(mean, default 1). The templates use uniform 0.5..1.5 for both.\n"
		"\n"
		"Options:\n"
		"  --scenario S     what happens (above); required\n"
		"  --out DIR        where the files go (made if missing); required\n"
		"  --trials N       1 (default): one run in detail, trial 0 of the seed, writing\n"
		"                   result.json, nodes.csv (every node that failed: when, back\n"
		"                   when, cause, depth), timeline.csv, timeline.svg, chain.json\n"
		"                   and chain.txt (the propagation tree, most damaging first).\n"
		"                   N > 1 (at most %u): Monte Carlo, writing result.json,\n"
		"                   nodes.csv (each node's probability of failing), timeline.csv\n"
		"                   (mean, p5, p50, p95 over time) and timeline.svg\n"
		"  --seed N         the random seed (default 1); trial t uses stream (seed, t),\n"
		"                   so results do not depend on --threads\n"
		"  --threads N      Monte Carlo threads (default: all cores)\n"
		"  --hours H        the horizon in hours, instead of the scenario's (default 168)\n"
		"  --points N       Monte Carlo time grid points (default %u)\n"
		"  -h, --help       show this help\n"
		"\n"
		"A progress bar is drawn on standard error when it is a terminal; Ctrl-C stops\n"
		"the run.\n"
		"\n"
		"Example: ceptoar sim generate japan --out japan && \\\n"
		"         ceptoar sim run japan --scenario blackout:13,14 --trials 1000 --out bo\n"
		"Exit status: 0 done, 1 the model or scenario was refused or the run failed,\n"
		"2 usage.\n",
		AN_MC_MAX_TRIALS, AN_SIMRUN_POINTS);
}

struct run_args {
	const char *model, *scenario, *out;
	struct an_simrun_opts o;
	double hours; /* 0: the scenario's */
	char seen[16];
};

/* An integer option from lo to hi. */
static int opt_uint(int c, const char *s, unsigned long long lo, unsigned long long hi,
		    unsigned long long *ret)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v < lo || v > hi)
		return cli_usage("sim run", "--%s must be a whole number from %llu to %llu, not \"%s\"",
				 cli_opt_name(run_opts, c), lo, hi, s);
	*ret = v;
	return 0;
}

static int parse(int argc, char **argv, struct run_args *a, int *ret_helped)
{
	unsigned long long v = 0;
	char *end;
	int c, rc = 0;

	memset(a, 0, sizeof(*a));
	a->o.trials = 1;
	a->o.seed = 1;
	*ret_helped = 0;
	optind = 0;
	while (rc == 0 && (c = getopt_long(argc - 1, argv + 1, "h", run_opts, NULL)) != -1) {
		cli_seen(a->seen, sizeof(a->seen), c);
		switch (c) {
		case 's': a->scenario = optarg; break;
		case 'o': a->out = optarg; break;
		case 'n':
			rc = opt_uint(c, optarg, 1, AN_MC_MAX_TRIALS, &v);
			a->o.trials = (uint32_t)v;
			break;
		case 'S':
			rc = opt_uint(c, optarg, 0, UINT64_MAX, &v);
			a->o.seed = v;
			break;
		case 't':
			rc = opt_uint(c, optarg, 1, AN_MC_MAX_THREADS, &v);
			a->o.threads = (int)v;
			break;
		case 'p':
			rc = opt_uint(c, optarg, 2, AN_TIMELINE_MAX_POINTS, &v);
			a->o.points = (uint32_t)v;
			break;
		case 'H':
			errno = 0;
			a->hours = strtod(optarg, &end);
			if (end == optarg || *end || errno || !(a->hours > 0) ||
			    a->hours > AN_MAX_HORIZON)
				rc = cli_usage("sim run", "--hours must be a number of hours above 0 "
					       "and at most %.0f, not \"%s\"", AN_MAX_HORIZON, optarg);
			break;
		case 'h':
			run_help(stdout);
			*ret_helped = 1;
			return 0;
		default:
			return cli_usage("sim run", "unknown option");
		}
	}
	if (rc)
		return rc;
	if ((rc = cli_check_action("sim", "sim run", run_opts, a->seen, argc - 1 - optind,
				   "sSntpoH", 1, "a MODEL (a .json file, a directory or a prefix)")))
		return rc;
	a->model = argv[optind + 1];
	if (!a->scenario)
		return cli_usage("sim run", "--scenario is required (blackout, comms, compound "
			       "or FILE.json)");
	if (!a->out)
		return cli_usage("sim run", "--out DIR is required");
	return 0;
}

static int fail(const struct cep_error *err, int rc)
{
	fprintf(stderr, "ceptoar: %s\n", err->message[0] ? err->message : cep_err_text(rc));
	return CLI_FAIL;
}

static int load_scenario(const struct run_args *a, const struct an_model *m,
			 struct an_scenario **ret, struct cep_error *err)
{
	struct cep_error e;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (!cli_sim_ends_with(a->scenario, ".json") && !strchr(a->scenario, '/'))
		rc = an_scenario_template(m, a->scenario, ret, err);
	else if (!(rc = cli_sim_read(a->scenario, AN_SCENARIO_MAX_BYTES, &text, &len, err))) {
		cep_error_init(&e);
		if ((rc = an_scenario_parse(m, text, len, ret, &e)))
			cep_error_set(err, rc, e.field, "%s: %s%s%s", a->scenario,
				      e.field[0] && !strstr(e.message, e.field) ? e.field : "",
				      e.field[0] && !strstr(e.message, e.field) ? ": " : "",
				      e.message);
	}
	cep_free(text);
	if (!rc && a->hours > 0)
		(*ret)->horizon = a->hours;
	return rc;
}

/* ---- progress and Ctrl-C ------------------------------------------------- */

static atomic_int interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	atomic_store(&interrupted, 1);
}

struct bar {
	const char *what;
	time_t last;
};

static void draw(void *ctx, unsigned long done, unsigned long total)
{
	struct bar *b = ctx;
	int width = 40, fill = total ? (int)(width * (double)done / total) : 0;
	time_t now = time(NULL);

	if (done < total && now == b->last)
		return;
	b->last = now;
	fprintf(stderr, "\r[%.*s%*s] %3d%% %s", fill,
		"########################################", width - fill, "",
		total ? (int)(100.0 * done / total) : 100, b->what);
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* ---- output ------------------------------------------------------------- */

/* Write a file of the run into the --out directory. */
static int write_out(void *ctx, const char *name, const char *type, struct cep_buf *data,
		     struct cep_error *err)
{
	(void)type;
	return cli_write_out(ctx, name, data->data, data->len, err);
}

int cli_sim_run(struct cli_config *cfg, int argc, char **argv)
{
	struct run_args a;
	struct an_model *m = NULL;
	struct an_scenario *sc = NULL;
	struct cep_error err;
	struct bar bar = { 0 };
	struct an_progress p = { .cancel = &interrupted };
	struct sigaction sa = { .sa_handler = on_sigint }, old;
	int helped, rc;

	(void)cfg;
	if ((rc = parse(argc, argv, &a, &helped)) || helped)
		return rc;
	cep_error_init(&err);
	if ((rc = cli_sim_model(a.model, &m, &err)) || (rc = load_scenario(&a, m, &sc, &err)) ||
	    (rc = cli_make_dir(a.out, &err))) {
		rc = fail(&err, rc);
		goto out;
	}
	if (isatty(STDERR_FILENO)) {
		bar.what = a.o.trials > 1 ? "trials" : "of the simulated time";
		p.report = draw;
		p.ctx = &bar;
	}
	atomic_store(&interrupted, 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	rc = an_simrun(m, sc, &a.o, &p, write_out, (void *)a.out, &err);
	sigaction(SIGINT, &old, NULL);
	if (rc)
		rc = fail(&err, rc);
out:
	an_scenario_free(sc);
	an_model_free(m);
	return rc;
}
