"""Fixtures for every rule of the catalogue: each derives a PEP from a
sample by a few edits, and says whether the rule must trigger (with its
severity and the line of the element named by `line`) or must not.

Deadlines here were counted by hand from the published term dates and bank
holidays (data/calendars), not by the program:
- KI (kent-initial-unplanned-primary): became looked after Wed 2025-11-12,
  unplanned. 10 Kent school days: 13, 14, 17-21, 24, 25, 26 Nov -> Wed 26 Nov.
  20 school days (planned): ... 1-5 Dec, 8, 9, 10 Dec -> Wed 10 Dec.
  Meeting 2025-11-25; 10 school days after it: 26-28 Nov, 1-5, 8, 9 Dec -> 9 Dec.
- KN (kent-no-provision): became looked after Wed 2025-11-05. 20 working days:
  6, 7, 10-14, 17-21, 24-28 Nov, 1, 2, 3 Dec -> Wed 3 Dec.
- SR (southwark-review-primary): became looked after Mon 2024-01-15. 10 working
  days: 16-19, 22-26, 29 Jan -> Mon 29 Jan 2024. Meeting 2025-11-12.
- SK (southwark-child-in-kent): started at the Kent school Mon 2026-01-12. 20 Kent
  school days: 13-16, 19-23, 26-30 Jan, 2-6, 9 Feb -> Mon 9 Feb 2026.
- MD (medway-...; the default profile), with becameLookedAfter set to Mon
  2025-09-01: 10 working days -> Mon 15 Sep 2025; 20 -> Mon 29 Sep 2025.
- KK (kirklees-post16-neet), with becameLookedAfter set to Mon 2024-09-02: 10
  working days: 3-6, 9-13, 16 Sep -> Mon 16 Sep 2024.
- KR (kent-review-y10-ehcp): meeting 2026-03-11, previous meeting 2025-11-12
  (+6 months: 2026-05-12), next meeting 2026-06-24; 6 months after the
  meeting: 2026-09-11. Spring term 2025-26 began Mon 2026-01-05.
"""

KI = "kent-initial-unplanned-primary.xml"
KN = "kent-no-provision.xml"
KR = "kent-review-y10-ehcp.xml"
KT = "kent-transition-sen-support.xml"
KE = "kent-early-years.xml"
SR = "southwark-review-primary.xml"
SK = "southwark-child-in-kent.xml"
KK = "kirklees-post16-neet.xml"
MD = "medway-reduced-timetable-exclusion.xml"

MEETING = "pepMeeting/date"
LAC = "essentialInformation/care/becameLookedAfter"
PLACEMENT = "essentialInformation/care/placement"
KIND = "header/kind"


def T(rule, base, edits=(), line=None, **opts):
    return dict(rule=rule, expect="trigger", base=base, edits=list(edits), line=line, **opts)


def P(rule, base, edits=(), **opts):
    return dict(rule=rule, expect="pass", base=base, edits=list(edits), **opts)


CASES = [
    # T01 Kent initial: 10 school days unplanned, 20 planned.
    T("T01", KI, [("set", MEETING, "2025-11-27")], line=MEETING),
    P("T01", KI, [("set", MEETING, "2025-11-26")]),
    T("T01", KI, [("set", PLACEMENT, "planned"), ("set", MEETING, "2025-12-11")], line=MEETING),
    P("T01", KI, [("set", PLACEMENT, "planned"), ("set", MEETING, "2025-12-10")]),
    # T02 Kent, no school place: 20 working days.
    T("T02", KN, [("set", KIND, "initial"), ("set", MEETING, "2025-12-04")], line=MEETING),
    P("T02", KN, [("set", KIND, "initial"), ("set", MEETING, "2025-12-03")]),
    # T03 Southwark initial: 10 working days.
    T("T03", SR, [("set", KIND, "initial"), ("set", MEETING, "2024-01-30")], line=MEETING),
    P("T03", SR, [("set", KIND, "initial"), ("set", MEETING, "2024-01-29")]),
    # T04 other LAs: 10 working days unplanned, 20 otherwise.
    T("T04", MD, [("set", KIND, "initial"), ("set", LAC, "2025-09-01"), ("set", MEETING, "2025-09-16")], line=MEETING),
    P("T04", MD, [("set", KIND, "initial"), ("set", LAC, "2025-09-01"), ("set", MEETING, "2025-09-15")]),
    T("T04", MD, [("set", KIND, "initial"), ("set", LAC, "2025-09-01"), ("set", PLACEMENT, "planned"),
                  ("set", MEETING, "2025-09-30")], line=MEETING),
    P("T04", MD, [("set", KIND, "initial"), ("set", LAC, "2025-09-01"), ("set", PLACEMENT, "planned"),
                  ("set", MEETING, "2025-09-29")]),
    T("T04", KK, [("set", KIND, "initial"), ("set", LAC, "2024-09-02"), ("set", MEETING, "2024-09-17")], line=MEETING),
    # T05 review within 6 months of the previous meeting.
    T("T05", KR, [("set", MEETING, "2026-05-13")], line=MEETING),
    P("T05", KR, [("set", MEETING, "2026-05-12")]),
    # T06 the next meeting's date and time.
    T("T06", KR, [("remove", "pepMeeting/nextMeeting/time")], line="pepMeeting/nextMeeting"),
    T("T06", KR, [("remove", "pepMeeting/nextMeeting")], line="pepMeeting"),
    P("T06", KR),
    # T07 the next meeting after this one, within 6 months.
    T("T07", KR, [("set", "pepMeeting/nextMeeting/date", "2026-09-12")], line="pepMeeting/nextMeeting/date"),
    T("T07", KR, [("set", "pepMeeting/nextMeeting/date", "2026-03-11")], line="pepMeeting/nextMeeting/date"),
    P("T07", KR, [("set", "pepMeeting/nextMeeting/date", "2026-09-11")]),
    # T08 Southwark transition: 20 school days of the new school.
    T("T08", SK, [("set", MEETING, "2026-02-10")], line=MEETING),
    P("T08", SK, [("set", MEETING, "2026-02-09")]),
    # T09 Kent: sections complete within 10 school days of the meeting.
    T("T09", KI, [("set", "pepMeeting/signOff/sectionComplete[4]/date", "2025-12-10")], line="pepMeeting/signOff"),
    P("T09", KI, [("set", "pepMeeting/signOff/sectionComplete[4]/date", "2025-12-09")]),
    T("T09", KI, [("remove", "pepMeeting/signOff/sectionComplete[4]")], line="pepMeeting/signOff", as_of="2025-12-10"),
    P("T09", KI, [("remove", "pepMeeting/signOff/sectionComplete[4]")], as_of="2025-12-09"),
    # T10 Southwark: 2 to 6 weeks before the next Looked After Review.
    T("T10", SR, [("set", "essentialInformation/care/lookedAfterReviews/next", "2025-11-20")], line=MEETING),
    T("T10", SR, [("set", "essentialInformation/care/lookedAfterReviews/next", "2025-12-25")], line=MEETING),
    P("T10", SR, [("set", "essentialInformation/care/lookedAfterReviews/next", "2025-11-26")]),
    P("T10", SR, [("set", "essentialInformation/care/lookedAfterReviews/next", "2025-12-24")]),
    T("T10", SR, [("remove", "essentialInformation/care/lookedAfterReviews/next")],
      line="essentialInformation/care/lookedAfterReviews"),
    # T11 a PEP each term.
    T("T11", KR, [("remove", "header/pepHistory/previousMeeting[11]")], line="header/pepHistory"),
    P("T11", KR),
    # T12 attainment data no older than the start of the term.
    T("T12", KR, [("set", "educationInformation/attainment/dataDate", "2026-01-02")],
      line="educationInformation/attainment/dataDate"),
    P("T12", KR, [("set", "educationInformation/attainment/dataDate", "2026-01-05")]),
    # T13 the meeting date is recorded and not after the as-of date.
    T("T13", KI, line=MEETING, as_of="2025-11-24"),
    P("T13", KI, as_of="2025-11-25"),
    T("T13", KI, [("remove", MEETING)], line="pepMeeting"),
    # A01-A08
    T("A01", KI, [("remove", "essentialInformation/personal/dateOfBirth")], line="essentialInformation/personal", stage="draft"),
    T("A01", KI, [("remove", "essentialInformation/personal/upn"), ("remove", "essentialInformation/personal/laChildId")],
      line="essentialInformation/personal", stage="draft"),
    P("A01", KI, [("remove", "essentialInformation/personal/upn")], stage="draft"),
    T("A02", KI, [("remove", "essentialInformation/care/carer/name")], line="essentialInformation/care", stage="draft"),
    P("A02", KI, [("remove", "essentialInformation/care/carer/phone")], stage="draft"),
    T("A03", KI, [("remove", "essentialInformation/school/designatedTeacher")], line="essentialInformation/school", stage="draft"),
    P("A03", KN, stage="draft"),
    T("A04", KI, [("remove", "essentialInformation/health/sdq")], line="essentialInformation/health"),
    P("A04", KK, [("remove", "essentialInformation/health/sdq")]),  # aged 17: no SDQ
    T("A04", KK, [("set", "essentialInformation/health/emotionalWellbeing", " ")], line="essentialInformation/health"),
    T("A05", KI, [("set", "pepMeeting/socialWorkerConfirmedSectionA", "no")], line="pepMeeting/socialWorkerConfirmedSectionA"),
    P("A05", KI),
    P("A05", SR, [("set", "pepMeeting/socialWorkerConfirmedSectionA", "no")]),  # Kent only
    T("A06", KI, [("set", "essentialInformation/personal/upn", "A886241721105")],
      line="essentialInformation/personal/upn", stage="draft"),
    P("A06", KI, stage="draft"),
    T("A07", KI, [("set", "essentialInformation/school/yearGroup", "5")], line="essentialInformation/school/yearGroup", stage="draft"),
    P("A07", KI, stage="draft"),
    T("A08", KI, [("set", LAC, "2017-03-14")], line=LAC, stage="draft"),
    T("A08", KI, [("set", "essentialInformation/school/startDate", "2017-01-01")],
      line="essentialInformation/school/startDate", stage="draft"),
    P("A08", KI, stage="draft"),
    # B01-B11
    T("B01", KI, [("remove", "educationInformation/attendance/percentage")], line="educationInformation/attendance", stage="draft"),
    P("B01", KN, [("remove", "educationInformation/attendance")], stage="draft"),  # no school: no attendance needed
    T("B02", KR, [("set", "educationInformation/attendance/percentage", "89.99")],
      line="educationInformation/attendance/percentage"),
    P("B02", KR, [("set", "educationInformation/attendance/percentage", "90")]),
    P("B02", KT),  # 86.21 % with an attendance target
    T("B03", KR, [("set", "educationInformation/reducedTimetable/inPlace", "yes")],
      line="educationInformation/reducedTimetable", stage="draft"),
    P("B03", MD, stage="draft"),
    T("B04", MD, [("remove", "educationInformation/exclusions/exclusion/provision")],
      line="educationInformation/exclusions/exclusion", stage="draft"),
    P("B04", MD, stage="draft"),
    T("B05", KR, [("remove", "educationInformation/attainment")], line="educationInformation", stage="draft"),
    T("B05", KR, [("remove", "educationInformation/attainment/subject[name=Maths]")],
      line="educationInformation/attainment", stage="draft"),
    T("B05", KR, [("set", "educationInformation/attainment/subject[name=Maths]/current", "")],
      line="educationInformation/attainment/subject[name=Maths]", stage="draft"),  # names the subject
    P("B05", KR, stage="draft"),
    T("B06", KT, [("remove", "attachments/attachment[kind=my-support-plan]")], line="educationInformation/sen/status"),
    P("B06", KT),
    T("B07", KR, [("remove", "attachments/attachment[kind=ehc-plan]")], line="educationInformation/sen/status"),
    P("B07", KR),
    T("B08", KI, [("set", "educationInformation/extraSupport", "")], line="educationInformation/extraSupport", stage="draft"),
    P("B08", SR, stage="draft"),  # "none"
    T("B09", KR, [("remove", "educationInformation/plan14to19/completedBy")], line="educationInformation/plan14to19"),
    P("B09", KR),
    P("B09", KI),  # Year 4: no plan needed, and none is there
    T("B10", KN, [("set", "essentialInformation/noEducationalProvision/actionPlan", "")],
      line="essentialInformation/noEducationalProvision"),
    P("B10", KN),
    T("B11", KI, [("remove", "educationInformation/previousSchools")], line="educationInformation", stage="draft"),
    P("B11", KE, stage="draft"),  # none="yes"
    # C01-C03
    T("C01", KI, [("set", "youngPersonsViews/date", "2025-11-26")], line="youngPersonsViews/date"),
    T("C01", KI, [("remove", "youngPersonsViews/enjoys"), ("remove", "youngPersonsViews/findsHard"),
                  ("remove", "youngPersonsViews/helpsMeLearn"), ("remove", "youngPersonsViews/hopes"),
                  ("remove", "youngPersonsViews/wantsFromMeeting")], line="youngPersonsViews"),
    P("C01", KI),
    T("C02", MD, [("remove", "youngPersonsViews/nominatedAdult"), ("remove", "youngPersonsViews/completedWith")],
      line="youngPersonsViews/attendedMeeting"),
    P("C02", MD),
    T("C03", KR, [("set", "pepMeeting/summary", "We reviewed the targets, the attainment data and attendance; "
                   "Łukasz's views and the carer's views were heard and used to agree the next steps. " * 3)],
      line="pepMeeting/summary"),
    P("C03", KR),
    # D01-D12
    T("D01", KI, [("remove", "pepMeeting/attendees/attendee[role=social-worker]")], line="pepMeeting/attendees"),
    T("D01", KI, [("set", "pepMeeting/attendees/attendee[role=designated-teacher]/status", "apologies")],
      line="pepMeeting/attendees"),
    P("D01", KI),
    P("D01", KN),  # no provision: the virtual school stands in for a school
    T("D02", KI, [("set", "pepMeeting/summary", "Meeting held. Everyone agreed.")], line="pepMeeting/summary"),
    P("D02", KI),
    T("D03", KR, [("set", "pepMeeting/previousTargets/previousTarget[1]/outcome", "")],
      line="pepMeeting/previousTargets/previousTarget[1]/outcome"),
    T("D03", KR, [("remove", "pepMeeting/previousTargets")], line="pepMeeting"),
    P("D03", KR),
    T("D04", SR, [("remove", "pepMeeting/targets")], line="pepMeeting"),  # Southwark: an error
    T("D04", KI, [("remove", "pepMeeting/targets")], line="pepMeeting"),  # Kent: a warning
    P("D04", SR),
    T("D05", KI, [("set", "pepMeeting/targets/target/area", "other")], line="pepMeeting/targets"),
    P("D05", KI),
    T("D06", KI, [("remove", "pepMeeting/targets/target[1]/successCriterion")], line="pepMeeting/targets/target[1]"),
    T("D06", KR, [("set", "pepMeeting/targets/target[1]/deadline", "2026-06-25")],
      line="pepMeeting/targets/target[1]/deadline"),
    P("D06", KR, [("set", "pepMeeting/targets/target[1]/deadline", "2026-06-24")]),
    T("D07", KI, [("remove", "pepMeeting/targets/target[1]/howOften")], line="pepMeeting/targets/target[1]"),
    P("D07", KI),
    T("D08", KK, [("append", "pepMeeting/targets/target[1]", "<ppPlus><amount>100.00</amount><buys>books</buys></ppPlus>")],
      line="pepMeeting/targets/target[1]/ppPlus/amount"),
    T("D08", KT, [("remove", "pepMeeting/targets/target/ppPlus/buys")], line="pepMeeting/targets/target/ppPlus"),
    P("D08", KT),
    T("D09", KI, [("remove", "pepMeeting/signOff/sectionComplete[2]")], line="pepMeeting/signOff"),
    T("D09", KI, [("remove", "pepMeeting/signOff/sectionComplete[2]/by")], line="pepMeeting/signOff"),
    P("D09", KI),
    T("D10", KI, [("remove", "pepMeeting/signOff/qualityAssurance")], line="pepMeeting/signOff", stage="upload"),
    T("D10", KK, [("remove", "pepMeeting/signOff/qualityAssurance/grade")],
      line="pepMeeting/signOff/qualityAssurance", stage="upload"),
    P("D10", KI, stage="upload"),
    P("D10", KI, [("remove", "pepMeeting/signOff/qualityAssurance")], stage="signoff"),  # upload only
    P("D10", MD, stage="upload"),  # no QA recorded, but D10 is for Kent and Kirklees only
    T("D11", KI, [("set", "essentialInformation/school/designatedTeacher/qualifiedTeacher", "no")],
      line="essentialInformation/school/designatedTeacher/qualifiedTeacher"),
    P("D11", KI),
    P("D11", KK, [("set", "essentialInformation/school/designatedTeacher/qualifiedTeacher", "no")]),  # post-16
    T("D12", KI, [("remove", "pepMeeting/actions/action[1]/due")], line="pepMeeting/actions/action[1]"),
    P("D12", KI),
    # P01-P03
    T("P01", KK, [("set", "educationInformation/post16/participation", "")],
      line="educationInformation/post16/participation", stage="draft"),
    P("P01", KK, stage="draft"),
    T("P02", KK, [("set", "educationInformation/post16/neetSupportPlan", "")], line="educationInformation/post16/neetSupportPlan"),
    P("P02", KK),
    T("P03", KK, [("set", "educationInformation/post16/participation", "full-time-education"),
                  ("set", "educationInformation/post16/bursary/considered", "no")],
      line="educationInformation/post16/bursary/considered"),
    P("P03", KK, [("set", "educationInformation/post16/participation", "full-time-education"),
                  ("set", "educationInformation/post16/bursary/considered", "yes")]),
    # CAL01: Kent's 2023-24 term dates are not known.
    T("CAL01", KI, [("set", LAC, "2023-10-02")], line=MEETING),
    P("CAL01", KI),
    # CMT01: a value typed inside a comment, at the draft stage (where no
    # rule asks for the next meeting yet); not when the field has its own
    # value, nor for the schema's own example, which pep new's comments show.
    T("CMT01", KR, [("remove", "pepMeeting/nextMeeting/date"),
                    ("comment", "pepMeeting/nextMeeting", " <date>2026-06-24</date> ")],
      line="pepMeeting/nextMeeting", stage="draft"),
    T("CMT01", KR, [("remove", "essentialInformation/school/schoolLocalAuthority"),
                    ("comment", "essentialInformation/school", ' The LA, for example <schoolLocalAuthority code="medway">'
                     'Medway</schoolLocalAuthority> ')],
      line="essentialInformation/school"),  # at sign-off too
    P("CMT01", KR, [("comment", "pepMeeting/nextMeeting", " <date>2026-06-24</date> ")], stage="draft"),
    P("CMT01", KR, [("set", "essentialInformation/school/schoolLocalAuthority", ""),
                    ("attr", "essentialInformation/school/schoolLocalAuthority", "code", ""),
                    ("comment", "essentialInformation/school", ' The LA, for example <schoolLocalAuthority\n'
                     '    code="kent">Kent</schoolLocalAuthority>. From the schema. ')], stage="draft"),
]
