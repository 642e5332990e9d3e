"""Transcription jobs end to end with the real tiny.en model: run, kill and resume, cancel."""

from __future__ import annotations

import itertools
import os
import re
import signal
from pathlib import Path

import jiwer
import pytest
import srt
import webvtt

from archive import Archive
from desk.cli import main
from transcription.runner import JobRunner

from .conftest import FIXTURES, PASSPHRASE
from .media_factory import concat_wavs

STORY = ["speech_en", "speech_en_2", "speech_en_3"]


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


@pytest.fixture(scope="module")
def story_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("story")
    return concat_wavs(folder / "story.wav", [FIXTURES / f"{s}.wav" for s in STORY], 1.5)


@pytest.fixture
def story(archive: Archive, story_wav: Path) -> str:
    return archive.import_file(story_wav).id


def _assert_clean_timeline(archive: Archive, interview_id: str) -> None:
    segments = archive.segments.list(interview_id)
    assert segments, "no segments"
    duration = archive.interviews.get(interview_id).duration
    for before, after in itertools.pairwise(segments):
        assert after.start >= before.end - 0.05, (before, after)  # no overlap, no duplicate
    for seg in segments:
        assert 0 <= seg.start < seg.end <= duration + 0.01
        for word in seg.words:
            assert seg.start - 0.01 <= word["start"] <= word["end"] <= seg.end + 0.01


def _wer(archive: Archive, interview_id: str, transcripts) -> float:
    said = " ".join(s.text for s in archive.segments.list(interview_id))
    truth = " ".join(transcripts[s]["text"] for s in STORY)
    return jiwer.wer(_normalise(truth), _normalise(said))


def test_cli_transcribe_then_show_in_every_format(
    archive: Archive, archive_path: Path, story: str, transcripts, monkeypatch, capsys
):
    archive.close()
    monkeypatch.setenv("SIDEBYSIDE_PASSPHRASE", PASSPHRASE)
    code = main(["transcribe", "--archive", str(archive_path), story, "--model", "tiny.en"])
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(rf"^{story}: \d+ segments, language en, audio 0:00:2\d, .* "
                     r"real-time factor \d+\.\d\d$", out, re.M), out  # fmt: skip

    with Archive.open(archive_path, PASSPHRASE) as again:
        _assert_clean_timeline(again, story)
        assert _wer(again, story, transcripts) < 0.35
        job = again.jobs.list()[0]
        assert (job.status, job.params["model"]) == ("done", "tiny.en")
        assert again.interviews.get(story).transcription_status == "done"
        expected = again.segments.list(story)

    main(["show", "--archive", str(archive_path), story, "--format", "srt"])
    subtitles = list(srt.parse(capsys.readouterr().out))
    assert [s.content for s in subtitles] == [s.text for s in expected]
    assert subtitles[0].start.total_seconds() == pytest.approx(expected[0].start, abs=0.001)

    main(["show", "--archive", str(archive_path), story, "--format", "vtt"])
    captions = webvtt.from_string(capsys.readouterr().out)
    assert [c.text for c in captions] == [s.text for s in expected]

    main(["show", "--archive", str(archive_path), story, "--format", "txt"])
    txt = capsys.readouterr().out
    assert txt.startswith("[00:00:0") and expected[-1].text in txt


def test_killed_runner_resumes_without_gap_or_duplicate(archive: Archive, story: str, transcripts):
    job = archive.jobs.enqueue(story, {"model": "tiny.en"})
    runner = JobRunner(archive, job.id)
    events = runner.events()
    for event in events:
        if event.kind == "segment" and event.segments >= 1:
            os.kill(runner.pid, signal.SIGKILL)  # the runner dies mid-job
            break
    last = list(events)[-1]
    assert last.kind == "interrupted"
    interrupted = archive.jobs.get(job.id)
    assert interrupted.status == "interrupted" and 0 < interrupted.resume_from < 20
    before = archive.segments.list(story)
    assert before and before[-1].end == pytest.approx(interrupted.resume_from)

    summary = JobRunner(archive, job.id).run()
    assert summary.status == "done"
    after = archive.segments.list(story)
    assert after[: len(before)] == before  # what was committed stays as it was
    assert len(after) > len(before)
    _assert_clean_timeline(archive, story)
    assert _wer(archive, story, transcripts) < 0.35  # no words lost at the seam
    assert archive.jobs.get(job.id).status == "done"


def test_cancel_keeps_committed_segments(archive: Archive, story: str):
    job = archive.jobs.enqueue(story, {"model": "tiny.en"})
    runner = JobRunner(archive, job.id)
    for event in runner.events():
        if event.kind == "segment" and event.segments >= 1:
            runner.cancel()
    kept = archive.segments.list(story)
    assert kept and archive.jobs.get(job.id).status == "cancelled"
    assert archive.interviews.get(story).transcription_status == "partial"
    assert runner.summary is not None and runner.summary.status == "cancelled"


def test_rerun_with_another_model_never_overwrites_corrections(archive: Archive, story: str):
    first = archive.jobs.enqueue(story, {"model": "tiny.en"})
    assert JobRunner(archive, first.id).run().status == "done"
    corrected = archive.segments.list(story)[0]
    archive.segments.set_text(corrected.id, "Our neighbours shared fresh bread, said Anahit.")
    second = archive.jobs.enqueue(story, {"model": "tiny.en", "beam": "again"})
    assert JobRunner(archive, second.id).run().status == "done"
    segments = archive.segments.list(story)
    assert segments[0].id == corrected.id
    assert segments[0].text == "Our neighbours shared fresh bread, said Anahit."
    assert segments[0].machine_text == corrected.machine_text
    _assert_clean_timeline(archive, story)
    assert all(s.job_id == second.id for s in segments[1:])


def test_unknown_model_is_a_clear_error_that_says_how_to_add_one(
    archive: Archive, archive_path: Path, story: str, monkeypatch, capsys
):
    archive.close()
    monkeypatch.setenv("SIDEBYSIDE_PASSPHRASE", PASSPHRASE)
    code = main(["transcribe", "--archive", str(archive_path), story, "--model", "large-v9"])
    err = capsys.readouterr().err
    assert code == 1 and "models add" in err and err.count("\n") == 1


def test_english_only_model_refuses_russian(archive_path: Path, archive: Archive, story: str,
                                            monkeypatch, capsys):  # fmt: skip
    archive.close()
    monkeypatch.setenv("SIDEBYSIDE_PASSPHRASE", PASSPHRASE)
    code = main(["transcribe", "--archive", str(archive_path), story, "--model", "tiny.en",
                 "--language", "ru"])  # fmt: skip
    assert code == 1 and "English only" in capsys.readouterr().err
    with Archive.open(archive_path, PASSPHRASE) as again:
        assert again.jobs.list() == []  # refused before anything was queued


def test_cli_models_list_and_add(monkeypatch, capsys, tmp_path: Path):
    import json
    import shutil

    from transcription import find_model

    assert main(["models", "--json"]) == 0
    listed = {m["name"]: m for m in json.loads(capsys.readouterr().out)}
    assert listed["tiny.en"]["verified"] and listed["tiny.en"]["languages"] == ["en"]
    assert main(["models"]) == 0
    assert "tiny.en" in capsys.readouterr().out

    copy = tmp_path / "my-model"
    shutil.copytree(find_model("tiny.en").path, copy)
    assert main(["models", "add", str(copy), "--name", "field-tiny"]) == 0
    assert "Added model field-tiny" in capsys.readouterr().out
    main(["models", "--json"])
    added = {m["name"]: m for m in json.loads(capsys.readouterr().out)}["field-tiny"]
    assert added["source"] == "added" and added["verified"]

    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["models", "add", str(empty)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_cli_jobs_and_resume_after_a_kill(
    archive: Archive, archive_path: Path, story: str, monkeypatch, capsys
):
    job = archive.jobs.enqueue(story, {"model": "tiny.en"})
    runner = JobRunner(archive, job.id)
    for event in runner.events():
        if event.kind == "segment":
            os.kill(runner.pid, signal.SIGKILL)
            break
    list(runner.events())
    archive.close()
    monkeypatch.setenv("SIDEBYSIDE_PASSPHRASE", PASSPHRASE)
    assert main(["jobs", "--archive", str(archive_path)]) == 0
    assert re.search(rf"^\s+{job.id}\s+{story}\s+interrupted\s", capsys.readouterr().out, re.M)
    assert main(["resume", "--archive", str(archive_path)]) == 0
    assert f"{story}: " in capsys.readouterr().out
    main(["jobs", "--archive", str(archive_path), "--json"])
    import json

    assert [j["status"] for j in json.loads(capsys.readouterr().out)] == ["done"]
    assert main(["resume", "--archive", str(archive_path)]) == 0
    assert "Nothing to resume." in capsys.readouterr().out
