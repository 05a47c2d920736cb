"""NaN and infinities in a number field are a 400 naming the field and its range, on every create route.

Python's json reads the literals ``NaN``, ``Infinity`` and ``-Infinity``, and a form sends ``nan`` or
``inf`` as text, which ``float()`` reads; none is a value any field takes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings

VIDEO_ID = "video_" + "0" * 32
#: What each field takes, as its refusal says it.
RANGES = {
    "guidance_scale": "a number from 0 to 100",
    "target_fps": "a number above 0 and at most 1000",
    "upscale": "a number above 1 and at most 8",
    "fps": "a number above 0 and at most 240",
    "guidance": "a number from 0 to 100",
    "duration": "a number above 0 and at most 3600",
}
FORM_WORDS = ["nan", "NaN", "inf", "-inf", "Infinity", "-Infinity"]
JSON_LITERALS = ["NaN", "Infinity", "-Infinity"]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for the module's ~90 requests: each is refused, so none changes what the next one meets."""
    jobs = JobSettings(data_dir=tmp_path_factory.mktemp("not-finite") / "server")
    app = create_app(ApiSettings(jobs=jobs, serve_web=False), start_service=False)
    with TestClient(app, raise_server_exceptions=False) as shared:
        yield shared


def _refused(resp: object, field: str) -> str:
    assert resp.status_code == 400, (field, resp.text)  # type: ignore[attr-defined]
    error = resp.json()["error"]  # type: ignore[attr-defined]
    assert error["param"] == field, error
    message: str = error["message"]
    assert message.startswith(f"{field}: "), message
    assert RANGES[field] in message, message
    return message


def _json(client: TestClient, url: str, body: str) -> object:
    return client.post(url, content=body, headers={"content-type": "application/json"})


@pytest.mark.parametrize("field", ["guidance_scale", "target_fps", "upscale", "fps"])
@pytest.mark.parametrize("word", FORM_WORDS)
def test_videos_form(client: TestClient, field: str, word: str) -> None:
    resp = client.post("/v1/videos", data={"prompt": "a fox", "model": "wan-tiny", field: word})
    _refused(resp, field)


@pytest.mark.parametrize("field", ["guidance_scale", "target_fps", "upscale", "fps"])
@pytest.mark.parametrize("literal", [*JSON_LITERALS, '"nan"', '"Infinity"'])
def test_videos_json(client: TestClient, field: str, literal: str) -> None:
    body = f'{{"prompt": "a fox", "model": "wan-tiny", "{field}": {literal}}}'
    _refused(_json(client, "/v1/videos", body), field)


@pytest.mark.parametrize("field", ["target_fps", "upscale"])
@pytest.mark.parametrize("word", FORM_WORDS)
def test_enhance_form(client: TestClient, field: str, word: str) -> None:
    resp = client.post(
        "/v1/videos/enhance", data={field: word}, files={"file": ("a.mp4", b"0000", "video/mp4")}
    )
    _refused(resp, field)


@pytest.mark.parametrize("field", ["target_fps", "upscale"])
@pytest.mark.parametrize("literal", [*JSON_LITERALS, '"nan"', '"-inf"'])
def test_enhance_json(client: TestClient, field: str, literal: str) -> None:
    _refused(_json(client, f"/v1/videos/{VIDEO_ID}/enhance", f'{{"{field}": {literal}}}'), field)


def test_a_rate_written_as_text_names_its_range(client: TestClient) -> None:
    # It said only "is not a frame rate; give e.g. 60, 59.94 or 60000/1001", not what the field takes.
    message = _refused(
        _json(client, "/v1/videos", '{"prompt": "a", "model": "wan-tiny", "target_fps": "inf"}'), "target_fps"
    )
    assert message == "target_fps: 'inf' is not a finite number; it takes a number above 0 and at most 1000"


@pytest.mark.parametrize("url", ["/api/video/generate", "/generate-video"])
@pytest.mark.parametrize("field", ["guidance", "fps", "duration"])
@pytest.mark.parametrize("literal", JSON_LITERALS)
def test_legacy_json(client: TestClient, url: str, field: str, literal: str) -> None:
    # NaN was said to be "too large", -Infinity "too small": it is no number at all.
    message = _refused(
        _json(client, url, f'{{"prompt": "a fox", "model": "wan-tiny", "{field}": {literal}}}'), field
    )
    assert "is not a finite number" in message, message


@pytest.mark.parametrize("field", ["guidance", "fps", "duration"])
@pytest.mark.parametrize("word", ["nan", "inf", "-Infinity"])
def test_legacy_form(client: TestClient, field: str, word: str) -> None:
    resp = client.post("/api/video/animate", data={"prompt": "a fox", "model": "wan-tiny", field: word})
    message = _refused(resp, field)
    assert "is not a finite number" in message, message
