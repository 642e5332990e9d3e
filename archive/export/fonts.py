"""TrueType fonts for PDF books: found on this computer, checked, registered once.

Interviews are in Armenian, Georgian, Russian, Azerbaijani, Turkish and English, so a
book needs fonts whose glyphs cover all of those scripts.  Nothing is ever fetched
(DESIGN: no font from the web).  The fonts come, in this order, from

1. the DejaVu fonts that the ``matplotlib`` distribution ships (the only reason the
   project depends on it).  They are found through the distribution's file list
   (:mod:`importlib.metadata`); matplotlib itself is never imported: that is slow
   and loads a GUI backend;
2. the same DejaVu files installed by the operating system;
3. other families installed by the operating system: Noto Serif / Noto Sans with
   their separate Armenian and Georgian fonts as fallbacks, GNU FreeFont, and
   Sylfaen or Segoe UI on Windows.

Every candidate is checked with reportlab's TrueType parser: each character of a
sample per script must map to a real glyph (not ``.notdef``) in the family's primary
face or one of its fallback faces.  When fallbacks are needed, :meth:`FontFamily.runs`
splits text into runs by face and :meth:`FontFamily.markup` wraps the runs for
reportlab's paragraph markup; with DejaVu there is one face and text passes through.

:func:`book_fonts` registers the chosen serif (body) and sans (headings) families with
reportlab once per process (thread-safe) and returns them.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from .corpus import ExportError

VARIANTS = ("regular", "bold", "italic", "bolditalic")

# Every letter of each alphabet (and the punctuation books use), not just a few: a
# font with half of Armenian is worse than none, because it fails silently.
SCRIPT_SAMPLES: dict[str, str] = {
    "Latin": "AaBbCcZz0123456789.,;:!?()[]'\"",
    "Azerbaijani and Turkish Latin": "ƏəĞğIıİiŞşÇçÖöÜüÄäÑñ",
    "Cyrillic": "".join(map(chr, range(0x0410, 0x0450))) + "Ёё",
    "Armenian": "".join(map(chr, [*range(0x0531, 0x0557), *range(0x0561, 0x0588)])) + "։֊՛՜՞",
    "Georgian": "".join(map(chr, range(0x10D0, 0x10F1))),
    "punctuation": "–—‘’“”«»…·",
}


@dataclass(frozen=True)
class Candidate:
    """A family to look for: file names per variant, primary face first, then fallbacks.

    A variant whose files are missing uses the regular faces (no synthetic bold)."""

    label: str
    faces: Mapping[str, tuple[tuple[str, ...], ...]]  # variant -> ((alternatives), ...)
    matplotlib: bool = False  # look in matplotlib's files, not the system's


def _family(label: str, files: Mapping[str, Sequence[str]], *, mpl: bool = False) -> Candidate:
    """``files``: variant -> [primary, fallback...], each "a.ttf|b.ttf" (alternatives)."""
    faces = {v: tuple(tuple(f.split("|")) for f in names) for v, names in files.items()}
    return Candidate(label, faces, mpl)


_DEJAVU_SERIF = {
    "regular": ["DejaVuSerif.ttf"],
    "bold": ["DejaVuSerif-Bold.ttf"],
    "italic": ["DejaVuSerif-Italic.ttf"],
    "bolditalic": ["DejaVuSerif-BoldItalic.ttf"],
}
_DEJAVU_SANS = {
    "regular": ["DejaVuSans.ttf"],
    "bold": ["DejaVuSans-Bold.ttf"],
    "italic": ["DejaVuSans-Oblique.ttf"],
    "bolditalic": ["DejaVuSans-BoldOblique.ttf"],
}


def _noto(kind: str) -> dict[str, list[str]]:
    """Noto <kind> with the Armenian and Georgian fonts (serif or sans) as fallbacks."""
    arm = f"Noto{kind}Armenian-Regular.ttf|NotoSansArmenian-Regular.ttf"
    arm_bold = f"Noto{kind}Armenian-Bold.ttf|NotoSansArmenian-Bold.ttf|{arm}"
    geo = f"Noto{kind}Georgian-Regular.ttf|NotoSansGeorgian-Regular.ttf"
    geo_bold = f"Noto{kind}Georgian-Bold.ttf|NotoSansGeorgian-Bold.ttf|{geo}"
    return {
        "regular": [f"Noto{kind}-Regular.ttf", arm, geo],
        "bold": [f"Noto{kind}-Bold.ttf", arm_bold, geo_bold],
        "italic": [f"Noto{kind}-Italic.ttf", arm, geo],
        "bolditalic": [f"Noto{kind}-BoldItalic.ttf", arm_bold, geo_bold],
    }


SERIF_CANDIDATES: tuple[Candidate, ...] = (
    _family("DejaVu Serif", _DEJAVU_SERIF, mpl=True),
    _family("DejaVu Serif", _DEJAVU_SERIF),
    _family("Noto Serif", _noto("Serif")),
    _family("FreeSerif", {"regular": ["FreeSerif.ttf"], "bold": ["FreeSerifBold.ttf"],
                          "italic": ["FreeSerifItalic.ttf"],
                          "bolditalic": ["FreeSerifBoldItalic.ttf"]}),
    _family("Sylfaen", {"regular": ["sylfaen.ttf|Sylfaen.ttf"]}),
)  # fmt: skip

SANS_CANDIDATES: tuple[Candidate, ...] = (
    _family("DejaVu Sans", _DEJAVU_SANS, mpl=True),
    _family("DejaVu Sans", _DEJAVU_SANS),
    _family("Noto Sans", _noto("Sans")),
    _family("FreeSans", {"regular": ["FreeSans.ttf"], "bold": ["FreeSansBold.ttf"],
                         "italic": ["FreeSansOblique.ttf"],
                         "bolditalic": ["FreeSansBoldOblique.ttf"]}),
    _family("Segoe UI", {"regular": ["segoeui.ttf"], "bold": ["segoeuib.ttf"],
                         "italic": ["segoeuii.ttf"], "bolditalic": ["segoeuiz.ttf"]}),
)  # fmt: skip


# -- finding files ---------------------------------------------------------------


def matplotlib_font_files() -> dict[str, Path]:
    """The TrueType files matplotlib ships, by file name, without importing it."""
    try:
        dist = importlib.metadata.distribution("matplotlib")
    except importlib.metadata.PackageNotFoundError:
        return {}
    out: dict[str, Path] = {}
    for entry in dist.files or ():
        if entry.name.lower().endswith(".ttf") and "mpl-data/fonts/ttf" in entry.as_posix():
            path = Path(str(dist.locate_file(entry)))
            if path.is_file():
                out[entry.name] = path
    return out


def system_font_dirs() -> list[Path]:
    """Where operating systems keep fonts (Linux, macOS, Windows)."""
    home = Path.home()
    dirs = [
        Path(os.environ.get("XDG_DATA_HOME") or home / ".local/share") / "fonts",
        home / ".fonts",
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
    ]
    if sys.platform == "darwin":
        dirs += [home / "Library/Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    if os.name == "nt":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs.append(windir / "Fonts")
        if local := os.environ.get("LOCALAPPDATA"):
            dirs.append(Path(local) / "Microsoft/Windows/Fonts")
    return dirs


def index_font_files(dirs: Iterable[Path]) -> dict[str, Path]:
    """TrueType files under ``dirs``, by file name; the first found wins."""
    out: dict[str, Path] = {}
    for top in dirs:
        if not top.is_dir():
            continue
        for root, _subdirs, names in os.walk(top):
            for name in names:
                if name.lower().endswith(".ttf"):
                    out.setdefault(name, Path(root) / name)
    return out


# -- checking -------------------------------------------------------------------


@dataclass(frozen=True)
class _Face:
    path: Path
    cmap: dict[int, int]  # code point -> glyph (0 is .notdef)
    font: Any = field(repr=False, compare=False)  # the parsed TTFont, registered as is

    def has(self, char: str) -> bool:
        return self.cmap.get(ord(char), 0) != 0


def _load(path: Path, cache: dict[Path, _Face | None]) -> _Face | None:
    if path not in cache:
        from reportlab.pdfbase.ttfonts import TTFont

        try:
            font = TTFont(path.name, str(path))  # renamed when registered
        except Exception:  # not a TrueType font reportlab can embed (CFF, damaged...)
            cache[path] = None
        else:
            cache[path] = _Face(path, font.face.charToGlyph, font)
    return cache[path]


def missing_scripts(
    faces: Sequence[_Face], samples: Mapping[str, str] = SCRIPT_SAMPLES
) -> list[str]:
    """The scripts of which some character has a glyph in none of ``faces``."""
    return [
        script
        for script, sample in samples.items()
        if any(not any(face.has(c) for face in faces) for c in sample if not c.isspace())
    ]


@dataclass
class FontFamily:
    """A registered family: per variant, a primary face and fallback faces."""

    label: str  # "DejaVu Serif"
    name: str  # reportlab family name: "SbsSerif"
    fonts: dict[str, list[str]]  # variant -> registered font names, primary first
    faces: dict[str, list[_Face]] = field(repr=False)
    sources: tuple[Path, ...] = ()

    def font(self, variant: str = "regular") -> str:
        return self.fonts[variant][0]

    @property
    def single_face(self) -> bool:
        return all(len(names) == 1 for names in self.fonts.values())

    def has_glyph(self, char: str, variant: str = "regular") -> bool:
        return any(face.has(char) for face in self.faces[variant])

    def runs(self, text: str, variant: str = "regular") -> Iterator[tuple[str, str]]:
        """(font name, text) runs: each character in the first face that has it."""
        names, faces = self.fonts[variant], self.faces[variant]
        if len(faces) == 1:
            if text:
                yield names[0], text
            return
        current, start = names[0], 0
        for i, char in enumerate(text):
            name = current
            if not char.isspace():
                name = next((n for n, f in zip(names, faces, strict=True) if f.has(char)), names[0])
            if name != current:
                if i > start:
                    yield current, text[start:i]
                current, start = name, i
        if start < len(text):
            yield current, text[start:]

    def markup(self, text: str, variant: str = "regular") -> str:
        """``text`` escaped for reportlab's paragraph markup, fallback runs wrapped."""
        if self.single_face:
            return escape(text)
        primary = self.fonts[variant][0]
        return "".join(
            escape(run) if name == primary else f'<font name="{name}">{escape(run)}</font>'
            for name, run in self.runs(text, variant)
        )


@dataclass(frozen=True)
class BookFonts:
    serif: FontFamily  # body text
    sans: FontFamily  # headings, running heads

    @property
    def labels(self) -> str:
        if self.serif.label == self.sans.label:
            return self.serif.label
        return f"{self.serif.label} and {self.sans.label}"


def _resolve(
    candidate: Candidate, files: Mapping[str, Path], cache: dict[Path, _Face | None]
) -> dict[str, list[_Face]] | None:
    """The candidate's faces per variant if its regular faces exist and cover every script."""
    out: dict[str, list[_Face]] = {}
    for variant in VARIANTS:
        faces: list[_Face] = []
        for alternatives in candidate.faces.get(variant, ()):
            face = next(
                (f for name in alternatives if name in files and (f := _load(files[name], cache))),
                None,
            )
            if face is None and not faces:
                break  # no primary face for this variant
            if face is not None:
                faces.append(face)
        if not faces or missing_scripts(faces):
            if variant == "regular":
                return None
            faces = out["regular"]
        out[variant] = faces
    return out


def find_family(
    candidates: Sequence[Candidate],
    *,
    search_dirs: Sequence[Path] | None = None,
    use_matplotlib: bool = True,
) -> tuple[Candidate, dict[str, list[_Face]]] | None:
    """The first candidate found whose faces cover every script, or None."""
    mpl = matplotlib_font_files() if use_matplotlib else {}
    system: dict[str, Path] | None = None
    cache: dict[Path, _Face | None] = {}
    for candidate in candidates:
        if candidate.matplotlib:
            files = mpl
        else:
            if system is None:
                system = index_font_files(
                    system_font_dirs() if search_dirs is None else search_dirs
                )
            files = system
        faces = _resolve(candidate, files, cache)
        if faces is not None:
            return candidate, faces
    return None


def _register(prefix: str, label: str, faces: dict[str, list[_Face]]) -> FontFamily:
    from reportlab.pdfbase import pdfmetrics

    names: dict[Path, str] = {}
    fonts: dict[str, list[str]] = {}
    for variant in VARIANTS:
        for face in faces[variant]:
            if face.path not in names:
                name = f"{prefix}-{len(names)}"
                face.font.fontName = name  # parsed once: while checking coverage
                pdfmetrics.registerFont(face.font)
                names[face.path] = name
        fonts[variant] = [names[f.path] for f in faces[variant]]
    # <b> and <i> in paragraph markup resolve through the family, for the primary
    # faces and for each fallback position.
    for position in range(max(len(v) for v in fonts.values())):

        def pick(variant: str, position: int = position) -> str:
            chosen = fonts[variant]
            return chosen[position] if position < len(chosen) else chosen[0]

        pdfmetrics.registerFontFamily(
            prefix if position == 0 else f"{prefix}-fallback{position}",
            normal=pick("regular"),
            bold=pick("bold"),
            italic=pick("italic"),
            boldItalic=pick("bolditalic"),
        )
    sources = tuple(dict.fromkeys(f.path for v in VARIANTS for f in faces[v]))
    return FontFamily(label, prefix, fonts, faces, sources)


def _no_font_error(kind: str) -> ExportError:
    return ExportError(
        f"No {kind} font on this computer has letters for every language of the archive "
        f"({', '.join(s for s in SCRIPT_SAMPLES if s != 'punctuation')}). Install the DejaVu "
        "fonts (on Debian or Ubuntu: fonts-dejavu-core) or reinstall Side by Side, whose "
        "matplotlib dependency ships them. Nothing was written."
    )


def discover(
    *, search_dirs: Sequence[Path] | None = None, use_matplotlib: bool = True
) -> tuple[tuple[Candidate, dict[str, list[_Face]]], tuple[Candidate, dict[str, list[_Face]]]]:
    """(serif, sans) families that cover every script; unregistered.

    A missing sans family falls back to the serif one; a missing serif family to the
    sans one; neither raises :class:`ExportError`.
    """
    serif = find_family(SERIF_CANDIDATES, search_dirs=search_dirs, use_matplotlib=use_matplotlib)
    sans = find_family(SANS_CANDIDATES, search_dirs=search_dirs, use_matplotlib=use_matplotlib)
    if serif is None and sans is None:
        raise _no_font_error("TrueType")
    return (serif or sans), (sans or serif)  # type: ignore[return-value]


_lock = threading.Lock()
_fonts: BookFonts | None = None


def book_fonts() -> BookFonts:
    """The registered serif and sans families (found and registered once per process)."""
    global _fonts
    with _lock:
        if _fonts is None:
            (serif_c, serif_faces), (sans_c, sans_faces) = discover()
            serif = _register("SbsSerif", serif_c.label, serif_faces)
            sans = serif if sans_c is serif_c else _register("SbsSans", sans_c.label, sans_faces)
            _fonts = BookFonts(serif, sans)
        return _fonts


__all__ = [
    "SANS_CANDIDATES",
    "SCRIPT_SAMPLES",
    "SERIF_CANDIDATES",
    "BookFonts",
    "Candidate",
    "FontFamily",
    "book_fonts",
    "discover",
    "find_family",
    "index_font_files",
    "matplotlib_font_files",
    "missing_scripts",
    "system_font_dirs",
]
