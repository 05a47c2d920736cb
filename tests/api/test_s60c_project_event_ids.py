"""A project job's stream resumed from an id past any it sends ends as one resumed from its last id does,
instead of dropping the connection once its 200 had begun (the job store could not hold the number)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.api.serving import checking_only

#: A project of one title card: its render has nothing to render, so its job ends as it is made.
CARD = {
    "title": "Card",
    "defaults": {"model": "wan-tiny", "width": 48, "height": 32, "fps": 8},
    "scenes": [{"id": "opening", "title_card": {"text": "Card"}, "duration": 1.0}],
}


def _frames(text: str) -> list[str]:
    return [line.removeprefix("event: ") for line in text.splitlines() if line.startswith("event: ")]


@pytest.mark.parametrize("cursor", ["99999999999999999999", "99999999999999999999.99999999999999999999"])
def test_an_id_past_the_end_ends_the_stream_whole(tmp_path: Path, cursor: str) -> None:
    with checking_only(tmp_path / "server") as url, httpx.Client(base_url=url, timeout=30) as client:
        project = client.post("/v1/projects", json={"project": CARD})
        assert project.status_code == 201, project.text
        job = client.post(f"/v1/projects/{project.json()['id']}/render")
        assert job.status_code == 202 and job.json()["status"] == "completed", job.text
        events = f"/v1/projects/{project.json()['id']}/jobs/{job.json()['id']}/events"
        whole = client.get(events)
        assert whole.status_code == 200 and _frames(whole.text)[-1] == "completed", whole.text
        last = [line for line in whole.text.splitlines() if line.startswith("id: ")][-1]
        resumed = client.get(events, headers={"Last-Event-ID": last.removeprefix("id: ")})
        assert _frames(resumed.text) == ["open"]
        # The stream broke off after its headers (httpx: "peer closed connection without sending
        # complete message body"); now nothing comes after "everything", as after the last id.
        past = client.get(events, headers={"Last-Event-ID": cursor})
        assert past.status_code == 200 and _frames(past.text) == ["open"], past.text


def test_the_documented_pattern_of_after_is_what_the_stream_takes(tmp_path: Path) -> None:
    import re

    with checking_only(tmp_path / "server") as url, httpx.Client(base_url=url, timeout=30) as client:
        spec = client.get("/openapi.json").json()
        operation = spec["paths"]["/v1/projects/{project_id}/jobs/{job_id}/events"]["get"]
        after = next(p for p in operation["parameters"] if p["name"] == "after")
        pattern = re.compile(after["schema"]["pattern"])  # the schema said any text up to 4000 characters
        project = client.post("/v1/projects", json={"project": CARD}).json()["id"]
        job = client.post(f"/v1/projects/{project}/render").json()["id"]
        events = f"/v1/projects/{project}/jobs/{job}/events"
        for value in ("0", "3.5.0.7", "1" * 18, "abc", "1" * 19, "1..2", "-1"):
            status = client.get(events, params={"after": value}).status_code
            assert status == (200 if pattern.search(value) else 400), value
