"""Credentials never reach output: every value read for an ``Authorization`` header is
registered here, and the CLI's writer scrubs registered values (and their encodings)
from everything it prints."""

from __future__ import annotations

import base64
import threading

_lock = threading.Lock()
_secrets: set[str] = set()
MASK = "***"


def register(value: str) -> None:
    """Remember a secret (and the header forms it travels in) so output can be scrubbed."""
    if len(value) < 4:
        return
    forms = {value, base64.b64encode(value.encode()).decode()}
    with _lock:
        _secrets.update(forms)


def redact(text: str) -> str:
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redact_header(value: str) -> str:
    """``App abc123`` -> ``App ***``: keeps the scheme, never the credential."""
    scheme, _, _ = value.partition(" ")
    return f"{scheme} {MASK}" if scheme else MASK


def clear() -> None:
    with _lock:
        _secrets.clear()
