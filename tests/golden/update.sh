#!/usr/bin/env bash
# Rewrites the expected plans from the current build. Review the diff
# (git diff tests/golden/expected) before committing: a golden file is a
# claim about what is right, not a snapshot of what happens.
set -eu
cd "$(dirname "$0")/../.."
gazette=${1:-build/gazette}
mkdir -p tests/golden/expected
grep -v '^#' tests/golden/cases.txt | while read -r name args; do
  [ -n "$name" ] || continue
  # shellcheck disable=SC2086
  "$gazette" --list --json -q $args >"tests/golden/expected/$name.json" || true
done
