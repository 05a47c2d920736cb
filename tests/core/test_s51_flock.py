"""core.flock.try_flock: the one lock helper batch, project and the API's folder check share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reelgen.core.flock import LockHeld, say_holder, try_flock


def test_a_second_take_is_told_who_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    fd = try_flock(path)
    try:
        say_holder(fd, "shots.json")
        with pytest.raises(LockHeld) as held:
            try_flock(path)
        assert held.value.holder.startswith(f"shots.json, process {os.getpid()} on ")
        with pytest.raises(LockHeld):
            try_flock(path, shared=True, create=False)  # a check is refused too
    finally:
        os.close(fd)
    os.close(try_flock(path))  # closed: free again


def test_shared_checks_do_not_refuse_each_other_and_make_nothing(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    with pytest.raises(FileNotFoundError):
        try_flock(path, shared=True, create=False)
    assert not path.exists()
    path.write_text("not a record")
    first = try_flock(path, shared=True, create=False)
    second = try_flock(path, shared=True, create=False)
    try:
        with pytest.raises(LockHeld) as held:
            try_flock(path)
        assert held.value.holder == "a process of this or another machine"
    finally:
        os.close(first)
        os.close(second)
