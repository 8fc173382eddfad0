"""Each template check gives its exact message, at the file and line the content is written."""

from pathlib import Path

from omni_sync.messages.checks import check_templates
from omni_sync.model.scenario import Channel
from tests.messages.conftest import WriteTemplate, scenario, state

ORDER = scenario("Order updates", Channel.SMS, Channel.VIBER, Channel.EMAIL)
PROD = state("prod", ORDER)


def problems(repo: Path, *states: object) -> list[str]:
    found = check_templates(repo, list(states or [PROD]))  # type: ignore[arg-type]
    return [str(problem) for problem in sorted(found)]


def full_template(sms: str, viber: str = "Hi", max_parts: int = 1) -> str:
    return f"""
        scenarios: [Order updates]
        max_sms_parts: {max_parts}
        sms:
          text: "{sms}"
        viber:
          text: "{viber}"
        email:
          subject: Your order
          text: Shipped.
        """


def test_a_template_that_fits_every_channel_has_no_problem(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template(full_template("a" * 160, "v" * 1000))
    assert problems(repo) == []


def test_missing_content_for_a_channel_in_the_flow(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template(
        """
        scenarios:
          - Order updates
        sms:
          text: Shipped.
        email:
          subject: Your order
          text: Shipped.
        """
    )
    assert problems(repo) == [
        'templates/order-shipped.yaml:2:5: no content for VIBER, a step of scenario "Order updates":'
        " add viber.text or a fallback [prod]"
    ]


def test_sms_at_160_gsm_characters_fits_and_161_does_not(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template(full_template("a" * 160))
    assert problems(repo) == []
    write_template(full_template("a" * 161))
    assert problems(repo) == [
        "templates/order-shipped.yaml:4:9: SMS text is 161 GSM-7 characters: 2 parts,"
        " the template allows 1 [prod]"
    ]


def test_the_example_figure_from_the_issue(repo: Path, write_template: WriteTemplate) -> None:
    write_template(full_template("a" * 171))
    assert problems(repo) == [
        "templates/order-shipped.yaml:4:9: SMS text is 171 GSM-7 characters: 2 parts,"
        " the template allows 1 [prod]"
    ]


def test_euro_and_bracket_cost_two_septets_each(repo: Path, write_template: WriteTemplate) -> None:
    write_template(full_template("€" + "a" * 158))
    assert problems(repo) == []
    write_template(full_template("€[" + "a" * 157))
    assert problems(repo) == [
        "templates/order-shipped.yaml:4:9: SMS text is 161 GSM-7 characters (€, [ count as two):"
        " 2 parts, the template allows 1 [prod]"
    ]


def test_an_emoji_switches_to_ucs2_70_then_67_per_part(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template(full_template("😀" + "a" * 68))
    assert problems(repo) == []
    write_template(full_template("😀" + "a" * 69))
    assert problems(repo) == [
        "templates/order-shipped.yaml:4:9: SMS text is 71 UCS-2 characters (UCS-2 because of 😀):"
        " 2 parts, the template allows 1 [prod]"
    ]


def test_max_sms_parts_allows_longer_texts(repo: Path, write_template: WriteTemplate) -> None:
    write_template(full_template("😀" + "a" * 132, max_parts=2))
    assert problems(repo) == []
    write_template(full_template("😀" + "a" * 133, max_parts=2))
    assert problems(repo) == [
        "templates/order-shipped.yaml:4:9: SMS text is 135 UCS-2 characters (UCS-2 because of 😀):"
        " 3 parts, the template allows 2 [prod]"
    ]


def test_viber_text_at_1000_fits_and_1001_does_not(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template(full_template("Hi", "v" * 1000))
    assert problems(repo) == []
    write_template(full_template("Hi", "v" * 1001))
    assert problems(repo) == [
        "templates/order-shipped.yaml:6:9: Viber text is 1,001 characters, the limit is 1,000 [prod]"
    ]


def test_a_missing_sample_variable_points_at_its_line_in_a_block(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template(
        """
        scenarios: [Order updates]
        sample:
          customer: Ana
        fallback: |
          Hello {{ customer }},
          your order {{ order_id }} has shipped.
        email:
          subject: Order shipped
        """
    )
    assert problems(repo) == [
        "templates/order-shipped.yaml:6:17: fallback: undefined variable order_id;"
        " add it to the template's sample data (or sample_file) [prod]"
    ]


def test_a_sandbox_escape_is_refused_and_located(repo: Path, write_template: WriteTemplate) -> None:
    write_template(
        """
        scenarios: [Order updates]
        fallback: Shipped.
        sms:
          text: "{{ ''.__class__.__mro__[1].__subclasses__() }}"
        email:
          subject: Order shipped
        """
    )
    assert problems(repo) == [
        "templates/order-shipped.yaml:4:9: sms.text: not allowed in a template (sandboxed):"
        " access to attribute '__class__' of 'str' object is unsafe. [prod]"
    ]


def test_other_channel_limits(repo: Path, write_template: WriteTemplate) -> None:
    write_template(
        f"""
        scenarios: [Everything]
        fallback: "{"f" * 1001}"
        viber:
          text: Hi
          button_text: "{"b" * 31}"
          button_url: https://example.com/t
        push:
          text: "{"p" * 4001}"
        email:
          text: Hello
        """
    )
    everything = scenario(
        "Everything", Channel.VIBER, Channel.PUSH, Channel.FACEBOOK, Channel.EMAIL, Channel.VOICE
    )
    assert problems(repo, state("dev", everything)) == [
        "templates/order-shipped.yaml:2:11: Facebook text is 1,001 characters, the limit is 1,000 [dev]",
        "templates/order-shipped.yaml:5:16: Viber button text is 31 characters, the limit is 30 [dev]",
        "templates/order-shipped.yaml:8:9: Push text is 4,001 characters, the limit is 4,000 [dev]",
        "templates/order-shipped.yaml:10:9: Email needs a subject: add email.subject [dev]",
    ]


def test_email_from_the_fallback_still_needs_a_subject_and_texts_must_not_be_empty(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template(
        """
        scenarios: [Mail]
        fallback: "{{ '' }}"
        viber:
          text: Hi
          button_text: Track
        """
    )
    mail = scenario("Mail", Channel.EMAIL, Channel.VIBER)
    assert problems(repo, state("dev", mail)) == [
        "templates/order-shipped.yaml:2:11: Email needs a subject: add email.subject [dev]",
        "templates/order-shipped.yaml:2:11: Email text renders empty [dev]",
        "templates/order-shipped.yaml:5:16: Viber button_text and button_url go together [dev]",
    ]


def test_content_is_rendered_with_each_environments_vars(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template(
        """
        scenarios: [Order updates]
        sms:
          text: "{{ vars.shop }} in {{ env.name }}: shipped"
        viber:
          text: Hi
        email:
          subject: Order
          text: Shipped
        """
    )
    short = state("dev", ORDER, variables={"shop": "Shop"})
    long = state("prod", ORDER, variables={"shop": "S" * 150})
    assert problems(repo, short, long) == [
        "templates/order-shipped.yaml:3:9: SMS text is 167 GSM-7 characters: 2 parts,"
        " the template allows 1 [prod]"
    ]


def test_only_environments_holding_the_scenario_are_checked_and_unknown_names_are_reported(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template(
        """
        scenarios: [Order updates, Ordre updates]
        sms:
          text: Shipped
        """
    )
    other = state("dev", scenario("Something else", Channel.EMAIL))
    assert problems(repo, other, PROD) == [
        'templates/order-shipped.yaml:1:13: no content for EMAIL, a step of scenario "Order updates":'
        " add email.text or a fallback [prod]",
        'templates/order-shipped.yaml:1:13: no content for VIBER, a step of scenario "Order updates":'
        " add viber.text or a fallback [prod]",
        'templates/order-shipped.yaml:1:28: scenario "Ordre updates" is in no environment\'s'
        " scenarios.d/: check its name",
    ]


def test_syntax_and_runtime_errors_are_located(repo: Path, write_template: WriteTemplate) -> None:
    write_template(
        """
        scenarios: [Order updates]
        sms:
          text: "{{ 1 / 0 }}"
        viber:
          text: |
            Hello
            {% if %}
        email:
          subject: Hi {{ 'x' }
          text: Shipped
        """
    )
    assert problems(repo) == [
        "templates/order-shipped.yaml:3:9: sms.text: template error: ZeroDivisionError:"
        " division by zero [prod]",
        "templates/order-shipped.yaml:7:5: viber.text: template syntax error:"
        " Expected an expression, got 'end of statement block' [prod]",
        "templates/order-shipped.yaml:9:12: email.subject: template syntax error:"
        " unexpected '}' [prod]",
    ]


def test_a_character_jinja_cannot_read_is_placed_at_its_line_and_column(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template(
        """
        scenarios: [Order updates]
        fallback: Shipped.
        email:
          subject: Hi
          text: |
            Hello,
            your order {{ order ! 2 }} has shipped.
        """
    )
    assert problems(repo) == [
        "templates/order-shipped.yaml:7:25: email.text: template syntax error: "
        "unexpected char '!' [prod]"
    ]


def test_an_undefined_environment_variable_says_where_to_add_it(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template(
        """
        scenarios: [Order updates]
        sample:
          order: {id: 7}
        sms:
          text: "{{ vars.shop }}"
        viber:
          text: "{{ order.number }}"
        email:
          subject: Hi
          text: "{{ vars['shop'] }}"
        """
    )
    assert problems(repo, state("dev", ORDER, variables={"other": 1})) == [
        "templates/order-shipped.yaml:5:9: sms.text: undefined variable vars.shop;"
        " add it to this environment's vars in the config [dev]",
        "templates/order-shipped.yaml:7:9: viber.text: undefined variable order.number;"
        " add it to the template's sample data (or sample_file) [dev]",
        "templates/order-shipped.yaml:10:9: email.text: undefined variable vars.shop;"
        " add it to this environment's vars in the config [dev]",
    ]
