"""The emulator's SMS part count (from the GSM 03.38 codec) and omni-sync's own
(messages/sms.py) are two independent counts: on every generated text they agree, so a
counting error in either shows here."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from omni_sync.emulator.sms_parts import sms_parts
from omni_sync.messages.sms import GSM_BASIC, GSM_EXTENSION, count_sms

NOT_GSM = "çőжЖ中ﬁ\u00a0😀🇨🇭"  # Latin, Cyrillic, CJK, a ligature, NBSP, emoji (two code units)
characters = st.one_of(
    st.sampled_from(sorted(GSM_BASIC)),
    st.sampled_from(sorted(GSM_EXTENSION)),
    st.sampled_from([*NOT_GSM, "\x1b"]),
    st.characters(codec="utf-8"),
)
# Mostly one kind of text, near the lengths where the count changes.
texts = st.one_of(
    st.text(st.sampled_from(sorted(GSM_BASIC)), min_size=150, max_size=470),
    st.text(characters, max_size=400),
    st.builds(
        lambda head, tail: head + tail,
        st.text(st.sampled_from(sorted(GSM_BASIC | GSM_EXTENSION)), min_size=140, max_size=320),
        st.text(characters, max_size=3),
    ),
)


@settings(max_examples=600)
@given(texts)
@example("")
@example("a" * 160)
@example("a" * 161)
@example("a" * 152 + "€")  # the escape pair does not fit the first part's last septet
@example("ж" * 70)
@example("ж" * 71)
@example("ж" * 66 + "😀")  # nor a surrogate pair the first part's last unit
@example("\x1b" + "a" * 100)  # ESC is no character of its own: UCS-2
def test_the_emulator_and_omni_sync_count_the_same_parts(text: str) -> None:
    assert sms_parts(text) == max(count_sms(text).parts, 1)


def test_the_emulators_count_follows_the_payload_size() -> None:
    assert [sms_parts("a" * n) for n in (0, 160, 161, 306, 307)] == [1, 1, 2, 2, 3]
    assert [sms_parts("[" * n) for n in (80, 81)] == [1, 2]  # an extension character costs two
    assert [sms_parts("ж" * n) for n in (70, 71, 134, 135)] == [1, 2, 2, 3]
    assert sms_parts("a" * 159 + "😀") == 3  # UCS-2: 161 units in parts of 67
