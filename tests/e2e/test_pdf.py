#!/usr/bin/env python3
"""End-to-end tests of gazette's PDF output, checked with real tools.

Usage: test_pdf.py GAZETTE_BINARY SOURCE_DIR CASE

Each case writes PDFs into a fresh temporary folder and checks them with
qpdf (--check, --json), poppler-utils (pdftotext, pdftotext -bbox,
pdfinfo, pdffonts) and the plan from `gazette --list --json`. A case
reports every problem it finds, then exits 1 when there was any.
Inputs that the cases need beyond fixtures/ are generated here into a
temporary folder (long words, 2,000-character URLs, a 50-page article,
characters no installed font has). Running and checking come from
tests/lib/gztest.py. Python 3 standard library only.
"""
import datetime
import html
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402

GAZETTE = SRC = TMP = None
C = gztest.Checks()
PROBLEMS = C.failures

# Page geometry of the writer: width, height, left/right margin (points).
SIZES = {
    "a4": (595.28, 841.89, 64.0),
    "letter": (612.0, 792.0, 66.0),
    "a5": (419.53, 595.28, 44.0),
}
TOL = 1.0  # points of tolerance on the margins

# Sample words of every script of the fixtures, taken from article bodies.
SCRIPT_WORDS = {
    "Latin (English)": ["footbridge", "barriers", "Lighthouse"],
    "Cyrillic": ["пешеходного", "Новоозёрске", "снежные"],
    "Greek": ["σιδηροδρομικού", "ενορχήστρωση", "συναυλίες"],
    "Turkish": ["düzenlediği", "ısınabilmesi", "yetiştirdiği", "İskele", "Yeşilköprü"],
    "Azerbaijani": ["şəhərində", "Məmmədova", "Əliyev"],
    "Armenian": ["ընթերցողների", "գրադարանը", "Սարգսյանը"],
    "Georgian": ["\u10d7\u10dd\u10d5\u10da\u10e1\u10d0\u10ec\u10db\u10d4\u10dc\u10d3\u10d8",  # თოვლსაწმენდი
                 "სანტიმეტრს", "ახალსოფლის"],
}


# ---- plumbing ----

def fail(msg):
    C.fail(msg)


def check(cond, msg):
    return C.ok(cond, msg)


def run(cmd, cwd=None, env_extra=None, preexec=None, binary=False):
    env = gztest.clean_env(dict({"TZ": "UTC"}, **(env_extra or {})), unset=("SOURCE_DATE_EPOCH",))
    p = gztest.run(cmd[0], cmd[1:], cwd=cwd or SRC, env=env, preexec_fn=preexec)
    if not binary:
        p.stdout = p.stdout.decode("utf-8", "replace")
    p.stderr = p.stderr.decode("utf-8", "replace")
    return p


def gazette(args, cwd=None, env_extra=None, preexec=None, want_exit=0):
    p = run([GAZETTE] + args, cwd=cwd, env_extra=env_extra, preexec=preexec)
    check(p.returncode == want_exit, "gazette %s: exit status %d, want %d; stderr:\n%s"
          % (" ".join(args), p.returncode, want_exit, p.stderr))
    return p


def plan(args, cwd=None):
    p = run([GAZETTE, "--list", "--json", "-q"] + args, cwd=cwd)
    if p.returncode not in (0, 1):
        raise SystemExit("gazette --list --json %s: exit %d\n%s" % (args, p.returncode, p.stderr))
    pl = json.loads(p.stdout)
    gztest.check_accounting(C, pl.get("counts", {}), "gazette --list --json %s" % " ".join(args))
    return pl


def tool(cmd):
    p = run(cmd)
    if p.returncode != 0:
        fail("%s: exit status %d: %s" % (" ".join(cmd), p.returncode, p.stderr.strip()))
    return p.stdout


def norm(s):
    return " ".join(s.split())


def squeeze(s):
    """Text without white space and hyphens: pdftotext joins a word broken
    after a hyphen at a line end ("Weigh-" / "In") into "WeighIn"."""
    return re.sub(r"[\s\-\u00ad]+", "", s)


def qpdf_check(pdf):
    p = run(["qpdf", "--check", pdf])
    ok = p.returncode == 0 and "No syntax or stream encoding errors found" in p.stdout
    check(ok, "qpdf --check %s: exit %d\n%s%s" % (os.path.basename(pdf), p.returncode, p.stdout, p.stderr))
    check(p.stderr.strip() == "", "qpdf --check %s warns: %s" % (os.path.basename(pdf), p.stderr.strip()))
    return ok


def text_pages(pdf):
    """pdftotext, one string per page."""
    out = tool(["pdftotext", "-enc", "UTF-8", pdf, "-"])
    pages = out.split("\f")
    if out.endswith("\f"):
        pages.pop()  # pdftotext ends every page with a form feed
    return pages


def bbox_pages(pdf):
    """pdftotext -bbox: a list of (width, height, [(x0, y0, x1, y1, word)])
    per page; y grows downwards from the top of the page."""
    out = tool(["pdftotext", "-enc", "UTF-8", "-bbox", pdf, "-"])
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [(float(a), float(b), float(c), float(d), html.unescape(t))
                 for a, b, c, d, t in re.findall(
                     r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>',
                     m.group(3), re.S)]
        pages.append((float(m.group(1)), float(m.group(2)), words))
    return pages


def pdfinfo(pdf, *extra):
    out = tool(["pdfinfo"] + list(extra) + [pdf])
    info = {}
    for line in out.splitlines():
        k, sep, v = line.partition(":")
        if sep:
            info[k.strip()] = v.strip()
    return info, out


def qpdf_json(pdf):
    return json.loads(tool(["qpdf", "--json", pdf]))


class Doc:
    """The object graph of a PDF as qpdf --json gives it."""

    def __init__(self, pdf):
        self.j = qpdf_json(pdf)
        self.objects = self.j["qpdf"][1]
        self.page_refs = [p["object"] for p in self.j["pages"]]
        self.page_index = {ref: i for i, ref in enumerate(self.page_refs)}

    def obj(self, ref):
        o = self.objects.get("obj:" + ref) if isinstance(ref, str) else None
        if o is None:
            return ref  # a direct object
        return o.get("value", o.get("stream"))

    def resolve(self, v):
        return self.obj(v) if isinstance(v, str) and re.fullmatch(r"\d+ \d+ R", v) else v

    def catalog(self):
        return self.resolve(self.objects["trailer"]["value"]["/Root"])

    def annots(self, page):
        page_dict = self.obj(self.page_refs[page])
        arr = self.resolve(page_dict.get("/Annots", []))
        return [self.resolve(a) for a in arr]


def outline_tree(doc):
    """[(title, page, [(title, page), ...]), ...] from qpdf --json outlines."""
    tree = []
    for o in doc.j["outlines"]:
        kids = [(k["title"], k["destpageposfrom1"] - 1) for k in o["kids"]]
        tree.append((o["title"], o["destpageposfrom1"] - 1, kids, o))
    return tree


def plan_entries(pl):
    """The plan in order: ("group", label) then ("article", title) ..."""
    entries = []
    for g in pl["groups"]:
        entries.append(("group", g["label"]))
        for a in g["articles"]:
            entries.append(("article", a["title"]))
    return entries


def find_pages(pages_text, entries, first_page):
    """For each entry in plan order, the first page at or after the
    previous entry's page (and at or after first_page) whose text holds
    the entry's text. None when not found."""
    normed = [squeeze(t) for t in pages_text]
    found, at = [], first_page
    for kind, text in entries:
        want = squeeze(text)
        hit = None
        for i in range(at, len(normed)):
            if want in normed[i]:
                hit = i
                break
        found.append(hit)
        if hit is not None:
            at = hit
    return found


def content_chars(pages):
    """The characters of the article text of A4 bbox pages, in reading
    order, without white space and without the running headers (above
    60 pt from the top) and footers (below 55 pt from the bottom), so a
    word broken across pages comes back whole."""
    out = []
    for pw, ph, words in pages:
        out.extend(wd[4] for wd in words if wd[3] > 60 and wd[1] < ph - 55)
    return re.sub(r"\s+", "", "".join(out))


def check_margins(pdf, size, what):
    """Every word inside the left/right margins and the page."""
    w, h, m = SIZES[size]
    pages = bbox_pages(pdf)
    bad = []
    for n, (pw, ph, words) in enumerate(pages, 1):
        if abs(pw - w) > 0.01 or abs(ph - h) > 0.01:
            bad.append("page %d is %.2f x %.2f, want %.2f x %.2f" % (n, pw, ph, w, h))
        for x0, y0, x1, y1, t in words:
            if x0 < m - TOL or x1 > w - m + TOL or y0 < -TOL or y1 > h + TOL:
                bad.append("page %d: word %r at x %.2f..%.2f y %.2f..%.2f (text area x %.2f..%.2f, page height %.2f)"
                           % (n, t[:40], x0, x1, y0, y1, m, w - m, h))
    check(not bad, "%s (%s): %d words outside the margins:\n  %s"
          % (what, size, len(bad), "\n  ".join(bad[:20])))
    return pages


def fonts_embedded(pdf):
    out = tool(["pdffonts", pdf])
    lines = out.splitlines()
    check(len(lines) > 2, "pdffonts %s lists no font" % pdf)
    hdr = lines[0]
    emb = hdr.index("emb")
    for line in lines[2:]:
        check(line[emb:emb + 3] == "yes", "pdffonts: a font is not embedded: %s" % line)
    return len(lines) - 2


def tmpdir(name):
    d = os.path.join(TMP, name)
    os.makedirs(d, exist_ok=True)
    return d


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)


# ---- generated inputs ----

LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen" * 6  # 348 letters


def long_url(n=2000):
    u = "https://archive.example.org/" + "/".join(
        "section-%03d-%s" % (i, "qwertyuiopasdfghjklz"[i % 20] * 6) for i in range(200))
    u += "?session=" + "".join("0123456789abcdef"[(i * 7) % 16] for i in range(n))
    return u[:n]


def fifty_page_body(paragraphs=320):
    rnd = random.Random(2020)
    vocab = ("harbour council winter market bridge library orchard station museum weather "
             "ferry choir school bakery festival tram river lantern meadow quarry").split()
    paras = []
    for p in range(paragraphs):
        words = [rnd.choice(vocab) for _ in range(80)]
        words[0] = "Para%03d" % p
        paras.append(" ".join(words) + ".")
    return paras


def extremes_input(folder):
    url = long_url()
    assert len(url) == 2000
    html_body = ("<p>Listed " + LONG_WORD + " here.</p>"
                 "<h2>Heading " + LONG_WORD[:200] + "</h2>"
                 "<ul><li>Item " + LONG_WORD + "</li><li><ul><li>Nested " + url[:600] + "</li></ul></li></ul>"
                 "<blockquote><blockquote><blockquote><p>Deep " + LONG_WORD + "</p></blockquote></blockquote></blockquote>"
                 "<pre>" + ("preformatted_" * 60) + "</pre>"
                 "<p>A <a href=\"" + url + "\">" + url + "</a> link.</p>")
    paras = fifty_page_body()
    arts = [
        {"title": "Long Word Article", "date": "2020-12-01T09:00:00Z",
         "body": "Before " + LONG_WORD + " after.\n\nSecond paragraph with " + LONG_WORD[:120] + " again."},
        {"title": "Long URL Article", "date": "2020-12-01T10:00:00Z", "url": url,
         "author": "Url Tester", "body": "See " + url + " for details."},
        {"title": "Empty Body Article", "date": "2020-12-01T11:00:00Z", "body": ""},
        {"title": "Headline " + LONG_WORD[:150], "date": "2020-12-01T12:00:00Z",
         "body": "Title with a long word."},
        {"title": "Markup Extremes Article", "date": "2020-12-01T13:00:00Z", "content_html": html_body},
        {"title": "Fifty Page Article", "date": "2020-12-02T09:00:00Z", "body": "\n\n".join(paras)},
        {"title": "One Line Article", "date": "2020-12-03T09:00:00Z", "body": "Just one line."},
    ]
    path = os.path.join(folder, "extremes.json")
    write_json(path, arts)
    return path, url, paras


# ---- cases ----

def case_fixtures_text():
    """qpdf --check, every title and words of every script, fonts embedded."""
    out = os.path.join(tmpdir("fx"), "digest.pdf")
    p = gazette(["fixtures/json", "fixtures/text", "-o", out])
    check("no installed font" not in p.stderr, "a glyph is missing on the fixtures:\n" + p.stderr)
    check(p.stderr.rstrip("\n").splitlines()[-1:] ==
          ["Wrote %s: 57 articles in 29 groups (3 duplicates dropped)" % out],
          "summary line: %r" % p.stderr.splitlines()[-1:])
    qpdf_check(out)
    pl = plan(["fixtures/json", "fixtures/text"])
    pages = text_pages(out)
    text = norm(" ".join(pages))
    first_body = outline_tree(Doc(out))[0][1]
    body = squeeze(" ".join(pages[first_body:]))
    titles = [a["title"] for g in pl["groups"] for a in g["articles"]]
    check(len(titles) == 57, "plan has %d articles, want 57" % len(titles))
    for t in titles:
        check(squeeze(t) in body, "pdftotext lacks the title %r on the article pages" % t)
    for script, words in SCRIPT_WORDS.items():
        for w in words:
            check(w in text, "pdftotext lacks the %s word %r" % (script, w))
    check("\ufffd" not in text, "U+FFFD in the text of the fixtures")
    n = fonts_embedded(out)
    check(n >= 3, "only %d fonts" % n)
    info, _ = pdfinfo(out)
    check(info.get("Pages") == str(len(pages)), "pdfinfo Pages %s, pdftotext pages %d" % (info.get("Pages"), len(pages)))
    check(info.get("Title") == "Digest — 23 Nov – 20 Dec 2020", "Title %r" % info.get("Title"))
    check(info.get("Creator", "").startswith("gazette "), "Creator %r" % info.get("Creator"))


def case_cover_header_footer():
    """Cover: title, range, author, counts, one bar label per group; running
    header on article pages; "n / N" footer on every page but the cover."""
    out = os.path.join(tmpdir("chf"), "digest.pdf")
    gazette(["fixtures/json", "fixtures/text", "-o", out, "--title", "Morning Post", "--author", "Desk Editor"])
    pl = plan(["fixtures/json", "fixtures/text"])
    w, h, m = SIZES["a4"]
    pages = bbox_pages(out)
    N = len(pages)
    cover = pages[0][2]
    cover_text = norm(" ".join(wd[4] for wd in cover))
    for want in ["Morning Post", "23 Nov – 20 Dec 2020", "Desk Editor", "57 articles in 29 groups",
                 "Articles per group (highest: 3)", "gazette "]:
        check(want in cover_text, "cover lacks %r: %r" % (want, cover_text))
    check(not re.search(r"\b1 / %d\b" % N, cover_text), "the cover has a page number")
    # bar labels: the numbers between the chart's caption and its axis
    # labels, left to right, are the articles per group
    caption = [wd for wd in cover if wd[4] == "(highest:"]
    axis_words = [wd for wd in cover if wd[4] == "Undated"]
    if check(caption and axis_words, "cover lacks the chart caption or axis labels"):
        band_top, band_bottom = caption[0][3], axis_words[0][1]
        labels = sorted((wd for wd in cover if wd[4].isdigit() and band_top < wd[1] and wd[3] < band_bottom),
                        key=lambda wd: wd[0])
        counts = [len(g["articles"]) for g in pl["groups"]]
        check([int(wd[4]) for wd in labels] == counts,
              "bar labels %s, want articles per group %s" % ([wd[4] for wd in labels], counts))
        if len(labels) == len(counts) and max(counts) > min(counts):
            # each label sits on its bar: its height grows linearly with the count
            hi, lo = max(counts), min(counts)
            y_hi = [wd[1] for wd, c in zip(labels, counts) if c == hi][0]
            y_lo = [wd[1] for wd, c in zip(labels, counts) if c == lo][0]
            check(y_hi < y_lo, "the highest bar's label is not above the lowest's")
            for wd, c in zip(labels, counts):
                want = y_hi + (y_lo - y_hi) * (hi - c) / (hi - lo)
                check(abs(wd[1] - want) < 0.5, "bar of %d: label at y %.2f, want %.2f" % (c, wd[1], want))
        axis = norm(" ".join(wd[4] for wd in cover if abs(wd[1] - axis_words[0][1]) < 1))
        check(axis == "Mon 23 Nov 2020 Undated", "chart axis labels %r" % axis)
    # footers and headers
    doc = Doc(out)
    tree = outline_tree(doc)
    group_first = [g[1] for g in tree]
    for n in range(1, N):
        words = pages[n][2]
        foot = norm(" ".join(wd[4] for wd in words if wd[1] > h - 66))
        check(foot == "%d / %d" % (n + 1, N), "page %d footer %r, want %r" % (n + 1, foot, "%d / %d" % (n + 1, N)))
        if group_first and n >= group_first[0]:
            g = max(i for i, start in enumerate(group_first) if start <= n)
            head = norm(" ".join(wd[4] for wd in words if wd[3] < 72))
            want = "Morning Post " + pl["groups"][g]["label"]
            check(head == want, "page %d header %r, want %r" % (n + 1, head, want))
    contents = norm(" ".join(wd[4] for wd in pages[1][2]))
    check(contents.startswith("Contents "), "page 2 does not start with Contents: %r" % contents[:60])


def case_page_size(size, explicit=True):
    d = tmpdir("size-" + size)
    ext, _, _ = extremes_input(d)
    out = os.path.join(d, "digest.pdf")
    gazette(["fixtures/json", "fixtures/text", ext, "-o", out] + (["--page-size", size] if explicit else []))
    qpdf_check(out)
    w, h, m = SIZES[size]
    info, _ = pdfinfo(out)
    n = int(info.get("Pages", "0"))
    check(n > 50, "only %d pages" % n)
    _, per_page = pdfinfo(out, "-f", "1", "-l", str(n))
    sizes = re.findall(r"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts", per_page, re.M)
    check(len(sizes) == n, "pdfinfo gives %d page sizes for %d pages" % (len(sizes), n))
    for num, pw, ph in sizes:
        if not check(abs(float(pw) - w) < 0.01 and abs(float(ph) - h) < 0.01,
                     "page %s is %s x %s pts, want %.2f x %.2f (%s)" % (num, pw, ph, w, h, size)):
            break
    check_margins(out, size, "fixtures + extremes")
    fonts_embedded(out)


def case_outline():
    """Bookmarks: one per group with one per article, in plan order, each
    pointing at the page where its text starts."""
    out = os.path.join(tmpdir("ol"), "digest.pdf")
    gazette(["fixtures/json", "fixtures/text", "-o", out])
    pl = plan(["fixtures/json", "fixtures/text"])
    doc = Doc(out)
    tree = outline_tree(doc)
    got = [(t, [k[0] for k in kids]) for t, _, kids, _ in tree]
    want = [(g["label"], [a["title"] for a in g["articles"]]) for g in pl["groups"]]
    check(got == want, "outline differs from the plan:\n got:  %s\n want: %s" % (got, want))
    for t, _, kids, o in tree:
        for k in o["kids"]:
            check(k["kids"] == [], "article bookmark %r has children" % k["title"])
    cat = doc.catalog()
    check(cat.get("/PageMode") == "/UseOutlines", "PageMode %r" % cat.get("/PageMode"))
    pages = text_pages(out)
    entries = plan_entries(pl)
    first_body = tree[0][1] if tree else 0
    found = find_pages(pages, entries, first_body)
    dests = []
    for t, pg, kids, _ in tree:
        dests.append(pg)
        dests.extend(k[1] for k in kids)
    if check(len(dests) == len(entries), "outline has %d entries, plan %d" % (len(dests), len(entries))):
        for (kind, text), dest, at in zip(entries, dests, found):
            check(at is not None and dest == at, "bookmark %s %r goes to page %d, its text starts on page %s"
                  % (kind, text, dest + 1, None if at is None else at + 1))


def case_toc_links():
    """Contents: one line per group and article, its page number, and a link
    to the page where the group or article starts."""
    out = os.path.join(tmpdir("toc"), "digest.pdf")
    gazette(["fixtures/json", "fixtures/text", "-o", out])
    pl = plan(["fixtures/json", "fixtures/text"])
    entries = plan_entries(pl)
    doc = Doc(out)
    tree = outline_tree(doc)
    first_body = tree[0][1]
    check(first_body >= 2, "articles start on page %d" % (first_body + 1))
    text = text_pages(out)
    found = find_pages(text, entries, first_body)
    bb = bbox_pages(out)
    w, h, m = SIZES["a4"]
    links = []  # (page, annot)
    for pg in range(1, first_body):
        for a in doc.annots(pg):
            if a.get("/Subtype") == "/Link":
                links.append((pg, a))
    check(len(links) == len(entries), "%d links on the contents pages, want %d (groups + articles)"
          % (len(links), len(entries)))
    for pg in list(range(0, 1)) + list(range(first_body, len(doc.page_refs))):
        for a in doc.annots(pg):
            check(not (a.get("/Subtype") == "/Link" and "/Dest" in a),
                  "page %d (not contents) has an internal link" % (pg + 1))
    for (pg, a), (kind, want), at in zip(links, entries, found):
        dest = doc.resolve(a.get("/Dest"))
        if not check(isinstance(dest, list) and len(dest) >= 2, "link %r has no /Dest: %r" % (want, a)):
            continue
        dpage = doc.page_index.get(dest[0])
        x0, y0, x1, y1 = a["/Rect"]
        words = [wd for wd in bb[pg][2]
                 if wd[0] >= x0 - TOL and wd[2] <= x1 + TOL and y0 <= h - (wd[1] + wd[3]) / 2 <= y1]
        words.sort(key=lambda wd: wd[0])
        line = [wd[4] for wd in words]
        shown, num = norm(" ".join(line[:-1])), line[-1] if line else ""
        check(shown == norm(want) or (shown.endswith("…") and norm(want).startswith(shown[:-1].rstrip())),
              "contents line on page %d reads %r under the link, want %r" % (pg + 1, shown, want))
        check(dpage is not None and num == str(dpage + 1),
              "contents line %r shows page %r, its link goes to page %s" % (want, num, None if dpage is None else dpage + 1))
        check(at is not None and dpage == at, "contents link %r goes to page %s, its text starts on page %s"
              % (want, None if dpage is None else dpage + 1, None if at is None else at + 1))
        # /FitH: the first text below the destination's top is the entry's
        # first word, at most 10 pt down
        if check(dpage is not None and len(dest) == 3 and dest[1] == "/FitH",
                 "contents link %r: destination %r, want [page /FitH top]" % (want, dest)):
            top = dest[2]
            first_word = norm(want).split(" ")[0]
            below = sorted((round(top - (h - wd[1]), 1), wd[0], wd[4]) for wd in bb[dpage][2]
                           if h - wd[1] <= top + 0.5)
            check(below and below[0][2] == first_word and below[0][0] <= 10,
                  "contents link %r: first text below the destination top %.2f on page %d is %r, want %r"
                  % (want, top, dpage + 1, below[:1], first_word))


def pick_missing_chars():
    """Characters no installed font has: CJK when no CJK font is installed,
    else Private Use Area characters, else a historic script."""
    candidates = [
        ["中", "山", "市", "茶"],
        ["\ue000", "\ue001", "\ue002", "\ue003"],
        ["\U00010900", "\U00010901", "\U00010902", "\U00010903"],  # Phoenician
    ]
    for chars in candidates:
        if all(run(["fc-list", ":charset=%x" % ord(c)]).stdout.strip() == "" for c in chars):
            return chars
    raise SystemExit("every candidate character has an installed font; add one that has none")


def case_missing_glyph():
    d = tmpdir("miss")
    c = pick_missing_chars()
    title = "Tea Delegation Visits " + c[0] + c[1]
    arts = [
        {"title": "Plain Article Before", "date": "2020-12-07T09:00:00Z", "body": "Nothing unusual here."},
        {"title": title, "date": "2020-12-07T10:00:00Z", "author": "Correspondent " + c[2],
         "body": "The delegation from " + c[0] + c[1] + c[2] + " arrived on Monday.\n\nThey brought " + c[3] + " and gifts."},
        {"title": "Plain Article After", "date": "2020-12-07T11:00:00Z", "body": "Nothing unusual here either."},
    ]
    src = os.path.join(d, "missing.json")
    with open(src, "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(a, ensure_ascii=False) for a in arts) + "\n]\n")
    p = gazette(["missing.json", "-o", "missing.pdf"], cwd=d, want_exit=0)
    listed = ", ".join("%s (U+%04X)" % (ch, ord(ch)) for ch in c)
    want = ('gazette: missing.pdf: warning: no installed font has 4 characters of "%s" (missing.json:3): %s; '
            'they show as \ufffd (add a font with --font)' % (title, listed))
    lines = p.stderr.splitlines()
    check(lines == [want, "Wrote missing.pdf: 3 articles in 1 group"],
          "stderr:\n got:  %s\n want: %s" % ("\n       ".join(lines), "\n       ".join(
              [want, "Wrote missing.pdf: 3 articles in 1 group"])))
    out = os.path.join(d, "missing.pdf")
    qpdf_check(out)
    fonts_embedded(out)
    text = norm(" ".join(text_pages(out)))
    check("Tea Delegation Visits \ufffd\ufffd" in text, "the title does not show U+FFFD for the missing characters")
    check("The delegation from \ufffd\ufffd\ufffd arrived" in text, "the body does not show U+FFFD for the missing characters")
    check("Correspondent \ufffd" in text, "the meta line does not show U+FFFD for the author's missing character")
    for ch in c:
        check(ch not in text, "character U+%04X is in the text though no font has it" % ord(ch))
    for t in ("Plain Article Before", "Plain Article After", "Nothing unusual here either."):
        check(t in text, "pdftotext lacks %r" % t)
    tree = outline_tree(Doc(out))
    check([k[0] for k in tree[0][2]] == ["Plain Article Before", title, "Plain Article After"],
          "bookmarks %r" % [k[0] for k in tree[0][2]])


def case_missing_glyph_options():
    """Characters no font has in --title and --author are reported too
    (SPEC 4.2: never silent), and still shown as U+FFFD."""
    d = tmpdir("miss-opts")
    c = pick_missing_chars()
    title, author = "Weekly " + c[0] + c[1] + " Digest", "Editor " + c[2]
    p = gazette([os.path.join(SRC, "fixtures/json/array.json"), "--title", title, "--author", author,
                 "-o", "t.pdf"], cwd=d)
    out = os.path.join(d, "t.pdf")
    qpdf_check(out)
    info, _ = pdfinfo(out)
    check(info.get("Title", "").startswith(title + " — "), "document Title %r" % info.get("Title"))
    check(info.get("Author") == author, "document Author %r" % info.get("Author"))
    cover = norm(text_pages(out)[0])
    check(cover.startswith("Weekly \ufffd\ufffd Digest"), "cover title %r" % cover[:40])
    check("Editor \ufffd" in cover, "cover author not shown with U+FFFD: %r" % cover[:80])
    for ch, where in ((c[0], "--title"), (c[1], "--title"), (c[2], "--author")):
        check("%s (U+%04X)" % (ch, ord(ch)) in p.stderr,
              "no warning names %s (U+%04X), used in %s and shown as U+FFFD on the cover%s; stderr:\n%s"
              % (ch, ord(ch), where, " and in every running header" if where == "--title" else "", p.stderr))


def case_layout_extremes():
    """Long words, 2,000-character URLs (body and article url), an empty
    body, a 50-page article and a one-line article stay inside the margins."""
    d = tmpdir("ext")
    src, url, paras = extremes_input(d)
    out = os.path.join(d, "ext.pdf")
    p = gazette([src, "-o", out])
    check("warning" not in p.stderr, "warnings:\n" + p.stderr)
    qpdf_check(out)
    fonts_embedded(out)
    bb = check_margins(out, "a4", "extremes")
    pl = plan([src])
    entries = plan_entries(pl)
    pages = text_pages(out)
    doc = Doc(out)
    tree = outline_tree(doc)
    titles = [k for g in tree for k in g[2]]
    want_titles = [a["title"] for g in pl["groups"] for a in g["articles"]]
    check([t for t, _ in titles] == want_titles, "bookmarks %r" % [t for t, _ in titles])
    start = {t: pg for t, pg in titles}
    # the 50-page article runs from its page to the page before the next group
    fifty = start.get("Fifty Page Article")
    one = start.get("One Line Article")
    if check(fifty is not None and one is not None, "bookmarks of the long articles missing"):
        span = one - fifty
        check(span >= 50, "the 50-page article spans %d pages (pages %d-%d)" % (span, fifty + 1, one))
        flat = [norm(t) for t in pages]
        last_para = "Para%03d" % (len(paras) - 1)
        check("Para000" in flat[fifty], "the long article's first paragraph is not on its first page")
        check(last_para in flat[one - 1], "its last paragraph is not on page %d" % one)
        order = [i for i, t in enumerate(flat) for k in range(len(paras)) if ("Para%03d " % k) in t + " "]
        check(order == sorted(order), "paragraphs of the long article out of page order")
        check(sum(("Para%03d" % k) in " ".join(flat) for k in range(len(paras))) == len(paras),
              "pdftotext lacks paragraphs of the long article")
        check(norm(pages[one]).count("Just one line.") == 1, "the one-line article's body is missing")
    chars = content_chars(bb)
    check(chars.count(LONG_WORD) == 4, "the %d-letter word comes back %d times, want 4 (2 paragraphs, list item, quote)"
          % (len(LONG_WORD), chars.count(LONG_WORD)))
    check(chars.count(url) == 2, "the 2,000-character URL comes back %d times from the text, want 2 (plain, <a>)"
          % chars.count(url))
    check(chars.count("preformatted_" * 60) == 1, "the long preformatted line is not given back")
    check(chars.count(squeeze(LONG_WORD[:150])) >= 1, "the long title is not given back")
    # the article url: its host shown in the meta line, a live link to all 2,000 characters
    uris = [a.get("/A", {}).get("/URI", "") for pg in range(len(doc.page_refs)) for a in doc.annots(pg)]
    uris = [u[2:] if u.startswith("u:") else u for u in uris]
    check(uris.count(url) >= 2, "%d links to the full 2,000-character URL, want >= 2 (meta line, <a> in body)"
          % uris.count(url))
    url_page = start.get("Long URL Article")
    if url_page is not None:
        check("archive.example.org" in norm(pages[url_page]), "the meta line does not show the url's host")
    # the empty body article: title and meta, nothing else lost
    empty = start.get("Empty Body Article")
    check(empty is not None and "Empty Body Article 1 December 2020, 11:00" in norm(pages[empty]),
          "the empty article's title and meta line")
    # every link annotation inside the page
    w, h, m = SIZES["a4"]
    for pg in range(len(doc.page_refs)):
        for a in doc.annots(pg):
            x0, y0, x1, y1 = a["/Rect"]
            check(m - TOL <= x0 <= x1 <= w - m + TOL and 0 <= y0 <= y1 <= h,
                  "page %d: link rectangle %r outside the text area" % (pg + 1, a["/Rect"]))


def case_title_keep():
    """An article title never stays alone at the foot of a page: its first
    body words are on the same page."""
    d = tmpdir("keep")
    rnd = random.Random(49)
    arts = []
    for i in range(70):
        n_words = rnd.choice([3, 8, 20, 45, 70, 110, 160])
        body = "Body%03dstart " % i + " ".join(rnd.choice(["alpha", "beta", "gamma", "delta"]) for _ in range(n_words))
        arts.append({"title": "Keep%03d headline" % i, "date": "2020-12-%02dT%02d:00:00Z" % (1 + i // 24, i % 24),
                     "author": "Writer", "body": body})
    src = os.path.join(d, "keep.json")
    write_json(src, arts)
    out = os.path.join(d, "keep.pdf")
    gazette([src, "--group-by", "all", "-o", out])
    qpdf_check(out)
    pages = bbox_pages(out)
    w, h, m = SIZES["a4"]
    first_body = outline_tree(Doc(out))[0][1]
    where = {}
    for n, (_, _, words) in enumerate(pages):
        if n < first_body:
            continue
        for wd in words:
            where.setdefault(wd[4], (n, wd))
    bottoms = []
    for i in range(70):
        t, b = where.get("Keep%03d" % i), where.get("Body%03dstart" % i)
        if not check(t and b, "article %d: title or first body word not found" % i):
            continue
        check(t[0] == b[0], "article %d: title on page %d, its body starts on page %d" % (i, t[0] + 1, b[0] + 1))
        bottoms.append(h - t[1][3])
    # the test means something only if some titles were pushed to a new page
    pushed = sum(1 for i in range(1, 70)
                 if where.get("Keep%03d" % i) and where["Keep%03d" % i][0] > where["Keep%03d" % (i - 1)][0]
                 and where["Keep%03d" % i][1][1] < 130)
    check(pushed >= 3, "only %d titles start a page; the layout was not exercised" % pushed)


def case_deterministic():
    """Same inputs, same bytes: two runs, one thread or many, another file
    name, standard output; SOURCE_DATE_EPOCH sets the dates."""
    d = tmpdir("det")
    env = {"SOURCE_DATE_EPOCH": "1608000000"}
    a, b, c = (os.path.join(d, n) for n in ("a.pdf", "b.pdf", "other-name.pdf"))
    gazette(["fixtures/json", "fixtures/text", "-o", a], env_extra=env)
    gazette(["fixtures/json", "fixtures/text", "-o", b, "-j", "1"], env_extra=env)
    gazette(["fixtures/json", "fixtures/text", "-o", c, "-j", "3"], env_extra=env)
    s = run([GAZETTE, "-q", "fixtures/json", "fixtures/text", "--format", "pdf", "-o", "-"], env_extra=env, binary=True)
    check(s.returncode == 0, "-o - exit %d: %s" % (s.returncode, s.stderr))
    ba = open(a, "rb").read()
    check(ba.startswith(b"%PDF-1."), "not a PDF")
    check(ba == open(b, "rb").read(), "two runs (default threads, -j 1) differ")
    check(ba == open(c, "rb").read(), "runs writing other file names (-j 3) differ")
    check(ba == s.stdout, "-o - gives other bytes than -o FILE (%d vs %d bytes)" % (len(s.stdout), len(ba)))
    info, _ = pdfinfo(a, "-isodates")
    check(info.get("CreationDate") == "2020-12-15T02:40:00Z", "CreationDate %r" % info.get("CreationDate"))
    check(info.get("ModDate") == "2020-12-15T02:40:00Z", "ModDate %r" % info.get("ModDate"))
    # without SOURCE_DATE_EPOCH: the newest article's time, still stable
    gazette(["fixtures/json", "fixtures/text", "-o", a])
    gazette(["fixtures/json", "fixtures/text", "-o", b])
    check(open(a, "rb").read() == open(b, "rb").read(), "two runs without SOURCE_DATE_EPOCH differ")
    info, _ = pdfinfo(a, "-isodates")
    newest = max(x["date"] for g in plan(["fixtures/json", "fixtures/text"])["groups"] for x in g["articles"] if x["date"])
    check(info.get("CreationDate") == "2020-12-20T08:45:00Z",
          "CreationDate %r without SOURCE_DATE_EPOCH, want the newest article (%s)" % (info.get("CreationDate"), newest))
    # --pdfa output is reproducible too
    gazette(["fixtures/json", "fixtures/text", "--pdfa", "-o", a], env_extra=env)
    gazette(["fixtures/json", "fixtures/text", "--pdfa", "-o", b], env_extra=env)
    check(open(a, "rb").read() == open(b, "rb").read(), "two --pdfa runs differ")


def case_pdfa():
    d = tmpdir("pdfa")
    out = os.path.join(d, "archive.pdf")
    env = {"SOURCE_DATE_EPOCH": "1608000000"}
    gazette(["fixtures/json", "fixtures/text", "--pdfa", "--author", "Ann & Bo <desk>", "-o", out], env_extra=env)
    qpdf_check(out)
    fonts_embedded(out)
    with open(out, "rb") as f:
        check(f.read(9) == b"%PDF-1.4\n", "header is not %PDF-1.4")
    info, _ = pdfinfo(out, "-isodates")
    check(info.get("PDF version") == "1.4", "PDF version %r" % info.get("PDF version"))
    check(info.get("Metadata Stream") == "yes", "no metadata stream")
    check(info.get("Author") == "Ann & Bo <desk>", "Author %r" % info.get("Author"))
    meta = tool(["pdfinfo", "-meta", out])
    for want in ["<pdfaid:part>1</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
                 '<rdf:li xml:lang="x-default">Digest — 23 Nov – 20 Dec 2020</rdf:li>',
                 "<rdf:li>Ann &amp; Bo &lt;desk&gt;</rdf:li>",
                 "<xmp:CreateDate>2020-12-15T02:40:00Z</xmp:CreateDate>",
                 "<xmp:ModifyDate>2020-12-15T02:40:00Z</xmp:ModifyDate>",
                 "<xmp:CreatorTool>%s</xmp:CreatorTool>" % info.get("Creator"),
                 "<pdf:Producer>%s</pdf:Producer>" % info.get("Producer")]:
        check(want in meta, "XMP lacks %s" % want)
    check(meta.lstrip().startswith("<?xpacket begin=") and meta.rstrip().endswith('<?xpacket end="w"?>'),
          "XMP is not one xpacket")
    doc = Doc(out)
    cat = doc.catalog()
    md = doc.objects.get("obj:" + str(cat.get("/Metadata")), {}).get("stream", {}).get("dict", {})
    check(md.get("/Type") == "/Metadata" and md.get("/Subtype") == "/XML" and "/Filter" not in md,
          "catalog /Metadata stream dict %r (want /Type /Metadata /Subtype /XML, unfiltered)" % md)
    intents = doc.resolve(cat.get("/OutputIntents"))
    if check(isinstance(intents, list) and len(intents) == 1, "/OutputIntents %r" % intents):
        oi = doc.resolve(intents[0])
        check(oi.get("/Type") == "/OutputIntent", "OutputIntent /Type %r" % oi.get("/Type"))
        check(oi.get("/S") == "/GTS_PDFA1", "OutputIntent /S %r, want /GTS_PDFA1" % oi.get("/S"))
        check(str(oi.get("/OutputConditionIdentifier", "")).endswith("sRGB"),
              "OutputConditionIdentifier %r" % oi.get("/OutputConditionIdentifier"))
        prof = oi.get("/DestOutputProfile")
        st = doc.objects.get("obj:" + str(prof), {}).get("stream")
        if check(st is not None, "/DestOutputProfile %r is not a stream" % prof):
            check(st["dict"].get("/N") == 3, "ICC profile /N %r, want 3 (RGB)" % st["dict"].get("/N"))
    tid = doc.objects["trailer"]["value"].get("/ID")
    check(isinstance(tid, list) and len(tid) == 2 and tid[0] == tid[1] and len(tid[0]) == 2 + 32,
          "trailer /ID %r" % tid)
    bad_f = [(pg + 1, a.get("/F")) for pg in range(len(doc.page_refs)) for a in doc.annots(pg) if a.get("/F") != 4]
    check(not bad_f, "annotations without /F 4 (print) in PDF/A: %r" % bad_f[:5])
    # not PDF/A-1 material: transparency groups, JavaScript, encryption
    raw = json.dumps(doc.objects)
    for bad in ('"/Group"', '"/JS"', '"/JavaScript"', '"/Encrypt"', '"/SMask"'):
        check(bad not in raw, "PDF/A output has %s" % bad)
    # the content is the same as without --pdfa
    plain = os.path.join(d, "plain.pdf")
    gazette(["fixtures/json", "fixtures/text", "--author", "Ann & Bo <desk>", "-o", plain], env_extra=env)
    check(text_pages(plain) == text_pages(out), "--pdfa changes the text")


def case_split_week():
    d = tmpdir("split")
    p = gazette(["fixtures/json", "fixtures/text", "--group-by", "week", "--split", "-o", os.path.join(d, "%G-W%V.pdf")])
    pl = plan(["fixtures/json", "fixtures/text", "--group-by", "week"])
    want = []
    for g in pl["groups"]:
        if g["start"] is None:
            want.append("undated.pdf")
        else:
            y, m, dd = map(int, g["start"].split("-"))
            iy, iw, _ = datetime.date(y, m, dd).isocalendar()
            want.append("%04d-W%02d.pdf" % (iy, iw))
    check(sorted(os.listdir(d)) == sorted(want), "files %s, want %s" % (sorted(os.listdir(d)), sorted(want)))
    check(want == ["2020-W48.pdf", "2020-W49.pdf", "2020-W50.pdf", "2020-W51.pdf", "undated.pdf"],
          "plan gives files %s" % want)
    check("Wrote 5 files" in p.stderr, "summary: %r" % p.stderr.splitlines()[-1:])
    for g, name in zip(pl["groups"], want):
        f = os.path.join(d, name)
        if not check(os.path.exists(f), "%s missing" % name):
            continue
        qpdf_check(f)
        fonts_embedded(f)
        tree = outline_tree(Doc(f))
        got = [(t, [k[0] for k in kids]) for t, _, kids, _ in tree]
        check(got == [(g["label"], [a["title"] for a in g["articles"]])],
              "%s: outline %r, want its one group %r" % (name, got, g["label"]))
        cover = norm(text_pages(f)[0])
        n = len(g["articles"])
        counts = "%d article%s in 1 group" % (n, "" if n == 1 else "s")
        check(counts in cover, "%s: cover lacks %r: %r" % (name, counts, cover))
        info, _ = pdfinfo(f)
        if g["start"]:
            check(info.get("Title", "").startswith("Digest — "), "%s: Title %r" % (name, info.get("Title")))
        else:
            check(info.get("Title") == "Digest", "%s: Title %r" % (name, info.get("Title")))


def case_fsize_limit():
    """A file size limit while writing over an existing file: exit 4, the
    old file untouched, no temporary file left, one error naming the file
    and saying it could not be written."""
    d = tmpdir("fsize")
    target = os.path.join(d, "digest.pdf")
    old = b"%PDF-1.4\n% an older digest that must survive\n" * 10
    # a small input: reading fits under the limit, the PDF (fonts) does not
    src = os.path.join(SRC, "fixtures/json/array.json")
    for lim in (30000, 22000):
        with open(target, "wb") as f:
            f.write(old)

        def limit(n=lim):
            resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))

        p = gazette([src, "-o", target], preexec=limit, want_exit=4)
        with open(target, "rb") as f:
            check(f.read() == old, "limit %d: the existing file was changed" % lim)
        check(os.listdir(d) == ["digest.pdf"], "limit %d: files left in the folder: %s" % (lim, os.listdir(d)))
        err = [l for l in p.stderr.splitlines() if "warning" not in l]
        check(len(err) == 1 and err[0].startswith("gazette: %s: " % target),
              "limit %d: error lines %r, want one naming %s" % (lim, err, target))
        check(any("cannot write" in l for l in err),
              "limit %d: the error does not say the PDF could not be written: %r" % (lim, err))
    # without the limit the same command works and replaces the file
    gazette([src, "-o", target])
    qpdf_check(target)
    check(os.listdir(d) == ["digest.pdf"], "files left in the folder: %s" % os.listdir(d))


def case_fsize_limit_tail():
    """A limit that cuts only the last bytes of the PDF (its cross-reference
    table and trailer) is a failure too: exit 4, old file untouched."""
    d = tmpdir("fsize-tail")
    src = os.path.join(SRC, "fixtures/json/array.json")
    full = os.path.join(d, "full.pdf")
    gazette([src, "-q", "-o", full])
    size = os.path.getsize(full)
    check(qpdf_check(full), "the unlimited output is not valid")
    work = tmpdir("fsize-tail/out")
    target = os.path.join(work, "digest.pdf")
    old = b"%PDF-1.4\n% an older digest that must survive\n" * 10
    for cut in (1, 100, 1000, 3000):
        with open(target, "wb") as f:
            f.write(old)

        def limit(n=size - cut):
            resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))

        p = run([GAZETTE, src, "-o", target], preexec=limit)
        with open(target, "rb") as f:
            now = f.read()
        check(p.returncode == 4 and now == old,
              "limit %d bytes (the PDF is %d): exit status %d (want 4), the existing file %s; stderr: %s"
              % (size - cut, size, p.returncode,
                 "untouched" if now == old else "replaced by %d bytes%s" % (
                     len(now), " (a truncated PDF)" if now == open(full, "rb").read()[:len(now)] else ""),
                 p.stderr.strip()))
        check(os.listdir(work) == ["digest.pdf"], "limit %d: files left: %s" % (size - cut, os.listdir(work)))


CASES = {
    "fixtures-text": case_fixtures_text,
    "cover-header-footer": case_cover_header_footer,
    "page-size-a4": lambda: case_page_size("a4"),
    "page-size-default": lambda: case_page_size("a4", explicit=False),
    "page-size-letter": lambda: case_page_size("letter"),
    "page-size-a5": lambda: case_page_size("a5"),
    "outline": case_outline,
    "toc-links": case_toc_links,
    "missing-glyph": case_missing_glyph,
    "missing-glyph-options": case_missing_glyph_options,
    "layout-extremes": case_layout_extremes,
    "title-keep": case_title_keep,
    "deterministic": case_deterministic,
    "pdfa": case_pdfa,
    "split-week": case_split_week,
    "fsize-limit": case_fsize_limit,
    "fsize-limit-tail": case_fsize_limit_tail,
}


def main():
    global GAZETTE, SRC, TMP
    if len(sys.argv) != 4 or sys.argv[3] not in CASES:
        sys.exit("usage: test_pdf.py GAZETTE_BINARY SOURCE_DIR CASE\ncases: " + " ".join(CASES))
    GAZETTE, SRC, name = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
    for t in ("qpdf", "pdftotext", "pdfinfo", "pdffonts", "fc-list"):
        if not shutil.which(t):
            sys.exit("%s is not installed" % t)
    TMP = tempfile.mkdtemp(prefix="gz-pdf-%s-" % name)
    keep = os.environ.get("GZ_KEEP_OUTPUTS")
    try:
        CASES[name]()
    finally:
        if PROBLEMS and keep:
            print("kept the outputs in " + TMP)
        else:
            shutil.rmtree(TMP, ignore_errors=True)
    if PROBLEMS:
        print("%s: %d problem(s)%s" % (name, len(PROBLEMS),
                                     "" if keep else " (GZ_KEEP_OUTPUTS=1 keeps the files)"))
        sys.exit(1)
    print("%s: ok" % name)



# ---- emoji, metadata bytes, /Lang and PDF/A clauses ----

def run_bytes(args, env_extra=None):
    """gazette with arguments that may hold any bytes (no decoding)."""
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    env["TZ"] = "UTC"
    env.update(env_extra or {})
    p = subprocess.run([GAZETTE.encode()] + args, cwd=SRC, env=env, capture_output=True)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def emoji_article(folder):
    path = os.path.join(folder, "emoji.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write('[{"title": "Flags and ticks", "date": "2021-03-04T10:00:00Z", '
                '"body": "Alpha bravo \u2705 charlie \U0001F1E9\U0001F1EA delta echo foxtrot."}]\n')
    return path


def case_emoji_fonts():
    """A colour bitmap emoji font installed: never chosen, PDF written,
    the emoji drawn from a monochrome font (fonts-symbola) and given back
    by pdftotext."""
    fc = tool(["fc-list", ":", "file"])
    check("NotoColorEmoji" in fc, "fonts-noto-color-emoji is not installed (NotoColorEmoji.ttf)")
    d = tmpdir("emoji")
    src = emoji_article(d)
    out = os.path.join(d, "out.pdf")
    p = run([GAZETTE, src, "-o", out])
    check(p.returncode == 0, "exit status %d, want 0; stderr:\n%s" % (p.returncode, p.stderr))
    check(p.stderr.splitlines() == ["Wrote %s: 1 article in 1 group" % out],
          "stderr is not just the summary:\n%s" % p.stderr)
    check("no error" not in p.stderr, "stderr says 'no error': %s" % p.stderr)
    check(sorted(os.listdir(d)) == ["emoji.json", "out.pdf"], "files left: %s" % sorted(os.listdir(d)))
    if os.path.exists(out):
        qpdf_check(out)
        fonts_embedded(out)
        fonts = tool(["pdffonts", out])
        check("Emoji" not in fonts, "a colour emoji font is in the PDF")
        check("Symbola" in fonts, "the emoji are not drawn from Symbola:\n" + fonts)
        text = norm(" ".join(text_pages(out)))
        for w in ["Flags and ticks", "Alpha bravo \u2705 charlie \U0001F1E9\U0001F1EA delta echo foxtrot."]:
            check(w in text, "pdftotext lacks %r: %s" % (w, text[-300:]))
    # the tick alone (no flag): libharu once failed at save time, "no error"
    tick = os.path.join(d, "tick.json")
    with open(tick, "w", encoding="utf-8") as f:
        f.write('[{"title": "Tick", "date": "2021-03-04T10:00:00Z", "body": "Done \u2705 today."}]\n')
    out2 = os.path.join(d, "tick.pdf")
    p = run([GAZETTE, tick, "-o", out2])
    check(p.returncode == 0, "tick: exit status %d, want 0; stderr:\n%s" % (p.returncode, p.stderr))
    check("no error" not in p.stderr, "tick: stderr says 'no error': %s" % p.stderr)
    if os.path.exists(out2):
        qpdf_check(out2)
        check("Done \u2705 today." in norm(" ".join(text_pages(out2))), "tick: pdftotext lacks the body")


def case_emoji_linebreak():
    """Flags, modifiers, ZWJ sequences and U+FFFF reach the line breaker:
    no abort, and a flag is never split over two lines."""
    d = tmpdir("flags")
    src = os.path.join(d, "flags.json")
    flag = "\U0001F1E9\U0001F1EA"
    body = ("Flags " + flag * 300 + " thumbs \U0001F44D\U0001F3FD family "
            "\U0001F468\u200d\U0001F469\u200d\U0001F467 victory \u270c\ufe0f one \U0001F1EB end.")
    write_json(src, [{"title": "Many flags", "date": "2021-03-04T10:00:00Z", "body": body}])
    out = os.path.join(d, "out.pdf")
    code, err = run_bytes([src.encode(), b"--title", "Odd \uffff title".encode(), b"-o", out.encode()])
    check(code == 0, "exit status %d, want 0; stderr:\n%s" % (code, err))
    if not os.path.exists(out):
        return
    qpdf_check(out)
    pages = text_pages(out)
    lines = [l for pg in pages for l in pg.splitlines() if flag in l]
    # 300 flags of 2 characters each, drawn from fonts-symbola, over several lines
    check(len(lines) >= 3, "the flags fill %d lines, want several" % len(lines))
    runs = [len(re.findall("[\U0001F1E6-\U0001F1FF]", re.sub(r"^Flags ", "", l).split(" ")[0]))
            for l in lines]
    check(all(n % 2 == 0 for n in runs), "a flag is split over two lines: runs %r" % runs)
    check(sum(runs) == 600, "flag characters %d, want 600" % sum(runs))
    text = norm(" ".join(pages))
    for w in ["thumbs", "family", "victory", "end."]:
        check(w in text, "pdftotext lacks %r" % w)


def xmp_of(pdf):
    """The XMP packet parsed: {dc:title, dc:creator, pdfaid:part, ...}."""
    import xml.dom.minidom
    meta = run(["pdfinfo", "-meta", pdf], binary=True).stdout
    try:
        dom = xml.dom.minidom.parseString(meta)
    except Exception as e:  # the packet must be well-formed XML
        fail("XMP of %s is not well-formed XML: %s" % (os.path.basename(pdf), e))
        return None
    got = {}
    for tag in ("dc:title", "dc:creator", "pdfaid:part", "pdfaid:conformance", "pdf:Producer"):
        els = dom.getElementsByTagName(tag)
        if els:
            got[tag] = "".join(n.data for n in els[0].getElementsByTagName("*")[-1].childNodes
                               if n.nodeType == n.TEXT_NODE) if els[0].getElementsByTagName("*") else \
                "".join(n.data for n in els[0].childNodes if n.nodeType == n.TEXT_NODE)
    return got


def case_xmp_bytes():
    """Control bytes and invalid UTF-8 in --title / --author: a valid PDF
    whose XMP is well-formed and matches the document information."""
    d = tmpdir("xmp")
    tail = " \u2014 23 Nov \u2013 20 Dec 2020"
    for i, (title, author, want_t, want_a) in enumerate([
            (b"Bad\x01Title", b"Ann\x02 & Bo <desk>", "BadTitle", "Ann & Bo <desk>"),
            (b"Bad\xffTitle", b"Caf\xe9 \x1b[31mred", "Bad\ufffdTitle", "Caf\ufffd [31mred"),
            (b"Nul\xc2\x85 \xef\xbf\xbe\x7f end", b"A\tB", "Nul end", "A B")]):
        out = os.path.join(d, "x%d.pdf" % i)
        code, err = run_bytes([b"fixtures/json", b"fixtures/text", b"--pdfa", b"--title", title, b"--author", author,
                               b"-o", out.encode()], env_extra={"SOURCE_DATE_EPOCH": "1608000000"})
        if not check(code == 0, "title %r: exit %d; stderr:\n%s" % (title, code, err)):
            continue
        qpdf_check(out)
        info, _ = pdfinfo(out)
        check(info.get("Title") == want_t + tail, "title %r: Info /Title %r, want %r"
              % (title, info.get("Title"), want_t + tail))
        check(info.get("Author") == want_a, "author %r: Info /Author %r, want %r"
              % (author, info.get("Author"), want_a))
        x = xmp_of(out)
        if x is None:
            continue
        check(x.get("dc:title") == info.get("Title"), "dc:title %r != Info /Title %r"
              % (x.get("dc:title"), info.get("Title")))
        check(x.get("dc:creator") == info.get("Author"), "dc:creator %r != Info /Author %r"
              % (x.get("dc:creator"), info.get("Author")))
        check(x.get("pdfaid:part") == "1" and x.get("pdfaid:conformance") == "B",
              "pdfaid %r/%r" % (x.get("pdfaid:part"), x.get("pdfaid:conformance")))


def lang_of(pdf):
    return Doc(pdf).catalog().get("/Lang")


def case_lang():
    d = tmpdir("lang")
    plain = os.path.join(d, "plain.pdf")
    gazette(["fixtures/json/single.json", "-o", plain])
    check(lang_of(plain) == "u:en", "default /Lang %r, want (en)" % lang_of(plain))
    de = os.path.join(d, "de.pdf")
    gazette(["fixtures/json/single.json", "--lang", "de-AT", "-o", de])
    check(lang_of(de) == "u:de-AT", "/Lang %r, want (de-AT)" % lang_of(de))
    qpdf_check(de)


PDFA_OUT = None


def pdfa_file():
    """One PDF/A-1b digest of the fixtures (with non-Latin scripts, so that
    several fonts are subset), made once per case."""
    global PDFA_OUT
    if PDFA_OUT is None:
        d = tmpdir("pdfa-clauses")
        PDFA_OUT = os.path.join(d, "a.pdf")
        gazette(["fixtures/json", "fixtures/text", "--pdfa", "--lang", "en-GB", "-o", PDFA_OUT],
                env_extra={"SOURCE_DATE_EPOCH": "1608000000"})
        qpdf_check(PDFA_OUT)
    return PDFA_OUT


def inline_objects(pdf):
    """qpdf --json=2 with every stream's decoded data (bytes) inline."""
    import base64
    j = json.loads(tool(["qpdf", "--json=2", "--json-stream-data=inline", "--json-key=qpdf", pdf]))
    objs = {}
    for k, v in j["qpdf"][1].items():
        if "stream" in v:
            st = v["stream"]
            objs[k] = {"dict": st.get("dict", {}), "data": base64.b64decode(st.get("data", ""))}
        else:
            objs[k] = v.get("value")
    return objs


def case_pdfa_xmp():
    """6.7.2/6.7.3: metadata stream present, unfiltered, pdfaid 1/B, and
    dc:title matching the information dictionary's /Title."""
    out = pdfa_file()
    doc = Doc(out)
    md_ref = doc.catalog().get("/Metadata")
    st = doc.objects.get("obj:" + str(md_ref), {}).get("stream", {}).get("dict")
    check(st is not None and st.get("/Subtype") == "/XML" and "/Filter" not in st,
          "catalog /Metadata %r: want an unfiltered /XML stream" % st)
    x = xmp_of(out) or {}
    info, _ = pdfinfo(out)
    check(x.get("pdfaid:part") == "1", "pdfaid:part %r" % x.get("pdfaid:part"))
    check(x.get("pdfaid:conformance") == "B", "pdfaid:conformance %r" % x.get("pdfaid:conformance"))
    check(x.get("dc:title") == info.get("Title") == "Digest \u2014 23 Nov \u2013 20 Dec 2020",
          "dc:title %r, Info /Title %r" % (x.get("dc:title"), info.get("Title")))


def case_pdfa_output_intent():
    """6.2.2: one GTS_PDFA1 output intent with an embedded RGB ICC profile."""
    out = pdfa_file()
    objs = inline_objects(out)
    root = objs["trailer"]["/Root"]
    intents = objs["obj:" + root]["/OutputIntents"]
    intents = objs.get("obj:" + intents, intents) if isinstance(intents, str) else intents
    check(isinstance(intents, list) and len(intents) == 1, "/OutputIntents %r" % intents)
    if not intents:
        return
    oi = objs.get("obj:" + intents[0]) if isinstance(intents[0], str) else intents[0]
    check(oi.get("/S") == "/GTS_PDFA1", "/S %r" % oi.get("/S"))
    prof = objs.get("obj:" + str(oi.get("/DestOutputProfile")))
    if check(isinstance(prof, dict) and "data" in prof, "/DestOutputProfile is not a stream"):
        data = prof["data"]
        check(prof["dict"].get("/N") == 3, "ICC /N %r" % prof["dict"].get("/N"))
        check(len(data) > 128 and data[36:40] == b"acsp" and data[16:20] == b"RGB ",
              "the embedded profile is not an RGB ICC profile (%d bytes)" % len(data))


def case_pdfa_fonts_embedded():
    """6.3.4: every font embedded."""
    out = pdfa_file()
    n = fonts_embedded(out)
    check(n >= 3, "pdffonts lists %d fonts" % n)


def case_pdfa_cidset():
    """6.3.5: a /CIDSet on the descriptor of every subset CIDFont, with a
    bit for every CID the pages show."""
    out = pdfa_file()
    objs = inline_objects(out)
    ref = lambda r: objs.get("obj:" + r) if isinstance(r, str) and r.endswith(" R") else r
    used = {}  # Type0 font ref -> CIDs shown
    pages = [v for v in objs.values() if isinstance(v, dict) and v.get("/Type") == "/Page"]
    for pg in pages:
        fonts = ref(ref(pg.get("/Resources", {})).get("/Font", {})) or {}
        contents = pg.get("/Contents")
        contents = contents if isinstance(contents, list) else [contents]
        data = b"".join(objs["obj:" + c]["data"] + b"\n" for c in contents)
        cur = None
        # strings shown by Tj, and by TJ between its adjustments
        for m in re.finditer(rb"/(\w+) [\d.]+ Tf|<([0-9A-Fa-f]*)> Tj|\[([^\]]*)\] TJ", data):
            if m.group(1):
                cur = fonts.get("/" + m.group(1).decode())
            elif cur:
                h = m.group(2).decode() if m.group(2) is not None else "".join(
                    re.findall(r"<([0-9A-Fa-f]*)>", m.group(3).decode()))
                used.setdefault(cur, set()).update(int(h[i:i + 4], 16) for i in range(0, len(h), 4))
    check(len(used) >= 3, "text in %d fonts, want several" % len(used))
    subsets = 0
    for fref, cids in sorted(used.items()):
        t0 = ref(fref)
        cid_font = ref(t0["/DescendantFonts"][0])
        desc = ref(cid_font["/FontDescriptor"])
        name = desc.get("/FontName", "")
        if not re.match(r"/[A-Z]{6}\+", name):
            continue
        subsets += 1
        cs = desc.get("/CIDSet")
        if not check(isinstance(cs, str) and "data" in objs.get("obj:" + cs, {}),
                     "%s: subset font without a /CIDSet stream" % name):
            continue
        bits = objs["obj:" + cs]["data"]
        has = lambda c: c // 8 < len(bits) and bits[c // 8] & (0x80 >> (c % 8))
        lacking = sorted(c for c in cids if not has(c))
        check(not lacking, "%s: /CIDSet lacks used CIDs %s" % (name, [hex(c) for c in lacking[:10]]))
        check(has(0), "%s: /CIDSet lacks CID 0" % name)
        # and it names no CID without a glyph: the set bits are exactly the
        # CIDs the CIDToGIDMap sends to a glyph other than .notdef
        gmap = objs.get("obj:" + str(cid_font.get("/CIDToGIDMap")), {}).get("data", b"")
        # (CID 0 is in every set; a font whose cmap gives U+0000 a glyph,
        # as the Noto fonts do, has it mapped too)
        mapped = {c for c in range(1, len(gmap) // 2) if gmap[2 * c] or gmap[2 * c + 1]}
        set_bits = {c for c in range(1, len(bits) * 8) if has(c)}
        check(len(mapped) > 100 and set_bits == mapped,
              "%s: /CIDSet has %d CIDs, the CIDToGIDMap maps %d; differ at %s" % (
                  name, len(set_bits), len(mapped), sorted(set_bits ^ mapped)[:10]))
    check(subsets == len(used), "%d of %d fonts are subsets" % (subsets, len(used)))


def case_pdfa_no_encryption():
    """6.1.3: no encryption."""
    out = pdfa_file()
    objs = inline_objects(out)
    check("/Encrypt" not in objs["trailer"], "trailer has /Encrypt")
    check("encrypted: no" in tool(["qpdf", "--show-encryption", out]) or
          "File is not encrypted" in tool(["qpdf", "--show-encryption", out]),
          "qpdf --show-encryption: %s" % tool(["qpdf", "--show-encryption", out]))


def case_pdfa_lang():
    """The natural language of the document: /Lang in the catalog."""
    check(lang_of(pdfa_file()) == "u:en-GB", "/Lang %r, want (en-GB)" % lang_of(pdfa_file()))


CASES.update({
    "emoji-fonts": case_emoji_fonts,
    "emoji-linebreak": case_emoji_linebreak,
    "xmp-bytes": case_xmp_bytes,
    "lang": case_lang,
    "pdfa-xmp": case_pdfa_xmp,
    "pdfa-output-intent": case_pdfa_output_intent,
    "pdfa-fonts-embedded": case_pdfa_fonts_embedded,
    "pdfa-cidset": case_pdfa_cidset,
    "pdfa-no-encryption": case_pdfa_no_encryption,
    "pdfa-lang": case_pdfa_lang,
})

if __name__ == "__main__":
    main()
