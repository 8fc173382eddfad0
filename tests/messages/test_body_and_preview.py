from omni_sync.messages.body import Destination, advanced_body
from omni_sync.messages.preview import flow_preview
from omni_sync.messages.rendering import ChannelMessage, RenderedField
from omni_sync.model.scenario import Channel, Step


def message(channel: Channel, key: str, **fields: str) -> ChannelMessage:
    return ChannelMessage(channel, {n: RenderedField((key, n), v) for n, v in fields.items()})


MESSAGES = {
    Channel.EMAIL: message(Channel.EMAIL, "email", subject="Shipped", text="Hello\n\nBye"),
    Channel.SMS: message(Channel.SMS, "sms", text="Order €1 shipped"),
    Channel.VIBER: message(
        Channel.VIBER, "viber", text="Hi", button_text="Track", button_url="https://t.example"
    ),
}


def test_the_advanced_body_uses_the_apis_field_names_in_a_stable_order() -> None:
    body = advanced_body(
        MESSAGES,
        [Destination(phone_number="41793026727", email_address="a@example.com", message_id="m1")],
        scenario_key="AD9E01A5DC7BEE2C2B828D208182A611",
        bulk_id="b1",
    )
    assert body == {
        "scenarioKey": "AD9E01A5DC7BEE2C2B828D208182A611",
        "bulkId": "b1",
        "destinations": [
            {
                "to": {"phoneNumber": "41793026727", "emailAddress": "a@example.com"},
                "messageId": "m1",
            }
        ],
        "sms": {"text": "Order €1 shipped"},
        "email": {"subject": "Shipped", "text": "Hello\n\nBye"},
        "viber": {"text": "Hi", "buttonText": "Track", "buttonURL": "https://t.example"},
    }
    assert list(body)[3:] == ["sms", "email", "viber"]  # the order of Channel


def test_without_a_scenario_key_the_body_leaves_it_out() -> None:
    body = advanced_body({}, [Destination(push_registration_id="p1")], scenario_key=None)
    assert body == {"destinations": [{"to": {"pushRegistrationId": "p1"}}]}
    assert Destination().empty
    assert not Destination(email_address="a@example.com").empty


def test_the_preview_walks_the_flow_with_figures() -> None:
    flow = [
        Step(channel=Channel.SMS, sender="Shop"),
        Step(channel=Channel.VIBER, sender="3045"),
        Step(channel=Channel.PUSH, sender="app"),
        Step(channel=Channel.EMAIL, sender="orders@example.com"),
    ]
    assert flow_preview(flow, MESSAGES) == [
        "1. SMS from Shop",
        "   text (17 GSM-7 characters (€ counts as two): 1 part, sms.text):",
        "      Order €1 shipped",
        "2. VIBER from 3045",
        "   text (2 of 1,000 characters, viber.text):",
        "      Hi",
        "   button text (5 of 30 characters, viber.button_text):",
        "      Track",
        "   button url (17 characters, viber.button_url):",
        "      https://t.example",
        "3. PUSH from app: no content",
        "4. EMAIL from orders@example.com",
        "   subject (7 characters, email.subject):",
        "      Shipped",
        "   text (10 characters, email.text):",
        "      Hello",
        "",
        "      Bye",
    ]
