"""docs/multi-gpu.md's head counts for Ulysses alone are what the layout check takes."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.parallel.layout import heads_fit

DOC = " ".join((Path(__file__).parents[2] / "docs" / "multi-gpu.md").read_text().split())


def _counts(heads: int) -> list[int]:
    return [k for k in range(2, 9) if heads_fit(heads, k)]


def test_the_doc_says_which_process_counts_ulysses_alone_takes() -> None:
    # It said Wan 14B's 40 heads went "also over 6 or 7", leaving out 3, which works as well.
    assert "takes Wan 1.3B's 12 heads over 2, 3, 4 or 6 processes, not 5, 7 or 8" in DOC
    assert _counts(12) == [2, 3, 4, 6]
    assert "Wan 14B's 40 and LTX's 32 over any count from 2 to 8" in DOC
    assert _counts(40) == _counts(32) == list(range(2, 9))
