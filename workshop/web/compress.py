"""gzip for pages, scripts, styles and JSON: a crowded venue Wi-Fi is slow, and the phone
page's first load should stay small (docs/performance.md). Static files are compressed once
per version and kept in memory."""

from __future__ import annotations

import gzip
from functools import lru_cache

from flask import Flask, Response, request

COMPRESSIBLE = (
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/csv",
    "text/markdown",
)
MINIMUM_BYTES = 1024


@lru_cache(maxsize=128)
def _compressed(etag: str, data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6)


def compress(response: Response) -> Response:
    if (
        response.status_code != 200
        or (response.is_streamed and not response.direct_passthrough)
        or "gzip" not in request.headers.get("Accept-Encoding", "")
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
    ):
        return response
    response.direct_passthrough = False
    data = response.get_data()
    if len(data) < MINIMUM_BYTES:
        return response
    etag = response.headers.get("ETag")
    body = _compressed(etag, data) if etag else gzip.compress(data, compresslevel=6)
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    if etag and not etag.startswith("W/"):  # the same file, another encoding: a weak match
        response.headers["ETag"] = f"W/{etag}"
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress)
