#!/bin/sh
# install-deps.sh - install the Debian packages ceptoar needs, if missing.
#
# Usage: install-deps.sh [--test]
#   without --test: what building and running the server need (`make run`);
#   with --test: also what the tests and benchmarks need (`make test`).
#
# Asks dpkg-query which packages are installed; only when some are missing it
# runs `apt-get update` (once) and `apt-get install -y --no-install-recommends`
# for those. Quiet when everything is present, so `make test` can call it
# every time. Uses sudo when not run as root.
set -eu

# The packages, and why:
#   build-essential pkg-config             compiler, make, pkg-config
#   libmicrohttpd-dev libjansson-dev       HTTP server, JSON
#   libsqlite3-dev sqlite3 libsodium-dev   embedded store, crypto
#   libcurl4-openssl-dev                   outbound HTTP/SMTP
#   libcmocka-dev                          unit tests
#   clang libclang-rt-N-dev                sanitizers and libFuzzer (N = clang's major version)
#   python3 python3-pytest python3-requests curl   API tests
#   python3-aiosmtpd                       a real SMTP server on loopback for the channel tests
#   libomp-dev                             OpenMP for clang (gcc brings libgomp): parallel simulation trials
#   python3-networkx                       the peer of the cascade benchmark (bench/)
#   chromium fonts-ipafont-gothic          the browser of the web UI's tests (ui/test), and a Japanese font
#                                          for it (the review screenshots show Japanese)
#   nodejs npm                             the web UI's build (esbuild) and its browser tests
#                                          (playwright-core), from ui/package-lock.json; only
#                                          when no node/npm is on the machine already
RUN_PACKAGES="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3
libsodium-dev libcurl4-openssl-dev"
TEST_PACKAGES="libcmocka-dev clang python3 python3-pytest python3-requests curl python3-aiosmtpd
libomp-dev python3-networkx chromium fonts-ipafont-gothic"

case "${1:-}" in
--test) PACKAGES="$RUN_PACKAGES $TEST_PACKAGES"; TESTS=1 ;;
"") PACKAGES="$RUN_PACKAGES"; TESTS=0 ;;
*) echo "usage: install-deps.sh [--test]" >&2; exit 2 ;;
esac

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	SUDO=""
fi

updated=0

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

# install PKG... : install those of PKG that are missing.
install_missing() {
	missing=""
	for p in "$@"; do
		installed "$p" || missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
		echo "install-deps: missing packages:$missing" >&2
		echo "install-deps: not root and no sudo; install them and run again" >&2
		exit 1
	fi
	echo "install-deps: installing:$missing"
	if [ "$updated" -eq 0 ]; then
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		updated=1
	fi
	# shellcheck disable=SC2086
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "install-deps: dpkg-query not found; this script needs a Debian-based system" >&2
	exit 1
fi

# shellcheck disable=SC2086
install_missing $PACKAGES

# Node.js and npm: any installed ones will do (another packaging of Node.js
# may bring npm with it); Debian's otherwise.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	install_missing nodejs npm
fi

[ "$TESTS" -eq 1 ] || exit 0

# The sanitizer and libFuzzer runtime must match clang's major version
# (libclang-rt-14-dev on Debian 12; newer releases ship a newer clang).
clang_major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9][0-9]*\)\..*/\1/p' | head -n 1)
if [ -z "$clang_major" ]; then
	echo "install-deps: cannot tell clang's version from 'clang --version'" >&2
	exit 1
fi
rt="libclang-rt-$clang_major-dev"
if ! installed "$rt" && [ "$clang_major" -lt 14 ]; then
	# Before clang 14 Debian put the runtime into libclang-common-N-dev.
	rt="libclang-common-$clang_major-dev"
fi
install_missing "$rt"
