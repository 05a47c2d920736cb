"""The plan line of a run split over processes names how many and what they share, not just "plan: cpu"."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from reelgen.cli.output import plan_line


def _result(parallel: dict[str, Any] | None) -> Any:
    return SimpleNamespace(
        metadata={
            "memory_plan": {"strategy": "cpu"},
            "request": {"seed": 7},
            **({"parallel": parallel} if parallel else {}),
        },
        video=SimpleNamespace(num_frames=9, width=64, height=64, fps=24.0),
    )


@pytest.mark.parametrize(
    ("parallel", "said"),
    [
        # What core.parallel records (layout.as_dict plus the backend) for `--gpus 2 --device cpu`.
        (
            {"processes": 2, "cfg_parallel": True, "context_parallel": None, "backend": "gloo"},
            "plan: cpu | 2 processes over gloo: guidance halves | seed 7",
        ),
        (
            {
                "processes": 4,
                "cfg_parallel": True,
                "context_parallel": {"ulysses": 2, "ring": 1, "uneven": False},
                "backend": "nccl",
            },
            "plan: cpu | 4 processes over nccl: guidance halves, Ulysses 2 | seed 7",
        ),
        (
            {
                "processes": 2,
                "cfg_parallel": False,
                "context_parallel": {"ulysses": 2, "ring": 1, "uneven": True},
                "backend": "gloo",
            },
            "plan: cpu | 2 processes over gloo: Ulysses 2 | seed 7",
        ),
    ],
)
def test_a_split_run_names_its_processes_and_what_they_share(parallel: dict[str, Any], said: str) -> None:
    # `reelgen generate --gpus 2 --device cpu` printed "plan: cpu | seed 7 | ...", as a one-process run.
    assert plan_line(_result(parallel)).startswith(said)


def test_a_one_process_run_keeps_its_plan_line() -> None:
    assert plan_line(_result(None)) == "plan: cpu | seed 7 | 9 frames 64x64 @ 24.0 fps"
