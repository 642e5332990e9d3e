"""Transcription jobs for the UI: a queue run one at a time on a worker thread.

The worker thread owns its own archive connection and a :class:`JobRunner` (which
does the work in a child process); events come back to the UI thread as signals.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from archive.jobs import Job
from transcription.runner import JobRunner, JobSummary, resumable_jobs

from ..session import Session


class _JobThread(QThread):
    event = Signal(object)  # JobEvent
    summary = Signal(object)  # JobSummary

    def __init__(self, session: Session, job_id: int) -> None:
        super().__init__()
        self._session = session
        self.job_id = job_id
        self._runner: JobRunner | None = None
        self._stop_as: str | None = None
        self._lock = threading.Lock()

    def run(self) -> None:
        with self._session.open_for_worker() as archive:
            runner = JobRunner(archive, self.job_id)
            with self._lock:
                self._runner = runner
                stop = self._stop_as
            if stop is None:
                for event in runner.events():
                    self.event.emit(event)
            else:
                runner.stop(stop)
            if runner.summary is not None:
                self.summary.emit(runner.summary)

    def stop(self, status: str) -> None:
        """Stop the job now: 'cancelled' (by the user) or 'interrupted' (on lock)."""
        with self._lock:
            self._stop_as = status
            runner = self._runner
        if runner is not None:
            runner.stop(status)


class JobsController(QObject):
    """Queue and run transcription jobs; the Jobs panel and interview view listen."""

    job_event = Signal(object)  # JobEvent, for every job
    job_finished = Signal(object)  # JobSummary
    queue_changed = Signal()
    failed = Signal(str)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._thread: _JobThread | None = None
        self._waiting: list[int] = []
        session.locked.connect(self._on_lock)

    @property
    def running_job_id(self) -> int | None:
        return self._thread.job_id if self._thread is not None else None

    def jobs(self) -> list[Job]:
        return self._session.archive.jobs.list()

    def enqueue(self, interview_id: str, params: dict[str, Any]) -> Job | None:
        try:
            job = self._session.archive.jobs.enqueue(interview_id, params)
        except Exception as exc:  # shown as a plain message
            self.failed.emit(str(exc))
            return None
        self._waiting.append(job.id)
        self.queue_changed.emit()
        self._start_next()
        return job

    def resume_all(self) -> int:
        """Queue every interrupted or queued job of the archive; returns how many."""
        jobs = [j.id for j in resumable_jobs(self._session.archive)]
        new = [j for j in jobs if j not in self._waiting and j != self.running_job_id]
        self._waiting.extend(new)
        self.queue_changed.emit()
        self._start_next()
        return len(new)

    def cancel(self, job_id: int) -> None:
        if self._thread is not None and self._thread.job_id == job_id:
            self._thread.stop("cancelled")
            return
        if job_id in self._waiting:
            self._waiting.remove(job_id)
        try:
            self._session.archive.jobs.cancel(job_id)
        except Exception as exc:
            self.failed.emit(str(exc))
        self.queue_changed.emit()

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Block until the running job's thread ends (for tests and shutdown)."""
        return self._thread.wait(timeout_ms) if self._thread is not None else True

    def _start_next(self) -> None:
        if self._thread is not None or not self._waiting or not self._session.is_open:
            return
        job_id = self._waiting.pop(0)
        thread = _JobThread(self._session, job_id)
        thread.event.connect(self.job_event)
        thread.summary.connect(self._on_summary)
        thread.finished.connect(self._on_thread_finished)
        self._thread = thread
        thread.start()
        self.queue_changed.emit()

    def _on_summary(self, summary: JobSummary) -> None:
        self.job_finished.emit(summary)

    def _on_thread_finished(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.deleteLater()
        self.queue_changed.emit()
        self._start_next()

    def _on_lock(self) -> None:
        """Locking stops the running job (resumable) and forgets the queue."""
        self._waiting.clear()
        if self._thread is not None:
            self._thread.stop("interrupted")
            self._thread.wait(30_000)
