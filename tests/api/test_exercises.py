"""Cross-sector exercises (分野横断的演習) against a running server.

The flagship: a blackout is simulated by the analysis engine (a job on a small
facility model with a known timeline), the exercise's injects are generated from
it for three sectors, players in those sectors answer with the normal tools inside
the exercise while the controller moves the scenario clock, and the after-action
figures are checked against the timeline the test played. Around it: the clock
running by itself in accelerated time, isolation (nothing of an exercise in real
lists, searches, counts, correlations; deleting it removes its world), who may do
what, the MSEL in CSV and JSON with bad rows reported by line, the built-in
templates, and every bad input answered with the field at fault.
"""

import base64
import email
import email.header
import json
import time

import pytest

from apilib import assert_error, describe, unique
from receivers import SECRET, hooks, receiving_deployment, smtp, wait_for  # noqa: F401 (fixtures)
from sharefix import add_org, add_principal, report_body

X = "X-Ceptoar-Exercise"

# The facility model of the analysis tests, named: a plant feeds a substation
# (one grid, power/13); the substation feeds an exchange with 4 h of battery; the
# exchange serves a bank's core system at once. The plant is down from hour 1.
MODEL = {
    "name": "東京の一区画",
    "nodes": [
        {"id": "plant", "name": "東京 発電所 1", "sector": "electricity", "region": "13",
         "layer": "power/13", "source": True, "repair_hours": 1},
        {"id": "sub", "name": "東京 変電所 1", "sector": "electricity", "region": "13",
         "layer": "power/13", "repair_hours": 2},
        {"id": "exch", "name": "東京 交換局 1", "sector": "info-comm", "region": "13",
         "layer": "comms/13", "source": True, "repair_hours": 1},
        {"id": "bank", "name": "東京 勘定系 1", "sector": "finance", "region": "13", "weight": 5,
         "repair_hours": 0.5},
    ],
    "dependencies": [
        {"supplier": "sub", "dependent": "exch", "kind": "power", "buffer_hours": 4},
        {"supplier": "exch", "dependent": "bank", "kind": "communications"},
    ],
    "links": [["plant", "sub"]],
}
SCENARIO = {"name": "発電所の停止", "horizon_hours": 48,
            "events": [{"node": "plant", "start_hours": 1, "duration_hours": 10}]}
H = 3600
M = 60


@pytest.fixture(scope="module")
def ex(tmp_path_factory, smtp, hooks):
    """A deployment whose delivery worker sends to a real SMTP server and webhook receiver."""
    d = receiving_deployment(tmp_path_factory, smtp, "ex")
    d.orgs["power"] = add_org(d, "electricity", [], prefix="pw")
    d.orgs["tel"] = add_org(d, "info-comm", [], prefix="tl")
    add_principal(d, "power", d.orgs["power"]["code"], "operator")
    add_principal(d, "tel", d.orgs["tel"]["code"], "operator")
    yield d
    d.stop()


def ok(dep, method, path, body=None, token="nisc", status=None, **kw):
    return dep.ok(method, path, body, token=token, status=status, **kw)


def wait_job(dep, job_id, timeout=60):
    deadline = time.time() + timeout
    while True:
        j = ok(dep, "GET", "/api/v1/analysis/jobs/" + job_id)
        if j["state"] not in ("queued", "running"):
            return j
        assert time.time() < deadline, "job %s still %s" % (job_id, j["state"])
        time.sleep(0.05)


def blackout_job(dep, model=MODEL):
    r = dep.request("POST", "/api/v1/analysis/models", token="nisc", params={"name": "tokyo"},
                    data=json.dumps(model, ensure_ascii=False).encode(),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 201, describe(r)
    job = ok(dep, "POST", "/api/v1/analysis/jobs", {"kind": "run", "model": r.json()["id"],
                                                      "options": {"scenario": SCENARIO}}, status=202)
    done = wait_job(dep, job["id"])
    assert done["state"] == "done", done
    return done["id"]


def new_exercise(dep, **over):
    body = {"title": "演習 " + unique("e"), "cause": "保護装置の誤動作",
            "cause_category": "unintentional", "cause_hidden": True}
    body.update(over)
    return ok(dep, "POST", "/api/v1/exercises", body, status=201)


def clock(dep, eid, action, token="nisc", **kw):
    body = {"action": action}
    body.update(kw)
    return ok(dep, "POST", "/api/v1/exercises/%s/clock" % eid, body, token=token)


def inbox(dep, token, eid):
    return dep.all_items("/api/v1/inbox", token=token, params=None) if eid is None else \
        ok(dep, "GET", "/api/v1/inbox", token=token, headers={X: eid})["items"]


def wait_inbox(dep, token, eid, n, timeout=10):
    deadline = time.time() + timeout
    while True:
        items = inbox(dep, token, eid)
        if len(items) >= n:
            return items
        assert time.time() < deadline, "%s has %d exercise deliveries, not %d" % (token, len(items), n)
        time.sleep(0.1)


def ack_all(dep, token, eid):
    for it in inbox(dep, token, eid):
        if not it["acked_at"]:
            ok(dep, "POST", "/api/v1/deliveries/%d/ack" % it["id"], {}, token=token, headers={X: eid})


def report(dep, token, eid, **over):
    r = dep.post("/api/v1/reports", report_body(**over), token=token, headers={X: eid})
    assert r.status_code == 201, describe(r)
    return r.json()


def update(dep, token, eid, rep, **over):
    body = {"version": rep["version"]}
    body.update(over)
    r = dep.patch("/api/v1/reports/" + rep["id"], body, token=token, headers={X: eid})
    assert r.status_code == 200, describe(r)
    return r.json()


def row(rep, code, seq):
    rows = [r for r in rep["rows"] if r["org_code"] == code and r["inject_seq"] == seq]
    assert len(rows) == 1, (code, seq, rep["rows"])
    return rows[0]


# ---- the flagship ------------------------------------------------------------------

def test_a_three_sector_exercise_generated_from_a_blackout(ex):
    job = blackout_job(ex)
    e = new_exercise(ex, speed=1)
    eid = e["id"]
    assert e["state"] == "planned" and e["parts"] == ["owner"] and e["marking"] == "訓練 / EXERCISE"
    for org in ("power", "tel", "op1"):
        ok(ex, "POST", "/api/v1/exercises/%s/members" % eid,
           {"role": "player", "org": ex.orgs[org]["code"]}, status=201)
    ok(ex, "POST", "/api/v1/exercises/%s/members" % eid,
       {"role": "evaluator", "user": ex.user_names["ministry"]}, status=201)
    ok(ex, "POST", "/api/v1/exercises/%s/members" % eid,
       {"role": "adviser", "user": ex.user_names["agency"]}, status=201)

    # the engine's timeline: plant and substation at T+1h, exchange (battery) and bank at T+5h
    gen = ok(ex, "POST", "/api/v1/exercises/%s/generate" % eid, {"job": job})
    assert gen["added"] == 4, gen
    got = sorted((i["at_s"], i["to"][0], i["title"]) for i in gen["injects"])
    assert [(a, t) for a, t, _ in got] == [(1 * H, "sector:electricity"), (1 * H, "sector:electricity"),
                                           (5 * H, "sector:finance"), (5 * H, "sector:info-comm")], got
    assert any("東京 交換局" in t and "1 か所" in t for _, _, t in got), got
    tel_inject = [i for i in gen["injects"] if i["to"] == ["sector:info-comm"]][0]
    assert "電力の途絶" in tel_inject["description"], tel_inject["description"]
    seq = {i["to"][0] + "/" + i["title"]: i["seq"] for i in gen["injects"]}
    tel_seq = [s for k, s in seq.items() if k.startswith("sector:info-comm")][0]
    bank_seq = [s for k, s in seq.items() if k.startswith("sector:finance")][0]
    power_seqs = sorted(s for k, s in seq.items() if k.startswith("sector:electricity"))

    # players cannot act before the start
    r = ex.get("/api/v1/inbox", token="power", headers={X: eid})
    assert_error(r, 422, message_contains="not started")

    clock(ex, eid, "start")
    clock(ex, eid, "pause")
    e = clock(ex, eid, "advance", to="T+1h")
    assert e["state"] == "paused" and e["scenario_s"] == 1 * H
    power_in = wait_inbox(ex, "power", eid, 2)
    assert all(i["title_ja"].startswith("【訓練】T+01:00") and i["exercise"] == eid for i in power_in)
    assert inbox(ex, "tel", eid) == [] and inbox(ex, "operator", eid) == []

    # T+1h20m: the power operator acknowledges both and reports the right cause
    clock(ex, eid, "advance", to="T+1h20m")
    ack_all(ex, "power", eid)
    prep = report(ex, "power", eid, title="変電所停止", scope="ministry")
    # T+1h50m: it shares beyond its sector (scope council)
    clock(ex, eid, "advance", by="30m")
    update(ex, "power", eid, prep, scope="council")

    # T+5h: the exchange's battery is out; the bank's core system follows
    clock(ex, eid, "advance", to="T+5h")
    wait_inbox(ex, "tel", eid, 1)
    wait_inbox(ex, "operator", eid, 1)
    # T+5h10m: telecom acknowledges, reports a wrong cause and shares it with everyone
    clock(ex, eid, "advance", to="T+5h10m")
    ack_all(ex, "tel", eid)
    trep = report(ex, "tel", eid, title="交換局停止", scope="council", cause_category="intentional",
                  threat_types=["unauthorized-intrusion"])
    # the controller reveals the cause to the players
    e = ok(ex, "POST", "/api/v1/exercises/%s/reveal" % eid)
    assert e["revealed_s"] == 5 * H + 10 * M
    reveal = wait_inbox(ex, "tel", eid, 2)
    assert any("原因の判明" in i["title_ja"] and "保護装置の誤動作" in i["body_ja"] for i in reveal)
    # T+6h10m: telecom corrects its cause; the bank never answers
    clock(ex, eid, "advance", to="T+6h10m")
    update(ex, "tel", eid, trep, cause_category="unintentional", threat_types=["equipment-failure"])

    # the live status a controller watches
    st = ok(ex, "GET", "/api/v1/exercises/%s/status" % eid)
    by = {p["org_code"]: p for p in st["players"]}
    assert (by[ex.orgs["power"]["code"]]["delivered"], by[ex.orgs["power"]["code"]]["acked"]) == (2, 2)
    assert by[ex.orgs["tel"]["code"]]["reports"] == 2 and by[ex.orgs["op1"]["code"]]["acked"] == 0

    # accelerated time: an inject at T+6h40m arrives by the clock alone (1 s = 10 min)
    ok(ex, "POST", "/api/v1/exercises/%s/injects" % eid,
       {"at": "T+6h40m", "to": [ex.orgs["op1"]["code"]], "title": "ATMの停止", "expected": ["ack"]},
       status=201)
    clock(ex, eid, "speed", speed=600)
    t0 = time.time()
    clock(ex, eid, "resume")
    before = len(inbox(ex, "operator", eid))  # its T+5h inject and the reveal
    items = wait_inbox(ex, "operator", eid, before + 1, timeout=15)
    took = time.time() - t0
    assert any("ATMの停止" in i["title_ja"] for i in items)
    assert took >= 2.0, "the T+6h40m inject came %.1f s after resuming at T+6h10m (3 s due)" % took
    e = clock(ex, eid, "end")
    assert e["state"] == "ended" and e["scenario_s"] >= 6 * H + 40 * M
    # an ended exercise is kept to read, not to change
    assert_error(ex.post("/api/v1/reports", report_body(), token="tel", headers={X: eid}), 422,
                 message_contains="ended")
    assert len(inbox(ex, "tel", eid)) == 2

    # the after-action figures, against the timeline played above
    rep = ok(ex, "GET", "/api/v1/exercises/%s/report" % eid, token="ministry")
    pcode, tcode, bcode = ex.orgs["power"]["code"], ex.orgs["tel"]["code"], ex.orgs["op1"]["code"]
    for s in power_seqs:
        r = row(rep, pcode, s)
        assert (r["ack_s"], r["report_s"], r["share_s"], r["cause_s"]) == (20 * M, 20 * M, 50 * M, 20 * M), r
        assert all(x["met"] for x in r["expected"]), r
    r = row(rep, tcode, tel_seq)
    assert (r["ack_s"], r["report_s"], r["share_s"], r["cause_s"]) == (10 * M, 10 * M, 10 * M, 70 * M), r
    r = row(rep, bcode, bank_seq)
    assert (r["ack_s"], r["report_s"], r["share_s"], r["cause_s"]) == (None, None, None, None), r
    assert r["expected"] and not any(x["met"] for x in r["expected"]), r
    sectors = {s["team"]: s for s in rep["sectors"]}
    assert set(sectors) == {"electricity", "info-comm", "finance"}
    assert sectors["electricity"]["ack"] == {"n": 2, "mean": 20 * M, "median": 20 * M, "max": 20 * M}
    assert sectors["electricity"]["share"]["median"] == 50 * M
    assert sectors["info-comm"]["cause"]["max"] == 70 * M
    assert sectors["finance"]["ack"]["n"] == 0 and sectors["finance"]["missed"] >= 3
    parts = {p["org_code"]: p for p in rep["participants"]}
    # ack, report and share of the sector's first inject; ack and report of the second
    assert parts[pcode]["met"] == 5 and parts[pcode]["missed"] == 0
    assert parts[bcode]["met"] == 0

    # evaluators observe and draw lessons, advisers advise
    ok(ex, "POST", "/api/v1/exercises/%s/notes" % eid,
       {"kind": "observation", "body": "金融分野の受領確認がなかった", "org": bcode}, token="ministry",
       status=201)
    ok(ex, "POST", "/api/v1/exercises/%s/notes" % eid,
       {"kind": "lesson", "body": "夜間の連絡先を更新する", "owner": "金融セプター", "due": "2027-03-31"},
       token="ministry", status=201)
    ok(ex, "POST", "/api/v1/exercises/%s/notes" % eid,
       {"kind": "advice", "body": "代替連絡手段の訓練を推奨"}, token="agency", status=201)
    r = ex.post("/api/v1/exercises/%s/notes" % eid, {"kind": "observation", "body": "x"}, token="agency")
    assert_error(r, 403, field="kind")
    rep = ok(ex, "GET", "/api/v1/exercises/%s/report" % eid, token="agency")
    assert [n["kind"] for n in rep["notes"]] == ["observation", "lesson", "advice"]

    # CSV and HTML exports of the same figures
    csv = ex.get("/api/v1/exercises/%s/report" % eid, token="ministry", params={"format": "csv"})
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert lines[0].startswith("inject_seq,scenario_time,inject_title,org_code")
    assert len(lines) == 1 + len(rep["rows"])
    assert any(l.startswith("%d,T+05:00," % tel_seq) and (",600,600,600,4200," in l) for l in lines), lines
    html = ex.get("/api/v1/exercises/%s/report" % eid, token="ministry", params={"format": "html"})
    assert html.status_code == 200 and "attachment" in html.headers["Content-Disposition"]
    assert "訓練 / EXERCISE" in html.text and "<svg" in html.text and "@media print" in html.text
    assert pcode in html.text and "夜間の連絡先を更新する" in html.text


def test_generation_reads_names_that_the_run_marked_for_spreadsheets(ex):
    """The run's nodes.csv marks a name a spreadsheet would run ('=...): the
    injects made from it name the facility as it is, without the mark."""
    model = json.loads(json.dumps(MODEL))
    model["nodes"][3]["name"] = '=HYPERLINK("http://x.example/") 1'
    job = blackout_job(ex, model)
    eid = new_exercise(ex)["id"]
    gen = ok(ex, "POST", "/api/v1/exercises/%s/generate" % eid, {"job": job})
    bank = [i for i in gen["injects"] if i["to"] == ["sector:finance"]]
    assert len(bank) == 1, gen["injects"]
    assert '=HYPERLINK("http://x.example/")' in bank[0]["title"], bank[0]
    assert "'=" not in bank[0]["title"] + bank[0]["description"], bank[0]


def test_the_generated_exercise_runs_by_itself_in_accelerated_time(ex):
    """The same generated scenario, nobody touching the clock: at 1,800 scenario seconds a
    second the T+1h injects come 2 s after the start and the T+5h ones 10 s after; each
    player acknowledges and reports as soon as its inject arrives, so every measured time
    is within what a second of polling can add at that speed."""
    job = blackout_job(ex)
    e = new_exercise(ex, speed=1800)
    eid = e["id"]
    for org in ("power", "tel", "op1"):
        ok(ex, "POST", "/api/v1/exercises/%s/members" % eid, {"role": "player", "org": ex.orgs[org]["code"]},
           status=201)
    injects = ok(ex, "POST", "/api/v1/exercises/%s/generate" % eid, {"job": job})["injects"]
    t0 = time.time()
    clock(ex, eid, "start")
    want = {"power": 2, "tel": 1, "operator": 1}
    arrived = {}
    while len(arrived) < 3:
        assert time.time() - t0 < 30, "injects still missing after 30 s: %s" % arrived
        for tok, n in want.items():
            if tok in arrived:
                continue
            items = inbox(ex, tok, eid)
            if len(items) >= n:
                arrived[tok] = time.time() - t0
                ack_all(ex, tok, eid)
                report(ex, tok, eid, title="自動応答 " + tok, scope="council")
        time.sleep(0.1)
    # the scenario's hours, in real seconds at 1,800 per second (the worker wakes for each)
    assert 1.5 <= arrived["power"] < 4.5, arrived
    assert 9.5 <= arrived["tel"] < 12.5 and 9.5 <= arrived["operator"] < 12.5, arrived
    clock(ex, eid, "end")
    rep = ok(ex, "GET", "/api/v1/exercises/%s/report" % eid)
    assert len(rep["rows"]) == 4 and sorted(r["at_s"] for r in rep["rows"]) == sorted(
        i["at_s"] for i in injects) == [H, H, 5 * H, 5 * H]
    for r in rep["rows"]:
        # acted within ~2.5 real seconds of the inject's time: 75 scenario minutes at most
        for k in ("ack_s", "report_s", "share_s", "cause_s"):
            assert r[k] is not None and 0 <= r[k] <= 75 * M, (k, r)
        assert all(x["met"] for x in r["expected"]), r


def test_a_user_can_play_for_their_organisation(ex):
    e = new_exercise(ex)
    eid = e["id"]
    ok(ex, "POST", "/api/v1/exercises/%s/members" % eid, {"role": "player", "user": ex.user_names["tel"]},
       status=201)
    ok(ex, "POST", "/api/v1/exercises/%s/injects" % eid, {"at": 0, "title": "個人参加"}, status=201)
    clock(ex, eid, "start")
    assert [i["title_ja"] for i in wait_inbox(ex, "tel", eid, 1)] == ["【訓練】T+00:00 個人参加"]
    st = ok(ex, "GET", "/api/v1/exercises/%s/status" % eid)
    assert [p["org_code"] for p in st["players"]] == [ex.orgs["tel"]["code"]]


def test_the_command_line(ex):
    from apilib import run_cli
    out = run_cli(["exercise", "create", "--template", "telecom-2010", "--speed", "60", "--json"], db=ex.db)
    eid = json.loads(out.stdout)["id"]
    assert json.loads(run_cli(["exercise", "show", eid, "--json"], db=ex.db).stdout)["speed"] == 60
    csv = run_cli(["exercise", "msel-export", eid], db=ex.db).stdout
    assert csv.startswith("sequence,scenario_time,") and csv.count("\n") == 4, csv
    run_cli(["exercise", "start", eid], db=ex.db)
    adv = run_cli(["exercise", "advance", eid, "--to", "T+1h", "--json"], db=ex.db)
    assert json.loads(adv.stdout)["scenario_s"] == H
    back = run_cli(["exercise", "advance", eid, "--to", "T+30m"], db=ex.db, check=False)
    assert back.returncode == 1 and "only moves forward" in back.stderr, back.stderr
    usage = run_cli(["exercise", "advance", eid, "--speed", "3"], db=ex.db, check=False)
    assert usage.returncode == 2 and "--speed" in usage.stderr, usage.stderr
    html = run_cli(["exercise", "report", eid, "--format", "html"], db=ex.db).stdout
    assert html.startswith("<!DOCTYPE html>") and "訓練 / EXERCISE" in html
    helped = run_cli(["exercise", "--help"], db=ex.db).stdout
    assert "msel-import" in helped and "T+3h" in helped
    run_cli(["exercise", "delete", eid], db=ex.db)
    assert_error(ex.get("/api/v1/exercises/" + eid, token="nisc"), 404)


# ---- isolation -----------------------------------------------------------------------

def counts(dep):
    return {
        "nisc reports": dep.total("/api/v1/reports", token="nisc"),
        "op reports": dep.total("/api/v1/reports", token="operator"),
        "alerts": dep.total("/api/v1/alerts", token="nisc"),
        "inbox": dep.total("/api/v1/inbox", token="operator"),
        "correlations": dep.total("/api/v1/correlations", token="nisc"),
        "search": dep.ok("GET", "/api/v1/reports", token="nisc", params={"q": "訓練だけの語"})["total"],
        "council": dep.total("/api/v1/council", token="ceptoar"),
    }


def test_nothing_of_an_exercise_reaches_real_data_and_deleting_it_removes_its_world(ex):
    before = counts(ex)
    audit_before = ex.total("/api/v1/audit")
    e = new_exercise(ex)
    eid = e["id"]
    for org in ("power", "op1"):
        ok(ex, "POST", "/api/v1/exercises/%s/members" % eid, {"role": "player", "org": ex.orgs[org]["code"]},
           status=201)
    ok(ex, "POST", "/api/v1/exercises/%s/members" % eid, {"role": "player", "org": "bank-ceptoar"},
       status=201)
    ok(ex, "POST", "/api/v1/exercises/%s/injects" % eid, {"at": 0, "title": "訓練だけの語の注意喚起"},
       status=201)
    clock(ex, eid, "start")
    wait_inbox(ex, "operator", eid, 1)
    ack_all(ex, "operator", eid)
    # two sectors report the same indicator: a common threat, inside the exercise only
    ind = [{"type": "ip", "value": "198.51.100.77"}]
    r1 = report(ex, "operator", eid, title="訓練だけの語", scope="all", tlp="GREEN", indicators=ind)
    report(ex, "power", eid, title="訓練だけの語 2", scope="all", tlp="GREEN", indicators=ind)
    alert = ok(ex, "POST", "/api/v1/alerts", {"severity": "high", "title_ja": "訓練だけの語",
                                              "body_ja": "演習内の情報提供", "audience": {"all": True}},
               headers={X: eid}, status=201)
    assert alert["exercise"] == eid
    # inside an exercise an alert to everyone reaches its players only (not the other
    # finance operator, nor anyone else's e-mail)
    deadline = time.time() + 10
    while ok(ex, "GET", "/api/v1/alerts/" + alert["id"], headers={X: eid})["fanout"] != "done":
        assert time.time() < deadline
        time.sleep(0.05)
    got = ok(ex, "GET", "/api/v1/alerts/%s/deliveries" % alert["id"], headers={X: eid})
    assert sorted(d["org"] for d in got["items"]) == sorted(
        [ex.orgs["power"]["id"], ex.orgs["op1"]["id"], "bank-ceptoar"]), got
    ok(ex, "POST", "/api/v1/council", {"title": "訓練だけの語", "body": "演習内の投稿"}, token="ceptoar",
       headers={X: eid}, status=201)

    inside = ok(ex, "GET", "/api/v1/correlations", headers={X: eid})
    assert any(c["value"] == "198.51.100.77" for c in inside["items"]), inside
    assert ok(ex, "GET", "/api/v1/reports", headers={X: eid}, params={"q": "訓練だけの語"})["total"] == 2
    # the real world sees none of it: lists, searches, counts, correlations, the council
    assert counts(ex) == before
    assert_error(ex.get("/api/v1/reports/" + r1["id"], token="nisc"), 404)
    assert_error(ex.get("/api/v1/alerts/" + alert["id"], token="nisc"), 404)
    assert_error(ex.patch("/api/v1/reports/" + r1["id"], {"version": 1, "title": "x"}, token="operator"), 404)
    # nor another exercise
    other = new_exercise(ex)
    clock(ex, other["id"], "start")
    assert_error(ex.get("/api/v1/reports/" + r1["id"], token="nisc", headers={X: other["id"]}), 404)
    # a real incident never takes an exercise's report
    inc = ok(ex, "POST", "/api/v1/incidents", {"title": "実インシデント"}, status=201)
    ok(ex, "POST", "/api/v1/incidents/%s/close" % inc["id"])
    r = ex.post("/api/v1/incidents/%s/links" % inc["id"], {"report": r1["id"]}, token="nisc")
    assert r.status_code in (404, 422), describe(r)
    # incidents belong to the real world
    assert_error(ex.get("/api/v1/incidents", token="nisc", headers={X: eid}), 403)

    ok(ex, "DELETE", "/api/v1/exercises/" + eid, status=204)
    assert_error(ex.get("/api/v1/exercises/" + eid), 404)
    assert_error(ex.get("/api/v1/inbox", token="operator", headers={X: eid}), 404)
    assert counts(ex) == before
    # the deletion is audited, and the chain still verifies
    assert ex.total("/api/v1/audit") > audit_before
    assert ok(ex, "GET", "/api/v1/audit/verify", token="admin")["ok"] is True


def test_an_inject_alert_signs_its_exercise(ex):
    """The marking travels with the message: the alert of an inject carries its
    exercise in its signed part, so a copy cannot drop it unnoticed."""
    e = new_exercise(ex)
    eid = e["id"]
    ok(ex, "POST", "/api/v1/exercises/%s/members" % eid, {"role": "player", "org": ex.orgs["tel"]["code"]},
       status=201)
    ok(ex, "POST", "/api/v1/exercises/%s/injects" % eid, {"at": 0, "title": "署名の確認"}, status=201)
    clock(ex, eid, "start")
    item = wait_inbox(ex, "tel", eid, 1)[0]
    alert = ok(ex, "GET", "/api/v1/alerts/" + item["alert"], headers={X: eid})
    assert alert["exercise"] == eid
    v = ok(ex, "POST", "/api/v1/alerts/verify", alert)
    assert v["valid"] is True, v
    stripped = dict(alert)
    del stripped["exercise"]
    v = ok(ex, "POST", "/api/v1/alerts/verify", stripped)
    assert v["valid"] is False, v


def test_injects_reach_real_mailboxes_and_webhooks_marked_as_an_exercise(ex, smtp, hooks):
    """Through the real channels, to the players only: the e-mail says 訓練 / EXERCISE in its
    subject, first line and headers; the webhook carries the exercise; a finance operator
    that does not play gets nothing on any channel."""
    player = add_org(ex, "finance", [], prefix="mp")
    bystander = add_org(ex, "finance", [], prefix="mb")
    for org, tag in ((player, "p"), (bystander, "b")):
        ok(ex, "POST", "/api/v1/orgs/%s/contacts" % org["id"],
           {"channel": "email", "address": "%s-%s@example.jp" % (tag, org["code"])}, token="admin",
           status=201)
        ok(ex, "POST", "/api/v1/orgs/%s/contacts" % org["id"],
           {"channel": "webhook", "address": hooks.url("/ex-%s" % org["code"]), "secret": SECRET},
           token="admin", status=201)
    e = new_exercise(ex)
    eid = e["id"]
    ok(ex, "POST", "/api/v1/exercises/%s/members" % eid, {"role": "player", "org": player["code"]},
       status=201)
    ok(ex, "POST", "/api/v1/exercises/%s/injects" % eid,
       {"at": "T+30m", "to": ["sector:finance"], "title": "勘定系の異常", "description": "詳細は訓練用"},
       status=201)
    clock(ex, eid, "start")
    clock(ex, eid, "advance", to="T+30m")
    rcpt = "p-%s@example.jp" % player["code"]
    raw = wait_for("the exercise e-mail", lambda: smtp.box.to(rcpt), ex)[0][2]
    msg = email.message_from_bytes(raw)
    subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
    assert subject.startswith("【訓練 / EXERCISE】"), subject
    assert "【訓練】T+00:30 勘定系の異常" in subject, subject
    assert msg["X-Ceptoar-Exercise"] == eid
    text = base64.b64decode(msg.get_payload()).decode("utf-8")
    assert text.startswith("【訓練 / EXERCISE】 これは訓練のメッセージです。"), text[:200]
    hook = wait_for("the exercise webhook", lambda: hooks.to("/ex-%s" % player["code"]), ex)[0]
    body = json.loads(hook[2])
    assert body["exercise"] == eid and body["title_ja"].startswith("【訓練】"), body
    # the bystander in the same sector: no delivery, no e-mail, no webhook
    time.sleep(1.5)
    assert smtp.box.to("b-%s@example.jp" % bystander["code"]) == []
    assert hooks.to("/ex-%s" % bystander["code"]) == []


# ---- who may do what ----------------------------------------------------------------

def test_parts_decide_what_each_user_may_do(ex):
    e = new_exercise(ex)
    eid = e["id"]
    ok(ex, "POST", "/api/v1/exercises/%s/members" % eid, {"role": "player", "org": ex.orgs["op1"]["code"]},
       status=201)
    ok(ex, "POST", "/api/v1/exercises/%s/members" % eid, {"role": "evaluator", "user": ex.user_names["ministry"]},
       status=201)
    ok(ex, "POST", "/api/v1/exercises/%s/injects" % eid, {"at": "T+2h", "title": "未来の注入"}, status=201)
    path = "/api/v1/exercises/" + eid
    # someone without a part does not see it at all
    for tok in ("operator2", "ministry2", "ceptoar", "auditor", "admin"):
        assert_error(ex.get(path, token=tok), 404)
        assert eid not in [x["id"] for x in ex.get("/api/v1/exercises", token=tok).json().get("items", [])]
    # a player sees the exercise, not its MSEL (no spoilers), and controls nothing
    v = ok(ex, "GET", path, token="operator")
    assert v["parts"] == ["player"] and "cause" not in v and "members" not in v
    assert_error(ex.get(path + "/injects", token="operator"), 403)
    assert_error(ex.post(path + "/clock", {"action": "start"}, token="operator"), 403)
    assert_error(ex.get(path + "/report", token="operator"), 403)
    # an evaluator reads the MSEL and the report, controls nothing
    assert ok(ex, "GET", path + "/injects", token="ministry")["total"] == 1
    assert_error(ex.post(path + "/clock", {"action": "start"}, token="ministry"), 403)
    assert_error(ex.delete(path, token="ministry"), 403)
    # operators do not plan exercises
    assert_error(ex.post("/api/v1/exercises", {"title": "x"}, token="operator"), 403)
    # the header for an exercise one has no part in
    assert_error(ex.get("/api/v1/inbox", token="operator2", headers={X: eid}), 404)
    assert_error(ex.get("/api/v1/inbox", token="operator", headers={X: "no-such"}), 404)
    # the player view shows what reached the player only
    clock(ex, eid, "start")
    pv = ok(ex, "GET", path + "/player", token="operator")
    assert pv["injects"] == [] and pv["exercise"]["id"] == eid
    # once revealed, players see the cause
    ok(ex, "POST", path + "/reveal")
    assert ok(ex, "GET", path, token="operator")["cause"] == "保護装置の誤動作"
    assert_error(ex.post(path + "/reveal", {}, token="nisc"), 409)


# ---- bad input ------------------------------------------------------------------------

@pytest.mark.parametrize("body,status,field", [
    ({}, 400, "title"),
    ({"title": ""}, 400, "title"),
    ({"title": "x" * 201}, 413, "title"),
    ({"title": "x", "format": "game"}, 400, "format"),
    ({"title": "x", "speed": 0}, 400, "speed"),
    ({"title": "x", "speed": 86401}, 400, "speed"),
    ({"title": "x", "template": "none"}, 400, "template"),
    ({"title": "x", "cause_category": "aliens"}, 400, "cause_category"),
    ({"title": "x", "cause_hidden": "yes"}, 400, "cause_hidden"),
    ({"title": "x", "objectives": "one"}, 400, "objectives"),
    ({"title": "x", "objectives": [""]}, 400, "objectives"),
    ({"title": "x", "colour": "red"}, 400, "colour"),
])
def test_bad_plans_are_refused_and_nothing_is_stored(ex, body, status, field):
    n = ex.total("/api/v1/exercises", token="nisc")
    assert_error(ex.post("/api/v1/exercises", body, token="nisc"), status, field=field)
    assert ex.total("/api/v1/exercises", token="nisc") == n


@pytest.mark.parametrize("body,status,field", [
    ({"title": "x"}, 400, "at"),
    ({"at": "T+3x", "title": "x"}, 400, "at"),
    ({"at": -5, "title": "x"}, 400, "at"),
    ({"at": "100d", "title": "x"}, 413, "at"),
    ({"at": 0}, 400, "title"),
    ({"at": 0, "title": "x", "method": "pigeon"}, 400, "method"),
    ({"at": 0, "title": "x", "expected": ["dance"]}, 400, "expected"),
    ({"at": 0, "title": "x", "to": "all"}, 400, "to"),
    ({"at": 0, "title": "x", "severity": "huge"}, 400, "severity"),
    ({"at": 0, "title": "x", "respond_within": "soon"}, 400, "respond_within"),
    ({"at": 0, "title": "x", "seq": 0}, 400, "seq"),
    ({"at": 0, "title": "x", "state": "delivered"}, 400, "state"),
])
def test_bad_injects_are_refused(ex, body, status, field):
    e = new_exercise(ex)
    assert_error(ex.post("/api/v1/exercises/%s/injects" % e["id"], body, token="nisc"), status, field=field)
    assert ok(ex, "GET", "/api/v1/exercises/%s/injects" % e["id"])["total"] == 0


def test_bad_members_clock_notes_and_formats(ex):
    e = new_exercise(ex)
    p = "/api/v1/exercises/" + e["id"]

    def post(path, body):
        return ex.post(path, body, token="nisc")

    def get(path, **kw):
        return ex.get(path, token="nisc", **kw)
    assert_error(post(p + "/members", {"role": "king", "org": "nisc"}), 400, field="role")
    assert_error(post(p + "/members", {"role": "player"}), 400, field="org")
    assert_error(post(p + "/members", {"role": "player", "org": "no-such-org"}), 400, field="org")
    assert_error(post(p + "/members", {"role": "controller", "org": "nisc"}), 400, field="org")
    assert_error(post(p + "/members", {"role": "evaluator", "user": "nobody"}), 400, field="user")
    assert_error(post(p + "/members/remove", {"role": "player", "org": "nisc"}), 404)
    assert ok(ex, "GET", p + "/members")["total"] == 0
    assert_error(post(p + "/clock", {"action": "fly"}), 400, field="action")
    assert_error(post(p + "/clock", {}), 400, field="action")
    assert_error(post(p + "/clock", {"action": "pause"}), 422, field="action")
    clock(ex, e["id"], "start")
    assert_error(post(p + "/clock", {"action": "start"}), 422, field="action")
    assert_error(post(p + "/clock", {"action": "advance"}), 400, field="to")
    assert_error(post(p + "/clock", {"action": "advance", "to": "T+1h", "by": "1h"}), 400, field="to")
    clock(ex, e["id"], "advance", to="T+2h")
    assert_error(post(p + "/clock", {"action": "advance", "to": "T+1h"}), 422, field="to")
    assert_error(post(p + "/clock", {"action": "speed", "speed": 0}), 400, field="speed")
    assert_error(post(p + "/notes", {"kind": "lesson", "body": "x"}), 400, field="owner")
    assert_error(post(p + "/notes", {"kind": "gossip", "body": "x"}), 400, field="kind")
    assert_error(post(p + "/notes", {"kind": "observation"}), 400, field="body")
    assert_error(post(p + "/notes", {"kind": "advice", "body": "x"}), 403, field="kind")
    assert ok(ex, "GET", p + "/notes")["total"] == 0
    assert_error(get(p + "/report", params={"format": "pdf"}), 400, field="format")
    assert_error(get(p + "/msel", params={"format": "xml"}), 400, field="format")
    assert_error(post(p + "/generate", {"job": "no-such-job"}), 400, field="job")
    assert_error(post(p + "/generate", {}), 400, field="job")
    assert_error(post(p + "/generate", {"job": "x", "max_injects": 0}), 400, field="max_injects")
    clock(ex, e["id"], "end")
    assert_error(post(p + "/injects", {"at": 0, "title": "x"}), 422, field="state")
    assert_error(post(p + "/clock", {"action": "resume"}), 422)


# ---- the MSEL -------------------------------------------------------------------------

MSEL_CSV = (
    "sequence,scenario_time,inject_type,delivery_method,from,to,description,expected_action,"
    "objective,controller,notes\r\n"
    "1,T+0m,situation,inbox,統制,all,停電が発生,被害状況を報告する,早期把握,山田,\r\n"
    "2,T+1h30m,alert,email,内閣官房,sector:finance;sector:electricity,\"注意喚起, 第1報\","
    "受領確認,到達確認,山田,メモ\r\n"
    "3,90m,question,phone,統制,all,原因の照会,原因を報告,原因特定,鈴木,\r\n"
)


def test_msel_csv_round_trip(ex):
    e = new_exercise(ex)
    p = "/api/v1/exercises/%s/msel" % e["id"]
    r = ex.request("POST", p, token="nisc", data=MSEL_CSV.encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 200, describe(r)
    assert r.json()["added"] == 3
    inj = ok(ex, "GET", "/api/v1/exercises/%s/injects" % e["id"])["items"]
    assert [(i["seq"], i["at_s"], i["method"]) for i in inj] == [(1, 0, "inbox"), (2, 5400, "email"),
                                                                   (3, 5400, "phone")]
    assert inj[1]["to"] == ["sector:finance", "sector:electricity"] and inj[1]["title"] == "注意喚起, 第1報"
    out = ex.get(p, token="nisc", params={"format": "csv"})
    assert out.status_code == 200 and out.headers["Content-Type"].startswith("text/csv")
    # the export reads back into another exercise as the same list
    e2 = new_exercise(ex)
    r = ex.request("POST", "/api/v1/exercises/%s/msel" % e2["id"], token="nisc", data=out.content,
                   headers={"Content-Type": "text/csv"})
    assert r.status_code == 200, describe(r)
    keys = ("seq", "at_s", "type", "method", "from", "to", "title", "description", "expected_action",
            "objective", "controller", "notes")
    again = ok(ex, "GET", "/api/v1/exercises/%s/injects" % e2["id"])["items"]
    assert [{k: i[k] for k in keys} for i in again] == [{k: i[k] for k in keys} for i in inj]
    # JSON, replacing the pending injects
    js = ok(ex, "GET", p, params={"format": "json"})
    js["injects"] = [{"at": "T+3h", "title": "JSONの注入", "expected": ["report"]}]
    r = ex.request("POST", p, token="nisc", params={"replace": "1"},
                   data=json.dumps(js, ensure_ascii=False).encode(), headers={"Content-Type": "application/json"})
    assert r.status_code == 200, describe(r)
    assert [i["title"] for i in ok(ex, "GET", "/api/v1/exercises/%s/injects" % e["id"])["items"]] == ["JSONの注入"]


def test_bad_msel_rows_are_reported_by_line_and_nothing_is_imported(ex):
    e = new_exercise(ex)
    p = "/api/v1/exercises/%s/msel" % e["id"]
    bad = MSEL_CSV + "4,T+9q,situation,inbox,統制,all,悪い時刻,,,,\r\n" + \
        "5,T+1h,situation,carrier-pigeon,統制,all,悪い方法,,,,\r\n"
    r = ex.request("POST", p, token="nisc", data=bad.encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 400, describe(r)
    err = r.json()["error"]
    assert err["field"] == "at" and "line 5" in err["message"] and "nothing was imported" in err["message"]
    errs = r.json()["errors"]
    assert [(x["line"], x["field"]) for x in errs] == [(5, "at"), (6, "method")], errs
    assert ok(ex, "GET", "/api/v1/exercises/%s/injects" % e["id"])["total"] == 0
    for body, ctype, field in [
        ("sequence,when\r\n1,T+0m\r\n", "text/csv", "columns"),
        ("sequence,title\r\n1,x\r\n", "text/csv", "columns"),
        ("", "text/csv", "csv"),
        ('"unterminated\r\n', "text/csv", "csv"),
        ('{"injects": "no"}', "application/json", "injects"),
        ('{"injects": [{"at": 0}]}', "application/json", "title"),
        ("[1,2", "application/json", None),
        ("a,b", "text/plain", "Content-Type"),
    ]:
        r = ex.request("POST", p, token="nisc", data=body.encode(), headers={"Content-Type": ctype})
        assert r.status_code == 400, (body, describe(r))
        if field:
            assert r.json()["error"]["field"] == field, (body, describe(r))
    assert ok(ex, "GET", "/api/v1/exercises/%s/injects" % e["id"])["total"] == 0


def test_the_built_in_templates_of_the_seed_themes(ex):
    t = ok(ex, "GET", "/api/v1/exercises/templates", token="operator")
    years = sorted(x["year"] for x in t["items"])
    assert years == [2006, 2009, 2010, 2011, 2013], years
    for x in t["items"]:
        e = ok(ex, "POST", "/api/v1/exercises", {"template": x["id"], "speed": 60}, token="ministry",
               status=201)
        assert e["title"] == x["title_ja"] and e["speed"] == 60 and e["parts"] == ["owner"]
        assert ok(ex, "GET", "/api/v1/exercises/%s/injects" % e["id"], token="ministry")["total"] == \
            len(x["injects"])
        # the planning ministry controls its exercise; another ministry does not see it
        assert_error(ex.get("/api/v1/exercises/" + e["id"], token="ministry2"), 404)
