/* ttf.c: TrueType fonts, read and checked (see ttf.h).
 *
 * Table layouts are those of the OpenType specification (and Apple's
 * TrueType Reference Manual). What is checked, and how characters are
 * looked up, follows what libharu 2.3.0 reads (its src/hpdf_fontdef_tt.c):
 * each check below names the read of libharu it makes safe. */
#include "ttf.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xalloc.h"
#include "xml.h"

/* Parts of parts: DejaVu Sans goes 4 deep; OpenType allows 16 levels. */
#define MAX_DEPTH 16

struct pep_ttf {
	unsigned char *data;
	size_t len;
	unsigned nglyphs;
	/* The character map libharu uses: the first (platform 3, encoding 1)
	 * subtable of format 4, as arrays of segs big-endian 16-bit values,
	 * the glyph id array (ids entries, as libharu counts them) after ranges. */
	const unsigned char *ends, *starts, *deltas, *ranges, *glyph_ids;
	unsigned segs;
	uint32_t ids;
	/* The parts of composite glyphs: part[first[g] .. first[g + 1]). */
	uint32_t *first;
	uint16_t *part;
	uint8_t *depth; /* per glyph, see pep_ttf_depth */
};

static uint32_t u16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | (uint32_t)p[1];
}

static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

typedef struct table {
	const unsigned char *p; /* NULL when the font has no such table */
	uint32_t len;
} table;

/* The first table with this tag (libharu's FindTable takes the first). */
static table find(const unsigned char *d, const char *tag)
{
	uint32_t n = u16(d + 4);
	for (uint32_t i = 0; i < n; i++) {
		const unsigned char *e = d + 12 + (size_t)i * 16;
		if (memcmp(e, tag, 4) == 0)
			return (table){d + u32(e + 8), u32(e + 12)};
	}
	return (table){NULL, 0};
}

/* ------------------------------------------------------------------ */
/* Characters                                                           */
/* ------------------------------------------------------------------ */

/* libharu's HPDF_TTFontDef_GetGlyphid, from the first segment i whose end
 * is at or past cp (libharu searches them in order; the ends are checked to
 * rise, the last to be U+FFFF): the delta, or the glyph id array at an index
 * that may wrap round (unsigned, as libharu's), which libharu answers with 0
 * when it is past the array. *bad is set when the index is the one just
 * past the array, which libharu reads anyway. */
static unsigned lookup(const pep_ttf *f, unsigned i, uint32_t cp, bool *bad)
{
	uint32_t start = u16(f->starts + 2 * i), delta = u16(f->deltas + 2 * i), range = u16(f->ranges + 2 * i);
	if (start > cp)
		return 0;
	if (range == 0)
		return (cp + delta) & 0xFFFF;
	unsigned idx = range / 2 + (unsigned)(cp - start) - (f->segs - i);
	if (idx >= f->ids) {
		if (idx == f->ids && bad)
			*bad = true;
		return 0;
	}
	return (u16(f->glyph_ids + 2 * (size_t)idx) + delta) & 0xFFFF;
}

unsigned pep_ttf_glyph(const pep_ttf *f, uint32_t cp)
{
	if (!f || cp > 0xFFFF)
		return 0;
	unsigned lo = 0, hi = f->segs - 1; /* the first segment ending at or past cp */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (u16(f->ends + 2 * mid) < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lookup(f, lo, cp, NULL);
}

/* The cmap: libharu reads the version (0), every encoding record's
 * subtable format until the first Windows Unicode one of format 4, that
 * subtable's arrays, and then looks up every character from U+0000 to
 * U+FFFF when the font is first used; each lookup must stay inside the
 * arrays and give a glyph of the font (libharu reads the glyph's outline
 * for 'H' and 'x' at once, unchecked). */
static char *check_cmap(pep_ttf *f, table c)
{
	if (!c.p || c.len < 4)
		return xstrdup("it has no character map ('cmap' table)");
	if (u16(c.p) != 0)
		return xasprintf("its character map has version %u, and libharu reads version 0 only", u16(c.p));
	uint32_t n = u16(c.p + 2);
	if (4 + (uint64_t)n * 8 > c.len)
		return xstrdup("its character map is cut short");
	const unsigned char *s = NULL;
	uint32_t room = 0;
	for (uint32_t i = 0; i < n && !s; i++) {
		const unsigned char *r = c.p + 4 + (size_t)i * 8;
		uint32_t off = u32(r + 4);
		if ((uint64_t)off + 2 > c.len)
			return xstrdup("a subtable of its character map lies outside it");
		if (u16(r) == 3 && u16(r + 2) == 1 && u16(c.p + off) == 4) {
			s = c.p + off;
			room = c.len - off;
		}
	}
	if (!s)
		return xstrdup("it has no Unicode character map of the kind libharu reads (Windows, format 4)");
	if (room < 16)
		return xstrdup("its Unicode character map is cut short");
	uint32_t length = u16(s + 2), segx2 = u16(s + 6);
	f->segs = segx2 / 2;
	if (segx2 == 0 || segx2 % 2 || length < 16 + 8 * f->segs || length > room)
		return xstrdup("its Unicode character map is cut short or has a wrong length");
	f->ids = (length - (16 + 8 * f->segs)) / 2;
	f->ends = s + 14;
	f->starts = f->ends + segx2 + 2;
	f->deltas = f->starts + segx2;
	f->ranges = f->deltas + segx2;
	f->glyph_ids = f->ranges + segx2;
	if (u16(f->ends + segx2 - 2) != 0xFFFF)
		return xstrdup("its Unicode character map does not end at U+FFFF");
	for (unsigned i = 0; i < f->segs; i++) {
		uint32_t start = u16(f->starts + 2 * i), end = u16(f->ends + 2 * i);
		if (start > end || (i > 0 && end <= u16(f->ends + 2 * (i - 1))))
			return xasprintf("its Unicode character map has segments out of order (at U+%04X)", (unsigned)start);
		for (uint32_t cp = start; cp <= end; cp++) {
			bool bad = false;
			unsigned g = lookup(f, i, cp, &bad);
			if (bad)
				return xasprintf("its Unicode character map points past its glyph list (at U+%04X)", (unsigned)cp);
			if (g >= f->nglyphs)
				return xasprintf("its Unicode character map gives U+%04X glyph %u, and the font has %u",
				                  (unsigned)cp, g, f->nglyphs);
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Glyphs                                                               */
/* ------------------------------------------------------------------ */

enum { ARG_WORDS = 0x1, SCALE = 0x8, MORE = 0x20, XY_SCALE = 0x40, TWO_BY_TWO = 0x80 };

/* Reads glyph g's parts into f (first[g + 1] set). libharu's
 * CheckCompositGryph reads a composite's records the same way (only for a
 * contour count of exactly -1). */
static char *read_parts(pep_ttf *f, unsigned g, const unsigned char *p, uint64_t len, size_t *cap)
{
	f->first[g + 1] = f->first[g];
	if (len == 0)
		return NULL;
	if (len < 10)
		return xasprintf("its glyph %u is cut short", g);
	int contours = (int16_t)u16(p);
	if (contours >= 0)
		return NULL;
	if (contours != -1)
		return xasprintf("its glyph %u has a contour count of %d", g, contours);
	uint64_t at = 10;
	uint32_t flags;
	do {
		if (at + 4 > len)
			return xasprintf("its composite glyph %u is cut short", g);
		flags = u16(p + at);
		uint32_t part = u16(p + at + 2);
		if (part >= f->nglyphs)
			return xasprintf("its composite glyph %u is made of glyph %u, and the font has %u", g,
			                  (unsigned)part, f->nglyphs);
		at += 4 + (flags & ARG_WORDS ? 4 : 2);
		at += flags & SCALE ? 2 : flags & XY_SCALE ? 4 : flags & TWO_BY_TWO ? 8 : 0;
		if (at > len)
			return xasprintf("its composite glyph %u is cut short", g);
		if (f->first[g + 1] == *cap) {
			*cap = *cap ? *cap * 2 : 1024;
			f->part = xrealloc(f->part, *cap * sizeof *f->part);
		}
		f->part[f->first[g + 1]++] = (uint16_t)part;
	} while (flags & MORE);
	return NULL;
}

/* The depth of g's parts (memoised in f->depth, 0xFF while being worked
 * out), or -1 when g is made of itself, -2 when deeper than MAX_DEPTH. */
static int depth_of(pep_ttf *f, unsigned g, unsigned level, uint8_t *busy)
{
	if (f->first[g + 1] == f->first[g])
		return 0;
	if (busy[g] == 2)
		return f->depth[g];
	if (busy[g] == 1)
		return -1;
	if (level > MAX_DEPTH)
		return -2;
	busy[g] = 1;
	int d = 0;
	for (uint32_t k = f->first[g]; k < f->first[g + 1]; k++) {
		int r = depth_of(f, f->part[k], level + 1, busy);
		if (r < 0)
			return r;
		if (r + 1 > d)
			d = r + 1;
	}
	if (d > MAX_DEPTH)
		return -2;
	busy[g] = 2;
	f->depth[g] = (uint8_t)d;
	return d;
}

/* loca and glyf: every glyph inside glyf (libharu copies each glyph
 * embedded by its loca offsets), every composite's records inside the
 * glyph and naming glyphs of the font, no glyph made of itself. */
static char *check_glyphs(pep_ttf *f, table head, table loca, table glyf)
{
	int format = (int16_t)u16(head.p + 50);
	if (format != 0 && format != 1)
		return xasprintf("its 'head' table gives a glyph offset format of %d", format);
	if (!loca.p || loca.len < (uint64_t)(f->nglyphs + 1) * (format ? 4 : 2))
		return xstrdup("its glyph offsets ('loca' table) are missing or cut short");
	if (!glyf.p)
		return xstrdup("it has no glyph outlines ('glyf' table): it is not a TrueType font libharu can embed");
	f->first = xcalloc((size_t)f->nglyphs + 1, sizeof *f->first);
	f->depth = xcalloc(f->nglyphs, 1);
	size_t cap = 0;
	for (unsigned g = 0; g < f->nglyphs; g++) {
		uint64_t a = format ? u32(loca.p + 4 * (size_t)g) : 2 * (uint64_t)u16(loca.p + 2 * (size_t)g);
		uint64_t b = format ? u32(loca.p + 4 * (size_t)g + 4) : 2 * (uint64_t)u16(loca.p + 2 * (size_t)g + 2);
		if (a > b || b > glyf.len)
			return xasprintf("its glyph %u lies outside its 'glyf' table", g);
		char *why = read_parts(f, g, glyf.p + a, b - a, &cap);
		if (why)
			return why;
	}
	uint8_t *busy = xcalloc(f->nglyphs, 1);
	char *why = NULL;
	for (unsigned g = 0; g < f->nglyphs && !why; g++) {
		int r = depth_of(f, g, 0, busy);
		if (r == -1)
			why = xasprintf("its glyph %u is made of itself", g);
		else if (r == -2)
			why = xasprintf("its glyph %u is made of parts nested more than %d deep", g, MAX_DEPTH);
	}
	free(busy);
	return why;
}

/* ------------------------------------------------------------------ */
/* Names, metrics, licence                                              */
/* ------------------------------------------------------------------ */

/* libharu's ParseName takes the PostScript name (name 6) and the style
 * name (name 2), each the last Macintosh Roman record or else the last
 * Windows Unicode US English one, and refuses the font when they are
 * missing or longer together than its 127-byte name (less 8). */
static char *check_name(table t)
{
	if (!t.p || t.len < 6)
		return xstrdup("it has no 'name' table");
	uint32_t count = u16(t.p + 2), strings = u16(t.p + 4);
	if (6 + (uint64_t)count * 12 > t.len)
		return xstrdup("its 'name' table is cut short");
	bool mac[2] = {false, false}, win[2] = {false, false};
	uint32_t mac_len[2] = {0, 0}, win_len[2] = {0, 0};
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *r = t.p + 6 + (size_t)i * 12;
		uint32_t platform = u16(r), encoding = u16(r + 2), language = u16(r + 4), id = u16(r + 6);
		uint32_t len = u16(r + 8), off = u16(r + 10);
		if ((uint64_t)strings + off + len > t.len)
			return xasprintf("its 'name' table's string %u lies outside it", (unsigned)i);
		int k = id == 6 ? 0 : id == 2 ? 1 : -1;
		if (k < 0)
			continue;
		if (platform == 1 && encoding == 0) {
			mac[k] = true;
			mac_len[k] = len;
		} else if (platform == 3 && encoding == 1 && language == 0x0409) {
			win[k] = true;
			win_len[k] = len;
		}
	}
	if (!(mac[0] || win[0]) || !(mac[1] || win[1]))
		return xstrdup("its 'name' table has no PostScript name or no style name (names 6 and 2) that libharu can read");
	uint32_t total = 0;
	for (int k = 0; k < 2; k++)
		total += mac_len[k] ? mac_len[k] : win_len[k] / 2 + win_len[k] % 2;
	if (total + 8 > 127)
		return xstrdup("its PostScript and style names are longer than libharu allows (119 characters together)");
	return NULL;
}

static char *check_os2(table t)
{
	/* libharu reads the version, fsType (at 8), sFamilyClass and PANOSE
	 * (30..42) and, past version 0, the code page ranges (78..86). */
	if (!t.p || t.len < 78 || (u16(t.p) > 0 && t.len < 86))
		return xstrdup("it has no usable 'OS/2' table");
	uint32_t fs_type = u16(t.p + 8);
	if (fs_type & 0x0002)
		return xstrdup("its licence forbids embedding it in a document (OS/2 fsType: restricted)");
	if (fs_type & 0x0100)
		return xstrdup("its licence forbids embedding a part of it, as PDFs do (OS/2 fsType: no subsetting)");
	if (fs_type & 0x0200)
		return xstrdup("its licence allows only bitmaps of it to be embedded (OS/2 fsType: bitmap only)");
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The whole font                                                       */
/* ------------------------------------------------------------------ */

static char *check(pep_ttf *f)
{
	const unsigned char *d = f->data;
	size_t len = f->len;
	if (len >= 4 && memcmp(d, "OTTO", 4) == 0)
		return xstrdup("it is an OpenType font with CFF outlines; libharu embeds TrueType (glyf) fonts only");
	if (len >= 4 && memcmp(d, "ttcf", 4) == 0)
		return xstrdup("it is a TrueType collection (.ttc) of several fonts; give one font as a .ttf file");
	if (len >= 4 && (memcmp(d, "wOFF", 4) == 0 || memcmp(d, "wOF2", 4) == 0))
		return xstrdup("it is a web font (WOFF); give the font as a .ttf file");
	if (len < 12 || (u32(d) != 0x00010000u && memcmp(d, "true", 4) != 0))
		return xstrdup("it is not a TrueType font");
	uint32_t ntables = u16(d + 4);
	/* libharu refuses more than 625 tables (10,000 bytes of directory) */
	if (ntables == 0 || ntables > 625 || 12 + (size_t)ntables * 16 > len)
		return xstrdup("its table directory is cut short or too long");
	for (uint32_t i = 0; i < ntables; i++) {
		const unsigned char *e = d + 12 + (size_t)i * 16;
		if ((uint64_t)u32(e + 8) + u32(e + 12) > len)
			return xasprintf("its table '%.4s' lies outside the file", (const char *)e);
	}
	static const struct {
		const char *tag;
		uint32_t min; /* the bytes libharu reads */
	} need[] = {{"head", 54}, {"hhea", 36}, {"maxp", 6}, {"hmtx", 0}, {"post", 32}};
	for (size_t k = 0; k < sizeof need / sizeof need[0]; k++) {
		table t = find(d, need[k].tag);
		if (!t.p || t.len < need[k].min)
			return xasprintf("it has no usable '%s' table", need[k].tag);
	}
	table head = find(d, "head"), hhea = find(d, "hhea"), maxp = find(d, "maxp"), hmtx = find(d, "hmtx");
	if (u32(head.p + 12) != 0x5F0F3CF5u)
		return xstrdup("its 'head' table lacks the TrueType magic number");
	uint32_t upem = u16(head.p + 18); /* libharu divides by it */
	if (upem < 16 || upem > 16384)
		return xasprintf("its 'head' table gives %u units per em (16 to 16384 are valid)", (unsigned)upem);
	f->nglyphs = u16(maxp.p + 4);
	if (f->nglyphs == 0)
		return xstrdup("it has no glyphs");
	/* libharu fills numGlyphs metrics: numberOfHMetrics pairs, then side
	 * bearings; more pairs than glyphs overrun its array. */
	uint32_t nhm = u16(hhea.p + 34);
	if (nhm == 0 || nhm > f->nglyphs)
		return xasprintf("its 'hhea' table gives %u horizontal metrics for %u glyphs", (unsigned)nhm, f->nglyphs);
	if (hmtx.len < 4 * (uint64_t)nhm + 2 * (uint64_t)(f->nglyphs - nhm))
		return xstrdup("its horizontal metrics ('hmtx' table) are cut short");
	char *why = check_glyphs(f, head, find(d, "loca"), find(d, "glyf"));
	if (!why)
		why = check_cmap(f, find(d, "cmap"));
	if (!why)
		why = check_name(find(d, "name"));
	if (!why)
		why = check_os2(find(d, "OS/2"));
	return why;
}

/* pep_ttf_parse, taking data (a malloc'd block) over in all cases. */
static pep_ttf *parse_owned(unsigned char *data, size_t len, char **why)
{
	pep_ttf *f = xcalloc(1, sizeof *f);
	f->data = data;
	f->len = len;
	if ((*why = check(f)) != NULL) {
		pep_ttf_free(f);
		return NULL;
	}
	return f;
}

pep_ttf *pep_ttf_parse(const unsigned char *data, size_t len, char **why)
{
	*why = NULL;
	if (len > PEP_TTF_MAX_SIZE) {
		*why = xstrdup("it is larger than 64 MB");
		return NULL;
	}
	unsigned char *copy = xmalloc(len ? len : 1);
	if (len)
		memcpy(copy, data, len);
	return parse_owned(copy, len, why);
}

pep_ttf *pep_ttf_load(const char *path, char **err)
{
	*err = NULL;
	/* Read as every file pep reads is (xml.h): a named pipe or a device is
	 * refused before a byte is read, never waited on. */
	pep_diags *d = pep_diags_new(path);
	char *buf = NULL;
	size_t len = 0;
	pep_load_status st = pep_read_file_as(path, PEP_TTF_MAX_SIZE, "a TrueType (.ttf) font", d, &buf, &len);
	if (st != PEP_LOAD_OK) {
		const char *why = pep_diags_count(d) ? pep_diags_at(d, 0)->message : "it cannot be read";
		*err = st == PEP_LOAD_UNREADABLE && strncmp(why, "cannot read the file: ", 22) == 0
		           ? xasprintf("cannot read the font %s (%s)", path, why + 22)
		           : xasprintf("cannot use the font %s: %s", path, why);
		pep_diags_free(d);
		free(buf);
		return NULL;
	}
	pep_diags_free(d);
	char *why = NULL;
	pep_ttf *f = parse_owned((unsigned char *)buf, len, &why);
	if (why) {
		*err = xasprintf("cannot use the font %s: %s; give a TrueType (.ttf) font such as DejaVu Sans", path, why);
		free(why);
	}
	return f;
}

void pep_ttf_free(pep_ttf *f)
{
	if (!f)
		return;
	free(f->data);
	free(f->first);
	free(f->part);
	free(f->depth);
	free(f);
}

size_t pep_ttf_glyph_count(const pep_ttf *f)
{
	return f->nglyphs;
}

const unsigned char *pep_ttf_data(const pep_ttf *f, size_t *len)
{
	*len = f->len;
	return f->data;
}

const uint16_t *pep_ttf_components(const pep_ttf *f, unsigned gid, size_t *n)
{
	*n = 0;
	if (gid >= f->nglyphs)
		return NULL;
	*n = f->first[gid + 1] - f->first[gid];
	return *n ? f->part + f->first[gid] : NULL;
}

unsigned pep_ttf_depth(const pep_ttf *f, unsigned gid)
{
	return gid < f->nglyphs ? f->depth[gid] : 0;
}

/* Marks g's parts and theirs (the depth is at most MAX_DEPTH, checked). */
static void keep(const pep_ttf *f, unsigned g, unsigned char *used, size_t n)
{
	for (uint32_t k = f->first[g]; k < f->first[g + 1]; k++) {
		unsigned p = f->part[k];
		if (p < n && !used[p]) {
			used[p] = 1;
			keep(f, p, used, n);
		}
	}
}

void pep_ttf_keep_parts(const pep_ttf *f, unsigned char *used, size_t n)
{
	if (n > f->nglyphs)
		n = f->nglyphs;
	for (size_t g = 0; g < n; g++)
		if (used[g])
			keep(f, (unsigned)g, used, n);
}
