/* contacts.c - delivery channels: an organisation's contacts (e-mail,
 * webhook, phone, FAX), phone/FAX deliveries logged by hand, a delivery's
 * channel record, and the notices of escalations. The queue of sends the
 * delivery worker works off, and escalation itself, are in sends.c.
 *
 * The policy has no contact actions (yet); the existing ones are read as:
 * admin = who may write the registry (CEP_ACT_REGISTRY_WRITE); an org's own
 * users = those who acknowledge its deliveries (CEP_ACT_DELIVERY_ACK, own
 * org); NISC, and the secretariats of the org's CEPTOARs, read its contacts
 * as part of following deliveries (CEP_ACT_ALERT_TRACK); phone/FAX logs and the notices belong to
 * those who follow deliveries (CEP_ACT_ALERT_TRACK as secretariat or NISC). */
#include "share/internal.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>

#define LABEL_MAX 100   /* characters */

static const char *const channels[] = { "email", "webhook", "phone", "fax", NULL };

static int one_of(const char *v, const char *const *list)
{
	for (int i = 0; v && list[i]; i++)
		if (!strcmp(v, list[i]))
			return 1;
	return 0;
}

/* ---- address checks (pure) ---- */

static int email_check(const char *a, struct cep_error *err)
{
	const char *at = strchr(a, '@'), *p;
	size_t n = strlen(a);

	if (n > SHARE_EMAIL_MAX)
		return cep_error_set(err, CEP_ETOOBIG, "address",
				     "an e-mail address has at most %d bytes", SHARE_EMAIL_MAX);
	if (!at || strchr(at + 1, '@') || at == a || at - a > 64 || !at[1])
		return cep_error_set(err, CEP_EINVAL, "address",
				     "address must be an e-mail address: one @ between a local part "
				     "and a domain");
	for (p = a; *p; p++) {
		unsigned char c = (unsigned char)*p;

		/* printable ASCII without what SMTP commands or headers would misread */
		if (c <= 0x20 || c >= 0x7f || strchr("<>()[]\\,;:\"", c))
			return cep_error_set(err, CEP_EINVAL, "address",
					     "address must be an e-mail address without spaces, line "
					     "breaks or the characters <>()[]\\,;:\"");
	}
	for (p = at + 1; *p; p++)
		if (!(('a' <= (*p | 0x20) && (*p | 0x20) <= 'z') || ('0' <= *p && *p <= '9') ||
		      *p == '-' || *p == '.'))
			return cep_error_set(err, CEP_EINVAL, "address",
					     "the domain of an e-mail address has letters, digits, "
					     "'-' and '.' only");
	if (at[1] == '.' || a[n - 1] == '.' || strstr(at, ".."))
		return cep_error_set(err, CEP_EINVAL, "address",
				     "the domain of an e-mail address is malformed");
	return 0;
}

static int url_check(const char *a, struct cep_error *err)
{
	size_t n = strlen(a), skip;

	if (n > SHARE_URL_MAX)
		return cep_error_set(err, CEP_ETOOBIG, "address", "a webhook URL has at most %d bytes",
				     SHARE_URL_MAX);
	skip = !strncmp(a, "https://", 8) ? 8 : !strncmp(a, "http://", 7) ? 7 : 0;
	if (!skip || !a[skip] || strchr("/?#:@", a[skip]))
		return cep_error_set(err, CEP_EINVAL, "address",
				     "address must be an http:// or https:// URL with a host");
	for (const char *p = a; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return cep_error_set(err, CEP_EINVAL, "address",
					     "a webhook URL has no spaces or control characters "
					     "(percent-encode others)");
	return 0;
}

static int phone_check(const char *a, struct cep_error *err)
{
	int digits = 0;

	if (strlen(a) > SHARE_PHONE_MAX)
		return cep_error_set(err, CEP_ETOOBIG, "address", "a number has at most %d bytes",
				     SHARE_PHONE_MAX);
	for (const char *p = a; *p; p++) {
		if ('0' <= *p && *p <= '9')
			digits++;
		else if (!(strchr("-() ", *p) || (*p == '+' && p == a)))
			return cep_error_set(err, CEP_EINVAL, "address",
					     "a phone or FAX number has digits, an optional leading "
					     "+, '-', ' ' and parentheses only");
	}
	if (digits < 3)
		return cep_error_set(err, CEP_EINVAL, "address", "a number needs at least 3 digits");
	return 0;
}

int share_contact_address_check(const char *channel, const char *address, struct cep_error *err)
{
	if (!one_of(channel, channels))
		return cep_error_set(err, CEP_EINVAL, "channel",
				     "channel must be email, webhook, phone or fax");
	if (!address || !*address)
		return cep_error_set(err, CEP_EINVAL, "address", "address is required");
	if (!strcmp(channel, "email"))
		return email_check(address, err);
	if (!strcmp(channel, "webhook"))
		return url_check(address, err);
	return phone_check(address, err);
}

/* ---- contacts ---- */

#define CONTACT_COLS                                                                         \
	"id, org_id AS org, channel, address, label, active, secret <> '' AS secret_set,"   \
	" CASE WHEN secret = '' THEN NULL ELSE substr(secret, 1, 4) || '…' END AS secret_hint," \
	" created_by, created_at"

static void booleans(json_t *o)
{
	json_object_set_new(o, "active", json_boolean(json_integer_value(json_object_get(o, "active"))));
	json_object_set_new(o, "secret_set",
			    json_boolean(json_integer_value(json_object_get(o, "secret_set"))));
}

/* The id of org (an id or a code) into out. CEP_ENOTFOUND, or a store error. */
static int org_resolve(struct store *s, const char *org, char out[CEP_ID_MAX],
		       struct cep_error *err)
{
	json_t *row = NULL;
	int rc = CEP_ENOTFOUND;

	if (org && strlen(org) < 64)
		rc = store_query_one(s, "SELECT id FROM orgs WHERE id = ? OR code = ?",
				     (struct store_arg[]){ STORE_TEXT(org), STORE_TEXT(org) }, 2, &row);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such organisation");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the organisation");
	snprintf(out, CEP_ID_MAX, "%s", json_string_value(json_object_get(row, "id")));
	json_decref(row);
	return 0;
}

/* Whether p may read (write 0) or change (write 1) the contacts of org_id. Reading
 * is also for those who follow deliveries to the org: NISC, and the secretariats of
 * the CEPTOARs it belongs to (who make the phone and FAX calls). */
static int contacts_allowed(struct store *s, const struct cep_principal *p, const char *org_id,
			    int write, struct cep_error *err)
{
	struct cep_object o;
	json_t *rows = NULL, *it;
	size_t i;

	share_object_of_world(p, &o); /* contacts serve every world */
	snprintf(o.org_id, sizeof(o.org_id), "%s", org_id);
	if (policy_check(p, CEP_ACT_REGISTRY_WRITE, NULL) == 0 ||
	    policy_check(p, CEP_ACT_DELIVERY_ACK, &o) == 0)
		return 0;
	if (!write) {
		int rc = store_query_all(s, "SELECT ceptoar_id FROM org_ceptoars WHERE org_id = ?"
					    " ORDER BY ceptoar_id",
					 (struct store_arg[]){ STORE_TEXT(org_id) }, 1, &rows);

		if (rc < 0)
			return cep_error_set(err, rc, NULL, "cannot read the organisation");
		json_array_foreach(rows, i, it) {
			if (o.nceptoars == CEP_MEMBERSHIPS_MAX)
				break;
			snprintf(o.ceptoars[o.nceptoars++], CEP_ID_MAX, "%s",
				 json_string_value(json_object_get(it, "ceptoar_id")));
		}
		json_decref(rows);
		if (policy_check(p, CEP_ACT_ALERT_TRACK, &o) == 0)
			return 0;
	}
	return cep_error_set(err, CEP_EPERM, NULL,
			     write ? "contacts are kept by the organisation itself or an administrator"
				   : "contacts are seen by the organisation itself, NISC, the "
				     "secretariats of its CEPTOARs and administrators");
}

int share_contacts(struct store *s, const struct cep_principal *p, const char *org,
		   json_t **ret, struct cep_error *err)
{
	char org_id[CEP_ID_MAX];
	json_t *items = NULL, *it;
	size_t i;
	int rc = org_resolve(s, org, org_id, err);

	if (rc == 0)
		rc = contacts_allowed(s, p, org_id, 0, err);
	if (rc < 0)
		return rc;
	rc = store_query_all(s,
			     "SELECT " CONTACT_COLS " FROM contacts WHERE org_id = ? AND active = 1"
			     " ORDER BY channel, created_at, rowid",
			     (struct store_arg[]){ STORE_TEXT(org_id) }, 1, &items);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the contacts");
	json_array_foreach(items, i, it)
		booleans(it);
	*ret = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	return *ret ? 0 : CEP_ENOMEM;
}

/* A webhook secret given by a client: 16..256 bytes of printable ASCII. */
static int secret_check(const char *v, struct cep_error *err)
{
	size_t n = strlen(v);

	if (n < SHARE_SECRET_MIN || n > SHARE_SECRET_MAX)
		return cep_error_set(err, n > SHARE_SECRET_MAX ? CEP_ETOOBIG : CEP_EINVAL, "secret",
				     "secret must be %d to %d bytes", SHARE_SECRET_MIN,
				     SHARE_SECRET_MAX);
	for (; *v; v++)
		if ((unsigned char)*v <= 0x20 || (unsigned char)*v >= 0x7f)
			return cep_error_set(err, CEP_EINVAL, "secret",
					     "secret must be printable ASCII without spaces");
	return 0;
}

int share_contact_add(struct store *s, const struct cep_principal *p, const char *org,
		      const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "channel", "address", "label", "secret", NULL };
	const char *channel = NULL, *address = NULL, *label = NULL, *secret = NULL;
	char org_id[CEP_ID_MAX], id[CEP_UUID_LEN + 1], made[64] = "";
	json_t *detail = NULL, *res = NULL;
	int64_t n = 0;
	int rc = org_resolve(s, org, org_id, err);

	if (rc == 0)
		rc = contacts_allowed(s, p, org_id, 1, err);
	if (rc == 0 && !json_is_object(in))
		rc = cep_error_set(err, CEP_EINVAL, NULL, "the body must be a JSON object");
	if (rc == 0)
		rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_req_string(in, "channel", &channel, err);
	if (rc == 0)
		rc = cep_json_req_string(in, "address", &address, err);
	if (rc == 0)
		rc = share_contact_address_check(channel, address, err);
	if (rc == 0)
		rc = cep_json_text(in, "label", LABEL_MAX, 0, 0, &label, err);
	if (rc == 0)
		rc = cep_json_opt_string(in, "secret", &secret, err);
	if (rc == 0 && secret && strcmp(channel, "webhook"))
		rc = cep_error_set(err, CEP_EINVAL, "secret", "only a webhook has a secret");
	if (rc == 0 && secret)
		rc = secret_check(secret, err);
	if (rc < 0)
		return rc;
	if (!secret && !strcmp(channel, "webhook")) {
		cep_random_b64(made, sizeof(made), 32);
		secret = made;
	}
	cep_uuid(id);
	rc = store_begin(s);
	if (rc == 0)
		rc = store_query_int(s, "SELECT count(*) FROM contacts WHERE org_id = ? AND active = 1",
				     (struct store_arg[]){ STORE_TEXT(org_id) }, 1, &n);
	if (rc == 0 && n >= SHARE_CONTACTS_MAX)
		rc = cep_error_set(err, CEP_ETOOBIG, NULL, "an organisation has at most %d contacts",
				   SHARE_CONTACTS_MAX);
	if (rc == 0)
		rc = store_query_int(s,
				     "SELECT count(*) FROM contacts WHERE org_id = ? AND active = 1"
				     " AND channel = ? AND address = ?",
				     (struct store_arg[]){ STORE_TEXT(org_id), STORE_TEXT(channel),
							   STORE_TEXT(address) },
				     3, &n);
	if (rc == 0 && n > 0)
		rc = cep_error_set(err, CEP_EEXIST, "address", "this contact exists already");
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO contacts (id, org_id, channel, address, secret, label,"
			       " created_by, created_at) VALUES (?,?,?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(org_id),
						     STORE_TEXT(channel), STORE_TEXT(address),
						     STORE_TEXT(secret ? secret : ""),
						     STORE_TEXT(label ? label : ""), STORE_TEXT(p->name),
						     STORE_INT(cep_now()) },
			       8);
	detail = json_pack("{s:s, s:s, s:s}", "org", org_id, "channel", channel, "address", address);
	rc = audit_commit(s, rc, p, "contact.add", "contact", id, detail, "the contact", err);
	json_decref(detail);
	if (rc == 0)
		rc = store_query_one(s, "SELECT " CONTACT_COLS " FROM contacts WHERE id = ?",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &res);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the contact");
	booleans(res);
	if (made[0]) /* shown this once */
		json_object_set_new(res, "secret", json_string(made));
	*ret = res;
	return 0;
}

int share_contact_delete(struct store *s, const struct cep_principal *p, const char *org,
			 const char *contact_id, struct cep_error *err)
{
	char org_id[CEP_ID_MAX];
	int64_t now = cep_now();
	int rc = org_resolve(s, org, org_id, err);

	if (rc == 0)
		rc = contacts_allowed(s, p, org_id, 1, err);
	if (rc < 0)
		return rc;
	if (!contact_id || strlen(contact_id) > 64)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such contact");
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE contacts SET active = 0, deleted_at = ? WHERE id = ? AND org_id = ?"
			       " AND active = 1",
			       (struct store_arg[]){ STORE_INT(now), STORE_TEXT(contact_id),
						     STORE_TEXT(org_id) },
			       3);
	if (rc == 0 && store_changes(s) == 0)
		rc = cep_error_set(err, CEP_ENOTFOUND, NULL, "no such contact");
	if (rc == 0) /* sends not under way end here; their records stay */
		rc = store_run(s,
			       "UPDATE sends SET state = 'failed', lease_until = NULL,"
			       " last_error = 'the contact was removed' WHERE contact_id = ? AND"
			       " (state = 'pending' OR (state = 'sending' AND lease_until <= ?))",
			       (struct store_arg[]){ STORE_TEXT(contact_id), STORE_INT(now) }, 2);
	return audit_commit(s, rc, p, "contact.delete", "contact", contact_id, NULL, "the contact",
			    err);
}

/* ---- deliveries: phone/FAX by hand, the channel record ---- */

/* The policy object of a delivery: its alert's sender and its CEPTOAR.
 * *ret_org gets the receiving org. CEP_ENOTFOUND when there is none. */
static int delivery_object(struct store *s, int64_t id, struct cep_object *o,
			   char ret_org[CEP_ID_MAX])
{
	json_t *row = NULL;
	const char *cep;
	int rc = store_query_one(s,
				 "SELECT a.org_id AS sender, d.org_id AS org, d.ceptoar_id AS ceptoar,"
				 " coalesce(d.exercise_id, '') AS exercise"
				 " FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.id = ?",
				 (struct store_arg[]){ STORE_INT(id) }, 1, &row);

	if (rc < 0)
		return rc;
	memset(o, 0, sizeof(*o));
	snprintf(o->org_id, sizeof(o->org_id), "%s",
		 json_string_value(json_object_get(row, "sender")));
	snprintf(o->exercise_id, sizeof(o->exercise_id), "%s",
		 json_string_value(json_object_get(row, "exercise")));
	cep = json_string_value(json_object_get(row, "ceptoar"));
	if (cep && *cep) {
		snprintf(o->ceptoars[0], CEP_ID_MAX, "%s", cep);
		o->nceptoars = 1;
	}
	snprintf(ret_org, CEP_ID_MAX, "%s", json_string_value(json_object_get(row, "org")));
	json_decref(row);
	return 0;
}

int share_manual_delivery_log(struct store *s, const struct cep_principal *p, int64_t delivery_id,
			      const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "channel", "contact", "note", NULL };
	static const char *const manual[] = { "phone", "fax", NULL };
	const char *channel = NULL, *contact = NULL, *note = NULL;
	struct cep_object o, bare;
	char org[CEP_ID_MAX], oid[32];
	json_t *detail = NULL, *res = NULL;
	int64_t n = 0, row_id = 0;
	int rc = delivery_object(s, delivery_id, &o, org);

	if (rc == 0 && policy_check(p, CEP_ACT_ALERT_TRACK, &o) < 0)
		rc = CEP_ENOTFOUND;
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such delivery");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the delivery");
	bare = o; /* without the sender: NISC or the delivery's secretariat only */
	bare.org_id[0] = '\0';
	if (policy_check(p, CEP_ACT_ALERT_TRACK, &bare) < 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "phone and FAX deliveries are logged by NISC or the secretariat "
				     "of the delivery's CEPTOAR");
	if (!json_is_object(in))
		return cep_error_set(err, CEP_EINVAL, NULL, "the body must be a JSON object");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_req_string(in, "channel", &channel, err);
	if (rc == 0 && !one_of(channel, manual))
		rc = cep_error_set(err, CEP_EINVAL, "channel", "channel must be phone or fax");
	if (rc == 0)
		rc = cep_json_opt_string(in, "contact", &contact, err);
	if (rc == 0)
		rc = cep_json_text(in, "note", SHARE_NOTE_MAX, 0, 1, &note, err);
	if (rc == 0 && contact) {
		rc = store_query_int(s,
				     "SELECT count(*) FROM contacts WHERE id = ? AND org_id = ?"
				     " AND channel = ?",
				     (struct store_arg[]){ STORE_TEXT(contact), STORE_TEXT(org),
							   STORE_TEXT(channel) },
				     3, &n);
		if (rc == 0 && n == 0)
			rc = cep_error_set(err, CEP_ESEMANTIC, "contact",
					   "contact must be a %s contact of the receiving organisation",
					   channel);
	}
	if (rc < 0)
		return rc;
	snprintf(oid, sizeof(oid), "%lld", (long long)delivery_id);
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO manual_deliveries (delivery_id, contact_id, channel, note,"
			       " logged_by, logged_at) VALUES (?,?,?,?,?,?)",
			       (struct store_arg[]){ STORE_INT(delivery_id), STORE_TEXT(contact),
						     STORE_TEXT(channel), STORE_TEXT(note ? note : ""),
						     STORE_TEXT(p->name), STORE_INT(cep_now()) },
			       6);
	if (rc == 0)
		rc = store_query_int(s, "SELECT max(id) FROM manual_deliveries WHERE delivery_id = ?",
				     (struct store_arg[]){ STORE_INT(delivery_id) }, 1, &row_id);
	detail = json_pack("{s:s, s:s*}", "channel", channel, "contact", contact);
	rc = audit_commit(s, rc, p, "delivery.manual", "delivery", oid, detail,
			  "the manual delivery", err);
	json_decref(detail);
	if (rc == 0)
		rc = store_query_one(s,
				     "SELECT id, delivery_id AS delivery, contact_id AS contact, channel,"
				     " note, logged_by, logged_at FROM manual_deliveries WHERE id = ?",
				     (struct store_arg[]){ STORE_INT(row_id) }, 1, &res);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the manual delivery");
	*ret = res;
	return 0;
}

int share_delivery_channels(struct store *s, const struct cep_principal *p, int64_t delivery_id,
			    json_t **ret, struct cep_error *err)
{
	struct cep_object o;
	char org[CEP_ID_MAX];
	json_t *sends = NULL, *manual = NULL, *it, *log;
	size_t i;
	int rc = delivery_object(s, delivery_id, &o, org);

	if (rc == 0 && policy_check(p, CEP_ACT_ALERT_TRACK, &o) < 0)
		rc = CEP_ENOTFOUND;
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT s.id, s.channel, c.address, s.reason, s.state, s.attempts,"
				     " s.next_at, s.last_error, s.created_at, s.sent_at FROM sends s"
				     " JOIN contacts c ON c.id = s.contact_id WHERE s.delivery_id = ?"
				     " ORDER BY s.id",
				     (struct store_arg[]){ STORE_INT(delivery_id) }, 1, &sends);
	json_array_foreach(sends, i, it) {
		if (rc < 0)
			break;
		rc = store_query_all(s,
				     "SELECT attempt, attempted_at, ok, error FROM send_attempts"
				     " WHERE send_id = ? ORDER BY attempt",
				     (struct store_arg[]){ STORE_INT(json_integer_value(
					     json_object_get(it, "id"))) },
				     1, &log);
		if (rc == 0)
			json_object_set_new(it, "attempt_log", log);
	}
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT m.id, m.channel, m.contact_id AS contact, c.address, m.note,"
				     " m.logged_by, m.logged_at FROM manual_deliveries m"
				     " LEFT JOIN contacts c ON c.id = m.contact_id WHERE m.delivery_id = ?"
				     " ORDER BY m.id",
				     (struct store_arg[]){ STORE_INT(delivery_id) }, 1, &manual);
	if (rc == 0) {
		*ret = json_pack("{s:I, s:o, s:o}", "delivery", (json_int_t)delivery_id, "sends", sends,
				 "manual", manual);
		return *ret ? 0 : CEP_ENOMEM;
	}
	json_decref(sends);
	json_decref(manual);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such delivery");
	return cep_error_set(err, rc, NULL, "cannot read the delivery's channels");
}

int share_notices(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		  json_t **ret, struct cep_error *err)
{
	struct cep_object o;
	int rc;

	share_object_of_world(p, &o);
	snprintf(o.org_id, sizeof(o.org_id), "%s", p->org_id);
	if (!p->org_id[0] || policy_check(p, CEP_ACT_ALERT_TRACK, &o) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "this account receives no notices");
	rc = store_query_page(s,
			      "n.id, n.kind, n.alert_id AS alert, a.title_ja, a.title_en, a.severity,"
			      " n.delivery_id AS delivery, d.org_id AS org, o.name_ja AS org_name_ja,"
			      " o.name_en AS org_name_en, a.ack_deadline, d.escalated_at, d.acked_at,"
			      " n.created_at",
			      "FROM notices n JOIN alerts a ON a.id = n.alert_id"
			      " JOIN deliveries d ON d.id = n.delivery_id JOIN orgs o ON o.id = d.org_id"
			      " WHERE n.org_id = ? AND a.exercise_id IS ?",
			      "n.created_at DESC, n.id DESC",
			      (struct store_arg[]){ STORE_TEXT(p->org_id), share_world(p) }, 2, page,
			      ret);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the notices") : 0;
}
