/* cmd_calendar.c: pep calendar check FILE... | pep calendar show --la CODE [--urn URN] [--year YYYY-YY] */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "cli.h"

enum { OPT_URN = 300, OPT_YEAR };

static const pep_option options[] = {
	{"la", PEP_OPT_LA, "CODE", "show: the local authority (kent, southwark, kirklees, ...)"},
	{"urn", OPT_URN, "URN", "show: the school whose own calendar to use, when one is installed"},
	{"year", OPT_YEAR, "YYYY-YY", "show: only this academic year, e.g. 2025-26"},
	{"calendar", PEP_OPT_CALENDAR, "FILE", "show: add or replace a calendar (may be repeated)"},
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {
	"calendar check FILE...",
	"calendar show --la CODE [--urn URN] [--year YYYY-YY]",
	NULL,
};

static const pep_usage usage = {
	synopsis,
	"check: validates calendar files (schemas/calendar.xsd, then sense: terms in\n"
	"order, no overlaps, breaks inside their term) and says what each covers.\n"
	"show: prints the term dates pep uses for an LA (or one school), each term\n"
	"with its breaks, closed days and number of school days, and their source.\n"
	"docs/calendars.md explains the format and how to add a year.",
	options,
	"Exit status: 0 all good; 2 a calendar is bad (with FILE:LINE), or none is known.",
};

struct args {
	pep_check_args check;
	const char *urn;
	int year; /* academic start year, or 0 for all */
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	if (key == OPT_URN) {
		if (strlen(arg) != 6 || strspn(arg, "0123456789") != 6)
			return pep_cli_usage_error(cli, "--urn '%s' is not a URN: 6 digits", arg);
		a->urn = arg;
		return 0;
	}
	if (key == OPT_YEAR) {
		int y = 0;
		if (strlen(arg) != 7 || arg[4] != '-' || strspn(arg, "0123456789") != 4 ||
		    strspn(arg + 5, "0123456789") != 2 || (y = atoi(arg)) < 1990 || atoi(arg + 5) != (y + 1) % 100)
			return pep_cli_usage_error(cli, "--year '%s' is not an academic year: write it as YYYY-YY, e.g. 2025-26", arg);
		a->year = y;
		return 0;
	}
	int r = pep_check_args_option(cli, &a->check, key, arg);
	return r >= 0 ? r : PEP_EXIT_USAGE;
}

static int check(pep_cli *cli, int argc, char **argv, int first)
{
	if (first >= argc)
		return pep_cli_usage_error(cli, "calendar check needs one or more calendar files");
	if (pep_cli_check_stdout(cli, (const char *const *)argv + first, (size_t)(argc - first)) != PEP_EXIT_OK)
		return PEP_EXIT_USAGE;
	int status = PEP_EXIT_OK;
	for (int i = first; i < argc; i++) {
		pep_diags *d = pep_diags_new(argv[i]);
		char *summary = NULL;
		if (pep_calendar_check_file(argv[i], d, &summary)) {
			pep_put_path(cli->out, argv[i]);
			fprintf(cli->out, ": ok: %s\n", summary);
		} else {
			pep_diags_write_text(cli->out, d);
			status = PEP_EXIT_USAGE;
		}
		free(summary);
		pep_diags_free(d);
	}
	return status;
}

static void show_year(pep_cli *cli, const pep_calendars *cals, const pep_cal_info *info, const char *la,
                      const char *urn)
{
	FILE *f = cli->out;
	if (info->school)
		fprintf(f, "%s (URN %s), a school in %s, %s\n", info->school, info->urn, info->owner, info->year);
	else
		fprintf(f, "%s, %s\n", info->owner, info->year);
	fputs("  source: ", f);
	pep_put_path(f, info->file);
	fprintf(f, " (%s confidence)\n", info->confidence);
	if (info->note)
		fprintf(f, "  note: %s\n", info->note);
	for (size_t t = 0; t < info->nterms; t++) {
		const pep_term_info *term = &info->terms[t].term;
		char a[11], z[11];
		pep_date_format(term->first, a);
		pep_date_format(term->last, z);
		int days = 0;
		pep_day missing;
		/* The bank holidays may not cover the term: then say so. */
		if (pep_cal_count_school_days(cals, la, urn, term->first - 1, term->last, &days, &missing) == PEP_CAL_OK)
			fprintf(f, "  %-7s %s to %s  %3d school days  %s\n", pep_season_names[term->season], a, z, days, term->name);
		else
			fprintf(f, "  %-7s %s to %s  (school days not known: no bank holidays for that year)  %s\n",
			        pep_season_names[term->season], a, z, term->name);
		for (size_t k = 0; k < info->terms[t].nbreaks; k++) {
			pep_date_format(info->terms[t].breaks[k][0], a);
			pep_date_format(info->terms[t].breaks[k][1], z);
			fprintf(f, "          break   %s to %s  %s\n", a, z, info->terms[t].break_names[k]);
		}
		for (size_t k = 0; k < info->terms[t].nclosed; k++) {
			pep_date_format(info->terms[t].closed[k][0], a);
			pep_date_format(info->terms[t].closed[k][1], z);
			fprintf(f, "          closed  %s to %s  %s\n", a, z, info->terms[t].closed_names[k]);
		}
	}
}

static int show(pep_cli *cli, struct args *a, int argc, char **argv, int first)
{
	if (first < argc)
		return pep_cli_usage_error(cli, "unexpected argument '%s'", argv[first]);
	if (!a->check.cfg.la)
		return pep_cli_usage_error(cli, "calendar show needs --la CODE");
	pep_diags **errs = NULL;
	size_t nerrs = 0;
	if (pep_cli_check_stdout(cli, a->check.cfg.calendars, a->check.cfg.ncalendars) != PEP_EXIT_OK)
		return PEP_EXIT_USAGE;
	pep_calendars *cals = pep_calendars_load(a->check.cfg.calendars, a->check.cfg.ncalendars, &errs, &nerrs);
	if (!cals) {
		for (size_t i = 0; i < nerrs; i++) {
			pep_diags_write_text(cli->err, errs[i]);
			pep_diags_free(errs[i]);
		}
		free(errs);
		return PEP_EXIT_USAGE;
	}
	int years[128];
	size_t n = pep_cal_start_years(cals, a->check.cfg.la, a->urn, years, 128);
	int status = PEP_EXIT_OK;
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		pep_cal_info info;
		if (a->year && years[i] != a->year)
			continue;
		if (pep_cal_info_for(cals, a->check.cfg.la, a->urn, years[i], &info)) {
			if (shown++)
				fputc('\n', cli->out);
			show_year(cli, cals, &info, a->check.cfg.la, a->urn);
		}
	}
	if (!shown) {
		char *known = pep_cal_years_known(cals, a->check.cfg.la, a->urn);
		if (*known)
			pep_cli_error(cli, "[%s] no calendar for %s covers %d-%02d; known years: %s; add it (docs/calendars.md)",
			              pep_rules[PEP_RULE_CAL01].id, a->check.cfg.la, a->year, (a->year + 1) % 100, known);
		else {
			char *las = pep_known_las(cals);
			pep_cli_error(cli, "[%s] no calendar is known for %s; the LAs with term dates are %s; add one "
			                   "(docs/calendars.md)",
			              pep_rules[PEP_RULE_CAL01].id, a->check.cfg.la, las);
			free(las);
		}
		free(known);
		status = PEP_EXIT_USAGE;
	}
	pep_calendars_free(cals);
	return status;
}

int pep_cmd_calendar(pep_cli *cli, int argc, char **argv)
{
	struct args a;
	memset(&a, 0, sizeof a);
	pep_check_args_init(&a.check);
	int first;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	if (first >= argc)
		return pep_cli_usage_error(cli, "say 'check FILE...' or 'show --la CODE'");
	if (strcmp(argv[first], "check") == 0)
		return check(cli, argc, argv, first + 1);
	if (strcmp(argv[first], "show") == 0)
		return show(cli, &a, argc, argv, first + 1);
	return pep_cli_usage_error(cli, "'%s' is not a calendar command: use check or show", argv[first]);
}
