"""README's sentence on -o's containers names every command whose -o writes them (animate, avatar and
replay were left out, as if only generate, enhance and project export could write a .mkv)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from reelgen.cli import app

README = Path(__file__).resolve().parents[2] / "README.md"


def _commands(group: Any, prefix: str = "") -> dict[str, Any]:
    """Every command under ``group`` by its words (``project export``); typer runs its own copy of click."""
    out: dict[str, Any] = {}
    context = type(group).context_class(group)
    for name in group.list_commands(context):  # a group may make its commands only when asked
        command = group.get_command(context, name)
        assert command is not None
        if hasattr(command, "list_commands"):
            out |= _commands(command, f"{prefix}{name} ")
        else:
            out[f"{prefix}{name}"] = command
    return out


def test_the_readme_names_every_command_whose_output_writes_mov_mkv_and_webm() -> None:
    commands = _commands(typer.main.get_command(app))
    outputs = {name: p for name, c in commands.items() for p in c.params if "--output" in p.opts}
    # project export's -o help says "Output file" (its container follows the name); the others list them.
    writers = {name for name, param in outputs.items() if ".mkv" in (getattr(param, "help", "") or "")}
    text = " ".join(README.read_text().split())
    sentence = re.search(r"`-o` \(on (.*?)\) writes `\.mp4`, `\.mov`, `\.mkv`", text)
    assert sentence, "README no longer says which commands' -o writes .mp4, .mov and .mkv"
    named = set(re.findall(r"`([a-z][a-z ]*)`", sentence[1]))
    assert writers <= named, f"README leaves out {sorted(writers - named)}"
    assert named <= set(outputs), f"README names {sorted(named - set(outputs))}, which have no -o"
