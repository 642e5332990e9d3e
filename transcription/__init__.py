"""Whisper on the CPU: model discovery, the engine.  Knows nothing of Qt.

Importing this package forbids huggingface_hub (imported by faster-whisper) any
network access.
"""

from __future__ import annotations

from transcription.alignment import align_translations
from transcription.engine import (
    Engine,
    TranscribedSegment,
    TranscribeOptions,
    TranscriptionRun,
    Word,
    validate_options,
)
from transcription.errors import (
    ModelError,
    ModelNotFoundError,
    ModelVerificationError,
)
from transcription.languages import WHISPER_LANGUAGES, LanguageError
from transcription.models import (
    ModelInfo,
    add_model,
    assemble_model,
    find_model,
    list_models,
)
from transcription.offline import ensure_offline

# None of the imports above loads faster_whisper (the engine imports it lazily), so
# this still runs before huggingface_hub can read its settings.
ensure_offline()

__all__ = [
    "WHISPER_LANGUAGES",
    "Engine",
    "LanguageError",
    "ModelError",
    "ModelInfo",
    "ModelNotFoundError",
    "ModelVerificationError",
    "TranscribeOptions",
    "TranscribedSegment",
    "TranscriptionRun",
    "Word",
    "add_model",
    "align_translations",
    "assemble_model",
    "find_model",
    "list_models",
    "validate_options",
]
