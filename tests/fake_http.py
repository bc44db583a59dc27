"""A loopback HTTP server for the fake APIs, switchable into the failures of a real outage:
every call answered with a 5xx (`down(502)`), or connections refused (`refuse()`), until
`recover()`; it comes back on the same port."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class Faults:
    """Mixed into a fake's state: what its handler checks before answering."""

    outage: int | None = None  # HTTP status every call gets while set
    refusing: bool = False  # connections are dropped (and new ones refused)


class JsonHandler(BaseHTTPRequestHandler):
    """Keep-alive JSON answers; a refusing fake drops the connection instead."""

    fake: Faults
    protocol_version = "HTTP/1.1"  # keep-alive, as the real APIs allow
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms stall

    def dropped(self) -> bool:
        if self.fake.refusing:
            self.close_connection = True
        return self.fake.refusing

    def reply_json(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up mid-answer (the bot stopping) is not a test failure


class LoopbackServer:
    """Serve `handler` (which has a `fake: Faults` attribute) on a free port, in a thread."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], fake: Faults) -> None:
        self.handler, self.fake = handler, fake
        self.httpd: _QuietServer | None = None
        self.port = 0

    def start(self) -> None:
        self.httpd = _QuietServer(("127.0.0.1", self.port), self.handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def down(self, status: int = 502) -> None:
        self.fake.outage = status

    def refuse(self) -> None:
        """Stop listening and drop open connections: the client gets 'connection refused'."""
        self.fake.refusing = True
        self.close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def recover(self) -> None:
        self.fake.outage, self.fake.refusing = None, False
        if self.httpd is None:
            self.start()
