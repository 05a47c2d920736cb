"""The test tabs themselves: a page's request to another host fails and is recorded, loopback's are served."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Error

from tests.web.conftest import Served, Tab


def test_a_request_off_the_machine_fails_and_is_recorded_while_loopback_answers(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    # Navigations, which the page's content security policy does not stand in front of.
    for url in ("https://example.com/", "http://93.184.215.14/x"):
        with pytest.raises(Error, match="ERR_PROXY_CONNECTION_FAILED|ERR_TUNNEL_CONNECTION_FAILED"):
            t.page.goto(url, timeout=10_000)
    answered = t.context.new_page().goto(f"{quiet_server.url}/v1/models")  # a fresh tab: no error page
    assert answered is not None and answered.status == 200
    assert t.blocked == ["https://example.com/", "http://93.184.215.14/x"]
