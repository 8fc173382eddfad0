"""How carriers count an SMS: GSM 03.38 septets (extension characters cost two) or UCS-2 code
units, and how many parts a text is split into (160/153 for GSM-7, 70/67 for UCS-2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

# The GSM 03.38 default alphabet (without ESC, which only introduces the extension table).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each is sent as ESC + a septet, so it costs two.
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")


class Encoding(StrEnum):
    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


@dataclass(frozen=True)
class Layout:
    single: int
    per_part: int


LAYOUTS = {Encoding.GSM7: Layout(160, 153), Encoding.UCS2: Layout(70, 67)}


@dataclass(frozen=True)
class SmsCount:
    """``units`` are septets for GSM-7 and UTF-16 code units for UCS-2 (an emoji is two)."""

    encoding: Encoding
    units: int
    parts: int
    extension_chars: tuple[str, ...]
    non_gsm_chars: tuple[str, ...]


def is_gsm(char: str) -> bool:
    return char in GSM_BASIC or char in GSM_EXTENSION


def _cost(char: str, encoding: Encoding) -> int:
    if encoding is Encoding.UCS2:
        return 2 if ord(char) > 0xFFFF else 1
    return 2 if char in GSM_EXTENSION else 1


def _parts(costs: list[int], layout: Layout) -> int:
    """Greedy packing: an escape pair or a surrogate pair is never split across two parts."""
    if sum(costs) <= layout.single:
        return 1 if costs else 0
    parts, used = 1, 0
    for cost in costs:
        if used + cost > layout.per_part:
            parts, used = parts + 1, 0
        used += cost
    return parts


def _distinct(chars: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(chars))


def count_sms(text: str) -> SmsCount:
    non_gsm = _distinct(char for char in text if not is_gsm(char))
    encoding = Encoding.UCS2 if non_gsm else Encoding.GSM7
    costs = [_cost(char, encoding) for char in text]
    extension = () if non_gsm else _distinct(char for char in text if char in GSM_EXTENSION)
    return SmsCount(
        encoding=encoding,
        units=sum(costs),
        parts=_parts(costs, LAYOUTS[encoding]),
        extension_chars=extension,
        non_gsm_chars=non_gsm,
    )
