#!/usr/bin/env bash
# Runs one golden case: compares `gazette --list --json ARGS` with the
# expected plan. Usage: run.sh GAZETTE EXPECTED_FILE ARGS...
set -u
gazette=$1 expected=$2
shift 2
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$gazette" --list --json -q "$@" >"$actual"
status=$?
if [ $status -gt 1 ]; then
  echo "gazette exited with $status"
  exit 1
fi
diff -u "$expected" "$actual"
