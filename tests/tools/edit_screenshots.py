#!/usr/bin/env python3
"""Makes the screenshots of pep edit that docs/guide.md shows, from the real
page: pep edit on made-up PEPs, driven in Debian's headless chromium.

usage: tests/tools/edit_screenshots.py --pep bin/pep [--out docs]   (make screenshots)
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pep", default=os.path.join(ROOT, "bin", "pep"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs"))
    args = ap.parse_args()
    os.environ["PEP"] = os.path.abspath(args.pep)
    from browser import Browser
    from editserver import Editor
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    tmp = tempfile.mkdtemp(prefix="pep-shots-")
    try:
        with Browser(width=1100, height=820) as b:
            d = b.driver

            def field(label, within=None):
                scope = "//fieldset[legend[normalize-space()='%s']]" % within if within else ""
                lab = d.find_element(By.XPATH, "%s//label[normalize-space()='%s']" % (scope, label))
                return d.find_element(By.ID, lab.get_attribute("for"))

            def typed(box, text):
                box.clear()
                box.send_keys(text)
                box.send_keys("\t")
                time.sleep(0.3)

            def tab(label):
                d.find_element(By.XPATH, "//button[@role='tab'][span[normalize-space()=\"%s\"]]" % label).click()
                time.sleep(0.3)

            def shot(name, at=None):
                if at is not None:
                    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", at)
                else:
                    d.execute_script("window.scrollTo(0, 0)")
                time.sleep(0.2)
                path = os.path.join(args.out, name)
                b.screenshot(path)
                print("wrote", os.path.relpath(path, ROOT))

            # 1. A new initial PEP, as the guide's Amira: the form and its list.
            amira = os.path.join(tmp, "amira-initial.xml")
            with Editor(amira, "--new", "--la", "kent", "--kind", "initial", "--as-of", "2026-01-20",
                        "--stage", "draft") as ed:
                b.get(ed.url)
                time.sleep(1)
                tab("A. Essential information")
                typed(field("Given names"), "Amira Zoë")
                typed(field("Family name"), "Haddad-Nguyễn")
                d.execute_script("window.scrollTo(0, 0)")
                d.find_element(By.ID, "form").click()
                shot("edit-form.png")
                # 2. A value the schema refuses: the message beside its box.
                tab("B. Education")
                pct = field("Percentage", within="Attendance")
                typed(pct, "120")
                shot("edit-message.png", at=pct)
            # 3. The next PEP after the meeting: what still blocks sign-off.
            nxt = os.path.join(tmp, "lukasz-review.xml")
            subprocess.run([args.pep, "next", os.path.join(ROOT, "samples", "kent-review-y10-ehcp.xml"), "-o", nxt],
                           check=True, stderr=subprocess.DEVNULL)
            with Editor(nxt, "--as-of", "2026-07-01") as ed:
                b.get(ed.url)
                time.sleep(1)
                tab("D. The PEP meeting")
                Select(field("Outcome", within="Previous target 1")).select_by_visible_text("Partly achieved")
                time.sleep(0.4)
                shot("edit-signoff.png")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
