"""Many clients at once: concurrent writes all succeed (no lock errors), each
is recorded once, and the audit chain stays intact."""

from concurrent.futures import ThreadPoolExecutor

import requests

from apilib import HTTP_TIMEOUT, describe, run_cli, unique


def test_concurrent_writes_and_reads(deploy):
    tag = unique("conc")
    before_orgs = deploy.total("/api/v1/orgs")
    before_audit = deploy.total("/api/v1/audit")
    headers = {"Authorization": "Bearer " + deploy.tokens["admin"]}

    def create(i):
        with requests.Session() as s:
            return s.post(deploy.url + "/api/v1/orgs", headers=headers, timeout=HTTP_TIMEOUT,
                          json={"kind": "operator", "code": "%s-%03d" % (tag, i), "name_ja": "並行%d" % i,
                                "sector": "logistics", "ceptoars": ["logistics-ceptoar"]})

    def read(i):
        who = ["operator", "nisc", "agency", "auditor"][i % 4]
        return requests.get(deploy.url + "/api/v1/orgs", params={"q": tag},
                            headers={"Authorization": "Bearer " + deploy.tokens[who]}, timeout=HTTP_TIMEOUT)

    with ThreadPoolExecutor(max_workers=16) as pool:
        writes = list(pool.map(create, range(120)))
        reads = list(pool.map(read, range(120)))
    bad = [describe(r) for r in writes if r.status_code != 201] + [describe(r) for r in reads if r.status_code != 200]
    assert not bad, "%d failed, e.g. %s" % (len(bad), bad[:3])
    assert len({r.json()["id"] for r in writes}) == 120
    assert deploy.total("/api/v1/orgs") == before_orgs + 120
    assert deploy.get("/api/v1/orgs", params={"q": tag, "limit": 1}).json()["total"] == 120
    assert deploy.total("/api/v1/audit") == before_audit + 120
    v = deploy.get("/api/v1/audit/verify").json()
    assert v["ok"] is True, v
    assert run_cli(["audit", "verify"], db=deploy.db, check=False).returncode == 0


def test_concurrent_conflicting_creates(deploy):
    """Twenty clients create the same code at once: exactly one wins, the others get 409."""
    code = unique("race")
    headers = {"Authorization": "Bearer " + deploy.tokens["admin"]}

    def create(_):
        return requests.post(deploy.url + "/api/v1/orgs", headers=headers, timeout=HTTP_TIMEOUT,
                             json={"kind": "operator", "code": code, "name_ja": "競合", "sector": "gas"})

    with ThreadPoolExecutor(max_workers=20) as pool:
        rs = list(pool.map(create, range(20)))
    statuses = sorted(r.status_code for r in rs)
    assert statuses == [201] + [409] * 19, statuses
    assert deploy.get("/api/v1/orgs", params={"q": code}).json()["total"] == 1
