#!/usr/bin/env python3
"""Makes one of the fonts pep render embeds (run by make; fontTools).

usage: build-aux/pepsans.py IN.ttf OUT.ttf UNICODES

Cuts the TrueType font IN.ttf to the characters UNICODES names (as
pyftsubset's --unicodes: "U+0020-007E,U+00A0-024F,..."), with no layout
features, and then decomposes every composite glyph into a simple one, so
that the font has no glyph built from other glyphs.

Why: libharu 2.3.0 (Debian's) embeds a subset of the font in each PDF. It
keeps the glyphs drawn and the parts of a composite glyph, but not the parts
of those parts (libharu issue #79, pull request #54; not in 2.3.0). DejaVu
Sans builds a letter with two marks, such as the e with circumflex and tilde
of "Nguyễn", from the letter and a composite of the two marks, so the marks
were dropped and the letter printed bare, while pdftotext still read it
right. A font without composites cannot lose a part. (pep also keeps every
part of every glyph drawn from a font given with --font: src/pdf.c.)

The head table keeps the source font's dates, so the same DejaVu gives the
same bytes. Fails (exit 1) if a composite glyph is left or a character of
UNICODES covers more or less
(by 1%) of the em in OUT.ttf than in IN.ttf."""
import logging
import os
import sys

from fontTools import subset
from fontTools.pens.areaPen import AreaPen
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont


def decompose(font):
    """Replaces each composite glyph of font by a simple glyph of the same
    outline; returns how many there were."""
    glyf = font["glyf"]
    glyphs = font.getGlyphSet()
    n = 0
    for name in font.getGlyphOrder():
        if not glyf[name].isComposite():
            continue
        rec = DecomposingRecordingPen(glyphs)
        glyphs[name].draw(rec)
        pen = TTGlyphPen(None)
        rec.replay(pen)
        glyf[name] = pen.glyph()
        n += 1
    return n


def ink(font, cp):
    """The area the glyph of character cp covers, all parts drawn (in font
    units, rounded); None when the font has no glyph for it."""
    name = font.getBestCmap().get(cp)
    if name is None:
        return None
    pen = AreaPen(font.getGlyphSet())
    font.getGlyphSet()[name].draw(pen)
    return round(abs(pen.value))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    src, out, unicodes = sys.argv[1:]
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "FFTM NOT subset" and such
    opts = subset.Options()
    opts.layout_features = []
    font = TTFont(src, recalcTimestamp=False)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=subset.parse_unicodes(unicodes))
    sub.subset(font)
    before = {cp: ink(font, cp) for cp in font.getBestCmap()}
    decompose(font)
    tmp = out + ".tmp"
    font.save(tmp)

    # Read back what was written: no composite, no outline lost.
    made = TTFont(tmp)
    glyf = made["glyf"]
    left = [g for g in made.getGlyphOrder() if glyf[g].isComposite()]
    lost = ["U+%04X" % cp for cp, a in sorted(before.items()) if abs(ink(made, cp) - a) > a / 100]
    if left or lost:
        os.unlink(tmp)
        sys.exit("%s: %d composite glyphs left (%s); characters whose ink changed: %s"
                 % (out, len(left), " ".join(left[:10]), " ".join(lost[:10]) or "none"))
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
