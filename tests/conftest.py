"""Test-wide fixtures: no network but loopback, a private reelgen home, Ray kept on loopback."""

from __future__ import annotations

import asyncio
import functools
import gc
import ipaddress
import logging
import os
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx._transports.default as httpx_transport
import pytest
import typer.testing

from tests.browser import chromium, full_chromium, playwright  # noqa: F401  (session fixtures, shared)

# Ray must bind loopback only (ARCHITECTURE.md section 5); set before any test imports ray.
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# One compute thread per process: the suite runs three xdist workers on two cores, and most tests start
# servers or workers of their own; with torch's default of a thread per core each process's OpenMP
# threads spin against the others' and the suite ran twice as long. Children inherit it.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
# Compiled modules are kept. Where the environment sets PYTHONDONTWRITEBYTECODE (this machine's does),
# every server, worker and CLI process a test starts compiled reelgen's sources again, and each test
# process rewrote and compiled every test module's asserts again, on every run.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
# Stop signals as a terminal gives them, however the suite was started: a run started in the background
# (`cmd &` ignores SIGINT) or under nohup (SIGHUP) passed those ignores on to every server and command a
# test starts, and each then shrugged off the Ctrl-C or hang-up its test sent it (`reelgen serve` exited
# 0 instead of 130; a hang-up never reached the `ray start` stand-in).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
if signal.getsignal(signal.SIGHUP) is signal.SIG_IGN:
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
# A request that names no model gets the server's default ("auto": reelgen-micro here, about ten times
# slower than ltx-tiny on a CPU); tests that leave the model out want the fastest one.
os.environ.setdefault("REELGEN_DEFAULT_MODEL", "ltx-tiny")

# The app's Click command is built once per test process, as the `reelgen` script builds it once per run.
# Typer's test runner built it again on every invoke (every command's signature read and its string
# annotations evaluated: about 0.08 CPU-s, more than many a command costs) and the suite invokes some
# 1,500 times. The built command holds nothing of a run: Click keeps that in each run's context.
typer.testing._get_command = functools.cache(typer.testing._get_command)
# One TLS context per set of arguments: every httpx client (each command that talks to a server, each
# ``httpx.post``) parsed certifi's CA certificates into a context of its own, about 0.04 CPU-s apiece.
# The tests' servers are plain http://, and contexts made with the same arguments are the same.
httpx_transport.create_ssl_context = functools.cache(httpx_transport.create_ssl_context)  # type: ignore[assignment]

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _is_loopback(host: Any) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _guard_address(address: Any) -> None:
    if isinstance(address, tuple) and address and not _is_loopback(address[0]):
        raise OSError(f"tests may only connect to loopback, not {address!r}")


def _connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _guard_address(address)
    return _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _guard_address(address)
    return _real_connect_ex(self, address)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_loopback(host):
        raise socket.gaierror(f"tests may not resolve {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _connect  # type: ignore[method-assign]
socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
socket.getaddrinfo = _getaddrinfo


@pytest.fixture(scope="session")
def reelgen_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One reelgen home per test session so tiny builds are made once."""
    home = tmp_path_factory.mktemp("reelgen-home")
    return home


@pytest.fixture(scope="module")
def no_collection_per_unload() -> Iterator[None]:
    """For a module whose in-process shoot-outs and project renders free their models: without the full
    gc.collect each free runs (0.3 to 0.6 CPU-s with a file run alone, more in a full suite's process,
    whose heap is far larger than a person's `reelgen shootout`). What those modules check does not
    depend on it; tests/core/test_model_cache.py checks the unload itself."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("reelgen.core.cache.empty_cache", lambda: None)
        yield


@pytest.fixture
def no_running_loop() -> Iterator[None]:
    """This thread with no event loop marked running, as a user's process starts: for a test that calls
    ``asyncio.run`` here (uvicorn's ``run`` does).

    Playwright's sync API, once a page test of this process started it, marks its loop as running on
    the main thread between calls, and ``asyncio.run`` refuses to start under it."""
    left = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    yield
    asyncio.events._set_running_loop(left)


@pytest.fixture(autouse=True)
def _server_url_as_typed() -> Iterator[None]:
    """No server origin left behind by an earlier test: a command run on this thread keeps where its
    server URL came from (``--server`` or REELGEN_SERVER) in a context variable, and a later test's hints
    then left out their ``--server`` part or showed it, by the order the tests ran in."""
    from reelgen.cli.server_url import _SERVER_ORIGIN

    token = _SERVER_ORIGIN.set(None)
    yield
    _SERVER_ORIGIN.reset(token)


#: The loggers a ``uvicorn.Config`` sets up for the whole process, whichever server it is for.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


@pytest.fixture(autouse=True)
def _uvicorn_logging_kept() -> Iterator[None]:
    """uvicorn's loggers as they were before the test. A test that runs `reelgen serve` in this process
    (through Typer's runner) had uvicorn point them at the runner's output, closed once the command ended,
    at access level "info": a quiet server still running in a later test then wrote each request's line
    there and printed a "Logging error" traceback ("I/O operation on closed file") into the run's output."""
    loggers = [logging.getLogger(name) for name in UVICORN_LOGGERS]
    kept = [(logger.handlers[:], logger.level, logger.propagate) for logger in loggers]
    yield
    for logger, (handlers, level, propagate) in zip(loggers, kept, strict=True):
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


@pytest.fixture(autouse=True)
def _isolated_home(reelgen_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REELGEN_HOME", str(reelgen_home))
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))


#: Files that take about 17 s or more (real servers, workers, browsers, several processes), longest
#: first by the durations of a full run (2026-12-07: 27 files, 64 s down to 17.5 s of one test process's
#: time). They are collected first, so the xdist workers start them early and finish together, instead of
#: one worker running a long file alone at the end while the others sit idle. With --dist loadfile a file
#: is one unit, so a file far longer than the others is split: the kill tests over test_kill.py,
#: test_kill_worker.py and test_kill_ray.py, the soak over test_soak.py and test_soak_ray.py.
SLOW_FIRST = (
    "tests/service/test_kill.py",
    "tests/jobs/test_service.py",
    "tests/core/test_parallel.py",
    "tests/web/test_live_page.py",
    "tests/web/test_page.py",
    "tests/core/test_avatar.py",
    "tests/service/test_kill_worker.py",
    "tests/service/test_kill_ray.py",
    "tests/jobs/test_project_kind.py",
    "tests/core/test_enhance_fused_rrdb.py",
    "tests/api/test_projects_api.py",
    "tests/core/test_backend_micro.py",
    "tests/service/test_soak_ray.py",
    "tests/api/test_avatars_api.py",
    "tests/service/test_soak.py",
    "tests/service/test_two_servers.py",
    "tests/cli/test_write_failures.py",
    "tests/service/test_restart_elsewhere.py",
    "tests/api/test_live.py",
    "tests/cli/test_bench.py",
    "tests/web/test_views_quiet.py",
    "tests/web/test_views_batches.py",
    "tests/web/test_page_offline.py",
    "tests/cli/test_project_server_cli.py",
    "tests/web/test_wheel.py",
    "tests/api/test_batches_api.py",
    "tests/jobs/test_engine.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {path: i for i, path in enumerate(SLOW_FIRST)}
    # A stable sort: every other file keeps its collection order.
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture(autouse=True)
def _ordinary_scheduling() -> None:
    """Put this test process back on ordinary scheduling if something moved it to real time.

    Twice on this 2-core machine a test process was found at SCHED_FIFO 99 (nothing in reelgen or its
    packages asks for that; the cause is not known), and every server and browser it then started
    inherited it and starved the other process until the run hung. Children inherit the policy
    of the thread that starts them, so resetting it before each test keeps them ordinary.
    """
    if hasattr(os, "sched_getscheduler") and os.sched_getscheduler(0) in (os.SCHED_FIFO, os.SCHED_RR):
        os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))


def pytest_collection_finish(session: pytest.Session) -> None:
    # Every automatic full collection of a test process walked the half-million objects torch, diffusers
    # and transformers leave after import, and a model cache's unload runs one more each (about 0.4 CPU-s
    # apiece): frozen once here, collections walk only what the tests make.
    gc.collect()
    gc.freeze()


def pytest_sessionfinish(session: pytest.Session) -> None:
    gc.unfreeze()  # frozen objects found only at exit made extension modules (triton's) report leaks
