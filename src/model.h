/* model.h: the typed PEP, as the rules and the renderer read it.
 *
 * A pep_model mirrors schemas/pep.xsd: one struct per element that has
 * children, one typed field (bind.h) per value, dates as day numbers, closed
 * lists as enums, and the line of every element kept. Rules and renderers
 * read this model only; they never see XML.
 *
 * Each enumeration is defined once below as an X-macro list of
 * (C name, XML value, label for people); the XML values must equal the
 * schema's enumerations (tests/test_model.c checks them against the XSD).
 *
 * Ownership: pep_doc_load() hands the caller a pep_doc, freed with
 * pep_doc_free() (accepts NULL); the model and every string in it belong to
 * the document and live as long as it. */
#ifndef PEP_MODEL_H
#define PEP_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "bind.h"
#include "diag.h"
#include "xml.h"

/* The canonical format's namespace (schemas/pep.xsd; the other PEP formats
 * are in format_list.h), and that of school calendars (schemas/calendar.xsd). */
#define PEP_NAMESPACE "https://pep-tool.org/ns/pep/1"
#define PEP_CALENDAR_NAMESPACE "https://pep-tool.org/ns/calendar/1"
/* The most values typed inside comments a model keeps (pep_model). */
#define PEP_MODEL_COMMENTED 8

/* ------------------------------------------------------------------ */
/* Enumerations: X(NAME, "xml value", "Label")                          */
/* ------------------------------------------------------------------ */

#define PEP_KIND_LIST(X) \
	X(KIND_INITIAL, "initial", "Initial PEP") \
	X(KIND_REVIEW, "review", "Review PEP") \
	X(KIND_TRANSITION, "transition", "Transition PEP") \
	X(KIND_POST16, "post-16", "Post-16 PEP") \
	X(KIND_EARLY_YEARS, "early-years", "Early years PEP") \
	X(KIND_NO_PROVISION, "no-provision", "PEP: no educational provision")

#define PEP_FORM_STATE_LIST(X) \
	X(STATE_DRAFT, "draft", "Draft") \
	X(STATE_MEETING_HELD, "meeting-held", "Meeting held") \
	X(STATE_SIGNED_OFF, "signed-off", "Signed off") \
	X(STATE_QUALITY_ASSURED, "quality-assured", "Quality assured") \
	X(STATE_UPLOADED, "uploaded", "Uploaded")

#define PEP_MEETING_KIND_LIST(X) \
	X(MEETING_INITIAL, "initial", "Initial") \
	X(MEETING_REVIEW, "review", "Review") \
	X(MEETING_TRANSITION, "transition", "Transition") \
	X(MEETING_EXTRA, "extra", "Extra")

#define PEP_YESNO_LIST(X) \
	X(YES, "yes", "Yes") \
	X(NO, "no", "No")

#define PEP_NAME_ORDER_LIST(X) \
	X(NAME_GIVEN_FIRST, "given-first", "Given names first") \
	X(NAME_FAMILY_FIRST, "family-first", "Family name first")

#define PEP_PLACEMENT_LIST(X) \
	X(PLANNED, "planned", "Planned") \
	X(UNPLANNED, "unplanned", "Unplanned")

#define PEP_YEAR_LIST(X) \
	X(YEAR_N1, "N1", "Nursery 1") \
	X(YEAR_N2, "N2", "Nursery 2") \
	X(YEAR_R, "R", "Reception") \
	X(YEAR_1, "1", "Year 1") \
	X(YEAR_2, "2", "Year 2") \
	X(YEAR_3, "3", "Year 3") \
	X(YEAR_4, "4", "Year 4") \
	X(YEAR_5, "5", "Year 5") \
	X(YEAR_6, "6", "Year 6") \
	X(YEAR_7, "7", "Year 7") \
	X(YEAR_8, "8", "Year 8") \
	X(YEAR_9, "9", "Year 9") \
	X(YEAR_10, "10", "Year 10") \
	X(YEAR_11, "11", "Year 11") \
	X(YEAR_12, "12", "Year 12") \
	X(YEAR_13, "13", "Year 13") \
	X(YEAR_14, "14", "Year 14")

#define PEP_SEN_STATUS_LIST(X) \
	X(SEN_NONE, "none", "None") \
	X(SEN_SUPPORT, "sen-support", "SEN support") \
	X(SEN_EHC_PLAN, "ehc-plan", "EHC plan")

#define PEP_SEN_NEED_LIST(X) \
	X(NEED_SPLD, "SpLD", "Specific learning difficulty (SpLD)") \
	X(NEED_MLD, "MLD", "Moderate learning difficulty (MLD)") \
	X(NEED_SLD, "SLD", "Severe learning difficulty (SLD)") \
	X(NEED_PMLD, "PMLD", "Profound and multiple learning difficulty (PMLD)") \
	X(NEED_SEMH, "SEMH", "Social, emotional and mental health (SEMH)") \
	X(NEED_SLCN, "SLCN", "Speech, language and communication needs (SLCN)") \
	X(NEED_HI, "HI", "Hearing impairment (HI)") \
	X(NEED_VI, "VI", "Vision impairment (VI)") \
	X(NEED_MSI, "MSI", "Multi-sensory impairment (MSI)") \
	X(NEED_PD, "PD", "Physical disability (PD)") \
	X(NEED_ASD, "ASD", "Autistic spectrum disorder (ASD)") \
	X(NEED_OTH, "OTH", "Other difficulty or disability (OTH)") \
	X(NEED_NSA, "NSA", "SEN support, no specialist assessment (NSA)")

#define PEP_EXCLUSION_LIST(X) \
	X(EXCL_SUSPENSION, "suspension", "Suspension") \
	X(EXCL_PERMANENT, "permanent", "Permanent exclusion")

#define PEP_PROGRESS_LIST(X) \
	X(PROGRESS_ABOVE, "above", "Above expected") \
	X(PROGRESS_ON_TRACK, "on-track", "On track") \
	X(PROGRESS_BELOW, "below", "Below expected") \
	X(PROGRESS_WELL_BELOW, "well-below", "Well below expected")

#define PEP_PARTICIPATION_LIST(X) \
	X(PART_FT_EDUCATION, "full-time-education", "Full-time education") \
	X(PART_PT_EDUCATION, "part-time-education", "Part-time education") \
	X(PART_APPRENTICESHIP, "apprenticeship", "Apprenticeship") \
	X(PART_TRAINING, "training", "Training") \
	X(PART_EMPLOYMENT, "employment", "Employment") \
	X(PART_NEET, "neet", "NEET (not in education, employment or training)")

#define PEP_CHILD_ATTENDANCE_LIST(X) \
	X(ATTENDED_ALL, "all", "All of the meeting") \
	X(ATTENDED_PART, "part", "Part of the meeting") \
	X(ATTENDED_NONE, "none", "Did not attend")

#define PEP_ROLE_LIST(X) \
	X(ROLE_SOCIAL_WORKER, "social-worker", "Social worker") \
	X(ROLE_DESIGNATED_TEACHER, "designated-teacher", "Designated teacher") \
	X(ROLE_DT_SUPPORT, "dt-support-staff", "Designated teacher support staff") \
	X(ROLE_DESIGNATED_PROFESSIONAL, "designated-professional", "Designated professional (post-16)") \
	X(ROLE_CARER, "carer", "Carer") \
	X(ROLE_CHILD, "child", "Child or young person") \
	X(ROLE_VIRTUAL_SCHOOL, "virtual-school", "Virtual school") \
	X(ROLE_PARENT, "parent", "Parent") \
	X(ROLE_IRO, "iro", "Independent reviewing officer") \
	X(ROLE_OTHER, "other", "Other")

#define PEP_ATTENDEE_STATUS_LIST(X) \
	X(STATUS_PRESENT, "present", "Present") \
	X(STATUS_APOLOGIES, "apologies", "Apologies") \
	X(STATUS_REPORT_SENT, "report-sent", "Sent a report")

#define PEP_AREA_LIST(X) \
	X(AREA_ACADEMIC, "academic", "Academic") \
	X(AREA_ATTENDANCE, "attendance", "Attendance") \
	X(AREA_BEHAVIOUR, "behaviour", "Behaviour") \
	X(AREA_SOCIAL_EMOTIONAL, "social-emotional", "Social and emotional") \
	X(AREA_ADULTHOOD, "preparation-for-adulthood", "Preparation for adulthood") \
	X(AREA_OTHER, "other", "Other")

#define PEP_OUTCOME_LIST(X) \
	X(OUTCOME_ACHIEVED, "achieved", "Achieved") \
	X(OUTCOME_PARTLY, "partly-achieved", "Partly achieved") \
	X(OUTCOME_NOT_ACHIEVED, "not-achieved", "Not achieved") \
	X(OUTCOME_CARRIED, "carried-forward", "Carried forward")

#define PEP_WORDS_LIST(X) \
	X(WORDS_CHILD, "child", "In the child's words") \
	X(WORDS_SCHOOL, "school", "In the school's words")

#define PEP_DECISION_LIST(X) \
	X(DECISION_REQUESTED, "requested", "Requested") \
	X(DECISION_APPROVED, "approved", "Approved") \
	X(DECISION_DECLINED, "declined", "Declined")

#define PEP_OWNER_LIST(X) \
	X(OWNER_CARER, "carer", "Carer") \
	X(OWNER_SOCIAL_WORKER, "social-worker", "Social worker") \
	X(OWNER_SCHOOL, "school", "School") \
	X(OWNER_VIRTUAL_SCHOOL, "virtual-school", "Virtual school") \
	X(OWNER_OTHER, "other", "Other")

#define PEP_SECTION_LIST(X) \
	X(SECTION_A, "A", "Section A") \
	X(SECTION_B, "B", "Section B") \
	X(SECTION_C, "C", "Section C") \
	X(SECTION_D, "D", "Section D")

#define PEP_QA_GRADE_LIST(X) \
	X(GRADE_OUTSTANDING, "outstanding", "Outstanding") \
	X(GRADE_GOOD, "good", "Good") \
	X(GRADE_RI, "requires-improvement", "Requires improvement") \
	X(GRADE_INADEQUATE, "inadequate", "Inadequate")

#define PEP_ATTACHMENT_LIST(X) \
	X(ATTACH_MY_SUPPORT_PLAN, "my-support-plan", "My Support Plan") \
	X(ATTACH_EHC_PLAN, "ehc-plan", "EHC plan") \
	X(ATTACH_SCHOOL_REPORT, "school-report", "School report") \
	X(ATTACH_POST16_VIEWS, "post-16-views", "Post-16 views template") \
	X(ATTACH_OTHER, "other", "Other")

/* Every list, with the name of its schema type, for the tables and tests. */
#define PEP_ENUMS(E) \
	E(kind, KIND, PEP_KIND_LIST, "PepKind") \
	E(form_state, FORM_STATE, PEP_FORM_STATE_LIST, "FormState") \
	E(meeting_kind, MEETING_KIND, PEP_MEETING_KIND_LIST, "MeetingKind") \
	E(yesno, YESNO, PEP_YESNO_LIST, "YesNo") \
	E(name_order, NAME_ORDER, PEP_NAME_ORDER_LIST, "NameOrder") \
	E(placement, PLACEMENT, PEP_PLACEMENT_LIST, "Placement") \
	E(year, YEAR, PEP_YEAR_LIST, "YearGroup") \
	E(sen_status, SEN_STATUS, PEP_SEN_STATUS_LIST, "SenStatus") \
	E(sen_need, SEN_NEED, PEP_SEN_NEED_LIST, "SenNeed") \
	E(exclusion_kind, EXCLUSION_KIND, PEP_EXCLUSION_LIST, "ExclusionKind") \
	E(progress, PROGRESS, PEP_PROGRESS_LIST, "Progress") \
	E(participation, PARTICIPATION, PEP_PARTICIPATION_LIST, "Participation") \
	E(child_attendance, CHILD_ATTENDANCE, PEP_CHILD_ATTENDANCE_LIST, "ChildAttendance") \
	E(role, ROLE, PEP_ROLE_LIST, "AttendeeRole") \
	E(attendee_status, ATTENDEE_STATUS, PEP_ATTENDEE_STATUS_LIST, "AttendeeStatus") \
	E(area, AREA, PEP_AREA_LIST, "TargetArea") \
	E(outcome, OUTCOME, PEP_OUTCOME_LIST, "TargetOutcome") \
	E(words, WORDS, PEP_WORDS_LIST, "TargetWords") \
	E(decision, DECISION, PEP_DECISION_LIST, "FundingDecision") \
	E(owner, OWNER, PEP_OWNER_LIST, "ActionOwner") \
	E(section, SECTION, PEP_SECTION_LIST, "SectionLetter") \
	E(qa_grade, QA_GRADE, PEP_QA_GRADE_LIST, "QaGrade") \
	E(attachment_kind, ATTACHMENT_KIND, PEP_ATTACHMENT_LIST, "AttachmentKind")

#define PEP_ENUM_ITEM(name, xml, label) PEP_##name,
#define PEP_ENUM_DECL(ename, UP, list, type) typedef enum pep_##ename { PEP_##UP##_UNSET, list(PEP_ENUM_ITEM) } pep_##ename;
PEP_ENUMS(PEP_ENUM_DECL)
#undef PEP_ENUM_DECL

/* names[0] = "", then the XML values, NULL-terminated; labels likewise. */
#define PEP_ENUM_TABLES(ename, UP, list, type) \
	extern const char *const pep_##ename##_names[]; \
	extern const char *const pep_##ename##_labels[];
PEP_ENUMS(PEP_ENUM_TABLES)
#undef PEP_ENUM_TABLES

/* The label of value v in labels ("" when unset or out of range). */
const char *pep_enum_label(const char *const *labels, int v);

/* The label for people of value in the closed list the schema calls type
 * ("AttendeeRole", "social-worker" -> "Social worker"), or NULL when there
 * is no such list or value. */
const char *pep_enum_label_of(const char *type, const char *value);

/* The age on 31 August at the start of the school year for a year group
 * (N1 = 2, N2 = 3, R = 4, Year n = n + 4), or -1 when unset. */
int pep_year_age(int year);

/* ------------------------------------------------------------------ */
/* The model                                                            */
/* ------------------------------------------------------------------ */

typedef struct pep_la {
	pep_hdr hdr;
	pep_text name; /* element text */
	pep_text code; /* @code */
} pep_la;

typedef struct pep_state_change {
	pep_hdr hdr;
	pep_enumf state; /* pep_form_state */
	pep_datef date;
	pep_text by;
} pep_state_change;

typedef struct pep_state_history {
	pep_hdr hdr;
	PEP_LIST(pep_state_change) changes;
} pep_state_history;

typedef struct pep_prev_meeting {
	pep_hdr hdr;
	pep_datef date;
	pep_enumf kind; /* pep_meeting_kind */
} pep_prev_meeting;

typedef struct pep_history {
	pep_hdr hdr;
	PEP_LIST(pep_prev_meeting) meetings;
} pep_history;

typedef struct pep_header {
	pep_hdr hdr;
	pep_la la;
	pep_enumf kind;       /* pep_kind */
	pep_enumf form_state; /* pep_form_state */
	pep_state_history state_history;
	pep_history history;
} pep_header;

/* Section A */
typedef struct pep_name {
	pep_hdr hdr;
	pep_text given, family;
	pep_enumf order; /* @order, pep_name_order: unset means given names first */
} pep_name;

typedef struct pep_personal {
	pep_hdr hdr;
	pep_name legal_name;
	pep_text preferred_name;
	pep_datef dob;
	pep_text gender, upn, la_child_id, first_language, ethnicity;
} pep_personal;

typedef struct pep_carer {
	pep_hdr hdr;
	pep_text name, relationship, phone, email;
} pep_carer;

typedef struct pep_social_worker {
	pep_hdr hdr;
	pep_text name, team, email, phone;
} pep_social_worker;

typedef struct pep_contact {
	pep_hdr hdr;
	pep_text name, email, phone;
} pep_contact;

typedef struct pep_la_reviews {
	pep_hdr hdr;
	PEP_LIST(pep_datef) held;
	pep_datef next;
} pep_la_reviews;

typedef struct pep_care {
	pep_hdr hdr;
	pep_datef became_lac;
	pep_enumf placement; /* pep_placement */
	pep_text legal_status, placement_type;
	pep_carer carer;
	pep_social_worker social_worker;
	pep_contact iro;
	pep_datef care_plan_date;
	pep_la_reviews reviews;
	pep_text parental_responsibility, contact_arrangements, pre_care_history; /* sensitive */
} pep_care;

typedef struct pep_dt {
	pep_hdr hdr;
	pep_text name, email, phone;
	pep_enumf qualified; /* pep_yesno */
} pep_dt;

typedef struct pep_school {
	pep_hdr hdr;
	pep_text name, urn;
	pep_la school_la;
	pep_enumf year; /* pep_year */
	pep_datef start;
	pep_dt dt;
	pep_enumf full_time; /* pep_yesno */
} pep_school;

typedef struct pep_no_provision {
	pep_hdr hdr;
	pep_enumf year; /* pep_year */
	pep_datef since;
	pep_text reason, action_plan, current_situation;
} pep_no_provision;

typedef struct pep_sdq {
	pep_hdr hdr;
	pep_numf score;
	pep_datef date;
	pep_text completed_by;
} pep_sdq;

typedef struct pep_health {
	pep_hdr hdr;
	pep_text health_issues, wellbeing;
	pep_sdq sdq;
	pep_text completed_by;
} pep_health;

typedef struct pep_section_a {
	pep_hdr hdr;
	pep_personal personal;
	pep_care care;
	pep_school school;             /* present, or ... */
	pep_no_provision no_provision; /* ... this one, or neither */
	pep_health health;
} pep_section_a;

/* Section B */
typedef struct pep_attendance {
	pep_hdr hdr;
	pep_numf percentage; /* hundredths */
	pep_datef from, to;
	pep_numf unauthorised;
} pep_attendance;

typedef struct pep_reduced {
	pep_hdr hdr;
	pep_enumf in_place, personalised; /* pep_yesno */
	pep_numf hours;                   /* hundredths */
	pep_text reason, plan;
	pep_datef review;
} pep_reduced;

typedef struct pep_exclusion {
	pep_hdr hdr;
	pep_datef date;
	pep_enumf kind; /* pep_exclusion_kind */
	pep_numf days;  /* hundredths */
	pep_text reason, provision;
} pep_exclusion;

typedef struct pep_exclusions {
	pep_hdr hdr;
	PEP_LIST(pep_exclusion) items;
} pep_exclusions;

typedef struct pep_prev_school {
	pep_hdr hdr;
	pep_text name, urn;
	pep_datef from, to;
	pep_text reason;
	pep_enumf before_care; /* pep_yesno */
} pep_prev_school;

typedef struct pep_prev_schools {
	pep_hdr hdr;
	pep_enumf none; /* @none, pep_yesno */
	PEP_LIST(pep_prev_school) items;
} pep_prev_schools;

typedef struct pep_subject {
	pep_hdr hdr;
	pep_text name;
	pep_datef assessed;
	pep_text current, expected, target;
	pep_enumf progress; /* pep_progress */
} pep_subject;

typedef struct pep_attainment {
	pep_hdr hdr;
	pep_datef data_date;
	PEP_LIST(pep_subject) subjects;
} pep_attainment;

typedef struct pep_sen {
	pep_hdr hdr;
	pep_enumf status; /* pep_sen_status */
	pep_enumf need;   /* pep_sen_need */
	pep_datef annual_review;
	pep_text details;
} pep_sen;

typedef struct pep_plan1419 {
	pep_hdr hdr;
	pep_text aspirations, careers_advice, options, completed_by;
	pep_datef date;
} pep_plan1419;

typedef struct pep_bursary {
	pep_hdr hdr;
	pep_enumf considered, awarded; /* pep_yesno */
	pep_text notes;
} pep_bursary;

typedef struct pep_post16 {
	pep_hdr hdr;
	pep_enumf participation; /* pep_participation */
	pep_text setting, course;
	pep_numf hours; /* hundredths */
	pep_numf weeks;
	pep_bursary bursary;
	pep_text neet_plan;
} pep_post16;

typedef struct pep_section_b {
	pep_hdr hdr;
	pep_attendance attendance;
	pep_text conduct;
	pep_reduced reduced;
	pep_exclusions exclusions;
	pep_prev_schools prev_schools;
	pep_attainment attainment;
	pep_sen sen;
	pep_text extra_support;
	pep_plan1419 plan1419;
	pep_post16 post16;
} pep_section_b;

/* Section C */
typedef struct pep_person_role {
	pep_hdr hdr;
	pep_text name, role;
} pep_person_role;

typedef struct pep_section_c {
	pep_hdr hdr;
	pep_text enjoys, finds_hard, helps, hopes, wants;
	pep_person_role completed_with;
	pep_datef date;
	pep_enumf sen_form;   /* pep_yesno */
	pep_enumf attended;   /* pep_child_attendance */
	pep_enumf chair;      /* pep_yesno */
	pep_person_role nominated;
	pep_enumf wants_copy; /* pep_yesno */
} pep_section_c;

/* Section D */
typedef struct pep_attendee {
	pep_hdr hdr;
	pep_text name;
	pep_enumf role; /* pep_role */
	pep_text organisation;
	pep_enumf status; /* pep_attendee_status */
} pep_attendee;

typedef struct pep_attendees {
	pep_hdr hdr;
	PEP_LIST(pep_attendee) items;
} pep_attendees;

typedef struct pep_prev_target {
	pep_hdr hdr;
	pep_enumf area; /* pep_area */
	pep_text description;
	pep_enumf outcome; /* pep_outcome */
	pep_text comment;
} pep_prev_target;

typedef struct pep_prev_targets {
	pep_hdr hdr;
	PEP_LIST(pep_prev_target) items;
} pep_prev_targets;

typedef struct pep_target_desc {
	pep_hdr hdr;
	pep_text text;
	pep_enumf words; /* @words, pep_words */
} pep_target_desc;

typedef struct pep_ppplus {
	pep_hdr hdr;
	pep_numf amount; /* pence */
	pep_text buys;
	pep_enumf decision; /* pep_decision */
	pep_text decided_by;
	pep_datef decision_date;
} pep_ppplus;

typedef struct pep_target {
	pep_hdr hdr;
	pep_enumf area; /* pep_area */
	pep_target_desc description;
	pep_text baseline, success;
	pep_datef deadline;
	pep_text who, how, how_often;
	pep_ppplus pp;
} pep_target;

typedef struct pep_targets {
	pep_hdr hdr;
	PEP_LIST(pep_target) items;
} pep_targets;

typedef struct pep_action {
	pep_hdr hdr;
	pep_text description;
	pep_enumf owner; /* pep_owner */
	pep_text owner_name;
	pep_datef due;
	pep_enumf done; /* pep_yesno */
} pep_action;

typedef struct pep_actions {
	pep_hdr hdr;
	PEP_LIST(pep_action) items;
} pep_actions;

typedef struct pep_next_meeting {
	pep_hdr hdr;
	pep_datef date;
	pep_timef time;
} pep_next_meeting;

typedef struct pep_completion {
	pep_hdr hdr;
	pep_enumf section; /* @section, pep_section */
	pep_text by;
	pep_datef date;
} pep_completion;

typedef struct pep_qa {
	pep_hdr hdr;
	pep_text by;
	pep_datef date;
	pep_enumf grade; /* pep_qa_grade */
} pep_qa;

typedef struct pep_upload {
	pep_hdr hdr;
	pep_text system;
	pep_datef date;
	pep_text by;
} pep_upload;

typedef struct pep_signoff {
	pep_hdr hdr;
	PEP_LIST(pep_completion) sections;
	pep_qa qa;
	pep_upload upload;
} pep_signoff;

typedef struct pep_section_d {
	pep_hdr hdr;
	pep_datef date;
	pep_timef start;
	pep_text place, chair;
	pep_enumf kind; /* pep_meeting_kind */
	pep_attendees attendees;
	pep_enumf sw_confirmed; /* pep_yesno */
	pep_text summary, carers_views, childs_views_used;
	pep_prev_targets prev_targets;
	pep_targets targets;
	pep_actions actions;
	pep_next_meeting next;
	pep_signoff signoff;
} pep_section_d;

typedef struct pep_attachment {
	pep_hdr hdr;
	pep_text name;
	pep_enumf kind; /* pep_attachment_kind */
	pep_text ref;
} pep_attachment;

typedef struct pep_attachments {
	pep_hdr hdr;
	PEP_LIST(pep_attachment) items;
} pep_attachments;

typedef struct pep_model {
	pep_hdr hdr;
	pep_header header;
	pep_section_a a;
	pep_section_b b;
	pep_section_c c;
	pep_section_d d;
	pep_attachments attachments;
	/* Values typed inside comments of the file, which the binder cannot
	 * see (xml.h): the rules say so where they report the element as empty,
	 * and the engine on its own elsewhere (CMT01). Lines are the file's. */
	pep_xml_commented commented[PEP_MODEL_COMMENTED];
	size_t ncommented;
} pep_model;

/* ------------------------------------------------------------------ */
/* Loading                                                              */
/* ------------------------------------------------------------------ */

/* Sections of the canonical format for diagnostics (header and attachments
 * have none). */
extern const pep_section_map pep_sections[];
/* What to say about documents in other known namespaces that are not PEPs. */
extern const pep_ns_hint pep_foreign_formats[];

/* The binder's description of the whole document. */
extern const pep_bind_struct pep_model_desc;

typedef struct pep_doc pep_doc;

/* Loads a PEP from buf[0..len) (name is used in messages): parses, validates
 * against the canonical schema (loader l) and builds the model. Returns
 * PEP_LOAD_OK and *out, or PEP_LOAD_INVALID with XML/XSD diagnostics in d.
 * keep_xml keeps the XML tree for pep_doc_xml() (the converter needs it). */
pep_load_status pep_doc_load_memory(pep_xml_loader *l, const char *name, const char *buf, size_t len,
                                    bool keep_xml, pep_diags *d, pep_doc **out);
/* The model of xml, a document valid against the canonical schema, which
 * the pep_doc takes: it keeps it for pep_doc_xml() with keep_xml, and frees
 * it at once otherwise. */
pep_doc *pep_doc_from_xml(struct _xmlDoc *xml, bool keep_xml);
/* Gives the model the values typed inside comments of the file it was read
 * from (pep_xml_commented_values on the file as read, in whatever format;
 * at most PEP_MODEL_COMMENTED are kept). Documents loaded otherwise have
 * none. */
void pep_doc_set_commented(pep_doc *doc, const pep_xml_commented *v, size_t n);
/* The same from a file; PEP_LOAD_UNREADABLE when it cannot be read. */
pep_load_status pep_doc_load(pep_xml_loader *l, const char *path, bool keep_xml, pep_diags *d,
                             pep_doc **out);
const pep_model *pep_doc_model(const pep_doc *doc);
/* The XML tree (NULL unless loaded with keep_xml); borrowed. */
struct _xmlDoc *pep_doc_xml(const pep_doc *doc);
void pep_doc_free(pep_doc *doc);

/* True when the model holds a child's school place (not no provision). */
bool pep_model_has_school(const pep_model *m);
/* The year group from school or noEducationalProvision (0 when unset). */
int pep_model_year(const pep_model *m);

/* Appends the full name n holds to out, in the family's order (order
 * family-first: "Nguyễn Mai Anh"; otherwise "Mai Anh Nguyễn"), white space
 * collapsed. Every printed full name comes from here. False (nothing
 * appended) when both parts are blank. */
struct pep_buf;
bool pep_name_full(const pep_name *n, struct pep_buf *out);

#endif
