"""The audio anthology as MP3 with ID3v2 chapters (see :mod:`.audio_anthology`)."""

from __future__ import annotations

from .audio_anthology import render_mp3 as render

__all__ = ["render"]
