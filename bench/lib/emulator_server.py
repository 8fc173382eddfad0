"""The emulator served for one benchmark case, in its own process: ``python -m
bench.lib.emulator_server SETTINGS_JSON``. Accounts are added and seeded straight into the
store before serving (no HTTP, no latency), then it prints ``{"port": N}`` and serves on
127.0.0.1 until SIGTERM. Settings: see ``ServerSettings`` in bench/lib/emulator.py."""

from __future__ import annotations

import json
import sys
from typing import Any

from bench.lib.seeding import seed
from omni_sync.emulator.accounts import Credential, Scheme
from omni_sync.emulator.app import create_app
from omni_sync.emulator.faults import FaultSettings
from omni_sync.emulator.server import bind, serve_forever
from omni_sync.emulator.state import EmulatorState
from omni_sync.emulator.throttle import ThrottleSettings


def main(raw: str) -> None:
    settings: dict[str, Any] = json.loads(raw)
    state = EmulatorState.open(
        throttle=ThrottleSettings(**settings["throttle"]),
        faults=FaultSettings(**settings["faults"]),
    )
    for key in settings["keys"]:
        account = state.accounts.add(Credential(Scheme.APP, key), key)
        seed(state, account, settings["scenarios"], settings["changed"])
    sock = bind("127.0.0.1", 0)
    print(json.dumps({"port": sock.getsockname()[1]}), flush=True)
    serve_forever(create_app(state), sock)


if __name__ == "__main__":
    main(sys.argv[1])
