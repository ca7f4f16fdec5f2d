#!/usr/bin/env python3
"""Scripts and directions in the EPUB (issue 15), from fixtures/scripts.

Three books, all through epubcheck (0 errors, 0 warnings):
- every script fixture in an English book: each <article> carries exactly
  the lang (when not the book's) and dir (rtl only) of
  tests/golden/scripts.expected.json, each paragraph its text, and only
  the paragraphs the expectation names carry a dir and a lang of their own;
  the nav's and the NCX's entries carry the same dir and language; the
  spine turns pages left to right; the stylesheet has the RTL, CJK and
  Thai rules;
- the right-to-left fixtures in an Arabic book (--lang ar): the whole book
  runs right to left (page-progression-direction, dir on every document),
  so its articles need no dir of their own, and gazette's own English
  texts (date range, counts, group labels) sit in <span dir="ltr">;
- an English book with an Arabic title: the title page's heading,
  dc:title and the NCX's docTitle say rtl.

Usage: scripts_epub.py GAZETTE SOURCE_DIR
"""
import json
import os
import re
import shutil
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402

X = "{http://www.w3.org/1999/xhtml}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RTL_FILES = ("arabic.json", "persian.json", "hebrew.json")


def attrs(el):
    """(dir, lang, xml:lang) of an element, None where absent."""
    return el.get("dir"), el.get("lang"), el.get(XML_LANG)


def text(el):
    return "".join(el.itertext())


def chapters(z):
    return [ET.fromstring(z.read(n)) for n in sorted(z.namelist()) if re.match(r"OEBPS/g\d+.*\.xhtml$", n)]


def body_blocks(article):
    """The body's text blocks in order: paragraphs and list items, not the
    meta line, the tags or the standfirst."""
    return [el for el in article.iter() if el.tag in (X + "p", X + "li")
            and el.get("class") not in ("meta", "tags", "standfirst")]


def check_mixed_book(checks, path, expected):
    with zipfile.ZipFile(path) as z:
        docs = chapters(z)
        nav = ET.fromstring(z.read("OEBPS/nav.xhtml"))
        ncx = ET.fromstring(z.read("OEBPS/toc.ncx"))
        opf = ET.fromstring(z.read("OEBPS/content.opf"))
        css = z.read("OEBPS/style.css").decode("utf-8")
    for doc in docs:
        checks.eq(attrs(doc), (None, "en", "en"), "English book: <html> is English, left to right")
    articles = {text(a.find(X + "h2")): a for doc in docs for a in doc.iter(X + "article")}
    checks.eq(sorted(articles), sorted(e["title"] for e in expected), "English book: every fixture's article")
    for e in expected:
        a = articles.get(e["title"])
        if a is None:
            continue
        lang = None if e["lang"] == "en" else e["lang"]
        want_dir = "rtl" if e["dir"] == "rtl" else None
        checks.eq(attrs(a), (want_dir, lang, lang), "%s: the article's dir and lang" % e["file"])
        checks.eq(attrs(a.find(X + "h2")), (None, None, None), "%s: the title runs as its article" % e["file"])
        blocks = body_blocks(a)
        checks.eq([unicodedata.normalize("NFC", text(b)) for b in blocks], e["paragraphs"],
                  "%s: the paragraphs' text" % e["file"])
        marked = {b["index"]: b for b in e.get("blocks", [])}
        for i, b in enumerate(blocks):
            m = marked.get(i)
            want = (m["dir"], m["lang"], m["lang"]) if m else (None, None, None)
            checks.eq(attrs(b), want, "%s: paragraph %d's dir and lang" % (e["file"], i))
        # the date, English, is isolated inside a right-to-left meta line
        time = a.find(".//" + X + "time")
        checks.eq(time.get("dir"), want_dir and "ltr", "%s: the date's direction" % e["file"])
        # no other element of the article carries a direction
        dirs = [el.tag for el in a.iter() if el.get("dir") is not None and el is not a and el is not time]
        checks.eq(len(dirs), len(marked), "%s: elements with a dir of their own" % e["file"])

    by_title = {e["title"]: e for e in expected}
    links = [el for el in nav.iter(X + "a") if "#a" in el.get("href", "")]
    checks.eq(len(links), len(expected), "nav: an entry per article")
    for el in links:
        e = by_title.get(text(el))
        if not checks.ok(e is not None, "nav: %r is a fixture's title" % text(el)):
            continue
        lang = None if e["lang"] == "en" else e["lang"]
        checks.eq(attrs(el), ("rtl" if e["dir"] == "rtl" else None, lang, lang),
                  "nav: the entry of %s" % e["file"])
    labels = [p.find(NCX + "navLabel") for p in ncx.iter(NCX + "navPoint") if p.get("id", "").startswith("a")]
    checks.eq(len(labels), len(expected), "NCX: a navPoint per article")
    for lab in labels:
        t = text(lab.find(NCX + "text"))
        e = by_title.get(t)
        if not checks.ok(e is not None, "NCX: %r is a fixture's title" % t):
            continue
        checks.eq((lab.get("dir"), lab.get(XML_LANG)),
                  ("rtl" if e["dir"] == "rtl" else None, None if e["lang"] == "en" else e["lang"]),
                  "NCX: the label of %s" % e["file"])
    checks.eq(ncx.get("dir"), None, "NCX: the English book's NCX has no direction")
    spine = opf.find(OPF + "spine")
    checks.eq(spine.get("page-progression-direction"), None, "English book: pages turn left to right")

    for rule in (r"\[dir=rtl\] \{ text-align: right;", r"\[dir=rtl\] blockquote \{[^}]*border-right: 2px",
                 r"\[dir=rtl\] ul, \[dir=rtl\] ol \{ margin: 0 1\.4em", r":lang\(ja\), :lang\(zh\), :lang\(ko\) \{"
                 r"[^}]*line-break: strict;[^}]*letter-spacing: 0;[^}]*hyphens: none;[^}]*text-align: left;",
                 r":lang\(ko\) \{[^}]*word-break: keep-all;", r":lang\(th\) \{[^}]*hyphens: none;"):
        checks.ok(re.search(rule, css) is not None, "stylesheet: %s" % rule)


def check_rtl_book(checks, path, expected):
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.endswith(".xhtml")]
        docs = {n: ET.fromstring(z.read(n)) for n in names}
        ncx = ET.fromstring(z.read("OEBPS/toc.ncx"))
        opf = ET.fromstring(z.read("OEBPS/content.opf"))
    checks.eq(opf.find(OPF + "spine").get("page-progression-direction"), "rtl",
              "Arabic book: pages turn right to left")
    for n, doc in sorted(docs.items()):
        checks.eq(attrs(doc), ("rtl", "ar", "ar"), "Arabic book: %s runs right to left" % n)
    checks.eq(ncx.get("dir"), "rtl", "Arabic book: the NCX runs right to left")
    articles = [a for n, doc in sorted(docs.items()) if re.match(r"OEBPS/g\d+", n) for a in doc.iter(X + "article")]
    want = {e["title"]: e for e in expected if e["file"] in RTL_FILES}
    checks.eq(sorted(text(a.find(X + "h2")) for a in articles), sorted(want), "Arabic book: its articles")
    for a in articles:
        e = want.get(text(a.find(X + "h2")))
        if e is None:
            continue
        lang = None if e["lang"] == "ar" else e["lang"]
        checks.eq(attrs(a), (None, lang, lang), "Arabic book: %s needs no dir of its own" % e["file"])
        checks.eq([b.get("dir") for b in body_blocks(a)], [None] * len(e["paragraphs"]),
                  "Arabic book: %s's paragraphs run as the book" % e["file"])
    # gazette's own English texts are isolated from the right-to-left flow
    page = docs["OEBPS/title.xhtml"]
    for cls in ("range", "counts"):
        p = [el for el in page.iter(X + "p") if el.get("class") == cls]
        spans = [sp.get("dir") for el in p for sp in el.iter(X + "span")]
        checks.eq(spans, ["ltr"], "Arabic book: the title page's %s is isolated left to right" % cls)
    for n, doc in sorted(docs.items()):
        if re.match(r"OEBPS/g\d+", n):
            checks.eq([sp.get("dir") for h1 in doc.iter(X + "h1") for sp in h1.iter(X + "span")], ["ltr"],
                      "Arabic book: %s's group label is isolated left to right" % n)
    nav = docs["OEBPS/nav.xhtml"]
    checks.eq([el.get("dir") for el in nav.iter(X + "a") if "#a" in el.get("href", "")], [None] * 3,
              "Arabic book: nav entries run as the book")


def check_rtl_title(checks, path, title):
    with zipfile.ZipFile(path) as z:
        page = ET.fromstring(z.read("OEBPS/title.xhtml"))
        ncx = ET.fromstring(z.read("OEBPS/toc.ncx"))
        opf = ET.fromstring(z.read("OEBPS/content.opf"))
    h1 = page.find(".//" + X + "h1")
    checks.eq((text(h1), h1.get("dir")), (title, "rtl"), "Arabic title: the title page's heading")
    dc_title = opf.find(OPF + "metadata").find(DC + "title")
    checks.eq(dc_title.get("dir"), "rtl", "Arabic title: dc:title")
    checks.eq(ncx.find(NCX + "docTitle").get("dir"), "rtl", "Arabic title: the NCX's docTitle")
    checks.eq(opf.find(OPF + "spine").get("page-progression-direction"), None,
              "Arabic title over English articles: pages still turn left to right")


def main():
    gazette, src = sys.argv[1], sys.argv[2]
    checks = gztest.Checks()
    with open(os.path.join(src, "tests", "golden", "scripts.expected.json"), encoding="utf-8") as f:
        expected = json.load(f)
    fixtures = os.path.join(src, "fixtures", "scripts")
    work = tempfile.mkdtemp(prefix="gz-scripts-epub-")
    try:
        mixed = os.path.join(work, "scripts.epub")
        rtl = os.path.join(work, "rtl.epub")
        titled = os.path.join(work, "titled.epub")
        env = gztest.clean_env({"SOURCE_DATE_EPOCH": "1700000000"})
        runs = [
            (mixed, [fixtures, "-o", mixed]),
            (rtl, [os.path.join(fixtures, f) for f in RTL_FILES] + ["--lang", "ar", "-o", rtl]),
            (titled, [os.path.join(fixtures, "emoji.json"), os.path.join(fixtures, "arabic.json"),
                      "--title", "ملخص الأخبار", "-o", titled]),
        ]
        for path, args in runs:
            p = gztest.run(gazette, args, env=env)
            checks.eq((p.returncode, p.stderr.decode("utf-8", "replace").count("warning")), (0, 0),
                      "gazette %s: exit status and warnings (%s)" % (os.path.basename(path), p.stderr[-400:]))
        if all(os.path.isfile(p) for p, _ in runs):
            check_mixed_book(checks, mixed, expected)
            check_rtl_book(checks, rtl, expected)
            check_rtl_title(checks, titled, "ملخص الأخبار")
            results, problems = gztest.epubcheck_many([p for p, _ in runs])
            checks.eq(problems, [], "epubcheck ran")
            for path, r in sorted(results.items()):
                checks.ok(r.clean, "epubcheck %s: %s\n%s" % (os.path.basename(path), r.summary(), "\n".join(r.lines)))
            checks.eq(len(results), len(runs), "epubcheck checked every EPUB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d checks, %d failed" % (checks.count, len(checks.failures)))
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
