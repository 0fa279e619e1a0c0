/* cmd_validate.c: pep validate [options] FILE... */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xalloc.h"

static const char *const formats[] = {"text", "json", NULL};

static const pep_option options[] = {
	PEP_CHECK_OPTIONS,
	{"format", PEP_OPT_FORMAT, "FORMAT", "text (the default: FILE:LINE: error: [RULE] message) or json"},
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {"validate [options] FILE...", NULL};

static const pep_usage usage = {
	synopsis,
	"Checks each PEP file: well-formed XML, the schema (schemas/pep.xsd), then\n"
	"every statutory rule that applies to its local authority and stage. Prints\n"
	"one line per problem, naming the file, the line, the rule and what to fix;\n"
	"prints nothing when every file is fine.",
	options,
	"Exit status: 0 no file has an error; 1 a file has an error (with --strict, a\n"
	"warning); 2 not done as asked (bad option, a file that cannot be read).",
};

struct args {
	pep_check_args check;
	int format; /* index in formats */
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	int r = pep_check_args_option(cli, &a->check, key, arg);
	if (r >= 0)
		return r;
	if (key == PEP_OPT_FORMAT)
		return pep_cli_choice(cli, "format", arg, formats, &a->format) ? 0 : PEP_EXIT_USAGE;
	return PEP_EXIT_USAGE;
}

int cmd_validate(pep_cli *cli, int argc, char **argv)
{
	struct args a;
	int first;
	pep_check_args_init(&a.check);
	a.format = 0;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	if (first >= argc)
		return pep_cli_usage_error(cli, "no file given: name one or more PEP files");

	int status = PEP_EXIT_OK;
	pep_checker *checker = pep_check_args_checker(cli, &a.check);
	if (!checker)
		return PEP_EXIT_USAGE;
	pep_xml_loader *loader = pep_checker_loader(checker);
	size_t n = (size_t)(argc - first);
	pep_diags **files = xcalloc(n, sizeof *files);
	bool json = a.format == 1;

	for (size_t i = 0; i < n; i++) {
		pep_diags *d = files[i] = pep_diags_new(argv[first + (int)i]);
		pep_check_file(checker, loader, argv[first + (int)i], d, NULL);
		if (pep_diags_unchecked(d)) {
			status = PEP_EXIT_USAGE;
			/* The reason goes to stderr (docs/pep.1, EXIT STATUS: exit 2 says why there). */
			for (size_t k = 0; k < pep_diags_count(d); k++)
				pep_cli_error(cli, "%s: %s", argv[first + (int)i], pep_diags_at(d, k)->message);
		} else {
			if (!pep_diags_valid(d, a.check.cfg.strict) && status == PEP_EXIT_OK)
				status = PEP_EXIT_ERRORS;
			if (!json)
				pep_diags_write_text(cli->out, d);
		}
	}
	if (json)
		pep_diags_write_json(cli->out, files, n, a.check.cfg.strict);

	for (size_t i = 0; i < n; i++)
		pep_diags_free(files[i]);
	free(files);
	pep_xml_loader_free(loader);
	pep_checker_free(checker);
	return status;
}
