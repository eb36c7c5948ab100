/* principal.h - who is acting: the roles of the framework and the facts about
 * a principal that the access policy needs. Pure data; no I/O. */
#ifndef CEP_CORE_PRINCIPAL_H
#define CEP_CORE_PRINCIPAL_H

#include <stdbool.h>

enum cep_role {
	CEP_ROLE_NONE = 0,  /* unauthenticated: may do nothing */
	CEP_ROLE_ADMIN,     /* runs the installation */
	CEP_ROLE_NISC,      /* 内閣官房情報セキュリティセンター */
	CEP_ROLE_MINISTRY,  /* 重要インフラ所管省庁 */
	CEP_ROLE_CEPTOAR,   /* セプター事務局 */
	CEP_ROLE_OPERATOR,  /* 重要インフラ事業者等 */
	CEP_ROLE_AGENCY,    /* 関係機関 */
	CEP_ROLE_AUDITOR,   /* reads the audit trail */
	CEP_ROLE_SYSTEM,    /* the local console (CLI with the database file) */
	CEP_ROLE__COUNT
};

#define CEP_ID_MAX 40   /* UUIDs and slugs, incl. NUL */
#define CEP_NAME_MAX 64 /* user names, in bytes incl. NUL */
#define CEP_MEMBERSHIPS_MAX 8 /* CEPTOARs an organisation belongs to, as far as policy looks */
#define CEP_XSTR(x) #x
#define CEP_STR(x) CEP_XSTR(x)

struct cep_principal {
	enum cep_role role;
	char user_id[CEP_ID_MAX];
	char name[CEP_NAME_MAX];
	char org_id[CEP_ID_MAX];
	char ministry_id[CEP_ID_MAX]; /* set when the principal's org is a ministry */
	char ceptoar_id[CEP_ID_MAX];  /* set when the principal's org is a CEPTOAR secretariat */
	char sector_id[CEP_ID_MAX];   /* the org's sector, for operators */
	char ceptoars[CEP_MEMBERSHIPS_MAX][CEP_ID_MAX]; /* the org's CEPTOAR memberships */
	int nceptoars;
	bool council;                 /* the org is the secretariat of a council-member CEPTOAR */
	/* The world the principal acts in: "" is the real one; an exercise id is
	 * that exercise (訓練), whose sharing objects are invisible everywhere
	 * else and which sees nothing of the real ones. exercise_at is the
	 * exercise's scenario clock (seconds from its start) when the request
	 * entered it: what the exercise records as the time of the principal's
	 * actions. Set only by exercise_enter() (exercise/exercise.h). */
	char exercise_id[CEP_ID_MAX];
	long long exercise_at;
};

/* Role name as used in the API and CLI ("admin", "nisc", ...); "none" for NONE. */
const char *cep_role_name(enum cep_role role);
/* Parse a role name that a user may be given (not "none" or "system").
 * Returns 0 or CEP_EINVAL; *ret_role untouched on failure. */
int cep_role_parse(const char *s, enum cep_role *ret_role);
/* The local console principal used by the CLI. */
void cep_principal_system(struct cep_principal *p);

#endif
