"""Command tests written as plain files in tests/cmd/*.test.

Format (one or more cases per file):

    ### what the case shows
    args: validate --la Kent! x.xml          (split like a shell would)
    exit: 2
    stdout:                                  (exact text follows, to the next key)
    stderr~:                                 (each following line must appear)

Keys: args, exit, stdout, stdout~, stderr, stderr~. Paths are relative to
the repository root.
"""
import glob
import os
import shlex
import unittest

from peptest import ROOT, pep

KEYS = ("args:", "exit:", "stdout:", "stdout~:", "stderr:", "stderr~:")


def parse(path):
    cases, case, key = [], None, None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("###"):
                case = {"title": line[3:].strip(), "blocks": {}}
                cases.append(case)
                key = None
                continue
            if case is None:
                continue
            k = next((k for k in KEYS if line.startswith(k)), None)
            if k:
                key = k[:-1]
                rest = line[len(k):].strip()
                case["blocks"][key] = [rest] if rest else []
            elif key:
                case["blocks"][key].append(line)
    return cases


class CommandFiles(unittest.TestCase):
    def test_command_files(self):
        files = sorted(glob.glob(os.path.join(ROOT, "tests", "cmd", "*.test")))
        self.assertTrue(files)
        for path in files:
            for case in parse(path):
                with self.subTest(file=os.path.basename(path), case=case["title"]):
                    b = case["blocks"]
                    r = pep(*shlex.split(" ".join(b["args"])))
                    self.assertEqual(r.code, int(b["exit"][0]), r)
                    for stream, text in (("stdout", r.out), ("stderr", r.err)):
                        if stream in b:
                            want = "\n".join(b[stream]).rstrip("\n")
                            self.assertEqual(text.rstrip("\n"), want, r)
                        if stream + "~" in b:
                            for frag in b[stream + "~"]:
                                if frag.strip():
                                    self.assertIn(frag.strip(), text, r)
