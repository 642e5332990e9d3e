"""Search snippets as rich text: the archive marks matches with ⟦ and ⟧; everything
else is the transcript's own text and is escaped, so a "<" typed by a transcriber
stays a "<"."""

from __future__ import annotations

import html

from archive.search import SNIPPET_CLOSE, SNIPPET_OPEN

HIGHLIGHT_STYLE = "background-color: #ffe08a; color: #1d1b16; font-weight: 600"


def snippet_html(snippet: str, style: str = HIGHLIGHT_STYLE) -> str:
    """``snippet`` with every ⟦match⟧ highlighted and the rest escaped as HTML."""
    out: list[str] = []
    rest = snippet
    while rest:
        start = rest.find(SNIPPET_OPEN)
        if start < 0:
            out.append(html.escape(rest))
            break
        out.append(html.escape(rest[:start]))
        rest = rest[start + 1 :]
        end = rest.find(SNIPPET_CLOSE)
        marked, rest = (rest, "") if end < 0 else (rest[:end], rest[end + 1 :])
        out.append(f'<span style="{style}">{html.escape(marked)}</span>')
    return "".join(out).replace(SNIPPET_CLOSE, "")


def plain_snippet(snippet: str) -> str:
    """The snippet without its markers (for tooltips and accessibility)."""
    return snippet.replace(SNIPPET_OPEN, "").replace(SNIPPET_CLOSE, "")
