/* cmd_validate.c: pep validate [options] FILE... */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xalloc.h"

static const pep_option options[] = {
	PEP_CHECK_OPTIONS,
	{"format", PEP_OPT_FORMAT, "FORMAT", "text (the default: FILE:LINE: error: [RULE] message) or json"},
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {"validate [options] FILE...", NULL};

static const pep_usage usage = {
	synopsis,
	"Checks each PEP file: well-formed XML, the schema of its format\n"
	"(schemas/pep.xsd, or Southwark's form, schemas/southwark.xsd), then every\n"
	"statutory rule that applies to its local authority and stage. Prints one\n"
	"line per problem, naming the file, the line, the rule and what to fix;\n"
	"prints nothing when every file is fine. A PEP on Southwark's form is\n"
	"converted in memory to be judged: the rules' messages point at its own lines\n"
	"and say which form it is on.",
	options,
	"Exit status: 0 no file has an error; 1 a file has an error (with --strict, a\n"
	"warning); 2 not done as asked (bad option, a file that cannot be read).",
};

/* The writers, one per format: the files checked (those that could not
 * be read have said why on standard error). */
typedef void (*writer)(FILE *out, pep_diags *const *files, size_t n, bool strict);

static void write_text(FILE *out, pep_diags *const *files, size_t n, bool strict)
{
	(void)strict;
	for (size_t i = 0; i < n; i++)
		if (!pep_diags_unchecked(files[i]))
			pep_diags_write_text(out, files[i]);
}

static const writer writers[PEP_REPORT_FORMATS] = {
	[PEP_REPORT_TEXT] = write_text,
	[PEP_REPORT_JSON] = pep_diags_write_json,
};

struct args {
	pep_check_args check;
	pep_report_format format;
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	int r = pep_check_args_option(cli, &a->check, key, arg);
	if (r >= 0)
		return r;
	if (key == PEP_OPT_FORMAT)
		return pep_cli_format(cli, arg, PEP_REPORT_OFFERED(writers), &a->format) ? 0 : PEP_EXIT_USAGE;
	return PEP_EXIT_USAGE;
}

int pep_cmd_validate(pep_cli *cli, int argc, char **argv)
{
	struct args a;
	int first;
	pep_check_args_init(&a.check);
	a.format = PEP_REPORT_TEXT;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	if (first >= argc)
		return pep_cli_usage_error(cli, "no file given: name one or more PEP files");

	int status = PEP_EXIT_OK;
	if (pep_cli_check_stdout(cli, (const char *const *)argv + first, (size_t)(argc - first)) != PEP_EXIT_OK)
		return PEP_EXIT_USAGE;
	pep_checker *checker = pep_check_args_checker(cli, &a.check);
	if (!checker)
		return PEP_EXIT_USAGE;
	pep_xml_loader *loader = pep_checker_loader(checker);
	size_t n = (size_t)(argc - first);
	pep_diags **files = pep_xcalloc(n, sizeof *files);

	for (size_t i = 0; i < n; i++) {
		pep_diags *d = files[i] = pep_diags_new(argv[first + (int)i]);
		pep_check_file(checker, loader, argv[first + (int)i], d, NULL);
		if (pep_diags_unchecked(d)) {
			status = PEP_EXIT_USAGE;
			/* The reason goes to stderr (docs/pep.1, EXIT STATUS: exit 2 says why there). */
			for (size_t k = 0; k < pep_diags_count(d); k++)
				pep_cli_error(cli, "%s: %s", argv[first + (int)i], pep_diags_at(d, k)->message);
		} else if (!pep_diags_valid(d, a.check.cfg.strict) && status == PEP_EXIT_OK) {
			status = PEP_EXIT_ERRORS;
		}
	}
	writers[a.format](cli->out, files, n, a.check.cfg.strict);

	for (size_t i = 0; i < n; i++)
		pep_diags_free(files[i]);
	free(files);
	pep_xml_loader_free(loader);
	pep_checker_free(checker);
	return status;
}
