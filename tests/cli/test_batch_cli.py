"""`reelgen manifest create`, `reelgen manifest schema` and `reelgen batch` as a person uses them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from skimage import data
from typer.testing import CliRunner, Result

from reelgen.cli import app, remote
from reelgen.cli import batch as batch_cli
from reelgen.core.media import probe
from tests.api.conftest import data_dir, make_client  # noqa: F401  (fixtures)

runner = CliRunner()


def said(result: Result) -> str:
    """What the command printed, with rich's line wrapping undone."""
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two photos, written once for the module: PNG-compressing them cost about 0.3 CPU-s a test."""
    folder = tmp_path_factory.mktemp("pictures")
    Image.fromarray(data.astronaut()).save(folder / "astronaut.png")
    Image.fromarray(data.coffee()).save(folder / "coffee.png")
    return folder


@pytest.fixture
def shots(pictures: Path, tmp_path: Path) -> Path:
    """A folder of this test's own with the two photos (copies of the same files) and defaults.yaml beside it."""
    folder = Path(shutil.copytree(pictures, tmp_path / "shots"))
    (tmp_path / "defaults.yaml").write_text(
        "model: ken-burns\nwidth: 64\nheight: 48\nnum_frames: 9\nfps: 8\nmotion: {preset: zoom-in}\nseed: 1\n"
    )
    return folder


def test_create_a_manifest_then_run_it_then_run_it_again(shots: Path) -> None:
    defaults = shots.parent / "defaults.yaml"
    made = runner.invoke(app, ["manifest", "create", str(shots), "--defaults", str(defaults)])
    assert made.exit_code == 0, made.output
    manifest = shots / "manifest.json"
    assert made.stdout.strip().splitlines()[-1] == str(manifest)
    assert [i["output"] for i in json.loads(manifest.read_text())["items"]] == ["astronaut", "coffee"]

    first = runner.invoke(app, ["batch", str(manifest), "-q", "--price-per-gpu-hour", "3"])
    assert first.exit_code == 0, first.output
    summary_path = Path(first.stdout.strip().splitlines()[-1])
    assert summary_path == shots / "outputs" / "batch-summary.json"
    assert "2 of 2 done (0 from an earlier run), 0 failed, 0 skipped" in said(first)
    info = probe(shots / "outputs" / "coffee.mp4")
    assert (info["frames"], info["width"], info["height"]) == (9, 64, 48)
    for companion in ("coffee.video_meta.json", "coffee.motion.json", "coffee.json"):
        assert (shots / "outputs" / companion).is_file()

    again = runner.invoke(app, ["batch", str(manifest), "-q"])
    assert again.exit_code == 0 and "2 of 2 done (2 from an earlier run)" in said(again)
    assert json.loads(summary_path.read_text())["reused"] == 2


def test_a_manifest_written_elsewhere_with_o_finds_its_images(shots: Path) -> None:
    # Its image paths were written from the images' folder, read from the manifest's: every item failed
    # "astronaut.png does not exist".
    defaults = shots.parent / "defaults.yaml"
    manifest = shots.parent / "jobs" / "spring.json"
    made = runner.invoke(app, ["manifest", "create", str(shots), "-d", str(defaults), "-o", str(manifest)])
    assert made.exit_code == 0, made.output
    assert json.loads(manifest.read_text())["items"][0]["images"] == ["../shots/astronaut.png"]
    ran = runner.invoke(app, ["batch", str(manifest), "-q"])
    assert ran.exit_code == 0 and "2 of 2 done (0 from an earlier run), 0 failed" in said(ran), ran.output
    assert (manifest.parent / "outputs" / "coffee.mp4").is_file()


def test_a_defaults_file_with_a_mistyped_model_writes_no_manifest(shots: Path) -> None:
    # It was written, and every item of the batch then failed on the model.
    defaults = shots.parent / "typo.yaml"
    defaults.write_text("model: reelgen-mikro\n")
    made = runner.invoke(app, ["manifest", "create", str(shots), "-d", str(defaults)])
    assert made.exit_code == 2, made.output
    assert said(made).startswith(
        f"error: defaults file {defaults}: defaults.model: unknown model 'reelgen-mikro'; did you mean reelgen-micro"
    )
    assert not (shots / "manifest.json").exists()


def test_an_existing_manifest_is_kept_unless_forced(shots: Path) -> None:
    (shots / "manifest.json").write_text("{}")
    refused = runner.invoke(app, ["manifest", "create", str(shots)])
    assert refused.exit_code == 2 and "pass --force" in said(refused)  # 2: bad input, as elsewhere
    assert (shots / "manifest.json").read_text() == "{}"
    missing = runner.invoke(app, ["manifest", "create", str(shots), "-d", str(shots / "nope.yaml")])
    assert missing.exit_code == 2 and "nope.yaml" in said(missing)  # the bad defaults file is said first
    forced = runner.invoke(app, ["manifest", "create", str(shots), "--force"])
    assert forced.exit_code == 0 and json.loads((shots / "manifest.json").read_text())["items"]


def test_a_failed_item_is_reported_and_sets_the_exit_status(shots: Path) -> None:
    manifest = shots / "manifest.json"
    item = {
        "output": "wide",
        "images": ["coffee.png"],
        "motion": {
            "start": {"x": 0, "y": 0, "width": 400, "height": 400},
            "end": {"x": 100, "y": 0, "width": 400, "height": 300},
        },
    }
    defaults = {"model": "ken-burns", "width": 64, "height": 48, "num_frames": 9, "fps": 8}
    manifest.write_text(json.dumps({"version": 1, "defaults": defaults, "items": [item]}))
    result = runner.invoke(app, ["batch", str(manifest), "-q"])
    assert result.exit_code == 1
    assert "failed wide: items[0].motion.start: the crop 400x400 has aspect ratio 1.000" in said(result)
    assert not (shots / "outputs" / "wide.mp4").exists()


def test_a_broken_manifest_names_the_field(shots: Path) -> None:
    manifest = shots / "manifest.json"
    manifest.write_text(json.dumps({"items": [{"output": "x", "seed": -1}]}))
    result = runner.invoke(app, ["batch", str(manifest)])
    assert result.exit_code == 2 and "items[0].seed: -1 is too small" in said(result)


def test_a_manifest_that_is_not_an_object_says_what_a_manifest_is(shots: Path) -> None:
    manifest = shots / "manifest.json"
    manifest.write_text("[1, 2]")
    result = runner.invoke(app, ["batch", str(manifest)])
    assert result.exit_code == 2
    assert f"manifest {manifest} must be a JSON object with items" in said(result)
    assert "instance of Manifest" not in said(result)


@pytest.mark.parametrize("price", ["-2", "inf", "nan"])
def test_a_price_that_is_not_one_is_refused(shots: Path, price: str) -> None:
    """inf was taken (the summary said "estimated cost nan USD at inf"); nan was told "should be greater"."""
    manifest = shots / "manifest.json"
    manifest.write_text(json.dumps({"items": [{"output": "x"}]}))
    result = runner.invoke(app, ["batch", str(manifest), "--price-per-gpu-hour", price])
    assert result.exit_code == 2 and "--price-per-gpu-hour" in said(result)
    assert f"{price} is not a price; give the price of an hour of GPU time, 0 or more" in said(result)
    assert not (shots / "outputs").exists()


def test_manifest_schema_prints_the_json_schema() -> None:
    result = runner.invoke(app, ["manifest", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Manifest" and "BatchItem" in schema["$defs"]


def test_a_mistyped_model_is_a_usage_error_said_once_with_nothing_written(shots: Path) -> None:
    manifest = shots / "manifest.json"
    items = [{"output": "a", "images": ["astronaut.png"]}, {"output": "b", "images": ["coffee.png"]}]
    manifest.write_text(json.dumps({"defaults": {"model": "ltx-tinyy"}, "items": items}))
    result = runner.invoke(app, ["batch", str(manifest), "-q"])
    assert result.exit_code == 2, result.output
    assert said(result).startswith(
        f"error: manifest {manifest}: defaults.model: unknown model 'ltx-tinyy'; did you mean ltx-tiny"
    )
    assert said(result).count("unknown model") == 1
    assert not (shots / "outputs").exists()


def test_a_mistyped_item_model_names_the_manifest_and_the_item_and_the_near_models(shots: Path) -> None:
    manifest = shots / "manifest.json"
    items = [{"output": "a", "model": "reelgen-micro"}, {"output": "b", "model": "reelgen-mikro"}]
    manifest.write_text(json.dumps({"items": items}))
    result = runner.invoke(app, ["batch", str(manifest), "-q"])
    assert result.exit_code == 2, result.output
    assert said(result) == (
        f"error: manifest {manifest}: items[1].model: unknown model 'reelgen-mikro'; did you mean "
        "reelgen-micro, reelgen-lipsync? (`reelgen models` lists every model with its tasks and rules)"
    )
    assert not (shots / "outputs").exists()


def test_a_folder_given_as_the_manifest_is_refused_pointing_at_the_file(shots: Path) -> None:
    (shots / "manifest.json").write_text(json.dumps({"items": [{"output": "a"}]}))
    result = runner.invoke(app, ["batch", str(shots)])
    assert result.exit_code == 2
    assert (
        f"manifest {shots} is a folder, not a manifest file; did you mean {shots / 'manifest.json'}?"
        in said(result)
    )


def test_items_that_all_fail_the_same_way_say_it_once_and_each_is_recorded(shots: Path) -> None:
    manifest = shots / "manifest.json"
    items = [{"output": name} for name in ("a", "b", "c")]
    defaults = {"model": "ltx-tiny", "width": 500, "num_frames": 9, "prompt": "x"}  # a bad default
    manifest.write_text(json.dumps({"defaults": defaults, "items": items}))
    result = runner.invoke(app, ["batch", str(manifest)])  # item lines are step lines, which -q leaves out
    assert result.exit_code == 1
    assert "all 3 items failed the same way: width 500 is not a multiple of 32" in said(result)
    assert said(result).count("width 500") == 2  # once as the first item fails, once in the summary
    assert "[2/3] b: failed (the same way as a)" in said(result)
    recorded = json.loads((shots / "outputs" / "batch-summary.json").read_text())["failed"]
    assert [(p["output"], p["param"]) for p in recorded] == [
        (n, f"items[{i}].width") for i, n in enumerate("abc")
    ]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["batch", "run", "m.json"],
            "error: 'run' is not a subcommand: `reelgen batch` has none; give the manifest itself: "
            "`reelgen batch m.json` (add --server URL to run it on a server) (see 'reelgen batch --help')",
        ),
        (
            ["batch", "creat", "shots"],
            "error: 'creat' is not a subcommand: `reelgen batch` has none; did you mean "
            "`reelgen manifest create`? (see 'reelgen batch --help')",
        ),
        (
            ["batch", "manifest", "create", "shots"],
            "error: 'manifest' is not a subcommand: `reelgen batch` has none; did you mean "
            "`reelgen manifest create shots`? (see 'reelgen batch --help')",
        ),
        (
            ["batch", "a.json", "b.json"],
            "error: Got unexpected extra argument(s) (b.json); `reelgen batch` takes one manifest "
            "(see 'reelgen batch --help')",
        ),
    ],
)
def test_a_word_before_the_manifest_is_said_to_be_no_subcommand(
    args: list[str], line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``reelgen batch run m.json`` was told only ``Got unexpected extra argument(s) (m.json)``."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args, prog_name="reelgen")
    assert result.exit_code == 2
    assert said(result) == line
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def served(
    make_client: Callable[..., TestClient],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--server`` answered by the real API (its jobs queue but never run), reading under tmp_path/shots."""
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path / "shots"))
    api = make_client()

    def answer(request: httpx.Request) -> httpx.Response:
        resp = api.request(request.method, request.url.path, content=request.content, headers=request.headers)
        return httpx.Response(resp.status_code, headers=resp.headers, content=resp.content)

    def client(server: str, api_key: str | None, read_s: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(answer))

    monkeypatch.setattr(remote, "_client", client)


@pytest.mark.usefixtures("served")
def test_a_server_refusing_the_manifest_names_the_file_and_the_item_as_a_local_run_does(
    shots: Path, tmp_path: Path
) -> None:
    """With --server the same typo was ``HTTP 400: items[1].model: ... (manifest.items[1].model)``:
    no manifest named, the field said twice."""
    manifest = shots / "manifest.json"
    items: list[dict[str, Any]] = [
        {"output": "a", "model": "ken-burns"},
        {"output": "b", "model": "reelgen-mikro"},
    ]
    manifest.write_text(json.dumps({"items": items}))
    local = runner.invoke(app, ["batch", str(manifest), "-q"])
    remote_run = runner.invoke(app, ["batch", str(manifest), "-q", "--server", "http://reelgen.test"])
    assert (local.exit_code, remote_run.exit_code) == (2, 2), remote_run.output
    # Checked against the server's own list (GET /v1/models) before anything is sent (s56b).
    assert said(local).startswith(
        f"error: manifest {manifest}: items[1].model: unknown model 'reelgen-mikro'; "
    )
    assert said(remote_run).startswith(
        f"error: manifest {manifest}: items[1].model: unknown model 'reelgen-mikro' on the server at "
        "http://reelgen.test; did you mean reelgen-micro?"
    )
    assert "(manifest.items[1].model)" not in said(remote_run)

    items = [{"output": "a", "model": "ken-burns", "images": ["../../astronaut.png"]}]
    manifest.write_text(json.dumps({"items": items}))
    outside = runner.invoke(app, ["batch", str(manifest), "-q", "--server", "http://reelgen.test"])
    assert outside.exit_code == 2
    assert said(outside).startswith(
        f"error: HTTP 403: manifest {manifest}: items[0].images[0]: {tmp_path.parent / 'astronaut.png'} "
        "is outside the folders this server may use"
    )
    assert not (shots / "outputs").exists()


@pytest.mark.usefixtures("served")
def test_a_manifest_in_a_folder_the_server_may_not_read_is_named(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    manifest = elsewhere / "manifest.json"
    manifest.write_text(json.dumps({"items": [{"output": "a", "model": "ken-burns"}]}))
    result = runner.invoke(app, ["batch", str(manifest), "-q", "--server", "http://reelgen.test"])
    assert result.exit_code == 2
    assert said(result).startswith(
        f"error: HTTP 403: manifest {manifest}: its folder: {elsewhere} is outside the folders this server may use"
    )


def test_a_batch_that_fails_on_the_server_names_its_manifest(
    shots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = shots / "manifest.json"
    manifest.write_text(json.dumps({"items": [{"output": "a", "model": "ken-burns"}]}))
    ended: dict[str, Any] = {"status": "failed", "error": {"message": "the worker stopped"}}
    monkeypatch.setattr(batch_cli, "run_on_server", lambda *args: ended)
    result = runner.invoke(app, ["batch", str(manifest), "-q", "--server", "http://reelgen.test"])
    assert result.exit_code == 1
    assert said(result) == f"error: manifest {manifest}: the batch failed on the server: the worker stopped"


def test_a_manifest_saved_with_a_bom_is_sent_to_the_server_as_a_local_run_reads_it(
    shots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Editors on Windows save UTF-8 with a BOM: the local run took such a manifest, --server died on it
    with 'internal error (JSONDecodeError: Unexpected UTF-8 BOM ...)' before sending anything."""
    manifest = shots / "manifest.json"
    manifest.write_bytes(
        b"\xef\xbb\xbf" + json.dumps({"items": [{"output": "a", "model": "ken-burns"}]}).encode()
    )
    sent: list[dict[str, Any]] = []
    ended: dict[str, Any] = {"status": "failed", "error": {"message": "the worker stopped"}}
    monkeypatch.setattr(batch_cli, "run_on_server", lambda *args: sent.append(args[3]) or ended)
    result = runner.invoke(app, ["batch", str(manifest), "-q", "--server", "http://reelgen.test"])
    assert result.exit_code == 1 and "internal error" not in said(result)
    assert [body["manifest"] for body in sent] == [{"items": [{"output": "a", "model": "ken-burns"}]}]
