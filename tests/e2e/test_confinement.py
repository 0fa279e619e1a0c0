"""What pep touches, seen from the kernel: every command, on the hostile
inputs and the samples, runs under strace, and the test reads back every
file and network system call it made. pep must make no network call at all,
run no other program, open for reading only what it was given and its own
installed data (schemas, calendars, fonts, stylesheets) and the system's
libraries, and create, rename or remove files only where its output goes."""
import glob
import os
import re
import shutil
import subprocess
import unittest

from peptest import PEP, ROOT, SLOWDOWN, TempDirTest

STRACE = shutil.which("strace")
HOSTILE = os.path.join(ROOT, "tests", "hostile")
SAMPLE = os.path.join(ROOT, "samples", "kent-review-y10-ehcp.xml")
SOUTHWARK = os.path.join(ROOT, "samples", "southwark", "southwark-secondary-ehcp.xml")

# What pep may read besides its inputs: its own data, the C library's and
# the dynamic loader's files, the time zone, its own /proc entries, the
# number of processors and whether the system runs in FIPS mode.
DATA = [os.path.join(ROOT, d) + "/" for d in ("schemas", "data", "fonts", "stylesheets")]
SYSTEM = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/", "/etc/ld.so.cache", "/etc/ld.so.preload", "/etc/localtime",
          "/usr/share/zoneinfo/", "/usr/share/fonts/truetype/dejavu/", "/proc/self/", "/dev/null", "/dev/tty",
          "/sys/devices/system/cpu/",  # how many processors, for -j
          "/proc/sys/vm/overcommit_memory",  # read by the C library's malloc
          # libgcrypt's settings, read when EXSLT's crypto:sha1 (the carried block's fingerprints) first runs
          "/proc/sys/crypto/fips_enabled", "/etc/gcrypt/")
# System calls that name a file and change something.
MUTATE = {"unlink", "unlinkat", "rename", "renameat", "renameat2", "link", "linkat", "mkdir", "mkdirat",
          "rmdir", "symlink", "symlinkat", "chmod", "fchmodat", "truncate", "creat", "utimensat"}
NETWORK = {"socket", "connect", "bind", "listen", "accept", "accept4", "sendto", "sendmsg", "recvfrom",
           "recvmsg", "socketpair", "getsockname", "getpeername", "setsockopt", "getsockopt", "shutdown"}
LINE = re.compile(r'^(\d+)\s+(\w+)\((.*)$')
PATH = re.compile(r'"((?:[^"\\]|\\.)*)"')


def strace_works():
    if not STRACE:
        return False
    return subprocess.run([STRACE, "-qq", "-o", "/dev/null", "true"], stderr=subprocess.DEVNULL).returncode == 0


class Confinement(TempDirTest):
    def setUp(self):
        super().setUp()
        if not strace_works():
            self.skipTest("strace is missing or cannot trace here (install strace; allow ptrace)")
        if os.environ.get("PEP_VALGRIND_BIN"):
            self.skipTest("under valgrind, valgrind's own files would be counted as pep's")
        self.out = os.path.join(self.tmp, "out")
        os.mkdir(self.out)

    def traced(self, args, given, code=None):
        """Runs pep with args under strace; checks every call against the
        rules, given the paths named on the command line (files, or folders
        whose contents may be read)."""
        log = os.path.join(self.tmp, "strace.log")
        env = dict(os.environ)
        env.pop("PEP_DATADIR", None)
        # LeakSanitizer cannot run under ptrace; leaks are the other tests' job.
        env["ASAN_OPTIONS"] = ":".join(x for x in (env.get("ASAN_OPTIONS"), "detect_leaks=0") if x)
        p = subprocess.run([STRACE, "-f", "-qq", "-s", "4096", "-e", "trace=%file,%network", "-o", log, PEP] + args,
                           cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=120 * SLOWDOWN)
        if code is not None:
            self.assertEqual(p.returncode, code, p.stderr.decode("utf-8", "replace"))
        allowed = [os.path.realpath(os.path.join(ROOT, g)) for g in given]
        execs = 0
        with open(log, encoding="utf-8", errors="replace") as f:
            for raw in f:
                m = LINE.match(raw)
                if not m:
                    continue
                call, rest = m.group(2), m.group(3)
                where = "%s: %s" % (" ".join(args), raw.strip()[:200])
                self.assertNotIn(call, NETWORK, "a network call: " + where)
                paths = [bytes(x, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8", "replace")
                         for x in PATH.findall(rest)]
                if call == "execve":
                    execs += 1
                    self.assertEqual(execs, 1, "ran another program: " + where)
                    continue
                if not paths:
                    continue
                if call in ("open", "openat"):
                    path = self.absolute(paths[0])
                    writes = re.search(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_TMPFILE", rest)
                    if writes:
                        self.assertTrue(self.inside(path, [self.out]), "wrote outside the output folder: " + where)
                    else:
                        self.assertTrue(self.inside(path, allowed + DATA) or path.startswith(SYSTEM) or
                                        self.inside(path, [self.out]),
                                        "opened a file it was not given: " + where)
                elif call in MUTATE:
                    if call in ("link", "linkat"):
                        paths = paths[-1:]  # the new name: the file linked is not changed
                    for path in paths:
                        self.assertTrue(self.inside(self.absolute(path), [self.out]),
                                        "changed a file outside the output folder: " + where)
        return p

    @staticmethod
    def absolute(path):
        return os.path.normpath(os.path.join(ROOT, path))

    @staticmethod
    def inside(path, roots):
        path = os.path.realpath(path) if os.path.exists(path) else path
        return any(path == r.rstrip("/") or path.startswith(r.rstrip("/") + "/") for r in roots)

    def test_every_hostile_input_is_read_and_nothing_else(self):
        for path in sorted(glob.glob(os.path.join(HOSTILE, "*.xml"))):
            with self.subTest(input=os.path.basename(path)):
                self.traced(["validate", "--as-of", "2026-07-17", path], [path])

    def test_render_opens_no_attachment(self):
        path = os.path.join(HOSTILE, "attachment-path-traversal.xml")
        self.traced(["render", "--as-of", "2026-07-17", path, "-o", os.path.join(self.out, "x.pdf")], [path], code=0)
        self.traced(["render", "--as-of", "2026-07-17", "-d", self.out, SAMPLE, path], [SAMPLE, path])
        self.assertTrue(os.listdir(self.out))

    def test_convert_both_ways(self):
        self.traced(["convert", "--to", "southwark", SAMPLE, "-o", os.path.join(self.out, "s.xml")], [SAMPLE], code=0)
        self.traced(["convert", "--to", "kent", SOUTHWARK, "-o", os.path.join(self.out, "k.xml")], [SOUTHWARK])
        for hostile in ("exsl-document-payload.xml", "xsl-elements-in-pep.xml", "xxe-http.xml"):
            path = os.path.join(HOSTILE, hostile)
            self.traced(["convert", "--to", "southwark", path, "-o", os.path.join(self.out, "h.xml")], [path])

    def test_check_reads_only_its_folder(self):
        folder = os.path.join(ROOT, "samples")
        self.traced(["check", "--as-of", "2026-07-17", "-j", "2", folder], [folder], code=1)
        self.traced(["check", "--as-of", "2026-07-17", "--summary", HOSTILE], [HOSTILE])

    def test_caseload_reads_only_its_folder_and_writes_only_its_page(self):
        folder = os.path.join(ROOT, "samples")
        self.traced(["caseload", "--as-of", "2026-07-17", "-j", "2", "--format", "html", "-o",
                     os.path.join(self.out, "caseload.html"), folder], [folder], code=1)
        self.assertTrue(os.path.exists(os.path.join(self.out, "caseload.html")))

    def test_authoring_and_the_rest(self):
        self.traced(["new", "--la", "kent", "--kind", "review", "-o", os.path.join(self.out, "n.xml")], [], code=0)
        self.traced(["next", SAMPLE, "--date", "2026-06-10", "-o", os.path.join(self.out, "next.xml")], [SAMPLE], code=0)
        self.traced(["rules"], [], code=0)
        self.traced(["calendar", "show", "--la", "kent", "--year", "2025-26"], [], code=0)
        self.traced(["due", "--la", "kent", "--from", "2026-01-05", "--school-days", "20"], [], code=0)

    def test_the_test_can_fail(self):
        # A program that reads /etc/hostname under the same watch fails it.
        log_check = self.traced
        global PEP
        real = PEP
        try:
            PEP = shutil.which("cat")
            with self.assertRaises(AssertionError):
                log_check(["/etc/hostname"], [])
        finally:
            PEP = real


if __name__ == "__main__":
    unittest.main()
