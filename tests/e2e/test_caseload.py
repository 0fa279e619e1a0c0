"""pep caseload on a generated caseload (tests/tools/gen_caseload.py): 37
children in Kent, Southwark, Kirklees and Medway, most with two to four
PEPs over several terms. What pep should say is worked out here from the
generator's manifest and the calendar files, independently of pep: which
PEPs are one child's, which is current, when the next is due and why."""
import calendar
import csv
import datetime
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

from peptest import PEP, ROOT, SLOWDOWN, pep

AS_OF = "2026-03-02"
WITHIN = 20
NAMES = ("Zoë", "Łukasz", "Siobhán", "Ánh", "Oluwaṣeun", "Þórunn", "Nguyễn", "Wiśniewski", "Ó Súilleabháin")
CAL_NS = "{https://pep-tool.org/ns/calendar/1}"


def day(s):
    return datetime.date.fromisoformat(s)


def add_months(d, n):
    """The same day n months later, clamped to the month's end (rules.md)."""
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return datetime.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


class Calendars:
    """Working and school days, read from the calendar files (rules.md: the
    nth such day after D, D not counted)."""

    def __init__(self):
        folder = os.path.join(ROOT, "data", "calendars")
        bank = ET.parse(os.path.join(folder, "bank-holidays-england-and-wales.xml")).getroot()
        self.bank = {day(e.get("date")) for e in bank.iter(CAL_NS + "day")}
        self.terms = {}  # la -> [(first, last, [(first, last) closed])]
        for name in os.listdir(folder):
            m = re.match(r"([a-z-]+)-\d{4}-\d{2}\.xml$", name)
            if not m:
                continue
            root = ET.parse(os.path.join(folder, name)).getroot()
            for term in root.iter(CAL_NS + "term"):
                shut = [(day(b.get("first")), day(b.get("last")))
                        for b in list(term.iter(CAL_NS + "break")) + list(term.iter(CAL_NS + "closed"))]
                self.terms.setdefault(m.group(1), []).append((day(term.get("first")), day(term.get("last")), shut))

    def working(self, d):
        return d.weekday() < 5 and d not in self.bank

    def school(self, la, d):
        for first, last, shut in self.terms[la]:
            if first <= d <= last:
                return self.working(d) and not any(a <= d <= b for a, b in shut)
        return False

    def add(self, d, n, la=None):
        while n:
            d += datetime.timedelta(days=1)
            n -= self.school(la, d) if la else self.working(d)
        return d


def initial_deadline(cals, p):
    """T01 (Kent, school days), T03 (Southwark), T04 (other LAs)."""
    lac, unplanned = day(p["lac"]), p["placement"] == "unplanned"
    if p["la"] == "kent":
        return cals.add(lac, 10 if unplanned else 20, la="kent"), "T01"
    if p["la"] == "southwark":
        return cals.add(lac, 10), "T03"
    return cals.add(lac, 10 if unplanned else 20), "T04"


def own_due(p, as_of):
    """What a PEP sets for the next one: (date, basis, rule)."""
    meeting = day(p["meeting"])
    if meeting > as_of:
        return meeting, "meeting booked", None
    limit = add_months(meeting, 6)
    if p["next"] and day(p["next"]) <= limit:
        return day(p["next"]), "next meeting", None
    return limit, "6-month review", "T07"


def expected_children(manifest, cals):
    """The due list as pep should give it, from the manifest alone."""
    as_of = day(manifest["as_of"])
    groups, by_key, by_upn = [], {}, {}
    for p in manifest["peps"]:
        key = (p["la"], p["child"]) if p["child"] else None
        g = by_key.get(key) if key else None
        if g is None and p["upn"]:
            g = by_upn.get(p["upn"])
        if g is None:
            g = []
            groups.append(g)
        g.append(p)
        if key:
            by_key[key] = g
        if p["upn"]:
            by_upn[p["upn"]] = g
    children = []
    for g in groups:
        drafts = [p for p in g if not p["meeting"] and p["state"] == "draft"]
        held = [p for p in g if p["meeting"]]
        current = drafts[-1] if drafts else max(held, key=lambda p: p["meeting"])
        if current["meeting"]:
            due, basis, rule = own_due(current, as_of)
        elif current["initial"]:
            (due, rule), basis = initial_deadline(cals, current), "initial PEP"
        else:
            prev = max(held, key=lambda p: p["meeting"])
            due, basis, rule = own_due(prev, as_of)
        left = (due - as_of).days
        status = "overdue" if left < 0 else "due-soon" if left <= WITHIN else "ok"
        children.append({"la": current["la"], "child": current["child"], "upn": current["upn"], "peps": len(g),
                         "file": current["file"], "next_due": due.isoformat(), "basis": basis, "rule": rule,
                         "days_left": left, "status": status, "name": "%s %s" % (current["given"], current["family"])})
    rank = {"overdue": 0, "due-soon": 1, "ok": 2, "no-date": 3}
    children.sort(key=lambda c: (rank[c["status"]], c["days_left"], c["la"], c["child"] or "\x7f", c["upn"] or "\x7f"))
    return children


class Caseload(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="pep-caseload-")
        cls.folder = os.path.join(cls.tmp, "peps")
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "tools", "gen_caseload.py"), cls.folder,
                        "--as-of", AS_OF], check=True, stderr=subprocess.DEVNULL)
        with open(os.path.join(cls.folder, "manifest.json"), encoding="utf-8") as f:
            cls.manifest = json.load(f)
        cls.expected = expected_children(cls.manifest, Calendars())
        cls.result = cls.caseload("--format", "json")
        cls.doc = json.loads(cls.result.out)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def caseload(cls, *args):
        return pep("caseload", "--as-of", AS_OF, *args, cls.folder)

    def rel(self, path):
        return os.path.relpath(path, self.folder)

    def test_the_generated_caseload_is_what_the_issue_asks_for(self):
        peps = self.manifest["peps"]
        self.assertEqual({p["la"] for p in peps}, {"kent", "southwark", "kirklees", "medway"})
        counts = {}
        for p in peps:
            counts[(p["la"], p["child"])] = counts.get((p["la"], p["child"]), 0) + 1
        self.assertGreaterEqual(sum(1 for n in counts.values() if 2 <= n <= 4), 30)
        self.assertGreaterEqual(len({p["meeting"][:7] for p in peps if p["meeting"]}), 8)  # months apart

    def test_the_due_list_is_the_one_worked_out_independently(self):
        self.assertEqual(self.result.code, 1, self.result)  # current PEPs with errors, a file not a PEP
        got = [{"la": c["la"], "child": c["child"], "upn": c["upn"], "peps": c["peps"],
                "file": self.rel(c["current"]["file"]), "next_due": c["next_due"], "basis": c["basis"],
                "rule": c["rule"], "days_left": c["days_left"], "status": c["status"]} for c in self.doc["children"]]
        want = [{k: v for k, v in c.items() if k != "name"} for c in self.expected]
        self.assertEqual(len(got), len(want))
        for g, w in zip(got, want):
            self.assertEqual(g, w)

    def test_children_not_files(self):
        s = self.doc["summary"]
        self.assertEqual(s["files"], len(self.manifest["peps"]) + 1)
        self.assertEqual(s["unreadable"], 1)
        self.assertEqual(s["children"], len(self.expected))
        self.assertEqual(self.doc["not_read"], [{"file": os.path.join(self.folder, "kirklees", "scanned-letter.xml"),
                                                 "rule": "XSD"}])
        # The child who moved: one child under Kent's id, with the Southwark PEP.
        moved = [c for c in self.doc["children"] if c["child"] == "KCC-100200"]
        self.assertEqual(len(moved), 1)
        self.assertEqual(moved[0]["peps"], 3)
        self.assertFalse([c for c in self.doc["children"] if c["child"] == "SWK-100200"])
        # The PEP with no identifier is a child of its own.
        anon = [c for c in self.doc["children"] if c["child"] is None and c["upn"] is None]
        self.assertEqual(len(anon), 1)
        self.assertFalse(anon[0]["identified"])
        self.assertEqual(sum(1 for c in self.doc["children"] if not c["identified"]), 1)
        self.assertEqual(anon[0]["peps"], 1)
        # Statuses add up.
        self.assertEqual(s["overdue"] + s["due_soon"] + s["ok"] + s["no_date"], s["children"])
        self.assertEqual(s["overdue"], sum(1 for c in self.expected if c["status"] == "overdue"))

    def test_the_json_contract(self):
        d = self.doc
        self.assertEqual(d["as_of"], AS_OF)
        c = d["children"][0]
        for key in ("la", "child", "upn", "school", "year_group", "social_worker", "designated_teacher", "current",
                    "peps", "next_due", "basis", "days_left", "status"):
            self.assertIn(key, c)
        self.assertEqual(set(c["school"]), {"urn", "name"})
        for key in ("file", "kind", "meeting", "grade", "errors", "warnings"):
            self.assertIn(key, c["current"])
        self.assertIn(c["current"]["grade"], ("red", "amber", "green"))
        t = d["terms"][0]
        self.assertRegex(t["term"], r"^\d{4}-\d{2} (autumn|spring|summer)$")
        for key in ("children", "in_timescale", "signed_off_in_time", "red", "amber", "green", "pp_requests",
                    "pp_pence", "no_pep", "peps"):
            self.assertIn(key, t)
        for key in ("children", "overdue", "due_soon", "ok", "no_date", "files", "unreadable"):
            self.assertIn(key, d["summary"])
        self.assertIn("secondary suppression", d["suppression"])
        # A child in progress has no meeting; a signed-off Kent PEP late is flagged (T09).
        self.assertTrue([c for c in d["children"] if c["current"]["meeting"] is None])
        self.assertEqual(sum(1 for c in d["children"] if c["signoff"]["late"]), d["summary"]["signoff_late"])

    def test_the_sign_off_flag_follows_t09(self):
        # Kent children whose current PEP was not signed off within 10 school days of its meeting.
        cals = Calendars()
        as_of = day(AS_OF)
        want = set()
        for c in self.expected:
            p = next(p for p in self.manifest["peps"] if p["file"] == c["file"])
            if p["la"] != "kent" or not p["meeting"] or day(p["meeting"]) > as_of:
                continue
            limit = cals.add(day(p["meeting"]), 10, la="kent")
            if (day(p["signed_off"]) if p["signed_off"] else as_of) > limit:
                want.add(c["child"])
        got = {c["child"] for c in self.doc["children"] if c["signoff"]["late"]}
        self.assertEqual(got, want)
        self.assertTrue(want, "the generator makes at least one")

    def test_no_name_unless_asked(self):
        for fmt in ("text", "json", "csv", "html"):
            r = self.caseload("--format", fmt)
            for n in NAMES:
                self.assertNotIn(n, r.out + r.err, fmt)
            self.assertNotIn("OFFICIAL-SENSITIVE", r.out, fmt)
        named = self.caseload("--format", "json", "--names").json()
        self.assertEqual(named["marking"], "OFFICIAL-SENSITIVE")
        names = {c["child"]: c["name"] for c in named["children"]}
        for c in self.expected:
            self.assertEqual(names[c["child"]], c["name"])
        for fmt in ("text", "csv", "html"):
            r = self.caseload("--format", fmt, "--names")
            self.assertIn("OFFICIAL-SENSITIVE", r.out, fmt)
            self.assertIn("Zoë", r.out, fmt)

    def test_text_lists_overdue_first_with_what_is_needed_to_act(self):
        r = self.caseload()
        lines = r.out.splitlines()
        head = next(i for i, l in enumerate(lines) if l.startswith("STATUS"))
        for word in ("LA", "CHILD", "SCHOOL", "SOCIAL WORKER", "DESIGNATED TEACHER", "LAST MEETING", "NEXT DUE",
                     "BASIS", "DAYS", "GRADE", "FILE"):
            self.assertIn(word, lines[head])
        rows = lines[head + 1:head + 1 + len(self.expected)]
        self.assertEqual([l.split()[0] for l in rows],
                         [{"overdue": "OVERDUE", "due-soon": "due", "ok": "ok"}[c["status"]] for c in self.expected])
        for l, c in zip(rows, self.expected):
            self.assertIn(c["child"] or "(no id)", l)
            self.assertIn(c["next_due"], l)
        self.assertIn("[c] Counts from 1 to 4 are suppressed", r.out)
        self.assertIn("kirklees/scanned-letter.xml [XSD]", r.out)

    def test_csv_has_a_row_per_child(self):
        r = self.caseload("--excel")
        raw = r.out.encode("utf-8")
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.DictReader(io.StringIO(r.out.lstrip("\ufeff"), newline="")))
        self.assertEqual(len(rows), len(self.expected))
        self.assertEqual([(x["child"] or None, x["next_due"], x["status"]) for x in rows],
                         [(c["child"], c["next_due"], c["status"]) for c in self.expected])

    def test_threads_do_not_change_the_report(self):
        outs = {self.caseload("-j", str(j), "--format", "json").out for j in (1, 3)}
        self.assertEqual(len(outs), 1)

    def test_termly_figures_never_reveal_a_suppressed_count(self):
        for by in ("school", "social-worker", "year-group", "key-stage", "la"):
            d = self.caseload("--format", "json", "--by", by, "--terms", "4").json()
            self.assertEqual(d["by"], by)
            self.assertEqual(len(d["terms"]), 4)
            for t in d["terms"]:
                rows = t["groups"] + [t]
                for row in rows:
                    for k, v in row.items():
                        if isinstance(v, int) and k != "pp_pence":
                            self.assertFalse(0 < v < 5, (by, t["term"], k, v))
                    # PEPs = red + amber + green: none or at least two hidden.
                    cells = [row[k] for k in ("peps", "red", "amber", "green")]
                    self.assertNotEqual(cells.count(None), 1, (by, t["term"], row))
                # Each figure: the groups add up to the whole; none or two hidden.
                for k in ("children", "no_pep", "peps", "in_timescale", "signed_off_in_time", "red", "amber",
                          "green", "pp_requests"):
                    cells = [g[k] for g in t["groups"]] + [t[k]]
                    self.assertNotEqual(cells.count(None), 1, (by, t["term"], k, cells))
                    if None not in cells:
                        self.assertEqual(sum(cells[:-1]), cells[-1], (by, t["term"], k))

    def test_summary_is_aggregates_only_and_suppressed(self):
        d = self.caseload("--format", "json", "--summary", "--by", "school").json()
        self.assertNotIn("children", d)
        s = d["summary"]
        for k, v in s.items():
            if isinstance(v, int) and k not in ("pp_pence", "files", "unreadable"):
                self.assertFalse(0 < v < 5, (k, v))
        for parts in (("overdue", "due_soon", "ok", "no_date"), ("red", "amber", "green")):
            self.assertNotEqual([s[k] for k in parts + ("children",)].count(None), 1, parts)
        r = self.caseload("--summary")
        self.assertNotIn("KCC-", r.out)
        self.assertIn("secondary suppression", r.out)

    def test_output_file(self):
        out = os.path.join(self.tmp, "dashboard.html")
        r = self.caseload("--format", "html", "-o", out)
        self.assertEqual((r.out, r.code), ("", 1), r)
        with open(out, encoding="utf-8") as f:
            self.assertTrue(f.read().startswith("<!DOCTYPE html>"))
        r = self.caseload("--format", "html", "-o", out)
        self.assertEqual(r.code, 2, r)  # it exists: --force replaces it
        self.assertIn("--force", r.err)
        r = self.caseload("--format", "html", "-o", out, "--force")
        self.assertEqual(r.code, 1, r)

    def test_check_due_within_and_summary_moved_here(self):
        r = pep("check", "--as-of", AS_OF, "--due-within", "20", "--format", "json", self.folder)
        self.assertIn("moved to 'pep caseload'", r.err)
        self.assertEqual(r.json()["children"], self.doc["children"])
        r = pep("check", "--as-of", AS_OF, "--summary", self.folder)
        self.assertIn("moved to 'pep caseload'", r.err)
        self.assertIn("PEP caseload figures as of %s" % AS_OF, r.out)

    def test_html_is_self_contained(self):
        html = self.caseload("--format", "html").out
        self.assertIn('http-equiv="Content-Security-Policy" content="default-src \'none\'', html)
        self.assertEqual(html.count("<script>"), 1)
        self.assertEqual(html.count("<style>"), 1)
        for resource in (" src=", " href=", "url(", "@import", "<link", "<img", "<iframe"):
            self.assertNotIn(resource, html)
        for c in self.expected:
            self.assertIn(c["child"] or "(no identifier)", html)


class Dashboard(unittest.TestCase):
    """The HTML page in a real browser (Debian's chromium, headless)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="pep-dashboard-")
        folder = os.path.join(cls.tmp, "peps")
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "tools", "gen_caseload.py"), folder,
                        "--as-of", AS_OF], check=True, stderr=subprocess.DEVNULL)
        with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
            cls.expected = expected_children(json.load(f), Calendars())
        cls.page = os.path.join(cls.tmp, "caseload.html")
        r = pep("caseload", "--as-of", AS_OF, "--format", "html", "--by", "school", "-o", cls.page, folder)
        assert r.code == 1, r

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_in_a_browser(self):
        from browser import Browser, ink, requires_browser
        requires_browser(self)
        from selenium.webdriver.common.by import By
        with Browser() as b:
            b.open_file(self.page)
            self.assertEqual(b.console_errors(), [])
            self.assertGreater(ink(b.screenshot(os.path.join(self.tmp, "shot.png"))), 0.02)
            text = b.text()
            for c in self.expected:
                if c["status"] == "overdue":
                    self.assertIn(c["child"] or "(no identifier)", text)
            table = b.driver.find_element(By.ID, "due-list")
            heads = [th.text.strip(" \u2195\u25b2\u25bc") for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
            col = heads.index("Days left")

            def days():
                cells = [r.find_elements(By.CSS_SELECTOR, "td, th")[col].text
                         for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
                return [int(x) for x in cells if x.lstrip("-").isdigit()]

            before = days()
            button = table.find_elements(By.CSS_SELECTOR, "thead th button")[col]
            button.click()
            self.assertEqual(days(), sorted(before))
            self.assertEqual(table.find_elements(By.CSS_SELECTOR, "thead th")[col].get_attribute("aria-sort"),
                             "ascending")
            button.click()
            self.assertEqual(days(), sorted(before, reverse=True))
            # Another column takes the sort over.
            table.find_elements(By.CSS_SELECTOR, "thead th button")[heads.index("LA child id")].click()
            sorts = [th.get_attribute("aria-sort") for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
            self.assertEqual([i for i, v in enumerate(sorts) if v], [heads.index("LA child id")])
            self.assertEqual(b.console_errors(), [])


class CaseloadPaths(unittest.TestCase):
    def test_nothing_found_is_exit_2_with_no_half_report(self):
        empty = tempfile.mkdtemp(prefix="pep-empty-")
        try:
            for fmt in ("text", "json", "csv", "html"):
                r = pep("caseload", "--format", fmt, empty)
                self.assertEqual((r.code, r.out), (2, ""), r)
                self.assertIn("no *.xml files found", r.err)
            r = pep("caseload", "--as-of", AS_OF, "samples/kent-early-years.xml", os.path.join(empty, "nope"))
            self.assertEqual(r.code, 2, r)
            self.assertIn("nope: no such file or folder", r.err)
            self.assertIn("1 child, from 1 PEP in 1 file", r.out)
        finally:
            shutil.rmtree(empty, ignore_errors=True)

    def test_bad_options_say_what_to_use(self):
        for args, says in ((("--by", "teacher"), "use school, social-worker, year-group, key-stage or la"),
                           (("--format", "pdf"), "use text, json, csv or html"),
                           (("--terms", "0"), "--terms '0' is not a whole number from 1 to 30"),
                           (("--excel", "--format", "json"), "--excel writes CSV")):
            r = pep("caseload", *args, "samples")
            self.assertEqual(r.code, 2, r)
            self.assertIn(says, r.err)

    def test_printed_names_cannot_forge_lines(self):
        tmp = tempfile.mkdtemp(prefix="pep-forge-")
        try:
            name = "a\nOVERDUE  -999  forged\u202ex.xml"
            with open(os.path.join(ROOT, "samples", "kent-early-years.xml"), encoding="utf-8") as f:
                text = f.read()
            # A school name holding a newline and a right-to-left override.
            text = text.replace("<name>Harbour View Infant School, Folkestone</name>",
                                "<name>Harbour View\nOVERDUE \u202eforged</name>")
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(text)
            for fmt in ("text", "html"):
                r = pep("caseload", "--as-of", AS_OF, "--format", fmt, tmp)
                self.assertNotIn("\u202e", r.out, fmt)
                lines = r.out.splitlines()
                self.assertFalse([l for l in lines if l.startswith("OVERDUE")], fmt)
                self.assertIn("a?OVERDUE  -999  forged?x.xml", r.out, fmt)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
