"""pep render: every character of a child's name drawn (issue 12, item 1).

libharu 2.3.0 embeds a subset of each font in a PDF: the glyphs drawn and
the parts of composite glyphs, but not the parts of those parts. DejaVu
Sans builds "ễ" from "e" and a composite of its two marks, so "Nguyễn"
printed as "Nguyen" while pdftotext still read "Nguyễn" and every text test
passed. These tests look where the defect was: at the fonts inside the
PDFs (fontTools) and at the ink on the page (pdftoppm), not at the text.
They also check that a font given with --font is checked before libharu
reads it, and that a character no font has is reported, field by field."""
import io
import json
import os
import re
import shutil
import subprocess
import unicodedata
import unittest
import xml.etree.ElementTree as ET

from peptest import ROOT, NS, TempDirTest, pep, samples

try:
    from fontTools.ttLib import TTFont
except ImportError:  # make check runs Debian's python3, which has it
    TTFont = None

TOOLS = TTFont is not None and all(shutil.which(t) for t in ("qpdf", "pdftoppm", "pdftotext"))
DEJAVU = "/usr/share/fonts/truetype/dejavu/"
ET.register_namespace("", NS)

# Vietnamese, Polish, Welsh and Icelandic letters (and a few more). Drawn,
# each must leave more ink than its base letter, and a letter with two marks
# more than the same letter with one (libharu lost one mark or both).
LETTERS = "ễ ầ ế ộ ẫ ỗ ự ặ ą ę ł ń ś ź ż ŵ ŷ â ð þ æ ö ý Ễ Ộ Ł Ŵ Æ".split()
UNDECOMPOSED = {"ł": "l", "ð": "d", "þ": "p", "æ": "a", "Ł": "L", "Æ": "A"}  # (Þ has the ink of P)


def line_of(path, tag):
    """The line of the first <tag> element of the file at path."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if "<%s>" % tag in line:
                return n
    raise AssertionError(tag)


def one_mark_fewer(ch):
    """ch without its last mark ("ễ" -> "ê", "ê" -> "e")."""
    d = unicodedata.normalize("NFD", ch)
    return unicodedata.normalize("NFC", d[:-1]) if len(d) > 1 else UNDECOMPOSED[ch]


def base_letter(ch):
    return unicodedata.normalize("NFD", ch)[0] if ch not in UNDECOMPOSED else UNDECOMPOSED[ch]


def embedded_fonts(pdf):
    """[(font name, TTFont)] of every TrueType font embedded in pdf."""
    doc = json.loads(subprocess.run(["qpdf", "--json", pdf], stdout=subprocess.PIPE, check=True).stdout)
    fonts = []
    for obj in doc["qpdf"][1].values():
        v = obj.get("value")
        if isinstance(v, dict) and "/FontFile2" in v:
            num = v["/FontFile2"].split()[0]
            data = subprocess.run(["qpdf", "--show-object=" + num, "--filtered-stream-data", pdf],
                                  stdout=subprocess.PIPE, check=True).stdout
            fonts.append((v["/FontName"], TTFont(io.BytesIO(data))))
    return fonts


def broken_composites(font):
    """The composite glyphs of font with a part, at any depth, that has no
    outline, each as "glyph name (U+XXXX)"."""
    glyf = font["glyf"]
    chars = {}
    for cp, name in font.getBestCmap().items():
        chars.setdefault(name, "U+%04X" % cp)

    def empty(name, depth=0):
        g = glyf[name]
        if g.isComposite():
            return depth > 16 or any(empty(c.glyphName, depth + 1) for c in g.components)
        return g.numberOfContours == 0

    return ["%s (%s)" % (n, chars.get(n, "no character")) for n in font.getGlyphOrder()
            if glyf[n].isComposite() and any(empty(c.glyphName) for c in glyf[n].components)]


def nested_composites(font):
    """How many composite glyphs of font have a composite part."""
    glyf = font["glyf"]
    return sum(1 for n in font.getGlyphOrder() if glyf[n].isComposite()
               and any(glyf[c.glyphName].isComposite() for c in glyf[n].components))


def pgm(path):
    """(width, height, bytes) of a binary greyscale PGM (pdftoppm -gray)."""
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():]


def word_boxes(pdf, page):
    """[(word, xMin, yMin, xMax, yMax)] in points on page (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-"],
                          stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
    return [(m.group(5), float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4)))
            for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                                 html)]


def ink_of_words(pdf, words, dpi=200):
    """The ink (the darkness summed over the word's box) of each of the words,
    found as one run of consecutive words on some page of pdf. A box is the
    font's ascent to its descent; marks stacked on a capital (Ễ) rise above
    it, so it is taken higher, by up to a third, but never into another word's
    box."""
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE,
                                                             check=True).stdout.decode()).group(1))
    for page in range(1, pages + 1):
        boxes = word_boxes(pdf, page)
        texts = [b[0] for b in boxes]
        for i in range(len(texts) - len(words) + 1):
            if texts[i:i + len(words)] == words:
                base = os.path.splitext(pdf)[0] + "-p%d" % page
                subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page),
                                "-singlefile", pdf, base], check=True)
                w, h, px = pgm(base + ".pgm")
                s = dpi / 72.0
                inks = []
                for _, x0, y0, x1, y1 in boxes[i:i + len(words)]:
                    top = y0 - (y1 - y0) / 3
                    for _, a0, b0, a1, b1 in boxes:
                        if a0 < x1 and a1 > x0 and b1 <= y0 + 0.1:
                            top = max(top, b1)
                    total = 0
                    for y in range(int(top * s) + 1, min(h, int(y1 * s) + 1)):
                        row = px[y * w + int(x0 * s):y * w + min(w, int(x1 * s) + 1)]
                        total += sum(255 - v for v in row)
                    inks.append(total)
                return inks
    raise AssertionError("the words %s are not in %s" % (" ".join(words), pdf))


class FontTest(TempDirTest):
    def pep_with(self, **fields):
        """A copy of a sample with the given elements' text replaced."""
        tree = ET.parse(os.path.join(ROOT, "samples", "kent-review-y10-ehcp.xml"))
        for tag, text in fields.items():
            tree.getroot().find(".//{%s}%s" % (NS, tag)).text = text
        path = os.path.join(self.tmp, "pep.xml")
        tree.write(path, encoding="UTF-8", xml_declaration=True)
        return path


@unittest.skipUnless(TOOLS, "qpdf, poppler-utils and fontTools are needed")
class EveryPartEmbedded(FontTest):
    """Test (a): no font embedded in a PDF has a composite glyph with a part
    that has no outline."""

    def assert_whole(self, pdf):
        fonts = embedded_fonts(pdf)
        self.assertTrue(fonts, "%s embeds no TrueType font" % pdf)
        for name, font in fonts:
            broken = broken_composites(font)
            self.assertEqual(broken, [], "%s: %s has composite glyphs with a part that has no outline: %s"
                             % (os.path.basename(pdf), name, ", ".join(broken[:10])))

    def test_the_check_finds_the_defect(self):
        # The defect as libharu 2.3.0 made it: the parts of the marks of ễ
        # emptied. (The test must be able to fail.)
        font = TTFont(DEJAVU + "DejaVuSans.ttf")
        glyf = font["glyf"]
        name = font.getBestCmap()[0x1EC5]
        self.assertEqual(broken_composites(font), [])
        for c in glyf[name].components:
            for part in (glyf[c.glyphName].components if glyf[c.glyphName].isComposite() else []):
                glyf[part.glyphName] = type(glyf[part.glyphName])()
        self.assertIn("%s (U+1EC5)" % name, broken_composites(font))

    def test_every_sample(self):
        out = os.path.join(self.tmp, "out")
        os.mkdir(out)
        r = pep("render", "--as-of", "2026-07-17", "-d", out, *samples())
        self.assertIn(r.code, (0, 1), r)
        pdfs = sorted(os.listdir(out))
        self.assertEqual(len(pdfs), len(samples()), r)
        for p in pdfs:
            self.assert_whole(os.path.join(out, p))

    def test_a_font_with_nested_composites(self):
        # DejaVu Sans itself nests composites (the bundled fonts have none):
        # pep keeps every part of every glyph drawn from it.
        out = os.path.join(self.tmp, "full.pdf")
        r = pep("render", "--font", DEJAVU + "DejaVuSans.ttf", "samples/kent-early-years.xml", "-o", out)
        self.assertIn(r.code, (0, 1), r)
        self.assert_whole(out)
        regular = [f for n, f in embedded_fonts(out) if "Bold" not in n][0]
        self.assertGreater(nested_composites(regular), 0, "the PDF draws no letter made of a composite")

    def test_the_full_font_when_the_subset_lacks_a_character(self):
        src = self.pep_with(familyName="Nguyễn Ծառուկյան", enjoys="Tiếng Việt, ầ ế ộ ẫ")  # Armenian
        out = os.path.join(self.tmp, "a.pdf")
        r = pep("render", src, "-o", out)
        self.assertIn(r.code, (0, 1), r)
        self.assertNotIn("[FONT]", r.err)
        self.assert_whole(out)


@unittest.skipUnless(TOOLS, "qpdf, poppler-utils and fontTools are needed")
class InkOnThePage(FontTest):
    """Test (b): each accented letter, rasterised, leaves more ink than the
    letter it is built on, and than the same letter with one mark fewer (a
    lost mark leaves the same ink, or less). Three lines of the same PEP:
    the letters, the letters with one mark fewer, the base letters."""

    def check(self, *font):
        fewer = [one_mark_fewer(c) for c in LETTERS]
        bases = [base_letter(c) for c in LETTERS]
        src = self.pep_with(enjoys=" ".join(LETTERS), findsHard=" ".join(fewer), helpsMeLearn=" ".join(bases))
        out = os.path.join(self.tmp, "ink.pdf")
        r = pep("render", *font, src, "-o", out)
        self.assertIn(r.code, (0, 1), r)
        ink, f_ink, b_ink = (ink_of_words(out, w) for w in (LETTERS, fewer, bases))
        self.assertTrue(all(b > 0 for b in b_ink), "a base letter left no ink: the boxes are wrong")
        thin = ["%s %d <= %s %d" % (c, i, o, j) for c, o, i, j in zip(LETTERS, bases, ink, b_ink) if i <= j]
        thin += ["%s %d <= %s %d" % (c, i, o, j) for c, o, i, j in zip(LETTERS, fewer, ink, f_ink)
                 if o != base_letter(c) and i <= j]
        self.assertEqual(thin, [], "letters drawn without all their marks (ink of the letter, of the other)")

    def test_the_bundled_font(self):
        self.check()

    def test_a_font_with_nested_composites(self):
        self.check("--font", DEJAVU + "DejaVuSans.ttf")


class MissingCharacters(FontTest):
    """A character no font has is printed as an empty box, and said so: per
    field, with the file, line, the words the PDF prints as the field's
    label and the code point, never the value."""

    def test_each_field_is_named(self):
        src = self.pep_with(givenNames="Mai 😀 Anh", enjoys="Drawing 中文 and 😀", findsHard="Nothing")
        out = os.path.join(self.tmp, "m.pdf")
        r = pep("render", src, "-o", out)
        self.assertIn(r.code, (0, 1), r)
        self.assertTrue(os.path.exists(out))
        lines = [ln for ln in r.err.splitlines() if "[FONT]" in ln]
        self.assertEqual(len(lines), 2, r)
        given, enjoys = lines
        self.assertRegex(given, r'^%s:%d: warning: \[FONT\] "Given names" under "Personal details" '
                                r"has U\+1F600 \(an emoji\), which the PDF's font lacks: printed as an empty box; "
                                r"write it another way" % (re.escape(src), line_of(src, "givenNames")))
        self.assertRegex(enjoys, r'^%s:%d: warning: \[FONT\] "What I enjoy" under "Section C — The young '
                                 r"person's views\" has U\+4E2D \(a CJK ideograph\), U\+6587 \(a CJK ideograph\) "
                                 r"and U\+1F600 \(an emoji\), which the PDF's font lacks: printed as empty boxes"
                         % (re.escape(src), line_of(src, "enjoys")))
        # the child's copy: the words of the child's copy
        r = pep("render", "--copy", "child", src, "-o", os.path.join(self.tmp, "c.pdf"))
        self.assertIn('[FONT] "What I enjoy" under "Your views" has', r.err)
        for value in ("Mai", "Anh", "Drawing", "中文", "😀"):
            self.assertNotIn(value, r.err)
        # the same exit status as without the characters
        plain = pep("render", self.pep_with(findsHard="Nothing"), "-o", os.path.join(self.tmp, "p.pdf"))
        self.assertEqual(r.code, plain.code)

    def test_no_warning_for_the_samples(self):
        r = pep("render", "--as-of", "2026-07-17", "-d", self.tmp, *samples())
        self.assertNotIn("[FONT]", r.err)

    def test_with_a_font_given(self):
        serif = DEJAVU + "DejaVuSerif.ttf"
        src = self.pep_with(familyName="Nguyễn 阮")
        r = pep("render", "--font", serif, src, "-o", os.path.join(self.tmp, "s.pdf"))
        self.assertIn(r.code, (0, 1), r)
        self.assertRegex(r.err, r'\[FONT\] "Family name" under "Personal details" has U\+962E \(a CJK ideograph\), '
                                r"which the PDF's font lacks: printed as an empty box; write it another way, or give "
                                r"a font that has it with --font\n")

    @unittest.skipUnless(TOOLS, "qpdf, poppler-utils and fontTools are needed")
    def test_what_is_drawn_is_a_box(self):
        """Each character the font lacks is an outlined rectangle on the page
        (a stroked "re" path: every other rectangle is filled), never U+FFFD
        nor the font's own .notdef glyph; the text layer keeps a character
        that libharu can encode, for searching and copying."""
        src = self.pep_with(enjoys="Drawing 中文 and 😀")
        out = os.path.join(self.tmp, "box.pdf")
        r = pep("render", src, "-o", out)
        self.assertIn(r.code, (0, 1), r)
        self.assertIn("printed as empty boxes", r.err)
        text = subprocess.run(["pdftotext", out, "-"], stdout=subprocess.PIPE, check=True).stdout.decode()
        self.assertNotIn("\ufffd", text)
        self.assertIn("中文", text)
        qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", out, "-"], stdout=subprocess.PIPE,
                             check=True).stdout.decode("latin-1")
        self.assertEqual(len(re.findall(r" re\nS\n", qdf)), 3, "one box for each of 中, 文 and 😀")
        # and none when every character is drawn
        plain = os.path.join(self.tmp, "plain.pdf")
        pep("render", self.pep_with(enjoys="Drawing and more"), "-o", plain)
        qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", plain, "-"], stdout=subprocess.PIPE,
                             check=True).stdout.decode("latin-1")
        self.assertEqual(len(re.findall(r" re\nS\n", qdf)), 0)


@unittest.skipUnless(TOOLS, "qpdf, poppler-utils and fontTools are needed")
class MalformedFonts(FontTest):
    """A font libharu would misread is refused before libharu sees it: exit
    2, a message naming the font and what is wrong, the output untouched."""

    def damaged(self, change):
        with open(DEJAVU + "DejaVuSans.ttf", "rb") as f:
            data = bytearray(f.read())
        change(data)
        return self.write("bad.ttf", bytes(data))

    def table(self, data, tag):
        n = int.from_bytes(data[4:6], "big")
        for i in range(n):
            e = 12 + 16 * i
            if data[e:e + 4] == tag:
                return int.from_bytes(data[e + 8:e + 12], "big")
        raise AssertionError(tag)

    def refused(self, font, want):
        out = self.write("out.pdf", b"the PDF made before")
        r = pep("render", "--font", font, "samples/kent-early-years.xml", "-o", out)
        self.assertEqual(r.code, 2, r)
        self.assertIn("cannot use the font %s: %s" % (font, want), r.err)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), b"the PDF made before")

    def test_units_per_em_of_zero(self):
        # libharu divides by it
        self.refused(self.damaged(lambda d: d.__setitem__(slice(self.table(d, b"head") + 18,
                                                                 self.table(d, b"head") + 20), b"\0\0")),
                     "its 'head' table gives 0 units per em")

    def test_more_metrics_than_glyphs(self):
        # libharu writes past its array of metrics
        def change(d):
            h = self.table(d, b"hhea")
            d[h + 34:h + 36] = b"\xff\xff"
        self.refused(self.damaged(change), "its 'hhea' table gives 65535 horizontal metrics")

    def test_a_licence_that_forbids_embedding(self):
        def change(d):
            o = self.table(d, b"OS/2")
            d[o + 8:o + 10] = b"\x00\x02"
        self.refused(self.damaged(change), "its licence forbids embedding it")

    def test_cut_short(self):
        with open(DEJAVU + "DejaVuSans.ttf", "rb") as f:
            data = f.read()
        self.refused(self.write("short.ttf", data[:len(data) // 2]), "its table")

    def test_a_bold_face_that_is_damaged(self):
        # X.ttf brings X-Bold.ttf with it: both are checked
        shutil.copy(DEJAVU + "DejaVuSans.ttf", os.path.join(self.tmp, "Face.ttf"))
        self.write("Face-Bold.ttf", b"\0\1\0\0" + b"\0" * 100)
        self.refused(os.path.join(self.tmp, "Face-Bold.ttf"), "its table directory")
        out = self.write("out.pdf", b"before")
        r = pep("render", "--font", os.path.join(self.tmp, "Face.ttf"), "samples/kent-early-years.xml", "-o", out)
        self.assertEqual(r.code, 2, r)
        self.assertIn("Face-Bold.ttf", r.err)


if __name__ == "__main__":
    unittest.main()
