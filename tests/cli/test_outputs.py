#!/usr/bin/env python3
"""Outputs that never lose the archive: an output, --split name or state
file that is an input is refused; --split creates its folders and takes
them back when it fails; unchanged outputs stay untouched; temporary files
are created without touching the umask, flushed before they are renamed
and removed even when the process aborts.

Usage: test_outputs.py GAZETTE SOURCE_DIR SHIM CASE
(SHIM: the LD_PRELOAD probe tests/cli/shim.c, or "none" where it cannot
be preloaded, e.g. under AddressSanitizer.)
"""
import json
import os
import re
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zipfile

GAZETTE, SRC, SHIM, CASE = sys.argv[1:5]
os.chdir(SRC)
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(args, cwd=None, env=None, **kw):
    full = dict(os.environ)
    full.update(env or {})
    return subprocess.run([GAZETTE] + args, capture_output=True, cwd=cwd, env=full, **kw)


def tree(folder):
    """Every path under folder with its bytes (None for folders)."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            out[os.path.relpath(os.path.join(root, d), folder)] = None
        for f in files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, folder)] = open(p, "rb").read() if not os.path.islink(p) \
                else ("link", os.readlink(p))
    return out


def article(title, date, body="A short body about the harbour."):
    return {"title": title, "date": date, "url": "https://example.com/" + title.replace(" ", "-"),
            "content": "<p>%s: %s</p>" % (title, body)}


def write_json(path, articles):
    with open(path, "w") as f:
        json.dump(articles, f)


def qpdf_ok(path):
    return subprocess.run(["qpdf", "--check", path], capture_output=True).returncode == 0


def epubcheck_ok(path):
    p = subprocess.run(["java", "-jar", "/usr/bin/epubcheck", path], capture_output=True)
    if p.returncode != 0:
        print(p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"))
    return p.returncode == 0


def refused(args, cwd, out_name, what):
    before = tree(cwd)
    p = run(args, cwd=cwd)
    check(p.returncode == 2, "%s: exit %d, not 2" % (what, p.returncode))
    want = "gazette: %s: is also an input; refusing to overwrite it\n" % out_name
    check(p.stderr.decode() == want, "%s: stderr %r, not %r" % (what, p.stderr.decode(), want))
    check(tree(cwd) == before, "%s: the folder changed (input rewritten or a new file)" % what)


def case_identity():
    d = tempfile.mkdtemp()
    write_json(os.path.join(d, "in.json"), [article("One", "2020-03-01T10:00:00Z"),
                                            article("Two", "2020-04-02T10:00:00Z")])
    os.mkdir(os.path.join(d, "sub"))
    os.symlink("in.json", os.path.join(d, "link.json"))
    os.link(os.path.join(d, "in.json"), os.path.join(d, "hard.pdf"))
    refused(["in.json", "-o", "in.json", "--format", "pdf"], d, "in.json", "same name")
    refused(["in.json", "-o", "./in.json", "--format", "pdf"], d, "./in.json", "./")
    refused(["in.json", "-o", "sub/../in.json", "--format", "pdf"], d, "sub/../in.json", "..")
    refused(["in.json", "-o", "link.json", "--format", "pdf"], d, "link.json", "a symlink")
    refused(["in.json", "-o", "hard.pdf"], d, "hard.pdf", "a hard link")
    refused(["link.json", "-o", "in.json", "--format", "epub"], d, "in.json", "input by symlink")
    # the state file of --new-since
    refused(["in.json", "-o", "new.pdf", "--new-since", "./in.json"], d, "./in.json",
            "--new-since state = input")
    # a --split name known only once the groups are: 2020-04 is an input
    write_json(os.path.join(d, "2020-04.json"), [article("Three", "2020-04-09T10:00:00Z")])
    refused(["in.json", "2020-04.json", "--group-by", "month", "--split", "-o", "%Y-%m.json",
             "--format", "pdf"], d, "2020-04.json", "--split name = input")
    # a folder input: a new file in it with an extension read there
    refused([".", "-o", "sub/new.txt", "--format", "pdf"], d, "sub/new.txt",
            "-o in a walked folder")
    refused([".", "--split", "--group-by", "month", "-o", "books/%Y/%m.txt", "--format", "pdf"],
            d, "books/2020/03.txt", "--split into a walked folder")
    # but not an output the walk would not read, nor one beside an input
    p = run([".", "-q", "-o", "sub/new.pdf"], cwd=d)
    check(p.returncode == 0 and qpdf_ok(os.path.join(d, "sub/new.pdf")),
          "a PDF inside a walked folder is fine: exit %d %r" % (p.returncode, p.stderr))
    p = run(["in.json", "-q", "-o", "beside.pdf"], cwd=d)
    check(p.returncode == 0 and qpdf_ok(os.path.join(d, "beside.pdf")),
          "an output beside its input is fine: exit %d %r" % (p.returncode, p.stderr))


def months_json(path, n_per_month, months, body_words=20):
    words = "harbour council winter budget railway library museum festival".split()
    arts = []
    for m in months:
        for i in range(n_per_month[m] if isinstance(n_per_month, dict) else n_per_month):
            body = " ".join(words[(i * 3 + k) % len(words)] + str(k) for k in range(body_words))
            arts.append(article("M%s article %d" % (m, i), "%s-%02dT10:00:00Z" % (m, 1 + i % 28),
                                body))
    write_json(path, arts)


def case_split_folders():
    d = tempfile.mkdtemp()
    months_json(os.path.join(d, "in.json"), 2, ["2020-01", "2020-02", "2021-03"])
    p = subprocess.run([GAZETTE, "-q", "in.json", "--group-by", "month", "--split", "-o",
                        "out/%Y/%m.epub"], cwd=d, capture_output=True,
                       preexec_fn=lambda: os.umask(0o027))
    check(p.returncode == 0, "--split into a missing folder: exit %d %r" % (p.returncode, p.stderr))
    got = sorted(k for k in tree(os.path.join(d, "out")))
    check(got == ["2020", "2020/01.epub", "2020/02.epub", "2021", "2021/03.epub"],
          "the tree written: %r" % got)
    mode = stat.S_IMODE(os.stat(os.path.join(d, "out", "2021")).st_mode)
    check(mode == 0o750, "a new folder's mode is 0777 & ~umask (027): %o" % mode)
    check(epubcheck_ok(os.path.join(d, "out/2021/03.epub")), "epubcheck of a split file")
    # a plain -o into a missing folder stays an error
    p = run(["-q", "in.json", "-o", "missing/d.epub"], cwd=d)
    check(p.returncode == 4 and not os.path.exists(os.path.join(d, "missing")),
          "-o into a missing folder: exit %d" % p.returncode)
    # a file-size limit that the third file (large) hits
    months_json(os.path.join(d, "big.json"), {"2020-01": 1, "2020-02": 1, "2020-03": 150},
                ["2020-01", "2020-02", "2020-03"], body_words=200)
    before = tree(d)

    def limit():
        # the two small files (about 240 KB, mostly fonts) fit, the third not
        resource.setrlimit(resource.RLIMIT_FSIZE, (400000, 400000))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    p = subprocess.run([GAZETTE, "-q", "big.json", "--group-by", "month", "--split", "--jobs", "1",
                        "-o", "new/%Y/%m.pdf"], cwd=d, capture_output=True, preexec_fn=limit)
    want = ("gazette: new/2020/03.pdf: cannot write the PDF (disk full, or a file size "
            "limit)\n")
    check(p.returncode == 4 and p.stderr.decode() == want,
          "file-size limit on the third file: exit %d %r" % (p.returncode, p.stderr))
    check(tree(d) == before, "a failed --split leaves no file, temp file or folder: %r"
          % sorted(set(tree(d)) - set(before)))


def case_unchanged():
    d = tempfile.mkdtemp()
    arch = os.path.join(d, "arch")
    os.mkdir(arch)
    os.mkdir(os.path.join(d, "books"))
    months_json(os.path.join(arch, "a.json"), 3, ["2020-01", "2020-02", "2020-03"])
    args = ["arch", "--group-by", "month", "--split", "-o", "books/%Y-%m.pdf"]
    p = run(args, cwd=d)
    check(p.returncode == 0 and p.stderr.decode() ==
          "Wrote 3 files from books/%Y-%m.pdf: 9 articles in 3 groups\n",
          "first run: %d %r" % (p.returncode, p.stderr))
    names = ["2020-01.pdf", "2020-02.pdf", "2020-03.pdf"]
    paths = [os.path.join(d, "books", n) for n in names]
    before = [(open(x, "rb").read(), os.stat(x).st_mtime_ns, os.stat(x).st_ino) for x in paths]
    for x in paths:
        check(qpdf_ok(x), "qpdf --check " + x)
    time.sleep(0.05)
    write_json(os.path.join(arch, "zz-new.json"),
               [article("Late news", "2020-03-30T10:00:00Z")])
    p = run(args, cwd=d)
    want = ("Wrote 3 files from books/%Y-%m.pdf (1 written, 2 unchanged): "
            "10 articles in 3 groups\n")
    check(p.returncode == 0 and p.stderr.decode() == want,
          "re-run summary: %d %r, not %r" % (p.returncode, p.stderr.decode(), want))
    after = [(open(x, "rb").read(), os.stat(x).st_mtime_ns, os.stat(x).st_ino) for x in paths]
    check(after[0] == before[0] and after[1] == before[1],
          "the two months without a new article keep bytes, mtime and inode")
    check(after[2][0] != before[2][0] and after[2][1] != before[2][1] and qpdf_ok(paths[2]),
          "the month with the new article is rewritten")
    # a single output: unchanged is said so, and the file is left alone
    p = run(["-q", "arch", "-o", "one.pdf"], cwd=d)
    st = os.stat(os.path.join(d, "one.pdf"))
    time.sleep(0.05)
    p = run(["arch", "-o", "one.pdf"], cwd=d)
    st2 = os.stat(os.path.join(d, "one.pdf"))
    check(p.returncode == 0 and p.stderr.decode() ==
          "Kept one.pdf (unchanged): 10 articles in 10 groups\n",
          "single unchanged output: %r" % p.stderr.decode())
    check((st.st_mtime_ns, st.st_ino) == (st2.st_mtime_ns, st2.st_ino),
          "the unchanged single output keeps mtime and inode")
    check(sorted(os.listdir(os.path.join(d, "books"))) == names, "no temporary file left")


def case_undated():
    d = tempfile.mkdtemp()
    write_json(os.path.join(d, "in.json"), [article("Dated", "2020-03-01T10:00:00Z"),
                                            {"title": "No date", "content": "<p>None.</p>"}])
    for f in ("out", "out/2020", "o2", "o2/2020"):
        os.mkdir(os.path.join(d, f))
    # the documented name: "undated" and the extension, in the template's
    # last folder before the first field
    p = run(["-q", "in.json", "--group-by", "year", "--split", "-o", "out/%Y/x-%m.pdf"], cwd=d)
    got = sorted(tree(os.path.join(d, "out")))
    check(p.returncode == 0 and got == ["2020", "2020/x-01.pdf", "undated.pdf"],
          "Undated under --split: %d %r" % (p.returncode, got))
    # a dated name that is the same file as the undated one is refused
    before = tree(d)
    p = run(["-q", "in.json", "--group-by", "year", "--split", "-o", "o2/%Y/../undated.pdf"],
            cwd=d)
    want = ('gazette: --split template o2/%Y/../undated.pdf gives "2020" the file '
            'o2/2020/../undated.pdf, which is where undated articles go; change the template\n')
    check(p.returncode == 2 and p.stderr.decode() == want,
          "dated name = undated name: %d %r" % (p.returncode, p.stderr.decode()))
    check(tree(d) == before, "nothing written when the Undated name collides")


def shimmed(args, cwd, **env):
    full = {"LD_PRELOAD": SHIM}
    full.update(env)
    return run(args, cwd=cwd, env=full)


def case_stdout_read_error():
    if SHIM == "none":
        print("SKIP: no LD_PRELOAD probe in this build")
        sys.exit(77)
    d = tempfile.mkdtemp()
    with open(os.path.join(d, "piped.epub"), "wb") as f:
        full = dict(os.environ, LD_PRELOAD=SHIM, GZ_SHIM_FAIL_READ="gazette-out", TMPDIR=d)
        p = subprocess.run([GAZETTE, "-q", os.path.join(SRC, "fixtures", "json"), os.path.join(SRC, "fixtures", "text"), "-o", "-", "--format",
                            "epub"], stdout=f, stderr=subprocess.PIPE, env=full)
    want = "gazette: <stdout>: cannot read the finished output back: Input/output error\n"
    check(p.returncode == 4 and p.stderr.decode() == want,
          "-o - with a read error: exit %d %r" % (p.returncode, p.stderr.decode()))
    check(os.listdir(d) == ["piped.epub"], "no temporary file left: %r" % os.listdir(d))


def case_fsync():
    if SHIM == "none":
        print("SKIP: no LD_PRELOAD probe in this build")
        sys.exit(77)
    d = tempfile.mkdtemp()
    write_json(os.path.join(d, "in.json"), [article("One", "2020-03-01T10:00:00Z")])
    log = os.path.join(d, "log")
    with open(os.path.join(d, "state"), "w") as f:
        f.write("gazette-state 1\n")
    os.chmod(os.path.join(d, "state"), 0o640)
    p = shimmed(["-q", "in.json", "-o", "out.pdf", "--new-since", "state"], d, GZ_SHIM_LOG=log)
    check(p.returncode == 0, "run with the probe: %d %r" % (p.returncode, p.stderr))
    lines = open(log).read().splitlines()
    print("\n".join(lines))
    real = os.path.realpath(d)

    def synced_then_renamed(final):
        ren = [i for i, l in enumerate(lines) if l.startswith("rename ") and l.endswith(" " + final)]
        if len(ren) != 1:
            return False
        tmp = lines[ren[0]].split(" ")[1]
        tmp_real = os.path.join(real, os.path.basename(tmp))
        before = any(l == "fsync " + tmp_real for l in lines[:ren[0]])
        after = any(l == "fsync " + real for l in lines[ren[0] + 1:])
        return before and after

    check(synced_then_renamed("out.pdf"), "the output: fsync, rename, fsync of the folder")
    check(synced_then_renamed("state"), "the state file: fsync, rename, fsync of the folder")
    mode = stat.S_IMODE(os.stat(os.path.join(d, "state")).st_mode)
    check(mode == 0o640, "the state file keeps its mode: %o" % mode)
    # many outputs: one syncfs() before the renames and one after
    write_json(os.path.join(d, "days.json"),
               [article("Day %d" % i, "2020-%02d-%02dT10:00:00Z" % (1 + i // 28, 1 + i % 28))
                for i in range(40)])
    os.unlink(log)
    p = shimmed(["-q", "days.json", "--split", "-o", "days/%m-%d.pdf"], d, GZ_SHIM_LOG=log)
    lines = open(log).read().splitlines()
    kinds = [l.split(" ")[0] for l in lines]
    renames = [i for i, k in enumerate(kinds) if k == "rename"]
    check(p.returncode == 0 and len(renames) == 40, "40 files renamed: %d" % len(renames))
    check(renames and "syncfs" in kinds[:renames[0]] and "syncfs" in kinds[renames[-1]:],
          "40 outputs: syncfs before the first rename and after the last: %r" % kinds)


def case_umask():
    d = tempfile.mkdtemp()
    write_json(os.path.join(d, "in.json"), [article("One", "2020-03-01T10:00:00Z")])
    for mask, want in ((0o022, 0o644), (0o077, 0o600)):
        out = "o%03o.pdf" % mask
        state = "s%03o" % mask
        p = subprocess.run([GAZETTE, "-q", "in.json", "-o", out, "--new-since", state], cwd=d,
                           capture_output=True, preexec_fn=lambda m=mask: os.umask(m))
        check(p.returncode == 0, "umask %o: exit %d" % (mask, p.returncode))
        epub = "e%03o.epub" % mask  # libzip's own temporary file takes our mode
        p = subprocess.run([GAZETTE, "-q", "in.json", "-o", epub], cwd=d, capture_output=True,
                           preexec_fn=lambda m=mask: os.umask(m))
        check(p.returncode == 0, "umask %o, EPUB: exit %d" % (mask, p.returncode))
        for f in (out, state, epub):
            mode = stat.S_IMODE(os.stat(os.path.join(d, f)).st_mode)
            check(mode == want, "umask %03o: %s has mode %o, not %o" % (mask, f, mode, want))
    check(epubcheck_ok(os.path.join(d, "e077.epub")), "epubcheck of the EPUB")
    if SHIM != "none":
        log = os.path.join(d, "log")
        p = shimmed(["-q", "in.json", "-o", "p.pdf", "--new-since", "s2"], d, GZ_SHIM_LOG=log)
        calls = [l for l in open(log).read().splitlines() if l == "umask"] \
            if os.path.exists(log) else []
        check(p.returncode == 0 and calls == [],
              "the process umask is never changed: %d umask() calls" % len(calls))


def case_sigabrt():
    d = tempfile.mkdtemp()
    words = "harbour council winter budget railway library museum festival".split()
    arts = [article("Article %d" % i, "2020-%02d-%02dT10:00:00Z" % (1 + i % 12, 1 + i % 28),
                    " ".join(words[(i + k) % len(words)] for k in range(300)))
            for i in range(3000)]
    write_json(os.path.join(d, "in.json"), arts)
    os.mkdir(os.path.join(d, "out"))

    def no_core():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    # PDF: the file gazette made; EPUB: also the one libzip makes beside
    # it while it closes the archive (".d.epub.gz-XXXXXX.YYYYYY")
    for fmt, pattern in (("pdf", r"^\.d\.pdf\.gz-\w{6}$"),
                         ("epub", r"^\.d\.epub\.gz-\w{6}\.\w{6}$")):
        seen = False
        for attempt in range(5):
            proc = subprocess.Popen([GAZETTE, "-q", "in.json", "-o", "out/d." + fmt], cwd=d,
                                    stderr=subprocess.PIPE, preexec_fn=no_core)
            deadline = time.time() + 120
            while time.time() < deadline and proc.poll() is None:
                if any(re.match(pattern, n) for n in os.listdir(os.path.join(d, "out"))):
                    seen = True
                    proc.send_signal(signal.SIGABRT)
                    break
                time.sleep(0.001)
            proc.communicate()
            if seen:
                break
            for n in os.listdir(os.path.join(d, "out")):
                os.unlink(os.path.join(d, "out", n))
        check(seen, "%s: the temporary file was seen while writing" % fmt)
        check(proc.returncode == -signal.SIGABRT, "%s: killed by SIGABRT: %r"
              % (fmt, proc.returncode))
        left = os.listdir(os.path.join(d, "out"))
        check(left == [], "%s: nothing left after SIGABRT: %r" % (fmt, left))


CASES = {n[5:]: f for n, f in list(globals().items()) if n.startswith("case_")}
CASES[CASE]()
if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok")
