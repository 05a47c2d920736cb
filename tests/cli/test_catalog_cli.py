"""`reelgen models` and the model `generate` picks by itself, with a download stopped part-way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.auto_model import auto_model
from tests.core.test_weights import ltx_snapshot

runner = CliRunner()


def _cached(model: str) -> str:
    result = runner.invoke(app, ["models", "--family", "ltx", "--json"])
    assert result.exit_code == 0, result.output
    return next(r["cached"] for r in json.loads(result.stdout) if r["model"] == model)


def test_models_says_partial_for_a_half_done_pull_and_auto_does_not_pick_it(tmp_path: Path) -> None:
    ltx_snapshot(tmp_path / "hf-cache", whole=False)
    assert _cached("ltx-2b") == "partial"
    table = runner.invoke(app, ["models", "--family", "ltx"]).stdout
    assert next(line for line in table.splitlines() if "ltx-2b " in line).rstrip(" │").endswith("partial")
    assert auto_model()[0] == "reelgen-micro"


def test_models_says_hf_cache_once_the_pull_is_whole_and_auto_picks_it(tmp_path: Path) -> None:
    ltx_snapshot(tmp_path / "hf-cache", whole=True)
    assert _cached("ltx-2b") == "hf-cache"
    assert auto_model()[0] == "ltx-2b"


@pytest.mark.parametrize(
    ("name", "offered"),
    [
        ("LTX-2B", "did you mean ltx-2b,"),  # as model cards write it
        ("RIFE", "did you mean rife?"),
        ("Lightricks/LTX-Video-0.9.5", "did you mean ltx-2b?"),  # the repo id, as diffusers takes it
    ],
)
def test_pull_of_a_name_in_another_case_or_a_repo_id_offers_the_model_it_means(
    name: str, offered: str
) -> None:
    """Only the list was offered; `generate -m LTX-2B` said "did you mean ltx-2b?" all along."""
    result = runner.invoke(app, ["pull", name])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert (
        said.startswith(f"error: unknown model {name!r}; {offered}") and len(result.output.splitlines()) == 1
    )


def test_the_rules_column_shows_the_sides_a_model_is_bounded_to() -> None:
    """Wan 1.3B read "/16, 4k+1", as if any multiple of 16 went; 1280x720 was then refused as outside 32..832."""
    table = runner.invoke(app, ["models"]).stdout.splitlines()

    def row(model: str) -> str:
        return next(line for line in table if f" {model} " in line)

    assert "/16 32-832, 4k+1 " in row("wan-1.3b") and "/16 32-512, 4k+1, 5 to 129 " in row("reelgen-micro")
    # A least count past the form's own first is said: "4k+1 to 129" read as if 1 frame were valid.
    assert "/16, 4k+1, 17 to 121 " in row("kandinsky5-i2v-tiny") and "any count, from 2 " in row("svd")
    assert "/16 768-1360, 8k+1 to 161 " in row("cogvideox1.5-5b-i2v")
    assert "/32, 8k+1 to 257 " in row("ltx-2b")  # the usual 32-2048 is left unsaid
    refused = runner.invoke(
        app, ["generate", "waves", "-m", "wan-1.3b", "--width", "1280", "--height", "720"]
    )
    assert refused.exit_code == 2 and "outside 32..832" in refused.output


def copied_in_part(tmp_path: Path) -> Path:
    """ltx-2b's diffusers folder copied by hand into the models folder, its VAE's weights left behind."""
    folder = tmp_path / "models" / "ltx-2b"
    (folder / "vae").mkdir(parents=True)
    (folder / "vae" / "config.json").write_text("{}")
    (folder / "model_index.json").write_text(json.dumps({"vae": ["diffusers", "AutoencoderKLLTXVideo"]}))
    return folder


def test_models_says_under_the_list_what_a_partial_model_lacks_and_how_to_finish_it(tmp_path: Path) -> None:
    """The list said `partial` and its help "pull it again", which does nothing for a folder copied by hand."""
    folder = copied_in_part(tmp_path)
    result = runner.invoke(app, ["models", "--family", "ltx"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert (
        f"partial: model 'ltx-2b' is only partly copied into {folder} (missing: vae weights); copy the rest "
        f"of {folder} from where it came" in said
    )
    assert "partial:" not in result.stdout  # the listing itself stays one line a model
    listed = json.loads(runner.invoke(app, ["models", "--family", "ltx", "--json"]).stdout)
    assert next(r for r in listed if r["model"] == "ltx-2b")["advice"].startswith(
        "model 'ltx-2b' is only partly"
    )


def test_pull_says_when_a_part_copy_in_the_models_folder_still_stands_before_the_pulled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pull worked, and generate went on refusing the model as partly copied, without a word why."""
    from reelgen.core import weights

    folder = copied_in_part(tmp_path)
    pulled = ltx_snapshot(tmp_path / "hf-cache", whole=True)
    monkeypatch.setattr(weights, "pull", lambda preset: pulled)
    result = runner.invoke(app, ["pull", "ltx-2b"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert (
        f"warning: it is not used yet: model 'ltx-2b' is only partly copied into {folder} (missing: vae "
        f"weights); copy the rest of {folder} from where it came, or remove that folder to use the whole "
        "copy in the Hugging Face cache" in said
    )
    (folder / "model_index.json").unlink()
    again = runner.invoke(app, ["pull", "ltx-2b"])
    assert again.exit_code == 0 and "warning" not in again.output


def test_pull_help_says_where_models_go_and_what_to_do_without_network() -> None:
    said = " ".join(runner.invoke(app, ["pull", "--help"]).output.replace("│", " ").split())
    assert "a pull stopped part-way is finished by running it again" in said
    assert "Without network, copy a model's diffusers folder to $REELGEN_MODELS_DIR/MODEL instead" in said
