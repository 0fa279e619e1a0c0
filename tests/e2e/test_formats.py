"""Every command reads every format: a PEP on Southwark's form is checked
against its own schema (its own field names and lines), converted in memory,
and judged by the rules, whose messages point at the line of the file that
holds the value, in the file's own section, saying which form it is on."""
import glob
import json
import os
import re
import shutil
import subprocess
import unittest

from peptest import ROOT, TempDirTest, pep

AS_OF = "2026-07-17"
SW_NS = "https://pep-tool.org/ns/southwark/1"


def southwark_samples():
    return sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "samples", "southwark", "*.xml")))


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def line_of(text, needle):
    return text[: text.index(needle)].count("\n") + 1


class Validate(TempDirTest):
    def test_every_southwark_sample_is_judged_on_its_own_form(self):
        r = pep("validate", "--as-of", AS_OF, "--format", "json", *southwark_samples())
        self.assertEqual(r.code, 0, r)
        files = r.json()["files"]
        self.assertEqual([f["file"] for f in files], southwark_samples())
        for f in files:
            self.assertEqual(f["format"], "southwark")
            self.assertTrue(f["valid"], f)
            for d in f["diagnostics"]:
                self.assertIn("(on Southwark's PEP form", d["message"])
                self.assertIn(d["section"], (None, "1", "2", "3", "4"))
        # A canonical file names its format too.
        r = pep("validate", "--as-of", AS_OF, "--format", "json", "samples/kent-early-years.xml")
        self.assertEqual(r.json()["files"][0]["format"], "kent")

    def test_a_rule_points_at_the_line_of_the_form_that_holds_the_value(self):
        text = read("samples/southwark/southwark-secondary-ehcp.xml")
        # An attendance percentage over 100 is a schema error; a first day of
        # attendance after its last day is a rule's (B01/B02 family).
        m = re.search(r"<attendance>\s*<percentage>[^<]*</percentage>\s*<from>([^<]*)</from>\s*<to>([^<]*)</to>", text)
        self.assertTrue(m, "the sample's attendance has percentage, from and to")
        bad = text[: m.start(1)] + m.group(2) + text[m.end(1): m.start(2)] + m.group(1) + text[m.end(2):]
        path = self.write("swapped.xml", bad)
        r = pep("validate", "--as-of", AS_OF, "--format", "json", path)
        diags = r.json()["files"][0]["diagnostics"]
        mine = [d for d in diags if d["rule"].startswith("B")]
        self.assertTrue(mine, r)
        want = line_of(bad, "<from>" + m.group(2))
        self.assertIn(want, [d["line"] for d in mine], r)
        self.assertEqual({d["section"] for d in mine if d["line"] == want}, {"3"})

    def test_a_schema_error_is_in_the_forms_own_words_and_lines(self):
        text = read("samples/southwark/southwark-review-form.xml")
        bad = text.replace("<status>signed-off</status>", "<status>finished</status>", 1)
        path = self.write("status.xml", bad)
        r = pep("validate", "--as-of", AS_OF, path)
        self.assertEqual(r.code, 1, r)
        self.assertIn("%s:%d: error: [XSD] " % (path, line_of(bad, "<status>finished")), r.out)
        self.assertIn("(form/status)", r.out)

    def test_a_form_without_a_type_of_pep_says_what_to_fill_in(self):
        text = read("samples/southwark/southwark-secondary-ehcp.xml").replace("<pepType>review</pepType>", "")
        r = pep("validate", "--as-of", AS_OF, self.write("no-type.xml", text))
        self.assertEqual(r.code, 1, r)
        self.assertIn("no-type.xml:%d: error: [CONV] Southwark's PEP form does not give the kind of PEP, which the canonical "
                      "format needs: the form does not say whether this is a first, review or new-school PEP" % line_of(text, "<form>"),
                      r.out)


class FormWithoutAField(TempDirTest):
    """B: a rule that judges only a field a form has no place for (D11, the
    designated teacher is a qualified teacher; B11, the review form's
    previous schools) is not applied to a file on that form, unless the file
    carries a value for it; a Kent PEP is judged by both."""

    def rules(self, path, *args):
        r = pep("validate", "--as-of", AS_OF, "--format", "json", *args, path)
        return [d for d in r.json()["files"][0]["diagnostics"] if d["rule"] in ("D11", "B11")]

    def test_no_warning_a_southwark_form_cannot_act_on(self):
        for s in southwark_samples():
            with self.subTest(sample=s):
                self.assertEqual(self.rules(s), [])
                # The same PEP on Kent's form has the fields: D11 is judged there
                # (but post-16 and with no school), B11 too for the review
                # form, which keeps no school history.
                kent = os.path.join(self.tmp, "kent.xml")
                self.assertEqual(pep("convert", "--to", "kent", s, "-o", kent, "--force").code, 0)
                got = {d["rule"] for d in self.rules(kent)}
                self.assertEqual("D11" in got, not re.search(r"post16|no-provision", s))
                self.assertEqual("B11" in got, "review-form" in s)

    def test_a_kent_pep_is_still_judged(self):
        text = read("samples/kent-review-y10-ehcp.xml")
        bad = re.sub(r"<qualifiedTeacher>yes</qualifiedTeacher>", "<qualifiedTeacher>no</qualifiedTeacher>", text)
        bad = re.sub(r"(?s)<previousSchools>.*?</previousSchools>", "", bad)
        self.assertNotEqual(bad, text)
        path = self.write("kent.xml", bad)
        self.assertEqual({d["rule"] for d in self.rules(path)}, {"D11", "B11"})

    def test_a_value_carried_from_another_form_is_judged(self):
        text = read("samples/kent-review-y10-ehcp.xml").replace("<qualifiedTeacher>yes</qualifiedTeacher>",
                                                                 "<qualifiedTeacher>no</qualifiedTeacher>")
        kent = self.write("kent.xml", text)
        sw = os.path.join(self.tmp, "sw.xml")
        self.assertEqual(pep("convert", "--to", "southwark", kent, "-o", sw).code, 0)
        got = self.rules(sw)
        self.assertEqual([d["rule"] for d in got], ["D11"])
        self.assertEqual(got[0]["line"], line_of(read(sw), "<qualifiedTeacher"))

    def test_the_rules_page_lists_the_forms(self):
        r = pep("rules", "--format", "markdown")
        self.assertIn("| `essentialInformation/school/designatedTeacher/qualifiedTeacher` | D11 | Southwark's PEP form "
                      "(every form) |", r.out)
        self.assertIn("| `educationInformation/previousSchools` | B11 | Southwark's PEP form: the review form |", r.out)


class Check(TempDirTest):
    def test_check_samples_judges_every_southwark_sample(self):
        r = pep("check", "--as-of", AS_OF, "--format", "json", "samples")
        files = {f["file"]: f for f in r.json()["files"]}
        for s in southwark_samples():
            self.assertEqual(files[s]["format"], "southwark")
            self.assertIn(files[s]["grade"], ("green", "amber"), files[s])
            self.assertFalse([d for d in files[s]["diagnostics"] if d["rule"] in ("XML", "XSD", "IO", "CONV")])

    def test_a_batch_report_quotes_no_name_from_a_southwark_form(self):
        r = pep("check", "--as-of", AS_OF, "samples/southwark")
        self.assertEqual(r.code, 0, r)
        for name in ("Siobhán", "Joaquín", "Nguyễn", "Þórunn"):
            self.assertNotIn(name, r.out + r.err)


@unittest.skipUnless(shutil.which("pdftotext"), "pdftotext is not installed")
class Render(TempDirTest):
    def test_a_southwark_form_renders_and_says_so(self):
        for s in southwark_samples():
            with self.subTest(sample=s):
                out = os.path.join(self.tmp, os.path.basename(s) + ".pdf")
                r = pep("render", "--as-of", AS_OF, s, "-o", out)
                self.assertEqual(r.code, 0, r)
                text = subprocess.run(["pdftotext", out, "-"], stdout=subprocess.PIPE).stdout.decode()
                self.assertIn("Made from", text)
                self.assertIn("Southwark's PEP form", text)
                forenames = re.search(r"<forenames>([^<]+)</forenames>", read(s)).group(1)
                self.assertIn(forenames.split()[0], text)
        # The HTML page says it too (the same document).
        out = os.path.join(self.tmp, "sw.html")
        r = pep("render", "--format", "html", "--as-of", AS_OF, "samples/southwark/southwark-review-form.xml", "-o", out)
        self.assertEqual(r.code, 0, r)
        with open(out, encoding="utf-8") as f:
            self.assertIn("Made from</th><td>Southwark&#39;s PEP form", f.read())
        # A canonical PEP says nothing of the kind.
        out = os.path.join(self.tmp, "kent.pdf")
        self.assertEqual(pep("render", "--as-of", AS_OF, "samples/kent-early-years.xml", "-o", out).code, 0)
        text = subprocess.run(["pdftotext", out, "-"], stdout=subprocess.PIPE).stdout.decode()
        self.assertNotIn("Made from", text)


class Next(TempDirTest):
    def test_next_rolls_a_southwark_form_forward(self):
        out = os.path.join(self.tmp, "next.xml")
        r = pep("next", "samples/southwark/southwark-review-form.xml", "-o", out)
        self.assertEqual(r.code, 0, r)
        self.assertIn("is on Southwark's PEP form; the next PEP is written in the canonical format", r.err)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertIn('<pep xmlns="https://pep-tool.org/ns/pep/1">', text)
        self.assertIn("Siobhán", text)
        r = pep("validate", "--stage", "draft", "--as-of", AS_OF, out)
        self.assertNotIn("[XSD]", r.out + r.err)


if __name__ == "__main__":
    unittest.main()


class OtherFormsLoadWhenNeeded(TempDirTest):
    """Only the canonical schema is compiled at start; another format's schema
    and stylesheets are compiled for the first file on that form. Their files
    must still all be there at start, and one that does not compile fails the
    files on that form alone, saying why, never the canonical ones."""

    def data_copy(self):
        d = os.path.join(self.tmp, "data")
        for part in ("schemas", "stylesheets", "data", "fonts"):
            shutil.copytree(os.path.join(ROOT, part), os.path.join(d, part))
        return d

    def test_a_missing_file_is_found_at_start(self):
        d = self.data_copy()
        os.remove(os.path.join(d, "stylesheets", "southwark-to-kent.xsl"))
        r = pep("validate", "--as-of", "2026-07-17", os.path.join(ROOT, "samples", "kent-review-y10-ehcp.xml"),
                env={"PEP_DATADIR": d})
        self.assertEqual(r.code, 2, r)
        self.assertIn("cannot find stylesheets/southwark-to-kent.xsl", r.err)

    def test_a_broken_stylesheet_fails_only_its_form(self):
        d = self.data_copy()
        with open(os.path.join(d, "stylesheets", "southwark-to-kent.xsl"), "w", encoding="utf-8") as f:
            f.write('<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
                    '<xsl:template match="/"><xsl:value-of select="((("/></xsl:template></xsl:stylesheet>\n')
        env = {"PEP_DATADIR": d}
        kent = os.path.join(ROOT, "samples", "kent-review-y10-ehcp.xml")
        sw = sorted(glob.glob(os.path.join(ROOT, "samples", "southwark", "*.xml")))[0]
        r = pep("validate", "--as-of", "2026-07-17", kent, env=env)
        self.assertEqual(r.code, 0, r)
        r = pep("validate", "--as-of", "2026-07-17", sw, env=env)
        self.assertEqual(r.code, 2, r)
        self.assertIn("pep cannot read Southwark's PEP form", r.out + r.err)
        # check reports it as it reports any file it cannot read: that file
        # red with an IO problem, the rest checked, exit 1 (test_check.Batch).
        r = pep("check", "--no-progress", "--as-of", "2026-07-17", "--format", "json", kent, sw, env=env)
        self.assertEqual(r.code, 1, r)
        files = {os.path.basename(f["file"]): f for f in r.json()["files"]}
        self.assertEqual(files[os.path.basename(kent)]["grade"], "green")
        self.assertEqual([g["rule"] for g in files[os.path.basename(sw)]["diagnostics"]], ["IO"])
        r = pep("convert", "--to", "kent", sw, "-o", os.path.join(self.tmp, "out.xml"), env=env)
        self.assertIn(r.code, (1, 2), r)
        self.assertIn("pep cannot convert between Southwark's PEP form and", r.err)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "out.xml")))
