"""Property-based requests generated from the served OpenAPI spec never get a 5xx."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings

# No workers: fuzzed jobs queue but never render (a 2048x2048 job would run for hours), so
# /generate-video hits its wait limit and answers 202 after 0.1 s.
_DATA = Path(tempfile.mkdtemp(prefix="reelgen-fuzz-"))
atexit.register(shutil.rmtree, _DATA, True)
APP = create_app(
    ApiSettings(jobs=JobSettings(data_dir=_DATA), serve_web=False, wait_timeout_s=0.1),
    start_service=False,
)
# /readyz answers 503 by design while no worker runs; an event stream of a queued job stays
# open until the job ends, which never happens here. Both are tested elsewhere.
schema = (
    schemathesis.openapi.from_asgi("/openapi.json", APP)
    .exclude(path="/readyz")
    .exclude(path_regex=r"/events$")
)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    if case.path == "/generate-avatar" and response.status_code == 504:
        return  # its wait limit, answered 504 by design (tests/api/test_avatars_api.py)
    case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])
