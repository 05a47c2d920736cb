"""Upscaler and interpolator names as people type them, read as reelgen's own names.

Upstream spells the Real-ESRGAN models after their files (RealESRGAN_x4plus,
RealESRGAN_x4plus_anime_6B) and RIFE in capitals; reelgen's lists are
lower-case with hyphens. Case and ``_`` against ``-`` make no difference here,
so a name copied from the upstream README is taken, and the chain records
reelgen's spelling.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: Upstream names (as ``_key`` writes them) whose reelgen name differs by more than case and ``_``.
UPSTREAM = {
    "realesrgan-x4plus-anime-6b": "realesrgan-x4plus-anime",
    "realesr-animevideov3-x2": "realesr-animevideov3",
    "realesr-animevideov3-x3": "realesr-animevideov3",
    "realesr-animevideov3-x4": "realesr-animevideov3",
}


def _key(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def canonical(name: str, known: Iterable[str]) -> str | None:
    """The name in ``known`` that ``name`` spells (any case, ``_`` or ``-``, or upstream's name), or None."""
    by_key = {_key(k): k for k in known}
    key = _key(name)
    return by_key.get(key) or by_key.get(UPSTREAM.get(key, ""))


def near_hint(name: str, known: Iterable[str]) -> str:
    """``"; did you mean X?"`` for the closest of ``known`` to ``name``, or "" when none is close."""
    by_key = {_key(k): k for k in known}
    close = difflib.get_close_matches(_key(name), list(by_key), n=1, cutoff=0.6)
    return f"; did you mean {by_key[close[0]]}?" if close else ""
