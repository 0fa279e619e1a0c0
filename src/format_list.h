/* format_list.h: the PEP formats pep reads and writes, one row each.
 *
 *   PEP_FORMAT(name, label, namespace, schema, to canonical, from canonical, sections)
 *
 * The first row is the canonical format: the typed model, the rules and the
 * renderer read it, and every other format converts to and from it. A new
 * LA's format is a row here, its schema in schemas/ and two XSLT 1.0
 * stylesheets in stylesheets/ (format.h says what they must do); no other
 * code names a format. name is what `pep convert --to` takes and what
 * `--format json` reports; label is how messages and the PDF name it;
 * sections maps the root's children to the form's section numbers, for
 * diagnostics. Included by format.c only. */
PEP_FORMAT("kent", "the Kent (canonical) format", PEP_NAMESPACE, "schemas/pep.xsd", NULL, NULL, pep_sections)
PEP_FORMAT("southwark", "Southwark's PEP form", "https://pep-tool.org/ns/southwark/1", "schemas/southwark.xsd",
           "stylesheets/southwark-to-kent.xsl", "stylesheets/kent-to-southwark.xsl",
           PEP_SECTIONS({"childDetails", '1'}, {"meetingSummary", '2'}, {"schoolInformation", '3'},
                        {"schoolUpdate", '3'}, {"childsView", '4'}))
