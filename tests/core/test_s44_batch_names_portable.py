"""Output names a manifest refuses because no system could show them right: Windows devices, odd currencies."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pydantic import ValidationError

from reelgen.core.batch import Manifest, create_manifest
from reelgen.core.batch.create import numbered


@pytest.mark.parametrize("name", ["CON", "nul.mp4", "Aux.gif", "com1", "LPT9.webm", "prn.x"])
def test_a_windows_device_is_no_output_name(name: str) -> None:
    with pytest.raises(ValidationError, match="is a device name on Windows"):
        Manifest.model_validate({"items": [{"output": name}]})


@pytest.mark.parametrize("name", ["CON-2", "console", "nulls.mp4", "com10", "a.con"])
def test_names_near_a_device_are_kept(name: str) -> None:
    assert Manifest.model_validate({"items": [{"output": name}]}).items[0].output == name


def test_manifest_create_renames_an_image_named_as_a_device(tmp_path: Path) -> None:
    for stem in ("CON", "con.x", "nul.webm", "b"):
        Image.new("RGB", (8, 8)).save(tmp_path / f"{stem}.png")
    manifest = create_manifest(tmp_path)
    assert [i.output for i in manifest.items] == ["CON-2", "b", "con-x", "nul-webm"]
    assert numbered(manifest) == ["CON.png -> CON-2: CON is a device name on Windows"]


@pytest.mark.parametrize("currency", ["", "  ", "\x1b[31m", "U\nSD"])
def test_a_currency_the_summary_cannot_print_is_refused(currency: str) -> None:
    with pytest.raises(ValidationError, match="is not a currency; give its code or sign"):
        Manifest.model_validate({"defaults": {"currency": currency}, "items": [{"output": "a"}]})


@pytest.mark.parametrize("currency", ["USD", "€", "CHF"])
def test_a_currency_code_or_sign_is_taken(currency: str) -> None:
    manifest = Manifest.model_validate({"defaults": {"currency": currency}, "items": [{"output": "a"}]})
    assert manifest.defaults.currency == currency
