"""Project files with a field left empty by hand: a key with nothing under it, a `-` alone, a blank file name."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder, status

SCENE = "  - {id: a, prompt: a red circle, duration: 1.0}\n"

EMPTY = [
    (
        f"title: x\nexport:\n  # container: mp4\nscenes:\n{SCENE}",
        "export",
        "export: is empty; give its fields on the lines below it, indented (key: value), or delete the line",
    ),
    (
        f"title: x\ndefaults:\nscenes:\n{SCENE}",
        "defaults",
        "defaults: is empty; give its fields on the lines below it, indented (key: value), or delete the line",
    ),
    (
        "title: x\nscenes:\n  -\n",
        "scenes[0]",
        "scene 'scene-1' (scenes[0]): is empty (a '-' with nothing after it); give the scene's fields "
        "(prompt:, duration: ...) or delete the '-'",
    ),
    (
        f"title: x\nscenes:\n{SCENE}  - id: b\n    duration: 1\n    transition:\n",
        "scenes[1].transition",
        "scene 'b' (scenes[1]): transition: is empty; give its fields on the lines below it, indented "
        "(key: value), or delete the line",
    ),
    (
        f"title: x\ndefaults:\n  enhance:\n    -\nscenes:\n{SCENE}",
        "defaults.enhance[0]",
        "defaults.enhance[0]: is empty (a '-' with nothing after it); give its fields or delete the '-'",
    ),
    (
        "title: x\nscenes:\n  - id: t\n    title_card:\n    duration: 1\n",
        "scenes[0].title_card",
        "scene 't' (scenes[0]): title_card is empty; give its text on a line below it, indented (text: ...)",
    ),
    (
        f'title: x\nsoundtrack: {{file: ""}}\nscenes:\n{SCENE}',
        "soundtrack.file",
        "soundtrack.file: an empty name; give a file, or leave it out",
    ),
    (
        f'title: x\nexport: {{lut: ""}}\nscenes:\n{SCENE}',
        "export.lut",
        "export.lut: an empty name; give a file, or leave it out",
    ),
    (
        f'title: x\nexport: {{watermark: {{image: " "}}}}\nscenes:\n{SCENE}',
        "export.watermark.image",
        "export.watermark.image: an empty name; give a file, or leave it out",
    ),
    (
        f'title: x\nexport: {{texts: [{{text: hi, end: 1, font: ""}}]}}\nscenes:\n{SCENE}',
        "export.texts[0].font",
        "export.texts[0].font: an empty name; give a file, or leave it out",
    ),
    (
        'title: x\nscenes:\n  - {id: t, title_card: {text: hi, font: ""}, duration: 1}\n',
        "scenes[0].title_card.font",
        "scene 't' (scenes[0]): title_card.font: an empty name; give a file, or leave it out",
    ),
    (
        f"title: x\nscenes:\n  - {{id: a, prompt: x, duration: 1, transition: fade}}\n{SCENE}",
        "scenes[0].transition",
        "scene 'a' (scenes[0]): transition: should be a mapping of fields (key: value), not 'fade'; write it "
        "as {type: fade, duration: 0.5}",
    ),
    (f'title: ""\nscenes:\n{SCENE}', "title", "title: is empty; give at least one letter"),
    (f'title: "  "\nscenes:\n{SCENE}', "title", "title: is only spaces; give the film's title"),
    (
        f'title: x\ndefaults: {{model: ""}}\nscenes:\n{SCENE}',
        "defaults.model",
        "defaults.model: is empty; give at least one letter, or leave it out",
    ),
    (
        'title: x\nscenes:\n  - {id: a, prompt: x, model: "", duration: 1}\n',
        "scenes[0].model",
        "scene 'a' (scenes[0]): model is empty; give a model (`reelgen models` lists them), or leave it out "
        "to use defaults.model",
    ),
]


@pytest.mark.parametrize(("text", "param", "message"), EMPTY, ids=[e[1] for e in EMPTY])
def test_a_field_left_empty_is_said_to_be_empty(text: str, param: str, message: str, tmp_path: Path) -> None:
    """Said as YAML shows it (not Python's "not None", nor ". is a folder"), and never dropped unsaid."""
    (tmp_path / "project.yaml").write_text(text)
    with pytest.raises(InvalidRequest) as err:
        status(ProjectFolder.find(tmp_path))
    assert (err.value.param, err.value.message) == (param, message)
