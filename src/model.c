/* model.c: the PEP's enumerations, its binder tables, and loading a PEP. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "strbuf.h"
#include "xalloc.h"

/* ------------------------------------------------------------------ */
/* Enumeration tables                                                   */
/* ------------------------------------------------------------------ */

#define NAME_ITEM(name, xml, label) xml,
#define LABEL_ITEM(name, xml, label) label,
#define DEFINE_TABLES(ename, UP, list, type) \
	const char *const pep_##ename##_names[] = {"", list(NAME_ITEM) NULL}; \
	const char *const pep_##ename##_labels[] = {"", list(LABEL_ITEM) NULL};
PEP_ENUMS(DEFINE_TABLES)
#undef DEFINE_TABLES

const char *pep_enum_label(const char *const *labels, int v)
{
	if (v <= 0)
		return "";
	for (int i = 1; labels[i]; i++)
		if (i == v)
			return labels[i];
	return "";
}

const char *pep_enum_label_of(const char *type, const char *value)
{
	static const struct {
		const char *type;
		const char *const *names, *const *labels;
	} lists[] = {
#define ROW(ename, UP, list, type) {type, pep_##ename##_names, pep_##ename##_labels},
		PEP_ENUMS(ROW)
#undef ROW
	};
	for (size_t i = 0; type && i < sizeof lists / sizeof lists[0]; i++)
		if (strcmp(lists[i].type, type) == 0)
			for (int k = 1; lists[i].names[k]; k++)
				if (strcmp(lists[i].names[k], value) == 0)
					return lists[i].labels[k];
	return NULL;
}

int pep_year_age(int year)
{
	/* N1 is the first value (1) and is aged 2; each later year one more. */
	return year > 0 ? year + 1 : -1;
}

const pep_section_map pep_sections[] = {
	{"essentialInformation", 'A'},
	{"educationInformation", 'B'},
	{"youngPersonsViews", 'C'},
	{"pepMeeting", 'D'},
	{NULL, 0},
};

const pep_ns_hint pep_foreign_formats[] = {
	{PEP_CALENDAR_NAMESPACE, "a school calendar", "check it with 'pep calendar check FILE'"},
	{NULL, NULL, NULL},
};

/* ------------------------------------------------------------------ */
/* Binder tables, bottom-up: each struct after those it contains.        */
/* ------------------------------------------------------------------ */

#define TEXT(n, T, m) {n, PEP_B_TEXT, offsetof(T, m), NULL, NULL, 0, 0}
#define DATE(n, T, m) {n, PEP_B_DATE, offsetof(T, m), NULL, NULL, 0, 0}
#define TIME(n, T, m) {n, PEP_B_TIME, offsetof(T, m), NULL, NULL, 0, 0}
#define INT(n, T, m) {n, PEP_B_INT, offsetof(T, m), NULL, NULL, 0, 0}
#define CENTI(n, T, m) {n, PEP_B_CENTI, offsetof(T, m), NULL, NULL, 0, 0}
#define ENUM(n, T, m, e) {n, PEP_B_ENUM, offsetof(T, m), pep_##e##_names, NULL, 0, 0}
#define CONTENT(T, m) {"", PEP_B_CONTENT, offsetof(T, m), NULL, NULL, 0, 0}
#define ATTR(n, T, m) {n, PEP_B_ATTR_TEXT, offsetof(T, m), NULL, NULL, 0, 0}
#define ATTR_ENUM(n, T, m, e) {n, PEP_B_ATTR_ENUM, offsetof(T, m), pep_##e##_names, NULL, 0, 0}
#define STRUCT(n, T, m, d) {n, PEP_B_STRUCT, offsetof(T, m), NULL, &d, 0, 0}
#define LIST(n, T, m, d, I) {n, PEP_B_LIST, offsetof(T, m), NULL, &d, PEP_B_STRUCT, sizeof(I)}
#define DATE_LIST(n, T, m) {n, PEP_B_LIST, offsetof(T, m), NULL, NULL, PEP_B_DATE, sizeof(pep_datef)}
#define DESC(var, T, ...) \
	static const pep_bind_field var##_fields[] = {__VA_ARGS__}; \
	static const pep_bind_struct var = {#T, sizeof(T), var##_fields, sizeof var##_fields / sizeof var##_fields[0]};

/* header */
DESC(la_d, pep_la, CONTENT(pep_la, name), ATTR("code", pep_la, code))
DESC(state_change_d, pep_state_change,
     ENUM("state", pep_state_change, state, form_state),
     DATE("date", pep_state_change, date),
     TEXT("by", pep_state_change, by))
DESC(state_history_d, pep_state_history,
     LIST("change", pep_state_history, changes, state_change_d, pep_state_change))
DESC(prev_meeting_d, pep_prev_meeting,
     DATE("date", pep_prev_meeting, date),
     ENUM("kind", pep_prev_meeting, kind, meeting_kind))
DESC(history_d, pep_history,
     LIST("previousMeeting", pep_history, meetings, prev_meeting_d, pep_prev_meeting))
DESC(header_d, pep_header,
     STRUCT("localAuthority", pep_header, la, la_d),
     ENUM("kind", pep_header, kind, kind),
     ENUM("formState", pep_header, form_state, form_state),
     STRUCT("stateHistory", pep_header, state_history, state_history_d),
     STRUCT("pepHistory", pep_header, history, history_d))

/* Section A */
DESC(name_d, pep_name,
     TEXT("givenNames", pep_name, given),
     TEXT("familyName", pep_name, family),
     ATTR_ENUM("order", pep_name, order, name_order))
DESC(personal_d, pep_personal,
     STRUCT("legalName", pep_personal, legal_name, name_d),
     TEXT("preferredName", pep_personal, preferred_name),
     DATE("dateOfBirth", pep_personal, dob),
     TEXT("gender", pep_personal, gender),
     TEXT("upn", pep_personal, upn),
     TEXT("laChildId", pep_personal, la_child_id),
     TEXT("firstLanguage", pep_personal, first_language),
     TEXT("ethnicity", pep_personal, ethnicity))
DESC(carer_d, pep_carer,
     TEXT("name", pep_carer, name),
     TEXT("relationship", pep_carer, relationship),
     TEXT("phone", pep_carer, phone),
     TEXT("email", pep_carer, email))
DESC(social_worker_d, pep_social_worker,
     TEXT("name", pep_social_worker, name),
     TEXT("team", pep_social_worker, team),
     TEXT("email", pep_social_worker, email),
     TEXT("phone", pep_social_worker, phone))
DESC(contact_d, pep_contact,
     TEXT("name", pep_contact, name),
     TEXT("email", pep_contact, email),
     TEXT("phone", pep_contact, phone))
DESC(la_reviews_d, pep_la_reviews,
     DATE_LIST("held", pep_la_reviews, held),
     DATE("next", pep_la_reviews, next))
DESC(care_d, pep_care,
     DATE("becameLookedAfter", pep_care, became_lac),
     ENUM("placement", pep_care, placement, placement),
     TEXT("legalStatus", pep_care, legal_status),
     TEXT("placementType", pep_care, placement_type),
     STRUCT("carer", pep_care, carer, carer_d),
     STRUCT("socialWorker", pep_care, social_worker, social_worker_d),
     STRUCT("iro", pep_care, iro, contact_d),
     DATE("carePlanDate", pep_care, care_plan_date),
     STRUCT("lookedAfterReviews", pep_care, reviews, la_reviews_d),
     TEXT("parentalResponsibility", pep_care, parental_responsibility),
     TEXT("contactArrangements", pep_care, contact_arrangements),
     TEXT("preCareHistory", pep_care, pre_care_history))
DESC(dt_d, pep_dt,
     TEXT("name", pep_dt, name),
     TEXT("email", pep_dt, email),
     TEXT("phone", pep_dt, phone),
     ENUM("qualifiedTeacher", pep_dt, qualified, yesno))
DESC(school_d, pep_school,
     TEXT("name", pep_school, name),
     TEXT("urn", pep_school, urn),
     STRUCT("schoolLocalAuthority", pep_school, school_la, la_d),
     ENUM("yearGroup", pep_school, year, year),
     DATE("startDate", pep_school, start),
     STRUCT("designatedTeacher", pep_school, dt, dt_d),
     ENUM("fullTime", pep_school, full_time, yesno))
DESC(no_provision_d, pep_no_provision,
     ENUM("yearGroup", pep_no_provision, year, year),
     DATE("since", pep_no_provision, since),
     TEXT("reason", pep_no_provision, reason),
     TEXT("actionPlan", pep_no_provision, action_plan),
     TEXT("currentSituation", pep_no_provision, current_situation))
DESC(sdq_d, pep_sdq,
     INT("score", pep_sdq, score),
     DATE("date", pep_sdq, date),
     TEXT("completedBy", pep_sdq, completed_by))
DESC(health_d, pep_health,
     TEXT("healthIssues", pep_health, health_issues),
     TEXT("emotionalWellbeing", pep_health, wellbeing),
     STRUCT("sdq", pep_health, sdq, sdq_d),
     TEXT("completedBy", pep_health, completed_by))
DESC(section_a_d, pep_section_a,
     STRUCT("personal", pep_section_a, personal, personal_d),
     STRUCT("care", pep_section_a, care, care_d),
     STRUCT("school", pep_section_a, school, school_d),
     STRUCT("noEducationalProvision", pep_section_a, no_provision, no_provision_d),
     STRUCT("health", pep_section_a, health, health_d))

/* Section B */
DESC(attendance_d, pep_attendance,
     CENTI("percentage", pep_attendance, percentage),
     DATE("from", pep_attendance, from),
     DATE("to", pep_attendance, to),
     INT("unauthorisedAbsences", pep_attendance, unauthorised))
DESC(reduced_d, pep_reduced,
     ENUM("inPlace", pep_reduced, in_place, yesno),
     ENUM("personalisedPackage", pep_reduced, personalised, yesno),
     CENTI("hoursPerWeek", pep_reduced, hours),
     TEXT("reason", pep_reduced, reason),
     TEXT("planToReturn", pep_reduced, plan),
     DATE("reviewDate", pep_reduced, review))
DESC(exclusion_d, pep_exclusion,
     DATE("date", pep_exclusion, date),
     ENUM("kind", pep_exclusion, kind, exclusion_kind),
     CENTI("days", pep_exclusion, days),
     TEXT("reason", pep_exclusion, reason),
     TEXT("provision", pep_exclusion, provision))
DESC(exclusions_d, pep_exclusions,
     LIST("exclusion", pep_exclusions, items, exclusion_d, pep_exclusion))
DESC(prev_school_d, pep_prev_school,
     TEXT("name", pep_prev_school, name),
     TEXT("urn", pep_prev_school, urn),
     DATE("from", pep_prev_school, from),
     DATE("to", pep_prev_school, to),
     TEXT("reasonForLeaving", pep_prev_school, reason),
     ENUM("beforeCare", pep_prev_school, before_care, yesno))
DESC(prev_schools_d, pep_prev_schools,
     ATTR_ENUM("none", pep_prev_schools, none, yesno),
     LIST("previousSchool", pep_prev_schools, items, prev_school_d, pep_prev_school))
DESC(subject_d, pep_subject,
     TEXT("name", pep_subject, name),
     DATE("assessmentDate", pep_subject, assessed),
     TEXT("current", pep_subject, current),
     TEXT("expected", pep_subject, expected),
     TEXT("target", pep_subject, target),
     ENUM("progress", pep_subject, progress, progress))
DESC(attainment_d, pep_attainment,
     DATE("dataDate", pep_attainment, data_date),
     LIST("subject", pep_attainment, subjects, subject_d, pep_subject))
DESC(sen_d, pep_sen,
     ENUM("status", pep_sen, status, sen_status),
     ENUM("primaryNeed", pep_sen, need, sen_need),
     DATE("ehcPlanAnnualReview", pep_sen, annual_review),
     TEXT("details", pep_sen, details))
DESC(plan1419_d, pep_plan1419,
     TEXT("aspirations", pep_plan1419, aspirations),
     TEXT("careersAdvice", pep_plan1419, careers_advice),
     TEXT("options", pep_plan1419, options),
     TEXT("completedBy", pep_plan1419, completed_by),
     DATE("date", pep_plan1419, date))
DESC(bursary_d, pep_bursary,
     ENUM("considered", pep_bursary, considered, yesno),
     ENUM("awarded", pep_bursary, awarded, yesno),
     TEXT("notes", pep_bursary, notes))
DESC(post16_d, pep_post16,
     ENUM("participation", pep_post16, participation, participation),
     TEXT("setting", pep_post16, setting),
     TEXT("course", pep_post16, course),
     CENTI("hoursPerWeek", pep_post16, hours),
     INT("courseWeeks", pep_post16, weeks),
     STRUCT("bursary", pep_post16, bursary, bursary_d),
     TEXT("neetSupportPlan", pep_post16, neet_plan))
DESC(section_b_d, pep_section_b,
     STRUCT("attendance", pep_section_b, attendance, attendance_d),
     TEXT("conduct", pep_section_b, conduct),
     STRUCT("reducedTimetable", pep_section_b, reduced, reduced_d),
     STRUCT("exclusions", pep_section_b, exclusions, exclusions_d),
     STRUCT("previousSchools", pep_section_b, prev_schools, prev_schools_d),
     STRUCT("attainment", pep_section_b, attainment, attainment_d),
     STRUCT("sen", pep_section_b, sen, sen_d),
     TEXT("extraSupport", pep_section_b, extra_support),
     STRUCT("plan14to19", pep_section_b, plan1419, plan1419_d),
     STRUCT("post16", pep_section_b, post16, post16_d))

/* Section C */
DESC(person_role_d, pep_person_role,
     TEXT("name", pep_person_role, name),
     TEXT("role", pep_person_role, role))
DESC(section_c_d, pep_section_c,
     TEXT("enjoys", pep_section_c, enjoys),
     TEXT("findsHard", pep_section_c, finds_hard),
     TEXT("helpsMeLearn", pep_section_c, helps),
     TEXT("hopes", pep_section_c, hopes),
     TEXT("wantsFromMeeting", pep_section_c, wants),
     STRUCT("completedWith", pep_section_c, completed_with, person_role_d),
     DATE("date", pep_section_c, date),
     ENUM("senPupilViewFormUsed", pep_section_c, sen_form, yesno),
     ENUM("attendedMeeting", pep_section_c, attended, child_attendance),
     ENUM("choseToChair", pep_section_c, chair, yesno),
     STRUCT("nominatedAdult", pep_section_c, nominated, person_role_d),
     ENUM("wantsCopy", pep_section_c, wants_copy, yesno))

/* Section D */
DESC(attendee_d, pep_attendee,
     TEXT("name", pep_attendee, name),
     ENUM("role", pep_attendee, role, role),
     TEXT("organisation", pep_attendee, organisation),
     ENUM("status", pep_attendee, status, attendee_status))
DESC(attendees_d, pep_attendees,
     LIST("attendee", pep_attendees, items, attendee_d, pep_attendee))
DESC(prev_target_d, pep_prev_target,
     ENUM("area", pep_prev_target, area, area),
     TEXT("description", pep_prev_target, description),
     ENUM("outcome", pep_prev_target, outcome, outcome),
     TEXT("comment", pep_prev_target, comment))
DESC(prev_targets_d, pep_prev_targets,
     LIST("previousTarget", pep_prev_targets, items, prev_target_d, pep_prev_target))
DESC(target_desc_d, pep_target_desc,
     CONTENT(pep_target_desc, text),
     ATTR_ENUM("words", pep_target_desc, words, words))
DESC(ppplus_d, pep_ppplus,
     CENTI("amount", pep_ppplus, amount),
     TEXT("buys", pep_ppplus, buys),
     ENUM("decision", pep_ppplus, decision, decision),
     TEXT("decidedBy", pep_ppplus, decided_by),
     DATE("decisionDate", pep_ppplus, decision_date))
DESC(target_d, pep_target,
     ENUM("area", pep_target, area, area),
     STRUCT("description", pep_target, description, target_desc_d),
     TEXT("baseline", pep_target, baseline),
     TEXT("successCriterion", pep_target, success),
     DATE("deadline", pep_target, deadline),
     TEXT("whoHelps", pep_target, who),
     TEXT("how", pep_target, how),
     TEXT("howOften", pep_target, how_often),
     STRUCT("ppPlus", pep_target, pp, ppplus_d))
DESC(targets_d, pep_targets,
     LIST("target", pep_targets, items, target_d, pep_target))
DESC(action_d, pep_action,
     TEXT("description", pep_action, description),
     ENUM("owner", pep_action, owner, owner),
     TEXT("ownerName", pep_action, owner_name),
     DATE("due", pep_action, due),
     ENUM("done", pep_action, done, yesno))
DESC(actions_d, pep_actions,
     LIST("action", pep_actions, items, action_d, pep_action))
DESC(next_meeting_d, pep_next_meeting,
     DATE("date", pep_next_meeting, date),
     TIME("time", pep_next_meeting, time))
DESC(completion_d, pep_completion,
     ATTR_ENUM("section", pep_completion, section, section),
     TEXT("by", pep_completion, by),
     DATE("date", pep_completion, date))
DESC(qa_d, pep_qa,
     TEXT("by", pep_qa, by),
     DATE("date", pep_qa, date),
     ENUM("grade", pep_qa, grade, qa_grade))
DESC(upload_d, pep_upload,
     TEXT("system", pep_upload, system),
     DATE("date", pep_upload, date),
     TEXT("by", pep_upload, by))
DESC(signoff_d, pep_signoff,
     LIST("sectionComplete", pep_signoff, sections, completion_d, pep_completion),
     STRUCT("qualityAssurance", pep_signoff, qa, qa_d),
     STRUCT("upload", pep_signoff, upload, upload_d))
DESC(section_d_d, pep_section_d,
     DATE("date", pep_section_d, date),
     TIME("startTime", pep_section_d, start),
     TEXT("place", pep_section_d, place),
     TEXT("chair", pep_section_d, chair),
     ENUM("kind", pep_section_d, kind, meeting_kind),
     STRUCT("attendees", pep_section_d, attendees, attendees_d),
     ENUM("socialWorkerConfirmedSectionA", pep_section_d, sw_confirmed, yesno),
     TEXT("summary", pep_section_d, summary),
     TEXT("carersViews", pep_section_d, carers_views),
     TEXT("childsViewsUsed", pep_section_d, childs_views_used),
     STRUCT("previousTargets", pep_section_d, prev_targets, prev_targets_d),
     STRUCT("targets", pep_section_d, targets, targets_d),
     STRUCT("actions", pep_section_d, actions, actions_d),
     STRUCT("nextMeeting", pep_section_d, next, next_meeting_d),
     STRUCT("signOff", pep_section_d, signoff, signoff_d))

DESC(attachment_d, pep_attachment,
     TEXT("name", pep_attachment, name),
     ENUM("kind", pep_attachment, kind, attachment_kind),
     TEXT("ref", pep_attachment, ref))
DESC(attachments_d, pep_attachments,
     LIST("attachment", pep_attachments, items, attachment_d, pep_attachment))

static const pep_bind_field model_fields[] = {
	STRUCT("header", pep_model, header, header_d),
	STRUCT("essentialInformation", pep_model, a, section_a_d),
	STRUCT("educationInformation", pep_model, b, section_b_d),
	STRUCT("youngPersonsViews", pep_model, c, section_c_d),
	STRUCT("pepMeeting", pep_model, d, section_d_d),
	STRUCT("attachments", pep_model, attachments, attachments_d),
};
const pep_bind_struct pep_model_desc = {"pep_model", sizeof(pep_model), model_fields,
                                        sizeof model_fields / sizeof model_fields[0]};

/* ------------------------------------------------------------------ */
/* Documents                                                            */
/* ------------------------------------------------------------------ */

struct pep_doc {
	pep_arena *arena; /* the model's strings and lists */
	xmlDocPtr xml;    /* kept only when asked for */
	pep_model model;
};

pep_load_status pep_doc_load_memory(pep_xml_loader *l, const char *name, const char *buf, size_t len,
                                    bool keep_xml, pep_diags *d, pep_doc **out)
{
	xmlDocPtr xml = NULL;
	*out = NULL;
	/* The model reads values only; a tree kept to be transformed keeps
	 * its layout. */
	pep_xml_loader_set_drop_blanks(l, !keep_xml);
	pep_load_status st = pep_xml_load(l, name, buf, len, d, &xml);
	if (st != PEP_LOAD_OK)
		return st;
	*out = pep_doc_from_xml(xml, keep_xml);
	return PEP_LOAD_OK;
}

pep_doc *pep_doc_from_xml(struct _xmlDoc *xml, bool keep_xml)
{
	pep_doc *doc = pep_xcalloc(1, sizeof *doc);
	doc->arena = pep_arena_new();
	pep_bind(&pep_model_desc, xmlDocGetRootElement(xml), &doc->model, doc->arena);
	if (keep_xml)
		doc->xml = xml;
	else
		pep_xml_free(xml);
	return doc;
}

pep_load_status pep_doc_load(pep_xml_loader *l, const char *path, bool keep_xml, pep_diags *d, pep_doc **out)
{
	char *buf = NULL;
	size_t len = 0;
	*out = NULL;
	pep_load_status st = pep_read_file_max(path, pep_xml_loader_max_size(l), d, &buf, &len);
	if (st == PEP_LOAD_OK)
		st = pep_doc_load_memory(l, path, buf, len, keep_xml, d, out);
	free(buf);
	return st;
}

void pep_doc_set_commented(pep_doc *doc, const pep_xml_commented *v, size_t n)
{
	doc->model.ncommented = n < PEP_MODEL_COMMENTED ? n : PEP_MODEL_COMMENTED;
	memcpy(doc->model.commented, v, doc->model.ncommented * sizeof *v);
}

const pep_model *pep_doc_model(const pep_doc *doc)
{
	return &doc->model;
}

struct _xmlDoc *pep_doc_xml(const pep_doc *doc)
{
	return doc->xml;
}

void pep_doc_free(pep_doc *doc)
{
	if (!doc)
		return;
	pep_xml_free(doc->xml);
	pep_arena_free(doc->arena);
	free(doc);
}

bool pep_model_has_school(const pep_model *m)
{
	return m->a.school.hdr.present;
}

int pep_model_year(const pep_model *m)
{
	if (m->a.school.hdr.present)
		return m->a.school.year.v;
	if (m->a.no_provision.hdr.present)
		return m->a.no_provision.year.v;
	return 0;
}

/* Appends s with the white space at its ends and inside it collapsed. */
static void put_words(pep_buf *out, const char *s)
{
	bool space = false, any = false;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = true;
			continue;
		}
		if (space && any)
			pep_buf_putc(out, ' ');
		any = true;
		space = false;
		pep_buf_putc(out, *s);
	}
}

bool pep_name_full(const pep_name *n, pep_buf *out)
{
	size_t start = out->len;
	bool family_first = n->order.v == PEP_NAME_FAMILY_FIRST;
	pep_text first = family_first ? n->family : n->given, second = family_first ? n->given : n->family;
	if (!pep_text_blank(first))
		put_words(out, first.s);
	if (!pep_text_blank(second)) {
		if (out->len > start)
			pep_buf_putc(out, ' ');
		put_words(out, second.s);
	}
	return out->len > start;
}
