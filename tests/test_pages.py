"""Pages through the Flask test client: what is served, headers, escaping, errors."""

import json
import re

from workshop.core import protocol
from workshop.workshops import workshops


def page_data(html):
    match = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_the_phone_page_carries_the_plan_and_the_protocol(client, workshop):
    response = client.get(f"/j/{workshop['code']}")
    assert 200 == response.status_code
    html = response.get_data(as_text=True)
    assert all(section["title"] in html for section in workshop["sections"])
    assert "What is missing?" in html
    data = page_data(html)
    assert protocol.NOTE_CREATED == data["protocol"]["events"]["noteCreated"]
    assert workshop["code"] == data["workshop"]["code"]


def test_pages_forbid_inline_scripts(client, workshop):
    for path in ("/", f"/j/{workshop['code']}", f"/w/{workshop['code']}/board"):
        policy = client.get(path).headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
    html = client.get(f"/w/{workshop['code']}/board").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*(type=\"(module|application/json)\"))", html)
    assert " style=" not in html


def test_text_from_people_is_escaped_in_pages(app, client):
    store = app.extensions["workshop"].store
    code = workshops.create_workshop(
        store,
        title="<script>alert(1)</script>",
        sections=[{"title": "<img src=x onerror=alert(2)>", "body": "</script><b>x</b>"}],
    )["code"]
    for path in (f"/j/{code}", f"/w/{code}/board"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html
        assert "</script><b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_pages_are_friendly_html_404s(client):
    for path in ("/j/ZZZZ", "/w/ZZZZ/board", "/no/such/page"):
        response = client.get(path, headers={"Accept": "text/html"})
        assert 404 == response.status_code
        assert "text/html" == response.mimetype
        html = response.get_data(as_text=True)
        assert "Not found" in html
        assert "Traceback" not in html


def test_a_join_code_typed_by_hand_finds_the_workshop(client, workshop):
    code = workshop["code"]
    response = client.get(f"/join?code={code.lower()[:2]} {code.lower()[2:]}")
    assert f"/j/{code}" == response.headers["Location"]
    assert f"/j/{code}" == client.get(f"/j/{code.lower()}").headers["Location"]


def test_the_join_qr_is_an_svg_of_the_join_url(client, workshop):
    response = client.get(f"/w/{workshop['code']}/join-qr.svg")
    assert (200, "image/svg+xml") == (response.status_code, response.mimetype)
    assert b"<svg" in response.data


def test_home_is_a_join_form_for_attendees_and_a_dashboard_for_the_facilitator(client, facilitator):
    assert "Join a workshop" in client.get("/").get_data(as_text=True)
    assert "New workshop" in facilitator.get("/").get_data(as_text=True)


def test_static_urls_carry_a_content_hash(client, workshop):
    html = client.get(f"/j/{workshop['code']}").get_data(as_text=True)
    assert re.search(r'/static/js/phone/phone\.js\?v=[0-9a-f]{10}"', html)
    assert re.search(r'/static/css/app\.css\?v=[0-9a-f]{10}"', html)


def test_the_vendored_socket_client_is_served_locally(client):
    with client.get("/static/vendor/socket.io.esm.min.js") as response:
        assert 200 == response.status_code
        assert b"io" in response.data


def test_sign_out_forgets_the_facilitator(facilitator):
    home = facilitator.get("/").get_data(as_text=True)
    token = home.split('name="csrf_token" value="')[1].split('"')[0]
    assert 303 == facilitator.post("/sign-out", data={"csrf_token": token}).status_code
    assert 403 == facilitator.get("/api/workshops").status_code


def test_scripts_and_pages_are_gzipped_for_slow_venue_wifi(client, workshop):
    import gzip

    with client.get(
        "/static/vendor/socket.io.esm.min.js", headers={"Accept-Encoding": "gzip"}
    ) as r:
        assert ("gzip", "Accept-Encoding") == (r.headers["Content-Encoding"], r.headers["Vary"])
        assert b"io" in gzip.decompress(r.data)
        assert len(r.data) < 20_000
        etag = r.headers["ETag"]
    with client.get(
        "/static/vendor/socket.io.esm.min.js",
        headers={"Accept-Encoding": "gzip", "If-None-Match": etag},
    ) as again:
        assert 304 == again.status_code
    page = client.get(f"/j/{workshop['code']}", headers={"Accept-Encoding": "gzip"})
    assert "gzip" == page.headers["Content-Encoding"]
    assert workshop["title"] in gzip.decompress(page.data).decode()
    plain = client.get(f"/j/{workshop['code']}")
    assert "Content-Encoding" not in plain.headers


def test_the_closing_screen_qr_opens_the_summary(client, workshop):
    from workshop.web.qrsvg import qr_svg

    response = client.get(f"/w/{workshop['code']}/summary-qr.svg")
    expected = qr_svg(f"http://lan:5000/w/{workshop['code']}/summary")
    assert (200, "image/svg+xml", expected) == (
        response.status_code,
        response.mimetype,
        response.data,
    )
