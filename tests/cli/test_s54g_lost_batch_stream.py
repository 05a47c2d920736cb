"""A batch's follow that lost its server said "GET URL/v1/batches/ID shows where it is", a request to type by
hand; it now names the commands that show and cancel it, which take a batch's id (bc1e8b90)."""

from __future__ import annotations

import pytest

from reelgen.cli import remote
from tests.cli.test_s51i_follow_window import SERVER, _follow_batch, _window


def test_a_lost_batch_stream_names_reelgen_status_and_cancel(monkeypatch: pytest.MonkeyPatch) -> None:
    _window(monkeypatch, 0.2)
    with pytest.raises(remote.ServerError) as caught:
        _follow_batch(monkeypatch, 3600)
    said = " ".join(str(caught.value).split())
    assert said.endswith(
        f"the batch may run on: `reelgen status batch_1 --server {SERVER}` shows it once the server "
        f"answers, `reelgen cancel batch_1 --server {SERVER}` stops it"
    ), said
