"""How fast the PDF anthology is made, against bare reportlab on the same text, in one run.

    .venv/bin/python bench/bench_export.py [--interviews 24] [--clips 8] [--seed 1] [--runs 3]

Builds a synthetic archive (no audio: :func:`archive.synthetic.create_interview_without_media`,
then segments, themed clips and consent through the ordinary archive API; the text
comes from bench/generate_archive.py's vocabularies, in five scripts), open and
published, every third narrator under a pseudonym, a third of the interviews translated
into English throughout (facing columns).  The default makes a book of about 300 A5
pages.

Then times, in the same process:

* ``export(archive, spec, "pdf", out)``: corpus (consent, redaction), layout passes
  with the contents and index, fonts, the atomic write;
* the renderer alone on the same corpus (``pdf_book.render``);
* a bare reportlab ``SimpleDocTemplate`` with the same text, one Paragraph per line in
  the same font and size, one pass, no contents, index, headers or facing columns.

each ``--runs`` times (the median counts), and prints seconds, pages per second, and
the ratio export / bare.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive import Archive, InterviewMetadata, KdfParams
from archive.export import AnthologySpec, build_corpus, export, pdf_book
from archive.export.fonts import book_fonts
from archive.synthetic import create_interview_without_media
from bench.generate_archive import LANGUAGE_WEIGHTS, LANGUAGES, build_vocabularies, make_segments

PLACES = ("Baku", "Yerevan", "Tbilisi", "Ganja", "Sumgait", "Gyumri", "Şuşa", "Երևան")


def build(path: Path, interviews: int, clips: int, seed: int) -> Archive:
    rng = random.Random(seed)
    vocab = build_vocabularies(seed)
    archive = Archive.create(path, "bench", kdf=KdfParams.minimum(), actor="bench")
    themes = [t.id for t in archive.themes.list() if t.parent_id is None]
    for n in range(interviews):
        primary = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        secondary = rng.choice([lang for lang in LANGUAGES if lang != primary])
        interview = create_interview_without_media(
            archive,
            InterviewMetadata(
                title=f"Interview {n + 1}",
                narrator=f"Narrator Person {n:03d}",
                recorded_on=f"{rng.randint(1995, 2024)}-{rng.randint(1, 12):02d}",
                place=rng.choice(PLACES),
                languages=(primary, secondary),
            ),
            duration=3600.0,
            transcription_status="done",
        )
        # A third of the interviews are translated into English throughout; the rest not.
        translated = primary != "en" and n % 3 == 1
        segments = [
            replace(
                s,
                translation=(" ".join(vocab["en"].draw(rng, len(s.text.split()))) + ".")
                if translated and s.language != "en"
                else None,
            )
            for s in make_segments(rng, vocab, primary, secondary)
        ]
        archive.segments.add(interview.id, segments, source="human")
        for _ in range(clips):
            start = rng.uniform(0, 3400)
            archive.clips.create(
                interview.id,
                start,
                start + rng.uniform(40, 120),
                themes=rng.sample(themes, rng.randint(1, 2)),
                title=" ".join(vocab[primary].draw(rng, 4)) if rng.random() < 0.5 else None,
            )
        pseudonym = n % 3 == 0
        archive.consent.set(
            interview.id,
            level="open",
            publish=True,
            name_display="pseudonym" if pseudonym else "real",
            pseudonym=f"Narrator {n:03d}" if pseudonym else None,
        )
    return archive


def pages_of(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def bare_reportlab(corpus, out: Path) -> None:
    """The same lines as plain paragraphs: what reportlab costs with nothing around it."""
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = ParagraphStyle("body", fontName=book_fonts().serif.font(), fontSize=10.5, leading=14.5)
    story = [
        Paragraph(escape(text), style)
        for excerpt in corpus.excerpts
        for line in excerpt.lines
        for text in (line.text, line.translation)
        if text
    ]
    doc = SimpleDocTemplate(
        str(out), pagesize=A5, leftMargin=54, rightMargin=42, topMargin=62, bottomMargin=58
    )
    doc.build(story)


def timed(fn: Callable[[], object], runs: int) -> float:
    """The median of ``runs`` timings, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interviews", type=int, default=24)
    parser.add_argument("--clips", type=int, default=8, help="per interview")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="timings per measure (median)")
    parser.add_argument("--keep", type=Path, help="copy the book here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        started = time.perf_counter()
        archive = build(base / "archive", args.interviews, args.clips, args.seed)
        print(
            f"archive: {args.interviews} interviews, {args.interviews * args.clips} clips, "
            f"built in {time.perf_counter() - started:.1f} s"
        )
        spec = AnthologySpec(
            title="Side by Side",
            subtitle="A benchmark anthology",
            editor="Bench",
            introduction="Synthetic text in five scripts.\n\nNothing here is real.",
            include_translations=True,
        )
        book_fonts()  # registered once per process; not part of any timing below
        out, alone, bare = base / "book.pdf", base / "render.pdf", base / "bare.pdf"
        try:
            corpus = build_corpus(archive, spec)
            corpus_s = timed(lambda: build_corpus(archive, spec), args.runs)
            render_s = timed(lambda: pdf_book.render(corpus, alone), args.runs)
            export_s = timed(lambda: export(archive, spec, "pdf", out), args.runs)
            bare_s = timed(lambda: bare_reportlab(corpus, bare), args.runs)
        finally:
            archive.close()
        if args.keep:
            args.keep.write_bytes(out.read_bytes())
        pages, bare_pages = pages_of(out), pages_of(bare)
        chars = sum(
            len(line.text) + len(line.translation or "")
            for e in corpus.excerpts
            for line in e.lines
        )
        print(
            f"corpus: {len(corpus.chapters)} chapters, {len(corpus.excerpts)} excerpts, "
            f"{chars:,} characters; built in {corpus_s:.2f} s"
        )
        print(f"median of {args.runs} runs      {'pages':>6} {'seconds':>8} {'pages/s':>8}")
        for name, n, secs in (
            ('export(..., "pdf", ...)', pages, export_s),
            ("pdf_book.render alone", pages_of(alone), render_s),
            ("bare reportlab, one pass", bare_pages, bare_s),
        ):
            print(f"{name:<28} {n:>6} {secs:>8.2f} {n / secs:>8.1f}")
        print(
            f"ratio export / bare reportlab: {export_s / bare_s:.2f} x "
            f"(per page: {(export_s / pages) / (bare_s / bare_pages):.2f} x); "
            f"render alone / bare: {render_s / bare_s:.2f} x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
