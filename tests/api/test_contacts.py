"""An organisation's contacts (e-mail, webhook, phone, FAX), phone/FAX deliveries
logged by hand, a delivery's channel record and the escalation notices, through
the API and the CLI: every bad input a client can send is refused with the field
at fault and nothing changes.

(Who may call what is in test_roles.py; real SMTP and webhook receivers in
test_channels.py.)"""

import pytest

from apilib import assert_error, describe, run_cli, unique
from sharefix import cli_json, send_alert, wait_fanout

SECRET = "a-webhook-secret-of-32-bytes...."


@pytest.fixture(scope="module")
def ct(new_deployment):
    return new_deployment("ct")


def contacts(dep, org, token="admin"):
    return dep.ok("GET", "/api/v1/orgs/%s/contacts" % org, token=token)["items"]


def delivery_to_op1(dep):
    alert = send_alert(dep, "nisc", {"sectors": ["finance"]})
    wait_fanout(dep, alert["id"])
    items = [i for i in dep.all_items("/api/v1/inbox", token="operator") if i["alert"] == alert["id"]]
    assert len(items) == 1, items
    return alert, items[0]["id"]


# ---- contacts --------------------------------------------------------------------

def test_contacts_add_list_remove_and_the_secret_is_shown_once(ct):
    org = ct.make_operator(sector="finance", ceptoars=["bank-ceptoar"])
    mail = ct.ok("POST", "/api/v1/orgs/%s/contacts" % org["id"],
                 {"channel": "email", "address": "soc@op.example.jp", "label": "24時間窓口"}, status=201)
    hook = ct.ok("POST", "/api/v1/orgs/%s/contacts" % org["code"],
                 {"channel": "webhook", "address": "https://soc.op.example.jp/hook"}, status=201)
    given = ct.ok("POST", "/api/v1/orgs/%s/contacts" % org["id"],
                  {"channel": "webhook", "address": "http://127.0.0.1:9/h", "secret": SECRET}, status=201)
    fax = ct.ok("POST", "/api/v1/orgs/%s/contacts" % org["id"],
                {"channel": "fax", "address": "+81 (3) 1234-5678"}, status=201)
    # a generated secret is in the answer once, a given one never
    assert len(hook["secret"]) >= 32 and "secret" not in given and "secret" not in mail
    listed = contacts(ct, org["id"])
    # by channel, then in the order they were added
    assert [c["id"] for c in listed] == [mail["id"], fax["id"], hook["id"], given["id"]]
    assert all("secret" not in c for c in listed)
    assert [c["secret_set"] for c in listed] == [False, False, True, True]
    assert listed[3]["secret_hint"] == SECRET[:4] + "…"
    assert listed[0]["label"] == "24時間窓口"
    # the secretariat of the org's CEPTOAR reads them (it phones and faxes); a
    # secretariat of another CEPTOAR does not
    assert [c["id"] for c in contacts(ct, org["id"], token="ceptoar")] == [c["id"] for c in listed]
    r = ct.get("/api/v1/orgs/%s/contacts" % ct.orgs["op2"]["id"], token="ceptoar")
    assert_error(r, 403)
    # removal: gone from the list, a second removal is 404
    r = ct.delete("/api/v1/orgs/%s/contacts/%s" % (org["id"], fax["id"]))
    assert r.status_code == 204, describe(r)
    assert fax["id"] not in [c["id"] for c in contacts(ct, org["id"])]
    assert_error(ct.delete("/api/v1/orgs/%s/contacts/%s" % (org["id"], fax["id"])), 404)
    # another org's contact id through this org: 404, and it stays
    other = ct.make_operator(sector="finance")
    oc = ct.ok("POST", "/api/v1/orgs/%s/contacts" % other["id"],
               {"channel": "phone", "address": "03-1111-2222"}, status=201)
    assert_error(ct.delete("/api/v1/orgs/%s/contacts/%s" % (org["id"], oc["id"])), 404)
    assert [c["id"] for c in contacts(ct, other["id"])] == [oc["id"]]


BAD_CONTACTS = [
    ({"address": "a@b.jp"}, 400, "channel"),
    ({"channel": "sms", "address": "a@b.jp"}, 400, "channel"),
    ({"channel": "email"}, 400, "address"),
    ({"channel": "email", "address": "no-at-sign"}, 400, "address"),
    ({"channel": "email", "address": "a b@c.jp"}, 400, "address"),
    ({"channel": "email", "address": "a@b.jp\r\nBcc: x@y.jp"}, 400, "address"),
    ({"channel": "email", "address": "x" * 250 + "@b.jp"}, 413, "address"),
    ({"channel": "webhook", "address": "ftp://host/x"}, 400, "address"),
    ({"channel": "webhook", "address": "https://"}, 400, "address"),
    ({"channel": "webhook", "address": "https://h/" + "a" * 2100}, 413, "address"),
    ({"channel": "webhook", "address": "https://h/x", "secret": "short"}, 400, "secret"),
    ({"channel": "email", "address": "a@b.jp", "secret": SECRET}, 400, "secret"),
    ({"channel": "phone", "address": "03-1234-abcd"}, 400, "address"),
    ({"channel": "fax", "address": "1" * 40}, 413, "address"),
    ({"channel": "email", "address": "a@b.jp", "colour": "red"}, 400, "colour"),
    ({"channel": "email", "address": 7}, 400, "address"),
]


@pytest.mark.parametrize("body,status,field", BAD_CONTACTS,
                         ids=["%s-%s" % (f, i) for i, (_, _, f) in enumerate(BAD_CONTACTS)])
def test_bad_contacts_are_refused_and_nothing_is_added(ct, body, status, field):
    org = ct.orgs["op2"]["id"]
    before = contacts(ct, org)
    r = ct.post("/api/v1/orgs/%s/contacts" % org, body)
    assert_error(r, status, field=field)
    assert contacts(ct, org) == before


def test_contacts_of_an_unknown_org_and_the_cap(ct):
    assert_error(ct.get("/api/v1/orgs/no-such-org/contacts"), 404)
    assert_error(ct.post("/api/v1/orgs/no-such-org/contacts", {"channel": "phone", "address": "03"}), 404)
    org = ct.make_operator(sector="gas")
    for i in range(20):
        ct.ok("POST", "/api/v1/orgs/%s/contacts" % org["id"],
              {"channel": "phone", "address": "03-0000-%04d" % i}, status=201)
    r = ct.post("/api/v1/orgs/%s/contacts" % org["id"], {"channel": "phone", "address": "03-9999-9999"})
    assert_error(r, 413)
    assert len(contacts(ct, org["id"])) == 20


# ---- manual deliveries and the channel record ------------------------------------------

def test_a_secretariat_logs_a_phone_call_and_the_record_shows_it(ct):
    op1 = ct.orgs["op1"]["id"]
    phone = ct.ok("POST", "/api/v1/orgs/%s/contacts" % op1,
                  {"channel": "phone", "address": "03-5253-2111", "label": "情報システム部"}, status=201)
    alert, delivery = delivery_to_op1(ct)
    entry = ct.ok("POST", "/api/v1/deliveries/%d/manual" % delivery,
                  {"channel": "phone", "contact": phone["id"], "note": "情報システム部 山田氏に口頭で伝達"},
                  token="ceptoar", status=201)
    assert entry["channel"] == "phone" and entry["contact"] == phone["id"]
    assert entry["logged_by"] == ct.user_names["ceptoar"] and entry["logged_at"].endswith("Z")
    ch = ct.ok("GET", "/api/v1/deliveries/%d/channels" % delivery, token="nisc")
    assert ch["delivery"] == delivery and ch["sends"] == []
    assert [m["note"] for m in ch["manual"]] == ["情報システム部 山田氏に口頭で伝達"]
    # the receiving operator does not follow its own delivery's channels: 404
    assert_error(ct.get("/api/v1/deliveries/%d/channels" % delivery, token="operator"), 404)
    # it is in the audit trail
    audit = ct.ok("GET", "/api/v1/audit", params={"action": "delivery.manual", "limit": 500})
    assert str(delivery) in [e.get("object_id") for e in audit["items"]], audit["items"][:3]


BAD_MANUAL = [
    ({}, 400, "channel"),
    ({"channel": "email"}, 400, "channel"),
    ({"channel": "phone", "note": "x" * 2001}, 413, "note"),
    ({"channel": "phone", "note": "bell\u0007"}, 400, "note"),
    ({"channel": "phone", "when": "now"}, 400, "when"),
    ({"channel": "fax", "contact": "{phone}"}, 422, "contact"),
    ({"channel": "phone", "contact": "{other}"}, 422, "contact"),
    ({"channel": "phone", "contact": "no-such-contact"}, 422, "contact"),
]


@pytest.mark.parametrize("body,status,field", BAD_MANUAL,
                         ids=["%s-%s" % (f, i) for i, (_, _, f) in enumerate(BAD_MANUAL)])
def test_bad_manual_deliveries_are_refused_and_nothing_is_logged(ct, body, status, field):
    op1 = ct.orgs["op1"]["id"]
    phone = ct.ok("POST", "/api/v1/orgs/%s/contacts" % op1,
                  {"channel": "phone", "address": "03-1234-0000", "label": "rt-%s" % unique()}, status=201)
    other = ct.ok("POST", "/api/v1/orgs/%s/contacts" % ct.orgs["op2"]["id"],
                  {"channel": "phone", "address": "03-1234-0001"}, status=201)
    body = {k: (v.replace("{phone}", phone["id"]).replace("{other}", other["id"])
                if isinstance(v, str) else v) for k, v in body.items()}
    _, delivery = delivery_to_op1(ct)
    r = ct.post("/api/v1/deliveries/%d/manual" % delivery, body, token="ceptoar")
    assert_error(r, status, field=field)
    assert ct.ok("GET", "/api/v1/deliveries/%d/channels" % delivery, token="nisc")["manual"] == []
    for path in ("/api/v1/orgs/%s/contacts/%s" % (op1, phone["id"]),
                 "/api/v1/orgs/%s/contacts/%s" % (ct.orgs["op2"]["id"], other["id"])):
        assert ct.delete(path).status_code == 204


def test_manual_delivery_for_deliveries_that_do_not_exist(ct):
    for bad in ("0", "-1", "abc", "99999999", "1e3", "0012"):
        assert_error(ct.post("/api/v1/deliveries/%s/manual" % bad, {"channel": "phone"}, token="nisc"), 404)
        assert_error(ct.get("/api/v1/deliveries/%s/channels" % bad, token="nisc"), 404)


def test_notices_list_is_empty_without_escalations_and_paged(ct):
    v = ct.ok("GET", "/api/v1/notices", token="agency")
    assert v["items"] == [] and v["total"] == 0
    assert_error(ct.get("/api/v1/notices", token="nisc", params={"limit": 0}), 400, field="limit")
    assert_error(ct.get("/api/v1/notices", token="operator"), 403)


# ---- the CLI ---------------------------------------------------------------------

def cli(dep, *args, check=True):
    return run_cli(list(args), db=dep.db, check=check)


def test_cli_contacts_manual_channels_and_notices(ct):
    org = ct.make_operator(sector="finance", ceptoars=["bank-ceptoar"])
    p = cli(ct, "contact", "add", org["code"], "--channel", "webhook", "--address",
            "https://soc.example.jp/h", "--label", "SOC")
    assert "webhook secret (shown once" in p.stdout
    cid = p.stdout.split()[1]
    p = cli(ct, "contact", "list", org["id"], "--json")
    assert [c["id"] for c in cli_json(p)["items"]] == [cid]
    # the secretariat of its CEPTOAR reads them; a user of another operator may not
    p = cli(ct, "contact", "list", org["id"], "--as", ct.user_names["ceptoar"])
    assert cid in p.stdout and "https://soc.example.jp/h" in p.stdout
    p = cli(ct, "contact", "list", org["id"], "--as", ct.user_names["operator2"], check=False)
    assert p.returncode == 1 and "contacts are seen by" in p.stderr
    # bad input: usage errors (exit 2) and refused contacts (exit 1, field named)
    p = cli(ct, "contact", "add", org["id"], "--channel", "email", check=False)
    assert p.returncode == 2 and "address" in p.stderr
    p = cli(ct, "contact", "add", org["id"], "--channel", "email", "--address", "bad", check=False)
    assert p.returncode == 1 and "(field: address)" in p.stderr
    p = cli(ct, "contact", "add", org["id"], "--note", "x", check=False)
    assert p.returncode == 2 and "--note" in p.stderr
    p = cli(ct, "contact", "remove", org["id"], check=False)
    assert p.returncode == 2
    assert [c["id"] for c in cli_json(cli(ct, "contact", "list", org["id"], "--json"))["items"]] == [cid]
    p = cli(ct, "contact", "remove", org["id"], cid)
    assert "removed" in p.stdout
    assert cli_json(cli(ct, "contact", "list", org["id"], "--json"))["items"] == []

    _, delivery = delivery_to_op1(ct)
    p = cli(ct, "delivery", "manual", str(delivery), "--as", ct.user_names["ceptoar"], "--channel", "fax",
            "--note", "FAXで送付")
    assert "fax delivery logged for delivery %d" % delivery in p.stdout
    p = cli(ct, "delivery", "channels", str(delivery))
    assert "fax by hand" in p.stdout and "FAXで送付" in p.stdout
    p = cli(ct, "delivery", "manual", str(delivery), "--channel", "pigeon", check=False)
    assert p.returncode == 1 and "(field: channel)" in p.stderr
    p = cli(ct, "delivery", "manual", str(delivery), check=False)
    assert p.returncode == 2 and "--channel" in p.stderr
    p = cli(ct, "delivery", "channels", "x1", check=False)
    assert p.returncode == 2
    p = cli(ct, "delivery", "channels", str(delivery), "--as", ct.user_names["operator"], check=False)
    assert p.returncode == 1 and "no such delivery" in p.stderr
    assert len(cli_json(cli(ct, "delivery", "channels", str(delivery), "--json"))["manual"]) == 1

    p = cli(ct, "notices", "list", "--as", ct.user_names["nisc"], "--json")
    assert cli_json(p)["total"] == 0
    p = cli(ct, "notices", "list", check=False)
    assert p.returncode == 2 and "--as" in p.stderr
    for cmd in ("contact", "delivery", "notices"):
        p = cli(ct, cmd, "--help")
        assert p.stdout.startswith("Usage: ceptoar")
