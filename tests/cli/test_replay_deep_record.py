"""Records edited by hand: nested past what the parser follows, or holding what generate refuses."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_sidecar_nested_too_deep_is_said_to_be_no_record(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)  # it was "internal error (RecursionError ...)", exit 1
    result = runner.invoke(app, ["replay", str(deep)])
    assert result.exit_code == 2, result.output
    assert " ".join(result.stderr.split()) == f"error: {deep} is not a reelgen sidecar (invalid JSON)"


def test_a_record_whose_prompt_was_given_a_nul_is_refused_as_generate_refuses_it(tmp_path: Path) -> None:
    """It replayed, though generate refuses such a prompt (no database stores one, no model needs one)."""
    import json

    made = tmp_path / "a.mp4"
    args = ["generate", "a fox", "-m", "ltx-tiny", "--frames", "9", "--width", "64", "--height", "64"]
    assert runner.invoke(app, [*args, "--steps", "1", "-q", "-o", str(made)]).exit_code == 0
    sidecar = made.with_suffix(".json")
    record = json.loads(sidecar.read_text())
    record["request"]["prompt"] = "a fox\u0000 in snow"
    sidecar.write_text(json.dumps(record))
    result = runner.invoke(app, ["replay", str(sidecar), "-o", str(tmp_path / "b.mp4")])
    assert result.exit_code == 2, result.output
    assert (
        result.stderr.strip()
        == "error: prompt holds a NUL character (\\0), which no file name or text may hold"
    )
    assert not (tmp_path / "b.mp4").exists()
