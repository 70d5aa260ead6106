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

from collections import Counter
from collections.abc import Mapping

from tsunagari.graph.vocabulary import vocabulary

__all__ = [
    "OKABE_ITO",
    "TOL_MUTED",
    "NEUTRAL",
    "NO_COMMUNITY",
    "MORE_COMMUNITIES",
    "KIND_SHAPES",
    "KIND_COLORS",
    "UNSECTORED_COLORS",
    "RESIDENTS_SECTOR",
    "TIE_COLORS",
    "sector_color",
    "category_colors",
    "community_colors",
    "CATEGORY_COUNT",
]

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TOL_MUTED = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
             "#AA4499")
NEUTRAL = "#BBBBBB"
NO_COMMUNITY = "#FFFFFF"
"""Colouring by community: nodes that are not actors (districts, programs, councils …) have none."""
MORE_COMMUNITIES = "#555555"
"""Colouring by community: the communities past the 16th, which the palette cannot tell apart."""

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
# Colours by node kind (colouring by kind): Okabe–Ito, one hue per kind.
KIND_COLORS = {
    "Municipality": "#555555",
    "District": "#DDDDDD",
    "Agency": "#0072B2",
    "Council": "#E69F00",
    "ResidentGroup": "#009E73",
    "Program": "#CC79A7",
    "Need": "#D55E00",
}
# Colouring by sector, the kinds that have no sector are drawn in greys and white, which no sector
# uses (their shapes tell them apart); residents' groups take the colour of the sector 住民.
UNSECTORED_COLORS = {
    "Municipality": "#555555",
    "District": "#DDDDDD",
    "Council": "#000000",
    "Program": "#7A7A7A",
    "Need": "#FFFFFF",
}
RESIDENTS_SECTOR = "住民"
"""The sector whose colour residents' groups take when colouring by sector."""
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
CATEGORY_COUNT = len(_SECTOR_PALETTE)
"""Categories (sectors, communities) that get a colour of their own: 16."""


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


def community_colors(communities: Mapping[str, int]) -> dict[int, str]:
    """Colour of each community id (the analysis numbers them from 1, largest first).

    A community of one actor is an actor with no tie (an isolate): every such id gets
    :data:`NEUTRAL`, so isolates are one grey group rather than as many colours as there are
    of them; the others take :func:`category_colors` in the order of their ids, and those past the
    16th share :data:`MORE_COMMUNITIES` (one legend entry).

    Examples
    --------
    >>> community_colors({"a": 1, "b": 1, "c": 2, "d": 2, "e": 3})
    {1: '#0072B2', 2: '#E69F00', 3: '#BBBBBB'}
    """
    sizes = Counter(communities.values())
    groups = sorted(c for c, n in sizes.items() if n > 1)
    colors = dict(zip(groups, _SECTOR_PALETTE))
    return {c: colors.get(c, MORE_COMMUNITIES if sizes[c] > 1 else NEUTRAL) for c in sorted(sizes)}
