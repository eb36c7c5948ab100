/* cmd_guideline.c - `ceptoar guideline ...`: the Guideline for safety
 * standards (指針) from the console: its editions and items with their marks,
 * OSCAL export and import, the differences between editions, the sectors'
 * safety-standards documents (安全基準等) and their coverage. Every action goes
 * through the standards service as the console or --as USER. */
#include "cli/cli.h"

#include "base/alloc.h"
#include "base/err.h"
#include "standards/standards.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void guideline_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE guideline ACTION [ARGS] [OPTIONS]\n"
		"\n"
		"The Guideline for safety standards (「安全基準等」策定にあたっての指針): its editions\n"
		"(the 3rd is built in), their items - the four pillars and five priority items\n"
		"with their sub-items, each marked 要検討事項 (must) or 参考事項 (reference) -,\n"
		"and each sector's safety-standards documents (安全基準等) mapped to the items.\n"
		"\n"
		"Guideline:\n"
		"  show [EDITION]                 the editions, or one edition as a tree with marks\n"
		"  items [EDITION] [--mark must|reference|any] [--kind K]\n"
		"                                 the items as a table (EDITION: default 3)\n"
		"  item EDITION ID                one item with its text\n"
		"  export [EDITION] [--out DIR]   the edition as an OSCAL catalog (JSON; stdout,\n"
		"                                 or DIR/guideline-EDITION-oscal.json)\n"
		"  import FILE                    load an edition: the catalog form or OSCAL (JSON)\n"
		"  remove EDITION                 remove an imported edition\n"
		"  diff FROM TO                   items added, removed and changed between editions\n"
		"Sector standards:\n"
		"  documents [--sector S] [--kind K]\n"
		"                                 the documents (kinds: mandatory 強制基準,\n"
		"                                 recommended 推奨基準・ガイドライン, industry\n"
		"                                 業界標準・ガイドライン, internal 内規)\n"
		"  document-add FILE              a document as JSON: {\"sector\", \"kind\", \"title_ja\",\n"
		"                                 \"owner\", \"public\", \"reason\" (when not public),\n"
		"                                 \"items\": [item ids]}\n"
		"  document-show ID | document-remove ID\n"
		"  document-update ID FILE        the members to change (JSON)\n"
		"  coverage [--sector S] [--edition E]\n"
		"                                 which must-consider items the sector's documents\n"
		"                                 cover (without --sector: every sector's counts)\n"
		"\n"
		"Options:\n"
		"  --as USER   act as this user; without it the console acts (as NISC)\n"
		"  --json      print the JSON result instead of text\n"
		"  --limit N, --offset N  page through a list\n"
		"  -h, --help  show this help\n");
}

static const struct option long_opts[] = {
	{ "as", required_argument, NULL, 'a' },      { "json", no_argument, NULL, 'j' },
	{ "mark", required_argument, NULL, 'm' },    { "kind", required_argument, NULL, 'k' },
	{ "out", required_argument, NULL, 'U' },     { "sector", required_argument, NULL, 's' },
	{ "edition", required_argument, NULL, 'e' }, { "limit", required_argument, NULL, 'L' },
	{ "offset", required_argument, NULL, 'O' },  { "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Each action: its option letters, and its positional arguments (min, max). */
static const struct cli_action actions[] = {
	{ "show", "aj", 0, 1, "EDITION" },
	{ "items", "ajmk", 0, 1, "EDITION" },
	{ "item", "aj", 2, 2, "EDITION ID" },
	{ "export", "aU", 0, 1, "EDITION" },
	{ "import", "aj", 1, 1, "FILE" },
	{ "remove", "a", 1, 1, "EDITION" },
	{ "diff", "aj", 2, 2, "FROM TO" },
	{ "documents", "ajskLO", 0, 0, "" },
	{ "document-add", "aj", 1, 1, "FILE" },
	{ "document-show", "aj", 1, 1, "ID" },
	{ "document-update", "aj", 2, 2, "ID FILE" },
	{ "document-remove", "a", 1, 1, "ID" },
	{ "coverage", "ajse", 0, 0, "" },
};

/* The depth of item it (its parents) in items. */
static int depth(const json_t *items, const json_t *it)
{
	const char *parent = json_string_value(json_object_get(it, "parent"));
	int d = 0;

	while (parent && d < 16) {
		const json_t *x;
		size_t i;
		const char *up = NULL;

		json_array_foreach(items, i, x)
			if (!strcmp(json_string_value(json_object_get(x, "id")), parent))
				up = json_string_value(json_object_get(x, "parent"));
		parent = up;
		d++;
	}
	return d;
}

static const char *mark_text(const json_t *it)
{
	const char *m = json_string_value(json_object_get(it, "mark"));

	return !m ? "" : !strcmp(m, "must") ? "  【要検討事項 must】" : "  【参考事項 reference】";
}

static void print_tree(const json_t *ed)
{
	const json_t *items = json_object_get(ed, "items"), *it, *c = json_object_get(ed, "counts");
	size_t i;

	printf("%s (edition %s, %s)\n%s\n", json_string_value(json_object_get(ed, "title_ja")),
	       json_string_value(json_object_get(ed, "edition")),
	       json_string_value(json_object_get(ed, "published")),
	       json_string_value(json_object_get(ed, "title_en")));
	printf("%lld items: %lld must-consider, %lld reference; %lld pillars, %lld priority items\n\n",
	       (long long)json_integer_value(json_object_get(c, "items")),
	       (long long)json_integer_value(json_object_get(c, "must")),
	       (long long)json_integer_value(json_object_get(c, "reference")),
	       (long long)json_integer_value(json_object_get(c, "pillars")),
	       (long long)json_integer_value(json_object_get(c, "priorities")));
	json_array_foreach(items, i, it)
		printf("%*s%s %s / %s  [%s]%s\n", depth(items, it) * 2, "",
		       json_string_value(json_object_get(it, "label")),
		       json_string_value(json_object_get(it, "title_ja")),
		       json_string_value(json_object_get(it, "title_en")),
		       json_string_value(json_object_get(it, "id")), mark_text(it));
}

static void print_coverage(const json_t *cov)
{
	const json_t *it;
	size_t i;

	if (json_object_get(cov, "sectors")) {
		json_t *l = json_pack("{s:O}", "items", json_object_get(cov, "sectors"));
		static const char *const cols[] = { "sector", "documents", "must_total", "must_covered",
						    NULL };

		printf("coverage of edition %s\n", json_string_value(json_object_get(cov, "edition")));
		cli_print_list(l, cols, false);
		json_decref(l);
		return;
	}
	printf("%s: %lld of %lld must-consider items covered (edition %s), %zu document(s)\n",
	       json_string_value(json_object_get(cov, "sector")),
	       (long long)json_integer_value(json_object_get(cov, "must_covered")),
	       (long long)json_integer_value(json_object_get(cov, "must_total")),
	       json_string_value(json_object_get(cov, "edition")),
	       json_array_size(json_object_get(cov, "documents")));
	json_array_foreach(json_object_get(cov, "items"), i, it)
		printf("  %-4s %-14s %-9s %s  %s\n", json_array_size(json_object_get(it, "documents")) ?
							   "ok" : "--",
		       json_string_value(json_object_get(it, "id")),
		       json_string_value(json_object_get(it, "mark")),
		       json_string_value(json_object_get(it, "title_ja")),
		       json_array_size(json_object_get(it, "documents")) ? "" : "(uncovered)");
}

int cli_cmd_guideline(struct cli_config *cfg, int argc, char **argv)
{
	static const char *const ed_cols[] = { "edition", "items", "must", "reference", "title_en", NULL };
	static const char *const item_cols[] = { "id", "label", "kind", "mark", "title_ja", "title_en",
						 NULL };
	static const char *const doc_cols[] = { "id", "sector", "kind", "public", "owner", "title_ja",
						NULL };
	const char *v[128] = { NULL }, *args[4] = { NULL };
	struct cep_page page = cep_page_default();
	struct cep_principal p;
	struct cep_error err;
	json_t *res = NULL, *in = NULL;
	char seen[32] = "", name[96];
	int json_out = 0, nargs = 0, c, rc;
	const char *action;
	struct store *s;

	if ((rc = cli_help_first(argc, argv, guideline_usage)) >= 0)
		return rc;
	while ((c = getopt_long(argc - 1, argv + 1, "h", long_opts, NULL)) != -1) {
		cli_seen(seen, sizeof(seen), c);
		if (c == 'h') {
			guideline_usage(stdout);
			return CLI_OK;
		}
		if (c == '?')
			return cli_usage("guideline", "unknown option");
		if (c == 'j')
			json_out = 1;
		else if (c == 'L' || c == 'O') {
			if ((rc = cli_page_option("guideline", c == 'L', optarg, &page)))
				return rc;
		} else
			v[c] = optarg;
	}
	for (int i = optind + 1; i < argc; i++, nargs++)
		if (nargs < 4)
			args[nargs] = argv[i];
	action = argv[1];
	rc = cli_check_table("guideline", action, CLI_ACTIONS(actions), long_opts, seen, nargs);
	if (rc)
		return rc;
	cep_error_init(&err);
	if ((!strcmp(action, "import") || !strcmp(action, "document-add")) &&
	    cli_read_json(args[0], &in, &err) < 0)
		return cli_fail(&err, err.code);
	if (!strcmp(action, "document-update") && cli_read_json(args[1], &in, &err) < 0)
		return cli_fail(&err, err.code);
	s = cli_open(cfg, true);
	if (!s) {
		json_decref(in);
		return CLI_FAIL;
	}
	rc = cli_principal(s, v['a'], &p, &err);
	if (rc < 0)
		;
	else if (!strcmp(action, "show") && !args[0])
		rc = std_editions(s, &p, &res, &err);
	else if (!strcmp(action, "show") || !strcmp(action, "items"))
		rc = std_edition_get(s, &p, args[0] ? args[0] : "3", v['m'], v['k'], &res, &err);
	else if (!strcmp(action, "item"))
		rc = std_item_get(s, &p, args[0], args[1], &res, &err);
	else if (!strcmp(action, "export"))
		rc = std_oscal_export(s, &p, args[0] ? args[0] : "3", &res, &err);
	else if (!strcmp(action, "import"))
		rc = std_edition_import(s, &p, in, &res, &err);
	else if (!strcmp(action, "remove"))
		rc = std_edition_delete(s, &p, args[0], &err);
	else if (!strcmp(action, "diff"))
		rc = std_diff(s, &p, args[0], args[1], &res, &err);
	else if (!strcmp(action, "documents"))
		rc = std_documents(s, &p, v['s'], v['k'], &page, &res, &err);
	else if (!strcmp(action, "document-add"))
		rc = std_document_create(s, &p, in, &res, &err);
	else if (!strcmp(action, "document-show"))
		rc = std_document_get(s, &p, args[0], &res, &err);
	else if (!strcmp(action, "document-update"))
		rc = std_document_update(s, &p, args[0], in, &res, &err);
	else if (!strcmp(action, "document-remove"))
		rc = std_document_delete(s, &p, args[0], &err);
	else
		rc = std_coverage(s, &p, v['s'], v['e'], &res, &err);
	store_close(s);
	json_decref(in);
	if (rc < 0) {
		json_decref(res);
		return cli_fail(&err, rc);
	}
	if (!strcmp(action, "export")) {
		char *text = json_dumps(res, JSON_INDENT(2));

		rc = text ? 0 : CEP_ENOMEM;
		if (rc == 0 && v['U']) {
			snprintf(name, sizeof(name), "guideline-%.40s-oscal.json", args[0] ? args[0] : "3");
			rc = cli_make_dir(v['U'], &err);
			if (rc == 0)
				rc = cli_write_out(v['U'], name, text, strlen(text), &err);
		} else if (rc == 0) {
			printf("%s\n", text);
		}
		cep_free(text);
	} else if (!res) {
		printf("done\n");
	} else if (json_out) {
		cli_print_json(res);
	} else if (!strcmp(action, "show") && !args[0]) {
		cli_print_list(res, ed_cols, false);
	} else if (!strcmp(action, "show")) {
		print_tree(res);
	} else if (!strcmp(action, "items")) {
		cli_print_list(res, item_cols, false);
	} else if (!strcmp(action, "documents")) {
		cli_print_list(res, doc_cols, false);
	} else if (!strcmp(action, "coverage")) {
		print_coverage(res);
	} else if (!strcmp(action, "diff")) {
		const json_t *cn = json_object_get(res, "counts"), *it;
		size_t i;

		printf("%s -> %s: %lld added, %lld removed, %lld changed, %lld unchanged\n",
		       args[0], args[1], (long long)json_integer_value(json_object_get(cn, "added")),
		       (long long)json_integer_value(json_object_get(cn, "removed")),
		       (long long)json_integer_value(json_object_get(cn, "changed")),
		       (long long)json_integer_value(json_object_get(cn, "unchanged")));
		json_array_foreach(json_object_get(res, "added"), i, it)
			printf("  + %s %s%s\n", json_string_value(json_object_get(it, "id")),
			       json_string_value(json_object_get(it, "title_ja")), mark_text(it));
		json_array_foreach(json_object_get(res, "removed"), i, it)
			printf("  - %s %s%s\n", json_string_value(json_object_get(it, "id")),
			       json_string_value(json_object_get(it, "title_ja")), mark_text(it));
		json_array_foreach(json_object_get(res, "changed"), i, it) {
			char *f = json_dumps(json_object_get(it, "fields"), JSON_COMPACT);

			printf("  ~ %s %s\n", json_string_value(json_object_get(it, "id")), f ? f : "");
			cep_free(f);
		}
	} else {
		cli_print_json(res);
	}
	json_decref(res);
	return rc < 0 ? cli_fail(&err, rc) : CLI_OK;
}
