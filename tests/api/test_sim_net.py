"""`ceptoar sim generate`, `sim sweep` and `sim rank` on the command line:
help, exit statuses (0 done, 1 refused file or model, 2 usage), generated
files that the loader reads back, removal orders, the files written into
--out (JSON, CSV, SVG that parses as XML), results that do not depend on the
thread count, and the sweep against the NetworkX peer of bench/cascade on the
same files (the same fractions and rounds at every point). No server is
needed."""

import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from apilib import run_cli

SVG_NS = "{http://www.w3.org/2000/svg}"
PEER = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "cascade", "peer_networkx.py")


def sim(*args, check=False):
    return run_cli(["sim"] + list(args), check=check)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("action,words", [
    ("generate", ["japan", "coupled", "--order", "nodes.csv"]),
    ("sweep", ["--layer", "--points", "--order", "sweep.svg"]),
    ("rank", ["共通脅威分析", "--candidates", "rank.csv"]),
])
def test_help(action, words):
    p = sim(action, "--help", check=True)
    for w in words:
        assert w in p.stdout
    assert action in sim("--help", check=True).stdout


@pytest.mark.parametrize("args,says", [
    (["generate"], "needs a generator"),
    (["generate", "lattice", "--out", "x"], "unknown generator lattice"),
    (["generate", "er"], "--out"),
    (["generate", "er", "--nodes", "1", "--out", "x"], "--nodes must be"),
    (["generate", "er", "--degree", "-1", "--out", "x"], "--degree must be"),
    (["generate", "er", "--nodes", "10", "--degree", "20", "--out", "x"], "degree must be"),
    (["generate", "sf", "--exponent", "2", "--out", "x"], "--exponent must be"),
    (["generate", "japan", "--scale", "0", "--out", "x"], "--scale must be"),
    (["generate", "er", "--points", "3", "--out", "x"], "--points does not apply"),
    (["generate", "er", "--scale", "3", "--out", "x"], "--scale does not apply to generate er"),
    (["generate", "japan", "--nodes", "30", "--out", "x"], "--nodes does not apply to generate"),
    (["generate", "sf", "--layers", "3", "--out", "x"], "--layers does not apply"),
    (["generate", "er", "--order", "A", "--out", "m.json"], "--order"),
    (["sweep", "--out", "x"], "needs a model"),
    (["sweep", "--generate", "er:1000:2"], "--out"),
    (["sweep", "--generate", "torus", "--out", "x"], "unknown generator"),
    (["sweep", "--generate", "er:1000:2", "--points", "0", "--out", "x"], "--points must be"),
    (["sweep", "--generate", "er:1000:2", "--p-min", "0.8", "--p-max", "0.2", "--out", "x"],
     "--p-min"),
    (["sweep", "--generate", "er:1000:2", "--trials", "2", "--order", "o", "--out", "x"],
     "--order is one trial"),
    (["sweep", "--generate", "er:1000:2", "--top", "3", "--out", "x"], "--top does not apply"),
    (["sweep", "a", "b", "--out", "x"], "takes only a model"),
    (["rank", "--generate", "er:1000:2", "--top", "0", "--out", "x"], "--top must be"),
    (["rank", "--generate", "er:1000:2", "--layer", "er", "--out", "x"], "--layer does not apply"),
    (["rank", "m.json", "--generate", "er:100:2", "--out", "x"], "takes no arguments"),
])
def test_usage_errors_exit_2(args, says):
    p = sim(*args)
    assert p.returncode == 2, p.stderr
    assert says in p.stderr


@pytest.fixture(scope="module")
def coupled(tmp_path_factory):
    d = tmp_path_factory.mktemp("coupled") / "m"
    p = sim("generate", "coupled", "--nodes", "3000", "--degree", "4", "--seed", "7",
            "--order", "A", "--out", str(d), check=True)
    assert "6000 nodes, 6000 dependencies" in p.stdout
    return d


def test_generate_writes_the_model_formats(coupled, tmp_path):
    nodes = read_csv(coupled / "nodes.csv")
    edges = read_csv(coupled / "edges.csv")
    assert list(nodes[0].keys()) == ["id", "name", "sector", "operator", "region", "kind",
                                     "layer", "source", "weight", "repair_hours"]
    assert len(nodes) == 6000 and nodes[0]["id"] == "A0" and nodes[3000]["layer"] == "B"
    deps = [e for e in edges if e["type"] == "dep"]
    assert len(deps) == 6000
    assert all(e["from"][1:] == e["to"][1:] and e["from"][0] != e["to"][0] for e in deps)
    links = [e for e in edges if e["type"] == "link"]
    assert abs(len(links) - 12000) < 400
    order = (coupled / "order.txt").read_text().split()
    assert sorted(order) == sorted("A%d" % i for i in range(3000))
    # the same seed gives the same files; another seed another model
    again = tmp_path / "again"
    sim("generate", "coupled", "--nodes", "3000", "--degree", "4", "--seed", "7", "--order", "A",
        "--out", str(again), check=True)
    for f in ("nodes.csv", "edges.csv", "order.txt"):
        assert (again / f).read_bytes() == (coupled / f).read_bytes()
    other = tmp_path / "other"
    sim("generate", "coupled", "--nodes", "3000", "--seed", "8", "--out", str(other), check=True)
    assert (other / "edges.csv").read_bytes() != (coupled / "edges.csv").read_bytes()


def test_generate_json_reads_back(tmp_path):
    path = tmp_path / "japan.json"
    sim("generate", "japan", "--scale", "0.02", "--out", str(path), check=True)
    model = json.loads(path.read_text(encoding="utf-8"))
    assert model["name"] == "japan"
    kinds = {n.get("kind") for n in model["nodes"]}
    assert {"hospital", "base-station", "power-plant", "municipal-office"} <= kinds
    assert {n["layer"] for n in model["nodes"] if n.get("source")} >= {"power/13", "comms/13"}
    groups = [d for d in model["dependencies"] if d.get("group")]
    assert groups and all(d["need"] >= 1 for d in groups)
    # the loader takes what the generator writes: rank it
    out = tmp_path / "rank"
    p = sim("rank", str(path), "--top", "5", "--out", str(out), check=True)
    assert "ranked" in p.stdout
    ranked = json.loads((out / "rank.json").read_text())["ranked"]
    assert len(ranked) == 5
    assert ranked[0]["damage"] >= ranked[4]["damage"] > 0


def test_sweep_files_and_threads(coupled, tmp_path):
    outs = []
    for threads in ("1", "2"):
        out = tmp_path / ("t" + threads)
        sim("sweep", str(coupled), "--layer", "A", "--points", "11", "--trials", "3", "--seed",
            "5", "--threads", threads, "--out", str(out), check=True)
        outs.append(out)
    for f in ("sweep.csv",):
        assert (outs[0] / f).read_bytes() == (outs[1] / f).read_bytes()
    a = json.loads((outs[0] / "sweep.json").read_text())
    b = json.loads((outs[1] / "sweep.json").read_text())
    assert a["points"] == b["points"]
    assert a["timing"]["threads"] == 1 and b["timing"]["threads"] == 2
    assert a["layer"] == "A" and a["targets"] == 3000 and a["trials"] == 3
    pts = a["points"]
    assert pts[0]["kept"] == 0 and pts[-1]["kept"] == 3000
    assert pts[0]["working"]["mean"] == 0                    # everything lost
    assert pts[-1]["working"]["max"] > 0.9                   # the giant component
    assert pts[7]["layers"]["A"]["mean"] == pts[7]["layers"]["B"]["mean"]  # one-to-one
    root = ET.parse(str(outs[0] / "sweep.svg")).getroot()
    assert root.tag == SVG_NS + "svg"


def test_sweep_matches_networkx_peer(coupled, tmp_path):
    out = tmp_path / "s"
    sim("sweep", str(coupled), "--layer", "A", "--order", str(coupled / "order.txt"),
        "--points", "21", "--out", str(out), check=True)
    ours = read_csv(out / "sweep.csv")
    peer = subprocess.run([sys.executable, PEER, str(coupled), "--points", "21"],
                          capture_output=True, text=True, timeout=300)
    assert peer.returncode == 0, peer.stderr
    theirs = list(csv.DictReader(io.StringIO(peer.stdout)))
    assert len(ours) == len(theirs) == 21
    collapsed = survived = 0
    for o, t in zip(ours, theirs):
        assert int(o["kept"]) == int(t["kept"])
        assert abs(float(o["working_mean"]) - float(t["working"])) < 1e-9
        assert abs(float(o["A_mean"]) - float(t["A"])) < 1e-9
        assert abs(float(o["B_mean"]) - float(t["B"])) < 1e-9
        assert float(o["rounds_mean"]) == float(t["rounds"])
        collapsed += float(o["working_mean"]) < 0.01
        survived += float(o["working_mean"]) > 0.3
    assert collapsed >= 8 and survived >= 5  # both sides of the transition are compared


def test_sweep_order_errors(coupled, tmp_path):
    bad = tmp_path / "order.txt"
    bad.write_text("A1\nA2\nnot-a-node\n")
    p = sim("sweep", str(coupled), "--layer", "A", "--order", str(bad), "--out", str(tmp_path / "o"))
    assert p.returncode == 1
    assert "order.txt:3: no node not-a-node" in p.stderr
    bad.write_text("A1\nA2\n")
    p = sim("sweep", str(coupled), "--layer", "A", "--order", str(bad), "--out", str(tmp_path / "o"))
    assert p.returncode == 1
    assert "removal order has 2 nodes" in p.stderr
    p = sim("sweep", str(coupled), "--layer", "Z", "--out", str(tmp_path / "o"))
    assert p.returncode == 1
    assert "no layer Z" in p.stderr


def test_bad_model_names_file_and_line(tmp_path):
    d = tmp_path / "m"
    d.mkdir()
    (d / "nodes.csv").write_text("id,layer,source\na,g,1\nb,g,0\n")
    (d / "edges.csv").write_text("type,from,to\nlink,a,b\ndep,a,zz\n")
    p = sim("rank", str(d), "--out", str(tmp_path / "o"))
    assert p.returncode == 1
    assert "edges.csv:3" in p.stderr
    p = sim("sweep", str(tmp_path / "missing.json"), "--out", str(tmp_path / "o"))
    assert p.returncode == 1
    assert "missing.json" in p.stderr


def test_rank_by_hand(tmp_path):
    d = tmp_path / "m"
    d.mkdir()
    (d / "nodes.csv").write_text(
        "id,name,layer,source,weight\nP,発電所,g,1,0\nS1,,g,0,1\nS2,,g,0,1\nH,病院,,0,100\n")
    (d / "edges.csv").write_text(
        "type,from,to,kind,buffer_hours,group,need\nlink,P,S1,,,,\nlink,S1,S2,,,,\n"
        "dep,S1,H,power,72,power,1\ndep,S2,H,power,72,power,1\n")
    out = tmp_path / "o"
    p = sim("rank", str(d), "--out", str(out), check=True)
    assert "発電所" in p.stdout
    rows = read_csv(out / "rank.csv")
    assert [(r["id"], float(r["damage"])) for r in rows] == [
        ("P", 102.0), ("S1", 102.0), ("H", 100.0), ("S2", 1.0)]  # S1 cuts S2 off: H has neither
    doc = json.loads((out / "rank.json").read_text())
    assert doc["exhaustive"] is True and doc["ranked"][0]["share"] == pytest.approx(102 / 102)
    root = ET.parse(str(out / "rank.svg")).getroot()
    assert root.tag == SVG_NS + "svg"


def test_out_dir_cannot_be_made(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    p = sim("sweep", "--generate", "er:500:3", "--out", str(blocker / "sub"))
    assert p.returncode == 1
    assert "cannot make directory" in p.stderr
