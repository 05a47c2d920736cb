"""An image_url past REELGEN_FETCH_MAX_BYTES is refused in sizes a person reads, naming the setting."""

from __future__ import annotations

import base64

import pytest

from reelgen.api.errors import ApiError
from reelgen.api.security import FetchPolicy, fetch_url


def test_a_data_url_over_the_fetch_cap_names_the_cap_and_its_setting() -> None:
    # It said "input_reference.image_url: image is larger than 100000 bytes", naming no setting.
    url = "data:image/png;base64," + base64.b64encode(b"\0" * 300_000).decode()
    with pytest.raises(ApiError) as caught:
        fetch_url(url, FetchPolicy(timeout_s=5.0, max_bytes=100_000))
    assert caught.value.message == (
        "input_reference.image_url: image is larger than 97.7 KiB (100,000 bytes), the most this server "
        "fetches (REELGEN_FETCH_MAX_BYTES)"
    )
