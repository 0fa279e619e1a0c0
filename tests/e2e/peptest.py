"""Helpers for the end-to-end tests: run the built pep, find files."""
import glob
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEP = os.environ.get("PEP", os.path.join(ROOT, "bin", "pep"))
NS = "https://pep-tool.org/ns/pep/1"
# How much slower pep runs than natively (make valgrind sets it): time
# bounds and timeouts are multiplied by it.
SLOWDOWN = float(os.environ.get("PEP_TEST_SLOWDOWN", "1"))


def as_nobody():
    """The command prefix that runs pep as an unprivileged user, for tests
    that need a permission to bite (root ignores chmod): [] when not root,
    setpriv to the user nobody under root. Skips the test when that cannot
    work here: no setpriv, or a clone in a folder nobody may enter."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        raise unittest.SkipTest("running as root without setpriv (util-linux): cannot drop privileges")
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    for test in (["-x", PEP], ["-r", os.path.join(ROOT, "schemas", "pep.xsd")]):
        if subprocess.run(prefix + ["test"] + test).returncode != 0:
            raise unittest.SkipTest("the user nobody cannot reach %s: clone into a folder others may read" % test[1])
    return prefix


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout.decode("utf-8", "replace")
        self.err = proc.stderr.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return "exit %d\n--- stdout\n%s--- stderr\n%s" % (self.code, self.out, self.err)


def pep(*args, timeout=60, cwd=ROOT, env=None, stdin=None):
    """Runs pep with args from the repository root."""
    e = dict(os.environ)
    e.pop("PEP_DATADIR", None)  # the binary must find its data by itself
    if env:
        e.update(env)
    proc = subprocess.run([PEP] + [str(a) for a in args], cwd=cwd, env=e, timeout=timeout * SLOWDOWN,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=stdin or subprocess.DEVNULL)
    return Result(proc)


def samples():
    """The valid samples, relative to the root."""
    return sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "samples", "*.xml")))


def invalid_samples():
    return sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "samples", "invalid", "*.xml")))


EXPECT = re.compile(rb"<!--\s*expect:\s*(\w+)\s+(\d+)")


def expectation(path):
    """(rule, line) from the file's `<!-- expect: RULE LINE ... -->` comment;
    an empty file expects XML on line 1."""
    with open(os.path.join(ROOT, path), "rb") as f:
        data = f.read()
    if not data.strip():
        return ("XML", 1)
    m = EXPECT.search(data)
    if not m:
        raise AssertionError("%s has no '<!-- expect: RULE LINE -->' comment" % path)
    return (m.group(1).decode(), int(m.group(2)))


class TempDirTest(unittest.TestCase):
    """A test case with a fresh temporary folder in self.tmp."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pep-e2e-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path
