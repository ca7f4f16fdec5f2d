#!/usr/bin/env python3
"""Runs the bad-input cases of tests/bad/cases.txt.

Each case runs gazette from the project root and asserts its exact exit
status and the exact lines it writes on standard error. For every case
run with --list --json it also checks the accounting: read = written +
duplicates + filtered + skipped.

Usage: run.py GAZETTE CASES_FILE GENERATED_DIR [CASE_NAME...]
Arguments may use {gen} for GENERATED_DIR (inputs made by make_inputs.py)
and {tmp} for a fresh empty folder.
"""
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile


def parse(path):
    cases, case = [], None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("## "):
                case = {"name": line[3:].strip(), "stderr": [], "stdout": [], "env": {}}
                cases.append(case)
            elif not line.strip() or line.startswith("#"):
                continue
            else:
                key, _, value = line.partition(": ")
                if key in ("stderr", "stdout"):
                    case[key].append(value)
                elif key == "env":
                    k, _, v = value.partition("=")
                    case["env"][k] = v
                else:
                    case[key] = value
    return cases


def main():
    gazette, cases_file, gen = sys.argv[1:4]
    only = set(sys.argv[4:])
    failures = 0
    ran = 0
    for case in parse(cases_file):
        if only and case["name"] not in only:
            continue
        ran += 1
        tmp = tempfile.mkdtemp(prefix="gz-bad-")
        args = [a.format(gen=gen, tmp=tmp) for a in shlex.split(case["args"])]
        env = dict(os.environ)
        env.update({k: v.format(gen=gen, tmp=tmp) for k, v in case["env"].items()})
        stdin = case.get("stdin")
        stdin_bytes = open(stdin.format(gen=gen, tmp=tmp), "rb").read() if stdin else b""
        p = subprocess.run([gazette] + args, input=stdin_bytes, capture_output=True, env=env)
        problems = []
        want_exit = int(case["exit"])
        if p.returncode != want_exit:
            problems.append("exit status %d, want %d" % (p.returncode, want_exit))
        err_lines = p.stderr.decode("utf-8", "replace").replace(tmp, "{tmp}").replace(gen, "{gen}").splitlines()
        if err_lines != case["stderr"]:
            problems.append("stderr:\n    got:  %s\n    want: %s" % ("\n          ".join(err_lines), "\n          ".join(case["stderr"])))
        out = p.stdout.decode("utf-8", "replace")
        for want in case["stdout"]:
            if want not in out:
                problems.append("stdout lacks %r" % want)
        if "--json" in args and "--list" in args and p.returncode in (0, 1, 3) and out:
            try:
                c = json.loads(out)["counts"]
                if c["read"] != c["written"] + c["duplicates"] + c["filtered"] + c["skipped"]:
                    problems.append("counts do not add up: %r" % c)
            except ValueError as e:
                problems.append("stdout is not JSON: %s" % e)
        check = case.get("check")
        if check:
            r = subprocess.run(check.format(gen=gen, tmp=tmp), shell=True, capture_output=True)
            if r.returncode != 0:
                problems.append("check failed: %s\n%s%s" % (check, r.stdout.decode(), r.stderr.decode()))
        shutil.rmtree(tmp, ignore_errors=True)
        if problems:
            failures += 1
            print("FAIL %s\n  %s" % (case["name"], "\n  ".join(problems)))
        else:
            print("ok   %s" % case["name"])
    print("%d cases, %d failed" % (ran, failures))
    return 1 if failures or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
