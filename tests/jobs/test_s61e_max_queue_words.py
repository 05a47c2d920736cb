"""`reelgen serve --settings` tells REELGEN_MAX_QUEUE as the queue keeps it: a batch's items go past it.

It said "Most jobs waiting in the queue", while a batch made when one place was left queued all its
items (docs/reliability.md says so since 84c04dce).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.jobs import kinds
from reelgen.jobs.records import Facts, QueueFull
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import ChildRow, JobStore
from tests.jobs.helpers import create, request


def test_the_setting_says_what_a_batch_does_past_the_limit(tmp_path: Path) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}", max_queue=2)
    try:
        create(store, request())
        batch = store.create("fanout", {}, Facts(model="jobtest-tiny", prompt="p"), start_as="driver")
        render = kinds.get(kinds.RENDER)
        items = [
            ChildRow(f"item-{i}", kinds.RENDER, render.dump(request()), render.facts(request()))
            for i in range(5)
        ]
        store.create_children(batch, items)
        assert store.counts()["queued"] == 6  # past the limit of 2
        with pytest.raises(QueueFull):
            create(store, request())
    finally:
        store.close()
    said = JobSettings.model_fields["max_queue"].description or ""
    assert not said.startswith("Most jobs waiting")
    assert "a batch, shoot-out or project queues its items past it" in said
