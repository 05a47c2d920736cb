"""Storyboard exports refuse what cannot be shown with advice a person can follow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app as cli_app
from reelgen.core.errors import InvalidRequest
from reelgen.core.export import text
from reelgen.core.export.settings import ExportSettings, TitleCard
from reelgen.core.project.export import export_settings


def test_a_transition_no_rate_can_show_asks_for_a_longer_one_not_an_impossible_rate(tmp_path: Path) -> None:
    # 0.001 s asked for "a rate of at least 1e+03 fps", and the export takes 240 fps at most.
    (tmp_path / "project.yaml").write_text(
        "title: cards\nscenes:\n"
        "  - {id: one, title_card: {text: One}, duration: 1, transition: {type: dissolve, duration: 0.001}}\n"
        "  - {id: two, title_card: {text: Two}, duration: 1}\n"
    )
    out = CliRunner().invoke(cli_app, ["project", "export", str(tmp_path), "-q"])
    assert out.exit_code == 2, out.output
    said = out.output.strip()
    assert said.startswith(
        "error: scene 'one' (scenes[0]): its dissolve transition lasts 0.001s, shorter than one"
    )
    assert "e+0" not in said and "up to 240 fps" in said
    assert said.endswith(
        "make its transition.duration at least 0.0417s, or the transition a cut (project.yaml line 3)"
    )
    assert not (tmp_path / "exports").exists() or not any((tmp_path / "exports").iterdir())


@pytest.mark.parametrize(
    ("name", "said"),
    [
        (".mp4", "has no name before its extension"),
        (" .mp4", "has no name"),
        ("x\x01.mp4", "holds a control character"),
    ],
)
def test_an_output_name_without_a_visible_name_is_refused(tmp_path: Path, name: str, said: str) -> None:
    # ".mp4" was written as the hidden exports/.mp4.mp4, " .mp4" as a name of one space.
    (tmp_path / "project.yaml").write_text(
        "title: cards\nscenes:\n  - {title_card: {text: One}, duration: 1}\n"
        f"export: {{output: {json.dumps(name)}}}\n"
    )
    out = CliRunner().invoke(cli_app, ["project", "export", str(tmp_path), "-q"])
    assert out.exit_code == 2, out.output
    assert out.output.startswith(f"error: export.output: {name!r} {said}")
    with pytest.raises(InvalidRequest, match=said) as err:
        export_settings(ExportSettings(), {"output": name})
    assert err.value.param == "export_settings.output"


def test_a_letter_no_font_has_is_named_alone_not_with_letters_a_fallback_draws() -> None:
    # "שלום 🎬" was refused as having no glyph for "ש ל ו ם 🎬", though DejaVu Sans draws the Hebrew.
    with pytest.raises(InvalidRequest) as err:
        text.font_for(None, 24, "שלום 🎬", "export.texts[0].text")
    assert "has a glyph for 🎬;" in err.value.message and "ש" not in err.value.message


@pytest.mark.parametrize(
    ("card", "text", "field"),
    [('"a\\u001b[31m"', '"ok"', "title_card.text"), ('"ok"', '"bell\\u0007"', "export.texts[0].text")],
)
def test_a_control_character_in_text_to_draw_is_named_as_one(
    tmp_path: Path, card: str, text: str, field: str
) -> None:
    # ESC was refused as "no glyph for U+001B; give a font that has them": no font has one.
    (tmp_path / "project.yaml").write_text(
        f"title: t\nscenes:\n  - {{title_card: {{text: {card}}}, duration: 1}}\n"
        f"export: {{texts: [{{text: {text}, end: 1}}]}}\n"
    )
    out = CliRunner().invoke(cli_app, ["project", "status", str(tmp_path)])
    assert out.exit_code == 2, out.output
    assert f"{field}: holds the control character U+00" in out.output and "font" not in out.output


def test_line_breaks_and_tabs_stay_allowed_on_a_card() -> None:
    assert TitleCard(text="two\nlines\tand a tab").text == "two\nlines\tand a tab"
