#!/usr/bin/env python3
"""End to end: the CSV and TSV fixtures as EPUB and PDF.

    test_csv.py GAZETTE_BINARY SOURCE_DIR

Each file of fixtures/csv/ is converted to an EPUB (checked with
epubcheck) and a PDF (qpdf --check, pdftotext). The last sentence of every
row's body, taken from the file with Python's own csv module (not
gazette's reader), must be in the EPUB's content documents and in the
PDF's text; and every title must be in both.
Stdlib only (plus the shared tests/lib/gztest.py).
"""
import csv
import html
import os
import re
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402

BODY_COLUMNS = ("content_html", "content", "body", "text", "description")


def rows(path):
    """(title, last sentence of the body) of each row, by the file's own
    dialect: ';' when the header line has more of them than ','."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        data = f.read()
    first = data.split("\n", 1)[0]
    delim = "\t" if path.endswith(".tsv") else (";" if first.count(";") > first.count(",") else ",")
    out = []
    reader = csv.reader(data.splitlines(keepends=True), delimiter=delim)
    header = [h.lower() for h in next(reader)]
    for r in reader:
        if not any(c.strip() for c in r):
            continue
        rec = dict(zip(header, r))
        title = rec.get("title") or rec.get("headline")
        body = next(rec[c] for c in BODY_COLUMNS if rec.get(c))
        text = html.unescape(re.sub(r"<[^>]+>", " ", body))
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s]
        out.append((title, sentences[-1]))
    return out


def squeeze(s):
    """Text without white space and hyphens, as pdftotext may break it."""
    return re.sub(r"[\s\-\u00ad]+", "", s)


def epub_text(path):
    with zipfile.ZipFile(path) as z:
        parts = [z.read(n).decode("utf-8") for n in sorted(z.namelist()) if n.endswith(".xhtml")]
    text = html.unescape(re.sub(r"<[^>]+>", " ", " ".join(parts)))
    return " ".join(text.split())


def main():
    gazette, source = sys.argv[1:3]
    folder = os.path.join(source, "fixtures", "csv")
    checks = gztest.Checks()
    queue = gztest.EpubcheckQueue(checks)
    tmp = tempfile.mkdtemp(prefix="gz-csv-e2e-")
    env = gztest.clean_env({"LC_ALL": "C.UTF-8", "SOURCE_DATE_EPOCH": "1607385600"})
    names = sorted(n for n in os.listdir(folder) if n.endswith((".csv", ".tsv")))
    checks.ok(len(names) >= 3, "fixtures/csv holds %d files" % len(names))
    for name in names:
        src = os.path.join(folder, name)
        want = rows(src)
        checks.ok(len(want) >= 2, "%s: %d rows" % (name, len(want)))
        epub = os.path.join(tmp, name + ".epub")
        pdf = os.path.join(tmp, name + ".pdf")
        for out in (epub, pdf):
            p = gztest.run(gazette, ["-q", src, "-o", out], env=env)
            checks.eq(p.returncode, 0, "%s -> %s: exit status (%s)" % (name, os.path.basename(out),
                                                                       p.stderr.decode(errors="replace").strip()))
        if os.path.exists(epub):
            queue.add(epub)
            text = epub_text(epub)
            for title, last in want:
                checks.ok(title in text, "%s: the EPUB lacks the title %r" % (name, title))
                checks.ok(last in text, "%s: the EPUB lacks the body's last sentence %r" % (name, last))
        if os.path.exists(pdf):
            q = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
            checks.ok(q.returncode == 0, "%s: qpdf --check: %s%s" % (name, q.stdout[-400:], q.stderr))
            t = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True)
            text = squeeze(t.stdout)
            for title, last in want:
                checks.ok(squeeze(title) in text, "%s: the PDF lacks the title %r" % (name, title))
                checks.ok(squeeze(last) in text, "%s: the PDF lacks the body's last sentence %r" % (name, last))
    queue.flush()
    print("%d checks, %d failed" % (checks.count, len(checks.failures)))
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
