/* test_author.c: writing skeletons and rolling PEPs forward (src/author.c). */
#include "test.h"

#include "author.h"
#include "model.h"
#include "xalloc.h"

static pep_schema *schema;
static pep_xml_loader *loader;
static pep_form *form;

static int setup(void **state)
{
	(void)state;
	pep_xml_init();
	schema = test_schema_load();
	char *path = xasprintf("%s/schemas/pep.xsd", repo_root());
	char *err = NULL;
	form = pep_form_load(path, &err);
	free(err);
	free(path);
	loader = schema ? pep_xml_loader_new(schema) : NULL;
	return schema && form ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	pep_xml_loader_free(loader);
	pep_schema_free(schema);
	pep_form_free(form);
	return 0;
}

/* Loads text as a PEP (it must be valid); the caller frees the document. */
static pep_doc *load(const char *text, bool keep_xml)
{
	pep_diags *d = pep_diags_new("t.xml");
	pep_doc *doc = NULL;
	pep_load_status st = pep_doc_load_memory(loader, "t.xml", text, strlen(text), keep_xml, d, &doc);
	if (st != PEP_LOAD_OK)
		fail_msg("not valid: %s", pep_diags_count(d) ? pep_diags_at(d, 0)->message : "?");
	pep_diags_free(d);
	return doc;
}

static char *new_pep(int kind, const char *la, const char *la_name)
{
	pep_diags *d = pep_diags_new("new");
	size_t len = 0;
	char *text = pep_author_new(form, loader, kind, la, la_name, d, &len);
	assert_non_null(text);
	assert_int_equal(pep_diags_count(d), 0);
	assert_int_equal(strlen(text), len);
	pep_diags_free(d);
	return text;
}

/* text with every run of white space made one space (caller frees): to
 * find words a comment wraps. */
static char *squeeze(const char *text)
{
	char *s = xstrdup(text), *o = s;
	for (const char *p = text; *p; p++)
		if (!(*p == ' ' || *p == '\n') || (o > s && o[-1] != ' '))
			*o++ = *p == '\n' ? ' ' : *p;
	*o = '\0';
	return s;
}

static void assert_says(const char *text, const char *words)
{
	char *s = squeeze(text);
	if (!strstr(s, words))
		fail_msg("the text does not say: %s", words);
	free(s);
}

static const char *day(pep_day d)
{
	static char buf[11];
	pep_date_format(d, buf);
	return buf;
}

/* ------------------------------------------------------------------ */
/* pep new                                                              */
/* ------------------------------------------------------------------ */

static void test_a_skeleton_of_each_kind(void **state)
{
	(void)state;
	for (int kind = PEP_KIND_INITIAL; kind <= PEP_KIND_NO_PROVISION; kind++) {
		char *text = new_pep(kind, "kent", "Kent County Council");
		char *start = xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Written by pep new: %s %s PEP for kent.",
		                        kind == PEP_KIND_INITIAL || kind == PEP_KIND_EARLY_YEARS ? "an" : "a", pep_kind_names[kind]);
		assert_true(strncmp(text, start, strlen(start)) == 0);
		free(start);
		pep_doc *doc = load(text, false);
		const pep_model *m = pep_doc_model(doc);
		assert_int_equal(m->header.kind.v, kind);
		assert_int_equal(m->header.form_state.v, PEP_STATE_DRAFT);
		assert_string_equal(m->header.la.code.s, "kent");
		assert_string_equal(m->header.la.name.s, "Kent County Council");
		assert_int_equal(m->a.school.hdr.present, kind != PEP_KIND_NO_PROVISION);
		assert_int_equal(m->a.no_provision.hdr.present, kind == PEP_KIND_NO_PROVISION);
		assert_int_equal(m->b.post16.hdr.present, kind == PEP_KIND_POST16);
		assert_int_equal(m->b.plan1419.hdr.present, kind != PEP_KIND_EARLY_YEARS);
		assert_int_equal(m->d.targets.items.n, 1);
		assert_int_equal(m->d.targets.items.v[0].pp.hdr.present, kind != PEP_KIND_POST16);
		/* What pep edit shows is what the skeleton holds. */
		assert_int_equal(pep_author_kind_has(kind, "essentialInformation/school"), kind != PEP_KIND_NO_PROVISION);
		assert_int_equal(pep_author_kind_has(kind, "essentialInformation/noEducationalProvision"),
		                 kind == PEP_KIND_NO_PROVISION);
		assert_int_equal(pep_author_kind_has(kind, "educationInformation/post16"), kind == PEP_KIND_POST16);
		assert_int_equal(pep_author_kind_has(kind, "educationInformation/plan14to19"), kind != PEP_KIND_EARLY_YEARS);
		assert_int_equal(pep_author_kind_has(kind, "pepMeeting/targets/target/ppPlus"), kind != PEP_KIND_POST16);
		assert_true(pep_author_kind_has(kind, "pepMeeting/targets/target"));
		assert_int_equal(m->d.prev_targets.items.n, kind == PEP_KIND_INITIAL ? 0 : 1);
		assert_int_equal(m->d.attendees.items.n, 1);
		assert_int_equal(m->d.actions.items.n, 1);
		assert_int_equal(m->b.attainment.subjects.n, 1);
		/* Lists that may be empty hold no item. */
		assert_int_equal(m->header.history.meetings.n, 0);
		assert_int_equal(m->b.exclusions.items.n, 0);
		assert_int_equal(m->b.prev_schools.items.n, 0);
		assert_int_equal(m->attachments.items.n, 0);
		assert_true(m->attachments.hdr.present);
		/* One completion per section, to sign. */
		assert_int_equal(m->d.signoff.sections.n, 4);
		for (size_t i = 0; i < 4; i++)
			assert_int_equal(m->d.signoff.sections.v[i].section.v, (int)i + PEP_SECTION_A);
		int meeting = kind == PEP_KIND_INITIAL ? PEP_MEETING_INITIAL
		              : kind == PEP_KIND_REVIEW ? PEP_MEETING_REVIEW
		              : kind == PEP_KIND_TRANSITION ? PEP_MEETING_TRANSITION
		                                            : 0;
		assert_int_equal(m->d.kind.v, meeting);
		/* Empty where a person decides. */
		assert_true(pep_text_blank(m->a.personal.legal_name.given));
		assert_non_null(m->a.personal.legal_name.given.s); /* present, empty */
		assert_int_equal(m->a.personal.dob.d, PEP_NO_DAY);
		assert_int_equal(m->d.date.d, PEP_NO_DAY);
		pep_doc_free(doc);
		free(text);
	}
}

static void test_the_skeleton_is_laid_out_to_fill_in(void **state)
{
	(void)state;
	char *text = new_pep(PEP_KIND_REVIEW, "east-sussex", NULL);
	/* Empty elements open and close, to type between; the LA name is left. */
	assert_non_null(strstr(text, "\n        <givenNames></givenNames>\n"));
	assert_non_null(strstr(text, "<localAuthority code=\"east-sussex\"></localAuthority>"));
	assert_non_null(strstr(text, "<schoolLocalAuthority code=\"\"></schoolLocalAuthority>"));
	assert_non_null(strstr(text, "<previousSchools none=\"\">"));
	/* The comment before an element is the schema's documentation, wrapped. */
	assert_non_null(strstr(text, "      <!-- Date of birth, YYYY-MM-DD. Completed by: VS; checked by SW. -->\n"
	                             "      <dateOfBirth></dateOfBirth>\n"));
	assert_non_null(strstr(text, "      <!-- Whether the placement was planned or unplanned (emergency). Kent allows 20 school days\n"
	                             "           for the initial PEP after a planned placement, 10 after an unplanned one (Kent Virtual\n"
	                             "           School PEP policy §3). Completed by: SW. -->\n"
	                             "      <placement></placement>\n"));
	/* An optional attribute's documentation joins its element's. */
	assert_says(text, "The none attribute: none=\"yes\" records that the child has had no earlier school or setting. -->");
	/* A list that may be empty shows its item, to paste after the comment. */
	assert_non_null(strstr(text, "      <!-- One exclusion. To add one, copy the lines below to just after this comment, once for\n"
	                             "           each, and fill them in:\n"
	                             "      <exclusion>\n"
	                             "        <date></date>\n"));
	assert_non_null(strstr(text, "      </exclusion>\n      -->\n    </exclusions>\n"));
	/* No "--" inside a comment, nothing but the comments' own "-->". */
	for (const char *p = strstr(text, "<!--"); p; p = strstr(p + 4, "<!--")) {
		const char *end = strstr(p + 4, "-->");
		assert_non_null(end);
		for (const char *q = p + 4; q < end; q++)
			assert_false(q[0] == '-' && q[1] == '-');
	}
	/* The same every time. */
	char *again = new_pep(PEP_KIND_REVIEW, "east-sussex", NULL);
	assert_string_equal(text, again);
	free(again);
	free(text);
}

static void test_pep_author_next_kind(void **state)
{
	(void)state;
	assert_int_equal(pep_author_next_kind(PEP_KIND_INITIAL, 0), PEP_KIND_REVIEW);
	assert_int_equal(pep_author_next_kind(PEP_KIND_REVIEW, 0), PEP_KIND_REVIEW);
	assert_int_equal(pep_author_next_kind(PEP_KIND_TRANSITION, 0), PEP_KIND_REVIEW);
	assert_int_equal(pep_author_next_kind(PEP_KIND_POST16, 0), PEP_KIND_POST16);
	assert_int_equal(pep_author_next_kind(PEP_KIND_EARLY_YEARS, 0), PEP_KIND_EARLY_YEARS);
	assert_int_equal(pep_author_next_kind(PEP_KIND_NO_PROVISION, 0), PEP_KIND_NO_PROVISION);
	assert_int_equal(pep_author_next_kind(PEP_KIND_POST16, PEP_KIND_TRANSITION), PEP_KIND_TRANSITION);
	assert_int_equal(pep_author_next_kind(PEP_KIND_INITIAL, PEP_KIND_REVIEW), PEP_KIND_REVIEW);
}

/* ------------------------------------------------------------------ */
/* pep next                                                             */
/* ------------------------------------------------------------------ */

#define PREV_HEAD \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<!-- a comment of the previous PEP's own -->\n" \
	"<pep xmlns=\"https://pep-tool.org/ns/pep/1\"><header>" \
	"<localAuthority code=\"southwark\">London Borough of Southwark</localAuthority><kind>%s</kind>" \
	"<formState>%s</formState><stateHistory><change><state>draft</state></change></stateHistory>" \
	"<pepHistory><previousMeeting><date>2025-10-01</date><kind>initial</kind></previousMeeting>%s</pepHistory>" \
	"</header><essentialInformation><personal><legalName><givenNames>Zoë Þórunn</givenNames>" \
	"<familyName>Nguyễn</familyName></legalName><dateOfBirth>2015-05-14</dateOfBirth></personal>" \
	"<school><name>Łukasz Academy &amp; Sixth Form</name><urn>123456</urn><yearGroup>5</yearGroup>" \
	"<startDate>2021-09-01</startDate><fullTime>yes</fullTime></school></essentialInformation>" \
	"<educationInformation><attendance><percentage>93.5</percentage></attendance>" \
	"<previousSchools none=\"yes\"/>" \
	"<attainment><subject><name>Maths</name></subject></attainment><extraSupport>none</extraSupport>" \
	"</educationInformation><youngPersonsViews><enjoys>Art &amp; music</enjoys></youngPersonsViews><pepMeeting>"

#define PREV_MEETING \
	"<place>School</place><kind>review</kind><summary>Went well.</summary>" \
	"<previousTargets><previousTarget><area>other</area><outcome>achieved</outcome></previousTarget></previousTargets>" \
	"<targets><target><area>academic</area><description words=\"child\">I will read six books</description>" \
	"<deadline>2026-06-01</deadline><ppPlus><amount>100.00</amount></ppPlus></target>" \
	"<target><area>attendance</area><description>Siobhán will attend 95 %</description></target></targets>" \
	"<actions><action><description>Done already</description><done>yes</done></action>" \
	"<action><description>Still open</description><owner>carer</owner><done>no</done></action>" \
	"<action><description>Not said</description></action></actions>" \
	"<nextMeeting><date>2026-06-24</date><time>14:05</time></nextMeeting>" \
	"<signOff><sectionComplete section=\"A\"><by>SW</by></sectionComplete></signOff></pepMeeting>" \
	"<attachments><attachment><name>Report</name><kind>school-report</kind></attachment>" \
	"<attachment><name>EHC plan of Zoë</name><kind>ehc-plan</kind><ref>doc 1</ref></attachment>" \
	"<attachment><name>Plan</name><kind>my-support-plan</kind></attachment></attachments></pep>\n"

static char *previous(const char *kind, const char *state, const char *history, const char *date)
{
	char *head = xasprintf(PREV_HEAD, kind, state, history);
	char *text = xasprintf("%s%s%s", head, date, PREV_MEETING);
	free(head);
	return text;
}

/* Rolls prev_text forward; returns the new PEP's text (caller frees) or
 * NULL, with the notes and errors in d. */
static char *roll(const char *prev_text, int kind, pep_day date, pep_diags *d)
{
	pep_doc *prev = load(prev_text, true);
	pep_next_opts o = {pep_author_next_kind(pep_doc_model(prev)->header.kind.v, kind), date};
	size_t len = 0;
	char *text = pep_author_next(form, loader, prev, &o, d, &len);
	if (text)
		assert_int_equal(strlen(text), len);
	pep_doc_free(prev);
	return text;
}

static void test_rolling_forward(void **state)
{
	(void)state;
	char *prev = previous("review", "uploaded", "", "<date>2026-03-11</date>");
	pep_diags *d = pep_diags_new("prev.xml");
	char *text = roll(prev, 0, PEP_NO_DAY, d);
	assert_non_null(text);
	pep_doc *doc = load(text, false);
	const pep_model *m = pep_doc_model(doc);

	/* A draft review for the same LA, the previous meeting in its history. */
	assert_int_equal(m->header.kind.v, PEP_KIND_REVIEW);
	assert_int_equal(m->header.form_state.v, PEP_STATE_DRAFT);
	assert_int_equal(m->header.state_history.changes.n, 0);
	assert_string_equal(m->header.la.code.s, "southwark");
	assert_string_equal(m->header.la.name.s, "London Borough of Southwark");
	assert_int_equal(m->header.history.meetings.n, 2);
	assert_string_equal(day(m->header.history.meetings.v[1].date.d), "2026-03-11");
	assert_int_equal(m->header.history.meetings.v[1].kind.v, PEP_MEETING_REVIEW);

	/* Section A carried, names and all. */
	assert_string_equal(m->a.personal.legal_name.given.s, "Zoë Þórunn");
	assert_string_equal(m->a.personal.legal_name.family.s, "Nguyễn");
	assert_string_equal(m->a.school.name.s, "Łukasz Academy & Sixth Form");
	assert_int_equal(m->a.school.full_time.v, PEP_YES);
	/* Fresh data cleared; what lasts kept. */
	assert_false(m->b.attendance.percentage.set);
	assert_int_equal(m->b.attainment.subjects.n, 1);
	assert_true(pep_text_blank(m->b.attainment.subjects.v[0].name));
	assert_int_equal(m->b.prev_schools.none.v, PEP_YES);
	assert_string_equal(m->b.extra_support.s, "none");
	assert_true(pep_text_blank(m->c.enjoys));

	/* The meeting: proposed date and time, targets to review, open actions. */
	assert_string_equal(day(m->d.date.d), "2026-06-24");
	assert_int_equal(m->d.start.min, 14 * 60 + 5);
	assert_int_equal(m->d.kind.v, PEP_MEETING_REVIEW);
	assert_true(pep_text_blank(m->d.place));
	assert_true(pep_text_blank(m->d.summary));
	assert_int_equal(m->d.prev_targets.items.n, 2);
	assert_int_equal(m->d.prev_targets.items.v[0].area.v, PEP_AREA_ACADEMIC);
	assert_string_equal(m->d.prev_targets.items.v[0].description.s, "I will read six books");
	assert_int_equal(m->d.prev_targets.items.v[0].outcome.v, 0);
	assert_string_equal(m->d.prev_targets.items.v[1].description.s, "Siobhán will attend 95 %");
	assert_int_equal(m->d.targets.items.n, 1); /* one empty target to set */
	assert_true(pep_text_blank(m->d.targets.items.v[0].description.text));
	assert_int_equal(m->d.actions.items.n, 2);
	assert_string_equal(m->d.actions.items.v[0].description.s, "Still open");
	assert_int_equal(m->d.actions.items.v[0].owner.v, PEP_OWNER_CARER);
	assert_string_equal(m->d.actions.items.v[1].description.s, "Not said");
	assert_int_equal(m->d.next.date.d, PEP_NO_DAY);
	assert_int_equal(m->d.signoff.sections.n, 4);
	assert_true(pep_text_blank(m->d.signoff.sections.v[0].by));

	/* Standing attachments only, and a note for the other. */
	assert_int_equal(m->attachments.items.n, 2);
	assert_int_equal(m->attachments.items.v[0].kind.v, PEP_ATTACH_EHC_PLAN);
	assert_string_equal(m->attachments.items.v[0].ref.s, "doc 1");
	assert_int_equal(m->attachments.items.v[1].kind.v, PEP_ATTACH_MY_SUPPORT_PLAN);
	assert_int_equal(pep_diags_count(d), 1);
	assert_int_equal(pep_diags_at(d, 0)->severity, PEP_WARNING);
	/* Named by place and kind, never by its title (which may name the child). */
	char want[160];
	snprintf(want, sizeof want,
	         "attachment 1 of 3 (school-report, line %d of the previous PEP) belongs to the previous meeting and is "
	         "not carried: attach this meeting's own",
	         pep_diags_at(d, 0)->line);
	assert_true(pep_diags_at(d, 0)->line > 0);
	assert_string_equal(pep_diags_at(d, 0)->message, want);
	assert_null(strstr(pep_diags_at(d, 0)->message, "Report"));

	/* The previous PEP's own comments are not carried; the schema's are. */
	assert_null(strstr(text, "a comment of the previous PEP's own"));
	assert_non_null(strstr(text, "<!-- Carried forward from the PEP held on 2026-03-11: the social worker checks"));
	assert_says(text, "Written by pep next: a review PEP for southwark, rolled forward from the PEP held on 2026-03-11.");
	pep_doc_free(doc);
	free(text);
	pep_diags_free(d);
	free(prev);
}

static void test_a_date_given_and_a_history_that_lists_the_meeting(void **state)
{
	(void)state;
	char *prev = previous("initial", "signed-off", "<previousMeeting><date>2026-03-11</date></previousMeeting>",
	                      "<date>2026-03-11</date>");
	pep_diags *d = pep_diags_new("prev.xml");
	pep_day given;
	assert_true(pep_date_parse("2026-07-01", &given));
	char *text = roll(prev, 0, given, d);
	assert_non_null(text);
	pep_doc *doc = load(text, false);
	const pep_model *m = pep_doc_model(doc);
	assert_int_equal(m->header.kind.v, PEP_KIND_REVIEW);
	assert_int_equal(m->header.history.meetings.n, 2); /* not listed twice */
	assert_string_equal(day(m->d.date.d), "2026-07-01");
	assert_int_equal(m->d.start.min, -1); /* the proposed time went with the proposed date */
	assert_says(text, "<!-- The date given when this PEP was started. -->");
	pep_doc_free(doc);
	free(text);
	pep_diags_free(d);
	free(prev);
}

static void test_a_transition(void **state)
{
	(void)state;
	char *prev = previous("review", "uploaded", "", "<date>2026-03-11</date>");
	pep_diags *d = pep_diags_new("prev.xml");
	char *text = roll(prev, PEP_KIND_TRANSITION, PEP_NO_DAY, d);
	assert_non_null(text);
	pep_doc *doc = load(text, false);
	const pep_model *m = pep_doc_model(doc);
	assert_int_equal(m->header.kind.v, PEP_KIND_TRANSITION);
	assert_int_equal(m->d.kind.v, PEP_MEETING_TRANSITION);
	assert_true(m->a.school.hdr.present);
	assert_true(pep_text_blank(m->a.school.name));
	assert_int_equal(m->a.school.year.v, PEP_YEAR_5);
	assert_int_equal(m->a.school.full_time.v, 0);
	assert_int_equal(m->b.prev_schools.none.v, 0); /* there is one now */
	assert_int_equal(m->b.prev_schools.items.n, 1);
	assert_string_equal(m->b.prev_schools.items.v[0].name.s, "Łukasz Academy & Sixth Form");
	assert_string_equal(m->b.prev_schools.items.v[0].urn.s, "123456");
	assert_string_equal(day(m->b.prev_schools.items.v[0].from.d), "2021-09-01");
	assert_int_equal(m->b.prev_schools.items.v[0].to.d, PEP_NO_DAY);
	assert_int_equal(pep_diags_count(d), 2);
	assert_non_null(strstr(pep_diags_at(d, 0)->message, "the previous school is added to educationInformation/previousSchools"));
	pep_doc_free(doc);
	free(text);
	pep_diags_free(d);
	free(prev);
}

/* Cuts the first <name>...</name> out of text (in place). */
static void cut(char *text, const char *name)
{
	char *open = xasprintf("<%s>", name), *close = xasprintf("</%s>", name);
	char *a = strstr(text, open), *z = a ? strstr(a, close) : NULL;
	assert_non_null(z);
	z += strlen(close);
	memmove(a, z, strlen(z) + 1);
	free(open);
	free(close);
}

static void test_a_pep_that_set_no_targets_and_no_actions(void **state)
{
	(void)state;
	char *prev = previous("review", "uploaded", "", "<date>2026-03-11</date>");
	cut(prev, "targets");
	cut(prev, "actions");
	cut(prev, "attachments");
	pep_diags *d = pep_diags_new("prev.xml");
	char *text = roll(prev, 0, PEP_NO_DAY, d);
	assert_non_null(text);
	pep_doc *doc = load(text, false);
	const pep_model *m = pep_doc_model(doc);
	/* None to review means none: D03 then asks for them, rightly. */
	assert_int_equal(m->d.prev_targets.items.n, 0);
	assert_true(m->d.prev_targets.hdr.present);
	assert_says(text, "<!-- One previous target and its review. To add one, copy the lines below");
	assert_int_equal(m->d.actions.items.n, 1); /* one empty action, for this meeting's */
	assert_true(pep_text_blank(m->d.actions.items.v[0].description));
	assert_int_equal(m->attachments.items.n, 0);
	assert_int_equal(pep_diags_count(d), 0);
	pep_doc_free(doc);
	free(text);
	pep_diags_free(d);
	free(prev);
}

static void test_what_cannot_be_rolled_forward(void **state)
{
	(void)state;
	pep_diags *d = pep_diags_new("prev.xml");
	char *prev = previous("review", "draft", "", "<date>2026-03-11</date>");
	assert_null(roll(prev, 0, PEP_NO_DAY, d));
	assert_int_equal(pep_diags_errors(d), 1);
	assert_string_equal(pep_diags_at(d, 0)->rule, "NEXT");
	assert_non_null(strstr(pep_diags_at(d, 0)->message, "the previous PEP is still a draft"));
	free(prev);
	pep_diags_free(d);

	d = pep_diags_new("prev.xml");
	prev = previous("review", "meeting-held", "", "<date></date>");
	assert_null(roll(prev, 0, PEP_NO_DAY, d));
	assert_int_equal(pep_diags_errors(d), 1);
	assert_int_equal(pep_diags_at(d, 0)->section, 'D');
	assert_non_null(strstr(pep_diags_at(d, 0)->message, "records no meeting date (pepMeeting/date)"));
	free(prev);
	pep_diags_free(d);
}

static void test_rolling_a_skeleton_forward_keeps_nothing_it_should_not(void **state)
{
	(void)state;
	/* A filled-in-enough skeleton: the next one equals a fresh skeleton
	 * but for what is carried (the history, the meeting kind). */
	char *text = new_pep(PEP_KIND_EARLY_YEARS, "kent", "Kent County Council");
	char *held = NULL;
	const char *at = strstr(text, "<formState>draft</formState>");
	assert_non_null(at);
	char *edited = xasprintf("%.*s<formState>signed-off</formState>%s", (int)(at - text), text,
	                         at + strlen("<formState>draft</formState>"));
	at = strstr(edited, "<pepMeeting>");
	const char *date = strstr(at, "<date></date>");
	held = xasprintf("%.*s<date>2026-01-20</date>%s", (int)(date - edited), edited, date + strlen("<date></date>"));
	pep_diags *d = pep_diags_new("prev.xml");
	char *next = roll(held, 0, PEP_NO_DAY, d);
	assert_non_null(next);
	pep_doc *doc = load(next, false);
	const pep_model *m = pep_doc_model(doc);
	assert_int_equal(m->header.kind.v, PEP_KIND_EARLY_YEARS);
	assert_int_equal(m->header.history.meetings.n, 1);
	assert_int_equal(m->d.prev_targets.items.n, 1); /* the one empty target, to review */
	assert_int_equal(m->d.actions.items.n, 1);      /* the empty action, open */
	assert_int_equal(m->d.kind.v, PEP_MEETING_REVIEW);
	assert_int_equal(pep_diags_count(d), 1); /* no next meeting date to propose */
	assert_non_null(strstr(pep_diags_at(d, 0)->message, "the previous PEP set no next meeting date"));
	pep_doc_free(doc);
	free(next);
	pep_diags_free(d);
	free(held);
	free(edited);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_skeleton_of_each_kind),
		cmocka_unit_test(test_the_skeleton_is_laid_out_to_fill_in),
		cmocka_unit_test(test_pep_author_next_kind),
		cmocka_unit_test(test_rolling_forward),
		cmocka_unit_test(test_a_date_given_and_a_history_that_lists_the_meeting),
		cmocka_unit_test(test_a_transition),
		cmocka_unit_test(test_a_pep_that_set_no_targets_and_no_actions),
		cmocka_unit_test(test_what_cannot_be_rolled_forward),
		cmocka_unit_test(test_rolling_a_skeleton_forward_keeps_nothing_it_should_not),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
