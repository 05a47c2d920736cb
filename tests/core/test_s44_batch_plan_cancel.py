"""Checking a big batch's items shows progress and stops at Ctrl-C, before any item is made."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.batch import Manifest, plan_batch, run_batch
from reelgen.core.errors import Cancelled, InvalidRequest
from reelgen.core.progress import Progress, ProgressEvent


def _manifest(n: int) -> Manifest:
    # A size the model cannot make: each item is planned (as failed) at once, with no image read. (A
    # manifest naming no model, or an unknown one, is refused before any item is checked.)
    items = [{"output": f"s{i}"} for i in range(n)]
    return Manifest.model_validate({"defaults": {"model": "ltx-tiny", "width": 500}, "items": items})


def test_each_item_checked_is_a_progress_event(tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    progress = Progress(on_event=events.append)
    plan = plan_batch(_manifest(3), tmp_path, progress=progress)
    assert len(plan) == 3
    assert [(e.stage, e.step, e.total) for e in events] == [("checking", n, 3) for n in (1, 2, 3)]


def test_a_cancel_while_checking_stops_before_the_next_item(tmp_path: Path) -> None:
    progress = Progress()

    def stop_after_two(event: ProgressEvent) -> None:
        if event.step == 2:
            progress.cancel.cancel("cancelled with Ctrl-C")

    progress.on_event = stop_after_two
    with pytest.raises(Cancelled, match=r"cancelled with Ctrl-C while checking its items \(2 of 5 checked\)"):
        run_batch(_manifest(5), base_dir=tmp_path, progress=progress)
    assert not (tmp_path / "outputs").exists()  # nothing was made, not even a summary


def test_an_output_folder_that_cannot_be_written_is_said_before_any_item_is_checked(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file where the outputs' folder should be")
    events: list[ProgressEvent] = []
    manifest = Manifest.model_validate({"defaults": {"output_dir": "taken/out"}, "items": [{"output": "a"}]})
    with pytest.raises(InvalidRequest):
        run_batch(manifest, base_dir=tmp_path, progress=Progress(on_event=events.append))
    assert events == []  # no item was checked first


def test_a_bug_planning_one_item_fails_that_item_not_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelgen.core.batch import plan as plan_module

    real = plan_module._plan

    def broken_for_s0(manifest, item, where, base_dir, out, planned):  # type: ignore[no-untyped-def]
        if item.output == "s0":
            raise ValueError("array too small")
        return real(manifest, item, where, base_dir, out, planned)

    monkeypatch.setattr(plan_module, "_plan", broken_for_s0)
    plan = plan_batch(_manifest(2), tmp_path)
    assert plan[0].error is not None and plan[0].error["code"] == "internal_error"
    assert "items[0] (s0): internal error (ValueError: array too small)" in plan[0].error["message"]
    assert plan[1].error is not None and plan[1].error["code"] != "internal_error"  # planned as usual
