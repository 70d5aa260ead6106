"""``tsunagari report MUNICIPALITY --out FILE.pdf|FILE.html [--lang ja|en] [--per ...]``: the meeting paper.

Builds :func:`tsunagari.dashboards.council_report.build_report` and writes it atomically (a
temporary file in the target folder, then a rename), so a reader never sees half a report.
Exit codes: 0 written; 2 invalid input (unknown municipality, missing output folder, the output
is a folder); 1 other failure (store unavailable, cannot write).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from tsunagari.dashboards.cli.command import (EXIT_FAILURE, EXIT_INVALID, EXIT_OK, Command, add_municipality,
                                              arg_help, progress)
from tsunagari.messages import message
from tsunagari.settings import Settings

__all__ = ["REPORT", "write_atomically"]

PER_CHOICES = ("population", "elderly", "children", "units")


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write ``text`` (``str``: as UTF-8; ``bytes``: as is) to ``path`` through a temporary file in the
    same folder and a rename.

    The file gets the permissions of a newly created file (``0o666`` less the umask). The
    temporary file is removed if anything fails.

    Raises
    ------
    OSError
        If the folder is missing or not writable.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_atomically(folder / "r.html", "<p>会議</p>")
    >>> (folder / "r.html").read_text("utf-8"), sorted(p.name for p in folder.iterdir())
    ('<p>会議</p>', ['r.html'])
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8") if isinstance(text, str) else text)
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _previous_year(store, graph):
    """The snapshot of the fiscal year before ``graph``'s (the paper's change section compares with it), or ``None``.

    The year-unknown snapshot is the oldest: nothing comes before it, and it comes before no dated year.
    """
    code, year = str(graph.graph.get("code")), graph.graph.get("fiscal_year")
    if year is None:
        return None
    held = next((m.years for m in store.list_municipalities() if m.code == code), ())
    earlier = [y for y in held if y is not None and y < year]
    return store.read_graph(code, max(earlier)) if earlier else None


def _configure(parser: argparse.ArgumentParser) -> None:
    add_municipality(parser)
    parser.add_argument("--out", required=True, metavar="FILE", help=arg_help("arg.report.out"))
    parser.add_argument("--per", choices=PER_CHOICES, default="population", help=arg_help("arg.report.per"))


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from tsunagari.dashboards.council_report import build_report
    from tsunagari.graph.open import open_store

    lang = args.lang if args.lang in ("ja", "en") else "ja"  # a paper is in one language (both: Japanese)
    out = Path(args.out).expanduser()
    folder = out.parent.resolve()
    if not folder.is_dir():
        sys.stderr.write(f"出力先のフォルダ `{folder}` がありません。先に作成してください。/ "
                         f"The output folder `{folder}` does not exist; create it first.\n")
        return EXIT_INVALID
    if out.is_dir():
        sys.stderr.write(f"`{out}` はフォルダです。HTMLファイル名を指定してください。/ "
                         f"`{out}` is a folder; give an HTML file name.\n")
        return EXIT_INVALID
    if out.suffix.lower() not in (".pdf", ".html", ".htm"):
        sys.stderr.write(message("cli.report_suffix", lang, path=str(out)) + "\n")
        return EXIT_INVALID
    progress("cli.progress.read", lang, municipality=args.municipality)
    with open_store(settings, read_only=True) as store:
        graph = store.read_graph(args.municipality, args.year)
        previous = _previous_year(store, graph)
    progress("cli.progress.report", lang)
    page = build_report(graph, lang=lang, per=None if args.per == "units" else args.per, previous=previous)
    content: str | bytes = page
    if out.suffix.lower() == ".pdf":
        from tsunagari.dashboards.paper_pdf import paper_pdf

        content = paper_pdf(page)
    try:
        write_atomically(out, content)
    except OSError as err:
        sys.stderr.write(f"書き込めません / cannot write `{out}`: {err}\n")
        return EXIT_FAILURE
    sys.stdout.write(f"{out}\n")
    return EXIT_OK


REPORT = Command("report", "printable HTML report for council meetings / 会議資料（印刷用HTML）", _configure, _run)
