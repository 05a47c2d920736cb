"""core.atomic.staged: files that replace their destinations together, or leave them as they were."""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reelgen.core import atomic
from reelgen.core.atomic import staged
from reelgen.core.errors import WriteFailed


def pair(tmp_path: Path) -> tuple[Path, Path]:
    video, record = tmp_path / "fox.mp4", tmp_path / "fox.json"
    video.write_text("old video")
    record.write_text("old record")
    return video, record


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """Ctrl-C's handler as a command typed in a terminal has it (KeyboardInterrupt). A suite started as a
    script's background job (``cmd &``) inherits SIGINT ignored, as shells start such jobs, and an ignored
    Ctrl-C raises nothing: both tests failed "DID NOT RAISE" in every full run so started."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def test_ctrl_c_between_the_renames_waits_until_both_files_are_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ctrl_c_raises: None
) -> None:
    video, record = pair(tmp_path)
    real = os.replace

    def replace_then_ctrl_c(src: Any, dst: Any) -> None:
        real(src, dst)
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C lands just after the video is renamed

    monkeypatch.setattr(atomic.os, "replace", replace_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt), staged(video, record) as (new_video, new_record):
        new_video.write_text("new video")
        new_record.write_text("new record")
    # Not the new video beside the old one's record: the pair is replaced whole, then Ctrl-C is raised.
    assert (video.read_text(), record.read_text()) == ("new video", "new record")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fox.json", "fox.mp4"]


def test_a_kill_that_comes_with_a_ctrl_c_between_the_renames_is_acted_on_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ctrl_c_raises: None
) -> None:
    video, record = pair(tmp_path)
    real = os.replace
    killed: list[int] = []

    def replace_then_both(src: Any, dst: Any) -> None:
        real(src, dst)
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGTERM)  # `timeout` or systemd stopping the run at the same moment

    monkeypatch.setattr(atomic.os, "replace", replace_then_both)
    before = signal.signal(signal.SIGTERM, lambda signum, frame: killed.append(signum))
    try:
        with pytest.raises(KeyboardInterrupt), staged(video, record) as (new_video, new_record):
            new_video.write_text("new video")
            new_record.write_text("new record")
    finally:
        signal.signal(signal.SIGTERM, before)
    # Only the first signal was acted on: the kill was lost, and the run went on past it.
    assert killed == [signal.SIGTERM]
    assert (video.read_text(), record.read_text()) == ("new video", "new record")


def test_an_input_that_cannot_be_read_is_not_called_a_write_failure(tmp_path: Path) -> None:
    video, record = pair(tmp_path)
    with pytest.raises(FileNotFoundError), staged(video) as (new_video,):
        new_video.write_text("half")
        (tmp_path / "missing.png").read_bytes()  # the frames' source, not the file being written
    assert video.read_text() == "old video" and sorted(p.name for p in tmp_path.iterdir()) == [
        "fox.json",
        "fox.mp4",
    ]


def test_a_full_disk_found_only_when_the_file_is_synced_leaves_the_earlier_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Filesystems that allocate late (ext4, XFS) may report a full disk at fsync, not at write.
    video, record = pair(tmp_path)

    def late(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", late)
    with (
        pytest.raises(
            WriteFailed, match="no space left on the device writing .*fox.mp4; fox.mp4 is as it was"
        ),
        staged(video, record) as (new_video, new_record),
    ):
        new_video.write_text("new video")
        new_record.write_text("new record")
    assert (video.read_text(), record.read_text()) == ("old video", "old record")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fox.json", "fox.mp4"]


def test_the_folder_is_synced_after_the_rename_so_the_new_name_survives_a_power_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    video, record = tmp_path / "clip.mp4", tmp_path / "clip.json"
    with staged(video, record) as (v, r):
        v.write_bytes(b"video")
        r.write_text("{}")
    assert video.read_bytes() == b"video" and record.read_text() == "{}"
    # Each file's bytes first, then the folder holding both names, once, after the renames.
    assert synced[-1] == str(tmp_path) and synced.count(str(tmp_path)) == 1
    assert len(synced) == 3 and all(Path(s).parent == tmp_path for s in synced[:2])


def test_a_hidden_file_a_killed_write_left_is_swept_by_the_next_write_to_that_name(tmp_path: Path) -> None:
    import time

    video = tmp_path / "clip.mp4"
    killed = tmp_path / ".clip-0123456789ab.mp4"  # what a SIGKILL mid-encode left, hours ago
    killed.write_bytes(b"half a video")
    hours_ago = time.time() - 3 * 3600
    os.utime(killed, (hours_ago, hours_ago))
    live = tmp_path / ".clip-ba9876543210.mp4"  # another write going on now: not touched
    live.write_bytes(b"being written")
    other = tmp_path / ".take-0123456789ab.mp4"  # another name's: not this write's to judge
    other.write_bytes(b"x")
    os.utime(other, (hours_ago, hours_ago))
    with staged(video) as (tmp,):
        tmp.write_bytes(b"video")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["clip.mp4", live.name, other.name])


def test_folders_made_for_a_write_that_failed_are_taken_back(tmp_path: Path) -> None:
    """generate -o new/dir/c.mp4 on a full disk left the empty new/dir behind."""
    (tmp_path / "kept").mkdir()
    for target in (tmp_path / "new" / "dir" / "c.mp4", tmp_path / "kept" / "new" / "c.mp4"):
        with pytest.raises(WriteFailed), staged(target, target.with_suffix(".json")) as (video, record):
            video.write_bytes(b"part of a video")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept"]
    assert list((tmp_path / "kept").iterdir()) == []  # there before: kept, and only what was made went
    with staged(tmp_path / "new" / "dir" / "c.mp4") as (video,):
        video.write_bytes(b"a video")
    assert (tmp_path / "new" / "dir" / "c.mp4").read_bytes() == b"a video"
