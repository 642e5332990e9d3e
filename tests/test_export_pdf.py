"""The PDF anthology: consent and redaction hold, every script survives, the book works.

Real throughout: a SQLCipher archive with every consent case (tests/export_fixtures),
reportlab writing the book, pypdf reading its text back.  No mocks.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from archive.export import (
    AnthologySpec,
    ExportCancelledError,
    ExportError,
    excluded_summary,
    export,
)
from archive.export.fonts import (
    SCRIPT_SAMPLES,
    book_fonts,
    discover,
    find_family,
    matplotlib_font_files,
    missing_scripts,
)
from tests.export_fixtures import (
    NEVER,
    PSEUDONYM,
    REAL_NAME_SHOWN,
    RESTRICTED_SECRET,
)

GEORGIAN = ("ჩვენი მეზობლები ყოველ დილით", "ცხელ პურს გვიტანდნენ სახლში.")
ARMENIAN = "թարմ հաց էին բերում մեր տուն։"
EXCLUDED_ROLES = ("closed", "embargoed", "withdrawn", "restricted")


def flat(text: str) -> str:
    return " ".join(text.split())


class Book:
    """A written PDF, read back with pypdf."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.reader = PdfReader(path)
        self.pages = [flat(p.extract_text()) for p in self.reader.pages]
        self.layout = [p.extract_text(extraction_mode="layout") for p in self.reader.pages]
        self.text = " ".join(self.pages)

    def page_with(self, needle: str) -> int:
        """The 1-based number of the first page whose text holds ``needle``."""
        return next(n for n, text in enumerate(self.pages, 1) if needle in text)

    def lines(self, page: int) -> list[str]:
        return [line.strip() for line in self.layout[page - 1].splitlines() if line.strip()]

    def outline_titles(self) -> list[str]:
        out: list[str] = []

        def walk(items) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    out.append(item.title)

        walk(self.reader.outline)
        return out


def make_book(export_archive, tmp_path: Path, name: str = "book.pdf", **spec) -> Book:
    spec.setdefault("title", "Side by Side")
    spec.setdefault("subtitle", "Neighbours remember")
    spec.setdefault("editor", "Ed Itor")
    spec.setdefault("introduction", "These testimonies were recorded between 2018 and 2021.")
    out = tmp_path / name
    result = export(export_archive.archive, AnthologySpec(**spec), "pdf", out)
    assert result.path == out and out.is_file()
    book = Book(out)
    book.result = result  # type: ignore[attr-defined]
    return book


# -- consent and redaction ------------------------------------------------------------------


@pytest.mark.parametrize("bilingual", [False, True], ids=["original", "bilingual"])
def test_book_prints_only_what_consent_allows(export_archive, tmp_path, bilingual):
    book = make_book(export_archive, tmp_path, include_translations=bilingual)
    everything = " ".join(
        [book.text, *book.outline_titles(), *(str(v) for v in book.reader.metadata.values())]
    )
    for secret in (*NEVER, RESTRICTED_SECRET, "Lusine", "Mkrtchyan"):
        assert secret not in everything, secret
    for role in EXCLUDED_ROLES:  # not even the id of an interview that was left out
        assert export_archive.ids[role] not in everything, role
    assert PSEUDONYM in book.text  # where the narrator asked for a pseudonym
    assert REAL_NAME_SHOWN in book.text  # where she asked for her own name
    assert "[redacted]" in book.text
    # The narrators list credits each interview that is in the book, by its id.
    narrators = book.pages[book.page_with("The people who gave these testimonies") - 1]
    for role in ("open_real", "open_pseudonym", "open_georgian"):
        assert f"Interview {export_archive.ids[role]}" in narrators
    # The colophon states the policy and what consent left out, in counts only.
    colophon = book.pages[-1]
    assert "allowed publication" in colophon
    assert excluded_summary(book.result.excluded) in colophon
    assert "4 left out by consent (closed 1, embargoed 1, restricted 1, withdrawn 1)" in colophon
    today = dt.date.today()
    assert f"Made with Side by Side on {today.day} {today:%B} {today.year}." in colophon


def test_armenian_and_georgian_come_back_letter_for_letter(export_archive, tmp_path):
    book = make_book(export_archive, tmp_path)
    assert " ".join(GEORGIAN) in book.text
    assert ARMENIAN in book.text
    fonts = book_fonts()
    for text in (*GEORGIAN, ARMENIAN, "Şəki Bakı Ağdam Gəncə", "Москва ёлка"):
        for char in text.replace(" ", ""):
            assert fonts.serif.has_glyph(char), char
            assert fonts.serif.has_glyph(char, "italic"), char
            assert fonts.sans.has_glyph(char, "bold"), char
    # Every font in the file is an embedded DejaVu subset: no base-14 font without
    # Armenian or Georgian glyphs.
    embedded = set()
    for page in book.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
            embedded.add(str(font["/BaseFont"]).split("+")[-1])
    assert embedded <= {
        "DejaVuSerif",
        "DejaVuSerif-Bold",
        "DejaVuSerif-Italic",
        "DejaVuSerif-BoldItalic",
        "DejaVuSans",
        "DejaVuSans-Bold",
        "DejaVuSans-Oblique",
        "DejaVuSans-BoldOblique",
    }


def test_bilingual_book_sets_the_translation_beside_the_original(export_archive, tmp_path):
    plain = make_book(export_archive, tmp_path, "plain.pdf")
    assert "brought fresh bread to our house" not in plain.text
    book = make_book(export_archive, tmp_path, include_translations=True)
    page = book.page_with(ARMENIAN[:10])
    assert "brought fresh bread to our house." in book.pages[page - 1]
    assert "ARMENIAN" in book.pages[page - 1] and "ENGLISH" in book.pages[page - 1]
    # Side by side: the original's line and its translation share a printed line.
    assert any(
        line.startswith("ჩვენი მეზობლები") and "Our neighbours every morning" in line
        for line in book.lines(book.page_with("Our neighbours every morning"))
    )
    assert "Our neighbors shared fresh bread" in book.text  # English original, no translation


# -- the book's parts ------------------------------------------------------------------------


def test_contents_and_index_point_at_the_right_pages(export_archive, tmp_path):
    book = make_book(export_archive, tmp_path)
    contents = book.page_with("Contents")
    entries: dict[str, int] = {}
    for line in book.lines(contents):
        found = re.match(r"^(.*?)[\s.]+(\d+)$", line)
        if found:
            entries[found.group(1).strip()] = int(found.group(2))
    for chapter in ("Food", "Neighbourliness and friendship"):
        page = entries[chapter]
        assert chapter in book.pages[page - 1] and "testimon" in book.pages[page - 1]
    assert "“ჩვენი მეზობლები ყოველ დილით”" in entries  # excerpts are listed too
    assert GEORGIAN[0] in book.pages[entries["“ჩვენი მეზობლები ყოველ დილით”"] - 1]
    assert book.pages[entries["Narrators"] - 1].startswith("Narrators")
    index_page = entries["Index"]
    assert book.pages[index_page - 1].startswith("Index Themes")
    index = {}
    for line in book.lines(index_page):
        found = re.match(r"^(\D+?)\s+([\d–, ]+)$", line)
        if found:
            index[found.group(1)] = found.group(2)
    assert {"Food", "Neighbourliness and friendship", "Baku", "Tbilisi", "Yerevan"} <= set(index)
    tbilisi = int(index["Tbilisi"].split(",")[0].split("–")[0])
    assert "Nino K. · Tbilisi" in book.pages[tbilisi - 1]
    for page in re.split(r"[–, ]+", index["Yerevan"]):
        assert "Yerevan" in book.pages[int(page) - 1]
    assert "Contents" in book.outline_titles() and "Colophon" in book.outline_titles()


def test_running_heads_and_page_numbers(export_archive, tmp_path):
    introduction = "\n\n".join(
        f"Paragraph {n}. " + "The courtyard was shared by four families. " * 9 for n in range(24)
    )
    book = make_book(export_archive, tmp_path, introduction=introduction)
    cover = book.lines(1)
    assert cover[0] == "Side by Side" and "Edited by Ed Itor" in cover
    assert not any(re.fullmatch(r"\d+", line) for line in cover)  # no folio on the cover
    assert "SIDE BY SIDE" not in book.pages[0]
    opening = book.page_with("Introduction Paragraph 0.")
    assert opening % 2 == 1  # sections open on a right-hand page
    assert book.lines(opening)[-1] == str(opening)  # folio at the foot, no running head
    verso, recto = opening + 1, opening + 2
    assert re.fullmatch(rf"{verso}\s+SIDE BY SIDE", book.lines(verso)[0])
    assert re.fullmatch(rf"INTRODUCTION\s+{recto}", book.lines(recto)[0])
    chapter = book.page_with("Neighbourliness and friendship")
    assert chapter % 2 == 1
    heads = [book.lines(n)[0] for n in range(opening + 1, len(book.pages) + 1) if book.pages[n - 1]]
    assert any(re.fullmatch(r"\d+\s+SIDE BY SIDE", head) for head in heads)


def test_user_text_with_markup_characters_is_printed_as_typed(export_archive, tmp_path):
    book = make_book(
        export_archive,
        tmp_path,
        title="Bread & <salt>",
        subtitle="a < b > c",
        introduction='He wrote <b>not bold</b> & "quoted" & a lone < sign.',
    )
    assert "Bread & <salt>" in book.pages[0]
    assert "a < b > c" in book.pages[0]
    assert 'He wrote <b>not bold</b> & "quoted" & a lone < sign.' in book.text


def test_whole_interviews_grouped_by_narrator(export_archive, tmp_path):
    book = make_book(export_archive, tmp_path, unit="interviews", group_by="narrator")
    assert "Bread and tea" in book.text  # the interview's title heads its transcript
    assert ARMENIAN in book.text and " ".join(GEORGIAN) in book.text
    for secret in (*NEVER, RESTRICTED_SECRET):
        assert secret not in book.text


def test_cancelling_midway_writes_nothing(export_archive, tmp_path):
    seen: list[float] = []
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "book.pdf"
    with pytest.raises(ExportCancelledError, match="Nothing was written"):
        export(
            export_archive.archive,
            AnthologySpec(title="Cancelled"),
            "pdf",
            out,
            progress=seen.append,
            # after three progress calls from the renderer: mid-way through the layout
            cancelled=lambda: sum(v > 0.1 for v in seen) >= 3,
        )
    assert 0.1 < max(seen) < 0.9
    assert not out.exists()
    assert list(folder.iterdir()) == []  # no temporary file left behind either


def test_progress_rises_to_the_end(export_archive, tmp_path):
    seen: list[float] = []
    export(export_archive.archive, AnthologySpec(), "pdf", tmp_path / "b.pdf", progress=seen.append)
    assert len(seen) > 10
    assert seen == sorted(seen) and seen[-1] == 1.0


# -- fonts ------------------------------------------------------------------------------------


def test_fonts_cover_every_script_without_importing_matplotlib():
    fonts = book_fonts()
    assert fonts.serif.label == "DejaVu Serif" and fonts.sans.label == "DejaVu Sans"
    assert all("mpl-data" in str(p) for p in fonts.serif.sources)
    for family in (fonts.serif, fonts.sans):
        for variant in ("regular", "bold", "italic", "bolditalic"):
            for script, sample in SCRIPT_SAMPLES.items():
                missing = [c for c in sample if not family.has_glyph(c, variant)]
                assert not missing, (family.label, variant, script, missing)
    assert book_fonts() is fonts  # registered once
    code = (
        "import sys; from archive.export.fonts import book_fonts; book_fonts(); "
        "print('matplotlib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    assert result.stdout.strip() == "False"


def test_fonts_are_registered_once_across_threads():
    results = []
    threads = [threading.Thread(target=lambda: results.append(book_fonts())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(r is results[0] for r in results)


def _link(folder: Path, files: dict[str, str]) -> Path:
    """``folder`` with matplotlib's font files under other names (as an OS would hold them)."""
    mpl = matplotlib_font_files()
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        (folder / name).symlink_to(mpl[source])
    return folder


def test_system_fonts_are_found_when_matplotlib_is_missing(tmp_path):
    names = (
        "DejaVuSerif.ttf",
        "DejaVuSerif-Bold.ttf",
        "DejaVuSerif-Italic.ttf",
        "DejaVuSerif-BoldItalic.ttf",
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
    )
    fonts = _link(tmp_path / "usr/share/fonts/truetype/dejavu", {n: n for n in names})
    (serif, serif_faces), (sans, sans_faces) = discover(
        search_dirs=[tmp_path / "usr/share/fonts"], use_matplotlib=False
    )
    assert serif.label == "DejaVu Serif" and not serif.matplotlib
    assert serif_faces["bold"][0].path == fonts / "DejaVuSerif-Bold.ttf"
    assert sans.label == "DejaVu Sans"
    assert sans_faces["italic"] == sans_faces["regular"]  # no oblique installed: regular


def test_fallback_faces_fill_the_scripts_a_primary_font_lacks(tmp_path):
    from archive.export.fonts import SERIF_CANDIDATES, _register

    # A "Noto Serif" without Armenian, Georgian or Azerbaijani letters (STIX), and its
    # Armenian fallback (DejaVu Sans, which has them all).
    folder = _link(
        tmp_path / "fonts",
        {
            "NotoSerif-Regular.ttf": "STIXGeneral.ttf",
            "NotoSerifArmenian-Regular.ttf": "DejaVuSans.ttf",
        },
    )
    found = find_family(SERIF_CANDIDATES, search_dirs=[folder], use_matplotlib=False)
    assert found is not None
    candidate, faces = found
    assert candidate.label == "Noto Serif" and len(faces["regular"]) == 2
    assert missing_scripts(faces["regular"][:1])  # the primary alone would not do
    family = _register("SbsTestNoto", candidate.label, faces)
    runs = list(family.runs("Bread Մեր tea Əli"))
    primary, fallback = family.fonts["regular"]
    assert runs == [
        (primary, "Bread "),
        (fallback, "Մեր "),
        (primary, "tea "),
        (fallback, "Ə"),
        (primary, "li"),
    ]
    assert family.markup("a<b Մ") == f'a&lt;b <font name="{fallback}">Մ</font>'


def test_no_covering_font_is_a_clear_error(tmp_path):
    with pytest.raises(ExportError, match="Armenian, Georgian") as error:
        discover(search_dirs=[tmp_path / "nothing here"], use_matplotlib=False)
    assert "fonts-dejavu" in str(error.value)
    # A file with the right name but not the letters is refused too.
    folder = _link(
        tmp_path / "fonts", {"DejaVuSerif.ttf": "cmr10.ttf", "DejaVuSans.ttf": "STIXGeneral.ttf"}
    )
    with pytest.raises(ExportError, match="No TrueType font"):
        discover(search_dirs=[folder], use_matplotlib=False)
