/* cascade_int.h - what the tests of the static cascade (cascade.h) may
 * reach beyond the API: forcing how a connectivity pass treats a layer. */
#ifndef CEP_ANALYSIS_CASCADE_INT_H
#define CEP_ANALYSIS_CASCADE_INT_H

#include "analysis/cascade.h"

/* How the passes of workspace c treat the layers that lost nodes: 0 (the
 * default) relabels a layer whole when many of its nodes failed and repairs
 * it otherwise; CASCADE_REPAIR always repairs (a repair still gives up where
 * it must, never for its size); CASCADE_WHOLE always relabels. Results are
 * the same in every mode. */
#define CASCADE_REPAIR 1
#define CASCADE_WHOLE 2
void an_cascade_force(struct an_cascade *c, int mode);

#endif
