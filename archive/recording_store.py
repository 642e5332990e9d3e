"""The recordings of an archive (``archive.recordings``): starting, listing, saving.

:meth:`RecordingStore.start` gives the :class:`~archive.recording.RecordingWriter`
that takes the audio; :meth:`RecordingStore.finish` turns the committed chunks into an
interview (original WAV, working copy, markers as clips) in one transaction, and
:meth:`RecordingStore.recover` does the same for a recording a crash left behind.
See :mod:`archive.recording` for the whole story.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from .errors import ArchiveError, DiskFullError, NotFoundError, VaultError
from .media import WORKING_CODEC, WORKING_CONTAINER, WORKING_RATE, decode_to_working_copy
from .recording import (
    FLUSH_SECONDS,
    MIN_START_SECONDS,
    UNFINISHED,
    VERBAL_CONSENT_SECONDS,
    EmptyRecordingError,
    Marker,
    Progress,
    RecordingError,
    RecordingInfo,
    RecordingWriter,
    seconds_left,
)
from .recording_pcm import PcmFormat, wav_header, wav_padding
from .records import Interview, InterviewMetadata
from .util import clean_text, new_id, now
from .vault import StoredFile, VaultReader, VaultWriter

if TYPE_CHECKING:
    from .archive import Archive


def _info(row: dict[str, Any]) -> RecordingInfo:
    return RecordingInfo(
        id=row["id"],
        started_at=row["started_at"],
        sample_rate=row["sample_rate"],
        channels=row["channels"],
        sample_width=row["sample_width"],
        device=row["device"],
        status=row["status"],
        frames=int(row["frames"] or 0),
        chunks=int(row["chunks"] or 0),
        markers=int(row["markers"] or 0),
        error=row["error"],
        interview_id=row["interview_id"],
    )


_SELECT = """
SELECT r.*,
    (SELECT max(start_frame + frames) FROM recording_chunks WHERE recording_id = r.id) AS frames,
    (SELECT count(*) FROM recording_chunks WHERE recording_id = r.id) AS chunks,
    (SELECT count(*) FROM recording_markers WHERE recording_id = r.id) AS markers
FROM recordings r
"""


def _default_meta(started: dt.datetime) -> dict[str, Any]:
    local = started.astimezone()
    return {
        "title": f"Recording {local:%Y-%m-%d %H:%M}",
        "recorded_on": f"{local:%Y-%m-%d}",
    }


def _link_verbal_consent(archive: Archive, interview_id: str, clip_id: int) -> None:
    """The interview's consent record points at where the narrator consented aloud."""
    archive.consent.set(interview_id, release_clip_id=clip_id)


class RecordingStore:
    """Recordings in progress and left unfinished; ``archive.recordings``."""

    def __init__(self, archive: Archive) -> None:
        self._archive = archive

    def start(
        self,
        fmt: PcmFormat,
        *,
        device: str | None = None,
        meta: InterviewMetadata | None = None,
        flush_seconds: float = FLUSH_SECONDS,
        background: bool = False,
    ) -> RecordingWriter:
        """Begin a recording in ``fmt``; refuses when the disk holds under a minute of it."""
        archive = self._archive
        free, left = seconds_left(archive.paths.vault, fmt)
        if left < MIN_START_SECONDS:
            raise DiskFullError(
                f"Not enough free disk space to record: {free / 1e6:.0f} MB free holds "
                f"about {left:.0f} s of {fmt.label()}. Free some space first."
            )
        given = {k: v for k, v in asdict(meta).items() if v} if meta is not None else {}
        if meta is not None:
            archive.interviews.row_for_new(meta, duration=None)  # validate now, not at stop
        started = dt.datetime.now(dt.UTC)
        recording_id = new_id()
        stamp = now()
        db = archive.db
        with db.atomic():
            db["recordings"].insert(
                {
                    "id": recording_id,
                    "started_at": stamp,
                    "updated_at": stamp,
                    "sample_rate": fmt.sample_rate,
                    "channels": fmt.channels,
                    "sample_width": fmt.sample_width,
                    "device": clean_text(device),
                    "status": "recording",
                    "meta": json.dumps({**_default_meta(started), **given}, ensure_ascii=False),
                }
            )
            archive.audit.record("recording.start", "recording", recording_id)
        try:
            return RecordingWriter(
                archive, recording_id, fmt, flush_seconds=flush_seconds, background=background
            )
        except BaseException:
            self.discard(recording_id, own=True)
            raise

    def get(self, recording_id: str) -> RecordingInfo:
        rows = list(self._archive.db.query(_SELECT + " WHERE r.id = ?", [recording_id]))
        if not rows:
            raise NotFoundError(f"No recording with id {recording_id}.")
        return _info(rows[0])

    def unfinished(self) -> list[RecordingInfo]:
        """Recordings stopped or cut off before they became interviews, oldest first."""
        marks = ",".join("?" * len(UNFINISHED))
        rows = self._archive.db.query(
            _SELECT + f" WHERE r.status IN ({marks}) ORDER BY r.started_at, r.rowid", UNFINISHED
        )
        return [_info(r) for r in rows]

    def markers(self, recording_id: str) -> list[Marker]:
        rows = self._archive.db.query(
            "SELECT seq, at, kind, theme_id, note FROM recording_markers "
            "WHERE recording_id = ? ORDER BY at, seq",
            [recording_id],
        )
        return [Marker(**r) for r in rows]

    def mark_interrupted(self) -> list[str]:
        """Recordings a dead process left running become ``interrupted``.

        Called on open only when no other process holds the archive.
        """
        rows = list(
            self._archive.db.query(
                "SELECT id FROM recordings WHERE status IN ('recording', 'assembling')"
            )
        )
        with self._archive.db.atomic():
            for row in rows:
                self._archive.db["recordings"].update(
                    row["id"], {"status": "interrupted", "updated_at": now()}
                )
        return [r["id"] for r in rows]

    def recover(
        self,
        recording_id: str,
        meta: InterviewMetadata | None = None,
        *,
        progress: Progress | None = None,
    ) -> Interview:
        """Save an unfinished recording as an interview (what was committed of it)."""
        return self.finish(recording_id, meta, progress=progress)

    def discard(self, recording_id: str, *, own: bool = False) -> None:
        """Delete an unfinished recording: its chunks, markers and row."""
        info = self.get(recording_id)
        if info.status not in UNFINISHED and not (own and info.status == "recording"):
            raise RecordingError("Only a stopped or interrupted recording can be discarded.")
        db = self._archive.db
        media = [r["media_id"] for r in self._chunk_rows(recording_id)]
        with db.atomic():
            self._delete_chunks(recording_id, media)
            db.execute("DELETE FROM recordings WHERE id = ?", [recording_id])
            self._archive.audit.record("recording.discard", "recording", recording_id)
        for media_id in media:
            self._archive.vault_path(media_id).unlink(missing_ok=True)

    # -- assembling ---------------------------------------------------------------------

    def finish(
        self,
        recording_id: str,
        meta: InterviewMetadata | None = None,
        *,
        progress: Progress | None = None,
        own: bool = False,
    ) -> Interview:
        """Make the interview: original WAV and working copy in the vault, markers as
        clips, then one transaction that adds it and drops the chunks.

        ``meta`` replaces what was given at start.  Raises
        :class:`EmptyRecordingError` (and discards it) when nothing was recorded; on
        any other failure the recording stays as it was, to be recovered later.
        """
        archive = self._archive
        info = self.get(recording_id)
        allowed = (*UNFINISHED, "recording") if own else UNFINISHED
        with archive.db.atomic():
            claimed = archive.db.execute(
                f"UPDATE recordings SET status = 'assembling', updated_at = ? "
                f"WHERE id = ? AND status IN ({','.join('?' * len(allowed))})",
                [now(), recording_id, *allowed],
            ).rowcount
        if claimed != 1:
            raise RecordingError(
                f"Recording {recording_id} is {info.status}: it cannot be saved now."
            )
        if info.frames == 0:
            self._set_status(recording_id, "stopped")
            self.discard(recording_id)
            raise EmptyRecordingError("Nothing was recorded, so no interview was made.")
        stored: list[StoredFile] = []
        try:
            meta = meta or self._saved_meta(recording_id)
            row = archive.interviews.row_for_new(meta, duration=round(info.duration, 3))
            original = self._write_original(info, progress)
            stored.append(original)
            working, decoded = self._write_working(original, progress)
            stored.append(working)
            interview = self._commit(info, row, meta.narrator, original, working, decoded)
        except BaseException as exc:
            for item in stored:
                archive.vault_path(item.id).unlink(missing_ok=True)
            with contextlib.suppress(Exception):
                self._set_status(recording_id, "stopped", _error_text(exc))
            raise
        if progress is not None:
            progress(1.0)
        return interview

    def _set_status(self, recording_id: str, status: str, error: str | None = None) -> None:
        values: dict[str, Any] = {"status": status, "updated_at": now()}
        if error is not None:
            values["error"] = error
        with self._archive.db.atomic():
            self._archive.db["recordings"].update(recording_id, values)

    def _saved_meta(self, recording_id: str) -> InterviewMetadata:
        """What was said about the interview when the recording started."""
        row = next(
            self._archive.db.query("SELECT meta FROM recordings WHERE id = ?", [recording_id])
        )
        saved = json.loads(row["meta"] or "{}")
        known = {f for f in InterviewMetadata.__dataclass_fields__}
        values = {k: v for k, v in saved.items() if k in known}
        values["languages"] = tuple(values.get("languages") or ())
        return InterviewMetadata(**values)

    def _chunk_rows(self, recording_id: str) -> list[dict[str, Any]]:
        return list(
            self._archive.db.query(
                "SELECT c.seq, c.media_id, c.start_frame, c.frames, m.size, m.sha256 "
                "FROM recording_chunks c LEFT JOIN media m ON m.id = c.media_id "
                "WHERE c.recording_id = ? ORDER BY c.start_frame, c.seq",
                [recording_id],
            )
        )

    def _chunk_plaintext(self, chunk: dict[str, Any], frame_size: int) -> bytes | None:
        """A chunk's samples, or None when it is missing or fails authentication."""
        expected = chunk["frames"] * frame_size
        try:
            with VaultReader(
                self._archive.vault_path(chunk["media_id"]), self._archive.media_key()
            ) as reader:
                data = reader.readall()
        except (VaultError, OSError):
            return None
        if len(data) != expected or hashlib.sha256(data).hexdigest() != chunk["sha256"]:
            return None
        return data

    def _write_original(self, info: RecordingInfo, progress: Progress | None) -> StoredFile:
        """Header, then every chunk's samples in order (silence for a lost one)."""
        fmt = info.format
        archive = self._archive
        chunks = self._chunk_rows(info.id)
        data_size = info.frames * fmt.frame_size
        gaps = 0
        with VaultWriter(archive.paths.vault, archive.media_key()) as out:
            out.write(wav_header(data_size, fmt))
            position = 0  # frames written
            for n, chunk in enumerate(chunks, 1):
                if chunk["start_frame"] > position:  # a chunk never committed
                    out.write(bytes((chunk["start_frame"] - position) * fmt.frame_size))
                    position = chunk["start_frame"]
                    gaps += 1
                if chunk["start_frame"] < position:  # overlaps what is written: skip it
                    continue
                data = self._chunk_plaintext(chunk, fmt.frame_size)
                if data is None:
                    data = bytes(chunk["frames"] * fmt.frame_size)
                    gaps += 1
                out.write(data)
                position += chunk["frames"]
                if progress is not None:
                    progress(0.5 * n / len(chunks))
            out.write(wav_padding(data_size))
            stored = out.commit()
        if gaps:
            archive.audit.record("recording.gaps", "recording", info.id)
        return stored

    def _write_working(
        self, original: StoredFile, progress: Progress | None
    ) -> tuple[StoredFile, float]:
        archive = self._archive
        with (
            VaultWriter(archive.paths.vault, archive.media_key()) as working,
            archive.media.open(original.id) as source,
        ):
            _, decoded = decode_to_working_copy(
                source,
                working.write,
                name="The recording",
                progress=(lambda f: progress(0.5 + 0.45 * f)) if progress else None,
            )
            return working.commit(), decoded

    def _commit(
        self,
        info: RecordingInfo,
        row: dict[str, Any],
        narrator: str | None,
        original: StoredFile,
        working: StoredFile,
        decoded: float,
    ) -> Interview:
        archive = self._archive
        fmt = info.format
        duration = round(info.duration, 3)
        markers = self.markers(info.id)
        media = [r["media_id"] for r in self._chunk_rows(info.id)]
        started = dt.datetime.fromisoformat(info.started_at).astimezone()
        stamp = now()
        db = archive.db
        with db.atomic():
            if narrator:
                row["narrator_id"] = archive.narrators.find_or_create(narrator).id
            db["interviews"].insert(row)
            common = {"interview_id": row["id"], "created_at": stamp}
            db["media"].insert(
                {
                    **common,
                    "id": original.id,
                    "role": "original",
                    "filename": f"recording-{started:%Y%m%d-%H%M%S}.wav",
                    "container": "wav",
                    "codec": fmt.codec,
                    "sample_rate": fmt.sample_rate,
                    "channels": fmt.channels,
                    "duration": duration,
                    "size": original.size,
                    "sha256": original.sha256,
                }
            )
            db["media"].insert(
                {
                    **common,
                    "id": working.id,
                    "role": "working",
                    "container": WORKING_CONTAINER,
                    "codec": WORKING_CODEC,
                    "sample_rate": WORKING_RATE,
                    "channels": 1,
                    "duration": round(decoded, 3),
                    "size": working.size,
                    "sha256": working.sha256,
                }
            )
            self._markers_to_clips(row["id"], markers, duration)
            self._delete_chunks(info.id, media)
            db["recordings"].update(
                info.id,
                {"status": "finished", "interview_id": row["id"], "updated_at": stamp},
            )
            archive.audit.record("interview.record", "interview", row["id"])
        for media_id in media:
            archive.vault_path(media_id).unlink(missing_ok=True)
        return archive.interviews.get(row["id"])

    def _markers_to_clips(self, interview_id: str, markers: list[Marker], duration: float) -> None:
        archive = self._archive
        consent_linked = False
        for marker in markers:
            at = min(marker.at, duration)
            themes = [marker.theme_id] if marker.theme_id is not None else []
            if marker.kind == "verbal_consent":
                end = min(at + VERBAL_CONSENT_SECONDS, duration)
                start = max(0.0, min(at, end - 1.0))
                if end <= start:
                    continue  # a recording too short to hold it
                clip = archive.clips.create(
                    interview_id, start, end, kind="verbal_consent", themes=themes,
                    note=marker.note,
                )  # fmt: skip
                if not consent_linked:
                    _link_verbal_consent(archive, interview_id, clip.id)
                    consent_linked = True
            else:
                archive.clips.create(
                    interview_id, at, at, kind="marker", themes=themes, note=marker.note
                )

    def _delete_chunks(self, recording_id: str, media: list[str]) -> None:
        db = self._archive.db
        db.execute("DELETE FROM recording_chunks WHERE recording_id = ?", [recording_id])
        db.execute("DELETE FROM recording_markers WHERE recording_id = ?", [recording_id])
        for media_id in media:
            db.execute("DELETE FROM media WHERE id = ? AND role = 'recording'", [media_id])


def _error_text(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, ArchiveError) else type(exc).__name__
