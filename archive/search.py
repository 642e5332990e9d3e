"""Search across the archive: transcripts, translations, clips and interviews.

The user's query is parsed here into a safe FTS5 expression over the *folded* index
(see :mod:`archive.folding` and migration 0002), so a query in one script finds the
others.  Hits are ranked with bm25, filtered by theme (with sub-themes), narrator,
language, place, date and transcription status, and carry a snippet cut from the
*original* text with the matching words between ⟦ and ⟧.

The query language is in :mod:`archive.search_query`, the filters in
:mod:`archive.search_filters`.  A place's name finds the place's other names too:
``Stepanakert`` finds ``Khankendi`` and ``Ստեփանակերտ`` (the gazetteer,
:mod:`archive.places`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .folding import spans
from .search_filters import (
    Plan,
    Scope,
    SearchFilters,
    clip_plan,
    interview_plan,
    resolve_filters,
    segment_plan,
)
from .search_query import Term, all_terms, expand_places, parse_query, positive_terms, to_fts
from .util import InvalidInputError

if TYPE_CHECKING:
    from .archive import Archive

__all__ = ["SearchFilters", "SearchHit", "optimize_index", "search_archive", "snippet"]

SNIPPET_OPEN = "\u27e6"  # ⟦ and ⟧ mark the match; the UI turns them into highlighting
SNIPPET_CLOSE = "\u27e7"
SNIPPET_ELLIPSIS = "…"
SNIPPET_WORDS = 16
HIT_KINDS = ("segment", "clip", "interview")


@dataclass(frozen=True)
class SearchHit:
    """One place in the archive that matches, and how to open the interview there.

    ``kind`` is ``segment`` (a transcript segment: ``segment_id``), ``clip``
    (``clip_id``) or ``interview`` (its title, summary or narrator's pseudonym; start
    0).  ``field`` names what matched: text, translation, title, note, summary,
    pseudonym.  ``rank`` is bm25 (lower is better).
    """

    interview_id: str
    segment_id: int | None
    start: float
    end: float
    snippet: str
    rank: float
    kind: str = "segment"
    clip_id: int | None = None
    field: str = "text"
    language: str | None = None


# -- snippets -----------------------------------------------------------------


def _marks(toks: Sequence[tuple[int, int, str]], terms: Iterable[Term]) -> list[bool]:
    """Which words of a text the positive terms match (phrases only where whole)."""
    marked = [False] * len(toks)
    words = {t.words[0] for t in terms if len(t.words) == 1 and not t.prefix}
    prefixes = tuple(t.words[0] for t in terms if len(t.words) == 1 and t.prefix)
    for i, (_, _, folded) in enumerate(toks):
        if folded in words or (prefixes and folded.startswith(prefixes)):
            marked[i] = True
    for term in terms:
        size = len(term.words)
        if size == 1:
            continue
        last = size - 1
        for i in range(len(toks) - last):
            if toks[i][2] != term.words[0]:
                continue
            if all(
                toks[i + k][2] == word
                or (term.prefix and k == last and toks[i + k][2].startswith(word))
                for k, word in enumerate(term.words)
            ):
                marked[i : i + size] = [True] * size
    return marked


def snippet(text: str, terms: Sequence[Term], *, words: int = SNIPPET_WORDS) -> tuple[str, int]:
    """A window of ``words`` words of ``text`` around its best cluster of matches,
    the matches between ⟦ and ⟧.  Returns the snippet and how many words matched."""
    toks = spans(text)
    if not toks:
        return text.strip(), 0
    marked = _marks(toks, terms)
    best_start = 0
    best = count = sum(marked[:words])
    for start in range(1, len(toks) - words + 1):
        count += marked[start + words - 1] - marked[start - 1]
        if count > best:
            best_start, best = start, count
    if best:
        # Give the first match some words of context before it (this drops only
        # unmatched words from the window's start).
        first = marked.index(True, best_start)
        best_start = max(best_start, min(first - words // 4, len(toks) - words))
    end = min(len(toks), best_start + words)
    out: list[str] = []
    cursor = 0 if best_start == 0 else toks[best_start][0]
    if best_start > 0:
        out.append(SNIPPET_ELLIPSIS)
    i = best_start
    while i < end:
        if marked[i]:
            j = i
            while j + 1 < end and marked[j + 1]:
                j += 1
            out.append(text[cursor : toks[i][0]])
            out.append(SNIPPET_OPEN + text[toks[i][0] : toks[j][1]] + SNIPPET_CLOSE)
            cursor = toks[j][1]
            i = j + 1
        else:
            i += 1
    if end < len(toks):
        out.append(text[cursor : toks[end - 1][1]] + SNIPPET_ELLIPSIS)
    else:
        out.append(text[cursor:])
    return "".join(out).strip(), best


def _best_field(fields: Sequence[tuple[str, str | None]], terms: Sequence[Term]) -> tuple[str, str]:
    """The field whose text matched most (the first on a tie), and its snippet."""
    best: tuple[str, str, int] | None = None
    for name, text in fields:
        if not text:
            continue
        cut, count = snippet(text, terms)
        if best is None or count > best[2]:
            best = (name, cut, count)
    return (best[0], best[1]) if best else (fields[0][0], "")


# -- running it ---------------------------------------------------------------

# Columns the user's words are looked for in (segments_fold's scope is for filters).
_SEARCHED = {"segments_fold": "{text translation}", "clips_fold": "", "interviews_fold": ""}


def _ranked(
    archive: Archive, table: str, key: str, join: str, match: str, plan: Plan, limit: int
) -> list[tuple[float, Any]]:
    """(rank, key) of the best ``limit`` rows of an FTS table, filtered.

    FTS5 sorts by rank itself; the LIMIT applies before any join, and a row condition
    (which needs the join) is checked in rank order until the page is full.
    """
    if plan.empty:
        return []
    columns = _SEARCHED[table]
    expression = f"{columns} : ({match})" if columns else match
    if plan.fts:
        expression = " AND ".join([f"({expression})", *plan.fts])
    where = "".join(f" AND {c}" for c in plan.conditions)
    sql = (
        f"SELECT f.rank, {key} FROM {table} f {join if plan.conditions else ''} "
        f"WHERE f.{table} MATCH ?{where} ORDER BY f.rank LIMIT ?"
    )
    rows = archive.db.execute(sql, [expression, *plan.params, limit]).fetchall()
    return [(r[0], r[1]) for r in rows]


def _rank_segments(archive: Archive, match: str, scope: Scope, limit: int) -> list[Any]:
    join = "JOIN segments s ON s.id = f.rowid"
    return _ranked(archive, "segments_fold", "f.rowid", join, match, segment_plan(scope), limit)


def _rank_clips(archive: Archive, match: str, scope: Scope, limit: int) -> list[Any]:
    join = "JOIN clips c ON c.id = f.rowid"
    return _ranked(archive, "clips_fold", "f.rowid", join, match, clip_plan(scope), limit)


def _rank_interviews(archive: Archive, match: str, scope: Scope, limit: int) -> list[Any]:
    plan = interview_plan(scope)
    return _ranked(archive, "interviews_fold", "f.interview_id", "", match, plan, limit)


def _marks_for(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _rows(archive: Archive, sql: str, keys: list[Any]) -> dict[Any, dict[str, Any]]:
    if not keys:
        return {}
    return {r["id"]: r for r in archive.db.query(sql.format(_marks_for(keys)), keys)}


def _hits(
    archive: Archive, page: list[tuple[float, str, Any]], terms: list[Term]
) -> list[SearchHit]:
    """The hits of one page, with snippets from the original text."""
    keys: dict[str, list[Any]] = {kind: [] for kind in HIT_KINDS}
    for _, kind, key in page:
        keys[kind].append(key)
    segments = _rows(
        archive,
        'SELECT id, interview_id, start, "end", text, translation, language FROM segments '
        "WHERE id IN ({})",
        keys["segment"],
    )
    clips = _rows(
        archive,
        'SELECT id, interview_id, start, "end", title, note FROM clips WHERE id IN ({})',
        keys["clip"],
    )
    # The pseudonym only: a narrator's real name never reaches a search result.
    interviews = _rows(
        archive,
        "SELECT i.id, i.title, i.summary, i.duration, n.pseudonym FROM interviews i "
        "LEFT JOIN narrators n ON n.id = i.narrator_id WHERE i.id IN ({})",
        keys["interview"],
    )
    hits = []
    for rank, kind, key in page:
        if kind == "segment":
            row = segments[key]
            name, cut = _best_field(
                [("text", row["text"]), ("translation", row["translation"])], terms
            )
            hit = SearchHit(
                row["interview_id"], row["id"], row["start"], row["end"], cut, rank,
                kind=kind, field=name, language=row["language"],
            )  # fmt: skip
        elif kind == "clip":
            row = clips[key]
            name, cut = _best_field([("title", row["title"]), ("note", row["note"])], terms)
            hit = SearchHit(
                row["interview_id"], None, row["start"], row["end"], cut, rank,
                kind=kind, clip_id=row["id"], field=name,
            )  # fmt: skip
        else:
            row = interviews[key]
            fields = [("title", row["title"]), ("summary", row["summary"])]
            name, cut = _best_field([*fields, ("pseudonym", row["pseudonym"])], terms)
            hit = SearchHit(
                row["id"], None, 0.0, row["duration"] or 0.0, cut, rank, kind=kind, field=name
            )
        hits.append(hit)
    return hits


_RANKERS = {"segment": _rank_segments, "clip": _rank_clips, "interview": _rank_interviews}
_FOLDED_INDEXES = ("segments_fold", "clips_fold", "interviews_fold")


def optimize_index(archive: Archive) -> None:
    """Merge each search index into one b-tree: queries get about twice as fast.

    FTS5 merges as it goes, but an archive that grew by many transcriptions keeps many
    small segments.  Takes seconds for a thousand hours; run it when the app is idle.
    """
    db = archive.db
    with db.atomic():
        for table in _FOLDED_INDEXES:
            db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def search_archive(
    archive: Archive,
    query: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
    expand_place_names: bool = True,
) -> list[SearchHit]:
    """Hits for ``query`` (see the module's query language), best first.

    An empty query gives no hits.  ``expand_place_names`` lets a place's name find its
    other names (on by default).  Segments, clips and interviews are ranked apart and
    merged by rank; snippets are made for the returned page only.
    """
    filters = filters or SearchFilters()
    if limit <= 0 or offset < 0:
        raise InvalidInputError("The limit must be positive and the offset not negative.")
    kinds = filters.kinds or HIT_KINDS
    bad = [k for k in kinds if k not in HIT_KINDS]
    if bad:
        raise InvalidInputError(f"Not a kind of hit: {bad[0]!r}. Use {', '.join(HIT_KINDS)}.")
    if not query.strip():
        return []
    node = parse_query(query)
    if node is None:
        raise InvalidInputError(f"There are no words to search for in {query.strip()!r}.")
    if expand_place_names:
        asked = {" ".join(t.words) for t in all_terms(node) if not t.prefix}
        node = expand_places(node, archive.places.alternatives(asked))
    match = to_fts(node)
    scope = resolve_filters(archive, filters)
    ranked: list[tuple[float, str, Any]] = []
    for kind in HIT_KINDS:
        if kind in kinds:
            rows = _RANKERS[kind](archive, match, scope, limit + offset)
            ranked.extend((rank, kind, key) for rank, key in rows)
    ranked.sort(key=lambda r: r[0])
    return _hits(archive, ranked[offset : offset + limit], positive_terms(node))
