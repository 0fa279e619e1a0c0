/* cmd_check.c: pep check [options] PATH... */
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cli.h"
#include "rules.h"
#include "xalloc.h"

enum { OPT_DUE = 300, OPT_SUMMARY };

static const pep_option options[] = {
	PEP_CHECK_OPTIONS,
	PEP_BATCH_OPTIONS,
	{"format", PEP_OPT_FORMAT, "FORMAT", "text (the default), json, or csv (a row per diagnostic)"},
	{"due-within", OPT_DUE, "DAYS", "moved to 'pep caseload', which this runs instead (children, not files)"},
	{"summary", OPT_SUMMARY, NULL, "moved to 'pep caseload --summary', which this runs instead"},
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {"check [options] PATH...", NULL};

static const pep_usage usage = {
	synopsis,
	"Checks every *.xml below each folder (recursively; hidden folders skipped)\n"
	"and every file named, as 'pep validate' would, in parallel. Symbolic links\n"
	"are followed within the folders named (each real file is checked once,\n"
	"loops are reported); a link that leads elsewhere is reported, not\n"
	"followed, without --follow-links. One bad file never stops the batch.\n"
	"Output is in path order.\n"
	"Text: a line per file with a problem (its QA grade, error and warning counts,\n"
	"rule ids), then the count of each rule, then a summary line. Reports name\n"
	"files and rules, never children: messages quote no personal data.\n"
	"QA grade: red (an error), amber (warnings only), green (clean).\n"
	"When the next PEPs are due, and the cohort figures, are 'pep caseload'\n"
	"(--due-within and --summary here run it, with a note on standard error).",
	options,
	"Exit status: 0 no file has an error; 1 a file has an error or could not be\n"
	"read; 2 not done as asked (a path that does not exist, bad usage).",
};

struct args {
	pep_check_args check;
	pep_batch_args batch;
	pep_report_format format;
	bool format_given;
	const char *moved; /* --due-within or --summary: they moved to caseload */
};

static const struct writer *const writers[PEP_REPORT_FORMATS];

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	int r;
	switch (key) {
	case PEP_OPT_FORMAT:
		a->format_given = true;
		return pep_cli_format(cli, arg, PEP_REPORT_OFFERED(writers), &a->format) ? 0 : PEP_EXIT_USAGE;
	case OPT_DUE:
		a->moved = "--due-within";
		return 0;
	case OPT_SUMMARY:
		a->moved = "--summary";
		return 0;
	default:
		if ((r = pep_batch_args_option(cli, &a->batch, key, arg)) >= 0)
			return r;
		r = pep_check_args_option(cli, &a->check, key, arg);
		return r >= 0 ? r : PEP_EXIT_USAGE;
	}
}

/* Counts per rule id and severity over the batch (a rule such as D04 is
 * an error under one LA's profile and a warning under another's). */
typedef struct rule_count {
	char rule[8];
	size_t files, diags;
	pep_severity severity;
} rule_count;

typedef struct run {
	pep_cli *cli;
	struct args *a;
	pep_tally tally;
	rule_count *counts;
	size_t ncounts;
	bool begun; /* the report's opening (JSON array, CSV header) is written */
	pep_jw jw;  /* the JSON report's writer */
} run;

static void count_rules(run *r, const pep_diags *d)
{
	for (size_t i = 0; i < pep_diags_count(d); i++) {
		const pep_diag *g = pep_diags_at(d, i);
		rule_count *c = NULL;
		for (size_t k = 0; k < r->ncounts && !c; k++)
			if (strcmp(r->counts[k].rule, g->rule) == 0 && r->counts[k].severity == g->severity)
				c = &r->counts[k];
		if (!c) {
			r->counts = pep_xrealloc(r->counts, (r->ncounts + 1) * sizeof *r->counts);
			c = &r->counts[r->ncounts++];
			memset(c, 0, sizeof *c);
			snprintf(c->rule, sizeof c->rule, "%s", g->rule);
			c->severity = g->severity;
		}
		/* A rule counts once per file for "files". */
		bool first = true;
		for (size_t j = 0; j < i; j++)
			first &= strcmp(pep_diags_at(d, j)->rule, g->rule) != 0 || pep_diags_at(d, j)->severity != g->severity;
		c->files += first;
		c->diags++;
	}
}

/* ------------------------------------------------------------------ */
/* The writers, one per format                                          */
/* ------------------------------------------------------------------ */

/* A report written a file at a time: begin (with the first file, so that
 * a walk that finds nothing writes nothing, not half a JSON document),
 * then each file, then the end. */
struct writer {
	void (*begin)(run *r);
	void (*file)(run *r, const pep_diags *d, size_t index);
	void (*end)(run *r);
};

/* The text line of a file with a problem. */
static void text_line(FILE *out, const pep_diags *d)
{
	size_t e = pep_diags_errors(d), w = pep_diags_warnings(d);
	const pep_diag *first = pep_diags_at(d, 0);
	pep_put_path(out, pep_diags_file(d));
	fprintf(out, ": %s", pep_diags_grade(d));
	if (e)
		fprintf(out, ", %zu error%s", e, e == 1 ? "" : "s");
	if (w)
		fprintf(out, ", %zu warning%s", w, w == 1 ? "" : "s");
	/* When the file could not be read or parsed, the rules did not run: say
	 * why instead of listing ids. */
	if (first && (strcmp(first->rule, "IO") == 0 || strcmp(first->rule, "XML") == 0 || strcmp(first->rule, "XSD") == 0)) {
		fprintf(out, ": [%s] %s\n", first->rule, first->message);
		return;
	}
	fputs(":", out);
	for (size_t i = 0; i < pep_diags_count(d); i++) {
		const char *rule = pep_diags_at(d, i)->rule;
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= strcmp(pep_diags_at(d, j)->rule, rule) == 0;
		if (!seen)
			fprintf(out, " %s", rule);
	}
	fputc('\n', out);
}

static void text_file(run *r, const pep_diags *d, size_t index)
{
	(void)index;
	if (pep_diags_count(d) || pep_diags_unchecked(d))
		text_line(r->cli->out, d);
}

static void json_begin(run *r)
{
	pep_json_begin(&r->jw, r->cli->out);
}

static void json_file(run *r, const pep_diags *d, size_t index)
{
	(void)index;
	pep_json_file(&r->jw, d, r->a->check.cfg.strict);
}

static void json_end(run *r)
{
	pep_json_end(&r->jw, &r->tally);
}

static void csv_begin(run *r)
{
	if (r->a->batch.excel)
		fputs("\xef\xbb\xbf", r->cli->out);
	pep_csv_header(r->cli->out);
}

static void csv_file(run *r, const pep_diags *d, size_t index)
{
	(void)index;
	pep_diags_write_csv(r->cli->out, d, r->a->batch.excel);
}

static void on_item(void *ctx, size_t index, pep_batch_item *item)
{
	run *r = ctx;
	const struct writer *w = writers[r->a->format];
	(void)index;
	if (!r->begun && w->begin)
		w->begin(r);
	r->begun = true;
	size_t n = r->tally.files;
	pep_tally_add(&r->tally, item->diags, r->a->check.cfg.strict);
	count_rules(r, item->diags);
	w->file(r, item->diags, n);
	pep_diags_free(item->diags);
	pep_facts_free(&item->facts);
}

static int cmp_count(const void *x, const void *y)
{
	const rule_count *a = x, *b = y;
	if (a->files != b->files)
		return a->files > b->files ? -1 : 1;
	return strcmp(a->rule, b->rule);
}

/* What the rule called id checks, into b. */
static void rule_summary(const char *id, pep_buf *b)
{
	const pep_rule *rule = pep_rule_find(id);
	pep_buf_clear(b);
	if (rule)
		pep_rule_summary(rule, b);
	else if (strcmp(id, "XSD") == 0)
		pep_buf_puts(b, "Does not match the schema");
	else if (strcmp(id, "XML") == 0)
		pep_buf_puts(b, "Not well-formed XML (or not a PEP file)");
	else if (strcmp(id, "IO") == 0)
		pep_buf_puts(b, "Could not be read (or a link not followed)");
}

static void text_epilogue(run *r)
{
	FILE *out = r->cli->out;
	if (r->ncounts) {
		qsort(r->counts, r->ncounts, sizeof *r->counts, cmp_count);
		fprintf(out, "\n%-6s %6s %6s  %-8s %s\n", "rule", "files", "times", "severity", "what");
		pep_buf what = PEP_BUF_INIT;
		for (size_t i = 0; i < r->ncounts; i++) {
			const rule_count *c = &r->counts[i];
			rule_summary(c->rule, &what);
			fprintf(out, "%-6s %6zu %6zu  %-8s %s\n", c->rule, c->files, c->diags,
			        c->severity == PEP_ERROR ? "error" : "warning", pep_buf_str(&what));
		}
		pep_buf_free(&what);
	}
	const pep_tally *t = &r->tally;
	fprintf(out, "\nchecked %zu file%s: %zu red, %zu amber, %zu green", t->files, t->files == 1 ? "" : "s", t->red,
	        t->amber, t->green);
	if (t->unchecked)
		fprintf(out, " (%zu could not be read)", t->unchecked);
	fprintf(out, "; %zu error%s, %zu warning%s\n", t->errors, t->errors == 1 ? "" : "s", t->warnings,
	        t->warnings == 1 ? "" : "s");
}

static const struct writer text_writer = {NULL, text_file, text_epilogue};
static const struct writer json_writer = {json_begin, json_file, json_end};
static const struct writer csv_writer = {csv_begin, csv_file, NULL};
static const struct writer *const writers[PEP_REPORT_FORMATS] = {
	[PEP_REPORT_TEXT] = &text_writer,
	[PEP_REPORT_JSON] = &json_writer,
	[PEP_REPORT_CSV] = &csv_writer,
};

int pep_cmd_check(pep_cli *cli, int argc, char **argv)
{
	struct args a;
	memset(&a, 0, sizeof a);
	pep_check_args_init(&a.check);
	pep_batch_args_init(cli, &a.batch);
	a.format = PEP_REPORT_TEXT;
	int first;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	if (first >= argc)
		return pep_cli_usage_error(cli, "no folder or file given: name the folders of PEPs to check");
	if (a.moved) {
		/* The due list and the figures are the caseload's now: children,
		 * not files. The options are the same. */
		pep_cli_error(cli, "%s moved to 'pep caseload': running 'pep caseload' with the same options", a.moved);
		cli->command = "caseload";
		return pep_cmd_caseload(cli, argc, argv);
	}
	if (a.batch.excel) {
		if (a.format_given && a.format != PEP_REPORT_CSV)
			return pep_cli_usage_error(cli, "--excel writes CSV: drop --format, or use --format csv");
		a.format = PEP_REPORT_CSV;
	}
	a.check.cfg.redact = true;

	pep_checker *checker = pep_check_args_checker(cli, &a.check);
	if (!checker)
		return PEP_EXIT_USAGE;
	run rn;
	memset(&rn, 0, sizeof rn);
	rn.cli = cli;
	rn.a = &a;
	int status = PEP_EXIT_OK;
	size_t n = pep_cli_batch(cli, checker, (const char *const *)argv + first, (size_t)(argc - first), &a.batch,
	                         on_item, &rn, &status);
	if (n) {
		if (writers[a.format]->end)
			writers[a.format]->end(&rn);
		if (status == PEP_EXIT_OK && rn.tally.valid < rn.tally.files)
			status = PEP_EXIT_ERRORS;
	}
	free(rn.counts);
	pep_checker_free(checker);
	return status;
}
