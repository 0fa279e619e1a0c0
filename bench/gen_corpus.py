#!/usr/bin/env python3
"""Generate a corpus of realistic, varied PEPs for benchmarks.

usage: bench/gen_corpus.py --count N --seed S OUTDIR

Deterministic for a given count and seed. Each PEP starts from one of the
fictional samples and gets new names (with accents), new free text of
realistic length (meeting summaries of one to several thousand characters),
and, for some files, the faults real exports have: missing fields that the
rules report (about 1 in 4), a value the schema refuses (1 in 50), a file cut
short (1 in 200). Files go 100 to a folder. Everything is invented.
"""
import argparse
import os
import random
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NS = "https://pep-tool.org/ns/pep/1"
ET.register_namespace("", NS)
Q = "{%s}" % NS

GIVEN = ["Zoë", "Łukasz", "Siobhán", "Mai Anh", "Þórunn", "Oluwaṣeun", "Chloé", "Ayşe", "Tomáš", "Amara",
         "Kacper", "Niamh", "Aaliyah", "Dawid", "Eilídh", "Renée", "Jiří", "Małgorzata", "Seán", "Ngọc",
         "Olamide", "Björn", "Inès", "Raphaël", "Yusuf", "Darius", "Leah", "Kai", "Ffion", "Émile"]
FAMILY = ["Nguyễn", "Wiśniewski", "Ó Briain", "Adébáyọ̀", "Dvořák", "Þórsdóttir", "Kowalczyk", "Çelik",
          "Adeyemi-Clarke", "Mac Giolla Phádraig", "Lefèvre", "Hernández", "Müller", "Søndergaard", "Popescu",
          "Okafor", "Brennan", "Patel", "Holloway", "Ashworth-Singh"]
WORDS = ("the review of targets shows that progress in reading and maths has continued this term and the "
         "carer reports that homework is now a calm routine at home while the school has arranged extra "
         "support in class with the teaching assistant three times a week attendance has improved since "
         "the last meeting and the young person said they feel more settled with friends in their form "
         "group as a result we agreed the next steps and the social worker will follow up the actions "
         "with the virtual school before the next meeting the views of the child and the carer were "
         "considered and used to shape the targets").split()
TEXT_TAGS = {"summary": (600, 4000), "carersViews": (100, 800), "childsViewsUsed": (100, 800),
             "enjoys": (40, 400), "findsHard": (40, 400), "helpsMeLearn": (40, 400), "hopes": (40, 400),
             "wantsFromMeeting": (40, 300), "healthIssues": (60, 600), "emotionalWellbeing": (100, 900),
             "extraSupport": (20, 500), "comment": (60, 400), "how": (40, 300), "baseline": (30, 200)}
# Elements whose removal a rule reports (paths below the root).
REMOVABLE = ["essentialInformation/personal/dateOfBirth", "essentialInformation/care/carer",
             "essentialInformation/health/sdq", "educationInformation/attendance/percentage",
             "educationInformation/extraSupport", "pepMeeting/nextMeeting", "pepMeeting/attendees",
             "pepMeeting/signOff/sectionComplete", "youngPersonsViews/date", "educationInformation/previousSchools"]


def paragraph(rng, lo, hi):
    n = rng.randint(lo, hi)
    out, size = [], 0
    while size < n:
        w = rng.choice(WORDS)
        out.append(w)
        size += len(w) + 1
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def find_path(root, path):
    node = root
    parent = None
    for step in path.split("/"):
        parent = node
        node = node.find(Q + step)
        if node is None:
            return None, None
    return parent, node


def mutate(rng, root):
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = el.tag[len(Q):]
        if local == "givenNames":
            el.text = rng.choice(GIVEN)
        elif local == "familyName":
            el.text = rng.choice(FAMILY)
        elif local in TEXT_TAGS and el.text and el.text.strip():
            lo, hi = TEXT_TAGS[local]
            el.text = paragraph(rng, lo, hi)
    roll = rng.random()
    if roll < 0.25:
        parent, node = find_path(root, rng.choice(REMOVABLE))
        if node is not None:
            parent.remove(node)
    elif roll < 0.27:
        _, node = find_path(root, "essentialInformation/health/sdq/score")
        if node is not None:
            node.text = str(rng.randint(41, 60))  # the schema refuses it
        else:
            _, node = find_path(root, "educationInformation/attendance/percentage")
            if node is not None:
                node.text = "104.5"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("outdir")
    a = ap.parse_args()
    samples = sorted(os.path.join(ROOT, "samples", f) for f in os.listdir(os.path.join(ROOT, "samples"))
                     if f.endswith(".xml"))
    templates = [ET.parse(p, ET.XMLParser(target=ET.TreeBuilder(insert_comments=False))).getroot() for p in samples]
    rng = random.Random(a.seed)
    os.makedirs(a.outdir, exist_ok=True)
    total = 0
    for i in range(a.count):
        root = ET.fromstring(ET.tostring(rng.choice(templates)))
        mutate(rng, root)
        data = ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")
        if rng.random() < 0.005:
            data = data[: rng.randint(100, len(data) - 100)]  # cut short
        folder = os.path.join(a.outdir, "%04d" % (i // 100))
        if i % 100 == 0:
            os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "pep-%06d.xml" % i), "wb") as f:
            f.write(data)
        total += len(data)
    print("generated %d PEPs in %s (%.1f MB, %.1f KB on average)" % (a.count, a.outdir, total / 1e6, total / a.count / 1e3),
          file=sys.stderr)


if __name__ == "__main__":
    main()
