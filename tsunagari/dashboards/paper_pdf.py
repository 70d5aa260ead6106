"""The meeting paper as a PDF: the printable HTML of :mod:`tsunagari.dashboards.council_report`
laid out on A4 pages by WeasyPrint, with page numbers and an embedded Japanese font.

WeasyPrint (maintained, pure Python on top of Pango) renders the same HTML the browser prints, so the
PDF and the HTML paper never differ in content. It runs no script and fetches nothing: images are
inline ``data:`` URIs and the only file read is the font.
"""

from __future__ import annotations

from tsunagari.dashboards.static_export import japanese_font_path

__all__ = ["paper_pdf", "PAGE_CSS"]

PAGE_CSS = """
@page {
  size: A4;
  margin: 16mm 14mm 18mm 14mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #444; }
}
"""
"""Page set-up added for the PDF: A4 and ``n / N`` page numbers at the foot of every page."""


def paper_pdf(html: str) -> bytes:
    """The paper ``html`` (a whole document) as PDF bytes: A4, numbered pages, Japanese text embedded.

    Raises
    ------
    ImportError
        If WeasyPrint is not installed (it is a dependency of the package).
    """
    from weasyprint import CSS, HTML

    font = japanese_font_path()
    font_css = (f"@font-face {{ font-family: 'TsunagariJP'; src: url('{font.as_uri()}'); }}\n"
                "body, table, th, td, h1, h2, h3, p, li, figcaption { font-family: 'TsunagariJP', sans-serif; }"
                if font else "")
    fetcher = _OfflineFetcher(font.as_uri() if font else None)
    document = HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[CSS(string=PAGE_CSS + font_css, url_fetcher=fetcher)])


def _offline_fetcher_class():
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):
        """Fetches the font file and ``data:`` URIs only: the paper must not reach the network."""

        def __init__(self, allowed: str | None) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self._allowed = allowed

        def fetch(self, url, headers=None):
            if url == self._allowed or url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"the paper fetches nothing ({url[:60]})")

    return OfflineFetcher


def _OfflineFetcher(allowed: str | None):  # noqa: N802 (a class made on first use: WeasyPrint loads lazily)
    return _offline_fetcher_class()(allowed)
