#!/usr/bin/python3
"""The peer of ceptoar's static cascade: the same model and the same algorithm,
written the way one would with NetworkX, on the same input files.

Input: a model as nodes.csv + edges.csv (the shared model format that
`ceptoar sim generate` writes and ceptoar loads) and a removal ranking
(order.txt: the ids of the targeted nodes, one a line; the point of kept
fraction p keeps the first floor(p*n + 0.5) of them and removes the rest).

Algorithm (identical to ceptoar's cascade.c, so both give the same numbers):
  baseline  from the intact model, run the rounds below once: what does not
            work even when nothing has failed stays failed;
  removal   the removed nodes fail;
  rounds    the dependency closure (a node fails when one of its redundancy
            groups has fewer working suppliers than it needs, repeated until
            nothing changes), then one connectivity pass over every layer
            (connected components of the working nodes of the layer; in a layer
            with sources, a component without a working source fails; in a layer
            without sources every component but the largest fails, ties going
            to the component holding the node that comes first in nodes.csv);
            repeat until a pass fails nothing. The number of passes is the
            number of rounds.

Output (stdout): CSV point,p,kept,rounds,working,<layer>... with working
fractions of all nodes and of each layer's nodes; stderr: timings.
Usage: peer_networkx.py DIR --points P [--p-min A] [--p-max B] [--order FILE]
"""

import argparse
import csv
import math
import os
import sys
import time

import networkx as nx


def load(d):
    ids, layer, source = [], [], []
    with open(os.path.join(d, "nodes.csv"), newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        for row in r:
            ids.append(row["id"])
            layer.append(row.get("layer", "") or "")
            source.append(row.get("source", "0") == "1")
    index = {v: i for i, v in enumerate(ids)}
    graphs = {}
    for i, lay in enumerate(layer):
        if lay:
            graphs.setdefault(lay, nx.Graph()).add_node(i)
    # groups: (dependent, group name or unique key) -> [need, [suppliers]]
    groups = {}
    with open(os.path.join(d, "edges.csv"), newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        for n, row in enumerate(r):
            a, b = index[row["from"]], index[row["to"]]
            if row["type"] == "link":
                graphs[layer[a]].add_edge(a, b)
                continue
            g = row.get("group", "") or ""
            key = (b, g) if g else (b, "#%d" % n)
            need = int(row.get("need", "") or 1)
            groups.setdefault(key, [need, []])[1].append(a)
    # supplier -> list of group keys it serves
    serves = {}
    for key, (_, sups) in groups.items():
        for s in sups:
            serves.setdefault(s, []).append(key)
    return ids, index, layer, source, graphs, groups, serves


class Model:
    def __init__(self, d):
        (self.ids, self.index, self.layer, self.source, self.graphs, self.groups,
         self.serves) = load(d)
        self.has_sources = {lay: any(self.source[v] for v in g) for lay, g in self.graphs.items()}

    def cascade(self, alive, left, failed):
        """Run rounds from state (alive: set, left: group -> working suppliers)
        after the nodes in failed have just failed. Returns the rounds."""
        rounds = 0
        pending = list(failed)
        while True:
            # dependency closure
            while pending:
                v = pending.pop()
                for key in self.serves.get(v, ()):
                    left[key] -= 1
                    d = key[0]
                    if left[key] < self.groups[key][0] and d in alive:
                        alive.discard(d)
                        pending.append(d)
            # one connectivity pass over every layer
            rounds += 1
            cut = []
            for lay, g in self.graphs.items():
                sub = g.subgraph([v for v in g if v in alive])
                comps = list(nx.connected_components(sub))
                if self.has_sources[lay]:
                    cut.extend(v for c in comps if not any(self.source[u] for u in c) for v in c)
                elif comps:
                    best = max(comps, key=lambda c: (len(c), -min(c)))
                    cut.extend(v for c in comps if c is not best for v in c)
            if not cut:
                return rounds
            for v in cut:
                alive.discard(v)
            pending = cut

    def baseline(self):
        alive = set(range(len(self.ids)))
        left = {key: len(sups) for key, (_, sups) in self.groups.items()}
        self.cascade(alive, left, [])
        return alive, left


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--points", type=int, default=50)
    ap.add_argument("--p-min", type=float, default=0.0)
    ap.add_argument("--p-max", type=float, default=1.0)
    ap.add_argument("--order", default=None)
    a = ap.parse_args()
    t0 = time.perf_counter()
    m = Model(a.dir)
    with open(a.order or os.path.join(a.dir, "order.txt"), encoding="utf-8") as f:
        order = [m.index[line.rstrip("\n")] for line in f if line.strip()]
    t1 = time.perf_counter()
    base_alive, base_left = m.baseline()
    layers = sorted(m.graphs)
    size = {lay: len(m.graphs[lay]) for lay in layers}
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["point", "p", "kept", "rounds", "working"] + layers)
    n = len(order)
    for i in range(a.points):
        p = a.p_max if a.points == 1 else a.p_min + (a.p_max - a.p_min) * i / (a.points - 1)
        kept = min(n, math.floor(p * n + 0.5))
        alive = set(base_alive)
        left = dict(base_left)
        failed = [v for v in order[kept:] if v in alive]
        for v in failed:
            alive.discard(v)
        rounds = m.cascade(alive, left, failed)
        row = [i, repr(p), kept, rounds, "%.9f" % (len(alive) / len(m.ids))]
        for lay in layers:
            row.append("%.9f" % (sum(1 for v in m.graphs[lay] if v in alive) / size[lay]))
        out.writerow(row)
    t2 = time.perf_counter()
    sys.stderr.write("peer: load %.3f s, sweep %.3f s\n" % (t1 - t0, t2 - t1))


if __name__ == "__main__":
    main()
