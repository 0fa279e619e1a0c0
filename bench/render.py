#!/usr/bin/env python3
"""make bench: how fast pep render makes PDFs of the samples, and how big.

Makes a corpus of copies of every sample (each with its own LA child id, so
that every PDF gets its own name: 9 samples x 20 = 180 PEPs by default),
renders it with one `pep render -d` per round, and prints PDFs per second and
the average size:
  - with the default -j (every processor; the aim is at least 100 PDFs/s on
    2 cores, at most 120 KB each on average), and on one core (-j 1, taskset);
  - with the full DejaVu Sans (what every PDF carried before the build-time
    subset), PDF/A, the child's copy, and the HTML page (--format html);
and says whether another way of making the same document is installed
(Apache FOP would be one; it is not a Debian dependency of pep).
A measurement, not a test: nothing here fails on a number.

usage: bench/render.py [--pep bin/pep] [--copies N] [--rounds N]
"""
import argparse
import os
import resource
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FULL_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def make_corpus(copies):
    corpus = os.path.join(ROOT, "bench", "corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    os.makedirs(corpus)
    samples = sorted(f for f in os.listdir(os.path.join(ROOT, "samples")) if f.endswith(".xml"))
    for s in samples:
        text = open(os.path.join(ROOT, "samples", s), encoding="utf-8").read()
        for i in range(copies):
            t = re.sub(r"<laChildId>([^<]*)</laChildId>", lambda m: "<laChildId>%s-B%03d</laChildId>" % (m.group(1), i),
                       text, count=1)
            with open(os.path.join(corpus, "%s-%03d.xml" % (s[:-4], i)), "w", encoding="utf-8") as f:
                f.write(t)
    return sorted(os.path.join(corpus, f) for f in os.listdir(corpus)), len(samples)


def run(cmd, files, rounds, one_core=False):
    """Best wall time of `rounds` runs of cmd(outdir) over files, the least
    processor time (user + system, of pep and its threads), the sizes."""
    best, cpu, sizes = None, None, []
    taskset = ["taskset", "-c", "0"] if one_core and shutil.which("taskset") else []
    for _ in range(rounds):
        out = tempfile.mkdtemp(prefix="pep-bench-")
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run(taskset + cmd(out) + files, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           env=dict(os.environ, SOURCE_DATE_EPOCH="1773230400"))
        dt = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        c = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        cpu = c if cpu is None else min(cpu, c)
        if p.returncode not in (0, 1):
            sys.exit("bench: %s failed: %s" % (" ".join(cmd(out)), p.stderr.decode()[:300]))
        sizes = [os.path.getsize(os.path.join(out, f)) for f in os.listdir(out)]
        shutil.rmtree(out)
        best = dt if best is None else min(best, dt)
    return best, cpu, sizes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pep", default=os.path.join(ROOT, "bin", "pep"))
    ap.add_argument("--copies", type=int, default=20, help="copies of each sample (default 20)")
    ap.add_argument("--rounds", type=int, default=3, help="runs of each way; the best counts (default 3)")
    args = ap.parse_args()
    pep = os.path.abspath(args.pep)
    files, nsamples = make_corpus(args.copies)
    cores = os.cpu_count() or 1
    print("pep render: %d PEPs (%d samples x %d copies), %d processor%s, best of %d runs" % (
        len(files), nsamples, args.copies, cores, "" if cores == 1 else "s", args.rounds))
    print("load average before: %.1f (figures per second fall when others use the processors;"
          " the processor time per file does not)" % os.getloadavg()[0])
    print("%-50s %10s %14s %14s" % ("way", "files/s", "avg KB/file", "CPU ms/file"))
    ways = [("pep render -d (every processor, the default)", lambda out: [pep, "render", "-d", out], False),
            ("pep render -j 1 -d (one core)", lambda out: [pep, "render", "-j", "1", "-d", out], True)]
    if os.path.exists(FULL_FONT):
        ways.append(("pep render --font DejaVuSans.ttf (no subset)",
                     lambda out: [pep, "render", "--font", FULL_FONT, "-d", out], False))
    ways.append(("pep render --pdfa", lambda out: [pep, "render", "--pdfa", "-d", out], False))
    ways.append(("pep render --copy child", lambda out: [pep, "render", "--copy", "child", "-d", out], False))
    ways.append(("pep render --format html", lambda out: [pep, "render", "--format", "html", "-d", out], False))
    for name, cmd, one in ways:
        t, cpu, sizes = run(cmd, files, args.rounds, one)
        print("%-50s %10.1f %14.1f %14.1f" % (name, len(files) / t, sum(sizes) / len(sizes) / 1024,
                                              1000 * cpu / len(files)))
    print("(the aim: at least 100 PDFs/s on 2 cores, at most 120 KB a PDF on average)")
    if shutil.which("fop"):
        print("Apache FOP is installed, but the project has no XSL-FO stylesheet for a PEP to feed it,")
        print("so there is no second way of making the same document to set beside these figures")
    else:
        print("no other way of making a PEP's PDF is installed here (Apache FOP, the obvious one, is not),")
        print("so there is nothing to set beside these figures")
    shutil.rmtree(os.path.join(ROOT, "bench", "corpus"), ignore_errors=True)


if __name__ == "__main__":
    main()
