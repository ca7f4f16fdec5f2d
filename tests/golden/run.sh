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
# every plan's counts add up: read = written + duplicates + filtered + skipped
# (the check of the shared test library, tests/lib/gztest.py)
python3 -c '
import json, sys
sys.path.insert(0, sys.argv[2])
import gztest
problems = gztest.accounting_problems(json.load(open(sys.argv[1]))["counts"])
sys.exit("\n".join(problems) if problems else 0)
' "$actual" "$(dirname "$0")/../lib" || exit 1
diff -u "$expected" "$actual"
