"""An ordered map computed a few items ahead on a small pool of threads, for per-frame work that releases the GIL."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def ahead(fn: Callable[[T], R], items: Iterable[T], workers: int, name: str = "reelgen-ahead") -> Iterator[R]:
    """``fn`` of each item, in the items' order, computed on ``workers`` threads.

    At most ``2 * workers`` results wait at any time, so a long clip is never
    held twice over. Below two workers it runs inline: a pool of one thread only
    adds a hand-off. Pays off only where ``fn`` releases the GIL (swscale's
    pixel-format conversions do).
    """
    if workers < 2:
        yield from map(fn, items)
        return
    with ThreadPoolExecutor(workers, thread_name_prefix=name) as pool:
        window: deque[Future[R]] = deque()
        for item in items:
            window.append(pool.submit(fn, item))
            if len(window) > 2 * workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
