#!/usr/bin/env python3
"""schema_coverage.py: which parts of the PEP schema do the sample documents use?

Usage:
    schema_coverage.py [--list] SCHEMA.xsd SAMPLE.xml [SAMPLE.xml ...]

Lists every element path (for example pep/essentialInformation/care/iro/email)
and every attribute path (for example pep/header/localAuthority/@code) that the
schema declares, starting from its global root element(s), and reports those
that none of the given samples uses. Elements and attributes in the samples
that the schema does not declare are reported too (as a warning).

Exit status: 0 when every declared element and attribute is used at least once,
1 when something is unused, 2 on bad usage or an unreadable/unparsable file.

Standard library only. Handles what pep.xsd uses: global elements and
element refs, named and anonymous complex types, sequence/choice/all,
simpleContent/complexContent extensions, attributes and attribute refs.
"""

import sys
import xml.etree.ElementTree as ET

XS = "{http://www.w3.org/2001/XMLSchema}"


def local(tag):
    return tag.rsplit("}", 1)[-1]


def strip_prefix(qname):
    return qname.split(":", 1)[-1] if qname else qname


class Schema:
    def __init__(self, path):
        root = ET.parse(path).getroot()
        if root.tag != XS + "schema":
            raise ValueError(f"{path}: not an XML Schema (root is {root.tag})")
        self.tns = root.get("targetNamespace")
        self.elements = {}      # global element declarations
        self.types = {}         # named complex types
        self.attributes = {}    # global attribute declarations
        self.groups = {}        # named model groups
        self.attr_groups = {}   # named attribute groups
        for child in root:
            name = child.get("name")
            if child.tag == XS + "element":
                self.elements[name] = child
            elif child.tag == XS + "complexType":
                self.types[name] = child
            elif child.tag == XS + "attribute":
                self.attributes[name] = child
            elif child.tag == XS + "group":
                self.groups[name] = child
            elif child.tag == XS + "attributeGroup":
                self.attr_groups[name] = child
        # Roots: global elements not referenced from another declaration.
        referenced = {strip_prefix(e.get("ref")) for e in root.iter(XS + "element") if e.get("ref")}
        self.roots = [n for n in self.elements if n not in referenced] or list(self.elements)

    def paths(self):
        """Every declared element path and attribute path, in document order."""
        out = []
        for name in self.roots:
            self._element(self.elements[name], "", out, set())
        seen, unique = set(), []
        for p in out:
            if p not in seen:
                seen.add(p)
                unique.append(p)
        return unique

    def _element(self, decl, parent, out, active):
        if decl.get("ref"):
            name = strip_prefix(decl.get("ref"))
            decl = self.elements[name]
        name = decl.get("name")
        path = f"{parent}/{name}" if parent else name
        out.append(path)
        key = id(decl)
        if key in active:           # recursive content model: stop here
            return
        active = active | {key}
        type_name = strip_prefix(decl.get("type"))
        if type_name in self.types:
            self._complex(self.types[type_name], path, out, active)
        ct = decl.find(XS + "complexType")
        if ct is not None:
            self._complex(ct, path, out, active)

    def _complex(self, ct, path, out, active):
        for child in ct:
            self._particle(child, path, out, active)

    def _particle(self, node, path, out, active):
        tag = node.tag
        if tag == XS + "element":
            self._element(node, path, out, active)
        elif tag in (XS + "sequence", XS + "choice", XS + "all"):
            for child in node:
                self._particle(child, path, out, active)
        elif tag == XS + "group":
            ref = strip_prefix(node.get("ref"))
            group = self.groups.get(ref, node)
            for child in group:
                self._particle(child, path, out, active)
        elif tag in (XS + "simpleContent", XS + "complexContent"):
            for deriv in node:
                base = strip_prefix(deriv.get("base"))
                if base in self.types:
                    self._complex(self.types[base], path, out, active)
                for child in deriv:
                    self._particle(child, path, out, active)
        elif tag == XS + "attribute":
            name = node.get("name") or strip_prefix(node.get("ref"))
            if node.get("use") != "prohibited":
                out.append(f"{path}/@{name}")
        elif tag == XS + "attributeGroup":
            group = self.attr_groups.get(strip_prefix(node.get("ref")), node)
            for child in group:
                self._particle(child, path, out, active)
        # annotations, anyAttribute, any: nothing to record


def used_paths(sample, tns):
    """Element and attribute paths used in one sample; foreign-namespace nodes are marked."""
    used = set()
    root = ET.parse(sample).getroot()

    def walk(el, parent):
        ns = el.tag[1:].split("}", 1)[0] if el.tag.startswith("{") else None
        name = local(el.tag) if ns == tns else el.tag
        path = f"{parent}/{name}" if parent else name
        used.add(path)
        for attr in el.attrib:
            if attr.startswith("{"):          # xsi:schemaLocation, xml:lang and the like
                continue
            used.add(f"{path}/@{attr}")
        for child in el:
            if isinstance(child.tag, str):
                walk(child, path)

    walk(root, "")
    return used


def main(argv):
    args = argv[1:]
    show_all = False
    if args and args[0] == "--list":
        show_all = True
        args = args[1:]
    if len(args) < 2 or any(a in ("-h", "--help") for a in args):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    xsd, samples = args[0], args[1:]
    try:
        schema = Schema(xsd)
    except (OSError, ET.ParseError, ValueError, KeyError) as exc:
        print(f"schema_coverage: {xsd}: {exc}", file=sys.stderr)
        return 2
    declared = schema.paths()

    used = set()
    for sample in samples:
        try:
            used |= used_paths(sample, schema.tns)
        except (OSError, ET.ParseError) as exc:
            print(f"schema_coverage: {sample}: {exc}", file=sys.stderr)
            return 2

    unused = [p for p in declared if p not in used]
    undeclared = sorted(used - set(declared))

    n_el = sum(1 for p in declared if "/@" not in p)
    n_at = len(declared) - n_el
    if show_all:
        for p in declared:
            print(("  used    " if p in used else "  UNUSED  ") + p)
    print(f"schema declares {n_el} element paths and {n_at} attribute paths; "
          f"{len(samples)} sample(s) use {len(declared) - len(unused)} of {len(declared)}")
    for p in undeclared:
        print(f"warning: not declared by the schema: {p}")
    if unused:
        print(f"unused ({len(unused)}):")
        for p in unused:
            print(f"  {p}")
        return 1
    print("every declared element and attribute is used")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except BrokenPipeError:          # output piped into head and the like
        sys.stderr.close()
        sys.exit(1)
