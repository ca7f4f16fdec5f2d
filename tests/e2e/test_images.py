#!/usr/bin/env python3
"""End to end: pictures in the EPUB and the PDF (fixtures/images-articles).

    test_images.py GAZETTE_BINARY SOURCE_DIR

The fixtures are copied into a temporary tree beside a file outside it
(a JPEG holding a marker); a dump made here points at that file by `../`,
by an absolute path and through a symbolic link, and at a loopback HTTP
server started here. Checked: epubcheck 0/0 with every picture in the
manifest, in the container and referenced; the pictures' pixel sizes in
both outputs (the EPUB's <img> and pdfimages -list); the outside file's
bytes and the EXIF GPS block absent from both outputs; nothing requested
without --fetch-images and the remote ones counted in one warning; a
picture used twice stored once; --pdfa without /SMask; --no-images
without any picture; --fetch-images --allow-private-hosts fetching once
into its cache. The PDF page and the EPUB chapter are rendered
(pdftoppm, Chromium) and the red disc of badge.png is looked for in both.
Stdlib only (plus the shared tests/lib/gztest.py).
"""
import html
import http.server
import json
import os
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402

OPF = "{http://www.idpf.org/2007/opf}"
SECRET = b"GZ-OUTSIDE-SECRET-7431"
GPS = b"GZ-GPS-MARKER-51N"

# (media type, width, height) of every picture the fixtures embed, in
# pixels: harbour.jpg (twice, and once more as a lead: stored once), the
# badge with transparency, srcset's 1200 w candidate, the lead line art,
# the <picture>'s PNG source, the data: URI dot, a lead w400.jpg and the
# Markdown file's badge (the same as the JSON's: stored once).
WANT_EPUB = sorted([("image/jpeg", 320, 200), ("image/png", 120, 120), ("image/jpeg", 1200, 300),
                    ("image/png", 200, 60), ("image/jpeg", 64, 48), ("image/png", 8, 8),
                    ("image/jpeg", 400, 100)])


class Log:
    lines = []
    lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    body = b""

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        with Log.lock:
            Log.lines.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(Handler.body)))
        self.end_headers()
        self.wfile.write(Handler.body)


def jpeg_with_marker(src):
    """src's JPEG with a COM segment holding SECRET after its SOI."""
    data = open(src, "rb").read()
    com = b"\xff\xfe" + (len(SECRET) + 2).to_bytes(2, "big") + SECRET
    return data[:2] + com + data[2:]


def epub_pictures(path):
    """(manifest [(href, media type)], zip names under OEBPS/images/,
    [(src, width, height)] of every <img> in the content documents)."""
    with zipfile.ZipFile(path) as z:
        import xml.etree.ElementTree as ET
        opf = ET.fromstring(z.read("OEBPS/content.opf"))
        manifest = sorted((i.get("href"), i.get("media-type")) for i in opf.iter(OPF + "item")
                          if i.get("href", "").startswith("images/"))
        names = sorted(n[len("OEBPS/"):] for n in z.namelist() if n.startswith("OEBPS/images/"))
        imgs = []
        for n in sorted(z.namelist()):
            if n.endswith(".xhtml"):
                for m in re.finditer(r"<img ([^>]*)/>", z.read(n).decode("utf-8")):
                    a = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
                    imgs.append((a.get("src"), int(a.get("width", 0)), int(a.get("height", 0))))
        return manifest, names, imgs


def epub_all_bytes(path):
    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in z.namelist())


def pdf_all_bytes(path, tmp):
    """The PDF with every stream decompressed (qpdf --qdf)."""
    out = os.path.join(tmp, "qdf.pdf")
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", path, out], check=False)
    return open(path, "rb").read() + (open(out, "rb").read() if os.path.exists(out) else b"")


def pdf_images(path, colour=False):
    p = subprocess.run(["pdfimages", "-list", path], capture_output=True, text=True)
    rows = []
    for line in p.stdout.splitlines()[2:]:
        f = line.split()
        # type, width, height, encoding (or colour), object
        rows.append((f[2], int(f[3]), int(f[4]), f[5] if colour else f[8], f[10]))
    return rows


def red_pixels(ppm):
    """Pixels of the badge's red (200, 40, 40), give or take, in a P6 PPM."""
    parts = ppm.split(b"\n", 3)
    w, h = map(int, parts[1].split())
    px = parts[3]
    n = 0
    for i in range(0, w * h * 3, 3):
        r, g, b = px[i], px[i + 1], px[i + 2]
        if r > 170 and g < 80 and b < 80:
            n += 1
    return n


def png_to_ppm(data):
    """An 8-bit grey, RGB or RGBA PNG (Chromium's, the cover) as a P6 PPM."""
    import struct
    import zlib
    pos, idat, w, h, ct = 8, b"", 0, 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, _, ct = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    bpp = {0: 1, 2: 3, 6: 4}[ct]
    raw, stride, prev, out = zlib.decompress(idat), w * bpp, bytearray(w * bpp), bytearray()
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p_ = a + b - c
                pa, pb, pc = abs(p_ - a), abs(p_ - b), abs(p_ - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        for x in range(w):
            out += line[x * bpp:x * bpp + 3] if bpp >= 3 else bytes((line[x],) * 3)
    return b"P6\n%d %d\n255\n" % (w, h) + bytes(out)


def main():
    gazette, source = sys.argv[1:3]
    checks = gztest.Checks()
    queue = gztest.EpubcheckQueue(checks)
    tmp = tempfile.mkdtemp(prefix="gz-images-e2e-")
    fixtures = os.path.join(source, "fixtures", "images-articles")
    tree = os.path.join(tmp, "tree")
    inp = os.path.join(tree, "in")
    shutil.copytree(fixtures, inp, ignore=shutil.ignore_patterns("*.py"))
    outside = os.path.join(tree, "outside.jpg")
    with open(outside, "wb") as f:
        f.write(jpeg_with_marker(os.path.join(fixtures, "pics", "w400.jpg")))
    os.symlink("../../outside.jpg", os.path.join(inp, "pics", "link.jpg"))
    Handler.body = open(os.path.join(fixtures, "pics", "w400.jpg"), "rb").read()
    server = socketserver.TCPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    remote = "http://127.0.0.1:%d/press/one.jpg" % port
    escape = [
        {"title": "Escapes by dot-dot", "date": "2024-10-05T08:00:00Z",
         "content_html": "<p>One.</p><img src=\"../outside.jpg\" alt=\"dot-dot\">"},
        {"title": "Escapes by an absolute path", "date": "2024-10-05T09:00:00Z", "image": outside,
         "content_html": "<p>Two.</p><img src=\"%s\" alt=\"absolute\">" % html.escape(outside)},
        {"title": "Escapes by a link", "date": "2024-10-05T10:00:00Z",
         "content_html": "<p>Three.</p><img src=\"pics/link.jpg\" alt=\"link\">"},
        {"title": "Remote pictures", "date": "2024-10-05T11:00:00Z", "image": remote,
         "content_html": "<p>Four.</p><img src=\"%s\" alt=\"From the server\">" % remote},
    ]
    with open(os.path.join(inp, "more.json"), "w") as f:
        json.dump(escape, f)
    env = gztest.clean_env({"LC_ALL": "C.UTF-8", "SOURCE_DATE_EPOCH": "1728000000",
                            "XDG_CACHE_HOME": os.path.join(tmp, "xdg")})
    # articles.json, more.json, notes.md: by their names' byte order
    args = ["--tz", "UTC", inp]

    def convert(out, *extra):
        p = gztest.run(gazette, list(extra) + args + ["-o", out], env=env)
        err = p.stderr.decode("utf-8", "replace")
        checks.eq(p.returncode, 0, "%s: exit status (%s)" % (os.path.basename(out), err.strip()))
        return err

    epub = os.path.join(tmp, "d.epub")
    pdf = os.path.join(tmp, "d.pdf")
    err_epub = convert(epub)
    err_pdf = convert(pdf)
    for name, err, out in (("EPUB", err_epub, epub), ("PDF", err_pdf, pdf)):
        lines = err.strip().split("\n")
        # the remote ones: 2 in articles.json, 1 in more.json (whose lead is
        # its body's first picture: not shown twice)
        checks.eq([l for l in lines if "remote image" in l],
                  ["gazette: %s: warning: 3 remote images left out; --fetch-images embeds them" % out],
                  "%s: the remote pictures counted once" % name)
        for title, why in (("Escapes by dot-dot", "outside"), ("Escapes by an absolute path", "outside"),
                           ("Escapes by a link", "outside"),
                           ("Town council picks a picture for the new signs", "SVG")):
            hit = [l for l in lines if '"%s"' % title in l and "is left out" in l]
            checks.ok(len(hit) >= 1 and all(why in l for l in hit),
                      "%s: a warning names %r and says %r: %s" % (name, title, why, hit))
        checks.eq(len([l for l in lines if "is left out" in l]), 4,
                  "%s: four pictures left out (dot-dot, absolute, link, SVG)" % name)
    checks.eq(Log.lines, [], "without --fetch-images nothing is requested")

    # EPUB: every picture in the manifest, in the container, referenced
    queue.add(epub)
    checks.eq(gztest.epub_safety_problems(epub), [], "EPUB: safety allow-list")
    manifest, names, imgs = epub_pictures(epub)
    checks.eq([h for h, _ in manifest], names, "EPUB: the manifest lists exactly the container's pictures")
    checks.eq(sorted(set(s for s, _, _ in imgs)), names, "EPUB: every picture referenced, none missing")
    types = dict(manifest)
    checks.eq(sorted(set((types.get(s), w, h) for s, w, h in imgs)), WANT_EPUB,
              "EPUB: the pictures' types and pixel sizes")
    harbour = [s for s, w, h in imgs if (w, h) == (320, 200)]
    checks.eq(len(harbour), 3, "EPUB: harbour.jpg shown three times (two bodies and a lead)")
    checks.eq(len(set(harbour)), 1, "EPUB: ... and stored once")
    with zipfile.ZipFile(epub) as z:
        g1 = z.read("OEBPS/g0001.xhtml").decode("utf-8")
    checks.ok("<figcaption>The <em>new</em> harbour badge</figcaption>" in g1,
              "EPUB: the figure's caption with its emphasis")
    checks.ok(re.search(r"ahead of plan\.</p><figure class=\"image\"><img [^>]*alt=\"The harbour wall at "
                        r"low tide\" width=\"320\" height=\"200\"/></figure><p>The crews", g1),
              "EPUB: the image inside a paragraph splits it, text order kept")
    checks.ok('<p class="caption">Press photo of the council</p>' in g1,
              "EPUB: a remote picture left out keeps its alt text as its caption")
    checks.ok(re.search(r'<p class="meta">.*?</p><figure class="lead"><img src="images/[0-9a-f]{16}\.png" '
                        r'alt="" width="200" height="60"/></figure><p>The council', g1),
              "EPUB: the lead picture at the top of its article")

    # the cover: the title page as a PNG, declared for EPUB 3 and EPUB 2
    with zipfile.ZipFile(epub) as z:
        opf = z.read("OEBPS/content.opf").decode("utf-8")
        cover = z.read("OEBPS/cover.png") if "OEBPS/cover.png" in z.namelist() else b""
    checks.ok('<item id="cover-image" href="cover.png" media-type="image/png" properties="cover-image"/>' in opf,
              "EPUB: the cover image in the manifest")
    checks.ok('<meta name="cover" content="cover-image"/>' in opf, "EPUB: the EPUB 2 cover meta")
    checks.eq((cover[:8], cover[16:24]), (b"\x89PNG\r\n\x1a\n", bytes.fromhex("000004b000000640")),
              "EPUB: the cover is a 1200 x 1600 PNG")
    cover_ppm = png_to_ppm(cover) if cover else b"P6\n1 1\n255\n\0\0\0"
    dark = sum(1 for i in range(0, len(cover_ppm) - 16, 3 * 97) if cover_ppm[16 + i] < 128)
    checks.ok(dark > 200, "EPUB: the cover has text and bars drawn (%d dark samples)" % dark)

    # the outside file and the GPS block: in neither output
    eb, pb = epub_all_bytes(epub), pdf_all_bytes(pdf, tmp)
    for name, data in (("EPUB", eb), ("PDF", pb)):
        checks.ok(SECRET not in data, "%s: the outside file's bytes are absent" % name)
        checks.ok(GPS not in data and b"Exif\0\0" not in data, "%s: no EXIF (GPS) block" % name)
    checks.ok(GPS in open(os.path.join(inp, "pics", "harbour.jpg"), "rb").read(),
              "the source JPEG does hold the GPS marker")

    # PDF: each picture once, at its pixel size
    q = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    checks.eq(q.returncode, 0, "PDF: qpdf --check (%s)" % q.stdout[-300:])
    rows = pdf_images(pdf)
    shown = sorted((w, h) for t, w, h, _, _ in rows if t == "image")
    checks.eq(sorted(set(shown)), sorted((w, h) for _, w, h in WANT_EPUB), "PDF: pictures at their pixel sizes")
    checks.eq(len(set(o for t, w, h, _, o in rows if t == "image")), len(WANT_EPUB),
              "PDF: each picture one image object however often drawn")
    checks.eq(set((w, h) for t, w, h, _, _ in rows if t == "smask"), {(120, 120)},
              "PDF: the badge's transparency as a soft mask")
    checks.eq([e for t, w, h, e, _ in rows if (w, h) == (320, 200)][:1], ["jpeg"], "PDF: a JPEG stays DCT data")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True).stdout
    checks.ok("The new harbour badge" in " ".join(text.split()), "PDF: the caption under its picture")

    # --pdfa: no transparency left
    pdfa = os.path.join(tmp, "a.pdf")
    convert(pdfa, "--pdfa")
    j = subprocess.run(["qpdf", "--json", pdfa], capture_output=True, text=True).stdout
    checks.ok(len(j) > 1000 and "/SMask" not in j, "--pdfa: no /SMask in the PDF's objects")
    checks.ok("pdfaid:part" in open(pdfa, "rb").read().decode("latin-1"), "--pdfa: still declares PDF/A")
    checks.eq(sorted(set((w, h) for t, w, h, _, _ in pdf_images(pdfa) if t == "image")),
              sorted((w, h) for _, w, h in WANT_EPUB), "--pdfa: the same pictures, flattened")

    # --image-max and --grayscale-images: scaled down to the long side, grey
    gp = os.path.join(tmp, "g.pdf")
    convert(gp, "--image-max", "200", "--grayscale-images")
    checks.eq(sorted(set((t, w, h, c) for t, w, h, c, _ in pdf_images(gp, colour=True))),
              sorted([("image", 120, 120, "gray"), ("image", 200, 50, "gray"), ("image", 200, 60, "gray"),
                      ("image", 200, 125, "gray"), ("image", 64, 48, "gray"), ("image", 8, 8, "gray"),
                      ("smask", 120, 120, "gray")]), "--image-max 200 --grayscale-images: sizes and colour")

    # --no-images: not one picture
    ne, np_ = os.path.join(tmp, "n.epub"), os.path.join(tmp, "n.pdf")
    err = convert(ne, "--no-images") + convert(np_, "--no-images")
    queue.add(ne)
    checks.eq(epub_pictures(ne), ([], [], []), "--no-images: no picture in the EPUB")
    checks.eq(pdf_images(np_), [], "--no-images: no picture in the PDF")
    checks.ok("left out" not in err, "--no-images: no warning about pictures")

    # rendered: the badge's red disc on the PDF page and in the chapter
    r = subprocess.run(["pdftoppm", "-r", "40", "-f", "3", "-l", "3", pdf], capture_output=True)
    checks.ok(red_pixels(r.stdout) > 300 if r.returncode == 0 else False,
              "PDF page 3 rendered by pdftoppm shows the red badge")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        x = os.path.join(tmp, "x")
        with zipfile.ZipFile(epub) as z:
            z.extractall(x)
        shot = os.path.join(tmp, "chapter.png")
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--screenshot=" + shot, "--window-size=700,1400",
                        "file://" + os.path.join(x, "OEBPS", "g0001.xhtml")],
                       capture_output=True, timeout=120)
        ok = os.path.exists(shot) and red_pixels(png_to_ppm(open(shot, "rb").read())) > 1000
        checks.ok(ok, "the EPUB chapter rendered by Chromium shows the red badge")

    # --fetch-images --allow-private-hosts: fetched once, then from the cache
    cache = os.path.join(tmp, "cache")
    fe = os.path.join(tmp, "f.epub")
    err = convert(fe, "--fetch-images", "--allow-private-hosts", "--image-cache", cache)
    checks.eq(sorted(Log.lines), ["/press/one.jpg"], "--fetch-images: one request for the picture used twice")
    checks.ok("remote image" not in err, "--fetch-images: no remote picture left out")
    queue.add(fe)
    _, names, imgs = epub_pictures(fe)
    checks.eq(len(names), len(WANT_EPUB), "--fetch-images: the fetched picture is w400.jpg's bytes: stored once")
    checks.eq(len([1 for s, w, h in imgs if (w, h) == (400, 100)]), 2,
              "--fetch-images: w400.jpg shown twice (a lead, and fetched)")
    convert(os.path.join(tmp, "f2.epub"), "--fetch-images", "--allow-private-hosts", "--image-cache", cache)
    checks.eq(len(Log.lines), 1, "--fetch-images: the second run asks the cache, not the server")
    server.shutdown()
    queue.flush()
    print("%d checks, %d failed" % (checks.count, len(checks.failures)))
    if not checks.failures:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
