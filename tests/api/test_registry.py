"""The framework registry as seed 001 describes it: 10 sectors, 5 ministries,
15 CEPTOARs, related agencies, channels, the CEPTOAR characteristic map;
lookups, pagination and adding a sector.

Expected values are written out here from seed 001 (Japanese names, the
ministry of each sector, the セプター一覧表); English names are compared with
the project's reference data (data/reference), which the API must serve."""

import csv
import io

import pytest

from apilib import assert_error, describe, load_reference

# seed 001, 重要インフラ(10分野) and 重要インフラ所管省庁(5省庁)
SECTORS = {
    "info-comm": ("情報通信", "mic"),
    "finance": ("金融", "fsa"),
    "aviation": ("航空", "mlit"),
    "railway": ("鉄道", "mlit"),
    "electricity": ("電力", "meti"),
    "gas": ("ガス", "meti"),
    "government": ("政府・行政サービス", "mic"),  # (地方公共団体を含む) follows
    "medical": ("医療", "mhlw"),
    "water": ("水道", "mhlw"),
    "logistics": ("物流", "mlit"),
}

MINISTRIES = {
    "fsa": ("金融庁", {"finance"}),
    "mic": ("総務省", {"info-comm", "government"}),
    "mhlw": ("厚生労働省", {"medical", "water"}),
    "meti": ("経済産業省", {"electricity", "gas"}),
    "mlit": ("国土交通省", {"aviation", "railway", "logistics"}),
}

# seed 001, セプター一覧表: id -> (sector, 事務局, 情報と連絡手段 channels, 情報の取扱いルール制定)
CEPTOARS = {
    "t-ceptoar": ("info-comm", "一般財団法人日本データ通信協会 テレコム・アイザック推進会議",
                  ["メール", "電話", "FAX"], "2007-01"),
    "catv-ceptoar": ("info-comm", "一般社団法人日本ケーブルテレビ連盟", ["メール", "電話"], "2012-11"),
    "broadcast-ceptoar": ("info-comm", "一般社団法人日本民間放送連盟", ["メール", "電話", "FAX", "WEB"], "2007-03"),
    "bank-ceptoar": ("finance", "一般社団法人全国銀行協会 事務システム部", ["メール", "電話", "WEB"], "2007-03"),
    "securities-ceptoar": ("finance", "日本証券業協会 IT管理部", ["メール", "電話", "FAX", "WEB"], "2007-03"),
    "life-insurance-ceptoar": ("finance", "社団法人生命保険協会 総務部コンプライアンス統括グループ",
                               ["メール", "電話"], "2007-03"),
    "non-life-insurance-ceptoar": ("finance", "一般社団法人日本損害保険協会 業務企画部共同システム開発室",
                                   ["メール", "電話"], "2007-03"),
    "aviation-ceptoar": ("aviation", "国土交通省 航空局 安全企画課", ["メール", "電話"], "2007-03"),
    "railway-ceptoar": ("railway", "国土交通省 鉄道局 危機管理室", ["メール", "電話"], "2007-03"),
    "electricity-ceptoar": ("electricity", "電気事業連合会 情報通信部",
                            ["メール", "電話", "携帯電話", "FAX", "電子会議室", "TV会議", "会議体"], "2006-09"),
    "gas-ceptoar": ("gas", "一般社団法人日本ガス協会 保安技術グループ", ["メール", "電話", "FAX"], "2007-03"),
    "local-gov-ceptoar": ("government", "財団法人 地方自治情報センター 自治体セキュリティ支援室",
                          ["メール", "電話", "WEB"], "2007-03"),
    "medical-ceptoar": ("medical", "厚生労働省 医政局研究開発 疫学課 医療技術情報推進室",
                        ["メール", "電話", "携帯電話", "衛星電話", "FAX"], "2008-03"),
    "water-ceptoar": ("water", "社団法人日本水道協会 総務部総務課",
                      ["メール", "電話", "携帯電話", "衛星電話", "FAX"], "2008-03"),
    "logistics-ceptoar": ("logistics", "一般社団法人日本物流団体連合会", ["メール", "電話"], "2008-03"),
}


@pytest.fixture(scope="module")
def reg(new_deployment):
    return new_deployment("reg")


def ref_by_id(name):
    return {it["id"]: it for it in load_reference(name)["items"]}


def ids_of(values):
    """A list of ids, or of objects with an id."""
    return [v["id"] if isinstance(v, dict) else v for v in values]


def get_list(dep, path, token="admin", params=None):
    r = dep.get(path, token=token, params=params)
    assert r.status_code == 200, describe(r)
    assert r.headers.get("Content-Type", "").startswith("application/json"), describe(r)
    body = r.json()
    for k in ("items", "total", "limit", "offset"):
        assert k in body, "list lacks %r: %s" % (k, describe(r))
    return body


def channel_ids_by_name(dep):
    return {c["name_ja"]: c["id"] for c in dep.all_items("/api/v1/channels")}


# ---- sectors -----------------------------------------------------------------

def test_exactly_ten_sectors_with_names_and_ministry(reg):
    body = get_list(reg, "/api/v1/sectors", params={"limit": 500})
    assert body["total"] == 10
    items = {s["id"]: s for s in body["items"]}
    assert set(items) == set(SECTORS)
    ref = ref_by_id("sectors.json")
    for sid, (name_ja, ministry) in SECTORS.items():
        s = items[sid]
        assert s["name_ja"].startswith(name_ja), s
        assert s["name_en"] == ref[sid]["name_en"] and s["name_en"].isascii() and s["name_en"], s
        assert s["ministry"] == ministry, s
    assert "地方公共団体" in items["government"]["name_ja"]


def test_sectors_list_their_ceptoars(reg):
    items = {s["id"]: s for s in reg.all_items("/api/v1/sectors")}
    for sid in SECTORS:
        want = {c for c, v in CEPTOARS.items() if v[0] == sid}
        assert set(ids_of(items[sid]["ceptoars"])) == want, items[sid]


def test_sector_by_id(reg):
    r = reg.get("/api/v1/sectors/finance", token="operator")
    assert r.status_code == 200, describe(r)
    s = r.json()
    assert s["id"] == "finance" and s["name_ja"] == "金融" and s["ministry"] == "fsa"
    assert set(ids_of(s["ceptoars"])) == {"bank-ceptoar", "securities-ceptoar", "life-insurance-ceptoar",
                                         "non-life-insurance-ceptoar"}


@pytest.mark.parametrize("path", ["/api/v1/sectors/no-such-sector", "/api/v1/ministries/no-such",
                                  "/api/v1/ceptoars/no-such-ceptoar", "/api/v1/orgs/no-such-org",
                                  "/api/v1/users/no-such-user"])
def test_unknown_id_is_404_json(reg, path):
    assert_error(reg.get(path), 404, code="not_found")


# ---- ministries ----------------------------------------------------------------

def test_five_ministries_with_their_sectors(reg):
    body = get_list(reg, "/api/v1/ministries", token="agency")
    assert body["total"] == 5
    items = {m["id"]: m for m in body["items"]}
    assert set(items) == set(MINISTRIES)
    ref = ref_by_id("ministries.json")
    for mid, (name_ja, sectors) in MINISTRIES.items():
        assert items[mid]["name_ja"] == name_ja
        assert items[mid]["name_en"] == ref[mid]["name_en"]
        assert set(ids_of(items[mid]["sectors"])) == sectors, items[mid]


def test_ministry_by_id(reg):
    r = reg.get("/api/v1/ministries/mlit", token="ceptoar")
    assert r.status_code == 200, describe(r)
    assert r.json()["name_ja"] == "国土交通省"
    assert set(ids_of(r.json()["sectors"])) == {"aviation", "railway", "logistics"}


# ---- CEPTOARs --------------------------------------------------------------------

def test_fifteen_ceptoars_from_the_seed_table(reg):
    body = get_list(reg, "/api/v1/ceptoars", params={"limit": 500})
    assert body["total"] == 15
    items = {c["id"]: c for c in body["items"]}
    assert set(items) == set(CEPTOARS)
    chan = channel_ids_by_name(reg)
    ref = ref_by_id("ceptoars.json")
    for cid, (sector, secretariat, channels, _rules) in CEPTOARS.items():
        c = items[cid]
        assert c["sector"] == sector, c
        assert c["secretariat_ja"] == secretariat, c
        assert ids_of(c["channels"]) == [chan[n] for n in channels], c
        assert c["council_member"] is True, c
        assert "member_orgs" in c, c
        assert c["name_ja"] == ref[cid]["name_ja"] and c["name_en"] == ref[cid]["name_en"]
    # the four financial CEPTOARs of 金融CEPTOAR連絡協議会
    assert sum(1 for c in items.values() if c["sector"] == "finance") == 4


def test_ceptoar_filter_by_sector(reg):
    body = get_list(reg, "/api/v1/ceptoars", token="nisc", params={"sector": "info-comm"})
    assert body["total"] == 3
    assert {c["id"] for c in body["items"]} == {"t-ceptoar", "catv-ceptoar", "broadcast-ceptoar"}


def test_ceptoar_by_id_with_registered_members(reg):
    # the deployment registered its operator org op-bank-1 in bank-ceptoar
    r = reg.get("/api/v1/ceptoars/bank-ceptoar", token="operator")
    assert r.status_code == 200, describe(r)
    c = r.json()
    assert c["sector"] == "finance" and c["secretariat_ja"] == CEPTOARS["bank-ceptoar"][1]
    m = c["member_orgs"]
    if isinstance(m, list):
        ids = {x["id"] if isinstance(x, dict) else x for x in m}
        assert reg.orgs["op1"]["id"] in ids or reg.orgs["op1"]["code"] in ids, c
    else:
        assert m == 1, c
    other = reg.get("/api/v1/ceptoars/securities-ceptoar").json()["member_orgs"]
    assert other in (0, []), other


# ---- agencies and channels -------------------------------------------------------

def test_agencies_include_jpcert_ipa_nict(reg):
    items = reg.all_items("/api/v1/agencies", token="operator")
    texts = [" ".join(str(v) for v in a.values()) for a in items]
    for needle in ("JPCERT", "情報処理推進機構", "情報通信研究機構", "警察庁"):
        assert any(needle in t for t in texts), "no agency mentions %s: %s" % (needle, items)
    for a in items:
        assert isinstance(a["categories"], list) and a["categories"], a
        assert a["name_ja"] and a["name_en"], a


def test_channels(reg):
    names = set(channel_ids_by_name(reg))
    for n in ("メール", "電話", "FAX", "WEB", "携帯電話", "衛星電話", "電子会議室", "TV会議", "会議体"):
        assert n in names, names


# ---- the CEPTOAR characteristic map ----------------------------------------------

def test_ceptoar_map_json(reg):
    r = reg.get("/api/v1/ceptoar-map", token="agency")
    assert r.status_code == 200, describe(r)
    rows = r.json()["items"]
    assert len(rows) == 15
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == set(CEPTOARS)
    for cid, (sector, secretariat, _channels, rules) in CEPTOARS.items():
        row = by_id[cid]
        assert row["sector"] == sector and row["secretariat_ja"] == secretariat, row
        assert row["handling_rules_date"] == rules, row


def test_ceptoar_map_csv(reg):
    r = reg.get("/api/v1/ceptoar-map", token="operator", params={"format": "csv"})
    assert r.status_code == 200, describe(r)
    assert r.headers.get("Content-Type", "").startswith("text/csv"), r.headers
    text = r.content.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows = [row for row in rows if row]
    header, data = rows[0], rows[1:]
    assert len(data) == 15, rows
    assert len(header) >= 5 and len(set(header)) == len(header), header
    for row in data:
        assert len(row) == len(header), row
    cells = [set(row) for row in data]
    for cid, (_sector, secretariat, _c, _r) in CEPTOARS.items():
        assert sum(1 for c in cells if cid in c and secretariat in c) == 1, cid


# ---- pagination ----------------------------------------------------------------

def test_pagination_pages_cover_the_list(reg):
    full = [s["id"] for s in get_list(reg, "/api/v1/sectors", params={"limit": 500})["items"]]
    seen = []
    for offset in range(0, 12, 3):
        body = get_list(reg, "/api/v1/sectors", params={"limit": 3, "offset": offset})
        assert body["total"] == len(full) and body["limit"] == 3 and body["offset"] == offset
        assert len(body["items"]) == max(0, min(3, len(full) - offset))
        seen += [s["id"] for s in body["items"]]
    assert seen == full


def test_pagination_default_limit(reg):
    body = get_list(reg, "/api/v1/agencies")
    assert body["limit"] == 50 and body["offset"] == 0


@pytest.mark.parametrize("params,field", [
    ({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"limit": "x"}, "limit"),
    ({"limit": -1}, "limit"), ({"limit": "10abc"}, "limit"),
    ({"offset": -1}, "offset"), ({"offset": "x"}, "offset"), ({"offset": 10000001}, "offset"),
])
@pytest.mark.parametrize("path", ["/api/v1/sectors", "/api/v1/orgs", "/api/v1/audit"])
def test_bad_page_parameters(reg, path, params, field):
    assert_error(reg.get(path, params=params), 400, field=field)


def test_page_limits_at_bounds_are_accepted(reg):
    assert get_list(reg, "/api/v1/ceptoars", params={"limit": 500})["limit"] == 500
    body = get_list(reg, "/api/v1/ceptoars", params={"limit": 1, "offset": 10000000})
    assert body["items"] == [] and body["total"] == 15


# ---- adding a sector (last: it changes the counts above) -------------------------

def test_admin_adds_a_sector(reg):
    body = {"id": "space", "name_ja": "宇宙", "name_en": "Space", "ministry": "mic"}
    r = reg.post("/api/v1/sectors", body)
    assert r.status_code == 201, describe(r)
    items = {s["id"]: s for s in reg.all_items("/api/v1/sectors", token="operator")}
    assert len(items) == 11
    assert items["space"]["name_ja"] == "宇宙" and items["space"]["ministry"] == "mic"
    got = reg.get("/api/v1/sectors/space", token="auditor")
    assert got.status_code == 200 and got.json()["name_en"] == "Space", describe(got)
    assert "space" in ids_of(reg.get("/api/v1/ministries/mic").json()["sectors"])
    # an operator can now be registered in it
    org = reg.make_operator(sector="space")
    assert org["sector"] == "space"


def test_sector_add_errors_change_nothing(reg):
    before = reg.total("/api/v1/sectors")
    assert_error(reg.post("/api/v1/sectors", {"id": "finance", "name_ja": "金融", "name_en": "Finance",
                                              "ministry": "fsa"}), 409, code="conflict")
    assert_error(reg.post("/api/v1/sectors", {"id": "x-ghost", "name_ja": "幽霊", "name_en": "Ghost",
                                              "ministry": "no-such"}), 422, field="ministry")
    assert_error(reg.post("/api/v1/sectors", {"id": "x-noname", "ministry": "mic"}), 400)
    assert_error(reg.post("/api/v1/sectors", {"id": "x-op", "name_ja": "x", "name_en": "x", "ministry": "mic"},
                          token="operator"), 403, code="forbidden")
    assert reg.total("/api/v1/sectors") == before
    assert_error(reg.get("/api/v1/sectors/x-ghost"), 404)
