#!/usr/bin/env python3
"""--columns 2 in the PDF (issue 17), measured on pdftotext's boxes.

Usage: test_columns.py GAZETTE_BINARY SOURCE_DIR

fixtures/json on A4 with --columns 2: every line of body text lies inside
the margins and inside one of the two columns (left 64 .. 289.765 pt,
right 305.515 .. 531.28 pt: a 1.5 em gutter of 15.75 pt), none crosses
the gutter; a line that does (a title, the meta line) has no column line
beside it; titles start at the left margin and some are wider than a
column; at each article's end (a title or a group's heading follows on
the page, or the group or the digest ends) the last lines of the two
columns are balanced: within two line heights at most ends, and never
more than three lines and a paragraph's gap apart (paragraphs of three
lines are not split, so 4+3+3 | 4+3 is the best some articles allow). --columns 1 is the default's output byte for byte;
--columns 2 with --page-size a5 and --columns 3 are usage errors (exit 2,
one line); qpdf --check passes.
"""
import os
import re
import subprocess
import sys
import tempfile

NUM = r'"([-0-9.]+)"'
LINE = re.compile(r'<line xMin=' + NUM + ' yMin=' + NUM + ' xMax=' + NUM + ' yMax=' + NUM +
                  r'>(.*?)</line>', re.S)
WORD = re.compile(r'<word xMin=' + NUM + ' yMin=' + NUM + ' xMax=' + NUM + ' yMax=' + NUM +
                  r'>(.*?)</word>')

# A4 (src/write/pdf/page.c): 64 pt side margins, 72 top, 66 bottom
LEFT = (64.0, 64.0 + (467.28 - 15.75) / 2)
RIGHT = (LEFT[1] + 15.75, 531.28)
TOP, BOTTOM = 72.0, 841.89 - 66.0
LEADING = 14.6
BODY_H = (12.0, 12.45)  # the body text's boxes (10.5 pt serif)
TITLE_H = (16.5, 19.0)  # titles, 1.45 times the body
GROUP_H = 20.0  # groups' headings, above it

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def pages_of(pdf):
    out = subprocess.run(['pdftotext', '-bbox-layout', pdf, '-'], check=True,
                         capture_output=True).stdout.decode()
    pages = []
    for chunk in out.split('<page ')[1:]:
        lines = []
        for m in LINE.finditer(chunk):
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            words = WORD.findall(m.group(5))
            h = max(float(w[3]) - float(w[1]) for w in words)
            text = ' '.join(w[4] for w in words)
            lines.append({'x0': x0, 'y0': y0, 'x1': x1, 'y1': y1, 'h': h, 'text': text})
        # an article page has a running header above the text
        header = any(l['y1'] < TOP - 16 for l in lines)
        pages.append([l for l in lines if header and l['y0'] > TOP - 16 and l['y1'] < BOTTOM + 4])
    return pages


def inside(l, box):
    return l['x0'] >= box[0] - 0.5 and l['x1'] <= box[1] + 0.5


def is_head(l):
    """A full-width line: a group's heading, a title, or a line that
    crosses the gutter (standfirst, meta)."""
    return l['h'] > TITLE_H[0] or not (inside(l, LEFT) or inside(l, RIGHT))


def main():
    gz, src = sys.argv[1], sys.argv[2]
    env = dict(os.environ, SOURCE_DATE_EPOCH='1700000000')
    tmp = tempfile.mkdtemp()
    one, two, dflt = (os.path.join(tmp, n) for n in ('one.pdf', 'two.pdf', 'default.pdf'))
    fx = os.path.join(src, 'fixtures', 'json')
    subprocess.run([gz, '-q', fx, '-o', two, '--columns', '2'], check=True, env=env)
    subprocess.run([gz, '-q', fx, '-o', one, '--columns', '1'], check=True, env=env)
    subprocess.run([gz, '-q', fx, '-o', dflt], check=True, env=env)
    check(open(one, 'rb').read() == open(dflt, 'rb').read(), '--columns 1 differs from the default')
    q = subprocess.run(['qpdf', '--check', two], capture_output=True, text=True)
    check(q.returncode == 0, 'qpdf --check: ' + q.stdout[-300:])

    pages = pages_of(two)
    body = titles = wide_titles = ends = 0
    worst = 0.0
    over = 0
    for pi, lines in enumerate(pages):
        if not lines:  # the cover and the contents
            continue
        for l in lines:
            check(l['x0'] >= LEFT[0] - 0.5 and l['x1'] <= RIGHT[1] + 0.5,
                  'page %d: outside the margins: %s' % (pi + 1, l['text']))
            if BODY_H[0] <= l['h'] <= BODY_H[1]:
                body += 1
                check(inside(l, LEFT) or inside(l, RIGHT),
                      'page %d: body line across the gutter: %s' % (pi + 1, l['text']))
            if TITLE_H[0] <= l['h'] <= TITLE_H[1]:
                titles += 1
                check(abs(l['x0'] - LEFT[0]) < 0.5, 'page %d: title not at the margin: %s' %
                      (pi + 1, l['text']))
                wide_titles += l['x1'] > LEFT[1] + 1
        heads = [l for l in lines if is_head(l)]
        for h in heads:
            if h['h'] <= TITLE_H[0]:
                beside = [l for l in lines if inside(l, RIGHT) and l['y0'] < h['y1'] and
                          l['y1'] > h['y0']]
                check(not beside, 'page %d: a column line beside the full-width %s' %
                      (pi + 1, h['text']))
        # the bands of columns between full-width lines; each one that ends
        # an article is balanced
        marks = sorted(set([h['y1'] for h in heads] + [TOP - 16]))
        starts = [l for l in lines if l['h'] > TITLE_H[0]]
        nxt = pages[pi + 1] if pi + 1 < len(pages) else []
        group_next = not nxt or (nxt[0]['h'] > GROUP_H)
        for k, top in enumerate(marks):
            below = [l for l in lines if l['y0'] >= top and not is_head(l)]
            end = min([h['y0'] for h in heads if h['y0'] >= top] + [BOTTOM + 4])
            band = [l for l in below if l['y1'] <= end]
            left = [l['y1'] for l in band if inside(l, LEFT)]
            right = [l['y1'] for l in band if inside(l, RIGHT)]
            if not left and not right:
                continue
            closes = any(s['y0'] >= end - 0.5 for s in starts) or group_next
            if not closes:
                continue
            ends += 1
            top_of = min(l['y0'] for l in band)
            diff = abs(max(left or [top_of]) - max(right or [top_of]))
            worst = max(worst, diff)
            over += diff > 2 * LEADING + 0.5
            check(diff <= 3.45 * LEADING + 0.5,
                  'page %d: columns unbalanced by %.1f pt at %s' %
                  (pi + 1, diff, (band[-1]['text'])))
    print('body lines %d, titles %d (%d wider than a column), article ends %d, '
          '%d over two lines apart, worst %.1f pt' % (body, titles, wide_titles, ends, over, worst))
    check(over * 5 <= ends, 'more than a fifth of the article ends over two lines apart: %d' % over)
    check(body > 100, 'too few body lines: %d' % body)
    check(wide_titles > 0, 'no title wider than a column')
    check(ends >= 5, 'too few article ends: %d' % ends)

    for args, why in ((['--columns', '2', '--page-size', 'a5'], 'A5 is too narrow'),
                      (['--columns', '3'], '--columns 3: use 1 or 2')):
        r = subprocess.run([gz, fx, '-o', os.path.join(tmp, 'x.pdf')] + args,
                           capture_output=True, text=True, env=env)
        check(r.returncode == 2, '%s: exit %d' % (args, r.returncode))
        check(len(r.stderr.splitlines()) == 1 and why in r.stderr, '%s: %r' % (args, r.stderr))
        check(not os.path.exists(os.path.join(tmp, 'x.pdf')), '%s: a file was written' % args)

    for f in failures:
        print('FAIL:', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
