"""Run a transcription job in a child process and report back, like a good citizen.

The child process does the work (so cancel is immediate — the parent kills it — and
a crash in native code cannot take the app down).  It opens the archive with the
master key handed over a pipe, decrypts the working audio into memory, and commits
every segment as it arrives together with the job's progress.  The parent reads
events from the pipe: ``started``, ``segment`` (progress, ETA), and a final ``done``
or ``failed``.  A child that dies without a final word leaves its job
``interrupted``, resumable from its last committed segment.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from archive import Archive, NewSegment, Word
from archive.jobs import CANCELLED, DONE, FAILED, FINISHED, INTERRUPTED, Job
from archive.netguard import forbid_network

_CONTEXT = multiprocessing.get_context("spawn")  # no forked Qt or thread state


@dataclass(frozen=True)
class JobEvent:
    """What the parent hears from a running job."""

    kind: str  # "started", "segment", "done", "failed", "cancelled", "interrupted"
    job_id: int
    fraction: float = 0.0
    segments: int = 0
    eta_seconds: float | None = None
    language: str | None = None
    duration: float = 0.0
    message: str | None = None


@dataclass(frozen=True)
class JobSummary:
    job_id: int
    status: str
    audio_seconds: float
    wall_seconds: float
    segments: int
    language: str | None
    error: str | None = None

    @property
    def real_time_factor(self) -> float:
        """Wall time per second of audio (lower is faster)."""
        return self.wall_seconds / self.audio_seconds if self.audio_seconds else 0.0


def _overlaps(start: float, end: float, spans: list[tuple[float, float]]) -> bool:
    return any(start < b and a < end for a, b in spans)


def _resume_language(archive: Archive, job: Job) -> str | None:
    """On resume, keep the language the first run detected."""
    if job.resume_from <= 0:
        return job.params.get("language")
    mine = [s for s in archive.segments.list(job.interview_id) if s.job_id == job.id]
    return job.params.get("language") or (mine[-1].language if mine else None)


def _to_new_segment(seg: Any) -> NewSegment:
    return NewSegment(
        start=seg.start,
        end=seg.end,
        text=seg.text,
        confidence=seg.avg_logprob,
        no_speech_prob=seg.no_speech_prob,
        words=tuple(Word(w.start, w.end, w.word, w.probability) for w in seg.words),
        language=seg.language,
        translation=seg.translation,
    )


def _work(conn: Connection, archive_path: str, key: bytes, job_id: int) -> None:
    """The child process: transcribe one job, committing as it goes."""
    import os

    forbid_network()
    from transcription.engine import Engine, TranscribeOptions
    from transcription.models import find_model

    with Archive.open_with_key(archive_path, key, actor="transcription") as archive:
        try:
            job = archive.jobs.start(job_id, os.getpid())
            if job.resume_from <= 0:
                archive.segments.clear_machine(job.interview_id)
            kept = [
                (s.start, s.end)
                for s in archive.segments.list(job.interview_id)
                if s.job_id != job.id
            ]
            model = find_model(job.params.get("model"))
            audio = archive.media.working_audio(job.interview_id)
            options = TranscribeOptions(
                language=_resume_language(archive, job),
                translate=bool(job.params.get("translate")),
                start_offset=job.resume_from,
            )
            run = Engine(model).transcribe(audio, options)
            conn.send(("started", run.language, run.duration, job.resume_from))
            count = 0
            for seg in run:
                fraction = seg.end / run.duration if run.duration else 1.0
                if not _overlaps(seg.start, seg.end, kept):  # a person's words win
                    archive.jobs.commit_segment(job, _to_new_segment(seg), fraction)
                    count += 1
                conn.send(("segment", fraction, count))
            archive.jobs.finish(job_id, DONE)
            conn.send(("done", count))
        except Exception as exc:  # reported to the parent, recorded on the job
            message = str(exc) or type(exc).__name__
            archive.jobs.finish(job_id, FAILED, message)
            conn.send(("failed", message))


class JobRunner:
    """Runs one job in a child process; iterate :meth:`events`; :meth:`cancel` stops it."""

    def __init__(self, archive: Archive, job_id: int) -> None:
        self._archive = archive
        self.job_id = job_id
        self._process: Any = None
        self._conn: Connection | None = None
        self._stop_status: str | None = None
        self._started_at = time.monotonic()
        self.summary: JobSummary | None = None

    def start(self) -> None:
        parent, child = _CONTEXT.Pipe(duplex=False)
        self._conn = parent
        self._process = _CONTEXT.Process(
            target=_work,
            args=(
                child,
                str(self._archive.paths.root),
                self._archive.key_for_worker(),
                self.job_id,
            ),
            daemon=True,
        )
        self._started_at = time.monotonic()
        self._process.start()
        child.close()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def events(self, poll_seconds: float = 0.2) -> Iterator[JobEvent]:
        """Events until the job ends; the last one is done/failed/cancelled/interrupted."""
        if self._process is None and self._stop_status is None:
            self.start()
        assert self._conn is not None
        duration = start_offset = 0.0
        language: str | None = None
        segments = 0
        while True:
            if self._stop_status is not None:
                yield self._finish_stopped(duration, language, segments)
                return
            try:
                ready = self._conn.poll(poll_seconds)
                message = self._conn.recv() if ready else None
            except (EOFError, OSError):
                message = ("eof",)
            if message is None:
                continue
            kind = message[0]
            if kind == "started":
                _, language, duration, start_offset = message
                yield JobEvent("started", self.job_id, start_offset / duration if duration else 0,
                               language=language, duration=duration)  # fmt: skip
            elif kind == "segment":
                _, fraction, segments = message
                elapsed = time.monotonic() - self._started_at
                done = fraction - (start_offset / duration if duration else 0)
                eta = elapsed / done * (1 - fraction) if done > 0 else None
                yield JobEvent("segment", self.job_id, fraction, segments, eta, language, duration)
            elif kind == "done":
                yield self._end(DONE, duration, language, message[1])
                return
            elif kind == "failed":
                yield self._end(FAILED, duration, language, segments, message[1])
                return
            elif self._stop_status is not None:  # killed on request
                continue
            else:  # the child died without a final word
                self._process.join(5)
                code = self._process.exitcode
                note = f"The transcription process stopped unexpectedly (exit code {code})."
                job = self._archive.jobs.get(self.job_id)
                if job.status not in FINISHED:
                    self._archive.jobs.finish(self.job_id, INTERRUPTED, note)
                yield self._end(INTERRUPTED, duration, language, segments, note)
                return

    def _end(
        self, status: str, duration: float, language: str | None, segments: int,
        error: str | None = None,
    ) -> JobEvent:  # fmt: skip
        if self._process is not None:
            self._process.join(10)
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self.summary = JobSummary(
            self.job_id, status, duration, time.monotonic() - self._started_at, segments,
            language, error,
        )  # fmt: skip
        return JobEvent(status, self.job_id, 1.0 if status == DONE else 0.0, segments,
                        language=language, duration=duration, message=error)  # fmt: skip

    def stop(self, status: str = CANCELLED) -> None:
        """Ask the job to stop now, from any thread: the child is killed at once.

        ``status`` is ``cancelled`` (the user's wish; final) or ``interrupted`` (the
        archive is being locked; resumable).  The thread iterating :meth:`events`
        records it and ends with that event.  Committed segments stay.
        """
        if status not in (CANCELLED, INTERRUPTED):
            raise ValueError(status)
        self._stop_status = status
        if self._process is not None and self._process.is_alive():
            self._process.kill()

    def cancel(self) -> None:
        """Stop and record it now (when no other thread is iterating events)."""
        self.stop(CANCELLED)
        self._finish_stopped(0.0, None, 0)

    def _finish_stopped(self, duration: float, language: str | None, segments: int) -> JobEvent:
        status = self._stop_status or CANCELLED
        if self._process is not None:
            self._process.join(10)
        job = self._archive.jobs.get(self.job_id)
        if job.status not in FINISHED:
            note = "Stopped when the archive was locked." if status == INTERRUPTED else None
            self._archive.jobs.finish(self.job_id, status, note)
        return self._end(status, duration, language, segments)

    def run(self) -> JobSummary:
        """Run to the end without reporting (for scripts and tests)."""
        for _ in self.events():
            pass
        assert self.summary is not None
        return self.summary


def resumable_jobs(archive: Archive) -> list[Job]:
    return archive.jobs.list(("interrupted", "queued"))


__all__ = ["JobEvent", "JobRunner", "JobSummary", "resumable_jobs"]
