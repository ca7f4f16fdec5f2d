#!/usr/bin/env python3
"""Checks gazette's reading of fixtures/ against the hand-written facts.

The facts in tests/golden/facts/ were written from the fixtures and the
rules of SPEC 1, independently of the reader's code. This runs
`gazette --list --json` over the whole fixtures folder (one INPUT) and
compares every article's title, date, authors, url, tags, captured date,
word count and duplicate status with them.
Usage: check_facts.py GAZETTE FIXTURES_DIR FACTS_DIR
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402


def load_facts(facts_dir):
    facts = {}
    for name in sorted(os.listdir(facts_dir)):
        if not name.endswith(".facts"):
            continue
        with open(os.path.join(facts_dir, name), encoding="utf-8") as f:
            lines = f.read().split("\n")
        fixture = lines[0].split("fixture:", 1)[1].strip()
        block = {}
        for line in lines[1:] + [""]:
            if line.startswith("#"):
                continue
            if not line.strip():
                if block:
                    facts[(fixture, block["line"], block["article"])] = block
                    block = {}
                continue
            key, value = line.split(":", 1)
            block[key.strip()] = json.loads(value)
    return facts


def run(gazette, fixtures, extra):
    # The corpus the facts were written from: fixtures/json, fixtures/text
    # and fixtures/feeds (the other folders hold the producers' and CSV
    # dumps, checked by their own goldens).
    core = [os.path.join(fixtures, "json"), os.path.join(fixtures, "text"),
            os.path.join(fixtures, "feeds")]
    out = gztest.run(gazette, ["--list", "--json", "-q"] + extra + core, env=dict(os.environ))
    plan = json.loads(out.stdout)
    arts = []
    for g in plan["groups"]:
        arts.extend(g["articles"])
    return arts, plan


def main():
    gazette, fixtures, facts_dir = sys.argv[1:4]
    root = os.path.dirname(os.path.abspath(fixtures.rstrip("/")))
    facts = load_facts(facts_dir)
    arts, plan_all = run(gazette, fixtures, ["--no-dedupe"])
    kept, plan_kept = run(gazette, fixtures, [])
    kept_sources = {a["source"] for a in kept}
    by_source = {}
    for a in arts:
        by_source.setdefault(a["source"], []).append(a)
    failures = 0
    for what, plan in (("--no-dedupe", plan_all), ("default", plan_kept)):
        for problem in gztest.accounting_problems(plan["counts"]):
            print("%s plan: %s" % (what, problem))
            failures += 1
    seen = 0
    for (fixture, line, index), fact in sorted(facts.items()):
        rel = os.path.relpath(os.path.join(root, fixture), os.getcwd())
        src = "%s:%d" % (fixtures.rstrip("/") + fixture.split("fixtures", 1)[1], line)
        cands = by_source.get(src, [])
        if len(cands) != 1 and fact["title"] is not None:
            cands = [a for a in cands if a["title"] == fact["title"]]
        if len(cands) != 1:
            print("%s article %d: %d articles at %s" % (fixture, index, len(cands), src))
            failures += 1
            continue
        a = cands[0]
        seen += 1
        for key in ("title", "date", "authors", "url", "tags", "captured", "words"):
            if a.get(key) != fact.get(key):
                print("%s article %d: %s is %r, facts say %r" % (fixture, index, key, a.get(key), fact.get(key)))
                failures += 1
        want_kept = fact.get("status", "kept") == "kept"
        if (src in kept_sources) != want_kept and len(by_source[src]) == 1:
            print("%s article %d: kept=%s, facts say %s" % (fixture, index, src in kept_sources, fact.get("status")))
            failures += 1
    if seen != len(arts):
        print("the plan has %d articles, the facts %d" % (len(arts), seen))
        failures += 1
    print("%d facts checked, %d failures" % (len(facts), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
