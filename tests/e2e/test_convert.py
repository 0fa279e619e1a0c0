"""pep convert: Kent (canonical) <-> Southwark, the carried block, the loss report, xsltproc, hostile inputs.

Nothing is lost on a round trip: for every sample (and the samples changed in
the ways the mapping has to decide about), converting to the other format
and back gives the same data (canonical XML, comments and white space aside:
see data()). With --strict-form the target form holds only what it holds,
and the report is proved complete: converting back changes exactly the
fields the first step reported lost (no silent loss, no spurious report),
each at the line reported.

The report's completeness is checked on fields (fields()): every element
without child elements, and every attribute, whose value is not only white
space, keyed by its path with every step numbered
(/pep/essentialInformation[1]/care[1]/placement[1]). For a round trip, documents are compared as a whole (data()): an empty
element added or left out is a difference; comments, processing
instructions and indentation are not.
"""
import copy
import glob
import json
import os
import re
import shutil
import subprocess
import time
import unittest
import xml.etree.ElementTree as ET
import xml.parsers.expat

from peptest import NS, ROOT, SLOWDOWN, TempDirTest, pep, samples

SW_NS = "https://pep-tool.org/ns/southwark/1"
REPORT_NS = "https://pep-tool.org/ns/conversion-report/1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
TO_SW = os.path.join(ROOT, "stylesheets", "kent-to-southwark.xsl")
TO_KENT = os.path.join(ROOT, "stylesheets", "southwark-to-kent.xsl")

# The Southwark form's fields that the canonical format cannot hold (see the
# report: a field pep.xsd would need).

KENT_SECTIONS = {"header": "header", "A": "essentialInformation", "B": "educationInformation",
                 "C": "youngPersonsViews", "D": "pepMeeting", "attachments": "attachments"}
SW_SECTIONS = {"form": "form", "1": "childDetails", "2": "meetingSummary", "3": None,
               "4": "childsView", "scannedDocuments": "scannedDocuments"}


def southwark_samples():
    return sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "samples", "southwark", "*.xml")))


def fields(data):
    """{path: (value, line)} for the fields of an XML document (bytes)."""
    out = {}
    stack = []  # [path, {child name: count}, text parts, has element children, line]
    p = xml.parsers.expat.ParserCreate(namespace_separator="}")

    def local(name):
        return name.rsplit("}", 1)[-1]

    def start(name, attrs):
        line = p.CurrentLineNumber
        if stack:
            parent = stack[-1]
            parent[3] = True
            n = local(name)
            parent[1][n] = parent[1].get(n, 0) + 1
            path = "%s/%s[%d]" % (parent[0], n, parent[1][n])
        else:
            path = "/" + local(name)
        for k, v in attrs.items():
            if k.startswith(XSI_NS + "}") or not v.strip():
                continue
            out[path + "/@" + local(k)] = (v, line)
        stack.append([path, {}, [], False, line])

    def end(name):
        path, _, text, has_children, line = stack.pop()
        value = "".join(text)
        if not has_children and value.strip():
            out[path] = (value, line)

    def chars(data):
        stack[-1][2].append(data)

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    p.Parse(data, True)
    return out


def data(raw):
    """The data of an XML document (bytes), as canonical XML (C14N 2.0):
    comments, processing instructions, white space between elements (and
    text that is only white space, which the stylesheets strip) and xsi:
    attributes left out; everything else, in order, with every value exactly
    as written. An empty element counts: one added or left out by a round
    trip is a difference (an empty <conduct/> is a heading on the page)."""
    root = ET.fromstring(raw)

    def prune(e):
        for c in e:
            prune(c)
        for k in list(e.attrib):
            if k.startswith("{%s}" % XSI_NS):
                del e.attrib[k]
        if len(e) or not (e.text or "").strip():
            e.text = None
        for c in e:
            c.tail = None
    prune(root)
    return ET.canonicalize(ET.tostring(root, encoding="unicode"))


TOTALS = re.compile(r"^(\d+) values? (have|has) no place in (.+?): (.+); (they are|it is) (carried in the file and restored "
                    r"when it is converted back|left out: enter (them|it) again by hand if the PEP is converted back)"
                    r"(; .+ needs \d+ fields? the file does not have)?$")
NOTHING = re.compile(r"^every value has a place in (.+?)(; .+ needs \d+ fields? the file does not have)?$")


def report(stderr):
    """The JSON report of pep convert --format json (stderr)."""
    return json.loads(stderr)


def lost_path(section, field, data, root, sections):
    """The numbered path of a reported field (section, field) in the document
    data whose root element is root; field has [n] only where a name repeats."""
    top = sections.get(section, section)
    if top is None:  # Southwark section 3: schoolInformation or schoolUpdate
        top = "schoolUpdate" if b"<schoolUpdate" in data else "schoolInformation"
    steps = []
    for step in field.split("/"):
        if step.startswith("@") or re.search(r"\[\d+\]$", step):
            steps.append(step)
        else:
            steps.append(step + "[1]")
    return "/%s/%s[1]/%s" % (root, top, "/".join(steps))


def read(path):
    with open(os.path.join(ROOT, path) if not os.path.isabs(path) else path, "rb") as f:
        return f.read()


class ConvertTest(TempDirTest):
    def convert(self, to, path, out=None, *extra, code=0, force=True):
        # (--force: the tests write their outputs again and again; an
        # existing file is kept without it, as Errors shows; code=None:
        # any exit status)
        args = ["convert", "--to", to, path] + (["-o", out] if out else []) + (["--force"] if out and force else []) + list(extra)
        r = pep(*args)
        if code is not None:
            self.assertEqual(r.code, code, r)
        return r

    def check_lossless(self, src, there, back):
        """src -> there -> back gives the same data as src; returns the
        first step's JSON report."""
        mid = os.path.join(self.tmp, "mid.xml")
        end = os.path.join(self.tmp, "end.xml")
        r1 = self.convert(there, src, mid, "--format", "json")
        r2 = self.convert(back, mid, end, "--format", "json")
        self.assertEqual(data(read(end)), data(read(src)), "%s: not the same data after a round trip" % src)
        first, second = report(r1.err), report(r2.err)
        # Every value carried is put back, and the report of the way back says so.
        self.assertEqual((second["values"], second["restored"]), (0, first["carried"]))
        return first

    def check_strict_form(self, src, there, back, sections, root):
        """With --strict-form, src -> there -> back changes exactly the fields
        the first step reported lost, each at the line and with the value
        reported."""
        mid = os.path.join(self.tmp, "mid.xml")
        end = os.path.join(self.tmp, "end.xml")
        r1 = self.convert(there, src, mid, "--strict-form", "--show-values", "--format", "json")
        rep = report(r1.err)
        self.assertNotIn(b"pep-carried", read(mid))
        self.convert(back, mid, end)
        original, result = read(src), read(end)
        a, b = fields(original), fields(result)
        differences = {k for k in a if k not in b or b[k][0] != a[k][0]}
        reported = {}
        for g in rep["groups"]:
            self.assertFalse(g["carried"])
            for f in g["fields"]:
                path = lost_path(g["section"], f["field"], original, root, sections)
                self.assertIn(path, a, "reported lost but not in the input: %s %s" % (g["section"], f["field"]))
                self.assertEqual(f["line"], a[path][1], "wrong line for %s %s" % (g["section"], f["field"]))
                self.assertEqual(f["value"], " ".join(a[path][0].split()), "wrong value for %s" % f["field"])
                reported[path] = f
        self.assertEqual(sorted(differences - set(reported)), [], "%s: lost without a report" % src)
        self.assertEqual(sorted(set(reported) - differences), [], "%s: reported lost but came back" % src)
        return rep


class RoundTrips(ConvertTest):
    def test_enough_southwark_samples(self):
        names = " ".join(southwark_samples())
        self.assertGreaterEqual(len(southwark_samples()), 4)
        for kind in ("primary", "ehcp", "review", "no-provision"):
            self.assertIn(kind, names)

    def test_kent_to_southwark_and_back_gives_the_same_data(self):
        for s in samples():
            with self.subTest(sample=s):
                rep = self.check_lossless(s, "southwark", "kent")
                self.assertTrue(rep["values"], "a Kent PEP always has something Southwark's form has no place for")
                self.assertEqual(rep["carried"], rep["values"])
                has_conduct = b"<conduct>" in read(s)
                self.assertEqual("conduct" in [m["field"] for m in rep["missing"]], not has_conduct)

    def test_southwark_to_kent_and_back_gives_the_same_data(self):
        for s in southwark_samples():
            with self.subTest(sample=s):
                rep = self.check_lossless(s, "kent", "southwark")
                self.assertEqual(rep["values"], 0)
                # Nothing left out, so --strict converts too.
                self.convert("kent", s, os.path.join(self.tmp, "strict.xml"), "--strict")
                self.assertTrue(os.path.exists(os.path.join(self.tmp, "strict.xml")))

    def test_strict_form_loses_exactly_what_is_reported(self):
        for s in samples():
            with self.subTest(sample=s):
                rep = self.check_strict_form(s, "southwark", "kent", KENT_SECTIONS, "pep")
                self.assertTrue(rep["values"])
                self.assertEqual(rep["carried"], 0)
        for s in southwark_samples():
            with self.subTest(sample=s):
                root = re.search(rb"<(pep|pepReview|pepNoProvision)[ >]", read(s)).group(1).decode()
                rep = self.check_strict_form(s, "kent", "southwark", SW_SECTIONS, root)
                self.assertEqual(rep["values"], 0)

    def test_a_round_trip_renders_the_same_page(self):
        """What a person sees of a PEP converted there and back is what they
        saw of it before: no empty Conduct heading for a conduct record the
        PEP never had."""
        for s in samples():
            with self.subTest(sample=s):
                mid, end = os.path.join(self.tmp, "mid.xml"), os.path.join(self.tmp, "end.xml")
                self.convert("southwark", s, mid)
                self.convert("kent", mid, end)
                pages = []
                for src in (s, end):
                    html = os.path.join(self.tmp, "page.html")
                    r = pep("render", "--format", "html", "--as-of", "2026-07-17", src, "-o", html, "--force")
                    self.assertIn(r.code, (0, 1), r)
                    pages.append(read(html))
                self.assertEqual(b"<h3>Conduct" in pages[1], b"<conduct>" in read(s))
                self.assertEqual(pages[1], pages[0])

    def test_twice_round_is_still_the_same(self):
        """Kent -> Southwark -> Kent -> Southwark: the second Southwark form is
        the first, carried block and all."""
        s = "samples/kent-review-y10-ehcp.xml"
        first, back, second = (os.path.join(self.tmp, n) for n in ("1.xml", "2.xml", "3.xml"))
        self.convert("southwark", s, first)
        self.convert("kent", first, back)
        self.convert("southwark", back, second)
        self.assertEqual(read(first), read(second))


class Report(ConvertTest):
    """The report on standard error: totals first, a line per field in the
    form's words, values only when asked."""

    def test_every_report_starts_with_its_totals_and_quotes_no_value(self):
        for s, to in [(s, "southwark") for s in samples()] + [(s, "kent") for s in southwark_samples()]:
            with self.subTest(sample=s):
                r = self.convert(to, s, os.path.join(self.tmp, "out.xml"))
                lines = r.err.splitlines()
                self.assertTrue(TOTALS.match(lines[0]) or NOTHING.match(lines[0]), lines[0])
                for line in lines[1:]:
                    self.assertRegex(line, r"^(carried|lost|missing): (section [A-D1-4]|[a-z][a-z ]*), ")
                # No value of the file is quoted.
                shown = report(self.convert(to, s, os.path.join(self.tmp, "out.xml"), "--format", "json",
                                            "--show-values").err)
                values = [f["value"] for g in shown["groups"] for f in g["fields"]]
                for v in values:
                    if len(v) >= 8:
                        self.assertNotIn(v, r.err)
                # The JSON report says the same.
                self.assertEqual(shown["summary"], lines[0])
                self.assertEqual(len(shown["groups"]) + len(shown["missing"]), len(lines) - 1)

    def test_the_childs_words_are_one_line_and_quoted_in_full_only_when_asked(self):
        s = "samples/kent-review-y10-ehcp.xml"
        r = self.convert("southwark", s, os.path.join(self.tmp, "out.xml"))
        lines = r.err.splitlines()
        self.assertTrue(lines[0].startswith("22 values have no place in Southwark's PEP form: workflow history (12), "),
                        lines[0])
        self.assertIn("they are carried in the file and restored when it is converted back", lines[0])
        views = [l for l in lines[1:] if "how the child's views were used" in l]
        self.assertEqual(views, ["carried: section D, how the child's views were used (line 300); Southwark's form has no "
                                 "place for it: if the people who read the form need it, copy it into the summary of "
                                 "the meeting (section 2)"])
        self.assertEqual([l for l in lines if "workflow history" in l][1:], ["carried: header, workflow history "
                                                                            "(lines 11-28): 12 values"])
        self.assertNotIn("Łukasz", r.err)
        r = self.convert("southwark", s, os.path.join(self.tmp, "out.xml"), "--show-values")
        words = fields(read(s))["/pep/pepMeeting[1]/childsViewsUsed[1]"][0]
        self.assertGreater(len(words), 300)
        self.assertIn('  line 300: "%s"' % " ".join(words.split()), r.err.splitlines())

    def test_missing_lines_in_plain_words(self):
        r = self.convert("southwark", "samples/kent-early-years.xml", os.path.join(self.tmp, "out.xml"))
        self.assertIn("missing: section 3, conduct: the PEP has no conduct record: ask the school for it "
                      "(Southwark procedure 3.5.2 §4)", r.err.splitlines())

    def test_json_report(self):
        r = self.convert("southwark", "samples/kent-early-years.xml", os.path.join(self.tmp, "out.xml"),
                         "--format", "json")
        rep = report(r.err)
        self.assertEqual((rep["from"], rep["to"], rep["written"], rep["strict_form"]), ("kent", "southwark", True, False))
        self.assertEqual(rep["values"], sum(g["values"] for g in rep["groups"]))
        g = {x["label"]: x for x in rep["groups"]}["workflow history"]
        self.assertEqual((g["section"], g["element"], g["carried"], g["values"]), ("header", "header/stateHistory", True, 12))
        self.assertNotIn("fields", g)  # no values without --show-values
        self.assertEqual(rep["diagnostics"], [])


def mutate(path, change):
    """The canonical sample at path, changed by change(root) (ElementTree)."""
    ET.register_namespace("", NS)
    tree = ET.parse(os.path.join(ROOT, path))
    change(tree.getroot())
    return ET.tostring(tree.getroot(), encoding="unicode")


def q(*names):
    return "/".join("{%s}%s" % (NS, n) for n in names)


def set_text(root, path, value):
    el = root.find(q(*path.split("/")))
    if el is None:
        parent = root.find(q(*path.split("/")[:-1]))
        el = ET.SubElement(parent, "{%s}%s" % (NS, path.split("/")[-1]))
    el.text = value


def remove(root, path):
    parts = path.split("/")
    parent = root.find(q(*parts[:-1])) if len(parts) > 1 else root
    for el in parent.findall(q(parts[-1])):
        parent.remove(el)


def add_fourth_target(root):
    targets = root.find(q("pepMeeting", "targets"))
    t = copy.deepcopy(targets.findall(q("target"))[0])
    t.find(q("description")).text = "A fourth target Southwark's form has no room for."
    targets.append(t)


def reverse_sign_off(root):
    so = root.find(q("pepMeeting", "signOff"))
    done = so.findall(q("sectionComplete"))
    for el in done:
        so.remove(el)
    for i, el in enumerate(reversed(done)):
        so.insert(i, el)


class Mutations(ConvertTest):
    """The samples changed in the ways the mapping has to decide about: the
    kinds of PEP and meeting, the year group, the review form, more targets
    than Southwark allows, sign-off out of order."""

    MUTATIONS = [
        ("meeting kind extra", lambda r: set_text(r, "pepMeeting/kind", "extra")),
        ("meeting kind initial at a review", lambda r: set_text(r, "pepMeeting/kind", "initial")),
        ("no meeting kind", lambda r: remove(r, "pepMeeting/kind")),
        ("kind transition", lambda r: set_text(r, "header/kind", "transition")),
        ("kind early-years", lambda r: set_text(r, "header/kind", "early-years")),
        ("kind post-16", lambda r: set_text(r, "header/kind", "post-16")),
        ("no previous schools (the review form)", lambda r: remove(r, "educationInformation/previousSchools")),
        ("four targets", add_fourth_target),
        ("sign-off D, C, B, A", reverse_sign_off),
        ("Kent child", lambda r: r.find(q("header", "localAuthority")).set("code", "kent")),
        ("kind no-provision with a school", lambda r: set_text(r, "header/kind", "no-provision")),
        ("year group R", lambda r: set_text(r, "essentialInformation/school/yearGroup", "R")),
        ("year group 13", lambda r: set_text(r, "essentialInformation/school/yearGroup", "13")),
        ("blank fields", lambda r: [set_text(r, "youngPersonsViews/enjoys", "  \n  "),
                                    set_text(r, "pepMeeting/summary", "")]),
        ("schema location", lambda r: r.set("{%s}schemaLocation" % XSI_NS, NS + " pep.xsd")),
    ]

    def test_round_trips_of_mutated_samples(self):
        for s in samples():
            for name, change in self.MUTATIONS:
                with self.subTest(sample=s, mutation=name):
                    try:
                        text = mutate(s, change)
                    except (AttributeError, TypeError):
                        continue  # the sample lacks what this mutation changes (find() gave None)
                    src = self.write("mutated.xml", text)
                    self.check_lossless(src, "southwark", "kent")
                    self.check_strict_form(src, "southwark", "kent", KENT_SECTIONS, "pep")

    def test_cdata_comments_and_entities_in_text(self):
        text = read("samples/kent-early-years.xml").decode("utf-8")
        text = text.replace("<childsViewsUsed>", "<childsViewsUsed><![CDATA[<b>bold</b> & ]]>so<!-- a note -->me &amp; &#x1F600; ", 1)
        text = text.replace("<enjoys>", "<enjoys><?pi data?>", 1)
        src = self.write("cdata.xml", text)
        self.check_lossless(src, "southwark", "kent")
        rep = self.check_strict_form(src, "southwark", "kent", KENT_SECTIONS, "pep")
        self.assertIn(("D", "childsViewsUsed"), [(g["section"], f["field"]) for g in rep["groups"] for f in g["fields"]])
        out = self.convert("southwark", src).out
        self.assertIn("<enjoys>", out)
        self.assertNotIn("<?pi", out)

    def test_review_form_is_chosen_when_it_holds_everything(self):
        text = mutate("samples/southwark-review-primary.xml",
                      lambda r: remove(r, "educationInformation/previousSchools"))
        src = self.write("review.xml", text)
        r = self.convert("southwark", src)
        self.assertIn("<pepReview xmlns=\"%s\">" % SW_NS, r.out)
        r = self.convert("southwark", "samples/southwark-review-primary.xml")
        self.assertIn("<pep xmlns=\"%s\">" % SW_NS, r.out)

    def test_fourth_target_is_carried_whole(self):
        src = self.write("four.xml", mutate("samples/kent-review-y10-ehcp.xml", add_fourth_target))
        r = self.convert("southwark", src, None, "--format", "json", "--show-values")
        rep = report(r.err)
        g = {x["label"]: x for x in rep["groups"]}["target"]
        self.assertEqual(g["element"], "pepMeeting/targets/target")
        self.assertIn("targets/target[4]/description", [f["field"] for f in g["fields"]])
        self.assertIn("Southwark's form holds three targets", g["advice"])
        self.assertFalse([f for g in rep["groups"] for f in g["fields"]
                          if f["field"].startswith("targets/target[3]/") and "@" not in f["field"]])
        self.assertIn('<element parent="/pep/pepMeeting[1]/targets[1]" path="/pep/pepMeeting[1]/targets[1]/target[4]"', r.out)

    def test_edited_form_keeps_its_edits_and_reports_what_cannot_go_back(self):
        """A Southwark form edited after the conversion: the form's values
        win, and a carried value whose place is gone is reported lost."""
        mid = os.path.join(self.tmp, "mid.xml")
        self.convert("southwark", "samples/kent-review-y10-ehcp.xml", mid)
        text = read(mid).decode("utf-8")
        # The school's designated teacher is taken off the form.
        text = re.sub(r"<designatedTeacher>.*?</designatedTeacher>", "", text, count=1, flags=re.S)
        edited = self.write("edited.xml", text)
        out = os.path.join(self.tmp, "back.xml")
        r = self.convert("kent", edited, out, "--format", "json", "--show-values")
        rep = report(r.err)
        groups = {g["label"]: g for g in rep["groups"]}
        g = groups["designated teacher is a qualified teacher"]
        self.assertEqual((g["section"], g["unrestored"], g["why"]), ("A", True, "place"))
        self.assertEqual([(f["field"], f["value"]) for f in g["fields"]],
                         [("essentialInformation[1]/school[1]/designatedTeacher[1]/qualifiedTeacher[1]", "yes")])
        self.assertIn("is no longer on the form: enter it again by hand", g["advice"])
        # The form changed, so what certified it is not put back either.
        self.assertEqual({l for l, g in groups.items() if g["why"] == "form"}, {"workflow history", "quality assurance"})
        self.assertEqual((rep["restored"], rep["unrestored"]), (6, 16))
        self.assertIn("; 6 carried values are put back; 16 carried values are not put back: ", rep["summary"])
        self.assertNotIn(b"<designatedTeacher>", read(out))
        self.assertNotIn(b"<stateHistory>", read(out))


def edited_form(test, change, sample="samples/kent-review-y10-ehcp.xml"):
    """The sample converted to Southwark's form, then changed by change(text)
    (a person editing the form), in a file."""
    mid = os.path.join(test.tmp, "form.xml")
    test.convert("southwark", sample, mid)
    text = read(mid).decode("utf-8")
    changed = change(text)
    test.assertNotEqual(changed, text)
    return test.write("edited.xml", changed)


def targets_of(raw):
    """[(description, words)] of the targets of a canonical PEP (bytes)."""
    root = ET.fromstring(raw)
    return [(t.find(q("description")).text, t.find(q("description")).get("words"))
            for t in root.iter("{%s}target" % NS) if t.find(q("description")) is not None]


class Bindings(ConvertTest):
    """Each carried value is bound to what it belongs to on the form (a
    target's description, the meeting's date) and the workflow history and
    quality assurance to the whole form: converting back puts a value back
    only while what it belongs to is unchanged, and reports the others."""

    def back(self, edited, *extra):
        out = os.path.join(self.tmp, "back.xml")
        r = self.convert("kent", edited, out, "--format", "json", *extra)
        return read(out), report(r.err)

    def test_a_deleted_target_moves_no_words_onto_another(self):
        def drop_first_target(text):
            start = text.index("<target>", text.index("<targets>"))
            end = text.index("</target>", start) + len("</target>")
            return text[:start] + text[end:]
        original = dict(targets_of(read("samples/kent-review-y10-ehcp.xml")))
        out, rep = self.back(edited_form(self, drop_first_target))
        kept = targets_of(out)
        self.assertEqual(len(kept), 2)
        for description, words in kept:
            # No target says whose words it is in unless it said so itself.
            self.assertIn(words, (None, original[description]), description)
        words = [g for g in rep["groups"] if g["element"] == "pepMeeting/targets/target/description/@words"]
        self.assertEqual(sum(g["values"] for g in words), 3)
        self.assertTrue(all(g["unrestored"] for g in words))
        self.assertEqual(sorted(g["why"] for g in words), ["owner", "place"])
        text = self.convert("kent", self.tmp + "/edited.xml").err
        self.assertIn("not restored: section D, whose words the target is in (lines ", text)
        self.assertIn("the target's description on the form has changed since it was converted", text)

    def test_a_changed_description_loses_only_its_own_words(self):
        original = targets_of(read("samples/kent-review-y10-ehcp.xml"))
        edited = edited_form(self, lambda t: t.replace(original[1][0], "A new second target.", 1))
        out, rep = self.back(edited)
        kept = targets_of(out)
        self.assertEqual([w for _, w in kept], [original[0][1], None, original[2][1]])
        g = [g for g in rep["groups"] if g["element"] == "pepMeeting/targets/target/description/@words"]
        self.assertEqual([(x["why"], x["values"]) for x in g], [("owner", 1)])

    def test_a_changed_meeting_puts_back_no_sign_off_quality_assurance_or_history(self):
        out, rep = self.back(edited_form(self, lambda t: t.replace("<date>2026-03-11</date>", "<date>2026-09-16</date>", 1)))
        for name in (b"<stateHistory>", b"<qualityAssurance>", b"<childsViewsUsed>"):
            self.assertNotIn(name, out)
        # What belongs to parts of the form that did not change goes back.
        self.assertIn(b"<qualifiedTeacher>yes</qualifiedTeacher>", out)
        self.assertIn(b"<senPupilViewFormUsed>yes</senPupilViewFormUsed>", out)
        self.assertEqual([w for _, w in targets_of(out)], [w for _, w in targets_of(read("samples/kent-review-y10-ehcp.xml"))])
        why = {g["label"]: g["why"] for g in rep["groups"]}
        self.assertEqual(why, {"workflow history": "form", "quality assurance": "form",
                               "how the child's views were used": "owner"})
        advice = {g["label"]: g["advice"] for g in rep["groups"]}
        self.assertIn("sign the PEP off again (and quality-assure it, where the LA does)", advice["workflow history"])
        self.assertIn("the meeting's date on the form has changed", advice["how the child's views were used"])
        self.assertIn("quality assurance", [m["label"] for m in rep["missing"]])  # rule D10 will say so too
        self.assertEqual((rep["restored"], rep["unrestored"]), (6, 16))

    def test_reading_a_changed_form_says_what_stays_out(self):
        """validate (and every command that reads the form) says that carried
        parts were not put back, at the carried block's line."""
        edited = edited_form(self, lambda t: t.replace("<date>2026-03-11</date>", "<date>2026-09-16</date>", 1))
        block = [i + 1 for i, l in enumerate(read(edited).decode("utf-8").splitlines()) if "<carried " in l][0]
        r = pep("validate", "--as-of", "2026-07-17", "--format", "json", edited)
        conv = [d for d in r.json()["files"][0]["diagnostics"] if d["rule"] == "CONV"]
        self.assertEqual([(d["severity"], d["line"]) for d in conv], [("warning", block)])
        self.assertIn("3 of the parts carried at the end of this file are not put back", conv[0]["message"])
        self.assertIn("pep convert --to kent lists them", conv[0]["message"])
        r = pep("validate", "--as-of", "2026-07-17", "--format", "json", edited_form(self, lambda t: t + "\n"))
        self.assertEqual([d for d in r.json()["files"][0]["diagnostics"] if d["rule"] == "CONV"], [])

    def test_an_unchanged_form_puts_everything_back(self):
        out, rep = self.back(edited_form(self, lambda t: t.replace("<forenames>", "<!-- a note -->\n<forenames>", 1)))
        self.assertEqual((rep["restored"], rep["unrestored"]), (22, 0))
        self.assertEqual(data(out), data(read("samples/kent-review-y10-ehcp.xml")))

    def test_a_block_that_says_nothing_of_what_it_belongs_to_is_not_trusted(self):
        def unbind(text):
            return re.sub(r' (owner|fp|bound|digest)="[^"]*"', "", text)
        out, rep = self.back(edited_form(self, unbind))
        self.assertEqual((rep["restored"], rep["unrestored"]), (0, 22))
        self.assertEqual({g["why"] for g in rep["groups"]}, {"unbound"})
        self.assertNotIn(b"<stateHistory>", out)

    @unittest.skipUnless(shutil.which("xsltproc"), "xsltproc is not installed")
    def test_xsltproc_puts_back_the_same(self):
        for change in (lambda t: t.replace("<date>2026-03-11</date>", "<date>2026-09-16</date>", 1),
                       lambda t: t.replace("<forenames>", "<!-- a note -->\n<forenames>", 1)):
            edited = edited_form(self, change)
            mine, _ = self.back(edited)
            r = subprocess.run(["xsltproc", "--nonet", TO_KENT, edited], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, mine)


class LaterCanonicalSchema(ConvertTest):
    """A later canonical schema adds a field (here a script mark on the legal
    name and a nameInScript element) that the stylesheet does not know: it
    has no place on Southwark's form, so it is carried and comes back."""

    def test_fields_the_stylesheet_does_not_know_are_carried(self):
        data_dir = os.path.join(self.tmp, "data")
        shutil.copytree(os.path.join(ROOT, "schemas"), os.path.join(data_dir, "schemas"))
        shutil.copytree(os.path.join(ROOT, "stylesheets"), os.path.join(data_dir, "stylesheets"))
        xsd = os.path.join(data_dir, "schemas", "pep.xsd")
        with open(xsd, encoding="utf-8") as f:
            text = f.read()
        legal = text.index('<xs:element name="legalName"')
        end = text.index("</xs:sequence>", legal) + len("</xs:sequence>")
        text = text[:end] + '<xs:attribute name="script" type="xs:token" use="optional"/>' + text[end:]
        after = text.index("</xs:element>", text.index("</xs:complexType>", legal)) + len("</xs:element>")
        text = text[:after] + '<xs:element name="nameInScript" type="Line" minOccurs="0"/>' + text[after:]
        with open(xsd, "w", encoding="utf-8") as f:
            f.write(text)
        pep_text = read("samples/kent-early-years.xml").decode("utf-8")
        pep_text = re.sub(r"<legalName( [^>]*)?>", r'<legalName\1 script="Latn">', pep_text, count=1)
        pep_text = pep_text.replace("</legalName>", "</legalName>\n      <nameInScript>Nguyễn Mai Anh</nameInScript>", 1)
        src = self.write("later.xml", pep_text)
        env = {"PEP_DATADIR": data_dir}
        mid, end_ = os.path.join(self.tmp, "mid.xml"), os.path.join(self.tmp, "end.xml")
        r = pep("convert", "--to", "southwark", src, "-o", mid, "--format", "json", env=env)
        self.assertEqual(r.code, 0, r)
        groups = {g["element"]: g for g in report(r.err)["groups"]}
        self.assertIn("essentialInformation/personal/legalName/@script", groups)
        self.assertIn("essentialInformation/personal/nameInScript", groups)
        self.assertTrue(groups["essentialInformation/personal/nameInScript"]["carried"])
        self.assertNotIn(b"<nameInScript>", read(mid).split(b"<carried")[0])
        r = pep("convert", "--to", "kent", mid, "-o", end_, env=env)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(data(read(end_)), data(read(src)))


class Xsltproc(ConvertTest):
    """An LA applying the stylesheets with plain xsltproc gets the same bytes,
    and the same report."""

    @classmethod
    def setUpClass(cls):
        if not shutil.which("xsltproc"):
            raise unittest.SkipTest("xsltproc is not installed")

    def xsltproc(self, sheet, path, *params):
        r = subprocess.run(["xsltproc", "--nonet"] + list(params) + [sheet, path], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def pep_bytes(self, to, path, *extra):
        out = os.path.join(self.tmp, "out.xml")
        r = self.convert(to, path, out, *extra)
        return read(out), r

    def check(self, to, sheet, path):
        for extra, params in (([], []), (["--strict-form"], ["--stringparam", "carry", "no"])):
            mine, r = self.pep_bytes(to, path, "--format", "json", "--show-values", *extra)
            self.assertEqual(self.xsltproc(sheet, path, *params), mine, path)
            # The report: the same items, in the same order.
            root = ET.fromstring(self.xsltproc(sheet, path, "--stringparam", "report", "losses"))
            items = [(e.get("section"), e.get("field"), e.get("value") or e.get("reason"))
                     for e in root if e.tag in ("{%s}lost" % REPORT_NS, "{%s}missing" % REPORT_NS)]
            rep = report(r.err)
            lost = [(g["section"], f["field"], f["value"]) for g in rep["groups"] for f in g["fields"]]
            self.assertEqual(sorted(items), sorted(lost + [(m["section"], m["field"], m["reason"]) for m in rep["missing"]]))
            # Standard output gives the same bytes as -o.
            self.assertEqual(self.convert(to, path, None, *extra).out.encode("utf-8"), mine)

    def test_kent_samples(self):
        for s in samples():
            with self.subTest(sample=s):
                self.check("southwark", TO_SW, s)

    def test_southwark_samples(self):
        for s in southwark_samples():
            with self.subTest(sample=s):
                self.check("kent", TO_KENT, s)

    def test_the_carried_block_goes_back_with_xsltproc_too(self):
        s = "samples/kirklees-post16-neet.xml"
        mid = self.write("mid.xml", self.xsltproc(TO_SW, s).decode("utf-8"))
        self.assertEqual(data(self.xsltproc(TO_KENT, mid)), data(read(s)))


class Validity(ConvertTest):
    def test_southwark_pep_converted_passes_validate_with_its_profile(self):
        for s in southwark_samples():
            with self.subTest(sample=s):
                out = os.path.join(self.tmp, "kent.xml")
                self.convert("kent", s, out)
                with open(out, encoding="utf-8") as f:
                    la = re.search(r'<localAuthority code="([a-z-]+)"', f.read()).group(1)
                self.assertEqual(la, "kent" if "kent-child" in s else "southwark")
                # Passes: no error. Warnings may remain for what Southwark's
                # form does not record (D11: whether the designated teacher
                # is qualified; the review form keeps no school history, B11).
                r = pep("validate", "--la", la, "--as-of", "2026-07-17", "--format", "json", out)
                self.assertEqual(r.code, 0, r)
                rules = {d["rule"] for d in r.json()["files"][0]["diagnostics"]}
                self.assertLessEqual(rules, {"D11", "B11", "T11"}, r)
                r = pep("validate", "--as-of", "2026-07-17", out)  # the document's own LA
                self.assertEqual(r.code, 0, r)

    @unittest.skipUnless(shutil.which("xmllint"), "xmllint is not installed")
    def test_outputs_pass_xmllint_against_the_target_schema(self):
        for s in samples() + southwark_samples():
            with self.subTest(sample=s):
                to, xsd = ("kent", "schemas/pep.xsd") if "/southwark/" in s else ("southwark", "schemas/southwark.xsd")
                out = os.path.join(self.tmp, "out.xml")
                self.convert(to, s, out)
                r = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", xsd, out], cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                self.assertEqual(r.returncode, 0, r.stderr)

    def test_southwark_samples_use_every_element_of_the_schema(self):
        import sys
        sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
        import schema_coverage as sc
        schema = sc.Schema(os.path.join(ROOT, "schemas", "southwark.xsd"))

        def collapse(p):  # the three forms share their sections
            p = re.sub(r"^(pep|pepReview|pepNoProvision)(/|$)", r"*\2", p)
            return p.replace("/schoolUpdate", "/schoolInformation")
        declared = {collapse(p) for p in schema.paths()}
        used = set()
        for s in southwark_samples():
            used |= {collapse(p) for p in sc.used_paths(os.path.join(ROOT, s), schema.tns)}
        self.assertEqual(sorted(declared - used), [])
        self.assertEqual(sorted(used - declared), [])

    def test_unicode_names_survive_both_ways(self):
        for s, names in (("samples/southwark/southwark-no-provision.xml", ["Nguyễn", "Phạm Thu Hà", "Đặng Minh Quân"]),
                         ("samples/southwark/kent-child-post16-on-southwark-form.xml", ["Þórunn Ísold", "Magnúsdóttir"]),
                         ("samples/southwark/southwark-secondary-ehcp.xml", ["Joaquín", "Wiśniewska"])):
            mid = os.path.join(self.tmp, "k.xml")
            self.convert("kent", s, mid)
            back = self.convert("southwark", mid).out
            with open(mid, encoding="utf-8") as f:
                kent = f.read()
            for n in names:
                self.assertIn(n, kent)
                self.assertIn(n, back)


class Errors(ConvertTest):
    def test_invalid_input_exit_1_and_nothing_written(self):
        out = os.path.join(self.tmp, "out.xml")
        r = self.convert("southwark", "samples/invalid/sdq-45.xml", out, code=1)
        self.assertIn("samples/invalid/sdq-45.xml:25: error: [XSD] SDQ score", r.err)
        self.assertFalse(os.path.exists(out))
        self.assertEqual(r.out, "")

    def test_unknown_namespace_is_an_invalid_input(self):
        r = self.convert("kent", "samples/invalid/wrong-namespace.xml", code=1)
        self.assertIn("pep converts the Kent (canonical) format", r.err)

    def test_same_format_says_so(self):
        r = self.convert("kent", "samples/kent-early-years.xml", code=2)
        self.assertIn("already in the Kent (canonical) format", r.err)
        r = self.convert("southwark", "samples/southwark/southwark-review-form.xml", code=2)
        self.assertIn("already in Southwark's PEP form", r.err)

    def test_strict_refuses_any_value_left_out(self):
        out = os.path.join(self.tmp, "out.xml")
        r = self.convert("southwark", "samples/kent-early-years.xml", out, "--strict", "--strict-form", code=1)
        self.assertIn("\nlost: ", r.err)
        self.assertIn("would be left out of Southwark's PEP form (--strict): nothing written", r.err)
        self.assertFalse(os.path.exists(out))
        # What is carried is not left out.
        self.convert("southwark", "samples/kent-early-years.xml", out, "--strict")
        self.assertIn(b"<carried ", read(out))

    def test_output_replaces_an_existing_file_only_with_force_and_a_failure_keeps_it(self):
        out = self.write("out.xml", "previous good file\n")
        r = self.convert("southwark", "samples/kent-early-years.xml", out, code=2, force=False)
        self.assertIn("out.xml already exists; use --force to replace it", r.err)
        with open(out, encoding="utf-8") as f:
            self.assertEqual(f.read(), "previous good file\n")
        self.convert("southwark", "samples/kent-early-years.xml", out)
        with open(out, encoding="utf-8") as f:
            self.assertIn("<pep xmlns=\"%s\">" % SW_NS, f.read())
        self.write("out.xml", "previous good file\n")
        self.convert("southwark", "samples/invalid/sdq-45.xml", out, code=1)
        with open(out, encoding="utf-8") as f:
            self.assertEqual(f.read(), "previous good file\n")
        self.assertEqual(os.listdir(self.tmp), ["out.xml"])

    def test_output_cannot_be_the_input(self):
        src = self.write("in.xml", open(os.path.join(ROOT, "samples/kent-early-years.xml"), encoding="utf-8").read())
        r = self.convert("southwark", src, src, code=2)
        self.assertIn("in.xml is a file this command reads: writing the output there would destroy it", r.err)

    def test_unwritable_output_is_exit_2(self):
        r = self.convert("southwark", "samples/kent-early-years.xml", os.path.join(self.tmp, "no", "such", "dir", "o.xml"),
                         code=2)
        self.assertIn("pep convert: ", r.err)

    def test_missing_type_of_pep_is_reported_not_invented(self):
        with open(os.path.join(ROOT, "samples/southwark/southwark-secondary-ehcp.xml"), encoding="utf-8") as f:
            text = f.read().replace("<pepType>review</pepType>", "")
        out = os.path.join(self.tmp, "out.xml")
        r = self.convert("kent", self.write("no-type.xml", text), out, code=1)
        self.assertIn("missing: header, kind of PEP: the form does not say whether this is a first, review or new-school PEP", r.err)
        self.assertIn("nothing is written", r.err)
        self.assertFalse(os.path.exists(out))


class Docs(unittest.TestCase):
    def test_synopsis_is_in_the_man_page_and_the_readme(self):
        r = pep("convert", "--help")
        self.assertEqual(r.code, 0, r)
        synopsis = r.out.splitlines()[0][len("usage: "):]
        self.assertTrue(synopsis.startswith("pep convert --to FORMAT"), synopsis)
        with open(os.path.join(ROOT, "docs", "pep.1"), encoding="utf-8") as f:
            man = f.read().replace("\\-", "-")
        self.assertIn(".B " + synopsis + "\n", man)
        with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
            self.assertIn(synopsis, f.read())


SECRET = "PEP-SECRET-3f9a"


class Hostile(ConvertTest):
    """Nothing a document holds makes pep read, write or fetch anything."""

    def evil_stylesheet(self, marker):
        return self.write("evil.xsl", """<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:exsl="http://exslt.org/common" extension-element-prefixes="exsl">
 <xsl:template match="/"><exsl:document href="%s"><x>pwned</x></exsl:document>
  <xsl:value-of select="document('%s')"/></xsl:template></xsl:stylesheet>""" % (marker, self.secret()))

    def secret(self):
        return self.write("secret.txt", SECRET + "\n")

    def sample_text(self):
        with open(os.path.join(ROOT, "samples/kent-early-years.xml"), encoding="utf-8") as f:
            return f.read()

    def test_stylesheet_processing_instruction_is_ignored(self):
        marker = os.path.join(self.tmp, "pwned.xml")
        sheet = self.evil_stylesheet(marker)
        text = self.sample_text().replace("<pep xmlns", '<?xml-stylesheet type="text/xsl" href="%s"?>\n<pep xmlns' % sheet, 1)
        r = self.convert("southwark", self.write("pi.xml", text))
        self.assertEqual(r.out, self.convert("southwark", "samples/kent-early-years.xml").out)
        self.assertFalse(os.path.exists(marker))
        self.assertNotIn(SECRET, r.out + r.err)

    def test_xsl_elements_in_the_document_are_invalid(self):
        marker = os.path.join(self.tmp, "pwned.xml")
        payload = ('<xsl:value-of xmlns:xsl="http://www.w3.org/1999/XSL/Transform" select="document(\'%s\')"/>'
                   '<exsl:document xmlns:exsl="http://exslt.org/common" href="%s">x</exsl:document>'
                   % (self.secret(), marker))
        text = self.sample_text().replace("<enjoys>", "<enjoys>" + payload, 1)
        out = os.path.join(self.tmp, "out.xml")
        r = self.convert("southwark", self.write("xsl.xml", text), out, code=1)
        self.assertIn("[XSD]", r.err)
        self.assertFalse(os.path.exists(marker) or os.path.exists(out))
        self.assertNotIn(SECRET, r.out + r.err)

    def test_exsl_document_looking_text_is_only_text(self):
        marker = os.path.join(self.tmp, "pwned.xml")
        payload = '&lt;exsl:document href="%s"&gt;pwned&lt;/exsl:document&gt; {document(\'%s\')}' % (marker, self.secret())
        text = self.sample_text().replace("<enjoys>", "<enjoys>" + payload, 1)
        r = self.convert("southwark", self.write("text.xml", text))
        self.assertIn('&lt;exsl:document href="%s"&gt;pwned' % marker, r.out)
        self.assertFalse(os.path.exists(marker))
        self.assertNotIn(SECRET, r.out + r.err)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["secret.txt", "text.xml"])

    def test_doctype_is_refused(self):
        text = self.sample_text().replace("<pep xmlns", '<!DOCTYPE pep [<!ENTITY x SYSTEM "file://%s">]>\n<pep xmlns'
                                          % self.secret(), 1).replace("<enjoys>", "<enjoys>&x;", 1)
        r = self.convert("southwark", self.write("xxe.xml", text), code=1)
        self.assertIn("DOCTYPE", r.err)
        self.assertNotIn(SECRET, r.out + r.err)

    def test_absurdly_repetitive_document_is_refused_quickly(self):
        # 198,000 elements: under the parser's limit of 200,000 (which
        # refuses more before any transformation), so the bound on the
        # transformation's own work is what stops it.
        big = ('<pep xmlns="%s"><header><localAuthority code="kent">Kent</localAuthority><kind>review</kind>'
               '<stateHistory>%s</stateHistory></header><essentialInformation/><educationInformation/>'
               '<youngPersonsViews/><pepMeeting/></pep>\n' % (NS, "<change><state>draft</state></change>" * 99000))
        src = self.write("big.xml", big)
        t0 = time.monotonic()
        r = self.convert("southwark", src, code=2)
        self.assertLess(time.monotonic() - t0, 30 * SLOWDOWN)
        self.assertIn("far larger or more repetitive than a PEP", r.err)

    def test_a_forged_carried_item_is_reported_without_quoting_it(self):
        """A hand-edited carried block: what it says is never printed
        without --show-values, only where it is."""
        forged = ('<attribute parent="/pep/pepMeeting[1]/targets[1]/target[9]/Amelia-Smith-disclosed-abuse&#10;x.xml:1: '
                  'error: [X] forged\u009b31m\u202e" name="words">school</attribute>\n'
                  '<element parent="/pep/header[1]" path="/pep/header[1]/AmeliaSmithSecret[1]" after=" ">'
                  '<AmeliaSmithSecret xmlns="%s">Amelia Smith told her teacher</AmeliaSmithSecret></element>\n' % NS)
        edited = edited_form(self, lambda t: t.replace("</carried>", forged + "</carried>", 1))
        lines = read(edited).decode("utf-8").splitlines()
        where = [i + 1 for i, l in enumerate(lines) if "Amelia" in l]
        for extra in ([], ["--format", "json"]):
            r = self.convert("kent", edited, os.path.join(self.tmp, "back.xml"), *extra)
            for secret in ("Amelia", "forged", "disclosed", "\u009b", "\u202e", "\\u009b", "\\u202e", "school"):
                self.assertNotIn(secret, r.err, extra)
        self.assertIn("not restored: unrecognised carried items on lines %d, %d: 2 values; " % tuple(where),
                      self.convert("kent", edited, os.path.join(self.tmp, "back.xml")).err)
        rep = report(r.err)
        g = [g for g in rep["groups"] if g["why"] == "unrecognised"]
        self.assertEqual([(x["label"], x["element"], x["section"], x["values"]) for x in g],
                         [("unrecognised carried items", None, "", 2)])
        self.assertNotIn(b"Amelia", read(os.path.join(self.tmp, "back.xml")))
        # Asked for, the values are shown, and nothing else of the item.
        r = self.convert("kent", edited, os.path.join(self.tmp, "back.xml"), "--format", "json", "--show-values")
        self.assertNotIn("disclosed", r.err)
        fields = [f for x in report(r.err)["groups"] if x["why"] == "unrecognised" for f in x["fields"]]
        self.assertEqual(sorted((f["field"], f["value"], f["line"]) for f in fields),
                         sorted([(None, "school", where[0]), (None, "Amelia Smith told her teacher", where[1])]))

    def test_a_carried_value_the_result_cannot_hold_is_refused_without_quoting_it(self):
        edited = edited_form(self, lambda t: t.replace("<date>2026-03-24</date>\n        <grade>",
                                                         "<date>Amelia-Smith-2026</date>\n        <grade>", 1))
        out = os.path.join(self.tmp, "back.xml")
        for extra in ([], ["--format", "json"]):
            r = self.convert("kent", edited, out, *extra, code=1)
            self.assertIn("quality assurance date (value not shown) is not valid", r.err)
            self.assertNotIn("Amelia", r.err)
            self.assertFalse(os.path.exists(out))

    def test_a_huge_hand_made_carried_block_is_dealt_with_quickly(self):
        """Thousands of carried items (most bound to the same places) in a
        file under 1 MB: converted or refused within seconds, quoting none."""
        items = "".join('<attribute parent="/pep/header[1]" name="secretName%d" owner="/pep/header[1]" fp="0">v%d</attribute>\n'
                        '<element parent="/pep/pepMeeting[1]" path="/pep/pepMeeting[1]/secretPart[%d]" after=" " '
                        'owner="/pep/pepMeeting[1]/date[1]" fp="0"><secretPart xmlns="%s">v</secretPart></element>\n'
                        % (i, i, i, NS) for i in range(3000))
        edited = edited_form(self, lambda t: t.replace("</carried>", items + "</carried>", 1))
        self.assertLess(os.path.getsize(edited), 1 << 20)
        t0 = time.monotonic()
        r = self.convert("kent", edited, os.path.join(self.tmp, "back.xml"), code=None)
        self.assertLess(time.monotonic() - t0, 20 * SLOWDOWN)
        self.assertIn(r.code, (0, 2), r)
        self.assertNotIn("secret", r.err)

    def test_control_characters_in_a_lost_value_are_not_printed(self):
        text = self.sample_text().replace("<childsViewsUsed>", "<childsViewsUsed>\u009b31m\u0085", 1)
        r = self.convert("southwark", self.write("c1.xml", text), None, "--show-values")
        line = [l for l in r.err.splitlines() if l.startswith("  line 244: ")][0]
        self.assertNotIn("\u009b", r.err)
        self.assertIn('"?31m?', line)
        # The JSON report escapes them.
        r = self.convert("southwark", self.write("c1.xml", text), None, "--show-values", "--format", "json")
        self.assertNotIn("\u009b", r.err)
        self.assertIn("\\u009b31m\\u0085", r.err)
        self.assertIn("\u009b31m\u0085", "".join(f["value"] for g in report(r.err)["groups"] for f in g["fields"]))


if __name__ == "__main__":
    unittest.main()
