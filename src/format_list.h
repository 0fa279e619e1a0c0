/* format_list.h: the PEP formats pep reads and writes, one row each.
 *
 *   PEP_FORMAT(name, label, namespace, schema, to canonical, from canonical, sections,
 *              absent, forms)
 *
 * The first row is the canonical format: the typed model, the rules and the
 * renderer read it, and every other format converts to and from it. A new
 * LA's format is a row here, its schema in schemas/ and two XSLT 1.0
 * stylesheets in stylesheets/ (format.h says what they must do); no other
 * code names a format. name is what `pep convert --to` takes and what
 * `--format json` reports; label is how messages and the PDF name it;
 * sections maps the root's children to the form's section numbers, for
 * diagnostics. absent lists the canonical fields none of the format's forms
 * has a place for, and forms names each form (root element) with what it
 * alone has no place for (format.h): the rules that judge only such a field
 * are not applied to a file on that form, since nobody could act on their
 * message there (docs/rules-notes.md). Included by format.c only. */
PEP_FORMAT("kent", "the Kent (canonical) format", PEP_NAMESPACE, "schemas/pep.xsd", NULL, NULL, pep_sections, NULL, NULL)
PEP_FORMAT("southwark", "Southwark's PEP form", "https://pep-tool.org/ns/southwark/1", "schemas/southwark.xsd",
           "stylesheets/southwark-to-kent.xsl", "stylesheets/kent-to-southwark.xsl",
           PEP_SECTIONS({"childDetails", '1'}, {"meetingSummary", '2'}, {"schoolInformation", '3'},
                        {"schoolUpdate", '3'}, {"childsView", '4'}),
           /* No form asks whether the designated teacher is a qualified
            * teacher (schemas/southwark.xsd, DesignatedTeacher). */
           PEP_FIELDS("essentialInformation/school/designatedTeacher/qualifiedTeacher"),
           PEP_FORMS({"pep", "the PEP form", NULL},
                     /* 001 §4: the review form is for a child who has not
                      * changed schools; it has no previous-schools history. */
                     {"pepReview", "the review form", PEP_FIELDS("educationInformation/previousSchools")},
                     {"pepNoProvision", "the form for a child with no educational provision", NULL}))
