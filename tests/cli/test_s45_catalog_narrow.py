"""`reelgen models` in a 40-column terminal: each model's lines told apart from the next model's."""

from __future__ import annotations

from rich.console import Console

from reelgen.cli.catalog import model_rows
from reelgen.cli.model_list import print_models, rules_text


def test_at_40_columns_only_model_names_begin_at_the_left_edge() -> None:
    """Folded by the terminal, "keyframes, t2v, v2v  (cached: no)" and "rules /32, ..." began lines at
    the left edge as model names do: the listing read as three models where there was one."""
    rows = model_rows()
    narrow = Console(width=40, force_terminal=True, record=True)
    print_models(rows, narrow)
    lines = narrow.export_text().splitlines()
    assert max(len(line) for line in lines) <= 40
    heads = [line for line in lines if not line.startswith(" ")]
    assert [head.split("  ")[0] for head in heads] == [r["model"] for r in rows]
    starts = [i for i, line in enumerate(lines) if not line.startswith(" ")] + [len(lines)]
    for r, start, end in zip(rows, starts, starts[1:], strict=False):
        said = " ".join(" ".join(lines[start:end]).split())  # the model's lines, unfolded
        assert said == (
            f"{r['model']} {r['family']}: {', '.join(r['tasks'])} (cached: {r['cached']}) "
            f"default (WxHxF@fps) {r['default']}; rules {' '.join(rules_text(r['rules']).split())}"
        )
        assert any(line.rstrip().endswith(f"(cached: {r['cached']})") for line in lines[start:end])
