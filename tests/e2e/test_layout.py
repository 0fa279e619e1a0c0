"""pep render's pages, read back as a person reads them: no page ends with a
heading, a field's label or a table's lone header row, nor with a heading
followed by fewer than two lines of what follows it; no ordinary word and no
phone number is broken across lines; a row continued on the next page says so.

What counts as a heading, a label or a header row is read from the HTML page
of the same document (pep render --format html), so the test knows the
document's structure without knowing the layout's."""
import copy
import glob
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
    row holds text, the labels of all fields and all header rows (asides:
    words that are not what a heading is kept with), the labels of
    label/value rows, the number of ruled lines under each empty field's
    label, the header rows of tables whose first row is blank (a form's),
    and every word of the page."""

    def __init__(self):
        super().__init__()
        self.headings, self.labels, self.header_rows, self.text = [], [], [], []
        self.asides, self.rows, self.ruled, self.blank_first, self.description = [], [], {}, [], None
        self.stack, self.cur, self.row, self.first_row, self.field = [], None, [], None, None
        self.pending = None
        self.tables = ""

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
        elif tag == "meta" and a.get("name") == "description":
            self.description = a.get("content")
        elif tag == "th" and a.get("scope") == "row" and "kv" in self.tables:
            self.cur = ("row", [])
        elif tag == "div" and a.get("class") == "ruled" and self.field is not None:
            self.ruled[self.field] = self.ruled.get(self.field, 0) + 1
        elif tag == "div" and a.get("class") == "text" and self.field is not None:
            self.labels.append(self.field)  # a label with text after it
        elif tag == "table":
            self.pending = None
            self.tables = a.get("class") or ""
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
                self.asides.append(text)
            elif kind == "row":
                self.rows.append(text)
            elif kind == "th":
                self.row.append(text)
            self.cur = None
        if tag == "div" and self.field is not None and "div" not in self.stack:
            self.field = None
        if tag == "thead":
            self.pending = " ".join(self.row)
            self.asides.append(self.pending)
        if tag == "tr" and self.first_row is not None and "tbody" in self.stack:
            if self.pending and squash("".join(self.first_row)):
                self.header_rows.append(self.pending)
            elif self.pending:
                self.blank_first.append(self.pending)
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


def every_sample():
    """The samples on every form pep reads: canonical and Southwark's."""
    return samples() + sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "samples", "southwark", "*.xml")))


# The kinds of PEP by the words the HTML page's description starts with.
KINDS = {"Initial PEP": "initial", "Review PEP": "review", "Transition PEP": "transition",
         "Post-16 PEP": "post-16", "Early years PEP": "early-years", "PEP: no educational provision": "no-provision"}


def classify(lines, st):
    """Each line of a page as (kind, weight): a "heading", an "aside" (a
    field's label or a header row) or "body"; weight counts lines of what a
    heading is kept with: a body line 1, a label/value row 1 however many
    lines its label takes, the label of an empty field on a form the ruled
    lines under it and the header row of a form's table 2, with its first
    blank row (pdftotext sees neither ruled lines nor blank rows). Finds
    what pdftotext broke over up to four lines."""
    heads = {squash(h) for h in st.headings} - {""}
    asides = {squash(a) for a in st.asides} - {""}
    rows = {squash(r) for r in st.rows} - {""}
    ruled = {squash(k): n for k, n in st.ruled.items()}
    ruled.update((squash(h), 2) for h in st.blank_first)
    out, j = [], 0
    while j < len(lines):
        for k in range(min(4, len(lines) - j), 0, -1):
            whole = squash("".join(lines[j:j + k]))
            if whole in heads:
                first = ("heading", 0)
            elif whole in ruled:
                first = ("aside", ruled[whole])
            elif whole in asides:
                first = ("aside", 0)
            elif whole in rows:
                first = ("aside", 1)
            else:
                continue
            out += [first] + [(first[0], 0)] * (k - 1)
            j += k
            break
        else:
            out.append(("body", 1))
            j += 1
    return out


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

    def render_all(self, srcs, *opts):
        """[(src, the PDF's pages, the HTML page's structure)] of each of srcs
        rendered with opts: one run of pep render -d per format."""
        got = {}
        for fmt in ("pdf", "html"):
            d = os.path.join(self.tmp, "-".join((fmt,) + opts))
            os.mkdir(d)
            r = pep("render", "--format", fmt, *opts, "-d", d, *srcs)
            self.assertIn(r.code, (0, 1), r)
            for line in r.out.splitlines():
                src, arrow, rest = line.partition(" -> ")
                if arrow:
                    got.setdefault(src, {})[fmt] = rest.rsplit(" (", 1)[0]
        self.assertEqual(sorted(got), sorted(srcs))
        out = []
        for src in srcs:
            with open(got[src]["html"], encoding="utf-8") as f:
                out.append((src, pdf_pages(got[src]["pdf"]), structure(f.read())))
        return out

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
        self.check_kept(pages, st, what)

    def check_kept(self, pages, st, what):
        """A heading that what follows it continues past the foot of the page
        has at least two lines of it below it on its page: lines of text,
        not a field's label or a table's header row (see classify)."""
        kinds = [classify(lines, st) for lines in pages]
        for n in range(len(pages) - 1):
            if not kinds[n] or not kinds[n + 1] or kinds[n + 1][0][0] == "heading":
                continue  # the next page starts a section of its own
            head = [j for j, (k, _) in enumerate(kinds[n]) if k == "heading"]
            if not head:
                continue
            body = sum(w for _, w in kinds[n][head[-1] + 1:])
            self.assertGreaterEqual(
                body, 2, "%s: page %d ends with a heading followed by %d line(s) of what follows it:\n  %s"
                % (what, n + 1, body, "\n  ".join(pages[n][max(0, head[-1] - 2):])))

    def test_every_sample_full(self):
        for s, pages, st in self.render_all(every_sample()):
            with self.subTest(sample=s):
                self.check(pages, st, s)

    def test_every_sample_child(self):
        for s, pages, st in self.render_all(every_sample(), "--copy", "child"):
            with self.subTest(sample=s):
                self.check(pages, st, "%s --copy child" % s)

    def test_every_sample_draft(self):
        for s, pages, st in self.render_all(every_sample(), "--stage", "draft"):
            with self.subTest(sample=s):
                self.check(pages, st, "%s --stage draft" % s)

    def test_every_sample_blank(self):
        """The blank form of each sample's LA and kind, and a new PEP's
        skeleton as a draft."""
        forms = set()
        for s, _, st in self.render_all(every_sample()):
            with open(os.path.join(ROOT, s), encoding="utf-8") as f:
                la = re.search(r'code="([a-z0-9-]+)"', f.read()).group(1)
            kind = [k for label, k in KINDS.items() if st.description.startswith(label + " for ")]
            self.assertEqual(len(kind), 1, st.description)
            forms.add((la, kind[0]))
        self.assertGreaterEqual(len({k for _, k in forms}), 5)
        for la, kind in sorted(forms):
            with self.subTest(la=la, kind=kind):
                pages, st = self.render_both(None, "--blank", "--la", la, "--kind", kind)
                self.check(pages, st, "blank %s %s" % (la, kind))
        draft = os.path.join(self.tmp, "draft.xml")
        r = pep("new", "--la", "kent", "--kind", "review", "-o", draft)
        self.assertEqual(r.code, 0, r)
        pages, st = self.render_both(draft, "--stage", "draft")
        self.check(pages, st, "draft")

    def test_a_heading_alone_with_one_line_is_caught(self):
        """check_kept itself: the pages the layout once made."""
        st = structure("<h2>Section A</h2><h3>Personal details</h3><table class=kv><tbody>"
                       "<tr><th scope=row>Given names</th><td>Siobh\u00e1n</td></tr>"
                       "<tr><th scope=row>Family name</th><td>Gallagher</td></tr></tbody></table><h2>Section B</h2>")
        bad = [["Text", "Section A", "Personal details", "Given names Siobh\u00e1n"], ["Family name Gallagher"]]
        with self.assertRaises(AssertionError):
            self.check_kept(bad, st, "bad")
        good = [["Text", "more text"], ["Section A", "Personal details", "Given names Siobh\u00e1n",
                                        "Family name Gallagher"]]
        self.check_kept(good, st, "good")
        ended = [["Text", "Section A", "Personal details", "Given names Siobh\u00e1n"], ["Section B", "x"]]
        self.check_kept(ended, st, "a section that ends on its page")

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
