/* cmd_convert.c: pep convert --to FORMAT [--strict] FILE [-o OUT] */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "convert.h"
#include "outfile.h"
#include "xalloc.h"

enum { OPT_TO = 300 };

static const char *const targets[] = {"kent", "southwark", NULL};

static const pep_option options[] = {
	{"to", OPT_TO, "FORMAT", "kent (the canonical A-D format) or southwark (Southwark's 1-4 form)"},
	{"output", 'o', "OUT", "write the converted PEP to OUT (default: standard output)"},
	PEP_FORCE_OPTION,
	{"strict", PEP_OPT_STRICT, NULL, "refuse to convert when any field would be lost"},
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {"convert --to FORMAT [--strict] FILE [-o OUT [--force]]", NULL};

static const pep_usage usage = {
	synopsis,
	"Converts a PEP between the Kent (canonical, sections A-D) format and\n"
	"Southwark's PEP form (sections 1-4) with the project's XSLT stylesheets. The\n"
	"file's format is found from its namespace, and the file is checked against\n"
	"its own schema first; the result is checked against the target's schema\n"
	"before it is written. Every field the target form cannot hold is listed on\n"
	"standard error, one line each:\n"
	"  lost: SECTION FIELD (line N): \"value, cut short\"\n"
	"and every field the target form needs that the file cannot give:\n"
	"  missing: SECTION FIELD: why",
	options,
	"Exit status: 0 converted; 1 the file is not a valid PEP, the result would not\n"
	"be valid, or (with --strict) a field would be lost, and nothing is written;\n"
	"2 not done as asked (bad option, a file that cannot be read or written).",
};

struct args {
	pep_format to;
	pep_output_args out;
	bool strict;
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	int i;
	switch (key) {
	case OPT_TO:
		if (!pep_cli_choice(cli, "to", arg, targets, &i))
			return PEP_EXIT_USAGE;
		a->to = pep_format_from_name(targets[i]);
		return 0;
	case 'o':
	case PEP_OPT_FORCE:
		return pep_output_args_option(&a->out, key, arg);
	case PEP_OPT_STRICT:
		a->strict = true;
		return 0;
	default:
		return PEP_EXIT_USAGE;
	}
}

int cmd_convert(pep_cli *cli, int argc, char **argv)
{
	struct args a = {PEP_FORMAT_NONE, {NULL, false}, false};
	int first;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	if (a.to == PEP_FORMAT_NONE)
		return pep_cli_usage_error(cli, "say which format to convert to: --to kent or --to southwark");
	if (first >= argc)
		return pep_cli_usage_error(cli, "no file given: name the PEP file to convert");
	if (argc - first > 1)
		return pep_cli_usage_error(cli, "one file at a time: '%s' and '%s' were both given", argv[first],
		                           argv[first + 1]);
	const char *path = argv[first];
	pep_inputs *inputs = pep_inputs_new();
	pep_inputs_add(inputs, path);
	if (pep_cli_check_output(cli, &a.out, inputs, NULL, false) != PEP_EXIT_OK) {
		pep_inputs_free(inputs);
		return PEP_EXIT_USAGE;
	}

	char *err = NULL;
	pep_converter *c = pep_converter_new(&err);
	if (!c) {
		pep_cli_error(cli, "%s", err);
		free(err);
		pep_inputs_free(inputs);
		return PEP_EXIT_USAGE;
	}
	pep_diags *d = pep_diags_new(path);
	pep_conversion *cv = NULL;
	pep_convert_status st = pep_convert_file(c, path, a.to, d, &cv);

	/* The report first: even a refused conversion says what is missing. */
	for (size_t i = 0; cv && i < pep_conversion_count(cv); i++) {
		char *line = pep_convert_item_line(pep_conversion_item(cv, i));
		fprintf(cli->err, "%s\n", line);
		free(line);
	}
	int status;
	switch (st) {
	case PEP_CONVERT_OK:
		if (a.strict && pep_conversion_lost(cv)) {
			pep_cli_error(cli, "%s: %zu field%s would be lost in %s (--strict): nothing written", path,
			              pep_conversion_lost(cv), pep_conversion_lost(cv) == 1 ? "" : "s",
			              pep_format_label(a.to));
			status = PEP_EXIT_ERRORS;
		} else {
			size_t len;
			const char *bytes = pep_conversion_output(cv, &len);
			status = pep_cli_write_output(cli, &a.out, inputs, bytes, len);
		}
		break;
	case PEP_CONVERT_INVALID:
	case PEP_CONVERT_OUTPUT_INVALID:
		pep_diags_sort(d);
		pep_diags_write_text(cli->err, d);
		status = PEP_EXIT_ERRORS;
		break;
	default: /* unreadable, same format, failed: not done as asked */
		for (size_t k = 0; k < pep_diags_count(d); k++)
			pep_cli_error(cli, "%s: %s", path, pep_diags_at(d, k)->message);
		status = PEP_EXIT_USAGE;
		break;
	}
	pep_conversion_free(cv);
	pep_diags_free(d);
	pep_converter_free(c);
	pep_inputs_free(inputs);
	return status;
}
