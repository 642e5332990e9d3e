"""Keep huggingface_hub (which faster-whisper imports) off the network."""

from __future__ import annotations

import os

OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}


def ensure_offline() -> None:
    """Forbid huggingface_hub any network access.

    Must run before faster_whisper is first imported: huggingface_hub reads these
    variables once, at import.  Importing ``transcription`` runs it.
    """
    os.environ.update(OFFLINE_ENV)
