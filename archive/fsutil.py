"""Crash-safe file writing: temp name, fsync, rename, directory fsync."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import DiskFullError


def fsync_dir(directory: Path) -> None:
    """Make a rename or unlink in ``directory`` durable (a no-op where unsupported)."""
    if os.name == "nt":  # Windows cannot open a directory for fsync
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


@contextlib.contextmanager
def atomic_output(path: Path, *, tmp_prefix: str = ".tmp-") -> Iterator[BinaryIO]:
    """Write ``path`` all-or-nothing.

    Yields a binary file open on a temporary name in the same folder; on success the
    data is fsynced, renamed over ``path`` and the folder fsynced.  On any error the
    temporary file is removed and ``path`` is untouched.  ENOSPC becomes
    :class:`DiskFullError`.
    """
    tmp = path.with_name(f"{tmp_prefix}{secrets.token_hex(8)}")
    f = open(tmp, "xb")  # noqa: SIM115 - closed before the rename, below
    try:
        try:
            yield f
            f.flush()
            os.fsync(f.fileno())
        finally:
            f.close()
        tmp.replace(path)
        fsync_dir(path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if is_disk_full(exc):
            raise DiskFullError(
                f"The disk is full: could not write {path.name}. Nothing was changed."
            ) from exc
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_output(path) as f:
        f.write(data)
