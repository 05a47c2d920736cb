"""A batch summary whose model time ran on no GPU says why its cost is 0.

"model time 32.6 s" beside "estimated cost 0.0000 USD at 2 USD per GPU-hour" read as a wrong sum.
"""

from __future__ import annotations

from reelgen.core.batch.summary import ItemOutcome, summarize

NOTE = "(no GPU time: renders on a CPU and Ken Burns clips are not priced)"


def _cost_line(device: str) -> str:
    done = ItemOutcome(output="a", status="done", video="/o/a.mp4", render_s=32.6, device=device)
    return summarize([done], 33.0, 2.0).lines()[2]


def test_time_on_a_cpu_says_it_is_not_priced() -> None:
    assert _cost_line("cpu") == f"estimated cost 0.0000 USD at 2 USD per GPU-hour {NOTE}"


def test_time_on_a_gpu_is_priced_without_a_note() -> None:
    assert _cost_line("cuda:0") == "estimated cost 0.0181 USD at 2 USD per GPU-hour"
