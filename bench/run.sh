#!/usr/bin/env bash
# make bench: measured, not asserted. Writes bench/RESULTS.md.
#
# import   ceptoar's operator CSV import (validation, references, audit, one
#          transaction) against the peer `sqlite3 .import` of the same file into
#          a bare table (no validation) on the same machine in the same run.
# share    the information-sharing system (bench/share_bench.py): fan-out, durable
#          writes, authenticated GETs, lists, inbox and search at 1M reports.
# cascade  the analysis engine (bench/cascade/): a sweep of two coupled 10^6-node
#          layers against a NetworkX peer on the same files, time per round against
#          a streaming pass, Monte Carlo of a blackout on the japan preset.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${CEPTOAR_BIN:-build/ceptoar}
ROWS=${BENCH_ROWS:-50000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 - "$ROWS" > "$work/ops.csv" <<'PY'
import sys
n = int(sys.argv[1])
sectors = ["info-comm", "finance", "aviation", "railway", "electricity", "gas",
           "government", "medical", "water", "logistics"]
print("code,name_ja,name_en,sector,region,service_ja,service_level,verification_level,system_ja")
for i in range(n):
    s = sectors[i % 10]
    print(f"OP{i:06d},事業者{i},Operator {i},{s},関東,重要サービス{i % 7},\"稼働率99.9%, 復旧4時間\",停止2時間,基幹システム{i % 5}")
PY

best() { # best wall time of 3 runs of "$@", in seconds
  local b=999999 t
  for _ in 1 2 3; do
    "$@" >/dev/null 2>&1 || { echo "bench: command failed: $*" >&2; exit 1; }
    t=$(cat "$work/t")
    b=$(/usr/bin/python3 -c "print(min($b, $t))")
  done
  echo "$b"
}
run_ceptoar() {
  rm -f "$work/db"*; "$BIN" --db "$work/db" init --no-admin >/dev/null 2>&1
  local s e; s=$(date +%s.%N)
  "$BIN" --db "$work/db" org import "$work/ops.csv" >/dev/null
  e=$(date +%s.%N); /usr/bin/python3 -c "print($e - $s)" > "$work/t"
}
run_peer() {
  rm -f "$work/peer.db"*
  local s e; s=$(date +%s.%N)
  sqlite3 "$work/peer.db" "PRAGMA journal_mode=WAL;" ".mode csv" ".import $work/ops.csv ops" >/dev/null
  e=$(date +%s.%N); /usr/bin/python3 -c "print($e - $s)" > "$work/t"
}
tc=$(best run_ceptoar)
tp=$(best run_peer)
machine="$(uname -srm); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(free -g | awk '/Mem:/{print $2}') GiB"
report=$(/usr/bin/python3 - "$ROWS" "$tc" "$tp" "$machine" <<'PY'
import sys
n, tc, tp, machine = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
print(f"## Operator CSV import ({n} rows)\n")
print(f"Machine: {machine}\n")
print("| what | best of 3 | rows/s |\n|---|---|---|")
print(f"| ceptoar org import (validated, all-or-nothing, audited) | {tc:.3f} s | {n/tc:,.0f} |")
print(f"| peer: sqlite3 .import into a bare table | {tp:.3f} s | {n/tp:,.0f} |")
print(f"\nRatio ceptoar / peer time: {tc/tp:.2f}x")
PY
)
echo "$report"
if ! command -v wrk >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 ||
    { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
fi
share=$(/usr/bin/python3 bench/share_bench.py "$BIN" ${BENCH_QUICK:+--quick})
echo "$share"
cascade=$(CEPTOAR_BIN="$BIN" bench/cascade/run.sh)
echo "$cascade"
{ echo "# Benchmark results"; echo; echo "Written by \`make bench\` ($(date -u +%Y-%m-%dT%H:%M:%SZ))."; echo; echo "$report"; echo; echo "$share"; echo; echo "$cascade"; } > bench/RESULTS.md
