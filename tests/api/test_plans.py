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


# ---- editing a plan after it was made (NISC) ----------------------------------

def edit_plan(dep, title="編集する計画"):
    """A fresh plan of two pillars: 1 with m0 (NISC, fsa) and m1 (NISC), 2 empty."""
    body = small_plan(title, 2, ("nisc", "fsa"))
    body["pillars"].append({"code": "2", "title_ja": "空の柱"})
    plan = ok(dep, "POST", "/api/v1/plans", body, status=201)
    ms = {m["code"]: m for m in ok(dep, "GET", "/api/v1/plans/%s/measures" % plan["id"])["items"]}
    pillars = {p["code"]: p for p in plan["pillars"]}
    return plan["id"], pillars, ms


def snapshot(dep, pid):
    """Everything of a plan that an edit may change."""
    plan = ok(dep, "GET", "/api/v1/plans/" + pid)
    plan.pop("summary")
    return plan, ok(dep, "GET", "/api/v1/plans/%s/measures" % pid)["items"]


def audit_of(dep, action):
    return ok(dep, "GET", "/api/v1/audit", token="admin", params={"action": action, "limit": 500})["items"]


def test_edit_plan_fields(pl):
    pid, _, _ = edit_plan(pl)
    got = ok(pl, "PATCH", "/api/v1/plans/" + pid, {"title_ja": "直した計画", "title_en": "Corrected",
                                                     "source": "資料1"})
    assert got["title_ja"] == "直した計画" and got["title_en"] == "Corrected" and got["source"] == "資料1"
    assert got["kind"] == "yearly" and got["year"] == 2006 and len(got["pillars"]) == 2
    assert ok(pl, "GET", "/api/v1/plans/" + pid, token="operator")["title_ja"] == "直した計画"
    # the parent: an action plan, and null clears it
    ap = ok(pl, "POST", "/api/v1/plans", {"kind": "action-plan", "period": "2009-2013", "title_ja": "親"},
            status=201)
    assert ok(pl, "PATCH", "/api/v1/plans/" + pid, {"parent": ap["id"]})["parent"] == ap["id"]
    assert ok(pl, "PATCH", "/api/v1/plans/" + pid, {"parent": None})["parent"] is None
    assert ok(pl, "PATCH", "/api/v1/plans/" + ap["id"], {"period": "2009-2014"})["period"] == "2009-2014"
    entries = [e for e in audit_of(pl, "plan.update") if e["object_id"] == pid]
    assert len(entries) == 3 and entries[-1]["object_type"] == "plan"


@pytest.mark.parametrize("body,status,field", [
    ({}, 400, None),
    ({"kind": "action-plan"}, 400, "kind"),
    ({"year": 2007}, 400, "year"),
    ({"pillars": []}, 400, "pillars"),
    ({"colour": "red"}, 400, "colour"),
    ({"title_ja": ""}, 400, "title_ja"),
    ({"title_ja": None}, 400, "title_ja"),
    ({"title_ja": 5}, 400, "title_ja"),
    ({"title_ja": "あ" * 301}, 413, "title_ja"),
    ({"title_en": "ok", "title_ja": "x\u0007"}, 400, "title_ja"),
    ({"title_ja": "ok", "parent": "nope"}, 422, "parent"),
    ([1, 2], 400, None),
])
def test_bad_plan_edits_change_nothing(pl, body, status, field):
    pid, _, _ = edit_plan(pl)
    before = snapshot(pl, pid)
    assert_error(pl.patch("/api/v1/plans/" + pid, body, token="nisc"), status, field=field)
    assert snapshot(pl, pid) == before


def test_plan_is_not_its_own_parent(pl):
    ap = ok(pl, "POST", "/api/v1/plans", {"kind": "action-plan", "period": "2009-2013", "title_ja": "自分"},
            status=201)
    assert_error(pl.patch("/api/v1/plans/" + ap["id"], {"parent": ap["id"]}, token="nisc"), 422, field="parent")
    # an action plan keeps its period
    assert_error(pl.patch("/api/v1/plans/" + ap["id"], {"period": ""}, token="nisc"), 400, field="period")


def test_pillars_are_added_changed_and_removed(pl):
    pid, pillars, ms = edit_plan(pl)
    url = "/api/v1/plans/%s/pillars" % pid
    new = ok(pl, "POST", url, {"code": "3", "title_ja": "新しい柱", "title_en": "A new pillar"}, status=201)
    assert new["code"] == "3" and new["measures"] == 0 and new["title_en"] == "A new pillar"
    assert [p["code"] for p in ok(pl, "GET", "/api/v1/plans/" + pid)["pillars"]] == ["1", "2", "3"]
    got = ok(pl, "PATCH", "%s/%s" % (url, pillars["1"]["id"]), {"title_ja": "直した柱", "code": "1'"})
    assert got["title_ja"] == "直した柱" and got["code"] == "1'" and got["measures"] == 2
    assert {m["pillar"] for m in ok(pl, "GET", "/api/v1/plans/%s/measures" % pid)["items"]} == {"1'"}
    # by code too
    assert ok(pl, "PATCH", "%s/%s" % (url, "3"), {"title_en": ""})["title_en"] == ""
    ok(pl, "DELETE", "%s/%s" % (url, new["id"]), status=204)
    ok(pl, "DELETE", "%s/%s" % (url, pillars["2"]["id"]), status=204)
    assert [p["code"] for p in ok(pl, "GET", "/api/v1/plans/" + pid)["pillars"]] == ["1'"]
    # a pillar with measures stays
    assert_error(pl.delete("%s/%s" % (url, pillars["1"]["id"]), token="nisc"), 409, field="measures")
    assert len(ms) == 2 and ok(pl, "GET", "/api/v1/plans/%s/measures" % pid)["total"] == 2
    for action, n in (("plan.pillar_add", 1), ("plan.pillar_update", 2), ("plan.pillar_delete", 2)):
        entries = [e for e in audit_of(pl, action) if e["detail"]["plan"] == pid]
        assert len(entries) == n and all(e["object_type"] == "plan_pillar" for e in entries), action


@pytest.mark.parametrize("method,body,status,field", [
    ("POST", {"title_ja": "番号なし"}, 400, "code"),
    ("POST", {"code": "9"}, 400, "title_ja"),
    ("POST", {"code": "1", "title_ja": "重複"}, 409, "code"),
    ("POST", {"code": "x" * 33, "title_ja": "長い"}, 413, "code"),
    ("POST", {"code": "9", "title_ja": "柱", "measures": []}, 400, "measures"),
    ("POST", {}, 400, None),
    ("PATCH", {"code": "2"}, 409, "code"),
    ("PATCH", {"code": ""}, 400, "code"),
    ("PATCH", {"title_ja": None}, 400, "title_ja"),
    ("PATCH", {"title_en": "あ" * 301}, 413, "title_en"),
    ("PATCH", {"position": -1}, 400, "position"),
    ("PATCH", {"position": "1"}, 400, "position"),
    ("PATCH", {"position": 1.5}, 400, "position"),
    ("PATCH", {"position": None}, 400, "position"),
    ("PATCH", {"position": 51}, 400, "position"),
    ("PATCH", {"code": "2", "position": 0}, 409, "code"),
    ("POST", {"code": "9", "title_ja": "柱", "position": -2}, 400, "position"),
    ("PATCH", {}, 400, None),
])
def test_bad_pillar_edits_change_nothing(pl, method, body, status, field):
    pid, pillars, _ = edit_plan(pl)
    before = snapshot(pl, pid)
    url = "/api/v1/plans/%s/pillars" % pid
    if method == "PATCH":
        url += "/" + pillars["1"]["id"]
    assert_error(pl.request(method, url, token="nisc", json_body=body), status, field=field)
    assert snapshot(pl, pid) == before


def test_pillar_cap(pl):
    body = small_plan("柱の上限")
    body["pillars"] += [{"code": "p%d" % i, "title_ja": "柱"} for i in range(49)]
    plan = ok(pl, "POST", "/api/v1/plans", body, status=201)
    assert len(plan["pillars"]) == 50
    assert_error(pl.post("/api/v1/plans/%s/pillars" % plan["id"], {"code": "p99", "title_ja": "51"},
                         token="nisc"), 413, field="pillars")
    assert len(ok(pl, "GET", "/api/v1/plans/" + plan["id"])["pillars"]) == 50


def test_measures_are_added_changed_and_moved(pl):
    pid, pillars, ms = edit_plan(pl)
    url = "/api/v1/plans/%s/pillars/%s/measures" % (pid, pillars["2"]["id"])
    new = ok(pl, "POST", url, {"code": "m9", "title_ja": "年度途中の施策", "owners": ["mic", "nisc"],
                               "target_ja": "年度内に", "deadline": "2007-03-31"}, status=201)
    assert new["pillar"] == "2" and owners(new) == ["mic", "nisc"] and new["deadline"] == "2007-03-31"
    assert new["grade"] is None and new["progress"] == []
    items = ok(pl, "GET", "/api/v1/plans/%s/measures" % pid)["items"]
    assert [m["code"] for m in items] == ["m0", "m1", "m9"]
    # the pillar by code, the plan's last position
    ok(pl, "POST", "/api/v1/plans/%s/pillars/1/measures" % pid,
       {"code": "m2", "title_ja": "追加", "owners": ["nisc"]}, status=201)
    assert [m["code"] for m in ok(pl, "GET", "/api/v1/plans/%s/measures" % pid)["items"]] == ["m0", "m1", "m2", "m9"]
    # a correction: title, owners (replaced), target, deadline; the rest stays
    murl = "/api/v1/plans/%s/measures/%s" % (pid, ms["m0"]["id"])
    got = ok(pl, "PATCH", murl, {"title_ja": "直した施策", "owners": ["meti"], "deadline": ""})
    assert got["title_ja"] == "直した施策" and owners(got) == ["meti"] and got["deadline"] == ""
    assert got["code"] == "m0" and got["pillar"] == "1" and got["id"] == ms["m0"]["id"]
    got = ok(pl, "PATCH", murl, {"target_en": "By March", "title_en": "Corrected", "code": "m0b"})
    assert got["target_en"] == "By March" and got["title_ja"] == "直した施策" and got["code"] == "m0b"
    # a move to another pillar: at its end
    got = ok(pl, "PATCH", murl, {"pillar": "2"})
    assert got["pillar"] == "2"
    items = ok(pl, "GET", "/api/v1/plans/%s/measures" % pid)["items"]
    assert [(m["pillar"], m["code"]) for m in items] == [("1", "m1"), ("1", "m2"), ("2", "m9"), ("2", "m0b")]
    # the owners changed: meti files progress on it now, fsa no longer
    body = {"year": 2006, "half": "H1", "status": "on-track"}
    ok(pl, "POST", murl + "/progress", body, token="ministry2", status=201)
    assert_error(pl.post(murl + "/progress", body, token="ministry"), 403)
    entries = [e for e in audit_of(pl, "plan.measure_update") if e["object_id"] == ms["m0"]["id"]]
    assert len(entries) == 3 and entries[0]["detail"]["plan"] == pid
    assert sorted(entries[-1]["detail"]["fields"]) == ["deadline", "owners", "title_ja"]
    assert len([e for e in audit_of(pl, "plan.measure_add") if e["detail"]["plan"] == pid]) == 2


def test_pillars_and_measures_are_put_in_order(pl):
    """position puts a pillar among the plan's pillars, a measure among its
    pillar's (after a move, among the new pillar's): 0 first, past the last
    last; the others keep their order; the lists and the evaluation follow."""
    pid, pillars, ms = edit_plan(pl)
    url = "/api/v1/plans/%s/pillars" % pid

    def pillar_codes():
        return [p["code"] for p in ok(pl, "GET", "/api/v1/plans/" + pid)["pillars"]]

    def measure_codes():
        return [(m["pillar"], m["code"]) for m in ok(pl, "GET", "/api/v1/plans/%s/measures" % pid)["items"]]

    ok(pl, "POST", url, {"code": "3", "title_ja": "三"}, status=201)
    ok(pl, "POST", url, {"code": "0", "title_ja": "先頭に加える柱", "position": 0}, status=201)
    assert pillar_codes() == ["0", "1", "2", "3"]
    ok(pl, "PATCH", url + "/3", {"position": 1})
    assert pillar_codes() == ["0", "3", "1", "2"]
    ok(pl, "PATCH", url + "/0", {"position": 50})  # past the last: last
    assert pillar_codes() == ["3", "1", "2", "0"]
    got = ok(pl, "PATCH", url + "/" + pillars["2"]["id"], {"position": 0, "title_ja": "二"})
    assert got["title_ja"] == "二" and pillar_codes() == ["2", "3", "1", "0"]
    ok(pl, "PATCH", url + "/2", {"position": 0})  # where it is: nothing moves
    assert pillar_codes() == ["2", "3", "1", "0"]
    # measures: within their pillar
    for code in ("m2", "m3"):
        ok(pl, "POST", url + "/1/measures", {"code": code, "title_ja": code, "owners": ["nisc"]}, status=201)
    assert measure_codes() == [("1", "m0"), ("1", "m1"), ("1", "m2"), ("1", "m3")]
    murl = "/api/v1/plans/%s/measures/" % pid
    ok(pl, "PATCH", murl + ms["m1"]["id"], {"position": 0})
    assert measure_codes() == [("1", "m1"), ("1", "m0"), ("1", "m2"), ("1", "m3")]
    m3 = [m for m in ok(pl, "GET", "/api/v1/plans/%s/measures" % pid)["items"] if m["code"] == "m3"][0]
    ok(pl, "PATCH", murl + m3["id"], {"position": 1})
    assert measure_codes() == [("1", "m1"), ("1", "m3"), ("1", "m0"), ("1", "m2")]
    # a move to another pillar at a place of it; the pillars' order decides the list's
    ok(pl, "PATCH", murl + ms["m0"]["id"], {"pillar": "2"})
    got = ok(pl, "PATCH", murl + ms["m1"]["id"], {"pillar": "2", "position": 0})
    assert got["pillar"] == "2"
    assert measure_codes() == [("2", "m1"), ("2", "m0"), ("1", "m3"), ("1", "m2")]
    ok(pl, "PATCH", url + "/1", {"position": 0})
    assert measure_codes() == [("1", "m3"), ("1", "m2"), ("2", "m1"), ("2", "m0")]
    # the evaluation lists the measures in the same order
    ev = ok(pl, "GET", "/api/v1/plans/%s/evaluation" % pid)
    assert [m["code"] for m in ev["items"]] == ["m3", "m2", "m1", "m0"]
    # each move is an edit in the audit trail, naming the field
    entries = [e for e in audit_of(pl, "plan.pillar_update") if e["detail"]["plan"] == pid]
    assert sum("position" in e["detail"]["fields"] for e in entries) == 5
    # only NISC moves things
    assert_error(pl.patch(url + "/1", {"position": 2}, token="ministry"), 403)
    assert pillar_codes()[0] == "1"


@pytest.mark.parametrize("body,status,field", [
    ({}, 400, None),
    ({"code": "m1"}, 409, "code"),
    ({"code": ""}, 400, "code"),
    ({"title_ja": None}, 400, "title_ja"),
    ({"title_ja": "あ" * 301}, 413, "title_ja"),
    ({"target_ja": "あ" * 4001}, 413, "target_ja"),
    ({"owners": []}, 400, "owners"),
    ({"owners": None}, 400, "owners"),
    ({"owners": ["nisc"] * 17}, 400, "owners"),
    ({"owners": ["nisc", "bank-ceptoar"]}, 422, "owners"),
    ({"owners": ["nisc", 7]}, 400, "owners"),
    ({"deadline": "2008-02-30"}, 400, "deadline"),
    ({"title_ja": "直す", "deadline": "soon"}, 400, "deadline"),
    ({"pillar": "nope"}, 422, "pillar"),
    ({"pillar": 2}, 422, "pillar"),
    ({"grade": "A"}, 400, "grade"),
    ({"title_ja": "直す", "colour": "red"}, 400, "colour"),
    ({"position": -1}, 400, "position"),
    ({"position": "0"}, 400, "position"),
    ({"position": 2001}, 400, "position"),
    ({"position": 0, "pillar": "nope"}, 422, "pillar"),
    ({"position": 0, "code": "m1"}, 409, "code"),
])
def test_bad_measure_edits_change_nothing(pl, body, status, field):
    pid, _, ms = edit_plan(pl)
    before = snapshot(pl, pid)
    r = pl.patch("/api/v1/plans/%s/measures/%s" % (pid, ms["m0"]["id"]), body, token="nisc")
    assert_error(r, status, field=field)
    assert snapshot(pl, pid) == before


@pytest.mark.parametrize("body,status,field", [
    ({"title_ja": "番号なし", "owners": ["nisc"]}, 400, "code"),
    ({"code": "m1", "title_ja": "重複", "owners": ["nisc"]}, 409, "code"),
    ({"code": "m5", "title_ja": "担当なし"}, 400, "owners"),
    ({"code": "m5", "title_ja": "事業者", "owners": ["op-bank-1"]}, 422, "owners"),
    ({"code": "m5", "title_ja": "期限", "owners": ["nisc"], "deadline": "2008/09/30"}, 400, "deadline"),
    ({"code": "m5", "title_ja": "長い", "owners": ["nisc"], "target_en": "a" * 4001}, 413, "target_en"),
    ({"code": "m5", "title_ja": "柱", "owners": ["nisc"], "pillar": "2"}, 400, "pillar"),
    ({"code": "m5", "title_ja": "評価", "owners": ["nisc"], "grade": "A"}, 400, "grade"),
    ({"code": "m5", "title_ja": "順番", "owners": ["nisc"], "position": 0}, 400, "position"),
    ("text", 400, None),
])
def test_bad_measure_additions_store_nothing(pl, body, status, field):
    pid, pillars, _ = edit_plan(pl)
    before = snapshot(pl, pid)
    r = pl.post("/api/v1/plans/%s/pillars/%s/measures" % (pid, pillars["2"]["id"]), body, token="nisc")
    assert_error(r, status, field=field)
    assert snapshot(pl, pid) == before


def test_measure_cap(pl):
    plan = ok(pl, "POST", "/api/v1/plans", small_plan("施策の上限", 2000), status=201)
    assert_error(pl.post("/api/v1/plans/%s/pillars/1/measures" % plan["id"],
                         {"code": "m2000", "title_ja": "2001", "owners": ["nisc"]}, token="nisc"), 413,
                 field="measures")
    assert ok(pl, "GET", "/api/v1/plans/%s/summary" % plan["id"])["measures"] == 2000


def test_measure_delete_keeps_history_unless_forced(pl):
    pid, _, ms = edit_plan(pl)
    plain = "/api/v1/plans/%s/measures/%s" % (pid, ms["m1"]["id"])
    ok(pl, "DELETE", plain, status=204)
    assert_error(pl.get(plain + "/progress", token="nisc"), 404)
    # one with progress and a grade: 409 until forced
    url = "/api/v1/plans/%s/measures/%s" % (pid, ms["m0"]["id"])
    ok(pl, "POST", url + "/progress", {"year": 2006, "half": "H1", "status": "completed"}, token="ministry",
       status=201)
    ok(pl, "POST", url + "/evaluation", {"grade": "A"})
    before = snapshot(pl, pid)
    assert_error(pl.delete(url, token="nisc"), 409, field="force", message_contains="1 progress reports and a grade")
    assert_error(pl.delete(url, token="nisc", params={"force": "maybe"}), 400, field="force")
    assert snapshot(pl, pid) == before
    ok(pl, "DELETE", url, status=204, params={"force": "1"})
    s = ok(pl, "GET", "/api/v1/plans/%s/summary" % pid)
    assert s["measures"] == 0 and s["evaluated"] == 0
    entries = {e["object_id"]: e for e in audit_of(pl, "plan.measure_delete") if e["detail"]["plan"] == pid}
    assert entries[ms["m0"]["id"]]["detail"]["grade"] == "A" and entries[ms["m0"]["id"]]["detail"]["progress"] == 1
    assert entries[ms["m1"]["id"]]["detail"]["progress"] == 0
    assert_error(pl.delete(url, token="nisc"), 404)


def test_edits_of_unknown_or_other_plans_objects_are_404(pl):
    pid, pillars, ms = edit_plan(pl)
    other, opillars, oms = edit_plan(pl, "別の計画")
    m, p = {"title_ja": "x"}, {"title_ja": "x"}
    add = {"code": "z", "title_ja": "x", "owners": ["nisc"]}
    for method, url, body in (
            ("PATCH", "/api/v1/plans/nope", {"title_ja": "x"}),
            ("POST", "/api/v1/plans/nope/pillars", {"code": "z", "title_ja": "x"}),
            ("PATCH", "/api/v1/plans/%s/pillars/nope" % pid, p),
            ("PATCH", "/api/v1/plans/%s/pillars/%s" % (pid, opillars["1"]["id"]), p),
            ("DELETE", "/api/v1/plans/%s/pillars/%s" % (pid, opillars["2"]["id"]), None),
            ("POST", "/api/v1/plans/%s/pillars/nope/measures" % pid, add),
            ("POST", "/api/v1/plans/%s/pillars/%s/measures" % (pid, opillars["2"]["id"]), add),
            ("PATCH", "/api/v1/plans/%s/measures/nope" % pid, m),
            ("PATCH", "/api/v1/plans/%s/measures/%s" % (pid, oms["m0"]["id"]), m),
            ("DELETE", "/api/v1/plans/%s/measures/%s" % (pid, oms["m1"]["id"]), None),
            ("DELETE", "/api/v1/plans/nope/measures/%s" % ms["m1"]["id"], None)):
        assert_error(pl.request(method, url, token="nisc", json_body=body), 404)
    # the other plan's pillar by id, named in a move, is not this plan's
    assert_error(pl.patch("/api/v1/plans/%s/measures/%s" % (pid, ms["m0"]["id"]),
                          {"pillar": opillars["2"]["id"]}, token="nisc"), 422, field="pillar")
    assert [len(snapshot(pl, x)[1]) for x in (pid, other)] == [2, 2]
    assert [len(snapshot(pl, x)[0]["pillars"]) for x in (pid, other)] == [2, 2]


def test_only_nisc_edits(pl):
    pid, pillars, ms = edit_plan(pl)
    before = snapshot(pl, pid)
    calls = (("PATCH", "/api/v1/plans/" + pid, {"title_ja": "x"}),
             ("POST", "/api/v1/plans/%s/pillars" % pid, {"code": "z", "title_ja": "x"}),
             ("PATCH", "/api/v1/plans/%s/pillars/%s" % (pid, pillars["1"]["id"]), {"title_ja": "x"}),
             ("DELETE", "/api/v1/plans/%s/pillars/%s" % (pid, pillars["2"]["id"]), None),
             ("POST", "/api/v1/plans/%s/pillars/%s/measures" % (pid, pillars["2"]["id"]),
              {"code": "z", "title_ja": "x", "owners": ["fsa"]}),
             ("PATCH", "/api/v1/plans/%s/measures/%s" % (pid, ms["m0"]["id"]), {"title_ja": "x"}),
             ("DELETE", "/api/v1/plans/%s/measures/%s" % (pid, ms["m0"]["id"]), None))
    for method, url, body in calls:
        # the owner ministry of m0 as much as anyone else
        for who in ("ministry", "ministry2", "ceptoar", "operator", "agency", "auditor", "admin"):
            assert_error(pl.request(method, url, token=who, json_body=body), 403)
        assert_error(pl.request(method, url, token=None, json_body=body), 401)
    assert snapshot(pl, pid) == before


def test_edit_and_grades_and_progress_survive(pl):
    """A correction keeps the measure's grade and progress; the summary follows additions."""
    pid, _, ms = edit_plan(pl)
    url = "/api/v1/plans/%s/measures/%s" % (pid, ms["m0"]["id"])
    ok(pl, "POST", url + "/progress", {"year": 2006, "half": "H2", "status": "delayed"}, token="ministry",
       status=201)
    ok(pl, "POST", url + "/evaluation", {"grade": "B", "comment": "遅れ"})
    got = ok(pl, "PATCH", url, {"title_ja": "誤字を直した施策"})
    assert got["grade"] == "B" and got["grade_comment"] == "遅れ" and len(got["progress"]) == 1
    ok(pl, "POST", "/api/v1/plans/%s/pillars/1/measures" % pid, {"code": "m7", "title_ja": "追加", "owners": ["nisc"]},
       status=201)
    s = ok(pl, "GET", "/api/v1/plans/%s/summary" % pid)
    assert s["measures"] == 3 and s["evaluated"] == 1 and s["by_grade"]["B"] == 1


def test_cli_edits(pl, tmp_path):
    pid, pillars, ms = edit_plan(pl, "コマンドで直す計画")
    f = tmp_path / "m.json"
    f.write_text(json.dumps({"title_ja": "コマンドで直した施策", "owners": ["mlit"]}, ensure_ascii=False),
                 encoding="utf-8")
    p = run_cli(["plan", "edit-measure", pid, ms["m0"]["id"], "--file", str(f), "--json"], db=pl.db)
    got = json.loads(p.stdout)
    assert got["title_ja"] == "コマンドで直した施策" and owners(got) == ["mlit"]
    f.write_text(json.dumps({"code": "c1", "title_ja": "コマンドで追加", "owners": ["nisc"]}, ensure_ascii=False),
                 encoding="utf-8")
    p = run_cli(["plan", "add-measure", pid, "2", "--file", str(f), "--json"], db=pl.db)
    added = json.loads(p.stdout)
    assert added["pillar"] == "2" and added["code"] == "c1"
    f.write_text(json.dumps({"title_en": "Corrected from the console"}), encoding="utf-8")
    run_cli(["plan", "edit", pid, "--file", str(f)], db=pl.db)
    assert ok(pl, "GET", "/api/v1/plans/" + pid)["title_en"] == "Corrected from the console"
    # a ministry may not; an owner that is not government is refused, nothing changed
    f.write_text(json.dumps({"owners": ["op-bank-1"]}), encoding="utf-8")
    p = run_cli(["plan", "edit-measure", pid, ms["m0"]["id"], "--file", str(f)], db=pl.db, check=False)
    assert p.returncode != 0 and "owners" in p.stderr
    p = run_cli(["plan", "edit-measure", pid, ms["m0"]["id"], "--file", str(f), "--as", pl.user_names["ministry"]],
                db=pl.db, check=False)
    assert p.returncode != 0 and "NISC" in p.stderr
    ok(pl, "POST", "/api/v1/plans/%s/measures/%s/evaluation" % (pid, added["id"]), {"grade": "A"})
    p = run_cli(["plan", "delete-measure", pid, added["id"]], db=pl.db, check=False)
    assert p.returncode != 0 and "force" in p.stderr
    run_cli(["plan", "delete-measure", pid, added["id"], "--force"], db=pl.db)
    assert [m["code"] for m in ok(pl, "GET", "/api/v1/plans/%s/measures" % pid)["items"]] == ["m0", "m1"]
    # a measure put first in its pillar
    f.write_text(json.dumps({"position": 0}), encoding="utf-8")
    run_cli(["plan", "edit-measure", pid, ms["m1"]["id"], "--file", str(f)], db=pl.db)
    assert [m["code"] for m in ok(pl, "GET", "/api/v1/plans/%s/measures" % pid)["items"]] == ["m1", "m0"]
    f.write_text(json.dumps({"position": -1}), encoding="utf-8")
    p = run_cli(["plan", "edit-measure", pid, ms["m1"]["id"], "--file", str(f)], db=pl.db, check=False)
    assert p.returncode == 1 and "position" in p.stderr
    p = run_cli(["plan", "--help"], db=pl.db)
    assert "position" in p.stdout
    p = run_cli(["plan", "edit-measure", pid, ms["m0"]["id"]], db=pl.db, check=False)
    assert p.returncode == 2 and "--file" in p.stderr
