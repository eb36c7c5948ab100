#!/usr/bin/env bash
# bench/ab/run.sh: compare two builds of the static cascade or of the
# simulator in one process, taking the same work in turn (cascade_ab.c,
# sim_ab.c), in both orders of making their workspaces. On a shared machine
# whose speed moves by tens of per cent from one minute to the next, this
# tells apart changes of a few per cent that whole runs one after the other
# cannot.
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() {
	cat <<'USAGE'
Usage: bench/ab/run.sh cascade|sim REV_A REV_B [--model DIR] [--rounds K]
                       [--reps N] [--trials N] [--scenario S] [--scale X]

Builds the kernel of each revision (a git revision, or WORKTREE for the files
as they are) with its symbols renamed, links both into one harness with this
tree's build/libceptoar.a (made if missing), and runs K rounds (default 2),
each once with REV_A's workspace made first and once with REV_B's. Prints
b/a, the time of REV_B over REV_A's, for each run and on average; fails
when the two builds give different results.

  cascade   the sweep benchmark's 50 points (bench/cascade): DIR holds
            nodes.csv, edges.csv and order.txt; default two coupled random
            layers of 10^6 nodes generated here; --reps passes (default 2)
  sim       Monte Carlo trials of a scenario template (default blackout) on
            DIR (nodes.csv, edges.csv); default the japan preset generated at
            --scale (default 25); --trials each (default 20)

Both revisions' kernels must read the model (struct an_model) and offer the
functions the harness calls as this tree's headers declare them.
USAGE
}

case ${1:-} in -h|--help) usage; exit 0 ;; esac
[ $# -ge 3 ] || { usage >&2; exit 2; }
kind=$1 rev_a=$2 rev_b=$3
shift 3
model="" rounds=2 reps=2 trials=20 scenario=blackout scale=25
while [ $# -gt 0 ]; do
	case $1 in
	--model) model=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--reps) reps=$2; shift 2 ;;
	--trials) trials=$2; shift 2 ;;
	--scenario) scenario=$2; shift 2 ;;
	--scale) scale=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "bench/ab: unknown option $1" >&2; usage >&2; exit 2 ;;
	esac
done
case $kind in
cascade) files="cascade" ;;
sim) files="sim sim_layer sim_leaf sim_queue sim_record" ;;
*) usage >&2; exit 2 ;;
esac

make -s build/libceptoar.a build/ceptoar
work=$(mktemp -d "${TMPDIR:-/tmp}/ceptoar-ab.XXXXXX")
trap 'rm -rf "$work"' EXIT
cflags="-O3 -g -std=c17 -D_GNU_SOURCE -pthread -fopenmp" # as the Makefile builds analysis/

# kernel REV PREFIX: the kernel of REV as one object, its symbols PREFIXed
kernel() {
	local rev=$1 p=$2 objs=""
	mkdir -p "$work/$p"
	if [ "$rev" = WORKTREE ]; then
		cp -r src "$work/$p/"
	else
		git archive "$rev" src | tar -x -C "$work/$p"
	fi
	for f in $files; do
		cc $cflags -I"$work/$p/src" -c "$work/$p/src/analysis/$f.c" -o "$work/$p/$f.o"
		objs="$objs $work/$p/$f.o"
	done
	ld -r -o "$work/$p.o" $objs
	nm -g --defined-only "$work/$p.o" | awk -v p="$p" '{ print $3, p $3 }' \
		> "$work/$p.map"
	objcopy --redefine-syms="$work/$p.map" "$work/$p.o"
}
kernel "$rev_a" a_
kernel "$rev_b" b_
cc $cflags -Wall -Wextra -Werror -Isrc -o "$work/ab" "bench/ab/${kind}_ab.c" \
	"$work/a_.o" "$work/b_.o" build/obj/cli/util.o build/obj/cli/sim_model.o \
	build/libceptoar.a $(pkg-config --libs libmicrohttpd jansson sqlite3 libsodium libcurl) -lm

if [ -z "$model" ]; then
	model=$work/model
	if [ "$kind" = cascade ]; then
		build/ceptoar sim generate coupled --nodes 1000000 --degree 4 --seed 1 --order A \
			--out "$model" > /dev/null
	else
		build/ceptoar sim generate japan --scale "$scale" --seed 1 --out "$model" > /dev/null
	fi
fi
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "a = $rev_a, b = $rev_b ($kind; $cpu, nproc $(nproc))"
ratios=""
for i in $(seq "$rounds"); do
	for first in a b; do
		if [ "$kind" = cascade ]; then
			line=$("$work/ab" "$model" "$reps" "$first")
		else
			line=$("$work/ab" "$model" "$scenario" "$trials" "$first")
		fi
		echo "$line"
		ratios="$ratios $(echo "$line" | sed -n 's/.*b\/a \([0-9.]*\).*/\1/p')"
	done
done
echo "$ratios" | awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i
	printf "b/a on average: %.3f over %d runs\n", s / NF, NF }'
