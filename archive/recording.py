"""Recording an interview, safe against crashes, full disks and killed processes.

PCM frames from any source (a microphone in the desktop, a WAV file or a test tone
in the CLI and the tests) go to a :class:`RecordingWriter`, which:

* keeps them in memory for at most ``flush_seconds`` (2 s by default), then seals
  them as one **chunk**: a complete, authenticated vault file committed together
  with its database rows (a ``media`` row of role ``recording`` and a
  ``recording_chunks`` row).  A crash loses at most the chunk being gathered.
* writes each marker (a key press during the interview, optionally with a theme
  or a few words; or a *verbal consent* marker) as a row the moment it is made;
* checks the free disk space with every chunk, warns well before it runs out, and
  stops cleanly while there is still room to save what was recorded.

On :meth:`RecordingWriter.stop` the chunks become the interview's **original** (a
PCM WAV, streamed chunk by chunk into a new vault file: header first, its size known
at stop; all channels and the bit depth kept) and its 16 kHz mono **working copy**
(decoded from the vault original exactly as an import's is); the markers become
clips; one transaction adds the interview and removes the chunk rows.  No plaintext
ever touches the disk.  (The store and the assembly are in :mod:`archive.recording_store`;
samples, levels, WAV headers and non-device sources in :mod:`archive.recording_pcm`.)

A recording left behind by a crash is marked ``interrupted`` the next time the
archive is opened by its only user; ``archive.recordings.unfinished()`` lists it, and
``archive.recordings.recover(id)`` saves it the same way (a chunk that is missing or
fails authentication becomes silence of its length, so the markers stay in place).
"""

from __future__ import annotations

import queue
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ArchiveError, DiskFullError, NotFoundError
from .media import BYTES_PER_SAMPLE, WORKING_RATE
from .recording_pcm import PcmFormat
from .records import Interview, InterviewMetadata
from .util import InvalidInputError, clean_text, format_clock, now
from .vault import VaultWriter

if TYPE_CHECKING:
    from .archive import Archive

FLUSH_SECONDS = 2.0
MARKER_KINDS = ("marker", "verbal_consent")
# A verbal consent marker becomes a clip this long (or to the end), to adjust later.
VERBAL_CONSENT_SECONDS = 60.0
# Disk: refuse to start with less than this much recording time, warn below
# LOW_DISK_SECONDS, and always keep RESERVE_BYTES free for the database and the rest.
MIN_START_SECONDS = 60.0
LOW_DISK_SECONDS = 15 * 60.0
RESERVE_BYTES = 16 * 1024 * 1024
WORKING_BYTES_PER_SECOND = WORKING_RATE * BYTES_PER_SAMPLE
UNFINISHED = ("stopped", "interrupted")

Progress = Callable[[float], None]


class RecordingError(ArchiveError):
    """A recording could not go on or be saved (the message says what happens next)."""


class EmptyRecordingError(RecordingError):
    """Nothing was recorded: there is no interview to make."""


@dataclass(frozen=True)
class Marker:
    """A spot in a recording: a key press, maybe with a theme or a few words."""

    seq: int
    at: float
    kind: str = "marker"
    theme_id: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class RecordingInfo:
    """A recording as the archive knows it (frames counted from committed chunks)."""

    id: str
    started_at: str
    sample_rate: int
    channels: int
    sample_width: int
    device: str | None
    status: str
    frames: int
    chunks: int
    markers: int
    error: str | None = None
    interview_id: str | None = None

    @property
    def format(self) -> PcmFormat:
        return PcmFormat(self.sample_rate, self.channels, self.sample_width)

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate


@dataclass(frozen=True)
class RecordingStatus:
    """What a recorder shows while it runs; cheap to ask for several times a second."""

    seconds: float  # audio recorded (pauses excluded)
    flushed_seconds: float  # of which safely in the vault
    paused: bool
    stopped: bool  # no more audio is taken (stopped, or failed)
    chunks: int
    free_bytes: int
    seconds_left: float  # of recording the disk still holds (and can still save)
    low_disk: bool
    error: str | None


# -- disk space -----------------------------------------------------------------


def bytes_needed_per_second(fmt: PcmFormat) -> int:
    """Disk a second of recording takes until it is saved: chunk + original + working."""
    return 2 * fmt.bytes_per_second + WORKING_BYTES_PER_SECOND


def seconds_left(folder: Path, fmt: PcmFormat, recorded_frames: int = 0) -> tuple[int, float]:
    """(free bytes, seconds of recording the disk holds) for ``folder``'s disk.

    Counts what saving the frames already recorded will take (the original and the
    working copy beside the chunks) and keeps :data:`RESERVE_BYTES` free.
    """
    free = shutil.disk_usage(folder).free
    pending = recorded_frames * fmt.frame_size + int(
        recorded_frames / fmt.sample_rate * WORKING_BYTES_PER_SECOND
    )
    usable = free - RESERVE_BYTES - pending
    return free, max(0.0, usable / bytes_needed_per_second(fmt))


def _disk_full(exc: BaseException) -> bool:
    return isinstance(exc, DiskFullError) or (
        isinstance(exc, sqlite3.OperationalError) and "full" in str(exc).lower()
    )


# -- writing chunks and markers -----------------------------------------------------


class _Persister:
    """Commits chunks and markers through one archive connection (in one thread)."""

    def __init__(self, archive: Archive, recording_id: str, fmt: PcmFormat) -> None:
        self.archive = archive
        self.recording_id = recording_id
        self.fmt = fmt

    def chunk(self, seq: int, start_frame: int, data: bytes) -> None:
        archive = self.archive
        frames = len(data) // self.fmt.frame_size
        with VaultWriter(archive.paths.vault, archive.media_key()) as out:
            out.write(data)
            stored = out.commit()
        try:
            db = archive.db
            with db.atomic():
                db["media"].insert(
                    {
                        "id": stored.id,
                        "interview_id": None,
                        "role": "recording",
                        "container": "raw",
                        "codec": self.fmt.codec,
                        "sample_rate": self.fmt.sample_rate,
                        "channels": self.fmt.channels,
                        "duration": round(frames / self.fmt.sample_rate, 3),
                        "size": stored.size,
                        "sha256": stored.sha256,
                        "created_at": now(),
                    }
                )
                db["recording_chunks"].insert(
                    {
                        "recording_id": self.recording_id,
                        "seq": seq,
                        "media_id": stored.id,
                        "start_frame": start_frame,
                        "frames": frames,
                    }
                )
        except BaseException:
            archive.vault_path(stored.id).unlink(missing_ok=True)
            raise

    def marker(self, marker: Marker) -> None:
        db = self.archive.db
        with db.atomic():
            db["recording_markers"].insert(
                {"recording_id": self.recording_id, **asdict(marker), "created_at": now()}
            )

    def update_marker(self, marker: Marker) -> None:
        db = self.archive.db
        with db.atomic():
            db.execute(
                "UPDATE recording_markers SET kind = ?, theme_id = ?, note = ? "
                "WHERE recording_id = ? AND seq = ?",
                [marker.kind, marker.theme_id, marker.note, self.recording_id, marker.seq],
            )

    def remove_marker(self, seq: int) -> None:
        db = self.archive.db
        with db.atomic():
            db.execute(
                "DELETE FROM recording_markers WHERE recording_id = ? AND seq = ?",
                [self.recording_id, seq],
            )

    def close(self, error: str | None) -> None:
        db = self.archive.db
        with db.atomic():
            db["recordings"].update(
                self.recording_id, {"status": "stopped", "error": error, "updated_at": now()}
            )


class RecordingWriter:
    """Takes PCM frames, pauses and markers; commits chunks; :meth:`stop` makes the interview.

    ``feed`` is cheap: it appends to a buffer and, every ``flush_seconds`` of audio,
    hands a chunk on.  With ``background=True`` chunks are encrypted and committed by
    a thread with its own archive connection, so a UI thread that feeds never waits
    for the disk; otherwise ``feed`` commits them itself.

    After a failure (a full disk) the writer takes no more audio: ``feed`` raises the
    error once, ``status().stopped`` turns true, and :meth:`stop` saves what was
    committed.
    """

    def __init__(
        self,
        archive: Archive,
        recording_id: str,
        fmt: PcmFormat,
        *,
        flush_seconds: float = FLUSH_SECONDS,
        background: bool = False,
    ) -> None:
        if not 0.05 <= flush_seconds <= 5.0:
            raise InvalidInputError("Chunks are flushed every 0.05 to 5 seconds.")
        self.id = recording_id
        self.format = fmt
        self._archive = archive
        self._flush_bytes = max(1, int(flush_seconds * fmt.sample_rate)) * fmt.frame_size
        self._buffer = bytearray()
        self._frames = 0  # recorded frames (fed while not paused)
        self._buffer_start = 0  # first frame of the buffer
        self._seq = 0
        self._marker_seq = 0
        self._markers: dict[int, Marker] = {}
        self._paused = False
        self._closed = False
        self._error: ArchiveError | None = None
        self._error_raised = False
        self._lock = threading.Lock()
        # Updated by whoever commits chunks:
        self._flushed_frames = 0
        self._chunks = 0
        self._free, self._seconds_left = seconds_left(archive.paths.vault, fmt)
        self._queue: queue.Queue[tuple[str, Any] | None] | None = None
        self._thread: threading.Thread | None = None
        self._persister: _Persister | None = None
        if background:
            self._queue = queue.Queue()
            ready = threading.Event()
            self._thread = threading.Thread(
                target=self._run, args=(ready,), name="recording-writer", daemon=True
            )
            self._thread.start()
            ready.wait()
            if self._error is not None:
                raise self._error
        else:
            self._persister = _Persister(archive, recording_id, fmt)

    # -- audio -------------------------------------------------------------------

    def feed(self, pcm: bytes | bytearray | memoryview) -> None:
        """Add whole frames of PCM in the writer's format (dropped while paused).

        After a failure the first call raises it and later ones drop the audio.
        """
        if self._error is not None:
            self._raise_failure()
            return
        if self._closed:
            raise RecordingError("The recording has stopped; it takes no more audio.")
        if len(pcm) % self.format.frame_size:
            raise ValueError("PCM must be whole frames of the recording's format")
        if self._paused or not pcm:
            return
        self._buffer += pcm
        self._frames += len(pcm) // self.format.frame_size
        if len(self._buffer) >= self._flush_bytes:
            self._flush()

    def pause(self) -> None:
        """Stop taking audio until :meth:`resume`; what was gathered is flushed now."""
        if not self._paused and not self._closed:
            self._paused = True
            self._flush()

    def resume(self) -> None:
        self._paused = False

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def frames(self) -> int:
        """Frames recorded so far (pauses excluded)."""
        return self._frames

    @property
    def seconds(self) -> float:
        """Audio recorded so far (pauses excluded)."""
        return self._frames / self.format.sample_rate

    @property
    def error(self) -> ArchiveError | None:
        return self._error

    def _flush(self) -> None:
        if not self._buffer:
            return
        data = bytes(self._buffer)
        self._buffer.clear()
        seq, start = self._seq, self._buffer_start
        self._seq += 1
        self._buffer_start += len(data) // self.format.frame_size
        self._submit("chunk", (seq, start, data))

    # -- markers -------------------------------------------------------------------

    def add_marker(
        self,
        at: float | None = None,
        kind: str = "marker",
        theme_id: int | None = None,
        note: str | None = None,
    ) -> Marker:
        """Drop a marker at ``at`` seconds of recorded audio (default: now)."""
        if kind not in MARKER_KINDS:
            raise InvalidInputError(f"Not a kind of marker: {kind!r}.")
        at = self.seconds if at is None else float(at)
        if theme_id is not None:
            self._archive.themes.get(theme_id)  # NotFoundError for a theme that is gone
        if not 0 <= at <= self.seconds + 0.5:
            raise InvalidInputError(f"A marker must fall within the recording (at {at:g} s).")
        with self._lock:
            self._marker_seq += 1
            marker = Marker(self._marker_seq, round(at, 3), kind, theme_id, clean_text(note))
            self._markers[marker.seq] = marker
        self._submit("marker", marker)
        return marker

    def update_marker(self, seq: int, **changes: Any) -> Marker:
        """Change a marker's ``kind``, ``theme_id`` or ``note``."""
        if not set(changes) <= {"kind", "theme_id", "note"}:
            raise InvalidInputError("Only a marker's kind, theme and note can change.")
        if changes.get("kind", "marker") not in MARKER_KINDS:
            raise InvalidInputError(f"Not a kind of marker: {changes['kind']!r}.")
        if "note" in changes:
            changes["note"] = clean_text(changes["note"])
        if changes.get("theme_id") is not None:
            self._archive.themes.get(changes["theme_id"])
        with self._lock:
            if seq not in self._markers:
                raise NotFoundError(f"No marker {seq} in this recording.")
            marker = self._markers[seq] = replace(self._markers[seq], **changes)
        self._submit("update_marker", marker)
        return marker

    def remove_marker(self, seq: int) -> None:
        with self._lock:
            if self._markers.pop(seq, None) is None:
                raise NotFoundError(f"No marker {seq} in this recording.")
        self._submit("remove_marker", seq)

    @property
    def markers(self) -> list[Marker]:
        with self._lock:
            return sorted(self._markers.values(), key=lambda m: (m.at, m.seq))

    # -- status, stop ----------------------------------------------------------------------

    def status(self) -> RecordingStatus:
        seconds_left = self._seconds_left
        return RecordingStatus(
            seconds=self.seconds,
            flushed_seconds=self._flushed_frames / self.format.sample_rate,
            paused=self._paused,
            stopped=self._closed or self._error is not None,
            chunks=self._chunks,
            free_bytes=self._free,
            seconds_left=seconds_left,
            low_disk=seconds_left < LOW_DISK_SECONDS,
            error=str(self._error) if self._error is not None else None,
        )

    def wait_flushed(self) -> None:
        """Block until every chunk handed on so far is committed (background mode)."""
        if self._queue is not None:
            self._queue.join()

    def close(self, *, note: str | None = None) -> None:
        """Flush what is left and mark the recording stopped (not yet an interview).

        What :meth:`stop` does first, and what locking the archive does while a
        recording runs (``note`` says why, for the recovery list): the recording is
        then offered for recovery.  Idempotent.
        """
        if self._closed:
            return
        self._paused = False
        self._flush()
        self._closed = True
        self._submit("close", str(self._error) if self._error is not None else note)
        if self._thread is not None and self._queue is not None:
            self._queue.put(None)
            self._thread.join()

    def stop(
        self, meta: InterviewMetadata | None = None, *, progress: Progress | None = None
    ) -> Interview:
        """Close, then assemble the interview (see :meth:`RecordingStore.finish`)."""
        self.close()
        return self._archive.recordings.finish(self.id, meta, progress=progress, own=True)

    def discard(self) -> None:
        """Close and delete everything recorded (chunks, markers, the recording)."""
        self.close()
        self._archive.recordings.discard(self.id, own=True)

    # -- committing --------------------------------------------------------------------------

    def _submit(self, op: str, arg: Any) -> None:
        if self._queue is not None:
            self._queue.put((op, arg))
        elif self._persister is not None:
            self._apply(self._persister, op, arg)

    def _apply(self, persister: _Persister, op: str, arg: Any) -> None:
        """Run one operation; a failure stops the recording, never the caller's thread."""
        try:
            if op == "chunk":
                seq, start, data = arg
                persister.chunk(seq, start, data)
                self._flushed_frames = start + len(data) // self.format.frame_size
                self._chunks = seq + 1
                self._check_disk()
            elif op == "close":
                persister.close(arg)
            else:
                getattr(persister, op)(arg)
        except Exception as exc:
            # A chunk that cannot be committed stops the recording; so does a full
            # disk for anything else.  Then the recording stays as it is in the
            # archive, and is saved by stop() or offered for recovery.
            if self._error is None and (op in ("chunk", "close") or _disk_full(exc)):
                self._error = self._as_recording_error(exc)

    def _as_recording_error(self, exc: BaseException) -> ArchiveError:
        at = format_clock(self._flushed_frames / self.format.sample_rate)
        if _disk_full(exc):
            return DiskFullError(
                f"The disk is full: the recording stopped at {at}. Everything up to then "
                "is kept and can be saved once some space is free."
            )
        if isinstance(exc, ArchiveError):
            return exc
        return RecordingError(
            f"The recording stopped at {at}: {exc}. Everything up to then is kept."
        )

    def _check_disk(self) -> None:
        try:
            self._free, self._seconds_left = seconds_left(
                self._archive.paths.vault, self.format, self._frames
            )
        except OSError:
            return
        # Keep room for what is still in memory and for saving everything.
        if self._seconds_left <= 2 * self._flush_bytes / self.format.bytes_per_second + 1:
            at = format_clock(self._frames / self.format.sample_rate)
            self._error = DiskFullError(
                f"The disk is almost full: the recording was stopped at {at}, while there "
                "is still room to save it. Free some space before recording again."
            )

    def _raise_failure(self) -> None:
        if self._error is not None and not self._error_raised:
            self._error_raised = True
            raise self._error

    def _run(self, ready: threading.Event) -> None:
        from .archive import Archive

        assert self._queue is not None
        try:
            own = Archive.open_with_key(
                self._archive.paths.root, self._archive.key_for_worker(), actor=None
            )
        except BaseException as exc:
            self._error = self._as_recording_error(exc)
            ready.set()
            return
        ready.set()
        persister = _Persister(own, self.id, self.format)
        try:
            while (item := self._queue.get()) is not None:
                try:
                    self._apply(persister, *item)
                finally:
                    self._queue.task_done()
            self._queue.task_done()
        finally:
            own.close()
