"""Derive a PEP from a sample by a few edits, and find element lines.

Paths are slash-separated local names below the root, with 1-based indexes
and [child=value] predicates: "pepMeeting/targets/target[2]/deadline",
"attachments/attachment[kind=ehc-plan]". Edits:
    ("set", path, text)        set the text of every match
    ("remove", path)           remove every match
    ("append", path, fragment) append an XML fragment (in the PEP namespace)
    ("attr", path, name, value)
    ("comment", path, text)    put <!--text--> first in every match, on its
                               start tag's line
"""
import re
import xml.etree.ElementTree as ET
import xml.parsers.expat

NS = "https://pep-tool.org/ns/pep/1"
ET.register_namespace("", NS)


def _etpath(path):
    steps = []
    for step in path.split("/"):
        m = re.fullmatch(r"([A-Za-z0-9]+)(?:\[(.+)\])?", step)
        if not m:
            raise ValueError("bad path step %r" % step)
        name, pred = m.groups()
        s = "p:" + name
        if pred:
            if pred.isdigit():
                s += "[%s]" % pred
            else:
                k, v = pred.split("=", 1)
                s += "[p:%s='%s']" % (k, v)
        steps.append(s)
    return "./" + "/".join(steps)


def _find(root, path):
    found = root.findall(_etpath(path), {"p": NS})
    if not found:
        raise AssertionError("no element at %s" % path)
    return found


def _parent_map(root):
    return {c: p for p in root.iter() for c in p}


def load(path):
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    return ET.parse(path, parser).getroot()


def apply(root, edits):
    for e in edits:
        op, path = e[0], e[1]
        if op == "set":
            for el in _find(root, path):
                el.text = e[2]
        elif op == "remove":
            parents = _parent_map(root)
            for el in _find(root, path):
                parents[el].remove(el)
        elif op == "append":
            frag = ET.fromstring('<w xmlns="%s">%s</w>' % (NS, e[2]))
            for el in _find(root, path):
                for child in list(frag):
                    el.append(child)
        elif op == "attr":
            for el in _find(root, path):
                el.set(e[2], e[3])
        elif op == "comment":
            for el in _find(root, path):
                c = ET.Comment(e[2])
                c.tail, el.text = el.text, None
                el.insert(0, c)
        else:
            raise ValueError(op)
    return root


def serialise(root):
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def line_of(root, text, path):
    """The line where the element at path starts in text (the serialised
    root): elements are matched in document order, counted by expat."""
    target = _find(root, path)[0]
    order = [el for el in root.iter() if isinstance(el.tag, str)]
    index = order.index(target)
    lines = []
    p = xml.parsers.expat.ParserCreate()
    p.StartElementHandler = lambda name, attrs: lines.append(p.CurrentLineNumber)
    p.Parse(text.encode("utf-8"), True)
    return lines[index]
