"""The export corpus: everything an exporter may show, and nothing else.

``build_corpus`` is the one path from the archive to any renderer (DESIGN: selection
-> consent filter -> redaction -> renderer).  It resolves an anthology spec to clips
or whole interviews, asks :func:`archive.consent.decide` about each, applies
:mod:`archive.redaction` to every line of text and every free-text field, and hands
the renderers plain frozen records.  Renderers never see a closed interview, a
withdrawn one, an unredacted word, or a real name that consent did not allow; the
sound they get from :class:`ExcerptAudio` is already redacted too.

A narrator's real name is also redacted by rule from the text whenever consent says
"pseudonym": narrators say their names on tape.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..consent import ClipConsent, Consent, Permission, Purpose, credit_name, decide
from ..errors import ArchiveError, NotFoundError
from ..records import Interview, Narrator, Segment
from ..redaction import (
    Line,
    Redaction,
    audio_ranges,
    interview_terms,
    redact_segment,
    redact_text,
)
from ..util import InvalidInputError
from .spec import AnthologySpec

if TYPE_CHECKING:
    from ..archive import Archive
    from ..clips import Clip
    from ..themes import Theme

Progress = Callable[[float], None]
Cancelled = Callable[[], bool]


class ExportError(ArchiveError):
    """An export could not be made (bad selection, nothing allowed, unwritable output)."""


class ExportCancelledError(ExportError):
    """The user cancelled; nothing was written."""


def check_cancelled(cancelled: Cancelled | None) -> None:
    """Raise :class:`ExportCancelledError` once the user has cancelled."""
    if cancelled is not None and cancelled():
        raise ExportCancelledError("Export cancelled. Nothing was written.")


@dataclass(frozen=True)
class Excerpt:
    """A stretch of one interview, cleared for export: a clip, or a whole interview."""

    key: str  # "<interview id>-c<clip id>" or "<interview id>-full": safe in file names
    interview_id: str
    clip_id: int | None
    start: float
    end: float
    title: str | None
    note: str | None
    credit: str  # the narrator as consent allows
    real_name_shown: bool
    recorded_on: str | None
    place: str | None
    themes: tuple[str, ...]  # labels in the spec's language
    lines: tuple[Line, ...]
    redacted_ranges: tuple[tuple[float, float], ...]  # interview time, inside start..end
    level: str
    languages: tuple[str, ...] = ()
    interview_title: str | None = None

    @property
    def year(self) -> str | None:
        return self.recorded_on[:4] if self.recorded_on else None

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class InterviewEntry:
    """One interview that contributes to the export, with its cleared metadata."""

    id: str
    title: str | None
    credit: str
    real_name_shown: bool
    recorded_on: str | None
    place: str | None
    languages: tuple[str, ...]
    summary: str | None
    duration: float | None
    level: str
    publish: bool  # publication allowed (a deposit may hold what may not be published)
    embargo_until: str | None
    themes: tuple[str, ...]
    interviewer: str | None  # only for deposits: interviewers are at risk too
    lines: tuple[Line, ...]  # the whole transcript, redacted ("interviews" unit only)
    redacted_ranges: tuple[tuple[float, float], ...]
    clips: tuple[Excerpt, ...]  # its cleared clips (index points for OHMS)
    has_recording: bool = True

    @property
    def year(self) -> str | None:
        return self.recorded_on[:4] if self.recorded_on else None


@dataclass(frozen=True)
class Chapter:
    title: str
    excerpts: tuple[Excerpt, ...]


@dataclass
class Corpus:
    spec: AnthologySpec
    purpose: Purpose
    chapters: list[Chapter]
    interviews: list[InterviewEntry]
    excluded: Counter[str] = field(default_factory=Counter)  # reason -> count of items
    made_on: dt.date = field(default_factory=dt.date.today)
    audio: ExcerptAudio | None = None

    @property
    def excerpts(self) -> list[Excerpt]:
        return [e for chapter in self.chapters for e in chapter.excerpts]

    def interview(self, interview_id: str) -> InterviewEntry:
        for entry in self.interviews:
            if entry.id == interview_id:
                return entry
        raise KeyError(interview_id)

    @property
    def empty(self) -> bool:
        return not self.interviews


def citation(excerpt: Excerpt, style: str = "full") -> str:
    """How an excerpt is cited: narrator, place, year; interview id and timecodes."""
    from ..util import format_clock

    where = ", ".join(p for p in (excerpt.place, excerpt.year) if p)
    times = f"{format_clock(excerpt.start)}–{format_clock(excerpt.end)}"
    if style == "short":
        return f"{excerpt.credit}, {excerpt.year or 'n.d.'} [{excerpt.interview_id} {times}]"
    head = excerpt.credit + (f", {where}" if where else "")
    return f"{head}. Interview {excerpt.interview_id}, {times}."


# -- resolving the selection -----------------------------------------------------


@dataclass
class _Context:
    archive: Archive
    spec: AnthologySpec
    purpose: Purpose
    today: dt.date
    interviews: dict[str, Interview] = field(default_factory=dict)
    narrators: dict[str, Narrator] = field(default_factory=dict)
    consents: dict[str, Consent] = field(default_factory=dict)
    redactions: dict[str, list[Redaction]] = field(default_factory=dict)
    themes: dict[int, Theme] = field(default_factory=dict)
    excluded: Counter[str] = field(default_factory=Counter)
    _segments: dict[str, list[Segment]] = field(default_factory=dict)

    def segments(self, interview_id: str) -> list[Segment]:
        """The interview's segments, read once per export."""
        if interview_id not in self._segments:
            self._segments[interview_id] = self.archive.segments.list(interview_id)
        return self._segments[interview_id]

    def theme_labels(self, ids: Iterable[int]) -> tuple[str, ...]:
        found = sorted(
            (self.themes[i] for i in ids if i in self.themes), key=lambda t: (t.position, t.id)
        )
        return tuple(t.label(self.spec.language) for t in found)


def _theme_ids(ctx: _Context) -> set[int] | None:
    if not ctx.spec.selection.themes:
        return None
    ids: set[int] = set()
    for ref in ctx.spec.selection.themes:
        try:
            ids.update(ctx.archive.themes.subtree_ids(ref))
        except NotFoundError as exc:
            raise InvalidInputError(str(exc)) from None
    return ids


def _narrator_ids(ctx: _Context) -> set[str] | None:
    wanted = {n.casefold() for n in ctx.spec.selection.narrators}
    if not wanted:
        return None
    ids = {
        n.id
        for n in ctx.archive.narrators.list()
        if {n.id.casefold(), (n.name or "").casefold(), (n.pseudonym or "").casefold()} & wanted
    }
    interviews = {i.id: i for i in ctx.archive.interviews.list()}
    for consent in ctx.archive.consent.for_interviews(interviews).values():
        narrator_id = interviews[consent.interview_id].narrator_id
        if consent.pseudonym and consent.pseudonym.casefold() in wanted and narrator_id:
            ids.add(narrator_id)
    if not ids:
        raise InvalidInputError(
            f"No narrator called {', '.join(ctx.spec.selection.narrators)} in this archive."
        )
    return ids


def _place_match(ctx: _Context) -> Callable[[str | None, str | None], bool] | None:
    refs = ctx.spec.selection.places
    if not refs:
        return None
    place_ids: set[str] = set()
    names: set[str] = set()
    for ref in refs:
        try:
            place = ctx.archive.places.resolve(ref)
        except NotFoundError:
            names.add(ref.casefold())
            continue
        place_ids.add(place.id)
        names.update(n.casefold() for n in place.name_list)

    def matches(place_id: str | None, place_text: str | None) -> bool:
        return place_id in place_ids or (place_text or "").strip().casefold() in names

    return matches


def _select_clips(ctx: _Context) -> list[Clip]:
    sel = ctx.spec.selection
    theme_ids = _theme_ids(ctx)
    narrator_ids = _narrator_ids(ctx)
    place_ok = _place_match(ctx)
    wanted_interviews = set(sel.interviews)
    for interview_id in wanted_interviews:
        ctx.archive.interviews.get(interview_id)  # NotFoundError for a typo
    chosen: dict[int, Clip] = {}
    for clip_id in sel.clips:
        clip = ctx.archive.clips.get(clip_id)
        if clip.kind != "clip":
            raise InvalidInputError(f"Clip {clip_id} is a {clip.kind}, not an excerpt.")
        chosen[clip.id] = clip
    only_hand_picked = bool(sel.clips) and not (
        sel.themes or sel.narrators or sel.places or sel.interviews
    )
    if not only_hand_picked:
        for interview in ctx.archive.interviews.list():
            if wanted_interviews and interview.id not in wanted_interviews:
                continue
            if narrator_ids is not None and interview.narrator_id not in narrator_ids:
                continue
            for clip in ctx.archive.clips.for_interview(interview.id, kind="clip"):
                if theme_ids is not None and not theme_ids & set(clip.theme_ids):
                    continue
                if place_ok is not None and not place_ok(
                    clip.place_id or interview.place_id, interview.place
                ):
                    continue
                chosen.setdefault(clip.id, clip)
    return list(chosen.values())


def _select_interviews(ctx: _Context) -> list[Interview]:
    sel = ctx.spec.selection
    theme_ids = _theme_ids(ctx)
    narrator_ids = _narrator_ids(ctx)
    place_ok = _place_match(ctx)
    picked = {ctx.archive.interviews.get(i).id for i in sel.interviews}
    from_clips = {ctx.archive.clips.get(c).interview_id for c in sel.clips}
    out: list[Interview] = []
    for interview in ctx.archive.interviews.list():
        if interview.id in from_clips:
            out.append(interview)
            continue
        if sel.clips and not (sel.themes or sel.narrators or sel.places or sel.interviews):
            continue
        if picked and interview.id not in picked:
            continue
        if narrator_ids is not None and interview.narrator_id not in narrator_ids:
            continue
        if place_ok is not None and not place_ok(interview.place_id, interview.place):
            continue
        if theme_ids is not None:
            own = {t.id for t in ctx.archive.themes.for_interview(interview.id)}
            clip_themes = {
                t for c in ctx.archive.clips.for_interview(interview.id) for t in c.theme_ids
            }
            if not theme_ids & (own | clip_themes):
                continue
        out.append(interview)
    return out


# -- clearing --------------------------------------------------------------------


def _load(ctx: _Context, interview_ids: Sequence[str]) -> None:
    archive = ctx.archive
    for interview_id in interview_ids:
        if interview_id not in ctx.interviews:
            interview = archive.interviews.get(interview_id)
            ctx.interviews[interview_id] = interview
            if interview.narrator_id and interview.narrator_id not in ctx.narrators:
                ctx.narrators[interview.narrator_id] = archive.narrators.get(interview.narrator_id)
    ctx.consents.update(archive.consent.for_interviews(interview_ids))
    ctx.redactions.update(archive.redactions.for_interviews(interview_ids))
    if not ctx.themes:
        ctx.themes = {t.id: t for t in archive.themes.list()}


def _permission(ctx: _Context, interview_id: str, clip: ClipConsent | None = None) -> Permission:
    interview = ctx.interviews[interview_id]
    narrator = ctx.narrators.get(interview.narrator_id) if interview.narrator_id else None
    return decide(
        ctx.consents[interview_id], ctx.purpose, narrator=narrator, clip=clip, today=ctx.today
    )


def _name_terms(ctx: _Context, interview_id: str, permission: Permission) -> list[str]:
    """The narrator's real name and its parts, when it must not be shown."""
    interview = ctx.interviews[interview_id]
    narrator = ctx.narrators.get(interview.narrator_id) if interview.narrator_id else None
    if narrator is None or not narrator.name or permission.real_name_shown:
        return []
    parts = [p for p in narrator.name.replace("-", " ").split() if len(p) >= 3]
    return [narrator.name, *parts]


def names_redacted_by_rule(
    archive: Archive, interview_id: str, purpose: Purpose | str = Purpose.PUBLICATION
) -> list[str]:
    """The narrator's name and its parts when consent hides it (what every export
    redacts from the text by rule): for editors to show it as redacted too."""
    ctx = _Context(archive, AnthologySpec(), Purpose(purpose), dt.date.today())
    _load(ctx, [interview_id])
    return _name_terms(ctx, interview_id, _permission(ctx, interview_id))


def _place_label(ctx: _Context, interview: Interview, clip: Clip | None) -> str | None:
    if clip is not None and clip.place_id:
        place = ctx.archive.places.get(clip.place_id)
        for name in place.names:
            if name.language == ctx.spec.language:
                return name.name
        return place.names[0].name if place.names else None
    return interview.place


@dataclass(frozen=True)
class _Cleared:
    """The text-clearing of one interview: its terms, ranges and redacted lines."""

    terms: tuple[str, ...]
    ranges: tuple[tuple[float, float], ...]
    lines: tuple[Line, ...]


def _clear_interview(
    ctx: _Context, interview_id: str, permission: Permission, closed_ranges: Sequence[Redaction]
) -> _Cleared:
    redactions = [*ctx.redactions.get(interview_id, []), *closed_ranges]
    names = _name_terms(ctx, interview_id, permission)
    terms = (*interview_terms(redactions), *names)
    segments = ctx.segments(interview_id)
    lines = tuple(redact_segment(s, redactions, extra_terms=names)[0] for s in segments)
    if not ctx.spec.include_translations:
        lines = tuple(_without_translation(line) for line in lines)
    ranges = audio_ranges(segments, redactions, extra_terms=names)
    return _Cleared(terms, tuple((a, b) for a, b in ranges if a < b), lines)


def _without_translation(line: Line) -> Line:
    return replace(line, translation=None) if line.translation else line


def _inside(lines: Sequence[Line], start: float, end: float) -> tuple[Line, ...]:
    """Lines overlapping the excerpt (a line that straddles its edge is kept whole)."""
    return tuple(line for line in lines if line.start < end and line.end > start)


def _clip_ranges(
    ranges: Sequence[tuple[float, float]], start: float, end: float
) -> tuple[tuple[float, float], ...]:
    return tuple((max(a, start), min(b, end)) for a, b in ranges if a < end and b > start)


def _excerpt(
    ctx: _Context,
    interview: Interview,
    permission: Permission,
    cleared: _Cleared,
    clip: Clip | None,
    interview_open: bool = True,
) -> Excerpt:
    """``interview_open`` False: a clip cleared on its own, from an interview that is
    not; the interview's own title stays out."""
    if clip is None:
        start, end = (
            0.0,
            float(interview.duration or (cleared.lines[-1].end if cleared.lines else 0)),
        )
        lines = cleared.lines
        title, note = redact_text(interview.title, cleared.terms), None
        themes = ctx.theme_labels(t.id for t in ctx.archive.themes.for_interview(interview.id))
        key = f"{interview.id}-full"
    else:
        start, end = clip.start, clip.end
        lines = _inside(cleared.lines, start, end)
        title = redact_text(clip.title, cleared.terms)
        note = redact_text(clip.note, cleared.terms)
        themes = ctx.theme_labels(clip.theme_ids)
        key = f"{interview.id}-c{clip.id}"
    return Excerpt(
        key=key,
        interview_id=interview.id,
        clip_id=clip.id if clip else None,
        start=start,
        end=end,
        title=title,
        note=note,
        credit=permission.credit,
        real_name_shown=permission.real_name_shown,
        recorded_on=interview.recorded_on,
        place=redact_text(_place_label(ctx, interview, clip), cleared.terms),
        themes=themes,
        lines=lines,
        redacted_ranges=_clip_ranges(cleared.ranges, start, end),
        level=permission.level,
        languages=interview.languages,
        interview_title=redact_text(interview.title, cleared.terms) if interview_open else None,
    )


def _entry(
    ctx: _Context,
    interview: Interview,
    permission: Permission,
    cleared: _Cleared,
    clips: Sequence[Excerpt],
    whole: bool,
) -> InterviewEntry:
    consent = ctx.consents[interview.id]
    # Only some clips of this interview are allowed: its own title, summary,
    # themes and interviewer are not.
    open_ = permission.allowed
    return InterviewEntry(
        id=interview.id,
        title=redact_text(interview.title, cleared.terms) if open_ else None,
        credit=permission.credit,
        real_name_shown=permission.real_name_shown,
        recorded_on=interview.recorded_on,
        place=redact_text(interview.place, cleared.terms),
        languages=interview.languages,
        summary=redact_text(interview.summary, cleared.terms) if open_ else None,
        duration=interview.duration,
        level=permission.level,
        publish=consent.publish,
        embargo_until=consent.embargo_until,
        themes=(
            ctx.theme_labels(t.id for t in ctx.archive.themes.for_interview(interview.id))
            if open_
            else ()
        ),
        interviewer=(
            redact_text(interview.interviewer, cleared.terms)
            if ctx.purpose is Purpose.DEPOSIT and open_
            else None
        ),
        lines=cleared.lines if whole else (),
        redacted_ranges=cleared.ranges if whole else (),
        clips=tuple(clips),
        has_recording=ctx.archive.media.has_original(interview.id),
    )


@dataclass(frozen=True)
class _ClipConsents:
    """An interview's clips, their own consent, and the passages that consent closes
    (blanked wherever they show: in the whole interview, inside overlapping clips,
    in the builder's search)."""

    clips: list[Clip]
    overrides: dict[int, ClipConsent]
    closed: list[Redaction]


def _clip_consents(ctx: _Context, interview_id: str) -> _ClipConsents:
    clips = ctx.archive.clips.for_interview(interview_id, kind="clip")
    overrides = ctx.archive.consent.for_clips(c.id for c in clips)
    closed = [
        Redaction(id=-clip.id, interview_id=interview_id, start=clip.start, end=clip.end)
        for clip in clips
        if clip.id in overrides and not _permission(ctx, interview_id, overrides[clip.id]).allowed
    ]
    return _ClipConsents(clips, overrides, closed)


def _pseudonymous(ctx: _Context, interview_id: str, permission: Permission) -> Permission:
    interview = ctx.interviews[interview_id]
    narrator = ctx.narrators.get(interview.narrator_id) if interview.narrator_id else None
    credit, _ = credit_name(ctx.consents[interview_id], narrator, name_display="pseudonym")
    return replace(permission, credit=credit, real_name_shown=False)


def _outside(interview_id: str, clip: Clip) -> list[Redaction]:
    """Time redactions covering everything but ``clip``."""
    out = [Redaction(id=0, interview_id=interview_id, start=clip.end, end=float("inf"))]
    if clip.start > 0:
        out.append(Redaction(id=0, interview_id=interview_id, start=0.0, end=clip.start))
    return out


# -- grouping and order ----------------------------------------------------------


def _sort_key(ctx: _Context, order: str, manual: Sequence[int]) -> Callable[[Excerpt], Any]:
    created = {i.id: i.created_at for i in ctx.interviews.values()}
    position = {clip_id: n for n, clip_id in enumerate(manual)}

    def chronological(e: Excerpt) -> tuple[Any, ...]:
        return (e.recorded_on is None, e.recorded_on or "", e.interview_id, e.start)

    def key(e: Excerpt) -> tuple[Any, ...]:
        if order == "archive":
            return (created.get(e.interview_id, ""), e.interview_id, e.start)
        if order == "manual":
            return (position.get(e.clip_id or -1, len(position)), *chronological(e))
        return chronological(e)

    return key


def _group(ctx: _Context, excerpts: list[Excerpt], clips: dict[int, Clip]) -> list[Chapter]:
    spec = ctx.spec
    excerpts = sorted(excerpts, key=_sort_key(ctx, spec.order, spec.selection.clips))
    groups: dict[str, list[Excerpt]] = {}
    order: dict[str, tuple[Any, ...]] = {}

    def put(title: str, rank: tuple[Any, ...], excerpt: Excerpt) -> None:
        groups.setdefault(title, []).append(excerpt)
        order.setdefault(title, rank)

    selected_roots = []
    for ref in spec.selection.themes:
        theme = ctx.archive.themes.resolve(ref)
        selected_roots.append((theme, set(ctx.archive.themes.subtree_ids(theme))))
    for n, excerpt in enumerate(excerpts):
        if spec.group_by == "theme":
            ids = set(clips[excerpt.clip_id].theme_ids) if excerpt.clip_id in clips else set()
            if excerpt.clip_id is None:
                ids = {t.id for t in ctx.archive.themes.for_interview(excerpt.interview_id)}
            home = next((t for t, subtree in selected_roots if ids & subtree), None)
            if home is None and ids:
                home = min((ctx.themes[i] for i in ids), key=lambda t: (t.position, t.id))
            if home is None:
                put("Other testimonies", (1, 0, 0), excerpt)
            else:
                rank = next(
                    (k for k, (t, _) in enumerate(selected_roots) if t.id == home.id),
                    len(selected_roots),
                )
                put(home.label(spec.language), (0, rank, home.position, home.id), excerpt)
        elif spec.group_by == "narrator":
            put(excerpt.credit, (n,), excerpt)
        elif spec.group_by == "chronological":
            put(excerpt.year or "Undated", (excerpt.year is None, excerpt.year or ""), excerpt)
        else:
            title = excerpt.interview_title
            put(f"{excerpt.credit} — {title}" if title else excerpt.credit, (n,), excerpt)
    return [Chapter(title, tuple(groups[title])) for title in sorted(groups, key=order.__getitem__)]


# -- the one entry point -----------------------------------------------------------


def build_corpus(
    archive: Archive,
    spec: AnthologySpec,
    purpose: Purpose | str = Purpose.PUBLICATION,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    with_audio: bool = False,
) -> Corpus:
    """Resolve ``spec`` to what consent allows for ``purpose``, redacted."""
    ctx = _Context(archive, spec, Purpose(purpose), today or dt.date.today())
    whole = spec.unit == "interviews"
    if whole:
        interviews = _select_interviews(ctx)
        candidate_clips: list[Clip] = []
        interview_ids = [i.id for i in interviews]
    else:
        candidate_clips = _select_clips(ctx)
        interview_ids = list(dict.fromkeys(c.interview_id for c in candidate_clips))
    _load(ctx, interview_ids)

    excerpts: list[Excerpt] = []
    entries: list[InterviewEntry] = []
    clips_by_id: dict[int, Clip] = {}
    by_interview: dict[str, list[Clip]] = {}
    for clip in candidate_clips:
        by_interview.setdefault(clip.interview_id, []).append(clip)

    for n, interview_id in enumerate(interview_ids):
        check_cancelled(cancelled)
        if progress is not None:
            progress(n / max(1, len(interview_ids)))
        interview = ctx.interviews[interview_id]
        base = _permission(ctx, interview_id)
        if whole and not base.allowed:
            ctx.excluded[base.reason] += 1
            continue
        if base.reason in ("withdrawn", "embargoed"):
            ctx.excluded[base.reason] += len(by_interview.get(interview_id, []))
            continue
        by_clip = _clip_consents(ctx, interview_id)
        # Passages a clip's own consent closes are blanked wherever they show:
        # in a whole interview, and inside any other clip that overlaps them.
        closed = by_clip.closed
        wanted = by_clip.clips if whole else by_interview.get(interview_id, [])
        permitted: list[tuple[Clip, Permission]] = []
        for clip in wanted:
            permission = _permission(ctx, interview_id, by_clip.overrides.get(clip.id))
            if permission.allowed:
                permitted.append((clip, permission))
            elif not whole:
                ctx.excluded[permission.reason] += 1
        if not whole and not permitted:
            continue
        # One name per narrator in one export: the most private any part asks for,
        # so a pseudonym is never printed beside the real name it hides.
        if not all(p.real_name_shown for p in (base, *(p for _, p in permitted))):
            base = _pseudonymous(ctx, interview_id, base)
            permitted = [(c, _pseudonymous(ctx, interview_id, p)) for c, p in permitted]
        cleared = _clear_interview(ctx, interview_id, base, closed)
        cleared_clips: list[Excerpt] = []
        for clip, permission in permitted:
            own = cleared
            if not base.allowed:
                # Opened by its own consent from an interview that is not: nothing
                # outside the clip may come with it, not even the rest of a line.
                outside = _outside(interview_id, clip)
                own = _clear_interview(ctx, interview_id, base, [*closed, *outside])
            cleared_clips.append(_excerpt(ctx, interview, permission, own, clip, base.allowed))
            clips_by_id[clip.id] = clip
        if whole:
            excerpts.append(_excerpt(ctx, interview, base, cleared, None))
        else:
            excerpts.extend(cleared_clips)
        entries.append(_entry(ctx, interview, base, cleared, cleared_clips, whole))

    corpus = Corpus(
        spec=spec,
        purpose=ctx.purpose,
        chapters=_group(ctx, excerpts, clips_by_id),
        interviews=entries,
        excluded=ctx.excluded,
        made_on=ctx.today,
    )
    if with_audio:
        from .audio_source import ExcerptAudio

        corpus.audio = ExcerptAudio(archive, corpus)
    if progress is not None:
        progress(1.0)
    return corpus


if TYPE_CHECKING:
    from .audio_source import ExcerptAudio
