/* progress.h - how a long computation of the engine reports progress and is
 * cancelled. The command line draws a progress bar from it; the server's jobs
 * record it and set cancel. */
#ifndef CEP_ANALYSIS_PROGRESS_H
#define CEP_ANALYSIS_PROGRESS_H

#include <stdatomic.h>

/* Borrowed by the computation for its duration; every member may be NULL/0.
 * report is called from one thread at a time (the engine serialises calls),
 * with done <= total, at most a few hundred times per run. A computation that
 * sees *cancel != 0 stops soon and returns CEP_EBUSY ("cancelled"). */
struct an_progress {
	void (*report)(void *ctx, unsigned long done, unsigned long total);
	void *ctx;
	atomic_int *cancel;
};

/* Has the caller asked to stop? p may be NULL. */
static inline int an_cancelled(const struct an_progress *p)
{
	return p && p->cancel && atomic_load_explicit(p->cancel, memory_order_relaxed);
}

#endif
