"""Exports: anthology books, transcripts, captions, deposits, audio.

One path for every format (DESIGN): a spec -> :func:`build_corpus` (consent, then
redaction) -> a renderer.  A renderer is a module with
``render(corpus, target, *, progress, cancelled)`` that creates ``target`` (a file, or a
folder for formats that make several files); :func:`export` gives it a temporary
name beside the destination and moves the result into place only when it is
complete, so a cancelled, failed or disk-full export leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import secrets
import shutil
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..consent import Purpose
from ..errors import DiskFullError
from ..fsutil import fsync_dir, is_disk_full
from ..util import InvalidInputError
from .corpus import (
    Cancelled,
    Chapter,
    Corpus,
    Excerpt,
    ExportCancelledError,
    ExportError,
    InterviewEntry,
    Progress,
    build_corpus,
    citation,
)
from .spec import AnthologySpec, Selection, dump_spec, load_spec, spec_from_dict

if TYPE_CHECKING:
    from ..archive import Archive


class Renderer(Protocol):
    def __call__(
        self,
        corpus: Corpus,
        target: Path,
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> None: ...


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    purpose: Purpose  # the default, and the loosest allowed
    suffix: str  # of a single-file result
    module: str
    needs_audio: bool = False
    may_be_folder: bool = False  # several files -> a folder
    variants: tuple[tuple[str, str], ...] = ()  # (out suffix, module): mp3 for audio

    def renderer(self, out: Path | None = None) -> Renderer:
        module = self.module
        for suffix, variant in self.variants:
            if out is not None and out.suffix.lower() == f".{suffix}":
                module = variant
        return importlib.import_module(f"{__name__}.{module}").render  # type: ignore[no-any-return]


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("pdf", "PDF book", Purpose.PUBLICATION, ".pdf", "pdf_book"),
        ExportFormat("docx", "Word document", Purpose.PUBLICATION, ".docx", "docx_doc"),
        ExportFormat("txt", "Plain text", Purpose.PUBLICATION, ".txt", "text"),
        ExportFormat(
            "srt",
            "SubRip captions",
            Purpose.PUBLICATION,
            ".srt",
            "captions_srt",
            may_be_folder=True,
        ),
        ExportFormat(
            "vtt",
            "WebVTT captions",
            Purpose.PUBLICATION,
            ".vtt",
            "captions_vtt",
            may_be_folder=True,
        ),
        ExportFormat("ohms", "OHMS XML", Purpose.DEPOSIT, ".xml", "ohms", may_be_folder=True),
        ExportFormat("csv", "Metadata (CSV)", Purpose.DEPOSIT, ".csv", "tabular_csv"),
        ExportFormat(
            "json", "Metadata and transcripts (JSON)", Purpose.DEPOSIT, ".json", "tabular_json"
        ),
        ExportFormat(
            "bagit",
            "BagIt deposit package",
            Purpose.DEPOSIT,
            "",
            "bagit_deposit",
            needs_audio=True,
            may_be_folder=True,
        ),
        ExportFormat(
            "audio",
            "Audio anthology (Ogg or MP3)",
            Purpose.PUBLICATION,
            ".ogg",
            "audio_anthology",
            needs_audio=True,
            variants=(("mp3", "audio_anthology_mp3"),),
        ),
    )
}


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    interviews: int
    excerpts: int
    excluded: Counter[str]


def resolve_purpose(fmt: ExportFormat, purpose: Purpose | str | None) -> Purpose:
    """The format's purpose, or a stricter one; never a looser one."""
    if purpose is None:
        return fmt.purpose
    purpose = Purpose(purpose)
    if fmt.purpose is Purpose.PUBLICATION and purpose is not Purpose.PUBLICATION:
        raise InvalidInputError(
            f"A {fmt.name} export is a publication: it can only include what narrators "
            "allowed to be published."
        )
    return purpose


def excluded_summary(excluded: Counter[str]) -> str:
    """ "3 left out by consent (closed 2, withdrawn 1)" — counts only, never names."""
    total = sum(excluded.values())
    if not total:
        return "nothing left out by consent"
    parts = ", ".join(f"{reason} {n}" for reason, n in sorted(excluded.items()))
    return f"{total} left out by consent ({parts})"


def _fsync_tree(path: Path) -> None:
    if path.is_dir():
        for child in path.rglob("*"):
            if child.is_file():
                _fsync_file(child)
        for folder in [path, *(p for p in path.rglob("*") if p.is_dir())]:
            fsync_dir(folder)
    else:
        _fsync_file(path)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


_PARTIAL_PREFIX = ".tmp-export-"
_STALE_AFTER = 24 * 3600  # seconds: no export runs that long


def _remove_stale_partials(folder: Path) -> None:
    """Delete what an export killed mid-way (power cut, SIGKILL) left in ``folder``:
    a partial export is plaintext nobody asked to keep."""
    now = time.time()
    for leftover in folder.glob(f"{_PARTIAL_PREFIX}*"):
        with contextlib.suppress(OSError):
            if now - leftover.lstat().st_mtime > _STALE_AFTER:
                _remove(leftover)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Preview:
    """The first pages of a book as PDF bytes (in memory only), and what it holds."""

    pdf: bytes
    interviews: int
    excerpts: int
    excluded: Counter[str]


def preview(
    archive: Archive,
    spec: AnthologySpec,
    *,
    max_excerpts: int = 6,
    cancelled: Cancelled | None = None,
) -> Preview:
    """Render the start of ``spec`` as a PDF in memory: nothing touches the disk."""
    corpus = build_corpus(archive, spec, Purpose.PUBLICATION, cancelled=cancelled)
    shown = truncate(corpus, max_excerpts)
    buffer = io.BytesIO()
    if not corpus.empty:
        FORMATS["pdf"].renderer()(shown, buffer, cancelled=cancelled)  # type: ignore[arg-type]
    return Preview(buffer.getvalue(), len(corpus.interviews), len(corpus.excerpts), corpus.excluded)


def truncate(corpus: Corpus, max_excerpts: int) -> Corpus:
    """The corpus cut after its first ``max_excerpts`` excerpts (for previews)."""
    chapters: list[Chapter] = []
    left = max_excerpts
    for chapter in corpus.chapters:
        if left <= 0:
            break
        chapters.append(Chapter(chapter.title, chapter.excerpts[:left]))
        left -= len(chapters[-1].excerpts)
    kept = {e.interview_id for c in chapters for e in c.excerpts}
    return replace(
        corpus, chapters=chapters, interviews=[i for i in corpus.interviews if i.id in kept]
    )


def export(
    archive: Archive,
    spec: AnthologySpec,
    fmt: str,
    out: str | Path,
    *,
    purpose: Purpose | str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportResult:
    """Export ``spec`` as ``fmt`` to ``out``; all or nothing."""
    try:
        export_format = FORMATS[fmt]
    except KeyError:
        raise InvalidInputError(
            f"Not an export format: {fmt!r}. Use one of {', '.join(FORMATS)}."
        ) from None
    out = Path(out)
    if not out.parent.is_dir():
        raise ExportError(f"The folder {out.parent} does not exist.")
    if out.is_dir() and any(out.iterdir()):
        raise ExportError(f"{out} is a folder that is not empty. Choose a new name.")

    def report(start: float, share: float) -> Progress | None:
        if progress is None:
            return None
        return lambda f: progress(start + share * min(1.0, max(0.0, f)))

    corpus = build_corpus(
        archive,
        spec,
        resolve_purpose(export_format, purpose),
        progress=report(0.0, 0.1),
        cancelled=cancelled,
        with_audio=export_format.needs_audio,
    )
    if corpus.empty:
        raise ExportError(
            "Nothing to export: no selected interview may be exported for "
            f"{corpus.purpose.value} ({excluded_summary(corpus.excluded)})."
        )
    _remove_stale_partials(out.parent)
    tmp = out.with_name(f"{_PARTIAL_PREFIX}{secrets.token_hex(6)}")
    try:
        export_format.renderer(out)(corpus, tmp, progress=report(0.1, 0.9), cancelled=cancelled)
        if cancelled is not None and cancelled():
            raise ExportCancelledError("Export cancelled. Nothing was written.")
        _fsync_tree(tmp)
        if out.is_dir():
            out.rmdir()  # empty, checked above
        elif tmp.is_dir() and out.exists():
            out.unlink()
        tmp.replace(out)
        fsync_dir(out.parent)
    except OSError as exc:
        _remove(tmp)
        if is_disk_full(exc):
            raise DiskFullError(
                f"The disk is full: could not write {out.name}. Nothing was written."
            ) from exc
        raise ExportError(f"Could not write {out}: {exc.strerror or exc}.") from exc
    except BaseException:
        _remove(tmp)
        raise
    with archive.db.atomic():
        archive.audit.record(f"export.{fmt}", "export", None)
    if progress is not None:
        progress(1.0)
    return ExportResult(out, fmt, len(corpus.interviews), len(corpus.excerpts), corpus.excluded)


__all__ = [
    "FORMATS",
    "AnthologySpec",
    "Chapter",
    "Corpus",
    "Excerpt",
    "ExportCancelledError",
    "ExportError",
    "ExportFormat",
    "ExportResult",
    "InterviewEntry",
    "Preview",
    "Selection",
    "build_corpus",
    "citation",
    "dump_spec",
    "excluded_summary",
    "export",
    "load_spec",
    "preview",
    "resolve_purpose",
    "spec_from_dict",
    "truncate",
]
