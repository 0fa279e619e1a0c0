"""pep validate on the samples, the invalid samples and several files."""
import json
import shutil
import subprocess
import sys
import unittest

from peptest import ROOT, pep, samples, invalid_samples, expectation


class Samples(unittest.TestCase):
    def test_there_are_enough_samples(self):
        self.assertGreaterEqual(len(samples()), 8)
        self.assertGreaterEqual(len(invalid_samples()), 7)

    def test_every_sample_is_valid_text(self):
        for s in samples():
            with self.subTest(sample=s):
                r = pep("validate", "--stage", "draft", s)
                self.assertEqual(r.code, 0, r)
                self.assertEqual(r.out, "")
                self.assertEqual(r.err, "")

    def test_every_sample_is_valid_json(self):
        for s in samples():
            with self.subTest(sample=s):
                r = pep("validate", "--stage", "draft", "--format", "json", s)
                self.assertEqual(r.code, 0, r)
                doc = r.json()
                self.assertEqual(doc["summary"]["files"], 1)
                f = doc["files"][0]
                self.assertEqual(f["file"], s)
                self.assertTrue(f["valid"])
                self.assertEqual(f["stage"], "draft")
                self.assertRegex(f["la"], r"^[a-z][a-z0-9-]+$")


class InvalidSamples(unittest.TestCase):
    def test_each_is_rejected_with_its_rule_and_line(self):
        for s in invalid_samples():
            rule, line = expectation(s)
            with self.subTest(sample=s):
                r = pep("validate", s)
                self.assertEqual(r.code, 1, r)
                self.assertIn("%s:%d: error: [%s] " % (s, line, rule), r.out)
                self.assertEqual(r.err, "")

    def test_each_is_rejected_in_json(self):
        for s in invalid_samples():
            rule, line = expectation(s)
            with self.subTest(sample=s):
                r = pep("validate", "--format", "json", s)
                self.assertEqual(r.code, 1, r)
                doc = r.json()
                f = doc["files"][0]
                self.assertFalse(f["valid"])
                self.assertIn((rule, line), [(d["rule"], d["line"]) for d in f["diagnostics"]])
                self.assertEqual(doc["summary"]["valid"], 0)
                self.assertGreaterEqual(doc["summary"]["errors"], 1)


class SeveralFiles(unittest.TestCase):
    def test_all_files_are_checked_and_the_worst_status_wins(self):
        bad = invalid_samples()[0]
        good = samples()[0]
        r = pep("validate", "--stage", "draft", "--format", "json", good, bad, "/nonexistent.xml")
        self.assertEqual(r.code, 2, r)
        doc = r.json()
        self.assertEqual([f["file"] for f in doc["files"]], [good, bad, "/nonexistent.xml"])
        self.assertEqual([f["valid"] for f in doc["files"]], [True, False, False])
        self.assertEqual(doc["files"][2]["diagnostics"][0]["rule"], "IO")
        self.assertIn("/nonexistent.xml: cannot read the file", r.err)

    def test_invalid_then_valid_is_exit_1(self):
        r = pep("validate", "--stage", "draft", invalid_samples()[0], samples()[0])
        self.assertEqual(r.code, 1, r)


@unittest.skipUnless(shutil.which("xmllint"), "xmllint is not installed")
class XmllintAgrees(unittest.TestCase):
    """Our XSD is a real XSD: another tool gives the same verdicts."""

    def xmllint(self, path):
        return subprocess.run(["xmllint", "--noout", "--nonet", "--schema", "schemas/pep.xsd", path],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE).returncode

    def test_samples_pass_xmllint(self):
        for s in samples():
            with self.subTest(sample=s):
                self.assertEqual(self.xmllint(s), 0)

    def test_invalid_samples_fail_xmllint(self):
        for s in invalid_samples():
            with self.subTest(sample=s):
                self.assertNotEqual(self.xmllint(s), 0)


class SchemaCoverage(unittest.TestCase):
    def test_samples_use_every_element_and_attribute(self):
        r = subprocess.run([sys.executable, "tests/tools/schema_coverage.py", "schemas/pep.xsd"] + samples(),
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.assertEqual(r.returncode, 0, r.stdout.decode())
