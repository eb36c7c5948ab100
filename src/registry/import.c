/* import.c - bulk import of operators from CSV, all or nothing.
 *
 * Columns (header row, any order): code, name_ja, name_en, sector, ceptoars
 * (';'-separated ids), region, service_ja, service_en, service_level,
 * verification_level, system_ja, system_en, system_description. Rows with the
 * same code add services and systems to one operator. */
#include "registry/internal.h"

#include "audit/audit.h"
#include "base/alloc.h"
#include "base/csv.h"
#include "base/crypto.h"
#include "base/clock.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>

enum col {
	C_CODE, C_NAME_JA, C_NAME_EN, C_SECTOR, C_CEPTOARS, C_REGION, C_SERVICE_JA, C_SERVICE_EN,
	C_SERVICE_LEVEL, C_VERIFICATION_LEVEL, C_SYSTEM_JA, C_SYSTEM_EN, C_SYSTEM_DESC, C__COUNT
};

static const char *const col_names[C__COUNT] = {
	"code", "name_ja", "name_en", "sector", "ceptoars", "region", "service_ja", "service_en",
	"service_level", "verification_level", "system_ja", "system_en", "system_description",
};

struct import {
	struct store *s;
	struct cep_error *err;
	int idx[C__COUNT]; /* field index of each column, -1 when absent */
	char **f;
	size_t nf;
	size_t line;
	int64_t orgs, services, systems, rows;
};

static const char *field(const struct import *im, enum col c)
{
	int i = im->idx[c];

	if (i < 0 || (size_t)i >= im->nf || !im->f[i][0])
		return NULL;
	return im->f[i];
}

static int row_error(struct import *im, int code, enum col c, const char *why)
{
	return cep_error_set(im->err, code, col_names[c], "line %zu: %s %s", im->line,
			     col_names[c], why);
}

static int header(struct import *im)
{
	for (int c = 0; c < C__COUNT; c++)
		im->idx[c] = -1;
	for (size_t i = 0; i < im->nf; i++) {
		int found = -1;

		for (int c = 0; c < C__COUNT; c++)
			if (!strcmp(im->f[i], col_names[c]))
				found = c;
		if (found < 0)
			return cep_error_set(im->err, CEP_EINVAL, im->f[i],
					     "line %zu: unknown column \"%.64s\"", im->line, im->f[i]);
		if (im->idx[found] >= 0)
			return cep_error_set(im->err, CEP_EINVAL, im->f[i],
					     "line %zu: column %s given twice", im->line, im->f[i]);
		im->idx[found] = (int)i;
	}
	for (int c = C_CODE; c <= C_SECTOR; c++)
		if (c != C_NAME_EN && im->idx[c] < 0)
			return cep_error_set(im->err, CEP_EINVAL, col_names[c],
					     "line %zu: the header lacks the column %s", im->line,
					     col_names[c]);
	return 0;
}

/* Check every text field of the row against its cap. */
static int check_texts(struct import *im)
{
	for (int c = 0; c < C__COUNT; c++) {
		const char *v = field(im, c);
		int multiline = c == C_SERVICE_LEVEL || c == C_VERIFICATION_LEVEL || c == C_SYSTEM_DESC;
		size_t max = multiline ? REG_TEXT_MAX : REG_NAME_MAX;
		int rc = multiline ? cep_text_check_multiline(v, max, 0) : cep_text_check(v, max, 0);

		if (rc == CEP_ETOOBIG)
			return row_error(im, CEP_ETOOBIG, c, "is too long");
		if (rc < 0)
			return row_error(im, CEP_EINVAL, c, "holds control characters");
	}
	for (const char *p = field(im, C_CODE); p && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return row_error(im, CEP_EINVAL, C_CODE,
					 "may hold only letters, digits, '-', '_', '.'");
	if (field(im, C_CODE) && strlen(field(im, C_CODE)) > 64)
		return row_error(im, CEP_ETOOBIG, C_CODE, "is longer than 64 characters");
	if (!field(im, C_CODE))
		return row_error(im, CEP_EINVAL, C_CODE, "is required");
	if (!field(im, C_NAME_JA))
		return row_error(im, CEP_EINVAL, C_NAME_JA, "is required");
	if (!field(im, C_SECTOR))
		return row_error(im, CEP_EINVAL, C_SECTOR, "is required");
	if (field(im, C_SYSTEM_DESC) && !field(im, C_SYSTEM_JA))
		return row_error(im, CEP_EINVAL, C_SYSTEM_JA, "is required with system_description");
	if ((field(im, C_SERVICE_EN) || field(im, C_SERVICE_LEVEL) ||
	     field(im, C_VERIFICATION_LEVEL)) && !field(im, C_SERVICE_JA))
		return row_error(im, CEP_EINVAL, C_SERVICE_JA, "is required with the service's fields");
	return 0;
}

static int exists(struct import *im, const char *table, const char *id, enum col c)
{
	char sql[96];
	int64_t n = 0;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE id = ?", table);
	rc = store_query_int(im->s, sql, (struct store_arg[]){ STORE_TEXT(id) }, 1, &n);
	if (rc < 0)
		return cep_error_set(im->err, rc, col_names[c], "line %zu: cannot read %s", im->line,
				     table);
	if (n == 0)
		return cep_error_set(im->err, CEP_ESEMANTIC, col_names[c], "line %zu: unknown %s %s",
				     im->line, col_names[c], id);
	return 0;
}

/* The org for this row: created on its first row, checked on later ones. */
static int row_org(struct import *im, char org_id[CEP_ID_MAX])
{
	const char *code = field(im, C_CODE), *sector = field(im, C_SECTOR);
	struct store_stmt *st = NULL;
	char *list = NULL, *save = NULL, *tok;
	int rc;

	rc = store_prepare(im->s, "SELECT o.id, o.name_ja, o.sector_id FROM import_seen i"
				  " JOIN orgs o ON o.id = i.org_id WHERE i.code = ?", &st);
	if (rc < 0)
		return cep_error_set(im->err, rc, NULL, "line %zu: cannot read", im->line);
	store_bind_text(st, 1, code);
	rc = store_step(st);
	if (rc == 1) {
		snprintf(org_id, CEP_ID_MAX, "%s", store_col_text(st, 0));
		if (strcmp(store_col_text(st, 1), field(im, C_NAME_JA)) != 0)
			rc = row_error(im, CEP_EINVAL, C_NAME_JA,
				       "differs from an earlier row with the same code");
		else if (strcmp(store_col_text(st, 2), sector) != 0)
			rc = row_error(im, CEP_EINVAL, C_SECTOR,
				       "differs from an earlier row with the same code");
		else
			rc = 0;
		store_finalize(st);
		return rc;
	}
	store_finalize(st);
	if (rc < 0)
		return cep_error_set(im->err, rc, NULL, "line %zu: cannot read", im->line);
	rc = exists(im, "sectors", sector, C_SECTOR);
	if (rc < 0)
		return rc;
	cep_uuid(org_id);
	rc = store_run(im->s,
		       "INSERT INTO orgs (id, code, kind, name_ja, name_en, sector_id, region,"
		       " created_at, updated_at) VALUES (?,?,'operator',?,?,?,?,?,?)",
		       (struct store_arg[]){ STORE_TEXT(org_id), STORE_TEXT(code),
					     STORE_TEXT(field(im, C_NAME_JA)),
					     STORE_TEXT(field(im, C_NAME_EN) ? field(im, C_NAME_EN) : ""),
					     STORE_TEXT(sector),
					     STORE_TEXT(field(im, C_REGION) ? field(im, C_REGION) : ""),
					     STORE_INT(cep_now()), STORE_INT(cep_now()) },
		       8);
	if (rc == CEP_EEXIST)
		return cep_error_set(im->err, rc, "code",
				     "line %zu: an organisation with code %s already exists", im->line,
				     code);
	if (rc == 0)
		rc = store_run(im->s, "INSERT INTO import_seen (code, org_id) VALUES (?,?)",
			       (struct store_arg[]){ STORE_TEXT(code), STORE_TEXT(org_id) }, 2);
	if (rc < 0)
		return cep_error_set(im->err, rc, NULL, "line %zu: cannot store", im->line);
	im->orgs++;
	if (field(im, C_CEPTOARS)) {
		list = cep_strdup(field(im, C_CEPTOARS));
		if (!list)
			return cep_error_set(im->err, CEP_ENOMEM, NULL, "out of memory");
		for (tok = strtok_r(list, ";", &save); tok && rc == 0; tok = strtok_r(NULL, ";", &save)) {
			while (*tok == ' ')
				tok++;
			if (!*tok)
				continue;
			rc = exists(im, "ceptoars", tok, C_CEPTOARS);
			if (rc == 0)
				rc = store_run(im->s,
					       "INSERT INTO org_ceptoars (org_id, ceptoar_id) VALUES (?,?)"
					       " ON CONFLICT DO NOTHING",
					       (struct store_arg[]){ STORE_TEXT(org_id), STORE_TEXT(tok) },
					       2);
		}
		cep_free(list);
	}
	return rc;
}

/* The row's service (created once per code and name), or "" when none. */
static int row_service(struct import *im, const char *org_id, char service_id[CEP_ID_MAX])
{
	const char *name = field(im, C_SERVICE_JA);
	json_t *row = NULL;
	int rc;

	service_id[0] = '\0';
	if (!name)
		return 0;
	rc = store_query_one(im->s, "SELECT id FROM services WHERE org_id = ? AND name_ja = ?",
			     (struct store_arg[]){ STORE_TEXT(org_id), STORE_TEXT(name) }, 2, &row);
	if (rc == 0) {
		snprintf(service_id, CEP_ID_MAX, "%s", json_string_value(json_object_get(row, "id")));
		json_decref(row);
		return 0;
	}
	if (rc != CEP_ENOTFOUND)
		return cep_error_set(im->err, rc, NULL, "line %zu: cannot read", im->line);
	cep_uuid(service_id);
	rc = store_run(im->s,
		       "INSERT INTO services (id, org_id, name_ja, name_en, service_level,"
		       " verification_level, created_at) VALUES (?,?,?,?,?,?,?)",
		       (struct store_arg[]){
			       STORE_TEXT(service_id), STORE_TEXT(org_id), STORE_TEXT(name),
			       STORE_TEXT(field(im, C_SERVICE_EN) ? field(im, C_SERVICE_EN) : ""),
			       STORE_TEXT(field(im, C_SERVICE_LEVEL) ? field(im, C_SERVICE_LEVEL) : ""),
			       STORE_TEXT(field(im, C_VERIFICATION_LEVEL) ?
						  field(im, C_VERIFICATION_LEVEL) : ""),
			       STORE_INT(cep_now()) },
		       7);
	if (rc < 0)
		return cep_error_set(im->err, rc, NULL, "line %zu: cannot store the service", im->line);
	im->services++;
	return 0;
}

static int row_system(struct import *im, const char *org_id, const char *service_id)
{
	char id[CEP_UUID_LEN + 1];
	int rc;

	if (!field(im, C_SYSTEM_JA))
		return 0;
	cep_uuid(id);
	rc = store_run(im->s,
		       "INSERT INTO systems (id, org_id, service_id, name_ja, name_en, description,"
		       " created_at) VALUES (?,?,?,?,?,?,?)",
		       (struct store_arg[]){
			       STORE_TEXT(id), STORE_TEXT(org_id),
			       STORE_TEXT(service_id[0] ? service_id : NULL),
			       STORE_TEXT(field(im, C_SYSTEM_JA)),
			       STORE_TEXT(field(im, C_SYSTEM_EN) ? field(im, C_SYSTEM_EN) : ""),
			       STORE_TEXT(field(im, C_SYSTEM_DESC) ? field(im, C_SYSTEM_DESC) : ""),
			       STORE_INT(cep_now()) },
		       7);
	if (rc < 0)
		return cep_error_set(im->err, rc, NULL, "line %zu: cannot store the system", im->line);
	im->systems++;
	return 0;
}

static int blank_row(const struct import *im)
{
	for (size_t i = 0; i < im->nf; i++)
		if (im->f[i][0])
			return 0;
	return 1;
}

static int import_rows(struct import *im, struct cep_csv *csv)
{
	int rc, have_header = 0;

	while ((rc = cep_csv_next(csv, &im->f, &im->nf, &im->line)) == 1) {
		char org_id[CEP_ID_MAX], service_id[CEP_ID_MAX];

		if (blank_row(im))
			continue;
		if (!have_header) {
			rc = header(im);
			if (rc < 0)
				return rc;
			have_header = 1;
			continue;
		}
		if (++im->rows > REG_IMPORT_MAX_ROWS)
			return cep_error_set(im->err, CEP_ETOOBIG, NULL,
					     "line %zu: more than %d rows", im->line,
					     REG_IMPORT_MAX_ROWS);
		rc = check_texts(im);
		if (rc == 0)
			rc = row_org(im, org_id);
		if (rc == 0)
			rc = row_service(im, org_id, service_id);
		if (rc == 0)
			rc = row_system(im, org_id, service_id);
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return cep_error_set(im->err, rc, NULL, "line %zu: %s", im->line, cep_csv_error(csv));
	if (!have_header)
		return cep_error_set(im->err, CEP_EINVAL, NULL, "the file is empty: a header row is needed");
	return 0;
}

int reg_import_operators(struct store *s, const struct cep_principal *p, const char *data,
			 size_t len, json_t **ret, struct cep_error *err)
{
	struct import im = { .s = s, .err = err };
	struct cep_csv *csv = NULL;
	json_t *res = NULL;
	int rc;

	if (policy_check(p, CEP_ACT_REGISTRY_WRITE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "importing operators is not allowed");
	if (len > REG_IMPORT_MAX_BYTES)
		return cep_error_set(err, CEP_ETOOBIG, NULL, "the file is larger than %u bytes",
				     REG_IMPORT_MAX_BYTES);
	csv = cep_csv_new(data, len, 64, 16384);
	if (!csv)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	rc = store_begin(s);
	if (rc == 0)
		rc = store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS import_seen"
				   " (code TEXT PRIMARY KEY, org_id TEXT NOT NULL)");
	if (rc == 0)
		rc = store_exec(s, "DELETE FROM import_seen");
	if (rc < 0) {
		cep_error_set(err, rc, NULL, "cannot start the import");
		goto out;
	}
	rc = import_rows(&im, csv);
	if (rc < 0)
		goto out;
	res = json_pack("{s:I, s:I, s:I, s:I}", "rows", (json_int_t)im.rows, "orgs",
			(json_int_t)im.orgs, "services", (json_int_t)im.services, "systems",
			(json_int_t)im.systems);
	if (!res) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	rc = audit_append(s, p, "org.import", "org", "", res);
	if (rc == 0)
		rc = store_exec(s, "DELETE FROM import_seen");
	if (rc == 0)
		rc = store_commit(s);
	if (rc < 0)
		cep_error_set(err, rc, NULL, "cannot store the import");
out:
	if (rc < 0) {
		store_rollback(s);
		json_decref(res);
	} else {
		*ret = res;
	}
	cep_csv_free(csv);
	return rc;
}
