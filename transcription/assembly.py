"""Assembling a model whose model.bin ships split across packages.

Everything is built in a hidden staging folder next to the destination: model.bin is
concatenated from the parts under a temp name, fsynced, checked against its pin and
renamed; the other files are copied and checked; then the whole folder is renamed into
place.  Any failure removes the staging folder, so a half-built model never appears.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from archive.fsutil import fsync_dir
from transcription.errors import ModelError, ModelNotFoundError
from transcription.integrity import copy_hashed, remember_sha256
from transcription.pins import MODEL_BIN, Locator, PackagedModel, locate_in_distribution

STAGING_PREFIX = ".tmp-"


def find_parts(spec: PackagedModel, locate: Locator) -> tuple[list[Path], dict[str, Path]]:
    """The part files and the companion files (config.json...) of a split model."""
    missing: list[str] = []
    parts: list[Path] = []
    for part in spec.parts:
        path = locate(part.distribution, part.path)
        if path is None:
            missing.append(part.distribution)
        else:
            parts.append(path)
    extras: dict[str, Path] = {}
    for name in spec.files:
        if name == MODEL_BIN:
            continue
        path = locate(spec.distribution, f"{spec.folder}/{name}")
        if path is None:
            missing.append(spec.distribution)
        else:
            extras[name] = path
    if missing:
        names = ", ".join(dict.fromkeys(missing))
        raise ModelNotFoundError(
            f"Model {spec.name!r} needs the package(s) {names}, which are not installed "
            "(or are incomplete). Install all of its parts."
        )
    return parts, extras


def _damaged(dist: str, what: str) -> ModelError:
    return ModelError(
        f"{what} in the installed package {dist!r} is damaged or altered; "
        f"reinstall it (pip install --force-reinstall {dist})."
    )


def assemble_split_model(
    spec: PackagedModel, dest_root: Path, *, locate: Locator = locate_in_distribution
) -> Path:
    """Build ``dest_root/<name>`` from the parts of ``spec``; return its folder.

    ``dest_root/<name>`` must not exist yet.  ``locate`` is injectable so tests can
    point it at fake distributions.
    """
    parts, extras = find_parts(spec, locate)
    for part, path in zip(spec.parts, parts, strict=True):
        if path.stat().st_size != part.size:
            raise _damaged(
                part.distribution,
                f"{path.name} ({path.stat().st_size} bytes, expected {part.size})",
            )
    for name, path in extras.items():
        if path.stat().st_size != spec.files[name].size:
            raise _damaged(spec.distribution, name)

    final = dest_root / spec.name
    dest_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{spec.name}-", dir=dest_root))
    digests: dict[str, str] = {}
    try:
        tmp = staging / f"{MODEL_BIN}.tmp"
        total, part_digests = copy_hashed(parts, tmp)
        for part, path, digest in zip(spec.parts, parts, part_digests, strict=True):
            if digest != part.sha256:
                raise _damaged(part.distribution, path.name)
        if total != spec.files[MODEL_BIN].sha256:
            raise ModelError(
                f"The assembled model.bin of {spec.name!r} does not match its pinned "
                "SHA-256; the parts do not belong together. Reinstall both packages."
            )
        tmp.rename(staging / MODEL_BIN)
        digests[MODEL_BIN] = total
        for name, src in extras.items():
            digest, _ = copy_hashed([src], staging / name)
            if digest != spec.files[name].sha256:
                raise _damaged(spec.distribution, name)
            digests[name] = digest
        fsync_dir(staging)
        try:
            staging.rename(final)
        except OSError:
            if not final.is_dir():
                raise
            # Another process assembled it first; the caller verifies theirs.
            shutil.rmtree(staging, ignore_errors=True)
            return final
        fsync_dir(dest_root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for name, digest in digests.items():
        remember_sha256(final / name, digest)
    return final


def discard_dir(path: Path) -> None:
    """Remove a broken assembled model: renamed away first, so it vanishes at once."""
    doomed = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}discard-", dir=path.parent))
    path.rename(doomed / path.name)
    shutil.rmtree(doomed, ignore_errors=True)


def sweep_stale_staging(dest_root: Path, *, older_than: float = 3600.0) -> None:
    """Remove staging folders left by a process killed mid-assembly or mid-add.

    Only old ones: a fresh one may belong to another process that is still working.
    """
    if not dest_root.is_dir():
        return
    now = time.time()
    for entry in dest_root.iterdir():
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir():
            try:
                if now - entry.stat().st_mtime > older_than:
                    shutil.rmtree(entry, ignore_errors=True)
            except OSError:
                continue
