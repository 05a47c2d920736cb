"""bench refuses counts it could not finish, says ranges whole, and completes model names; --family echoes cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.bench import check_variants
from reelgen.core.errors import InvalidRequest


@pytest.mark.parametrize("count", ["100000000", "1001", "-1"])
def test_warmup_steps_out_of_range_is_refused_naming_the_range(count: str) -> None:
    # 100000000 warm-up steps ran for ever: refused before any model loads (ltx-tiny never built here).
    result = CliRunner().invoke(app, ["bench", "-m", "ltx-tiny", "--warmup-steps", count])
    assert result.exit_code == 2, result.output
    last = result.output.strip().splitlines()[-1]
    assert f"--warmup-steps {count}" in last and "from 0 to 1000" in last, result.output


def test_steps_past_the_cap_names_the_whole_range() -> None:
    result = CliRunner().invoke(app, ["bench", "-m", "ltx-tiny", "--steps", "100000000"])
    assert result.exit_code == 2, result.output
    assert "--steps" in result.output and "from 1 to 1000" in result.output, result.output


def _offered(words: str) -> list[str]:
    env = {
        "_REELGEN_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    return CliRunner().invoke(app, [], env=env, prog_name="reelgen").output.split()


def test_bench_completes_text_to_video_model_names() -> None:
    assert _offered("reelgen bench -m ltx-t") == ["ltx-tiny"]
    wan = _offered("reelgen bench --model wan")
    assert "wan-1.3b" in wan and "wan-i2v-480p" not in wan  # bench times t2v only


def test_unknown_variant_is_echoed_cut_short() -> None:
    with pytest.raises(InvalidRequest) as caught:
        check_variants(("x" * 5000,), None)
    assert len(caught.value.message) < 400 and "xxx..." in caught.value.message


def test_unknown_family_is_echoed_cut_short() -> None:
    result = CliRunner().invoke(app, ["models", "--family", "q" * 5000])
    assert result.exit_code == 2, result.output
    assert "q" * 61 not in result.output and "q" * 60 + "..." in result.output, result.output[:300]


def test_unknown_model_to_pull_is_echoed_cut_short() -> None:
    result = CliRunner().invoke(app, ["pull", "z" * 3000])
    assert result.exit_code != 0
    said = " ".join(result.output.split())
    assert "z" * 61 not in said.replace(" ", "") and "unknown model 'zzzz" in said and "...'" in said, said[
        :300
    ]


def test_a_report_that_cannot_be_written_is_still_printed_and_the_old_one_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full disk at the end of a benchmark lost the report (printed only after the write) and
    # could leave --json half-written; the run itself is not what is tested, so it is stood in for.
    import errno

    from reelgen.core import atomic, bench, bench_table

    monkeypatch.setattr(bench, "run", lambda request, options: {"model": request.model, "timed": 1.5})
    monkeypatch.setattr(bench_table, "summary_table", lambda report: "the table")

    def no_room(path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_sync", no_room)
    report = tmp_path / "r.json"
    report.write_text('{"earlier": true}')
    result = CliRunner().invoke(app, ["bench", "-m", "ltx-tiny", "--json", str(report)])
    assert result.exit_code != 0
    assert '"timed": 1.5' in result.stdout and "the table" in result.stderr  # the table on stderr (4de9f8aa)
    said = " ".join(result.output.split())
    assert "no space left on the device" in said and "r.json is as it was" in said, said
    assert report.read_text() == '{"earlier": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_unknown_budget_plan_is_echoed_cut_short() -> None:
    with pytest.raises(InvalidRequest) as caught:
        check_variants(("budget",), 2.0, "p" * 5000)
    assert "p" * 61 not in caught.value.message and "p" * 60 + "..." in caught.value.message
