/* cli.h - shared by the subcommands of the ceptoar command line. */
#ifndef CEP_CLI_CLI_H
#define CEP_CLI_CLI_H

#include "base/err.h"
#include "core/page.h"
#include "core/principal.h"
#include "store/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* Exit statuses. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_TAMPERED = 3 };

/* Settings after precedence: flags > environment > config file > defaults. */
struct cli_config {
	char db[1024];
	char listen[128];
	unsigned threads;
	char log_level[16];
	char config_path[1024];
};

/* One subcommand: argv[0] is its name. Returns an exit status. */
struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(struct cli_config *cfg, int argc, char **argv);
};

/* Load KEY = VALUE lines from path into cfg (only keys not set by a flag:
 * set_mask bits). Returns 0, or CEP_EIO/CEP_EINVAL with err naming the line. */
int cli_config_file(struct cli_config *cfg, const char *path, unsigned set_mask,
		    struct cep_error *err);
enum { CLI_SET_DB = 1, CLI_SET_LISTEN = 2, CLI_SET_THREADS = 4, CLI_SET_LOG = 8 };

/* Open the database named by cfg, checking its schema version unless
 * migrating. Prints the reason and returns NULL on failure. */
struct store *cli_open(const struct cli_config *cfg, bool check_version);
/* Print an error ("ceptoar: message (field: f)") to stderr; returns CLI_FAIL. */
int cli_fail(const struct cep_error *err, int rc);
/* Print a usage error and a hint to use --help; returns CLI_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print a list result ({"items": [...]}) as aligned columns of the given keys,
 * or the whole JSON when as_json. */
void cli_print_list(const json_t *res, const char *const *keys, bool as_json);
/* Print JSON, indented, to stdout. */
void cli_print_json(const json_t *v);
/* Parse a positive page size / offset. Returns 0 or CEP_EINVAL. */
int cli_parse_int(const char *s, long min, long max, long *ret);
struct option;
/* The long name of the option whose getopt value is c in opts (ended by a
 * NULL name); "?" when none. Static string from opts. */
const char *cli_opt_name(const struct option *opts, int c);
/* The start of a command with actions (argv[1]): without one, usage(stderr)
 * and CLI_USAGE; with --help or -h in its place, usage(stdout) and CLI_OK;
 * otherwise -1, to go on. */
int cli_help_first(int argc, char **argv, void (*usage)(FILE *));
/* Note option letter c in seen (size bytes, the letters given so far, in
 * order): once each, and not -h or an unknown option (?). */
void cli_seen(char *seen, size_t size, int c);
/* Check an action's arguments: only the option letters in allowed were given
 * (seen: the letters given, in order; names from opts for the message), and
 * exactly nargs positional arguments (got given; what names them). Returns 0
 * or CLI_USAGE after printing why. */
int cli_check_action(const char *cmd, const char *action, const struct option *opts,
		     const char *seen, int got, const char *allowed, int nargs, const char *what);
/* Text t (borrowed) under "label:" on stdout, each line indented by two spaces;
 * nothing when t is NULL or empty. */
void cli_print_text(const char *label, const char *t);
/* --limit (limit nonzero) or --offset given as text, into *page. Returns 0, or
 * CLI_USAGE after printing the range it must be in. */
int cli_page_option(const char *cmd, int limit, const char *text, struct cep_page *page);
/* One action of a command: the letters of the options that apply to it, and
 * how many positional arguments it takes, min to max (what names them). */
struct cli_action {
	const char *name, *allowed;
	int min, max;
	const char *what;
};
/* Check the action called name against table[0..n), like cli_check_action
 * (got arguments, from min to max; "(optional)" when they may be left out).
 * Returns 0, or CLI_USAGE after printing why: an unknown action, an option
 * that does not apply, too few or too many arguments. */
int cli_check_table(const char *cmd, const char *name, const struct cli_action *table, size_t n,
		    const struct option *opts, const char *seen, int got);
#define CLI_ACTIONS(t) (t), (sizeof(t) / sizeof((t)[0]))
/* Make directory dir and the parents it lacks (like mkdir -p): for --out. 0, or
 * CEP_EINVAL/CEP_EIO with err naming field "out". */
int cli_make_dir(const char *dir, struct cep_error *err);
/* Write data[0..len) to dir/name through a temporary file renamed into place (a
 * reader never finds half a file) and print "wrote PATH". 0 or CEP_EIO with err. */
int cli_write_out(const char *dir, const char *name, const void *data, size_t len,
		  struct cep_error *err);
/* Read a whole file (max bytes). *ret owned by caller (cep_free). */
int cli_read_file(const char *path, size_t max, char **ret, size_t *ret_len, struct cep_error *err);

/* Read path ("-": standard input) as one JSON object into *ret (caller owns,
 * json_decref), at most the cap of a JSON request body of the API.
 * CEP_EIO/CEP_ETOOBIG/CEP_EPARSE/CEP_EINVAL with err naming the file. */
int cli_read_json(const char *path, json_t **ret, struct cep_error *err);
/* The principal to act as: the enabled user named as (borrowed), or the console
 * (who may do everything but belongs to no organisation) when as is NULL.
 * Returns 0 with *ret set, or CEP_ENOTFOUND/... with err filled. */
int cli_principal(struct store *s, const char *as, struct cep_principal *ret,
		  struct cep_error *err);

int cli_cmd_init(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_serve(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_user(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_token(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_org(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_registry(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_audit(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_report(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_alert(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_inbox(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_deliver(struct cli_config *cfg, int argc, char **argv);
/* cmd_space.c */
int cli_cmd_keys(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_correlations(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_council(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_incident(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_exercise(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_drill(struct cli_config *cfg, int argc, char **argv);
/* cmd_plan.c */
int cli_cmd_plan(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_stats(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_guideline(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_survey(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_sim(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_contact(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_delivery(struct cli_config *cfg, int argc, char **argv);
int cli_cmd_notices(struct cli_config *cfg, int argc, char **argv);
/* `ceptoar alert verify FILE [--key HEX]` (argv[0] "alert", argv[1] "verify"):
 * exits 0 when the signature is valid, CLI_TAMPERED when it is not. */
int cli_alert_verify(struct cli_config *cfg, int argc, char **argv);

#endif
