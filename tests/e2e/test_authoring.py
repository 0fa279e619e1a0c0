"""pep new and pep next: skeletons, filling them in, rolling forward."""
import copy
import itertools
import os
import re
import xml.etree.ElementTree as ET

import pepedit
from peptest import NS, ROOT, TempDirTest, pep, samples

Q = "{%s}" % NS
XS = "{http://www.w3.org/2001/XMLSchema}"
KINDS = ["initial", "review", "transition", "post-16", "early-years", "no-provision"]
LAS = ["kent", "southwark", "kirklees", "medway"]

# What validate --stage draft reports on an empty skeleton: only rules about
# missing content (A01 personal, A02 care, A03 school, B01 attendance, B08
# extra support, B11 previous schools, P01 post-16 participation). A child
# with no provision has no school whose attendance counts.
DRAFT_RULES = {
    "initial": {"A01", "A02", "A03", "B01", "B08", "B11"},
    "review": {"A01", "A02", "A03", "B01", "B08", "B11"},
    "transition": {"A01", "A02", "A03", "B01", "B08", "B11"},
    "early-years": {"A01", "A02", "A03", "B01", "B08", "B11"},
    "post-16": {"A01", "A02", "A03", "B01", "B08", "B11", "P01"},
    "no-provision": {"A01", "A02", "B08", "B11"},
}
MISSING_CONTENT = set().union(*DRAFT_RULES.values())


def parse(text):
    return ET.fromstring(text.encode("utf-8"), ET.XMLParser(target=ET.TreeBuilder(insert_comments=True)))


def elements(e):
    return [c for c in e if isinstance(c.tag, str)]


def local(tag):
    return tag.split("}", 1)[1]


def rules_of(out):
    return set(re.findall(r": (?:error|warning): \[(\w+)\]", out))


def xsd_docs():
    """Every xs:element's documentation, white space collapsed, by name."""
    docs = {}
    for e in ET.parse(os.path.join(ROOT, "schemas", "pep.xsd")).iter(XS + "element"):
        d = e.find("%sannotation/%sdocumentation" % (XS, XS))
        if e.get("name") and d is not None:
            docs.setdefault(e.get("name"), set()).add(" ".join("".join(d.itertext()).split()))
    return docs


DOCS = xsd_docs()


def canon(e):
    """e without comments, white space, empty attributes and empty elements,
    as nested tuples: what a PEP says, not how it is laid out."""
    kids = [canon(c) for c in elements(e)]
    kids = [k for k in kids if k is not None]
    attrs = tuple(sorted((k, v) for k, v in e.attrib.items() if v.strip()))
    text = (e.text or "").strip() if not kids else ""
    if not kids and not attrs and not text:
        return None
    return (local(e.tag), attrs, text, tuple(kids))


def item_comment(parent, tag):
    """The comment of parent that shows an item to copy, or None."""
    for c in parent:
        if c.tag is ET.Comment and re.search(r"<%s[ >]" % local(tag), c.text or ""):
            return c
    return None


def item_template(parent, tag):
    """The item a skeleton shows inside a comment of parent, parsed."""
    c = item_comment(parent, tag)
    if c is None:
        return None
    xml = c.text[c.text.index("<" + local(tag)):c.text.rindex(">") + 1]
    return elements(ET.fromstring('<w xmlns="%s">%s</w>' % (NS, xml)))[0]


def blank(e):
    """True when e (or None) holds no text at all."""
    return e is None or all(not (x.text or "").strip() for x in e.iter() if isinstance(x.tag, str))


def fill(slot, value, path=""):
    """Fills the skeleton element slot with the sample element value, in
    place: a sample element goes only where the skeleton has a place for it
    (an element, or an item shown in a comment, copied as often as needed
    to just after the comment, as the comment says)."""
    for k, v in value.attrib.items():
        slot.set(k, v)
    kids = elements(value)
    if not kids:
        assert not elements(slot), "%s holds elements in the skeleton, a value in the sample" % path
        slot.text = value.text
        return
    for tag, group in itertools.groupby(kids, key=lambda c: c.tag):
        items = list(group)
        where = "%s/%s" % (path, local(tag))
        slots = [c for c in slot if c.tag == tag]
        if slots:
            pristine = copy.deepcopy(slots[0])
        else:
            pristine = item_template(slot, tag)
            assert pristine is not None, "the skeleton has no place for %s" % where
        last = slots[-1] if slots else item_comment(slot, tag)
        for i, item in enumerate(items):
            if i < len(slots):
                fill(slots[i], item, where)
                continue
            new = copy.deepcopy(pristine)
            fill(new, item, where)
            slot.insert(list(slot).index(last) + 1, new)
            last = new


def header(root, name):
    return root.find("%sheader/%s%s" % (Q, Q, name))


def check_comments(test, root):
    """Asserts that each element (but the second and later of a list) comes
    after comments one of which starts with its xs:documentation; returns
    how many elements were checked."""
    count = 0
    for parent in root.iter():
        said, tag = [], None
        for c in parent:
            if c.tag is ET.Comment:
                said.append(" ".join(c.text.split()))
            elif isinstance(c.tag, str):
                if c.tag != tag:
                    with test.subTest(element=local(c.tag)):
                        test.assertTrue(any(s.startswith(d) for s in said for d in DOCS[local(c.tag)]), said)
                    count += 1
                said, tag = [], c.tag
    return count


class Skeletons(TempDirTest):
    def test_every_kind_and_la_is_valid_and_lists_only_missing_content(self):
        for la, kind in itertools.product(LAS, KINDS):
            with self.subTest(la=la, kind=kind):
                path = os.path.join(self.tmp, "%s-%s.xml" % (la, kind))
                r = pep("new", "--la", la, "--kind", kind, "-o", path)
                self.assertEqual(r.code, 0, r)
                self.assertEqual(r.out, "")
                r = pep("validate", "--stage", "draft", path)
                self.assertEqual(r.code, 1, r)
                self.assertEqual(rules_of(r.out), DRAFT_RULES[kind], r)
                self.assertNotIn("[XSD]", r.out)
                self.assertNotIn("[XML]", r.out)

    def test_the_skeleton_says_its_la_kind_and_state(self):
        r = pep("new", "--la", "kent", "--kind", "initial")
        self.assertEqual(r.code, 0, r)
        root = parse(r.out)
        self.assertEqual(header(root, "localAuthority").get("code"), "kent")
        self.assertEqual(header(root, "localAuthority").text, "Kent County Council")
        self.assertEqual(header(root, "kind").text, "initial")
        self.assertEqual(header(root, "formState").text, "draft")
        self.assertEqual(root.find("%spepMeeting/%skind" % (Q, Q)).text, "initial")
        sections = [s.get("section") for s in root.iter(Q + "sectionComplete")]
        self.assertEqual(sections, ["A", "B", "C", "D"])

    def test_what_each_kind_holds(self):
        def has(root, path):
            return root.find("/".join(Q + p for p in path.split("/"))) is not None
        for kind in KINDS:
            with self.subTest(kind=kind):
                root = parse(pep("new", "--la", "kirklees", "--kind", kind).out)
                a = "essentialInformation/"
                self.assertEqual(has(root, a + "school"), kind != "no-provision")
                self.assertEqual(has(root, a + "noEducationalProvision"), kind == "no-provision")
                self.assertEqual(has(root, "educationInformation/post16"), kind == "post-16")
                self.assertEqual(has(root, "educationInformation/plan14to19"), kind != "early-years")
                self.assertEqual(has(root, "pepMeeting/targets/target/ppPlus"), kind != "post-16")
                # The first PEP has no previous targets: the item is shown, not written.
                self.assertEqual(has(root, "pepMeeting/previousTargets/previousTarget"), kind != "initial")
                for listed in ("educationInformation/exclusions/exclusion", "attachments/attachment",
                               "header/pepHistory/previousMeeting",
                               "educationInformation/previousSchools/previousSchool"):
                    self.assertFalse(has(root, listed), listed)

    def test_every_element_follows_the_schemas_own_words(self):
        """The comments come from the installed XSD: each element is preceded
        by a comment that starts with its xs:documentation."""
        for kind in KINDS:
            root = parse(pep("new", "--la", "southwark", "--kind", kind).out)
            self.assertGreater(check_comments(self, root), 150)

    def test_lists_that_may_be_empty_show_an_item_to_copy(self):
        root = parse(pep("new", "--la", "kent", "--kind", "initial").out)
        for path, child in (("educationInformation/exclusions", "exclusion"),
                            ("educationInformation/previousSchools", "previousSchool"),
                            ("header/pepHistory", "previousMeeting"),
                            ("pepMeeting/previousTargets", "previousTarget"),
                            ("attachments", "attachment")):
            with self.subTest(list=path):
                parent = root.find("/".join(Q + p for p in path.split("/")))
                item = item_template(parent, Q + child)
                self.assertIsNotNone(item)
                self.assertEqual(local(item.tag), child)
                self.assertTrue(all(not (e.text or "").strip() for e in item.iter()), "the item is empty")

    def test_filling_in_the_skeleton_with_a_samples_values_gives_that_sample(self):
        """For each sample, the skeleton of its LA and kind, filled with the
        sample's values and nothing else, passes every rule at sign-off, as the
        sample does, and says exactly what the sample says. So the skeleton has
        a place (in the schema's order) for everything a real PEP of that kind
        holds, and the places a person leaves empty break nothing."""
        for s in samples():
            with self.subTest(sample=s):
                sample = pepedit.load(os.path.join(ROOT, s))
                la = header(sample, "localAuthority").get("code")
                kind = header(sample, "kind").text
                r = pep("new", "--la", la, "--kind", kind)
                self.assertEqual(r.code, 0, r)
                skeleton = parse(r.out)
                fill(skeleton, sample)
                path = self.write(os.path.basename(s), pepedit.serialise(skeleton))
                r = pep("validate", "--as-of", "2026-07-17", path)
                self.assertEqual((r.code, r.out), (0, ""), r)
                self.assertEqual(canon(skeleton), canon(sample))

    def test_a_partly_filled_skeleton_lists_only_what_is_left(self):
        r = pep("new", "--la", "kent", "--kind", "review")
        root = parse(r.out)
        pepedit.apply(root, [
            ("set", "essentialInformation/personal/legalName/givenNames", "Zoë"),
            ("set", "essentialInformation/personal/legalName/familyName", "Nguyễn"),
            ("set", "essentialInformation/personal/dateOfBirth", "2015-05-14"),
            ("set", "essentialInformation/personal/laChildId", "KCC-1"),
            ("set", "educationInformation/extraSupport", "none"),
            ("attr", "educationInformation/previousSchools", "none", "yes"),
        ])
        path = self.write("partly.xml", pepedit.serialise(root))
        r = pep("validate", "--stage", "draft", path)
        self.assertEqual(rules_of(r.out), {"A02", "A03", "B01"}, r)


class NewCommand(TempDirTest):
    def test_never_overwrites_without_force(self):
        path = self.write("pep.xml", "keep me")
        r = pep("new", "--la", "kent", "--kind", "review", "-o", path)
        self.assertEqual(r.code, 2, r)
        self.assertIn("already exists; use --force to replace it", r.err)
        with open(path) as f:
            self.assertEqual(f.read(), "keep me")
        r = pep("new", "--la", "kent", "--kind", "review", "-o", path, "--force")
        self.assertEqual(r.code, 0, r)
        with open(path, encoding="utf-8") as f:
            self.assertIn("<kind>review</kind>", f.read())
        self.assertEqual(os.listdir(self.tmp), ["pep.xml"], "no temporary file is left")

    def test_an_output_that_cannot_be_written(self):
        r = pep("new", "--la", "kent", "--kind", "review", "-o", os.path.join(self.tmp, "no", "such", "x.xml"))
        self.assertEqual(r.code, 2, r)
        self.assertIn("cannot write", r.err)

    def test_any_la_may_be_written_with_a_note(self):
        r = pep("new", "--la", "east-sussex", "--kind", "review")
        self.assertEqual(r.code, 0, r)
        self.assertIn("note: 'east-sussex' has no rules or term dates of its own", r.err)
        self.assertIn('<localAuthority code="east-sussex"></localAuthority>', r.out)

    def test_bad_usage(self):
        for args, says in ((["--kind", "review"], "--la is required"),
                           (["--la", "kent"], "--kind is required"),
                           (["--la", "kent", "--kind", "annual"], "--kind 'annual' is not known"),
                           (["--la", "Kent!", "--kind", "review"], "is not an LA code"),
                           (["--la", "default", "--kind", "review"], "names the default rules, not an LA"),
                           (["--la", "kent", "--kind", "review", "out.xml"], "unexpected argument 'out.xml'")):
            with self.subTest(args=args):
                r = pep("new", *args)
                self.assertEqual(r.code, 2, r)
                self.assertIn(says, r.err)
                self.assertEqual(r.out, "")


def meeting(root, path=""):
    return root.find(Q + "pepMeeting" + "".join("/" + Q + p for p in path.split("/") if p))


def texts(e, tag):
    return [(c.text or "").strip() for c in e.iter(Q + tag)] if e is not None else []


class Next(TempDirTest):
    def roll(self, sample, *args):
        path = os.path.join(self.tmp, "next-" + os.path.basename(sample))
        r = pep("next", sample, "-o", path, *args)
        self.assertEqual(r.code, 0, r)
        with open(path, encoding="utf-8") as f:
            return path, parse(f.read()), r

    def test_every_sample_rolls_forward(self):
        for s in samples():
            with self.subTest(sample=s):
                prev = pepedit.load(os.path.join(ROOT, s))
                path, new, _ = self.roll(s)
                # Schema-valid, and a draft of the right kind.
                r = pep("validate", "--stage", "draft", "--as-of", "2026-07-17", path)
                self.assertNotIn("[XSD]", r.out)
                self.assertTrue(rules_of(r.out) <= MISSING_CONTENT | {"B05"}, r)
                self.assertEqual(header(new, "formState").text, "draft")
                kind = header(prev, "kind").text
                want = kind if kind in ("post-16", "early-years", "no-provision") else "review"
                self.assertEqual(header(new, "kind").text, want)
                # The targets to review are the previous PEP's new targets.
                targets = meeting(prev, "targets").findall(Q + "target")
                reviewed = meeting(new, "previousTargets").findall(Q + "previousTarget")
                self.assertEqual([(t.findtext(Q + "area"), t.findtext(Q + "description")) for t in targets],
                                 [(t.findtext(Q + "area"), t.findtext(Q + "description")) for t in reviewed])
                self.assertEqual(texts(meeting(new, "previousTargets"), "outcome"), [""] * len(targets))
                # The history grows by one: the previous meeting.
                old = header(prev, "pepHistory")
                old = old.findall(Q + "previousMeeting") if old is not None else []
                history = header(new, "pepHistory").findall(Q + "previousMeeting")
                self.assertEqual([canon(m) for m in history[:-1]], [canon(m) for m in old])
                self.assertEqual(history[-1].findtext(Q + "date"), meeting(prev, "date").text)
                self.assertEqual(history[-1].findtext(Q + "kind"), meeting(prev, "kind").text)
                # Section A is carried whole, Unicode and all.
                a = Q + "essentialInformation"
                self.assertEqual(canon(new.find(a)), canon(prev.find(a)))
                # The meeting proposed is the one the previous PEP set.
                self.assertEqual(meeting(new, "date").text, meeting(prev, "nextMeeting/date").text)
                self.assertEqual(meeting(new, "startTime").text, meeting(prev, "nextMeeting/time").text)
                # Open actions are carried, done ones dropped.
                open_actions = [canon(x) for x in meeting(prev, "actions").findall(Q + "action")
                                if x.findtext(Q + "done") != "yes"]
                carried = [canon(x) for x in meeting(new, "actions").findall(Q + "action")]
                self.assertEqual([c for c in carried if c is not None], open_actions)
                # Standing attachments only.
                kinds = texts(new.find(Q + "attachments"), "kind")
                self.assertEqual(kinds, [k for k in texts(prev.find(Q + "attachments"), "kind")
                                         if k in ("ehc-plan", "my-support-plan")])
                # This period's data, the views, the meeting and the sign-off are empty.
                b = new.find(Q + "educationInformation")
                for gone in ("attendance", "exclusions", "attainment"):
                    self.assertTrue(blank(b.find(Q + gone)), gone)
                self.assertTrue(blank(new.find(Q + "youngPersonsViews")))
                for gone in ("attendees", "summary", "targets", "nextMeeting", "signOff", "place", "chair"):
                    self.assertTrue(blank(meeting(new, gone)), gone)
                self.assertEqual(len(new.findall(".//%ssectionComplete" % Q)), 4)
                check_comments(self, new)

    def test_the_rules_catch_every_target_not_reviewed(self):
        for s in samples():
            with self.subTest(sample=s):
                path, new, _ = self.roll(s)
                n = len(meeting(new, "previousTargets").findall(Q + "previousTarget"))
                r = pep("validate", "--as-of", "2026-07-17", path)
                self.assertEqual(r.out.count("[D03]"), n, r)
                for i, outcome in enumerate(meeting(new, "previousTargets").iter(Q + "outcome")):
                    outcome.text = "achieved" if i % 2 else "carried-forward"
                path = self.write("reviewed.xml", pepedit.serialise(new))
                r = pep("validate", "--as-of", "2026-07-17", path)
                self.assertNotIn("[D03]", r.out)
                self.assertNotIn("[XSD]", r.out)

    def test_comments_are_the_schemas_and_say_where_values_came_from(self):
        _, new, _ = self.roll("samples/kent-review-y10-ehcp.xml")
        comments = [" ".join(c.text.split()) for c in new.iter(ET.Comment)]
        self.assertIn("Carried forward from the PEP held on 2026-03-11: the social worker checks every value "
                      "with the designated teacher before the meeting and corrects what has changed.", comments)
        self.assertIn("Proposed: the next meeting date set at the PEP held on 2026-03-11.", comments)
        self.assertTrue(any(c.startswith(next(iter(DOCS["previousTargets"]))) for c in comments))

    def test_dropped_attachments_are_named_by_place_not_title(self):
        # A title is free text that may name the child: the note on
        # standard error gives the attachment's place, kind and line.
        _, _, r = self.roll("samples/kent-transition-sen-support.xml")
        self.assertRegex(r.err, r"note: attachment 2 of 2 \(school-report, line \d+ of the previous PEP\) belongs "
                                r"to the previous meeting and is not carried")
        self.assertNotIn("Blean Brook", r.err)

    def test_date_overrides_the_proposed_meeting(self):
        _, new, _ = self.roll("samples/southwark-review-primary.xml", "--date", "2026-07-01")
        self.assertEqual(meeting(new, "date").text, "2026-07-01")
        self.assertIsNone(meeting(new, "startTime").text)
        r = pep("next", "samples/southwark-review-primary.xml", "--date", "2020-01-01")
        self.assertEqual(r.code, 2, r)
        self.assertIn("--date must be after the previous meeting", r.err)

    def test_a_transition_moves_the_school_into_previous_schools(self):
        prev = pepedit.load(os.path.join(ROOT, "samples/kent-review-y10-ehcp.xml"))
        _, new, _ = self.roll("samples/kent-review-y10-ehcp.xml", "--kind", "transition")
        self.assertEqual(header(new, "kind").text, "transition")
        self.assertEqual(meeting(new, "kind").text, "transition")
        school = new.find("%sessentialInformation/%sschool" % (Q, Q))
        self.assertEqual(canon(school), ("school", (), "", (("yearGroup", (), "10", ()),)))
        last = new.findall("%seducationInformation/%spreviousSchools/%spreviousSchool" % (Q, Q, Q))[-1]
        old = prev.find("%sessentialInformation/%sschool" % (Q, Q))
        self.assertEqual(last.findtext(Q + "name"), old.findtext(Q + "name"))
        self.assertEqual(last.findtext(Q + "urn"), old.findtext(Q + "urn"))
        self.assertEqual(last.findtext(Q + "from"), old.findtext(Q + "startDate"))

    def test_a_child_with_no_provision_who_starts_school(self):
        _, new, _ = self.roll("samples/kent-no-provision.xml", "--kind", "transition")
        a = new.find(Q + "essentialInformation")
        self.assertIsNone(a.find(Q + "noEducationalProvision"))
        self.assertEqual(a.find(Q + "school").findtext(Q + "yearGroup"), "9")

    def test_a_draft_is_not_rolled_forward_again(self):
        path, _, _ = self.roll("samples/kent-review-y10-ehcp.xml")
        out = os.path.join(self.tmp, "again.xml")
        r = pep("next", path, "-o", out)
        self.assertEqual(r.code, 1, r)
        self.assertIn("[NEXT] the previous PEP is still a draft", r.err)
        self.assertFalse(os.path.exists(out))

    def test_a_pep_without_a_meeting_date(self):
        root = pepedit.apply(pepedit.load(os.path.join(ROOT, "samples/southwark-review-primary.xml")),
                             [("set", "pepMeeting/date", "")])
        path = self.write("undated.xml", pepedit.serialise(root))
        out = os.path.join(self.tmp, "out.xml")
        r = pep("next", path, "-o", out)
        self.assertEqual(r.code, 1, r)
        self.assertIn("error: [NEXT] the previous PEP records no meeting date (pepMeeting/date)", r.err)
        self.assertFalse(os.path.exists(out))

    def test_an_invalid_pep_is_refused_and_nothing_written(self):
        out = os.path.join(self.tmp, "out.xml")
        r = pep("next", "samples/invalid/sdq-45.xml", "-o", out)
        self.assertEqual(r.code, 1, r)
        # (on standard error: no value quoted)
        self.assertIn("samples/invalid/sdq-45.xml:25: error: [XSD] SDQ score (value not shown) is not valid", r.err)
        self.assertIn("is not a valid PEP, so nothing was written", r.err)
        self.assertFalse(os.path.exists(out))

    def test_unreadable_input_and_bad_usage(self):
        for args, code, says in ((["no-such.xml"], 2, "no-such.xml: cannot read the file"),
                                 (["samples"], 2, "this is a folder"),
                                 ([], 2, "no file given"),
                                 (["samples/kent-no-provision.xml", "out.xml"], 2, "one previous PEP at a time"),
                                 (["samples/kent-no-provision.xml", "--kind", "initial"], 2,
                                  "--kind 'initial' is not known: use review or transition"),
                                 (["samples/kent-no-provision.xml", "--date", "2026-02-30"], 2, "is not a date")):
            with self.subTest(args=args):
                r = pep("next", *args)
                self.assertEqual(r.code, code, r)
                self.assertIn(says, r.err)
                self.assertEqual(r.out, "")

    def test_never_overwrites_without_force(self):
        path = self.write("next.xml", "keep me")
        r = pep("next", "samples/kent-no-provision.xml", "-o", path)
        self.assertEqual(r.code, 2, r)
        with open(path) as f:
            self.assertEqual(f.read(), "keep me")
        r = pep("next", "samples/kent-no-provision.xml", "-o", path, "--force")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(os.listdir(self.tmp), ["next.xml"])

    def test_start_finish_and_roll_forward_again(self):
        """The guide's whole cycle: new, fill in, sign off, next, review."""
        sample = pepedit.load(os.path.join(ROOT, "samples/kent-initial-unplanned-primary.xml"))
        skeleton = parse(pep("new", "--la", "kent", "--kind", "initial").out)
        fill(skeleton, sample)
        first = self.write("first.xml", pepedit.serialise(skeleton))
        self.assertEqual(pep("validate", "--as-of", "2026-07-17", first).code, 0)
        second, new, _ = self.roll(first)
        third = os.path.join(self.tmp, "third.xml")
        r = pep("next", second, "-o", third)
        self.assertEqual(r.code, 1, "the new PEP is a draft until its meeting is held")
        self.assertEqual(header(new, "pepHistory").findall(Q + "previousMeeting")[-1].findtext(Q + "date"),
                         "2025-11-25")
