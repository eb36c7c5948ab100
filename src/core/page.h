/* page.h - pagination of every list: limit/offset with caps. */
#ifndef CEP_CORE_PAGE_H
#define CEP_CORE_PAGE_H

#include <stdint.h>

#define CEP_PAGE_DEFAULT 50
#define CEP_PAGE_MAX 500
#define CEP_OFFSET_MAX 10000000

struct cep_page {
	int64_t limit;  /* 1..CEP_PAGE_MAX */
	int64_t offset; /* 0..CEP_OFFSET_MAX */
};

/* A page of CEP_PAGE_DEFAULT items from the start. */
static inline struct cep_page cep_page_default(void)
{
	struct cep_page p = { CEP_PAGE_DEFAULT, 0 };
	return p;
}

#endif
