"""Running one function over many files in worker processes that a bad file cannot take down.

Returned workbooks come from outside: one may be built to make a parser spin, eat memory or
crash. `map_isolated` runs each item in a worker process with a memory ceiling and a
per-item time limit; a worker that overruns is killed, a worker that dies is replaced, and
either way that one item gets a `TaskFailure` while the rest of the batch carries on.

Items go to a worker in batches (one message for up to BATCH items, the next batch sent while
the worker is still on the current one) so that it never waits for the parent between files
and the parent sends a message per batch, not per file; each result comes back on its own, so
an item's clock starts when the worker reaches it (when the previous item's result arrives)
and a crash or a timeout is charged to the one item the worker was on.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_TIMEOUT = 30.0  # seconds for one file: a genuine workbook takes ~10 ms
DEFAULT_MEMORY = 1 << 30  # bytes a worker may allocate beyond what it started with
BATCH = 8  # items per message; twice this in flight per worker


@dataclass(frozen=True)
class TaskFailure:
    """Why an item produced no result."""

    kind: str  # "timeout" | "crash" | "memory" | "error"
    detail: str


@dataclass
class _Worker(Generic[T]):
    process: Any  # multiprocessing.Process (or SpawnProcess)
    conn: Connection
    pending: deque[tuple[int, T]]
    started: float  # when the item at the head of `pending` began


def processes_available(platform: str | None = None) -> bool:
    """False where no process can be started: Python in the browser (Pyodide, as xlwings Lite
    runs it, reports sys.platform "emscripten") or in WASI. There every item runs in this process:
    the time and memory limits cannot be enforced, but the batch is read."""
    platform = sys.platform if platform is None else platform
    return platform not in ("emscripten", "wasi") and "pyodide" not in sys.modules


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def _context() -> Any:
    # fork starts a worker in ~2 ms with everything already imported; elsewhere spawn.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform == "linux" else "spawn"
    return multiprocessing.get_context(method)


def _limit_memory(extra: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the time limit still applies
        return
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            line = next(x for x in status if x.startswith("VmSize:"))
        base = int(line.split()[1]) * 1024
    except (OSError, StopIteration, ValueError):
        base = 512 << 20
    try:
        resource.setrlimit(resource.RLIMIT_AS, (base + extra, base + extra))
    except (ValueError, OSError):
        pass


def _worker_main(conn: Connection, func: Callable[[Any], Any], memory: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    faulthandler.disable()  # a crash is reported as a rejected file, not a C traceback on the terminal
    if memory:
        _limit_memory(memory)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        for index, item in message:
            try:
                reply: tuple[str, Any] = ("ok", func(item))
            except MemoryError:
                reply = ("memory", "ran out of memory")
            except Exception as exc:  # a bug or an unforeseen file: that item fails, the worker lives on
                reply = ("error", "".join(traceback.format_exception_only(type(exc), exc)).strip())
            try:
                conn.send((index, reply))
            except (OSError, ValueError, MemoryError) as exc:  # e.g. a result that cannot be pickled
                conn.send((index, ("error", f"result could not be returned: {exc}")))


def map_isolated(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    memory: int = DEFAULT_MEMORY,
) -> Iterator[tuple[int, R | TaskFailure]]:
    """Yields (index of the item, its result or a TaskFailure), in completion order.

    `func` must be picklable where processes are spawned (a top-level function or a
    functools.partial of one). workers=0 runs everything in this process, without isolation; so
    does every call where no process can start (`processes_available`: xlwings Lite, Pyodide).
    """
    if not items:
        return
    if workers == 0 or not processes_available():
        yield from _in_process(func, items)
        return
    count = min(workers or default_workers(), len(items))
    # small runs keep every worker busy: no batch larger than a worker's share
    batch = max(1, min(BATCH, len(items) // (2 * count)))
    pool = _Pool(func, items, batch=batch, timeout=timeout, memory=memory)
    try:
        pool.workers.extend(pool.start() for _ in range(count))
        yield from pool.run()
    finally:
        for worker in pool.workers:
            pool.stop(worker, kill=True)


def _in_process(func: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R | TaskFailure]]:
    for index, item in enumerate(items):
        try:
            yield index, func(item)
        except Exception as exc:
            yield index, TaskFailure("error", "".join(traceback.format_exception_only(type(exc), exc)).strip())


class _Pool(Generic[T, R]):
    """The worker processes of one map_isolated call and the items still to hand out."""

    def __init__(self, func: Callable[[T], R], items: Sequence[T], *, batch: int, timeout: float, memory: int) -> None:
        self.func, self.batch, self.timeout, self.memory = func, batch, timeout, memory
        self.ctx = _context()
        self.queue: deque[tuple[int, T]] = deque(enumerate(items))
        self.workers: list[_Worker[T]] = []

    def start(self) -> _Worker[T]:
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(target=_worker_main, args=(child, self.func, self.memory), daemon=True)
        process.start()
        child.close()
        worker: _Worker[T] = _Worker(process, parent, deque(), time.monotonic())
        self.top_up(worker)
        return worker

    def top_up(self, worker: _Worker[T]) -> None:
        if not self.queue or len(worker.pending) > self.batch:
            return
        if not worker.pending:
            worker.started = time.monotonic()
        tasks = [self.queue.popleft() for _ in range(min(self.batch, len(self.queue)))]
        worker.pending.extend(tasks)
        try:
            worker.conn.send(tasks)
        except OSError:  # the worker just died: its sentinel reports it on the next wait
            return

    def stop(self, worker: _Worker[T], kill: bool) -> None:
        if kill and worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()

    def replace(self, worker: _Worker[T], failure: TaskFailure) -> tuple[int, TaskFailure]:
        """The head item failed and took the worker with it: requeue the rest, start afresh."""
        index, _ = worker.pending.popleft()
        self.queue.extendleft(reversed(worker.pending))
        worker.pending.clear()
        self.stop(worker, kill=True)
        self.workers.remove(worker)
        if self.queue:
            self.workers.append(self.start())
        return index, failure

    def run(self) -> Iterator[tuple[int, R | TaskFailure]]:
        while self.workers:
            busy = [w for w in self.workers if w.pending]
            for idle in [w for w in self.workers if not w.pending]:
                idle.conn.send(None)
                self.stop(idle, kill=False)
                self.workers.remove(idle)
            if not busy:
                continue
            wait_for = max(0.0, min(w.started + self.timeout for w in busy) - time.monotonic())
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], wait_for))
            for worker in busy:
                yield from self.collect(worker, ready)

    def collect(self, worker: _Worker[T], ready: set[Any]) -> Iterator[tuple[int, R | TaskFailure]]:
        """What one busy worker has to say after a wait: a result, a crash, or a timeout."""
        if worker.conn in ready:
            try:
                index, (kind, value) = worker.conn.recv()
            except (EOFError, OSError):  # died while sending: treat as a crash
                yield self.replace(worker, _crash(worker))
                return
            worker.pending.popleft()
            worker.started = time.monotonic()
            self.top_up(worker)
            yield index, value if kind == "ok" else TaskFailure(kind, value)
        elif worker.process.sentinel in ready:
            yield self.replace(worker, _crash(worker))
        elif time.monotonic() - worker.started > self.timeout:
            yield self.replace(worker, TaskFailure("timeout", f"took longer than {self.timeout:g} s"))


def _crash(worker: _Worker[Any]) -> TaskFailure:
    worker.process.join(1)
    code = worker.process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return TaskFailure("crash", f"the reader process was killed ({name})")
    return TaskFailure("crash", f"the reader process stopped unexpectedly (exit {code})")
