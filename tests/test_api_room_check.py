"""Check the room over HTTP: the facilitator's report, choosing the QR's address, and the
test phone's round trip (the phone's page posts back, the laptop sees from where)."""

import pytest

from tests.liveserver import TOKEN
from workshop.venue import network
from workshop.web.app import create_app


def test_the_report_names_the_qr_address_and_the_others(facilitator):
    report = facilitator.get("/api/room-check").get_json()
    assert ("http://lan:5000", "lan", 5000) == (report["qr_url"], report["address"], report["port"])
    assert [a.address for a in network.lan_interfaces()] == [
        a["address"] for a in report["addresses"]
    ]
    assert report["answers"] is None  # a name is not asked (no DNS at a venue)
    assert "client or AP isolation" in report["isolation"]
    assert report["firewall"]


def test_the_report_speaks_the_facilitators_language(facilitator):
    report = facilitator.get("/api/room-check?lang=es").get_json()
    assert "aislamiento" in report["isolation"]


def test_the_phone_round_trip(app, facilitator):
    made = facilitator.post("/api/room-check/phone")
    assert 201 == made.status_code
    check = made.get_json()
    assert check["url"] == f"http://lan:5000/check/{check['id']}"
    assert check["qr"].startswith("data:image/svg+xml;base64,")
    assert {"visits": []} == facilitator.get(f"/api/room-check/phone/{check['id']}").get_json()

    phone = app.test_client()  # no cookie, no token: any phone on the Wi-Fi
    page = phone.get(f"/check/{check['id']}")
    assert 200 == page.status_code
    assert "venue/check.js" in page.get_data(as_text=True)
    reached = phone.post(
        f"/api/room-check/phone/{check['id']}/reached",
        json={},
        environ_base={"REMOTE_ADDR": "192.168.1.34"},
    )
    assert {"reached": True, "address": "192.168.1.34"} == reached.get_json()

    visits = facilitator.get(f"/api/room-check/phone/{check['id']}").get_json()["visits"]
    assert ["192.168.1.34"] == [visit["address"] for visit in visits]


def test_a_check_nobody_started_is_a_clear_404(client, facilitator):
    for response in (
        client.get("/check/guessed"),
        client.post("/api/room-check/phone/guessed/reached", json={}),
        facilitator.get("/api/room-check/phone/guessed"),
    ):
        assert 404 == response.status_code
    refused = client.post("/api/room-check/phone/guessed/reached", json={})
    assert "no such room check" in refused.get_json()["error"]


def test_only_the_facilitator_checks_the_room(client):
    assert 403 == client.get("/api/room-check").status_code
    assert 403 == client.post("/api/room-check/phone").status_code


@pytest.mark.parametrize("address", ["203.0.113.9", "127.0.0.1", "", None, 5])
def test_the_qr_address_must_be_one_of_the_laptops(app, facilitator, address):
    response = facilitator.put("/api/room-check/address", json={"address": address})
    assert 400 == response.status_code
    assert "one of this laptop's network addresses" in response.get_json()["error"]
    assert "http://lan:5000" == app.extensions["workshop"].public_url  # unchanged


def test_choosing_an_address_puts_it_into_join_links(tmp_path):
    addresses = network.lan_addresses()
    if not addresses:
        pytest.skip("this machine has no network address besides loopback")
    app = create_app(
        {"TESTING": True, "FACILITATOR_TOKEN": TOKEN, "PUBLIC_URL": "http://lan:5000",
         "LISTEN_PORT": 5123}
    )  # fmt: skip
    try:
        laptop = app.test_client()
        laptop.get(f"/facilitator?token={TOKEN}")
        chosen = laptop.put("/api/room-check/address", json={"address": addresses[-1]})
        assert 200 == chosen.status_code
        assert f"http://{addresses[-1]}:5123" == chosen.get_json()["qr_url"]
        made = laptop.post("/api/workshops", json={"title": "Here"}).get_json()
        assert f"http://{addresses[-1]}:5123/j/{made['code']}" == made["join_url"]
    finally:
        app.extensions["workshop"].store.close()


def test_the_ping_says_it_is_this_program(client):
    assert network.PING_ANSWER == client.get(network.PING_PATH).get_json()
