"""bench/ab/run.sh, which compares two builds of the static cascade or of
the simulator in one process: it builds both, runs them both ways round on
the same model and reports the ratio of their times; it refuses what it does
not know. (Not an API test: it is here because this suite runs the project's
commands on real files.)"""

import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CEPTOAR_BIN", os.path.join(ROOT, "build", "ceptoar"))
TOOL = os.path.join(ROOT, "bench", "ab", "run.sh")


def ab(*args):
    return subprocess.run([TOOL, *args], cwd=ROOT, capture_output=True, text=True, timeout=900)


def generate(out, *args):
    subprocess.run([BIN, "sim", "generate", *args, "--out", out], check=True,
                   capture_output=True)


def reported(p):
    """The runs' lines and the average line of a successful comparison."""
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    runs = [x for x in lines if re.match(r"a [0-9.]+ s +b [0-9.]+ s +b/a [0-9.]+ ", x)]
    return runs, lines[-1]


def test_cascade_builds_compared_both_ways_round(tmp_path):
    model = str(tmp_path / "coupled")
    generate(model, "coupled", "--nodes", "3000", "--degree", "4", "--seed", "3", "--order", "A")
    runs, last = reported(ab("cascade", "WORKTREE", "WORKTREE", "--model", model,
                             "--rounds", "1", "--reps", "1"))
    assert len(runs) == 2
    assert runs[0].endswith("(a first)") and runs[1].endswith("(b first)")
    assert re.fullmatch(r"b/a on average: [0-9.]+ over 2 runs", last)


def test_simulator_builds_compared_on_a_template(tmp_path):
    model = str(tmp_path / "japan")
    generate(model, "japan", "--scale", "0.1", "--seed", "2")
    runs, last = reported(ab("sim", "WORKTREE", "WORKTREE", "--model", model, "--trials", "3",
                             "--rounds", "1", "--scenario", "compound"))
    assert len(runs) == 2 and all("(3 trials each" in x for x in runs)
    assert re.fullmatch(r"b/a on average: [0-9.]+ over 2 runs", last)


def test_help_on_stdout():
    p = ab("--help")
    assert p.returncode == 0 and p.stdout.startswith("Usage: bench/ab/run.sh cascade|sim")


def test_refuses_an_unknown_kind_or_option():
    p = ab("graph", "HEAD", "HEAD")
    assert p.returncode == 2 and "Usage: bench/ab/run.sh cascade|sim" in p.stderr
    p = ab("cascade", "HEAD", "HEAD", "--points", "3")
    assert p.returncode == 2 and "unknown option --points" in p.stderr


def test_a_model_without_its_removal_order_is_refused(tmp_path):
    model = str(tmp_path / "no-order")
    generate(model, "coupled", "--nodes", "500", "--degree", "4", "--seed", "3")
    p = ab("cascade", "WORKTREE", "WORKTREE", "--model", model, "--rounds", "1", "--reps", "1")
    assert p.returncode != 0
    assert "order.txt" in p.stderr
