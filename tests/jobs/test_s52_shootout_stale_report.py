"""A shoot-out run on a server into a folder holding an earlier report removes that report as its trials start.

Its clips replace the earlier run's one by one; stopped part way, it left the old report.html and
results.json telling the old clips' seeds and scores beside new clips of the same names.
"""

from __future__ import annotations

from pathlib import Path

from reelgen.jobs.parents import ParentDriver
from reelgen.jobs.store import JobStore
from tests.jobs.test_s50_jobs2_shootout_cancel import _queued_shootout


def test_an_earlier_report_is_removed_when_the_first_trial_starts(
    tmp_path: Path, jobtest_family: None
) -> None:
    out = tmp_path / "compare"
    out.mkdir()
    for name in ("report.html", "results.json"):
        (out / name).write_text("the earlier run's")
    (out / "notes.txt").write_text("mine")
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    try:
        parent_id = _queued_shootout(store, out, ["a fox", "a cat"])
        ParentDriver(store, cancel_job=store.cancel, wake=lambda: None).advance(parent_id)
        assert len(store.children(parent_id)) == 1  # the first trial is queued
    finally:
        store.close()
    # .reelgen holds the running shoot-out's lock on the folder (gone as it ends).
    assert sorted(p.name for p in out.iterdir() if p.name != ".reelgen") == ["notes.txt"]
