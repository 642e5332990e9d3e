"""The persisted job queue (transcription).  The runner lives in ``transcription``.

A job's progress is stored with every committed segment, in the same transaction
(:meth:`JobStore.commit_segment`), so after a crash ``resume_from`` is exactly the end
of the last segment in the database: resuming neither skips nor repeats audio.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import ArchiveError, NotFoundError
from .records import NewSegment
from .util import now

if TYPE_CHECKING:
    from .archive import Archive

QUEUED, RUNNING, DONE, FAILED, CANCELLED, INTERRUPTED = (
    "queued", "running", "done", "failed", "cancelled", "interrupted",
)  # fmt: skip
RESUMABLE = (QUEUED, INTERRUPTED)
FINISHED = (DONE, FAILED, CANCELLED)


class JobStateError(ArchiveError):
    """The job is not in a state that allows this (e.g. resuming a finished job)."""


@dataclass(frozen=True)
class Job:
    id: int
    interview_id: str
    status: str
    kind: str = "transcribe"
    params: dict[str, Any] = field(default_factory=dict)
    progress: float = 0.0
    resume_from: float = 0.0
    error: str | None = None
    pid: int | None = None
    created_at: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    updated_at: str = ""


def _job(row: dict[str, Any]) -> Job:
    row = dict(row)
    row["params"] = json.loads(row.get("params") or "{}")
    return Job(**row)


# What an interview's transcription status becomes when its job ends this way.
_INTERVIEW_STATUS = {DONE: "done", FAILED: "failed", CANCELLED: "partial", INTERRUPTED: "partial"}


class JobStore:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive

    def get(self, job_id: int) -> Job:
        rows = list(self._archive.db.query("SELECT * FROM jobs WHERE id = ?", [job_id]))
        if not rows:
            raise NotFoundError(f"No job with id {job_id}.")
        return _job(rows[0])

    def list(self, statuses: tuple[str, ...] | None = None) -> list[Job]:
        if statuses:
            marks = ",".join("?" * len(statuses))
            rows = self._archive.db.query(
                f"SELECT * FROM jobs WHERE status IN ({marks}) ORDER BY id", list(statuses)
            )
        else:
            rows = self._archive.db.query("SELECT * FROM jobs ORDER BY id")
        return [_job(r) for r in rows]

    def enqueue(self, interview_id: str, params: dict[str, Any]) -> Job:
        """Queue a transcription of an interview (model, language, translate...)."""
        self._archive.interviews.get(interview_id)
        active = [
            j for j in self.list((QUEUED, RUNNING, INTERRUPTED)) if j.interview_id == interview_id
        ]
        if active:
            raise JobStateError(
                f"Interview {interview_id} already has an unfinished transcription "
                f"(job {active[0].id}, {active[0].status}). Resume or cancel it first."
            )
        stamp = now()
        db = self._archive.db
        with db.atomic():
            job_id = (
                db["jobs"]
                .insert(
                    {
                        "kind": "transcribe",
                        "interview_id": interview_id,
                        "status": QUEUED,
                        "params": json.dumps(params, sort_keys=True),
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                )
                .last_pk
            )
            self._set_interview_status(interview_id, "queued")
            self._archive.audit.record("job.enqueue", "job", str(job_id))
        return self.get(job_id)

    def start(self, job_id: int, pid: int | None) -> Job:
        """Mark a queued or interrupted job running (only one runner can win)."""
        db = self._archive.db
        stamp = now()
        with db.atomic():
            marks = ",".join("?" * len(RESUMABLE))
            cursor = db.execute(
                f"UPDATE jobs SET status = ?, pid = ?, started_at = coalesce(started_at, ?), "
                f"updated_at = ?, error = NULL WHERE id = ? AND status IN ({marks})",
                [RUNNING, pid, stamp, stamp, job_id, *RESUMABLE],
            )
            if cursor.rowcount != 1:
                job = self.get(job_id)
                raise JobStateError(f"Job {job_id} is {job.status} and cannot be started.")
            job = self.get(job_id)
            self._set_interview_status(job.interview_id, "running")
        return job

    def commit_segment(self, job: Job, segment: NewSegment, progress: float) -> int:
        """Add one machine segment and advance the job, atomically."""
        db = self._archive.db
        with db.atomic():
            (segment_id,) = self._archive.segments.add(
                job.interview_id, [segment], source="machine", job_id=job.id
            )
            db.execute(
                "UPDATE jobs SET resume_from = max(resume_from, ?), progress = ?, updated_at = ?"
                " WHERE id = ?",
                [segment.end, min(max(progress, 0.0), 1.0), now(), job.id],
            )
        return segment_id

    def finish(self, job_id: int, status: str, error: str | None = None) -> Job:
        if status not in (*FINISHED, INTERRUPTED):
            raise ValueError(status)
        stamp = now()
        db = self._archive.db
        with db.atomic():
            job = self.get(job_id)
            values: dict[str, Any] = {
                "status": status,
                "error": error,
                "pid": None,
                "updated_at": stamp,
            }
            if status in FINISHED:
                values["finished_at"] = stamp
            if status == DONE:
                values["progress"] = 1.0
            db["jobs"].update(job_id, values)
            has_segments = bool(self._archive.segments.list(job.interview_id))
            interview_status = _INTERVIEW_STATUS[status]
            if interview_status == "partial" and not has_segments:
                interview_status = "none"
            self._set_interview_status(job.interview_id, interview_status)
            self._archive.audit.record(f"job.{status}", "job", str(job_id))
        return self.get(job_id)

    def cancel(self, job_id: int) -> Job:
        job = self.get(job_id)
        if job.status in FINISHED:
            raise JobStateError(f"Job {job_id} has already ended ({job.status}).")
        return self.finish(job_id, CANCELLED)

    def mark_interrupted(self) -> list[int]:
        """Jobs left 'running' by a process that died become 'interrupted'.

        Called on open only when no other process holds the archive, so no live
        runner can own them.
        """
        running = self.list((RUNNING,))
        for job in running:
            self.finish(job.id, INTERRUPTED, "The app stopped while this job was running.")
        return [j.id for j in running]

    def _set_interview_status(self, interview_id: str, status: str) -> None:
        self._archive.interviews.set_transcription_status(interview_id, status)
