"""gztest.py - the shared library of gazette's Python tests.

One copy of what every test script needs: running gazette with a clean
environment, soft checks that report every failure, the accounting
identity of a plan (read = written + duplicates + filtered + skipped),
epubcheck over many files in one JVM (tests/lib/EpubCheckMany.java), the
one EPUB safety allow-list, and faults that must run as root too (a
read-only folder). Test scripts add tests/lib to sys.path and import it.
Python 3 standard library only.
"""
import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- soft checks


def short(v, limit=1500):
    s = repr(v)
    return s if len(s) <= limit else s[:limit] + "... (%d chars)" % len(s)


class Checks:
    """Soft assertions: every failure is recorded and printed, and the
    script goes on, so one run reports everything that is wrong."""

    def __init__(self):
        self.failures = []
        self.count = 0

    def fail(self, what):
        self.count += 1
        self.failures.append(what)
        print("FAIL: " + what, flush=True)
        return False

    def ok(self, cond, what):
        if not cond:
            return self.fail(what)
        self.count += 1
        return True

    def eq(self, actual, expected, what):
        if actual != expected:
            return self.fail("%s\n    expected: %s\n    actual:   %s" % (what, short(expected), short(actual)))
        self.count += 1
        return True


# ---------------------------------------------------------------- running gazette


def clean_env(extra=None, unset=("SOURCE_DATE_EPOCH", "TZ")):
    """The caller's environment without what changes gazette's output."""
    env = dict(os.environ)
    for k in unset:
        env.pop(k, None)
    if extra:
        env.update(extra)
    return env


def run(gazette, args, cwd=None, env=None, input=None, preexec_fn=None, private_tmpdir=False,
        timeout=None, stdout=subprocess.PIPE, wrap=None):
    """Runs gazette ARGS and captures its output (bytes). env is the whole
    environment (see clean_env). With private_tmpdir, gazette gets a TMPDIR
    of its own and p.tmp_left lists what it left there (must be nothing).
    wrap(cmd), when given, returns the command to run instead."""
    env = dict(env if env is not None else clean_env())
    tmpdir = None
    if private_tmpdir:
        tmpdir = tempfile.mkdtemp(prefix="gz-tmpdir-")
        env["TMPDIR"] = tmpdir
    t0 = time.time()
    try:
        cmd = [gazette] + list(args)
        p = subprocess.run(wrap(cmd) if wrap else cmd, cwd=cwd, env=env, input=input, preexec_fn=preexec_fn,
                           stdout=stdout, stderr=subprocess.PIPE, timeout=timeout)
    finally:
        left = sorted(os.listdir(tmpdir)) if tmpdir else []
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
    p.seconds = time.time() - t0
    p.tmp_left = left
    return p


# ---------------------------------------------------------------- accounting


def accounting_problems(counts):
    """Problems with a plan's counts: every article read is written, a
    duplicate, filtered out or skipped (SPEC: the counts of --list --json)."""
    keys = ("read", "written", "duplicates", "filtered", "skipped")
    missing = [k for k in keys if not isinstance(counts.get(k), int)]
    if missing:
        return ["counts lack %s: %r" % (", ".join(missing), counts)]
    if counts["read"] != counts["written"] + counts["duplicates"] + counts["filtered"] + counts["skipped"]:
        return ["counts do not add up (read = written + duplicates + filtered + skipped): %r" % counts]
    return []


def check_accounting(checks, counts, what):
    return checks.eq(accounting_problems(counts), [], "%s: accounting" % what)


# ---------------------------------------------------------------- epubcheck


def epubcheck_jar():
    return os.path.realpath(os.environ.get("EPUBCHECK_JAR", "/usr/bin/epubcheck"))


def java():
    return os.environ.get("JAVA", "java")


class EpubcheckResult:
    def __init__(self, path, fatals, errors, warnings, infos, lines, seconds):
        self.path, self.fatals, self.errors, self.warnings, self.infos = path, fatals, errors, warnings, infos
        self.lines, self.seconds = lines, seconds

    @property
    def clean(self):
        return self.fatals == 0 and self.errors == 0 and self.warnings == 0

    def summary(self):
        return "%d fatals / %d errors / %d warnings / %d infos" % (self.fatals, self.errors, self.warnings, self.infos)


def _driver_classes(workdir):
    """The folder holding EpubCheckMany.class: the one the build made
    (GZ_EPUBCHECK_CLASSES), else compiled into workdir, else None."""
    d = os.environ.get("GZ_EPUBCHECK_CLASSES")
    if d and os.path.isfile(os.path.join(d, "EpubCheckMany.class")):
        return d
    javac = shutil.which("javac")
    if not javac:
        return None
    out = os.path.join(workdir, "classes")
    os.makedirs(out, exist_ok=True)
    p = subprocess.run([javac, "-d", out, "-cp", epubcheck_jar(), os.path.join(HERE, "EpubCheckMany.java")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        print("  javac EpubCheckMany.java failed:\n%s" % p.stdout.decode("utf-8", "replace"), flush=True)
        return None
    return out


def _jvm_flags(paths):
    # -Xss: epubcheck 4.2.x recurses once per spine item / link when it
    # checks the reading order and overflows the default stack on big books
    # (w3c/epubcheck#1358, fixed in 5.0). Small books: C1 only and the
    # serial collector check in half the time; big ones need the
    # optimising compiler.
    small = all(os.path.isfile(p) and os.path.getsize(p) < 2 * 1024 * 1024 for p in paths)
    return ["-Xss256m"] + (["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"] if small else [])


END_RE = re.compile(r"@@ END (.*) fatals=(\d+) errors=(\d+) warnings=(\d+) infos=(\d+)$")
MESSAGES_RE = re.compile(r"Messages:\s*(\d+) fatals? / (\d+) errors? / (\d+) warnings? / (\d+) infos?")


def epubcheck_many(paths):
    """Checks every EPUB of paths with epubcheck, in one JVM where the
    driver can be had. Returns ({path: EpubcheckResult}, problems), where
    problems says what kept a file from being checked at all."""
    paths = list(paths)
    jar = epubcheck_jar()
    if not os.path.exists(jar) or not shutil.which(java()):
        return {}, ["epubcheck is needed: %s with %s (set EPUBCHECK_JAR / JAVA)" % (jar, java())]
    if not paths:
        return {}, []
    results, problems = {}, []
    work = tempfile.mkdtemp(prefix="gz-epubcheck-")
    try:
        classes = _driver_classes(work)
        if classes:
            t0 = time.time()
            p = subprocess.run([java()] + _jvm_flags(paths) + ["-cp", jar + os.pathsep + classes, "EpubCheckMany"]
                               + paths, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            dt = time.time() - t0
            cur, lines = None, []
            for line in p.stdout.decode("utf-8", "replace").splitlines():
                if line.startswith("@@ BEGIN "):
                    cur, lines = line[len("@@ BEGIN "):], []
                    continue
                m = END_RE.match(line)
                if m and m.group(1) == cur:
                    results[cur] = EpubcheckResult(cur, *(int(m.group(i)) for i in range(2, 6)),
                                                   lines=lines, seconds=dt / len(paths))
                    cur = None
                elif cur is not None:
                    lines.append(line)
            print("  epubcheck (one JVM) of %d file%s: exit %d (%.1f s)"
                  % (len(paths), "" if len(paths) == 1 else "s", p.returncode, dt), flush=True)
            if p.returncode != 0:
                problems.append("EpubCheckMany exit %d:\n%s" % (p.returncode, p.stdout.decode("utf-8", "replace")[-3000:]))
        else:
            for path in paths:
                t0 = time.time()
                p = subprocess.run([java()] + _jvm_flags([path]) + ["-jar", jar, path],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                out = p.stdout.decode("utf-8", "replace")
                m = MESSAGES_RE.search(out)
                if m:
                    r = EpubcheckResult(path, *(int(m.group(i)) for i in range(1, 5)),
                                        lines=out.splitlines(), seconds=time.time() - t0)
                    if p.returncode != 0 and r.clean:
                        r.fatals += 1
                    results[path] = r
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for path in paths:
        if path not in results:
            problems.append("epubcheck gave no result for %s" % path)
    return results, problems


class EpubcheckQueue:
    """EPUBs a case wrote, checked together in one epubcheck run at the end
    of the case (flush). A file must not change after it is queued; the
    same bytes queued twice are checked once."""

    def __init__(self, checks):
        self.checks = checks
        self.queue = []  # (path, sha256)
        self.runs = []  # (name, seconds) of every result

    def add(self, path):
        if not self.checks.ok(os.path.isfile(path), "epubcheck: %s does not exist" % path):
            return
        with open(path, "rb") as f:
            self.queue.append((path, hashlib.sha256(f.read()).hexdigest()))

    def flush(self):
        queue, self.queue = self.queue, []
        firsts, seen = [], {}
        for path, digest in queue:
            if not os.path.isfile(path):
                self.checks.fail("epubcheck: %s was removed before the check" % path)
                continue
            with open(path, "rb") as f:
                if hashlib.sha256(f.read()).hexdigest() != digest:
                    self.checks.fail("epubcheck: %s changed after it was queued" % path)
                    continue
            if digest not in seen:
                seen[digest] = path
                firsts.append(path)
        if not firsts:
            return
        results, problems = epubcheck_many(firsts)
        for pr in problems:
            self.checks.fail(pr)
        for path in firsts:
            r = results.get(path)
            if r is None:
                continue
            name = os.path.basename(path)
            self.runs.append((name, r.seconds))
            print("  epubcheck %s: %s" % (name, r.summary()), flush=True)
            bad = [l for l in r.lines if re.match(r"(FATAL|ERROR|WARNING)", l)]
            self.checks.ok(r.clean, "epubcheck %s: %s:\n    %s" % (name, r.summary(), "\n    ".join(bad[:40])))


# ---------------------------------------------------------------- EPUB safety

XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
SVG = "http://www.w3.org/2000/svg"

# Content documents (the ones holding articles, where input text ends up):
# only these elements and attributes, links only to http, https and mailto.
CONTENT_ELEMENTS = {"html", "head", "title", "link", "body", "h1", "h2", "h3", "h4", "h5", "h6",
                    "article", "p", "time", "a", "strong", "em", "code", "u", "s", "sub", "sup",
                    "br", "hr", "blockquote", "ul", "ol", "li", "pre", "figure", "figcaption", "img"}
CONTENT_ATTRS = {"id", "class", "lang", XML_LANG, "dir", "href", "start", "datetime", "rel", "type", "src",
                 "alt", "width", "height"}
# Pictures: made by gazette itself, named by the hash of their bytes.
PICTURE = re.compile(r"images/[0-9a-f]{16}\.(?:jpg|png)$")
# The title page and the navigation document that gazette makes itself:
# its own navigation and cover drawing besides the content elements.
FRAME_ELEMENTS = CONTENT_ELEMENTS | {"section", "nav", "svg", "rect", "line", "text"}
FRAME_ATTRS = CONTENT_ATTRS | {EPUB_TYPE, "hidden", "role", "aria-label", "viewBox", "x", "y", "x1", "x2",
                               "y1", "y2", "width", "height", "fill", "stroke", "font-size",
                               "font-family", "text-anchor"}
FORBIDDEN = ("<script", "javascript:", "vbscript:", "<iframe", "<object", "<embed", "<form")
EXTERNAL_LINK = re.compile(r"(?:https?://|mailto:)", re.I)
INTERNAL_LINK = re.compile(r"(?:[a-z0-9-]+\.(?:xhtml|css)(?:#[A-Za-z0-9_.-]+)?|#[A-Za-z0-9_.-]+)$")
EVENT_ATTR = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)


def data_is_png(data):
    return data[:8] == b"\x89PNG\r\n\x1a\n"


def epub_safety_problems(path_or_bytes):
    """Markup or script that an input could have slipped into an EPUB: the
    one allow-list of the tests. Returns a list of problems (empty: safe)."""
    raw = path_or_bytes if isinstance(path_or_bytes, bytes) else open(path_or_bytes, "rb").read()
    problems = []
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as ex:
        return ["not a zip file: %s" % ex]
    for name in z.namelist():
        if name.endswith("/"):
            continue
        if name == "OEBPS/cover.png":  # drawn by gazette (src/write/epub/cover.c)
            if not data_is_png(z.read(name)):
                problems.append("%s is not a PNG" % name)
            continue
        if name.startswith("OEBPS/images/"):
            if not PICTURE.match(name[len("OEBPS/"):]):
                problems.append("%s: a picture not named by its hash" % name)
            continue
        data = z.read(name)
        try:
            s = data.decode("utf-8")
        except UnicodeDecodeError:
            problems.append("%s is not UTF-8" % name)
            continue
        low = s.lower()
        for bad in FORBIDDEN:
            if bad in low:
                i = low.find(bad)
                problems.append("%s holds %s: %r" % (name, bad, s[max(0, i - 60):i + 60]))
        m = EVENT_ATTR.search(s)
        if m:
            problems.append("%s has an event attribute: %r" % (name, m.group(0)[-120:]))
        if not name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
            continue
        try:
            root = ET.fromstring(data)
        except ET.ParseError as ex:
            problems.append("%s is not well-formed: %s" % (name, ex))
            continue
        for e in root.iter():
            for a in e.attrib:
                if a.rsplit("}", 1)[-1].lower().startswith("on"):
                    problems.append("%s: event attribute %s" % (name, a))
        if not name.endswith(".xhtml"):
            continue
        content = root.find(".//{%s}article" % XHTML) is not None
        elements, attrs = (CONTENT_ELEMENTS, CONTENT_ATTRS) if content else (FRAME_ELEMENTS, FRAME_ATTRS)
        for e in root.iter():
            if not isinstance(e.tag, str):
                continue
            ns, _, tag = e.tag[1:].partition("}") if e.tag.startswith("{") else ("", "", e.tag)
            allowed_ns = (XHTML,) if content else (XHTML, SVG)
            if ns not in allowed_ns or tag not in elements:
                problems.append("%s: element %s outside the allow-list" % (name, e.tag))
            for a, v in e.attrib.items():
                if a not in attrs:
                    problems.append("%s: attribute %s on <%s> outside the allow-list" % (name, a, tag))
            if "dir" in e.attrib and e.get("dir") not in ("ltr", "rtl", "auto"):
                problems.append("%s: dir %r on <%s>" % (name, e.get("dir"), tag))
            if tag == "a":
                h = e.get("href", "")
                if not (EXTERNAL_LINK.match(h) or (not content and INTERNAL_LINK.match(h))):
                    problems.append("%s: link %r" % (name, h))
            if tag == "img" and not PICTURE.match(e.get("src", "")):
                problems.append("%s: picture %r" % (name, e.get("src")))
            if tag == "link" and e.get("href") != "style.css":
                problems.append("%s: stylesheet link %r" % (name, e.get("href")))
    return problems


# ---------------------------------------------------------------- faults


def readonly_command(folder, cmd):
    """cmd run with folder read-only, also as root (root ignores chmod):
    as root, in a private mount namespace where folder is bind-mounted
    read-only; otherwise with the folder's write permission taken away
    (restore_writable undoes that). Returns (cmd, errno name the writes get)."""
    if os.geteuid() == 0:
        script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
        return ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", folder] + list(cmd), "EROFS"
    os.chmod(folder, 0o555)
    return list(cmd), "EACCES"


def restore_writable(folder):
    os.chmod(folder, 0o755)


def can_make_readonly():
    """Why a read-only folder cannot be had here, or None."""
    if os.geteuid() != 0:
        return None
    if not shutil.which("unshare") or not shutil.which("mount"):
        return "running as root without unshare(1) and mount(8) (util-linux)"
    d = tempfile.mkdtemp(prefix="gz-ro-probe-")
    try:
        cmd, _ = readonly_command(d, ["sh", "-c", '! touch "$0/x" 2>/dev/null', d])
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if p.returncode != 0:
            return "a read-only bind mount in a private mount namespace failed: %s" % p.stdout.decode().strip()
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return None
