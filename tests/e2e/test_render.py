"""pep render: every sample to a PDF that carries every value, and the
promises around it (refusal, marking, child's copy, atomic, reproducible)."""
import copy
import glob
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import unittest
import xml.etree.ElementTree as ET
from html import unescape as html_unescape

from peptest import ROOT, NS, TempDirTest, pep, samples, invalid_samples

TOOLS = all(shutil.which(t) for t in ("pdftotext", "pdfinfo", "qpdf", "pdffonts"))
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
SENSITIVE = {"parentalResponsibility", "contactArrangements", "preCareHistory", "healthIssues",
             "emotionalWellbeing", "sdq"}
# What else the child's copy leaves out: the UPN, the workflow (form state and
# its history, earlier meetings, sign-off, QA, upload), the social-care
# administration, and the Pupil Premium Plus detail of the targets (which it
# tells in plain words).
CHILD_OMITS = SENSITIVE | {"upn", "formState", "stateHistory", "pepHistory", "becameLookedAfter", "placement",
                           "legalStatus", "placementType", "carePlanDate", "lookedAfterReviews",
                           "socialWorkerConfirmedSectionA", "signOff", "ppPlus", "words", "ref"}
ET.register_namespace("", NS)


def long_date(iso):
    y, m, d = iso.split("-")
    return "%d %s %s" % (int(d), MONTHS[int(m) - 1], y)


def enum_labels():
    """{schema type name: {xml value: label}} from src/model.h's X-macro lists."""
    src = open(os.path.join(ROOT, "src", "model.h"), encoding="utf-8").read()
    lists = {}
    for m in re.finditer(r"#define (PEP_\w+_LIST)\(X\)((?:.*\\\n)+.*\n)", src):
        lists[m.group(1)] = dict(re.findall(r'X\(\w+, "([^"]*)", "([^"]*)"\)', m.group(2)))
    types = {}
    for m in re.finditer(r'E\(\w+, \w+, (PEP_\w+_LIST), "(\w+)"\)', src):
        types[m.group(2)] = lists[m.group(1)]
    return types


def element_types():
    """{element or attribute name: set of schema type names} from the XSD."""
    xsd = open(os.path.join(ROOT, "schemas", "pep.xsd"), encoding="utf-8").read()
    out = {}
    for name, typ in re.findall(r'<xs:(?:element|attribute) name="(\w+)" type="(\w+)"', xsd):
        out.setdefault(name, set()).add(typ)
    return out


LABELS = enum_labels()
TYPES = element_types()


def squash(s):
    return re.sub(r"\s+", "", s)


def expected_forms(name, value):
    """The forms a value may take in the PDF: dates long, enumerations by
    label, decimals with or without trailing zeros, the rest verbatim."""
    v = " ".join(value.split())
    forms = []
    for t in TYPES.get(name, ()):
        if t in LABELS and v in LABELS[t]:
            forms.append(LABELS[t][v])
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        forms.append(long_date(v))
    if re.fullmatch(r"\d+\.\d+", v):
        forms.append(v.rstrip("0").rstrip("."))
    return forms or [v]


def childs_attachment(e):
    """Whether the child's copy names the attachment e (by title, never by
    where it is kept): a document about the child's education or views,
    not an "other" one, which may be a health or social-care paper."""
    return e.findtext("{%s}kind" % NS) not in ("other", None)


def values(path, child_copy=False):
    """(name, value) for every text node and attribute of the PEP."""
    root = ET.parse(path).getroot()
    out = []

    def walk(e, skip):
        local = e.tag.split("}")[1]
        skip = skip or (child_copy and local in CHILD_OMITS)
        if child_copy and local == "attachment":
            skip = skip or not childs_attachment(e)
        if not skip:
            for k, v in e.attrib.items():
                if child_copy and (k == "words" or (local, k) == ("localAuthority", "code")):
                    continue  # "About this PEP" is not in the child's copy
                if "}" not in k and v.strip():
                    out.append((k, v))
            if len(e) == 0 and e.text and e.text.strip():
                out.append((local, e.text))
        for c in e:
            walk(c, skip)

    walk(root, False)
    return out


MARKS = [re.compile(p) for p in (
    r"^OFFICIAL-SENSITIVE$",
    r"^Personal Education Plan( \(child's copy\))?: .* LA child ID .*$",
    r"^Generated \d+ \w+ \d{4} by pep \S+ Page \d+ of \d+$",
    r"^NOT SIGNED OFF — \d+ errors?$",
)]


def pdf_text(path, raw=True):
    """The PDF's text in content order, without the page headers and footers."""
    r = subprocess.run(["pdftotext"] + (["-raw"] if raw else []) + [path, "-"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=True)
    return r.stdout.decode("utf-8"), r.stderr.decode("utf-8")


def body_text(text):
    lines = [ln for ln in text.split("\n") if not any(m.match(ln.strip("\f")) for m in MARKS)]
    return "\n".join(lines)


def info(path):
    out = subprocess.run(["pdfinfo", path], stdout=subprocess.PIPE, check=True).stdout.decode()
    return dict((k.strip(), v.strip()) for k, v in (ln.split(":", 1) for ln in out.splitlines() if ":" in ln))


@unittest.skipUnless(TOOLS, "poppler-utils and qpdf are needed")
class EverySample(TempDirTest):
    def render(self, sample, *opts):
        out = os.path.join(self.tmp, os.path.basename(sample) + ".pdf")
        r = pep("render", *opts, sample, "-o", out)
        return r, out

    def test_each_sample_gives_a_sound_a4_pdf(self):
        for s in samples():
            with self.subTest(sample=s):
                r, out = self.render(s)
                self.assertIn(r.code, (0, 1), r)  # 1 once the rules find errors
                q = subprocess.run(["qpdf", "--check", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                self.assertEqual(q.returncode, 0, q.stdout + q.stderr)
                i = info(out)
                self.assertIn("(A4)", i["Page size"])
                self.assertGreaterEqual(int(i["Pages"]), 2)
                text, err = pdf_text(out, raw=False)
                self.assertEqual(err, "", "poppler complains about the PDF")
                self.assertEqual(text.count("\f"), int(i["Pages"]))
                self.assertEqual(text.count("OFFICIAL-SENSITIVE"), 2 * int(i["Pages"]))
                for n in range(1, int(i["Pages"]) + 1):
                    self.assertIn("Page %d of %s" % (n, i["Pages"]), text)

    def check_values(self, sample, out, child_copy=False):
        text, _ = pdf_text(out)
        body = squash(body_text(text))
        missing = []
        for name, value in values(os.path.join(ROOT, sample), child_copy):
            if not any(squash(f) in body for f in expected_forms(name, value)):
                missing.append("%s=%r" % (name, value[:60]))
        self.assertEqual(missing, [], "%s: values not in the PDF" % sample)

    def test_each_pdf_carries_every_value_of_its_sample(self):
        for s in samples():
            with self.subTest(sample=s):
                r, out = self.render(s)
                self.assertIn(r.code, (0, 1), r)
                self.check_values(s, out)

    def test_the_childs_copy_leaves_out_the_sensitive_fields_and_says_so(self):
        for s in samples():
            with self.subTest(sample=s):
                r, out = self.render(s, "--copy", "child")
                self.assertIn(r.code, (0, 1), r)
                text, _ = pdf_text(out)
                self.assertIn("This is the child's copy.", text)
                self.assertIn("parental responsibility, contact arrangements, pre-care history", " ".join(text.split()))
                body = squash(body_text(text))
                root = ET.parse(os.path.join(ROOT, s)).getroot()
                for e in root.iter():
                    if e.tag.split("}")[1] in SENSITIVE | {"upn", "legalStatus"}:
                        for t in e.itertext():
                            if len(t.strip()) > 3 and not re.fullmatch(r"[\d-]+", t.strip()):
                                self.assertNotIn(squash(t), body, "%s leaks %s" % (s, t[:40]))
                # attachments: no records system's reference or path; only
                # the education documents, by title
                self.assertIn("where attached documents are kept", " ".join(text.split()))
                for a in root.iter("{%s}attachment" % NS):
                    ref = a.findtext("{%s}ref" % NS)
                    if ref:
                        self.assertNotIn(squash(ref), body, "%s: the child's copy says where a document is" % s)
                    if not childs_attachment(a):
                        self.assertNotIn(squash(a.findtext("{%s}name" % NS)), body, s)
                self.check_values(s, out, child_copy=True)

    def test_the_childs_copy_never_says_where_a_document_is_kept(self):
        """On every form pep reads (Southwark's too): the references the full
        PEP gives under "Where it is" (a records system's document id, a
        path) are nowhere in the child's copy."""
        srcs = samples() + sorted(os.path.relpath(p, ROOT) for p in
                                  glob.glob(os.path.join(ROOT, "samples", "southwark", "*.xml")))
        outs = {}
        for copy_, fmt in (("full", "html"), ("child", "pdf")):
            d = os.path.join(self.tmp, copy_)
            os.mkdir(d)
            r = pep("render", "--copy", copy_, "--format", fmt, "-d", d, *srcs)
            self.assertIn(r.code, (0, 1), r)
            for line in r.out.splitlines():
                src, arrow, rest = line.partition(" -> ")
                if arrow:
                    outs[src, copy_] = rest.rsplit(" (", 1)[0]
        refs = 0
        for s in srcs:
            with open(outs[s, "full"], encoding="utf-8") as f:
                html = f.read()
            table = re.search(r"<h2>Attached documents</h2>\s*<table>(.*?)</table>", html, re.S)
            if not table:
                continue
            self.assertIn("<th scope=\"col\">Where it is</th>", table.group(1))
            body = squash(body_text(pdf_text(outs[s, "child"])[0]))
            for row in re.findall(r"<tr>(.*?)</tr>", table.group(1))[1:]:
                cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
                where = html_unescape(re.sub(r"<[^>]+>", "", cells[2]))
                if where:
                    refs += 1
                    self.assertNotIn(squash(where), body, "%s: the child's copy says where a document is" % s)
        self.assertGreaterEqual(refs, 15)

    def test_marked_not_signed_off_exactly_when_a_rule_fails(self):
        for s in samples():
            with self.subTest(sample=s):
                v = pep("validate", s)
                r, out = self.render(s)
                text, _ = pdf_text(out)
                pages = int(info(out)["Pages"])
                if v.code == 0:
                    self.assertEqual(r.code, 0, r)
                    self.assertNotIn("NOT SIGNED OFF", text)
                else:
                    self.assertEqual(r.code, 1, r)
                    self.assertEqual(len(re.findall(r"NOT SIGNED OFF — \d+ errors?", text)), pages + 1)

    def test_outline_and_document_information(self):
        s = "samples/kent-review-y10-ehcp.xml"
        r, out = self.render(s)
        i = info(out)
        self.assertEqual(i["Author"], "Kent County Council")
        self.assertEqual(i["Title"], "Personal Education Plan, meeting of 11 March 2026")
        self.assertEqual(i["Subject"], "Review PEP for LA child ID KCC-1970442")
        self.assertNotIn("Łukasz", "".join(i.values()))  # no child's name in the metadata
        q = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", out, "-"], stdout=subprocess.PIPE,
                           check=True).stdout
        titles = [bytes.fromhex(h.decode()).decode("utf-16") for h in re.findall(rb"/Title <(feff[0-9a-f]*)>", q)]
        self.assertEqual(sorted(t for t in titles if t.startswith(("Section", "Attached"))),
                         sorted(["Section A — Essential pupil information", "Section B — Education information",
                          "Section C — The young person's views", "Section D — The PEP meeting",
                          "Attached documents"]))
        self.assertTrue(re.search(rb"/Type /Outlines", q), "no outline")


@unittest.skipUnless(TOOLS, "poppler-utils and qpdf are needed")
class Unicode(TempDirTest):
    def pep_with_names(self, given, family, extra=""):
        tree = ET.parse(os.path.join(ROOT, "samples", "kent-review-y10-ehcp.xml"))
        root = tree.getroot()
        root.find(".//{%s}givenNames" % NS).text = given
        root.find(".//{%s}familyName" % NS).text = family
        root.find(".//{%s}preferredName" % NS).text = given.split()[0]
        root.find(".//{%s}enjoys" % NS).text = extra or "Maths."
        path = os.path.join(self.tmp, "names.xml")
        tree.write(path, encoding="UTF-8", xml_declaration=True)
        return path

    def test_names_come_out_of_pdftotext_exactly(self):
        names = ["Zoë", "Łukasz", "Siobhán", "Nguyễn", "Þórunn", "Ṣeun"]
        src = self.pep_with_names("Zoë Łukasz Siobhán", "Nguyễn Þórunn Ṣeun")
        out = os.path.join(self.tmp, "n.pdf")
        r = pep("render", src, "-o", out)
        self.assertIn(r.code, (0, 1), r)
        text, err = pdf_text(out)
        self.assertEqual(err, "")
        for n in names:
            self.assertIn(n, text)
        self.assertIn("Zoë Łukasz Siobhán Nguyễn Þórunn Ṣeun", text)
        fonts = subprocess.run(["pdffonts", out], stdout=subprocess.PIPE, check=True).stdout.decode()
        self.assertNotRegex(fonts, r"\bno\b", "every font is embedded, with a ToUnicode map")

    def test_a_character_outside_the_subset_falls_back_to_the_full_font(self):
        src = self.pep_with_names("Արամ", "Ծառուկյան", "I like ☂ and ♫ and Ⓐ.")  # Armenian, symbols
        out = os.path.join(self.tmp, "a.pdf")
        r = pep("render", src, "-o", out)
        self.assertIn(r.code, (0, 1), r)
        text, _ = pdf_text(out)
        self.assertIn("Արամ Ծառուկյան", text)
        self.assertIn("I like ☂ and ♫ and Ⓐ.", text)

    def test_another_font(self):
        serif = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
        if not os.path.exists(serif):
            self.skipTest("DejaVu Serif is not installed")
        out = os.path.join(self.tmp, "s.pdf")
        r = pep("render", "--font", serif, "samples/kent-review-y10-ehcp.xml", "-o", out)
        self.assertIn(r.code, (0, 1), r)
        fonts = subprocess.run(["pdffonts", out], stdout=subprocess.PIPE, check=True).stdout.decode()
        self.assertIn("DejaVuSerif", fonts)
        self.assertIn("DejaVuSerif-Bold", fonts)

    def test_a_font_that_is_not_a_font_is_an_error(self):
        bad = os.path.join(self.tmp, "bad.ttf")
        with open(bad, "wb") as f:
            f.write(b"not a font at all" * 10)
        out = os.path.join(self.tmp, "x.pdf")
        r = pep("render", "--font", bad, "samples/kent-review-y10-ehcp.xml", "-o", out)
        self.assertEqual(r.code, 2, r)
        self.assertIn("font", r.err)
        self.assertFalse(os.path.exists(out))


@unittest.skipUnless(TOOLS, "poppler-utils and qpdf are needed")
class NameOrder(TempDirTest):
    """legalName/@order: every full name printed in the family's order."""

    def render(self, given, family, order, fmt="pdf", *opts):
        tree = ET.parse(os.path.join(ROOT, "samples", "kent-early-years.xml"))
        name = tree.getroot().find(".//{%s}legalName" % NS)
        name.find("{%s}givenNames" % NS).text = given
        name.find("{%s}familyName" % NS).text = family
        if order:
            name.set("order", order)
        else:
            name.attrib.pop("order", None)
        src = os.path.join(self.tmp, "n.xml")
        tree.write(src, encoding="UTF-8", xml_declaration=True)
        out = os.path.join(self.tmp, "n%s.%s" % ("".join(opts), fmt))  # (a copy never replaces another)
        r = pep("render", "--format", fmt, *opts, src, "-o", out)
        self.assertIn(r.code, (0, 1), r)
        if fmt == "pdf":
            return pdf_text(out)[0]
        with open(out, encoding="utf-8") as f:
            return f.read()

    def test_family_first_everywhere_a_full_name_is_printed(self):
        for given, family in (("Mai Anh", "Nguyễn"), ("Anna", "Kovács"), ("Ji-woo", "Park"), ("Xiaoling", "Wáng")):
            with self.subTest(family=family):
                text = self.render(given, family, "family-first")
                pages = text.split("\f")[:-1]
                for n, page in enumerate(pages, 1):
                    self.assertIn("Personal Education Plan: %s %s" % (family, given), page, "page %d" % n)
                self.assertIn("Child or young person %s %s" % (family, given), text)
                self.assertNotIn("%s %s" % (given, family), text)
                child = self.render(given, family, "family-first", "pdf", "--copy", "child")
                self.assertIn("Personal Education Plan (child's copy): %s %s" % (family, given), child)
                html = self.render(given, family, "family-first", "html")
                self.assertIn("%s %s" % (family, given), html)
                self.assertNotIn("%s %s" % (given, family), html)

    def test_given_names_first_without_the_attribute(self):
        for order in (None, "given-first"):
            with self.subTest(order=order):
                text = self.render("Mai Anh", "Nguyễn", order)
                self.assertIn("Personal Education Plan: Mai Anh Nguyễn", text)
                self.assertNotIn("Nguyễn Mai Anh", text)


@unittest.skipUnless(TOOLS, "poppler-utils and qpdf are needed")
class LongPep(TempDirTest):
    def test_long_summary_and_forty_targets_flow_over_pages_with_nothing_lost(self):
        tree = ET.parse(os.path.join(ROOT, "samples", "kent-review-y10-ehcp.xml"))
        root = tree.getroot()
        words = ["Łukasz", "reviewed", "his", "targets", "with", "Zoë", "and", "Nguyễn;", "progress", "was",
                 "good.", "Supercalifragilisticexpialidociouslyunbreakablewordthatislongerthanalineofthetable"]
        summary = []
        i = 0
        while len(" ".join(summary)) < 30000:
            summary.append("%s%d" % (words[i % len(words)], i))
            i += 1
        summary = " ".join(summary)[:30000]
        root.find(".//{%s}summary" % NS).text = summary
        targets = root.find(".//{%s}targets" % NS)
        first = targets[0]
        for t in list(targets):
            targets.remove(t)
        for n in range(40):
            t = copy.deepcopy(first)
            t.find("{%s}description" % NS).text = "Target number %d: read %d books this term." % (n + 1, n + 3)
            targets.append(t)
        src = os.path.join(self.tmp, "long.xml")
        tree.write(src, encoding="UTF-8", xml_declaration=True)
        out = os.path.join(self.tmp, "long.pdf")
        r = pep("render", src, "-o", out)
        self.assertIn(r.code, (0, 1), r)
        pages = int(info(out)["Pages"])
        self.assertGreaterEqual(pages, 15)
        text, err = pdf_text(out)
        self.assertEqual(err, "")
        body = squash(body_text(text))
        self.assertIn(squash(summary), body)
        for n in range(40):
            self.assertIn(squash("Target number %d: read %d books this term." % (n + 1, n + 3)), body)
        # the targets table's header row is repeated on every page it runs onto
        per_page = text.split("\f")
        with_header = [p for p in per_page if "Who helps, how and how often" in p]
        self.assertGreaterEqual(len(with_header), 4)
        for p in with_header:
            self.assertIn("Target Who helps, how and how often Pupil Premium Plus", p)


@unittest.skipUnless(TOOLS, "poppler-utils and qpdf are needed")
class StrangeText(TempDirTest):
    """Schema-valid text that is all one thing: invisible characters, one
    letter with thousands of marks, a word longer than a page. Each renders
    (PDF and HTML) within the time bound, or would be refused with words a
    person understands; none gives a raw library error."""

    CASES = {
        "zero-width spaces": "\u200b" * 22000,
        "word joiners": "\u2060" * 22000,
        "zero-width no-break spaces": "\ufeff" * 22000,
        "marks on one letter": "a" + "\u0301" * 40000,
        "a word of 70,000 letters": "w" * 70000,
        "spaces between zero-width spaces": "\u200b \u200b\n" * 8000,
        "right-to-left marks": "\u200f" * 22000 + "Łukasz",
    }

    def test_each_renders_quickly(self):
        import time
        from peptest import SLOWDOWN
        tree = ET.parse(os.path.join(ROOT, "samples", "kent-review-y10-ehcp.xml"))
        for name, text in self.CASES.items():
            with self.subTest(text=name):
                tree.getroot().find(".//{%s}summary" % NS).text = text
                src = os.path.join(self.tmp, "strange.xml")
                tree.write(src, encoding="UTF-8", xml_declaration=True)
                for fmt in ("pdf", "html"):
                    out = os.path.join(self.tmp, "strange." + fmt)
                    t0 = time.monotonic()
                    r = pep("render", "--format", fmt, src, "-o", out)
                    took = time.monotonic() - t0
                    self.assertIn(r.code, (0, 1), r)
                    self.assertNotIn("libharu", r.err)
                    self.assertLess(took, 2 * SLOWDOWN, "%s took %.1f s" % (name, took))
                    self.assertTrue(os.path.getsize(out) > 1000)
                q = subprocess.run(["qpdf", "--check", os.path.join(self.tmp, "strange.pdf")],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                self.assertEqual(q.returncode, 0, q.stdout + q.stderr)


@unittest.skipUnless(TOOLS, "poppler-utils and qpdf are needed")
class Refused(TempDirTest):
    def test_a_schema_invalid_pep_is_refused_and_nothing_written(self):
        redacted = 0
        for s in invalid_samples():
            with self.subTest(sample=s):
                out = os.path.join(self.tmp, "x.pdf")
                r = pep("render", s, "-o", out, "--show-values")
                v = pep("validate", s)
                self.assertEqual(r.code, 1, r)
                self.assertEqual(r.out, v.out)  # the problems, as validate prints them
                self.assertIn("not rendered", r.err)
                # Without --show-values, the same problems quoting no value.
                q = pep("render", s, "-o", out)
                self.assertEqual(q.code, 1, q)
                self.assertEqual(len(q.out.splitlines()), len(v.out.splitlines()))
                for quiet, loud in zip(q.out.splitlines(), v.out.splitlines()):
                    self.assertEqual(quiet.split("] ")[0], loud.split("] ")[0])
                    if quiet != loud:  # worded as pep check words it: nothing from the file
                        self.assertTrue("not shown" in quiet or "[XML]" in quiet, quiet)
                        redacted += "(value not shown)" in quiet
                self.assertFalse(os.path.exists(out))
                self.assertEqual(os.listdir(self.tmp), [])
        self.assertGreater(redacted, 3)  # ("SDQ score (value not shown) ...", ...)

    def test_a_refused_pep_leaves_the_existing_pdf_alone(self):
        out = self.write("x.pdf", b"%PDF-1.4 an earlier good one")
        r = pep("render", invalid_samples()[0], "-o", out)
        self.assertEqual(r.code, 1, r)
        self.assertEqual(open(out, "rb").read(), b"%PDF-1.4 an earlier good one")

    def test_missing_input(self):
        r = pep("render", "/nonexistent.xml", "-o", os.path.join(self.tmp, "x.pdf"))
        self.assertEqual(r.code, 2, r)
        self.assertIn("/nonexistent.xml", r.err)
        self.assertEqual(os.listdir(self.tmp), [])


@unittest.skipUnless(TOOLS, "poppler-utils and qpdf are needed")
class Atomic(TempDirTest):
    def test_a_write_that_fails_leaves_nothing_and_keeps_the_old_pdf(self):
        out = self.write("x.pdf", b"%PDF-1.4 an earlier good one")

        def small_files():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

        e = dict(os.environ)
        e.pop("PEP_DATADIR", None)
        p = subprocess.run([os.environ.get("PEP", os.path.join(ROOT, "bin", "pep")), "render",
                            "samples/kent-review-y10-ehcp.xml", "-o", out, "--force"], cwd=ROOT, env=e,
                           preexec_fn=small_files, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(b"cannot write", p.stderr)
        self.assertEqual(open(out, "rb").read(), b"%PDF-1.4 an earlier good one")
        self.assertEqual(os.listdir(self.tmp), ["x.pdf"])  # no temporary file left

    def test_not_a_regular_file(self):
        # A device is written as a stream, never replaced by a file
        # (tests/e2e/test_faults.py has the whole policy).
        r = pep("render", "samples/kent-review-y10-ehcp.xml", "-o", "/dev/full")
        self.assertEqual(r.code, 2, r)
        self.assertIn("cannot write /dev/full: No space left on device", r.err)
        self.assertTrue(stat.S_ISCHR(os.stat("/dev/full").st_mode))

    def test_a_folder_that_does_not_exist(self):
        r = pep("render", "samples/kent-review-y10-ehcp.xml", "-o", os.path.join(self.tmp, "no", "x.pdf"))
        self.assertEqual(r.code, 2, r)
        self.assertIn("does the folder exist?", r.err)


@unittest.skipUnless(TOOLS, "poppler-utils and qpdf are needed")
class Reproducible(TempDirTest):
    def test_same_input_same_bytes(self):
        for opts in ([], ["--pdfa"], ["--copy", "child"]):
            with self.subTest(opts=opts):
                a, b = os.path.join(self.tmp, "a.pdf"), os.path.join(self.tmp, "b.pdf")
                for old in (a, b):  # (the full record's PDF is not the child's copy's to replace)
                    if os.path.exists(old):
                        os.unlink(old)
                env = {"SOURCE_DATE_EPOCH": "1773230400"}
                for out in (a, b):
                    r = pep("render", *opts, "samples/kent-review-y10-ehcp.xml", "-o", out, env=env)
                    self.assertIn(r.code, (0, 1), r)
                self.assertEqual(open(a, "rb").read(), open(b, "rb").read())
                i = info(a)
                self.assertIn("2026", i["CreationDate"])
                text, _ = pdf_text(a)
                self.assertIn("Generated 11 March 2026 by pep", text)


@unittest.skipUnless(TOOLS, "poppler-utils and qpdf are needed")
class PdfA(TempDirTest):
    def test_pdfa_has_what_pdfa_1b_asks(self):
        out = os.path.join(self.tmp, "a.pdf")
        r = pep("render", "--pdfa", "samples/kent-review-y10-ehcp.xml", "-o", out)
        self.assertIn(r.code, (0, 1), r)
        i = info(out)
        self.assertEqual(i["Metadata Stream"], "yes")
        self.assertEqual(i["PDF version"], "1.4")
        q = subprocess.run(["qpdf", "--check", out], stdout=subprocess.PIPE)
        self.assertEqual(q.returncode, 0, q.stdout)
        meta = subprocess.run(["pdfinfo", "-meta", out], stdout=subprocess.PIPE, check=True).stdout.decode()
        ET.fromstring(meta[meta.index("<x:xmpmeta"):meta.index("</x:xmpmeta>") + len("</x:xmpmeta>")])
        self.assertIn("<pdfaid:part>1</pdfaid:part>", meta)
        self.assertIn("<pdfaid:conformance>B</pdfaid:conformance>", meta)
        self.assertIn("Personal Education Plan, meeting of 11 March 2026", meta)
        raw = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", out, "-"], stdout=subprocess.PIPE,
                             check=True).stdout
        self.assertIn(b"/OutputIntents", raw)
        self.assertIn(b"/GTS_PDFA1", raw)
        self.assertIn(b"/DestOutputProfile", raw)
        self.assertRegex(raw, rb"/ID \[\s*<[0-9a-f]{32}>")
        self.assertNotIn(b"begincidrange", raw)
        self.assertIn(b"beginbfrange", raw)
        self.assertNotIn(b"/Ordering (Identity-H)", raw)


@unittest.skipUnless(TOOLS, "poppler-utils and qpdf are needed")
class SeveralFiles(TempDirTest):
    def test_d_names_each_pdf_by_id_and_date_and_goes_on_after_a_bad_one(self):
        files = samples() + [invalid_samples()[0]]
        r = pep("render", "-d", self.tmp, *files)
        self.assertEqual(r.code, 1, r)  # the bad one
        lines = [ln for ln in r.out.splitlines() if " -> " in ln]
        self.assertEqual(len(lines), len(samples()))
        made = sorted(os.listdir(self.tmp))
        self.assertEqual(len(made), len(samples()))
        for name in made:
            self.assertRegex(name, r"^[A-Za-z0-9._-]+_PEP_\d{4}-\d{2}-\d{2}\.pdf$")
        for s in samples():
            root = ET.parse(os.path.join(ROOT, s)).getroot()
            cid = root.find(".//{%s}laChildId" % NS).text.strip()
            date = root.find("{%s}pepMeeting/{%s}date" % (NS, NS)).text.strip()
            given = root.find(".//{%s}givenNames" % NS).text.split()[0]
            name = "%s_PEP_%s.pdf" % (cid, date)
            self.assertIn(name, made)
            self.assertTrue(any(ln.startswith(s + " -> ") and name in ln for ln in lines), r.out)
            self.assertNotIn(given, " ".join(made))
        self.assertIn("not rendered", r.err)


@unittest.skipUnless(TOOLS, "poppler-utils and qpdf are needed")
class Parallel(TempDirTest):
    def test_j_renders_in_parallel_and_reports_in_the_order_given(self):
        # a slow file first (a long summary and 60 targets), then the samples, then a bad one
        tree = ET.parse(os.path.join(ROOT, "samples", "kent-review-y10-ehcp.xml"))
        root = tree.getroot()
        root.find(".//{%s}laChildId" % NS).text = "KCC-SLOW"
        root.find(".//{%s}summary" % NS).text = "A long meeting. " * 3000
        targets = root.find(".//{%s}targets" % NS)
        for _ in range(60):
            targets.append(copy.deepcopy(targets[0]))
        slow = os.path.join(self.tmp, "slow.xml")
        tree.write(slow, encoding="UTF-8", xml_declaration=True)
        files = [slow] + samples() + [invalid_samples()[0]]
        outs = {}
        for jobs in ("1", "4"):
            d = os.path.join(self.tmp, "j" + jobs)
            os.mkdir(d)
            r = pep("render", "-j", jobs, "-d", d, *files, env={"SOURCE_DATE_EPOCH": "1773230400"})
            self.assertEqual(r.code, 1, r)
            order = [ln.split(" -> ")[0] for ln in r.out.splitlines() if " -> " in ln]
            self.assertEqual(order, files[:-1])
            outs[jobs] = {f: open(os.path.join(d, f), "rb").read() for f in os.listdir(d)}
        self.assertEqual(outs["1"], outs["4"])  # the same bytes, whatever the threads did


class Usage(TempDirTest):
    def test_where_the_pdf_goes_must_be_said_once(self):
        s = "samples/kent-review-y10-ehcp.xml"
        for args, msg in ((["render", s], "say where the PDF goes"),
                          (["render", s, "-o", "a.pdf", "-d", self.tmp], "not both"),
                          (["render", s, s, "-o", "a.pdf"], "-o takes one FILE"),
                          (["render", "-d", os.path.join(self.tmp, "none"), s], "is not a folder"),
                          (["render", "--copy", "parent", s, "-o", "a.pdf"], "use full or child"),
                          (["render", "-o", "a.pdf"], "no file given")):
            with self.subTest(args=args):
                r = pep(*args)
                self.assertEqual(r.code, 2, r)
                self.assertIn(msg, r.err)
                self.assertFalse(os.path.exists(os.path.join(ROOT, "a.pdf")))

    def test_help_and_man_page_agree(self):
        r = pep("render", "--help")
        self.assertEqual(r.code, 0, r)
        man = open(os.path.join(ROOT, "docs", "pep.1"), encoding="utf-8").read()
        for line in r.out.splitlines():
            m = re.match(r"^(?:usage:|      ) pep (render .*)$", line)
            if m:
                self.assertIn(".B pep %s" % m.group(1).replace("-", "\\-"), man)
        for opt in ("--copy", "--pdfa", "--font", "--output", "--dir"):
            self.assertIn(opt, r.out)
            self.assertIn(opt.replace("-", "\\-"), man)


if __name__ == "__main__":
    unittest.main()


class RuleErrors(TempDirTest):
    """With the rule engine in place: a PEP that fails rules is rendered
    with the marking on every page and the failing rule ids on page 1."""

    def test_a_pep_failing_rules_is_marked_on_every_page(self):
        import pepedit
        root = pepedit.load(os.path.join(ROOT, "samples", "kent-review-y10-ehcp.xml"))
        pepedit.apply(root, [("remove", "pepMeeting/nextMeeting"),
                             ("remove", "pepMeeting/signOff/sectionComplete[2]")])
        src = self.write("failing.xml", pepedit.serialise(root))
        v = pep("validate", "--as-of", "2026-07-17", "--format", "json", src)
        rules = sorted({d["rule"] for d in v.json()["files"][0]["diagnostics"] if d["severity"] == "error"})
        # T09 too: Kent's 10 school days to mark every section complete have passed.
        self.assertEqual(rules, ["D09", "T06", "T09"])
        out = os.path.join(self.tmp, "failing.pdf")
        r = pep("render", "--as-of", "2026-07-17", src, "-o", out)
        self.assertEqual(r.code, 1, r)
        text, _ = pdf_text(out)
        pages = int(info(out)["Pages"])
        self.assertGreater(pages, 1)
        per_page = text.split("\f")
        for n, page in enumerate(per_page[:pages]):
            self.assertIn("NOT SIGNED OFF — 3 errors", page, "page %d" % (n + 1))
        self.assertIn("T06", per_page[0])
        self.assertIn("D09", per_page[0])
        self.assertIn("T09", per_page[0])
        # The same file rendered at the draft stage has no signoff rule to fail.
        r = pep("render", "--stage", "draft", src, "-o", out)
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("NOT SIGNED OFF", pdf_text(out)[0])
