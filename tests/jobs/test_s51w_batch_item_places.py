"""A batch's failed Ken Burns items are named by their place in the manifest without a scan of every
item for each one: a live stream words every failed item of a batch."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from reelgen.core.batch import Manifest
from reelgen.core.batch.manifest import BatchItem
from reelgen.jobs.kinds.batch import BatchKind, BatchPayload
from reelgen.jobs.kinds.kenburns import NAME as KEN_BURNS_KIND
from reelgen.jobs.records import Job


def test_failed_items_find_their_place_without_a_scan_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [{"output": f"shot-{i:04d}", "images": ["a.png"], "prompt": "a"} for i in range(300)]
    manifest = Manifest.model_validate({"defaults": {"model": "ltx-tiny"}, "items": items})
    payload = BatchPayload(manifest=manifest, input_folder=str(tmp_path), output_folder=str(tmp_path / "out"))
    looked = 0
    stem = BatchItem.stem

    def counted(item: BatchItem) -> str:
        nonlocal looked
        looked += 1
        return cast(str, stem.fget(item))  # type: ignore[attr-defined]

    monkeypatch.setattr(BatchItem, "stem", property(counted))
    kind = BatchKind()
    for i in (299, 298, 5):
        # A payload that no longer parses as a Ken Burns request keeps its own words, after the place.
        child = cast(
            Job,
            SimpleNamespace(
                kind=KEN_BURNS_KIND, child_key=f"shot-{i:04d}", payload={}, error={"message": "boom"}
            ),
        )
        assert kind.item_error(payload, child) == {"message": "boom"}
    # One pass over the manifest, not one per failed item (3 x up to 300 before).
    assert looked == 300
