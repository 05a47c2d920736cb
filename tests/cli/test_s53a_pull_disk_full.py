"""`reelgen pull` onto a full disk: it says which folder's disk is full and how to go on, not just Errno 28."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import weights
from reelgen.core.enhance import weights as enhancer_weights
from reelgen.core.spec.family import Preset

runner = CliRunner()


def full(*args: object) -> Path:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_model_pulled_onto_a_full_disk_names_the_cache_and_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fills_the_disk(preset: Preset) -> Path:
        raise OSError(
            errno.ENOSPC, "No space left on device", str(tmp_path / "hf-cache" / "blobs" / "x.incomplete")
        )

    monkeypatch.setattr(weights, "pull", fills_the_disk)
    result = runner.invoke(app, ["pull", "ltx-2b"])
    assert result.exit_code == 1, result.output
    said = " ".join(result.stderr.split())
    assert said == (
        f"error: could not pull ltx-2b: the disk holding {tmp_path / 'hf-cache'} is full (No space left on "
        "device); free some space there, or set HF_HUB_CACHE to a folder on a disk with room, and run "
        "`reelgen pull ltx-2b` again"
    )


def test_an_enhancers_weights_onto_a_full_disk_name_the_models_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(enhancer_weights, "pull", full)
    result = runner.invoke(app, ["pull", "rife"])
    assert result.exit_code == 1, result.output
    said = " ".join(result.stderr.split())
    assert f"could not pull rife: the disk holding {tmp_path / 'models'} is full" in said
    assert "set REELGEN_MODELS_DIR to a folder on a disk with room" in said
    assert "[Errno 28]" not in said
