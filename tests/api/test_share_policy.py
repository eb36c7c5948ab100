"""THE TLP TABLE over HTTP: who sees an IT-failure report (情報連絡), by the
reader's role and relationship to the reporter, the report's TLP and the
scope the reporter chose (src/core/policy.c, tests/unit/test_policy_share.c).

A private deployment with:
  A     operator org A (finance, member of bank-ceptoar): the reporter
  B     operator op-bank-1 (finance, member of bank-ceptoar)
  C     an electricity operator (member of electricity-ceptoar)
  D     operator op-bank-2 (finance, no CEPTOAR): same sector, nothing shared
  bank  the bank-ceptoar secretariat (A's CEPTOAR; a council member)
  gas   the gas-ceptoar secretariat (a council member, not A's CEPTOAR)
  fsa   金融庁, the ministry overseeing finance
  meti  経済産業省, another ministry
  nisc, agency (JPCERT/CC), auditor, admin

A files one report for every TLP x scope combination the TLP allows. Every
reader then lists the reports and reads each by id: the visible set is the
table below, hidden reports answer 404 (the same as absent ones), totals and
searches count only what the reader sees, and the reporter's name and id
appear only to A itself, fsa and NISC (A did not agree to be named)."""

import pytest

from apilib import assert_error, describe, unique
from sharefix import add_org, add_principal, create_report, report_body, report_ids

READERS = ["A", "B", "C", "D", "bank", "gas", "fsa", "meti", "nisc", "agency", "auditor", "admin"]
# the deployment's principal key of each reader
KEYS = {"A": "opA", "B": "operator", "C": "opC", "D": "operator2", "bank": "ceptoar", "gas": "gasS",
        "fsa": "ministry", "meti": "ministry2", "nisc": "nisc", "agency": "agency",
        "auditor": "auditor", "admin": "admin"}

# x = reads the report; . = 404 by id, absent from lists, totals and searches
# TLP           scope       A  B  C  D  bank gas fsa meti nisc agency auditor admin
TABLE = """
CLEAR          ministry     x  .  .  .  .    .   x   .    x    .      .       .
CLEAR          ceptoar      x  x  .  .  x    .   x   .    x    .      .       .
CLEAR          council      x  x  .  .  x    x   x   .    x    .      .       .
CLEAR          all          x  x  x  x  x    x   x   x    x    x      .       .
GREEN          ministry     x  .  .  .  .    .   x   .    x    .      .       .
GREEN          ceptoar      x  x  .  .  x    .   x   .    x    .      .       .
GREEN          council      x  x  .  .  x    x   x   .    x    .      .       .
GREEN          all          x  x  x  x  x    x   x   x    x    x      .       .
AMBER          ministry     x  .  .  .  .    .   x   .    x    .      .       .
AMBER          ceptoar      x  x  .  .  x    .   x   .    x    .      .       .
AMBER          council      x  x  .  .  x    x   x   .    x    .      .       .
AMBER+STRICT   ministry     x  .  .  .  .    .   x   .    x    .      .       .
RED            ministry     x  .  .  .  .    .   x   .    x    .      .       .
"""

# Combinations the TLP forbids: RED and AMBER+STRICT stay with the ministry,
# AMBER does not go to all.
FORBIDDEN = [("AMBER", "all"), ("AMBER+STRICT", "ceptoar"), ("AMBER+STRICT", "council"),
             ("AMBER+STRICT", "all"), ("RED", "ceptoar"), ("RED", "council"), ("RED", "all")]

# Who sees the reporter's identity (the report was filed without show_name).
SEES_NAME = {"A", "fsa", "nisc"}

# Words in every title: one English (searched in another case), one Japanese.
COMMON_WORDS = ["TLPMATRIX", "照合"]


def parse_table():
    rows = []
    for line in TABLE.strip().splitlines():
        parts = line.split()
        tlp, scope, marks = parts[0], parts[1], parts[2:]
        assert len(marks) == len(READERS), line
        assert all(m in "x." for m in marks), line
        rows.append((tlp, scope, {rd for rd, m in zip(READERS, marks) if m == "x"}))
    return rows


ROWS = parse_table()


def test_table_covers_every_allowed_combination():
    allowed = {(t, s) for t, s, _ in ROWS}
    every = {(t, s) for t in ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]
             for s in ["ministry", "ceptoar", "council", "all"]}
    assert allowed | set(FORBIDDEN) == every and not allowed & set(FORBIDDEN)


@pytest.fixture(scope="module")
def world(new_deployment):
    dep = new_deployment("tlp")
    tag = unique("tlp")
    org_a = add_org(dep, "finance", ["bank-ceptoar"], prefix="repA",
                    name_ja="甲報告銀行" + tag, name_en="Reporter Alpha Bank " + tag)
    org_c = add_org(dep, "electricity", ["electricity-ceptoar"], prefix="elecC")
    add_principal(dep, "opA", org_a["id"], "operator")
    add_principal(dep, "opC", org_c["id"], "operator")
    add_principal(dep, "gasS", "gas-ceptoar", "ceptoar")
    reports = []
    for tlp, scope, visible in ROWS:
        marker = unique("mk")
        rep = create_report(dep, "opA", title="%s tlpmatrix 照合 %s/%s" % (marker, tlp, scope),
                            description="区分の試験 " + marker, tlp=tlp, scope=scope, show_name=False)
        assert rep["tlp"] == tlp and rep["scope"] == scope, rep
        reports.append({"id": rep["id"], "tlp": tlp, "scope": scope, "visible": visible,
                        "marker": marker})
    return {"dep": dep, "org_a": org_a, "reports": reports}


def expected_ids(world, reader):
    return {r["id"] for r in world["reports"] if reader in r["visible"]}


def no_reach(reader):
    return not any(reader in v for _, _, v in ROWS)


def list_or_refused(dep, reader, params=None):
    """The reader's list; a reader the table gives nothing may also be
    refused the list outright (403), which counts as seeing nothing."""
    p = {"limit": 500}
    p.update(params or {})
    r = dep.get("/api/v1/reports", token=KEYS[reader], params=p)
    if r.status_code == 403 and no_reach(reader):
        assert_error(r, 403, code="forbidden")
        return [], 0, r
    assert r.status_code == 200, describe(r)
    body = r.json()
    return [it["id"] for it in body["items"]], body["total"], r


@pytest.mark.parametrize("reader", READERS)
def test_get_by_id(world, reader):
    dep = world["dep"]
    wrong = []
    for rep in world["reports"]:
        r = dep.get("/api/v1/reports/" + rep["id"], token=KEYS[reader])
        if reader in rep["visible"]:
            if r.status_code != 200:
                wrong.append("%s/%s: expected 200: %s" % (rep["tlp"], rep["scope"], describe(r)))
                continue
            body = r.json()
            assert body["id"] == rep["id"] and body["tlp"] == rep["tlp"] and body["scope"] == rep["scope"], body
        else:
            if r.status_code != 404:
                wrong.append("%s/%s: expected 404: %s" % (rep["tlp"], rep["scope"], describe(r)))
                continue
            assert_error(r, 404, code="not_found")
    assert not wrong, "%s (%s) reads reports it should not, or not those it should:\n%s" % (
        reader, KEYS[reader], "\n".join(wrong))


@pytest.mark.parametrize("reader", READERS)
def test_list_and_total(world, reader):
    ids, total, r = list_or_refused(world["dep"], reader)
    want = expected_ids(world, reader)
    names = {rep["id"]: "%s/%s" % (rep["tlp"], rep["scope"]) for rep in world["reports"]}
    assert len(ids) == len(set(ids)), "duplicates in the list: %s" % describe(r)
    assert set(ids) == want, "%s lists %s; expected %s (extra: %s, missing: %s)" % (
        reader, sorted(names.get(i, i) for i in ids), sorted(names[i] for i in want),
        sorted(names.get(i, i) for i in set(ids) - want), sorted(names[i] for i in want - set(ids)))
    assert total == len(want), "total %d leaks hidden reports (%d visible): %s" % (total, len(want), describe(r))
    # a small page still counts the same total
    if want:
        r = world["dep"].get("/api/v1/reports", token=KEYS[reader], params={"limit": 1})
        assert r.status_code == 200 and r.json()["total"] == len(want), describe(r)
        assert len(r.json()["items"]) == 1, describe(r)


@pytest.mark.parametrize("reader", READERS)
def test_search_is_filtered_the_same_way(world, reader):
    dep = world["dep"]
    want = expected_ids(world, reader)
    for word in COMMON_WORDS:  # a word in every title
        ids, total, r = list_or_refused(dep, reader, {"q": word})
        assert set(ids) == want and total == len(want), "q=%s as %s: expected %d reports: %s" % (
            word, reader, len(want), describe(r))
    for rep in world["reports"]:  # one report's own marker
        ids, total, r = list_or_refused(dep, reader, {"q": rep["marker"]})
        n = 1 if reader in rep["visible"] else 0
        assert total == n and len(ids) == n, "q=<marker of %s/%s> as %s: expected %d: %s" % (
            rep["tlp"], rep["scope"], reader, n, describe(r))


@pytest.mark.parametrize("reader", [rd for rd in READERS if not no_reach(rd)])
def test_reporter_named_only_to_itself_its_ministry_and_nisc(world, reader):
    dep, org = world["dep"], world["org_a"]
    secrets_ = [org["id"], org["code"], org["name_ja"], org["name_en"]]
    texts = []
    _, _, r = list_or_refused(dep, reader)
    texts.append(("list", r.text))
    for rep in world["reports"]:
        if reader in rep["visible"]:
            r = dep.get("/api/v1/reports/" + rep["id"], token=KEYS[reader])
            assert r.status_code == 200, describe(r)
            texts.append(("%s/%s" % (rep["tlp"], rep["scope"]), r.text))
    for where, text in texts:
        if reader in SEES_NAME:
            assert org["id"] in text and org["name_ja"] in text, \
                "%s does not see the reporter's id and name in %s: %s" % (reader, where, text[:800])
        else:
            leaked = [s for s in secrets_ if s in text]
            assert not leaked, "%s sees the anonymous reporter (%s) in %s: %s" % (
                reader, leaked, where, text[:800])


@pytest.mark.parametrize("reader", [rd for rd in READERS if not no_reach(rd)])
def test_filter_by_reporter_does_not_unmask_it(world, reader):
    """?org= the reporter: those who may know it find its reports; for the
    others the anonymous reports are not singled out by the filter."""
    dep, org = world["dep"], world["org_a"]
    for value in (org["id"], org["code"]):
        ids, total, r = list_or_refused(dep, reader, {"org": value})
        want = expected_ids(world, reader) if reader in SEES_NAME else set()
        assert set(ids) == want and total == len(want), "org=%s as %s: expected %d: %s" % (
            value, reader, len(want), describe(r))


@pytest.mark.parametrize("tlp,scope", FORBIDDEN, ids=["%s-%s" % c for c in FORBIDDEN])
def test_scope_the_tlp_forbids_is_422(world, tlp, scope):
    dep = world["dep"]
    before = report_ids(dep, "nisc")[:2]
    r = dep.post("/api/v1/reports", report_body(tlp=tlp, scope=scope), token="opA")
    assert_error(r, 422, code="unprocessable", field="scope")
    assert report_ids(dep, "nisc")[:2] == before
