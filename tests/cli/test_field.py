#!/usr/bin/env python3
"""--field NAME=PATH: a shape no reader knows, read with mappings.

tests/golden/inputs/field-nested.json keeps its records three levels down
(payload.stories.list), with the title, body, authors and URL nested in
objects and arrays. Checks: the exact readings with dotted paths; the same
plan with JSON Pointers; a malformed PATH or an unknown NAME is exit 2 with
one line; a PATH that matches no record is one warning at the end; a
mapping wins over the common names; the CSV reader takes PATH as a column.

Usage: test_field.py GAZETTE
"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
NESTED = os.path.join(HERE, "..", "golden", "inputs", "field-nested.json")

DOTTED = ["--field", "items=payload.stories.list", "--field", "title=hed.text", "--field", "date=when",
          "--field", "body=copy.paras", "--field", "author=who[].n", "--field", "url=links[0].href",
          "--field", "tags=labels"]
POINTER = ["--field", "items=/payload/stories/list", "--field", "title=/hed/text", "--field", "date=/when",
           "--field", "body=/copy/paras", "--field", "author=who[].n", "--field", "url=/links/0/href",
           "--field", "tags=/labels"]


def plan(gazette, args):
    p = gztest.run(gazette, ["--list", "--json", "-q"] + args)
    return p.returncode, (json.loads(p.stdout) if p.returncode <= 1 and p.stdout else None), p.stderr.decode()


def articles(pl):
    return [a for g in pl["groups"] for a in g["articles"]]


def main():
    gazette = sys.argv[1]
    C = gztest.Checks()
    rc, dotted, err = plan(gazette, DOTTED + [NESTED])
    C.eq(rc, 0, "dotted paths: exit status (%s)" % err)
    if dotted:
        got = [(a["title"], a["date"], a["authors"], a["url"], a["tags"], a["words"]) for a in articles(dotted)]
        C.eq(got, [("Tide mill turns again", "2025-06-01T08:00:00+00:00", ["Ada Brook"],
                    "https://mill.example/tide", ["heritage", "coast"], 18),
                   ("Ferry timetable changes", "2025-06-02T09:30:00+00:00", ["Ben Hale"],
                    "https://mill.example/ferry", ["transport"], 6)], "dotted paths: the readings")
        C.eq([i["shape"] for i in dotted["inputs"]], ["fields"], "the plan says the input was read by mappings")
    rc, pointer, err = plan(gazette, POINTER + [NESTED])
    C.eq(rc, 0, "JSON Pointers: exit status (%s)" % err)
    C.ok(pointer == dotted, "JSON Pointers and dotted paths give the same plan")

    # without the items mapping the records are not found where they are
    rc, _, _ = plan(gazette, DOTTED[2:] + [NESTED])
    C.eq(rc, 3, "without items=PATH: nothing to write")

    for bad, message in (
            ("title=hed..text", "gazette: --field title=hed..text: PATH is not a dotted path (headline.main, "
                                "links[0].href) or a JSON Pointer (/headline/main)\n"),
            ("title=links[x]", "gazette: --field title=links[x]: PATH is not a dotted path (headline.main, "
                               "links[0].href) or a JSON Pointer (/headline/main)\n"),
            ("title=/a~2b", "gazette: --field title=/a~2b: \"~\" in a JSON Pointer must be followed by 0 or 1\n"),
            ("title=", "gazette: --field title=: PATH is empty\n"),
            ("headline", "gazette: --field headline: expected NAME=PATH (title=headline.main)\n"),
            ("nope=x", "gazette: --field nope=x: unknown NAME \"nope\" (items, title, body, summary, date, "
                       "captured, author, url, tags, image, lang)\n")):
        p = gztest.run(gazette, ["--list", "--field", bad, NESTED])
        C.eq(p.returncode, 2, "--field %s: exit status" % bad)
        C.eq(p.stderr.decode(), message, "--field %s: the message" % bad)

    p = gztest.run(gazette, ["--list"] + DOTTED + ["--field", "image=hero.src", NESTED])
    C.eq(p.returncode, 0, "an unmatched PATH is a warning, not an error")
    C.eq([l for l in p.stderr.decode().splitlines() if "matched no record" in l],
         ["gazette: warning: --field image=hero.src matched no record of any input"], "the unmatched PATH warning")

    with tempfile.TemporaryDirectory() as d:
        # a mapping wins over the common names
        src = os.path.join(d, "two-titles.json")
        with open(src, "w") as f:
            json.dump([{"title": "Common name", "display": {"title": "Mapped title"},
                        "body": "Some text.", "date": "2025-06-03"}], f)
        rc, pl, err = plan(gazette, ["--field", "title=display.title", src])
        C.eq([a["title"] for a in articles(pl)] if pl else None, ["Mapped title"], "a mapping wins over an alias")
        # CSV: PATH is a column
        csv = os.path.join(d, "sheet.csv")
        with open(csv, "w") as f:
            f.write("Headline,Story,Day\nSea wall repaired,The sea wall was repaired.,2025-06-04\n")
        rc, pl, err = plan(gazette, ["--field", "title=Headline", "--field", "body=Story", "--field", "date=Day", csv])
        got = [(a["title"], a["date"], a["words"]) for a in articles(pl)] if pl else None
        C.eq(got, [("Sea wall repaired", "2025-06-04", 5)], "CSV: columns by --field")
    print("field: %d checks, %d failures" % (C.count, len(C.failures)))
    return 1 if C.failures else 0


if __name__ == "__main__":
    sys.exit(main())
