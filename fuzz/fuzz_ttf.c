/* fuzz_ttf.c: the TrueType reader (src/ttf.c), and libharu behind it.
 * Byte 0: bit 0 also renders a PEP in the font whenever the reader accepts
 * it, so that a font the reader lets through is shown to be one libharu
 * 2.3.0 reads safely too (the font is given as a file, a memfd at
 * /proc/self/fd/N, as --font gives it). The rest is the font. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "pdf.h"
#include "sections.h"
#include "ttf.h"

static pep_doc *doc; /* the sample rendered, kept for the process's life */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup();
	pep_checker *checker = fuzz_checker();
	pep_xml_loader *loader = pep_checker_loader(checker);
	pep_diags *d = pep_diags_new("sample");
	if (pep_doc_load(loader, PEP_SOURCE_DIR "/samples/kent-early-years.xml", false, d, &doc) != PEP_LOAD_OK)
		abort();
	pep_diags_free(d);
	pep_xml_loader_free(loader);
	pep_checker_free(checker);
	return 0;
}

/* Renders the sample in the font data[0..size) (accepted by the reader). */
static void render(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-font", MFD_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, data, size) == (ssize_t)size) {
		char path[64];
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		pep_sections_options so;
		memset(&so, 0, sizeof so);
		pep_date_parse("2026-07-17", &so.generated);
		so.generator = "pep fuzz";
		pep_pdf_options o;
		memset(&o, 0, sizeof o);
		o.font = path;
		o.created = 1784246400; /* 2026-07-17 */
		o.generator = "pep fuzz";
		pep_document *d = pep_sections_build(pep_doc_model(doc), NULL, &so);
		unsigned char *pdf = NULL;
		size_t len = 0, pages = 0;
		char *err = NULL;
		pep_pdf_write(d, &o, &pdf, &len, &pages, &err);
		pep_document_free(d);
		free(pdf);
		free(err);
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *why = NULL;
	pep_ttf *f = pep_ttf_parse(data + 1, size - 1, &why);
	free(why);
	if (!f)
		return 0;
	/* every lookup and every part of every glyph */
	size_t n = pep_ttf_glyph_count(f);
	unsigned char *used = calloc(n, 1);
	for (uint32_t cp = 0; cp <= 0x10000; cp++) {
		unsigned g = pep_ttf_glyph(f, cp);
		if (g >= n || !used)
			abort();
		used[g] = 1;
	}
	if (used) {
		memset(used, 1, n);
		pep_ttf_keep_parts(f, used, n);
	}
	free(used);
	pep_ttf_free(f);
	if (data[0] & 1)
		render(data + 1, size - 1);
	return 0;
}
