"""README.md and docs/*.md read as a new user reads them: the names and lines they quote are the code's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout import load_prompts
from reelgen.core.spec import registry

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def doc(name: str) -> str:
    return " ".join((ROOT / name).read_text(encoding="utf-8").split())


def test_micro_doc_names_the_runner_class_and_module_that_load_the_model() -> None:
    # It named a `MicroBackend.load` that no module defines, so a reader looked for it in vain.
    spec, _ = registry.resolve("reelgen-micro")
    module, cls = spec.runner.split(":")
    text = doc("docs/micro.md")
    assert f"`{cls}`" in text
    assert f"`{module.removeprefix('reelgen.').replace('.', '/')}.py`" in text.replace("`reelgen/", "`")


@pytest.mark.parametrize("args", [["--height", "500"], ["--frames", "80"]])
def test_the_size_errors_readme_quotes_are_the_lines_generate_prints(args: list[str]) -> None:
    # README quoted "80 frames is not 8k+1 ..." where the command prints "--frames: 80 frames ...".
    quoted = re.findall(r"`(--[a-z]+:? \d+ [^`]*nearest valid[^`]*)`", doc("README.md"))
    line = next(q for q in quoted if q.startswith(args[0]))
    result = runner.invoke(app, ["generate", "x", "-m", "ltx-tiny", *args, "-q"])
    assert result.exit_code == 2
    assert f"error: {line}" in result.output.splitlines()


def test_the_prompt_id_rule_shootout_doc_gives_is_the_one_enforced(tmp_path: Path) -> None:
    # The doc left out that an id must start with a letter or digit, so "-take" looked valid.
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts:\n  - id: -take\n    prompt: a fox\n")
    with pytest.raises(InvalidRequest, match="starting with a letter or digit"):
        load_prompts(path)
    assert "`_` and `-`, starting with a letter or digit" in doc("docs/shootout.md")


def test_the_avatar_text_length_refusal_is_in_the_doc_as_printed(tmp_path: Path) -> None:
    # 5,001 characters were refused in a line the errors table did not list.
    row = re.search(r"\| text over 5,000 characters \| `([^`]*)` \|", doc("docs/avatars.md"))
    assert row is not None
    result = runner.invoke(
        app,
        [
            "avatar",
            "--image",
            str(tmp_path / "face.png"),
            "--text",
            "a" * 5001,
            "-o",
            str(tmp_path / "t.mp4"),
        ],
    )
    assert result.exit_code == 2
    assert f"error: {row.group(1)}" in result.output.splitlines()


def test_the_family_guide_shows_the_import_kandinskys_init_holds() -> None:
    # The table showed a relative import (from .presets) that no module of reelgen uses.
    cell = re.search(r"\| `__init__.py` \| `([^`]*)` \|", doc("docs/adding-a-family.md"))
    assert cell is not None
    init = ROOT / "src/reelgen/core/backends/kandinsky5/__init__.py"
    assert cell.group(1) in init.read_text(encoding="utf-8").splitlines()


def test_readmes_single_file_example_says_where_its_other_parts_come_from(tmp_path: Path) -> None:
    # README showed --weights FILE.safetensors alone; the file holds the transformer only, and the run
    # is refused for the text encoder and VAE that `reelgen pull` fetches.
    from reelgen.core.backends.plumbing import single_file_transformer
    from reelgen.core.weights import WeightSource

    _, preset = registry.resolve("ltx-2b")
    source = WeightSource("single_file", tmp_path / "ltx-2b-0.9.5.safetensors", preset.repo_id)
    with pytest.raises(InvalidRequest) as err:
        single_file_transformer(object, source, preset, None)
    assert "needs the rest of ltx-2b (text encoder, VAE" in err.value.message
    line = next(
        ln for ln in (ROOT / "README.md").read_text().splitlines() if "ltx-2b-0.9.5.safetensors" in ln
    )
    assert "text encoder and VAE from `reelgen pull ltx-2b`" in line
