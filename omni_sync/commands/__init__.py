"""One module per command, each exposing a click command named ``cli``."""
