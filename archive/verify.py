"""Check an archive end to end: database pages, every media chunk and checksum."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CorruptDatabaseError, VaultError
from .keys import PURPOSE_MEDIA, unlock_keyfile
from .paths import VAULT_TMP_PREFIX, ArchivePaths
from .records import Problem, VerifyReport
from .vault import is_vault_name, verify_file

if TYPE_CHECKING:
    from .archive import Archive


def _check_database(archive: Archive, report: VerifyReport) -> None:
    db = archive.db
    try:
        for row in db.execute("PRAGMA cipher_integrity_check").fetchall():
            report.problems.append(Problem("database", f"encrypted page check: {row[0]}"))
        rows = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            report.problems.extend(Problem("database", msg) for msg in rows)
        for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check").fetchall():
            report.problems.append(
                Problem("database", f"{table} row {rowid} points to a missing {parent} row")
            )
    except sqlite3.DatabaseError as exc:
        report.problems.append(Problem("database", f"cannot be read: {exc}"))


def _check_vault_files(
    vault: Path,
    media_key: bytes,
    expected: dict[str, tuple[int, str]] | None,
    report: VerifyReport,
    progress: Callable[[float], None] | None,
) -> None:
    """Authenticate every vault file; compare with ``expected`` (id -> size, sha256)."""
    present = {p.name for p in vault.iterdir()} if vault.is_dir() else set()
    names = sorted(expected) if expected is not None else sorted(filter(is_vault_name, present))
    for n, media_id in enumerate(names, 1):
        where = f"media {media_id}"
        if media_id not in present:
            report.problems.append(Problem(where, "the file is missing from the vault"))
            continue
        try:
            size, sha = verify_file(vault / media_id, media_key)
        except VaultError as exc:
            report.problems.append(Problem(where, str(exc)))
            continue
        report.media_checked += 1
        report.bytes_checked += size
        if expected is not None and (size, sha) != expected[media_id]:
            report.problems.append(Problem(where, "does not match the checksum recorded at import"))
        if progress:
            progress(n / max(len(names), 1))
    if expected is not None:
        for name in sorted(present - set(expected)):
            if name.startswith(VAULT_TMP_PREFIX):
                report.problems.append(Problem(f"vault {name}", "leftover temporary file"))
            elif is_vault_name(name):
                report.problems.append(Problem(f"vault {name}", "file not referenced by any row"))
            else:
                report.problems.append(Problem(f"vault {name}", "unknown file in the vault"))


def verify_open_archive(
    archive: Archive, progress: Callable[[float], None] | None = None
) -> VerifyReport:
    report = VerifyReport()
    _check_database(archive, report)
    expected: dict[str, tuple[int, str]] | None
    try:
        expected = {
            row["id"]: (row["size"], row["sha256"])
            for row in archive.db.query("SELECT id, size, sha256 FROM media")
        }
    except sqlite3.DatabaseError as exc:
        # The media rows are on a damaged page: still authenticate every vault file.
        report.problems.append(Problem("database", f"the media list cannot be read: {exc}"))
        expected = None
    _check_vault_files(archive.paths.vault, archive.media_key(), expected, report, progress)
    return report


def verify_archive(
    path: Path, passphrase: str, progress: Callable[[float], None] | None = None
) -> VerifyReport:
    """Verify an archive by path, even one whose database no longer opens.

    A wrong passphrase still raises; a damaged database is reported as a problem and
    the vault files are then authenticated chunk by chunk without checksums.
    """
    from .archive import Archive

    try:
        archive = Archive.open(path, passphrase)
    except CorruptDatabaseError as exc:
        report = VerifyReport([Problem("database", str(exc))])
        paths = ArchivePaths(Path(path))
        master, _ = unlock_keyfile(paths.keyfile, passphrase)
        try:
            _check_vault_files(paths.vault, master.subkey(PURPOSE_MEDIA), None, report, progress)
        finally:
            master.wipe()
        return report
    with archive:
        return verify_open_archive(archive, progress=progress)
