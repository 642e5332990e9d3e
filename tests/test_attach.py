"""Attaching an existing transcript, and showing it back, through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import srt
import webvtt

from archive import Archive, InvalidInputError
from desk.cli import main

from .conftest import FIXTURES, PASSPHRASE

SRT = """1
00:00:00,500 --> 00:00:03,250
ANAHIT: Мы жили в Баку, в старом дворе.

2
00:00:03,250 --> 00:00:06,900
ANAHIT: Qonşularımız hər səhər çörək gətirirdi.

3
00:00:07,000 --> 00:00:07,500
ჩვენი მეზობლები
"""


@pytest.fixture
def cli(archive: Archive, archive_path: Path, monkeypatch, capsys):
    interview = archive.import_file(FIXTURES / "speech_en.wav")
    archive.close()
    monkeypatch.setenv("SIDEBYSIDE_PASSPHRASE", PASSPHRASE)

    def run(*args: str) -> tuple[int, str, str]:
        code = main([args[0], "--archive", str(archive_path), *args[1:]])
        out, err = capsys.readouterr()
        return code, out, err

    run.interview_id = interview.id  # type: ignore[attr-defined]
    return run


def test_srt_attach_and_show_round_trip(cli, tmp_path: Path):
    src = tmp_path / "existing.srt"
    src.write_text(SRT, encoding="utf-8")
    code, out, _ = cli("attach", cli.interview_id, str(src))
    assert code == 0 and "Attached 3 segments" in out
    code, out, _ = cli("show", cli.interview_id, "--format", "srt")
    got, want = list(srt.parse(out)), list(srt.parse(SRT))
    assert [(s.start, s.end, s.content) for s in got] == [(s.start, s.end, s.content) for s in want]


def test_vtt_attach_and_show_round_trip(cli, tmp_path: Path):
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n<v Nino>ჩვენი მეზობლები\n\n"
        "00:00:02.500 --> 00:00:04.000\n<v Armen>Մեր հարևանները\n"
    )
    src = tmp_path / "existing.vtt"
    src.write_text(vtt, encoding="utf-8")
    assert cli("attach", cli.interview_id, str(src))[0] == 0
    _, out, _ = cli("show", cli.interview_id, "--format", "vtt")
    captions = webvtt.from_string(out)
    assert [(c.start, c.end, c.text) for c in captions] == [
        ("00:00:01.000", "00:00:02.500", "ჩვენი მეზობლები"),
        ("00:00:02.500", "00:00:04.000", "Մեր հարևանները"),
    ]
    assert [c.voice for c in captions] == ["Nino", "Armen"]


def test_attached_segments_are_human_and_protected(archive_path: Path, cli, tmp_path: Path):
    src = tmp_path / "existing.srt"
    src.write_text(SRT, encoding="utf-8")
    cli("attach", cli.interview_id, str(src))
    with Archive.open(archive_path, PASSPHRASE) as a:
        segments = a.segments.list(cli.interview_id)
        assert {s.source for s in segments} == {"human"}
        assert segments[0].speaker == "ANAHIT"
        with pytest.raises(InvalidInputError, match="already has 3 segments"):
            a.segments.attach(cli.interview_id, SRT.encode(), "again.srt")
        assert a.segments.clear_machine(cli.interview_id) == 3  # a re-run keeps them


def test_malformed_transcript_is_one_clear_line_and_adds_nothing(
    archive_path: Path, cli, tmp_path: Path
):
    src = tmp_path / "broken.srt"
    src.write_text("1\n00:00:09,000 --> 00:00:05,000\nbackwards\n", encoding="utf-8")
    code, _, err = cli("attach", cli.interview_id, str(src))
    assert code == 1 and "broken.srt" in err and err.count("\n") == 1
    with Archive.open(archive_path, PASSPHRASE) as a:
        assert a.segments.list(cli.interview_id) == []
