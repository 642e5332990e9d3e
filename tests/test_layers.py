"""The layer rules: archive/ and transcription/ never load Qt; desk/ never runs SQL."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _imports(package: str) -> set[str]:
    names: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def test_importing_archive_loads_neither_qt_nor_whisper():
    code = (
        "import sys, archive, archive.verify, archive.importer\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'faster_whisper', 'ctranslate2', 'transcription', 'desk')]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""


def test_archive_imports_nothing_from_above():
    assert not _imports("archive") & {"PySide6", "shiboken6", "faster_whisper", "desk",
                                      "transcription", "ctranslate2"}  # fmt: skip


def test_transcription_never_imports_qt_or_desk():
    assert not _imports("transcription") & {"PySide6", "shiboken6", "desk"}


def test_desk_runs_no_sql():
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE)\b\s+\S", re.IGNORECASE)
    execute = re.compile(r"\.(execute|executescript|executemany|query)\(")
    offenders = []
    for path in (ROOT / "desk").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if execute.search(line) and sql.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert offenders == []
