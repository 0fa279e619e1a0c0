/* cmd_caseload.c: pep caseload [options] PATH... */
#include <stdlib.h>
#include <string.h>

#include "caseload.h"
#include "cli.h"
#include "xalloc.h"

enum { OPT_DUE = 300, OPT_BY, OPT_TERMS, OPT_NAMES, OPT_SUMMARY };

static const pep_option options[] = {
	PEP_CHECK_OPTIONS,
	PEP_BATCH_OPTIONS,
	{"format", PEP_OPT_FORMAT, "FORMAT", "text (the default), json, csv (a row per child) or html (a dashboard page)"},
	{"due-within", OPT_DUE, "DAYS", "a next PEP due within DAYS (0 to 3660) of --as-of is 'due soon' (default 20)"},
	{"by", OPT_BY, "GROUP", "termly figures by school, social-worker, year-group, key-stage or la"},
	{"terms", OPT_TERMS, "N", "termly figures for the N terms (1 to 30) up to the as-of date (default 3)"},
	{"names", OPT_NAMES, NULL, "print the children's names (the report is then OFFICIAL-SENSITIVE)"},
	{"summary", OPT_SUMMARY, NULL, "aggregates only, every small count suppressed: figures to share"},
	PEP_OUTPUT_OPTIONS,
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {"caseload [options] PATH...", NULL};

static const pep_usage usage = {
	synopsis,
	"Reads every PEP below each folder (as 'pep check' does: in parallel, one\n"
	"bad file never stops it) and groups them by child: the LA and the LA child\n"
	"id, the UPN linking a child's PEPs across LAs. A child's current PEP is the\n"
	"one with the latest meeting (a draft with no meeting yet is the PEP in\n"
	"progress, unless a PEP was held after it was begun); older PEPs are history\n"
	"and count only in the termly figures. For each child: when the next PEP is\n"
	"due and why (the initial PEP's deadline after becoming looked after; the\n"
	"next meeting recorded; the LA's review limit; a meeting booked, unless the\n"
	"limit comes first), the days left and a status (overdue, due-soon, ok,\n"
	"no-date), whether the current PEP was signed off within its LA's limit,\n"
	"its QA grade, the school, year group, social worker and designated teacher.\n"
	"Then the termly figures for the virtual school head: PEPs held, in\n"
	"timescale, signed off in time, QA grades, PP+ requested, children with no\n"
	"PEP in the term; counts of 1 to 4 suppressed, and more (the zeros beside\n"
	"them too) until none can be worked out from all the figures, under any\n"
	"breakdown. Children are named only with --names.\n"
	"The html format is one self-contained page (no external resource) with\n"
	"a sortable due list and charts; -o writes it to a file.",
	options,
	"Exit status: 0 done; 1 a child's current PEP has an error, or a file could\n"
	"not be read as a PEP; 2 not done as asked (a path that does not exist, no\n"
	"PEP found, bad usage, an output that cannot be written).",
};

typedef void (*writer)(FILE *out, const pep_caseload_report *r, bool excel);

static void write_text(FILE *out, const pep_caseload_report *r, bool excel)
{
	(void)excel;
	pep_caseload_write_text(out, r);
}

static void write_json(FILE *out, const pep_caseload_report *r, bool excel)
{
	(void)excel;
	pep_caseload_write_json(out, r);
}

static void write_html(FILE *out, const pep_caseload_report *r, bool excel)
{
	(void)excel;
	pep_caseload_write_html(out, r);
}

static const writer writers[PEP_REPORT_FORMATS] = {
	[PEP_REPORT_TEXT] = write_text,
	[PEP_REPORT_JSON] = write_json,
	[PEP_REPORT_CSV] = pep_caseload_write_csv,
	[PEP_REPORT_HTML] = write_html,
};

struct args {
	pep_check_args check;
	pep_batch_args batch;
	pep_caseload_opts opts;
	pep_output_args output;
	pep_report_format format;
	bool format_given;
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	long v;
	int i;
	switch (key) {
	case PEP_OPT_FORMAT:
		a->format_given = true;
		return pep_cli_format(cli, arg, PEP_REPORT_OFFERED(writers), &a->format) ? 0 : PEP_EXIT_USAGE;
	case OPT_DUE:
		if (!pep_cli_int(cli, "due-within", arg, 0, 3660, &v))
			return PEP_EXIT_USAGE;
		a->opts.within = (int)v;
		return 0;
	case OPT_BY:
		if (!pep_cli_choice(cli, "by", arg, pep_breakdown_names + 1, &i))
			return PEP_EXIT_USAGE;
		a->opts.by = (pep_breakdown)(i + 1);
		return 0;
	case OPT_TERMS:
		if (!pep_cli_int(cli, "terms", arg, 1, 30, &v))
			return PEP_EXIT_USAGE;
		a->opts.terms = (int)v;
		return 0;
	case OPT_NAMES:
		a->opts.names = true;
		return 0;
	case OPT_SUMMARY:
		a->opts.summary = true;
		return 0;
	default:
		if (pep_output_args_option(&a->output, key, arg) == 0)
			return 0;
		if ((i = pep_batch_args_option(cli, &a->batch, key, arg)) >= 0)
			return i;
		i = pep_check_args_option(cli, &a->check, key, arg);
		return i >= 0 ? i : PEP_EXIT_USAGE;
	}
}

typedef struct run {
	pep_caseload *caseload;
	pep_inputs *inputs; /* every file read: -o never writes over one */
} run;

static void on_item(void *ctx, size_t index, pep_batch_item *item)
{
	run *r = ctx;
	(void)index;
	pep_caseload_add(r->caseload, &item->facts, item->diags);
	if (r->inputs)
		pep_inputs_add(r->inputs, pep_diags_file(item->diags));
	pep_diags_free(item->diags);
	pep_facts_free(&item->facts);
}

/* Writes the report to -o FILE (outfile.h's policy: atomically, never over
 * a file read) or standard output. */
static int write_report(pep_cli *cli, const struct args *a, const pep_inputs *inputs, const pep_caseload_report *r)
{
	writer w = writers[a->format];
	if (!a->output.path || strcmp(a->output.path, "-") == 0) {
		w(cli->out, r, a->batch.excel);
		return PEP_EXIT_OK;
	}
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem) {
		pep_cli_error(cli, "out of memory writing the report");
		return PEP_EXIT_USAGE;
	}
	w(mem, r, a->batch.excel);
	fclose(mem);
	int status = pep_cli_write_output(cli, &a->output, inputs, text, len);
	free(text);
	return status;
}

int pep_cmd_caseload(pep_cli *cli, int argc, char **argv)
{
	struct args a;
	memset(&a, 0, sizeof a);
	pep_check_args_init(&a.check);
	a.opts.within = 20;
	a.opts.terms = 3;
	pep_batch_args_init(cli, &a.batch);
	a.format = PEP_REPORT_TEXT;
	int first;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	if (first >= argc)
		return pep_cli_usage_error(cli, "no folder or file given: name the folders of PEPs to read");
	if (a.batch.excel) {
		if (a.format_given && a.format != PEP_REPORT_CSV)
			return pep_cli_usage_error(cli, "--excel writes CSV: drop --format, or use --format csv");
		a.format = PEP_REPORT_CSV;
	}
	a.check.cfg.redact = true;
	a.opts.as_of = a.check.cfg.as_of;

	const char *const *paths = (const char *const *)argv + first;
	size_t npaths = (size_t)(argc - first);
	run rn = {NULL, NULL};
	if (a.output.path && strcmp(a.output.path, "-") != 0) {
		/* Refused at once what the output could not be, before the work. */
		rn.inputs = pep_inputs_new();
		for (size_t i = 0; i < npaths; i++)
			pep_inputs_add(rn.inputs, paths[i]);
		if (pep_cli_check_output(cli, &a.output, rn.inputs, NULL, false) != PEP_EXIT_OK) {
			pep_inputs_free(rn.inputs);
			return PEP_EXIT_USAGE;
		}
	}
	pep_checker *checker = pep_check_args_checker(cli, &a.check);
	if (!checker) {
		pep_inputs_free(rn.inputs);
		return PEP_EXIT_USAGE;
	}
	rn.caseload = pep_caseload_new(&a.opts);
	int status = PEP_EXIT_OK;
	size_t n = pep_cli_batch(cli, checker, paths, npaths, &a.batch, on_item, &rn, &status);
	if (n) {
		const pep_caseload_report *report = pep_caseload_finish(rn.caseload);
		int w = write_report(cli, &a, rn.inputs, report);
		if (w != PEP_EXIT_OK)
			status = w;
		bool red = report->nunread > 0;
		for (size_t i = 0; i < report->nchildren && !red; i++)
			red = report->children[i].errors > 0 || (a.check.cfg.strict && report->children[i].warnings > 0);
		if (status == PEP_EXIT_OK && red)
			status = PEP_EXIT_ERRORS;
	}
	pep_caseload_free(rn.caseload);
	pep_inputs_free(rn.inputs);
	pep_checker_free(checker);
	return status;
}
