/* handling.h - information-handling rules (情報の取扱い): the Traffic Light
 * Protocol 2.0 of FIRST, the sharing scope a reporter chooses, handling
 * restrictions (取扱制限) and the classification (格付け). Pure. */
#ifndef CEP_CORE_HANDLING_H
#define CEP_CORE_HANDLING_H

#include <stdbool.h>

/* TLP 2.0, ordered from least to most restrictive (the rank is stored). */
enum cep_tlp {
	CEP_TLP_CLEAR = 0,        /* disclosure is not limited */
	CEP_TLP_GREEN = 1,        /* the community: every user of this installation */
	CEP_TLP_AMBER = 2,        /* recipients' organisations and their clients, need to know */
	CEP_TLP_AMBER_STRICT = 3, /* recipients' organisations only */
	CEP_TLP_RED = 4,          /* named recipients only */
	CEP_TLP__COUNT
};

/* How far a report may travel (情報連絡 and sharing), ordered. */
enum cep_scope {
	CEP_SCOPE_TO_MINISTRY = 0, /* its ministry and NISC only */
	CEP_SCOPE_TO_CEPTOAR = 1,  /* also its CEPTOARs and their members */
	CEP_SCOPE_TO_COUNCIL = 2,  /* also the CEPTOAR Council (every CEPTOAR secretariat) */
	CEP_SCOPE_TO_ALL = 3,      /* every user of the installation */
	CEP_SCOPE_TO__COUNT
};

/* "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED". */
const char *cep_tlp_name(enum cep_tlp t);
/* Parse a TLP label (case-sensitive, also "TLP:AMBER" and "WHITE" as CLEAR).
 * Returns 0 or CEP_EINVAL; *ret untouched on failure. */
int cep_tlp_parse(const char *s, enum cep_tlp *ret);
/* "ministry", "ceptoar", "council", "all". */
const char *cep_scope_name(enum cep_scope s);
int cep_scope_parse(const char *s, enum cep_scope *ret);

/* Whether a report with this TLP may be shared this far: TLP:RED and
 * AMBER+STRICT stay with the ministry and NISC; AMBER reaches CEPTOARs and
 * the council but not everyone; CLEAR and GREEN go anywhere. */
bool cep_tlp_allows_scope(enum cep_tlp t, enum cep_scope s);
/* Whether a body with this TLP may be sent by e-mail (RED and AMBER+STRICT
 * are never e-mailed: the mail says "sign in to read"). */
bool cep_tlp_may_email(enum cep_tlp t);

/* 取扱制限: handling restrictions, as bits. */
enum {
	CEP_HANDLING_NO_COPY = 1,           /* 複製禁止 */
	CEP_HANDLING_NO_REDISTRIBUTION = 2, /* 再配付禁止 */
	CEP_HANDLING_NO_EXPORT = 4,         /* 持出禁止 */
};
/* Parse one restriction id ("no-copy", "no-redistribution", "no-export") to its bit. */
int cep_handling_parse(const char *s, unsigned *ret_bit);
const char *cep_handling_name(unsigned bit);

/* 格付け: classification, ordered. "none" (unclassified), "confidential-3"
 * (機密性3), "confidential-2" (機密性2), "confidential-1" (機密性1) as used by
 * Japanese government information-security standards. */
int cep_classification_valid(const char *s);

#endif
