"""Accounts keyed by credential: each ``Authorization`` value maps to one account id.

Credentials live only in memory. The store keys scenarios by account id, which is either a
name given when the account is added or a digest of the credential, so a file database keeps
each account's scenarios across restarts without ever holding a secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
from dataclasses import dataclass
from enum import StrEnum


class Scheme(StrEnum):
    APP = "app"
    BASIC = "basic"
    IBSSO = "ibsso"
    BEARER = "bearer"


_HEADER_SCHEME = {
    Scheme.APP: "App",
    Scheme.BASIC: "Basic",
    Scheme.IBSSO: "IBSSO",
    Scheme.BEARER: "Bearer",
}


@dataclass(frozen=True)
class Credential:
    """One credential; for Basic the secret is ``user:password``."""

    scheme: Scheme
    secret: str

    @property
    def lookup(self) -> str:
        return f"{self.scheme.value}:{self.secret}"

    def header(self) -> str:
        """The ``Authorization`` header value a client sends with this credential."""
        value = self.secret
        if self.scheme is Scheme.BASIC:
            value = base64.b64encode(self.secret.encode()).decode()
        return f"{_HEADER_SCHEME[self.scheme]} {value}"

    def default_account_id(self) -> str:
        return "acct-" + hashlib.sha256(self.lookup.encode()).hexdigest()[:20]


def parse_authorization(value: str | None) -> Credential | None:
    """The credential in an ``Authorization`` header, or None when it is not one we read."""
    if not value:
        return None
    word, _, rest = value.strip().partition(" ")
    rest = rest.strip()
    try:
        scheme = Scheme(word.lower())
    except ValueError:
        return None
    if not rest:
        return None
    if scheme is Scheme.BASIC:
        try:
            rest = base64.b64decode(rest, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        if ":" not in rest:
            return None
    return Credential(scheme, rest)


def credential_from_option(scheme: Scheme, value: str) -> Credential:
    """A credential as written on the command line or in an accounts file."""
    if not value:
        raise ValueError(f"an empty {scheme.value} credential")
    if scheme is Scheme.BASIC and ":" not in value:
        raise ValueError("a Basic credential is written USER:PASSWORD")
    return Credential(scheme, value)


class Accounts:
    """The credential -> account id table; safe to change while requests run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_lookup: dict[str, str] = {}

    def add(self, credential: Credential, account_id: str | None = None) -> str:
        account = account_id or credential.default_account_id()
        with self._lock:
            self._by_lookup[credential.lookup] = account
        return account

    def resolve(self, authorization: str | None) -> str | None:
        credential = parse_authorization(authorization)
        if credential is None:
            return None
        with self._lock:
            return self._by_lookup.get(credential.lookup)

    def clear(self) -> None:
        with self._lock:
            self._by_lookup.clear()
