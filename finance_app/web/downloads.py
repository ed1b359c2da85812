"""File downloads: every one answers as an attachment that no cache, shared or private, keeps.

Exports and receipts are a person's financial data; `Cache-Control: no-store` keeps them out
of proxies and the browser's disk cache (and out of the back button on a shared computer).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from flask import Response, send_file, stream_with_context


def private_download(response: Response) -> Response:
    """Mark `response` (built here or by `send_file`) as a download no cache may store."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def content_disposition(filename: str) -> str:
    """`attachment; filename="..."`, with an ASCII fallback and RFC 6266 `filename*` when the
    name (often taken from an uploaded file) has characters a plain header cannot carry."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = "".join(ch for ch in ascii_name if ch.isprintable() and ch not in '"\\')
    value = f'attachment; filename="{ascii_name or "download"}"'
    if ascii_name != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def download(body: str | bytes | Iterator[str], filename: str, mimetype: str) -> Response:
    """A download of `body`; an iterator is sent chunk by chunk (it may read the database as
    it goes, so the request context is kept alive for it)."""
    content = body if isinstance(body, str | bytes) else stream_with_context(body)
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return private_download(response)


def download_file(path: Path, filename: str, mimetype: str) -> Response:
    """A stored file as a private download named `filename`."""
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=filename,
                         max_age=0, conditional=False)
    return private_download(response)
