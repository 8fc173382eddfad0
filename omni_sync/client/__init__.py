"""The only code that talks HTTP to an account: one OmniClient per environment."""

from omni_sync.client.connect import open_client
from omni_sync.client.omni import OmniClient

__all__ = ["OmniClient", "open_client"]
