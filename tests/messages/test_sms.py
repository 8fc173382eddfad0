from hypothesis import given
from hypothesis import strategies as st

from omni_sync.messages.limits import sms_figure
from omni_sync.messages.sms import GSM_BASIC, GSM_EXTENSION, Encoding, count_sms


def test_160_gsm_characters_are_one_part_and_161_are_two() -> None:
    assert (count_sms("a" * 160).units, count_sms("a" * 160).parts) == (160, 1)
    assert (count_sms("a" * 161).units, count_sms("a" * 161).parts) == (161, 2)


def test_multipart_gsm_holds_153_per_part() -> None:
    assert count_sms("a" * 306).parts == 2
    assert count_sms("a" * 307).parts == 3


def test_extension_characters_cost_two_septets() -> None:
    count = count_sms("€" + "a" * 158)
    assert count.encoding is Encoding.GSM7
    assert count.units == 160
    assert count.parts == 1
    assert count_sms("[" + "a" * 159).units == 161
    assert count_sms("[" + "a" * 159).parts == 2
    assert count_sms("x[y€").extension_chars == ("[", "€")


def test_an_escape_pair_is_never_split_across_parts() -> None:
    # 152 septets then "€": the pair does not fit the first part's last septet, so it moves on.
    count = count_sms("a" * 152 + "€" + "a" * 152)
    assert count.units == 306
    assert count.parts == 3


def test_one_character_outside_gsm_switches_the_whole_text_to_ucs2() -> None:
    count = count_sms("ç" + "a" * 69)
    assert (count.encoding, count.units, count.parts) == (Encoding.UCS2, 70, 1)
    assert count_sms("ç" + "a" * 70).parts == 2
    assert count_sms("ç" + "a" * 133).parts == 2
    assert count_sms("ç" + "a" * 134).parts == 3
    assert count_sms("ç").non_gsm_chars == ("ç",)


def test_an_emoji_is_two_utf16_code_units() -> None:
    count = count_sms("😀" + "a" * 68)
    assert (count.encoding, count.units, count.parts) == (Encoding.UCS2, 70, 1)
    assert count_sms("😀" + "a" * 69).parts == 2


def test_empty_text_is_no_part() -> None:
    assert count_sms("").parts == 0


def test_figures_say_why_a_text_costs_more() -> None:
    assert sms_figure(count_sms("a" * 171)) == "171 GSM-7 characters: 2 parts"
    assert sms_figure(count_sms("€[")) == "4 GSM-7 characters (€, [ count as two): 1 part"
    assert sms_figure(count_sms("héllo😀")) == ("7 UCS-2 characters (UCS-2 because of 😀): 1 part")
    assert "\\t" in sms_figure(count_sms("\tabcde"))


@given(st.text(alphabet=sorted(GSM_BASIC | GSM_EXTENSION), max_size=400))
def test_gsm_text_parts_match_the_septet_budget(text: str) -> None:
    count = count_sms(text)
    assert count.encoding is Encoding.GSM7
    assert count.units == len(text) + sum(char in GSM_EXTENSION for char in text)
    if count.units <= 160:
        assert count.parts == (1 if text else 0)
    else:
        assert 152 * (count.parts - 1) < count.units <= 153 * count.parts
