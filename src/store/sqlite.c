/* sqlite.c - the embedded SQLite backend of store.h and sql.h. */
#include "store/schema.h"
#include "store/sql.h"
#include "store/store.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/log.h"

#include <pthread.h>
#include <stdint.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* Prepared statements kept per handle and connection. Over its life a
 * server thread runs far more distinct statements than this (a few hundred
 * call sites), so the least recently used one not in use makes room for a new
 * one: without that, the first ones run would keep the cache for ever and the
 * others would be parsed again on every call (measured: a report's write then
 * costs about twice the CPU). */
#define STMT_CACHE 128

struct store_stmt {
	struct store *s;
	sqlite3_stmt *st;
	char *sql;     /* set for cached statements */
	const char *at; /* where the caller's text was at its last use */
	uint64_t hash; /* of sql, compared before the text */
	uint64_t used; /* the handle's tick at its last use */
	int in_use;
};

struct writer;

/* A handle: its own connection plus a cache of prepared statements, so that
 * the same SQL text is parsed once per connection, not once per call. With
 * group commit (store_group_commit), its write transactions run on the
 * database's shared writer connection instead: db is the connection in use. */
struct store {
	sqlite3 *db;  /* active: own, or the writer's during a write transaction */
	sqlite3 *own;
	struct writer *w; /* NULL without group commit */
	int in_tx;
	/* one cache per connection: its own, and the shared writer's. The
	 * writer's statements are touched only in the handle's turn (when the
	 * writer's connection is the one in use), so each cache makes room only
	 * while its connection is in use, and one cannot crowd the other out. */
	struct stmt_cache {
		struct store_stmt e[STMT_CACHE];
		unsigned n;
	} own_cache, writer_cache;
	uint64_t tick;     /* counts the statements taken from the caches */
	uint64_t prepares; /* statements parsed (store_prepares) */
};

int store_schema_version(void)
{
	return store_migration_count;
}

static int map_rc(struct store *s, int rc)
{
	switch (rc & 0xFF) {
	case SQLITE_OK:
	case SQLITE_DONE:
		return 0;
	case SQLITE_ROW:
		return 1;
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return CEP_EEXIST;
		return CEP_ESEMANTIC;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return CEP_EBUSY;
	case SQLITE_NOMEM:
		return CEP_ENOMEM;
	case SQLITE_TOOBIG:
		return CEP_ETOOBIG;
	default:
		cep_log(CEP_LOG_ERROR, "store: %s", s ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		return CEP_EIO;
	}
}

/* Settings of the library itself, made once before its first use. A write
 * transaction under group commit is a savepoint inside the batch, and the
 * pages it changes are journalled for a rollback of that savepoint alone; the
 * library spills such journals to a temporary file past 64 KiB, which a
 * report's write passed: a file created, written and removed on every write,
 * a tenth to a sixth of the server's CPU per report. They stay in memory now: they
 * only ever hold what one transaction changed, and are never needed after a
 * crash. */
static pthread_once_t library_once = PTHREAD_ONCE_INIT;

static void library_init(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, -1);
}

/* Open one connection with ceptoar's settings. *ret owned by the caller. */
static int open_connection(const char *path, sqlite3 **ret, struct cep_error *err)
{
	sqlite3 *db = NULL;
	int rc;

	pthread_once(&library_once, library_init);
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			     NULL);

	if (rc != SQLITE_OK) {
		cep_error_set(err, CEP_EIO, "db", "cannot open database %s: %s", path,
			      db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close_v2(db);
		return CEP_EIO;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 5000);
	/* WAL: readers never block the writer; FULL: a commit is on disk before
	 * the API answers (the durability promise), also on power loss. */
	rc = sqlite3_exec(db,
			  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			  "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;",
			  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		cep_error_set(err, CEP_EIO, "db", "cannot use database %s: %s", path,
			      sqlite3_errmsg(db));
		sqlite3_close_v2(db);
		return CEP_EIO;
	}
	*ret = db;
	return 0;
}

/* ---- group commit ----
 *
 * In the server, every handle of a database shares one writer connection for
 * its write transactions. Writers take turns; each runs its transaction as a
 * SAVEPOINT inside one open batch transaction, and the batch is committed
 * (one fsync) when no other writer is waiting or it holds GROUP_MAX
 * transactions. A writer whose transaction was released into the batch waits
 * for that commit before its store_commit returns, so every answer still
 * follows its own durable commit; a failed batch commit fails every
 * transaction in it. */
#define GROUP_MAX 64

struct writer {
	char *path;
	sqlite3 *db;
	int refs;
	pthread_mutex_t mu;
	pthread_cond_t turn_cv, done_cv;
	int busy, waiting, open, count;
	uint64_t batch, committed; /* the open batch's number; the last one committed */
	int rcs[GROUP_MAX];        /* commit results of recent batches, by number */
	uint64_t txns;             /* transactions committed, for the log */
	struct writer *next;
};

static int group_commit;
static struct writer *writers;
static pthread_mutex_t writers_mu = PTHREAD_MUTEX_INITIALIZER;

void store_group_commit(int on)
{
	group_commit = on;
}

static int writer_attach(const char *path, struct writer **ret, struct cep_error *err)
{
	struct writer *w;
	int rc = 0;

	pthread_mutex_lock(&writers_mu);
	for (w = writers; w; w = w->next)
		if (!strcmp(w->path, path))
			break;
	if (!w) {
		w = cep_calloc(1, sizeof(*w));
		if (w)
			w->path = cep_strdup(path);
		if (!w || !w->path) {
			if (w)
				cep_free(w);
			rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
			goto out;
		}
		rc = open_connection(path, &w->db, err);
		if (rc < 0) {
			cep_free(w->path);
			cep_free(w);
			goto out;
		}
		pthread_mutex_init(&w->mu, NULL);
		pthread_cond_init(&w->turn_cv, NULL);
		pthread_cond_init(&w->done_cv, NULL);
		w->batch = 1;
		w->next = writers;
		writers = w;
	}
	w->refs++;
	*ret = w;
out:
	pthread_mutex_unlock(&writers_mu);
	return rc;
}

static void writer_detach(struct writer *w)
{
	struct writer **pp;

	if (!w)
		return;
	pthread_mutex_lock(&writers_mu);
	if (--w->refs == 0) {
		if (w->txns)
			cep_log(CEP_LOG_INFO, "store: group commit: %llu transactions in %llu commits",
				(unsigned long long)w->txns, (unsigned long long)(w->batch - 1));
		for (pp = &writers; *pp; pp = &(*pp)->next)
			if (*pp == w) {
				*pp = w->next;
				break;
			}
		sqlite3_close_v2(w->db); /* after the last handle's statements are gone */
		pthread_cond_destroy(&w->turn_cv);
		pthread_cond_destroy(&w->done_cv);
		pthread_mutex_destroy(&w->mu);
		cep_free(w->path);
		cep_free(w);
	}
	pthread_mutex_unlock(&writers_mu);
}

/* End the turn of the writer holding it. mine: its transaction was released
 * into the batch (0: it rolled back or never began). Returns the result of
 * the commit that covers the transaction. */
static int writer_end_turn(struct writer *w, int mine)
{
	uint64_t my;
	int rc = 0;

	pthread_mutex_lock(&w->mu);
	w->count += mine;
	if (w->open && w->count > 0 && w->waiting > 0 && w->count < GROUP_MAX) {
		/* more writers are queued: leave the batch open for them */
		my = w->batch;
		w->busy = 0;
		pthread_cond_signal(&w->turn_cv);
		while (mine && w->committed < my)
			pthread_cond_wait(&w->done_cv, &w->mu);
		rc = mine ? w->rcs[my % GROUP_MAX] : 0;
		pthread_mutex_unlock(&w->mu);
		return rc;
	}
	pthread_mutex_unlock(&w->mu);
	if (w->open) {
		w->txns += (uint64_t)w->count;
		rc = sqlite3_exec(w->db, w->count ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			cep_log(CEP_LOG_ERROR, "store: group commit failed: %s", sqlite3_errmsg(w->db));
			if (!sqlite3_get_autocommit(w->db))
				sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
		}
		rc = map_rc(NULL, rc);
	}
	pthread_mutex_lock(&w->mu);
	my = w->batch;
	w->rcs[my % GROUP_MAX] = rc;
	w->committed = my;
	w->batch++;
	w->open = 0;
	w->count = 0;
	w->busy = 0;
	pthread_cond_broadcast(&w->done_cv);
	pthread_cond_signal(&w->turn_cv);
	pthread_mutex_unlock(&w->mu);
	return mine ? rc : 0;
}

/* Wait for the writer's turn and take it: the shared connection is then the
 * caller's alone. */
static void writer_take_turn(struct writer *w)
{
	pthread_mutex_lock(&w->mu);
	w->waiting++;
	while (w->busy)
		pthread_cond_wait(&w->turn_cv, &w->mu);
	w->waiting--;
	w->busy = 1;
	pthread_mutex_unlock(&w->mu);
}

static int writer_begin(struct store *s)
{
	struct writer *w = s->w;
	int rc = 0;

	writer_take_turn(w);
	if (!w->open) {
		rc = sqlite3_exec(w->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			w->open = 1;
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(w->db, "SAVEPOINT tx", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = map_rc(NULL, rc);
		writer_end_turn(w, 0);
		return rc;
	}
	s->db = w->db;
	s->in_tx = 1;
	return 0;
}

int store_open(const char *path, struct store **ret, struct cep_error *err)
{
	struct store *s = cep_calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	rc = open_connection(path, &s->own, err);
	s->db = s->own;
	if (rc == 0 && group_commit && strcmp(path, ":memory:") != 0)
		rc = writer_attach(path, &s->w, err);
	if (rc < 0) {
		store_close(s);
		return rc;
	}
	*ret = s;
	return 0;
}

/* Finalize the statements of cache c. */
static void finalize_cached(struct stmt_cache *c)
{
	for (unsigned i = 0; i < c->n; i++) {
		sqlite3_finalize(c->e[i].st);
		cep_free(c->e[i].sql);
	}
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		store_rollback(s);
	finalize_cached(&s->own_cache);
	if (s->w) { /* in the writer's turn: other handles may be writing */
		writer_take_turn(s->w);
		finalize_cached(&s->writer_cache);
		writer_end_turn(s->w, 0);
	}
	sqlite3_close_v2(s->own);
	writer_detach(s->w);
	cep_free(s);
}

static int user_version(struct store *s, int *ret)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return map_rc(s, rc);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*ret = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : map_rc(s, rc);
}

int store_check_version(struct store *s, struct cep_error *err)
{
	int v = 0, rc = user_version(s, &v);

	if (rc < 0)
		return cep_error_set(err, rc, "db", "cannot read the schema version: %s",
				     sqlite3_errmsg(s->db));
	if (v > store_schema_version())
		return cep_error_set(err, CEP_EVERSION, "db",
				     "the database has schema version %d, written by a newer ceptoar; "
				     "this ceptoar knows version %d and will not touch it",
				     v, store_schema_version());
	if (v < store_schema_version())
		return cep_error_set(err, CEP_ESEMANTIC, "db",
				     "the database has schema version %d, this ceptoar needs %d: "
				     "run `ceptoar --db FILE init`",
				     v, store_schema_version());
	return 0;
}

int store_migrate(struct store *s, int *ret_from, int *ret_to, struct cep_error *err)
{
	int v = 0, from, rc = user_version(s, &v);
	char pragma[64];

	if (rc < 0)
		return cep_error_set(err, rc, "db", "cannot read the schema version: %s",
				     sqlite3_errmsg(s->db));
	if (v > store_schema_version())
		return store_check_version(s, err);
	from = v;
	while (v < store_schema_version()) {
		rc = store_begin(s);
		if (rc == 0)
			rc = store_exec(s, store_migrations[v]);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", v + 1);
		if (rc == 0)
			rc = store_exec(s, pragma);
		if (rc == 0)
			rc = store_commit(s);
		if (rc < 0) {
			cep_error_set(err, rc, "db", "migration to schema version %d failed: %s", v + 1,
				      sqlite3_errmsg(s->db));
			store_rollback(s);
			return rc;
		}
		cep_log(CEP_LOG_INFO, "store: migrated schema to version %d", v + 1);
		v++;
	}
	if (ret_from)
		*ret_from = from;
	if (ret_to)
		*ret_to = v;
	return 0;
}

/* Writers of this process take turns here before SQLite's own write lock, so
 * that concurrent requests queue in order instead of polling the database
 * lock with the busy handler's sleeps (which cost milliseconds each); other
 * processes (the CLI) still meet the busy timeout. */
static pthread_mutex_t write_turn = PTHREAD_MUTEX_INITIALIZER;

int store_begin(struct store *s)
{
	int rc;

	if (s->w)
		return writer_begin(s);
	pthread_mutex_lock(&write_turn);
	rc = store_exec(s, "BEGIN IMMEDIATE");
	if (rc == 0)
		s->in_tx = 1;
	else
		pthread_mutex_unlock(&write_turn);
	return rc;
}

int store_commit(struct store *s)
{
	int rc;

	if (s->w && s->in_tx) {
		rc = store_exec(s, "RELEASE tx");
		if (rc < 0)
			return rc; /* still in the transaction: the caller rolls back */
		s->in_tx = 0;
		s->db = s->own;
		return writer_end_turn(s->w, 1);
	}
	rc = store_exec(s, "COMMIT");

	if (rc == 0 && s->in_tx) {
		s->in_tx = 0;
		pthread_mutex_unlock(&write_turn);
	}
	return rc;
}

void store_rollback(struct store *s)
{
	if (s->w && s->in_tx) {
		sqlite3_exec(s->db, "ROLLBACK TO tx", NULL, NULL, NULL);
		sqlite3_exec(s->db, "RELEASE tx", NULL, NULL, NULL);
		s->in_tx = 0;
		s->db = s->own;
		writer_end_turn(s->w, 0);
		return;
	}
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (s->in_tx) {
		s->in_tx = 0;
		pthread_mutex_unlock(&write_turn);
	}
}

int store_exec(struct store *s, const char *sql)
{
	return map_rc(s, sqlite3_exec(s->db, sql, NULL, NULL, NULL));
}

/* FNV-1a of a statement's text. */
static uint64_t sql_hash(const char *sql)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return h;
}

/* The cache of the connection in use. */
static struct stmt_cache *cache_of(struct store *s)
{
	return s->db == s->own ? &s->own_cache : &s->writer_cache;
}

/* A slot of cache c for a new statement: a free one, else the least recently
 * used one not in use (its statement finalized), else NULL. */
static struct store_stmt *cache_slot(struct stmt_cache *c)
{
	struct store_stmt *old = NULL;

	if (c->n < STMT_CACHE)
		return &c->e[c->n++];
	for (unsigned i = 0; i < STMT_CACHE; i++)
		if (!c->e[i].in_use && (!old || c->e[i].used < old->used))
			old = &c->e[i];
	if (old) {
		sqlite3_finalize(old->st);
		cep_free(old->sql);
	}
	return old;
}

/* Is st, a cached statement, free and of text sql? */
static int cache_match(const struct store_stmt *st, const char *sql)
{
	return st->sql && !st->in_use && strcmp(st->sql, sql) == 0;
}

/* The free statement of text sql in cache c, or NULL. Most texts are
 * literals, found again at the same address: those are looked for first,
 * without hashing the text. */
static struct store_stmt *cache_find(struct stmt_cache *c, const char *sql, uint64_t *ret_hash)
{
	for (unsigned i = 0; i < c->n; i++)
		if (c->e[i].at == sql && cache_match(&c->e[i], sql))
			return &c->e[i];
	*ret_hash = sql_hash(sql);
	for (unsigned i = 0; i < c->n; i++)
		if (c->e[i].hash == *ret_hash && cache_match(&c->e[i], sql))
			return &c->e[i];
	return NULL;
}

int store_prepare(struct store *s, const char *sql, struct store_stmt **ret)
{
	struct stmt_cache *c = cache_of(s);
	uint64_t h = 0;
	struct store_stmt *st = cache_find(c, sql, &h);
	char *copy;
	int rc;

	if (st) {
		st->in_use = 1;
		st->at = sql;
		st->used = ++s->tick;
		*ret = st;
		return 0;
	}
	/* kept when the text can be remembered and a slot found; else a plain
	 * statement, finalized after use */
	copy = cep_strdup(sql);
	st = copy ? cache_slot(c) : NULL;
	if (!st) {
		cep_free(copy);
		copy = NULL;
		if (!(st = cep_calloc(1, sizeof(*st))))
			return CEP_ENOMEM;
	}
	*st = (struct store_stmt){ .s = s, .sql = copy, .at = sql, .hash = h,
				   .used = ++s->tick, .in_use = 1 };
	s->prepares++;
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st->st, NULL);
	if (rc != SQLITE_OK) {
		cep_log(CEP_LOG_ERROR, "store: prepare failed: %s: %s", sqlite3_errmsg(s->db), sql);
		sqlite3_finalize(st->st);
		st->st = NULL;
		if (copy) { /* the slot stays, empty: nothing matches it */
			cep_free(copy);
			st->sql = NULL;
			st->hash = 0;
			st->in_use = 0;
		} else {
			cep_free(st);
		}
		return rc == SQLITE_NOMEM ? CEP_ENOMEM : CEP_EIO;
	}
	*ret = st;
	return 0;
}

int store_bind_text(struct store_stmt *st, int idx, const char *v)
{
	if (!v)
		return store_bind_null(st, idx);
	return map_rc(st->s, sqlite3_bind_text(st->st, idx, v, -1, SQLITE_TRANSIENT));
}

int store_bind_int(struct store_stmt *st, int idx, int64_t v)
{
	return map_rc(st->s, sqlite3_bind_int64(st->st, idx, v));
}

int store_bind_null(struct store_stmt *st, int idx)
{
	return map_rc(st->s, sqlite3_bind_null(st->st, idx));
}

int store_bind_blob(struct store_stmt *st, int idx, const void *data, size_t len)
{
	return map_rc(st->s, sqlite3_bind_blob64(st->st, idx, data, len, SQLITE_TRANSIENT));
}

const void *store_col_blob(struct store_stmt *st, int i)
{
	return sqlite3_column_blob(st->st, i);
}

size_t store_col_bytes(struct store_stmt *st, int i)
{
	return (size_t)sqlite3_column_bytes(st->st, i);
}

int store_step(struct store_stmt *st)
{
	return map_rc(st->s, sqlite3_step(st->st));
}

const char *store_col_text(struct store_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->st, i);
}

int64_t store_col_int(struct store_stmt *st, int i)
{
	return sqlite3_column_int64(st->st, i);
}

bool store_col_null(struct store_stmt *st, int i)
{
	return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

/* Columns named *_at or *_deadline hold seconds since the epoch; JSON shows
 * them as RFC 3339. */
static int is_time_column(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return (n > 3 && strcmp(name + n - 3, "_at") == 0) ||
	       (n > 9 && strcmp(name + n - 9, "_deadline") == 0);
}

json_t *store_row_json(struct store_stmt *st)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(st->st);

	if (!o)
		return NULL;
	for (int i = 0; i < n; i++) {
		json_t *v;

		switch (sqlite3_column_type(st->st, i)) {
		case SQLITE_INTEGER:
			if (is_time_column(sqlite3_column_name(st->st, i))) {
				char ts[CEP_TS_MAX];

				cep_ts_utc(sqlite3_column_int64(st->st, i), ts);
				v = json_string(ts);
			} else {
				v = json_integer(sqlite3_column_int64(st->st, i));
			}
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(st->st, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		default:
			v = json_stringn((const char *)sqlite3_column_text(st->st, i),
					 (size_t)sqlite3_column_bytes(st->st, i));
			break;
		}
		if (!v || json_object_set_new(o, sqlite3_column_name(st->st, i), v) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

int store_reset(struct store_stmt *st)
{
	sqlite3_reset(st->st);
	return map_rc(st->s, sqlite3_clear_bindings(st->st));
}

void store_finalize(struct store_stmt *st)
{
	if (!st)
		return;
	if (st->sql) { /* cached: keep it prepared for the next caller */
		sqlite3_reset(st->st);
		sqlite3_clear_bindings(st->st);
		st->in_use = 0;
		return;
	}
	sqlite3_finalize(st->st);
	cep_free(st);
}

uint64_t store_prepares(const struct store *s)
{
	return s->prepares;
}

int64_t store_changes(struct store *s)
{
	return sqlite3_changes64(s->db);
}

const char *store_errmsg(struct store *s)
{
	return sqlite3_errmsg(s->db);
}

/* ---- pool ---- */

struct store_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned n, nfree;
	struct store **all, **free;
};

int store_pool_open(const char *path, unsigned n, struct store_pool **ret, struct cep_error *err)
{
	struct store_pool *p = cep_calloc(1, sizeof(*p));
	int rc = 0;

	if (!p)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->all = cep_calloc(n, sizeof(*p->all));
	p->free = cep_calloc(n, sizeof(*p->free));
	if (!p->all || !p->free) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (; p->n < n; p->n++) {
		rc = store_open(path, &p->all[p->n], err);
		if (rc < 0)
			goto out;
		rc = store_check_version(p->all[p->n], err);
		if (rc < 0) {
			p->n++;
			goto out;
		}
		p->free[p->nfree++] = p->all[p->n];
	}
out:
	if (rc < 0) {
		p->nfree = p->n;
		store_pool_close(p);
		return rc;
	}
	*ret = p;
	return 0;
}

struct store *store_pool_get(struct store_pool *p)
{
	struct store *s;

	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	s = p->free[--p->nfree];
	pthread_mutex_unlock(&p->mu);
	return s;
}

void store_pool_put(struct store_pool *p, struct store *s)
{
	store_rollback(s);
	pthread_mutex_lock(&p->mu);
	p->free[p->nfree++] = s;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void store_pool_close(struct store_pool *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < p->n; i++)
		store_close(p->all[i]);
	cep_free(p->all);
	cep_free(p->free);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	cep_free(p);
}
