"""End image, keyframes and LoRAs over HTTP: uploads become the core's inputs, LoRAs come from the server's folder."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import torch
from fastapi.testclient import TestClient
from PIL import Image

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.core.spec.request import LoraSpec, ResolvedRequest
from reelgen.core.weights import sha256_file
from reelgen.jobs import kinds
from reelgen.jobs.service import JobService
from tests.api.conftest import files_under, png
from tests.jobs.conftest import jobtest_family, make_service, ray_cluster  # noqa: F401  (live fixtures)
from tests.lora_files import write_lora

RED, GREEN, BLUE = (220, 30, 30), (30, 200, 60), (40, 60, 230)
LTX = {"prompt": "a red circle", "model": "ltx-tiny"}


def stored(client: TestClient, video_id: str) -> ResolvedRequest:
    request = kinds.payload_of(client.app.state.service.get(video_id))  # type: ignore[attr-defined]
    assert isinstance(request, ResolvedRequest)
    return request


def colour(path: str) -> tuple[int, int, int]:
    with Image.open(path) as image:
        return tuple(image.convert("RGB").getpixel((0, 0)))  # type: ignore[return-value]


def data_url(rgb: tuple[int, int, int]) -> str:
    return "data:image/png;base64," + base64.b64encode(png(colour=rgb)).decode()


def error(resp: Any, status: int = 400) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    return dict(resp.json()["error"])


def form(fields: dict[str, Any]) -> dict[str, str]:
    """Form fields as a browser sends them: lists and objects as JSON text."""
    return {k: json.dumps(v) if isinstance(v, list | dict) else str(v) for k, v in fields.items()}


# ---- end image -------------------------------------------------------------------------------


def test_an_end_image_upload_or_url_reaches_the_job_as_the_last_frame(client: TestClient) -> None:
    files = {"input_reference": ("start.png", png(colour=RED)), "end_image": ("end.png", png(colour=BLUE))}
    resp = client.post("/v1/videos", data=form({**LTX, "seed": 1}), files=files)
    assert resp.status_code == 202, resp.text
    request = stored(client, resp.json()["id"])
    assert request.task.value == "i2v" and request.end_image and request.start_image
    assert (colour(request.start_image), colour(request.end_image)) == (RED, BLUE)
    assert resp.json()["parameters"]["end_image"] is True

    body = {
        **LTX,
        "input_reference": {"image_url": data_url(RED)},
        "end_reference": {"image_url": data_url(GREEN)},
    }
    resp = client.post("/v1/videos", json=body)
    assert resp.status_code == 202, resp.text
    end = stored(client, resp.json()["id"]).end_image
    assert end is not None and colour(end) == GREEN


@pytest.mark.parametrize("model", ["reelgen-micro", "svd-tiny"])  # its family's own check; the shared one
def test_a_model_that_cannot_pin_a_last_frame_refuses_an_end_image(
    client: TestClient, data_dir: Path, model: str
) -> None:
    before = files_under(data_dir)
    files = {"input_reference": ("start.png", png(colour=RED)), "end_image": ("end.png", png(colour=BLUE))}
    err = error(client.post("/v1/videos", data={"prompt": "a fox", "model": model}, files=files))
    assert err["param"] == "end_image" and "last frame" in err["message"], err
    assert "ltx-tiny" in err["message"] or "ltx-2b" in err["message"]  # it says which models can
    assert client.get(f"/v1/models/{model}").json()["supports_end_image"] is False
    assert client.get("/v1/models/ltx-tiny").json()["supports_end_image"] is True
    assert client.get("/v1/videos").json()["data"] == [] and files_under(data_dir) == before


def test_an_end_image_comes_once_and_never_as_a_server_path(client: TestClient, data_dir: Path) -> None:
    before = files_under(data_dir)
    both = client.post(
        "/v1/videos",
        data={**LTX, "end_reference[image_url]": data_url(GREEN)},
        files={"input_reference": ("s.png", png()), "end_image": ("e.png", png())},
    )
    assert error(both)["param"] == "end_image"
    path = error(client.post("/v1/videos", json={**LTX, "end_image": "/etc/hostname"}))
    assert (path["param"], path["code"]) == ("end_image", "server_side_parameter")
    assert "end_reference" in path["message"]
    assert files_under(data_dir) == before


# ---- keyframes -------------------------------------------------------------------------------


def test_keyframes_arrive_in_order_with_their_frames_and_strengths(client: TestClient) -> None:
    keys = [
        {"frame": 0},
        {"frame": 4, "strength": 0.5, "image_url": data_url(GREEN)},
        {"frame": 8, "strength": 0.8},
    ]
    uploads = [
        ("keyframe_images", ("a.png", png(colour=RED))),
        ("keyframe_images", ("c.png", png(colour=BLUE))),
    ]
    resp = client.post("/v1/videos", data=form({**LTX, "keyframes": keys}), files=uploads)
    assert resp.status_code == 202, resp.text
    request = stored(client, resp.json()["id"])
    assert request.task.value == "keyframes"
    got = [(k.frame, k.strength, colour(k.image)) for k in request.keyframes]
    assert got == [(0, 1.0, RED), (4, 0.5, GREEN), (8, 0.8, BLUE)]
    assert resp.json()["parameters"]["keyframes"] == [
        {"frame": 0, "strength": 1.0},
        {"frame": 4, "strength": 0.5},
        {"frame": 8, "strength": 0.8},
    ]
    # JSON alone: every keyframe brings its image as a URL.
    keys = [
        {"frame": 8, "image_url": data_url(BLUE)},
        {"frame": 2, "strength": 0.3, "image_url": data_url(RED)},
    ]
    resp = client.post("/v1/videos", json={**LTX, "keyframes": keys})
    assert resp.status_code == 202, resp.text
    got = [(k.frame, k.strength, colour(k.image)) for k in stored(client, resp.json()["id"]).keyframes]
    assert got == [(8, 1.0, BLUE), (2, 0.3, RED)]


@pytest.mark.parametrize(
    ("fields", "images", "param", "says"),
    [
        ({"keyframes": [{"frame": 0}, {"frame": 8}]}, 1, "keyframe_images", "2 keyframes take"),
        ({}, 1, "keyframes", "came without keyframes"),
        ({"keyframes": [{"frame": i} for i in range(9)]}, 0, "keyframes", "8"),
        ({"keyframes": [{"frame": i} for i in range(8)]}, 9, "keyframe_images", "at most 8"),
        ({"keyframes": [{"frame": 50}]}, 1, "keyframes[0].frame", "past the last frame"),
        ({"keyframes": [{"frame": 0, "image": "/etc/passwd"}]}, 0, "keyframes[0].image", "keyframe_images"),
        ({"keyframes": [{"frame": 0}], "model": "reelgen-micro", "task": "t2v"}, 1, "keyframes", "ltx"),
    ],
)
def test_keyframes_and_their_images_must_pair_up(
    client: TestClient, data_dir: Path, fields: dict[str, Any], images: int, param: str, says: str
) -> None:
    before = files_under(data_dir)
    uploads = [("keyframe_images", (f"{i}.png", png())) for i in range(images)]
    err = error(client.post("/v1/videos", data=form({**LTX, **fields}), files=uploads or None))
    assert err["param"] == param and says in err["message"], err
    assert client.get("/v1/videos").json()["data"] == [] and files_under(data_dir) == before


# ---- LoRAs -------------------------------------------------------------------------------------


@pytest.fixture
def lora_dir(tmp_path: Path) -> Path:
    """A LoRA folder with a file, one in a subfolder, one hidden, a text file and a symlink out."""
    folder = tmp_path / "loras"
    (folder / "sub").mkdir(parents=True)
    write_lora(folder / "style.safetensors", rank=2)
    write_lora(folder / "sub" / "motion.safetensors", rank=4)
    (folder / ".hidden.safetensors").write_bytes(b"h")
    (folder / "notes.txt").write_text("not a LoRA")
    outside = tmp_path / "secret.safetensors"
    outside.write_bytes(b"x")
    (folder / "out.safetensors").symlink_to(outside)
    return folder


def test_get_loras_lists_the_folders_safetensors_files(
    make_client: Callable[..., TestClient], lora_dir: Path, tmp_path: Path
) -> None:
    listing = make_client(lora_dir=lora_dir).get("/v1/loras").json()
    assert [(f["name"], f["size_bytes"], f["sha256"]) for f in listing["data"]] == [
        ("style.safetensors", (lora_dir / "style.safetensors").stat().st_size, None),
        ("sub/motion.safetensors", (lora_dir / "sub" / "motion.safetensors").stat().st_size, None),
    ]
    assert make_client(lora_dir=tmp_path / "none").get("/v1/loras").json()["data"] == []


def test_a_lora_is_named_inside_the_folder_and_reaches_the_job(
    make_client: Callable[..., TestClient], lora_dir: Path
) -> None:
    client = make_client(lora_dir=lora_dir)
    loras = [{"name": "style.safetensors", "strength": 0.8}, {"name": "sub/motion.safetensors"}]
    for resp in (
        client.post("/v1/videos", json={**LTX, "loras": loras}),
        client.post("/v1/videos", data=form({**LTX, "loras": loras})),
    ):
        assert resp.status_code == 202, resp.text
        assert stored(client, resp.json()["id"]).loras == (
            LoraSpec(path=str(lora_dir.resolve() / "style.safetensors"), strength=0.8),
            LoraSpec(path=str(lora_dir.resolve() / "sub" / "motion.safetensors"), strength=1.0),
        )
        assert resp.json()["parameters"]["loras"] == [
            {"name": "style.safetensors", "strength": 0.8},
            {"name": "sub/motion.safetensors", "strength": 1.0},
        ]


@pytest.mark.parametrize(
    "name",
    [
        "../secret.safetensors",
        "/etc/secret.safetensors",
        "sub/../style.safetensors",
        "nope.safetensors",
        "out.safetensors",  # a symlink out of the folder
        ".hidden.safetensors",
        "notes.txt",
    ],
)
def test_a_lora_outside_the_folder_or_unknown_is_refused_naming_the_valid_ones(
    make_client: Callable[..., TestClient], lora_dir: Path, name: str
) -> None:
    client = make_client(lora_dir=lora_dir)
    err = error(client.post("/v1/videos", json={**LTX, "loras": [{"name": name}]}))
    assert err["param"] == "loras[0].name", err
    assert "valid names: style.safetensors, sub/motion.safetensors" in err["message"]
    assert client.get("/v1/videos").json()["data"] == []


def test_loras_are_never_server_paths_and_go_only_to_models_that_take_them(
    make_client: Callable[..., TestClient], lora_dir: Path, tmp_path: Path
) -> None:
    client = make_client(lora_dir=lora_dir)
    path = error(
        client.post("/v1/videos", json={**LTX, "loras": [{"path": str(lora_dir / "style.safetensors")}]})
    )
    assert (path["param"], path["code"]) == ("loras[0].path", "server_side_parameter")
    assert "GET /v1/loras" in path["message"]
    weights = error(client.post("/v1/videos", json={**LTX, "weights": "/root/model"}))
    assert (weights["param"], weights["code"]) == ("weights", "server_side_parameter")
    svd = {"prompt": "a fox", "model": "svd-tiny", "loras": json.dumps([{"name": "style.safetensors"}])}
    refused = error(client.post("/v1/videos", data=svd, files={"input_reference": ("s.png", png())}))
    assert refused["param"] == "loras" and "does not take LoRAs" in refused["message"]
    empty = make_client(lora_dir=tmp_path / "empty")
    err = error(empty.post("/v1/videos", json={**LTX, "loras": [{"name": "style.safetensors"}]}))
    assert err["param"] == "loras[0].name" and "holds no .safetensors files" in err["message"]


# ---- rendered ----------------------------------------------------------------------------------


@pytest.fixture
def ltx_lora(tmp_path: Path) -> Path:
    """A real LoRA for ltx-tiny's transformer, made with peft and saved as diffusers writes one."""
    from diffusers import LTXPipeline
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    from reelgen.core.backends.ltx.tiny import tiny_transformer

    transformer = tiny_transformer()
    torch.manual_seed(3)
    config = LoraConfig(
        r=4, lora_alpha=8, target_modules=["to_q", "to_k", "to_v", "to_out.0"], init_lora_weights=False
    )
    transformer.add_adapter(config)
    folder = tmp_path / "loras"
    LTXPipeline.save_lora_weights(
        folder,
        transformer_lora_layers=get_peft_model_state_dict(transformer),
        weight_name="style.safetensors",
    )
    return folder / "style.safetensors"


@pytest.fixture
def live(make_service: Callable[..., JobService], ltx_lora: Path) -> Iterator[TestClient]:  # noqa: F811
    """The API over a started job service whose CPU worker renders, with ``ltx_lora``'s folder."""
    service = make_service()
    settings = ApiSettings(jobs=service.settings, serve_web=False, lora_dir=ltx_lora.parent)
    with TestClient(create_app(settings, service=service), raise_server_exceptions=False) as client:
        yield client


def test_an_end_image_and_a_lora_render_and_are_recorded(live: TestClient, ltx_lora: Path) -> None:
    files = {"input_reference": ("start.png", png(colour=RED)), "end_image": ("end.png", png(colour=BLUE))}
    loras = [{"name": "style.safetensors", "strength": 0.8}]
    resp = live.post("/v1/videos", data=form({**LTX, "seed": 2, "loras": loras}), files=files)
    assert resp.status_code == 202, resp.text
    service: JobService = live.app.state.service  # type: ignore[attr-defined]
    service.wait(resp.json()["id"], timeout_s=300)
    video = live.get(f"/v1/videos/{resp.json()['id']}").json()
    assert video["status"] == "completed", video["error"]
    assert video["parameters"]["end_image"] is True and video["parameters"]["loras"] == loras

    sidecar = service.content(video["id"], "metadata")
    assert sidecar is not None
    record = json.loads(sidecar.read_text())
    digest = sha256_file(ltx_lora)
    assert record["loras"] == [{"path": str(ltx_lora.resolve()), "strength": 0.8, "sha256": digest}]
    assert record["request"]["task"] == "i2v" and record["request"]["end_image"]
    # The worker hashed the file when it applied it, so the listing knows its hash now.
    assert live.get("/v1/loras").json()["data"][0]["sha256"] == digest
