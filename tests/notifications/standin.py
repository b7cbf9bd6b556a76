"""A stand-in of Telegram's Bot API on loopback: a tiny http.server in a thread answering
getMe, getUpdates and sendMessage as Telegram does, and recording what it was sent. The tests
point KENSE_TELEGRAM_API at it and drive Kense's real client."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "123456:TEST-token"


@dataclass
class BotApi:
    """What the stand-in answers and what it was sent."""

    url: str = ""
    username: str = "kense_office_bot"
    updates: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    # How many of the next sendMessage calls fail (with Telegram's answer to a server error).
    failures: int = 0

    def sent(self) -> list[dict[str, Any]]:
        return [body for method, body in self.calls if method == "sendMessage"]

    def start(self, chat_id: int, text: str, language: str = "ru") -> None:
        update_id = 1000 + len(self.updates)
        self.updates.append(
            {
                "update_id": update_id,
                "message": {
                    "message_id": update_id,
                    "from": {"id": chat_id, "is_bot": False, "language_code": language},
                    "chat": {"id": chat_id, "type": "private"},
                    "date": 1600000000,
                    "text": text,
                },
            }
        )

    def answer(self, method: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.calls.append((method, body))
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": 1, "is_bot": True, "username": self.username}}
        if method == "getUpdates":
            offset = int(body.get("offset") or 0)
            return 200, {
                "ok": True,
                "result": [u for u in self.updates if u["update_id"] >= offset],
            }
        if method == "sendMessage":
            if self.failures:
                self.failures -= 1
                return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            return 200, {
                "ok": True,
                "result": {"message_id": len(self.calls), "chat": {"id": body["chat_id"]}},
            }
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}


@contextmanager
def serve() -> Iterator[BotApi]:
    """The stand-in, running until the block ends; its address is `api.url`."""
    api = BotApi()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            _empty, bot, method = self.path.split("/", 2)
            api.tokens.add(bot.removeprefix("bot"))
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            status, answer = api.answer(method, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
