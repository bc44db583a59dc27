"""What every route of the HTTP server shares: JSON errors and bearer-token checks."""

from __future__ import annotations

import hmac
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def bearer_refused(request: Request, token: str | None, setting: str) -> JSONResponse | None:
    """401 unless the request carries `Bearer <token>` (compared in constant time)."""
    given = request.headers.get("authorization", "")
    if token is None:
        return error(401, f"{setting} is not set on this server: the API is closed")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return error(401, "missing or wrong bearer token")
    return None


async def json_object(request: Request, example: str) -> dict[str, Any] | JSONResponse:
    """The body as a JSON object, or a 400 that shows what was expected."""
    try:
        body = json.loads(await request.body())
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, or nested too deep to read
        return error(400, f"body must be JSON: {example}")
    if not isinstance(body, dict):
        return error(400, f"body must be a JSON object: {example}")
    return body
