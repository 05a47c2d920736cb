"""A stopped in-process shoot-out names the clips it finished, as the server's cancel does: clips/ may hold an
earlier run's clips beside them."""

from __future__ import annotations

from reelgen.core.shootout.run import NAMED, listed


def test_a_few_finished_trials_are_all_named() -> None:
    assert listed(["ltx-tiny--p1", "ltx-tiny--p2"]) == "ltx-tiny--p1, ltx-tiny--p2"


def test_many_finished_trials_are_named_up_to_a_limit_and_counted() -> None:
    keys = [f"m--p{i}" for i in range(NAMED + 4)]
    said = listed(keys)
    assert said.endswith(f"m--p{NAMED - 1} and 4 more") and f"m--p{NAMED}," not in said
