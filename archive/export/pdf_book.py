"""The anthology as a PDF book: reportlab platypus, A5, serif text, sans headings.

The renderer sees only the :class:`~archive.export.corpus.Corpus` (consented,
redacted); it never opens the archive.  The book is, in order:

- a cover (title, subtitle, editor, date) and its blank back;
- the contents (reportlab's :class:`TableOfContents`: chapters, and each excerpt
  when there are not too many of them);
- the editor's introduction;
- the chapters, each opening on a right-hand page: every excerpt has a heading (its
  title, or the first words it says), the narrator, place and year, its lines (speaker
  labels; the original language; with translations, original and English side by side,
  aligned line by line) and its citation;
- the list of narrators with their interviews, the index of themes and places (page
  numbers collected while the pages are laid out), and the colophon (what consent
  left out, in counts only; the date; the fonts).

Running heads: the book's title on left-hand (even) pages, the chapter's on right-hand
(odd) pages, none on the cover, on blank pages or on a chapter's first page.

Page numbers in the contents and the index come from :meth:`BaseDocTemplate.multiBuild`:
the contents and the index are filled beforehand with every entry they will hold (page
numbers unknown), so the first pass lays the pages out exactly as the last one and two
passes are enough.  The first pass is a draft that only counts pages: it breaks lines
but draws no text.  Each pass is linear in the number of pages: transcript lines become
paragraphs of bounded length, facing lines are one small flowable per line, and a
paragraph keeps its line breaks from one pass to the next.

Only the corpus is read: consent and redaction happened before (the redaction marker is
set in grey so that a reader sees where something was withheld).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus.doctemplate import IndexingFlowable
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.tableofcontents import TableOfContents

from ..redaction import MARKER, Line
from .corpus import Cancelled, Corpus, Excerpt, ExportCancelledError, Progress, citation
from .fonts import BookFonts, FontFamily, book_fonts

# Binary (deflated) streams rather than ASCII85 text: smaller files, and ASCII85 in pure
# Python was a tenth of the time of a whole book.  Every PDF reader reads them.
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A5
INNER, OUTER, TOP, BOTTOM = 54.0, 42.0, 62.0, 58.0  # margins, points
TEXT_WIDTH = PAGE_WIDTH - INNER - OUTER
TEXT_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM
HEAD_Y = PAGE_HEIGHT - 38.0  # running head baseline
FOOT_Y = 30.0  # folio baseline on opening pages
GUTTER = 14.0  # between facing columns
TOC_EXCERPT_LIMIT = 150  # list excerpts in the contents up to this many
PARAGRAPH_CHARS = 900  # monolingual lines are joined into paragraphs up to this size
PAUSE_SECONDS = 4.0  # a longer silence starts a new paragraph

INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#6b6b6b")
LIGHT = colors.HexColor("#9a9a9a")
RULE = colors.HexColor("#c8c8c8")

LANGUAGE_NAMES = {
    "hy": "Armenian",
    "az": "Azerbaijani",
    "ru": "Russian",
    "ka": "Georgian",
    "tr": "Turkish",
    "en": "English",
}
_PADDINGS = ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
_TURKIC = re.compile("[əƏıİşŞğĞ]")
_CANCELLED = "Export cancelled. Nothing was written."


# -- text ------------------------------------------------------------------------


def caps(text: str, family: FontFamily, variant: str = "regular") -> str:
    """Upper case where the font has the capitals (Georgian keeps its one case)."""
    turkic = bool(_TURKIC.search(text))
    out = []
    for char in text:
        upper = "İ" if turkic and char == "i" else char.upper()
        ok = len(upper) == 1 and upper != char and family.has_glyph(upper, variant)
        out.append(upper if ok else char)
    return "".join(out)


class _Styles:
    """The book's paragraph styles, and markup helpers that know its fonts."""

    def __init__(self, fonts: BookFonts) -> None:
        self.fonts = fonts
        serif, sans = fonts.serif, fonts.sans

        def style(name: str, family: FontFamily, variant: str = "regular", **kw: Any):
            kw.setdefault("textColor", INK)
            return ParagraphStyle(name, fontName=family.font(variant), **kw)

        self.body = style(
            "body",
            serif,
            fontSize=10.5,
            leading=14.5,
            alignment=TA_JUSTIFY,
            spaceAfter=5,
            allowWidows=0,
            allowOrphans=0,
        )
        self.column = style(
            "column",
            serif,
            fontSize=9.5,
            leading=13,
            alignment=TA_LEFT,
            allowWidows=0,
            allowOrphans=0,
        )
        self.intro = style(
            "intro",
            serif,
            fontSize=10.5,
            leading=14.5,
            alignment=TA_JUSTIFY,
            firstLineIndent=14,
            allowWidows=0,
            allowOrphans=0,
        )
        self.intro_first = ParagraphStyle("intro_first", self.intro, firstLineIndent=0)
        self.signature = style(
            "signature",
            serif,
            "italic",
            fontSize=10,
            leading=14,
            alignment=TA_RIGHT,
            spaceBefore=12,
        )
        self.section = style("section", sans, "bold", fontSize=17, leading=21, spaceAfter=22)
        self.chapter_number = style(
            "chapter_number", sans, fontSize=30, leading=34, textColor=RULE, spaceAfter=6
        )
        self.chapter = style("chapter", sans, "bold", fontSize=19, leading=23, spaceAfter=4)
        self.chapter_note = style(
            "chapter_note", sans, fontSize=8.5, leading=11, textColor=GREY, spaceAfter=26
        )
        self.excerpt = style(
            "excerpt", sans, "bold", fontSize=11.5, leading=14.5, spaceBefore=22, spaceAfter=2
        )
        self.excerpt_first = ParagraphStyle("excerpt_first", self.excerpt, spaceBefore=0)
        self.meta = style("meta", sans, fontSize=8, leading=10.5, textColor=GREY, spaceAfter=10)
        self.label = style("label", sans, fontSize=6.8, leading=9, textColor=LIGHT)
        self.citation = style(
            "citation",
            serif,
            "italic",
            fontSize=8.5,
            leading=11,
            textColor=GREY,
            alignment=TA_RIGHT,
            leftIndent=40,
            spaceBefore=5,
        )
        self.cover_title = style(
            "cover_title", sans, "bold", fontSize=25, leading=30, alignment=TA_CENTER
        )
        self.cover_subtitle = style(
            "cover_subtitle",
            serif,
            "italic",
            fontSize=13,
            leading=17,
            alignment=TA_CENTER,
            textColor=GREY,
            spaceBefore=12,
        )
        self.cover_editor = style(
            "cover_editor", serif, fontSize=11, leading=15, alignment=TA_CENTER
        )
        self.cover_foot = style(
            "cover_foot", sans, fontSize=8.5, leading=11, alignment=TA_CENTER, textColor=GREY
        )
        self.toc_chapter = style(
            "toc_chapter",
            sans,
            "bold",
            fontSize=9.5,
            leading=12.5,
            spaceBefore=7,
            rightIndent=30,
        )
        self.toc_excerpt = style(
            "toc_excerpt",
            serif,
            fontSize=9,
            leading=12,
            leftIndent=14,
            rightIndent=30,
        )
        self.index_head = style(
            "index_head",
            sans,
            "bold",
            fontSize=10,
            leading=13,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        )
        self.index_entry = style(
            "index_entry", serif, fontSize=9, leading=12, leftIndent=14, firstLineIndent=-14
        )
        self.narrator = style(
            "narrator", sans, "bold", fontSize=9.5, leading=12.5, spaceBefore=8, spaceAfter=1
        )
        self.narrator_item = style(
            "narrator_item", serif, fontSize=9, leading=12, leftIndent=14, firstLineIndent=-8
        )
        self.small = style("small", serif, fontSize=9, leading=13, spaceAfter=7)
        self.colophon_head = style(
            "colophon_head", sans, "bold", fontSize=10, leading=13, spaceAfter=10
        )

    # markup ----------------------------------------------------------------

    def text(
        self,
        text: str,
        family: FontFamily | None = None,
        variant: str = "regular",
        *,
        size: float | None = None,
    ) -> str:
        """Escaped paragraph markup; the redaction marker in small grey sans."""
        family = family or self.fonts.serif
        parts = text.split(MARKER)
        marker_size = f' size="{size * 0.82:.1f}"' if size else ""
        marker = (
            f'<font name="{self.fonts.sans.font()}" color="#8a8a8a"{marker_size}>{MARKER}</font>'
        )
        return marker.join(family.markup(part, variant) for part in parts)

    def speaker(self, name: str) -> str:
        sans = self.fonts.sans
        return (
            f'<font name="{sans.font("bold")}" size="7.5" color="#555555">'
            f"{sans.markup(caps(name, sans, 'bold'), 'bold')}</font>\u2002"
        )


# -- flowables ---------------------------------------------------------------------


class _Para(Paragraph):
    """A paragraph that remembers its lines for a width: the layout passes of
    multiBuild, KeepTogether and the facing columns wrap the same paragraph at the same
    width many times, and breaking lines is most of the cost of a book.  (``split``
    leaves the lines in place, or deletes them when it gives up: both are safe.)"""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if getattr(self, "_wrapped_at", None) == availWidth and hasattr(self, "blPara"):
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth
        return size

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        if not _drafting(canvas):
            super().drawOn(canvas, x, y, _sW)


def _drafting(canvas: Any) -> bool:
    """True during the first layout pass, which only finds page numbers: nothing drawn
    then is kept (the contents are filled with page 0 beforehand, so the first pass is
    never the last one), so text is not drawn at all."""
    return bool(getattr(getattr(canvas, "_doctemplate", None), "drafting", False))


class _Mark(Flowable):
    """Zero size: tells the document what happened here (section, contents, index)."""

    def __init__(self, *events: tuple[Any, ...]) -> None:
        super().__init__()
        self.events = events

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class _ToRecto(Flowable):
    """Continue on the next right-hand (odd) page; handled by the document."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class _Keep(KeepTogether):
    """KeepTogether that counts its first flowable's space before (reportlab drops it
    from the height, so a heading at the foot of a page lost its first line)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        size = super().wrap(availWidth, availHeight)
        first = next((f for f in self._content if not isinstance(f, _Mark)), None)
        if first is not None and not getattr(getattr(self, "_frame", None), "_atTop", 0):
            self._H += first.getSpaceBefore()
        return size


class _KeepLines(Flowable):
    """``before`` + a body (a paragraph, or a line set in facing columns) + ``after``:
    ``before`` (a heading) stays with the body's first two lines and ``after`` (a
    citation) with its last two, while the body itself splits across pages.
    KeepTogether would move the whole body on and leave half a page empty."""

    def __init__(
        self, before: Sequence[Flowable], body: Flowable, after: Sequence[Flowable]
    ) -> None:
        super().__init__()
        self.before, self.body, self.after = list(before), body, list(after)

    def _parts(self) -> list[Flowable]:
        return [*self.before, self.body, *self.after]

    def _height(self, flowables: Sequence[Flowable], availWidth: float, at_top: bool) -> float:
        height = 0.0
        for f in flowables:
            h = f.wrap(availWidth, 0xFFFFFF)[1]
            if h <= 0:
                continue
            height += h + f.getSpaceAfter() + (0 if at_top else f.getSpaceBefore())
            at_top = False
        return height

    def _at_top(self) -> bool:
        return bool(getattr(getattr(self, "_frame", None), "_atTop", 0))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self._height(self._parts(), availWidth, self._at_top())
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        body = self.body
        height = body.wrap(availWidth, availHeight)[1]
        leading = _leading(body)
        at_top = self._at_top()
        room = availHeight - self._height(self.before, availWidth, at_top)
        if self.before or not at_top:
            room -= body.getSpaceBefore()
        if self.after:  # leave two lines to go with it
            room = min(room, height - 2 * leading)
        lines = int((room + 1e-6) // leading)
        if lines < 2:
            return []  # the heading and two lines do not fit: all of it moves on
        parts = body.split(availWidth, lines * leading + _pad(body) + 1e-3)
        if len(parts) < 2:
            return []
        return [*self.before, parts[0], _KeepLines([], parts[1], self.after)]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        top = y + self.height
        at_top = self._at_top()
        for f in self._parts():
            h = f.wrap(self.width, 0xFFFFFF)[1]
            if h <= 0:
                continue
            if not at_top:
                top -= f.getSpaceBefore()
            f.drawOn(canvas, x, top - h, _sW)
            top -= h + f.getSpaceAfter()
            at_top = at_top and h <= 0


class _AtBottom(Flowable):
    """Takes what is left of the frame and draws its paragraph at the bottom."""

    def __init__(self, paragraph: Paragraph) -> None:
        super().__init__()
        self.paragraph = paragraph

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._w, self._h = self.paragraph.wrap(availWidth, availHeight)
        return availWidth, max(self._h, availHeight - 1)

    def draw(self) -> None:
        self.paragraph.drawOn(self.canv, 0, 0)


class _Facing(Flowable):
    """One line, original and translation side by side, top-aligned; splits in two."""

    def __init__(self, left: Paragraph | None, right: Paragraph | None, pad: float = 3.5):
        super().__init__()
        self.left, self.right, self.pad = left, right, pad

    def _column(self, availWidth: float) -> float:
        return (availWidth - GUTTER) / 2

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        column = self._column(availWidth)
        self._heights = [
            p.wrap(column, availHeight)[1] if p is not None else 0.0
            for p in (self.left, self.right)
        ]
        self.width, self.height = availWidth, max(self._heights) + self.pad
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        column = self._column(availWidth)
        room = availHeight - self.pad
        firsts: list[Paragraph | None] = []
        rests: list[Paragraph | None] = []
        for p in (self.left, self.right):
            if p is None or p.wrap(column, room)[1] <= room:
                firsts.append(p)
                rests.append(None)
                continue
            parts = p.split(column, room)
            if len(parts) < 2:
                return []  # not even two lines fit: the whole line moves on
            firsts.append(parts[0])
            rests.append(parts[1])
        if rests == [None, None]:  # both columns fit; the padding below did not
            return [_Facing(*firsts, pad=0)]
        return [_Facing(*firsts, pad=0), _Facing(*rests, pad=self.pad)]

    def draw(self) -> None:
        if _drafting(self.canv):
            return
        column = self._column(self.width)
        for p, h, x in zip(
            (self.left, self.right), self._heights, (0, column + GUTTER), strict=True
        ):
            if p is not None:
                p.drawOn(self.canv, x, self.height - h)
        self.canv.saveState()
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.4)
        mid = column + GUTTER / 2
        self.canv.line(mid, 0, mid, self.height)
        self.canv.restoreState()


def _leading(body: Flowable) -> float:
    if isinstance(body, _Facing):
        return max(p.style.leading for p in (body.left, body.right) if p is not None)
    return float(body.style.leading)


def _pad(body: Flowable) -> float:
    return body.pad if isinstance(body, _Facing) else 0.0


class _Collected(IndexingFlowable):
    """Back matter whose page numbers come from the layout (the index).

    Entries are (kind, term) -> {(first page, last page)}, sent by the document as
    ``notify("SbsIndex", (kind, term, first, last))``.  Filled beforehand with every
    term (no pages) so the first pass has the right length already.
    """

    def __init__(
        self,
        render: Callable[[dict[tuple[str, str], set[tuple[int, int]]]], list[Flowable]],
        terms: Iterable[tuple[str, str]],
    ) -> None:
        super().__init__()
        self._render = render
        self._entries: dict[tuple[str, str], set[tuple[int, int]]] = {t: set() for t in terms}
        self._last: dict[tuple[str, str], set[tuple[int, int]]] = {}
        self._flowables: list[Flowable] | None = None
        self._passes = 0

    def beforeBuild(self) -> None:
        self._last, self._entries, self._flowables = self._entries, {}, None
        self._passes += 1

    def isSatisfied(self) -> bool:
        # The first pass is a draft (nothing drawn): never the one that is saved.
        return self._passes > 1 and self._entries == self._last

    def notify(self, kind: str, stuff: Any) -> None:
        if kind == "SbsIndex":
            term_kind, term, first, last = stuff
            self._entries.setdefault((term_kind, term), set()).add((first, last))

    def _content(self) -> list[Flowable]:
        if self._flowables is None:
            self._flowables = self._render(self._last)
        return self._flowables

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        height = 0.0
        for f in self._content():
            height += f.wrap(availWidth, availHeight)[1] + f.getSpaceBefore() + f.getSpaceAfter()
        self.width, self.height = availWidth, height
        return availWidth, height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return list(self._content())

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        top = y + self.height
        for f in self._content():
            top -= f.getSpaceBefore()
            _, h = f.wrap(self.width, self.height)
            f.drawOn(canvas, x, top - h, _sW)
            top -= h + f.getSpaceAfter()


def _page_ranges(spans: Iterable[tuple[int, int]]) -> str:
    """{(12, 12), (13, 14), (30, 30)} -> "12–14, 30"."""
    merged: list[list[int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in merged)


# -- the document ----------------------------------------------------------------------


class _Book(BaseDocTemplate):
    def __init__(
        self,
        target: Path | BinaryIO,
        corpus: Corpus,
        styles: _Styles,
        *,
        progress: Progress | None,
        cancelled: Cancelled | None,
        estimated_pages: int,
    ) -> None:
        spec = corpus.spec
        super().__init__(
            target if isinstance(target, io.IOBase) else str(target),
            pagesize=A5,
            title=spec.title,
            author=spec.editor or "",
            subject=spec.subtitle or "An anthology of oral histories",
            creator="Side by Side",
            lang=spec.language or "en",
            displayDocTitle=True,
            pageCompression=1,
            initialFontName=styles.fonts.serif.font(),  # no unused Helvetica on each page
            initialFontSize=10.5,
        )
        self.corpus = corpus
        self.styles = styles
        self._progress = progress
        self._cancelled = cancelled
        self._pages_expected = max(1, estimated_pages)
        self._pass = 0
        self._reported = 0.0
        self.section = ""
        self._opening = 0  # page where the current section opened (no running head)
        self._open_terms: dict[int, tuple[int, Sequence[tuple[str, str]]]] = {}

        cover = Frame(
            OUTER,
            BOTTOM,
            PAGE_WIDTH - 2 * OUTER,
            TEXT_HEIGHT,
            id="cover",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

        def frame(x: float, name: str) -> Frame:
            return Frame(
                x,
                BOTTOM,
                TEXT_WIDTH,
                TEXT_HEIGHT,
                id=name,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )

        self._templates = {
            "cover": PageTemplate("cover", [cover], autoNextPageTemplate="recto"),
            "recto": PageTemplate("recto", [frame(INNER, "recto")], onPageEnd=self._furniture),
            "verso": PageTemplate("verso", [frame(OUTER, "verso")], onPageEnd=self._furniture),
        }
        self.addPageTemplates(list(self._templates.values()))

    # pages -------------------------------------------------------------------

    @property
    def drafting(self) -> bool:
        return self._pass == 1

    def beforeDocument(self) -> None:
        self._pass += 1
        self.section, self._opening = "", 0
        self._open_terms.clear()

    def handle_pageBegin(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise ExportCancelledError(_CANCELLED)
        if self.pageTemplate.id in ("recto", "verso"):
            self.pageTemplate = self._templates["recto" if (self.page + 1) % 2 else "verso"]
        self._report_page(self.page + 1)
        super().handle_pageBegin()

    def _report_page(self, page: int) -> None:
        if self._progress is None:
            return
        done = min(1.0, page / self._pages_expected)
        bands = {1: (0.05, 0.5), 2: (0.5, 0.95)}
        low, high = bands.get(self._pass, (0.95, 0.99))
        value = low + (high - low) * done
        if value > self._reported:
            self._reported = value
            self._progress(value)

    def afterPage(self) -> None:
        if self._pass == 1:
            self._pages_expected = max(self._pages_expected, self.page)

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        if flowables and isinstance(flowables[0], _ToRecto):
            del flowables[0]
            first = self.page + 1 if self._curPageFlowableCount else self.page
            target = first if first % 2 else first + 1
            flowables[0:0] = [PageBreak() for _ in range(target - self.page)]
            return
        super().handle_flowable(flowables)

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Mark):
            self._handle(flowable.events)
        elif isinstance(flowable, _KeepLines):  # drawn whole: its marks are inside
            for part in flowable._parts():
                if isinstance(part, _Mark):
                    self._handle(part.events)

    def _handle(self, events: Iterable[tuple[Any, ...]]) -> None:
        page = self.page
        for event in events:
            kind = event[0]
            if kind == "section":
                self.section, self._opening = event[1], page
            elif kind == "toc":
                _, level, markup, key, plain = event
                if markup is not None:
                    self.notify("TOCEntry", (level, markup, page, key))
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(plain, key, level=level, closed=level == 0)
            elif kind == "open":
                self._open_terms[event[1]] = (page, event[2])
            elif kind == "close":
                first, terms = self._open_terms.pop(event[1], (page, ()))
                for term_kind, term in terms:
                    self.notify("SbsIndex", (term_kind, term, first, page))

    def _furniture(self, canv: Any, doc: Any) -> None:
        """Running head and folio, drawn when the page is complete."""
        if self._curPageFlowableCount == 0 or self.drafting:
            return  # a blank page, or the draft pass
        page = self.page
        sans = self.styles.fonts.sans
        canv.saveState()
        if page == self._opening:
            _draw_text(
                canv,
                str(page),
                PAGE_WIDTH / 2,
                FOOT_Y,
                self.styles.fonts.serif,
                "regular",
                8.5,
                align="center",
                color=GREY,
            )
        else:
            verso = page % 2 == 0
            left = OUTER if verso else INNER
            head = self.corpus.spec.title if verso else (self.section or self.corpus.spec.title)
            head = caps(head, sans)
            center = left + TEXT_WIDTH / 2
            _draw_text(
                canv,
                _fit(head, sans, 7, 1.1, TEXT_WIDTH - 70),
                center,
                HEAD_Y,
                sans,
                "regular",
                7,
                align="center",
                color=GREY,
                char_space=1.1,
            )
            _draw_text(
                canv,
                str(page),
                left if verso else left + TEXT_WIDTH,
                HEAD_Y,
                self.styles.fonts.serif,
                "regular",
                8.5,
                align="left" if verso else "right",
                color=INK,
            )
        canv.restoreState()


def _width(text: str, family: FontFamily, variant: str, size: float, char_space: float) -> float:
    return sum(
        stringWidth(run, name, size) for name, run in family.runs(text, variant)
    ) + char_space * len(text)


def _fit(text: str, family: FontFamily, size: float, char_space: float, width: float) -> str:
    if _width(text, family, "regular", size, char_space) <= width:
        return text
    while text and _width(text + "…", family, "regular", size, char_space) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _draw_text(
    canv: Any,
    text: str,
    x: float,
    y: float,
    family: FontFamily,
    variant: str,
    size: float,
    *,
    align: str = "left",
    color: Any = INK,
    char_space: float = 0.0,
) -> None:
    width = _width(text, family, variant, size, char_space) - (char_space if text else 0)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    canv.setFillColor(color)
    for name, run in family.runs(text, variant):
        canv.setFont(name, size)
        canv.drawString(x, y, run, charSpace=char_space)
        x += stringWidth(run, name, size) + char_space * len(run)


# -- the story -----------------------------------------------------------------------------


def _heading(excerpt: Excerpt) -> str:
    """The excerpt's title (a whole interview's: the interview's), or its first words
    up to the first redaction, or who speaks."""
    if excerpt.title:
        return excerpt.title
    if excerpt.clip_id is None and excerpt.interview_title:
        return excerpt.interview_title
    for line in excerpt.lines:
        text = line.text.strip()
        before = text.split(MARKER, 1)[0]
        words = before.split()
        if len(words) >= 2:
            incipit = " ".join(words[:7]).rstrip(".,;:!?։…")
            more = len(words) > 7 or len(before.strip()) < len(text)
            return f"“{incipit}…”" if more else f"“{incipit}”"
    return excerpt.credit


def _languages(excerpt: Excerpt) -> str:
    names = [LANGUAGE_NAMES.get(code, code) for code in excerpt.languages if code != "en"]
    return " · ".join(names) or "Original"


class _StoryBuilder:
    def __init__(self, corpus: Corpus, styles: _Styles) -> None:
        self.corpus = corpus
        self.spec = corpus.spec
        self.s = styles
        self.fonts = styles.fonts
        self.list_excerpts = len(corpus.excerpts) <= TOC_EXCERPT_LIMIT
        self.toc_entries: list[tuple[int, str, int, str]] = []
        self.terms: set[tuple[str, str]] = set()
        self.redactions = 0
        self._excerpt_no = 0

    # helpers -------------------------------------------------------------------

    def para(
        self,
        text: str,
        style: ParagraphStyle,
        family: FontFamily | None = None,
        variant: str = "regular",
    ) -> Paragraph:
        return _Para(self.s.text(text, family, variant, size=style.fontSize), style)

    def toc(self, level: int, title: str, key: str, *, listed: bool = True) -> tuple[Any, ...]:
        family = self.fonts.sans if level == 0 else self.fonts.serif
        variant = "bold" if level == 0 else "regular"
        markup = self.s.text(title, family, variant) if listed else None
        if listed:
            self.toc_entries.append((level, markup or "", 0, key))
        return ("toc", level, markup, key, title)

    def section_head(self, title: str, key: str, *, listed: bool = True) -> list[Flowable]:
        return [
            _ToRecto(),
            _Mark(("section", title), self.toc(0, title, key, listed=listed)),
            self.para(title, self.s.section, self.fonts.sans, "bold"),
        ]

    # parts ------------------------------------------------------------------------

    def cover(self) -> list[Flowable]:
        spec, s = self.spec, self.s
        out: list[Flowable] = [
            Spacer(1, 96),
            self.para(spec.title, s.cover_title, self.fonts.sans, "bold"),
        ]
        if spec.subtitle:
            out.append(self.para(spec.subtitle, s.cover_subtitle, variant="italic"))
        out += [
            Spacer(1, 26),
            HRFlowable(width=40, thickness=0.6, color=LIGHT, hAlign="CENTER"),
            Spacer(1, 26),
        ]
        if spec.editor:
            out.append(self.para(f"Edited by {spec.editor}", s.cover_editor))
        made = self.corpus.made_on
        foot = f"{made.day} {made.strftime('%B')} {made.year}"
        out.append(_AtBottom(self.para(foot, s.cover_foot, self.fonts.sans)))
        return out

    def contents(self) -> tuple[list[Flowable], TableOfContents]:
        toc = TableOfContents(
            levelStyles=[self.s.toc_chapter, self.s.toc_excerpt],
            dotsMinLevel=1,
            tableStyle=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), self.fonts.serif.font()),
                ]
                + [(pad, (0, 0), (-1, -1), 0) for pad in _PADDINGS]
            ),
        )
        flow = [
            _ToRecto(),
            _Mark(("section", "Contents"), ("toc", 0, None, "contents", "Contents")),
            self.para("Contents", self.s.section, self.fonts.sans, "bold"),
            toc,
        ]
        return flow, toc

    def introduction(self) -> list[Flowable]:
        text = self.spec.introduction
        if not text:
            return []
        out = self.section_head("Introduction", "introduction")
        for n, block in enumerate(re.split(r"\n\s*\n", text.strip())):
            lines = [self.s.text(line.strip()) for line in block.splitlines() if line.strip()]
            style = self.s.intro if n else self.s.intro_first
            out.append(_Para("<br/>".join(lines), style))
        if self.spec.editor:
            out.append(self.para(self.spec.editor, self.s.signature, variant="italic"))
        return out

    def chapter(
        self, number: int, title: str, excerpts: Sequence[Excerpt], cancelled: Cancelled | None
    ) -> list[Flowable]:
        key = f"ch{number}"
        count = len(excerpts)
        out: list[Flowable] = [
            _ToRecto(),
            _Mark(("section", title), self.toc(0, title, key)),
            Spacer(1, 36),
            _Para(str(number), self.s.chapter_number),
            self.para(title, self.s.chapter, self.fonts.sans, "bold"),
            self.para(
                f"{count} testimon{'y' if count == 1 else 'ies'}",
                self.s.chapter_note,
                self.fonts.sans,
            ),
        ]
        for i, excerpt in enumerate(excerpts):
            if cancelled is not None and cancelled():
                raise ExportCancelledError(_CANCELLED)
            out += self.excerpt(excerpt, first=i == 0)
        return out

    def excerpt(self, excerpt: Excerpt, *, first: bool) -> list[Flowable]:
        s = self.s
        self._excerpt_no += 1
        n = self._excerpt_no
        title = _heading(excerpt)
        terms = [("theme", t) for t in excerpt.themes]
        if excerpt.place:
            terms.append(("place", excerpt.place))
        self.terms.update(terms)
        self.redactions += sum(line.text.count(MARKER) for line in excerpt.lines)
        toc = self.toc(1, title, f"x{n}", listed=self.list_excerpts)
        heading_style = s.excerpt_first if first else s.excerpt
        head: list[Flowable] = [
            _Mark(toc, ("open", n, terms)),
            self.para(title, heading_style, self.fonts.sans, "bold"),
        ]
        meta = " · ".join(p for p in (excerpt.credit, excerpt.place, excerpt.year) if p)
        if meta and title != excerpt.credit:
            head.append(self.para(meta, s.meta, self.fonts.sans))
        bilingual = self.spec.include_translations and any(
            line.translation for line in excerpt.lines
        )
        if bilingual:
            labels = _Facing(
                _Para(self.fonts.sans.markup(caps(_languages(excerpt), self.fonts.sans)), s.label),
                _Para(self.fonts.sans.markup(caps("English", self.fonts.sans)), s.label),
                pad=2,
            )
            head.append(labels)
            body = self.facing(excerpt.lines)
        else:
            body = self.paragraphs(excerpt.lines)
        if not body:
            body = [self.para("No transcript for this excerpt.", s.body, variant="italic")]
        end: list[Flowable] = [
            self.para(citation(excerpt, self.spec.citation_style), s.citation, variant="italic"),
            _Mark(("close", n)),
        ]
        if len(body) == 1:
            return [_KeepLines(head, body[0], end)]
        return [_KeepLines(head, body[0], []), *body[1:-1], _KeepLines([], body[-1], end)]

    def paragraphs(self, lines: Sequence[Line]) -> list[Flowable]:
        """Lines joined into paragraphs: a new one for a new speaker, a pause, or length."""
        out: list[Flowable] = []
        parts: list[str] = []
        size = 0
        speaker: str | None = None
        last_end: float | None = None
        fresh = True

        def flush() -> None:
            nonlocal parts, size
            if parts:
                out.append(_Para(" ".join(parts), self.s.body))
            parts, size = [], 0

        for line in lines:
            text = line.text.strip()
            if not text:
                continue
            new_speaker = line.speaker != speaker or fresh
            pause = last_end is not None and line.start - last_end > PAUSE_SECONDS
            if new_speaker or pause or size > PARAGRAPH_CHARS:
                flush()
            if new_speaker and line.speaker:
                parts.append(self.s.speaker(line.speaker))
            parts.append(self.s.text(text, size=self.s.body.fontSize))
            size += len(text)
            speaker, last_end, fresh = line.speaker, line.end, False
        flush()
        return out

    def facing(self, lines: Sequence[Line]) -> list[Flowable]:
        out: list[Flowable] = []
        speaker: str | None = None
        size = self.s.column.fontSize
        for line in lines:
            if not line.text.strip() and not line.translation:
                continue
            label = self.s.speaker(line.speaker) if line.speaker and line.speaker != speaker else ""
            speaker = line.speaker
            left = _Para(label + self.s.text(line.text, size=size), self.s.column)
            right = (
                _Para(label + self.s.text(line.translation, size=size), self.s.column)
                if line.translation
                else None
            )
            out.append(_Facing(left, right))
        return out

    def narrators(self) -> list[Flowable]:
        s = self.s
        out = self.section_head("Narrators", "narrators")
        out.append(
            self.para(
                "The people who gave these testimonies, named as each of them asked: by their "
                "own name, or by a pseudonym. Each interview is cited by its identifier in the "
                "archive.",
                s.small,
            )
        )
        by_credit: dict[str, list[Any]] = {}
        for entry in self.corpus.interviews:
            by_credit.setdefault(entry.credit, []).append(entry)
        for credit in sorted(by_credit, key=str.casefold):
            block: list[Flowable] = [self.para(credit, s.narrator, self.fonts.sans, "bold")]
            entries = sorted(by_credit[credit], key=lambda e: (e.recorded_on or "", e.id))
            for entry in entries:
                where = ", ".join(p for p in (entry.place, entry.year) if p)
                bits = [
                    f"<i>{self.s.text(entry.title, variant='italic')}</i>" if entry.title else "",
                    self.s.text(where),
                    self.s.text(f"Interview {entry.id}"),
                ]
                text = ". ".join(b for b in bits if b)
                block.append(_Para(f"– {text}.", s.narrator_item))
            out.append(_Keep(block))
        return out

    def index(self) -> list[Flowable]:
        out = self.section_head("Index", "index")
        s = self.s

        def render(entries: dict[tuple[str, str], set[tuple[int, int]]]) -> list[Flowable]:
            flow: list[Flowable] = []
            for kind, heading in (("theme", "Themes"), ("place", "Places")):
                terms = sorted((t for k, t in entries if k == kind), key=str.casefold)
                if not terms:
                    continue
                flow.append(self.para(heading, s.index_head, self.fonts.sans, "bold"))
                for term in terms:
                    pages = _page_ranges(entries[(kind, term)]) or "–"
                    flow.append(_Para(f"{self.s.text(term)}\u2003{pages}", s.index_entry))
            if not flow:
                flow.append(self.para("No themes or places in this book.", s.small))
            return flow

        out.append(_Collected(render, sorted(self.terms)))
        return out

    def colophon(self, fonts_label: str) -> list[Flowable]:
        from . import excluded_summary

        s, spec, corpus = self.s, self.spec, self.corpus
        named = sum(1 for e in corpus.interviews if e.real_name_shown)
        pseudonymous = len(corpus.interviews) - named
        interviews = len(corpus.interviews)
        excerpts = len(corpus.excerpts)
        made = corpus.made_on
        left_out = excluded_summary(corpus.excluded)
        paragraphs = [
            f"{spec.title}"
            + (f": {spec.subtitle}" if spec.subtitle else "")
            + "."
            + (f" Edited by {spec.editor}." if spec.editor else ""),
            f"This book holds {excerpts} excerpt{'s' * (excerpts != 1)} from {interviews} "
            f"interview{'s' * (interviews != 1)}. It includes only interviews whose narrators "
            "allowed publication; nothing under embargo, withdrawn, closed or restricted to "
            "the archive is printed. Each narrator is named as their consent says: "
            f"{named} by their own name, {pseudonymous} by a pseudonym.",
            "Names and passages that narrators or the archive asked to withhold are left out "
            f"and shown as {MARKER} ({self.redactions} in the transcripts printed here). "
            f"Of the items selected for this book, {left_out}.",
            "Every excerpt is cited with its interview's identifier and the time it starts "
            "and ends in the recording, so that it can be found in the archive.",
            f"Made with Side by Side on {made.day} {made.strftime('%B')} {made.year}. "
            f"Set in {fonts_label}.",
        ]
        out: list[Flowable] = [
            PageBreak(),
            _Mark(("section", "Colophon"), ("toc", 0, None, "colophon", "Colophon")),
            Spacer(1, 40),
            self.para("Colophon", s.colophon_head, self.fonts.sans, "bold"),
        ]
        out += [self.para(p, s.small) for p in paragraphs]
        return out


def _estimate_pages(corpus: Corpus) -> int:
    chars = sum(
        len(line.text) + len(line.translation or "") for e in corpus.excerpts for line in e.lines
    )
    return 8 + 2 * len(corpus.chapters) + chars // 1400 + len(corpus.excerpts) // 3


def render(
    corpus: Corpus,
    target: Path | BinaryIO,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Write ``corpus`` as a PDF book to ``target`` (a path, or a binary file in memory
    for previews, which must never touch the disk)."""
    fonts = book_fonts()
    styles = _Styles(fonts)
    builder = _StoryBuilder(corpus, styles)
    story: list[Flowable] = builder.cover()
    contents, toc = builder.contents()
    story += contents
    story += builder.introduction()
    chapters = corpus.chapters
    for number, chapter in enumerate(chapters, 1):
        story += builder.chapter(number, chapter.title, chapter.excerpts, cancelled)
        if progress is not None:
            progress(0.05 * number / len(chapters))
    story += builder.narrators()
    story += builder.index()
    story += builder.colophon(fonts.labels)
    toc.addEntries(builder.toc_entries)  # page numbers unknown: the first pass's layout

    doc = _Book(
        target if isinstance(target, io.IOBase) else Path(target),
        corpus,
        styles,
        progress=progress,
        cancelled=cancelled,
        estimated_pages=_estimate_pages(corpus),
    )
    doc.multiBuild(story, maxPasses=6)
    if progress is not None:
        progress(1.0)
