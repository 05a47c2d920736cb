"""A remix of a video whose own input files are gone from the server says so, naming no server path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.jobs.service import JobService
from tests.api.conftest import png
from tests.lora_files import write_lora


def _service(client: TestClient) -> JobService:
    return client.app.state.service  # type: ignore[attr-defined]


def test_a_remix_of_a_video_whose_start_image_was_swept_names_the_image_not_a_path(
    client: TestClient, data_dir: Path
) -> None:
    form = {"prompt": "a red fox", "model": "wan-i2v-tiny"}
    made = client.post("/v1/videos", data=form, files={"input_reference": ("fox.png", png(), "image/png")})
    assert made.status_code == 202, made.text
    for upload in _service(client).artifacts.inputs.iterdir():
        upload.unlink()  # as retention removes an upload once its video's files expire
    resp = client.post(f"/v1/videos/{made.json()['id']}/remix", json={"prompt": "the fox at night"})
    # It was "input_reference: file /srv/.../inputs/3d44...-fox.png does not exist": a server path, and a
    # field the remix never sent.
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert (error["param"], error["code"]) == ("video_id", "not_remixable")
    assert error["message"] == (
        f"video {made.json()['id']} cannot be remixed: the image it started from (input_reference) is no "
        "longer on the server (an upload goes once its video's files expire); make a new video with "
        "POST /v1/videos, sending the image again"
    )
    assert str(data_dir) not in error["message"]
    assert [v["id"] for v in client.get("/v1/videos").json()["data"]] == [made.json()["id"]]


def test_a_remix_of_a_video_whose_lora_left_the_folder_names_the_lora(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    folder = tmp_path / "loras"
    folder.mkdir()
    lora = write_lora(folder / "style.safetensors")
    client = make_client(lora_dir=folder)
    body = {"prompt": "waves", "model": "ltx-tiny", "loras": [{"name": "style.safetensors"}]}
    made = client.post("/v1/videos", json=body)
    assert made.status_code == 202, made.text
    lora.unlink()
    resp = client.post(f"/v1/videos/{made.json()['id']}/remix", json={"prompt": "calm waves"})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert (error["param"], error["code"]) == ("video_id", "not_remixable")
    assert error["message"] == (
        f"video {made.json()['id']} cannot be remixed: its LoRA 'style.safetensors' (loras[0].name) is no "
        "longer in the server's LoRA folder; put it back (GET /v1/loras lists the folder), or make a new "
        "video with POST /v1/videos"
    )
    assert str(tmp_path) not in error["message"]


def test_a_remix_of_a_video_whose_inputs_are_kept_is_queued(client: TestClient) -> None:
    form = {"prompt": "a red fox", "model": "wan-i2v-tiny"}
    made = client.post("/v1/videos", data=form, files={"input_reference": ("fox.png", png(), "image/png")})
    resp = client.post(f"/v1/videos/{made.json()['id']}/remix", json={"prompt": "the fox at night"})
    assert resp.status_code == 202, resp.text
    assert resp.json()["parameters"]["input_reference"] is True


@pytest.mark.parametrize(
    "field", ["start_image", "source_video", "weights", "width", "enhance", "speech_text"]
)
def test_a_core_field_in_a_remix_is_said_to_stay_the_remixed_videos(client: TestClient, field: str) -> None:
    # start_image was told "send the image as input_reference", which a remix refuses in turn; width was
    # "not a known field", and enhance "not offered over HTTP yet; see VideoCreate".
    made = client.post("/v1/videos", json={"prompt": "a red fox", "model": "wan-tiny"}).json()
    resp = client.post(f"/v1/videos/{made['id']}/remix", json={"prompt": "at night", field: "/etc/passwd"})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == field
    assert error["message"].startswith(f"{field} cannot change in a remix: it stays the remixed video's; ")


def test_a_remix_replayed_by_its_idempotency_key_answers_though_the_inputs_went_since(
    client: TestClient,
) -> None:
    form = {"prompt": "a red fox", "model": "wan-i2v-tiny"}
    made = client.post("/v1/videos", data=form, files={"input_reference": ("fox.png", png(), "image/png")})
    key = {"Idempotency-Key": "remix-1"}
    first = client.post(f"/v1/videos/{made.json()['id']}/remix", json={"prompt": "at night"}, headers=key)
    assert first.status_code == 202, first.text
    for upload in _service(client).artifacts.inputs.iterdir():
        upload.unlink()
    again = client.post(f"/v1/videos/{made.json()['id']}/remix", json={"prompt": "at night"}, headers=key)
    assert again.status_code == 200, again.text  # the job made, as a retry of a create gets it
    assert again.json()["id"] == first.json()["id"]


def test_a_remix_keeps_the_videos_metadata_and_webhook_as_its_refusal_says(
    make_client: Callable[..., TestClient],
) -> None:
    # "metadata cannot change in a remix: it stays the remixed video's", yet the remix had none, and
    # no webhook: a client told by webhook when its videos end never heard of its remixes.
    client = make_client(allow_private_webhooks=True)  # a loopback hook: tests resolve no other host
    hook = {"url": "http://127.0.0.1:9/hook", "events": ["completed", "failed"]}
    body = {"prompt": "a red fox", "model": "wan-tiny", "metadata": {"user": "u1"}, "webhook": hook}
    made = client.post("/v1/videos", json=body).json()
    remix = client.post(f"/v1/videos/{made['id']}/remix", json={"prompt": "at night"}).json()
    assert remix["metadata"] == {"user": "u1"}
    job = _service(client).get(remix["id"])
    assert (job.webhook_url, list(job.webhook_events)) == (hook["url"], hook["events"])
    plain = client.post("/v1/videos", json={"prompt": "a cat", "model": "wan-tiny"}).json()
    bare = client.post(f"/v1/videos/{plain['id']}/remix", json={"prompt": "a cat at night"}).json()
    assert bare["metadata"] is None and _service(client).get(bare["id"]).webhook_url is None
