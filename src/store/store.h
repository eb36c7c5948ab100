/* store.h - the persistence handle: open, migrate, close, and a pool of
 * handles for the server's threads. This is all that http/ and cli/ may use
 * of the store; SQL lives with the services (store/sql.h).
 *
 * The embedded backend is SQLite 3 in WAL mode with foreign keys on. */
#ifndef CEP_STORE_STORE_H
#define CEP_STORE_STORE_H

#include "base/err.h"

struct store;
struct store_pool;

/* The schema version this build writes and understands. */
int store_schema_version(void);

/* Open (creating the file if needed) the database at path. The handle belongs
 * to the caller and to one thread at a time; close it with store_close.
 * Does not migrate. Returns 0 or CEP_EIO with err filled. */
int store_open(const char *path, struct store **ret, struct cep_error *err);
/* Accepts NULL. */
void store_close(struct store *s);

/* Bring the schema up to store_schema_version(), one versioned migration per
 * transaction. *ret_from and *ret_to (may be NULL) tell what was done. A database
 * written by a newer ceptoar is refused with CEP_EVERSION and nothing changes. */
int store_migrate(struct store *s, int *ret_from, int *ret_to, struct cep_error *err);
/* Check that the schema is exactly this build's: CEP_EVERSION when newer,
 * CEP_ESEMANTIC when not initialised or older (run `ceptoar init`). */
int store_check_version(struct store *s, struct cep_error *err);

/* Group commit for the handles opened from now on (the server turns it on):
 * write transactions of one database, in this process, share one writer
 * connection and are committed together, one fsync for many, each caller
 * still returning only after the commit that covers its transaction. Off by
 * default (the CLI, tests on ":memory:"). */
void store_group_commit(int on);

/* A fixed set of n open handles to path. Returns 0, CEP_EIO, CEP_ENOMEM. */
int store_pool_open(const char *path, unsigned n, struct store_pool **ret, struct cep_error *err);
/* Borrow a handle; blocks while all are in use. Never NULL. */
struct store *store_pool_get(struct store_pool *pool);
/* Give a handle back (any open transaction is rolled back). */
void store_pool_put(struct store_pool *pool, struct store *s);
/* Accepts NULL. All handles must have been put back. */
void store_pool_close(struct store_pool *pool);

#endif
