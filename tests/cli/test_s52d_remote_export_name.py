"""`reelgen project export --server` brings home a film whose name holds `#`, `?` or spaces."""

from __future__ import annotations

from pathlib import Path

import httpx

from reelgen.cli.project_remote import Remote
from reelgen.core.project import ProjectFolder


def test_a_film_named_with_hash_and_question_mark_downloads(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text("title: T\nscenes:\n  - {title_card: {text: T}, duration: 1}\n")
    remote = Remote("http://gpu-box:8000", None, ProjectFolder.find(tmp_path))
    films = {
        "/v1/projects/proj_1/exports/take #2? final.mp4": b"film",
        "/v1/projects/proj_1/exports/take #2? final.json": b"record",
    }

    def answer(request: httpx.Request) -> httpx.Response:
        # The server sees the path as sent: a bare '#' or '?' cut the name short there ("take ").
        if request.url.query or request.url.path not in films:
            return httpx.Response(404, json={"error": {"message": f"no export {request.url.path!r}"}})
        return httpx.Response(200, content=films[request.url.path])

    remote.__dict__["http"] = httpx.Client(base_url=remote.server, transport=httpx.MockTransport(answer))
    target = tmp_path / "exports" / "take #2? final.mp4"
    film = remote.fetch_export("proj_1", "take #2? final.mp4", target)
    assert film.read_bytes() == b"film"
    assert film.with_suffix(".json").read_bytes() == b"record"
