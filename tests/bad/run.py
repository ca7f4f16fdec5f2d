#!/usr/bin/env python3
"""Runs the bad-input cases of tests/bad/cases.txt.

Each case runs gazette from the project root and asserts its exact exit
status and the exact lines it writes on standard error. For every case
run with --list --json it also checks the accounting: read = written +
duplicates + filtered + skipped. The EPUBs of the safety cases go through
the shared safety allow-list and, all together in one JVM at the end,
epubcheck (tests/lib/gztest.py).

Usage: run.py GAZETTE CASES_FILE GENERATED_DIR [CASE_NAME...]
Arguments may use {gen} for GENERATED_DIR (inputs made by make_inputs.py),
{tmp} for a fresh empty folder and {nl} for a newline.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402


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


def epub_problems(path):
    """Markup or script that an input could have slipped into the EPUB;
    the EPUB is kept for epubcheck at the end of the run."""
    keep = os.path.join(EPUB_KEEP, "%04d.epub" % len(os.listdir(EPUB_KEEP)))
    shutil.copyfile(path, keep)
    KEPT[keep] = "case %r, %s" % (CURRENT[0], os.path.basename(path))
    return gztest.epub_safety_problems(path)


def safety(args, tmp, env):
    """Writes an EPUB and a --split set from the case's inputs: nothing may
    inject markup or script, and every file must land inside the folder."""
    inputs = [a for a in args if not a.startswith("-")]
    keep = [a for a in args if a in ("--no-dedupe", "--keep-chrome")]
    problems = []
    safe = os.path.join(tmp, "safe")
    os.makedirs(os.path.join(safe, "split"))
    out = os.path.join(safe, "out.epub")
    p = gztest.run(GAZETTE_BIN, ["-q"] + keep + inputs + ["-o", out], env=env)
    if p.returncode in (0, 1):
        problems += epub_problems(out)
    p = gztest.run(GAZETTE_BIN, ["-q", "--split"] + keep + inputs +
                   ["-o", os.path.join(safe, "split", "%Y", "%m-%d.epub")], env=env)
    for folder, _, files in os.walk(safe):
        for f in files:
            full = os.path.join(folder, f)
            rel = os.path.relpath(full, safe)
            if rel != "out.epub" and not re.fullmatch(r"split/(\d{4}/\d{2}-\d{2}|undated)\.epub", rel):
                problems.append("unexpected file %r" % rel)
            elif rel != "out.epub":
                problems += epub_problems(full)
    outside = [e for e in os.listdir(tmp) if e != "safe"]
    if outside:
        problems.append("files outside the output folder: %r" % outside)
    return problems


KEPT = {}  # copy -> the case and file it comes from
CURRENT = [None]  # the name of the case running


def main():
    global GAZETTE_BIN, EPUB_KEEP
    gazette, cases_file, gen = sys.argv[1:4]
    GAZETTE_BIN = gazette
    EPUB_KEEP = tempfile.mkdtemp(prefix="gz-bad-epubs-")
    try:
        return run_cases(gazette, cases_file, gen)
    finally:
        shutil.rmtree(EPUB_KEEP, ignore_errors=True)


def run_cases(gazette, cases_file, gen):
    if not os.path.exists(os.path.join(gen, "deep.json")):
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "make_inputs.py"), gen],
                       check=True)
    only = set(sys.argv[4:])
    failures = 0
    ran = 0
    for case in parse(cases_file):
        if only and case["name"] not in only:
            continue
        ran += 1
        CURRENT[0] = case["name"]
        tmp = tempfile.mkdtemp(prefix="gz-bad-")
        args = [a.format(gen=gen, tmp=tmp, nl="\n") for a in shlex.split(case["args"])]
        env = dict(os.environ)
        env.update({k: v.format(gen=gen, tmp=tmp) for k, v in case["env"].items()})
        stdin = case.get("stdin")
        stdin_bytes = open(stdin.format(gen=gen, tmp=tmp), "rb").read() if stdin else b""
        p = gztest.run(gazette, args, input=stdin_bytes, env=env)
        problems = []
        want_exit = int(case["exit"])
        if p.returncode != want_exit:
            problems.append("exit status %d, want %d" % (p.returncode, want_exit))
        err_lines = p.stderr.decode("utf-8", "replace").replace(tmp, "{tmp}").replace(gen, "{gen}").splitlines()
        if err_lines != case["stderr"]:
            problems.append("stderr:\n    got:  %s\n    want: %s" % ("\n          ".join(err_lines), "\n          ".join(case["stderr"])))
        out = p.stdout.decode("utf-8", "replace")
        for want in case["stdout"]:
            want = want.replace("{gen}", gen).replace("{tmp}", tmp)
            if want not in out:
                problems.append("stdout lacks %r" % want)
        if "--json" in args and "--list" in args and p.returncode in (0, 1, 3) and out:
            try:
                problems += gztest.accounting_problems(json.loads(out)["counts"])
            except ValueError as e:
                problems.append("stdout is not JSON: %s" % e)
        if case.get("safety") == "yes":
            problems += safety(args, tmp, env)
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
    # every EPUB the safety cases wrote, in one epubcheck run
    checks = gztest.Checks()
    queue = gztest.EpubcheckQueue(checks)
    for keep in sorted(KEPT):
        queue.add(keep)
    queue.flush()
    if checks.failures:
        failures += 1
        print("FAIL epubcheck of the safety cases' EPUBs (%s)" % ", ".join(
            "%s = %s" % (os.path.basename(k), v) for k, v in sorted(KEPT.items())))
    print("%d cases, %d failed" % (ran, failures))
    return 1 if failures or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
