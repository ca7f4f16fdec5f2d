#!/usr/bin/env bash
# Installs what is missing, builds gazette (Release) and converts the
# bundled fixtures into out/digest.epub and out/digest.pdf.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release -j "$(nproc)"
mkdir -p out
build-release/gazette fixtures --title "Valley Digest" --group-by week -o out/digest.epub
build-release/gazette fixtures --title "Valley Digest" --group-by week -o out/digest.pdf
ls -l out/digest.epub out/digest.pdf
