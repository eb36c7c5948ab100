"""`ceptoar sim iim` and `ceptoar sim diim` on the command line: help, exit
statuses (0 done, 1 refused file or model, 2 usage), errors that name the file,
line and column, the files written into --out (JSON, CSV, SVG that parses as
XML), the illustrative label of the default matrix, and results checked
against hand computations and against each other (the DIIM settles at the
static solution). No server is needed."""

import csv
import io
import json
import math
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from apilib import run_cli

SVG_NS = "{http://www.w3.org/2000/svg}"


def sim(*args, check=False):
    return run_cli(["sim"] + list(args), check=check)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def parse_svg(path):
    root = ET.parse(str(path)).getroot()
    assert root.tag == SVG_NS + "svg"
    assert root.get("viewBox")
    if shutil.which("xmllint"):
        subprocess.run(["xmllint", "--noout", str(path)], check=True)
    return root


# ---- help and usage ----------------------------------------------------------

@pytest.mark.parametrize("args,words", [
    ([], ["iim", "diim"]),
    (["iim"], ["--matrix", "--table", "--perturbation", "--c", "--out", "--json", "ILLUSTRATIVE",
               "spectral radius", "z_ij / x_i"]),
    (["diim"], ["--steps", "--step-hours", "--k", "--recovery", "--q0", "--output-hours",
                "timeline.csv", "ln(100)"]),
])
def test_help(args, words):
    p = sim(*(args + ["--help"]))
    assert p.returncode == 0, p
    for w in words:
        assert w in p.stdout, "sim %s --help lacks %s" % (" ".join(args), w)


@pytest.mark.parametrize("args,says", [
    (["iim", "--bogus"], "unknown option"),
    (["iim", "extra"], "unexpected argument"),
    (["iim", "--matrix", "a.csv", "--table", "b.csv"], "not both"),
    (["iim", "--perturbation", "electricity"], "SECTOR=VALUE"),
    (["iim", "--perturbation", "nuclear=0.5"], "unknown sector \"nuclear\""),
    (["iim", "--perturbation", "electricity=1.5"], "from 0 to 1"),
    (["iim", "--perturbation", "electricity=0.5@0-24"], "sim diim"),
    (["iim", "--steps", "10"], "--steps does not apply to iim"),
    (["iim", "--perturbation", "gas=0.1", "--c", "c.csv"], "not both"),
    (["diim", "--steps", "0"], "--steps"),
    (["diim", "--steps", "1.5"], "whole number"),
    (["diim", "--steps", "many"], "--steps"),
    (["diim", "--step-hours", "0"], "--step-hours"),
    (["diim", "--perturbation", "gas=0.5@24-12"], "FROM < TO"),
    (["diim", "--recovery", "gas=-3"], "--recovery"),
    (["diim", "--q0", "gas=2"], "--q0"),
    (["diim", "--k", "k.csv", "--recovery", "gas=24"], "not both"),
])
def test_usage_errors_exit_2(args, says):
    p = sim(*args)
    assert p.returncode == 2, p
    assert says in p.stderr, p.stderr
    assert "--help" in p.stderr


def test_unknown_action():
    p = sim("frobnicate")
    assert p.returncode == 2 and "unknown action" in p.stderr


# ---- bad files ---------------------------------------------------------------

def test_missing_file(tmp_path):
    missing = str(tmp_path / "nope.csv")
    p = sim("iim", "--matrix", missing)
    assert p.returncode == 1, p
    assert missing in p.stderr and "cannot open" in p.stderr


@pytest.mark.parametrize("text,where", [
    (",a,b\na,0.1,zero\nb,0,0\n", "line 2, column 3 (b): \"zero\" is not a number"),
    (",a,b\na,0.1,0\n\nb,0,-0.2\n", "line 4, column 3 (b): -0.2 is negative"),
    (",a,b\nb,0,0\na,0,0\n", "line 2, column 1"),
    (",a,b\na,0,\"0\nb,0,0\n", "line 2: unterminated quoted field"),
    (",a,b\na,0,0\n", "the file ends after 1 of 2"),
])
def test_malformed_matrix_names_line(tmp_path, text, where):
    path = write(tmp_path / "m.csv", text)
    p = sim("iim", "--matrix", path)
    assert p.returncode == 1, p
    assert path in p.stderr and where in p.stderr, p.stderr


def test_table_needs_output_column(tmp_path):
    path = write(tmp_path / "t.csv", ",a,b\na,1,2\nb,3,4\n")
    p = sim("iim", "--table", path)
    assert p.returncode == 1
    assert "line 1, column 3: the last column must be \"output\"" in p.stderr


def test_spectral_radius_at_least_one_refused(tmp_path):
    path = write(tmp_path / "m.csv", ",a,b\na,0.5,0.5\nb,0.5,0.5\n")
    p = sim("iim", "--matrix", path, "--perturbation", "a=0.1")
    assert p.returncode == 1, p
    assert "spectral radius of A* is >= 1" in p.stderr and path in p.stderr
    # the dynamic model refuses it too
    p = sim("diim", "--matrix", path, "--recovery", "*=24")
    assert p.returncode == 1 and "spectral radius" in p.stderr


def test_bad_perturbation_file_names_line(tmp_path):
    path = write(tmp_path / "c.csv", "hour,electricity\n0,0.5\n24,7\n")
    p = sim("diim", "--c", path)
    assert p.returncode == 1
    assert path in p.stderr and "line 3, column 2 (electricity): c* 7 is outside [0, 1]" in p.stderr


def test_imported_matrix_needs_recovery_times(tmp_path):
    path = write(tmp_path / "m.csv", ",a,b\na,0.1,0.2\nb,0.3,0\n")
    p = sim("diim", "--matrix", path)
    assert p.returncode == 2 and "recovery" in p.stderr
    p = sim("diim", "--matrix", path, "--recovery", "a=24")
    assert p.returncode == 2 and "sector b has no recovery time" in p.stderr
    p = sim("diim", "--matrix", path, "--recovery", "a=24", "--recovery", "*=48", "--steps", "10")
    assert p.returncode == 0, p


# ---- results -----------------------------------------------------------------

def test_iim_default_table_says_illustrative():
    p = sim("iim", "--perturbation", "electricity=0.3")
    assert p.returncode == 0, p
    assert "ILLUSTRATIVE" in p.stdout
    rows = {line.split()[0]: line.split() for line in p.stdout.splitlines()[3:13]}
    assert set(rows) == {"info-comm", "finance", "aviation", "railway", "electricity", "gas",
                         "government", "medical", "water", "logistics"}
    assert float(rows["electricity"][1]) == 0.3
    assert all(float(r[2]) > 0 for r in rows.values())  # every sector is reached


def test_iim_out_files(tmp_path):
    out = tmp_path / "res"
    p = sim("iim", "--perturbation", "electricity=0.3", "--perturbation", "water=0.1",
            "--out", str(out))
    assert p.returncode == 0, p
    doc = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert doc["illustrative"] is True
    assert "ILLUSTRATIVE" in doc["model"]["source"]
    assert 0 < doc["spectral_radius"]["lower"] <= doc["spectral_radius"]["upper"] < 1
    by_id = {s["id"]: s for s in doc["sectors"]}
    assert by_id["electricity"]["c"] == 0.3 and by_id["electricity"]["name"] == "電力"
    assert by_id["electricity"]["q"] > 0.3
    assert abs(doc["total_loss"] - sum(s["loss"] for s in doc["sectors"])) < 1e-6
    rows = list(csv.DictReader(io.StringIO((out / "result.csv").read_text(encoding="utf-8"))))
    assert [r["sector"] for r in rows] == [s["id"] for s in doc["sectors"]]
    assert abs(float(rows[4]["q"]) - by_id["electricity"]["q"]) < 1e-8
    root = parse_svg(out / "result.svg")
    texts = "".join(t.text or "" for t in root.iter(SVG_NS + "text"))
    assert "電力 (electricity)" in texts and "ILLUSTRATIVE" in texts


def test_iim_table_by_hand(tmp_path):
    # rows supply, columns use: A* = [[20/200, 30/200], [10/400, 0]]
    path = write(tmp_path / "t.csv", "sector,a,b,output\na,20,30,200\nb,10,0,400\n")
    p = sim("iim", "--table", path, "--perturbation", "a=0.1", "--json")
    assert p.returncode == 0, p
    doc = json.loads(p.stdout)
    assert doc["illustrative"] is False and "source" not in doc["model"]
    q = {s["id"]: s["q"] for s in doc["sectors"]}
    # q_a = 0.1 q_a + 0.15 q_b + 0.1, q_b = 0.025 q_a
    qa = 0.1 / (1 - 0.1 - 0.15 * 0.025)
    assert abs(q["a"] - qa) < 1e-12 and abs(q["b"] - 0.025 * qa) < 1e-12
    loss = {s["id"]: s["loss"] for s in doc["sectors"]}
    assert abs(loss["a"] - 200 * qa) < 1e-9


def test_iim_c_file(tmp_path):
    c = write(tmp_path / "c.csv", "water,electricity\n0.1,0.3\n")
    a = json.loads(sim("iim", "--c", c, "--json", check=True).stdout)
    b = json.loads(sim("iim", "--perturbation", "electricity=0.3", "--perturbation", "water=0.1",
                       "--json", check=True).stdout)
    assert a == b


def test_diim_out_files(tmp_path):
    out = tmp_path / "run"
    p = sim("diim", "--perturbation", "electricity=0.5@0-24", "--steps", "96", "--out", str(out))
    assert p.returncode == 0, p
    for name in ("result.json", "timeline.csv", "timeline.svg"):
        assert str(out / name) in p.stdout
    doc = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert doc["illustrative"] is True and doc["steps"] == 96 and doc["step_hours"] == 1
    el = next(s for s in doc["sectors"] if s["id"] == "electricity")
    assert el["peak_hour"] == 24 and el["q_peak"] > 0.4 and el["q_end"] < el["q_peak"]
    q = doc["timeline"]["q"]["electricity"]
    assert len(q) == 97 and len(doc["timeline"]["hour"]) == 97
    # the trapezoid of the timeline is the reported impact
    area = sum((q[t] + q[t + 1]) / 2 for t in range(96))
    assert abs(area - el["impact_hours"]) < 1e-6
    assert len(doc["timeline"]["loss"]["electricity"]) == 96
    rows = list(csv.reader(io.StringIO((out / "timeline.csv").read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["step", "hour", "info-comm"] and len(rows) == 98
    assert abs(float(rows[25][rows[0].index("electricity")]) - q[24]) < 1e-8
    root = parse_svg(out / "timeline.svg")
    assert len(root.findall(".//" + SVG_NS + "polyline")) == 10


def test_diim_settles_at_static_solution():
    iim = json.loads(sim("iim", "--perturbation", "gas=0.4", "--json", check=True).stdout)
    diim = json.loads(sim("diim", "--perturbation", "gas=0.4", "--steps", "6000", "--json",
                          check=True).stdout)
    for s, d in zip(iim["sectors"], diim["sectors"]):
        assert s["id"] == d["id"]
        assert abs(s["q"] - d["q_end"]) < 1e-9, (s, d)


def test_diim_recovery_and_k_file(tmp_path):
    # one decoupled sector: q(t) = q0 (1 - k dt)^t, with k from the recovery time
    m = write(tmp_path / "m.csv", ",a\na,0\n")
    doc = json.loads(sim("diim", "--matrix", m, "--q0", "a=0.8", "--recovery", "a=48",
                         "--steps", "48", "--json", check=True).stdout)
    k = math.log(100) / 48
    assert abs(doc["sectors"][0]["k"] - k) < 1e-15
    assert abs(doc["timeline"]["q"]["a"][48] - 0.8 * (1 - k) ** 48) < 1e-12
    kf = write(tmp_path / "k.csv", "a\n0.5\n")
    doc = json.loads(sim("diim", "--matrix", m, "--q0", "a=1", "--k", kf, "--steps", "2",
                         "--json", check=True).stdout)
    assert doc["timeline"]["q"]["a"] == [1, 0.5, 0.25]
    assert doc["sectors"][0]["impact_hours"] == 1.125
    bad = write(tmp_path / "k2.csv", "a\n3\n")  # k (1 - a) dt > 1 overshoots
    p = sim("diim", "--matrix", m, "--k", bad)
    assert p.returncode == 1 and "k of a is 3" in p.stderr


def test_outputs_deterministic(tmp_path):
    for d in ("one", "two"):
        sim("diim", "--perturbation", "info-comm=0.6@0-12", "--steps", "48",
            "--out", str(tmp_path / d), check=True)
    for name in ("result.json", "timeline.csv", "timeline.svg"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_out_dir_cannot_be_made(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    p = sim("iim", "--out", str(blocker / "sub"))
    assert p.returncode == 1 and "cannot make the directory" in p.stderr
    # what is in the way, named as such (not "File exists")
    assert "%s is there and is not a directory" % blocker in p.stderr, p.stderr
    p = sim("iim", "--out", str(blocker))
    assert p.returncode == 1 and "%s is there and is not a directory" % blocker in p.stderr, p.stderr


def test_out_makes_missing_parents_and_refuses_a_file(tmp_path):
    deep = tmp_path / "a" / "b" / "c"
    p = sim("iim", "--perturbation", "electricity=0.5", "--out", str(deep))
    assert p.returncode == 0, p.stderr
    assert sorted(x.name for x in deep.iterdir()) == ["result.csv", "result.json", "result.svg"]
    assert not list(deep.glob("*.tmp"))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    p = sim("iim", "--perturbation", "electricity=0.5", "--out", str(blocker / "out"))
    assert p.returncode == 1 and "cannot make the directory" in p.stderr, p.stderr
