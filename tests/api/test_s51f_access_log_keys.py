"""The access log hides the same key-like query values webhook log lines do: ``?sig=`` too."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from reelgen.api.keylog import RedactKeys


@pytest.mark.parametrize(
    "query",
    [
        "sig=SIGSECRET",
        "signature=SIGSECRET",
        "secret=SIGSECRET",
        "code=SIGSECRET",
        "X-Amz-Signature=SIGSECRET",
    ],
)
def test_a_signature_in_the_query_is_hidden_in_the_access_line(
    make_client: Callable[..., TestClient], query: str
) -> None:
    # ?api_key= and ?token= were hidden, but ?sig=, ?code= and S3's X-Amz-Signature were written out.
    client = make_client(api_key="the-servers-key")
    access = logging.getLogger("uvicorn.access")
    hider = [f for f in access.filters if isinstance(f, RedactKeys) and f.key == "the-servers-key"]
    assert len(hider) == 1
    name = query.partition("=")[0]
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", f"/v1/videos?limit=1&{query}", "1.1", 401), None,
    )  # fmt: skip
    hider[0].filter(record)
    assert record.getMessage() == f'127.0.0.1:5 - "GET /v1/videos?limit=1&{name}=[hidden] HTTP/1.1" 401'
    assert client.get(f"/v1/videos?{query}").status_code == 401
