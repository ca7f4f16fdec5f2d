/*
 * style.c - the files every EPUB holds as they are: the container
 * description and the stylesheet.
 */
#include "write/epub/epub.h"

const char gz_epub_container_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "  <rootfiles>\n"
    "    <rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n"
    "  </rootfiles>\n"
    "</container>\n";

/* Small and plain, for e-ink: the reader's own font and margins, clear
 * breaks between days, no colours that grey out. */
const char gz_epub_style_css[] =
    "body { font-family: serif; line-height: 1.45; margin: 0 0.4em; }\n"
    "h1 { font-size: 1.5em; margin: 0.6em 0 0.8em; page-break-before: always; "
    "break-before: page; }\n"
    "h2 { font-size: 1.25em; line-height: 1.25; margin: 1.6em 0 0.3em; "
    "page-break-after: avoid; break-after: avoid; }\n"
    "h3, h4, h5, h6 { font-size: 1.05em; margin: 1.1em 0 0.3em; page-break-after: avoid; "
    "break-after: avoid; }\n"
    "p { margin: 0 0 0.65em; }\n"
    "p.standfirst { font-size: 1.1em; font-style: italic; line-height: 1.35; "
    "margin: 0.2em 0 0.6em; }\n"
    "p.meta { font-family: sans-serif; font-size: 0.8em; margin: 0 0 1em; }\n"
    "p.tags { font-family: sans-serif; font-size: 0.75em; font-style: italic; "
    "margin: -0.6em 0 1em; }\n"
    "article { margin: 0 0 1.5em; }\n"
    "article + article { border-top: 1px solid #000; padding-top: 0.2em; }\n"
    "blockquote { margin: 0.6em 0 0.6em 1.2em; padding-left: 0.6em; border-left: 2px solid "
    "#000; }\n"
    "pre { font-size: 0.85em; white-space: pre-wrap; overflow-wrap: break-word; }\n"
    "code { font-family: monospace; }\n"
    "ul, ol { margin: 0 0 0.65em 1.4em; padding: 0; }\n"
    "li { margin: 0 0 0.3em; }\n"
    "hr { border: 0; border-top: 1px solid #000; margin: 1em 20%; }\n"
    "a { color: inherit; }\n"
    "nav ol { list-style: none; margin: 0; padding: 0; }\n"
    "nav ol ol { margin: 0.2em 0 0.6em 1.2em; font-size: 0.9em; }\n"
    "nav li { margin: 0.2em 0; }\n"
    ".titlepage { text-align: center; margin-top: 2em; }\n"
    ".titlepage h1 { page-break-before: avoid; break-before: avoid; font-size: 2em; "
    "margin: 0.5em 0 0.2em; }\n"
    ".titlepage .range { font-size: 1.2em; margin: 0 0 1.5em; }\n"
    ".titlepage .counts { margin: 0 0 1.5em; }\n"
    ".titlepage .author { font-style: italic; }\n"
    ".chart { width: 100%; max-width: 36em; }\n"
    /* Body text justified and hyphenated in the article's language (its
     * lang attribute), as the PDF sets it; the meta lines, tags and
     * standfirst stay ragged. The prefixed forms are for Apple Books,
     * Kobo and Readium; CJK and Thai are set ragged below. */
    "article p, article li { text-align: justify; -webkit-hyphens: auto; -epub-hyphens: auto; "
    "hyphens: auto; }\n"
    "p.meta, p.tags, p.standfirst { text-align: left; -webkit-hyphens: manual; "
    "-epub-hyphens: manual; hyphens: manual; }\n"
    ":lang(th) { text-align: left; }\n"
    /* Right to left (the dir attributes of direction.c and xhtml.c):
     * text from the right, quote bars and list indents on the right.
     * Physical sides rather than logical properties, which older
     * e-readers ignore; article[dir=ltr] undoes them for a left-to-right
     * article inside a right-to-left book. */
    "[dir=rtl] { text-align: right; }\n"
    "[dir=ltr] { text-align: left; }\n"
    ".titlepage [dir] { text-align: center; }\n"
    "[dir=rtl] blockquote { margin: 0.6em 1.2em 0.6em 0; padding: 0 0.6em 0 0; border-left: 0; "
    "border-right: 2px solid #000; }\n"
    "[dir=rtl] ul, [dir=rtl] ol { margin: 0 1.4em 0.65em 0; }\n"
    "[dir=rtl] nav ol ol { margin: 0.2em 1.2em 0.6em 0; }\n"
    "article[dir=ltr] blockquote { margin: 0.6em 0 0.6em 1.2em; padding: 0 0 0 0.6em; "
    "border-right: 0; border-left: 2px solid #000; }\n"
    "article[dir=ltr] ul, article[dir=ltr] ol { margin: 0 0 0.65em 1.4em; }\n"
    /* Chinese, Japanese, Korean: strict line breaking (no line starts
     * with a closing mark or a small kana), Korean broken between words,
     * no hyphens, no added letter spacing, and ragged lines rather
     * than justified ones, which stretch the gaps between ideographs. */
    ":lang(ja), :lang(zh), :lang(ko) { -epub-line-break: strict; line-break: strict; "
    "letter-spacing: 0; -epub-hyphens: none; hyphens: none; text-align: left; }\n"
    ":lang(ko) { -epub-word-break: keep-all; word-break: keep-all; }\n"
    /* Thai has no hyphenation: a line breaks between words the reader
     * finds in the unspaced text. */
    ":lang(th) { -epub-hyphens: none; hyphens: none; }\n"
    /* pictures: never wider than the screen, at their own aspect ratio,
     * kept whole on a page with their caption */
    "figure { margin: 0.8em 0; text-align: center; page-break-inside: avoid; "
    "break-inside: avoid; }\n"
    "figure img { max-width: 100%; height: auto; }\n"
    "figure.lead { margin: 0 0 1em; }\n"
    "figcaption, p.caption { font-family: sans-serif; font-size: 0.8em; font-style: italic; "
    "text-align: left; margin: 0.3em 0 0; }\n"
    "p.caption { margin: 0 0 0.65em; }\n";
