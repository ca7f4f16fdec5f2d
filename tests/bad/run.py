#!/usr/bin/env python3
"""Runs the bad-input cases of tests/bad/cases.txt.

Each case runs gazette from the project root and asserts its exact exit
status and the exact lines it writes on standard error. For every case
run with --list --json it also checks the accounting: read = written +
duplicates + filtered + skipped.

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


ALLOWED_TAGS = {"html", "head", "title", "link", "body", "section", "nav", "article", "h1", "h2",
                "h3", "h4", "h5", "h6", "p", "blockquote", "ul", "ol", "li", "pre", "code", "em",
                "strong", "u", "s", "sub", "sup", "br", "hr", "a", "time", "svg", "rect", "line",
                "text"}
ALLOWED_ATTRS = {"id", "class", "href", "lang", "{http://www.w3.org/XML/1998/namespace}lang",
                 "{http://www.idpf.org/2007/ops}type", "datetime", "hidden", "role", "aria-label",
                 "start", "rel", "type", "viewBox", "x", "y", "x1", "x2", "y1", "y2", "width",
                 "height", "fill", "stroke", "font-size", "font-family", "text-anchor"}


def epub_problems(path):
    """Markup or script that an input could have slipped into the EPUB."""
    import xml.etree.ElementTree as ET
    import zipfile
    problems = []
    z = zipfile.ZipFile(path)
    for name in z.namelist():
        data = z.read(name).decode("utf-8", "replace")
        low = data.lower()
        for bad in ("<script", "javascript:", "vbscript:", "<iframe", "<object", "<embed", "<form"):
            if bad in low:
                problems.append("%s holds %s" % (name, bad))
        if re.search(r"\son[a-z]+\s*=", low):
            problems.append("%s holds an event attribute" % name)
        if not name.endswith(".xhtml"):
            continue
        try:
            root = ET.fromstring(z.read(name))
        except ET.ParseError as e:
            problems.append("%s is not well-formed: %s" % (name, e))
            continue
        for el in root.iter():
            tag = el.tag.split("}")[-1]
            if tag not in ALLOWED_TAGS:
                problems.append("%s: element <%s>" % (name, tag))
            for attr, value in el.attrib.items():
                if attr not in ALLOWED_ATTRS:
                    problems.append("%s: attribute %s on <%s>" % (name, attr, tag))
                if attr == "href" and not re.match(r"(https?:|mailto:|[a-z0-9-]+\.(xhtml|css)(#|$)|#)", value):
                    problems.append("%s: link %r" % (name, value))
    return problems


def safety(args, tmp, env):
    """Writes an EPUB and a --split set from the case's inputs: nothing may
    inject markup or script, and every file must land inside the folder."""
    inputs = [a for a in args if not a.startswith("-")]
    keep = [a for a in args if a in ("--no-dedupe", "--keep-chrome")]
    problems = []
    safe = os.path.join(tmp, "safe")
    os.makedirs(os.path.join(safe, "split"))
    out = os.path.join(safe, "out.epub")
    p = subprocess.run([GAZETTE_BIN, "-q"] + keep + inputs + ["-o", out], capture_output=True, env=env)
    if p.returncode in (0, 1):
        problems += epub_problems(out)
    p = subprocess.run([GAZETTE_BIN, "-q", "--split"] + keep + inputs +
                       ["-o", os.path.join(safe, "split", "%Y", "%m-%d.epub")], capture_output=True, env=env)
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


def main():
    global GAZETTE_BIN
    gazette, cases_file, gen = sys.argv[1:4]
    GAZETTE_BIN = gazette
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
        tmp = tempfile.mkdtemp(prefix="gz-bad-")
        args = [a.format(gen=gen, tmp=tmp, nl="\n") for a in shlex.split(case["args"])]
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
            want = want.replace("{gen}", gen).replace("{tmp}", tmp)
            if want not in out:
                problems.append("stdout lacks %r" % want)
        if "--json" in args and "--list" in args and p.returncode in (0, 1, 3) and out:
            try:
                c = json.loads(out)["counts"]
                if c["read"] != c["written"] + c["duplicates"] + c["filtered"] + c["skipped"]:
                    problems.append("counts do not add up: %r" % c)
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
    print("%d cases, %d failed" % (ran, failures))
    return 1 if failures or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
