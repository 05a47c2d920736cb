"""A choice written in other words (position: middle, transition type: crossfade) is told the one meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder

CARDS = "scenes:\n  - {id: a, title_card: {text: A}, duration: 2, transition: {type: TYPE}}\n" + (
    "  - {id: b, title_card: {text: B}, duration: 2}\n"
)


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        (
            "title: T\n"
            + CARDS.replace("TYPE", "fade")
            + "export: {texts: [{text: x, end: 1, position: middle}]}\n",
            "center",
        ),
        ("title: T\n" + CARDS.replace("TYPE", "crossfade"), "dissolve"),
        ("title: T\n" + CARDS.replace("TYPE", "none"), "cut"),
        ("title: T\n" + CARDS.replace("TYPE", "disolve"), "dissolve"),  # a typo, as before
    ],
    ids=["middle", "crossfade", "none", "typo"],
)
def test_a_choice_in_other_words_is_told_the_one_meant(tmp_path: Path, text: str, meant: str) -> None:
    (tmp_path / "project.yaml").write_text(text)
    with pytest.raises(InvalidRequest) as err:
        ProjectFolder.find(tmp_path).load()
    assert err.value.message.endswith(f"; did you mean {meant}?")


def test_a_word_meaning_no_choice_gets_none(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text("title: T\n" + CARDS.replace("TYPE", "sideways"))
    with pytest.raises(InvalidRequest) as err:
        ProjectFolder.find(tmp_path).load()
    assert "did you mean" not in err.value.message
