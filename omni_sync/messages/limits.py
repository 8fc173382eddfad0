"""Each channel's limits (from the OMNI product text), checked on rendered content: the SMS
part count, Viber 1,000 and its button 30, Facebook 1,000, push 4,000, an email's subject."""

from __future__ import annotations

from dataclasses import dataclass

from omni_sync.messages.rendering import ChannelMessage
from omni_sync.messages.sms import Encoding, SmsCount, count_sms
from omni_sync.model.scenario import Channel
from omni_sync.source.safe_yaml import YamlPath as KeyPath

# (channel, field) -> the most characters it may hold.
MAX_CHARACTERS: dict[tuple[Channel, str], int] = {
    (Channel.VIBER, "text"): 1000,
    (Channel.VIBER, "button_text"): 30,
    (Channel.FACEBOOK, "text"): 1000,
    (Channel.PUSH, "text"): 4000,
}


@dataclass(frozen=True)
class Finding:
    """A limit broken: where the content was written and what is wrong, in one sentence."""

    keys: KeyPath
    message: str


def char_listing(chars: tuple[str, ...]) -> str:
    shown = [repr(char).strip("'") if not char.isprintable() else char for char in chars[:3]]
    more = ", ..." if len(chars) > 3 else ""
    return ", ".join(shown) + more


def sms_cost(count: SmsCount) -> str | None:
    """Why an SMS costs more than its length: ``because of 😀`` (it goes as UCS-2) or ``€, [
    count as two`` (GSM-7's extension characters); None when it costs what it looks."""
    if count.encoding is Encoding.UCS2:
        return f"because of {char_listing(count.non_gsm_chars)}"
    if count.extension_chars:
        verb = "counts" if len(count.extension_chars) == 1 else "count"
        return f"{char_listing(count.extension_chars)} {verb} as two"
    return None


def sms_figure(count: SmsCount) -> str:
    """``171 GSM-7 characters: 2 parts`` with why, when it costs more than it looks."""
    cost = sms_cost(count)
    why = ""
    if cost is not None:
        why = f" (UCS-2 {cost})" if count.encoding is Encoding.UCS2 else f" ({cost})"
    plural = "part" if count.parts == 1 else "parts"
    return f"{count.units} {count.encoding.value} characters{why}: {count.parts} {plural}"


def _sms(message: ChannelMessage, max_parts: int) -> list[Finding]:
    text = message.fields["text"]
    count = count_sms(text.value)
    if count.parts <= max_parts:
        return []
    return [Finding(text.keys, f"SMS text is {sms_figure(count)}, the template allows {max_parts}")]


def _lengths(message: ChannelMessage) -> list[Finding]:
    findings = []
    label = message.channel.label
    for name, rendered in message.fields.items():
        limit = MAX_CHARACTERS.get((message.channel, name))
        size = len(rendered.value)
        if limit is not None and size > limit:
            what = name.replace("_", " ")
            text = f"{label} {what} is {size:,} characters, the limit is {limit:,}"
            findings.append(Finding(rendered.keys, text))
    return findings


def _required(message: ChannelMessage, channel_key: str) -> list[Finding]:
    label = message.channel.label
    findings = []
    text = message.fields.get("text")
    if text is not None and not text.value.strip():
        findings.append(Finding(text.keys, f"{label} text renders empty"))
    if message.channel is Channel.EMAIL and not (message.get("subject") or "").strip():
        known = [
            message.fields[name].keys for name in ("subject", "text") if name in message.fields
        ]
        where = known[0] if known else (channel_key,)
        findings.append(Finding(where, f"Email needs a subject: add {channel_key}.subject"))
    has_text, has_url = (message.get("button_text"), message.get("button_url"))
    if message.channel is Channel.VIBER and bool(has_text) != bool(has_url):
        where = message.fields["button_text" if has_text else "button_url"].keys
        findings.append(Finding(where, "Viber button_text and button_url go together"))
    return findings


def check_limits(message: ChannelMessage, channel_key: str, max_sms_parts: int) -> list[Finding]:
    """Everything wrong with one channel's rendered content (empty when it fits)."""
    findings = _required(message, channel_key)
    if message.channel is Channel.SMS and "text" in message.fields:
        findings.extend(_sms(message, max_sms_parts))
    findings.extend(_lengths(message))
    return findings
