"""The command line, run in-process with click's runner."""

import pytest
from click.testing import CliRunner

from workshop import db as database
from workshop import workshops
from workshop.commands import cli, with_pool_size
from workshop.network import public_base_url

PLAN = """
title = "Safer routes"
description = "Draft plan"

[[sections]]
title = "Timeline"
body = "By March"

[[sections]]
title = "Roles"

[[prompts]]
text = "Is the timeline right?"
section = "Timeline"

[settings]
votes_per_attendee = 5
"""


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_new_creates_a_workshop_from_toml(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN)
    result = run("new", str(plan), "--data", str(tmp_path / "data"))
    assert 0 == result.exit_code, result.output
    code = result.output.strip()
    store = database.connect(tmp_path / "data" / "workshop.db")
    workshop = workshops.get_workshop(store.db, code)
    store.close()
    assert ("Safer routes", ["Timeline", "Roles"], 5) == (
        workshop["title"],
        [s["title"] for s in workshop["sections"]],
        workshop["settings"]["votes_per_attendee"],
    )
    assert workshop["sections"][0]["id"] == workshop["prompts"][0]["section_id"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("title = ", "is not valid TOML"),
        ('title = "T"\nagenda = 1', "unknown keys: agenda"),
        ('title = ""', "title is empty"),
        ('title = "T"\n[[prompts]]\ntext = "Q"\nsection = "Nope"', "names a section"),
    ],
)
def test_new_refuses_a_bad_file_clearly(tmp_path, content, message):
    plan = tmp_path / "plan.toml"
    plan.write_text(content)
    result = run("new", str(plan), "--data", str(tmp_path / "data"))
    assert 1 == result.exit_code
    assert message in result.output
    assert "Traceback" not in result.output


def test_the_join_url_uses_a_lan_address_not_loopback(monkeypatch):
    monkeypatch.setattr("workshop.network.lan_addresses", lambda: ["192.168.1.20", "10.0.0.5"])
    assert "http://192.168.1.20:5000" == public_base_url("0.0.0.0", 5000)
    assert "http://127.0.0.1:5000" == public_base_url("127.0.0.1", 5000)
    assert "https://plan.example" == public_base_url("0.0.0.0", 5000, "https://plan.example/")


def test_redis_urls_get_a_big_connection_pool():
    assert "redis://127.0.0.1:6379/0?max_connections=2000" == with_pool_size(
        "redis://127.0.0.1:6379/0"
    )
    assert "redis://h?max_connections=50" == with_pool_size("redis://h?max_connections=50")
    assert with_pool_size(None) is None
