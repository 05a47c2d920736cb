"""/v1/videos as the official ``openai`` SDK sees it: every video call, what it returns and raises.

The SDK talks to the app through the test client (an ``httpx.Client``), so each request it makes is
counted; no worker runs, so videos stay queued unless cancelled.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from fastapi.testclient import TestClient

from tests.api.openapi_once import openapi_of


@pytest.fixture
def sent(client: TestClient) -> list[str]:
    """``METHOD path`` of every request the SDK sends."""
    requests: list[str] = []
    client.event_hooks["request"].append(lambda r: requests.append(f"{r.method} {r.url.path}"))
    return requests


@pytest.fixture
def sdk(client: TestClient, sent: list[str]) -> Iterator[openai.OpenAI]:
    """The SDK as users make it: its default retries (two) on."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "The Sora API is scheduled to shut down"
        yield openai.OpenAI(base_url="http://testserver/v1", api_key="unused", http_client=client)


def test_every_video_call_of_the_sdk_reads_the_answers(sdk: openai.OpenAI) -> None:
    first = sdk.videos.create(prompt="a red fox", model="wan-tiny", extra_body={"seed": 7})
    assert first.object == "video" and first.status == "queued" and first.progress == 0
    assert first.model == "wan-tiny" and first.size == "64x64" and first.seconds == "1.125"
    assert first.completed_at is None and isinstance(first.created_at, int)
    assert first.model_extra is not None and first.model_extra["seed"] == 7
    ids = [first.id] + [sdk.videos.create(prompt=f"clip {i}", model="wan-tiny").id for i in range(4)]

    page = sdk.videos.list(limit=2)
    assert [v.id for v in page.data] == ids[:2:-1] and page.has_more
    assert [v.id for v in sdk.videos.list(limit=2)] == ids[::-1]  # the SDK follows last_id to the end
    assert [v.id for v in sdk.videos.list(limit=3, order="asc")] == ids

    remix = sdk.videos.remix(first.id, prompt="the same fox, at night")
    assert remix.remixed_from_video_id == first.id and remix.model_extra["seed"] == 7

    cancelled = sdk.post(f"/videos/{ids[1]}/cancel", cast_to=openai.types.Video)
    assert cancelled.status == "cancelled"  # a fifth status the SDK reads
    assert cancelled.error is not None and cancelled.error.code == "cancelled"
    assert sdk.videos.retrieve(ids[1]).status == "cancelled"

    deleted = sdk.videos.delete(ids[2])
    assert deleted.id == ids[2] and deleted.deleted and deleted.object == "video.deleted"
    with pytest.raises(openai.NotFoundError) as gone:
        sdk.videos.retrieve(ids[2])
    assert gone.value.code == "not_found" and gone.value.param == "video_id"
    with pytest.raises(openai.NotFoundError):
        sdk.videos.download_content(ids[2])
    with pytest.raises(openai.BadRequestError) as bad:
        sdk.videos.download_content(first.id, variant="storyboard")  # type: ignore[arg-type]
    assert bad.value.param == "variant"
    with pytest.raises(openai.BadRequestError) as unknown:
        sdk.videos.create(prompt="x", model="wan-tiny", extra_body={"bogus": 1})
    assert unknown.value.param == "bogus" and unknown.value.type == "invalid_request_error"


def test_the_sdk_does_not_retry_a_409_that_a_retry_cannot_change(sdk: openai.OpenAI, sent: list[str]) -> None:
    video = sdk.videos.create(prompt="a red fox", model="wan-tiny")
    sent.clear()
    with pytest.raises(openai.ConflictError) as not_ready:
        sdk.videos.download_content(video.id)
    assert not_ready.value.code == "video_not_ready"
    assert not_ready.value.response.headers["x-should-retry"] == "false"
    assert sent == [f"GET /v1/videos/{video.id}/content"]  # once, not three times over a second

    key = {"Idempotency-Key": "k-1"}
    sdk.videos.create(prompt="a red fox", model="wan-tiny", extra_headers=key)
    sent.clear()
    with pytest.raises(openai.ConflictError) as conflict:
        sdk.videos.create(prompt="a blue fox", model="wan-tiny", extra_headers=key)
    assert conflict.value.code == "idempotency_conflict" and sent == ["POST /v1/videos"]


def test_an_empty_idempotency_key_is_refused_not_shared(sdk: openai.OpenAI, client: TestClient) -> None:
    empty = {"Idempotency-Key": ""}  # what a client sends from an unset variable
    with pytest.raises(openai.BadRequestError) as refused:
        sdk.videos.create(prompt="a red fox", model="wan-tiny", extra_headers=empty)
    assert refused.value.param == "Idempotency-Key" and "empty" in refused.value.message
    parent = sdk.videos.create(prompt="a red fox", model="wan-tiny")
    remix = client.post(f"/v1/videos/{parent.id}/remix", json={"prompt": "night"}, headers=empty)
    assert remix.status_code == 400 and remix.json()["error"]["param"] == "Idempotency-Key"
    assert [v.id for v in sdk.videos.list()] == [parent.id]  # nothing was queued under the empty key


def test_content_of_a_cancelled_video_says_it_will_never_have_any(sdk: openai.OpenAI) -> None:
    video = sdk.videos.create(prompt="a red fox", model="wan-tiny")
    sdk.post(f"/videos/{video.id}/cancel", cast_to=openai.types.Video)
    with pytest.raises(openai.ConflictError) as err:
        sdk.videos.download_content(video.id)
    assert "was cancelled" in err.value.message and "no content" in err.value.message
    assert "once it is completed" not in err.value.message  # it never will be


def test_a_page_cursor_deleted_meanwhile_goes_on_and_an_unknown_one_is_a_400(sdk: openai.OpenAI) -> None:
    ids = [sdk.videos.create(prompt=f"clip {i}", model="wan-tiny").id for i in range(3)]
    page = sdk.videos.list(limit=1)
    assert page.last_id == ids[2]
    sdk.videos.delete(ids[2])
    following = page.get_next_page()
    assert [v.id for v in following.data] == [ids[1]]
    with pytest.raises(openai.BadRequestError) as err:
        sdk.videos.list(after="video_" + "0" * 32)
    assert err.value.param == "after" and err.value.code == "invalid_value"
    assert "without after" in err.value.message


def test_an_openai_file_id_reference_is_said_to_be_unsupported(client: TestClient) -> None:
    for field in ("input_reference", "end_reference"):
        body = {"prompt": "x", "model": "wan-i2v-tiny", field: {"file_id": "file_123"}}
        err = client.post("/v1/videos", json=body).json()["error"]
        assert err["param"] == field and "file_id is not supported" in err["message"]
        assert "image_url" in err["message"]


def test_the_spec_lists_the_statuses_each_video_route_answers(client: TestClient) -> None:
    paths = openapi_of(client)["paths"]

    def statuses(path: str, method: str) -> set[str]:
        return set(paths[path][method]["responses"])

    assert {"200", "202", "409", "429", "503", "415"} <= statuses("/v1/videos", "post")
    assert {"200", "202", "409", "429", "503"} <= statuses("/v1/videos/{video_id}/remix", "post")
    assert {"200", "206", "409", "416"} <= statuses("/v1/videos/{video_id}/content", "get")
    for path, method in (("/v1/videos", "get"), ("/v1/videos/{video_id}", "get")):
        assert not {"409", "429"} & statuses(path, method)  # they never answer these
    # A delete is never full (429), but an item of a batch or shoot-out still running is a 409.
    assert "409" in statuses("/v1/videos/{video_id}", "delete")
    assert "429" not in statuses("/v1/videos/{video_id}", "delete")


def test_lists_sent_through_the_sdks_extra_body_arrive_as_lists(make_client: Any) -> None:
    # The SDK sends create as a form and a list as key[] (objects as key[][field]); the server read
    # webhook[events][] as {"": ...}, so a webhook's events were "should be a valid list".
    client = make_client(allow_private_webhooks=True)  # a loopback hook: tests resolve no other host
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        sdk = openai.OpenAI(base_url="http://testserver/v1", api_key="unused", http_client=client)
    hook = {"url": "http://127.0.0.1:9/reelgen", "events": ["completed", "failed"]}
    video = sdk.videos.create(prompt="a red fox", model="wan-tiny", extra_body={"webhook": hook})
    job = client.app.state.service.get(video.id)
    assert (job.webhook_url, list(job.webhook_events)) == (hook["url"], hook["events"])


def test_the_usual_cleanup_loop_deletes_every_video(sdk: openai.OpenAI) -> None:
    # The SDK pages on after=<last id of the page>, which the loop had just deleted: a 400 on page two.
    for i in range(5):
        sdk.videos.create(prompt=f"clip {i}", model="wan-tiny")
    deleted = [sdk.videos.delete(video.id).id for video in sdk.videos.list(limit=2)]
    assert len(deleted) == 5 and sdk.videos.list().data == []


def test_the_sdks_calls_reelgen_lacks_say_so_and_what_to_use_instead(sdk: openai.OpenAI) -> None:
    # They reached /v1/videos/{video_id}: "POST is not allowed ...; use GET or DELETE".
    clip = ("clip.mp4", b"\x00\x00\x00\x18ftypisom", "video/mp4")
    calls = {
        "video edits": lambda: sdk.videos.edit(prompt="at night", video=clip),
        "video extensions": lambda: sdk.videos.extend(prompt="then", seconds="4", video=clip),
        "characters": lambda: sdk.videos.get_character("char_123"),
    }
    for said, call in calls.items():
        with pytest.raises(openai.NotFoundError) as missing:
            call()
        message = missing.value.body["message"]  # type: ignore[index]
        assert f"reelgen does not offer OpenAI's {said}" in message
        assert missing.value.code == "unsupported_endpoint"
    assert "POST /v1/avatars" in message
