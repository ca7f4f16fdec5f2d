#!/usr/bin/env python3
"""The standfirst under the title, in the EPUB and the PDF.

tests/unit/test_ingest.c, given a folder, reads its records (a teaser the
body does not start with, a news API's cut body with a description of its
own, and a WordPress excerpt that is the start of its body) and writes
standfirst.epub and standfirst.pdf there. The EPUB must pass epubcheck and
hold each standfirst as a <p class="standfirst"> right under its <h2>,
styled by the stylesheet, and no standfirst for the excerpt; the PDF's
text must have each standfirst on the line after its title, before the
meta line.

Usage: test_standfirst.py TEST_INGEST
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402

STANDFIRSTS = [
    ("Harbour reopens", "Six weeks of repairs & a dawn return for the fleet.",
     "Six weeks of repairs &amp; a dawn return for the fleet."),
    ("Wasserwerk", "Die Stadtwerke erneuern das Wasserwerk am Fluss.",
     "Die Stadtwerke erneuern das Wasserwerk am Fluss."),
]


def main():
    writer = sys.argv[1]
    checks = gztest.Checks()
    work = tempfile.mkdtemp(prefix="gz-standfirst-")
    try:
        p = subprocess.run([writer, work], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if not checks.eq(p.returncode, 0, "writing the outputs: %s" % p.stdout.decode("utf-8", "replace")):
            return 1
        epub = os.path.join(work, "standfirst.epub")
        with zipfile.ZipFile(epub) as z:
            xhtml = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                            if re.match(r"OEBPS/g\d+.*\.xhtml$", n))
            css = z.read("OEBPS/style.css").decode("utf-8")
        for title, _, escaped in STANDFIRSTS:
            checks.ok("<h2>%s</h2><p class=\"standfirst\">%s</p><p class=\"meta\">" % (title, escaped) in xhtml,
                      "EPUB: the standfirst of %r right under its title" % title)
        checks.eq(xhtml.count('class="standfirst"'), len(STANDFIRSTS), "EPUB: standfirsts, and none for the excerpt")
        checks.ok(re.search(r"p\.standfirst \{[^}]*font-style: italic", css) is not None,
                  "EPUB: the stylesheet sets standfirsts in italics")
        results, problems = gztest.epubcheck_many([epub])
        checks.eq(problems, [], "epubcheck ran")
        for path, r in results.items():
            checks.ok(r.clean, "epubcheck: %s\n%s" % (r.summary(), "\n".join(r.lines)))
        checks.eq(len(results), 1, "epubcheck checked the EPUB")

        if not shutil.which("pdftotext"):
            checks.fail("pdftotext (poppler-utils) is needed")
        else:
            text = subprocess.run(["pdftotext", "-enc", "UTF-8", os.path.join(work, "standfirst.pdf"), "-"],
                                  stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
            lines = [line.strip() for line in text.splitlines()]
            for title, plain, _ in STANDFIRSTS:
                at = [i for i, line in enumerate(lines) if line == title]
                # the last one: the contents name the titles too
                checks.ok(at and lines[at[-1] + 1] == plain and lines[at[-1] + 2].startswith("5 March 2024"),
                          "PDF: the standfirst of %r between its title and its meta line" % title)
            checks.ok("Budget passes" in lines and not any("[…]" in line for line in lines),
                      "PDF: no standfirst for the excerpt")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d checks, %d failed" % (checks.count, len(checks.failures)))
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
