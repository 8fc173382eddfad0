"""The ``omni-sync`` entry point. ``--version`` is answered here, before click and the rest of
the CLI are imported: importing click alone costs about three times a bare interpreter start."""

import sys

from omni_sync import __version__

VERSION_FLAGS = (["--version"], ["-V"])


def main() -> None:
    if sys.argv[1:] in VERSION_FLAGS:
        sys.stdout.write(f"omni-sync, version {__version__}\n")
        return
    from omni_sync.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
