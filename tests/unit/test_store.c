/* test_store.c - the handle's cache of prepared statements: a statement in
 * steady use stays prepared however many other texts the handle runs, a
 * statement in use is never taken from its caller, a failed prepare or
 * allocation leaves the handle working, and with group commit the reads' and
 * the writes' statements do not crowd each other out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/err.h"
#include "store/sql.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static FILE *errors;  /* where stderr goes meanwhile (errors_to_file) */
static int saved_fd; /* stderr before */

/* Send stderr (the log) to a temporary file until errors_back. */
static void errors_to_file(void)
{
	fflush(stderr);
	errors = tmpfile();
	assert_non_null(errors);
	saved_fd = dup(STDERR_FILENO);
	assert_true(saved_fd >= 0);
	assert_true(dup2(fileno(errors), STDERR_FILENO) >= 0);
}

/* stderr back where it was; what was written meanwhile into buf. */
static void errors_back(char *buf, size_t size)
{
	size_t n;

	fflush(stderr);
	assert_true(dup2(saved_fd, STDERR_FILENO) >= 0);
	close(saved_fd);
	rewind(errors);
	n = fread(buf, 1, size - 1, errors);
	buf[n] = '\0';
	fclose(errors);
}

static struct store *fresh(void)
{
	struct store *s = NULL;

	assert_int_equal(store_open(":memory:", &s, NULL), 0);
	assert_int_equal(store_exec(s, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7)"), 0);
	return s;
}

/* Run "SELECT x + k FROM t" and check its one row. */
static void run_plus(struct store *s, int k)
{
	char sql[64];
	struct store_stmt *st;

	snprintf(sql, sizeof(sql), "SELECT x + %d FROM t", k);
	assert_int_equal(store_prepare(s, sql, &st), 0);
	assert_int_equal(store_step(st), 1);
	assert_int_equal(store_col_int(st, 0), 7 + k);
	assert_int_equal(store_step(st), 0);
	store_finalize(st);
}

static void test_hot_statement_stays_prepared(void **state)
{
	struct store *s = fresh();
	uint64_t before;

	(void)state;
	for (int k = 0; k < 1000; k++) /* far more texts than the cache holds */
		run_plus(s, k);
	before = store_prepares(s);
	/* one text in steady use among a stream of new ones: parsed once */
	for (int k = 1000; k < 1500; k++) {
		run_plus(s, -1);
		run_plus(s, k);
	}
	assert_int_equal(store_prepares(s) - before, 1 + 500);
	/* and a text run again soon after is not parsed again */
	before = store_prepares(s);
	for (int k = 1490; k < 1500; k++)
		run_plus(s, k);
	assert_int_equal(store_prepares(s) - before, 0);
	store_close(s);
}

static void test_statements_in_use_are_kept(void **state)
{
	enum { N = 300 };
	struct store *s = fresh();
	struct store_stmt *st[N];
	char sql[64];

	(void)state;
	/* every one open at once: more than the cache holds */
	for (int k = 0; k < N; k++) {
		snprintf(sql, sizeof(sql), "SELECT x * %d FROM t", k);
		assert_int_equal(store_prepare(s, sql, &st[k]), 0);
	}
	for (int k = N; k-- > 0;) {
		assert_int_equal(store_step(st[k]), 1);
		assert_int_equal(store_col_int(st[k], 0), 7 * k);
		store_finalize(st[k]);
	}
	/* the same text twice at once: two statements */
	assert_int_equal(store_prepare(s, "SELECT x FROM t", &st[0]), 0);
	assert_int_equal(store_prepare(s, "SELECT x FROM t", &st[1]), 0);
	assert_ptr_not_equal(st[0], st[1]);
	assert_int_equal(store_step(st[0]), 1);
	assert_int_equal(store_step(st[1]), 1);
	assert_int_equal(store_col_int(st[0], 0), 7);
	assert_int_equal(store_col_int(st[1], 0), 7);
	store_finalize(st[0]);
	store_finalize(st[1]);
	run_plus(s, 3);
	store_close(s);
}

static void test_failures_leave_the_handle_working(void **state)
{
	struct store *s = fresh();
	struct store_stmt *st = NULL;
	char log[1024];
	int rc;

	(void)state;
	for (int k = 0; k < 200; k++)
		run_plus(s, k);
	/* a text that does not parse: an error, logged with the text, nothing
	 * kept (the log goes to a file here, to be read back) */
	errors_to_file();
	assert_int_equal(store_prepare(s, "SELEC nothing", &st), CEP_EIO);
	run_plus(s, 5);
	assert_int_equal(store_prepare(s, "SELECT nope FROM t", &st), CEP_EIO);
	run_plus(s, 6);
	errors_back(log, sizeof(log));
	assert_non_null(strstr(log, " error store: prepare failed: near \"SELEC\""));
	assert_non_null(strstr(log, "no such column: nope: SELECT nope FROM t"));
	/* out of memory for the copy of a new text, then for everything */
	for (long n = 0; n < 3; n++) {
		cep_alloc_fail_after(n);
		rc = store_prepare(s, "SELECT x - 1 FROM t", &st);
		cep_alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(store_step(st), 1);
			assert_int_equal(store_col_int(st, 0), 6);
			store_finalize(st);
		} else {
			assert_int_equal(rc, CEP_ENOMEM);
		}
	}
	for (int k = 0; k < 300; k++)
		run_plus(s, k);
	store_close(s);
}

/* Run "INSERT INTO w VALUES (k)" in a transaction of its own. */
static void insert_one(struct store *s, int k)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "INSERT INTO w VALUES (%d)", k);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_exec(s, "SELECT 1"), 0);
	{
		struct store_stmt *st;

		assert_int_equal(store_prepare(s, sql, &st), 0);
		assert_int_equal(store_step(st), 0);
		store_finalize(st);
	}
	assert_int_equal(store_commit(s), 0);
}

/* With group commit, write transactions run on the shared writer's
 * connection, reads on the handle's own: statements of either kind keep
 * their place however many of the other kind came first. */
static void test_reads_and_writes_keep_their_caches(void **state)
{
	char dir[] = "/tmp/test_store.XXXXXX", path[64];
	struct store *s = NULL;
	uint64_t before;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/db", dir);
	store_group_commit(1);
	assert_int_equal(store_open(path, &s, NULL), 0);
	assert_int_equal(store_exec(s, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7);"
				       "CREATE TABLE w (x INTEGER)"), 0);
	for (int k = 0; k < 300; k++) /* the writer's statements first, many */
		insert_one(s, k);
	before = store_prepares(s);
	for (int k = 0; k < 200; k++) { /* a read in steady use among new reads */
		run_plus(s, 0);
		run_plus(s, 1000 + k);
	}
	assert_int_equal(store_prepares(s) - before, 1 + 200);
	before = store_prepares(s);
	for (int k = 300; k < 400; k++) /* and the writes' own texts still rotate */
		insert_one(s, k);
	assert_int_equal(store_prepares(s) - before, 100);
	store_close(s);
	store_group_commit(0);
	for (const char *const *x = (const char *const[]){ "db", "db-wal", "db-shm", NULL }; *x; x++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *x);
		(void)unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hot_statement_stays_prepared),
		cmocka_unit_test(test_statements_in_use_are_kept),
		cmocka_unit_test(test_failures_leave_the_handle_working),
		cmocka_unit_test(test_reads_and_writes_keep_their_caches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
