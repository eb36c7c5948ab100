/* cmd_sim_net.c - `ceptoar sim generate`, `sim sweep` and `sim rank`: model
 * generators, random removal sweeps and the criticality ranking over the
 * static cascade. This file reads and writes the files; analysis/gen.h,
 * cascade.h, sweep.h and rank.h compute. */
#include "cli/sim.h"

#include "analysis/cascade.h"
#include "analysis/gen.h"
#include "analysis/load.h"
#include "analysis/rank.h"
#include "analysis/rng.h"
#include "analysis/save.h"
#include "analysis/sweep.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_OUTPUT (512u << 20) /* bytes of one result file */
#define ORDER_STREAM 0x6f72646572ULL /* the random stream of a generated removal order */

static const struct option net_opts[] = {
	{ "nodes", required_argument, NULL, 'n' },
	{ "degree", required_argument, NULL, 'k' },
	{ "exponent", required_argument, NULL, 'x' },
	{ "layers", required_argument, NULL, 'L' },
	{ "scale-free", no_argument, NULL, 'S' },
	{ "scale", required_argument, NULL, 's' },
	{ "seed", required_argument, NULL, 'e' },
	{ "out", required_argument, NULL, 'o' },
	{ "order", required_argument, NULL, 'O' },
	{ "layer", required_argument, NULL, 'l' },
	{ "points", required_argument, NULL, 'p' },
	{ "trials", required_argument, NULL, 't' },
	{ "p-min", required_argument, NULL, 'a' },
	{ "p-max", required_argument, NULL, 'b' },
	{ "threads", required_argument, NULL, 'T' },
	{ "top", required_argument, NULL, 'N' },
	{ "candidates", required_argument, NULL, 'c' },
	{ "generate", required_argument, NULL, 'g' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct net_opts {
	const char *action; /* "sim generate", ... for messages */
	const char *out, *order, *layer, *generate;
	double nodes, degree, exponent, layers, scale, seed, points, trials, p_min, p_max;
	double threads, top, candidates;
	int scale_free;
	const char *args[2];
	int nargs;
	char seen[32];
};

static void generate_help(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar sim generate japan|er|sf|coupled [--nodes N] [--degree K]\n"
		"                            [--exponent G] [--layers L] [--scale-free]\n"
		"                            [--scale X] [--seed S] [--order LAYER]\n"
		"                            --out DIR|FILE.json\n"
		"\n"
		"Generate a facility model and write it in the model formats that `sim run`,\n"
		"`sim sweep` and `sim rank` read: DIR/nodes.csv and DIR/edges.csv, or one\n"
		"JSON file when --out ends in .json. The same options and seed give the same\n"
		"model, node for node.\n"
		"\n"
		"Generators:\n"
		"  japan     the 47 prefectures and the ten sectors: per prefecture a power grid,\n"
		"            a telecom network and a water network (layers power/PP, comms/PP,\n"
		"            water/PP; plants and core exchanges are their sources) and the\n"
		"            facilities that depend on them (hospitals, banks, railways, ...)\n"
		"            with buffers and k-of-n redundancy; operators in the numbers of the\n"
		"            CEPTOAR characteristic map (1,561 financial institutions, 1,742\n"
		"            municipalities, ...). About 44,600 nodes at scale 1.\n"
		"  er        one Erdős–Rényi layer (mean degree K)\n"
		"  sf        one scale-free layer: the configuration model, degree exponent G\n"
		"  coupled   L layers A, B, ... of N nodes each, Erdős–Rényi (or scale-free\n"
		"            with --scale-free), node i of each layer and node i of the next\n"
		"            depending on each other (Buldyrev et al. 2010)\n"
		"\n"
		"Options:\n"
		"  --nodes N         nodes per layer (er, sf, coupled; default 100000)\n"
		"  --degree K        mean degree (default 4)\n"
		"  --exponent G      power-law exponent of sf layers, above 2 (default 2.5)\n"
		"  --layers L        coupled layers, 2 to %u (default 2)\n"
		"  --scale-free      coupled layers are scale-free\n"
		"  --scale X         japan: facilities times X (default 1; 25 gives about\n"
		"                    1,070,000 nodes and 8,700,000 edges)\n"
		"  --seed S          random seed (default 1)\n"
		"  --order LAYER     also write DIR/order.txt: the ids of LAYER's nodes (or of\n"
		"                    every layer's: all) in a random order drawn from the seed,\n"
		"                    for `sim sweep --order`\n"
		"  --out PATH        a directory (made if missing) or a .json file\n"
		"  -h, --help        show this help\n"
		"\n"
		"Example: ceptoar sim generate coupled --nodes 1000000 --degree 4 --order A \\\n"
		"             --out er2\n"
		"Exit status: 0 done, 1 a file could not be written, 2 usage.\n",
		AN_GEN_MAX_LAYERS);
}

static void sweep_help(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar sim sweep MODEL | --generate SPEC [--layer L|all] [--points P]\n"
		"                         [--trials R] [--p-min A] [--p-max B] [--seed S]\n"
		"                         [--order FILE] [--threads T] --out DIR\n"
		"\n"
		"Remove a random fraction 1 - p of a layer's nodes (or of every layer's), run the\n"
		"static cascade to its end (an outage that lasts forever: buffers and repair\n"
		"play no part) and report the fraction of nodes still working, overall, per\n"
		"layer and by weight; for P values of p from A to B, R trials each. The\n"
		"removals of one trial are nested: what is removed at p is also removed at\n"
		"every smaller p.\n"
		"\n"
		"MODEL is a .json model, a directory holding nodes.csv and edges.csv (no\n"
		"edges.csv: a model without edges), or a prefix P of Pnodes.csv and Pedges.csv.\n"
		"\n"
		"Options:\n"
		"  --generate SPEC   sweep a generated model instead: japan[:SCALE],\n"
		"                    er[:N[:K]], sf[:N[:K[:G]]], coupled[:N[:K[:L[:er|sf]]]]\n"
		"  --layer L         remove from layer L's nodes (default all: every layer's)\n"
		"  --points P        values of p (default 50; at most %u)\n"
		"  --trials R        trials per value (default 1)\n"
		"  --p-min A         smallest p (default 0)\n"
		"  --p-max B         largest p (default 1)\n"
		"  --seed S          random seed of the removals (and of --generate; default 1)\n"
		"  --order FILE      remove in this order instead: the ids of the nodes removed\n"
		"                    from, one a line; p keeps the first floor(p n + 1/2) (one\n"
		"                    trial). `sim generate --order` writes such a file.\n"
		"  --threads T       threads (default: all cores)\n"
		"  --out DIR         write sweep.json, sweep.csv and sweep.svg (made if missing)\n"
		"  -h, --help        show this help\n"
		"\n"
		"Example: ceptoar sim sweep --generate coupled:100000:4 --layer A --out sw\n"
		"Exit status: 0 done, 1 a file or the model was refused, 2 usage.\n",
		AN_SWEEP_MAX_POINTS);
}

static void rank_help(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar sim rank MODEL | --generate SPEC [--top N] [--candidates N]\n"
		"                        [--threads T] --out DIR\n"
		"\n"
		"Criticality ranking (共通脅威分析): for each facility, the weighted damage of\n"
		"losing it alone, by the static cascade (the weight of every node that stops\n"
		"working, itself included). Every working node is ranked, in models up to\n"
		"%u nodes (a single loss costs microseconds); larger ones, or --candidates N,\n"
		"rank the %u (or N) nodes that a cheap bound (the weight of what they hold up\n"
		"within two steps) puts first.\n"
		"\n"
		"MODEL is a .json model, a directory holding nodes.csv and edges.csv (no\n"
		"edges.csv: a model without edges), or a prefix P of Pnodes.csv and Pedges.csv.\n"
		"\n"
		"Options:\n"
		"  --generate SPEC   rank a generated model instead (see `sim sweep --help`)\n"
		"  --seed S          seed of --generate (default 1)\n"
		"  --top N           entries of rank.json and of the chart (default 20)\n"
		"  --candidates N    rank only the N nodes of highest bound (default: see above)\n"
		"  --threads T       threads (default: all cores)\n"
		"  --out DIR         write rank.json (the top), rank.csv (every candidate) and\n"
		"                    rank.svg (a bar chart of the top) (made if missing)\n"
		"  -h, --help        show this help\n"
		"\n"
		"Example: ceptoar sim rank --generate japan:0.2 --top 20 --out crit\n"
		"Exit status: 0 done, 1 a file or the model was refused, 2 usage.\n",
		AN_RANK_ALL_MAX, AN_RANK_DEFAULT_CANDIDATES);
}

/* A number for option c within [lo, hi] (whole when whole is set). */
static int opt_number(const struct net_opts *o, int c, const char *s, double lo, double hi,
		      int whole, double *ret)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi ||
	    (whole && v != floor(v)))
		return cli_usage(o->action, "--%s must be a%s number from %g to %g, not \"%s\"",
				 cli_opt_name(net_opts, c), whole ? " whole" : "", lo, hi, s);
	*ret = v;
	return 0;
}

/* Parse argv[2..] into o. 0 (*ret_helped when --help was shown) or CLI_USAGE. */
static int parse(int argc, char **argv, void (*help)(FILE *), struct net_opts *o,
		 int *ret_helped)
{
	int c, rc = 0;

	o->seed = 1;
	o->points = 50;
	o->trials = 1;
	o->p_min = 0;
	o->p_max = 1;
	o->top = 20;
	o->nodes = o->degree = o->exponent = o->layers = o->scale = NAN;
	*ret_helped = 0;
	optind = 0;
	while (rc == 0 && (c = getopt_long(argc - 1, argv + 1, "h", net_opts, NULL)) != -1) {
		cli_seen(o->seen, sizeof(o->seen), c);
		switch (c) {
		case 'n': rc = opt_number(o, c, optarg, 2, AN_MAX_NODES, 1, &o->nodes); break;
		case 'k': rc = opt_number(o, c, optarg, 1e-9, AN_GEN_MAX_DEGREE, 0, &o->degree); break;
		case 'x': rc = opt_number(o, c, optarg, 2.000001, 10, 0, &o->exponent); break;
		case 'L': rc = opt_number(o, c, optarg, 2, AN_GEN_MAX_LAYERS, 1, &o->layers); break;
		case 'S': o->scale_free = 1; break;
		case 's': rc = opt_number(o, c, optarg, 1e-9, AN_GEN_MAX_SCALE, 0, &o->scale); break;
		case 'e': rc = opt_number(o, c, optarg, 0, 9007199254740992.0, 1, &o->seed); break;
		case 'o': o->out = optarg; break;
		case 'O': o->order = optarg; break;
		case 'l': o->layer = optarg; break;
		case 'g': o->generate = optarg; break;
		case 'p': rc = opt_number(o, c, optarg, 1, AN_SWEEP_MAX_POINTS, 1, &o->points); break;
		case 't': rc = opt_number(o, c, optarg, 1, AN_SWEEP_MAX_TRIALS, 1, &o->trials); break;
		case 'a': rc = opt_number(o, c, optarg, 0, 1, 0, &o->p_min); break;
		case 'b': rc = opt_number(o, c, optarg, 0, 1, 0, &o->p_max); break;
		case 'T': rc = opt_number(o, c, optarg, 1, 1024, 1, &o->threads); break;
		case 'N': rc = opt_number(o, c, optarg, 1, AN_RANK_MAX_TOP, 1, &o->top); break;
		case 'c': rc = opt_number(o, c, optarg, 1, AN_MAX_NODES, 1, &o->candidates); break;
		case 'h':
			help(stdout);
			*ret_helped = 1;
			return 0;
		default:
			return cli_usage(o->action, "unknown option");
		}
	}
	if (rc)
		return rc;
	for (int i = optind + 1; i < argc; i++) {
		if (o->nargs == 2)
			return cli_usage(o->action, "too many arguments");
		o->args[o->nargs++] = argv[i];
	}
	return 0;
}

/* ---- files ---------------------------------------------------------------- */

static int make_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0777) < 0 && !(errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))) {
		fprintf(stderr, "ceptoar: cannot make directory %s: %s\n", dir, strerror(errno));
		return CLI_FAIL;
	}
	return 0;
}

/* dir/name, or CLI_FAIL when it does not fit. */
static int join(const char *dir, const char *name, char *buf, size_t size)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size) {
		fprintf(stderr, "ceptoar: path too long: %s/%s\n", dir, name);
		return CLI_FAIL;
	}
	return 0;
}

/* The sink of save.h writing to a FILE. */
static int file_sink(void *ctx, const char *data, size_t len)
{
	return fwrite(data, 1, len, ctx) == len ? 0 : CEP_EIO;
}

enum model_file { MF_JSON, MF_NODES, MF_EDGES };

/* Write model m to path as JSON (named name), nodes.csv or edges.csv. */
static int save_model(const struct an_model *m, const char *name, enum model_file what,
		      const char *path)
{
	struct cep_error err;
	FILE *f = fopen(path, "wb");
	int rc;

	cep_error_init(&err);
	if (!f) {
		fprintf(stderr, "ceptoar: cannot write %s: %s\n", path, strerror(errno));
		return CLI_FAIL;
	}
	rc = what == MF_JSON    ? an_save_json(m, name, file_sink, f, &err)
	     : what == MF_NODES ? an_save_nodes_csv(m, file_sink, f, &err)
				: an_save_edges_csv(m, file_sink, f, &err);
	if (fclose(f) != 0 && !rc)
		rc = CEP_EIO;
	if (rc) {
		fprintf(stderr, "ceptoar: cannot write %s: %s\n", path,
			rc == CEP_EIO ? strerror(errno) : err.message);
		return CLI_FAIL;
	}
	return 0;
}

static int write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	if (join(dir, name, path, sizeof(path)))
		return CLI_FAIL;
	f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "ceptoar: cannot write %s: %s\n", path, strerror(errno));
		return CLI_FAIL;
	}
	ok = fwrite(data, 1, len, f) == len;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok) {
		fprintf(stderr, "ceptoar: cannot write %s: %s\n", path, strerror(errno));
		return CLI_FAIL;
	}
	return 0;
}

/* Load MODEL (cli_sim_model). Prints why and returns CLI_FAIL. */
static int load_model(const char *path, struct an_model **ret)
{
	struct cep_error err;
	int rc;

	cep_error_init(&err);
	rc = cli_sim_model(path, ret, &err);
	return rc ? cli_fail(&err, rc) : 0;
}

/* ---- progress ------------------------------------------------------------- */

struct bar {
	const char *what;
	int drawn;
};

/* A progress bar on standard error when it is a terminal. */
static void bar_report(void *ctx, unsigned long done, unsigned long total)
{
	struct bar *b = ctx;
	int pct = total ? (int)(done * 100 / total) : 100, fill = pct * 30 / 100;

	fprintf(stderr, "\r%s [%.*s%*s] %3d%%", b->what, fill, "##############################",
		30 - fill, "", pct);
	b->drawn = 1;
}

static void bar_init(struct bar *b, struct an_progress *p, const char *what)
{
	b->what = what;
	b->drawn = 0;
	memset(p, 0, sizeof(*p));
	if (isatty(STDERR_FILENO)) {
		p->report = bar_report;
		p->ctx = b;
	}
}

static void bar_end(struct bar *b)
{
	if (b->drawn)
		fprintf(stderr, "\n");
	b->drawn = 0;
}

/* ---- generate ------------------------------------------------------------- */

/* The generator spec of options o for kind k (what is not given keeps its default). */
static int gen_spec(const struct net_opts *o, enum an_gen_kind k, struct an_gen_spec *s)
{
	struct cep_error err;
	int rc;

	an_gen_defaults(k, s);
	s->seed = (uint64_t)o->seed;
	if (!isnan(o->nodes))
		s->nodes = (uint32_t)o->nodes;
	if (!isnan(o->degree))
		s->degree = o->degree;
	if (!isnan(o->exponent))
		s->exponent = o->exponent;
	if (!isnan(o->layers))
		s->layers = (uint32_t)o->layers;
	if (!isnan(o->scale))
		s->scale = o->scale;
	s->scale_free = o->scale_free;
	cep_error_init(&err);
	if ((rc = an_gen_check(s, &err)))
		return rc == CEP_ETOOBIG ? cli_fail(&err, rc)
					 : cli_usage(o->action, "%s", err.message);
	return 0;
}

/* Generate the model of spec s, with a progress bar. */
static int generate(const struct an_gen_spec *s, struct an_model **ret)
{
	struct cep_error err;
	struct an_progress p;
	struct bar b;
	int rc;

	cep_error_init(&err);
	bar_init(&b, &p, "generating");
	rc = an_generate(s, &p, ret, &err);
	bar_end(&b);
	return rc ? cli_fail(&err, rc) : 0;
}

/* DIR/order.txt: the ids of the target nodes of layer (or "all") in a random
 * order drawn from the seed. */
static int write_order(const struct an_model *m, const char *layer, uint64_t seed,
		       const char *dir)
{
	struct cep_error err;
	struct cep_buf b;
	struct an_rng r;
	uint32_t *t = NULL, n = 0;
	int32_t l = AN_SWEEP_ALL;
	int rc = 0;

	cep_error_init(&err);
	if (strcmp(layer, "all") != 0) {
		uint32_t i = 0;

		while (i < m->layers.n && strcmp(m->layers.name[i], layer) != 0)
			i++;
		if (i == m->layers.n)
			return cli_usage("sim generate", "--order: the model has no layer %s", layer);
		l = (int32_t)i;
	}
	if ((rc = an_sweep_targets(m, l, &t, &n, &err)))
		return cli_fail(&err, rc);
	an_rng_init(&r, seed, ORDER_STREAM);
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = an_rng_below(&r, i + 1), x = t[i];

		t[i] = t[j];
		t[j] = x;
	}
	cep_buf_init(&b, MAX_OUTPUT);
	for (uint32_t i = 0; !rc && i < n; i++) {
		rc = cep_buf_puts(&b, m->id[t[i]]);
		if (!rc)
			rc = cep_buf_puts(&b, "\n");
	}
	rc = rc ? cli_fail(NULL, rc) : write_file(dir, "order.txt", b.data, b.len);
	cep_buf_free(&b);
	cep_free(t);
	return rc;
}

int cli_sim_generate(struct cli_config *cfg, int argc, char **argv)
{
	/* the options of each generator */
	static const char *const allowed[] = { [AN_GEN_JAPAN] = "seoO", [AN_GEN_ER] = "nkeoO",
					       [AN_GEN_SF] = "nkxeoO", [AN_GEN_COUPLED] = "nkxLSeoO" };
	struct net_opts o = { .action = "sim generate" };
	struct an_model *m = NULL;
	struct an_gen_spec s;
	double t0;
	enum an_gen_kind k;
	int helped, rc, json;
	char path[4096];

	(void)cfg;
	rc = parse(argc, argv, generate_help, &o, &helped);
	if (rc || helped)
		return rc;
	rc = cli_check_action("sim", "generate", net_opts, o.seen, o.nargs, "nkxLSseoO", 1,
			      "a generator: japan, er, sf or coupled");
	if (rc)
		return rc;
	if (an_gen_kind_parse(o.args[0], &k))
		return cli_usage(o.action, "unknown generator %s (japan, er, sf or coupled)",
				 o.args[0]);
	snprintf(path, sizeof(path), "generate %s", o.args[0]);
	if ((rc = cli_check_action("sim", path, net_opts, o.seen, o.nargs, allowed[k], 1, "")))
		return rc;
	if (!o.out)
		return cli_usage(o.action, "--out DIR or --out FILE.json is required");
	json = cli_sim_ends_with(o.out, ".json");
	if (json && o.order)
		return cli_usage(o.action, "--order writes order.txt next to nodes.csv: give "
					   "--out a directory");
	if ((rc = gen_spec(&o, k, &s)))
		return rc;
	t0 = cep_mono_ms();
	if ((rc = generate(&s, &m)))
		return rc;
	if (json) {
		rc = save_model(m, an_gen_kind_name(k), MF_JSON, o.out);
	} else {
		rc = make_dir(o.out);
		if (!rc && !(rc = join(o.out, "nodes.csv", path, sizeof(path))))
			rc = save_model(m, NULL, MF_NODES, path);
		if (!rc && !(rc = join(o.out, "edges.csv", path, sizeof(path))))
			rc = save_model(m, NULL, MF_EDGES, path);
		if (!rc && o.order)
			rc = write_order(m, o.order, s.seed, o.out);
	}
	if (!rc)
		printf("%s: %u nodes, %u dependencies, %llu links, %u layers written to %s "
		       "(%.2f s)\n",
		       an_gen_kind_name(k), m->n_nodes, m->n_deps, (unsigned long long)m->n_links,
		       m->layers.n, o.out, (cep_mono_ms() - t0) / 1e3);
	an_model_free(m);
	return rc;
}

/* ---- sweep and rank ------------------------------------------------------- */

/* The model of sweep/rank: MODEL, or --generate SPEC (with --seed). */
static int get_model(const struct net_opts *o, struct an_model **ret)
{
	struct cep_error err;
	struct an_gen_spec s;
	int rc;

	if (!o->generate)
		return load_model(o->args[0], ret);
	cep_error_init(&err);
	s.seed = (uint64_t)o->seed;
	if ((rc = an_gen_parse(o->generate, &s, &err)) || (rc = an_gen_check(&s, &err)))
		return rc == CEP_ETOOBIG ? cli_fail(&err, rc)
					 : cli_usage(o->action, "--generate: %s", err.message);
	return generate(&s, ret);
}

/* The base of the cascade of m. */
static int make_base(const struct an_model *m, struct an_cascade_base **ret)
{
	struct cep_error err;
	int rc;

	cep_error_init(&err);
	rc = an_cascade_base_new(m, ret, &err);
	return rc ? cli_fail(&err, rc) : 0;
}

/* Common checks of sweep and rank: MODEL or --generate, and --out. */
static int check_source(const struct net_opts *o, const char *action, const char *allowed)
{
	int rc = cli_check_action("sim", action, net_opts, o->seen, o->nargs, allowed,
				  o->generate ? 0 : 1, "a model (a JSON file or a directory)");

	if (!rc && !o->out)
		rc = cli_usage(o->action, "--out DIR is required");
	return rc;
}

/* The layer named by --layer (default all). */
static int sweep_layer(const struct net_opts *o, const struct an_model *m, int32_t *ret)
{
	if (!o->layer || strcmp(o->layer, "all") == 0) {
		*ret = AN_SWEEP_ALL;
		return 0;
	}
	for (uint32_t l = 0; l < m->layers.n; l++) {
		if (strcmp(m->layers.name[l], o->layer) == 0) {
			*ret = (int32_t)l;
			return 0;
		}
	}
	fprintf(stderr, "ceptoar: the model has no layer %s (it has %u layers%s%s)\n", o->layer,
		m->layers.n, m->layers.n ? ", e.g. " : "", m->layers.n ? m->layers.name[0] : "");
	return CLI_FAIL;
}

/* Write name.json, name.csv and name.svg into dir from the three buffers. */
static int write_three(const char *dir, const char *name, const struct cep_buf *json,
		       const struct cep_buf *csv, const struct cep_buf *svg)
{
	char file[64];
	int rc = make_dir(dir);

	snprintf(file, sizeof(file), "%s.json", name);
	if (!rc)
		rc = write_file(dir, file, json->data, json->len);
	snprintf(file, sizeof(file), "%s.csv", name);
	if (!rc)
		rc = write_file(dir, file, csv->data, csv->len);
	snprintf(file, sizeof(file), "%s.svg", name);
	if (!rc)
		rc = write_file(dir, file, svg->data, svg->len);
	return rc;
}

static void print_sweep(const struct an_sweep *s)
{
	printf("%8s %10s %10s %10s %7s\n", "p", "kept", "working", "sd", "rounds");
	for (uint32_t i = 0; i < s->points; i++) {
		double sum = 0, sq = 0, rounds = 0;

		for (uint32_t t = 0; t < s->trials; t++) {
			double x = (double)s->working[(size_t)i * s->trials + t] / s->n_nodes;

			sum += x;
			sq += x * x;
			rounds += s->rounds[(size_t)i * s->trials + t];
		}
		sum /= s->trials;
		sq = s->trials > 1 ? sqrt(fmax(0, (sq - s->trials * sum * sum) / (s->trials - 1)))
				   : 0;
		printf("%8.4f %10u %10.6f %10.6f %7.1f\n", s->p[i], s->kept[i], sum, sq,
		       rounds / s->trials);
	}
	printf("%u points x %u trials in %.2f s on %d threads\n", s->points, s->trials,
	       s->wall_seconds, s->threads);
}

int cli_sim_sweep(struct cli_config *cfg, int argc, char **argv)
{
	struct net_opts o = { .action = "sim sweep" };
	struct an_model *m = NULL;
	struct an_cascade_base *base = NULL;
	struct an_sweep *s = NULL;
	struct an_sweep_opts so = { 0 };
	struct cep_buf json, csv, svg;
	struct cep_error err;
	struct an_progress p;
	struct bar b;
	uint32_t *order = NULL;
	int helped, rc;

	(void)cfg;
	cep_error_init(&err);
	cep_buf_init(&json, MAX_OUTPUT);
	cep_buf_init(&csv, MAX_OUTPUT);
	cep_buf_init(&svg, MAX_OUTPUT);
	rc = parse(argc, argv, sweep_help, &o, &helped);
	if (rc || helped)
		return rc;
	if ((rc = check_source(&o, "sweep", "goelptabTO")))
		return rc;
	if (o.p_min > o.p_max)
		return cli_usage(o.action, "--p-min must not be above --p-max");
	if (o.order && o.trials != 1)
		return cli_usage(o.action, "--order is one trial: leave --trials out");
	if ((rc = get_model(&o, &m)) || (rc = sweep_layer(&o, m, &so.layer)))
		goto out;
	if (o.order && (rc = cli_sim_order(o.order, m, &order, &so.n_order)))
		goto out;
	if ((rc = make_base(m, &base)))
		goto out;
	so.points = (uint32_t)o.points;
	so.trials = (uint32_t)o.trials;
	so.p_min = o.p_min;
	so.p_max = o.p_max;
	so.seed = (uint64_t)o.seed;
	so.order = order;
	so.threads = (int)o.threads;
	bar_init(&b, &p, "sweeping");
	rc = an_sweep_run(base, &so, &p, &s, &err);
	bar_end(&b);
	if (rc) {
		rc = cli_fail(&err, rc);
		goto out;
	}
	if ((rc = an_sweep_json(s, m, &json, &err)) || (rc = an_sweep_csv(s, m, &csv, &err)) ||
	    (rc = an_sweep_svg(s, m, &svg, &err))) {
		rc = cli_fail(&err, rc);
		goto out;
	}
	if (!(rc = write_three(o.out, "sweep", &json, &csv, &svg)))
		print_sweep(s);
out:
	cep_buf_free(&json);
	cep_buf_free(&csv);
	cep_buf_free(&svg);
	cep_free(order);
	an_sweep_free(s);
	an_cascade_base_free(base);
	an_model_free(m);
	return rc;
}

static void print_rank(const struct an_rank *r, const struct an_model *m, uint32_t top)
{
	printf("%4s %14s %8s %8s  %s\n", "rank", "damage", "share", "failed", "facility");
	for (uint32_t i = 0; i < r->n && i < top; i++) {
		uint32_t v = r->items[i].node;

		printf("%4u %14.6g %8.4f %8u  %s%s%s%s\n", i + 1, r->items[i].damage,
		       r->total_weight > 0 ? r->items[i].damage / r->total_weight : 0,
		       r->items[i].failed, m->id[v], *m->name[v] ? " (" : "", m->name[v],
		       *m->name[v] ? ")" : "");
	}
	printf("%u of %u working nodes ranked%s in %.2f s on %d threads\n", r->n, r->eligible,
	       r->n == r->eligible ? "" : " (candidates by bound)", r->wall_seconds, r->threads);
}

int cli_sim_rank(struct cli_config *cfg, int argc, char **argv)
{
	struct net_opts o = { .action = "sim rank" };
	struct an_model *m = NULL;
	struct an_cascade_base *base = NULL;
	struct an_rank *r = NULL;
	struct an_rank_opts ro = { 0 };
	struct cep_buf json, csv, svg;
	struct cep_error err;
	struct an_progress p;
	struct bar b;
	int helped, rc;

	(void)cfg;
	cep_error_init(&err);
	cep_buf_init(&json, MAX_OUTPUT);
	cep_buf_init(&csv, MAX_OUTPUT);
	cep_buf_init(&svg, MAX_OUTPUT);
	rc = parse(argc, argv, rank_help, &o, &helped);
	if (rc || helped)
		return rc;
	if ((rc = check_source(&o, "rank", "goeNcT")))
		return rc;
	if ((rc = get_model(&o, &m)) || (rc = make_base(m, &base)))
		goto out;
	ro.candidates = (uint32_t)o.candidates;
	ro.threads = (int)o.threads;
	bar_init(&b, &p, "ranking");
	rc = an_rank_run(base, &ro, &p, &r, &err);
	bar_end(&b);
	if (rc) {
		rc = cli_fail(&err, rc);
		goto out;
	}
	if (!r->n) {
		fprintf(stderr, "ceptoar: no working node to rank in the model\n");
		rc = CLI_FAIL;
		goto out;
	}
	if ((rc = an_rank_json(r, m, (uint32_t)o.top, &json, &err)) ||
	    (rc = an_rank_csv(r, m, &csv, &err)) ||
	    (rc = an_rank_svg(r, m, (uint32_t)o.top, &svg, &err))) {
		rc = cli_fail(&err, rc);
		goto out;
	}
	if (!(rc = write_three(o.out, "rank", &json, &csv, &svg)))
		print_rank(r, m, (uint32_t)o.top);
out:
	cep_buf_free(&json);
	cep_buf_free(&csv);
	cep_buf_free(&svg);
	an_rank_free(r);
	an_cascade_base_free(base);
	an_model_free(m);
	return rc;
}
