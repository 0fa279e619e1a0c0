"""pep render --format html in a real browser (Debian's headless chromium):
every value of the PEP on the page, an accessible structure, the marking,
NOT SIGNED OFF band and child's-copy rules of the PDF, nothing fetched, and
the marks on every printed page. One browser for the whole class."""
import base64
import os
import re
import subprocess
import unittest
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from browser import Browser, ink, requires_browser
from peptest import ROOT, TempDirTest, pep, samples
from test_render import SENSITIVE, expected_forms, squash, values


class Tags(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html):
    t = Tags()
    t.feed(html)
    return t.tags


class Html(TempDirTest):
    browser = None

    @classmethod
    def setUpClass(cls):
        cls.browser = None

    @classmethod
    def tearDownClass(cls):
        if cls.browser:
            cls.browser.close()

    def open(self, path):
        requires_browser(self)
        if Html.browser is None:
            Html.browser = Browser()
        Html.browser.open_file(path)
        return Html.browser

    def render(self, src, *opts, name="pep.html"):
        out = os.path.join(self.tmp, name)
        r = pep("render", "--format", "html", *opts, src, "-o", out)
        self.assertIn(r.code, (0, 1), r)
        with open(out, encoding="utf-8") as f:
            return out, f.read(), r

    def test_every_sample_shows_every_value_in_the_browser(self):
        for s in samples():
            with self.subTest(sample=s):
                out, html, _ = self.render(s, name=os.path.basename(s) + ".html")
                b = self.open(out)
                text = squash(b.text())
                missing = [("%s=%r" % (n, v[:50])) for n, v in values(os.path.join(ROOT, s))
                           if not any(squash(f) in text for f in expected_forms(n, v))]
                self.assertEqual(missing, [], "%s: values not on the page" % s)
                self.assertEqual(b.console_errors(), [])
        png = b.screenshot(os.path.join(self.tmp, "shot.png"))
        self.assertGreater(ink(png), 0.02, "the screenshot is blank")

    def test_d_writes_one_page_per_pep_named_as_the_pdfs(self):
        r = pep("render", "--format", "html", "-d", self.tmp, *samples())
        self.assertEqual(r.code, 0, r)
        made = sorted(os.listdir(self.tmp))
        self.assertEqual(len(made), len(samples()))
        for name in made:
            self.assertRegex(name, r"^[A-Za-z0-9._-]+_PEP_\d{4}-\d{2}-\d{2}\.html$")
        self.assertEqual(len([ln for ln in r.out.splitlines() if ".html (" in ln]), len(samples()))
        # each page carries its child's identity: a second run replaces its own pages, nothing else
        with open(os.path.join(self.tmp, made[0]), encoding="utf-8") as f:
            self.assertRegex(f.read(), r'<meta name="pep-identity" content="pep1-[0-9a-f]{32}">')
        r = pep("render", "--format", "html", "-d", self.tmp, *samples())
        self.assertEqual(r.code, 0, r)
        self.assertEqual(sorted(os.listdir(self.tmp)), made)
        for opt in ("--pdfa", "--font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
            r = pep("render", "--format", "html", opt, samples()[0], "-o", os.path.join(self.tmp, "x.html"))
            self.assertEqual(r.code, 2, r)
            self.assertIn("is for PDFs", r.err)

    def test_an_accessible_structure(self):
        out, html, _ = self.render("samples/kent-review-y10-ehcp.xml")
        t = tags(html)
        self.assertEqual(t[0], ("html", {"lang": "en-GB"}))
        heads = [int(tag[1]) for tag, _ in t if re.fullmatch(r"h[1-6]", tag)]
        self.assertEqual(heads.count(1), 1)
        self.assertEqual(heads[0], 1)
        for a, b in zip(heads, heads[1:]):
            self.assertLessEqual(b, a + 1, "a heading level is skipped")
        ths = [a for tag, a in t if tag == "th"]
        self.assertTrue(ths)
        for a in ths:
            self.assertIn(a.get("scope"), ("row", "col"))
        # each table has its headers: column headers or row headers
        self.assertGreater(html.count('<th scope="col">'), 20)
        self.assertGreater(html.count('<th scope="row">'), 40)

    def test_nothing_is_fetched(self):
        out, html, _ = self.render("samples/kent-review-y10-ehcp.xml")
        t = tags(html)
        names = {tag for tag, _ in t}
        for bad in ("script", "link", "img", "iframe", "object", "embed", "base", "form", "audio", "video"):
            self.assertNotIn(bad, names)
        for tag, a in t:
            for k in ("src", "href", "srcset", "action", "data"):
                self.assertNotIn(k, a, "<%s %s=...>" % (tag, k))
        self.assertNotRegex(html, r"url\(|@import|https?://(?!pep-tool)")
        csp = [a["content"] for tag, a in t if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        self.assertEqual(len(csp), 1)
        self.assertIn("default-src 'none'", csp[0])

    def failing(self):
        """A PEP that fails rules T06 (no next meeting) and D01 (no one
        present)."""
        import pepedit
        root = pepedit.load(os.path.join(ROOT, "samples", "kent-review-y10-ehcp.xml"))
        pepedit.apply(root, [("remove", "pepMeeting/nextMeeting"), ("remove", "pepMeeting/attendees")])
        return self.write("failing.xml", pepedit.serialise(root))

    def test_not_signed_off_and_the_childs_copy(self):
        s = "samples/kent-review-y10-ehcp.xml"
        out, html, r = self.render(self.failing())
        self.assertEqual(r.code, 1, r)
        b = self.open(out)
        text = b.text()
        self.assertIn("OFFICIAL-SENSITIVE", text)
        self.assertRegex(text, r"NOT SIGNED OFF — \d+ errors?")
        self.assertIn("This PEP does not meet", text)
        # each failing rule on a line of its own, an item of a list
        lines = text.split("\n")
        for rule in ("T06", "D01"):
            self.assertEqual(len([ln for ln in lines if ln.startswith("[%s] " % rule)]), 1, text)
        self.assertRegex(html, r"<ul><li>\[T06\] [^<]*</li><li>\[D01\] [^<]*</li></ul>")
        out, html, r = self.render(s, "--copy", "child", name="child.html")
        b = self.open(out)
        text = b.text()
        self.assertIn("This is the child's copy.", text)
        self.assertIn("Personal Education Plan (child's copy): Łukasz Piotr Wiśniewski", text)
        first = re.search(r"<h2>([^<]*)</h2>", html).group(1)
        self.assertEqual(first, "Your views")
        root = ET.parse(os.path.join(ROOT, s)).getroot()
        for e in root.iter():
            if e.tag.split("}")[1] in SENSITIVE | {"upn"}:
                for v in e.itertext():
                    if len(v.strip()) > 3 and not re.fullmatch(r"[\d-]+", v.strip()):
                        self.assertNotIn(squash(v), squash(text))
        self.assertIn('<body class="large">', html)

    def test_printed_every_page_carries_the_marks(self):
        out, html, r = self.render(self.failing())
        self.assertEqual(r.code, 1, r)
        b = self.open(out)
        pdf = base64.b64decode(b.driver.print_page())
        path = os.path.join(self.tmp, "printed.pdf")
        with open(path, "wb") as f:
            f.write(pdf)
        text = subprocess.run(["pdftotext", "-layout", path, "-"], stdout=subprocess.PIPE,
                              check=True).stdout.decode()
        pages = text.split("\f")[:-1]
        self.assertGreater(len(pages), 2)
        for n, page in enumerate(pages, 1):
            self.assertEqual(page.count("OFFICIAL-SENSITIVE"), 2, "printed page %d" % n)
            self.assertRegex(page, r"NOT SIGNED OFF — \d+ errors?")
            self.assertIn("Page %d of %d" % (n, len(pages)), page)
            self.assertIn("LA child ID KCC-1970442", page)


if __name__ == "__main__":
    unittest.main()
