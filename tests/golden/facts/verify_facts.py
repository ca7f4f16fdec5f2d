#!/usr/bin/env python3
"""Derive the expected facts of every fixture by the reader's rules and
compare them with the *.facts files beside this script.

    python3 tests/golden/facts/verify_facts.py           # check
    python3 tests/golden/facts/verify_facts.py --write   # regenerate

This is a model of the input contract (SPEC.md sections 1 and 2 plus the
rules listed in README.md here), written independently of the C reader so
that the two can be compared. Defaults: --tz UTC, --date-order dmy, the
whole fixtures/ directory read as one dump (one INPUT), dedupe on.
"""
import datetime as dt
import email.utils
import html
import html.parser
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
FIX = os.path.join(ROOT, "fixtures")
UTC = dt.timezone.utc

# ------------------------------------------------------------------ dates
MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
FULL = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
RU = {m: i + 1 for i, m in enumerate(
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split())}


def month(name):
    n = name.lower().rstrip(".")
    return FULL.get(n) or MONTHS.get(n) or RU.get(n)


def mk(y, mo, d, hh=None, mm=None, ss=0, off=None):
    if hh is None:
        return (dt.date(int(y), mo, int(d)), False)
    t = dt.datetime(int(y), mo, int(d), int(hh), int(mm), int(ss or 0),
                    tzinfo=off or UTC)
    return (t.astimezone(UTC), True)


def parse_offset(s):
    if not s or s == "Z":
        return UTC
    sign = 1 if s[0] == "+" else -1
    s = s[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(s[:2]), minutes=int(s[2:])))


def parse_date(v):
    """-> (date or aware datetime in UTC, has_time) or None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)) or (isinstance(v, str) and re.fullmatch(r"\d{9,13}", v.strip())):
        n = int(v)
        if n > 100000000000:
            n //= 1000
        return (dt.datetime.fromtimestamp(n, UTC), True)
    if not isinstance(v, str):
        return None
    s = v.strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?", s)
    if m:
        y, mo, d, hh, mi, ss, off = m.groups()
        return mk(y, int(mo), d, hh, mi, ss, parse_offset(off) if hh else None)
    m = re.fullmatch(r"[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(:\d{2})? [+-]\d{4}", s)
    if m:
        return (email.utils.parsedate_to_datetime(s).astimezone(UTC), True)
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?: (\d{1,2}):(\d{2}))?", s)
    if m:
        d, mo, y, hh, mi = m.groups()
        return mk(y, int(mo), d, hh, mi)
    m = re.fullmatch(r"(\d{1,2})\.([A-Za-z]{3})\.(\d{4})", s)
    if m:
        d, mo, y = m.groups()
        return mk(y, MONTHS[mo.lower()], d)
    m = re.fullmatch(r"(\d{1,2}) ([^\W\d_]+) (\d{4})(?: (\d{1,2}):(\d{2}))?", s)
    if m and month(m.group(2)):
        d, mo, y, hh, mi = m.groups()
        return mk(y, month(mo), d, hh, mi)
    m = re.fullmatch(r"([A-Za-z]+)\.? (\d{1,2}), (\d{4})(?:,? (\d{1,2}):(\d{2}))?", s)
    if m and month(m.group(1)):
        mo, d, y, hh, mi = m.groups()
        return mk(y, month(mo), d, hh, mi)
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
    if m:  # --date-order dmy (default)
        d, mo, y = m.groups()
        return mk(y, int(mo), d)
    return None


def iso(d):
    return None if d is None else d[0].isoformat()


def day(d):
    if d is None:
        return None
    v, has_time = d
    return v.date() if has_time else v

# ------------------------------------------------------------------ words


def count_words(text):
    return sum(1 for t in text.split() if any(c.isalnum() for c in t))


BLOCK = set("p li ul ol h1 h2 h3 h4 h5 h6 blockquote br hr div pre figure figcaption table tr td th dl dt dd section article header footer".split())
DROP = set("script style iframe object embed form template noscript".split())


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in DROP:
            self.skip += 1
        elif tag in BLOCK:
            self.out.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK:
            self.out.append(" ")

    def handle_endtag(self, tag):
        if tag in DROP:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK:
            self.out.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_text(s):
    p = Text()
    p.feed(s)
    p.close()
    return "".join(p.out)


def strip_tags(s):
    return html.unescape(re.sub(r"<[^>]*>", "", s))

# ------------------------------------------------------------------ JSON


class Pos:
    """Tiny JSON parser that records where each object starts."""

    def __init__(self, text):
        self.t, self.i, self.starts = text, 0, {}

    def ws(self):
        while self.i < len(self.t) and self.t[self.i] in " \t\r\n":
            self.i += 1

    def value(self):
        self.ws()
        c, start = self.t[self.i], self.i
        if c == "{":
            self.i += 1
            obj = {}
            self.ws()
            if self.t[self.i] == "}":
                self.i += 1
            else:
                while True:
                    self.ws()
                    k = self.value()
                    self.ws()
                    assert self.t[self.i] == ":"
                    self.i += 1
                    obj[k] = self.value()
                    self.ws()
                    c = self.t[self.i]
                    self.i += 1
                    if c == "}":
                        break
                    assert c == ","
            self.starts[id(obj)] = start
            return obj
        if c == "[":
            self.i += 1
            arr = []
            self.ws()
            if self.t[self.i] == "]":
                self.i += 1
                return arr
            while True:
                arr.append(self.value())
                self.ws()
                c = self.t[self.i]
                self.i += 1
                if c == "]":
                    return arr
                assert c == ","
        v, end = json.JSONDecoder().raw_decode(self.t, self.i)
        self.i = end
        return v


ALIASES = {
    "title": ["title", "headline", "name"],
    "body": ["content_html", "content", "body", "text", "raw_text", "content_text", "article", "description", "summary"],
    "date": ["date_published", "published", "published_at", "pubDate", "datePublished", "date_gmt", "date", "created_at", "time", "timestamp"],
    "author": ["author", "authors", "byline", "creator", "published_by"],
    "url": ["url", "link", "permalink", "source_url", "source"],
    "tags": ["tags", "categories", "keywords"],
}
WRAPPERS = ["articles", "items", "entries", "posts", "data", "results"]


def pick(obj, field):
    for k in ALIASES[field]:
        if k in obj and obj[k] is not None:
            v = obj[k]
            rendered = isinstance(v, dict) and "rendered" in v
            if rendered:
                v = v["rendered"]
            return k, v, rendered
    return None, None, False


def authors_of(v):
    out = []
    items = v if isinstance(v, list) else [v]
    for it in items:
        if isinstance(it, dict):
            it = it.get("name")
        if isinstance(it, str):
            for a in it.split(";"):
                a = a.strip()
                if a.startswith("By "):
                    a = a[3:].strip()
                if a:
                    out.append(a)
    return out


def tags_of(v):
    if isinstance(v, str):
        return [t.strip() for t in v.split(",") if t.strip()]
    out = []
    if isinstance(v, list):
        for it in v:
            if isinstance(it, dict):
                it = it.get("label", it.get("name"))
            if isinstance(it, str) and it.strip():
                out.append(it.strip())
    return out


def line_of(text, off):
    return text.count("\n", 0, off) + 1


def read_json(path):
    raw = open(path, encoding="utf-8-sig").read()
    objs = []
    if path.endswith((".jsonl", ".ndjson")):
        for n, line in enumerate(raw.split("\n"), 1):
            if line.strip():
                objs.append((json.loads(line), n))
    else:
        p = Pos(raw)
        top = p.value()
        if isinstance(top, dict):
            for w in WRAPPERS:
                if isinstance(top.get(w), list):
                    top = top[w]
                    break
        items = top if isinstance(top, list) else [top]
        objs = [(o, line_of(raw, p.starts[id(o)])) for o in items]
    arts = []
    for o, ln in objs:
        a = {"line": ln}
        k, v, rendered = pick(o, "title")
        a["title"] = strip_tags(v) if rendered else v
        k, v, rendered = pick(o, "body")
        is_html = k == "content_html" or rendered or bool(re.search(r"<[A-Za-z/!]", v))
        a["body_text"] = html_text(v) if is_html else v
        a["html"] = is_html
        a["body_key"] = k
        k, v, _ = pick(o, "date")
        a["date"] = parse_date(v) if k else None
        a["date_key"] = k
        k, v, _ = pick(o, "author")
        a["authors"] = authors_of(v) if k else []
        k, v, _ = pick(o, "url")
        a["url"] = v if k else None
        k, v, _ = pick(o, "tags")
        a["tags"] = tags_of(v) if k else []
        a["captured"] = None
        a["lang"] = o.get("language")
        arts.append(a)
    return arts

# ------------------------------------------------------------------ text
HEADINGS = ["latest news", "related articles", "read more", "most read", "more news", "popular", "recommended"]
HEADER = re.compile(r"(date|published|author|by|source|url|tags)\s*:\s*(.*)", re.I)


def is_heading(line):
    s = line.strip()
    low = s.lower()
    for h in HEADINGS:
        if low in (h, h + ":"):
            return True
        if low.startswith(h) and len(s) > len(h):
            c = s[len(h)]
            if not c.isspace() and c != ":" and not c.islower():
                return True
    return False


def split_articles(lines):
    arts, cur = [], []
    for n, l in lines:
        if l == "\f" or re.fullmatch(r"={5,}", l.strip()):
            arts.append(cur)
            cur = []
        else:
            cur.append((n, l))
    arts.append(cur)
    return [a for a in arts if any(l.strip() for _, l in a)]


def read_text(path):
    data = open(path, "rb").read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    lines = list(enumerate(text.split("\n"), 1))
    out = []
    for chunk in split_articles(lines):
        i = 0
        while not chunk[i][1].strip():
            i += 1
        a = {"line": chunk[i][0], "title": chunk[i][1].strip(), "authors": [], "url": None,
             "tags": [], "captured": None, "date": None, "lang": None}
        rest = chunk[i + 1:]
        # headers right after the title, possibly after one blank line
        j = 0
        if j < len(rest) and not rest[j][1].strip() and j + 1 < len(rest) and HEADER.fullmatch(rest[j + 1][1].strip()):
            j += 1
        header_date = None
        while j < len(rest) and HEADER.fullmatch(rest[j][1].strip()):
            k, v = HEADER.fullmatch(rest[j][1].strip()).groups()
            k = k.lower()
            if k in ("date", "published"):
                header_date = parse_date(v)
            elif k in ("author", "by"):
                a["authors"] = authors_of(v)
            elif k in ("source", "url"):
                a["url"] = v.strip()
            elif k == "tags":
                a["tags"] = tags_of(v)
            j += 1
        rest = rest[j:]
        body, first_date, chrome = [], None, []
        for idx, (n, l) in enumerate(rest):
            if is_heading(l):
                chrome = rest[idx:]
                break
            if l.strip() and parse_date(l.strip()):
                first_date = first_date or parse_date(l.strip())
                body.append((n, ""))  # metadata line acts as a separator
                continue
            body.append((n, l))
        a["date"] = header_date or first_date
        if chrome:
            nb = [k for k, (_, l) in enumerate(chrome) if l.strip()]
            last = nb[-1]
            if parse_date(chrome[last][1].strip()) and last > 0 and not chrome[last - 1][1].strip():
                a["captured"] = parse_date(chrome[last][1].strip())[0]
        a["body_lines"] = [l.strip() for _, l in body if l.strip()]
        blocks, cur = [], []
        for _, l in body:
            if l.strip():
                cur.append(l.strip())
            elif cur:
                blocks.append(cur)
                cur = []
        if cur:
            blocks.append(cur)
        a["block_mode"] = len(blocks) > 1 and all(len(l) <= 100 for l in a["body_lines"])
        a["blocks"] = blocks
        if a["date"] is None:
            base = os.path.basename(path)
            m = re.search(r"(\d{4})-(\d{2})-(\d{2})", base) or re.search(r"(\d{4})(\d{2})(\d{2})", base)
            if m:
                a["date"] = (dt.date(*map(int, m.groups())), False)
                a["date_from"] = "file name"
        a["html"] = False
        out.append(a)
    return out


# Hand-written notes: what each article exercises (not derived, only shown).
NOTES = {
    ("aliases.json", 1): "title via headline; body via body; date via published (Z); authors via an array of strings; url via link; tags via categories",
    ("aliases.json", 2): "title via name; body via text; date via published_at (+01:00); author via byline with its leading 'By ' removed; url via permalink; tags via keywords as the string 'rail, transport'",
    ("aliases.json", 3): "body via raw_text; date via pubDate in RFC 2822 (+0300); author via creator; url via source_url; tags as [{label}] objects",
    ("aliases.json", 4): "body via content_text; date via datePublished; author as a {name} object; url via source; tags as [{name}] objects",
    ("aliases.json", 5): "body via article; date via date without offset (taken as UTC); author string split at ';'; tags string 'harbour, , fishing ' trimmed, empty item dropped",
    ("aliases.json", 6): "body via description; date via created_at '2020-12-05 07:40:00' (no offset: UTC); author array mixing a {name} object and a string; tags via keywords as an array",
    ("aliases.json", 7): "body via summary; date via time 'Dec 8, 2020 12:16'; author via byline; the number 4 in the tags array is ignored",
    ("aliases.json", 8): "date via timestamp as a JSON number of epoch seconds; author as an array of one string",
    ("aliases.json", 9): "date via timestamp as a JSON number of epoch milliseconds; no author, url or tags",
    ("aliases.json", 10): "plain title kept literally: '<b>' and '&' are text; body via content (a summary is present but comes later in the alias list); date '07/12/2020' is day-first by default, date only",
    ("array.json", 1): "plain-text content, paragraphs separated by blank lines; the lone '\u2013' dashes are not words",
    ("feed.json", 1): "JSON Feed 1.1: the top-level title is the feed's, not an article; body from content_html with h2, p, strong, em, blockquote, ul/li, a href",
    ("feed.json", 2): "<style>, <script> and <iframe> contribute no words; '<em>re</em>opened' is one word; <br> separates words; the onclick attribute and the javascript: href are dropped, the link text stays",
    ("feed.json", 3): "content_html wins over content_text and summary; both author {name} and authors [{name}] are present (same person)",
    ("wordpress.json", 1): "minified, ASCII-escaped WordPress JSON; title from title.rendered with entities decoded and <em> dropped; date_gmt (UTC) wins over date (site local 2020-12-02T01:30), so the day is 1 Dec; categories and tags hold numbers and are ignored",
    ("wordpress.json", 2): "title.rendered entities &#8220; &#8221; become curly quotes; date_gmt 06:00 UTC (local date 09:00)",
    ("trafilatura.jsonl", 1): "trafilatura JSON: body via text (its paragraphs are separated by single newlines, as trafilatura writes them); author 'Jane Roe; Sam Poe' split at ';'; url via source; the tags string wins over categories; date only",
    ("trafilatura.jsonl", 2): "Russian; same shape as article 1",
    ("wallabag.json", 1): "wallabag export: date via published_at (offset +0100 without colon), which comes before created_at in the alias list; published_by (wallabag's author list) is read after SPEC 1.1's author aliases; <script> content is not counted",
    ("wallabag.json", 2): "Armenian; published_by is empty; published_at with +0400",
    ("wrap-articles.json", 1): "array under the key 'articles' (status and total are ignored)",
    ("wrap-articles.json", 2): "tags given as a comma-separated string",
    ("wrap-entries.json", 1): "array under the key 'entries'",
    ("wrap-posts.json", 1): "array under the key 'posts'",
    ("wrap-data.json", 1): "array under the key 'data' (meta is ignored); Turkish",
    ("wrap-results.json", 1): "array under the key 'results'; Greek",
    ("single.json", 1): "one article object on its own; the file starts with a UTF-8 BOM; author 'By Rowan Ellery' loses its 'By '",
    ("lines.jsonl", 3): "JSON Lines: line 3 is blank and ignored; date with offset -01:00",
    ("lines.ndjson", 2): "Azerbaijani",
    ("scraped-en.txt", 1): "scraped page: the sidebar heading 'Latest news' is glued to the first headline; the sidebar dates (13.Jan.2026 ...) are chrome, not the publication date; the last line is the capture date; lone '\u2013' is not a word",
    ("scraped-ru.txt", 1): "Russian; sidebar heading 'Related articles' glued to a Cyrillic headline",
    ("scraped-tr.txt", 1): "Turkish; sidebar heading 'More news' glued to a headline that starts with '\u0130'",
    ("scraped-hy.txt", 1): "Armenian; sidebar heading 'Most read' alone on its line",
    ("scraped-ka.txt", 1): "Georgian; sidebar heading 'Read more:' alone on its line, with a colon",
    ("popular.txt", 1): "the body line 'Popular demand brought ...' is body; 'PopularLantern Makers ...' is the glued sidebar heading",
    ("multi-formfeed.txt", 1): "articles separated by lines holding only a form feed; lone date line 'Nov 29, 2020', date only",
    ("multi-formfeed.txt", 2): "Date: header with offset +01:00 right after the title",
    ("multi-formfeed.txt", 3): "Georgian; lone date-time line after the body",
    ("multi-equals.txt", 1): "articles separated by '=====' and '=========='; lone date line '3 December 2020'",
    ("multi-equals.txt", 2): "Russian; lone date line with a Russian month name '4 \u0434\u0435\u043a\u0430\u0431\u0440\u044f 2020'",
    ("multi-equals.txt", 3): "lone ISO date-time line ending in Z",
    ("headers.txt", 1): "UTF-8 BOM before the title; Date, Author, Source and Tags headers right after the title; Author split at ';'",
    ("headers-by.txt", 1): "CRLF line ends; one blank line between the title and the headers; keys By:, url:, PUBLISHED: (case-insensitive)",
    ("wrapped.txt", 1): "email/archive style: blank lines separate blocks of hard-wrapped lines (all under 100 characters), one paragraph per block",
    ("2020-12-11-harbour.txt", 1): "no date in the text",
    ("20201212_bakery.txt", 1): "no date in the text",
    ("bridge.txt", 1): "part of the dump fixtures/text/site; sidebar heading 'Recommended' alone on its line",
}

# ------------------------------------------------------------------ dump


def files_in(root):
    found = []
    for d, _, fs in os.walk(root):
        for f in fs:
            if f.endswith((".json", ".jsonl", ".ndjson", ".txt")):
                full = os.path.join(d, f)
                found.append((os.path.relpath(full, root).encode(), full))
    return [full for _, full in sorted(found)]


def read_file(path):
    arts = read_json(path) if path.endswith((".json", ".jsonl", ".ndjson")) else read_text(path)
    for k, a in enumerate(arts, 1):
        a["path"], a["index"] = path, k
    return arts


def apply_repeats(arts):
    """Lines repeated verbatim in >= 3 text articles (different titles) of one dump."""
    seen = {}
    for a in arts:
        for l in set(a.get("body_lines", [])):
            seen.setdefault(l, set()).add(a["title"])
    rep = {l for l, t in seen.items() if len(t) >= 3}
    for a in arts:
        if "body_lines" in a:
            kept = [l for l in a["body_lines"] if l not in rep]
            a["paragraphs"] = len(a["blocks"]) if a["block_mode"] else len(kept)
            a["removed"] = [l for l in a["body_lines"] if l in rep]
            a["body_text"] = "\n".join(kept)
            a["words"] = count_words(a["body_text"])
        else:
            a["words"] = count_words(a["body_text"])
    return rep


def dedupe(arts):
    urls, titles, bodies = {}, {}, {}
    for a in arts:
        norm_title = " ".join(a["title"].casefold().split())
        norm_body = " ".join(a["body_text"].split())
        why = None
        if a["url"] and a["url"] in urls:
            why = ("same url as", urls[a["url"]])
        elif a["date"] and (norm_title, day(a["date"])) in titles:
            why = ("same title and day as", titles[(norm_title, day(a["date"]))])
        elif norm_body in bodies:
            why = ("same body as", bodies[norm_body])
        if why:
            o = why[1]
            a["dup"] = "%s %s article %d (%s)" % (why[0], os.path.relpath(o["path"], ROOT), o["index"], o["title"])
            continue
        if a["url"]:
            urls[a["url"]] = a
        if a["date"]:
            titles[(norm_title, day(a["date"]))] = a
        bodies[norm_body] = a


def main():
    write = "--write" in sys.argv
    allarts = []
    for f in files_in(FIX):
        allarts += read_file(f)
    rep_all = apply_repeats(allarts)
    dedupe(allarts)
    # words when each file is read on its own (a dump of one file)
    alone = {}
    for f in files_in(FIX):
        arts = read_file(f)
        apply_repeats(arts)
        for a in arts:
            alone[(f, a["index"])] = a["words"]
    bad = 0
    by_file = {}
    for a in allarts:
        by_file.setdefault(a["path"], []).append(a)
    for f, arts in by_file.items():
        rel = os.path.relpath(f, ROOT)
        out = ["# fixture: %s" % rel,
               "# Expected reading, one block per article in file order. Values are JSON.",
               "# Defaults: --tz UTC, --date-order dmy; see README.md in this folder.", ""]
        for a in arts:
            words_alone = alone[(f, a["index"])]
            notes = []
            if (os.path.basename(f), a["index"]) in NOTES:
                notes.append(NOTES[(os.path.basename(f), a["index"])])
            if a.get("date_from"):
                notes.append("date taken from the file name")
            if a["date"] is None:
                notes.append("no date anywhere: goes to the Undated group with a warning")
            if a.get("removed"):
                notes.append("chrome lines repeated across the dump are not body: %s" % " | ".join(a["removed"]))
            if words_alone != a["words"]:
                notes.append("words is %d when this file is read on its own (the repeated lines are then body)" % words_alone)
            if a.get("dup"):
                notes.append("dropped as a duplicate when read with the fixtures before it: " + a["dup"])
            block = [
                ("article", a["index"]),
                ("line", a["line"]),
                ("title", a["title"]),
                ("date", iso(a["date"])),
                ("authors", a["authors"]),
                ("url", a["url"]),
                ("tags", a["tags"]),
                ("captured", a["captured"].isoformat() if a["captured"] else None),
                ("words", a["words"]),
            ]
            if "paragraphs" in a:
                block.append(("paragraphs", a["paragraphs"]))
            if words_alone != a["words"]:
                block.append(("words_alone", words_alone))
            block.append(("status", "duplicate" if a.get("dup") else "kept"))
            block.append(("note", "; ".join(notes) if notes else None))
            out += ["%s: %s" % (k, json.dumps(v, ensure_ascii=False)) for k, v in block]
            out.append("")
        text = "\n".join(out)
        target = os.path.join(HERE, os.path.basename(f) + ".facts")
        if write:
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            have = open(target, encoding="utf-8").read() if os.path.exists(target) else ""
            if have != text:
                print("MISMATCH", target)
                bad += 1
    kept = [a for a in allarts if not a.get("dup")]
    print("articles read: %d, kept: %d, duplicates: %d, undated: %d" % (
        len(allarts), len(kept), len(allarts) - len(kept), sum(1 for a in kept if a["date"] is None)))
    print("repeated chrome lines in the whole dump:", sorted(rep_all))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
