"""`reelgen info` on a data or cache folder that cannot be written: marked, not listed as if it were fine."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from reelgen.cli import catalog


def _refuse_writes(monkeypatch: pytest.MonkeyPatch, under: Path) -> None:
    """Writes into ``under`` fail as on a read-only mount (root ignores a folder's mode bits)."""
    real = tempfile.TemporaryFile

    def temporary(*args: object, dir: str | Path | None = None, **kwargs: object) -> object:
        if dir is not None and Path(dir).is_relative_to(under):
            raise PermissionError(13, "Permission denied")
        return real(*args, dir=dir, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(tempfile, "TemporaryFile", temporary)


def test_a_folder_that_cannot_be_made_is_marked_unusable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # REELGEN_HOME=/proc/nope (or under a read-only mount): every run failed, and info listed it as fine.
    _refuse_writes(monkeypatch, tmp_path)
    said = catalog._folder_said(tmp_path / "home")
    assert said == f"{tmp_path / 'home'} (unusable: cannot write into {tmp_path} (Permission denied))"


def test_an_existing_read_only_folder_is_marked_read_only_not_unusable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A shared read-only cache of pulled weights still loads; only pulls into it fail.
    _refuse_writes(monkeypatch, tmp_path)
    said = catalog._folder_said(tmp_path)
    assert said == (
        f"{tmp_path} (read-only: cannot write into {tmp_path} (Permission denied); "
        "nothing can be pulled or written there)"
    )


def test_a_writable_folder_is_named_alone_and_nothing_is_left_in_it(tmp_path: Path) -> None:
    assert catalog._folder_said(tmp_path / "new" / "home") == str(tmp_path / "new" / "home")
    assert list(tmp_path.iterdir()) == []
