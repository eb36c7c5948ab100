/* deliver.h - the delivery worker: a thread that does the work the request
 * threads leave in the outbox (alert fan-out now; e-mail, webhooks and
 * escalation at the acknowledgement deadline as channels are added), with its
 * own database handle. Jobs are durable: a job interrupted by a crash is
 * taken again after a restart. */
#ifndef CEP_DELIVER_DELIVER_H
#define CEP_DELIVER_DELIVER_H

#include "base/err.h"
#include "store/store.h"

struct deliver;

/* Start the worker on the database at db_path (borrowed; copied). *ret is
 * owned by the caller: stop it with deliver_stop. Returns 0, CEP_EIO, CEP_ENOMEM. */
int deliver_start(const char *db_path, struct deliver **ret, struct cep_error *err);
/* Wake the worker: new work is in the outbox. Accepts NULL. Thread-safe. */
void deliver_kick(struct deliver *d);
/* Stop: the job in progress finishes, the thread is joined, all is freed. Accepts NULL. */
void deliver_stop(struct deliver *d);
/* Do all pending work now, on s, in the calling thread (the CLI, tests).
 * *ret_done (may be NULL) counts jobs done. */
int deliver_run_pending(struct store *s, int *ret_done, struct cep_error *err);

#endif
