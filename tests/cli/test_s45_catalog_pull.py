"""`reelgen pull` and `reelgen models` with a pull stopped part-way and the Hugging Face Hub out of reach."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.core.test_weights import ltx_snapshot

runner = CliRunner()


@pytest.fixture
def hub_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """HF_HUB_OFFLINE=1 as a person sets it: huggingface_hub read it when first imported."""
    from huggingface_hub import constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)


def with_file_list(snapshot: Path) -> None:
    """The file list huggingface_hub keeps beside a snapshot it began: what a real pull stopped part-way leaves."""
    files = {
        str(p.relative_to(snapshot)): {"size": 1, "blob_id": "b"} for p in snapshot.rglob("*") if p.is_file()
    }
    files["transformer/diffusion_pytorch_model.safetensors"] = {"size": 1, "blob_id": "b"}
    trees = snapshot.parent.parent / "trees"
    trees.mkdir()
    (trees / f"{snapshot.name}.json").write_text(json.dumps({"format_version": 1, "files": files}))


@pytest.mark.usefixtures("hub_offline")
def test_a_pull_that_gets_nothing_more_of_a_part_download_fails_naming_what_is_missing(
    tmp_path: Path,
) -> None:
    """Out of the Hub's reach, huggingface_hub answered the part snapshot: pull printed its path and
    exited 0, and generate then refused the model as partly downloaded."""
    cache = tmp_path / "hf-cache"
    ltx_snapshot(cache, whole=False)
    result = runner.invoke(app, ["pull", "ltx-2b"])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""  # no path said as if the model were there
    said = " ".join(result.stderr.split())
    assert said.startswith(
        f"error: could not pull ltx-2b: model 'ltx-2b' is only partly downloaded into the Hugging Face cache at "
        f"{cache} (missing: text_encoder/model-00002-of-00002.safetensors, transformer, vae); nothing more could "
        "be downloaded: HF_HUB_OFFLINE is set, so nothing is downloaded; unset it and run it again"
    ), said


@pytest.mark.usefixtures("hub_offline")
def test_a_whole_snapshot_is_pulled_offline_as_before(tmp_path: Path) -> None:
    snapshot = ltx_snapshot(tmp_path / "hf-cache", whole=True)
    result = runner.invoke(app, ["pull", "ltx-2b"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(snapshot)


def test_models_says_partial_of_a_part_download_whose_file_list_was_kept(tmp_path: Path) -> None:
    """huggingface_hub refuses such a snapshot outright: `models` said "no" of a model half there, and
    generate that it had no weights on this machine."""
    with_file_list(ltx_snapshot(tmp_path / "hf-cache", whole=False))
    result = runner.invoke(app, ["models", "--family", "ltx", "--json"])
    assert result.exit_code == 0, result.output
    row = next(r for r in json.loads(result.stdout) if r["model"] == "ltx-2b")
    assert (
        row["cached"] == "partial"
        and "(missing: text_encoder/model-00002-of-00002.safetensors, transformer, vae)" in row["advice"]
    )


def snapshot(
    cache: Path, repo: str, files: dict[str, bytes], listed: tuple[str, ...] = (), file_list: bool = True
) -> Path:
    """``repo`` in huggingface_hub's cache layout holding ``files``, its file list naming ``listed`` too
    (a recent huggingface_hub keeps one; caches older ones left have none)."""
    root = cache / f"models--{repo.replace('/', '--')}"
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text("b" * 40)
    snap = root / "snapshots" / ("b" * 40)
    for name, content in files.items():
        (snap / name).parent.mkdir(parents=True, exist_ok=True)
        (snap / name).write_bytes(content)
    if not file_list:
        return snap
    (root / "trees").mkdir()
    entries = {name: {"size": 1, "blob_id": "b"} for name in (*files, *listed)}
    (root / "trees" / f"{'b' * 40}.json").write_text(json.dumps({"format_version": 1, "files": entries}))
    return snap


def test_a_companion_pulled_without_the_files_it_skips_counts_as_there(tmp_path: Path) -> None:
    """FramePack's pull skips HunyuanVideo's transformer on purpose; its file list names it, so
    huggingface_hub called that snapshot incomplete and `models` sent people to pull again, for ever."""
    cache = tmp_path / "hf-cache"
    snapshot(cache, "lllyasviel/FramePackI2V_HY", {"config.json": b"{}", "model.safetensors": b"x"})
    hunyuan = {"model_index.json": json.dumps({"vae": ["diffusers", "AutoencoderKLHunyuanVideo"]}).encode()}
    hunyuan |= {"vae/config.json": b"{}", "vae/diffusion_pytorch_model.safetensors": b"x"}
    snapshot(cache, "hunyuanvideo-community/HunyuanVideo", hunyuan, ("transformer/model.safetensors",))
    snapshot(cache, "lllyasviel/flux_redux_bfl", {"model_index.json": b"{}"})
    result = runner.invoke(app, ["models", "--family", "framepack", "--json"])
    assert result.exit_code == 0, result.output
    assert next(r for r in json.loads(result.stdout) if r["model"] == "framepack")["cached"] == "hf-cache"


def test_pull_names_the_repos_a_model_borrows_parts_from_as_it_downloads_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """FramePack's pull said "downloading lllyasviel/FramePackI2V_HY ..." while HunyuanVideo came down."""
    from reelgen.core import weights

    monkeypatch.setattr(weights, "pull", lambda preset: tmp_path)
    monkeypatch.delenv("HF_HUB_OFFLINE")  # the tests' own: offline, nothing is said to download
    result = runner.invoke(app, ["pull", "framepack"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "downloading hunyuanvideo-community/HunyuanVideo, lllyasviel/flux_redux_bfl, lllyasviel/FramePackI2V_HY ..."
    )


def test_a_misspelt_name_among_several_is_refused_before_anything_is_downloaded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`pull wan-14b ltx-2bb` downloaded the first model's tens of GB, then said ltx-2bb was unknown."""
    from reelgen.core import weights

    pulled: list[str] = []
    monkeypatch.setattr(weights, "pull", lambda preset: pulled.append(preset.name) or tmp_path)
    result = runner.invoke(app, ["pull", "ltx-2b", "ltx-2bb"])
    assert result.exit_code == 2 and pulled == [] and result.stdout == ""
    assert " ".join(result.stderr.split()).startswith("error: unknown model 'ltx-2bb'; did you mean ltx-2b")


def framepack_with_a_part_companion(cache: Path, file_list: bool = True) -> None:
    """FramePack pulled whole, and HunyuanVideo's VAE weights not yet come (its transformer is skipped)."""
    snapshot(cache, "lllyasviel/FramePackI2V_HY", {"config.json": b"{}", "model.safetensors": b"x"})
    index = {
        "vae": ["diffusers", "AutoencoderKLHunyuanVideo"],
        "transformer": ["diffusers", "HunyuanVideoTransformer3DModel"],
    }
    hunyuan = {"model_index.json": json.dumps(index).encode(), "vae/config.json": b"{}"}
    listed = ("vae/diffusion_pytorch_model.safetensors",)
    snapshot(cache, "hunyuanvideo-community/HunyuanVideo", hunyuan, listed, file_list)
    snapshot(cache, "lllyasviel/flux_redux_bfl", {"model_index.json": b"{}"})


def test_a_companion_whose_pull_stopped_part_way_makes_the_model_partial(tmp_path: Path) -> None:
    """Counted as there, it was loaded and failed after the plan; what its pull skips is still not asked for."""
    cache = tmp_path / "hf-cache"
    framepack_with_a_part_companion(cache)
    result = runner.invoke(app, ["models", "--family", "framepack", "--json"])
    row = next(r for r in json.loads(result.stdout) if r["model"] == "framepack")
    assert row["cached"] == "partial"
    assert row["advice"] == (
        "model 'framepack' also loads parts from hunyuanvideo-community/HunyuanVideo, which is only partly "
        f"downloaded into the Hugging Face cache at {cache} (missing: vae weights); run `reelgen pull framepack` "
        "again to finish it"
    )


@pytest.mark.usefixtures("hub_offline")
def test_a_pull_that_leaves_a_companion_part_downloaded_fails_naming_it(tmp_path: Path) -> None:
    """It printed FramePack's own snapshot and exited 0: with no file list kept, huggingface_hub answers
    a snapshot stopped part-way as if whole."""
    cache = tmp_path / "hf-cache"
    framepack_with_a_part_companion(cache, file_list=False)
    result = runner.invoke(app, ["pull", "framepack"])
    assert result.exit_code == 1 and result.stdout == "", result.output
    assert " ".join(result.stderr.split()).startswith(
        "error: could not pull framepack: model 'framepack' also loads parts from hunyuanvideo-community/"
        f"HunyuanVideo, which is only partly downloaded into the Hugging Face cache at {cache} (missing: vae "
        "weights); nothing more could be downloaded: HF_HUB_OFFLINE is set"
    )


def test_a_connection_that_breaks_off_mid_download_is_said_so_not_as_an_internal_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """huggingface_hub gives up after its retries with httpx's ReadError, no OSError: the pull ended
    "internal error (ReadError: ...); ... report it"."""
    import httpx2

    def broken(*args: object, **kwargs: object) -> str:
        raise httpx2.ReadError("[Errno 104] Connection reset by peer")

    monkeypatch.setattr("huggingface_hub.snapshot_download", broken)
    result = runner.invoke(app, ["pull", "ltx-2b"])
    assert result.exit_code == 1, result.output
    assert " ".join(result.stderr.split()).endswith(
        "error: could not pull ltx-2b: the connection to the Hugging Face Hub broke off (ReadError: [Errno 104] "
        "Connection reset by peer); run `reelgen pull ltx-2b` again: the files already down are kept"
    )


def test_the_loader_finds_a_companion_pulled_without_the_files_it_skips(tmp_path: Path) -> None:
    """`models` said hf-cache of such a pull, but the loader's own look-up still called the snapshot
    incomplete, so FramePack then refused to load: 'pull it again', which changed nothing."""
    from reelgen.core.backends import companions

    cache = tmp_path / "hf-cache"
    files = {"model_index.json": b"{}", "vae/config.json": b"{}", "text_encoder/config.json": b"{}"}
    snapshot(cache, "hunyuanvideo-community/HunyuanVideo", files, ("transformer/model.safetensors",))
    found = companions.cached("hunyuanvideo-community/HunyuanVideo", ("vae", "text_encoder"))
    assert found is not None and (found / "vae" / "config.json").is_file()
    assert companions.cached("hunyuanvideo-community/HunyuanVideo", ("transformer",)) is None  # not pulled
