/* visibility.c - the access policy's clauses (core/policy.c) turned into the
 * WHERE condition of a query, so that lists, totals and searches admit
 * exactly what policy_check admits one object at a time. */
#include "share/internal.h"

#include "base/err.h"

#include <stdio.h>
#include <string.h>

const struct share_table share_reports_table = {
	.org = "r.org_id",
	.ministry = "r.ministry_id",
	.scope = "r.scope",
	.tlp = "r.tlp",
	.ceptoars = "EXISTS (SELECT 1 FROM report_ceptoars rc WHERE rc.report_id = r.id AND %s)",
	.recipient = NULL,
	.exercise = "r.exercise_id",
};

const struct share_table share_alerts_table = {
	.org = "a.org_id",
	.ministry = NULL,
	.scope = NULL,
	.tlp = NULL,
	.ceptoars = NULL,
	.recipient = "EXISTS (SELECT 1 FROM deliveries dv WHERE dv.alert_id = a.id AND dv.org_id = ?)",
	.exercise = "a.exercise_id",
};

static int add_arg(struct share_where *w, struct store_arg a)
{
	if (w->nargs >= SHARE_WHERE_ARGS)
		return CEP_ETOOBIG;
	w->args[w->nargs++] = a;
	return 0;
}

/* "rc.ceptoar_id IN (?,...)" over ids[0..n), into the condition's format. */
static int ceptoar_in(struct share_where *w, const char *fmt, const char (*ids)[CEP_ID_MAX], int n)
{
	char in[16 + 2 * CEP_MEMBERSHIPS_MAX + 32] = "rc.ceptoar_id IN (";
	int rc = 0;

	for (int i = 0; i < n && i < CEP_MEMBERSHIPS_MAX && rc == 0; i++) {
		strcat(in, i ? ",?" : "?");
		rc = add_arg(w, STORE_TEXT(ids[i]));
	}
	strcat(in, ")");
	return rc ? rc : cep_buf_printf(&w->sql, fmt, in);
}

/* "<col> = ?" bound to value. */
static int column_is(struct share_where *w, const char *col, const char *value)
{
	int rc = cep_buf_printf(&w->sql, "%s = ?", col);

	return rc ? rc : add_arg(w, STORE_TEXT(value));
}

/* One clause's relationship as SQL (appended), or "0" when the table has none. */
static int relation(struct share_where *w, const struct cep_principal *p, enum cep_rel rel,
		    const struct share_table *t)
{
	switch (rel) {
	case CEP_REL_ANY:
	case CEP_REL_COUNCIL: /* a property of the principal, checked by policy_clauses */
		return cep_buf_puts(&w->sql, "1");
	case CEP_REL_OWN_ORG:
		if (!t->org)
			break;
		return column_is(w, t->org, p->org_id);
	case CEP_REL_MINISTRY:
		if (!t->ministry)
			break;
		return column_is(w, t->ministry, p->ministry_id);
	case CEP_REL_SHARED_CEPTOAR:
		if (!t->ceptoars)
			break;
		return ceptoar_in(w, t->ceptoars, p->ceptoars, p->nceptoars);
	case CEP_REL_SECRETARIAT:
		if (!t->ceptoars)
			break;
		return ceptoar_in(w, t->ceptoars, &p->ceptoar_id, 1);
	case CEP_REL_RECIPIENT:
		if (!t->recipient)
			break;
		if (cep_buf_puts(&w->sql, t->recipient) < 0)
			return CEP_ENOMEM;
		return add_arg(w, STORE_TEXT(p->org_id));
	case CEP_REL_SELF:
	case CEP_REL_EX_PLAYER:
	case CEP_REL_EX_CONTROLLER:
	case CEP_REL_EX_EVALUATOR:
	case CEP_REL_EX_ADVISER:
		break;
	}
	return cep_buf_puts(&w->sql, "0");
}

/* Does rel read another table (a subquery per row)? */
static int costly(enum cep_rel rel)
{
	return rel == CEP_REL_SHARED_CEPTOAR || rel == CEP_REL_SECRETARIAT ||
	       rel == CEP_REL_RECIPIENT;
}

int share_where_build(struct share_where *w, const struct cep_principal *p,
		      enum cep_action action, const struct share_table *t)
{
	struct policy_clause c[POLICY_CLAUSES_MAX];
	int n = policy_clauses(p, action, c), rc, k = 0;

	cep_buf_init(&w->sql, 8192);
	w->nargs = 0;
	rc = cep_buf_puts(&w->sql, "(");
	if (n == 0 && rc == 0)
		rc = cep_buf_puts(&w->sql, "0");
	/* SQLite stops at the first clause that holds and the first test of a
	 * clause that fails: the clauses that need a subquery come last, and in
	 * a clause the TLP and scope bounds come before its relation, so that a
	 * row pays for a subquery only when nothing cheaper decides it */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n && rc == 0; i++) {
			int bounded = c[i].min_scope > 0 || c[i].max_tlp < 4;

			if (costly(c[i].rel) != pass)
				continue;
			rc = cep_buf_puts(&w->sql, k++ ? " OR (" : "(");
			if (rc == 0 && bounded) {
				if (t->scope && t->tlp)
					rc = cep_buf_printf(&w->sql, "%s >= %d AND %s <= %d AND ",
							    t->scope, c[i].min_scope, t->tlp,
							    c[i].max_tlp);
				else
					rc = cep_buf_puts(&w->sql, "0 AND ");
			}
			if (rc == 0)
				rc = relation(w, p, c[i].rel, t);
			if (rc == 0)
				rc = cep_buf_puts(&w->sql, ")");
		}
	}
	if (rc == 0)
		rc = cep_buf_puts(&w->sql, ")");
	/* the real world reads as "IS NULL", which the indexes that lead with
	 * the world column answer */
	if (rc == 0 && t->exercise && !p->exercise_id[0])
		rc = cep_buf_printf(&w->sql, " AND %s IS NULL", t->exercise);
	else if (rc == 0 && t->exercise) {
		rc = cep_buf_printf(&w->sql, " AND %s = ?", t->exercise);
		if (rc == 0)
			rc = add_arg(w, STORE_TEXT(p->exercise_id));
	}
	if (rc < 0)
		share_where_free(w);
	return rc;
}

int share_where_and(struct share_where *w, const char *expr, const struct store_arg *args, int n)
{
	int rc = cep_buf_printf(&w->sql, " AND %s", expr);

	for (int i = 0; i < n && rc == 0; i++)
		rc = add_arg(w, args[i]);
	return rc;
}

void share_where_free(struct share_where *w)
{
	cep_buf_free(&w->sql);
	w->nargs = 0;
}
