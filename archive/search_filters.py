"""Search filters, resolved once per search into restrictions on each kind of hit.

Segments are many, and looking one up in its table costs a page decryption, so for
segments the filters are applied inside the FTS index, on each segment's scope tokens
(see migration 0002): its interview, language, themes and places.  What tokens do
not say cheaply is checked row by row instead, in rank order, so the check stops as
soon as a page of hits is full: a set of more than :data:`MAX_SCOPE_INTERVIEWS`
interviews (from a date range or a status), and a theme so broad that walking its
token's list costs more (:data:`BROAD_THEME_SHARE`).  Clips and interviews are few:
their filters are plain conditions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import NotFoundError
from .folding import fold_text
from .themes import ThemeRef
from .util import InvalidInputError, check_date, check_languages

if TYPE_CHECKING:
    from .archive import Archive

TRANSCRIPTION_STATUSES = ("none", "queued", "running", "partial", "done", "failed")


@dataclass(frozen=True)
class SearchFilters:
    """What to search in.  Each filter allows any of its values; all filters apply.

    * ``themes``: themes (id, key or label), each with its sub-themes.  A segment
      qualifies when its interview is tagged with one, or it overlaps a clip that is;
      a clip when it or its interview is; an interview when it or one of its clips is.
    * ``narrators``: narrator ids or pseudonyms (never real names).
    * ``languages``: the segment's language, or the interview's when the segment has none.
    * ``places``: place ids or any of their names.  Interviews linked to the place or
      typed with one of its names, and clips linked to it, qualify as for themes.
    * ``date_from``/``date_to``: YYYY, YYYY-MM or YYYY-MM-DD; a partial date covers
      its whole year or month, and interviews without a date are left out.
    * ``statuses``: transcription status of the interview.
    * ``kinds``: which kinds of hit (segment, clip, interview); default all.
    """

    themes: tuple[ThemeRef, ...] = ()
    narrators: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


# Above this many interviews, an OR of their tokens costs more than checking rows.
MAX_SCOPE_INTERVIEWS = 64
# A theme that whole interviews are tagged with this often has a token in so many
# segments that walking its list costs more than checking rows in rank order (most
# rows pass, so the check soon has a page of hits).
BROAD_THEME_SHARE = 0.25


def _date_low(value: str) -> str:
    return value + {4: "-01-01", 7: "-01"}.get(len(value), "")


def _date_high(value: str) -> str:
    return value + {4: "-12-31", 7: "-31"}.get(len(value), "")


# The interval a partial recorded_on covers, for overlap tests against the filter.
_IV_LOW = (
    "(CASE length(recorded_on) WHEN 4 THEN recorded_on || '-01-01' "
    "WHEN 7 THEN recorded_on || '-01' ELSE recorded_on END)"
)
_IV_HIGH = (
    "(CASE length(recorded_on) WHEN 4 THEN recorded_on || '-12-31' "
    "WHEN 7 THEN recorded_on || '-31' ELSE recorded_on END)"
)

# A JSON array parameter as a set SQLite builds once per statement.
_IN_JSON = "IN (SELECT value FROM json_each(?))"


def _json(values: Iterable[Any]) -> str:
    return json.dumps(sorted(values))


@dataclass
class Scope:
    """Filters resolved to ids.  ``None``: that filter is not set."""

    interviews: set[str] | None  # by narrator, date and status (all that are set)
    languages: tuple[str, ...]
    language_interviews: set[str] | None  # interviews in one of the languages
    themes: list[int] | None  # the themes asked for
    theme_ids: list[int] | None  # ... and all their sub-themes
    theme_interviews: set[str] | None  # tagged as a whole with one of those
    broad_themes: bool  # see BROAD_THEME_SHARE
    place_ids: list[str] | None
    place_interviews: set[str] | None  # linked to one of the places, or typed so
    place_typed: set[str] | None  # typed so and not linked (no place token to match)


def _ids(archive: Archive, sql: str, params: Sequence[Any] = ()) -> set[str]:
    """The first column of a query (fetched in one call)."""
    return {row[0] for row in archive.db.execute(sql, list(params)).fetchall()}


def _meet(*sets: set[str] | None) -> set[str] | None:
    """The intersection of the sets given (``None`` for "any")."""
    out: set[str] | None = None
    for each in sets:
        if each is not None:
            out = set(each) if out is None else out & each
    return out


def resolve_filters(archive: Archive, f: SearchFilters) -> Scope:
    """Check every filter and resolve it to ids; clear errors for unknown values."""
    conditions: list[str] = []
    params: list[Any] = []
    if f.narrators:
        wanted = {fold_text(n) for n in f.narrators if fold_text(n)}
        ids = [
            r["id"]
            for r in archive.db.query("SELECT id, pseudonym FROM narrators")
            if r["id"] in f.narrators or fold_text(r["pseudonym"] or "") in wanted
        ]
        if not ids:
            raise NotFoundError(f"No narrator with the id or pseudonym {', '.join(f.narrators)}.")
        conditions.append(f"narrator_id {_IN_JSON}")
        params.append(_json(ids))
    low = check_date(f.date_from)
    high = check_date(f.date_to)
    if low and high and _date_low(low) > _date_high(high):
        raise InvalidInputError(f"The date range ends ({high}) before it begins ({low}).")
    if low:
        conditions.append(f"recorded_on IS NOT NULL AND {_IV_HIGH} >= ?")
        params.append(_date_low(low))
    if high:
        conditions.append(f"recorded_on IS NOT NULL AND {_IV_LOW} <= ?")
        params.append(_date_high(high))
    if f.statuses:
        bad = [s for s in f.statuses if s not in TRANSCRIPTION_STATUSES]
        if bad:
            raise InvalidInputError(
                f"Not a transcription status: {bad[0]!r}. Use {', '.join(TRANSCRIPTION_STATUSES)}."
            )
        conditions.append(f"transcription_status {_IN_JSON}")
        params.append(_json(f.statuses))
    interviews = None
    if conditions:
        where = " AND ".join(conditions)
        interviews = _ids(archive, f"SELECT id FROM interviews WHERE {where}", params)

    languages = check_languages(list(f.languages))
    language_interviews = None
    if languages:
        language_interviews = _ids(
            archive,
            "SELECT id FROM interviews WHERE EXISTS "
            "(SELECT 1 FROM json_each(?) WHERE instr(languages, value) > 0)",
            [_json(f'"{code}"' for code in languages)],
        )

    themes = theme_ids = theme_interviews = None
    broad_themes = False
    if f.themes:
        themes = [archive.themes.resolve(ref).id for ref in f.themes]
        theme_ids = []
        for theme in themes:
            theme_ids.extend(i for i in archive.themes.subtree_ids(theme) if i not in theme_ids)
        theme_interviews = _ids(
            archive,
            f"SELECT DISTINCT interview_id FROM interview_themes WHERE theme_id {_IN_JSON}",
            [_json(theme_ids)],
        )
        total = archive.db.execute("SELECT count(*) FROM interviews").fetchone()[0]
        broad_themes = len(theme_interviews) >= BROAD_THEME_SHARE * total

    place_ids = place_interviews = place_typed = None
    if f.places:
        place_ids, names = [], set()
        for ref in f.places:
            found = [archive.places.get(ref)] if _is_place_id(archive, ref) else []
            for place in found or archive.places.find(ref):
                place_ids.append(place.id)
                names.update(fold_text(n) or "" for n in place.name_list)
            names.add(fold_text(ref) or "")
        linked = _ids(
            archive, f"SELECT id FROM interviews WHERE place_id {_IN_JSON}", [_json(place_ids)]
        )
        place_typed = (
            _ids(
                archive,
                f"SELECT id FROM interviews WHERE sbs_fold(place) {_IN_JSON}",
                [_json(n for n in names if n)],
            )
            - linked
        )
        place_interviews = linked | place_typed

    return Scope(
        interviews=interviews,
        languages=languages,
        language_interviews=language_interviews,
        themes=themes,
        theme_ids=theme_ids,
        theme_interviews=theme_interviews,
        broad_themes=broad_themes,
        place_ids=place_ids,
        place_interviews=place_interviews,
        place_typed=place_typed,
    )


def _is_place_id(archive: Archive, ref: str) -> bool:
    return bool(archive.db.execute("SELECT 1 FROM places WHERE id = ?", [ref]).fetchone())


@dataclass
class Plan:
    """How to restrict one kind of hit: more FTS expression, and row conditions."""

    fts: list[str] = field(default_factory=list)  # ANDed with the query
    conditions: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    empty: bool = False  # the filters leave nothing to find

    def where(self, condition: str, *params: Any) -> None:
        self.conditions.append(condition)
        self.params.extend(params)


def _scope(prefix: str, values: Iterable[Any]) -> str:
    """An FTS5 condition on scope tokens: any of ``prefix + value``."""
    tokens = " OR ".join('"' + (fold_text(f"{prefix}{v}") or prefix) + '"' for v in values)
    return f"scope : ({tokens})"


def segment_plan(scope: Scope) -> Plan:
    plan = Plan()
    if scope.languages:
        plan.fts.append(_scope("l", scope.languages))
    if scope.themes is not None and scope.theme_ids is not None:
        if scope.broad_themes:
            plan.where(
                f"(s.interview_id {_IN_JSON} OR EXISTS (SELECT 1 FROM clips c JOIN clip_themes ct "
                'ON ct.clip_id = c.id WHERE c.interview_id = s.interview_id AND c.start < s."end" '
                f'AND c."end" > s.start AND ct.theme_id {_IN_JSON}))',
                _json(scope.theme_interviews or ()),
                _json(scope.theme_ids),
            )
        else:
            plan.fts.append(_scope("t", scope.themes))  # a token stands for its sub-themes
    if scope.place_ids is not None:
        typed = scope.place_typed or set()
        if len(typed) > MAX_SCOPE_INTERVIEWS:
            plan.where(
                f"(s.interview_id {_IN_JSON} OR EXISTS (SELECT 1 FROM clips c WHERE "
                'c.interview_id = s.interview_id AND c.start < s."end" AND c."end" > s.start '
                f"AND c.place_id {_IN_JSON}))",
                _json(scope.place_interviews or ()),
                _json(scope.place_ids),
            )
        elif scope.place_ids or typed:
            places = [f"p{p}" for p in scope.place_ids] + [f"i{i}" for i in sorted(typed)]
            plan.fts.append(_scope("", places))
        else:
            return Plan(empty=True)
    if scope.interviews is not None:
        if not scope.interviews:
            return Plan(empty=True)
        if len(scope.interviews) <= MAX_SCOPE_INTERVIEWS:
            plan.fts.append(_scope("i", sorted(scope.interviews)))
        else:
            plan.where(f"s.interview_id {_IN_JSON}", _json(scope.interviews))
    return plan


def clip_plan(scope: Scope) -> Plan:
    plan = Plan()
    candidates = _meet(scope.interviews, scope.language_interviews)
    if candidates is not None:
        if not candidates:
            return Plan(empty=True)
        plan.where(f"c.interview_id {_IN_JSON}", _json(candidates))
    if scope.theme_ids is not None:
        plan.where(
            f"(EXISTS (SELECT 1 FROM clip_themes ct WHERE ct.clip_id = c.id "
            f"AND ct.theme_id {_IN_JSON}) OR c.interview_id IN (SELECT interview_id "
            f"FROM interview_themes WHERE theme_id {_IN_JSON}))",
            _json(scope.theme_ids),
            _json(scope.theme_ids),
        )
    if scope.place_ids is not None:
        plan.where(
            f"(c.place_id {_IN_JSON} OR c.interview_id {_IN_JSON})",
            _json(scope.place_ids),
            _json(scope.place_interviews or ()),
        )
    return plan


def interview_plan(scope: Scope) -> Plan:
    plan = Plan()
    candidates = _meet(scope.interviews, scope.language_interviews)
    if candidates is not None:
        if not candidates:
            return Plan(empty=True)
        plan.where(f"f.interview_id {_IN_JSON}", _json(candidates))
    if scope.theme_ids is not None:
        plan.where(
            f"(f.interview_id IN (SELECT interview_id FROM interview_themes "
            f"WHERE theme_id {_IN_JSON}) OR EXISTS (SELECT 1 FROM clips c JOIN clip_themes ct "
            f"ON ct.clip_id = c.id WHERE c.interview_id = f.interview_id "
            f"AND ct.theme_id {_IN_JSON}))",
            _json(scope.theme_ids),
            _json(scope.theme_ids),
        )
    if scope.place_ids is not None:
        plan.where(
            f"(f.interview_id {_IN_JSON} OR EXISTS (SELECT 1 FROM clips c "
            f"WHERE c.interview_id = f.interview_id AND c.place_id {_IN_JSON}))",
            _json(scope.place_interviews or ()),
            _json(scope.place_ids),
        )
    return plan
