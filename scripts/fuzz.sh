#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/) and runs each for
# SECONDS (default 60) on a copy of its corpus; a crash leaves its input in
# build-fuzz/crashes/ and fails the run.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   targets: json text date html e2e csv feed markdown page image
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json text date html e2e csv feed markdown page image)
CC=${CC:-clang-14} CXX=${CXX:-clang++-14} cmake -S . -B build-fuzz -DGZ_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER="${CC:-clang-14}" \
  -DCMAKE_CXX_COMPILER="${CXX:-clang++-14}" >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target $(printf 'fuzz-%s ' "${targets[@]}")
mkdir -p build-fuzz/crashes
status=0
for t in "${targets[@]}"; do
  work=build-fuzz/corpus-$t
  mkdir -p "$work"
  cp -n fuzz/corpus/"$t"/* "$work"/ 2>/dev/null || true
  seeds=()
  case $t in
    json) seeds=(fixtures/json fixtures/producers) ;;
    text) seeds=(fixtures/text fixtures/text/site) ;;
    e2e) seeds=(fixtures/json fixtures/text) ;;
    csv) seeds=(fixtures/csv) ;;
    feed) seeds=(fixtures/feeds) ;;
    markdown) seeds=(fixtures/markdown/hugo/posts fixtures/markdown/jekyll/_posts) ;;
    page) seeds=(fixtures/pages) ;;
    image) seeds=(fixtures/images) ;;
  esac
  dict=()
  case $t in json|e2e) dict=(-dict=fuzz/json.dict) ;; html) dict=(-dict=fuzz/html.dict) ;; date) dict=(-dict=fuzz/date.dict) ;; csv) dict=(-dict=fuzz/csv.dict) ;; feed) dict=(-dict=fuzz/feed.dict) ;; markdown) dict=(-dict=fuzz/markdown.dict) ;; page) dict=(-dict=fuzz/page.dict) ;; esac
  echo "== fuzz-$t for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 build-fuzz/fuzz/fuzz-"$t" "$work" "${seeds[@]}" "${dict[@]}" \
      -max_total_time="$seconds" -max_len=65536 -timeout=30 -rss_limit_mb=2048 \
      -artifact_prefix=build-fuzz/crashes/"$t"- -print_final_stats=1 2>build-fuzz/fuzz-"$t".log; then
    echo "fuzz-$t FAILED: see build-fuzz/fuzz-$t.log and build-fuzz/crashes/"
    tail -40 build-fuzz/fuzz-"$t".log
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" build-fuzz/fuzz-"$t".log | tail -3
  fi
done
exit $status
