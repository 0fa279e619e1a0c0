"""pep render's pages, read back as a person reads them: no page ends with a
heading, a field's label or a table's lone header row; no ordinary word and no
phone number is broken across lines; a row continued on the next page says so.

What counts as a heading, a label or a header row is read from the HTML page
of the same document (pep render --format html), so the test knows the
document's structure without knowing the layout's."""
import copy
import os
import re
import subprocess
import unittest
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from peptest import ROOT, NS, TempDirTest, pep, samples

TOOLS = all(__import__("shutil").which(t) for t in ("pdftotext", "pdfinfo"))
ET.register_namespace("", NS)

# The header and footer of every page (see test_render.MARKS).
MARKS = [re.compile(p) for p in (
    r"^OFFICIAL-SENSITIVE$",
    r"^Personal Education Plan( \((child's copy|blank form)\))?(: .*)? LA child ID .*$",
    r"^Generated \d+ \w+ \d{4} by pep \S+ Page \d+ of \d+$",
    r"^NOT SIGNED OFF — \d+ errors?$",
)]
PHONE = re.compile(r"(?<![\d+])(?:\+44 ?|0)\d{2,4}[ -]\d{3,4}[ -]?\d{0,4}(?!\d)")


def squash(s):
    return re.sub(r"\s+", "", s)


class Structure(HTMLParser):
    """From the HTML page: the headings (h1, h2, h3 and the subtitle), the
    labels of fields that hold text, the header rows of tables whose first
    row holds text, and every word of the page."""

    def __init__(self):
        super().__init__()
        self.headings, self.labels, self.header_rows, self.text = [], [], [], []
        self.stack, self.cur, self.row, self.first_row, self.field = [], None, [], None, None
        self.pending = None

    BLOCKS = {"p", "div", "td", "th", "tr", "h1", "h2", "h3", "li", "section", "header", "footer", "main"}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append(tag)
        if tag in self.BLOCKS:
            self.text.append(" ")
        if tag in ("h1", "h2", "h3") or (tag == "p" and a.get("class") == "subtitle"):
            self.cur = ("heading", [])
        elif tag == "p" and a.get("class") == "label":
            self.cur = ("label", [])
        elif tag == "div" and a.get("class") == "text" and self.field is not None:
            self.labels.append(self.field)  # a label with text after it
        elif tag == "table":
            self.pending = None
        elif tag == "thead":
            self.row = []
        elif tag == "th" and "thead" in self.stack:
            self.cur = ("th", [])
        elif tag == "tbody":
            self.first_row = []

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()
        if tag in self.BLOCKS:
            self.text.append(" ")
        if self.cur and tag in ("h1", "h2", "h3", "p", "th"):
            kind, parts = self.cur
            text = " ".join("".join(parts).split())
            if kind == "heading":
                self.headings.append(text)
            elif kind == "label":
                self.field = text
            elif kind == "th":
                self.row.append(text)
            self.cur = None
        if tag == "div" and self.field is not None and "div" not in self.stack:
            self.field = None
        if tag == "thead":
            self.pending = " ".join(self.row)
        if tag == "tr" and self.first_row is not None and "tbody" in self.stack:
            if self.pending and squash("".join(self.first_row)):
                self.header_rows.append(self.pending)
            self.first_row = None

    def handle_data(self, data):
        self.text.append(data)
        if self.cur:
            self.cur[1].append(data)
        if self.first_row is not None and "tbody" in self.stack:
            self.first_row.append(data)


def structure(html):
    s = Structure()
    s.feed(html)
    return s


def pdf_pages(path):
    """Each page's body text in drawing order (pdftotext -raw), without the
    marks of the page's header and footer."""
    raw = subprocess.run(["pdftotext", "-raw", path, "-"], stdout=subprocess.PIPE, check=True).stdout.decode()
    pages = []
    for page in raw.split("\f")[:-1]:
        lines = [ln for ln in page.split("\n") if ln.strip() and not any(m.match(ln) for m in MARKS)]
        pages.append(lines)
    return pages


SOFT = re.compile(r"(?<=/)(?=\S)|(?<=[^\W\d_]-)(?=[^\W\d_])")


def words(text):
    """The words of text, and the parts of each that a line may end after:
    a slash, a hyphen between letters (as typesetters break "English-|language",
    never "2025-|12-01")."""
    out = set()
    for w in text.split():
        cuts = [0] + [m.start() for m in SOFT.finditer(w)] + [len(w)]
        for i in range(len(cuts)):
            for j in range(i + 1, len(cuts)):
                out.add(w[cuts[i]:cuts[j]])
    return out


@unittest.skipUnless(TOOLS, "poppler-utils is needed")
class Pages(TempDirTest):
    def render_both(self, src, *opts):
        """(the PDF's pages, the HTML page's structure) of src."""
        name = os.path.basename(src or "blank") + "-".join(opts)
        pdf, html = os.path.join(self.tmp, name + ".pdf"), os.path.join(self.tmp, name + ".html")
        args = list(opts) + ([src] if src else [])
        for out, fmt in ((pdf, "pdf"), (html, "html")):
            r = pep("render", "--format", fmt, *args, "-o", out)
            self.assertIn(r.code, (0, 1), r)
        with open(html, encoding="utf-8") as f:
            return pdf_pages(pdf), structure(f.read())

    def check(self, pages, st, what):
        ends = [(squash(h), "heading %r" % h) for h in st.headings] + \
               [(squash(lab), "label %r" % lab) for lab in st.labels] + \
               [(squash(row), "header row %r" % row) for row in st.header_rows]
        vocab = words("".join(st.text)) | {"(continued)"}
        phones = set(PHONE.findall("".join(st.text)))
        self.assertTrue(pages)
        for n, lines in enumerate(pages, 1):
            last = [squash("".join(lines[-k:])) for k in range(1, 5)]  # the last lines, whole
            for end, name in ends:
                if end:
                    self.assertNotIn(end, last, "%s: page %d ends with the %s" % (what, n, name))
            for ln in lines:
                for w in ln.split():
                    if w in vocab or (w.endswith("…") and any(v.startswith(w[:-1]) for v in vocab)):
                        continue
                    self.fail("%s: page %d has %r, a broken word, in the line %r" % (what, n, w, ln))
        text = "\n".join("\n".join(p) for p in pages)
        for p in phones:
            self.assertIn(p, text, "%s: the phone number %s is broken" % (what, p))

    def test_every_sample_in_every_copy(self):
        for s in samples():
            for opts in ((), ("--copy", "child")):
                with self.subTest(sample=s, opts=opts):
                    pages, st = self.render_both(s, *opts)
                    self.check(pages, st, "%s %s" % (s, " ".join(opts)))

    def test_blank_forms_and_a_draft(self):
        for kind in ("initial", "review", "post-16", "no-provision"):
            with self.subTest(kind=kind):
                pages, st = self.render_both(None, "--blank", "--la", "kent", "--kind", kind)
                self.check(pages, st, "blank %s" % kind)
        draft = os.path.join(self.tmp, "draft.xml")
        r = pep("new", "--la", "kent", "--kind", "review", "-o", draft)
        self.assertEqual(r.code, 0, r)
        pages, st = self.render_both(draft, "--stage", "draft")
        self.check(pages, st, "draft")

    def test_phone_numbers_in_free_text_stay_whole_in_narrow_columns(self):
        tree = ET.parse(os.path.join(ROOT, "samples", "kent-review-y10-ehcp.xml"))
        root = tree.getroot()
        text = ("Ring the office on 01632 960999 or the duty line 0800 123 4567, or write to ME14 1XQ "
                "before 14 March 2026. ")
        for t in root.iter("{%s}comment" % NS):
            t.text = text * 3
        for t in root.iter("{%s}howOften" % NS):
            t.text = text
        src = os.path.join(self.tmp, "phones.xml")
        tree.write(src, encoding="UTF-8", xml_declaration=True)
        pages, st = self.render_both(src)
        self.check(pages, st, "phones")
        flat = "\n".join("\n".join(p) for p in pages)
        for v in ("01632 960999", "0800 123 4567", "ME14 1XQ", "14 March 2026"):
            self.assertIn(v, flat)

    def test_a_long_row_repeats_its_key_cells_marked_continued(self):
        tree = ET.parse(os.path.join(ROOT, "samples", "kent-review-y10-ehcp.xml"))
        root = tree.getroot()
        prev = root.find(".//{%s}previousTargets" % NS)
        first = prev[0]
        first.find("{%s}comment" % NS).text = " ".join("Sentence %d of a long comment on the target." % i
                                                        for i in range(200))
        src = os.path.join(self.tmp, "long.xml")
        tree.write(src, encoding="UTF-8", xml_declaration=True)
        out = os.path.join(self.tmp, "long.pdf")
        r = pep("render", src, "-o", out)
        self.assertIn(r.code, (0, 1), r)
        pages = pdf_pages(out)
        cont = [n for n, p in enumerate(pages) if any("(continued)" in ln for ln in p)]
        self.assertTrue(cont, "no row was marked continued")
        area = first.find("{%s}area" % NS).text.strip().capitalize()
        target = " ".join(first.find("{%s}description" % NS).text.split())
        for n in cont:
            page = " ".join(pages[n])
            # the header row first, then the key cells: the area and the start of the target
            self.assertTrue(page.startswith("Area Target Outcome Comment"), page[:80])
            self.assertIn("%s (continued)" % area, page)
            self.assertIn(target.split()[0], page)
        self.check(pages, self.render_both(src)[1], "long row")


if __name__ == "__main__":
    unittest.main()
