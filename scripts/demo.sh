#!/usr/bin/env bash
# Installs what is missing, builds gazette (Release) and converts the
# bundled sample corpus into out/digest.epub and out/digest.pdf.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release -j "$(nproc)"
mkdir -p out
# The valley corpus in every format (fixtures/README.md); fixtures/producers
# is a test set of news tools' exports, with records that must be skipped.
corpus=(fixtures/json fixtures/text fixtures/feeds fixtures/csv)
build-release/gazette "${corpus[@]}" --title "Valley Digest" --group-by week -o out/digest.epub
build-release/gazette "${corpus[@]}" --title "Valley Digest" --group-by week -o out/digest.pdf
ls -l out/digest.epub out/digest.pdf
