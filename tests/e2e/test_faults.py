"""Fault injection: every command that writes a file, faced with a read-only
folder, a full disk, a kill part-way, and every command that prints, faced
with a full standard output. In each case the exit code is the one
docs/pep.1 gives (2: not done as asked), the message says what went wrong,
the previous output is untouched and no partial file appears. Then the output
policy as each command meets it (an input as the output, another child's
PDF, permissions, devices, printed paths), dates out of range, the batch
walk's links, and instrumented builds kept out of bin/."""
import csv
import io
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import threading
import time
import unittest

from peptest import PEP, ROOT, SLOWDOWN, TempDirTest, as_nobody, pep

SAMPLE = "samples/kent-review-y10-ehcp.xml"
OLD = b"the previous good output\n"


# Each command that writes a file: its arguments, given the target.
WRITERS = {
    "render": lambda out: ["render", SAMPLE, "-o", out, "--force"],
    "convert": lambda out: ["convert", "--to", "southwark", SAMPLE, "-o", out, "--force"],
    "new": lambda out: ["new", "--la", "kent", "--kind", "review", "-o", out, "--force"],
    "next": lambda out: ["next", SAMPLE, "--date", "2026-06-10", "-o", out, "--force"],
}


def default_signals():
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def run(args, prefix=(), preexec=None):
    e = dict(os.environ)
    e.pop("PEP_DATADIR", None)
    e["SOURCE_DATE_EPOCH"] = "1773230400"
    return subprocess.run(list(prefix) + [PEP] + args, cwd=ROOT, env=e, preexec_fn=preexec,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120 * SLOWDOWN)


class Faults(TempDirTest):
    def setUp(self):
        super().setUp()
        os.chmod(self.tmp, 0o755)
        self.out = os.path.join(self.tmp, "out.file")

    def assert_untouched(self, what):
        with open(self.out, "rb") as f:
            self.assertEqual(f.read(), OLD, "%s: the previous output was changed" % what)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["out.file"], "%s: a file was left behind" % what)

    def test_a_read_only_folder(self):
        prefix = as_nobody()
        for name, args in WRITERS.items():
            with self.subTest(command=name):
                os.chmod(self.tmp, 0o755)
                self.write("out.file", OLD)
                os.chmod(self.tmp, 0o555)
                try:
                    p = run(args(self.out), prefix)
                finally:
                    os.chmod(self.tmp, 0o755)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(b"cannot write " + self.out.encode(), p.stderr)
                self.assertIn(b"read-only", p.stderr)
                self.assert_untouched(name)

    def test_a_file_too_big_for_the_disk_quota(self):
        # RLIMIT_FSIZE makes every write past 2 KB fail (EFBIG), as a quota would.
        def small_files():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

        for name, args in WRITERS.items():
            with self.subTest(command=name):
                self.write("out.file", OLD)
                p = run(args(self.out), preexec=small_files)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(b"cannot write " + self.out.encode(), p.stderr)
                self.assert_untouched(name)

    def test_a_full_disk(self):
        # A real filesystem that fills up: a 64 KB tmpfs (needs root and mount).
        if os.geteuid() != 0 or not shutil.which("mount"):
            self.skipTest("mounting a small tmpfs needs root")
        disk = os.path.join(self.tmp, "disk")
        os.mkdir(disk)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk],
                          stderr=subprocess.DEVNULL).returncode != 0:
            os.rmdir(disk)
            self.skipTest("cannot mount a tmpfs here")
        try:
            out = os.path.join(disk, "x.pdf")
            with open(out, "wb") as f:
                f.write(OLD)
            # The PDF (about 70 KB) cannot fit beside the old file.
            p = run(WRITERS["render"](out))
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn(b"the disk is full; nothing was written", p.stderr)
            with open(out, "rb") as f:
                self.assertEqual(f.read(), OLD)
            self.assertEqual(os.listdir(disk), ["x.pdf"])
        finally:
            subprocess.run(["umount", disk])
            os.rmdir(disk)

    def complete(self, name):
        """The output of an undisturbed run."""
        ref = os.path.join(self.tmp, "..", os.path.basename(self.tmp) + "-ref")
        p = run(WRITERS[name](ref))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(ref, "rb") as f:
            data = f.read()
        os.unlink(ref)
        return data

    def test_a_kill_part_way(self):
        # Killed at every moment from the start to well past the end: the
        # target is always either the old file or the whole new one, and
        # nothing else is ever in the folder.
        for name in ("render", "convert"):
            full = self.complete(name)
            for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
                killed = 0
                for step in range(40):
                    with self.subTest(command=name, signal=sig.name, after_ms=step):
                        self.write("out.file", OLD)
                        e = dict(os.environ)
                        e.pop("PEP_DATADIR", None)
                        e["SOURCE_DATE_EPOCH"] = "1773230400"
                        # A shell starts background jobs with SIGINT ignored (make
                        # valgrind's shards), and pep rightly keeps it ignored: give
                        # the child the default, as a terminal's Ctrl-C would find it.
                        proc = subprocess.Popen([PEP] + WRITERS[name](self.out), cwd=ROOT, env=e,
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                                preexec_fn=default_signals)
                        time.sleep(step / 1000.0)
                        proc.send_signal(sig)
                        rc = proc.wait(timeout=60 * SLOWDOWN)
                        killed += rc < 0
                        with open(self.out, "rb") as f:
                            data = f.read()
                        self.assertIn(data, (OLD, full), "a partial %s output after %s" % (name, sig.name))
                        left = sorted(set(os.listdir(self.tmp)) - {"out.file"})
                        if sig == signal.SIGKILL:
                            # SIGKILL cannot be caught: in the instant between naming
                            # the finished file and renaming it over the old one, it
                            # can leave that name behind, whole, and nothing else.
                            for extra in left:
                                self.assertRegex(extra, r"^\.out\.file\.\w{6}\.tmp$")
                                with open(os.path.join(self.tmp, extra), "rb") as f:
                                    self.assertEqual(f.read(), full, "a partial %s left after SIGKILL" % extra)
                                os.unlink(os.path.join(self.tmp, extra))
                            self.assertLessEqual(len(left), 1)
                        else:
                            self.assertEqual(left, [], "a file left after %s" % sig.name)
                self.assertGreater(killed, 0, "%s was never interrupted: the test did not test" % name)

    def test_a_full_standard_output(self):
        commands = [
            ["check", "samples"],
            ["validate", "samples/invalid/sdq-45.xml"],
            ["rules"],
            ["render", SAMPLE, "-o", "-"],
            ["convert", "--to", "southwark", SAMPLE],
            ["new", "--la", "kent", "--kind", "review"],
            ["next", SAMPLE],
            ["calendar", "show", "--la", "kent", "--year", "2025-26"],
            ["--help"],
        ]
        for args in commands:
            with self.subTest(args=args):
                with open("/dev/full", "wb") as full:
                    p = subprocess.run([PEP] + args, cwd=ROOT, stdout=full, stderr=subprocess.PIPE, timeout=60 * SLOWDOWN)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(b"cannot write to standard output: No space left on device", p.stderr)


class Vanishing(TempDirTest):
    def test_files_removed_during_a_check(self):
        # Someone tidies the folder while a long check runs. Whenever the
        # removal falls, each file is reported at most once, a removed file
        # the walk had listed is an IO error naming it, and nothing crashes.
        # (tests/unit/test_batch.c pins the exact case down.)
        with open(os.path.join(ROOT, SAMPLE), "rb") as f:
            data = f.read()
        names = ["f%04d.xml" % i for i in range(1500)]
        for n in names:
            self.write(os.path.join("d", n), data)
        e = dict(os.environ)
        e.pop("PEP_DATADIR", None)
        proc = subprocess.Popen([PEP, "check", "--format", "csv", "-j", "2", "--as-of", "2026-07-17",
                                 os.path.join(self.tmp, "d")],
                                cwd=ROOT, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(0.05)
        for n in names[750:]:
            os.unlink(os.path.join(self.tmp, "d", n))
        out, err = proc.communicate(timeout=120 * SLOWDOWN)
        self.assertIn(proc.returncode, (0, 1), err)
        rows = list(csv.DictReader(io.StringIO(out.decode("utf-8"))))
        files = [r["file"] for r in rows]
        # The sample is green, so every file is one row: green, or its IO error.
        self.assertEqual(len(files), len(set(files)), "a file reported twice")
        d = os.path.join(self.tmp, "d")
        for n in names[:750]:
            self.assertIn(os.path.join(d, n), files)
        vanished = [r for r in rows if r["rule"] == "IO"]
        for r in vanished:
            self.assertIn(os.path.basename(r["file"]), names[750:])
            self.assertIn("cannot read the file: No such file or directory", r["message"])
        for r in rows:
            self.assertIn(r["rule"], ("", "IO"), r)
        self.assertEqual(proc.returncode, 1 if vanished else 0, err)


if __name__ == "__main__":
    unittest.main()


# ---------------------------------------------------------------------------
# The one output policy (src/outfile.h, pep(1) OUTPUT FILES), as each writing
# command meets it: never over an input, never another child's PDF, never a
# wider mode, never a device renamed over, never a printed path that forges a
# line (issue 13, items 1-5).

def sample_with_id(child_id):
    with open(os.path.join(ROOT, SAMPLE), encoding="utf-8") as f:
        text = f.read()
    return re.sub(r"<laChildId>[^<]*</laChildId>", "<laChildId>%s</laChildId>" % child_id, text, count=1)


def identity_of(path):
    with open(path, "rb") as f:
        m = re.search(rb"/PepIdentity \((pep1-[0-9a-f]{32})\)", f.read())
    return m.group(1).decode() if m else None


class Outputs(TempDirTest):
    def setUp(self):
        super().setUp()
        os.chmod(self.tmp, 0o755)

    def copy_sample(self, name):
        with open(os.path.join(ROOT, SAMPLE), "rb") as f:
            return self.write(name, f.read())

    def test_an_input_is_never_the_output(self):
        src = self.copy_sample("in.xml")
        with open(src, "rb") as f:
            before = f.read()
        os.symlink("in.xml", os.path.join(self.tmp, "link.xml"))
        os.link(src, os.path.join(self.tmp, "hard.xml"))
        cal = os.path.join(ROOT, "tests", "calendars", "kent-override-2025-26.xml")
        shutil.copy(cal, os.path.join(self.tmp, "cal.xml"))
        with open(os.path.join(self.tmp, "cal.xml"), "rb") as f:
            cal_before = f.read()
        ways = ["in.xml", "./in.xml", "link.xml", "hard.xml", os.path.join(self.tmp, "in.xml")]
        for way in ways:
            for force in ([], ["--force"]):
                for args in (["render", "in.xml", "-o", way], ["convert", "--to", "southwark", "in.xml", "-o", way],
                             ["next", "in.xml", "--date", "2026-06-10", "-o", way]):
                    with self.subTest(args=args + force):
                        p = subprocess.run([PEP] + args + force, cwd=self.tmp, stdout=subprocess.PIPE,
                                           stderr=subprocess.PIPE, timeout=60 * SLOWDOWN)
                        self.assertEqual(p.returncode, 2, p.stderr)
                        self.assertIn(b"is a file this command reads: writing the output there would destroy it",
                                      p.stderr)
                        self.assertNotIn(b"lost:", p.stderr)  # refused before the work
                        with open(src, "rb") as f:
                            self.assertEqual(f.read(), before)
        # A calendar is an input too.
        p = subprocess.run([PEP, "render", "--calendar", "cal.xml", "in.xml", "-o", "cal.xml", "--force"], cwd=self.tmp,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60 * SLOWDOWN)
        self.assertEqual(p.returncode, 2, p.stderr)
        with open(os.path.join(self.tmp, "cal.xml"), "rb") as f:
            self.assertEqual(f.read(), cal_before)
        # render -d never picks an input's name: an input that happens to be
        # called like the PDF pushes the PDF on to -2.
        os.mkdir(os.path.join(self.tmp, "out"))
        odd = self.copy_sample(os.path.join("out", "KCC-1970442_PEP_2026-03-11.pdf"))
        p = subprocess.run([PEP, "render", "--force", "-d", "out", "out/KCC-1970442_PEP_2026-03-11.pdf"], cwd=self.tmp,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60 * SLOWDOWN)
        self.assertIn(p.returncode, (0, 1), p.stderr)
        self.assertIn(b"out/KCC-1970442_PEP_2026-03-11-2.pdf", p.stdout)
        with open(odd, "rb") as f:
            self.assertEqual(f.read(), before)

    def render_dir(self, names):
        p = subprocess.run([PEP, "render", "--as-of", "2026-07-17", "-d", "out"] + names, cwd=self.tmp,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120 * SLOWDOWN)
        self.assertIn(p.returncode, (0, 1), p.stderr)
        where = {}
        for line in p.stdout.decode().splitlines():
            src, _, rest = line.partition(" -> ")
            where[src] = rest.split(" (")[0]
        return where

    def test_another_childs_pdf_is_never_replaced(self):
        # Ids that clean to the same name, or to nothing, or start with '-'.
        ids = ["KCC 1", "KCC/1", "KCC:1", "///", "...", "-rf", "--help"]
        names = []
        for i, child in enumerate(ids):
            names.append("c%d.xml" % i)
            self.write(names[-1], sample_with_id(child))
        os.mkdir(os.path.join(self.tmp, "out"))
        first = self.render_dir(names)
        self.assertEqual(len(set(first.values())), len(ids), first)
        for target in first.values():
            self.assertFalse(os.path.basename(target).startswith("-"), target)
        pdfs = sorted(os.listdir(os.path.join(self.tmp, "out")))
        self.assertEqual(len(pdfs), len(ids))
        identities = [identity_of(os.path.join(self.tmp, "out", n)) for n in pdfs]
        self.assertEqual(len(set(identities)), len(ids), "each PDF records whose it is")
        # Again, in the other order: each child finds its own PDF, nothing new.
        again = self.render_dir(list(reversed(names)))
        self.assertEqual(again, first)
        self.assertEqual(sorted(os.listdir(os.path.join(self.tmp, "out"))), pdfs)
        # A file that is no PDF of pep's moves the child on, and is kept ...
        other = os.path.join(self.tmp, "out", "KCC-1_PEP_2026-03-11.pdf")
        os.rename(other, os.path.join(self.tmp, "saved.pdf"))
        with open(other, "wb") as f:
            f.write(b"someone else's document")
        moved = self.render_dir(names[:1])
        self.assertNotEqual(moved["c0.xml"], "out/KCC-1_PEP_2026-03-11.pdf")
        with open(other, "rb") as f:
            self.assertEqual(f.read(), b"someone else's document")
        # ... unless --force says to replace it.
        p = subprocess.run([PEP, "render", "--force", "-d", "out", "c0.xml"], cwd=self.tmp, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60 * SLOWDOWN)
        self.assertIn(b"c0.xml -> out/KCC-1_PEP_2026-03-11.pdf (", p.stdout)
        # Two files for the same child's same meeting in one run: the second is refused.
        self.write("dup.xml", sample_with_id("KCC 1"))
        p = subprocess.run([PEP, "render", "-d", "out", "c0.xml", "dup.xml"], cwd=self.tmp, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60 * SLOWDOWN)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(b"dup.xml: not rendered:", p.stderr)

    def test_the_same_rule_for_every_command(self):
        # An existing file that is not pep's PDF of the same meeting is kept
        # without --force, by every command, and refused before the work.
        for name, args in WRITERS.items():
            with self.subTest(command=name):
                out = self.write("taken.file", OLD)
                without = [a for a in args(out) if a != "--force"]
                p = run(without)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(b"already exists", p.stderr)
                self.assertIn(b"--force", p.stderr)
                with open(out, "rb") as f:
                    self.assertEqual(f.read(), OLD)
                p = run(args(out))
                self.assertIn(p.returncode, (0, 1), p.stderr)
                with open(out, "rb") as f:
                    self.assertNotEqual(f.read(), OLD)
        # render replaces its own PDF of the same meeting without being told.
        out = os.path.join(self.tmp, "x.pdf")
        for _ in range(2):
            p = run(["render", SAMPLE, "-o", out])
            self.assertIn(p.returncode, (0, 1), p.stderr)
        self.assertTrue(identity_of(out))
        # ... but not another child's.
        other = self.write("other.xml", sample_with_id("KCC 2"))
        p = run(["render", other, "-o", out])
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(b"is not what pep made for the same child's same meeting", p.stderr)

    def test_permissions_are_kept(self):
        for name, args in WRITERS.items():
            for mode in (0o600, 0o640):
                with self.subTest(command=name, mode=oct(mode)):
                    out = self.write("secret.file", OLD)
                    os.chmod(out, mode)
                    p = run(args(out))
                    self.assertIn(p.returncode, (0, 1), p.stderr)
                    self.assertEqual(os.stat(out).st_mode & 0o777, mode)
                    os.unlink(out)

    def test_devices_and_fifos_are_streams(self):
        if os.access("/dev/null", os.W_OK):
            p = run(["convert", "--to", "southwark", SAMPLE, "-o", "/dev/null"])
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertTrue(stat.S_ISCHR(os.stat("/dev/null").st_mode))
        fifo = os.path.join(self.tmp, "pipe")
        os.mkfifo(fifo)
        got = []
        reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
        reader.start()
        p = run(["render", SAMPLE, "-o", fifo])
        reader.join(timeout=60)
        self.assertIn(p.returncode, (0, 1), p.stderr)
        self.assertTrue(got and got[0].startswith(b"%PDF-"), "the PDF came through the pipe")
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode))
        # A link to nothing is refused: no file appears where it points.
        os.symlink(os.path.join(self.tmp, "elsewhere.pdf"), os.path.join(self.tmp, "dangling.pdf"))
        p = run(["render", SAMPLE, "-o", os.path.join(self.tmp, "dangling.pdf"), "--force"])
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "elsewhere.pdf")))

    def test_the_childs_copy_never_replaces_the_full_record(self):
        """The copy (full or child's) and the format are part of what a file
        is: the child's copy gets a name of its own with -d, and never takes
        the full record's place with -o, nor a page a PDF's."""
        src = self.copy_sample("in.xml")
        os.mkdir(os.path.join(self.tmp, "od"))
        made = {}
        for opts in ([], ["--copy", "child"], ["--format", "html"], ["--format", "html", "--copy", "child"]):
            for _ in range(2):  # again: the same file found, nothing new
                p = run(["render", "-d", os.path.join(self.tmp, "od")] + opts + [src])
                self.assertIn(p.returncode, (0, 1), p.stderr)
                made[" ".join(opts)] = p.stdout.decode().split(" -> ")[1].split(" (")[0]
        self.assertEqual(sorted(os.path.basename(m) for m in made.values()),
                         ["KCC-1970442_PEP_2026-03-11.html", "KCC-1970442_PEP_2026-03-11.pdf",
                          "KCC-1970442_PEP_2026-03-11_child.html", "KCC-1970442_PEP_2026-03-11_child.pdf"])
        self.assertEqual(len(os.listdir(os.path.join(self.tmp, "od"))), 4)
        out = os.path.join(self.tmp, "x.pdf")
        self.assertIn(run(["render", src, "-o", out]).returncode, (0, 1))
        with open(out, "rb") as f:
            full = f.read()
        for opts in (["--copy", "child"], ["--format", "html"]):
            with self.subTest(opts=opts):
                p = run(["render"] + opts + [src, "-o", out])
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(b"is not what pep made for the same child's same meeting (the same copy", p.stderr)
                with open(out, "rb") as f:
                    self.assertEqual(f.read(), full)
        self.assertIn(run(["render", "--copy", "child", src, "-o", out, "--force"]).returncode, (0, 1))
        with open(out, "rb") as f:
            self.assertNotEqual(f.read(), full)

    def test_the_mark_counts_only_in_its_place(self):
        """Another child's PEP whose text quotes this child's mark, in the
        PDF's form and the page's, makes a PDF and a page that a render of
        this child never replaces without --force."""
        victim = self.copy_sample("victim.xml")
        marks = []
        for fmt in ("pdf", "html"):
            out = os.path.join(self.tmp, "v." + fmt)
            self.assertIn(run(["render", "--format", fmt, victim, "-o", out]).returncode, (0, 1))
            with open(out, "rb") as f:
                marks.append(re.search(rb"(pep1-[0-9a-f]{32})", f.read()).group(1).decode())
        quoted = " ".join('/PepIdentity (%s) <meta name="pep-identity" content="%s">' % (m, m) for m in marks)
        text = sample_with_id("KCC 2")
        text = re.sub(r"<summary>.*?</summary>", "<summary>%s</summary>" % quoted.replace("<", "&lt;"), text,
                      count=1, flags=re.S)
        other = self.write("other.xml", text)
        for fmt in ("pdf", "html"):
            with self.subTest(format=fmt):
                out = os.path.join(self.tmp, "theirs." + fmt)
                p = run(["render", "--format", fmt, other, "-o", out])
                self.assertIn(p.returncode, (0, 1), p.stderr)
                with open(out, "rb") as f:
                    theirs = f.read()
                if fmt == "html":
                    self.assertIn(("/PepIdentity (%s)" % marks[1]).encode(), theirs)  # the text is there ...
                p = run(["render", "--format", fmt, victim, "-o", out])
                self.assertEqual(p.returncode, 2, p.stderr)  # ... and is not the file's mark
                with open(out, "rb") as f:
                    self.assertEqual(f.read(), theirs)

    def test_standard_output_on_an_input_is_refused(self):
        """A shell's ">> in.xml" or "1<> in.xml" gives a command its own input
        as standard output: refused before anything is written, by every
        command that reads files; a pipe and another file are fine."""
        src = self.copy_sample("s.xml")
        os.mkdir(os.path.join(self.tmp, "cl"))
        in_folder = self.copy_sample(os.path.join("cl", "a.xml"))
        cal = os.path.join(self.tmp, "cal.xml")
        shutil.copy(os.path.join(ROOT, "tests", "calendars", "kent-override-2025-26.xml"), cal)
        cases = [
            (["convert", "--to", "southwark", src, "-o", "-"], src, "ab"),
            (["convert", "--to", "southwark", src], src, "ab"),
            (["render", src, "-o", "-"], src, "r+b"),
            (["render", "--format", "html", src, "-o", "-"], src, "ab"),
            (["next", src], src, "ab"),
            (["validate", src], src, "ab"),
            (["check", os.path.join(self.tmp, "cl")], in_folder, "ab"),
            (["caseload", os.path.join(self.tmp, "cl")], in_folder, "ab"),
            (["caseload", "--format", "html", self.tmp], in_folder, "ab"),
            (["calendar", "check", cal], cal, "ab"),
            (["due", "--la", "kent", "--from", "2026-01-05", "--school-days", "20", "--calendar", cal], cal, "ab"),
            (["validate", "--calendar", cal, src], cal, "ab"),
        ]
        for args, target, mode in cases:
            with self.subTest(args=args[:2], target=os.path.basename(target)):
                with open(target, "rb") as f:
                    before = f.read()
                e = dict(os.environ)
                e.pop("PEP_DATADIR", None)
                with open(target, mode) as out:
                    p = subprocess.run([PEP] + args, cwd=ROOT, env=e, stdout=out, stderr=subprocess.PIPE,
                                       timeout=60 * SLOWDOWN)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(b"standard output is " + os.path.realpath(target).encode() + b", a file this command "
                              b"reads", p.stderr)
                with open(target, "rb") as f:
                    self.assertEqual(f.read(), before)
        # A pipe and another file are standard output as ever.
        p = run(["convert", "--to", "southwark", src])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"https://pep-tool.org/ns/southwark/1", p.stdout)
        with open(os.path.join(self.tmp, "report.txt"), "ab") as out:
            p = subprocess.run([PEP, "check", os.path.join(self.tmp, "cl")], stdout=out, stderr=subprocess.PIPE,
                               timeout=60 * SLOWDOWN)
        self.assertIn(p.returncode, (0, 1), p.stderr)

    def test_what_a_command_reads_is_never_written_even_with_force(self):
        """pep's own data (schemas, style sheets, fonts, calendars) and the
        fonts render reads (the bold face found beside --font too) are never
        written, nor anything made in the data folders, even with --force."""
        data = os.path.join(self.tmp, "share")
        os.mkdir(data)
        for part in ("schemas", "stylesheets", "fonts", "data"):
            shutil.copytree(os.path.join(ROOT, part), os.path.join(data, part))
        env = dict(os.environ, PEP_DATADIR=data)
        bold = os.path.join(data, "fonts", "PepSans-Bold.ttf")
        fonts = os.path.join(self.tmp, "fonts")
        os.mkdir(fonts)
        for face in ("DejaVuSans", "DejaVuSans-Bold"):
            shutil.copy(os.path.join(ROOT, "fonts", "PepSans%s.ttf" % face[10:]), os.path.join(fonts, face + ".ttf"))
        beside = os.path.join(fonts, "DejaVuSans-Bold.ttf")
        cases = [
            (["render", SAMPLE, "-o", bold, "--force"], bold),
            (["render", SAMPLE, "-o", os.path.join(data, "fonts", "PepSans.ttf"), "--force"], None),
            (["render", "-d", os.path.join(data, "schemas"), "--force", SAMPLE], None),
            (["convert", "--to", "southwark", SAMPLE, "-o", os.path.join(data, "schemas", "pep.xsd"), "--force"], None),
            (["new", "--la", "kent", "--kind", "review", "-o", os.path.join(data, "data", "calendars", "x.xml")], None),
            (["next", SAMPLE, "-o", os.path.join(data, "stylesheets", "x.xml"), "--force"], None),
            (["render", "--font", os.path.join(fonts, "DejaVuSans.ttf"), SAMPLE, "-o", beside, "--force"], beside),
        ]
        listing = sorted(os.path.relpath(os.path.join(d, f), data) for d, _, fs in os.walk(data) for f in fs)
        sums = {n: open(os.path.join(data, n), "rb").read() for n in listing}
        for args, target in cases:
            with self.subTest(args=args[:2] + args[-3:]):
                if target:
                    with open(target, "rb") as f:
                        before = f.read()
                p = subprocess.run([PEP] + args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   timeout=60 * SLOWDOWN)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertTrue(b"a file this command reads" in p.stderr or b"in pep's own data" in p.stderr,
                                p.stderr)
                if target:
                    with open(target, "rb") as f:
                        self.assertEqual(f.read(), before)
        self.assertEqual(sorted(os.path.relpath(os.path.join(d, f), data) for d, _, fs in os.walk(data) for f in fs),
                         listing)
        for n in listing:
            with open(os.path.join(data, n), "rb") as f:
                self.assertEqual(f.read(), sums[n], n)

    def test_printed_paths_cannot_forge_lines(self):
        forged = "x.xml: error: [T01] forged\n"
        names = ["new\nline.xml", "carriage\rreturn.xml", "esc\x1b[31mred.xml", "bidi\u202eflip.xml",
                 "nel\u0085next.xml", "sep\u2028line.xml", forged.replace("\n", "\n") + "y.xml"]
        os.mkdir(os.path.join(self.tmp, "out"))
        for i, n in enumerate(names):
            self.write(n, sample_with_id("KCC-%d" % i))
        runs = [
            [PEP, "render", "--as-of", "2026-07-17", "-d", "out"] + names,
            [PEP, "validate", "--as-of", "2026-07-17", "--la", "kirklees", "--stage", "upload"] + names,
            [PEP, "check", "--as-of", "2026-07-17", "--la", "kirklees", "--stage", "upload", "."],
            [PEP, "validate", "missing\nfile.xml", "gone\x1b]0;title\x07.xml"],
            [PEP, "convert", "--to", "southwark", "missing\nfile.xml"],
            [PEP, "render", names[0], "-o", "no\nsuch/dir.pdf"],
            [PEP, "new", "--la", "kent", "--kind", "review", "-o", "out/a\nb/c.xml"],
            [PEP, "no\nsuch-command"],
        ]
        for args in runs:
            with self.subTest(args=args[1:3]):
                p = subprocess.run(args, cwd=self.tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   timeout=120 * SLOWDOWN)
                for stream in (p.stdout, p.stderr):
                    text = stream.decode("utf-8", "replace")
                    for ch in "\r\x1b\x07\u202e\u0085\u2028":
                        self.assertNotIn(ch, text)
                    for line in text.splitlines():
                        self.assertFalse(line.startswith(("line.xml", "next.xml", "file.xml", "such", "y.xml",
                                                          "b/c.xml", "forged")), repr(line))
                        self.assertNotRegex(line, r"^x\.xml: error: \[T01\] forged$")


class Pipes(TempDirTest):
    """A named pipe given where a file is read (a PEP, --font, the bold face
    beside it, --calendar) is refused at once, never waited on, and the
    message names what was expected."""

    def test_a_pipe_is_never_waited_on(self):
        fifo = os.path.join(self.tmp, "pipe")
        os.mkfifo(fifo)
        fonts = os.path.join(self.tmp, "fonts")
        os.mkdir(fonts)
        shutil.copy(os.path.join(ROOT, "fonts", "PepSans.ttf"), os.path.join(fonts, "Face.ttf"))
        os.mkfifo(os.path.join(fonts, "Face-Bold.ttf"))
        out = os.path.join(self.tmp, "out.pdf")
        cases = [
            (["render", "--font", fifo, SAMPLE, "-o", out], "give a TrueType (.ttf) font"),
            (["render", "--font", os.path.join(fonts, "Face.ttf"), SAMPLE, "-o", out], "give a TrueType (.ttf) font"),
            (["validate", "--calendar", fifo, SAMPLE], "give a calendar file"),
            (["render", "--calendar", fifo, SAMPLE, "-o", out], "give a calendar file"),
            (["validate", fifo], "give a PEP file"),
        ]
        for args, says in cases:
            with self.subTest(args=args[:3]):
                start = time.monotonic()
                p = run(args)
                self.assertLess(time.monotonic() - start, 10 * SLOWDOWN)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(b"this is not a regular file (a device, pipe or socket); " + says.encode(), p.stderr)
                self.assertFalse(os.path.exists(out))


class Values(TempDirTest):
    """Reports on standard error quote no values unless asked (the table in
    docs/security.md, promise 6): a child's name in a field the schema
    refuses, and an attachment's title, through every command."""

    NAME = "\u0141ukasz Wi\u015bniewski"

    def test_no_command_quotes_a_value_on_standard_error_unless_asked(self):
        text = sample_with_id("KCC 7")
        text = re.sub(r"<upn>[^<]*</upn>", "<upn>%s</upn>" % self.NAME, text, count=1)
        bad = self.write("bad.xml", text)
        os.mkdir(os.path.join(self.tmp, "folder"))
        shutil.copy(bad, os.path.join(self.tmp, "folder", "bad.xml"))
        out = os.path.join(self.tmp, "out")
        quiet = [
            ["convert", "--to", "southwark", bad, "-o", out + ".xml"],
            ["convert", "--to", "southwark", "--format", "json", bad, "-o", out + ".xml"],
            ["render", bad, "-o", out + ".pdf"],
            ["render", bad, "-o", "-"],
            ["render", "--format", "html", bad, "-o", out + ".html"],
            ["render", "-d", self.tmp, bad],
            ["next", bad, "-o", out + ".next.xml"],
            ["check", os.path.join(self.tmp, "folder")],
            ["check", "--format", "json", os.path.join(self.tmp, "folder")],
            ["caseload", os.path.join(self.tmp, "folder")],
        ]
        for args in quiet:
            with self.subTest(args=args[:3]):
                p = run(args)
                self.assertNotEqual(p.returncode, 0, p.stderr)
                both = (p.stdout + p.stderr).decode("utf-8", "replace")
                self.assertNotIn(self.NAME, both)
                self.assertNotIn("Wi\u015bniewski", both)
                if args[0] in ("convert", "render", "next"):
                    self.assertIn("UPN (value not shown) is not valid", both)
        # Asked: validate's report (its whole job), and --show-values.
        loud = [
            ["validate", bad],
            ["convert", "--to", "southwark", "--show-values", bad, "-o", out + ".xml"],
            ["render", "--show-values", bad, "-o", out + ".pdf"],
        ]
        for args in loud:
            with self.subTest(args=args[:3]):
                p = run(args)
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertIn('UPN "%s" is not valid' % self.NAME, (p.stdout + p.stderr).decode())
        # next's note names an attachment by its place and kind, not its title.
        p = run(["next", SAMPLE, "-o", out + ".n2.xml"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"note: attachment 2 of 2 (other, line 425 of the previous PEP)", p.stderr)
        self.assertNotIn(b"SEN pupil view form, completed", p.stderr)


class Dates(TempDirTest):
    """Dates outside 1900-01-01..2099-12-31, given or computed, are exit 2
    everywhere, before any work (issue 13, items 12 and 13)."""

    def test_dates_out_of_range(self):
        cases = [
            ["due", "--la", "kent", "--from", "9999-12-15", "--months", "120"],
            ["due", "--la", "kent", "--from", "2099-12-15", "--months", "1"],
            ["due", "--la", "kent", "--from", "2099-12-15", "--months", "120"],
            ["due", "--la", "kent", "--from", "1900-01-01", "--months", "0"],
            ["due", "--la", "kent", "--from", "1899-12-31", "--school-days", "1"],
            ["due", "--la", "kent", "--from", "0000-01-01", "--working-days", "1"],
            ["due", "--la", "kent", "--from", "2100-01-01", "--working-days", "1"],
            ["next", SAMPLE, "--date", "9999-12-31"],
            ["next", SAMPLE, "--date", "2100-01-01"],
            ["validate", "--as-of", "2100-01-01", SAMPLE],
            ["validate", "--as-of", "1899-12-31", SAMPLE],
            ["check", "--as-of", "9999-12-31", "samples"],
            ["render", "--as-of", "0999-12-31", SAMPLE, "-o", os.path.join(self.tmp, "x.pdf")],
        ]
        for args in cases:
            with self.subTest(args=args):
                p = run(args)
                err = p.stderr.decode()
                if args[4:6] == ["1900-01-01", "--months"]:
                    self.assertEqual(p.returncode, 0, err)  # the first day there is
                    self.assertEqual(p.stdout, b"1900-01-01\n")
                    continue
                self.assertEqual(p.returncode, 2, err)
                self.assertEqual(p.stdout, b"")
                self.assertNotIn("internal error", err)
                self.assertRegex(err, r"(not a date|outside the dates a PEP can hold|falls after 2099-12-31|"
                                      r"\[CAL01\])")
        self.assertEqual(os.listdir(self.tmp), [])


# ---------------------------------------------------------------------------
# The batch walk (issue 13, item 8): each real folder and file once, links
# out of the folders named not followed unless asked.

class Links(TempDirTest):
    def check(self, *args):
        p = subprocess.run([PEP, "check", "--as-of", "2026-07-17", "--format", "csv", "-j", "2"] + list(args),
                           cwd=self.tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120 * SLOWDOWN)
        return p, list(csv.DictReader(io.StringIO(p.stdout.decode("utf-8"))))

    def test_a_lattice_of_links_is_walked_once(self):
        with open(os.path.join(ROOT, SAMPLE), "rb") as f:
            data = f.read()
        for i in range(20):
            self.write(os.path.join("lattice", "d%d" % i, "p.xml"), data)
        for i in range(19):
            for link in ("a", "b"):
                os.symlink("../d%d" % (i + 1), os.path.join(self.tmp, "lattice", "d%d" % i, link))
        t0 = time.monotonic()
        p, rows = self.check("lattice")
        self.assertLess(time.monotonic() - t0, 1.0 * SLOWDOWN + 0.5)
        files = [r["file"] for r in rows]
        self.assertEqual(len(files), 20, files[:5])
        self.assertEqual(len(set(files)), 20)
        # Named from its first folder, the rest lies outside: not followed
        # but reported, and followed with --follow-links.
        p, rows = self.check("lattice/d0")
        self.assertEqual([r["file"] for r in rows if r["rule"] != "IO"], ["lattice/d0/p.xml"])
        self.assertEqual(sorted(r["file"] for r in rows if r["rule"] == "IO"), ["lattice/d0/a", "lattice/d0/b"])
        self.assertTrue(all(r["severity"] == "warning" for r in rows if r["rule"] == "IO"))
        self.assertEqual(p.returncode, 0, p.stderr)
        p, rows = self.check("--follow-links", "lattice/d0")
        self.assertEqual(len(rows), 20)

    def test_a_link_out_of_the_folders_named_is_not_followed(self):
        with open(os.path.join(ROOT, SAMPLE), "rb") as f:
            data = f.read()
        self.write(os.path.join("mine", "a.xml"), data)
        self.write(os.path.join("elsewhere", "theirs.xml"), data)
        os.symlink("/etc", os.path.join(self.tmp, "mine", "etc"))
        os.symlink("../elsewhere", os.path.join(self.tmp, "mine", "other"))
        os.symlink("../elsewhere/theirs.xml", os.path.join(self.tmp, "mine", "theirs.xml"))
        p, rows = self.check("mine")
        checked = [r["file"] for r in rows if r["rule"] != "IO"]
        self.assertEqual(checked, ["mine/a.xml"])
        for r in rows:
            self.assertFalse(r["file"].startswith("/etc"), r)
        self.assertEqual(sorted(r["file"] for r in rows if r["rule"] == "IO"),
                         ["mine/etc", "mine/other", "mine/theirs.xml"])
        self.assertIn("give --follow-links", rows[-1]["message"])
        # Named, the other folder is read; links between the two are then inside.
        p, rows = self.check("mine", "elsewhere")
        self.assertEqual(sorted(r["file"] for r in rows if r["rule"] != "IO"), ["elsewhere/theirs.xml", "mine/a.xml"])

    def test_a_file_reached_twice_is_checked_once(self):
        with open(os.path.join(ROOT, SAMPLE), "rb") as f:
            data = f.read()
        a = self.write(os.path.join("d", "a.xml"), data)
        os.link(a, os.path.join(self.tmp, "d", "hard.xml"))
        os.symlink("a.xml", os.path.join(self.tmp, "d", "soft.xml"))
        os.symlink(".", os.path.join(self.tmp, "d", "loop"))
        p, rows = self.check("d")
        self.assertEqual([r["file"] for r in rows if r["rule"] != "IO"], ["d/a.xml"])
        self.assertEqual([r["file"] for r in rows if r["rule"] == "IO"], ["d/loop"])


# ---------------------------------------------------------------------------
# Instrumented builds stay out of bin/ (issue 13, item 16).

class Builds(unittest.TestCase):
    def test_a_sanitizer_build_never_lands_in_bin(self):
        if not shutil.which("make"):
            self.skipTest("make is not installed")
        for san in ("1", "thread"):
            p = subprocess.run(["make", "-n", "SANITIZE=" + san, "all", "e2e"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            lines = p.stdout.decode().splitlines()
            for line in lines:
                self.assertNotRegex(line, r"(^|[\s=])bin/pep\b", "SANITIZE=%s writes or runs bin/pep: %s" % (san, line))
            self.assertTrue(any("build/" in l and "/bin/pep" in l for l in lines), "the instrumented binary is run")
        p = subprocess.run(["make", "-n", "all"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
