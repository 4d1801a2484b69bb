"""Independent calls side by side on threads: the compiled integration kernels (numba,
``nogil=True``) and most NumPy array passes release the GIL, so separate reach curves use
separate cores. No state is shared beyond the package's memos, which are safe to fill from
several threads (``functools.lru_cache`` and the locked memo of
:mod:`nudipole.production.source_rules`)."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, ParamSpec, TypeVar

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
P = ParamSpec("P")

#: Name prefix of the threads of :func:`run_threads`.
_PREFIX = "nudipole"

#: Most threads by default, however many cores there are: the curves of one figure or table
#: are a handful, and each thread holds its own temporaries (up to ~100 MB for BESIII).
MAX_WORKERS = 4


#: Most threads a caller may ask for: each holds its own temporaries (up to ~100 MB).
MOST_THREADS = 64


def available_cpus() -> int:
    """Cores this process may run on (its affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check_workers(workers: object) -> int:
    """``workers`` as a thread count (None: the available cores, at most
    :data:`MAX_WORKERS`); ValueError naming the value if it is not a whole number from 1 to
    :data:`MOST_THREADS`."""
    if workers is None:
        return max(1, min(MAX_WORKERS, available_cpus()))
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers={workers!r}: give a whole number of threads, 1 or more")
    if workers > MOST_THREADS:
        raise ValueError(
            f"workers={workers}: at most {MOST_THREADS} threads (each holds its own "
            "temporaries); give fewer"
        )
    return workers


def threads_here(workers: int | None) -> int:
    """Threads that :func:`run_threads` would use here: 1 on one of its own threads (no pool
    inside a pool), else :func:`check_workers`."""
    if threading.current_thread().name.startswith(_PREFIX):
        return 1
    return check_workers(workers)


def run_threads(calls: Sequence[Callable[[], T]], workers: int | None = None) -> list[T]:
    """The results of ``calls`` in their order, computed on up to ``workers`` threads (one,
    or when called from one of these threads: in this thread, one after the other). Each
    call is as it would be alone; the first error in the order given is raised, as a loop
    would raise it, and the calls not yet started are then dropped."""
    # on one of our own threads already (curves on threads, each splitting its masses): no
    # pool inside a pool, which would only oversubscribe the cores
    n = min(threads_here(workers), len(calls))
    if n <= 1:
        return [call() for call in calls]
    pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix=_PREFIX)
    try:
        return list(pool.map(lambda call: call(), calls))
    except BaseException:
        # an error or Ctrl-C: the calls not started are dropped (those running finish, as
        # threads cannot be stopped), rather than waited for
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)


class OnceCache(Generic[K, V]):
    """Values computed once per key, whichever of several threads asks first: the others
    asking for the same key meanwhile wait for that value instead of computing it again.

    A scan's masses on threads share such a cache of work that several masses need (the W/Z
    rays of a reference mass, :mod:`nudipole.reach.far_rays`); a plain dict let two threads
    that missed it together both compute the value, which doubled the CPU time of FACET's
    W/Z band (1.8-1.95 s on two threads against 0.9-1.1 s on one, for the same wall time).
    If the computing thread raises, one waiting thread computes it in its turn.
    """

    def __init__(self) -> None:
        self._values: dict[K, V] = {}
        self._pending: dict[K, threading.Event] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._values

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The value of ``key``: kept, or ``compute()`` run here once (kept), or, while another
        thread runs it, that thread's result."""
        while True:
            with self._lock:
                if key in self._values:
                    return self._values[key]
                event = self._pending.get(key)
                mine = event is None
                if event is None:
                    event = self._pending[key] = threading.Event()
            if not mine:
                event.wait()
                continue  # kept now, or the other thread failed: ask again
            try:
                value = compute()
                with self._lock:
                    self._values[key] = value
                return value
            finally:
                with self._lock:
                    del self._pending[key]
                event.set()


def once_per_key(memo: Callable[P, T]) -> Callable[P, T]:
    """``memo`` (a ``functools`` cache of a costly, mass-independent table: spectra, parent
    tables, the detector table) with calls of equal arguments made one at a time: a thread
    that asks while another computes the same entry waits and then reads it from the cache,
    instead of computing it too (the cache alone lets every thread that misses compute).
    The first masses of a far-detector scan on two threads needed the same tables at once:
    0.3 s of CPU of the headline's nine bands went on computing them twice. ``cache_clear``
    and ``cache_info`` are ``memo``'s. Re-entrant: the same thread may ask again inside.
    A thread computing one entry may wait for another only lower in the order in which the
    wrapped tables build on one another (parent tables on spectra, the detector table on its
    grid), never back up it: no two threads can wait for each other."""
    locks: dict[object, threading.RLock] = {}
    guard = threading.Lock()

    @functools.wraps(memo)
    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        key = (args, tuple(sorted(kwargs.items())))
        with guard:
            lock = locks.setdefault(key, threading.RLock())
        with lock:
            try:
                return memo(*args, **kwargs)
            finally:
                # the entry is in memo's cache now (or its computation failed): the lock is
                # not needed any more
                with guard:
                    if locks.get(key) is lock:
                        del locks[key]

    for name in ("cache_clear", "cache_info"):
        if hasattr(memo, name):
            setattr(call, name, getattr(memo, name))
    return call
