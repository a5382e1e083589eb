"""The phone's note form without JavaScript: a plain HTML post that stores the note.

Through the Flask test client: the form carries a CSRF token from the session and a fresh
client_id per render, so a cross-site post stores nothing and a double submit is one note.
"""

import re

import pytest

from workshop.notes import notes
from workshop.room import room


def hidden(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', html)
    assert match, f"no hidden {name} field in the phone page"
    return match.group(1)


def open_form(client, code: str) -> dict:
    """The phone page's hidden fields, as a browser without JavaScript would submit them."""
    html = client.get(f"/j/{code}").get_data(as_text=True)
    return {"csrf_token": hidden(html, "csrf_token"), "client_id": hidden(html, "client_id")}


def stored(app, code: str) -> list[dict]:
    return notes.list_notes(app.extensions["workshop"].store.db, code, include_hidden=True)


def test_the_phone_form_posts_to_the_server_without_javascript(client, workshop):
    html = client.get(f"/j/{workshop['code']}").get_data(as_text=True)
    assert f'method="post" action="/j/{workshop["code"]}/note"' in html
    assert 6 == len(re.findall(r'<input type="radio" name="color"', html))


def test_a_posted_form_stores_a_phone_note_and_says_received(app, client, workshop):
    code = workshop["code"]
    section = workshop["sections"][1]
    fields = open_form(client, code)
    response = client.post(
        f"/j/{code}/note",
        data={
            **fields,
            "text": "Benches by the bus stop",
            "about": f"section:{section['id']}",
            "color": "blue",
        },
    )
    assert (303, f"/j/{code}?sent=1") == (response.status_code, response.headers["Location"])
    [note] = stored(app, code)
    expected = ("Benches by the bus stop", "phone", "blue", section["id"])
    assert expected == (note["text"], note["source"], note["color"], note["section_id"])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "received ✓ — your note is on the board" in page


def test_a_note_about_a_prompt_keeps_its_prompt(app, client, workshop):
    code = workshop["code"]
    prompt = workshop["prompts"][0]
    fields = {**open_form(client, code), "text": "A crossing", "about": f"prompt:{prompt['id']}"}
    assert 303 == client.post(f"/j/{code}/note", data=fields).status_code
    assert [prompt["id"]] == [note["prompt_id"] for note in stored(app, code)]


def test_submitting_the_same_form_twice_is_one_note(app, client, workshop):
    code = workshop["code"]
    fields = {**open_form(client, code), "text": "Only once please"}
    first = client.post(f"/j/{code}/note", data=fields)
    second = client.post(f"/j/{code}/note", data=fields)
    assert (303, 303) == (first.status_code, second.status_code)
    assert ["Only once please"] == [note["text"] for note in stored(app, code)]


def test_each_render_of_the_form_has_a_new_client_id(client, workshop):
    first = open_form(client, workshop["code"])
    second = open_form(client, workshop["code"])
    assert first["csrf_token"] == second["csrf_token"]
    assert first["client_id"] != second["client_id"]


@pytest.mark.parametrize("token", [None, "", "forged-by-another-site"])
def test_a_post_without_the_sessions_csrf_token_is_refused(app, client, workshop, token):
    code = workshop["code"]
    fields = {**open_form(client, code), "text": "From another site"}
    if token is None:
        del fields["csrf_token"]
    else:
        fields["csrf_token"] = token
    response = client.post(f"/j/{code}/note", data=fields, headers={"Accept": "text/html"})
    assert 400 == response.status_code
    assert "This form has expired" in response.get_data(as_text=True)
    assert [] == stored(app, code)


def test_a_browser_that_never_opened_the_page_is_refused(app, client, workshop):
    code = workshop["code"]
    data = {"csrf_token": "guess", "client_id": "x1", "text": "Cross-site"}
    assert 400 == client.post(f"/j/{code}/note", data=data).status_code
    assert [] == stored(app, code)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "note"),
        ("   ", "note"),
        ("x" * 281, "280"),
    ],
)
def test_a_refused_note_re_renders_the_page_with_the_reason(app, client, workshop, text, message):
    code = workshop["code"]
    fields = {**open_form(client, code), "text": text, "color": "green"}
    response = client.post(f"/j/{code}/note", data=fields)
    html = response.get_data(as_text=True)
    assert 400 == response.status_code
    error = re.search(r'<p class="form-error" id="note-error" role="alert">([^<]*)</p>', html)
    assert error and message in error.group(1)
    assert 'value="green" id="color-green" checked' in html
    assert [] == stored(app, code)


def test_the_rate_limit_applies_to_the_form(app, client, workshop):
    code = workshop["code"]
    room.set_settings(app.extensions["workshop"].store, code, {"note_burst": 1})
    first = client.post(f"/j/{code}/note", data={**open_form(client, code), "text": "One"})
    second = client.post(f"/j/{code}/note", data={**open_form(client, code), "text": "Two"})
    assert (303, 429) == (first.status_code, second.status_code)
    assert "Two</textarea>" in second.get_data(as_text=True)
    assert ["One"] == [note["text"] for note in stored(app, code)]


def test_closed_writing_re_renders_with_the_reason(app, client, workshop):
    code = workshop["code"]
    store = app.extensions["workshop"].store
    from workshop.workshops import workshops

    workshops.set_phase(store, code, "closed")
    response = client.post(f"/j/{code}/note", data={**open_form(client, code), "text": "Late"})
    assert 409 == response.status_code
    assert "Writing is closed" in response.get_data(as_text=True)
    assert [] == stored(app, code)
