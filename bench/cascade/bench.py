#!/usr/bin/python3
"""Benchmarks of the static cascade (issue targets in brackets):

  sweep    two Erdős–Rényi layers of N nodes each (default 10^6), mean degree
           4, coupled one-to-one; a sweep of 50 kept fractions, one trial, on
           2 threads [< 10 s]
  round    the cascade's time per round (the best of 3 one-thread sweeps)
           against one streaming pass over a uint32 array of 2|E| entries
           (the best of 7 after each sweep), the memory-bandwidth bound: a
           vectorised sum, checked slower than from the cache [within 3x]
  peer     bench/cascade/peer_networkx.py, the same model and algorithm in
           Python/NetworkX, on the same files and the same removal order, at
           10^5 nodes per layer (50 points) and at 10^6 (fewer points): the
           ratio of the sweeps' times [>= 50x], and that both give the same
           fractions and rounds at every point
  mc       the japan preset at about 10^6 nodes / 10^7 edges: Monte Carlo
           trials of a wide-area blackout (`sim run --scenario blackout`)
           [1,000 trials < 60 s]; and a few trials on one thread
  work     a failed node's cost on one thread at scale 25 and at a scale
           whose model and workspace stay in the core's cache (0.05: 5,400
           nodes): the second is the trial's work alone, the difference its
           waits on memory
  latency  the machine's random reads (bench/cascade/latency.c: a chain of
           dependent loads over 256 KiB, 4 MiB and 64 MiB), at the start and
           at the end: how the machine treats the engine's reads at random
           places, beside the streaming pass's bandwidth

Times of the sweeps exclude reading the model (both sides report them apart);
the wall time of each command is given as well. Prints Markdown.
Usage: bench.py BIN  (environment: BENCH_CASCADE_NODES, BENCH_PEER_NODES,
BENCH_PEER_BIG_POINTS (0 skips the peer at full size), BENCH_PEER_TIMEOUT,
BENCH_MC_TRIALS (0 skips), BENCH_MC_ONE (trials on one thread, 0 skips),
BENCH_MC_SCALE, BENCH_THREADS)"""

import csv
import io
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

BIN = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
BIG = int(os.environ.get("BENCH_CASCADE_NODES", "1000000"))
SMALL = int(os.environ.get("BENCH_PEER_NODES", "100000"))
PEER_BIG_POINTS = int(os.environ.get("BENCH_PEER_BIG_POINTS", "5"))
PEER_TIMEOUT = int(os.environ.get("BENCH_PEER_TIMEOUT", "1800"))
MC_TRIALS = int(os.environ.get("BENCH_MC_TRIALS", "1000"))
MC_ONE = int(os.environ.get("BENCH_MC_ONE", "20"))
MC_SCALE = os.environ.get("BENCH_MC_SCALE", "25")
SMALL_SCALE = "0.05"
SMALL_TRIALS = 4000
THREADS = os.environ.get("BENCH_THREADS", "2")
POINTS = 50
ROUND_RUNS = 3


def log(msg):
    sys.stderr.write("bench/cascade: %s\n" % msg)
    sys.stderr.flush()


def run(args, timeout=None):
    t = time.perf_counter()
    p = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit("bench/cascade: %s failed (%d):\n%s" % (" ".join(args), p.returncode, p.stderr))
    return p, wall


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return "%s %s; nproc %d; %s; %.0f GiB" % (platform.system(), platform.release(),
                                             os.cpu_count(), cpu, mem)


def latency(prog):
    """'256 KiB 9.0 ns, 4 MiB 140 ns, ...' from latency.c's "KIB:NS ..." line."""
    p, _ = run([prog])
    out = []
    for item in p.stdout.split():
        kib, ns = item.split(":")
        size = "%d MiB" % (int(kib) // 1024) if int(kib) >= 1024 else "%s KiB" % kib
        out.append("%s %s ns" % (size, ns))
    return ", ".join(out)


def mc_trials(jp, work, name, trials, threads):
    """Seconds of `trials` Monte Carlo trials (a run of 2 taken off, which
    reads the model too) and the run's result."""
    _, w2 = run([BIN, "sim", "run", jp, "--scenario", "blackout", "--trials", "2",
                 "--threads", threads, "--out", os.path.join(work, name + "-2")])
    _, wn = run([BIN, "sim", "run", jp, "--scenario", "blackout", "--trials", str(trials),
                 "--threads", threads, "--out", os.path.join(work, name)])
    with open(os.path.join(work, name, "result.json")) as f:
        doc = json.load(f)
    return max(wn - w2, 0) * trials / max(trials - 2, 1), wn, doc


def generate(work, name, *args):
    out = os.path.join(work, name)
    p, wall = run([BIN, "sim", "generate"] + list(args) + ["--out", out])
    m = re.search(r"(\d+) nodes, (\d+) dependencies, (\d+) links", p.stdout)
    return out, int(m.group(1)), int(m.group(2)) + int(m.group(3)), wall


def sweep(model, out, points, threads):
    _, wall = run([BIN, "sim", "sweep", model, "--layer", "A", "--order",
                   os.path.join(model, "order.txt"), "--points", str(points), "--threads",
                   str(threads), "--out", out])
    with open(os.path.join(out, "sweep.json")) as f:
        doc = json.load(f)
    with open(os.path.join(out, "sweep.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    return doc, rows, wall


def peer(model, points):
    _, wall = None, None
    t = time.perf_counter()
    p = subprocess.run([sys.executable, os.path.join(HERE, "peer_networkx.py"), model,
                        "--points", str(points)], capture_output=True, text=True,
                       timeout=PEER_TIMEOUT)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit("bench/cascade: the peer failed:\n" + p.stderr)
    m = re.search(r"load ([0-9.]+) s, sweep ([0-9.]+) s", p.stderr)
    return list(csv.DictReader(io.StringIO(p.stdout))), float(m.group(2)), wall


def agree(ours, theirs):
    """(points compared, largest difference of a fraction, rounds all equal)."""
    worst, rounds = 0.0, True
    for o, t in zip(ours, theirs):
        if int(o["kept"]) != int(t["kept"]):
            return len(ours), float("inf"), False
        for a, b in (("working_mean", "working"), ("A_mean", "A"), ("B_mean", "B")):
            worst = max(worst, abs(float(o[a]) - float(t[b])))
        rounds &= float(o["rounds_mean"]) == float(t["rounds"])
    return min(len(ours), len(theirs)), worst, rounds


def met(ok):
    return "met" if ok else "**not met**"


def main():
    rows = []
    work = tempfile.mkdtemp(prefix="ceptoar-cascade-")
    stream = os.path.join(work, "stream")
    # -O3: the sum vectorised, bound by memory rather than by its adds (stream.c)
    subprocess.run(["cc", "-O3", "-o", stream, os.path.join(HERE, "stream.c")], check=True)
    lat = os.path.join(work, "latency")
    subprocess.run(["cc", "-O2", "-o", lat, os.path.join(HERE, "latency.c")], check=True)
    lat_start = latency(lat)

    log("generating two coupled layers of %d nodes" % BIG)
    big, big_nodes, big_edges, gen_wall = generate(work, "big", "coupled", "--nodes", str(BIG),
                                                   "--degree", "4", "--seed", "1", "--order", "A")
    log("sweeping (%s threads, then 1)" % THREADS)
    doc2, rows2, wall2 = sweep(big, os.path.join(work, "sw2"), POINTS, THREADS)
    # the time per round is taken as the best of ROUND_RUNS one-thread sweeps
    # and compared with the best streaming pass, like for like: 7 passes
    # after each sweep, so that a moment when the machine's memory is slower
    # (a shared machine's neighbours) weighs on neither side alone
    log("one-thread sweeps, each followed by streaming passes over 2|E| = %d entries"
        % (2 * big_edges))
    ones, passes, cached = [], [], []
    for k in range(ROUND_RUNS):
        ones.append(sweep(big, os.path.join(work, "sw1-%d" % k), POINTS, 1))
        p, _ = run([stream, str(2 * big_edges)])
        passes.append(float(p.stdout))
        cached.append(float(re.search(r"\(([0-9.]+)x\)", p.stderr).group(1)))
    doc1, rows1, wall1 = min(ones, key=lambda x: x[0]["timing"]["seconds_per_round"])
    per_rounds = sorted(x[0]["timing"]["seconds_per_round"] for x in ones)
    same_threads = all(x[1] == rows2 for x in ones)
    t2, t1 = doc2["timing"], doc1["timing"]
    stream_s = min(passes)
    per_round = t1["seconds_per_round"]
    first = t1["first_round_seconds"] / POINTS
    rows.append("| sweep: 2 x %s nodes, mean degree 4, one-to-one, 50 points x 1 trial, "
                "%s threads | %.2f s (command with reading the model: %.2f s) | | | < 10 s: %s |"
                % (f"{BIG:,}", THREADS, t2["wall_seconds"], wall2, met(t2["wall_seconds"] < 10)))
    rows.append("| the same sweep, 1 thread | %.2f s (%d rounds, %d layers relabelled whole; "
                "results identical to %s threads: %s) | | | |"
                % (t1["wall_seconds"], t1["rounds"], t1["whole_relabels"], THREADS,
                   "yes" if same_threads else "**no**"))
    rows.append("| time per round (1 thread, best of %d sweeps: %s ms) against one streaming "
                "pass over 2\\|E\\| = %s uint32 (best of 7 after each sweep: %s ms; bound by "
                "memory: %s times slower an entry than from the cache) | mean "
                "%.1f ms = %.1fx; first round of a point %.1f ms = %.1fx | | | within 3x: %s |"
                % (ROUND_RUNS, " / ".join("%.1f" % (x * 1e3) for x in per_rounds),
                   f"{2 * big_edges:,}", " / ".join("%.1f" % (x * 1e3) for x in sorted(passes)),
                   " / ".join("%.1f" % x for x in cached), per_round * 1e3,
                   per_round / stream_s, first * 1e3, first / stream_s,
                   met(per_round <= 3 * stream_s)))

    log("the peer at %d nodes per layer" % SMALL)
    small = generate(work, "small", "coupled", "--nodes", str(SMALL), "--degree", "4", "--seed",
                     "2", "--order", "A")[0]
    s1, srows, _ = sweep(small, os.path.join(work, "ssw1"), POINTS, 1)
    s2, _, _ = sweep(small, os.path.join(work, "ssw2"), POINTS, THREADS)
    prow, peer_s, peer_wall = peer(small, POINTS)
    n, worst, rounds = agree(srows, prow)
    ratio1 = peer_s / s1["timing"]["wall_seconds"]
    ratio2 = peer_s / s2["timing"]["wall_seconds"]
    rows.append("| peer: 2 x %s nodes, 50 points | ceptoar %.3f s (1 thread), %.3f s (%s "
                "threads) | NetworkX %.1f s (command %.1f s) | %.0fx (1 thread), %.0fx (%s) | "
                ">= 50x: %s |"
                % (f"{SMALL:,}", s1["timing"]["wall_seconds"], s2["timing"]["wall_seconds"],
                   THREADS, peer_s, peer_wall, ratio1, ratio2, THREADS, met(ratio1 >= 50)))
    rows.append("| same results at 2 x %s nodes | %d points: largest difference of a working "
                "fraction %.1g; rounds equal: %s | | | |"
                % (f"{SMALL:,}", n, worst, "yes" if rounds else "**no**"))
    if PEER_BIG_POINTS > 0:
        log("the peer at %d nodes per layer, %d points (minutes)" % (BIG, PEER_BIG_POINTS))
        b1, brows, _ = sweep(big, os.path.join(work, "bsw"), PEER_BIG_POINTS, 1)
        try:
            prow, peer_s, peer_wall = peer(big, PEER_BIG_POINTS)
            n, worst, rounds = agree(brows, prow)
            ratio = peer_s / b1["timing"]["wall_seconds"]
            rows.append("| peer: 2 x %s nodes, %d points | ceptoar %.2f s (1 thread) | NetworkX "
                        "%.1f s (command %.1f s) | %.0fx | >= 50x: %s |"
                        % (f"{BIG:,}", PEER_BIG_POINTS, b1["timing"]["wall_seconds"], peer_s,
                           peer_wall, ratio, met(ratio >= 50)))
            rows.append("| same results at 2 x %s nodes | %d points: largest difference %.1g; "
                        "rounds equal: %s | | | |"
                        % (f"{BIG:,}", n, worst, "yes" if rounds else "**no**"))
        except subprocess.TimeoutExpired:
            rows.append("| peer: 2 x %s nodes, %d points | ceptoar %.2f s | NetworkX: not "
                        "finished in %d s | > %.0fx | |"
                        % (f"{BIG:,}", PEER_BIG_POINTS, b1["timing"]["wall_seconds"],
                           PEER_TIMEOUT, PEER_TIMEOUT / b1["timing"]["wall_seconds"]))

    if MC_TRIALS > 0:
        log("the japan preset at scale %s, %d Monte Carlo trials of a blackout (minutes)"
            % (MC_SCALE, MC_TRIALS))
        jp, jn, je, jgen = generate(work, "japan", "japan", "--scale", MC_SCALE)
        trials_s, wn, mc = mc_trials(jp, work, "mcn", MC_TRIALS, THREADS)
        rows.append("| japan preset (scale %s: %s nodes, %s edges, generated in %.1f s): %d "
                    "trials of a Kanto blackout (%s threads) | %.1f s for the trials (command "
                    "%.1f s, reading the model included); %.0f ms a trial | | | 1,000 trials "
                    "< 60 s: %s |"
                    % (MC_SCALE, f"{jn:,}", f"{je:,}", jgen, MC_TRIALS, THREADS, trials_s, wn,
                       1e3 * trials_s / MC_TRIALS,
                       met(trials_s * 1000 / MC_TRIALS < 60)))
        rows.append("| (that blackout) | %s nodes failed on average; lowest mean working "
                    "fraction %.3f at hour %.1f | | | |"
                    % (f"{mc['mean_failed_nodes']:,.0f}", mc["lowest_mean_working_fraction"],
                       mc["lowest_at_hours"]))
        if MC_ONE > 2:
            log("%d of those trials on one thread" % MC_ONE)
            one_s = mc_trials(jp, work, "mc1", MC_ONE, "1")[0]
            # no ratio to the run on two threads: minutes apart on a shared
            # machine, the two can differ by more than the second thread adds
            rows.append("| the same, 1 thread, %d trials | %.0f ms a trial | | | |"
                        % (MC_ONE, 1e3 * one_s / MC_ONE))
            log("the same scenario at scale %s on one thread" % SMALL_SCALE)
            sp, sn = generate(work, "japan-small", "japan", "--scale", SMALL_SCALE)[:2]
            small_s, _, small = mc_trials(sp, work, "mcs", SMALL_TRIALS, "1")
            big_ns = 1e9 * one_s / MC_ONE / mc["mean_failed_nodes"]
            small_ns = 1e9 * small_s / SMALL_TRIALS / small["mean_failed_nodes"]
            rows.append("| a failed node's cost, 1 thread (its failure, return, buffers, layers "
                        "and leaves) | scale %s: %.0f ns; scale %s (%s nodes, model and workspace "
                        "in the core's cache; %d trials, %s nodes failed on average): %.0f ns "
                        "(%.2f of it) | | | |"
                        % (MC_SCALE, big_ns, SMALL_SCALE, f"{sn:,}", SMALL_TRIALS,
                           f"{small['mean_failed_nodes']:,.0f}", small_ns, small_ns / big_ns))

    print("## Static cascade, sweeps, the NetworkX peer, the japan preset\n")
    print("Machine: %s. A random read (latency.c, dependent loads) takes %s at the "
          "start, %s at the end.\n" % (machine(), lat_start, latency(lat)))
    print("| measure | ceptoar | peer | ratio | target |\n|---|---|---|---|---|")
    for r in rows:
        print(r)
    print("\nThe sweep's times are its own (`timing.wall_seconds` of sweep.json; the peer's "
          "from its own clock), without reading the model; the removal order is the same "
          "file on both sides (`sim generate --order A`).")
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
