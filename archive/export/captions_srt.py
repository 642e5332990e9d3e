"""SubRip captions, one file per excerpt (see :mod:`.captions`)."""

from __future__ import annotations

from .captions import render_srt as render

__all__ = ["render"]
