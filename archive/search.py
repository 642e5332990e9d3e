"""Full-text search over transcripts (FTS5, ranked with bm25, highlighted snippets)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from .records import SearchHit
from .util import InvalidInputError

if TYPE_CHECKING:
    from .archive import Archive

SNIPPET_OPEN = "\u27e6"  # ⟦ and ⟧ mark the match; the UI turns them into highlighting
SNIPPET_CLOSE = "\u27e7"


def search_segments(archive: Archive, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Segments matching an FTS5 query, best first."""
    query = query.strip()
    if not query:
        return []
    sql = """
        SELECT s.interview_id, s.id AS segment_id, s.start, s."end",
               snippet(segments_fts, 0, ?, ?, '…', 12) AS snippet,
               bm25(segments_fts) AS rank
        FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid
        WHERE segments_fts MATCH ?
        ORDER BY rank LIMIT ?
    """
    try:
        rows = archive.db.query(sql, [SNIPPET_OPEN, SNIPPET_CLOSE, query, limit])
        return [SearchHit(**r) for r in rows]
    except sqlite3.OperationalError as exc:
        raise InvalidInputError(f"Cannot search for {query!r}: {exc}.") from exc
