"""The accounts file of ``omni-sync emulator serve --accounts-file``::

accounts:
  - name: staging          # optional: the account id (else derived from the credential)
    api_key: 0f3c...       # or  basic: USER:PASSWORD  |  ibsso: TOKEN  |  bearer: TOKEN
"""

from __future__ import annotations

from pathlib import Path

import yaml

from omni_sync.emulator.accounts import Credential, Scheme, credential_from_option
from omni_sync.errors import ConfigError

FIELDS = {
    "api_key": Scheme.APP,
    "basic": Scheme.BASIC,
    "ibsso": Scheme.IBSSO,
    "bearer": Scheme.BEARER,
}


def _entry(path: Path, index: int, entry: object) -> tuple[Credential, str | None]:
    where = f"{path}: accounts[{index}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: write name and one of {', '.join(FIELDS)}")
    given = [field for field in FIELDS if field in entry]
    unknown = set(entry) - set(FIELDS) - {"name"}
    if len(given) != 1 or unknown:
        raise ConfigError(
            f"{where}: give exactly one of {', '.join(FIELDS)} (and an optional name)"
        )
    try:
        credential = credential_from_option(FIELDS[given[0]], str(entry[given[0]] or ""))
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    name = entry.get("name")
    return credential, str(name) if name else None


def read_accounts_file(path: Path) -> list[tuple[Credential, str | None]]:
    """Every (credential, account id) in the file; a ConfigError naming the entry otherwise."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the accounts file: {exc}") from None
    entries = document.get("accounts") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: expected a mapping with an 'accounts' list")
    return [_entry(path, index, entry) for index, entry in enumerate(entries)]
