"""Which account a plan is for, apart from the saved-plan file format so that every plan need
not import it."""

from __future__ import annotations

from urllib.parse import urlsplit

_DEFAULT_PORTS = {"https": 443, "http": 80}


def account_identity(base_url: str) -> str:
    """Which account a plan is for: the environment's base URL, normalised (scheme and host in
    lower case, no default port, no trailing slash), or ``embedded``.

    Never the credential nor a hash of it: a plan made with a read-only key is applied with the
    same account's write key, and a plan file holds nothing derived from a secret.
    """
    parts = urlsplit(base_url.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname
    if not parts.scheme or not host:
        return base_url.strip().rstrip("/")
    scheme = parts.scheme.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return f"{scheme}://{host}{parts.path.rstrip('/')}"
