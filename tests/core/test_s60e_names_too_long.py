"""Names longer than the file system takes, met where reelgen only asks whether a file is there."""

from __future__ import annotations

import errno
import json
from pathlib import Path

from reelgen.core.atomic import write_failed
from reelgen.core.batch.folder_summary import check_summary_ours, named_file, written_by
from reelgen.core.batch.manifest import SUMMARY_FILE, Manifest

LONG = "a" * 300


def test_a_server_batch_named_too_long_for_a_file_came_from_no_file(tmp_path: Path) -> None:
    assert named_file(tmp_path, f"{LONG}.json") is None


def test_a_summary_naming_a_manifest_too_long_for_a_file_was_written_by_none(tmp_path: Path) -> None:
    summary = tmp_path / SUMMARY_FILE
    summary.write_text(json.dumps({"manifest": str(tmp_path / f"{LONG}.json"), "outputs": ["x.mp4"]}))
    assert written_by(summary) is None
    # The check before a batch takes the folder goes on to its own words (the item is shared: ours).
    manifest = Manifest.model_validate({"items": [{"prompt": "a fox", "output": "x"}]})
    check_summary_ours(manifest, tmp_path, manifest_file=tmp_path / "m.json")


def test_a_write_failing_on_a_name_too_long_is_said_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / f"{LONG}.mp4"
    failed = write_failed(OSError(errno.ENAMETOOLONG, "File name too long"), path)
    assert failed.message == f"cannot write {path} (File name too long); no {path.name} was made"
