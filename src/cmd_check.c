/* cmd_check.c: pep check [options] PATH... */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "cohort.h"
#include "rules.h"
#include "xalloc.h"

enum { OPT_JOBS = 'j', OPT_EXCEL = 300, OPT_DUE, OPT_SUMMARY, OPT_NO_PROGRESS, OPT_FOLLOW_LINKS };

static const char *const formats[] = {"text", "json", "csv", NULL};

static const pep_option options[] = {
	PEP_CHECK_OPTIONS,
	{"jobs", OPT_JOBS, "N", "check with N threads (default: the number of processors)"},
	{"format", PEP_OPT_FORMAT, "FORMAT", "text (the default), json, or csv (a row per diagnostic)"},
	{"excel", OPT_EXCEL, NULL, "CSV for Excel: a UTF-8 byte-order mark, formulas neutralised (implies --format csv)"},
	{"due-within", OPT_DUE, "DAYS", "instead: list the PEPs whose next PEP is overdue or due within DAYS of --as-of"},
	{"summary", OPT_SUMMARY, NULL, "instead: cohort figures for the virtual school head's report (aggregates only)"},
	{"no-progress", OPT_NO_PROGRESS, NULL, "no progress line on a terminal"},
	{"follow-links", OPT_FOLLOW_LINKS, NULL, "follow symbolic links that lead outside the folders named too"},
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
	"QA grade: red (an error), amber (warnings only), green (clean).",
	options,
	"Exit status: 0 no file has an error; 1 a file has an error or could not be\n"
	"read; 2 not done as asked (a path that does not exist, bad usage).",
};

typedef enum view { VIEW_DIAGNOSTICS, VIEW_DUE, VIEW_SUMMARY } view;

struct args {
	pep_check_args check;
	long jobs;
	int format;
	bool excel;
	view view;
	long within;
	bool progress;
	bool follow_links;
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
		if (a->view == VIEW_SUMMARY)
			return pep_cli_usage_error(cli, "give --due-within or --summary, not both (run pep check twice)");
		a->view = VIEW_DUE;
		return pep_cli_int(cli, "due-within", arg, 0, 3660, &a->within) ? 0 : PEP_EXIT_USAGE;
	case OPT_SUMMARY:
		if (a->view == VIEW_DUE)
			return pep_cli_usage_error(cli, "give --due-within or --summary, not both (run pep check twice)");
		a->view = VIEW_SUMMARY;
		return 0;
	case OPT_NO_PROGRESS:
		a->progress = false;
		return 0;
	case OPT_FOLLOW_LINKS:
		a->follow_links = true;
		return 0;
	default: {
		int r = pep_check_args_option(cli, &a->check, key, arg);
		return r >= 0 ? r : PEP_EXIT_USAGE;
	}
	}
}

/* Counts per rule id over the batch. */
typedef struct rule_count {
	char rule[8];
	size_t files, diags;
	pep_severity severity;
} rule_count;

typedef struct run {
	pep_cli *cli;
	struct args *a;
	size_t total;        /* for the progress line: what the walk will yield */
	size_t emitted;
	pep_tally tally;
	rule_count *counts;
	size_t ncounts;
	pep_cohort cohort;
	pep_due_list due;
	/* progress */
	struct timespec start, last;
	bool progress_shown;
	bool begun; /* the report's opening (JSON array, CSV header) is written */
} run;

static double seconds(struct timespec a, struct timespec b)
{
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

static void count_rules(run *r, const pep_diags *d)
{
	for (size_t i = 0; i < pep_diags_count(d); i++) {
		const pep_diag *g = pep_diags_at(d, i);
		rule_count *c = NULL;
		for (size_t k = 0; k < r->ncounts && !c; k++)
			if (strcmp(r->counts[k].rule, g->rule) == 0)
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
			first &= strcmp(pep_diags_at(d, j)->rule, g->rule) != 0;
		c->files += first;
		c->diags++;
		if (g->severity == PEP_ERROR)
			c->severity = PEP_ERROR;
	}
}

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

/* Reports one file's result (or a folder problem) in the chosen view. */
static void report(run *r, const pep_diags *d, const pep_facts *facts)
{
	FILE *out = r->cli->out;
	struct args *a = r->a;
	bool strict = a->check.cfg.strict;
	size_t index = r->tally.files;
	pep_tally_add(&r->tally, d, strict);
	count_rules(r, d);
	switch (a->view) {
	case VIEW_DIAGNOSTICS:
		if (a->format == PEP_REPORT_JSON)
			pep_json_file(out, d, strict, index);
		else if (a->format == PEP_REPORT_CSV)
			pep_diags_write_csv(out, d, a->excel);
		else if (pep_diags_count(d) || pep_diags_unchecked(d))
			text_line(out, d);
		break;
	case VIEW_DUE:
		pep_due_add(&r->due, facts, d, a->check.cfg.as_of, (int)a->within);
		break;
	case VIEW_SUMMARY:
		pep_cohort_add(&r->cohort, facts, d, a->check.cfg.as_of);
		break;
	}
}

static void progress(run *r, size_t done, size_t total)
{
	if (!r->a->progress)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (done < total && seconds(r->last, now) < 0.25)
		return;
	r->last = now;
	double t = seconds(r->start, now);
	fprintf(r->cli->err, "\rpep check: %zu/%zu files (%.0f files/s)   ", done, total, t > 0 ? (double)done / t : 0.0);
	fflush(r->cli->err);
	r->progress_shown = true;
}

/* The report opens with the first item, so that a walk that finds nothing
 * writes nothing to the output, not half a JSON document. */
static void begin(run *r)
{
	FILE *out = r->cli->out;
	r->begun = true;
	if (r->a->view != VIEW_DIAGNOSTICS)
		return;
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
	report(r, item->diags, &item->facts);
	pep_diags_free(item->diags);
	r->emitted++;
	progress(r, r->emitted, r->total);
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
		return "Could not be read (or a link not followed)";
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
	a.check.cfg.redact = true;

	pep_checker *checker = pep_check_args_checker(cli, &a.check);
	if (!checker)
		return PEP_EXIT_USAGE;
	const char *const *paths = (const char *const *)argv + first;
	size_t npaths = (size_t)(argc - first);
	pep_walker *walker = pep_walker_new(paths, npaths);
	if (a.follow_links)
		pep_walker_follow_links(walker);
	int status = PEP_EXIT_OK;
	size_t nmissing;
	const char *const *missing = pep_walker_missing(walker, &nmissing);
	for (size_t i = 0; i < nmissing; i++) {
		pep_cli_error(cli, "%s: no such file or folder; check the path", missing[i]);
		status = PEP_EXIT_USAGE;
	}

	run rn;
	memset(&rn, 0, sizeof rn);
	rn.cli = cli;
	rn.a = &a;
	/* The progress line needs a total: a quick walk that keeps nothing. */
	if (a.progress)
		rn.total = pep_batch_count(paths, npaths, a.follow_links);
	clock_gettime(CLOCK_MONOTONIC, &rn.start);
	FILE *out = cli->out;
	size_t n = pep_batch_run(checker, walker, (int)a.jobs, on_item, &rn);
	if (rn.progress_shown)
		fputs("\r                                                            \r", cli->err);

	if (n == 0) {
		/* Nothing was found: no report, and not done as asked. */
		if (!nmissing)
			pep_cli_error(cli, "no *.xml files found in %s%s", paths[0], npaths > 1 ? " or the other paths" : "");
		status = PEP_EXIT_USAGE;
		goto out;
	}
	switch (a.view) {
	case VIEW_DIAGNOSTICS:
		if (a.format == PEP_REPORT_JSON)
			pep_json_end(out, &rn.tally);
		else if (a.format == PEP_REPORT_TEXT)
			text_epilogue(&rn);
		break;
	case VIEW_DUE:
		pep_due_write(out, &rn.due, a.check.cfg.as_of, (int)a.within, (pep_report_format)a.format, a.excel);
		break;
	case VIEW_SUMMARY:
		pep_cohort_write(out, &rn.cohort, a.check.cfg.as_of, (pep_report_format)a.format, a.excel);
		break;
	}
	if (status == PEP_EXIT_OK && rn.tally.valid < rn.tally.files)
		status = PEP_EXIT_ERRORS;

out:
	pep_due_free(&rn.due);
	free(rn.counts);
	pep_walker_free(walker);
	pep_checker_free(checker);
	return status;
}
