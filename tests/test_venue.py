"""Checking the room: the findings for what the laptop's network looks like, and the phone
checks kept in memory."""

import pytest

from workshop.core.errors import NotFound
from workshop.venue import checks
from workshop.venue.network import Address, is_address, is_loopback
from workshop.venue.phonecheck import KEEP_VISITS, LIFETIME_SECONDS, PhoneChecks

WIFI = Address("192.168.1.20", "Wi-Fi")
CABLE = Address("10.0.0.5", "Ethernet")


def levels(**facts):
    return [(f.level, f.text()) for f in checks.findings(**facts)]


ON_WIFI = {"listen_host": "0.0.0.0", "interfaces": [WIFI]}
NOTHING = "Nothing answered on 192.168.1.20 port 5000 from this laptop: is the server running"
LOOPBACK = "The QR codes point at 127.0.0.1, this laptop itself: no phone can open that."


@pytest.mark.parametrize(
    "facts, expected",
    [
        (
            {**ON_WIFI, "qr_url": "http://192.168.1.20:5000", "answers": True},
            [("ok", "The server answers on 192.168.1.20 port 5000, asked from this laptop.")],
        ),
        (
            {**ON_WIFI, "qr_url": "http://192.168.1.20:5000", "answers": False},
            [("fail", NOTHING)],
        ),
        (
            {**ON_WIFI, "qr_url": "http://127.0.0.1:5000", "answers": None},
            [("fail", LOOPBACK)],
        ),
        (
            {**ON_WIFI, "qr_url": "http://192.168.1.20:5000", "listen_host": "127.0.0.1",
             "answers": False},
            [("fail", "The server listens on 127.0.0.1 only, but the QR codes point at "
                      "192.168.1.20: start it with --host 0.0.0.0 (the default)."),
             ("fail", NOTHING)],
        ),
        (
            {"qr_url": "http://203.0.113.9:80", "listen_host": None, "interfaces": [WIFI, CABLE],
             "answers": None},
            [("warn", "The QR codes point at 203.0.113.9, which is not one of this laptop's "
                      "addresses (WORKSHOP_PUBLIC_URL?): make sure it leads here."),
             ("warn", "This laptop is on 2 networks. The QR codes must use the one the phones "
                      "are on (usually the Wi-Fi).")],
        ),
        (
            {"qr_url": "http://127.0.0.1:5000", "listen_host": None, "interfaces": [],
             "answers": True},
            [("fail", "This laptop has no network address: join the venue Wi-Fi (or start a "
                      "hotspot), then check again."),
             ("fail", LOOPBACK),
             ("ok", "The server answers on 127.0.0.1 port 5000, asked from this laptop.")],
        ),
    ],
)  # fmt: skip
def test_findings_say_what_is_wrong_most_serious_first(facts, expected):
    found = levels(**facts)
    assert [level for level, _ in expected] == [level for level, _ in found]
    for (_, words), (_, text) in zip(expected, found, strict=True):
        assert text.startswith(words), text


@pytest.mark.parametrize(
    "platform, words",
    [("win32", "Windows Defender Firewall"), ("darwin", "macOS"), ("linux", "ufw allow 5000/tcp")],
)
def test_the_report_has_the_firewall_hint_of_the_laptops_platform(platform, words):
    report = checks.report(
        qr_url="http://192.168.1.20:5000",
        listen_host="0.0.0.0",
        interfaces=[WIFI, CABLE],
        answers=None,
        platform=platform,
    )
    assert words in report["firewall"]
    assert "client or AP isolation" in report["isolation"]
    assert [
        {"address": "192.168.1.20", "adapter": "Wi-Fi", "used": True},
        {"address": "10.0.0.5", "adapter": "Ethernet", "used": False},
    ] == report["addresses"]
    assert ("192.168.1.20", 5000) == (report["address"], report["port"])


def test_names_are_not_probed_and_loopback_is_known():
    assert (True, False) == (is_address("192.168.1.20"), is_address("lan"))
    assert (True, True, False) == (
        is_loopback("127.0.0.1"),
        is_loopback("localhost"),
        is_loopback("10.0.0.1"),
    )


def test_a_phone_check_keeps_its_latest_visits_and_ends():
    now = [0.0]
    phone_checks = PhoneChecks(clock=lambda: now[0])
    check_id = phone_checks.start()
    assert [] == phone_checks.visits(check_id)
    for n in range(KEEP_VISITS + 2):
        phone_checks.reached(check_id, f"192.168.1.{n}")
    visits = phone_checks.visits(check_id)
    assert KEEP_VISITS == len(visits)
    assert "192.168.1.11" == visits[-1]["address"]
    now[0] = LIFETIME_SECONDS + 1
    with pytest.raises(NotFound, match="no such room check"):
        phone_checks.visits(check_id)


def test_an_unknown_phone_check_is_not_found():
    with pytest.raises(NotFound):
        PhoneChecks().reached("guessed", "192.168.1.9")
