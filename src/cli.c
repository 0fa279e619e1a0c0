/* cli.c: pep_main, the command table and the shared option handling. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "author.h"
#include "outfile.h"
#include "strbuf.h"
#include "xalloc.h"
#include "xml.h"

#ifndef PEP_VERSION
#define PEP_VERSION "0.0.0"
#endif

/* The subcommands: `pep --help`, the unknown-command message and the man
 * page's list come from this table. */
static const struct command {
	const char *name;
	int (*run)(pep_cli *cli, int argc, char **argv);
	const char *summary;
} commands[] = {
	{"edit", cmd_edit, "fill in a PEP in a form in your browser, checked as you type"},
	{"validate", cmd_validate, "check PEP files against the schema and the statutory rules"},
	{"check", cmd_check, "batch-check every PEP in folders, with reports"},
	{"caseload", cmd_caseload, "the children in folders of PEPs: who is due, and the termly figures"},
	{"render", cmd_render, "render a PEP to a PDF for the records system, or to an accessible HTML page"},
	{"convert", cmd_convert, "convert a PEP between the Kent and Southwark formats"},
	{"due", cmd_due, "print a statutory deadline counted in school or working days"},
	{"rules", cmd_rules, "list the rule catalogue"},
	{"calendar", cmd_calendar, "check school calendar files, or show the calendar in use"},
	{"new", cmd_new, "write a skeleton PEP to fill in"},
	{"next", cmd_next, "start the next PEP from the previous one"},
	{NULL, NULL, NULL},
};

static void main_usage(FILE *f)
{
	fputs("usage: pep [--help] [--version] COMMAND [OPTIONS] [ARGS]\n"
	      "\n"
	      "Check, render and convert Personal Education Plans (PEPs) for looked-after\n"
	      "children in England, as the virtual school, designated teachers and social\n"
	      "workers need them: complete, on time, and ready to upload.\n"
	      "\n"
	      "Commands:\n", f);
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fputs("\n"
	      "Run 'pep COMMAND --help' for a command's options.\n"
	      "Exit status: 0 nothing checked has an error; 1 a file has an error;\n"
	      "2 not done as asked (bad usage, a file that cannot be read or written).\n", f);
}

int pep_main(int argc, char **argv, FILE *out, FILE *err)
{
	pep_cli cli = {out, err, NULL, false};
	return pep_cli_run(&cli, argc, argv);
}

int pep_cli_run(pep_cli *c0, int argc, char **argv)
{
	static bool initialised;
	if (!initialised) {
		pep_xml_init();
		initialised = true;
	}
	pep_cli cli = *c0;
	FILE *out = cli.out, *err = cli.err;
	int status;
	if (argc < 2) {
		main_usage(err);
		return PEP_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		main_usage(out);
		status = PEP_EXIT_OK;
	} else if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		fprintf(out, "pep %s\n", PEP_VERSION);
		status = PEP_EXIT_OK;
	} else {
		const struct command *c = commands;
		while (c->name && strcmp(c->name, name) != 0)
			c++;
		if (!c->name) {
			fputs("pep: '", err);
			pep_put_path(err, name);
			fputs("' is not a pep command. The commands are:", err);
			for (const struct command *k = commands; k->name; k++)
				fprintf(err, " %s", k->name);
			fputs("\nTry 'pep --help'.\n", err);
			return PEP_EXIT_USAGE;
		}
		cli.command = c->name;
		status = c->run(&cli, argc - 1, argv + 1);
	}
	/* A failed write is an error, not silence. */
	if (fflush(out) != 0 || ferror(out)) {
		int e = errno ? errno : EIO;
		fprintf(err, "pep%s%s: cannot write to standard output: %s%s\n", cli.command ? " " : "",
		        cli.command ? cli.command : "", strerror(e),
		        e == ENOSPC ? " (the disk is full)" : e == EPIPE ? " (the reader stopped)" : "");
		status = PEP_EXIT_USAGE;
	}
	return status;
}

/* ------------------------------------------------------------------ */
/* Options                                                              */
/* ------------------------------------------------------------------ */

void pep_cli_usage(pep_cli *cli, const pep_usage *u, FILE *f)
{
	for (int i = 0; u->synopsis[i]; i++)
		fprintf(f, "%s pep %s\n", i ? "      " : "usage:", u->synopsis[i]);
	if (u->description)
		fprintf(f, "\n%s\n", u->description);
	if (u->options && u->options[0].name) {
		fputs("\nOptions:\n", f);
		for (const pep_option *o = u->options; o->name; o++) {
			char left[64];
			if (o->key < 256)
				snprintf(left, sizeof left, "-%c, --%s%s%s", o->key, o->name, o->arg ? " " : "",
				         o->arg ? o->arg : "");
			else
				snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
			if (strlen(left) > 24)
				fprintf(f, "  %s\n  %-24s %s\n", left, "", o->help);
			else
				fprintf(f, "  %-24s %s\n", left, o->help);
		}
		fprintf(f, "  %-24s %s\n", "-h, --help", "show this help and exit");
	}
	if (u->epilog)
		fprintf(f, "\n%s\n", u->epilog);
	(void)cli;
}

/* "pep CMD: message" on one line: the message is shown as a path is
 * (diag.h), so that no name or argument in it can forge a line. */
static void put_message(pep_cli *cli, const char *fmt, va_list ap)
{
	pep_buf b = PEP_BUF_INIT;
	pep_buf_vprintf(&b, fmt, ap);
	fprintf(cli->err, "pep %s: ", cli->command ? cli->command : "");
	pep_put_path(cli->err, pep_buf_str(&b));
	fputc('\n', cli->err);
	pep_buf_free(&b);
}

void pep_cli_error(pep_cli *cli, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_message(cli, fmt, ap);
	va_end(ap);
}

int pep_cli_usage_error(pep_cli *cli, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_message(cli, fmt, ap);
	va_end(ap);
	fprintf(cli->err, "Try 'pep %s --help'.\n", cli->command ? cli->command : "");
	return PEP_EXIT_USAGE;
}

int pep_cli_parse(pep_cli *cli, const pep_usage *u, int argc, char **argv, pep_on_option on_option,
                  void *ctx, int *first)
{
	size_t n = 0;
	while (u->options && u->options[n].name)
		n++;
	struct option *longs = xcalloc(n + 2, sizeof *longs);
	pep_buf shorts = PEP_BUF_INIT;
	pep_buf_puts(&shorts, ":h"); /* report missing arguments; options may follow operands */
	for (size_t i = 0; i < n; i++) {
		const pep_option *o = &u->options[i];
		longs[i].name = o->name;
		longs[i].has_arg = o->arg ? required_argument : no_argument;
		longs[i].val = o->key;
		if (o->key < 256) {
			pep_buf_putc(&shorts, (char)o->key);
			if (o->arg)
				pep_buf_putc(&shorts, ':');
		}
	}
	longs[n].name = "help";
	longs[n].val = 'h';
	int status = -1;
	opterr = 0;
	optind = 0; /* GNU: start afresh, so pep_main can run again in-process */
	for (;;) {
		int longindex = -1;
		int key = getopt_long(argc, argv, pep_buf_str(&shorts), longs, &longindex);
		if (key == -1)
			break;
		if (key == 'h') {
			pep_cli_usage(cli, u, cli->out);
			status = PEP_EXIT_OK;
			break;
		}
		if (key == '?' || key == ':') {
			const char *bad = argv[optind - 1];
			if (key == ':')
				status = pep_cli_usage_error(cli, "option '%s' needs a value", bad);
			else if (optopt && optopt < 256)
				status = pep_cli_usage_error(cli, "unknown option '-%c'", optopt);
			else
				status = pep_cli_usage_error(cli, "unknown option '%s'", bad);
			break;
		}
		int r = on_option(cli, ctx, key, optarg);
		if (r != 0) {
			status = r;
			break;
		}
	}
	*first = optind;
	free(longs);
	pep_buf_free(&shorts);
	if (status < 0 && cli->parse_only)
		status = PEP_EXIT_OK; /* the options were read: go no further */
	return status;
}

bool pep_cli_date(pep_cli *cli, const char *opt, const char *arg, pep_day *out)
{
	pep_day day;
	if (!pep_date_parse(arg, &day)) {
		pep_cli_usage_error(cli, "--%s '%s' is not a date: write it as YYYY-MM-DD, e.g. 2026-01-30", opt, arg);
		return false;
	}
	if (!pep_date_in_range(day)) {
		pep_cli_usage_error(cli, "--%s %s is outside the dates a PEP can hold (%s to %s)", opt, arg, PEP_DATE_FIRST,
		                    PEP_DATE_LAST);
		return false;
	}
	*out = day;
	return true;
}

bool pep_cli_int(pep_cli *cli, const char *opt, const char *arg, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max) {
		pep_cli_usage_error(cli, "--%s '%s' is not a whole number from %ld to %ld", opt, arg, min, max);
		return false;
	}
	*out = v;
	return true;
}

bool pep_cli_choice(pep_cli *cli, const char *opt, const char *arg, const char *const *names, int *out)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], arg) == 0) {
			*out = i;
			return true;
		}
	pep_buf b = PEP_BUF_INIT;
	for (int i = 0; names[i]; i++) {
		if (i)
			pep_buf_puts(&b, names[i + 1] ? ", " : " or ");
		pep_buf_puts(&b, names[i]);
	}
	pep_cli_usage_error(cli, "--%s '%s' is not known: use %s", opt, arg, pep_buf_str(&b));
	pep_buf_free(&b);
	return false;
}

bool pep_cli_format(pep_cli *cli, const char *arg, unsigned offered, pep_report_format *out)
{
	const char *names[PEP_REPORT_FORMATS + 1];
	int n = 0, k;
	pep_report_format of[PEP_REPORT_FORMATS];
	for (int f = 0; f < PEP_REPORT_FORMATS; f++)
		if (offered & (1u << f)) {
			of[n] = (pep_report_format)f;
			names[n++] = pep_report_format_names[f];
		}
	names[n] = NULL;
	if (!pep_cli_choice(cli, "format", arg, names, &k))
		return false;
	*out = of[k];
	return true;
}

/* ------------------------------------------------------------------ */
/* Batches                                                              */
/* ------------------------------------------------------------------ */

void pep_batch_args_init(pep_cli *cli, pep_batch_args *b)
{
	b->jobs = pep_batch_cores();
	b->excel = false;
	b->progress = isatty(fileno(cli->err)) == 1;
	b->follow_links = false;
}

int pep_batch_args_option(pep_cli *cli, pep_batch_args *b, int key, const char *arg)
{
	switch (key) {
	case PEP_OPT_JOBS:
		return pep_cli_int(cli, "jobs", arg, 1, 256, &b->jobs) ? 0 : PEP_EXIT_USAGE;
	case PEP_OPT_EXCEL:
		b->excel = true;
		return 0;
	case PEP_OPT_NO_PROGRESS:
		b->progress = false;
		return 0;
	case PEP_OPT_FOLLOW_LINKS:
		b->follow_links = true;
		return 0;
	default:
		return -1;
	}
}

typedef struct batch_run {
	pep_cli *cli;
	pep_batch_emit emit;
	void *ctx;
	bool progress, shown;
	size_t total, done;
	struct timespec start, last;
} batch_run;

static double seconds(struct timespec a, struct timespec b)
{
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

static void on_batch_item(void *ctx, size_t index, pep_batch_item *item)
{
	batch_run *b = ctx;
	b->emit(b->ctx, index, item);
	b->done++;
	if (!b->progress)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (b->done < b->total && seconds(b->last, now) < 0.25)
		return;
	b->last = now;
	double t = seconds(b->start, now);
	fprintf(b->cli->err, "\rpep %s: %zu/%zu files (%.0f files/s)   ", b->cli->command, b->done, b->total,
	        t > 0 ? (double)b->done / t : 0.0);
	fflush(b->cli->err);
	b->shown = true;
}

/* When standard output is a regular file (">> x.xml"), whether the walk
 * over paths would read it: a walk that reads nothing, before the work, so
 * that nothing is written before pep knows (the report of the first files
 * would already be in it). Says so and returns true. */
static bool batch_reads_stdout(pep_cli *cli, const char *const *paths, size_t npaths, bool follow_links)
{
	struct stat out;
	if (fstat(fileno(cli->out), &out) != 0 || !S_ISREG(out.st_mode))
		return false;
	pep_walker *w = pep_walker_new(paths, npaths);
	if (follow_links)
		pep_walker_follow_links(w);
	const char *path;
	pep_diags *problem;
	bool found = false;
	while (!found && pep_walker_next(w, &path, &problem)) {
		struct stat st;
		if (problem)
			pep_diags_free(problem);
		else if (stat(path, &st) == 0 && st.st_dev == out.st_dev && st.st_ino == out.st_ino)
			found = pep_cli_check_stdout(cli, &path, 1) != PEP_EXIT_OK;
	}
	pep_walker_free(w);
	return found;
}

size_t pep_cli_batch(pep_cli *cli, const pep_checker *checker, const char *const *paths, size_t npaths,
                     const pep_batch_args *args, pep_batch_emit emit, void *ctx, int *status)
{
	if (batch_reads_stdout(cli, paths, npaths, args->follow_links)) {
		*status = PEP_EXIT_USAGE;
		return 0;
	}
	pep_walker *walker = pep_walker_new(paths, npaths);
	if (args->follow_links)
		pep_walker_follow_links(walker);
	size_t nmissing;
	const char *const *missing = pep_walker_missing(walker, &nmissing);
	for (size_t i = 0; i < nmissing; i++) {
		pep_cli_error(cli, "%s: no such file or folder; check the path", missing[i]);
		*status = PEP_EXIT_USAGE;
	}
	batch_run b;
	memset(&b, 0, sizeof b);
	b.cli = cli;
	b.emit = emit;
	b.ctx = ctx;
	b.progress = args->progress;
	/* The progress line needs a total: a quick walk that keeps nothing. */
	if (b.progress)
		b.total = pep_batch_count(paths, npaths, args->follow_links);
	clock_gettime(CLOCK_MONOTONIC, &b.start);
	size_t n = pep_batch_run(checker, walker, (int)args->jobs, on_batch_item, &b);
	if (b.shown)
		fputs("\r                                                            \r", cli->err);
	if (n == 0) {
		/* Nothing was found: no report, and not done as asked. */
		if (!nmissing)
			pep_cli_error(cli, "no *.xml files found in %s%s", paths[0], npaths > 1 ? " or the other paths" : "");
		*status = PEP_EXIT_USAGE;
	}
	pep_walker_free(walker);
	return n;
}

void pep_check_args_init(pep_check_args *a)
{
	memset(a, 0, sizeof *a);
	a->cfg.stage = PEP_STAGE_SIGNOFF;
	a->cfg.as_of = pep_date_today();
	a->cfg.calendars = a->calendars;
}

/* An LA code as the schema writes it: lower case letters, digits, hyphens. */
static bool la_code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 40 || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

int pep_cli_check_stdout(pep_cli *cli, const char *const *files, size_t n)
{
	pep_inputs *in = pep_inputs_new();
	for (size_t i = 0; i < n; i++)
		pep_inputs_add(in, files[i]);
	char *err = NULL;
	bool refused = pep_outfile_stream_refused(cli->out, in, &err);
	pep_inputs_free(in);
	if (!refused)
		return PEP_EXIT_OK;
	pep_cli_error(cli, "%s", err);
	free(err);
	return PEP_EXIT_USAGE;
}

pep_checker *pep_check_args_checker(pep_cli *cli, const pep_check_args *a)
{
	/* Standard output is never a calendar this reads, nor pep's own data. */
	if (pep_cli_check_stdout(cli, a->calendars, a->cfg.ncalendars) != PEP_EXIT_OK)
		return NULL;
	char *err = NULL;
	pep_checker *checker = pep_checker_new(&a->cfg, &err);
	if (!checker) {
		/* (one message per line: a calendar's problems are listed below it) */
		char *save = NULL;
		for (char *line = strtok_r(err, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			pep_cli_error(cli, "%s", line);
		free(err);
	}
	return checker;
}

int pep_check_args_option(pep_cli *cli, pep_check_args *a, int key, const char *arg)
{
	int i;
	switch (key) {
	case PEP_OPT_LA:
		if (!la_code_ok(arg))
			return pep_cli_usage_error(cli, "--la '%s' is not an LA code: use lower case letters and hyphens, e.g. kent, southwark, kirklees, east-sussex", arg);
		a->cfg.la = arg;
		return 0;
	case PEP_OPT_STAGE:
		if (!pep_cli_choice(cli, "stage", arg, pep_stage_names, &i))
			return PEP_EXIT_USAGE;
		a->cfg.stage = (pep_stage)i;
		return 0;
	case PEP_OPT_AS_OF:
		return pep_cli_date(cli, "as-of", arg, &a->cfg.as_of) ? 0 : PEP_EXIT_USAGE;
	case PEP_OPT_CALENDAR:
		if (a->cfg.ncalendars >= sizeof a->calendars / sizeof a->calendars[0])
			return pep_cli_usage_error(cli, "too many --calendar options (at most 64)");
		a->calendars[a->cfg.ncalendars++] = arg;
		return 0;
	case PEP_OPT_STRICT:
		a->cfg.strict = true;
		return 0;
	case PEP_OPT_MAX_SIZE: {
		long mb;
		if (!pep_cli_int(cli, "max-size", arg, 1, 1024, &mb))
			return PEP_EXIT_USAGE;
		a->cfg.max_size = (size_t)mb * 1024 * 1024;
		return 0;
	}
	default:
		return -1;
	}
}

int pep_output_args_option(pep_output_args *o, int key, const char *arg)
{
	if (key == 'o')
		o->path = arg;
	else if (key == PEP_OPT_FORCE)
		o->force = true;
	else
		return -1;
	return 0;
}

pep_output_policy pep_output_args_policy(pep_cli *cli, const pep_output_args *o, const pep_inputs *inputs,
                                         const char *identity, bool binary)
{
	pep_output_policy p = {o->force ? PEP_REPLACE_ALWAYS : identity ? PEP_REPLACE_SAME : PEP_REPLACE_NEVER,
	                       identity, inputs, cli->out, binary};
	return p;
}

int pep_cli_check_output(pep_cli *cli, const pep_output_args *o, const pep_inputs *inputs, const char *identity,
                         bool binary)
{
	pep_output_policy p = pep_output_args_policy(cli, o, inputs, identity, binary);
	char *err = NULL;
	if (pep_outfile_check(o->path ? o->path : "-", &p, &err))
		return PEP_EXIT_OK;
	pep_cli_error(cli, "%s", err);
	free(err);
	return PEP_EXIT_USAGE;
}

int pep_cli_write_output(pep_cli *cli, const pep_output_args *out, const pep_inputs *inputs, const char *text,
                         size_t len)
{
	pep_output_policy p = pep_output_args_policy(cli, out, inputs, NULL, false);
	char *err = NULL;
	pep_outfile *o = pep_outfile_create(out->path ? out->path : "-", &p, &err);
	if (o) {
		fwrite(text, 1, len, pep_outfile_stream(o));
		if (pep_outfile_commit(o, &err))
			return PEP_EXIT_OK; /* (pep_main checks that stdout was written) */
	}
	pep_cli_error(cli, "%s", err);
	free(err);
	return PEP_EXIT_USAGE;
}

char *pep_cli_skeleton(pep_cli *cli, pep_checker *checker, const char *la, int kind, size_t *len)
{
	if (strcmp(la, "default") == 0) {
		pep_cli_usage_error(cli, "--la default names the default rules, not an LA: give the code of the LA "
		                         "that looks after the child, e.g. kent or east-sussex");
		return NULL;
	}
	char *err = NULL, *text = NULL;
	pep_diags *d = pep_diags_new("pep new");
	pep_xml_loader *loader = NULL;
	pep_form *form = pep_form_load_installed(&err);
	if (!form) {
		pep_cli_error(cli, "%s", err);
		goto out;
	}
	loader = pep_checker_loader(checker);
	const pep_calendars *cals = pep_checker_calendars(checker);
	if (!pep_la_known(cals, la)) {
		char *known = pep_known_las(cals);
		char *tail = strstr(known, ", default");
		if (tail)
			*tail = '\0'; /* the LAs, not the default rules */
		pep_cli_error(cli, "note: '%s' has no rules or term dates of its own in pep (it knows %s): its PEPs are "
		                   "checked with the default rules; check the spelling if that is not what you meant",
		              la, known);
		free(known);
	}
	text = pep_author_new(form, loader, kind, la, pep_la_name(cals, la), d, len);
	if (!text)
		for (size_t i = 0; i < pep_diags_count(d); i++)
			pep_cli_error(cli, "%s", pep_diags_at(d, i)->message);
out:
	free(err);
	pep_diags_free(d);
	pep_xml_loader_free(loader);
	pep_form_free(form);
	return text;
}
