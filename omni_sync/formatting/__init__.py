"""``omni-sync fmt``: the one canonical layout of scenario files."""
