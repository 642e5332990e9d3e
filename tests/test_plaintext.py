"""No plaintext at rest: a canary name and canary audio never appear on disk unencrypted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from archive import Archive, InterviewMetadata

from .conftest import FAST_KDF_ARGS, PASSPHRASE
from .media_factory import tone, write_wav

CANARY_NAME = "Canarian Zabelqwx Օգանեսյան-Məmmədova"
SQLITE_HEADER = b"SQLite format 3"


def _needles(source: Path, working: np.ndarray) -> dict[str, bytes]:
    raw = source.read_bytes()
    middle = len(raw) // 2
    pcm = (working * 32768).astype("<i2").tobytes()
    return {
        "name (utf-8)": CANARY_NAME.encode(),
        "name, latin part": b"Zabelqwx",
        "name, armenian part": "Օգանեսյան".encode(),
        "original audio bytes": raw[middle : middle + 48],
        "working-copy audio": pcm[len(pcm) // 2 : len(pcm) // 2 + 48],
        "sqlite header": SQLITE_HEADER,
    }


def _scan(folder: Path, needles: dict[str, bytes]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{what} in {path.name}" for what, n in needles.items() if n in data]
    return found


def test_archive_and_temp_folders_hold_no_plaintext(tmp_path: Path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    source = write_wav(tmp_path / "canary.wav", tone(8.0, freq=1234.5, seed=7))
    archive_path = tmp_path / "archive"
    env = {
        **os.environ,
        "TMPDIR": str(tmpdir),
        "SIDEBYSIDE_PASSPHRASE": PASSPHRASE,
    }

    def cli(*args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "desk", *args], env=env, check=True, capture_output=True
        )

    cli("init", "--archive", str(archive_path), *FAST_KDF_ARGS)
    cli("import", "--archive", str(archive_path), str(source), "--narrator", CANARY_NAME,
        "--title", CANARY_NAME, "--place", "Zabelqwx")  # fmt: skip

    with Archive.open(archive_path, PASSPHRASE) as a:
        interview = a.interviews.list()[0]
        assert interview.narrator_name == CANARY_NAME  # the canary really is inside
        working = a.media.working_audio(interview.id)
        needles = _needles(source, working)
        assert needles["working-copy audio"] in (working * 32768).astype("<i2").tobytes()
        # While open (WAL and shared-memory files present) and after an edit:
        a.interviews.update(
            interview.id, InterviewMetadata(title=CANARY_NAME, narrator=CANARY_NAME)
        )
        assert _scan(archive_path, needles) == []
        assert _scan(tmpdir, needles) == []
    # The scanner does find the canary where it is in clear: the source file.
    assert "original audio bytes in canary.wav" in _scan(tmp_path, needles)
    assert _scan(archive_path, needles) == []
    assert _scan(tmpdir, needles) == []
    assert sorted(p.name for p in archive_path.iterdir()) == [
        ".lock", "archive.db", "keyfile.json", "vault",
    ]  # fmt: skip
