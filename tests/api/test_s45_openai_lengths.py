"""``seconds`` and ``size`` refused as the client wrote them, with the limit they missed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

BODY = '{"prompt": "a fox", "model": "wan-tiny", %s}'


def _error(client: TestClient, field: str) -> dict[str, str]:
    resp = client.post("/v1/videos", content=BODY % field, headers={"content-type": "application/json"})
    assert resp.status_code == 400, resp.text
    return dict(resp.json()["error"])


@pytest.mark.parametrize(
    ("written", "said"),
    [
        # A JSON number was said back as Python's float: "seconds 0.0", "seconds 100000.0".
        ("0", "seconds 0 must be"),
        ("-1", "seconds -1 must be"),
        ("100000", "seconds 100000 must be"),
        ("4000.5", "seconds 4000.5 must be"),
        ('"4s"', "seconds '4s' must be"),
    ],
)
def test_seconds_out_of_range_is_said_as_written(client: TestClient, written: str, said: str) -> None:
    error = _error(client, f'"seconds": {written}')
    assert error["param"] == "seconds"
    assert error["message"] == f'{said} a number above 0 and at most 3600, e.g. "4"'


def test_a_whole_number_past_any_float_is_refused_as_a_length(client: TestClient) -> None:
    # It was "seconds.str: Input should be a valid string": the name of a branch of the field's type.
    error = _error(client, '"seconds": 1' + "0" * 400)
    assert error["param"] == "seconds"
    assert error["message"].startswith("seconds: ") and "at most 3600" in error["message"]
    assert ".str" not in error["message"] and len(error["message"]) < 200


def test_a_size_of_six_digits_is_said_too_large_not_misshapen(client: TestClient) -> None:
    # "size '123456x64' must look like WIDTHxHEIGHT" for a size that looks just like that.
    error = _error(client, '"size": "123456x64"')
    assert error["param"] == "size"
    assert "must look like" not in error["message"]
    assert "16384" in error["message"]


def test_a_long_value_is_not_echoed_whole(client: TestClient) -> None:
    for field in ("seconds", "size"):
        error = _error(client, f'"{field}": "{"9" * 5000}x"')
        assert error["param"] == field
        assert len(error["message"]) < 300, error["message"][:100]


@pytest.mark.parametrize(("seconds", "shown"), [("12", "12.125"), ("4", "4.125")])
def test_a_videos_seconds_are_given_to_the_millisecond(client: TestClient, seconds: str, shown: str) -> None:
    body = {"prompt": "a fox", "model": "wan-tiny", "seconds": seconds}  # 8 fps, 4k+1 frames
    video = client.post("/v1/videos", json=body).json()
    assert video["seconds"] == shown, video
    assert video["num_frames"] / video["fps"] == float(shown)


@pytest.mark.parametrize(("frames", "shown"), [(28801, "3600.125"), (8001, "1000.125")])
def test_a_long_videos_seconds_keep_their_milliseconds(frames: int, shown: str) -> None:
    # One clip is at most 125 frames on wan-tiny (5d675bb6), so a film this long comes from a storyboard
    # or an enhanced upload; "{:g}" kept six digits and 28801 frames at 8 fps read "3600.12".
    from types import SimpleNamespace

    from reelgen.api.convert import _seconds_text

    job = SimpleNamespace(seconds=None, num_frames=frames, fps=8.0)  # the three fields it reads
    assert _seconds_text(job) == shown  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "said"),
    [
        ("width", 'width is written as size here: "WIDTHxHEIGHT", e.g. "832x480"'),
        ("height", 'height is written as size here: "WIDTHxHEIGHT", e.g. "832x480"'),
        ("duration", 'duration is written as seconds here, e.g. "4"'),
    ],
)
def test_a_length_named_as_other_apis_name_it_points_at_the_field(
    client: TestClient, field: str, said: str
) -> None:
    # "width is not a known field; valid fields: audio, end_reference, fps, ..." (30 names, size among them)
    error = _error(client, f'"{field}": 64')
    assert (error["param"], error["message"]) == (field, said)


def test_the_legacy_routes_still_take_width_height_and_duration(client: TestClient) -> None:
    body = {"prompt": "a fox", "model": "wan-tiny", "width": 64, "height": 64, "duration": 1}
    assert client.post("/api/video/generate", json=body).status_code == 202
