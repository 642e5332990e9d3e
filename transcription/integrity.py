"""SHA-256 of model files, with a small cache, and copies that fsync and hash.

Hashing a 150 MB model takes about a second, too long to repeat at every start.
The hash of each file is cached in ``models_dir()/verification-cache.json``, keyed by
the file's path, size, mtime and ctime: any change to the file (or a ``touch`` that
resets its mtime, which still changes the ctime) makes it hashed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from archive.fsutil import atomic_write_bytes
from archive.paths import models_dir

CACHE_NAME = "verification-cache.json"
_CHUNK = 4 * 1024 * 1024


def _cache_path() -> Path:
    return models_dir() / CACHE_NAME


def _stat_key(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns}


def _read_cache() -> dict[str, dict[str, object]]:
    try:
        data = json.loads(_cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else {}


def _write_cache(files: dict[str, dict[str, object]]) -> None:
    """Best effort: a cache that cannot be written only costs time."""
    with contextlib.suppress(OSError):
        write_json_atomic(_cache_path(), {"version": 1, "files": files})


def hash_stream(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def file_sha256(path: Path, *, use_cache: bool = True) -> str:
    """SHA-256 (hex) of a file, from the cache when the file has not changed."""
    path = path.resolve()
    key = _stat_key(path)
    cache = _read_cache() if use_cache else {}
    entry = cache.get(str(path))
    if isinstance(entry, dict) and all(entry.get(k) == v for k, v in key.items()):
        cached = entry.get("sha256")
        if isinstance(cached, str):
            return cached
    with open(path, "rb") as f:
        digest = hash_stream(f)
    if use_cache and _stat_key(path) == key:  # unchanged while we read it
        cache[str(path)] = {**key, "sha256": digest}
        _write_cache(cache)
    return digest


def remember_sha256(path: Path, digest: str) -> None:
    """Record a hash computed while the file was written, so it is not read again."""
    path = path.resolve()
    cache = _read_cache()
    cache[str(path)] = {**_stat_key(path), "sha256": digest}
    _write_cache(cache)


def copy_hashed(sources: Iterable[Path], dest: Path) -> tuple[str, list[str]]:
    """Concatenate ``sources`` into the new file ``dest`` and fsync it, in one pass.

    Returns the SHA-256 of ``dest`` and of each source, so that a split model is read
    once, not three times.
    """
    digest = hashlib.sha256()
    part_digests: list[str] = []
    with open(dest, "xb") as out:
        for src in sources:
            part = hashlib.sha256()
            with open(src, "rb") as f:
                while chunk := f.read(_CHUNK):
                    part.update(chunk)
                    digest.update(chunk)
                    out.write(chunk)
            part_digests.append(part.hexdigest())
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), part_digests


def write_json_atomic(path: Path, data: object) -> None:
    """Write JSON all-or-nothing (temp name, fsync, rename, folder fsync)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))
