"""OHMS XML: one record per interview, for the Oral History Metadata Synchronizer.

The element names, their order and their types follow the OHMS XML schema of the
Louie B. Nunn Center (namespace ``https://www.weareavp.com/nunncenter/ohms``, schema
``https://www.weareavp.com/nunncenter/ohms/ohms.xsd``, version 5.4), as checked
against the copy kept in sciencehistory/scihist_digicoll (``lib/ohms/ohms.xsd``):
``ROOT/record[@id (xs:int), @dt (xs:date)]`` with ``version``, ``date[@value,
@format]``, ``date_nonpreferred_format``, ``cms_record_id``, ``title``,
``accession``, ``duration``, ``collection_name``, ``repository``, ``subject*``,
``keyword*``, ``interviewee*``, ``interviewer*``, ``format*``, ``translate``,
``language``, ``index/point*`` (``time`` as whole seconds, ``title``,
``partial_transcript``, ``partial_transcript_alt``, ``synopsis``, ``keywords``,
``subjects``; several keywords or subjects in one point are separated by ``;``),
``description``, ``transcript``, ``transcript_alt``, ``rights``, ``fmt``,
``userestrict``.  The schema wants them in this order.

Index points are the interview's cleared clips; the transcript is the whole
interview's lines (``interviews`` unit) or the lines of its clips.  No media URL:
nothing of this archive is hosted anywhere.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..redaction import Line
from ..util import format_clock
from .corpus import Cancelled, Corpus, Excerpt, InterviewEntry, Progress, check_cancelled
from .text import excerpt_heading

NS = "https://www.weareavp.com/nunncenter/ohms"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS}/ohms.xsd"
VERSION = "5.4"
REPOSITORY = "Side by Side archive"
PARTIAL_WORDS = 12

# OHMS files use the OHMS namespace as the default one (no prefix).  ElementTree's
# prefix table is process-wide; this only affects elements in the OHMS namespace.
ET.register_namespace("", NS)


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _add(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _q(name), attrs)
    if text is not None:
        element.text = text
    return element


def _date(recorded_on: str | None) -> tuple[str, str]:
    """``date`` value and format: OHMS prefers yyyy-mm-dd; partial dates keep theirs."""
    if not recorded_on:
        return "", ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", recorded_on):
        return recorded_on, "yyyy-mm-dd"
    if re.fullmatch(r"\d{4}-\d{2}", recorded_on):
        return recorded_on, "yyyy-mm"
    return recorded_on, "yyyy"


def _transcript(lines: Iterable[Line], *, translated: bool) -> str:
    out = []
    for line in lines:
        text = line.translation if translated else line.text
        if not text:
            continue
        out.append(f"{line.speaker.upper()}: {text}" if line.speaker else text)
    return "\n\n".join(out)


def _partial(lines: Sequence[Line], *, translated: bool = False) -> str:
    """The first words of an index point, as OHMS shows them."""
    for line in lines:
        text = line.translation if translated else line.text
        if text:
            words = text.split()
            return " ".join(words[:PARTIAL_WORDS]) + (" …" if len(words) > PARTIAL_WORDS else "")
    return ""


def _lines_of(corpus: Corpus, entry: InterviewEntry) -> list[Line]:
    if corpus.spec.unit == "interviews":
        return list(entry.lines)
    seen: dict[tuple[float, float, str], Line] = {}
    for clip in entry.clips:
        for line in clip.lines:
            seen.setdefault((line.start, line.end, line.text), line)
    return sorted(seen.values(), key=lambda ln: (ln.start, ln.end))


def _point(index: ET.Element, clip: Excerpt, translations: bool) -> None:
    point = _add(index, "point")
    _add(point, "time", str(int(clip.start)))
    _add(point, "title", excerpt_heading(clip))
    _add(point, "partial_transcript", _partial(clip.lines))
    if translations:
        _add(point, "partial_transcript_alt", _partial(clip.lines, translated=True))
    _add(point, "synopsis", clip.note or "")
    _add(point, "keywords", "; ".join(k for k in (clip.place, clip.year) if k))
    _add(point, "subjects", "; ".join(clip.themes))


def _rights(entry: InterviewEntry) -> str:
    text = f"Consent level: {entry.level}."
    if entry.level == "restricted" or not entry.publish:
        text += " For research access only; not for publication."
    if entry.embargo_until:
        text += f" Embargoed until {entry.embargo_until} (ended)."
    return text


def record_element(corpus: Corpus, entry: InterviewEntry, number: int = 1) -> ET.Element:
    """The ``ROOT`` element with one ``record`` for ``entry``."""
    root = ET.Element(_q("ROOT"), {f"{{{XSI}}}schemaLocation": f"{NS} {SCHEMA_LOCATION}"})
    record = _add(root, "record", id=str(number), dt=corpus.made_on.isoformat())
    _add(record, "version", VERSION)
    value, fmt = _date(entry.recorded_on)
    _add(record, "date", value=value, format=fmt or "yyyy-mm-dd")
    if fmt and fmt != "yyyy-mm-dd":
        _add(record, "date_nonpreferred_format", value)
    _add(record, "cms_record_id", entry.id)
    _add(record, "title", entry.title or f"Interview with {entry.credit}")
    _add(record, "accession", entry.id)
    if entry.duration is not None:
        _add(record, "duration", format_clock(entry.duration))
    _add(record, "collection_name", corpus.spec.title)
    _add(record, "repository", REPOSITORY)
    subjects = list(dict.fromkeys([*entry.themes, *(t for c in entry.clips for t in c.themes)]))
    for subject in subjects:
        _add(record, "subject", subject)
    if entry.place:
        _add(record, "keyword", entry.place)
    _add(record, "interviewee", entry.credit)
    if entry.interviewer:
        _add(record, "interviewer", entry.interviewer)
    _add(record, "format", "audio")
    lines = _lines_of(corpus, entry)
    translated = corpus.spec.include_translations and any(ln.translation for ln in lines)
    _add(record, "translate", "1" if translated else "0")
    if entry.languages:
        _add(record, "language", ", ".join(entry.languages))
    index = _add(record, "index")
    for clip in sorted(entry.clips, key=lambda c: (c.start, c.end)):
        _point(index, clip, translated)
    if entry.summary:
        _add(record, "description", entry.summary)
    _add(record, "transcript", _transcript(lines, translated=False))
    if translated:
        _add(record, "transcript_alt", _transcript(lines, translated=True))
    _add(record, "rights", _rights(entry))
    _add(record, "fmt", "audio")
    if entry.level == "restricted" or not entry.publish:
        _add(record, "userestrict", "1")
    return root


def ohms_xml(corpus: Corpus, entry: InterviewEntry, number: int = 1) -> bytes:
    """One interview's OHMS XML document, UTF-8 with an XML declaration."""
    root = record_element(corpus, entry, number)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def render(
    corpus: Corpus,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """One ``.xml`` per interview: ``target`` itself, or a folder of ``<id>.xml``."""
    documents = []
    for n, entry in enumerate(corpus.interviews, 1):
        check_cancelled(cancelled)
        documents.append((entry, ohms_xml(corpus, entry, n)))
        if progress is not None:
            progress(0.8 * n / len(corpus.interviews))
    check_cancelled(cancelled)
    if len(documents) == 1:
        target.write_bytes(documents[0][1])
    else:
        target.mkdir()
        for entry, data in documents:
            (target / f"{entry.id}.xml").write_bytes(data)
    if progress is not None:
        progress(1.0)


__all__ = ["NS", "ohms_xml", "record_element", "render"]
