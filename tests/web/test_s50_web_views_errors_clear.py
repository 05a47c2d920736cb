"""In the Batches, Shoot-outs and Projects forms a field's error stayed after the field changed: a new
manifest or project file loaded, a folder retyped, a model ticked, and the old refusal still stood
under it, about a value no longer there. The Create form takes it away; these now do too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab
from tests.web.forms import unfold


def test_a_fields_error_goes_once_the_field_changes(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path
) -> None:
    t = tab()
    page = t.open(quiet_server.url + "/#batches")
    start = page.get_by_role("button", name="Start batch")
    start.click()
    manifest_err = page.locator("#bf-manifest-err")
    expect(manifest_err).to_have_text("Choose the manifest file, or paste it in the box.")
    page.fill("#bf-manifest", '{"items": [{"output": "a"}]}')
    expect(manifest_err).to_be_hidden()
    start.click()
    folder_err = page.locator("#bf-input_folder-err")
    expect(folder_err).to_have_text("Give the folder on the server that the manifest's paths start from.")
    page.locator("#bf-input_folder").press_sequentially("/srv")
    expect(folder_err).to_be_hidden()

    page.goto(quiet_server.url + "/#shootouts")
    page.get_by_role("button", name="Start shoot-out").click()
    models_err = page.locator("#sf-models-err")
    expect(models_err).to_have_text("Tick at least one model.")
    page.check('input[name="so-model"][value="reelgen-micro"]')
    expect(models_err).to_be_hidden()

    page.goto(quiet_server.url + "/#projects")
    expect(page.locator("#projects-status")).not_to_have_text("Loading projects…")
    unfold(page, "#project-new")  # open by itself only while there are none
    page.get_by_role("button", name="Create project").click()
    box_err = page.locator("#pn-project-err")
    expect(box_err).to_have_text("Choose the project file, or write it in the box.")
    good = tmp_path / "project.yaml"
    good.write_text("title: a film\nscenes:\n  - prompt: a red circle\n    duration: 2\n")
    page.set_input_files("#pn-project-file", good)
    expect(page.locator("#pn-project")).to_have_value(good.read_text())
    expect(box_err).to_be_hidden()
    # An error the new choice itself brings stays: a file too big for the box.
    big = tmp_path / "huge.yaml"
    big.write_text("#" * (1024**2 + 1))
    page.set_input_files("#pn-project-file", big)
    expect(page.locator("#pn-project-file-err")).to_contain_text(
        "huge.yaml is 1,048,577 bytes, more than the 1,048,576 bytes (1 MiB) this box takes"
    )
    assert t.errors == []
