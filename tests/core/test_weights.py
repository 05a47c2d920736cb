"""Finding weights: explicit paths, the models dir, the HF cache, pull, and cached file hashes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from safetensors.numpy import save_file

from reelgen.core import weights
from reelgen.core.errors import InvalidRequest, ModelNotAvailable
from reelgen.core.spec import registry


def test_missing_real_weights_name_the_model_the_places_and_the_pull_command(tmp_path: Path) -> None:
    spec, preset = registry.resolve("ltx-2b")
    with pytest.raises(ModelNotAvailable) as caught:
        weights.locate(spec, preset)
    message = str(caught.value)
    assert "ltx-2b" in message and str(preset.repo_id) in message
    assert str(tmp_path / "models" / "ltx-2b") in message and str(tmp_path / "hf-cache") in message
    assert "reelgen pull ltx-2b" in message
    # Avatar, batch and the API reach this too and have no --weights option: only generate's CLI adds it.
    assert message.endswith("Fetch it with: reelgen pull ltx-2b") and "--weights" not in message


def test_models_dir_folder_is_found_before_the_hub(tmp_path: Path) -> None:
    folder = tmp_path / "models" / "ltx-2b"
    folder.mkdir(parents=True)
    # A whole folder names its parts: "{}" alone is a copy with none of them (partial).
    (folder / "model_index.json").write_text(
        '{"scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"]}'
    )
    (folder / "scheduler").mkdir()
    (folder / "scheduler" / "scheduler_config.json").write_text("{}")
    source = weights.locate(*registry.resolve("ltx-2b"))
    assert (source.kind, source.origin, source.path) == ("diffusers", "models-dir", folder)


def test_explicit_weights_paths_are_checked(tmp_path: Path) -> None:
    spec, preset = registry.resolve("ltx-2b")
    with pytest.raises(InvalidRequest, match="does not exist"):
        weights.locate(spec, preset, str(tmp_path / "nowhere"))
    with pytest.raises(InvalidRequest, match="has no model_index.json"):
        weights.locate(spec, preset, str(tmp_path))
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    with pytest.raises(InvalidRequest, match="valid suffixes: .safetensors"):
        weights.locate(spec, preset, str(notes))
    single = tmp_path / "ltx.safetensors"
    save_file({"transformer_blocks.0.attn1.to_q.weight": np.zeros((4, 4), np.float32)}, str(single))
    source = weights.locate(spec, preset, str(single))
    assert (source.kind, source.path, source.base) == ("single_file", single, None)


def test_file_hash_is_sha256_and_cached(tmp_path: Path) -> None:
    data = tmp_path / "w.safetensors"
    data.write_bytes(b"abc" * 1000)
    expected = hashlib.sha256(b"abc" * 1000).hexdigest()
    assert weights.sha256_file(data) == expected
    cache = weights.settings.home() / "hash-cache.json"
    assert expected in cache.read_text()


@pytest.mark.parametrize("left", ['["a list"]', '"a string"', '{"key": 5}', "{not json"])
def test_a_hash_cache_some_other_tool_left_is_started_over(tmp_path: Path, left: str) -> None:
    cache = weights.settings.home() / "hash-cache.json"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(left)
    data = tmp_path / "w.safetensors"
    data.write_bytes(b"xyz" * 100)
    expected = hashlib.sha256(b"xyz" * 100).hexdigest()
    # A list or a string in the cache once failed the hash (and so the render's record) with a TypeError.
    assert weights.known_sha256(data) is None
    assert weights.sha256_file(data) == expected
    assert expected in json.loads(cache.read_text()).values()
    assert weights.known_sha256(data) == expected


def test_pull_fetches_companion_repos_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[tuple[str, Any]] = []

    def fake_download(repo: str, **kwargs: Any) -> str:
        calls.append((repo, kwargs.get("ignore_patterns")))
        return str(tmp_path / repo)

    monkeypatch.setattr("huggingface_hub.snapshot_download", fake_download)
    _, preset = registry.resolve("framepack")
    assert weights.pull(preset) == tmp_path / "lllyasviel/FramePackI2V_HY"
    assert ("hunyuanvideo-community/HunyuanVideo", ["transformer/*"]) in calls
    assert ("lllyasviel/flux_redux_bfl", None) in calls
    with pytest.raises(InvalidRequest, match="nothing to pull"):
        weights.pull(registry.resolve("ltx-tiny")[1])


# ---- a download stopped part-way ----------------------------------------------------------------

_LTX_INDEX = {
    "_class_name": "LTXPipeline",
    "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"],
    "text_encoder": ["transformers", "T5EncoderModel"],
    "tokenizer": ["transformers", "T5Tokenizer"],
    "transformer": ["diffusers", "LTXVideoTransformer3DModel"],
    "vae": ["diffusers", "AutoencoderKLLTXVideo"],
    "image_encoder": [None, None],  # a part the pipeline leaves out is not missing
}


def ltx_snapshot(cache: Path, *, whole: bool) -> Path:
    """ltx-2b's snapshot in huggingface_hub's cache layout: every part, or what a pull stopped at
    its second shard leaves (configs, the tokenizer, one text-encoder shard, no transformer or VAE)."""

    root = cache / "models--Lightricks--LTX-Video-0.9.5"
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text("a" * 40)
    snap = root / "snapshots" / ("a" * 40)
    snap.mkdir(parents=True)
    (snap / "model_index.json").write_text(json.dumps(_LTX_INDEX))
    for part, config in (("scheduler", "scheduler_config.json"), ("tokenizer", "tokenizer_config.json")):
        (snap / part).mkdir()
        (snap / part / config).write_text("{}")
    encoder = snap / "text_encoder"
    encoder.mkdir()
    (encoder / "config.json").write_text("{}")
    shards = [f"model-0000{i}-of-00002.safetensors" for i in (1, 2)]
    (encoder / "model.safetensors.index.json").write_text(
        json.dumps({"weight_map": dict(zip("ab", shards, strict=True))})
    )
    for shard in shards if whole else shards[:1]:
        (encoder / shard).write_bytes(b"x")
    for part in ("transformer", "vae") if whole else ():
        (snap / part).mkdir()
        (snap / part / "config.json").write_text("{}")
        (snap / part / "diffusion_pytorch_model.safetensors").write_bytes(b"x")
    return snap


def test_a_snapshot_a_pull_left_half_done_is_not_the_models_weights(tmp_path: Path) -> None:
    """It was: `reelgen models` said hf-cache, auto picked it, and the load failed after the plan."""
    ltx_snapshot(tmp_path / "hf-cache", whole=False)
    with pytest.raises(weights.PartlyDownloaded) as caught:
        weights.locate(*registry.resolve("ltx-2b"))
    message = str(caught.value)
    assert "model 'ltx-2b' is only partly downloaded into the Hugging Face cache" in message
    assert "(missing: text_encoder/model-00002-of-00002.safetensors, transformer, vae)" in message
    assert "run `reelgen pull ltx-2b` again to finish it" in message
    assert isinstance(caught.value, ModelNotAvailable)  # the API and auto treat it as not there


def test_a_whole_snapshot_is_found_in_the_cache(tmp_path: Path) -> None:
    snap = ltx_snapshot(tmp_path / "hf-cache", whole=True)
    source = weights.locate(*registry.resolve("ltx-2b"))
    assert (source.origin, source.path) == ("hf-cache", snap)


def test_a_models_dir_folder_copied_in_part_is_refused_naming_what_is_missing(tmp_path: Path) -> None:

    folder = tmp_path / "models" / "ltx-2b"
    (folder / "vae").mkdir(parents=True)
    (folder / "vae" / "config.json").write_text("{}")
    (folder / "model_index.json").write_text(json.dumps({"vae": ["diffusers", "AutoencoderKLLTXVideo"]}))
    with pytest.raises(
        weights.PartlyDownloaded, match=r"only partly copied into .*ltx-2b \(missing: vae weights\)"
    ):
        weights.locate(*registry.resolve("ltx-2b"))


def test_a_folder_copied_in_part_is_told_to_be_copied_whole_not_pulled(tmp_path: Path) -> None:
    """It was told to run `reelgen pull`, which fills the Hugging Face cache: the part copy, looked in
    first, was still refused after it, and offline the pull could not run at all."""
    folder = tmp_path / "models" / "ltx-2b"
    (folder / "vae").mkdir(parents=True)
    (folder / "vae" / "config.json").write_text("{}")
    (folder / "model_index.json").write_text(json.dumps({"vae": ["diffusers", "AutoencoderKLLTXVideo"]}))
    with pytest.raises(weights.PartlyDownloaded) as caught:
        weights.locate(*registry.resolve("ltx-2b"))
    assert str(caught.value) == (
        f"model 'ltx-2b' is only partly copied into {folder} (missing: vae weights); copy the rest of "
        f"{folder} from where it came, or remove that folder and run `reelgen pull ltx-2b`"
    )
    assert (caught.value.origin, caught.value.missing) == ("models-dir", ["vae weights"])
    ltx_snapshot(tmp_path / "hf-cache", whole=True)  # a whole copy waits in the cache, behind the part one
    with pytest.raises(weights.PartlyDownloaded) as caught:
        weights.locate(*registry.resolve("ltx-2b"))
    assert str(caught.value).endswith(
        f"copy the rest of {folder} from where it came, or remove that folder to use the whole copy in "
        "the Hugging Face cache"
    )


def test_a_tokenizer_keeping_a_config_json_is_not_a_part_without_weights(tmp_path: Path) -> None:
    """Only model parts need a weight file beside config.json; a tokenizer or processor may keep one too."""
    snap = ltx_snapshot(tmp_path / "hf-cache", whole=True)
    (snap / "tokenizer" / "config.json").write_text("{}")
    assert weights.missing_parts(snap) == []
    assert weights.locate(*registry.resolve("ltx-2b")).origin == "hf-cache"


def _snapshot(cache: Path, repo: str, files: dict[str, bytes]) -> Path:
    """``repo``'s snapshot in huggingface_hub's cache layout, holding ``files``."""
    root = cache / f"models--{repo.replace('/', '--')}"
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text("b" * 40)
    snap = root / "snapshots" / ("b" * 40)
    for name, data in files.items():
        (snap / name).parent.mkdir(parents=True, exist_ok=True)
        (snap / name).write_bytes(data)
    return snap


def test_a_model_whose_companion_repos_are_not_cached_is_partly_downloaded(tmp_path: Path) -> None:
    """FramePack's own repo holds only its transformer: `reelgen models` said hf-cache without
    HunyuanVideo's text encoders and VAE, and the load failed after the memory plan."""
    from reelgen.core.backends.framepack.presets import BASE_REPO, REDUX_REPO

    cache = tmp_path / "hf-cache"
    spec, preset = registry.resolve("framepack")
    assert preset.repo_id is not None
    weights_file = {"config.json": b"{}", "diffusion_pytorch_model.safetensors": b"x"}
    _snapshot(cache, preset.repo_id, weights_file)
    with pytest.raises(weights.PartlyDownloaded) as caught:
        weights.locate(spec, preset)
    message = str(caught.value)
    assert f"model 'framepack' also loads parts from {BASE_REPO}, {REDUX_REPO}, which are not" in message
    assert "run `reelgen pull framepack` again to fetch them" in message
    _snapshot(cache, BASE_REPO, {"vae/config.json": b"{}"})
    _snapshot(cache, REDUX_REPO, {"image_encoder/config.json": b"{}"})
    assert weights.locate(spec, preset).origin == "hf-cache"
