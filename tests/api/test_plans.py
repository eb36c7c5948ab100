"""The action plan's PDCA (行動計画・年度計画) against a running server.

Seed 000's 2008 measures load as a sample (counts, pillars, owners, deadlines);
the owner ministries file half-yearly progress on their measures and nobody
else does; NISC evaluates with seed 003's grades; the summary reproduces the
seed's arithmetic on a plan of 133 measures graded as the seed graded them
(110 A, 6 「A」, 4 B+, 12 B, 0 C, 1 -: "116 of 133 measures, 87.2%, as
planned"); evaluation indicators are filled each year with their trends; the
evaluation exports as CSV; every bad input is answered with the field at
fault and nothing stored; and the command line does the same.
"""

import csv
import io
import json

import pytest

from apilib import assert_error, describe, run_cli

SAMPLE_TITLE = "重要インフラ分野における情報セキュリティ対策の2008年度の取組目標"
MINISTRIES = ["fsa", "meti", "mhlw", "mic", "mlit"]


@pytest.fixture(scope="module")
def pl(new_deployment):
    return new_deployment("plans")


def ok(dep, method, path, body=None, token="nisc", status=None, **kw):
    return dep.ok(method, path, body, token=token, status=status, **kw)


@pytest.fixture(scope="module")
def sample(pl):
    plan = ok(pl, "POST", "/api/v1/plans/samples/plan-2008", token="nisc", status=201)
    measures = ok(pl, "GET", "/api/v1/plans/%s/measures" % plan["id"])["items"]
    return {"plan": plan, "measures": {m["code"]: m for m in measures}}


def owners(m):
    return sorted(o["code"] for o in m["owners"])


def plan_count(dep):
    return dep.total("/api/v1/plans", token="nisc")


# ---- the sample: seed 000 --------------------------------------------------

def test_sample_is_listed(pl):
    items = ok(pl, "GET", "/api/v1/plans/samples", token="operator")["items"]
    assert [i["name"] for i in items] == ["plan-2008"]
    assert "seed 000" in items[0]["source"]


def test_sample_loads_seed_000(pl, sample):
    plan = sample["plan"]
    assert plan["kind"] == "yearly" and plan["year"] == 2008 and plan["title_ja"] == SAMPLE_TITLE
    assert [p["code"] for p in plan["pillars"]] == ["①", "②", "③", "④", "⑤"]
    assert [p["measures"] for p in plan["pillars"]] == [4, 6, 1, 1, 1]
    assert plan["summary"]["measures"] == 13 and plan["summary"]["evaluated"] == 0
    m = sample["measures"]
    assert len(m) == 13
    # owners as the seed names them: 重要インフラ所管省庁 = the five ministries, 内閣官房 = NISC
    assert owners(m["①ア)a"]) == MINISTRIES
    assert owners(m["①ア)b"]) == ["nisc"]
    assert owners(m["①イ)"]) == sorted(MINISTRIES + ["nisc"])
    assert owners(m["②(ウ)ア)"]) == sorted(MINISTRIES + ["nisc"])
    assert owners(m["⑤ア)"]) == ["nisc"]
    assert m["①ア)a"]["deadline"] == "2008-09-30" and m["⑤ア)"]["deadline"] == "2008-12-31"
    assert "2008年9月を目処" in m["①ア)a"]["target_ja"]
    assert all(x["grade"] is None for x in m.values())
    # eight measures of NISC alone, four shared with the ministries, one of the ministries alone
    assert sum(owners(x) == ["nisc"] for x in m.values()) == 8


def test_sample_loads_once(pl, sample):
    n = plan_count(pl)
    assert_error(pl.post("/api/v1/plans/samples/plan-2008", None, token="nisc"), 409)
    assert_error(pl.post("/api/v1/plans/samples/plan-1999", None, token="nisc"), 404)
    assert_error(pl.post("/api/v1/plans/samples/plan-2008", None, token="ministry"), 403)
    assert plan_count(pl) == n


def test_everyone_reads_plans_government_reads_progress(pl, sample):
    pid = sample["plan"]["id"]
    for who in ("operator", "ceptoar", "agency", "auditor", "admin"):
        items = ok(pl, "GET", "/api/v1/plans/%s/measures" % pid, token=who)["items"]
        assert len(items) == 13 and all("progress" not in i for i in items), who
    for who in ("nisc", "ministry"):
        items = ok(pl, "GET", "/api/v1/plans/%s/measures" % pid, token=who)["items"]
        assert all("progress" in i for i in items), who
    mid = sample["measures"]["①ア)a"]["id"]
    assert_error(pl.get("/api/v1/plans/%s/measures/%s/progress" % (pid, mid), token="operator"), 403)
    assert_error(pl.get("/api/v1/plans/nope", token="operator"), 404)


def test_filters(pl, sample):
    pid = sample["plan"]["id"]
    fsa = ok(pl, "GET", "/api/v1/plans/%s/measures" % pid, token="ministry", params={"owner": "fsa"})
    assert fsa["total"] == 5 and all(i["mine"] for i in fsa["items"])
    nisc = ok(pl, "GET", "/api/v1/plans/%s/measures" % pid, params={"owner": "nisc"})
    assert nisc["total"] == 13 - 1
    assert_error(pl.get("/api/v1/plans/%s/measures" % pid, token="nisc", params={"grade": "Z"}), 400,
                 field="grade")


# ---- Do and check: progress by the owners ------------------------------------

def progress(dep, pid, mid, token="nisc"):
    return ok(dep, "GET", "/api/v1/plans/%s/measures/%s/progress" % (pid, mid), token=token)["items"]


def test_owners_file_progress(pl, sample):
    pid = sample["plan"]["id"]
    mid = sample["measures"]["①ア)a"]["id"]  # the five ministries
    url = "/api/v1/plans/%s/measures/%s/progress" % (pid, mid)
    p = ok(pl, "POST", url, {"year": 2008, "half": "H1", "status": "on-track", "note": "確認・検証中"},
           token="ministry", status=201)
    assert p["org"] == "fsa" and p["half"] == "H1" and p["status"] == "on-track"
    ok(pl, "POST", url, {"year": 2008, "half": "H1", "status": "delayed"}, token="ministry2", status=201)
    # filing the same half again replaces the org's report
    ok(pl, "POST", url, {"year": 2008, "half": "H1", "status": "completed", "note": "完了"},
       token="ministry", status=201)
    got = {(x["org_code"], x["half"]): x["status"] for x in progress(pl, pid, mid)}
    assert got == {("fsa", "H1"): "completed", ("meti", "H1"): "delayed"}
    assert {(x["org_code"], x["status"]) for x in progress(pl, pid, mid, token="ministry2")} == {
        ("fsa", "completed"), ("meti", "delayed")}
    # and the audit trail has them
    entries = ok(pl, "GET", "/api/v1/audit", token="admin", params={"action": "plan.progress"})
    assert entries["total"] == 3


def test_only_owners_file_progress(pl, sample):
    pid = sample["plan"]["id"]
    nisc_only = sample["measures"]["①ア)b"]["id"]
    ministries = sample["measures"]["①ア)a"]["id"]
    body = {"year": 2008, "half": "H2", "status": "on-track"}
    before = len(progress(pl, pid, nisc_only))
    # a ministry on NISC's measure, NISC on the ministries' measure, everyone else anywhere
    assert_error(pl.post("/api/v1/plans/%s/measures/%s/progress" % (pid, nisc_only), body, token="ministry"), 403)
    assert_error(pl.post("/api/v1/plans/%s/measures/%s/progress" % (pid, ministries), body, token="nisc"), 403)
    for who in ("operator", "ceptoar", "agency", "auditor", "admin"):
        assert_error(pl.post("/api/v1/plans/%s/measures/%s/progress" % (pid, ministries), body, token=who), 403)
    assert len(progress(pl, pid, nisc_only)) == before
    assert all(x["half"] != "H2" for x in progress(pl, pid, ministries))
    ok(pl, "POST", "/api/v1/plans/%s/measures/%s/progress" % (pid, nisc_only), body, status=201)
    # a measure of another plan, or none, is not there
    assert_error(pl.post("/api/v1/plans/%s/measures/%s/progress" % (pid, "nope"), body, token="nisc"), 404)
    other = ok(pl, "POST", "/api/v1/plans", small_plan("他の計画"), status=201)
    assert_error(pl.post("/api/v1/plans/%s/measures/%s/progress" % (other["id"], nisc_only), body), 404)


@pytest.mark.parametrize("body,field", [
    ({"year": 2008, "half": "H3", "status": "on-track"}, "half"),
    ({"year": 2008, "half": "H1", "status": "done"}, "status"),
    ({"year": 1999, "half": "H1", "status": "on-track"}, "year"),
    ({"year": "2008", "half": "H1", "status": "on-track"}, "year"),
    ({"half": "H1", "status": "on-track"}, "year"),
    ({"year": 2008, "half": "H1", "status": "on-track", "org": "fsa"}, "org"),
    ({"year": 2008, "half": "H1", "status": "on-track", "extra": 1}, "extra"),
    ({"year": 2008, "half": "H1", "status": "on-track", "note": "x\u0000"}, None),
])
def test_bad_progress(pl, sample, body, field):
    pid = sample["plan"]["id"]
    mid = sample["measures"]["①イ)"]["id"]
    r = pl.post("/api/v1/plans/%s/measures/%s/progress" % (pid, mid), body, token="ministry")
    assert r.status_code in (400, 413), describe(r)
    if field:
        assert_error(r, 400, field=field)
    assert progress(pl, pid, mid) == []


def test_long_note_is_too_large(pl, sample):
    pid = sample["plan"]["id"]
    mid = sample["measures"]["①イ)"]["id"]
    r = pl.post("/api/v1/plans/%s/measures/%s/progress" % (pid, mid),
                {"year": 2008, "half": "H1", "status": "on-track", "note": "あ" * 4001}, token="ministry")
    assert_error(r, 413, field="note")
    assert progress(pl, pid, mid) == []


# ---- Act: the evaluation and the summary -------------------------------------

def small_plan(title, n=1, owners_=("nisc",)):
    return {"kind": "yearly", "year": 2006, "title_ja": title, "pillars": [
        {"code": "1", "title_ja": "柱", "measures": [
            {"code": "m%d" % i, "title_ja": "施策 %d" % i, "owners": list(owners_)} for i in range(n)]}]}


def test_seed_003_arithmetic(pl):
    """133 measures graded as the seed graded them give "116 of 133, 87.2%"."""
    plan = ok(pl, "POST", "/api/v1/plans", small_plan("セキュア・ジャパン2006", 133, ("nisc", "fsa")),
              status=201)
    items = ok(pl, "GET", "/api/v1/plans/%s/measures" % plan["id"])["items"]
    assert len(items) == 133
    grades = ["A"] * 110 + ["A-staffing"] * 6 + ["B+"] * 4 + ["B"] * 12 + ["-"] * 1
    for m, g in zip(items, grades):
        ok(pl, "POST", "/api/v1/plans/%s/measures/%s/evaluation" % (plan["id"], m["id"]),
           {"grade": g, "comment": "評価2006"})
    s = ok(pl, "GET", "/api/v1/plans/%s/summary" % plan["id"], token="operator")
    assert s["by_grade"] == {"A": 110, "A-staffing": 6, "B+": 4, "B": 12, "C": 0, "-": 1}
    assert s["measures"] == 133 and s["evaluated"] == 133 and s["as_planned"] == 116
    assert s["percent"] == 87.2
    assert s["text_en"] == "116 of 133 measures, 87.2%, as planned"
    assert "116" in s["text_ja"] and "87.2%" in s["text_ja"]
    assert [g["grade"] for g in s["grades"]] == ["A", "A-staffing", "B+", "B", "C", "-"]
    assert [g["as_planned"] for g in s["grades"]] == [True, True, False, False, False, False]
    # the CSV of the evaluation
    r = pl.get("/api/v1/plans/%s/evaluation" % plan["id"], token="operator", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv"), describe(r)
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    assert len(rows) == 133
    assert rows[0]["grade"] == "A" and rows[0]["owners"] == "nisc;fsa" and rows[0]["comment"] == "評価2006"
    assert sum(row["grade"] == "A-staffing" for row in rows) == 6
    assert rows[115]["grade_label_en"].startswith("A (staffing caveat)")
    assert_error(pl.get("/api/v1/plans/%s/evaluation" % plan["id"], params={"format": "pdf"}), 400, field="format")


def test_evaluation_by_nisc_only(pl, sample):
    pid = sample["plan"]["id"]
    m = sample["measures"]["④ア)"]
    url = "/api/v1/plans/%s/measures/%s/evaluation" % (pid, m["id"])
    for who in ("ministry", "operator", "ceptoar", "admin"):
        assert_error(pl.post(url, {"grade": "A"}, token=who), 403)
    for body, field in (({"grade": "A*"}, "grade"), ({"grade": "a"}, "grade"), ({}, "grade"),
                        ({"grade": "A", "why": "x"}, "why")):
        assert_error(pl.post(url, body, token="nisc"), 400, field=field)
    got = [x for x in ok(pl, "GET", "/api/v1/plans/%s/measures" % pid)["items"] if x["id"] == m["id"]][0]
    assert got["grade"] is None
    done = ok(pl, "POST", url, {"grade": "B+", "comment": "数ヶ月以内に完了"})
    assert done["grade"] == "B+" and done["grade_label_ja"].startswith("B+")
    s = ok(pl, "GET", "/api/v1/plans/%s/summary" % pid)
    assert s["evaluated"] == 1 and s["as_planned"] == 0 and s["text_en"] == "0 of 13 measures, 0.0%, as planned"
    assert ok(pl, "GET", "/api/v1/plans/%s/measures" % pid, params={"grade": "B+"})["total"] == 1
    assert ok(pl, "GET", "/api/v1/plans/%s/measures" % pid, params={"grade": "none"})["total"] == 12


# ---- plans made by NISC, bad input -------------------------------------------

@pytest.mark.parametrize("mutate,status,field", [
    (lambda b: b.update(kind="monthly"), 400, "kind"),
    (lambda b: b.pop("year"), 400, "year"),
    (lambda b: b.update(year=1800), 400, "year"),
    (lambda b: b.update(kind="action-plan"), 400, "period"),
    (lambda b: b.pop("title_ja"), 400, "title_ja"),
    (lambda b: b.update(title_ja="あ" * 301), 413, "title_ja"),
    (lambda b: b.update(parent="nope"), 422, "parent"),
    (lambda b: b.update(colour="red"), 400, "colour"),
    (lambda b: b["pillars"][0]["measures"][0].pop("owners"), 400, "owners"),
    (lambda b: b["pillars"][0]["measures"][0].update(owners=[]), 400, "owners"),
    (lambda b: b["pillars"][0]["measures"][0].update(owners=["bank-ceptoar"]), 422, "owners"),
    (lambda b: b["pillars"][0]["measures"][0].update(deadline="2008-02-30"), 400, "deadline"),
    (lambda b: b["pillars"][0]["measures"][0].update(deadline="2008/09/30"), 400, "deadline"),
    (lambda b: b["pillars"][0]["measures"][1].update(code="m0"), 409, "code"),
    (lambda b: b["pillars"][0]["measures"][1].pop("title_ja"), 400, "title_ja"),
    (lambda b: b["pillars"][0].update(code=""), 400, "code"),
    (lambda b: b.update(pillars={}), 400, "pillars"),
])
def test_bad_plans_store_nothing(pl, mutate, status, field):
    body = small_plan("不正な計画", 2)
    mutate(body)
    n = plan_count(pl)
    r = pl.post("/api/v1/plans", body, token="nisc")
    assert_error(r, status, field=field)
    assert plan_count(pl) == n


def test_bad_measure_is_located(pl):
    body = small_plan("場所", 3)
    body["pillars"][0]["measures"][2]["deadline"] = "soon"
    r = pl.post("/api/v1/plans", body, token="nisc")
    assert_error(r, 400, field="deadline", message_contains="pillar 1, measure 3")


def test_only_nisc_makes_plans(pl):
    n = plan_count(pl)
    for who in ("ministry", "ceptoar", "operator", "agency", "auditor", "admin"):
        assert_error(pl.post("/api/v1/plans", small_plan("役割"), token=who), 403)
    assert plan_count(pl) == n
    plan = ok(pl, "POST", "/api/v1/plans", small_plan("消す計画"), status=201)
    assert_error(pl.delete("/api/v1/plans/" + plan["id"], token="ministry"), 403)
    ok(pl, "DELETE", "/api/v1/plans/" + plan["id"], status=204)
    assert_error(pl.get("/api/v1/plans/" + plan["id"], token="nisc"), 404)


def test_action_plan_and_its_years(pl):
    ap = ok(pl, "POST", "/api/v1/plans", {"kind": "action-plan", "period": "2009-2013",
                                          "title_ja": "第2次行動計画", "title_en": "The second action plan"},
            status=201)
    y = small_plan("2009年度計画")
    y["parent"] = ap["id"]
    y["year"] = 2009
    yp = ok(pl, "POST", "/api/v1/plans", y, status=201)
    assert yp["parent"] == ap["id"] and ap["year"] is None and ap["period"] == "2009-2013"
    y2 = small_plan("年度計画の子")
    y2["parent"] = yp["id"]
    assert_error(pl.post("/api/v1/plans", y2, token="nisc"), 422, field="parent")


# ---- evaluation indicators ---------------------------------------------------

def test_indicators_and_trends(pl, sample):
    pid = sample["plan"]["id"]
    url = "/api/v1/plans/%s/indicators" % pid
    fails = ok(pl, "POST", url, {"area": "重要インフラ", "name_ja": "検証レベルを逸脱したIT障害の件数",
                                 "name_en": "IT failures beyond a verification level", "unit": "件",
                                 "better": "lower"}, status=201)
    rate = ok(pl, "POST", url, {"area": "重要インフラ", "name_ja": "安全基準等の策定率", "unit": "%"},
              status=201)
    for year, v in ((2006, 14), (2007, 11), (2008, 9)):
        ok(pl, "POST", "%s/%s/values" % (url, fails["id"]), {"year": year, "value": v})
    for year, v in ((2007, 80), (2008, 80.0)):
        ok(pl, "POST", "%s/%s/values" % (url, rate["id"]), {"year": year, "value": v})
    # a year filled again replaces its value
    got = ok(pl, "POST", "%s/%s/values" % (url, rate["id"]), {"year": 2008, "value": 70.5, "note": "再集計"})
    assert [v["value"] for v in got["values"]] == [80, 70.5]
    items = {i["id"]: i for i in ok(pl, "GET", url, token="operator")["items"]}
    f = items[fails["id"]]
    assert [(v["year"], v["value"]) for v in f["values"]] == [(2006, 14), (2007, 11), (2008, 9)]
    assert f["trend"] == "down" and f["change"] == -2 and f["assessment"] == "improving"
    r = items[rate["id"]]
    assert r["trend"] == "down" and r["assessment"] == "worsening" and r["better"] == "higher"
    one = ok(pl, "POST", url, {"area": "重要インフラ", "name_ja": "一年だけ"}, status=201)
    ok(pl, "POST", "%s/%s/values" % (url, one["id"]), {"year": 2008, "value": 1})
    assert {i["id"]: i for i in ok(pl, "GET", url)["items"]}[one["id"]]["trend"] is None


def test_bad_indicators(pl, sample):
    pid = sample["plan"]["id"]
    url = "/api/v1/plans/%s/indicators" % pid
    n = ok(pl, "GET", url)["total"]
    assert_error(pl.post(url, {"area": "x", "name_ja": "y"}, token="ministry"), 403)
    assert_error(pl.post(url, {"name_ja": "y"}, token="nisc"), 400, field="area")
    assert_error(pl.post(url, {"area": "x", "name_ja": "y", "better": "more"}, token="nisc"), 400, field="better")
    assert ok(pl, "GET", url)["total"] == n
    ind = ok(pl, "POST", url, {"area": "x", "name_ja": "値の検査"}, status=201)
    vurl = "%s/%s/values" % (url, ind["id"])
    for body, field in (({"year": 2008, "value": "9"}, "value"), ({"year": 2008}, "value"),
                        ({"value": 1}, "year"), ({"year": 2008, "value": 1, "x": 1}, "x")):
        assert_error(pl.post(vurl, body, token="nisc"), 400, field=field)
    assert_error(pl.post(vurl, {"year": 2008, "value": 1}, token="ministry"), 403)
    assert_error(pl.post("%s/nope/values" % url, {"year": 2008, "value": 1}, token="nisc"), 404)
    assert {i["id"]: i for i in ok(pl, "GET", url)["items"]}[ind["id"]]["values"] == []


# ---- the command line --------------------------------------------------------

def test_cli(pl, sample):
    pid = sample["plan"]["id"]
    mid = sample["measures"]["②(ア)イ)"]["id"]
    p = run_cli(["plan", "list", "--json"], db=pl.db)
    assert any(i["id"] == pid and i["measures"] == 13 for i in json.loads(p.stdout)["items"])
    p = run_cli(["plan", "load-sample"], db=pl.db, check=False)
    assert p.returncode != 0 and "loaded already" in p.stderr
    p = run_cli(["plan", "progress", pid, mid, "--year", "2008", "--half", "H2", "--status", "on-track",
                 "--as", pl.user_names["ministry2"], "--json"], db=pl.db)
    assert json.loads(p.stdout)["org"] == "meti"
    p = run_cli(["plan", "progress", pid, mid, "--year", "2008", "--half", "H2", "--status", "on-track",
                 "--org", "nisc", "--json"], db=pl.db)
    assert json.loads(p.stdout)["org"] == "nisc"
    p = run_cli(["plan", "progress", pid, mid, "--year", "2008", "--half", "H2", "--status", "on-track",
                 "--as", pl.user_names["operator"]], db=pl.db, check=False)
    assert p.returncode != 0 and "owners" in p.stderr
    p = run_cli(["plan", "evaluate", pid, mid, "--grade", "A", "--comment", "予定どおり"], db=pl.db)
    p = run_cli(["plan", "summary", pid], db=pl.db)
    assert "as planned" in p.stdout and "A " in p.stdout
    p = run_cli(["plan", "evaluation", pid, "--csv"], db=pl.db)
    assert p.stdout.startswith("pillar,code,") and "②(ア)イ),CEPTOAR" not in p.stdout
    assert len(p.stdout.strip().splitlines()) == 14
    p = run_cli(["plan", "--help"], db=pl.db)
    assert "A-staffing" in p.stdout and "load-sample" in p.stdout
    p = run_cli(["plan", "evaluate", pid, mid], db=pl.db, check=False)
    assert p.returncode == 2 and "--grade" in p.stderr
