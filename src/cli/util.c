/* util.c - helpers shared by the subcommands. */
#include "cli/cli.h"

#include "base/alloc.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/text.h"
#include "http/http.h"
#include "identity/identity.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct store *cli_open(const struct cli_config *cfg, bool check_version)
{
	struct cep_error err;
	struct store *s = NULL;

	cep_error_init(&err);
	if (!cfg->db[0]) {
		fprintf(stderr, "ceptoar: no database given: use --db FILE, CEPTOAR_DB or a config "
				"file with `db = FILE`\n");
		return NULL;
	}
	if (store_open(cfg->db, &s, &err) < 0 || (check_version && store_check_version(s, &err) < 0)) {
		fprintf(stderr, "ceptoar: %s\n", err.message);
		store_close(s);
		return NULL;
	}
	return s;
}

int cli_fail(const struct cep_error *err, int rc)
{
	const char *msg = err && err->message[0] ? err->message : cep_err_text(rc);

	if (err && err->field[0])
		fprintf(stderr, "ceptoar: %s (field: %s)\n", msg, err->field);
	else
		fprintf(stderr, "ceptoar: %s\n", msg);
	return CLI_FAIL;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ceptoar %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry `ceptoar %s --help`.\n", cmd);
	return CLI_USAGE;
}

void cli_print_json(const json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2));

	if (s) {
		puts(s);
		free(s);
	}
}

/* Text of a member for a table cell. */
static void cell(const json_t *v, char *out, size_t size)
{
	if (json_is_string(v)) {
		snprintf(out, size, "%s", json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(out, size, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		snprintf(out, size, "%.3f", json_real_value(v));
	} else if (json_is_boolean(v)) {
		snprintf(out, size, "%s", json_is_true(v) ? "yes" : "no");
	} else if (json_is_array(v)) {
		size_t i, len = 0;
		json_t *e;

		out[0] = '\0';
		json_array_foreach(v, i, e) {
			const char *t = json_string_value(e);

			if (t && len + strlen(t) + 2 < size)
				len += (size_t)snprintf(out + len, size - len, "%s%s", i ? "," : "", t);
		}
	} else {
		snprintf(out, size, "-");
	}
}

/* Display width: East Asian characters take two columns. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		w += *p >= 0xE0 ? 2 : 1;
	}
	return w;
}

void cli_print_list(const json_t *res, const char *const *keys, bool as_json)
{
	const json_t *items = json_object_get(res, "items");
	size_t nkeys = 0, w[32] = { 0 }, i;
	json_t *it;
	char buf[512];

	if (as_json) {
		cli_print_json(res);
		return;
	}
	while (keys[nkeys] && nkeys < 32)
		nkeys++;
	for (size_t k = 0; k < nkeys; k++)
		w[k] = width(keys[k]);
	json_array_foreach(items, i, it) {
		for (size_t k = 0; k < nkeys; k++) {
			cell(json_object_get(it, keys[k]), buf, sizeof(buf));
			if (width(buf) > w[k])
				w[k] = width(buf) > 60 ? 60 : width(buf);
		}
	}
	for (size_t k = 0; k < nkeys; k++)
		printf("%s%-*s", k ? "  " : "", k + 1 < nkeys ? (int)w[k] : 0, keys[k]);
	printf("\n");
	json_array_foreach(items, i, it) {
		for (size_t k = 0; k < nkeys; k++) {
			size_t cw;

			cell(json_object_get(it, keys[k]), buf, sizeof(buf));
			cw = width(buf);
			printf("%s%s", k ? "  " : "", buf);
			for (; k + 1 < nkeys && cw < w[k]; cw++)
				putchar(' ');
		}
		printf("\n");
	}
	if (json_integer_value(json_object_get(res, "total")) > (json_int_t)json_array_size(items))
		fprintf(stderr, "(%zu of %lld shown; use --limit and --offset)\n",
			json_array_size(items),
			(long long)json_integer_value(json_object_get(res, "total")));
}

int cli_parse_int(const char *s, long min, long max, long *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return CEP_EINVAL;
	*ret = v;
	return 0;
}

int cli_read_file(const char *path, size_t max, char **ret, size_t *ret_len, struct cep_error *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	struct cep_buf b;
	struct stat st;
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (!f)
		return cep_error_set(err, CEP_EIO, "file", "cannot open %s: %s", path, strerror(errno));
	cep_buf_init(&b, max);
	/* a file's size known ahead is read without growing the buffer as it
	 * comes (a model's CSV files run to hundreds of MiB); too large, the
	 * reads below say so */
	if (f != stdin && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= max)
		rc = cep_buf_reserve(&b, (size_t)st.st_size);
	while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = cep_buf_append(&b, chunk, n);
	if (rc == 0 && ferror(f))
		rc = CEP_EIO;
	if (f != stdin)
		fclose(f);
	if (rc < 0) {
		cep_buf_free(&b);
		return cep_error_set(err, rc, "file",
				     rc == CEP_ETOOBIG ? "%s is larger than the limit" : "cannot read %s",
				     path);
	}
	*ret_len = b.len;
	*ret = cep_buf_steal(&b);
	return *ret ? 0 : CEP_ENOMEM;
}

int cli_read_json(const char *path, json_t **ret, struct cep_error *err)
{
	const size_t max = HTTP_MAX_BODY_DEFAULT; /* the cap of a JSON request body */
	struct cep_error e;
	char *data = NULL;
	size_t len = 0;
	json_t *v = NULL;
	int rc;

	cep_error_init(&e);
	rc = cli_read_file(path, max, &data, &len, &e);
	if (rc == CEP_ETOOBIG)
		rc = cep_error_set(err, rc, "file", "%s is larger than %zu bytes", path, max);
	else if (rc < 0)
		rc = cep_error_set(err, rc, "file", "%s", e.message[0] ? e.message : cep_err_text(rc));
	if (rc == 0) {
		rc = cep_json_parse(data, len, CEP_JSON_MAX_DEPTH, &v, &e);
		if (rc < 0)
			cep_error_set(err, rc, "file", "%s: %s", path, e.message);
	}
	if (rc == 0 && !json_is_object(v)) {
		json_decref(v);
		v = NULL;
		rc = cep_error_set(err, CEP_EINVAL, "file", "%s must hold one JSON object", path);
	}
	cep_free(data);
	if (rc == 0)
		*ret = v;
	return rc;
}

int cli_principal(struct store *s, const char *as, struct cep_principal *ret,
		  struct cep_error *err)
{
	if (!as) {
		cep_principal_system(ret);
		return 0;
	}
	return idn_principal_by_name(s, as, ret, err);
}

int cli_config_file(struct cli_config *cfg, const char *path, unsigned set_mask,
		    struct cep_error *err)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	int lineno = 0;

	if (!f)
		return cep_error_set(err, CEP_EIO, "config", "cannot open config file %s: %s", path,
				     strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *key = line, *val, *end;

		lineno++;
		while (*key == ' ' || *key == '\t')
			key++;
		if (*key == '#' || *key == '\n' || !*key)
			continue;
		val = strchr(key, '=');
		if (!val) {
			fclose(f);
			return cep_error_set(err, CEP_EINVAL, "config", "%s:%d: expected key = value",
					     path, lineno);
		}
		for (end = val; end > key && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*end = '\0';
		for (val++; *val == ' ' || *val == '\t'; val++)
			;
		for (end = val + strlen(val); end > val && strchr(" \t\r\n", end[-1]); end--)
			;
		*end = '\0';
		if (!strcmp(key, "db")) {
			if (!(set_mask & CLI_SET_DB))
				snprintf(cfg->db, sizeof(cfg->db), "%s", val);
		} else if (!strcmp(key, "listen")) {
			if (!(set_mask & CLI_SET_LISTEN))
				snprintf(cfg->listen, sizeof(cfg->listen), "%s", val);
		} else if (!strcmp(key, "threads")) {
			long t;

			if (cli_parse_int(val, 1, 256, &t) < 0) {
				fclose(f);
				return cep_error_set(err, CEP_EINVAL, "threads",
						     "%s:%d: threads must be 1..256", path, lineno);
			}
			if (!(set_mask & CLI_SET_THREADS))
				cfg->threads = (unsigned)t;
		} else if (!strcmp(key, "log_level")) {
			if (!(set_mask & CLI_SET_LOG))
				snprintf(cfg->log_level, sizeof(cfg->log_level), "%s", val);
		} else {
			fclose(f);
			return cep_error_set(err, CEP_EINVAL, "config", "%s:%d: unknown key %s", path,
					     lineno, key);
		}
	}
	fclose(f);
	return 0;
}

const char *cli_opt_name(const struct option *opts, int c)
{
	for (const struct option *o = opts; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

void cli_print_text(const char *label, const char *t)
{
	if (!t || !*t)
		return;
	printf("%s:\n  ", label);
	for (; *t; t++) {
		putchar(*t);
		if (*t == '\n' && t[1])
			fputs("  ", stdout);
	}
	putchar('\n');
}

int cli_page_option(const char *cmd, int limit, const char *text, struct cep_page *page)
{
	long v;

	if (limit) {
		if (cli_parse_int(text, 1, CEP_PAGE_MAX, &v) < 0)
			return cli_usage(cmd, "--limit must be 1-%d", CEP_PAGE_MAX);
		page->limit = v;
	} else {
		if (cli_parse_int(text, 0, CEP_OFFSET_MAX, &v) < 0)
			return cli_usage(cmd, "--offset must be 0-%d", CEP_OFFSET_MAX);
		page->offset = v;
	}
	return 0;
}

int cli_help_first(int argc, char **argv, void (*usage)(FILE *))
{
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return CLI_OK;
	}
	return -1;
}

void cli_seen(char *seen, size_t size, int c)
{
	size_t n = strlen(seen);

	if (c != 'h' && c != '?' && !strchr(seen, c) && n + 1 < size)
		seen[n] = (char)c;
}

/* cli_check_action with min to max arguments. */
static int check_args(const char *cmd, const char *action, const struct option *opts,
		      const char *seen, int got, const char *allowed, int min, int max,
		      const char *what)
{
	for (const char *c = seen; *c; c++)
		if (!strchr(allowed, *c))
			return cli_usage(cmd, "--%s does not apply to %s", cli_opt_name(opts, *c),
					 action);
	if (got < min)
		return cli_usage(cmd, "%s needs %s", action, what);
	if (got > max && max == 0)
		return cli_usage(cmd, "%s takes no arguments", action);
	if (got > max && min == max)
		return cli_usage(cmd, "%s takes only %s", action, what);
	if (got > max)
		return cli_usage(cmd, "%s takes %s (optional)", action, what);
	return 0;
}

int cli_check_action(const char *cmd, const char *action, const struct option *opts,
		     const char *seen, int got, const char *allowed, int nargs, const char *what)
{
	return check_args(cmd, action, opts, seen, got, allowed, nargs, nargs, what);
}

int cli_check_table(const char *cmd, const char *name, const struct cli_action *table, size_t n,
		    const struct option *opts, const char *seen, int got)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(table[k].name, name))
			return check_args(cmd, name, opts, seen, got, table[k].allowed,
					  table[k].min, table[k].max, table[k].what);
	return cli_usage(cmd, "unknown action %s", name);
}

int cli_make_dir(const char *dir, struct cep_error *err)
{
	char path[4096];
	struct stat st;
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(path))
		return cep_error_set(err, CEP_EINVAL, "out", "the --out path is empty or too long");
	memcpy(path, dir, n + 1);
	/* each parent in turn, then dir itself (i == n) */
	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) < 0) {
			int e = errno;

			if (e != EEXIST)
				return cep_error_set(err, CEP_EIO, "out",
						     "cannot make the directory %s: %s", path,
						     strerror(e));
			if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
				return cep_error_set(err, CEP_EIO, "out",
						     "cannot make the directory %s: %s is there and "
						     "is not a directory",
						     dir, path);
		}
		path[i] = dir[i];
	}
	return 0;
}

int cli_write_out(const char *dir, const char *name, const void *data, size_t len,
		  struct cep_error *err)
{
	char path[4096], tmp[4200];
	FILE *f;
	int ok;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return cep_error_set(err, CEP_EINVAL, "out", "the --out path is too long");
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f)
		return cep_error_set(err, CEP_EIO, "out", "cannot write %s: %s", tmp, strerror(errno));
	ok = fwrite(len ? data : "", 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		int e = errno;

		remove(tmp);
		return cep_error_set(err, CEP_EIO, "out", "cannot write %s: %s", path, strerror(e));
	}
	printf("wrote %s\n", path);
	return 0;
}
