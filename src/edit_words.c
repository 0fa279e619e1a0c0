/* edit_words.c: what `pep edit`'s page says, in the form's words (edit_words.h). */
#include "edit_words.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "xml.h"

/* The parts of a PEP, as the form's tabs name them. */
static const struct {
	const char *name, *label;
} parts[] = {
	{"header", "About this PEP"},
	{"essentialInformation", "A. Essential information"},
	{"educationInformation", "B. Education"},
	{"youngPersonsViews", "C. The young person's views"},
	{"pepMeeting", "D. The PEP meeting"},
	{"attachments", "Attachments"},
};

/* Where the name in plain words (pep_xml_words) does not read well over a
 * box, by path (ATTRIBUTE after @). */
static const struct {
	const char *path, *label;
} labels[] = {
	{"header/localAuthority@code", "LA code"},
	{"header/pepHistory", "PEP history"},
	{"header/pepHistory/previousMeeting", "Previous PEP meeting"},
	{"essentialInformation/school/schoolLocalAuthority@code", "LA code"},
	{"essentialInformation/care/lookedAfterReviews/held", "Review held on"},
	{"essentialInformation/care/lookedAfterReviews/next", "Next review on"},
	{"educationInformation/previousSchools@none", "No earlier school or setting"},
	{"pepMeeting/targets/target/description@words", "In whose words"},
	{"pepMeeting/signOff/sectionComplete@section", "Section"},
};

static bool top_level(const pep_form_elem *e)
{
	return e->path[0] && !strchr(e->path, '/');
}

static const char *part_label(const pep_form_elem *e)
{
	for (size_t i = 0; top_level(e) && i < sizeof parts / sizeof parts[0]; i++)
		if (strcmp(parts[i].name, e->name) == 0)
			return parts[i].label;
	return NULL;
}

/* The label over the box of the element at path (with "@attr"), name its
 * last part. */
static void box_label(const char *path, const char *attr, const char *name, const char *part, char *out,
                      size_t size)
{
	char key[256];
	snprintf(key, sizeof key, "%s%s%s", path, attr ? "@" : "", attr ? attr : "");
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].path, key) == 0) {
			snprintf(out, size, "%s", labels[i].label);
			return;
		}
	if (part) {
		snprintf(out, size, "%s", part);
		return;
	}
	pep_xml_words(name, out, size);
	out[0] = (char)toupper((unsigned char)out[0]);
}

void pep_words_label(const pep_form_elem *e, char *out, size_t size)
{
	box_label(e->path, NULL, e->name, part_label(e), out, size);
}

void pep_words_attr_label(const pep_form_elem *e, const pep_form_attr *a, char *out, size_t size)
{
	box_label(e->path, a->name, a->name, NULL, out, size);
}

void pep_words_option(const pep_form_type *t, const char *v, char *out, size_t size)
{
	const char *label = pep_enum_label_of(t->name, v);
	if (label) {
		snprintf(out, size, "%s", label);
		return;
	}
	pep_xml_words(v, out, size);
	out[0] = (char)toupper((unsigned char)out[0]);
}

/* e's name inside a sentence: the schema's label ("personal details"), a
 * part's tab, else the box's label with a small first letter unless it is an
 * abbreviation ("attendance", "SDQ"). */
static void sentence_label(const pep_form_elem *e, char *out, size_t size)
{
	if (e->label) {
		snprintf(out, size, "%s", e->label);
		return;
	}
	if (part_label(e)) {
		snprintf(out, size, "\u201c%s\u201d", part_label(e));
		return;
	}
	pep_words_label(e, out, size);
	if (out[0] && !isupper((unsigned char)out[1]))
		out[0] = (char)tolower((unsigned char)out[0]);
}

/* ------------------------------------------------------------------ */
/* Finding what a text names                                            */
/* ------------------------------------------------------------------ */

static const pep_form_elem *named_below(const pep_form_elem *e, const char *name, int depth)
{
	if (strcmp(e->name, name) == 0)
		return e;
	for (size_t i = 0; depth < 40 && i < e->nkids; i++) {
		const pep_form_elem *k = named_below(&e->kids[i], name, depth + 1);
		if (k)
			return k;
	}
	return NULL;
}

/* The element a tag names: the nearest to at (itself or below it), else the
 * first in the form's order. */
static const pep_form_elem *named(const pep_form *f, const pep_form_elem *at, const char *name)
{
	const pep_form_elem *e = at ? named_below(at, name, 0) : NULL;
	return e ? e : named_below(pep_form_root(f), name, 0);
}

/* The element at path ("a/b/c"): below the root, else below at. */
static const pep_form_elem *at_path(const pep_form *f, const pep_form_elem *at, const char *path)
{
	const pep_form_elem *e = pep_form_find(f, path);
	if (e || !at)
		return e;
	char step[128];
	e = at;
	for (const char *p = path; e && *p;) {
		size_t n = strcspn(p, "/");
		if (n >= sizeof step)
			return NULL;
		memcpy(step, p, n);
		step[n] = '\0';
		e = pep_form_child(e, step);
		p += n + (p[n] == '/');
	}
	return e;
}

static bool name_char(char c, bool first)
{
	return isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c));
}

static size_t name_len(const char *p)
{
	size_t n = 0;
	while (name_char(p[n], n == 0))
		n++;
	return n;
}

/* A name at p with its position, if any ("attendee[4]"). */
static size_t step_len(const char *p)
{
	size_t n = name_len(p);
	if (n && p[n] == '[') {
		size_t d = strspn(p + n + 1, "0123456789");
		if (d && p[n + 1 + d] == ']')
			n += d + 2;
	}
	return n;
}

/* The length of the slash-separated path at p ("a/b[2]/c": at least two
 * names), or 0. */
static size_t path_len(const char *p)
{
	size_t n = step_len(p), steps = 1;
	while (n && p[n] == '/' && step_len(p + n + 1)) {
		n += 1 + step_len(p + n + 1);
		steps++;
	}
	return steps > 1 ? n : 0;
}

/* The path at p (path_len n) without positions, in out. */
static void plain_path(const char *p, size_t n, char *out, size_t size)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < size; i++) {
		if (p[i] == '[') {
			while (i < n && p[i] != ']')
				i++;
			continue;
		}
		out[k++] = p[i];
	}
	out[k] = '\0';
}

static bool has_value(const pep_form_type *t, const char *v)
{
	for (size_t i = 0; t && i < t->nvalues; i++)
		if (strcmp(t->values[i].value, v) == 0)
			return true;
	return false;
}

/* The closed list the text is about that has value v: at's own, else one of
 * its attributes', else one of its values'. */
static const pep_form_type *list_with(const pep_form_elem *at, const char *v)
{
	if (!at)
		return NULL;
	if (at->value && has_value(at->type, v))
		return at->type;
	for (size_t k = 0; k < at->nattrs; k++)
		if (has_value(at->attrs[k].type, v))
			return at->attrs[k].type;
	for (size_t k = 0; k < at->nkids; k++)
		if (at->kids[k].value && has_value(at->kids[k].type, v))
			return at->kids[k].type;
	return NULL;
}

static size_t code_len(const char *p)
{
	size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
	return n < 128 ? n : 0;
}

/* The length of the separator at p between codes of a list, or 0. */
static size_t separator_len(const char *p)
{
	static const char *const seps[] = {", or ", ", ", " or ", " and "};
	for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++)
		if (strncmp(p, seps[i], strlen(seps[i])) == 0)
			return strlen(seps[i]);
	return 0;
}

/* A list of at least min codes of one closed list at p ("achieved,
 * partly-achieved or not-achieved"): writes their options' labels to out
 * and returns the length of what it replaced, else 0. */
static size_t codes(const pep_form_elem *at, const char *p, size_t min, pep_buf *out)
{
	const pep_form_type *t = NULL;
	size_t count = 0, end = 0;
	pep_buf said = PEP_BUF_INIT;
	for (size_t at_ = 0;;) {
		size_t n = code_len(p + at_);
		if (!n || name_char(p[at_ + n], false))
			break;
		char v[128], option[160];
		memcpy(v, p + at_, n);
		v[n] = '\0';
		const pep_form_type *lt = t ? (has_value(t, v) ? t : NULL) : list_with(at, v);
		if (!lt)
			break;
		t = lt;
		pep_words_option(t, v, option, sizeof option);
		pep_buf_add(&said, p + end, at_ - end); /* the separator */
		pep_buf_printf(&said, "\u201c%s\u201d", option);
		count++;
		end = at_ + n;
		size_t sep = separator_len(p + end);
		if (!sep)
			break;
		at_ = end + sep;
	}
	if (count >= min)
		pep_buf_puts(out, pep_buf_str(&said));
	pep_buf_free(&said);
	return count >= min ? end : 0;
}

/* A tag at p ("<x>", "</x>", "<x a="v" b="w"/>"): its length, or 0 when p
 * does not start one. Writes the form's words for it to out. */
static size_t tag(const pep_form *f, const pep_form_elem *at, const char *p, pep_buf *out)
{
	const char *q = p + 1;
	if (*q == '/')
		q++;
	size_t n = name_len(q);
	if (!n || n >= 128)
		return 0;
	char name[128];
	memcpy(name, q, n);
	name[n] = '\0';
	q += n;
	const pep_form_elem *e = named(f, at, name);
	pep_buf said = PEP_BUF_INIT, shown = PEP_BUF_INIT; /* what to do; what an example shows */
	bool attrs = false;
	for (;;) {
		while (*q == ' ')
			q++;
		size_t an = name_len(q);
		if (!an || q[an] != '=' || q[an + 1] != '"')
			break;
		const char *v = q + an + 2, *end = strchr(v, '"');
		if (!end || an >= 128 || (size_t)(end - v) >= 128)
			break;
		char aname[128], value[128], label[160], option[160];
		memcpy(aname, q, an);
		aname[an] = '\0';
		memcpy(value, v, (size_t)(end - v));
		value[end - v] = '\0';
		const pep_form_attr *a = e ? pep_form_attr_find(e, aname) : NULL;
		if (a)
			pep_words_attr_label(e, a, label, sizeof label);
		else
			pep_xml_words(aname, label, sizeof label);
		if (said.len)
			pep_buf_puts(&said, " and ");
		bool listed = false;
		for (size_t i = 0; a && a->type && i < a->type->nvalues; i++)
			listed |= strcmp(a->type->values[i].value, value) == 0;
		if (listed)
			pep_words_option(a->type, value, option, sizeof option);
		pep_buf_printf(&shown, "%s%s \u201c%s\u201d", shown.len ? ", " : "", label, listed ? option : value);
		if (listed) {
			pep_buf_printf(&said, "choose \u201c%s\u201d for \u201c%s\u201d", option, label);
		} else {
			pep_buf_printf(&said, "fill in \u201c%s\u201d", label);
		}
		attrs = true;
		q = end + 1;
	}
	while (*q == ' ')
		q++;
	if (*q == '/')
		q++;
	if (*q != '>') {
		pep_buf_free(&said);
		pep_buf_free(&shown);
		return 0;
	}
	if (q[-1] != '/' && p[1] != '/') {
		/* An example with its value, "<x a="v">Value</x>": the value (and
		 * the attributes' boxes). */
		pep_buf end = PEP_BUF_INIT;
		pep_buf_printf(&end, "</%s>", name);
		const char *close = strstr(q + 1, pep_buf_str(&end));
		if (close && !memchr(q + 1, '<', (size_t)(close - q - 1))) {
			pep_buf_printf(out, "\u201c%.*s\u201d", (int)(close - q - 1), q + 1);
			if (shown.len)
				pep_buf_printf(out, " (%s)", pep_buf_str(&shown));
			size_t len = (size_t)(close + end.len - p);
			pep_buf_free(&end);
			pep_buf_free(&said);
			pep_buf_free(&shown);
			return len;
		}
		pep_buf_free(&end);
	}
	if (attrs) {
		/* "write <x a="v"/>": the control's words say what to do. */
		static const char *const verbs[] = {"write ", "add ", "set "};
		for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
			size_t vl = strlen(verbs[i]);
			if (out->len >= vl && strcmp(out->s + out->len - vl, verbs[i]) == 0) {
				out->len -= vl;
				out->s[out->len] = '\0';
				break;
			}
		}
		pep_buf_puts(out, pep_buf_str(&said));
	} else {
		char label[160];
		if (e)
			sentence_label(e, label, sizeof label);
		else
			pep_xml_words(name, label, sizeof label);
		pep_buf_puts(out, label);
	}
	pep_buf_free(&said);
	pep_buf_free(&shown);
	return (size_t)(q + 1 - p);
}

void pep_words_of(const pep_form *f, const pep_form_elem *at, const char *text, pep_buf *out)
{
	static const char list_mark[] = "use one of ";
	bool in_list = false; /* after "use one of", until ";" or "(" */
	for (const char *p = text; *p;) {
		if (strncmp(p, list_mark, sizeof list_mark - 1) == 0) {
			in_list = true;
			pep_buf_puts(out, list_mark);
			p += sizeof list_mark - 1;
			continue;
		}
		if (*p == ';' || *p == '(')
			in_list = false;
		if (*p == '"') { /* a value quoted from the document, as it is (a '"' in it is \") */
			const char *end = p + 1;
			while (*end && *end != '"')
				end += end[0] == '\\' && end[1] ? 2 : 1;
			size_t n = *end ? (size_t)(end + 1 - p) : strlen(p);
			pep_buf_add(out, p, n);
			p += n;
			continue;
		}
		if (*p == '<') {
			size_t n = tag(f, at, p, out);
			if (n) {
				p += n;
				continue;
			}
		}
		/* " (a/b/c)" naming the field the text is shown at goes. */
		if (*p == ' ' && p[1] == '(') {
			size_t n = path_len(p + 2);
			if (n && p[2 + n] == ')') {
				char path[256];
				plain_path(p + 2, n, path, sizeof path);
				if (at && at_path(f, at, path) == at) {
					p += 3 + n;
					continue;
				}
			}
		}
		bool word_start = p == text || !name_char(p[-1], false);
		size_t n = word_start ? path_len(p) : 0;
		if (n) {
			char path[256], label[160];
			plain_path(p, n, path, sizeof path);
			const pep_form_elem *e = n < sizeof path ? at_path(f, at, path) : NULL;
			/* A path the form does not hold (an element not in the schema:
			 * "personal/favouriteColour") is named by the nearest field
			 * that holds it, never relabelled a piece at a time. */
			char *slash;
			while (!e && n < sizeof path && (slash = strrchr(path, '/')) != NULL) {
				*slash = '\0';
				e = at_path(f, at, path);
			}
			if (e) {
				sentence_label(e, label, sizeof label);
				pep_buf_puts(out, label);
				p += n;
				continue;
			}
			if (memchr(p, '/', n)) { /* not even its first part is a field: as it is */
				pep_buf_add(out, p, n);
				p += n;
				continue;
			}
		}
		/* Codes of the field's closed list: one after "use one of", else
		 * three or more in a row (two may be prose: "planned or unplanned"). */
		n = word_start ? codes(at, p, in_list ? 1 : 3, out) : 0;
		if (n) {
			p += n;
			continue;
		}
		/* An element's name ("complete youngPersonsViews"). */
		n = word_start ? name_len(p) : 0;
		bool camel = false;
		for (size_t i = 1; i < n; i++)
			camel |= isupper((unsigned char)p[i]) && islower((unsigned char)p[i - 1]);
		if (camel && n < 128 && !name_char(p[n], false)) {
			char name[128], label[160];
			memcpy(name, p, n);
			name[n] = '\0';
			const pep_form_elem *e = named(f, at, name);
			if (e) {
				sentence_label(e, label, sizeof label);
				pep_buf_puts(out, label);
				p += n;
				continue;
			}
		}
		/* The rest of a word, as it is. */
		n = name_char(*p, false) ? name_len(p) : 0;
		while (n && name_char(p[n], false))
			n++;
		n = n ? n : 1;
		pep_buf_add(out, p, n);
		p += n;
	}
}

void pep_words_date_help(const char *help, pep_buf *out)
{
	static const char *const forms[] = {", YYYY-MM-DD", " (YYYY-MM-DD)", " YYYY-MM-DD", "YYYY-MM-DD"};
	for (const char *p = help; *p;) {
		size_t i = 0, n = 0;
		for (; i < sizeof forms / sizeof forms[0]; i++)
			if (strncmp(p, forms[i], (n = strlen(forms[i]))) == 0)
				break;
		if (i < sizeof forms / sizeof forms[0]) {
			p += n;
			continue;
		}
		pep_buf_putc(out, *p++);
	}
}
