"""A parent's item errors are worked out once per item, however many failed and whether or not its
payload still parses: a live stream reads every item of a batch each second."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest

from reelgen.api.parent_counts import ItemErrors
from reelgen.core.errors import InvalidRequest
from reelgen.jobs import kinds
from reelgen.jobs.records import Job, JobStatus


class Counting:
    """A parent kind that counts its parses and item errors; its payload parses unless ``old``."""

    def __init__(self) -> None:
        self.parsed: list[str] = []
        self.worded: list[str] = []

    def parse(self, data: dict[str, Any]) -> dict[str, Any]:
        self.parsed.append(data["id"])
        if data.get("old"):
            raise InvalidRequest("payload.items: field required", param="payload.items")
        return data

    def item_error(self, payload: dict[str, Any], child: Job) -> dict[str, Any]:
        self.worded.append(child.id)
        assert child.error is not None
        return {**child.error, "message": f"{payload['id']}: {child.error['message']}"}


@pytest.fixture
def kind(monkeypatch: pytest.MonkeyPatch) -> Counting:
    counting = Counting()
    monkeypatch.setattr(kinds, "parent", lambda name: counting)
    return counting


def _parent(name: str, *, old: bool = False) -> Job:
    return cast(Job, SimpleNamespace(id=name, kind="batch", payload={"id": name, "old": old}))


def _failed(parent: str, n: int) -> list[Job]:
    error = {"code": "generation_failed", "message": "boom"}
    return [
        cast(Job, SimpleNamespace(id=f"{parent}-c{i}", status=JobStatus.FAILED, terminal=True, error=error))
        for i in range(n)
    ]


def test_a_payload_that_no_longer_parses_is_parsed_once(kind: Counting) -> None:
    """Its failure was not kept: each failed item parsed the parent's payload again."""
    parent, children = _parent("old", old=True), _failed("old", 5)
    kept = ItemErrors()
    for _ in range(3):
        assert kept.of(parent, children) == [c.error for c in children]  # their own words
    kept.of(parent, _failed("old", 7))  # items that failed since: still not parsed again
    assert kind.parsed == ["old"]


def test_every_failed_item_of_a_big_batch_is_worded_once(kind: Counting) -> None:
    """With more failed items than were kept (4,096), reading them in order let each go before it was
    asked again: every read worded every item anew."""
    parent, children = _parent("big"), _failed("big", 5000)
    other, theirs = _parent("other"), _failed("other", 3)
    kept = ItemErrors()
    for _ in range(3):
        errors = kept.of(parent, children)
        assert len(errors) == 5000 and errors[-1] == {"code": "generation_failed", "message": "big: boom"}
        kept.of(other, theirs)  # another parent's stream between reads
    assert (len(kind.worded), kind.parsed) == (5003, ["big", "other"])
