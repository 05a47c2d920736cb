"""A create's keyframes sent as multipart fields indexed the way form libraries write a list of
objects (``keyframes[0][frame]``), beside their ``keyframe_images`` files."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import png
from tests.api.test_inputs_api import BLUE, LTX, RED, colour, error, stored


def test_keyframes_indexed_by_number_reach_the_job_with_their_images(client: TestClient) -> None:
    # It was a 400 "keyframes: Input should be a valid list", as loras[0][name] was (da89d71e).
    parts = [(name, (None, str(text))) for name, text in LTX.items()]
    parts += [
        ("keyframes[1][frame]", (None, "8")),
        ("keyframes[1][strength]", (None, "0.8")),
        ("keyframes[0][frame]", (None, "0")),
        ("keyframe_images", ("a.png", png(colour=RED))),
        ("keyframe_images", ("b.png", png(colour=BLUE))),
    ]
    resp = client.post("/v1/videos", files=parts)
    assert resp.status_code == 202, resp.text
    got = [(k.frame, k.strength, colour(k.image)) for k in stored(client, resp.json()["id"]).keyframes]
    assert got == [(0, 1.0, RED), (8, 0.8, BLUE)]


def test_a_numbered_keyframe_with_a_gap_shows_the_shapes_taken(client: TestClient) -> None:
    parts = [(name, (None, str(text))) for name, text in LTX.items()]
    parts += [("keyframes[1][frame]", (None, "8")), ("keyframe_images", ("a.png", png(colour=RED)))]
    body = error(client.post("/v1/videos", files=parts))
    assert body["param"] == "keyframes"
    assert "keyframes[1] comes without keyframes[0]" in body["message"]
    assert "keyframe_images file per entry" in body["message"]
