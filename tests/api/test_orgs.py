"""Organisations: create, read, change, delete; their critical services
(重要インフラサービス) and critical systems (重要システム), which only the
operator itself, the ministry overseeing its sector, and NISC may see."""

import pytest

from apilib import DELETE_OK, assert_error, describe, unique


def test_create_get_patch_delete(deploy):
    code = unique("org")
    body = {"kind": "operator", "code": code, "name_ja": "東京テスト電力", "name_en": "Tokyo Test Power",
            "sector": "electricity", "region": "関東", "ceptoars": ["electricity-ceptoar"]}
    r = deploy.post("/api/v1/orgs", body)
    assert r.status_code == 201, describe(r)
    org = r.json()
    oid = org["id"]
    assert oid and org["code"] == code and org["kind"] == "operator" and org["sector"] == "electricity"

    for ref in (oid, code):
        g = deploy.get("/api/v1/orgs/" + ref, token="operator2")
        assert g.status_code == 200, describe(g)
        got = g.json()
        assert got["id"] == oid and got["name_ja"] == "東京テスト電力" and got["name_en"] == "Tokyo Test Power"
        assert got["region"] == "関東"
        assert [c["id"] if isinstance(c, dict) else c for c in got["ceptoars"]] == ["electricity-ceptoar"]
        assert got["services"] == []

    p = deploy.patch("/api/v1/orgs/" + oid, {"name_en": "Tokyo Test Electric", "region": "東北",
                                              "ceptoars": []})
    assert p.status_code == 200, describe(p)
    got = deploy.get("/api/v1/orgs/" + code).json()
    assert got["name_en"] == "Tokyo Test Electric" and got["region"] == "東北" and got["ceptoars"] == []
    assert got["name_ja"] == "東京テスト電力"  # untouched

    new_code = unique("org-renamed")
    assert deploy.patch("/api/v1/orgs/" + oid, {"code": new_code}).status_code == 200
    assert deploy.get("/api/v1/orgs/" + new_code).json()["id"] == oid
    assert_error(deploy.get("/api/v1/orgs/" + code), 404)

    d = deploy.delete("/api/v1/orgs/" + oid)
    assert d.status_code == DELETE_OK, describe(d)
    assert_error(deploy.get("/api/v1/orgs/" + oid), 404, code="not_found")
    assert_error(deploy.delete("/api/v1/orgs/" + oid), 404)


def test_duplicate_code_is_409_and_nothing_added(deploy):
    org = deploy.make_operator()
    before = deploy.total("/api/v1/orgs")
    body = {"kind": "operator", "code": org["code"], "name_ja": "重複", "sector": "finance"}
    assert_error(deploy.post("/api/v1/orgs", body), 409, code="conflict")
    # the codes init gave to NISC and the ministries are taken as well
    assert_error(deploy.post("/api/v1/orgs", dict(body, code="fsa")), 409)
    assert deploy.total("/api/v1/orgs") == before


@pytest.mark.parametrize("change,status,field", [
    ({"sector": "no-such-sector"}, 422, "sector"),
    ({"ceptoars": ["bank-ceptoar", "no-such-ceptoar"]}, 422, "ceptoars"),
    ({"kind": "bank"}, 400, "kind"),
    ({"name_ja": None}, 400, "name_ja"),
    ({"name_ja": 42}, 400, "name_ja"),
    ({"ceptoars": "bank-ceptoar"}, 400, "ceptoars"),
    ({"name_ja": ""}, 400, "name_ja"),
    ({"code": ""}, 400, "code"),
    ({"code": "has space"}, 400, "code"),
])
def test_create_refused(deploy, change, status, field):
    body = {"kind": "operator", "code": unique("bad"), "name_ja": "不正", "sector": "finance"}
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    before = deploy.total("/api/v1/orgs")
    assert_error(deploy.post("/api/v1/orgs", body), status, field=field)
    assert deploy.total("/api/v1/orgs") == before
    if body["code"]:
        assert_error(deploy.get("/api/v1/orgs/" + body["code"]), 404)


def test_operator_needs_a_sector(deploy):
    before = deploy.total("/api/v1/orgs")
    r = deploy.post("/api/v1/orgs", {"kind": "operator", "code": unique("nosector"), "name_ja": "分野なし"})
    assert r.status_code in (400, 422), describe(r)
    assert_error(r, r.status_code, field="sector")
    assert deploy.total("/api/v1/orgs") == before


@pytest.mark.parametrize("change,status,field", [
    ({"sector": "no-such-sector"}, 422, "sector"),
    ({"ceptoars": ["nope"]}, 422, "ceptoars"),
    ({"kind": "agency"}, 400, "kind"),
    ({"colour": "red"}, 400, "colour"),
    ({"name_ja": ""}, 400, "name_ja"),
])
def test_patch_refused_leaves_org_unchanged(deploy, change, status, field):
    org = deploy.make_operator()
    before = deploy.get("/api/v1/orgs/" + org["id"]).json()
    assert_error(deploy.patch("/api/v1/orgs/" + org["id"], change), status, field=field)
    assert deploy.get("/api/v1/orgs/" + org["id"]).json() == before


def test_patch_to_taken_code_is_409(deploy):
    a, b = deploy.make_operator(), deploy.make_operator()
    assert_error(deploy.patch("/api/v1/orgs/" + a["id"], {"code": b["code"]}), 409)
    assert deploy.get("/api/v1/orgs/" + a["id"]).json()["code"] == a["code"]


def test_patch_unknown_org_is_404(deploy):
    assert_error(deploy.patch("/api/v1/orgs/no-such-org", {"region": "x"}), 404)


def test_delete_org_with_users_is_409(deploy):
    org = deploy.make_operator()
    deploy.make_user(org=org["id"], role="operator")
    assert_error(deploy.delete("/api/v1/orgs/" + org["id"]), 409, code="conflict")
    assert deploy.get("/api/v1/orgs/" + org["id"]).status_code == 200


def test_init_created_the_framework_orgs(deploy):
    def total(kind):
        return deploy.total("/api/v1/orgs?kind=" + kind)
    assert total("nisc") == 1
    assert total("ministry") == 5
    assert total("ceptoar") == 15
    assert total("agency") >= 3
    for code, kind in [("nisc", "nisc"), ("fsa", "ministry"), ("mlit", "ministry"),
                       ("bank-ceptoar", "ceptoar"), ("logistics-ceptoar", "ceptoar"),
                       ("jpcert-cc", "agency"), ("ipa", "agency"), ("nict", "agency")]:
        r = deploy.get("/api/v1/orgs/" + code, token="auditor")
        assert r.status_code == 200, describe(r)
        assert r.json()["kind"] == kind, r.json()


def test_org_filters(deploy):
    tag = unique("flt")
    a = deploy.ok("POST", "/api/v1/orgs", {"kind": "operator", "code": tag + "-a", "name_ja": "絞込ガス" + tag,
                                           "sector": "gas", "ceptoars": ["gas-ceptoar"]}, status=201)
    b = deploy.ok("POST", "/api/v1/orgs", {"kind": "operator", "code": tag + "-b", "name_ja": "絞込水道" + tag,
                                           "sector": "water"}, status=201)
    got = deploy.all_items("/api/v1/orgs", token="operator", params={"q": tag})
    assert {o["id"] for o in got} == {a["id"], b["id"]}
    got = deploy.all_items("/api/v1/orgs", params={"q": tag, "sector": "gas"})
    assert [o["id"] for o in got] == [a["id"]]
    got = deploy.all_items("/api/v1/orgs", params={"ceptoar": "gas-ceptoar", "kind": "operator"})
    assert a["id"] in {o["id"] for o in got} and b["id"] not in {o["id"] for o in got}
    got = deploy.all_items("/api/v1/orgs", params={"q": "絞込水道" + tag})
    assert [o["id"] for o in got] == [b["id"]]
    body = deploy.get("/api/v1/orgs", params={"q": tag, "limit": 1}).json()
    assert body["total"] == 2 and len(body["items"]) == 1


def test_two_character_japanese_search(deploy):
    """Many Japanese words are two characters (銀行, 電力); search must find them."""
    tag = unique("jp")
    org = deploy.ok("POST", "/api/v1/orgs", {"kind": "operator", "code": tag, "name_ja": "北陸電力試験" + tag,
                                             "sector": "electricity"}, status=201)
    for q in ("電力", "北陸", "陸電"):
        got = {o["id"] for o in deploy.all_items("/api/v1/orgs", token="agency", params={"q": q})}
        assert org["id"] in got, q
    got = {o["id"] for o in deploy.all_items("/api/v1/orgs", params={"q": "銀行"})}
    assert deploy.orgs["op1"]["id"] in got and org["id"] not in got
    got = {o["id"] for o in deploy.all_items("/api/v1/orgs", params={"q": "電"})}
    assert org["id"] in got


# ---- services and systems ------------------------------------------------------

@pytest.fixture(scope="module")
def sysorg(deploy):
    """op-bank-1 of the deployment with one service and one system."""
    org = deploy.orgs["op1"]
    svc = deploy.make_service(org["id"])
    system = deploy.make_system(org["id"], service_id=svc["id"])
    return {"org": org, "service": svc, "system": system}


def test_services_are_listed_with_the_org(deploy, sysorg):
    got = deploy.get("/api/v1/orgs/" + sysorg["org"]["id"], token="ceptoar").json()
    svcs = {s["id"]: s for s in got["services"]}
    s = svcs[sysorg["service"]["id"]]
    assert s["name_ja"] == "勘定系サービス" and s["service_level"] == "24時間365日"
    assert s["verification_level"] == "年1回"


def test_service_delete(deploy):
    org = deploy.make_operator()
    svc = deploy.make_service(org["id"])
    assert len(deploy.get("/api/v1/orgs/" + org["id"]).json()["services"]) == 1
    r = deploy.delete("/api/v1/orgs/%s/services/%s" % (org["id"], svc["id"]))
    assert r.status_code == DELETE_OK, describe(r)
    assert deploy.get("/api/v1/orgs/" + org["id"]).json()["services"] == []
    assert_error(deploy.delete("/api/v1/orgs/%s/services/%s" % (org["id"], svc["id"])), 404)


def test_service_needs_a_name(deploy):
    org = deploy.make_operator()
    assert_error(deploy.post("/api/v1/orgs/%s/services" % org["id"], {"name_en": "x"}), 400, field="name_ja")
    assert_error(deploy.post("/api/v1/orgs/no-such-org/services", {"name_ja": "x"}), 404)
    assert deploy.get("/api/v1/orgs/" + org["id"]).json()["services"] == []


def test_system_with_foreign_or_unknown_service_is_refused(deploy, sysorg):
    other = deploy.make_operator()
    for sid in ("no-such-service", sysorg["service"]["id"]):  # the latter belongs to op-bank-1
        assert_error(deploy.post("/api/v1/orgs/%s/systems" % other["id"],
                                 {"name_ja": "x", "service_id": sid}), 422, field="service_id")
    got = deploy.get("/api/v1/orgs/%s/systems" % other["id"], token="nisc").json()
    assert got["total"] == 0


def test_system_delete(deploy):
    org = deploy.make_operator()
    system = deploy.make_system(org["id"])
    path = "/api/v1/orgs/%s/systems" % org["id"]
    assert deploy.get(path, token="nisc").json()["total"] == 1
    r = deploy.delete("%s/%s" % (path, system["id"]))
    assert r.status_code == DELETE_OK, describe(r)
    assert deploy.get(path, token="nisc").json()["total"] == 0


# Who sees op-bank-1's (finance) systems.
SYSTEMS_SEEN_BY = {
    "operator": True,    # its own users
    "ministry": True,    # 金融庁 oversees finance
    "nisc": True,
    "operator2": False,  # another finance operator
    "ministry2": False,  # 経済産業省 oversees electricity and gas, not finance
    "ceptoar": False,    # even the operator's own CEPTOAR
    "agency": False,
    "auditor": False,
    "admin": False,
}


@pytest.mark.parametrize("who", sorted(SYSTEMS_SEEN_BY))
def test_systems_visibility(deploy, sysorg, who):
    oid = sysorg["org"]["id"]
    detail = deploy.get("/api/v1/orgs/" + oid, token=who)
    assert detail.status_code == 200, describe(detail)
    lst = deploy.get("/api/v1/orgs/%s/systems" % oid, token=who)
    if SYSTEMS_SEEN_BY[who]:
        assert "systems" in detail.json(), describe(detail)
        assert sysorg["system"]["id"] in {s["id"] for s in detail.json()["systems"]}
        assert lst.status_code == 200, describe(lst)
        items = {s["id"]: s for s in lst.json()["items"]}
        assert items[sysorg["system"]["id"]]["name_ja"] == "勘定系システム"
        assert lst.json()["total"] == len(items)
    else:
        assert "systems" not in detail.json(), describe(detail)
        assert "勘定系システム" not in detail.text
        assert_error(lst, 403, code="forbidden")
        # nor through a code instead of the id
        assert_error(deploy.get("/api/v1/orgs/%s/systems" % sysorg["org"]["code"], token=who), 403)


def test_systems_never_in_org_lists(deploy, sysorg):
    for who in ("operator2", "ceptoar", "admin"):
        r = deploy.get("/api/v1/orgs", token=who, params={"q": sysorg["org"]["code"]})
        assert r.status_code == 200 and r.json()["total"] >= 1, describe(r)
        assert "勘定系システム" not in r.text


def test_ministry_sees_only_its_sectors_systems(deploy):
    power = deploy.make_operator(sector="electricity")
    deploy.make_system(power["id"])
    path = "/api/v1/orgs/%s/systems" % power["id"]
    r = deploy.get(path, token="ministry2")  # 経済産業省
    assert r.status_code == 200 and r.json()["total"] == 1, describe(r)
    assert_error(deploy.get(path, token="ministry"), 403)  # 金融庁
    assert "systems" not in deploy.get("/api/v1/orgs/" + power["id"], token="ministry").json()


def test_systems_of_unknown_org(deploy):
    r = deploy.get("/api/v1/orgs/no-such-org/systems", token="nisc")
    assert_error(r, 404)
