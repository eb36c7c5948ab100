/* exercise.h - cross-sector exercises (分野横断的演習): a scenario (a Master
 * Scenario Events List of timed injects), its members (player organisations
 * in teams by sector; controllers, evaluators and third-party advisers by
 * user), a scenario clock that runs in real time or faster and can be paused,
 * resumed and advanced, delivery of each inject at its scenario time through
 * the real channels (an alert of the exercise's world: inbox, e-mail,
 * webhook), and the measurement of what the players did (share/world.c logs
 * it at the scenario time) into an after-action report.
 *
 * Players act with the normal tools inside the exercise: the HTTP layer asks
 * exercise_enter() for a principal in the exercise's world (header
 * X-Ceptoar-Exercise), and everything they make stays in that world
 * (core/policy.h). Every function takes the acting principal and asks
 * core/policy with the principal's parts in the exercise. JSON results belong
 * to the caller. Scenario times are seconds from the exercise's start (T+). */
#ifndef CEP_EXERCISE_EXERCISE_H
#define CEP_EXERCISE_EXERCISE_H

#include "base/err.h"
#include "core/page.h"
#include "core/principal.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Caps on what a client controls. */
#define EX_TITLE_MAX 200          /* characters */
#define EX_TEXT_MAX 20000         /* characters of descriptions, notes */
#define EX_FIELD_MAX 2000         /* characters of a short MSEL field */
#define EX_OBJECTIVES_MAX 50
#define EX_INJECTS_MAX 2000       /* per exercise */
#define EX_TARGETS_MAX 200        /* entries of an inject's "to" */
#define EX_MEMBERS_MAX 5000       /* per exercise */
#define EX_SCENARIO_MAX (90 * 86400) /* seconds: the latest scenario time */
#define EX_SPEED_MAX 86400        /* scenario seconds per real second */
#define EX_MSEL_MAX_BYTES (4u << 20) /* an MSEL import */

/* ---- exercises ----
 *
 * Create (NISC, ministry, CEPTOAR secretariat; the caller's org plans and
 * controls it): {"title", "description", "theme", "format": "tabletop"|
 * "functional", "objectives": [text], "cause", "cause_category" (a threat
 * category id: what players must identify), "cause_hidden": bool (the cause is
 * shown to players only once revealed), "speed": 1..EX_SPEED_MAX (default 1),
 * "template": id (copy a built-in template's scenario and injects)}.
 * *ret is the exercise as its controller sees it. */
int exercise_create(struct store *s, const struct cep_principal *p, const json_t *in,
		    json_t **ret, struct cep_error *err);
/* Exercises p has a part in (NISC: all), newest first: {"items": [{"id",
 * "title", "theme", "format", "state", "speed", "scenario_s", "org",
 * "parts": [...]}], "total", "limit", "offset"}. */
int exercise_list(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		  json_t **ret, struct cep_error *err);
/* One exercise for p: its clock ("state", "speed", "scenario_s"), "parts",
 * and, for those who control or evaluate it, "members" and the cause; for
 * players, the cause only once revealed. CEP_ENOTFOUND when p has no part. */
int exercise_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		 struct cep_error *err);
/* Change the plan (controller; not once ended): any of title, description,
 * theme, format, objectives, cause, cause_category, cause_hidden. */
int exercise_update(struct store *s, const struct cep_principal *p, const char *id,
		    const json_t *in, json_t **ret, struct cep_error *err);
/* Delete the exercise whole: its injects, members, notes, measurements and
 * every report, alert, delivery and council post of its world (controller). */
int exercise_delete(struct store *s, const struct cep_principal *p, const char *id,
		    struct cep_error *err);

/* ---- members ----
 * {"role": "player", "org": id or code, "team": text (default: the org's
 * sector)} or {"role": "controller"|"evaluator"|"adviser"|"player", "user":
 * id or name}. Members are listed with names; removal by role and org/user. */
int exercise_member_add(struct store *s, const struct cep_principal *p, const char *id,
			const json_t *in, json_t **ret, struct cep_error *err);
int exercise_member_remove(struct store *s, const struct cep_principal *p, const char *id,
			   const json_t *in, struct cep_error *err);
int exercise_members(struct store *s, const struct cep_principal *p, const char *id,
		     json_t **ret, struct cep_error *err);

/* ---- the world: acting inside an exercise ----
 * Turn p into a principal of exercise id's world (p->exercise_id, and
 * p->exercise_at = the scenario clock now), when p may play in it and it is
 * running or paused, or ended and the request changes nothing (changes 0).
 * CEP_ENOTFOUND when p has no part in it; CEP_ESEMANTIC when it has not
 * started, or has ended and the request would change something. */
int exercise_enter(struct store *s, struct cep_principal *p, const char *id, int changes,
		   struct cep_error *err);

/* ---- the Master Scenario Events List ----
 * An inject: {"seq" (default next), "at" (scenario time: seconds, or "T+3h",
 * "T+1h30m", "90m", "2d"), "type" (free label, e.g. "alert", "message",
 * "report request"), "method": "inbox"|"email"|"webhook"|"phone"|"fax"|"verbal",
 * "from", "to": ["all" | "sector:<id>" | org id or code, ...] (default all
 * players), "title", "description", "expected": ["report","ack","share",
 * "cause"] (measured), "expected_action" (text), "respond_within" (a
 * duration, for the measured expectations), "objective", "controller",
 * "notes", "sub_scenario", "severity"}. Controllers edit pending injects. */
int exercise_injects(struct store *s, const struct cep_principal *p, const char *id,
		     json_t **ret, struct cep_error *err);
int exercise_inject_add(struct store *s, const struct cep_principal *p, const char *id,
			const json_t *in, json_t **ret, struct cep_error *err);
/* Change a pending inject (as add, members given only), or {"state":
 * "skipped"} to leave it out. */
int exercise_inject_update(struct store *s, const struct cep_principal *p, const char *id,
			   const char *inject_id, const json_t *in, json_t **ret,
			   struct cep_error *err);
int exercise_inject_delete(struct store *s, const struct cep_principal *p, const char *id,
			   const char *inject_id, struct cep_error *err);
/* Import an MSEL as CSV (header row with the columns sequence, scenario_time,
 * inject_type, delivery_method, from, to (';' between entries), description,
 * expected_action, objective, controller, notes, and optionally title,
 * sub_scenario, expected (';' between codes), respond_within, severity) or
 * JSON ({"injects": [...]} as exercise_inject_add). replace != 0 drops the
 * pending injects first. All or nothing: the first bad rows are reported as
 * CEP_EINVAL naming the field, with the line (CSV) or index (JSON) in the
 * message and in *ret_errors (may be NULL): [{"line", "field", "message"}]. */
int exercise_msel_import(struct store *s, const struct cep_principal *p, const char *id,
			 const char *data, size_t len, int is_csv, int replace, json_t **ret,
			 json_t **ret_errors, struct cep_error *err);
/* The MSEL as CSV (*ret_csv, caller frees with cep_free) with the columns above. */
int exercise_msel_csv(struct store *s, const struct cep_principal *p, const char *id,
		      char **ret_csv, size_t *ret_len, struct cep_error *err);
/* Scenario generation from the analysis engine: turn the timeline of a
 * finished cascade job ({"job": id of a "run" job p may read, "max_injects":
 * 1..200 (default 20), "per_sector": 1..20 (default 3)}) into pending
 * injects addressed to the players of each affected sector, in the order
 * and at the times the facilities failed ("T+3h: 地域の携帯基地局が…"). The
 * controller edits them before the exercise. *ret: {"added": n, "injects"}. */
int exercise_generate(struct store *s, const struct cep_principal *p, const char *id,
		      const json_t *in, json_t **ret, struct cep_error *err);
/* The built-in scenario templates for the seeds' themes: {"items": [{"id",
 * "year", "title_ja", "title_en", "theme", "format", "injects"}]}. */
int exercise_templates(json_t **ret);

/* ---- the clock ----
 * {"action": "start" (planned -> running), "pause", "resume", "advance"
 * ("to": a scenario time, or "by": a duration; forward only), "speed"
 * ("speed": 1..EX_SPEED_MAX), "end"}. Injects due by the new scenario time
 * are delivered in the same call. *ret is the exercise. */
int exercise_clock(struct store *s, const struct cep_principal *p, const char *id,
		   const json_t *in, json_t **ret, struct cep_error *err);
/* Reveal the hidden cause to the players (an alert of the exercise's world
 * to every player) and record when. */
int exercise_reveal(struct store *s, const struct cep_principal *p, const char *id,
		    json_t **ret, struct cep_error *err);
/* For the delivery worker: deliver every inject due in every running
 * exercise at now_ms (real milliseconds). *ret_done counts injects
 * delivered; *ret_next_ms (may be NULL) is the real time of the next due
 * inject of a running exercise, or 0 when none. */
int exercise_deliver_due(struct store *s, int64_t now_ms, int *ret_done, int64_t *ret_next_ms,
			 struct cep_error *err);

/* ---- players, notes, measurement ----
 * A player's view: the exercise (as exercise_get), the injects delivered to
 * its org with their alerts, and its own actions. */
int exercise_player_view(struct store *s, const struct cep_principal *p, const char *id,
			 json_t **ret, struct cep_error *err);
/* Live player status for controllers: per player org, injects delivered,
 * acknowledged, reports, shares, last action. */
int exercise_status(struct store *s, const struct cep_principal *p, const char *id,
		    json_t **ret, struct cep_error *err);
/* Notes: {"kind": "observation" (evaluators, controllers) | "advice"
 * (advisers) | "lesson" (controllers, evaluators; "owner" and "due"
 * required), "body", "org" (about a player, optional), "inject" (optional)}. */
int exercise_note_add(struct store *s, const struct cep_principal *p, const char *id,
		      const json_t *in, json_t **ret, struct cep_error *err);
int exercise_notes(struct store *s, const struct cep_principal *p, const char *id,
		   json_t **ret, struct cep_error *err);
/* The after-action report (controllers, evaluators, advisers): per inject
 * and player, the scenario times from the inject to the first report, the
 * acknowledgement, the first sharing beyond the sector and the first report
 * naming the right cause, and each expected action met or missed; per
 * participant and per sector: count, mean, median and max of each; the
 * notes; the timeline. */
int exercise_report(struct store *s, const struct cep_principal *p, const char *id,
		    json_t **ret, struct cep_error *err);
/* The report as CSV (one row per inject and player) or as a self-contained
 * HTML page with charts (SVG) and a print layout. *ret (cep_free). */
int exercise_report_csv(const json_t *report, char **ret, size_t *ret_len);
int exercise_report_html(const json_t *report, char **ret, size_t *ret_len);

#endif
