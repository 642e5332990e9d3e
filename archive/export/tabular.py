"""Metadata as CSV (one row per interview) and everything as JSON.

CSV is written as UTF-8 *with* a byte-order mark: Excel opens a BOM-less CSV in the
machine's legacy code page and turns Armenian, Georgian, Cyrillic and Azerbaijani
letters into mojibake; with the BOM it reads UTF-8, and every other CSV reader
(Python's ``utf-8-sig``, LibreOffice, pandas) skips it.  Values are written as they
are: no spreadsheet-formula escaping, which would change the data a partner archive
imports.

JSON holds the whole cleared corpus: the spec's title and purpose, when it was made,
how many items consent left out (counts only), the interviews with their metadata
and clips, and the chapters with their excerpts, lines and (when the spec includes
them) translations.  :func:`interview_record` is reused for the BagIt deposit's
``metadata.json``.

The renderers that :data:`archive.export.FORMATS` names are the thin modules
:mod:`.tabular_csv` and :mod:`.tabular_json`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from ..redaction import Line
from .corpus import Cancelled, Corpus, Excerpt, InterviewEntry, Progress, check_cancelled, citation

FORMAT_NAME = "sidebyside-export"
FORMAT_VERSION = 1

CSV_COLUMNS = (
    "id",
    "title",
    "narrator",
    "recorded_on",
    "place",
    "languages",
    "duration_seconds",
    "consent_level",
    "embargo_until",
    "themes",
    "summary",
    "excerpts",
)
LIST_SEPARATOR = "; "


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


def line_record(line: Line, *, translations: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "start": _seconds(line.start),
        "end": _seconds(line.end),
        "speaker": line.speaker,
        "text": line.text,
        "language": line.language,
    }
    if translations:
        out["translation"] = line.translation
    return out


def excerpt_record(corpus: Corpus, excerpt: Excerpt, *, lines: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": excerpt.key,
        "interview_id": excerpt.interview_id,
        "clip_id": excerpt.clip_id,
        "start": _seconds(excerpt.start),
        "end": _seconds(excerpt.end),
        "title": excerpt.title,
        "note": excerpt.note,
        "narrator": excerpt.credit,
        "real_name_shown": excerpt.real_name_shown,
        "recorded_on": excerpt.recorded_on,
        "place": excerpt.place,
        "languages": list(excerpt.languages),
        "themes": list(excerpt.themes),
        "consent_level": excerpt.level,
        "citation": citation(excerpt, corpus.spec.citation_style),
        "redacted_ranges": [[_seconds(a), _seconds(b)] for a, b in excerpt.redacted_ranges],
    }
    if lines:
        translations = corpus.spec.include_translations
        out["lines"] = [line_record(ln, translations=translations) for ln in excerpt.lines]
    return out


def all_themes(entry: InterviewEntry) -> list[str]:
    """The interview's own themes, then its clips' (each once)."""
    return list(dict.fromkeys([*entry.themes, *(t for c in entry.clips for t in c.themes)]))


def interview_record(corpus: Corpus, entry: InterviewEntry) -> dict[str, Any]:
    """One interview's cleared metadata, its clips, and its transcript (whole unit)."""
    translations = corpus.spec.include_translations
    out: dict[str, Any] = {
        "id": entry.id,
        "title": entry.title,
        "narrator": entry.credit,
        "real_name_shown": entry.real_name_shown,
        "recorded_on": entry.recorded_on,
        "place": entry.place,
        "languages": list(entry.languages),
        "duration_seconds": _seconds(entry.duration),
        "consent_level": entry.level,
        "embargo_until": entry.embargo_until,
        "themes": all_themes(entry),
        "summary": entry.summary,
        "has_recording": entry.has_recording,
    }
    if entry.interviewer is not None:
        out["interviewer"] = entry.interviewer
    out["clips"] = [excerpt_record(corpus, c, lines=False) for c in entry.clips]
    if corpus.spec.unit == "interviews":
        out["redacted_ranges"] = [[_seconds(a), _seconds(b)] for a, b in entry.redacted_ranges]
        out["transcript"] = [line_record(ln, translations=translations) for ln in entry.lines]
    return out


def corpus_record(
    corpus: Corpus,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> dict[str, Any]:
    spec = corpus.spec
    interviews = []
    for n, entry in enumerate(corpus.interviews, 1):
        check_cancelled(cancelled)
        interviews.append(interview_record(corpus, entry))
        if progress is not None:
            progress(0.5 * n / len(corpus.interviews))
    chapters = []
    for chapter in corpus.chapters:
        check_cancelled(cancelled)
        chapters.append(
            {
                "title": chapter.title,
                "excerpts": [excerpt_record(corpus, e) for e in chapter.excerpts],
            }
        )
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "title": spec.title,
        "subtitle": spec.subtitle,
        "editor": spec.editor,
        "introduction": spec.introduction,
        "purpose": corpus.purpose.value,
        "made_on": corpus.made_on.isoformat(),
        "unit": spec.unit,
        "group_by": spec.group_by,
        "citation_style": spec.citation_style,
        "include_translations": spec.include_translations,
        "excluded": dict(sorted(corpus.excluded.items())),
        "interviews": interviews,
        "chapters": chapters,
    }


def json_text(corpus: Corpus, **kwargs: Any) -> str:
    return json.dumps(corpus_record(corpus, **kwargs), ensure_ascii=False, indent=2) + "\n"


def csv_row(entry: InterviewEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "title": entry.title or "",
        "narrator": entry.credit,
        "recorded_on": entry.recorded_on or "",
        "place": entry.place or "",
        "languages": LIST_SEPARATOR.join(entry.languages),
        "duration_seconds": "" if entry.duration is None else f"{entry.duration:.3f}",
        "consent_level": entry.level,
        "embargo_until": entry.embargo_until or "",
        "themes": LIST_SEPARATOR.join(all_themes(entry)),
        "summary": entry.summary or "",
        "excerpts": len(entry.clips),
    }


def csv_text(corpus: Corpus, *, cancelled: Cancelled | None = None) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for entry in corpus.interviews:
        check_cancelled(cancelled)
        writer.writerow(csv_row(entry))
    return buffer.getvalue()


def render_csv(
    corpus: Corpus,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """One row per interview, UTF-8 with a BOM (see the module docstring)."""
    text = csv_text(corpus, cancelled=cancelled)
    check_cancelled(cancelled)
    with open(target, "w", encoding="utf-8-sig", newline="") as f:
        f.write(text)
    if progress is not None:
        progress(1.0)


def render_json(
    corpus: Corpus,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    text = json_text(corpus, progress=progress, cancelled=cancelled)
    check_cancelled(cancelled)
    with open(target, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    if progress is not None:
        progress(1.0)


__all__ = [
    "CSV_COLUMNS",
    "corpus_record",
    "csv_text",
    "excerpt_record",
    "interview_record",
    "json_text",
    "render_csv",
    "render_json",
]
