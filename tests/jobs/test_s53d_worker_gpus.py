"""``reelgen worker --num-gpus N`` on a machine with fewer CUDA GPUs is refused before it joins.

Ray takes the number on trust: ``reelgen worker --num-gpus 1`` on a machine with
no GPU joined offering one, the API started a GPU worker there, and its jobs ran
on the CPU (``/v1/system``: "gpus": 1, "device": "cpu"), seen by hand against a
local ``ray start --head``.
"""

from __future__ import annotations

import pytest
import torch
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli import serve as serve_cli
from reelgen.jobs import cluster

runner = CliRunner()


@pytest.fixture
def joins(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The nodes ``reelgen worker`` starts, against a head taken as reachable; no Ray runs."""
    monkeypatch.setattr(serve_cli, "head_problem", lambda address, named: None)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    started: list[str] = []
    monkeypatch.setattr(cluster, "run_worker_node", lambda address, gpus: started.append(address) or 0)
    return started


def _gpus_here(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: count > 0)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: count)


@pytest.mark.parametrize(
    ("here", "asked", "said"),
    [
        (
            0,
            "1",
            "error: --num-gpus 1: this machine has no CUDA GPU, so the jobs sent to those GPUs would run "
            "on its CPU; give --num-gpus 0, or leave it out",
        ),
        (2, "4", "error: --num-gpus 4: this machine has 2 CUDA GPU(s); give --num-gpus 2 or fewer"),
    ],
)
def test_gpus_this_machine_does_not_have_are_refused(
    joins: list[str], monkeypatch: pytest.MonkeyPatch, here: int, asked: str, said: str
) -> None:
    _gpus_here(monkeypatch, here)
    result = runner.invoke(app, ["worker", "--address", "10.0.0.5:6380", "--num-gpus", asked])
    assert result.exit_code == 2, result.output
    assert " ".join(result.output.split()) == said
    assert joins == []


@pytest.mark.parametrize(("here", "asked"), [(2, "2"), (2, "1"), (0, "0")])
def test_gpus_it_has_are_offered(
    joins: list[str], monkeypatch: pytest.MonkeyPatch, here: int, asked: str
) -> None:
    _gpus_here(monkeypatch, here)
    result = runner.invoke(app, ["worker", "--address", "10.0.0.5:6380", "--num-gpus", asked])
    assert result.exit_code == 0, result.output
    assert joins == ["10.0.0.5:6380"]
