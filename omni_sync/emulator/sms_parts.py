"""How many parts an SMS is billed as (``messageCount`` in the emulator's reports).

Counted apart from omni-sync's own counter (``messages/sms.py``), from the GSM 03.38 codec of
the ``gsm0338`` package and the SMS payload size, so the tests that compare the two catch an
error in either."""

from __future__ import annotations

import gsm0338  # noqa: F401  (importing it registers the "gsm03.38" codec)

_PAYLOAD_OCTETS = 140  # one SMS
_HEADER_OCTETS = 6  # the concatenation header each part of a longer message carries
_ESCAPE = "\x1b"  # introduces an extension character; not a character of its own


def _units(text: str) -> tuple[list[int], int]:
    """Each character's units, and the bits per unit: GSM 03.38 septets (7) if every
    character has one (an extension character is two), else UTF-16 code units (16)."""
    if _ESCAPE not in text:
        try:
            return [len(char.encode("gsm03.38")) for char in text], 7
        except UnicodeEncodeError:
            pass
    return [len(char.encode("utf-16-be")) // 2 for char in text], 16


def sms_parts(text: str) -> int:
    """Parts of ``text``, at least one; a character's units never straddle two parts."""
    units, bits = _units(text)
    if sum(units) <= _PAYLOAD_OCTETS * 8 // bits:
        return 1
    per_part = (_PAYLOAD_OCTETS - _HEADER_OCTETS) * 8 // bits
    parts, room = 1, per_part
    for unit in units:
        if unit > room:
            parts, room = parts + 1, per_part
        room -= unit
    return parts
