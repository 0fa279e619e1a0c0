/* profile_list.h: the LA profiles, one row each, the default last
 * (profile.h says what a row holds). No include guard: profiles.c includes
 * it inside the table's braces. Each limit cites where it comes from, by
 * the document's title for people (the seeds in the comments); the rules
 * that use a limit name it in their summary (rules_list.h), and
 * docs/rules.md shows every row.
 *
 * Adding an LA: a row here (its code as in documents' localAuthority/@code),
 * its local rules in .rules, a limit for each rule it applies that counts
 * with one (a unit test checks), and `make docs`. */

{
	.code = "kent",
	.name = "Kent",
	.rules = "T01 T02 T09 A05 D10",
	.errors = "",
	/* 000 §2, §3, §4(i): 20 school days, 10 after an unplanned placement;
	 * 20 working days without a school place. */
	.initial_planned = PEP_SCHOOL_DAYS(20, PEP_DOC_KENT " §2, §3, §4(i)"),
	.initial_unplanned = PEP_SCHOOL_DAYS(10, PEP_DOC_KENT " §2, §3, §4(i)"),
	.initial_no_place = PEP_WORKING_DAYS(20, PEP_DOC_KENT " §3"),
	.sections_done = PEP_SCHOOL_DAYS(10, PEP_DOC_KENT " §4(ii), §6"),
	.review = PEP_MONTHS(6, PEP_DOC_KENT " §2, §3"),
	/* Kent's policy does not count targets: Southwark's 1 to 3 (001 §7). */
	.targets = PEP_NUMBER_RANGE(1, 3, PEP_DOC_SOUTHWARK " §7"),
	/* 000 §1: "at least two formal PEP meetings each academic year". */
	.per_year = PEP_NUMBER(2, PEP_DOC_KENT " §1"),
},
{
	.code = "southwark",
	.name = "Southwark",
	.rules = "T03 T08 T10",
	.errors = "D04", /* 001 §7: "1 to 3 targets should be agreed" */
	/* 001 §2: "completed ... within 10 working days", planned or not. */
	.initial = PEP_WORKING_DAYS(10, PEP_DOC_SOUTHWARK " §2"),
	.transition = PEP_SCHOOL_DAYS(20, PEP_DOC_SOUTHWARK " §2"),
	.lar = PEP_WEEKS_RANGE(2, 6, PEP_DOC_SOUTHWARK " §2"), /* "between 2 - 6 weeks before" */
	/* 001 §5, §7: targets "for the next 6 months". */
	.review = PEP_MONTHS(6, PEP_DOC_SOUTHWARK " §5, §7"),
	.targets = PEP_NUMBER_RANGE(1, 3, PEP_DOC_SOUTHWARK " §7"),
	/* 001 §2: the first PEP meeting of each academic year in the autumn
	 * term, the second in the summer term. */
	.per_year = PEP_NUMBER(2, PEP_DOC_SOUTHWARK " §2"),
},
{
	.code = "kirklees",
	.name = "Kirklees",
	.rules = "T04 D10",
	.errors = "",
	/* 003, quoting DfE statutory guidance para 36: 10 working days after
	 * an emergency placement; otherwise ready for the first Looked After
	 * Review, 20 working days after. */
	.initial_planned = PEP_WORKING_DAYS(20, PEP_DOC_DFE " para 36"),
	.initial_unplanned = PEP_WORKING_DAYS(10, PEP_DOC_DFE " para 36"),
	.review = PEP_MONTHS(6, PEP_DOC_KIRKLEES_GUIDE " (\"within the statutory 6 month timescale\")"),
	.targets = PEP_NUMBER_RANGE(1, 3, PEP_DOC_SOUTHWARK " §7"),
	/* 002, 004: meetings "on a termly basis"; a summer-term meeting
	 * is then at least the second of its year (T11 also asks for
	 * each term's). */
	.per_year = PEP_NUMBER(2, PEP_DOC_FAMILIES " and " PEP_DOC_VS_PAGE ": meetings each term"),
},
{
	/* Every other LA: the statutory guidance (as Kirklees). */
	.code = "default",
	.name = "Any other LA",
	.rules = "T04",
	.errors = "",
	.initial_planned = PEP_WORKING_DAYS(20, PEP_DOC_DFE " para 36"),
	.initial_unplanned = PEP_WORKING_DAYS(10, PEP_DOC_DFE " para 36"),
	.review = PEP_MONTHS(6, PEP_DOC_KIRKLEES_GUIDE " (\"within the statutory 6 month timescale\")"),
	.targets = PEP_NUMBER_RANGE(1, 3, PEP_DOC_SOUTHWARK " §7"),
	/* 002, 004: meetings "on a termly basis"; a summer-term meeting
	 * is then at least the second of its year (T11 also asks for
	 * each term's). */
	.per_year = PEP_NUMBER(2, PEP_DOC_FAMILIES " and " PEP_DOC_VS_PAGE ": meetings each term"),
},
