#!/usr/bin/env python3
"""Kerning of the PDF's body text and its drawing as TJ arrays (issue 17).

Usage: test_kerning.py GAZETTE_BINARY SOURCE_DIR CASE

An article is written whose paragraphs are full of pairs that DejaVu
Serif's 'kern' table kerns ("AVATAR Tower WAVE Yo"): a one-line paragraph
and a justified paragraph of several lines with a link, a superscript,
emphasis and strong words. The expected kerning is read from the font
file itself by the small parser below (the OpenType 'head', 'cmap' format
4 and 'kern' version 0 format 0 tables, as Microsoft's OpenType
specification gives them), not through FreeType as gazette reads it.

Cases:
  pairs   the one-line paragraph is one TJ array of exactly the table's
          adjustments, -round(value * 1000 / unitsPerEm) between each
          kerned pair; in every TJ array of the body font, each pair of
          neighbours that are not spaces is adjusted by exactly the
          table's value (none when it has none), and the justified lines'
          spaces are widened alike within a line (adjustments after the
          spaces within one unit of each other);
  text    pdftotext gives the paragraphs' words in order, and every
          justified line of the long paragraph but its last ends within
          0.5 pt of the column's edge (pdftotext -bbox-layout);
  glyphs  every glyph a TJ array shows has its outline in the font program
          embedded (the subset), and the link's annotation spans the link's
          words (pdftotext's boxes, within 0.5 pt).
"""
import base64
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402

T = gztest.Checks()

SHORT = "AVATAR Tower WAVE Yo"
LONG_PARTS = [
    "To AVOID a WAVE of Yo-yo prices, Tom's team at the AVATAR Tower took the "
    "VAT report to the LTA, where Vera, Yves and Wanda read it. ",
    '<a href="https://example.org/vat">Tower VAT rules</a>',
    " say a LYNX AVENUE kiosk pays x<sup>2</sup> when <em>TAVERN</em> and "
    "<strong>WAVY</strong> signs hang over the ",
    "AVENUE. Today, Tom, Vera, Yves and Wanda AVOW they will not AVERT the WAVE; "
    "the TAVERN at the Tower PAYS its VAT, and so does the kiosk of the LYNX "
    "AVENUE, says Tom. Yours, AVATAR.",
]
EDGE = 531.28  # the right edge of A4's text column


# ---- the font, read without FreeType -----------------------------------

def tables(data):
    n = struct.unpack(">H", data[4:6])[0]
    out = {}
    for i in range(n):
        tag, _, off, ln = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        out[tag.decode("latin-1")] = data[off:off + ln]
    return out


def cmap4(t):
    """code point -> glyph of the (3, 1) format 4 subtable."""
    n = struct.unpack(">H", t[2:4])[0]
    for i in range(n):
        plat, enc, off = struct.unpack(">HHI", t[4 + 8 * i:12 + 8 * i])
        if (plat, enc) != (3, 1) or struct.unpack(">H", t[off:off + 2])[0] != 4:
            continue
        seg = struct.unpack(">H", t[off + 6:off + 8])[0] // 2
        ends = struct.unpack(">%dH" % seg, t[off + 14:off + 14 + 2 * seg])
        base = off + 16 + 2 * seg
        starts = struct.unpack(">%dH" % seg, t[base:base + 2 * seg])
        deltas = struct.unpack(">%dh" % seg, t[base + 2 * seg:base + 4 * seg])
        ro_at = base + 4 * seg
        ros = struct.unpack(">%dH" % seg, t[ro_at:ro_at + 2 * seg])
        m = {}
        for s in range(seg):
            for c in range(starts[s], ends[s] + 1):
                if c == 0xFFFF:
                    continue
                if ros[s] == 0:
                    g = (c + deltas[s]) & 0xFFFF
                else:
                    at = ro_at + 2 * s + ros[s] + 2 * (c - starts[s])
                    g = struct.unpack(">H", t[at:at + 2])[0]
                    g = (g + deltas[s]) & 0xFFFF if g else 0
                if g:
                    m[c] = g
        return m
    return {}


def kern0(t):
    """(left glyph, right glyph) -> value of the horizontal format 0
    subtables of a version 0 'kern' table."""
    pairs = {}
    if not t or struct.unpack(">H", t[0:2])[0] != 0:
        return pairs
    n, off = struct.unpack(">H", t[2:4])[0], 4
    for _ in range(n):
        _, length, coverage = struct.unpack(">HHH", t[off:off + 6])
        if coverage >> 8 == 0 and coverage & 1:
            npairs = struct.unpack(">H", t[off + 6:off + 8])[0]
            for i in range(npairs):
                l, r, v = struct.unpack(">HHh", t[off + 14 + 6 * i:off + 20 + 6 * i])
                pairs[(l, r)] = v
        off += length
    return pairs


class Font:
    def __init__(self, path):
        data = open(path, "rb").read()
        tb = tables(data)
        self.upem = struct.unpack(">H", tb["head"][18:20])[0]
        self.cmap = cmap4(tb["cmap"])
        self.kern = kern0(tb.get("kern"))

    def adjust(self, a, b):
        """The TJ adjustment between chars a and b: the kerning in
        thousandths of an em, rounded half away from zero, negated."""
        if a == " " or b == " ":
            return 0
        v = self.kern.get((self.cmap.get(ord(a)), self.cmap.get(ord(b))), 0)
        x = v * 1000 / self.upem
        r = int(abs(x) + 0.5) * (1 if x >= 0 else -1)
        return -r


# ---- the PDF -------------------------------------------------------------

def objects(pdf):
    out = subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline", "--json-key=qpdf",
                          pdf], check=True, capture_output=True).stdout
    objs = {}
    for k, v in json.loads(out)["qpdf"][1].items():
        if "stream" in v:
            st = v["stream"]
            objs[k] = {"dict": st.get("dict", {}), "data": base64.b64decode(st.get("data", ""))}
        else:
            objs[k] = v.get("value")
    return objs


def ref(objs, r):
    return objs.get("obj:" + r) if isinstance(r, str) and r.endswith(" R") else r


OPS = re.compile(rb"/(\w+) ([\d.]+) Tf|([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) Tm"
                 rb"|\[([^\]]*)\] TJ")
ITEM = re.compile(rb"<([0-9A-Fa-f]*)>|(-?\d+)")


def shown(pdf):
    """Every TJ array of every page: (page, font object, its BaseFont,
    size, x, items), items being strings of text and numbers."""
    objs = objects(pdf)
    out = []
    pages = [v for v in objs.values() if isinstance(v, dict) and v.get("/Type") == "/Page"]
    for pi, pg in enumerate(pages):
        fonts = ref(objs, ref(objs, pg.get("/Resources", {})).get("/Font", {})) or {}
        contents = pg.get("/Contents")
        contents = contents if isinstance(contents, list) else [contents]
        data = b"\n".join(objs["obj:" + c]["data"] for c in contents)
        font, size, x = None, 0, 0
        for m in OPS.finditer(data):
            if m.group(1):
                font, size = fonts.get("/" + m.group(1).decode()), float(m.group(2))
            elif m.group(3):
                x = float(m.group(7))
            else:
                items = []
                for it in ITEM.finditer(m.group(9)):
                    if it.group(1) is not None:
                        h = it.group(1).decode()
                        items.append("".join(chr(int(h[i:i + 4], 16)) for i in range(0, len(h), 4)))
                    else:
                        items.append(int(it.group(2)))
                base = ref(objs, font).get("/BaseFont", "") if font else ""
                out.append((pi, font, base, size, x, items))
    return objs, out


def make(gz, tmp):
    art = {"headline": "Kerning", "lang": "en", "published": "2020-12-01T10:00:00Z",
           "content_html": "<p>%s</p><p>%s</p>" % (SHORT, "".join(LONG_PARTS))}
    src = os.path.join(tmp, "kern.json")
    with open(src, "w") as f:
        json.dump([art], f)
    pdf = os.path.join(tmp, "kern.pdf")
    p = gztest.run(gz, ["-q", src, "-o", pdf])
    T.ok(p.returncode == 0, "gazette failed: %s" % p.stderr)
    return pdf


def body_font_path():
    return subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Serif:style=Book"], check=True,
                          capture_output=True, text=True).stdout


def is_body(base):
    return re.fullmatch(r"/[A-Z]{6}\+DejaVuSerif,Book", base) is not None


def long_text():
    return re.sub(r"<[^>]+>", "", "".join(LONG_PARTS))


def case_pairs(gz, tmp):
    font = Font(body_font_path())
    T.ok(len(font.kern) > 1000, "DejaVu Serif's kern table has %d pairs" % len(font.kern))
    _, arrays = shown(make(gz, tmp))
    # the one-line paragraph: one array, exactly the table's adjustments
    want = [SHORT[0]]
    for a, b in zip(SHORT, SHORT[1:]):
        adj = font.adjust(a, b)
        if adj:
            want += [adj, b]
        else:
            want[-1] += b
    got = [it for _, _, base, _, _, it in arrays if is_body(base) and
           "".join(i for i in it if isinstance(i, str)) == SHORT]
    T.eq(got, [want], "the TJ array of %r" % SHORT)
    T.ok(sum(isinstance(i, int) for i in want) >= 8, "few kerned pairs expected: %r" % want)
    # every body array: kerned pairs exact, spaces of a line alike
    kerned = justified = 0
    for _, _, base, size, _, items in arrays:
        if not is_body(base):
            continue
        prev, adj, gaps = None, 0, []
        for it in items:
            if isinstance(it, int):
                adj += it
                continue
            for ch in it:
                if prev is not None:
                    if prev == " ":
                        gaps.append(adj)
                    else:
                        if not T.eq(adj, font.adjust(prev, ch), "adjustment between %r and %r in %r"
                                    % (prev, ch, items)):
                            return
                        kerned += adj != 0
                prev, adj = ch, 0
        if gaps and any(gaps):
            justified += 1
            T.ok(max(gaps) - min(gaps) <= 1, "unequal spaces in a justified line: %r" % gaps)
    T.ok(kerned >= 40, "only %d kerned pairs drawn in the body" % kerned)
    T.ok(justified >= 3, "only %d justified lines in the body" % justified)


def bbox_lines(pdf):
    out = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], check=True,
                         capture_output=True).stdout.decode()
    lines = []
    for blk in re.findall(r"<line (.*?)</line>", out, re.S):
        ws = re.findall(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">'
                        r"(.*?)</word>", blk)
        lines.append([(float(a), float(b), float(c), float(d), t.replace("&apos;", "'"))
                      for a, b, c, d, t in ws])
    return lines


def case_text(gz, tmp):
    pdf = make(gz, tmp)
    text = subprocess.run(["pdftotext", pdf, "-"], check=True, capture_output=True).stdout.decode()
    flat = " ".join(text.split())
    T.ok(SHORT in flat, "%r not in pdftotext's text" % SHORT)
    # pdftotext sets the superscript apart as a word of its own
    want = " ".join(long_text().replace("x2", "x 2").split())
    T.ok(want in flat.replace("x2", "x 2"), "the long paragraph is not in pdftotext's text:\n%s"
         % flat)
    # the justified lines of the long paragraph: from "To AVOID" to "AVATAR."
    lines = bbox_lines(pdf)
    start = [i for i, l in enumerate(lines) if [w[4] for w in l[:2]] == ["To", "AVOID"]]
    end = [i for i, l in enumerate(lines) if l and l[-1][4] == "AVATAR."]
    if not T.ok(start and end and end[0] > start[0] + 2, "the long paragraph's lines not found"):
        return
    para = lines[start[0]:end[0] + 1]
    for l in para[:-1]:
        T.ok(abs(max(w[2] for w in l) - EDGE) <= 0.5, "a justified line ends at %.2f, not %.2f: %s"
             % (max(w[2] for w in l), EDGE, " ".join(w[4] for w in l)))
    T.ok(max(w[2] for w in para[-1]) < EDGE - 20, "the paragraph's last line is not ragged")


def case_glyphs(gz, tmp):
    pdf = make(gz, tmp)
    objs, arrays = shown(pdf)
    checked = 0
    for font in {f for _, f, base, _, _, _ in arrays if f}:
        t0 = ref(objs, font)
        cid_font = ref(objs, t0["/DescendantFonts"][0])
        gmap = ref(objs, cid_font["/CIDToGIDMap"])["data"]
        prog = ref(objs, ref(objs, cid_font["/FontDescriptor"])["/FontFile2"])["data"]
        tb = tables(prog)
        long_loca = struct.unpack(">h", tb["head"][50:52])[0] == 1
        loca = tb["loca"]

        def has_outline(gid):
            if long_loca:
                a, b = struct.unpack(">II", loca[4 * gid:4 * gid + 8])
            else:
                a, b = (2 * v for v in struct.unpack(">HH", loca[2 * gid:2 * gid + 4]))
            return b > a

        cps = {ch for _, f, _, _, _, items in arrays if f == font
               for it in items if isinstance(it, str) for ch in it if ch != " "}
        for ch in sorted(cps):
            cid = ord(ch)
            gid = gmap[2 * cid] << 8 | gmap[2 * cid + 1]
            checked += 1
            T.ok(gid and has_outline(gid), "%s: %r (glyph %d) drawn but not in the subset" %
                 (t0.get("/BaseFont"), ch, gid))
    T.ok(checked >= 40, "only %d glyphs checked" % checked)
    # the link: its annotation spans "Tower VAT rules"
    rects = [ref(objs, v).get("/Rect") for v in objs.values()
             if isinstance(v, dict) and v.get("/Subtype") == "/Link" and
             "vat" in json.dumps(ref(objs, v.get("/A", {})))]
    link = ["Tower", "VAT", "rules"]
    words = [l[i:i + 3] for l in bbox_lines(pdf) for i in range(len(l))
             if [w[4] for w in l[i:i + 3]] == link]
    words = words[0] if len(words) == 1 else []
    # (one line of the long paragraph holds the whole link)
    if not T.ok(len(rects) == 1 and len(words) == 3, "link %r, words %r" % (rects, words)):
        return
    x0, x1 = rects[0][0], rects[0][2]
    T.ok(abs(x0 - words[0][0]) <= 0.5 and abs(x1 - words[-1][2]) <= 0.5,
         "the link's rectangle %.2f-%.2f, its words %.2f-%.2f" % (x0, x1, words[0][0], words[-1][2]))


def main():
    gz, _src, case = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        {"pairs": case_pairs, "text": case_text, "glyphs": case_glyphs}[case](gz, tmp)
    print("ok (%d checks)" % T.count if not T.failures else "%d failure(s)" % len(T.failures))
    return 1 if T.failures else 0


if __name__ == "__main__":
    sys.exit(main())
