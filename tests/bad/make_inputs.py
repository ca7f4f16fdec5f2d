#!/usr/bin/env python3
"""Writes the large or oddly named hostile inputs of tests/bad/cases.txt
into a folder (they are made at test time rather than kept in git).

Usage: make_inputs.py DIR
"""
import json
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(name, data):
    path = os.path.join(out, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


# a single line of 10 MB in a text dump, inside one article
write("long-line.txt", "A Ten Megabyte Line\n\n" + ("word " * (10 * 1024 * 1024 // 5)) + "\nA short closing line.\n")

# JSON nested 10,000 deep after one good article
write("deep.json", '[{"title":"Before the depth","body":"kept"},' + "[" * 10000 + "]" * 10000 + "]")

# JSON Lines: a deep line between two good ones
write("deep.jsonl", '{"title":"First line","body":"one"}\n' + "[" * 10000 + "]" * 10000 +
      '\n{"title":"Third line","body":"three"}\n')

# a 1 MB number as a date, and as a title
write("big-number.json", '[{"title":"Big number date","body":"x","date":' + "9" * (1 << 20) + '},'
      '{"title":' + "1" * (1 << 20) + ',"body":"y"}]')

# 100,000 empty paragraphs
write("empty-paragraphs.json", json.dumps([{"title": "Empty paragraphs", "date": "2020-12-07",
                                             "content_html": "<p></p>" * 100000 + "<p>last words</p>"}]))

# HTML nested 10,000 deep
write("deep-html.json", json.dumps([{"title": "Deep HTML", "date": "2020-12-07",
                                     "content_html": "<div>" * 10000 + "<b>deep text</b>" + "</div>" * 10000}]))

# an entity flood
write("entities.json", json.dumps([{"title": "Entity flood", "date": "2020-12-07",
                                    "content_html": "<p>" + "&amp;&lt;&#x41;&nbsp;&bogus;" * 50000 + "</p>"}]))

# file names with spaces, quotes and a newline
names = ["with space.json", 'with "quotes".json', "with\nnewline.json"]
os.makedirs(os.path.join(out, "names"), exist_ok=True)
for i, n in enumerate(names):
    with open(os.path.join(out, "names", n), "w") as f:
        json.dump([{"title": "Odd name %d" % (i + 1), "body": "Text of file %d." % (i + 1),
                    "date": "2020-12-0%d" % (i + 1)}], f)

# binary data with a .json name
write("binary.json", bytes((i * 131 + 7) % 256 for i in range(4096)))
# UTF-8 cut at the very end, and overlong forms, in otherwise good text
body = "Plain words for the reader to keep, repeated until the line is long enough. " * 20
write("truncated-utf8.txt", ("Cut UTF-8\n\n" + body + "\n").encode() + b"caf\xc3")
write("overlong-utf8.txt", ("Overlong UTF-8\n\n" + body + "\n").encode() + b"slash \xc0\xaf and \xe0\x80\xaf here\n")
# UTF-16 without a byte order mark
write("utf16.txt", "Title\n\nSome text in UTF-16 without a byte order mark.\n".encode("utf-16-le"))
# a few NUL bytes inside a text file
write("nul.txt", ("NUL bytes\n\n" + body + "\n").encode().replace(b"reader", b"rea\x00der", 3))
