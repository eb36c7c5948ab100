/* schema.c - the migrations, in order. Times are seconds since the epoch (UTC). */
#include "store/schema.h"

static const char migration_1[] =
	/* --- the framework registry (reference data from the seeds, extendable as data) --- */
	"CREATE TABLE ministries ("
	"  id TEXT PRIMARY KEY, name_ja TEXT NOT NULL, name_en TEXT NOT NULL,"
	"  abbrev_en TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE sectors ("
	"  id TEXT PRIMARY KEY, name_ja TEXT NOT NULL, name_en TEXT NOT NULL,"
	"  ministry_id TEXT NOT NULL REFERENCES ministries(id),"
	"  position INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE channels ("
	"  id TEXT PRIMARY KEY, name_ja TEXT NOT NULL, name_en TEXT NOT NULL,"
	"  position INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE ceptoars ("
	"  id TEXT PRIMARY KEY, name_ja TEXT NOT NULL, name_en TEXT NOT NULL,"
	"  sector_id TEXT NOT NULL REFERENCES sectors(id),"
	"  scope_ja TEXT NOT NULL DEFAULT '', scope_en TEXT NOT NULL DEFAULT '',"
	"  group_ja TEXT, secretariat_ja TEXT NOT NULL DEFAULT '',"
	"  secretariat_en TEXT NOT NULL DEFAULT '', members_ja TEXT NOT NULL DEFAULT '',"
	"  members_en TEXT NOT NULL DEFAULT '', member_count_text TEXT NOT NULL DEFAULT '',"
	"  emergency_contact_start TEXT, handling_rules_date TEXT,"
	"  information_ja TEXT NOT NULL DEFAULT '', information_en TEXT NOT NULL DEFAULT '',"
	"  council_member INTEGER NOT NULL DEFAULT 0, council_unit TEXT,"
	"  position INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE ceptoar_channels ("
	"  ceptoar_id TEXT NOT NULL REFERENCES ceptoars(id) ON DELETE CASCADE,"
	"  channel_id TEXT NOT NULL REFERENCES channels(id),"
	"  position INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (ceptoar_id, channel_id));"
	"CREATE TABLE agencies ("
	"  id TEXT PRIMARY KEY, name_ja TEXT NOT NULL, name_en TEXT NOT NULL,"
	"  abbrev_en TEXT NOT NULL DEFAULT '', categories TEXT NOT NULL DEFAULT '',"
	"  position INTEGER NOT NULL DEFAULT 0);"
	/* --- organisations: NISC, ministries, CEPTOAR secretariats, agencies, operators --- */
	"CREATE TABLE orgs ("
	"  id TEXT PRIMARY KEY, code TEXT UNIQUE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('nisc','ministry','ceptoar','operator','agency','other')),"
	"  name_ja TEXT NOT NULL, name_en TEXT NOT NULL DEFAULT '',"
	"  sector_id TEXT REFERENCES sectors(id), ministry_id TEXT REFERENCES ministries(id),"
	"  ceptoar_id TEXT REFERENCES ceptoars(id), agency_id TEXT REFERENCES agencies(id),"
	"  region TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE INDEX orgs_sector ON orgs(sector_id);"
	"CREATE INDEX orgs_kind ON orgs(kind);"
	"CREATE TABLE org_ceptoars ("
	"  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  ceptoar_id TEXT NOT NULL REFERENCES ceptoars(id),"
	"  PRIMARY KEY (org_id, ceptoar_id));"
	"CREATE INDEX org_ceptoars_ceptoar ON org_ceptoars(ceptoar_id);"
	/* 重要インフラサービス with サービスレベル and 検証レベル (seed 004 notes 6-9) */
	"CREATE TABLE services ("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  name_ja TEXT NOT NULL, name_en TEXT NOT NULL DEFAULT '',"
	"  service_level TEXT NOT NULL DEFAULT '', verification_level TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX services_org ON services(org_id);"
	/* 重要システム: readable only by the operator, its ministry and NISC */
	"CREATE TABLE systems ("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  service_id TEXT REFERENCES services(id) ON DELETE SET NULL,"
	"  name_ja TEXT NOT NULL, name_en TEXT NOT NULL DEFAULT '',"
	"  description TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL);"
	"CREATE INDEX systems_org ON systems(org_id);"
	/* --- identities --- */
	"CREATE TABLE users ("
	"  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  role TEXT NOT NULL CHECK (role IN ('admin','nisc','ministry','ceptoar','operator','agency','auditor')),"
	"  display_name TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',"
	"  password_hash TEXT, disabled INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE INDEX users_org ON users(org_id);"
	"CREATE TABLE tokens ("
	"  id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),"
	"  label TEXT NOT NULL DEFAULT '', hash TEXT NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER,"
	"  last_used_at INTEGER);"
	"CREATE INDEX tokens_user ON tokens(user_id);"
	"CREATE TABLE sessions ("
	"  id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),"
	"  hash TEXT NOT NULL UNIQUE, csrf TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER);"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	/* --- tamper-evident audit trail: hash = SHA-256(prev_hash | fields) --- */
	"CREATE TABLE audit ("
	"  seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, actor TEXT NOT NULL,"
	"  action TEXT NOT NULL, object_type TEXT NOT NULL, object_id TEXT NOT NULL,"
	"  detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);";


/* Migration 2: the information-sharing system (情報共有体制): the threat
 * taxonomy of seed 004, IT-failure reports with versions, indicators and
 * attachments, alerts with their audience, deliveries and acknowledgements,
 * the outbox of work done off the request thread. */
static const char migration_2[] =
	"CREATE TABLE threat_categories ("
	"  id TEXT PRIMARY KEY, name_ja TEXT NOT NULL, name_en TEXT NOT NULL,"
	"  position INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE threat_types ("
	"  id TEXT PRIMARY KEY, category_id TEXT NOT NULL REFERENCES threat_categories(id),"
	"  name_ja TEXT NOT NULL, name_en TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0);"
	/* A report is its current version; report_versions keeps every version. */
	"CREATE TABLE reports ("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  sector_id TEXT NOT NULL REFERENCES sectors(id),"
	"  ministry_id TEXT NOT NULL REFERENCES ministries(id),"
	"  version INTEGER NOT NULL, status TEXT NOT NULL"
	"   CHECK (status IN ('first','update','recovered','final')),"
	"  title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
	"  occurred_at INTEGER, detected_at INTEGER,"
	"  service_id TEXT REFERENCES services(id) ON DELETE SET NULL,"
	"  system_id TEXT REFERENCES systems(id) ON DELETE SET NULL,"
	"  cause_category TEXT REFERENCES threat_categories(id),"
	"  threat_types TEXT NOT NULL DEFAULT '',"
	"  service_impact TEXT NOT NULL DEFAULT '',"
	"  verification_breached INTEGER NOT NULL DEFAULT 0,"
	"  cause_analysis TEXT NOT NULL DEFAULT '', recurrence_prevention TEXT NOT NULL DEFAULT '',"
	"  scope INTEGER NOT NULL CHECK (scope BETWEEN 0 AND 3),"
	"  tlp INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),"
	"  handling INTEGER NOT NULL DEFAULT 0, classification TEXT NOT NULL DEFAULT 'none',"
	"  show_name INTEGER NOT NULL DEFAULT 0,"
	"  created_by TEXT NOT NULL, updated_by TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE INDEX reports_updated ON reports(updated_at DESC);"
	"CREATE INDEX reports_org ON reports(org_id);"
	"CREATE INDEX reports_ministry ON reports(ministry_id);"
	"CREATE TABLE report_ceptoars ("
	"  report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
	"  ceptoar_id TEXT NOT NULL REFERENCES ceptoars(id),"
	"  PRIMARY KEY (report_id, ceptoar_id));"
	"CREATE INDEX report_ceptoars_ceptoar ON report_ceptoars(ceptoar_id);"
	"CREATE TABLE report_versions ("
	"  report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
	"  version INTEGER NOT NULL, body TEXT NOT NULL, created_by TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL, PRIMARY KEY (report_id, version));"
	/* Indicators of reports and alerts, normalised for correlation. */
	"CREATE TABLE indicators ("
	"  id INTEGER PRIMARY KEY, owner_type TEXT NOT NULL CHECK (owner_type IN ('report','alert')),"
	"  owner_id TEXT NOT NULL, type TEXT NOT NULL"
	"   CHECK (type IN ('ip','domain','url','hash','cve','text')),"
	"  value TEXT NOT NULL, norm TEXT NOT NULL);"
	"CREATE INDEX indicators_owner ON indicators(owner_type, owner_id);"
	"CREATE INDEX indicators_norm ON indicators(type, norm);"
	"CREATE TABLE attachments ("
	"  id TEXT PRIMARY KEY, report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL, content_type TEXT NOT NULL, size INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL, data BLOB NOT NULL, created_by TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX attachments_report ON attachments(report_id);"
	/* 情報提供: alerts, their audience, one delivery per receiving org. */
	"CREATE TABLE alerts ("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  created_by TEXT NOT NULL,"
	"  severity TEXT NOT NULL CHECK (severity IN ('info','low','medium','high','critical')),"
	"  title_ja TEXT NOT NULL, title_en TEXT NOT NULL DEFAULT '',"
	"  body_ja TEXT NOT NULL, body_en TEXT NOT NULL DEFAULT '',"
	"  actions TEXT NOT NULL DEFAULT '', refs TEXT NOT NULL DEFAULT '[]',"
	"  audience TEXT NOT NULL, tlp INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),"
	"  handling INTEGER NOT NULL DEFAULT 0, classification TEXT NOT NULL DEFAULT 'none',"
	"  ack_deadline INTEGER, fanout_state TEXT NOT NULL DEFAULT 'pending'"
	"   CHECK (fanout_state IN ('pending','done','failed')),"
	"  recipients INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX alerts_created ON alerts(created_at DESC);"
	"CREATE TABLE alert_audience ("
	"  alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('all','sector','ceptoar','org')),"
	"  target TEXT NOT NULL DEFAULT '', PRIMARY KEY (alert_id, kind, target));"
	"CREATE TABLE deliveries ("
	"  id INTEGER PRIMARY KEY, alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id), ceptoar_id TEXT,"
	"  sent_at INTEGER NOT NULL, opened_at INTEGER, opened_by TEXT,"
	"  acked_at INTEGER, acked_by TEXT, escalated_at INTEGER,"
	"  UNIQUE (alert_id, org_id));"
	"CREATE INDEX deliveries_org ON deliveries(org_id, sent_at DESC);"
	"CREATE INDEX deliveries_alert_ceptoar ON deliveries(alert_id, ceptoar_id);"
	/* Work done off the request thread (fan-out, e-mail, webhooks), durable:
	 * a job is done exactly once or marked failed after its attempts. */
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','done','failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,"
	"  last_error TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL,"
	"  done_at INTEGER);"
	"CREATE INDEX outbox_pending ON outbox(state, next_at);";

/* Migration 3: signed alerts (Ed25519 installation keys), full-text search
 * over reports (FTS5 trigram, kept in step by the share service: triggers on a
 * virtual table are refused with trusted_schema off), the correlation
 * exclusion list, the CEPTOAR Council space, large-scale incidents. */
static const char migration_3[] =
	"CREATE TABLE sign_keys ("
	"  id TEXT PRIMARY KEY, public_key TEXT NOT NULL, secret_key TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL, retired_at INTEGER);"
	"ALTER TABLE alerts ADD COLUMN key_id TEXT;"
	"ALTER TABLE alerts ADD COLUMN signature TEXT;"
	"ALTER TABLE alerts ADD COLUMN incident_id TEXT;"
	"ALTER TABLE reports ADD COLUMN incident_id TEXT;"
	"CREATE VIRTUAL TABLE reports_fts USING fts5(title, description,"
	"  content='reports', content_rowid='rowid', tokenize='trigram');"
	"INSERT INTO reports_fts (rowid, title, description) SELECT rowid, title, description FROM reports;"
	"CREATE TABLE correlation_exclusions ("
	"  type TEXT NOT NULL, norm TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (type, norm));"
	"CREATE TABLE council_posts ("
	"  id TEXT PRIMARY KEY, parent_id TEXT REFERENCES council_posts(id) ON DELETE CASCADE,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id), created_by TEXT NOT NULL,"
	"  title TEXT NOT NULL DEFAULT '', body TEXT NOT NULL,"
	"  tlp INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),"
	"  shared_with_government INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX council_posts_parent ON council_posts(parent_id, created_at);"
	"CREATE TABLE incidents ("
	"  id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
	"  state TEXT NOT NULL CHECK (state IN ('open','closed')),"
	"  ack_hours INTEGER NOT NULL DEFAULT 2, sitrep_minutes INTEGER NOT NULL DEFAULT 60,"
	"  declared_by TEXT NOT NULL, declared_at INTEGER NOT NULL,"
	"  closed_by TEXT, closed_at INTEGER);"
	"CREATE TABLE incident_sitreps ("
	"  id INTEGER PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents(id),"
	"  body TEXT NOT NULL, created_at INTEGER NOT NULL);";

/* Migration 4: delivery channels. Contacts of an organisation (e-mail,
 * webhook, phone, FAX); one send per delivery and e-mail/webhook contact
 * (reason 'alert' at fan-out, 'escalation' at the acknowledgement deadline)
 * with every attempt kept in send_attempts; phone/FAX deliveries logged by a
 * secretariat; notices (escalation flags) for the sender and the secretariat.
 * A send is 'sending' only under a lease (lease_until): a worker that died
 * mid-send leaves it to be taken again after the lease. */
static const char migration_4[] =
	"CREATE TABLE contacts ("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  channel TEXT NOT NULL CHECK (channel IN ('email','webhook','phone','fax')),"
	"  address TEXT NOT NULL, secret TEXT NOT NULL DEFAULT '',"
	"  label TEXT NOT NULL DEFAULT '', active INTEGER NOT NULL DEFAULT 1,"
	"  created_by TEXT NOT NULL, created_at INTEGER NOT NULL, deleted_at INTEGER);"
	"CREATE INDEX contacts_org ON contacts(org_id, active);"
	"CREATE TABLE sends ("
	"  id INTEGER PRIMARY KEY,"
	"  delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,"
	"  contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
	"  channel TEXT NOT NULL CHECK (channel IN ('email','webhook')),"
	"  reason TEXT NOT NULL DEFAULT 'alert' CHECK (reason IN ('alert','escalation')),"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"   CHECK (state IN ('pending','sending','sent','failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, lease_until INTEGER,"
	"  last_error TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, sent_at INTEGER,"
	"  UNIQUE (delivery_id, contact_id, reason));"
	"CREATE INDEX sends_due ON sends(state, next_at);"
	"CREATE TABLE send_attempts ("
	"  send_id INTEGER NOT NULL REFERENCES sends(id) ON DELETE CASCADE,"
	"  attempt INTEGER NOT NULL, attempted_at INTEGER NOT NULL, ok INTEGER NOT NULL,"
	"  error TEXT NOT NULL DEFAULT '', PRIMARY KEY (send_id, attempt));"
	"CREATE TABLE manual_deliveries ("
	"  id INTEGER PRIMARY KEY,"
	"  delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,"
	"  contact_id TEXT REFERENCES contacts(id) ON DELETE SET NULL,"
	"  channel TEXT NOT NULL CHECK (channel IN ('phone','fax')),"
	"  note TEXT NOT NULL DEFAULT '', logged_by TEXT NOT NULL, logged_at INTEGER NOT NULL);"
	"CREATE INDEX manual_deliveries_delivery ON manual_deliveries(delivery_id);"
	"CREATE TABLE notices ("
	"  id INTEGER PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('escalation')),"
	"  alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,"
	"  delivery_id INTEGER REFERENCES deliveries(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL, UNIQUE (org_id, kind, delivery_id));"
	"CREATE INDEX notices_org ON notices(org_id, created_at DESC);"
	"CREATE INDEX deliveries_escalation ON deliveries(escalated_at, acked_at);";

/* 5: interdependency analysis (相互依存性解析): facility models uploaded by
 * analysts, jobs run on them off the request threads with their progress, and
 * the files each job wrote (JSON, CSV, SVG). */
static const char migration_5[] =
	"CREATE TABLE sim_models ("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,"
	"  nodes INTEGER NOT NULL, dependencies INTEGER NOT NULL, links INTEGER NOT NULL,"
	"  data BLOB NOT NULL, created_by TEXT NOT NULL, created_at INTEGER NOT NULL);"
	"CREATE INDEX sim_models_org ON sim_models(org_id, created_at DESC);"
	"CREATE TABLE sim_jobs ("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('iim','diim','run','sweep','rank')),"
	"  model_id TEXT REFERENCES sim_models(id) ON DELETE SET NULL,"
	"  options TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'queued'"
	"   CHECK (state IN ('queued','running','done','failed','cancelled')),"
	"  cancel INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0,"
	"  total INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '', result TEXT,"
	"  created_by TEXT NOT NULL, created_at INTEGER NOT NULL, started_at INTEGER,"
	"  finished_at INTEGER);"
	"CREATE INDEX sim_jobs_state ON sim_jobs(state, created_at);"
	"CREATE INDEX sim_jobs_org ON sim_jobs(org_id, created_at DESC);"
	"CREATE TABLE sim_files ("
	"  job_id TEXT NOT NULL REFERENCES sim_jobs(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL, content_type TEXT NOT NULL, data BLOB NOT NULL,"
	"  PRIMARY KEY (job_id, name));";

/* 6: the search index holds its own copy of each report's text and its
 * indicator values, so that a search is one index scan in report order
 * (newest first, stopping at the page) instead of a set of every match. */
static const char migration_6[] =
	"DROP TABLE reports_fts;"
	"CREATE VIRTUAL TABLE reports_fts USING fts5(title, description, indicators,"
	"  tokenize='trigram');"
	"INSERT INTO reports_fts (rowid, title, description, indicators)"
	" SELECT r.rowid, r.title, r.description, coalesce((SELECT group_concat(i.norm, ' ')"
	" FROM indicators i WHERE i.owner_type = 'report' AND i.owner_id = r.id), '')"
	" FROM reports r;";

/* 7: the columns that decide who may see a report, in one index, so that
 * counting what a reader may see reads that index and not the reports. */
static const char migration_7[] =
	"CREATE INDEX reports_visibility ON reports(scope, tlp, org_id, ministry_id, id);";

/* 8: exercises (訓練). Reports, alerts, deliveries and council posts gain the
 * world they were made in (exercise_id: NULL for the real one), which leads
 * the indexes that real lists read, so keeping exercises out costs nothing.
 * An exercise: its scenario clock (clock_s scenario seconds at clock_ms, then
 * speed scenario seconds per real second while running), its members, its
 * Master Scenario Events List (injects), what its players did (actions,
 * written by the sharing service at the scenario time), and the evaluators'
 * and advisers' notes and lessons. Deleting an exercise deletes all of it. */
static const char migration_8[] =
	"ALTER TABLE reports ADD COLUMN exercise_id TEXT;"
	"ALTER TABLE alerts ADD COLUMN exercise_id TEXT;"
	"ALTER TABLE deliveries ADD COLUMN exercise_id TEXT;"
	"ALTER TABLE council_posts ADD COLUMN exercise_id TEXT;"
	"DROP INDEX reports_visibility;"
	"CREATE INDEX reports_visibility ON reports(exercise_id, scope, tlp, org_id, ministry_id, id);"
	"DROP INDEX deliveries_org;"
	"CREATE INDEX deliveries_org ON deliveries(org_id, exercise_id, sent_at DESC);"
	"CREATE INDEX alerts_exercise ON alerts(exercise_id);"
	"CREATE INDEX council_posts_exercise ON council_posts(exercise_id);"
	"CREATE TABLE exercises ("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
	"  theme TEXT NOT NULL DEFAULT '',"
	"  format TEXT NOT NULL DEFAULT 'functional' CHECK (format IN ('tabletop','functional')),"
	"  objectives TEXT NOT NULL DEFAULT '[]',"
	"  cause TEXT NOT NULL DEFAULT '', cause_category TEXT, cause_hidden INTEGER NOT NULL DEFAULT 0,"
	"  revealed_s INTEGER,"
	"  state TEXT NOT NULL DEFAULT 'planned'"
	"   CHECK (state IN ('planned','running','paused','ended')),"
	"  speed INTEGER NOT NULL DEFAULT 1, clock_s INTEGER NOT NULL DEFAULT 0,"
	"  clock_ms INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL, created_at INTEGER NOT NULL, started_at INTEGER,"
	"  ended_at INTEGER);"
	"CREATE INDEX exercises_state ON exercises(state);"
	"CREATE TABLE exercise_members ("
	"  exercise_id TEXT NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL CHECK (role IN ('player','controller','evaluator','adviser')),"
	"  org_id TEXT NOT NULL DEFAULT '', user_id TEXT NOT NULL DEFAULT '',"
	"  team TEXT NOT NULL DEFAULT '', PRIMARY KEY (exercise_id, role, org_id, user_id));"
	"CREATE INDEX exercise_members_org ON exercise_members(org_id);"
	"CREATE INDEX exercise_members_user ON exercise_members(user_id);"
	/* the organisations that play: those named, and those of the users named */
	"CREATE VIEW exercise_player_orgs AS"
	" SELECT exercise_id, org_id, team FROM exercise_members"
	"  WHERE role = 'player' AND org_id <> ''"
	" UNION SELECT m.exercise_id, u.org_id, coalesce(o.sector_id, '') FROM exercise_members m"
	"  JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = u.org_id"
	"  WHERE m.role = 'player' AND m.user_id <> '';"
	"CREATE TABLE exercise_injects ("
	"  id TEXT PRIMARY KEY,"
	"  exercise_id TEXT NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL, at_s INTEGER NOT NULL, type TEXT NOT NULL DEFAULT 'message',"
	"  method TEXT NOT NULL DEFAULT 'inbox', sender TEXT NOT NULL DEFAULT '',"
	"  targets TEXT NOT NULL DEFAULT '[\"all\"]', title TEXT NOT NULL,"
	"  description TEXT NOT NULL DEFAULT '', expected TEXT NOT NULL DEFAULT '[]',"
	"  expected_action TEXT NOT NULL DEFAULT '', respond_within_s INTEGER,"
	"  objective TEXT NOT NULL DEFAULT '', controller TEXT NOT NULL DEFAULT '',"
	"  notes TEXT NOT NULL DEFAULT '', sub_scenario TEXT NOT NULL DEFAULT '',"
	"  severity TEXT NOT NULL DEFAULT 'high',"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','delivered','skipped')),"
	"  delivered_at INTEGER, alert_id TEXT, UNIQUE (exercise_id, seq));"
	"CREATE INDEX exercise_injects_due ON exercise_injects(state, exercise_id, at_s);"
	"CREATE TABLE exercise_actions ("
	"  id INTEGER PRIMARY KEY,"
	"  exercise_id TEXT NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,"
	"  at_s INTEGER NOT NULL, real_at INTEGER NOT NULL, org_id TEXT NOT NULL,"
	"  user_id TEXT NOT NULL DEFAULT '',"
	"  kind TEXT NOT NULL CHECK (kind IN ('report','share','ack','alert')),"
	"  ref TEXT NOT NULL DEFAULT '', cause TEXT);"
	"CREATE INDEX exercise_actions_org ON exercise_actions(exercise_id, org_id, kind, at_s);"
	"CREATE TABLE exercise_notes ("
	"  id TEXT PRIMARY KEY,"
	"  exercise_id TEXT NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('observation','advice','lesson')),"
	"  author TEXT NOT NULL, org_id TEXT NOT NULL DEFAULT '', inject_id TEXT NOT NULL DEFAULT '',"
	"  body TEXT NOT NULL, owner TEXT NOT NULL DEFAULT '', due TEXT NOT NULL DEFAULT '',"
	"  at_s INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);"
	"CREATE INDEX exercise_notes_exercise ON exercise_notes(exercise_id, created_at);";

/* 9: CEPTOAR drills (セプター訓練): a drill sends a test message to every member
 * organisation of a CEPTOAR (or of every CEPTOAR) over each channel; one target
 * per member and channel (the web inbox always, and each active e-mail or
 * webhook contact), sent by the delivery worker under a lease like the sends of
 * alerts, 'bounced' when the mail server refuses the address for good. An
 * acknowledgement token is kept only as its SHA-256 (drill_tokens: every token
 * a target was sent stays valid). Nothing here is read by the sharing system. */
static const char migration_9[] =
	"CREATE TABLE drills ("
	"  id TEXT PRIMARY KEY, ceptoar_id TEXT REFERENCES ceptoars(id),"
	"  ministry_id TEXT, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  started_by TEXT NOT NULL, title TEXT NOT NULL,"
	"  message_ja TEXT NOT NULL, message_en TEXT NOT NULL DEFAULT '',"
	"  deadline_at INTEGER NOT NULL,"
	"  fanout_state TEXT NOT NULL DEFAULT 'pending' CHECK (fanout_state IN ('pending','done')),"
	"  members INTEGER NOT NULL DEFAULT 0, targets INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL, fanout_at INTEGER);"
	"CREATE INDEX drills_ceptoar ON drills(ceptoar_id, created_at);"
	"CREATE INDEX drills_created ON drills(created_at DESC);"
	"CREATE INDEX drills_fanout ON drills(fanout_state, created_at);"
	"CREATE TABLE drill_targets ("
	"  id INTEGER PRIMARY KEY, drill_id TEXT NOT NULL REFERENCES drills(id) ON DELETE CASCADE,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  channel TEXT NOT NULL CHECK (channel IN ('inbox','email','webhook')),"
	"  contact_id TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '',"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"   CHECK (state IN ('pending','sending','sent','failed','bounced')),"
	"  attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, lease_until INTEGER,"
	"  last_error TEXT NOT NULL DEFAULT '', reached_at INTEGER, acked_at INTEGER,"
	"  acked_via TEXT, acked_by TEXT, created_at INTEGER NOT NULL,"
	"  UNIQUE (drill_id, org_id, channel, contact_id));"
	"CREATE INDEX drill_targets_due ON drill_targets(state, next_at);"
	"CREATE INDEX drill_targets_org ON drill_targets(org_id, drill_id);"
	"CREATE TABLE drill_tokens ("
	"  hash TEXT PRIMARY KEY,"
	"  target_id INTEGER NOT NULL REFERENCES drill_targets(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL);";

/* 10: the Guideline for safety standards (指針) as versioned editions, the
 * sectors' safety-standards documents (安全基準等) mapped to its items, and the
 * yearly penetration survey (浸透状況調査): campaigns, questions, respondents
 * and answers. */
static const char migration_10[] =
	"CREATE TABLE guideline_editions ("
	"  edition TEXT PRIMARY KEY, uuid TEXT NOT NULL, title_ja TEXT NOT NULL,"
	"  title_en TEXT NOT NULL DEFAULT '', published TEXT NOT NULL DEFAULT '',"
	"  last_modified TEXT NOT NULL, oscal_version TEXT NOT NULL DEFAULT '1.1.2',"
	"  builtin INTEGER NOT NULL DEFAULT 0, loaded_by TEXT NOT NULL, loaded_at INTEGER NOT NULL);"
	"CREATE TABLE guideline_items ("
	"  edition TEXT NOT NULL REFERENCES guideline_editions(edition) ON DELETE CASCADE,"
	"  id TEXT NOT NULL, parent TEXT,"
	"  kind TEXT NOT NULL CHECK (kind IN ('section','pillar','priority','item')),"
	"  label TEXT NOT NULL DEFAULT '', title_ja TEXT NOT NULL, title_en TEXT NOT NULL DEFAULT '',"
	"  text_ja TEXT NOT NULL DEFAULT '', text_en TEXT NOT NULL DEFAULT '',"
	"  mark TEXT CHECK (mark IN ('must','reference')), position INTEGER NOT NULL,"
	"  PRIMARY KEY (edition, id));"
	"CREATE TABLE standard_documents ("
	"  id TEXT PRIMARY KEY, sector_id TEXT NOT NULL REFERENCES sectors(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('mandatory','recommended','industry','internal')),"
	"  title_ja TEXT NOT NULL, title_en TEXT NOT NULL DEFAULT '', owner TEXT NOT NULL,"
	"  public INTEGER NOT NULL, nonpublic_reason TEXT NOT NULL DEFAULT '',"
	"  version TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE INDEX standard_documents_sector ON standard_documents(sector_id, public);"
	"CREATE TABLE standard_mappings ("
	"  document_id TEXT NOT NULL REFERENCES standard_documents(id) ON DELETE CASCADE,"
	"  item_id TEXT NOT NULL, public INTEGER NOT NULL DEFAULT 1,"
	"  nonpublic_reason TEXT NOT NULL DEFAULT '', PRIMARY KEY (document_id, item_id));"
	"CREATE INDEX standard_mappings_item ON standard_mappings(item_id);"
	"CREATE TABLE surveys ("
	"  id TEXT PRIMARY KEY, sector_id TEXT NOT NULL REFERENCES sectors(id),"
	"  year INTEGER NOT NULL, edition TEXT NOT NULL, title_ja TEXT NOT NULL,"
	"  title_en TEXT NOT NULL DEFAULT '', org_id TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft','open','closed')),"
	"  deadline_at INTEGER NOT NULL, remind_days INTEGER NOT NULL DEFAULT 7,"
	"  min_respondents INTEGER NOT NULL, alert_id TEXT, reminders INTEGER NOT NULL DEFAULT 0,"
	"  reminded_at INTEGER, created_by TEXT NOT NULL, created_at INTEGER NOT NULL,"
	"  opened_at INTEGER, closed_at INTEGER, UNIQUE (sector_id, year));"
	"CREATE INDEX surveys_state ON surveys(state, deadline_at);"
	"CREATE TABLE survey_questions ("
	"  survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,"
	"  qid TEXT NOT NULL, item_id TEXT, pillar TEXT NOT NULL DEFAULT '', mark TEXT,"
	"  title_ja TEXT NOT NULL, title_en TEXT NOT NULL DEFAULT '',"
	"  text_ja TEXT NOT NULL DEFAULT '', extra INTEGER NOT NULL DEFAULT 0,"
	"  added_by TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL,"
	"  PRIMARY KEY (survey_id, qid));"
	"CREATE TABLE survey_respondents ("
	"  survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id), submitted_at INTEGER, submitted_by TEXT,"
	"  reminded_at INTEGER, PRIMARY KEY (survey_id, org_id));"
	"CREATE INDEX survey_respondents_org ON survey_respondents(org_id);"
	"CREATE TABLE survey_answers ("
	"  survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,"
	"  org_id TEXT NOT NULL, qid TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('implemented','partly','planned','not','na')),"
	"  evidence TEXT NOT NULL DEFAULT '', answered_by TEXT NOT NULL, answered_at INTEGER NOT NULL,"
	"  PRIMARY KEY (survey_id, org_id, qid));";

/* 11: the PDCA of the action plan (行動計画) and of each year's plan (年度計画):
 * plans, their pillars (施策の柱) and measures (具体的施策) with their owner
 * organisations (NISC and the ministries), the owners' half-yearly progress
 * reports, the year-end evaluation of each measure (grade A, A with a
 * staffing caveat, B+, B, C or -, by NISC), and the evaluation indicators
 * (評価指標) of each area with their yearly values. */
static const char migration_11[] =
	"CREATE TABLE plans ("
	"  id TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('action-plan','yearly')),"
	"  year INTEGER, period TEXT NOT NULL DEFAULT '',"
	"  title_ja TEXT NOT NULL, title_en TEXT NOT NULL DEFAULT '',"
	"  parent_id TEXT REFERENCES plans(id) ON DELETE SET NULL,"
	"  source TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL, created_at INTEGER NOT NULL);"
	"CREATE TABLE plan_pillars ("
	"  id TEXT PRIMARY KEY, plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
	"  code TEXT NOT NULL, title_ja TEXT NOT NULL, title_en TEXT NOT NULL DEFAULT '',"
	"  position INTEGER NOT NULL DEFAULT 0, UNIQUE (plan_id, code));"
	"CREATE TABLE plan_measures ("
	"  id TEXT PRIMARY KEY, plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
	"  pillar_id TEXT NOT NULL REFERENCES plan_pillars(id) ON DELETE CASCADE,"
	"  code TEXT NOT NULL, title_ja TEXT NOT NULL, title_en TEXT NOT NULL DEFAULT '',"
	"  target_ja TEXT NOT NULL DEFAULT '', target_en TEXT NOT NULL DEFAULT '',"
	"  deadline TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL DEFAULT 0,"
	"  grade TEXT CHECK (grade IN ('A','A-staffing','B+','B','C','-')),"
	"  grade_comment TEXT NOT NULL DEFAULT '', evaluated_by TEXT, evaluated_at INTEGER,"
	"  UNIQUE (plan_id, code));"
	"CREATE INDEX plan_measures_plan ON plan_measures(plan_id, position);"
	"CREATE TABLE plan_measure_owners ("
	"  measure_id TEXT NOT NULL REFERENCES plan_measures(id) ON DELETE CASCADE,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  PRIMARY KEY (measure_id, org_id));"
	"CREATE INDEX plan_measure_owners_org ON plan_measure_owners(org_id);"
	"CREATE TABLE plan_progress ("
	"  id TEXT PRIMARY KEY,"
	"  measure_id TEXT NOT NULL REFERENCES plan_measures(id) ON DELETE CASCADE,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  year INTEGER NOT NULL, half TEXT NOT NULL CHECK (half IN ('H1','H2')),"
	"  status TEXT NOT NULL CHECK (status IN ('not-started','on-track','delayed','completed')),"
	"  note TEXT NOT NULL DEFAULT '', created_by TEXT NOT NULL, created_at INTEGER NOT NULL,"
	"  UNIQUE (measure_id, org_id, year, half));"
	"CREATE TABLE plan_indicators ("
	"  id TEXT PRIMARY KEY, plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
	"  area TEXT NOT NULL, name_ja TEXT NOT NULL, name_en TEXT NOT NULL DEFAULT '',"
	"  unit TEXT NOT NULL DEFAULT '',"
	"  better TEXT NOT NULL DEFAULT 'higher' CHECK (better IN ('higher','lower')),"
	"  position INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);"
	"CREATE TABLE plan_indicator_values ("
	"  indicator_id TEXT NOT NULL REFERENCES plan_indicators(id) ON DELETE CASCADE,"
	"  year INTEGER NOT NULL, value REAL NOT NULL, note TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL, created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (indicator_id, year));";

/* 12: a drill may also list its members' phone and FAX contacts as targets
 * (drills.manual: "phone", "fax" or both, comma-separated), called or faxed by
 * the secretariat, who records each outcome by hand with a note (no token,
 * never sent by the worker). SQLite cannot widen a CHECK in place:
 * drill_targets and drill_tokens (which refers to it) are made again and
 * their rows copied. */
static const char migration_12[] =
	"ALTER TABLE drills ADD COLUMN manual TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE drill_targets_new ("
	"  id INTEGER PRIMARY KEY, drill_id TEXT NOT NULL REFERENCES drills(id) ON DELETE CASCADE,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  channel TEXT NOT NULL CHECK (channel IN ('inbox','email','webhook','phone','fax')),"
	"  contact_id TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '',"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"   CHECK (state IN ('pending','sending','sent','failed','bounced')),"
	"  attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, lease_until INTEGER,"
	"  last_error TEXT NOT NULL DEFAULT '', reached_at INTEGER, acked_at INTEGER,"
	"  acked_via TEXT, acked_by TEXT, created_at INTEGER NOT NULL,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (drill_id, org_id, channel, contact_id));"
	"INSERT INTO drill_targets_new (id, drill_id, org_id, channel, contact_id, address, state,"
	"  attempts, next_at, lease_until, last_error, reached_at, acked_at, acked_via, acked_by,"
	"  created_at)"
	" SELECT id, drill_id, org_id, channel, contact_id, address, state, attempts, next_at,"
	"  lease_until, last_error, reached_at, acked_at, acked_via, acked_by, created_at"
	" FROM drill_targets;"
	"CREATE TABLE drill_tokens_new ("
	"  hash TEXT PRIMARY KEY,"
	"  target_id INTEGER NOT NULL REFERENCES drill_targets_new(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL);"
	"INSERT INTO drill_tokens_new SELECT * FROM drill_tokens;"
	"DROP TABLE drill_tokens;"
	"DROP TABLE drill_targets;"
	"ALTER TABLE drill_targets_new RENAME TO drill_targets;"
	"ALTER TABLE drill_tokens_new RENAME TO drill_tokens;"
	"CREATE INDEX drill_targets_due ON drill_targets(state, next_at);"
	"CREATE INDEX drill_targets_org ON drill_targets(org_id, drill_id);";

const char *const store_migrations[] = {
	migration_1,
	migration_2,
	migration_3,
	migration_4,
	migration_5,
	migration_6,
	migration_7,
	migration_8,
	migration_9,
	migration_10,
	migration_11,
	migration_12,
};

const int store_migration_count = (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
