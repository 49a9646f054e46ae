"""The server's side of the query workers (graph/serve/worker.py): start, ask, time out, kill.

A request takes an idle worker, or waits for one until its deadline; a worker that passes the
deadline is killed at once (SIGKILL: Oxigraph cannot be interrupted otherwise) and reaped, and
the main thread starts a replacement.  Workers are started from the main thread only, because
Linux's parent-death signal follows the thread that forked, not the process.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import kommunegraf
from kommunegraf.errors import KommunegrafError

# The folder that holds the ``kommunegraf`` this process imported (a checkout's symlink, say),
# so that a worker imports the same tree; None under an installed or editable package, whose
# own finder already resolves it.
_HOLDER = Path(kommunegraf.__path__[0]).parent
PACKAGE_HOLDER = _HOLDER if (_HOLDER / "kommunegraf").exists() else None
RETRY_SECONDS = 5.0  # after a worker failed to start, before another is tried


class Timeout(Exception):
    """The request passed its deadline; its worker (if it had one) was killed.

    Not a ``KommunegrafError``: a signal from the pool to the HTTP handler, which answers the
    client with a status; it never reaches a user of the library."""

    def __init__(self, pid: int | None) -> None:
        super().__init__(pid)
        self.pid = pid


class ClientGone(Exception):
    """The client closed its connection while its query ran; the worker was killed.

    Not a ``KommunegrafError``: the handler's cue to stop writing; nobody is left to tell."""


class WorkerFailed(KommunegrafError):
    """A worker could not open the store, or died under a request (one line)."""

    def __init__(self, message: str, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid


@dataclass(frozen=True)
class Reply:
    status: int
    media_type: str
    body: bytes
    pid: int


@dataclass(eq=False)
class Worker:
    process: subprocess.Popen[bytes]
    ready: bool = False
    buffer: bytearray = field(default_factory=bytearray)
    client: socket.socket | None = None  # watched while a query runs: gone means stop it

    @property
    def pid(self) -> int:
        return self.process.pid

    def _fill(self, deadline: float) -> None:
        """Read what the worker has written, waiting no later than ``deadline``; stop early
        when the client has hung up (nobody would read the answer)."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout(self.pid)
            watched = [fd] if self.client is None else [fd, self.client]
            readable, _, _ = select.select(watched, [], [], remaining)
            if fd in readable:
                break
            if not readable:
                raise Timeout(self.pid)
            self._check_client()
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            try:
                code: int | None = self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                code = None
            raise WorkerFailed(
                f"the query stopped: its worker process died (exit {code}); a query that needs "
                "more memory than --max-memory ends so",
                self.pid,
            )
        self.buffer += chunk

    def _check_client(self) -> None:
        """The client socket is readable: end of file means it left; data (a next request
        sent ahead) means it is there, and it is watched no more."""
        assert self.client is not None
        try:
            peek = self.client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return
        except OSError:
            raise ClientGone from None
        if not peek:
            raise ClientGone
        self.client = None

    def read_line(self, deadline: float) -> dict[str, Any]:
        while b"\n" not in self.buffer:
            self._fill(deadline)
        line, _, rest = bytes(self.buffer).partition(b"\n")
        self.buffer = bytearray(rest)
        return dict(json.loads(line))

    def read_bytes(self, count: int, deadline: float) -> bytes:
        while len(self.buffer) < count:
            self._fill(deadline)
        data = bytes(self.buffer[:count])
        del self.buffer[:count]
        return data

    def wait_ready(self, deadline: float) -> None:
        if self.ready:
            return
        hello = self.read_line(deadline)
        if not hello.get("ready"):
            raise WorkerFailed(str(hello.get("error") or "the query worker did not start"))
        self.ready = True

    def ask(
        self, request: dict[str, Any], deadline: float, client: socket.socket | None = None
    ) -> Reply:
        self.wait_ready(deadline)
        self.client = client
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        except OSError:
            raise WorkerFailed(f"query worker {self.pid} is gone") from None
        head = self.read_line(deadline)
        body = self.read_bytes(int(head["length"]), deadline)
        self.client = None
        return Reply(int(head["status"]), str(head["type"]), body, self.pid)

    def kill(self, *, close: bool = True) -> None:
        """Kill and reap; ``close`` its pipes too unless another thread may be reading them."""
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout) if close else ():
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


@dataclass
class Settings:
    store: Path
    lock_fd: int
    timeout: float
    max_bytes: int
    max_memory_mb: int = 2048


def start_worker(settings: Settings) -> Worker:
    """A worker process over the store, holding the server's lock (call from the main thread)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PACKAGE_HOLDER or ""), env.get("PYTHONPATH", "")) if p
    )
    command = [
        sys.executable,
        "-m",
        "kommunegraf.graph.serve.worker",
        "--store",
        str(settings.store),
        "--parent",
        str(os.getpid()),
        "--lock-fd",
        str(settings.lock_fd),
        "--timeout",
        repr(settings.timeout),
        "--max-bytes",
        str(settings.max_bytes),
        "--max-memory-mb",
        str(settings.max_memory_mb),
    ]
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        pass_fds=(settings.lock_fd,),
        env=env,
        start_new_session=True,  # Ctrl-C in the terminal reaches the server, which stops them
    )
    return Worker(process)


class Pool:
    """``size`` workers; requests from the HTTP threads, replacements from the main thread.

    A worker joins the idle queue only once it has opened the store, so a request never
    spends its deadline on a replacement's start.
    """

    def __init__(self, settings: Settings, size: int) -> None:
        self.settings = settings
        self.size = size
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.live: set[Worker] = set()
        self.starting: list[Worker] = []
        self.guard = threading.Lock()
        self.closed = False
        self.failure: str | None = None  # why the last worker could not start
        self.failed_at = 0.0  # when (a new one is tried RETRY_SECONDS later)

    def replenish(self, wait: float = 0.0) -> None:
        """Start workers up to ``size`` and queue those that have opened the store, waiting up
        to ``wait`` seconds for them (main thread only)."""
        with self.guard:
            retry = self.failure is None or time.monotonic() - self.failed_at > RETRY_SECONDS
            while retry and not self.closed and len(self.live) < self.size:
                worker = start_worker(self.settings)
                self.live.add(worker)
                self.starting.append(worker)
        deadline = time.monotonic() + wait
        for worker in list(self.starting):
            try:
                worker.wait_ready(max(deadline, time.monotonic() + 0.001))
            except Timeout:
                continue  # still starting: looked at again on the next call
            except WorkerFailed as exc:
                self.failure, self.failed_at = str(exc), time.monotonic()
                self.starting.remove(worker)
                self.discard(worker)
                continue
            self.starting.remove(worker)
            self.failure = None
            self.idle.put(worker)

    def wait_ready(self, seconds: float) -> None:
        """Start the workers and wait until each has opened the store (raises WorkerFailed
        if one cannot, or they take longer than ``seconds``)."""
        self.replenish(wait=seconds)
        if self.failure is not None:
            raise WorkerFailed(self.failure)
        if self.starting:
            raise WorkerFailed(f"the query workers did not start in {seconds:g} s")

    def pids(self) -> list[int]:
        with self.guard:
            return sorted(w.pid for w in self.live)

    def ask(
        self, request: dict[str, Any], seconds: float, client: socket.socket | None = None
    ) -> Reply:
        """Run one request on an idle worker within ``seconds`` (waiting for one included);
        the worker is killed if the ``client`` hangs up meanwhile."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                worker = self.idle.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                if self.failure is not None:
                    raise WorkerFailed(f"no query worker could start: {self.failure}") from None
                raise Timeout(None) from None
            if worker.process.poll() is None:
                break
            self.discard(worker)  # died while idle (the OOM killer, say): take the next one
        try:
            reply = worker.ask(request, deadline, client)
        except BaseException:  # timed out, died, or left mid-answer: never reuse it
            self.discard(worker)
            raise
        self.idle.put(worker)
        return reply

    def discard(self, worker: Worker) -> None:
        worker.kill()
        with self.guard:
            self.live.discard(worker)

    def close(self) -> None:
        with self.guard:
            self.closed = True
            workers = list(self.live)
            self.live.clear()
        for worker in workers:
            worker.kill(close=False)  # a request thread may be reading it: it sees EOF
