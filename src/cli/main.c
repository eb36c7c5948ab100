/* main.c - the ceptoar command: global options, settings, subcommands. */
#include "cli/cli.h"

#include "base/alloc.h"
#include "base/crypto.h"
#include "base/log.h"
#include "http/http.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CEPTOAR_VERSION "0.1.0"

static const struct cli_command commands[] = {
	{ "init", "create or migrate the database and load the reference data", cli_cmd_init },
	{ "serve", "run the HTTP server (JSON API under /api/v1/)", cli_cmd_serve },
	{ "user", "manage users: add, list, show, set, disable, enable", cli_cmd_user },
	{ "token", "manage API tokens: issue, list, revoke", cli_cmd_token },
	{ "org", "manage organisations: add, list, show, import (CSV)", cli_cmd_org },
	{ "registry", "read the framework registry and the CEPTOAR map", cli_cmd_registry },
	{ "audit", "read and verify the tamper-evident audit trail", cli_cmd_audit },
	{ "report", "IT-failure reports (情報連絡): create, update, show, list", cli_cmd_report },
	{ "alert", "alerts (情報提供): send, list, show, deliveries, verify", cli_cmd_alert },
	{ "inbox", "the alerts delivered to a user's organisation: list, show, ack",
	  cli_cmd_inbox },
	{ "deliver", "do the outbox's pending work now (alert fan-out, sends, drills)",
	  cli_cmd_deliver },
	{ "delivery", "one delivery's channels: channels, manual (phone/FAX log)", cli_cmd_delivery },
	{ "contact", "an organisation's e-mail, webhook, phone and FAX contacts: list, add, remove",
	  cli_cmd_contact },
	{ "notices", "escalation notices of an organisation: list", cli_cmd_notices },
	{ "keys", "the public keys that sign alerts: list", cli_cmd_keys },
	{ "correlations", "common threats (共通脅威) across sectors: list, exclusions, exclude",
	  cli_cmd_correlations },
	{ "council", "the CEPTOAR Council space (セプターカウンシル): list, show, post, reply",
	  cli_cmd_council },
	{ "incident", "large-scale incidents (平時と異なる体制): declare, list, show, close, link, "
		      "sitrep", cli_cmd_incident },
	{ "exercise", "cross-sector exercises (分野横断的演習): plan, MSEL, clock, status, report",
	  cli_cmd_exercise },
	{ "drill", "CEPTOAR drills (セプター訓練): start, list, show, members, history",
	  cli_cmd_drill },
	{ "plan", "the action plan's PDCA (行動計画): plans, measures, progress, evaluation, "
		  "summary, indicators", cli_cmd_plan },
	{ "stats", "IT-failure statistics: breaches of a verification level per sector, cause, year",
	  cli_cmd_stats },
	{ "guideline", "the Guideline for safety standards (指針) and sector standards (安全基準等): "
		       "show, items, export, import, diff, documents, coverage", cli_cmd_guideline },
	{ "survey", "the yearly penetration survey (浸透状況調査): open, list, show, answer, results, "
		    "remind", cli_cmd_survey },
	{ "sim", "interdependency analysis (相互依存性解析): iim, diim, run, sweep, rank, generate",
	  cli_cmd_sim },
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar [GLOBAL OPTIONS] COMMAND [OPTIONS]\n"
		"\n"
		"ceptoar runs the information-security framework of critical infrastructure\n"
		"(重要インフラ): sectors, ministries, CEPTOARs, operators, and who may see what.\n"
		"\n"
		"Global options:\n"
		"  --db FILE          the SQLite database (env CEPTOAR_DB; config `db`)\n"
		"  --config FILE      read settings from FILE (env CEPTOAR_CONFIG): lines of\n"
		"                     `key = value` with keys db, listen, threads, log_level\n"
		"  --log-level LEVEL  debug, info, warn or error (env CEPTOAR_LOG_LEVEL; default info)\n"
		"  -h, --help         show this help;  ceptoar COMMAND --help for a command's\n"
		"  --version          print the version\n"
		"Settings come from flags first, then the environment, then the config file.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-13s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nExit status: 0 success, 1 failure, 2 usage error, 3 audit trail tampered\n"
		     "or an alert's signature invalid.\n");
}

static void from_env(char *dst, size_t size, const char *name, unsigned *mask, unsigned bit)
{
	const char *v = getenv(name);

	if (v && *v && !(*mask & bit)) {
		snprintf(dst, size, "%s", v);
		*mask |= bit;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },     { "config", required_argument, NULL, 'c' },
		{ "log-level", required_argument, NULL, 'l' }, { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },      { NULL, 0, NULL, 0 },
	};
	struct cli_config cfg = { .threads = HTTP_THREADS_DEFAULT };
	struct cep_error err;
	enum cep_log_level level;
	unsigned mask = 0;
	const char *threads_env;
	int c;

	cep_alloc_install();
	if (cep_crypto_init() < 0) {
		fprintf(stderr, "ceptoar: cannot initialise the crypto library\n");
		return CLI_FAIL;
	}
	snprintf(cfg.listen, sizeof(cfg.listen), "127.0.0.1:8080");
	snprintf(cfg.log_level, sizeof(cfg.log_level), "info");
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			snprintf(cfg.db, sizeof(cfg.db), "%s", optarg);
			mask |= CLI_SET_DB;
			break;
		case 'c':
			snprintf(cfg.config_path, sizeof(cfg.config_path), "%s", optarg);
			break;
		case 'l':
			snprintf(cfg.log_level, sizeof(cfg.log_level), "%s", optarg);
			mask |= CLI_SET_LOG;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		case 'V':
			printf("ceptoar %s\n", CEPTOAR_VERSION);
			return CLI_OK;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	from_env(cfg.db, sizeof(cfg.db), "CEPTOAR_DB", &mask, CLI_SET_DB);
	from_env(cfg.listen, sizeof(cfg.listen), "CEPTOAR_LISTEN", &mask, CLI_SET_LISTEN);
	from_env(cfg.log_level, sizeof(cfg.log_level), "CEPTOAR_LOG_LEVEL", &mask, CLI_SET_LOG);
	threads_env = getenv("CEPTOAR_THREADS");
	if (threads_env && *threads_env) {
		long t;

		if (cli_parse_int(threads_env, 1, 256, &t) < 0) {
			fprintf(stderr, "ceptoar: CEPTOAR_THREADS must be a number from 1 to 256\n");
			return CLI_USAGE;
		}
		cfg.threads = (unsigned)t;
		mask |= CLI_SET_THREADS;
	}
	if (!cfg.config_path[0] && getenv("CEPTOAR_CONFIG"))
		snprintf(cfg.config_path, sizeof(cfg.config_path), "%s", getenv("CEPTOAR_CONFIG"));
	cep_error_init(&err);
	if (cfg.config_path[0] && cli_config_file(&cfg, cfg.config_path, mask, &err) < 0) {
		fprintf(stderr, "ceptoar: %s\n", err.message);
		return CLI_USAGE;
	}
	if (cep_log_parse_level(cfg.log_level, &level) < 0) {
		fprintf(stderr, "ceptoar: log level must be debug, info, warn or error\n");
		return CLI_USAGE;
	}
	cep_log_set_level(level);
	if (optind >= argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			int rest = argc - optind;

			optind = 0; /* reset getopt for the subcommand (GNU: 0 re-initialises) */
			return commands[i].run(&cfg, rest, argv + (argc - rest));
		}
	}
	fprintf(stderr, "ceptoar: unknown command %s\nTry `ceptoar --help`.\n", argv[optind]);
	return CLI_USAGE;
}
