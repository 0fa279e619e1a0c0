/* fuzz_edit.c: pep edit's changes, as its page sends them, on a PEP.
 * Byte 0 (low 4 bits) chooses the PEP: one of the samples, or a new PEP of
 * each kind; with bit 6, one of the samples on Southwark's form (edited in
 * the canonical form, checked and saved back on that form); bit 7 asks for
 * the preview PDF at the end. The rest is the
 * changes, one a line: OP TAB AT TAB PATH TAB ATTR TAB VALUE, OP one of s
 * (set), a (add), r (remove), c (choose), AT a decimal id (the value may
 * hold any byte but a line break). After them the state is written, as
 * the page would read it. Nothing is saved: the session never writes. */
#include <stdio.h>
#include <string.h>

#include "author.h"
#include "edit.h"
#include "fuzz.h"

static pep_checker *checker;
static pep_form *form;
static char *skeletons[7]; /* by kind: pep new's */
static size_t skeleton_len[7];

static const char *const samples[] = {
	"kent-early-years.xml", "kent-initial-unplanned-primary.xml", "kent-no-provision.xml",
	"kent-review-y10-ehcp.xml", "kent-transition-sen-support.xml", "kirklees-post16-neet.xml",
	"medway-reduced-timetable-exclusion.xml", "southwark-child-in-kent.xml", "southwark-review-primary.xml",
};
#define NSAMPLES (sizeof samples / sizeof samples[0])
static const char *const forms[] = {
	"southwark/southwark-review-form.xml", "southwark/southwark-secondary-ehcp.xml",
	"southwark/southwark-no-provision.xml", "southwark/kent-child-post16-on-southwark-form.xml",
};
#define NFORMS (sizeof forms / sizeof forms[0])

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup();
	checker = fuzz_checker();
	char *err = NULL;
	form = pep_form_load_installed(&err);
	if (!form)
		abort();
	pep_xml_loader *l = pep_checker_loader(checker);
	pep_diags *d = pep_diags_new("new");
	for (int k = 1; k <= 6; k++)
		if (!(skeletons[k] = pep_author_new(form, l, k, "kent", "Kent", d, &skeleton_len[k])))
			abort();
	pep_diags_free(d);
	pep_xml_loader_free(l);
	return 0;
}

/* The next field of a line (up to a tab or its end). */
static const char *field(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *tab = memchr(s, '\t', (size_t)(end - s));
	const char *e = tab ? tab : end;
	*len = (size_t)(e - s);
	*p = tab ? tab + 1 : end;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned pick = data[0] & 15;
	pep_edit *e = NULL;
	char *err = NULL;
	if (pick < NSAMPLES || (data[0] & 0x40)) {
		char path[512];
		snprintf(path, sizeof path, "%s/samples/%s", PEP_SOURCE_DIR,
		         data[0] & 0x40 ? forms[pick % NFORMS] : samples[pick]);
		pep_diags *d = pep_diags_new(path);
		e = pep_edit_open(checker, form, path, d, &err);
		pep_diags_free(d);
	} else {
		/* (a file that does not exist, in a folder that does: never saved) */
		int kind = 1 + (int)((pick - NSAMPLES) % 6);
		e = pep_edit_new(checker, form, PEP_SOURCE_DIR "/fuzz/never-saved.xml", skeletons[kind], skeleton_len[kind],
		                 &err);
	}
	free(err);
	if (!e)
		abort(); /* the samples open */
	pep_buf out = PEP_BUF_INIT;
	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	int changes = 0;
	while (p < end && changes++ < 64) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;
		size_t n_op, n_at, n_path, n_attr, n_value;
		const char *op = field(&p, line_end, &n_op);
		const char *at = field(&p, line_end, &n_at);
		const char *path = field(&p, line_end, &n_path);
		const char *attr = field(&p, line_end, &n_attr);
		const char *value = p;
		n_value = (size_t)(line_end - p);
		p = nl ? nl + 1 : end;
		char at_s[24], path_s[256], attr_s[64];
		snprintf(at_s, sizeof at_s, "%.*s", (int)(n_at < 20 ? n_at : 20), at);
		snprintf(path_s, sizeof path_s, "%.*s", (int)(n_path < 250 ? n_path : 250), path);
		snprintf(attr_s, sizeof attr_s, "%.*s", (int)(n_attr < 60 ? n_attr : 60), attr);
		pep_edit_op o;
		o.kind = !n_op ? PEP_EDIT_SET : op[0] == 'a' ? PEP_EDIT_ADD : op[0] == 'r' ? PEP_EDIT_REMOVE
		       : op[0] == 'c' ? PEP_EDIT_CHOOSE : op[0] == 'x' ? (pep_edit_op_kind)7 : PEP_EDIT_SET;
		o.at = strtol(at_s, NULL, 10);
		o.path = path_s;
		o.attr = n_attr ? attr_s : NULL;
		o.value = value;
		o.value_len = n_value;
		pep_buf_clear(&out);
		pep_edit_apply(e, &o, &out);
	}
	pep_buf_clear(&out);
	pep_edit_state_json(e, &out);
	if (data[0] & 0x80) {
		pep_edit_preview po;
		memset(&po, 0, sizeof po);
		pep_date_parse("2026-07-17", &po.sections.generated);
		po.pdf.generator = po.sections.generator = "pep fuzz";
		unsigned char *pdf = NULL;
		size_t len = 0;
		char *why = NULL;
		if (pep_edit_pdf(e, &po, &pdf, &len, &why))
			free(pdf);
		free(why);
	}
	pep_buf_free(&out);
	pep_edit_free(e);
	return 0;
}
