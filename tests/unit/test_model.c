/* test_model.c: the typed model and its tables (src/model.c, src/bind.c). */
#include "test.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "model.h"
#include "strbuf.h"
#include "xalloc.h"

static pep_schema *schema;
static pep_xml_loader *loader;

static int setup(void **state)
{
	(void)state;
	pep_xml_init();
	schema = test_schema_load();
	loader = schema ? pep_xml_loader_new(schema) : NULL;
	return schema ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	pep_xml_loader_free(loader);
	pep_schema_free(schema);
	return 0;
}

static const char doc_text[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                             /* 1 */
	"<pep xmlns=\"https://pep-tool.org/ns/pep/1\">\n"                           /* 2 */
	"<header><localAuthority code=\"southwark\">Southwark Council</localAuthority>\n" /* 3 */
	"<kind>post-16</kind><formState>signed-off</formState>\n"                 /* 4 */
	"<pepHistory><previousMeeting><date>2025-10-02</date><kind>review</kind></previousMeeting>\n" /* 5 */
	"<previousMeeting><date>2026-01-20</date></previousMeeting></pepHistory></header>\n" /* 6 */
	"<essentialInformation>\n"                                                /* 7 */
	"<personal><legalName><givenNames>Zoë</givenNames><familyName>Nguyễn</familyName></legalName>\n" /* 8 */
	"<dateOfBirth> 2009-05-14 </dateOfBirth></personal>\n"                     /* 9 */
	"<care><placement>unplanned</placement><lookedAfterReviews><held>2025-09-01</held>\n" /* 10 */
	"<held>2026-03-01</held><next>2026-09-01</next></lookedAfterReviews></care>\n" /* 11 */
	"<school><name>Riverbank Academy</name><yearGroup>12</yearGroup></school>\n" /* 12 */
	"<health><sdq><score>14</score><date/></sdq></health>\n"                  /* 13 */
	"</essentialInformation>\n"                                               /* 14 */
	"<educationInformation><attendance><percentage>93.5</percentage></attendance>\n" /* 15 */
	"<previousSchools none=\"yes\"/>\n"                                      /* 16 */
	"<post16><participation>neet</participation><hoursPerWeek>12</hoursPerWeek></post16>\n" /* 17 */
	"</educationInformation>\n"                                               /* 18 */
	"<youngPersonsViews><enjoys>Art &amp; music</enjoys></youngPersonsViews>\n" /* 19 */
	"<pepMeeting><date>2026-03-12</date><startTime>14:15</startTime>\n"       /* 20 */
	"<targets><target><area>academic</area><description words=\"child\">I will read six books</description>\n" /* 21 */
	"<ppPlus><amount>350.00</amount></ppPlus></target>\n"                     /* 22 */
	"<target><area>attendance</area></target></targets>\n"                    /* 23 */
	"<signOff><sectionComplete section=\"C\"><by>DT</by></sectionComplete></signOff>\n" /* 24 */
	"</pepMeeting>\n"                                                         /* 25 */
	"</pep>\n";

static void test_binds_typed_values_with_lines(void **state)
{
	(void)state;
	pep_diags *d = pep_diags_new("t.xml");
	pep_doc *doc = NULL;
	assert_int_equal(pep_doc_load_memory(loader, "t.xml", doc_text, sizeof doc_text - 1, false, d, &doc),
	                 PEP_LOAD_OK);
	const pep_model *m = pep_doc_model(doc);
	pep_day day;

	assert_string_equal(m->header.la.code.s, "southwark");
	assert_string_equal(m->header.la.name.s, "Southwark Council");
	assert_int_equal(m->header.kind.v, PEP_KIND_POST16);
	assert_int_equal(m->header.form_state.v, PEP_STATE_SIGNED_OFF);
	assert_int_equal(m->header.history.meetings.n, 2);
	assert_int_equal(m->header.history.meetings.v[0].kind.v, PEP_MEETING_REVIEW);
	assert_int_equal(m->header.history.meetings.v[1].kind.v, 0);
	assert_int_equal(m->header.history.meetings.v[1].hdr.line, 6);

	assert_string_equal(m->a.personal.legal_name.given.s, "Zoë");
	assert_string_equal(m->a.personal.legal_name.family.s, "Nguyễn");
	assert_true(pep_date_parse("2009-05-14", &day));
	assert_int_equal(m->a.personal.dob.d, day); /* white space around a date is fine */
	assert_int_equal(m->a.personal.dob.line, 9);
	/* An absent field carries its parent's line. */
	assert_null(m->a.personal.upn.s);
	assert_int_equal(m->a.personal.upn.line, 8);
	assert_true(pep_text_blank(m->a.personal.upn));

	assert_int_equal(m->a.care.placement.v, PEP_UNPLANNED);
	assert_int_equal(m->a.care.reviews.held.n, 2);
	assert_int_equal(m->a.care.reviews.held.v[1].line, 11);
	assert_true(pep_model_has_school(m));
	assert_int_equal(pep_model_year(m), PEP_YEAR_12);
	assert_int_equal(pep_year_age(pep_model_year(m)), 16);
	assert_true(m->a.health.sdq.score.set);
	assert_int_equal(m->a.health.sdq.score.v, 14);
	assert_int_equal(m->a.health.sdq.date.d, PEP_NO_DAY); /* empty */
	assert_false(m->a.no_provision.hdr.present);
	assert_int_equal(m->a.no_provision.hdr.line, 7);

	assert_int_equal(m->b.attendance.percentage.v, 9350);
	assert_int_equal(m->b.prev_schools.none.v, PEP_YES);
	assert_int_equal(m->b.post16.participation.v, PEP_PART_NEET);
	assert_int_equal(m->b.post16.hours.v, 1200);
	assert_false(m->b.sen.hdr.present);

	assert_string_equal(m->c.enjoys.s, "Art & music");

	assert_int_equal(m->d.start.min, 14 * 60 + 15);
	assert_int_equal(m->d.targets.items.n, 2);
	const pep_target *t = &m->d.targets.items.v[0];
	assert_int_equal(t->area.v, PEP_AREA_ACADEMIC);
	assert_string_equal(t->description.text.s, "I will read six books");
	assert_int_equal(t->description.words.v, PEP_WORDS_CHILD);
	assert_int_equal(t->pp.amount.v, 35000);
	assert_int_equal(t->pp.amount.line, 22);
	assert_false(m->d.targets.items.v[1].pp.hdr.present);
	assert_int_equal(m->d.signoff.sections.n, 1);
	assert_int_equal(m->d.signoff.sections.v[0].section.v, PEP_SECTION_C);
	assert_int_equal(m->d.next.time.min, -1);
	assert_false(m->attachments.hdr.present);

	assert_int_equal(pep_diags_count(d), 0);
	pep_doc_free(doc);
	pep_diags_free(d);
}

static void test_labels(void **state)
{
	(void)state;
	assert_string_equal(pep_enum_label(pep_placement_labels, PEP_UNPLANNED), "Unplanned");
	assert_string_equal(pep_enum_label(pep_year_labels, PEP_YEAR_R), "Reception");
	assert_string_equal(pep_enum_label(pep_year_labels, 0), "");
	assert_string_equal(pep_enum_label(pep_year_labels, 99), "");
	assert_int_equal(pep_year_age(PEP_YEAR_N1), 2);
	assert_int_equal(pep_year_age(PEP_YEAR_R), 4);
	assert_int_equal(pep_year_age(PEP_YEAR_1), 5);
	assert_int_equal(pep_year_age(PEP_YEAR_14), 18);
}

/* A full name in the family's order. */
static void test_full_names(void **state)
{
	(void)state;
	pep_name n;
	memset(&n, 0, sizeof n);
	n.given = (pep_text){" Mai \n Anh ", 1};
	n.family = (pep_text){"Nguyễn", 1};
	pep_buf b = PEP_BUF_INIT;
	assert_true(pep_name_full(&n, &b));
	assert_string_equal(pep_buf_str(&b), "Mai Anh Nguyễn");
	pep_buf_clear(&b);
	n.order.v = PEP_NAME_FAMILY_FIRST;
	pep_buf_puts(&b, "Name: ");
	assert_true(pep_name_full(&n, &b));
	assert_string_equal(pep_buf_str(&b), "Name: Nguyễn Mai Anh");
	pep_buf_clear(&b);
	n.given = (pep_text){NULL, 0};
	assert_true(pep_name_full(&n, &b));
	assert_string_equal(pep_buf_str(&b), "Nguyễn");
	pep_buf_clear(&b);
	n.family = (pep_text){"  ", 1};
	assert_false(pep_name_full(&n, &b));
	assert_int_equal(b.len, 0);
	pep_buf_free(&b);
}

/* The enumerations of simpleType `type` in the XSD, without "", in order. */
static size_t xsd_enumeration(xmlDocPtr xsd, const char *type, const char *out[64])
{
	size_t n = 0;
	for (xmlNodePtr t = xmlDocGetRootElement(xsd)->children; t; t = t->next) {
		if (t->type != XML_ELEMENT_NODE || !xmlStrEqual(t->name, BAD_CAST "simpleType"))
			continue;
		xmlChar *name = xmlGetProp(t, BAD_CAST "name");
		bool match = name && strcmp((const char *)name, type) == 0;
		xmlFree(name);
		if (!match)
			continue;
		for (xmlNodePtr r = t->children; r; r = r->next)
			for (xmlNodePtr e = r->children; e; e = e->next)
				if (e->type == XML_ELEMENT_NODE && xmlStrEqual(e->name, BAD_CAST "enumeration")) {
					xmlChar *v = xmlGetProp(e, BAD_CAST "value");
					if (v && *v && n < 64)
						out[n++] = pep_xstrdup((const char *)v);
					xmlFree(v);
				}
	}
	return n;
}

static void test_enum_tables_equal_the_schema(void **state)
{
	(void)state;
	char *path = pep_xasprintf("%s/schemas/pep.xsd", repo_root());
	char *buf = NULL;
	size_t len = 0;
	xmlDocPtr xsd = NULL;
	pep_diags *d = pep_diags_new(path);
	assert_int_equal(pep_read_file(path, d, &buf, &len), PEP_LOAD_OK);
	assert_int_equal(pep_xml_parse(path, buf, len, d, &xsd), PEP_LOAD_OK);
	free(buf);
	pep_diags_free(d);
	static const struct {
		const char *type;
		const char *const *names;
	} tables[] = {
#define ROW(ename, UP, list, type) {type, pep_##ename##_names},
		PEP_ENUMS(ROW)
#undef ROW
	};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		const char *vals[64];
		size_t n = xsd_enumeration(xsd, tables[i].type, vals);
		size_t k = 0;
		while (tables[i].names[k + 1])
			k++;
		if (n != k)
			fprintf(stderr, "%s: schema has %zu values, C has %zu\n", tables[i].type, n, k);
		assert_int_equal(n, k);
		for (size_t j = 0; j < n; j++) {
			assert_string_equal(vals[j], tables[i].names[j + 1]);
			assert_non_null(pep_enum_label_of(tables[i].type, vals[j])); /* pep edit's drop-downs */
			free((void *)vals[j]);
		}
	}
	xmlFreeDoc(xsd);
	free(path);
	assert_string_equal(pep_enum_label_of("AttendeeRole", "iro"), "Independent reviewing officer");
	assert_null(pep_enum_label_of("AttendeeRole", "nope"));
	assert_null(pep_enum_label_of("Nope", "iro"));
	assert_null(pep_enum_label_of(NULL, "iro"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binds_typed_values_with_lines),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_full_names),
		cmocka_unit_test(test_enum_tables_equal_the_schema),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
