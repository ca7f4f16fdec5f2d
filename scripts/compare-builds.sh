#!/usr/bin/env bash
# Builds gazette at an older revision and from this tree (both Release)
# and compares the bytes of what each writes: the fixtures' digests and
# plans, a 10,000-article EPUB and PDF and about 500 split files. For
# changes that must keep every output byte (a refactor): any difference
# is listed and the script fails.
#
# Usage: scripts/compare-builds.sh OLD_REV [--quick]
#   --quick: 2,000 articles instead of 10,000 (a try-out while working)
# Work files go to build-compare/ (kept between runs: the old build and the
# corpus are reused when the revision and size are unchanged).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
old_rev=$(git rev-parse --verify "${1:?usage: scripts/compare-builds.sh OLD_REV [--quick]}^{commit}")
n=10000
[ "${2:-}" = --quick ] && n=2000
work=$root/build-compare
mkdir -p "$work"
export SOURCE_DATE_EPOCH=1700000000 TZ=UTC

# the old revision: a detached worktree, built once per revision
old_src=$work/old-src
if [ "$(cat "$work/old-rev" 2>/dev/null)" != "$old_rev" ]; then
  git worktree remove --force "$old_src" 2>/dev/null || rm -rf "$old_src"
  git worktree prune
  git worktree add --detach "$old_src" "$old_rev" >/dev/null
  rm -rf "$work/old-build"
  echo "$old_rev" >"$work/old-rev"
fi
echo "== building $old_rev (old) and this tree (new)" >&2
cmake -S "$old_src" -B "$work/old-build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/old-build" -j "$(nproc)" --target gazette >/dev/null
cmake -S . -B "$work/new-build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/new-build" -j "$(nproc)" --target gazette >/dev/null

corpus=$work/c$n
if [ ! -f "$corpus/.done" ]; then
  echo "== generating $n articles" >&2
  rm -rf "$corpus"
  bench/gen-corpus --articles "$n" --seed 42 --out "$corpus" --formats json,text >/dev/null
  touch "$corpus/.done"
fi

# run SIDE: every job with that side's binary, outputs under $work/out-SIDE
run() {
  local gz=$work/$1-build/gazette out=$work/out-$1
  rm -rf "$out"
  mkdir -p "$out/split"
  (
    cd "$root"
    "$gz" -q fixtures --title "Valley Digest" --group-by week -o "$out/fixtures.epub"
    "$gz" -q fixtures --title "Valley Digest" --group-by week -o "$out/fixtures.pdf"
    "$gz" -q fixtures --list --json >"$out/fixtures-plan.json"
    "$gz" -q fixtures --list >"$out/fixtures-plan.txt"
    "$gz" -q fixtures --pdfa --page-size letter -o "$out/fixtures-pdfa.pdf"
    "$gz" -q fixtures/json --group-by month -o "$out/json-month.pdf"
    "$gz" -q fixtures/text --group-by day -o "$out/text-day.epub"
    for f in tests/golden/inputs/*; do
      "$gz" -q "$f" --list --json >"$out/plan-$(basename "$f").json" 2>/dev/null || true
    done
    "$gz" -q "$corpus/corpus.json" -o "$out/c$n.epub"
    "$gz" -q "$corpus/corpus.json" -o "$out/c$n.pdf"
    "$gz" -q "$corpus/text" -o "$out/c$n-text.epub"
    "$gz" -q --group-by week --split "$corpus/corpus.json" -o "$out/split/%G-W%V.epub"
  )
}
echo "== writing with the old binary" >&2
run old
echo "== writing with the new binary" >&2
run new

cd "$work"
n_files=$(find out-old -type f | wc -l)
n_split=$(find out-old/split -type f | wc -l)
if diff -r -q out-old out-new; then
  echo "identical: $n_files files ($n_split split files, $n articles), $old_rev against $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD || echo ' + uncommitted changes')"
else
  echo "DIFFERENT: the files above differ between $old_rev and this tree" >&2
  exit 1
fi
