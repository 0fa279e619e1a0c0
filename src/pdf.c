/* pdf.c: the PEP's pages (see pdf.h). The only module that calls libharu.
 *
 * Two steps: build() describes the document to the layout module as
 * blocks (layout.h breaks lines and pages), then paint() draws each page's
 * display list with libharu, adding the header and footer that need the
 * page count. The PDF is saved to libharu's memory stream and copied out. */
#include "pdf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>

#include "layout.h"
#include "outfile.h"
#include "paths.h"
#include "strbuf.h"
#include "ttf.h"
#include "xalloc.h"

#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN_X 48.0

#define INK 0x1A1A1AU
#define GREY 0x55606BU
#define NAVY 0x1F3A5FU
#define RED 0xB00020U
#define NOTICE_FILL 0xFFF4E5U
#define NOTICE_BAR 0xE08A00U
#define ERROR_FILL 0xFDECEEU
#define CHILD_FILL 0xE8F1FBU

/* The DejaVu fonts of Debian's fonts-dejavu-core: the fallback for a
 * document that needs a character the bundled subset lacks. */
#define DEJAVU_DIR "/usr/share/fonts/truetype/dejavu/"
/* The sRGB profile of Debian's icc-profiles-free, for PDF/A. */
#define SRGB_ICC "/usr/share/color/icc/sRGB.icc"

/* ------------------------------------------------------------------ */
/* libharu errors: recorded by the handler, checked by us               */
/* ------------------------------------------------------------------ */

typedef struct haru_error {
	HPDF_STATUS code, detail;
} haru_error;

static void on_haru_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	haru_error *e = user;
	if (code == HPDF_STREAM_EOF)
		return; /* the normal end of HPDF_ReadFromStream */
	if (!e->code) {
		e->code = code;
		e->detail = detail;
	}
}

static char *haru_message(const haru_error *e, const char *what)
{
	const char *why = "";
	switch (e->code) {
	case HPDF_FAILD_TO_ALLOC_MEM:
		why = ": out of memory";
		break;
	case HPDF_FILE_OPEN_ERROR:
	case HPDF_FILE_IO_ERROR:
		why = ": a file could not be read";
		break;
	case HPDF_INVALID_TTC_FILE:
	case HPDF_INVALID_TTC_INDEX:
	case HPDF_TTF_CANNOT_EMBEDDING_FONT:
	case HPDF_TTF_INVALID_CMAP:
	case HPDF_TTF_INVALID_FOMAT:
	case HPDF_TTF_MISSING_TABLE:
	case HPDF_INVALID_FONTDEF_DATA:
		why = ": the font is not a TrueType font libharu can embed; give another with --font";
		break;
	default:
		break;
	}
	return xasprintf("%s failed (libharu error 0x%04X, detail %u)%s", what, (unsigned)e->code,
	                 (unsigned)e->detail, why);
}

/* ------------------------------------------------------------------ */
/* Fonts                                                                */
/* ------------------------------------------------------------------ */

typedef struct fonts {
	HPDF_Font f[2];          /* regular, bold */
	pep_ttf *ttf[2];         /* the same fonts, read and checked (ttf[1] may be ttf[0]) */
	uint8_t used[2][8192];   /* the code points (= CIDs) drawn in each, as bits */
	uint32_t max_used[2];
	uint16_t widths[2][65536]; /* 1 + a character's width, 0 until looked up */
} fonts;

/* Records the characters of s, drawn in font f. */
static void mark_used(fonts *fs, int f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		uint32_t cp = *u;
		size_t len = 1;
		if (cp >= 0xE0 && cp < 0xF0 && u[1] && u[2]) {
			cp = ((cp & 0x0F) << 12) | ((u[1] & 0x3FU) << 6) | (u[2] & 0x3FU);
			len = 3;
		} else if (cp >= 0xC0 && cp < 0xE0 && u[1]) {
			cp = ((cp & 0x1F) << 6) | (u[1] & 0x3FU);
			len = 2;
		}
		if (cp < 0x10000) {
			fs->used[f][cp >> 3] |= (uint8_t)(1u << (cp & 7));
			if (cp > fs->max_used[f])
				fs->max_used[f] = cp;
		}
		u += len;
	}
}

/* libharu 2.3.0 writes a CIDToGIDMap for all 65,536 CIDs of a UTF-8 font
 * (128 KB before compression, per font, per PDF), and compressing it was
 * most of the time a PDF took. The map only needs to reach the highest
 * character drawn, so it is cut to that here, just before saving. */
static void trim_cid_map(const fonts *fs, int f)
{
	HPDF_FontAttr attr = (HPDF_FontAttr)fs->f[f]->attr;
	if (!attr || !attr->map_stream || !attr->map_stream->stream)
		return;
	size_t n = (size_t)fs->max_used[f] + 1;
	unsigned char *map = xcalloc(n, 2);
	for (size_t cp = 0; cp < n; cp++)
		if (fs->used[f][cp >> 3] & (1u << (cp & 7))) {
			HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(attr->fontdef, (HPDF_UINT16)cp);
			map[2 * cp] = (unsigned char)(gid >> 8);
			map[2 * cp + 1] = (unsigned char)gid;
		}
	HPDF_MemStream_FreeData(attr->map_stream->stream);
	HPDF_Stream_Write(attr->map_stream->stream, map, (HPDF_UINT)(2 * n));
	free(map);
}

/* The width of s in points: the glyph widths libharu would use, each
 * looked up once per PDF (HPDF_Font_TextWidth looks every character up in
 * the font's cmap every time, and measuring was a tenth of the work). */
static double measure(void *ctx, pep_layout_font font, double size, const char *s, size_t n)
{
	fonts *fs = ctx;
	const unsigned char *u = (const unsigned char *)s;
	long total = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp = u[i];
		size_t len = 1;
		if (cp >= 0xF0) {
			cp = 0xFFFD; /* drawn as U+FFFD (bmp_only) */
			while (i + len < n && len < 4 && (u[i + len] & 0xC0) == 0x80)
				len++;
		} else if (cp >= 0xE0 && i + 2 < n) {
			cp = ((cp & 0x0F) << 12) | ((u[i + 1] & 0x3FU) << 6) | (u[i + 2] & 0x3FU);
			len = 3;
		} else if (cp >= 0xC0 && i + 1 < n) {
			cp = ((cp & 0x1F) << 6) | (u[i + 1] & 0x3FU);
			len = 2;
		}
		uint16_t *w = &fs->widths[font][cp & 0xFFFF];
		if (*w == 0)
			*w = (uint16_t)(1 + HPDF_Font_GetUnicodeWidth(fs->f[font], (HPDF_UNICODE)cp));
		total += *w - 1;
		i += len;
	}
	return (double)total * size / 1000.0;
}

/* libharu 2.3.0 gives a UTF-8 font a ToUnicode CMap written with
 * "begincidrange", an operator a ToUnicode CMap may not use (poppler warns
 * "Invalid 'begincidrange' operator"; stricter text extractors, as records
 * systems use for indexing, find no text). libharu sets the CID of each
 * character to its Unicode value, so the right map is the identity from
 * CIDs to UTF-16: written here with bfrange, which every reader knows.
 * It also names the CIDFont's character collection "Identity-H" where the
 * PDF standard wants "Identity". */
static void fix_font_dicts(HPDF_Font font)
{
	HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	if (tu && tu->stream) {
		pep_buf b = PEP_BUF_INIT;
		pep_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		                 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		                 "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		                 "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
		/* Identity ranges by high byte (a bfrange may not cross one),
		 * leaving out the surrogates, at most 100 to a block. */
		unsigned his[256], n = 0;
		for (unsigned hi = 0; hi < 256; hi++)
			if (hi < 0xD8 || hi > 0xDF)
				his[n++] = hi;
		for (unsigned i = 0; i < n; i += 100) {
			unsigned k = n - i < 100 ? n - i : 100;
			pep_buf_printf(&b, "%u beginbfrange\n", k);
			for (unsigned j = i; j < i + k; j++)
				pep_buf_printf(&b, "<%02X00> <%02XFF> <%02X00>\n", his[j], his[j], his[j]);
			pep_buf_puts(&b, "endbfrange\n");
		}
		pep_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
		HPDF_MemStream_FreeData(tu->stream);
		HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)b.s, (HPDF_UINT)b.len);
		pep_buf_free(&b);
		HPDF_Dict_RemoveElement(tu, "CIDSystemInfo");
		HPDF_Dict_RemoveElement(tu, "CMapName");
		HPDF_Dict_RemoveElement(tu, "Type");
		HPDF_Dict_RemoveElement(tu, "WMode");
	}
	HPDF_Array desc = HPDF_Dict_GetItem(font, "DescendantFonts", HPDF_OCLASS_ARRAY);
	HPDF_Dict cid = desc ? HPDF_Array_GetItem(desc, 0, HPDF_OCLASS_DICT) : NULL;
	HPDF_Dict info = cid ? HPDF_Dict_GetItem(cid, "CIDSystemInfo", HPDF_OCLASS_DICT) : NULL;
	if (info)
		HPDF_Dict_Add(info, "Ordering", HPDF_String_New(font->mmgr, "Identity", NULL));
}

/* The file of the bold face that goes with a regular face given by path
 * ("X.ttf" -> "X-Bold.ttf", "X-Regular.ttf" -> "X-Bold.ttf"), or a copy of
 * path when there is none. Caller frees. */
static char *bold_for(const char *path)
{
	size_t n = strlen(path);
	if (n > 4 && strcmp(path + n - 4, ".ttf") == 0) {
		size_t stem = n - 4;
		if (stem > 8 && strncmp(path + stem - 8, "-Regular", 8) == 0)
			stem -= 8;
		char *b = xasprintf("%.*s-Bold.ttf", (int)stem, path);
		if (access(b, R_OK) == 0)
			return b;
		free(b);
	}
	return xstrdup(path);
}

typedef enum font_choice { FONT_SUBSET, FONT_FULL, FONT_GIVEN } font_choice;

/* Reads and checks (ttf.h) the fonts at reg and bold into ttf; libharu
 * 2.3.0 would read a malformed font outside its buffers. */
static bool font_check(const char *reg, const char *bold, pep_ttf *ttf[2], char **err)
{
	if (!(ttf[0] = pep_ttf_load(reg, err)))
		return false;
	ttf[1] = strcmp(reg, bold) == 0 ? ttf[0] : pep_ttf_load(bold, err);
	return ttf[1] != NULL;
}

/* Finds the two font files for a choice and checks them into ttf; false
 * with *err when missing or unusable. */
static bool font_files(font_choice c, const char *given, char **reg, char **bold, pep_ttf *ttf[2], char **err)
{
	*reg = *bold = NULL;
	switch (c) {
	case FONT_GIVEN:
		*reg = xstrdup(given);
		*bold = bold_for(given);
		return font_check(*reg, *bold, ttf, err);
	case FONT_SUBSET:
		*reg = pep_data_file("fonts/PepSans.ttf");
		*bold = pep_data_file("fonts/PepSans-Bold.ttf");
		if (*reg && *bold)
			return font_check(*reg, *bold, ttf, err);
		break;
	case FONT_FULL:
		if (access(DEJAVU_DIR "DejaVuSans.ttf", R_OK) == 0 && access(DEJAVU_DIR "DejaVuSans-Bold.ttf", R_OK) == 0) {
			*reg = xstrdup(DEJAVU_DIR "DejaVuSans.ttf");
			*bold = xstrdup(DEJAVU_DIR "DejaVuSans-Bold.ttf");
			return font_check(*reg, *bold, ttf, err);
		}
		break;
	}
	free(*reg);
	free(*bold);
	*reg = *bold = NULL;
	*err = xstrdup("cannot find a font: install Debian's fonts-dejavu-core (make deps does), or give one with --font FILE");
	return false;
}

/* ------------------------------------------------------------------ */
/* Formatting values                                                    */
/* ------------------------------------------------------------------ */

static bool has_text(pep_text t)
{
	return !pep_text_blank(t);
}

/* "30 January 2026", or NULL when there is no date. */
static const char *fmt_date(pep_datef d, char buf[32])
{
	if (d.d == PEP_NO_DAY)
		return NULL;
	pep_date_format_long(d.d, buf);
	return buf;
}

/* A decimal held in hundredths, with no more decimals than it needs. */
static const char *fmt_centi(pep_numf v, char buf[32])
{
	if (!v.set)
		return NULL;
	long long i = (long long)(v.v / 100), f = (long long)(v.v % 100);
	if (f == 0)
		snprintf(buf, 32, "%lld", i);
	else if (f % 10 == 0)
		snprintf(buf, 32, "%lld.%lld", i, f / 10);
	else
		snprintf(buf, 32, "%lld.%02lld", i, f);
	return buf;
}

static const char *fmt_int(pep_numf v, char buf[32])
{
	if (!v.set)
		return NULL;
	snprintf(buf, 32, "%lld", (long long)v.v);
	return buf;
}

static const char *fmt_time(pep_timef t, char buf[32])
{
	if (t.min < 0)
		return NULL;
	snprintf(buf, 32, "%02d:%02d", t.min / 60 % 100, t.min % 60);
	return buf;
}

static const char *label(const char *const *labels, pep_enumf e)
{
	const char *s = pep_enum_label(labels, e.v);
	return *s ? s : NULL;
}

/* ------------------------------------------------------------------ */
/* Building the document                                                */
/* ------------------------------------------------------------------ */

typedef struct outline_entry {
	const char *title;
	size_t page;
	double y;
} outline_entry;

typedef struct builder {
	pep_layout *l;
	const pep_model *m;
	const pep_pdf_options *o;
	const pep_diags *d;
	bool kv_open; /* a label/value table is open */
	outline_entry outline[8];
	size_t noutline;
} builder;

static const double kv_widths[] = {0.30, 0.70};

static void kv_end(builder *b)
{
	if (b->kv_open)
		pep_layout_table_end(b->l);
	b->kv_open = false;
}

/* A label/value row; nothing when the value is NULL or blank. */
static void kv(builder *b, const char *lab, const char *value)
{
	if (!value || pep_text_blank((pep_text){value, 0}))
		return;
	if (!b->kv_open) {
		pep_layout_table t = {2, kv_widths, NULL, 0};
		pep_layout_table_begin(b->l, &t);
		b->kv_open = true;
	}
	pep_span sl = {PEP_LAYOUT_BOLD, lab}, sv = {PEP_LAYOUT_REGULAR, value};
	pep_layout_cell cells[2] = {{&sl, 1}, {&sv, 1}};
	pep_layout_table_row(b->l, cells);
}

static void kv_text(builder *b, const char *lab, pep_text t)
{
	kv(b, lab, t.s);
}

static void kv_date(builder *b, const char *lab, pep_datef d)
{
	char buf[32];
	kv(b, lab, fmt_date(d, buf));
}

static void kv_enum(builder *b, const char *lab, const char *const *labels, pep_enumf e)
{
	kv(b, lab, label(labels, e));
}

/* A free-text field: its label in bold, then the text as written, across
 * the page. */
static void text_block(builder *b, const char *lab, pep_text t)
{
	if (!has_text(t))
		return;
	kv_end(b);
	pep_span sp[3] = {{PEP_LAYOUT_BOLD, lab}, {PEP_LAYOUT_REGULAR, "\n"}, {PEP_LAYOUT_REGULAR, t.s}};
	pep_layout_gap(b->l, 2);
	pep_layout_paragraph(b->l, sp, 3);
}

static void subheading(builder *b, const char *text)
{
	kv_end(b);
	pep_layout_subheading(b->l, text);
}

static void heading(builder *b, const char *text)
{
	kv_end(b);
	outline_entry *e = &b->outline[b->noutline++];
	e->title = text;
	e->page = pep_layout_heading(b->l, text, &e->y);
}

static void paragraph(builder *b, const char *text)
{
	kv_end(b);
	pep_span sp = {PEP_LAYOUT_REGULAR, text};
	pep_layout_paragraph(b->l, &sp, 1);
}

/* Joins "name (role)" and similar; NULL when both are blank. */
static const char *join2(pep_buf *buf, pep_text a, const char *open, pep_text c, const char *close)
{
	pep_buf_clear(buf);
	if (has_text(a))
		pep_buf_puts(buf, a.s);
	if (has_text(c)) {
		pep_buf_puts(buf, buf->len ? open : "");
		pep_buf_puts(buf, c.s);
		pep_buf_puts(buf, buf->len > strlen(c.s) ? close : "");
	}
	return buf->len ? pep_buf_str(buf) : NULL;
}

static void child_name(const pep_model *m, pep_buf *out)
{
	const pep_name *n = &m->a.personal.legal_name;
	if (has_text(n->given))
		pep_buf_puts(out, n->given.s);
	if (has_text(n->family)) {
		if (out->len)
			pep_buf_putc(out, ' ');
		pep_buf_puts(out, n->family.s);
	}
	if (!out->len && has_text(m->a.personal.preferred_name))
		pep_buf_puts(out, m->a.personal.preferred_name.s);
	if (!out->len)
		pep_buf_puts(out, "(name not recorded)");
}

/* A table row from plain strings (NULL shows as empty). */
static void row(builder *b, size_t n, const char *const *cells)
{
	pep_span sp[8];
	pep_layout_cell c[8];
	for (size_t i = 0; i < n && i < 8; i++) {
		sp[i] = (pep_span){PEP_LAYOUT_REGULAR, cells[i] ? cells[i] : ""};
		c[i] = (pep_layout_cell){&sp[i], 1};
	}
	pep_layout_table_row(b->l, c);
}

static void table_begin(builder *b, size_t n, const double *widths, const char *const *headers)
{
	kv_end(b);
	pep_layout_table t = {n, widths, headers, -1};
	pep_layout_table_begin(b->l, &t);
}

/* The diagnostics that keep the PEP from being signed off. */
static bool failing(const pep_diag *g, bool strict)
{
	return g->severity == PEP_ERROR || (strict && g->severity == PEP_WARNING);
}

size_t pep_pdf_failures(const pep_diags *d, bool strict)
{
	size_t n = 0;
	for (size_t i = 0; d && i < pep_diags_count(d); i++)
		n += failing(pep_diags_at(d, i), strict);
	return n;
}

/* The title block and the notices of the first page. */
static void build_title(builder *b)
{
	const pep_model *m = b->m;
	pep_buf name = PEP_BUF_INIT, tmp = PEP_BUF_INIT;
	char d1[32];
	pep_layout_title(b->l, "Personal Education Plan", 20);
	pep_buf_printf(&tmp, "%s", label(pep_kind_labels, m->header.kind) ? label(pep_kind_labels, m->header.kind) : "PEP");
	if (has_text(m->header.la.name))
		pep_buf_printf(&tmp, " — %s", m->header.la.name.s);
	pep_layout_title(b->l, pep_buf_str(&tmp), 12);
	pep_layout_gap(b->l, 8);

	child_name(m, &name);
	if (has_text(m->a.personal.preferred_name))
		pep_buf_printf(&name, " (known as %s)", m->a.personal.preferred_name.s);
	kv(b, "Child or young person", pep_buf_str(&name));
	kv_date(b, "Date of birth", m->a.personal.dob);
	kv_text(b, "LA child ID", m->a.personal.la_child_id);
	if (pep_model_has_school(m))
		kv_text(b, "School or setting", m->a.school.name);
	else if (m->a.no_provision.hdr.present)
		kv(b, "School or setting", "No educational provision");
	kv_enum(b, "Year group", pep_year_labels, (pep_enumf){pep_model_year(m), 0});
	pep_buf_clear(&tmp);
	if (fmt_date(m->d.date, d1)) {
		char t[32];
		pep_buf_puts(&tmp, d1);
		if (fmt_time(m->d.start, t))
			pep_buf_printf(&tmp, " at %s", t);
	}
	kv(b, "PEP meeting", tmp.len ? pep_buf_str(&tmp) : NULL);
	kv_end(b);

	if (b->o->child_copy) {
		pep_span sp[2] = {{PEP_LAYOUT_BOLD, "This is the child's copy. "},
		                  {PEP_LAYOUT_REGULAR, "It leaves out the sensitive social-care detail held in the full PEP: "
		                                       PEP_PDF_CHILD_OMITS "."}};
		pep_layout_notice(b->l, sp, 2, CHILD_FILL, NAVY);
	}
	size_t nfail = pep_pdf_failures(b->d, b->o->strict);
	if (nfail) {
		pep_buf msg = PEP_BUF_INIT;
		pep_buf_printf(&msg, "This PEP does not meet %zu of the rules it was checked against, so it cannot be signed "
		                     "off as it is. Fix these and render it again:",
		               nfail);
		size_t shown = 0;
		for (size_t i = 0; i < pep_diags_count(b->d); i++) {
			const pep_diag *g = pep_diags_at(b->d, i);
			if (!failing(g, b->o->strict))
				continue;
			if (shown == 25) {
				pep_buf_printf(&msg, "\nand %zu more: run pep validate on the file to see them all", nfail - shown);
				break;
			}
			pep_buf_printf(&msg, "\n[%s] %s", g->rule, g->message);
			shown++;
		}
		char head[64];
		snprintf(head, sizeof head, "NOT SIGNED OFF — %zu error%s. ", nfail, nfail == 1 ? "" : "s");
		pep_span sp[2] = {{PEP_LAYOUT_BOLD, head}, {PEP_LAYOUT_REGULAR, pep_buf_str(&msg)}};
		pep_layout_notice(b->l, sp, 2, ERROR_FILL, RED);
		pep_buf_free(&msg);
	}

	/* The document's own record: LA, kind, state and history. */
	subheading(b, "About this PEP");
	pep_buf_clear(&tmp);
	kv(b, "Local authority", join2(&tmp, m->header.la.name, " (code ", m->header.la.code, ")"));
	kv_enum(b, "PEP kind", pep_kind_labels, m->header.kind);
	kv_enum(b, "Form state", pep_form_state_labels, m->header.form_state);
	kv_end(b);
	if (m->header.state_history.changes.n) {
		static const double w[] = {0.22, 0.22, 0.56};
		static const char *const h[] = {"State", "Date", "By"};
		table_begin(b, 3, w, h);
		for (size_t i = 0; i < m->header.state_history.changes.n; i++) {
			const pep_state_change *c = &m->header.state_history.changes.v[i];
			const char *cells[3] = {label(pep_form_state_labels, c->state), fmt_date(c->date, d1), c->by.s};
			row(b, 3, cells);
		}
		pep_layout_table_end(b->l);
	}
	if (m->header.history.meetings.n) {
		/* One line of dates: the history can be long, and is context. */
		pep_buf_clear(&tmp);
		for (size_t i = 0; i < m->header.history.meetings.n; i++) {
			const pep_prev_meeting *p = &m->header.history.meetings.v[i];
			const char *k = label(pep_meeting_kind_labels, p->kind);
			if (!fmt_date(p->date, d1) && !k)
				continue;
			pep_buf_printf(&tmp, "%s%s", tmp.len ? "; " : "", fmt_date(p->date, d1) ? d1 : "undated");
			if (k)
				pep_buf_printf(&tmp, " (%s)", k);
		}
		kv(b, "Earlier PEP meetings", tmp.len ? pep_buf_str(&tmp) : NULL);
		kv_end(b);
	}
	pep_buf_free(&name);
	pep_buf_free(&tmp);
}

static void build_a(builder *b)
{
	const pep_model *m = b->m;
	const pep_section_a *a = &m->a;
	pep_buf tmp = PEP_BUF_INIT;
	char d1[32];
	heading(b, "Section A — Essential pupil information");

	subheading(b, "Personal details");
	kv_text(b, "Given names", a->personal.legal_name.given);
	kv_text(b, "Family name", a->personal.legal_name.family);
	kv_text(b, "Preferred name", a->personal.preferred_name);
	kv_date(b, "Date of birth", a->personal.dob);
	kv_text(b, "Gender", a->personal.gender);
	kv_text(b, "UPN", a->personal.upn);
	kv_text(b, "LA child ID", a->personal.la_child_id);
	kv_text(b, "First language", a->personal.first_language);
	kv_text(b, "Ethnicity", a->personal.ethnicity);

	if (a->care.hdr.present) {
		const pep_care *c = &a->care;
		subheading(b, "Care");
		kv_date(b, "Became looked after", c->became_lac);
		kv_enum(b, "Placement", pep_placement_labels, c->placement);
		kv_text(b, "Legal status", c->legal_status);
		kv_text(b, "Placement type", c->placement_type);
		kv_date(b, "Care plan dated", c->care_plan_date);
		pep_buf_clear(&tmp);
		for (size_t i = 0; i < c->reviews.held.n; i++) {
			if (fmt_date(c->reviews.held.v[i], d1))
				pep_buf_printf(&tmp, "%s%s", tmp.len ? ", " : "", d1);
		}
		kv(b, "Looked After Reviews held", tmp.len ? pep_buf_str(&tmp) : NULL);
		kv_date(b, "Next Looked After Review", c->reviews.next);
		kv_end(b);
		if (c->carer.hdr.present || c->social_worker.hdr.present || c->iro.hdr.present) {
			static const double w[] = {0.13, 0.19, 0.21, 0.14, 0.33};
			static const char *const h[] = {"Who", "Name", "Relationship or team", "Phone", "Email"};
			table_begin(b, 5, w, h);
			if (c->carer.hdr.present) {
				const char *r[5] = {"Carer", c->carer.name.s, c->carer.relationship.s, c->carer.phone.s,
				                    c->carer.email.s};
				row(b, 5, r);
			}
			if (c->social_worker.hdr.present) {
				const char *r[5] = {"Social worker", c->social_worker.name.s, c->social_worker.team.s,
				                    c->social_worker.phone.s, c->social_worker.email.s};
				row(b, 5, r);
			}
			if (c->iro.hdr.present) {
				const char *r[5] = {"Independent reviewing officer (IRO)", c->iro.name.s, "", c->iro.phone.s,
				                    c->iro.email.s};
				row(b, 5, r);
			}
			pep_layout_table_end(b->l);
		}
		if (!b->o->child_copy) {
			text_block(b, "Parental responsibility", c->parental_responsibility);
			text_block(b, "Contact arrangements", c->contact_arrangements);
			text_block(b, "History before care", c->pre_care_history);
		}
	}

	if (pep_model_has_school(m)) {
		const pep_school *s = &a->school;
		subheading(b, "School or setting");
		kv_text(b, "School or setting", s->name);
		kv_text(b, "URN", s->urn);
		kv(b, "LA the school is in", join2(&tmp, s->school_la.name, " (code ", s->school_la.code, ")"));
		kv_enum(b, "Year group", pep_year_labels, s->year);
		kv_date(b, "Started at this school", s->start);
		kv_enum(b, "Full-time", pep_yesno_labels, s->full_time);
		kv_text(b, "Designated teacher", s->dt.name);
		kv_text(b, "Designated teacher's email", s->dt.email);
		kv_text(b, "Designated teacher's phone", s->dt.phone);
		kv_enum(b, "Qualified teacher", pep_yesno_labels, s->dt.qualified);
	} else if (a->no_provision.hdr.present) {
		const pep_no_provision *np = &a->no_provision;
		subheading(b, "No educational provision");
		kv_enum(b, "Year group", pep_year_labels, np->year);
		kv_date(b, "Without provision since", np->since);
		text_block(b, "Why there is no provision", np->reason);
		text_block(b, "Action plan", np->action_plan);
		text_block(b, "Current situation", np->current_situation);
	}

	if (a->health.hdr.present) {
		const pep_health *h = &a->health;
		subheading(b, "Health and emotional wellbeing");
		if (!b->o->child_copy) {
			text_block(b, "Health issues affecting education", h->health_issues);
			text_block(b, "Emotional wellbeing", h->wellbeing);
			char n[32];
			kv(b, "SDQ score (0–40)", fmt_int(h->sdq.score, n));
			kv_date(b, "SDQ date", h->sdq.date);
			kv_text(b, "SDQ completed by", h->sdq.completed_by);
		} else {
			paragraph(b, "Left out of the child's copy.");
		}
		kv_text(b, "Section completed by", h->completed_by);
	}
	kv_end(b);
	pep_buf_free(&tmp);
}

static void build_b(builder *b)
{
	const pep_section_b *s = &b->m->b;
	pep_buf tmp = PEP_BUF_INIT;
	char d1[32], d2[32], n[32];
	heading(b, "Section B — Education information");

	if (s->attendance.hdr.present) {
		subheading(b, "Attendance");
		pep_buf_clear(&tmp);
		if (fmt_centi(s->attendance.percentage, n))
			pep_buf_printf(&tmp, "%s %%", n);
		kv(b, "Attendance", tmp.len ? pep_buf_str(&tmp) : NULL);
		pep_buf_clear(&tmp);
		if (fmt_date(s->attendance.from, d1))
			pep_buf_printf(&tmp, "from %s", d1);
		if (fmt_date(s->attendance.to, d2))
			pep_buf_printf(&tmp, "%sto %s", tmp.len ? " " : "", d2);
		kv(b, "Period covered", tmp.len ? pep_buf_str(&tmp) : NULL);
		kv(b, "Unauthorised absences", fmt_int(s->attendance.unauthorised, n));
	}

	if (s->conduct.s) {
		subheading(b, "Conduct");
		text_block(b, "Conduct record", s->conduct);
	}

	if (s->reduced.hdr.present) {
		subheading(b, "Reduced timetable or personalised package");
		kv_enum(b, "Reduced timetable in place", pep_yesno_labels, s->reduced.in_place);
		kv_enum(b, "Personalised package", pep_yesno_labels, s->reduced.personalised);
		pep_buf_clear(&tmp);
		if (fmt_centi(s->reduced.hours, n))
			pep_buf_printf(&tmp, "%s hours", n);
		kv(b, "Hours per week", tmp.len ? pep_buf_str(&tmp) : NULL);
		kv_date(b, "Review date", s->reduced.review);
		text_block(b, "Reason", s->reduced.reason);
		text_block(b, "Plan to return to full time", s->reduced.plan);
	}

	if (s->exclusions.hdr.present) {
		subheading(b, "Exclusions");
		if (s->exclusions.items.n == 0) {
			paragraph(b, "None recorded.");
		} else {
			static const double w[] = {0.16, 0.14, 0.08, 0.31, 0.31};
			static const char *const h[] = {"Date", "Kind", "Days", "Reason", "Education and support put in place"};
			table_begin(b, 5, w, h);
			for (size_t i = 0; i < s->exclusions.items.n; i++) {
				const pep_exclusion *e = &s->exclusions.items.v[i];
				const char *r[5] = {fmt_date(e->date, d1), label(pep_exclusion_kind_labels, e->kind),
				                    fmt_centi(e->days, n), e->reason.s, e->provision.s};
				row(b, 5, r);
			}
			pep_layout_table_end(b->l);
		}
	}

	if (s->prev_schools.hdr.present) {
		subheading(b, "Previous schools and settings");
		if (s->prev_schools.items.n == 0) {
			paragraph(b, s->prev_schools.none.v == PEP_YES ? "None: no previous school or setting."
			                                               : "None recorded.");
		} else {
			static const double w[] = {0.27, 0.15, 0.15, 0.31, 0.12};
			static const char *const h[] = {"School or setting (URN)", "From", "To", "Reason for leaving",
			                                "Before care"};
			table_begin(b, 5, w, h);
			for (size_t i = 0; i < s->prev_schools.items.n; i++) {
				const pep_prev_school *p = &s->prev_schools.items.v[i];
				const char *r[5] = {join2(&tmp, p->name, " (URN ", p->urn, ")"), fmt_date(p->from, d1),
				                    fmt_date(p->to, d2), p->reason.s, label(pep_yesno_labels, p->before_care)};
				row(b, 5, r);
			}
			pep_layout_table_end(b->l);
		}
	}

	if (s->attainment.hdr.present) {
		subheading(b, "Attainment and progress");
		kv_date(b, "Data as at", s->attainment.data_date);
		kv_end(b);
		if (s->attainment.subjects.n) {
			static const double w[] = {0.17, 0.15, 0.20, 0.17, 0.15, 0.16};
			static const char *const h[] = {"Subject", "Assessed", "Current attainment", "Expected for age",
			                                "Target", "Progress"};
			table_begin(b, 6, w, h);
			for (size_t i = 0; i < s->attainment.subjects.n; i++) {
				const pep_subject *p = &s->attainment.subjects.v[i];
				const char *r[6] = {p->name.s, fmt_date(p->assessed, d1), p->current.s, p->expected.s,
				                    p->target.s, label(pep_progress_labels, p->progress)};
				row(b, 6, r);
			}
			pep_layout_table_end(b->l);
		}
	}

	if (s->sen.hdr.present) {
		subheading(b, "Special educational needs");
		kv_enum(b, "SEN status", pep_sen_status_labels, s->sen.status);
		kv_enum(b, "Primary need", pep_sen_need_labels, s->sen.need);
		kv_date(b, "EHC plan annual review", s->sen.annual_review);
		text_block(b, "Details", s->sen.details);
	}

	if (has_text(s->extra_support)) {
		subheading(b, "Extra support in place");
		paragraph(b, s->extra_support.s);
	}

	if (s->plan1419.hdr.present) {
		subheading(b, "14–19 plan: education, employment and training");
		text_block(b, "Aspirations", s->plan1419.aspirations);
		text_block(b, "Careers advice", s->plan1419.careers_advice);
		text_block(b, "Options", s->plan1419.options);
		kv_text(b, "Completed by", s->plan1419.completed_by);
		kv_date(b, "Date", s->plan1419.date);
	}

	if (s->post16.hdr.present) {
		const pep_post16 *p = &s->post16;
		subheading(b, "Post-16");
		kv_enum(b, "Participation", pep_participation_labels, p->participation);
		kv_text(b, "Setting", p->setting);
		kv_text(b, "Course", p->course);
		pep_buf_clear(&tmp);
		if (fmt_centi(p->hours, n))
			pep_buf_printf(&tmp, "%s hours", n);
		kv(b, "Hours per week", tmp.len ? pep_buf_str(&tmp) : NULL);
		pep_buf_clear(&tmp);
		if (fmt_int(p->weeks, n))
			pep_buf_printf(&tmp, "%s weeks", n);
		kv(b, "Course length", tmp.len ? pep_buf_str(&tmp) : NULL);
		kv_enum(b, "16–19 bursary considered", pep_yesno_labels, p->bursary.considered);
		kv_enum(b, "16–19 bursary awarded", pep_yesno_labels, p->bursary.awarded);
		text_block(b, "Bursary notes", p->bursary.notes);
		text_block(b, "NEET support plan", p->neet_plan);
	}
	kv_end(b);
	pep_buf_free(&tmp);
}

static void build_c(builder *b)
{
	const pep_section_c *c = &b->m->c;
	pep_buf tmp = PEP_BUF_INIT;
	heading(b, "Section C — The young person's views");
	text_block(b, "What I enjoy", c->enjoys);
	text_block(b, "What I find hard", c->finds_hard);
	text_block(b, "What helps me learn", c->helps);
	text_block(b, "What I hope for", c->hopes);
	text_block(b, "What I want from this meeting", c->wants);
	pep_layout_gap(b->l, 4);
	kv(b, "Views completed with", join2(&tmp, c->completed_with.name, " (", c->completed_with.role, ")"));
	kv_date(b, "Date", c->date);
	kv_enum(b, "SEN pupil view form used", pep_yesno_labels, c->sen_form);
	kv_enum(b, "Attended the meeting", pep_child_attendance_labels, c->attended);
	kv_enum(b, "Chose to chair the meeting", pep_yesno_labels, c->chair);
	kv(b, "Adult nominated to speak for them", join2(&tmp, c->nominated.name, " (", c->nominated.role, ")"));
	kv_enum(b, "Wants a copy of the PEP", pep_yesno_labels, c->wants_copy);
	kv_end(b);
	pep_buf_free(&tmp);
}

/* Appends "Label: value" as a new line of a rich cell. */
static void cell_line(pep_span *sp, size_t *n, const char *lab, const char *value)
{
	if (!value || pep_text_blank((pep_text){value, 0}))
		return;
	if (*n)
		sp[(*n)++] = (pep_span){PEP_LAYOUT_REGULAR, "\n"};
	if (lab)
		sp[(*n)++] = (pep_span){PEP_LAYOUT_BOLD, lab};
	sp[(*n)++] = (pep_span){PEP_LAYOUT_REGULAR, value};
}

static void build_targets(builder *b)
{
	const pep_targets *t = &b->m->d.targets;
	static const double w[] = {0.42, 0.33, 0.25};
	static const char *const h[] = {"Target", "Who helps, how and how often", "Pupil Premium Plus"};
	table_begin(b, 3, w, h);
	for (size_t i = 0; i < t->items.n; i++) {
		const pep_target *g = &t->items.v[i];
		char d1[32], d2[32], money[48], num[32];
		pep_span a[24], s2[12], s3[16];
		size_t na = 0, n2 = 0, n3 = 0;
		snprintf(num, sizeof num, "%zu. ", i + 1);
		a[na++] = (pep_span){PEP_LAYOUT_BOLD, num};
		a[na++] = (pep_span){PEP_LAYOUT_BOLD, label(pep_area_labels, g->area) ? label(pep_area_labels, g->area) : "Target"};
		cell_line(a, &na, NULL, g->description.text.s);
		if (label(pep_words_labels, g->description.words)) {
			a[na++] = (pep_span){PEP_LAYOUT_REGULAR, " ("};
			a[na++] = (pep_span){PEP_LAYOUT_REGULAR, label(pep_words_labels, g->description.words)};
			a[na++] = (pep_span){PEP_LAYOUT_REGULAR, ")"};
		}
		cell_line(a, &na, "Baseline: ", g->baseline.s);
		cell_line(a, &na, "Success: ", g->success.s);
		cell_line(a, &na, "By: ", fmt_date(g->deadline, d1));
		cell_line(s2, &n2, "Who: ", g->who.s);
		cell_line(s2, &n2, "How: ", g->how.s);
		cell_line(s2, &n2, "How often: ", g->how_often.s);
		if (g->pp.hdr.present) {
			if (g->pp.amount.set) {
				snprintf(money, sizeof money, "£%lld.%02lld", (long long)(g->pp.amount.v / 100),
				         (long long)(g->pp.amount.v % 100));
				cell_line(s3, &n3, "Amount: ", money);
			}
			cell_line(s3, &n3, "Buys: ", g->pp.buys.s);
			cell_line(s3, &n3, "Decision: ", label(pep_decision_labels, g->pp.decision));
			cell_line(s3, &n3, "Decided by: ", g->pp.decided_by.s);
			cell_line(s3, &n3, "On: ", fmt_date(g->pp.decision_date, d2));
		}
		if (!n3)
			cell_line(s3, &n3, NULL, "None requested");
		pep_layout_cell cells[3] = {{a, na}, {s2, n2}, {s3, n3}};
		pep_layout_table_row(b->l, cells);
	}
	pep_layout_table_end(b->l);
}

static void build_d(builder *b)
{
	const pep_section_d *d = &b->m->d;
	pep_buf tmp = PEP_BUF_INIT;
	char d1[32], t1[32];
	heading(b, "Section D — The PEP meeting");
	kv_date(b, "Date", d->date);
	kv(b, "Start time", fmt_time(d->start, t1));
	kv_text(b, "Place", d->place);
	kv_text(b, "Chair", d->chair);
	kv_enum(b, "Kind of meeting", pep_meeting_kind_labels, d->kind);
	kv_enum(b, "Social worker confirmed section A", pep_yesno_labels, d->sw_confirmed);
	kv_end(b);

	if (d->attendees.items.n) {
		subheading(b, "Who was invited");
		static const double w[] = {0.25, 0.25, 0.33, 0.17};
		static const char *const h[] = {"Name", "Role", "Organisation", "Attendance"};
		table_begin(b, 4, w, h);
		for (size_t i = 0; i < d->attendees.items.n; i++) {
			const pep_attendee *a = &d->attendees.items.v[i];
			const char *r[4] = {a->name.s, label(pep_role_labels, a->role), a->organisation.s,
			                    label(pep_attendee_status_labels, a->status)};
			row(b, 4, r);
		}
		pep_layout_table_end(b->l);
	}

	if (has_text(d->summary) || has_text(d->carers_views) || has_text(d->childs_views_used)) {
		subheading(b, "The meeting");
		text_block(b, "Summary", d->summary);
		text_block(b, "The carer's views", d->carers_views);
		text_block(b, "How the child's views were used", d->childs_views_used);
	}

	if (d->prev_targets.items.n) {
		subheading(b, "Review of the previous targets");
		static const double w[] = {0.15, 0.35, 0.14, 0.36};
		static const char *const h[] = {"Area", "Target", "Outcome", "Comment"};
		table_begin(b, 4, w, h);
		for (size_t i = 0; i < d->prev_targets.items.n; i++) {
			const pep_prev_target *p = &d->prev_targets.items.v[i];
			const char *r[4] = {label(pep_area_labels, p->area), p->description.s, label(pep_outcome_labels, p->outcome),
			                    p->comment.s};
			row(b, 4, r);
		}
		pep_layout_table_end(b->l);
	}

	if (d->targets.items.n) {
		subheading(b, "New targets");
		build_targets(b);
	}

	if (d->actions.items.n) {
		subheading(b, "Actions for adults");
		static const double w[] = {0.48, 0.26, 0.16, 0.10};
		static const char *const h[] = {"Action", "Who", "Due", "Done"};
		table_begin(b, 4, w, h);
		for (size_t i = 0; i < d->actions.items.n; i++) {
			const pep_action *a = &d->actions.items.v[i];
			pep_text owner = {label(pep_owner_labels, a->owner), 0};
			const char *r[4] = {a->description.s, join2(&tmp, a->owner_name, " (", owner, ")"), fmt_date(a->due, d1),
			                    label(pep_yesno_labels, a->done)};
			row(b, 4, r);
		}
		pep_layout_table_end(b->l);
	}

	if (d->next.hdr.present) {
		subheading(b, "Next PEP meeting");
		kv_date(b, "Date", d->next.date);
		kv(b, "Time", fmt_time(d->next.time, t1));
	}

	const pep_signoff *s = &d->signoff;
	if (s->hdr.present) {
		subheading(b, "Sign-off");
		if (s->sections.n) {
			static const double w[] = {0.18, 0.57, 0.25};
			static const char *const h[] = {"Section", "Marked complete by", "Date"};
			table_begin(b, 3, w, h);
			for (size_t i = 0; i < s->sections.n; i++) {
				const pep_completion *c = &s->sections.v[i];
				const char *r[3] = {label(pep_section_labels, c->section), c->by.s, fmt_date(c->date, d1)};
				row(b, 3, r);
			}
			pep_layout_table_end(b->l);
		}
		kv_text(b, "Quality assured by", s->qa.by);
		kv_date(b, "Quality assured on", s->qa.date);
		kv_enum(b, "Quality grade", pep_qa_grade_labels, s->qa.grade);
		kv_text(b, "Uploaded to", s->upload.system);
		kv_date(b, "Uploaded on", s->upload.date);
		kv_text(b, "Uploaded by", s->upload.by);
	}
	kv_end(b);
	pep_buf_free(&tmp);
}

static void build_attachments(builder *b)
{
	const pep_attachments *at = &b->m->attachments;
	if (!at->items.n)
		return;
	heading(b, "Attached documents");
	static const double w[] = {0.45, 0.2, 0.35};
	static const char *const h[] = {"Document", "Kind", "Where it is"};
	table_begin(b, 3, w, h);
	for (size_t i = 0; i < at->items.n; i++) {
		const pep_attachment *a = &at->items.v[i];
		const char *r[3] = {a->name.s, label(pep_attachment_kind_labels, a->kind), a->ref.s};
		row(b, 3, r);
	}
	pep_layout_table_end(b->l);
}

/* ------------------------------------------------------------------ */
/* Painting                                                             */
/* ------------------------------------------------------------------ */

static void set_fill(HPDF_Page p, uint32_t rgb)
{
	HPDF_Page_SetRGBFill(p, (HPDF_REAL)((rgb >> 16) & 0xFF) / 255, (HPDF_REAL)((rgb >> 8) & 0xFF) / 255,
	                     (HPDF_REAL)(rgb & 0xFF) / 255);
}

static void set_stroke(HPDF_Page p, uint32_t rgb)
{
	HPDF_Page_SetRGBStroke(p, (HPDF_REAL)((rgb >> 16) & 0xFF) / 255, (HPDF_REAL)((rgb >> 8) & 0xFF) / 255,
	                       (HPDF_REAL)(rgb & 0xFF) / 255);
}

static void text_at(HPDF_Page p, fonts *fs, int font, double size, double x, double y, uint32_t rgb, const char *s)
{
	HPDF_Font f = fs->f[font];
	mark_used(fs, font, s);
	HPDF_Page_BeginText(p);
	HPDF_Page_SetFontAndSize(p, f, (HPDF_REAL)size);
	set_fill(p, rgb);
	HPDF_Page_TextOut(p, (HPDF_REAL)x, (HPDF_REAL)(PAGE_H - y), s);
	HPDF_Page_EndText(p);
}

static double width_of(const fonts *fs, pep_layout_font f, double size, const char *s)
{
	return measure((void *)fs, f, size, s, strlen(s));
}

typedef struct page_marks {
	const char *child;     /* "Łukasz Wiśniewski" */
	const char *id_line;   /* "LA child ID KCC-1970442" */
	const char *generated; /* "Generated 23 November 2026 by pep 0.1.0" */
	const char *not_signed_off; /* "NOT SIGNED OFF — 2 errors", or NULL */
	bool child_copy;
} page_marks;

/* The header and footer of page i of n. */
static void paint_marks(HPDF_Page p, fonts *fs, const page_marks *mk, size_t i, size_t n)
{
	const char *marking = "OFFICIAL-SENSITIVE";
	double w = width_of(fs, PEP_LAYOUT_BOLD, 9, marking);
	text_at(p, fs, 1, 9, (PAGE_W - w) / 2, 30, INK, marking);
	pep_buf left = PEP_BUF_INIT;
	pep_buf_printf(&left, "Personal Education Plan%s: %s", mk->child_copy ? " (child's copy)" : "", mk->child);
	text_at(p, fs, 0, 8, MARGIN_X, 46, GREY, pep_buf_str(&left));
	pep_buf_free(&left);
	w = width_of(fs, PEP_LAYOUT_REGULAR, 8, mk->id_line);
	text_at(p, fs, 0, 8, PAGE_W - MARGIN_X - w, 46, GREY, mk->id_line);
	set_stroke(p, NAVY);
	HPDF_Page_SetLineWidth(p, 0.75);
	HPDF_Page_MoveTo(p, MARGIN_X, PAGE_H - 51);
	HPDF_Page_LineTo(p, PAGE_W - MARGIN_X, PAGE_H - 51);
	HPDF_Page_Stroke(p);
	if (mk->not_signed_off) {
		set_fill(p, RED);
		HPDF_Page_Rectangle(p, MARGIN_X, PAGE_H - 73, PAGE_W - 2 * MARGIN_X, 17);
		HPDF_Page_Fill(p);
		w = width_of(fs, PEP_LAYOUT_BOLD, 10, mk->not_signed_off);
		text_at(p, fs, 1, 10, (PAGE_W - w) / 2, 68.5, 0xFFFFFFU, mk->not_signed_off);
	}
	/* footer */
	set_stroke(p, NAVY);
	HPDF_Page_SetLineWidth(p, 0.5);
	HPDF_Page_MoveTo(p, MARGIN_X, 44);
	HPDF_Page_LineTo(p, PAGE_W - MARGIN_X, 44);
	HPDF_Page_Stroke(p);
	text_at(p, fs, 0, 7.5, MARGIN_X, PAGE_H - 32, GREY, mk->generated);
	char pg[64];
	snprintf(pg, sizeof pg, "Page %zu of %zu", i + 1, n);
	w = width_of(fs, PEP_LAYOUT_REGULAR, 8, pg);
	text_at(p, fs, 0, 8, PAGE_W - MARGIN_X - w, PAGE_H - 32, INK, pg);
	w = width_of(fs, PEP_LAYOUT_BOLD, 9, marking);
	text_at(p, fs, 1, 9, (PAGE_W - w) / 2, PAGE_H - 18, INK, marking);
}

/* Writes text with characters libharu cannot encode (outside the Basic
 * Multilingual Plane) replaced by U+FFFD; caller frees. */
static char *bmp_only(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0xF0) {
			size_t k = 1;
			while (k < 4 && i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80)
				k++;
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i += k;
		} else {
			out[o++] = s[i++];
		}
	}
	out[o] = '\0';
	return out;
}

/* Paints a page's display list: fills and text in order, then every rule
 * in as few paths as colours and widths allow (rules never overlap text or
 * lie under a fill, and fewer operators make a smaller content stream,
 * which is most of what compressing a PDF costs). */
static void paint_ops(HPDF_Page p, fonts *fs, const pep_layout_op *ops, size_t n)
{
	bool in_text = false;
	int cur_font = -1;
	double cur_size = 0;
	uint32_t cur_fill = 0xFFFFFFFFU;
	for (size_t i = 0; i < n; i++) {
		const pep_layout_op *op = &ops[i];
		if (op->kind == PEP_LAYOUT_RULE)
			continue;
		if (op->kind == PEP_LAYOUT_TEXT) {
			if (!in_text) {
				HPDF_Page_BeginText(p);
				in_text = true;
				cur_font = -1;
			}
			if ((int)op->font != cur_font || op->size != cur_size) {
				HPDF_Page_SetFontAndSize(p, fs->f[op->font], (HPDF_REAL)op->size);
				cur_font = (int)op->font;
				cur_size = op->size;
			}
			if (op->rgb != cur_fill) {
				set_fill(p, op->rgb);
				cur_fill = op->rgb;
			}
			char *s = bmp_only(op->s, op->n);
			mark_used(fs, (int)op->font, s);
			HPDF_Page_TextOut(p, (HPDF_REAL)op->x, (HPDF_REAL)(PAGE_H - op->y), s);
			free(s);
			continue;
		}
		if (in_text) {
			HPDF_Page_EndText(p);
			in_text = false;
		}
		if (op->rgb != cur_fill) {
			set_fill(p, op->rgb);
			cur_fill = op->rgb;
		}
		HPDF_Page_Rectangle(p, (HPDF_REAL)op->x, (HPDF_REAL)(PAGE_H - op->y - op->h), (HPDF_REAL)op->w,
		                    (HPDF_REAL)op->h);
		HPDF_Page_Fill(p);
	}
	if (in_text)
		HPDF_Page_EndText(p);

	/* The rules, one path per colour and width. */
	bool *done = xcalloc(n ? n : 1, sizeof *done);
	for (size_t i = 0; i < n; i++) {
		if (ops[i].kind != PEP_LAYOUT_RULE || done[i])
			continue;
		set_stroke(p, ops[i].rgb);
		HPDF_Page_SetLineWidth(p, (HPDF_REAL)ops[i].size);
		for (size_t k = i; k < n; k++) {
			const pep_layout_op *op = &ops[k];
			if (op->kind != PEP_LAYOUT_RULE || done[k] || op->rgb != ops[i].rgb || op->size != ops[i].size)
				continue;
			HPDF_Page_MoveTo(p, (HPDF_REAL)op->x, (HPDF_REAL)(PAGE_H - op->y));
			HPDF_Page_LineTo(p, (HPDF_REAL)(op->x + op->w), (HPDF_REAL)(PAGE_H - op->y - op->h));
			done[k] = true;
		}
		HPDF_Page_Stroke(p);
	}
	free(done);
}

/* The characters of the display list that their font has no glyph for
 * (drawn as an empty box, or outside the Basic Multilingual Plane as
 * U+FFFD), a bit per code point in a new array (caller frees); NULL when
 * there is none. */
static uint8_t *uncovered(const fonts *fs, const pep_layout *l)
{
	uint8_t *miss = NULL;
	for (size_t i = 0; i < pep_layout_pages(l); i++) {
		size_t n;
		const pep_layout_op *ops = pep_layout_page_ops(l, i, &n);
		for (size_t k = 0; k < n; k++) {
			if (ops[k].kind != PEP_LAYOUT_TEXT)
				continue;
			const unsigned char *s = (const unsigned char *)ops[k].s;
			for (size_t j = 0; j < ops[k].n;) {
				uint32_t cp = s[j];
				size_t len = 1;
				if (cp >= 0xF0 && j + 3 < ops[k].n) {
					cp = ((cp & 0x07) << 18) | ((s[j + 1] & 0x3FU) << 12) | ((s[j + 2] & 0x3FU) << 6) |
					     (s[j + 3] & 0x3FU);
					len = 4;
				} else if (cp >= 0xE0 && j + 2 < ops[k].n) {
					cp = ((cp & 0x0F) << 12) | ((s[j + 1] & 0x3FU) << 6) | (s[j + 2] & 0x3FU);
					len = 3;
				} else if (cp >= 0xC0 && j + 1 < ops[k].n) {
					cp = ((cp & 0x1F) << 6) | (s[j + 1] & 0x3FU);
					len = 2;
				}
				if (cp > 0x20 && cp < 0x110000 && pep_ttf_glyph(fs->ttf[ops[k].font], cp) == 0) {
					if (!miss)
						miss = xcalloc(0x110000 / 8, 1);
					miss[cp >> 3] |= (uint8_t)(1u << (cp & 7));
				}
				j += len;
			}
		}
	}
	return miss;
}

/* libharu 2.3.0 embeds the glyphs drawn and the parts of composite glyphs,
 * but not the parts of those parts (libharu issue #79): DejaVu Sans builds
 * ễ from e and a composite of its two marks, and the marks were lost. So
 * every part at any depth of every glyph libharu keeps is kept too, just
 * before saving. (The bundled fonts have no composites, build-aux/pepsans.py;
 * this is for the full DejaVu Sans and a font given with --font.) */
static void keep_parts(const fonts *fs, int f)
{
	HPDF_FontAttr attr = (HPDF_FontAttr)fs->f[f]->attr;
	HPDF_TTFontDefAttr tt = attr && attr->fontdef ? (HPDF_TTFontDefAttr)attr->fontdef->attr : NULL;
	if (tt && tt->glyph_tbl.flgs)
		pep_ttf_keep_parts(fs->ttf[f], tt->glyph_tbl.flgs, tt->num_glyphs);
}

/* ------------------------------------------------------------------ */
/* Document information, PDF/A                                          */
/* ------------------------------------------------------------------ */

static void xml_escape(pep_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': pep_buf_puts(b, "&amp;"); break;
		case '<': pep_buf_puts(b, "&lt;"); break;
		case '>': pep_buf_puts(b, "&gt;"); break;
		case '"': pep_buf_puts(b, "&quot;"); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				pep_buf_putc(b, *s);
		}
	}
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

typedef struct doc_info {
	const char *title, *subject, *author;
	struct tm created;
} doc_info;

/* XMP metadata, an sRGB output intent and a document id: what PDF/A-1b
 * asks beyond a plain PDF with embedded fonts. libharu's own
 * HPDF_PDFA_SetPDFAConformance() neither escapes XML nor makes a
 * reproducible id, so this writes them itself. */
static bool add_pdfa(HPDF_Doc pdf, const doc_info *di, const char *generator, size_t npages, char **err)
{
	char *icc = pep_data_file("icc/sRGB.icc");
	if (!icc && access(SRGB_ICC, R_OK) == 0)
		icc = xstrdup(SRGB_ICC);
	if (!icc) {
		*err = xstrdup("--pdfa needs an sRGB colour profile: install Debian's icc-profiles-free (make deps does)");
		return false;
	}
	HPDF_OutputIntent profile = HPDF_LoadIccProfileFromFile(pdf, icc, 3);
	free(icc);
	if (!profile) {
		*err = xstrdup("--pdfa: cannot load the sRGB colour profile");
		return false;
	}
	HPDF_Dict intent = HPDF_Dict_New(pdf->mmgr);
	HPDF_Xref_Add(pdf->xref, intent);
	HPDF_Dict_AddName(intent, "Type", "OutputIntent");
	HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
	HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL));
	HPDF_Dict_Add(intent, "Info", HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL));
	HPDF_Dict_Add(intent, "DestOutputProfile", profile);
	HPDF_Array intents = HPDF_Array_New(pdf->mmgr);
	HPDF_Array_Add(intents, intent);
	HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents);

	char date[32];
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &di->created);
	const char *producer = HPDF_GetInfoAttr(pdf, HPDF_INFO_PRODUCER);
	pep_buf x = PEP_BUF_INIT;
	pep_buf_puts(&x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	                 "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	                 "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
	                 "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
	                 "<dc:format>application/pdf</dc:format>\n"
	                 "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
	xml_escape(&x, di->title);
	pep_buf_puts(&x, "</rdf:li></rdf:Alt></dc:title>\n<dc:creator><rdf:Seq><rdf:li>");
	xml_escape(&x, di->author);
	pep_buf_puts(&x, "</rdf:li></rdf:Seq></dc:creator>\n<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
	xml_escape(&x, di->subject);
	pep_buf_puts(&x, "</rdf:li></rdf:Alt></dc:description>\n</rdf:Description>\n"
	                 "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
	                 "<xmp:CreatorTool>");
	xml_escape(&x, generator);
	pep_buf_printf(&x, "</xmp:CreatorTool>\n<xmp:CreateDate>%s</xmp:CreateDate>\n"
	                   "<xmp:ModifyDate>%s</xmp:ModifyDate>\n</rdf:Description>\n"
	                   "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n<pdf:Producer>",
	               date, date);
	xml_escape(&x, producer ? producer : "");
	pep_buf_puts(&x, "</pdf:Producer>\n</rdf:Description>\n"
	                 "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
	                 "<pdfaid:part>1</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n"
	                 "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
	HPDF_Dict meta = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (meta) {
		meta->filter = HPDF_STREAM_FILTER_NONE; /* PDF/A: metadata is never compressed */
		HPDF_Dict_AddName(meta, "Type", "Metadata");
		HPDF_Dict_AddName(meta, "Subtype", "XML");
		HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)x.s, (HPDF_UINT)x.len);
		HPDF_Dict_Add(pdf->catalog, "Metadata", meta);
	}
	pep_buf_free(&x);

	/* The document id: a hash of what identifies this rendering, so the
	 * same input gives the same bytes. */
	char pages[64];
	snprintf(pages, sizeof pages, "%zu|%s", npages, date);
	uint64_t h1 = fnv1a(fnv1a(fnv1a(0xcbf29ce484222325ULL, di->title), di->subject), pages);
	uint64_t h2 = fnv1a(fnv1a(h1 ^ 0x9e3779b97f4a7c15ULL, di->author), pages);
	HPDF_BYTE id[16];
	for (int i = 0; i < 8; i++) {
		id[i] = (HPDF_BYTE)(h1 >> (8 * i));
		id[8 + i] = (HPDF_BYTE)(h2 >> (8 * i));
	}
	HPDF_Array ids = HPDF_Array_New(pdf->mmgr);
	HPDF_Array_Add(ids, HPDF_Binary_New(pdf->mmgr, id, 16));
	HPDF_Array_Add(ids, HPDF_Binary_New(pdf->mmgr, id, 16));
	HPDF_Dict_Add(pdf->trailer, "ID", ids);
	pdf->pdf_version = HPDF_VER_14;
	return true;
}

/* ------------------------------------------------------------------ */
/* The whole render                                                     */
/* ------------------------------------------------------------------ */

/* One attempt with one choice of fonts. Returns 1 done, 0 failed (*err
 * set), -1 the fonts lack a character the document needs. */
static int render_with(const pep_model *m, const pep_diags *d, const pep_pdf_options *o, font_choice fc,
                       unsigned char **out, size_t *len, size_t *npages, char **err)
{
	haru_error he = {0, 0};
	HPDF_Doc pdf = NULL;
	pep_layout *l = NULL;
	char *reg = NULL, *bold = NULL;
	uint8_t *missing = NULL;
	pep_buf name = PEP_BUF_INIT, idl = PEP_BUF_INIT, gen = PEP_BUF_INIT, nso = PEP_BUF_INIT;
	pep_buf title = PEP_BUF_INIT, subject = PEP_BUF_INIT;
	fonts *fs = xcalloc(1, sizeof *fs);
	int result = 0;

	if (!font_files(fc, o->font, &reg, &bold, fs->ttf, err))
		goto out;
	pdf = HPDF_New(on_haru_error, &he);
	if (!pdf) {
		*err = xstrdup("cannot start libharu: out of memory");
		goto out;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	const char *names[2] = {HPDF_LoadTTFontFromFile(pdf, reg, HPDF_TRUE), NULL};
	names[1] = strcmp(reg, bold) == 0 ? names[0] : HPDF_LoadTTFontFromFile(pdf, bold, HPDF_TRUE);
	for (int i = 0; i < 2; i++)
		fs->f[i] = names[i] ? HPDF_GetFont(pdf, names[i], "UTF-8") : NULL;
	if (!fs->f[0] || !fs->f[1] || he.code) {
		haru_error e = he.code ? he : (haru_error){HPDF_TTF_INVALID_FOMAT, 0};
		char *what = xasprintf("loading the font %s", !fs->f[0] ? reg : bold);
		*err = haru_message(&e, what);
		free(what);
		goto out;
	}
	fix_font_dicts(fs->f[0]);
	if (fs->f[1] != fs->f[0])
		fix_font_dicts(fs->f[1]);

	/* Lay out. */
	bool marked = pep_pdf_failures(d, o->strict) > 0;
	pep_layout_geometry g = {PAGE_W, PAGE_H, MARGIN_X, MARGIN_X, marked ? 86 : 66, 58};
	l = pep_layout_new(&g, measure, fs);
	builder b = {l, m, o, d, false, {{0}}, 0};
	build_title(&b);
	build_a(&b);
	build_b(&b);
	build_c(&b);
	build_d(&b);
	build_attachments(&b);
	kv_end(&b);
	missing = uncovered(fs, l);
	if (fc == FONT_SUBSET && missing) {
		result = -1;
		goto out;
	}

	/* Paint. */
	child_name(m, &name);
	pep_buf_printf(&idl, "LA child ID %s",
	               has_text(m->a.personal.la_child_id) ? m->a.personal.la_child_id.s : "not recorded");
	char gd[32];
	pep_date_format_long(o->generated, gd);
	pep_buf_printf(&gen, "Generated %s by %s", gd, o->generator ? o->generator : "pep");
	size_t nfail = pep_pdf_failures(d, o->strict);
	if (nfail)
		pep_buf_printf(&nso, "NOT SIGNED OFF — %zu error%s", nfail, nfail == 1 ? "" : "s");
	page_marks mk = {pep_buf_str(&name), pep_buf_str(&idl), pep_buf_str(&gen), nfail ? pep_buf_str(&nso) : NULL,
	                 o->child_copy};
	size_t np = pep_layout_pages(l);
	HPDF_Page *pages = xcalloc(np, sizeof *pages);
	for (size_t i = 0; i < np && !he.code; i++) {
		HPDF_Page p = pages[i] = HPDF_AddPage(pdf);
		if (!p)
			break;
		HPDF_Page_SetWidth(p, (HPDF_REAL)PAGE_W);
		HPDF_Page_SetHeight(p, (HPDF_REAL)PAGE_H);
		paint_marks(p, fs, &mk, i, np);
		size_t n;
		const pep_layout_op *ops = pep_layout_page_ops(l, i, &n);
		paint_ops(p, fs, ops, n);
	}
	/* Cut each font's CID map to the characters drawn. */
	if (fs->f[1] == fs->f[0]) {
		for (size_t k = 0; k < sizeof fs->used[0]; k++)
			fs->used[0][k] |= fs->used[1][k];
		if (fs->max_used[1] > fs->max_used[0])
			fs->max_used[0] = fs->max_used[1];
	}
	trim_cid_map(fs, 0);
	keep_parts(fs, 0);
	if (fs->f[1] != fs->f[0]) {
		trim_cid_map(fs, 1);
		keep_parts(fs, 1);
	}
	/* Bookmarks for the sections. */
	HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");
	for (size_t i = 0; i < b.noutline && !he.code; i++) {
		HPDF_Outline ol = HPDF_CreateOutline(pdf, NULL, b.outline[i].title, utf8);
		HPDF_Destination dst = pages[b.outline[i].page] ? HPDF_Page_CreateDestination(pages[b.outline[i].page]) : NULL;
		if (ol && dst) {
			HPDF_Destination_SetFitH(dst, (HPDF_REAL)(PAGE_H - b.outline[i].y + 12));
			HPDF_Outline_SetDestination(ol, dst);
		}
	}
	free(pages);
	if (b.noutline)
		HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);

	/* Document information: no child's name here, only the LA child id
	 * (metadata travels into indexes and previews further than pages). */
	char md[32];
	pep_buf_printf(&title, "Personal Education Plan%s", o->child_copy ? " (child's copy)" : "");
	if (fmt_date(m->d.date, md))
		pep_buf_printf(&title, ", meeting of %s", md);
	pep_buf_printf(&subject, "%s for LA child ID %s",
	               label(pep_kind_labels, m->header.kind) ? label(pep_kind_labels, m->header.kind) : "PEP",
	               has_text(m->a.personal.la_child_id) ? m->a.personal.la_child_id.s : "not recorded");
	const char *author = has_text(m->header.la.name) ? m->header.la.name.s : "";
	HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, pep_buf_str(&title));
	HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, pep_buf_str(&subject));
	HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, author);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, o->generator ? o->generator : "pep");
	if (o->identity && pdf->info) /* what this PDF is, for the output policy (outfile.h) */
		HPDF_Dict_Add(pdf->info, PEP_IDENTITY_PDF_KEY, HPDF_String_New(pdf->mmgr, o->identity, NULL));
	time_t ct = (time_t)o->created;
	doc_info di = {pep_buf_str(&title), pep_buf_str(&subject), author, {0}};
	gmtime_r(&ct, &di.created);
	HPDF_Date hd = {di.created.tm_year + 1900, di.created.tm_mon + 1, di.created.tm_mday, di.created.tm_hour,
	                di.created.tm_min, di.created.tm_sec, 'Z', 0, 0};
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, hd);
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, hd);
	if (o->pdfa && !add_pdfa(pdf, &di, o->generator ? o->generator : "pep", np, err))
		goto out;
	if (he.code) {
		*err = haru_message(&he, "drawing the pages");
		goto out;
	}

	/* Save to memory and copy out. */
	if (HPDF_SaveToStream(pdf) != HPDF_OK || he.code) {
		*err = haru_message(&he, "writing the PDF");
		goto out;
	}
	HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
	unsigned char *buf = xmalloc(size ? size : 1);
	size_t got = 0;
	for (;;) {
		HPDF_UINT32 n = size - (HPDF_UINT32)got;
		if (n == 0)
			break;
		HPDF_STATUS st = HPDF_ReadFromStream(pdf, buf + got, &n);
		got += n;
		if (st != HPDF_OK || n == 0)
			break;
	}
	if (he.code || got != size) {
		free(buf);
		*err = haru_message(&he, "reading the PDF back from memory");
		goto out;
	}
	*out = buf;
	*len = got;
	*npages = np;
	result = 1;
	for (uint32_t cp = 0; missing && o->missing && cp < 0x110000; cp++)
		if (missing[cp >> 3] & (1u << (cp & 7)))
			o->missing(o->missing_ctx, cp);
out:
	free(missing);
	if (fs->ttf[1] != fs->ttf[0])
		pep_ttf_free(fs->ttf[1]);
	pep_ttf_free(fs->ttf[0]);
	free(fs);
	pep_layout_free(l);
	if (pdf)
		HPDF_Free(pdf);
	free(reg);
	free(bold);
	pep_buf_free(&name);
	pep_buf_free(&idl);
	pep_buf_free(&gen);
	pep_buf_free(&nso);
	pep_buf_free(&title);
	pep_buf_free(&subject);
	return result;
}

bool pep_pdf_render(const pep_model *m, const pep_diags *d, const pep_pdf_options *o, unsigned char **out,
                    size_t *len, size_t *pages, char **err)
{
	*out = NULL;
	*len = 0;
	*pages = 0;
	*err = NULL;
	if (o->font)
		return render_with(m, d, o, FONT_GIVEN, out, len, pages, err) == 1;
	char *ignored = NULL;
	int r = render_with(m, d, o, FONT_SUBSET, out, len, pages, &ignored);
	if (r == 1)
		return true;
	free(ignored);
	/* The subset is missing, or lacks a character: the full font. */
	return render_with(m, d, o, FONT_FULL, out, len, pages, err) == 1;
}
