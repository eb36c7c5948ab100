/* cmd_registry.c - `ceptoar registry ...`, `ceptoar org ...`, `ceptoar audit ...`. */
#include "cli/cli.h"

#include "audit/audit.h"
#include "base/alloc.h"
#include "core/page.h"
#include "registry/registry.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

/* Options shared by the listing commands. */
struct list_opts {
	struct cep_page page;
	int json, csv;
	const char *sector, *kind, *ceptoar, *q, *actor, *action, *object_type;
};

static int list_options(const char *cmd, int argc, char **argv, struct list_opts *o,
			void (*help)(FILE *))
{
	static const struct option opts[] = {
		{ "limit", required_argument, NULL, 'L' },  { "offset", required_argument, NULL, 'O' },
		{ "json", no_argument, NULL, 'j' },         { "csv", no_argument, NULL, 'c' },
		{ "sector", required_argument, NULL, 's' }, { "kind", required_argument, NULL, 'k' },
		{ "ceptoar", required_argument, NULL, 'C' }, { "q", required_argument, NULL, 'q' },
		{ "actor", required_argument, NULL, 'a' },  { "action", required_argument, NULL, 'A' },
		{ "object-type", required_argument, NULL, 't' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->page = cep_page_default();
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'L':
		case 'O':
			if ((rc = cli_page_option(cmd, c == 'L', optarg, &o->page)))
				return rc;
			break;
		case 'j': o->json = 1; break;
		case 'c': o->csv = 1; break;
		case 's': o->sector = optarg; break;
		case 'k': o->kind = optarg; break;
		case 'C': o->ceptoar = optarg; break;
		case 'q': o->q = optarg; break;
		case 'a': o->actor = optarg; break;
		case 'A': o->action = optarg; break;
		case 't': o->object_type = optarg; break;
		case 'h': help(stdout); return -1;
		default: return cli_usage(cmd, "unknown option");
		}
	}
	return 0;
}

static void registry_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE registry WHAT [OPTIONS]\n"
		"\n"
		"Read the framework registry (seed 001: 重要インフラ10分野, 所管省庁, セプター一覧表).\n"
		"WHAT:\n"
		"  sectors       the critical-infrastructure sectors (重要インフラ分野)\n"
		"  ministries    the sector ministries (重要インフラ所管省庁) and their sectors\n"
		"  ceptoars      the CEPTOARs (セプター) [--sector ID]\n"
		"  agencies      related agencies and bodies (関係主体)\n"
		"  channels      information and contact channels\n"
		"  threats       the threat taxonomy of seed 004 (II.3): the cause categories\n"
		"                (意図的要因, 非意図的要因, 災害や疾病, 他分野の障害からの波及)\n"
		"                with their threat types, the ids reports use\n"
		"  map           the CEPTOAR characteristic map (特性把握マップ) [--csv]\n"
		"\n"
		"Options:\n"
		"  --limit N, --offset N   page through a list (limit 1-%d, default %d)\n"
		"  --json                  print JSON instead of a table\n"
		"  --csv                   (map) print CSV\n"
		"  -h, --help              show this help\n",
		CEP_PAGE_MAX, CEP_PAGE_DEFAULT);
}

/* The threat taxonomy as one table row per category and per type: the categories'
 * own rows have category "*". Replaces *res (owned) by the new list. Returns 0 or
 * CEP_ENOMEM (*res unchanged). */
static int threat_rows(json_t **res, struct cep_error *err)
{
	json_t *rows = json_array(), *out, *cat, *t;
	size_t i, k;

	json_array_foreach(json_object_get(*res, "items"), i, cat) {
		json_t *row = json_pack("{s:s, s:O, s:O, s:O}", "category", "*", "id",
					json_object_get(cat, "id"), "name_ja",
					json_object_get(cat, "name_ja"), "name_en",
					json_object_get(cat, "name_en"));

		if (!rows || !row || json_array_append_new(rows, row) < 0)
			goto oom;
		json_array_foreach(json_object_get(cat, "types"), k, t) {
			row = json_pack("{s:O, s:O, s:O, s:O}", "category", json_object_get(cat, "id"),
					"id", json_object_get(t, "id"), "name_ja",
					json_object_get(t, "name_ja"), "name_en",
					json_object_get(t, "name_en"));
			if (!row || json_array_append_new(rows, row) < 0)
				goto oom;
		}
	}
	out = json_pack("{s:o, s:I}", "items", rows, "total", (json_int_t)json_array_size(rows));
	rows = NULL; /* json_pack's "o" took it, also on failure */
	if (!out)
		goto oom;
	json_decref(*res);
	*res = out;
	return 0;
oom:
	json_decref(rows);
	return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
}

int cli_cmd_registry(struct cli_config *cfg, int argc, char **argv)
{
	static const char *const sector_cols[] = { "id", "name_ja", "name_en", "ministry", "ceptoars", NULL };
	static const char *const ministry_cols[] = { "id", "name_ja", "name_en", "sectors", NULL };
	static const char *const ceptoar_cols[] = { "id", "name_ja", "sector", "secretariat_ja",
						    "channels", "member_orgs", NULL };
	static const char *const agency_cols[] = { "id", "name_ja", "name_en", "categories", NULL };
	static const char *const channel_cols[] = { "id", "name_ja", "name_en", NULL };
	static const char *const threat_cols[] = { "category", "id", "name_ja", "name_en", NULL };
	static const char *const map_cols[] = { "sector_name_ja", "scope_ja", "name_ja",
						"member_count_text", "member_orgs",
						"handling_rules_date", "channels", NULL };
	const char *const *cols = NULL;
	struct cep_principal console;
	struct list_opts o;
	struct cep_error err;
	const char *what;
	json_t *res = NULL;
	char *csv = NULL;
	size_t csv_len = 0;
	struct store *s;
	int rc;

	if ((rc = cli_help_first(argc, argv, registry_usage)) >= 0)
		return rc;
	what = argv[1];
	rc = list_options("registry", argc - 1, argv + 1, &o, registry_usage);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (strcmp(what, "sectors") && strcmp(what, "ministries") && strcmp(what, "ceptoars") &&
	    strcmp(what, "agencies") && strcmp(what, "channels") && strcmp(what, "map") &&
	    strcmp(what, "threats"))
		return cli_usage("registry", "unknown list %s", what);
	s = cli_open(cfg, true);
	if (!s)
		return CLI_FAIL;
	cep_error_init(&err);
	cep_principal_system(&console);
	if (!strcmp(what, "sectors")) {
		rc = reg_sectors(s, &console, &o.page, &res, &err);
		cols = sector_cols;
	} else if (!strcmp(what, "ministries")) {
		rc = reg_ministries(s, &console, &o.page, &res, &err);
		cols = ministry_cols;
	} else if (!strcmp(what, "ceptoars")) {
		rc = reg_ceptoars(s, &console, o.sector, &o.page, &res, &err);
		cols = ceptoar_cols;
	} else if (!strcmp(what, "agencies")) {
		rc = reg_agencies(s, &console, &o.page, &res, &err);
		cols = agency_cols;
	} else if (!strcmp(what, "channels")) {
		rc = reg_channels(s, &console, &o.page, &res, &err);
		cols = channel_cols;
	} else if (!strcmp(what, "threats")) {
		rc = reg_threats(s, &console, &o.page, &res, &err);
		if (rc == 0 && !o.json)
			rc = threat_rows(&res, &err);
		cols = threat_cols;
	} else if (o.csv) {
		rc = reg_ceptoar_map_csv(s, &console, &csv, &csv_len, &err);
	} else {
		rc = reg_ceptoar_map(s, &console, &res, &err);
		cols = map_cols;
	}
	store_close(s);
	if (rc < 0)
		return cli_fail(&err, rc);
	if (csv)
		fwrite(csv, 1, csv_len, stdout);
	else
		cli_print_list(res, cols, o.json);
	cep_free(csv);
	json_decref(res);
	return CLI_OK;
}

static void org_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE org ACTION [OPTIONS]\n"
		"\n"
		"Actions:\n"
		"  list [--kind KIND] [--sector ID] [--ceptoar ID] [--q TEXT] [--limit N]\n"
		"       [--offset N] [--json]\n"
		"        organisations; KIND is nisc, ministry, ceptoar, operator, agency, other\n"
		"  show ID|CODE     one organisation with its CEPTOARs, critical services\n"
		"                   (重要インフラサービス) and critical systems (重要システム)\n"
		"  import FILE      import operators from CSV (FILE or - for standard input), all\n"
		"                   or nothing; columns: code, name_ja, name_en, sector, ceptoars\n"
		"                   (';'-separated), region, service_ja, service_en, service_level,\n"
		"                   verification_level, system_ja, system_en, system_description.\n"
		"                   A bad row is reported with its line and nothing is imported.\n"
		"\n"
		"Options:\n"
		"  -h, --help       show this help\n");
}

int cli_cmd_org(struct cli_config *cfg, int argc, char **argv)
{
	static const char *const cols[] = { "code", "kind", "name_ja", "name_en", "sector",
					    "ceptoars", NULL };
	struct reg_org_filter f;
	struct cep_principal console;
	struct list_opts o;
	struct cep_error err;
	const char *action, *arg;
	json_t *res = NULL;
	char *data = NULL;
	size_t len = 0;
	struct store *s;
	int rc;

	if ((rc = cli_help_first(argc, argv, org_usage)) >= 0)
		return rc;
	action = argv[1];
	rc = list_options("org", argc - 1, argv + 1, &o, org_usage);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	arg = optind + 1 < argc ? argv[optind + 1] : NULL;
	if ((!strcmp(action, "show") || !strcmp(action, "import")) && !arg)
		return cli_usage("org", "%s needs %s", action, !strcmp(action, "show") ? "an ID or CODE" : "a FILE");
	if (strcmp(action, "list") && strcmp(action, "show") && strcmp(action, "import"))
		return cli_usage("org", "unknown action %s", action);
	cep_error_init(&err);
	if (!strcmp(action, "import") &&
	    (rc = cli_read_file(arg, REG_IMPORT_MAX_BYTES, &data, &len, &err)) < 0)
		return cli_fail(&err, rc);
	s = cli_open(cfg, true);
	if (!s) {
		cep_free(data);
		return CLI_FAIL;
	}
	cep_principal_system(&console);
	if (!strcmp(action, "list")) {
		f.kind = o.kind;
		f.sector = o.sector;
		f.ceptoar = o.ceptoar;
		f.q = o.q;
		rc = reg_orgs(s, &console, &f, &o.page, &res, &err);
	} else if (!strcmp(action, "show")) {
		rc = reg_org_get(s, &console, arg, &res, &err);
	} else {
		rc = reg_import_operators(s, &console, data, len, &res, &err);
	}
	store_close(s);
	cep_free(data);
	if (rc < 0)
		return cli_fail(&err, rc);
	if (!strcmp(action, "list"))
		cli_print_list(res, cols, o.json);
	else if (!strcmp(action, "show") || o.json)
		cli_print_json(res);
	else
		printf("imported %lld row(s): %lld organisation(s), %lld service(s), %lld system(s)\n",
		       (long long)json_integer_value(json_object_get(res, "rows")),
		       (long long)json_integer_value(json_object_get(res, "orgs")),
		       (long long)json_integer_value(json_object_get(res, "services")),
		       (long long)json_integer_value(json_object_get(res, "systems")));
	json_decref(res);
	return CLI_OK;
}

static void audit_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE audit ACTION [OPTIONS]\n"
		"\n"
		"Actions:\n"
		"  list [--actor ACTOR] [--action PREFIX] [--object-type TYPE] [--limit N]\n"
		"       [--offset N] [--json]\n"
		"        entries, newest first (ACTOR is user:NAME or console)\n"
		"  verify [--json]\n"
		"        check the hash chain: every entry's hash, its link to the previous one,\n"
		"        gaps in the sequence and the recorded head. Prints the head hash (keep\n"
		"        it elsewhere to detect a rewrite of the whole trail). Exit status 3 when\n"
		"        an entry was edited or deleted.\n"
		"\n"
		"Options:\n"
		"  -h, --help       show this help\n");
}

int cli_cmd_audit(struct cli_config *cfg, int argc, char **argv)
{
	static const char *const cols[] = { "seq", "ts", "actor", "action", "object_type",
					    "object_id", NULL };
	struct cep_principal console;
	struct list_opts o;
	struct cep_error err;
	const char *action;
	json_t *res = NULL;
	struct store *s;
	int rc;

	if ((rc = cli_help_first(argc, argv, audit_usage)) >= 0)
		return rc;
	action = argv[1];
	rc = list_options("audit", argc - 1, argv + 1, &o, audit_usage);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (strcmp(action, "list") && strcmp(action, "verify"))
		return cli_usage("audit", "unknown action %s", action);
	s = cli_open(cfg, true);
	if (!s)
		return CLI_FAIL;
	cep_error_init(&err);
	cep_principal_system(&console);
	if (!strcmp(action, "list")) {
		rc = audit_list(s, &console, o.actor, o.action, o.object_type, &o.page, &res, &err);
		store_close(s);
		if (rc < 0)
			return cli_fail(&err, rc);
		cli_print_list(res, cols, o.json);
		json_decref(res);
		return CLI_OK;
	}
	rc = audit_verify(s, &console, &res, &err);
	store_close(s);
	if (rc < 0 && rc != CEP_ETAMPER)
		return cli_fail(&err, rc);
	if (o.json) {
		cli_print_json(res);
	} else if (rc == 0) {
		printf("audit trail intact: %lld entries, head seq %lld hash %s\n",
		       (long long)json_integer_value(json_object_get(res, "entries")),
		       (long long)json_integer_value(json_object_get(res, "head_seq")),
		       json_string_value(json_object_get(res, "head_hash")));
	} else {
		size_t i;
		json_t *pr;

		printf("audit trail TAMPERED: %zu problem(s)\n",
		       json_array_size(json_object_get(res, "problems")));
		json_array_foreach(json_object_get(res, "problems"), i, pr)
			printf("  seq %lld: %s\n",
			       (long long)json_integer_value(json_object_get(pr, "seq")),
			       json_string_value(json_object_get(pr, "problem")));
	}
	json_decref(res);
	return rc == CEP_ETAMPER ? CLI_TAMPERED : CLI_OK;
}
