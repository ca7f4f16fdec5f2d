#!/usr/bin/env python3
"""End to end: the saved pages of fixtures/pages as EPUB and PDF.

    test_pages.py GAZETTE_BINARY SOURCE_DIR

Each saved article page is converted to an EPUB (checked with epubcheck)
and a PDF (qpdf --check, pdftotext). Its title and the last sentence of
its article must be in both; none of its page chrome (navigation, header,
footer, related links, comments, share bar, cookie banner, sidebar) may be
in either. The tag page must be skipped with its note and write nothing.
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

# Per page: its title, its article's last sentence, and strings of the
# chrome around (and inside) the article, as the fixture writes them.
PAGES = {
    "wordpress-ferry.html": (
        "Harbour ferry timetable changes from March",
        "The full timetable will be posted at both landings and in the library from next week.",
        ["Harbour News", "Tide Tables", "Letters Page", "Accept the Lowtide cookies",
         "Share this story", "Post it on Chirper", "Email a friend", "Filed under",
         "Slipway repairs run over budget", "The Gull goes in for a new engine",
         "thoughts on the ferry", "Jory from Quay Street", "Leave a Reply",
         "Lifeboat day raises record sum", "Lowtide Weekly", "Proudly powered by a kettle",
         "Posted on"]),
    "bignews-reservoir.html": (
        "Reservoir levels fall to a ten-year low",
        "The authority has asked households to take shorter showers and to leave lawns "
        "unwatered until the levels recover.",
        ["Manage consent choices", "News desk", "Sports desk", "Crossword and puzzles",
         "Meridian Premium", "Environment reporter", "Share on Facebook", "Share on LinkedIn",
         "Copy link to this story", "Morning Meridian briefing", "More on this story",
         "Heat wave sends water demand", "River flows at their lowest", "Reader comments",
         "RiverWatcher77", "GreenThumbGail", "Terms of Service", "Privacy Notice"]),
    "microdata-council.html": (
        "Council approves new library opening hours",
        "The first Saturday opening is on 6 April, with a story hour for children at two "
        "o'clock.",
        ["uses cookies for statistics", "Herald Home", "What's On Guide", "Local Jobs Board",
         "Tweet this", "Share by WhatsApp", "Popular on the Herald", "Bridge closure extended",
         "Have your say on the library", "Dai from Llanddu", "All rights reserved by Herald"]),
    "plainblog-allotment.html": (
        "Week fourteen: the broad beans go in",
        "Next week: potatoes, if the rain holds off, and a new lock for the shed door.",
        ["uses one cookie to count visitors", "Home of Fen Edge", "Old diary pages",
         "About the plot", "Other growers' blogs", "Previous week on the plot",
         "Next week on the plot", "Share on the allotment forum", "Comments from other plot",
         "if the mice leave them alone", "Blogroll", "Marsh Lane Growers",
         "Visitors since 2009", "written on a borrowed laptop", "Sunday 7 April 2024"]),
    "authors-array-budget.html": (
        "Stadtrat beschließt Haushalt mit Rekordinvestitionen",
        "Der Beschluss fiel mit 27 zu 15 Stimmen.",
        ["Alle akzeptieren", "Startseite der Rundschau", "Sportteil", "Kulturteil",
         "Auf Facebook teilen", "Per Mail versenden", "Von Lena Hartmann und",
         "Mehr zum Thema", "Brücken am Altrhein bleiben", "Leserkommentare",
         "Bürger Kalle", "Impressum der Rheinauer"]),
}
INDEX_PAGE = "tag-transport.html"


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
    folder = os.path.join(source, "fixtures", "pages")
    checks = gztest.Checks()
    queue = gztest.EpubcheckQueue(checks)
    tmp = tempfile.mkdtemp(prefix="gz-pages-e2e-")
    env = gztest.clean_env({"LC_ALL": "C.UTF-8", "SOURCE_DATE_EPOCH": "1607385600"})
    names = sorted(n for n in os.listdir(folder) if n.endswith(".html"))
    checks.eq(names, sorted(list(PAGES) + [INDEX_PAGE]), "the pages of fixtures/pages")
    for name, (title, last, chrome) in sorted(PAGES.items()):
        src = os.path.join(folder, name)
        epub = os.path.join(tmp, name + ".epub")
        pdf = os.path.join(tmp, name + ".pdf")
        for out in (epub, pdf):
            p = gztest.run(gazette, ["-q", "--tz", "UTC", src, "-o", out], env=env)
            checks.eq(p.returncode, 0, "%s -> %s: exit status (%s)" % (
                name, os.path.basename(out), p.stderr.decode(errors="replace").strip()))
        if os.path.exists(epub):
            queue.add(epub)
            text = epub_text(epub)
            checks.ok(title in text, "%s: the EPUB lacks the title %r" % (name, title))
            checks.ok(last in text, "%s: the EPUB lacks the body's last sentence %r" % (name, last))
            for c in chrome:
                checks.ok(c not in text, "%s: the EPUB holds page chrome %r" % (name, c))
        if os.path.exists(pdf):
            q = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
            checks.ok(q.returncode == 0, "%s: qpdf --check: %s%s" % (name, q.stdout[-400:], q.stderr))
            t = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True)
            text = squeeze(t.stdout)
            checks.ok(squeeze(title) in text, "%s: the PDF lacks the title %r" % (name, title))
            checks.ok(squeeze(last) in text, "%s: the PDF lacks the body's last sentence %r" % (name, last))
            for c in chrome:
                checks.ok(squeeze(c) not in text, "%s: the PDF holds page chrome %r" % (name, c))
    # the tag page is no article: skipped with its note, nothing written
    out = os.path.join(tmp, "tag.epub")
    p = gztest.run(gazette, ["--tz", "UTC", os.path.join(folder, INDEX_PAGE), "-o", out], env=env)
    err = p.stderr.decode(errors="replace")
    checks.eq(p.returncode, 3, "tag page: exit status (%s)" % err.strip())
    checks.ok("looks like an index page: 14 links and 32 words of text; skipped" in err,
              "tag page: the note is missing from %r" % err)
    checks.ok(not os.path.exists(out), "tag page: an EPUB was written")
    queue.flush()
    print("%d checks, %d failed" % (checks.count, len(checks.failures)))
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
