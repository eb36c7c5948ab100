/* sim.h - the actions of `ceptoar sim` (the analysis engine on the command line).
 * Each action lives in its own file (cmd_sim_*.c) and is listed in cmd_sim.c's
 * table. Not for other files. */
#ifndef CEP_CLI_SIM_H
#define CEP_CLI_SIM_H

#include "analysis/model.h"
#include "cli/cli.h"

/* One action: argv[0] is "sim", argv[1] the action's name. The actions work on
 * files only (no database): cfg is passed for symmetry and may be ignored.
 * Returns an exit status (CLI_OK, CLI_FAIL, CLI_USAGE). */
struct cli_sim_action {
	const char *name;
	const char *summary;
	int (*run)(struct cli_config *cfg, int argc, char **argv);
};

/* cmd_sim_iim.c: the sector-level inoperability input-output model. */
int cli_sim_iim(struct cli_config *cfg, int argc, char **argv);
int cli_sim_diim(struct cli_config *cfg, int argc, char **argv);
/* cmd_sim_run.c: a scenario on a facility model (the cascade simulator). */
int cli_sim_run(struct cli_config *cfg, int argc, char **argv);
/* cmd_sim_net.c: generators, removal sweeps, criticality ranking (static cascade). */
int cli_sim_generate(struct cli_config *cfg, int argc, char **argv);
int cli_sim_sweep(struct cli_config *cfg, int argc, char **argv);
int cli_sim_rank(struct cli_config *cfg, int argc, char **argv);

/* sim_model.c: the facility model at path, for run, sweep and rank: a .json
 * file, a directory holding nodes.csv and edges.csv, or a prefix P of
 * Pnodes.csv and Pedges.csv (edges.csv may be left out: a model without
 * edges). Caller owns *ret (an_model_free). Errors name the file, and the
 * line and column in it. */
int cli_sim_model(const char *path, struct an_model **ret, struct cep_error *err);
/* An order file (as `sim generate --order` writes it, for `sim sweep
 * --order`): node ids of m, one a line (blank lines and a CR before the LF ignored), into *ret
 * (caller frees, cep_free) as indices, their number in *ret_n. CLI_OK, or
 * CLI_FAIL with the file (and line) said on stderr: unreadable, an unknown
 * id, more lines than nodes. */
int cli_sim_order(const char *path, const struct an_model *m, uint32_t **ret, uint32_t *ret_n);
/* Does s end in tail (a model's or an output's ".json")? */
int cli_sim_ends_with(const char *s, const char *tail);
/* The text of a file of at most max bytes into *ret (caller frees, cep_free)
 * and *ret_len; CEP_ETOOBIG "PATH is larger than N MiB" beyond, other
 * errors naming the file; err's field is "file". */
int cli_sim_read(const char *path, size_t max, char **ret, size_t *ret_len,
		 struct cep_error *err);

#endif
