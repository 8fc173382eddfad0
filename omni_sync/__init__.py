"""omni-sync: Infobip OMNI failover scenarios as code, with Terraform-style plan and apply."""

import sys

__version__ = "0.1.0"

# httpx imports its optional command-line client, and rich and pygments with it, whenever they are
# installed (by other tools in the same environment). omni-sync never runs that client,
# and importing it costs about a sixth of every command's start; an absent module makes httpx
# skip it. Only when httpx was not imported already, so nothing loaded is changed.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
