"""Another site's page, opened in the facilitator's own Chromium, changes nothing.

The attacker's page is served from another port of the same address (the same *site* to a
browser, so the facilitator's cookie goes along) and from another address (another site).
It sends every simple request a page can send without our consent: forms (urlencoded,
text/plain, multipart, empty), no-cors fetches with and without a body, and an image whose
address would print new cards.
"""

from __future__ import annotations

import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from playwright.sync_api import expect

from tests.liveserver import wait_until

pytestmark = pytest.mark.browser

ATTACK = """<!doctype html><html><body><h1>Cute cats</h1>
<form id="f1" method="post" action="{base}/api/workshops/{code}/undo"></form>
<form id="f2" method="post" enctype="text/plain" action="{base}/api/workshops/{code}/phase">
  <input name='{{"phase": "closed", "x": "' value='"}}'></form>
<form id="f3" method="post" enctype="multipart/form-data" action="{base}/w/{code}/decks">
  <input name="count" value="50"></form>
<iframe name="sink"></iframe>
<img src="{base}/api/workshops/{code}/cards.pdf?count=50">
<script>
  const go = async () => {{
    for (const body of [undefined, "", "phase=closed"]) {{
      await fetch("{base}/api/workshops/{code}/undo", {{method: "POST", mode: "no-cors",
        credentials: "include", body}}).catch(() => {{}});
    }}
    await fetch("{base}/api/workshops/{code}/phase", {{method: "PUT", mode: "no-cors",
      credentials: "include", body: '{{"phase": "closed"}}'}}).catch(() => {{}});
    for (const id of ["f1", "f2", "f3"]) {{
      const form = document.getElementById(id);
      form.target = "sink";
      form.submit();
      await new Promise((done) => setTimeout(done, 300));
    }}
    document.title = "sent";
  }};
  go();
</script></body></html>"""


@pytest.fixture
def attacker():
    """A tiny web server of the attacker's: serves whatever page the test sets."""
    page = {"html": ""}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            data = page["html"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    servers = [ThreadingHTTPServer((host, 0), Handler) for host in ("127.0.0.1", "127.0.0.2")]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield page, [f"http://{s.server_address[0]}:{s.server_address[1]}" for s in servers]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def test_forged_requests_from_other_pages_change_nothing(contexts, live_server, attacker):
    page_html, origins = attacker
    base = live_server.base_url
    workshop = live_server.create_workshop(title="Forgery target")
    code = workshop["code"]
    facilitator = live_server.facilitator()
    note = facilitator.post(
        f"{base}/api/workshops/{code}/notes", json={"text": "Keep me", "client_id": "f1"}
    ).json()
    section = workshop["sections"][0]["id"]
    facilitator.post(f"{base}/api/notes/{note['id']}/move", json={"section_id": section})

    context = contexts(base)
    signing_in = context.new_page()
    signing_in.goto(f"/facilitator?token={live_server.token}")
    expect(signing_in.get_by_role("heading", name="New workshop")).to_be_visible()

    for origin in origins:  # same site (another port), then another site
        page_html["html"] = ATTACK.format(base=base, code=code)
        evil = context.new_page()
        evil.goto(f"{origin}/")
        wait_until(
            lambda evil=evil: evil.title() == "sent", f"the page at {origin} sent its requests"
        )
        evil.close()

    state = requests.get(f"{base}/api/workshops/{code}/notes", timeout=30).json()
    assert section == next(n for n in state if n["id"] == note["id"])["section_id"]
    assert "gather" == requests.get(f"{base}/api/workshops/{code}", timeout=30).json()["phase"]
    database = sqlite3.connect(f"file:{live_server.data_dir / 'workshop.db'}?mode=ro", uri=True)
    try:
        assert 0 == database.execute("SELECT count(*) FROM cards").fetchone()[0]
    finally:
        database.close()
    # The facilitator's own page still works in the same browser.
    own = signing_in.evaluate(
        """async (code) => (await fetch(`/api/workshops/${code}/undo`, {method: "POST",
             headers: {"Content-Type": "application/json"}, body: "{}"})).status""",
        code,
    )
    assert 200 == own
