"""``reelgen watch`` of a project job whose event stream is lost says how to see where the job is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.cli.reconnect import EventStream
from tests.cli.test_s51g_cancel_project_job import _render_job, _run, app  # noqa: F401 (a fixture)


def test_a_lost_stream_names_reelgen_status_as_a_video_watch_does(
    app: TestClient,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # It said only "...; it may run on: reelgen cancel ID stops it": how to look at it was left out.
    _project, job = _render_job(app, tmp_path)

    events = EventStream.events

    def lost(self: EventStream, http: object, path: str, *args: object, **kwargs: object) -> Iterator[object]:
        if path.startswith("/v1/projects/"):  # the project job's stream, given up before the job ended
            return iter(())
        return events(self, http, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(EventStream, "events", lost)
    out = _run("watch", job)
    assert out.exit_code != 0, out.output
    said = " ".join(out.output.split())
    assert f"lost the event stream of {job}" in said, said
    assert f"`reelgen status {job} --server http://testserver` shows it once the server answers" in said, said
    assert f"`reelgen cancel {job} --server http://testserver` stops it" in said, said
