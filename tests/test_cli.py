"""The command line, run in-process with click's runner."""

import pytest
from click.testing import CliRunner

from workshop.cli.commands import cli
from workshop.cli.serving import with_pool_size
from workshop.core import db as database
from workshop.venue.network import public_base_url
from workshop.workshops import workshops

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
    addresses = ["192.168.1.20", "10.0.0.5"]
    monkeypatch.setattr("workshop.venue.network.lan_addresses", lambda: addresses)
    assert "http://192.168.1.20:5000" == public_base_url("0.0.0.0", 5000)
    assert "http://127.0.0.1:5000" == public_base_url("127.0.0.1", 5000)
    assert "https://plan.example" == public_base_url("0.0.0.0", 5000, "https://plan.example/")


def test_redis_urls_get_a_big_connection_pool():
    assert "redis://127.0.0.1:6379/0?max_connections=2000" == with_pool_size(
        "redis://127.0.0.1:6379/0"
    )
    assert "redis://h?max_connections=50" == with_pool_size("redis://h?max_connections=50")
    assert with_pool_size(None) is None


@pytest.fixture
def data_with_workshop(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN)
    code = run("new", str(plan), "--data", str(tmp_path / "data")).output.strip()
    return tmp_path / "data", code


def test_cards_prints_a_deck_whose_codes_open_the_public_url(data_with_workshop, tmp_path):
    from tests.pdfcheck import decode_qr_codes

    data, code = data_with_workshop
    out = tmp_path / "cards.pdf"
    result = run(
        "cards", code, "--count", "5", "--layout", "sticky-3x3", "-o", str(out),
        "--data", str(data), "--public-url", "http://10.0.0.9:5000",
    )  # fmt: skip
    assert 0 == result.exit_code, result.output
    assert "5 cards (sticky-3x3) written to" in result.output
    urls = decode_qr_codes(out.read_bytes())[0]
    assert 5 == len(set(urls))
    assert all(url.startswith("http://10.0.0.9:5000/c/") for url in urls)


def test_poster_and_signs_are_written(data_with_workshop, tmp_path):
    from tests.pdfcheck import decode_qr_codes, pdf_text

    data, code = data_with_workshop
    poster = tmp_path / "poster.pdf"
    result = run("poster", code, "-o", str(poster), "--data", str(data), "--public-url", "http://h")
    assert 0 == result.exit_code, result.output
    assert [f"http://h/j/{code}"] == decode_qr_codes(poster.read_bytes(), dpi=72)[0]
    signs = tmp_path / "signs.pdf"
    assert 0 == run("signs", code, "-o", str(signs), "--data", str(data)).exit_code
    assert 2 == len(pdf_text(signs.read_bytes()))


@pytest.mark.parametrize(
    "args, message",
    [
        (["cards", "ZZZZ"], "no workshop with the code 'ZZZZ'"),
        (["cards", "{code}", "--layout", "huge"], "unknown layout 'huge'"),
        (["cards", "{code}", "--count", "0"], "count must be between 1 and 1000"),
        (["poster", "{code}", "--page-size", "a3"], "page_size must be one of: letter, a4"),
    ],
)
def test_printing_commands_refuse_bad_input(data_with_workshop, tmp_path, args, message):
    data, code = data_with_workshop
    args = [arg.format(code=code) for arg in args]
    result = run(*args, "-o", str(tmp_path / "x.pdf"), "--data", str(data))
    assert (1, True) == (result.exit_code, message in result.output)
    assert not (tmp_path / "x.pdf").exists()


def test_serving_on_a_message_queue_needs_one_shared_facilitator_token(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKSHOP_FACILITATOR_TOKEN", raising=False)
    result = run("serve", "--data", str(tmp_path), "--message-queue", "redis://127.0.0.1:1/0")
    assert 0 != result.exit_code
    assert "WORKSHOP_FACILITATOR_TOKEN" in result.output
    assert not (tmp_path / "workshop.db").exists()  # refused before touching anything


@pytest.mark.parametrize("env, port", [({}, "5000"), ({"WORKSHOP_PORT": "5123"}, "5123")])
def test_without_a_server_printed_codes_name_the_configured_port(
    data_with_workshop, tmp_path, monkeypatch, env, port
):
    from urllib.parse import urlsplit

    from tests.pdfcheck import decode_qr_codes

    monkeypatch.delenv("WORKSHOP_PUBLIC_URL", raising=False)
    monkeypatch.delenv("WORKSHOP_PORT", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    data, code = data_with_workshop
    for command in (["cards", "--count", "1"], ["poster"]):
        out = tmp_path / f"{command[0]}.pdf"
        result = run(*command, code, "-o", str(out), "--data", str(data))
        assert 0 == result.exit_code, result.output
        (url,) = decode_qr_codes(out.read_bytes())[0]
        assert port == str(urlsplit(url).port)


def test_a_bad_workshop_port_is_one_line(data_with_workshop, tmp_path, monkeypatch):
    monkeypatch.delenv("WORKSHOP_PUBLIC_URL", raising=False)
    monkeypatch.setenv("WORKSHOP_PORT", "fifty")
    data, code = data_with_workshop
    result = run("poster", code, "-o", str(tmp_path / "p.pdf"), "--data", str(data))
    assert 1 == result.exit_code
    assert "WORKSHOP_PORT must be a port (1 to 65535), not 'fifty'" in result.output
