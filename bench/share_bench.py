#!/usr/bin/python3
"""Benchmarks of the information-sharing system (issue targets in brackets):

  fanout   one alert to the 金融 CEPTOAR of 1,561 members, fan-out committed
           [< 100 ms]; peer: the same number of rows inserted by one SQL
           statement in one durable transaction on the same database
  writes   durable report writes/s with 16 concurrent clients [>= 2,000];
           peer: raw SQLite, one row and one durable commit per write
  gets     authenticated GET requests/s on a small endpoint [>= 20,000];
           peer: the same server's /healthz (no authentication, no database)
  big      with 1,000,000 reports and 10,000,000 deliveries: inbox and list
           p99 [< 50 ms], search p95 [< 100 ms]

Population: the reference registry plus 20,000 generated operators, 1,561 of
them members of bank-ceptoar as in seed 001. Load comes from wrk on the same
2-core machine, so the server gets what wrk leaves. Writes and GETs are
measured on a server that has first served ~40 other endpoints (WARM_PATHS),
as a server in use has. Writes the figures to
stdout as Markdown; bench/run.sh puts them in bench/RESULTS.md.
Usage: share_bench.py BIN [--quick] (quick: 100,000 reports, 1,000,000 deliveries)."""

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1]
QUICK = "--quick" in sys.argv
REPORTS = 100_000 if QUICK else 1_000_000
DELIVERIES = 1_000_000 if QUICK else 10_000_000
OPERATORS = 20_000
BANK_MEMBERS = 1_561
SECTORS = [("info-comm", "t-ceptoar"), ("aviation", "aviation-ceptoar"), ("railway", "railway-ceptoar"),
           ("electricity", "electricity-ceptoar"), ("gas", "gas-ceptoar"),
           ("government", "local-gov-ceptoar"), ("medical", "medical-ceptoar"),
           ("water", "water-ceptoar"), ("logistics", "logistics-ceptoar")]

work = tempfile.mkdtemp(prefix="ceptoar-bench-")
db = os.path.join(work, "bench.db")
env = {k: v for k, v in os.environ.items() if not k.startswith("CEPTOAR_")}


def cli(*args, stdin=None):
    return subprocess.run([BIN, "--db", db, *args], check=True, capture_output=True, text=True,
                          input=stdin, env=env).stdout


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Server:
    def __init__(self, level="warn", threads=4):
        self.port = free_port()
        self.log = os.path.join(work, "serve-%d.log" % self.port)
        self.proc = subprocess.Popen([BIN, "--db", db, "--log-level", level, "serve", "--listen",
                                      "127.0.0.1:%d" % self.port, "--threads", str(threads)],
                                     stdout=open(self.log, "w"), stderr=subprocess.STDOUT, env=env)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("server did not start:\n" + open(self.log).read())

    def url(self, path=""):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(30)


def wrk(url, token=None, script=None, seconds=10, conns=16):
    lua = os.path.join(work, "pct.lua")
    with open(lua, "w") as f:
        if script:
            f.write(script)
        f.write("\ndone = function(summary, latency, requests)\n"
                "  io.write(string.format('PCT %d %d %d %d\\n', latency:percentile(50),"
                " latency:percentile(95), latency:percentile(99), summary.requests))\nend\n")
    cmd = ["wrk", "-t2", "-c%d" % conns, "-d%ds" % seconds, "-s", lua]
    if token:
        cmd += ["-H", "Authorization: Bearer " + token]
    out = subprocess.run(cmd + [url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p50, p95, p99, n = map(int, re.search(r"PCT (\d+) (\d+) (\d+) (\d+)", out).groups())
    return {"rps": rps, "p50": p50 / 1000, "p95": p95 / 1000, "p99": p99 / 1000, "n": n,
            "errors": int(non2xx.group(1)) if non2xx else 0}


# What a server in use has served before: the other endpoints' statements, so
# that a measure does not see a handle that has only ever run its own (a
# handle keeps the statements it used last prepared; the first ones it ran
# do not keep its cache for ever).
WARM_PATHS = ["sectors", "ministries", "ceptoars", "agencies", "channels", "ceptoar-map", "threats",
              "orgs?limit=20", "users", "tokens", "me", "reports?limit=20", "alerts", "inbox",
              "incidents", "exercises", "exercises/templates", "drills", "drills/inbox",
              "drills/history", "plans", "plans/samples", "guideline", "guideline/coverage",
              "guideline/documents", "surveys", "surveys/trends", "statistics/it-failures",
              "council", "correlations", "notices", "keys", "audit", "analysis/models",
              "analysis/jobs", "sectors/finance", "ceptoars/bank-ceptoar"]


def warm(srv, tok, rounds=20):
    import concurrent.futures
    import urllib.error
    import urllib.request

    def get(path, t):
        req = urllib.request.Request(srv.url("/api/v1/" + path), headers={"Authorization": "Bearer " + t})
        try:
            urllib.request.urlopen(req, timeout=30).read()
        except urllib.error.HTTPError:
            pass  # a refusal (403) runs the access check's statements too

    with concurrent.futures.ThreadPoolExecutor(16) as ex:
        for f in [ex.submit(get, p, t) for _ in range(rounds) for p in WARM_PATHS
                  for t in (tok["op"], tok["nisc"])]:
            f.result()


def token_for(name, org, role):
    cli("user", "add", "--name", name, "--org", org, "--role", role)
    return cli("token", "issue", "--user", name, "--days", "30").strip()


def setup():
    cli("init", "--no-admin")
    rows = ["code,name_ja,name_en,sector,ceptoars,service_ja"]
    for i in range(OPERATORS):
        if i < BANK_MEMBERS:
            sector, cep = "finance", "bank-ceptoar"
        else:
            sector, cep = SECTORS[i % len(SECTORS)]
        rows.append("OP%05d,事業者%d,Operator %d,%s,%s,重要サービス" % (i, i, i, sector, cep))
    path = os.path.join(work, "ops.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    cli("org", "import", path)
    return {"nisc": token_for("bench-nisc", "nisc", "nisc"),
            "op": token_for("bench-op", "OP00000", "operator")}


def bench_fanout(tok):
    srv = Server(level="info")
    import urllib.request
    times = []
    for i in range(5):
        body = json.dumps({"severity": "high", "title_ja": "注意喚起 %d" % i, "body_ja": "本文",
                           "audience": {"ceptoars": ["bank-ceptoar"]}}).encode()
        req = urllib.request.Request(srv.url("/api/v1/alerts"), data=body, method="POST",
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Bearer " + tok["nisc"]})
        urllib.request.urlopen(req).read()
        time.sleep(0.5)
    srv.stop()
    times = [float(m) for m in re.findall(r"fan-out of alert \S+ committed in ([\d.]+) ms",
                                          open(srv.log).read())]
    con = sqlite3.connect(db, isolation_level=None)
    recipients = con.execute("SELECT recipients FROM alerts ORDER BY created_at DESC LIMIT 1").fetchone()[0]
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE peer_deliveries (alert_id TEXT, org_id TEXT, ceptoar_id TEXT, sent_at INTEGER,"
                " UNIQUE (alert_id, org_id))")
    peer = []
    for i in range(5):
        t = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO peer_deliveries SELECT 'a%d', org_id, ceptoar_id, 0 FROM org_ceptoars"
                    " WHERE ceptoar_id = 'bank-ceptoar'" % i)
        con.execute("COMMIT")
        peer.append((time.perf_counter() - t) * 1000)
    con.execute("DROP TABLE peer_deliveries")
    con.close()
    times.sort()
    peer.sort()
    return {"recipients": recipients, "median": times[len(times) // 2], "max": times[-1],
            "peer": peer[len(peer) // 2]}


POST_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
counter = 0
request = function()
  counter = counter + 1
  local body = '{"title":"停電による勘定系停止 ' .. counter .. '","description":"広域停電で勘定系が停止した。非常用発電機の燃料が不足。","tlp":"AMBER","scope":"ceptoar","cause_category":"spillover","indicators":[{"type":"ip","value":"192.0.2.' .. (counter % 250) .. '"}]}'
  return wrk.format(nil, "/api/v1/reports", nil, body)
end
"""


def bench_writes(tok):
    res = {}
    for threads in (4, 16):
        srv = Server(threads=threads)
        warm(srv, tok)
        res[threads] = wrk(srv.url("/"), tok["op"], POST_SCRIPT, seconds=10)
        srv.stop()
    con = sqlite3.connect(os.path.join(work, "peer.db"), isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE r (id INTEGER PRIMARY KEY, title TEXT, body TEXT)")
    n, t = 3000, time.perf_counter()
    for i in range(n):
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO r (title, body) VALUES (?, ?)", ("停電 %d" % i, "本文" * 20))
        con.execute("COMMIT")
    res["peer"] = n / (time.perf_counter() - t)
    con.close()
    return res


def bench_gets(tok):
    srv = Server()
    warm(srv, tok)
    ours = wrk(srv.url("/api/v1/sectors/finance"), tok["op"], seconds=10)
    peer = wrk(srv.url("/healthz"), None, seconds=10)
    srv.stop()
    return {"ours": ours, "peer": peer}


def grow():
    """REPORTS reports and DELIVERIES deliveries, written straight into the store."""
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("BEGIN")
    con.execute("CREATE TEMP TABLE ops AS SELECT row_number() OVER (ORDER BY o.id) - 1 AS n, o.id,"
                " o.sector_id, x.ministry_id,"
                " (SELECT min(ceptoar_id) FROM org_ceptoars c WHERE c.org_id = o.id) AS ceptoar"
                " FROM orgs o JOIN sectors x ON x.id = o.sector_id WHERE o.kind = 'operator'")
    nops = con.execute("SELECT count(*) FROM ops").fetchone()[0]
    con.execute("CREATE INDEX temp.ops_n ON ops(n)")
    con.execute("CREATE TEMP TABLE seq AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s"
                " WHERE i < %d) SELECT i FROM s" % REPORTS)
    words = ["停電", "障害", "通信断", "不正アクセス", "ウイルス", "DDoS", "outage", "malware"]
    case = "CASE s.i %% 8 " + " ".join("WHEN %d THEN '%s'" % (k, w) for k, w in enumerate(words)) + " END"
    con.execute("INSERT INTO reports (id, org_id, sector_id, ministry_id, version, status, title, description,"
                " scope, tlp, created_by, updated_by, created_at, updated_at)"
                " SELECT 'r' || s.i, o.id, o.sector_id, o.ministry_id, 1, 'first',"
                " " + case.replace("%%", "%") + " || ' 報告 ' || s.i, '詳細 ' || s.i || ' ' || " + case.replace("%%", "%") + ","
                " s.i % 4, (s.i * 7) % 5, 'bench', 'bench', 1700000000 + s.i, 1700000000 + s.i"
                " FROM seq s JOIN ops o ON o.n = s.i % " + str(nops))
    con.execute("INSERT INTO report_ceptoars SELECT r.id, o.ceptoar FROM reports r JOIN ops o ON o.id = r.org_id"
                " WHERE r.created_by = 'bench' AND o.ceptoar IS NOT NULL")
    con.execute("INSERT INTO reports_fts (rowid, title, description, indicators)"
                " SELECT rowid, title, description, '' FROM reports WHERE created_by = 'bench'")
    alerts = DELIVERIES // 1000
    con.execute("INSERT INTO alerts (id, org_id, created_by, severity, title_ja, body_ja, audience, tlp,"
                " fanout_state, recipients, created_at) SELECT 'a' || i, 'nisc', 'bench', 'high', '注意喚起 ' || i,"
                " '本文', '{\"all\":true}', 1, 'done', 1000, 1700000000 + i FROM seq WHERE i <= %d" % alerts)
    con.execute("INSERT INTO deliveries (alert_id, org_id, ceptoar_id, sent_at)"
                " SELECT 'a' || a.i, o.id, o.ceptoar, 1700000000 + a.i FROM seq a JOIN ops o"
                " ON (o.n + a.i) %% 20 = 0 OR o.id = (SELECT id FROM orgs WHERE code = 'OP00000')"
                " WHERE a.i <= %d LIMIT %d" % (alerts, DELIVERIES))
    con.execute("COMMIT")
    counts = con.execute("SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM deliveries)").fetchone()
    con.execute("ANALYZE")
    con.close()
    return counts


def bench_big(tok):
    t = time.time()
    reports, deliveries = grow()
    grown = time.time() - t
    srv = Server()
    res = {"reports": reports, "deliveries": deliveries, "grow_s": grown,
           "inbox": wrk(srv.url("/api/v1/inbox?limit=50"), tok["op"], seconds=10),
           "list_op": wrk(srv.url("/api/v1/reports?limit=50"), tok["op"], seconds=10),
           "list_nisc": wrk(srv.url("/api/v1/reports?limit=50"), tok["nisc"], seconds=10),
           "search3": wrk(srv.url("/api/v1/reports?limit=20&q=%E4%B8%8D%E6%AD%A3%E3%82%A2"), tok["nisc"], seconds=10),
           "search2": wrk(srv.url("/api/v1/reports?limit=20&q=%E5%81%9C%E9%9B%BB"), tok["nisc"], seconds=10)}
    srv.stop()
    return res


def machine():
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return "%s; %d cores; %s; %.0f GiB" % (os.uname().release, os.cpu_count(), cpu, mem)


def main():
    tok = setup()
    f = bench_fanout(tok)
    w = bench_writes(tok)
    g = bench_gets(tok)
    b = bench_big(tok)
    ok = lambda c: "met" if c else "**not met**"
    print("## Information sharing (reports, alerts)\n")
    print("Machine: %s. Population: reference registry + %d operators (%d in bank-ceptoar). "
          "wrk (2 threads, 16 connections) runs on the same machine.\n" % (machine(), OPERATORS, BANK_MEMBERS))
    print("| measure | ceptoar | peer | ratio | target |\n|---|---|---|---|---|")
    print("| fan-out of one alert to bank-ceptoar (%d deliveries), committed | median %.1f ms, max %.1f ms |"
          " one INSERT..SELECT of the same rows, durable: %.1f ms | %.1fx | < 100 ms: %s |" % (
              f["recipients"], f["median"], f["max"], f["peer"], f["median"] / f["peer"], ok(f["max"] < 100)))
    for th in (4, 16):
        x = w[th]
        print("| durable report writes, 16 clients, %d server threads | %.0f/s (p99 %.1f ms, %d errors) |"
              " raw SQLite, 1 row + durable commit each: %.0f/s | %.2fx | >= 2,000/s: %s |" % (
                  th, x["rps"], x["p99"], x["errors"], w["peer"], x["rps"] / w["peer"], ok(x["rps"] >= 2000)))
    print("| authenticated GET /api/v1/sectors/finance | %.0f/s (p99 %.1f ms) | /healthz of the same server:"
          " %.0f/s | %.2fx | >= 20,000/s: %s |" % (g["ours"]["rps"], g["ours"]["p99"], g["peer"]["rps"],
                                                   g["ours"]["rps"] / g["peer"]["rps"], ok(g["ours"]["rps"] >= 20000)))
    print("\nWith %d reports and %d deliveries (generated in %.0f s):\n" % (b["reports"], b["deliveries"], b["grow_s"]))
    print("| endpoint | req/s | p50 | p95 | p99 | target |\n|---|---|---|---|---|---|")
    for key, label, target, pct in [("inbox", "GET /inbox (operator)", 50, "p99"),
                                    ("list_op", "GET /reports (operator: policy-filtered)", 50, "p99"),
                                    ("list_nisc", "GET /reports (NISC)", 50, "p99"),
                                    ("search3", "search q=不正ア (trigram index)", 100, "p95"),
                                    ("search2", "search q=停電 (2 characters: scan)", 100, "p95")]:
        x = b[key]
        print("| %s | %.0f | %.1f ms | %.1f ms | %.1f ms | %s < %d ms: %s |" % (
            label, x["rps"], x["p50"], x["p95"], x["p99"], pct, target, ok(x[pct] < target)))


if __name__ == "__main__":
    try:
        main()
    finally:
        subprocess.run(["rm", "-rf", work])
