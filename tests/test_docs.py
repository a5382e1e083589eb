"""The docs cannot drift: every route, event, command and setting is documented."""

import re
from pathlib import Path

import pytest

from workshop.cli.commands import cli
from workshop.core import protocol
from workshop.core.settings import ENVIRONMENT, WORKSHOP_SETTINGS
from workshop.web.app import create_app

DOCS = Path(__file__).parent.parent / "docs"


def documented_path(rule: str) -> str:
    return re.sub(r"<int:\w+>", "<id>", rule)


@pytest.mark.parametrize(
    "rule",
    sorted(
        f"{method} {rule.rule}"
        for rule in create_app({"TESTING": True}).url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    ),
)
def test_every_route_is_in_the_api_doc(rule):
    method, path = rule.split(" ")
    assert f"`{method} {documented_path(path)}" in (DOCS / "api.md").read_text()


@pytest.mark.parametrize("event", sorted(protocol.SERVER_EVENTS))
def test_every_socket_event_is_documented(event):
    assert f"| `{event}` |" in (DOCS / "events.md").read_text()


def test_client_events_are_documented():
    text = (DOCS / "events.md").read_text()
    assert "## Client → server" in text
    assert all(f"`{event}`" in text for event in protocol.CLIENT_EVENTS)


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command):
    assert f"## `workshop {command}" in (DOCS / "cli.md").read_text()


@pytest.mark.parametrize("setting", WORKSHOP_SETTINGS + ENVIRONMENT, ids=lambda s: s.name)
def test_every_setting_is_documented_with_its_default(setting):
    text = (DOCS / "settings.md").read_text()
    row = next((line for line in text.splitlines() if line.startswith(f"| `{setting.name}` |")), "")
    assert row, f"{setting.name} is not in docs/settings.md"
    assert setting.help in row
    if isinstance(setting.default, bool):
        assert f"| {str(setting.default).lower()} |" in row
    elif isinstance(setting.default, int):
        assert f"| {setting.default} |" in row


def _commands(group=cli, prefix="workshop"):
    import click

    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


@pytest.mark.parametrize("name, command", list(_commands()), ids=lambda v: str(v))
def test_each_commands_heading_lists_its_data_and_public_url_options(name, command):
    headings = [
        part
        for line in (DOCS / "cli.md").read_text().splitlines()
        if line.startswith("## ")
        for part in line.split("`, `")
        if part.lstrip("#` ").startswith(name + " ") or part.lstrip("#` ").rstrip("`") == name
    ]
    assert headings, f"{name} has no heading in docs/cli.md"
    for option in ("--data", "--public-url"):
        if any(option in parameter.opts for parameter in command.params):
            assert any(option in heading for heading in headings), f"{name}: {option}"
