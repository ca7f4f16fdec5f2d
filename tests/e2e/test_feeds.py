#!/usr/bin/env python3
"""End-to-end tests of feeds: hostile feeds and the outputs of the fixtures.

Usage: test_feeds.py GAZETTE_BINARY SOURCE_DIR CASE

Cases:
  security  A feed with an external entity naming a local file, one whose
            internal subset pulls a parameter-entity DTD that would read the
            file, and one with an external DTD subset declaring the entity:
            the file's text (a random secret) is in no output (--list,
            --list --json, EPUB, PDF, messages), and the exit status is as
            SPEC 5 says. A billion-laughs feed and a quadratic-blowup feed
            are errors, with a peak memory under 64 MB.
  outputs   The EPUB (epubcheck) and PDF (pdftotext) of each feed fixture
            hold the last sentence of every article's body.
Python 3 standard library, poppler-utils and epubcheck.
"""
import os
import re
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import zipfile
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402

GAZETTE = SRC = TMP = None
C = gztest.Checks()
MEMORY_LIMIT_KB = 64 * 1024


def run(args, expect=None, what=""):
    p = gztest.run(GAZETTE, args, cwd=SRC, env=gztest.clean_env())
    if expect is not None:
        C.eq(p.returncode, expect, "%s: exit status of gazette %s\n%s" % (what, " ".join(args),
                                                                           p.stderr.decode(errors="replace")))
    return p


def peak_kb(args):
    """Runs gazette in a child of its own, returning (exit, stderr, the
    child's peak resident memory in KB)."""
    code = ("import resource, subprocess, sys\n"
            "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
            "sys.stderr.buffer.write(p.stderr)\n"
            "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    p = subprocess.run([sys.executable, "-c", code, GAZETTE] + args, cwd=SRC, env=gztest.clean_env(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    rc, kb = p.stdout.decode().split()
    return int(rc), p.stderr.decode(errors="replace"), int(kb)


def pdf_bytes_text(path):
    """The PDF's bytes with every Flate stream inflated, and pdftotext's
    text: where a string from the input could be."""
    data = open(path, "rb").read()
    parts = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[m.end():]))
        except zlib.error:
            pass
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], stdout=subprocess.PIPE).stdout
    return b"".join(parts) + text


def epub_bytes(path):
    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in z.namelist())


def no_secret(blob, secret, what):
    C.ok(secret.encode() not in blob, "%s holds the secret file's text" % what)


def case_security():
    secret = "GZ-SECRET-" + secrets.token_hex(8)
    secret_path = os.path.join(TMP, "secret.txt")
    with open(secret_path, "w") as f:
        f.write(secret + "\n")
    url = "file://" + secret_path
    item = ("<item><title>Title %s end</title><pubDate>Tue, 08 Dec 2020 07:30:00 +0000</pubDate>"
            "<description>Body %s of the item.</description></item>")
    feeds = {}
    # 1. a general external entity naming the file
    feeds["xxe.rss"] = ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "%s">]>\n'
                        '<rss version="2.0"><channel>%s</channel></rss>\n'
                        % (url, item % ("&xxe;", "&xxe;")))
    # 2. a parameter entity pulling a DTD that would put the file into an entity
    with open(os.path.join(TMP, "evil.dtd"), "w") as f:
        f.write('<!ENTITY %% file SYSTEM "%s">\n<!ENTITY %% all "<!ENTITY leak \'%%file;\'>">\n%%all;\n' % url)
    feeds["pe.rss"] = ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY %% dtd SYSTEM "file://%s/evil.dtd"> %%dtd;]>\n'
                       '<rss version="2.0"><channel>%s</channel></rss>\n' % (TMP, item % ("&leak;", "&leak;")))
    # 3. an external DTD subset declaring the entity
    with open(os.path.join(TMP, "subset.dtd"), "w") as f:
        f.write('<!ENTITY leak SYSTEM "%s">\n' % url)
    feeds["subset.rss"] = ('<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "file://%s/subset.dtd">\n'
                           '<rss version="2.0"><channel>%s</channel></rss>\n' % (TMP, item % ("&leak;", "&leak;")))
    # What SPEC 5 makes of each: the entity left out (a warning, exit 0);
    # a document that cannot be read without the DTD (an error, nothing
    # read, exit 3); an undeclared entity with an external subset not
    # loaded (libxml2 recovers; the item is read without it, exit 0).
    expect = {
        "xxe.rss": (0, ["gazette: %s:3:53: warning: the external entity &xxe; is not loaded: its text is left out"]),
        "pe.rss": (3, ["gazette: %s:3:54: not well-formed XML: Entity 'leak' not defined; reading of this file stops here (articles before are kept)"]),
        "subset.rss": (0, []),
    }
    for name, text in feeds.items():
        path = os.path.join(TMP, name)
        with open(path, "w") as f:
            f.write(text)
        rc, lines = expect[name]
        for args in (["--list"], ["--list", "--json"]):
            p = run(args + [path], rc, name)
            no_secret(p.stdout + p.stderr, secret, "%s %s" % (" ".join(args), name))
            if args == ["--list"]:
                got = [l for l in p.stderr.decode().splitlines() if not l.startswith("Plan:")]
                C.eq(got, [l % path for l in lines], "%s: messages" % name)
        if rc == 0:
            p = run(["--list", "--json", path], 0, name)
            C.ok(b'"title": "Title end"' in p.stdout, "%s: the title without the entity\n%s" % (name, p.stdout.decode()))
        for ext in ("epub", "pdf"):
            out = os.path.join(TMP, "%s.%s" % (name, ext))
            p = run([path, "-o", out], rc, "%s -> %s" % (name, ext))
            no_secret(p.stdout + p.stderr, secret, "messages of %s -> %s" % (name, ext))
            if rc == 0:
                blob = epub_bytes(out) if ext == "epub" else pdf_bytes_text(out)
                C.ok(b"Body of the item." in blob or ext == "pdf", "%s.%s lacks the body" % (name, ext))
                no_secret(blob, secret, "%s.%s" % (name, ext))
            else:
                C.ok(not os.path.exists(out), "%s.%s written though nothing was read" % (name, ext))

    # Entity expansion: a billion laughs and a quadratic blowup.
    laughs = ['<!ENTITY lol "lol">'] + ['<!ENTITY lol%d "%s">' % (i, ("&lol%s;" % (i - 1 if i > 1 else "")) * 10)
                                       for i in range(1, 10)]
    bombs = {
        "laughs.rss": ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n%s\n]>\n<rss version="2.0"><channel>'
                       '<item><title>Laughs</title><description>&lol9;</description></item></channel></rss>\n'
                       % "\n".join(laughs)),
        "quadratic.rss": ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY big "%s">]>\n<rss version="2.0"><channel>'
                          '<item><title>Quadratic</title><description>%s</description></item></channel></rss>\n'
                          % ("x" * 100000, "&big;" * 100000)),
    }
    messages = {
        "laughs.rss": "gazette: %s:14:75: not well-formed XML: Detected an entity reference loop; reading of this file stops here (articles before are kept)",
        "quadratic.rss": "gazette: %s:3:%d: entity references expand to more than %d bytes; reading of this file stops here (articles before are kept)",
    }
    for name, text in bombs.items():
        path = os.path.join(TMP, name)
        with open(path, "w") as f:
            f.write(text)
        rc, err, kb = peak_kb(["--list", "--json", path])
        C.eq(rc, 3, "%s: exit status" % name)
        msg = messages[name] % ((path,) if name == "laughs.rss" else (path, 0, 0))
        got = [l for l in err.splitlines() if l.startswith("gazette:")]
        if name == "quadratic.rss":
            # the place of the reference past the budget, and the budget:
            # 1 MB beyond the bytes given to the parser so far
            m = re.match(r"gazette: .*:3:(\d+): entity references expand to more than (\d+) bytes", got[0] if got else "")
            C.ok(m is not None, "%s: message %r" % (name, got))
            if m:
                budget = int(m.group(2))
                C.ok((1 << 20) < budget <= (1 << 20) + os.path.getsize(path), "%s: the budget %d" % (name, budget))
                msg = messages[name] % (path, int(m.group(1)), budget)
        C.eq(got, [msg], "%s: messages" % name)
        print("  %s: exit %d, peak %d KB" % (name, rc, kb), flush=True)
        C.ok(kb < MEMORY_LIMIT_KB, "%s: peak memory %d KB, over %d KB" % (name, kb, MEMORY_LIMIT_KB))


# Each fixture's articles: the last sentence of its body.
LAST_SENTENCES = {
    "wordpress.rss": [
        "The summer service returns on the first Monday of April.",
        "Visitors are asked to bring a pencil, since pens are not allowed near the maps.",
        "Parents had asked for the crossings since a near miss in September.",
    ],
    "harbour.atom": [
        "Boats of up to two metres draught can now enter at any state of the tide.",
        "They will train on Tuesday evenings through the winter and go out on their first call-outs in spring.",
        "Stallholders keep their current pitch numbers.",
    ],
    "parish.rdf": [
        "The new shelter will have a bench and a timetable case, and should be in place before the end of January.",
        "Bring a torch and a warm coat.",
    ],
}


def squeeze(s):
    """Text without white space and hyphens (pdftotext breaks lines and may
    join a hyphenated word)."""
    return re.sub(r"[\s\-\u00ad]+", "", s)


def case_outputs():
    queue = gztest.EpubcheckQueue(C)
    for name, sentences in LAST_SENTENCES.items():
        src = os.path.join("fixtures", "feeds", name)
        epub = os.path.join(TMP, name + ".epub")
        pdf = os.path.join(TMP, name + ".pdf")
        run([src, "-q", "-o", epub], 0, name)
        run([src, "-q", "-o", pdf], 0, name)
        queue.add(epub)
        with zipfile.ZipFile(epub) as z:
            docs = [z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")]
        text = re.sub(r"<[^>]+>", " ", " ".join(docs))
        text = " ".join(text.replace("&amp;", "&").split())
        pdf_text = squeeze(subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"],
                                          stdout=subprocess.PIPE).stdout.decode())
        for s in sentences:
            C.ok(s in text, "%s: the EPUB lacks %r" % (name, s))
            C.ok(squeeze(s) in pdf_text, "%s: the PDF lacks %r" % (name, s))
        problems = gztest.epub_safety_problems(epub)
        C.ok(not problems, "%s: EPUB safety: %s" % (name, problems))
    queue.flush()


def main():
    global GAZETTE, SRC, TMP
    GAZETTE, SRC, case = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    TMP = tempfile.mkdtemp(prefix="gz-feeds-")
    try:
        {"security": case_security, "outputs": case_outputs}[case]()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print("%d checks, %d failed" % (C.count, len(C.failures)))
    return 1 if C.failures else 0


if __name__ == "__main__":
    sys.exit(main())
