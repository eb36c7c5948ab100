"""The audit trail: every change is recorded (actor, action, object), readable
by admin and auditor, never holding secrets; `ceptoar audit verify` and
GET /api/v1/audit/verify detect an edited, a deleted and a truncated entry."""

import re
import sqlite3

import pytest
import requests

from apilib import HTTP_TIMEOUT, assert_error, backup_db, describe, run_cli, unique

PASSWORD = "audit trail password 1"


@pytest.fixture(scope="module")
def changes(deploy):
    """Make one change of every kind as the admin; returns
    [(actor, action, object_type, object_id)] expected in the trail (None: any)."""
    d = deploy
    admin = "user:" + d.admin_name
    exp = []

    org = d.make_operator(sector="medical")
    exp.append((admin, "org.create", "org", org["id"]))
    d.ok("PATCH", "/api/v1/orgs/" + org["id"], {"region": "九州"})
    exp.append((admin, "org.update", "org", org["id"]))
    svc = d.make_service(org["id"])
    exp.append((admin, "service.create", "service", svc["id"]))
    system = d.make_system(org["id"], service_id=svc["id"])
    exp.append((admin, "system.create", "system", system["id"]))
    d.ok("DELETE", "/api/v1/orgs/%s/systems/%s" % (org["id"], system["id"]))
    exp.append((admin, "system.delete", "system", system["id"]))
    d.ok("DELETE", "/api/v1/orgs/%s/services/%s" % (org["id"], svc["id"]))
    exp.append((admin, "service.delete", "service", svc["id"]))
    d.ok("DELETE", "/api/v1/orgs/" + org["id"])
    exp.append((admin, "org.delete", "org", org["id"]))

    user = d.make_user(org="nisc", role="nisc", password=PASSWORD)
    exp.append((admin, "user.create", "user", user["id"]))
    d.ok("PATCH", "/api/v1/users/" + user["name"], {"display_name": "監査対象"})
    exp.append((admin, "user.update", "user", user["id"]))
    tok = d.make_token(user["name"], days=3)
    exp.append((admin, "token.issue", "token", tok["id"]))
    d.ok("DELETE", "/api/v1/tokens/" + tok["id"])
    exp.append((admin, "token.revoke", "token", tok["id"]))

    r = requests.post(d.url + "/api/v1/sessions", json={"name": user["name"], "password": PASSWORD},
                      timeout=HTTP_TIMEOUT)
    assert r.status_code in (200, 201), describe(r)
    exp.append(("user:" + user["name"], "session.create", "session", None))
    cookie = r.headers["Set-Cookie"].split(";", 1)[0]
    out = requests.delete(d.url + "/api/v1/sessions", timeout=HTTP_TIMEOUT,
                          headers={"Cookie": cookie, "X-CSRF-Token": r.json()["csrf"]})
    assert out.status_code == 204, describe(out)
    exp.append(("user:" + user["name"], "session.revoke", None, None))

    sector = unique("aud-sector")
    d.ok("POST", "/api/v1/sectors", {"id": sector, "name_ja": "監査分野", "name_en": "Audit sector",
                                     "ministry": "mlit"}, status=201)
    exp.append((admin, "sector.create", "sector", sector))

    code = unique("aud-imp")
    r = d.request("POST", "/api/v1/orgs/import", data=("code,name_ja,sector\r\n%s,監査,gas\r\n" % code).encode(),
                  headers={"Content-Type": "text/csv"})
    assert r.status_code in (200, 201), describe(r)
    exp.append((admin, "org.import", "org", None))

    # a change through the CLI is recorded as the console
    cli_user = unique("aud-cli")
    run_cli(["user", "add", "--name", cli_user, "--org", "nisc", "--role", "auditor"], db=d.db)
    exp.append(("console", "user.create", "user", None))
    return {"expected": exp, "secrets": [PASSWORD, tok["token"]], "cli_user": cli_user}


def find(items, actor, action, otype, oid):
    for e in items:
        if e["actor"] == actor and e["action"] == action and (otype is None or e["object_type"] == otype) and (
                oid is None or e["object_id"] == oid):
            return e
    return None


@pytest.mark.parametrize("who", ["admin", "auditor"])
def test_every_change_is_in_the_trail(deploy, changes, who):
    items = deploy.all_items("/api/v1/audit", token=who)
    missing = [c for c in changes["expected"] if not find(items, *c)]
    assert not missing, "not in the audit trail: %s" % missing
    for e in items:
        for k in ("seq", "ts", "actor", "action", "object_type", "object_id"):
            assert k in e, e


def test_trail_is_newest_first_and_filters(deploy, changes):
    body = deploy.get("/api/v1/audit", token="auditor", params={"limit": 100}).json()
    seqs = [e["seq"] for e in body["items"]]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == len(seqs)
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", body["items"][0]["ts"]), body["items"][0]

    users = deploy.all_items("/api/v1/audit", params={"action": "user."})
    assert users and all(e["action"].startswith("user.") for e in users)
    tokens = deploy.all_items("/api/v1/audit", params={"object_type": "token"})
    assert tokens and all(e["object_type"] == "token" for e in tokens)
    console = deploy.all_items("/api/v1/audit", params={"actor": "console"})
    assert console and all(e["actor"] == "console" for e in console)
    admin_total = deploy.get("/api/v1/audit", params={"actor": "user:" + deploy.admin_name}).json()["total"]
    assert 0 < admin_total < deploy.total("/api/v1/audit")


def test_trail_holds_no_secrets(deploy, changes):
    text = requests.get(deploy.url + "/api/v1/audit?limit=500",
                        headers={"Authorization": "Bearer " + deploy.tokens["admin"]}, timeout=HTTP_TIMEOUT).text
    for secret in changes["secrets"] + [deploy.tokens["operator"], deploy.admin_password]:
        assert secret not in text
    con = sqlite3.connect(deploy.db, timeout=30)
    dump = "\n".join(row[0] for row in con.execute("SELECT detail FROM audit"))
    con.close()
    for secret in changes["secrets"]:
        assert secret not in dump


def test_refused_changes_are_not_recorded(deploy, changes):
    before = deploy.total("/api/v1/audit")
    assert_error(deploy.post("/api/v1/orgs", {"kind": "operator", "code": unique("x"), "name_ja": "x",
                                              "sector": "nope"}), 422)
    assert_error(deploy.post("/api/v1/users", {"name": unique("x"), "org": "nisc", "role": "x"}), 400)
    assert_error(deploy.post("/api/v1/orgs", {"kind": "operator", "code": unique("x"), "name_ja": "x",
                                              "sector": "gas"}, token="operator"), 403)
    assert deploy.total("/api/v1/audit") == before


def test_api_verify_ok(deploy, changes):
    for who in ("admin", "auditor"):
        r = deploy.get("/api/v1/audit/verify", token=who)
        assert r.status_code == 200, describe(r)
        v = r.json()
        assert v["ok"] is True and v["entries"] >= len(changes["expected"])
        assert v["head_seq"] == v["entries"]
        assert re.fullmatch(r"[0-9a-f]{64}", v["head_hash"]), v
        newest = deploy.get("/api/v1/audit", params={"limit": 1}).json()["items"][0]
        assert newest["seq"] == v["head_seq"]


def test_cli_verify_intact(deploy, changes):
    p = run_cli(["audit", "verify"], db=deploy.db, check=False)
    assert p.returncode == 0, p
    v = deploy.get("/api/v1/audit/verify").json()
    assert v["head_hash"] in p.stdout + p.stderr  # it prints the head, to be recorded elsewhere


def test_cli_audit_list(deploy, changes):
    p = run_cli(["audit", "list"], db=deploy.db)
    assert p.returncode == 0
    assert "user.create" in p.stdout and "org.import" in p.stdout and "console" in p.stdout, p.stdout


def tampered_copy(deploy, tmp_path, name, sql, args=()):
    """A copy of the live database with sql run on it, which must change one
    row: an UPDATE that writes what the row already held (an entry whose detail
    was "{}" set to "{}") is no tampering, and the test would prove nothing."""
    path = str(tmp_path / name)
    backup_db(deploy.db, path)
    con = sqlite3.connect(path)
    before = con.execute("SELECT * FROM audit ORDER BY seq").fetchall()
    with con:
        n = con.execute(sql, args).rowcount
    after = con.execute("SELECT * FROM audit ORDER BY seq").fetchall()
    con.close()
    assert n == 1
    assert after != before, "the tampering changed nothing: %s %s" % (sql, args)
    return path


def seq_named(text, seq):
    return re.search(r"(?<!\d)%d(?!\d)" % seq, text) is not None


def copy_entries(deploy, tmp_path):
    path = str(tmp_path / "probe.db")
    backup_db(deploy.db, path)
    con = sqlite3.connect(path)
    seqs = [r[0] for r in con.execute("SELECT seq FROM audit ORDER BY seq")]
    con.close()
    assert len(seqs) >= 10
    return seqs


def test_cli_verify_detects_an_edited_entry(deploy, changes, tmp_path):
    seqs = copy_entries(deploy, tmp_path)
    k = seqs[len(seqs) // 2]
    path = tampered_copy(deploy, tmp_path, "edited.db", "UPDATE audit SET detail = ? WHERE seq = ?",
                         ('{"forged":true}', k))
    p = run_cli(["audit", "verify"], db=path, check=False)
    assert p.returncode == 3, p
    assert seq_named(p.stdout + p.stderr, k), "verify did not name seq %d: %s %s" % (k, p.stdout, p.stderr)
    # the live database is untouched
    assert run_cli(["audit", "verify"], db=deploy.db, check=False).returncode == 0


def test_cli_verify_detects_a_deleted_middle_entry(deploy, changes, tmp_path):
    seqs = copy_entries(deploy, tmp_path)
    k = seqs[len(seqs) // 3]
    path = tampered_copy(deploy, tmp_path, "deleted.db", "DELETE FROM audit WHERE seq = ?", (k,))
    p = run_cli(["audit", "verify"], db=path, check=False)
    assert p.returncode == 3, p
    assert seq_named(p.stdout + p.stderr, k), p


def test_cli_verify_detects_a_deleted_last_entry(deploy, changes, tmp_path):
    seqs = copy_entries(deploy, tmp_path)
    path = tampered_copy(deploy, tmp_path, "truncated.db", "DELETE FROM audit WHERE seq = ?", (seqs[-1],))
    p = run_cli(["audit", "verify"], db=path, check=False)
    assert p.returncode == 3, p
    assert seq_named(p.stdout + p.stderr, seqs[-1]), p


def test_cli_verify_detects_a_rewritten_hash(deploy, changes, tmp_path):
    """Editing an entry and recomputing nothing else is caught; so is changing the actor."""
    seqs = copy_entries(deploy, tmp_path)
    k = seqs[1]
    path = tampered_copy(deploy, tmp_path, "actor.db", "UPDATE audit SET actor = 'user:nobody' WHERE seq = ?", (k,))
    p = run_cli(["audit", "verify"], db=path, check=False)
    assert p.returncode == 3 and seq_named(p.stdout + p.stderr, k), p


def test_api_verify_on_a_tampered_copy(deploy, changes, tmp_path):
    """Serving a tampered database: GET /audit/verify answers 409 with ok false and the problems."""
    from apilib import Server
    seqs = copy_entries(deploy, tmp_path)
    k = seqs[len(seqs) // 2]
    path = tampered_copy(deploy, tmp_path, "served.db",
                         "UPDATE audit SET detail = '{\"forged\":\"served\"}' WHERE seq = ?", (k,))
    srv = Server(path, str(tmp_path))
    try:
        srv.wait_ready()
        r = requests.get(srv.url + "/api/v1/audit/verify",
                         headers={"Authorization": "Bearer " + deploy.tokens["auditor"]}, timeout=HTTP_TIMEOUT)
        assert r.status_code == 409, describe(r)
        body = r.json()
        assert body["ok"] is False
        assert any(p["seq"] == k for p in body["problems"]), body
        assert min(p["seq"] for p in body["problems"]) == k, body
    finally:
        srv.assert_clean_stop()
