#!/usr/bin/env python3
"""Builds the seed corpora and the dictionary of the fuzz targets.

usage: fuzz/seeds.py OUTDIR
Writes OUTDIR/{validate,render,convert,calendar,cli,ttf,edit}/ and OUTDIR/pep.dict. The PEP
seeds are the samples and the hostile inputs, each behind an option byte
(the targets read their options from byte 0). The font seeds are small cuts
of DejaVu Sans and Serif made with fontTools: with composite glyphs nested
as DejaVu nests them (the marks of ễ), and decomposed as make builds pep's
own fonts (build-aux/pepsans.py)."""
import glob
import io
import logging
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEJAVU = "/usr/share/fonts/truetype/dejavu/"


def font_seeds(out):
    """OUTDIR/ttf/: each font twice, behind option bytes 0 (read only) and
    1 (read, then rendered with libharu)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    sys.path.insert(0, os.path.join(ROOT, "build-aux"))
    import pepsans
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    cuts = (("sans-vietnamese", "DejaVuSans.ttf", "Nguyễn Thị Ánh ầếộẫỗự Aa", False),
            ("sans-vietnamese-decomposed", "DejaVuSans.ttf", "Nguyễn Thị Ánh ầếộẫỗự Aa", True),
            ("serif-polish-welsh-icelandic", "DejaVuSerif.ttf", "Łukasz ąęńśźż ŵŷ âðþæö Zoë", False))
    for name, src, text, flat in cuts:
        if not os.path.exists(DEJAVU + src):
            continue
        opts = subset.Options()
        opts.layout_features = []
        opts.hinting = False
        font = TTFont(DEJAVU + src)
        sub = subset.Subsetter(opts)
        sub.populate(text=text)
        sub.subset(font)
        if flat:
            pepsans.decompose(font)
        buf = io.BytesIO()
        font.save(buf)
        for o in (0, 1):
            with open(os.path.join(out, "ttf", "%s-%d.ttf" % (name, o)), "wb") as f:
                f.write(bytes([o]) + buf.getvalue())


def carried_seeds(out):
    """Southwark forms with a carried block (the Kent samples converted with
    xsltproc, when it is installed), as they are, with the meeting moved and
    with a hand-made item: the bindings and verdicts of the carried block."""
    xsltproc = shutil.which("xsltproc")
    if not xsltproc:
        return
    sheet = os.path.join(ROOT, "stylesheets", "kent-to-southwark.xsl")
    forged = (b'<attribute parent="/pep/pepMeeting[1]/targets[1]/target[9]/x&#10;y" name="words">school</attribute>'
              b'<element parent="/pep/header[1]" path="/pep/header[1]/upn[1]" after=" " bound="form">'
              b'<upn xmlns="https://pep-tool.org/ns/pep/1">x</upn></element></carried>')
    for i, p in enumerate(sorted(glob.glob(os.path.join(ROOT, "samples", "*.xml")))[:3]):
        form = subprocess.run([xsltproc, "--nonet", sheet, p], stdout=subprocess.PIPE, check=True).stdout
        moved = re.sub(rb"(<meeting>\s*<date>)[^<]*", rb"\g<1>2026-09-16", form, count=1)
        for name, data in (("as-converted", form), ("meeting-moved", moved),
                           ("hand-made", form.replace(b"</carried>", forged, 1))):
            for t, o in (("convert", 0x00), ("validate", 0x11)):
                with open(os.path.join(out, t, "carried-%d-%s-%s" % (i, name, os.path.basename(p))), "wb") as f:
                    f.write(bytes([o]) + data)


def main():
    out = sys.argv[1]
    for t in ("validate", "render", "convert", "calendar", "cli", "ttf", "edit"):
        shutil.rmtree(os.path.join(out, t), ignore_errors=True)
        os.makedirs(os.path.join(out, t))
    peps = sorted(glob.glob(os.path.join(ROOT, "samples", "*.xml")) + glob.glob(os.path.join(ROOT, "samples", "invalid", "*.xml"))
                  + glob.glob(os.path.join(ROOT, "tests", "hostile", "*.xml")))
    for i, p in enumerate(peps):
        with open(p, "rb") as f:
            data = f.read()
        for t, opts in (("validate", (0x11, 0x12)), ("render", (0x00, 0x03)), ("convert", (0x01,))):
            for o in opts:
                with open(os.path.join(out, t, "%03d-%02x-%s" % (i, o, os.path.basename(p))), "wb") as f:
                    f.write(bytes([o]) + data)
    for i, p in enumerate(sorted(glob.glob(os.path.join(ROOT, "samples", "southwark", "*.xml")))):
        with open(p, "rb") as f:
            data = f.read()
        for t, o in (("convert", 0x00), ("validate", 0x11), ("render", 0x00)):
            with open(os.path.join(out, t, "sw-%02d-%s" % (i, os.path.basename(p))), "wb") as f:
                f.write(bytes([o]) + data)
    carried_seeds(out)
    for p in sorted(glob.glob(os.path.join(ROOT, "data", "calendars", "*.xml")) + glob.glob(os.path.join(ROOT, "tests", "calendars", "*.xml"))):
        shutil.copy(p, os.path.join(out, "calendar"))
    for p in sorted(glob.glob(os.path.join(ROOT, "fuzz", "seeds", "cli", "*"))):
        shutil.copy(p, os.path.join(out, "cli"))
    font_seeds(out)
    # pep edit's changes (fuzz_edit.c): on each sample and new PEP, the kinds
    # of change the page sends, with ids where elements usually are.
    changes = [
        b"s\t1\theader/formState\t\tmeeting-held\n",
        b"s\t1\teducationInformation/attendance/percentage\t\t120\ns\t1\teducationInformation/attendance/percentage\t\t91.5\n",
        b"a\t1\tpepMeeting/targets/target\t\t\ns\t1\tpepMeeting/targets/target/area\t\tacademic\n",
        b"c\t1\tessentialInformation/school\t\t\nc\t1\tessentialInformation/noEducationalProvision\t\t\n",
        b"s\t1\theader/localAuthority\tcode\tkent\ns\t1\teducationInformation/previousSchools\tnone\tyes\n",
        b"r\t40\t\t\t\nr\t120\t\t\t\ns\t7\t\t\tZo\xc3\xab \xc5\x81ukasz\n",
        b"a\t1\tpepMeeting/signOff/sectionComplete\t\t\na\t1\tattachments/attachment\t\t\n",
        b"s\t1\tessentialInformation/health/sdq/score\t\t41\ns\t1\tessentialInformation/health/sdq/score\t\t\n",
    ]
    for pick in range(15):
        for i, c in enumerate(changes):
            with open(os.path.join(out, "edit", "%02d-%d" % (pick, i)), "wb") as f:
                f.write(bytes([pick | (0x80 if i == 2 else 0)]) + c)
    # The same on the PEPs on Southwark's form (bit 6): two of them.
    for pick in range(2):
        for i, c in enumerate(changes):
            with open(os.path.join(out, "edit", "sw-%02d-%d" % (pick, i)), "wb") as f:
                f.write(bytes([pick | 0x40 | (0x80 if i == 2 else 0)]) + c)
    words = set()
    for x in ("pep.xsd", "calendar.xsd"):
        with open(os.path.join(ROOT, "schemas", x), encoding="utf-8") as f:
            text = f.read()
        words |= set(re.findall(r'<xs:element name="(\w+)"', text))
        words |= set(re.findall(r'<xs:attribute name="(\w+)"', text))
        words |= set(re.findall(r'<xs:enumeration value="([\w-]+)"', text))
    with open(os.path.join(out, "pep.dict"), "w") as f:
        for w in sorted(words):
            f.write('"<%s>"\n"</%s>"\n"%s"\n' % (w, w, w))
        f.write('"xmlns=\\"https://pep-tool.org/ns/pep/1\\""\n"<!DOCTYPE"\n"<![CDATA["\n"&amp;"\n"2026-02-29"\n')


if __name__ == "__main__":
    main()
