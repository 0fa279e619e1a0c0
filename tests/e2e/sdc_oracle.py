"""The attacker of pep caseload's suppression (suppress.h), written apart
from pep: given every --summary report of one caseload (each breakdown, as
JSON), it works out every suppressed count it can, as exactly as integer
programming allows, from all the figures published together:

- every shown figure;
- the sums the reports state: PEPs = red + amber + green in every row; each
  breakdown's groups add up to the whole caseload's row, column by column
  (PP+ amounts too); the schools' children and grades add up to the
  cohort's; the statuses and the grades add up to the children;
- what any reader knows: no count below 0 (below 1, for the naive reader
  who takes every [c] to be at least 1); in timescale, signed off and
  children at most the PEPs, and at least one child when there are PEPs;
  no PP+ request (nor amount) without a PEP; every count of the cohort at
  most its children.

It reports every disclosure: a suppressed count, or a count that the
figures leave over (PEPs not in timescale, not signed off, beyond one per
child; children without a cohort figure), that it pins to one value from
1 to 4. Usable from the command line as the reviewer's interval.py was:

    sdc_oracle.py PEP FOLDER [--as-of DATE] [--naive]
"""
import json
import subprocess
import sys

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

BREAKDOWNS = (None, "school", "social-worker", "year-group", "key-stage", "la")
TERM_KEYS = ("children", "no_pep", "peps", "in_timescale", "signed_off_in_time", "red", "amber", "green",
             "pp_requests", "pp_pence")
COHORT_PARTS = ("signoff_late", "meeting_in_last_6_months", "attendance_below_90", "reduced_timetable",
                "no_educational_provision", "post16_neet")
BIG = 1000           # a bound no count of these tests reaches (kept small: the programs stay quick)
MONEY = 10 ** 7      # nor any amount in pence (£100,000)


class Model:
    """Integer variables, each known (a shown figure) or not, and linear
    constraints among them."""

    def __init__(self, naive=False):
        self.names, self.known, self.rows = [], [], []
        self.naive = naive
        self.money = set()

    def var(self, name, value, money=False):
        self.names.append(name)
        self.known.append(value)
        if money:
            self.money.add(len(self.names) - 1)
        return len(self.names) - 1

    def add(self, coefs, lo, hi):
        """lo <= sum(c * x) <= hi for coefs {var: c}."""
        self.rows.append((coefs, lo, hi))

    def eq(self, coefs, value=0):
        self.add(coefs, value, value)

    def vertex(self, objective):
        """A corner of the constraints' real solutions, the least of the
        objective: a solution when it is whole (often, for sums like these),
        else None."""
        self.solve()  # makes the matrix
        r = milp(objective, constraints=[LinearConstraint(self._a, self._lo, self._hi)] if self.rows else [],
                 integrality=np.zeros(len(self.names)), bounds=Bounds(self._lb, self._ub))
        if r.status != 0 or np.max(np.abs(r.x - np.round(r.x))) > 1e-6:
            return None
        return np.round(r.x).astype(np.int64)

    def solve(self, extra=None, keep=None):
        """A solution (an array) of the constraints and the extra ones, or
        None when there is none; with keep (a solution, and the variables
        free to differ from it), every other variable as in that solution."""
        n = len(self.names)
        if not hasattr(self, "_a"):
            rows, cols, vals = [], [], []
            for i, (coefs, _, _) in enumerate(self.rows):
                for v, c in coefs.items():
                    rows.append(i)
                    cols.append(v)
                    vals.append(c)
            self._a = sparse.csr_matrix((vals, (rows, cols)), shape=(len(self.rows), n))
            self._lo = np.array([r[1] for r in self.rows], dtype=float)
            self._hi = np.array([r[2] for r in self.rows], dtype=float)
            self._lb = np.array([k if k is not None else (1 if self.naive and i not in self.money else 0)
                                 for i, k in enumerate(self.known)], dtype=float)
            self._ub = np.array([k if k is not None else (MONEY if i in self.money else BIG)
                                 for i, k in enumerate(self.known)], dtype=float)
        cons = [LinearConstraint(self._a, self._lo, self._hi)] if self.rows else []
        for coefs, lo, hi in extra or []:
            row = np.zeros(n)
            for v, c in coefs.items():
                row[v] += c
            cons.append(LinearConstraint(row.reshape(1, n), lo, hi))
        lb, ub = self._lb, self._ub
        if keep is not None:
            x, free = keep
            fixed = np.ones(n, dtype=bool)
            fixed[list(free)] = False
            lb, ub = np.where(fixed, x, lb), np.where(fixed, x, ub)
        r = milp(np.zeros(n), constraints=cons, integrality=np.ones(n), bounds=Bounds(lb, ub))
        return np.round(r.x).astype(np.int64) if r.status == 0 else None


def term_row(m, tag, row):
    """A term row's variables, with the facts that hold within a row."""
    v = {k: m.var("%s %s" % (tag, k), row[k], money=(k == "pp_pence")) for k in TERM_KEYS}
    m.eq({v["peps"]: 1, v["red"]: -1, v["amber"]: -1, v["green"]: -1})
    for part in ("in_timescale", "signed_off_in_time", "children"):
        m.add({v["peps"]: 1, v[part]: -1}, 0, BIG)            # at most the PEPs
    m.add({v["peps"]: 1, v["children"]: -BIG}, -BIG * BIG, 0)  # a child when there are PEPs
    m.add({v["pp_requests"]: 1, v["peps"]: -BIG}, -BIG * BIG, 0)
    m.add({v["pp_pence"]: 1, v["pp_requests"]: -MONEY}, -MONEY * BIG, 0)
    m.add({v["pp_requests"]: 1, v["pp_pence"]: -1}, -MONEY, 0)
    return v


def build(reports, naive=False):
    """The models of the reports (JSON, one per breakdown, of one caseload),
    one per part that shares no count with another (each term; the cohort
    with the schools), each with the counts to watch: (name, {var: coef})
    for every suppressed count and every count the figures leave over."""
    first = reports[0]
    parts = []
    for i, t in enumerate(first["terms"]):
        m, watch = Model(naive), []
        tot = term_row(m, t["term"], t)
        rows = [tot]
        for rep in reports:
            t2 = rep["terms"][i]
            if t2["term"] != t["term"] or any(t2[k] != m.known[tot[k]] for k in TERM_KEYS):
                raise AssertionError("the whole caseload's row differs between breakdowns: %s" % t["term"])
            groups = [term_row(m, "%s %s=%s" % (t["term"], rep["by"], g["group"]), g) for g in t2.get("groups", [])]
            if groups:
                for k in TERM_KEYS:
                    m.eq(dict([(g[k], 1) for g in groups] + [(tot[k], -1)]))
            # A group count may first be tried with only its breakdown's
            # groups free (the total and the other breakdowns as they are).
            scope = frozenset(v for g in groups for v in g.values())
            rows += [(g, scope) for g in groups]
        for row, scope in [(tot, None)] + rows[1:]:
            for k in TERM_KEYS:
                if k != "pp_pence" and m.known[row[k]] is None:
                    watch.append((m.names[row[k]], {row[k]: 1}, scope))
            for part in ("in_timescale", "signed_off_in_time", "children"):
                watch.append((m.names[row[part]].rsplit(" ", 1)[0] + " peps - " + part,
                              {row["peps"]: 1, row[part]: -1}, scope))
        parts.append((m, watch))
    # The cohort and the schools that add up to it.
    m, watch = Model(naive), []
    s = first["summary"]
    for rep in reports:
        if rep["summary"] != s or rep.get("schools") != first.get("schools"):
            raise AssertionError("the cohort or the schools differ between breakdowns")
    keys = ["children", "overdue", "due_soon", "ok", "no_date", "red", "amber", "green", "pp_requests"] + list(COHORT_PARTS)
    c = {k: m.var("cohort " + k, s[k]) for k in keys}
    c["pp_pence"] = m.var("cohort pp_pence", s["pp_pence"], money=True)
    m.eq({c["children"]: 1, c["overdue"]: -1, c["due_soon"]: -1, c["ok"]: -1, c["no_date"]: -1})
    m.eq({c["children"]: 1, c["red"]: -1, c["amber"]: -1, c["green"]: -1})
    for k in COHORT_PARTS:
        m.add({c["children"]: 1, c[k]: -1}, 0, BIG)
        watch.append(("cohort children - " + k, {c["children"]: 1, c[k]: -1}, None))
    m.add({c["pp_requests"]: 1, c["children"]: -BIG}, -BIG * BIG, 0)
    m.add({c["pp_pence"]: 1, c["pp_requests"]: -MONEY}, -MONEY * BIG, 0)
    m.add({c["pp_requests"]: 1, c["pp_pence"]: -1}, -MONEY, 0)
    for k in keys:
        if m.known[c[k]] is None:
            watch.append(("cohort " + k, {c[k]: 1}, None))
    schools = []
    scope = frozenset(range(len(m.names), len(m.names) + 4 * len(first.get("schools", []))))
    for i, row in enumerate(first.get("schools", [])):
        v = {k: m.var("school %d %s" % (i, k), row[k]) for k in ("children", "red", "amber", "green")}
        m.eq({v["children"]: 1, v["red"]: -1, v["amber"]: -1, v["green"]: -1})
        schools.append(v)
        for k, var in v.items():
            if m.known[var] is None:
                watch.append(("school %s %s" % (row["school"], k), {var: 1}, scope))
    if schools:
        for k in ("children", "red", "amber", "green"):
            m.eq(dict([(v[k], 1) for v in schools] + [(c[k], -1)]))
    parts.append((m, watch))
    return parts


def attack(reports, naive=False):
    """(watched, recovered, refuted): how many counts were watched; every
    one recovered, as (name, value); and how many parts (terms, the cohort)
    no table meets (the naive reader's premise fails there: a suppressed
    count in it is 0)."""
    watched, recovered, refuted = 0, [], 0
    for m, watch in build(reports, naive):
        watched += len(watch)
        found = disclosures(m, watch)
        if found is None:
            refuted += 1
        else:
            recovered += found
    return watched, recovered, refuted


def disclosures(m, watch):
    """Every watched count the model pins to one value from 1 to 4, as
    (name, value); None when no table at all meets the constraints (the
    naive reader's, when a suppressed count is 0). One solution first;
    then, for each watched count not yet seen to take two values, a
    solution where it is lower, else one where it is higher (first with
    only its scope free, then all); each solution found counts for every
    watched count it moves."""
    base = m.solve()
    if base is None:
        return None

    def value(x, coefs):
        return int(sum(c * x[v] for v, c in coefs.items()))

    seen = [{value(base, coefs)} for _, coefs, _ in watch]
    # Corners far apart first (each hidden count pulled up or down at
    # random): most counts that vary do so among them, at the cost of a
    # linear program each.
    rng = np.random.default_rng(1)
    hidden = np.array([k is None and i not in m.money for i, k in enumerate(m.known)], dtype=float)
    for _ in range(30):
        x = m.vertex(hidden * rng.choice([-1.0, 1.0], size=len(hidden)))
        if x is not None:
            for j, (_, c2, _) in enumerate(watch):
                seen[j].add(value(x, c2))
    found = []
    for i, (name, coefs, scope) in enumerate(watch):
        if len(seen[i]) > 1:
            continue
        v0 = value(base, coefs)
        if all(m.known[v] is not None for v in coefs):
            if 1 <= v0 <= 4:  # a count left over by shown figures alone
                found.append((name, v0))
            continue
        x = None
        for keep in ([(base, scope)] if scope else []) + [None]:
            for lo, hi in ((-BIG * BIG, v0 - 1), (v0 + 1, BIG * BIG)):
                x = m.solve(extra=[(coefs, lo, hi)], keep=keep)
                if x is not None:
                    break
            if x is not None:
                break
        if x is None:
            if 1 <= v0 <= 4:
                found.append((name, v0))
            continue
        for j, (_, c2, _) in enumerate(watch):
            seen[j].add(value(x, c2))
    return found


def reports_of(pep, folder, as_of=None):
    """Every --summary report of the folder, as JSON: one per breakdown."""
    out = []
    for by in BREAKDOWNS:
        args = [pep, "caseload", "--format", "json", "--summary"] + (["--as-of", as_of] if as_of else [])
        args += (["--by", by] if by else []) + [folder]
        out.append(json.loads(subprocess.run(args, capture_output=True, text=True).stdout))
    return out


def main(argv):
    naive = "--naive" in argv
    argv = [a for a in argv if a != "--naive"]
    as_of = argv[argv.index("--as-of") + 1] if "--as-of" in argv else None
    pep, folder = argv[1], argv[2]
    watched, found, refuted = attack(reports_of(pep, folder, as_of), naive)
    for name, v in found:
        print("RECOVERED %s = %s" % (name, v))
    print("%d counts watched, %d recovered%s" % (watched, len(found), " (naive reader)" if naive else ""))
    if refuted:
        print("%d parts meet the figures in no table where every suppressed count is at least 1" % refuted)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
