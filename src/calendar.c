/* calendar.c: loading calendars, checking them, counting days. */
#include "calendar.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bind.h"
#include "paths.h"
#include "strbuf.h"
#include "xalloc.h"
#include "xml.h"

#include <libxml/tree.h>

const char *const pep_season_names[] = {"", "autumn", "spring", "summer", NULL};
static const char *const confidence_names[] = {"", "high", "medium", "low", NULL};
enum { CONF_HIGH = 1, CONF_MEDIUM, CONF_LOW };
/* Where a calendar came from; later tiers win. */
enum { TIER_INSTALLED, TIER_PATH, TIER_GIVEN };

/* ------------------------------------------------------------------ */
/* The files as the binder reads them                                   */
/* ------------------------------------------------------------------ */

typedef struct b_span {
	pep_hdr hdr;
	pep_datef first, last;
	pep_text name;
} b_span;

typedef struct b_term {
	pep_hdr hdr;
	pep_enumf season;
	pep_text name;
	pep_datef first, last;
	PEP_LIST(b_span) breaks;
	PEP_LIST(b_span) closed;
} b_term;

typedef struct b_year {
	pep_hdr hdr;
	pep_text name;
	PEP_LIST(b_term) terms;
} b_year;

typedef struct b_named {
	pep_hdr hdr;
	pep_text text; /* content */
	pep_text key;  /* @code, @urn or @href */
} b_named;

typedef struct b_owner {
	pep_hdr hdr;
	b_named la, school;
} b_owner;

typedef struct b_source {
	pep_hdr hdr;
	pep_enumf confidence;
	pep_datef retrieved;
	pep_text note;
	PEP_LIST(b_named) refs;
} b_source;

typedef struct b_calendar {
	pep_hdr hdr;
	b_owner owner;
	b_source source;
	PEP_LIST(b_year) years;
} b_calendar;

typedef struct b_day {
	pep_hdr hdr;
	pep_text name;
	pep_datef date;
} b_day;

typedef struct b_bank {
	pep_hdr hdr;
	pep_text region;
	pep_numf first_year, last_year;
	b_source source;
	PEP_LIST(b_day) days;
} b_bank;

#define F(n, k, T, m) {n, k, offsetof(T, m), NULL, NULL, 0, 0}
#define FE(n, k, T, m, names) {n, k, offsetof(T, m), names, NULL, 0, 0}
#define FS(n, T, m, d) {n, PEP_B_STRUCT, offsetof(T, m), NULL, &d, 0, 0}
#define FL(n, T, m, d, I) {n, PEP_B_LIST, offsetof(T, m), NULL, &d, PEP_B_STRUCT, sizeof(I)}
#define DESC(var, T, ...) \
	static const pep_bind_field var##_fields[] = {__VA_ARGS__}; \
	static const pep_bind_struct var = {#T, sizeof(T), var##_fields, sizeof var##_fields / sizeof var##_fields[0]};

DESC(span_d, b_span,
     F("first", PEP_B_ATTR_DATE, b_span, first),
     F("last", PEP_B_ATTR_DATE, b_span, last),
     F("name", PEP_B_ATTR_TEXT, b_span, name))
DESC(term_d, b_term,
     FE("season", PEP_B_ATTR_ENUM, b_term, season, pep_season_names),
     F("name", PEP_B_ATTR_TEXT, b_term, name),
     F("first", PEP_B_ATTR_DATE, b_term, first),
     F("last", PEP_B_ATTR_DATE, b_term, last),
     FL("break", b_term, breaks, span_d, b_span),
     FL("closed", b_term, closed, span_d, b_span))
DESC(year_d, b_year,
     F("name", PEP_B_ATTR_TEXT, b_year, name),
     FL("term", b_year, terms, term_d, b_term))
DESC(la_d, b_named, F("", PEP_B_CONTENT, b_named, text), F("code", PEP_B_ATTR_TEXT, b_named, key))
DESC(school_d, b_named, F("", PEP_B_CONTENT, b_named, text), F("urn", PEP_B_ATTR_TEXT, b_named, key))
DESC(ref_d, b_named, F("", PEP_B_CONTENT, b_named, text), F("href", PEP_B_ATTR_TEXT, b_named, key))
DESC(owner_d, b_owner, FS("localAuthority", b_owner, la, la_d), FS("school", b_owner, school, school_d))
DESC(source_d, b_source,
     FE("confidence", PEP_B_ATTR_ENUM, b_source, confidence, confidence_names),
     F("retrieved", PEP_B_ATTR_DATE, b_source, retrieved),
     F("note", PEP_B_TEXT, b_source, note),
     FL("reference", b_source, refs, ref_d, b_named))
DESC(calendar_d, b_calendar,
     FS("owner", b_calendar, owner, owner_d),
     FS("source", b_calendar, source, source_d),
     FL("academicYear", b_calendar, years, year_d, b_year))
DESC(day_d, b_day, F("", PEP_B_CONTENT, b_day, name), F("date", PEP_B_ATTR_DATE, b_day, date))
DESC(bank_d, b_bank,
     F("region", PEP_B_ATTR_TEXT, b_bank, region),
     F("firstYear", PEP_B_ATTR_INT, b_bank, first_year),
     F("lastYear", PEP_B_ATTR_INT, b_bank, last_year),
     FS("source", b_bank, source, source_d),
     FL("day", b_bank, days, day_d, b_day))

/* ------------------------------------------------------------------ */
/* The calendars as the counting uses them                               */
/* ------------------------------------------------------------------ */

typedef struct rt_term {
	pep_season season;
	const char *name;
	pep_day first, last;
	size_t nbreaks, nclosed;
	pep_day (*breaks)[2];
	pep_day (*closed)[2];
	const char **break_names, **closed_names;
} rt_term;

typedef struct rt_year {
	int start;               /* the September's year */
	const char *name;        /* "2025-26" */
	const char *describe;    /* "Kent County Council 2025-26 (medium confidence)" */
	int line;
	rt_term terms[3];
} rt_year;

typedef struct rt_cal {
	const char *file;
	const char *la, *la_name; /* LA code and name */
	const char *urn, *school; /* NULL for an LA's calendar */
	int confidence;
	const char *note;
	int tier;                 /* TIER_INSTALLED, TIER_PATH or TIER_GIVEN */
	rt_year *years;
	size_t nyears;
} rt_cal;

struct pep_calendars {
	pep_arena *arena;
	rt_cal *cals;
	size_t n, cap;
	pep_day *bank;            /* sorted */
	size_t nbank;
	int bank_first, bank_last;
	const char *bank_file;
	int bank_tier;
};

int pep_cal_academic_year(pep_day d)
{
	int y, m, dd;
	pep_date_to_ymd(d, &y, &m, &dd);
	return m >= 9 ? y : y - 1;
}

/* ------------------------------------------------------------------ */
/* Loading and checking one file                                        */
/* ------------------------------------------------------------------ */

pep_schema *pep_calendar_schema(char **err)
{
	char *xsd = pep_data_file("schemas/calendar.xsd");
	if (!xsd) {
		char *dirs = pep_data_dirs();
		*err = xasprintf("cannot find schemas/calendar.xsd in %s", dirs);
		free(dirs);
		return NULL;
	}
	pep_schema *s = pep_schema_load(xsd, NULL, err);
	free(xsd);
	return s;
}

static void fmt(pep_day d, char out[11])
{
	pep_date_format(d, out);
}

/* Sense checks of a calendar: what the schema cannot say. */
static bool check_calendar(const b_calendar *b, pep_diags *d)
{
	size_t before = pep_diags_count(d);
	char a[11], z[11];
	for (size_t i = 0; i < b->years.n; i++) {
		const b_year *y = &b->years.v[i];
		int start = atoi(y->name.s ? y->name.s : "0");
		int yy = y->name.s && strlen(y->name.s) == 7 ? atoi(y->name.s + 5) : -1;
		if (yy != (start + 1) % 100)
			pep_diags_add(d, "CAL", PEP_ERROR, 0, y->hdr.line,
			              "academic year \"%s\" should be written %d-%02d", y->name.s, start, (start + 1) % 100);
		for (size_t k = 0; k < i; k++)
			if (b->years.v[k].name.s && y->name.s && strcmp(b->years.v[k].name.s, y->name.s) == 0)
				pep_diags_add(d, "CAL", PEP_ERROR, 0, y->hdr.line,
				              "academic year %s is given twice (also on line %d); keep one", y->name.s,
				              b->years.v[k].hdr.line);
		pep_day year_first = pep_date_from_ymd(start, 9, 1), year_last = pep_date_from_ymd(start + 1, 8, 31);
		pep_day prev_last = PEP_NO_DAY;
		for (size_t t = 0; t < y->terms.n; t++) {
			const b_term *term = &y->terms.v[t];
			fmt(term->first.d, a);
			fmt(term->last.d, z);
			if (term->season.v != (int)t + 1)
				pep_diags_add(d, "CAL", PEP_ERROR, 0, term->hdr.line,
				              "term %zu of %s is %s; the terms must be autumn, spring and summer, in that order",
				              t + 1, y->name.s, pep_season_names[term->season.v]);
			if (term->first.d > term->last.d)
				pep_diags_add(d, "CAL", PEP_ERROR, 0, term->hdr.line,
				              "the %s term starts on %s, after it ends on %s", pep_season_names[term->season.v], a, z);
			if (term->first.d < year_first || term->last.d > year_last)
				pep_diags_add(d, "CAL", PEP_ERROR, 0, term->hdr.line,
				              "the %s term (%s to %s) is not inside academic year %s (1 September %d to 31 August %d)",
				              pep_season_names[term->season.v], a, z, y->name.s, start, start + 1);
			if (prev_last != PEP_NO_DAY && term->first.d <= prev_last) {
				char p[11];
				fmt(prev_last, p);
				pep_diags_add(d, "CAL", PEP_ERROR, 0, term->hdr.line,
				              "the %s term starts on %s, before the previous term ends on %s; terms must not overlap",
				              pep_season_names[term->season.v], a, p);
			}
			prev_last = term->last.d;
			const PEP_LIST(b_span) *lists[2] = {(const void *)&term->breaks, (const void *)&term->closed};
			for (int l = 0; l < 2; l++)
				for (size_t s = 0; s < lists[l]->n; s++) {
					const b_span *sp = &lists[l]->v[s];
					char f[11], g[11];
					fmt(sp->first.d, f);
					fmt(sp->last.d, g);
					const char *what = l == 0 ? "break" : "closed day";
					if (sp->first.d > sp->last.d)
						pep_diags_add(d, "CAL", PEP_ERROR, 0, sp->hdr.line,
						              "a %s starts on %s, after it ends on %s", what, f, g);
					if (sp->first.d < term->first.d || sp->last.d > term->last.d)
						pep_diags_add(d, "CAL", PEP_ERROR, 0, sp->hdr.line,
						              "the %s %s to %s is not inside its term (%s to %s)", what, f, g, a, z);
					for (size_t o = 0; o < s; o++) {
						const b_span *q = &lists[l]->v[o];
						if (sp->first.d <= q->last.d && q->first.d <= sp->last.d)
							pep_diags_add(d, "CAL", PEP_ERROR, 0, sp->hdr.line,
							              "the %s %s to %s overlaps the one on line %d", what, f, g, q->hdr.line);
					}
				}
		}
	}
	return pep_diags_count(d) == before;
}

static bool check_bank(const b_bank *b, pep_diags *d)
{
	size_t before = pep_diags_count(d);
	if (b->first_year.v > b->last_year.v)
		pep_diags_add(d, "CAL", PEP_ERROR, 0, b->hdr.line, "firstYear %lld is after lastYear %lld",
		              (long long)b->first_year.v, (long long)b->last_year.v);
	for (size_t i = 0; i < b->days.n; i++) {
		int y, m, dd;
		pep_date_to_ymd(b->days.v[i].date.d, &y, &m, &dd);
		if (y < b->first_year.v || y > b->last_year.v) {
			char s[11];
			fmt(b->days.v[i].date.d, s);
			pep_diags_add(d, "CAL", PEP_ERROR, 0, b->days.v[i].hdr.line,
			              "bank holiday %s is outside the years the file says it covers (%lld to %lld)", s,
			              (long long)b->first_year.v, (long long)b->last_year.v);
		}
	}
	return pep_diags_count(d) == before;
}

typedef enum { FILE_BAD, FILE_CALENDAR, FILE_BANK } file_kind;

/* Validates and binds one document into arena; *out points at a
 * b_calendar or b_bank. */
static file_kind load_buffer(pep_xml_loader *l, const char *name, const char *buf, size_t len, pep_arena *arena,
                             pep_diags *d, void **out)
{
	struct _xmlDoc *doc = NULL;
	file_kind kind = FILE_BAD;
	*out = NULL;
	if (pep_xml_load(l, name, buf, len, d, &doc) != PEP_LOAD_OK)
		return FILE_BAD;
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (xmlStrEqual(root->name, BAD_CAST "calendar")) {
		b_calendar *c = pep_arena_alloc(arena, sizeof *c);
		pep_bind(&calendar_d, root, c, arena);
		if (check_calendar(c, d)) {
			*out = c;
			kind = FILE_CALENDAR;
		}
	} else {
		b_bank *b = pep_arena_alloc(arena, sizeof *b);
		pep_bind(&bank_d, root, b, arena);
		if (check_bank(b, d)) {
			*out = b;
			kind = FILE_BANK;
		}
	}
	pep_xml_free(doc);
	return kind;
}

/* The same for a file. */
static file_kind load_file(pep_xml_loader *l, const char *path, pep_arena *arena, pep_diags *d, void **out)
{
	char *buf = NULL;
	size_t len = 0;
	*out = NULL;
	if (pep_read_file_as(path, 0, "a calendar file", d, &buf, &len) != PEP_LOAD_OK)
		return FILE_BAD;
	file_kind kind = load_buffer(l, path, buf, len, arena, d, out);
	free(buf);
	return kind;
}

bool pep_calendar_check_memory(pep_xml_loader *l, const char *name, const char *buf, size_t len, pep_diags *d)
{
	pep_arena *a = pep_arena_new();
	void *v = NULL;
	file_kind k = load_buffer(l, name, buf, len, a, d, &v);
	pep_arena_free(a);
	return k != FILE_BAD;
}

static const char *describe_owner(const b_calendar *b)
{
	return b->owner.school.hdr.present ? b->owner.school.text.s : b->owner.la.text.s;
}

bool pep_calendar_check_file(const char *path, pep_diags *d, char **summary)
{
	char *err = NULL;
	*summary = NULL;
	pep_schema *s = pep_calendar_schema(&err);
	if (!s) {
		pep_diags_add(d, "IO", PEP_ERROR, 0, 0, "%s", err);
		free(err);
		return false;
	}
	pep_xml_loader *l = pep_xml_loader_new(s);
	pep_arena *a = pep_arena_new();
	void *v = NULL;
	file_kind k = load_file(l, path, a, d, &v);
	if (k == FILE_CALENDAR) {
		const b_calendar *c = v;
		pep_buf b = PEP_BUF_INIT;
		pep_buf_printf(&b, "%s (%s%s%s)", describe_owner(c), c->owner.la.key.s,
		               c->owner.school.hdr.present ? ", URN " : "",
		               c->owner.school.hdr.present ? c->owner.school.key.s : "");
		for (size_t i = 0; i < c->years.n; i++)
			pep_buf_printf(&b, "%s%s", i ? ", " : " ", c->years.v[i].name.s);
		pep_buf_printf(&b, "; %s confidence", confidence_names[c->source.confidence.v]);
		*summary = pep_buf_detach(&b);
	} else if (k == FILE_BANK) {
		const b_bank *bk = v;
		*summary = xasprintf("bank holidays of England and Wales, %lld to %lld (%zu days); %s confidence",
		                     (long long)bk->first_year.v, (long long)bk->last_year.v, bk->days.n,
		                     confidence_names[bk->source.confidence.v]);
	}
	pep_arena_free(a);
	pep_xml_loader_free(l);
	pep_schema_free(s);
	return k != FILE_BAD;
}

/* ------------------------------------------------------------------ */
/* Loading everything                                                   */
/* ------------------------------------------------------------------ */

static int cmp_day(const void *a, const void *b)
{
	pep_day x = *(const pep_day *)a, y = *(const pep_day *)b;
	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.xml files of folder dir, sorted (caller frees each and the array). */
static size_t list_xml(const char *dir, char ***out)
{
	*out = NULL;
	DIR *dp = opendir(dir);
	if (!dp)
		return 0;
	size_t n = 0, cap = 0;
	char **v = NULL;
	for (struct dirent *e; (e = readdir(dp));) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(dp);
	if (n)
		qsort(v, n, sizeof *v, cmp_str);
	*out = v;
	return n;
}

static void add_calendar(pep_calendars *c, const b_calendar *b, const char *file, int tier)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->cals = xrealloc(c->cals, c->cap * sizeof *c->cals);
	}
	rt_cal *r = &c->cals[c->n++];
	memset(r, 0, sizeof *r);
	pep_arena *a = c->arena;
	r->file = pep_arena_strdup(a, file);
	r->la = b->owner.la.key.s;
	r->la_name = b->owner.la.text.s;
	if (b->owner.school.hdr.present) {
		r->urn = b->owner.school.key.s;
		r->school = b->owner.school.text.s;
	}
	r->confidence = b->source.confidence.v;
	r->note = b->source.note.s;
	r->tier = tier;
	r->nyears = b->years.n;
	r->years = pep_arena_alloc(a, b->years.n * sizeof *r->years);
	for (size_t i = 0; i < b->years.n; i++) {
		const b_year *y = &b->years.v[i];
		rt_year *ry = &r->years[i];
		ry->start = atoi(y->name.s);
		ry->name = y->name.s;
		ry->line = y->hdr.line;
		pep_buf desc = PEP_BUF_INIT;
		if (r->school)
			pep_buf_printf(&desc, "%s (URN %s) %s", r->school, r->urn, ry->name);
		else
			pep_buf_printf(&desc, "%s %s", r->la_name, ry->name);
		pep_buf_printf(&desc, " (%s confidence)", confidence_names[r->confidence]);
		ry->describe = pep_arena_strdup(a, pep_buf_str(&desc));
		pep_buf_free(&desc);
		for (size_t t = 0; t < 3 && t < y->terms.n; t++) {
			const b_term *bt = &y->terms.v[t];
			rt_term *rtm = &ry->terms[t];
			rtm->season = (pep_season)bt->season.v;
			rtm->name = bt->name.s ? bt->name.s : "";
			rtm->first = bt->first.d;
			rtm->last = bt->last.d;
			rtm->nbreaks = bt->breaks.n;
			rtm->nclosed = bt->closed.n;
			rtm->breaks = pep_arena_alloc(a, (bt->breaks.n + 1) * sizeof *rtm->breaks);
			rtm->closed = pep_arena_alloc(a, (bt->closed.n + 1) * sizeof *rtm->closed);
			rtm->break_names = pep_arena_alloc(a, (bt->breaks.n + 1) * sizeof *rtm->break_names);
			rtm->closed_names = pep_arena_alloc(a, (bt->closed.n + 1) * sizeof *rtm->closed_names);
			for (size_t k = 0; k < bt->breaks.n; k++) {
				rtm->breaks[k][0] = bt->breaks.v[k].first.d;
				rtm->breaks[k][1] = bt->breaks.v[k].last.d;
				rtm->break_names[k] = bt->breaks.v[k].name.s ? bt->breaks.v[k].name.s : "break";
			}
			for (size_t k = 0; k < bt->closed.n; k++) {
				rtm->closed[k][0] = bt->closed.v[k].first.d;
				rtm->closed[k][1] = bt->closed.v[k].last.d;
				rtm->closed_names[k] = bt->closed.v[k].name.s ? bt->closed.v[k].name.s : "closed";
			}
		}
	}
}

static bool same_owner(const rt_cal *x, const rt_cal *y)
{
	if ((x->urn == NULL) != (y->urn == NULL))
		return false;
	if (x->urn)
		return strcmp(x->urn, y->urn) == 0;
	return strcmp(x->la, y->la) == 0;
}

/* Two calendars of the same owner and kind (given or installed) may not
 * both define a year. */
static void check_duplicates(pep_calendars *c, pep_diags ***errs, size_t *nerrs)
{
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < i; j++) {
			const rt_cal *x = &c->cals[i], *y = &c->cals[j];
			if (x->tier != y->tier || !same_owner(x, y))
				continue;
			for (size_t a = 0; a < x->nyears; a++)
				for (size_t b = 0; b < y->nyears; b++)
					if (x->years[a].start == y->years[b].start) {
						pep_diags *d = pep_diags_new(x->file);
						pep_diags_add(d, "CAL", PEP_ERROR, 0, x->years[a].line,
						              "academic year %s of %s is also defined in %s; keep it in one file",
						              x->years[a].name, x->urn ? x->urn : x->la, y->file);
						*errs = xrealloc(*errs, (*nerrs + 1) * sizeof **errs);
						(*errs)[(*nerrs)++] = d;
					}
		}
}

pep_calendars *pep_calendars_load(const char *const *given, size_t ngiven, pep_diags ***errs, size_t *nerrs)
{
	*errs = NULL;
	*nerrs = 0;
	char *err = NULL;
	pep_schema *s = pep_calendar_schema(&err);
	if (!s) {
		pep_diags *d = pep_diags_new("schemas/calendar.xsd");
		pep_diags_add(d, "IO", PEP_ERROR, 0, 0, "%s", err);
		free(err);
		*errs = xmalloc(sizeof **errs);
		(*errs)[(*nerrs)++] = d;
		return NULL;
	}
	pep_xml_loader *l = pep_xml_loader_new(s);
	pep_calendars *c = xcalloc(1, sizeof *c);
	c->arena = pep_arena_new();

	/* Files in order of increasing precedence: installed, then
	 * $PEP_CALENDAR_PATH, then --calendar. */
	char **files = NULL;
	int *tier = NULL;
	size_t nfiles = 0;
	char *installed = pep_data_file("data/calendars");
	if (installed) {
		char **v;
		size_t n = list_xml(installed, &v);
		files = xrealloc(files, (nfiles + n) * sizeof *files);
		tier = xrealloc(tier, (nfiles + n) * sizeof *tier);
		for (size_t i = 0; i < n; i++) {
			files[nfiles] = v[i];
			tier[nfiles++] = TIER_INSTALLED;
		}
		free(v);
		free(installed);
	}
	const char *path = getenv("PEP_CALENDAR_PATH");
	if (path && *path) {
		char *copy = xstrdup(path), *save = NULL;
		for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
			char **v;
			size_t n = list_xml(dir, &v);
			files = xrealloc(files, (nfiles + n) * sizeof *files);
			tier = xrealloc(tier, (nfiles + n) * sizeof *tier);
			for (size_t i = 0; i < n; i++) {
				files[nfiles] = v[i];
				tier[nfiles++] = TIER_PATH;
			}
			free(v);
		}
		free(copy);
	}
	files = xrealloc(files, (nfiles + ngiven + 1) * sizeof *files);
	tier = xrealloc(tier, (nfiles + ngiven + 1) * sizeof *tier);
	for (size_t i = 0; i < ngiven; i++) {
		files[nfiles] = xstrdup(given[i]);
		tier[nfiles++] = TIER_GIVEN;
	}

	for (size_t i = 0; i < nfiles; i++) {
		pep_diags *d = pep_diags_new(files[i]);
		void *v = NULL;
		file_kind k = load_file(l, files[i], c->arena, d, &v);
		if (k == FILE_CALENDAR) {
			add_calendar(c, v, files[i], tier[i]);
		} else if (k == FILE_BANK) {
			const b_bank *b = v;
			if (c->bank_file && c->bank_tier == tier[i]) {
				pep_diags_add(d, "CAL", PEP_ERROR, 0, b->hdr.line,
				              "a second bank-holiday file (the first is %s); keep one", c->bank_file);
			} else {
				c->bank_file = pep_arena_strdup(c->arena, files[i]);
				c->bank_tier = tier[i];
				c->nbank = b->days.n;
				c->bank = pep_arena_alloc(c->arena, (b->days.n + 1) * sizeof *c->bank);
				for (size_t k2 = 0; k2 < b->days.n; k2++)
					c->bank[k2] = b->days.v[k2].date.d;
				qsort(c->bank, c->nbank, sizeof *c->bank, cmp_day);
				c->bank_first = (int)b->first_year.v;
				c->bank_last = (int)b->last_year.v;
			}
		}
		if (pep_diags_count(d)) {
			*errs = xrealloc(*errs, (*nerrs + 1) * sizeof **errs);
			(*errs)[(*nerrs)++] = d;
		} else {
			pep_diags_free(d);
		}
		free(files[i]);
	}
	free(files);
	free(tier);
	check_duplicates(c, errs, nerrs);
	if (!c->bank_file && !*nerrs) {
		pep_diags *d = pep_diags_new("data/calendars");
		pep_diags_add(d, "IO", PEP_ERROR, 0, 0,
		              "no bank-holiday file was found; reinstall pep or put bank-holidays-england-and-wales.xml in PEP_CALENDAR_PATH");
		*errs = xrealloc(*errs, (*nerrs + 1) * sizeof **errs);
		(*errs)[(*nerrs)++] = d;
	}
	pep_xml_loader_free(l);
	pep_schema_free(s);
	if (*nerrs) {
		pep_calendars_free(c);
		return NULL;
	}
	return c;
}

void pep_calendars_free(pep_calendars *c)
{
	if (!c)
		return;
	free(c->cals);
	pep_arena_free(c->arena);
	free(c);
}

/* ------------------------------------------------------------------ */
/* Lookups and counting                                                 */
/* ------------------------------------------------------------------ */

/* The calendar year used for (la, urn) in the academic year starting in
 * September of start, or NULL. */
static const rt_year *find_year(const pep_calendars *c, const char *la, const char *urn, int start,
                                const rt_cal **which)
{
	/* --calendar files first (a school's, then an LA's); then a school's own
	 * calendar, from $PEP_CALENDAR_PATH before the installed one; then the
	 * LA's, likewise. */
	static const struct { int tier; bool by_urn; } order[] = {
		{TIER_GIVEN, true}, {TIER_GIVEN, false}, {TIER_PATH, true},
		{TIER_INSTALLED, true}, {TIER_PATH, false}, {TIER_INSTALLED, false},
	};
	for (size_t pass = 0; pass < sizeof order / sizeof order[0]; pass++) {
		bool by_urn = order[pass].by_urn;
		if (by_urn && !(urn && *urn))
			continue;
		if (!by_urn && !(la && *la))
			continue;
		for (size_t i = 0; i < c->n; i++) {
			const rt_cal *r = &c->cals[i];
			if (r->tier != order[pass].tier)
				continue;
			if (by_urn ? !(r->urn && strcmp(r->urn, urn) == 0) : (r->urn || strcmp(r->la, la) != 0))
				continue;
			for (size_t y = 0; y < r->nyears; y++)
				if (r->years[y].start == start) {
					if (which)
						*which = r;
					return &r->years[y];
				}
		}
	}
	return NULL;
}

pep_cal_status pep_cal_working_day(const pep_calendars *c, pep_day d, bool *is, pep_day *missing)
{
	int y, m, dd;
	pep_date_to_ymd(d, &y, &m, &dd);
	if (!c->bank_file || y < c->bank_first || y > c->bank_last) {
		*missing = d;
		return PEP_CAL_UNKNOWN;
	}
	*is = pep_date_weekday(d) <= 5 && !bsearch(&d, c->bank, c->nbank, sizeof *c->bank, cmp_day);
	return PEP_CAL_OK;
}

static bool in_spans(pep_day d, const pep_day (*spans)[2], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d >= spans[i][0] && d <= spans[i][1])
			return true;
	return false;
}

pep_cal_status pep_cal_school_day(const pep_calendars *c, const char *la, const char *urn, pep_day d, bool *is,
                                  pep_day *missing)
{
	/* A weekend or a bank holiday is never a school day: no term calendar
	 * is needed to say so. */
	bool working;
	if (pep_cal_working_day(c, d, &working, missing) != PEP_CAL_OK)
		return PEP_CAL_UNKNOWN;
	*is = false;
	if (!working)
		return PEP_CAL_OK;
	const rt_year *y = find_year(c, la, urn, pep_cal_academic_year(d), NULL);
	if (!y) {
		*missing = d;
		return PEP_CAL_UNKNOWN;
	}
	for (int t = 0; t < 3; t++) {
		const rt_term *term = &y->terms[t];
		if (d >= term->first && d <= term->last) {
			*is = !in_spans(d, (const pep_day(*)[2])term->breaks, term->nbreaks) &&
			      !in_spans(d, (const pep_day(*)[2])term->closed, term->nclosed);
			break;
		}
	}
	return PEP_CAL_OK;
}

/* Walks the days after from: stops at the nth counted day (n >= 1), or at
 * to when to is not PEP_NO_DAY, counting as it goes. */
static pep_cal_status walk(const pep_calendars *c, const char *la, const char *urn, bool school, pep_day from,
                           int n, pep_day to, pep_day *at, int *count, pep_day *missing)
{
	int k = 0;
	pep_day d = from;
	/* A bound: no rule counts across more than a few years. */
	for (int steps = 0; steps < 5000; steps++) {
		if (to != PEP_NO_DAY && d >= to)
			break;
		d++;
		bool is;
		pep_cal_status st = school ? pep_cal_school_day(c, la, urn, d, &is, missing)
		                           : pep_cal_working_day(c, d, &is, missing);
		if (st != PEP_CAL_OK)
			return st;
		k += is;
		if (to == PEP_NO_DAY && k == n)
			break;
	}
	if (at)
		*at = d;
	if (count)
		*count = k;
	return PEP_CAL_OK;
}

pep_cal_status pep_cal_add_working_days(const pep_calendars *c, pep_day from, int n, pep_day *out, pep_day *missing)
{
	if (n <= 0) {
		*out = from;
		return PEP_CAL_OK;
	}
	return walk(c, NULL, NULL, false, from, n, PEP_NO_DAY, out, NULL, missing);
}

pep_cal_status pep_cal_add_school_days(const pep_calendars *c, const char *la, const char *urn, pep_day from, int n,
                                       pep_day *out, pep_day *missing)
{
	if (n <= 0) {
		*out = from;
		return PEP_CAL_OK;
	}
	return walk(c, la, urn, true, from, n, PEP_NO_DAY, out, NULL, missing);
}

pep_cal_status pep_cal_count_working_days(const pep_calendars *c, pep_day from, pep_day to, int *out, pep_day *missing)
{
	*out = 0;
	if (to <= from)
		return PEP_CAL_OK;
	return walk(c, NULL, NULL, false, from, 0, to, NULL, out, missing);
}

pep_cal_status pep_cal_count_school_days(const pep_calendars *c, const char *la, const char *urn, pep_day from,
                                         pep_day to, int *out, pep_day *missing)
{
	*out = 0;
	if (to <= from)
		return PEP_CAL_OK;
	return walk(c, la, urn, true, from, 0, to, NULL, out, missing);
}

static void term_info(const rt_year *y, int t, const rt_year *next_year, pep_term_info *out)
{
	const rt_term *term = &y->terms[t];
	out->season = term->season;
	out->name = term->name;
	out->year = y->name;
	out->first = term->first;
	out->last = term->last;
	if (t < 2)
		out->next_first = y->terms[t + 1].first;
	else
		out->next_first = next_year ? next_year->terms[0].first : PEP_NO_DAY;
}

pep_cal_status pep_cal_year_terms(const pep_calendars *c, const char *la, const char *urn, pep_day d,
                                  pep_term_info out[3], pep_day *missing)
{
	int start = pep_cal_academic_year(d);
	const rt_year *y = find_year(c, la, urn, start, NULL);
	if (!y) {
		*missing = d;
		return PEP_CAL_UNKNOWN;
	}
	const rt_year *next = find_year(c, la, urn, start + 1, NULL);
	for (int t = 0; t < 3; t++)
		term_info(y, t, next, &out[t]);
	return PEP_CAL_OK;
}

pep_cal_status pep_cal_term_at(const pep_calendars *c, const char *la, const char *urn, pep_day d,
                               pep_term_info *out, pep_day *missing)
{
	pep_term_info terms[3];
	if (pep_cal_year_terms(c, la, urn, d, terms, missing) != PEP_CAL_OK)
		return PEP_CAL_UNKNOWN;
	for (int t = 2; t >= 0; t--)
		if (terms[t].first <= d) {
			*out = terms[t];
			return PEP_CAL_OK;
		}
	/* Early September, before the autumn term: still last year's summer. */
	pep_day prev = pep_date_from_ymd(pep_cal_academic_year(d), 8, 31);
	if (pep_cal_year_terms(c, la, urn, prev, terms, missing) != PEP_CAL_OK)
		return PEP_CAL_UNKNOWN;
	*out = terms[2];
	return PEP_CAL_OK;
}

const char *pep_cal_describe(const pep_calendars *c, const char *la, const char *urn, pep_day d)
{
	const rt_year *y = find_year(c, la, urn, pep_cal_academic_year(d), NULL);
	return y ? y->describe : NULL;
}

bool pep_cal_low_confidence(const pep_calendars *c, const char *la, const char *urn, pep_day d)
{
	const rt_cal *r = NULL;
	return find_year(c, la, urn, pep_cal_academic_year(d), &r) && r->confidence == CONF_LOW;
}

size_t pep_cal_start_years(const pep_calendars *c, const char *la, const char *urn, int *out, size_t max)
{
	size_t n = 0;
	for (int start = 1990; start < 2100 && n < max; start++)
		if (find_year(c, la, urn, start, NULL))
			out[n++] = start;
	return n;
}

char *pep_cal_years_known(const pep_calendars *c, const char *la, const char *urn)
{
	int years[128];
	size_t n = pep_cal_start_years(c, la, urn, years, 128);
	pep_buf b = PEP_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		pep_buf_printf(&b, "%s%d-%02d", i ? ", " : "", years[i], (years[i] + 1) % 100);
	return pep_buf_detach(&b);
}

void pep_cal_bank_span(const pep_calendars *c, pep_day *first, pep_day *last)
{
	*first = pep_date_from_ymd(c->bank_first, 1, 1);
	*last = pep_date_from_ymd(c->bank_last, 12, 31);
}

size_t pep_cal_las(const pep_calendars *c, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++) {
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen |= strcmp(out[k], c->cals[i].la) == 0;
		if (!seen && n < max)
			out[n++] = c->cals[i].la;
	}
	qsort(out, n, sizeof *out, cmp_str);
	return n;
}

bool pep_cal_info_for(const pep_calendars *c, const char *la, const char *urn, int start_year, pep_cal_info *out)
{
	const rt_cal *r = NULL;
	const rt_year *y = find_year(c, la, urn, start_year, &r);
	if (!y)
		return false;
	memset(out, 0, sizeof *out);
	out->file = r->file;
	out->owner = r->la_name;
	out->school = r->school;
	out->urn = r->urn;
	out->confidence = confidence_names[r->confidence];
	out->note = r->note;
	out->year = y->name;
	out->nterms = 3;
	const rt_year *next = find_year(c, la, urn, start_year + 1, NULL);
	for (int t = 0; t < 3; t++) {
		term_info(y, t, next, &out->terms[t].term);
		out->terms[t].nbreaks = y->terms[t].nbreaks;
		out->terms[t].nclosed = y->terms[t].nclosed;
		out->terms[t].breaks = (const pep_day(*)[2])y->terms[t].breaks;
		out->terms[t].closed = (const pep_day(*)[2])y->terms[t].closed;
		out->terms[t].break_names = y->terms[t].break_names;
		out->terms[t].closed_names = y->terms[t].closed_names;
	}
	return true;
}

char *pep_cal_uncovered(const pep_calendars *c, const char *la, const char *urn, pep_day missing, bool school,
                        const char *needed_by)
{
	char day[11];
	pep_date_format(missing, day);
	if (!school) {
		char a[11], z[11];
		pep_date_format(pep_date_from_ymd(c->bank_first, 1, 1), a);
		pep_date_format(pep_date_from_ymd(c->bank_last, 12, 31), z);
		return xasprintf("the bank holidays of England and Wales are known from %s to %s, not for %s (needed by %s); "
		                 "add that year's bank holidays (docs/calendars.md)",
		                 a, z, day, needed_by);
	}
	char *known = pep_cal_years_known(c, la, urn);
	char *msg = xasprintf("no school calendar covers %s for %s%s%s (needed by %s); known years: %s; add that year's "
	                      "term dates (docs/calendars.md) or give them with --calendar FILE",
	                      day, la && *la ? la : "this LA", urn ? ", URN " : "", urn ? urn : "", needed_by,
	                      *known ? known : "none");
	free(known);
	return msg;
}
