/* cmd_check.c: pep check [options] PATH... */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "rules.h"
#include "xalloc.h"

enum { OPT_JOBS = 'j', OPT_EXCEL = 300, OPT_DUE, OPT_SUMMARY, OPT_NO_PROGRESS };

static const char *const formats[] = {"text", "json", "csv", NULL};

static const pep_option options[] = {
	PEP_CHECK_OPTIONS,
	{"jobs", OPT_JOBS, "N", "check with N threads (default: the number of processors)"},
	{"format", PEP_OPT_FORMAT, "FORMAT", "text (the default), json, or csv (a row per diagnostic)"},
	{"excel", OPT_EXCEL, NULL, "CSV for Excel: a UTF-8 byte-order mark, formulas neutralised (implies --format csv)"},
	{"due-within", OPT_DUE, "DAYS", "moved to 'pep caseload', which this runs instead (children, not files)"},
	{"summary", OPT_SUMMARY, NULL, "moved to 'pep caseload --summary', which this runs instead"},
	{"no-progress", OPT_NO_PROGRESS, NULL, "no progress line on a terminal"},
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {"check [options] PATH...", NULL};

static const pep_usage usage = {
	synopsis,
	"Checks every *.xml below each folder (recursively; hidden folders skipped,\n"
	"symbolic-link loops detected) and every file named, as 'pep validate' would,\n"
	"in parallel. One bad file never stops the batch. Output is in path order.\n"
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
	long jobs;
	int format;
	bool excel;
	const char *moved; /* --due-within or --summary: they moved to caseload */
	bool progress;
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	switch (key) {
	case OPT_JOBS:
		return pep_cli_int(cli, "jobs", arg, 1, 256, &a->jobs) ? 0 : PEP_EXIT_USAGE;
	case PEP_OPT_FORMAT:
		return pep_cli_choice(cli, "format", arg, formats, &a->format) ? 0 : PEP_EXIT_USAGE;
	case OPT_EXCEL:
		a->excel = true;
		a->format = PEP_REPORT_CSV;
		return 0;
	case OPT_DUE:
		a->moved = "--due-within";
		return 0;
	case OPT_SUMMARY:
		a->moved = "--summary";
		return 0;
	case OPT_NO_PROGRESS:
		a->progress = false;
		return 0;
	default: {
		int r = pep_check_args_option(cli, &a->check, key, arg);
		return r >= 0 ? r : PEP_EXIT_USAGE;
	}
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
			r->counts = xrealloc(r->counts, (r->ncounts + 1) * sizeof *r->counts);
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

/* The text line of a file with a problem. */
static void text_line(FILE *out, const pep_diags *d)
{
	size_t e = pep_diags_errors(d), w = pep_diags_warnings(d);
	const pep_diag *first = pep_diags_at(d, 0);
	for (const char *p = pep_diags_file(d); *p; p++)
		fputc((unsigned char)*p < 0x20 ? '?' : *p, out);
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

/* Reports one file's result (or a folder problem). */
static void report(run *r, const pep_diags *d)
{
	FILE *out = r->cli->out;
	struct args *a = r->a;
	bool strict = a->check.cfg.strict;
	size_t index = r->tally.files;
	pep_tally_add(&r->tally, d, strict);
	count_rules(r, d);
	if (a->format == PEP_REPORT_JSON)
		pep_json_file(out, d, strict, index);
	else if (a->format == PEP_REPORT_CSV)
		pep_diags_write_csv(out, d, a->excel);
	else if (pep_diags_count(d) || pep_diags_unchecked(d))
		text_line(out, d);
}

/* The report opens with the first item, so that a walk that finds nothing
 * writes nothing to the output, not half a JSON document. */
static void begin(run *r)
{
	FILE *out = r->cli->out;
	r->begun = true;
	if (r->a->format == PEP_REPORT_JSON)
		pep_json_begin(out);
	if (r->a->format == PEP_REPORT_CSV) {
		if (r->a->excel)
			fputs("\xef\xbb\xbf", out);
		pep_csv_header(out);
	}
}

static void on_item(void *ctx, size_t index, pep_batch_item *item)
{
	run *r = ctx;
	(void)index;
	if (!r->begun)
		begin(r);
	report(r, item->diags);
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

static const char *rule_summary(const char *id)
{
	const pep_rule *rule = pep_rule_find(id);
	if (rule)
		return rule->summary;
	if (strcmp(id, "XSD") == 0)
		return "Does not match the schema";
	if (strcmp(id, "XML") == 0)
		return "Not well-formed XML (or not a PEP file)";
	if (strcmp(id, "IO") == 0)
		return "Could not be read";
	return "";
}

static void text_epilogue(run *r)
{
	FILE *out = r->cli->out;
	if (r->ncounts) {
		qsort(r->counts, r->ncounts, sizeof *r->counts, cmp_count);
		fprintf(out, "\n%-6s %6s %6s  %-8s %s\n", "rule", "files", "times", "severity", "what");
		for (size_t i = 0; i < r->ncounts; i++) {
			const rule_count *c = &r->counts[i];
			fprintf(out, "%-6s %6zu %6zu  %-8s %s\n", c->rule, c->files, c->diags,
			        c->severity == PEP_ERROR ? "error" : "warning", rule_summary(c->rule));
		}
	}
	const pep_tally *t = &r->tally;
	fprintf(out, "\nchecked %zu file%s: %zu red, %zu amber, %zu green", t->files, t->files == 1 ? "" : "s", t->red,
	        t->amber, t->green);
	if (t->unchecked)
		fprintf(out, " (%zu could not be read)", t->unchecked);
	fprintf(out, "; %zu error%s, %zu warning%s\n", t->errors, t->errors == 1 ? "" : "s", t->warnings,
	        t->warnings == 1 ? "" : "s");
}

int cmd_check(pep_cli *cli, int argc, char **argv)
{
	struct args a;
	memset(&a, 0, sizeof a);
	pep_check_args_init(&a.check);
	a.jobs = pep_batch_cores();
	a.progress = isatty(fileno(cli->err)) == 1;
	int first;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	if (first >= argc)
		return pep_cli_usage_error(cli, "no folder or file given: name the folders of PEPs to check");
	if (a.excel && a.format != PEP_REPORT_CSV)
		return pep_cli_usage_error(cli, "--excel writes CSV: drop --format, or use --format csv");
	if (a.moved) {
		/* The due list and the figures are the caseload's now: children,
		 * not files. The options are the same. */
		pep_cli_error(cli, "%s moved to 'pep caseload': running 'pep caseload' with the same options", a.moved);
		cli->command = "caseload";
		return cmd_caseload(cli, argc, argv);
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
	size_t n = pep_cli_batch(cli, checker, (const char *const *)argv + first, (size_t)(argc - first), (int)a.jobs,
	                         a.progress, on_item, &rn, &status);
	if (n) {
		if (a.format == PEP_REPORT_JSON)
			pep_json_end(cli->out, &rn.tally);
		else if (a.format == PEP_REPORT_TEXT)
			text_epilogue(&rn);
		if (status == PEP_EXIT_OK && rn.tally.valid < rn.tally.files)
			status = PEP_EXIT_ERRORS;
	}
	free(rn.counts);
	pep_checker_free(checker);
	return status;
}
