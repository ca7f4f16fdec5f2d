#!/usr/bin/env python3
"""End-to-end tests of gazette's EPUB output (SPEC 4, 4.1, 5, 6).

    test_epub.py GAZETTE_BINARY SOURCE_DIR CASE

runs one named case (see CASES at the bottom). Every EPUB a case writes
is checked with epubcheck (no fatal, error or warning allowed) and opened
with zipfile to check the container, the navigation against the plan of
`gazette --list --json` for the same inputs and options, the content
documents, and that no markup or script from the inputs got through.

Checks do not stop at the first failure: a case reports every failed
check, then exits 1. The running, the checks, epubcheck (all EPUBs of a
case in one JVM, at the end of the case) and the safety allow-list come
from tests/lib/gztest.py.

Environment: EPUBCHECK_JAR (default /usr/bin/epubcheck), JAVA (default
java), GZ_EPUBCHECK_CLASSES (the built EpubCheckMany driver), EBOOK_CONVERT
(default: ebook-convert from PATH).
Stdlib only.
"""
import datetime
import errno
import io
import json
import os
import posixpath
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402

SKIP = gztest.SKIP

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "svg": "http://www.w3.org/2000/svg",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{%s}type" % NS["epub"]


def X(tag):
    return "{%s}%s" % (NS["x"], tag)


# ---------------------------------------------------------------- checks


Checks = gztest.Checks
short = gztest.short


C = Checks()
GAZETTE = None
SOURCE = None


# ---------------------------------------------------------------- running gazette


def base_env(extra=None):
    return gztest.clean_env(dict({"LC_ALL": "C.UTF-8"}, **(extra or {})))


def run_gazette(args, cwd=None, env=None, preexec_fn=None, expect_rc=0, what=None, wrap=None):
    """Runs gazette with a private TMPDIR; checks the exit status and that
    the TMPDIR is empty afterwards (no spool or temporary file left).
    wrap(cmd) may return the command to run instead (e.g. in a namespace)."""
    p = gztest.run(GAZETTE, args, cwd=cwd or SOURCE, env=base_env(env), preexec_fn=preexec_fn,
                   private_tmpdir=True, wrap=wrap)
    label = what or " ".join(args)
    print("  ran gazette %s -> %d (%.2f s)" % (" ".join(args), p.returncode, p.seconds), flush=True)
    if expect_rc is not None:
        C.eq(p.returncode, expect_rc, "exit status of `gazette %s`; stderr:\n%s"
             % (label, p.stderr.decode("utf-8", "replace")))
    C.eq(p.tmp_left, [], "files left in TMPDIR by `gazette %s`" % label)
    return p


def plan_of(args, cwd=None, env=None):
    p = run_gazette(["--list", "--json", "-q"] + list(args), cwd=cwd, env=env, expect_rc=None)
    try:
        plan = json.loads(p.stdout.decode("utf-8"))
    except ValueError as ex:
        C.ok(False, "--list --json output is not JSON (%s): %r" % (ex, p.stdout[:300]))
        return {"groups": [], "counts": {}}
    gztest.check_accounting(C, plan.get("counts", {}), "--list --json %s" % " ".join(args))
    return plan


def plan_outline(plan):
    return [(g["label"], [a["title"] for a in g["articles"]]) for g in plan["groups"]]


def stderr_lines(p):
    return p.stderr.decode("utf-8", "replace").splitlines()


def summary_text(articles, groups, dupes=0, skipped=0):
    s = "%s article%s in %s group%s" % (f"{articles:,}", "" if articles == 1 else "s",
                                        f"{groups:,}", "" if groups == 1 else "s")
    extra = []
    if dupes:
        extra.append("%s duplicate%s dropped" % (f"{dupes:,}", "" if dupes == 1 else "s"))
    if skipped:
        extra.append("%s skipped" % f"{skipped:,}")
    if extra:
        s += " (" + ", ".join(extra) + ")"
    return s


# ---------------------------------------------------------------- epubcheck


EPUBCHECK = gztest.EpubcheckQueue(C)


def epubcheck(path):
    """Queues path for epubcheck: every EPUB a case writes is checked in
    one JVM when the case ends (no fatal, error or warning allowed)."""
    EPUBCHECK.add(path)


# ---------------------------------------------------------------- reading an EPUB


class Epub:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        with open(path, "rb") as f:
            self.raw = f.read()
        self.zf = zipfile.ZipFile(io.BytesIO(self.raw))
        self.infos = self.zf.infolist()
        self.names = [i.filename for i in self.infos]
        self._xml = {}
        container = self.xml("META-INF/container.xml")
        rf = container.find(".//c:rootfile", NS) if container is not None else None
        self.opf_path = rf.get("full-path") if rf is not None else None
        self.opf = self.xml(self.opf_path) if self.opf_path else None
        self.opf_dir = posixpath.dirname(self.opf_path or "")
        self.manifest = {}
        self.spine = []
        self.nav_path = self.ncx_path = None
        if self.opf is not None:
            for it in self.opf.findall("opf:manifest/opf:item", NS):
                href = self.resolve(self.opf_path, it.get("href"))
                self.manifest[it.get("id")] = (href, it.get("media-type"), it.get("properties") or "")
                if "nav" in (it.get("properties") or "").split():
                    self.nav_path = href
                if it.get("media-type") == "application/x-dtbncx+xml":
                    self.ncx_path = href
            for ref in self.opf.findall("opf:spine/opf:itemref", NS):
                self.spine.append(self.manifest.get(ref.get("idref"), (None,))[0])

    def read(self, name):
        return self.zf.read(name)

    def text(self, name):
        return self.read(name).decode("utf-8")

    def xml(self, name):
        if name not in self._xml:
            try:
                self._xml[name] = ET.fromstring(self.read(name))
            except (KeyError, ET.ParseError) as ex:
                C.ok(False, "%s: %s does not parse as XML: %s" % (self.name, name, ex))
                self._xml[name] = None
        return self._xml[name]

    @staticmethod
    def resolve(base_file, href):
        path = href.split("#", 1)[0]
        path = urllib.parse.unquote(path)
        return posixpath.normpath(posixpath.join(posixpath.dirname(base_file), path))

    def meta(self, tag):
        """Texts of a dc: element of the package metadata."""
        return ["".join(e.itertext()) for e in self.opf.findall("opf:metadata/dc:%s" % tag, NS)]

    def modified(self):
        for m in self.opf.findall("opf:metadata/opf:meta", NS):
            if m.get("property") == "dcterms:modified":
                return m.text
        return None

    def content_docs(self):
        """Spine documents holding articles, in spine order."""
        docs = []
        for path in self.spine:
            root = self.xml(path) if path else None
            if root is not None and root.find(".//x:article", NS) is not None:
                docs.append(path)
        return docs

    def text_files(self):
        # pictures (the cover, article images) are the binary files
        return [n for n in self.names if not n.endswith(("/", ".png", ".jpg"))]


def itext(e):
    return "".join(e.itertext()) if e is not None else None


def parse_nav(ep):
    """[(label, href, [(title, href)])] from the nav document's toc nav."""
    root = ep.xml(ep.nav_path) if ep.nav_path else None
    if root is None:
        C.ok(False, "%s: no nav document" % ep.name)
        return []
    toc = [n for n in root.iter(X("nav")) if n.get(EPUB_TYPE) == "toc"]
    if not C.eq(len(toc), 1, "%s: number of <nav epub:type=toc>" % ep.name):
        return []
    ol = toc[0].find("x:ol", NS)
    out = []
    for li in ol.findall("x:li", NS) if ol is not None else []:
        a = li.find("x:a", NS)
        sub = li.find("x:ol", NS)
        arts = []
        for li2 in sub.findall("x:li", NS) if sub is not None else []:
            a2 = li2.find("x:a", NS)
            C.ok(li2.find("x:ol", NS) is None, "%s: nav nests deeper than group -> article" % ep.name)
            arts.append((itext(a2), a2.get("href") if a2 is not None else None))
        out.append((itext(a), a.get("href") if a is not None else None, arts))
    return out


def parse_ncx(ep):
    root = ep.xml(ep.ncx_path) if ep.ncx_path else None
    if root is None:
        C.ok(False, "%s: no toc.ncx" % ep.name)
        return []

    def point(p):
        return (itext(p.find("ncx:navLabel/ncx:text", NS)),
                p.find("ncx:content", NS).get("src") if p.find("ncx:content", NS) is not None else None)

    out = []
    for p in root.findall("ncx:navMap/ncx:navPoint", NS):
        label, src = point(p)
        arts = []
        for p2 in p.findall("ncx:navPoint", NS):
            C.ok(p2.find("ncx:navPoint", NS) is None, "%s: toc.ncx nests deeper than 2" % ep.name)
            arts.append(point(p2))
        out.append((label, src, arts))
    return out


def outline(nav):
    return [(label, [t for t, _ in arts]) for label, _, arts in nav]


def find_id(root, ident):
    for e in root.iter():
        if e.get("id") == ident:
            return e
    return None


# ---------------------------------------------------------------- generic EPUB checks


def check_container(ep):
    C.ok(len(ep.infos) > 0, "%s: empty zip" % ep.name)
    if not ep.infos:
        return
    first = ep.infos[0]
    C.eq(first.filename, "mimetype", "%s: first zip entry" % ep.name)
    C.eq(first.compress_type, zipfile.ZIP_STORED, "%s: mimetype compression (0 = stored)" % ep.name)
    C.eq(ep.read("mimetype"), b"application/epub+zip", "%s: mimetype content" % ep.name)
    C.eq(first.extra, b"", "%s: mimetype extra field" % ep.name)
    # the local header: 30 bytes then the name, then the content right away
    C.eq(ep.raw[30:38], b"mimetype", "%s: name in the first local header" % ep.name)
    C.eq(ep.raw[38:58], b"application/epub+zip", "%s: mimetype bytes at offset 38" % ep.name)
    C.eq(len(set(ep.names)), len(ep.names), "%s: duplicate zip entries" % ep.name)
    C.ok(ep.zf.testzip() is None, "%s: zip CRC check" % ep.name)
    C.eq(ep.opf_path is not None and ep.opf is not None, True, "%s: container.xml names a package document" % ep.name)
    C.ok(ep.nav_path is not None, "%s: manifest has a nav item" % ep.name)
    C.ok(ep.ncx_path is not None, "%s: manifest has a toc.ncx for EPUB 2 readers" % ep.name)
    if ep.opf is not None:
        C.eq(ep.opf.get("version"), "3.0", "%s: package version" % ep.name)
        for ident, (href, mt, _) in ep.manifest.items():
            C.ok(href in ep.names, "%s: manifest item %s (%s) is in the zip" % (ep.name, ident, href))
        listed = set(h for h, _, _ in ep.manifest.values())
        extra = [n for n in ep.names if n not in listed and n not in ("mimetype", "META-INF/container.xml", ep.opf_path)]
        C.eq(extra, [], "%s: zip entries not in the manifest" % ep.name)
        uid = ep.meta("identifier")
        C.ok(len(uid) == 1 and re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", uid[0] or ""),
             "%s: dc:identifier is one urn:uuid: %r" % (ep.name, uid))
        mod = ep.modified()
        C.ok(mod is not None and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", mod),
             "%s: dcterms:modified is CCYY-MM-DDThh:mm:ssZ: %r" % (ep.name, mod))
    # every XML file parses
    for n in ep.text_files():
        if n.endswith((".xhtml", ".opf", ".ncx", ".xml")):
            ep.xml(n)


def check_nav_against_plan(ep, plan):
    """nav.xhtml and toc.ncx nest exactly the plan's groups and articles in
    order; every link lands on the group heading or the article with that
    title; the spine holds the articles in the same order; a content
    document holds one group's articles only."""
    expected = plan_outline(plan)
    nav = parse_nav(ep)
    C.eq(outline(nav), expected, "%s: nav.xhtml groups and article titles vs --list --json" % ep.name)
    ncx = parse_ncx(ep)
    C.eq(outline(ncx), expected, "%s: toc.ncx groups and article titles vs --list --json" % ep.name)
    for which, toc, base in (("nav.xhtml", nav, ep.nav_path), ("toc.ncx", ncx, ep.ncx_path)):
        bad = []
        for gi, (label, href, arts) in enumerate(toc):
            if not href:
                bad.append("group %r has no link" % label)
                continue
            path = ep.resolve(base, href)
            root = ep.xml(path) if path in ep.names else None
            frag = href.split("#", 1)[1] if "#" in href else None
            if root is None:
                bad.append("group %r links to missing %s" % (label, href))
                continue
            target = find_id(root, frag) if frag else root.find(".//x:h1", NS)
            if target is None or itext(target) != label:
                bad.append("group %r: %s does not land on its heading (%r)" % (label, href, itext(target)))
            for title, ahref in arts:
                if not ahref or "#" not in ahref:
                    bad.append("article %r has no fragment link: %r" % (title, ahref))
                    continue
                apath = ep.resolve(base, ahref)
                aroot = ep.xml(apath) if apath in ep.names else None
                el = find_id(aroot, ahref.split("#", 1)[1]) if aroot is not None else None
                if el is None or el.tag != X("article"):
                    bad.append("article %r: %s is not an <article>" % (title, ahref))
                    continue
                h2 = el.find("x:h2", NS)
                if itext(h2) != title:
                    bad.append("article %r: %s lands on %r" % (title, ahref, itext(h2)))
        C.eq(bad, [], "%s: %s links" % (ep.name, which))
    # spine order and one group per content document
    docs = ep.content_docs()
    labels, titles, doc_groups = [], [], []
    for path in docs:
        root = ep.xml(path)
        labels += [itext(h) for h in root.iter(X("h1"))]
        arts = list(root.iter(X("article")))
        titles += [itext(a.find("x:h2", NS)) for a in arts]
        doc_groups.append([itext(a.find("x:h2", NS)) for a in arts])
    C.eq(labels, [g for g, _ in expected], "%s: group headings (h1) in spine order" % ep.name)
    C.eq(titles, [t for _, ts in expected for t in ts], "%s: article titles (h2) in spine order" % ep.name)
    # documents per group, in order: each document's titles are a slice of one group
    flat_group = [gi for gi, (_, ts) in enumerate(expected) for _ in ts]
    k = 0
    mixed = []
    for path, ts in zip(docs, doc_groups):
        gs = set(flat_group[k:k + len(ts)])
        if len(gs) > 1:
            mixed.append(path)
        k += len(ts)
    C.eq(mixed, [], "%s: content documents holding articles of more than one group" % ep.name)
    spine_head = [posixpath.basename(p or "") for p in ep.spine[:2]]
    C.eq(spine_head, ["title.xhtml", "nav.xhtml"], "%s: spine starts with the title page and the contents" % ep.name)
    return nav


SAFE_SCHEMES = ("http://", "https://", "mailto:")
CONTENT_ELEMENTS = gztest.CONTENT_ELEMENTS
CONTENT_ATTRS = gztest.CONTENT_ATTRS


def check_safety(ep):
    """The shared allow-list (gztest.epub_safety_problems: no script, no
    event attribute, no javascript: anywhere; content documents hold only
    allow-listed elements and attributes and link only to http, https and
    mailto); ids unique and article titles the only h1/h2 of an article."""
    C.eq(gztest.epub_safety_problems(ep.raw), [], "%s: EPUB safety (markup or script from the inputs)" % ep.name)
    for path in ep.content_docs():
        root = ep.xml(path)
        ids = [e.get("id") for e in root.iter() if e.get("id")]
        C.eq(len(ids), len(set(ids)), "%s: %s has duplicate ids" % (ep.name, path))
        # article titles are h2 and body headings are demoted below them
        for art in root.iter(X("article")):
            heads = [h.tag for h in art.iter() if h.tag in (X("h1"), X("h2"))]
            C.eq(heads, [X("h2")], "%s: %s article %s: h1/h2 inside an article other than its title"
                 % (ep.name, path, art.get("id")))


TEXT_BLOCKS = {X(t) for t in ("title", "h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "a", "time")} | {
    "{%s}text" % NS["ncx"], "{%s}text" % NS["svg"], "{%s}title" % NS["svg"]}


def doc_text(root):
    """The text of each block-like element of a document (entities
    resolved, inline markup joined), one per line."""
    return "\n".join("".join(e.itertext()) for e in root.iter() if e.tag in TEXT_BLOCKS)


def all_content_text(ep):
    """doc_text of every XHTML document and the NCX."""
    out = []
    for n in ep.text_files():
        if n.endswith((".xhtml", ".ncx")):
            root = ep.xml(n)
            if root is not None:
                out.append(doc_text(root))
    return "\n".join(out)


def check_titles_present(ep, plan):
    """Every article title appears, as text, in the content document its
    nav link points to (and escaped in that document's raw XHTML)."""
    nav = parse_nav(ep)
    cache = {}
    missing, missing_raw = [], []
    for g, (_, _, arts) in zip(plan["groups"], nav):
        for a, (_, href) in zip(g["articles"], arts):
            path = ep.resolve(ep.nav_path, href or "")
            if path not in cache:
                root = ep.xml(path) if path in ep.names else None
                cache[path] = (doc_text(root) if root is not None else "",
                               ep.text(path).replace("&gt;", ">").replace("&quot;", '"') if root is not None else "")
            text, norm = cache[path]
            if a["title"] not in text:
                missing.append(a["title"])
            if a["title"].replace("&", "&amp;").replace("<", "&lt;") not in norm:
                missing_raw.append(a["title"])
    C.eq(missing, [], "%s: article titles missing from the content documents" % ep.name)
    C.eq(missing_raw, [], "%s: titles not found escaped in the raw XHTML" % ep.name)


def check_title_page(ep, articles, groups, date_range):
    root = ep.xml(posixpath.join(ep.opf_dir, "title.xhtml"))
    if root is None:
        return
    counts = [itext(p) for p in root.iter(X("p")) if p.get("class") == "counts"]
    C.eq(counts, [summary_text(articles, groups)], "%s: title page counts" % ep.name)
    rng = [itext(p) for p in root.iter(X("p")) if p.get("class") == "range"]
    C.eq(rng, [date_range] if date_range else [], "%s: title page date range" % ep.name)


MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def expected_range(plan):
    """The date range of the title page, from the plan's article dates:
    "7 Dec 2020", "7 – 13 Dec 2020", "23 Nov – 20 Dec 2020",
    "30 Dec 2019 – 5 Jan 2020"."""
    days = sorted(a["date"][:10] for g in plan["groups"] for a in g["articles"] if a.get("date"))
    if not days:
        return None
    (y1, m1, d1), (y2, m2, d2) = ([int(x) for x in days[0].split("-")], [int(x) for x in days[-1].split("-")])
    if (y1, m1, d1) == (y2, m2, d2):
        return "%d %s %d" % (d1, MONTHS[m1 - 1], y1)
    if (y1, m1) == (y2, m2):
        return "%d – %d %s %d" % (d1, d2, MONTHS[m1 - 1], y1)
    if y1 == y2:
        return "%d %s – %d %s %d" % (d1, MONTHS[m1 - 1], d2, MONTHS[m2 - 1], y1)
    return "%d %s %d – %d %s %d" % (d1, MONTHS[m1 - 1], y1, d2, MONTHS[m2 - 1], y2)


def check_zip_times(ep, expected):
    times = sorted(set(i.date_time for i in ep.infos))
    C.eq(times, [expected], "%s: zip entry times" % ep.name)


def check_all(ep, plan):
    check_container(ep)
    if ep.opf is None:
        return  # nothing more can be found without a package document
    check_nav_against_plan(ep, plan)
    check_titles_present(ep, plan)
    check_safety(ep)


def write_and_check(tmp, name, inputs, options=(), env=None, expect_rc=0, cwd=None):
    """Writes one digest, epubchecks it, and runs the generic checks against
    the plan of the same inputs and options. Returns (epub, plan, process)."""
    out = os.path.join(tmp, name)
    p = run_gazette(list(options) + list(inputs) + ["-o", out], env=env, expect_rc=expect_rc, cwd=cwd)
    plan = plan_of(list(options) + list(inputs), env=env, cwd=cwd)
    if not C.ok(os.path.isfile(out), "gazette wrote no %s" % out):
        return None, plan, p
    epubcheck(out)
    ep = Epub(out)
    check_all(ep, plan)
    return ep, plan, p


def fixture_path(*parts):
    return os.path.join(SOURCE, "fixtures", *parts)


def data_path(name):
    return os.path.join(SOURCE, "tests", "e2e", "data", name)


# ---------------------------------------------------------------- the cases


# Site chrome of fixtures/text: sidebar headings and headlines, capture
# dates, and the footer and newsletter lines repeated on every page of
# fixtures/text/site/. (file, string)
CHROME = [
    ("scraped-en.txt", "Latest news"),
    ("scraped-en.txt", "New Bus Shelters Installed Along the Valley Road"),
    ("scraped-en.txt", "Chess Club Wins Regional Team Title"),
    ("scraped-en.txt", "13.Jan.2026"),
    ("scraped-en.txt", "14 Jan 2026"),
    ("scraped-hy.txt", "Most read"),
    ("scraped-hy.txt", "Արեգավանում տեղացել է առաջին ձյունը"),
    ("scraped-hy.txt", "15 Jan 2026"),
    ("scraped-ka.txt", "Read more"),
    ("scraped-ka.txt", "ახალსოფელში ახალი საბავშვო ბაღი გაიხსნა"),
    ("scraped-ka.txt", "16 Jan 2026"),
    ("scraped-ru.txt", "Related articles"),
    ("scraped-ru.txt", "В городском парке высадили сто лип"),
    ("scraped-ru.txt", "Музей краеведения получил в дар коллекцию открыток"),
    ("scraped-tr.txt", "More news"),
    ("scraped-tr.txt", "İskele Meydanı'nda kış pazarı kuruldu"),
    ("scraped-tr.txt", "Şehir kütüphanesi hafta sonu da açık olacak"),
    ("popular.txt", "Lantern Makers Share Their Secrets"),
    ("site/bridge.txt", "Copyright 2020 The Valley Courier. All rights reserved."),
    ("site/bridge.txt", "Subscribe to our morning newsletter to get the news first."),
    ("site/bridge.txt", "Recommended"),
    ("site/bridge.txt", "Valley Farmers Market Moves Indoors"),
    ("site/school.txt", "Ferris Green Pub Changes Hands"),
]
# Body lines right next to the chrome, which must stay.
BODY_KEPT = [
    ("scraped-en.txt", "The design study is expected to cost 1.8 million crowns, shared between the councils and the regional rail authority."),
    ("popular.txt", "Popular demand brought the night market back: a petition signed by more than 4,000 residents persuaded the council to waive its stall fees for the winter."),
    ("site/bridge.txt", "Villagers marked the reopening by walking across together, led by the oldest resident of Ferris Green, who turned 98 in the spring."),
    ("scraped-ru.txt", "Ремонт планируют завершить к середине весны, если позволит погода."),
    ("scraped-ka.txt", "ადგილობრივი სკოლები ორშაბათს ჩვეულებრივ რეჟიმში იმუშავებენ."),
]


def check_chrome(ep, files=None):
    text = all_content_text(ep)
    for f, s in CHROME + BODY_KEPT:
        if files is not None and f not in files:
            continue
        with open(fixture_path("text", f), encoding="utf-8") as fh:
            C.ok(s in fh.read(), "test data: %r is not in fixtures/text/%s" % (s, f))
    for f, s in CHROME:
        if files is None or f in files:
            C.ok(s not in text, "%s: chrome of fixtures/text/%s shows in the EPUB: %r" % (ep.name, f, s))
    if files is None or any(f.startswith("scraped") for f in files):
        C.ok("2026" not in text, "%s: a capture date (2026) shows in the EPUB" % ep.name)
    for f, s in BODY_KEPT:
        if files is None or f in files:
            C.ok(s in text, "%s: body line of fixtures/text/%s is missing: %r" % (ep.name, f, s))


ALIASES_TITLE = "<b>Breaking</b>: Bridge & Tunnel Fares Frozen for 2021"


def escaped_in(raw, text):
    """Whether `text` is in the raw XML `raw` with & and < escaped (> and "
    may be escaped or not)."""
    norm = raw.replace("&gt;", ">").replace("&quot;", '"')
    return text.replace("&", "&amp;").replace("<", "&lt;") in norm


def check_literal_title(ep, title):
    """A plain title holding markup shows as literal text: escaped in the
    raw XHTML, the same text when parsed, no element made of it."""
    nav = ep.xml(ep.nav_path)
    C.ok(escaped_in(ep.text(ep.nav_path), title), "%s: nav.xhtml does not hold %r escaped" % (ep.name, title))
    links = [a for a in nav.iter(X("a")) if itext(a) == title]
    C.eq([[c.tag for c in a] for a in links], [[]], "%s: nav links whose parsed text is %r (and their children)" % (ep.name, title))
    docs = ep.content_docs()
    C.ok(any(escaped_in(ep.text(d), title) for d in docs), "%s: no content document holds %r escaped" % (ep.name, title))
    h2s = [h for d in docs for h in ep.xml(d).iter(X("h2")) if itext(h) == title]
    C.eq([[c.tag for c in h] for h in h2s], [[]], "%s: <h2> whose parsed text is %r (and their children)" % (ep.name, title))


def case_fixtures(tmp):
    """One digest of all of fixtures/ (every input shape), day groups."""
    ep, plan, p = write_and_check(tmp, "fixtures.epub", ["fixtures/json", "fixtures/text"])
    if not ep:
        return
    C.eq(plan["counts"].get("written"), 57, "fixtures: articles written (fixtures/README.md)")
    C.eq(plan["counts"].get("duplicates"), 3, "fixtures: duplicates")
    C.eq(len(plan["groups"]), 29, "fixtures: day groups (28 days + Undated)")
    C.eq(stderr_lines(p), [
        "gazette: fixtures/text/undated.txt:1:1: warning: \"A Walker's Guide to the Valley's Winter Trails\" has no date; it goes to Undated",
        # trafilatura.jsonl's lead image is remote: left out without --fetch-images
        "gazette: %s: warning: 1 remote image left out; --fetch-images embeds them" % ep.path,
        "Wrote %s: %s" % (ep.path, summary_text(57, 29, dupes=3)),
    ], "fixtures: standard error")
    C.eq(ep.meta("title"), ["Digest \u2014 23 Nov \u2013 20 Dec 2020"], "fixtures: dc:title with the date range")
    C.eq(ep.meta("language"), ["en"], "fixtures: dc:language")
    C.eq(ep.modified(), "2020-12-20T08:45:00Z", "fixtures: dcterms:modified is the newest article's time")
    check_zip_times(ep, (2020, 12, 20, 8, 45, 0))
    check_title_page(ep, 57, 29, "23 Nov \u2013 20 Dec 2020")
    check_chrome(ep)
    check_literal_title(ep, ALIASES_TITLE)
    raw = "".join(ep.text(d) for d in ep.content_docs())
    C.ok("&lt;b&gt;Breaking&lt;/b&gt;: Bridge &amp; Tunnel Fares Frozen for 2021" in raw,
         "fixtures: the aliases.json title is not escaped as &lt;b&gt;Breaking&lt;/b&gt;: Bridge &amp; Tunnel ...")
    C.eq(len(ep.content_docs()), 29, "fixtures: one content document per group")


GROUPINGS = {
    "week": ["Week 48, 2020 (23 Nov \u2013 29 Nov)", "Week 49, 2020 (30 Nov \u2013 6 Dec)",
             "Week 50, 2020 (7 Dec \u2013 13 Dec)", "Week 51, 2020 (14 Dec \u2013 20 Dec)", "Undated"],
    "month": ["November 2020", "December 2020", "Undated"],
    "year": ["2020", "Undated"],
    "all": ["All articles", "Undated"],
}


def bulk_articles(n=150, seed=20201201):
    """Long generated articles on three days: with --group-by all they make
    one group of well over 300 KB of XHTML."""
    r = random.Random(seed)
    words = ("harbour council bridge market winter orchard choir library ferry tram museum school "
             "festival river valley lantern station garden quay timetable snow frost lighthouse").split()
    arts = []
    for i in range(n):
        paras = "\n\n".join(" ".join(r.choice(words) for _ in range(90)) for _ in range(5))
        arts.append({"title": "Bulk article %03d about the %s" % (i, r.choice(words)),
                     "date": "2020-12-%02dT%02d:%02d:00Z" % (1 + i % 3, i % 24, (7 * i) % 60),
                     "url": "https://bulk.example/%03d" % i, "body": paras})
    return arts


def grouping_case(unit):
    def case(tmp):
        inputs = ["fixtures/json", "fixtures/text"]
        if unit == "all":
            bulk = os.path.join(tmp, "bulk.json")
            with open(bulk, "w", encoding="utf-8") as f:
                json.dump(bulk_articles(), f)
            inputs.append(bulk)
        ep, plan, p = write_and_check(tmp, "group-%s.epub" % unit, inputs, ["--group-by", unit])
        if not ep:
            return
        labels = [g["label"] for g in plan["groups"]]
        C.eq(labels, GROUPINGS[unit], "--group-by %s: group labels of the plan" % unit)
        written = 57 + (150 if unit == "all" else 0)
        C.eq(plan["counts"].get("written"), written, "--group-by %s: articles written" % unit)
        check_title_page(ep, written, len(GROUPINGS[unit]), "23 Nov \u2013 20 Dec 2020")
        C.eq(ep.meta("title"), ["Digest \u2014 23 Nov \u2013 20 Dec 2020"], "--group-by %s: dc:title" % unit)
        check_chrome(ep)
        docs = ep.content_docs()
        if unit == "all":
            # the big group is cut into parts of about 300 KB
            sizes = {d: len(ep.read(d)) for d in docs}
            total = sum(sizes.values())
            C.ok(len(docs) >= 3, "--group-by all: %d content documents for %d bytes of XHTML; "
                 "expected the 'All articles' group split in parts of ~300 KB" % (len(docs), total))
            big = [d for d, s in sizes.items() if s > 320 * 1024]
            C.eq(big, [], "--group-by all: content documents over 320 KB (sizes %r)" % sizes)
        else:
            C.eq(len(docs), len(GROUPINGS[unit]), "--group-by %s: one content document per group" % unit)
    case.__doc__ = "All fixtures with --group-by %s%s." % (unit, "" if unit != "all" else
        ", plus 150 generated long articles: the big group is cut into parts of ~300 KB")
    return case


MULTI_TITLE = "Ծանուցում & <Вести> \u2014 Weekly"
MULTI_AUTHOR = "Ørjan Ĳsselmeer & Co"


def case_multilingual(tmp):
    """Scraped pages in five scripts plus all JSON fixtures; per-article
    languages; a title and author with markup characters."""
    scraped = sorted(os.path.join("fixtures", "text", f)
                     for f in os.listdir(fixture_path("text")) if f.startswith("scraped-"))
    opts = ["--title", MULTI_TITLE, "--author", MULTI_AUTHOR]
    ep, plan, p = write_and_check(tmp, "multilingual.epub", scraped + ["fixtures/json"], opts)
    if not ep:
        return
    C.eq(plan["counts"].get("written"), 40, "multilingual: articles written")
    langs = sorted(set(a.get("lang") for g in plan["groups"] for a in g["articles"] if a.get("lang")))
    C.eq(langs, ["az", "el", "en", "hy", "ka", "ru", "tr"], "multilingual: languages in the plan")
    C.eq(ep.meta("title"), [MULTI_TITLE + " \u2014 23 Nov \u2013 20 Dec 2020"], "multilingual: dc:title")
    C.eq(ep.meta("creator"), [MULTI_AUTHOR], "multilingual: dc:creator")
    tp = ep.xml(posixpath.join(ep.opf_dir, "title.xhtml"))
    C.eq([itext(h) for h in tp.iter(X("h1"))], [MULTI_TITLE], "multilingual: title page heading")
    C.eq([itext(e) for e in tp.iter(X("p")) if e.get("class") == "author"], [MULTI_AUTHOR], "multilingual: title page author")
    C.ok("&lt;Вести&gt;" in ep.text(ep.opf_path), "multilingual: title escaped in content.opf")
    # each article's language: xml:lang and lang when it differs from the book's
    nav = parse_nav(ep)
    got, want = [], []
    for g, (_, _, arts) in zip(plan["groups"], nav):
        for a, (_, href) in zip(g["articles"], arts):
            el = find_id(ep.xml(ep.resolve(ep.nav_path, href)), href.split("#", 1)[1])
            got.append((a["title"], el.get(XML_LANG) if el is not None else "?", el.get("lang") if el is not None else "?"))
            lang = a.get("lang") if a.get("lang") not in (None, "en") else None
            want.append((a["title"], lang, lang))
    C.eq(got, want, "multilingual: xml:lang/lang of each <article> vs the plan's lang")
    check_chrome(ep, files={"scraped-en.txt", "scraped-hy.txt", "scraped-ka.txt", "scraped-ru.txt", "scraped-tr.txt"})


HOSTILE_ABSENT = ["HEAD-TITLE-MARKER", "STYLE-MARKER", "HEAD-SCRIPT-MARKER", "BODY-ONLOAD", "ONCLICK-MARKER",
                  "SCRIPT-MARKER", "UPPER-SCRIPT-MARKER", "JSLINK", "IFRAME-MARKER", "OBJECT-MARKER",
                  "FORM-INPUT-MARKER", "TEXTAREA-MARKER", "OPTION-MARKER", "BUTTON-MARKER",
                  "SVG-SCRIPT-MARKER", "SVG-TEXT-MARKER", "MATH-MARKER", "COMMENT-MARKER", "IMGERR",
                  "WP-SCRIPT-MARKER", "evil.example", "tracker.example", "x.swf", "PHNjcmlwdD5",
                  "msgbox", "data:text", "file:///", "etc/passwd", "display:none", "font-size:40px",
                  "steal()", "track()", "go()", "x()", "alert('", "alert(2)", "alert(3)", "alert(4)", "alert(5)",
                  "document.write", "_blank", "noopener", "pixel.gif"]
HOSTILE_KEPT = ["The harbour board met in public for the first time since spring.",
                "plain javascript link", "mixed case javascript link", "tab entity link",
                "entity javascript link", "data link", "vbscript link", "file link", "protocol-relative link",
                "Photo of the harbour wall", "The new wall was finished in November.",
                "Berth", "North quay", "Open again", "A span inside a div.",
                "Entities: caf\u00e9 & bar <b>not bold</b> \U0001F30A",
                "CDATA and comment look-alikes in text: ]]> and <!-- and -->.",
                "The caf\u00e9 opened at last.",
                "A notice with no title at all: the quay closes at dusk."]
HOSTILE_TITLE = "Fares <b>Frozen</b> & \"Tunnel\" Tolls ]]> <!-- not a comment --> <script>alert(1)</script>"


def case_html(tmp):
    """HTML-heavy hostile JSON (tests/e2e/data/hostile.json): script, style,
    iframe, object, form, svg, event attributes, javascript:/data:/vbscript:
    links, tables, nested lists and quotes, markup and ]]> <!-- in titles."""
    ep, plan, p = write_and_check(tmp, "html.epub", [data_path("hostile.json")])
    if not ep:
        return
    titles = [a["title"] for g in plan["groups"] for a in g["articles"]]
    C.eq(titles[:4], ["Harbour Board Meets in Public", HOSTILE_TITLE, "Caf\u00e9 & Bar Opens on the Quay",
                      "Source Link That Is Not a Link"], "html: titles in the plan")
    C.eq(len(titles), 5, "html: articles in the plan (the last one has no title)")
    text = all_content_text(ep)
    raw = "\n".join(ep.text(n) for n in ep.text_files())
    for s in HOSTILE_ABSENT:
        C.ok(s not in raw and s not in text, "html: %r from dropped markup shows in the EPUB" % s)
    docs = ep.content_docs()
    body_text = "\n".join(doc_text(ep.xml(d)) for d in docs)
    for s in HOSTILE_KEPT:
        C.ok(s in body_text, "html: kept text missing: %r" % s)
    check_literal_title(ep, HOSTILE_TITLE)
    root = ep.xml(docs[0]) if docs else None
    if root is None:
        return
    art = root.find(".//x:article", NS)
    hrefs = [a.get("href") for a in art.iter(X("a"))]
    C.eq(hrefs, ["https://harbour.example/2020/12/03/board",
                 "https://harbour.example/minutes?year=2020&month=12",
                 "mailto:desk@harbour.example"], "html: the only links of the first article")
    # nested lists: ul > li > ul > li > ol > li
    outer = art.find("x:ul", NS)
    shape = None
    if outer is not None:
        lis = outer.findall("x:li", NS)
        inner = lis[0].find("x:ul", NS) if lis else None
        inner_lis = inner.findall("x:li", NS) if inner is not None else []
        deep = inner_lis[1].find("x:ol", NS) if len(inner_lis) > 1 else None
        shape = ([(li.text or "").strip() for li in lis],
                 [(li.text or "").strip() for li in inner_lis],
                 [itext(li) for li in deep.findall("x:li", NS)] if deep is not None else None)
    C.eq(shape, (["Dredging of the inner basin", "New lights on the breakwater"],
                 ["Phase one: the old channel", "Phase two: the marina"],
                 ["Pontoons first", "Fuel berth last"]), "html: nested list structure")
    bq = art.find("x:blockquote", NS)
    C.eq((itext(bq.find("x:p", NS)) if bq is not None else None,
          itext(bq.find("x:blockquote/x:p", NS)) if bq is not None else None),
         ("We have waited years for this, said a fisherman.", "Nested quotation inside the quotation."),
         "html: nested blockquotes")
    C.eq([itext(e) for e in art.iter(X("pre"))], ["if (tide < 1.5) { close_gate(); }"], "html: preformatted text")
    C.eq([itext(e) for e in art.iter(X("h3"))], ["Harbour Board Meets in Public"], "html: body h1 demoted to h3")
    inline = sorted(set(e.tag.split("}")[1] for e in art.iter() if e.tag in
                        (X("sub"), X("sup"), X("u"), X("s"), X("code"), X("em"), X("strong"))))
    C.eq(inline, ["code", "em", "s", "strong", "sub", "sup", "u"], "html: inline styles kept")
    C.eq([itext(e) for e in art.iter(X("p")) if e.get("class") == "meta"],
         ["3 December 2020, 18:00 \u00b7 Ines <i>Costa</i> & Co \u00b7 harbour.example"], "html: meta line")
    C.eq([itext(e) for e in art.iter(X("p")) if e.get("class") == "tags"], ["harbour, <script>tag</script>"], "html: tags line")
    # the article whose source url is a javascript: URL
    last = [a for d in docs for a in ep.xml(d).iter(X("article"))
            if itext(a.find("x:h2", NS)) == "Source Link That Is Not a Link"]
    if C.eq(len(last), 1, "html: article with a javascript: source url"):
        C.eq([a.get("href") for a in last[0].iter(X("a"))], [], "html: links of the javascript: source article")
        C.ok("javascript" not in itext(last[0]).lower(),
             "html: the javascript: source url shows as text: %r" % itext(last[0]))


URLS = [
    "https://news.example/files/Winter Timetable (final).pdf",
    "https://news.example/search?q=road|closure",
    "https://news.example/page#Section 2",
    "mailto:desk@news.example?subject=Road closure",
    "https://news.example/offers/discount-100%",
    "https://news.example/{campaign}/landing",
    "https://news.example\\archive\\2020",
    "https://news.example/новости/мост",
    "https://мост.рф/новости",
]
URI_RE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2}|[^\x00-\x7f])*")


def same_url(href, original):
    def norm(u):
        u = u.strip()
        if u.lower().startswith(("http://", "https://")):
            u = u.replace("\\", "/")  # as browsers read it (WHATWG URL): "\\" is "/"
        try:
            parts = urllib.parse.urlsplit(u)
            host = parts.hostname or ""
            if host:
                host = host.encode("idna").decode("ascii") if not host.isascii() else host
                host = host.encode("ascii").decode("idna") if "xn--" in host else host
            return (parts.scheme.lower(), host.lower(), urllib.parse.unquote(parts.path).replace("\\", "/"),
                    urllib.parse.unquote(parts.query), urllib.parse.unquote(parts.fragment))
        except (ValueError, UnicodeError):
            return u
    return norm(href) == norm(original)


def case_urls(tmp):
    """Links as real dumps have them (spaces, |, {}, a lone %, backslashes,
    an internationalised domain): the EPUB stays valid; a link that is kept
    is a valid URI for the same address."""
    ep, plan, p = write_and_check(tmp, "urls.epub", [data_path("urls.json")])
    if not ep:
        return
    docs = ep.content_docs()
    art = ep.xml(docs[0]).find(".//x:article", NS) if docs else None
    if art is None:
        C.ok(False, "urls: no article")
        return
    links = {}
    for a in art.iter(X("a")):
        links[itext(a)] = a.get("href")
    texts = ["the winter timetable", "search results", "section two", "write to the desk", "the discount page",
             "the campaign page", "the archive", "the Russian page", "the bridge site"]
    body = itext(art)
    for t, u in zip(texts, URLS):
        C.ok(t in body, "urls: link text %r missing" % t)
        if t in links:
            h = links[t]
            C.ok(URI_RE.fullmatch(h) is not None, "urls: href for %r is not a valid URI: %r" % (t, h))
            C.ok(same_url(h, u), "urls: href for %r is %r, not the address %r" % (t, h, u))
    meta = [a.get("href") for p_ in art.iter(X("p")) if p_.get("class") == "meta" for a in p_.iter(X("a"))]
    for h in meta:
        C.ok(URI_RE.fullmatch(h) is not None, "urls: source link is not a valid URI: %r" % h)
        C.ok(same_url(h, "https://news.example/2020/12/02/road closure map"), "urls: source link %r" % h)


def case_one_article(tmp):
    """One scraped article; SOURCE_DATE_EPOCH fixes dcterms:modified and the
    zip times."""
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    ep, plan, p = write_and_check(tmp, "one.epub", ["fixtures/text/scraped-en.txt"], env=env)
    if not ep:
        return
    title = "Kestrel Line Extension Wins Backing from Three Councils"
    C.eq(plan_outline(plan), [("Mon 7 Dec 2020", [title])], "one: the plan")
    C.eq(ep.modified(), "2023-11-14T22:13:20Z", "one: dcterms:modified from SOURCE_DATE_EPOCH")
    check_zip_times(ep, (2023, 11, 14, 22, 13, 20))
    C.eq(ep.meta("title"), ["Digest \u2014 7 Dec 2020"], "one: dc:title")
    check_title_page(ep, 1, 1, "7 Dec 2020")
    C.eq(stderr_lines(p), ["Wrote %s: 1 article in 1 group" % ep.path], "one: standard error")
    docs = ep.content_docs()
    C.eq([posixpath.basename(d) for d in docs], ["g0001.xhtml"], "one: content documents")
    art = ep.xml(docs[0]).find(".//x:article", NS) if docs else None
    if art is None:
        return
    with open(fixture_path("text", "scraped-en.txt"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    C.eq([itext(e) for e in art.findall("x:p", NS) if not e.get("class")], lines[2:7], "one: body paragraphs")
    C.eq([e.get("datetime") for e in art.iter(X("time"))], ["2020-12-07T12:16:00+00:00"], "one: <time datetime>")
    C.eq([itext(e) for e in art.iter(X("time"))], ["7 December 2020, 12:16"], "one: shown date")
    check_chrome(ep, files={"scraped-en.txt"})


LONG_TITLE = "Вести Новоозёрска: " + ", ".join("выпуск %d" % i for i in range(1, 61))


def case_long_title(tmp):
    """A long non-ASCII --title (about 1,100 bytes) stays whole and valid
    UTF-8 in the package, the NCX and the title page."""
    ep, plan, p = write_and_check(tmp, "long-title.epub", ["fixtures/text/scraped-ru.txt"], ["--title", LONG_TITLE])
    if not ep:
        return
    full = LONG_TITLE + " \u2014 24 Nov 2020"
    C.ok(len(full.encode("utf-8")) > 1024, "test data: the full title is over 1 KB")
    for n in ep.text_files():
        try:
            ep.read(n).decode("utf-8")
        except UnicodeDecodeError as ex:
            C.ok(False, "long title: %s is not valid UTF-8: %s" % (n, ex))
    if ep.opf is None:
        return
    C.eq(ep.meta("title"), [full], "long title: dc:title")
    ncx = ep.xml(ep.ncx_path) if ep.ncx_path else None
    C.eq(itext(ncx.find("ncx:docTitle/ncx:text", NS)) if ncx is not None else None, full, "long title: toc.ncx docTitle")
    tp = ep.xml(posixpath.join(ep.opf_dir, "title.xhtml"))
    if tp is not None:
        C.eq([itext(h) for h in tp.iter(X("h1"))], [LONG_TITLE], "long title: title page heading")
        C.eq(itext(tp.find("x:head/x:title", NS)), full, "long title: title page <title>")


def case_undated(tmp):
    """Only an undated article: one group, Undated, no date range."""
    ep, plan, p = write_and_check(tmp, "undated.epub", ["fixtures/text/undated.txt"])
    if not ep:
        return
    title = "A Walker's Guide to the Valley's Winter Trails"
    C.eq(plan_outline(plan), [("Undated", [title])], "undated: the plan")
    C.eq([(g["start"], g["end"]) for g in plan["groups"]], [(None, None)], "undated: start/end in the plan")
    C.eq(ep.meta("title"), ["Digest"], "undated: dc:title has no date range")
    check_title_page(ep, 1, 1, None)
    C.eq(stderr_lines(p), [
        "gazette: fixtures/text/undated.txt:1:1: warning: \"%s\" has no date; it goes to Undated" % title,
        "Wrote %s: 1 article in 1 group" % ep.path], "undated: standard error")
    docs = ep.content_docs()
    art = ep.xml(docs[0]).find(".//x:article", NS) if docs else None
    if art is not None:
        C.eq(list(art.iter(X("time"))), [], "undated: no <time> in the article")
        C.eq(len([e for e in art.findall("x:p", NS) if not e.get("class")]), 4, "undated: body paragraphs")


def case_many(tmp):
    """5,000 generated articles (bench/gen-corpus): valid, and the nav holds
    5,000 minus duplicates articles."""
    gen = os.path.join(SOURCE, "bench", "gen-corpus")
    if not C.ok(os.path.isfile(gen), "bench/gen-corpus is missing (needed: --articles N --seed S --out DIR --formats json)"):
        return
    corpus = os.path.join(tmp, "corpus")
    t0 = time.time()
    g = subprocess.run([sys.executable, gen, "--articles", "5000", "--seed", "7", "--out", corpus, "--formats", "json"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    print("  gen-corpus -> %d (%.1f s)" % (g.returncode, time.time() - t0))
    if not C.eq(g.returncode, 0, "bench/gen-corpus exit status; stderr: %s" % g.stderr.decode("utf-8", "replace")[-2000:]):
        return
    src = os.path.join(corpus, "corpus.json")
    if not C.ok(os.path.isfile(src), "bench/gen-corpus wrote no corpus.json: %r" % os.listdir(corpus)):
        return
    plan = plan_of([src])
    counts = plan.get("counts", {})
    C.eq(counts.get("read"), 5000, "5000: articles read")
    C.eq((counts.get("filtered"), counts.get("skipped")), (0, 0), "5000: filtered, skipped")
    written = counts.get("written", 0)
    dupes = counts.get("duplicates", 0)
    C.eq(written, 5000 - dupes, "5000: written = 5000 - duplicates")
    n_plan = sum(len(g["articles"]) for g in plan["groups"])
    C.eq(n_plan, written, "5000: articles in the plan's groups")
    out = os.path.join(tmp, "many.epub")
    p = run_gazette([src, "-o", out])
    if not C.ok(os.path.isfile(out), "5000: no EPUB written"):
        return
    skipped = counts.get("skipped", 0)
    last = stderr_lines(p)[-1:] 
    C.eq(last, ["Wrote %s: %s" % (out, summary_text(written, len(plan["groups"]), dupes=dupes, skipped=skipped))],
         "5000: summary line")
    epubcheck(out)
    ep = Epub(out)
    check_all(ep, plan)
    nav = parse_nav(ep)
    C.eq(sum(len(a) for _, _, a in nav), 5000 - dupes, "5000: articles in nav.xhtml")
    check_title_page(ep, written, len(plan["groups"]), expected_range(plan))
    sizes = sorted(len(ep.read(d)) for d in ep.content_docs())
    C.ok(not sizes or sizes[-1] <= 400 * 1024, "5000: largest content document %d bytes (parts of ~300 KB expected)" % (sizes[-1] if sizes else 0))


def split_case_files(plan):
    """The file name %G-W%V.epub of each week group (undated.epub for Undated)."""
    names = []
    for g in plan["groups"]:
        if g["start"] is None:
            names.append("undated.epub")
        else:
            y, w, _ = datetime.date.fromisoformat(g["start"]).isocalendar()
            names.append("%04d-W%02d.epub" % (y, w))
    return names


def case_split(tmp):
    """--split with %G-W%V: one valid EPUB per ISO week (2019-12-30 is in
    2020-W01, 2021-01-02 in 2020-W53) plus undated.epub; a template giving
    two groups one file is a usage error that writes nothing."""
    inputs = [data_path("isoweek.json"), "fixtures/text/undated.txt"]
    out = os.path.join(tmp, "weeks")
    os.mkdir(out)
    p = run_gazette(["--group-by", "week", "--split", "-o", os.path.join(out, "%G-W%V.epub")] + inputs)
    plan = plan_of(["--group-by", "week"] + inputs)
    names = split_case_files(plan)
    C.eq(names, ["2020-W01.epub", "2020-W53.epub", "undated.epub"], "split: expected files from the plan")
    C.eq(sorted(os.listdir(out)), sorted(names), "split: files written")
    C.eq(stderr_lines(p)[-1:], ["Wrote 3 files from %s: %s" % (os.path.join(out, "%G-W%V.epub"), summary_text(5, 3))],
         "split: summary line")
    for g, name in zip(plan["groups"], names):
        path = os.path.join(out, name)
        if not C.ok(os.path.isfile(path), "split: %s missing" % name):
            continue
        epubcheck(path)
        ep = Epub(path)
        one = dict(plan, groups=[g])
        check_all(ep, one)
        n = len(g["articles"])
        check_title_page(ep, n, 1, {"2020-W01.epub": "30 Dec 2019 \u2013 5 Jan 2020",
                                    "2020-W53.epub": "28 Dec 2020 \u2013 2 Jan 2021",
                                    "undated.epub": None}[name])
    # the same week files are not the same book: each has its own identifier
    ids = [Epub(os.path.join(out, n)).meta("identifier")[0] for n in names if os.path.isfile(os.path.join(out, n))]
    C.eq(len(set(ids)), len(ids), "split: distinct dc:identifier per file")

    # two groups, one file: exit 2, one message, nothing written
    clash = os.path.join(tmp, "clash")
    os.mkdir(clash)
    p = run_gazette(["-q", "--group-by", "day", "--split", "-o", os.path.join(clash, "%G.epub"), "fixtures/json", "fixtures/text"], expect_rc=2)
    err = stderr_lines(p)
    C.eq(len(err), 1, "split clash: one message on standard error: %r" % err)
    C.ok(err and err[0].startswith("gazette: --split template %s" % os.path.join(clash, "%G.epub"))
         and "the same file %s" % os.path.join(clash, "2020.epub") in err[0],
         "split clash: message names the template and the file: %r" % err)
    C.eq(os.listdir(clash), [], "split clash: folder left empty")
    C.eq(p.stdout, b"", "split clash: nothing on standard output")

    # fields in the folder part: Undated must not go to a literal '%G' folder
    nested = os.path.join(tmp, "nested")
    for y in ("2019", "2020", "2021"):
        os.makedirs(os.path.join(nested, y))
    tmpl = os.path.join(nested, "%G", "W%V.epub")
    p = run_gazette(["-q", "--group-by", "week", "--split", "-o", tmpl] + inputs, what="--split -o DIR/%G/W%V.epub")
    made = sorted(os.path.relpath(os.path.join(d, f), nested) for d, _, fs in os.walk(nested) for f in fs)
    C.eq([m for m in made if "%" in m], [], "split DIR/%G/W%V.epub: paths with an unexpanded field")
    C.eq([m for m in made if os.path.basename(m) != "undated.epub"], ["2020/W01.epub", "2020/W53.epub"],
         "split DIR/%G/W%V.epub: week files")
    C.eq(len([m for m in made if os.path.basename(m) == "undated.epub"]), 1,
         "split DIR/%%G/W%%V.epub: one undated.epub (written: %r)" % made)
    # the file name does not enter the book: the same bytes as the files
    # checked above
    for m in made:
        flat = os.path.join(out, "undated.epub" if os.path.basename(m) == "undated.epub" else
                            "%s-%s" % (os.path.dirname(m), os.path.basename(m)))
        if os.path.isfile(flat):
            C.ok(open(os.path.join(nested, m), "rb").read() == open(flat, "rb").read(),
                 "split DIR/%%G/W%%V.epub: %s differs from %s" % (m, os.path.basename(flat)))
        else:
            epubcheck(os.path.join(nested, m))


def copy_fixtures(dst, reverse):
    """Copies fixtures/ into dst creating files (and folders) in sorted or
    reverse-sorted order, so that readdir lists them differently."""
    src = fixture_path()
    files = sorted(os.path.relpath(os.path.join(r, f), src) for r, _, fs in os.walk(src) for f in fs)
    if reverse:
        files.reverse()
    for rel in files:
        os.makedirs(os.path.dirname(os.path.join(dst, "fixtures", rel)), exist_ok=True)
        shutil.copyfile(os.path.join(src, rel), os.path.join(dst, "fixtures", rel))


def readdir_orders(d):
    return {r: os.listdir(r) for r, _, _ in os.walk(d)}


def case_determinism(tmp):
    """Byte-identical output: two runs; other time zones (TZ) and thread
    counts; standard output; fixtures copied into two folders in opposite
    creation orders."""
    a = os.path.join(tmp, "a.epub")
    b = os.path.join(tmp, "b.epub")
    run_gazette(["-q", "fixtures/json", "fixtures/text", "-o", a])
    run_gazette(["-q", "fixtures/json", "fixtures/text", "-o", b])
    if not (C.ok(os.path.isfile(a), "determinism: a.epub missing") and os.path.isfile(b)):
        return
    ref = open(a, "rb").read()
    C.ok(ref == open(b, "rb").read(), "determinism: two runs differ")
    for extra, env in ((["-j", "1"], {"TZ": "Pacific/Kiritimati"}), (["-j", "7"], {"TZ": "America/St_Johns"}),
                       ([], {"TZ": "Asia/Kathmandu", "LC_ALL": "C"})):
        c = os.path.join(tmp, "c.epub")
        run_gazette(["-q"] + extra + ["fixtures/json", "fixtures/text", "-o", c], env=env)
        C.ok(os.path.isfile(c) and open(c, "rb").read() == ref,
             "determinism: output differs with %s TZ=%s" % (" ".join(extra), env["TZ"]))
    # standard output gets the same bytes
    p = run_gazette(["-q", "--format", "epub", "-o", "-", "fixtures/json", "fixtures/text"])
    C.ok(p.stdout == ref, "determinism: -o - --format epub gives other bytes (%d vs %d)" % (len(p.stdout), len(ref)))
    # two copies, created in opposite orders; tmpfs lists files newest first
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else tmp
    d1 = tempfile.mkdtemp(prefix="gz-order1-", dir=base)
    d2 = tempfile.mkdtemp(prefix="gz-order2-", dir=base)
    try:
        copy_fixtures(d1, False)
        copy_fixtures(d2, True)
        o1 = {os.path.relpath(k, d1): v for k, v in readdir_orders(d1).items()}
        o2 = {os.path.relpath(k, d2): v for k, v in readdir_orders(d2).items()}
        if o1 == o2:
            print("  NOTE: this file system lists both copies in the same order; the check is weaker here")
        else:
            print("  readdir orders differ, e.g. fixtures/json: %s... vs %s..." % (o1.get("fixtures/json", [])[:3], o2.get("fixtures/json", [])[:3]))
        outs = []
        for d in (d1, d2):
            o = os.path.join(d, "out.epub")
            run_gazette(["-q", "fixtures/json", "fixtures/text", "-o", o], cwd=d)
            outs.append(open(o, "rb").read() if os.path.isfile(o) else b"")
        C.ok(outs[0] == outs[1] and outs[0], "determinism: copies created in different orders give different bytes")
        C.ok(outs[0] == ref, "determinism: a copy of the fixtures gives other bytes than fixtures/")
    finally:
        shutil.rmtree(d1, ignore_errors=True)
        shutil.rmtree(d2, ignore_errors=True)
    epubcheck(a)
    ep = Epub(a)
    check_container(ep)


def title_only_articles(n=300, seed=7):
    r = random.Random(seed)
    words = ("harbour council bridge market winter orchard choir library ferry tram museum school "
             "festival river valley lantern station garden").split()
    return [{"title": " ".join(r.choice(words).capitalize() for _ in range(6)) + " %d" % i,
             "date": "2020-12-%02dT%02d:00:00Z" % (1 + i % 28, i % 24)} for i in range(n)]


def case_failures(tmp):
    """Output that cannot be written: exit 4, a message, no temporary file,
    an existing output untouched."""
    # (a) a folder that does not exist
    d = os.path.join(tmp, "a")
    os.mkdir(d)
    target = os.path.join(d, "no", "such", "dir", "x.epub")
    p = run_gazette(["-q", "fixtures/json", "fixtures/text", "-o", target], expect_rc=4)
    C.eq(stderr_lines(p), ["gazette: %s: cannot write here: No such file or directory" % target],
         "missing folder: message")
    C.eq(os.listdir(d), [], "missing folder: nothing created")

    # (b) a file size limit while writing over an existing file. The input
    # is 300 title-only articles: a tiny spool, an EPUB of ~37 KB.
    d = os.path.join(tmp, "b")
    os.mkdir(d)
    src = os.path.join(tmp, "titles.json")
    with open(src, "w", encoding="utf-8") as f:
        json.dump(title_only_articles(), f)
    target = os.path.join(d, "out.epub")
    old = b"OLD CONTENT: not to be touched\n" * 10
    with open(target, "wb") as f:
        f.write(old)
    before = sorted(os.listdir(d))

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))

    p = run_gazette(["-q", src, "-o", target], preexec_fn=limit, expect_rc=4, what="(RLIMIT_FSIZE 20000) titles.json")
    err = stderr_lines(p)
    C.eq(sorted(os.listdir(d)), before, "file size limit: folder listing before/after")
    C.eq(open(target, "rb").read(), old, "file size limit: the existing file's bytes")
    C.ok(len(err) == 1 and "spool" not in err[0], "file size limit: one message, about the output: %r" % err)
    C.ok(len(err) == 1 and err[0].startswith("gazette: %s: " % target),
         "file size limit: the message names the output file %s: %r" % (target, err))

    # (c) a read-only folder; as root (root ignores chmod) a read-only
    # bind mount in a private mount namespace
    why_not = gztest.can_make_readonly()
    if C.ok(why_not is None, "read-only folder: cannot be made here: %s" % why_not):
        d = os.path.join(tmp, "c")
        os.mkdir(d)
        target = os.path.join(d, "out.epub")
        with open(target, "wb") as f:
            f.write(old)
        errno_name = []

        def readonly(cmd):
            cmd, e = gztest.readonly_command(d, cmd)
            errno_name.append(e)
            return cmd

        try:
            p = run_gazette(["-q", "fixtures/json", "fixtures/text", "-o", target], expect_rc=4, wrap=readonly)
        finally:
            gztest.restore_writable(d)
        reason = os.strerror(getattr(errno, errno_name[0]))
        C.eq(stderr_lines(p), ["gazette: %s: cannot write here: %s" % (target, reason)],
             "read-only folder (%s): message" % errno_name[0])
        C.eq(sorted(os.listdir(d)), ["out.epub"], "read-only folder: listing")
        C.eq(open(target, "rb").read(), old, "read-only folder: existing file bytes")

    # (d) the target is a folder: the rename fails; the temp file goes
    d = os.path.join(tmp, "d")
    os.makedirs(os.path.join(d, "out.epub"))
    target = os.path.join(d, "out.epub")
    p = run_gazette(["-q", "fixtures/text/undated.txt", "-o", target], expect_rc=4)
    C.eq(len(stderr_lines(p)), 1, "target is a folder: one message: %r" % stderr_lines(p))
    C.ok(stderr_lines(p)[:1] and stderr_lines(p)[0].startswith("gazette: %s: " % target),
         "target is a folder: message names it: %r" % stderr_lines(p))
    C.eq(sorted(os.listdir(d)), ["out.epub"], "target is a folder: listing")
    C.eq(os.listdir(target), [], "target is a folder: still an empty folder")


def case_calibre(tmp):
    """calibre's ebook-convert turns a digest into AZW3, and the AZW3's
    table of contents (converted back to EPUB) nests the plan."""
    conv = os.environ.get("EBOOK_CONVERT") or shutil.which("ebook-convert")
    # calibre is a test dependency (scripts/install-deps.sh test): without
    # it the Kindle path would silently go untested, so that is a failure.
    if not C.ok(conv and os.access(conv, os.X_OK),
                "calibre's ebook-convert is needed (%s; scripts/install-deps.sh test installs calibre)"
                % ("EBOOK_CONVERT=%s is not executable" % conv if conv else "not on PATH")):
        return
    ep, plan, p = write_and_check(tmp, "calibre.epub", ["fixtures/json", "fixtures/text"], ["--group-by", "week"])
    if not ep:
        return
    azw3 = os.path.join(tmp, "calibre.azw3")
    env = base_env({"HOME": tmp, "CALIBRE_CONFIG_DIRECTORY": os.path.join(tmp, "calibre-config"),
                    # no display on CI; Chromium's sandbox refuses to run as root
                    "QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"})
    t0 = time.time()
    c = subprocess.run([conv, ep.path, azw3], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    log = c.stdout.decode("utf-8", "replace")
    print("  ebook-convert -> AZW3: exit %d (%.1f s)" % (c.returncode, time.time() - t0))
    C.eq(c.returncode, 0, "calibre: ebook-convert to AZW3 failed:\n%s" % log[-3000:])
    bad = [l for l in log.splitlines() if re.search(r"Traceback|\bERROR\b|\bWARNING\b|[Ff]ailed", l)]
    C.eq(bad, [], "calibre: problems reported by ebook-convert")
    if not C.ok(os.path.isfile(azw3), "calibre: no AZW3 written"):
        return
    head = open(azw3, "rb").read(68)
    C.eq(head[60:68], b"BOOKMOBI", "calibre: AZW3 type/creator")
    back = os.path.join(tmp, "back.epub")
    c = subprocess.run([conv, azw3, back], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    C.eq(c.returncode, 0, "calibre: AZW3 back to EPUB failed:\n%s" % c.stdout.decode("utf-8", "replace")[-3000:])
    if not os.path.isfile(back):
        return
    bp = Epub(back)
    toc = parse_ncx(bp)
    got = [((l or "").strip(), [(t or "").strip() for t, _ in arts]) for l, _, arts in toc]
    C.eq(got, plan_outline(plan), "calibre: AZW3 table of contents (via EPUB toc.ncx) vs the plan")


CASES = {
    "fixtures": case_fixtures,
    "group-week": grouping_case("week"),
    "group-month": grouping_case("month"),
    "group-year": grouping_case("year"),
    "group-all": grouping_case("all"),
    "multilingual": case_multilingual,
    "html": case_html,
    "urls": case_urls,
    "one-article": case_one_article,
    "long-title": case_long_title,
    "undated": case_undated,
    "5000": case_many,
    "split": case_split,
    "determinism": case_determinism,
    "failures": case_failures,
    "calibre": case_calibre,
}


def main():
    global GAZETTE, SOURCE
    if len(sys.argv) != 4 or sys.argv[3] not in CASES:
        sys.stderr.write("usage: test_epub.py GAZETTE SOURCE_DIR CASE\ncases: %s\n" % " ".join(CASES))
        return 2
    GAZETTE = os.path.abspath(sys.argv[1])
    SOURCE = os.path.abspath(sys.argv[2])
    case = CASES[sys.argv[3]]
    print("epub/%s: %s" % (sys.argv[3], " ".join((case.__doc__ or "").split())), flush=True)
    t0 = time.time()
    tmp = tempfile.mkdtemp(prefix="gz-e2e-%s-" % sys.argv[3])
    try:
        rc = case(tmp)
        EPUBCHECK.flush()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if rc == SKIP:
        return SKIP
    dt = time.time() - t0
    runs = ", ".join("%s %.1fs" % r for r in EPUBCHECK.runs)
    print("epubcheck results: %d (%s)" % (len(EPUBCHECK.runs), runs or "none"))
    if C.failures:
        print("epub/%s: %d of %d checks FAILED (%.1f s)" % (sys.argv[3], len(C.failures), C.count, dt))
        return 1
    print("epub/%s: all %d checks passed (%.1f s)" % (sys.argv[3], C.count, dt))
    return 0



# ---------------------------------------------------------------- cases added for issues 10 and 11


def run_bytes(args, env=None):
    """Runs gazette with arguments that may be bytes (not UTF-8); the
    command line is printed with bytes escaped."""
    tmpdir = tempfile.mkdtemp(prefix="gz-tmpdir-")
    e = base_env(env)
    e["TMPDIR"] = tmpdir
    p = subprocess.run([GAZETTE] + list(args), cwd=SOURCE, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    shown = " ".join(a.decode("utf-8", "backslashreplace") if isinstance(a, bytes) else a for a in args)
    shown = shown.encode("unicode_escape").decode("ascii")
    print("  ran gazette %s -> %d" % (shown, p.returncode), flush=True)
    C.eq(os.listdir(tmpdir), [], "files left in TMPDIR by `gazette %s`" % shown)
    shutil.rmtree(tmpdir, ignore_errors=True)
    return p


def case_bad_options(tmp):
    """Issue 10, defect 1: --title and --author with control characters,
    invalid UTF-8 and runs of white space are cleaned like article strings
    (valid, epubcheck-clean EPUB whose dc:title is the cleaned title); a
    --lang that is not BCP 47 is a usage error that writes nothing."""
    src = "fixtures/text/scraped-en.txt"
    cases = [
        (b"Bad\x01Title", b"A\x02uthor", "BadTitle", "Author"),
        (b"Bad\xffTitle", b"Jo \xc3 Doe", "Bad\ufffdTitle", "Jo \ufffd Doe"),
        (b"  Tabs\tand\r\nlines\x7f  ", b"\xc2\x85Desk\x1b", "Tabs and lines", "Desk"),
    ]
    for i, (title, author, want_title, want_author) in enumerate(cases):
        out = os.path.join(tmp, "bad%d.epub" % i)
        p = run_bytes(["-q", "--title", title, "--author", author, src, "-o", out])
        C.eq((p.returncode, p.stderr), (0, b""), "bad options %d: exit status and standard error" % i)
        if not C.ok(os.path.isfile(out), "bad options %d: no EPUB written" % i):
            continue
        epubcheck(out)
        ep = Epub(out)
        check_container(ep)
        for n in ep.text_files():
            data = ep.read(n)
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as ex:
                C.ok(False, "bad options %d: %s is not UTF-8: %s" % (i, n, ex))
            C.eq(re.findall(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", data), [],
                 "bad options %d: control characters in %s" % (i, n))
        if ep.opf is None:
            continue
        full = want_title + " \u2014 7 Dec 2020"
        C.eq(ep.meta("title"), [full], "bad options %d: dc:title" % i)
        C.eq(ep.meta("creator"), [want_author], "bad options %d: dc:creator" % i)
        ncx = ep.xml(ep.ncx_path)
        C.eq(itext(ncx.find("ncx:docTitle/ncx:text", NS)) if ncx is not None else None, full,
             "bad options %d: toc.ncx docTitle" % i)
        tp = ep.xml(posixpath.join(ep.opf_dir, "title.xhtml"))
        if tp is not None:
            C.eq([itext(h) for h in tp.iter(X("h1"))], [want_title], "bad options %d: title page heading" % i)
            C.eq([itext(q) for q in tp.iter(X("p")) if q.get("class") == "author"], [want_author],
                 "bad options %d: title page author" % i)
    # language tags: well-formed ones pass, others are refused by the library
    for lang in ("de-CH-1996", "sr-Latn-RS"):
        out = os.path.join(tmp, "lang-%s.epub" % lang)
        p = run_gazette(["-q", "--lang", lang, src, "-o", out])
        if C.ok(os.path.isfile(out), "--lang %s: no EPUB" % lang):
            epubcheck(out)
            C.eq(Epub(out).meta("language"), [lang], "--lang %s: dc:language" % lang)
    for lang in ("english-x", "1234", "en-a", "en--US"):
        out = os.path.join(tmp, "refused.epub")
        p = run_gazette(["--lang", lang, src, "-o", out], expect_rc=2)
        C.eq(stderr_lines(p), ["gazette: the language %s is not a BCP 47 tag such as en, pt-BR or sr-Latn" % lang],
             "--lang %s: message" % lang)
        C.ok(not os.path.exists(out), "--lang %s: a file was written" % lang)


def case_zip_time(tmp):
    """Issue 10, defect 7: zip entry times are the UTC wall clock of
    SOURCE_DATE_EPOCH in every time zone, also when that wall clock does
    not exist locally (a DST gap in London or New York): the same bytes
    under TZ=UTC, America/New_York and Europe/London."""
    src = "fixtures/text/scraped-en.txt"
    for epoch, wall in ((1616895000, (2021, 3, 28, 1, 30, 0)),   # London springs forward at 01:00 UTC
                        (1615689000, (2021, 3, 14, 2, 30, 0)),   # New York: 02:00-03:00 local is missing
                        (1700000001, (2023, 11, 14, 22, 13, 20))):  # an odd second: DOS times count two
        outs = []
        for tz in ("UTC", "America/New_York", "Europe/London"):
            out = os.path.join(tmp, "t%d-%s.epub" % (epoch, tz.replace("/", "-")))
            run_gazette(["-q", src, "-o", out], env={"SOURCE_DATE_EPOCH": str(epoch), "TZ": tz})
            if not C.ok(os.path.isfile(out), "zip time %d TZ=%s: no EPUB" % (epoch, tz)):
                continue
            outs.append(open(out, "rb").read())
            ep = Epub(out)
            C.eq(sorted(set(i.date_time for i in ep.infos)), [wall],
                 "zip time %d TZ=%s: entry times (the UTC wall clock)" % (epoch, tz))
        C.ok(len(outs) == 3 and outs[0] == outs[1] == outs[2], "zip time %d: bytes differ between time zones" % epoch)
        epubcheck(os.path.join(tmp, "t%d-UTC.epub" % epoch))


def write_json(path, articles):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(articles, f, ensure_ascii=False)


def case_metadata(tmp):
    """Issue 10, defect 16: dc:date is the newest article's time (else
    SOURCE_DATE_EPOCH's); without --author, dc:creator names the one source
    all articles share (the same single author, else the same site), and
    is left out when they have several."""
    def art(title, date, author=None, url=None):
        a = {"title": title, "content": "<p>%s.</p>" % title}
        if date:
            a["date"] = date
        if author:
            a["author"] = author
        if url:
            a["url"] = url
        return a

    one_author = [art("Ferry Timetable", "2020-12-07T08:00:00Z", "Ana Lima", "https://a.example/1"),
                  art("Bridge Repairs", "2020-12-09T18:05:00+01:00", "Ana Lima", "https://b.example/2"),
                  art("Market Day", "2020-12-08T12:00:00Z", "Ana Lima")]
    one_site = [art("Ferry Timetable", "2020-12-07T08:00:00Z", "Ana Lima", "https://www.valley-courier.example/a"),
                art("Bridge Repairs", "2020-12-09T18:05:00Z", "Ben Okafor", "http://valley-courier.example/b?x=1"),
                art("Market Day", "2020-12-08T12:00:00Z", None, "https://Valley-Courier.example/c")]
    mixed = [art("Ferry Timetable", "2020-12-07T08:00:00Z", "Ana Lima", "https://a.example/1"),
             art("Bridge Repairs", "2020-12-09T18:05:00Z", "Ben Okafor", "https://a.example/2"),
             art("Market Day", "2020-12-08T12:00:00Z", None, "https://b.example/3")]
    two_authors = [dict(art("Ferry Timetable", "2020-12-07T08:00:00Z", None, "https://a.example/1"),
                        authors=["Ana Lima", "Ben Okafor"]),
                   art("Bridge Repairs", "2020-12-09T18:05:00Z", "Ana Lima", "https://b.example/2")]
    undated = [art("Winter Trails", None, "Ana Lima")]
    sde = {"SOURCE_DATE_EPOCH": "1700000000"}
    cases = [
        # name, articles, options, env, dc:creator, dc:date, dcterms:modified
        ("one-author", one_author, [], None, ["Ana Lima"], ["2020-12-09T17:05:00Z"], "2020-12-09T17:05:00Z"),
        ("one-site", one_site, [], None, ["valley-courier.example"], ["2020-12-09T18:05:00Z"], "2020-12-09T18:05:00Z"),
        ("mixed", mixed, [], None, [], ["2020-12-09T18:05:00Z"], "2020-12-09T18:05:00Z"),
        ("two-authors", two_authors, [], None, [], ["2020-12-09T18:05:00Z"], "2020-12-09T18:05:00Z"),
        ("author-option", mixed, ["--author", "The Desk"], None, ["The Desk"], ["2020-12-09T18:05:00Z"],
         "2020-12-09T18:05:00Z"),
        ("epoch", one_author, [], sde, ["Ana Lima"], ["2020-12-09T17:05:00Z"], "2023-11-14T22:13:20Z"),
        ("undated-epoch", undated, [], sde, ["Ana Lima"], ["2023-11-14T22:13:20Z"], "2023-11-14T22:13:20Z"),
        ("undated", undated, [], None, ["Ana Lima"], [], "1970-01-01T00:00:00Z"),
    ]
    for name, articles, opts, env, creator, date, modified in cases:
        src = os.path.join(tmp, "%s.json" % name)
        write_json(src, articles)
        out = os.path.join(tmp, "%s.epub" % name)
        run_gazette(["-q"] + opts + [src, "-o", out], env=env)
        if not C.ok(os.path.isfile(out), "metadata %s: no EPUB" % name):
            continue
        epubcheck(out)
        ep = Epub(out)
        check_container(ep)
        if ep.opf is None:
            continue
        C.eq(ep.meta("creator"), creator, "metadata %s: dc:creator" % name)
        C.eq(ep.meta("date"), date, "metadata %s: dc:date" % name)
        C.eq(ep.modified(), modified, "metadata %s: dcterms:modified" % name)


def shard_corpus(tmp, n=300, seed=11):
    """bench/gen-corpus articles with their dates folded into five weeks of
    2020 (the original date's day number modulo 35, time of day kept), so
    a few hundred articles fill a few files; copies keep their originals'
    dates. Returns the JSON path or None."""
    gen = os.path.join(SOURCE, "bench", "gen-corpus")
    out = os.path.join(tmp, "gen")
    g = subprocess.run([sys.executable, gen, "--articles", str(n), "--seed", str(seed), "--out", out,
                        "--formats", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if not C.eq(g.returncode, 0, "bench/gen-corpus: %s" % g.stderr.decode("utf-8", "replace")[-500:]):
        return None
    with open(os.path.join(out, "corpus.json"), encoding="utf-8") as f:
        articles = json.load(f)
    base = datetime.date(2020, 9, 28)  # a Monday: week 40
    for a in articles:
        d = a["date_published"]
        day = datetime.date.fromisoformat(d[:10])
        a["date_published"] = (base + datetime.timedelta(days=day.toordinal() % 35)).isoformat() + d[10:]
    path = os.path.join(tmp, "corpus.json")
    write_json(path, articles)
    return path


def article_ids(ep):
    return [a.get("id") for d in ep.content_docs() for a in ep.xml(d).iter(X("article"))]


def case_shards(tmp):
    """Issue 11, stable content: one whole `--split --group-by week` run and
    two shards (--since/--until cut at a week boundary) give the same EPUB
    and PDF files byte for byte, over the fixtures and over a generated
    corpus; article ids count a1..aN within each file."""
    corpus = shard_corpus(tmp)
    inputs = [("fixtures", ["fixtures/json", "fixtures/text"], "2020-12-07")]
    if corpus:
        inputs.append(("corpus", [corpus], "2020-10-12"))
    for name, src, cut in inputs:
        plan = plan_of(["--group-by", "week"] + src)
        starts = [g["start"] for g in plan["groups"] if g["start"]]
        C.ok(cut in starts and cut != starts[0], "%s: the cut %s is a week start inside the range" % (name, cut))
        first, last = starts[0], max(g["end"] for g in plan["groups"] if g["end"])
        cut_end = (datetime.date.fromisoformat(cut) - datetime.timedelta(days=1)).isoformat()
        for fmt in ("epub", "pdf"):
            whole = os.path.join(tmp, name, fmt, "whole")
            shards = os.path.join(tmp, name, fmt, "shards")
            os.makedirs(whole)
            os.makedirs(shards)
            run_gazette(["-q", "--group-by", "week", "--split"] + src + ["-o", os.path.join(whole, "%G-W%V." + fmt)])
            for since, until in ((first, cut_end), (cut, last)):
                run_gazette(["-q", "--group-by", "week", "--split", "--since", since, "--until", until] + src +
                            ["-o", os.path.join(shards, "%G-W%V." + fmt)])
            dated = sorted(f for f in os.listdir(whole) if f != "undated." + fmt)
            C.eq(sorted(os.listdir(shards)), dated, "%s %s: the shards' files" % (name, fmt))
            C.ok(len(dated) >= 4, "%s %s: at least 4 week files (%d)" % (name, fmt, len(dated)))
            differ = [f for f in dated if os.path.isfile(os.path.join(shards, f)) and
                      open(os.path.join(whole, f), "rb").read() != open(os.path.join(shards, f), "rb").read()]
            C.eq(differ, [], "%s %s: files whose bytes differ between the whole run and the shards" % (name, fmt))
            for f in sorted(os.listdir(whole)):
                path = os.path.join(whole, f)
                if fmt == "pdf":
                    q = subprocess.run(["qpdf", "--check", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                    C.eq(q.returncode, 0, "%s: qpdf --check %s: %s" % (name, f, q.stdout.decode("utf-8", "replace")[-500:]))
                    continue
                epubcheck(path)
                ep = Epub(path)
                n = sum(len(g["articles"]) for g in plan["groups"]
                        if (g["start"] is None and f == "undated.epub") or
                        (g["start"] and "%04d-W%02d.epub" % datetime.date.fromisoformat(g["start"]).isocalendar()[:2] == f))
                C.eq(article_ids(ep), ["a%d" % k for k in range(1, n + 1)], "%s: %s article ids" % (name, f))


CASES.update({
    "bad-options": case_bad_options,
    "zip-time": case_zip_time,
    "metadata": case_metadata,
    "shards": case_shards,
})


if __name__ == "__main__":
    sys.exit(main())
