#!/usr/bin/env python3
"""The PDF's typography (issue 17), measured on pdftotext's word boxes.

Usage: test_typography.py GAZETTE_BINARY SOURCE_DIR CASE

Cases:
  pages    no page breaks a paragraph after its first line or before its
           last (two lines on each side), and no page's last line is a
           title or heading: fixtures/json, fixtures/text and
           fixtures/typography (long paragraphs, lists after an
           introduction, quotes, headings) on A4 and A5;
  justify  every body line of fixtures/text but a paragraph's last ends
           within 0.5 pt of the column's edge, except the lines set ragged
           with natural spaces because justifying them would stretch their
           spaces beyond 2.5 times (exactly one: a Georgian line, a
           language without hyphenation patterns); with --align left the
           same measure finds ragged lines (so it can tell);
  hyphen   fixtures/typography/hyphen.json on A5: "international" is split
           only at its dictionary points (in-ter-na-tional), never inside
           the URL or the words with digits, and --no-hyphenate splits
           nothing.

Lines are told apart by their boxes: the words of one baseline on a page
make a line; body lines have the body text's height; lines of one
paragraph follow each other at the body leading, and a paragraph goes on
over a page break when the page's last body line reaches the column's
edge (a justified line that is not a paragraph's last) and the next
page's first line is a body line at the same indent. pdftotext's
plain text joins "inter-" and "national" at a line's end back into one
word (its default dehyphenation), so the tests that compare plain text
are not affected by hyphens; the word boxes keep them.
"""
import collections
import os
import re
import statistics
import subprocess
import sys
import tempfile

NUM = r'"([-0-9.]+)"'
WORD = re.compile(r'<word xMin=' + NUM + ' yMin=' + NUM + ' xMax=' + NUM + ' yMax=' + NUM +
                  r'>(.*?)</word>')
PAGE = re.compile(r'<page width=' + NUM + ' height=' + NUM + '>')


def lines_of(pdf):
    """Per page, its lines top to bottom: dicts of x0, x1, y (the boxes'
    bottom), h and words (text, x0, x1) left to right."""
    out = subprocess.run(['pdftotext', '-bbox-layout', pdf, '-'], check=True,
                         capture_output=True).stdout.decode()
    pages = []
    for chunk in out.split('<page ')[1:]:
        words = collections.defaultdict(list)
        for m in WORD.finditer(chunk):
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            t = m.group(5).replace('&amp;', '&').replace('&lt;', '<').replace('&gt;', '>')
            words[round(y1 * 2) / 2].append((x0, x1, t, y1 - y0, y1))
        lines = []
        for y in sorted(words):
            ws = sorted(words[y])
            lines.append({'y': ws[0][4], 'x0': ws[0][0], 'x1': max(w[1] for w in ws),
                          'h': round(max(w[3] for w in ws), 1), 'words': ws})
        pages.append(lines)
    return pages


def run(gz, args, pdf):
    subprocess.run([gz, '-q'] + args + ['-o', pdf], check=True)
    return lines_of(pdf)


def body_height(pages):
    return statistics.mode(l['h'] for p in pages for l in p)


def check_pages(gz, src, tmp):
    bad = []
    checked = 0
    for size, leading in (('a4', 14.6), ('a5', 12.8)):
        pages = run(gz, ['--page-size', size, src + '/fixtures/json', src + '/fixtures/text',
                         src + '/fixtures/typography'], tmp + '/p.pdf')
        bh = body_height(pages)
        edge = max(l['x1'] for p in pages for l in p if l['h'] == bh)
        # the article pages: after the cover and contents, each with its
        # running header (first line) and page number (last line)
        for pi in range(len(pages) - 1):
            cur, nxt = pages[pi][1:-1], pages[pi + 1][1:-1]
            if not cur or not nxt:
                continue
            last = cur[-1]
            if last['h'] > bh + 0.5:
                bad.append('%s page %d ends with a title or heading: %s' %
                           (size, pi + 1, ' '.join(w[2] for w in last['words'])))
            # the paragraph at the page's foot and its lines there
            tail = [cur[-1]]
            for l in reversed(cur[:-1]):
                if l['h'] == bh and abs(tail[0]['y'] - l['y'] - leading) < 0.3:
                    tail.insert(0, l)
                else:
                    break
            if last['h'] != bh or nxt[0]['h'] != bh or abs(last['x1'] - edge) > 0.5 or \
                    abs(nxt[0]['x0'] - last['x0']) > 0.5:
                continue  # the paragraph ends on this page
            head = [nxt[0]]
            for l in nxt[1:]:
                if l['h'] == bh and abs(l['y'] - head[-1]['y'] - leading) < 0.3:
                    head.append(l)
                else:
                    break
            checked += 1
            if len(tail) < 2 or len(head) < 2:
                bad.append('%s page %d: a paragraph broken with %d line(s) before and %d after: %s'
                           % (size, pi + 1, len(tail), len(head),
                              ' '.join(w[2] for w in tail[0]['words'])[:60]))
    if checked < 12:
        bad.append('only %d paragraphs broken over pages: the test sees nothing' % checked)
    return bad


def non_final(pages, bh):
    """Body lines followed by a line of the same paragraph."""
    out = []
    for p in pages:
        body = [l for l in p if l['h'] == bh]
        for a, b in zip(body, body[1:]):
            if abs(b['y'] - a['y'] - 14.6) < 0.3:
                out.append(a)
    return out


def check_justify(gz, src, tmp):
    bad = []
    space = 0.318 * 10.5  # DejaVu Serif's space at the body size
    for align, want_ragged in (('justify', 1), ('left', None)):
        pages = run(gz, ['--align', align, src + '/fixtures/text'], tmp + '/j.pdf')
        bh = body_height(pages)
        lines = non_final(pages, bh)
        edge = 531.28
        off = [l for l in lines if abs(l['x1'] - edge) > 0.5]
        natural = []
        for l in off:
            ws = l['words']
            gaps = [b[0] - a[1] for a, b in zip(ws, ws[1:])]
            if gaps and abs(statistics.mean(gaps) / space - 1) < 0.03:
                natural.append(l)
        if align == 'justify':
            if len(lines) < 60:
                bad.append('only %d justified lines measured' % len(lines))
            if len(off) != want_ragged or len(natural) != want_ragged:
                bad.append('justified: %d lines off the edge, %d of them ragged, want %d: %s' %
                           (len(off), len(natural), want_ragged,
                            [' '.join(w[2] for w in l['words'])[:50] for l in off]))
        elif len(off) < len(lines) * 0.8:
            bad.append('--align left: %d of %d lines off the edge' % (len(off), len(lines)))
    return bad


def check_hyphen(gz, src, tmp):
    bad = []
    allowed = {'in-': 'ternational', 'inter-': 'national', 'interna-': 'tional'}
    for args, want in (([], 4), (['--no-hyphenate'], 0)):
        pages = run(gz, ['--page-size', 'a5'] + args +
                    [src + '/fixtures/typography/hyphen.json'], tmp + '/h.pdf')
        lines = [l for p in pages for l in p]
        splits = 0
        for a, b in zip(lines, lines[1:]):
            last = a['words'][-1][2]
            if not last.endswith('-'):
                continue
            splits += 1
            nxt = b['words'][0][2]
            if allowed.get(last) != re.sub(r'[^a-z]', '', nxt):
                bad.append('%s split as %r + %r' % (args, last, nxt))
        if splits != want:
            bad.append('%s: %d hyphenated lines, want %d' % (args, splits, want))
        text = ' '.join(w[2] for l in lines for w in l['words'])
        for whole in ('A1234international', 'B5678international'):
            if text.count(whole) != 2:
                bad.append('%s: %s not whole twice' % (args, whole))
        for l in lines:
            if '/' in l['words'][-1][2] and l['words'][-1][2].endswith('-'):
                bad.append('a hyphen added inside the URL: %s' % l['words'][-1][2])
    return bad


def main():
    gz, src, case = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        bad = {'pages': check_pages, 'justify': check_justify, 'hyphen': check_hyphen}[case](
            gz, src, tmp)
    for b in bad:
        print('FAIL:', b)
    print('ok' if not bad else '%d failure(s)' % len(bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
