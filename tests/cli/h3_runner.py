"""Typer's ``CliRunner`` with the Click command of each app built once per test process, and
``one_tls_context``, a fixture for modules whose commands talk to plain-HTTP test servers.

``CliRunner.invoke(app, ...)`` builds ``app``'s Click command anew on every call: Typer reads every
command's signature and evaluates its string annotations, about 0.07 CPU-seconds for ``reelgen`` each
time, more than many a test's command itself costs. The command it builds holds no state of a run (Click
keeps that in the run's context), and the ``reelgen`` script builds it once per process too, so the tests
here share one. A test that changes the app itself (adds a command) would need the plain runner.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx._transports.default as httpx_transport
import pytest
import typer.testing
from typer import Typer
from typer.main import get_command


@functools.cache
def _command(app: Typer) -> Any:
    return get_command(app)


@contextmanager
def _built_once() -> Iterator[None]:
    unpatched = typer.testing._get_command
    typer.testing._get_command = _command
    try:
        yield
    finally:
        typer.testing._get_command = unpatched


class CliRunner(typer.testing.CliRunner):
    """``invoke`` as Typer's, on the app's command built the first time it is run."""

    def invoke(self, app: Typer, *args: Any, **kwargs: Any) -> typer.testing.Result:
        with _built_once():
            return super().invoke(app, *args, **kwargs)


@pytest.fixture(autouse=True, scope="module")
def one_tls_context() -> Iterator[None]:
    """The module's httpx clients share one TLS context (autouse where a module takes it in).

    Each command that talks to a server makes an httpx client (as does ``httpx.post``), and each client
    parsed certifi's CA certificates into a TLS context of its own: about 0.04 CPU-s, as much as the
    rest of many such commands. The servers in these tests are plain http://, so no context is used;
    one made the same way serves them all.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            httpx_transport, "create_ssl_context", functools.cache(httpx_transport.create_ssl_context)
        )
        yield
