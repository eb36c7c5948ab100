/* samples.h - the sample plans compiled into the binary (the JSON files of data/samples,
 * turned into a C table by tools/bin2c at build time). Ends with a NULL name. */
#ifndef CEP_PLAN_SAMPLES_H
#define CEP_PLAN_SAMPLES_H

#include <stddef.h>

struct plan_sample_file {
	const char *name; /* file name, e.g. "plan-2008.json" */
	const char *data; /* NUL-terminated contents */
	size_t size;
};

extern const struct plan_sample_file plan_sample_files[];

#endif
