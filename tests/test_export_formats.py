"""Every export format but PDF and audio, on a real archive with every consent case.

Each test builds the export archive (tests/export_fixtures), makes the format and
reads it back with the format's own reader (python-docx, srt, webvtt, ElementTree,
csv, json).  Exports go through :func:`archive.export.export`; progress and
cancellation are also checked on each renderer directly.
"""

from __future__ import annotations

import csv
import importlib
import itertools
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import docx
import pytest
import srt
import webvtt
from docx.oxml.ns import qn

from archive.export import FORMATS, AnthologySpec, ExportCancelledError, build_corpus, export
from archive.export.captions import CUE_LINES, LINE_CHARS, cues
from archive.export.ohms import NS
from archive.redaction import Line
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.export_fixtures import (
    NEVER,
    PSEUDONYM,
    REAL_NAME_SHOWN,
    RESTRICTED_SECRET,
    ExportArchive,
    build_export_archive,
)

# The renderer module of each format, as FORMATS names it.
MODULES = {
    "txt": "text",
    "docx": "docx_doc",
    "srt": "captions_srt",
    "vtt": "captions_vtt",
    "ohms": "ohms",
    "csv": "tabular_csv",
    "json": "tabular_json",
    "bagit": "bagit_deposit",
}
PUBLICATION = ("txt", "docx", "srt", "vtt")
DEPOSIT = ("ohms", "csv", "json")

ARMENIAN = "թարմ հաց էին բերում մեր տուն։"
GEORGIAN = "ჩვენი მეზობლები ყოველ დილით"
ARMENIAN_TRANSLATION = "brought fresh bread to our house."
RESTRICTED_REAL_NAME = ("Lusine", "Mkrtchyan")  # the restricted narrator: no name display


@pytest.fixture(scope="module")
def export_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExportArchive]:
    """The export archive, built once for this module: these tests only read it."""
    from archive import Archive

    base = tmp_path_factory.mktemp("export-archive")
    with pytest.MonkeyPatch.context() as patch:  # the autouse isolation is per test
        patch.setenv("SIDEBYSIDE_CONFIG_DIR", str(base / "config"))
        patch.setenv("SIDEBYSIDE_DATA_DIR", str(base / "data"))
        archive = Archive.create(base / "archive", PASSPHRASE, kdf=FAST_KDF)
        built = build_export_archive(archive)
    yield built
    archive.close()


def produce(archive, spec: AnthologySpec, fmt: str, out: Path, **kwargs) -> Path:
    """Make ``fmt`` at ``out`` through the one export path."""
    assert FORMATS[fmt].module == MODULES[fmt]
    export(archive, spec, fmt, out, **kwargs)
    return out


def text_of(path: Path, fmt: str) -> str:
    """Everything a reader of the export can see, as one string."""
    if path.is_dir():
        return "\n".join(text_of(p, fmt) for p in sorted(path.rglob("*")) if p.is_file())
    if fmt == "docx" or path.suffix == ".docx":
        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        props = document.core_properties
        parts += [props.title or "", props.subject or "", props.author or ""]
        return "\n".join(parts)
    if path.suffix == ".flac":
        return ""
    return path.read_text(encoding="utf-8-sig")


def assert_cleared(text: str, *, deposit: bool) -> None:
    for secret in NEVER:
        assert secret not in text, secret
    for part in RESTRICTED_REAL_NAME:
        assert part not in text
    if deposit:
        assert RESTRICTED_SECRET in text  # the restricted interview goes to deposits
    else:
        assert RESTRICTED_SECRET not in text
    assert PSEUDONYM in text or "[redacted]" in text
    assert "[redacted]" in text


def files_of(path: Path, suffix: str) -> list[Path]:
    return sorted(path.glob(f"*{suffix}")) if path.is_dir() else [path]


# -- consent and redaction, every format ---------------------------------------------


@pytest.mark.parametrize("fmt", PUBLICATION)
def test_publication_formats_hold_only_what_may_be_published(export_archive, tmp_path, fmt):
    for unit in ("clips", "interviews"):
        spec = AnthologySpec(title="Side by Side", unit=unit, include_translations=True)
        out = produce(export_archive.archive, spec, fmt, tmp_path / f"{unit}.{fmt}")
        text = text_of(out, fmt)
        assert_cleared(text, deposit=False)
        assert ARMENIAN in text and GEORGIAN in text  # exactly, in their own scripts
        if fmt in ("txt", "docx"):
            assert PSEUDONYM in text and REAL_NAME_SHOWN in text
            assert ARMENIAN_TRANSLATION in text  # translations included when asked


@pytest.mark.parametrize("fmt", DEPOSIT)
def test_deposit_formats_include_restricted_interviews(export_archive, tmp_path, fmt):
    spec = AnthologySpec(title="Deposit", unit="interviews", include_translations=True)
    out = produce(export_archive.archive, spec, fmt, tmp_path / f"out.{fmt}")
    text = text_of(out, fmt)
    assert_cleared(text, deposit=True)
    assert PSEUDONYM in text and REAL_NAME_SHOWN in text
    assert export_archive.ids["restricted"] in text
    for role in ("closed", "embargoed", "withdrawn"):
        assert export_archive.ids[role] not in text
    if fmt != "csv":  # CSV is metadata only
        assert ARMENIAN in text and GEORGIAN in text


def test_renderers_report_progress_and_honour_cancel(export_archive, tmp_path):
    for fmt in (*PUBLICATION, *DEPOSIT):
        export_format = FORMATS[fmt]
        corpus = build_corpus(export_archive.archive, AnthologySpec(), export_format.purpose)
        module = importlib.import_module(f"archive.export.{MODULES[fmt]}")
        out = tmp_path / f"exports-{fmt}"
        out.mkdir()
        with pytest.raises(ExportCancelledError):
            module.render(corpus, out / "cancelled", cancelled=lambda: True)
        assert list(out.iterdir()) == [], fmt
        seen: list[float] = []
        module.render(corpus, out / "done", progress=seen.append, cancelled=lambda: False)
        assert seen and seen == sorted(seen) and seen[0] >= 0 and seen[-1] == 1.0, fmt


# -- plain text ----------------------------------------------------------------------


def test_text_reads_as_an_anthology(export_archive, tmp_path):
    spec = AnthologySpec(
        title="Side by Side", subtitle="Neighbours remember", include_translations=True
    )
    text = produce(export_archive.archive, spec, "txt", tmp_path / "a.txt").read_text("utf-8")
    lines = text.splitlines()
    assert lines[:3] == ["Side by Side", "=" * len("Side by Side"), "Neighbours remember"]
    assert "Contents" in lines and "  1. Food" in lines
    hy = export_archive.ids["open_pseudonym"]
    assert f"{PSEUDONYM}, Yerevan, 2021. Interview {hy}, 0:00:02–0:00:05." in lines
    # A line: timecode column, text; its translation indented below it.
    at = lines.index(f"[0:00:04]   {ARMENIAN}")
    assert lines[at + 1].strip() == ARMENIAN_TRANSLATION
    assert lines[at + 1].startswith(" " * 12)


# -- Word ----------------------------------------------------------------------------


def test_docx_has_word_headings_italic_citations_and_a_font_for_every_script(
    export_archive, tmp_path
):
    spec = AnthologySpec(title="Side by Side", include_translations=True)
    out = produce(export_archive.archive, spec, "docx", tmp_path / "a.docx")
    document = docx.Document(str(out))
    by_style: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert by_style["Title"] == ["Side by Side"]
    assert by_style["Heading 1"] == ["Food", "Neighbourliness and friendship"]
    assert "Bread from the [redacted]" in by_style["Heading 2"]
    citations = [
        p
        for p in document.paragraphs
        if p.text.startswith(f"{PSEUDONYM}, Yerevan, 2021. Interview")
    ]
    assert citations and all(run.italic for p in citations for run in p.runs)
    translation = next(p for p in document.paragraphs if p.text == ARMENIAN_TRANSLATION)
    assert translation.paragraph_format.left_indent > 0
    # Every style names DejaVu Serif for all four script slots; no theme font overrides it.
    styles_xml = document.styles.element.xml
    assert "asciiTheme" not in styles_xml and "cstheme" not in styles_xml
    fonts = document.styles["Normal"].element.rPr.rFonts
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(qn(f"w:{slot}")) == "DejaVu Serif"
    assert document.core_properties.author != "python-docx"


# -- captions ------------------------------------------------------------------------


def _excerpt_files(out: Path, suffix: str, key: str) -> Path:
    return out / f"{key}{suffix}"


def test_srt_cues_are_timed_to_each_excerpt(export_archive, tmp_path):
    out = produce(export_archive.archive, AnthologySpec(), "srt", tmp_path / "captions")
    hy = export_archive.ids["open_pseudonym"]
    names = {p.name for p in out.iterdir()}
    food_key = f"{hy}-c{export_archive.clips['open_pseudonym_food']}"
    assert f"{food_key}.srt" in names and len(names) == 4
    # The clip 2.4–4.9 s: its first line (2.4–3.6) starts at 0; the last ends at 2.5.
    subs = list(srt.parse((out / f"{food_key}.srt").read_text("utf-8")))
    assert subs[0].start == timedelta(0) and subs[0].end == timedelta(seconds=1.2)
    assert subs[-1].content == ARMENIAN and subs[-1].end == timedelta(seconds=2.5)
    # A clip 0–4 s: a line that runs past its end (3.6–4.9) is cut at 4 s.
    whole_key = f"{hy}-c{export_archive.clips['open_pseudonym']}"
    subs = list(srt.parse((out / f"{whole_key}.srt").read_text("utf-8")))
    assert [s.start.total_seconds() for s in subs] == [0.0, 1.2, 2.4, 3.6]
    assert subs[-1].end == timedelta(seconds=4)
    assert subs[1].content == "[redacted]"


def test_vtt_of_a_whole_interview_matches_the_recording(export_archive, tmp_path):
    spec = AnthologySpec(unit="interviews", selection=AnthologySpec().selection)
    spec = spec.with_selection(interviews=(export_archive.ids["open_georgian"],))
    out = produce(export_archive.archive, spec, "vtt", tmp_path / "one.vtt")
    assert out.is_file()  # one excerpt: the file itself
    captions = webvtt.read(str(out))
    assert [(c.start, c.end, c.text) for c in captions] == [
        ("00:00:00.000", "00:00:02.500", GEORGIAN),
        ("00:00:02.500", "00:00:04.900", "ცხელ პურს გვიტანდნენ სახლში."),
    ]


def test_vtt_folder_reads_back(export_archive, tmp_path):
    out = produce(export_archive.archive, AnthologySpec(), "vtt", tmp_path / "captions")
    files = files_of(out, ".vtt")
    assert len(files) == 4
    for path in files:
        captions = webvtt.read(str(path))
        assert captions and captions[0].start == "00:00:00.000"


def test_long_lines_are_wrapped_into_two_line_cues():
    text = " ".join(["Մեր հարևանները ամեն առավոտ թարմ հաց էին բերում"] * 5)
    result = cues([Line(10.0, 20.0, text, speaker="A")], offset=10.0, duration=8.0)
    assert len(result) > 1
    assert result[0].start == 0.0 and result[-1].end == 8.0
    for before, after in itertools.pairwise(result):
        assert before.end == after.start  # the line's time, shared out without gaps
    for cue in result:
        assert len(cue.lines) <= CUE_LINES
        assert all(len(line) <= LINE_CHARS for line in cue.lines)
    assert " ".join(" ".join(c.lines) for c in result) == text


# -- OHMS ----------------------------------------------------------------------------

RECORD_ORDER = [  # the record's children, in the order the OHMS 5.4 schema wants
    "version", "date", "date_nonpreferred_format", "cms_record_id", "title", "accession",
    "duration", "collection_id", "collection_name", "series_id", "series_name",
    "repository", "funding", "repository_url", "subject", "keyword", "interviewee",
    "interviewer", "format", "file_name", "sync", "sync_alt", "transcript_alt_lang",
    "translate", "media_id", "media_url", "mediafile", "kembed", "language", "user_notes",
    "index", "type", "description", "rel", "transcript", "transcript_alt", "rights", "fmt",
    "usage", "userestrict", "xmllocation", "xmlfilename", "collection_link", "series_link",
]  # fmt: skip
POINT_ORDER = [
    "time", "title", "title_alt", "partial_transcript", "partial_transcript_alt", "synopsis",
    "synopsis_alt", "keywords", "keywords_alt", "subjects", "subjects_alt",
]  # fmt: skip


def _local(element: ET.Element) -> str:
    assert element.tag.startswith(f"{{{NS}}}"), element.tag
    return element.tag.split("}", 1)[1]


def _in_schema_order(names: list[str], order: list[str]) -> bool:
    positions = [order.index(n) for n in names]
    return positions == sorted(positions)


def test_ohms_records_follow_the_schema(export_archive, tmp_path):
    spec = AnthologySpec(unit="interviews", include_translations=True)
    out = produce(export_archive.archive, spec, "ohms", tmp_path / "ohms")
    hy = export_archive.ids["open_pseudonym"]
    assert {p.name for p in out.iterdir()} == {
        f"{export_archive.ids[r]}.xml"
        for r in ("open_real", "open_pseudonym", "open_georgian", "restricted")
    }
    root = ET.parse(out / f"{hy}.xml").getroot()  # noqa: S314 (our own output)
    assert _local(root) == "ROOT"
    (record,) = list(root)
    assert _local(record) == "record"
    assert int(record.get("id")) >= 1 and len(record.get("dt")) == 10
    names = [_local(child) for child in record]
    assert _in_schema_order(names, RECORD_ORDER), names
    ns = {"o": NS}
    assert record.findtext("o:version", namespaces=ns) == "5.4"
    assert record.findtext("o:cms_record_id", namespaces=ns) == hy
    assert record.findtext("o:interviewee", namespaces=ns) == PSEUDONYM
    assert record.find("o:date", ns).get("value") == "2021"
    points = record.findall("o:index/o:point", ns)
    assert len(points) == 2
    for point in points:
        names = [_local(child) for child in point]
        assert _in_schema_order(names, POINT_ORDER), names
        assert {"time", "title", "partial_transcript", "synopsis", "keywords", "subjects"} <= set(
            names
        )
        int(point.findtext("o:time", namespaces=ns))  # whole seconds
    food = next(p for p in points if p.findtext("o:subjects", namespaces=ns) == "Food")
    assert food.findtext("o:time", namespaces=ns) == "2"
    assert food.findtext("o:title", namespaces=ns) == "Bread from the [redacted]"
    transcript = record.findtext("o:transcript", namespaces=ns)
    assert ARMENIAN in transcript and "[redacted]" in transcript
    assert ARMENIAN_TRANSLATION in record.findtext("o:transcript_alt", namespaces=ns)
    restricted_xml = out / f"{export_archive.ids['restricted']}.xml"
    restricted = ET.parse(restricted_xml).getroot()  # noqa: S314 (our own output)
    assert restricted.findtext("o:record/o:userestrict", namespaces=ns) == "1"


# -- CSV and JSON --------------------------------------------------------------------


def test_csv_has_a_row_per_interview_and_opens_in_excel(export_archive, tmp_path):
    out = produce(export_archive.archive, AnthologySpec(), "csv", tmp_path / "meta.csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {
        export_archive.ids[r]
        for r in ("open_real", "open_pseudonym", "open_georgian", "restricted")
    }
    hy = by_id[export_archive.ids["open_pseudonym"]]
    assert hy["title"] == "Մեր հարևանները [redacted]"
    assert hy["narrator"] == PSEUDONYM
    assert hy["consent_level"] == "open" and hy["excerpts"] == "2"
    assert hy["themes"] == "Neighbourliness and friendship; Food"
    assert float(hy["duration_seconds"]) > 4
    assert by_id[export_archive.ids["open_georgian"]]["title"] == "ჩვენი მეზობლები"
    assert by_id[export_archive.ids["restricted"]]["consent_level"] == "restricted"


def test_json_round_trips_the_whole_corpus(export_archive, tmp_path):
    spec = AnthologySpec(title="Deposit", unit="clips", include_translations=True)
    out = produce(export_archive.archive, spec, "json", tmp_path / "all.json")
    raw = out.read_text("utf-8")
    assert ARMENIAN in raw  # not \u-escaped
    data = json.loads(raw)
    assert data["title"] == "Deposit" and data["purpose"] == "deposit"
    assert data["excluded"] == {"closed": 1, "embargoed": 1, "withdrawn": 1}
    hy = export_archive.ids["open_pseudonym"]
    interview = next(i for i in data["interviews"] if i["id"] == hy)
    assert interview["narrator"] == PSEUDONYM and interview["consent_level"] == "open"
    assert [c["key"] for c in interview["clips"]] == [
        f"{hy}-c{export_archive.clips['open_pseudonym']}",
        f"{hy}-c{export_archive.clips['open_pseudonym_food']}",
    ]
    excerpts = [e for chapter in data["chapters"] for e in chapter["excerpts"]]
    food = next(e for e in excerpts if e["title"] == "Bread from the [redacted]")
    assert food["start"] == 2.4 and food["end"] == 4.9 and food["themes"] == ["Food"]
    assert food["lines"][-1] == {
        "start": 3.6,
        "end": 4.9,
        "speaker": None,
        "text": ARMENIAN,
        "language": None,
        "translation": ARMENIAN_TRANSLATION,
    }
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
