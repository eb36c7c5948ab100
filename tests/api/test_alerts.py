"""Alerts (情報提供): sending to an audience, the fan-out by the server's
delivery worker to one delivery per receiving organisation, the inbox,
opening and acknowledging, the sender's tracking view, who may send what to
whom, and a fan-out to a CEPTOAR of 1,561 operators.

A private deployment with, in finance: op-bank-1 (bank-ceptoar), op-bank-2
(no CEPTOAR) and operator B (bank-ceptoar, two users b1 and b2); in
electricity: operator C (electricity-ceptoar). The fan-out to 1,561 operators
has a deployment of its own."""

import csv
import io
import json
import time

import pytest

from apilib import assert_error, describe, run_cli, unique
from sharefix import (FANOUT_TIMEOUT, add_org, add_principal, alert_body, alert_of, cli_json, deliveries,
                      inbox, inbox_for, list_items, org_of, send_alert, wait_fanout)


@pytest.fixture(scope="module")
def env(new_deployment):
    dep = new_deployment("alr")
    org_b = add_org(dep, "finance", ["bank-ceptoar"], prefix="opB")
    org_c = add_org(dep, "electricity", ["electricity-ceptoar"], prefix="opC")
    add_principal(dep, "b1", org_b["id"], "operator")
    add_principal(dep, "b2", org_b["id"], "operator")
    add_principal(dep, "opC", org_c["id"], "operator")
    r = dep.get("/api/v1/ceptoars", params={"sector": "finance"})
    assert r.status_code == 200, describe(r)
    fin_ceptoars = {c["id"] for c in r.json()["items"]}
    assert fin_ceptoars == {"bank-ceptoar", "securities-ceptoar", "life-insurance-ceptoar",
                            "non-life-insurance-ceptoar"}, fin_ceptoars
    # Who a NISC alert to the finance sector reaches: every finance operator,
    # the finance CEPTOAR secretariats, and 金融庁.
    finance = {dep.orgs["op1"]["id"], dep.orgs["op2"]["id"], org_b["id"]} | fin_ceptoars | {"fsa"}
    return {"dep": dep, "B": org_b, "C": org_c, "finance": finance}


def alerts_total(dep):
    return dep.total("/api/v1/alerts", token="nisc")


@pytest.fixture(scope="module")
def finance_alert(env):
    dep = env["dep"]
    t0 = time.time()
    a = send_alert(dep, "nisc", {"sectors": ["finance"]}, title_ja="金融分野への注意喚起 " + unique("fin"))
    assert time.time() - t0 < 5, "POST /alerts did not return at once"
    assert a.get("fanout") in ("pending", "done"), a
    view, _ = wait_fanout(dep, a["id"])
    deliv_b = [it for it in view["items"] if org_of(it) == env["B"]["id"]]
    assert len(deliv_b) == 1, view["items"]
    return {"alert": a, "view": view, "b_delivery": deliv_b[0]["id"]}


def per_ceptoar(view, ceptoar):
    rows = [row for row in view["per_ceptoar"] if row.get("ceptoar") == ceptoar
            or (isinstance(row.get("ceptoar"), dict) and row["ceptoar"].get("id") == ceptoar)]
    assert len(rows) == 1, view["per_ceptoar"]
    return rows[0]


def test_fanout_reaches_every_finance_org_once(env, finance_alert):
    view = finance_alert["view"]
    orgs = [org_of(it) for it in view["items"]]
    assert len(orgs) == len(set(orgs)), "an org got more than one delivery: %s" % orgs
    assert set(orgs) == env["finance"], "extra: %s, missing: %s" % (
        set(orgs) - env["finance"], env["finance"] - set(orgs))
    assert view["recipients"] == len(env["finance"]) == 8
    assert view["total"] == 8
    assert view["counts"] == {"sent": 8, "opened": 0, "acked": 0, "escalated": 0}, view["counts"]
    bank = per_ceptoar(view, "bank-ceptoar")  # op-bank-1, B and the secretariat itself
    assert bank["recipients"] == 3 and bank["opened"] == 0 and bank["acked"] == 0, bank
    assert sum(row["recipients"] for row in view["per_ceptoar"]) == 8, view["per_ceptoar"]
    assert env["C"]["id"] not in orgs and "nisc" not in orgs and "meti" not in orgs
    # the alert itself says it is done and how many it reached
    a = env["dep"].get("/api/v1/alerts/" + finance_alert["alert"]["id"], token="nisc").json()
    assert a["fanout"] == "done" and a["recipients"] == 8, a


def test_secretariat_follows_its_members_only(env, finance_alert):
    dep = env["dep"]
    view = deliveries(dep, finance_alert["alert"]["id"], token="ceptoar")
    assert {org_of(it) for it in view["items"]} == {dep.orgs["op1"]["id"], env["B"]["id"], "bank-ceptoar"}, \
        view["items"]
    # a ministry that neither sent nor received it does not follow it
    assert_error(dep.get("/api/v1/alerts/%s/deliveries" % finance_alert["alert"]["id"], token="ministry2"), 404)


def test_open_and_acknowledge(env, finance_alert):
    dep, aid, did = env["dep"], finance_alert["alert"]["id"], finance_alert["b_delivery"]
    title = finance_alert["alert"]["title_ja"]
    for who in ("b1", "b2"):  # every user of B sees the one delivery to B
        items = inbox_for(dep, who, aid)
        assert [it["id"] for it in items] == [did], items
        assert items[0]["title_ja"] == title and not items[0].get("acked_at"), items[0]
        assert [it["id"] for it in inbox_for(dep, who, aid, {"state": "unacked"})] == [did]
        assert inbox_for(dep, who, aid, {"state": "acked"}) == []
        assert [it["id"] for it in inbox_for(dep, who, aid, {"q": title.split()[-1]})] == [did]
        assert inbox(dep, who, {"q": "存在しない語句"})["total"] == 0
        r = dep.get("/api/v1/alerts/" + aid, token=who)
        assert r.status_code == 200 and r.json()["title_ja"] == title, describe(r)

    r = dep.get("/api/v1/deliveries/%s" % did, token="b1")  # opens it
    assert r.status_code == 200, describe(r)
    assert r.json().get("opened_at") and not r.json().get("acked_at"), r.json()
    assert r.json()["title_ja"] == title or r.json().get("alert", {}).get("title_ja") == title, r.json()
    view = deliveries(dep, aid)
    assert view["counts"]["opened"] == 1 and view["counts"]["acked"] == 0, view["counts"]
    bank = per_ceptoar(view, "bank-ceptoar")
    assert bank["opened"] == 1 and bank["acked"] == 0, bank

    r = dep.post("/api/v1/deliveries/%s/ack" % did, None, token="b2")
    assert r.status_code == 200, describe(r)
    ack = r.json()
    assert ack.get("acked_at") and ack.get("acked_by") == dep.user_names["b2"], ack

    view = deliveries(dep, aid)
    assert view["counts"]["acked"] == 1 and view["counts"]["opened"] == 1, view["counts"]
    assert per_ceptoar(view, "bank-ceptoar")["acked"] == 1
    row = [it for it in view["items"] if org_of(it) == env["B"]["id"]][0]
    assert row["acked_at"] == ack["acked_at"] and row["acked_by"] == dep.user_names["b2"], row
    unacked = deliveries(dep, aid, params={"state": "unacked"})
    assert env["B"]["id"] not in {org_of(it) for it in unacked["items"]} and unacked["total"] == 7, unacked
    acked = deliveries(dep, aid, params={"state": "acked"})
    assert [org_of(it) for it in acked["items"]] == [env["B"]["id"]] and acked["total"] == 1, acked

    # again (by the other user): 200, the first acknowledgement unchanged
    r = dep.post("/api/v1/deliveries/%s/ack" % did, None, token="b1")
    assert r.status_code == 200, describe(r)
    assert r.json()["acked_at"] == ack["acked_at"] and r.json()["acked_by"] == dep.user_names["b2"], r.json()
    assert deliveries(dep, aid)["counts"]["acked"] == 1
    assert inbox_for(dep, "b1", aid, {"state": "unacked"}) == []
    assert [it["id"] for it in inbox_for(dep, "b1", aid, {"state": "acked"})] == [did]


def test_other_sector_sees_nothing(env, finance_alert):
    dep, aid, did = env["dep"], finance_alert["alert"]["id"], finance_alert["b_delivery"]
    before = [(org_of(it), it.get("acked_at"), it.get("acked_by"), it.get("opened_at"))
              for it in deliveries(dep, aid)["items"]]
    assert inbox_for(dep, "opC", aid) == []
    assert aid not in [it["id"] for it in dep.get("/api/v1/alerts", token="opC",
                                                   params={"limit": 500}).json()["items"]]
    assert_error(dep.get("/api/v1/alerts/" + aid, token="opC"), 404, code="not_found")
    assert_error(dep.get("/api/v1/alerts/%s/deliveries" % aid, token="opC"), 404)
    assert_error(dep.post("/api/v1/deliveries/%s/ack" % did, None, token="opC"), 404, code="not_found")
    assert_error(dep.get("/api/v1/deliveries/%s" % did, token="opC"), 404, code="not_found")
    assert_error(dep.post("/api/v1/deliveries/%s/ack" % did, None, token="ministry2"), 404)
    after = [(org_of(it), it.get("acked_at"), it.get("acked_by"), it.get("opened_at"))
             for it in deliveries(dep, aid)["items"]]
    assert after == before
    for bad in ("0", "-1", "abc", "999999999"):
        assert_error(dep.post("/api/v1/deliveries/%s/ack" % bad, None, token="b1"), 404)


@pytest.mark.parametrize("who", ["operator", "b1", "opC", "auditor", "admin"])
def test_who_cannot_send_is_403(env, who):
    dep = env["dep"]
    before = alerts_total(dep)
    assert_error(dep.post("/api/v1/alerts", alert_body({"sectors": ["finance"]}), token=who), 403,
                 code="forbidden")
    assert alerts_total(dep) == before


@pytest.mark.parametrize("who", ["ministry", "agency"])
def test_ministry_and_agency_send(env, who):
    dep = env["dep"]
    a = send_alert(dep, who, {"orgs": [env["B"]["id"]]})
    view, _ = wait_fanout(dep, a["id"], token=who)
    assert [org_of(it) for it in view["items"]] == [env["B"]["id"]]
    assert len(inbox_for(dep, "b1", a["id"])) == 1


def test_secretariat_sends_within_its_sector(env):
    dep = env["dep"]
    a = send_alert(dep, "ceptoar", {"ceptoars": ["bank-ceptoar"]})
    view, _ = wait_fanout(dep, a["id"], token="ceptoar")
    # its members; not the sender itself
    assert {org_of(it) for it in view["items"]} == {dep.orgs["op1"]["id"], env["B"]["id"]}, view["items"]
    assert view["recipients"] == 2
    a = send_alert(dep, "ceptoar", {"sectors": ["finance"]})
    view, _ = wait_fanout(dep, a["id"], token="ceptoar")
    assert view["recipients"] == len(env["finance"]) - 1  # the finance orgs but itself


@pytest.mark.parametrize("audience", [{"sectors": ["electricity"]}, {"ceptoars": ["electricity-ceptoar"]},
                                      {"ceptoars": ["bank-ceptoar", "gas-ceptoar"]}, "orgC", {"all": True}],
                         ids=["sector", "ceptoar", "mixed", "org", "all"])
def test_secretariat_cannot_send_outside_its_sector(env, audience):
    dep = env["dep"]
    if audience == "orgC":
        audience = {"orgs": [env["C"]["id"]]}
    before = alerts_total(dep)
    assert_error(dep.post("/api/v1/alerts", alert_body(audience), token="ceptoar"), 422,
                 code="unprocessable", field="audience")
    assert alerts_total(dep) == before


def test_red_alert_goes_to_named_orgs_only(env):
    dep = env["dep"]
    before = alerts_total(dep)
    for audience in ({"sectors": ["finance"]}, {"ceptoars": ["bank-ceptoar"]}, {"all": True},
                     {"sectors": ["finance"], "orgs": [env["B"]["id"]]}):
        assert_error(dep.post("/api/v1/alerts", alert_body(audience, tlp="RED"), token="nisc"), 422,
                     code="unprocessable", field="audience")
    assert alerts_total(dep) == before
    a = send_alert(dep, "nisc", {"orgs": [env["B"]["id"], dep.orgs["op2"]["code"]]}, tlp="RED")
    assert a["tlp"] == "RED"
    view, _ = wait_fanout(dep, a["id"])
    assert {org_of(it) for it in view["items"]} == {env["B"]["id"], dep.orgs["op2"]["id"]}
    assert inbox_for(dep, "opC", a["id"]) == [] and len(inbox_for(dep, "b2", a["id"])) == 1


BAD_AUDIENCES = [
    ("empty", {}), ("empty-lists", {"sectors": [], "ceptoars": [], "orgs": []}),
    ("unknown-sector", {"sectors": ["no-such-sector"]}), ("unknown-ceptoar", {"ceptoars": ["no-such-ceptoar"]}),
    ("unknown-org", {"orgs": ["no-such-org"]}), ("missing", "MISSING"), ("null", None), ("string", "finance"),
    ("array", ["finance"]), ("sectors-not-array", {"sectors": "finance"}),
    ("all-false", {"all": False}), ("all-and-sectors", {"all": True, "sectors": ["finance"]}),
    ("unknown-member", {"regions": ["関東"]}), ("sector-not-string", {"sectors": [3]}),
]


@pytest.mark.parametrize("audience", [b[1] for b in BAD_AUDIENCES], ids=[b[0] for b in BAD_AUDIENCES])
def test_bad_audience(env, audience):
    dep = env["dep"]
    before = alerts_total(dep)
    body = alert_body(audience)
    if audience == "MISSING":
        del body["audience"]
    r = dep.post("/api/v1/alerts", body, token="nisc")
    assert r.status_code in (400, 422), describe(r)
    assert_error(r, r.status_code, field="audience")
    assert alerts_total(dep) == before


@pytest.mark.parametrize("hours", [0, -1, 10000, 2161, 1.5, "24"])
def test_ack_within_hours_out_of_range_is_400(env, hours):
    dep = env["dep"]
    before = alerts_total(dep)
    r = dep.post("/api/v1/alerts", alert_body({"orgs": [env["B"]["id"]]}, ack_within_hours=hours), token="nisc")
    assert_error(r, 400, field="ack_within_hours")
    assert alerts_total(dep) == before


@pytest.mark.parametrize("hours", [1, 2160])
def test_ack_within_hours_bounds_accepted(env, hours):
    dep = env["dep"]
    a = send_alert(dep, "nisc", {"orgs": [env["B"]["id"]]}, ack_within_hours=hours)
    assert a.get("ack_deadline"), a


BAD_FIELDS = [
    ("severity", {"severity": "urgent"}, (400,)), ("title_ja", {"title_ja": None}, (400,)),
    ("title_ja", {"title_ja": "題" * 201}, (400, 413)), ("body_ja", {"body_ja": None}, (400,)),
    ("tlp", {"tlp": "amber"}, (400,)), ("references", {"references": ["javascript:alert(1)"]}, (400,)),
    ("indicators", {"indicators": [{"type": "ip", "value": "999.1.1.1"}]}, (400,)),
    ("ack_deadline", {"ack_deadline": "2000-01-01T00:00:00Z", "ack_within_hours": None}, (400, 422)),
    ("ack_deadline", {"ack_deadline": "tomorrow", "ack_within_hours": None}, (400,)),
]


@pytest.mark.parametrize("field,members,statuses", BAD_FIELDS,
                         ids=["%s-%d" % (b[0], i) for i, b in enumerate(BAD_FIELDS)])
def test_bad_alert_field(env, field, members, statuses):
    dep = env["dep"]
    before = alerts_total(dep)
    r = dep.post("/api/v1/alerts", alert_body({"orgs": [env["B"]["id"]]}, **members), token="nisc")
    assert r.status_code in statuses, describe(r)
    assert_error(r, r.status_code, field=field)
    assert alerts_total(dep) == before


def test_cli_send_list_and_ack(env, tmp_path):
    dep = env["dep"]
    title = "CLIからの注意喚起 " + unique("cli")
    path = tmp_path / "alert.json"
    path.write_text(json.dumps(alert_body({"orgs": [env["B"]["id"]]}, title_ja=title), ensure_ascii=False),
                    encoding="utf-8")
    run_cli(["alert", "send", "--as", dep.user_names["nisc"], "--file", str(path)], db=dep.db)
    found = dep.get("/api/v1/alerts", token="nisc", params={"q": title}).json()["items"]
    assert len(found) == 1, found
    aid = found[0]["id"]
    # q that is an id finds that alert (any case), for those who may see it
    for q in (aid, aid.upper()):
        assert [a["id"] for a in dep.get("/api/v1/alerts", token="nisc", params={"q": q}).json()["items"]] == [aid]
    assert dep.get("/api/v1/alerts", token="nisc",
                   params={"q": "00000000-0000-4000-8000-000000000000"}).json()["total"] == 0
    run_cli(["deliver", "run"], db=dep.db)  # the server's worker may have done it already
    view, _ = wait_fanout(dep, aid)
    assert [org_of(it) for it in view["items"]] == [env["B"]["id"]]

    items = list_items(cli_json(run_cli(["inbox", "list", "--as", dep.user_names["b1"], "--json"], db=dep.db)))
    mine = [it for it in items if alert_of(it) == aid]
    assert len(mine) == 1 and not mine[0].get("acked_at"), mine
    did = mine[0]["id"]
    run_cli(["inbox", "ack", str(did), "--as", dep.user_names["b1"]], db=dep.db)
    row = deliveries(dep, aid)["items"][0]
    assert row["acked_at"] and row["acked_by"] == dep.user_names["b1"], row
    items = list_items(cli_json(run_cli(["inbox", "list", "--as", dep.user_names["b2"], "--json"], db=dep.db)))
    assert [it.get("acked_at") for it in items if alert_of(it) == aid] == [row["acked_at"]]
    # C has nothing of it, and cannot acknowledge B's delivery from the CLI either
    items = list_items(cli_json(run_cli(["inbox", "list", "--as", dep.user_names["opC"], "--json"], db=dep.db)))
    assert [it for it in items if alert_of(it) == aid] == []
    p = run_cli(["inbox", "ack", str(did), "--as", dep.user_names["opC"]], db=dep.db, check=False)
    assert p.returncode != 0, p
    # an operator cannot send from the CLI
    p = run_cli(["alert", "send", "--as", dep.user_names["b1"], "--file", str(path)], db=dep.db, check=False)
    assert p.returncode != 0, p
    assert len(dep.get("/api/v1/alerts", token="nisc", params={"q": title}).json()["items"]) == 1


# ---- a CEPTOAR of 1,561 operators ----------------------------------------

MEMBERS = 1561


@pytest.fixture(scope="module")
def big(new_deployment):
    dep = new_deployment("big")
    # op-bank-1 leaves bank-ceptoar, so that its members are exactly the imported ones
    r = dep.patch("/api/v1/orgs/" + dep.orgs["op1"]["id"], {"ceptoars": []})
    assert r.status_code == 200, describe(r)
    prefix = unique("bk")
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["code", "name_ja", "sector", "ceptoars"])
    for i in range(MEMBERS):
        w.writerow(["%s-%04d" % (prefix, i), "銀行%04d" % i, "finance", "bank-ceptoar"])
    r = dep.request("POST", "/api/v1/orgs/import", data=out.getvalue().encode("utf-8"),
                    headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, describe(r)
    assert r.json()["orgs"] == MEMBERS, r.json()
    r = dep.get("/api/v1/orgs", params={"ceptoar": "bank-ceptoar", "kind": "operator", "limit": 1})
    assert r.status_code == 200 and r.json()["total"] == MEMBERS, describe(r)
    add_principal(dep, "member", "%s-0777" % prefix, "operator")
    return dep


def test_fanout_to_1561_members(big):
    dep = big
    t0 = time.time()
    a = send_alert(dep, "nisc", {"ceptoars": ["bank-ceptoar"]}, title_ja="銀行等セプター全体への注意喚起")
    took = time.time() - t0
    assert took < 2, "POST /alerts took %.1f s: the fan-out is not off the request thread" % took
    assert a["fanout"] == "pending", a
    view, waited = wait_fanout(dep, a["id"], timeout=FANOUT_TIMEOUT)
    assert view["recipients"] == MEMBERS + 1, view["recipients"]  # the members and the secretariat
    assert view["counts"]["sent"] == MEMBERS + 1 and view["total"] == MEMBERS + 1, view["counts"]
    assert per_ceptoar(view, "bank-ceptoar")["recipients"] == MEMBERS + 1, view["per_ceptoar"]
    orgs = [org_of(it) for it in dep.all_items("/api/v1/alerts/%s/deliveries" % a["id"], token="nisc")]
    assert len(orgs) == MEMBERS + 1 and len(set(orgs)) == MEMBERS + 1
    assert "bank-ceptoar" in orgs and dep.orgs["op1"]["id"] not in orgs
    assert len(inbox_for(dep, "member", a["id"])) == 1
    assert len(inbox_for(dep, "ceptoar", a["id"])) == 1
    assert inbox(dep, "operator")["total"] == 0
