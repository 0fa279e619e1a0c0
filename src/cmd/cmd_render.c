/* cmd_render.c: pep render [options] FILE -o OUT | -d OUTDIR FILE... |
 * --blank --la CODE --kind KIND -o OUT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "format.h"
#include "html.h"
#include "outfile.h"
#include "pdf.h"
#include "sections.h"
#include "strbuf.h"
#include "xalloc.h"

enum { OPT_COPY = 300, OPT_PDFA, OPT_FONT, OPT_BLANK, OPT_KIND, OPT_SHOW_VALUES };

static const char *const copies[] = {"full", "child", NULL};
static const char *const formats[] = {"pdf", "html", NULL};
enum { FORMAT_PDF, FORMAT_HTML };

static const pep_option options[] = {
	{"output", 'o', "OUT", "write the one FILE's PDF (or HTML page) here (-: to standard output)"},
	{"dir", 'd', "OUTDIR", "write one file per FILE here, named <LA child id>_PEP_<date>.pdf (or .html; _child before it for the child's copy)"},
	{"format", PEP_OPT_FORMAT, "FORMAT", "pdf (the default), or html: one self-contained, accessible page"},
	{"copy", OPT_COPY, "WHICH", "full (the default), or child: the child's own copy"},
	{"blank", OPT_BLANK, NULL, "a blank form for a meeting held on paper (with --la and --kind, no FILE)"},
	{"kind", OPT_KIND, "KIND", "with --blank: initial, review, transition, post-16, early-years or no-provision"},
	{"pdfa", OPT_PDFA, NULL, "PDF/A-1b output for archival"},
	{"font", OPT_FONT, "FILE", "set the text in this TrueType font, checked first (default: DejaVu Sans)"},
	{"force", PEP_OPT_FORCE, NULL, "replace a file that is not this child's file of this meeting (never an input)"},
	{"jobs", 'j', "N", "with -d: render N files at once (default: the number of processors)"},
	{"show-values", OPT_SHOW_VALUES, NULL, "quote values from the file in its problems, as validate does"},
	PEP_CHECK_OPTIONS,
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {"render [options] FILE -o OUT.pdf",
                                       "render [options] -d OUTDIR FILE...",
                                       "render --blank --la CODE --kind KIND [options] -o OUT.pdf", NULL};

static const pep_usage usage = {
	synopsis,
	"Renders each PEP to an A4 PDF fit for upload to the child's record: a title\n"
	"block, sections A to D, tables, OFFICIAL-SENSITIVE and the child's name (in\n"
	"the family's order) and LA child id on every page. With --format html, the\n"
	"same document as one accessible HTML page that fetches nothing. A file that\n"
	"fails the schema is refused and nothing is written; its problems are printed\n"
	"as validate prints them, but quoting no value from the file unless\n"
	"--show-values is given (\"UPN (value not shown) is not valid\": these\n"
	"messages end up in logs; 'pep validate FILE' shows the values). A PEP on\n"
	"another LA's form (Southwark's) is read as validate reads it, and its title\n"
	"block says which form it was made from. A\n"
	"PEP that fails a rule (judged with --la, --stage, --as-of, --calendar and\n"
	"--strict as validate does) is rendered marked NOT SIGNED OFF on every page,\n"
	"with the failing rules on the first.\n"
	"\n"
	"A draft is rendered as a paper form: room to write in every empty field, blank\n"
	"rows in every table. --blank prints an empty form of a kind for an LA.\n"
	"\n"
	"The child's copy (--copy child) opens with the child's own views and targets\n"
	"in plain words, in larger type, and leaves out " PEP_SECTIONS_CHILD_OMITS ";\n"
	"its first page says so. A character no font has (an emoji, say) is printed\n"
	"in the PDF as an empty box (an HTML page leaves it to the browser's fonts),\n"
	"and each field holding one is named on standard error by its label\n"
	"(FILE:LINE: warning: [FONT] ...). Each file is written to an unnamed file in the\n"
	"target's folder and given its name only when complete, so a failure never\n"
	"leaves a partial one. With SOURCE_DATE_EPOCH set, the same input gives the\n"
	"same bytes. Each file records the LA, LA child id and meeting date it was\n"
	"made for, and which copy (and PDF or page) it is: an existing file is\n"
	"replaced only when it is that same child's same meeting's same copy (or\n"
	"with --force), never when it is a file render reads. With -d, files are\n"
	"rendered in parallel (-j), a name another child's file holds gets -2, -3,\n"
	"... and one line per file, in the order given, says where it went.\n"
	"With -o - the output goes to standard output (a pipe or a file, never a\n"
	"terminal) and any messages to standard error.",
	options,
	"Exit status: 0 every file is written and none has an error; 1 a file has\n"
	"an error (refused, or rendered NOT SIGNED OFF); 2 not done as asked (bad\n"
	"option, a file that cannot be read, an output that cannot be written).",
};

struct args {
	pep_check_args check;
	const char *output, *dir, *font;
	int copy;   /* index in copies */
	int format; /* index in formats */
	int kind;   /* pep_kind, with --blank */
	long jobs;  /* 0: the number of processors */
	bool pdfa, blank, force, show_values;
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	int r = key == PEP_OPT_FORMAT ? -1 : pep_check_args_option(cli, &a->check, key, arg);
	if (r >= 0)
		return r;
	int i;
	switch (key) {
	case 'o':
		a->output = arg;
		return 0;
	case 'd':
		a->dir = arg;
		return 0;
	case 'j':
		return pep_cli_int(cli, "jobs", arg, 1, 256, &a->jobs) ? 0 : PEP_EXIT_USAGE;
	case PEP_OPT_FORMAT:
		return pep_cli_choice(cli, "format", arg, formats, &a->format) ? 0 : PEP_EXIT_USAGE;
	case OPT_COPY:
		return pep_cli_choice(cli, "copy", arg, copies, &a->copy) ? 0 : PEP_EXIT_USAGE;
	case OPT_BLANK:
		a->blank = true;
		return 0;
	case OPT_KIND:
		if (!pep_cli_choice(cli, "kind", arg, pep_kind_names + 1, &i))
			return PEP_EXIT_USAGE;
		a->kind = i + 1;
		return 0;
	case OPT_PDFA:
		a->pdfa = true;
		return 0;
	case OPT_FONT:
		a->font = arg;
		return 0;
	case PEP_OPT_FORCE:
		a->force = true;
		return 0;
	case OPT_SHOW_VALUES:
		a->show_values = true;
		return 0;
	default:
		return PEP_EXIT_USAGE;
	}
}

/* The stem of a PEP's file name in -d mode: "<LA child id>_PEP_<meeting
 * date>", and "_child" after it for the child's copy (so that it never
 * takes the full record's name), the id cleaned by outfile.h (never a
 * path, never starting with '-'; never the child's name). NULL when the
 * PEP has no LA child id. Caller frees. */
static char *out_stem(const pep_model *m, bool child)
{
	if (pep_text_blank(m->a.personal.la_child_id))
		return NULL;
	char *id = pep_outfile_clean_name(m->a.personal.la_child_id.s, 64);
	char date[11] = "undated";
	if (m->d.date.d != PEP_NO_DAY)
		pep_date_format(m->d.date.d, date);
	char *stem = pep_xasprintf("%s_PEP_%s%s", id, date, child ? "_child" : "");
	free(id);
	return stem;
}

/* What this output is, for the output policy: this LA's child's meeting,
 * and which of its outputs (the full record or the child's copy, a PDF or
 * a page: outfile.h's identity), so that one never replaces another.
 * Caller frees. */
static char *out_identity(const pep_model *m, bool child, bool html)
{
	char date[11] = "";
	if (m->d.date.d != PEP_NO_DAY)
		pep_date_format(m->d.date.d, date);
	const char *variant = child ? (html ? "child html" : "child") : html ? "html" : NULL;
	return pep_output_identity(m->header.la.code.s, m->a.personal.la_child_id.s, date, variant);
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
		mc->cp = pep_xrealloc(mc->cp, mc->cap * sizeof *mc->cp);
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
	pep_buf *out; /* the warnings, printed in order by the calling thread */
	const char *file;
	const missing_chars *mc;
	const pep_document *doc; /* what was printed: the words it prints where each field is */
	bool *named;             /* per missing character: some field has it */
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

/* Warns about one text field holding characters the fonts lack: the file
 * and line of the field, the words the PDF prints where it shows it (its
 * label), and the characters; never the value. */
static void warn_field(void *ctx, const char *path, pep_text t)
{
	(void)path;
	gap_report *r = ctx;
	uint32_t shown[5];
	size_t found = 0;
	char *where = NULL;
	for (size_t k = 0; k < r->mc->n; k++) {
		char want[5];
		utf8(r->mc->cp[k], want);
		if (!strstr(t.s, want))
			continue;
		if (!where && !(where = pep_document_where(r->doc, t.s)))
			return; /* a field the PDF leaves out: nothing of it was drawn */
		r->named[k] = true;
		if (found < 5)
			shown[found] = r->mc->cp[k];
		found++;
	}
	if (!found)
		return;
	pep_buf list = PEP_BUF_INIT; /* "U+4E2D (a CJK ideograph) and U+1F600 (an emoji)" */
	for (size_t i = 0; i < found && i < 5; i++)
		pep_buf_printf(&list, "%sU+%04X%s", i == 0 ? "" : i + 1 == found ? " and " : ", ", (unsigned)shown[i],
		               char_kind(shown[i]));
	if (found > 5)
		pep_buf_printf(&list, " and %zu more", found - 5);
	/* the PDF painter (src/render/pdf.c) draws each as an empty box */
	char *file = pep_path_shown(r->file);
	pep_buf_printf(r->out,
	               "%s:%d: warning: [FONT] %s has %s, which the PDF's font lacks: printed as %s; write %s "
	               "another way, or give a font that has %s with --font\n",
	               file, t.line, where, pep_buf_str(&list), found == 1 ? "an empty box" : "empty boxes",
	               found == 1 ? "it" : "them", found == 1 ? "it" : "them");
	free(file);
	free(where);
	pep_buf_free(&list);
}

/* Warns into out, per field of m shown in doc, about the characters mc
 * that the PDF of file could not draw (and about any found in no field). */
static void warn_missing(pep_buf *out, const char *file, const pep_model *m, const pep_document *doc,
                         const missing_chars *mc)
{
	if (!mc->n)
		return;
	gap_report r = {out, file, mc, doc, pep_xcalloc(mc->n, sizeof(bool))};
	pep_bind_each_text(&pep_model_desc, m, warn_field, &r);
	for (size_t k = 0; k < mc->n; k++)
		if (!r.named[k]) {
			char *shown = pep_path_shown(file);
			pep_buf_printf(out, "%s: warning: [FONT] the PDF has U+%04X%s, which its font lacks: printed as an "
			                    "empty box\n",
			               shown, (unsigned)mc->cp[k], char_kind(mc->cp[k]));
			free(shown);
		}
	free(r.named);
}

/* -o - : the output goes to standard output. */
static bool to_stdout(const char *path)
{
	return path && strcmp(path, "-") == 0;
}

/* Writes len bytes to path (or standard output for "-") under policy p;
 * false with a message on failure. */
static bool write_out(pep_cli *cli, const char *path, const pep_output_policy *p, const unsigned char *data,
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

/* ------------------------------------------------------------------ */
/* One document                                                         */
/* ------------------------------------------------------------------ */

/* What rendering one file gave: made in a worker, reported in order. */
typedef struct result {
	pep_diags *d;
	bool loaded;         /* a valid PEP */
	char *stem;          /* -d: the output's name without its extension (NULL: no LA child id) */
	char *identity;      /* what the output is, for the output policy */
	unsigned char *data; /* the output, or NULL */
	size_t len, pages;
	char *err;           /* why it could not be rendered */
	size_t nfail;        /* failing rules: marked NOT SIGNED OFF */
	pep_buf warnings;    /* characters the fonts lack, by field */
} result;

typedef struct run {
	pep_cli *cli;
	const struct args *a;
	pep_checker *checker;
	const pep_pdf_fonts *fonts; /* read once for every file (PDF only) */
	char **paths;
	pep_sections_options so;
	pep_pdf_options po;
	pep_inputs *inputs;       /* never written over: the PEPs, the calendars, the font */
	pep_output_args out;      /* -o and --force */
	pep_outfile_names *names; /* -d: the names this run gives */
	int status;
} run;

/* What each thread keeps from file to file. */
typedef struct worker {
	pep_xml_loader *loader;
	pep_pdf_writer *pdf; /* NULL for HTML */
} worker;

static void *worker_new(void *ctx)
{
	run *ru = ctx;
	worker *w = pep_xcalloc(1, sizeof *w);
	w->loader = pep_checker_loader(ru->checker);
	if (ru->fonts)
		w->pdf = pep_pdf_writer_new(ru->fonts);
	return w;
}

static void worker_free(void *state)
{
	worker *w = state;
	pep_xml_loader_free(w->loader);
	pep_pdf_writer_free(w->pdf);
	free(w);
}

/* The output of m (with its diagnostics d) from file path into r. */
static void render_model(const run *ru, worker *w, const char *path, const pep_model *m, const pep_diags *d,
                         result *r)
{
	/* formats: a PEP read from another LA's form says which. */
	pep_sections_options so = ru->so;
	so.source_format = d ? pep_format_named(pep_diags_format(d)) : NULL;
	pep_document *doc = pep_sections_build(m, d, &so);
	pep_document_set_identity(doc, r->identity);
	if (ru->a->format == FORMAT_HTML) {
		pep_buf b = PEP_BUF_INIT;
		pep_html_write(doc, &b);
		r->len = b.len;
		r->data = (unsigned char *)pep_buf_detach(&b);
	} else {
		missing_chars missing = {NULL, 0, 0};
		pep_pdf_options po = ru->po;
		po.missing = on_missing;
		po.missing_ctx = &missing;
		if (pep_pdf_writer_write(w->pdf, doc, &po, &r->data, &r->len, &r->pages, &r->err)) {
			warn_missing(&r->warnings, path, m, doc, &missing);
		} else {
			free(r->data);
			r->data = NULL;
		}
		free(missing.cp);
	}
	pep_document_free(doc);
	r->nfail = pep_sections_failures(d, ru->a->check.cfg.strict);
}

static void *render_one(void *ctx, size_t i, void *state)
{
	run *ru = ctx;
	worker *w = state;
	result *r = pep_xcalloc(1, sizeof *r);
	const char *path = ru->paths[i];
	pep_doc *doc = NULL;
	r->d = pep_diags_new(path);
	pep_load_status st = pep_check_file(ru->checker, w->loader, path, r->d, &doc);
	if (!pep_diags_unchecked(r->d) && st == PEP_LOAD_OK && doc) {
		const pep_model *m = pep_doc_model(doc);
		r->loaded = true;
		r->identity = out_identity(m, ru->a->copy == 1, ru->a->format == FORMAT_HTML);
		if (ru->a->dir)
			r->stem = out_stem(m, ru->a->copy == 1);
		if (!ru->a->dir || r->stem)
			render_model(ru, w, path, m, r->d, r);
	}
	pep_doc_free(doc);
	return r;
}

static void worse(run *ru, int status)
{
	if (status > ru->status)
		ru->status = status;
}

/* Reports one file's result, in the order given, and writes its output. */
static void report_one(void *ctx, size_t i, void *res)
{
	run *ru = ctx;
	result *r = res;
	pep_cli *cli = ru->cli;
	const struct args *a = ru->a;
	const char *path = ru->paths[i];
	const char *ext = a->format == FORMAT_HTML ? ".html" : ".pdf";
	char *target = NULL, *err = NULL;
	bool renamed = false;
	if (pep_diags_unchecked(r->d)) {
		for (size_t k = 0; k < pep_diags_count(r->d); k++)
			pep_cli_error(cli, "%s: %s", path, pep_diags_at(r->d, k)->message);
		worse(ru, PEP_EXIT_USAGE);
		goto out;
	}
	/* (with the output on standard output, its messages go to standard error) */
	pep_diags_write_text(to_stdout(a->output) ? cli->err : cli->out, r->d);
	if (!r->loaded) {
		pep_cli_error(cli, "%s: not rendered: it is not a valid PEP (see above); nothing was written", path);
		worse(ru, PEP_EXIT_ERRORS);
		goto out;
	}
	pep_output_policy policy = pep_output_args_policy(cli, &ru->out, ru->inputs, r->identity, a->format == FORMAT_PDF);
	if (a->dir) {
		if (!r->stem) {
			pep_cli_error(cli, "%s: not rendered: it has no LA child id to name the file by; add laChildId, or use -o",
			              path);
			worse(ru, PEP_EXIT_ERRORS);
			goto out;
		}
		policy.std_out = NULL; /* a file named "-" is a file */
		bool duplicate = false;
		target = pep_outfile_names_take(ru->names, a->dir, r->stem, ext, &policy, &renamed, &duplicate, &err);
		if (!target) {
			pep_cli_error(cli, "%s: not rendered: %s", path, err);
			free(err);
			worse(ru, duplicate ? PEP_EXIT_USAGE : PEP_EXIT_ERRORS);
			goto out;
		}
		if (renamed)
			policy.replace = PEP_REPLACE_SAME; /* a name chosen for being free, or this child's */
	} else {
		target = pep_xstrdup(a->output);
	}
	if (!r->data) {
		pep_cli_error(cli, "%s: not rendered: %s", path, r->err ? r->err : "the output could not be made");
		worse(ru, PEP_EXIT_USAGE);
		goto out;
	}
	if (!write_out(cli, target, &policy, r->data, r->len)) {
		worse(ru, PEP_EXIT_USAGE);
		goto out;
	}
	fputs(pep_buf_str(&r->warnings), cli->err);
	if (r->nfail)
		worse(ru, PEP_EXIT_ERRORS);
	if (a->dir) {
		pep_put_path(cli->out, path);
		fputs(" -> ", cli->out);
		pep_put_path(cli->out, target);
		if (r->pages)
			fprintf(cli->out, " (%zu page%s, %zu KB%s", r->pages, r->pages == 1 ? "" : "s", (r->len + 1023) / 1024,
			        r->nfail ? ", NOT SIGNED OFF" : "");
		else
			fprintf(cli->out, " (%zu KB%s", (r->len + 1023) / 1024, r->nfail ? ", NOT SIGNED OFF" : "");
		if (renamed) {
			fputs("; ", cli->out);
			pep_put_path(cli->out, r->stem);
			fprintf(cli->out, "%s holds another child's %s or another file", ext,
			        a->format == FORMAT_HTML ? "page" : "PDF");
		}
		fputs(")\n", cli->out);
	}
out:
	free(target);
	free(r->stem);
	free(r->identity);
	free(r->data);
	free(r->err);
	pep_buf_free(&r->warnings);
	pep_diags_free(r->d);
	free(r);
}

/* --blank: the skeleton of the kind, as a form. */
static int render_blank(run *ru)
{
	pep_cli *cli = ru->cli;
	size_t len = 0;
	char *text = pep_cli_skeleton(cli, ru->checker, ru->a->check.cfg.la, ru->a->kind, &len);
	if (!text)
		return PEP_EXIT_USAGE;
	worker *w = worker_new(ru);
	pep_diags *d = pep_diags_new("blank form");
	pep_doc *doc = NULL;
	result r;
	memset(&r, 0, sizeof r);
	int status = PEP_EXIT_USAGE;
	if (pep_doc_load_memory(w->loader, "blank form", text, len, false, d, &doc) != PEP_LOAD_OK) {
		pep_cli_error(cli, "the blank form could not be made (an internal error: please report it)");
		goto out;
	}
	render_model(ru, w, "blank form", pep_doc_model(doc), NULL, &r);
	if (!r.data) {
		pep_cli_error(cli, "the blank form could not be made: %s", r.err ? r.err : "unknown error");
		goto out;
	}
	pep_output_policy policy = pep_output_args_policy(cli, &ru->out, ru->inputs, NULL, ru->a->format == FORMAT_PDF);
	status = write_out(cli, ru->a->output, &policy, r.data, r.len) ? PEP_EXIT_OK : PEP_EXIT_USAGE;
out:
	free(r.data);
	free(r.err);
	pep_buf_free(&r.warnings);
	pep_doc_free(doc);
	pep_diags_free(d);
	worker_free(w);
	free(text);
	return status;
}

int pep_cmd_render(pep_cli *cli, int argc, char **argv)
{
	struct args a;
	int first;
	memset(&a, 0, sizeof a);
	pep_check_args_init(&a.check);
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	const char *what = a.format == FORMAT_HTML ? "HTML page" : "PDF";
	if (a.blank) {
		if (first < argc)
			return pep_cli_usage_error(cli, "--blank takes no FILE: it prints an empty form of --kind for --la");
		if (!a.check.cfg.la || !a.kind)
			return pep_cli_usage_error(cli, "--blank needs --la CODE and --kind KIND: the LA and the kind of PEP the form is for");
		if (!a.output)
			return pep_cli_usage_error(cli, "say where the blank form goes: -o OUT.%s", formats[a.format]);
	} else {
		if (a.kind)
			return pep_cli_usage_error(cli, "--kind goes with --blank; a PEP file says its own kind");
		if (first >= argc)
			return pep_cli_usage_error(cli, "no file given: name the PEP file to render");
	}
	if (a.output && a.dir)
		return pep_cli_usage_error(cli, "give either -o OUT.%s or -d OUTDIR, not both", formats[a.format]);
	if (!a.output && !a.dir)
		return pep_cli_usage_error(cli, "say where the %s goes: -o OUT.%s for one file, or -d OUTDIR", what,
		                           formats[a.format]);
	if (a.output && argc - first > 1)
		return pep_cli_usage_error(cli, "-o takes one FILE, and %d were given: use -d OUTDIR for several",
		                           argc - first);
	if (a.format == FORMAT_HTML && (a.pdfa || a.font))
		return pep_cli_usage_error(cli, "%s is for PDFs: an HTML page uses the reader's own fonts",
		                           a.pdfa ? "--pdfa" : "--font");
	if (to_stdout(a.output) && isatty(fileno(cli->out)))
		return pep_cli_usage_error(cli, "-o - would print the %s on the terminal: redirect standard output to a file or a pipe, or give -o OUT.%s",
		                           what, formats[a.format]);
	if (a.dir) {
		struct stat st;
		if (stat(a.dir, &st) != 0 || !S_ISDIR(st.st_mode))
			return pep_cli_usage_error(cli, "-d %s is not a folder: create it first", a.dir);
	}

	run ru;
	memset(&ru, 0, sizeof ru);
	/* Never written over: the PEPs, the calendars, the fonts (the one given
	 * and the bold face found beside it, or pep's own) and the colour
	 * profile; nor anything in pep's own data (outfile.h). */
	ru.inputs = pep_inputs_new();
	for (int i = first; i < argc; i++)
		pep_inputs_add(ru.inputs, argv[i]);
	for (size_t i = 0; i < a.check.cfg.ncalendars; i++)
		pep_inputs_add(ru.inputs, a.check.calendars[i]);
	pep_inputs_add(ru.inputs, a.font);

	/* Its problems are a side report (in logs, on standard error with -o -,
	 * for many children with -d): no values unless asked. */
	a.check.cfg.redact = !a.show_values;
	const char *la = a.check.cfg.la;
	if (a.blank)
		a.check.cfg.la = NULL; /* the form's LA, not rules to judge by */
	pep_checker *checker = pep_check_args_checker(cli, &a.check);
	a.check.cfg.la = la;
	if (!checker) {
		pep_inputs_free(ru.inputs);
		return PEP_EXIT_USAGE;
	}
	pep_pdf_fonts *fonts = NULL;
	if (a.format == FORMAT_PDF) {
		char *err = NULL;
		if (!(fonts = pep_pdf_fonts_load(a.font, &err))) {
			pep_cli_error(cli, "%s", err);
			free(err);
			pep_checker_free(checker);
			pep_inputs_free(ru.inputs);
			return PEP_EXIT_USAGE;
		}
		const char *files[8];
		size_t nfiles = pep_pdf_fonts_files(fonts, files, 8);
		for (size_t i = 0; i < nfiles; i++)
			pep_inputs_add(ru.inputs, files[i]);
		char *icc = a.pdfa ? pep_pdf_icc_file() : NULL;
		pep_inputs_add(ru.inputs, icc);
		free(icc);
	}
	/* (whether an -o file may be replaced is known once the PEP is read;
	 * a blank form has no identity: it replaces only with --force) */
	ru.out = (pep_output_args){a.output, !a.blank || a.force};
	if (a.output && pep_cli_check_output(cli, &ru.out, ru.inputs, NULL, a.format == FORMAT_PDF) != PEP_EXIT_OK) {
		pep_pdf_fonts_free(fonts);
		pep_checker_free(checker);
		pep_inputs_free(ru.inputs);
		return PEP_EXIT_USAGE;
	}
	ru.out.force = a.force;
	ru.fonts = fonts;
	ru.cli = cli;
	ru.a = &a;
	ru.checker = checker;
	ru.paths = argv + first;
	ru.so = (pep_sections_options){a.copy == 1, a.blank, a.check.cfg.strict, pep_date_generated(), "pep " PEP_VERSION,
	                               NULL};
	ru.po = (pep_pdf_options){a.pdfa, a.font, pep_date_generated_time(), "pep " PEP_VERSION, NULL, NULL};
	if (a.blank) {
		ru.status = render_blank(&ru);
	} else {
		size_t n = (size_t)(argc - first);
		ru.names = pep_outfile_names_new();
		int jobs = a.dir ? (a.jobs ? (int)a.jobs : pep_batch_cores()) : 1;
		pep_batch_map(n, jobs, worker_new, worker_free, render_one, report_one, &ru);
		pep_outfile_names_free(ru.names);
	}
	pep_pdf_fonts_free(fonts);
	pep_checker_free(checker);
	pep_inputs_free(ru.inputs);
	return ru.status;
}
