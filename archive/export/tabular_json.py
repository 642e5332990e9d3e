"""JSON export of the cleared corpus (see :mod:`.tabular`)."""

from __future__ import annotations

from .tabular import render_json as render

__all__ = ["render"]
