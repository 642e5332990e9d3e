"""Word (.docx): the anthology as a proper Word document, with python-docx.

The structure is the plain-text export's: a title page (title, subtitle, editor,
introduction), then one ``Heading 1`` per chapter and one ``Heading 2`` per excerpt
(Word's built-in heading styles, so the navigation pane and a table of contents
work), the citation in italics, the themes and note, and the lines with a grey
timecode and the speaker in bold.  Translations, when the spec includes them, are
indented grey paragraphs under their line.

Font: every style, and the document defaults, use :data:`FONT` ("DejaVu Serif") for
all four script slots of ``w:rFonts`` (ascii, hAnsi, eastAsia, cs), and the theme
font references of the default template are removed so they cannot override it.
DejaVu covers Armenian, Georgian, Cyrillic and Azerbaijani Latin; it is the font the
PDF export embeds (matplotlib ships it).  On a machine without DejaVu, Word
substitutes an installed font (on Windows, Sylfaen covers Armenian and Georgian).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ..redaction import Line
from ..util import format_clock
from .corpus import Cancelled, Corpus, Excerpt, Progress, check_cancelled, citation
from .text import excerpt_heading

FONT = "DejaVu Serif"
GREY = RGBColor(0x66, 0x66, 0x66)
_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
_THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _fix(rfonts: OxmlElement) -> None:
    for slot in _THEME_SLOTS:
        rfonts.attrib.pop(qn(slot), None)
    for slot in _SLOTS:
        rfonts.set(qn(slot), FONT)


def _use_font_everywhere(doc: DocumentObject) -> None:
    """FONT in the defaults and every style; no theme font left to override it."""
    styles_element = doc.styles.element
    defaults = styles_element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    targets = [defaults] if defaults is not None else []
    for style in doc.styles:
        if style.element.get(qn("w:type")) in ("paragraph", "character", "table"):
            targets.append(style.element.get_or_add_rPr())
    for rpr in targets:
        rpr.get_or_add_rFonts()
    for rfonts in styles_element.iter(qn("w:rFonts")):
        _fix(rfonts)


def _lang(run, language: str | None) -> None:  # type: ignore[no-untyped-def]
    """Mark a run's language (Word's proofing and font choice)."""
    if not language:
        return
    rpr = run._r.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    rpr.append(lang)


def _line(doc: DocumentObject, line: Line, language: str | None, translations: bool) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(2)
    stamp = paragraph.add_run(f"[{format_clock(line.start)}]\u2002")
    stamp.font.size = Pt(8)
    stamp.font.color.rgb = GREY
    if line.speaker:
        paragraph.add_run(f"{line.speaker}: ").bold = True
    _lang(paragraph.add_run(line.text), line.language or language)
    if translations and line.translation:
        translated = doc.add_paragraph()
        translated.paragraph_format.left_indent = Pt(36)
        translated.paragraph_format.space_after = Pt(6)
        run = translated.add_run(line.translation)
        run.font.color.rgb = GREY
        run.font.size = Pt(10)


def _excerpt(doc: DocumentObject, corpus: Corpus, excerpt: Excerpt) -> None:
    doc.add_heading(excerpt_heading(excerpt), level=2)
    cite = doc.add_paragraph()
    cite.add_run(citation(excerpt, corpus.spec.citation_style)).italic = True
    if excerpt.themes:
        doc.add_paragraph("Themes: " + ", ".join(excerpt.themes))
    if excerpt.note:
        doc.add_paragraph(excerpt.note)
    language = excerpt.languages[0] if len(excerpt.languages) == 1 else None
    if not excerpt.lines:
        doc.add_paragraph().add_run("No transcript.").italic = True
    for line in excerpt.lines:
        _line(doc, line, language, corpus.spec.include_translations)


def build_document(
    corpus: Corpus,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> DocumentObject:
    spec = corpus.spec
    doc = Document()
    _use_font_everywhere(doc)
    props = doc.core_properties
    props.title = spec.title
    props.subject = spec.subtitle or ""
    props.author = spec.editor or ""
    props.last_modified_by = spec.editor or ""
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now

    doc.add_heading(spec.title, level=0)
    if spec.subtitle:
        doc.add_paragraph(spec.subtitle, style="Subtitle")
    if spec.editor:
        doc.add_paragraph(f"Edited by {spec.editor}")
    if spec.introduction:
        for paragraph in spec.introduction.split("\n\n"):
            doc.add_paragraph(" ".join(paragraph.split()))
    made = doc.add_paragraph()
    note = made.add_run(f"Exported from a Side by Side archive on {corpus.made_on.isoformat()}.")
    note.font.size = Pt(9)
    note.font.color.rgb = GREY

    total = max(1, len(corpus.excerpts))
    done = 0
    for chapter in corpus.chapters:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(chapter.title, level=1)
        for excerpt in chapter.excerpts:
            check_cancelled(cancelled)
            _excerpt(doc, corpus, excerpt)
            done += 1
            if progress is not None:
                progress(0.9 * done / total)
    return doc


def render(
    corpus: Corpus,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    doc = build_document(corpus, progress=progress, cancelled=cancelled)
    check_cancelled(cancelled)
    doc.save(str(target))
    if progress is not None:
        progress(1.0)


__all__ = ["FONT", "build_document", "render"]
