"""`sidebyside consent`, `redact` and `export`, end to end in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive import Archive
from tests.export_fixtures import (
    NEVER,
    PSEUDONYM,
    REDACTED_NAME,
    RESTRICTED_SECRET,
    build_export_archive,
)

from .conftest import FAST_KDF, PASSPHRASE


@pytest.fixture
def filled(archive_path: Path):
    with Archive.create(archive_path, PASSPHRASE, kdf=FAST_KDF) as archive:
        built = build_export_archive(archive)
    return archive_path, built


def test_consent_show_and_set(run, filled):
    path, built = filled
    iv = built.ids["restricted"]
    code, out, _ = run("consent", "--archive", path, iv)
    assert code == 0
    assert "restricted" in out and "Publication: no (restricted)" in out
    code, out, _ = run(
        "consent", "--archive", path, iv, "--level", "open", "--publish", "yes",
        "--name", "pseudonym", "--pseudonym", "L. M.", "--embargo", "2031-04",
    )  # fmt: skip
    assert code == 0
    assert "Embargo until 2031-04" in out and "Publication: no (embargoed)" in out
    code, out, _ = run("consent", "--archive", path, iv, "--embargo", "", "--json")
    data = json.loads(out)
    assert data["embargo_until"] is None and data["pseudonym"] == "L. M."
    assert data["permissions"]["publication"]["allowed"] is True
    assert data["permissions"]["publication"]["credit"] == "L. M."
    code, out, _ = run("consent", "--archive", path, iv, "--withdraw", "--note", "phoned")
    assert "WITHDRAWN" in out and "phoned" in out and "Deposit: no (withdrawn)" in out
    with pytest.raises(SystemExit) as exited:
        run("consent", "--archive", path, iv, "--level", "public")
    assert exited.value.code == 2
    code, _, err = run("consent", "--archive", path, "nope")
    assert code == 1 and "nope" in err


def test_redact_text_range_list_delete(run, filled):
    path, built = filled
    iv = built.ids["open_real"]
    code, out, _ = run("redact", "--archive", path, iv, "--text", "courtyard", "--reason", "r")
    assert code == 0 and "courtyard" in out
    code, out, _ = run("redact", "--archive", path, iv, "--from", "0:00:01", "--to", "2.5")
    assert code == 0 and "audio 0:00:01-0:00:02" in out
    code, out, _ = run("redact", "--archive", path, iv, "--list")
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 2
    first_id = lines[0].split()[0]
    code, out, _ = run("redact", "--archive", path, iv, "--delete", first_id, "--list")
    assert code == 0 and len([x for x in out.splitlines() if x.strip()]) == 2  # msg + 1 left
    code, _, err = run("redact", "--archive", path, iv, "--from", "3")
    assert code == 1 and "--from and --to" in err
    code, _, err = run("redact", "--archive", path, iv)
    assert code == 1 and "Say what to redact" in err


def test_export_interview_and_theme_and_spec(run, filled, tmp_path):
    path, built = filled
    out_file = tmp_path / "interviews.json"
    ids = [built.ids[r] for r in ("open_pseudonym", "closed", "restricted")]
    code, out, err = run(
        "export", "--archive", path, "--interview", *ids, "--format", "json",
        "--out", out_file, "--quiet", "--translations",
    )  # fmt: skip
    assert code == 0, err
    assert "from 2 interview(s)" in out and "closed 1" in out
    text = out_file.read_text(encoding="utf-8")
    assert PSEUDONYM in text and RESTRICTED_SECRET in text  # json is a deposit
    for secret in NEVER:
        assert secret not in text

    txt = tmp_path / "food.txt"
    code, out, err = run(
        "export", "--archive", path, "--theme", "food", "--format", "txt", "--out", txt, "--quiet"
    )
    assert code == 0, err
    assert "1 excerpt(s)" in out and REDACTED_NAME not in txt.read_text(encoding="utf-8")

    spec = tmp_path / "book.toml"
    spec.write_text('title = "Neighbours"\n[selection]\nthemes = ["music"]\n', encoding="utf-8")
    code, _, err = run(
        "export", "--archive", path, "--anthology", spec, "--format", "txt", "--out", txt
    )
    assert code == 1 and "Nothing to export" in err

    code, _, err = run("export", "--archive", path, "--format", "txt", "--out", txt)
    assert code == 1 and "Choose what to export" in err
    code, _, err = run(
        "export", "--archive", path, "--interview", ids[0], "--format", "pdf",
        "--purpose", "deposit", "--out", tmp_path / "x.pdf",
    )  # fmt: skip
    assert code == 1 and "publication" in err
    assert not (tmp_path / "x.pdf").exists()
    code, _, err = run(
        "export", "--archive", path, "--interview", ids[0], "--format", "txt",
        "--out", tmp_path / "missing" / "x.txt",
    )  # fmt: skip
    assert code == 1 and "does not exist" in err


def test_an_export_killed_long_ago_leaves_nothing_behind(run, filled, tmp_path):
    import os

    path, built = filled
    stale, fresh = tmp_path / ".tmp-export-0123456789ab", tmp_path / ".tmp-export-ba9876543210"
    for leftover in (stale, fresh):
        leftover.write_text("partial plaintext", encoding="utf-8")
    day_ago = stale.stat().st_mtime - 2 * 24 * 3600
    os.utime(stale, (day_ago, day_ago))
    out = tmp_path / "t.txt"
    code, _, err = run(
        "export", "--archive", path, "--interview", built.ids["open_real"], "--format", "txt",
        "--out", out, "--quiet",
    )  # fmt: skip
    assert code == 0, err
    assert not stale.exists()  # a day old: what a killed export left
    assert fresh.exists()  # may be another export running now
