/* pdf.c: a document's pages as a PDF (see pdf.h). The only module that
 * calls libharu.
 *
 * Three steps: choose the fonts (the bundled subset, or the full DejaVu
 * Sans when the document needs a character the subset lacks), lay the
 * document out (layout.h breaks lines and pages), then paint each page's
 * display list with libharu, adding the header and footer that need the
 * page count. The PDF is saved to libharu's memory stream and copied out. */
#include "pdf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>
#include <zlib.h>

#include "document.h"
#include "layout.h"
#include "outfile.h"
#include "paths.h"
#include "strbuf.h"
#include "ttf.h"
#include "xalloc.h"

#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN_X 48.0
/* The longest string drawn at once (libharu takes at most 65,535 bytes). */
#define TEXT_CHUNK 16384

#define INK 0x1A1A1AU
#define GREY 0x55606BU
#define NAVY 0x1F3A5FU
#define RED 0xB00020U

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

typedef enum font_choice { FONT_SUBSET, FONT_FULL, FONT_GIVEN, NCHOICES } font_choice;

/* Read and checked once for every document of a run (ttf.h); never
 * changed after, so every thread's writer reads the same. */
struct pep_pdf_fonts {
	pep_ttf *f[NCHOICES][2];  /* regular, bold (NULL: the regular face); NULL when that choice is not there */
	char *files[NCHOICES][2]; /* the files they were read from (NULL: none) */
	uint8_t cover[NCHOICES][8192]; /* the code points both faces have a glyph for, as bits */
};

/* One libharu document, reused for every PDF set in one choice of fonts:
 * HPDF_NewDoc() clears the document but keeps the fonts it has read, so
 * each font is parsed once per writer, not once per PDF. */
typedef struct engine {
	HPDF_Doc pdf;
	haru_error he;             /* what libharu reported (the error handler's user data) */
	HPDF_FontDef def[2];       /* regular, bold (def[1] == def[0] when there is no bold) */
	const pep_ttf *ttf[2];     /* the same faces, read by ttf.h */
	const uint8_t *cover;      /* the choice's pep_pdf_fonts.cover */
	uint16_t widths[2][65536]; /* 1 + a character's width, 0 until looked up */
} engine;

struct pep_pdf_writer {
	const pep_pdf_fonts *fonts;
	engine *e[NCHOICES]; /* made when first needed */
};

/* One PDF's fonts. */
typedef struct fonts {
	engine *e;
	HPDF_Font f[2];        /* regular, bold */
	uint8_t used[2][8192]; /* the code points (= CIDs) drawn in each, as bits */
	uint32_t max_used[2];
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

/* libharu's HPDF_GetFont looks every one of the 65,536 characters up in
 * the font's cmap (segment by segment) to make a CID-to-glyph map and the
 * widths of every character, on every PDF: a tenth of all the time. Both
 * are cut to the characters drawn anyway (trim_cid_map, set_widths), so the
 * font is made with a cmap of one empty segment in its place. */
static HPDF_Font get_font(HPDF_Doc pdf, HPDF_FontDef def)
{
	static const HPDF_UINT16 ffff[1] = {0xFFFF}, none[1] = {0};
	static const HPDF_INT16 one[1] = {1}; /* 0xFFFF + 1: glyph 0 */
	HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
	HPDF_TTF_CmapRange saved = tt->cmap;
	tt->cmap.format = 4;
	tt->cmap.seg_count_x2 = 2;
	tt->cmap.end_count = (HPDF_UINT16 *)ffff;
	tt->cmap.start_count = (HPDF_UINT16 *)ffff;
	tt->cmap.id_delta = (HPDF_INT16 *)one;
	tt->cmap.id_range_offset = (HPDF_UINT16 *)none;
	tt->cmap.glyph_id_array = NULL;
	tt->cmap.glyph_id_array_count = 0;
	HPDF_Font f = HPDF_GetFont(pdf, def->base_font, "UTF-8");
	tt->cmap = saved;
	return f;
}

/* The widths of the characters drawn in font f (its W array), those that
 * differ from the font's default width, in runs of consecutive CIDs. */
static void set_widths(const fonts *fs, int f)
{
	HPDF_FontAttr attr = (HPDF_FontAttr)fs->f[f]->attr;
	HPDF_Array desc = HPDF_Dict_GetItem(fs->f[f], "DescendantFonts", HPDF_OCLASS_ARRAY);
	HPDF_Dict cid = desc ? HPDF_Array_GetItem(desc, 0, HPDF_OCLASS_DICT) : NULL;
	if (!attr || !cid)
		return;
	HPDF_FontDef def = attr->fontdef;
	HPDF_Array w = HPDF_Array_New(cid->mmgr), run = NULL;
	if (!w || HPDF_Dict_Add(cid, "W", w) != HPDF_OK)
		return;
	uint32_t prev = 0;
	for (uint32_t cp = 0; cp <= fs->max_used[f]; cp++) {
		if (!(fs->used[f][cp >> 3] & (1u << (cp & 7))))
			continue;
		HPDF_INT16 width = HPDF_TTFontDef_GetGidWidth(def, HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp));
		if (width == def->missing_width) {
			run = NULL;
			continue;
		}
		if (!run || cp != prev + 1) {
			run = HPDF_Array_New(cid->mmgr);
			HPDF_Array_AddNumber(w, (HPDF_INT32)cp);
			HPDF_Array_Add(w, run);
		}
		HPDF_Array_AddNumber(run, width);
		prev = cp;
	}
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
		pep_ttf_keep_parts(fs->e->ttf[f], tt->glyph_tbl.flgs, tt->num_glyphs);
}

/* The character at u (n > 0 bytes): its code point in *cp, its length
 * returned (the text is valid UTF-8: libxml2 read it). */
static size_t decode(const unsigned char *u, size_t n, uint32_t *cp)
{
	uint32_t c = u[0];
	if (c >= 0xF0 && n >= 4) {
		*cp = ((c & 0x07) << 18) | ((u[1] & 0x3FU) << 12) | ((u[2] & 0x3FU) << 6) | (u[3] & 0x3FU);
		return 4;
	}
	if (c >= 0xE0 && n >= 3) {
		*cp = ((c & 0x0F) << 12) | ((u[1] & 0x3FU) << 6) | (u[2] & 0x3FU);
		return 3;
	}
	if (c >= 0xC0 && n >= 2) {
		*cp = ((c & 0x1F) << 6) | (u[1] & 0x3FU);
		return 2;
	}
	*cp = c;
	return 1;
}

/* A character the font has no glyph for, and any outside the Basic
 * Multilingual Plane (libharu cannot encode one), is drawn as a box
 * (paint_boxes), BOX_UNITS thousandths of an em wide: never the font's
 * .notdef glyph or U+FFFD, so that what is drawn is what the warning says. */
#define BOX_UNITS 600
#define BOX 0xFFFFU /* a width entry: the font lacks the character */

/* 1 + the width of cp in font (thousandths of an em), or BOX: looked up
 * once per writer (HPDF_Font_TextWidth looks every character up in the
 * font's cmap every time, and measuring was a tenth of the work). */
static uint16_t width_entry(fonts *fs, int font, uint32_t cp)
{
	if (cp >= 0x10000)
		return BOX;
	uint16_t *w = &fs->e->widths[font][cp];
	if (*w == 0) {
		if (cp > 0x20 && pep_ttf_glyph(fs->e->ttf[font], cp) == 0) {
			*w = BOX;
		} else {
			/* (not HPDF_Font_GetUnicodeWidth: that marks the glyph as
			 * used, and a PDF embeds the glyphs drawn, not those
			 * measured for an earlier PDF) */
			HPDF_FontDef def = fs->e->def[font];
			*w = (uint16_t)(1 + HPDF_TTFontDef_GetGidWidth(def, HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp)));
		}
	}
	return *w;
}

/* The width of s in points, as it is drawn: the glyph widths libharu
 * would use, and a box's for each character the font lacks. */
static double measure(void *ctx, pep_font font, double size, const char *s, size_t n)
{
	fonts *fs = ctx;
	const unsigned char *u = (const unsigned char *)s;
	long total = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += decode(u + i, n - i, &cp);
		uint16_t w = width_entry(fs, (int)font, cp);
		total += w == BOX ? BOX_UNITS : w - 1;
	}
	return (double)total * size / 1000.0;
}

/* The characters of the display list that their font has no glyph for
 * (drawn as boxes), a bit per code point in a new array (caller frees);
 * NULL when there is none. */
static uint8_t *uncovered(fonts *fs, const pep_layout *l)
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
				uint32_t cp;
				j += decode(s + j, ops[k].n - j, &cp);
				if (cp > 0x20 && cp < 0x110000 && width_entry(fs, (int)ops[k].font, cp) == BOX) {
					if (!miss)
						miss = xcalloc(0x110000 / 8, 1);
					miss[cp >> 3] |= (uint8_t)(1u << (cp & 7));
				}
			}
		}
	}
	return miss;
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

/* Reads and checks (ttf.h) a choice's faces: bold the regular face when
 * the two paths are the same; NULL when read, else what is wrong (caller
 * frees). The characters both faces have are noted in cover. */
static char *read_faces(pep_ttf *f[2], uint8_t cover[8192], const char *reg, const char *bold, char *files[2])
{
	char *err = NULL;
	/* (remembered first: a file that could not be used was still read) */
	files[0] = xstrdup(reg);
	files[1] = strcmp(reg, bold) != 0 ? xstrdup(bold) : NULL;
	if (!(f[0] = pep_ttf_load(reg, &err)))
		return err;
	if (strcmp(reg, bold) != 0 && !(f[1] = pep_ttf_load(bold, &err)))
		return err;
	const pep_ttf *b = f[1] ? f[1] : f[0];
	for (uint32_t cp = 0x21; cp < 0x10000; cp++)
		if (pep_ttf_glyph(f[0], cp) && pep_ttf_glyph(b, cp))
			cover[cp >> 3] |= (uint8_t)(1u << (cp & 7));
	return NULL;
}

pep_pdf_fonts *pep_pdf_fonts_load(const char *font, char **err)
{
	pep_pdf_fonts *fs = xcalloc(1, sizeof *fs);
	*err = NULL;
	if (font) {
		char *bold = bold_for(font);
		*err = read_faces(fs->f[FONT_GIVEN], fs->cover[FONT_GIVEN], font, bold, fs->files[FONT_GIVEN]);
		free(bold);
	} else {
		char *reg = pep_data_file("fonts/PepSans.ttf"), *bold = pep_data_file("fonts/PepSans-Bold.ttf");
		char *e1 = reg && bold ? read_faces(fs->f[FONT_SUBSET], fs->cover[FONT_SUBSET], reg, bold,
		                                    fs->files[FONT_SUBSET])
		                       : NULL;
		char *e2 = NULL;
		if (access(DEJAVU_DIR "DejaVuSans.ttf", R_OK) == 0 && access(DEJAVU_DIR "DejaVuSans-Bold.ttf", R_OK) == 0)
			e2 = read_faces(fs->f[FONT_FULL], fs->cover[FONT_FULL], DEJAVU_DIR "DejaVuSans.ttf",
			                DEJAVU_DIR "DejaVuSans-Bold.ttf", fs->files[FONT_FULL]);
		for (int c = FONT_SUBSET; c <= FONT_FULL; c++)
			if ((c == FONT_SUBSET ? e1 : e2) && fs->f[c][0]) { /* half read: not that choice */
				pep_ttf_free(fs->f[c][0]);
				pep_ttf_free(fs->f[c][1]);
				fs->f[c][0] = fs->f[c][1] = NULL;
			}
		if (!fs->f[FONT_SUBSET][0] && !fs->f[FONT_FULL][0])
			*err = e1 ? xstrdup(e1) : e2 ? xstrdup(e2)
			                             : xstrdup("cannot find a font: install Debian's fonts-dejavu-core (make deps "
			                                       "does), or give one with --font FILE");
		free(e1);
		free(e2);
		free(reg);
		free(bold);
	}
	if (*err) {
		pep_pdf_fonts_free(fs);
		return NULL;
	}
	return fs;
}

void pep_pdf_fonts_free(pep_pdf_fonts *fs)
{
	if (!fs)
		return;
	for (int c = 0; c < NCHOICES; c++)
		for (int k = 0; k < 2; k++) {
			pep_ttf_free(fs->f[c][k]);
			free(fs->files[c][k]);
		}
	free(fs);
}

size_t pep_pdf_fonts_files(const pep_pdf_fonts *fs, const char **files, size_t max)
{
	size_t n = 0;
	for (int c = 0; c < NCHOICES; c++)
		for (int k = 0; k < 2; k++)
			if (fs->files[c][k] && n < max)
				files[n++] = fs->files[c][k];
	return n;
}

char *pep_pdf_icc_file(void)
{
	char *icc = pep_data_file("icc/sRGB.icc");
	if (!icc && access(SRGB_ICC, R_OK) == 0)
		icc = xstrdup(SRGB_ICC);
	return icc;
}

pep_pdf_writer *pep_pdf_writer_new(const pep_pdf_fonts *fs)
{
	pep_pdf_writer *w = xcalloc(1, sizeof *w);
	w->fonts = fs;
	return w;
}

static void engine_free(engine *e)
{
	if (!e)
		return;
	if (e->pdf)
		HPDF_Free(e->pdf);
	free(e);
}

void pep_pdf_writer_free(pep_pdf_writer *w)
{
	if (!w)
		return;
	for (int c = 0; c < NCHOICES; c++)
		engine_free(w->e[c]);
	free(w);
}

/* The engine of choice c: a libharu document with the choice's fonts read
 * into it from memory. NULL with *err when it cannot be made. */
static engine *engine_get(pep_pdf_writer *w, font_choice c, char **err)
{
	if (w->e[c])
		return w->e[c];
	pep_ttf *const *fc = w->fonts->f[c];
	engine *e = xcalloc(1, sizeof *e);
	e->cover = w->fonts->cover[c];
	e->pdf = HPDF_New(on_haru_error, &e->he);
	if (!e->pdf) {
		*err = xstrdup("cannot start libharu: out of memory");
		free(e);
		return NULL;
	}
	HPDF_UseUTFEncodings(e->pdf);
	for (int k = 0; k < 2; k++) {
		if (k == 1 && !fc[1]) {
			e->def[1] = e->def[0];
			e->ttf[1] = e->ttf[0];
			break;
		}
		size_t len;
		const unsigned char *data = pep_ttf_data(fc[k], &len);
		HPDF_Stream st = HPDF_MemStream_New(e->pdf->mmgr, 64 * 1024);
		if (st && HPDF_Stream_Write(st, data, (HPDF_UINT)len) == HPDF_OK)
			e->def[k] = HPDF_TTFontDef_Load(e->pdf->mmgr, st, HPDF_TRUE);
		e->ttf[k] = fc[k];
		if (!e->def[k] || HPDF_Doc_RegisterFontDef(e->pdf, e->def[k]) != HPDF_OK || e->he.code) {
			haru_error he = e->he.code ? e->he : (haru_error){HPDF_TTF_INVALID_FOMAT, 0};
			*err = haru_message(&he, k ? "loading the bold font" : "loading the font");
			engine_free(e);
			return NULL;
		}
	}
	return w->e[c] = e;
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

/* The boxes drawn for characters the font lacks, stroked after the text. */
typedef struct box {
	double x, y, size; /* the advance's left edge and baseline (top-down), the type size */
	uint32_t rgb;
} box;

typedef struct boxes {
	box *v;
	size_t n, cap;
} boxes;

/* Draws s[0..n) (no character the font lacks) at x, y inside a text object;
 * returns the x after it. */
static double text_run(HPDF_Page p, fonts *fs, int font, double size, double x, double y, const char *s, size_t n)
{
	char *t = xmalloc(n + 1);
	memcpy(t, s, n);
	t[n] = '\0';
	mark_used(fs, font, t);
	/* libharu refuses a string longer than 65,535 bytes
	 * (HPDF_STRING_OUT_OF_RANGE): a long run (a cluster of thousands of
	 * combining marks, zero-width characters) is drawn in pieces, each
	 * where the last one ended. */
	for (size_t at = 0; at < n;) {
		size_t k = n - at;
		if (k > TEXT_CHUNK)
			for (k = TEXT_CHUNK; k > 0 && ((unsigned char)t[at + k] & 0xC0) == 0x80;)
				k--;
		char save = t[at + k];
		t[at + k] = '\0';
		HPDF_Page_TextOut(p, (HPDF_REAL)x, (HPDF_REAL)(PAGE_H - y), t + at);
		x += measure(fs, (pep_font)font, size, t + at, k);
		t[at + k] = save;
		at += k;
	}
	free(t);
	return x;
}

/* Draws s[0..n) with its baseline at x, y (top-down) inside a text object:
 * what the font has as text; each character it lacks as a box (added to
 * bx), with the character itself invisible behind it when libharu can
 * encode it, so that the PDF's text can still be searched and copied. */
static void show(HPDF_Page p, fonts *fs, int font, double size, double x, double y, uint32_t rgb, const char *s,
                 size_t n, boxes *bx)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		size_t start = i, len = 0;
		uint32_t cp = 0;
		while (i < n) {
			len = decode(u + i, n - i, &cp);
			if (width_entry(fs, font, cp) == BOX)
				break;
			i += len;
		}
		if (i > start)
			x = text_run(p, fs, font, size, x, y, s + start, i - start);
		if (i == n)
			break;
		if (bx->n == bx->cap) {
			bx->cap = bx->cap ? bx->cap * 2 : 8;
			bx->v = xrealloc(bx->v, bx->cap * sizeof *bx->v);
		}
		bx->v[bx->n++] = (box){x, y, size, rgb};
		if (cp < 0x10000) {
			HPDF_Page_SetTextRenderingMode(p, HPDF_INVISIBLE);
			text_run(p, fs, font, size, x, y, s + i, len);
			HPDF_Page_SetTextRenderingMode(p, HPDF_FILL);
		}
		x += BOX_UNITS * size / 1000.0;
		i += len;
	}
}

/* Strokes the boxes (outside a text object): each an outlined rectangle in
 * its text's colour, from the baseline up to about the height of a
 * capital. */
static void paint_boxes(HPDF_Page p, boxes *bx)
{
	for (size_t i = 0; i < bx->n; i++) {
		const box *b = &bx->v[i];
		set_stroke(p, b->rgb);
		HPDF_Page_SetLineWidth(p, (HPDF_REAL)(0.06 * b->size));
		HPDF_Page_Rectangle(p, (HPDF_REAL)(b->x + 0.08 * b->size), (HPDF_REAL)(PAGE_H - b->y),
		                    (HPDF_REAL)(0.44 * b->size), (HPDF_REAL)(0.7 * b->size));
		HPDF_Page_Stroke(p);
	}
	free(bx->v);
	*bx = (boxes){NULL, 0, 0};
}

static void text_at(HPDF_Page p, fonts *fs, int font, double size, double x, double y, uint32_t rgb, const char *s)
{
	boxes bx = {NULL, 0, 0};
	HPDF_Page_BeginText(p);
	HPDF_Page_SetFontAndSize(p, fs->f[font], (HPDF_REAL)size);
	set_fill(p, rgb);
	show(p, fs, font, size, x, y, rgb, s, strlen(s), &bx);
	HPDF_Page_EndText(p);
	paint_boxes(p, &bx);
}

static double width_of(const fonts *fs, pep_font f, double size, const char *s)
{
	return measure((void *)fs, f, size, s, strlen(s));
}

/* The header and footer of page i of n: the marking, the running header
 * and LA child id, the NOT SIGNED OFF band, the generation line and the
 * page number. */
static void paint_marks(HPDF_Page p, fonts *fs, const pep_document_info *mk, size_t i, size_t n)
{
	const char *marking = mk->marking ? mk->marking : "";
	double w = width_of(fs, PEP_FONT_BOLD, 9, marking);
	text_at(p, fs, 1, 9, (PAGE_W - w) / 2, 30, INK, marking);
	text_at(p, fs, 0, 8, MARGIN_X, 46, GREY, mk->running ? mk->running : "");
	w = width_of(fs, PEP_FONT_REGULAR, 8, mk->id_line ? mk->id_line : "");
	text_at(p, fs, 0, 8, PAGE_W - MARGIN_X - w, 46, GREY, mk->id_line ? mk->id_line : "");
	set_stroke(p, NAVY);
	HPDF_Page_SetLineWidth(p, 0.75);
	HPDF_Page_MoveTo(p, MARGIN_X, PAGE_H - 51);
	HPDF_Page_LineTo(p, PAGE_W - MARGIN_X, PAGE_H - 51);
	HPDF_Page_Stroke(p);
	if (mk->not_signed_off) {
		set_fill(p, RED);
		HPDF_Page_Rectangle(p, MARGIN_X, PAGE_H - 73, PAGE_W - 2 * MARGIN_X, 17);
		HPDF_Page_Fill(p);
		w = width_of(fs, PEP_FONT_BOLD, 10, mk->not_signed_off);
		text_at(p, fs, 1, 10, (PAGE_W - w) / 2, 68.5, 0xFFFFFFU, mk->not_signed_off);
	}
	/* footer */
	set_stroke(p, NAVY);
	HPDF_Page_SetLineWidth(p, 0.5);
	HPDF_Page_MoveTo(p, MARGIN_X, 44);
	HPDF_Page_LineTo(p, PAGE_W - MARGIN_X, 44);
	HPDF_Page_Stroke(p);
	text_at(p, fs, 0, 7.5, MARGIN_X, PAGE_H - 32, GREY, mk->generated ? mk->generated : "");
	char pg[64];
	snprintf(pg, sizeof pg, "Page %zu of %zu", i + 1, n);
	w = width_of(fs, PEP_FONT_REGULAR, 8, pg);
	text_at(p, fs, 0, 8, PAGE_W - MARGIN_X - w, PAGE_H - 32, INK, pg);
	w = width_of(fs, PEP_FONT_BOLD, 9, marking);
	text_at(p, fs, 1, 9, (PAGE_W - w) / 2, PAGE_H - 18, INK, marking);
}

/* Paints a page's display list: fills and text in order, then every rule
 * in as few paths as colours and widths allow (rules never overlap text or
 * lie under a fill, and fewer operators make a smaller content stream,
 * which is most of what compressing a PDF costs). */
static void paint_ops(HPDF_Page p, fonts *fs, const pep_layout_op *ops, size_t n)
{
	boxes bx = {NULL, 0, 0};
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
			show(p, fs, (int)op->font, op->size, op->x, op->y, op->rgb, op->s, op->n, &bx);
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
	paint_boxes(p, &bx);
}

/* Writes the filter of a stream deflated here (libharu, which drops any
 * /Filter it did not set, calls this while writing the dictionary). */
static HPDF_STATUS write_flate(HPDF_Dict d, HPDF_Stream out)
{
	(void)d;
	return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* libharu deflates every stream at zlib's default level, and that was half
 * of all the time a PDF took. A page's content, most of a PDF's bytes, is
 * deflated here at zlib's fastest level instead: about three times as fast
 * for a few per cent more bytes. */
static void deflate_fast(HPDF_Dict d)
{
	HPDF_Stream st = d ? d->stream : NULL;
	HPDF_UINT32 n = st ? HPDF_Stream_Size(st) : 0;
	if (!n)
		return;
	unsigned char *in = xmalloc(n);
	HPDF_UINT got = n;
	uLongf zlen = compressBound(n);
	unsigned char *z = xmalloc(zlen);
	if (HPDF_Stream_Seek(st, 0, HPDF_SEEK_SET) == HPDF_OK && HPDF_Stream_Read(st, in, &got) == HPDF_OK && got == n &&
	    compress2(z, &zlen, in, n, Z_BEST_SPEED) == Z_OK) {
		HPDF_MemStream_FreeData(st);
		HPDF_Stream_Write(st, z, (HPDF_UINT)zlen);
		d->filter = HPDF_STREAM_FILTER_NONE;
		d->write_fn = write_flate;
	}
	free(in);
	free(z);
}

/* True when both faces have a glyph for every character of s (below
 * U+0021 nothing is drawn; U+200B is never drawn). */
static bool covered(const engine *e, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t j = 0; s && u[j];) {
		uint32_t cp = u[j];
		size_t len = 1;
		if (cp >= 0xF0)
			return false; /* outside the BMP: no TrueType cmap here has it */
		if (cp >= 0xE0 && u[j + 1] && u[j + 2]) {
			cp = ((cp & 0x0F) << 12) | ((u[j + 1] & 0x3FU) << 6) | (u[j + 2] & 0x3FU);
			len = 3;
		} else if (cp >= 0xC0 && u[j + 1]) {
			cp = ((cp & 0x1F) << 6) | (u[j + 1] & 0x3FU);
			len = 2;
		}
		if (cp > 0x20 && cp != 0x200B && !(e->cover[cp >> 3] & (1u << (cp & 7))))
			return false;
		j += len;
	}
	return true;
}

static bool rich_covered(const engine *e, pep_rich r)
{
	for (size_t i = 0; i < r.n; i++)
		if (!covered(e, r.v[i].text))
			return false;
	return true;
}

/* True when the fonts have a glyph for every character of the document. */
static bool doc_covered(const engine *e, const pep_document *doc)
{
	const pep_document_info *in = pep_document_info_of(doc);
	const char *marks[] = {in->marking, in->running, in->id_line, in->generated, in->not_signed_off};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (!covered(e, marks[i]))
			return false;
	for (size_t i = 0; i < pep_document_count(doc); i++) {
		const pep_block *b = pep_document_block(doc, i);
		if (!covered(e, b->text) || !covered(e, b->text2) || !rich_covered(e, b->rich))
			return false;
		const pep_table *t = &b->table;
		for (size_t c = 0; b->kind == PEP_BLOCK_TABLE && c < t->ncols; c++)
			if (!covered(e, t->cols[c].header))
				return false;
		for (size_t c = 0; b->kind == PEP_BLOCK_TABLE && c < t->nrows * t->ncols; c++)
			if (!rich_covered(e, t->cells[c].text))
				return false;
	}
	return true;
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
	char *icc = pep_pdf_icc_file();
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
 * set), -1 the fonts lack a character the document needs (only when
 * check_cover). */
static int render_with(pep_pdf_writer *w, const pep_document *doc, const pep_pdf_options *o, font_choice fc,
                       bool check_cover, unsigned char **out, size_t *len, size_t *npages, char **err)
{
	pep_layout *l = NULL;
	fonts *fs = NULL;
	HPDF_Page *pages = NULL;
	const pep_document_info *info = pep_document_info_of(doc);
	int result = 0;

	engine *e = engine_get(w, fc, err);
	if (!e)
		return 0;
	if (check_cover && !doc_covered(e, doc))
		return -1;
	HPDF_Doc pdf = e->pdf;
	e->he = (haru_error){0, 0};
	fs = xcalloc(1, sizeof *fs);
	fs->e = e;
	if (HPDF_NewDoc(pdf) != HPDF_OK) {
		*err = haru_message(&e->he, "starting a PDF");
		goto out;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	for (int k = 0; k < 2; k++) {
		if (k == 1 && e->def[1] == e->def[0]) {
			fs->f[1] = fs->f[0];
			break;
		}
		/* The same subset tags in every PDF, whatever this writer made
		 * before (reproducible bytes). */
		char tag[7] = "HPDFAA";
		tag[5] = (char)('A' + k);
		HPDF_TTFontDef_SetTagName(e->def[k], tag);
		fs->f[k] = get_font(pdf, e->def[k]);
	}
	if (!fs->f[0] || !fs->f[1] || e->he.code) {
		*err = haru_message(&e->he, "setting up the fonts");
		goto out;
	}
	fix_font_dicts(fs->f[0]);
	if (fs->f[1] != fs->f[0])
		fix_font_dicts(fs->f[1]);

	/* Lay out. */
	pep_layout_geometry g = {PAGE_W, PAGE_H, MARGIN_X, MARGIN_X, info->not_signed_off ? 86 : 66, 58};
	l = pep_layout_document(doc, &g, measure, fs);

	/* Paint. */
	size_t np = pep_layout_pages(l);
	pages = xcalloc(np, sizeof *pages);
	for (size_t i = 0; i < np && !e->he.code; i++) {
		HPDF_Page p = pages[i] = HPDF_AddPage(pdf);
		if (!p)
			break;
		HPDF_Page_SetWidth(p, (HPDF_REAL)PAGE_W);
		HPDF_Page_SetHeight(p, (HPDF_REAL)PAGE_H);
		paint_marks(p, fs, info, i, np);
		size_t n;
		const pep_layout_op *ops = pep_layout_page_ops(l, i, &n);
		paint_ops(p, fs, ops, n);
		deflate_fast(((HPDF_PageAttr)p->attr)->contents);
	}
	/* Each font's CID map and widths: the characters drawn. */
	if (fs->f[1] == fs->f[0]) {
		for (size_t k = 0; k < sizeof fs->used[0]; k++)
			fs->used[0][k] |= fs->used[1][k];
		if (fs->max_used[1] > fs->max_used[0])
			fs->max_used[0] = fs->max_used[1];
	}
	for (int k = 0; k < (fs->f[1] != fs->f[0] ? 2 : 1); k++) {
		trim_cid_map(fs, k);
		set_widths(fs, k);
		keep_parts(fs, k);
	}
	/* Bookmarks for the sections. */
	HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");
	bool outline = false;
	for (size_t i = 0; i < pep_document_count(doc) && !e->he.code; i++) {
		const pep_block *b = pep_document_block(doc, i);
		size_t page;
		double y;
		if (b->kind != PEP_BLOCK_HEADING || !pep_layout_anchor(l, i, &page, &y) || page >= np || !pages[page])
			continue;
		HPDF_Outline ol = HPDF_CreateOutline(pdf, NULL, b->text, utf8);
		HPDF_Destination dst = HPDF_Page_CreateDestination(pages[page]);
		if (ol && dst) {
			HPDF_Destination_SetFitH(dst, (HPDF_REAL)(PAGE_H - y + 12));
			HPDF_Outline_SetDestination(ol, dst);
		}
		outline = true;
	}
	if (outline)
		HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);

	/* Document information: what the document says of itself (never the
	 * child's name). */
	const char *author = info->author ? info->author : "";
	HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, info->title ? info->title : "");
	HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, info->subject ? info->subject : "");
	HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, author);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, o->generator ? o->generator : "pep");
	if (info->identity && pdf->info) /* what this PDF is, for the output policy (outfile.h) */
		HPDF_Dict_Add(pdf->info, PEP_IDENTITY_PDF_KEY, HPDF_String_New(pdf->mmgr, info->identity, NULL));
	time_t ct = (time_t)o->created;
	doc_info di = {info->title ? info->title : "", info->subject ? info->subject : "", author, {0}};
	gmtime_r(&ct, &di.created);
	HPDF_Date hd = {di.created.tm_year + 1900, di.created.tm_mon + 1, di.created.tm_mday, di.created.tm_hour,
	                di.created.tm_min, di.created.tm_sec, 'Z', 0, 0};
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, hd);
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, hd);
	if (o->pdfa && !add_pdfa(pdf, &di, o->generator ? o->generator : "pep", np, err))
		goto out;
	if (e->he.code) {
		*err = haru_message(&e->he, "drawing the pages");
		goto out;
	}

	/* Save to memory and copy out. */
	if (HPDF_SaveToStream(pdf) != HPDF_OK || e->he.code) {
		*err = haru_message(&e->he, "writing the PDF");
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
	if (e->he.code || got != size) {
		free(buf);
		*err = haru_message(&e->he, "reading the PDF back from memory");
		goto out;
	}
	*out = buf;
	*len = got;
	*npages = np;
	result = 1;
	/* What could not be drawn, for the caller to name. */
	uint8_t *missing = o->missing ? uncovered(fs, l) : NULL;
	for (uint32_t cp = 0; missing && cp < 0x110000; cp++)
		if (missing[cp >> 3] & (1u << (cp & 7)))
			o->missing(o->missing_ctx, cp);
	free(missing);
out:
	free(pages);
	free(fs);
	pep_layout_free(l);
	HPDF_FreeDoc(pdf); /* the PDF's objects; the fonts stay for the next */
	return result;
}

bool pep_pdf_writer_write(pep_pdf_writer *w, const pep_document *doc, const pep_pdf_options *o, unsigned char **out,
                          size_t *len, size_t *pages, char **err)
{
	*out = NULL;
	*len = 0;
	*pages = 0;
	*err = NULL;
	const pep_pdf_fonts *f = w->fonts;
	if (f->f[FONT_GIVEN][0])
		return render_with(w, doc, o, FONT_GIVEN, false, out, len, pages, err) == 1;
	bool full = f->f[FONT_FULL][0] != NULL;
	if (f->f[FONT_SUBSET][0]) {
		int r = render_with(w, doc, o, FONT_SUBSET, full, out, len, pages, err);
		if (r >= 0)
			return r == 1;
	}
	/* The subset lacks a character (or is not there): the full font. */
	return render_with(w, doc, o, FONT_FULL, false, out, len, pages, err) == 1;
}

bool pep_pdf_write(const pep_document *doc, const pep_pdf_options *o, unsigned char **out, size_t *len,
                   size_t *pages, char **err)
{
	*out = NULL;
	*len = 0;
	*pages = 0;
	pep_pdf_fonts *f = pep_pdf_fonts_load(o->font, err);
	if (!f)
		return false;
	pep_pdf_writer *w = pep_pdf_writer_new(f);
	bool ok = pep_pdf_writer_write(w, doc, o, out, len, pages, err);
	pep_pdf_writer_free(w);
	pep_pdf_fonts_free(f);
	return ok;
}
