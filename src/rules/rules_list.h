/* rules_list.h: the rule catalogue, one line per rule (after jq's
 * src/opcode_list.h). Everything else about a rule is made from this list:
 * the table pep_rules[] and its index (rules.h, rules.c), the prototypes of
 * the checks (rules_impl.h), `pep rules` and docs/rules.md. No include
 * guard: whoever includes it defines the two macros first.
 *
 *   PEP_RULE(ID, severity, scope, stage, section, "summary", "source")
 *     a rule checked by pep_check_ID(), in rules_t.c (T), rules_a.c (A),
 *     rules_b.c (B), rules_cd.c (C, D) or rules_p.c (P);
 *   PEP_RULE_REPORTED(ID, ...)
 *     the same columns, for a rule with no check of its own: the engine
 *     reports it (CAL01, from the day counting of rules.c; CMT01).
 *
 *   ID        fixed once published (docs/rules.md)
 *   severity  ERROR or WARNING (a profile may raise a warning to an error:
 *             profile_list.h)
 *   scope     ALL: every LA; LA: only the LAs whose profile names the rule
 *             (profile_list.h)
 *   stage     DRAFT, SIGNOFF or UPLOAD: the first stage it applies at
 *   section   'A'..'D', or 0
 *   summary   what it checks; a limit an LA sets is named {field}, a
 *             field of the profiles (PEP_LIMITS in profile.h), and filled
 *             in from the profiles that apply the rule (pep_rule_summary)
 *   source    the documents its requirement comes from, by their titles
 *             (PEP_DOC_* in profile.h), for people; code comments cite
 *             the seeds. The sources of the limits are in the profiles'
 *             rows, and pep_rule_source() adds them: "" for a rule that
 *             is all limit (T01)
 *
 * Adding a rule: a line here, its pep_check_ID(), a trigger and a pass
 * fixture in tests/rules/cases.py, and `make docs`. */

/* Timescales */
PEP_RULE(T01, ERROR, LA, SIGNOFF, 'D', "Initial PEP meeting within {initial_planned} of becoming looked after when the placement was planned; within {initial_unplanned} when unplanned", "")
PEP_RULE(T02, ERROR, LA, SIGNOFF, 'D', "Initial PEP for a child with no school place: within {initial_no_place} of becoming looked after", "")
PEP_RULE(T03, ERROR, LA, SIGNOFF, 'D', "Initial PEP completed within {initial} of becoming looked after, whether the placement was planned or not", "")
PEP_RULE(T04, ERROR, LA, SIGNOFF, 'D', "Initial PEP: within {initial_unplanned} when the placement was an emergency/unplanned; otherwise by the first Looked After Review, which falls {initial_planned} after becoming looked after", "")
PEP_RULE(T05, ERROR, ALL, SIGNOFF, 'D', "A review PEP meeting is held within {review} of the previous PEP meeting", "")
PEP_RULE(T06, ERROR, ALL, SIGNOFF, 'D', "A next meeting date and time is recorded; the PEP cannot be signed off without it", PEP_DOC_KIRKLEES_CHECKLIST " D \"PEP Sign Off\"")
PEP_RULE(T07, ERROR, ALL, SIGNOFF, 'D', "The next meeting date is after this meeting and within {review} of it", PEP_DOC_KIRKLEES_GUIDE " (\"within the statutory 6 month timescale\")")
PEP_RULE(T08, ERROR, LA, SIGNOFF, 'D', "A transition PEP (new school) is held within {transition} of starting the new school", "")
PEP_RULE(T09, ERROR, LA, SIGNOFF, 'D', "All sections marked complete within {sections_done} of the meeting (checked against the as-of date while incomplete, against the completion dates once complete)", "")
PEP_RULE(T10, WARNING, LA, SIGNOFF, 'D', "The meeting falls {lar} before the next Looked After Review", "")
PEP_RULE(T11, WARNING, ALL, SIGNOFF, 'D', "At least {per_year} PEP meetings in the current academic year by the end of the summer term, and a PEP each term (from the PEP history)", PEP_DOC_KENT " §1; " PEP_DOC_VS_PAGE "; " PEP_DOC_FAMILIES)
PEP_RULE(T12, WARNING, ALL, SIGNOFF, 'B', "Attainment and progress data is no older than the start of the current term", PEP_DOC_KIRKLEES_CHECKLIST " B (\"at least termly\")")
PEP_RULE(T13, ERROR, ALL, SIGNOFF, 'D', "The meeting date is not after the as-of date", "— (data integrity)")
/* Section A */
PEP_RULE(A01, ERROR, ALL, DRAFT, 'A', "Personal information present: name, date of birth, an identifier (UPN or LA child id)", PEP_DOC_KIRKLEES_CHECKLIST " A")
PEP_RULE(A02, ERROR, ALL, DRAFT, 'A', "Care information present: date became looked after, placement planned/unplanned, carer name and contact, social worker", PEP_DOC_KENT " §4(i)(ii)")
PEP_RULE(A03, ERROR, ALL, DRAFT, 'A', "School information present (school, year group, designated teacher) unless the child has no educational provision", PEP_DOC_KIRKLEES_CHECKLIST " A")
PEP_RULE(A04, ERROR, ALL, SIGNOFF, 'A', "Health and emotional wellbeing completed, with an SDQ score 0–40 and its date", PEP_DOC_KIRKLEES_CHECKLIST " A")
PEP_RULE(A05, WARNING, LA, SIGNOFF, 'A', "The social worker confirmed section A at the meeting", PEP_DOC_KENT " §2, §4(ii)")
PEP_RULE(A06, WARNING, ALL, DRAFT, 'A', "The UPN, when present, is well formed: 13 characters with a valid check letter (DfE UPN specification)", "DfE UPN guidance")
PEP_RULE(A07, WARNING, ALL, DRAFT, 'A', "The year group matches the date of birth (English school year: age on 31 August)", "— (data integrity)")
PEP_RULE(A08, ERROR, ALL, DRAFT, 'A', "Dates are in order: birth < became looked after ≤ meeting; started school ≥ birth", "— (data integrity)")
/* Section B */
PEP_RULE(B01, ERROR, ALL, DRAFT, 'B', "Attendance percentage and the date range it covers are recorded", PEP_DOC_KIRKLEES_CHECKLIST " B")
PEP_RULE(B02, ERROR, ALL, SIGNOFF, 'B', "Attendance below 90 % has a target in the attendance area", PEP_DOC_KIRKLEES_CHECKLIST " B")
PEP_RULE(B03, ERROR, ALL, DRAFT, 'B', "Reduced timetable or personalised package (under 25 hours): hours, reason, plan and review date recorded", PEP_DOC_KIRKLEES_CHECKLIST " B")
PEP_RULE(B04, ERROR, ALL, DRAFT, 'B', "Every exclusion records the education and support provision", PEP_DOC_KIRKLEES_CHECKLIST " B")
PEP_RULE(B05, ERROR, ALL, DRAFT, 'B', "Attainment and progress completed for a child in full-time education", PEP_DOC_KIRKLEES_CHECKLIST " B")
PEP_RULE(B06, ERROR, ALL, SIGNOFF, 'B', "SEN support without an EHC plan: a My Support Plan is attached", PEP_DOC_KIRKLEES_CHECKLIST " B")
PEP_RULE(B07, ERROR, ALL, SIGNOFF, 'B', "EHC plan (or statement): the plan is attached", PEP_DOC_KIRKLEES_CHECKLIST " B")
PEP_RULE(B08, ERROR, ALL, DRAFT, 'B', "Extra support is filled in (the word none when none)", PEP_DOC_KIRKLEES_CHECKLIST " B")
PEP_RULE(B09, ERROR, ALL, SIGNOFF, 'B', "Years 10 and 11 (and post-16): the 14–19+ plan is completed, naming who and when", PEP_DOC_KIRKLEES_CHECKLIST " B")
PEP_RULE(B10, ERROR, ALL, SIGNOFF, 'B', "No educational provision: the reason and an action plan to get the child into provision", PEP_DOC_SOUTHWARK " §8; " PEP_DOC_KENT " §4(iii)")
PEP_RULE(B11, WARNING, ALL, DRAFT, 'B', "The previous schools history is recorded", PEP_DOC_KIRKLEES_CHECKLIST " B")
/* Section C */
PEP_RULE(C01, ERROR, ALL, SIGNOFF, 'C', "The young person's views are recorded, dated on or before the meeting", PEP_DOC_KIRKLEES_CHECKLIST " C; " PEP_DOC_FAMILIES)
PEP_RULE(C02, WARNING, ALL, SIGNOFF, 'C', "A child who did not attend has their views represented: a nominated adult or views recorded with them", PEP_DOC_KENT " §4(v); " PEP_DOC_SOUTHWARK " §5")
PEP_RULE(C03, WARNING, ALL, SIGNOFF, 'C', "When the SEN pupil-view form was used, the meeting summary says so", PEP_DOC_KIRKLEES_CHECKLIST " C")
/* Section D */
PEP_RULE(D01, ERROR, ALL, SIGNOFF, 'D', "Attendees include the social worker and the designated teacher (or DT support staff)", PEP_DOC_KENT " §5")
PEP_RULE(D02, WARNING, ALL, SIGNOFF, 'D', "The meeting summary is substantive: it refers to the targets review, attainment or attendance, and the child's and carer's views", PEP_DOC_KIRKLEES_CHECKLIST " D")
PEP_RULE(D03, ERROR, ALL, SIGNOFF, 'D', "Every target from the previous PEP is reviewed with an outcome", PEP_DOC_KENT " §4(ii), §5; " PEP_DOC_KIRKLEES_CHECKLIST " D")
PEP_RULE(D04, WARNING, ALL, SIGNOFF, 'D', "{targets} new targets are agreed", "")
PEP_RULE(D05, ERROR, ALL, SIGNOFF, 'D', "At least one new target is academic", PEP_DOC_SOUTHWARK " §4, §7")
PEP_RULE(D06, ERROR, ALL, SIGNOFF, 'D', "Every target is SMART: a specific description, a measurable success criterion, and a deadline on or before the next meeting and within {review}", PEP_DOC_KENT " §4(ii); " PEP_DOC_SOUTHWARK " §7; " PEP_DOC_FAMILIES)
PEP_RULE(D07, WARNING, ALL, SIGNOFF, 'D', "Every target says who will help, how, and how often", PEP_DOC_SOUTHWARK " §7; " PEP_DOC_DFE " para 36")
PEP_RULE(D08, ERROR, ALL, SIGNOFF, 'D', "PP+ funding requested on a target states an amount and what it buys; post-16 PEPs request none", PEP_DOC_KIRKLEES_CHECKLIST " D; " PEP_DOC_FAMILIES)
PEP_RULE(D09, ERROR, ALL, SIGNOFF, 'D', "Sections A–D are all marked complete", PEP_DOC_KENT " §4(ii), §5; " PEP_DOC_KIRKLEES_CHECKLIST " D \"PEP Sign Off\"")
PEP_RULE(D10, ERROR, LA, UPLOAD, 'D', "The virtual school's quality assurance is recorded before upload", PEP_DOC_KENT " §2, §6; " PEP_DOC_KIRKLEES_GUIDE)
PEP_RULE(D11, WARNING, ALL, SIGNOFF, 'D', "The designated teacher is a qualified teacher", PEP_DOC_KIRKLEES_GUIDE " (NB)")
PEP_RULE(D12, WARNING, ALL, SIGNOFF, 'D', "Actions for adults have an owner and a due date", PEP_DOC_SOUTHWARK " §4; " PEP_DOC_DFE " para 36")
/* Post-16 */
PEP_RULE(P01, ERROR, ALL, DRAFT, 'B', "Current participation status is recorded", PEP_DOC_KIRKLEES_POST16 " A")
PEP_RULE(P02, ERROR, ALL, SIGNOFF, 'B', "NEET: a NEET support plan is recorded", PEP_DOC_KIRKLEES_POST16 " D")
PEP_RULE(P03, WARNING, ALL, SIGNOFF, 'B', "Full-time education (over 16 hours a week and over 12 weeks): the 16–19 bursary is recorded as considered", PEP_DOC_KIRKLEES_POST16 " D")
/* Calendar: reported by the day counting of the T rules (rules.c). */
PEP_RULE_REPORTED(CAL01, ERROR, ALL, DRAFT, 0, "A date needed by a T rule lies outside every school calendar known for the LA", "—")
/* Comments: reported by the engine (rules.c) for a value typed inside a
 * comment that no rule's message tells of. */
PEP_RULE_REPORTED(CMT01, WARNING, ALL, DRAFT, 0, "A value typed inside a comment, which pep does not read, where the field it belongs to is empty: move it out of the comment", "— (the file itself)")
