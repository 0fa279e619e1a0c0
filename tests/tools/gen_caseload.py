#!/usr/bin/env python3
"""Writes a fictional virtual school caseload for the tests of pep caseload:
children in four LAs (Kent, Southwark, Kirklees, Medway), each with two to
four PEPs over several terms (an initial PEP, then reviews), made from the
samples by changing who the child is and the dates; and beside them the
cases a caseload must handle: initial PEPs in progress, a child who moved
from Southwark to Kent (linked by the UPN), a PEP without any identifier,
reviews in progress, meetings booked, a PEP not signed off, and a file that
is not a PEP.

usage: gen_caseload.py OUTDIR [--seed N] [--children N] [--as-of YYYY-MM-DD]

OUTDIR gets one folder per LA with the PEP files, and manifest.json: for
every file, the facts the generator put in it (the tests compute what pep
should say from these, never from pep). Deterministic for a seed."""
import argparse
import datetime
import json
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

LAS = {
    # code: (template, LA name, id prefix, school LA code)
    "kent": ("kent-review-y10-ehcp.xml", "Kent County Council", "KCC", "kent"),
    "southwark": ("southwark-review-primary.xml", "London Borough of Southwark", "SWK", "southwark"),
    "kirklees": ("kirklees-post16-neet.xml", "Kirklees Council", "KRK", "kirklees"),
    "medway": ("medway-reduced-timetable-exclusion.xml", "Medway Council", "MDW", "kent"),
}

GIVEN = ["Zoë", "Łukasz", "Siobhán", "Ánh", "Oluwaṣeun", "Þórunn", "Amelia", "Kwame", "Chloé", "Mateusz",
         "Aoife", "Dmitri", "Priya", "Seán", "Noémie", "Yusuf", "Björn", "Iñaki", "Fatima", "Ngozi"]
FAMILY = ["Nguyễn Thị", "Wiśniewski", "Ó Súilleabháin", "Adeyemi-Clarke", "Bakare", "Jónsdóttir", "Smith",
          "Mensah", "Lefèvre", "Kowalczyk", "Brennan", "Petrov", "Sharma", "Murphy", "Dubois", "Demir"]
SCHOOLS = {
    "kent": [("Riverbank Oak Academy, Maidstone", "146218"), ("Faversham Creek Primary School", "118830"),
             ("Harbour View Infant School, Folkestone", "118521")],
    "southwark": [("Camberwell Grove Primary School", "100891"), ("Peckham Rye Academy", "139012")],
    "kirklees": [("Calder Edge College", "130547"), ("Holme Valley High School", "107712")],
    "medway": [("Bredhurst Valley Academy", "145877"), ("Strood Marsh Primary School", "118577")],
}
SOCIAL_WORKERS = ["Aoife Brennan", "Chidi Eze", "Rachel Oduya", "Nadia Rahman-Price", "Sinéad Murphy",
                  "Callum Fairbairn"]
TEACHERS = ["Kwabena Osei-Tutu", "Adaeze Nwosu", "Ruth Ashworth-Singh", "Priyanka Deshmukh", "Gideon Farrant"]


def day(s):
    return datetime.date.fromisoformat(s)


def weekday_on_or_after(d):
    while d.weekday() >= 5:
        d += datetime.timedelta(days=1)
    return d


def upn_for(n):
    """A well-formed UPN: check letter, then 12 digits (DfE's algorithm)."""
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    digits = "%012d" % (886000000000 + n * 7919)
    total = sum(int(c) * (i + 2) for i, c in enumerate(digits))
    return letters[total % 23] + digits


def sub(pattern, repl, text, flags=re.S):
    new, n = re.subn(pattern, lambda m: repl, text, count=1, flags=flags)
    if n != 1:
        raise SystemExit("gen_caseload: the template has no %r" % pattern)
    return new


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;")


def render(template, pep):
    """The template with this PEP's facts in place."""
    la = pep["la"]
    t = template
    hist = "".join("      <previousMeeting>\n        <date>%s</date>\n        <kind>%s</kind>\n      </previousMeeting>\n"
                   % (d, k) for d, k in pep["history"])
    header = ("  <header>\n    <localAuthority code=\"%s\">%s</localAuthority>\n    <kind>%s</kind>\n"
              "    <formState>%s</formState>\n%s  </header>"
              % (la, LAS[la][1], "initial" if pep["initial"] else "review", pep["state"],
                 "    <pepHistory>\n%s    </pepHistory>\n" % hist if hist else ""))
    t = sub(r"  <header>.*?</header>", header, t)
    t = sub(r"<givenNames>[^<]*</givenNames>", "<givenNames>%s</givenNames>" % esc(pep["given"]), t)
    t = sub(r"<familyName>[^<]*</familyName>", "<familyName>%s</familyName>" % esc(pep["family"]), t)
    t = sub(r"<preferredName>[^<]*</preferredName>", "<preferredName>%s</preferredName>" % esc(pep["given"]), t)
    t = sub(r"<upn>[^<]*</upn>", "<upn>%s</upn>" % (pep["upn"] or ""), t)
    t = sub(r"<laChildId>[^<]*</laChildId>", "<laChildId>%s</laChildId>" % (pep["child"] or ""), t)
    t = sub(r"<becameLookedAfter>[^<]*</becameLookedAfter>", "<becameLookedAfter>%s</becameLookedAfter>" % pep["lac"], t)
    t = sub(r"<placement>[^<]*</placement>", "<placement>%s</placement>" % pep["placement"], t)
    t = re.sub(r"(<socialWorker>\s*<name>)[^<]*(</name>)", lambda m: m.group(1) + esc(pep["social_worker"]) + m.group(2),
               t, count=1)
    t = re.sub(r"(<school>\s*<name>)[^<]*(</name>\s*<urn>)[^<]*(</urn>\s*<schoolLocalAuthority code=\")[^\"]*(\">)[^<]*(<)",
               lambda m: m.group(1) + esc(pep["school"][0]) + m.group(2) + pep["school"][1] + m.group(3) +
               LAS[la][3] + m.group(4) + LAS[la][3].title() + m.group(5), t, count=1)
    t = re.sub(r"(<designatedTeacher>\s*<name>)[^<]*(</name>)", lambda m: m.group(1) + esc(pep["teacher"]) + m.group(2),
               t, count=1)
    t = re.sub(r"(<pepMeeting>\s*<date>)[^<]*(</date>)", lambda m: m.group(1) + (pep["meeting"] or "") + m.group(2), t,
               count=1)
    t = re.sub(r"(<pepMeeting>.*?<kind>)[^<]*(</kind>)",
               lambda m: m.group(1) + ("initial" if pep["initial"] else "review") + m.group(2), t, count=1, flags=re.S)
    t = re.sub(r"(<nextMeeting>\s*<date>)[^<]*(</date>\s*<time>)[^<]*(</time>)",
               lambda m: m.group(1) + (pep["next"] or "") + m.group(2) + ("10:00" if pep["next"] else "") + m.group(3),
               t, count=1)
    if pep["meeting"]:
        meeting = day(pep["meeting"])
        views = (meeting - datetime.timedelta(days=5)).isoformat()
        t = re.sub(r"(<youngPersonsViews>.*?</completedWith>\s*<date>)[^<]*(</date>)",
                   lambda m: m.group(1) + views + m.group(2), t, count=1, flags=re.S)
        limit = meeting + datetime.timedelta(days=150)
        deadline = min(day(pep["next"]), limit) if pep["next"] else limit
        t = re.sub(r"<deadline>[^<]*</deadline>", "<deadline>%s</deadline>" % deadline.isoformat(), t)
    signoff = "    <signOff>\n%s    </signOff>" % "".join(
        "      <sectionComplete section=\"%s\">\n        <by>%s</by>\n        <date>%s</date>\n      </sectionComplete>\n"
        % (s, esc(pep["teacher"]), pep["signed_off"]) for s in "ABCD") if pep["signed_off"] else "    <signOff/>"
    t = sub(r"    <signOff>.*?</signOff>", signoff, t)
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--children", type=int, default=32, help="children with 2 to 4 PEPs (default 32)")
    ap.add_argument("--as-of", default="2026-03-02")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    as_of = day(args.as_of)
    templates = {}
    for la, (name, *_rest) in LAS.items():
        with open(os.path.join(ROOT, "samples", name), encoding="utf-8") as f:
            templates[la] = f.read()
    peps = []  # the manifest: every file's facts

    def person(i, la):
        return {
            "la": la, "child": "%s-%06d" % (LAS[la][2], 100000 + i), "upn": upn_for(i),
            "given": GIVEN[i % len(GIVEN)], "family": FAMILY[(i * 7) % len(FAMILY)],
            "school": rnd.choice(SCHOOLS[la]), "social_worker": rnd.choice(SOCIAL_WORKERS),
            "teacher": rnd.choice(TEACHERS), "placement": rnd.choice(["planned", "unplanned"]),
        }

    def pep_file(who, n, meeting, nxt, initial, history, state, signed_off, lac):
        p = dict(who)
        p.update({"file": "%s/%s-%d.xml" % (who["la"], (who["child"] or "no-id-%d" % len(peps)), n),
                  "meeting": meeting and meeting.isoformat(), "next": nxt and nxt.isoformat(),
                  "initial": initial, "history": history, "state": state,
                  "signed_off": signed_off and signed_off.isoformat(), "lac": lac.isoformat()})
        peps.append(p)
        return p

    las = list(LAS)
    for i in range(args.children):
        la = las[i % len(las)]
        who = person(i, la)
        count = 2 + i % 3
        # The meetings, back from a last one within 5 months of as-of.
        meetings = [weekday_on_or_after(as_of - datetime.timedelta(days=rnd.randint(10, 150)))]
        for _ in range(count - 1):
            meetings.insert(0, weekday_on_or_after(meetings[0] - datetime.timedelta(days=rnd.randint(90, 200))))
        lac = weekday_on_or_after(meetings[0] - datetime.timedelta(days=rnd.randint(8, 40)))
        history = []
        for n, meeting in enumerate(meetings):
            last = n == count - 1
            nxt = weekday_on_or_after(meeting + datetime.timedelta(days=rnd.randint(70, 175)))
            if rnd.random() < 0.2:
                nxt = None  # no next meeting recorded: the 6-month limit applies
            signed = meeting + datetime.timedelta(days=rnd.randint(1, 16))
            if last and i % 6 == 1:
                signed = None                    # not signed off yet
            if signed and signed > as_of:
                signed = None
            if last and i % 7 == 3:
                # The latest is a review being prepared: no meeting yet.
                pep_file(who, n + 1, None, None, False, list(history), "draft", None, lac)
            elif last and i % 7 == 5:
                # The latest has its meeting booked, after as-of.
                future = weekday_on_or_after(as_of + datetime.timedelta(days=rnd.randint(3, 40)))
                pep_file(who, n + 1, future, None, False, list(history), "draft", None, lac)
            else:
                pep_file(who, n + 1, meeting, nxt, n == 0, list(history),
                         "signed-off" if signed else "meeting-held", signed, lac)
            history.append((meeting.isoformat(), "initial" if n == 0 else "review"))
    # Initial PEPs in progress: newly looked after, no meeting yet.
    for k, la in enumerate(["kent", "southwark", "medway"]):
        who = person(100 + k, la)
        lac = weekday_on_or_after(as_of - datetime.timedelta(days=6 + 4 * k))
        pep_file(who, 1, None, None, True, [], "draft", None, lac)
    # A child who moved from Southwark to Kent: the same UPN under two ids.
    moved = person(200, "southwark")
    lac = day("2025-01-13")
    pep_file(moved, 1, day("2025-01-22"), day("2025-06-18"), True, [], "signed-off", day("2025-01-24"), lac)
    kent = dict(moved, la="kent", child="KCC-%06d" % 100200, school=SCHOOLS["kent"][0])
    pep_file(kent, 2, day("2025-06-18"), day("2025-11-19"), False, [("2025-01-22", "initial")], "signed-off",
             day("2025-06-20"), lac)
    pep_file(kent, 3, day("2025-11-19"), day("2026-03-11"), False,
             [("2025-01-22", "initial"), ("2025-06-18", "review")], "signed-off", day("2025-11-21"), lac)
    # A PEP with no identifier at all: a child of its own.
    anon = person(300, "kirklees")
    anon.update(child=None, upn=None)
    pep_file(anon, 1, day("2025-10-08"), day("2026-02-04"), False, [], "signed-off", day("2025-10-09"),
             day("2024-11-04"))

    os.makedirs(args.outdir, exist_ok=True)
    for p in peps:
        path = os.path.join(args.outdir, p["file"])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(render(templates[p["la"]], p))
    with open(os.path.join(args.outdir, "kirklees", "scanned-letter.xml"), "w", encoding="utf-8") as f:
        f.write("<?xml version=\"1.0\"?>\n<letter>not a PEP</letter>\n")
    with open(os.path.join(args.outdir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"as_of": args.as_of, "peps": peps, "not_peps": ["kirklees/scanned-letter.xml"]}, f,
                  ensure_ascii=False, indent=1)
    print("gen_caseload: %d PEP files in %s" % (len(peps), args.outdir), file=sys.stderr)


if __name__ == "__main__":
    main()
