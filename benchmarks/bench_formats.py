"""Parse throughput per form: the sample notices as .txt, .html, .mht, .docx and .pdf.

    python benchmarks/bench_formats.py            # four samples and Liaoning's first 330 lines
    python benchmarks/bench_formats.py --repeat 5

Each file is built in memory from the samples (reportlab / python-docx / the email package, as the
tests build them), then ``parse_bytes`` runs on it — extraction and parsing, not the cache.  Printed
per form: input MB, seconds (best of ``--repeat``), MB/s of the file's bytes, notices/s and characters
of notice text/s.  One process, one core.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.format_builders

from tests.format_builders import build_docx, build_mhtml, build_pdf, notice_lines, notice_page  # noqa: E402
from zhenggai.loaders import parse_bytes, sample_data_paths  # noqa: E402

#: pdfminer reads ~25,000 characters a second: the whole 2.3 MB Liaoning file as a PDF takes ~30 s.
LIAONING_LINES = 330


def sources() -> list[tuple[str, str]]:
    """(name, text) of each sample used (the Liaoning collection cut to its first notices)."""
    out = []
    for path in sample_data_paths():
        text = path.read_text(encoding="utf-8")
        if "liaoning" in path.name:
            text = "\n".join(text.splitlines()[:LIAONING_LINES]) + "\n"
        out.append((path.stem, text))
    return out


def builders() -> dict[str, Callable[[str, list[str]], bytes]]:
    """How each form's file is made from a sample's text."""
    return {
        "txt": lambda text, lines: text.encode("utf-8"),
        "html": lambda text, lines: notice_page(lines, date=None, source=None).encode("utf-8"),
        "mht": lambda text, lines: build_mhtml(notice_page(lines, date=None, source=None)),
        "docx": lambda text, lines: build_docx(lines, auto_numbering=True),
        "pdf": lambda text, lines: build_pdf(lines),
    }


def main() -> None:
    """Print the throughput table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per form; the best is kept")
    args = parser.parse_args()
    samples = sources()
    print(
        f"{'form':<6}{'files':>6}{'MB':>8}{'notices':>9}{'seconds':>9}{'MB/s':>8}{'notices/s':>11}{'chars/s':>10}"
    )
    for form, build in builders().items():
        files = [(f"{name}.{form}", build(text, notice_lines(text))) for name, text in samples]
        size = sum(len(raw) for _, raw in files)
        best = float("inf")
        notices = chars = 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            found = [n for name, raw in files for n in parse_bytes(raw, name)[0]]
            best = min(best, time.perf_counter() - start)
            notices, chars = len(found), sum(len(n.body) for n in found)
        print(
            f"{form:<6}{len(files):>6}{size / 1e6:>8.2f}{notices:>9}{best:>9.2f}"
            f"{size / 1e6 / best:>8.2f}{notices / best:>11.1f}{chars / best:>10,.0f}"
        )


if __name__ == "__main__":
    main()
