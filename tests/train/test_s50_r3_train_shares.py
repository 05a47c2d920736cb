"""The lip-sync training scripts refuse a mouth window below 0, and shares outside 0..1, by name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reelgen.train import avatar_latent, avatar_open
from tests.train.test_s50_train_avatar_bounds import usage_error

LATENT = (avatar_latent.main, ["--vae", "{tmp}"])
OPEN = (avatar_open.main, ["train", "--model", "{tmp}", "--sources", "{tmp}/train.npz"])


@pytest.mark.parametrize(
    ("main", "lead", "option", "value", "bound"),
    [
        (*LATENT, "--window", "-4", "at least 0"),
        (*OPEN, "--window", "-1", "at least 0"),
        (*OPEN, "--warped", "1.5", "at least 0 and at most 1"),
        (*OPEN, "--warped", "-0.1", "at least 0 and at most 1"),
        (*OPEN, "--warped", "nan", "at least 0 and at most 1"),
        (*OPEN, "--smiles", "2", "at least 0 and at most 1"),
        (*OPEN, "--smiles", "-1", "at least 0 and at most 1"),
        (*OPEN, "--identities", "0", "above 0"),
    ],
)
def test_a_value_out_of_bounds_is_a_usage_error_naming_the_option(
    main: Callable[[list[str]], None],
    lead: list[str],
    option: str,
    value: str,
    bound: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # They were plain int and float options: a negative window cut an empty latent square, a share of
    # 1.5 asked for more opened sources than the batch holds, and each was found only once training ran.
    said = usage_error(main, lead, tmp_path, capsys, option, value)
    assert f"argument {option}: '{value}'" in said, said
    assert bound in said, said
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("main", "lead", "option", "value"),
    [
        (*LATENT, "--window", "0"),
        (*OPEN, "--window", "0"),
        (*OPEN, "--warped", "0"),
        (*OPEN, "--warped", "1"),
        (*OPEN, "--smiles", "0"),
        (*OPEN, "--smiles", "1"),
    ],
)
def test_the_ends_of_each_range_are_taken(
    main: Callable[[list[str]], None],
    lead: list[str],
    option: str,
    value: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The window 0 is the whole crop, and a share may be none or all; the run gets as far as its data.
    said = usage_error(main, lead, tmp_path, capsys, option, value)
    assert f"argument {option}" not in said, said
    assert "lacks the arrays" in said, said


@pytest.mark.parametrize("option", ["--tracks", "--faces", "--stride"])
def test_the_evaluation_counts_are_above_0(
    option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reelgen.train import avatar_eval

    with pytest.raises(SystemExit) as exit_:
        avatar_eval.main([str(tmp_path), str(tmp_path), option, "0"])
    assert exit_.value.code == 2
    assert f"argument {option}: '0' must be above 0" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("main", "lead"),
    [
        (LATENT[0], LATENT[1]),
        (OPEN[0], OPEN[1]),
        (OPEN[0], ["prepare"]),
    ],
    ids=["latent", "open-train", "open-prepare"],
)
def test_an_empty_out_is_refused_not_read_as_the_current_folder(
    main: Callable[[list[str]], None], lead: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.format(tmp=tmp_path) for a in lead]
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--out", ""])
    assert exit_.value.code == 2
    assert "argument --out: it is empty; give a file or folder path" in capsys.readouterr().err
