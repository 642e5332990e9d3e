"""Transcript segments: time-coded text, the machine's words kept beside the human's.

A person's corrections follow three rules here:

* The machine's original text is never lost: a split divides ``machine_text`` with
  the text (or leaves it whole on the first part), a merge joins it.
* ``edited`` means a person gave the segment something the machine cannot give back
  (corrected words, a speaker); a re-run of transcription keeps edited segments.
* :meth:`SegmentStore.snapshot` and :meth:`SegmentStore.restore` put back exact
  earlier rows, ids included: the editor's undo and redo are built on them.

Character offsets are Python string indices (Unicode code points) into ``text``.

A redaction of one segment (a span of its text, or a word in it only) follows the
segment through every change here, in the change's own transaction: spans move with
the text (:func:`archive.redaction.remap_spans`), to the other part of a split, into
the merged segment, and back again on undo.  Nothing here ever lets one fall away
with its row while its words are still in the transcript.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from .errors import NotFoundError
from .records import NewSegment, Segment, from_row
from .redaction import Redaction, remap_spans, term_for_span
from .util import InvalidInputError, clean_text, now

if TYPE_CHECKING:
    from .archive import Archive


class SegmentStore:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive
        # What recent changes did to segments' redactions, so that an undo or redo
        # through restore() puts back exactly those rows (in memory, like the undo
        # stack it serves; when it has been forgotten, restore() remaps instead).
        self._carried: deque[_Carried] = deque(maxlen=_CARRIED_KEPT)

    def list(self, interview_id: str) -> list[Segment]:
        rows = self._archive.db.query(
            'SELECT * FROM segments WHERE interview_id = ? ORDER BY start, "end", id',
            [interview_id],
        )
        return [from_row(Segment, r) for r in rows]

    def get(self, segment_id: int) -> Segment:
        rows = list(self._archive.db.query("SELECT * FROM segments WHERE id = ?", [segment_id]))
        if not rows:
            raise NotFoundError(f"No segment with id {segment_id}.")
        return from_row(Segment, rows[0])

    def add(
        self,
        interview_id: str,
        segments: Iterable[NewSegment],
        *,
        source: str = "machine",
        job_id: int | None = None,
    ) -> list[int]:
        """Insert segments in one transaction; returns their ids."""
        self._archive.interviews.get(interview_id)
        stamp = now()
        ids: list[int] = []
        db = self._archive.db
        with db.atomic():
            for seg in segments:
                if seg.end < seg.start or seg.start < 0:
                    raise InvalidInputError(
                        f"A segment cannot end ({seg.end:.2f} s) before it starts "
                        f"({seg.start:.2f} s)."
                    )
                text = clean_text(seg.text) or ""
                row: dict[str, Any] = {
                    "interview_id": interview_id,
                    "start": seg.start,
                    "end": seg.end,
                    "speaker": clean_text(seg.speaker),
                    "text": text,
                    "machine_text": text if source == "machine" else None,
                    "confidence": seg.confidence,
                    "no_speech_prob": seg.no_speech_prob,
                    "words": json.dumps([asdict(w) for w in seg.words], ensure_ascii=False),
                    "language": seg.language,
                    "translation": clean_text(seg.translation),
                    "source": source,
                    "job_id": job_id,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
                ids.append(db["segments"].insert(row).last_pk)
        return ids

    def clear_machine(self, interview_id: str) -> int:
        """Remove the machine's segments before a re-run; keep every corrected one.

        Returns how many segments were kept (edited by a person, or attached).
        """
        db = self._archive.db
        with db.atomic():
            db.execute(  # a segment with its own redaction is kept even if unedited
                "DELETE FROM segments WHERE interview_id = ? AND source = 'machine' "
                "AND edited = 0 AND id NOT IN "
                "(SELECT segment_id FROM redactions WHERE segment_id IS NOT NULL)",
                [interview_id],
            )
            kept = db.execute(
                "SELECT count(*) FROM segments WHERE interview_id = ?", [interview_id]
            ).fetchone()[0]
        return int(kept)

    def attach(
        self, interview_id: str, data: bytes, filename: str, *, replace: bool = False
    ) -> int:
        """Attach an existing transcript (SRT, WebVTT, OHMS XML, text with [hh:mm:ss]).

        Its segments are marked human-made.  An interview that already has segments
        is left alone unless ``replace`` says to discard them (corrections included).
        Returns the number of segments added.
        """
        from .transcript_formats import parse_transcript

        interview = self._archive.interviews.get(interview_id)
        segments = parse_transcript(data, filename, duration=interview.duration)
        existing = self.list(interview_id)
        if existing and not replace:
            raise InvalidInputError(
                f"Interview {interview_id} already has {len(existing)} segments. "
                "Attach with replace to discard them (corrections included)."
            )
        db = self._archive.db
        with db.atomic():
            old = self.list(interview_id)
            rows = self._redaction_rows([s.id for s in old])
            db.execute("DELETE FROM segments WHERE interview_id = ?", [interview_id])
            ids = self.add(interview_id, segments, source="human")
            self._write_redactions(rows, _as_terms(rows, old, self.snapshot(ids)))
            db["interviews"].update(interview_id, {"transcription_status": "done"})
            self._archive.audit.record("transcript.attach", "interview", interview_id)
        return len(ids)

    def set_text(self, segment_id: int, text: str) -> Segment:
        """A person's correction: the machine's original stays in ``machine_text``."""
        db = self._archive.db
        with db.atomic():
            old = [self.get(segment_id)]
            rows = self._redaction_rows([segment_id])
            db["segments"].update(
                segment_id, {"text": clean_text(text) or "", "edited": 1, "updated_at": now()}
            )
            carried = self._carry(rows, old, [self.get(segment_id)])
            self._archive.audit.record("segment.edit", "segment", str(segment_id))
        self._remember(carried)
        return self.get(segment_id)

    # -- a person's corrections ----------------------------------------------

    def speakers(self, interview_id: str) -> list[str]:
        """The interview's speakers, in order of first appearance."""
        self._archive.interviews.get(interview_id)
        rows = self._archive.db.execute(
            "SELECT speaker FROM segments WHERE interview_id = ? AND speaker IS NOT NULL "
            'ORDER BY start, "end", id',
            [interview_id],
        ).fetchall()
        return list(dict.fromkeys(row[0] for row in rows))

    def set_speaker(self, segment_id: int, speaker: str | None) -> Segment:
        """Name who speaks in a segment (None clears it); the segment counts as edited."""
        self.get(segment_id)
        db = self._archive.db
        with db.atomic():
            db["segments"].update(
                segment_id, {"speaker": clean_text(speaker), "edited": 1, "updated_at": now()}
            )
            self._archive.audit.record("segment.speaker", "segment", str(segment_id))
        return self.get(segment_id)

    def rename_speaker(self, interview_id: str, old: str, new: str) -> int:
        """Rename a speaker in every segment of an interview; returns how many changed."""
        self._archive.interviews.get(interview_id)
        old_name, new_name = clean_text(old), clean_text(new)
        if old_name is None or new_name is None:
            raise InvalidInputError("A speaker's name cannot be empty.")
        if old_name == new_name:
            return 0
        db = self._archive.db
        with db.atomic():
            count = db.execute(
                "UPDATE segments SET speaker = ?, edited = 1, updated_at = ? "
                "WHERE interview_id = ? AND speaker = ?",
                [new_name, now(), interview_id, old_name],
            ).rowcount
            if count:
                self._archive.audit.record("segment.rename_speaker", "interview", interview_id)
        return int(count)

    def split(
        self, segment_id: int, char_offset: int, at_time: float | None = None
    ) -> tuple[Segment, Segment]:
        """Split a segment in two at a character offset of its text.

        The second part is a new row.  It starts where the first machine word after the
        offset starts, when the words can be placed in the text; else at ``at_time``;
        else at a time proportional to the characters.  The words are divided with the
        text.  The machine's text is divided the same way while the text is still the
        machine's; once a person changed the words it stays whole on the first part.
        Both parts keep speaker, language, source, ``edited``, confidence and job; a
        translation cannot be divided and stays with the first part.
        """
        db = self._archive.db
        with db.atomic():  # read and write in one transaction: a worker may be writing too
            seg = self.get(segment_id)
            rows = self._redaction_rows([seg.id])
            first_text, second_text = _divide_text(seg.text, char_offset)
            time, cut = _split_time_and_words(seg, char_offset, at_time)
            if seg.machine_text is not None and seg.machine_text == seg.text:
                first_machine, second_machine = first_text, second_text
            else:
                first_machine, second_machine = seg.machine_text, None
            stamp = now()
            db["segments"].update(
                seg.id,
                {
                    "end": time,
                    "text": first_text,
                    "machine_text": first_machine,
                    "words": _words_json(seg.words[:cut]),
                    "updated_at": stamp,
                },
            )
            second = _row(seg, created_at=stamp, updated_at=stamp)
            del second["id"]
            second.update(
                start=time,
                text=second_text,
                machine_text=second_machine,
                words=_words_json(seg.words[cut:]),
                translation=None,
            )
            new_id = db["segments"].insert(second).last_pk
            carried = self._carry(rows, [seg], [self.get(seg.id), self.get(new_id)])
            self._archive.audit.record("segment.split", "segment", str(seg.id))
        self._remember(carried)
        return self.get(seg.id), self.get(new_id)

    def merge(self, first_id: int, second_id: int) -> Segment:
        """Join a segment with the one right after it, into the first one's row.

        Text, the machine's text and translations are joined with a space and the words
        concatenated; the result runs from the first's start to the second's end.  It
        keeps the first's speaker (the second's when the first has none), language,
        source and job.  It is edited if either part was, or if they came from different
        sources (a person's words are in it).  The second row is removed.
        """
        db = self._archive.db
        with db.atomic():
            a, b = self.get(first_id), self.get(second_id)
            if a.id == b.id or a.interview_id != b.interview_id:
                raise InvalidInputError(
                    "Only two different segments of one interview can be merged."
                )
            if _order_key(b) < _order_key(a):
                raise InvalidInputError(
                    "A segment can only be merged with the one that follows it."
                )
            between = db.execute(
                "SELECT count(*) FROM segments WHERE interview_id = ? "
                'AND (start, "end", id) > (?, ?, ?) AND (start, "end", id) < (?, ?, ?)',
                [a.interview_id, *_order_key(a), *_order_key(b)],
            ).fetchone()[0]
            if between:
                raise InvalidInputError(
                    "Only neighbouring segments can be merged: there are segments between them."
                )
            rows = self._redaction_rows([a.id, b.id])
            db["segments"].update(a.id, _merged_fields(a, b))
            db.execute("DELETE FROM segments WHERE id = ?", [b.id])
            carried = self._carry(rows, [a, b], [self.get(a.id)])
            self._archive.audit.record("segment.merge", "segment", str(a.id))
        self._remember(carried)
        return self.get(a.id)

    def replace_text(
        self,
        interview_id: str,
        find: str,
        replace: str,
        *,
        case_sensitive: bool = False,
        whole_word: bool = False,
    ) -> list[int]:
        """Replace every match in an interview's texts; returns the ids that changed.

        The machine's text is kept as it was; changed segments count as edited.
        """
        self._archive.interviews.get(interview_id)
        pattern = find_pattern(find, case_sensitive=case_sensitive, whole_word=whole_word)
        replacement = unicodedata.normalize("NFC", replace)
        stamp = now()
        changed: list[int] = []
        before: list[Segment] = []
        db = self._archive.db
        carried = None
        with db.atomic():
            for seg in self.list(interview_id):
                text = clean_text(pattern.sub(lambda _m: replacement, seg.text)) or ""
                if text != seg.text:
                    db.execute(
                        "UPDATE segments SET text = ?, edited = 1, updated_at = ? WHERE id = ?",
                        [text, stamp, seg.id],
                    )
                    changed.append(seg.id)
                    before.append(seg)
            if changed:
                rows = self._redaction_rows(changed)
                carried = self._carry(rows, before, self.snapshot(changed))
                self._archive.audit.record("segment.replace", "interview", interview_id)
        self._remember(carried)
        return changed

    def snapshot(self, segment_ids: Iterable[int]) -> list[Segment]:
        """Exact copies of segments, in the order asked, to hand back to :meth:`restore`."""
        ids = list(segment_ids)
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = self._archive.db.query(f"SELECT * FROM segments WHERE id IN ({marks})", ids)
        found = {r["id"]: from_row(Segment, r) for r in rows}
        for segment_id in ids:
            if segment_id not in found:
                raise NotFoundError(f"No segment with id {segment_id}.")
        return [found[i] for i in ids]

    def restore(self, remove_ids: Iterable[int], segments: Iterable[Segment]) -> None:
        """Remove some rows and put back exact earlier ones, in one transaction.

        Every field comes back as it was in the :meth:`snapshot`, the id included, so an
        undo returns exactly to the earlier state.  The full-text index follows through
        the table's triggers (a row is deleted and inserted, never replaced in place:
        ``INSERT OR REPLACE`` would skip the delete trigger).  Only ``updated_at``
        changes, and ``created_at`` when the row had been removed.  All rows must
        belong to one interview.  The segments' own redactions come along in the same
        transaction: exactly as they were, when undoing or redoing a change made here
        with no redaction added or removed since; else remapped onto the restored text.
        """
        remove = list(dict.fromkeys(remove_ids))
        put = list(segments)
        put_ids = [s.id for s in put]
        if len(set(put_ids)) != len(put_ids):
            raise InvalidInputError("The same segment cannot be restored twice.")
        for seg in put:
            if seg.start < 0 or seg.end < seg.start:
                raise InvalidInputError(
                    f"A segment cannot end ({seg.end:.2f} s) before it starts ({seg.start:.2f} s)."
                )
        db = self._archive.db
        with db.atomic():
            touched = list(dict.fromkeys([*remove, *put_ids]))
            marks = ", ".join("?" for _ in touched)
            existing = {
                r["id"]: r
                for r in db.query(f"SELECT * FROM segments WHERE id IN ({marks})", touched)
            }
            for segment_id in remove:
                if segment_id not in existing:
                    raise NotFoundError(f"No segment with id {segment_id}.")
            interviews = {r["interview_id"] for r in existing.values()}
            interviews |= {s.interview_id for s in put}
            if len(interviews) > 1:
                raise InvalidInputError("Segments of one interview at a time can be restored.")
            if not interviews:
                return
            interview_id = interviews.pop()
            self._archive.interviews.get(interview_id)
            stamp = now()
            gone = [i for i in touched if i in existing]
            old = sorted((from_row(Segment, existing[i]) for i in gone), key=_order_key)
            rows = self._redaction_rows(gone)  # read before the cascade removes them
            exact = self._recalled(rows, old, put)
            if gone:
                db.execute(
                    f"DELETE FROM segments WHERE id IN ({', '.join('?' for _ in gone)})", gone
                )
            for seg in put:
                created = existing[seg.id]["created_at"] if seg.id in existing else stamp
                row = _row(seg, created_at=created, updated_at=stamp)
                columns = ", ".join(f'"{name}"' for name in row)  # the record's own fields
                marks = ", ".join("?" for _ in row)
                db.execute(f"INSERT INTO segments ({columns}) VALUES ({marks})", list(row.values()))
            carried = self._carry(rows, old, sorted(put, key=_order_key), planned=exact)
            self._archive.audit.record("segment.restore", "interview", interview_id)
        self._remember(carried)

    # -- redactions that belong to segments --------------------------------------

    def _redaction_rows(self, segment_ids: Iterable[int]) -> list[dict[str, Any]]:
        """The redactions of these segments (spans, and words redacted in one segment)."""
        ids = list(dict.fromkeys(segment_ids))
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        return [
            {k: r[k] for k in _REDACTION_COLUMNS}
            for r in self._archive.db.query(
                f"SELECT * FROM redactions WHERE segment_id IN ({marks}) ORDER BY id", ids
            )
        ]

    def _write_redactions(
        self, current: Sequence[Mapping[str, Any]], planned: Sequence[Mapping[str, Any]]
    ) -> None:
        """Replace the rows ``current`` (some may be gone already) by ``planned``."""
        db = self._archive.db
        if current:
            ids = [r["id"] for r in current]
            db.execute(f"DELETE FROM redactions WHERE id IN ({', '.join('?' for _ in ids)})", ids)
        # rows keeping their id first: a new row's id must not take one of theirs
        for planned_row in sorted(planned, key=lambda r: r.get("id") is None):
            row = {k: v for k, v in planned_row.items() if k != "id" or v is not None}
            columns = ", ".join(f'"{name}"' for name in row)
            marks = ", ".join("?" for _ in row)
            db.execute(f"INSERT INTO redactions ({columns}) VALUES ({marks})", list(row.values()))

    def _carry(
        self,
        rows: Sequence[Mapping[str, Any]],
        old: Sequence[Segment],
        new: Sequence[Segment],
        *,
        planned: Sequence[Mapping[str, Any]] | None = None,
    ) -> _Carried | None:
        """Move the redactions ``rows`` of segments ``old`` onto what replaced them.

        Called in the change's transaction once ``new`` (both in text order) are
        written; returns what to remember for an exact undo.
        """
        if not rows and not planned:
            return None
        if planned is None:
            planned = _plan_redactions(rows, old, new)
        self._write_redactions(rows, planned)
        after = self._redaction_rows([s.id for s in new])
        return _Carried(_state(old), _state(new), _row_set(rows), _row_set(after))

    def _remember(self, carried: _Carried | None) -> None:
        """Keep a committed change's effect on redactions (see :meth:`_recalled`)."""
        if carried is not None:
            self._carried.append(carried)

    def _recalled(
        self, rows: Sequence[Mapping[str, Any]], old: Sequence[Segment], put: Sequence[Segment]
    ) -> list[dict[str, Any]] | None:
        """The exact redaction rows for an undo or redo of a remembered change.

        Only when the segments go back and forth between the two remembered states
        and their redactions are exactly as that change left them (none added or
        removed since), and no id to put back has been taken by another redaction.
        Else None, and :meth:`restore` remaps the current rows.
        """
        if not self._carried:
            return None
        here, there, now_rows = _state(old), _state(put), _row_set(rows)
        for c in reversed(self._carried):
            if (c.after, c.before, c.rows_after) == (here, there, now_rows):
                target = c.rows_before
            elif (c.before, c.after, c.rows_before) == (here, there, now_rows):
                target = c.rows_after
            else:
                continue
            wanted = [dict(zip(_REDACTION_COLUMNS, r, strict=True)) for r in target]
            fresh = [r["id"] for r in wanted if r["id"] not in {x["id"] for x in rows}]
            if fresh:
                marks = ", ".join("?" for _ in fresh)
                taken = self._archive.db.execute(
                    f"SELECT count(*) FROM redactions WHERE id IN ({marks})", fresh
                ).fetchone()[0]
                if taken:
                    return None
            return wanted
        return None


_CARRIED_KEPT = 500
_REDACTION_COLUMNS = tuple(Redaction.__dataclass_fields__)


@dataclass(frozen=True)
class _Carried:
    """One change's effect on segment redactions: segments (id, text) and rows, both ways."""

    before: frozenset[tuple[int, str]]
    after: frozenset[tuple[int, str]]
    rows_before: frozenset[tuple[Any, ...]]
    rows_after: frozenset[tuple[Any, ...]]


def _state(segments: Iterable[Segment]) -> frozenset[tuple[int, str]]:
    return frozenset((s.id, s.text) for s in segments)


def _row_set(rows: Iterable[Mapping[str, Any]]) -> frozenset[tuple[Any, ...]]:
    return frozenset(tuple(r[k] for k in _REDACTION_COLUMNS) for r in rows)


def _plan_redactions(
    rows: Sequence[Mapping[str, Any]], old: Sequence[Segment], new: Sequence[Segment]
) -> list[dict[str, Any]]:
    """Where the redactions ``rows`` of segments ``old`` go among segments ``new``.

    The same segments with other texts: each span is remapped in its own segment.
    Otherwise (a split, a merge, their undo) the texts are read as one, joined as
    merge joins them, and each span is remapped through that and cut at the new
    segments' edges; a word redacted in one segment goes to every new segment its
    text went into.  The first piece of a row keeps its id; further pieces are new.
    """
    if not new:
        return []  # the segments are gone, and their words with them
    old_by_id = {s.id: s for s in old}
    if {s.id for s in old} == {s.id for s in new}:
        new_by_id = {s.id: s for s in new}
        planned: list[dict[str, Any]] = []
        for row in rows:
            seg_id = row["segment_id"]
            if seg_id not in new_by_id or not _is_span(row):
                planned.append(dict(row))
                continue
            span = remap_spans(
                old_by_id[seg_id].text,
                new_by_id[seg_id].text,
                [(row["char_start"], row["char_end"])],
            )[0]
            if span is not None:
                planned.append({**row, "char_start": span[0], "char_end": span[1]})
        return planned
    old_at, old_text = _joined(old)
    new_at, new_text = _joined(new)
    planned = []
    for row in rows:
        seg = old_by_id.get(row["segment_id"])
        if seg is None:
            continue
        base = old_at[seg.id]
        if _is_span(row):
            where = (base + row["char_start"], base + min(row["char_end"], len(seg.text)))
        else:  # a word redacted in this segment, or a stray row: wherever its text went
            where = (base, base + len(seg.text))
        mapped = remap_spans(old_text, new_text, [where])[0] if where[0] < where[1] else None
        pieces: list[tuple[Segment, int, int]] = []
        for target in new:
            start = new_at[target.id]
            if mapped is None:
                continue
            lo, hi = max(mapped[0], start), min(mapped[1], start + len(target.text))
            if lo < hi:
                pieces.append((target, lo - start, hi - start))
        if not pieces and not _is_span(row):
            pieces = [(target, 0, 0) for target in new]  # fail closed: everywhere
        for n, (target, lo, hi) in enumerate(pieces):
            piece = {**row, "segment_id": target.id}
            if _is_span(row):
                piece.update(char_start=lo, char_end=hi)
            if n:
                piece["id"] = None
            planned.append(piece)
    return planned


def _is_span(row: Mapping[str, Any]) -> bool:
    return (
        row["text"] is None
        and (row["start"] is None or row["end"] is None)
        and row["char_start"] is not None
        and row["char_end"] is not None
    )


def _joined(segments: Sequence[Segment]) -> tuple[dict[int, int], str]:
    """Segments' texts joined with a space (as a merge joins them), and where each starts."""
    at: dict[int, int] = {}
    cursor = 0
    for seg in segments:
        at[seg.id] = cursor
        cursor += len(seg.text) + 1
    return at, " ".join(s.text for s in segments)


def _as_terms(
    rows: Sequence[Mapping[str, Any]], old: Sequence[Segment], new: Sequence[Segment]
) -> list[dict[str, Any]]:
    """Redactions of discarded segments as words redacted in the new segments.

    When a whole transcript is replaced, its segments' spans and words become words
    redacted in each new segment that overlaps the old one in time (everywhere in the
    interview when none does): the new transcript may say them again.
    """
    old_by_id = {s.id: s for s in old}
    planned: list[dict[str, Any]] = []
    for row in rows:
        seg = old_by_id.get(row["segment_id"])
        if seg is None:
            continue
        term = (
            term_for_span(seg.text, row["char_start"], row["char_end"])
            if _is_span(row)
            else clean_text(row["text"])
        )
        if term is None:
            continue
        targets: list[int | None] = [
            s.id for s in new if s.start <= seg.end and seg.start <= s.end
        ] or [None]
        for n, target in enumerate(targets):
            planned.append(
                {
                    **row,
                    "id": None if n else row["id"],
                    "segment_id": target,
                    "text": term,
                    "char_start": None,
                    "char_end": None,
                }
            )
    return planned


# -- rules on a segment's text, shared with the editor ---------------------------

Span = tuple[int, int]


def find_pattern(
    find: str, *, case_sensitive: bool = False, whole_word: bool = False
) -> re.Pattern[str]:
    """The one rule for what a search in a transcript matches (replace and the find bar).

    Literal text, NFC-normalised like stored text; case-insensitive unless asked;
    ``whole_word`` needs a non-letter (or the text's edge) on both sides.
    """
    if not find:
        raise InvalidInputError("Type the text to find.")
    body = re.escape(unicodedata.normalize("NFC", find))
    if whole_word:
        body = rf"(?<!\w){body}(?!\w)"
    return re.compile(body, 0 if case_sensitive else re.IGNORECASE)


def find_spans(
    text: str, find: str, *, case_sensitive: bool = False, whole_word: bool = False
) -> list[Span]:
    """Where ``find`` matches in ``text``: (start, end) string indices, in order."""
    pattern = find_pattern(find, case_sensitive=case_sensitive, whole_word=whole_word)
    return [m.span() for m in pattern.finditer(text)]


def word_spans(text: str, words: Sequence[Mapping[str, Any]]) -> list[Span | None]:
    """Where each of the machine's words lies in ``text``, or None if it is not there.

    A person may have corrected the text since the machine wrote it, so the words
    are lined up with the text token by token (whitespace-separated, ignoring case)
    with a diff: a word whose token was changed or removed gets None rather than a
    wrong place.  A word that starts with a space starts a new token (Whisper's
    words carry their leading space; a continuation of a word has none).
    """
    spans: list[Span | None] = [None] * len(words)
    tokens: list[str] = []
    members: list[list[tuple[int, int]]] = []  # per token: (word index, offset in token)
    for i, w in enumerate(words):
        raw = str(w.get("word") or "")
        piece = raw.strip()
        if not piece:
            continue
        if not tokens or raw[:1].isspace():
            tokens.append("")
            members.append([])
        members[-1].append((i, len(tokens[-1])))
        tokens[-1] += piece
    found = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    matcher = SequenceMatcher(
        None, [t.casefold() for t in tokens], [t.casefold() for _, t in found], autojunk=False
    )
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            token, (start, seen) = tokens[a + k], found[b + k]
            pieces = members[a + k]
            for n, (i, offset) in enumerate(pieces):
                if len(seen) != len(token):  # case folding changed the length: whole token
                    spans[i] = (start, start + len(seen))
                    continue
                end = pieces[n + 1][1] if n + 1 < len(pieces) else len(token)
                spans[i] = (start + offset, start + end)
    return spans


# -- helpers -----------------------------------------------------------------


def _order_key(seg: Segment) -> tuple[float, float, int]:
    """The order of :meth:`SegmentStore.list`."""
    return (seg.start, seg.end, seg.id)


def _words_json(words: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps(list(words), ensure_ascii=False)


def _row(seg: Segment, *, created_at: str, updated_at: str) -> dict[str, Any]:
    """The ``segments`` row for a record, every column given."""
    row = asdict(seg)
    row.update(
        words=_words_json(seg.words),
        edited=int(seg.edited),
        created_at=created_at,
        updated_at=updated_at,
    )
    return row


def _divide_text(text: str, offset: int) -> tuple[str, str]:
    if isinstance(offset, bool) or not isinstance(offset, int):
        raise InvalidInputError("A segment is split at a character position (a whole number).")
    first = clean_text(text[:offset]) if 0 < offset < len(text) else None
    second = clean_text(text[offset:]) if 0 < offset < len(text) else None
    if first is None or second is None:
        raise InvalidInputError(
            "A segment can only be split inside its text, with words on both sides."
        )
    return first, second


def _split_time_and_words(seg: Segment, offset: int, at_time: float | None) -> tuple[float, int]:
    """When the second part starts, and how many words stay with the first part."""
    spans = word_spans(seg.text, seg.words)
    for i, span in enumerate(spans):
        if span is not None and span[0] >= offset:
            word_start = float(seg.words[i].get("start", seg.start))
            return min(max(word_start, seg.start), seg.end), i
    if at_time is not None:
        if not seg.start <= at_time <= seg.end:
            raise InvalidInputError(
                f"The split time must lie inside the segment ({seg.start:.2f}–{seg.end:.2f} s)."
            )
        time = float(at_time)
    else:
        time = round(seg.start + (seg.end - seg.start) * offset / len(seg.text), 3)
    cut = next(
        (i for i, w in enumerate(seg.words) if float(w.get("start", 0.0)) >= time),
        len(seg.words),
    )
    return time, cut


def _join(*parts: str | None) -> str | None:
    """Texts joined with a space; None when there is none."""
    return " ".join(p for p in parts if p) or None


def _weighted(a: float | None, wa: float, b: float | None, wb: float) -> float | None:
    """A duration-weighted mean of two scores, either of which may be missing."""
    if a is None or b is None:
        return a if b is None else b
    if wa + wb <= 0:
        return (a + b) / 2
    return (a * wa + b * wb) / (wa + wb)


def _merged_fields(a: Segment, b: Segment) -> dict[str, Any]:
    da, db_ = a.end - a.start, b.end - b.start
    machine = (
        None
        if a.machine_text is None and b.machine_text is None
        else (_join(a.machine_text, b.machine_text) or "")
    )
    return {
        "end": max(a.end, b.end),
        "text": _join(a.text, b.text) or "",
        "machine_text": machine,
        "words": _words_json([*a.words, *b.words]),
        "speaker": a.speaker or b.speaker,
        "language": a.language or b.language,
        "translation": _join(a.translation, b.translation),
        "confidence": _weighted(a.confidence, da, b.confidence, db_),
        "no_speech_prob": _weighted(a.no_speech_prob, da, b.no_speech_prob, db_),
        "edited": int(a.edited or b.edited or a.source != b.source),
        "updated_at": now(),
    }
