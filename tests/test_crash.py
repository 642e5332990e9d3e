"""Crash safety: SIGKILL an importing process at random moments, many times.

After every kill the archive opens, ``verify`` passes, earlier interviews are
intact, the interrupted interview is either complete or absent, and no orphan
vault file remains.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive import Archive

from .conftest import FAST_KDF, PASSPHRASE
from .media_factory import tone, write_wav

KILLS = 24

WORKER = """
import sys
from archive import Archive
archive = Archive.open(sys.argv[1], sys.argv[2])
print("open", flush=True)
archive.import_file(sys.argv[3])
print("done", flush=True)
archive.close()
"""


def _run_worker(archive_path: Path, source: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(archive_path), PASSPHRASE, str(source)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
    )


def _timed_import(archive_path: Path, source: Path) -> float:
    """Seconds from 'archive open' to 'import done' in a worker (the window to kill in)."""
    worker = _run_worker(archive_path, source)
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == "open"
    start = time.monotonic()
    assert worker.stdout.readline().strip() == "done"
    elapsed = time.monotonic() - start
    worker.wait(timeout=60)
    return elapsed


@pytest.mark.slow
def test_sigkill_during_import_never_damages_the_archive(tmp_path: Path):
    archive_path = tmp_path / "archive"
    Archive.create(archive_path, PASSPHRASE, kdf=FAST_KDF).close()
    # Stereo 44.1 kHz, like a field recorder: big enough that the kill lands in
    # decoding, in copying the original, or around the commit.
    source = write_wav(tmp_path / "take.wav", tone(25.0, rate=44100), rate=44100)
    window = _timed_import(archive_path, source)
    rng = random.Random(20261122)
    # Most kills land anywhere in the measured window; the last few land after it
    # (a loaded machine can make every import slower than the one measured).
    delays = [rng.uniform(0, window * 1.1) for _ in range(KILLS - 4)]
    delays += [rng.uniform(window * 1.5, window * 3) for _ in range(4)]
    outcomes = {"complete": 0, "absent": 0}
    for delay in delays:
        with Archive.open(archive_path, PASSPHRASE) as a:
            before = {i.id: a.media.for_interview(i.id) for i in a.interviews.list()}
        worker = _run_worker(archive_path, source)
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "open"
        time.sleep(delay)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        worker.stdout.close()

        with Archive.open(archive_path, PASSPHRASE) as a:
            report = a.verify()
            assert report.ok, [str(p) for p in report.problems]
            after = {i.id: a.media.for_interview(i.id) for i in a.interviews.list()}
            for interview_id, media in before.items():
                assert after[interview_id] == media  # earlier interviews intact
            new = set(after) - set(before)
            assert len(new) <= 1
            for interview_id in new:  # complete: both files, full duration
                assert {m.role for m in after[interview_id]} == {"original", "working"}
                assert a.interviews.get(interview_id).duration == pytest.approx(25.0, abs=0.05)
            outcomes["complete" if new else "absent"] += 1
            vault = {p.name for p in (archive_path / "vault").iterdir()}
            assert vault == {m.id for media in after.values() for m in media}  # no orphans
    # The random kills must have hit both sides of the commit at least once.
    assert outcomes["absent"] > 0 and outcomes["complete"] > 0, outcomes
