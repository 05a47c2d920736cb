"""Browser fixtures: Debian's Chromium driven by Playwright, against real reelgen servers on loopback.

``quiet_server`` serves the API and page with no workers (jobs queue but never run: enough for the
form, errors, layout and docs); ``live_server`` is a real `reelgen serve` with one CPU worker (the
local engine, a user's default), for progress, cancel, playback and remix. A request of a page to any
host but loopback fails (Chromium is started with a proxy nothing listens on, which loopback bypasses)
and is recorded: the page and the docs must work with no network.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, expect

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.api.stopping import StreamEndingServer
from reelgen.jobs.settings import JobSettings
from tests.service.server import SERVE_MAIN

# The suite runs two test processes on two cores beside servers and browsers: a page can take
# seconds to reflect a change, so assertions wait up to 30 s (Playwright's default is 5).
expect.set_options(timeout=30_000)

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_ready(url: str, alive: Callable[[], bool], timeout_s: float, log: Path | None = None) -> None:
    """Poll ``url`` until it answers 200 (a server starting up), failing early if it died."""
    deadline = time.monotonic() + timeout_s
    with httpx.Client(timeout=5.0) as http:
        while True:
            assert alive(), log.read_text()[-3000:] if log else "server exited"
            try:
                if http.get(url).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"{url} not ready within {timeout_s} s"
            time.sleep(0.2)


@dataclass
class Served:
    url: str
    data_dir: Path
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.url, timeout=30.0)

    def create(self, **fields: Any) -> dict[str, Any]:
        resp = self.http.post("/v1/videos", json={"prompt": "a red fox", **fields})
        assert resp.status_code == 202, resp.text
        return dict(resp.json())


class _ThreadServer(StreamEndingServer):
    def install_signal_handlers(self) -> None:  # a thread cannot take signals; pytest keeps them
        pass


@pytest.fixture(scope="session")
def serve_app(
    reelgen_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., Served]]:
    """Serves ``create_app(ApiSettings(**fields), start_service=False)`` from a thread, on loopback."""
    running: list[tuple[_ThreadServer, threading.Thread]] = []

    def serve(**fields: Any) -> Served:
        data_dir = tmp_path_factory.mktemp("quiet") / "server"
        # Made before any test's REELGEN_HOME applies: the LoRA folder is the session's, not the user's.
        fields.setdefault("lora_dir", reelgen_home / "loras")
        settings = ApiSettings(jobs=JobSettings(data_dir=data_dir), **fields)
        port = free_port()
        server = _ThreadServer(
            uvicorn.Config(
                create_app(settings, start_service=False),
                host="127.0.0.1",
                port=port,
                log_level="warning",
                # As `reelgen serve` does: event streams a page left open end as the server stops
                # (StreamEndingServer); any other request still open is cut after a moment, where uvicorn's
                # default waited for it for ever and the teardown's join gave up only after 30 s.
                timeout_graceful_shutdown=2,
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        running.append((server, thread))
        wait_until_ready(f"http://127.0.0.1:{port}/healthz", thread.is_alive, 60)
        return Served(f"http://127.0.0.1:{port}", data_dir)

    yield serve
    # All asked to stop before any is waited for: each may hold a stream a page left open for its 2 s
    # grace, and one after another those added up at the end of every test process. One deadline for
    # all: a full run once had four servers of one process each still running after its own 30 s join,
    # two minutes at the end of the run with the other test processes done. The cause (stop 61, from
    # _where's stacks): two tests moved the time module's clock ahead of a machine booted minutes ago,
    # and a server's 0.1 s tick set meanwhile came due minutes later; they now fake only their module's
    # clock. Left running, a daemon thread ends with the process.
    for server, _ in running:
        server.should_exit = True
    deadline = time.monotonic() + 15
    for server, thread in running:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            warnings.warn(
                f"a quiet server on port {server.config.port} was still running 15 s after it was told to "
                f"stop; {_where(server, thread)}",
                stacklevel=1,
            )


def _where(server: _ThreadServer, thread: threading.Thread) -> str:
    """What a server that did not stop is waiting for: its loop's tasks, or its thread's stack.

    Its thread was found idle in the event loop's select (stop 58's runs): some task was still awaited.
    Stop 60's runs showed uvicorn's main_loop at its 0.1 s sleep 15 s after should_exit was set, which a
    running loop would have seen: the thread's own stack is given too, to show what holds it. Read from
    another thread, for a warning only."""
    frame = sys._current_frames().get(thread.ident or 0)
    at = "its thread is at:\n" + ("".join(traceback.format_stack(frame)[-8:]) if frame else "(no frame)")
    loop = next((s.get_loop() for s in server.servers), None)
    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()] if loop is not None else []
    if not tasks:
        return at
    said = []
    for task in tasks:
        chain, coro = [], task.get_coro()
        while coro is not None and len(chain) < 12:  # the await chain, outermost first
            code_frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
            if code_frame is None:
                chain.append(repr(coro)[:120])
                break
            chain.append(
                f"{code_frame.f_code.co_name} ({code_frame.f_code.co_filename}:{code_frame.f_lineno})"
            )
            coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
        said.append(f"{task.get_name()}: " + " -> ".join(chain))
    return f"its loop still awaits {len(tasks)} task(s):\n" + "\n".join(said) + "\n" + at


@pytest.fixture(scope="session")
def batch_roots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one folder the page tests' servers may use for batches and shoot-outs, holding no test's tmp_path."""
    return tmp_path_factory.mktemp("batch-roots")


@pytest.fixture(autouse=True)
def _batch_roots(batch_roots: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """REELGEN_BATCH_ROOTS set, as a server that runs batches has it: with none, the page shows its
    Batches and Shoot-outs forms not at all (only the note saying why). The quiet server reads it at each
    request, in this process; a test may set or remove it in its own body."""
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(batch_roots))


@pytest.fixture(scope="session")
def quiet_server(serve_app: Callable[..., Served]) -> Served:
    """The API and page with no workers: jobs queue and stay queued."""
    return serve_app()


@pytest.fixture(scope="session")
def live_server(
    reelgen_home: Path, batch_roots: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """`reelgen serve` as a user starts it (the local engine, one CPU worker); stopped with Ctrl-C. It
    may run batches and shoot-outs under ``batch_roots``, so the Batches view's tests share it (and its
    worker's loaded torch) with the others instead of starting a server of their own."""
    data_dir = tmp_path_factory.mktemp("live") / "server"
    port = free_port()
    env = {
        **os.environ,
        "REELGEN_HOME": str(reelgen_home),
        "REELGEN_BATCH_ROOTS": str(batch_roots),
        "REELGEN_RAY_NUM_CPUS": "2",
        "REELGEN_CPU_WORKERS": "1",
        "REELGEN_PREVIEW_EVERY": "1",
        # The page's tests switch between reelgen-micro and wan-tiny on the one worker: with room for
        # both, neither is loaded again after the other ran.
        "REELGEN_MODELS_PER_WORKER": "2",
        "OMP_NUM_THREADS": "1",
        "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
    }
    log_path = data_dir.parent / "serve.log"
    cmd = [sys.executable, "-c", SERVE_MAIN, "serve", "--port", str(port)]
    cmd += ["--data-dir", str(data_dir), "--log-level", "warning"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_ready(f"{url}/readyz", lambda: process.poll() is None, 240, log_path)
            yield Served(url, data_dir)
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def listing(data: list[dict[str, Any]]) -> Callable[[Route], None]:
    """A route handler answering one last page of ``data``, as the server's list routes answer."""
    return lambda route: route.fulfill(
        json={"object": "list", "data": data, "last_id": None, "has_more": False}
    )


@dataclass
class Tab:
    """A page with what it tried to fetch from off the machine, and what it logged as errors."""

    page: Page
    context: BrowserContext
    blocked: list[str]
    errors: list[str]

    def open(self, url: str) -> Page:
        self.page.goto(url)
        self.page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        return self.page


@pytest.fixture
def tab(chromium: Browser) -> Iterator[Callable[..., Tab]]:
    """New browser tabs (``viewport=(w, h)``) whose non-loopback requests are aborted and recorded."""
    yield from tabs_of(chromium)


def tabs_of(chromium: Browser) -> Iterator[Callable[..., Tab]]:
    """The ``tab`` fixture's body, for a test module that opens its tabs in another browser."""
    contexts: list[BrowserContext] = []

    def make(viewport: tuple[int, int] = (1280, 900)) -> Tab:
        context = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        contexts.append(context)
        blocked: list[str] = []
        errors: list[str] = []

        def note(request: Request) -> None:
            url = request.url
            host = urlsplit(url).hostname or ""
            if not (url.startswith(("data:", "blob:")) or host in LOOPBACK):
                blocked.append(url)

        # Chromium's own proxy setting (tests/browser.py) makes every such request fail; the page's
        # requests are only watched here. Routing them all through a handler instead cost a round trip
        # to this process per request and turned Chromium's cache off.
        context.on("request", note)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return Tab(page, context, blocked, errors)

    yield make
    for context in contexts:
        # A route handler still in flight (a poll the page made as the test ended) failed once its
        # page closed, and Playwright raised that error in the next test's first call.
        for page in context.pages:
            page.unroute_all(behavior="ignoreErrors")
        context.unroute_all(behavior="ignoreErrors")
        context.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots of the page's main states are saved (test artefacts)."""
    return tmp_path_factory.mktemp("screenshots")


def press_generate(page: Page) -> tuple[int, dict[str, Any]]:
    """Press Generate; the status and JSON body of the create the page sent."""
    with page.expect_response(
        lambda r: r.url.endswith("/v1/videos") and r.request.method == "POST"
    ) as answer:
        page.click("#f-submit")
    return answer.value.status, dict(answer.value.json())
