#!/usr/bin/env python3
"""Makes docs/caseload.png, the guide's picture of the caseload page: the
generated caseload (gen_caseload.py) through pep caseload --format html,
photographed by headless chromium (tests/e2e/browser.py).

usage: caseload_screenshot.py [--pep bin/pep] [--out docs/caseload.png]"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pep", default=os.path.join(ROOT, "bin", "pep"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "caseload.png"))
    args = ap.parse_args()
    from browser import Browser
    tmp = tempfile.mkdtemp(prefix="pep-shot-")
    try:
        folder = os.path.join(tmp, "peps")
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "tools", "gen_caseload.py"), folder],
                       check=True, stderr=subprocess.DEVNULL)
        page = os.path.join(tmp, "caseload.html")
        subprocess.run([args.pep, "caseload", "--as-of", "2026-03-02", "--format", "html", "-o", page, folder])
        with Browser(width=1280, height=860) as b:
            b.open_file(page)
            if b.console_errors():
                sys.exit("caseload_screenshot: the page has console errors: %r" % b.console_errors())
            b.screenshot(args.out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("caseload_screenshot: wrote %s" % args.out)


if __name__ == "__main__":
    main()
