"""The meeting paper as a PDF: A4 pages, each numbered "n / N", the text the HTML paper holds."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tsunagari.dashboards.cli import main
from tests.conftest import TOWN


def test_report_writes_a_numbered_pdf(store_url, tmp_path, capsys):
    assert main(["--store", store_url, "load", str(TOWN)]) == 0
    out = tmp_path / "会議資料.pdf"
    assert main(["--store", store_url, "report", "緑町", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 3
    texts = [page.extract_text() for page in pages]
    assert "緑町" in texts[0]
    assert [f"{i} / {len(pages)}" in text for i, text in enumerate(texts, start=1)] == [True] * len(pages)
    # The network map and the district gap map are in it, as images with their captions.
    assert sum(len(page.images) for page in pages) >= 5
    text = "".join(texts)
    assert "連携ネットワーク図" in text and "地区ごとの空白" in text and "（日本時間）" in text
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_report_refuses_an_unknown_file_type(store_url, tmp_path, capsys):
    assert main(["--store", store_url, "load", str(TOWN)]) == 0
    capsys.readouterr()
    assert main(["--store", store_url, "report", "緑町", "--out", str(tmp_path / "paper.txt")]) == 2
    assert ".pdf" in capsys.readouterr().err and not (tmp_path / "paper.txt").exists()
