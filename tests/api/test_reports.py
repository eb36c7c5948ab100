"""IT-failure reports (情報連絡): create with every field, versions (PATCH with
the version read; stale → 409), forward-only status, final reports, who may
change a report, the validation of every field, attachments, search and
filters, and the CLI path.

A private deployment: the reporter is op-bank-1 (key "operator", finance,
bank-ceptoar); "operator2" is op-bank-2 (finance, no CEPTOAR)."""

import hashlib
import json
import os
import urllib.parse

import pytest

from apilib import assert_error, describe, raw_request, run_cli, unique
from sharefix import cli_json, create_report, list_items, parse_time, report_body, report_ids

ATTACHMENT_MAX = 10 << 20  # SHARE_ATTACHMENT_MAX


@pytest.fixture(scope="module")
def env(new_deployment):
    dep = new_deployment("rep")
    op1, op2 = dep.orgs["op1"]["id"], dep.orgs["op2"]["id"]
    svc = dep.make_service(op1)
    sys_ = dep.make_system(op1, svc["id"])
    other_svc = dep.make_service(op2)
    other_sys = dep.make_system(op2, other_svc["id"])
    return {"dep": dep, "svc": svc["id"], "sys": sys_["id"], "other_svc": other_svc["id"],
            "other_sys": other_sys["id"]}


def full_body(env):
    return {
        "title": "変電所の停電による勘定系システム停止 " + unique("full"),
        "description": "4月1日 9時30分、変電所の停電により勘定系システムが停止した。\n自家発電に切り替え中。",
        "status": "first",
        "occurred_at": "2026-04-01T09:30:00+09:00",
        "detected_at": "2026-04-01T00:45:00Z",
        "service_id": env["svc"],
        "system_id": env["sys"],
        "cause_category": "spillover",
        "threat_types": ["power-supply-disruption", "spillover-other"],
        "service_impact": "ATM と窓口業務が約2時間停止",
        "verification_breached": True,
        "cause_analysis": "受電設備の故障",
        "recurrence_prevention": "受電系統の二重化",
        "indicators": [
            {"type": "ip", "value": "192.0.2.10"},
            {"type": "ip", "value": "2001:db8::1"},
            {"type": "domain", "value": "malicious.example.jp"},
            {"type": "url", "value": "https://malicious.example.jp/login?x=1"},
            {"type": "hash", "value": "d41d8cd98f00b204e9800998ecf8427e"},
            {"type": "cve", "value": "CVE-2024-12345"},
            {"type": "text", "value": "不審なメール「請求書送付」"},
        ],
        "tlp": "GREEN",
        "scope": "ceptoar",
        "show_name": False,
        "handling": ["no-copy", "no-redistribution", "no-export"],
        "classification": "confidential-2",
    }


def assert_report_matches(got, body):
    for k in ("title", "description", "status", "service_id", "system_id", "cause_category",
              "service_impact", "verification_breached", "cause_analysis", "recurrence_prevention",
              "tlp", "scope", "show_name", "classification"):
        assert got.get(k) == body[k], "%s: sent %r, got %r" % (k, body[k], got.get(k))
    for k in ("occurred_at", "detected_at"):
        assert parse_time(got[k]) == parse_time(body[k]), "%s: sent %r, got %r" % (k, body[k], got[k])
    assert sorted(got["threat_types"]) == sorted(body["threat_types"]), got["threat_types"]
    assert sorted(got["handling"]) == sorted(body["handling"]), got["handling"]
    assert [(i["type"], i["value"]) for i in got["indicators"]] == \
        [(i["type"], i["value"]) for i in body["indicators"]], got["indicators"]


def state(dep):
    """What a refusal must leave unchanged: the reports the reporter and NISC list."""
    return report_ids(dep, "operator")[:2], report_ids(dep, "nisc")[:2]


def get(dep, rid, token="operator", **params):
    r = dep.get("/api/v1/reports/" + rid, token=token, params=params or None)
    assert r.status_code == 200, describe(r)
    return r.json()


# ---- create and read ------------------------------------------------------

def test_create_with_every_field(env):
    dep = env["dep"]
    body = full_body(env)
    r = dep.post("/api/v1/reports", body, token="operator")
    assert r.status_code == 201, describe(r)
    rep = r.json()
    assert rep["id"] and rep["version"] == 1, rep
    assert_report_matches(rep, body)
    for who in ("operator", "nisc", "ministry"):
        assert_report_matches(get(dep, rep["id"], token=who), body)
    ids, _, _ = report_ids(dep, "operator")
    assert rep["id"] in ids


def test_defaults(env):
    dep = env["dep"]
    rep = create_report(dep, "operator", tlp=None, scope=None, status=None, threat_types=None,
                        cause_category=None, occurred_at=None, detected_at=None)
    got = get(dep, rep["id"])
    assert got["tlp"] == "AMBER" and got["scope"] == "ministry" and got["status"] == "first", got
    assert got["show_name"] is False and got["handling"] == [] and got["classification"] == "none", got
    # AMBER/ministry: not for a fellow finance operator
    assert_error(dep.get("/api/v1/reports/" + rep["id"], token="operator2"), 404, code="not_found")


def test_named_reporter_is_shown_to_others(env):
    dep = env["dep"]
    org = dep.orgs["op1"]
    rep = create_report(dep, "operator", tlp="GREEN", scope="all", show_name=True)
    r = dep.get("/api/v1/reports/" + rep["id"], token="operator2")
    assert r.status_code == 200, describe(r)
    assert org["id"] in r.text and "テスト銀行" in r.text, r.text[:800]
    anon = create_report(dep, "operator", tlp="GREEN", scope="all", show_name=False)
    r = dep.get("/api/v1/reports/" + anon["id"], token="operator2")
    assert r.status_code == 200, describe(r)
    assert org["id"] not in r.text and org["code"] not in r.text and "テスト銀行" not in r.text, r.text[:800]


# ---- versions -------------------------------------------------------------

def test_versions(env):
    dep = env["dep"]
    rep = create_report(dep, "operator", title="初報の件名 " + unique("v"), tlp="GREEN", scope="all")
    rid, old_title = rep["id"], rep["title"]
    new_title = "続報の件名 " + unique("v")

    r = dep.patch("/api/v1/reports/" + rid, {"version": 1, "title": new_title, "status": "update"},
                  token="operator")
    assert r.status_code == 200, describe(r)
    assert r.json()["version"] == 2 and r.json()["title"] == new_title and r.json()["status"] == "update"
    cur = get(dep, rid)
    assert cur["version"] == 2 and cur["title"] == new_title
    assert cur["description"] == rep["description"] and cur["tlp"] == "GREEN"  # members left out keep their values
    v1 = get(dep, rid, version=1)
    assert v1["version"] == 1 and v1["title"] == old_title and v1["status"] == "first", v1
    assert get(dep, rid, version=2)["title"] == new_title
    assert get(dep, rid, token="operator2", version=1)["title"] == old_title  # a reader of the report too
    assert_error(dep.get("/api/v1/reports/" + rid, token="operator", params={"version": 3}), 404)

    # a stale version: 409, nothing changes
    assert_error(dep.patch("/api/v1/reports/" + rid, {"version": 1, "title": "古い版からの変更"},
                           token="operator"), 409, code="conflict")
    cur = get(dep, rid)
    assert cur["version"] == 2 and cur["title"] == new_title

    # no version at all: 400
    assert_error(dep.patch("/api/v1/reports/" + rid, {"title": "版なし"}, token="operator"), 400,
                 field="version")

    # status moves forward only
    r = dep.patch("/api/v1/reports/" + rid, {"version": 2, "status": "first"}, token="operator")
    assert r.status_code in (400, 422), describe(r)
    assert_error(r, r.status_code, field="status")
    cur = get(dep, rid)
    assert cur["version"] == 2 and cur["status"] == "update"

    # final needs the cause analysis
    r = dep.patch("/api/v1/reports/" + rid, {"version": 2, "status": "final",
                                             "recurrence_prevention": "監視の強化"}, token="operator")
    assert r.status_code in (400, 422), describe(r)
    assert_error(r, r.status_code, field="cause_analysis")
    assert get(dep, rid)["version"] == 2

    r = dep.patch("/api/v1/reports/" + rid, {"version": 2, "status": "final", "cause_analysis": "設定誤り",
                                             "recurrence_prevention": "監視の強化"}, token="operator")
    assert r.status_code == 200, describe(r)
    assert r.json()["version"] == 3 and r.json()["status"] == "final"

    # a final report takes no more versions
    assert_error(dep.patch("/api/v1/reports/" + rid, {"version": 3, "title": "最終報の後"}, token="operator"),
                 409, code="conflict")
    cur = get(dep, rid)
    assert cur["version"] == 3 and cur["status"] == "final" and cur["title"] == new_title
    if "versions" in cur:  # the list of versions, when the report carries one
        assert [v["version"] if isinstance(v, dict) else v for v in cur["versions"]] == [1, 2, 3], cur["versions"]


def test_narrowing_the_scope_hides_every_version(env):
    """GREEN/all, then narrowed to the ministry: a fellow operator loses the
    report, its earlier version included."""
    dep = env["dep"]
    rep = create_report(dep, "operator", tlp="GREEN", scope="all")
    get(dep, rep["id"], token="operator2")
    r = dep.patch("/api/v1/reports/" + rep["id"], {"version": 1, "scope": "ministry"}, token="operator")
    assert r.status_code == 200, describe(r)
    assert_error(dep.get("/api/v1/reports/" + rep["id"], token="operator2"), 404)
    assert_error(dep.get("/api/v1/reports/" + rep["id"], token="operator2", params={"version": 1}), 404)
    assert rep["id"] not in report_ids(dep, "operator2")[0]
    assert get(dep, rep["id"], token="ministry")["scope"] == "ministry"


def test_widening_the_scope_does_not_reveal_earlier_versions(env):
    """AMBER/ministry, then GREEN/all: a fellow operator reads the new version
    only; the earlier one stays with the ministry. Neither shows the reporter."""
    dep = env["dep"]
    org = dep.orgs["op1"]
    rep = create_report(dep, "operator", tlp="AMBER", scope="ministry", title="限定版の件名 " + unique("w"))
    r = dep.patch("/api/v1/reports/" + rep["id"], {"version": 1, "tlp": "GREEN", "scope": "all",
                                                   "title": "公開版の件名"}, token="operator")
    assert r.status_code == 200, describe(r)
    r = dep.get("/api/v1/reports/" + rep["id"], token="operator2")
    assert r.status_code == 200 and r.json()["title"] == "公開版の件名", describe(r)
    assert org["id"] not in r.text and org["code"] not in r.text and "テスト銀行" not in r.text, r.text[:800]
    assert_error(dep.get("/api/v1/reports/" + rep["id"], token="operator2", params={"version": 1}), 404)
    assert get(dep, rep["id"], token="ministry", version=1)["title"] == rep["title"]


def test_earlier_version_stays_anonymous(env):
    dep = env["dep"]
    org = dep.orgs["op1"]
    rep = create_report(dep, "operator", tlp="GREEN", scope="all", service_id=env["svc"], system_id=env["sys"])
    r = dep.patch("/api/v1/reports/" + rep["id"], {"version": 1, "status": "update"}, token="operator")
    assert r.status_code == 200, describe(r)
    for params in ({"version": 1}, {"version": 2}, None):
        r = dep.get("/api/v1/reports/" + rep["id"], token="operator2", params=params)
        assert r.status_code == 200, describe(r)
        leaked = [s for s in (org["id"], org["code"], "テスト銀行", "Test Bank", env["svc"], env["sys"])
                  if s in r.text]
        assert not leaked, "version %s shows the anonymous reporter (%s): %s" % (params, leaked, r.text[:800])
        r = dep.get("/api/v1/reports/" + rep["id"], token="ministry", params=params)
        assert org["id"] in r.text, r.text[:800]


def test_indicators_replaced_by_patch(env):
    dep = env["dep"]
    rep = create_report(dep, "operator", indicators=[{"type": "ip", "value": "192.0.2.1"},
                                                     {"type": "domain", "value": "a.example.jp"}])
    r = dep.patch("/api/v1/reports/" + rep["id"], {"version": 1, "indicators": [
        {"type": "cve", "value": "CVE-2023-0001"}]}, token="operator")
    assert r.status_code == 200, describe(r)
    assert [(i["type"], i["value"]) for i in get(dep, rep["id"])["indicators"]] == [("cve", "CVE-2023-0001")]
    assert len(get(dep, rep["id"], version=1)["indicators"]) == 2


def test_create_final_without_cause_analysis(env):
    dep = env["dep"]
    before = state(dep)
    r = dep.post("/api/v1/reports", report_body(status="final", recurrence_prevention="対策"), token="operator")
    assert r.status_code in (400, 422), describe(r)
    assert_error(r, r.status_code, field="cause_analysis")
    assert state(dep) == before


@pytest.mark.parametrize("who", ["operator2", "nisc", "ministry", "ceptoar"])
def test_only_the_reporter_changes_a_report(env, who):
    dep = env["dep"]
    rep = create_report(dep, "operator", tlp="GREEN", scope="all")  # every one of them may read it
    get(dep, rep["id"], token=who)
    r = dep.patch("/api/v1/reports/" + rep["id"], {"version": 1, "title": "他者による変更"}, token=who)
    assert r.status_code in (403, 404), describe(r)
    assert_error(r, r.status_code)
    cur = get(dep, rep["id"])
    assert cur["version"] == 1 and cur["title"] == rep["title"]


def test_hidden_report_patch_is_404(env):
    dep = env["dep"]
    rep = create_report(dep, "operator", tlp="AMBER", scope="ministry")
    assert_error(dep.patch("/api/v1/reports/" + rep["id"], {"version": 1, "title": "x"}, token="operator2"),
                 404, code="not_found")
    assert get(dep, rep["id"])["version"] == 1


def test_only_operators_create_reports(env):
    dep = env["dep"]
    before = state(dep)
    for who in ("nisc", "ministry", "ceptoar", "agency", "admin", "auditor"):
        assert_error(dep.post("/api/v1/reports", report_body(), token=who), 403, code="forbidden")
    assert state(dep) == before


# ---- validation: each refusal names its field and changes nothing ---------

LONG_URL = "https://example.jp/" + "a" * 2100
BAD = [
    # id, members, allowed statuses, field
    ("tlp-lowercase", {"tlp": "amber"}, (400,), "tlp"),
    ("tlp-unknown", {"tlp": "PURPLE"}, (400,), "tlp"),
    ("tlp-not-string", {"tlp": 2}, (400,), "tlp"),
    ("red-to-all", {"tlp": "RED", "scope": "all"}, (422,), "scope"),
    ("amber-to-all", {"tlp": "AMBER", "scope": "all"}, (422,), "scope"),
    ("strict-to-ceptoar", {"tlp": "AMBER+STRICT", "scope": "ceptoar"}, (422,), "scope"),
    ("scope-unknown", {"scope": "world"}, (400,), "scope"),
    ("threat-unknown", {"cause_category": "intentional", "threat_types": ["no-such-threat"]}, (400, 422),
     "threat_types"),
    ("threat-other-category", {"cause_category": "intentional", "threat_types": ["earthquake"]}, (400, 422),
     "threat_types"),
    ("cause-unknown", {"cause_category": "aliens", "threat_types": None}, (400, 422), "cause_category"),
    ("ip-bad", {"indicators": [{"type": "ip", "value": "999.1.1.1"}]}, (400,), "indicators"),
    ("cve-bad", {"indicators": [{"type": "cve", "value": "CVE-20-1234"}]}, (400,), "indicators"),
    ("cve-letters", {"indicators": [{"type": "cve", "value": "CVE-2024-12a4"}]}, (400,), "indicators"),
    ("hash-bad", {"indicators": [{"type": "hash", "value": "xyz"}]}, (400,), "indicators"),
    ("domain-bad", {"indicators": [{"type": "domain", "value": "exa mple.jp"}]}, (400,), "indicators"),
    ("url-bad", {"indicators": [{"type": "url", "value": "javascript:alert(1)"}]}, (400,), "indicators"),
    ("indicator-type", {"indicators": [{"type": "email", "value": "a@example.jp"}]}, (400,), "indicators"),
    ("indicator-overlong", {"indicators": [{"type": "url", "value": LONG_URL}]}, (400, 413), "indicators"),
    ("indicator-shape", {"indicators": ["192.0.2.1"]}, (400,), "indicators"),
    ("title-201", {"title": "件" * 201}, (400, 413), "title"),
    ("title-missing", {"title": None}, (400,), "title"),
    ("title-empty", {"title": ""}, (400,), "title"),
    ("status-unknown", {"status": "closed"}, (400,), "status"),
    ("occurred-not-rfc3339", {"occurred_at": "2026/04/01 09:30"}, (400,), "occurred_at"),
    ("handling-unknown", {"handling": ["no-print"]}, (400,), "handling"),
    ("classification-unknown", {"classification": "top-secret"}, (400,), "classification"),
    ("show-name-not-bool", {"show_name": "yes"}, (400,), "show_name"),
]


@pytest.mark.parametrize("members,statuses,field", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_field_is_refused(env, members, statuses, field):
    dep = env["dep"]
    before = state(dep)
    r = dep.post("/api/v1/reports", report_body(**members), token="operator")
    assert r.status_code in statuses, "expected %s: %s" % (statuses, describe(r))
    assert_error(r, r.status_code, field=field)
    assert state(dep) == before


@pytest.mark.parametrize("field,key", [("service_id", "other_svc"), ("system_id", "other_sys")])
def test_service_or_system_of_another_org_is_422(env, field, key):
    dep = env["dep"]
    before = state(dep)
    assert_error(dep.post("/api/v1/reports", report_body(**{field: env[key]}), token="operator"), 422,
                 code="unprocessable", field=field)
    assert_error(dep.post("/api/v1/reports", report_body(**{field: "no-such-id"}), token="operator"), 422,
                 field=field)
    assert state(dep) == before


def test_bad_field_in_patch_changes_nothing(env):
    dep = env["dep"]
    rep = create_report(dep, "operator")
    for members, field in [({"tlp": "amber"}, "tlp"), ({"tlp": "RED", "scope": "council"}, "scope"),
                           ({"indicators": [{"type": "ip", "value": "999.1.1.1"}]}, "indicators"),
                           ({"service_id": env["other_svc"]}, "service_id")]:
        body = dict(members, version=1)
        r = dep.patch("/api/v1/reports/" + rep["id"], body, token="operator")
        assert r.status_code in (400, 422), describe(r)
        assert_error(r, r.status_code, field=field)
    cur = get(dep, rep["id"])
    assert cur["version"] == 1 and cur["tlp"] == rep["tlp"] and cur["indicators"] == rep["indicators"]


def test_title_of_200_japanese_characters_is_accepted(env):
    dep = env["dep"]
    title = "障" * 200  # 600 bytes of UTF-8, 200 characters
    rep = create_report(dep, "operator", title=title)
    assert get(dep, rep["id"])["title"] == title


# ---- attachments ----------------------------------------------------------

def upload(dep, rid, name, data, token="operator", ctype="application/octet-stream"):
    return dep.request("POST", "/api/v1/reports/%s/attachments" % rid, token=token, data=data,
                       headers={"Content-Type": ctype}, params={"name": name})


def attachments(dep, rid):
    return get(dep, rid).get("attachments", [])


def test_attachment_round_trip(env):
    dep = env["dep"]
    rep = create_report(dep, "operator", tlp="GREEN", scope="all")
    name = "障害ログ 2026年4月 (速報).txt"
    data = bytes(range(256)) * 64 + "ログ本文\r\n".encode("utf-8") + b"\x00\xff"
    r = upload(dep, rep["id"], name, data)
    assert r.status_code == 201, describe(r)
    meta = r.json()
    assert meta["id"] and meta["name"] == name and meta["size"] == len(data), meta
    assert meta["sha256"] == hashlib.sha256(data).hexdigest(), meta

    for who in ("operator", "operator2", "nisc"):
        r = dep.get("/api/v1/reports/%s/attachments/%s" % (rep["id"], meta["id"]), token=who)
        assert r.status_code == 200, describe(r)
        assert r.content == data, "downloaded bytes differ (%d vs %d)" % (len(r.content), len(data))
        assert r.headers.get("Content-Type", "").startswith("application/octet-stream"), r.headers
        disp = r.headers.get("Content-Disposition", "")
        assert disp.startswith("attachment"), disp
        if "filename*=" in disp:
            enc = disp.split("filename*=", 1)[1].split(";")[0].strip()
            assert enc.lower().startswith("utf-8''"), disp
            assert urllib.parse.unquote(enc[7:], encoding="utf-8") == name, disp
    listed = attachments(dep, rep["id"])
    assert [(a["id"], a["name"], a["size"]) for a in listed] == [(meta["id"], name, len(data))], listed


def test_attachment_of_hidden_report_is_404(env):
    dep = env["dep"]
    rep = create_report(dep, "operator", tlp="AMBER", scope="ministry")
    r = upload(dep, rep["id"], "secret.bin", b"secret")
    assert r.status_code == 201, describe(r)
    aid = r.json()["id"]
    for who in ("operator2", "ministry2", "ceptoar", "admin"):
        assert_error(dep.get("/api/v1/reports/%s/attachments/%s" % (rep["id"], aid), token=who), 404)
    assert_error(dep.get("/api/v1/reports/%s/attachments/%s" % (rep["id"], "no-such-attachment"),
                         token="operator"), 404)
    other = create_report(dep, "operator", tlp="GREEN", scope="all")  # the id under another report
    assert_error(dep.get("/api/v1/reports/%s/attachments/%s" % (other["id"], aid), token="operator"), 404)


def test_attachment_cap(env):
    dep = env["dep"]
    rep = create_report(dep, "operator")
    data = os.urandom(1024) * (ATTACHMENT_MAX // 1024)
    r = upload(dep, rep["id"], "at-cap.bin", data)
    assert r.status_code == 201, describe(r)
    assert r.json()["size"] == ATTACHMENT_MAX
    path = "/api/v1/reports/%s/attachments?name=%s" % (rep["id"], urllib.parse.quote("大きすぎる.bin"))
    r = raw_request(dep, "POST", path, data + b"x", "application/octet-stream")
    assert_error(r, 413, code="too_large")
    assert [a["name"] for a in attachments(dep, rep["id"])] == ["at-cap.bin"]
    assert dep.healthy()


@pytest.mark.parametrize("who", ["operator2", "nisc", "ministry", "ceptoar"])
def test_only_the_reporter_attaches(env, who):
    dep = env["dep"]
    rep = create_report(dep, "operator", tlp="GREEN", scope="all")
    r = upload(dep, rep["id"], "other.txt", b"not mine", token=who)
    assert r.status_code in (403, 404), describe(r)
    assert_error(r, r.status_code)
    assert attachments(dep, rep["id"]) == []


def test_attachment_needs_a_name(env):
    dep = env["dep"]
    rep = create_report(dep, "operator")
    r = dep.request("POST", "/api/v1/reports/%s/attachments" % rep["id"], token="operator", data=b"x",
                    headers={"Content-Type": "application/octet-stream"})
    assert_error(r, 400, field="name")
    assert attachments(dep, rep["id"]) == []


# ---- search and filters ---------------------------------------------------

def test_search(env):
    dep = env["dep"]
    r1 = create_report(dep, "operator", title="変電所の停電で勘定系が停止", description="自家発電へ切替",
                       tlp="GREEN", scope="all")
    r2 = create_report(dep, "operator", title="Network Router Failure",
                       description="通信機器の障害により接続不可", tlp="GREEN", scope="all")
    r3 = create_report(dep, "operator", title="Core Banking OUTAGE", description="details follow")
    texts = {}
    for rid in report_ids(dep, "operator")[0]:
        full = get(dep, rid)
        texts[rid] = (full["title"] + "\n" + full.get("description", "")).lower()
    cases = [("停電", r1), ("障害", r2), ("outage", r3), ("OUTAGE", r3), ("Outage", r3),
             ("router failure", r2)]
    for q, must in cases:
        want = {rid for rid, t in texts.items() if q.lower() in t}
        assert must["id"] in want
        ids, total, r = report_ids(dep, "operator", {"q": q})
        assert set(ids) == want and total == len(want), "q=%s: expected %d reports: %s" % (q, len(want), describe(r))
    # a reader who may see r1 and r2 but not r3 (AMBER/ministry)
    assert report_ids(dep, "operator2", {"q": "停電"})[0] == [r1["id"]]
    assert report_ids(dep, "operator2", {"q": "outage"})[1] == 0
    assert report_ids(dep, "nisc", {"q": "OUTAGE"})[0] == [r3["id"]]
    # an indicator value is found too
    r4 = create_report(dep, "operator", indicators=[{"type": "domain", "value": "c2.bad-actor.example"}])
    assert report_ids(dep, "operator", {"q": "C2.Bad-Actor.example"})[0] == [r4["id"]]


def test_search_by_id(env):
    """q that is an id finds that report (any case), only for those who may see
    it; the id in a text is not searched for."""
    dep = env["dep"]
    r1 = create_report(dep, "operator", title="ID で探す報告", tlp="GREEN", scope="all")
    r3 = create_report(dep, "operator", title="見えない報告")  # AMBER: operator2 may not see it
    assert report_ids(dep, "operator", {"q": r1["id"]})[:2] == ([r1["id"]], 1)
    assert report_ids(dep, "nisc", {"q": r1["id"].upper()})[:2] == ([r1["id"]], 1)
    assert report_ids(dep, "operator2", {"q": r1["id"]})[:2] == ([r1["id"]], 1)
    assert report_ids(dep, "operator2", {"q": r3["id"]})[:2] == ([], 0)
    assert report_ids(dep, "operator", {"q": "00000000-0000-4000-8000-000000000000"})[:2] == ([], 0)
    # one character off a UUID's shape is a text search
    assert report_ids(dep, "operator", {"q": r1["id"][:-1]})[1] == 0


def test_search_query_too_long_is_refused(env):
    dep = env["dep"]
    r = dep.get("/api/v1/reports", token="operator", params={"q": "語" * 201})
    assert r.status_code in (400, 413), describe(r)  # as for other strings over their cap
    assert_error(r, r.status_code, field="q")


def test_filters(env):
    dep = env["dep"]
    create_report(dep, "operator", tlp="CLEAR", scope="all", cause_category="intentional",
                  threat_types=["dos-attack"])
    r = dep.get("/api/v1/reports", token="nisc", params={"limit": 500})
    assert r.status_code == 200, describe(r)
    every = r.json()["items"]
    for param, key, value in [("status", "status", "first"), ("tlp", "tlp", "CLEAR"),
                              ("tlp", "tlp", "AMBER+STRICT"), ("cause", "cause_category", "intentional"),
                              ("sector", "sector", "finance"), ("sector", "sector", "gas")]:
        want = {it["id"] for it in every if it.get(key) == value}
        ids, total, r = report_ids(dep, "nisc", {param: value})
        assert set(ids) == want and total == len(want), "%s=%s: expected %d: %s" % (param, value, len(want), describe(r))
    assert_error(dep.get("/api/v1/reports", token="nisc", params={"tlp": "amber"}), 400, field="tlp")
    assert_error(dep.get("/api/v1/reports", token="nisc", params={"status": "closed"}), 400, field="status")


# ---- CLI ------------------------------------------------------------------

def test_cli_report_create_and_list(env, tmp_path):
    dep = env["dep"]
    body = report_body(title="CLIからの報告 " + unique("cli"), tlp="GREEN", scope="ceptoar")
    path = tmp_path / "report.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    user = dep.user_names["operator"]
    run_cli(["report", "create", "--as", user, "--file", str(path)], db=dep.db)
    items = list_items(cli_json(run_cli(["report", "list", "--as", user, "--json"], db=dep.db)))
    mine = [it for it in items if it.get("title") == body["title"]]
    assert len(mine) == 1, items[:5]
    rid = mine[0]["id"]
    got = get(dep, rid)
    assert got["tlp"] == "GREEN" and got["scope"] == "ceptoar" and got["version"] == 1
    # the CLI applies the same rules
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(report_body(tlp="RED", scope="all")), encoding="utf-8")
    before = state(dep)
    p = run_cli(["report", "create", "--as", user, "--file", str(bad)], db=dep.db, check=False)
    assert p.returncode != 0 and "scope" in p.stderr, p
    assert state(dep) == before
    # another user's view through the CLI is the policy's
    other = list_items(cli_json(run_cli(["report", "list", "--as", dep.user_names["ministry2"], "--json"],
                                        db=dep.db)))
    assert rid not in [it["id"] for it in other]
