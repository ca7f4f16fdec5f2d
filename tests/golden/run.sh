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
python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["counts"]
if c["read"] != c["written"] + c["duplicates"] + c["filtered"] + c["skipped"]:
    sys.exit("counts do not add up: %r" % c)
' "$actual" || exit 1
diff -u "$expected" "$actual"
