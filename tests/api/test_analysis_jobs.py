"""Analysis jobs through the API: models uploaded and checked whole, jobs queued
(202) and run by the server's analysis worker off the request threads, their
progress, results and files, cancel, and every bad input a client can send
refused with the field at fault and nothing queued or stored.

(Who may call what is in test_roles.py; the engine's results themselves in the
unit tests and test_sim_*.py.)"""

import json
import time
import xml.etree.ElementTree as ET

import pytest

from apilib import assert_error, describe, raw_http

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
    ({"kind": "run", "model": "no-such-model"}, 422, "model"),
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
