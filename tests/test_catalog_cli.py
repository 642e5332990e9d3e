"""`sidebyside search` and `sidebyside tag`, end to end in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive import Archive, InterviewMetadata, NewSegment
from archive.synthetic import create_interview_without_media
from desk.cli.catalog_commands import parse_time

from .conftest import FAST_KDF, PASSPHRASE


@pytest.fixture
def filled(archive_path: Path) -> tuple[Path, str]:
    """An archive with one Azerbaijani and Russian interview, closed again."""
    with Archive.create(archive_path, PASSPHRASE, kdf=FAST_KDF) as archive:
        meta = InterviewMetadata(
            title="Qonşular", recorded_on="1998-04", languages=("az", "ru"), place="Gəncə"
        )
        iv = create_interview_without_media(archive, meta, duration=120.0).id
        archive.segments.add(
            iv,
            [
                NewSegment(0, 10, "Şuşa'da qonşumuz Ашот idi", language="az"),
                NewSegment(10, 20, "Потом мы переехали в Баку", language="ru"),
                NewSegment(65, 80, "Свежий лаваш из тонира", language="ru"),
            ],
        )
    return archive_path, iv


def test_search_text_and_json(run, filled):
    path, iv = filled
    code, out, err = run("search", "--archive", path, "Shusha")
    assert code == 0 and err == ""
    (line,) = out.splitlines()
    assert line.startswith(f"{iv}  0:00:00-0:00:10  segment ")
    assert line.endswith("⟦Şuşa⟧'da qonşumuz Ашот idi")

    code, out, _ = run("search", "--archive", path, "ashot", "OR", "Bakı", "--json")
    hits = json.loads(out)
    assert code == 0 and sorted(h["start"] for h in hits) == [0.0, 10.0]
    assert {h["snippet"] for h in hits} == {
        "Şuşa'da qonşumuz ⟦Ашот⟧ idi",
        "Потом мы переехали в ⟦Баку⟧",
    }
    assert all(h["interview_id"] == iv and h["kind"] == "segment" for h in hits)

    code, out, _ = run("search", "--archive", path, "nothing-like-this")
    assert code == 0 and out == "No hits.\n"


def test_search_filters(run, filled):
    path, _ = filled
    code, out, _ = run("search", "--archive", path, "ashot OR baku", "--language", "ru", "--json")
    assert [h["snippet"] for h in json.loads(out)] == ["Потом мы переехали в ⟦Баку⟧"]
    code, out, _ = run(
        "search", "--archive", path, "lavash", "--place", "Kirovabad", "--from", "1998",
        "--to", "1998-04-30", "--json",
    )  # fmt: skip
    assert code == 0 and len(json.loads(out)) == 1
    code, out, _ = run("search", "--archive", path, "lavash", "--from", "1999", "--json")
    assert json.loads(out) == []


def test_tag_then_search_by_theme(run, filled):
    path, iv = filled
    code, out, err = run(
        "tag", "--archive", path, iv, "1:00", "0:01:20.5", "food", "Школа",
        "--note", "Lavash from the tonir", "--title", "Bread",
    )  # fmt: skip
    assert code == 0 and err == ""
    assert out.startswith("Clip 1: 0:01:00-0:01:20 (60-80.5 s) tagged ") and "Food" in out
    assert "School" in out

    code, out, _ = run("search", "--archive", path, "lavash", "--theme", "everyday_life", "--json")
    kinds = sorted(h["kind"] for h in json.loads(out))
    assert kinds == ["clip", "segment"]
    code, out, _ = run("search", "--archive", path, "lavash", "--theme", "music", "--json")
    assert json.loads(out) == []
    with Archive.open(path, PASSPHRASE) as archive:
        (clip,) = archive.clips.for_interview(iv)
    assert (clip.start, clip.end, clip.note, clip.title) == (
        60,
        80.5,
        "Lavash from the tonir",
        "Bread",
    )


ERRORS = [
    (("tag", "{iv}", "20", "10", "food"), "error: A clip must end after it starts"),
    (("tag", "{iv}", "10", "500", "food"), "error: A clip cannot end"),
    (("tag", "{iv}", "1:xx", "20", "food"), "error: Not a time: '1:xx'"),
    (("tag", "{iv}", "0:70", "80", "food"), "error: Not a time: '0:70'"),
    (("tag", "{iv}", "0", "20", "no such theme"), "error: No theme called 'no such theme'."),
    (("tag", "nope", "0", "20", "food"), "error: No interview with id nope."),
    (("search", '"lavash'), "error: A quote mark is not closed."),
    (("search", "(lavash"), "error: A parenthesis is not closed."),
    (("search", "lavash", "--theme", "nope"), "error: No theme called 'nope'."),
    (("search", "lavash", "--from", "spring"), "error: Not a date: 'spring'."),
    (("search", "x", "--narrator", "Nobody"), "error: No narrator with the id or pseudonym"),
]


def test_errors_are_one_line(run, filled):
    path, iv = filled
    for args, message in ERRORS:
        command, *rest = (a.format(iv=iv) for a in args)
        code, out, err = run(command, "--archive", path, *rest)
        assert (code, out) == (1, ""), args
        assert err.startswith(message) and err.count("\n") == 1, (args, err)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), ("90.5", 90.5), ("1:30", 90), ("0:01:30", 90), ("1:02:03.5", 3723.5)],
)
def test_parse_time(text, seconds):
    assert parse_time(text) == seconds
