/* ttf.h: TrueType fonts, read and checked before libharu sees them.
 *
 * libharu 2.3.0 reads a font's tables without checking them: an offset
 * past the end of a table, a units-per-em of 0 or more horizontal metrics
 * than glyphs make it read or write outside its buffers, or divide by zero.
 * So every font pep hands to libharu is read here first, and refused unless
 * each table libharu reads is whole and sane: the table directory, head,
 * hhea, maxp, hmtx, loca, glyf (every composite glyph's parts, at any
 * depth), cmap (the Windows Unicode format 4 map libharu uses, every
 * character of it leading to a glyph of the font), name (the PostScript and
 * style names libharu takes, as libharu takes them), OS/2 (including the
 * licence's embedding bits) and post.
 *
 * The font read also answers what libharu would draw for a character
 * (pep_ttf_glyph looks characters up as libharu does) and which glyphs a
 * glyph is made of: libharu 2.3.0 embeds a composite glyph's parts but not
 * the parts of those parts, so src/pdf.c adds them (pep_ttf_keep_parts).
 *
 * Ownership: pep_ttf_load() and pep_ttf_parse() return a font the caller
 * frees with pep_ttf_free() (accepts NULL); it holds its own copy of the
 * bytes and is never changed after, so threads may share one. Messages
 * (*err, *why) are the caller's to free. */
#ifndef PEP_TTF_H
#define PEP_TTF_H

#include <stddef.h>
#include <stdint.h>

typedef struct pep_ttf pep_ttf;

/* The largest font file read (bytes). */
#define PEP_TTF_MAX_SIZE (64u << 20)

/* Reads and checks the font file at path. NULL when it cannot be read or
 * libharu could not use it, with *err one line naming the file, what is
 * wrong and what to do ("cannot use the font F: its table 'glyf' lies
 * outside the file; give a TrueType (.ttf) font such as DejaVu Sans"). */
pep_ttf *pep_ttf_load(const char *path, char **err);

/* The same for the len bytes at data (copied); *why says only what is
 * wrong ("its table 'glyf' lies outside the file"). */
pep_ttf *pep_ttf_parse(const unsigned char *data, size_t len, char **why);

void pep_ttf_free(pep_ttf *f);

/* The number of glyphs (maxp). */
size_t pep_ttf_glyph_count(const pep_ttf *f);

/* The font file's bytes, as read (borrowed; *len of them): what src/pdf.c
 * hands to libharu, once per thread, without reading the file again. */
const unsigned char *pep_ttf_data(const pep_ttf *f, size_t *len);

/* The glyph libharu draws for the character cp: found in the Windows
 * Unicode map as libharu 2.3.0 finds it; 0 (.notdef, an empty box) when
 * the font has none, and for every character outside the Basic
 * Multilingual Plane, which libharu cannot draw at all. */
unsigned pep_ttf_glyph(const pep_ttf *f, uint32_t cp);

/* The glyphs that glyph gid is made of, as its composite record lists them
 * (borrowed; *n of them, 0 for a simple glyph or a gid past the end). */
const uint16_t *pep_ttf_components(const pep_ttf *f, unsigned gid, size_t *n);

/* The depth of glyph gid's parts: 0 for a simple glyph, 1 for a composite
 * of simple glyphs, 2 when a part is itself a composite, and so on. */
unsigned pep_ttf_depth(const pep_ttf *f, unsigned gid);

/* Marks in used[0..n) (a byte per glyph, non-zero = embedded, as libharu
 * keeps them) every glyph that a marked glyph is made of, at any depth. */
void pep_ttf_keep_parts(const pep_ttf *f, unsigned char *used, size_t n);

#endif
