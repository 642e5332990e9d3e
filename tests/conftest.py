"""Shared fixtures: isolated app folders, fast (floor) key derivation, fixture media."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from archive import Archive, KdfParams

# Qt runs without a screen in tests; set before pytest-qt creates the QApplication.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")

FIXTURES = Path(__file__).parent / "fixtures"
PASSPHRASE = "correct horse Ձի ცხენი"
# The floor the archive accepts: cheap enough for tests, same code path as the default.
FAST_KDF = KdfParams.minimum()
FAST_KDF_ARGS = ["--kdf-memory", "19", "--kdf-time", "2", "--kdf-parallelism", "1"]


@pytest.fixture(autouse=True)
def isolated_app_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never touch the real user's config or data folders."""
    base = tmp_path_factory.mktemp("appdirs")
    monkeypatch.setenv("SIDEBYSIDE_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("SIDEBYSIDE_DATA_DIR", str(base / "data"))
    monkeypatch.delenv("SIDEBYSIDE_PASSPHRASE", raising=False)
    monkeypatch.delenv("SIDEBYSIDE_NEW_PASSPHRASE", raising=False)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def transcripts() -> dict[str, dict[str, str]]:
    return json.loads((FIXTURES / "transcripts.json").read_text(encoding="utf-8"))


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def archive(archive_path: Path) -> Iterator[Archive]:
    a = Archive.create(archive_path, PASSPHRASE, kdf=FAST_KDF)
    yield a
    a.close()


def vault_names(archive_path: Path) -> set[str]:
    return {p.name for p in (archive_path / "vault").iterdir()}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Mount real, small tmpfs filesystems to run out of space for real (needs root)."""
    mounts: list[Path] = []

    def make(size: str) -> Path:
        mount = tmp_path / f"disk{len(mounts)}"
        mount.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
            capture_output=True,
        )
        if result.returncode != 0:
            pytest.skip("cannot mount a small tmpfs here (needs root)")
        mounts.append(mount)
        return mount

    yield make
    for mount in mounts:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo archive, built once per test run (floor key derivation)."""
    from archive.demo import build_demo_archive

    base = tmp_path_factory.mktemp("demo-source")
    with pytest.MonkeyPatch.context() as patch:  # the autouse isolation is per test
        patch.setenv("SIDEBYSIDE_CONFIG_DIR", str(base / "config"))
        patch.setenv("SIDEBYSIDE_DATA_DIR", str(base / "data"))
        build_demo_archive(base / "demo", kdf=FAST_KDF).close()
    return base / "demo"


@pytest.fixture
def demo(demo_source: Path, tmp_path: Path) -> Archive:
    """A fresh, open copy of the demo archive for one test."""
    from archive.demo import DEMO_PASSPHRASE

    copy = tmp_path / "demo"
    shutil.copytree(demo_source, copy)
    return Archive.open(copy, DEMO_PASSPHRASE)


@pytest.fixture
def demo_window(qtbot, demo: Archive):
    """``demo_window(view)``: the real main window on a copy of the demo archive."""
    from PySide6.QtCore import QThreadPool

    from desk.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def make(view: int = 0) -> MainWindow:
        win = MainWindow()
        qtbot.addWidget(win)
        win.show()
        win.session.open(demo)
        win.show_view(view)
        windows.append(win)
        return win

    yield make
    for win in windows:
        win.session.lock()
    QThreadPool.globalInstance().waitForDone(5_000)


@pytest.fixture
def export_archive(archive: Archive):
    """An archive with every consent case, real names and redactions (tests/export_fixtures)."""
    from tests.export_fixtures import build_export_archive

    return build_export_archive(archive)


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """``run(*args)``: the ``sidebyside`` command in-process -> (exit code, stdout, stderr)."""
    from desk.cli import main

    def invoke(*args: object):
        monkeypatch.setenv("SIDEBYSIDE_PASSPHRASE", PASSPHRASE)
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke
