"""Colours and in-vivo names for new codes.

Colours: the first twelve are a hand-picked print-friendly palette; beyond it, hues step by the
golden angle (each new hue falls in the widest gap left by the earlier ones) at three lightness
levels, so a codebook of fifty codes still has fifty distinguishable colours. A new code takes
the first colour of that sequence no code uses yet.

In-vivo names: the participant's words with whitespace collapsed, without the punctuation that
ends or wraps a phrase (a final full stop, comma, dash, quotes), shortened with an ellipsis.
"""

from __future__ import annotations

import colorsys
import functools
import unicodedata
from collections.abc import Iterable

#: Distinct, print-friendly colours given to the first new codes in turn.
PALETTE = (
    "#f4d03f", "#5dade2", "#58d68d", "#f1948a", "#bb8fce", "#f5b041",
    "#48c9b0", "#ec7063", "#85c1e9", "#a9dfbf", "#d7bde2", "#f8c471",
)
GOLDEN_ANGLE = 137.50776405003785
#: (lightness, saturation) levels taken in turn after the palette: pale enough to read text on
_LEVELS = ((0.70, 0.65), (0.80, 0.55), (0.62, 0.50))
#: In-vivo code names longer than this are shortened with an ellipsis.
IN_VIVO_MAX = 60


def _hex(r: float, g: float, b: float) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in (r, g, b)))


@functools.lru_cache(maxsize=4096)
def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def color_distance(a: str, b: str) -> float:
    """A cheap perceptual distance between two ``#rrggbb`` colours ("redmean" weighted RGB)."""
    (r1, g1, b1), (r2, g2, b2) = _rgb(a), _rgb(b)
    mean = (r1 + r2) / 2
    dr, dg, db = r1 - r2, g1 - g2, b1 - b2
    return ((2 + mean / 256) * dr * dr + 4 * dg * dg + (2 + (255 - mean) / 256) * db * db) ** 0.5


def _golden(k: int) -> str:
    hue = (20.0 + k * GOLDEN_ANGLE) % 360.0 / 360.0
    lightness, saturation = _LEVELS[k % len(_LEVELS)]
    return _hex(*colorsys.hls_to_rgb(hue, lightness, saturation))


#: candidates after the palette: golden-angle hues at the three levels
_CANDIDATES = 240
_sequence: list[str] = list(PALETTE)


def code_color(n: int) -> str:
    """The ``n``-th colour of the sequence (0-based), as ``#rrggbb``: after the palette, each
    next colour is the candidate farthest from all the colours before it."""
    if n >= len(PALETTE) + _CANDIDATES // 2:  # far beyond any real codebook: plain golden angle
        return _golden(n)
    if len(_sequence) <= n:
        candidates = [c for c in dict.fromkeys(_golden(k) for k in range(_CANDIDATES)) if c not in _sequence]
        order = {c: i for i, c in enumerate(candidates)}  # ties go to the earlier golden-angle step
        nearest = {c: min(color_distance(c, s) for s in _sequence) for c in candidates}
        target = max(n, len(_sequence) + 63)  # a chunk at a time: the set-up is the costly part
        while len(_sequence) <= target and candidates:
            best = max(candidates, key=lambda c: (nearest[c], -order[c]))
            _sequence.append(best)
            candidates.remove(best)
            del nearest[best]
            for c in candidates:
                nearest[c] = min(nearest[c], color_distance(c, best))
    return _sequence[n]


def next_code_color(used: Iterable[str]) -> str:
    """The first colour of the sequence that no existing code has."""
    taken = {c.lower() for c in used}
    n = 0
    while code_color(n) in taken:
        n += 1
    return code_color(n)


def _is_edge_punctuation(ch: str) -> bool:
    """Punctuation that ends or wraps a phrase; not brackets' partners, %, or a closing ) with its ( kept."""
    return unicodedata.category(ch) in ("Po", "Pd", "Pi", "Pf") and ch not in "%#&@*/\\"


def in_vivo_name(words: str) -> str:
    """A code name from selected words: whitespace collapsed, edge punctuation dropped, shortened."""
    name = " ".join(words.split())
    stripped = name
    while stripped and _is_edge_punctuation(stripped[-1]):
        stripped = stripped[:-1].rstrip()
    while stripped and _is_edge_punctuation(stripped[0]):
        stripped = stripped[1:].lstrip()
    name = stripped or name  # a selection of punctuation only keeps its characters
    if len(name) > IN_VIVO_MAX:
        name = name[:IN_VIVO_MAX - 1].rstrip() + "…"
    return name
