"""Delivery channels against real receivers: an SMTP server on loopback
(aiosmtpd, Debian's python3-aiosmtpd) and a webhook receiver (http.server),
both recording what reaches them, and a `ceptoar serve` whose delivery worker
is pointed at them through its environment (CEPTOAR_SMTP_URL, CEPTOAR_SMTP_FROM,
CEPTOAR_BASE_URL, CEPTOAR_RETRY_BASE_SECONDS=1 for short retries).

Contacts are added through the API (POST /api/v1/orgs/{id}/contacts); the
send records are read through GET /api/v1/deliveries/{id}/channels and the
notices through GET /api/v1/notices, and, where a test needs what the API
does not show (a send's lease), with python's sqlite3 from the database.

Checked: one e-mail with a decodable UTF-8 Japanese subject and the alert in
the body, one signed webhook POST; TLP:RED bodies withheld; a webhook that
fails three times is delivered once at the fourth attempt with every attempt
kept; an SMTP server that is down loses nothing; escalation at the deadline
(flag, resend, notices for sender and secretariat; an acknowledged delivery is
not escalated); without an SMTP URL e-mail waits, and stopping the server
during a hanging webhook is prompt and loses nothing.
"""

import base64
import datetime
import email
import email.policy
import hashlib
import hmac
import json
import os
import re
import time

import pytest

from apilib import Deployment, describe, run_cli, unique
from receivers import SECRET, WAIT, db_rows, hooks, receiving_deployment, smtp, wait_for  # noqa: F401 (fixtures)


# ---- fixtures and helpers ------------------------------------------------------

@pytest.fixture(scope="module")
def dep(tmp_path_factory, smtp, hooks):
    d = receiving_deployment(tmp_path_factory, smtp, "ch", base_url="https://ceptoar.example.jp")
    yield d
    d.stop()


def add_contact(dep, org_id, channel, address, secret=None):
    body = {"channel": channel, "address": address, "label": "test"}
    if secret:
        body["secret"] = secret
    c = dep.ok("POST", "/api/v1/orgs/%s/contacts" % org_id, body, status=201)
    assert "secret" not in c and c["secret_set"] == (channel == "webhook"), c
    return c["id"]


def send_alert(dep, audience, tlp="GREEN", title=None, **extra):
    title = title or "広域停電に関する注意喚起 " + unique("a")
    body = {"severity": "high", "title_ja": title, "title_en": "Wide-area outage advisory",
            "body_ja": "非常用電源の燃料を確認してください。", "body_en": "Check the fuel of backup power.",
            "actions": "発電機の試運転", "references": ["https://www.nisc.go.jp/ref/1"],
            "tlp": tlp, "audience": audience}
    body.update(extra)
    r = dep.post("/api/v1/alerts", body, token="nisc")
    assert r.status_code == 201, describe(r)
    return r.json()


def operator_with_contacts(dep, hooks, ceptoars=None):
    org = dep.make_operator(sector="finance", ceptoars=ceptoars)
    tag = unique("c")
    rcpt = "soc-%s@op.example.jp" % tag
    path = "/hook/%s" % tag
    add_contact(dep, org["id"], "email", rcpt)
    add_contact(dep, org["id"], "webhook", hooks.url(path), SECRET)
    return org, rcpt, path


def parse_mail(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return msg, str(msg["subject"]), msg.get_content()


def raw_subject(raw):
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    m = re.search(r"^Subject: (.*?)\r\n(?! )", head + "\r\n", re.M | re.S)
    return m.group(1)


def verify_signature(req):
    _, headers, body, _ = req
    sig = {k.lower(): v for k, v in headers.items()}["x-ceptoar-signature"]
    want = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(sig, want), (sig, want)
    return json.loads(body)


def sends_of(dep, alert_id):
    return db_rows(dep, "SELECT s.* FROM sends s JOIN deliveries d ON d.id = s.delivery_id"
                        " WHERE d.alert_id = ? ORDER BY s.id", (alert_id,))


# ---- tests -------------------------------------------------------------------

def test_email_and_webhook_once(dep, smtp, hooks):
    org, rcpt, path = operator_with_contacts(dep, hooks)
    alert = send_alert(dep, {"sectors": ["finance"]})
    mails = wait_for("the e-mail", lambda: smtp.box.to(rcpt), dep)
    posts = wait_for("the webhook", lambda: hooks.to(path), dep)

    mail_from, rcpts, raw = mails[0]
    assert mail_from == "ceptoar@nisc.example.jp" and rcpts == [rcpt]
    # the subject: RFC 2047 encoded words of at most 75 characters, decoding to UTF-8 Japanese
    words = raw_subject(raw).split("\r\n ")
    assert words and all(w.startswith("=?UTF-8?B?") and w.endswith("?=") and len(w) <= 75 for w in words)
    msg, subject, text = parse_mail(raw)
    assert alert["title_ja"] in subject and "[TLP:GREEN]" in subject, subject
    assert msg["Message-ID"] and msg["Date"] and msg["To"] == rcpt
    assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
    assert alert["title_ja"] in text and "非常用電源の燃料を確認してください。" in text
    assert "Check the fuel of backup power." in text and "https://www.nisc.go.jp/ref/1" in text
    delivery = db_rows(dep, "SELECT id FROM deliveries WHERE alert_id = ? AND org_id = ?",
                       (alert["id"], org["id"]))[0]["id"]
    assert "https://ceptoar.example.jp/api/v1/deliveries/%d" % delivery in text

    payload = verify_signature(posts[0])
    assert payload["alert_id"] == alert["id"] and payload["delivery_id"] == delivery
    assert payload["title_ja"] == alert["title_ja"] and payload["event"] == "alert"
    # the webhook carries the signed alert, which the API verifies
    v = dep.ok("POST", "/api/v1/alerts/verify", payload["signed_alert"], token="operator")
    assert v["valid"] is True, v
    # exactly once: nothing more arrives, both sends are recorded sent after one attempt
    time.sleep(2.5)
    assert len(smtp.box.to(rcpt)) == 1 and len(hooks.to(path)) == 1
    rows = sends_of(dep, alert["id"])
    assert [(r["channel"], r["state"], r["attempts"]) for r in rows] == [
        ("email", "sent", 1), ("webhook", "sent", 1)], rows


def verify_cli(dep, tmp_path, name, data):
    f = tmp_path / name
    f.write_bytes(data)
    return run_cli(["alert", "verify", str(f)], db=dep.db, check=False)


def test_mail_signature_block_verifies_and_catches_forgeries(dep, smtp, hooks, tmp_path):
    org, rcpt, path = operator_with_contacts(dep, hooks)
    alert = send_alert(dep, {"orgs": [org["id"]]})
    raw = wait_for("the e-mail", lambda: smtp.box.to(rcpt), dep)[0][2]
    _, _, text = parse_mail(raw)
    assert "-----BEGIN CEPTOAR SIGNED ALERT-----" in text and "ceptoar alert verify" in text
    # the message as saved (.eml, base64 body) and its text as copied both verify
    for name, data in (("saved.eml", raw), ("copied.txt", text.encode("utf-8"))):
        p = verify_cli(dep, tmp_path, name, data)
        assert p.returncode == 0 and "signature valid" in p.stdout, (name, p.stdout, p.stderr)
        assert alert["id"] in p.stdout and alert["title_ja"] in p.stdout, p.stdout
    # a genuine block under someone else's words: refused (exit 3)
    forged = text.replace(alert["title_ja"], "偽の至急連絡: 添付を開いてください")
    p = verify_cli(dep, tmp_path, "forged.txt", forged.encode("utf-8"))
    assert p.returncode == 3 and "INVALID" in p.stdout and "title" in p.stdout, (p.stdout, p.stderr)
    # an altered block: the signature no longer matches (exit 3)
    head, block = text.split("-----BEGIN CEPTOAR SIGNED ALERT-----\r\n")
    b64, tail = block.split("-----END CEPTOAR SIGNED ALERT-----")
    signed = json.loads(base64.b64decode("".join(b64.split())))
    signed["body_ja"] = "本文を書き換えました"
    altered = "%s-----BEGIN CEPTOAR SIGNED ALERT-----\r\n%s\r\n-----END CEPTOAR SIGNED ALERT-----%s" % (
        head, base64.b64encode(json.dumps(signed).encode()).decode(), tail)
    p = verify_cli(dep, tmp_path, "altered.txt", altered.encode("utf-8"))
    assert p.returncode == 3 and "does not match" in p.stdout, (p.stdout, p.stderr)
    # a mail without a block, and a broken block: exit 1 with the reason
    p = verify_cli(dep, tmp_path, "plain.txt", "ただのメールです\r\n".encode("utf-8"))
    assert p.returncode == 1 and "no signature block" in p.stderr, p.stderr
    p = verify_cli(dep, tmp_path, "broken.txt", (head + "-----BEGIN CEPTOAR SIGNED ALERT-----\r\n"
                                                "***\r\n-----END CEPTOAR SIGNED ALERT-----").encode("utf-8"))
    assert p.returncode == 1 and "not base64" in p.stderr, p.stderr


def test_red_alert_body_withheld(dep, smtp, hooks):
    org, rcpt, path = operator_with_contacts(dep, hooks)
    alert = send_alert(dep, {"orgs": [org["id"]]}, tlp="RED", title="機密の注意喚起 " + unique("r"))
    raw = wait_for("the e-mail", lambda: smtp.box.to(rcpt), dep)[0][2]
    _, subject, text = parse_mail(raw)
    assert "Sign in to read" in text and "サインインして読んでください" in text
    assert "/api/v1/deliveries/" in text
    assert "非常用電源" not in text and alert["title_ja"] not in text
    assert "SIGNED ALERT" not in text  # nothing of the alert, not even its signed part
    assert alert["title_ja"] not in subject and "TLP:RED" in subject
    payload = verify_signature(wait_for("the webhook", lambda: hooks.to(path), dep)[0])
    assert payload["withheld"] is True and payload["alert_id"] == alert["id"]
    assert "body_ja" not in payload and "title_ja" not in payload and "signed_alert" not in payload


def test_webhook_retried_until_delivered(dep, smtp, hooks):
    org, rcpt, path = operator_with_contacts(dep, hooks)
    with hooks.lock:
        hooks.script[path] = [500, 500, 500]
    alert = send_alert(dep, {"orgs": [org["id"]]})
    wait_for("four webhook attempts", lambda: len(hooks.to(path)) >= 4, dep)
    time.sleep(2)
    reqs = hooks.to(path)
    assert [r[3] for r in reqs] == [500, 500, 500, 200]
    assert all(verify_signature(r)["event"] == "alert" for r in reqs)
    hook = [r for r in sends_of(dep, alert["id"]) if r["channel"] == "webhook"][0]
    assert hook["state"] == "sent" and hook["attempts"] == 4, hook
    log = db_rows(dep, "SELECT attempt, ok, error FROM send_attempts WHERE send_id = ?"
                       " ORDER BY attempt", (hook["id"],))
    assert [(a["attempt"], a["ok"]) for a in log] == [(1, 0), (2, 0), (3, 0), (4, 1)], log
    assert all("500" in a["error"] for a in log[:3])
    assert len(smtp.box.to(rcpt)) == 1


def test_smtp_down_nothing_lost(dep, smtp, hooks):
    org, rcpt, path = operator_with_contacts(dep, hooks)
    smtp.stop()
    try:
        alert = send_alert(dep, {"orgs": [org["id"]]})

        def failed_once():
            rows = [r for r in sends_of(dep, alert["id"]) if r["channel"] == "email"]
            return rows and rows[0]["attempts"] >= 1 and rows[0]["state"] == "pending" \
                and rows[0]["last_error"] and rows

        rows = wait_for("a failed SMTP attempt", failed_once, dep)
        assert rows[0]["last_error"].startswith("smtp:"), rows
        time.sleep(1)
    finally:
        smtp.start()
    wait_for("the e-mail after the retry", lambda: smtp.box.to(rcpt), dep)
    time.sleep(1.5)
    assert len(smtp.box.to(rcpt)) == 1
    mail = [r for r in sends_of(dep, alert["id"]) if r["channel"] == "email"][0]
    assert mail["state"] == "sent" and mail["attempts"] >= 2, mail
    log = db_rows(dep, "SELECT ok FROM send_attempts WHERE send_id = ? ORDER BY attempt", (mail["id"],))
    assert [a["ok"] for a in log] == [0] * (len(log) - 1) + [1]


def test_escalation_at_deadline(dep, smtp, hooks):
    org, rcpt, path = operator_with_contacts(dep, hooks, ceptoars=["bank-ceptoar"])
    deadline = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=6)
    op1 = dep.orgs["op1"]["id"]
    alert = send_alert(dep, {"orgs": [org["id"], op1]},
                       ack_deadline=deadline.strftime("%Y-%m-%dT%H:%M:%SZ"))
    wait_for("the first e-mail", lambda: smtp.box.to(rcpt), dep)
    # op1 acknowledges in time: it is not escalated
    item = wait_for("op1's delivery", lambda: [i for i in dep.get(
        "/api/v1/inbox", token="operator").json()["items"] if i["alert"] == alert["id"]], dep)[0]
    r = dep.post("/api/v1/deliveries/%d/ack" % item["id"], None, token="operator")
    assert r.status_code == 200, describe(r)

    def escalated():
        r2 = dep.get("/api/v1/alerts/%s/deliveries" % alert["id"], token="nisc",
                     params={"state": "escalated"})
        assert r2.status_code == 200, describe(r2)
        return r2.json()["items"]

    items = wait_for("the escalation", escalated, dep, timeout=WAIT + 10)
    assert [i["org"] for i in items] == [org["id"]] and items[0]["escalated_at"]
    mails = wait_for("the reminder e-mail", lambda: len(smtp.box.to(rcpt)) >= 2 and smtp.box.to(rcpt), dep)
    _, subject, text = parse_mail(mails[1][2])
    assert "Reminder" in subject and alert["title_ja"] in subject and "[Reminder]" in text
    posts = wait_for("the webhook resend", lambda: len(hooks.to(path)) >= 2 and hooks.to(path), dep)
    assert {k.lower(): v for k, v in posts[1][1].items()}["x-ceptoar-event"] == "escalation"
    assert verify_signature(posts[1])["event"] == "escalation"
    time.sleep(2)
    assert len(smtp.box.to(rcpt)) == 2 and len(hooks.to(path)) == 2
    # notices: the sender (NISC) and the secretariat of the delivery's CEPTOAR, each
    # through GET /api/v1/notices; nobody else's list holds them
    for token in ("nisc", "ceptoar"):
        notices = [n for n in dep.all_items("/api/v1/notices", token=token) if n["alert"] == alert["id"]]
        assert len(notices) == 1, (token, notices)
        assert notices[0]["kind"] == "escalation" and notices[0]["org"] == org["id"], notices
        assert notices[0]["escalated_at"] and notices[0]["acked_at"] is None, notices
    assert not [n for n in dep.all_items("/api/v1/notices", token="ministry") if n["alert"] == alert["id"]]
    # the delivery's channel record shows both reasons for the e-mail and the webhook
    ch = dep.ok("GET", "/api/v1/deliveries/%d/channels" % items[0]["id"], token="nisc")
    assert sorted((x["channel"], x["reason"], x["state"]) for x in ch["sends"]) == [
        ("email", "alert", "sent"), ("email", "escalation", "sent"),
        ("webhook", "alert", "sent"), ("webhook", "escalation", "sent")], ch
    acked = db_rows(dep, "SELECT escalated_at FROM deliveries WHERE alert_id = ? AND org_id = ?",
                    (alert["id"], op1))
    assert acked == [{"escalated_at": None}]


def test_without_smtp_email_waits_and_stop_is_prompt(tmp_path_factory, hooks):
    d = Deployment(str(tmp_path_factory.mktemp("ceptoar-ch2")), tag="cx",
                   env={"CEPTOAR_RETRY_BASE_SECONDS": "1"})
    try:
        d.start()
        org = d.make_operator(sector="finance")
        tag = unique("h")
        add_contact(d, org["id"], "email", "soc-%s@op.example.jp" % tag)
        add_contact(d, org["id"], "webhook", hooks.url("/hang/%s" % tag), SECRET)
        alert = send_alert(d, {"orgs": [org["id"]]})
        # the webhook goes (and hangs in the receiver); the e-mail waits, not failed
        wait_for("the hanging webhook", lambda: hooks.to("/hang/%s" % tag), d)
        time.sleep(1)
        mail = [r for r in sends_of(d, alert["id"]) if r["channel"] == "email"][0]
        assert mail["state"] == "pending" and mail["attempts"] == 0, mail
        assert d.server.log_text().count("CEPTOAR_SMTP_URL is not set") == 1
        # stopping while the transfer hangs: prompt, clean, and the send is kept
        t0 = time.time()
        d.server.assert_clean_stop()
        assert time.time() - t0 < 8
        d.server = None
        hook = [r for r in sends_of(d, alert["id"]) if r["channel"] == "webhook"][0]
        assert hook["state"] == "pending" and "stopped" in hook["last_error"], hook
        assert os.path.exists(d.db)
    finally:
        if d.server:
            d.server.stop()
