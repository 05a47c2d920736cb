"""The create body is the core request on the wire: its aliases work, server paths are refused, one resolve."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelgen.api import videos
from reelgen.core.spec import resolve
from reelgen.core.spec.request import GenerationRequest, ResolvedRequest
from reelgen.jobs import kinds
from tests.api.conftest import files_under
from tests.api.openapi_once import openapi_of

TINY = {"prompt": "a fox", "model": "wan-tiny", "size": "64x64", "num_frames": 9}


def stored(client: TestClient, video_id: str) -> ResolvedRequest:
    request = kinds.payload_of(client.app.state.service.get(video_id))  # type: ignore[attr-defined]
    assert isinstance(request, ResolvedRequest)
    return request


def test_wire_aliases_and_core_names_ask_for_the_same_request(client: TestClient) -> None:
    wire = client.post(
        "/v1/videos", json={**TINY, "seed": 4, "num_inference_steps": 3, "guidance_scale": 2.5}
    )
    core = client.post("/v1/videos", json={**TINY, "seed": 4, "steps": 3, "guidance": 2.5})
    assert wire.status_code == core.status_code == 202, (wire.text, core.text)
    first, second = stored(client, wire.json()["id"]), stored(client, core.json()["id"])
    assert first == second
    assert (first.steps, first.guidance, first.guidance_2, first.width, first.height) == (3, 2.5, 2.5, 64, 64)
    assert first.negative_prompt == "" and set(first.options.model_dump().values()) == {None}


@pytest.mark.parametrize(
    ("field", "value", "hint"),
    [
        ("start_image", "/etc/passwd", "input_reference"),
        ("end_image", "/etc/hostname", "multipart file field end_image"),
        ("source_video", "/srv/clip.mp4", "multipart file field source_video"),
        ("reference_images", ["/etc/passwd"], "names files on the server"),
        ("weights", "/root/model", "GET /v1/models"),
        ("enhance", [{"name": "upscale"}], "not offered over HTTP"),
    ],
)
def test_fields_that_name_server_files_are_refused_with_a_clear_400(
    client: TestClient, data_dir: Path, field: str, value: Any, hint: str
) -> None:
    before = files_under(data_dir)
    for send in ("json", "data"):
        body = {**TINY, field: value}
        resp = client.post(
            "/v1/videos", **{send: body if send == "json" else {k: str(v) for k, v in body.items()}}
        )
        assert resp.status_code == 400, resp.text
        error = resp.json()["error"]
        assert (error["param"], error["code"]) == (field, "server_side_parameter")
        assert error["message"].startswith(field) and hint in error["message"]
    assert client.get("/v1/videos").json()["data"] == [] and files_under(data_dir) == before


def test_the_served_schema_is_the_core_fields_with_wire_names_and_no_server_paths(client: TestClient) -> None:
    schema = openapi_of(client)["components"]["schemas"]
    create = schema["VideoCreate"]
    props = create["properties"]
    assert create["required"] == ["prompt"] and create["additionalProperties"] is False
    assert {"size", "seconds", "input_reference", "priority", "metadata", "webhook"} <= set(props)
    assert {"num_inference_steps", "guidance_scale", "guidance_scale_2", "seed", "options"} <= set(props)
    for hidden in ("start_image", "end_image", "source_video", "weights", "steps", "width"):
        assert hidden not in props, hidden
    # Keyframes and LoRAs come in the wire's own shapes: images uploaded or fetched, LoRAs by name.
    assert {"end_reference", "keyframes", "loras"} <= set(props)
    assert set(schema["KeyframeSpec"]["properties"]) == {"frame", "strength", "image_url"}
    assert set(schema["LoraChoice"]["properties"]) == {"name", "strength"}
    form = schema["VideoCreateForm"]["properties"]
    assert form["keyframe_images"]["type"] == "array" and form["end_image"]["format"] == "binary"
    core = GenerationRequest.model_json_schema()["properties"]
    for name in ("num_inference_steps", "guidance_scale", "num_frames", "seed", "fps"):
        assert props[name] == core[name], name  # the same type, limits and description, not a copy by hand

    # The negative prompt too, but with the server's own length cap (api/openapi_limits.py).
    def uncapped(field: dict[str, Any]) -> list[dict[str, Any]]:
        return [{k: v for k, v in branch.items() if k != "maxLength"} for branch in field["anyOf"]]

    assert uncapped(props["negative_prompt"]) == uncapped(core["negative_prompt"])
    assert props["negative_prompt"]["anyOf"][0]["maxLength"] == props["prompt"]["maxLength"] < 20_000
    assert set(schema["VideoRemix"]["properties"]) == {
        "prompt",
        "negative_prompt",
        "seed",
        "num_inference_steps",
        "guidance_scale",
        "priority",
    }


def test_a_create_is_resolved_once_and_an_idempotent_replay_not_at_all(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[GenerationRequest] = []

    def counting(request: GenerationRequest) -> ResolvedRequest:
        calls.append(request)
        return resolve(request)

    monkeypatch.setattr(videos, "resolve", counting)
    headers = {"Idempotency-Key": "once"}
    first = client.post("/v1/videos", json=TINY, headers=headers)
    again = client.post("/v1/videos", json=TINY, headers=headers)
    assert (first.status_code, again.status_code) == (202, 200)
    assert len(calls) == 1 and calls[0].steps is None  # the request as given; defaults come from resolve
    assert stored(client, first.json()["id"]).steps == 2


def test_a_remix_is_a_new_request_made_from_the_parent_and_resolved_afresh(client: TestClient) -> None:
    parent = client.post("/v1/videos", json={**TINY, "seed": 7}).json()
    resp = client.post(
        f"/v1/videos/{parent['id']}/remix", json={"prompt": "at night", "guidance_scale": 3.0, "steps": 4}
    )
    assert resp.status_code == 202, resp.text
    remix = stored(client, resp.json()["id"])
    assert (remix.prompt, remix.seed, remix.steps, remix.guidance) == ("at night", 7, 4, 3.0)
    assert remix.guidance_2 == 3.0  # it followed guidance on a one-expert model, so it still does
    bad = client.post(f"/v1/videos/{parent['id']}/remix", json={"prompt": "x", "weights": "/root/m"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "weights"


def test_a_remix_refuses_what_it_cannot_change_and_an_empty_prompt(client: TestClient) -> None:
    parent = client.post("/v1/videos", json=TINY).json()
    for field, value in (("model", "wan-tiny"), ("size", "32x32"), ("num_frames", 5)):
        resp = client.post(f"/v1/videos/{parent['id']}/remix", json={"prompt": "x", field: value})
        assert resp.status_code == 400, resp.text
        error = resp.json()["error"]
        # Not "not offered over HTTP": the create takes it; a remix keeps the parent's.
        assert error["param"] == field and "cannot change in a remix" in error["message"], error
    empty = client.post(f"/v1/videos/{parent['id']}/remix", json={"prompt": "  "})
    assert empty.status_code == 400 and empty.json()["error"]["param"] == "prompt", empty.text
    assert len(client.get("/v1/videos").json()["data"]) == 1  # no remix was queued


def test_the_video_routes_show_only_render_jobs(
    make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.jobs.fakes import FanOut, FanOutPayload

    client = make_client()
    service = client.app.state.service  # type: ignore[attr-defined]
    kinds.register(FanOut())
    monkeypatch.setattr(service.parents, "advance", lambda job_id: None)  # no children in this test
    try:
        parent = service.submit(FanOutPayload(count=2), kind="fanout")
    finally:
        kinds.unregister("fanout")
    assert client.get(f"/v1/videos/{parent.id}").status_code == 404
    assert client.get("/v1/videos").json()["data"] == []


def test_a_target_rate_is_taken_as_text_as_the_command_line_takes_it(client: TestClient) -> None:
    # "60000/1001" was "Input should be a valid number": no exact NTSC rate could be asked for over HTTP.
    resp = client.post("/v1/videos", json={**TINY, "target_fps": "60000/1001", "interpolator": "flow"})
    assert resp.status_code == 202, resp.text
    (step,) = stored(client, resp.json()["id"]).enhance
    assert step.options["target_fps"] == "60000/1001"
    bad = client.post("/v1/videos", json={**TINY, "target_fps": "fast"})
    assert bad.status_code == 400
    assert (
        bad.json()["error"]["message"]
        == "target_fps: 'fast' is not a frame rate; give e.g. 60, 59.94 or 60000/1001"
    )


def test_a_videos_parameters_give_back_the_enhancement_it_was_asked_for_and_no_other(
    client: TestClient,
) -> None:
    # A factor's step holds target_fps None, which came back as the text "None".
    by_factor = client.post(
        "/v1/videos", json={**TINY, "interpolate": 3, "upscale": 1.5, "upscaler": "lanczos"}
    )
    assert by_factor.status_code == 202, by_factor.text
    params = by_factor.json()["parameters"]
    assert (params["interpolate"], params["target_fps"], params["upscale"]) == (3, None, 1.5)
    assert params["upscaler"] == "lanczos"
    by_rate = client.post("/v1/videos", json={**TINY, "target_fps": "60000/1001", "interpolator": "flow"})
    params = by_rate.json()["parameters"]
    assert (params["interpolate"], params["target_fps"], params["upscale"]) == (None, "60000/1001", None)
    assert (params["interpolator"], params["upscaler"]) == ("flow", None)


def test_a_videos_parameters_name_the_methods_so_the_same_body_asks_for_the_same_chain(
    client: TestClient,
) -> None:
    first = client.post(
        "/v1/videos",
        json={**TINY, "interpolate": 2, "interpolator": "flow", "upscale": 2, "upscaler": "lanczos"},
    )
    assert first.status_code == 202, first.text
    params = first.json()["parameters"]
    again = {k: params[k] for k in ("interpolate", "interpolator", "upscale", "upscaler")}
    second = client.post("/v1/videos", json={**TINY, **again})
    assert second.status_code == 202, second.text
    assert stored(client, second.json()["id"]).enhance == stored(client, first.json()["id"]).enhance


@pytest.mark.parametrize(
    ("model", "guidance_2", "audio"),
    [("wan-tiny", None, None), ("wan22-tiny", 3.0, None), ("ltx2-tiny", None, True)],
)
def test_a_videos_parameters_hold_a_second_guidance_and_sound_only_for_models_that_have_them(
    client: TestClient, model: str, guidance_2: float | None, audio: bool | None
) -> None:
    # A one-expert model's guidance_scale_2 merely repeated guidance_scale; a silent model's audio said true.
    resp = client.post(
        "/v1/videos", json={**TINY, "model": model, "num_frames": 9 if model != "ltx2-tiny" else 17}
    )
    assert resp.status_code == 202, resp.text
    params = resp.json()["parameters"]
    assert (params["guidance_scale_2"], params["audio"]) == (guidance_2, audio)


def test_a_missing_input_is_named_as_the_api_takes_it_not_as_the_command_line_does(
    client: TestClient,
) -> None:
    resp = client.post("/v1/videos", json={**TINY, "model": "svd-tiny", "size": "64x64", "num_frames": 8})
    assert resp.status_code == 400, resp.text
    err = resp.json()["error"]
    assert err["param"] == "input_reference"
    assert err["message"].endswith("give a start image (input_reference)")


def test_a_misspelt_field_is_answered_with_the_near_one(client: TestClient) -> None:
    resp = client.post("/v1/videos", json={**TINY, "num_inference_step": 3})
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["message"] == "num_inference_step is not a known field; did you mean num_inference_steps?"
    assert error["param"] == "num_inference_step"


#: A form's text fields as the page sends them.
FORM = {key: str(value) for key, value in TINY.items()}


@pytest.mark.parametrize(
    ("send", "body", "param", "message"),
    [
        ("json", {"seed": True}, "seed", "seed: true is not a number; give a whole number from 0 to "),
        (
            "json",
            {"guidance_scale": False},
            "guidance_scale",
            "false is not a number; give a number from 0 to 100",
        ),
        ("json", {"upscale": True}, "upscale", "true is not a number; give a number above 1 and at most 8"),
        (
            "json",
            {"options": {"flow_shift": True}},
            "options.flow_shift",
            "true is not a number; give a number above 0",
        ),
        (
            "json",
            {"num_inference_steps": 7.9},
            "num_inference_steps",
            "7.9 is not a whole number; give a whole",
        ),
        ("json", {"seed": "5"}, "seed", "'5' is text, not a number (write it without quotes)"),
        ("data", {"seed": "true"}, "seed", "seed: 'true' is not a number; give a whole number from 0 to "),
        (
            "data",
            {"fps": "false"},
            "fps",
            "fps: 'false' is not a number; give a number above 0 and at most 240",
        ),
        ("data", {"num_inference_steps": "7.9"}, "num_inference_steps", "'7.9' is not a whole number"),
        ("data", {"options": '{"flow_shift": true}'}, "options.flow_shift", "true is not a number"),
        ("data", {"loras": '[{"name": "x", "strength": true}]'}, "loras[0].strength", "true is not a number"),
        ("data", {"keyframes": '[{"frame": true}]'}, "keyframes[0].frame", "true is not a number"),
    ],
)
def test_true_or_false_for_a_number_is_refused_naming_the_field_and_what_it_takes(
    client: TestClient, send: str, body: dict[str, Any], param: str, message: str
) -> None:
    # Read leniently, `"seed": true` was seed 1 and `flow_shift: true` a shift of 1.0; and a form's
    # JSON fields (options, loras, keyframes) were read as leniently as its text.
    resp = client.post("/v1/videos", **{send: {**(TINY if send == "json" else FORM), **body}})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == param and message in error["message"], error
    assert client.get("/v1/videos").json()["data"] == []


def test_real_switches_still_take_text_and_whole_numbers_written_with_a_point_are_whole(
    client: TestClient,
) -> None:
    off = client.post("/v1/videos", data={**FORM, "audio": "false"})
    assert off.status_code == 202, off.text
    assert stored(client, off.json()["id"]).audio is False
    seven = client.post("/v1/videos", json={**TINY, "num_inference_steps": 7.0, "num_frames": 9.0})
    assert seven.status_code == 202, seven.text
    assert (stored(client, seven.json()["id"]).steps, stored(client, seven.json()["id"]).num_frames) == (7, 9)


def test_nan_seconds_is_named_as_seconds_not_a_branch_of_its_type(client: TestClient) -> None:
    body = {key: value for key, value in TINY.items() if key != "num_frames"}
    raw = json.dumps({**body, "seconds": float("nan")})  # Python writes NaN, as some clients do
    resp = client.post("/v1/videos", content=raw, headers={"content-type": "application/json"})
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["param"] == "seconds" and error["message"].startswith("seconds: nan is not a finite number")


def test_a_seed_of_minus_one_is_said_not_to_mean_random_on_every_route(client: TestClient) -> None:
    # Wan2GP and Automatic1111 users send -1 for "random"; it read "Input should be greater than or equal to 0".
    parent = client.post("/v1/videos", json=TINY).json()
    sends = {
        "json": lambda: client.post("/v1/videos", json={**TINY, "seed": -1}),
        "form": lambda: client.post("/v1/videos", data={**TINY, "num_frames": "9", "seed": "-1"}),
        "remix": lambda: client.post(f"/v1/videos/{parent['id']}/remix", json={"prompt": "b", "seed": -1}),
        "legacy": lambda: client.post("/api/video/generate", json={"prompt": "a fox", "seed": -1}),
    }
    for how, send in sends.items():
        resp = send()
        assert resp.status_code == 400, (how, resp.text)
        error = resp.json()["error"]
        assert error["param"] == "seed", how
        # A remix without a seed keeps the remixed video's: no random one there.
        left_out = (
            "to keep the remixed video's seed"
            if how == "remix"
            else "for a random one (each video's answer holds the seed it got)"
        )
        assert error["message"] == (
            f"seed: -1 does not mean random here: give a whole number from 0 to 2^63-1, or leave seed out {left_out}"
        ), how
    assert client.post("/v1/videos", json={**TINY, "seed": 0}).status_code == 202


def test_a_running_videos_metrics_give_how_long_it_waited() -> None:
    # queue_seconds was null until the job ended, though its wait was over once it started.
    from reelgen.api.convert import video_object
    from reelgen.jobs.records import Job, JobStatus

    running = Job(
        id="video_" + "3" * 32,
        status=JobStatus.IN_PROGRESS,
        model="wan-tiny",
        prompt="a fox",
        payload={},
        priority=0,
        created_at=1000.0,
        updated_at=1010.0,
        started_at=1004.25,
    )
    shown = video_object(running, "http://127.0.0.1:8000", None, 7.0)
    assert shown.metrics.queue_seconds == 4.25 and shown.metrics.run_seconds is None
    waiting = dataclasses.replace(running, status=JobStatus.QUEUED, started_at=None, updated_at=1000.0)
    queued = video_object(waiting, "http://127.0.0.1:8000", 0, 7.0)
    assert queued.metrics.queue_seconds is None  # still waiting: no figure yet


def test_a_text_to_video_videos_parameters_can_be_sent_back_as_they_are(client: TestClient) -> None:
    """They held source_strength 0.7, which only a run from a source clip uses; sent back, a 400."""
    first = client.post("/v1/videos", json={**TINY, "model": "wan-tiny", "num_frames": 9})
    assert first.status_code == 202, first.text
    params = first.json()["parameters"]
    assert params["source_strength"] is None
    sent = {
        k: v
        for k, v in params.items()
        if v is not None
        and k not in ("input_reference", "source_video", "end_image", "keyframes", "loras", "task")
    }
    again = client.post("/v1/videos", json={"prompt": TINY["prompt"], "model": "wan-tiny", **sent})
    assert again.status_code == 202, again.text
