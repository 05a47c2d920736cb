"""`reelgen pull` of a model already whole in a cache this account cannot write (a shared read-only cache of
pulled weights) says there is nothing to download and prints where it is, exit 0.

It stopped at "set HF_HUB_CACHE to a folder you can write to" (exit 2): `reelgen pull M && reelgen generate
-m M` failed for a model every run could load, and moving the cache would have lost it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app, model_list
from reelgen.core import weights
from reelgen.core.enhance import weights as enhancer_weights
from reelgen.core.spec.family import Preset
from tests.core.test_s53a_copied_weights_whole import model_folder

runner = CliRunner()


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The caches under tmp_path cannot be written (as root, a chmod would not stop a write); no download."""
    pulled: list[str] = []

    def unwritable(folder: Path) -> str:
        return f"cannot write into {folder} (Read-only file system)" if tmp_path in folder.parents else ""

    def pull(preset: Preset) -> Path:
        pulled.append(preset.name)
        raise AssertionError("nothing is downloaded into a read-only cache")

    monkeypatch.setattr(model_list, "unwritable", unwritable)
    monkeypatch.setattr(weights, "pull", pull)
    return pulled


def cached_ltx_2b() -> Path:
    repo = Path(os.environ["HF_HUB_CACHE"]) / "models--Lightricks--LTX-Video-0.9.5"
    snapshot = model_folder(repo / "snapshots" / ("a" * 40))
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("a" * 40)
    return snapshot


def test_a_model_whole_in_a_read_only_cache_needs_no_pull(read_only: list[str]) -> None:
    snapshot = cached_ltx_2b()
    result = runner.invoke(app, ["pull", "ltx-2b"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(snapshot)
    cache = os.environ["HF_HUB_CACHE"]
    assert " ".join(result.stderr.split()) == (
        f"nothing to download for ltx-2b: it is whole in {cache}, which cannot be written here (cannot write "
        f"into {cache} (Read-only file system)), so no newer copy was looked for"
    )
    assert read_only == []


def test_a_model_not_in_a_read_only_cache_is_refused_as_before(read_only: list[str]) -> None:
    result = runner.invoke(app, ["pull", "ltx-2b"])
    assert result.exit_code == 2, result.output
    assert "set HF_HUB_CACHE to a folder you can write to" in " ".join(result.stderr.split())


def test_an_enhancers_weights_whole_in_a_read_only_models_folder_need_no_pull(
    read_only: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "models" / "rife"
    folder.mkdir(parents=True)
    (wanted,) = enhancer_weights.PACKAGED["rife"].files
    with (folder / wanted.name).open("wb") as fh:
        fh.truncate(wanted.size)  # its size, sparse: the hash is the one checked below
    monkeypatch.setattr(enhancer_weights, "sha256", lambda path: wanted.sha256)
    monkeypatch.setattr(enhancer_weights, "pull", lambda name, root=None: pytest.fail("no download"))
    result = runner.invoke(app, ["pull", "rife"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(folder)
    assert "nothing to download for rife: it is whole in" in " ".join(result.stderr.split())
