#!/usr/bin/env python3
"""Checks gazette's reading of the producer dumps against expected.json.

tests/golden/producers.expected.json says, for every record of every
producer dump, what a correct reader gives (its conventions are in
fixtures/producers/README). This runs `gazette --list --json -q --no-dedupe --tz UTC`
on each dump alone and compares, article by article in the order of the
records in the file, the title (unless the dump has none), the date to the
minute in UTC, the captured date, the authors, the url and the tags; and,
since the plan has to say them, the standfirst (plan member `standfirst`)
and the teaser mark (plan member `teaser`, true or false). The body's last sentence is not in a plan:
the EPUB and PDF checks assert it.
Usage: check_producers.py GAZETTE PRODUCERS_DIR [FILE...]
With FILE names, only those dumps are checked.
"""
import json
import os
import re
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402

EXPECTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "producers.expected.json")


def to_minute(value):
    """A plan date as expected.json writes it: UTC to the minute, or the
    date alone when the plan has no time of day."""
    if value is None or re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return value
    d = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def source_key(source):
    """Orders articles as their records sit in the file: by line, then column."""
    parts = source.rsplit(":", 2)
    nums = [int(p) for p in parts[1:] if p.isdigit()]
    return nums + [0] * (2 - len(nums))


def plan_articles(gazette, path):
    p = gztest.run(gazette, ["--list", "--json", "-q", "--no-dedupe", "--tz", "UTC", path])
    if p.returncode > 1:
        return None, "gazette exited with %d: %s" % (p.returncode, p.stderr.decode(errors="replace").strip())
    plan = json.loads(p.stdout)
    arts = [a for g in plan["groups"] for a in g["articles"]]
    arts.sort(key=lambda a: source_key(a["source"]))
    return arts, None


def pair_up(wants, arts):
    left = list(arts)
    paired = []
    for want in wants:
        pick = None
        for key, wkey in (("url", "url"), ("title", "title")):
            same = [a for a in left if want[wkey] is not None and a.get(key) == want[wkey]]
            if len(same) == 1:
                pick = same[0]
                break
        if pick is None:
            pick = left[0]
        left.remove(pick)
        paired.append(pick)
    return paired


def compare(name, want, got):
    problems = []

    def diff(key, actual, expected):
        if actual != expected:
            problems.append("%s record %d: %s is %r, expected %r" % (name, want["index"], key, actual, expected))

    if want["title"] is not None:  # none in the dump: the reader makes one, not asserted
        diff("title", got.get("title"), want["title"])
    diff("date", to_minute(got.get("date")), want["date_utc"])
    diff("captured", to_minute(got.get("captured")), want["captured_utc"])
    diff("authors", got.get("authors", []), want["authors"])
    diff("url", got.get("url"), want["url"])
    diff("tags", got.get("tags", []), want["tags"])
    for key, expected in (("standfirst", want["standfirst"]), ("teaser", want["teaser_only"])):
        if key not in got:
            problems.append("%s record %d: the plan has no %s member" % (name, want["index"], key))
        else:
            diff(key, got[key], expected)
    return problems


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[-2])
        return 2
    gazette, folder = sys.argv[1:3]
    only = set(sys.argv[3:])
    with open(EXPECTED, encoding="utf-8") as f:
        expected = json.load(f)
    by_file = {}
    for rec in expected:
        by_file.setdefault(rec["file"], []).append(rec)
    failures = checked = 0
    for name in sorted(by_file):
        if only and name not in only:
            continue
        wants = sorted(by_file[name], key=lambda r: r["index"])
        arts, error = plan_articles(gazette, os.path.join(folder, name))
        if error:
            print("%s: %s" % (name, error))
            failures += 1
            continue
        if len(arts) != len(wants):
            print("%s: the plan has %d articles, expected.json %d" % (name, len(arts), len(wants)))
            failures += 1
            continue
        # Records on one line (a minified dump) have one source: those are
        # paired by URL, then title, so that their order in the plan (by
        # date) does not matter.
        arts = pair_up(wants, arts)
        for want, got in zip(wants, arts):
            checked += 1
            for problem in compare(name, want, got):
                print(problem)
                failures += 1
    print("%d records checked, %d failures" % (checked, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
