"""Small builders for user repositories in temporary folders."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


TWO_ENVIRONMENTS = """
    environments:
      dev:
        vars: {sms_sender: ShopDev, mail_domain: dev.example.com}
      prod:
        base_url: https://xxxxx.api.infobip.com
        auth: {type: app, key_env: INFOBIP_PROD_API_KEY}
        vars: {sms_sender: Shop, mail_domain: example.com}
"""

ORDER_UPDATES = """
    name: Order updates
    default: true
    flow:
      - channel: SMS
        from: "{{ vars.sms_sender }}"
      - channel: EMAIL
        from: "orders@{{ vars.mail_domain }}"
"""
