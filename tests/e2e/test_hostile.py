"""The hostile inputs of tests/hostile/MANIFEST: for each, pep must end
within its bound, with its exit status and rule, read nothing it was not
given (no line of /etc/passwd in any output) and write nothing it was not
asked to."""
import json
import os
import re
import time
import unittest

from peptest import ROOT, SLOWDOWN, TempDirTest, pep

HOSTILE = os.path.join(ROOT, "tests", "hostile")
SAMPLE = os.path.join(ROOT, "samples", "kent-initial-unplanned-primary.xml")
PWNED = "/tmp/pep-pwned.txt"


def manifest():
    rows = []
    with open(os.path.join(HOSTILE, "MANIFEST"), encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            name, cmd, code, rule, bound, why = re.split(r"\s+", line.strip(), maxsplit=5)
            rows.append(dict(name=name, cmd=cmd, code=int(code), rule=None if rule == "-" else rule,
                             bound=float(bound), why=why))
    return rows


def passwd_lines():
    try:
        with open("/etc/passwd") as f:
            return [l.strip() for l in f if l.strip()]
    except OSError:
        return []


def sample_text():
    with open(SAMPLE, encoding="utf-8") as f:
        return f.read()


def generate(name, path):
    """Writes the generated input `name` at path."""
    base = sample_text()
    if name == "deep-100000.xml":
        data = "<a>" * 100000 + "</a>" * 100000
    elif name == "text-200mb.xml":
        with open(path, "wb") as f:
            f.write(b'<pep xmlns="https://pep-tool.org/ns/pep/1">')
            chunk = b"x" * (1 << 20)
            for _ in range(200):
                f.write(chunk)
            f.write(b"</pep>")
        return
    elif name == "attributes-million.xml":
        data = "<pep " + " ".join('a%d="x"' % i for i in range(1000000)) + "/>"
    elif name in ("targets-10000.xml", "targets-10000-12mb.xml"):
        # The first new target (not the <target> of an attainment subject),
        # repeated 10,000 times in place of all of them: its texts cut to 30
        # characters (4 MB in all, under the 8 MB limit), or whole (12 MB).
        targets = base.index("<targets>")
        start = base.index("<target>", targets)
        end = base.index("</target>", start) + len("</target>")
        close = base.index("</targets>", end)
        target = base[start:end]
        if name == "targets-10000.xml":
            target = re.sub(r">([^<]{30})[^<]+<", r">\1<", target)
        data = base[:start] + (target + "\n") * 10000 + base[close:]
    elif name == "error-at-line-70000.xml":
        pad = "\n" * 70000
        data = base.replace("<healthIssues>", pad + "<healthIssues>", 1).replace("<score>18</score>", "<score>41</score>")
    else:  # the names: a copy of a valid sample
        data = base
    with open(path, "w", encoding="utf-8") as f:
        f.write(data)


class HostileInputs(TempDirTest):
    @classmethod
    def setUpClass(cls):
        cls.passwd = passwd_lines()

    def run_case(self, c):
        name = c["name"]
        if name.startswith("*"):
            name = name[1:].replace("⏎", "\n").replace("␣", " ")
            path = os.path.join(self.tmp, name)
            generate(name, path)
        else:
            path = os.path.join(HOSTILE, name)
        if os.path.exists(PWNED):
            os.unlink(PWNED)
        t0 = time.monotonic()
        if c["cmd"] == "validate":
            r = pep("validate", "--as-of", "2026-07-17", "--format", "json", path, timeout=c["bound"] + 60)
        else:
            out = os.path.join(self.tmp, "out.pdf")
            r = pep("render", "--as-of", "2026-07-17", path, "-o", out, timeout=c["bound"] + 60)
        took = time.monotonic() - t0
        self.assertLess(took, c["bound"] * SLOWDOWN, "%s took %.1fs" % (name, took))
        self.assertEqual(r.code, c["code"], r)
        for line in self.passwd:
            self.assertNotIn(line, r.out + r.err, "a line of /etc/passwd appeared")
        self.assertFalse(os.path.exists(PWNED), "something was written to %s" % PWNED)
        if c["cmd"] == "validate":
            diags = json.loads(r.out)["files"][0]["diagnostics"]
            rules = {d["rule"] for d in diags}
            if c["rule"]:
                self.assertIn(c["rule"], rules, r)
            elif c["code"] == 0:
                self.assertFalse(rules & {"XML", "XSD", "IO"}, r)
            if name == "error-at-line-70000.xml":
                self.assertEqual([d["line"] for d in diags if d["rule"] == "XSD"], [70099], r)
            if name.startswith("new\n"):
                t = pep("validate", "--as-of", "2026-07-17", "--stage", "upload", "--la", "kirklees", path)
                self.assertNotIn("new\nline", t.out)  # a diagnostic stays one line
        return r

    def test_manifest_has_at_least_30_inputs(self):
        self.assertGreaterEqual(len(manifest()), 30)
        for c in manifest():
            if not c["name"].startswith("*"):
                self.assertTrue(os.path.exists(os.path.join(HOSTILE, c["name"])), c["name"])

    def test_each_input(self):
        for c in manifest():
            with self.subTest(input=c["name"], command=c["cmd"]):
                self.run_case(c)

    def test_a_directory_and_a_missing_path_are_exit_2(self):
        r = pep("validate", self.tmp)
        self.assertEqual(r.code, 2, r)
        self.assertIn("this is a folder", r.err)
        r = pep("validate", os.path.join(self.tmp, "nope.xml"))
        self.assertEqual(r.code, 2, r)
        self.assertIn("nope.xml: cannot read the file: No such file or directory", r.err)

    def test_latin1_names_are_decoded(self):
        r = pep("render", "--stage", "draft", os.path.join(HOSTILE, "latin1-declared-valid.xml"),
                "-o", os.path.join(self.tmp, "l.pdf"))
        self.assertEqual(r.code, 0, r)
        import subprocess
        text = subprocess.run(["pdftotext", os.path.join(self.tmp, "l.pdf"), "-"], stdout=subprocess.PIPE).stdout.decode()
        self.assertIn("Zoë", text)


if __name__ == "__main__":
    unittest.main()
