/* space.h - shared by cmd_space.c, cmd_incident.c and cmd_channels.c: the options of
 * the commands around the shared spaces (keys, alert verify, correlations, council,
 * incident, contacts, delivery channels, notices)
 * and the helpers they have in common. Not for other files. */
#ifndef CEP_CLI_SPACE_H
#define CEP_CLI_SPACE_H

#include "cli/cli.h"

#include "core/page.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* Everything the commands accept; each action says which options apply (by the
 * option letters of cmd_space.c's table, recorded in seen). Strings are borrowed
 * from argv. */
struct cli_space_opts {
	const char *as, *file, *type, *value, *reason, *state, *title, *description;
	const char *report, *alert, *key;
	const char *channel, *address, *label, *note, *contact;
	long max_records, ack_hours, sitrep_minutes; /* -1: not given */
	int json, keep;
	struct cep_page page;
	char seen[32];       /* the option letters given, in order */
	const char *args[2]; /* positional arguments after the action */
	int nargs;
};

/* Parse argv (argv[0] the command, argv[1] the action) into *o. With --help prints
 * help(stdout) and sets *ret_helped. Returns 0 or CLI_USAGE after printing why. */
int cli_space_parse(const char *cmd, int argc, char **argv, struct cli_space_opts *o,
		    void (*help)(FILE *), bool *ret_helped);
/* Check action against the table of cmd's actions (cli_check_table; the option
 * letters: a --as, f --file, j --json, L --limit, O --offset, m --max-records,
 * t --type, v --value, r --reason, x --state, T --title, d --description,
 * A --ack-hours, M --sitrep-minutes, R --report, E --alert, k --keep, K --key,
 * C --channel, D --address, l --label, n --note, c --contact). Returns 0 or
 * CLI_USAGE after printing why. */
int cli_space_action(const char *cmd, const char *action, const struct cli_space_opts *o,
		     const struct cli_action *table, size_t n);
/* The frame of most of the commands: usage without an action or with --help
 * first (usage), the options parsed into *o, the action (argv[1]) checked
 * against table[0..n). Returns -1 to go on, else the exit status. */
int cli_space_frame(const char *cmd, int argc, char **argv, void (*usage)(FILE *),
		    const struct cli_action *table, size_t n, struct cli_space_opts *o);
/* Open the database and find the principal (--as, else the console) into *p. Returns
 * the store (caller closes with store_close), or NULL after printing why with *ret_rc
 * set to the exit status (*ret_rc is written only then). */
struct store *cli_space_open(const struct cli_config *cfg, const char *as,
			     struct cep_principal *p, int *ret_rc);
/* Member key of v as text, "-" when absent or not a string. Borrowed from v or static. */
const char *cli_space_str(const json_t *v, const char *key);

#endif
