"""Sources as a reader cites them: the document's title and the place in it, not a hashed file name.

A package's ``source`` cells name a document file and a locator (slide title, section, page):
``000_3e15e575296e7296.txt 連携会議委員名簿（令和４年度）``, several joined by ``;``. The optional
manifest field ``documents`` gives each file's title (``file=title; file=title``). :func:`citation`
turns a cell into ``『title』 locator``; a file without a title keeps its locator first and its file
name after it, so a fact can still be traced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["document_titles", "citation"]

_FILE = re.compile(r"^\S+\.[A-Za-z0-9]{2,5}$")


def document_titles(documents: object) -> dict[str, str]:
    """File → title from the manifest field ``documents`` (``file=title; file=title``); empty or missing → ``{}``.

    Examples
    --------
    >>> document_titles("a.txt=計画（2024年）; b.pdf = 報告書")
    {'a.txt': '計画（2024年）', 'b.pdf': '報告書'}
    >>> document_titles(None)
    {}
    """
    titles = {}
    for part in str(documents or "").split(";"):
        file, sep, title = part.partition("=")
        if sep and file.strip() and title.strip():
            titles[file.strip()] = title.strip()
    return titles


def citation(source: object, titles: Mapping[str, str], lang: str = "ja") -> str:
    """``source`` (one ``source`` cell) as a readable citation: each document by its title, then the locator.

    Examples
    --------
    >>> titles = {"000_3e.txt": "連携・協働のプロセス（尼崎市、2024年）"}
    >>> citation("000_3e.txt 連携会議委員名簿; 001_f0.txt I 生活課題", titles)
    '『連携・協働のプロセス（尼崎市、2024年）』連携会議委員名簿；I 生活課題（001_f0.txt）'
    >>> citation("000_3e.txt 連携会議委員名簿", titles, "en")
    '“連携・協働のプロセス（尼崎市、2024年）”, 連携会議委員名簿'
    >>> citation("市の資料", {})
    '市の資料'
    """
    cited = []
    for part in (p.strip() for p in str(source or "").split(";")):
        if not part:
            continue
        file, _, locator = part.partition(" ")
        locator = locator.strip()
        if not _FILE.match(file):
            cited.append(part)  # not "file locator": kept as written
        elif file in titles and lang == "en":
            cited.append(f"“{titles[file]}”, {locator}" if locator else f"“{titles[file]}”")
        elif file in titles:
            cited.append(f"『{titles[file]}』{locator}")
        elif locator:
            cited.append(f"{locator} ({file})" if lang == "en" else f"{locator}（{file}）")
        else:
            cited.append(file)
    return ("；" if lang != "en" else "; ").join(cited)
