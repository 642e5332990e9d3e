"""Search results for picking excerpts in an anthology builder, cleared like an export.

An editor building a book searches for passages; what the builder shows is an export
preview, so it obeys the same rules: hits in interviews that consent keeps out are
not shown (only counted), and snippets are cut from the *redacted* text.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..consent import Purpose
from ..redaction import Redaction, interview_terms, redact_segment, redact_text
from ..search import SearchFilters, snippet
from ..search_query import parse_query, positive_terms
from .corpus import _clip_consents, _Context, _load, _name_terms, _permission
from .spec import AnthologySpec

if TYPE_CHECKING:
    from ..archive import Archive


@dataclass(frozen=True)
class ExportHit:
    interview_id: str
    start: float
    end: float
    snippet: str  # matches between ⟦ and ⟧, from redacted text only
    credit: str
    clip_id: int | None = None
    kind: str = "segment"


@dataclass
class ExportHits:
    hits: list[ExportHit]
    hidden: Counter[str] = field(default_factory=Counter)  # reason -> hits left out


def search_for_export(
    archive: Archive,
    query: str,
    *,
    purpose: Purpose | str = Purpose.PUBLICATION,
    filters: SearchFilters | None = None,
    limit: int = 50,
    today: dt.date | None = None,
) -> ExportHits:
    """Search, keep what ``purpose`` allows, and snippet the redacted text."""
    raw = archive.search(query, filters, limit=limit)
    node = parse_query(query)
    terms = positive_terms(node) if node is not None else []
    ctx = _Context(archive, AnthologySpec(), Purpose(purpose), today or dt.date.today())
    _load(ctx, list(dict.fromkeys(h.interview_id for h in raw)))
    out = ExportHits([])
    closed_by_clip: dict[str, list[Redaction]] = {}

    def closed(interview_id: str) -> list[Redaction]:
        if interview_id not in closed_by_clip:
            closed_by_clip[interview_id] = _clip_consents(ctx, interview_id).closed
        return closed_by_clip[interview_id]

    for hit in raw:
        clip = None
        if hit.clip_id is not None:
            clip = archive.clips.get(hit.clip_id)
        override = archive.consent.clip(hit.clip_id) if hit.clip_id is not None else None
        permission = _permission(ctx, hit.interview_id, override)
        if not permission.allowed:
            out.hidden[permission.reason] += 1
            continue
        redactions = [*ctx.redactions.get(hit.interview_id, []), *closed(hit.interview_id)]
        names = _name_terms(ctx, hit.interview_id, permission)
        words = [*interview_terms(redactions), *names]
        if hit.segment_id is not None:
            line, _ = redact_segment(
                archive.segments.get(hit.segment_id), redactions, extra_terms=names
            )
            text = line.translation if hit.field == "translation" else line.text
        elif clip is not None:
            text = redact_text(clip.title if hit.field == "title" else clip.note, words)
        else:
            interview = ctx.interviews[hit.interview_id]
            value = {"title": interview.title, "summary": interview.summary}.get(hit.field)
            text = redact_text(value, words) if value else permission.credit
        cut, _ = snippet(text or "", terms)
        out.hits.append(
            ExportHit(
                interview_id=hit.interview_id,
                start=hit.start,
                end=hit.end,
                snippet=cut,
                credit=permission.credit,
                clip_id=hit.clip_id,
                kind=hit.kind,
            )
        )
    return out
