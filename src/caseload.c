/* caseload.c: children from files, when each child's next PEP is due, and
 * the termly and cohort figures (caseload.h). */
#include "caseload.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "profile.h"
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
		t->v = pep_xcalloc(t->cap, sizeof *t->v);
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i].key)
				*table_find(t, old.v[i].key) = old.v[i];
		free(old.v);
	}
	slot *s = table_find(t, key);
	if (!s->key) {
		s->key = pep_xstrdup(key);
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
static const char *const basis_names[] = {"", "next meeting", "review", "initial PEP", "meeting booked"};

/* One PEP of a child: what the due date and the figures need. */
typedef struct rec {
	pep_day meeting;          /* PEP_NO_DAY when none */
	pep_day next_meeting;     /* the next meeting it records */
	pep_day review;           /* T07: its LA's months after its meeting */
	pep_day initial_deadline; /* T01-T04, initial PEPs */
	const char *initial_rule;
	pep_day signoff_due, signed_off, history_last;
	pep_day started;          /* when it was begun: its state history's first date, else its PEP
	                             history's last meeting; PEP_NO_DAY when neither is recorded */
	pep_day became_lac;
	const char *la, *id;      /* pooled; id NULL when it records none */
	const char *kind;         /* its meeting's kind, else its own ("review"); static */
	const char *history_kind; /* the kind of history_last, or NULL */
	int term;
	uint32_t order;           /* the file's place in the batch */
	unsigned char grade;      /* 'r', 'a', 'g' */
	bool initial;
	bool draft;               /* no meeting yet, and not past the draft state: a PEP in progress
	                             unless it is stale (stale_draft) */
	int pp_count;
	int64_t pp_pence;
} rec;

/* The facts of a PEP that may be the child's current one. */
typedef struct snap {
	size_t rec;               /* its index in the child's recs */
	const char *la, *id, *upn, *school_urn, *school_name, *sw, *dt; /* pooled */
	char *name, *file;        /* owned */
	int year, kind, meeting_kind, qa, first_term, as_of_term;
	const char *grade;
	size_t errors, warnings;
	pep_deadlines deadlines;
	bool signed_;
	bool attendance_below_90, reduced, no_provision, neet;
	int64_t pp_pence;
	int pp_count;
} snap;

typedef struct kid {
	size_t parent;            /* union-find: itself when the child is a root */
	bool identified;          /* an LA child id or a UPN */
	rec *recs;
	size_t nrecs, cap;
	/* Two candidates for the current PEP: the latest PEP with a meeting
	 * date (held or booked) and the latest draft with none; finish picks. */
	snap dated, draft;
	bool has_dated, has_draft;
	const snap *cur;          /* set by pep_caseload_finish */
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
	pep_moves *cohort_moves;  /* the suppressed cohort's, for the schools that add up to it */
};

static const char *pooled(pep_caseload *c, const char *s)
{
	return s ? table_put(&c->pool, s, 0)->key : NULL;
}

pep_caseload *pep_caseload_new(const pep_caseload_opts *opts)
{
	pep_caseload *c = pep_xcalloc(1, sizeof *c);
	c->opts = *opts;
	if (c->opts.terms < 1)
		c->opts.terms = 1;
	return c;
}

static void snap_free(snap *s)
{
	free(s->name);
	free(s->file);
	s->name = s->file = NULL;
}

void pep_caseload_free(pep_caseload *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nkids; i++) {
		free(c->kids[i].recs);
		snap_free(&c->kids[i].dated);
		snap_free(&c->kids[i].draft);
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
	pep_moves_free(c->cohort_moves);
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

/* Which of two PEPs with a meeting date is the later: the meeting date (a
 * PEP with neither a meeting nor the draft state comes before all), then
 * the file's place in the batch. */
static bool later_dated(const rec *a, const rec *b)
{
	long long ka = a->meeting == PEP_NO_DAY ? LLONG_MIN : a->meeting;
	long long kb = b->meeting == PEP_NO_DAY ? LLONG_MIN : b->meeting;
	return ka != kb ? ka > kb : a->order > b->order;
}

/* Which of two drafts is the later: begun later, then the file's place. */
static bool later_draft(const rec *a, const rec *b)
{
	long long ka = a->started == PEP_NO_DAY ? LLONG_MIN : a->started;
	long long kb = b->started == PEP_NO_DAY ? LLONG_MIN : b->started;
	return ka != kb ? ka > kb : a->order > b->order;
}

/* The facts f (of the file d) as a candidate for the current PEP. */
static void snap_set(pep_caseload *c, snap *s, size_t rec_index, const pep_facts *f, const pep_diags *d)
{
	snap_free(s);
	s->rec = rec_index;
	s->la = pooled(c, f->la);
	s->id = pooled(c, f->child_id);
	s->upn = pooled(c, f->upn);
	s->school_urn = pooled(c, f->school_urn);
	s->school_name = pooled(c, f->school_name);
	s->sw = pooled(c, f->social_worker);
	s->dt = pooled(c, f->designated_teacher);
	s->name = c->opts.names && f->name ? pep_xstrdup(f->name) : NULL;
	s->file = pep_xstrdup(pep_diags_file(d));
	s->year = f->year;
	s->kind = f->kind;
	s->meeting_kind = f->meeting_kind;
	s->qa = f->qa_grade;
	s->grade = pep_diags_grade(d);
	s->errors = pep_diags_errors(d);
	s->warnings = pep_diags_warnings(d);
	s->deadlines = f->deadlines;
	s->signed_ = f->is_signed;
	s->first_term = f->first_term;
	s->as_of_term = f->as_of_term;
	s->attendance_below_90 = f->attendance_known && f->attendance < 9000;
	s->reduced = f->reduced;
	s->no_provision = f->no_provision;
	s->neet = f->neet;
	s->pp_pence = 0;
	s->pp_count = 0;
	for (int a = 0; a < PEP_AREAS; a++) {
		s->pp_pence += f->pp_pence[a];
		s->pp_count += f->pp_count[a];
	}
}

static size_t new_kid(pep_caseload *c, bool identified)
{
	if (c->nkids == c->capkids) {
		c->capkids = c->capkids ? c->capkids * 2 : 64;
		c->kids = pep_xrealloc(c->kids, c->capkids * sizeof *c->kids);
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
		k->recs = pep_xrealloc(k->recs, k->cap * sizeof *k->recs);
	}
	k->recs[k->nrecs++] = *r;
}

/* Takes b's candidate into a's when it is the later (b's recs now start at
 * base in a's). */
static void take_snap(kid *a, snap *sa, bool *has_a, snap *sb, bool has_b, size_t base,
                      bool (*later)(const rec *, const rec *))
{
	if (!has_b)
		return;
	sb->rec += base;
	if (!*has_a || later(&a->recs[sb->rec], &a->recs[sa->rec])) {
		snap_free(sa);
		*sa = *sb;
		sb->name = sb->file = NULL;
		*has_a = true;
	}
}

/* Moves child b into child a (one child, found under two keys). */
static void merge(pep_caseload *c, size_t a, size_t b)
{
	kid *ka = &c->kids[a], *kb = &c->kids[b];
	size_t base = ka->nrecs;
	for (size_t i = 0; i < kb->nrecs; i++)
		add_rec(ka, &kb->recs[i]);
	take_snap(ka, &ka->dated, &ka->has_dated, &kb->dated, kb->has_dated, base, later_dated);
	take_snap(ka, &ka->draft, &ka->has_draft, &kb->draft, kb->has_draft, base, later_draft);
	ka->identified = true;
	free(kb->recs);
	snap_free(&kb->dated);
	snap_free(&kb->draft);
	kb->recs = NULL;
	kb->nrecs = kb->cap = 0;
	kb->has_dated = kb->has_draft = false;
	kb->parent = a;
}

void pep_caseload_add(pep_caseload *c, const pep_facts *f, const pep_diags *d)
{
	c->files++;
	uint32_t order = (uint32_t)c->order++;
	if (!f->loaded) {
		c->unread = pep_xrealloc(c->unread, (c->nunread + 1) * sizeof *c->unread);
		const pep_diag *first = pep_diags_at(d, 0);
		c->unread[c->nunread].file = pep_xstrdup(pep_diags_file(d));
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
	r.next_meeting = f->next_meeting;
	r.review = f->meeting != PEP_NO_DAY ? f->deadlines.review : PEP_NO_DAY;
	r.initial_deadline = f->deadlines.initial;
	r.initial_rule = f->deadlines.initial_rule;
	r.signoff_due = f->deadlines.signoff;
	r.signed_off = f->signed_off;
	r.history_last = f->history_last;
	r.started = f->created != PEP_NO_DAY ? f->created : f->history_last;
	r.became_lac = f->became_lac;
	r.la = pooled(c, f->la);
	r.id = pooled(c, f->child_id);
	r.kind = f->meeting_kind ? pep_meeting_kind_names[f->meeting_kind] : f->kind ? pep_kind_names[f->kind] : "";
	r.history_kind = f->history_last_kind ? pep_meeting_kind_names[f->history_last_kind] : NULL;
	r.term = f->term;
	r.order = order;
	r.grade = (unsigned char)pep_diags_grade(d)[0];
	r.initial = f->initial;
	r.draft = f->meeting == PEP_NO_DAY && f->form_state <= PEP_STATE_DRAFT;
	for (int a = 0; a < PEP_AREAS; a++) {
		r.pp_count += f->pp_count[a];
		r.pp_pence += f->pp_pence[a];
	}

	/* Which child: by LA and LA child id, by UPN, both (linking two
	 * children found so far), or neither (a child of its own). */
	char *key = f->la && f->child_id ? pep_xasprintf("%s\x1f%s", f->la, f->child_id) : NULL;
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
	size_t i = kd->nrecs - 1;
	if (r.draft) {
		if (!kd->has_draft || later_draft(&kd->recs[i], &kd->recs[kd->draft.rec])) {
			snap_set(c, &kd->draft, i, f, d);
			kd->has_draft = true;
		}
	} else if (!kd->has_dated || later_dated(&kd->recs[i], &kd->recs[kd->dated.rec])) {
		snap_set(c, &kd->dated, i, f, d);
		kd->has_dated = true;
	}
}

/* ------------------------------------------------------------------ */
/* Finishing: the current PEP, due dates, sorting                       */
/* ------------------------------------------------------------------ */

/* The child's last meeting held (on or before the as-of date): from the
 * meetings of their PEPs and the PEP histories they record. */
static pep_day last_held(const pep_caseload *c, const kid *k, const char **kind)
{
	pep_day last = PEP_NO_DAY;
	*kind = NULL;
	for (size_t i = 0; i < k->nrecs; i++) {
		const rec *r = &k->recs[i];
		if (r->meeting != PEP_NO_DAY && r->meeting <= c->opts.as_of && (last == PEP_NO_DAY || r->meeting >= last)) {
			last = r->meeting;
			*kind = r->kind;
		}
		if (r->history_last != PEP_NO_DAY && r->history_last <= c->opts.as_of &&
		    (last == PEP_NO_DAY || r->history_last > last)) {
			last = r->history_last;
			*kind = r->history_kind;
		}
	}
	return last;
}

/* A draft is stale, not the PEP in progress, when a PEP of the child was
 * held after it was begun: it is an initial PEP and the child has had a
 * meeting since becoming looked after (an initial PEP after a review is
 * an old one; a child back in care after it starts afresh), or it was
 * begun before the latest meeting held (caseload.h). */
static bool stale_draft(const pep_caseload *c, const kid *k)
{
	const rec *d = &k->recs[k->draft.rec];
	pep_day held = PEP_NO_DAY;
	for (size_t i = 0; i < k->nrecs; i++)
		if (k->recs[i].meeting != PEP_NO_DAY && k->recs[i].meeting <= c->opts.as_of &&
		    (held == PEP_NO_DAY || k->recs[i].meeting > held))
			held = k->recs[i].meeting;
	if (held == PEP_NO_DAY)
		return false;
	if (d->initial && (d->became_lac == PEP_NO_DAY || d->became_lac <= held))
		return true;
	return d->started != PEP_NO_DAY && d->started < held;
}

/* "6-month review": the review limit of the LA's profile, pooled. */
static const char *review_basis(pep_caseload *c, const char *la)
{
	char s[48];
	snprintf(s, sizeof s, "%d-month review", pep_profile_for(la)->review.n);
	return pooled(c, s);
}

/* What the PEP r with a meeting date sets for the next one. Held: the next
 * meeting it records, or the review limit after it (T07) when that comes
 * first or none is recorded. Booked (still ahead): the booked date, unless
 * the limit it must meet comes first: an initial PEP's deadline (T01-T04),
 * or a review's limit after the last meeting held (T05); a date booked
 * later does not move the limit. */
static void due_of(pep_caseload *c, const kid *k, const rec *r, pep_child *ch)
{
	if (r->meeting <= c->opts.as_of) {
		if (r->next_meeting != PEP_NO_DAY && (r->review == PEP_NO_DAY || r->next_meeting <= r->review)) {
			ch->next_due = r->next_meeting;
			ch->basis = basis_names[B_NEXT];
		} else if (r->review != PEP_NO_DAY) {
			ch->next_due = r->review;
			ch->basis = review_basis(c, r->la);
			ch->rule = pep_rules[PEP_RULE_T07].id;
		}
		return;
	}
	ch->next_due = r->meeting;
	ch->basis = basis_names[B_BOOKED];
	const char *kind;
	pep_day held = last_held(c, k, &kind);
	if (r->initial && r->initial_deadline != PEP_NO_DAY && r->initial_deadline < r->meeting) {
		ch->next_due = r->initial_deadline;
		ch->basis = basis_names[B_INITIAL];
		ch->rule = r->initial_rule;
	} else if (!r->initial && held != PEP_NO_DAY) {
		pep_day limit = pep_rules_review_limit(r->la, held);
		if (limit != PEP_NO_DAY && limit < r->meeting) {
			ch->next_due = limit;
			ch->basis = review_basis(c, r->la);
			ch->rule = pep_rules[PEP_RULE_T05].id;
		}
	}
}

/* When the child's next PEP is due (caseload.h). */
static void due(pep_caseload *c, const kid *k, pep_child *ch)
{
	const snap *s = k->cur;
	const rec *cur = &k->recs[s->rec];
	ch->next_due = PEP_NO_DAY;
	ch->basis = "";
	ch->rule = NULL;
	ch->no_calendar = PEP_NO_DAY;
	if (cur->meeting != PEP_NO_DAY) {
		due_of(c, k, cur, ch);
	} else if (!cur->draft) {
		/* Neither a meeting nor a draft: nothing to count from. */
	} else if (cur->initial) {
		ch->next_due = s->deadlines.initial;
		ch->basis = basis_names[B_INITIAL];
		ch->rule = s->deadlines.initial_rule;
		if (ch->next_due == PEP_NO_DAY)
			ch->no_calendar = s->deadlines.uncovered;
	} else if (k->has_dated && k->recs[k->dated.rec].meeting != PEP_NO_DAY) {
		/* A review in progress: what the latest PEP with a meeting sets. */
		due_of(c, k, &k->recs[k->dated.rec], ch);
	} else if (s->deadlines.review != PEP_NO_DAY) {
		/* Else the review limit after the last meeting of its history (T05). */
		ch->next_due = s->deadlines.review;
		ch->basis = review_basis(c, s->la);
		ch->rule = s->deadlines.review_rule;
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

/* The child's LA child id when the current PEP records none: from their
 * other PEPs, the current LA's first, then any LA's; the latest PEP's. */
static void other_id(const kid *k, pep_child *ch)
{
	const rec *best = NULL;
	for (int pass = 0; pass < 2 && !best; pass++)
		for (size_t i = 0; i < k->nrecs; i++) {
			const rec *r = &k->recs[i];
			if (r->id && r->la && (pass || (ch->la && strcmp(r->la, ch->la) == 0)) &&
			    (!best || later_dated(r, best)))
				best = r;
		}
	if (best) {
		ch->id = best->id;
		ch->id_la = best->la;
	}
}

static void child_row(pep_caseload *c, kid *k, pep_child *ch)
{
	memset(ch, 0, sizeof *ch);
	k->cur = k->has_draft && (!k->has_dated || !stale_draft(c, k)) ? &k->draft : &k->dated;
	const snap *s = k->cur;
	const rec *cur = &k->recs[s->rec];
	ch->la = s->la;
	ch->id = s->id;
	ch->id_la = s->id ? s->la : NULL;
	if (!ch->id)
		other_id(k, ch);
	ch->upn = s->upn;
	ch->identified = k->identified;
	ch->name = s->name;
	ch->school_urn = s->school_urn;
	ch->school_name = s->school_name;
	ch->social_worker = s->sw;
	ch->designated_teacher = s->dt;
	ch->year = s->year;
	ch->file = s->file;
	ch->kind = s->meeting_kind ? pep_meeting_kind_names[s->meeting_kind] : s->kind ? pep_kind_names[s->kind] : "";
	ch->meeting = cur->meeting;
	ch->last_meeting = last_held(c, k, &ch->last_kind);
	ch->booked = cur->meeting != PEP_NO_DAY && cur->meeting > c->opts.as_of ? cur->meeting : PEP_NO_DAY;
	ch->in_progress = cur->draft;
	ch->grade = s->grade;
	ch->errors = s->errors;
	ch->warnings = s->warnings;
	ch->qa = s->qa;
	ch->peps = k->nrecs;
	due(c, k, ch);
	ch->signoff_due = cur->signoff_due;
	ch->signed_off = cur->signed_off;
	/* T09 (Kent): not signed off by the 10th school day after the meeting. */
	if (s->deadlines.signoff_rule && cur->meeting != PEP_NO_DAY && cur->meeting <= c->opts.as_of &&
	    cur->signoff_due != PEP_NO_DAY)
		ch->signoff_late = cur->signed_off != PEP_NO_DAY ? cur->signed_off > cur->signoff_due
		                                                 : !s->signed_ && c->opts.as_of > cur->signoff_due;
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
	const snap *s = k->cur;
	if (!s->school_name && !s->school_urn)
		return pep_xstrdup(s->no_provision ? "no school place" : "school not recorded");
	if (!s->school_urn)
		return pep_xstrdup(s->school_name);
	return pep_xasprintf("%s (%s)", s->school_name ? s->school_name : "school", s->school_urn);
}

/* The child's group under the breakdown (caller frees), with a sort rank
 * (year groups and key stages in school order, "not recorded" last). */
static char *group_of(const kid *k, pep_breakdown by, int *rank)
{
	*rank = 0;
	const char *s = NULL;
	const snap *cur = k->cur;
	switch (by) {
	case PEP_BY_NONE:
		return NULL;
	case PEP_BY_SCHOOL:
		if (!cur->school_name && !cur->school_urn)
			*rank = INT_MAX;
		return school_label(k);
	case PEP_BY_SOCIAL_WORKER:
		s = cur->sw;
		break;
	case PEP_BY_YEAR_GROUP:
		s = cur->year ? pep_year_labels[cur->year] : NULL;
		*rank = cur->year;
		break;
	case PEP_BY_KEY_STAGE:
		s = key_stage(cur->year);
		*rank = cur->year;
		break;
	case PEP_BY_LA:
		s = cur->la;
		break;
	}
	if (!s) {
		*rank = INT_MAX;
		return pep_xstrdup("not recorded");
	}
	return pep_xstrdup(s);
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
	*of = pep_xcalloc(c->nkids ? c->nkids : 1, sizeof **of);
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
			g = pep_xrealloc(g, (n + 1) * sizeof *g);
			g[n].label = label;
			g[n].rank = rank;
			n++;
		} else {
			free(label);
		}
		(*of)[k] = s->value;
	}
	/* Sort, then renumber the children's groups. */
	size_t *order = pep_xcalloc(n ? n : 1, sizeof *order);
	group *sorted = pep_xcalloc(n ? n : 1, sizeof *sorted);
	memcpy(sorted, g, n * sizeof *g);
	qsort(sorted, n, sizeof *sorted, cmp_group);
	for (size_t i = 0; i < n; i++)
		order[table_find(&t, sorted[i].label)->value] = i;
	for (size_t k = 0; k < c->nkids; k++)
		if (c->kids[k].parent == k)
			(*of)[k] = order[(*of)[k]];
	c->groups = pep_xcalloc(n ? n : 1, sizeof *c->groups);
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
	const rec **v = pep_xcalloc(k->nrecs, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < k->nrecs; i++)
		if (k->recs[i].meeting != PEP_NO_DAY && k->recs[i].meeting <= as_of)
			v[n++] = &k->recs[i];
	qsort(v, n, sizeof *v, cmp_rec_meeting);
	bool *seen = pep_xcalloc((size_t)nterms, sizeof *seen);
	int earliest = k->cur->first_term;
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
			timely = prev != PEP_NO_DAY && r->meeting <= pep_rules_review_limit(r->la, prev);
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
		bool due_then = earliest >= 0 && term >= earliest && term <= k->cur->as_of_term;
		for (int w = 0; w < (grouped ? 2 : 1); w++) {
			pep_term_row *row = &terms[t].rows[w == 0 ? terms[t].nrows - 1 : grp];
			row->v[PEP_TF_CHILDREN] += seen[t];
			row->v[PEP_TF_NO_PEP] += due_then && !seen[t];
		}
	}
	free(seen);
	free(v);
}

/* The shape of a term's row for suppression (suppress.h): PEPs held the
 * base; red, amber and green add up to it; in timescale and signed off in
 * time are parts of it, the rest not shown; children at most the PEPs;
 * PP+ requests only with a PEP. */
static const pep_col term_cols[PEP_TF_COUNT] = {
	[PEP_TF_CHILDREN] = {PEP_COL_UNITS, 0},    [PEP_TF_NO_PEP] = {PEP_COL_FREE, 0},
	[PEP_TF_PEPS] = {PEP_COL_BASE, 0},         [PEP_TF_IN_TIMESCALE] = {PEP_COL_PART, 1},
	[PEP_TF_SIGNED_IN_TIME] = {PEP_COL_PART, 2}, [PEP_TF_RED] = {PEP_COL_PART, 0},
	[PEP_TF_AMBER] = {PEP_COL_PART, 0},        [PEP_TF_GREEN] = {PEP_COL_PART, 0},
	[PEP_TF_PP_REQUESTS] = {PEP_COL_USES, 0},
};
const pep_table_shape pep_term_shape = {term_cols, PEP_TF_COUNT, 1u << 1 | 1u << 2};

/* Suppresses a term's rows: the whole caseload's row alone, then the
 * breakdown's groups, which add up to it. */
static void suppress_term(pep_term *t)
{
	pep_term_row *all = &t->rows[t->nrows - 1];
	pep_moves *moves;
	pep_suppress_total(&pep_term_shape, all->v, all->hide, &moves);
	size_t cols = PEP_TF_COUNT, rows = t->nrows - 1;
	if (rows) {
		size_t *v = pep_xcalloc(rows * cols, sizeof *v);
		bool *hide = pep_xcalloc(rows * cols, sizeof *hide);
		for (size_t r = 0; r < rows; r++)
			memcpy(&v[r * cols], t->rows[r].v, sizeof t->rows[r].v);
		pep_suppress_groups(&pep_term_shape, v, rows, all->v, all->hide, moves, hide);
		for (size_t r = 0; r < rows; r++)
			memcpy(t->rows[r].hide, &hide[r * cols], sizeof t->rows[r].hide);
		free(v);
		free(hide);
	}
	pep_moves_free(moves);
}

static void make_terms(pep_caseload *c)
{
	size_t *grp;
	size_t ngroups = make_groups(c, c->opts.by, &grp);
	/* The terms: opts.terms of them, up to the latest as-of term. */
	int last = -1;
	for (size_t k = 0; k < c->nkids; k++)
		if (c->kids[k].parent == k && c->kids[k].cur->as_of_term > last)
			last = c->kids[k].cur->as_of_term;
	if (last < 0)
		last = pep_term_by_months(c->opts.as_of);
	int n = c->opts.terms, first = last - n + 1;
	c->terms = pep_xcalloc((size_t)n, sizeof *c->terms);
	for (int t = 0; t < n; t++) {
		c->terms[t].term = first + t;
		pep_term_label(first + t, c->terms[t].label);
		c->terms[t].nrows = ngroups + 1;
		c->terms[t].rows = pep_xcalloc(ngroups + 1, sizeof *c->terms[t].rows);
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

/* The shape of the cohort figures for suppression: children the base;
 * the statuses add up to it, and the grades; each other count of children
 * is a part of it, the rest not shown; PP+ requests only with a child. */
static const pep_col cohort_cols[PEP_CF_COUNT] = {
	[PEP_CF_CHILDREN] = {PEP_COL_BASE, 0},       [PEP_CF_OVERDUE] = {PEP_COL_PART, 0},
	[PEP_CF_DUE_SOON] = {PEP_COL_PART, 0},       [PEP_CF_OK] = {PEP_COL_PART, 0},
	[PEP_CF_NO_DATE] = {PEP_COL_PART, 0},        [PEP_CF_SIGNOFF_LATE] = {PEP_COL_PART, 2},
	[PEP_CF_RED] = {PEP_COL_PART, 1},            [PEP_CF_AMBER] = {PEP_COL_PART, 1},
	[PEP_CF_GREEN] = {PEP_COL_PART, 1},          [PEP_CF_RECENT] = {PEP_COL_PART, 3},
	[PEP_CF_ATTENDANCE_BELOW_90] = {PEP_COL_PART, 4}, [PEP_CF_REDUCED] = {PEP_COL_PART, 5},
	[PEP_CF_NO_PROVISION] = {PEP_COL_PART, 6},   [PEP_CF_NEET] = {PEP_COL_PART, 7},
	[PEP_CF_PP_REQUESTS] = {PEP_COL_USES, 0},
};
const pep_table_shape pep_cohort_shape = {cohort_cols, PEP_CF_COUNT, 0xfcu /* partitions 2 to 7 */};

/* The QA grades of the current PEPs by school: children the base, red,
 * amber and green adding up to it; the cohort's columns they are. */
static const pep_col school_cols[4] = {{PEP_COL_BASE, 0}, {PEP_COL_PART, 0}, {PEP_COL_PART, 0}, {PEP_COL_PART, 0}};
const pep_table_shape pep_school_shape = {school_cols, 4, 0};
const int pep_school_of_cohort[4] = {PEP_CF_CHILDREN, PEP_CF_RED, PEP_CF_AMBER, PEP_CF_GREEN};

/* The cohort figures of the current PEPs (suppressed with opts.summary). */
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
		v[PEP_CF_RECENT] += ch->last_meeting != PEP_NO_DAY && ch->last_meeting >= six;
	}
	for (size_t k = 0; k < c->nkids; k++) {
		const kid *kd = &c->kids[k];
		if (kd->parent != k)
			continue;
		v[PEP_CF_ATTENDANCE_BELOW_90] += kd->cur->attendance_below_90;
		v[PEP_CF_REDUCED] += kd->cur->reduced;
		v[PEP_CF_NO_PROVISION] += kd->cur->no_provision;
		v[PEP_CF_NEET] += kd->cur->neet;
		v[PEP_CF_PP_REQUESTS] += (size_t)kd->cur->pp_count;
		r->pp_pence += kd->cur->pp_pence;
	}
	if (c->opts.summary)
		pep_suppress_total(&pep_cohort_shape, v, r->cohort_hide, &c->cohort_moves);
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
			c->schools = pep_xrealloc(c->schools, (n + 2) * sizeof *c->schools);
			memset(&c->schools[n], 0, sizeof *c->schools);
			c->schools[n].school = pooled(c, s->key);
			n++;
		}
		pep_school_rag *row = &c->schools[s->value];
		row->v[0]++;
		row->v[1] += kd->cur->grade[0] == 'r';
		row->v[2] += kd->cur->grade[0] == 'a';
		row->v[3] += kd->cur->grade[0] == 'g';
	}
	table_free(&t);
	if (n)
		qsort(c->schools, n, sizeof *c->schools, cmp_school);
	c->report.schools = c->schools;
	c->report.nschools = n;
	if (!c->opts.summary || !n)
		return;
	/* The schools add up to the cohort's children and grades: a group
	 * table of that total, following its moves. */
	size_t *v = pep_xcalloc(n * 4, sizeof *v);
	bool *hide = pep_xcalloc(n * 4, sizeof *hide), total_hide[4];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < 4; j++)
			v[i * 4 + j] = c->schools[i].v[j];
	size_t total[4];
	for (size_t j = 0; j < 4; j++) {
		total[j] = c->report.cohort[pep_school_of_cohort[j]];
		total_hide[j] = c->report.cohort_hide[pep_school_of_cohort[j]];
	}
	pep_moves *moves = pep_moves_project(c->cohort_moves, pep_school_of_cohort, 4);
	pep_suppress_groups(&pep_school_shape, v, n, total, total_hide, moves, hide);
	pep_moves_free(moves);
	for (size_t i = 0; i < n; i++)
		memcpy(c->schools[i].hide, &hide[i * 4], sizeof c->schools[i].hide);
	free(v);
	free(hide);
}

/* What a profile's limit is, in words: "6 months", "10 school days". */
typedef void (*limit_words)(const pep_profile *p, char out[32]);

static void review_words(const pep_profile *p, char out[32])
{
	pep_limit_text(&p->review, out, 32);
}

static void signoff_words(const pep_profile *p, char out[32])
{
	pep_limit_text(pep_rules_signoff_limit(p->code, NULL), out, 32);
}

/* A limit of the LAs whose PEPs were read, from their profiles (pooled):
 * "6 months" when they share it, else "6 months in Kent, 4 months in
 * other LAs" (each value once, with the LAs that have it). */
static const char *limits_of(pep_caseload *c, limit_words words)
{
	bool used[64] = {false};
	size_t n = pep_profiles_count < 64 ? pep_profiles_count : 64;
	for (size_t k = 0; k < c->nkids; k++)
		for (size_t i = 0; i < c->kids[k].nrecs; i++)
			used[pep_profile_for(c->kids[k].recs[i].la) - pep_profiles] = true;
	char w[64][32];
	size_t distinct = 0, first = n;
	for (size_t i = 0; i < n; i++)
		if (used[i]) {
			words(&pep_profiles[i], w[i]);
			if (first == n)
				first = i;
			bool seen = false;
			for (size_t j = first; j < i && !seen; j++)
				seen = used[j] && strcmp(w[j], w[i]) == 0;
			distinct += !seen;
		}
	if (first == n)
		words(pep_profile_default(), w[first = 0]);
	if (distinct <= 1)
		return pooled(c, w[first]);
	pep_buf b = PEP_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = used[j] && strcmp(w[j], w[i]) == 0;
		if (!used[i] || seen)
			continue;
		pep_buf_printf(&b, "%s%s in ", b.len ? ", " : "", w[i]);
		size_t las = 0;
		for (size_t j = i; j < n; j++)
			if (used[j] && strcmp(w[j], w[i]) == 0) {
				bool other = &pep_profiles[j] == pep_profile_default();
				pep_buf_printf(&b, "%s%s", las++ ? " and " : "", other ? "other LAs" : pep_profiles[j].name);
			}
	}
	const char *r = pooled(c, pep_buf_str(&b));
	pep_buf_free(&b);
	return r;
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
	c->children = pep_xcalloc(n ? n : 1, sizeof *c->children);
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
	r->review_limits = limits_of(c, review_words);
	r->signoff_limits = limits_of(c, signoff_words);
	return r;
}
