/* caseload.c: children from files, when each child's next PEP is due, and
 * the termly and cohort figures (caseload.h). */
#include "caseload.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "strbuf.h"
#include "xalloc.h"

const char *const pep_status_names[] = {"overdue", "due-soon", "ok", "no-date", NULL};
const char *const pep_status_labels[] = {"OVERDUE", "due soon", "ok", "no date", NULL};

#define PEP_BREAKDOWN_NAME(n, v, h) v,
#define PEP_BREAKDOWN_HEADING(n, v, h) h,
const char *const pep_breakdown_names[] = {PEP_BREAKDOWN_LIST(PEP_BREAKDOWN_NAME) NULL};
const char *const pep_breakdown_headings[] = {PEP_BREAKDOWN_LIST(PEP_BREAKDOWN_HEADING) NULL};

#define PEP_TF_KEY(n, k, l) k,
#define PEP_TF_LABEL(n, k, l) l,
const char *const pep_term_figure_keys[] = {PEP_TERM_FIGURES(PEP_TF_KEY) NULL};
const char *const pep_term_figure_labels[] = {PEP_TERM_FIGURES(PEP_TF_LABEL) NULL};

#define PEP_CF_KEY(n, k, l, o) k,
#define PEP_CF_LABEL(n, k, l, o) l,
#define PEP_CF_OF(n, k, l, o) o,
const char *const pep_cohort_figure_keys[] = {PEP_COHORT_FIGURES(PEP_CF_KEY) NULL};
const char *const pep_cohort_figure_labels[] = {PEP_COHORT_FIGURES(PEP_CF_LABEL) NULL};
const int pep_cohort_figure_of[] = {PEP_COHORT_FIGURES(PEP_CF_OF)};

/* ------------------------------------------------------------------ */
/* Strings: a set of the values many children share (LA codes, schools,  */
/* staff), each kept once; and a map from a key to a child.             */
/* ------------------------------------------------------------------ */

typedef struct slot {
	char *key; /* owned; NULL when free */
	size_t value;
} slot;

typedef struct table {
	slot *v;
	size_t cap, n; /* cap a power of two */
} table;

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return h;
}

static slot *table_find(table *t, const char *key)
{
	if (!t->cap)
		return NULL;
	for (size_t i = hash(key) & (t->cap - 1);; i = (i + 1) & (t->cap - 1))
		if (!t->v[i].key || strcmp(t->v[i].key, key) == 0)
			return &t->v[i];
}

/* The slot for key, added (with value) when missing. */
static slot *table_put(table *t, const char *key, size_t value)
{
	if (2 * (t->n + 1) > t->cap) {
		table old = *t;
		t->cap = old.cap ? old.cap * 2 : 64;
		t->v = xcalloc(t->cap, sizeof *t->v);
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i].key)
				*table_find(t, old.v[i].key) = old.v[i];
		free(old.v);
	}
	slot *s = table_find(t, key);
	if (!s->key) {
		s->key = xstrdup(key);
		s->value = value;
		t->n++;
	}
	return s;
}

static void table_free(table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->v[i].key);
	free(t->v);
	memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------ */
/* Children                                                             */
/* ------------------------------------------------------------------ */

enum basis { B_NONE, B_NEXT, B_REVIEW, B_INITIAL, B_BOOKED };
static const char *const basis_names[] = {"", "next meeting", "6-month review", "initial PEP", "meeting booked"};

/* One PEP of a child: what the figures and the due date need. */
typedef struct rec {
	pep_day meeting;          /* PEP_NO_DAY when none */
	pep_day due;              /* what this PEP sets for the next (see own_due) */
	pep_day initial_deadline; /* T01-T04, initial PEPs */
	pep_day signoff_due, signed_off, history_last;
	int term;
	uint32_t order;           /* the file's place in the batch */
	unsigned char grade;      /* 'r', 'a', 'g' */
	unsigned char basis;      /* of due */
	bool initial, in_progress;
	int pp_count;
	int64_t pp_pence;
} rec;

typedef struct kid {
	size_t parent;            /* union-find: itself when the child is a root */
	bool identified;          /* an LA child id or a UPN */
	rec *recs;
	size_t nrecs, cap;
	size_t current;           /* index in recs */
	/* The current PEP's facts: shared strings from the pool, owned ones */
	const char *la, *id, *upn, *school_urn, *school_name, *sw, *dt;
	char *name, *file;
	int year, kind, meeting_kind, qa, first_term, as_of_term;
	const char *grade;
	size_t errors, warnings;
	pep_deadlines deadlines;
	const char *review_rule;
	bool signed_;
	bool attendance_below_90, reduced, no_provision, neet;
	int64_t pp_pence;
	int pp_count;
} kid;

struct pep_caseload {
	pep_caseload_opts opts;
	table pool;               /* shared strings (value unused) */
	table by_id;              /* "la\x1fid" -> kid */
	table by_upn;             /* upn -> kid */
	kid *kids;
	size_t nkids, capkids;
	size_t files, order;
	pep_unread *unread;
	size_t nunread;
	bool by_months;
	/* The report, made by pep_caseload_finish */
	pep_caseload_report report;
	pep_child *children;
	pep_term *terms;
	pep_school_rag *schools;
	const char **groups;      /* group labels (from the pool), for the term rows */
};

static const char *pooled(pep_caseload *c, const char *s)
{
	return s ? table_put(&c->pool, s, 0)->key : NULL;
}

pep_caseload *pep_caseload_new(const pep_caseload_opts *opts)
{
	pep_caseload *c = xcalloc(1, sizeof *c);
	c->opts = *opts;
	if (c->opts.terms < 1)
		c->opts.terms = 1;
	return c;
}

void pep_caseload_free(pep_caseload *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nkids; i++) {
		free(c->kids[i].recs);
		free(c->kids[i].name);
		free(c->kids[i].file);
	}
	free(c->kids);
	for (size_t i = 0; i < c->nunread; i++)
		free((char *)c->unread[i].file);
	free(c->unread);
	for (size_t i = 0; i < c->report.nterms; i++)
		free(c->terms[i].rows);
	free(c->terms);
	free(c->children);
	free(c->schools);
	free(c->groups);
	table_free(&c->pool);
	table_free(&c->by_id);
	table_free(&c->by_upn);
	free(c);
}

static size_t root(pep_caseload *c, size_t k)
{
	while (c->kids[k].parent != k) {
		c->kids[k].parent = c->kids[c->kids[k].parent].parent; /* path halving */
		k = c->kids[k].parent;
	}
	return k;
}

/* Which of two PEPs of a child is the later: a PEP in progress (a draft
 * with no meeting) comes after every meeting, a PEP with neither before
 * all; then the meeting date; then the file's place in the batch. */
static bool later(const rec *a, const rec *b)
{
	long long ka = a->in_progress ? LLONG_MAX : a->meeting == PEP_NO_DAY ? LLONG_MIN : a->meeting;
	long long kb = b->in_progress ? LLONG_MAX : b->meeting == PEP_NO_DAY ? LLONG_MIN : b->meeting;
	return ka != kb ? ka > kb : a->order > b->order;
}

/* What a PEP sets for the next one: its meeting, when still ahead; else
 * the next meeting it records, or the review limit (T07) when that comes
 * first or none is recorded. A PEP in progress sets nothing here (the
 * child's history decides: see due()). */
static void own_due(const pep_facts *f, pep_day as_of, rec *r)
{
	r->due = PEP_NO_DAY;
	r->basis = B_NONE;
	if (f->meeting == PEP_NO_DAY)
		return;
	if (f->meeting > as_of) {
		r->due = f->meeting;
		r->basis = B_BOOKED;
	} else if (f->next_meeting != PEP_NO_DAY && (f->deadlines.review == PEP_NO_DAY || f->next_meeting <= f->deadlines.review)) {
		r->due = f->next_meeting;
		r->basis = B_NEXT;
	} else if (f->deadlines.review != PEP_NO_DAY) {
		r->due = f->deadlines.review;
		r->basis = B_REVIEW;
	}
}

/* Makes the facts f (of the file d) the child's current PEP's. */
static void set_current(pep_caseload *c, kid *k, const pep_facts *f, const pep_diags *d)
{
	k->la = pooled(c, f->la);
	k->id = pooled(c, f->child_id);
	k->upn = pooled(c, f->upn);
	k->school_urn = pooled(c, f->school_urn);
	k->school_name = pooled(c, f->school_name);
	k->sw = pooled(c, f->social_worker);
	k->dt = pooled(c, f->designated_teacher);
	free(k->name);
	k->name = c->opts.names && f->name ? xstrdup(f->name) : NULL;
	free(k->file);
	k->file = xstrdup(pep_diags_file(d));
	k->year = f->year;
	k->kind = f->kind;
	k->meeting_kind = f->meeting_kind;
	k->qa = f->qa_grade;
	k->grade = pep_diags_grade(d);
	k->errors = pep_diags_errors(d);
	k->warnings = pep_diags_warnings(d);
	k->deadlines = f->deadlines;
	k->signed_ = f->is_signed;
	k->first_term = f->first_term;
	k->as_of_term = f->as_of_term;
	k->attendance_below_90 = f->attendance_known && f->attendance < 9000;
	k->reduced = f->reduced;
	k->no_provision = f->no_provision;
	k->neet = f->neet;
	k->pp_pence = 0;
	k->pp_count = 0;
	for (int a = 0; a < PEP_AREAS; a++) {
		k->pp_pence += f->pp_pence[a];
		k->pp_count += f->pp_count[a];
	}
}

static size_t new_kid(pep_caseload *c, bool identified)
{
	if (c->nkids == c->capkids) {
		c->capkids = c->capkids ? c->capkids * 2 : 64;
		c->kids = xrealloc(c->kids, c->capkids * sizeof *c->kids);
	}
	kid *k = &c->kids[c->nkids];
	memset(k, 0, sizeof *k);
	k->parent = c->nkids;
	k->identified = identified;
	return c->nkids++;
}

static void add_rec(kid *k, const rec *r)
{
	if (k->nrecs == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 2;
		k->recs = xrealloc(k->recs, k->cap * sizeof *k->recs);
	}
	k->recs[k->nrecs++] = *r;
}

/* Moves child b into child a (one child, found under two keys). */
static void merge(pep_caseload *c, size_t a, size_t b)
{
	kid *ka = &c->kids[a], *kb = &c->kids[b];
	bool b_current = later(&kb->recs[kb->current], &ka->recs[ka->current]);
	size_t base = ka->nrecs;
	for (size_t i = 0; i < kb->nrecs; i++)
		add_rec(ka, &kb->recs[i]);
	if (b_current) {
		/* b's current PEP wins: take its facts whole. */
		size_t cur = base + kb->current;
		rec *keep = ka->recs;
		size_t n = ka->nrecs, cap = ka->cap;
		free(ka->name);
		free(ka->file);
		*ka = *kb;
		ka->recs = keep;
		ka->nrecs = n;
		ka->cap = cap;
		ka->current = cur;
		ka->parent = a;
		kb->name = kb->file = NULL;
	}
	ka->identified = true;
	free(kb->recs);
	free(kb->name);
	free(kb->file);
	kb->recs = NULL;
	kb->nrecs = kb->cap = 0;
	kb->name = kb->file = NULL;
	kb->parent = a;
}

void pep_caseload_add(pep_caseload *c, const pep_facts *f, const pep_diags *d)
{
	c->files++;
	uint32_t order = (uint32_t)c->order++;
	if (!f->loaded) {
		c->unread = xrealloc(c->unread, (c->nunread + 1) * sizeof *c->unread);
		const pep_diag *first = pep_diags_at(d, 0);
		c->unread[c->nunread].file = xstrdup(pep_diags_file(d));
		c->unread[c->nunread].rule = first && strcmp(first->rule, "IO") == 0 ? "IO"
		                             : first && strcmp(first->rule, "XML") == 0 ? "XML"
		                                                                        : "XSD";
		c->nunread++;
		return;
	}
	c->by_months |= f->term_by_months;
	rec r;
	memset(&r, 0, sizeof r);
	r.meeting = f->meeting;
	r.initial_deadline = f->deadlines.initial;
	r.signoff_due = f->deadlines.signoff;
	r.signed_off = f->signed_off;
	r.history_last = f->history_last;
	r.term = f->term;
	r.order = order;
	r.grade = (unsigned char)pep_diags_grade(d)[0];
	r.initial = f->initial;
	r.in_progress = f->meeting == PEP_NO_DAY && f->form_state <= PEP_STATE_DRAFT;
	for (int a = 0; a < PEP_AREAS; a++) {
		r.pp_count += f->pp_count[a];
		r.pp_pence += f->pp_pence[a];
	}
	own_due(f, c->opts.as_of, &r);

	/* Which child: by LA and LA child id, by UPN, both (linking two
	 * children found so far), or neither (a child of its own). */
	char *key = f->la && f->child_id ? xasprintf("%s\x1f%s", f->la, f->child_id) : NULL;
	slot *by_id = key ? table_find(&c->by_id, key) : NULL;
	slot *by_upn = f->upn ? table_find(&c->by_upn, f->upn) : NULL;
	size_t a = by_id && by_id->key ? root(c, by_id->value) : SIZE_MAX;
	size_t b = by_upn && by_upn->key ? root(c, by_upn->value) : SIZE_MAX;
	size_t k;
	if (a != SIZE_MAX && b != SIZE_MAX && a != b) {
		merge(c, a, b);
		k = a;
	} else if (a != SIZE_MAX || b != SIZE_MAX) {
		k = a != SIZE_MAX ? a : b;
	} else {
		k = new_kid(c, key || f->upn);
	}
	if (key)
		table_put(&c->by_id, key, k);
	if (f->upn)
		table_put(&c->by_upn, f->upn, k);
	free(key);

	kid *kd = &c->kids[k];
	add_rec(kd, &r);
	if (kd->nrecs == 1 || later(&kd->recs[kd->nrecs - 1], &kd->recs[kd->current])) {
		kd->current = kd->nrecs - 1;
		set_current(c, kd, f, d);
	}
}

/* ------------------------------------------------------------------ */
/* Finishing: due dates, sorting                                         */
/* ------------------------------------------------------------------ */

/* When the child's next PEP is due (caseload.h). */
static void due(const pep_caseload *c, const kid *k, pep_child *ch)
{
	const rec *cur = &k->recs[k->current];
	ch->next_due = PEP_NO_DAY;
	ch->basis = "";
	ch->rule = NULL;
	ch->no_calendar = PEP_NO_DAY;
	if (cur->meeting != PEP_NO_DAY || !cur->in_progress) {
		ch->next_due = cur->due;
		ch->basis = basis_names[cur->basis];
		ch->rule = cur->basis == B_REVIEW ? k->deadlines.review_rule : NULL;
	} else if (cur->initial) {
		ch->next_due = k->deadlines.initial;
		ch->basis = basis_names[B_INITIAL];
		ch->rule = k->deadlines.initial_rule;
		if (ch->next_due == PEP_NO_DAY)
			ch->no_calendar = k->deadlines.uncovered;
	} else {
		/* A review in progress: what the latest PEP held set, else 6
		 * months after the last meeting of the draft's history (T05). */
		const rec *prev = NULL;
		for (size_t i = 0; i < k->nrecs; i++)
			if (k->recs[i].meeting != PEP_NO_DAY && (!prev || later(&k->recs[i], prev)))
				prev = &k->recs[i];
		if (prev && prev->due != PEP_NO_DAY) {
			ch->next_due = prev->due;
			ch->basis = basis_names[prev->basis];
			ch->rule = prev->basis == B_REVIEW ? pep_rules[PEP_RULE_T07].id : NULL;
		} else if (k->deadlines.review != PEP_NO_DAY) {
			ch->next_due = k->deadlines.review;
			ch->basis = basis_names[B_REVIEW];
			ch->rule = k->deadlines.review_rule;
		}
	}
	if (ch->next_due == PEP_NO_DAY) {
		ch->status = PEP_STATUS_NO_DATE;
		ch->days_left = 0;
		return;
	}
	ch->days_left = ch->next_due - c->opts.as_of;
	ch->status = ch->days_left < 0                 ? PEP_STATUS_OVERDUE
	             : ch->days_left <= c->opts.within ? PEP_STATUS_DUE_SOON
	                                               : PEP_STATUS_OK;
}

static void child_row(const pep_caseload *c, const kid *k, pep_child *ch)
{
	memset(ch, 0, sizeof *ch);
	const rec *cur = &k->recs[k->current];
	ch->la = k->la;
	ch->id = k->id;
	ch->upn = k->upn;
	ch->identified = k->identified;
	ch->name = k->name;
	ch->school_urn = k->school_urn;
	ch->school_name = k->school_name;
	ch->social_worker = k->sw;
	ch->designated_teacher = k->dt;
	ch->year = k->year;
	ch->file = k->file;
	ch->kind = k->meeting_kind ? pep_meeting_kind_names[k->meeting_kind] : k->kind ? pep_kind_names[k->kind] : "";
	ch->meeting = cur->meeting;
	ch->grade = k->grade;
	ch->errors = k->errors;
	ch->warnings = k->warnings;
	ch->qa = k->qa;
	ch->peps = k->nrecs;
	due(c, k, ch);
	ch->signoff_due = cur->signoff_due;
	ch->signed_off = cur->signed_off;
	/* T09 (Kent): not signed off by the 10th school day after the meeting. */
	if (k->deadlines.signoff_rule && cur->meeting != PEP_NO_DAY && cur->meeting <= c->opts.as_of &&
	    cur->signoff_due != PEP_NO_DAY)
		ch->signoff_late = cur->signed_off != PEP_NO_DAY ? cur->signed_off > cur->signoff_due
		                                                 : !k->signed_ && c->opts.as_of > cur->signoff_due;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "\x7f", b ? b : "\x7f"); /* missing last */
}

static int cmp_child(const void *x, const void *y)
{
	const pep_child *a = x, *b = y;
	if (a->status != b->status)
		return a->status < b->status ? -1 : 1;
	if (a->status != PEP_STATUS_NO_DATE && a->days_left != b->days_left)
		return a->days_left < b->days_left ? -1 : 1;
	int r = cmp_str(a->la, b->la);
	if (r)
		return r;
	r = cmp_str(a->id, b->id);
	if (r)
		return r;
	r = cmp_str(a->upn, b->upn);
	return r ? r : strcmp(a->file, b->file);
}

/* ------------------------------------------------------------------ */
/* Finishing: the figures                                               */
/* ------------------------------------------------------------------ */

static const char *key_stage(int year)
{
	if (year <= 0)
		return NULL;
	if (year <= PEP_YEAR_R)
		return "Early years";
	if (year <= PEP_YEAR_2)
		return "Key stage 1";
	if (year <= PEP_YEAR_6)
		return "Key stage 2";
	if (year <= PEP_YEAR_9)
		return "Key stage 3";
	if (year <= PEP_YEAR_11)
		return "Key stage 4";
	return "Post-16";
}

/* The school as a group: "Name (URN)". */
static char *school_label(const kid *k)
{
	if (!k->school_name && !k->school_urn)
		return xstrdup(k->no_provision ? "no school place" : "school not recorded");
	if (!k->school_urn)
		return xstrdup(k->school_name);
	return xasprintf("%s (%s)", k->school_name ? k->school_name : "school", k->school_urn);
}

/* The child's group under the breakdown (caller frees), with a sort rank
 * (year groups and key stages in school order, "not recorded" last). */
static char *group_of(const kid *k, pep_breakdown by, int *rank)
{
	*rank = 0;
	const char *s = NULL;
	switch (by) {
	case PEP_BY_NONE:
		return NULL;
	case PEP_BY_SCHOOL:
		if (!k->school_name && !k->school_urn)
			*rank = INT_MAX;
		return school_label(k);
	case PEP_BY_SOCIAL_WORKER:
		s = k->sw;
		break;
	case PEP_BY_YEAR_GROUP:
		s = k->year ? pep_year_labels[k->year] : NULL;
		*rank = k->year;
		break;
	case PEP_BY_KEY_STAGE:
		s = key_stage(k->year);
		*rank = k->year;
		break;
	case PEP_BY_LA:
		s = k->la;
		break;
	}
	if (!s) {
		*rank = INT_MAX;
		return xstrdup("not recorded");
	}
	return xstrdup(s);
}

typedef struct group {
	char *label;
	int rank;
} group;

static int cmp_group(const void *x, const void *y)
{
	const group *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return strcmp(a->label, b->label);
}

/* The groups of the breakdown, sorted; *of[k] is the group of root kid k. */
static size_t make_groups(pep_caseload *c, pep_breakdown by, size_t **of)
{
	*of = xcalloc(c->nkids ? c->nkids : 1, sizeof **of);
	if (by == PEP_BY_NONE)
		return 0;
	table t = {0};
	group *g = NULL;
	size_t n = 0;
	for (size_t k = 0; k < c->nkids; k++) {
		if (c->kids[k].parent != k)
			continue;
		int rank;
		char *label = group_of(&c->kids[k], by, &rank);
		slot *s = table_put(&t, label, n);
		if (s->value == n) {
			g = xrealloc(g, (n + 1) * sizeof *g);
			g[n].label = label;
			g[n].rank = rank;
			n++;
		} else {
			free(label);
		}
		(*of)[k] = s->value;
	}
	/* Sort, then renumber the children's groups. */
	size_t *order = xcalloc(n ? n : 1, sizeof *order);
	group *sorted = xcalloc(n ? n : 1, sizeof *sorted);
	memcpy(sorted, g, n * sizeof *g);
	qsort(sorted, n, sizeof *sorted, cmp_group);
	for (size_t i = 0; i < n; i++)
		order[table_find(&t, sorted[i].label)->value] = i;
	for (size_t k = 0; k < c->nkids; k++)
		if (c->kids[k].parent == k)
			(*of)[k] = order[(*of)[k]];
	c->groups = xcalloc(n ? n : 1, sizeof *c->groups);
	for (size_t i = 0; i < n; i++)
		c->groups[i] = pooled(c, sorted[i].label);
	for (size_t i = 0; i < n; i++)
		free(g[i].label);
	free(g);
	free(sorted);
	free(order);
	table_free(&t);
	return n;
}

static int cmp_rec_meeting(const void *x, const void *y)
{
	const rec *a = *(const rec *const *)x, *b = *(const rec *const *)y;
	return a->meeting != b->meeting ? (a->meeting < b->meeting ? -1 : 1) : (a->order < b->order ? -1 : 1);
}

/* Adds child k's PEPs to the term rows (rows[term * nrows + group], the
 * whole caseload in the last row of each term). */
static void count_terms(const pep_caseload *c, const kid *k, size_t grp, bool grouped, int first, int nterms,
                        pep_term *terms)
{
	pep_day as_of = c->opts.as_of;
	const rec **v = xcalloc(k->nrecs, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < k->nrecs; i++)
		if (k->recs[i].meeting != PEP_NO_DAY && k->recs[i].meeting <= as_of)
			v[n++] = &k->recs[i];
	qsort(v, n, sizeof *v, cmp_rec_meeting);
	bool *seen = xcalloc((size_t)nterms, sizeof *seen);
	int earliest = k->first_term;
	for (size_t i = 0; i < n; i++) {
		const rec *r = v[i];
		if (earliest < 0 || r->term < earliest)
			earliest = r->term;
		int t = r->term - first;
		if (t < 0 || t >= nterms)
			continue;
		seen[t] = true;
		/* Held in timescale: an initial PEP by its deadline (T01-T04);
		 * a review within 6 months of the meeting before it (T05), from
		 * the child's earlier PEP or this one's history. */
		bool timely;
		if (r->initial) {
			timely = r->initial_deadline != PEP_NO_DAY && r->meeting <= r->initial_deadline;
		} else {
			pep_day prev = r->history_last;
			if (i > 0 && v[i - 1]->meeting < r->meeting && (prev == PEP_NO_DAY || v[i - 1]->meeting > prev))
				prev = v[i - 1]->meeting;
			timely = prev != PEP_NO_DAY && r->meeting <= pep_rules_review_limit(k->la, prev);
		}
		bool signed_in_time = r->signoff_due != PEP_NO_DAY && r->signed_off != PEP_NO_DAY &&
		                      r->signed_off <= r->signoff_due;
		for (int w = 0; w < (grouped ? 2 : 1); w++) {
			pep_term_row *row = &terms[t].rows[w == 0 ? terms[t].nrows - 1 : grp];
			row->v[PEP_TF_PEPS]++;
			row->v[PEP_TF_IN_TIMESCALE] += timely;
			row->v[PEP_TF_SIGNED_IN_TIME] += signed_in_time;
			row->v[PEP_TF_RED] += r->grade == 'r';
			row->v[PEP_TF_AMBER] += r->grade == 'a';
			row->v[PEP_TF_GREEN] += r->grade == 'g';
			row->v[PEP_TF_PP_REQUESTS] += (size_t)r->pp_count;
			row->pp_pence += r->pp_pence;
		}
	}
	/* Children with a PEP in the term, and those due one with none: from
	 * the first term a PEP was due in to the as-of term. */
	for (int t = 0; t < nterms; t++) {
		int term = first + t;
		bool due_then = earliest >= 0 && term >= earliest && term <= k->as_of_term;
		for (int w = 0; w < (grouped ? 2 : 1); w++) {
			pep_term_row *row = &terms[t].rows[w == 0 ? terms[t].nrows - 1 : grp];
			row->v[PEP_TF_CHILDREN] += seen[t];
			row->v[PEP_TF_NO_PEP] += due_then && !seen[t];
		}
	}
	free(seen);
	free(v);
}

/* Suppresses a term's rows: within each row, PEPs = red + amber + green;
 * with a breakdown, the whole caseload's row is the sum of the groups'. */
static void suppress_term(pep_term *t)
{
	size_t cols = PEP_TF_COUNT, rows = t->nrows;
	size_t *v = xcalloc(rows * cols, sizeof *v);
	bool *hide = xcalloc(rows * cols, sizeof *hide);
	for (size_t r = 0; r < rows; r++)
		memcpy(&v[r * cols], t->rows[r].v, sizeof t->rows[r].v);
	const pep_sum sums[] = {{PEP_TF_PEPS, {PEP_TF_RED, PEP_TF_AMBER, PEP_TF_GREEN}, 3}};
	pep_suppress(v, hide, rows, cols, sums, 1, rows > 1);
	for (size_t r = 0; r < rows; r++)
		memcpy(t->rows[r].hide, &hide[r * cols], sizeof t->rows[r].hide);
	free(v);
	free(hide);
}

static void make_terms(pep_caseload *c)
{
	size_t *grp;
	size_t ngroups = make_groups(c, c->opts.by, &grp);
	/* The terms: opts.terms of them, up to the latest as-of term. */
	int last = -1;
	for (size_t k = 0; k < c->nkids; k++)
		if (c->kids[k].parent == k && c->kids[k].as_of_term > last)
			last = c->kids[k].as_of_term;
	if (last < 0)
		last = pep_term_by_months(c->opts.as_of);
	int n = c->opts.terms, first = last - n + 1;
	c->terms = xcalloc((size_t)n, sizeof *c->terms);
	for (int t = 0; t < n; t++) {
		c->terms[t].term = first + t;
		pep_term_label(first + t, c->terms[t].label);
		c->terms[t].nrows = ngroups + 1;
		c->terms[t].rows = xcalloc(ngroups + 1, sizeof *c->terms[t].rows);
		for (size_t g = 0; g < ngroups; g++)
			c->terms[t].rows[g].group = c->groups[g];
	}
	for (size_t k = 0; k < c->nkids; k++)
		if (c->kids[k].parent == k)
			count_terms(c, &c->kids[k], grp[k], ngroups > 0, first, n, c->terms);
	for (int t = 0; t < n; t++)
		suppress_term(&c->terms[t]);
	c->report.terms = c->terms;
	c->report.nterms = (size_t)n;
	free(grp);
}

/* The cohort figures of the current PEPs (suppressed with opts.summary:
 * children = overdue + due soon + ok + no date = red + amber + green). */
static void make_cohort(pep_caseload *c)
{
	pep_caseload_report *r = &c->report;
	size_t *v = r->cohort;
	pep_day six = pep_date_add_months(c->opts.as_of, -6);
	for (size_t i = 0; i < r->nchildren; i++) {
		const pep_child *ch = &c->children[i];
		v[PEP_CF_CHILDREN]++;
		v[PEP_CF_OVERDUE + ch->status]++;
		v[PEP_CF_SIGNOFF_LATE] += ch->signoff_late;
		v[PEP_CF_RED] += ch->grade[0] == 'r';
		v[PEP_CF_AMBER] += ch->grade[0] == 'a';
		v[PEP_CF_GREEN] += ch->grade[0] == 'g';
		v[PEP_CF_RECENT] += ch->meeting != PEP_NO_DAY && ch->meeting <= c->opts.as_of && ch->meeting >= six;
	}
	for (size_t k = 0; k < c->nkids; k++) {
		const kid *kd = &c->kids[k];
		if (kd->parent != k)
			continue;
		v[PEP_CF_ATTENDANCE_BELOW_90] += kd->attendance_below_90;
		v[PEP_CF_REDUCED] += kd->reduced;
		v[PEP_CF_NO_PROVISION] += kd->no_provision;
		v[PEP_CF_NEET] += kd->neet;
		v[PEP_CF_PP_REQUESTS] += (size_t)kd->pp_count;
		r->pp_pence += kd->pp_pence;
	}
	if (!c->opts.summary)
		return;
	const pep_sum sums[] = {
		{PEP_CF_CHILDREN, {PEP_CF_OVERDUE, PEP_CF_DUE_SOON, PEP_CF_OK, PEP_CF_NO_DATE}, 4},
		{PEP_CF_CHILDREN, {PEP_CF_RED, PEP_CF_AMBER, PEP_CF_GREEN}, 3},
	};
	pep_suppress(v, r->cohort_hide, 1, PEP_CF_COUNT, sums, 2, false);
}

static int cmp_school(const void *x, const void *y)
{
	const pep_school_rag *a = x, *b = y;
	if (a->v[0] != b->v[0])
		return a->v[0] > b->v[0] ? -1 : 1;
	return strcmp(a->school, b->school);
}

/* QA grades of the current PEPs by school, for the chart; the last row is
 * every school (suppressed with opts.summary, as a table with its sums). */
static void make_schools(pep_caseload *c)
{
	table t = {0};
	size_t n = 0;
	for (size_t k = 0; k < c->nkids; k++) {
		const kid *kd = &c->kids[k];
		if (kd->parent != k)
			continue;
		char *label = school_label(kd);
		slot *s = table_put(&t, label, n);
		free(label);
		if (s->value == n) {
			c->schools = xrealloc(c->schools, (n + 2) * sizeof *c->schools);
			memset(&c->schools[n], 0, sizeof *c->schools);
			c->schools[n].school = pooled(c, s->key);
			n++;
		}
		pep_school_rag *row = &c->schools[s->value];
		row->v[0]++;
		row->v[1] += kd->grade[0] == 'r';
		row->v[2] += kd->grade[0] == 'a';
		row->v[3] += kd->grade[0] == 'g';
	}
	table_free(&t);
	if (n)
		qsort(c->schools, n, sizeof *c->schools, cmp_school);
	c->report.schools = c->schools;
	c->report.nschools = n;
	if (!c->opts.summary || !n)
		return;
	size_t rows = n + 1, *v = xcalloc(rows * 4, sizeof *v);
	bool *hide = xcalloc(rows * 4, sizeof *hide);
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < 4; j++) {
			v[i * 4 + (size_t)j] = c->schools[i].v[j];
			v[n * 4 + (size_t)j] += c->schools[i].v[j];
		}
	const pep_sum sums[] = {{0, {1, 2, 3}, 3}};
	pep_suppress(v, hide, rows, 4, sums, 1, true);
	for (size_t i = 0; i < n; i++)
		memcpy(c->schools[i].hide, &hide[i * 4], sizeof c->schools[i].hide);
	free(v);
	free(hide);
}

const pep_caseload_report *pep_caseload_finish(pep_caseload *c)
{
	pep_caseload_report *r = &c->report;
	r->opts = c->opts;
	r->files = c->files;
	r->unread = c->unread;
	r->nunread = c->nunread;
	r->peps = c->files - c->nunread;
	size_t n = 0;
	for (size_t k = 0; k < c->nkids; k++)
		n += c->kids[k].parent == k;
	c->children = xcalloc(n ? n : 1, sizeof *c->children);
	n = 0;
	for (size_t k = 0; k < c->nkids; k++)
		if (c->kids[k].parent == k)
			child_row(c, &c->kids[k], &c->children[n++]);
	if (n)
		qsort(c->children, n, sizeof *c->children, cmp_child);
	r->children = c->children;
	r->nchildren = n;
	make_terms(c);
	make_cohort(c);
	make_schools(c);
	r->terms_by_months = c->by_months;
	return r;
}
