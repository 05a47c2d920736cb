"""A film brought home from a server replaces the earlier film and its record together, or neither."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from reelgen.cli.client import ClientError
from reelgen.cli.project_remote import Remote
from reelgen.core.project import ProjectFolder


def _remote(tmp_path: Path, broken: str | None) -> Remote:
    (tmp_path / "project.yaml").write_text("title: T\nscenes:\n  - {title_card: {text: T}, duration: 1}\n")
    remote = Remote("http://gpu-box:8000", None, ProjectFolder.find(tmp_path))

    def answer(request: httpx.Request) -> httpx.Response:
        if broken is not None and request.url.path.endswith(broken):
            raise httpx.ReadError("connection reset by peer", request=request)
        return httpx.Response(200, content=b"new " + request.url.path.encode())

    remote.__dict__["http"] = httpx.Client(base_url=remote.server, transport=httpx.MockTransport(answer))
    return remote


@pytest.mark.parametrize("broken", [".mp4", ".json"], ids=["film", "record"])
def test_a_broken_download_leaves_the_earlier_film_and_record(tmp_path: Path, broken: str) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "t.mp4").write_bytes(b"earlier film")
    (exports / "t.json").write_bytes(b"earlier record")
    remote = _remote(tmp_path, broken)

    with pytest.raises(ClientError) as err:
        remote.fetch_export("proj_1", "t.mp4", exports / "t.mp4")

    assert "download from http://gpu-box:8000 failed (connection reset by peer)" in str(err.value)
    assert (exports / "t.mp4").read_bytes() == b"earlier film"
    assert (exports / "t.json").read_bytes() == b"earlier record"  # not the new film's, beside the old film
    assert sorted(p.name for p in exports.iterdir()) == ["t.json", "t.mp4"]  # no part left


def test_a_whole_download_replaces_both(tmp_path: Path) -> None:
    remote = _remote(tmp_path, None)
    film = remote.fetch_export("proj_1", "t.mp4", tmp_path / "exports" / "t.mp4")
    assert film.read_bytes() == b"new /v1/projects/proj_1/exports/t.mp4"
    assert film.with_suffix(".json").read_bytes() == b"new /v1/projects/proj_1/exports/t.json"
    assert sorted(p.name for p in film.parent.iterdir()) == ["t.json", "t.mp4"]
