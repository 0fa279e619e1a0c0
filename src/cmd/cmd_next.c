/* cmd_next.c: pep next PREVIOUS.xml [--kind review|transition] [--date YYYY-MM-DD] [-o FILE] [--force] */
#include <stdlib.h>
#include <string.h>

#include "author.h"
#include "cli.h"

enum { OPT_KIND = 300, OPT_DATE };

static const char *const kinds[] = {"review", "transition", NULL};

static const pep_option options[] = {
	{"kind", OPT_KIND, "KIND", "review, or transition when the child has started a new school"},
	{"date", OPT_DATE, "YYYY-MM-DD", "the meeting date (default: the next meeting the previous PEP set)"},
	PEP_MAX_SIZE_OPTION,
	PEP_OUTPUT_OPTIONS,
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {
	"next PREVIOUS.xml [--kind review|transition] [--date YYYY-MM-DD] [-o FILE] [--force]", NULL};

static const pep_usage usage = {
	synopsis,
	"Writes the next PEP, rolled forward from the previous one (a valid PEP in any\n"
	"format pep reads; the next one is written in the canonical format): section\n"
	"A, the PEP history (with the previous meeting added), previous schools, SEN,\n"
	"the 14-19 and post-16 plans are carried forward to check; the previous PEP's\n"
	"targets are placed for review with empty outcomes; open actions and standing\n"
	"attachments (EHC plan, My Support Plan) are carried. Attendance, exclusions,\n"
	"attainment, the young person's views, the meeting and the sign-off are left\n"
	"empty for this PEP. The meeting date is the next meeting the previous PEP\n"
	"set, unless --date is given. Without --kind a post-16, early-years or\n"
	"no-provision PEP stays so; any other becomes a review. A transition moves the\n"
	"school into the previous schools.",
	options,
	"Exit status: 0 written; 1 PREVIOUS.xml is not a valid PEP or holds no meeting\n"
	"date (nothing is written); 2 not done as asked (a bad option, an unreadable\n"
	"file, FILE exists without --force, or FILE cannot be written).",
};

struct args {
	int kind; /* pep_kind, 0 to let the previous PEP decide */
	pep_day date;
	pep_output_args out;
	pep_check_args check; /* for --max-size */
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	int i;
	switch (key) {
	case OPT_KIND:
		if (!pep_cli_choice(cli, "kind", arg, kinds, &i))
			return PEP_EXIT_USAGE;
		a->kind = i == 0 ? PEP_KIND_REVIEW : PEP_KIND_TRANSITION;
		return 0;
	case OPT_DATE:
		return pep_cli_date(cli, "date", arg, &a->date) ? 0 : PEP_EXIT_USAGE;
	case PEP_OPT_MAX_SIZE:
		return pep_check_args_option(cli, &a->check, key, arg);
	default:
		return pep_output_args_option(&a->out, key, arg) == 0 ? 0 : PEP_EXIT_USAGE;
	}
}

int pep_cmd_next(pep_cli *cli, int argc, char **argv)
{
	struct args a;
	memset(&a, 0, sizeof a);
	a.date = PEP_NO_DAY;
	pep_check_args_init(&a.check);
	int first;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	if (first >= argc)
		return pep_cli_usage_error(cli, "no file given: name the previous PEP");
	if (argc - first > 1)
		return pep_cli_usage_error(cli, "one previous PEP at a time: '%s' is one too many (the output file is given "
		                                "with -o FILE)",
		                           argv[first + 1]);
	const char *path = argv[first];
	pep_inputs *inputs = pep_inputs_new();
	pep_inputs_add(inputs, path);
	if (pep_cli_check_output(cli, &a.out, inputs, NULL, false) != PEP_EXIT_OK) {
		pep_inputs_free(inputs);
		return PEP_EXIT_USAGE;
	}

	/* Its messages go to standard error: they quote no value from the file
	 * ('pep validate' shows them with their values). */
	a.check.cfg.redact = true;
	int status = PEP_EXIT_USAGE;
	char *err = NULL, *text = NULL;
	pep_form *form = NULL;
	pep_xml_loader *loader = NULL;
	pep_doc *prev = NULL;
	pep_diags *d = pep_diags_new(path);
	pep_checker *checker = pep_checker_new(&a.check.cfg, &err);
	if (checker)
		form = pep_form_load_installed(&err);
	if (!form) {
		pep_cli_error(cli, "%s", err);
		goto out;
	}
	loader = pep_checker_loader(checker);
	pep_load_status st = pep_checker_load(checker, loader, path, true, d, &prev);
	if (st == PEP_LOAD_UNREADABLE) {
		for (size_t k = 0; k < pep_diags_count(d); k++)
			pep_cli_error(cli, "%s: %s", path, pep_diags_at(d, k)->message);
		goto out;
	}
	if (st != PEP_LOAD_OK) {
		pep_diags_write_text(cli->err, d);
		pep_cli_error(cli, "%s is not a valid PEP, so nothing was written: correct it ('pep validate' shows the same "
		                   "problems, with the values this report leaves out), then roll it forward",
		              path);
		status = PEP_EXIT_ERRORS;
		goto out;
	}
	const pep_model *m = pep_doc_model(prev);
	if (a.date != PEP_NO_DAY && m->d.date.d != PEP_NO_DAY && a.date <= m->d.date.d) {
		char held[11];
		pep_date_format(m->d.date.d, held);
		status = pep_cli_usage_error(cli, "--date must be after the previous meeting, held on %s", held);
		goto out;
	}
	pep_next_opts o = {pep_author_next_kind(m->header.kind.v, a.kind), a.date};
	size_t len = 0;
	text = pep_author_next(form, loader, prev, &o, d, &len);
	if (!text) {
		pep_diags_write_text(cli->err, d);
		status = PEP_EXIT_ERRORS;
		goto out;
	}
	status = pep_cli_write_output(cli, &a.out, inputs, text, len);
	for (size_t k = 0; status == PEP_EXIT_OK && k < pep_diags_count(d); k++)
		pep_cli_error(cli, "note: %s", pep_diags_at(d, k)->message);
	const pep_format *f = pep_format_named(pep_diags_format(d));
	if (status == PEP_EXIT_OK && f && !pep_format_is_canonical(f))
		pep_cli_error(cli, "note: %s is on %s; the next PEP is written in the canonical format, with what goes in "
		                   "each field: convert it when it is filled in, with 'pep convert --to %s FILE -o OUT.xml'",
		              path, f->label, f->name);
out:
	pep_inputs_free(inputs);
	free(text);
	free(err);
	pep_diags_free(d);
	pep_doc_free(prev);
	pep_xml_loader_free(loader);
	pep_form_free(form);
	pep_checker_free(checker);
	return status;
}
