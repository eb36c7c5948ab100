"""`ceptoar sim run` on the command line: help, exit statuses (0 done, 1 a
refused model or scenario, 2 usage), errors naming the file, line, column and
field, a small model worked out by hand end to end (failure and return times,
causes, depths, the chain, the timeline), JSON and CSV models giving the same
run, templates, Monte Carlo output identical for 1 and 2 threads, and SVG
that parses. No server is needed."""

import csv
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from apilib import run_cli

SVG_NS = "{http://www.w3.org/2000/svg}"

# plant (power source) - sub, both in power/13. sub feeds the hospital (72 h
# of generator) and the exchange (4 h of battery); the exchange is the source
# of comms/13 and feeds the bank at once.
MODEL = {
    "name": "tiny",
    "nodes": [
        {"id": "plant", "sector": "electricity", "region": "13", "layer": "power/13",
         "source": True, "repair_hours": 1},
        {"id": "sub", "sector": "electricity", "region": "13", "layer": "power/13",
         "repair_hours": 2},
        {"id": "exch", "sector": "info-comm", "region": "13", "layer": "comms/13",
         "source": True, "repair_hours": 1},
        {"id": "hospital", "name": "病院", "sector": "medical", "region": "13", "weight": 10,
         "repair_hours": 1},
        {"id": "bank", "sector": "finance", "region": "13", "weight": 5, "repair_hours": 0.5},
    ],
    "dependencies": [
        {"supplier": "sub", "dependent": "hospital", "kind": "power", "buffer_hours": 72},
        {"supplier": "sub", "dependent": "exch", "kind": "power", "buffer_hours": 4},
        {"supplier": "exch", "dependent": "bank", "kind": "communications"},
    ],
    "links": [["plant", "sub"]],
}

NODES_CSV = """id,name,sector,region,layer,source,weight,repair_hours
plant,,electricity,13,power/13,1,,1
sub,,electricity,13,power/13,0,,2
exch,,info-comm,13,comms/13,1,,1
hospital,病院,medical,13,,0,10,1
bank,,finance,13,,0,5,0.5
"""

EDGES_CSV = """type,from,to,kind,buffer_hours,group,need
link,plant,sub,,,,
dep,sub,hospital,power,72,,
dep,sub,exch,power,4,,
dep,exch,bank,communications,,,
"""

SCENARIO = {"name": "plant down", "horizon_hours": 48,
            "events": [{"node": "plant", "start_hours": 1, "duration_hours": 10}]}


def sim(*args, check=False):
    return run_cli(["sim", "run"] + [str(a) for a in args], check=check)


def write(path, text):
    path.write_text(text if isinstance(text, str) else json.dumps(text), encoding="utf-8")
    return str(path)


def read_csv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def parse_svg(path):
    root = ET.parse(str(path)).getroot()
    assert root.tag == SVG_NS + "svg"
    if shutil.which("xmllint"):
        subprocess.run(["xmllint", "--noout", str(path)], check=True)
    return root


@pytest.fixture
def files(tmp_path):
    d = tmp_path / "csvmodel"
    d.mkdir()
    write(d / "nodes.csv", NODES_CSV)
    write(d / "edges.csv", EDGES_CSV)
    return {
        "json": write(tmp_path / "model.json", MODEL),
        "dir": str(d),
        "scenario": write(tmp_path / "sc.json", SCENARIO),
        "tmp": tmp_path,
    }


# ---- help and usage ----------------------------------------------------------

def test_help():
    p = sim("--help")
    assert p.returncode == 0, p
    for word in ["--scenario", "--trials", "--seed", "--threads", "--hours", "--out",
                 "blackout", "comms", "compound", "広域停電", "大規模通信障害", "複合障害",
                 "fraction", "duration_hours", "lognormal", "nodes.csv", "chain.txt"]:
        assert word in p.stdout, word
    p = run_cli(["sim", "--help"], check=False)
    assert p.returncode == 0 and "run" in p.stdout


@pytest.mark.parametrize("args,words", [
    ([], "MODEL"),
    (["m.json"], "--scenario"),
    (["m.json", "--scenario", "blackout"], "--out"),
    (["m.json", "--scenario", "blackout", "--out", "o", "--trials", "0"], "--trials"),
    (["m.json", "--scenario", "blackout", "--out", "o", "--trials", "100001"], "--trials"),
    (["m.json", "--scenario", "blackout", "--out", "o", "--threads", "x"], "--threads"),
    (["m.json", "--scenario", "blackout", "--out", "o", "--hours", "-1"], "--hours"),
    (["m.json", "--scenario", "blackout", "--out", "o", "--frobnicate"], "unknown option"),
    (["a.json", "b.json", "--scenario", "blackout", "--out", "o"], "MODEL"),
])
def test_usage(args, words):
    p = sim(*args)
    assert p.returncode == 2, p
    assert words in p.stderr, p.stderr


# ---- the hand-worked run -------------------------------------------------------

def expect_hand_run(out):
    """plant is hit 1..11 and back at 12 (repair 1). sub is cut off from its
    source at 1 and back at 12 + 2. The exchange's battery lasts 4 h: down at
    5, back when sub serves again (14) plus 1. The bank follows the exchange at
    once and needs 0.5 h. The hospital's 72 h generator outlasts the outage."""
    rows = {r["id"]: r for r in read_csv(out / "nodes.csv")}
    assert set(rows) == {"plant", "sub", "exch", "bank"}
    want = {
        "plant": ("1", "12", "11", "event", "node plant", "", "0"),
        "sub": ("1", "14", "13", "layer", "plant", "power/13", "1"),
        "exch": ("5", "15", "10", "dependency", "sub", "power", "2"),
        "bank": ("5", "15.5", "10.5", "dependency", "exch", "communications", "3"),
    }
    for node, (first, last, down, cause, by, via, depth) in want.items():
        r = rows[node]
        got = (r["first_failure_hours"], r["last_recovery_hours"], r["down_hours"], r["cause"],
               r["cause_by"], r["via"], r["depth"])
        assert got == (first, last, down, cause, by, via, depth), (node, r)

    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert result["kind"] == "run"
    assert result["failed_nodes"] == 4
    assert result["max_depth"] == 3
    assert result["still_down_at_end"] == 0
    # weights: 1 + 1 + 1 + 10 + 5 = 18; at 5 h, 8 of it is down
    assert abs(result["lowest_working_fraction"] - 10 / 18) < 1e-9
    assert result["lowest_at_hours"] == 5
    assert result["working_fraction_at_end"] == 1
    impact = {s["sector"]: s["first_impact_hours"] for s in result["sectors"]}
    assert impact == {"electricity": 1, "info-comm": 5, "medical": None, "finance": 5}

    timeline = read_csv(out / "timeline.csv")
    assert [float(r["hours"]) for r in timeline] == [0, 1, 5, 11, 12, 14, 15, 15.5, 48]
    at = {float(r["hours"]): r for r in timeline}
    assert float(at[1]["all"]) == pytest.approx(16 / 18)
    assert float(at[5]["finance"]) == 0 and float(at[15.5]["finance"]) == 1
    assert float(at[14]["power/13"]) == 1 and float(at[12]["power/13"]) == 0.5

    chain = (out / "chain.txt").read_text(encoding="utf-8")
    lines = [l for l in chain.splitlines() if l.strip()]
    # depth shows as indentation: plant, sub under it, exch, bank
    order = [l.split()[0] for l in lines[2:6]]
    assert order == ["plant", "sub", "exch", "bank"], chain
    assert "cut off from power/13 by plant" in chain
    assert "lost communications from exch" in chain
    doc = json.loads((out / "chain.json").read_text(encoding="utf-8"))
    assert [n["id"] for n in doc["nodes"]] == ["plant", "sub", "exch", "bank"]
    assert [n["depth"] for n in doc["nodes"]] == [1, 2, 3, 4]
    assert doc["roots"][0]["event"] == "node plant" and doc["roots"][0]["nodes"] == 4
    parse_svg(out / "timeline.svg")


def test_hand_worked_json(files):
    out = files["tmp"] / "out"
    p = sim(files["json"], "--scenario", files["scenario"], "--out", out)
    assert p.returncode == 0, p
    for name in ["result.json", "nodes.csv", "timeline.csv", "timeline.svg", "chain.json",
                 "chain.txt"]:
        assert "wrote %s" % (out / name) in p.stdout
    expect_hand_run(out)


def test_hand_worked_csv_directory_and_prefix(files, tmp_path):
    out = tmp_path / "out-dir"
    p = sim(files["dir"], "--scenario", files["scenario"], "--out", out)
    assert p.returncode == 0, p
    expect_hand_run(out)
    # a prefix: P + nodes.csv, P + edges.csv
    write(tmp_path / "m-nodes.csv", NODES_CSV)
    write(tmp_path / "m-edges.csv", EDGES_CSV)
    out2 = tmp_path / "out-prefix"
    p = sim(str(tmp_path / "m-"), "--scenario", files["scenario"], "--out", out2)
    assert p.returncode == 0, p
    assert (out / "nodes.csv").read_text() == (out2 / "nodes.csv").read_text()


def test_hours_and_unending_event(files):
    sc = write(files["tmp"] / "forever.json",
               {"events": [{"node": "plant", "start_hours": 2}]})
    out = files["tmp"] / "out"
    p = sim(files["json"], "--scenario", sc, "--hours", "30", "--out", out)
    assert p.returncode == 0, p
    rows = {r["id"]: r for r in read_csv(out / "nodes.csv")}
    assert rows["plant"]["last_recovery_hours"] == ""
    assert rows["sub"]["down_hours"] == "28"
    result = json.loads((out / "result.json").read_text())
    assert result["horizon_hours"] == 30 and result["still_down_at_end"] == 4


# ---- templates ------------------------------------------------------------------

def test_templates(files):
    out = files["tmp"] / "bo"
    # the model has power/13 and comms/13 only: the default (Kanto) finds power/13
    p = sim(files["json"], "--scenario", "blackout", "--out", out)
    assert p.returncode == 0, p
    result = json.loads((out / "result.json").read_text())
    assert result["events"][0]["label"] == "広域停電: layer power/13"
    assert result["events"][0]["duration_hours"] == 24
    out = files["tmp"] / "cp"
    p = sim(files["json"], "--scenario", "compound:13", "--out", out)
    assert p.returncode == 0, p
    result = json.loads((out / "result.json").read_text())
    assert [e["start_hours"] for e in result["events"]] == [0, 6]
    assert "comms/13" in result["events"][1]["label"]


@pytest.mark.parametrize("spec,words", [
    ("flood", "unknown scenario template"),
    ("blackout:99", "01..47"),
    ("blackout:27", "no layer power/27"),
    ("compound:13,14,13", "region 13 is named twice"),
])
def test_bad_templates(files, spec, words):
    p = sim(files["json"], "--scenario", spec, "--out", files["tmp"] / "o")
    assert p.returncode == 1, p
    assert words in p.stderr, p.stderr


# ---- refusals naming the file, line, column and field -------------------------

@pytest.mark.parametrize("nodes,edges,words", [
    (NODES_CSV, EDGES_CSV.replace("dep,exch,bank", "dep,exch,bnak"),
     "edges.csv:5:3: unknown node bnak"),
    (NODES_CSV.replace("hospital,病院,medical,13,,0,10,1", "hospital,病院,medical,13,,0,ten,1"),
     EDGES_CSV, "nodes.csv:5:7: weight: \"ten\" is not a number"),
    (NODES_CSV.replace("id,name", "name"), EDGES_CSV, "nodes.csv:1: the header has no column id"),
    (NODES_CSV, EDGES_CSV.replace("dep,sub,exch,power,4", "dep,sub,exch,power,-4"),
     "edges.csv:4:5: buffer_hours must be"),
    (NODES_CSV, EDGES_CSV.replace("link,plant,sub,,,,", "link,plant,bank,,,,"),
     "edges.csv:2:3: a link joins nodes of one layer"),
])
def test_bad_csv_models(files, nodes, edges, words):
    d = files["tmp"] / "bad"
    d.mkdir()
    write(d / "nodes.csv", nodes)
    write(d / "edges.csv", edges)
    p = sim(d, "--scenario", files["scenario"], "--out", files["tmp"] / "o")
    assert p.returncode == 1, p
    assert words in p.stderr, p.stderr
    assert str(d) in p.stderr


def test_bad_json_model_and_scenario(files):
    bad = dict(MODEL, nodes=MODEL["nodes"] + [{"id": "plant"}])
    m = write(files["tmp"] / "dup.json", bad)
    p = sim(m, "--scenario", files["scenario"], "--out", files["tmp"] / "o")
    assert p.returncode == 1 and "nodes[5]" in p.stderr and "duplicate node id plant" in p.stderr
    m = write(files["tmp"] / "syntax.json", '{"nodes": [\n  {"id": "a",}\n]}')
    p = sim(m, "--scenario", files["scenario"], "--out", files["tmp"] / "o")
    assert p.returncode == 1 and "syntax.json" in p.stderr and "line 2" in p.stderr, p.stderr
    sc = write(files["tmp"] / "sc-bad.json", {"events": [{"layer": "power/99"}]})
    p = sim(files["json"], "--scenario", sc, "--out", files["tmp"] / "o")
    assert p.returncode == 1, p
    assert "sc-bad.json" in p.stderr and "events[0].layer" in p.stderr and "power/99" in p.stderr
    p = sim(files["tmp"] / "missing.json", "--scenario", "blackout", "--out", files["tmp"] / "o")
    assert p.returncode == 1 and "missing.json" in p.stderr
    p = sim(files["tmp"] / "nothing-here", "--scenario", "blackout", "--out", files["tmp"] / "o")
    assert p.returncode == 1 and "not a .json model" in p.stderr


def test_model_without_edges_file_and_one_reader_for_every_action(tmp_path):
    # a directory with nodes.csv alone is a model without edges, for run as
    # for sweep and rank (run refused it before: "cannot open .../edges.csv")
    d = tmp_path / "noedges"
    d.mkdir()
    write(d / "nodes.csv", "id,layer,source,weight\na,g,1,3\nb,g,0,1\nc,,0,1\n")
    sc = write(tmp_path / "sc.json", {"events": [{"node": "c", "start_hours": 0,
                                                  "duration_hours": 2}]})
    p = sim(d, "--scenario", sc, "--out", tmp_path / "run")
    assert p.returncode == 0, p
    res = json.loads((tmp_path / "run" / "result.json").read_text())
    # c by its event; b, in the layer with no link to its source, from the start
    assert res["failed_nodes"] == 2, res
    rows = {r["id"]: r for r in read_csv(tmp_path / "run" / "nodes.csv")}
    assert set(rows) == {"b", "c"}, rows
    assert (rows["c"]["cause"], rows["c"]["last_recovery_hours"]) == ("event", "2"), rows
    assert (rows["b"]["cause"], rows["b"]["last_recovery_hours"]) == ("start", ""), rows
    p = run_cli(["sim", "rank", str(d), "--out", str(tmp_path / "rank")], check=False)
    assert p.returncode == 0, p
    p = run_cli(["sim", "sweep", str(d), "--layer", "g", "--points", "3", "--out",
                 str(tmp_path / "sweep")], check=False)
    assert p.returncode == 0, p
    # the same words from each action about a model that is not there, and
    # about a bad edges.csv
    for path, says in ((tmp_path / "nothing-here", "not a .json model, nor a directory"),
                       (tmp_path / "missing.json", "missing.json")):
        for action in (["run", str(path), "--scenario", sc], ["rank", str(path)],
                       ["sweep", str(path), "--layer", "g"]):
            p = run_cli(["sim"] + action + ["--out", str(tmp_path / "o")], check=False)
            assert p.returncode == 1 and says in p.stderr, (action, p.stderr)
    write(d / "edges.csv", "type,from,to\nlink,a,b\ndep,a,zz\n")
    for action in (["run", str(d), "--scenario", sc], ["rank", str(d)],
                   ["sweep", str(d), "--layer", "g"]):
        p = run_cli(["sim"] + action + ["--out", str(tmp_path / "o")], check=False)
        assert p.returncode == 1 and "edges.csv:3:3: unknown node zz" in p.stderr, (action, p.stderr)


# ---- Monte Carlo ----------------------------------------------------------------

MC_SCENARIO = {
    "name": "half the grid", "horizon_hours": 24,
    "events": [{"layer": "power/13", "fraction": 0.5, "start_hours": 1, "duration_hours": 5}],
    "random": {"buffer": {"dist": "uniform", "lo": 0.5, "hi": 1.5},
               "repair": {"dist": "lognormal", "sigma": 0.5}},
}


def test_monte_carlo_threads_identical(files):
    sc = write(files["tmp"] / "mc.json", MC_SCENARIO)
    outs = []
    for threads in ("1", "2"):
        out = files["tmp"] / ("mc" + threads)
        p = sim(files["json"], "--scenario", sc, "--trials", "400", "--seed", "7", "--threads",
                threads, "--points", "25", "--out", out)
        assert p.returncode == 0, p
        outs.append(out)
    for name in ["result.json", "nodes.csv", "timeline.csv"]:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    result = json.loads((outs[0] / "result.json").read_text())
    assert result["kind"] == "monte-carlo" and result["trials"] == 400
    # one of the two grid nodes fails in each trial: each with probability ~1/2
    rows = {r["id"]: r for r in read_csv(outs[0] / "nodes.csv")}
    assert int(rows["plant"]["trials_failed"]) + int(rows["sub"]["trials_failed"]) >= 400
    assert 120 < int(rows["plant"]["trials_failed"]) < 280
    timeline = read_csv(outs[0] / "timeline.csv")
    assert len(timeline) == 25 and float(timeline[-1]["hours"]) == 24
    assert float(timeline[0]["all mean"]) == 1
    assert float(timeline[3]["all p5"]) < float(timeline[3]["all p95"]) or \
        float(timeline[3]["all mean"]) < 1
    parse_svg(outs[0] / "timeline.svg")
    # another seed gives another result
    out = files["tmp"] / "mc-seed"
    assert sim(files["json"], "--scenario", sc, "--trials", "400", "--seed", "8", "--points", "25",
               "--out", out).returncode == 0
    assert (out / "nodes.csv").read_bytes() != (outs[0] / "nodes.csv").read_bytes()
