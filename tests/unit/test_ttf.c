/* test_ttf.c: TrueType fonts read and checked (src/ttf.c): DejaVu Sans and
 * the bundled fonts pass, characters are found as fontTools finds them,
 * every part of a glyph is kept at any depth, and each malformed table that
 * would make libharu 2.3.0 read or write out of bounds is refused, with
 * what is wrong. */
#include "test.h"

#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "ttf.h"

#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

static unsigned char *font;
static size_t font_len;

static int setup(void **state)
{
	(void)state;
	FILE *f = fopen(DEJAVU, "rb");
	if (!f)
		return -1;
	font = xmalloc(2u << 20);
	font_len = fread(font, 1, 2u << 20, f);
	fclose(f);
	return font_len > 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(font);
	return 0;
}

static uint32_t get16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t get32(const unsigned char *p)
{
	return get16(p) << 16 | get16(p + 2);
}

static void put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

/* A copy of DejaVu Sans to damage (caller frees). */
static unsigned char *copy(void)
{
	unsigned char *c = xmalloc(font_len);
	memcpy(c, font, font_len);
	return c;
}

/* The table directory entry of tag in the font d (the test's own reading). */
static unsigned char *entry(unsigned char *d, const char *tag)
{
	for (uint32_t i = 0; i < get16(d + 4); i++)
		if (memcmp(d + 12 + 16 * i, tag, 4) == 0)
			return d + 12 + 16 * i;
	fail_msg("no table %s", tag);
	return NULL;
}

static unsigned char *table_of(unsigned char *d, const char *tag)
{
	return d + get32(entry(d, tag) + 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xFFFF);
}

/* Where glyph g starts in the glyf table of the font d (long or short loca). */
static uint32_t loca_get(unsigned char *d, unsigned g)
{
	unsigned char *loca = table_of(d, "loca");
	return get16(table_of(d, "head") + 50) ? get32(loca + 4 * g) : 2 * get16(loca + 2 * g);
}

static void loca_set(unsigned char *d, unsigned g, uint32_t off)
{
	unsigned char *loca = table_of(d, "loca");
	if (get16(table_of(d, "head") + 50))
		put32(loca + 4 * g, off);
	else
		put16(loca + 2 * g, off / 2);
}

/* Glyph g's data in the font d. */
static unsigned char *glyph_of(unsigned char *d, unsigned g)
{
	return table_of(d, "glyf") + loca_get(d, g);
}

/* Asserts that d is refused with a reason holding want. */
static void refused(const unsigned char *d, size_t len, const char *want)
{
	char *why = NULL;
	pep_ttf *f = pep_ttf_parse(d, len, &why);
	assert_null(f);
	assert_non_null(why);
	if (!strstr(why, want))
		fail_msg("refused as \"%s\", expected \"%s\"", why, want);
	free(why);
}

static pep_ttf *dejavu(void)
{
	char *why = NULL;
	pep_ttf *f = pep_ttf_parse(font, font_len, &why);
	if (!f)
		fail_msg("DejaVu Sans refused: %s", why);
	return f;
}

static void test_dejavu_sans_is_read(void **state)
{
	(void)state;
	pep_ttf *f = dejavu();
	assert_int_equal(pep_ttf_glyph_count(f), get16(table_of(font, "maxp") + 4));
	assert_int_not_equal(pep_ttf_glyph(f, 'A'), 0);
	assert_int_not_equal(pep_ttf_glyph(f, 0x0142), 0); /* ł */
	assert_int_not_equal(pep_ttf_glyph(f, 0x1EC5), 0); /* ễ */
	assert_int_equal(pep_ttf_glyph(f, 0x4E2D), 0);     /* a CJK ideograph: not in DejaVu */
	assert_int_equal(pep_ttf_glyph(f, 0x1F600), 0);    /* outside the BMP: libharu cannot draw it */
	assert_int_equal(pep_ttf_glyph(f, 0x110000), 0);
	assert_int_equal(pep_ttf_depth(f, pep_ttf_glyph(f, 'e')), 0);
	/* ễ is e and a composite of circumflex and tilde: two deep */
	assert_int_equal(pep_ttf_depth(f, pep_ttf_glyph(f, 0x1EC5)), 2);
	size_t n;
	const uint16_t *parts = pep_ttf_components(f, pep_ttf_glyph(f, 0x1EC5), &n);
	assert_int_equal(n, 2);
	assert_true(parts[0] == pep_ttf_glyph(f, 'e') || parts[1] == pep_ttf_glyph(f, 'e'));
	assert_null(pep_ttf_components(f, pep_ttf_glyph(f, 'e'), &n));
	assert_int_equal(n, 0);
	pep_ttf_free(f);
	pep_ttf_free(NULL);
}

/* What libharu 2.3.0 keeps (the glyph and its direct parts) loses the
 * marks of ễ; pep_ttf_keep_parts keeps every part at any depth. */
static void test_every_part_is_kept(void **state)
{
	(void)state;
	pep_ttf *f = dejavu();
	size_t n = pep_ttf_glyph_count(f);
	unsigned char *used = xcalloc(n, 1);
	const uint32_t text[] = {0x1EC5, 0x1EA7, 0x1EBF, 0x1ED9, 0x1EF1, 0x01FB};
	for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
		unsigned g = pep_ttf_glyph(f, text[i]);
		size_t k;
		const uint16_t *parts = pep_ttf_components(f, g, &k);
		used[g] = 1;
		for (size_t j = 0; j < k; j++)
			used[parts[j]] = 1; /* libharu's one level */
	}
	size_t lost = 0;
	for (size_t g = 0; g < n; g++) {
		size_t k;
		const uint16_t *parts = pep_ttf_components(f, (unsigned)g, &k);
		for (size_t j = 0; used[g] && j < k; j++)
			lost += !used[parts[j]];
	}
	assert_true(lost > 0); /* the defect, reproduced */
	pep_ttf_keep_parts(f, used, n);
	for (size_t g = 0; g < n; g++) {
		size_t k;
		const uint16_t *parts = pep_ttf_components(f, (unsigned)g, &k);
		for (size_t j = 0; used[g] && j < k; j++)
			assert_true(used[parts[j]]);
	}
	/* a shorter flag array is kept within its length */
	memset(used, 0, n);
	used[pep_ttf_glyph(f, 0x1EC5)] = 1;
	pep_ttf_keep_parts(f, used, 1);
	assert_int_equal(used[pep_ttf_glyph(f, 'e')], 0);
	free(used);
	pep_ttf_free(f);
}

/* The fonts make builds have no composite glyph at all, so libharu's
 * subsetting has no part to lose (build-aux/pepsans.py). */
static void test_the_bundled_fonts_have_no_composite_glyph(void **state)
{
	(void)state;
	const char *names[] = {"fonts/PepSans.ttf", "fonts/PepSans-Bold.ttf"};
	for (size_t i = 0; i < 2; i++) {
		char *path = pep_data_file(names[i]);
		if (!path)
			fail_msg("%s is not built", names[i]);
		char *err = NULL;
		pep_ttf *f = pep_ttf_load(path, &err);
		if (!f)
			fail_msg("%s", err);
		assert_int_not_equal(pep_ttf_glyph(f, 0x1EC5), 0);
		for (size_t g = 0; g < pep_ttf_glyph_count(f); g++)
			if (pep_ttf_depth(f, (unsigned)g) != 0)
				fail_msg("%s: glyph %zu is a composite", path, g);
		pep_ttf_free(f);
		free(path);
	}
}

static void test_files_that_are_not_fonts(void **state)
{
	(void)state;
	char *err = NULL;
	assert_null(pep_ttf_load("/nonexistent/font.ttf", &err));
	assert_non_null(strstr(err, "cannot read the font /nonexistent/font.ttf"));
	free(err);
	assert_null(pep_ttf_load("/usr/share", &err));
	assert_non_null(strstr(err, "cannot use the font /usr/share: this is a folder, not a TrueType (.ttf) font"));
	free(err);
	/* A named pipe is refused at once, never waited on (fopen would wait
	 * for a writer for ever); so is a device. */
	char fifo[] = "/tmp/pep-ttf-fifo-XXXXXX";
	assert_non_null(mkdtemp(fifo));
	char *pipe = xasprintf("%s/Font.ttf", fifo);
	assert_int_equal(mkfifo(pipe, 0600), 0);
	assert_null(pep_ttf_load(pipe, &err));
	assert_non_null(strstr(err, "this is not a regular file (a device, pipe or socket); give a TrueType (.ttf) font"));
	free(err);
	unlink(pipe);
	rmdir(fifo);
	free(pipe);
	assert_null(pep_ttf_load("/dev/zero", &err));
	assert_non_null(strstr(err, "this is not a regular file"));
	free(err);

	refused((const unsigned char *)"", 0, "it is not a TrueType font");
	refused((const unsigned char *)"not a font at all", 17, "it is not a TrueType font");
	refused((const unsigned char *)"OTTO\0\0\0\0\0\0\0\0", 12, "CFF outlines");
	refused((const unsigned char *)"ttcf\0\0\0\0\0\0\0\0", 12, "TrueType collection");
	refused((const unsigned char *)"wOFF\0\0\0\0\0\0\0\0", 12, "web font");
}

/* Every prefix of a font is refused, without reading past it (the
 * sanitizers would say). */
static void test_a_font_cut_short(void **state)
{
	(void)state;
	refused(font, 4096, "lies outside the file");
	for (size_t len = 0; len + 4 < font_len; len += len < 512 ? 1 : 4093) {
		unsigned char *c = xmalloc(len ? len : 1);
		memcpy(c, font, len);
		char *why = NULL;
		pep_ttf *f = pep_ttf_parse(c, len, &why);
		assert_null(f);
		free(why);
		free(c);
	}
}

static void test_the_table_directory(void **state)
{
	(void)state;
	unsigned char *c = copy();
	put16(c + 4, 0);
	refused(c, font_len, "table directory");
	put16(c + 4, 626); /* libharu's limit is 625 */
	refused(c, font_len, "table directory");
	memcpy(c, font, font_len);
	memcpy(entry(c, "post"), "xxxx", 4);
	refused(c, font_len, "no usable 'post' table");
	memcpy(c, font, font_len);
	put32(entry(c, "hhea") + 12, 20); /* hhea's length: 20 bytes */
	refused(c, font_len, "no usable 'hhea' table");
	free(c);
}

static void test_head_maxp_hhea_hmtx(void **state)
{
	(void)state;
	unsigned char *c = copy();
	put16(table_of(c, "head") + 18, 0); /* units per em: libharu divides by it */
	refused(c, font_len, "0 units per em");
	memcpy(c, font, font_len);
	put16(table_of(c, "head") + 12, 0);
	refused(c, font_len, "magic number");
	memcpy(c, font, font_len);
	put16(table_of(c, "head") + 50, 2);
	refused(c, font_len, "glyph offset format of 2");
	memcpy(c, font, font_len);
	put16(table_of(c, "maxp") + 4, 0);
	refused(c, font_len, "it has no glyphs");
	memcpy(c, font, font_len);
	/* more metrics than glyphs overrun libharu's array */
	put16(table_of(c, "hhea") + 34, get16(table_of(c, "maxp") + 4) + 1);
	refused(c, font_len, "horizontal metrics for");
	memcpy(c, font, font_len);
	put32(entry(c, "hmtx") + 12, 100);
	refused(c, font_len, "'hmtx' table) are cut short");
	free(c);
}

static void test_loca_and_glyf(void **state)
{
	(void)state;
	pep_ttf *f = dejavu();
	unsigned comp = pep_ttf_glyph(f, 0x1EC5); /* ễ */
	unsigned nglyphs = (unsigned)pep_ttf_glyph_count(f);
	size_t n;
	const uint16_t *parts = pep_ttf_components(f, comp, &n);
	unsigned marks = pep_ttf_depth(f, parts[0]) ? parts[0] : parts[1]; /* the two marks, a composite */
	assert_int_equal(pep_ttf_depth(f, marks), 1);
	pep_ttf_free(f);

	unsigned char *c = copy();
	loca_set(c, 10, loca_get(c, 11) + 2); /* glyph 10 ends before it starts */
	refused(c, font_len, "its glyph 10 lies outside its 'glyf' table");
	memcpy(c, font, font_len);
	put32(entry(c, "glyf") + 12, 100);
	refused(c, font_len, "lies outside its 'glyf' table");

	/* ễ's glyph made 6 bytes long, then 12: its records cut short */
	memcpy(c, font, font_len);
	loca_set(c, comp + 1, loca_get(c, comp) + 6);
	refused(c, font_len, "is cut short");
	loca_set(c, comp + 1, loca_get(c, comp) + 12);
	refused(c, font_len, "its composite glyph");

	memcpy(c, font, font_len);
	unsigned char *g = glyph_of(c, comp);
	assert_int_equal(get16(g), 0xFFFF); /* -1: a composite */
	put16(g + 12, nglyphs);
	refused(c, font_len, "is made of glyph");
	put16(g + 12, comp);
	refused(c, font_len, "is made of itself");
	memcpy(c, font, font_len);
	put16(glyph_of(c, comp), 0xFFFE);
	refused(c, font_len, "contour count of -2");

	/* a loop of two: the marks made of ễ */
	memcpy(c, font, font_len);
	g = glyph_of(c, marks);
	assert_int_equal(get16(g), 0xFFFF);
	put16(g + 12, comp);
	refused(c, font_len, "is made of itself");
	free(c);
}

/* The cmap subtable libharu uses (3, 1, format 4) in the font d. */
static unsigned char *cmap4(unsigned char *d)
{
	unsigned char *t = table_of(d, "cmap");
	for (uint32_t i = 0; i < get16(t + 2); i++) {
		unsigned char *r = t + 4 + 8 * i;
		if (get16(r) == 3 && get16(r + 2) == 1 && get16(t + get32(r + 4)) == 4)
			return t + get32(r + 4);
	}
	fail_msg("no format 4 subtable");
	return NULL;
}

static void test_cmap(void **state)
{
	(void)state;
	unsigned char *c = copy();
	put16(table_of(c, "cmap"), 1);
	refused(c, font_len, "version 1");
	memcpy(c, font, font_len);
	unsigned char *t = table_of(c, "cmap");
	for (uint32_t i = 0; i < get16(t + 2); i++)
		if (get16(t + 4 + 8 * i) == 3)
			put16(t + 4 + 8 * i + 2, 10);
	refused(c, font_len, "no Unicode character map");

	memcpy(c, font, font_len);
	unsigned char *s = cmap4(c);
	unsigned segs = get16(s + 6) / 2;
	put16(s + 14 + 2 * (segs - 1), 0xFFFE); /* the last segment must end at U+FFFF */
	put16(s + 16 + 2 * segs + 2 * (segs - 1), 0xFFFE);
	refused(c, font_len, "does not end at U+FFFF");

	memcpy(c, font, font_len);
	s = cmap4(c);
	put16(s + 2, 20); /* length */
	refused(c, font_len, "wrong length");

	memcpy(c, font, font_len);
	s = cmap4(c);
	/* segment 0 with a delta that sends its characters past the glyphs */
	unsigned start = get16(s + 16 + 2 * segs), range = get16(s + 16 + 6 * segs);
	assert_int_equal(range, 0);
	put16(s + 16 + 4 * segs, (0xFFF0 - start) & 0xFFFF);
	refused(c, font_len, "glyph 65520");

	memcpy(c, font, font_len);
	s = cmap4(c);
	/* segment 0 pointing into the glyph id array, just past its end:
	 * libharu reads that entry (its check is off by one) */
	uint32_t ids = (get16(s + 2) - (16 + 8 * segs)) / 2;
	put16(s + 16 + 6 * segs, (uint16_t)(2 * (ids + segs)));
	refused(c, font_len, "points past its glyph list");

	memcpy(c, font, font_len);
	s = cmap4(c);
	put16(s + 14, get16(s + 14 + 2)); /* two segments ending at the same place */
	refused(c, font_len, "out of order");
	free(c);
}

static void test_name_and_os2(void **state)
{
	(void)state;
	unsigned char *c = copy();
	unsigned char *t = table_of(c, "name");
	for (uint32_t i = 0; i < get16(t + 2); i++)
		if (get16(t + 6 + 12 * i + 6) == 6)
			put16(t + 6 + 12 * i + 6, 7);
	refused(c, font_len, "no PostScript name");
	memcpy(c, font, font_len);
	t = table_of(c, "name");
	put16(t + 6 + 10, 0xFFF0); /* the first record's string offset */
	refused(c, font_len, "string 0 lies outside it");
	memcpy(c, font, font_len);
	t = table_of(c, "name");
	for (uint32_t i = 0; i < get16(t + 2); i++)
		if (get16(t + 6 + 12 * i + 6) == 6 && get16(t + 6 + 12 * i) == 1)
			put16(t + 6 + 12 * i + 8, 120); /* a PostScript name too long */
	refused(c, font_len, "longer than libharu allows");

	const struct {
		unsigned bits;
		const char *why;
	} licences[] = {{0x0002, "forbids embedding"}, {0x0100, "no subsetting"}, {0x0200, "bitmap only"}};
	for (size_t i = 0; i < 3; i++) {
		memcpy(c, font, font_len);
		put16(table_of(c, "OS/2") + 8, licences[i].bits);
		refused(c, font_len, licences[i].why);
	}
	memcpy(c, font, font_len);
	put16(table_of(c, "OS/2") + 8, 0x0008); /* editable embedding is fine */
	char *why = NULL;
	pep_ttf *f = pep_ttf_parse(c, font_len, &why);
	assert_non_null(f);
	pep_ttf_free(f);
	memcpy(c, font, font_len);
	put32(entry(c, "OS/2") + 12, 80); /* version 1 and later need 86 bytes */
	refused(c, font_len, "no usable 'OS/2' table");
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dejavu_sans_is_read),
		cmocka_unit_test(test_every_part_is_kept),
		cmocka_unit_test(test_the_bundled_fonts_have_no_composite_glyph),
		cmocka_unit_test(test_files_that_are_not_fonts),
		cmocka_unit_test(test_a_font_cut_short),
		cmocka_unit_test(test_the_table_directory),
		cmocka_unit_test(test_head_maxp_hhea_hmtx),
		cmocka_unit_test(test_loca_and_glyf),
		cmocka_unit_test(test_cmap),
		cmocka_unit_test(test_name_and_os2),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
