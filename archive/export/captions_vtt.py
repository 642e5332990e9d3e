"""WebVTT captions, one file per excerpt (see :mod:`.captions`)."""

from __future__ import annotations

from .captions import render_vtt as render

__all__ = ["render"]
