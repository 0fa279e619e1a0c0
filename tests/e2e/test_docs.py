"""The documents' examples stay true."""
import os
import re
import textwrap
import unittest

from peptest import ROOT, TempDirTest, pep


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
