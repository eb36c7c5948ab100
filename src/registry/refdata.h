/* refdata.h - the reference data files compiled into the binary (generated
 * from data/reference by tools/bin2c). The table ends with a NULL name. */
#ifndef CEP_REGISTRY_REFDATA_H
#define CEP_REGISTRY_REFDATA_H

#include <stddef.h>

struct cep_refdata_file {
	const char *name; /* file name, e.g. "sectors.json" */
	const char *data; /* NUL-terminated contents */
	size_t size;
};

extern const struct cep_refdata_file cep_refdata_files[];

#endif
