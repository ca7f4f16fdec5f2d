#!/usr/bin/env python3
"""Checks the stage boundaries of src/ by their #include lines.

Each top folder of src/ is a stage. A stage may include the headers of
the stages listed for it below and its own; data flows one way (read ->
normalise -> group -> render), so no reader includes a writer's header and
no writer a reader's. A header in a stage's subfolder (src/write/pdf/pdf.h,
src/read/json/...) and a header listed in PRIVATE belong to their folder
alone. Prints each breach as file:line and fails when there is one.

Usage: tests/arch/includes.py [SRC_DIR]
"""
import os
import re
import sys

# stage -> the other stages whose headers it may include
ALLOWED = {
    "util": set(),
    "time": {"util"},
    "lang": {"util"},
    "model": {"util", "time", "lang"},
    "read": {"util", "time", "lang", "model"},
    "group": {"util", "time", "lang", "model"},
    "image": {"util"},
    "write": {"util", "time", "lang", "model", "image"},
    # the command line sees the public header only (<gazette/gazette.h>)
    "cli": set(),
}

# headers at a stage's top that only their own folder may include
PRIVATE = {
    "model/core.h": "model",
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def folder_of(path):
    return os.path.dirname(path)


def check(src):
    breaches = []
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".c", ".h", ".cc")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            stage = rel.split(os.sep)[0]
            if stage not in ALLOWED:
                breaches.append(f"{path}:1: the folder {stage} is not a known stage (add it to {__file__})")
                continue
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    inc = m.group(1)
                    if inc.startswith("gazette/"):
                        continue
                    inc_stage = inc.split("/")[0]
                    where = f"{path}:{n}"
                    if inc_stage not in ALLOWED:
                        breaches.append(f"{where}: {inc} is outside every stage")
                    elif inc_stage != stage and inc_stage not in ALLOWED[stage]:
                        breaches.append(f"{where}: the {stage} stage includes {inc}, a header of the {inc_stage} stage")
                    owner = PRIVATE.get(inc)
                    if owner is None and inc.count("/") >= 2:
                        owner = folder_of(inc)  # a subfolder's header
                    if owner and not (folder_of(rel) + "/").startswith(owner + "/"):
                        breaches.append(f"{where}: {inc} is private to src/{owner}/")
    return breaches


def self_test():
    """The checker must see planted breaches, each exactly once."""
    import tempfile
    planted = {
        "read/r.c": '#include "write/write.h"\n#include "model/model.h"\n',
        "write/w.c": '#include "write/pdf/pdf.h"\n#include "read/read.h"\n',
        "write/pdf/p.c": '#include "write/pdf/pdf.h"\n',
        "group/g.c": '#include "model/core.h"\n',
        "cli/c.c": '#include "model/model.h"\n#include "gazette/gazette.h"\n',
    }
    with tempfile.TemporaryDirectory() as d:
        for rel, text in planted.items():
            os.makedirs(os.path.join(d, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(d, rel), "w", encoding="utf-8") as f:
                f.write(text)
        got = sorted(b.split(": ", 1)[0].replace(d + os.sep, "") for b in check(d))
    want = ["cli/c.c:1", "group/g.c:1", "read/r.c:1", "write/w.c:1", "write/w.c:2"]
    if got != want:
        print(f"self-test: expected breaches at {want}, found {got}")
        return 1
    return 0


def main():
    if self_test():
        return 1
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "src")
    breaches = check(os.path.normpath(src))
    for b in breaches:
        print(b)
    print(f"{len(breaches)} include(s) across stage boundaries")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
