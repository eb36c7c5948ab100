#!/usr/bin/env bash
# bench/cascade/run.sh: the static cascade's benchmarks (bench/cascade/bench.py
# says what and which targets). Prints a Markdown section on stdout; progress
# on stderr. Needs a built binary (CEPTOAR_BIN, default build/ceptoar), cc and
# python3 with networkx.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec /usr/bin/python3 bench/cascade/bench.py "${CEPTOAR_BIN:-build/ceptoar}"
