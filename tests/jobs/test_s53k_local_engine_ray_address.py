"""REELGEN_ENGINE=local beside a RAY_ADDRESS: the address was ignored without a word, so a person
believed the cluster's GPUs took the jobs while this machine ran them; serve now says so at start."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


def _serve_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> str:
    # The app's import fails: serve stops right after its start-up checks and warnings.
    monkeypatch.setitem(sys.modules, "reelgen.api.app", None)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    monkeypatch.delenv("REELGEN_RAY_ADDRESS", raising=False)
    result = CliRunner().invoke(app, ["serve"], env={"REELGEN_HOME": str(tmp_path / "home"), **env})
    return " ".join(result.output.split())


def test_a_ray_address_beside_the_local_engine_is_named_with_what_happens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = _serve_said(tmp_path, monkeypatch, {"RAY_ADDRESS": "10.0.0.5:6380", "REELGEN_ENGINE": "local"})
    assert said == (
        "warning: RAY_ADDRESS=10.0.0.5:6380 is not used: REELGEN_ENGINE=local runs the workers on this "
        "machine, not on that Ray cluster; unset RAY_ADDRESS to run here without this warning, or drop "
        "REELGEN_ENGINE=local to join the cluster"
    )


def test_the_local_engine_without_an_address_says_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _serve_said(tmp_path, monkeypatch, {"REELGEN_ENGINE": "local"}) == ""
