"""The lip-sync training scripts' --help says what each option is, and its default."""

from __future__ import annotations

import argparse
from collections.abc import Callable

import pytest

from reelgen.train import avatar, avatar_latent, avatar_open


def _options(text: str) -> dict[str, str]:
    """Each ``--option`` of a --help page with the words after it (its help, wrapped lines joined)."""
    page = " ".join(text.split("options:", 1)[1].split())
    found: dict[str, str] = {}
    for chunk in page.split(" --")[1:]:
        name, _, rest = chunk.partition(" ")
        found[f"--{name}"] = rest
    return found


@pytest.mark.parametrize(
    ("main", "argv"),
    [
        (avatar.main, ["--help"]),
        (avatar_latent.main, ["--help"]),
        (avatar_open.main, ["train", "--help"]),
        (avatar_open.main, ["prepare", "--help"]),
    ],
)
def test_every_option_has_help_and_its_default(
    main: Callable[[list[str]], None], argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # --data, --out, --seconds, --batch, --lr and --seed were listed bare: not even where --data is read.
    with pytest.raises(SystemExit):
        main(argv)
    options = _options(capsys.readouterr().out)
    assert "--out" in options and "--help" in options
    for name, said in options.items():
        if name == "--help":
            continue
        words = said.split(" ", 1)[1] if said.split(" ", 1)[0].isupper() else said  # past the metavar
        assert words.strip(), f"{name} has no help"
        if name not in ("--vae", "--model", "--resume", "--pool"):  # required, or nothing by default
            assert "(default: " in words, f"{name}: {words}"
    if "--data" in options:
        assert "(default: .avatar_data/train.npz)" in options["--data"]


def test_no_default_is_said_for_a_required_or_unset_option() -> None:
    parser = argparse.ArgumentParser(formatter_class=avatar_latent.WithDefaults)
    parser.add_argument("--vae", required=True, help="a VAE folder")
    parser.add_argument("--pool", default=None, help="a pool file")
    assert "default" not in parser.format_help()
