"""No data lost: the server is killed with SIGKILL in the middle of a stream
of concurrent report submissions and alert fan-outs, then restarted. Every
write the API acknowledged (2xx) must be there whole, nothing half-written
may be visible, and the outbox must resume: every alert is fanned out
exactly once (one delivery per receiving organisation)."""

import concurrent.futures
import os
import sqlite3
import threading
import time

import pytest
import requests

from apilib import Deployment, Server, unique

WRITERS = 12        # concurrent report submitters
ALERTERS = 2        # concurrent alert senders
MEMBERS = 600       # bank-ceptoar members to fan out to
RUN_BEFORE_KILL = 2.0  # seconds of load before SIGKILL


@pytest.fixture(scope="module")
def dep(tmp_path_factory):
    d = Deployment(str(tmp_path_factory.mktemp("durability")), tag="dur").start()
    rows = ["code,name_ja,sector,ceptoars"]
    rows += ["DUR%05d,耐久事業者%d,finance,bank-ceptoar" % (i, i) for i in range(MEMBERS)]
    r = d.request("POST", "/api/v1/orgs/import", data="\r\n".join(rows).encode("utf-8"),
                  headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    yield d
    d.stop()


def _post(url, token, path, body, stop, acked, failures):
    s = requests.Session()
    s.headers["Authorization"] = "Bearer " + token
    while not stop.is_set():
        payload = body()
        try:
            r = s.post(url + path, json=payload, timeout=10)
        except requests.RequestException:
            failures.append("connection")
            continue
        if r.status_code == 201:
            acked.append((r.json()["id"], payload))
        elif r.status_code >= 500 or r.status_code < 200:
            failures.append(r.status_code)
        else:
            raise AssertionError("unexpected answer %d: %s" % (r.status_code, r.text))


def test_sigkill_loses_no_acknowledged_write(dep):
    url = dep.url
    stop = threading.Event()
    reports, alerts, failures = [], [], []

    def report_body():
        t = unique("停電報告")
        return {"title": t, "description": "本文 " + t * 3, "tlp": "AMBER", "scope": "ceptoar",
                "indicators": [{"type": "ip", "value": "192.0.2.%d" % (len(t) % 250)}]}

    def alert_body():
        return {"severity": "high", "title_ja": unique("注意喚起"), "body_ja": "非常用電源の確認",
                "audience": {"ceptoars": ["bank-ceptoar"]}}

    with concurrent.futures.ThreadPoolExecutor(WRITERS + ALERTERS) as pool:
        futs = [pool.submit(_post, url, dep.tokens["operator"], "/api/v1/reports", report_body,
                            stop, reports, failures) for _ in range(WRITERS)]
        futs += [pool.submit(_post, url, dep.tokens["nisc"], "/api/v1/alerts", alert_body,
                             stop, alerts, failures) for _ in range(ALERTERS)]
        time.sleep(RUN_BEFORE_KILL)
        dep.server.proc.kill()          # SIGKILL: no chance to flush or finish
        dep.server.proc.wait()
        time.sleep(0.3)
        stop.set()
        for f in futs:
            f.result()
    dep.server.log.close()
    print("acknowledged before SIGKILL: %d reports, %d alerts; %d refused or cut" % (
        len(reports), len(alerts), len(failures)))
    assert len(reports) > 50, "too little load before the kill: %d reports" % len(reports)
    assert alerts, "no alert was acknowledged before the kill"

    # Restart on the same database.
    dep.server = Server(dep.db, dep.dir)
    dep.server.wait_ready()
    dep.url = dep.server.url

    # Every acknowledged report is there, whole.
    for rid, payload in reports:
        r = dep.get("/api/v1/reports/" + rid, token="operator")
        assert r.status_code == 200, "acknowledged report %s lost: %s" % (rid, r.text)
        got = r.json()
        assert got["title"] == payload["title"] and got["description"] == payload["description"]
        assert got["version"] == 1 and len(got["indicators"]) == 1

    # Every acknowledged alert is fanned out, exactly once per org.
    expected = MEMBERS + 1 + 1  # members, the operator org of the deployment, the secretariat
    deadline = time.time() + 60
    for aid, _ in alerts:
        while True:
            r = dep.get("/api/v1/alerts/%s/deliveries" % aid, token="nisc", params={"limit": 1})
            assert r.status_code == 200, r.text
            body = r.json()
            if body["fanout"] == "done":
                break
            assert time.time() < deadline, "fan-out of %s did not resume: %s" % (aid, body)
            time.sleep(0.2)
        assert body["recipients"] == expected, body

    # Nothing half-written is visible, acknowledged or not.
    con = sqlite3.connect("file:%s?mode=ro" % dep.db, uri=True)
    try:
        assert con.execute("SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM"
                           " report_versions v WHERE v.report_id = r.id AND v.version = r.version)"
                           ).fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM report_versions v WHERE NOT EXISTS (SELECT 1"
                           " FROM reports r WHERE r.id = v.report_id)").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM alerts a WHERE a.fanout_state = 'done' AND"
                           " a.recipients <> (SELECT count(*) FROM deliveries d WHERE d.alert_id"
                           " = a.id)").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM alerts a WHERE NOT EXISTS (SELECT 1 FROM outbox"
                           " o WHERE o.kind = 'fanout' AND o.ref = a.id)").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM (SELECT alert_id, org_id FROM deliveries GROUP BY"
                           " alert_id, org_id HAVING count(*) > 1)").fetchone()[0] == 0
        # every audit entry of the stream is chained: the trail verifies
    finally:
        con.close()
    r = dep.get("/api/v1/audit/verify", token="auditor")
    assert r.status_code == 200 and r.json()["ok"] is True, r.text
