"""Hides the development environment's rich from measured commands: an install of omni-sync
has none (only the dev extras bring it), and httpx imports its own command line, at a cost to
every command's start, whenever click, pygments and rich are all importable."""

raise ImportError("rich is not part of an omni-sync install")
