"""docs/guide.md stays true: its worked example is run, step by step.

The guide marks what this test does with HTML comments before a fenced block:
    <!-- run -->            a console block: each "$ pep ..." line is run, in
                            order, in one folder; the lines after it are its
                            output (stdout, then stderr). "$ cp -r
                            /usr/local/share/pep/samples ." copies the samples
                            from where make install puts them (it is run
                            with DESTDIR, into a scratch folder)
    <!-- fill FILE -->      an xml block: what the reader types into FILE; each
                            line <x>value</x> replaces the next <x>...</x>, and
                            an opening tag (with its attributes) the next <x ...>
    <!-- excerpt FILE -->   an xml block whose lines appear in FILE, in order

Run with PEP_GUIDE_PRINT=1 to print each run block's real output.
"""
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import unittest

from peptest import PEP, ROOT, SLOWDOWN

GUIDE = os.path.join(ROOT, "docs", "guide.md")
PREFIX = "/usr/local"  # the Makefile's default, which the guide assumes
STEP = re.compile(r"<!-- (run|fill [^ ]+|excerpt [^ ]+) -->\n```\w*\n(.*?)```", re.S)


def steps():
    with open(GUIDE, encoding="utf-8") as f:
        text = f.read()
    for m in STEP.finditer(text):
        yield text.count("\n", 0, m.start()) + 2, m.group(1), m.group(2)


def fill(path, block):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    at = 0
    for line in block.splitlines():
        line = line.strip()
        if not line or line == "...":
            continue
        value = re.fullmatch(r"<(\w+)(?: [^>]*)?>.*</\1>", line)
        opening = re.fullmatch(r"<(\w+)(?: [^>]*)?>", line)
        closing = re.fullmatch(r"</(\w+)>", line)
        if value:
            m = re.compile(r"<%s(?: [^>]*)?>[^<]*</%s>" % (value.group(1), value.group(1))).search(text, at)
        elif opening:
            m = re.compile(r"<%s(?: [^>]*)?>" % opening.group(1)).search(text, at)
        elif closing:
            m = re.compile(re.escape(line)).search(text, at)
        else:
            raise AssertionError("%s: cannot fill with %r" % (path, line))
        if not m:
            raise AssertionError("%s: no place for %r after offset %d" % (path, line, at))
        text = text[:m.start()] + line + text[m.end():]
        at = m.start() + len(line)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def excerpt(path, block):
    with open(path, encoding="utf-8") as f:
        lines = [l.strip() for l in f.read().splitlines()]
    at = 0
    for want in (l.strip() for l in block.splitlines()):
        if not want or want == "...":
            continue
        if want not in lines[at:]:
            raise AssertionError("%s: %r is not there (after line %d)" % (path, want, at))
        at = lines.index(want, at) + 1


def install_data(destdir):
    """make install-data into destdir, as the guide's reader ran make install
    (install-data is what it installs that needs no building)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    subprocess.run(["make", "-s", "--no-print-directory", "-C", ROOT, "install-data", "DESTDIR=" + destdir,
                    "PREFIX=" + PREFIX], env=env, check=True, stdout=subprocess.DEVNULL, timeout=60 * SLOWDOWN)


def run(folder, block, destdir=None):
    """Runs the block's commands in folder; returns the block as it would
    read with their real output. Files under PREFIX are taken from the
    installation in destdir."""
    got = []
    for line in block.splitlines():
        if not line.startswith("$ "):
            continue
        args = shlex.split(line[2:])
        if args[:2] == ["cp", "-r"] and args[2].startswith(PREFIX + "/"):
            assert destdir, "the guide copies from the installation: %r" % line
            p = subprocess.run(["cp", "-r", destdir + args[2]] + args[3:], cwd=folder, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            got.append(line)
            got.extend((p.stdout + p.stderr).decode("utf-8").splitlines())
            continue
        assert args[0] == "pep", "the guide runs pep (and cp from the installation) only: %r" % line
        env = dict(os.environ)
        env.pop("PEP_DATADIR", None)
        p = subprocess.run([PEP] + args[1:], cwd=folder, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60 * SLOWDOWN)
        got.append(line)
        got.extend((p.stdout + p.stderr).decode("utf-8").splitlines())
    return "\n".join(got)


class Guide(unittest.TestCase):
    def setUp(self):
        # The reader's folder starts empty: what the guide uses, it makes
        # or copies from the installation.
        self.folder = tempfile.mkdtemp(prefix="pep-guide-")
        self.destdir = tempfile.mkdtemp(prefix="pep-guide-install-")

    def tearDown(self):
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.destdir, ignore_errors=True)

    def test_the_worked_example(self):
        install_data(self.destdir)
        done = 0
        for line, kind, block in steps():
            where = "docs/guide.md:%d" % line
            if kind == "run":
                want, got = block.rstrip("\n"), run(self.folder, block, self.destdir)
                if os.environ.get("PEP_GUIDE_PRINT"):
                    print("\n--- %s\n%s" % (where, got))
                    continue
                self.assertEqual(want, got, where)
            elif kind.startswith("fill "):
                fill(os.path.join(self.folder, kind[5:]), block)
            else:
                excerpt(os.path.join(self.folder, kind[8:]), block)
            done += 1
        self.assertGreater(done, 10, "the guide's worked example is missing")

    def test_a_newcomer_installs_pep_before_using_it(self):
        """After make demo, pep is bin/pep in the source folder, not on the
        PATH: the guide says how to install it before its first command."""
        with open(GUIDE, encoding="utf-8") as f:
            text = f.read()
        first = re.search(r"^\$ pep ", text, re.M)
        self.assertTrue(first)
        self.assertRegex(text[:first.start()], r"\$ sudo make install\n")
        self.assertIn("bin/pep", text[:first.start()])

    def test_every_command_the_guide_teaches_is_run(self):
        with open(GUIDE, encoding="utf-8") as f:
            text = f.read()
        self.assertNotIn("capture after merge", text)
        for command in ("new", "next", "validate", "render", "convert", "check", "caseload"):
            with self.subTest(command=command):
                self.assertRegex(text, r"<!-- run -->\n```console\n(?:.*\n)*?\$ pep %s " % command)
