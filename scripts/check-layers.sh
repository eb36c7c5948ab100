#!/usr/bin/env bash
# check-layers.sh - enforce the dependency rule of docs/architecture.md.
#
#   scripts/check-layers.sh [ROOT]     check ROOT/src against ROOT/docs/architecture.md
#   scripts/check-layers.sh --self-test
#
# The rule is data, and lives in one place: the two tables of
# docs/architecture.md between the <!-- layers:begin/end --> and
# <!-- sysheaders:begin/end --> markers. This script reads them, then every
# `#include "dir/file.h"` and `#include <file.h>` line of src/**/*.c and
# src/**/*.h, and prints each include the tables do not allow as
# `file:line: rule broken`. Exit status 1 when there is one, 2 when the tables
# cannot be read.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

# ---- rules: the doc's tables as lines of "layer DIR ALLOWED..." / "sys HEADER DIR..." ----
read_rules() {
	awk '
	function ticks(s,    out, t) {
		out = ""
		while (match(s, /`[^`]*`/)) {
			t = substr(s, RSTART + 1, RLENGTH - 2)
			out = out " " t
			s = substr(s, RSTART + RLENGTH)
		}
		return out
	}
	/<!-- layers:begin/     { sect = "layer"; next }
	/<!-- sysheaders:begin/ { sect = "sys"; next }
	/<!-- [a-z]+:end/       { sect = ""; next }
	sect != "" && /^\|/ {
		n = split($0, col, "|")
		if ($0 ~ /^\|[-| :]*$/)  # the |---|---| separator
			next
		if (sect == "layer") {
			dir = ticks(col[3]); gsub(/^ +/, "", dir)
			if (dir !~ /^src\/[a-z0-9_]+\/$/)
				next   # the header row
			sub(/^src\//, "", dir); sub(/\/$/, "", dir)
			print "layer " dir ticks(col[4])
		} else {
			h = ticks(col[2]); gsub(/^ +/, "", h)
			if (h !~ /^<.*>$/)
				next
			print "sys " substr(h, 2, length(h) - 2) ticks(col[3])
		}
	}' "$1"
}

check() {
	local root=$1 doc=$1/docs/architecture.md rules
	local -a files

	if [ ! -r "$doc" ]; then
		echo "check-layers: cannot read $doc" >&2
		return 2
	fi
	rules=$(read_rules "$doc")
	if ! grep -q '^layer ' <<<"$rules"; then
		echo "check-layers: no layer table found in $doc (between <!-- layers:begin --> and <!-- layers:end -->)" >&2
		return 2
	fi
	mapfile -t files < <(cd "$root" && find src -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
	if [ "${#files[@]}" -eq 0 ]; then
		echo "check-layers: no sources under $root/src" >&2
		return 2
	fi
	(cd "$root" && awk -v rules="$rules" -v nfiles="${#files[@]}" '
	BEGIN {
		nr = split(rules, line, "\n")
		for (i = 1; i <= nr; i++) {
			nf = split(line[i], w, " ")
			if (w[1] == "layer") {
				known[w[2]] = 1
				desc[w[2]] = ""
				for (k = 3; k <= nf; k++) {
					if (w[k] == "—" || w[k] == "-")
						continue
					allow[w[2], w[k]] = 1
					desc[w[2]] = desc[w[2]] (desc[w[2]] == "" ? "" : ", ") w[k]
				}
				if (desc[w[2]] == "")
					desc[w[2]] = "nothing but " w[2]
			} else if (w[1] == "sys") {
				confined[w[2]] = 1
				for (k = 3; k <= nf; k++) {
					sysallow[w[2], w[k]] = 1
					sysdesc[w[2]] = sysdesc[w[2]] (sysdesc[w[2]] == "" ? "" : ", ") "src/" w[k] "/"
				}
			}
		}
		bad = 0
	}
	function violation(msg) {
		printf "%s:%d: %s\n", FILENAME, FNR, msg
		bad++
	}
	FNR == 1 {
		dir = FILENAME
		sub(/^src\//, "", dir)
		if (dir !~ /\//) {
			dir = ""
			violation("file directly in src/: every source belongs to a layer directory")
		} else {
			sub(/\/.*/, "", dir)
			if (!(dir in known))
				violation("src/" dir "/ is not a layer: add its row to the table in docs/architecture.md")
		}
	}
	/^[ \t]*#[ \t]*include[ \t]*"/ {
		inc = $0
		sub(/^[ \t]*#[ \t]*include[ \t]*"/, "", inc)
		sub(/".*/, "", inc)
		if (inc !~ /\//)
			next                     # own directory
		sub(/^(\.\/)+/, "", inc)
		top = inc
		sub(/\/.*/, "", top)
		if (top == "..") {
			violation("relative include \"" inc "\" climbs out of the directory; write \"dir/file.h\"")
			next
		}
		if (dir == "" || !(dir in known) || top == dir)
			next
		if (!(top in known)) {
			violation("includes \"" inc "\": src/" top "/ is not a layer")
			next
		}
		if ((dir, top) in allow || (dir, inc) in allow)
			next
		violation(dir " may not include \"" inc "\" (rule: " dir " -> " desc[dir] ")")
		next
	}
	/^[ \t]*#[ \t]*include[ \t]*</ {
		inc = $0
		sub(/^[ \t]*#[ \t]*include[ \t]*</, "", inc)
		sub(/>.*/, "", inc)
		if ((inc in confined) && !((inc, dir) in sysallow))
			violation("<" inc "> may be included only in " sysdesc[inc] " (rule: one library, one layer)")
	}
	END {
		if (bad) {
			printf "check-layers: %d violation(s) of the rule in docs/architecture.md\n", bad
			exit 1
		}
		printf "check-layers: %d files, no violation of the rule in docs/architecture.md\n", nfiles
	}
	' "${files[@]}")
}

# ---- self-test: a scratch tree with known violations --------------------------
self_test() {
	local tmp fails=0 out rc
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN

	mkdir -p "$tmp/docs"
	cp "$here/../docs/architecture.md" "$tmp/docs/"

	clean_tree() {
		rm -rf "$tmp/src"
		mkdir -p "$tmp/src"/{base,core,store,audit,registry,identity,http,cli}
		printf '#include "base/err.h"\n#include <sodium.h>\n#include <string.h>\n' >"$tmp/src/base/a.c"
		printf '#include "base/err.h"\n#include "core/policy.h"\n' >"$tmp/src/core/a.c"
		printf '#include "store/sql.h"\n#include "core/page.h"\n#  include <sqlite3.h>\n' >"$tmp/src/store/a.c"
		printf '#include "store/sql.h"\n#include "store/schema.h"\n' >"$tmp/src/audit/a.c"
		printf '#include "audit/audit.h"\n#include "internal.h"\n' >"$tmp/src/registry/a.c"
		printf '#include "audit/audit.h"\n#include "store/sql.h"\n' >"$tmp/src/identity/a.h"
		printf '#include "store/store.h"\n#include "registry/registry.h"\n#include "identity/identity.h"\n#include <microhttpd.h>\n' >"$tmp/src/http/a.c"
		printf '#include "http/http.h"\n#include "store/store.h"\n#include "audit/audit.h"\n' >"$tmp/src/cli/a.c"
	}

	# expect_fail FILE LINE... PATTERN: add LINE to FILE in a clean tree; the check must fail naming FILE and PATTERN.
	expect_fail() {
		local file=$1 text=$2 pattern=$3
		clean_tree
		mkdir -p "$(dirname "$tmp/$file")"
		printf '%s\n' "$text" >>"$tmp/$file"
		set +e
		out=$(check "$tmp" 2>&1)
		rc=$?
		set -e
		if [ "$rc" -ne 1 ] || ! grep -q "^$file:[0-9]*: .*$pattern" <<<"$out"; then
			echo "self-test FAILED: '$text' in $file: expected a violation matching '$pattern', got rc=$rc:" >&2
			echo "$out" >&2
			fails=$((fails + 1))
		fi
	}

	clean_tree
	set +e
	out=$(check "$tmp" 2>&1)
	rc=$?
	set -e
	if [ "$rc" -ne 0 ]; then
		echo "self-test FAILED: a clean tree was refused:" >&2
		echo "$out" >&2
		fails=$((fails + 1))
	fi

	expect_fail src/base/a.c '#include "core/policy.h"' 'base may not include "core/policy.h"'
	expect_fail src/core/a.c '#include "store/store.h"' 'core may not include'
	expect_fail src/store/a.c '#include "audit/audit.h"' 'store may not include'
	expect_fail src/audit/a.c '#include "registry/registry.h"' 'audit may not include'
	expect_fail src/registry/a.c '#include "identity/identity.h"' 'registry may not include'
	expect_fail src/identity/a.h '#include "registry/registry.h"' 'identity may not include'
	expect_fail src/identity/a.h '#include "http/http.h"' 'identity may not include'
	expect_fail src/http/a.c '#include "store/sql.h"' 'http may not include "store/sql.h"'
	expect_fail src/http/a.c '# include "store/schema.h"' 'http may not include "store/schema.h"'
	expect_fail src/http/a.c '#include "cli/cli.h"' 'http may not include'
	expect_fail src/cli/a.c '#include "store/sql.h"' 'cli may not include "store/sql.h"'
	expect_fail src/core/a.c '#include <sqlite3.h>' '<sqlite3.h> may be included only in src/store/'
	expect_fail src/registry/a.c '#include <microhttpd.h>' '<microhttpd.h> may be included only in src/http/'
	expect_fail src/cli/a.c '#include <microhttpd.h>' '<microhttpd.h> may be included only'
	expect_fail src/store/a.c '#include <sodium.h>' '<sodium.h> may be included only in src/base/'
	expect_fail src/identity/a.h '#include <sodium.h>' '<sodium.h> may be included only'
	expect_fail src/base/a.c '#include "../core/policy.h"' 'climbs out'
	expect_fail src/notalayer/a.c '#include "base/err.h"' 'src/notalayer/ is not a layer'
	expect_fail src/http/a.c '#include "nowhere/x.h"' 'src/nowhere/ is not a layer'
	expect_fail src/http/sub/b.c '#include "store/sql.h"' 'http may not include'

	if [ "$fails" -ne 0 ]; then
		echo "check-layers self-test: $fails case(s) failed" >&2
		return 1
	fi
	echo "check-layers self-test: a clean tree passes and 20 kinds of violation are reported"
}

case "${1:-}" in
--self-test)
	self_test
	;;
-h | --help)
	sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
	;;
*)
	check "${1:-$here/..}"
	;;
esac
