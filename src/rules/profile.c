/* profile.c: looking up the LA profiles and their limits (profile.h). The
 * table itself is in profiles.c, its rows in profile_list.h. */
#include "profile.h"

#include <stdio.h>
#include <string.h>

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

/* The limits, by name, from the list. */
static const struct {
	const char *name;
	const char *words;
	size_t offset;
} limits[] = {
#define PEP_LIMIT_ROW(field, words) {#field, words, offsetof(pep_profile, field)},
	PEP_LIMITS(PEP_LIMIT_ROW)
#undef PEP_LIMIT_ROW
};
#define NLIMITS (sizeof limits / sizeof limits[0])

size_t pep_limit_count(void)
{
	return NLIMITS;
}

const char *pep_limit_name(size_t i)
{
	return i < NLIMITS ? limits[i].name : NULL;
}

const char *pep_limit_words(size_t i)
{
	return i < NLIMITS ? limits[i].words : NULL;
}

const pep_limit *pep_profile_limit_at(const pep_profile *p, size_t i)
{
	return i < NLIMITS ? (const pep_limit *)((const char *)p + limits[i].offset) : NULL;
}

const pep_limit *pep_profile_limit(const pep_profile *p, const char *name)
{
	for (size_t i = 0; i < NLIMITS; i++)
		if (strcmp(limits[i].name, name) == 0)
			return pep_profile_limit_at(p, i);
	return NULL;
}

const char *pep_limit_text(const pep_limit *l, char *buf, size_t size)
{
	static const char *const units[] = {
		[PEP_UNIT_NONE] = "",
		[PEP_UNIT_SCHOOL_DAYS] = "school days",
		[PEP_UNIT_WORKING_DAYS] = "working days",
		[PEP_UNIT_WEEKS] = "weeks",
		[PEP_UNIT_MONTHS] = "months",
		[PEP_UNIT_NUMBER] = "",
	};
	if (l->unit == PEP_UNIT_NONE)
		snprintf(buf, size, "%s", "");
	else if (l->max)
		snprintf(buf, size, "%d to %d%s%s", l->n, l->max, *units[l->unit] ? " " : "", units[l->unit]);
	else
		snprintf(buf, size, "%d%s%s", l->n, *units[l->unit] ? " " : "", units[l->unit]);
	return buf;
}

const char *pep_limit_days_unit(const pep_limit *l)
{
	return l->unit == PEP_UNIT_SCHOOL_DAYS ? "school" : "working";
}

bool pep_limit_equal(const pep_limit *a, const pep_limit *b)
{
	return a->unit == b->unit && (a->unit == PEP_UNIT_NONE || (a->n == b->n && a->max == b->max));
}
