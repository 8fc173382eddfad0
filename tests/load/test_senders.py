import pytest
from pydantic import ValidationError

from omni_sync.model.scenario import Channel, RemoteScenario, ScenarioSpec, sender_problem


@pytest.mark.parametrize(
    ("channel", "sender"),
    [
        (Channel.SMS, "InfoSMS"),
        (Channel.SMS, "Shop & Co"),
        (Channel.SMS, "41793026727"),
        (Channel.SMS, "+41793026727"),
        (Channel.EMAIL, "info@travelagency.com"),
        (Channel.EMAIL, "Travel Agency <info@travelagency.com>"),
        (Channel.VOICE, "41793026727"),
        (Channel.VOICE, "+41793026727"),
        (Channel.PUSH, "app-code-1"),
        (Channel.VIBER, "3045"),
    ],
)
def test_good_senders(channel: Channel, sender: str) -> None:
    assert sender_problem(channel, sender) is None


@pytest.mark.parametrize(
    ("channel", "sender", "message"),
    [
        (
            Channel.SMS,
            "InfoSMSTooLong",
            "SMS sender 'InfoSMSTooLong' is 14 characters; alphanumeric senders are at most 11 (or use a phone number)",
        ),
        (
            Channel.SMS,
            "Shop!",
            "SMS sender 'Shop!' may hold only letters, digits, spaces and . & _ -, or be a phone number",
        ),
        (Channel.SMS, "12", "SMS sender '12' is not a phone number (3 to 15 digits)"),
        (
            Channel.EMAIL,
            "info",
            "EMAIL sender 'info' is not an email address (write it as name@example.com or 'Name <name@example.com>')",
        ),
        (
            Channel.EMAIL,
            "Info <info@x>",
            "EMAIL sender 'Info <info@x>' is not an email address (write it as name@example.com or 'Name <name@example.com>')",
        ),
        (
            Channel.VOICE,
            "Shop",
            "VOICE sender 'Shop' is not a phone number (digits only, optionally a leading +, 3 to 15 digits, e.g. 41793026727)",
        ),
        (Channel.VIBER, " 3045", "VIBER sender ' 3045' has spaces at the start or end"),
    ],
)
def test_bad_senders(channel: Channel, sender: str, message: str) -> None:
    assert sender_problem(channel, sender) == message


def test_spec_lists_every_bad_step() -> None:
    with pytest.raises(ValidationError) as caught:
        ScenarioSpec.model_validate(
            {
                "name": "x",
                "flow": [
                    {"channel": "EMAIL", "from": "bad"},
                    {"channel": "SMS", "from": "S"},
                    {"channel": "VOICE", "from": "x"},
                ],
            }
        )
    (error,) = caught.value.errors()
    assert [index for index, _ in error["ctx"]["senders"]] == [0, 2]


def test_numbers_are_not_text_and_remote_scenarios_are_not_checked() -> None:
    with pytest.raises(ValidationError) as caught:
        ScenarioSpec.model_validate(
            {"name": "x", "flow": [{"channel": "VOICE", "from": 41793026727}]}
        )
    assert caught.value.errors()[0]["type"] == "string_type"
    remote = RemoteScenario.model_validate(
        {"key": "K", "name": "x", "flow": [{"channel": "EMAIL", "from": "odd"}]}
    )
    assert remote.flow[0].sender == "odd"
