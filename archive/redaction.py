"""Redaction: names and passages that must never leave the archive.

A redaction is a time range (the audio, and the words spoken inside it), a word or
name (in one segment, or everywhere in an interview) or a character span of one
segment.  The originals stay untouched in the encrypted archive; redactions are
applied on the way out, by the functions here and nowhere else:

- :func:`redact_lines` for transcript text (and translations, speaker labels),
- :func:`redact_text` for free text (titles, summaries, clip notes),
- :func:`redact_audio` for sound (silence or a tone over exactly the range).

Matching a word is deliberately greedy: case-insensitive, and a match swallows the
rest of the word it starts, because Armenian, Azerbaijani, Georgian and Turkish add
suffixes to names (Əli → Əlinin, Ալի → Ալիին).  Redacting too much is mended by an
editor; redacting too little can put a narrator in prison.  When a time range cuts
through a segment whose words have no reliable times (edited text, or no word
timestamps), the whole segment is redacted.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

import numpy as np

from .db import rows_where_in
from .errors import NotFoundError
from .util import InvalidInputError, clean_text, now

if TYPE_CHECKING:
    from pydub import AudioSegment

    from .archive import Archive
    from .records import Segment

MARKER = "[redacted]"
TONE_HZ = 1000.0
TONE_LEVEL = 0.3  # of full scale: clearly a bleep, not painful


@dataclass(frozen=True)
class Redaction:
    id: int
    interview_id: str
    segment_id: int | None = None
    start: float | None = None
    end: float | None = None
    text: str | None = None
    char_start: int | None = None
    char_end: int | None = None
    reason: str | None = None
    created_by: str | None = None
    created_at: str = ""

    @property
    def kind(self) -> str:
        if self.start is not None and self.end is not None:
            return "time"
        if self.text is not None:
            return "text"
        return "span"


@dataclass(frozen=True)
class Line:
    """One transcript line as it may leave the archive."""

    start: float
    end: float
    text: str
    speaker: str | None = None
    translation: str | None = None
    language: str | None = None


# -- applying ------------------------------------------------------------------


def _word_pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in unicodedata.normalize("NFC", term).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"\w*", re.IGNORECASE)


def _mark_terms(text: str, mask: list[bool], terms: Iterable[str]) -> None:
    folded = text.casefold() if len(text.casefold()) == len(text) else None
    for term in terms:
        pattern = _word_pattern(term)
        for match in pattern.finditer(text):
            mask[match.start() : match.end()] = [True] * (match.end() - match.start())
        if folded is not None:  # casefold catches what IGNORECASE misses (ß, İ...)
            for match in _word_pattern(term.casefold()).finditer(folded):
                mask[match.start() : match.end()] = [True] * (match.end() - match.start())


def _hits(text: str, terms: Sequence[str]) -> int:
    """How many separate redacted runs ``terms`` make in ``text``."""
    if not terms:
        return 0
    text = unicodedata.normalize("NFC", text)
    mask = [False] * len(text)
    _mark_terms(text, mask, terms)
    return sum(1 for i, m in enumerate(mask) if m and (i == 0 or not mask[i - 1]))


def _apply_mask(text: str, mask: Sequence[bool]) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        if mask[i]:
            while i < len(text) and mask[i]:
                i += 1
            out.append(MARKER)
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def redact_text(text: str | None, terms: Iterable[str]) -> str | None:
    """Free text with every word or name in ``terms`` replaced by the marker."""
    if not text:
        return text
    text = unicodedata.normalize("NFC", text)
    mask = [False] * len(text)
    _mark_terms(text, mask, [t for t in terms if t and t.strip()])
    return _apply_mask(text, mask) if any(mask) else text


def _word_spans(segment: Segment) -> list[tuple[int, int, float, float]] | None:
    """Character spans of the segment's timed words in its text, or None if unreliable."""
    if not segment.words or segment.edited:
        return None
    spans: list[tuple[int, int, float, float]] = []
    cursor = 0
    for word in segment.words:
        token = str(word.get("word", "")).strip()
        if not token:
            continue
        at = segment.text.find(token, cursor)
        if at < 0:
            return None
        spans.append((at, at + len(token), float(word["start"]), float(word["end"])))
        cursor = at + len(token)
    return spans


def _overlaps(a_start: float, a_end: float, b_start: float, b_end: float) -> bool:
    return a_start < b_end and b_start < a_end


def _segment_mask(
    segment: Segment, redactions: Sequence[Redaction], extra_terms: Sequence[str]
) -> tuple[str, list[bool], bool, list[str]]:
    """The segment's NFC text, which characters are redacted, whether a time range or
    a span touches it (its translation then goes whole), and the words redacted in it."""
    text = unicodedata.normalize("NFC", segment.text)
    mask = [False] * len(text)
    in_range = False
    for r in redactions:
        if r.kind == "time":
            assert r.start is not None and r.end is not None
            if not _overlaps(segment.start, segment.end, r.start, r.end):
                continue
            in_range = True
            spans = _word_spans(segment) if text == segment.text else None
            inside = r.start <= segment.start and segment.end <= r.end
            if spans is None or inside:
                mask = [True] * len(text)
                continue
            for c_start, c_end, w_start, w_end in spans:
                if _overlaps(w_start, w_end, r.start, r.end):
                    mask[c_start:c_end] = [True] * (c_end - c_start)
        elif r.kind == "span" and r.segment_id == segment.id:
            assert r.char_start is not None and r.char_end is not None
            start, end = max(0, r.char_start), min(len(text), r.char_end)
            mask[start:end] = [True] * max(0, end - start)
            in_range = in_range or end > start  # a span cannot be found in a translation
    terms = [
        r.text
        for r in redactions
        if r.kind == "text" and r.text and r.segment_id in (None, segment.id)
    ] + list(extra_terms)
    _mark_terms(text, mask, terms)
    return text, mask, in_range, terms


def redacted_spans(
    segment: Segment, redactions: Sequence[Redaction], *, extra_terms: Sequence[str] = ()
) -> list[tuple[int, int]]:
    """The character ranges of the segment's text that exports replace with the
    marker (for showing redactions in an editor; exports use :func:`redact_segment`)."""
    _, mask, _, _ = _segment_mask(segment, redactions, extra_terms)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(mask):
        if mask[i]:
            start = i
            while i < len(mask) and mask[i]:
                i += 1
            spans.append((start, i))
        else:
            i += 1
    return spans


def redact_segment(
    segment: Segment, redactions: Sequence[Redaction], *, extra_terms: Sequence[str] = ()
) -> tuple[Line, bool]:
    """A segment as an exportable :class:`Line`, and whether anything was redacted.

    ``redactions`` are the interview's; ``extra_terms`` are names redacted by rule
    (a narrator's real name when consent asks for the pseudonym).
    """
    text, mask, whole_translation, terms = _segment_mask(segment, redactions, extra_terms)
    changed = any(mask) or whole_translation
    translation = segment.translation
    if translation and (whole_translation or _hits(translation, terms) < _hits(text, terms)):
        # A redacted word the translation does not show in the same form (a name
        # transliterated, a word translated) could still be there: it goes whole.
        translation = MARKER
    elif translation:
        translation = redact_text(translation, terms)
    changed = changed or translation != segment.translation
    speaker = redact_text(segment.speaker, terms) if segment.speaker else None
    changed = changed or speaker != segment.speaker
    line = Line(
        start=segment.start,
        end=segment.end,
        text=_apply_mask(text, mask) if any(mask) else text,
        speaker=speaker,
        translation=translation,
        language=segment.language,
    )
    return line, changed


def redact_lines(
    segments: Sequence[Segment],
    redactions: Sequence[Redaction],
    *,
    extra_terms: Sequence[str] = (),
) -> list[Line]:
    """Every segment as an exportable line, with all redactions applied."""
    return [redact_segment(s, redactions, extra_terms=extra_terms)[0] for s in segments]


def interview_terms(redactions: Sequence[Redaction]) -> list[str]:
    """Words and names redacted everywhere in the interview (for its free text)."""
    return [r.text for r in redactions if r.kind == "text" and r.text and r.segment_id is None]


def time_ranges(redactions: Sequence[Redaction]) -> list[tuple[float, float]]:
    """The redacted time ranges, sorted and merged."""
    return _merge(
        (r.start, r.end)
        for r in redactions
        if r.kind == "time" and r.start is not None and r.end is not None
    )


def audio_ranges(
    segments: Sequence[Segment],
    redactions: Sequence[Redaction],
    *,
    extra_terms: Sequence[str] = (),
) -> list[tuple[float, float]]:
    """Every stretch of sound an export must silence, sorted and merged: the redacted
    time ranges, and where a redacted word or span is *said* — the times of its words,
    or the whole segment when its words have no reliable times."""
    ranges = list(time_ranges(redactions))
    textual = [r for r in redactions if r.kind != "time"]
    if not textual and not extra_terms:
        return ranges
    for segment in segments:
        text, mask, _, _ = _segment_mask(segment, textual, extra_terms)
        if not any(mask):
            continue
        spans = _word_spans(segment) if text == segment.text else None
        covered = [False] * len(text)
        for c_start, c_end, w_start, w_end in spans or ():
            covered[c_start:c_end] = [True] * (c_end - c_start)
            if any(mask[c_start:c_end]):
                ranges.append((w_start, w_end))
        stray = any(
            m and not c and not text[i].isspace()
            for i, (m, c) in enumerate(zip(mask, covered, strict=True))
        )
        if spans is None or stray:
            ranges.append((segment.start, segment.end))
    return _merge(ranges)


def _merge(ranges: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def pydub_segment_class() -> type[AudioSegment]:
    """pydub's AudioSegment, imported without its warning about a missing ffmpeg
    (we only ever give it PCM in memory, which needs no ffmpeg)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # also audioop's DeprecationWarning on 3.11
        from pydub import AudioSegment
    return AudioSegment


def redact_audio(
    audio: AudioSegment,
    ranges: Iterable[tuple[float, float]],
    *,
    offset: float = 0.0,
    mode: str = "tone",
) -> AudioSegment:
    """``audio`` with silence or a tone over exactly each range, to the sample.

    ``ranges`` are in interview time; ``offset`` is the interview time of the
    audio's first sample (a clip's start).  Works on pydub's in-memory PCM.
    """
    AudioSegment = pydub_segment_class()
    if mode not in ("tone", "silence"):
        raise InvalidInputError(f"Not a redaction sound: {mode!r}. Use tone or silence.")
    rate, width, channels = audio.frame_rate, audio.sample_width, audio.channels
    dtype = {1: np.int8, 2: np.int16, 4: np.int32}.get(width)
    if dtype is None:
        raise InvalidInputError(f"Cannot redact {8 * width}-bit audio.")
    samples = np.frombuffer(audio.raw_data, dtype=dtype).reshape(-1, channels).copy()
    total = samples.shape[0]
    full_scale = float(np.iinfo(dtype).max)
    for start, end in ranges:
        first = max(0, round((start - offset) * rate))
        last = min(total, round((end - offset) * rate))
        if last <= first:
            continue
        if mode == "silence":
            samples[first:last] = 0
        else:
            t = np.arange(first, last) / rate
            tone = (np.sin(2 * np.pi * TONE_HZ * t) * TONE_LEVEL * full_scale).astype(dtype)
            samples[first:last] = tone[:, None]
    return AudioSegment(
        data=samples.tobytes(), sample_width=width, frame_rate=rate, channels=channels
    )


# -- storing -------------------------------------------------------------------


def _redaction(row: Mapping[str, Any]) -> Redaction:
    return Redaction(**{k: row[k] for k in Redaction.__dataclass_fields__})


class RedactionStore:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive

    def list(self, interview_id: str) -> list[Redaction]:
        rows = self._archive.db.query(
            "SELECT * FROM redactions WHERE interview_id = ? "
            'ORDER BY coalesce(start, 0), "end", id',
            [interview_id],
        )
        return [_redaction(r) for r in rows]

    def for_interviews(self, interview_ids: Iterable[str]) -> dict[str, list[Redaction]]:
        ids = list(interview_ids)
        out: dict[str, list[Redaction]] = {i: [] for i in ids}
        db = self._archive.db
        for row in rows_where_in(db, "redactions", "interview_id", ids, order_by="id"):
            out[row["interview_id"]].append(_redaction(row))
        return out

    def get(self, redaction_id: int) -> Redaction:
        rows = list(self._archive.db.query("SELECT * FROM redactions WHERE id = ?", [redaction_id]))
        if not rows:
            raise NotFoundError(f"No redaction with id {redaction_id}.")
        return _redaction(rows[0])

    def add_range(
        self, interview_id: str, start: float, end: float, *, reason: str | None = None
    ) -> Redaction:
        """Redact the audio from ``start`` to ``end`` (seconds) and the words inside it."""
        interview = self._archive.interviews.get(interview_id)
        if not (start >= 0 and end > start):
            raise InvalidInputError("A redacted range needs 0 ≤ start < end.")
        if interview.duration is not None and start >= interview.duration:
            raise InvalidInputError("The redacted range starts after the recording ends.")
        return self._insert(
            {"interview_id": interview_id, "start": float(start), "end": float(end)}, reason
        )

    def add_text(
        self,
        interview_id: str,
        text: str,
        *,
        segment_id: int | None = None,
        reason: str | None = None,
    ) -> Redaction:
        """Redact a word or name everywhere in the interview, or in one segment."""
        self._archive.interviews.get(interview_id)
        cleaned = clean_text(text)
        if cleaned is None:
            raise InvalidInputError("Give the word or name to redact.")
        with self._archive.db.atomic():
            if segment_id is not None:
                self._check_segment(interview_id, segment_id)
                self._keep_segment(segment_id)
            return self._insert(
                {"interview_id": interview_id, "text": cleaned, "segment_id": segment_id}, reason
            )

    def add_span(
        self, segment_id: int, char_start: int, char_end: int, *, reason: str | None = None
    ) -> Redaction:
        """Redact characters ``char_start:char_end`` of one segment's text."""
        with self._archive.db.atomic():  # the text it points into cannot change meanwhile
            segment = self._archive.segments.get(segment_id)
            if not (0 <= char_start < char_end <= len(segment.text)):
                raise InvalidInputError("The redacted span is outside the segment's text.")
            self._keep_segment(segment_id)
            return self._insert(
                {
                    "interview_id": segment.interview_id,
                    "segment_id": segment_id,
                    "char_start": char_start,
                    "char_end": char_end,
                },
                reason,
            )

    def restore(self, redaction: Redaction) -> Redaction:
        """Put back a deleted redaction exactly (id, author, time): for undo."""
        row = {k: getattr(redaction, k) for k in Redaction.__dataclass_fields__}
        db = self._archive.db
        with db.atomic():
            db["redactions"].insert(row)
            self._archive.audit.record("redaction.restore", "interview", redaction.interview_id)
        return self.get(redaction.id)

    def delete(self, redaction_id: int) -> None:
        redaction = self.get(redaction_id)
        db = self._archive.db
        with db.atomic():
            db["redactions"].delete(redaction_id)
            self._archive.audit.record("redaction.delete", "interview", redaction.interview_id)

    def _keep_segment(self, segment_id: int) -> None:
        """A segment with its own redaction counts as edited: a re-run keeps it."""
        self._archive.db.execute(
            "UPDATE segments SET edited = 1 WHERE id = ? AND edited = 0", [segment_id]
        )

    def _check_segment(self, interview_id: str, segment_id: int) -> None:
        if self._archive.segments.get(segment_id).interview_id != interview_id:
            raise InvalidInputError("That segment belongs to another interview.")

    def _insert(self, row: dict[str, Any], reason: str | None) -> Redaction:
        row.update(
            reason=clean_text(reason), created_by=self._archive.audit.actor, created_at=now()
        )
        db = self._archive.db
        with db.atomic():
            new_id = db["redactions"].insert(row).last_pk
            self._archive.audit.record("redaction.add", "interview", row["interview_id"])
        return self.get(int(new_id))


# -- keeping redactions with edited text -----------------------------------------


def remap_spans(
    old_text: str, new_text: str, spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int] | None]:
    """Where each character span of ``old_text`` lies in ``new_text`` (None: all deleted).

    The one rule for moving span redactions through a change of a segment's text
    (edit, replace, split, merge, undo).  Spans follow the text around them through
    a :class:`~difflib.SequenceMatcher` diff and fail closed: characters of the span
    that were replaced bring their whole replacement into it, text inserted inside
    it is covered, and text inserted right against it that continues its word
    (``Ալի`` → ``Ալիին``) is covered too.  A span whose characters were all deleted
    has nothing left to hide and comes back as None.
    """
    if old_text == new_text:
        return [(start, end) for start, end in spans]
    ops = SequenceMatcher(None, old_text, new_text, autojunk=False).get_opcodes()
    out: list[tuple[int, int] | None] = []
    for span_start, span_end in spans:
        start, end = max(0, span_start), min(len(old_text), span_end)
        lo, hi = len(new_text) + 1, -1
        for tag, i1, i2, j1, j2 in ops:
            a, b = j1, j2  # the part of the new text this step puts in the span
            if tag == "equal":
                a, b = j1 + max(i1, start) - i1, j1 + min(i2, end) - i1
            elif tag in ("replace", "delete"):
                if not (i1 < end and start < i2):
                    continue
            elif not start < i1 < end:  # an insertion, not inside the span
                inserted = new_text[j1:j2]
                if start < end and i1 == end and _WORD.match(old_text[end - 1]):
                    b = j1 + _word_run(inserted, at_end=False)  # a suffix: Ալի → Ալիին
                elif start < end and i1 == start and _WORD.match(old_text[start]):
                    a = j2 - _word_run(inserted, at_end=True)  # a prefix joined to the word
                else:
                    continue
            if a < b:
                lo, hi = min(lo, a), max(hi, b)
        out.append((lo, hi) if lo < hi else None)
    return out


_WORD = re.compile(r"\w")


def _word_run(text: str, *, at_end: bool) -> int:
    """How many word characters ``text`` starts (or ends) with."""
    n = 0
    for ch in reversed(text) if at_end else text:
        if not _WORD.match(ch):
            break
        n += 1
    return n


def term_for_span(text: str, start: int, end: int) -> str | None:
    """The words a span of ``text`` hides, as a term for :func:`redact_text`.

    The start is widened to the beginning of its word (a term matches from a word's
    start, and greedily to the end of the word it ends in); None if there is no word.
    """
    start, end = max(0, start), min(len(text), end)
    while 0 < start < end and _WORD.match(text[start - 1]):
        start -= 1
    return clean_text(text[start:end]) if start < end else None
