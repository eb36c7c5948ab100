/* action_int.h - shared by action.c and action_net.c. Not for other modules. */
#ifndef CEP_ANALYSIS_ACTION_INT_H
#define CEP_ANALYSIS_ACTION_INT_H

#include "analysis/action.h"
#include "base/buf.h"

#define AN_TYPE_JSON "application/json"
#define AN_TYPE_CSV "text/csv"
#define AN_TYPE_SVG "image/svg+xml"
#define AN_TYPE_TEXT "text/plain"

/* Add b's bytes as a file (the buffer is emptied), or v as indented JSON. */
int an_files_add_buf(struct an_files *f, const char *name, const char *type, struct cep_buf *b);
int an_files_add_json(struct an_files *f, const char *name, const json_t *v);
/* Optional number member key of o in [lo, hi] into *ret (untouched when absent).
 * CEP_EINVAL naming key. */
int an_opt_number(const json_t *o, const char *key, double lo, double hi, double *ret,
		  struct cep_error *err);

/* The facility-level kinds (run, sweep, rank): action_net.c. */
int an_action_net_check(const char *kind, const json_t *options, struct cep_error *err);
int an_action_net_run(const char *kind, const json_t *options, const char *model, size_t model_len,
		      const struct an_progress *progress, json_t **ret_summary,
		      struct an_files *files, struct cep_error *err);

#endif
