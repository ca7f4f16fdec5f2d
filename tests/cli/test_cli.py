#!/usr/bin/env python3
"""The command as scripts and cron jobs use it, and its behaviour under
faults: standard input and output, --quiet, what reaches standard error,
--new-since over a growing dump, and interruption, full disks and file
size limits, which must leave no partial output, no temporary file and an
existing output untouched.

Usage: test_cli.py GAZETTE SOURCE_DIR CASE
Running, checks, epubcheck (every EPUB a case keeps, in one JVM at the
end) and the read-only folder come from tests/lib/gztest.py.
"""
import errno
import json
import os
import pty
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gztest  # noqa: E402

GAZETTE, SRC, CASE = sys.argv[1:4]
os.chdir(SRC)
C = gztest.Checks()
failures = C.failures
EPUBCHECK = gztest.EpubcheckQueue(C)


def check(cond, what):
    C.ok(cond, what)


def run(args, **kw):
    return gztest.run(GAZETTE, args, **kw)


def plan_json(stdout, what):
    """A --list --json plan, its counts checked."""
    plan = json.loads(stdout)
    gztest.check_accounting(C, plan["counts"], what)
    return plan


def listing(folder):
    return sorted(os.listdir(folder))


def big_json(path, n, body_words=400):
    """A dump large enough for a run to take a moment."""
    words = ("harbour council winter budget railway library museum festival "
             "orchard weather valley market bridge school choir river").split()
    with open(path, "w") as f:
        f.write("[\n")
        for i in range(n):
            body = " ".join(words[(i * 7 + k) % len(words)] for k in range(body_words))
            f.write(json.dumps({"title": "Article %d about the %s" % (i, words[i % len(words)]),
                                "content": "<p>%s</p><p>%d</p>" % (body, i),
                                "date": "2020-%02d-%02dT10:00:00Z" % (1 + i % 12, 1 + i % 28),
                                "url": "https://example.com/a/%d" % i}))
            f.write(",\n" if i + 1 < n else "\n")
        f.write("]\n")


def case_stdout():
    tmp = tempfile.mkdtemp()
    out = os.path.join(tmp, "d.epub")
    p = run(["-q", "fixtures/json", "fixtures/text", "-o", out])
    check(p.returncode == 0, "writing a file: exit %d" % p.returncode)
    with open(os.path.join(tmp, "piped.epub"), "wb") as f:
        p = run(["-q", "fixtures/json", "fixtures/text", "-o", "-", "--format", "epub"], stdout=f)
    check(p.returncode == 0, "-o -: exit %d" % p.returncode)
    check(open(out, "rb").read() == open(os.path.join(tmp, "piped.epub"), "rb").read(),
          "-o - gives the same bytes as -o FILE")
    z = zipfile.ZipFile(os.path.join(tmp, "piped.epub"))
    check(z.infolist()[0].filename == "mimetype", "piped EPUB starts with mimetype")
    with open(os.path.join(tmp, "piped.pdf"), "wb") as f:
        p = run(["-q", "fixtures/json/array.json", "-o", "-", "--format", "pdf"], stdout=f)
    check(p.returncode == 0 and open(os.path.join(tmp, "piped.pdf"), "rb").read(5) == b"%PDF-",
          "-o - --format pdf writes a PDF")
    p = run(["fixtures/json", "fixtures/text", "-o", "-"])
    check(p.returncode == 2 and p.stderr == b"gazette: -o - needs --format epub or --format pdf\n",
          "-o - without --format is a usage error: %r" % p.stderr)
    # refused on a terminal
    master, slave = pty.openpty()
    p = run(["fixtures/json", "fixtures/text", "-o", "-", "--format", "epub"], stdout=slave)
    os.close(slave)
    os.close(master)
    check(p.returncode == 2 and b"refusing to write a binary file to the terminal" in p.stderr,
          "-o - refused on a terminal: %d %r" % (p.returncode, p.stderr))
    check(listing(tmp) == ["d.epub", "piped.epub", "piped.pdf"], "no temporary file left: %r" % listing(tmp))
    EPUBCHECK.add(os.path.join(tmp, "piped.epub"))
    EPUBCHECK.flush()
    shutil.rmtree(tmp)


def case_stdin():
    data = open("fixtures/json/array.json", "rb").read()
    p = run(["--list", "--json", "-"], input=data)
    check(p.returncode == 0, "- input: exit %d" % p.returncode)
    plan = plan_json(p.stdout, "- input")
    direct = plan_json(run(["--list", "--json", "fixtures/json/array.json"]).stdout, "array.json")
    titles = [a["title"] for g in plan["groups"] for a in g["articles"]]
    check(titles == [a["title"] for g in direct["groups"] for a in g["articles"]],
          "- reads the same articles as the file")
    check(all(a["source"].startswith("<stdin>:") for g in plan["groups"] for a in g["articles"]),
          "articles from standard input name <stdin>")
    text = open("fixtures/text/scraped-en.txt", "rb").read()
    p = run(["--list", "--json", "-"], input=text)
    arts = [a for g in json.loads(p.stdout)["groups"] for a in g["articles"]]
    check(len(arts) == 1 and arts[0]["captured"] == "2026-01-14", "scraped text from standard input is sniffed")
    # standard input that closes early: what came before is kept
    half = data[: len(data) // 2]
    p = run(["--list", "--json", "-"], input=half)
    check(p.returncode == 1, "truncated standard input: exit %d" % p.returncode)
    check(b"<stdin>:" in p.stderr and b"the JSON ends too early" in p.stderr,
          "truncated standard input is reported: %r" % p.stderr)
    kept = [a["title"] for g in plan_json(p.stdout, "truncated standard input")["groups"] for a in g["articles"]]
    check(len(kept) >= 1, "articles before the cut are kept (%d)" % len(kept))


def case_quiet_and_stderr():
    tmp = tempfile.mkdtemp()
    # a clean run, standard error not a terminal: only the summary
    p = run(["fixtures/json/array.json", "-o", os.path.join(tmp, "a.epub")])
    check(p.returncode == 0, "clean run exit %d" % p.returncode)
    check(p.stderr.decode() == "Wrote %s: 4 articles in 4 groups\n" % os.path.join(tmp, "a.epub"),
          "a clean run prints only the summary: %r" % p.stderr)
    # warnings, then --quiet silences them and the summary
    p = run(["fixtures/text/undated.txt", "-o", os.path.join(tmp, "b.epub")])
    check(p.stderr.count(b"\n") == 2 and b"warning:" in p.stderr, "a warning and the summary: %r" % p.stderr)
    p = run(["-q", "fixtures/text/undated.txt", "-o", os.path.join(tmp, "c.epub")])
    check(p.returncode == 0 and p.stderr == b"", "--quiet prints nothing on success: %r" % p.stderr)
    # but errors still show
    p = run(["-q", "no-such-input.json", "fixtures/json/single.json", "-o", os.path.join(tmp, "d.epub")])
    check(p.returncode == 1 and p.stderr == b"gazette: no-such-input.json: cannot read: No such file or directory\n",
          "--quiet keeps errors: %r" % p.stderr)
    shutil.rmtree(tmp)


def case_progress():
    tmp = tempfile.mkdtemp()
    src = os.path.join(tmp, "big.json")
    big_json(src, 6000)
    out = os.path.join(tmp, "big.epub")
    p = run([src, "-o", out])
    check(b"\r" not in p.stderr and p.stderr.count(b"\n") == 1,
          "no progress when standard error is not a terminal: %r" % p.stderr[:200])
    master, slave = pty.openpty()
    # A PDF of 6,000 articles takes seconds even on a fast machine: long
    # enough for the half-second delay before the first progress line.
    p = subprocess.Popen([GAZETTE, src, "-o", os.path.join(tmp, "big.pdf"), "--jobs", "1"],
                         stdout=subprocess.DEVNULL,
                         stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    p.wait()
    os.close(master)
    check(p.returncode == 0, "progress run exit %d" % p.returncode)
    check(b"Wrote " in seen, "the summary reaches the terminal")
    print("terminal output:", seen[-300:])
    check(b"\r\033[Kwriting [" in seen, "a progress line on a terminal for a long run")
    check(seen.endswith(b"\r\033[KWrote " + os.path.join(tmp, "big.pdf").encode() +
                        b": 6,000 articles in 84 groups\r\n"),
          "the progress line is cleared before the summary")
    shutil.rmtree(tmp)


def case_new_since():
    tmp = tempfile.mkdtemp()
    state = os.path.join(tmp, "state")
    dump = os.path.join(tmp, "dump.jsonl")

    def article(i):
        return json.dumps({"title": "Story %d" % i, "body": "Body of story %d." % i,
                           "date": "2020-12-%02dT09:00:00Z" % i, "url": "https://e.example/%d" % i})

    def titles(path):
        plan = json.loads(run(["--list", "--json", path]).stdout)
        return [a["title"] for g in plan["groups"] for a in g["articles"]]

    def write(n):
        lines = [article(i) for i in range(1, n + 1)]
        if n >= 6:
            # a copy of story 2, sent in the first run, under another url
            lines.append(json.dumps({"title": "Story 2", "body": "Body of story 2.",
                                     "date": "2020-12-02T09:00:00Z", "url": "https://mirror.example/2"}))
        with open(dump, "w") as f:
            f.write("\n".join(lines) + "\n")

    expected = [(3, ["Story 1", "Story 2", "Story 3"]), (5, ["Story 4", "Story 5"]), (6, ["Story 6"])]
    for run_no, (n, want) in enumerate(expected, 1):
        write(n)
        out = os.path.join(tmp, "digest%d.epub" % run_no)
        p = run(["--new-since", state, dump, "-o", out])
        check(p.returncode == 0, "run %d: exit %d %r" % (run_no, p.returncode, p.stderr))
        got = titles_in_epub(out)
        check(got == want, "run %d: digest holds %r, want %r" % (run_no, got, want))
        EPUBCHECK.add(out)
        recorded = n + (1 if n >= 6 else 0)  # the copy is recorded with what it duplicates
        check(open(state).read().count("\n") == 1 + recorded,
              "run %d: state records %d articles" % (run_no, recorded))
    # nothing new: nothing written, exit 3, state unchanged
    before = open(state, "rb").read()
    p = run(["--new-since", state, dump, "-o", os.path.join(tmp, "none.epub")])
    check(p.returncode == 3 and not os.path.exists(os.path.join(tmp, "none.epub")),
          "no new article: exit %d" % p.returncode)
    check(p.stderr.endswith(b"nothing written: none of the 7 articles read is left to write\n"),
          "no new article: message %r" % p.stderr)
    # a failed run leaves the state untouched
    write(8)
    p = run(["--new-since", state, dump, "-o", os.path.join(tmp, "no", "such", "dir", "x.epub")])
    check(p.returncode == 4, "failed run: exit %d" % p.returncode)
    check(open(state, "rb").read() == before, "a failed run leaves STATE unchanged")
    # a damaged state file is a usage error
    with open(os.path.join(tmp, "bad-state"), "w") as f:
        f.write("not a state\n")
    p = run(["--new-since", os.path.join(tmp, "bad-state"), dump, "-o", os.path.join(tmp, "y.epub")])
    check(p.returncode == 2 and b"not a gazette state file" in p.stderr, "damaged state: %r" % p.stderr)
    EPUBCHECK.flush()
    shutil.rmtree(tmp)


def titles_in_epub(path):
    import re
    z = zipfile.ZipFile(path)
    nav = z.read("OEBPS/nav.xhtml").decode()
    items = re.findall(r'<a href="g\d+(?:-\d+)?\.xhtml#a\d+">([^<]*)</a>', nav)
    return items


def interrupted(sig):
    tmp = tempfile.mkdtemp()
    spool = os.path.join(tmp, "spool")
    os.mkdir(spool)
    src = os.path.join(tmp, "big.json")
    big_json(src, 40000)
    outdir = os.path.join(tmp, "out")
    os.mkdir(outdir)
    out = os.path.join(outdir, "digest.pdf")
    with open(out, "wb") as f:
        f.write(b"an existing digest")
    before = listing(outdir)
    env = dict(os.environ, TMPDIR=spool)
    p = subprocess.Popen([GAZETTE, src, "-o", out], stderr=subprocess.PIPE, env=env)
    time.sleep(1.0)
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    check(p.returncode == 4, "%s: exit %d (%r)" % (sig.name, p.returncode, err[-200:]))
    check(err.rstrip().endswith(b"gazette: interrupted; nothing written"),
          "%s: says it was interrupted: %r" % (sig.name, err[-200:]))
    check(listing(outdir) == before, "%s: output folder as it was: %r" % (sig.name, listing(outdir)))
    check(open(out, "rb").read() == b"an existing digest", "%s: existing output untouched" % sig.name)
    check(listing(spool) == [], "%s: no temporary spool left: %r" % (sig.name, listing(spool)))
    shutil.rmtree(tmp)


def case_sigint():
    interrupted(signal.SIGINT)


def case_sigterm():
    interrupted(signal.SIGTERM)


def case_file_size_limit():
    tmp = tempfile.mkdtemp()
    for fmt in ("epub", "pdf"):
        out = os.path.join(tmp, "digest." + fmt)
        with open(out, "wb") as f:
            f.write(b"old bytes")
        before = listing(tmp)

        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))

        p = run(["fixtures/json", "fixtures/text", "-o", out], preexec_fn=limit)
        check(p.returncode == 4, "%s over a file size limit: exit %d %r" % (fmt, p.returncode, p.stderr[-300:]))
        check(listing(tmp) == before, "%s: folder as it was: %r" % (fmt, listing(tmp)))
        check(open(out, "rb").read() == b"old bytes", "%s: existing output untouched" % fmt)
    shutil.rmtree(tmp)


def case_full_disk():
    # Mounting needs root; CI runs as root, so there this always runs (a
    # mount that fails as root is a failure, not a skip). A developer's
    # non-root run skips it: the file size limit case covers the same
    # write errors without a mount.
    if os.geteuid() != 0:
        print("SKIP: mounting a small tmpfs needs root")
        sys.exit(gztest.SKIP)
    tmp = tempfile.mkdtemp()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", tmp], capture_output=True)
    if r.returncode != 0:
        check(False, "cannot mount a tmpfs as root: %s" % r.stderr.decode().strip())
        os.rmdir(tmp)
        return
    try:
        for fmt in ("epub", "pdf"):
            out = os.path.join(tmp, "digest." + fmt)
            with open(out, "wb") as f:
                f.write(b"old bytes")
            before = listing(tmp)
            p = run(["fixtures/json", "fixtures/text", "-o", out])
            check(p.returncode == 4, "%s on a full disk: exit %d %r" % (fmt, p.returncode, p.stderr[-300:]))
            check(listing(tmp) == before, "%s: folder as it was: %r" % (fmt, listing(tmp)))
            check(open(out, "rb").read() == b"old bytes", "%s: existing output untouched" % fmt)
    finally:
        subprocess.run(["umount", tmp])
        os.rmdir(tmp)


def case_unwritable():
    tmp = tempfile.mkdtemp()
    p = run(["fixtures/json", "fixtures/text", "-o", os.path.join(tmp, "missing", "x.epub")])
    check(p.returncode == 4 and b"cannot write here: No such file or directory" in p.stderr,
          "missing folder: %d %r" % (p.returncode, p.stderr))
    check(listing(tmp) == [], "nothing created")
    # a read-only folder, also as root (a read-only bind mount then)
    why_not = gztest.can_make_readonly()
    if C.ok(why_not is None, "read-only folder cannot be made here: %s" % why_not):
        ro = os.path.join(tmp, "ro")
        os.mkdir(ro)
        target = os.path.join(ro, "x.epub")
        with open(target, "wb") as f:
            f.write(b"old")
        how = []

        def readonly(cmd):
            cmd, e = gztest.readonly_command(ro, cmd)
            how.append(e)
            return cmd

        try:
            p = run(["-q", "fixtures/json", "fixtures/text", "-o", target], wrap=readonly)
        finally:
            gztest.restore_writable(ro)
        want = "gazette: %s: cannot write here: %s\n" % (target, os.strerror(getattr(errno, how[0])))
        check(p.returncode == 4 and p.stderr.decode() == want,
              "read-only folder (%s): exit %d, %r, want %r" % (how[0], p.returncode, p.stderr, want))
        check(listing(ro) == ["x.epub"] and open(target, "rb").read() == b"old",
              "read-only folder untouched")
    shutil.rmtree(tmp)


def case_jobs_identical():
    """--jobs 1 and --jobs 2 give the same bytes: one EPUB, one PDF and a
    --split set."""
    tmp = tempfile.mkdtemp()
    for j in ("1", "2"):
        d = os.path.join(tmp, "j" + j)
        os.makedirs(os.path.join(d, "split"))
        for fmt in ("epub", "pdf"):
            p = run(["-q", "--jobs", j, "fixtures/json", "fixtures/text", "-o", os.path.join(d, "digest." + fmt)])
            check(p.returncode == 0, "--jobs %s %s: exit %d" % (j, fmt, p.returncode))
        p = run(["-q", "--jobs", j, "--group-by", "week", "--split", "fixtures/json", "fixtures/text",
                 "-o", os.path.join(d, "split", "%G-W%V.epub")])
        check(p.returncode == 0, "--jobs %s split: exit %d" % (j, p.returncode))
    names = sorted(os.listdir(os.path.join(tmp, "j1", "split")))
    check(names == ["2020-W48.epub", "2020-W49.epub", "2020-W50.epub", "2020-W51.epub", "undated.epub"],
          "split files: %r" % names)
    for rel in ["digest.epub", "digest.pdf"] + ["split/" + n for n in names]:
        a = open(os.path.join(tmp, "j1", rel), "rb").read()
        b = open(os.path.join(tmp, "j2", rel), "rb").read()
        check(a == b, "%s differs between --jobs 1 and --jobs 2" % rel)
        if rel.endswith(".epub"):
            EPUBCHECK.add(os.path.join(tmp, "j1", rel))
    EPUBCHECK.flush()
    shutil.rmtree(tmp)


cases = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}
if CASE not in cases:
    print("unknown case %s; cases: %s" % (CASE, " ".join(sorted(cases))))
    sys.exit(2)
cases[CASE]()
EPUBCHECK.flush()
print("%s: %s" % (CASE, "FAILED" if failures else "ok"))
sys.exit(1 if failures else 0)
