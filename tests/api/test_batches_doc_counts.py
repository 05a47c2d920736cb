"""docs/batches-api.md shows and explains every ``request_counts`` field a batch or shoot-out has."""

from __future__ import annotations

import json
import re
from pathlib import Path

from reelgen.api.fanout import RequestCounts

DOC = Path(__file__).parents[2] / "docs" / "batches-api.md"


def test_the_batch_object_example_has_the_request_counts_the_api_sends() -> None:
    """The example read total, queued, in_progress, completed, failed, cancelled: no deleted, which every
    batch object has had since item jobs of an ended batch could be deleted on their own."""
    text = DOC.read_text()
    shown = re.search(r'"request_counts": (\{[^}]*\})', text)
    assert shown is not None
    assert list(json.loads(shown.group(1))) == list(RequestCounts.model_fields)
    # What deleted counts is said where the counts are explained, once each (batch and shoot-out alike).
    said = " ".join(text.split())
    assert "`request_counts.deleted` counts the item jobs it had made when it ended that were deleted" in said
    assert "are in no other count" in said
