"""A local ESC/POS network printer emulator for tests (not a test module itself).

``FakePrinter(mode)`` listens on 127.0.0.1 on an ephemeral port, one thread per connection:

- ``ok``: reads everything; answers the DLE EOT 1 status query with 0x12 (online).
- ``offline``: reads everything; answers DLE EOT 1 with 0x1A (bit 0x08: offline).
- ``stall``: accepts the connection, never reads, never answers; its receive buffer is as
  small as the system allows (about 2 KB), so a receipt fills it and the sender sees bytes
  that are never taken, as with a hung printer.
- ``silent``: reads everything, never answers the status query (most print servers, some
  network printers).
- ``drop``: reads a few hundred bytes, then resets the connection (SO_LINGER 0 -> RST).

``refused_port()`` holds a bound but non-listening socket: connecting to it is refused, and
nobody else can take the port while it is held.

Each connection is recorded as a ``Connection``: ``data`` is every byte received and
``receipt`` the bytes before the first status query (what a printer would print).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

STATUS_QUERY = b"\x10\x04\x01"  # DLE EOT 1: transmit printer status
ONLINE = 0x12  # the fixed bits 1 and 4 set, nothing else
OFFLINE = 0x1A  # ... plus bit 3 (0x08): offline
MODES = ("ok", "offline", "stall", "drop", "silent")
STALL_BUFFER = 1024  # bytes asked for SO_RCVBUF (Linux doubles it, with a floor)
DROP_AFTER = 300  # bytes read before a "drop" printer resets the connection


@dataclass
class Connection:
    data: bytearray = field(default_factory=bytearray)
    status_queries: int = 0
    closed: threading.Event = field(default_factory=threading.Event)

    @property
    def receipt(self) -> bytes:
        """What was sent before the first status query."""
        at = self.data.find(STATUS_QUERY)
        return bytes(self.data if at < 0 else self.data[:at])


class FakePrinter:
    def __init__(self, mode: str = "ok") -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self.connections: list[Connection] = []
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if mode == "stall":  # inherited by the accepted connections
            self._server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, STALL_BUFFER)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(8)
        self._server.settimeout(0.1)
        self.port: int = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, daemon=True,
                                        name=f"fake printer {mode}")
        self._thread.start()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def wait_closed(self, count: int = 1, timeout: float = 5.0) -> list[Connection]:
        """The first ``count`` connections, once the client has closed each of them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                conns = list(self.connections)
            if len(conns) >= count and all(c.closed.is_set() for c in conns[:count]):
                return conns[:count]
            time.sleep(0.02)
        raise AssertionError(f"{self.mode} printer: expected {count} closed connection(s), "
                             f"got {len(self.connections)}")

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _addr = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn = Connection()
            with self._lock:
                self.connections.append(conn)
                self._sockets.append(sock)
            threading.Thread(target=self._serve, args=(sock, conn), daemon=True).start()

    def _serve(self, sock: socket.socket, conn: Connection) -> None:
        try:
            if self.mode == "stall":
                self._stop.wait()  # hold the connection open, read nothing
                return
            sock.settimeout(0.1)
            while not self._stop.is_set():
                try:
                    chunk = sock.recv(64 if self.mode == "drop" else 4096)
                except TimeoutError:
                    continue
                if not chunk:
                    return
                before = conn.data.count(STATUS_QUERY)
                conn.data += chunk
                if self.mode == "drop" and len(conn.data) >= DROP_AFTER:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    struct.pack("ii", 1, 0))
                    return  # the close below sends RST
                for _ in range(conn.data.count(STATUS_QUERY) - before):
                    conn.status_queries += 1
                    if self.mode == "silent":
                        continue
                    sock.sendall(bytes([ONLINE if self.mode == "ok" else OFFLINE]))
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sock.close()
            conn.closed.set()

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._server.close()
        self._thread.join(2)
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.close()

    def __enter__(self) -> FakePrinter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A local port where a connection is refused (bound, never listening)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
    finally:
        sock.close()
