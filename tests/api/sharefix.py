"""Helpers of the information-sharing tests (test_reports.py, test_alerts.py,
test_share_policy.py): extra principals in a deployment, report and alert
bodies, waiting for the fan-out, and the few reads they share.

Everything goes through the product's own interfaces (HTTP API and CLI)."""

import datetime
import json
import time

from apilib import describe, unique

FANOUT_TIMEOUT = 10  # seconds the delivery worker has to fan an alert out


def add_org(dep, sector, ceptoars, prefix="op", name_ja=None, name_en=None):
    """A new operator org through POST /api/v1/orgs (as admin); with its code."""
    code = unique(prefix)
    body = {"kind": "operator", "code": code, "name_ja": name_ja or ("事業者" + code),
            "name_en": name_en or ("Operator " + code), "sector": sector, "ceptoars": ceptoars}
    r = dep.post("/api/v1/orgs", body)
    assert r.status_code == 201, describe(r)
    org = r.json()
    assert org.get("id"), describe(r)
    org.setdefault("code", code)
    org.setdefault("name_ja", body["name_ja"])
    org.setdefault("name_en", body["name_en"])
    return org


def add_principal(dep, key, org, role):
    """A user of org (id or code) with role and a token, usable as token=key."""
    u = dep.make_user(org=org, role=role)
    t = dep.make_token(u["name"], days=2)
    assert t.get("token"), t
    dep.tokens[key] = t["token"]
    dep.user_names[key] = u["name"]
    return u


def report_body(**over):
    """A small valid report; over replaces or adds members (None removes one)."""
    body = {"title": "試験報告 " + unique("r"), "description": "試験のための報告です。",
            "status": "first", "occurred_at": "2026-04-01T09:30:00+09:00",
            "detected_at": "2026-04-01T09:45:00+09:00", "cause_category": "unintentional",
            "threat_types": ["equipment-failure"], "tlp": "AMBER", "scope": "ministry"}
    for k, v in over.items():
        if v is None:
            body.pop(k, None)
        else:
            body[k] = v
    return body


def create_report(dep, token, **over):
    r = dep.post("/api/v1/reports", report_body(**over), token=token)
    assert r.status_code == 201, describe(r)
    rep = r.json()
    assert rep.get("id") and rep.get("version") == 1, describe(r)
    return rep


def report_ids(dep, token, params=None):
    """(ids of every report the principal lists, the list's total)."""
    p = {"limit": 500}
    p.update(params or {})
    r = dep.get("/api/v1/reports", token=token, params=p)
    assert r.status_code == 200, describe(r)
    body = r.json()
    assert body["total"] <= 500, "more reports than one page: %s" % describe(r)
    return [it["id"] for it in body["items"]], body["total"], r


def parse_time(s):
    """An RFC 3339 time as an aware datetime (for comparing instants)."""
    assert isinstance(s, str), "not an RFC 3339 string: %r" % (s,)
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def alert_body(audience, **over):
    body = {"severity": "high", "title_ja": "注意喚起 " + unique("a"), "title_en": "Advisory",
            "body_ja": "脆弱性を悪用する攻撃が確認されています。", "body_en": "Attacks observed.",
            "actions": "パッチを適用してください。", "audience": audience, "tlp": "GREEN",
            "ack_within_hours": 24}
    for k, v in over.items():
        if v is None:
            body.pop(k, None)
        else:
            body[k] = v
    return body


def send_alert(dep, token, audience, **over):
    r = dep.post("/api/v1/alerts", alert_body(audience, **over), token=token)
    assert r.status_code == 201, describe(r)
    a = r.json()
    assert a.get("id"), describe(r)
    return a


def deliveries(dep, alert_id, token="nisc", params=None):
    p = {"limit": 500}
    p.update(params or {})
    r = dep.get("/api/v1/alerts/%s/deliveries" % alert_id, token=token, params=p)
    assert r.status_code == 200, describe(r)
    return r.json()


def wait_fanout(dep, alert_id, token="nisc", timeout=FANOUT_TIMEOUT):
    """Poll the sender's deliveries view until the fan-out is done; returns
    (the view, seconds waited). Fails after timeout seconds."""
    start = time.time()
    while True:
        view = deliveries(dep, alert_id, token=token)
        if view.get("fanout") == "done":
            return view, time.time() - start
        if time.time() - start > timeout:
            raise AssertionError("fan-out of alert %s not done within %d s: %s" % (
                alert_id, timeout, json.dumps(view, ensure_ascii=False)[:1500]))
        time.sleep(0.1)


def alert_of(item):
    """The alert id an inbox item or delivery belongs to."""
    a = item.get("alert")
    if isinstance(a, dict):
        return a.get("id")
    return a if a is not None else item.get("alert_id")


def inbox(dep, token, params=None):
    p = {"limit": 500}
    p.update(params or {})
    r = dep.get("/api/v1/inbox", token=token, params=p)
    assert r.status_code == 200, describe(r)
    return r.json()


def inbox_for(dep, token, alert_id, params=None):
    """The principal's inbox items of one alert."""
    return [it for it in inbox(dep, token, params)["items"] if alert_of(it) == alert_id]


def org_of(item):
    o = item.get("org")
    return o.get("id") if isinstance(o, dict) else o


def cli_json(p):
    """The JSON a CLI command printed on stdout."""
    try:
        return json.loads(p.stdout)
    except ValueError:
        raise AssertionError("%s did not print JSON:\nstdout: %s\nstderr: %s" % (
            " ".join(p.args), p.stdout[-2000:], p.stderr[-2000:]))


def list_items(v):
    """Items of a printed list: {"items": [...]} or a bare array."""
    if isinstance(v, dict):
        assert "items" in v, v
        return v["items"]
    assert isinstance(v, list), v
    return v
