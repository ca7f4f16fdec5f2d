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
  endings  fixtures/typography/endings.json (articles ending with one or
           two headings; lists and quotes opened by one-line items) on A4,
           A5 and letter in one column and A4 and letter in two: no column
           ending at its page's foot ends with a title or heading, or with
           the first line of a list or quote (an indented line under an
           unindented one); no column begins with an article's closing
           heading (all 36 of each PDF are found);
  figures  pictures taller than the right column under an article's title
           (a 300 x 1300 grey PNG written by the test) with captions, after
           paragraphs of growing length (and in every other article a
           heading, which must not end a page), on A4 and A5 in one column and A4
           and letter in two: every picture inside the margins (its place
           from the cm before its Do in qpdf's uncompressed form), every
           caption 0 to 12 pt under a picture of its page and column;
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
import json
import os
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import zlib

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


def columns_of(pdf, split):
    """Per page, per column (one, or the left and right halves of the
    page split at x = split), its lines top to bottom as lines_of gives
    them; the running header and page number left out."""
    out = subprocess.run(['pdftotext', '-bbox-layout', pdf, '-'], check=True,
                         capture_output=True).stdout.decode()
    pages = []
    for chunk in out.split('<page ')[1:]:
        height = float(PAGE.match('<page ' + chunk).group(2))
        cols = [collections.defaultdict(list) for _ in range(2 if split else 1)]
        for m in WORD.finditer(chunk):
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            if y1 < 60 or y1 > height - 45:  # header, page number
                continue
            col = cols[1 if split and x0 >= split else 0]
            col[round(y1 * 2) / 2].append((x0, x1, m.group(5), y1 - y0, y1))
        page = []
        for words in cols:
            lines = []
            for y in sorted(words):
                ws = sorted(words[y])
                lines.append({'y': ws[0][4], 'x0': ws[0][0], 'x1': max(w[1] for w in ws),
                              'h': round(max(w[3] for w in ws), 1),
                              'text': ' '.join(w[2] for w in ws)})
            page.append(lines)
        pages.append(page)
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


ENDINGS = ('Further reading', 'Related coverage', 'Corrections', 'Contacts',
           'Timetable changes', 'Notes', 'Archive')


def check_endings(gz, src, tmp):
    """fixtures/typography/endings.json: articles that end with headings
    (one or two), lists and quotes opened by one-line items."""
    bad = []
    seen = lists = 0
    for size, cols in (('a4', 1), ('a5', 1), ('letter', 1), ('a4', 2), ('letter', 2)):
        pdf = tmp + '/e.pdf'
        subprocess.run([gz, '-q', '--page-size', size, '--columns', str(cols),
                        src + '/fixtures/typography/endings.json', '-o', pdf], check=True)
        split = None
        if cols == 2:
            split = {'a4': 595.28, 'letter': 612.0}[size] / 2
        pages = columns_of(pdf, split)
        bh = statistics.mode(l['h'] for p in pages for c in p for l in c)
        where = '%s --columns %d' % (size, cols)
        # the article pages: from the first with body text (the cover and
        # contents have none)
        first = min(i for i, p in enumerate(pages) if any(l['h'] == bh for c in p for l in c))
        body = range(first, len(pages))
        for pi in body[:-1]:
            if not any(pages[pi]):
                continue
            foot = max(l['y'] for c in pages[pi] for l in c)
            for ci, col in enumerate(pages[pi]):
                if not col:
                    continue
                last = col[-1]
                # a column that ends above the page's last line ends with
                # its article (balanced columns, what follows under both)
                if last['y'] < foot - 0.5:
                    continue
                if last['h'] > bh + 0.5:
                    bad.append('%s page %d column %d ends with a title or heading: %s' %
                               (where, pi + 1, ci + 1, last['text']))
                # a list (its bullet 10 pt in) or quote (16 pt in) does not
                # begin with a single line at the foot: the line above it
                # is indented as well, or it is no line of a list or quote
                left = min(l['x0'] for l in col)
                if len(col) >= 2 and last['x0'] > left + 8 and col[-2]['x0'] < left + 0.5:
                    bad.append('%s page %d column %d ends with the first line of a list or quote:'
                               ' %s' % (where, pi + 1, ci + 1, last['text']))
                    lists += 1
        for pi in body:
            for ci, col in enumerate(pages[pi]):
                for li, l in enumerate(col):
                    if l['text'] not in ENDINGS:
                        continue
                    seen += 1
                    # an article's closing line stands under its text: never
                    # first in a column (nothing of its article above it)
                    if li == 0:
                        bad.append('%s page %d column %d starts with "%s", the end of an article'
                                   % (where, pi + 1, ci + 1, l['text']))
    if seen != 5 * 36:
        bad.append('%d closing headings found, want %d' % (seen, 5 * 36))
    return bad


def grey_png(path, w, h):
    """A w x h greyscale PNG (its layout by the PNG specification, ISO/IEC
    15948: signature, IHDR, zlib-compressed IDAT of filtered rows, IEND)."""
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + \
            struct.pack('>I', zlib.crc32(kind + data))
    rows = b''.join(b'\x00' + bytes((x * 7 + y) % 256 for x in range(w)) for y in range(h))
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
                + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))


def images_of(pdf, tmp):
    """Per page (from 0), the pictures drawn: (x0, x1, y0, y1) in PDF
    points, from the cm before each Do of qpdf's uncompressed form."""
    qdf = tmp + '/q.pdf'
    subprocess.run(['qpdf', '--qdf', '--object-streams=disable', pdf, qdf], check=True)
    data = open(qdf, 'rb').read().decode('latin-1')
    out = collections.defaultdict(list)
    parts = re.split(r'%% Contents for page (\d+)', data)
    for num, body in zip(parts[1::2], parts[2::2]):
        body = body.split('endstream')[0]
        for m in re.finditer(r'([-0-9.]+) 0 0 ([-0-9.]+) ([-0-9.]+) ([-0-9.]+) cm\s*/\w+ Do', body):
            w, h, x, y = (float(m.group(i)) for i in range(1, 5))
            out[int(num) - 1].append((x, x + w, y, y + h))
    return out


def check_figures(gz, src, tmp):
    """Tall pictures with captions after paragraphs of growing length, in
    one and two columns: each picture inside the margins, and each caption
    right under its picture, on its page and in its column."""
    bad = []
    grey_png(tmp + '/tall.png', 300, 1300)
    words = 'the tide came in over the quay while the crew waited for the ferry'.split()
    arts = []
    for k in range(8):
        text = ' '.join(words[(i * 3) % len(words)] for i in range(30 + 31 * k)).capitalize()
        arts.append({'title': 'Tall picture %d' % (k + 1),
                     'date': '2024-10-%02dT08:00:00Z' % (k + 1),
                     'content_html': '<p>%s.</p>%s<figure><img src="tall.png" alt="A tall picture">'
                     '<figcaption>Caption %d of a tall picture</figcaption></figure><p>%s.</p>'
                     % (text, '<h2>Picture desk</h2>' if k % 2 else '', k + 1, text)})
    with open(tmp + '/tall.json', 'w') as f:
        json.dump(arts, f)
    captions = 0
    for size, cols, (w, h), (mt, mb) in (('a4', 1, (595.28, 841.89), (72, 66)),
                                         ('a4', 2, (595.28, 841.89), (72, 66)),
                                         ('letter', 2, (612.0, 792.0), (70, 64)),
                                         ('a5', 1, (419.53, 595.28), (58, 52))):
        pdf = tmp + '/f.pdf'
        subprocess.run([gz, '-q', '--page-size', size, '--columns', str(cols),
                        tmp + '/tall.json', '-o', pdf], check=True)
        where = '%s --columns %d' % (size, cols)
        pages = columns_of(pdf, w / 2 if cols == 2 else None)
        images = images_of(pdf, tmp)
        for pi, ims in images.items():
            for (x0, x1, y0, y1) in ims:
                if y0 < mb - 0.5 or y1 > h - mt + 0.5:
                    bad.append('%s page %d: a picture from %.1f to %.1f pt, outside the margins'
                               % (where, pi + 1, y0, y1))
        bh = statistics.mode(l['h'] for p in pages for c in p for l in c)
        for pi, page in enumerate(pages[:-1]):
            foot = max((l['y'] for c in page for l in c), default=0)
            for col in page:
                if col and col[-1]['y'] > foot - 0.5 and col[-1]['h'] > bh + 0.5:
                    bad.append('%s page %d ends with a title or heading: %s' %
                               (where, pi + 1, col[-1]['text']))
        for pi, page in enumerate(pages):
            for col in page:
                for l in col:
                    if not l['text'].startswith('Caption '):
                        continue
                    captions += 1
                    top = h - (l['y'] - l['h'])  # the caption's top, in PDF points
                    # in the caption's column, its bottom just above
                    above = [im for im in images.get(pi, [])
                             if (cols == 1 or ((im[0] + im[1]) / 2 < w / 2) == (l['x0'] < w / 2))
                             and 0 <= im[2] - top <= 12]
                    if not above:
                        bad.append('%s page %d: "%s" is not under its picture' %
                                   (where, pi + 1, l['text']))
    if captions != 4 * len(arts):
        bad.append('%d captions found, want %d' % (captions, 4 * len(arts)))
    return bad


def check_justify(gz, src, tmp):
    bad = []
    space = 0.318 * 10.5  # DejaVu Serif's space at the body size
    for align, want_ragged in (('justify', 0), ('left', None)):
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
    # every split at a point of the English patterns (hyph_en_US.dic)
    allowed = {'in-': 'ternational', 'inter-': 'national', 'interna-': 'tional', 'de-': 'serve',
               'num-': 'bers'}
    for args, want in (([], 5), (['--no-hyphenate'], 0)):
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
        bad = {'pages': check_pages, 'justify': check_justify, 'hyphen': check_hyphen,
               'endings': check_endings, 'figures': check_figures}[case](
            gz, src, tmp)
    for b in bad:
        print('FAIL:', b)
    print('ok' if not bad else '%d failure(s)' % len(bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
