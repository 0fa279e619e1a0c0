/* profile.c: the LA profiles (profile.h). Each limit cites where it comes
 * from; docs/rules.md shows the rules each profile applies, and
 * docs/rules-notes.md how the limits are counted. */
#include "profile.h"

#include <string.h>

#define SCHOOL_DAYS(n) {(n), true}
#define WORKING_DAYS(n) {(n), false}

const pep_profile pep_profiles[] = {
	{
		.code = "kent",
		.name = "Kent",
		.rules = "T01 T02 T09 A05 D10",
		.errors = "",
		/* 000 §2, §3, §4(i): 20 school days, 10 after an unplanned
		 * placement; 20 working days without a school place. */
		.initial_planned = SCHOOL_DAYS(20),
		.initial_unplanned = SCHOOL_DAYS(10),
		.initial_no_place = WORKING_DAYS(20),
		.sections_done = SCHOOL_DAYS(10), /* 000 §4(ii), §6 */
		.review_months = 6,               /* 000 §2, §3 */
		.targets_min = 1,
		.targets_max = 3,
	},
	{
		.code = "southwark",
		.name = "Southwark",
		.rules = "T03 T08 T10",
		.errors = "D04", /* 001 §7: "1 to 3 targets should be agreed" */
		/* 001 §2: "completed within 10 working days", planned or not. */
		.initial_planned = WORKING_DAYS(10),
		.initial_unplanned = WORKING_DAYS(10),
		.transition = SCHOOL_DAYS(20), /* 001 §2 */
		.lar_min_days = 14,            /* 001 §2: "between 2 - 6 weeks before" */
		.lar_max_days = 42,
		.review_months = 6,
		.targets_min = 1,
		.targets_max = 3,
	},
	{
		.code = "kirklees",
		.name = "Kirklees",
		.rules = "T04 D10",
		.errors = "",
		/* 003, quoting DfE statutory guidance para 36: 10 working days
		 * after an emergency placement; otherwise ready for the first
		 * Looked After Review, 20 working days after. */
		.initial_planned = WORKING_DAYS(20),
		.initial_unplanned = WORKING_DAYS(10),
		.review_months = 6, /* 003: "the statutory 6 month timescale" */
		.targets_min = 1,
		.targets_max = 3,
	},
	{
		/* Every other LA: the statutory guidance (as Kirklees). */
		.code = "default",
		.name = "Any other LA",
		.rules = "T04",
		.errors = "",
		.initial_planned = WORKING_DAYS(20),
		.initial_unplanned = WORKING_DAYS(10),
		.review_months = 6,
		.targets_min = 1,
		.targets_max = 3,
	},
};
const size_t pep_profiles_count = sizeof pep_profiles / sizeof pep_profiles[0];

const pep_profile *pep_profile_default(void)
{
	return &pep_profiles[pep_profiles_count - 1];
}

const pep_profile *pep_profile_for(const char *la)
{
	for (size_t i = 0; la && i < pep_profiles_count; i++)
		if (strcmp(pep_profiles[i].code, la) == 0)
			return &pep_profiles[i];
	return pep_profile_default();
}

bool pep_profile_lists(const char *list, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = list; p && (p = strstr(p, id)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}
