"""``reelgen remix ID PROMPT --seed -1`` was told "leave --seed out for a random one" (a create's words); a
remix with no --seed keeps the remixed video's seed, so it now says that, before asking the server."""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app as cli_app

VIDEO = "video_" + "0" * 32


def test_a_negative_remix_seed_is_told_a_left_out_seed_keeps_the_remixed_videos() -> None:
    # No server at this port: the command says it before asking one.
    out = CliRunner().invoke(
        cli_app,
        ["remix", VIDEO, "the fox at dawn", "--seed", "-1", "--server", "http://127.0.0.1:9"],
        env={"REELGEN_API_KEY": None},
    )
    assert out.exit_code == 2, out.output
    said = " ".join(out.stderr.split())
    assert "-1 does not mean random here" in said
    assert "leave --seed out to keep the remixed video's seed" in said
    assert "random one" not in said and "cannot reach" not in said
