#!/usr/bin/env python3
"""Runs the end-to-end tests: the built pep on real files (tests/e2e/test_*.py,
and the command tests in tests/cmd/*.test).

usage: tests/run_e2e.py --pep bin/pep [-k PATTERN] [--shard I/N] [-v] [--durations N]
"""
import argparse
import os
import sys
import time
import unittest

here = os.path.dirname(os.path.abspath(__file__))


def flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from flatten(t)
        else:
            yield t


class TimedResult(unittest.TextTestResult):
    """Records how long each test took (--durations)."""

    def startTest(self, test):
        self.started = time.monotonic()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        self.durations_seen = getattr(self, "durations_seen", [])
        self.durations_seen.append((time.monotonic() - self.started, test.id()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pep", required=True, help="the pep binary to test")
    ap.add_argument("-k", action="append", default=[], help="only tests matching this pattern")
    ap.add_argument("--shard", help="I/N: run only the I-th of N equal shares of the tests (from 1)")
    ap.add_argument("-v", action="store_true", help="name each test")
    ap.add_argument("--durations", type=int, default=0, help="list the N slowest tests")
    args = ap.parse_args()
    os.environ["PEP"] = os.path.abspath(args.pep)
    sys.path.insert(0, os.path.join(here, "e2e"))
    loader = unittest.TestLoader()
    if args.k:
        loader.testNamePatterns = ["*%s*" % k for k in args.k]
    suite = loader.discover(os.path.join(here, "e2e"), pattern="test_*.py", top_level_dir=os.path.join(here, "e2e"))
    if args.shard:
        i, n = (int(x) for x in args.shard.split("/"))
        tests = [t for t in flatten(suite)]
        suite = unittest.TestSuite(t for k, t in enumerate(tests) if k % n == i - 1)
    result = unittest.TextTestRunner(verbosity=2 if args.v else 1, resultclass=TimedResult).run(suite)
    for seconds, name in sorted(getattr(result, "durations_seen", []), reverse=True)[:args.durations]:
        print("%8.2f s  %s" % (seconds, name))
    print("e2e: %d tests, %d failures, %d errors, %d skipped" % (
        result.testsRun, len(result.failures), len(result.errors), len(result.skipped)))
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
