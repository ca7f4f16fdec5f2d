#!/usr/bin/env bash
# Builds the Debian package, installs it with apt-get, and checks what a
# user gets: the command, the man page, the bash completion, pkg-config and
# a C program built against the library. Then removes the package.
# Needs root (or sudo); CI runs it on a throwaway machine.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
cmake -S . -B build-deb -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build build-deb -j "$(nproc)" --target gazette gazette_shared gazette_static
(cd build-deb && cpack -G DEB >/dev/null)
deb=$(ls build-deb/gazette_*.deb)
echo "== built $deb"
dpkg-deb -c "$deb" | awk '{print $6}'
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get install -y -q "./$deb" >/dev/null
trap '"${sudo[@]}" apt-get remove -y -q gazette >/dev/null' EXIT
set -x
command -v gazette
gazette --version | grep -qx "gazette 0.1.0"
man -w gazette
MANPAGER=cat man gazette | grep -q "turn news archive dumps into EPUB and PDF digests"
test -f /usr/share/bash-completion/completions/gazette
pkg-config --modversion gazette | grep -qx "0.1.0"
flags=$(pkg-config --cflags --libs gazette)
tmp=$(mktemp -d)
cc -std=c11 -Wall -Werror tests/deb/hello.c $flags -o "$tmp/hello"
"$tmp/hello" fixtures/json | tee "$tmp/out"
grep -qx "gazette 0.1.0: 35 articles in 26 groups" "$tmp/out"
gazette -q fixtures/json fixtures/text fixtures/feeds fixtures/csv -o "$tmp/d.epub"
test -s "$tmp/d.epub"
rm -rf "$tmp"
set +x
echo "== package checks passed"
