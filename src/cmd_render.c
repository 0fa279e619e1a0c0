/* cmd_render.c: pep render [options] FILE -o OUT.pdf | -d OUTDIR FILE... */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "outfile.h"
#include "pdf.h"
#include "strbuf.h"
#include "xalloc.h"

enum { OPT_COPY = 300, OPT_PDFA, OPT_FONT };

static const char *const copies[] = {"full", "child", NULL};

static const pep_option options[] = {
	{"output", 'o', "OUT.pdf", "write the PDF of the one FILE here (-: to standard output)"},
	{"dir", 'd', "OUTDIR", "write one PDF per FILE here, named <LA child id>_PEP_<date>.pdf"},
	{"copy", OPT_COPY, "WHICH", "full (the default), or child: leave out sensitive social-care detail"},
	{"pdfa", OPT_PDFA, NULL, "PDF/A-1b output for archival"},
	{"font", OPT_FONT, "FILE", "set the text in this TrueType font, checked first (default: DejaVu Sans)"},
	{"force", PEP_OPT_FORCE, NULL, "replace a file that is not this child's PDF of this meeting (never an input)"},
	PEP_CHECK_OPTIONS,
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {"render [options] FILE -o OUT.pdf", "render [options] -d OUTDIR FILE...", NULL};

static const pep_usage usage = {
	synopsis,
	"Renders each PEP to an A4 PDF fit for upload to the child's record: a title\n"
	"block, sections A to D, tables, OFFICIAL-SENSITIVE and the child's name and\n"
	"LA child id on every page. A file that fails the schema is refused and\n"
	"nothing is written; its problems are printed as validate prints them. A PEP\n"
	"that fails a rule (judged with --la, --stage, --as-of, --calendar and\n"
	"--strict as validate does) is rendered marked NOT SIGNED OFF on every page,\n"
	"with the failing rules on the first.\n"
	"\n"
	"The child's copy (--copy child) leaves out parental responsibility, contact\n"
	"arrangements, pre-care history, health issues, emotional wellbeing and the\n"
	"SDQ, and says so on its first page. Each PDF is written to an unnamed file in\n"
	"the target's folder and given its name only when complete, so a failure\n"
	"never leaves a partial PDF. With SOURCE_DATE_EPOCH set, the same input gives the same bytes.\n"
	"A character no font has (an emoji, say) is printed as a box, and each field\n"
	"holding one is named on standard error (FILE:LINE: warning: [FONT] ...).\n"
	"A PDF records the LA, LA child id and meeting date it was made for: an\n"
	"existing file is replaced only when it is that same child's same meeting\n"
	"(or with --force), never when it is an input. With -d, a name another\n"
	"child's PDF holds gets -2, -3, ... and one line per file says where its PDF\n"
	"is. With -o - the PDF goes to standard output (a pipe or a file, never a\n"
	"terminal) and any messages to standard error.",
	options,
	"Exit status: 0 every PDF is written and no file has an error; 1 a file has\n"
	"an error (refused, or rendered NOT SIGNED OFF); 2 not done as asked (bad\n"
	"option, a file that cannot be read, a PDF that cannot be written).",
};

struct args {
	pep_check_args check;
	const char *output, *dir, *font;
	int copy; /* index in copies */
	bool pdfa;
	bool force;
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	int r = pep_check_args_option(cli, &a->check, key, arg);
	if (r >= 0)
		return r;
	switch (key) {
	case 'o':
		a->output = arg;
		return 0;
	case 'd':
		a->dir = arg;
		return 0;
	case OPT_COPY:
		return pep_cli_choice(cli, "copy", arg, copies, &a->copy) ? 0 : PEP_EXIT_USAGE;
	case OPT_PDFA:
		a->pdfa = true;
		return 0;
	case OPT_FONT:
		a->font = arg;
		return 0;
	case PEP_OPT_FORCE:
		a->force = true;
		return 0;
	default:
		return PEP_EXIT_USAGE;
	}
}

/* The stem of a PEP's file name in -d mode: "<LA child id>_PEP_<meeting
 * date>", the id cleaned by outfile.h (never a path, never starting with
 * '-'; never the child's name). NULL when the PEP has no LA child id.
 * Caller frees. */
static char *pdf_stem(const pep_model *m)
{
	if (pep_text_blank(m->a.personal.la_child_id))
		return NULL;
	char *id = pep_outfile_clean_name(m->a.personal.la_child_id.s, 64);
	char date[11] = "undated";
	if (m->d.date.d != PEP_NO_DAY)
		pep_date_format(m->d.date.d, date);
	char *stem = xasprintf("%s_PEP_%s", id, date);
	free(id);
	return stem;
}

/* What this PDF is, for the output policy: this LA's child's meeting
 * (outfile.h's identity). Caller frees. */
static char *pdf_identity(const pep_model *m)
{
	char date[11] = "";
	if (m->d.date.d != PEP_NO_DAY)
		pep_date_format(m->d.date.d, date);
	return pep_output_identity(m->header.la.code.s, m->a.personal.la_child_id.s, date);
}

/* ------------------------------------------------------------------ */
/* Characters the fonts lack                                            */
/* ------------------------------------------------------------------ */

/* The characters pep_pdf_render found no glyph for, in code point order. */
typedef struct missing_chars {
	uint32_t *cp;
	size_t n, cap;
} missing_chars;

static void on_missing(void *ctx, uint32_t cp)
{
	missing_chars *mc = ctx;
	if (mc->n == mc->cap) {
		mc->cap = mc->cap ? 2 * mc->cap : 16;
		mc->cp = xrealloc(mc->cp, mc->cap * sizeof *mc->cp);
	}
	mc->cp[mc->n++] = cp;
}

/* What kind of character cp is, when that is cheap to say ("" otherwise). */
static const char *char_kind(uint32_t cp)
{
	static const struct {
		uint32_t lo, hi;
		const char *what;
	} kinds[] = {
		{0x1F000, 0x1FAFF, " (an emoji)"},        {0x2600, 0x27BF, " (a symbol)"},
		{0xFE00, 0xFE0F, " (a variation selector)"}, {0x200B, 0x200D, " (a zero-width character)"},
		{0x3400, 0x9FFF, " (a CJK ideograph)"},   {0x20000, 0x3FFFF, " (a CJK ideograph)"},
		{0xAC00, 0xD7AF, " (a Hangul syllable)"}, {0x3040, 0x30FF, " (a kana)"},
		{0xE000, 0xF8FF, " (a private-use character)"}, {0xF0000, 0x10FFFF, " (a private-use character)"},
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (cp >= kinds[i].lo && cp <= kinds[i].hi)
			return kinds[i].what;
	return "";
}

typedef struct gap_report {
	pep_cli *cli;
	const char *file;
	const missing_chars *mc;
	bool *named; /* per missing character: some field has it */
} gap_report;

/* cp in UTF-8, NUL-terminated (UTF-8 never matches inside another
 * character, so strstr finds exactly the character). */
static void utf8(uint32_t cp, char out[5])
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		*o++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*o++ = (unsigned char)(0xC0 | cp >> 6);
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (unsigned char)(0xE0 | cp >> 12);
		*o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (unsigned char)(0xF0 | cp >> 18);
		*o++ = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	}
	*o = 0;
}

/* Warns about one text field holding characters the fonts lack: the file,
 * line and path of the field and the characters, never the value. */
static void warn_field(void *ctx, const char *path, pep_text t)
{
	gap_report *r = ctx;
	uint32_t shown[5];
	size_t found = 0, outside = 0;
	for (size_t k = 0; k < r->mc->n; k++) {
		char want[5];
		utf8(r->mc->cp[k], want);
		if (!strstr(t.s, want))
			continue;
		r->named[k] = true;
		outside += r->mc->cp[k] > 0xFFFF;
		if (found < 5)
			shown[found] = r->mc->cp[k];
		found++;
	}
	pep_buf list = PEP_BUF_INIT; /* "U+4E2D (a CJK ideograph) and U+1F600 (an emoji)" */
	for (size_t i = 0; i < found && i < 5; i++)
		pep_buf_printf(&list, "%sU+%04X%s", i == 0 ? "" : i + 1 == found ? " and " : ", ", (unsigned)shown[i],
		               char_kind(shown[i]));
	if (found > 5)
		pep_buf_printf(&list, " and %zu more", found - 5);
	if (found) {
		/* libharu draws a character outside the Basic Multilingual Plane
		 * as U+FFFD (pdf.c), one the font lacks as its empty box */
		const char *as = outside == found ? "a replacement mark (U+FFFD)"
		                 : outside      ? "empty boxes or replacement marks (U+FFFD)"
		                                : found == 1 ? "an empty box" : "empty boxes";
		pep_put_path(r->cli->err, r->file);
		fprintf(r->cli->err,
		        ":%d: warning: [FONT] /pep/%s has %s, which the PDF's font lacks: printed as %s; write %s "
		        "another way, or give a font that has %s with --font\n",
		        t.line, path, pep_buf_str(&list), as, found == 1 ? "it" : "them", found == 1 ? "it" : "them");
	}
	pep_buf_free(&list);
}

/* Warns, per field of m, about the characters mc that the PDF of file
 * could not draw (and about any found in no field). */
static void warn_missing(pep_cli *cli, const char *file, const pep_model *m, const missing_chars *mc)
{
	if (!mc->n)
		return;
	gap_report r = {cli, file, mc, xcalloc(mc->n, sizeof(bool))};
	pep_bind_each_text(&pep_model_desc, m, warn_field, &r);
	for (size_t k = 0; k < mc->n; k++)
		if (!r.named[k]) {
			pep_put_path(cli->err, file);
			fprintf(cli->err, ": warning: [FONT] the PDF has U+%04X%s, which its font lacks\n", (unsigned)mc->cp[k],
			        char_kind(mc->cp[k]));
		}
	free(r.named);
}

/* -o - : the PDF goes to standard output. */
static bool to_stdout(const char *path)
{
	return path && strcmp(path, "-") == 0;
}

/* Writes len bytes to path (or standard output for "-") under policy p;
 * false with a message on failure. */
static bool write_pdf(pep_cli *cli, const char *path, const pep_output_policy *p, const unsigned char *data,
                      size_t len)
{
	char *err = NULL;
	pep_outfile *o = pep_outfile_create(path, p, &err);
	if (o) {
		fwrite(data, 1, len, pep_outfile_stream(o));
		if (pep_outfile_commit(o, &err))
			return true;
	}
	pep_cli_error(cli, "%s", err);
	free(err);
	return false;
}

int cmd_render(pep_cli *cli, int argc, char **argv)
{
	struct args a;
	int first;
	memset(&a, 0, sizeof a);
	pep_check_args_init(&a.check);
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	if (first >= argc)
		return pep_cli_usage_error(cli, "no file given: name the PEP file to render");
	if (a.output && a.dir)
		return pep_cli_usage_error(cli, "give either -o OUT.pdf or -d OUTDIR, not both");
	if (!a.output && !a.dir)
		return pep_cli_usage_error(cli, "say where the PDF goes: -o OUT.pdf for one file, or -d OUTDIR");
	if (a.output && argc - first > 1)
		return pep_cli_usage_error(cli, "-o takes one FILE, and %d were given: use -d OUTDIR for several",
		                           argc - first);
	if (to_stdout(a.output) && isatty(fileno(cli->out)))
		return pep_cli_usage_error(cli, "-o - would print the PDF on the terminal: redirect standard output to a file or a pipe, or give -o OUT.pdf");
	if (a.dir) {
		struct stat st;
		if (stat(a.dir, &st) != 0 || !S_ISDIR(st.st_mode))
			return pep_cli_usage_error(cli, "-d %s is not a folder: create it first", a.dir);
	}

	/* Never written over: the PEPs, the calendars and the font. */
	pep_inputs *inputs = pep_inputs_new();
	for (int i = first; i < argc; i++)
		pep_inputs_add(inputs, argv[i]);
	for (size_t i = 0; i < a.check.cfg.ncalendars; i++)
		pep_inputs_add(inputs, a.check.calendars[i]);
	pep_inputs_add(inputs, a.font);
	pep_output_args out = {a.output, true}; /* (whether it may be replaced is known once the PEP is read) */
	if (a.output && pep_cli_check_output(cli, &out, inputs, NULL, true) != PEP_EXIT_OK) {
		pep_inputs_free(inputs);
		return PEP_EXIT_USAGE;
	}
	out.force = a.force;

	char *err = NULL;
	pep_checker *checker = pep_check_args_checker(cli, &a.check);
	if (!checker) {
		pep_inputs_free(inputs);
		return PEP_EXIT_USAGE;
	}
	pep_xml_loader *loader = pep_checker_loader(checker);
	missing_chars missing = {NULL, 0, 0};
	pep_pdf_options po = {a.copy == 1,
	                      a.pdfa,
	                      a.check.cfg.strict,
	                      a.font,
	                      pep_date_generated(),
	                      pep_date_generated_time(),
	                      "pep " PEP_VERSION,
	                      on_missing,
	                      &missing,
	                      NULL};
	int status = PEP_EXIT_OK;
	size_t n = (size_t)(argc - first);
	pep_outfile_names *names = pep_outfile_names_new(); /* -d: the names this run gives */

	for (size_t i = 0; i < n; i++) {
		const char *path = argv[first + (int)i];
		pep_diags *d = pep_diags_new(path);
		pep_doc *doc = NULL;
		unsigned char *pdf = NULL;
		size_t len = 0, pages = 0;
		char *target = NULL, *stem = NULL, *identity = NULL;
		bool renamed = false;
		pep_load_status st = pep_check_file(checker, loader, path, d, &doc);
		if (pep_diags_unchecked(d)) {
			for (size_t k = 0; k < pep_diags_count(d); k++)
				pep_cli_error(cli, "%s: %s", path, pep_diags_at(d, k)->message);
			status = PEP_EXIT_USAGE;
			goto next;
		}
		/* (with the PDF on standard output, its messages go to standard error) */
		pep_diags_write_text(to_stdout(a.output) ? cli->err : cli->out, d);
		if (st != PEP_LOAD_OK || !doc) {
			pep_cli_error(cli, "%s: not rendered: it is not a valid PEP (see above); nothing was written", path);
			if (status == PEP_EXIT_OK)
				status = PEP_EXIT_ERRORS;
			goto next;
		}
		const pep_model *m = pep_doc_model(doc);
		identity = pdf_identity(m);
		pep_output_policy policy = pep_output_args_policy(cli, &out, inputs, identity, true);
		if (a.dir) {
			stem = pdf_stem(m);
			if (!stem) {
				pep_cli_error(cli, "%s: not rendered: it has no LA child id to name the PDF by; add laChildId, or use -o",
				              path);
				if (status == PEP_EXIT_OK)
					status = PEP_EXIT_ERRORS;
				goto next;
			}
			policy.std_out = NULL; /* a file named "-" is a file */
			bool duplicate = false;
			target = pep_outfile_names_take(names, a.dir, stem, ".pdf", &policy, &renamed, &duplicate, &err);
			if (!target) {
				pep_cli_error(cli, "%s: not rendered: %s", path, err);
				free(err);
				err = NULL;
				status = duplicate ? PEP_EXIT_USAGE : status == PEP_EXIT_OK ? PEP_EXIT_ERRORS : status;
				goto next;
			}
			if (renamed)
				policy.replace = PEP_REPLACE_SAME; /* a name chosen for being free, or this child's */
		} else {
			target = xstrdup(a.output);
		}
		po.identity = identity;
		missing.n = 0;
		if (!pep_pdf_render(m, d, &po, &pdf, &len, &pages, &err)) {
			pep_cli_error(cli, "%s: not rendered: %s", path, err);
			free(err);
			err = NULL;
			status = PEP_EXIT_USAGE;
			goto next;
		}
		if (!write_pdf(cli, target, &policy, pdf, len)) {
			status = PEP_EXIT_USAGE;
			goto next;
		}
		warn_missing(cli, path, m, &missing);
		size_t nfail = pep_pdf_failures(d, a.check.cfg.strict);
		if (nfail && status == PEP_EXIT_OK)
			status = PEP_EXIT_ERRORS;
		if (a.dir) {
			pep_put_path(cli->out, path);
			fputs(" -> ", cli->out);
			pep_put_path(cli->out, target);
			fprintf(cli->out, " (%zu page%s, %zu KB%s", pages, pages == 1 ? "" : "s", (len + 1023) / 1024,
			        nfail ? ", NOT SIGNED OFF" : "");
			if (renamed)
				fprintf(cli->out, "; %s.pdf holds another child's PDF or another file", stem);
			fputs(")\n", cli->out);
		}
	next:
		free(pdf);
		free(target);
		free(stem);
		free(identity);
		pep_doc_free(doc);
		pep_diags_free(d);
	}
	pep_outfile_names_free(names);
	pep_inputs_free(inputs);
	free(missing.cp);
	pep_xml_loader_free(loader);
	pep_checker_free(checker);
	return status;
}
