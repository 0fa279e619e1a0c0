"""Every rule of the catalogue has a fixture that triggers it and one that
passes it (tests/rules/cases.py); a rule added without both fails here.
Triggers assert the exact id, the severity for the LA's profile, and the
line of the element judged."""
import json
import os
import sys
import tempfile
import unittest

import pepedit
from peptest import ROOT, pep, samples

sys.path.insert(0, os.path.join(ROOT, "tests", "rules"))
import cases  # noqa: E402

AS_OF = "2026-07-17"
PROFILES = {"kent": "kent", "southwark": "southwark", "kirklees": "kirklees"}


def catalogue():
    r = pep("rules", "--format", "json")
    assert r.code == 0, r
    return {x["id"]: x for x in r.json()["rules"]}


class RuleFixtures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rules = catalogue()
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
        profile = PROFILES.get(doc["la"], "default")
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
            las.add(PROFILES.get(r.json()["files"][0]["la"], "default"))
        self.assertEqual(las, {"kent", "southwark", "kirklees", "default"})


class Docs(unittest.TestCase):
    def test_docs_rules_md_is_the_markdown_output(self):
        r = pep("rules", "--format", "markdown")
        self.assertEqual(r.code, 0)
        with open(os.path.join(ROOT, "docs", "rules.md"), encoding="utf-8") as f:
            self.assertEqual(f.read(), r.out, "docs/rules.md is stale: run 'make docs'")

    def test_json_catalogue_matches_the_spec_ids(self):
        ids = list(catalogue())
        want = (["T%02d" % i for i in range(1, 14)] + ["A%02d" % i for i in range(1, 9)] +
                ["B%02d" % i for i in range(1, 12)] + ["C%02d" % i for i in range(1, 4)] +
                ["D%02d" % i for i in range(1, 13)] + ["P%02d" % i for i in range(1, 4)] + ["CAL01"])
        self.assertEqual(ids, want)
