/* action.h - the analysis actions as one call each, for the server's analysis
 * jobs: from a kind, its options (JSON members named like the command line's
 * options) and a model (text) to a summary (JSON) and the files a run writes
 * (result.json, timeline.csv, timeline.svg, ...). Pure: text in, text out.
 *
 * Kinds: "iim" and "diim" (sector level; no model: the default illustrative
 * matrix, or "matrix"/"table" CSV text in the options), "run" (a scenario on a
 * facility model, Monte Carlo with "trials"), "sweep" and "rank". */
#ifndef CEP_ANALYSIS_ACTION_H
#define CEP_ANALYSIS_ACTION_H

#include "analysis/progress.h"
#include "base/err.h"

#include <jansson.h>
#include <stddef.h>

#define AN_FILE_NAME_MAX 64

/* One file of a result. data is owned by the list (cep_free). */
struct an_file {
	char name[AN_FILE_NAME_MAX];
	const char *type; /* media type, static */
	char *data;
	size_t len;
};

struct an_files {
	struct an_file *items; /* owned */
	size_t n;
};

/* Free every file and the list; the list becomes empty. Accepts NULL. */
void an_files_free(struct an_files *f);
/* Append a file (name copied, data taken: owned by the list from now on, also on
 * failure). Returns 0 or CEP_ENOMEM. */
int an_files_add(struct an_files *f, const char *name, const char *type, char *data, size_t len);

/* Whether kind is an action ("iim", ...), and whether it needs a model. */
int an_action_known(const char *kind);
int an_action_needs_model(const char *kind);

/* Check options before a job is queued: unknown members, types and ranges
 * (what can be checked without the model). CEP_EINVAL naming the member. */
int an_action_check(const char *kind, const json_t *options, struct cep_error *err);

/* What a facility model in JSON says about itself, after a full check (the
 * same loader as a run): *ret = {"nodes","dependencies","links","groups",
 * "sectors","layers"} (caller owns). CEP_EINVAL/CEP_EPARSE naming the line and
 * the field, CEP_ETOOBIG, CEP_ENOMEM. */
int an_action_model_info(const char *model, size_t len, json_t **ret, struct cep_error *err);

/* Run kind with options on model (text, may be NULL when the kind needs none).
 * Reports progress and stops with CEP_EBUSY when cancelled. On success
 * *ret_summary (caller owns) is a small JSON summary and *ret_files holds the
 * files (caller frees with an_files_free). */
int an_action_run(const char *kind, const json_t *options, const char *model, size_t model_len,
		  const struct an_progress *progress, json_t **ret_summary, struct an_files *ret_files,
		  struct cep_error *err);

#endif
