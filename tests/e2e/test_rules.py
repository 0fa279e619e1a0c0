"""Every rule of the catalogue has a fixture that triggers it and one that
passes it (tests/rules/cases.py); a rule added without both fails here.
Triggers assert the exact id, the severity for the LA's profile, and the
line of the element judged. The rule set and the profiles are taken from
`pep rules --format json`, never written out here."""
import glob
import json
import os
import re
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pepedit
from peptest import ROOT, pep, samples

sys.path.insert(0, os.path.join(ROOT, "tests", "rules"))
import cases  # noqa: E402

AS_OF = "2026-07-17"
LAC = "essentialInformation/care/becameLookedAfter"


def catalogue_json():
    r = pep("rules", "--format", "json")
    assert r.code == 0, r
    return r.json()


def catalogue():
    return {x["id"]: x for x in catalogue_json()["rules"]}


def profile_of(la):
    """The profile code pep applies to a document of LA la."""
    profiles = catalogue_json()["profiles"]
    codes = {p["code"] for p in profiles if not p["default"]}
    return la if la in codes else [p["code"] for p in profiles if p["default"]][0]


class RuleFixtures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rules = catalogue()
        cls.profile_of = staticmethod(profile_of)
        cls.tmp = tempfile.TemporaryDirectory(prefix="pep-rules-")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_rule_has_a_trigger_and_a_pass(self):
        for rid in self.rules:
            with self.subTest(rule=rid):
                kinds = {c["expect"] for c in cases.CASES if c["rule"] == rid}
                self.assertEqual(kinds, {"trigger", "pass"}, "rule %s needs a trigger and a pass fixture" % rid)
        for c in cases.CASES:
            self.assertIn(c["rule"], self.rules)

    def run_case(self, n, c):
        root = pepedit.load(os.path.join(ROOT, "samples", c["base"]))
        pepedit.apply(root, c["edits"])
        text = pepedit.serialise(root)
        path = os.path.join(self.tmp.name, "%s-%d.xml" % (c["rule"], n))
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        args = ["validate", "--format", "json", "--as-of", c.get("as_of", AS_OF), "--stage", c.get("stage", "signoff"), path]
        r = pep(*args)
        self.assertIn(r.code, (0, 1), r)
        doc = r.json()["files"][0]
        diags = [d for d in doc["diagnostics"] if d["rule"] == c["rule"]]
        self.assertFalse([d for d in doc["diagnostics"] if d["rule"] in ("XML", "XSD")], "fixture is not schema-valid: %r" % doc)
        if c["expect"] == "pass":
            self.assertEqual(diags, [], "%s should pass: %r" % (c["rule"], diags))
            return
        self.assertTrue(diags, "%s should trigger; got %r" % (c["rule"], doc["diagnostics"]))
        rule = self.rules[c["rule"]]
        profile = self.profile_of(doc["la"])
        severity = "error" if profile in rule["error_in"] else rule["severity"]
        line = pepedit.line_of(root, text, c["line"])
        self.assertIn((severity, line), [(d["severity"], d["line"]) for d in diags],
                      "%s: want %s on line %d (%s); got %r" % (c["rule"], severity, line, c["line"], diags))
        expected_section = rule["section"]
        for d in diags:
            self.assertEqual(d["section"], expected_section)

    def test_fixtures(self):
        for n, c in enumerate(cases.CASES):
            with self.subTest(rule=c["rule"], expect=c["expect"], n=n):
                self.run_case(n, c)


def free_text_fields():
    """The names of the canonical schema's elements that hold free text
    (types Line and Text, and those extending them), but for names that
    some declaration gives another type."""
    xs = "{http://www.w3.org/2001/XMLSchema}"
    schema = ET.parse(os.path.join(ROOT, "schemas", "pep.xsd")).getroot()
    free_types = {"Line", "Text"}
    for ct in schema.iter(xs + "complexType"):
        ext = ct.find(xs + "simpleContent/" + xs + "extension")
        if ct.get("name") and ext is not None and ext.get("base") in free_types:
            free_types.add(ct.get("name"))
    free, other = set(), set()
    for el in schema.iter(xs + "element"):
        name, kind = el.get("name"), el.get("type")
        if not name:
            continue
        if kind is None:
            ext = el.find(xs + "complexType/" + xs + "simpleContent/" + xs + "extension")
            kind = ext.get("base") if ext is not None else None
        (free if kind in free_types else other).add(name)
    return free - other


def trigger_files(tmp, mark=False):
    """Every trigger fixture of tests/rules/cases.py written under tmp, in a
    folder per (as-of date, stage): {(as_of, stage): [(path, rule)]}. With
    mark, each free-text field that holds text gets a marker of its own
    appended (QZM0001X, ...)."""
    names = free_text_fields() if mark else set()
    groups, marks = {}, 0
    for n, c in enumerate(cases.CASES):
        if c["expect"] != "trigger":
            continue
        root = pepedit.load(os.path.join(ROOT, "samples", c["base"]))
        pepedit.apply(root, c["edits"])
        for el in root.iter():
            if isinstance(el.tag, str) and el.tag.split("}")[-1] in names and len(el) == 0 and (el.text or "").strip():
                marks += 1
                el.text += " QZM%04dX" % marks
        key = (c.get("as_of", AS_OF), c.get("stage", "signoff"))
        folder = os.path.join(tmp, "%s-%s" % key)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "%s-%d.xml" % (c["rule"], n))
        with open(path, "w", encoding="utf-8") as f:
            f.write(pepedit.serialise(root))
        groups.setdefault(key, []).append((path, c["rule"]))
    return groups


class BatchReportsQuoteNoText(unittest.TestCase):
    """docs/security.md, promise 6: pep check quotes nothing from a file.
    Every rule's triggering fixture, with a marker appended to each of its
    free-text fields, is checked in one batch per stage and as-of date; no
    marker may appear in the text, JSON or CSV report, and each fixture's
    rule must still be reported (its message was written)."""

    def test_no_free_text_in_any_report(self):
        with tempfile.TemporaryDirectory(prefix="pep-markers-") as tmp:
            groups = trigger_files(tmp, mark=True)
            # The markers are there to be found: validate quotes a subject.
            b05 = [p for files in groups.values() for p, rule in files if rule == "B05"]
            r = pep("validate", "--stage", "draft", "--as-of", AS_OF, *b05)
            self.assertRegex(r.out, r"attainment in Maths QZM\d{4}X has no current attainment")
            for (as_of, stage), files in sorted(groups.items()):
                folder = os.path.dirname(files[0][0])
                for fmt in ("text", "json", "csv"):
                    with self.subTest(stage=stage, as_of=as_of, format=fmt):
                        r = pep("check", "--format", fmt, "--as-of", as_of, "--stage", stage, "-j", "2", folder)
                        self.assertIn(r.code, (0, 1), r)
                        self.assertNotRegex(r.out + r.err, r"QZM\d{4}X")
                        if fmt != "json":
                            continue
                        reported = {os.path.basename(f["file"]): [d["rule"] for d in f["diagnostics"]]
                                    for f in r.json()["files"]}
                        for path, rule in files:
                            self.assertIn(rule, reported[os.path.basename(path)], path)
                            self.assertNotIn("XSD", reported[os.path.basename(path)], path)


class OtherFormsNameNoCanonicalPath(unittest.TestCase):
    """A PEP on Southwark's form is judged as the canonical PEP it converts
    to, but its messages must not send the reader to the canonical format's
    paths (header/pepHistory is form/previousPeps there): every rule's first
    triggering fixture, converted to Southwark's form, is validated, and no
    message may name a path or an element."""
    PATH = re.compile(r"[a-z][A-Za-z0-9]*/[a-z][A-Za-z0-9]*|<[a-zA-Z]+[ />]")

    def test_messages_on_another_form(self):
        firsts = {}
        for n, c in enumerate(cases.CASES):
            if c["expect"] == "trigger" and c["rule"] not in firsts:
                firsts[c["rule"]] = (n, c)
        with tempfile.TemporaryDirectory(prefix="pep-forms-") as tmp:
            def convert(item):
                rule, (n, c) = item
                root = pepedit.load(os.path.join(ROOT, "samples", c["base"]))
                pepedit.apply(root, c["edits"])
                kent = os.path.join(tmp, "%s-%d.xml" % (rule, n))
                with open(kent, "w", encoding="utf-8") as f:
                    f.write(pepedit.serialise(root))
                out = os.path.join(tmp, "southwark-%s-%d.xml" % (rule, n))
                r = pep("convert", "--to", "southwark", kent, "-o", out)
                return (c, out) if r.code == 0 else None
            with ThreadPoolExecutor(2) as pool:
                converted = [x for x in pool.map(convert, sorted(firsts.items())) if x]
            seen = set()
            for stage in ("draft", "signoff", "upload"):
                paths = [out for c, out in converted if c.get("stage", "signoff") == stage]
                r = pep("validate", "--format", "json", "--stage", stage, "--as-of", AS_OF, *paths)
                for f in r.json()["files"]:
                    self.assertEqual(f["format"], "southwark")
                    for d in f["diagnostics"]:
                        seen.add(d["rule"])
                        message = re.sub(r"docs/[\w.-]+", "", d["message"])  # the project's docs
                        self.assertNotRegex(message, self.PATH, "%s: %s" % (f["file"], d))
            # Enough of the catalogue was read on the other form to mean something.
            self.assertGreater(len(seen), 25, sorted(seen))


class SamplesPassTheRules(unittest.TestCase):
    def test_every_sample_passes_at_signoff_and_upload(self):
        for s in samples():
            for stage in ("signoff", "upload"):
                with self.subTest(sample=s, stage=stage):
                    r = pep("validate", "--strict", "--stage", stage, "--as-of", AS_OF, s)
                    self.assertEqual(r.code, 0, r)
                    self.assertEqual(r.out, "")

    def test_every_profile_is_exercised(self):
        las = set()
        for s in samples():
            r = pep("validate", "--format", "json", "--as-of", AS_OF, s)
            las.add(profile_of(r.json()["files"][0]["la"]))
        self.assertEqual(las, {p["code"] for p in catalogue_json()["profiles"]})


class Docs(unittest.TestCase):
    def test_docs_rules_md_is_the_markdown_output(self):
        r = pep("rules", "--format", "markdown")
        self.assertEqual(r.code, 0)
        with open(os.path.join(ROOT, "docs", "rules.md"), encoding="utf-8") as f:
            self.assertEqual(f.read(), r.out, "docs/rules.md is stale: run 'make docs'")

    def test_ids_are_grouped_and_numbered_in_order(self):
        """T, A, B, C, D, P, then CAL; in each group 01, 02, ... with no gap:
        what docs/rules.md promises, checked on whatever the list holds."""
        ids = list(catalogue())
        groups = [re.fullmatch(r"([A-Z]+)(\d\d)", i).groups() for i in ids]
        order = [g for g, _ in groups]
        engine = ["CAL", "CMT"]  # reported by the engine itself, after the rules
        self.assertEqual(sorted(set(order), key=order.index), [g for g in "TABCDP" if g in order] + engine)
        self.assertEqual(order, sorted(order, key=lambda g: "TABCDP".find(g) if g not in engine else 90 + engine.index(g)))
        for g in set(order):
            numbers = [int(n) for x, n in groups if x == g]
            self.assertEqual(numbers, list(range(1, len(numbers) + 1)), g)

    def test_the_docs_list_every_rule(self):
        with open(os.path.join(ROOT, "docs", "rules.md"), encoding="utf-8") as f:
            listed = re.findall(r"^\| ([A-Z]+\d\d) \|", f.read(), re.M)
        self.assertEqual(listed, list(catalogue()))


def c_code(path):
    """The C source at path without its comments (strings kept)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return re.sub(r'"(?:\\.|[^"\\\n])*"|/\*.*?\*/|//[^\n]*',
                  lambda m: m.group(0) if m.group(0).startswith('"') else " ", text, flags=re.S)


class OneList(unittest.TestCase):
    """A rule lives in one list (src/rules/rules_list.h) plus its check, and a
    local rule also in the profiles that apply it (src/rules/profile_list.h): no
    table, prototype or test repeats its id."""

    def test_each_id_is_in_the_list_and_its_check(self):
        src = {os.path.basename(p): c_code(p) for p in glob.glob(os.path.join(ROOT, "src", "**", "*.[ch]"), recursive=True)}
        listed = re.findall(r"^PEP_RULE(_REPORTED)?\((\w+),", src["rules_list.h"], re.M)
        rules = catalogue()
        self.assertEqual([i for _, i in listed], list(rules))
        for reported, rid in listed:
            with self.subTest(rule=rid):
                word = re.compile(r"(?<![A-Za-z0-9_])%s(?![A-Za-z0-9_])" % rid)
                where = sorted(f for f, code in src.items() if word.search(code))
                local = rules[rid]["error_in"] or len(rules[rid]["profiles"]) < len(catalogue_json()["profiles"])
                self.assertEqual(where, ["profile_list.h", "rules_list.h"] if local else ["rules_list.h"])
                self.assertEqual(len(word.findall(src["rules_list.h"])), 1)
                checks = [f for f, code in src.items()
                          if re.search(r"^void pep_check_%s\(pep_rule_ctx \*ctx\)$" % rid, code, re.M)]
                if reported:
                    self.assertEqual(checks, [])
                else:
                    self.assertEqual(len(checks), 1, checks)
                    self.assertRegex(checks[0], r"^rules_\w+\.c$")


class Messages(unittest.TestCase):
    """The exact words of messages a designated teacher must be able to act
    on: each names the value, the limit and the fix, and none contradicts
    its verdict."""
    KI = "kent-initial-unplanned-primary.xml"
    KR = "kent-review-y10-ehcp.xml"
    SIGNOFF = "pepMeeting/signOff/sectionComplete"
    SUBJECT = "educationInformation/attainment/subject[name=Maths]"
    CASES = [
        # A meeting on the bank holiday after the deadline is still only the
        # 10th school day: the deadline comes first, lateness in days.
        (KI, [("set", LAC, "2026-04-06"), ("set", "pepMeeting/date", "2026-05-04"),
              ("set", "youngPersonsViews/date", "2026-05-01")], "signoff", "T01",
         "initial PEP held 2026-05-04, after its deadline of 2026-05-01, the 10th school day after becoming looked "
         "after on 2026-04-06 (Kent allows 10 school days after an unplanned placement): 3 days late; if the dates "
         "are right, record in the meeting summary why it was late"),
        (KI, [("remove", SIGNOFF + "[4]")], "signoff", "T09",
         "section D is not marked complete (with a date), and its deadline was 2025-12-09 (the 10th school day "
         "after the meeting on 2025-11-25; Kent allows 10 school days), 220 days before 2026-07-17: mark it "
         "complete in pepMeeting/signOff"),
        (KI, [("remove", SIGNOFF + "/date")], "signoff", "D09",
         "the completion of sections A, B, C, D does not say when: fill in when each was marked complete (date) "
         "(pepMeeting/signOff/sectionComplete)"),
        (KI, [("remove", SIGNOFF + "[2]/by"), ("remove", SIGNOFF + "[3]/date"), ("remove", SIGNOFF + "[4]/by"),
              ("remove", SIGNOFF + "[4]/date")], "signoff", "D09",
         "the completion of section B does not say by whom; of section C, when; of section D, by whom or when: "
         "fill in who marked each complete (by) and when (date) (pepMeeting/signOff/sectionComplete)"),
        # T11's count for the year, in each LA's own words and source.
        (KR, [("set", "pepMeeting/date", "2026-06-10"), ("remove", "header/pepHistory")], "signoff", "T11",
         "1 PEP meeting is recorded in 2025-26, this summer-term one included: at least 2 are due in each academic "
         "year (Kent Virtual School PEP policy §1); add the earlier ones to header/pepHistory if they were held"),
        ("southwark-review-primary.xml", [("set", "pepMeeting/date", "2026-06-10"), ("remove", "header/pepHistory")],
         "signoff", "T11",
         "1 PEP meeting is recorded in 2025-26, this summer-term one included: at least 2 are due in each academic "
         "year (Southwark procedure 3.5.2 §2); add the earlier ones to header/pepHistory if they were held"),
        ("medway-reduced-timetable-exclusion.xml", [("set", "pepMeeting/date", "2026-06-10"),
                                                    ("remove", "header/pepHistory")], "signoff", "T11",
         "1 PEP meeting is recorded in 2025-26, this summer-term one included: at least 2 are due in each academic "
         "year (PEP guide for families and professionals and a virtual school's PEP page: meetings each term); add "
         "the earlier ones to header/pepHistory if they were held"),
        (KR, [("set", SUBJECT + "/current", "")], "draft", "B05",
         "attainment in Maths has no current attainment recorded: fill in its current attainment "
         "(educationInformation/attainment/subject/current)"),
        (KR, [("set", SUBJECT + "/current", ""), ("set", SUBJECT + "/name", "")], "draft", "B05",
         "attainment subject 3 has neither a name nor a current attainment: fill in its name and current "
         "attainment (educationInformation/attainment/subject[3])"),
    ]

    def test_exact_wording(self):
        with tempfile.TemporaryDirectory(prefix="pep-messages-") as tmp:
            for n, (base, edits, stage, rule, want) in enumerate(self.CASES):
                with self.subTest(rule=rule, n=n):
                    root = pepedit.load(os.path.join(ROOT, "samples", base))
                    pepedit.apply(root, edits)
                    path = os.path.join(tmp, "%d.xml" % n)
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(pepedit.serialise(root))
                    r = pep("validate", "--format", "json", "--stage", stage, "--as-of", AS_OF, path)
                    got = [d["message"] for d in r.json()["files"][0]["diagnostics"] if d["rule"] == rule]
                    self.assertIn(want, got)

    def test_an_element_pasted_outside_its_list_says_so(self):
        """An <attendee> pasted after </attendees> (libxml2: "not expected";
        the list's schema order is no help to the person who pasted it)."""
        with open(os.path.join(ROOT, "samples", self.KR), encoding="utf-8") as f:
            lines = f.read().split("\n")
        end = next(n for n, l in enumerate(lines) if "</attendees>" in l)
        start = max(n for n, l in enumerate(lines[:end]) if "<attendee>" in l)
        lines[start:end + 1] = [lines[end]] + lines[start:end]
        with tempfile.TemporaryDirectory(prefix="pep-messages-") as tmp:
            path = os.path.join(tmp, "pasted.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            r = pep("validate", "--as-of", AS_OF, path)
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.out, "%s:%d: error: [XSD] this <attendee> (line %d) is outside the <attendees> list that "
                                "ends on line %d: move it inside (pepMeeting/attendee)\n"
                         % (path, start + 2, start + 2, start + 1))

    def test_a_value_typed_into_any_comment_is_told_at_every_stage(self):
        """The skeleton's own commented example of a PEP history item filled
        in (docs/rules.md, CMT01): at the draft stage, where no rule asks for
        the history, a warning of its own; at sign-off, on the message of
        the rule that finds the history empty (T11). A comment with words
        before the element is found too."""
        with tempfile.TemporaryDirectory(prefix="pep-messages-") as tmp:
            skeleton = os.path.join(tmp, "new.xml")
            self.assertEqual(pep("new", "--la", "kent", "--kind", "review", "-o", skeleton).code, 0)
            with open(skeleton, encoding="utf-8") as f:
                new = f.read()
            start = new.index("<pepHistory>") + len("<pepHistory>")
            example = new[start:new.index("</pepHistory>", start)].rstrip(" ")
            self.assertRegex(example, r"^\n\s*<!--[^>]*\n\s*<previousMeeting>")
            example = example.replace("<date></date>", "<date>2025-10-15</date>").replace(
                "<kind></kind>", "<kind>transition</kind>")
            with open(os.path.join(ROOT, "samples", "kent-early-years.xml"), encoding="utf-8") as f:
                text = f.read()
            start = text.index("<pepHistory>") + len("<pepHistory>")
            text = text[:start] + example + text[text.index("</pepHistory>", start):]
            lines = text.split("\n")
            history = next(n for n, l in enumerate(lines) if "<pepHistory>" in l) + 1
            opens = history + 1
            value = next(n for n, l in enumerate(lines) if "<date>2025-10-15</date>" in l) + 1
            closes = next(n for n in range(value, len(lines)) if "-->" in lines[n]) + 1
            told = ("the value typed on line %d is inside a comment (lines %d to %d), where pep does not read it: "
                    "move the <previousMeeting> out of the comment, below its -->" % (value, opens, closes))
            path = os.path.join(tmp, "history.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            r = pep("validate", "--stage", "draft", "--as-of", AS_OF, "--format", "json", path)
            self.assertEqual(r.json()["files"][0]["diagnostics"], [
                {"rule": "CMT01", "severity": "warning", "section": None, "line": value, "message": told}])
            r = pep("validate", "--stage", "signoff", "--as-of", AS_OF, "--format", "json", path)
            got = r.json()["files"][0]["diagnostics"]
            self.assertEqual([d["rule"] for d in got], ["T11"])
            self.assertEqual(got[0]["line"], history)
            self.assertTrue(got[0]["message"].endswith("add the meeting to header/pepHistory if it was held; " + told),
                            got[0]["message"])

            # Words before the element, in a field that is there but empty.
            text = text.replace("<givenNames>Mai Anh</givenNames>", "<!-- Given name or names, for example "
                                "<givenNames>Mai Anh</givenNames> -->\n        <givenNames></givenNames>")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            lines = text.split("\n")
            given = next(n for n, l in enumerate(lines) if "for example <givenNames>" in l) + 1
            personal = next(n for n, l in enumerate(lines) if "<personal>" in l) + 1
            r = pep("validate", "--stage", "draft", "--as-of", AS_OF, "--format", "json", path)
            self.assertEqual(r.json()["files"][0]["diagnostics"], [
                {"rule": "CMT01", "severity": "warning", "section": None, "line": value, "message": told},
                {"rule": "A01", "severity": "error", "section": "A", "line": personal,
                 "message": "personal information is missing the legal name (given and family names): fill in "
                            "essentialInformation/personal"},
                {"rule": "CMT01", "severity": "warning", "section": None, "line": given,
                 "message": "the value typed on line %d is inside a comment (lines %d to %d), where pep does not "
                            "read it: move the <givenNames> out of the comment, below its -->" % (given, given, given)}])

    def test_a_value_typed_into_a_comment_on_another_form(self):
        """Southwark's form is read as it is: its comments, its lines, its
        element names."""
        with open(os.path.join(ROOT, "samples", "southwark", "southwark-review-form.xml"), encoding="utf-8") as f:
            text = f.read()
        start, end = text.index("<previousPeps>") + len("<previousPeps>"), text.index("</previousPeps>")
        text = text[:start] + ("\n      <!-- <previousPep>\n        <date>2025-11-19</date>\n        <type>review</type>"
                               "\n      </previousPep> -->\n    ") + text[end:]
        line = text[:text.index("<date>2025-11-19</date>")].count("\n") + 1
        with tempfile.TemporaryDirectory(prefix="pep-messages-") as tmp:
            path = os.path.join(tmp, "southwark.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            r = pep("validate", "--stage", "draft", "--as-of", AS_OF, "--format", "json", path)
        got = [d for d in r.json()["files"][0]["diagnostics"] if d["rule"] == "CMT01"]
        self.assertEqual(got, [{
            "rule": "CMT01", "severity": "warning", "section": None, "line": line,
            "message": "the value typed on line %d is inside a comment (lines %d to %d), where pep does not read it: "
                       "move the <previousPep> out of the comment, below its --> (on Southwark's PEP form)"
                       % (line, line - 1, line + 2)}])

    def test_a_value_typed_inside_a_commented_example_says_so(self):
        """pep new writes the items of lists that may be empty as commented-out
        examples; a value typed into one is not read, and the rule that finds
        the list empty says where the value is."""
        with tempfile.TemporaryDirectory(prefix="pep-messages-") as tmp:
            path = os.path.join(tmp, "new.xml")
            self.assertEqual(pep("new", "--la", "kent", "--kind", "initial", "-o", path).code, 0)
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            at = next(n for n, l in enumerate(lines) if "<previousSchools" in l)
            opens = next(n for n in range(at, len(lines)) if "<!--" in lines[n])
            name = next(n for n in range(at, len(lines)) if lines[n].strip() == "<name></name>")
            closes = next(n for n in range(name, len(lines)) if "-->" in lines[n])
            lines[name] = lines[name].replace("<name></name>", "<name>Hollybank Primary School</name>")
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            r = pep("validate", "--stage", "draft", "--as-of", AS_OF, "--format", "json", path)
        got = [d for d in r.json()["files"][0]["diagnostics"] if d["rule"] == "B11"]
        self.assertEqual(got, [{
            "rule": "B11", "severity": "warning", "section": "B", "line": at + 1,
            "message": "the previous schools history is not recorded: list earlier schools and settings with the "
                       "reasons for leaving, or write <previousSchools none=\"yes\"/>; the value typed on line %d is "
                       "inside a comment (lines %d to %d), where pep does not read it: move the <previousSchool> out "
                       "of the comment, below its -->" % (name + 1, opens + 1, closes + 1)}])
