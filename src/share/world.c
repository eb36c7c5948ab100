/* world.c - the worlds of the sharing system: the real one, and one per
 * exercise (訓練). An exercise's reports, alerts, deliveries and council posts
 * are made with the normal tools by principals acting in it; this file holds
 * what the rest of share/ needs to keep them apart: the bound value of a
 * principal's world, the log of what players did (for the exercise's
 * measurements) and the deletion of a whole world. */
#include "share/internal.h"

#include "base/clock.h"

#include <stdio.h>
#include <string.h>

void share_object_of_world(const struct cep_principal *p, struct cep_object *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->exercise_id, sizeof(o->exercise_id), "%s", p->exercise_id);
}

struct store_arg share_world(const struct cep_principal *p)
{
	return STORE_TEXT(p->exercise_id[0] ? p->exercise_id : NULL);
}

int share_world_log(struct store *s, const struct cep_principal *p, const char *kind,
		    const char *ref, const char *cause)
{
	if (!p->exercise_id[0])
		return 0;
	return store_run(s,
			 "INSERT INTO exercise_actions (exercise_id, at_s, real_at, org_id, user_id,"
			 " kind, ref, cause) VALUES (?,?,?,?,?,?,?,?)",
			 (struct store_arg[]){ STORE_TEXT(p->exercise_id),
					       STORE_INT(p->exercise_at), STORE_INT(cep_now()),
					       STORE_TEXT(p->org_id), STORE_TEXT(p->user_id),
					       STORE_TEXT(kind), STORE_TEXT(ref ? ref : ""),
					       STORE_TEXT(cause && *cause ? cause : NULL) },
			 8);
}

int share_world_delete(struct store *s, const char *exercise_id)
{
	static const char *const steps[] = {
		/* what has no foreign key to its owner first */
		"DELETE FROM reports_fts WHERE rowid IN (SELECT rowid FROM reports"
		" WHERE exercise_id = ?)",
		"DELETE FROM indicators WHERE owner_type = 'report' AND owner_id IN"
		" (SELECT id FROM reports WHERE exercise_id = ?)",
		"DELETE FROM indicators WHERE owner_type = 'alert' AND owner_id IN"
		" (SELECT id FROM alerts WHERE exercise_id = ?)",
		"DELETE FROM outbox WHERE ref IN (SELECT id FROM alerts WHERE exercise_id = ?)",
		/* versions, attachments, memberships, audiences, deliveries, sends,
		 * attempts, manual deliveries and notices go with their owners */
		"DELETE FROM reports WHERE exercise_id = ?",
		"DELETE FROM alerts WHERE exercise_id = ?",
		"DELETE FROM council_posts WHERE exercise_id = ?",
	};
	int rc = 0;

	if (!exercise_id || !*exercise_id)
		return CEP_EINVAL; /* never the real world */
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) && rc == 0; i++)
		rc = store_run(s, steps[i], (struct store_arg[]){ STORE_TEXT(exercise_id) }, 1);
	return rc;
}
