"""pep check on a folder of everything a batch meets: valid, invalid,
corrupt, empty, binary, unreadable, non-XML, not-a-PEP and nested files, a
hidden folder and a symbolic-link loop."""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import unittest

from peptest import ROOT, SLOWDOWN, TempDirTest, as_nobody, pep

AS_OF = "2026-07-17"
NAMES = ("Zoë", "Adeyemi-Clarke", "Łukasz", "Siobhán", "Nguyễn", "Þórunn", "Oluwaṣeun", "Adébáyọ̀")


def build_folder(tmp):
    b = os.path.join(tmp, "batch")
    os.makedirs(os.path.join(b, "school", "year10"))
    os.makedirs(os.path.join(b, ".hidden"))
    s = os.path.join(ROOT, "samples")
    shutil.copy(os.path.join(s, "kent-initial-unplanned-primary.xml"), os.path.join(b, "a-valid.xml"))
    shutil.copy(os.path.join(s, "kent-review-y10-ehcp.xml"), os.path.join(b, "school", "year10", "nested-valid.xml"))
    shutil.copy(os.path.join(s, "southwark-review-primary.xml"), os.path.join(b, ".hidden", "skipped.xml"))
    shutil.copy(os.path.join(s, "invalid", "sdq-45.xml"), os.path.join(b, "b-invalid.xml"))
    with open(os.path.join(s, "kirklees-post16-neet.xml"), "rb") as f:
        data = f.read()
    with open(os.path.join(b, "c-truncated.xml"), "wb") as f:
        f.write(data[: len(data) // 2])
    open(os.path.join(b, "d-empty.xml"), "wb").close()
    with open(os.path.join(b, "e-binary.xml"), "wb") as f:
        f.write(bytes(range(256)) * 4)
    shutil.copy(os.path.join(s, "kent-early-years.xml"), os.path.join(b, "f-unreadable.xml"))
    with open(os.path.join(b, "g-not-a-pep.xml"), "w") as f:
        f.write('<?xml version="1.0"?>\n<catalogue><item>tea</item></catalogue>\n')
    with open(os.path.join(b, "notes.txt"), "w") as f:
        f.write("not XML, not .xml: ignored\n")
    os.symlink("..", os.path.join(b, "school", "loop"))
    # Everyone may read everything but the unreadable file.
    for dirpath, dirnames, filenames in os.walk(tmp):
        os.chmod(dirpath, 0o755)
        for n in filenames:
            os.chmod(os.path.join(dirpath, n), 0o644)
    os.chmod(os.path.join(b, "f-unreadable.xml"), 0)
    return b


class Batch(TempDirTest):
    def setUp(self):
        super().setUp()
        os.chmod(self.tmp, 0o755)
        self.prefix = as_nobody()
        build_folder(self.tmp)

    def check(self, *args):
        cmd = self.prefix + [os.environ.get("PEP", os.path.join(ROOT, "bin", "pep")), "check", "--as-of", AS_OF] + list(args)
        p = subprocess.run(cmd, cwd=self.tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120 * SLOWDOWN)
        return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")

    def test_text_report(self):
        code, out, err = self.check("batch")
        self.assertEqual(code, 1, out + err)
        self.assertEqual(err, "")
        self.assertEqual(out, EXPECTED_TEXT)

    def test_json_report(self):
        code, out, err = self.check("--format", "json", "batch")
        self.assertEqual(code, 1, err)
        doc = json.loads(out)
        files = [f["file"] for f in doc["files"]]
        self.assertEqual(files, sorted(files))
        self.assertEqual(files, EXPECTED_FILES)
        grades = {f["file"]: f["grade"] for f in doc["files"]}
        self.assertEqual(grades["batch/a-valid.xml"], "green")
        self.assertEqual(grades["batch/school/year10/nested-valid.xml"], "green")
        for f in doc["files"]:
            if f["file"] not in ("batch/a-valid.xml", "batch/school/year10/nested-valid.xml"):
                self.assertEqual(f["grade"], "red", f)
                self.assertFalse(f["valid"])
        by = {f["file"]: f["diagnostics"][0] for f in doc["files"] if f["diagnostics"]}
        self.assertEqual(by["batch/f-unreadable.xml"]["rule"], "IO")
        self.assertIn("Permission denied", by["batch/f-unreadable.xml"]["message"])
        self.assertEqual(by["batch/school/loop"]["rule"], "IO")
        self.assertIn("leads back", by["batch/school/loop"]["message"])
        self.assertEqual(doc["summary"], {"files": 9, "valid": 2, "errors": 7, "warnings": 0,
                                          "red": 7, "amber": 0, "green": 2})

    def test_csv_report_round_trips(self):
        code, out, err = self.check("--format", "csv", "batch")
        self.assertEqual(code, 1, err)
        self.assertIn("\r\n", out)
        rows = list(csv.reader(io.StringIO(out, newline="")))
        self.assertEqual(rows[0], ["file", "la", "grade", "rule", "severity", "section", "line", "message"])
        files = []
        for r in rows[1:]:
            self.assertEqual(len(r), 8, r)
            if r[0] not in files:
                files.append(r[0])
        self.assertEqual(files, EXPECTED_FILES)

    def test_excel_csv_has_a_bom_and_keeps_accents(self):
        # A file name with accents and one that would start a formula.
        b = os.path.join(self.tmp, "batch2")
        os.makedirs(b)
        shutil.copy(os.path.join(ROOT, "samples", "kent-early-years.xml"), os.path.join(b, "Zoë café.xml"))
        shutil.copy(os.path.join(ROOT, "samples", "invalid", "sdq-45.xml"), os.path.join(b, "=cmd.xml"))
        os.chmod(b, 0o755)
        for n in os.listdir(b):
            os.chmod(os.path.join(b, n), 0o644)
        code, out_bytes, _ = None, None, None
        cmd = self.prefix + [os.environ.get("PEP", os.path.join(ROOT, "bin", "pep")), "check", "--as-of", AS_OF, "--excel", "batch2"]
        p = subprocess.run(cmd, cwd=self.tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertTrue(p.stdout.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(p.stdout.decode("utf-8-sig"), newline="")))
        names = [r[0] for r in rows[1:]]
        self.assertIn("batch2/Zoë café.xml", names)
        self.assertIn("batch2/=cmd.xml", names)  # no leading = after the folder name
        self.assertEqual(p.returncode, 1)

    def test_threads_do_not_change_the_output(self):
        outs = {self.check("-j", str(j), "--format", fmt, "batch")[1] for j in (1, 2, 7) for fmt in ("json",)}
        self.assertEqual(len(outs), 1)
        outs = {self.check("-j", str(j), "batch")[1] for j in (1, 3)}
        self.assertEqual(len(outs), 1)

    def test_no_child_name_in_any_report(self):
        for args in (("batch",), ("--format", "json", "batch"), ("--format", "csv", "batch"),
                     ("--due-within", "400", "batch"), ("--summary", "batch")):
            code, out, err = self.check(*args)
            for name in NAMES:
                self.assertNotIn(name, out + err, args)


EXPECTED_FILES = [
    "batch/a-valid.xml",
    "batch/b-invalid.xml",
    "batch/c-truncated.xml",
    "batch/d-empty.xml",
    "batch/e-binary.xml",
    "batch/f-unreadable.xml",
    "batch/g-not-a-pep.xml",
    "batch/school/loop",
    "batch/school/year10/nested-valid.xml",
]

EXPECTED_TEXT = (
    'batch/b-invalid.xml: red, 1 error: [XSD] SDQ score (value not shown) is not valid: expected the SDQ total difficulties score, a whole number from 0 to 40, or empty while not yet known (essentialInformation/health/sdq/score)\n'
    'batch/c-truncated.xml: red, 1 error: [XML] not well-formed XML: the file ends before an element is closed: it may be cut short; add the missing end tags\n'
    'batch/d-empty.xml: red, 1 error: [XML] the file is empty: it holds no XML document; is it the right file?\n'
    "batch/e-binary.xml: red, 1 error: [XML] this is not XML: it looks like binary data (an XML file starts with '<'); is it the right file?\n"
    'batch/f-unreadable.xml: red, 1 error: [IO] cannot read the file: Permission denied; ask for read permission, or copy the file somewhere you can read it\n'
    'batch/g-not-a-pep.xml: red, 1 error: [XSD] the root element is not <pep> in the namespace "https://pep-tool.org/ns/pep/1" (what it is is not shown): a PEP starts with <pep xmlns="https://pep-tool.org/ns/pep/1"> (?)\n'
    'batch/school/loop: red, 1 error: [IO] a symbolic link here leads back to a folder that contains it; this loop was skipped\n'
    '\n'
    'rule    files  times  severity what\n'
    'XML         3      3  error    Not well-formed XML (or not a PEP file)\n'
    'IO          2      2  error    Could not be read (or a link not followed)\n'
    'XSD         2      2  error    Does not match the schema\n'
    '\n'
    'checked 9 files: 7 red, 0 amber, 2 green (2 could not be read); 7 errors, 0 warnings\n'
)


class Paths(TempDirTest):
    def test_a_missing_path_is_exit_2_and_the_rest_is_checked(self):
        r = pep("check", "--as-of", AS_OF, "samples/kent-early-years.xml", os.path.join(self.tmp, "nope"))
        self.assertEqual(r.code, 2, r)
        self.assertIn("nope: no such file or folder", r.err)
        self.assertIn("checked 1 file: 0 red, 0 amber, 1 green", r.out)

    def test_a_folder_without_peps_is_exit_2(self):
        r = pep("check", self.tmp)
        self.assertEqual(r.code, 2, r)
        self.assertIn("no *.xml files found", r.err)
        # Nothing on stdout, not half a report, in any format.
        for fmt in ("json", "csv", "text"):
            r = pep("check", "--format", fmt, self.tmp)
            self.assertEqual((r.code, r.out), (2, ""), r)

    def test_samples_are_green(self):
        r = pep("check", "--as-of", AS_OF, "--format", "json", *[os.path.join("samples", f) for f in sorted(os.listdir(os.path.join(ROOT, "samples"))) if f.endswith(".xml")])
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.json()["summary"]["green"], 9)


def canonical_and_invalid():
    """The canonical samples and samples/invalid (not samples/southwark, which
    holds another format)."""
    return [os.path.join("samples", f) for f in sorted(os.listdir(os.path.join(ROOT, "samples")))
            if f.endswith(".xml")] + ["samples/invalid"]


class Views(unittest.TestCase):
    """The due list and the figures moved to pep caseload: check's options
    run it, and say so."""

    def test_due_within_runs_caseload(self):
        r = pep("check", "--as-of", "2026-03-01", "--due-within", "10", *canonical_and_invalid())
        self.assertEqual(r.code, 1)  # samples/invalid are in the folder
        self.assertIn("pep check: --due-within moved to 'pep caseload'", r.err)
        self.assertIn("due soon     3  2026-03-04  next meeting", r.out)
        self.assertIn("OVERDUE   -256  2025-06-18  next meeting", r.out)
        j = pep("check", "--as-of", "2026-03-01", "--due-within", "10", "--format", "json", *canonical_and_invalid())
        doc = j.json()
        self.assertEqual([c["days_left"] for c in doc["children"]][:3], [-256, 3, 9])
        self.assertEqual(doc["summary"]["unreadable"], 13)

    def test_summary_suppresses_small_counts(self):
        r = pep("check", "--as-of", "2026-03-01", "--summary", "--format", "json", *canonical_and_invalid())
        doc = r.json()
        s = doc["summary"]
        self.assertEqual(s["files"], 22)
        self.assertEqual(s["children"], 9)
        self.assertIsNone(s["post16_neet"])
        self.assertIn("post16_neet", s["suppressed"])
        # 7 of the 9 had a meeting in 6 months: the 2 left over would show.
        self.assertIsNone(s["meeting_in_last_6_months"])
        self.assertNotIn("not_read", doc)  # files are counted, not named


class MixedProfiles(TempDirTest):
    def test_a_rule_with_two_severities_is_counted_under_each(self):
        # D04 (1 to 3 new targets) is an error for Southwark, a warning for Kent.
        for name in ("southwark-review-primary.xml", "kent-early-years.xml"):
            with open(os.path.join(ROOT, "samples", name), encoding="utf-8") as f:
                text = f.read()
            m = re.search(r"(<targets>\s*)(<target>.*?</target>\s*)", text, re.S)
            self.write(os.path.join("mixed", name), text[:m.end(1)] + m.group(2) * 3 + text[m.end(1):])
        r = pep("check", "--as-of", AS_OF, os.path.join(self.tmp, "mixed"))
        self.assertEqual(r.code, 1, r)
        self.assertRegex(r.out, r"\nD04 +1 +1  error +1 to 3 new targets are agreed\n")
        self.assertRegex(r.out, r"\nD04 +1 +1  warning +1 to 3 new targets are agreed\n")
        self.assertIn("2 files: 1 red, 1 amber", r.out)


class Progress(unittest.TestCase):
    def test_a_progress_line_on_a_terminal_and_none_otherwise(self):
        import pty
        master, slave = pty.openpty()
        p = subprocess.run([os.environ.get("PEP", os.path.join(ROOT, "bin", "pep")), "check", "--as-of", AS_OF] + canonical_and_invalid(),
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=slave, timeout=60 * SLOWDOWN)
        os.close(slave)
        seen = b""
        try:
            while True:
                chunk = os.read(master, 4096)
                if not chunk:
                    break
                seen += chunk
        except OSError:
            pass  # the terminal closed
        os.close(master)
        self.assertIn(b"pep check: 22/22 files (", seen)
        self.assertIn(b"files/s)", seen)
        self.assertNotIn(b"files/s", p.stdout)
        # Not a terminal: silent (the other tests check stderr is empty too).
        r = pep("check", "--as-of", AS_OF, "samples")
        self.assertEqual(r.err, "")
