/* deliver.h - the delivery worker: a thread that does the work the request
 * threads leave in the outbox, with its own database handle: alert fan-out,
 * escalation at the acknowledgement deadline, and the e-mail (SMTP) and
 * webhook sends of every delivery (channels in message.h/channels.c, over
 * libcurl). Jobs are durable: a job interrupted by a crash is taken again
 * after a restart; a send is recorded exactly once as sent or failed (see
 * worker.c). Settings come from the environment (CEPTOAR_SMTP_URL,
 * CEPTOAR_SMTP_FROM, CEPTOAR_SMTP_STARTTLS, CEPTOAR_BASE_URL,
 * CEPTOAR_RETRY_BASE_SECONDS; docs/architecture.md, "Delivery"). */
#ifndef CEP_DELIVER_DELIVER_H
#define CEP_DELIVER_DELIVER_H

#include "base/err.h"
#include "store/store.h"

struct deliver;

/* Start the worker on the database at db_path (borrowed; copied), reading the
 * settings from the environment and initialising libcurl. *ret is owned by
 * the caller: stop it with deliver_stop. Returns 0, CEP_EIO, CEP_ENOMEM. */
int deliver_start(const char *db_path, struct deliver **ret, struct cep_error *err);
/* Wake the worker: new work is in the outbox. Accepts NULL. Thread-safe. */
void deliver_kick(struct deliver *d);
/* Stop: no send starts after this; a transfer under way is aborted (its send
 * is taken up again at the next start); the thread is joined, all is freed.
 * Accepts NULL. */
void deliver_stop(struct deliver *d);
/* Do all pending work now, on s, in the calling thread (the CLI, tests):
 * fan-out, escalation, and every due send once (settings from the
 * environment). *ret_done (may be NULL) counts jobs done. */
int deliver_run_pending(struct store *s, int *ret_done, struct cep_error *err);

#endif
