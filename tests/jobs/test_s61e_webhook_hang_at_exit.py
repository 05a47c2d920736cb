"""A receiver that never answers does not hold a stopping server for the webhook timeout.

`reelgen serve` stopped with SIGTERM while a delivery to such a receiver was in flight exited 62 s
later with REELGEN_WEBHOOK_TIMEOUT_S=60 (10 s by default, up to an hour allowed): the sends ran on an
executor, whose threads the interpreter joins at exit.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import sqlalchemy as sa

SCRIPT = textwrap.dedent(
    """
    import sys, threading, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from pathlib import Path
    from pydantic import SecretStr
    from reelgen.jobs.settings import JobSettings
    from reelgen.jobs.store import JobStore
    from reelgen.jobs.webhooks import WebhookSender
    from tests.jobs.helpers import create, request

    got = threading.Event()

    class Hang(BaseHTTPRequestHandler):
        def do_POST(self):
            got.set()
            time.sleep(3600)

    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hang)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    folder = Path(sys.argv[1])
    store = JobStore(f"sqlite:///{folder / 'jobs.db'}")
    settings = JobSettings(
        data_dir=folder, webhook_secret=SecretStr("k"), allow_private_webhooks=True, webhook_timeout_s=60
    )
    sender = WebhookSender(store, settings)
    sender.start()
    create(store, request(), webhook_url=f"http://127.0.0.1:{server.server_address[1]}/", webhook_events=["queued"])
    assert got.wait(30), "the receiver was never sent the delivery"
    sender.stop()
    store.close()
    print("stopped", flush=True)
    """
)


def test_a_process_stopping_with_a_hanging_delivery_in_flight_exits_at_once(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    took = time.monotonic() - began
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "stopped"
    assert took < 30, f"the process took {took:.0f} s to exit after its sender stopped"
    # The delivery cut off stays in the store, claimed until the send's timeout, and is sent again then.
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'jobs.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM reelgen_webhooks")).scalar_one() == 1
    finally:
        engine.dispose()
