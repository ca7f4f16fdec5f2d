#!/usr/bin/env python3
"""The PDF of every script (issue 15), checked with real tools.

Usage: test_scripts_pdf.py GAZETTE_BINARY SOURCE_DIR CASE

Inputs are fixtures/scripts/ (one invented article per script) and the
paragraphs tests/golden/scripts.expected.json gives for them (NFC, in
logical order). Cases:
  text     pdftotext of each fixture's PDF holds its title and every
           paragraph, and gazette warns of nothing;
  glyphs   the glyph ids drawn for a Hindi and an Arabic paragraph (the
           content stream's CIDs through the font's CIDToGIDMap) are those
           hb-shape gives for the same font file and text;
  fonts    every font embedded (pdffonts), qpdf --check clean, the
           ToUnicode maps parsed by poppler without a complaint;
  pdfa     --pdfa of all the fixtures passes the PDF/A clauses that
           tests/e2e/test_pdf.py checks (XMP, output intent, fonts, CIDSet);
  missing  a script no installed font covers is named in the warning, with
           the article, and the exit status stays 0 (SPEC 5);
  breaks   Korean broken at spaces only, Japanese between characters and
           never before a closing mark;
  ink      every word on an article's page has ink where pdftotext finds it.

pdftotext (poppler 22.12, default mode) returns right-to-left lines in
logical order, with bidi controls around runs (left out here), but its
own reordering (TextOutputDev's reorderText) moves neutral characters
(spaces, commas, quotation marks) to the other side of a run, and counts
the Arabic comma and semicolon (U+060C, U+061B) as left-to-right, so on
a page read as left-to-right it reorders an Arabic sentence around them.
So a paragraph holding right-to-left text is compared as its words in
order, each stretch between Arabic commas on its own; Chinese and
Japanese, where pdftotext turns a line break into a space, without white
space; all others with white space normalised.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_pdf as T  # noqa: E402

BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NO_SPACE_LANGS = ("ja", "zh")


def expected():
    with open(os.path.join(T.SRC, "tests/golden/scripts.expected.json"), encoding="utf-8") as f:
        return json.load(f)


RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def clean(s, spaces):
    s = unicodedata.normalize("NFC", BIDI_MARKS.sub("", s))
    return re.sub(r"\s+", "", s) if not spaces else " ".join(s.split())


def words(s):
    """The words of s, right-to-left letters, digits and other letters
    never in one word (pdftotext may leave out the space between them)."""
    kind = lambda ch: 0 if ch.isdigit() else 1 if RTL.match(ch) else 2
    out = []
    for w in re.findall(r"\w+", unicodedata.normalize("NFC", s)):
        start = 0
        for i in range(1, len(w) + 1):
            if i == len(w) or kind(w[i]) != kind(w[start]):
                out.append(w[start:i])
                start = i
    return " " + " ".join(out) + " "


def make(fixture, extra=()):
    d = T.tmpdir(os.path.splitext(fixture)[0])
    out = os.path.join(d, "out.pdf")
    p = T.run([T.GAZETTE, os.path.join(T.SRC, "fixtures/scripts", fixture), "-o", out] + list(extra))
    return p, out


def case_text():
    for art in expected():
        p, out = make(art["file"])
        T.check(p.returncode == 0, "%s: exit status %d; stderr:\n%s" % (art["file"], p.returncode, p.stderr))
        lines = p.stderr.splitlines()
        T.check(len(lines) == 1 and lines[0].startswith("Wrote "),
                "%s: gazette warned:\n%s" % (art["file"], p.stderr))
        if not os.path.exists(out):
            continue
        spaces = art["lang"] not in NO_SPACE_LANGS
        pages = T.text_pages(out)
        body = clean(" ".join(pages[2:]), spaces)
        body_words = words(body)
        for para in [art["title"]] + art["paragraphs"]:
            if RTL.search(para):
                for part in re.split("[\u060c\u061b]", para):
                    want = words(part)
                    T.check(want in body_words, "%s: pdftotext lacks the words\n  %r\nin\n  %r"
                            % (art["file"], want, body_words[:3000]))
                continue
            want = clean(para, spaces)
            T.check(want in body, "%s: pdftotext lacks the paragraph\n  %r\nin\n  %r"
                    % (art["file"], want, body[:3000]))


# ---- glyphs ----

def qdf_objects(pdf):
    """The objects of the PDF (qpdf --qdf, no object streams), streams
    uncompressed: {number: (dictionary text, stream bytes or None)}."""
    q = pdf + ".qdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, q], check=False)
    with open(q, "rb") as f:
        data = f.read()
    objs = {}
    for m in re.finditer(rb"\n(\d+) 0 obj\n(.*?)\nendobj", data, re.S):
        body = m.group(2)
        s = re.search(rb"\nstream\n(.*)\nendstream", body, re.S)
        head = body[:s.start()] if s else body
        objs[int(m.group(1))] = (head.decode("latin-1"), s.group(1) if s else None)
    return objs


def ref(head, key):
    m = re.search(r"/%s (\d+) 0 R" % key, head)
    return int(m.group(1)) if m else None


def font_file(base):
    """The installed file whose PostScript name libharu's BaseFont holds."""
    ps = base.split("+", 1)[-1].split(",")[0]
    out = T.tool(["fc-list", ":postscriptname=%s" % ps, "file", "index"])
    for line in out.splitlines():
        m = re.match(r"(.*?): ?(?::index=(\d+))?", line)
        path = line.split(":")[0]
        idx = re.search(r"index=(\d+)", line)
        if m and os.path.exists(path):
            return path, int(idx.group(1)) if idx else 0
    return None, 0


def drawn_glyphs(pdf, page_no):
    """[(BaseFont, [glyph ids in content order])] of one page, per text
    string shown."""
    objs = qdf_objects(pdf)
    pages = [n for n, (h, _) in sorted(objs.items()) if re.search(r"/Type /Page\b", h)]
    head, _ = objs[pages[page_no]]
    res = objs[ref(head, "Resources")][0] if ref(head, "Resources") else head
    fonts = {}
    fd = re.search(r"/Font\s*<<(.*?)>>", res, re.S)
    for name, num in re.findall(r"/(\w+) (\d+) 0 R", fd.group(1) if fd else ""):
        t0 = objs[int(num)][0]
        desc = int(re.search(r"/DescendantFonts \[\s*(\d+) 0 R", t0).group(1))
        gmap = objs[ref(objs[desc][0], "CIDToGIDMap")][1]
        base = re.search(r"/BaseFont /(\S+)", t0).group(1)
        fonts[name] = (base, gmap)
    cm = re.search(r"/Contents (\d+) 0 R", head)
    nums = [int(cm.group(1))] if cm else [int(n) for n in re.findall(
        r"(\d+) 0 R", re.search(r"/Contents \[(.*?)\]", head, re.S).group(1))]
    data = b"\n".join(objs[n][1] for n in nums)
    shown, cur = [], None
    for m in re.finditer(rb"/(\w+) [\d.]+ Tf|<([0-9A-Fa-f]*)> Tj", data):
        if m.group(1):
            cur = fonts.get(m.group(1).decode())
        elif cur:
            h = m.group(2).decode()
            gids = []
            for i in range(0, len(h), 4):
                cid = int(h[i:i + 4], 16)
                gids.append(cur[1][2 * cid] << 8 | cur[1][2 * cid + 1])
            shown.append((cur[0], gids))
    return shown


def hb_shape(path, index, text, lang):
    p = T.run(["hb-shape", "--face-index=%d" % index, "--language=%s" % lang,
               "--remove-default-ignorables", "--output-format=json", "--no-glyph-names",
               "--no-positions", "--no-clusters", path, text])
    if p.returncode != 0:
        T.fail("hb-shape failed: %s" % p.stderr)
        return []
    return [g["g"] for g in json.loads(p.stdout)]


def case_glyphs():
    if not shutil.which("hb-shape"):
        T.fail("hb-shape is not installed (libharfbuzz-bin)")
        return
    arts = {a["file"]: a for a in expected()}
    # one-line paragraphs, so that their glyphs are one stretch of one line
    for fixture, para, lang in (("hindi.json", arts["hindi.json"]["title"], "hi"),
                                ("arabic.json", arts["arabic.json"]["paragraphs"][2], "ar")):
        p, out = make(fixture)
        if not T.check(os.path.exists(out), "%s: no PDF" % fixture):
            continue
        shown = drawn_glyphs(out, 2)
        # the run of one font holding the paragraph: concatenated strings
        by_font = {}
        for base, gids in shown:
            by_font.setdefault(base, []).extend(gids)
        found = False
        for base, gids in by_font.items():
            path, index = font_file(base)
            if not path:
                continue
            # a cluster of several glyphs is drawn after an inkless space
            # glyph that carries its text: spaces are left out of both
            space = hb_shape(path, index, " ", lang)
            want = [g for g in hb_shape(path, index, para, lang) if g not in space]
            T.check(len(want) > 5, "hb-shape gave %r for %r" % (want, para))
            hay = ",".join(str(g) for g in gids if g not in space)
            if "," + ",".join(map(str, want)) + "," in "," + hay + ",":
                found = True
                print("%s: %d glyphs of %s match hb-shape" % (fixture, len(want), os.path.basename(path)))
        T.check(found, "%s: the glyphs hb-shape gives for %r are not drawn in one stretch; drawn: %r"
                % (fixture, para, shown[:40]))


# ---- fonts, PDF/A, missing scripts ----

def case_fonts():
    for art in expected():
        p, out = make(art["file"])
        if not T.check(os.path.exists(out), "%s: no PDF" % art["file"]):
            continue
        T.qpdf_check(out)
        T.fonts_embedded(out)
        q = T.run(["pdftotext", out, "-"])
        T.check(q.stderr.strip() == "", "%s: poppler complains: %s" % (art["file"], q.stderr.strip()))


def case_pdfa():
    d = T.tmpdir("pdfa")
    out = os.path.join(d, "a.pdf")
    T.gazette([os.path.join(T.SRC, "fixtures/scripts"), "--pdfa", "-o", out],
              env_extra={"SOURCE_DATE_EPOCH": "1608000000"})
    if not T.check(os.path.exists(out), "no PDF/A written"):
        return
    T.qpdf_check(out)
    T.PDFA_OUT = out
    for name in ("pdfa-output-intent", "pdfa-fonts-embedded", "pdfa-cidset", "pdfa-no-encryption"):
        T.CASES[name]()
    x = T.xmp_of(out) or {}
    info, _ = T.pdfinfo(out)
    T.check((x.get("pdfaid:part"), x.get("pdfaid:conformance")) == ("1", "B"), "XMP pdfaid %r" % x)
    T.check(x.get("dc:title") == info.get("Title") == "Digest \u2014 1 \u2013 12 Dec 2020",
            "dc:title %r, Info /Title %r" % (x.get("dc:title"), info.get("Title")))
    n = T.fonts_embedded(out)
    T.check(n >= 8, "pdffonts lists %d fonts for all the scripts" % n)


def uncovered():
    """Characters of a historic script no installed font covers."""
    # Nandinagari, Dives Akuru, Kawi, Vithkuqi
    for block in (0x119A0, 0x11900, 0x11F04, 0x10570):
        chars = [chr(block + k) for k in (0, 1, 2)]
        if all(T.run(["fc-list", ":charset=%x" % ord(c)]).stdout.strip() == "" for c in chars):
            return chars
    raise SystemExit("every candidate script has an installed font; add one that has none")


def case_missing():
    d = T.tmpdir("miss")
    c = uncovered()
    title = "Inscription Found"
    T.write_json(os.path.join(d, "m.json"), [
        {"title": title, "date": "2020-12-07T10:00:00Z",
         "body": "The stone reads " + "".join(c) + " in an old script.\n\nArabic beside it: مرحبا."}])
    p = T.gazette(["m.json", "-o", "m.pdf"], cwd=d, want_exit=0)
    listed = ", ".join("%s (U+%04X)" % (ch, ord(ch)) for ch in c)
    want = ('gazette: m.pdf: warning: no installed font has 3 characters of "%s" (m.json:2): %s; '
            "they show as \ufffd (add a font with --font)" % (title, listed))
    T.check(want in p.stderr.splitlines(), "warning %r not in:\n%s" % (want, p.stderr))
    out = os.path.join(d, "m.pdf")
    if os.path.exists(out):
        text = clean(" ".join(T.text_pages(out)), True)
        T.check("The stone reads \ufffd\ufffd\ufffd in an old script." in text, "body: %r" % text[-400:])
        T.check("مرحبا" in text, "the Arabic beside it is lost: %r" % text[-400:])


def case_breaks():
    """Lines of Korean end at spaces only (a word is never cut between
    syllables), lines of Japanese break between characters but never
    before a closing mark."""
    d = T.tmpdir("breaks")
    ko_words = ["항구", "도시의", "새로운", "해양", "박물관이", "토요일에", "문을", "열었다"]
    ko = " ".join(ko_words[i % len(ko_words)] for i in range(160)) + "."
    ja = "".join("駅前の図書館は、「本を読む人」のための場所です。" for _ in range(30))
    T.write_json(os.path.join(d, "b.json"), [
        {"title": "Korean", "date": "2020-12-07T10:00:00Z", "body": ko},
        {"title": "Japanese", "date": "2020-12-07T11:00:00Z", "body": ja}])
    T.gazette(["b.json", "-o", "b.pdf"], cwd=d)
    out = os.path.join(d, "b.pdf")
    if not os.path.exists(out):
        return
    lines = [l.strip() for pg in T.text_pages(out)[2:] for l in pg.splitlines() if l.strip()]
    ko_lines = [l for l in lines if "박물관이" in l or "해양" in l]
    T.check(len(ko_lines) >= 5, "the Korean text fills %d lines, want several" % len(ko_lines))
    for l in ko_lines:
        bad = [w for w in l.rstrip(".").split(" ") if w not in ko_words]
        T.check(not bad, "a Korean word is cut at a line end: %r in %r" % (bad, l))
    ja_lines = [l for l in lines if "図書館" in l or "場所" in l or "読む" in l]
    T.check(len(ja_lines) >= 5, "the Japanese text fills %d lines, want several" % len(ja_lines))
    T.check(len({len(l) for l in ja_lines[:-1]}) <= 3 and any(not l.endswith("。") for l in ja_lines),
            "Japanese lines are not broken between characters: %r" % ja_lines[:6])
    for l in ja_lines:
        T.check(l[0] not in "、。」）", "a Japanese line starts with a closing mark: %r" % l)


def gray_page(pdf, page, dpi):
    """Page `page` (1-based) rendered by pdftoppm: (width, height, bytes)."""
    p = T.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), pdf],
              binary=True)
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", p.stdout)
    if not T.check(m is not None, "pdftoppm gave no grey image of %s" % pdf):
        return 0, 0, b""
    return int(m.group(1)), int(m.group(2)), p.stdout[m.end():]


def case_ink():
    """Every word pdftotext finds on an article's page has ink where it
    stands: no glyph embedded empty (libharu once dropped the parts of
    composite glyphs: Korean syllables of WenQuanYi Zen Hei, the hamza of
    DejaVu Sans's alef with hamza above)."""
    dpi = 100
    for art in expected():
        p, out = make(art["file"])
        if not os.path.exists(out):
            continue
        w, h, px = gray_page(out, 3, dpi)
        empty = []
        for x0, y0, x1, y1, word in T.bbox_pages(out)[2][2]:
            if not re.search(r"\w", word):
                continue
            k = dpi / 72.0
            dark = 0
            for y in range(int(y0 * k), min(int(y1 * k) + 1, h)):
                row = px[y * w + int(x0 * k):y * w + min(int(x1 * k) + 1, w)]
                dark += sum(1 for v in row if v < 128)
            if dark < 3:
                empty.append(word)
        T.check(not empty, "%s: words drawn without ink: %r" % (art["file"], empty[:10]))


CASES = {"ink": case_ink, "breaks": case_breaks, "text": case_text, "glyphs": case_glyphs, "fonts": case_fonts, "pdfa": case_pdfa,
         "missing": case_missing}


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in CASES:
        sys.exit("usage: test_scripts_pdf.py GAZETTE_BINARY SOURCE_DIR CASE\ncases: " + " ".join(CASES))
    import tempfile
    T.GAZETTE, T.SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    name = sys.argv[3]
    T.TMP = tempfile.mkdtemp(prefix="gz-scripts-pdf-%s-" % name)
    try:
        CASES[name]()
    finally:
        if not (T.PROBLEMS and os.environ.get("GZ_KEEP_OUTPUTS")):
            shutil.rmtree(T.TMP, ignore_errors=True)
    if T.PROBLEMS:
        print("%s: %d problem(s)" % (name, len(T.PROBLEMS)))
        sys.exit(1)
    print("%s: ok" % name)


if __name__ == "__main__":
    main()
