"""A download from a server (enhance/avatar --server) says, as a local run does, that its record
replaces that of another video beside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgen.cli import download
from reelgen.core.render import render
from reelgen.core.spec import registry, resolve
from reelgen.core.spec.request import GenerationRequest
from tests.core.fakes import SPEC


@pytest.fixture(autouse=True)
def fake_family() -> Iterator[None]:
    registry.register(SPEC)
    yield
    registry.unregister("fake")


def test_a_download_beside_a_gif_says_it_takes_the_gifs_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    request = resolve(GenerationRequest.model_validate({"model": "fake-tiny", "prompt": "a cat", "seed": 7}))
    render(request, tmp_path / "out.gif")  # out.gif and its record out.json

    def fetched(server: str, api_key: str | None, video_id: str, target: Path, *rest: object) -> None:
        target.write_bytes(b"not a video")  # carries no record: the sidecar goes

    monkeypatch.setattr(download, "fetch_content", fetched)
    download.fetch_with_record("http://server", None, "video_1", tmp_path / "out.mp4")
    said = capsys.readouterr().err
    assert "warning: out.json, the record of out.gif, becomes out.mp4's" in said
    assert (tmp_path / "out.mp4").read_bytes() == b"not a video"


def test_a_download_with_no_other_video_beside_it_says_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(download, "fetch_content", lambda s, k, v, target, *r: target.write_bytes(b"x"))
    download.fetch_with_record("http://server", None, "video_1", tmp_path / "out.mp4")
    assert "warning" not in capsys.readouterr().err
