#!/usr/bin/env python3
"""--columns 2 in the PDF (issue 17), measured on pdftotext's boxes.

Usage: test_columns.py GAZETTE_BINARY SOURCE_DIR

fixtures/json on A4 with --columns 2: every line of body text lies inside
the margins and inside one of the two columns (left 64 .. 289.765 pt,
right 305.515 .. 531.28 pt: a 1.5 em gutter of 15.75 pt), none crosses
the gutter; a line that does (a title, the meta line) has no column line
beside it; titles start at the left margin and some are wider than a
column. At each article's end (a title follows on the page, or the group
or the digest ends) the last lines of the two columns are balanced:
  - at every group's end (the last article of a page whose next page
    begins with a group's heading, or of the digest) within two lines;
  - at every article's end within two lines and a paragraph's space
    (three paragraphs of 4, 3, 3 lines facing two of 4 and 3 allow no
    better: a paragraph of three lines is not split), and within two
    lines at nine in ten of them;
  - within one line at most of them: the shorter column's spaces
    stretch to a line above the other's end.
--columns 1 is the default's output byte for byte; --columns 2 with
--page-size a5 and --columns 3 are usage errors (exit 2, one line);
qpdf --check passes.
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
    body = titles = wide_titles = 0
    ends = []  # (page, how far apart the columns end, a group's end, last text)
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
        for top in marks:
            below = [l for l in lines if l['y0'] >= top and not is_head(l)]
            end = min([h['y0'] for h in heads if h['y0'] >= top] + [BOTTOM + 4])
            band = [l for l in below if l['y1'] <= end]
            left = [l['y1'] for l in band if inside(l, LEFT)]
            right = [l['y1'] for l in band if inside(l, RIGHT)]
            if not left and not right:
                continue
            title_next = any(s['y0'] >= end - 0.5 for s in starts)
            if not title_next and not group_next:
                continue
            top_of = min(l['y0'] for l in band)
            diff = abs(max(left or [top_of]) - max(right or [top_of]))
            ends.append((pi + 1, diff, group_next and not title_next, band[-1]['text']))
    two_lines = 2 * LEADING + 0.5
    group_ends = [e for e in ends if e[2]]
    for page, diff, group_end, text in ends:
        limit = two_lines if group_end else two_lines + 0.45 * LEADING
        check(diff <= limit, 'page %d: columns %.1f pt apart at %s\'s end (%s)' %
              (page, diff, 'a group' if group_end else 'an article', text))
    over = sum(1 for e in ends if e[1] > two_lines)
    one = sum(1 for e in ends if e[1] <= LEADING + 0.5)
    print('body lines %d, titles %d (%d wider than a column); %d article ends, %d of them '
          'groups\' ends: %d within a line, %d over two lines apart, worst %.1f pt (at a '
          'group\'s end %.1f pt)' %
          (body, titles, wide_titles, len(ends), len(group_ends), one, over,
           max(e[1] for e in ends), max(e[1] for e in group_ends)))
    check(over * 10 <= len(ends), 'more than one in ten article ends over two lines apart: %d' %
          over)
    check(one * 4 >= len(ends) * 3, 'fewer than three in four article ends within a line: %d' % one)
    check(body > 100, 'too few body lines: %d' % body)
    check(wide_titles > 0, 'no title wider than a column')
    check(len(group_ends) >= 5, 'too few group ends: %d' % len(group_ends))

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
