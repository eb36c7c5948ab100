"""The yearly penetration survey (浸透状況調査): a ministry prepares its
sector's questionnaire (the Guideline's marked items and its own extra
questions), NISC opens it, the operators get it in their inbox and answer,
reminders reach only those who have not submitted, and NISC and the ministry
read the aggregates, which stay withheld while fewer operators than the
survey's threshold have submitted. An operator never reads another's answers,
nor does anyone else."""

import datetime
import time

import pytest

from apilib import assert_error, describe
from sharefix import add_principal

QUESTIONS = 24  # the 3rd edition's 22 must-consider and 2 reference items


def future(days=30):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return t.replace(microsecond=0).isoformat().replace("+00:00", "Z")


@pytest.fixture(scope="module")
def dep(new_deployment):
    d = new_deployment("surveys")
    op3 = d.make_operator(prefix="op3")
    d.orgs["op3"] = op3
    add_principal(d, "operator3", op3["code"], "operator")
    return d


def answer_all(dep, survey, who, status, submit=True):
    qs = dep.ok("GET", "/api/v1/surveys/" + survey["id"], token=who)["questions"]
    body = {"answers": [{"question": q["id"], "status": status, "evidence": "%s: 規程第%d条" % (who, n)}
                        for n, q in enumerate(qs)], "submit": submit}
    return dep.post("/api/v1/surveys/%s/answers" % survey["id"], body, token=who)


def count_surveys(dep):
    return dep.total("/api/v1/surveys", token="nisc")


@pytest.mark.parametrize("change,status,field", [
    ({"sector": "moon"}, 422, "sector"),
    ({"year": None}, 400, "year"),
    ({"year": 1999}, 400, "year"),
    ({"deadline": "2001-01-01T00:00:00Z"}, 400, "deadline"),
    ({"deadline": "next week"}, 400, "deadline"),
    ({"min_respondents": 1}, 400, "min_respondents"),
    ({"remind_days": 99}, 400, "remind_days"),
    ({"edition": "9"}, 422, "edition"),
    ({"questions": "extra"}, 400, "questions"),
    ({"questions": [{"title_en": "no Japanese title"}]}, 400, "title_ja"),
    ({"colour": "red"}, 400, "colour"),
])
def test_bad_input_names_the_field_and_stores_nothing(dep, change, status, field):
    body = {"sector": "finance", "year": 2030, "deadline": future()}
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    before = count_surveys(dep)
    assert_error(dep.post("/api/v1/surveys", body, token="nisc"), status, field=field)
    assert count_surveys(dep) == before


def test_who_runs_a_sectors_survey(dep):
    body = {"sector": "finance", "year": 2031, "deadline": future()}
    for who in ("ministry2", "operator", "ceptoar", "agency", "admin"):
        assert_error(dep.post("/api/v1/surveys", body, token=who), 403)
    assert_error(dep.get("/api/v1/surveys", token="ceptoar"), 403)
    assert_error(dep.get("/api/v1/surveys", token="admin"), 403)


def test_a_full_survey_cycle(dep):
    # the ministry prepares its sector's questionnaire with its own question
    s = dep.ok("POST", "/api/v1/surveys", {
        "sector": "finance", "year": 2025, "deadline": future(), "remind_days": 0,
        "questions": [{"title_ja": "勘定系システムの冗長化", "title_en": "Redundancy of core banking"}]},
        token="ministry", status=201)
    assert s["state"] == "draft" and len(s["questions"]) == QUESTIONS + 1
    assert s["questions"][0]["id"] == "II.6.1.a.i" and s["questions"][0]["mark"] == "must"
    assert s["min_respondents"] == 3 and s["edition"] == "3"
    q = dep.ok("POST", "/api/v1/surveys/%s/questions" % s["id"],
               {"title_ja": "サイバー保険の加入状況", "text_ja": "加入の有無と範囲"}, token="ministry", status=201)
    assert [x["id"] for x in q["questions"] if x["extra"]] == ["X1", "X2"]
    assert_error(dep.post("/api/v1/surveys", {"sector": "finance", "year": 2025, "deadline": future()},
                          token="nisc"), 409, field="year")
    # operators do not see a draft; the other ministry never sees it
    assert_error(dep.get("/api/v1/surveys/" + s["id"], token="operator"), 404)
    assert_error(dep.get("/api/v1/surveys/" + s["id"], token="ministry2"), 404)
    # NISC opens it: each operator of the sector gets it in its inbox
    o = dep.ok("POST", "/api/v1/surveys/%s/open" % s["id"], token="nisc")
    assert o["state"] == "open" and o["invited"] == 3 and o["submitted"] == 0
    assert {r["org"] for r in o["respondents"]} == {dep.orgs[k]["id"] for k in ("op1", "op2", "op3")}
    assert_error(dep.post("/api/v1/surveys/%s/questions" % s["id"], {"title_ja": "遅い"}, token="ministry"),
                 422, field="state")
    deadline = time.time() + 10
    while True:
        inbox = dep.ok("GET", "/api/v1/inbox", token="operator2", params={"q": "浸透状況調査"})["items"]
        if inbox or time.time() > deadline:
            break
        time.sleep(0.1)
    assert inbox, "the survey did not reach the operator's inbox"
    alert = dep.ok("GET", "/api/v1/alerts/" + inbox[0]["alert"], token="operator2")
    assert alert["title_ja"].startswith("【浸透状況調査】") and s["id"] in alert["body_ja"], alert
    mine = dep.ok("GET", "/api/v1/surveys", token="operator")["items"]
    assert [x["id"] for x in mine] == [s["id"]] and mine[0]["my_state"] == "pending"
    op_view = dep.ok("GET", "/api/v1/surveys/" + s["id"], token="operator")
    assert "respondents" not in op_view and op_view["my_state"] == "pending"
    # the operator cannot submit half a questionnaire
    r = dep.post("/api/v1/surveys/%s/answers" % s["id"], {
        "answers": [{"question": "II.6.1.a.i", "status": "implemented"}], "submit": True}, token="operator")
    assert_error(r, 422, field="answers")
    assert dep.ok("GET", "/api/v1/surveys/%s/answers" % s["id"], token="operator")["answers"] == []
    # two operators answer: the aggregate is withheld under the threshold (3)
    assert answer_all(dep, s, "operator", "implemented").status_code == 200
    assert answer_all(dep, s, "operator2", "partly").status_code == 200
    res = dep.ok("GET", "/api/v1/surveys/%s/results" % s["id"], token="ministry")
    assert res["withheld"] is True and res["respondents"] == 2 and "items" not in res, res
    assert dep.ok("GET", "/api/v1/surveys/%s/results" % s["id"], token="nisc")["withheld"] is True
    csv = dep.get("/api/v1/surveys/%s/results" % s["id"], token="nisc", params={"format": "csv"})
    assert csv.status_code == 200 and csv.text.strip().count("\n") == 0, csv.text
    # a reminder reaches only the operator that has not submitted
    assert dep.ok("POST", "/api/v1/surveys/%s/remind" % s["id"], token="ministry")["reminded"] == 1
    # the third submits: the aggregate is shown
    assert answer_all(dep, s, "operator3", "not").status_code == 200
    res = dep.ok("GET", "/api/v1/surveys/%s/results" % s["id"], token="ministry")
    assert res["withheld"] is False and res["respondents"] == 3
    item = [i for i in res["items"] if i["question"] == "II.6.1.b.i"][0]
    assert item["counts"] == {"implemented": 1, "partly": 1, "planned": 0, "not": 1, "na": 0}
    assert item["rate"] == pytest.approx(0.333) and item["rate_with_partly"] == pytest.approx(0.667)
    assert item["label"] == "(ア)"
    assert {p["pillar"] for p in res["pillars"]} >= {"II.6.1.a", "II.6.2.e", "extra"}
    assert res["overall"]["rate_must"] == pytest.approx(0.333)
    assert len(res["behind"]) == 5
    assert res["maturity"]["stage"] == 1
    assert [d["operators"] for d in res["maturity"]["distribution"]] == [2, 0, 0, 1]
    csv = dep.get("/api/v1/surveys/%s/results" % s["id"], token="nisc", params={"format": "csv"})
    lines = csv.text.strip().split("\r\n")
    assert lines[0].startswith("question,item,label,mark") and len(lines) == 1 + QUESTIONS + 2
    # raising the threshold above the respondents withholds it again
    dep.ok("PATCH", "/api/v1/surveys/" + s["id"], {"min_respondents": 4}, token="nisc")
    assert dep.ok("GET", "/api/v1/surveys/%s/results" % s["id"], token="nisc")["withheld"] is True
    dep.ok("PATCH", "/api/v1/surveys/" + s["id"], {"min_respondents": 3}, token="nisc")
    # closing ends the answers
    assert dep.ok("POST", "/api/v1/surveys/%s/close" % s["id"], token="ministry")["state"] == "closed"
    assert_error(answer_all(dep, s, "operator", "not"), 422, field="state")
    dep.survey = s


def test_an_operator_reads_only_its_own_answers(dep):
    s = dep.survey
    own = dep.ok("GET", "/api/v1/surveys/%s/answers" % s["id"], token="operator")
    assert own["org"] == dep.orgs["op1"]["id"] and len(own["answers"]) == QUESTIONS + 2
    assert all(a["status"] == "implemented" for a in own["answers"]) and own["submitted_at"]
    assert own["own"]["stage"] == 4 and own["own"]["rate_must"] == 1.0  # its own standing only
    assert dep.ok("GET", "/api/v1/surveys/%s/answers/%s" % (s["id"], dep.orgs["op1"]["id"]),
                  token="operator")["org"] == dep.orgs["op1"]["id"]
    # anyone else: as if there were none (404), NISC and the ministry included
    for who in ("operator2", "operator3", "nisc", "ministry", "ministry2", "ceptoar", "admin", "auditor"):
        r = dep.get("/api/v1/surveys/%s/answers/%s" % (s["id"], dep.orgs["op1"]["id"]), token=who)
        assert_error(r, 404)
    # operators do not read aggregates; other ministries do not see the survey
    assert_error(dep.get("/api/v1/surveys/%s/results" % s["id"], token="operator"), 403)
    assert_error(dep.get("/api/v1/surveys/%s/results" % s["id"], token="ministry2"), 404)
    assert_error(dep.get("/api/v1/surveys/%s/results" % s["id"], token="ceptoar"), 404)
    assert dep.ok("GET", "/api/v1/surveys", token="ministry2")["items"] == []


def test_bad_answers_name_the_field_and_change_nothing(dep):
    s = dep.ok("POST", "/api/v1/surveys", {"sector": "finance", "year": 2026, "deadline": future(),
                                          "open": True, "remind_days": 0}, token="nisc", status=201)
    assert s["state"] == "open"
    url = "/api/v1/surveys/%s/answers" % s["id"]
    dep.ok("POST", url, {"answers": [{"question": "II.6.1.a.i", "status": "planned", "evidence": "計画中"}]},
           token="operator")
    for body, status, field in [
        ({"answers": [{"question": "II.6.1.a.i", "status": "done"}]}, 400, "answers[0].status"),
        ({"answers": [{"question": "II.9", "status": "not"}]}, 400, "answers[0].question"),
        ({"answers": [{"question": "II.6.1.a.i", "status": "not", "evidence": "x" * 4001}]}, 413,
         "answers[0].evidence"),
        ({"answers": [{"question": "II.6.1.a.i", "status": "not", "note": "x"}]}, 400, "answers[0]"),
        ({"answers": "all"}, 400, "answers"),
        ({"submit": "yes"}, 400, "submit"),
        ({}, 400, "answers"),
    ]:
        assert_error(dep.post(url, body, token="operator"), status, field=field)
    mine = dep.ok("GET", url, token="operator")["answers"]
    assert [(a["question"], a["status"], a["evidence"]) for a in mine] == [("II.6.1.a.i", "planned", "計画中")]
    # only the operators asked answer, each for itself
    for who in ("nisc", "ministry", "ceptoar"):
        r = dep.post(url, {"answers": [{"question": "II.6.1.a.i", "status": "not"}]}, token=who)
        assert r.status_code in (403, 404), describe(r)
    assert dep.ok("GET", url, token="operator")["answers"][0]["status"] == "planned"
    dep.survey2026 = s


def test_trends_across_years(dep):
    s = dep.survey2026
    for who, st in (("operator", "implemented"), ("operator2", "implemented"), ("operator3", "partly")):
        assert answer_all(dep, s, who, st).status_code == 200
    t = dep.ok("GET", "/api/v1/surveys/trends", token="ministry", params={"sector": "finance"})
    rows = [(r["year"], r["withheld"], r["rate"]) for r in t["items"]]
    assert rows == [(2025, False, pytest.approx(0.333)), (2026, False, pytest.approx(0.667))], rows
    assert t["items"][1]["pillars"]["II.6.1.a"] == pytest.approx(0.667)
    csv = dep.get("/api/v1/surveys/trends", token="nisc", params={"format": "csv"})
    assert csv.status_code == 200 and csv.text.startswith("sector,year,state,respondents")
    assert len(csv.text.strip().split("\r\n")) == 3
    assert dep.ok("GET", "/api/v1/surveys/trends", token="ministry2")["items"] == []
    assert_error(dep.get("/api/v1/surveys/trends", token="operator"), 403)
    assert_error(dep.get("/api/v1/surveys/trends", token="nisc", params={"format": "xml"}), 400, field="format")


def test_the_worker_reminds_before_the_deadline(dep):
    s = dep.ok("POST", "/api/v1/surveys", {"sector": "finance", "year": 2027, "deadline": future(2),
                                          "remind_days": 7, "open": True}, token="nisc", status=201)
    deadline = time.time() + 10
    while True:
        got = dep.ok("GET", "/api/v1/surveys/" + s["id"], token="nisc")
        if got["reminded_at"] or time.time() > deadline:
            break
        time.sleep(0.1)
    assert got["reminded_at"] and got["reminders"] == 1, got
    assert all(r["reminded_at"] for r in got["respondents"])


def test_the_command_line(dep, tmp_path):
    from apilib import run_cli
    ministry, op = dep.user_names["ministry"], dep.user_names["operator"]
    p = run_cli(["survey", "open", "--sector", "finance", "--year", "2028", "--deadline", future(),
                 "--min", "2", "--remind-days", "0", "--as", ministry], db=dep.db)
    assert "state open" in p.stdout and "24 questions" in p.stdout
    sid = [s for s in dep.ok("GET", "/api/v1/surveys", token="nisc", params={"year": 2028})["items"]][0]["id"]
    p = run_cli(["survey", "answer", sid, "--question", "II.6.1.a.i", "--status", "implemented",
                 "--evidence", "情報セキュリティ規程", "--as", op], db=dep.db)
    assert "II.6.1.a.i  implemented" in p.stdout
    p = run_cli(["survey", "answer", sid, "--submit", "--as", op], db=dep.db, check=False)
    assert p.returncode == 1 and "field: answers" in p.stderr
    p = run_cli(["survey", "results", sid, "--as", ministry], db=dep.db)
    assert "0 of 3 operators submitted" in p.stdout and "withheld" in p.stdout
    p = run_cli(["survey", "results", sid, "--as", op], db=dep.db, check=False)
    assert p.returncode == 1
    p = run_cli(["survey", "remind", sid, "--as", ministry], db=dep.db)
    assert "reminded 3 operator(s)" in p.stdout
    p = run_cli(["survey", "trends", "--format", "csv", "--out", str(tmp_path)], db=dep.db)
    assert (tmp_path / "trends.csv").read_text().startswith("sector,year,state")
    p = run_cli(["survey", "open"], db=dep.db, check=False)
    assert p.returncode == 2 and "--sector" in p.stderr
    assert "answer ID" in run_cli(["survey", "--help"], db=dep.db).stdout


def test_opening_a_sector_without_operators_is_refused_whole(dep):
    before = count_surveys(dep)
    r = dep.post("/api/v1/surveys", {"sector": "water", "year": 2026, "deadline": future(), "open": True},
                 token="nisc")
    assert_error(r, 422, field="sector")
    assert count_surveys(dep) == before
    draft = dep.ok("POST", "/api/v1/surveys", {"sector": "water", "year": 2026, "deadline": future()},
                   token="nisc", status=201)
    assert_error(dep.post("/api/v1/surveys/%s/open" % draft["id"], {}, token="nisc"), 422, field="sector")
    assert dep.ok("GET", "/api/v1/surveys/" + draft["id"], token="nisc")["state"] == "draft"
