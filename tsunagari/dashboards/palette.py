"""Colour-blind-safe colours and node shapes shared by the interactive map and the static charts.

Sector colours follow the vocabulary order so a sector keeps its colour in every municipality.
The first eight are the Okabe–Ito palette [1]_, the rest Paul Tol's *muted* scheme [2]_; both are
designed to stay distinguishable with the common colour-vision deficiencies. Shapes encode the
node kind, so colour is never the only cue.

References
----------
.. [1] Okabe, M., & Ito, K. (2008). Color Universal Design (CUD): How to make figures and
   presentations that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
.. [2] Tol, P. (2021). Colour schemes. SRON Technical Note SRON/EPS/TN/09-002, issue 3.2.
"""

from __future__ import annotations

from tsunagari.graph.vocabulary import vocabulary

__all__ = [
    "OKABE_ITO",
    "TOL_MUTED",
    "NEUTRAL",
    "KIND_SHAPES",
    "KIND_COLORS",
    "TIE_COLORS",
    "sector_color",
    "category_colors",
]

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TOL_MUTED = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
             "#AA4499")
NEUTRAL = "#BBBBBB"

# vis-network shapes per node kind (the matplotlib export maps them to markers).
KIND_SHAPES = {
    "Municipality": "hexagon",
    "District": "hexagon",
    "Agency": "dot",
    "Council": "diamond",
    "ResidentGroup": "triangle",
    "Program": "square",
    "Need": "star",
}
# Colours of nodes that have no sector (used when colouring by sector).
KIND_COLORS = {
    "Municipality": "#555555",
    "District": "#DDDDDD",
    "Council": "#882255",
    "ResidentGroup": "#117733",
    "Program": "#332288",
    "Need": "#CC6677",
}
# Structural ties are light; collaboration ties dark.
TIE_COLORS = {
    "MEMBER_OF": "#4D4D4D",
    "OPERATES": "#0072B2",
    "COMMISSIONED_BY": "#56B4E9",
    "SERVES": "#CCCCCC",
    "LOCATED_IN": "#CCCCCC",
    "PART_OF": "#DDDDDD",
    "COLLABORATES_WITH": "#D55E00",
    "AGREEMENT": "#009E73",
    "REFERS_TO": "#E69F00",
    "ADDRESSES": "#CC79A7",
}

_SECTOR_PALETTE = OKABE_ITO[:7] + TOL_MUTED


def sector_color(sector_label: str | None) -> str:
    """Fixed colour of a sector given by its stored (Japanese) label; grey for unknown or none.

    Examples
    --------
    >>> sector_color("福祉")
    '#0072B2'
    >>> sector_color(None)
    '#BBBBBB'
    """
    if not sector_label:
        return NEUTRAL
    labels = vocabulary("sectors").labels("ja")
    if sector_label not in labels:
        return NEUTRAL
    index = labels.index(sector_label)
    return _SECTOR_PALETTE[index] if index < len(_SECTOR_PALETTE) else NEUTRAL


def category_colors(count: int) -> list[str]:
    """``count`` distinct colours for unordered categories (communities); grey past 16.

    Examples
    --------
    >>> category_colors(3)
    ['#0072B2', '#E69F00', '#009E73']
    """
    if count < 0:
        raise ValueError(f"`count` must be 0 or more. Got {count=}.")
    palette = _SECTOR_PALETTE
    return [palette[i] if i < len(palette) else NEUTRAL for i in range(count)]
