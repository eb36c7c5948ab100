/* cmd_sim.c - `ceptoar sim ACTION ...`: dispatch to the analysis actions. */
#include "cli/sim.h"

#include <stdio.h>
#include <string.h>

/* The actions, in the order `ceptoar sim --help` lists them. Each file
 * cmd_sim_*.c adds its own entries here. */
static const struct cli_sim_action actions[] = {
	{ "iim", "static inoperability input-output model of the sectors (IIM)", cli_sim_iim },
	{ "diim", "dynamic IIM: inoperability of the sectors over time, recovery, losses",
	  cli_sim_diim },
	{ "run", "a scenario on a facility model: the cascade over time, Monte Carlo",
	  cli_sim_run },
	{ "sweep", "random removal over a range of kept fractions: what keeps working",
	  cli_sim_sweep },
	{ "rank", "criticality ranking: the damage of losing each facility alone",
	  cli_sim_rank },
	{ "generate", "generate a model: the japan preset, random and coupled layers",
	  cli_sim_generate },
	{ NULL, NULL, NULL },
};

static void sim_usage(FILE *out)
{
	fprintf(out, "Usage: ceptoar sim ACTION [OPTIONS]\n"
		     "\n"
		     "Interdependency analysis (相互依存性解析): the sector-level inoperability\n"
		     "input-output model and the facility-level cascade simulator. Works on files;\n"
		     "results are written as JSON, CSV and SVG charts.\n"
		     "\n"
		     "Actions:\n");
	for (size_t i = 0; actions[i].name; i++)
		fprintf(out, "  %-10s %s\n", actions[i].name, actions[i].summary);
	fprintf(out, "\nceptoar sim ACTION --help shows an action's options.\n");
}

int cli_cmd_sim(struct cli_config *cfg, int argc, char **argv)
{
	if (argc < 2) {
		sim_usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		sim_usage(stdout);
		return CLI_OK;
	}
	for (size_t i = 0; actions[i].name; i++)
		if (strcmp(argv[1], actions[i].name) == 0)
			return actions[i].run(cfg, argc, argv);
	return cli_usage("sim", "unknown action %s", argv[1]);
}
