"""IT-failure statistics (GET /api/v1/statistics/it-failures, `ceptoar stats
it-failures`) against a running server.

Reports of two sectors, some breaching their service's verification level
(検証レベル) and some not, at times chosen around the fiscal year's start in
JST, are counted per year, sector and cause category: the exact counts are
checked for NISC (every sector), each ministry (its own sectors only), in
fiscal and calendar years, with filters, as CSV and from the command line.
A report made inside an exercise that breaches a level never counts. Who
else asks is refused, and bad parameters are answered with the field at
fault.
"""

import csv
import datetime
import io

import pytest

from apilib import assert_error, describe, run_cli
from sharefix import add_org, add_principal, report_body

X = "X-Ceptoar-Exercise"
PATH = "/api/v1/statistics/it-failures"
JST = datetime.timezone(datetime.timedelta(hours=9))


@pytest.fixture(scope="module")
def st(new_deployment):
    d = new_deployment("stats")
    d.orgs["power"] = add_org(d, "electricity", [], prefix="pw")
    add_principal(d, "power", d.orgs["power"]["code"], "operator")
    return d


def report(dep, token, headers=None, **over):
    r = dep.post("/api/v1/reports", report_body(**over), token=token, headers=headers)
    assert r.status_code == 201, describe(r)
    return r.json()


def now_years():
    now = datetime.datetime.now(JST)
    return now.year, now.year - (now.month < 4)


@pytest.fixture(scope="module")
def data(st):
    """The reports counted below (finance: operator of op-bank-1; electricity: power)."""
    b = {"verification_breached": True}
    # FY2025 / 2025 (JST 2025-05-10)
    report(st, "operator", occurred_at="2025-05-10T10:00:00+09:00", cause_category="unintentional",
           threat_types=["equipment-failure"], **b)
    report(st, "operator", occurred_at="2025-05-11T10:00:00+09:00", cause_category="unintentional",
           threat_types=["equipment-failure"], **b)
    report(st, "operator", occurred_at="2025-06-01T10:00:00+09:00", cause_category="intentional",
           threat_types=[], **b)
    # 2025-03-31 20:00 UTC is 2025-04-01 05:00 JST: fiscal 2025, calendar 2025
    report(st, "operator", occurred_at="2025-03-31T20:00:00Z", cause_category="intentional",
           threat_types=[], **b)
    # 2025-03-31 14:00 UTC is 23:00 JST the same day: fiscal 2024, calendar 2025
    report(st, "operator", occurred_at="2025-03-31T14:00:00Z", cause_category="unintentional",
           threat_types=["equipment-failure"], **b)
    # no occurrence time: the report's creation (now) counts
    report(st, "operator", occurred_at=None, detected_at=None, cause_category="unintentional",
           threat_types=["equipment-failure"], **b)
    # not breached: never counted
    report(st, "operator", occurred_at="2025-05-12T10:00:00+09:00", verification_breached=False)
    report(st, "operator", occurred_at="2025-05-12T10:00:00+09:00")
    # electricity, FY2025
    for day in ("2025-08-01", "2025-08-02"):
        report(st, "power", occurred_at=day + "T10:00:00+09:00", cause_category="disaster-illness",
               threat_types=[], **b)
    # an exercise's report that breaches a level: never counted
    ex = st.ok("POST", "/api/v1/exercises", {"title": "統計に数えない訓練"}, token="nisc", status=201)
    st.ok("POST", "/api/v1/exercises/%s/members" % ex["id"], {"role": "player", "org": st.orgs["op1"]["id"]},
          token="nisc", status=201)
    st.ok("POST", "/api/v1/exercises/%s/clock" % ex["id"], {"action": "start"}, token="nisc")
    exrep = report(st, "operator", headers={X: ex["id"]}, occurred_at="2025-05-10T10:00:00+09:00",
                   cause_category="unintentional", threat_types=["equipment-failure"], **b)
    assert exrep.get("exercise") == ex["id"], exrep
    return {"exercise": ex["id"]}


def counts(body):
    return {(i["year"], i["sector"], i["cause_category"]): i["count"] for i in body["items"]}


def stats(dep, token="nisc", **params):
    r = dep.get(PATH, token=token, params=params)
    assert r.status_code == 200, describe(r)
    return r.json()


def test_nisc_counts_every_sector_by_fiscal_year(st, data):
    _, fy_now = now_years()
    body = stats(st)
    assert body["basis"] == "fiscal"
    want = {
        (2024, "finance", "unintentional"): 1,
        (2025, "finance", "intentional"): 2,
        (2025, "finance", "unintentional"): 2,
        (2025, "electricity", "disaster-illness"): 2,
    }
    want[(fy_now, "finance", "unintentional")] = want.get((fy_now, "finance", "unintentional"), 0) + 1
    assert counts(body) == want, body
    assert body["total"] == 8
    # ordered by year, then in the sectors' order of seed 001
    years = [i["year"] for i in body["items"]]
    assert years == sorted(years)
    row = [i for i in body["items"] if i["sector"] == "electricity"][0]
    assert row["sector_name_ja"] and row["sector_name_en"], row


def test_calendar_years(st, data):
    year_now, _ = now_years()
    body = stats(st, basis="calendar")
    assert body["basis"] == "calendar"
    want = {
        (2025, "finance", "intentional"): 2,
        (2025, "finance", "unintentional"): 3,
        (2025, "electricity", "disaster-illness"): 2,
    }
    want[(year_now, "finance", "unintentional")] = want.get((year_now, "finance", "unintentional"), 0) + 1
    assert counts(body) == want, body


def test_filters(st, data):
    assert counts(stats(st, year=2025, sector="electricity")) == {(2025, "electricity", "disaster-illness"): 2}
    assert counts(stats(st, year=2024)) == {(2024, "finance", "unintentional"): 1}
    assert counts(stats(st, year=2025, cause="intentional")) == {(2025, "finance", "intentional"): 2}
    assert stats(st, cause="none")["items"] == []
    assert stats(st, sector="gas")["total"] == 0


def test_exercise_reports_never_count(st, data):
    """The exercise's breaching report is in the exercise's world, not in the counts."""
    r = st.get("/api/v1/reports", token="nisc", headers={X: data["exercise"]})
    assert r.status_code == 200 and r.json()["total"] == 1, describe(r)
    assert counts(stats(st, year=2025, sector="finance", cause="unintentional")) == {
        (2025, "finance", "unintentional"): 2}
    # and the statistics are refused inside the exercise
    assert_error(st.get(PATH, token="nisc", headers={X: data["exercise"]}), 403)


def test_ministries_see_their_own_sectors(st, data):
    fsa = stats(st, token="ministry")
    assert {k[1] for k in counts(fsa)} == {"finance"}
    assert fsa["total"] == 6
    meti = stats(st, token="ministry2")
    assert counts(meti) == {(2025, "electricity", "disaster-illness"): 2}
    # asking for another ministry's sector counts nothing, it does not fail
    assert stats(st, token="ministry", sector="electricity")["total"] == 0


@pytest.mark.parametrize("who", ["admin", "ceptoar", "operator", "operator2", "agency", "auditor"])
def test_others_are_refused(st, who):
    assert_error(st.get(PATH, token=who), 403)


def test_unauthenticated(st):
    assert_error(st.get(PATH, token=None), 401)


def test_csv(st, data):
    r = st.get(PATH, token="nisc", params={"format": "csv", "year": 2025})
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    assert list(rows[0].keys()) == ["year", "sector", "sector_name_ja", "sector_name_en", "cause_category",
                                    "count"]
    got = {(row["sector"], row["cause_category"]): int(row["count"]) for row in rows}
    assert got == {("finance", "intentional"): 2, ("finance", "unintentional"): 2,
                   ("electricity", "disaster-illness"): 2}


@pytest.mark.parametrize("params,field", [
    ({"year": "1999"}, "year"),
    ({"year": "x"}, "year"),
    ({"basis": "lunar"}, "basis"),
    ({"format": "xml"}, "format"),
])
def test_bad_parameters(st, params, field):
    assert_error(st.get(PATH, token="nisc", params=params), 400, field=field)


def test_cli(st, data):
    p = run_cli(["stats", "it-failures", "--year", "2025", "--sector", "electricity", "--json"], db=st.db)
    import json
    body = json.loads(p.stdout)
    assert counts(body) == {(2025, "electricity", "disaster-illness"): 2}
    p = run_cli(["stats", "it-failures", "--year", "2025", "--calendar", "--csv"], db=st.db)
    assert p.stdout.startswith("year,sector,")
    assert "2025,finance,金融,Finance,unintentional,3" in p.stdout
    # as a ministry user: its own sector only
    p = run_cli(["stats", "it-failures", "--as", st.user_names["ministry2"], "--json"], db=st.db)
    assert {i["sector"] for i in json.loads(p.stdout)["items"]} == {"electricity"}
    p = run_cli(["stats", "it-failures", "--as", st.user_names["operator"]], db=st.db, check=False)
    assert p.returncode != 0 and "NISC" in p.stderr
    p = run_cli(["stats", "--help"], db=st.db)
    assert "検証レベル" in p.stdout
