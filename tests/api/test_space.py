"""The spaces around reports and alerts, over HTTP and the command line: the
threat taxonomy (seed 004), the signing keys and the verification of exported
alerts, common threats across sectors (共通脅威), the CEPTOAR Council space
(セプターカウンシル) and large-scale incidents (平時と異なる体制).

A private deployment (its council items, exclusions and incidents are its
own), with the usual principals (apilib.Deployment) and:
  elec    an operator of the electricity sector (member of electricity-ceptoar)
  elecS   the electricity-ceptoar secretariat (a council member, like bank-ceptoar)
"""

import datetime
import json
import secrets

import pytest

from apilib import assert_error, describe, load_reference, run_cli, unique
from sharefix import (add_org, add_principal, cli_json, create_report, parse_time, send_alert,
                      wait_fanout)

THREAT_CATEGORIES = ["intentional", "unintentional", "disaster-illness", "spillover"]


@pytest.fixture(scope="module")
def sp(new_deployment):
    d = new_deployment("space")
    d.orgs["elec"] = add_org(d, "electricity", ["electricity-ceptoar"], prefix="elec")
    add_principal(d, "elec", d.orgs["elec"]["code"], "operator")
    add_principal(d, "elecS", "electricity-ceptoar", "ceptoar")
    return d


def ip():
    """A fresh address, so that each test correlates its own indicator."""
    return "10.%d.%d.%d" % (secrets.randbelow(250), secrets.randbelow(250), secrets.randbelow(250) + 1)


def cli(dep, args, check=True):
    return run_cli(args, db=dep.db, check=check)


# ---- the threat taxonomy ------------------------------------------------------------

def test_threats_are_the_four_categories_of_seed_004_with_their_types(sp):
    r = sp.get("/api/v1/threats", token="operator")
    assert r.status_code == 200, describe(r)
    body = r.json()
    assert [c["id"] for c in body["items"]] == THREAT_CATEGORIES, describe(r)
    assert body["total"] == 4
    seen = set()
    for c in body["items"]:
        assert c["name_ja"] and c["name_en"], c
        assert c["types"], "category %s has no types" % c["id"]
        for t in c["types"]:
            assert t["id"] and t["name_ja"] and t["name_en"], t
            assert t["id"] not in seen, "type id %s in two categories" % t["id"]
            seen.add(t["id"])
    by_id = {c["id"]: c for c in body["items"]}
    assert "電力供給の途絶" in [t["name_ja"] for t in by_id["spillover"]["types"]]
    assert "不正侵入" in [t["name_ja"] for t in by_id["intentional"]["types"]]
    assert by_id["intentional"]["name_ja"] == "サイバー攻撃をはじめとする意図的要因"
    # the seed's data file, in its order
    ref = load_reference("threats.json")["items"]
    assert [[t["id"] for t in c["types"]] for c in body["items"]] == \
        [[t["id"] for t in c["types"]] for c in ref]


@pytest.mark.parametrize("who", ["admin", "nisc", "ministry", "ceptoar", "agency", "auditor"])
def test_every_user_reads_the_threats(sp, who):
    r = sp.get("/api/v1/threats", token=who)
    assert r.status_code == 200 and r.json()["total"] == 4, describe(r)


def test_threats_need_credentials_and_page_like_every_list(sp):
    assert_error(sp.get("/api/v1/threats", token=None), 401)
    r = sp.get("/api/v1/threats", params={"limit": 1, "offset": 3})
    assert [c["id"] for c in r.json()["items"]] == ["spillover"] and r.json()["total"] == 4, describe(r)
    assert_error(sp.get("/api/v1/threats", params={"limit": 0}), 400, field="limit")


def test_reports_take_the_threat_types_of_their_category(sp):
    types = {c["id"]: [t["id"] for t in c["types"]] for c in sp.get("/api/v1/threats").json()["items"]}
    rep = create_report(sp, "operator", cause_category="spillover", threat_types=types["spillover"][:1])
    assert rep["threat_types"] == types["spillover"][:1], rep
    r = sp.post("/api/v1/reports", {"title": "x", "status": "first", "cause_category": "spillover",
                                    "threat_types": types["intentional"][:1]}, token="operator")
    assert_error(r, 422, field="threat_types")


def test_cli_registry_threats(sp):
    p = cli(sp, ["registry", "threats"])
    assert "電力供給の途絶" in p.stdout and "spillover" in p.stdout, p.stdout
    assert [c["id"] for c in cli_json(cli(sp, ["registry", "threats", "--json"]))["items"]] == THREAT_CATEGORIES
    assert "threats" in cli(sp, ["registry", "--help"]).stdout


# ---- signing keys and verification --------------------------------------------------

@pytest.fixture(scope="module")
def signed(sp):
    """An alert from NISC to finance as its receiver op-bank-1 reads it."""
    a = send_alert(sp, "nisc", {"sectors": ["finance"]})
    wait_fanout(sp, a["id"])
    r = sp.get("/api/v1/alerts/%s" % a["id"], token="operator")
    assert r.status_code == 200, describe(r)
    return r.json()


def verify(dep, alert, token="operator"):
    return dep.request("POST", "/api/v1/alerts/verify", token=token,
                       data=json.dumps(alert, ensure_ascii=False).encode("utf-8"),
                       headers={"Content-Type": "application/json"})


def test_keys_list_the_public_key_that_signs_alerts(sp, signed):
    sig = signed["signature"]
    assert sig["alg"] == "Ed25519" and sig["key_id"] and len(sig["value"]) == 128, sig
    for who in ["operator", "agency", "auditor", "admin"]:
        r = sp.get("/api/v1/keys", token=who)
        assert r.status_code == 200, describe(r)
        keys = r.json()["items"]
        assert sig["key_id"] in [k["id"] for k in keys], describe(r)
        for k in keys:
            assert k["alg"] == "Ed25519" and len(k["public_key"]) == 64, k
            int(k["public_key"], 16)
            assert not [m for m in k if "secret" in m], "a key shows its secret: %r" % k
    assert_error(sp.get("/api/v1/keys", token=None), 401)


@pytest.mark.parametrize("who", ["operator", "operator2", "ministry", "nisc", "agency", "auditor"])
def test_an_exported_alert_verifies_for_everyone(sp, signed, who):
    r = verify(sp, signed, token=who)
    assert r.status_code == 200, describe(r)
    assert r.json() == {"valid": True, "key_id": signed["signature"]["key_id"]}, describe(r)


@pytest.mark.parametrize("member,value", [
    ("body_ja", "改ざんされた本文"), ("title_ja", "偽の注意喚起"), ("severity", "info"),
    ("tlp", "CLEAR"), ("audience", {"all": True}), ("ack_deadline", "2099-01-01T00:00:00Z"),
    ("references", ["https://evil.example/"]), ("org", "someone-else")])
def test_a_changed_alert_does_not_verify(sp, signed, member, value):
    a = json.loads(json.dumps(signed))
    a[member] = value
    r = verify(sp, a)
    assert r.status_code == 200, describe(r)
    body = r.json()
    assert body["valid"] is False and body["reason"].strip(), describe(r)
    assert body.get("key_id") == signed["signature"]["key_id"], describe(r)


def test_what_changes_after_sending_is_not_signed(sp, signed):
    """Delivery state and display names are not part of the signature."""
    a = json.loads(json.dumps(signed))
    a["recipients"] = 12345
    a["fanout"] = "pending"
    a["org_name_ja"] = "別名"
    assert verify(sp, a).json()["valid"] is True


def test_a_signature_of_another_key_does_not_verify(sp, signed):
    a = json.loads(json.dumps(signed))
    a["signature"]["key_id"] = "00000000-0000-4000-8000-000000000000"
    body = verify(sp, a).json()
    assert body["valid"] is False and "key" in body["reason"], body
    a = json.loads(json.dumps(signed))
    a["signature"]["value"] = "00" * 64
    assert verify(sp, a).json()["valid"] is False


def test_an_alert_without_a_signature_is_refused(sp, signed):
    a = json.loads(json.dumps(signed))
    del a["signature"]
    assert_error(verify(sp, a), 400, field="signature")
    a["signature"] = {"alg": "Ed25519", "key_id": signed["signature"]["key_id"]}
    assert_error(verify(sp, a), 400, field="signature")
    assert_error(verify(sp, {}), 400, field="signature")
    r = sp.request("POST", "/api/v1/alerts/verify", data=b"{not json",
                   headers={"Content-Type": "application/json"})
    assert_error(r, 400)
    r = sp.request("POST", "/api/v1/alerts/verify", data=json.dumps(signed).encode(),
                   headers={"Content-Type": "text/plain"})
    assert_error(r, 415)
    assert_error(verify(sp, signed, token=None), 401)


def test_cli_alert_verify_with_the_database_and_with_a_key(sp, signed, tmp_path):
    good = tmp_path / "alert.json"
    good.write_text(json.dumps(signed, ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "tampered.json"
    t = dict(signed, body_ja=signed["body_ja"] + "(改)")
    bad.write_text(json.dumps(t, ensure_ascii=False), encoding="utf-8")
    keys = sp.get("/api/v1/keys").json()["items"]
    pk = [k["public_key"] for k in keys if k["id"] == signed["signature"]["key_id"]][0]

    p = cli(sp, ["alert", "verify", str(good)], check=False)
    assert p.returncode == 0 and "signature valid" in p.stdout, p
    assert signed["signature"]["key_id"] in p.stdout, p.stdout
    # with the public key, no database at all
    p = run_cli(["alert", "verify", str(good), "--key", pk], check=False)
    assert p.returncode == 0 and "signature valid" in p.stdout, p
    p = run_cli(["alert", "verify", str(good), "--key", pk.upper()], check=False)
    assert p.returncode == 0, p

    p = cli(sp, ["alert", "verify", str(bad)], check=False)
    assert p.returncode == 3 and "signature INVALID" in p.stdout, p
    p = run_cli(["alert", "verify", str(bad), "--key", pk], check=False)
    assert p.returncode == 3 and "signature INVALID" in p.stdout, p
    other = secrets.token_hex(32)
    p = run_cli(["alert", "verify", str(good), "--key", other], check=False)
    assert p.returncode == 3, p

    unsigned = tmp_path / "unsigned.json"
    unsigned.write_text(json.dumps({k: v for k, v in signed.items() if k != "signature"}))
    p = run_cli(["alert", "verify", str(unsigned), "--key", pk], check=False)
    assert p.returncode == 1 and "signature" in p.stderr, p
    for args in (["alert", "verify"], ["alert", "verify", str(good), "--key", "abc"],
                 ["alert", "verify", str(good), "--as", "x"]):
        p = run_cli(args, check=False)
        assert p.returncode == 2 and p.stderr.strip(), p
    p = run_cli(["alert", "verify", str(tmp_path / "missing.json"), "--key", pk], check=False)
    assert p.returncode == 1 and p.stderr.strip(), p
    # what `alert show --json` prints verifies too
    shown = tmp_path / "shown.json"
    shown.write_text(cli(sp, ["alert", "show", signed["id"], "--json"]).stdout, encoding="utf-8")
    assert cli(sp, ["alert", "verify", str(shown)], check=False).returncode == 0
    help_text = run_cli(["alert", "verify", "--help"]).stdout
    for word in ("--key", "--db", "exits 3"):
        assert word in help_text, help_text
    assert "verify" in run_cli(["alert", "--help"]).stdout


# ---- common threats -------------------------------------------------------------------

def correlation(dep, value, token="nisc", params=None):
    """The correlation of value as token sees it (None when absent)."""
    p = {"limit": 500}
    p.update(params or {})
    r = dep.get("/api/v1/correlations", token=token, params=p)
    assert r.status_code == 200, describe(r)
    found = [c for c in r.json()["items"] if c["value"] == value]
    assert len(found) <= 1, found
    return found[0] if found else None


def test_an_indicator_in_reports_of_two_sectors_is_a_common_threat(sp):
    addr = ip()
    ra = create_report(sp, "operator", tlp="AMBER", scope="council", indicators=[{"type": "ip", "value": addr}])
    assert correlation(sp, addr) is None, "one sector is no correlation"
    rb = create_report(sp, "elec", tlp="AMBER", scope="council", indicators=[{"type": "ip", "value": addr}])

    c = correlation(sp, addr)
    assert c, "NISC does not see the common threat %s" % addr
    assert c["type"] == "ip" and c["reports"] == 2 and c["sector_count"] == 2, c
    assert sorted(c["sectors"]) == ["electricity", "finance"], c
    assert sorted(c["report_ids"]) == sorted([ra["id"], rb["id"]]), c
    assert c["first_seen_at"] and c["last_seen_at"], c

    # a council secretariat: the same, without the reports
    for who in ("ceptoar", "elecS"):
        c = correlation(sp, addr, token=who)
        assert c and c["sector_count"] == 2 and sorted(c["sectors"]) == ["electricity", "finance"], c
        assert "report_ids" not in c, "a council secretariat sees report ids: %r" % c
    for who in ("operator", "elec", "ministry", "agency", "admin", "auditor"):
        assert_error(sp.get("/api/v1/correlations", token=who), 403)
        assert_error(sp.get("/api/v1/correlations/exclusions", token=who), 403)


def test_correlations_cover_only_the_reports_the_reader_may_read(sp):
    addr = ip()
    for who in ("operator", "elec"):
        create_report(sp, who, tlp="AMBER", scope="ministry", indicators=[{"type": "ip", "value": addr}])
    assert correlation(sp, addr)["sector_count"] == 2
    assert correlation(sp, addr, token="ceptoar") is None, "the council sees reports it may not read"


def test_a_value_in_more_than_max_records_reports_stops_correlating(sp):
    addr = ip()
    for who in ("operator", "operator2", "elec"):
        create_report(sp, who, tlp="GREEN", scope="all", indicators=[{"type": "ip", "value": addr}])
    assert correlation(sp, addr)["reports"] == 3
    assert correlation(sp, addr, params={"max_records": 3})["reports"] == 3
    assert correlation(sp, addr, params={"max_records": 2}) is None
    r = sp.get("/api/v1/correlations", token="nisc", params={"max_records": 2})
    assert r.json()["max_records"] == 2, describe(r)
    assert sp.get("/api/v1/correlations", token="nisc").json()["max_records"] == 50
    for bad in ("1", "0", "10001", "x", "", "-5", "2.5"):
        r = sp.get("/api/v1/correlations", token="nisc", params={"max_records": bad})
        assert_error(r, 400, field="max_records")
    assert correlation(sp, addr, params={"max_records": 10000})["reports"] == 3


def test_an_excluded_value_never_correlates(sp):
    addr = ip()
    for who in ("operator", "elec"):
        create_report(sp, who, tlp="AMBER", scope="council", indicators=[{"type": "ip", "value": addr}])
    assert correlation(sp, addr) and correlation(sp, addr, token="ceptoar")
    before = sp.get("/api/v1/correlations/exclusions", token="nisc", params={"limit": 500}).json()
    for who in ("ceptoar", "operator", "ministry", "admin"):
        r = sp.post("/api/v1/correlations/exclusions", {"type": "ip", "value": addr, "reason": "x"}, token=who)
        assert_error(r, 403)
    assert sp.get("/api/v1/correlations/exclusions", token="nisc",
                  params={"limit": 500}).json()["total"] == before["total"]
    assert correlation(sp, addr)

    r = sp.post("/api/v1/correlations/exclusions", {"type": "ip", "value": addr, "reason": "sinkhole"},
                token="nisc")
    assert r.status_code == 201, describe(r)
    assert r.json() == {"type": "ip", "value": addr, "reason": "sinkhole"}, describe(r)
    assert correlation(sp, addr) is None and correlation(sp, addr, token="ceptoar") is None
    for who in ("nisc", "ceptoar"):
        ex = sp.get("/api/v1/correlations/exclusions", token=who, params={"limit": 500}).json()
        mine = [e for e in ex["items"] if e["value"] == addr]
        assert len(mine) == 1 and mine[0]["type"] == "ip" and mine[0]["reason"] == "sinkhole", ex
        assert mine[0]["created_by"] == sp.user_names["nisc"], mine
    # again: the reason is replaced, not a second entry
    r = sp.post("/api/v1/correlations/exclusions", {"type": "ip", "value": addr, "reason": "resolver"},
                token="nisc")
    assert r.status_code == 201, describe(r)
    ex = sp.get("/api/v1/correlations/exclusions", token="nisc", params={"limit": 500}).json()
    assert [e["reason"] for e in ex["items"] if e["value"] == addr] == ["resolver"], ex


@pytest.mark.parametrize("body,field", [
    ({"type": "mac", "value": "x"}, "type"), ({"value": "1.2.3.4"}, "type"),
    ({"type": "ip"}, "value"), ({"type": "ip", "value": ""}, "value"),
    ({"type": "ip", "value": "1.2.3.4", "reason": "r" * 501}, "reason"),
    ({"type": "ip", "value": "1.2.3.4", "colour": "red"}, "colour")])
def test_a_bad_exclusion_is_refused(sp, body, field):
    before = sp.get("/api/v1/correlations/exclusions", token="nisc", params={"limit": 1}).json()["total"]
    r = sp.post("/api/v1/correlations/exclusions", body, token="nisc")
    assert r.status_code in (400, 413), describe(r)
    assert_error(r, r.status_code, field=field)
    assert sp.get("/api/v1/correlations/exclusions", token="nisc",
                  params={"limit": 1}).json()["total"] == before


def test_cli_correlations(sp):
    addr = ip()
    for who in ("operator", "elec"):
        create_report(sp, who, tlp="AMBER", scope="council", indicators=[{"type": "ip", "value": addr}])
    items = cli_json(cli(sp, ["correlations", "list", "--json", "--limit", "500"]))["items"]
    assert [c for c in items if c["value"] == addr and len(c["report_ids"]) == 2], items
    items = cli_json(cli(sp, ["correlations", "list", "--as", sp.user_names["ceptoar"], "--json",
                              "--limit", "500"]))["items"]
    mine = [c for c in items if c["value"] == addr]
    assert mine and "report_ids" not in mine[0], mine
    assert addr in cli(sp, ["correlations", "list", "--limit", "500"]).stdout
    p = cli(sp, ["correlations", "list", "--as", sp.user_names["operator"]], check=False)
    assert p.returncode == 1 and p.stderr.strip(), p
    p = cli(sp, ["correlations", "list", "--max-records", "1"], check=False)
    assert p.returncode == 1 and "max_records" in p.stderr, p
    p = cli(sp, ["correlations", "exclude", "--as", sp.user_names["nisc"], "--type", "ip", "--value", addr,
                 "--reason", "CLIで除外"])
    assert addr in p.stdout, p.stdout
    assert addr not in cli(sp, ["correlations", "list", "--limit", "500"]).stdout
    assert "CLIで除外" in cli(sp, ["correlations", "exclusions", "--limit", "500"]).stdout
    for args in (["correlations", "exclude", "--type", "ip"], ["correlations", "frob"],
                 ["correlations", "list", "--type", "ip"]):
        assert cli(sp, args, check=False).returncode == 2
    help_text = cli(sp, ["correlations", "--help"]).stdout
    for word in ("list", "exclusions", "exclude", "--max-records", "--type", "--value", "--reason", "--as"):
        assert word in help_text, help_text


# ---- the CEPTOAR Council space -------------------------------------------------------

def council_total(dep, token):
    r = dep.get("/api/v1/council", token=token, params={"limit": 500})
    assert r.status_code == 200, describe(r)
    return r.json()["total"], [i["id"] for i in r.json()["items"]]


def test_the_council_space_is_independent_of_government(sp):
    # nothing shared with government yet in this deployment
    for who in ("nisc", "ministry", "ministry2"):
        assert council_total(sp, who)[0] == 0

    r = sp.post("/api/v1/council", {"title": "金融から電力へ " + unique("c"), "body": "不審な通信を確認。",
                                    "tlp": "AMBER"}, token="ceptoar")
    assert r.status_code == 201, describe(r)
    item = r.json()
    assert item["shared_with_government"] is False and item["tlp"] == "AMBER" and item["replies"] == [], item
    assert item["org"] == "bank-ceptoar" and item["created_by"] == sp.user_names["ceptoar"], item

    r = sp.post("/api/v1/council/%s/replies" % item["id"], {"body": "電力でも同じ通信を確認。"}, token="elecS")
    assert r.status_code == 201, describe(r)
    replies = r.json()["replies"]
    assert len(replies) == 1 and replies[0]["org"] == "electricity-ceptoar", r.json()
    assert replies[0]["body"] == "電力でも同じ通信を確認。"

    for who in ("ceptoar", "elecS"):
        got = sp.get("/api/v1/council/%s" % item["id"], token=who)
        assert got.status_code == 200 and len(got.json()["replies"]) == 1, describe(got)
        listed = [i for i in sp.get("/api/v1/council", token=who, params={"limit": 500}).json()["items"]
                  if i["id"] == item["id"]]
        assert listed and listed[0]["replies"] == 1, listed

    # government: absent, not forbidden
    for who in ("nisc", "ministry", "ministry2"):
        assert council_total(sp, who) == (0, [])
        assert_error(sp.get("/api/v1/council/%s" % item["id"], token=who), 404)
    # operators and others read nothing and post nothing
    for who in ("operator", "elec", "agency", "admin", "auditor"):
        assert council_total(sp, who) == (0, [])
        assert_error(sp.get("/api/v1/council/%s" % item["id"], token=who), 404)
    for who in ("nisc", "ministry", "operator", "agency", "admin", "auditor"):
        assert_error(sp.post("/api/v1/council", {"title": "x", "body": "y"}, token=who), 403)
        assert_error(sp.post("/api/v1/council/%s/replies" % item["id"], {"body": "y"}, token=who), 403)
    got = sp.get("/api/v1/council/%s" % item["id"], token="ceptoar").json()
    assert len(got["replies"]) == 1, "a refused reply was stored: %r" % got

    # an item the council shares with government
    r = sp.post("/api/v1/council", {"title": "政府と共有 " + unique("c"), "body": "共有します。",
                                    "tlp": "GREEN", "shared_with_government": True}, token="elecS")
    assert r.status_code == 201, describe(r)
    shared = r.json()
    assert shared["shared_with_government"] is True, shared
    assert sp.post("/api/v1/council/%s/replies" % shared["id"], {"body": "了解。"},
                   token="ceptoar").status_code == 201
    for who in ("nisc", "ministry", "ministry2"):
        assert council_total(sp, who) == (1, [shared["id"]])
        got = sp.get("/api/v1/council/%s" % shared["id"], token=who)
        assert got.status_code == 200 and [x["body"] for x in got.json()["replies"]] == ["了解。"], describe(got)
        assert_error(sp.get("/api/v1/council/%s" % item["id"], token=who), 404)
    for who in ("operator", "agency"):
        assert council_total(sp, who) == (0, [])
    total, ids = council_total(sp, "ceptoar")
    assert item["id"] in ids and shared["id"] in ids, ids


@pytest.mark.parametrize("path,body,status,field", [
    ("", {"title": "t", "body": "b", "tlp": "RED"}, 422, "tlp"),
    ("", {"body": "b"}, 400, "title"),
    ("", {"title": "t"}, 400, "body"),
    ("", {"title": "t", "body": "b", "shared_with_government": "yes"}, 400, "shared_with_government"),
    ("", {"title": "t", "body": "b", "tlp": "PURPLE"}, 400, "tlp"),
    ("", {"title": "t", "body": "b", "colour": 1}, 400, None),
    ("", {"title": "t" * 201, "body": "b"}, 413, "title"),
    ("/{item}/replies", {"title": "t", "body": "b"}, 400, "title"),
    ("/{item}/replies", {"body": "b", "tlp": "RED"}, 422, "tlp"),
    ("/no-such-item/replies", {"body": "b"}, 404, None),
])
def test_a_bad_council_post_is_refused(sp, path, body, status, field):
    item = sp.post("/api/v1/council", {"title": unique("c"), "body": "b"}, token="ceptoar").json()
    before = council_total(sp, "ceptoar")[0]
    r = sp.post("/api/v1/council" + path.replace("{item}", item["id"]), body, token="ceptoar")
    assert_error(r, status, field=field)
    assert council_total(sp, "ceptoar")[0] == before
    assert sp.get("/api/v1/council/%s" % item["id"], token="ceptoar").json()["replies"] == []


def test_cli_council(sp, tmp_path):
    f = tmp_path / "item.json"
    f.write_text(json.dumps({"title": "CLIの投稿 " + unique("c"), "body": "本文"}, ensure_ascii=False),
                 encoding="utf-8")
    p = cli(sp, ["council", "post", "--as", sp.user_names["ceptoar"], "--file", str(f), "--json"])
    item = cli_json(p)
    g = tmp_path / "reply.json"
    g.write_text(json.dumps({"body": "CLIの返信"}, ensure_ascii=False), encoding="utf-8")
    p = cli(sp, ["council", "reply", item["id"], "--as", sp.user_names["elecS"], "--file", str(g)])
    assert item["id"] in p.stdout and "1 reply" in p.stdout, p.stdout
    shown = cli(sp, ["council", "show", item["id"], "--as", sp.user_names["ceptoar"]]).stdout
    assert "CLIの返信" in shown and "本文" in shown, shown
    listed = cli_json(cli(sp, ["council", "list", "--as", sp.user_names["elecS"], "--json", "--limit", "500"]))
    assert item["id"] in [i["id"] for i in listed["items"]]
    p = cli(sp, ["council", "show", item["id"], "--as", sp.user_names["nisc"]], check=False)
    assert p.returncode == 1 and p.stderr.strip(), p
    p = cli(sp, ["council", "post", "--as", sp.user_names["operator"], "--file", str(f)], check=False)
    assert p.returncode == 1 and p.stderr.strip(), p
    assert cli(sp, ["council", "post", "--file", str(f)], check=False).returncode == 2
    help_text = cli(sp, ["council", "--help"]).stdout
    for word in ("list", "show", "post", "reply", "--as", "--file", "shared_with_government"):
        assert word in help_text, help_text


# ---- large-scale incidents ---------------------------------------------------------

def declare(dep, **over):
    body = {"title": "大規模障害 " + unique("i"), "description": "広域停電", "ack_hours": 3}
    body.update(over)
    r = dep.post("/api/v1/incidents", body, token="nisc")
    assert r.status_code == 201, describe(r)
    return r.json()


def link(dep, inc, token="nisc", **what):
    return dep.post("/api/v1/incidents/%s/links" % inc["id"], what, token=token)


def sitrep(dep, inc, token, params=None):
    r = dep.get("/api/v1/incidents/%s/sitrep" % inc["id"], token=token, params=params)
    assert r.status_code == 200, describe(r)
    return r.json()


def sitrep_reports(s):
    """{sector: [report ids]} of a situation report."""
    return {sec: [it["id"] for it in v["items"]] for sec, v in s["sectors"].items()}


def test_nisc_declares_an_incident_and_everyone_reads_it(sp):
    inc = declare(sp)
    assert inc["state"] == "open" and inc["ack_hours"] == 3 and inc["sitrep_minutes"] == 60, inc
    assert inc["declared_by"] == sp.user_names["nisc"] and inc["declared_at"], inc
    for who in ("admin", "ministry", "ceptoar", "operator", "agency", "auditor"):
        r = sp.get("/api/v1/incidents/%s" % inc["id"], token=who)
        assert r.status_code == 200 and r.json()["title"] == inc["title"], describe(r)
        ids = [i["id"] for i in sp.get("/api/v1/incidents", token=who, params={"limit": 500}).json()["items"]]
        assert inc["id"] in ids
        assert_error(sp.post("/api/v1/incidents", {"title": "x"}, token=who), 403)
    assert_error(sp.get("/api/v1/incidents", token=None), 401)
    assert_error(sp.get("/api/v1/incidents/no-such-incident", token="nisc"), 404)
    assert_error(sp.get("/api/v1/incidents", token="nisc", params={"state": "burning"}), 400, field="state")


@pytest.mark.parametrize("body,field", [
    ({"ack_hours": 2}, "title"), ({"title": "t", "ack_hours": 0}, "ack_hours"),
    ({"title": "t", "ack_hours": 73}, "ack_hours"), ({"title": "t", "ack_hours": "2"}, "ack_hours"),
    ({"title": "t", "sitrep_minutes": 9}, "sitrep_minutes"),
    ({"title": "t", "sitrep_minutes": 1441}, "sitrep_minutes"), ({"title": "t", "severity": 1}, None)])
def test_a_bad_declaration_is_refused(sp, body, field):
    before = sp.get("/api/v1/incidents", token="nisc", params={"limit": 1}).json()["total"]
    assert_error(sp.post("/api/v1/incidents", body, token="nisc"), 400, field=field)
    assert sp.get("/api/v1/incidents", token="nisc", params={"limit": 1}).json()["total"] == before


def test_incident_mode_links_shortens_deadlines_and_reports_per_sector(sp):
    inc = declare(sp, ack_hours=3)
    fin = create_report(sp, "operator", tlp="AMBER", scope="ceptoar", verification_breached=True)
    ele = create_report(sp, "elec", tlp="AMBER", scope="ceptoar")
    late = send_alert(sp, "nisc", {"sectors": ["finance"]}, ack_within_hours=48)
    none = send_alert(sp, "nisc", {"sectors": ["finance"]}, ack_within_hours=None)
    for a in (late, none):
        wait_fanout(sp, a["id"])

    # only NISC links
    for who in ("operator", "ministry", "ceptoar", "admin"):
        assert_error(link(sp, inc, token=who, report=fin["id"]), 403)
    assert sp.get("/api/v1/reports", token="nisc", params={"incident": inc["id"]}).json()["total"] == 0
    for what in ({"report": fin["id"]}, {"report": ele["id"]}, {"alert": late["id"]}, {"alert": none["id"]}):
        r = link(sp, inc, **what)
        assert r.status_code == 204 and not r.content, describe(r)

    # the alerts must now be acknowledged within ack_hours of their sending
    for a in (late, none):
        got = sp.get("/api/v1/alerts/%s" % a["id"], token="nisc").json()
        created, due = parse_time(got["created_at"]), parse_time(got["ack_deadline"])
        assert due <= created + datetime.timedelta(hours=3), got
    assert parse_time(sp.get("/api/v1/alerts/%s" % none["id"], token="nisc").json()["ack_deadline"]) == \
        parse_time(none["created_at"]) + datetime.timedelta(hours=3)
    inbox = [i for i in sp.get("/api/v1/inbox", token="operator", params={"limit": 500}).json()["items"]
             if i["alert"] == late["id"]]
    assert inbox and parse_time(inbox[0]["ack_deadline"]) <= parse_time(late["created_at"]) + \
        datetime.timedelta(hours=3), inbox
    assert sp.get("/api/v1/incidents/%s" % inc["id"], token="operator").json()["alerts"] == 2

    ids, _total = [r["id"] for r in sp.get("/api/v1/reports", token="nisc",
                                            params={"incident": inc["id"], "limit": 500}).json()["items"]], None
    assert sorted(ids) == sorted([fin["id"], ele["id"]])

    # NISC's situation report: every sector, every report, every alert
    s = sitrep(sp, inc, "nisc")
    assert s["incident"]["id"] == inc["id"] and s["reports"] == 2, s
    assert sitrep_reports(s) == {"finance": [fin["id"]], "electricity": [ele["id"]]}, s
    assert s["sectors"]["finance"]["reports"] == 1 and s["sectors"]["finance"]["verification_breached"] == 1, s
    assert s["sectors"]["finance"]["name_ja"] == "金融", s["sectors"]["finance"]
    assert s["sectors"]["finance"]["items"][0]["org_code"] == sp.orgs["op1"]["code"], s
    alerts = {a["id"]: a for a in s["alerts"]}
    assert set(alerts) == {late["id"], none["id"]}, s
    assert alerts[late["id"]]["recipients"] > 0 and alerts[late["id"]]["acked"] == 0, alerts

    # an operator of another sector sees only what it may read
    e = sitrep(sp, inc, "elec")
    assert sitrep_reports(e) == {"electricity": [ele["id"]]} and e["reports"] == 1, e
    assert e["alerts"] == [], "an electricity operator sees finance alerts: %r" % e["alerts"]
    f = sitrep(sp, inc, "operator")
    assert sitrep_reports(f) == {"finance": [fin["id"]]}, f
    assert {a["id"] for a in f["alerts"]} == {late["id"], none["id"]}, f
    # op-bank-2 (finance, no CEPTOAR) reads neither report, but received the alerts
    o2 = sitrep(sp, inc, "operator2")
    assert o2["sectors"] == {} and o2["reports"] == 0 and len(o2["alerts"]) == 2, o2
    # the electricity report is anonymous beyond its ministry and NISC
    bank = sitrep(sp, inc, "ceptoar")
    assert sitrep_reports(bank) == {"finance": [fin["id"]]}, bank
    assert "org_code" not in bank["sectors"]["finance"]["items"][0], bank

    # an acknowledgement shows in NISC's situation report
    sp.post("/api/v1/deliveries/%d/ack" % inbox[0]["id"], None, token="operator")
    assert {a["id"]: a for a in sitrep(sp, inc, "nisc")["alerts"]}[late["id"]]["acked"] == 1

    # keep: NISC's situation report is stored
    assert sp.get("/api/v1/incidents/%s" % inc["id"], token="nisc").json()["last_sitrep_at"] is None
    sitrep(sp, inc, "operator", params={"keep": "1"})
    assert sp.get("/api/v1/incidents/%s" % inc["id"], token="nisc").json()["last_sitrep_at"] is None
    sitrep(sp, inc, "nisc", params={"keep": "1"})
    assert sp.get("/api/v1/incidents/%s" % inc["id"], token="nisc").json()["last_sitrep_at"]
    assert_error(sp.get("/api/v1/incidents/%s/sitrep" % inc["id"], token="nisc", params={"keep": "maybe"}),
                 400, field="keep")

    # closing: NISC only; then no more links
    for who in ("operator", "ministry", "ceptoar"):
        assert_error(sp.post("/api/v1/incidents/%s/close" % inc["id"], None, token=who), 403)
    r = sp.post("/api/v1/incidents/%s/close" % inc["id"], None, token="nisc")
    assert r.status_code == 200 and r.json()["state"] == "closed" and r.json()["closed_at"], describe(r)
    assert r.json()["closed_by"] == sp.user_names["nisc"]
    assert inc["id"] in [i["id"] for i in sp.get("/api/v1/incidents", token="operator",
                                                  params={"state": "closed", "limit": 500}).json()["items"]]
    assert inc["id"] not in [i["id"] for i in sp.get("/api/v1/incidents", token="operator",
                                                      params={"state": "open", "limit": 500}).json()["items"]]
    other = create_report(sp, "operator")
    r = link(sp, inc, report=other["id"])
    assert r.status_code in (404, 409), describe(r)
    assert_error(r, r.status_code)
    assert sp.get("/api/v1/reports", token="nisc", params={"incident": inc["id"]}).json()["total"] == 2
    assert_error(sp.post("/api/v1/incidents/%s/close" % inc["id"], None, token="nisc"), 404)
    assert sitrep(sp, inc, "nisc")["reports"] == 2


@pytest.mark.parametrize("body,status,field", [
    ({}, 400, "report"), ({"report": "r", "alert": "a"}, 400, "report"),
    ({"report": 5}, 400, "report"), ({"report": "no-such-report"}, 422, "report"),
    ({"alert": "no-such-alert"}, 422, "alert"), ({"incident": "x"}, 400, None)])
def test_a_bad_link_is_refused(sp, body, status, field):
    inc = declare(sp)
    assert_error(link(sp, inc, **body), status, field=field)
    assert sp.get("/api/v1/incidents/%s" % inc["id"], token="nisc").json()["alerts"] == 0
    assert sp.get("/api/v1/reports", token="nisc", params={"incident": inc["id"]}).json()["total"] == 0


def test_links_to_an_unknown_incident_are_404(sp):
    rep = create_report(sp, "operator")
    r = sp.post("/api/v1/incidents/no-such-incident/links", {"report": rep["id"]}, token="nisc")
    assert_error(r, 404)
    assert_error(sp.get("/api/v1/incidents/no-such-incident/sitrep", token="nisc"), 404)
    assert_error(sp.post("/api/v1/incidents/no-such-incident/close", None, token="nisc"), 404)
    r = sp.request("POST", "/api/v1/incidents/%s/close" % declare(sp)["id"], token="nisc",
                   data=b'{"now": true}', headers={"Content-Type": "application/json"})
    assert_error(r, 400)


def test_a_linked_alert_still_verifies(sp):
    inc = declare(sp)
    a = send_alert(sp, "nisc", {"sectors": ["finance"]}, ack_within_hours=48)
    wait_fanout(sp, a["id"])
    assert link(sp, inc, alert=a["id"]).status_code == 204
    got = sp.get("/api/v1/alerts/%s" % a["id"], token="operator").json()
    assert verify(sp, got).json()["valid"] is True


@pytest.mark.parametrize("who", ["auditor", "admin"])
def test_a_situation_report_shows_only_alerts_the_reader_may_read(sp, who):
    inc = declare(sp)
    a = send_alert(sp, "nisc", {"sectors": ["finance"]})
    wait_fanout(sp, a["id"])
    assert link(sp, inc, alert=a["id"]).status_code == 204
    assert_error(sp.get("/api/v1/alerts/%s" % a["id"], token=who), 404)
    assert sitrep(sp, inc, who)["alerts"] == []


def test_cli_incident(sp):
    nisc = sp.user_names["nisc"]
    inc = cli_json(cli(sp, ["incident", "declare", "--as", nisc, "--title", "CLIの大規模障害",
                            "--description", "広域", "--ack-hours", "4", "--sitrep-minutes", "30", "--json"]))
    assert inc["ack_hours"] == 4 and inc["sitrep_minutes"] == 30 and inc["declared_by"] == nisc, inc
    rep = create_report(sp, "operator", tlp="AMBER", scope="ceptoar")
    p = cli(sp, ["incident", "link", inc["id"], "--as", nisc, "--report", rep["id"]])
    assert rep["id"] in p.stdout, p.stdout
    linked = cli_json(cli(sp, ["report", "list", "--incident", inc["id"], "--json"]))
    assert [r["id"] for r in linked["items"]] == [rep["id"]], linked
    s = cli_json(cli(sp, ["incident", "sitrep", inc["id"], "--as", nisc, "--keep", "--json"]))
    assert sitrep_reports(s) == {"finance": [rep["id"]]}, s
    assert sp.get("/api/v1/incidents/%s" % inc["id"]).json()["last_sitrep_at"]
    text = cli(sp, ["incident", "sitrep", inc["id"], "--as", sp.user_names["elec"]]).stdout
    assert "0 report(s)" in text and rep["id"] not in text, text
    text = cli(sp, ["incident", "sitrep", inc["id"]]).stdout
    assert rep["id"] in text and "金融" in text, text
    assert "CLIの大規模障害" in cli(sp, ["incident", "show", inc["id"]]).stdout
    listed = cli_json(cli(sp, ["incident", "list", "--state", "open", "--json", "--limit", "500"]))
    assert inc["id"] in [i["id"] for i in listed["items"]]
    p = cli(sp, ["incident", "declare", "--as", sp.user_names["operator"], "--title", "x"], check=False)
    assert p.returncode == 1 and p.stderr.strip(), p
    p = cli(sp, ["incident", "close", inc["id"], "--as", sp.user_names["operator"]], check=False)
    assert p.returncode == 1, p
    assert "closed" in cli(sp, ["incident", "close", inc["id"], "--as", nisc]).stdout
    p = cli(sp, ["incident", "link", inc["id"], "--as", nisc, "--report", rep["id"]], check=False)
    assert p.returncode == 1 and p.stderr.strip(), p
    for args in (["incident", "declare"], ["incident", "link", inc["id"]],
                 ["incident", "link", inc["id"], "--report", "a", "--alert", "b"],
                 ["incident", "show"], ["incident", "list", "--keep"], ["incident", "declare", "--title", "t",
                                                                         "--ack-hours", "many"]):
        p = cli(sp, args, check=False)
        assert p.returncode == 2 and p.stderr.strip(), (args, p)
    help_text = cli(sp, ["incident", "--help"]).stdout
    for word in ("declare", "list", "show", "close", "link", "sitrep", "--title", "--ack-hours",
                 "--report", "--alert", "--keep", "--as"):
        assert word in help_text, help_text
    assert "keys" in run_cli(["--help"]).stdout
    assert sp.get("/api/v1/keys").json()["items"][0]["id"] in cli(sp, ["keys", "list"]).stdout
    assert cli(sp, ["keys", "frob"], check=False).returncode == 2
