"""CEPTOAR drills (セプター訓練) against real receivers: a `ceptoar serve` whose
delivery worker sends to an SMTP server on loopback (aiosmtpd; one recipient
is refused with 550, a bounce) and to a webhook receiver (receivers.py).

A drill over bank-ceptoar's members, each acknowledging through another
channel with the token taken from the real e-mail or webhook (or signed in,
in its inbox): one on time by each channel, one late (a deadline a few
seconds ahead, acknowledged after it), one never, one bounced address; the
figures are checked exactly per channel and per member, live and final.
Then: history across drills, who may start and read what, every bad input,
and that nothing of a drill reaches alerts, inboxes, reports, correlations,
notices or exports. Last, a drill over 1,561 generated member organisations
(CSV import) with known subsets acknowledged on time and late: the rates are
checked exactly.
"""

import csv
import datetime
import email
import email.policy
import hashlib
import hmac
import io
import json
import re
import time

import pytest

from apilib import assert_error, describe, run_cli, unique
from receivers import SECRET, WAIT, db_rows, hooks, receiving_deployment, smtp, wait_for  # noqa: F401 (fixtures)
from sharefix import add_org, add_principal, create_report, send_alert, wait_fanout

BASE = "https://ceptoar.example.jp"


# ---- fixtures -------------------------------------------------------------------

@pytest.fixture(scope="module")
def dep(tmp_path_factory, smtp, hooks):
    d = receiving_deployment(tmp_path_factory, smtp, "dr", base_url=BASE)
    add_principal(d, "ceptoar2", "securities-ceptoar", "ceptoar")
    yield d
    d.stop()


@pytest.fixture(scope="module")
def before(dep):
    """What the sharing system shows before any drill (the leakage test compares)."""
    return real_data(dep)


# ---- helpers --------------------------------------------------------------------

def iso_in(seconds):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return t.replace(microsecond=0).isoformat()


def start(dep, token="ceptoar", status=201, ceptoar="bank-ceptoar", **body):
    if ceptoar:
        body["ceptoar"] = ceptoar
    body.setdefault("title", "連絡訓練 " + unique("d"))
    body.setdefault("message_ja", "これは訓練です。受領確認をお願いします。")
    body.setdefault("message_en", "This is a drill. Please acknowledge.")
    r = dep.post("/api/v1/drills", body, token=token)
    assert r.status_code == status, describe(r)
    return r.json()


def wait_done(dep, drill_id, token="nisc"):
    """The drill once its fan-out is done."""
    def ready():
        d = dep.ok("GET", "/api/v1/drills/" + drill_id, token=token)
        return d if d["fanout"] == "done" else None
    return wait_for("drill %s" % drill_id, ready, dep, timeout=WAIT + 30)


def drill_mails(smtp, drill_id):
    """{recipient: (subject, text, token)} of the drill's e-mails."""
    out = {}
    with smtp.box.lock:
        msgs = list(smtp.box.messages)
    for _, rcpts, raw in msgs:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        if msg["X-Ceptoar-Drill"] != drill_id:
            continue
        text = msg.get_content()
        m = re.search(r"/#/drill-ack/([A-Za-z0-9_-]+)", text)
        assert m, text
        out[rcpts[0]] = (str(msg["subject"]), text, m.group(1))
    return out


def drill_hooks(hooks, drill_id):
    """{path: payload} of the drill's webhook POSTs, each signature checked."""
    out = {}
    with hooks.lock:
        reqs = list(hooks.requests)
    for path, headers, body, _ in reqs:
        payload = json.loads(body)
        if payload.get("drill_id") != drill_id:
            continue
        h = {k.lower(): v for k, v in headers.items()}
        want = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(h["x-ceptoar-signature"], want)
        assert h["x-ceptoar-event"] == "drill"
        out[path] = payload
    return out


def ack_token(dep, token, status=200):
    r = dep.post("/api/v1/drills/ack", {"token": token}, token=None)
    assert r.status_code == status, describe(r)
    return r.json()


def add_contact(dep, org_id, channel, address, secret=None):
    body = {"channel": channel, "address": address, "label": "drill test"}
    if secret:
        body["secret"] = secret
    return dep.ok("POST", "/api/v1/orgs/%s/contacts" % org_id, body, status=201)["id"]


def counts(c):
    keys = ("total", "reached", "acked_on_time", "late", "never", "pending", "bounced", "failed")
    return {k: c[k] for k in keys}


def rates_ok(c):
    for k, v in c["rates"].items():
        assert v == (c[k] / c["total"] if c["total"] else 0.0), (k, c)


def per_channel(d):
    return {c["channel"]: counts(c) for c in d["figures"]["per_channel"]}


def members_by_org(dep, drill_id, token="ceptoar"):
    return {m["org"]: m for m in dep.all_items("/api/v1/drills/%s/members" % drill_id, token=token)}


def real_data(dep):
    """Totals and texts of the sharing system that a drill must never touch."""
    out = {}
    for who in ("nisc", "operator", "ceptoar", "ministry"):
        out["alerts-" + who] = dep.get("/api/v1/alerts", token=who, params={"limit": 500}).json()
        out["reports-" + who] = dep.get("/api/v1/reports", token=who, params={"limit": 500}).json()
    out["inbox"] = dep.get("/api/v1/inbox", token="operator", params={"limit": 500}).json()
    out["notices"] = dep.get("/api/v1/notices", token="ceptoar").json()
    out["correlations"] = dep.get("/api/v1/correlations", token="nisc").json()
    out["incidents"] = dep.get("/api/v1/incidents", token="nisc").json()
    return out


# ---- the drill over every channel ------------------------------------------------

def test_drill_over_every_channel(dep, smtp, hooks, before):
    tag = unique("m")
    op1 = dep.orgs["op1"]
    a = add_org(dep, "finance", ["bank-ceptoar"], prefix="dra")
    b = add_org(dep, "finance", ["bank-ceptoar"], prefix="drb")
    c = add_org(dep, "finance", ["bank-ceptoar"], prefix="drc")
    dd = add_org(dep, "finance", ["bank-ceptoar"], prefix="drd")
    mail_a, mail_c, mail_d = ("%s-%s@op.example.jp" % (k, tag) for k in "acd")
    hook_a, hook_b = "/drill/a-" + tag, "/drill/b-" + tag
    add_contact(dep, a["id"], "email", mail_a)
    add_contact(dep, a["id"], "webhook", hooks.url(hook_a), SECRET)
    add_contact(dep, b["id"], "webhook", hooks.url(hook_b), SECRET)
    add_contact(dep, c["id"], "email", mail_c)
    add_contact(dep, c["id"], "phone", "03-1234-5678")  # not drilled: called by hand
    add_contact(dep, dd["id"], "email", mail_d)
    smtp.box.reject.add(mail_c)

    t0 = time.time()
    drill = start(dep, deadline=iso_in(8))
    assert time.time() - t0 < 5
    assert drill["fanout"] == "pending" and drill["state"] == "running"
    assert drill["ceptoar"] == "bank-ceptoar" and drill["org"] == "bank-ceptoar"
    did = drill["id"]
    d = wait_done(dep, did)
    assert d["member_count"] == 5 and d["target_count"] == 10

    # the real messages, each with its own token
    mails = wait_for("the drill e-mails", lambda: (lambda m: m if len(m) == 2 else None)(
        drill_mails(smtp, did)), dep)
    posts = wait_for("the drill webhooks", lambda: (lambda h: h if len(h) == 2 else None)(
        drill_hooks(hooks, did)), dep)
    assert set(mails) == {mail_a, mail_d} and set(posts) == {hook_a, hook_b}
    subject, text, token_a = mails[mail_a]
    assert "【セプター訓練】" in subject and "[CEPTOAR DRILL]" in subject and drill["title"] in subject
    assert "これは訓練です" in text and "This is a drill" in text
    assert "%s/#/drill-ack/%s" % (BASE, token_a) in text and ("確認トークン: " + token_a) in text
    token_d = mails[mail_d][2]
    token_b = posts[hook_b]["token"]
    assert posts[hook_b]["event"] == "drill" and posts[hook_b]["ack_url"] == BASE + "/api/v1/drills/ack"
    assert posts[hook_b]["ack_link"] == "%s/#/drill-ack/%s" % (BASE, token_b)
    assert len({token_a, token_d, token_b, posts[hook_a]["token"]}) == 4
    # the bounce: refused at RCPT, never retried
    wait_for("the bounce", lambda: per_channel(dep.ok("GET", "/api/v1/drills/" + did, token="nisc"))["email"]["bounced"],
             dep)
    assert smtp.box.refused.count(mail_c) == 1

    # tokens are kept only hashed
    stored = db_rows(dep, "SELECT k.hash FROM drill_tokens k JOIN drill_targets t ON t.id = k.target_id"
                          " WHERE t.drill_id = ?", (did,))
    assert hashlib.sha256(token_a.encode()).hexdigest() in {r["hash"] for r in stored}
    dump = "\n".join(str(r) for r in db_rows(dep, "SELECT * FROM drill_targets WHERE drill_id = ?", (did,)))
    assert token_a not in dump and token_b not in dump

    # the operator's inbox: the drill message waits for its acknowledgement
    inbox = dep.ok("GET", "/api/v1/drills/inbox", token="operator", params={"state": "pending"})
    assert [i["drill"] for i in inbox["items"]] == [did] and inbox["items"][0]["acked_at"] is None
    assert dep.ok("GET", "/api/v1/drills/inbox", token="operator2")["total"] == 0

    # on time: op1 in its inbox, A by its e-mail link, B by its webhook token
    item = dep.ok("POST", "/api/v1/drills/%s/ack" % did, token="operator")
    assert item["acked_at"] and item["on_time"] is True and item["acked_by"] == dep.user_names["operator"]
    again = dep.ok("POST", "/api/v1/drills/%s/ack" % did, token="operator")
    assert again["acked_at"] == item["acked_at"]
    res_a = ack_token(dep, token_a)
    assert res_a["drill"] == did and res_a["channel"] == "email" and res_a["on_time"] is True
    assert res_a["already"] is False and res_a["org_name_ja"] == a["name_ja"]
    res_b = ack_token(dep, token_b)
    assert res_b["channel"] == "webhook" and res_b["on_time"] is True
    second = ack_token(dep, token_a)  # a second acknowledgement changes nothing
    assert second["already"] is True and second["acked_at"] == res_a["acked_at"]
    assert dep.ok("GET", "/api/v1/drills/inbox", token="operator", params={"state": "acked"})["total"] == 1

    # live figures, before the deadline
    live = dep.ok("GET", "/api/v1/drills/" + did, token="ceptoar")
    assert live["state"] == "running"
    assert counts(live["figures"]["members"]) == {
        "total": 5, "reached": 5, "acked_on_time": 3, "late": 0, "never": 0, "pending": 2,
        "bounced": 1, "failed": 0}

    # after the deadline: D acknowledges late by its e-mail link
    deadline = datetime.datetime.fromisoformat(live["deadline_at"].replace("Z", "+00:00")).timestamp()
    time.sleep(max(0, deadline - time.time()) + 1.2)
    res_d = ack_token(dep, token_d)
    assert res_d["on_time"] is False

    final = dep.ok("GET", "/api/v1/drills/" + did, token="ceptoar")
    fig = final["figures"]
    assert final["state"] == "finished"
    assert counts(fig["members"]) == {"total": 5, "reached": 5, "acked_on_time": 3, "late": 1,
                                      "never": 1, "pending": 0, "bounced": 1, "failed": 0}
    assert counts(fig["targets"]) == {"total": 10, "reached": 9, "acked_on_time": 3, "late": 1,
                                      "never": 6, "pending": 0, "bounced": 1, "failed": 0}
    assert per_channel(final) == {
        "inbox": {"total": 5, "reached": 5, "acked_on_time": 1, "late": 0, "never": 4, "pending": 0,
                  "bounced": 0, "failed": 0},
        "email": {"total": 3, "reached": 2, "acked_on_time": 1, "late": 1, "never": 1, "pending": 0,
                  "bounced": 1, "failed": 0},
        "webhook": {"total": 2, "reached": 2, "acked_on_time": 1, "late": 0, "never": 1, "pending": 0,
                    "bounced": 0, "failed": 0},
    }
    for cnt in [fig["members"], fig["targets"]] + fig["per_channel"]:
        rates_ok(cnt)
    assert fig["members"]["rates"]["acked_on_time"] == 3 / 5

    # per member, with each channel's state
    m = members_by_org(dep, did)
    assert {k: (v["result"], v["acked_via"], v["bounced"]) for k, v in m.items()} == {
        op1["id"]: ("on_time", "inbox", False), a["id"]: ("on_time", "email", False),
        b["id"]: ("on_time", "webhook", False), c["id"]: ("never", None, True),
        dd["id"]: ("late", "email", False)}
    assert [(ch["channel"], ch["state"]) for ch in m[c["id"]]["channels"]] == [
        ("inbox", "sent"), ("email", "bounced")]
    assert "550" in m[c["id"]]["channels"][1]["last_error"]
    assert [(ch["channel"], ch["state"], ch["acked_via"]) for ch in m[a["id"]]["channels"]] == [
        ("inbox", "sent", None), ("email", "sent", "email"), ("webhook", "sent", None)]
    late = dep.ok("GET", "/api/v1/drills/%s/members" % did, token="ceptoar", params={"result": "late"})
    assert late["total"] == 1 and late["items"][0]["org"] == dd["id"]
    assert dep.ok("GET", "/api/v1/drills/%s/members" % did, params={"result": "bounced"},
                  token="nisc")["total"] == 1

    # the CSV export: one row per member
    r = dep.get("/api/v1/drills/%s/members" % did, token="ceptoar", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv"), describe(r)
    rows = {row["org_code"]: row for row in csv.DictReader(io.StringIO(r.text))}
    assert len(rows) == 5
    assert rows[c["code"]]["result"] == "never" and rows[c["code"]]["email"] == "bounced"
    assert rows[dd["code"]]["result"] == "late" and rows[dd["code"]]["email"] == "acked-late"
    assert rows[a["code"]]["webhook"] == "reached" and rows[a["code"]]["email"] == "acked"

    # every change is in the audit trail
    actions = [e["action"] for e in dep.all_items("/api/v1/audit", params={"action": "drill."})]
    assert actions.count("drill.start") >= 1 and actions.count("drill.fanout") >= 1
    assert actions.count("drill.ack") >= 4 and "drill.send.bounced" in actions
    dep.drill_main = {"id": did, "a": a, "b": b, "c": c, "d": dd, "mail_a": mail_a, "hook_b": hook_b}


def test_unknown_token_and_bad_tokens(dep):
    assert_error(dep.post("/api/v1/drills/ack", {"token": "A" * 32}, token=None), 404, field="token",
                 message_contains="no drill message has this token")
    assert_error(dep.post("/api/v1/drills/ack", {}, token=None), 400, field="token")
    assert_error(dep.post("/api/v1/drills/ack", {"token": 5}, token=None), 400, field="token")
    assert_error(dep.post("/api/v1/drills/ack", {"token": "x" * 129}, token=None), 400, field="token")
    assert_error(dep.post("/api/v1/drills/ack", {"token": "a b/c"}, token=None), 400, field="token")
    assert_error(dep.post("/api/v1/drills/ack", {"token": "abc", "x": 1}, token=None), 400, field="x")
    r = dep.request("POST", "/api/v1/drills/ack", token=None, data=b"{not json",
                    headers={"Content-Type": "application/json"})
    assert_error(r, 400, code="parse")


def test_unknown_tokens_from_one_address_are_limited(tmp_path_factory, smtp):
    """60 tokens that match nothing from one address within 15 minutes: that
    address's tokens are refused (429, Retry-After) without being looked up,
    a real one included, which stays unacknowledged. Malformed tokens (400)
    and good ones do not count."""
    d = receiving_deployment(tmp_path_factory, smtp, "drl", base_url=BASE)
    try:
        tag = unique("l")
        mails = {}
        for k in "ab":
            org = add_org(d, "finance", ["bank-ceptoar"], prefix="drl" + k)
            mails[k] = "%s-%s@op.example.jp" % (k, tag)
            add_contact(d, org["id"], "email", mails[k])
        drill = start(d, deadline_minutes=60)
        wait_done(d, drill["id"])
        got = wait_for("the drill e-mails", lambda: (lambda m: m if len(m) == 2 else None)(
            drill_mails(smtp, drill["id"])), d)
        token_a, token_b = got[mails["a"]][2], got[mails["b"]][2]
        for _ in range(20):
            assert_error(d.post("/api/v1/drills/ack", {"token": "a b"}, token=None), 400,
                         field="token")
        for i in range(59):
            assert_error(d.post("/api/v1/drills/ack", {"token": "unknown%d" % i}, token=None),
                         404, field="token")
        assert ack_token(d, token_a)["already"] is False  # still allowed, and not counted
        assert_error(d.post("/api/v1/drills/ack", {"token": "unknown-last"}, token=None), 404)
        r = d.post("/api/v1/drills/ack", {"token": token_b}, token=None)
        assert_error(r, 429, code="too_many_requests", message_contains="this address")
        assert 0 < int(r.headers["Retry-After"]) <= 900, r.headers
        c = d.ok("GET", "/api/v1/drills/" + drill["id"], token="nisc")
        email = per_channel(c)["email"]
        assert email["total"] == 2 and email["acked_on_time"] == 1, email
    finally:
        d.stop()


def test_history_across_drills(dep, smtp, hooks):
    main = dep.drill_main
    # a second drill: only op1 acknowledges; a third: op1, A (e-mail) and B (webhook)
    d2 = start(dep, deadline_minutes=60)
    wait_done(dep, d2["id"])
    dep.ok("POST", "/api/v1/drills/%s/ack" % d2["id"], token="operator")
    d3 = start(dep, deadline_minutes=60)
    wait_done(dep, d3["id"])
    dep.ok("POST", "/api/v1/drills/%s/ack" % d3["id"], token="operator")
    mails = wait_for("d3's e-mail to A", lambda: drill_mails(smtp, d3["id"]).get(main["mail_a"]), dep)
    hook = wait_for("d3's webhook to B", lambda: drill_hooks(hooks, d3["id"]).get(main["hook_b"]), dep)
    ack_token(dep, mails[2])
    ack_token(dep, hook["token"])

    h = dep.ok("GET", "/api/v1/drills/history", token="ceptoar", params={"ceptoar": "bank-ceptoar"})
    assert h["ceptoar"] == "bank-ceptoar"
    assert [i["id"] for i in h["items"]] == [main["id"], d2["id"], d3["id"]]
    got = [(i["members"]["acked_on_time"], i["members"]["total"], i["members"]["rates"]["acked_on_time"])
           for i in h["items"]]
    assert got == [(3, 5, 3 / 5), (1, 5, 1 / 5), (3, 5, 3 / 5)]
    assert [i["state"] for i in h["items"]] == ["finished", "running", "running"]
    # the same history for NISC and the finance ministry; other CEPTOARs' secretariats see none of it
    assert dep.ok("GET", "/api/v1/drills/history", token="nisc", params={"ceptoar": "bank-ceptoar"}) == h
    assert len(dep.ok("GET", "/api/v1/drills/history", token="ministry",
                      params={"ceptoar": "bank-ceptoar"})["items"]) == 3
    assert dep.ok("GET", "/api/v1/drills/history", token="ceptoar2",
                  params={"ceptoar": "bank-ceptoar"})["items"] == []
    lst = dep.ok("GET", "/api/v1/drills", token="ceptoar", params={"ceptoar": "bank-ceptoar"})
    assert [i["id"] for i in lst["items"]] == [d3["id"], d2["id"], main["id"]]
    assert lst["items"][0]["figures"]["members"]["acked_on_time"] == 3


def test_who_may_start_and_read(dep):
    did = dep.drill_main["id"]
    n = dep.total("/api/v1/drills", token="nisc")
    for who in ("operator", "operator2", "agency", "auditor", "admin", "ministry", "ministry2"):
        assert_error(dep.post("/api/v1/drills", {"ceptoar": "bank-ceptoar", "title": "x", "message_ja": "x",
                                                 "deadline_minutes": 5}, token=who), 403)
    # a secretariat drills only its own CEPTOAR; every CEPTOAR is NISC's
    assert_error(dep.post("/api/v1/drills", {"ceptoar": "securities-ceptoar", "title": "x",
                                             "message_ja": "x", "deadline_minutes": 5}, token="ceptoar"),
                 403, field="ceptoar")
    assert_error(dep.post("/api/v1/drills", {"title": "x", "message_ja": "x", "deadline_minutes": 5},
                          token="ceptoar"), 403, field="ceptoar")
    assert_error(dep.post("/api/v1/drills", {"ceptoar": "bank-ceptoar", "title": "x", "message_ja": "x",
                                             "deadline_minutes": 5}, token=None), 401)
    assert dep.total("/api/v1/drills", token="nisc") == n
    # reading: the starter org, NISC, the ministry of the sector; not others
    for who in ("ceptoar", "nisc", "ministry"):
        assert dep.ok("GET", "/api/v1/drills/" + did, token=who)["id"] == did
        assert dep.ok("GET", "/api/v1/drills/%s/members" % did, token=who)["total"] == 5
    for who in ("ceptoar2", "ministry2", "operator", "agency", "admin", "auditor"):
        assert_error(dep.get("/api/v1/drills/" + did, token=who), 404)
        assert_error(dep.get("/api/v1/drills/%s/members" % did, token=who), 404)
        assert_error(dep.get("/api/v1/drills/%s/members" % did, token=who, params={"format": "csv"}), 404)
    assert dep.ok("GET", "/api/v1/drills", token="ceptoar2")["total"] == 0
    assert dep.ok("GET", "/api/v1/drills", token="ministry2")["total"] == 0
    for who in ("operator", "agency", "admin", "auditor"):
        assert_error(dep.get("/api/v1/drills", token=who), 403)
        assert_error(dep.get("/api/v1/drills/history", token=who, params={"ceptoar": "bank-ceptoar"}), 403)
    # acknowledging: only an org the drill was sent to, in its own inbox
    assert_error(dep.post("/api/v1/drills/%s/ack" % did, None, token="operator2"), 404)
    for who in ("admin", "auditor"):
        assert_error(dep.post("/api/v1/drills/%s/ack" % did, None, token=who), 403)
        assert_error(dep.get("/api/v1/drills/inbox", token=who), 403)
    assert_error(dep.post("/api/v1/drills/%s/ack" % did, {"x": 1}, token="operator"), 400, field="x")
    assert_error(dep.post("/api/v1/drills/nope/ack", None, token="operator"), 404)
    assert_error(dep.get("/api/v1/drills/nope", token="nisc"), 404)


@pytest.mark.parametrize("body,status,field", [
    ({"message_ja": "m", "deadline_minutes": 5}, 400, "title"),
    ({"title": "", "message_ja": "m", "deadline_minutes": 5}, 400, "title"),
    ({"title": "t" * 201, "message_ja": "m", "deadline_minutes": 5}, 413, "title"),
    ({"title": "a\nb", "message_ja": "m", "deadline_minutes": 5}, 400, "title"),
    ({"title": "t", "deadline_minutes": 5}, 400, "message_ja"),
    ({"title": "t", "message_ja": "あ" * 2001, "deadline_minutes": 5}, 413, "message_ja"),
    ({"title": "t", "message_ja": "m", "message_en": "e" * 2001, "deadline_minutes": 5}, 413, "message_en"),
    ({"title": "t", "message_ja": "m", "message_en": 3, "deadline_minutes": 5}, 400, "message_en"),
    ({"title": "t", "message_ja": "m"}, 400, "deadline"),
    ({"title": "t", "message_ja": "m", "deadline": "tomorrow"}, 400, "deadline"),
    ({"title": "t", "message_ja": "m", "deadline": "2020-01-01T00:00:00Z"}, 422, "deadline"),
    ({"title": "t", "message_ja": "m", "deadline": "2099-01-01T00:00:00Z"}, 400, "deadline"),
    ({"title": "t", "message_ja": "m", "deadline_minutes": 0}, 400, "deadline_minutes"),
    ({"title": "t", "message_ja": "m", "deadline_minutes": 43201}, 400, "deadline_minutes"),
    ({"title": "t", "message_ja": "m", "deadline_minutes": "5"}, 400, "deadline_minutes"),
    ({"title": "t", "message_ja": "m", "deadline_minutes": 5, "deadline": "2099-01-01T00:00:00Z"}, 400,
     "deadline_minutes"),
    ({"ceptoar": "no-such-ceptoar", "title": "t", "message_ja": "m", "deadline_minutes": 5}, 422, "ceptoar"),
    ({"ceptoar": 7, "title": "t", "message_ja": "m", "deadline_minutes": 5}, 400, "ceptoar"),
    ({"ceptoar": "bank-ceptoar", "title": "t", "message_ja": "m", "deadline_minutes": 5, "tlp": "RED"},
     400, "tlp"),
    ({"title": "t", "message_ja": "m", "deadline_minutes": 5, "manual": "phone"}, 400, "manual"),
    ({"title": "t", "message_ja": "m", "deadline_minutes": 5, "manual": ["telex"]}, 400, "manual"),
    ({"title": "t", "message_ja": "m", "deadline_minutes": 5, "manual": ["fax", "fax"]}, 400, "manual"),
    ({"title": "t", "message_ja": "m", "deadline_minutes": 5, "manual": ["email"]}, 400, "manual"),
])
def test_bad_start_input(dep, body, status, field):
    n = dep.total("/api/v1/drills", token="nisc")
    assert_error(dep.post("/api/v1/drills", body, token="nisc"), status, field=field)
    assert dep.total("/api/v1/drills", token="nisc") == n


def test_bad_read_input(dep):
    did = dep.drill_main["id"]
    assert_error(dep.get("/api/v1/drills/%s/members" % did, token="nisc", params={"result": "maybe"}), 400,
                 field="result")
    assert_error(dep.get("/api/v1/drills/%s/members" % did, token="nisc", params={"format": "xml"}),
                 400, field="format")
    assert_error(dep.get("/api/v1/drills/%s/members" % did, token="nisc", params={"limit": 0}), 400,
                 field="limit")
    assert_error(dep.get("/api/v1/drills/history", token="nisc"), 400, field="ceptoar")
    assert_error(dep.get("/api/v1/drills/inbox", token="operator", params={"state": "x"}), 400, field="state")
    r = dep.request("POST", "/api/v1/drills", token="nisc", data=b"title=x",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(r, 415)


def test_nisc_drills_every_ceptoar(dep):
    d = start(dep, token="nisc", ceptoar=None, deadline_minutes=30)
    assert d["ceptoar"] is None and d["org"] == "nisc"
    d = wait_done(dep, d["id"])
    members = {r["org_id"] for r in db_rows(dep, "SELECT DISTINCT org_id FROM org_ceptoars")}
    assert d["member_count"] == len(members) >= 5
    # a CEPTOAR's secretariat does not read a drill of every CEPTOAR; its ministry neither
    assert_error(dep.get("/api/v1/drills/" + d["id"], token="ceptoar"), 404)
    assert_error(dep.get("/api/v1/drills/" + d["id"], token="ministry"), 404)
    assert [i["id"] for i in dep.ok("GET", "/api/v1/drills/history", token="nisc",
                                    params={"ceptoar": "all"})["items"]] == [d["id"]]
    assert d["id"] in [i["drill"] for i in dep.ok("GET", "/api/v1/drills/inbox", token="operator")["items"]]


def test_nothing_of_a_drill_reaches_real_data(dep, before):
    """Drills were sent, acknowledged and exported above: the sharing system shows none of it."""
    # some real data in the same deployment still flows as before
    assert real_data(dep) == before
    alert = send_alert(dep, "nisc", {"ceptoars": ["bank-ceptoar"]})
    wait_fanout(dep, alert["id"])
    create_report(dep, "operator")
    after = real_data(dep)
    assert after["alerts-nisc"]["total"] == before["alerts-nisc"]["total"] + 1
    titles = [d["title"] for d in dep.all_items("/api/v1/drills", token="nisc")]
    assert titles
    for t in titles:
        for path, who in (("/api/v1/alerts", "nisc"), ("/api/v1/reports", "nisc"), ("/api/v1/inbox", "operator")):
            r = dep.get(path, token=who, params={"q": t, "limit": 500})
            assert r.status_code == 200 and r.json()["total"] == 0, describe(r)
    text = json.dumps(after, ensure_ascii=False) + dep.get("/api/v1/ceptoar-map", token="nisc",
                                                           params={"format": "csv"}).text
    assert not any(t in text for t in titles)
    assert "drill" not in text.lower()
    # nothing of a drill in the tables of the sharing system
    assert db_rows(dep, "SELECT count(*) AS n FROM outbox WHERE ref IN (SELECT id FROM drills)")[0]["n"] == 0
    assert db_rows(dep, "SELECT count(*) AS n FROM alerts WHERE id IN (SELECT id FROM drills)")[0]["n"] == 0


# ---- 1,561 members --------------------------------------------------------------

N_MEMBERS = 1561
N_EMAIL = 200      # members with an e-mail contact too
N_MAIL_ON_TIME = 100
N_MAIL_LATE = 50
N_INBOX_ON_TIME = 10  # members whose user acknowledges in its inbox


def test_drill_over_1561_members(dep, smtp):
    t_begin = time.time()
    tag = unique("w").replace("-", "")
    rows = ["code,name_ja,name_en,sector,ceptoars"]
    codes = ["%s-%04d" % (tag, i) for i in range(N_MEMBERS)]
    for i, code in enumerate(codes):
        rows.append("%s,水道事業者%04d,Water operator %04d,water,water-ceptoar" % (code, i, i))
    r = dep.request("POST", "/api/v1/orgs/import", data=("\r\n".join(rows) + "\r\n").encode(),
                    headers={"Content-Type": "text/csv"})
    assert r.status_code in (200, 201) and r.json()["orgs"] == N_MEMBERS, describe(r)
    ids = {o["code"]: o["id"] for o in dep.all_items("/api/v1/orgs", params={"ceptoar": "water-ceptoar"})}
    assert len(ids) == N_MEMBERS
    rcpt = {}
    for code in codes[:N_EMAIL]:
        rcpt[code] = "%s@water.example.jp" % code
        add_contact(dep, ids[code], "email", rcpt[code])
    inbox_codes = codes[N_EMAIL:N_EMAIL + N_INBOX_ON_TIME]
    for code in inbox_codes:
        add_principal(dep, "w-" + code, code, "operator")
    t_setup = time.time()

    t0 = time.time()
    drill = start(dep, token="nisc", ceptoar="water-ceptoar", deadline=iso_in(12))
    t_post = time.time() - t0
    assert drill["fanout"] == "pending"
    did = drill["id"]
    d = wait_done(dep, did)
    t_fanout = time.time() - t0
    assert d["member_count"] == N_MEMBERS and d["target_count"] == N_MEMBERS + N_EMAIL
    mails = wait_for("the 200 drill e-mails", lambda: (lambda m: m if len(m) == N_EMAIL else None)(
        drill_mails(smtp, did)), dep, timeout=WAIT + 60)
    t_mails = time.time() - t0

    on_time = codes[:N_MAIL_ON_TIME]
    late = codes[N_MAIL_ON_TIME:N_MAIL_ON_TIME + N_MAIL_LATE]
    for code in on_time:
        assert ack_token(dep, mails[rcpt[code]][2])["on_time"] is True
    for code in inbox_codes:
        dep.ok("POST", "/api/v1/drills/%s/ack" % did, token="w-" + code)
    live = dep.ok("GET", "/api/v1/drills/" + did, token="nisc")
    assert live["state"] == "running", "the deadline passed before the on-time acknowledgements"
    deadline = datetime.datetime.fromisoformat(live["deadline_at"].replace("Z", "+00:00")).timestamp()
    time.sleep(max(0, deadline - time.time()) + 1.2)
    for code in late:
        assert ack_token(dep, mails[rcpt[code]][2])["on_time"] is False

    fig = dep.ok("GET", "/api/v1/drills/" + did, token="nisc")["figures"]
    n_on_time = N_MAIL_ON_TIME + N_INBOX_ON_TIME
    assert counts(fig["members"]) == {
        "total": N_MEMBERS, "reached": N_MEMBERS, "acked_on_time": n_on_time, "late": N_MAIL_LATE,
        "never": N_MEMBERS - n_on_time - N_MAIL_LATE, "pending": 0, "bounced": 0, "failed": 0}
    assert fig["members"]["rates"]["acked_on_time"] == n_on_time / N_MEMBERS
    assert fig["members"]["rates"]["late"] == N_MAIL_LATE / N_MEMBERS
    assert fig["members"]["rates"]["never"] == (N_MEMBERS - n_on_time - N_MAIL_LATE) / N_MEMBERS
    assert per_channel({"figures": fig}) == {
        "inbox": {"total": N_MEMBERS, "reached": N_MEMBERS, "acked_on_time": N_INBOX_ON_TIME, "late": 0,
                  "never": N_MEMBERS - N_INBOX_ON_TIME, "pending": 0, "bounced": 0, "failed": 0},
        "email": {"total": N_EMAIL, "reached": N_EMAIL, "acked_on_time": N_MAIL_ON_TIME,
                  "late": N_MAIL_LATE, "never": N_EMAIL - N_MAIL_ON_TIME - N_MAIL_LATE, "pending": 0,
                  "bounced": 0, "failed": 0},
    }
    for cnt in [fig["members"], fig["targets"]] + fig["per_channel"]:
        rates_ok(cnt)
    # per member: the pages and the CSV agree with the figures
    for result, n in (("on_time", n_on_time), ("late", N_MAIL_LATE),
                      ("never", N_MEMBERS - n_on_time - N_MAIL_LATE)):
        assert dep.ok("GET", "/api/v1/drills/%s/members" % did, token="nisc",
                      params={"result": result, "limit": 1})["total"] == n
    got = {m["org"]: m["result"] for m in dep.all_items("/api/v1/drills/%s/members" % did, token="nisc")}
    assert sorted(k for k, v in got.items() if v == "late") == sorted(ids[c] for c in late)
    r = dep.get("/api/v1/drills/%s/members" % did, token="nisc", params={"format": "csv"})
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert len(table) == N_MEMBERS
    assert sum(1 for row in table if row["result"] == "on_time") == n_on_time
    print("\n1,561-member drill: setup %.1f s, POST %.3f s, fan-out done %.1f s, %d e-mails in %.1f s,"
          " whole test %.1f s" % (t_setup - t_begin, t_post, t_fanout, N_EMAIL, t_mails,
                                  time.time() - t_begin))


# ---- the command line -----------------------------------------------------------

def test_phone_and_fax_targets_recorded_by_hand(dep, smtp):
    """A drill that also calls its members' phone and FAX contacts: one target
    each, never sent by the worker, whose outcome the secretariat records
    (acknowledged, reached or not reached; when it happened; a note), counted
    in the figures like any channel; only those who run the drill record."""
    tag = unique("p")
    x = add_org(dep, "finance", ["bank-ceptoar"], prefix="drx")
    y = add_org(dep, "finance", ["bank-ceptoar"], prefix="dry")
    z = add_org(dep, "finance", ["bank-ceptoar"], prefix="drz")
    add_contact(dep, x["id"], "email", "x-%s@op.example.jp" % tag)
    add_contact(dep, x["id"], "phone", "03-0000-0001")
    add_contact(dep, x["id"], "fax", "03-0000-0002")
    add_contact(dep, y["id"], "phone", "03-0000-0003")
    add_contact(dep, z["id"], "fax", "03-0000-0004")
    drill = start(dep, deadline=iso_in(120), manual=["phone"])
    assert drill["manual"] == ["phone"]
    did = drill["id"]
    wait_done(dep, did)
    members = members_by_org(dep, did)
    assert [c["channel"] for c in members[x["id"]]["channels"]] == ["inbox", "email", "phone"]
    assert [c["channel"] for c in members[y["id"]]["channels"]] == ["inbox", "phone"]
    assert [c["channel"] for c in members[z["id"]]["channels"]] == ["inbox"]  # FAX not asked for
    phone_x = members[x["id"]]["channels"][2]
    phone_y = members[y["id"]]["channels"][1]
    email_x = members[x["id"]]["channels"][1]
    assert phone_x["address"] == "03-0000-0001" and phone_x["state"] == "pending"
    # the worker sends the e-mail and never touches a phone target
    wait_for("the e-mail to x", lambda: members_by_org(dep, did)[x["id"]]["channels"][1]["state"] == "sent",
             dep)
    again = members_by_org(dep, did)[x["id"]]["channels"][2]
    assert again["state"] == "pending" and again["attempts"] == 0 and again["reached_at"] is None

    def record(target, body, token="ceptoar", drill_id=did):
        return dep.post("/api/v1/drills/%s/targets/%s/record" % (drill_id, target), body, token=token)

    # bad input: nothing recorded
    t = phone_x["target"]
    assert_error(record(t, {}), 400, field="outcome")
    assert_error(record(t, {"outcome": "maybe"}), 400, field="outcome")
    assert_error(record(t, {"outcome": "acked", "at": "soon"}), 400, field="at")
    assert_error(record(t, {"outcome": "acked", "at": iso_in(600)}), 400, field="at")
    assert_error(record(t, {"outcome": "acked", "at": "2020-01-01T00:00:00Z"}), 400, field="at")
    assert_error(record(t, {"outcome": "acked", "note": "n" * 2001}), 413, field="note")
    assert_error(record(t, {"outcome": "acked", "x": 1}), 400, field="x")
    assert_error(record(email_x["target"], {"outcome": "acked"}), 422, field="target")
    assert_error(record("999999999", {"outcome": "acked"}), 404)
    assert_error(record("abc", {"outcome": "acked"}), 404)
    other = start(dep, deadline_minutes=5)["id"]  # a target of another drill is not this one's
    assert_error(record(t, {"outcome": "acked"}, drill_id=other), 404)
    # who: those who run the drill; a reader that does not run it 403, others 404
    assert_error(record(t, {"outcome": "acked"}, token="ministry"), 403)
    for who in ("ceptoar2", "operator", "agency", "admin", "auditor"):
        assert_error(record(t, {"outcome": "acked"}, token=who), 404)
    assert_error(record(t, {"outcome": "acked"}, token=None), 401)
    assert members_by_org(dep, did)[x["id"]]["channels"][2]["attempts"] == 0

    # x answers the phone and acknowledges; the time is when it happened
    r = record(t, {"outcome": "reached", "note": "総務部に架電"})
    assert r.status_code == 200, describe(r)
    res = r.json()
    assert res["state"] == "sent" and res["reached_at"] and res["acked_at"] is None
    assert res["attempts"] == 1 and res["note"] == "総務部に架電" and res["already"] is False
    r = record(t, {"outcome": "acked", "note": "受領確認"}, token="nisc")
    assert r.status_code == 200, describe(r)
    res = r.json()
    assert res["acked_at"] and res["acked_via"] == "phone" and res["on_time"] is True
    assert res["attempts"] == 2 and res["already"] is False and res["acked_at"] >= res["reached_at"]
    first_ack = res["acked_at"]
    res = record(t, {"outcome": "acked"}).json()
    assert res["already"] is True and res["acked_at"] == first_ack and res["attempts"] == 2
    assert_error(record(t, {"outcome": "unreachable"}), 409, field="outcome")
    # y: no answer, then a later call gets through
    res = record(phone_y["target"], {"outcome": "unreachable", "note": "応答なし"}).json()
    assert res["state"] == "failed" and res["last_error"] == "not reached" and res["note"] == "応答なし"
    res = record(phone_y["target"], {"outcome": "acked"}).json()
    assert res["state"] == "sent" and res["on_time"] is True and res["attempts"] == 2

    # the figures count the phone like any channel
    d = dep.ok("GET", "/api/v1/drills/" + did, token="ceptoar")
    items = dep.all_items("/api/v1/drills/%s/members" % did, token="ceptoar")
    phones = [c for m in items for c in m["channels"] if c["channel"] == "phone"]
    ph = per_channel(d)["phone"]
    assert ph["total"] == len(phones) >= 2 and "fax" not in per_channel(d)
    assert ph["acked_on_time"] == 2 and ph["reached"] == 2 and ph["failed"] == 0, ph
    assert ph["pending"] == len(phones) - 2
    by_org = {m["org"]: m for m in items}
    assert by_org[y["id"]]["result"] == "on_time" and by_org[y["id"]]["acked_via"] == "phone"
    assert by_org[x["id"]]["reached"] is True
    # the CSV has the phone and FAX columns
    r = dep.get("/api/v1/drills/%s/members" % did, token="ceptoar", params={"format": "csv"})
    rows = {row["org_code"]: row for row in csv.DictReader(io.StringIO(r.text))}
    assert rows[y["code"]]["phone"] == "acked" and rows[y["code"]]["fax"] == ""
    assert rows[x["code"]]["phone"] == "acked"
    # each record is in the audit trail: 4 changes (the repeated acknowledgement changed nothing)
    recs = [e for e in dep.all_items("/api/v1/audit", params={"action": "drill.record"})
            if e["object_id"] in (str(t), str(phone_y["target"]))]
    assert len(recs) == 4, recs


def test_call_list(dep, smtp):
    """GET /drills/{id}/calls: the phone and FAX targets that wait for a
    record, over every member (not a page of members), by member name, phone
    before FAX; an acknowledged one leaves the list, one reached or not
    reached stays; read as the drill is read."""
    a = add_org(dep, "finance", ["bank-ceptoar"], prefix="drca")
    b = add_org(dep, "finance", ["bank-ceptoar"], prefix="drcb")
    add_contact(dep, a["id"], "phone", "03-0000-0101")
    add_contact(dep, a["id"], "fax", "03-0000-0102")
    add_contact(dep, b["id"], "phone", "03-0000-0103")
    did = start(dep, deadline=iso_in(120), manual=["phone", "fax"])["id"]
    wait_done(dep, did)
    path = "/api/v1/drills/%s/calls" % did
    calls = dep.all_items(path, token="ceptoar")
    # exactly the phone and FAX targets of the members' channels, none acknowledged
    members = dep.all_items("/api/v1/drills/%s/members" % did, token="ceptoar")
    want = {c["target"] for m in members for c in m["channels"] if c["channel"] in ("phone", "fax")}
    assert {c["target"] for c in calls} == want and len(calls) == len(want) >= 3
    mine = [c for c in calls if c["org"] in (a["id"], b["id"])]
    assert [(c["org"], c["channel"], c["address"]) for c in mine] == sorted(
        [(a["id"], "phone", "03-0000-0101"), (a["id"], "fax", "03-0000-0102"),
         (b["id"], "phone", "03-0000-0103")], key=lambda x: (x[0] != a["id"], x[1] != "phone"))
    c = mine[0]
    assert c["org_code"] == a["code"] and c["org_name_ja"] == a["name_ja"] and c["state"] == "pending"
    assert c["acked_at"] is None and c["attempts"] == 0
    names = [(x["org_name_ja"], x["org"]) for x in calls]
    assert names == sorted(names)
    # paging: the total, and pages that join up to the whole list
    page = dep.ok("GET", path, token="ceptoar", params={"limit": 1})
    assert page["total"] == len(calls) and len(page["items"]) == 1 and page["drill"] == did
    page2 = dep.ok("GET", path, token="ceptoar", params={"limit": 1, "offset": 1})
    assert [page["items"][0]["target"], page2["items"][0]["target"]] == [x["target"] for x in calls[:2]]
    for bad in ({"limit": 0}, {"limit": "x"}, {"offset": -1}, {"limit": 100000}):
        assert_error(dep.get(path, token="ceptoar", params=bad), 400, field=next(iter(bad)))

    def record(target, outcome):
        r = dep.post("/api/v1/drills/%s/targets/%s/record" % (did, target), {"outcome": outcome},
                     token="ceptoar")
        assert r.status_code == 200, describe(r)

    # a call not answered stays; an acknowledged one leaves the list
    record(mine[0]["target"], "unreachable")
    record(mine[2]["target"], "acked")
    left = {x["target"]: x for x in dep.all_items(path, token="ceptoar")}
    assert mine[0]["target"] in left and left[mine[0]["target"]]["state"] == "failed"
    assert mine[2]["target"] not in left and len(left) == len(calls) - 1
    # who reads it: as the drill (the ministry reads it, others do not see it)
    assert dep.ok("GET", path, token="nisc")["total"] == len(calls) - 1
    assert dep.ok("GET", path, token="ministry")["total"] == len(calls) - 1
    for who in ("ceptoar2", "operator", "agency", "admin", "auditor"):
        assert_error(dep.get(path, token=who), 404)
    assert_error(dep.get(path, token=None), 401)
    assert_error(dep.get("/api/v1/drills/999999999/calls", token="nisc"), 404)
    # a drill without phone or FAX targets has none
    other = start(dep, deadline_minutes=5)["id"]
    wait_done(dep, other)
    assert dep.ok("GET", "/api/v1/drills/%s/calls" % other, token="ceptoar")["total"] == 0


def test_cli(dep):
    p = run_cli(["drill", "--help"], db=dep.db)
    assert "start --ceptoar ID" in p.stdout and "history --ceptoar" in p.stdout
    p = run_cli(["drill", "start", "--ceptoar", "bank-ceptoar", "--title", "x"], db=dep.db, check=False)
    assert p.returncode == 2 and "--message-ja" in p.stderr
    p = run_cli(["drill", "start", "--ceptoar", "bank-ceptoar", "--title", "CLI 訓練", "--message-ja", "訓練",
                 "--minutes", "0"], db=dep.db, check=False)
    assert p.returncode == 2 and "--minutes" in p.stderr
    p = run_cli(["drill", "start", "--ceptoar", "bank-ceptoar", "--title", "CLI 訓練", "--message-ja", "訓練",
                 "--deadline", "2020-01-01T00:00:00Z"], db=dep.db, check=False)
    assert p.returncode == 1 and "deadline" in p.stderr
    p = run_cli(["drill", "start", "--ceptoar", "bank-ceptoar", "--title", "CLI 訓練", "--message-ja",
                 "訓練です", "--minutes", "30", "--json"], db=dep.db)
    d = json.loads(p.stdout)
    n = dep.get("/api/v1/orgs", params={"ceptoar": "bank-ceptoar", "limit": 1}).json()["total"]
    assert d["fanout"] == "done" and d["member_count"] == n and d["figures"]["members"]["pending"] == n
    assert dep.ok("GET", "/api/v1/drills/" + d["id"], token="ceptoar")["title"] == "CLI 訓練"
    p = run_cli(["drill", "show", d["id"]], db=dep.db)
    assert "members" in p.stdout and "pending" in p.stdout and "CLI 訓練" in p.stdout
    p = run_cli(["drill", "members", d["id"], "--csv"], db=dep.db)
    assert p.stdout.startswith("org_code,org_name_ja") and len(p.stdout.strip().splitlines()) == n + 1
    p = run_cli(["drill", "history", "--ceptoar", "bank-ceptoar", "--json"], db=dep.db)
    assert json.loads(p.stdout)["items"][-1]["id"] == d["id"]
    p = run_cli(["drill", "show", d["id"], "--as", dep.user_names["operator"]], db=dep.db, check=False)
    assert p.returncode == 1 and "no such drill" in p.stderr
    # phones: started with --manual, listed by `calls`, recorded by `record`
    org = add_org(dep, "finance", ["bank-ceptoar"], prefix="drcli")
    add_contact(dep, org["id"], "phone", "03-1111-2222")
    p = run_cli(["drill", "start", "--ceptoar", "bank-ceptoar", "--title", "CLI 電話訓練", "--message-ja",
                 "訓練です", "--minutes", "30", "--manual", "phone", "--json"], db=dep.db)
    d = json.loads(p.stdout)
    assert d["manual"] == ["phone"]
    p = run_cli(["drill", "start", "--ceptoar", "bank-ceptoar", "--title", "x", "--message-ja", "x",
                 "--minutes", "30", "--manual", "telex"], db=dep.db, check=False)
    assert p.returncode == 1 and "manual" in p.stderr
    p = run_cli(["drill", "calls", d["id"], "--limit", "500", "--json"], db=dep.db)
    call = [c for c in json.loads(p.stdout)["items"] if c["org_code"] == org["code"]][0]
    p = run_cli(["drill", "calls", d["id"], "--limit", "1", "--json"], db=dep.db)
    assert len(json.loads(p.stdout)["items"]) == 1
    p = run_cli(["drill", "calls", d["id"], "--limit", "0"], db=dep.db, check=False)
    assert p.returncode == 2 and "--limit" in p.stderr
    assert call["channel"] == "phone" and call["address"] == "03-1111-2222"
    p = run_cli(["drill", "calls", d["id"]], db=dep.db)
    assert "03-1111-2222" in p.stdout
    p = run_cli(["drill", "record", d["id"], str(call["target"])], db=dep.db, check=False)
    assert p.returncode == 2 and "--outcome" in p.stderr
    p = run_cli(["drill", "record", d["id"], str(call["target"]), "--outcome", "maybe"], db=dep.db, check=False)
    assert p.returncode == 1 and "outcome" in p.stderr
    p = run_cli(["drill", "record", d["id"], str(call["target"]), "--outcome", "acked", "--note", "架電"],
                db=dep.db)
    assert "acknowledged 20" in p.stdout and "attempts 1" in p.stdout
    p = run_cli(["drill", "calls", d["id"], "--limit", "500", "--json"], db=dep.db)
    assert org["code"] not in [c["org_code"] for c in json.loads(p.stdout)["items"]]
