"""core.flock: a lock file removed as its holder lets go, so none piles up, and two takers racing that
removal never both hold the lock; the waiting take (``hold_flock``) the project's state and a folder's
server ids use."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from reelgen.core import flock
from reelgen.core.flock import LockHeld, hold_flock, let_go, try_flock


def test_let_go_removes_the_file_and_frees_the_name(tmp_path: Path) -> None:
    path = tmp_path / "k.lock"
    let_go(path, try_flock(path))
    assert not path.exists()  # one per scene key rendered piled up in .reelgen/locks
    let_go(path, try_flock(path))  # taken again at once, and gone again
    assert list(tmp_path.iterdir()) == []


def test_a_taker_that_opened_the_file_as_its_holder_removed_it_does_not_hold_it_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """B opens the lock file; A lets go (removing it, as a batch does); C makes a new one and takes it;
    B then gets the lock of the removed file. B was let through: B and C both held "the" lock."""
    path = tmp_path / "k.lock"
    holder = try_flock(path)  # A
    taken: list[int] = []
    real_open = os.open

    def opened(*args: object, **kwargs: object) -> int:
        fd = real_open(*args, **kwargs)  # type: ignore[arg-type]
        if not taken:
            taken.append(-1)
            path.unlink()  # A lets go as B opens: removed while still held, then closed
            os.close(holder)
            taken.append(try_flock(path))  # C comes and takes the name
        return fd

    monkeypatch.setattr(flock.os, "open", opened)
    with pytest.raises(LockHeld):
        os.close(try_flock(path))  # B
    monkeypatch.undo()
    let_go(path, taken[1])
    os.close(try_flock(path))  # C gone: B's next try takes it


def test_hold_flock_waits_says_so_once_and_holds_the_file_the_name_has(tmp_path: Path) -> None:
    path = tmp_path / "state.lock"
    holder = try_flock(path)
    waits: list[str] = []
    got: list[int] = []
    asked = threading.Event()

    def wait() -> None:
        waits.append("waiting")
        asked.set()

    taker = threading.Thread(target=lambda: got.append(hold_flock(path, wait)))
    taker.start()
    assert asked.wait(5)
    taker.join(0.2)
    assert taker.is_alive() and not got  # it waits while the lock is held
    let_go(path, holder)  # removed as it goes: the waiter takes a new file of that name
    taker.join(5)
    assert waits == ["waiting"] and len(got) == 1
    assert os.path.samestat(os.fstat(got[0]), os.stat(path))
    with pytest.raises(LockHeld):
        try_flock(path)
    os.close(got[0])
