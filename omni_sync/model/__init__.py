"""The value types every layer shares: scenarios (desired and remote) and environments."""
