"""Fault injection: every command that writes a file, faced with a read-only
folder, a full disk, a kill part-way, and every command that prints, faced
with a full standard output. In each case the exit code is the one
docs/pep.1 gives (2: not done as asked), the message says what went wrong,
the previous output is untouched and no partial file appears."""
import csv
import io
import os
import resource
import shutil
import signal
import subprocess
import time
import unittest

from peptest import PEP, ROOT, SLOWDOWN, TempDirTest, as_nobody, pep

SAMPLE = "samples/kent-review-y10-ehcp.xml"
OLD = b"the previous good output\n"


# Each command that writes a file: its arguments, given the target.
WRITERS = {
    "render": lambda out: ["render", SAMPLE, "-o", out],
    "convert": lambda out: ["convert", "--to", "southwark", SAMPLE, "-o", out],
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
