"""The documents' examples stay true."""
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
import unittest

from peptest import PEP, ROOT, SLOWDOWN, TempDirTest, pep

README = os.path.join(ROOT, "README.md")
RUN = re.compile(r"<!-- run -->\n```\w*\n(.*?)```", re.S)


def run_readme_block(folder, block):
    """Runs each "$ ..." line of a README block with sh in folder (where
    bin/pep is the pep under test and samples/ the samples); returns the
    block as it would read with the real output (stdout, then stderr)."""
    got = []
    for line in block.splitlines():
        if not line.startswith("$ "):
            continue
        p = subprocess.run(["sh", "-c", line[2:]], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60 * SLOWDOWN, env={k: v for k, v in os.environ.items() if k != "PEP_DATADIR"})
        got.append(line)
        got.extend((p.stdout + p.stderr).decode("utf-8").splitlines())
    return "\n".join(got)


class Readme(unittest.TestCase):
    """The README's examples marked <!-- run --> are run as they are written
    (PEP_README_PRINT=1 prints their real output)."""

    def test_the_examples_print_what_the_readme_says(self):
        with open(README, encoding="utf-8") as f:
            blocks = RUN.findall(f.read())
        self.assertGreaterEqual(len(blocks), 4)
        folder = tempfile.mkdtemp(prefix="pep-readme-")
        try:
            os.mkdir(os.path.join(folder, "bin"))
            os.symlink(PEP, os.path.join(folder, "bin", "pep"))
            os.symlink(os.path.join(ROOT, "samples"), os.path.join(folder, "samples"))
            for block in blocks:
                got = run_readme_block(folder, block)
                if os.environ.get("PEP_README_PRINT"):
                    print("\n%s" % got)
                    continue
                self.assertEqual(block.rstrip("\n"), got)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


class CalendarsGuide(TempDirTest):
    def test_the_worked_example_is_a_valid_calendar_that_pep_uses(self):
        with open(os.path.join(ROOT, "docs", "calendars.md"), encoding="utf-8") as f:
            text = f.read()
        m = re.search(r"```xml\n((?:   .*\n)+?)   ```", text)
        self.assertTrue(m, "the worked example is missing from docs/calendars.md")
        path = self.write("cal/kirklees-2025-26.xml",
                          '<?xml version="1.0" encoding="UTF-8"?>\n' + textwrap.dedent(m.group(1)))
        r = pep("calendar", "check", path)
        self.assertEqual(r.code, 0, r)
        r = pep("calendar", "show", "--la", "kirklees", "--year", "2025-26",
                env={"PEP_CALENDAR_PATH": os.path.dirname(path)})
        self.assertEqual(r.code, 0, r)
        self.assertIn("kirklees-2025-26.xml (high confidence)", r.out)


class ManPage(unittest.TestCase):
    def test_every_implemented_command_has_its_synopsis_in_the_man_page(self):
        with open(os.path.join(ROOT, "docs", "pep.1"), encoding="utf-8") as f:
            man = f.read().replace("\\-", "-")
        r = pep("--help")
        commands = re.findall(r"^  (\w+) ", r.out, re.M)
        self.assertTrue(commands)
        for c in commands:
            h = pep(c, "--help")
            if h.code != 0:
                continue  # not built yet: says so and exits 2
            with self.subTest(command=c):
                for line in h.out.splitlines():
                    if line.startswith(("usage: pep ", "       pep ")):
                        synopsis = line.split("pep ", 1)[1]
                        self.assertTrue(synopsis in man, "docs/pep.1 lacks '%s'" % synopsis)

    def test_every_command_answers_help(self):
        r = pep("--help")
        for c in re.findall(r"^  (\w+) ", r.out, re.M):
            with self.subTest(command=c):
                h = pep(c, "--help")
                if "not implemented yet" in h.err:
                    self.assertEqual(h.code, 2)
                else:
                    self.assertEqual(h.code, 0, h)
                    self.assertIn("usage: pep %s" % c, h.out)
