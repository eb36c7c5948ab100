"""The Guideline for safety standards (指針, seed 004) and the sectors'
safety-standards documents (安全基準等): the 3rd edition's structure and marks
as the seed has them, a later edition beside it and the differences, the
documents with the reason a non-public one must give, coverage per sector,
and the OSCAL catalog (export, import, round trip, bad catalogs)."""

import copy
import json

import pytest

from apilib import assert_error, describe, run_cli

# seed 004 §II.6: 【要検討事項】 and 【参考事項】
MUST = ["II.6.1.a.i", "II.6.1.b.i", "II.6.1.b.ii", "II.6.1.c.i", "II.6.1.c.ii", "II.6.1.d.i",
        "II.6.1.d.ii", "II.6.1.d.iii", "II.6.1.d.iv", "II.6.2.a.i", "II.6.2.a.ii", "II.6.2.b.i",
        "II.6.2.b.ii", "II.6.2.b.iii", "II.6.2.b.iv", "II.6.2.b.v", "II.6.2.c.i", "II.6.2.c.ii",
        "II.6.2.c.iii", "II.6.2.d.i", "II.6.2.d.ii", "II.6.2.e"]
REFERENCE = ["II.6.1.a.ii", "II.6.1.a.iii"]


@pytest.fixture(scope="module")
def dep(new_deployment):
    return new_deployment("guideline")


def editions(dep):
    return {e["edition"]: e for e in dep.ok("GET", "/api/v1/guideline", token="operator")["items"]}


def test_the_third_edition_is_loaded_at_init_with_the_seeds_structure_and_marks(dep):
    ed = editions(dep)["3"]
    assert ed["builtin"] is True and ed["must"] == 22 and ed["reference"] == 2, ed
    g = dep.ok("GET", "/api/v1/guideline/3", token="operator")
    assert g["counts"]["pillars"] == 4 and g["counts"]["priorities"] == 5, g["counts"]
    items = {i["id"]: i for i in g["items"]}
    assert sorted(i for i, v in items.items() if v["mark"] == "must") == sorted(MUST)
    assert sorted(i for i, v in items.items() if v["mark"] == "reference") == sorted(REFERENCE)
    # the structure: objectives, scope, threats, roles, publication, pillars, priorities
    for sid, title in [("II.1", "「安全基準等」策定の目的"), ("II.2", "「安全基準等」の対象範囲"),
                       ("II.3", "「安全基準等」の対象とする脅威"), ("II.4", "重要インフラ事業者等の担う役割"),
                       ("II.5", "「安全基準等」の公開")]:
        assert items[sid]["title_ja"] == title and items[sid]["parent"] == "II"
    pillars = [i for i in g["items"] if i["kind"] == "pillar"]
    assert [p["label"] for p in pillars] == ["ア", "イ", "ウ", "エ"]
    priorities = [i for i in g["items"] if i["kind"] == "priority"]
    assert [p["label"] for p in priorities] == ["ア", "イ", "ウ", "エ", "オ"]
    assert items["II.6.1.b.i"]["label"] == "(ア)" and items["II.6.1.b.i"]["parent"] == "II.6.1.b"
    assert "情報の格付け(ランク)" in items["II.6.1.b.i"]["text_ja"]
    assert "暗号の危険化" in items["II.6.2.e"]["text_ja"]
    assert "非公開であることを明示" in items["II.5"]["text_ja"]
    assert all(i["title_en"] and i["title_ja"] for i in g["items"])
    # the text is the seed's, without footnote numbers
    assert "PDCAサイクルを機能させる" in items["II.6.1.a.i"]["text_ja"]
    # a second init changes nothing
    before = dep.ok("GET", "/api/v1/guideline/3")["counts"]
    run_cli(["init", "--no-admin"], db=dep.db)
    assert dep.ok("GET", "/api/v1/guideline/3")["counts"] == before


def test_items_are_filtered_and_read_one_by_one(dep):
    must = dep.ok("GET", "/api/v1/guideline/3", token="ministry", params={"mark": "must"})["items"]
    assert [i["id"] for i in must] == MUST
    assert len(dep.ok("GET", "/api/v1/guideline/3", params={"mark": "any"})["items"]) == 24
    assert len(dep.ok("GET", "/api/v1/guideline/3", params={"kind": "pillar"})["items"]) == 4
    assert_error(dep.get("/api/v1/guideline/3", params={"mark": "maybe"}), 400, field="mark")
    assert_error(dep.get("/api/v1/guideline/3", params={"kind": "chapter"}), 400, field="kind")
    item = dep.ok("GET", "/api/v1/guideline/3/items/II.6.1.a", token="agency")
    assert item["children"] == ["II.6.1.a.i", "II.6.1.a.ii", "II.6.1.a.iii"]
    assert_error(dep.get("/api/v1/guideline/3/items/II.9"), 404)
    assert_error(dep.get("/api/v1/guideline/99"), 404)
    assert_error(dep.get("/api/v1/guideline/3", token=None), 401)


def fourth_edition(dep):
    """Edition 3 in the catalog form, changed: a new must item, one removed,
    a mark and a text changed."""
    g = dep.ok("GET", "/api/v1/guideline/3")
    items = [{k: i[k] for k in ("id", "parent", "kind", "label", "title_ja", "title_en", "text_ja", "mark")}
             for i in g["items"] if i["id"] != "II.6.1.a.iii"]
    for i in items:
        if i["id"] == "II.6.1.a.ii":
            i["mark"] = "must"
        if i["id"] == "II.6.1.b.i":
            i["text_ja"] += "\n\n格付けは年1回見直すこと。"
    items.append({"id": "II.6.2.f", "parent": "II.6.2", "kind": "priority", "label": "カ",
                  "title_ja": "制御系システムのセキュリティ", "title_en": "Security of control systems",
                  "text_ja": "制御系システムの対策が明示されるべきである。", "mark": "must"})
    return {"edition": "4-draft", "title_ja": "指針(第4版案)", "title_en": "Guideline (4th edition, draft)",
            "published": "2013-06-01", "items": items}


def test_a_later_edition_loads_beside_the_third_and_the_differences_are_listed(dep):
    r = dep.post("/api/v1/guideline", fourth_edition(dep), token="ministry")
    assert_error(r, 403)
    r = dep.post("/api/v1/guideline", fourth_edition(dep), token="nisc")
    assert r.status_code == 201, describe(r)
    assert r.json()["counts"]["must"] == 24 and r.json()["counts"]["reference"] == 0
    assert set(editions(dep)) >= {"3", "4-draft"}
    d = dep.ok("GET", "/api/v1/guideline/diff", token="operator", params={"from": "3", "to": "4-draft"})
    assert [i["id"] for i in d["added"]] == ["II.6.2.f"]
    assert [i["id"] for i in d["removed"]] == ["II.6.1.a.iii"]
    changed = {c["id"]: c["fields"] for c in d["changed"]}
    assert changed == {"II.6.1.a.ii": ["mark"], "II.6.1.b.i": ["text_ja"]}, changed
    assert d["counts"]["unchanged"] == 53 - 1 - 2
    assert_error(dep.get("/api/v1/guideline/diff", params={"from": "3"}), 400, field="to")
    assert_error(dep.get("/api/v1/guideline/diff", params={"from": "3", "to": "9"}), 400, field="to")
    # the same edition again is a conflict, and nothing changes
    assert_error(dep.post("/api/v1/guideline", fourth_edition(dep), token="nisc"), 409, field="edition")


@pytest.mark.parametrize("change,status,field", [
    (lambda c: c.pop("edition"), 400, "edition"),
    (lambda c: c.update(edition="bad edition!"), 400, "edition"),
    (lambda c: c.update(items=[]), 400, "items"),
    (lambda c: c["items"][5].update(mark="optional"), 400, "items[5]"),
    (lambda c: c["items"][5].update(kind="chapter"), 400, "items[5]"),
    (lambda c: c["items"][5].update(parent="nowhere"), 400, "items[5]"),
    (lambda c: c["items"][6].update(id=c["items"][5]["id"]), 400, "items[6]"),
    (lambda c: c["items"][5].pop("title_ja"), 400, "items[5].title_ja"),
    (lambda c: c["items"][5].update(title_ja="x" * 401), 413, "items[5].title_ja"),
    (lambda c: c.update(colour="red"), 400, "colour"),
])
def test_a_bad_catalog_names_the_member_at_fault_and_stores_nothing(dep, change, status, field):
    cat = fourth_edition(dep)
    cat["edition"] = "bad-import"
    change(cat)
    before = editions(dep)
    assert_error(dep.post("/api/v1/guideline", cat, token="nisc"), status, field=field)
    assert editions(dep) == before


def test_documents_of_a_sector_with_the_reason_a_non_public_one_gives(dep):
    base = {"sector": "finance", "kind": "recommended", "title_ja": "金融機関等コンピュータシステムの安全対策基準",
            "title_en": "Security standards for computer systems of financial institutions",
            "owner": "FISC", "public": True, "items": MUST[:10] + ["II.6.1.a.ii"]}
    pub = dep.ok("POST", "/api/v1/guideline/documents", base, token="ministry", status=201)
    assert pub["kind_ja"] == "推奨基準・ガイドライン" and len(pub["items"]) == 11
    # not public: the reason is required (seed 004 II.5)
    secret = dict(base, title_ja="内部監査規程", kind="internal", public=False, items=["II.6.2.b.v"])
    assert_error(dep.post("/api/v1/guideline/documents", secret, token="ministry"), 400, field="reason")
    assert_error(dep.post("/api/v1/guideline/documents", dict(secret, reason=""), token="ministry"),
                 400, field="reason")
    secret["reason"] = "公開すると攻撃の手掛かりになる手順を含むため"
    hidden = dep.ok("POST", "/api/v1/guideline/documents", secret, token="nisc", status=201)
    assert hidden["public"] is False and hidden["reason"] == secret["reason"]
    # an item kept out of the public version says why, too
    bad = dict(base, title_ja="項目非公開", items=[{"item": "II.6.1.c.i", "public": False}])
    assert_error(dep.post("/api/v1/guideline/documents", bad, token="ministry"), 400, field="reason")
    # bad input names the field; nothing is stored
    n = dep.total("/api/v1/guideline/documents", token="nisc")
    for body, status, field in [
        (dict(base, kind="law"), 400, "kind"),
        (dict(base, sector="nowhere"), 400, "sector"),
        (dict(base, items=["II.9.9"]), 400, "items[0]"),
        (dict(base, public="yes"), 400, "public"),
        (dict(base, url="ftp://x"), 400, "url"),
        (dict(base, title_ja=None), 400, "title_ja"),
    ]:
        body = {k: v for k, v in body.items() if v is not None}
        assert_error(dep.post("/api/v1/guideline/documents", body, token="ministry"), status, field=field)
    assert dep.total("/api/v1/guideline/documents", token="nisc") == n
    # who keeps them: the sector's ministry and NISC
    assert_error(dep.post("/api/v1/guideline/documents", base, token="ministry2"), 403)
    assert_error(dep.post("/api/v1/guideline/documents", base, token="operator"), 403)
    assert_error(dep.patch("/api/v1/guideline/documents/" + pub["id"], {"owner": "x"}, token="ministry2"), 403)
    # who reads them: public ones everyone, the non-public one only its ministry and NISC
    for who, sees in [("operator", False), ("ministry2", False), ("ministry", True), ("nisc", True)]:
        ids = [d["id"] for d in dep.all_items("/api/v1/guideline/documents", token=who,
                                                params={"sector": "finance"})]
        assert pub["id"] in ids and (hidden["id"] in ids) == sees, who
        r = dep.get("/api/v1/guideline/documents/" + hidden["id"], token=who)
        assert r.status_code == (200 if sees else 404), describe(r)
    # a change: made public, the reason goes
    ch = dep.ok("PATCH", "/api/v1/guideline/documents/" + hidden["id"], {"public": True}, token="ministry")
    assert ch["public"] is True and ch["reason"] == ""
    assert_error(dep.patch("/api/v1/guideline/documents/" + hidden["id"], {"public": False}, token="ministry"),
                 400, field="reason")
    assert dep.ok("DELETE", "/api/v1/guideline/documents/" + hidden["id"], token="nisc") is None
    assert_error(dep.get("/api/v1/guideline/documents/" + hidden["id"], token="nisc"), 404)


def test_coverage_shows_the_must_consider_items_no_document_covers(dep):
    cov = dep.ok("GET", "/api/v1/guideline/coverage", token="ministry", params={"sector": "finance"})
    assert cov["edition"] == "3" and cov["must_total"] == 22
    covered = {i["id"] for i in cov["items"] if i["documents"]}
    assert set(MUST[:10]) <= covered
    assert set(cov["uncovered_must"]) == set(MUST) - covered
    assert cov["must_covered"] == 22 - len(cov["uncovered_must"])
    # against the new edition, its new must item is uncovered
    new = dep.ok("GET", "/api/v1/guideline/coverage", params={"sector": "finance", "edition": "4-draft"})
    assert "II.6.2.f" in new["uncovered_must"] and "II.6.1.a.ii" not in new["uncovered_must"]
    # every sector at once
    allsec = dep.ok("GET", "/api/v1/guideline/coverage", token="operator")
    rows = {r["sector"]: r for r in allsec["sectors"]}
    assert len(rows) == 10 and rows["electricity"]["must_covered"] == 0
    assert rows["finance"]["must_covered"] == cov["must_covered"]
    assert_error(dep.get("/api/v1/guideline/coverage", params={"sector": "moon"}), 400, field="sector")
    assert_error(dep.get("/api/v1/guideline/coverage", params={"edition": "77"}), 400, field="edition")


def test_oscal_export_has_the_catalog_shape(dep):
    r = dep.get("/api/v1/guideline/3/oscal", token="operator")
    assert r.status_code == 200 and "attachment" in r.headers.get("Content-Disposition", "")
    cat = r.json()["catalog"]
    assert cat["uuid"] and cat["metadata"]["version"] == "3" and cat["metadata"]["oscal-version"]
    assert cat["metadata"]["last-modified"].startswith("2010-05-11")
    assert [g["id"] for g in cat["groups"]] == ["i", "ii", "iii"]

    def controls(node):
        for c in node.get("controls", []):
            yield c
            yield from controls(c)
        for g in node.get("groups", []):
            yield from controls(g)

    cs = list(controls(cat))
    assert len(cs) == 24
    marks = [p["value"] for c in cs for p in c["props"] if p["name"] == "mark"]
    assert marks.count("must") == 22 and marks.count("reference") == 2
    one = [c for c in cs if c["id"] == "ii-6-1-b-i"][0]
    assert one["title"] == "情報の格付け" and one["parts"][0]["name"] == "statement"
    assert {"name": "label", "value": "(ア)"} in one["props"]


def test_oscal_round_trip_export_import_export_is_identical(dep):
    doc = dep.ok("GET", "/api/v1/guideline/3/oscal")
    doc["catalog"]["metadata"]["version"] = "3-oscal"
    r = dep.post("/api/v1/guideline", doc, token="nisc")
    assert r.status_code == 201, describe(r)
    again = dep.ok("GET", "/api/v1/guideline/3-oscal/oscal")
    assert again == doc
    assert dep.ok("GET", "/api/v1/guideline/diff", params={"from": "3", "to": "3-oscal"})["counts"] == {
        "added": 0, "removed": 0, "changed": 0, "unchanged": 53}


@pytest.mark.parametrize("change,field", [
    (lambda c: c["catalog"].pop("metadata"), "catalog.metadata"),
    (lambda c: c["catalog"]["metadata"].pop("version"), "catalog.metadata.version"),
    (lambda c: c["catalog"]["groups"][1]["groups"][5]["groups"][0]["groups"][0]["controls"][0].pop("id"),
     "catalog.groups[1].groups[5].groups[0].groups[0].controls[0].id"),
    (lambda c: c["catalog"]["groups"][0].update(parts="prose"), "catalog.groups[0].parts"),
    (lambda c: c["catalog"].update(groups={}), "catalog.groups"),
])
def test_a_bad_oscal_catalog_is_refused_with_the_json_path(dep, change, field):
    doc = dep.ok("GET", "/api/v1/guideline/3/oscal")
    doc["catalog"]["metadata"]["version"] = "bad-oscal"
    change(doc)
    before = editions(dep)
    assert_error(dep.post("/api/v1/guideline", doc, token="nisc"), 400, field=field)
    assert editions(dep) == before


def test_an_imported_edition_is_removed_by_nisc_but_the_third_is_kept(dep):
    assert_error(dep.delete("/api/v1/guideline/3", token="nisc"), 422, field="edition")
    assert_error(dep.delete("/api/v1/guideline/3-oscal", token="ministry"), 403)
    assert dep.ok("DELETE", "/api/v1/guideline/3-oscal", token="nisc") is None
    assert "3-oscal" not in editions(dep)


def test_the_command_line(dep, tmp_path):
    out = run_cli(["guideline", "show", "3"], db=dep.db).stdout
    assert out.count("【要検討事項 must】") == 22 and out.count("【参考事項 reference】") == 2
    assert "(ア) 情報の格付け / Classification of information  [II.6.1.b.i]" in out
    out = run_cli(["guideline", "items", "--mark", "reference"], db=dep.db).stdout
    assert "II.6.1.a.ii" in out and "II.6.1.a.iii" in out and "II.6.1.a.i " not in out
    run_cli(["guideline", "export", "3", "--out", str(tmp_path)], db=dep.db)
    doc = json.loads((tmp_path / "guideline-3-oscal.json").read_text(encoding="utf-8"))
    assert doc == dep.ok("GET", "/api/v1/guideline/3/oscal")
    doc["catalog"]["metadata"]["version"] = "3-cli"
    (tmp_path / "cli.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    p = run_cli(["guideline", "import", str(tmp_path / "cli.json"), "--as", dep.user_names["ministry"]],
                db=dep.db, check=False)
    assert p.returncode == 1 and "NISC" in p.stderr
    run_cli(["guideline", "import", str(tmp_path / "cli.json"), "--as", dep.user_names["nisc"]], db=dep.db)
    out = run_cli(["guideline", "diff", "3", "4-draft"], db=dep.db).stdout
    assert "1 added, 1 removed, 2 changed" in out and "+ II.6.2.f" in out
    out = run_cli(["guideline", "coverage", "--sector", "finance"], db=dep.db).stdout
    assert "must-consider items covered" in out
    p = run_cli(["guideline", "items", "3", "extra"], db=dep.db, check=False)
    assert p.returncode == 2 and "--help" in p.stderr
    assert "show [EDITION]" in run_cli(["guideline", "--help"], db=dep.db).stdout
