#!/usr/bin/env python3
"""Every producer's dump set as a digest: the whole body, never the teaser.

For each dump in fixtures/producers (JSON, JSON Lines, CSV) this writes an
EPUB and a PDF (--no-dedupe --tz UTC) and checks, for every record of
tests/golden/producers.expected.json:
- the last sentence of its body is in the EPUB's text and the PDF's text
  (so the full body was kept, not a teaser before it);
- a standfirst it has is shown once, as <p class="standfirst">, and the
  body that follows does not start with it;
and that every EPUB passes epubcheck.

Usage: test_producers.py GAZETTE PRODUCERS_DIR
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402

EXPECTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden",
                        "producers.expected.json")


def squash(text):
    """One space between words; curly quotes as the fixtures write them."""
    return re.sub(r"\s+", " ", text).strip()


def epub_text(path):
    with zipfile.ZipFile(path) as z:
        pages = [z.read(n).decode("utf-8") for n in sorted(z.namelist())
                 if re.match(r"OEBPS/g\d+.*\.xhtml$", n)]
    return "".join(pages)


def xhtml_to_text(xhtml):
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", xhtml)))


def main():
    gazette, folder = sys.argv[1:3]
    checks = gztest.Checks()
    with open(EXPECTED, encoding="utf-8") as f:
        expected = json.load(f)
    by_file = {}
    for rec in expected:
        by_file.setdefault(rec["file"], []).append(rec)
    if not shutil.which("pdftotext"):
        checks.fail("pdftotext (poppler-utils) is needed")
        return 1
    work = tempfile.mkdtemp(prefix="gz-producers-")
    epubs = []
    try:
        for name in sorted(by_file):
            src = os.path.join(folder, name)
            if not os.path.exists(src):
                checks.fail("%s: no such dump" % src)
                continue
            stem = re.sub(r"[^A-Za-z0-9]+", "-", name)
            epub = os.path.join(work, stem + ".epub")
            pdf = os.path.join(work, stem + ".pdf")
            ok = True
            for out in (epub, pdf):
                p = gztest.run(gazette, ["-q", "--no-dedupe", "--tz", "UTC", src, "-o", out])
                ok &= checks.ok(p.returncode <= 1 and os.path.isfile(out),
                                "%s -> %s: exit %d %s" % (name, os.path.basename(out), p.returncode,
                                                          p.stderr.decode("utf-8", "replace")))
            if not ok:
                continue
            epubs.append(epub)
            xhtml = epub_text(epub)
            etext = xhtml_to_text(xhtml)
            ptext = squash(subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"],
                                          stdout=subprocess.PIPE).stdout.decode("utf-8", "replace"))
            firsts = [xhtml_to_text(m) for m in re.findall(r'<p class="standfirst">(.*?)</p>', xhtml)]
            for rec in by_file[name]:
                what = "%s record %d" % (name, rec["index"])
                last = rec["body_last_sentence"]
                if last:
                    checks.ok(squash(last) in etext, "%s: EPUB lacks the body's last sentence %r" % (what, last))
                    checks.ok(squash(last) in ptext, "%s: PDF lacks the body's last sentence %r" % (what, last))
                sf = rec["standfirst"]
                if sf:
                    checks.eq(firsts.count(squash(sf)), 1, "%s: the standfirst shown once" % what)
                    # the body after the standfirst is not the teaser again
                    at = etext.find(squash(sf))
                    after = etext[at + len(squash(sf)):] if at >= 0 else ""
                    checks.ok(squash(sf) not in after, "%s: the teaser is shown again as the body" % what)
            checks.eq(len(firsts), sum(1 for r in by_file[name] if r["standfirst"]),
                      "%s: standfirsts in the EPUB" % name)
        results, problems = gztest.epubcheck_many(epubs)
        checks.eq(problems, [], "epubcheck ran")
        for path, r in results.items():
            checks.ok(r.clean, "epubcheck %s: %s\n%s" % (os.path.basename(path), r.summary(), "\n".join(r.lines)))
        checks.eq(len(results), len(epubs), "epubcheck checked every EPUB")
    finally:
        if os.environ.get("GZ_KEEP_OUTPUTS"):
            print("outputs kept in", work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("producers: %d checks, %d failures" % (checks.count, len(checks.failures)))
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
