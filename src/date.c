/* date.c: day numbers <-> civil dates (Howard Hinnant's algorithms). */
#include "date.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool pep_date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int pep_date_days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && pep_date_is_leap(y))
		return 29;
	return days[m - 1];
}

pep_day pep_date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const int yoe = y - era * 400;
	const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void pep_date_to_ymd(pep_day day, int *y, int *m, int *d)
{
	const int z = day + 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const int doe = z - era * 146097;
	const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int pep_date_weekday(pep_day day)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((day % 7 + 7 + 3) % 7);
	return w + 1;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool pep_date_parse(const char *s, pep_day *out)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > pep_date_days_in_month(y, m))
		return false;
	*out = pep_date_from_ymd(y, m, d);
	return true;
}

bool pep_date_in_range(pep_day day)
{
	pep_day first = 0, last = 0;
	pep_date_parse(PEP_DATE_FIRST, &first);
	pep_date_parse(PEP_DATE_LAST, &last);
	return day != PEP_NO_DAY && day >= first && day <= last;
}

pep_day pep_date_add_months(pep_day day, int n)
{
	int y, m, d;
	pep_date_to_ymd(day, &y, &m, &d);
	int months = y * 12 + (m - 1) + n;
	y = months / 12;
	m = months % 12 + 1;
	int last = pep_date_days_in_month(y, m);
	return pep_date_from_ymd(y, m, d > last ? last : d);
}

void pep_date_format(pep_day day, char out[11])
{
	int y, m, d;
	pep_date_to_ymd(day, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

void pep_date_format_long(pep_day day, char out[32])
{
	static const char *const months[] = {"January", "February", "March", "April",
	                                     "May", "June", "July", "August",
	                                     "September", "October", "November", "December"};
	int y, m, d;
	pep_date_to_ymd(day, &y, &m, &d);
	snprintf(out, 32, "%d %s %04d", d, months[m - 1], y % 10000);
}

pep_day pep_date_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return pep_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

long long pep_date_generated_time(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (*end == '\0' && v >= 0 && v < 4102444800LL)
			return v;
	}
	return (long long)time(NULL);
}

pep_day pep_date_generated(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		time_t t = (time_t)pep_date_generated_time();
		struct tm tm;
		gmtime_r(&t, &tm);
		return pep_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	}
	return pep_date_today();
}
