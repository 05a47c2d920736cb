"""Property-based requests generated from the served OpenAPI spec never get a 5xx."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The app's schema, loaded when the test runs: at collection, every test process of the suite
    built the app and its schema (some 5 s of CPU each) for the one process that runs this file."""
    # No workers: fuzzed jobs queue but never render (a 2048x2048 job would run for hours), so
    # /generate-video hits its wait limit and answers 202 after 0.1 s.
    data = Path(tmp_path_factory.mktemp("fuzz"))
    app = create_app(
        # Its ASGI client sends Host "testserver" and is not Starlette's own transport, which alone the
        # Host check lets by: the name is allowed, as an operator allows a proxy's.
        ApiSettings(
            jobs=JobSettings(data_dir=data), serve_web=False, wait_timeout_s=0.1, allowed_hosts=["testserver"]
        ),
        start_service=False,
    )
    # /readyz answers 503 by design while no worker runs; an event stream of a queued job stays
    # open until the job ends, which never happens here. Both are tested elsewhere.
    return (
        schemathesis.openapi.from_asgi("/openapi.json", app)
        .exclude(path="/readyz")
        .exclude(path_regex=r"/events$")
    )


#: Examples for an operation with inputs: 6 reached 78 of the 111 (status, param, code) answers that 12 reach
#: over all operations (2026-12-07), so 12 stay.
FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

#: Examples for an operation that takes no parameter and no body: its examples differ only in the bearer
#: token, which this keyless server does not check, so 12 sent the same request 12 times (GET /v1/models
#: some 40 ms of CPU each); each of the six answered 200 to all 12.
FUZZ_NO_INPUTS = settings(FUZZ, max_examples=3)


def _takes_nothing(operation: Any) -> bool:
    raw = operation.definition.raw
    return not raw.get("parameters") and "requestBody" not in raw


def check(case: schemathesis.Case) -> None:
    response = case.call()
    if case.path == "/generate-avatar" and response.status_code == 504:
        return  # its wait limit, answered 504 by design (tests/api/test_avatars_api.py)
    case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])


def test_no_server_errors(api_schema: Any) -> None:
    """Every operation in turn, each with its own examples (the fixture loader of schemathesis's pytest
    plugin does not run on this pytest)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 40  # the routes are all there to be tried
    assert sum(map(_takes_nothing, operations)) <= 6  # the rest still get 12 examples each
    for operation in operations:
        fuzz = FUZZ_NO_INPUTS if _takes_nothing(operation) else FUZZ
        fuzz(given(case=operation.as_strategy())(check))()
