"""The persisted job queue: states, atomic progress, interrupted jobs found on open."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import Archive, NewSegment
from archive.jobs import JobStateError

from .conftest import FIXTURES, PASSPHRASE


@pytest.fixture
def interview_id(archive: Archive) -> str:
    return archive.import_file(FIXTURES / "speech_en.ogg").id


def test_job_life_cycle(archive: Archive, interview_id: str):
    job = archive.jobs.enqueue(interview_id, {"model": "tiny.en"})
    assert (job.status, job.params) == ("queued", {"model": "tiny.en"})
    assert archive.interviews.get(interview_id).transcription_status == "queued"
    job = archive.jobs.start(job.id, pid=123)
    assert job.status == "running" and job.pid == 123
    archive.jobs.commit_segment(job, NewSegment(0.0, 2.5, "Our neighbours"), 0.3)
    job = archive.jobs.get(job.id)
    assert (job.resume_from, job.progress) == (2.5, 0.3)
    job = archive.jobs.finish(job.id, "done")
    assert job.status == "done" and job.progress == 1.0 and job.finished_at
    assert archive.interviews.get(interview_id).transcription_status == "done"
    actions = [e.action for e in archive.audit.entries()][:3]
    assert actions == ["job.done", "job.enqueue", "interview.import"]


def test_one_unfinished_job_per_interview(archive: Archive, interview_id: str):
    archive.jobs.enqueue(interview_id, {})
    with pytest.raises(JobStateError, match="unfinished"):
        archive.jobs.enqueue(interview_id, {})


def test_a_finished_job_cannot_start_again(archive: Archive, interview_id: str):
    job = archive.jobs.enqueue(interview_id, {})
    archive.jobs.cancel(job.id)
    with pytest.raises(JobStateError, match="cancelled"):
        archive.jobs.start(job.id, pid=None)
    with pytest.raises(JobStateError, match="ended"):
        archive.jobs.cancel(job.id)


def test_segment_and_progress_commit_together(archive: Archive, interview_id: str):
    job = archive.jobs.start(archive.jobs.enqueue(interview_id, {}).id, pid=None)
    with pytest.raises(Exception, match="before it starts"):
        archive.jobs.commit_segment(job, NewSegment(3.0, 1.0, "bad"), 0.5)
    assert archive.jobs.get(job.id).resume_from == 0.0
    assert archive.segments.list(interview_id) == []


def test_running_job_of_a_dead_process_is_interrupted_on_open(
    archive_path: Path, archive: Archive, interview_id: str
):
    job = archive.jobs.start(archive.jobs.enqueue(interview_id, {}).id, pid=99999)
    archive.jobs.commit_segment(job, NewSegment(0.0, 1.5, "first words"), 0.2)
    archive.close()  # as if the app died mid-job
    with Archive.open(archive_path, PASSPHRASE) as again:
        job = again.jobs.get(job.id)
        assert job.status == "interrupted" and job.resume_from == 1.5
        assert again.interviews.get(interview_id).transcription_status == "partial"
        assert again.jobs.start(job.id, pid=None).status == "running"


def test_a_second_opener_does_not_interrupt_a_live_job(
    archive_path: Path, archive: Archive, interview_id: str
):
    job = archive.jobs.start(archive.jobs.enqueue(interview_id, {}).id, pid=None)
    with Archive.open(archive_path, PASSPHRASE) as worker:  # e.g. the runner process
        assert worker.jobs.get(job.id).status == "running"


def test_clear_machine_keeps_corrected_segments(archive: Archive, interview_id: str):
    ids = archive.segments.add(
        interview_id, [NewSegment(0, 1, "machine one"), NewSegment(1, 2, "machine two")]
    )
    archive.segments.add(interview_id, [NewSegment(2, 3, "typed by hand")], source="human")
    archive.segments.set_text(ids[1], "corrected by the archivist")
    assert archive.segments.clear_machine(interview_id) == 2
    assert [s.text for s in archive.segments.list(interview_id)] == [
        "corrected by the archivist", "typed by hand",
    ]  # fmt: skip


def test_worker_opens_with_the_key_from_its_parent(archive_path: Path, archive: Archive):
    key = archive.key_for_worker()
    with Archive.open_with_key(archive_path, key) as worker:
        assert worker.archive_id == archive.archive_id
        assert worker.interviews.list() == archive.interviews.list()
    with pytest.raises(Exception, match="damaged"):
        Archive.open_with_key(archive_path, bytes(32))
