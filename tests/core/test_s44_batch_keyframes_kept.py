"""A batch never writes an output over a keyframe image: refused before any work, the picture kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.batch import Manifest, run_batch
from reelgen.core.batch.overwrites import check_keyframes_kept
from reelgen.core.errors import InvalidRequest


def _manifest(items: list[dict], output_dir: str = ".") -> Manifest:
    return Manifest.model_validate(
        {"defaults": {"model": "ken-burns", "output_dir": output_dir}, "items": items}
    )


def test_an_item_made_over_its_own_keyframe_is_refused_and_the_picture_kept(tmp_path: Path) -> None:
    Image.new("RGB", (64, 36), (90, 120, 150)).save(tmp_path / "g.gif")
    before = (tmp_path / "g.gif").read_bytes()
    manifest = _manifest([{"output": "g.gif", "images": ["g.gif"]}])
    with pytest.raises(
        InvalidRequest, match=r"items\[0\]\.images\[0\]: g\.gif would be replaced by the g\.gif it makes"
    ):
        run_batch(manifest, base_dir=tmp_path)
    assert (tmp_path / "g.gif").read_bytes() == before
    assert not (tmp_path / "batch-summary.json").exists()


def test_another_items_record_over_a_keyframe_is_named(tmp_path: Path) -> None:
    manifest = _manifest([{"output": "a", "images": ["x.png"]}, {"output": "x", "images": ["a.json"]}])
    with pytest.raises(
        InvalidRequest,
        match=r"items\[1\]\.images\[0\]: a\.json would be replaced by the a\.json items\[0\] makes",
    ) as caught:
        check_keyframes_kept(manifest, tmp_path, tmp_path)
    assert caught.value.param == "items[1].images[0]"


def test_keyframes_beside_outputs_of_other_names_are_fine(tmp_path: Path) -> None:
    manifest = _manifest([{"output": "shot", "images": ["shot.png"]}, {"output": "b", "images": ["g.gif"]}])
    check_keyframes_kept(manifest, tmp_path, tmp_path)
    check_keyframes_kept(
        _manifest([{"output": "g.gif", "images": ["g.gif"]}]), tmp_path, tmp_path / "outputs"
    )
