#!/usr/bin/env python3
"""End to end: the Markdown fixtures as EPUB and PDF.

    test_markdown.py GAZETTE_BINARY SOURCE_DIR

Each folder of fixtures/markdown/ (a Hugo and a Jekyll site) is converted
to an EPUB (checked with epubcheck) and a PDF (qpdf --check, pdftotext).
The last sentence of every post's body, taken from the file here (the
front matter cut off by its fences, not by gazette's reader), must be in
the EPUB's content documents and in the PDF's text; a draft's body must be
in neither; and the raw <script> of a post must never reach the EPUB.
Stdlib only (plus the shared tests/lib/gztest.py).
"""
import html
import os
import re
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402


def posts(folder):
    """(last sentence of the body, is a draft) of each post of a folder."""
    out = []
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            if not name.endswith((".md", ".markdown")):
                continue
            text = open(os.path.join(root, name), encoding="utf-8").read()
            draft = False
            for fence in ("---", "+++"):
                if text.startswith(fence + "\n"):
                    head, _, text = text[4:].partition("\n" + fence + "\n")
                    draft = re.search(r"^draft\s*[:=]\s*true\s*$", head, re.M) is not None
            paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
            last = " ".join(paragraphs[-1].split())
            last = re.sub(r"[*_`]", "", last)
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", last) if s]
            out.append((name, sentences[-1], draft))
    return out


def squeeze(s):
    """Text without white space and hyphens, as pdftotext may break it."""
    return re.sub(r"[\s\-\u00ad]+", "", s)


def epub_parts(path):
    with zipfile.ZipFile(path) as z:
        return [z.read(n).decode("utf-8") for n in sorted(z.namelist()) if n.endswith(".xhtml")]


def main():
    gazette, source = sys.argv[1:3]
    checks = gztest.Checks()
    queue = gztest.EpubcheckQueue(checks)
    tmp = tempfile.mkdtemp(prefix="gz-markdown-e2e-")
    env = gztest.clean_env({"LC_ALL": "C.UTF-8", "SOURCE_DATE_EPOCH": "1607385600"})
    for site in ("hugo", "jekyll"):
        folder = os.path.join(source, "fixtures", "markdown", site)
        want = posts(folder)
        checks.ok(len(want) >= 3, "%s: %d posts" % (site, len(want)))
        epub = os.path.join(tmp, site + ".epub")
        pdf = os.path.join(tmp, site + ".pdf")
        for out in (epub, pdf):
            p = gztest.run(gazette, ["-q", folder, "-o", out], env=env)
            checks.eq(p.returncode, 0 if site == "jekyll" else 1,
                      "%s -> %s: exit status (%s)" % (site, os.path.basename(out),
                                                      p.stderr.decode(errors="replace").strip()))
        if os.path.exists(epub):
            queue.add(epub)
            parts = epub_parts(epub)
            raw = " ".join(parts)
            text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())
            for name, last, draft in want:
                if draft:
                    checks.ok(last not in text, "%s: the EPUB holds the draft's %r" % (name, last))
                else:
                    checks.ok(last in text, "%s: the EPUB lacks the body's last sentence %r" % (name, last))
            checks.ok("<script" not in raw.lower(), "%s: a <script> reached the EPUB" % site)
            checks.ok('alert("never")' not in text and "alert(&quot;never" not in raw,
                      "%s: the script's text reached the EPUB" % site)
            checks.ok("javascript:" not in raw.lower(), "%s: a javascript: link reached the EPUB" % site)
        if os.path.exists(pdf):
            q = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
            checks.ok(q.returncode == 0, "%s: qpdf --check: %s%s" % (site, q.stdout[-400:], q.stderr))
            t = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True)
            text = squeeze(t.stdout)
            for name, last, draft in want:
                if draft:
                    checks.ok(squeeze(last) not in text, "%s: the PDF holds the draft's %r" % (name, last))
                else:
                    checks.ok(squeeze(last) in text, "%s: the PDF lacks the body's last sentence %r" % (name, last))
    queue.flush()
    print("%d checks, %d failed" % (checks.count, len(checks.failures)))
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
